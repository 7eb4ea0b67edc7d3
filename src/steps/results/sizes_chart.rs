use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;

use crate::charts::svg_title;
use crate::format::{count, percent};
use crate::ui::{ChartFrame, profile_color};

/// One bar per segment: how many customers it holds.
#[component]
pub fn SizesChart(segments: Vec<SegmentProfile>) -> impl IntoView {
    const ROW: f64 = 30.0;
    const LABEL: f64 = 190.0;
    const BAR: f64 = 300.0;
    let largest = segments.iter().map(|s| s.size).max().unwrap_or(1).max(1) as f64;
    let everyone = segments.iter().map(|s| s.size).sum::<usize>().max(1) as f64;
    let height = ROW * segments.len() as f64 + 8.0;
    let bars = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = 4.0 + ROW * i as f64;
            let w = (BAR * s.size as f64 / largest).max(1.0);
            let label = format!("{} · {}", count(s.size), percent(s.size as f64 / everyone));
            view! {
                <g>
                    {svg_title(format!("{}: {label} of customers", s.name))}
                    <text x=LABEL - 8.0 y=y + ROW / 2.0 text-anchor="end" dominant-baseline="middle" class="chart-label">{s.name.clone()}</text>
                    <rect x=LABEL y=y + 5.0 width=w height=ROW - 10.0 rx="3" fill=profile_color(s)></rect>
                    <text x=LABEL + w + 6.0 y=y + ROW / 2.0 dominant-baseline="middle" class="chart-value">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <ChartFrame name="sizes" title="Segment sizes" caption="how many customers each segment holds.">
            <svg viewBox=format!("0 0 {} {height}", LABEL + BAR + 110.0) class="chart-svg" role="img" aria-label="Bar chart of segment sizes">
                {bars}
            </svg>
        </ChartFrame>
    }
}
