use leptos::prelude::*;
use segmenta_core::cluster::{Algorithm, Covariance, Linkage};

use super::AutoNumberField;
use crate::state::{AppState, parse_eps, parse_gamma, parse_min_samples};

/// The settings of the chosen algorithm, each with its validation message beside it.
#[component]
pub fn AlgorithmSettings(state: AppState) -> impl IntoView {
    let algorithm = state.algorithm;
    let id = Memo::new(move |_| algorithm.with(Algorithm::id));
    move || match id.get() {
        "dbscan" => view! { <DbscanSettings state=state/> }.into_any(),
        "gmm" => view! { <CovarianceSelect algorithm=algorithm/> }.into_any(),
        "hierarchical" => view! { <LinkageSelect algorithm=algorithm/> }.into_any(),
        "kprototypes" => view! { <GammaSetting state=state/> }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn DbscanSettings(state: AppState) -> impl IntoView {
    let eps_error = Memo::new(move |_| parse_eps(&state.eps_text.get()).err());
    let min_error = Memo::new(move |_| parse_min_samples(&state.min_samples_text.get()).err());
    let min_invalid = move || min_error.with(Option::is_some);
    view! {
        <AutoNumberField
            id="eps-input"
            label="Neighbourhood distance (eps)"
            auto=state.eps_auto
            text=state.eps_text
            error=eps_error
            auto_help=Signal::derive(|| "Chosen from where the distances to near neighbours bend upwards.".to_owned())
            help="In scaled units: customers this close count as neighbours."
        />
        <div class="field">
            <label for="min-samples-input">"Minimum group size"</label>
            <input
                id="min-samples-input"
                type="number"
                min="1"
                step="1"
                inputmode="numeric"
                data-testid="min-samples-input"
                aria-invalid=move || min_invalid().to_string()
                aria-describedby="min-samples-help"
                prop:value=move || state.min_samples_text.get()
                on:input=move |ev| state.min_samples_text.set(event_target_value(&ev))
            />
            <p id="min-samples-help" class="field-help" class:invalid=min_invalid>
                {move || min_error.get().unwrap_or_else(|| "Neighbours (counting the customer) that make a dense spot.".to_owned())}
            </p>
        </div>
    }
}

#[component]
fn GammaSetting(state: AppState) -> impl IntoView {
    let error = Memo::new(move |_| parse_gamma(&state.gamma_text.get()).err());
    view! {
        <AutoNumberField
            id="gamma-input"
            label="Weight of categories"
            auto=state.gamma_auto
            text=state.gamma_text
            error=error
            auto_help=Signal::derive(|| "Half the typical spread of the numbers (0.5 for standardized features).".to_owned())
            help="How much one differing category counts against differences in the numbers."
        />
    }
}

/// A labelled drop-down over fixed options.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] selected: Signal<&'static str>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let described = help_id.clone();
    let items = options
        .into_iter()
        .map(|(value, words)| {
            view! { <option value=value selected=move || selected.get() == value>{words}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id data-testid=id aria-describedby=described on:change=move |ev| on_pick.run(event_target_value(&ev))>
                {items}
            </select>
            <p id=help_id class="field-help">{help}</p>
        </div>
    }
}

#[component]
fn CovarianceSelect(algorithm: RwSignal<Algorithm>) -> impl IntoView {
    let selected = Signal::derive(move || {
        algorithm.with(|a| match a {
            Algorithm::Gmm { covariance, .. } => covariance.label(),
            _ => "full",
        })
    });
    let on_pick = Callback::new(move |value: String| {
        algorithm.update(|a| {
            if let Algorithm::Gmm { covariance, .. } = a {
                *covariance = match value.as_str() {
                    "diagonal" => Covariance::Diagonal,
                    "spherical" => Covariance::Spherical,
                    _ => Covariance::Full,
                };
            }
        });
    });
    view! {
        <Choice
            id="covariance-select"
            label="Segment shape"
            help="Full fits stretched, tilted groups; diagonal and spherical are simpler and steadier on few customers."
            options=vec![("full", "Full (any ellipse)"), ("diagonal", "Diagonal (axis-aligned)"), ("spherical", "Spherical (round)")]
            selected=selected
            on_pick=on_pick
        />
    }
}

#[component]
fn LinkageSelect(algorithm: RwSignal<Algorithm>) -> impl IntoView {
    let selected = Signal::derive(move || {
        algorithm.with(|a| match a {
            Algorithm::Hierarchical { linkage } => linkage.name(),
            _ => "ward",
        })
    });
    let on_pick = Callback::new(move |value: String| {
        algorithm.update(|a| {
            if let Algorithm::Hierarchical { linkage } = a {
                *linkage = match value.as_str() {
                    "complete" => Linkage::Complete,
                    "average" => Linkage::Average,
                    "single" => Linkage::Single,
                    _ => Linkage::Ward,
                };
            }
        });
    });
    view! {
        <Choice
            id="linkage-select"
            label="Merge rule"
            help="Ward gives compact groups of similar size (up to 50,000 customers); complete and average compare every pair (up to 5,000)."
            options=vec![("ward", "Ward (least added spread)"), ("complete", "Complete (farthest members)"), ("average", "Average (mean distance)"), ("single", "Single (nearest members)")]
            selected=selected
            on_pick=on_pick
        />
    }
}
