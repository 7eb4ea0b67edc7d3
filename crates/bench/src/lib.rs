//! The workloads behind Segmenta's speed goals, shared by the native Criterion benchmarks
//! and the browser run (wasm in headless Chromium), so both time exactly the same code on
//! the same data. `cargo xtask bench` runs both next to scikit-learn's reference script
//! (`../shared/bench/sklearn_ref.py`) and prints the ratios.
//!
//! Data: Gaussian blobs drawn like scikit-learn's `make_blobs` (centres uniform in
//! (−10, 10) in every feature, standard deviation 1, customers split evenly over the
//! centres and interleaved), with this crate's own seeded generator — statistically the same data as the
//! reference script's, not the same numbers.

use ndarray::{Array2, ArrayView2, Axis};
use segmenta_core::cluster::{
    Covariance, DbscanParams, GaussianMixtureParams, HierarchicalParams, KMeansParams, Linkage,
    Precision,
};
use segmenta_core::metrics::{
    SILHOUETTE_SAMPLE, calinski_harabasz, davies_bouldin, silhouette, stratified_sample,
};
use segmenta_core::rng::Rng;
use serde_json::{Value, json};

/// `n × d` blobs around `centres` centres (see the crate documentation).
pub fn blobs(n: usize, d: usize, centres: usize, seed: u64) -> Array2<f64> {
    let mut rng = Rng::new(seed);
    let c: Vec<f64> = (0..centres * d)
        .map(|_| rng.uniform() * 20.0 - 10.0)
        .collect();
    let mut x = Array2::zeros((n, d));
    for (i, mut row) in x.rows_mut().into_iter().enumerate() {
        // Round robin: centres evenly split, and every prefix (the mixture and Ward
        // workloads take the first rows) holds all of them, as make_blobs' shuffled rows.
        let k = i % centres.max(1);
        for (j, v) in row.iter_mut().enumerate() {
            *v = c[k * d + j] + rng.normal();
        }
    }
    x
}

/// Sizes of the workloads: the goals' sizes, or a tenth for a quick smoke run.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Rows of the k-means, silhouette and Calinski/Davies workloads.
    pub large: usize,
    /// Rows of the DBSCAN and mixture workloads.
    pub medium: usize,
    /// Rows of the Ward workload.
    pub ward: usize,
    /// Rows of the UMAP workload.
    pub umap: usize,
}

impl Sizes {
    /// The sizes in the goals (and the reference script's).
    pub const FULL: Sizes = Sizes {
        large: 1_000_000,
        medium: 100_000,
        ward: 20_000,
        umap: 10_000,
    };
    /// The reference script's `--quick` sizes.
    pub const QUICK: Sizes = Sizes {
        large: 100_000,
        medium: 10_000,
        ward: 2_000,
        umap: 2_000,
    };
}

/// One workload: its name (as reported), the reference workload it is compared with, the
/// goal for the ratio, and a function that runs it once on prepared data and returns
/// facts worth reporting (iterations, sizes).
pub struct Workload {
    /// Name in the output.
    pub name: &'static str,
    /// The reference script's workload name.
    pub reference: &'static str,
    /// Goal for Segmenta's time ÷ the reference's.
    pub goal: f64,
    /// What it measures, for the table.
    pub label: &'static str,
}

/// Every workload, in the order the table lists them.
pub const WORKLOADS: [Workload; 8] = [
    Workload {
        name: "kmeans_k8_ninit1",
        reference: "kmeans_k8_ninit1",
        goal: 1.0,
        label: "k-means 1,000,000 × 16, k = 8, one init",
    },
    Workload {
        name: "kmeans_one_lloyd_iter_f32",
        reference: "kmeans_one_lloyd_iter_f64",
        goal: 0.6,
        label: "One Lloyd iteration (f32) vs scikit-learn (f64)",
    },
    Workload {
        name: "silhouette_sample_10000",
        reference: "silhouette_sample_10000",
        goal: 0.5,
        label: "Silhouette on a 10,000 sample",
    },
    Workload {
        name: "calinski_plus_davies",
        reference: "calinski_plus_davies",
        goal: 1.0,
        label: "Calinski-Harabasz + Davies-Bouldin, 1,000,000 rows",
    },
    Workload {
        name: "dbscan_100k_x4",
        reference: "dbscan_100k_x4",
        goal: 0.5,
        label: "DBSCAN 100,000 × 4",
    },
    Workload {
        name: "gmm_full_one_em_iter",
        reference: "gmm_full_one_em_iter",
        goal: 0.7,
        label: "Gaussian mixture, one EM iteration, 100,000 × 16, k = 8",
    },
    Workload {
        name: "ward",
        reference: "ward",
        goal: 0.3,
        label: "Ward 20,000 × 16",
    },
    Workload {
        name: "umap_10000_x16",
        reference: "umap_js",
        goal: 0.5,
        label: "UMAP 10,000 × 16 vs umap-js (500 passes, both in Chromium)",
    },
];

/// The data every workload needs, generated once.
pub struct Data {
    /// `large × 16`, 8 centres.
    pub large: Array2<f64>,
    /// `large` labels from one k-means fit (for the scores).
    pub labels: Vec<usize>,
    /// k-means centres after one Lloyd iteration's start (k-means++), `8 × 16`.
    pub start: Array2<f64>,
    /// `medium × 4`, 8 centres (DBSCAN).
    pub dbscan: Array2<f64>,
}

impl Data {
    /// Generates the data for `sizes`.
    pub fn new(sizes: Sizes) -> Data {
        let large = blobs(sizes.large, 16, 8, 0);
        let model = KMeansParams::new(8)
            .n_init(1)
            .max_iter(1)
            .tolerance(0.0)
            .seed(0)
            .fit(large.view());
        let (labels, start) = match model {
            Ok(m) => (m.labels().to_vec(), m.centroids().clone()),
            Err(_) => (vec![0; sizes.large], Array2::zeros((8, 16))),
        };
        Data {
            large,
            labels,
            start,
            dbscan: blobs(sizes.medium, 4, 8, 1),
        }
    }

    /// The first `rows` rows of the large set.
    pub fn head(&self, rows: usize) -> ArrayView2<'_, f64> {
        self.large
            .slice_axis(Axis(0), (0..rows.min(self.large.nrows())).into())
    }
}

/// Runs workload `name` once; returns facts to report.
pub fn run(name: &str, data: &Data, sizes: Sizes) -> Value {
    match name {
        "kmeans_k8_ninit1" => {
            let m = KMeansParams::new(8)
                .n_init(1)
                .seed(0)
                .fit(data.large.view());
            json!({ "iterations": m.map(|m| m.n_iter()).unwrap_or(0), "precision": "auto (f32 at this size)" })
        }
        "kmeans_one_lloyd_iter_f32" => {
            let m = KMeansParams::new(8)
                .n_init(1)
                .max_iter(1)
                .tolerance(0.0)
                .precision(Precision::F32)
                .initial_centroids(data.start.clone())
                .fit(data.large.view());
            json!({ "iterations": m.map(|m| m.n_iter()).unwrap_or(0) })
        }
        "silhouette_sample_10000" => {
            let rows = stratified_sample(&data.labels, SILHOUETTE_SAMPLE, 0);
            let sub = data.large.select(Axis(0), &rows);
            let labels: Vec<usize> = rows.iter().map(|&i| data.labels[i]).collect();
            let s = silhouette(sub.view(), &labels).unwrap_or(f64::NAN);
            json!({ "sample": rows.len(), "silhouette": s })
        }
        "calinski_plus_davies" => {
            let ch = calinski_harabasz(data.large.view(), &data.labels).unwrap_or(f64::NAN);
            let db = davies_bouldin(data.large.view(), &data.labels).unwrap_or(f64::NAN);
            json!({ "calinski_harabasz": ch, "davies_bouldin": db })
        }
        "dbscan_100k_x4" => {
            let m = DbscanParams::new(0.5)
                .min_samples(5)
                .fit(data.dbscan.view());
            json!({ "segments": m.as_ref().map(|m| m.k()).unwrap_or(0), "outliers": m.map(|m| m.n_noise()).unwrap_or(0) })
        }
        "gmm_full_one_em_iter" => {
            let m = GaussianMixtureParams::new(8)
                .covariance(Covariance::Full)
                .max_iter(1)
                .tolerance(0.0)
                .seed(0)
                .fit(data.head(sizes.medium));
            json!({ "log_likelihood": m.map(|m| m.log_likelihood()).unwrap_or(f64::NAN) })
        }
        "ward" => {
            let m = HierarchicalParams::new(8)
                .linkage(Linkage::Ward)
                .fit(data.head(sizes.ward));
            json!({ "merges": m.map(|m| m.merges().len()).unwrap_or(0) })
        }
        "umap_10000_x16" => {
            let map = segmenta_core::umap::fit(
                data.head(sizes.umap),
                &segmenta_core::umap::UmapParams::default(),
                &mut segmenta_core::progress::NoProgress,
                &mut |_| {},
            );
            json!({ "passes": map.map(|m| m.n_epochs).unwrap_or(0) })
        }
        _ => Value::Null,
    }
}
