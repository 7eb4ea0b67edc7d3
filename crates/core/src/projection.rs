//! Maps of the customers: the prepared features projected to two (or three) dimensions for
//! the scatter plot.
//!
//! Principal component analysis as scikit-learn's `PCA(svd_solver="covariance_eigh")`: the
//! eigenvectors of the features' covariance matrix, largest variance first, each signed so
//! that its largest-magnitude loading is positive (scikit-learn's `svd_flip`), which makes
//! the map the same from run to run and equal to scikit-learn's. One pass over the rows
//! builds the `d × d` covariance; the eigen-decomposition of that small matrix is
//! `nalgebra`'s symmetric solver.

use nalgebra::{DMatrix, SymmetricEigen};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Why a map could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    /// Fewer than two customers.
    #[error("A map needs at least two customers; there are {0}.")]
    TooFewRows(usize),
    /// No features.
    #[error("A map needs at least one feature; choose features first.")]
    NoFeatures,
    /// A value is NaN or infinite.
    #[error(
        "Feature {feature} of customer {row} is not a number; fill or drop missing values before drawing the map."
    )]
    NonFinite {
        /// 1-based row.
        row: usize,
        /// 1-based feature.
        feature: usize,
    },
    /// The user stopped the work.
    #[error("Stopped: the map was not drawn.")]
    Cancelled,
    /// The data has a width other than the fitted one.
    #[error("The map was fitted on {expected} features but these rows have {got}.")]
    WrongWidth {
        /// Fitted width.
        expected: usize,
        /// Given width.
        got: usize,
    },
}

/// Above this many features the map's components come from subspace iteration rather than
/// the full covariance (whose decomposition grows with the cube of the features).
pub const EXACT_MAX_FEATURES: usize = 256;
/// Directions iterated beyond those wanted.
const WIDE_OVERSAMPLING: usize = 8;
/// Subspace iterations; each multiplies the gap between wanted and unwanted directions.
const WIDE_ITERATIONS: usize = 30;
/// Seed of the starting directions, so that maps are the same from run to run.
const WIDE_SEED: u64 = 0x5e9;

/// Makes the columns of `q` orthonormal (modified Gram–Schmidt); a column that depends on
/// the ones before becomes zero.
fn orthonormalize(q: &mut Array2<f64>) {
    let k = q.ncols();
    for i in 0..k {
        for j in 0..i {
            let (done, mut rest) = q.multi_slice_mut((ndarray::s![.., j], ndarray::s![.., i]));
            let r = done.dot(&rest);
            rest.scaled_add(-r, &done);
        }
        let mut column = q.column_mut(i);
        let norm = column.dot(&column).sqrt();
        if norm > 1e-12 {
            column /= norm;
        } else {
            column.fill(0.0);
        }
    }
}

/// A fitted principal component analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    /// Mean of each feature.
    pub mean: Vec<f64>,
    /// Components, row-major: `components[c * d + j]` is feature `j`'s loading on component `c`.
    pub components: Vec<f64>,
    /// Variance along each component (sample variance, `n − 1` in the denominator).
    pub explained_variance: Vec<f64>,
    /// Each component's share of the total variance.
    pub explained_variance_ratio: Vec<f64>,
}

impl Pca {
    /// Fits the first `n_components` components (at most the number of features).
    pub fn fit(x: ArrayView2<f64>, n_components: usize) -> Result<Pca, ProjectionError> {
        let (n, d) = x.dim();
        if d == 0 {
            return Err(ProjectionError::NoFeatures);
        }
        if n < 2 {
            return Err(ProjectionError::TooFewRows(n));
        }
        for (i, row) in x.rows().into_iter().enumerate() {
            if let Some(j) = row.iter().position(|v| !v.is_finite()) {
                return Err(ProjectionError::NonFinite {
                    row: i + 1,
                    feature: j + 1,
                });
            }
        }
        let mut mean = vec![0.0; d];
        for row in x.rows() {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        Ok(if d > EXACT_MAX_FEATURES {
            Self::fit_wide(x, mean, n_components)
        } else {
            Self::fit_exact(x, mean, n_components)
        })
    }

    /// [`Pca::fit`] from the full `d × d` covariance (checked data, its column means).
    fn fit_exact(x: ArrayView2<f64>, mean: Vec<f64>, n_components: usize) -> Pca {
        let (n, d) = x.dim();
        // Lower triangle of Σ (x − μ)(x − μ)ᵀ, row by row.
        let mut cov = vec![0.0; d * d];
        let mut diff = vec![0.0; d];
        for row in x.rows() {
            for ((o, v), m) in diff.iter_mut().zip(row).zip(&mean) {
                *o = v - m;
            }
            for i in 0..d {
                let di = diff[i];
                for (c, dj) in cov[i * d..i * d + i + 1].iter_mut().zip(&diff) {
                    *c += di * dj;
                }
            }
        }
        for i in 0..d {
            for j in 0..=i {
                let v = cov[i * d + j] / (n - 1) as f64;
                cov[i * d + j] = v;
                cov[j * d + i] = v;
            }
        }
        let eigen = SymmetricEigen::new(DMatrix::from_row_slice(d, d, &cov));
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|a, b| {
            eigen.eigenvalues[*b]
                .total_cmp(&eigen.eigenvalues[*a])
                .then(a.cmp(b))
        });
        let total: f64 = eigen.eigenvalues.iter().map(|v| v.max(0.0)).sum();
        let m = n_components.clamp(1, d);
        let vectors = order[..m]
            .iter()
            .map(|&c| {
                let vector = eigen.eigenvectors.column(c).iter().copied().collect();
                (vector, eigen.eigenvalues[c])
            })
            .collect();
        Self::signed(mean, vectors, total)
    }

    /// The PCA with column means `mean` and components `vectors` (unit length, each with its
    /// variance), each signed so that its largest-magnitude loading is positive
    /// (scikit-learn's `svd_flip`); `total` is the total variance, for the ratios.
    fn signed(mean: Vec<f64>, vectors: Vec<(Vec<f64>, f64)>, total: f64) -> Pca {
        let mut components = Vec::with_capacity(vectors.len() * mean.len());
        let mut explained_variance = Vec::with_capacity(vectors.len());
        for (vector, variance) in vectors {
            let largest = vector
                .iter()
                .copied()
                .fold(0.0f64, |a, v| if v.abs() > a.abs() { v } else { a });
            let sign = if largest < 0.0 { -1.0 } else { 1.0 };
            components.extend(vector.iter().map(|v| v * sign));
            explained_variance.push(variance.max(0.0));
        }
        let explained_variance_ratio = explained_variance
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        Pca {
            mean,
            components,
            explained_variance,
            explained_variance_ratio,
        }
    }

    /// [`Pca::fit`] for many features (a wide export with thousands of columns), where the
    /// `d × d` covariance and its `O(d³)` decomposition would not fit in time or memory:
    /// subspace iteration on the centred data (never materialized), then the exact
    /// decomposition of the small projected covariance (Rayleigh–Ritz). Each pass costs
    /// `O(n·d·k)`; the leading components converge to the covariance's eigenvectors.
    fn fit_wide(x: ArrayView2<f64>, mean: Vec<f64>, n_components: usize) -> Pca {
        let (n, d) = x.dim();
        let mu = ndarray::ArrayView1::from(&mean);
        let m = n_components.clamp(1, d);
        // Extra directions speed up convergence of the leading ones.
        let k = (m + WIDE_OVERSAMPLING).min(d);
        let mut rng = crate::rng::Rng::new(WIDE_SEED);
        let mut q = Array2::from_shape_fn((d, k), |_| rng.normal());
        orthonormalize(&mut q);
        // (X − 1μᵀ) q, and (X − 1μᵀ)ᵀ y, without forming X − 1μᵀ.
        let project = |q: &Array2<f64>| {
            let shift = mu.dot(q);
            let mut y = x.dot(q);
            y.rows_mut().into_iter().for_each(|mut r| r -= &shift);
            y
        };
        for _ in 0..WIDE_ITERATIONS {
            let y = project(&q);
            let column_sums = y.sum_axis(ndarray::Axis(0));
            let mut z = x.t().dot(&y);
            for (mut row, m) in z.rows_mut().into_iter().zip(&mean) {
                row.scaled_add(-m, &column_sums);
            }
            q = z;
            orthonormalize(&mut q);
        }
        let y = project(&q);
        let b = y.t().dot(&y) / (n - 1) as f64;
        let eigen = SymmetricEigen::new(DMatrix::from_fn(k, k, |i, j| b[[i, j]]));
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|a, b| {
            eigen.eigenvalues[*b]
                .total_cmp(&eigen.eigenvalues[*a])
                .then(a.cmp(b))
        });
        // Total variance: the covariance's trace, the sum of every feature's variance.
        let total: f64 = (0..d)
            .map(|j| {
                x.column(j)
                    .iter()
                    .map(|v| (v - mean[j]).powi(2))
                    .sum::<f64>()
            })
            .sum::<f64>()
            / (n - 1) as f64;
        let vectors = order[..m]
            .iter()
            .map(|&c| {
                let w = eigen.eigenvectors.column(c);
                let mut vector: Vec<f64> = (0..d)
                    .map(|j| (0..k).map(|i| q[[j, i]] * w[i]).sum())
                    .collect();
                let norm = vector.iter().map(|v| v * v).sum::<f64>().sqrt();
                let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
                vector.iter_mut().for_each(|v| *v *= scale);
                (vector, eigen.eigenvalues[c])
            })
            .collect();
        Self::signed(mean, vectors, total)
    }

    /// Number of components.
    pub fn n_components(&self) -> usize {
        self.explained_variance.len()
    }

    /// Coordinates of each row of `x` on every component (`n × n_components`).
    pub fn transform(&self, x: ArrayView2<f64>) -> Result<Array2<f64>, ProjectionError> {
        let d = self.mean.len();
        if x.ncols() != d {
            return Err(ProjectionError::WrongWidth {
                expected: d,
                got: x.ncols(),
            });
        }
        let m = self.n_components();
        let mut out = Array2::zeros((x.nrows(), m));
        let mut diff = vec![0.0; d];
        for (row, mut o) in x.rows().into_iter().zip(out.rows_mut()) {
            for ((t, v), mu) in diff.iter_mut().zip(row).zip(&self.mean) {
                *t = v - mu;
            }
            for (c, o) in o.iter_mut().enumerate() {
                *o = crate::cluster::kernels::dot(&diff, &self.components[c * d..(c + 1) * d]);
            }
        }
        Ok(out)
    }
}

/// The customers on a map: every segmented customer's coordinates on the first principal
/// components of the features the segments were found on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerMap {
    /// The fitted projection.
    pub pca: Pca,
    /// Names of the projected columns (features, then categorical columns).
    pub columns: Vec<String>,
    /// Input row of each point.
    pub rows: Vec<usize>,
    /// Coordinates, one row per point, one column per component.
    pub coords: Array2<f64>,
    /// The prepared rows the map was made from, in single precision, for a neighbour map
    /// ([`CustomerMap::umap`]) drawn on request. Not saved.
    #[serde(skip)]
    pub input: Array2<f32>,
}

impl CustomerMap {
    /// Projects `x` (the rows `rows` of the input, columns named `columns`) on its first
    /// three components.
    pub fn new(
        x: ArrayView2<f64>,
        rows: Vec<usize>,
        columns: Vec<String>,
    ) -> Result<CustomerMap, ProjectionError> {
        let pca = Pca::fit(x, 3)?;
        let coords = pca.transform(x)?;
        Ok(CustomerMap {
            pca,
            columns,
            rows,
            coords,
            input: x.mapv(|v| v as f32),
        })
    }

    /// The same customers on a neighbour map (UMAP, two axes without units) instead of the
    /// principal components, one row per map row; `frame` sees the layout as it refines.
    pub fn umap(
        &self,
        params: &crate::umap::UmapParams,
        progress: &mut dyn crate::progress::Progress,
        frame: &mut dyn FnMut(&Array2<f64>),
    ) -> Result<crate::umap::UmapMap, ProjectionError> {
        let input = self.input.mapv(f64::from);
        crate::umap::fit(input.view(), params, progress, frame)
    }

    /// This map's customers at `coords` (one row per map row) instead: the same rows,
    /// columns and principal components, without the prepared rows.
    pub fn with_coords(&self, coords: Array2<f64>) -> CustomerMap {
        CustomerMap {
            pca: self.pca.clone(),
            columns: self.columns.clone(),
            rows: self.rows.clone(),
            coords,
            input: Array2::zeros((0, 0)),
        }
    }

    /// What axis `c` mostly measures, in words: the columns with the largest loadings
    /// ("monetary total, frequency"), and its share of the variance.
    pub fn axis_title(&self, c: usize) -> String {
        let d = self.pca.mean.len();
        let Some(loadings) = self.pca.components.get(c * d..(c + 1) * d) else {
            return String::new();
        };
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|a, b| loadings[*b].abs().total_cmp(&loadings[*a].abs()));
        let names: Vec<String> = order
            .iter()
            .take(2)
            .filter(|&&j| loadings[j].abs() >= 0.3)
            .filter_map(|&j| {
                let name = self.columns.get(j)?.replace('_', " ");
                Some(if loadings[j] < 0.0 {
                    format!("lower {name}")
                } else {
                    name
                })
            })
            .collect();
        let share = self
            .pca
            .explained_variance_ratio
            .get(c)
            .copied()
            .unwrap_or(0.0);
        let what = if names.is_empty() {
            "a mix of features".to_owned()
        } else {
            names.join(", ")
        };
        format!(
            "Axis {} — mostly {what} ({} of the differences)",
            c + 1,
            crate::numbers::percent(share, 0)
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wide_data_gets_the_same_components_without_the_full_covariance() {
        // 60 customers, 300 features: three strong directions plus noise.
        let (n, d) = (60, EXACT_MAX_FEATURES + 44);
        let mut rng = crate::rng::Rng::new(11);
        let latent: Vec<[f64; 3]> = (0..n)
            .map(|_| [4.0 * rng.normal(), 2.0 * rng.normal(), rng.normal()])
            .collect();
        let loadings: Vec<[f64; 3]> = (0..d)
            .map(|_| [rng.normal(), rng.normal(), rng.normal()])
            .collect();
        let x = Array2::from_shape_fn((n, d), |(i, j)| {
            (0..3).map(|c| latent[i][c] * loadings[j][c]).sum::<f64>() + 0.1 * rng.normal() + 5.0
        });
        let mean: Vec<f64> = x.mean_axis(ndarray::Axis(0)).unwrap().to_vec();
        let exact = Pca::fit_exact(x.view(), mean.clone(), 3);
        let wide = Pca::fit(x.view(), 3).unwrap();
        assert_eq!(wide, Pca::fit_wide(x.view(), mean, 3));
        for c in 0..3 {
            let (a, b) = (
                &exact.components[c * d..(c + 1) * d],
                &wide.components[c * d..(c + 1) * d],
            );
            let agreement: f64 = a.iter().zip(b).map(|(p, q)| p * q).sum();
            assert!((agreement - 1.0).abs() < 1e-9, "component {c}: {agreement}");
            let (ev, wv) = (exact.explained_variance[c], wide.explained_variance[c]);
            assert!((ev - wv).abs() < 1e-9 * ev, "{ev} vs {wv}");
            let (er, wr) = (
                exact.explained_variance_ratio[c],
                wide.explained_variance_ratio[c],
            );
            assert!((er - wr).abs() < 1e-9, "{er} vs {wr}");
        }
    }

    use super::*;
    use ndarray::array;

    #[test]
    fn a_line_is_one_component() {
        let x = array![[0.0, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
        let pca = Pca::fit(x.view(), 2).unwrap();
        assert!((pca.explained_variance_ratio[0] - 1.0).abs() < 1e-12);
        assert!(pca.explained_variance_ratio[1].abs() < 1e-12);
        let s = 5f64.sqrt();
        assert!((pca.components[0] - 1.0 / s).abs() < 1e-12);
        assert!((pca.components[1] - 2.0 / s).abs() < 1e-12);
        let t = pca.transform(x.view()).unwrap();
        assert!((t[[3, 0]] - 1.5 * s).abs() < 1e-12);
        assert!((t[[0, 0]] + 1.5 * s).abs() < 1e-12);
    }

    #[test]
    fn axis_titles_name_the_strongest_loadings() {
        let x = array![[0.0, 1.0], [1.0, 1.1], [2.0, 0.9], [3.0, 1.0]];
        let map = CustomerMap::new(
            x.view(),
            vec![0, 1, 2, 3],
            vec!["monetary_total".into(), "frequency".into()],
        )
        .unwrap();
        assert_eq!(map.coords.dim(), (4, 2));
        assert!(
            map.axis_title(0)
                .starts_with("Axis 1 — mostly monetary total ("),
            "{}",
            map.axis_title(0)
        );
        assert_eq!(map.axis_title(5), "");
    }

    #[test]
    fn bad_input_says_what_to_do() {
        assert_eq!(
            Pca::fit(Array2::zeros((1, 3)).view(), 2),
            Err(ProjectionError::TooFewRows(1))
        );
        assert_eq!(
            Pca::fit(Array2::zeros((5, 0)).view(), 2),
            Err(ProjectionError::NoFeatures)
        );
        let x = array![[0.0, 1.0], [f64::NAN, 2.0]];
        assert_eq!(
            Pca::fit(x.view(), 2),
            Err(ProjectionError::NonFinite { row: 2, feature: 1 })
        );
        // Constant data: no variance anywhere, still a map (everyone at the origin).
        let pca = Pca::fit(Array2::from_elem((4, 2), 3.0).view(), 2).unwrap();
        assert_eq!(pca.explained_variance_ratio, vec![0.0, 0.0]);
        assert!(
            pca.transform(array![[1.0, 2.0, 3.0]].view()).is_err(),
            "wrong width"
        );
    }
}
