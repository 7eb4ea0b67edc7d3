use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;
use segmenta_core::explain::describe::label;

use crate::format::percent;
use crate::protocol::WhyView;
use crate::ui::{SegmentLabel, profile_color};

/// "Why is this customer here?": type an id (or click a customer on the map) to see their
/// segment against the runner-up and the features that put them there.
#[component]
pub fn WhyPanel(
    #[prop(into)] why: Signal<Option<WhyView>>,
    segments: Vec<SegmentProfile>,
    on_explain: Callback<String>,
    /// A customer id to show as an example in the empty field.
    example: Option<String>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    // A customer picked on the map shows up in the field too.
    Effect::new(move |_| {
        if let Some(w) = why.get() {
            draft.set(w.customer);
        }
    });
    let placeholder = example.map_or_else(|| "Customer id".to_owned(), |e| format!("e.g. {e}"));
    let segments = StoredValue::new(segments);
    let answer = move || {
        let w = why.get()?;
        if let Some(message) = &w.message {
            return Some(
                view! { <p class="muted" data-testid="why-message">{message.clone()}</p> }
                    .into_any(),
            );
        }
        let why = w.why.clone()?;
        let profile = |i: Option<usize>| segments.with_value(|s| i.and_then(|i| s.get(i).cloned()));
        let own = profile(Some(why.segment))?;
        let other = profile(why.runner_up);
        let verdict = w.sentences.first().cloned().unwrap_or_default();
        let own_head = if why.outlier {
            "Typical of the nearest segment".to_owned()
        } else {
            format!("Typical of {}", own.name)
        };
        let other_head = (!why.outlier)
            .then(|| other.as_ref().map(|o| format!("Typical of {}", o.name)))
            .flatten();
        let has_other = other_head.is_some();
        let rows = why
            .reasons
            .iter()
            .map(|r| {
                let other_cell = has_other.then(|| {
                    view! { <td class="num">{r.runner_up.as_ref().map(|v| v.text()).unwrap_or_default()}</td> }
                });
                let width = format!("{:.0}%", r.share * 100.0);
                view! {
                    <tr>
                        <th scope="row">{label(&r.feature)}</th>
                        <td class="num"><strong>{r.value.text()}</strong></td>
                        <td class="num">{r.segment.text()}</td>
                        {other_cell}
                        <td class="why-share" title="This feature's share of what sets the customer's segment apart from the runner-up">
                            <span class="share"><span class="share-bar" style:width=width.clone()></span></span>
                            <span class="muted small">{percent(r.share)}</span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let share_head = if why.outlier {
            "Share of the distance"
        } else {
            "Weight"
        };
        let table = (!why.reasons.is_empty()).then(|| {
            view! {
                <table class="why-table">
                    <thead>
                        <tr>
                            <th scope="col">"What put them there"</th>
                            <th scope="col" class="num">"This customer"</th>
                            <th scope="col" class="num">{own_head.clone()}</th>
                            {other_head.clone().map(|h| view! { <th scope="col" class="num">{h}</th> })}
                            <th scope="col">{share_head}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        });
        let color = profile_color(&own);
        Some(
            view! {
                <div class="why-answer" data-testid="why">
                    <div class="why-verdict">
                        <SegmentLabel name=format!("{} · {}", w.customer, own.name) color=Some(color)/>
                        <p>{verdict}</p>
                    </div>
                    {table}
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <section class="why-panel" aria-labelledby="why-title">
            <h3 id="why-title">"Why is this customer here?"</h3>
            <p class="muted small">
                "Type a customer id, or click a customer on the map: you see how clearly they belong to their segment, the next closest segment, and the features that decided it."
            </p>
            <form class="why-form" on:submit=move |ev| {
                ev.prevent_default();
                let id = draft.get_untracked();
                if !id.trim().is_empty() {
                    on_explain.run(id);
                }
            }>
                <input
                    type="search"
                    aria-label="Customer id"
                    data-testid="why-input"
                    placeholder=placeholder
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
                <button type="submit" class="button small" data-testid="why-submit">"Explain"</button>
            </form>
            {answer}
        </section>
    }
}
