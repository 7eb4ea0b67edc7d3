use leptos::prelude::*;

use crate::engine::Engine;
use crate::protocol::FileView;
use crate::reading::{FIELDS, with_missing_token};

/// How the file was read, with every detected setting open to correction. Changing a
/// setting reads the file again and updates the preview.
#[component]
pub fn ReadingOptions(
    #[prop(into)] file: Signal<Option<FileView>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    // The panel re-renders after every re-read; its open state must outlive that.
    let open = RwSignal::new(false);
    let reread = move |change: &dyn Fn(
        segmenta_core::ingest::ReadOptions,
    ) -> segmenta_core::ingest::ReadOptions| {
        if let Some(f) = file.get_untracked() {
            let options = change(f.options.clone());
            if options != f.options {
                engine.reparse(f.index, options);
            }
        }
    };
    move || {
        let f = file.get()?;
        let selects = FIELDS
            .into_iter()
            .map(|field| {
                let current = field.current(&f.options);
                let choices = field
                    .choices(&f.detected)
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value selected=value == current>{label}</option> })
                    .collect_view();
                view! {
                    <div class="field compact">
                        <label for=field.id()>{field.label()}</label>
                        <select
                            id=field.id()
                            data-testid=field.id()
                            disabled=move || busy.get()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                reread(&|o| field.apply(o, &value));
                            }
                        >
                            {choices}
                        </select>
                    </div>
                }
            })
            .collect_view();
        let token = f.options.missing_token.clone().unwrap_or_default();
        // Column kinds are chosen in the table below, not here.
        let customized = segmenta_core::ingest::ReadOptions {
            columns: Default::default(),
            ..f.options.clone()
        } != segmenta_core::ingest::ReadOptions::default();
        Some(view! {
            <details
                class="reading-options"
                prop:open=move || open.get() || customized
                on:toggle=move |ev| {
                    if let Some(o) = crate::ui::details_open(&ev) {
                        open.set(o);
                    }
                }
            >
                <summary>
                    "How the file was read "
                    <span class="muted small">"— change it if the preview looks wrong"</span>
                </summary>
                <form class="options-row" on:submit=|ev| ev.prevent_default()>
                    {selects}
                    <div class="field compact">
                        <label for="read-missing">"Also missing"</label>
                        <input
                            id="read-missing"
                            type="text"
                            placeholder="e.g. unknown"
                            data-testid="read-missing"
                            prop:value=token
                            disabled=move || busy.get()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                reread(&|o| with_missing_token(o, &value));
                            }
                        />
                    </div>
                </form>
                <p class="muted small">"Empty cells, NA, N/A, null, - and ? always count as missing."</p>
            </details>
        })
    }
}
