use std::sync::Arc;

use leptos::prelude::*;
use segmenta_core::explain::humanize;

use crate::format::{count, percent, value};
use crate::protocol::ResultView;
use crate::ui::{SegmentLabel, profile_color};

/// Differences smaller than this many standard deviations are shown without an arrow.
const NOTABLE: f64 = 0.3;

/// One row per segment: name, size and share, and each feature's average (or median)
/// against everyone.
#[component]
pub fn SegmentTable(
    #[prop(into)] result: Arc<ResultView>,
    /// Whether medians are shown (kept by the caller; averages unless given).
    #[prop(optional)]
    medians: Option<RwSignal<bool>>,
) -> impl IntoView {
    let features = result.features.clone();
    let medians = medians.unwrap_or_else(|| RwSignal::new(false));
    let has_medians =
        !result.distributions.is_empty() && result.overall.medians.len() == result.features.len();
    let overall_means = result.overall.means.clone();
    let overall_medians = result.overall.medians.clone();
    let head = features
        .iter()
        .map(|f| view! { <th scope="col" class="num" title=f.clone()>{humanize(f)}</th> })
        .collect_view();
    let rows = result
        .segments
        .iter()
        .enumerate()
        .map(|(s, seg)| {
            let boxes = result.distributions.get(s).cloned().unwrap_or_default();
            let cells = seg
                .means
                .iter()
                .zip(&seg.z)
                .enumerate()
                .map(|(j, (m, z))| {
                    let m = *m;
                    let median = boxes.get(j).copied().flatten().map(|b| b.median);
                    // Arrows are neutral: higher is good for spend but bad for days since the
                    // last order, so colour would mislead.
                    let (arrow, words) = if *z >= NOTABLE {
                        ("▲", "above")
                    } else if *z <= -NOTABLE {
                        ("▼", "below")
                    } else {
                        ("", "close to")
                    };
                    let title = format!("Average {} is {words} the average of all customers ({z:+.1} standard deviations)", value(m));
                    view! {
                        <td class="num" title=title>
                            {move || if medians.get() { median.map(value).unwrap_or_default() } else { value(m) }}
                            <span class="delta" aria-hidden="true">{arrow}</span>
                        </td>
                    }
                })
                .collect_view();
            let share = seg.share;
            let color = profile_color(seg);
            view! {
                <tr data-testid="segment-row">
                    <th scope="row">
                        <SegmentLabel name=seg.name.clone() color=Some(color.clone())/>
                    </th>
                    <td class="num">
                        <div class="size-cell">
                            <span>{count(seg.size)}</span>
                            <span class="share" aria-hidden="true">
                                <span class="share-bar" style:width=format!("{:.1}%", share * 100.0) style:background=color></span>
                            </span>
                            <span class="muted share-pct">{percent(share)}</span>
                        </div>
                    </td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let overall_cells = move || {
        let values = if medians.get() {
            &overall_medians
        } else {
            &overall_means
        };
        values
            .iter()
            .map(|m| view! { <td class="num">{value(*m)}</td> })
            .collect_view()
    };
    let toggle = has_medians.then(|| {
        view! {
            <div class="legend chart-toggle table-toggle" role="group" aria-label="Numbers shown in the table">
                <button type="button" class="legend-entry" aria-pressed=move || (!medians.get()).to_string() on:click=move |_| medians.set(false)>"Averages"</button>
                <button type="button" class="legend-entry" data-testid="show-medians" aria-pressed=move || medians.get().to_string() on:click=move |_| medians.set(true)>"Medians"</button>
                <span class="muted small">"Medians are the middle customer's value, less swayed by a few big spenders; arrows always compare averages."</span>
            </div>
        }
    });
    view! {
        {toggle}
        <div class="table-scroll" tabindex="0" role="region" aria-label="Segments">
            <table class="segments">
                <thead>
                    <tr>
                        <th scope="col">"Segment"</th>
                        <th scope="col" class="num">"Customers"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"All customers"</th>
                        <td class="num">{count(result.rows)}</td>
                        {overall_cells}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
