//! Segmenta's numbers against scikit-learn's on the same data (values in
//! `reference/reference.json`, produced by `reference/make_reference.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segmenta_core::cluster::KMeansParams;
use segmenta_core::features::{FeatureChoice, Preprocessor};
use segmenta_core::ingest::{ReadOptions, read_bytes};
use segmenta_core::metrics::{calinski_harabasz, davies_bouldin, silhouette};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("reference/reference.json")).unwrap()
}

fn fixture(name: &str) -> &'static str {
    match name {
        "iris" => include_str!("reference/iris.csv"),
        "wine" => include_str!("reference/wine.csv"),
        "blobs" => include_str!("reference/blobs.csv"),
        other => panic!("no fixture {other}"),
    }
}

fn scaled(name: &str, features: &[String]) -> ndarray::Array2<f64> {
    let table = read_bytes(fixture(name).as_bytes(), &ReadOptions::default())
        .unwrap()
        .table;
    Preprocessor::fit(
        &table,
        &features
            .iter()
            .map(|f| FeatureChoice::plain(f))
            .collect::<Vec<_>>(),
        &[],
        segmenta_core::features::Encoding::OneHot,
    )
    .unwrap()
    .1
    .scaled
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn assert_rel(name: &str, got: f64, want: f64, tol: f64) {
    let rel = (got - want).abs() / want.abs().max(1e-300);
    assert!(
        rel <= tol,
        "{name}: got {got}, scikit-learn {want} (relative difference {rel:.2e} > {tol:.0e})"
    );
}

#[test]
fn standard_scaling_equals_scikit_learn() {
    for (name, entry) in reference()["datasets"].as_object().unwrap() {
        let x = scaled(name, &strings(&entry["features"]));
        assert_eq!(x.nrows() as u64, entry["rows"].as_u64().unwrap());
        for (i, row) in entry["scaled_head"].as_array().unwrap().iter().enumerate() {
            for (j, v) in row.as_array().unwrap().iter().enumerate() {
                let want = v.as_f64().unwrap();
                assert!(
                    (x[[i, j]] - want).abs() < 1e-12,
                    "{name}[{i},{j}]: {} vs {want}",
                    x[[i, j]]
                );
            }
        }
    }
}

#[test]
fn metrics_equal_scikit_learn_on_the_same_labels() {
    for (name, entry) in reference()["datasets"].as_object().unwrap() {
        let x = scaled(name, &strings(&entry["features"]));
        for run in entry["runs"].as_array().unwrap() {
            let labels: Vec<usize> = run["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_u64().unwrap() as usize)
                .collect();
            let k = run["k"].as_u64().unwrap();
            let label = |m: &str| format!("{name} k={k} {m}");
            assert_rel(
                &label("silhouette"),
                silhouette(x.view(), &labels).unwrap(),
                run["silhouette"].as_f64().unwrap(),
                1e-9,
            );
            assert_rel(
                &label("calinski_harabasz"),
                calinski_harabasz(x.view(), &labels).unwrap(),
                run["calinski_harabasz"].as_f64().unwrap(),
                1e-9,
            );
            assert_rel(
                &label("davies_bouldin"),
                davies_bouldin(x.view(), &labels).unwrap(),
                run["davies_bouldin"].as_f64().unwrap(),
                1e-9,
            );
        }
    }
}

#[test]
fn kmeans_inertia_within_a_tenth_of_a_percent_of_scikit_learn() {
    for (name, entry) in reference()["datasets"].as_object().unwrap() {
        let x = scaled(name, &strings(&entry["features"]));
        for run in entry["runs"].as_array().unwrap() {
            let k = run["k"].as_u64().unwrap() as usize;
            let theirs = run["inertia"].as_f64().unwrap();
            let ours = KMeansParams::new(k)
                .n_init(10)
                .seed(0)
                .fit(x.view())
                .unwrap()
                .inertia();
            assert!(
                ours <= theirs * 1.001,
                "{name} k={k}: inertia {ours} vs scikit-learn {theirs}"
            );
        }
    }
}

fn cluster_reference() -> Value {
    serde_json::from_str(include_str!("reference/cluster_reference.json")).unwrap()
}

fn dataset_features(name: &str) -> Vec<String> {
    strings(&reference()["datasets"][name]["features"])
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap() as usize)
        .collect()
}

#[test]
fn gaussian_mixture_log_likelihood_matches_scikit_learn_from_the_same_start() {
    use segmenta_core::cluster::{Covariance, GaussianMixtureParams};
    for (name, entry) in cluster_reference()["datasets"].as_object().unwrap() {
        let x = scaled(name, &dataset_features(name));
        for run in entry["gmm"].as_array().unwrap() {
            let k = run["k"].as_u64().unwrap() as usize;
            let cov = match run["covariance"].as_str().unwrap() {
                "full" => Covariance::Full,
                "diag" => Covariance::Diagonal,
                _ => Covariance::Spherical,
            };
            let model = GaussianMixtureParams::new(k)
                .covariance(cov)
                .init_labels(usizes(&run["init_labels"]))
                .fit(x.view())
                .unwrap();
            let theirs = run["score"].as_f64().unwrap();
            let label = format!("{name} k={k} {cov:?}");
            // The quality bar: no worse than scikit-learn minus 1e-3.
            assert!(
                model.log_likelihood() >= theirs - 1e-3,
                "{label}: log-likelihood {} vs scikit-learn {theirs}",
                model.log_likelihood()
            );
            // Same start, same algorithm: the same optimum after the same number of steps.
            assert_rel(&label, model.log_likelihood(), theirs, 1e-9);
            assert_rel(&label, model.bic(), run["bic"].as_f64().unwrap(), 1e-9);
            assert_rel(&label, model.aic(), run["aic"].as_f64().unwrap(), 1e-9);
            assert_eq!(model.converged(), run["converged"].as_bool().unwrap());
            assert_eq!(
                model.n_iter() as u64,
                run["n_iter"].as_u64().unwrap(),
                "{label}"
            );
        }
    }
}

/// Two labelings describe the same partition when a one-to-one map between their labels
/// turns one into the other.
fn same_partition(ours: &[Option<usize>], theirs: &[i64]) -> bool {
    let mut map = std::collections::HashMap::new();
    let mut back = std::collections::HashMap::new();
    ours.iter().zip(theirs).all(|(o, t)| match (o, *t) {
        (None, -1) => true,
        (Some(o), t) if t >= 0 => {
            *map.entry(*o).or_insert(t) == t && *back.entry(t).or_insert(*o) == *o
        }
        _ => false,
    })
}

#[test]
fn dbscan_core_points_and_clusters_equal_scikit_learn() {
    use segmenta_core::cluster::DbscanParams;
    for (name, entry) in cluster_reference()["datasets"].as_object().unwrap() {
        let x = scaled(name, &dataset_features(name));
        for run in entry["dbscan"].as_array().unwrap() {
            let eps = run["eps"].as_f64().unwrap();
            let min_samples = run["min_samples"].as_u64().unwrap() as usize;
            let model = DbscanParams::new(eps)
                .min_samples(min_samples)
                .fit(x.view())
                .unwrap();
            let core: Vec<usize> = (0..x.nrows()).filter(|&i| model.is_core()[i]).collect();
            assert_eq!(core, usizes(&run["core"]), "{name} eps={eps}: core points");
            let theirs: Vec<i64> = run["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_i64().unwrap())
                .collect();
            assert!(
                same_partition(model.labels(), &theirs),
                "{name} eps={eps}: clusters differ"
            );
        }
    }
}

#[test]
fn linkage_heights_equal_scipy() {
    use segmenta_core::cluster::{HierarchicalParams, Linkage};
    for (name, entry) in cluster_reference()["datasets"].as_object().unwrap() {
        let x = scaled(name, &dataset_features(name));
        for (method, linkage) in [
            ("ward", Linkage::Ward),
            ("complete", Linkage::Complete),
            ("average", Linkage::Average),
            ("single", Linkage::Single),
        ] {
            let model = HierarchicalParams::new(2)
                .linkage(linkage)
                .fit(x.view())
                .unwrap();
            let want = &entry["linkage"][method];
            let heights: Vec<f64> = want["heights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_f64().unwrap())
                .collect();
            assert_eq!(model.merges().len(), heights.len());
            for (i, (m, h)) in model.merges().iter().zip(&heights).enumerate() {
                assert!(
                    (m.height - h).abs() <= 1e-9 * h.max(1e-3),
                    "{name} {method} merge {i}: height {} vs scipy {h}",
                    m.height
                );
            }
            let sizes: Vec<usize> = model.merges().iter().map(|m| m.size).collect();
            assert_eq!(
                sizes,
                usizes(&want["sizes"]),
                "{name} {method}: group sizes"
            );
        }
    }
}

/// PCA against scikit-learn's (`reference/projection_reference.json`, produced by
/// `reference/make_projection_reference.py`): components with their signs, explained
/// variance, and every customer's coordinates.
#[test]
fn pca_equals_scikit_learn() {
    use segmenta_core::projection::Pca;
    let want: Value =
        serde_json::from_str(include_str!("reference/projection_reference.json")).unwrap();
    for (name, entry) in want["datasets"].as_object().unwrap() {
        let features = strings(&reference()["datasets"][name]["features"]);
        let x = scaled(name, &features);
        let pca = Pca::fit(x.view(), 3).unwrap();
        let d = x.ncols();
        for (c, component) in entry["components"].as_array().unwrap().iter().enumerate() {
            for (j, v) in component.as_array().unwrap().iter().enumerate() {
                let (got, want) = (pca.components[c * d + j], v.as_f64().unwrap());
                assert!(
                    (got - want).abs() < 1e-9,
                    "{name} component {c}, feature {j}: {got} vs {want}"
                );
            }
        }
        for (key, got) in [
            ("explained_variance", &pca.explained_variance),
            ("explained_variance_ratio", &pca.explained_variance_ratio),
        ] {
            for (g, w) in got.iter().zip(entry[key].as_array().unwrap()) {
                assert_rel(&format!("{name} {key}"), *g, w.as_f64().unwrap(), 1e-10);
            }
        }
        let t = pca.transform(x.view()).unwrap();
        for (i, row) in entry["projection"].as_array().unwrap().iter().enumerate() {
            for (c, v) in row.as_array().unwrap().iter().enumerate() {
                let want = v.as_f64().unwrap();
                assert!(
                    (t[[i, c]] - want).abs() < 1e-9,
                    "{name} row {i}, component {c}: {} vs {want}",
                    t[[i, c]]
                );
            }
        }
    }
}
