//! Where a session remembers its contact: `localStorage`, `sessionStorage`, memory, or
//! the caller's `{ getItem, setItem, removeItem }` (which may answer with promises).

use std::cell::RefCell;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A session's storage.
pub enum Storage {
    /// This page's memory (also where the named storage is missing or refused).
    Memory(RefCell<Vec<(String, String)>>),
    /// An object with `getItem`, `setItem` and `removeItem`.
    Js(JsValue),
}

const METHODS: [&str; 3] = ["getItem", "setItem", "removeItem"];

fn method(o: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(o, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

impl Storage {
    /// The `storage` option: `"local"` (default), `"session"`, `"memory"` or an object;
    /// `None` for anything else.
    pub fn from_option(v: &JsValue) -> Option<Storage> {
        if v.is_undefined() || v.is_null() {
            return Some(named("localStorage"));
        }
        match v.as_string().as_deref() {
            Some("local") => return Some(named("localStorage")),
            Some("session") => return Some(named("sessionStorage")),
            Some("memory") => return Some(memory()),
            Some(_) => return None,
            None => {}
        }
        (v.is_object() && METHODS.iter().all(|m| method(v, m).is_some()))
            .then(|| Storage::Js(v.clone()))
    }

    /// Reads `key`; `None` when absent or when the storage fails.
    pub async fn get(&self, key: &str) -> Option<String> {
        match self {
            Storage::Memory(m) => m
                .borrow()
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
            Storage::Js(o) => {
                let got = method(o, "getItem")?
                    .call1(o, &JsValue::from_str(key))
                    .ok()?;
                let value = JsFuture::from(js_sys::Promise::resolve(&got)).await.ok()?;
                value.as_string()
            }
        }
    }

    /// Writes `key` (`None` removes it). A failure (quota, say) is ignored: the session
    /// works, it is just not remembered.
    pub fn set(&self, key: &str, value: Option<&str>) {
        match self {
            Storage::Memory(m) => {
                let mut m = m.borrow_mut();
                m.retain(|(k, _)| k != key);
                if let Some(v) = value {
                    m.push((key.to_owned(), v.to_owned()));
                }
            }
            Storage::Js(o) => {
                let key = JsValue::from_str(key);
                let _ = match value {
                    Some(v) => {
                        method(o, "setItem").map(|f| f.call2(o, &key, &JsValue::from_str(v)))
                    }
                    None => method(o, "removeItem").map(|f| f.call1(o, &key)),
                };
            }
        }
    }
}

fn memory() -> Storage {
    Storage::Memory(RefCell::new(Vec::new()))
}

/// A storage of the global scope by name; memory where there is none (Node, workers)
/// or reading it throws (sandboxed frames).
fn named(name: &str) -> Storage {
    match Reflect::get(&js_sys::global(), &JsValue::from_str(name)) {
        Ok(s) if s.is_object() && method(&s, "getItem").is_some() => Storage::Js(s),
        _ => memory(),
    }
}
