//! The query part of the URL fragment (`#/cidr?v=1&s=...`), where tools keep their state.

use wasm_bindgen::JsValue;

/// The text after `?` in the fragment, or "".
pub fn fragment_query() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.split_once('?')
        .map(|(_, q)| q.to_string())
        .unwrap_or_default()
}

/// The page address with the fragment's query replaced, e.g. for a share link.
pub fn with_fragment_query(query: &str) -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let location = window.location();
    let href = location.href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let path = hash.split('?').next().unwrap_or("#/");
    if query.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?{query}")
    }
}

/// Rewrites the fragment's query in place: no navigation, no history entry, no request.
pub fn replace_fragment_query(query: &str) {
    let url = with_fragment_query(query);
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
