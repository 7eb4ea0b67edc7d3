use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;

use crate::format::{count, percent, value};
use crate::protocol::LifetimeView;
use crate::ui::profile_color;

/// One card per segment: its name, size, what sets it apart in sentences that quote their
/// numbers, the usual action for its RFM position, and its predicted value.
#[component]
pub fn SegmentCards(
    segments: Vec<SegmentProfile>,
    lifetime: Option<LifetimeView>,
) -> impl IntoView {
    let horizon = lifetime.as_ref().map_or(0.0, |l| l.horizon_days);
    let values = lifetime
        .filter(|l| l.unavailable.is_none())
        .map(|l| l.segments);
    let cards = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let color = profile_color(s);
            let border = color.clone();
            let action = s.rfm.map(|r| {
                view! { <p class="seg-action"><strong>"Usual next step: "</strong>{r.action()}</p> }
            });
            let value_line = values.as_ref().and_then(|v| v.get(i)).filter(|v| v.customers > 0).map(|v| {
                view! {
                    <p class="seg-value" data-testid="segment-value">
                        {format!(
                            "{} likely still active · {} at risk · expected value {} per customer over {horizon:.0} days",
                            percent(v.p_alive),
                            percent(v.at_risk as f64 / v.customers as f64),
                            value(v.clv)
                        )}
                    </p>
                }
            });
            view! {
                <article class="seg-card" data-testid="segment-card" style:border-top-color=border>
                    <header>
                        <span class="swatch" style:background=color></span>
                        <h3>{s.name.clone()}</h3>
                        <span class="muted">{format!("{} · {}", count(s.size), percent(s.share))}</span>
                    </header>
                    <ul class="seg-description">
                        {s.description.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}
                    </ul>
                    {action}
                    {value_line}
                </article>
            }
        })
        .collect_view();
    view! { <div class="seg-cards">{cards}</div> }
}
