use leptos::prelude::*;
use segmenta_core::cluster::Sweep;

use crate::charts::axis::{Linear, nice_ticks};
use crate::charts::svg_title;
use crate::ui::{ChartFrame, YGrid};

/// The comparison of numbers of segments as small line charts, the recommended k marked.
#[component]
pub fn SweepChart(sweep: Sweep) -> impl IntoView {
    let ks: Vec<f64> = sweep.rows.iter().map(|r| r.k as f64).collect();
    let mut panels = vec![
        (
            "Silhouette",
            "higher is better",
            sweep.rows.iter().map(|r| r.silhouette).collect::<Vec<_>>(),
        ),
        (
            "Davies-Bouldin",
            "lower is better",
            sweep.rows.iter().map(|r| r.davies_bouldin).collect(),
        ),
        (
            "Calinski-Harabasz",
            "higher is better",
            sweep.rows.iter().map(|r| r.calinski_harabasz).collect(),
        ),
    ];
    if sweep.rows.iter().all(|r| r.bic.is_some()) {
        panels.push((
            "BIC",
            "lower is better",
            sweep
                .rows
                .iter()
                .map(|r| r.bic.unwrap_or(f64::NAN))
                .collect(),
        ));
    } else {
        panels.push((
            "Inertia",
            "look for the elbow",
            sweep.rows.iter().map(|r| r.inertia).collect(),
        ));
    }
    if sweep.rows.iter().all(|r| r.stability.is_some()) {
        panels.push((
            "Stability",
            "1 = same segments on resamples",
            sweep
                .rows
                .iter()
                .map(|r| r.stability.unwrap_or(f64::NAN))
                .collect(),
        ));
    }
    let chosen = sweep.recommended_k as f64;
    let panels = panels
        .into_iter()
        .map(|(name, better, values)| view! { <Panel name better ks=ks.clone() values chosen/> })
        .collect_view();
    view! {
        <ChartFrame
            name="sweep"
            title="Scores by number of segments"
            caption=format!("the dashed line marks the recommended k = {}.", sweep.recommended_k)
        >
            <div class="small-multiples">{panels}</div>
        </ChartFrame>
    }
}

/// One score against k.
#[component]
fn Panel(
    name: &'static str,
    better: &'static str,
    ks: Vec<f64>,
    values: Vec<f64>,
    chosen: f64,
) -> impl IntoView {
    const W: f64 = 240.0;
    const H: f64 = 150.0;
    const LEFT: f64 = 44.0;
    const BOTTOM: f64 = 26.0;
    const TOP: f64 = 8.0;
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    let yt = nice_ticks(lo, hi, 4);
    let y = Linear {
        domain: (yt[0], yt[yt.len() - 1]),
        range: (H - BOTTOM, TOP),
    };
    let x = Linear {
        domain: (
            ks.first().copied().unwrap_or(2.0),
            ks.last().copied().unwrap_or(10.0),
        ),
        range: (LEFT + 6.0, W - 8.0),
    };
    let path = ks
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_finite())
        .enumerate()
        .map(|(i, (k, v))| {
            format!(
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { "L" },
                x.map(*k),
                y.map(*v)
            )
        })
        .collect::<String>();
    let dots = ks
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_finite())
        .map(|(k, v)| {
            let r = if *k == chosen { 4.5 } else { 2.5 };
            view! { <circle cx=x.map(*k) cy=y.map(*v) r=r class="line-dot">{svg_title(format!("k = {k}: {}", crate::format::fixed(*v, 3)))}</circle> }
        })
        .collect_view();
    let x_ticks = ks
        .iter()
        .map(|k| view! { <text x=x.map(*k) y=H - BOTTOM + 14.0 text-anchor="middle" class="tick">{k.to_string()}</text> })
        .collect_view();
    view! {
        <div class="panel">
            <div class="panel-title"><strong>{name}</strong>" · "{better}</div>
            <svg viewBox=format!("0 0 {W} {H}") class="chart-svg" role="img" aria-label=format!("{name} for each number of segments")>
                <YGrid ticks=yt.clone() scale=y from=LEFT to=W - 4.0/>
                <line x1=x.map(chosen) x2=x.map(chosen) y1=TOP y2=H - BOTTOM class="marker"></line>
                <path d=path class="line"></path>
                {dots}
                {x_ticks}
                <text x=(LEFT + W) / 2.0 y=H - 1.0 text-anchor="middle" class="tick">"number of segments (k)"</text>
            </svg>
        </div>
    }
}
