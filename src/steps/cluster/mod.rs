//! Step 4: choosing how many segments and running.

use leptos::prelude::*;

use crate::engine::Engine;
use crate::state::parse_k;
use crate::ui::StepTitle;

/// The number of segments, the Run button and a note when results are out of date.
#[component]
pub fn SegmentStep(
    k_text: RwSignal<String>,
    #[prop(into)] rows: Signal<usize>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] stale: Signal<bool>,
    #[prop(into)] no_features: Signal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let k_error = Memo::new(move |_| parse_k(&k_text.get(), rows.get()).err());
    let blocked = move || busy.get() || k_error.with(Option::is_some) || no_features.get();
    view! {
        <section id="segment" class="step card">
            <StepTitle
                n=4
                title="Find segments"
                hint="k-means puts each customer in the group whose average customer they resemble most. Three to six segments are usually easy to act on."
            />
            <div class="run-row">
                <div class="field">
                    <label for="k-input">"Number of segments"</label>
                    <input
                        id="k-input"
                        type="number"
                        min="2"
                        max="50"
                        step="1"
                        inputmode="numeric"
                        data-testid="k-input"
                        aria-invalid=move || k_error.with(Option::is_some).to_string()
                        aria-describedby="k-help"
                        prop:value=move || k_text.get()
                        on:input=move |ev| k_text.set(event_target_value(&ev))
                    />
                    <p id="k-help" class="field-help" class:invalid=move || k_error.with(Option::is_some)>
                        {move || k_error.get().unwrap_or_else(|| "Between 2 and 50.".to_owned())}
                    </p>
                </div>
                <button class="button primary large" data-testid="run" on:click=move |_| engine.run() disabled=blocked>
                    "Find segments"
                </button>
            </div>
            <Show when=move || no_features.get()>
                <p class="field-help invalid">"Tick at least one feature above first."</p>
            </Show>
            <Show when=move || stale.get()>
                <p class="note">"You changed the settings since the last run. Run again to update the results below."</p>
            </Show>
        </section>
    }
}
