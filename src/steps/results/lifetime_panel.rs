use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;

use crate::format::{count, percent, value};
use crate::protocol::{LifetimeView, SegmentValue};
use crate::ui::{Disclosure, SegmentLabel, profile_color};

/// Churn risk and lifetime value per segment, with the models' assumptions in one short
/// paragraph and every reason to distrust them.
#[component]
pub fn LifetimePanel(
    lifetime: LifetimeView,
    segments: Vec<SegmentProfile>,
    /// Whether the fitted parameters are shown (kept by the caller; closed unless given).
    #[prop(optional)]
    params_open: Option<RwSignal<bool>>,
) -> impl IntoView {
    let params_open = params_open.unwrap_or_else(|| RwSignal::new(false));
    let body = match &lifetime.unavailable {
        Some(reason) => view! {
            <p class="warning" data-testid="lifetime-unavailable">{reason.clone()}</p>
        }
        .into_any(),
        None => {
            let row = |name: String, color: Option<String>, v: &SegmentValue| {
                view! {
                    <tr>
                        <th scope="row">
                            <SegmentLabel name color/>
                        </th>
                        <td class="num">{count(v.customers)}</td>
                        <td class="num">{percent(v.p_alive)}</td>
                        <td class="num">{format!("{} ({})", count(v.at_risk), percent(v.at_risk as f64 / v.customers.max(1) as f64))}</td>
                        <td class="num">{crate::format::fixed(v.expected_purchases, 1)}</td>
                        <td class="num">{value(v.clv)}</td>
                        <td class="num">{value(v.clv_total)}</td>
                    </tr>
                }
            };
            let rows = segments
                .iter()
                .zip(&lifetime.segments)
                .filter(|(_, v)| v.customers > 0)
                .map(|(s, v)| row(s.name.clone(), Some(profile_color(s)), v))
                .collect_view();
            let params = lifetime.bgnbd.zip(lifetime.gamma_gamma).map(|(b, g)| {
                let (b, g) = (b.params, g.params);
                view! {
                    <Disclosure class="model-params" open=params_open>
                        <summary>"Fitted model parameters"</summary>
                        <p class="small muted">
                            {format!(
                                "BG/NBD: r = {}, α = {}, a = {}, b = {}. Gamma-Gamma: p = {}, q = {}, v = {}. Fitted by maximum likelihood as the lifetimes package does; monthly discount rate {}%.",
                                f4(b.r), f4(b.alpha), f4(b.a), f4(b.b), f4(g.p), f4(g.q), f4(g.v), crate::format::fixed(lifetime.monthly_discount_rate * 100.0, 1)
                            )}
                        </p>
                    </Disclosure>
                }
            });
            let horizon = lifetime.horizon_days;
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Predicted value by segment">
                    <table class="segments">
                        <thead>
                            <tr>
                                <th scope="col">"Segment"</th>
                                <th scope="col" class="num">"Customers"</th>
                                <th scope="col" class="num">"Likely still active"</th>
                                <th scope="col" class="num">"At risk"</th>
                                <th scope="col" class="num">{format!("Orders expected, next {} days", crate::format::fixed(horizon, 0))}</th>
                                <th scope="col" class="num">"Value per customer"</th>
                                <th scope="col" class="num">"Segment value"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                        <tfoot>{row("All customers".into(), None, &lifetime.all)}</tfoot>
                    </table>
                </div>
                {params}
            }
            .into_any()
        }
    };
    let warnings = (!lifetime.warnings.is_empty()).then(|| {
        view! {
            <div class="warning" data-testid="lifetime-warnings">
                <strong>"Read these predictions with care: "</strong>
                <ul>{lifetime.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
            </div>
        }
    });
    view! {
        <section class="lifetime" data-testid="lifetime">
            <h3>"Churn risk and lifetime value"</h3>
            <p class="small muted">
                "How these are estimated: while active, each customer buys at a steady rate of their own; after any purchase they may stop for good with a probability of their own; how much they spend per order does not depend on how often they buy. Both models (BG/NBD and Gamma-Gamma) learn how these vary across your customers from the order history. "
                <strong>"At risk"</strong>
                " means less than a 50% chance of still being active, or silent for more than twice their usual time between orders. Value is expected spend, discounted month by month."
            </p>
            {warnings}
            {body}
        </section>
    }
}

/// A fitted model parameter, to four decimals.
fn f4(x: f64) -> String {
    crate::format::fixed(x, 4)
}
