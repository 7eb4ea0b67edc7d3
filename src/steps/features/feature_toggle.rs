use leptos::prelude::*;
use segmenta_core::features::Candidate;

/// A column's checkbox, or the reason it cannot be used.
#[component]
pub fn FeatureToggle(
    candidate: Candidate,
    #[prop(into)] checked: Signal<bool>,
    on_toggle: Callback<bool>,
) -> impl IntoView {
    let name = candidate.name.clone();
    let blocked = candidate.blocked.clone();
    let note = blocked.clone().or(candidate.note.clone());
    view! {
        <li class="feature" class:blocked=blocked.is_some()>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || checked.get()
                    on:change=move |ev| on_toggle.run(event_target_checked(&ev))
                    disabled=blocked.is_some()
                />
                <span class="feature-name">{name.clone()}</span>
            </label>
            <span class=format!("chip kind-{:?}", candidate.kind).to_lowercase()>{candidate.kind.label()}</span>
            {note.map(|n| view! { <span class="feature-note">{n}</span> })}
        </li>
    }
}
