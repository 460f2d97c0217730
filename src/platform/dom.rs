//! Attributes on the document element that CSS and tests read.

use crate::core::prefs::{Prefs, Theme};

/// The function `name` of a JavaScript object (`window.stratusCrash`, a helper module's
/// export); `None` when it is missing or not a function.
pub fn js_function(target: &wasm_bindgen::JsValue, name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(target, &wasm_bindgen::JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// Sets or removes an attribute on `<html>`, ignoring a missing document.
fn set_root_attr(name: &str, value: Option<&str>) {
    if let Some(root) = root() {
        let _ = match value {
            Some(value) => root.set_attribute(name, value),
            None => root.remove_attribute(name),
        };
    }
}

/// Reflects display preferences on `<html>`: `data-theme` is present only for an explicit
/// light or dark choice (the stylesheet follows `prefers-color-scheme` otherwise), and
/// `data-presenter="on"` switches to large type.
pub fn apply_prefs(prefs: Prefs) {
    let theme = match prefs.theme {
        Theme::System => None,
        other => Some(other.as_str()),
    };
    set_root_attr("data-theme", theme);
    set_root_attr("data-presenter", prefs.presenter.then_some("on"));
}

/// Marks the app as interactive: end-to-end tests and the startup benchmark wait for
/// `html[data-ready]`.
pub fn mark_ready() {
    set_root_attr("data-ready", Some("true"));
}

/// The page is about to be replaced (a route of another module): tests and tools waiting for
/// `data-ready` wait for the next module.
pub fn unmark_ready() {
    set_root_attr("data-ready", None);
}

/// Reloads the page; index.html's loader then starts the module of the current route.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// Sets the document title.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// The root font size in CSS pixels (16 normally, more in presenter mode).
pub fn root_font_px() -> f64 {
    let px = web_sys::window()
        .and_then(|w| {
            let root = w.document()?.document_element()?;
            w.get_computed_style(&root).ok().flatten()
        })
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|v| crate::core::parse_float::parse_f64(v.trim_end_matches("px")));
    px.filter(|p| p.is_finite() && *p > 0.0).unwrap_or(16.0)
}

/// Starts a User Timing span (`performance.mark`); [`measure_end`] closes it. Benchmarks
/// read the spans (`stratus:open`, `stratus:autosave`) with `performance.getEntriesByName`.
pub fn measure_start(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(&format!("{name}:start"));
    }
}

/// Ends the span started by [`measure_start`].
pub fn measure_end(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, &format!("{name}:start"));
    }
}

/// Calls `f` whenever the page is hidden (`visibilitychange` to hidden: a tab switch, the
/// phone's home button, the start of a close) or left (`pagehide`: reload, navigation,
/// close). Those are the last moments work can be kept. The listeners live as long as the
/// returned value.
pub fn on_page_hide(f: impl Fn() + 'static) -> Option<[gloo::events::EventListener; 3]> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let f = std::rc::Rc::new(f);
    let on_pagehide = {
        let f = f.clone();
        gloo::events::EventListener::new(&window, "pagehide", move |_| f())
    };
    // Asked for by code that reads the address now (an embed's "Open in Stratus").
    let on_request = {
        let f = f.clone();
        gloo::events::EventListener::new(&window, FLUSH_EVENT, move |_| f())
    };
    let on_visibility = {
        let doc = document.clone();
        gloo::events::EventListener::new(&document, "visibilitychange", move |_| {
            if doc.hidden() {
                f()
            }
        })
    };
    Some([on_pagehide, on_visibility, on_request])
}

/// The event [`request_flush`] sends.
const FLUSH_EVENT: &str = "stratus:flush";

/// Writes pending state now (the URL of every tool on the page), as [`on_page_hide`]
/// listeners do when the page goes away.
pub fn request_flush() {
    if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new(FLUSH_EVENT)) {
        let _ = w.dispatch_event(&e);
    }
}

/// Whether this page was loaded by a reload (Navigation Timing's `type`), when known.
pub fn is_reload() -> bool {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return false;
    };
    let entries = perf.get_entries_by_type("navigation");
    let first = entries.get(0);
    js_sys::Reflect::get(&first, &"type".into())
        .ok()
        .and_then(|t| t.as_string())
        .is_some_and(|t| t == "reload")
}
