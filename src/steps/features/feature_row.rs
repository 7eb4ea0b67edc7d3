use leptos::prelude::*;
use segmenta_core::features::{Candidate, FeatureChoice};

use crate::choices::{SETTINGS, summary};
use crate::protocol::Histogram;
use crate::ui::Sparkline;

/// One numeric feature: tick to use it, what it means, how its values spread, and how it
/// is prepared (open to change).
#[component]
pub fn FeatureRow(
    candidate: Candidate,
    histogram: Option<Histogram>,
    default_choice: Option<FeatureChoice>,
    #[prop(into)] choice: Signal<Option<FeatureChoice>>,
    on_change: Callback<Option<FeatureChoice>>,
) -> impl IntoView {
    let name = candidate.name.clone();
    let fallback = default_choice.unwrap_or_else(|| FeatureChoice::plain(&name));
    let current = move || choice.get().unwrap_or_else(|| fallback.clone());
    let selected = move || choice.with(Option::is_some);
    let toggle = {
        let current = current.clone();
        move |ev| on_change.run(event_target_checked(&ev).then(&current))
    };
    let id = format!("feature-{}", name);
    let label_for = id.clone();
    let settings = {
        let current = current.clone();
        move || {
            let f = current();
            SETTINGS
                .into_iter()
                .map(|setting| {
                    let value = setting.current(&f);
                    let options = setting.choices().iter().map(|(v, l)| view! { <option value=*v selected=*v == value>{*l}</option> }).collect_view();
                    let f = f.clone();
                    view! {
                        <label class="field compact">
                            <span>{setting.label()}</span>
                            <select on:change=move |ev| on_change.run(Some(setting.apply(f.clone(), &event_target_value(&ev))))>{options}</select>
                        </label>
                    }
                })
                .collect_view()
        }
    };
    let log_box = {
        let current = current.clone();
        move || {
            let f = current();
            let checked = f.log;
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=checked
                        on:change=move |ev| {
                            let mut g = f.clone();
                            g.log = event_target_checked(&ev);
                            on_change.run(Some(g));
                        }
                    />
                    <span>"Use the logarithm (evens out skewed amounts and counts)"</span>
                </label>
            }
        }
    };
    let prep = move || choice.get().map(|f| summary(&f)).filter(|s| !s.is_empty());
    view! {
        <li class="feature" class:selected=selected data-testid="feature">
            <div class="feature-head">
                <label class="check" for=label_for>
                    <input id=id type="checkbox" prop:checked=selected on:change=toggle data-testid="feature-toggle" data-name=name.clone()/>
                    <span class="feature-name">{name.clone()}</span>
                </label>
                {histogram.map(|h| view! { <Sparkline histogram=h/> })}
            </div>
            {candidate.meaning.clone().or(candidate.note.clone()).map(|m| view! { <span class="feature-note">{m}</span> })}
            <Show when=selected>
                <details class="prep">
                    <summary>
                        "Preparation"
                        {move || prep().map(|p| view! { <span class="muted small">{format!(" · {p}")}</span> })}
                    </summary>
                    <div class="prep-grid">
                        {log_box.clone()}
                        {settings.clone()}
                    </div>
                </details>
            </Show>
        </li>
    }
}
