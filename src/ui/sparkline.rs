use leptos::prelude::*;

use crate::format::value;
use crate::protocol::Histogram;

/// A tiny histogram: how a feature's values are spread, at a glance.
#[component]
pub fn Sparkline(histogram: Histogram) -> impl IntoView {
    const W: f64 = 96.0;
    const H: f64 = 24.0;
    let max = f64::from(histogram.counts.iter().copied().max().unwrap_or(1).max(1));
    let bar = W / histogram.counts.len().max(1) as f64;
    let bars = histogram
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // At least a hairline for non-empty bins, so rare values stay visible.
            let h = if *c == 0 { 0.0 } else { (f64::from(*c) / max * H).max(1.0) };
            view! { <rect x=format!("{:.2}", i as f64 * bar) y=format!("{:.2}", H - h) width=format!("{:.2}", (bar - 0.5).max(0.5)) height=format!("{h:.2}")></rect> }
        })
        .collect_view();
    let label = format!(
        "Values from {} to {}",
        value(histogram.min),
        value(histogram.max)
    );
    let title = label.clone();
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label=label>
            <title>{title}</title>
            {bars}
        </svg>
    }
}
