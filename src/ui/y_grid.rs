use leptos::prelude::*;

use crate::charts::axis::{Linear, tick_label};

/// Horizontal grid lines from `from` to `to` at `ticks` (placed by `scale`), labelled at
/// the left end.
#[component]
pub fn YGrid(ticks: Vec<f64>, scale: Linear, from: f64, to: f64) -> impl IntoView {
    ticks
        .iter()
        .map(|t| {
            let label = tick_label(*t, &ticks);
            let y = scale.map(*t);
            view! {
                <line x1=from x2=to y1=y y2=y class="grid-line"></line>
                <text x=from - 6.0 y=y text-anchor="end" dominant-baseline="middle" class="tick">{label}</text>
            }
        })
        .collect_view()
}
