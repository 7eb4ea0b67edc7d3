use leptos::prelude::*;
use segmenta_core::explain::humanize;

use crate::format::{count, percent, value};
use crate::protocol::ResultView;
use crate::ui::{SegmentLabel, profile_color};

/// Differences smaller than this many standard deviations are shown without an arrow.
const NOTABLE: f64 = 0.3;

/// One row per segment: name, size and share, and each feature's average against everyone.
#[component]
pub fn SegmentTable(result: ResultView) -> impl IntoView {
    let features = result.features.clone();
    let overall = result.overall.means.clone();
    let head = features
        .iter()
        .map(|f| view! { <th scope="col" class="num" title=f.clone()>{humanize(f)}</th> })
        .collect_view();
    let rows = result
        .segments
        .iter()
        .map(|seg| {
            let cells = seg
                .means
                .iter()
                .zip(&seg.z)
                .map(|(m, z)| {
                    // Arrows are neutral: higher is good for spend but bad for days since the
                    // last order, so colour would mislead.
                    let (arrow, words) = if *z >= NOTABLE {
                        ("▲", "above")
                    } else if *z <= -NOTABLE {
                        ("▼", "below")
                    } else {
                        ("", "close to")
                    };
                    let title = format!("{words} the average of all customers ({z:+.1} standard deviations)");
                    view! {
                        <td class="num" title=title>
                            {value(*m)}
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
    view! {
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
                        {overall.iter().map(|m| view! { <td class="num">{value(*m)}</td> }).collect_view()}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
