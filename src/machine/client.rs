//! `InboxClient` (SPEC §3): one method per public endpoint, stateless. A method checks
//! its arguments, builds the request, and its answer settles the caller's promise.

use super::reply::Shape;
use super::session::Session;
use super::{Config, Cx, Then, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS};
use crate::api::contacts::{ContactInput, Identity};
use crate::api::input::{arg, number_arg, object_arg, string_arg, Input};
use crate::api::{self, Request};
use crate::error::Error;
use crate::value::Loose;
use serde_json::Value;

/// What a machine serves: one of the three exported classes.
#[derive(Debug)]
pub(crate) enum Role {
    /// An `InboxClient` of this inbox identifier.
    Inbox(String),
    /// An `AccountClient` of this account id.
    Account(i64),
    /// A `ChatSession`.
    Session(Box<Session>),
}

/// Reads the options every client shares: `{ baseUrl, timeoutMs?, retries? }`.
pub fn config(o: Input<'_>) -> Result<Config, Error> {
    let base_url = base_url(o.string("baseUrl")?.unwrap_or_default())?;
    let timeout_ms = timeout_value(o.number("timeoutMs")?, DEFAULT_TIMEOUT_MS)?;
    let retries = match o.number("retries")? {
        Some(r) if r.is_finite() && r >= 0.0 => r.min(10.0) as u32,
        Some(_) => {
            return Err(Error::invalid_argument(
                "retries must be a non-negative number",
            ))
        }
        None => DEFAULT_RETRIES,
    };
    Ok(Config {
        base_url,
        timeout_ms,
        retries,
        token: None,
    })
}

/// Checks a base URL: `http(s)://host[:port]`, nothing after the authority.
pub fn base_url(url: String) -> Result<String, Error> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let ok = rest.is_some_and(|authority| {
        !authority.is_empty()
            && !authority
                .bytes()
                .any(|b| matches!(b, b'/' | b'?' | b'#' | b'@' | b' ' | b'\\') || b < 0x20)
    });
    if ok {
        Ok(url)
    } else {
        Err(Error::invalid_argument(
            "baseUrl must be the server's http(s) origin, such as \"https://chat.example.com\", without a path or trailing slash",
        ))
    }
}

/// The inbox identifier option, checked.
pub fn inbox_identifier(o: Input<'_>) -> Result<String, Error> {
    let inbox = o
        .string("inboxIdentifier")?
        .ok_or_else(|| Error::invalid_argument("inboxIdentifier must be a string"))?;
    api::path::segment("inboxIdentifier", &inbox)?;
    Ok(inbox)
}

/// A machine's configuration and kind from its constructor options.
pub fn configure(kind: &str, options: &Value) -> Result<(Config, Role), Error> {
    let what = match kind {
        "session" => "ChatSession.start options",
        "account" => "AccountClient options",
        _ => "InboxClient options",
    };
    if !options.is_object() {
        let needs = if kind == "account" {
            " must be { baseUrl, accountId, apiAccessToken, … }"
        } else {
            " must be { baseUrl, inboxIdentifier, … }"
        };
        return Err(Error::invalid_argument([what, needs].concat()));
    }
    let o = Input::new(options, what)?;
    let mut cfg = config(o)?;
    if kind == "account" {
        let account = api::account::id("accountId", o.node("accountId"))?;
        let token = o
            .string("apiAccessToken")?
            .ok_or_else(|| Error::invalid_argument("apiAccessToken must be a string"))?;
        api::account::token(&token)?;
        cfg.token = Some(token);
        return Ok((cfg, Role::Account(account)));
    }
    let inbox = inbox_identifier(o)?;
    let kind = match kind {
        "session" => Role::Session(Box::new(Session::new(&cfg, inbox, o)?)),
        _ => Role::Inbox(inbox),
    };
    Ok((cfg, kind))
}

/// The call options `{ signal?, timeoutMs? }` (the signal stays with the JS side).
fn timeout_arg(args: &Value, i: usize, default: u64) -> Result<u64, Error> {
    let o = Input::new(arg(args, i), "options")?;
    timeout_value(o.number("timeoutMs")?, default)
}

/// The longest delay a browser's or Node's `setTimeout` keeps (2^31 - 1 ms, about 24.8
/// days); a longer one fires at once.
pub const MAX_TIMEOUT_MS: u64 = 2_147_483_647;

/// `timeoutMs`: whole ms from 1 to [`MAX_TIMEOUT_MS`]; absent, `default`.
fn timeout_value(ms: Option<f64>, default: u64) -> Result<u64, Error> {
    match ms {
        None => Ok(default),
        Some(ms) if (1.0..=MAX_TIMEOUT_MS as f64).contains(&ms) => Ok(ms as u64),
        Some(_) => Err(Error::invalid_argument(
            "timeoutMs must be a number of ms from 1 to 2147483647 (about 24.8 days)",
        )),
    }
}

/// One `InboxClient` method: checks its arguments and sends its request; the promise
/// it returns is settled when the answer arrives (or at once, for bad input).
pub(crate) fn call(
    kind: &mut Role,
    cx: &mut Cx<'_>,
    method: &str,
    args: &Value,
) -> Result<Option<String>, Error> {
    let p = cx.promise();
    let built = match kind {
        Role::Inbox(inbox) => request(inbox, method, args),
        Role::Account(account) => account_request(*account, method, args),
        Role::Session(_) => Err(Error::invalid_argument("not a client method")),
    };
    match built {
        Ok((req, what, shape, opts_at)) => match timeout_arg(args, opts_at, cx.cfg.timeout_ms) {
            Ok(timeout) => {
                cx.send_with(req, Some(p), None, timeout, Then::Reply { p, what, shape });
            }
            Err(e) => cx.ops.reject(p, &e),
        },
        Err(e) => cx.ops.reject(p, &e),
    }
    Ok(Some(p.to_string()))
}

type Built = (Request, &'static str, Shape, usize);

fn request(inbox: &str, method: &str, a: &Value) -> Result<Built, Error> {
    use api::{contacts, conversations, csat, messages};
    let source = || string_arg(a, 0, "sourceId");
    let conversation = || number_arg(a, 1);
    Ok(match method {
        "getInbox" => (api::inbox::get(inbox)?, "inbox", Shape::Inbox, 0),
        "createContact" => {
            let input = ContactInput::read(object_arg(a, 0, "contact")?)?;
            (
                contacts::create(inbox, input)?,
                "contact session",
                Shape::ContactSession,
                1,
            )
        }
        "getContact" => {
            let identity = Identity::read(object_arg(a, 1, "identity")?)?;
            (
                contacts::get(inbox, &source()?, identity)?,
                "contact session",
                Shape::ContactSession,
                2,
            )
        }
        "updateContact" => {
            let source = source()?;
            let input = ContactInput::read(object_arg(a, 1, "contact")?)?;
            (
                contacts::update(inbox, &source, input)?,
                "contact",
                Shape::Contact,
                2,
            )
        }
        "listConversations" => (
            conversations::list(inbox, &source()?)?,
            "conversation list",
            Shape::Conversations,
            1,
        ),
        "createConversation" => {
            let source = source()?;
            let attrs = object_arg(a, 1, "conversation")?.object("customAttributes")?;
            (
                conversations::create(inbox, &source, attrs)?,
                "conversation",
                Shape::Conversation,
                2,
            )
        }
        "getConversation" => (
            conversations::get(inbox, &source()?, conversation())?,
            "conversation",
            Shape::Conversation,
            2,
        ),
        "resolveConversation" => (
            conversations::resolve(inbox, &source()?, conversation())?,
            "conversation",
            Shape::Conversation,
            2,
        ),
        "setTyping" => {
            let status = string_arg(a, 2, "typing status")?;
            (
                conversations::set_typing(inbox, &source()?, conversation(), &status)?,
                "",
                Shape::Empty,
                3,
            )
        }
        "updateLastSeen" => (
            conversations::update_last_seen(inbox, &source()?, conversation())?,
            "",
            Shape::Empty,
            2,
        ),
        "listMessages" => {
            let before = object_arg(a, 2, "page")?.number("before")?;
            (
                messages::list(inbox, &source()?, conversation(), before)?,
                "message list",
                Shape::Page,
                3,
            )
        }
        "createMessage" => {
            let source = source()?;
            let input = object_arg(a, 2, "message")?;
            // The driver keeps the files and sends their count.
            let files = input.number("attachments")?.unwrap_or(0.0);
            (
                messages::create(
                    inbox,
                    &source,
                    conversation(),
                    input.string("content")?,
                    input.string("echoId")?,
                    files.clamp(0.0, 1.0e6) as usize,
                )?,
                "message",
                Shape::Message,
                3,
            )
        }
        "updateMessage" => {
            let source = source()?;
            let values = messages::submitted_values(arg(a, 3).at("submittedValues"))?;
            (
                messages::update(inbox, &source, conversation(), number_arg(a, 2), values)?,
                "message",
                Shape::Message,
                4,
            )
        }
        "getCsatSurvey" => (
            csat::get(&string_arg(a, 0, "conversationUuid")?)?,
            "CSAT survey",
            Shape::CsatSurvey,
            1,
        ),
        "submitCsatSurvey" => {
            let uuid = string_arg(a, 0, "conversationUuid")?;
            let input = object_arg(a, 1, "survey")?;
            let rating = input.number("rating")?.unwrap_or(f64::NAN);
            (
                csat::submit(&uuid, rating, input.string("feedbackMessage")?)?,
                "CSAT survey",
                Shape::CsatSurvey,
                2,
            )
        }
        _ => return Err(Error::invalid_argument("unknown method")),
    })
}

/// An `AccountClient` method's request (SPEC §5).
fn account_request(account: i64, method: &str, a: &Value) -> Result<Built, Error> {
    use api::account::{create_conversation, get_conversation, id, list_contact_conversations};
    Ok(match method {
        "listContactConversations" => (
            list_contact_conversations(account, id("contactId", arg(a, 0))?),
            "contact conversations",
            Shape::AccountConversations,
            1,
        ),
        "getConversation" => (
            get_conversation(account, id("conversationId", arg(a, 0))?),
            "conversation",
            Shape::AccountConversation,
            1,
        ),
        "createConversation" => {
            let n = arg(a, 0);
            if !n.is_object() {
                return Err(Error::invalid_argument(
                    "createConversation needs { inboxId, … }",
                ));
            }
            (
                create_conversation(account, Input::new(n, "conversation")?)?,
                "conversation",
                Shape::AccountConversation,
                1,
            )
        }
        _ => return Err(Error::invalid_argument("unknown method")),
    })
}
