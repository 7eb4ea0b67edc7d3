use leptos::prelude::*;
use segmenta_core::cluster::Sweep;

use crate::format::count;

/// Every number of segments compared, with the recommended one marked and the sentence
/// saying why.
#[component]
pub fn SweepTable(sweep: Sweep, customers: usize) -> impl IntoView {
    let has_bic = sweep.rows.iter().all(|r| r.bic.is_some());
    let on = match sweep.sampled {
        Some(m) => format!(
            "Compared on a random sample of {} of the {} customers.",
            count(m),
            count(customers)
        ),
        None => format!("Compared on all {} customers.", count(customers)),
    };
    let rows = sweep
        .rows
        .iter()
        .map(|r| {
            let chosen = r.k == sweep.recommended_k;
            let stability = r.stability.map_or_else(|| "–".to_owned(), |s| crate::format::fixed(s, 2));
            let bic = has_bic.then(|| view! { <td class="num">{crate::format::fixed(r.bic.unwrap_or(f64::NAN), 0)}</td> });
            view! {
                <tr class:recommended=chosen data-testid="sweep-row" aria-current=chosen.then_some("true")>
                    <th scope="row" class="num">{r.k}</th>
                    <td class="num">{crate::format::fixed(r.silhouette, 3)}</td>
                    <td class="num">{crate::format::fixed(r.calinski_harabasz, 1)}</td>
                    <td class="num">{crate::format::fixed(r.davies_bouldin, 3)}</td>
                    <td class="num">{stability}</td>
                    {bic}
                    <td class="mark">{chosen.then_some("← recommended")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="sweep">
            <p class="recommendation" data-testid="recommendation">{sweep.recommendation.clone()}</p>
            <details class="sweep-details">
                <summary>"How each number of segments scored"</summary>
                <p class="muted small">
                    {on}
                    " Silhouette and Calinski-Harabasz: higher is better. Davies-Bouldin: lower is better. Stability: how alike the segments stay when the customers are resampled (1 = identical)."
                    {has_bic.then_some(" BIC: lower is better.")}
                </p>
                <div class="table-scroll">
                    <table class="sweep-table" data-testid="sweep-table">
                        <thead>
                            <tr>
                                <th scope="col" class="num">"Segments"</th>
                                <th scope="col" class="num">"Silhouette"</th>
                                <th scope="col" class="num">"Calinski-Harabasz"</th>
                                <th scope="col" class="num">"Davies-Bouldin"</th>
                                <th scope="col" class="num">"Stability"</th>
                                {has_bic.then(|| view! { <th scope="col" class="num">"BIC"</th> })}
                                <th scope="col"><span class="visually-hidden">"Recommendation"</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </div>
    }
}
