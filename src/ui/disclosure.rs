//! A `<details>` panel whose open state lives in a signal, so that a panel drawn again
//! (the results after a rename) stays as open as the user left it.

use leptos::prelude::*;

/// Whether the `<details>` element of a `toggle` event is now open (`None` for another
/// element).
pub fn details_open(ev: &leptos::ev::Event) -> Option<bool> {
    use wasm_bindgen::JsCast;
    let details = ev
        .target()?
        .dyn_into::<web_sys::HtmlDetailsElement>()
        .ok()?;
    Some(details.open())
}

/// `<details class=class>` open while `open` is true; opening or closing it sets `open`.
/// The children start with its `<summary>`.
#[component]
pub fn Disclosure(class: &'static str, open: RwSignal<bool>, children: Children) -> impl IntoView {
    view! {
        <details
            class=class
            prop:open=move || open.get()
            on:toggle=move |ev| {
                if let Some(o) = details_open(&ev) {
                    open.set(o);
                }
            }
        >
            {children()}
        </details>
    }
}
