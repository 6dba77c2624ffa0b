//! Reading what JavaScript passed in, refusing bad input with `invalid_argument`
//! before any request is made.

use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::api::input::{self, Input};
use crate::error::Error;
use crate::transport::CallOptions;

/// `obj[key]`, `undefined` when `obj` is not an object.
pub fn field(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A required string argument.
pub fn string(v: &JsValue, what: &str) -> Result<String, Error> {
    v.as_string()
        .ok_or_else(|| Error::invalid_argument([what, " must be a string"].concat()))
}

/// An optional string option (`undefined`/`null` = absent).
pub fn opt_string(v: &JsValue, what: &str) -> Result<Option<String>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    string(v, what).map(Some)
}

/// An optional non-negative number option.
pub fn opt_number(v: &JsValue, what: &str) -> Result<Option<f64>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(Error::invalid_argument(
            [what, " must be a non-negative number"].concat(),
        )),
    }
}

/// An optional function option.
pub fn opt_function(v: &JsValue, what: &str) -> Result<Option<Function>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.clone()
        .dyn_into()
        .map(Some)
        .map_err(|_| Error::invalid_argument([what, " must be a function"].concat()))
}

/// A plain-data argument as its JSON text (`JSON.stringify`); `undefined` is `null`.
pub fn json(v: &JsValue, what: &str) -> Result<String, Error> {
    if v.is_undefined() {
        return Ok("null".into());
    }
    JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::invalid_argument([what, " must be plain JSON data"].concat()))
}

/// Reads a plain-data argument (an object, or `undefined`/`null` for none) with `f`.
pub fn read<T>(
    v: &JsValue,
    what: &'static str,
    f: impl FnOnce(Input<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let text = json(v, what)?;
    let doc = input::parse(&text, what)?;
    f(Input::new(doc.root(), what)?)
}

/// `{ signal?, timeoutMs? }`.
pub fn call_options(v: &JsValue) -> Result<CallOptions, Error> {
    if !(v.is_undefined() || v.is_null() || v.is_object()) {
        return Err(Error::invalid_argument("options must be an object"));
    }
    let signal = field(v, "signal");
    let signal = if signal.is_undefined() || signal.is_null() {
        None
    } else {
        Some(
            signal
                .dyn_into::<AbortSignal>()
                .map_err(|_| Error::invalid_argument("signal must be an AbortSignal"))?,
        )
    };
    Ok(CallOptions {
        signal,
        timeout_ms: opt_number(&field(v, "timeoutMs"), "timeoutMs")?,
    })
}

/// Checks a base URL: `http(s)://host[:port]`, nothing after the authority.
pub fn base_url(v: &JsValue) -> Result<String, Error> {
    let url = string(v, "baseUrl")?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let ok = rest.is_some_and(|authority| {
        !authority.is_empty() && !authority.contains(['/', '?', '#', '@', ' ', '\\'])
    });
    if ok {
        Ok(url)
    } else {
        Err(Error::invalid_argument(
            "baseUrl must be the server's http(s) origin, such as \"https://chat.example.com\", without a path or trailing slash",
        ))
    }
}
