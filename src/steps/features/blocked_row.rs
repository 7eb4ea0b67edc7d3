use leptos::prelude::*;
use segmenta_core::features::Candidate;

/// A column that cannot be a feature, and why.
#[component]
pub fn BlockedRow(candidate: Candidate) -> impl IntoView {
    view! {
        <li class="feature blocked">
            <div class="feature-head">
                <span class="feature-name">{candidate.name.clone()}</span>
                <span class=format!("chip kind-{:?}", candidate.kind).to_lowercase()>{candidate.kind.label()}</span>
            </div>
            {candidate.blocked.clone().map(|n| view! { <span class="feature-note">{n}</span> })}
        </li>
    }
}
