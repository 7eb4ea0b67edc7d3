use leptos::prelude::*;
use segmenta_core::features::{Candidate, ONE_HOT_MAX_LEVELS};

/// A category that can take part in segmenting: as one yes/no feature per value, or, with
/// k-prototypes, compared as a category.
#[component]
pub fn CategoryRow(
    candidate: Candidate,
    #[prop(into)] checked: Signal<bool>,
    /// Whether the chosen algorithm compares categories directly.
    #[prop(into)]
    native: Signal<bool>,
    on_toggle: Callback<bool>,
) -> impl IntoView {
    let id = format!("category-{}", candidate.name);
    let label_for = id.clone();
    let levels = candidate.levels.unwrap_or(0);
    let too_many = move || levels > ONE_HOT_MAX_LEVELS && !native.get();
    let note = candidate.meaning.clone();
    view! {
        <li class="feature" class:selected=move || checked.get() && !too_many()>
            <div class="feature-head">
                <label class="check" for=label_for>
                    <input
                        id=id
                        type="checkbox"
                        prop:checked=move || checked.get() && !too_many()
                        disabled=too_many
                        on:change=move |ev| on_toggle.run(event_target_checked(&ev))
                    />
                    <span class="feature-name">{candidate.name.clone()}</span>
                </label>
                <span class="chip kind-categorical">{format!("{levels} values")}</span>
            </div>
            {note.map(|m| view! { <span class="feature-note">{m}</span> })}
            <Show when=too_many>
                <span class="feature-note">
                    {format!("Too many values for one yes/no feature each (at most {ONE_HOT_MAX_LEVELS}). Choose k-prototypes under “Find segments” to use it as a category.")}
                </span>
            </Show>
        </li>
    }
}
