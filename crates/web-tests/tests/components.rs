//! Components mounted in a real browser: they render what they are given and respond to input.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use leptos::prelude::*;
use segmenta::format::count;
use segmenta::protocol::ResultView;
use segmenta::steps::results::SegmentTable;
use segmenta_core::explain::{Overall, SegmentProfile};
use segmenta_core::metrics::Scores;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn result() -> ResultView {
    let profile =
        |id: usize, name: &str, size: usize, means: Vec<f64>, z: Vec<f64>| SegmentProfile {
            id,
            name: name.into(),
            size,
            share: size as f64 / 1_500.0,
            means,
            z,
            outliers: false,
            effects: vec![],
            distinguishing: vec![],
            description: vec![],
            rfm: None,
            automatic_name: None,
        };
    ResultView {
        rows: 1_500,
        segmented: 1_500,
        features: vec![
            "orders".into(),
            "total_spent".into(),
            "days_since_last_order".into(),
        ],
        categories: Vec::new(),
        algorithm: "k-means".into(),
        k: 2,
        sweep: None,
        eps: None,
        mean_confidence: None,
        segments: vec![
            profile(
                0,
                "Regulars",
                1_000,
                vec![5.0, 250.0, 30.0],
                vec![0.1, 0.0, -0.5],
            ),
            profile(
                1,
                "Big spenders",
                500,
                vec![12.0, 2_400.0, 8.0],
                vec![1.2, 2.0, -1.1],
            ),
        ],
        overall: Overall {
            means: vec![7.3, 966.7, 22.7],
            sds: vec![3.0, 900.0, 20.0],
            medians: vec![6.0, 450.0, 15.0],
        },
        scores: Scores {
            silhouette: 0.5,
            silhouette_sample: None,
            calinski_harabasz: 100.0,
            davies_bouldin: 0.7,
            inertia: 10.0,
            silhouettes: vec![],
        },
        imputed: vec![],
        notes: vec![],
        base: "shop.csv".into(),
        map: None,
        silhouettes: vec![],
        k_distances: None,
        dendrogram: None,
        distributions: vec![],
        rfm_grid: None,
        lifetime: None,
        compositions: vec![],
        kept: None,
    }
}

#[wasm_bindgen_test]
fn segment_table_has_one_aligned_row_per_segment() {
    let root = container();
    let handle =
        leptos::mount::mount_to(root.clone(), || view! { <SegmentTable result=result()/> });
    let rows = root
        .query_selector_all("[data-testid=segment-row]")
        .unwrap();
    assert_eq!(rows.length(), 2);
    // Every row has the name cell, the size cell and one cell per feature, like the header.
    let header_cells = root.query_selector_all("thead th").unwrap().length();
    for i in 0..rows.length() {
        let row: web_sys::Element = rows.item(i).unwrap().unchecked_into();
        assert_eq!(
            row.children().length(),
            header_cells,
            "row {i} is misaligned"
        );
    }
    let text = root.text_content().unwrap();
    assert!(text.contains("Big spenders"));
    assert!(text.contains(&count(1_000)));
    assert!(text.contains("2,400"), "{text}");
    drop(handle);
}

#[wasm_bindgen_test]
async fn number_of_segments_field_explains_what_is_wrong() {
    use segmenta::engine::Engine;
    use segmenta::state::AppState;
    use segmenta::steps::cluster::SegmentStep;

    let root = container();
    let state = AppState::new();
    state.k_auto.set(false);
    let k_text = state.k_text;
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(Engine::start(state));
        view! { <SegmentStep state=state rows=Signal::stored(3) busy=Signal::stored(false) stale=Signal::stored(false) no_features=Signal::stored(false) result=Signal::stored(None)/> }
    });
    let input: web_sys::HtmlInputElement = root
        .query_selector("[data-testid=k-input]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let run: web_sys::HtmlElement = root
        .query_selector("[data-testid=run]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let help = || {
        root.query_selector("#k-input-help")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };

    input.set_value("5");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(k_text.get_untracked(), "5");
    assert_eq!(
        help(),
        "There are only 3 customers, so choose at most 3 segments."
    );
    assert!(run.has_attribute("disabled"));

    input.set_value("2");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(
        help(),
        "Between 2 and 50; three to six are usually easy to act on."
    );
    assert!(!run.has_attribute("disabled"));
    drop(handle);
}
