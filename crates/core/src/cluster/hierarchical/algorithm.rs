//! The merge tree, cutting it into segments, and the fitted model.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::hyperparams::{HierarchicalParams, Linkage};
use super::{matrix, ward};
use crate::cluster::kernels::nearest;
use crate::cluster::{ClusterError, check_finite, check_rows, check_shape, relabel_by_size};
use crate::progress::{Progress, Stage};

/// One merge, in scipy's linkage format: groups `a < b` (ids below `n` are single
/// customers; id `n + i` is the group formed by merge `i`), the height at which they merge,
/// and the size of the new group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    /// Smaller group id.
    pub a: usize,
    /// Larger group id.
    pub b: usize,
    /// Linkage distance.
    pub height: f64,
    /// Customers in the merged group.
    pub size: usize,
}

/// A fitted hierarchical clustering: the whole merge tree plus one cut of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hierarchical {
    linkage: Linkage,
    merges: Vec<Merge>,
    labels: Vec<usize>,
    sizes: Vec<usize>,
    centroids: Array2<f64>,
}

impl Hierarchical {
    /// The model without anything per fitted customer (`merges`, `labels`), for saving
    /// in a recipe: what assigns new customers stays.
    pub(crate) fn without_rows(mut self) -> Self {
        self.merges = Vec::new();
        self.labels = Vec::new();
        self
    }

    /// All `n − 1` merges, lowest first (the dendrogram).
    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    /// The segment of each fitted row for the chosen number of segments.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Customers per segment, largest first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of segments in the cut.
    pub fn k(&self) -> usize {
        self.sizes.len()
    }

    /// Mean of each segment (`k × d`).
    pub fn centroids(&self) -> &Array2<f64> {
        &self.centroids
    }

    /// The linkage used.
    pub fn linkage(&self) -> Linkage {
        self.linkage
    }

    /// The segments for another number of segments, from the same tree.
    pub fn cut(&self, k: usize) -> Vec<usize> {
        cut(&self.merges, self.merges.len() + 1, k)
    }

    /// A height between the merges kept and the merges undone when cutting into `k`
    /// segments (where the dendrogram's cut line goes).
    pub fn cut_height(&self, k: usize) -> f64 {
        let m = self.merges.len();
        let kept = (m + 1).saturating_sub(k.max(1));
        let below = if kept == 0 {
            0.0
        } else {
            self.merges[kept - 1].height
        };
        match self.merges.get(kept) {
            Some(above) => (below + above.height) / 2.0,
            None => below,
        }
    }

    /// The same tree cut into `k` segments; `data` must be the rows it was fitted on.
    pub fn recut(&self, k: usize, data: ArrayView2<f64>) -> Result<Hierarchical, ClusterError> {
        let n = self.merges.len() + 1;
        if data.nrows() != n {
            return Err(ClusterError::RowsMismatch {
                expected: n,
                got: data.nrows(),
            });
        }
        if k > n {
            return Err(ClusterError::MoreClustersThanRows { k, n });
        }
        Ok(with_cut(self.linkage, self.merges.clone(), k, data))
    }

    /// New customers join the segment with the nearest mean.
    pub fn predict(&self, data: ArrayView2<f64>) -> Result<Vec<usize>, ClusterError> {
        let d = self.centroids.ncols();
        check_rows(data, d)?;
        let centres = self.centroids.as_standard_layout();
        let centres = centres.as_slice().unwrap_or(&[]);
        Ok(data
            .rows()
            .into_iter()
            .map(|row| nearest(&row.to_vec(), centres, d).0)
            .collect())
    }
}

pub(super) fn fit(
    params: &HierarchicalParams,
    data: ArrayView2<f64>,
    progress: &mut dyn Progress,
) -> Result<Hierarchical, ClusterError> {
    let (n, d) = data.dim();
    let k = params.n_clusters;
    check_shape(n, d, k)?;
    let max = params.linkage.max_rows();
    if n > max {
        return Err(ClusterError::TooManyRowsForLinkage {
            n,
            max,
            linkage: params.linkage.label(),
        });
    }
    check_finite(data)?;
    let data = data.as_standard_layout();
    let x = data.as_slice().unwrap_or(&[]);
    let mut report = |f: f64| progress.report(Stage::Clustering, 0.95 * f);
    let raw = match params.linkage {
        Linkage::Ward => ward::ward(x, d, &mut report)?,
        Linkage::Single => matrix::single(x, d, &mut report)?,
        Linkage::Complete | Linkage::Average => {
            matrix::chain_on_matrix(x, d, params.linkage, &mut report)?
        }
    };
    let merges = label(raw, n);
    let model = with_cut(params.linkage, merges, k, data.view());
    progress.report(Stage::Clustering, 1.0)?;
    Ok(model)
}

/// The model for the tree `merges` cut into `k` segments of `data` (the fitted rows).
fn with_cut(linkage: Linkage, merges: Vec<Merge>, k: usize, data: ArrayView2<f64>) -> Hierarchical {
    let n = merges.len() + 1;
    let labels = cut(&merges, n, k);
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut sizes = vec![0; k];
    let mut centroids = Array2::zeros((k, data.ncols()));
    for (row, &l) in data.rows().into_iter().zip(&labels) {
        sizes[l] += 1;
        let mut c = centroids.row_mut(l);
        c += &row;
    }
    for (mut c, &s) in centroids.rows_mut().into_iter().zip(&sizes) {
        c /= s.max(1) as f64;
    }
    Hierarchical {
        linkage,
        merges,
        labels,
        sizes,
        centroids,
    }
}

/// Union–find over groups `0..2n−1`, where merging two groups creates the next id.
struct Groups {
    parent: Vec<usize>,
    size: Vec<usize>,
    next: usize,
}

impl Groups {
    fn new(n: usize) -> Self {
        let total = 2 * n.max(1) - 1;
        Groups {
            parent: (0..total).collect(),
            size: (0..total).map(|i| usize::from(i < n)).collect(),
            next: n,
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        let mut root = x;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        while self.parent[x] != root {
            let up = self.parent[x];
            self.parent[x] = root;
            x = up;
        }
        root
    }

    fn merge(&mut self, a: usize, b: usize) -> (usize, usize) {
        let id = self.next;
        self.next += 1;
        self.parent[a] = id;
        self.parent[b] = id;
        self.size[id] = self.size[a] + self.size[b];
        (id, self.size[id])
    }
}

/// Sorts merges by height (stable, as scipy) and names the groups scipy's way.
fn label(mut raw: Vec<(usize, usize, f64)>, n: usize) -> Vec<Merge> {
    raw.sort_by(|a, b| a.2.total_cmp(&b.2));
    let mut groups = Groups::new(n);
    raw.into_iter()
        .map(|(x, y, height)| {
            let (rx, ry) = (groups.find(x), groups.find(y));
            let (a, b) = (rx.min(ry), rx.max(ry));
            let (_, size) = groups.merge(a, b);
            Merge { a, b, height, size }
        })
        .collect()
}

/// Segments after the first `n − k` merges, numbered by size (largest first).
fn cut(merges: &[Merge], n: usize, k: usize) -> Vec<usize> {
    let k = k.clamp(1, n.max(1));
    let mut groups = Groups::new(n);
    for m in &merges[..n - k] {
        groups.merge(m.a, m.b);
    }
    let mut id_of_root = std::collections::HashMap::new();
    let raw: Vec<usize> = (0..n)
        .map(|i| {
            let root = groups.find(i);
            let next = id_of_root.len();
            *id_of_root.entry(root).or_insert(next)
        })
        .collect();
    relabel_by_size(&raw, id_of_root.len()).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::HierarchicalParams;
    use crate::rng::Rng;
    use ndarray::array;

    #[test]
    fn ward_by_hand() {
        // Pairs at distance 1 merge first (height 1); then the two pairs, whose centres are
        // 10 apart: √(2·2·2/4)·10 = √2·10.
        let x = array![[0.0], [1.0], [10.0], [11.0]];
        let m = HierarchicalParams::new(2).fit(x.view()).unwrap();
        let h: Vec<f64> = m.merges().iter().map(|m| m.height).collect();
        assert_eq!(h[..2], [1.0, 1.0]);
        assert!((h[2] - 2f64.sqrt() * 10.0).abs() < 1e-12);
        assert_eq!(
            m.merges()[2],
            Merge {
                a: 4,
                b: 5,
                height: h[2],
                size: 4
            }
        );
        assert_eq!(m.labels(), &[0, 0, 1, 1]);
        assert_eq!(m.cut(4), vec![0, 1, 2, 3]);
        assert_eq!(m.recut(3, x.view()).unwrap().sizes(), &[2, 1, 1]);
        assert_eq!(m.cut(1), vec![0; 4]);
        assert!((m.cut_height(2) - (1.0 + h[2]) / 2.0).abs() < 1e-12);
        assert_eq!(m.predict(array![[9.0]].view()).unwrap(), vec![1]);
    }

    #[test]
    fn complete_and_average_by_hand() {
        let x = array![[0.0], [1.0], [3.0]];
        let heights = |l: Linkage| -> Vec<f64> {
            HierarchicalParams::new(1)
                .linkage(l)
                .fit(x.view())
                .unwrap()
                .merges()
                .iter()
                .map(|m| m.height)
                .collect()
        };
        assert_eq!(heights(Linkage::Complete), vec![1.0, 3.0]);
        assert_eq!(heights(Linkage::Average), vec![1.0, 2.5]);
        assert_eq!(heights(Linkage::Single), vec![1.0, 2.0]);
    }

    #[test]
    fn ward_with_the_index_equals_brute_force_ward() {
        // Enough rows for several tree rebuilds.
        let mut rng = Rng::new(8);
        let n = 1_200;
        let x = Array2::from_shape_fn((n, 3), |(i, _)| (i % 5) as f64 * 3.0 + rng.normal());
        let fast = HierarchicalParams::new(5).fit(x.view()).unwrap();
        // Brute force: repeatedly merge the closest pair of groups by Ward distance.
        let mut groups: Vec<(Vec<f64>, f64)> =
            x.rows().into_iter().map(|r| (r.to_vec(), 1.0)).collect();
        let mut heights = Vec::new();
        while groups.len() > 1 && heights.len() < 40 {
            let mut best = (f64::INFINITY, 0, 0);
            for i in 0..groups.len() {
                for j in i + 1..groups.len() {
                    let (a, na) = &groups[i];
                    let (b, nb) = &groups[j];
                    let d2: f64 = a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum();
                    let w = 2.0 * na * nb / (na + nb) * d2;
                    if w < best.0 {
                        best = (w, i, j);
                    }
                }
            }
            let (w, i, j) = best;
            let (b, nb) = groups.remove(j);
            let (a, na) = &mut groups[i];
            for (p, q) in a.iter_mut().zip(&b) {
                *p = (*na * *p + nb * q) / (*na + nb);
            }
            *na += nb;
            heights.push(w.sqrt());
        }
        for (fast, slow) in fast.merges().iter().zip(&heights) {
            assert!(
                (fast.height - slow).abs() <= 1e-9 * slow.max(1.0),
                "{} vs {slow}",
                fast.height
            );
        }
        assert_eq!(fast.sizes().iter().sum::<usize>(), n);
        assert_eq!(fast.merges().last().unwrap().size, n);
    }

    #[test]
    fn size_limits_and_bad_input() {
        let x = Array2::<f64>::zeros((5_001, 1));
        assert!(matches!(
            HierarchicalParams::new(2)
                .linkage(Linkage::Average)
                .fit(x.view()),
            Err(ClusterError::TooManyRowsForLinkage {
                n: 5_001,
                max: 5_000,
                ..
            })
        ));
        assert_eq!(
            HierarchicalParams::new(3)
                .fit(array![[1.0], [2.0]].view())
                .unwrap_err(),
            ClusterError::MoreClustersThanRows { k: 3, n: 2 }
        );
        // One customer: no merges, one segment.
        let one = HierarchicalParams::new(1)
            .fit(array![[1.0, 2.0]].view())
            .unwrap();
        assert!(one.merges().is_empty());
        assert_eq!(one.labels(), &[0]);
    }
}
