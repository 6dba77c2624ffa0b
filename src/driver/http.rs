//! HTTP: gloo-net's `fetch` (windows, workers and Node alike), the caller's injected
//! `fetch` through js-sys, or, for an upload somebody watches, `XMLHttpRequest`
//! (fetch reports no upload progress). No request carries cookies.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::oneshot;
use gloo_net::http::{Request, Response};
use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, FormData, RequestCredentials, RequestInit, RequestMode};

/// Told `{ loaded, total }` as an upload goes out.
pub type Progress = Rc<dyn Fn(JsValue)>;

/// One request, as the machine describes it.
pub struct Outgoing {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// Base URL + path.
    pub url: String,
    /// A JSON body.
    pub body: Option<String>,
    /// Multipart text fields; the files follow as `attachments[]`.
    pub form: Option<Vec<(&'static str, String)>>,
    /// The files of a multipart body.
    pub files: Option<Array>,
    /// The application API's token.
    pub token: Option<String>,
}

/// An answer: its status, `Retry-After` and body.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The `Retry-After` header, where the server sent (and exposed) one.
    pub retry_after: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// The body as JavaScript sends it.
fn body(req: &Outgoing) -> Option<JsValue> {
    if let Some(json) = &req.body {
        return Some(JsValue::from_str(json));
    }
    let fields = req.form.as_ref()?;
    let form = FormData::new().ok()?;
    for (k, v) in fields {
        let _ = form.append_with_str(k, v);
    }
    for blob in req.files.iter().flat_map(|a| a.iter()) {
        let name = Reflect::get(&blob, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "attachment".to_owned());
        // Each part keeps its own Content-Type: it decides the server's file_type.
        if let Some(blob) = blob.dyn_ref::<web_sys::Blob>() {
            let _ = form.append_with_blob_and_filename("attachments[]", blob, &name);
        }
    }
    Some(form.into())
}

fn headers(req: &Outgoing) -> Vec<(&'static str, String)> {
    let mut h = vec![("Accept", "application/json".to_owned())];
    if req.body.is_some() {
        h.push(("Content-Type", "application/json".to_owned()));
    }
    if let Some(token) = &req.token {
        h.push(("api_access_token", token.clone()));
    }
    h
}

/// Sends `req`; `Err` is a network failure (or the request was aborted).
pub async fn send(
    req: Outgoing,
    signal: &AbortSignal,
    injected: Option<&Function>,
    progress: Option<Progress>,
) -> Result<Answer, ()> {
    let body = body(&req);
    let form = body.as_ref().and_then(|b| b.dyn_ref::<FormData>().cloned());
    let has_xhr = Reflect::get(&js_sys::global(), &JsValue::from_str("XMLHttpRequest"))
        .is_ok_and(|x| x.is_function());
    if let (Some(progress), Some(form), None, true) = (progress, &form, injected, has_xhr) {
        return xhr(&req, form.clone(), signal, progress).await;
    }
    let init = init(&req, body.as_ref(), signal);
    let response = match injected {
        Some(f) => injected_fetch(&req.url, &init, f).await?,
        None => {
            // gloo-net sends it (its `fetch` binding works in windows, workers and
            // Node). Built from one `Request`: gloo-net's own builder makes a `Request`,
            // a `URL` and a second `Request` for each call, 14% of a call's time here.
            let request =
                web_sys::Request::new_with_str_and_init(&req.url, &init).map_err(|_| ())?;
            Request::from(request).send().await.map_err(|_| ())?
        }
    };
    Ok(Answer {
        status: response.status(),
        retry_after: response.headers().get("Retry-After"),
        body: response.binary().await.map_err(|_| ())?,
    })
}

/// The request's options, as `fetch` takes them: no credentials, CORS, the caller's
/// (or the deadline's) abort signal.
fn init(req: &Outgoing, body: Option<&JsValue>, signal: &AbortSignal) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(req.method);
    let h = Object::new();
    for (k, v) in headers(req) {
        let _ = Reflect::set(&h, &JsValue::from_str(k), &JsValue::from_str(&v));
    }
    init.set_headers(&h);
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(signal));
    if let Some(body) = body {
        init.set_body(body);
    }
    init
}

/// The caller's `fetch(url, init)`.
async fn injected_fetch(url: &str, init: &RequestInit, f: &Function) -> Result<Response, ()> {
    let promise = f
        .call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)
        .map_err(|_| ())?;
    let response = JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .map_err(|_| ())?;
    // Only a real `Response` is read (a look-alike without `headers.get` would throw
    // inside gloo-net).
    let response = response.dyn_into::<web_sys::Response>().map_err(|_| ())?;
    Ok(Response::from(response))
}

/// Whether the server exposed header `name` to this origin (asking for one it did not
/// logs a console error).
fn exposed(x: &web_sys::XmlHttpRequest, name: &str) -> bool {
    let all = x
        .get_all_response_headers()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let prefix = [name.to_ascii_lowercase().as_str(), ":"].concat();
    all.split("\r\n").any(|line| line.starts_with(&prefix))
}

/// The same request over `XMLHttpRequest`, with `progress({ loaded, total })` as the
/// bytes go out.
async fn xhr(
    req: &Outgoing,
    form: FormData,
    signal: &AbortSignal,
    progress: Progress,
) -> Result<Answer, ()> {
    let x = web_sys::XmlHttpRequest::new().map_err(|_| ())?;
    x.open(req.method, &req.url).map_err(|_| ())?;
    x.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
    x.set_with_credentials(false);
    for (k, v) in headers(req) {
        let _ = x.set_request_header(k, &v);
    }
    let on_progress = Closure::wrap(Box::new(move |e: web_sys::ProgressEvent| {
        let total = if e.length_computable() {
            JsValue::from_f64(e.total())
        } else {
            JsValue::NULL
        };
        let update = Object::new();
        let _ = Reflect::set(
            &update,
            &JsValue::from_str("loaded"),
            &JsValue::from_f64(e.loaded()),
        );
        let _ = Reflect::set(&update, &JsValue::from_str("total"), &total);
        progress(update.into());
    }) as Box<dyn FnMut(web_sys::ProgressEvent)>);
    if let Ok(upload) = x.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let (tx, rx) = oneshot::channel::<bool>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = |ok: bool| {
        let tx = Rc::clone(&tx);
        Closure::wrap(Box::new(move || {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(ok);
            }
        }) as Box<dyn FnMut()>)
    };
    let (loaded, failed) = (done(true), done(false));
    x.set_onload(Some(loaded.as_ref().unchecked_ref()));
    x.set_onerror(Some(failed.as_ref().unchecked_ref()));
    x.set_onabort(Some(failed.as_ref().unchecked_ref()));
    x.set_ontimeout(Some(failed.as_ref().unchecked_ref()));
    let target = x.clone();
    let abort = Closure::wrap(Box::new(move || {
        let _ = target.abort();
    }) as Box<dyn FnMut()>);
    if signal.aborted() {
        return Err(());
    }
    let _ = signal.add_event_listener_with_callback("abort", abort.as_ref().unchecked_ref());
    let sent = x.send_with_opt_form_data(Some(&form)).is_ok();
    let ok = sent && rx.await.unwrap_or(false);
    let _ = signal.remove_event_listener_with_callback("abort", abort.as_ref().unchecked_ref());
    x.set_onload(None);
    x.set_onerror(None);
    x.set_onabort(None);
    x.set_ontimeout(None);
    if let Ok(upload) = x.upload() {
        upload.set_onprogress(None);
    }
    if !ok {
        return Err(());
    }
    let body = x
        .response()
        .ok()
        .filter(|r| r.is_object())
        .map(|r| Uint8Array::new(&r).to_vec())
        .unwrap_or_default();
    Ok(Answer {
        status: x.status().map_err(|_| ())?,
        retry_after: exposed(&x, "Retry-After")
            .then(|| x.get_response_header("Retry-After").ok().flatten())
            .flatten(),
        body,
    })
}
