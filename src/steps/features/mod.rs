//! Step 3: choosing the numbers segments are built from, and how each is prepared.

mod blocked_row;
mod category_row;
mod feature_row;

use leptos::prelude::*;
use segmenta_core::features::FeatureChoice;

pub use blocked_row::BlockedRow;
pub use category_row::CategoryRow;
pub use feature_row::FeatureRow;

use crate::protocol::DatasetView;
use crate::ui::StepTitle;

/// Numeric features (with preparation), categories, and the columns that cannot be used,
/// each with its reason.
#[component]
pub fn FeaturesStep(
    #[prop(into)] dataset: Signal<Option<DatasetView>>,
    features: RwSignal<Vec<FeatureChoice>>,
    categorical: RwSignal<Vec<String>>,
    /// Whether the chosen algorithm compares categories directly (k-prototypes).
    #[prop(into)]
    native_categories: Signal<bool>,
) -> impl IntoView {
    let view_data = Memo::new(move |_| dataset.get());
    let candidates =
        move || view_data.with(|d| d.as_ref().map(|d| d.candidates.clone()).unwrap_or_default());
    // Selected features stay in column order, whatever order they are clicked in.
    let set = move |name: String, choice: Option<FeatureChoice>| {
        let order: Vec<String> = candidates().into_iter().map(|c| c.name).collect();
        features.update(|list| {
            list.retain(|f| f.name != name);
            if let Some(c) = choice {
                list.push(c);
            }
            list.sort_by_key(|f| order.iter().position(|o| *o == f.name));
        });
    };
    let numeric = move || {
        candidates()
            .into_iter()
            .filter(|c| c.blocked.is_none() && c.levels.is_none())
            .collect::<Vec<_>>()
    };
    let categories = move || {
        candidates()
            .into_iter()
            .filter(|c| c.levels.is_some())
            .collect::<Vec<_>>()
    };
    let blocked = move || {
        candidates()
            .into_iter()
            .filter(|c| c.blocked.is_some())
            .collect::<Vec<_>>()
    };
    let selected_count = move || features.with(Vec::len) + categorical.with(Vec::len);
    view! {
        <section id="features" class="step card">
            <StepTitle
                n=3
                title="Choose features"
                hint="Segments are formed from these numbers. The most telling ones are ticked; open a feature to change how it is prepared."
            />
            <p class="muted small" aria-live="polite">{move || format!("{} features selected.", selected_count())}</p>
            <ul class="feature-list">
                <For each=numeric key=|c| c.name.clone() let(candidate)>
                    {
                        let name = candidate.name.clone();
                        let histogram = view_data.with_untracked(|d| d.as_ref().and_then(|d| d.histograms.iter().find(|h| h.column == name).cloned()));
                        let default_choice = view_data.with_untracked(|d| {
                            d.as_ref().and_then(|d| d.default_recipe.features.iter().find(|f| f.name == name).cloned())
                        });
                        let choice = Signal::derive({
                            let name = name.clone();
                            move || features.with(|list| list.iter().find(|f| f.name == name).cloned())
                        });
                        let on_change = Callback::new({
                            let name = name.clone();
                            move |c: Option<FeatureChoice>| set(name.clone(), c)
                        });
                        view! { <FeatureRow candidate=candidate histogram=histogram default_choice=default_choice choice=choice on_change=on_change/> }
                    }
                </For>
            </ul>
            <Show when=move || !categories().is_empty()>
                <h3 class="subhead">"Categories"</h3>
                <p class="muted small">
                    {move || if native_categories.get() {
                        "k-prototypes compares these as categories: customers with the same value are closer."
                    } else {
                        "A category takes part as one yes/no feature per value."
                    }}
                </p>
                <ul class="feature-list">
                    <For each=categories key=|c| c.name.clone() let(candidate)>
                        {
                            let name = candidate.name.clone();
                            let checked = Signal::derive({
                                let name = name.clone();
                                move || categorical.with(|list| list.contains(&name))
                            });
                            let on_toggle = Callback::new(move |on: bool| {
                                categorical.update(|list| {
                                    list.retain(|c| *c != name);
                                    if on {
                                        list.push(name.clone());
                                    }
                                });
                            });
                            view! { <CategoryRow candidate=candidate checked=checked native=native_categories on_toggle=on_toggle/> }
                        }
                    </For>
                </ul>
            </Show>
            <Show when=move || !blocked().is_empty()>
                <details class="unusable">
                    <summary>{move || format!("Columns that are not used ({})", blocked().len())}</summary>
                    <ul class="feature-list">
                        {move || blocked().into_iter().map(|candidate| view! { <BlockedRow candidate=candidate/> }).collect_view()}
                    </ul>
                </details>
            </Show>
        </section>
    }
}
