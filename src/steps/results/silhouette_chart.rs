use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;

use crate::charts::axis::{Linear, nice_ticks, tick_label};
use crate::charts::svg_title;
use crate::ui::{ChartFrame, profile_color};

/// The silhouette plot: per segment, every scored customer's silhouette as a thin bar,
/// highest first. Wide shapes reaching right are segments whose customers clearly belong;
/// bars left of zero are customers closer to another segment.
#[component]
pub fn SilhouetteChart(
    segments: Vec<SegmentProfile>,
    silhouettes: Vec<Vec<f32>>,
    mean: f64,
) -> impl IntoView {
    // Drawn at its natural size (see `.chart-svg.natural`): scaled up to a wide page,
    // the labels would outgrow their margin.
    const W: f64 = 720.0;
    const LEFT: f64 = 250.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 6.0;
    const PLOT_H: f64 = 300.0;
    const GAP: f64 = 8.0;
    const AXIS: f64 = 36.0;
    let total: usize = silhouettes.iter().map(Vec::len).sum::<usize>().max(1);
    let shown = silhouettes.iter().filter(|v| !v.is_empty()).count().max(1);
    let per_row = (PLOT_H - GAP * (shown - 1) as f64) / total as f64;
    let lo = silhouettes
        .iter()
        .flatten()
        .fold(0.0f64, |a, v| a.min(f64::from(*v)));
    let ticks = nice_ticks(lo.min(-0.1), 1.0, 6);
    let x = Linear {
        domain: (ticks[0], ticks[ticks.len() - 1]),
        range: (LEFT, W - RIGHT),
    };
    let zero = x.map(0.0);
    let mut y = TOP;
    let mut shapes = Vec::new();
    for (s, values) in segments.iter().zip(&silhouettes) {
        if values.is_empty() {
            continue;
        }
        let height = per_row * values.len() as f64;
        let mut d = format!("M{zero:.1},{y:.1}");
        for (i, v) in values.iter().enumerate() {
            let top = y + per_row * i as f64;
            let vx = x.map(f64::from(*v));
            d.push_str(&format!("L{vx:.1},{top:.1}L{vx:.1},{:.1}", top + per_row));
        }
        d.push_str(&format!("L{zero:.1},{:.1}Z", y + height));
        let avg = values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64;
        let below = values.iter().filter(|v| **v < 0.0).count();
        let title = format!(
            "{}: average silhouette {}; {below} of {} customers are closer to another segment",
            s.name,
            crate::format::fixed(avg, 2),
            values.len()
        );
        shapes.push(view! {
            <g>
                {svg_title(title)}
                <path d=d fill=profile_color(s) fill-opacity="0.85"></path>
                <text x=LEFT - 8.0 y=y + height / 2.0 text-anchor="end" dominant-baseline="middle" class="chart-label">
                    {format!("{} · {}", short(&s.name, 30), crate::format::fixed(avg, 2))}
                </text>
            </g>
        });
        y += height + GAP;
    }
    let bottom = TOP + PLOT_H;
    let tick_marks = ticks
        .iter()
        .map(|t| {
            let label = tick_label(*t, &ticks);
            view! {
                <line x1=x.map(*t) x2=x.map(*t) y1=TOP y2=bottom class="grid-line"></line>
                <text x=x.map(*t) y=bottom + 14.0 text-anchor="middle" class="tick">{label}</text>
            }
        })
        .collect_view();
    let mean_x = x.map(mean);
    view! {
        <ChartFrame
            name="silhouette"
            title="How clearly customers belong"
            caption="each customer's silhouette, by segment: towards 1 they sit firmly in their segment, below 0 they are closer to another one. The dashed line is the average."
        >
            <svg viewBox=format!("0 0 {W} {}", bottom + AXIS) class="chart-svg natural" role="img" aria-label="Silhouette plot by segment">
                {tick_marks}
                {shapes}
                <line x1=zero x2=zero y1=TOP y2=bottom class="axis-line"></line>
                <line x1=mean_x x2=mean_x y1=TOP y2=bottom class="marker"></line>
                <text x=(LEFT + W - RIGHT) / 2.0 y=bottom + AXIS - 4.0 text-anchor="middle" class="tick">"silhouette (−1 to 1)"</text>
            </svg>
        </ChartFrame>
    }
}

/// `name`, cut to `max` characters with an ellipsis (the full name is in the tooltip).
fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
