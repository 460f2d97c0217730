//! Share links made short with the browser's own deflate (`CompressionStream`, through
//! index.html's `stratusPack`), so a page's module carries no deflate code of its own
//! (docs/size.md). Which pairs are packed, and when the packed form is used, is
//! `core::share::compact_with`'s rule; the core's `compact` applies the same rule with
//! `miniz_oxide`, and both forms read back through `core::share::from_query`.

use super::dom::js_function;
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Deflates `text` (raw deflate) and codes it as unpadded base64url; `None` when this page
/// cannot (no `stratusPack`, as in the in-browser tests, or a browser without
/// `CompressionStream`).
async fn pack(text: &str) -> Option<String> {
    let window = web_sys::window()?;
    let f = js_function(&window, "stratusPack")?;
    let promise = f
        .call1(&window, &JsValue::from_str(text))
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

/// `query` made short as `core::share::compact` makes it, once the browser has deflated it
/// (a moment). Where the browser cannot deflate, the query keeps its payload readable
/// (`s=…`): a longer link that opens the same.
pub async fn compacted(query: String) -> String {
    let mut packed = Vec::new();
    for json in crate::core::share::packable(&query) {
        packed.push(pack(&json).await);
    }
    // `compact_with` offers the payloads in `packable`'s order.
    let mut packed = packed.into_iter();
    crate::core::share::compact_with(&query, &mut |_| packed.next().flatten())
}

/// [`compacted`], handed to `done`.
pub fn compact(query: String, done: impl FnOnce(String) + 'static) {
    wasm_bindgen_futures::spawn_local(async move { done(compacted(query).await) });
}
