use leptos::prelude::*;
use segmenta_core::explain::{SegmentProfile, humanize};

use crate::charts::svg_title;
use crate::format::value;
use crate::ui::ChartFrame;

/// Segments × features: each cell's colour says how far the segment's average is from
/// everyone's (blue below, orange above), and its text gives the average itself.
#[component]
pub fn ProfileHeatmap(segments: Vec<SegmentProfile>, features: Vec<String>) -> impl IntoView {
    const LABEL: f64 = 170.0;
    const HEAD: f64 = 96.0;
    const CELL_W: f64 = 84.0;
    const CELL_H: f64 = 30.0;
    // Room on the right for the last header, which leans out past its column.
    let width = LABEL + CELL_W * features.len() as f64 + 70.0;
    let height = HEAD + CELL_H * segments.len() as f64 + 4.0;
    let heads = features
        .iter()
        .enumerate()
        .map(|(j, f)| {
            let x = LABEL + CELL_W * (j as f64 + 0.5);
            view! {
                <text x=x y=HEAD - 8.0 transform=format!("rotate(-35 {x} {})", HEAD - 8.0) class="chart-label">
                    {svg_title(f.clone())}
                    {humanize(f)}
                </text>
            }
        })
        .collect_view();
    let rows = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = HEAD + CELL_H * i as f64;
            let cells = s
                .means
                .iter()
                .zip(&s.z)
                .zip(&features)
                .enumerate()
                .map(|(j, ((m, z), f))| {
                    let x = LABEL + CELL_W * j as f64;
                    let (fill, opacity) = heat(*z);
                    let words = if *z >= 0.0 { "above" } else { "below" };
                    let title = format!(
                        "{}, {}: average {} ({} standard deviations {words} all customers)",
                        s.name,
                        humanize(f),
                        value(*m),
                        crate::format::fixed(z.abs(), 1)
                    );
                    view! {
                        <g>
                            {svg_title(title)}
                            <rect x=x + 1.0 y=y + 1.0 width=CELL_W - 2.0 height=CELL_H - 2.0 rx="3" fill=fill fill-opacity=opacity></rect>
                            <text x=x + CELL_W / 2.0 y=y + CELL_H / 2.0 text-anchor="middle" dominant-baseline="middle" class="chart-value">{value(*m)}</text>
                        </g>
                    }
                })
                .collect_view();
            view! {
                <g>
                    <text x=LABEL - 8.0 y=y + CELL_H / 2.0 text-anchor="end" dominant-baseline="middle" class="chart-label">{s.name.clone()}</text>
                    {cells}
                </g>
            }
        })
        .collect_view();
    view! {
        <ChartFrame
            name="profile"
            title="What sets each segment apart"
            caption="averages per segment; orange is above all customers' average, blue below, stronger colour means a bigger difference. Hover a cell for details."
        >
            <div class="chart-scroll">
                <svg viewBox=format!("0 0 {width} {height}") style=format!("min-width:{}px", (width * 0.8) as u32) class="chart-svg" role="img" aria-label="Heatmap of segment averages by feature">
                    {heads}
                    {rows}
                </svg>
            </div>
        </ChartFrame>
    }
}

/// Colour and opacity of a cell `z` standard deviations from the overall mean: the
/// palette's orange above, blue below (a colour-blind-safe pair), full strength at 2.
fn heat(z: f64) -> (&'static str, String) {
    let fill = if z >= 0.0 {
        "var(--seg-1)"
    } else {
        "var(--seg-0)"
    };
    let strength = if z.is_finite() {
        (z.abs() / 2.0).min(1.0)
    } else {
        0.0
    };
    (fill, format!("{:.2}", 0.08 + 0.8 * strength))
}
