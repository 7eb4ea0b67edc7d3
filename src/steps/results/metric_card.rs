use leptos::prelude::*;

use crate::format::Verdict;

/// One quality score: value, a verdict in words, and what it means.
#[component]
pub fn MetricCard(
    name: &'static str,
    test_id: &'static str,
    value: String,
    verdict: Verdict,
    words: String,
    meaning: String,
) -> impl IntoView {
    view! {
        <div class="metric">
            <p class="metric-name">{name}</p>
            <p class="metric-value" data-testid=test_id>{value}</p>
            <p class=format!("verdict {}", verdict.class())>{words}</p>
            <p class="metric-meaning">{meaning}</p>
        </div>
    }
}
