use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;

use crate::charts::axis::{Linear, nice_ticks};
use crate::charts::dendrogram::Dendrogram;
use crate::charts::svg_title;
use crate::format::count;
use crate::ui::{ChartFrame, YGrid, profile_color};

/// The top of the hierarchical tree: groups of customers at the bottom (coloured by
/// segment, with their size), joined where they merge; the dashed line is the cut.
#[component]
pub fn DendrogramChart(tree: Dendrogram, segments: Vec<SegmentProfile>) -> impl IntoView {
    const W: f64 = 640.0;
    const H: f64 = 300.0;
    const LEFT: f64 = 52.0;
    const BOTTOM: f64 = 56.0;
    const TOP: f64 = 10.0;
    let top = tree.links.iter().map(|l| l[4]).fold(tree.cut, f64::max);
    let yt = nice_ticks(0.0, top, 5);
    let y = Linear {
        domain: (0.0, yt[yt.len() - 1]),
        range: (H - BOTTOM, TOP),
    };
    let leaves = tree.leaves.len().max(1);
    let x = Linear {
        domain: (-0.5, leaves as f64 - 0.5),
        range: (LEFT, W - 8.0),
    };
    let links = tree
        .links
        .iter()
        .map(|[xa, ha, xb, hb, h]| {
            let d = format!(
                "M{:.1},{:.1}V{:.1}H{:.1}V{:.1}",
                x.map(*xa),
                y.map(*ha),
                y.map(*h),
                x.map(*xb),
                y.map(*hb)
            );
            view! { <path d=d class="tree-link"></path> }
        })
        .collect_view();
    let band = (W - 8.0 - LEFT) / leaves as f64;
    let leaf_marks = tree
        .leaves
        .iter()
        .enumerate()
        .map(|(i, (size, segment))| {
            let cx = x.map(i as f64);
            let color = segments.get(*segment).map_or_else(|| "var(--outlier)".to_owned(), profile_color);
            let name = segments.get(*segment).map_or("", |s| s.name.as_str()).to_owned();
            let base = H - BOTTOM;
            view! {
                <g>
                    {svg_title(format!("{} customers · {name}", count(*size)))}
                    <rect x=cx - band * 0.4 y=base + 2.0 width=band * 0.8 height="8" rx="2" fill=color></rect>
                    <text x=cx y=base + 16.0 transform=format!("rotate(-60 {cx} {})", base + 16.0) text-anchor="end" dominant-baseline="middle" class="tick">{count(*size)}</text>
                </g>
            }
        })
        .collect_view();
    let k = segments.iter().filter(|s| !s.outliers).count();
    view! {
        <ChartFrame
            name="dendrogram"
            title="How the groups join"
            caption=format!(
                "the bottom row is {} groups of customers (coloured by segment, numbers are customers); lines join them where they merge, higher meaning less alike. Cutting at the dashed line gives the {k} segments.",
                tree.leaves.len()
            )
        >
            <svg viewBox=format!("0 0 {W} {H}") class="chart-svg" role="img" aria-label="Dendrogram">
                <YGrid ticks=yt.clone() scale=y from=LEFT to=W - 8.0/>
                {links}
                <line x1=LEFT x2=W - 8.0 y1=y.map(tree.cut) y2=y.map(tree.cut) class="marker"></line>
                {leaf_marks}
                <text x="12" y=(TOP + H - BOTTOM) / 2.0 transform=format!("rotate(-90 12 {})", (TOP + H - BOTTOM) / 2.0) text-anchor="middle" class="tick">"merge distance"</text>
            </svg>
        </ChartFrame>
    }
}
