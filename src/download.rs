//! Saving a file the page made, without any network request: a Blob, an object URL and a
//! click on a temporary link.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `bytes` as a download named `file_name`.
pub fn download(file_name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let err = |e: JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(err)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(err)?;
    download_url(file_name, &url)?;
    // Give the browser a moment to start the download before releasing the data.
    let release = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(release.unchecked_ref(), 10_000)
        .map_err(err)?;
    Ok(())
}

/// Offers the (object or data) URL `url` as a download named `file_name`.
pub fn download_url(file_name: &str, url: &str) -> Result<(), String> {
    let err = |e: JsValue| format!("{e:?}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not a link")?;
    link.set_href(url);
    link.set_download(file_name);
    link.style().set_property("display", "none").map_err(err)?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&link).map_err(err)?;
    link.click();
    link.remove();
    Ok(())
}

/// A detached canvas of `width × height` pixels filled with `background`, for pictures
/// made to be downloaded.
pub fn blank_canvas(
    width: u32,
    height: u32,
    background: &str,
) -> Result<
    (
        web_sys::HtmlCanvasElement,
        web_sys::CanvasRenderingContext2d,
    ),
    String,
> {
    let err = |e: JsValue| format!("{e:?}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    canvas.set_width(width);
    canvas.set_height(height);
    let cx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(err)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context")?;
    cx.set_fill_style_str(background.trim());
    cx.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    Ok((canvas, cx))
}

/// The value of the CSS custom property `name` (`--surface`) as `el` sees it.
pub fn css_var(el: &web_sys::Element, name: &str) -> Option<String> {
    web_sys::window()?
        .get_computed_style(el)
        .ok()??
        .get_property_value(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().to_owned())
}
