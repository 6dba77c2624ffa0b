//! What JavaScript receives: plain objects with camelCase keys (SPEC §2). Each model is
//! a table ([`schema`]) that reads the server's snake_case JSON through the tolerant
//! readers of [`crate::wire`] and writes the camelCase JSON JavaScript parses. What a
//! `ChatSession` decides on (ids, statuses, echo ids) is also kept typed.

pub use chatwoot_inbox_wire::schema;

mod account;
mod contact;
mod conversation;
mod csat;
mod inbox;
mod message;

pub use account::{ACCOUNT_CONTACT, ACCOUNT_CONVERSATION, AGENT, META, TEAM};
pub use contact::{ContactSession, CONTACT, CONTACT_SESSION};
pub use conversation::{Conversation, ConversationStatus, CONVERSATION, CONVERSATION_STATUSES};
pub use csat::{CSAT_RESPONSE, CSAT_SURVEY};
pub use inbox::{INBOX, WORKING_HOURS};
pub use message::{
    normalise_list as message_list, Local, Message, MessageStatus, MessageType, ATTACHMENT,
    CONTENT_TYPES, FILE_TYPES, MESSAGE, SENDER, SENDER_KINDS, STATUSES,
};

use crate::wire::json::{Doc, Node};
use crate::wire::out::Out;
use schema::Schema;

/// The shape of an answer, for turning its text into what JavaScript receives.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// One model.
    One(&'static Schema),
    /// An array of a model (items that are not one are left out).
    List(&'static Schema),
    /// A page of messages: ordered by id, each id once.
    Page,
    /// A list given as a bare array or as `{ "payload": [...] }` (both shapes occur).
    Payload(&'static Schema),
    /// No body.
    Empty,
}

impl Shape {
    /// Writes the camelCase JSON of the answer at `n`; `false` when it is not this shape.
    pub fn write(self, n: Node<'_>, o: &mut Out) -> bool {
        match self {
            Shape::One(s) => schema::write(n, s, o),
            Shape::List(s) if n.is_array() => {
                o.open_list();
                for item in n.items() {
                    schema::write(item, s, o);
                }
                o.close_list();
                true
            }
            Shape::Page if n.is_array() => {
                o.open_list();
                for item in schema::by_id(n) {
                    schema::write(item, &MESSAGE, o);
                }
                o.close_list();
                true
            }
            Shape::Payload(s) => {
                let list = if n.is_array() { n } else { n.get("payload") };
                list.is_array() && Shape::List(s).write(list, o)
            }
            Shape::Empty => {
                o.null();
                true
            }
            _ => false,
        }
    }

    /// The camelCase JSON of an answer's text; `None` when it is not JSON of this shape.
    pub fn transcode(self, text: &str) -> Option<String> {
        let doc = Doc::parse(text).ok()?;
        let mut o = Out::new();
        self.write(doc.root(), &mut o).then(|| o.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_fits_the_interpreter() {
        let all: [&Schema; 15] = [
            &ACCOUNT_CONTACT,
            &ACCOUNT_CONVERSATION,
            &AGENT,
            &META,
            &TEAM,
            &CONTACT,
            &CONTACT_SESSION,
            &CONVERSATION,
            &CSAT_RESPONSE,
            &CSAT_SURVEY,
            &INBOX,
            &WORKING_HOURS,
            &ATTACHMENT,
            &MESSAGE,
            &SENDER,
        ];
        for s in all {
            let slots: usize = s.fields.iter().map(|f| f.from.len()).sum();
            assert!(slots <= 48, "{} slots", slots);
            assert!(schema::shared_keys_adjacent(s), "{:?}", s.fields.first());
        }
    }

    #[test]
    fn keys_in_any_order_are_found() {
        let ordered = r#"{"id":1,"content":"a","message_type":1,"content_type":"text","content_attributes":{"deleted":true},"created_at":5,"conversation_id":2,"sender":{"id":3,"type":"user"}}"#;
        let shuffled = r#"{"sender":{"type":"user","id":3},"created_at":5,"unknown":[1],"content_attributes":{"deleted":true},"conversation_id":2,"content":"a","content_type":"text","message_type":1,"id":1}"#;
        let a = Shape::One(&MESSAGE).transcode(ordered).unwrap();
        let b = Shape::One(&MESSAGE).transcode(shuffled).unwrap();
        assert_eq!(a, b);
        assert!(
            a.contains(r#""contentAttributes":{"deleted":true},"deleted":true"#),
            "{a}"
        );
        assert!(a.contains(r#""createdAt":5000"#), "{a}");
    }
}
