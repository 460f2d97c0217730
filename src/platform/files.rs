//! Getting text out of the app: the clipboard and file downloads (built in the browser from
//! a Blob; nothing is uploaded).

use wasm_bindgen::{JsCast, JsValue};

/// Copies text; calls `done(true)` on success.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else {
        return done(false);
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Copies the text `text` will give, and tells `done` whether the browser took it. The
/// copy starts at once, inside the click that asked for it (index.html's `stratusCopy`
/// hands the clipboard a promise of the text): browsers that allow clipboard writes only
/// during a user's gesture (Safari, Firefox) accept it even though the text takes a moment.
pub fn copy_text_soon(
    text: impl std::future::Future<Output = String> + 'static,
    done: impl FnOnce(bool) + 'static,
) {
    let Some(window) = web_sys::window() else {
        return done(false);
    };
    let text =
        wasm_bindgen_futures::future_to_promise(async move { Ok(JsValue::from(text.await)) });
    let copy = super::dom::js_function(&window, "stratusCopy")
        .and_then(|f| f.call1(&window, &text).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    wasm_bindgen_futures::spawn_local(async move {
        let ok = match copy {
            Some(copy) => wasm_bindgen_futures::JsFuture::from(copy).await.is_ok(),
            // No stratusCopy (the in-browser tests' page): copy once the text is ready.
            None => match wasm_bindgen_futures::JsFuture::from(text).await {
                Ok(t) => return copy_text(&t.as_string().unwrap_or_default(), done),
                Err(_) => false,
            },
        };
        done(ok)
    });
}

/// Offers `text` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Renders an SVG to a PNG (twice its size, for sharp slides) and offers it as a download.
/// Everything happens in the page: the SVG becomes a data URL, is drawn on a canvas, and the
/// canvas becomes the file.
pub fn download_svg_as_png(
    filename: &str,
    svg: &str,
    width: f64,
    height: f64,
) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let image = web_sys::HtmlImageElement::new()?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    let scale = 2.0;
    canvas.set_width((width * scale) as u32);
    canvas.set_height((height * scale) as u32);
    let name = filename.to_string();
    let img = image.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Ok(Some(ctx)) = canvas.get_context("2d") else {
            return;
        };
        let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
            return;
        };
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, width * scale, height * scale);
        let _ = ctx.scale(scale, scale);
        let _ = ctx.draw_image_with_html_image_element(&img, 0.0, 0.0);
        if let Ok(url) = canvas.to_data_url_with_type("image/png") {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                if let Ok(a) = document.create_element("a").and_then(|a| {
                    a.dyn_into::<web_sys::HtmlAnchorElement>()
                        .map_err(|e| e.into())
                }) {
                    a.set_href(&url);
                    a.set_download(&name);
                    a.click();
                }
            }
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    let encoded = String::from(js_sys::encode_uri_component(svg));
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
    Ok(())
}
