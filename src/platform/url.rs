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

/// The page address without its fragment ("https://host/path/").
pub fn base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
        .split('#')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The route of the fragment without its query: "#/embed/lambda?v=1" → "/embed/lambda".
pub fn fragment_path() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let path = hash.split('?').next().unwrap_or_default();
    path.trim_start_matches('#').to_string()
}

/// Rewrites the fragment's query in place: no navigation, no history entry, no request.
/// Options only an embed understands (`ro=1`) stay in place: a tool writing its state does
/// not turn a read-only embed into an editable one on reload.
///
/// Nothing is written while `index.html` is inflating a short link opened in the tab
/// (`stratusLinkPending`): the page is about to read that link, and writing its own state
/// now would put it in the link's place.
pub fn replace_fragment_query(query: &str) {
    let pending = web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &JsValue::from_str("stratusLinkPending"))
            .is_ok_and(|v| v.is_truthy())
    });
    if pending {
        return;
    }
    let kept: Vec<String> = fragment_query()
        .split('&')
        .filter(|p| crate::core::share::is_embed_option(p))
        .map(str::to_string)
        .collect();
    let query = if kept.is_empty() {
        query.to_string()
    } else if query.is_empty() {
        kept.join("&")
    } else {
        format!("{query}&{}", kept.join("&"))
    };
    let url = with_fragment_query(&query);
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
