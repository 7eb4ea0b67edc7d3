use leptos::prelude::*;
use segmenta_core::features::btyd::TimeUnit;

use crate::engine::Engine;
use crate::format::count;
use crate::protocol::DatasetView;
use crate::steps::columns::PreviewTable;

/// The customers the files make together: how many, what was cleaned and joined, and the
/// analysis date the behaviour is measured at.
#[component]
pub fn CustomersSummary(
    #[prop(into)] dataset: Signal<Option<DatasetView>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let columns = Signal::derive(move || {
        dataset.with(|d| d.as_ref().map(|d| d.columns.clone()).unwrap_or_default())
    });
    let rows = Signal::derive(move || {
        dataset.with(|d| d.as_ref().map(|d| d.preview.clone()).unwrap_or_default())
    });
    let total = Signal::derive(move || dataset.with(|d| d.as_ref().map_or(0, |d| d.rows)));
    let body = move || {
        let d = dataset.get()?;
        if let Some(error) = d.error {
            return Some(
                view! {
                    <div class="customers">
                        <h3>"Your customers"</h3>
                        <p class="field-help invalid" data-testid="dataset-error">{error}</p>
                    </div>
                }
                .into_any(),
            );
        }
        let unit = d.unit;
        let as_of = d.as_of.clone();
        let dated = as_of.is_some();
        let date_value = as_of.clone().unwrap_or_default();
        let notes = d
            .notes
            .iter()
            .map(|n| view! { <li>{n.clone()}</li> })
            .collect_view();
        Some(view! {
            <div class="customers" data-testid="customers">
                <h3>"Your customers"</h3>
                <p class="lead">
                    <strong data-testid="customer-count">{format!("{} customers", count(d.rows))}</strong>
                    {format!(" from {}", d.base)}
                    {as_of.map(|a| format!(", as of {a}"))}
                    "."
                </p>
                {(!d.notes.is_empty()).then(|| view! { <ul class="notes" data-testid="data-notes">{notes}</ul> })}
                {dated.then(|| view! {
                    <div class="options-row">
                        <div class="field compact">
                            <label for="as-of">"Analysis date"</label>
                            <input
                                id="as-of"
                                type="date"
                                data-testid="as-of"
                                prop:value=date_value
                                disabled=move || busy.get()
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    engine.set_data_options((!v.is_empty()).then_some(v), unit);
                                }
                            />
                            <p class="field-help">"Recency and trends are measured up to this day. Default: the day after the last order."</p>
                        </div>
                        <div class="field compact">
                            <label for="unit">"Lifetime-value time unit"</label>
                            <select
                                id="unit"
                                disabled=move || busy.get()
                                on:change=move |ev| {
                                    let unit = if event_target_value(&ev) == "weeks" { TimeUnit::Weeks } else { TimeUnit::Days };
                                    engine.set_data_options(dataset.with_untracked(|d| d.as_ref().filter(|d| d.as_of_chosen).and_then(|d| d.as_of.clone())), unit);
                                }
                            >
                                <option value="days" selected=unit == TimeUnit::Days>"Days"</option>
                                <option value="weeks" selected=unit == TimeUnit::Weeks>"Weeks"</option>
                            </select>
                        </div>
                    </div>
                })}
                <details class="customer-table">
                    <summary>"Show the customer table"</summary>
                    <PreviewTable columns=columns rows=rows total=total test_id="customer-preview" label="First customers"/>
                </details>
            </div>
        }
        .into_any())
    };
    view! { {body} }
}
