use leptos::prelude::*;
use segmenta_core::cluster::{ALGORITHM_IDS, Algorithm};

/// One card per algorithm, each with a sentence on when to use it.
#[component]
pub fn AlgorithmPicker(algorithm: RwSignal<Algorithm>) -> impl IntoView {
    let options = ALGORITHM_IDS
        .iter()
        .filter_map(|id| Algorithm::from_id(id))
        .map(|option| {
            let id = option.id();
            let input_id = format!("algorithm-{id}");
            let label_for = input_id.clone();
            let selected = move || algorithm.with(|a| a.id() == id);
            let choose = move |_| {
                if !algorithm.with_untracked(|a| a.id() == id) {
                    algorithm.set(Algorithm::from_id(id).unwrap_or_default());
                }
            };
            view! {
                <label class="choice" class:selected=selected for=label_for data-testid="algorithm-option">
                    <input
                        id=input_id
                        type="radio"
                        name="algorithm"
                        value=id
                        prop:checked=selected
                        on:change=choose
                    />
                    <span class="choice-text">
                        <span class="choice-name">{option.label()}</span>
                        <span class="choice-help">{option.help()}</span>
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choices" data-testid="algorithm">
            <legend>"Method"</legend>
            {options}
        </fieldset>
    }
}
