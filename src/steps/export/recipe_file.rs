use leptos::ev::Event;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::engine::Engine;
use crate::ui::picked_file;

/// Saving the choices as a recipe, and loading one to redo the same steps on other files.
#[component]
pub fn RecipeFile(#[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    view! {
        <div class="recipe-row">
            <div>
                <h3>"Reuse these settings"</h3>
                <p class="hint">
                    "A recipe holds every choice you made — which column is what, the features and how they are prepared, the number of segments, the names — and no customer ids or rows. Saved after segmenting, it also holds the segments themselves (their averages and scaling), so "
                    <code>"segmenta apply"</code>
                    " or this page can put next month's customers into the same segments. Load it here after dropping new files: step 4 then offers “Use the saved segments”."
                </p>
            </div>
            <div class="recipe-actions">
                <button class="button" data-testid="save-recipe" on:click=move |_| engine.download_recipe() disabled=move || busy.get()>
                    "Save recipe"
                </button>
                <LoadRecipeButton label="Load recipe…" test_id="load-recipe"/>
            </div>
        </div>
    }
}

/// A button that reads a recipe file the user picks and applies it.
#[component]
pub fn LoadRecipeButton(label: &'static str, test_id: &'static str) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let on_file = move |ev: Event| {
        let Some(file) = picked_file(&ev) else {
            return;
        };
        spawn_local(async move {
            if let Ok(text) = JsFuture::from(file.text()).await {
                engine.load_recipe(&text.as_string().unwrap_or_default());
            }
        });
    };
    view! {
        <label class="button">
            {label}
            <input type="file" class="visually-hidden" accept=".json,application/json" data-testid=test_id on:change=on_file/>
        </label>
    }
}
