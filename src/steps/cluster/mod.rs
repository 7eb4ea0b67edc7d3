//! Step 4: choosing the method and the number of segments, and running.

mod algorithm_picker;
mod auto_number;
mod settings;
mod sweep_table;

use leptos::prelude::*;

pub use algorithm_picker::AlgorithmPicker;
pub use auto_number::AutoNumberField;
pub use settings::AlgorithmSettings;
pub use sweep_table::SweepTable;

use crate::engine::Engine;
use crate::protocol::ResultView;
use crate::state::{AppState, parse_k};
use crate::steps::export::LoadRecipeButton;
use crate::ui::StepTitle;

/// Method, number of segments, the method's settings, the Run button, and — after a run
/// with an automatic number — how each number of segments scored.
#[component]
pub fn SegmentStep(
    state: AppState,
    /// Customers in the customer table (bounds the number of segments).
    #[prop(into)]
    rows: Signal<usize>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] stale: Signal<bool>,
    #[prop(into)] no_features: Signal<bool>,
    #[prop(into)] result: Signal<Option<std::sync::Arc<ResultView>>>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let k_error = Memo::new(move |_| parse_k(&state.k_text.get(), rows.get()).err());
    let takes_k = Memo::new(move |_| state.algorithm.with(|a| a.takes_k()));
    let settings_error = Memo::new(move |_| {
        let fixed_k = takes_k.get() && !state.k_auto.get();
        state
            .clustering()
            .err()
            .or_else(|| k_error.get().filter(|_| fixed_k))
    });
    let blocked = move || busy.get() || settings_error.with(Option::is_some) || no_features.get();
    let range = move || {
        let r = state.k_range.get();
        format!(
            "Segmenta compares {} to {} segments and recommends one.",
            r.min, r.max
        )
    };
    let saved = move || {
        state.saved.with(|s| {
            let recipe = s.as_ref()?;
            let model = recipe.model.as_ref()?;
            let segments: Vec<&String> = model
                .names
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != model.outliers)
                .map(|(_, n)| n)
                .collect();
            let names = segments
                .iter()
                .map(|n| format!("“{n}”"))
                .collect::<Vec<_>>()
                .join(", ");
            Some(view! {
                <div class="saved-segments" data-testid="saved-segments">
                    <h3>"Segments saved in your recipe"</h3>
                    <p>
                        {format!(
                            "{} made by {} from {}: {names}.",
                            crate::format::plural(segments.len(), "segment"),
                            recipe.clustering.algorithm.label(),
                            crate::format::plural(model.sizes.iter().sum(), "customer"),
                        )}
                    </p>
                    <p class="hint">"Put this file’s customers into them without finding segments again: each segment keeps its name and meaning, so this month’s lists line up with last month’s. Segmenta then shows how the customers have changed, and who moved, if you give it last time’s labelled CSV."</p>
                    <button class="button primary large" data-testid="apply-saved" on:click=move |_| engine.apply_saved() disabled=move || busy.get() || rows.get() == 0>
                        "Use the saved segments"
                    </button>
                </div>
            })
        })
    };
    let has_saved = move || state.saved.with(Option::is_some);
    let offer_recipe = move || {
        (!has_saved()).then(|| {
            view! {
                <div class="recipe-offer">
                    <p class="hint">"Segmenting the same way as last time? Load the recipe you saved then: its choices fill in below, and its segments can sort these customers without starting over."</p>
                    <LoadRecipeButton label="Load a recipe…" test_id="segment-load-recipe"/>
                </div>
            }
        })
    };
    let sweep = move || {
        result.with(|r| {
            let r = r.as_ref()?;
            let sweep = r.sweep.clone()?;
            Some(view! { <SweepTable sweep=sweep customers=r.segmented/> })
        })
    };
    view! {
        <section id="segment" class="step card">
            <StepTitle
                n=4
                title="Find segments"
                hint="Pick a method, or keep k-means. Leave the number of segments on Auto and Segmenta tries several and explains its choice."
            />
            {saved}
            {offer_recipe}
            <AlgorithmPicker algorithm=state.algorithm/>
            <div class="settings-row">
                <Show
                    when=move || takes_k.get()
                    fallback=|| view! { <p class="field-help settings-note">"DBSCAN finds the number of segments itself and sets customers in sparse areas apart as outliers."</p> }
                >
                    <AutoNumberField
                        id="k-input"
                        label="Number of segments"
                        auto=state.k_auto
                        text=state.k_text
                        error=k_error
                        auto_help=Signal::derive(range)
                        help="Between 2 and 50; three to six are usually easy to act on."
                        step="1"
                    />
                </Show>
                <AlgorithmSettings state=state/>
            </div>
            <Show when=move || state.algorithm.with(|a| a.native_categories()) && state.categorical.with(Vec::is_empty)>
                <p class="note">"k-prototypes shines with categories: tick category columns under Features (such as country or channel). Without any it works like k-means."</p>
            </Show>
            <div class="run-row">
                <button
                    class=move || if has_saved() { "button large" } else { "button primary large" }
                    data-testid="run"
                    on:click=move |_| engine.run()
                    disabled=blocked
                >
                    {move || if has_saved() { "Find new segments" } else { "Find segments" }}
                </button>
            </div>
            <Show when=move || no_features.get()>
                <p class="field-help invalid">"Tick at least one feature above first."</p>
            </Show>
            <Show when=move || stale.get()>
                <p class="note">"You changed the settings since the last run. Run again to update the results below."</p>
            </Show>
            {sweep}
        </section>
    }
}
