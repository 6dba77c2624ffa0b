//! What a UI shows (`getSnapshot()`, a thread) and how answers are read.

use super::*;

impl Session {
    // ----- what a UI shows -----------------------------------------------------------

    pub(super) fn snapshot(&self) -> String {
        to_json(&Snapshot(self))
    }
}

/// A value as JSON text.
pub(super) fn to_json<T: Serialize + ?Sized>(t: &T) -> String {
    serde_json::to_string(t).unwrap_or_default()
}

/// Reads an answer's text as model `T`.
pub(super) fn read<T: Model>(text: &str, what: &str) -> Result<T, Error> {
    decode::<T>(text).map_err(|e| decode_error(e, what, text))
}

pub(super) fn decode_error(e: DecodeError, what: &str, text: &str) -> Error {
    match e {
        DecodeError::NotJson => Error::decode(what, "the body is not JSON", text),
        DecodeError::Shape => Error::decode(what, "not the documented shape", text),
    }
}

/// A page of messages: ordered by id, each id once.
pub(super) fn read_page(text: &str) -> Result<Vec<Message>, Error> {
    decode_list::<Message>(text)
        .map(message_list)
        .map_err(|e| decode_error(e, "message list", text))
}

/// A conversation (with the messages it embeds: its thread's baseline).
pub(super) fn read_conversation(text: &str) -> Result<Conversation, Error> {
    read::<Conversation>(text, "conversation")
}

pub(super) fn read_conversations(text: &str) -> Result<Vec<Conversation>, Error> {
    decode_list::<Conversation>(text).map_err(|e| decode_error(e, "conversation list", text))
}

/// A conversation as the session shows it: its messages are in the threads.
pub(super) fn without_messages(mut c: Conversation) -> Conversation {
    c.messages = Vec::new();
    c
}

/// A map of the `(key, value)` pairs a function lists.
pub(super) struct Pairs<F>(F);

impl<F, I, K, V> Serialize for Pairs<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map((self.0)())
    }
}

/// One conversation's messages as a UI shows them.
pub(super) struct Thread<'a>(pub(super) &'a Session, pub(super) i64);

impl Serialize for Thread<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let messages = self
            .0
            .core
            .thread_ref(self.1)
            .into_iter()
            .flat_map(|t| t.snapshot());
        s.collect_seq(messages)
    }
}

/// What `getSnapshot()` returns.
pub(super) struct Snapshot<'a>(&'a Session);

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct History {
    loaded: bool,
    at_start: bool,
}

impl Serialize for Snapshot<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let session = self.0;
        let core = &session.core;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("state", session.state())?;
        m.serialize_entry("contact", &session.contact)?;
        m.serialize_entry("conversations", &Seq(|| core.conversations()))?;
        // Every thread asked for, also of a conversation the list has not shown yet.
        m.serialize_entry(
            "messages",
            &Pairs(|| {
                core.threads()
                    .map(|(id, _)| (id.to_string(), Thread(session, id)))
            }),
        )?;
        m.serialize_entry(
            "history",
            &Pairs(|| {
                core.threads().map(|(id, t)| {
                    (
                        id.to_string(),
                        History {
                            loaded: t.loaded(),
                            at_start: t.at_start(),
                        },
                    )
                })
            }),
        )?;
        m.serialize_entry(
            "typing",
            &Pairs(|| core.typing().map(|(id, u)| (id.to_string(), u))),
        )?;
        m.serialize_entry("agents", &Agents(core.agents()))?;
        m.end()
    }
}

/// A sequence of what a function lists.
pub(super) struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}
