//! The account API's settings, which the control API changes and a reset restores.

use std::sync::Mutex;

/// How the contact-conversations list is shaped: `{ "payload": [...] }` as Chatwoot
/// renders it, or a bare array as some deployments' docs show (seed 002).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListShape {
    Payload,
    Bare,
}

/// The account API's settings (`PUT /__devserver/account`).
#[derive(Debug)]
pub struct Settings {
    pub agent_token: String,
    pub list_shape: ListShape,
    startup_token: String,
}

impl Settings {
    pub fn new(agent_token: String) -> Mutex<Settings> {
        Mutex::new(Settings {
            startup_token: agent_token.clone(),
            agent_token,
            list_shape: ListShape::Payload,
        })
    }

    pub fn reset(&mut self) {
        self.agent_token = self.startup_token.clone();
        self.list_shape = ListShape::Payload;
    }
}
