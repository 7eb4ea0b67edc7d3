use leptos::prelude::*;
use segmenta_core::features::Candidate;

/// A category that can take part as one yes/no feature per value.
#[component]
pub fn OneHotRow(
    candidate: Candidate,
    #[prop(into)] checked: Signal<bool>,
    on_toggle: Callback<bool>,
) -> impl IntoView {
    let id = format!("onehot-{}", candidate.name);
    let label_for = id.clone();
    view! {
        <li class="feature" class:selected=move || checked.get()>
            <div class="feature-head">
                <label class="check" for=label_for>
                    <input id=id type="checkbox" prop:checked=move || checked.get() on:change=move |ev| on_toggle.run(event_target_checked(&ev))/>
                    <span class="feature-name">{candidate.name.clone()}</span>
                </label>
                <span class="chip kind-categorical">{format!("{} values", candidate.one_hot.unwrap_or(0))}</span>
            </div>
            {candidate.meaning.clone().map(|m| view! { <span class="feature-note">{m}</span> })}
        </li>
    }
}
