use leptos::prelude::*;

/// A step's number, title and one-line explanation.
#[component]
pub fn StepTitle(n: u8, title: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <div class="step-title">
            <span class="step-badge" aria-hidden="true">{n}</span>
            <div>
                <h2>{title}</h2>
                <p class="hint">{hint}</p>
            </div>
        </div>
    }
}
