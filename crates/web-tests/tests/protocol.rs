//! Messages between page and worker survive the browser's encoding (serde-wasm-bindgen),
//! whose handling of flattened and untagged shapes differs from JSON's.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use segmenta::protocol::{Envelope, Request, Response};
use segmenta::session::Session;
use segmenta_core::cluster::{ALGORITHM_IDS, Algorithm, Auto};
use segmenta_core::ingest::ReadOptions;
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::Recipe;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    let js = serde_wasm_bindgen::to_value(value).unwrap();
    serde_wasm_bindgen::from_value(js).unwrap()
}

#[wasm_bindgen_test]
fn run_requests_with_every_algorithm_round_trip() {
    for id in ALGORITHM_IDS {
        for k in [Auto::Auto, Auto::Value(3)] {
            let mut recipe =
                Recipe::new(vec!["spend".into()]).with_algorithm(Algorithm::from_id(id).unwrap());
            recipe.clustering.k = k;
            if let Algorithm::Dbscan { eps, .. } = &mut recipe.clustering.algorithm {
                *eps = Auto::Value(0.25);
            }
            let request = Request::Run { recipe };
            assert_eq!(round_trip(&request), request, "{id}");
        }
    }
}

#[wasm_bindgen_test]
fn results_with_a_k_comparison_round_trip() {
    let mut session = three_groups();
    let recipe = Recipe::new(vec!["spend".into(), "visits".into()]);
    let view = session.run(&recipe, &mut NoProgress).unwrap();
    assert!(view.sweep.is_some());
    assert!(view.map.is_some());
    let response = Response::Segmented(Box::new(view.clone()));
    let back = round_trip(&response);
    if let Response::Segmented(back) = &back {
        assert_eq!(back.map, view.map);
        assert_eq!(back.silhouettes, view.silhouettes);
        assert_eq!(back.scores, view.scores);
    }
    assert_eq!(back, response);
}

#[wasm_bindgen_test]
fn the_page_reads_large_answers_directly_as_it_reads_every_other() {
    let mut session = three_groups();
    let recipe = Recipe::new(vec!["spend".into(), "visits".into()]);
    let view = session.run(&recipe, &mut NoProgress).unwrap();
    let dataset = session.dataset_view().unwrap();
    for body in [
        Response::Segmented(Box::new(view)),
        Response::Dataset(Box::new(dataset)),
        Response::Idle,
        Response::Failed {
            message: "No file.".into(),
        },
    ] {
        let envelope = Envelope { id: 7, body };
        let js = serde_wasm_bindgen::to_value(&envelope).unwrap();
        assert_eq!(segmenta::bridge::decode(js).unwrap(), envelope.body);
    }
}

#[wasm_bindgen_test]
fn recipes_with_saved_segments_of_every_algorithm_round_trip() {
    let mut session = three_groups();
    for id in ALGORITHM_IDS {
        let mut recipe = Recipe::new(vec!["spend".into(), "visits".into()])
            .with_algorithm(Algorithm::from_id(id).unwrap());
        if id == "kprototypes" {
            recipe.categorical = vec!["channel".into()];
        }
        if id != "dbscan" {
            recipe = recipe.with_k(3);
        }
        session.run(&recipe, &mut NoProgress).unwrap();
        let (_, bytes) = session.recipe_with_model(&recipe).unwrap();
        let saved = Recipe::from_json(std::str::from_utf8(&bytes).unwrap()).unwrap();
        assert!(saved.model.is_some(), "{id}");
        let request = Request::Apply { recipe: saved };
        assert_eq!(round_trip(&request), request, "{id}");
        let Request::Apply { recipe } = round_trip(&request) else {
            unreachable!()
        };
        let view = session.apply(&recipe, &mut NoProgress).unwrap();
        assert!(view.kept.is_some(), "{id}");
    }
}

/// A session with 60 customers in three groups by spend, visits and channel.
fn three_groups() -> Session {
    let mut csv = String::from("id,spend,visits,channel\n");
    for i in 0..60 {
        let g = (i % 3) as f64;
        let channel = ["web", "shop", "app"][i % 3];
        csv.push_str(&format!(
            "{i},{},{},{channel}\n",
            10.0 + 50.0 * g + (i % 7) as f64,
            2.0 + 5.0 * g + (i % 2) as f64
        ));
    }
    let mut session = Session::default();
    session
        .load(
            "c.csv",
            csv.as_bytes(),
            &ReadOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
    session
}
