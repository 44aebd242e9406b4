//! The browser's side of keeping the playground: IndexedDB, through web-sys.
//!
//! One database with two object stores: `meta` holds the meta record under the key `"meta"`,
//! `batches` the batch records under their numbers. Each save is one read-write transaction (the
//! batch records, then the meta record that counts them), so a save that fails (a full quota, a
//! closed tab) leaves what was kept before as it was. The core decides what to write
//! ([`Playground::save_work`]) and checks everything read back; this only moves bytes.

use crate::app::{Action, FileBytes, Playground, SaveWork, StorageAction, Stored};
use crate::ui::app::Shared;
use crate::ui::slices::run_chunks;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};
use yew::platform::{spawn_local, time::sleep};

/// The database the page keeps the playground in.
pub const DATABASE: &str = "es-playground";
const META: &str = "meta";
const BATCHES: &str = "batches";
/// How often the page looks for something to save.
const SAVE_EVERY: Duration = Duration::from_millis(300);
/// How long it waits after a failed save before trying again.
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// What the browser said, in a few words: a DOMException's name and message, or the value.
fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value
        .as_string()
        .unwrap_or_else(|| "the browser gave no reason".to_owned())
}

/// Waits for a request to succeed: its result, or what went wrong.
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(|e| describe(&e)),
        Err(_) => Err(match request.error() {
            Ok(Some(e)) => describe(&e),
            _ => "the request failed".to_owned(),
        }),
    }
}

/// Waits for a transaction to commit; on failure, what went wrong and whether the quota is full.
async fn committed(tx: &IdbTransaction) -> Result<(), (String, bool)> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(_) => Err(match tx.error() {
            Some(e) => (describe(&e), e.name() == "QuotaExceededError"),
            None => ("the transaction was aborted".to_owned(), false),
        }),
    }
}

/// Opens (or creates) database `name`.
pub async fn open(name: &str) -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or_else(|| "no window".to_owned())?
        .indexed_db()
        .map_err(|e| describe(&e))?
        .ok_or_else(|| "IndexedDB is switched off".to_owned())?;
    let request = factory.open_with_u32(name, 1).map_err(|e| describe(&e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            for store in [META, BATCHES] {
                if !db.object_store_names().contains(store) {
                    // A failure here fails the open request, which says why.
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = done(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    opened?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| "the database did not open".to_owned())
}

fn stores() -> JsValue {
    js_sys::Array::of2(&JsValue::from_str(META), &JsValue::from_str(BATCHES)).into()
}

/// A stored value's bytes (anything but bytes reads as no bytes: the core finds it damaged).
fn bytes_of(value: &JsValue) -> FileBytes {
    let bytes = value
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .unwrap_or_default();
    FileBytes(Rc::from(bytes))
}

/// Everything kept in `db`; `None` when nothing is.
pub async fn load(db: &IdbDatabase) -> Result<Option<Stored>, String> {
    let tx = db
        .transaction_with_str_sequence(&stores())
        .map_err(|e| describe(&e))?;
    let store = |name: &str| tx.object_store(name).map_err(|e| describe(&e));
    let meta = store(META)?
        .get(&JsValue::from_str("meta"))
        .map_err(|e| describe(&e))?;
    let batches = store(BATCHES)?;
    let values = batches.get_all().map_err(|e| describe(&e))?;
    let keys = batches.get_all_keys().map_err(|e| describe(&e))?;
    let meta = done(&meta).await?;
    let values = js_sys::Array::from(&done(&values).await?);
    let keys = js_sys::Array::from(&done(&keys).await?);
    if meta.is_undefined() && values.length() == 0 {
        return Ok(None);
    }
    let batches = keys
        .iter()
        .zip(values.iter())
        .map(|(key, value)| {
            // A key that is not a record number cannot be one of ours: it reads as an extra record.
            let number = key
                .as_f64()
                .filter(|k| k.fract() == 0.0 && *k >= 0.0 && *k < 1e15)
                .map_or(u64::MAX, |k| k as u64);
            (number, bytes_of(&value))
        })
        .collect();
    Ok(Some(Stored {
        meta: bytes_of(&meta),
        batches,
    }))
}

/// Writes one save in one transaction.
pub async fn write(db: &IdbDatabase, work: &SaveWork) -> Result<(), (String, bool)> {
    let failed = |e: JsValue| (describe(&e), false);
    let tx = db
        .transaction_with_str_sequence_and_mode(&stores(), IdbTransactionMode::Readwrite)
        .map_err(failed)?;
    let batches = tx.object_store(BATCHES).map_err(failed)?;
    if work.clear {
        batches.clear().map_err(failed)?;
    }
    for (index, bytes) in &work.batches {
        let value = js_sys::Uint8Array::from(bytes.as_slice());
        batches
            .put_with_key(&value, &JsValue::from_f64(*index as f64))
            .map_err(failed)?;
    }
    let meta = js_sys::Uint8Array::from(work.meta.as_slice());
    tx.object_store(META)
        .map_err(failed)?
        .put_with_key(&meta, &JsValue::from_str("meta"))
        .map_err(failed)?;
    committed(&tx).await
}

/// Loads what database `name` keeps into the page, calls `loaded` (with or without storage), then
/// saves every change, for as long as the page is mounted.
pub fn keep(shared: Shared, name: String, loaded: fn(&Shared)) {
    spawn_local(async move {
        let dispatch = |a: StorageAction| shared.dispatch.emit(Action::Storage(a));
        dispatch(StorageAction::Opening);
        let db = match open(&name).await {
            Ok(db) => db,
            Err(message) => {
                dispatch(StorageAction::Unavailable(message));
                return loaded(&shared);
            }
        };
        match load(&db).await {
            Ok(stored) => dispatch(StorageAction::Found(stored)),
            Err(message) => {
                dispatch(StorageAction::Unavailable(message));
                return loaded(&shared);
            }
        }
        run_chunks(
            &shared,
            |p: &Playground| p.restore_progress().is_some(),
            &Action::Storage(StorageAction::RestoreChunk),
        )
        .await;
        loaded(&shared);
        // The page holds the playground too, until it is unmounted.
        while Rc::strong_count(&shared.playground) > 1 {
            let work = shared.playground.borrow_mut().save_work();
            let Some(work) = work else {
                sleep(SAVE_EVERY).await;
                continue;
            };
            match write(&db, &work).await {
                Ok(()) => dispatch(StorageAction::Saved(work.ticket)),
                Err((message, quota)) => {
                    dispatch(StorageAction::SaveFailed {
                        ticket: work.ticket,
                        message,
                        quota,
                    });
                    sleep(RETRY_AFTER).await;
                }
            }
        }
        db.close();
    });
}
