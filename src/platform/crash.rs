//! The panic hook.
//!
//! A panic kills a wasm app: the module traps and every later call into it fails. The hook
//! therefore hands the report to `window.stratusCrash(summary, details)`, a plain JavaScript
//! function defined in `index.html`, which hides the dead app and shows the error banner
//! whose "copy details" and "reload" buttons do not depend on the wasm module.

use crate::core::crash::CrashReport;
use std::panic::PanicHookInfo;
use wasm_bindgen::JsValue;

/// The panic hook. Install it with `yew::set_custom_panic_hook` (Yew replaces a hook set
/// with `std::panic::set_hook` by its own when the app is rendered).
pub fn hook(info: &PanicHookInfo<'_>) {
    report(&from_panic(info));
}

fn from_panic(info: &PanicHookInfo<'_>) -> CrashReport {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let window = web_sys::window();
    CrashReport {
        message,
        location: info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())),
        url: window
            .as_ref()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default(),
        user_agent: window
            .as_ref()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Logs the report and shows the banner. Never panics itself.
pub fn report(report: &CrashReport) {
    let details = report.details();
    web_sys::console::error_1(&JsValue::from_str(&details));
    let show = web_sys::window().and_then(|w| super::dom::js_function(&w, "stratusCrash"));
    if let Some(show) = show {
        let _ = show.call2(
            &JsValue::NULL,
            &JsValue::from_str(&report.summary()),
            &JsValue::from_str(&details),
        );
    }
}
