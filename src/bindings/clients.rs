//! `InboxClient` (SPEC §3) and `AccountClient` (SPEC §5): one method per endpoint. Each
//! hands its arguments to the machine, which checks them and builds the request.

use js_sys::Promise;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::args::{call_options, files, function, get, options, plain, with};
use crate::driver::{js, Driver, Io};

/// A call: the plain arguments, then the plain part of the call options.
fn call(d: &Driver, method: &str, args: &[&JsValue], opts: &JsValue) -> Promise {
    call_with(d, method, args, opts, None)
}

fn call_with(
    d: &Driver,
    method: &str,
    args: &[&JsValue],
    opts: &JsValue,
    files: Option<js_sys::Array>,
) -> Promise {
    let built = (|| {
        let (o, mut rec) = call_options(opts)?;
        rec.files = files;
        let mut list = args
            .iter()
            .map(|a| plain(a))
            .collect::<Result<Vec<_>, _>>()?;
        list.push(o);
        Ok::<_, JsValue>((Value::Array(list), rec))
    })();
    match built {
        Ok((args, rec)) => d.call_async(method, &args, rec),
        Err(e) => Promise::reject(&e),
    }
}

fn driver(kind: &str, o: &JsValue) -> Result<Driver, JsValue> {
    let fetch = function(&get(o, "fetch"), "fetch")?;
    let data = options(o, &["fetch"])?;
    Driver::new(
        kind,
        &data,
        Io {
            fetch,
            ..Io::default()
        },
    )
    .map_err(|e| js::error(&e))
}

/// The public client API of one inbox: one method per endpoint, stateless.
#[wasm_bindgen]
pub struct InboxClient {
    d: Driver,
}

#[wasm_bindgen]
impl InboxClient {
    /// `new InboxClient({ baseUrl, inboxIdentifier, timeoutMs?, retries?, fetch? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<InboxClient, JsValue> {
        Ok(InboxClient {
            d: driver("inbox", &options)?,
        })
    }

    /// GET the inbox.
    #[wasm_bindgen(js_name = getInbox)]
    pub fn get_inbox(&self, opts: JsValue) -> Promise {
        call(&self.d, "getInbox", &[], &opts)
    }

    /// POST a contact.
    #[wasm_bindgen(js_name = createContact)]
    pub fn create_contact(&self, input: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "createContact", &[&input], &opts)
    }

    /// GET a contact session.
    #[wasm_bindgen(js_name = getContact)]
    pub fn get_contact(&self, source_id: JsValue, identity: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "getContact", &[&source_id, &identity], &opts)
    }

    /// PATCH a contact.
    #[wasm_bindgen(js_name = updateContact)]
    pub fn update_contact(&self, source_id: JsValue, input: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "updateContact", &[&source_id, &input], &opts)
    }

    /// GET the contact's conversations.
    #[wasm_bindgen(js_name = listConversations)]
    pub fn list_conversations(&self, source_id: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "listConversations", &[&source_id], &opts)
    }

    /// POST a conversation.
    #[wasm_bindgen(js_name = createConversation)]
    pub fn create_conversation(
        &self,
        source_id: JsValue,
        input: JsValue,
        opts: JsValue,
    ) -> Promise {
        call(&self.d, "createConversation", &[&source_id, &input], &opts)
    }

    /// GET a conversation.
    #[wasm_bindgen(js_name = getConversation)]
    pub fn get_conversation(&self, source_id: JsValue, id: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "getConversation", &[&source_id, &id], &opts)
    }

    /// Resolve a conversation (`toggle_status`).
    #[wasm_bindgen(js_name = resolveConversation)]
    pub fn resolve_conversation(&self, source_id: JsValue, id: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "resolveConversation", &[&source_id, &id], &opts)
    }

    /// `toggle_typing` `"on"` or `"off"`.
    #[wasm_bindgen(js_name = setTyping)]
    pub fn set_typing(
        &self,
        source_id: JsValue,
        id: JsValue,
        status: JsValue,
        opts: JsValue,
    ) -> Promise {
        call(&self.d, "setTyping", &[&source_id, &id, &status], &opts)
    }

    /// `update_last_seen`.
    #[wasm_bindgen(js_name = updateLastSeen)]
    pub fn update_last_seen(&self, source_id: JsValue, id: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "updateLastSeen", &[&source_id, &id], &opts)
    }

    /// GET a page of messages.
    #[wasm_bindgen(js_name = listMessages)]
    pub fn list_messages(
        &self,
        source_id: JsValue,
        id: JsValue,
        page: JsValue,
        opts: JsValue,
    ) -> Promise {
        call(&self.d, "listMessages", &[&source_id, &id, &page], &opts)
    }

    /// POST a message (JSON, or multipart with files).
    #[wasm_bindgen(js_name = createMessage)]
    pub fn create_message(
        &self,
        source_id: JsValue,
        id: JsValue,
        input: JsValue,
        opts: JsValue,
    ) -> Promise {
        let list = match files(&get(&input, "attachments")) {
            Ok(list) => list,
            Err(e) => return Promise::reject(&e),
        };
        let n = list.as_ref().map_or(0, js_sys::Array::length);
        let data = with(&input, "attachments", &JsValue::from_f64(f64::from(n)));
        call_with(
            &self.d,
            "createMessage",
            &[&source_id, &id, &data],
            &opts,
            list,
        )
    }

    /// PATCH a message's submitted values.
    #[wasm_bindgen(js_name = updateMessage)]
    pub fn update_message(
        &self,
        source_id: JsValue,
        id: JsValue,
        message_id: JsValue,
        input: JsValue,
        opts: JsValue,
    ) -> Promise {
        call(
            &self.d,
            "updateMessage",
            &[&source_id, &id, &message_id, &input],
            &opts,
        )
    }

    /// GET a conversation's CSAT survey.
    #[wasm_bindgen(js_name = getCsatSurvey)]
    pub fn get_csat_survey(&self, uuid: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "getCsatSurvey", &[&uuid], &opts)
    }

    /// PUT the answer to a CSAT survey.
    #[wasm_bindgen(js_name = submitCsatSurvey)]
    pub fn submit_csat_survey(&self, uuid: JsValue, input: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "submitCsatSurvey", &[&uuid, &input], &opts)
    }
}

/// Three endpoints of Chatwoot's application API, acting as an agent. **Trusted
/// contexts only**: it needs a user's `api_access_token`, which must never be shipped
/// in a public page.
#[wasm_bindgen]
pub struct AccountClient {
    d: Driver,
}

#[wasm_bindgen]
impl AccountClient {
    /// `new AccountClient({ baseUrl, accountId, apiAccessToken, timeoutMs?, retries?, fetch? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<AccountClient, JsValue> {
        Ok(AccountClient {
            d: driver("account", &options)?,
        })
    }

    /// A contact's conversations.
    #[wasm_bindgen(js_name = listContactConversations)]
    pub fn list_contact_conversations(&self, contact_id: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "listContactConversations", &[&contact_id], &opts)
    }

    /// One conversation.
    #[wasm_bindgen(js_name = getConversation)]
    pub fn get_conversation(&self, id: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "getConversation", &[&id], &opts)
    }

    /// Creates a conversation.
    #[wasm_bindgen(js_name = createConversation)]
    pub fn create_conversation(&self, input: JsValue, opts: JsValue) -> Promise {
        call(&self.d, "createConversation", &[&input], &opts)
    }
}
