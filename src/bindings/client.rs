//! `InboxClient`: one method per public endpoint, stateless (SPEC §3).

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Blob;

use super::args::{self, field};
use super::call::{promise, reply};
use super::errors::to_js;
use crate::api::contacts::{ContactInput, Identity};
use crate::api::{self, Request};
use crate::error::Error;
use crate::model::{Shape, CONTACT, CONTACT_SESSION, CONVERSATION, CSAT_SURVEY, INBOX, MESSAGE};
use crate::transport::{self, Transport};

const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
const DEFAULT_RETRIES: u32 = 2;

struct Inner {
    transport: Transport,
    inbox: String,
}

/// A client of one inbox's public API. Every method resolves to plain objects and
/// rejects with a `ChatwootError`.
///
/// @example
/// const api = new InboxClient({ baseUrl: "https://chat.example.com", inboxIdentifier: "abc" });
/// const contact = await api.createContact({ name: "Ana" });
#[wasm_bindgen]
pub struct InboxClient {
    inner: Rc<Inner>,
}

impl InboxClient {
    /// Sends, then turns the answer into what the promise resolves to; all failures
    /// become `ChatwootError`s. One async body serves every method.
    fn run(
        &self,
        what: &'static str,
        req: Result<Request, Error>,
        files: Vec<Blob>,
        opts: JsValue,
        shape: Shape,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        let opts = args::call_options(&opts);
        promise(async move {
            let text = transport::send(&inner.transport, &req?, &files, opts?).await?;
            reply(what, &text, shape)
        })
    }

    fn source(&self, source_id: &JsValue) -> Result<String, Error> {
        args::string(source_id, "sourceId")
    }

    /// A request that names only the session and the conversation.
    fn on_conversation(
        &self,
        source_id: &JsValue,
        conversation_id: f64,
        build: fn(&str, &str, f64) -> Result<Request, Error>,
    ) -> Result<Request, Error> {
        build(&self.inner.inbox, &self.source(source_id)?, conversation_id)
    }
}

#[wasm_bindgen]
impl InboxClient {
    /// Creates a client. Throws a `ChatwootError` (`invalid_argument`) for a bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "InboxClientOptions")] options: JsValue,
    ) -> Result<InboxClient, JsValue> {
        Self::build(&options).map_err(to_js)
    }

    fn build(o: &JsValue) -> Result<InboxClient, Error> {
        if !o.is_object() {
            return Err(Error::invalid_argument(
                "InboxClient needs { baseUrl, inboxIdentifier }",
            ));
        }
        let base_url = args::base_url(&field(o, "baseUrl"))?;
        let inbox = args::string(&field(o, "inboxIdentifier"), "inboxIdentifier")?;
        api::path::segment("inboxIdentifier", &inbox)?;
        let retries = args::opt_number(&field(o, "retries"), "retries")?
            .map_or(DEFAULT_RETRIES, |r| r.min(10.0) as u32);
        let transport = Transport {
            base_url,
            fetch: args::opt_function(&field(o, "fetch"), "fetch")?,
            timeout_ms: args::opt_number(&field(o, "timeoutMs"), "timeoutMs")?
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            retries,
        };
        Ok(InboxClient {
            inner: Rc::new(Inner { transport, inbox }),
        })
    }

    /// Resolves to the inbox's details and working hours.
    #[wasm_bindgen(js_name = getInbox, unchecked_return_type = "Promise<Inbox>")]
    pub fn get_inbox(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        self.run(
            "inbox",
            api::inbox::get(&self.inner.inbox),
            Vec::new(),
            opts,
            Shape::One(&INBOX),
        )
    }

    /// Creates (or, with an existing `sourceId`, resumes) a contact session. Never retried.
    #[wasm_bindgen(js_name = createContact, unchecked_return_type = "Promise<ContactSession>")]
    pub fn create_contact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ContactInput | undefined")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = args::read(&input, "contact", ContactInput::read)
            .and_then(|i| api::contacts::create(&self.inner.inbox, i));
        self.run(
            "contact session",
            req,
            Vec::new(),
            opts,
            Shape::One(&CONTACT_SESSION),
        )
    }

    /// Resolves to the contact session; with `identity` it also verifies it (HMAC).
    #[wasm_bindgen(js_name = getContact, unchecked_return_type = "Promise<ContactSession>")]
    pub fn get_contact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Identity | undefined")] identity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.source(&source_id).and_then(|s| {
            let identity = args::read(&identity, "identity", Identity::read)?;
            api::contacts::get(&self.inner.inbox, &s, identity)
        });
        self.run(
            "contact session",
            req,
            Vec::new(),
            opts,
            Shape::One(&CONTACT_SESSION),
        )
    }

    /// Updates the contact; blank values are ignored, custom attributes merged.
    #[wasm_bindgen(js_name = updateContact, unchecked_return_type = "Promise<Contact>")]
    pub fn update_contact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ContactInput")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.source(&source_id).and_then(|s| {
            let input = args::read(&input, "contact", ContactInput::read)?;
            api::contacts::update(&self.inner.inbox, &s, input)
        });
        self.run("contact", req, Vec::new(), opts, Shape::One(&CONTACT))
    }

    /// Resolves to the session's conversations, each with all its messages.
    #[wasm_bindgen(js_name = listConversations, unchecked_return_type = "Promise<Conversation[]>")]
    pub fn list_conversations(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self
            .source(&source_id)
            .and_then(|s| api::conversations::list(&self.inner.inbox, &s));
        self.run(
            "conversation list",
            req,
            Vec::new(),
            opts,
            Shape::List(&CONVERSATION),
        )
    }

    /// Starts a conversation (with lock-to-single on, resolves to the last one).
    #[wasm_bindgen(js_name = createConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn create_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConversationInput | undefined")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.source(&source_id).and_then(|s| {
            let attrs = args::read(&input, "conversation", |i| i.object("customAttributes"))?;
            api::conversations::create(&self.inner.inbox, &s, attrs)
        });
        self.run(
            "conversation",
            req,
            Vec::new(),
            opts,
            Shape::One(&CONVERSATION),
        )
    }

    /// Resolves to one conversation with all its messages.
    #[wasm_bindgen(js_name = getConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn get_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.on_conversation(&source_id, conversation_id, api::conversations::get);
        self.run(
            "conversation",
            req,
            Vec::new(),
            opts,
            Shape::One(&CONVERSATION),
        )
    }

    /// Resolves the conversation (a no-op when it already is).
    #[wasm_bindgen(js_name = resolveConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn resolve_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.on_conversation(&source_id, conversation_id, api::conversations::resolve);
        self.run(
            "conversation",
            req,
            Vec::new(),
            opts,
            Shape::One(&CONVERSATION),
        )
    }

    /// Tells agents the contact is typing (`"on"`) or stopped (`"off"`).
    #[wasm_bindgen(js_name = setTyping, unchecked_return_type = "Promise<void>")]
    pub fn set_typing(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "\"on\" | \"off\"")] status: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.source(&source_id).and_then(|s| {
            let status = args::string(&status, "typing status")?;
            api::conversations::set_typing(&self.inner.inbox, &s, conversation_id, &status)
        });
        self.run("", req, Vec::new(), opts, Shape::Empty)
    }

    /// Marks the conversation seen by the contact (agents' messages become read).
    #[wasm_bindgen(js_name = updateLastSeen, unchecked_return_type = "Promise<void>")]
    pub fn update_last_seen(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.on_conversation(
            &source_id,
            conversation_id,
            api::conversations::update_last_seen,
        );
        self.run("", req, Vec::new(), opts, Shape::Empty)
    }

    /// Resolves to 20 messages, ascending: the newest, or those before `before`;
    /// `[]` at the start of the history.
    #[wasm_bindgen(js_name = listMessages, unchecked_return_type = "Promise<Message[]>")]
    pub fn list_messages(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "{ before?: number } | undefined")] page: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.source(&source_id).and_then(|s| {
            let before = args::opt_number(&field(&page, "before"), "before")?;
            api::messages::list(&self.inner.inbox, &s, conversation_id, before)
        });
        self.run("message list", req, Vec::new(), opts, Shape::Page)
    }

    /// Sends a message as the contact, with optional files (multipart). Never retried:
    /// the server does not de-duplicate.
    #[wasm_bindgen(js_name = createMessage, unchecked_return_type = "Promise<Message>")]
    pub fn create_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        #[wasm_bindgen(unchecked_param_type = "MessageInput")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let mut files = Vec::new();
        let req = self.source(&source_id).and_then(|s| {
            let content = args::opt_string(&field(&input, "content"), "content")?;
            let echo_id = args::opt_string(&field(&input, "echoId"), "echoId")?;
            let list = field(&input, "attachments");
            if !(list.is_undefined() || list.is_null()) {
                let array: js_sys::Array = list.dyn_into().map_err(|_| {
                    Error::invalid_argument("attachments must be an array of Blob or File")
                })?;
                for item in array.iter() {
                    files.push(item.dyn_into::<Blob>().map_err(|_| {
                        Error::invalid_argument("attachments must be an array of Blob or File")
                    })?);
                }
            }
            api::messages::create(
                &self.inner.inbox,
                &s,
                conversation_id,
                content,
                echo_id,
                files.len(),
            )
        });
        self.run("message", req, files, opts, Shape::One(&MESSAGE))
    }

    /// Answers an interactive message (`input_select`, `form`, `cards`, `input_csat`).
    #[wasm_bindgen(js_name = updateMessage, unchecked_return_type = "Promise<Message>")]
    pub fn update_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        conversation_id: f64,
        message_id: f64,
        #[wasm_bindgen(
            unchecked_param_type = "{ submittedValues: SubmittedValue[] | { csatSurveyResponse: { rating: number; feedbackMessage?: string } } }"
        )]
        input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = self.source(&source_id).and_then(|s| {
            let values = submitted_values(&field(&input, "submittedValues"))?;
            api::messages::update(&self.inner.inbox, &s, conversation_id, message_id, values)
        });
        self.run("message", req, Vec::new(), opts, Shape::One(&MESSAGE))
    }

    /// Resolves to the CSAT survey of a resolved conversation (by its `uuid`).
    #[wasm_bindgen(js_name = getCsatSurvey, unchecked_return_type = "Promise<CsatSurvey>")]
    pub fn get_csat_survey(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] conversation_uuid: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req =
            args::string(&conversation_uuid, "conversationUuid").and_then(|u| api::csat::get(&u));
        self.run(
            "CSAT survey",
            req,
            Vec::new(),
            opts,
            Shape::One(&CSAT_SURVEY),
        )
    }

    /// Answers the CSAT survey (rating 1–5).
    #[wasm_bindgen(js_name = submitCsatSurvey, unchecked_return_type = "Promise<CsatSurvey>")]
    pub fn submit_csat_survey(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] conversation_uuid: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ rating: number; feedbackMessage?: string }")]
        input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = args::string(&conversation_uuid, "conversationUuid").and_then(|u| {
            let rating = field(&input, "rating").as_f64().unwrap_or(f64::NAN);
            api::csat::submit(
                &u,
                rating,
                args::opt_string(&field(&input, "feedbackMessage"), "feedbackMessage")?,
            )
        });
        self.run(
            "CSAT survey",
            req,
            Vec::new(),
            opts,
            Shape::One(&CSAT_SURVEY),
        )
    }
}

/// JS `submittedValues` → the server's `submitted_values` (see
/// [`api::messages::submitted_values`]).
pub(super) fn submitted_values(v: &JsValue) -> Result<crate::wire::raw::Raw, Error> {
    let text = args::json(v, "submittedValues")?;
    let doc = api::input::parse(&text, "submittedValues")?;
    api::messages::submitted_values(doc.root())
}
