//! DBSCAN over a grid (up to four features, when cells hold a few rows each) or a k-d tree.
//!
//! Two passes: first every customer's neighbourhood is counted (stopping at
//! `min_samples`, which is all a core test needs); then segments grow from core points in
//! row order, each core point's neighbourhood fetched once. A border customer joins the
//! first segment that reaches it, which is scikit-learn's rule too.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::hyperparams::DbscanParams;
use crate::cluster::grid::Grid;
use crate::cluster::kdtree::KdTree;
use crate::cluster::knee::{Bend, knee};
use crate::cluster::{ClusterError, check_finite, check_rows, check_shape, relabel_by_size};
use crate::progress::{Progress, Stage};
use crate::rng::Rng;

/// Rows between progress reports and cancellation checks.
const BLOCK: usize = 4_096;
/// Rows whose k-distance is computed when suggesting `eps` on large data.
const EPS_SAMPLE: usize = 5_000;

/// A fitted DBSCAN model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dbscan {
    params: DbscanParams,
    labels: Vec<Option<usize>>,
    core: Vec<bool>,
    sizes: Vec<usize>,
    /// Core points (`m × d`) and their segments, for assigning new customers.
    core_points: Array2<f64>,
    core_labels: Vec<usize>,
}

impl Dbscan {
    /// The model without anything per fitted customer (`labels`, `core`), for saving
    /// in a recipe: what assigns new customers stays.
    pub(crate) fn without_rows(mut self) -> Self {
        self.labels = Vec::new();
        self.core = Vec::new();
        self
    }

    /// The segment of each fitted row; `None` for outliers.
    pub fn labels(&self) -> &[Option<usize>] {
        &self.labels
    }

    /// Whether each fitted row is a core point.
    pub fn is_core(&self) -> &[bool] {
        &self.core
    }

    /// Number of segments found (outliers excluded).
    pub fn k(&self) -> usize {
        self.sizes.len()
    }

    /// Customers per segment, largest first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of outliers.
    pub fn n_noise(&self) -> usize {
        self.labels.iter().filter(|l| l.is_none()).count()
    }

    /// The parameters used.
    pub fn params(&self) -> &DbscanParams {
        &self.params
    }

    /// New customers join the segment of the nearest core point within `eps`; the rest
    /// are outliers.
    pub fn predict(&self, data: ArrayView2<f64>) -> Result<Vec<Option<usize>>, ClusterError> {
        let d = self.core_points.ncols();
        check_rows(data, d)?;
        let cores = self.core_points.as_standard_layout();
        let tree = KdTree::new(cores.as_slice().unwrap_or(&[]), d);
        let r2 = self.params.eps * self.params.eps;
        Ok(data
            .rows()
            .into_iter()
            .map(|row| {
                let q = row.to_vec();
                tree.nearest(&q, 1)
                    .first()
                    .filter(|(dd, _)| *dd <= r2)
                    .map(|&(_, i)| self.core_labels[i])
            })
            .collect())
    }
}

/// Radius queries over the rows: a grid where one pays off, else a k-d tree.
enum Neighbours<'a> {
    Grid(Grid),
    Tree {
        tree: KdTree,
        x: &'a [f64],
        d: usize,
    },
}

impl<'a> Neighbours<'a> {
    fn new(x: &'a [f64], d: usize, eps: f64) -> Self {
        match Grid::new(x, d, eps) {
            Some(grid) => Neighbours::Grid(grid),
            None => Neighbours::Tree {
                tree: KdTree::new(x, d),
                x,
                d,
            },
        }
    }

    /// Rows in the order queries are cheapest: the grid's cell order, or row order.
    fn order(&self) -> std::borrow::Cow<'_, [usize]> {
        match self {
            Neighbours::Grid(grid) => grid.order().into(),
            Neighbours::Tree { x, d, .. } => (0..x.len() / d).collect::<Vec<_>>().into(),
        }
    }

    /// Where each row sits in [`Self::order`], when that is not row order.
    fn positions(&self) -> Option<Vec<usize>> {
        let Neighbours::Grid(grid) = self else {
            return None;
        };
        let mut position = vec![0; grid.len()];
        for (at, &i) in grid.order().iter().enumerate() {
            position[i] = at;
        }
        Some(position)
    }

    /// Rows within `r2` of row `i`, at position `at` in [`Self::order`].
    fn within(&self, at: usize, i: usize, r2: f64, found: impl FnMut(usize)) {
        match self {
            Neighbours::Grid(grid) => grid.within(at, r2, found),
            Neighbours::Tree { tree, x, d } => tree.within(&x[i * d..(i + 1) * d], r2, found),
        }
    }

    /// [`Self::within`]'s count, stopping at `limit`.
    fn count_within(&self, at: usize, i: usize, r2: f64, limit: usize) -> usize {
        match self {
            Neighbours::Grid(grid) => grid.count_within(at, r2, limit),
            Neighbours::Tree { tree, x, d } => tree.count_within(&x[i * d..(i + 1) * d], r2, limit),
        }
    }
}

pub(super) fn fit(
    params: &DbscanParams,
    data: ArrayView2<f64>,
    progress: &mut dyn Progress,
) -> Result<Dbscan, ClusterError> {
    let (n, d) = data.dim();
    check_shape(n, d, 0)?;
    check_finite(data)?;
    let data = data.as_standard_layout();
    let x = data.as_slice().unwrap_or(&[]);
    let index = Neighbours::new(x, d, params.eps);
    let r2 = params.eps * params.eps;

    // Rows are visited in the index's own order (neighbouring rows together); the grid
    // answers by grid position, the tree by row.
    let mut core = vec![false; n];
    for (b, block) in index.order().chunks(BLOCK).enumerate() {
        for (o, &i) in block.iter().enumerate() {
            core[i] =
                index.count_within(b * BLOCK + o, i, r2, params.min_samples) >= params.min_samples;
        }
        progress.report(
            Stage::Clustering,
            0.5 * ((b + 1) * BLOCK).min(n) as f64 / n as f64,
        )?;
    }

    const UNSEEN: usize = usize::MAX;
    let position = index.positions();
    let mut labels = vec![UNSEEN; n];
    let mut k = 0;
    let mut stack = Vec::new();
    let mut done = 0;
    for start in 0..n {
        if labels[start] != UNSEEN || !core[start] {
            continue;
        }
        labels[start] = k;
        stack.push(start);
        while let Some(i) = stack.pop() {
            done += 1;
            if done % BLOCK == 0 {
                progress.report(Stage::Clustering, 0.5 + 0.5 * done as f64 / n as f64)?;
            }
            let at = position.as_ref().map_or(i, |p| p[i]);
            index.within(at, i, r2, |j| {
                if labels[j] == UNSEEN {
                    labels[j] = k;
                    if core[j] {
                        stack.push(j);
                    }
                }
            });
        }
        k += 1;
    }

    // Segments numbered by size, largest first; outliers stay apart.
    let clustered: Vec<usize> = labels
        .iter()
        .map(|&l| if l == UNSEEN { k } else { l })
        .collect();
    let (renumbered, _) = relabel_by_size(&clustered, k + 1);
    // relabel_by_size may move the outlier group; map it back out.
    let noise_label = clustered
        .iter()
        .zip(&renumbered)
        .find(|(c, _)| **c == k)
        .map(|(_, r)| *r);
    let mut labels: Vec<Option<usize>> = renumbered
        .iter()
        .map(|&l| {
            if Some(l) == noise_label {
                None
            } else {
                Some(l)
            }
        })
        .collect();
    if let Some(noise) = noise_label {
        for l in labels.iter_mut().flatten() {
            if *l > noise {
                *l -= 1;
            }
        }
    }
    let mut sizes = vec![0; k];
    for l in labels.iter().flatten() {
        sizes[*l] += 1;
    }
    let core_rows: Vec<usize> = (0..n).filter(|&i| core[i]).collect();
    let mut core_points = Array2::zeros((core_rows.len(), d));
    for (r, &i) in core_rows.iter().enumerate() {
        core_points.row_mut(r).assign(&data.row(i));
    }
    let core_labels = core_rows.iter().map(|&i| labels[i].unwrap_or(0)).collect();
    progress.report(Stage::Clustering, 1.0)?;
    Ok(Dbscan {
        params: params.clone(),
        labels,
        core,
        sizes,
        core_points,
        core_labels,
    })
}

/// For each row, the distance to its `k`-th nearest row counting itself (so a row is a
/// core point for `min_samples = k` exactly when this is at most `eps`), sorted ascending.
pub fn k_distances(data: ArrayView2<f64>, k: usize) -> Result<Vec<f64>, ClusterError> {
    suggest_eps_rows(data, k, None).map(|s| s.k_distances)
}

/// A suggested `eps` for DBSCAN: the knee of the sorted k-distance curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpsSuggestion {
    /// The suggested radius.
    pub eps: f64,
    /// Sorted k-distances (of a sample on large data), for the k-distance plot.
    pub k_distances: Vec<f64>,
    /// Where on the curve the knee is.
    pub knee: usize,
    /// Rows the curve was computed for.
    pub sampled: usize,
}

/// Suggests `eps` for `min_samples` from the knee of the k-distance curve, computed for at
/// most 5,000 rows drawn with `seed` (each against all rows).
pub fn suggest_eps(
    data: ArrayView2<f64>,
    min_samples: usize,
    seed: u64,
) -> Result<EpsSuggestion, ClusterError> {
    suggest_eps_rows(data, min_samples, Some(seed))
}

fn suggest_eps_rows(
    data: ArrayView2<f64>,
    k: usize,
    sample_seed: Option<u64>,
) -> Result<EpsSuggestion, ClusterError> {
    let (n, d) = data.dim();
    check_shape(n, d, 0)?;
    if k == 0 {
        return Err(ClusterError::InvalidMinSamples);
    }
    if k > n {
        return Err(ClusterError::MoreClustersThanRows { k, n });
    }
    check_finite(data)?;
    let data = data.as_standard_layout();
    let x = data.as_slice().unwrap_or(&[]);
    let tree = KdTree::new(x, d);
    let rows: Vec<usize> = match sample_seed {
        Some(seed) if n > EPS_SAMPLE => {
            let mut all: Vec<usize> = (0..n).collect();
            Rng::new(seed).shuffle(&mut all);
            all.truncate(EPS_SAMPLE);
            all
        }
        _ => (0..n).collect(),
    };
    let mut distances: Vec<f64> = rows
        .iter()
        .map(|&i| {
            tree.nearest(&x[i * d..(i + 1) * d], k)
                .last()
                .map_or(0.0, |(dd, _)| dd.sqrt())
        })
        .collect();
    distances.sort_unstable_by(f64::total_cmp);
    let xs: Vec<f64> = (0..distances.len()).map(|i| i as f64).collect();
    let at = knee(&xs, &distances, Bend::Convex).unwrap_or(distances.len() * 9 / 10);
    let at = at.min(distances.len().saturating_sub(1));
    let eps = distances.get(at).copied().unwrap_or(0.0);
    Ok(EpsSuggestion {
        eps: if eps > 0.0 { eps } else { f64::EPSILON.sqrt() },
        sampled: distances.len(),
        k_distances: distances,
        knee: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::DbscanParams;
    use ndarray::array;

    #[test]
    fn core_border_and_noise() {
        // eps 1, min_samples 3: 1, 2, 3 and 10.5 have three customers within reach (counting
        // themselves); 0, 3.9, 10 and 11.2 are borders; 30 is alone.
        let x = array![
            [0.0],
            [1.0],
            [2.0],
            [3.0],
            [3.9],
            [10.0],
            [10.5],
            [11.2],
            [30.0]
        ];
        let m = DbscanParams::new(1.0).min_samples(3).fit(x.view()).unwrap();
        assert_eq!(
            m.is_core(),
            &[false, true, true, true, false, false, true, false, false]
        );
        assert_eq!(
            m.labels(),
            &[
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(1),
                Some(1),
                Some(1),
                None
            ]
        );
        assert_eq!(m.sizes(), &[5, 3]);
        assert_eq!(m.n_noise(), 1);
    }

    /// DBSCAN by its definition, every distance computed: core rows have `min_samples`
    /// rows within `eps` (themselves included); segments grow from core rows in row order.
    fn by_definition(x: ArrayView2<f64>, eps: f64, min_samples: usize) -> Vec<Option<usize>> {
        let n = x.nrows();
        let near = |i: usize| -> Vec<usize> {
            (0..n)
                .filter(|&j| {
                    crate::cluster::kernels::sq_dist(
                        x.row(i).as_slice().unwrap(),
                        x.row(j).as_slice().unwrap(),
                    ) <= eps * eps
                })
                .collect()
        };
        let core: Vec<bool> = (0..n).map(|i| near(i).len() >= min_samples).collect();
        let mut labels = vec![None; n];
        let mut k = 0;
        for start in 0..n {
            if labels[start].is_some() || !core[start] {
                continue;
            }
            labels[start] = Some(k);
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                for j in near(i) {
                    if labels[j].is_none() {
                        labels[j] = Some(k);
                        if core[j] {
                            stack.push(j);
                        }
                    }
                }
            }
            k += 1;
        }
        labels
    }

    #[test]
    fn grid_and_tree_both_give_dbscan_by_its_definition() {
        let mut rng = Rng::new(11);
        for d in 1..=6 {
            // Four overlapping groups: dense enough for the grid up to four features.
            let x = Array2::from_shape_fn((1_500, d), |(i, j)| {
                ((i % 4) as f64 * 1.5 * ((i + j) % 2) as f64) + 0.7 * rng.normal()
            });
            let eps = 0.25 * d as f64;
            let uses_grid = Grid::new(x.as_slice().unwrap(), d, eps).is_some();
            assert_eq!(uses_grid, d <= 4, "d = {d}");
            let m = DbscanParams::new(eps).min_samples(6).fit(x.view()).unwrap();
            let want = by_definition(x.view(), eps, 6);
            assert!(m.k() >= 1 && m.n_noise() > 0, "d = {d}: a telling case");
            // Same partition (segments are renumbered by size).
            let mut pairs = std::collections::BTreeMap::new();
            for (a, b) in m.labels().iter().zip(&want) {
                assert_eq!(a.is_none(), b.is_none(), "d = {d}: outliers");
                if let (Some(a), Some(b)) = (a, b) {
                    assert_eq!(*pairs.entry(*a).or_insert(*b), *b, "d = {d}");
                }
            }
            assert_eq!(pairs.len(), m.k());
        }
    }

    #[test]
    fn everyone_an_outlier_is_a_result_not_an_error() {
        let x = array![[0.0], [10.0], [20.0]];
        let m = DbscanParams::new(1.0).min_samples(2).fit(x.view()).unwrap();
        assert_eq!(m.k(), 0);
        assert_eq!(m.labels(), &[None, None, None]);
    }

    #[test]
    fn eps_suggestion_sits_between_the_groups_spread_and_their_distance() {
        let mut rng = Rng::new(3);
        let x = Array2::from_shape_fn((400, 2), |(i, _)| {
            (i % 4) as f64 * 10.0 + 0.3 * rng.normal()
        });
        let s = suggest_eps(x.view(), 5, 1).unwrap();
        assert_eq!(s.sampled, 400);
        assert!(s.eps > 0.05 && s.eps < 2.0, "{}", s.eps);
        let m = DbscanParams::new(s.eps).fit(x.view()).unwrap();
        assert_eq!(m.k(), 4);
        assert!(m.n_noise() < 20);
        assert_eq!(
            k_distances(array![[0.0], [3.0]].view(), 2).unwrap(),
            vec![3.0, 3.0]
        );
    }
}
