use leptos::html::Figure;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlImageElement;

use crate::charts::axis::inline_css_vars;
use crate::download::{blank_canvas, css_var, download, download_url};

/// A chart with its caption and SVG and PNG downloads (made in the page, no network).
/// `name` gives `data-testid="chart-<name>"` and the file names.
#[component]
pub fn ChartFrame(
    name: &'static str,
    #[prop(into)] title: String,
    #[prop(into)] caption: String,
    children: Children,
) -> impl IntoView {
    let figure = NodeRef::<Figure>::new();
    let save = move |png: bool| {
        let Some(svg) = figure.get_untracked().and_then(|f| svg_text(&f)) else {
            return;
        };
        let file = format!(
            "segmenta_{}.{}",
            name.replace('-', "_"),
            if png { "png" } else { "svg" }
        );
        let result = if png {
            svg_to_png(&svg, file)
        } else {
            download(&file, svg.as_bytes(), "image/svg+xml")
        };
        if let Err(e) = result {
            leptos::logging::warn!("chart export failed: {e}");
        }
    };
    view! {
        <figure class="chart" node_ref=figure data-testid=format!("chart-{name}")>
            <figcaption><strong>{title}</strong>" — "{caption}</figcaption>
            {children()}
            <div class="chart-actions">
                <button type="button" class="button small" on:click=move |_| save(false)>"Download SVG"</button>
                <button type="button" class="button small" on:click=move |_| save(true)>"Download PNG"</button>
            </div>
        </figure>
    }
}

/// The chart's SVG as a standalone file: colours from the page's theme written in.
fn svg_text(figure: &web_sys::HtmlElement) -> Option<String> {
    let svg = figure.query_selector("svg").ok()??;
    let style = web_sys::window()?.get_computed_style(&svg).ok()??;
    let mut text = inline_css_vars(&svg.outer_html(), |name| {
        style
            .get_property_value(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
    });
    if !text.contains("xmlns=") {
        text = text.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1);
    }
    Some(text)
}

/// Draws `svg` on a canvas at twice its size over the page's background and downloads it.
fn svg_to_png(svg: &str, file: String) -> Result<(), String> {
    let err = |e: JsValue| format!("{e:?}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let image: HtmlImageElement = document
        .create_element("img")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "not an image")?;
    let background = document
        .document_element()
        .and_then(|root| css_var(&root, "--surface"))
        .unwrap_or_else(|| "#ffffff".into());
    let loaded = image.clone();
    let onload = Closure::once_into_js(move || {
        let draw = || -> Result<(), String> {
            let (w, h) = (
                loaded.natural_width().max(1) * 2,
                loaded.natural_height().max(1) * 2,
            );
            let (canvas, cx) = blank_canvas(w, h, &background)?;
            cx.draw_image_with_html_image_element_and_dw_and_dh(
                &loaded,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .map_err(err)?;
            download_url(
                &file,
                &canvas.to_data_url_with_type("image/png").map_err(err)?,
            )
        };
        if let Err(e) = draw() {
            leptos::logging::warn!("PNG export failed: {e}");
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    let encoded = String::from(js_sys::encode_uri_component(svg));
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
    Ok(())
}
