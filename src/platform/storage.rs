//! Small synchronous key-value settings in `localStorage` (display preferences).
//!
//! Workspaces will live in IndexedDB; local storage only holds a few short strings, and is
//! read synchronously by `index.html` before the app loads so the first paint is right.

use wasm_bindgen::JsValue;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a value; `None` when absent or when storage is unavailable.
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes a value. Storage that is missing or full is reported on the console, not fatal:
/// the preference still applies to this page, it just will not be remembered.
pub fn set(key: &str, value: &str) {
    let result = match local_storage() {
        Some(storage) => storage.set_item(key, value),
        None => Err(JsValue::from_str("local storage is not available")),
    };
    if let Err(err) = result {
        web_sys::console::warn_2(
            &JsValue::from_str(&format!("Stratus could not remember the setting {key}:")),
            &err,
        );
    }
}

/// Writes a value without reporting failures; `false` when it could not be stored (no
/// storage, or full).
pub fn try_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Reads and removes every value whose key starts with `prefix`.
pub fn take_prefixed(prefix: &str) -> Vec<String> {
    let Some(s) = local_storage() else {
        return vec![];
    };
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect();
    keys.iter()
        .filter_map(|k| {
            let v = s.get_item(k).ok().flatten();
            let _ = s.remove_item(k);
            v
        })
        .collect()
}

/// Removes a value, if present.
pub fn remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keeps a value for this tab only (until it is closed), e.g. across a reload.
pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Reads a value kept with [`session_set`].
pub fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

/// Reads and removes a value kept with [`session_set`].
pub fn session_take(key: &str) -> Option<String> {
    let s = session_storage()?;
    let v = s.get_item(key).ok().flatten();
    let _ = s.remove_item(key);
    v
}
