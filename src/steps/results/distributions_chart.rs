use leptos::prelude::*;
use segmenta_core::explain::{BoxStats, SegmentProfile, humanize};

use crate::charts::axis::{Linear, nice_ticks, tick_label};
use crate::charts::svg_title;
use crate::format::value;
use crate::ui::{ChartFrame, profile_color};

/// Per feature, one box per segment: the middle half of its customers (the box), the
/// median (the line), and the usual range (the whiskers).
#[component]
pub fn DistributionsChart(
    segments: Vec<SegmentProfile>,
    features: Vec<String>,
    boxes: Vec<Vec<Option<BoxStats>>>,
) -> impl IntoView {
    // One-hot columns (`country = NL`) are 0 or 1: a box says nothing there.
    let panels = features
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.contains(" = "))
        .map(|(j, f)| {
            let per_segment: Vec<(SegmentProfile, BoxStats)> = segments
                .iter()
                .zip(&boxes)
                .filter_map(|(s, b)| Some((s.clone(), (*b.get(j)?)?)))
                .collect();
            view! { <BoxPanel name=humanize(f) boxes=per_segment/> }
        })
        .collect_view();
    view! {
        <ChartFrame
            name="distributions"
            title="How each feature is spread within segments"
            caption="per feature, a box per segment: the box holds the middle half of its customers, the line inside is the median, the whiskers the usual range (outliers beyond are left out)."
        >
            <div class="small-multiples">{panels}</div>
        </ChartFrame>
    }
}

/// One feature's boxes.
#[component]
fn BoxPanel(name: String, boxes: Vec<(SegmentProfile, BoxStats)>) -> impl IntoView {
    const W: f64 = 260.0;
    const ROW: f64 = 20.0;
    const LEFT: f64 = 8.0;
    const AXIS: f64 = 18.0;
    let lo = boxes
        .iter()
        .map(|(_, b)| b.low)
        .fold(f64::INFINITY, f64::min);
    let hi = boxes
        .iter()
        .map(|(_, b)| b.high)
        .fold(f64::NEG_INFINITY, f64::max);
    let ticks = nice_ticks(lo, hi, 3);
    let x = Linear {
        domain: (ticks[0], ticks[ticks.len() - 1]),
        range: (LEFT, W - 8.0),
    };
    let h = ROW * boxes.len() as f64 + AXIS + 4.0;
    let bottom = ROW * boxes.len() as f64 + 2.0;
    let rows = boxes
        .iter()
        .enumerate()
        .map(|(i, (s, b))| {
            let mid = 2.0 + ROW * (i as f64 + 0.5);
            let color = profile_color(s);
            let title = format!(
                "{}: median {}, middle half {} to {}, usual range {} to {}",
                s.name,
                value(b.median),
                value(b.q1),
                value(b.q3),
                value(b.low),
                value(b.high)
            );
            view! {
                <g>
                    {svg_title(title)}
                    <line x1=x.map(b.low) x2=x.map(b.high) y1=mid y2=mid stroke=color.clone() stroke-width="1.5"></line>
                    <rect x=x.map(b.q1) y=mid - 6.0 width=(x.map(b.q3) - x.map(b.q1)).max(1.5) height="12" rx="2" fill=color fill-opacity="0.75"></rect>
                    <line x1=x.map(b.median) x2=x.map(b.median) y1=mid - 7.0 y2=mid + 7.0 class="median"></line>
                </g>
            }
        })
        .collect_view();
    let tick_marks = ticks
        .iter()
        .map(|t| {
            let label = tick_label(*t, &ticks);
            view! {
                <line x1=x.map(*t) x2=x.map(*t) y1="0" y2=bottom class="grid-line"></line>
                <text x=x.map(*t) y=bottom + 13.0 text-anchor="middle" class="tick">{label}</text>
            }
        })
        .collect_view();
    view! {
        <div class="panel">
            <div class="panel-title"><strong>{name.clone()}</strong></div>
            <svg viewBox=format!("0 0 {W} {h}") class="chart-svg" role="img" aria-label=format!("Box plots of {name} by segment")>
                {tick_marks}
                {rows}
            </svg>
        </div>
    }
}
