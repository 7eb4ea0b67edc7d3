//! The UMAP map against scikit-learn's yardstick (`reference/umap_reference.json`, produced
//! by `reference/make_umap_reference.py` from scikit-learn's `digits`: 1,797 handwritten
//! digits, 64 pixels each).
//!
//! Trustworthiness (10 neighbours) first equals scikit-learn's `trustworthiness` on a fixed
//! map (the first two principal components of the digits, offset by a millionth or so to
//! break the ties scikit-learn breaks in no fixed order: 0.83); then Segmenta's UMAP map of the
//! digits must reach at least 0.95 by that same measure (scikit-learn's t-SNE reaches 0.99,
//! the flat PCA map 0.83).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ndarray::Array2;
use segmenta_core::progress::NoProgress;
use segmenta_core::umap::{UmapParams, fit, trustworthiness};
use serde_json::Value;

fn digits() -> Array2<f64> {
    let text = include_str!("reference/digits.csv");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells: Vec<f64> = l.split(',').map(|c| c.parse().unwrap()).collect();
            cells.pop(); // the digit shown, not a feature
            cells
        })
        .collect();
    let d = rows[0].len();
    Array2::from_shape_vec((rows.len(), d), rows.concat()).unwrap()
}

fn reference() -> Value {
    serde_json::from_str(include_str!("reference/umap_reference.json")).unwrap()
}

#[test]
fn trustworthiness_equals_scikit_learn() {
    let x = digits();
    assert_eq!(x.dim(), (1797, 64));
    let want = reference();
    let points: Vec<f64> = want["pca_embedding"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
        .collect();
    let embedding = Array2::from_shape_vec((1797, 2), points).unwrap();
    // The same tie-breaking offsets as the reference script.
    let d = x.ncols();
    let xt = Array2::from_shape_fn(x.dim(), |(i, j)| {
        let h = ((i * d + j) as u64 * 2_654_435_761) % 1_000_003;
        x[[i, j]] + 1e-6 * h as f64 / 1_000_003.0
    });
    let got = trustworthiness(xt.view(), embedding.view(), 10);
    let expected = want["pca_trustworthiness"].as_f64().unwrap();
    assert!(
        (got - expected).abs() <= 1e-9 * expected,
        "trustworthiness {got} vs scikit-learn's {expected}"
    );
}

#[test]
fn umap_of_the_digits_is_trustworthy() {
    let x = digits();
    let map = fit(
        x.view(),
        &UmapParams::default(),
        &mut NoProgress,
        &mut |_| {},
    )
    .unwrap();
    let t = trustworthiness(x.view(), map.coords.view(), 10);
    let tsne = reference()["tsne_trustworthiness"].as_f64().unwrap();
    eprintln!("UMAP trustworthiness on digits: {t:.4} (scikit-learn's t-SNE: {tsne:.4})");
    assert!(t >= 0.95, "trustworthiness {t}");
}
