//! Calls into a helper module: wasm with no page of its own, which index.html's
//! `stratusHelper(name)` loads the first time a page needs it (scripts/build-modules.mjs
//! builds every `stratus-helper-*` binary as one). Its files are precached by the service
//! worker like every module's, so a helper works offline too.

use super::dom::js_function;
use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls `function` of the helper module `helper` with string arguments and returns its
/// string answer. `Err` says what failed (no loader in this page, the module would not
/// load, no such function, a trap inside it); nothing here panics.
pub async fn call(helper: &str, function: &str, args: &[&str]) -> Result<String, String> {
    let (window, module) = load(helper).await?;
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

/// The page's window and the helper module's exports, loaded once a visit by index.html's
/// `stratusHelper`.
async fn load(helper: &str) -> Result<(web_sys::Window, JsValue), String> {
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
    Ok((window, module))
}

/// A part of the page drawn by a helper module's own app ([`mount`]). Dropping it takes the
/// part down (the module's `destroy`).
pub struct Mounted {
    helper: String,
    handle: JsValue,
    _emit: Closure<dyn Fn(String)>,
}

impl Mounted {
    /// Hands the part new input (the module's `update`). `Err` says what failed.
    pub fn update(&self, input: &str) -> Result<(), String> {
        let f = js_function(&self.handle, "update")
            .ok_or_else(|| format!("The {} module cannot be updated.", self.helper))?;
        f.call1(&self.handle, &JsValue::from_str(input))
            .map(|_| ())
            .map_err(|e| {
                web_sys::console::error_2(
                    &JsValue::from_str(&format!("{}.update", self.helper)),
                    &e,
                );
                format!("The {} module failed: {}.", self.helper, describe(&e))
            })
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(f) = js_function(&self.handle, "destroy") {
            let _ = f.call0(&self.handle);
        }
    }
}

/// Has helper module `helper` draw into `root`: its `mount(root, input, emit)` starts an app
/// there with `input` (text both sides agree on) and returns a handle with `update(input)`
/// and `destroy()`. The module answers by calling `emit` with text. `Err` says what failed;
/// nothing here panics.
pub async fn mount(
    helper: &str,
    root: &web_sys::Element,
    input: &str,
    emit: Box<dyn Fn(String)>,
) -> Result<Mounted, String> {
    let (_, module) = load(helper).await?;
    let f = js_function(&module, "mount")
        .ok_or_else(|| format!("The {helper} module has no function mount."))?;
    let emit = Closure::<dyn Fn(String)>::new(emit);
    let handle = f
        .call3(
            &JsValue::NULL,
            root,
            &JsValue::from_str(input),
            emit.as_ref(),
        )
        .map_err(|e| {
            web_sys::console::error_2(&JsValue::from_str(&format!("{helper}.mount")), &e);
            format!("The {helper} module failed to start: {}.", describe(&e))
        })?;
    Ok(Mounted {
        helper: helper.to_string(),
        handle,
        _emit: emit,
    })
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}
