use leptos::ev::{DragEvent, Event};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use crate::engine::Engine;

/// Where files are dropped or chosen, and the sample-data button.
#[component]
pub fn DropZone(#[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let dragging = RwSignal::new(false);
    let on_change = move |ev: Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            if let Some(files) = input.files() {
                engine.load_files(&files);
            }
            // Allow choosing the same file again.
            input.set_value("");
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|dt| dt.files()) {
            engine.load_files(&files);
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p class="drop-title">"Drop CSV files here"</p>
            <p class="hint">"Comma, semicolon or tab separated; UTF-8 or Windows (Latin-1) text. You can drop several files."</p>
            <div class="drop-actions">
                <label class="button primary">
                    "Choose files…"
                    <input
                        type="file"
                        class="visually-hidden"
                        data-testid="file-input"
                        accept=".csv,.tsv,.txt,text/csv,text/plain"
                        multiple
                        on:change=on_change
                        prop:disabled=move || busy.get()
                    />
                </label>
                <span class="or">"or"</span>
                <button class="button" data-testid="load-sample" on:click=move |_| engine.load_sample() disabled=move || busy.get()>
                    "Try sample data"
                </button>
            </div>
            <p class="hint small">"The sample is a made-up online shop with 2,000 customers."</p>
        </div>
    }
}
