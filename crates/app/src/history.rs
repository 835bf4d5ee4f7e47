//! The runs kept in this browser: each record in `localStorage` under a key
//! of its own (so that one failed write never loses another), and an index
//! of their ids, newest first.
//!
//! `localStorage` rather than IndexedDB: it is synchronous, and history
//! records are bounded (`RunRecord::for_history`, [`MAX_RUNS`]) to well
//! within its few megabytes. Every failure (storage disabled, quota full,
//! a record that no longer reads) comes back as a sentence for the page, in
//! the language of the catalogue each function is given.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::record::{clean_name, import, RunRecord};

/// Most runs kept; saving one more forgets the oldest.
pub const MAX_RUNS: usize = 30;

const INDEX_KEY: &str = "overlap.history.v1";
const RECORD_PREFIX: &str = "overlap.run.v1.";

/// A kept run and its id.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    /// Its key in the storage (unique in this browser).
    pub id: u64,
    /// The run.
    pub record: Rc<RunRecord>,
}

fn storage(text: &Catalogue) -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| text.get("history.no_storage"))
}

/// Why a write failed: `what` is the catalogue key of what was being
/// written (`history.failed.<what>.full` when the storage is full,
/// `history.failed.<what>.refused` otherwise).
fn failed(text: &Catalogue, what: &str, err: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    let name = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()))
        .unwrap_or_default();
    if name == "QuotaExceededError" {
        text.get(&format!("history.failed.{what}.full"))
    } else {
        text.fill(
            &format!("history.failed.{what}.refused"),
            &[("error", &name)],
        )
    }
}

fn read_index(storage: &web_sys::Storage) -> Vec<u64> {
    storage
        .get_item(INDEX_KEY)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str::<Vec<u64>>(&text).ok())
        .unwrap_or_default()
}

fn write_index(text: &Catalogue, storage: &web_sys::Storage, ids: &[u64]) -> Result<(), String> {
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    storage
        .set_item(INDEX_KEY, &json)
        .map_err(|e| failed(text, "index", &e))
}

/// Every kept run, newest first, and what could not be read (if anything).
pub fn load(text: &Catalogue) -> (Vec<Kept>, Option<String>) {
    let storage = match storage(text) {
        Ok(s) => s,
        Err(why) => return (Vec::new(), Some(text.fill("history.off", &[("why", &why)]))),
    };
    let mut unreadable: u64 = 0;
    let kept: Vec<Kept> = read_index(&storage)
        .into_iter()
        .filter_map(|id| {
            let json = storage
                .get_item(&format!("{RECORD_PREFIX}{id}"))
                .ok()
                .flatten()?;
            match import(&json, "history") {
                Ok(record) => Some(Kept {
                    id,
                    record: Rc::new(record),
                }),
                Err(_) => {
                    unreadable += 1;
                    None
                }
            }
        })
        .collect();
    let problem = (unreadable > 0)
        .then(|| text.fill_count("history.unreadable", unreadable, &[("n", &unreadable)]));
    (kept, problem)
}

/// Keeps `record` (bounded for the storage) as the newest run; forgets the
/// oldest beyond [`MAX_RUNS`]. Returns the kept run.
pub fn save(text: &Catalogue, record: &RunRecord, existing: &[Kept]) -> Result<Kept, String> {
    let storage = storage(text)?;
    let record = record.for_history();
    let id = existing
        .iter()
        .map(|k| k.id)
        .max()
        .unwrap_or(0)
        .max(js_sys::Date::now() as u64)
        + 1;
    storage
        .set_item(&format!("{RECORD_PREFIX}{id}"), &record.to_json())
        .map_err(|e| failed(text, "run", &e))?;
    let mut ids: Vec<u64> = std::iter::once(id)
        .chain(existing.iter().map(|k| k.id))
        .collect();
    for old in ids.split_off(ids.len().min(MAX_RUNS)) {
        let _ = storage.remove_item(&format!("{RECORD_PREFIX}{old}"));
    }
    if let Err(why) = write_index(text, &storage, &ids) {
        let _ = storage.remove_item(&format!("{RECORD_PREFIX}{id}"));
        return Err(why);
    }
    Ok(Kept {
        id,
        record: Rc::new(record),
    })
}

/// Renames kept run `id` (the name is cleaned as every name is).
pub fn rename(text: &Catalogue, kept: &Kept, name: &str) -> Result<Kept, String> {
    let storage = storage(text)?;
    let mut record = (*kept.record).clone();
    record.name = clean_name(name, &record.name);
    storage
        .set_item(&format!("{RECORD_PREFIX}{}", kept.id), &record.to_json())
        .map_err(|e| failed(text, "name", &e))?;
    Ok(Kept {
        id: kept.id,
        record: Rc::new(record),
    })
}

/// Forgets kept run `id`.
pub fn delete(text: &Catalogue, id: u64, existing: &[Kept]) -> Result<(), String> {
    let storage = storage(text)?;
    let ids: Vec<u64> = existing.iter().map(|k| k.id).filter(|&k| k != id).collect();
    write_index(text, &storage, &ids)?;
    let _ = storage.remove_item(&format!("{RECORD_PREFIX}{id}"));
    Ok(())
}

/// Forgets every kept run.
pub fn clear(text: &Catalogue, existing: &[Kept]) -> Result<(), String> {
    let storage = storage(text)?;
    write_index(text, &storage, &[])?;
    for k in existing {
        let _ = storage.remove_item(&format!("{RECORD_PREFIX}{}", k.id));
    }
    Ok(())
}
