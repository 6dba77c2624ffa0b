//! One request, decoded into a model type: shared by `InboxClient` and `ChatSession`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::Blob;

use crate::api::Request;
use crate::error::Error;
use crate::model::{Contact, ContactSession, Conversation, CsatSurvey, Inbox, Message};
use crate::transport::{self, CallOptions, Transport};

/// How an answer becomes the model type.
pub trait Decode: DeserializeOwned + Serialize {
    /// Normalises after decoding.
    fn finish(self) -> Self {
        self
    }
}
impl Decode for Inbox {}
impl Decode for ContactSession {}
impl Decode for Contact {}
impl Decode for CsatSurvey {}
impl Decode for Message {
    fn finish(self) -> Self {
        self.normalise()
    }
}
impl Decode for Conversation {
    fn finish(self) -> Self {
        self.normalise()
    }
}
impl Decode for Vec<Conversation> {
    fn finish(self) -> Self {
        self.into_iter().map(Conversation::normalise).collect()
    }
}
impl Decode for Vec<Message> {
    fn finish(self) -> Self {
        crate::model::message_list(self)
    }
}

/// Sends `req` and decodes the answer into `T` (`what` names it in a decode error).
pub async fn call<T: Decode>(
    transport: &Transport,
    what: &str,
    req: &Request,
    files: &[Blob],
    opts: CallOptions,
) -> Result<T, Error> {
    let json = transport::send(transport, req, files, opts).await?;
    let value: T = serde_wasm_bindgen::from_value(json.clone()).map_err(|e| {
        let body = js_sys::JSON::stringify(&json)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        Error::decode(what, &e.to_string(), &body)
    })?;
    Ok(value.finish())
}

/// A model value as the plain JavaScript object the SPEC promises.
pub fn to_plain<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::decode("value", &e.to_string(), ""))
}
