//! Calls into a helper module: wasm with no page of its own, which index.html's
//! `stratusHelper(name)` loads the first time a page needs it (scripts/build-modules.mjs
//! builds every `stratus-helper-*` binary as one). Its files are precached by the service
//! worker like every module's, so a helper works offline too.

use super::dom::js_function;
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls `function` of the helper module `helper` with string arguments and returns its
/// string answer. `Err` says what failed (no loader in this page, the module would not
/// load, no such function, a trap inside it); nothing here panics.
pub async fn call(helper: &str, function: &str, args: &[&str]) -> Result<String, String> {
    let window = web_sys::window().ok_or("This page has no window.")?;
    let loader = js_function(&window, "stratusHelper")
        .ok_or("This page cannot load helper modules (index.html's stratusHelper is missing).")?;
    let promise = loader
        .call1(&window, &JsValue::from_str(helper))
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or_else(|| format!("The {helper} module could not be asked for."))?;
    let module = JsFuture::from(promise)
        .await
        .map_err(|e| format!("The {helper} module did not load: {}.", describe(&e)))?;
    let f = js_function(&module, function)
        .ok_or_else(|| format!("The {helper} module has no function {function}."))?;
    let list = Array::new();
    for a in args {
        list.push(&JsValue::from_str(a));
    }
    let answer = f.apply(&JsValue::NULL, &list).map_err(|e| {
        // A trap leaves the instance's memory as it was mid-call: the loader forgets it, so
        // the next call starts a fresh one. The error goes to the console for a bug report.
        if let Some(forget) = js_function(&window, "stratusHelperForget") {
            let _ = forget.call2(&window, &JsValue::from_str(helper), &module);
        }
        web_sys::console::error_2(&JsValue::from_str(&format!("{helper}.{function}")), &e);
        format!(
            "The {helper} module failed in {function}: {}.",
            describe(&e)
        )
    })?;
    answer
        .as_string()
        .ok_or_else(|| format!("The {helper} module's {function} gave no text."))
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}
