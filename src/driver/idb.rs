//! The files of unconfirmed sends, kept beyond the page in IndexedDB (database
//! `chatwoot-inbox-sdk`, store `outbox-files`, keyed by echo id) so that the outbox can
//! send them after a reload. Where IndexedDB is missing or refuses (Node, a private
//! window, a sandboxed frame) nothing is kept and nothing is found.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "chatwoot-inbox-sdk";
const STORE: &str = "outbox-files";

/// Resolves with the request's `success` event (or `upgradeneeded`, for an open).
fn settled(req: &IdbRequest, upgrade: Option<&IdbOpenDbRequest>) -> JsFuture {
    let p = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
        if let Some(open) = upgrade {
            open.set_onupgradeneeded(Some(&resolve));
        }
    });
    JsFuture::from(p)
}

fn clear(req: &IdbRequest) {
    req.set_onsuccess(None);
    req.set_onerror(None);
}

/// The database, its store created on first use.
async fn open() -> Option<IdbDatabase> {
    let factory: IdbFactory = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let req = factory.open_with_u32(DATABASE, 1).ok()?;
    let event = settled(&req, Some(&req)).await;
    req.set_onupgradeneeded(None);
    let first = event.ok()?;
    let db: IdbDatabase = req.result().ok()?.dyn_into().ok()?;
    if Reflect::get(&first, &"type".into())
        .ok()?
        .as_string()
        .as_deref()
        == Some("upgradeneeded")
    {
        // Still inside the version change (a microtask of its event): the store is made,
        // then the open completes.
        db.create_object_store(STORE).ok()?;
        let done = settled(&req, None).await;
        clear(&req);
        done.ok()?;
    } else {
        clear(&req);
    }
    Some(db)
}

/// Runs one request on the store and resolves with its result.
async fn on_store(
    mode: IdbTransactionMode,
    run: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Option<JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, mode).ok()?;
    let store = tx.object_store(STORE).ok()?;
    let req = run(&store).ok()?;
    let done = settled(&req, None).await;
    clear(&req);
    let result = done.ok().and_then(|_| req.result().ok());
    db.close();
    result
}

/// Keeps `files` for send `echo`.
pub async fn put(echo: &str, files: &Array) {
    let key = JsValue::from_str(echo);
    let _ = on_store(IdbTransactionMode::Readwrite, |s| {
        s.put_with_key(files, &key)
    })
    .await;
}

/// Forgets the files of send `echo`.
pub async fn delete(echo: &str) {
    let key = JsValue::from_str(echo);
    let _ = on_store(IdbTransactionMode::Readwrite, |s| s.delete(&key)).await;
}

/// The files kept for send `echo`, if any.
pub async fn get(echo: &str) -> Option<Array> {
    let key = JsValue::from_str(echo);
    let found = on_store(IdbTransactionMode::Readonly, |s| s.get(&key)).await?;
    found.dyn_into::<Array>().ok().filter(|a| a.length() > 0)
}
