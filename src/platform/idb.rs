//! Sandboxes in IndexedDB (indexed_db_futures): database `stratus`, object store
//! `sandboxes`, one record per sandbox keyed by its id, the value its JSON text.
//!
//! Records are stored as text so that a damaged record can be reported and skipped instead
//! of failing the whole list. Every failure becomes a [`StoreError`] with a sentence the
//! page can show; the app then keeps working in memory.

use crate::core::sandbox::{self, Sandbox};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

const DB_NAME: &str = "stratus";
const DB_VERSION: u8 = 1;
const STORE: &str = "sandboxes";

/// Why storage failed, in words for the user.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreError(pub String);

fn err(what: &str, e: impl std::fmt::Display) -> StoreError {
    let text = e.to_string();
    if text.contains("Quota") {
        return StoreError(format!(
            "{what}: the browser's storage for this site is full. Free some space, or export sandboxes to files."
        ));
    }
    if text.to_ascii_lowercase().contains("blocked") {
        return StoreError(format!(
            "{what}: another Stratus tab holds an older version of the database open. Close it and reload."
        ));
    }
    StoreError(format!("{what}: {}.", text.trim_end_matches('.')))
}

/// Opens (and on first use creates) the database.
pub async fn open() -> Result<Database, StoreError> {
    if web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .is_none()
    {
        return Err(StoreError(
            "This browser offers no IndexedDB here (some private modes turn it off). Your work stays in this tab only: export it to keep it."
                .into(),
        ));
    }
    let open = Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_blocked(|_| Ok(()))
        .with_on_upgrade_needed(|event, db| {
            if event.old_version() < 1.0 {
                db.create_object_store(STORE).build()?;
            }
            Ok(())
        });
    open.await
        .map_err(|e| err("Could not open saved sandboxes", e))
}

/// Every readable sandbox, and a message for each damaged record (skipped).
pub async fn list(db: &Database) -> Result<(Vec<Sandbox>, Vec<String>), StoreError> {
    let tx = db
        .transaction(STORE)
        .build()
        .map_err(|e| err("Could not read saved sandboxes", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("Could not read saved sandboxes", e))?;
    let records = store
        .get_all::<String>()
        .primitive()
        .map_err(|e| err("Could not read saved sandboxes", e))?
        .await
        .map_err(|e| err("Could not read saved sandboxes", e))?;
    let (mut ok, mut damaged) = (vec![], vec![]);
    for (n, r) in records.enumerate() {
        match r
            .map_err(|e| e.to_string())
            .and_then(|t| sandbox::from_json(&t))
        {
            Ok(s) => ok.push(s),
            Err(e) => damaged.push(format!(
                "Saved record {} could not be read and was skipped: {e}",
                n + 1
            )),
        }
    }
    Ok((ok, damaged))
}

/// Writes a sandbox (insert or replace). The span `stratus:autosave` covers the
/// main-thread part: serializing and handing the record to IndexedDB.
pub async fn put(db: &Database, s: &Sandbox) -> Result<(), StoreError> {
    crate::platform::dom::measure_start("stratus:autosave");
    let text = sandbox::to_json(s);
    write(db, &s.id, text, true).await
}

/// Writes a record as given (tests use it to plant a damaged record).
pub async fn put_raw(db: &Database, key: &str, text: &str) -> Result<(), StoreError> {
    write(db, key, text.to_string(), false).await
}

async fn write(db: &Database, key: &str, text: String, measured: bool) -> Result<(), StoreError> {
    let tx = db
        .transaction(STORE)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(|e| err("Could not save", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("Could not save", e))?;
    let request = store
        .put(text)
        .with_key(key.to_string())
        .primitive()
        .map_err(|e| err("Could not save", e))?;
    if measured {
        crate::platform::dom::measure_end("stratus:autosave");
    }
    request.await.map_err(|e| err("Could not save", e))?;
    tx.commit().await.map_err(|e| err("Could not save", e))
}

/// Deletes a sandbox.
pub async fn delete(db: &Database, id: &str) -> Result<(), StoreError> {
    let tx = db
        .transaction(STORE)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(|e| err("Could not delete", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("Could not delete", e))?;
    store
        .delete(id.to_string())
        .primitive()
        .map_err(|e| err("Could not delete", e))?
        .await
        .map_err(|e| err("Could not delete", e))?;
    tx.commit().await.map_err(|e| err("Could not delete", e))
}

/// Reads one sandbox; `Ok(None)` when absent.
pub async fn get(db: &Database, id: &str) -> Result<Option<Sandbox>, StoreError> {
    let tx = db
        .transaction(STORE)
        .build()
        .map_err(|e| err("Could not read a saved sandbox", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("Could not read a saved sandbox", e))?;
    let text: Option<String> = store
        .get(id.to_string())
        .primitive()
        .map_err(|e| err("Could not read a saved sandbox", e))?
        .await
        .map_err(|e| err("Could not read a saved sandbox", e))?;
    // Main-thread work of the check before each save: parsing the stored copy.
    crate::platform::dom::measure_start("stratus:check");
    let parsed = match text {
        None => Ok(None),
        Some(t) => sandbox::from_json(&t)
            .map(Some)
            .map_err(|e| StoreError(format!("The saved copy is damaged: {e}"))),
    };
    crate::platform::dom::measure_end("stratus:check");
    parsed
}
