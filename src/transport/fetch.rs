//! `fetch` with a per-call deadline, the caller's `AbortSignal`, and retries for
//! idempotent requests. One `AbortController` per call covers all three: the deadline
//! and the caller's signal abort it, and backoff sleeps wake on it.

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, Blob, FormData, Headers, RequestCredentials, RequestInit,
    RequestMode, Response,
};

use super::retry;
use crate::api::{Body, Request};
use crate::error::{Error, ErrorCode};
use crate::wire::error_body::ErrorBody;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`: windows, workers and Node alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Promise;
    /// The global `setTimeout`.
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub(crate) fn clear_timeout(id: &JsValue);
}

/// Where and how a client sends.
pub struct Transport {
    /// `https://host`, no trailing slash.
    pub base_url: String,
    /// An injected `fetch`, else the global one.
    pub fetch: Option<Function>,
    /// Default deadline of one call, retries included.
    pub timeout_ms: f64,
    /// How many times an idempotent call is repeated after a retryable failure.
    pub retries: u32,
}

/// Per-call options (`{ signal?, timeoutMs? }`).
#[derive(Default)]
pub struct CallOptions {
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// Overrides the client's deadline.
    pub timeout_ms: Option<f64>,
}

/// Sends `req` (with `files` as `attachments[]` parts) and resolves to the answer's
/// text (checked UTF-8; `""` for the empty-body routes).
pub async fn send(
    t: &Transport,
    req: &Request,
    files: &[Blob],
    opts: CallOptions,
) -> Result<String, Error> {
    if opts.signal.as_ref().is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let controller = AbortController::new()
        .map_err(|_| Error::new(ErrorCode::Network, "AbortController is not available"))?;
    let abort = bound_abort(&controller)?;
    let timeout_ms = opts.timeout_ms.unwrap_or(t.timeout_ms);
    let timer = set_timeout(&abort, timeout_ms);
    if let Some(signal) = &opts.signal {
        let _ = signal.add_event_listener_with_callback("abort", &abort);
    }
    let result = attempts(t, req, files, &controller, opts.signal.as_ref()).await;
    clear_timeout(&timer);
    if let Some(signal) = &opts.signal {
        let _ = signal.remove_event_listener_with_callback("abort", &abort);
    }
    result
}

async fn attempts(
    t: &Transport,
    req: &Request,
    files: &[Blob],
    controller: &AbortController,
    caller: Option<&AbortSignal>,
) -> Result<String, Error> {
    let url = [t.base_url.as_str(), req.path.as_str()].concat();
    let mut attempt: u32 = 0;
    loop {
        let outcome = once(t, &url, req, files, controller).await;
        let stopped = |e: Error| {
            if caller.is_some_and(AbortSignal::aborted) {
                aborted()
            } else if controller.signal().aborted() {
                Error::new(ErrorCode::Timeout, "the request took longer than timeoutMs")
            } else {
                e
            }
        };
        let error = match outcome {
            Ok(value) => return Ok(value),
            Err(e) => stopped(e),
        };
        let retryable = match error.code {
            ErrorCode::Network => true,
            ErrorCode::RateLimited => true,
            ErrorCode::Http | ErrorCode::Identity => {
                error.status.is_some_and(retry::retryable_status)
            }
            _ => false,
        };
        if !req.idempotent || !retryable || attempt >= t.retries {
            return Err(error);
        }
        attempt = attempt.saturating_add(1);
        sleep(
            retry::delay_ms(attempt, error.retry_after_ms, js_sys::Math::random()),
            &controller.signal(),
        )
        .await;
        if controller.signal().aborted() {
            return Err(stopped(error));
        }
    }
}

async fn once(
    t: &Transport,
    url: &str,
    req: &Request,
    files: &[Blob],
    controller: &AbortController,
) -> Result<String, Error> {
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    // Chatwoot's CORS allows no credentials: never send cookies.
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(&controller.signal()));
    let headers = Headers::new().map_err(|_| network())?;
    let _ = headers.set("Accept", "application/json");
    match &req.body {
        Body::Empty => {}
        Body::Json(text) => {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&JsValue::from_str(text));
        }
        Body::Multipart(fields) => {
            let form = FormData::new().map_err(|_| network())?;
            for (k, v) in fields {
                let _ = form.append_with_str(k, v);
            }
            for file in files {
                // The part's own Content-Type (the Blob's type) decides the file_type.
                let name = Reflect::get(file, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .unwrap_or_else(|| "attachment".into());
                let _ = form.append_with_blob_and_filename("attachments[]", file, &name);
            }
            init.set_body(&form);
        }
    }
    init.set_headers(&headers);
    let promise = match &t.fetch {
        Some(f) => f
            .call2(&JsValue::UNDEFINED, &url.into(), &init)
            .map_err(|_| network())?
            .dyn_into::<Promise>()
            .map_err(|_| network())?,
        None => global_fetch(url, &init),
    };
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(|_| network())?
        .dyn_into()
        .map_err(|_| network())?;
    let status = response.status();
    // The bytes, not `text()`: a body that is not UTF-8 is a decode error, not text
    // with replacement characters.
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| network())?)
        .await
        .map_err(|_| network())?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    if (200..300).contains(&status) {
        if req.empty_answer {
            return Ok(String::new());
        }
        return String::from_utf8(bytes).map_err(|e| {
            let text = String::from_utf8_lossy(e.as_bytes());
            Error::decode("answer", "the body is not UTF-8 text", &text)
        });
    }
    let text = String::from_utf8_lossy(&bytes);
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|v| retry::parse_retry_after(&v, js_sys::Date::now()));
    Err(Error::from_status(
        status,
        &text,
        ErrorBody::parse(&text),
        retry_after,
        req.contacts_route,
    ))
}

/// Resolves after `ms`, or as soon as `signal` aborts.
async fn sleep(ms: f64, signal: &AbortSignal) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = set_timeout(&resolve, ms);
        let _ = signal.add_event_listener_with_callback("abort", &resolve);
    });
    let _ = JsFuture::from(promise).await;
}

/// `controller.abort` bound to its controller: a plain JS function, so no Rust closure
/// has to outlive the call.
fn bound_abort(controller: &AbortController) -> Result<Function, Error> {
    let abort: Function = Reflect::get(controller, &"abort".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(network)?;
    Ok(abort.bind0(controller))
}

fn network() -> Error {
    Error::new(ErrorCode::Network, "the request could not reach the server")
}

fn aborted() -> Error {
    Error::new(ErrorCode::Aborted, "the request was aborted by its signal")
}
