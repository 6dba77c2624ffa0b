//! `InboxClient`: one method per public endpoint, stateless (SPEC §3).

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::Blob;

use super::args::{self, field};
use super::call::{call, to_plain, Decode};
use super::errors::to_js;
use crate::api::{self, Request};
use crate::error::Error;
use crate::model::{Contact, ContactSession, Conversation, CsatSurvey, Inbox, Message};
use crate::transport::{self, Transport};
use crate::wire::raw::Raw;

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
    /// Sends and decodes into `T`; all failures become `ChatwootError`s.
    fn run<T: Decode + 'static>(
        &self,
        what: &'static str,
        req: Result<Request, Error>,
        files: Vec<Blob>,
        opts: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let req = req.map_err(to_js)?;
            let opts = args::call_options(&opts).map_err(to_js)?;
            let value: T = call(&inner.transport, what, &req, &files, opts)
                .await
                .map_err(to_js)?;
            to_plain(&value).map_err(to_js)
        })
    }

    /// Sends a request whose answer has no body.
    fn run_void(&self, req: Result<Request, Error>, opts: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let req = req.map_err(to_js)?;
            let opts = args::call_options(&opts).map_err(to_js)?;
            transport::send(&inner.transport, &req, &[], opts)
                .await
                .map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
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
        self.run::<Inbox>(
            "inbox",
            api::inbox::get(&self.inner.inbox),
            Vec::new(),
            opts,
        )
    }

    /// Creates (or, with an existing `sourceId`, resumes) a contact session. Never retried.
    #[wasm_bindgen(js_name = createContact, unchecked_return_type = "Promise<ContactSession>")]
    pub fn create_contact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ContactInput | undefined")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let req = args::input(&input, "contact")
            .and_then(|i| api::contacts::create(&self.inner.inbox, i));
        self.run::<ContactSession>("contact session", req, Vec::new(), opts)
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
            api::contacts::get(&self.inner.inbox, &s, args::input(&identity, "identity")?)
        });
        self.run::<ContactSession>("contact session", req, Vec::new(), opts)
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
            api::contacts::update(&self.inner.inbox, &s, args::input(&input, "contact")?)
        });
        self.run::<Contact>("contact", req, Vec::new(), opts)
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
        self.run::<Vec<Conversation>>("conversation list", req, Vec::new(), opts)
    }

    /// Starts a conversation (with lock-to-single on, resolves to the last one).
    #[wasm_bindgen(js_name = createConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn create_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConversationInput | undefined")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] opts: JsValue,
    ) -> Promise {
        let attrs = field(&input, "customAttributes");
        let attrs = (attrs.is_object()).then(|| Raw(attrs));
        let req = self
            .source(&source_id)
            .and_then(|s| api::conversations::create(&self.inner.inbox, &s, attrs));
        self.run::<Conversation>("conversation", req, Vec::new(), opts)
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
        self.run::<Conversation>("conversation", req, Vec::new(), opts)
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
        self.run::<Conversation>("conversation", req, Vec::new(), opts)
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
        self.run_void(req, opts)
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
        self.run_void(req, opts)
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
        self.run::<Vec<Message>>("message list", req, Vec::new(), opts)
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
        self.run::<Message>("message", req, files, opts)
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
        self.run::<Message>("message", req, Vec::new(), opts)
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
        self.run::<CsatSurvey>("CSAT survey", req, Vec::new(), opts)
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
        self.run::<CsatSurvey>("CSAT survey", req, Vec::new(), opts)
    }
}

/// JS `submittedValues` → the server's `submitted_values`: an array passes as is; the
/// CSAT object is re-keyed to snake_case.
pub(super) fn submitted_values(v: &JsValue) -> Result<Raw, Error> {
    if js_sys::Array::is_array(v) {
        return Ok(Raw(v.clone()));
    }
    let csat = field(v, "csatSurveyResponse");
    if csat.is_object() {
        let rating = field(&csat, "rating");
        let feedback = field(&csat, "feedbackMessage");
        let response = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&response, &"rating".into(), &rating);
        if !feedback.is_undefined() {
            let _ = js_sys::Reflect::set(&response, &"feedback_message".into(), &feedback);
        }
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &"csat_survey_response".into(), &response);
        return Ok(Raw(out.into()));
    }
    Err(Error::invalid_argument(
        "submittedValues must be an array of { title, value } or { csatSurveyResponse }",
    ))
}
