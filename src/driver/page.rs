//! `online`, `offline` and the page becoming visible: the socket reconnects at once.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

use super::js::count;
use crate::machine::Page;

/// Listeners on the global scope and the document, removed when dropped.
pub struct Watch {
    global: Option<EventTarget>,
    document: Option<EventTarget>,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

fn target(v: JsValue) -> Option<EventTarget> {
    let add = Reflect::get(&v, &JsValue::from_str("addEventListener")).ok()?;
    add.is_function().then(|| v.unchecked_into())
}

impl Watch {
    /// Starts reporting page events to `report`.
    pub fn start(report: impl Fn(Page) + 'static) -> Watch {
        let global = target(js_sys::global().into());
        let document = Reflect::get(&js_sys::global(), &JsValue::from_str("document"))
            .ok()
            .and_then(target);
        let doc = document.clone();
        let callback = Closure::wrap(Box::new(move |e: web_sys::Event| {
            let page = match e.type_().as_str() {
                "online" => Page::Online,
                "offline" => Page::Offline,
                _ => {
                    let visible = doc
                        .as_ref()
                        .and_then(|d| Reflect::get(d, &JsValue::from_str("visibilityState")).ok())
                        .and_then(|s| s.as_string());
                    if visible.as_deref() != Some("visible") {
                        return;
                    }
                    Page::Visible
                }
            };
            report(page);
        }) as Box<dyn FnMut(web_sys::Event)>);
        let f = callback.as_ref().unchecked_ref();
        if let Some(g) = &global {
            let _ = g.add_event_listener_with_callback("online", f);
            let _ = g.add_event_listener_with_callback("offline", f);
        }
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("visibilitychange", f);
        }
        if global.is_some() || document.is_some() {
            count(|l| l.listeners = l.listeners.saturating_add(1));
        }
        Watch {
            global,
            document,
            callback,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let f = self.callback.as_ref().unchecked_ref();
        if let Some(g) = &self.global {
            let _ = g.remove_event_listener_with_callback("online", f);
            let _ = g.remove_event_listener_with_callback("offline", f);
        }
        if let Some(d) = &self.document {
            let _ = d.remove_event_listener_with_callback("visibilitychange", f);
        }
        if self.global.is_some() || self.document.is_some() {
            count(|l| l.listeners = l.listeners.saturating_sub(1));
        }
    }
}
