//! Step 3: choosing the numbers segments are built from.

mod feature_toggle;

use leptos::prelude::*;
use segmenta_core::features::Scale;

pub use feature_toggle::FeatureToggle;

use crate::protocol::DatasetView;
use crate::ui::StepTitle;

/// One toggle per column, and the scaling choice.
#[component]
pub fn FeaturesStep(
    #[prop(into)] dataset: Signal<Option<DatasetView>>,
    selected: RwSignal<Vec<String>>,
    scale: RwSignal<Scale>,
) -> impl IntoView {
    let candidates = Memo::new(move |_| {
        dataset.with(|d| d.as_ref().map(|d| d.candidates.clone()).unwrap_or_default())
    });
    let usable = move || candidates.with(|c| c.iter().filter(|c| c.blocked.is_none()).count());
    let usable_list = move || {
        candidates
            .get()
            .into_iter()
            .filter(|c| c.blocked.is_none())
            .collect::<Vec<_>>()
    };
    // Selected features stay in column order, whatever order they are clicked in.
    let set = move |name: String, on: bool| {
        candidates.with(|all| {
            selected.update(|s| {
                s.retain(|n| *n != name);
                if on {
                    s.push(name);
                }
                s.sort_by_key(|n| all.iter().position(|c| c.name == *n));
            });
        });
    };
    view! {
        <section id="features" class="step card">
            <StepTitle
                n=3
                title="Choose features"
                hint="Segments are formed from these numbers. Every numeric column that describes customers is ticked; untick any you don't want."
            />
            <p class="muted small" aria-live="polite">
                {move || format!("{} of {} usable columns selected.", selected.with(Vec::len), usable())}
            </p>
            <ul class="feature-list">
                <For each=usable_list key=|c| c.name.clone() let(candidate)>
                    {
                        let name = candidate.name.clone();
                        let checked = Signal::derive({
                            let name = name.clone();
                            move || selected.with(|s| s.contains(&name))
                        });
                        view! { <FeatureToggle candidate=candidate checked=checked on_toggle=Callback::new(move |on| set(name.clone(), on))/> }
                    }
                </For>
            </ul>
            <Show when=move || { candidates.with(|c| c.iter().any(|c| c.blocked.is_some())) }>
                <details class="unusable">
                    <summary>{move || format!("Columns that are not used ({})", candidates.with(|c| c.iter().filter(|c| c.blocked.is_some()).count()))}</summary>
                    <ul class="feature-list">
                        {move || {
                            candidates
                                .get()
                                .into_iter()
                                .filter(|c| c.blocked.is_some())
                                .map(|candidate| view! { <FeatureToggle candidate=candidate checked=Signal::stored(false) on_toggle=Callback::new(|_| {})/> })
                                .collect_view()
                        }}
                    </ul>
                </details>
            </Show>
            <label class="check scale-toggle">
                <input
                    type="checkbox"
                    prop:checked=move || scale.get() == Scale::Standard
                    on:change=move |ev| scale.set(if event_target_checked(&ev) { Scale::Standard } else { Scale::None })
                />
                <span>
                    <strong>"Put features on a common scale"</strong>
                    " (recommended) — so that a column in euros does not outweigh one in days."
                </span>
            </label>
        </section>
    }
}
