//! Batch k-prototypes: assign every customer to the nearest prototype, then move each
//! prototype to its customers' numeric means and most common categories; repeat until no
//! one moves.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::hyperparams::KPrototypesParams;
use crate::cluster::kernels::sq_dist;
use crate::cluster::{ClusterError, check_finite, relabel_by_size};
use crate::progress::{Progress, Stage};
use crate::rng::Rng;

/// A fitted k-prototypes model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KPrototypes {
    centroids: Array2<f64>,
    modes: Array2<u32>,
    gamma: f64,
    labels: Vec<usize>,
    sizes: Vec<usize>,
    cost: f64,
    n_iter: usize,
}

impl KPrototypes {
    /// The model without anything per fitted customer (`labels`), for saving
    /// in a recipe: what assigns new customers stays.
    pub(crate) fn without_rows(mut self) -> Self {
        self.labels = Vec::new();
        self
    }

    /// Numeric part of each prototype (`k × d`).
    pub fn centroids(&self) -> &Array2<f64> {
        &self.centroids
    }

    /// Most common category code of each segment (`k × m`).
    pub fn modes(&self) -> &Array2<u32> {
        &self.modes
    }

    /// The category weight used.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// The segment of each fitted row.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Customers per segment, largest first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Total distance of customers to their prototypes.
    pub fn cost(&self) -> f64 {
        self.cost
    }

    /// Iterations of the winning run.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Number of segments.
    pub fn k(&self) -> usize {
        self.sizes.len()
    }

    /// Assigns new customers to the nearest prototype.
    pub fn predict(
        &self,
        numbers: ArrayView2<f64>,
        categories: ArrayView2<u32>,
    ) -> Result<Vec<usize>, ClusterError> {
        let (d, m) = (self.centroids.ncols(), self.modes.ncols());
        if numbers.ncols() != d || categories.ncols() != m {
            return Err(ClusterError::WrongWidth {
                expected: d + m,
                got: numbers.ncols() + categories.ncols(),
            });
        }
        check_finite(numbers)?;
        let data = Mixed::new(numbers, categories, self.gamma);
        let protos = Prototypes {
            centres: self
                .centroids
                .as_standard_layout()
                .iter()
                .copied()
                .collect(),
            modes: self.modes.as_standard_layout().iter().copied().collect(),
        };
        Ok((0..data.n)
            .map(|i| data.nearest(i, &protos, self.k()).0)
            .collect())
    }
}

/// Rows with numeric and categorical parts, contiguous.
struct Mixed {
    n: usize,
    d: usize,
    m: usize,
    x: Vec<f64>,
    c: Vec<u32>,
    gamma: f64,
}

struct Prototypes {
    centres: Vec<f64>,
    modes: Vec<u32>,
}

impl Mixed {
    fn new(numbers: ArrayView2<f64>, categories: ArrayView2<u32>, gamma: f64) -> Self {
        Mixed {
            n: numbers.nrows().max(categories.nrows()),
            d: numbers.ncols(),
            m: categories.ncols(),
            x: numbers.as_standard_layout().iter().copied().collect(),
            c: categories.as_standard_layout().iter().copied().collect(),
            gamma,
        }
    }

    fn cost(&self, i: usize, centre: &[f64], mode: &[u32]) -> f64 {
        let (d, m) = (self.d, self.m);
        let numeric = sq_dist(&self.x[i * d..(i + 1) * d], centre);
        let differ = self.c[i * m..(i + 1) * m]
            .iter()
            .zip(mode)
            .filter(|(a, b)| a != b)
            .count();
        numeric + self.gamma * differ as f64
    }

    fn nearest(&self, i: usize, p: &Prototypes, k: usize) -> (usize, f64) {
        let (d, m) = (self.d, self.m);
        let mut best = (0, f64::INFINITY);
        for c in 0..k {
            let cost = self.cost(
                i,
                &p.centres[c * d..(c + 1) * d],
                &p.modes[c * m..(c + 1) * m],
            );
            if cost < best.1 {
                best = (c, cost);
            }
        }
        best
    }

    fn prototype_of(&self, i: usize) -> (Vec<f64>, Vec<u32>) {
        let (d, m) = (self.d, self.m);
        (
            self.x[i * d..(i + 1) * d].to_vec(),
            self.c[i * m..(i + 1) * m].to_vec(),
        )
    }
}

pub(super) fn fit(
    params: &KPrototypesParams,
    numbers: ArrayView2<f64>,
    categories: ArrayView2<u32>,
    progress: &mut dyn Progress,
) -> Result<KPrototypes, ClusterError> {
    let n = numbers.nrows();
    let k = params.n_clusters;
    if categories.nrows() != n {
        return Err(ClusterError::RowsMismatch {
            expected: n,
            got: categories.nrows(),
        });
    }
    if n == 0 {
        return Err(ClusterError::NoRows);
    }
    if numbers.ncols() + categories.ncols() == 0 {
        return Err(ClusterError::NoFeatures);
    }
    if k > n {
        return Err(ClusterError::MoreClustersThanRows { k, n });
    }
    check_finite(numbers)?;
    let gamma = params.gamma.unwrap_or_else(|| {
        let d = numbers.ncols();
        if d == 0 {
            return 1.0;
        }
        let sd: f64 = numbers
            .columns()
            .into_iter()
            .map(|c| c.std(0.0))
            .sum::<f64>()
            / d as f64;
        0.5 * sd
    });
    let data = Mixed::new(numbers, categories, gamma);
    let distinct = count_distinct(&data, k);
    if distinct < k {
        return Err(ClusterError::TooFewDistinct { k, distinct });
    }
    let mut rng = Rng::new(params.seed);
    let mut best: Option<(f64, Vec<usize>, Prototypes, usize)> = None;
    for run in 0..params.n_init {
        let mut protos = seed_prototypes(&data, k, &mut rng);
        let mut labels = vec![usize::MAX; n];
        let mut costs = vec![0.0; n];
        let mut n_iter = 0;
        for iter in 0..params.max_iter {
            n_iter = iter + 1;
            let mut changed = 0;
            for i in 0..n {
                let (c, cost) = data.nearest(i, &protos, k);
                changed += usize::from(labels[i] != c);
                labels[i] = c;
                costs[i] = cost;
            }
            if changed == 0 {
                break;
            }
            update(&data, k, &mut labels, &costs, &mut protos);
        }
        let cost: f64 = costs.iter().sum();
        if best.as_ref().is_none_or(|b| cost < b.0) {
            best = Some((cost, labels, protos, n_iter));
        }
        progress.report(Stage::Clustering, (run + 1) as f64 / params.n_init as f64)?;
    }
    let Some((cost, labels, protos, n_iter)) = best else {
        return Err(ClusterError::ZeroRestarts);
    };
    let (labels, order) = relabel_by_size(&labels, k);
    let (d, m) = (data.d, data.m);
    let mut centroids = Array2::zeros((k, d));
    let mut modes = Array2::zeros((k, m));
    for (new, &old) in order.iter().enumerate() {
        for j in 0..d {
            centroids[[new, j]] = protos.centres[old * d + j];
        }
        for j in 0..m {
            modes[[new, j]] = protos.modes[old * m + j];
        }
    }
    let mut sizes = vec![0; k];
    for &l in &labels {
        sizes[l] += 1;
    }
    Ok(KPrototypes {
        centroids,
        modes,
        gamma,
        labels,
        sizes,
        cost,
        n_iter,
    })
}

fn count_distinct(data: &Mixed, limit: usize) -> usize {
    let mut seen = rustc_hash::FxHashSet::default();
    for i in 0..data.n {
        let (x, c) = data.prototype_of(i);
        let key: (Vec<u64>, Vec<u32>) = (x.iter().map(|v| (v + 0.0).to_bits()).collect(), c);
        seen.insert(key);
        if seen.len() >= limit {
            break;
        }
    }
    seen.len()
}

/// k-means++-style seeding on the mixed cost: each next prototype is a customer drawn with
/// probability proportional to its cost to the nearest prototype so far.
fn seed_prototypes(data: &Mixed, k: usize, rng: &mut Rng) -> Prototypes {
    let (d, m) = (data.d, data.m);
    let mut protos = Prototypes {
        centres: Vec::with_capacity(k * d),
        modes: Vec::with_capacity(k * m),
    };
    let push = |p: &mut Prototypes, i: usize| {
        let (x, c) = data.prototype_of(i);
        p.centres.extend(x);
        p.modes.extend(c);
    };
    push(&mut protos, rng.below(data.n));
    let mut closest: Vec<f64> = (0..data.n)
        .map(|i| data.cost(i, &protos.centres[..d], &protos.modes[..m]))
        .collect();
    for c in 1..k {
        let total: f64 = closest.iter().sum();
        let pick = if total > 0.0 {
            let mut target = rng.uniform() * total;
            let mut pick = data.n - 1;
            for (i, v) in closest.iter().enumerate() {
                if target < *v {
                    pick = i;
                    break;
                }
                target -= v;
            }
            pick
        } else {
            rng.below(data.n)
        };
        push(&mut protos, pick);
        for (i, v) in closest.iter_mut().enumerate() {
            let cost = data.cost(
                i,
                &protos.centres[c * d..(c + 1) * d],
                &protos.modes[c * m..(c + 1) * m],
            );
            *v = v.min(cost);
        }
    }
    protos
}

/// Moves prototypes to their customers' means and most common categories (ties: the
/// smallest code); an empty segment takes the customer farthest from its prototype.
fn update(data: &Mixed, k: usize, labels: &mut [usize], costs: &[f64], p: &mut Prototypes) {
    let (d, m) = (data.d, data.m);
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0usize; k];
    for (i, &l) in labels.iter().enumerate() {
        counts[l] += 1;
        for (s, v) in sums[l * d..(l + 1) * d]
            .iter_mut()
            .zip(&data.x[i * d..(i + 1) * d])
        {
            *s += v;
        }
    }
    let empty: Vec<usize> = (0..k).filter(|c| counts[*c] == 0).collect();
    if !empty.is_empty() {
        let mut far: Vec<usize> = (0..data.n).collect();
        far.sort_by(|a, b| costs[*b].total_cmp(&costs[*a]).then(a.cmp(b)));
        for (&c, &i) in empty.iter().zip(&far) {
            let old = labels[i];
            if counts[old] <= 1 {
                continue;
            }
            counts[old] -= 1;
            for j in 0..d {
                sums[old * d + j] -= data.x[i * d + j];
                sums[c * d + j] = data.x[i * d + j];
            }
            counts[c] = 1;
            labels[i] = c;
        }
    }
    for c in 0..k {
        if counts[c] == 0 {
            continue;
        }
        for j in 0..d {
            p.centres[c * d + j] = sums[c * d + j] / counts[c] as f64;
        }
    }
    for j in 0..m {
        let mut tallies: Vec<rustc_hash::FxHashMap<u32, usize>> = vec![Default::default(); k];
        for (i, &l) in labels.iter().enumerate() {
            *tallies[l].entry(data.c[i * m + j]).or_insert(0) += 1;
        }
        for (c, tally) in tallies.iter().enumerate() {
            if let Some((&code, _)) = tally.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                p.modes[c * m + j] = code;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::KPrototypesParams;
    use ndarray::array;

    #[test]
    fn categories_alone_and_numbers_alone() {
        let none = Array2::<f64>::zeros((6, 0));
        let cats = array![[0, 1], [0, 1], [0, 1], [2, 0], [2, 0], [2, 3]];
        let m = KPrototypesParams::new(2)
            .fit(none.view(), cats.view())
            .unwrap();
        assert_eq!(m.labels(), &[0, 0, 0, 1, 1, 1]);
        assert_eq!(m.modes().row(1).to_vec(), vec![2, 0]);
        assert_eq!(m.cost(), 1.0); // one mismatch (3 vs 0) at gamma 1
        let nums = array![[0.0], [0.2], [9.0], [9.2]];
        let no_cats = Array2::<u32>::zeros((4, 0));
        let m = KPrototypesParams::new(2)
            .fit(nums.view(), no_cats.view())
            .unwrap();
        assert_eq!(m.sizes(), &[2, 2]);
        assert!((m.cost() - 0.04).abs() < 1e-12);
    }

    #[test]
    fn gamma_trades_numbers_against_categories() {
        // Two numeric groups that cut across two categories.
        let nums = array![[0.0], [0.1], [5.0], [5.1], [0.05], [5.05]];
        let cats = array![[0], [1], [0], [1], [0], [1]];
        let by_number = KPrototypesParams::new(2)
            .gamma(0.01)
            .fit(nums.view(), cats.view())
            .unwrap();
        assert_eq!(by_number.labels()[0], by_number.labels()[1]);
        let by_category = KPrototypesParams::new(2)
            .gamma(1_000.0)
            .fit(nums.view(), cats.view())
            .unwrap();
        assert_eq!(by_category.labels()[0], by_category.labels()[2]);
        assert_eq!(
            by_category
                .predict(array![[2.0]].view(), array![[1]].view())
                .unwrap(),
            vec![by_category.labels()[1]]
        );
    }

    #[test]
    fn errors() {
        let nums = array![[1.0], [1.0]];
        let cats = array![[0], [0]];
        assert_eq!(
            KPrototypesParams::new(2)
                .fit(nums.view(), cats.view())
                .unwrap_err(),
            ClusterError::TooFewDistinct { k: 2, distinct: 1 }
        );
        assert!(matches!(
            KPrototypesParams::new(2).gamma(-1.0).check(),
            Err(ClusterError::InvalidGamma(_))
        ));
    }
}
