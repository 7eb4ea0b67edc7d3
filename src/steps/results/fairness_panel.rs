use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;
use segmenta_core::explain::fairness::{Composition, HIGH, LOW};
use segmenta_core::explain::humanize;

use crate::format::percent;
use crate::ui::{SegmentLabel, profile_color};

/// For a column the user marks as sensitive (gender, age band, country): each group's
/// share per segment against its share of all customers, with the segments where it is
/// outside 0.8–1.25× flagged, as an aid to human oversight.
#[component]
pub fn FairnessPanel(
    compositions: Vec<Composition>,
    segments: Vec<SegmentProfile>,
    /// The chosen column (kept by the caller; none unless given).
    #[prop(optional)]
    chosen: Option<RwSignal<Option<usize>>>,
) -> impl IntoView {
    let chosen = chosen.unwrap_or_else(|| RwSignal::new(None));
    // Drawn again after a rename with the column chosen before.
    let before = chosen.get_untracked();
    let none_chosen = before.is_none();
    let options = compositions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            view! { <option value=i.to_string() selected=before == Some(i)>{humanize(&c.column)}</option> }
        })
        .collect_view();
    let compositions = StoredValue::new(compositions);
    let segments = StoredValue::new(segments);
    let table = move || {
        let i = chosen.get()?;
        compositions.with_value(|all| {
            let c = all.get(i)?.clone();
            let total: usize = c.overall.iter().sum::<usize>().max(1);
            let head = c.groups.iter().map(|g| view! { <th scope="col" class="num">{g.clone()}</th> }).collect_view();
            let rows = segments.with_value(|segs| {
                segs.iter()
                    .enumerate()
                    .map(|(s, seg)| {
                        let size: usize = c.segments.get(s).map_or(0, |r| r.iter().sum::<usize>()).max(1);
                        let cells = (0..c.groups.len())
                            .map(|g| {
                                let n = c.segments.get(s).map_or(0, |r| r[g]);
                                let flag = c.flags.iter().find(|f| f.segment == s && f.group == g);
                                let class = match flag {
                                    Some(f) if f.ratio > HIGH => "num flag-high",
                                    Some(_) => "num flag-low",
                                    None => "num",
                                };
                                let title = flag.map(|f| c.sentence(f, &seg.name)).unwrap_or_default();
                                let mark = flag.map(|f| if f.ratio > HIGH { " ▲" } else { " ▼" });
                                view! { <td class=class title=title>{percent(n as f64 / size as f64)}{mark}</td> }
                            })
                            .collect_view();
                        view! {
                            <tr>
                                <th scope="row">
                                    <SegmentLabel name=seg.name.clone() color=Some(profile_color(seg))/>
                                </th>
                                {cells}
                            </tr>
                        }
                    })
                    .collect_view()
            });
            let names: Vec<String> = segments.with_value(|s| s.iter().map(|p| p.name.clone()).collect());
            let sentences: Vec<String> = c
                .flags
                .iter()
                .map(|f| c.sentence(f, names.get(f.segment).map_or("", String::as_str)))
                .collect();
            let summary = if sentences.is_empty() {
                view! { <p class="small" data-testid="fairness-summary">{format!("Every group's share in every segment is within {LOW}–{HIGH}× its share of all customers.")}</p> }.into_any()
            } else {
                view! {
                    <div class="warning" data-testid="fairness-summary">
                        <strong>{format!("{} to look at: ", sentences.len())}</strong>
                        <ul>{sentences.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    </div>
                }
                .into_any()
            };
            Some(view! {
                {summary}
                <div class="table-scroll" tabindex="0" role="region" aria-label="Composition by segment">
                    <table class="segments">
                        <thead><tr><th scope="col">"Segment"</th>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">"All customers"</th>
                                {c.overall.iter().map(|n| view! { <td class="num">{percent(*n as f64 / total as f64)}</td> }).collect_view()}
                            </tr>
                        </tfoot>
                    </table>
                </div>
            })
        })
    };
    view! {
        <section class="fairness" data-testid="fairness">
            <h3>"Check the segments' make-up"</h3>
            <p class="small muted">
                "Choose a sensitive column (such as gender, age band or country) to see how its groups are spread over the segments. Shares outside 0.8–1.25× a group's share of all customers are flagged for a person to review; the column is not used to form segments unless you choose it as a feature."
            </p>
            <label class="field compact fairness-pick">
                <span>"Sensitive column"</span>
                <select
                    data-testid="fairness-column"
                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                >
                    <option value="" selected=none_chosen>"None"</option>
                    {options}
                </select>
            </label>
            {table}
        </section>
    }
}
