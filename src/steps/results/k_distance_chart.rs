use leptos::prelude::*;

use crate::charts::axis::{Linear, nice_ticks};
use crate::format::count;
use crate::protocol::KDistanceView;
use crate::ui::{ChartFrame, YGrid};

/// DBSCAN's k-distance plot: how far each customer's nearest neighbours are, sorted. The
/// bend is where customers stop being in dense groups; the suggested radius sits there.
#[component]
pub fn KDistanceChart(curve: KDistanceView) -> impl IntoView {
    const W: f64 = 640.0;
    const H: f64 = 260.0;
    const LEFT: f64 = 52.0;
    const BOTTOM: f64 = 40.0;
    const TOP: f64 = 10.0;
    let hi = curve
        .curve
        .iter()
        .map(|p| f64::from(p.1))
        .fold(0.0, f64::max)
        .max(curve.used);
    let yt = nice_ticks(0.0, hi, 5);
    let y = Linear {
        domain: (0.0, yt[yt.len() - 1]),
        range: (H - BOTTOM, TOP),
    };
    let x = Linear {
        domain: (0.0, 1.0),
        range: (LEFT, W - 10.0),
    };
    let path: String = curve
        .curve
        .iter()
        .enumerate()
        .map(|(i, (share, d))| {
            format!(
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { "L" },
                x.map(f64::from(*share)),
                y.map(f64::from(*d))
            )
        })
        .collect();
    let x_ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        .into_iter()
        .map(|t| {
            view! { <text x=x.map(t) y=H - BOTTOM + 15.0 text-anchor="middle" class="tick">{crate::format::percent(t)}</text> }
        })
        .collect_view();
    let same = (curve.used - curve.suggested).abs() <= 1e-9 * curve.suggested.abs().max(1.0);
    let used_line = (!same).then(|| {
        view! {
            <line x1=LEFT x2=W - 10.0 y1=y.map(curve.used) y2=y.map(curve.used) class="marker used"></line>
            <text x=W - 12.0 y=y.map(curve.used) - 5.0 text-anchor="end" class="tick">{format!("your eps {}", crate::format::fixed(curve.used, 3))}</text>
        }
    });
    view! {
        <ChartFrame
            name="k-distance"
            title="Choosing the neighbourhood distance"
            caption=format!(
                "each customer's distance to their nearer neighbours, sorted ({} customers). Customers left of the bend are in dense groups; the suggested distance sits at the bend.",
                count(curve.customers)
            )
        >
            <svg viewBox=format!("0 0 {W} {H}") class="chart-svg" role="img" aria-label="k-distance plot">
                <YGrid ticks=yt.clone() scale=y from=LEFT to=W - 10.0/>
                <path d=path class="line"></path>
                <line x1=LEFT x2=W - 10.0 y1=y.map(curve.suggested) y2=y.map(curve.suggested) class="marker"></line>
                <text x=LEFT + 6.0 y=y.map(curve.suggested) - 5.0 class="tick">{format!("suggested eps {}", crate::format::fixed(curve.suggested, 3))}</text>
                {used_line}
                {x_ticks}
                <text x=(LEFT + W) / 2.0 y=H - 4.0 text-anchor="middle" class="tick">"customers, sorted by distance"</text>
            </svg>
        </ChartFrame>
    }
}
