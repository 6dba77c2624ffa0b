//! Arguments from JavaScript: plain data through serde-wasm-bindgen, and what stays a
//! JavaScript object (an `AbortSignal`, files, callbacks) taken apart first.

use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::driver::js::invalid;
use crate::driver::Rec;

/// How deep an argument may nest (a caller's custom attributes, say).
const MAX_DEPTH: u32 = 64;

/// A plain-data value (`undefined` is `null`); anything else (functions, cycles, data
/// nested deeper than [`MAX_DEPTH`]) is an `invalid_argument`.
pub fn plain(v: &JsValue) -> Result<Value, JsValue> {
    if v.is_undefined() {
        return Ok(Value::Null);
    }
    let d = serde_wasm_bindgen::Deserializer::from(v.clone());
    Limited(MAX_DEPTH)
        .deserialize(d)
        .map_err(|_| invalid("arguments must be plain JSON data"))
}

/// Reads any value as a [`Value`], refusing one nested deeper than its limit (the
/// recursion would otherwise exhaust the stack).
struct Limited(u32);

impl<'de> DeserializeSeed<'de> for Limited {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Limited {
    type Value = Value;
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("plain JSON data")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut list = Vec::new();
        while let Some(v) = seq.next_element_seed(Limited(inner))? {
            list.push(v);
        }
        Ok(Value::Array(list))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut o = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Limited(inner))?;
            o.insert(k, v);
        }
        Ok(Value::Object(o))
    }
}

impl Limited {
    fn deeper<E: serde::de::Error>(&self) -> Result<u32, E> {
        self.0
            .checked_sub(1)
            .ok_or_else(|| E::custom("nested too deeply"))
    }
}

/// The member `key` of `v` (`undefined` when there is none or `v` is not an object).
pub fn get(v: &JsValue, key: &str) -> JsValue {
    if !v.is_object() && !v.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn given(v: &JsValue) -> bool {
    !v.is_undefined() && !v.is_null()
}

/// An optional function option.
pub fn function(v: &JsValue, what: &str) -> Result<Option<Function>, JsValue> {
    if !given(v) {
        return Ok(None);
    }
    v.dyn_ref::<Function>()
        .cloned()
        .map(Some)
        .ok_or_else(|| invalid(&[what, " must be a function"].concat()))
}

/// The options object of a constructor: plain data, without the keys that are
/// JavaScript objects (`fetch`, `WebSocket`, `storage`).
pub fn options(v: &JsValue, skip: &[&str]) -> Result<Value, JsValue> {
    if !v.is_object() {
        return plain(v);
    }
    let copy = Object::assign(&Object::new(), v.unchecked_ref());
    for key in skip {
        let _ = Reflect::delete_property(&copy, &JsValue::from_str(key));
    }
    plain(&copy)
}

/// A call's options `{ signal?, timeoutMs?, onUploadProgress? }`: the plain part for
/// the machine, the rest for the driver.
pub fn call_options(opts: &JsValue) -> Result<(Value, Rec), JsValue> {
    if !given(opts) {
        return Ok((Value::Null, Rec::default()));
    }
    if !opts.is_object() {
        return Err(invalid("options must be an object"));
    }
    let signal = get(opts, "signal");
    let signal = if given(&signal) {
        Some(
            signal
                .dyn_into::<AbortSignal>()
                .map_err(|_| invalid("signal must be an AbortSignal"))?,
        )
    } else {
        None
    };
    let progress = function(&get(opts, "onUploadProgress"), "onUploadProgress")?;
    let mut plain_opts = Map::new();
    let timeout = get(opts, "timeoutMs");
    if !timeout.is_undefined() {
        plain_opts.insert("timeoutMs".to_owned(), plain(&timeout)?);
    }
    let progress = progress.map(|f| {
        Rc::new(move |update: JsValue| {
            // A throwing callback is the page's fault, not the upload's.
            let _ = f.call1(&JsValue::UNDEFINED, &update);
        }) as crate::driver::http::Progress
    });
    Ok((
        Value::Object(plain_opts),
        Rec {
            signal,
            files: None,
            progress,
        },
    ))
}

/// `attachments`: an array of `Blob`s (or `File`s), or nothing.
pub fn files(v: &JsValue) -> Result<Option<Array>, JsValue> {
    if !given(v) {
        return Ok(None);
    }
    let wrong = || invalid("attachments must be an array of Blob or File");
    let list = v.dyn_ref::<Array>().ok_or_else(wrong)?;
    if list.iter().all(|b| b.is_instance_of::<web_sys::Blob>()) {
        Ok(Some(list.clone()))
    } else {
        Err(wrong())
    }
}

/// A copy of object `v` with `key` set to `value` (a non-object stays as it is).
pub fn with(v: &JsValue, key: &str, value: &JsValue) -> JsValue {
    if !v.is_object() {
        return v.clone();
    }
    let copy = Object::assign(&Object::new(), v.unchecked_ref());
    let _ = Reflect::set(&copy, &JsValue::from_str(key), value);
    copy.into()
}
