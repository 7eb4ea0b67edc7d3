use leptos::ev::Event;
use leptos::prelude::*;
use segmenta_core::apply::{NEW_CUSTOMER, NOT_SEGMENTED, PSI_REFIT, PSI_SHIFT};
use segmenta_core::explain::SegmentProfile;
use segmenta_core::explain::describe::label;

use crate::charts::flow::{Flow, layout};
use crate::charts::svg_title;
use crate::format::{count, percent, plural};
use crate::protocol::{KeptView, MigrationView};
use crate::ui::{ChartFrame, Disclosure, SegmentLabel, picked_file, profile_color};

/// Saved segments applied to this month's customers: how their sizes and the features
/// moved since the segments were made, and — given last time's labelled CSV — who moved
/// between segments.
#[component]
pub fn KeptPanel(
    kept: KeptView,
    segments: Vec<SegmentProfile>,
    #[prop(into)] migration: Signal<Option<MigrationView>>,
    /// Called with the previous labelled CSV the user picked.
    #[prop(optional)]
    on_compare: Option<Callback<web_sys::File>>,
    /// Whether every move is shown as a table (kept by the caller; closed unless given).
    #[prop(optional)]
    moves_open: Option<RwSignal<bool>>,
) -> impl IntoView {
    let moves_open = moves_open.unwrap_or_else(|| RwSignal::new(false));
    let then_total = kept.sizes_then.iter().sum::<usize>().max(1) as f64;
    let now_total = segments.iter().map(|s| s.size).sum::<usize>().max(1) as f64;
    let size_rows = segments
        .iter()
        .map(|s| {
            let then = kept.sizes_then.get(s.id).copied().unwrap_or(0);
            let change = (s.size as f64 / now_total - then as f64 / then_total) * 100.0;
            view! {
                <tr data-testid="kept-size-row">
                    <th scope="row"><SegmentLabel name=s.name.clone() color=Some(profile_color(s))/></th>
                    <td class="num">{format!("{} ({})", count(then), percent(then as f64 / then_total))}</td>
                    <td class="num">{format!("{} ({})", count(s.size), percent(s.size as f64 / now_total))}</td>
                    <td class="num">{format!("{change:+.1} pts")}</td>
                </tr>
            }
        })
        .collect_view();
    let drift_rows = kept
        .drift
        .iter()
        .map(|d| {
            let level = if d.psi >= PSI_REFIT {
                "weak"
            } else if d.psi >= PSI_SHIFT {
                "fair"
            } else {
                "good"
            };
            // Bars reach the full width at twice the refit threshold.
            let width = (d.psi / (2.0 * PSI_REFIT)).clamp(0.02, 1.0) * 100.0;
            view! {
                <tr data-testid="drift-row">
                    <th scope="row">{label(&d.feature)}</th>
                    <td class="num">{crate::format::fixed(d.psi, 3)}</td>
                    <td>
                        <span class="psi-bar" aria-hidden="true">
                            <span class=format!("psi-fill {level}") style:width=format!("{width:.0}%")></span>
                        </span>
                        <span class=format!("verdict {level}")>{d.verdict()}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let drift_class = if kept.refit_advised {
        "warning"
    } else {
        "note"
    };
    let drift_words = kept
        .drift_sentences
        .iter()
        .map(|s| view! { <li>{s.clone()}</li> })
        .collect_view();
    let on_file = move |ev: Event| {
        if let (Some(file), Some(cb)) = (picked_file(&ev), on_compare) {
            cb.run(file);
        }
    };
    let order: Vec<String> = segments.iter().map(|s| s.name.clone()).collect();
    let colors: Vec<(String, String)> = segments
        .iter()
        .map(|s| (s.name.clone(), profile_color(s)))
        .collect();
    let moved = move || {
        migration.get().map(|m| {
            let flow = layout(&m.migration.moves, &order, 320.0, 10.0);
            let rows = m
                .migration
                .moves
                .iter()
                .map(|mv| {
                    view! {
                        <tr data-testid="migration-row" data-customers=mv.customers>
                            <td>{mv.from.clone()}</td>
                            <td>{mv.to.clone()}</td>
                            <td class="num">{count(mv.customers)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let total = m.migration.customers;
            let csv = segmenta_core::export::migration_csv(&m.migration);
            let save = move |_| {
                if let Err(e) = crate::download::download("segmenta_migration.csv", &csv, "text/csv;charset=utf-8") {
                    leptos::logging::warn!("migration download failed: {e}");
                }
            };
            view! {
                <ul class="notes" data-testid="migration-sentences">
                    {m.sentences.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
                </ul>
                <FlowChart flow colors=colors.clone() file=m.file.clone()/>
                <Disclosure class="migration-details" open=moves_open>
                    <summary>"Every move, as a table"</summary>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Customers by previous and current segment">
                        <table class="segments" data-testid="migration-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Last time"</th>
                                    <th scope="col">"Now"</th>
                                    <th scope="col" class="num">"Customers"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                            <tfoot>
                                <tr>
                                    <th scope="row" colspan="2">"All customers in this file"</th>
                                    <td class="num" data-testid="migration-total" data-customers=total>{count(total)}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                    <button type="button" class="button small" data-testid="migration-download" on:click=save>"Download as CSV"</button>
                </Disclosure>
            }
        })
    };
    view! {
        <div class="kept" data-testid="kept-panel">
            <h3>"Compared with when the segments were made"</h3>
            <p class="hint">
                {format!(
                    "These customers were put into the {} saved in your recipe, without finding segments again: each segment keeps its name and meaning from last time.",
                    plural(segments.iter().filter(|s| !s.outliers).count(), "segment")
                )}
            </p>
            <div class=drift_class data-testid="drift-verdict"><ul>{drift_words}</ul></div>
            <div class="kept-tables">
                <div class="table-scroll" tabindex="0" role="region" aria-label="Segment sizes then and now">
                    <table class="segments" data-testid="kept-sizes">
                        <thead>
                            <tr>
                                <th scope="col">"Segment"</th>
                                <th scope="col" class="num">"When made"</th>
                                <th scope="col" class="num">"Now"</th>
                                <th scope="col" class="num">"Change"</th>
                            </tr>
                        </thead>
                        <tbody>{size_rows}</tbody>
                    </table>
                </div>
                <div class="table-scroll" tabindex="0" role="region" aria-label="How much each feature changed">
                    <table class="segments" data-testid="drift-table">
                        <thead>
                            <tr>
                                <th scope="col">"Feature"</th>
                                <th scope="col" class="num" title="Population stability index: 0 is unchanged; 0.1 a little change; 0.25 or more a lot">"PSI"</th>
                                <th scope="col">"Since the segments were made"</th>
                            </tr>
                        </thead>
                        <tbody>{drift_rows}</tbody>
                    </table>
                </div>
            </div>
            <div class="export-row">
                <label class="button">
                    "Compare with last time’s labelled CSV…"
                    <input type="file" class="visually-hidden" accept=".csv,text/csv" data-testid="migration-file" on:change=on_file/>
                </label>
                <p class="hint">"The labelled CSV you downloaded last time. Customers are matched by id on this device, to show who moved from one segment to another."</p>
            </div>
            {moved}
        </div>
    }
}

/// Previous segments on the left, segments now on the right, bands as wide as the
/// customers who moved.
#[component]
fn FlowChart(flow: Flow, colors: Vec<(String, String)>, file: String) -> impl IntoView {
    const NODE: f64 = 14.0;
    const SPAN: f64 = 300.0;
    // Room for the longest label of each column (13px text is about 7.4px a character).
    let label = |n: &crate::charts::flow::Node| format!("{} · {}", n.name, count(n.customers));
    let room = |nodes: &[crate::charts::flow::Node]| {
        nodes
            .iter()
            .map(|n| label(n).chars().count())
            .max()
            .unwrap_or(0) as f64
            * 7.4
            + 10.0
    };
    let (left_room, right_room) = (room(&flow.left), room(&flow.right));
    let color = move |name: &str| {
        colors
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| "var(--outlier)".to_owned(), |(_, c)| c.clone())
    };
    let height = flow
        .left
        .iter()
        .chain(&flow.right)
        .map(|n| n.y + n.height)
        .fold(0.0, f64::max)
        + 8.0;
    let (x0, x1) = (left_room + NODE, left_room + NODE + SPAN);
    let bands = flow
        .bands
        .iter()
        .map(|b| {
            let from = &flow.left[b.from];
            let to = &flow.right[b.to];
            let mid = (x0 + x1) / 2.0;
            let (a, c) = (b.y_from + 4.0, b.y_to + 4.0);
            let h = b.height;
            let path = format!(
                "M{x0},{a} C{mid},{a} {mid},{c} {x1},{c} L{x1},{} C{mid},{} {mid},{} {x0},{} Z",
                c + h,
                c + h,
                a + h,
                a + h
            );
            let fill = if from.name == NEW_CUSTOMER {
                color(&to.name)
            } else {
                color(&from.name)
            };
            let stay = from.name == to.name;
            view! {
                <path d=path fill=fill class=if stay { "flow-band stay" } else { "flow-band" }>
                    {svg_title(format!("{} → {}: {}", from.name, to.name, plural(b.customers, "customer")))}
                </path>
            }
        })
        .collect_view();
    let nodes = |nodes: &[crate::charts::flow::Node], left: bool| {
        nodes
            .iter()
            .map(|n| {
                let x = if left { left_room } else { x1 };
                let fill = if n.name == NEW_CUSTOMER || n.name == NOT_SEGMENTED {
                    "var(--outlier)".to_owned()
                } else {
                    color(&n.name)
                };
                let (tx, anchor) = if left {
                    (left_room - 6.0, "end")
                } else {
                    (x1 + NODE + 6.0, "start")
                };
                view! {
                    <g>
                        {svg_title(format!("{}: {}", n.name, plural(n.customers, "customer")))}
                        <rect x=x y=n.y + 4.0 width=NODE height=n.height.max(1.0) fill=fill rx="2"></rect>
                        <text x=tx y=n.y + 4.0 + n.height / 2.0 text-anchor=anchor dominant-baseline="middle" class="chart-label">
                            {label(n)}
                        </text>
                    </g>
                }
            })
            .collect_view()
    };
    let left = nodes(&flow.left, true);
    let right = nodes(&flow.right, false);
    view! {
        <ChartFrame name="migration" title="Who moved" caption=format!("last time’s segments ({file}) on the left, this file’s on the right; each band is as wide as the customers who made that move.")>
            <svg viewBox=format!("0 0 {} {height}", x1 + NODE + right_room) class="chart-svg" role="img" aria-label="Flow chart of customers moving between segments">
                {bands}
                {left}
                {right}
            </svg>
        </ChartFrame>
    }
}
