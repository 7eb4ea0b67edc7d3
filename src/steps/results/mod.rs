//! Step 5: exploring the segments found.

mod customer_map;
mod dendrogram_chart;
mod distributions_chart;
mod fairness_panel;
mod k_distance_chart;
mod kept_panel;
mod lifetime_panel;
mod metric_card;
mod profile_heatmap;
mod rfm_grid_chart;
mod segment_cards;
mod segment_table;
mod silhouette_chart;
mod sizes_chart;
mod sweep_chart;
mod view_choices;
mod why_panel;

use std::sync::Arc;

use leptos::prelude::*;

pub use customer_map::{CustomerMap, MapChoices};
pub use dendrogram_chart::DendrogramChart;
pub use distributions_chart::DistributionsChart;
pub use fairness_panel::FairnessPanel;
pub use k_distance_chart::KDistanceChart;
pub use kept_panel::KeptPanel;
pub use lifetime_panel::LifetimePanel;
pub use metric_card::MetricCard;
pub use profile_heatmap::ProfileHeatmap;
pub use rfm_grid_chart::RfmGridChart;
pub use segment_cards::SegmentCards;
pub use segment_table::SegmentTable;
pub use silhouette_chart::SilhouetteChart;
pub use sizes_chart::SizesChart;
pub use sweep_chart::SweepChart;
pub use view_choices::ViewChoices;
pub use why_panel::WhyPanel;

use crate::engine::Engine;
use crate::format::{Verdict, count, davies_bouldin_verdict, plural, silhouette_verdict, value};
use crate::protocol::{MigrationView, NeighbourMapView, ResultView, WhyView};
use crate::ui::StepTitle;

/// Headline, quality scores and the segment table.
#[component]
pub fn ResultsStep(
    #[prop(into)] result: Signal<Option<Arc<ResultView>>>,
    /// Which segmentation `result` belongs to (it changes with each new one, not when a
    /// segment is renamed).
    #[prop(into)]
    segmentation: Signal<u64>,
    #[prop(into)] why: Signal<Option<WhyView>>,
    /// Who moved since the previous labelled export (results from saved segments).
    #[prop(into, optional)]
    migration: Signal<Option<MigrationView>>,
    /// The neighbour map of the result, once asked for.
    #[prop(into, optional)]
    neighbours: Signal<Option<NeighbourMapView>>,
) -> impl IntoView {
    let engine = use_context::<Engine>();
    let on_compare = engine.map(|e| Callback::new(move |file: web_sys::File| e.compare(file)));
    let on_explain = engine.map(|e| Callback::new(move |id: String| e.explain(&id)));
    let on_neighbours = engine.map(|e| Callback::new(move |()| e.neighbour_map()));
    let on_rename =
        engine.map(|e| Callback::new(move |(i, name): (usize, String)| e.rename(i, &name)));
    // The segmentation last shown: its renamed results are shown at once.
    let shown = StoredValue::new(None::<u64>);
    // What the user chose to see, kept when a rename draws the section again.
    let choices = ViewChoices::new();
    move || {
        result.with(|r| {
            let r = Arc::clone(r.as_ref()?);
            let run = segmentation.get_untracked();
            let s = r.scores.clone();
            // The section is built in parts, each in a frame of its own, so that a large
            // result never keeps the page busy for long at a time (the first time results
            // are shown, the browser also compiles their code and sets their fonts): first
            // the headline and scores, then the segment cards, the table,
            // `map_and_panels`, `overview_charts` and `detail_charts`. A renamed segment
            // shows the whole section again at once, so that nothing flickers.
            let renamed = shown.get_value() == Some(run);
            shown.set_value(Some(run));
            if !renamed {
                choices.reset();
            }
            let stage = RwSignal::new(if renamed { 5 } else { 0u8 });
            Effect::new(move |_| {
                if stage.get() < 5 {
                    crate::ui::after_next_frame(move || {
                        stage.try_update(|s| *s += 1);
                    });
                }
            });
            let from = move |part: u8| Memo::new(move |_| stage.get() >= part);
            let (cards, table, panels, overview, details) =
                (from(1), from(2), from(3), from(4), from(5));
            let (sil_verdict, sil_words) = silhouette_verdict(s.silhouette);
            let (db_verdict, db_words) = davies_bouldin_verdict(s.davies_bouldin);
            let outliers = r.segments.iter().find(|p| p.outliers).map(|p| p.size);
            let eps_note = r.eps.map(|e| format!(" Neighbourhood distance (eps): {}.", crate::format::fixed(e, 3)));
            let confidence_note = r.mean_confidence.map(|c| {
                format!(" On average a customer belongs to their segment with {} probability.", crate::format::percent(c))
            });
            let outlier_words = outliers.map(|_| " Outliers are left out of these scores.").unwrap_or_default();
            let sample_note = s.silhouette_sample.map(|n| format!(" (on a sample of {} customers)", count(n)));
            let kept = r.kept.clone().map(|kept| match on_compare {
                Some(on_compare) => view! { <KeptPanel kept segments=r.segments.clone() migration on_compare moves_open=choices.moves_open/> }.into_any(),
                None => view! { <KeptPanel kept segments=r.segments.clone() migration moves_open=choices.moves_open/> }.into_any(),
            });
            let found_by = if r.kept.is_some() {
                format!(", put into the segments saved in your recipe ({}, {}; not fitted again).", r.algorithm, plural(r.features.len() + r.categories.len(), "feature"))
            } else {
                format!(", found by {} on {}.", r.algorithm, plural(r.features.len() + r.categories.len(), "feature"))
            };
            let [r1, r2, r3, r4, r5] = std::array::from_fn(|_| Arc::clone(&r));
            Some(view! {
                <section id="explore" class="step card">
                    <StepTitle n=5 title="Explore the segments" hint="Each row is one segment. Numbers are averages; arrows compare them with all customers."/>
                    <p class="lead" data-testid="headline">
                        <strong>{plural(r.k, "segment")}</strong>
                        {outliers.map(|n| format!(" and {}", plural(n, "outlier")))}
                        {format!(" among {} from {}{found_by}", plural(r.segmented, "customer"), r.base)}
                        {eps_note}
                        {confidence_note}
                    </p>
                    {kept}
                    <div class="metrics">
                        <MetricCard
                            name="Silhouette"
                            test_id="metric-silhouette"
                            value=crate::format::fixed(s.silhouette, 3)
                            verdict=sil_verdict
                            words=sil_words.to_owned()
                            meaning=format!("From −1 to 1: how much closer customers are to their own segment than to the next one. Higher is better{}.{outlier_words}", sample_note.unwrap_or_default())
                        />
                        <MetricCard
                            name="Calinski-Harabasz"
                            test_id="metric-calinski-harabasz"
                            value=crate::format::fixed(s.calinski_harabasz, 1)
                            verdict=Verdict::Neutral
                            words="Compare between runs".to_owned()
                            meaning="How far apart segments are compared with how spread out each one is. Higher is better; use it to compare runs on the same data.".to_owned()
                        />
                        <MetricCard
                            name="Davies-Bouldin"
                            test_id="metric-davies-bouldin"
                            value=crate::format::fixed(s.davies_bouldin, 3)
                            verdict=db_verdict
                            words=db_words.to_owned()
                            meaning="How much each segment overlaps its most similar neighbour. Lower is better; 0 means no overlap.".to_owned()
                        />
                    </div>
                    {move || cards.get().then(|| match on_rename {
                        Some(on_rename) => view! { <SegmentCards segments=r1.segments.clone() lifetime=r1.lifetime.clone() on_rename/> }.into_any(),
                        None => view! { <SegmentCards segments=r1.segments.clone() lifetime=r1.lifetime.clone()/> }.into_any(),
                    })}
                    {move || table.get().then(|| view! { <SegmentTable result=Arc::clone(&r2) medians=choices.medians/> })}
                    {move || panels.get().then(|| map_and_panels(&r3, choices, why, neighbours, on_explain, on_neighbours))}
                    {move || overview.get().then(|| overview_charts(&r4, choices))}
                    {move || details.get().then(|| detail_charts(&r5, choices))}
                </section>
            })
        })
    }
}

/// The second part of the results: lifetime value, the customer map and "why is this
/// customer here".
fn map_and_panels(
    r: &ResultView,
    choices: ViewChoices,
    why: Signal<Option<WhyView>>,
    neighbours: Signal<Option<NeighbourMapView>>,
    on_explain: Option<Callback<String>>,
    on_neighbours: Option<Callback<()>>,
) -> impl IntoView + use<> {
    let lifetime = r
        .lifetime
        .clone()
        .map(|lifetime| view! { <LifetimePanel lifetime segments=r.segments.clone() params_open=choices.model_params_open/> });
    let map = r.map.clone().map(|m| match (on_explain, on_neighbours) {
        (Some(on_pick), Some(on_neighbours)) => view! {
            <CustomerMap map=m segments=r.segments.clone() choices=choices.map on_pick neighbours on_neighbours/>
        }
        .into_any(),
        _ => view! { <CustomerMap map=m segments=r.segments.clone() choices=choices.map/> }.into_any(),
    });
    let example = r.map.as_ref().and_then(|m| m.ids.get(0).map(str::to_owned));
    let why_panel = on_explain.map(|on_explain| {
        view! { <WhyPanel why segments=r.segments.clone() on_explain example/> }
    });
    view! { {lifetime} {map} {why_panel} }
}

/// The third part: sizes, the k comparison, the RFM grid and the profile heatmap.
fn overview_charts(r: &ResultView, choices: ViewChoices) -> impl IntoView + use<> {
    let sweep_chart = r.sweep.clone().map(|sweep| view! { <SweepChart sweep/> });
    let rfm_grid = r
        .rfm_grid
        .clone()
        .map(|grid| view! { <RfmGridChart grid by_value=choices.rfm_by_value/> });
    view! {
        <div class="chart-grid">
            <SizesChart segments=r.segments.clone()/>
            {sweep_chart}
            {rfm_grid}
        </div>
        <ProfileHeatmap segments=r.segments.clone() features=r.features.clone()/>
    }
}

/// The last part: distributions, silhouettes, the k-distance curve, the dendrogram, the
/// make-up check and the preparation notes.
fn detail_charts(r: &ResultView, choices: ViewChoices) -> impl IntoView + use<> {
    let distributions_chart = (!r.distributions.is_empty()).then(|| {
        view! {
            <DistributionsChart
                segments=r.segments.clone()
                features=r.features.clone()
                boxes=r.distributions.clone()
            />
        }
    });
    let silhouette_chart = r.silhouettes.iter().any(|v| !v.is_empty()).then(|| {
        view! { <SilhouetteChart segments=r.segments.clone() silhouettes=r.silhouettes.clone() mean=r.scores.silhouette/> }
    });
    let k_distance_chart = r
        .k_distances
        .clone()
        .map(|curve| view! { <KDistanceChart curve/> });
    let dendrogram_chart = r
        .dendrogram
        .clone()
        .map(|tree| view! { <DendrogramChart tree segments=r.segments.clone()/> });
    let fairness = (!r.compositions.is_empty()).then(|| {
        view! { <FairnessPanel compositions=r.compositions.clone() segments=r.segments.clone() chosen=choices.fairness_column/> }
    });
    let imputed = (!r.imputed.is_empty() || !r.notes.is_empty()).then(|| {
        let parts: Vec<String> = r
            .imputed
            .iter()
            .filter(|i| i.value.is_finite())
            .map(|i| format!("{}: {} missing values filled with {}", i.feature, count(i.count), value(i.value)))
            .chain(r.notes.iter().cloned())
            .collect();
        view! { <ul class="notes small">{parts.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> }
    });
    view! {
        {distributions_chart}
        {silhouette_chart}
        {k_distance_chart}
        {dendrogram_chart}
        {fairness}
        {imputed}
    }
}
