//! The state shared by every connection: the model, the faults waiting to fire and
//! the request log, each behind its own short-held lock.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

use crate::faults::FaultBook;
use crate::hub::Hub;
use crate::reqlog::RequestLog;
use crate::state::{Event, InboxConfig, Model};

pub struct App {
    model: Mutex<Model>,
    faults: Mutex<FaultBook>,
    log: Mutex<RequestLog>,
    events: broadcast::Sender<Event>,
    hub: Arc<Hub>,
    account: Mutex<crate::settings::Settings>,
    /// Fallback for ActiveStorage URLs when a request carries no Host header.
    pub local_addr: SocketAddr,
}

pub type AppRef = Arc<App>;

/// A poisoned lock only means a handler panicked mid-change; the data is still the
/// best we have, so keep serving rather than failing every later request.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    pub fn new(startup: InboxConfig, local_addr: SocketAddr, agent_token: String) -> AppRef {
        let (events, _) = broadcast::channel(1024);
        let hub = Arc::new(Hub::default());
        Arc::new(App {
            model: Mutex::new(Model::new(startup, events.clone(), hub.clone())),
            faults: Mutex::new(FaultBook::default()),
            log: Mutex::new(RequestLog::default()),
            events,
            hub,
            account: crate::settings::Settings::new(agent_token),
            local_addr,
        })
    }

    pub fn model(&self) -> MutexGuard<'_, Model> {
        lock(&self.model)
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultBook> {
        lock(&self.faults)
    }

    pub fn log(&self) -> MutexGuard<'_, RequestLog> {
        lock(&self.log)
    }

    /// The application API's settings (agent token, list shape).
    pub fn account(&self) -> MutexGuard<'_, crate::settings::Settings> {
        lock(&self.account)
    }

    /// The websocket connections (`/cable`). Lock order: the model before the hub.
    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    /// A receiver of every state change.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// The control API's reset: model, faults and log all start over; open sockets
    /// stay open (their tokens now match no session) and pings resume.
    pub fn reset(&self) {
        self.model().reset();
        self.hub.set_pings_paused(false);
        self.faults().clear();
        self.log().clear();
        self.account().reset();
    }
}
