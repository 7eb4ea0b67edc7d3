//! A map of the customers that keeps each one next to the customers most like them:
//! UMAP (McInnes, Healy & Melville, 2018), as umap-learn and umap-js compute it.
//!
//! The principal-component map ([`crate::projection`]) is a flat view: it shows the two
//! directions in which customers differ most, and groups that differ in other directions
//! overlap. UMAP instead builds the graph of each customer's nearest neighbours in all the
//! prepared features and lays it out in two dimensions so that neighbours stay together:
//!
//! 1. **Neighbours**: the `n_neighbors` nearest customers of each (a k-d tree in up to
//!    16 features; beyond, every distance, or for many customers the neighbours on the
//!    first 16 principal components).
//! 2. **Fuzzy graph**: each customer's distances are turned into weights with a scale that
//!    gives every customer the same total weight (`log2(n_neighbors)`), and the two
//!    directions of every edge are combined as a fuzzy union.
//! 3. **Layout**: starting from the principal-component map (so the first picture the user
//!    saw moves smoothly into the new one), stochastic gradient descent pulls neighbours
//!    together and pushes random pairs apart, edges sampled in proportion to their weight,
//!    with umap-learn's curve for `min_dist = 0.1` and its learning-rate schedule.
//!
//! Up to [`UmapParams::max_fitted`] customers (50,000) are laid out in full; beyond, an even
//! sample is, and every other customer is placed among its nearest sampled neighbours.
//! A seed fixes every random choice, so a map is the same natively and in the browser.
//!
//! [`trustworthiness`] scores any map as scikit-learn does: how few of each customer's
//! neighbours on the map are strangers in the data.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::cluster::kdtree::KdTree;
use crate::progress::{Progress, Stage};
use crate::projection::{Pca, ProjectionError};
use crate::rng::Rng;

/// umap-learn's curve `1 / (1 + a·d^(2b))` fitted for `min_dist = 0.1`, `spread = 1`
/// (its `find_ab_params`): how close neighbours may sit.
const A: f64 = 1.576_943_460_405_378;
const B: f64 = 0.895_060_878_122_785_9;
/// Largest step of one coordinate in one update (umap-learn's gradient clip).
const CLIP: f64 = 4.0;
/// Above this many features, neighbours of many customers are found on this many principal
/// components (a k-d tree stops paying off in more dimensions).
const TREE_MAX_FEATURES: usize = 16;
/// Up to this many customers, neighbours in many features are found from every distance.
const BRUTE_MAX_ROWS: usize = 10_000;

/// Settings of a UMAP map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UmapParams {
    /// Neighbours per customer, the customer itself counted (umap-learn's default 15):
    /// smaller keeps finer local detail, larger more of the overall shape.
    pub n_neighbors: usize,
    /// Passes of the layout; `None`: 500 up to 10,000 customers, 200 beyond (as umap-learn).
    pub n_epochs: Option<usize>,
    /// Random pairs pushed apart per neighbour pulled together.
    pub negative_sample_rate: usize,
    /// Customers laid out in full; beyond, a sample is, and the rest placed by neighbours.
    pub max_fitted: usize,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for UmapParams {
    fn default() -> UmapParams {
        UmapParams {
            n_neighbors: 15,
            n_epochs: None,
            negative_sample_rate: 5,
            max_fitted: 50_000,
            seed: 42,
        }
    }
}

/// A UMAP map of the customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UmapMap {
    /// Coordinates, one row per input row, two columns.
    pub coords: Array2<f64>,
    /// Rows laid out in full (all of them, or the sample).
    pub fitted: usize,
    /// Passes of the layout.
    pub n_epochs: usize,
}

impl UmapMap {
    /// Whether only a sample was laid out in full, the rest placed by neighbours.
    pub fn sampled(&self) -> bool {
        self.fitted < self.coords.nrows()
    }
}

/// Lays out the rows of `x` (prepared features) in two dimensions.
///
/// `frame` receives the layout as it improves (about twenty times, the last one final),
/// so a page can show it refining; `progress` reports [`Stage::Mapping`] and can cancel.
pub fn fit(
    x: ArrayView2<f64>,
    params: &UmapParams,
    progress: &mut dyn Progress,
    frame: &mut dyn FnMut(&Array2<f64>),
) -> Result<UmapMap, ProjectionError> {
    let (n, d) = x.dim();
    if n < 3 {
        return Err(ProjectionError::TooFewRows(n));
    }
    if d == 0 {
        return Err(ProjectionError::NoFeatures);
    }
    if let Some((i, j)) = x
        .indexed_iter()
        .find(|(_, v)| !v.is_finite())
        .map(|(ij, _)| ij)
    {
        return Err(ProjectionError::NonFinite {
            row: i + 1,
            feature: j + 1,
        });
    }
    // An even sample (every n/max-th row) when there are too many customers.
    let fitted_rows: Vec<usize> = if n > params.max_fitted.max(3) {
        let step = n as f64 / params.max_fitted.max(3) as f64;
        (0..params.max_fitted.max(3))
            .map(|i| ((i as f64 * step) as usize).min(n - 1))
            .collect()
    } else {
        (0..n).collect()
    };
    let sample = x.select(ndarray::Axis(0), &fitted_rows);
    let m = sample.nrows();
    let k = params.n_neighbors.clamp(2, m - 1);
    let n_epochs = params
        .n_epochs
        .unwrap_or(if m <= 10_000 { 500 } else { 200 })
        .max(1);

    let space = NeighbourSpace::new(sample.view())?;
    let (indices, distances) = space.knn_of_all(k - 1);
    progress
        .report(Stage::Mapping, 0.1)
        .map_err(|_| ProjectionError::Cancelled)?;
    let graph = fuzzy_graph(m, k, &indices, &distances);
    // Where the rows left out of the layout go is found once: their nearest laid-out
    // rows do not change while the layout does, only where those rows are.
    let anchors = (m < n).then(|| anchors(x, &fitted_rows, &space, k));
    let mut embedding = initial_layout(sample.view(), params.seed)?;
    let mut rng = Rng::new(params.seed);
    let mut on_epoch = |epoch: usize, points: &[[f32; 2]]| -> Result<(), ProjectionError> {
        let every = (n_epochs / 20).max(1);
        if (epoch + 1).is_multiple_of(every) && epoch + 1 < n_epochs {
            let layout = Array2::from_shape_fn((points.len(), 2), |(i, c)| {
                points.get(i).map_or(0.0, |p| f64::from(p[c]))
            });
            frame(&place(anchors.as_deref(), &layout));
        }
        progress
            .report(
                Stage::Mapping,
                0.1 + 0.9 * (epoch + 1) as f64 / n_epochs as f64,
            )
            .map_err(|_| ProjectionError::Cancelled)
    };
    optimize(
        &mut embedding,
        &graph,
        n_epochs,
        params.negative_sample_rate,
        &mut rng,
        &mut on_epoch,
    )?;
    let coords = place(anchors.as_deref(), &embedding);
    frame(&coords);
    Ok(UmapMap {
        coords,
        fitted: m,
        n_epochs,
    })
}

/// Where neighbours are looked for: the features themselves, or their first principal
/// components when there are many of both.
struct NeighbourSpace {
    /// Rows in the space, row-major.
    points: Vec<f64>,
    width: usize,
    /// Principal components the rows were projected on, if any.
    pca: Option<Pca>,
    tree: Option<KdTree>,
}

impl NeighbourSpace {
    fn new(x: ArrayView2<f64>) -> Result<NeighbourSpace, ProjectionError> {
        let (n, d) = x.dim();
        let pca = if d > TREE_MAX_FEATURES && n > BRUTE_MAX_ROWS {
            Some(Pca::fit(x, TREE_MAX_FEATURES)?)
        } else {
            None
        };
        let projected = match &pca {
            Some(p) => p.transform(x)?,
            None => x.to_owned(),
        };
        let width = projected.ncols();
        let points: Vec<f64> = projected.iter().copied().collect();
        let tree = (width <= TREE_MAX_FEATURES).then(|| KdTree::new(&points, width));
        Ok(NeighbourSpace {
            points,
            width,
            pca,
            tree,
        })
    }

    fn len(&self) -> usize {
        self.points.len() / self.width.max(1)
    }

    fn row(&self, i: usize) -> &[f64] {
        self.points
            .get(i * self.width..(i + 1) * self.width)
            .unwrap_or_default()
    }

    /// The `k` nearest rows of the space to `q` as `(distance, row)`, nearest first, ties
    /// by row; `skip` is left out (the query's own row).
    fn nearest(&self, q: &[f64], k: usize, skip: Option<usize>) -> Vec<(f64, usize)> {
        let want = k + usize::from(skip.is_some());
        let mut found: Vec<(f64, usize)> = match &self.tree {
            Some(tree) => tree.nearest(q, want),
            None => {
                let mut all: Vec<(f64, usize)> = (0..self.len())
                    .map(|j| (squared(q, self.row(j)), j))
                    .collect();
                let cut = want.min(all.len());
                if cut < all.len() {
                    all.select_nth_unstable_by(cut, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    all.truncate(cut);
                }
                all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                all
            }
        };
        match skip.and_then(|s| found.iter().position(|&(_, j)| j == s)) {
            Some(at) => {
                found.remove(at);
            }
            None => found.truncate(k),
        }
        found.into_iter().map(|(d2, j)| (d2.sqrt(), j)).collect()
    }

    /// Every row's `k` nearest other rows: indices and distances, `k` per row.
    fn knn_of_all(&self, k: usize) -> (Vec<usize>, Vec<f64>) {
        let n = self.len();
        let mut indices = Vec::with_capacity(n * k);
        let mut distances = Vec::with_capacity(n * k);
        for i in 0..n {
            let found = self.nearest(self.row(i), k, Some(i));
            for slot in 0..k {
                // Fewer rows than k (tiny data): repeat the last neighbour.
                let (dist, j) = found
                    .get(slot)
                    .or(found.last())
                    .copied()
                    .unwrap_or((0.0, i));
                indices.push(j);
                distances.push(dist);
            }
        }
        (indices, distances)
    }

    /// `x`'s row in this space.
    fn project(&self, x: &[f64]) -> Vec<f64> {
        match &self.pca {
            Some(p) => {
                let row = ndarray::ArrayView2::from_shape((1, x.len()), x);
                match row.map(|r| p.transform(r)) {
                    Ok(Ok(t)) => t.iter().copied().collect(),
                    _ => vec![0.0; self.width],
                }
            }
            None => x.to_vec(),
        }
    }
}

fn squared(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The weighted edges of the neighbour graph, both directions of each, as UMAP lays out.
struct Graph {
    head: Vec<usize>,
    tail: Vec<usize>,
    weight: Vec<f64>,
}

/// umap-learn's `smooth_knn_dist` and fuzzy union: per row, distances beyond the nearest
/// neighbour's decay with a scale found by bisection so that the weights sum to
/// `log2(k)`; an edge's two directions `a`, `b` combine to `a + b − a·b`.
fn fuzzy_graph(n: usize, k: usize, indices: &[usize], distances: &[f64]) -> Graph {
    let per_row = k - 1;
    let target = (k as f64).log2();
    let mean_all = distances.iter().sum::<f64>() / distances.len().max(1) as f64;
    let mut directed: Vec<(usize, usize, f64)> = Vec::with_capacity(n * per_row * 2);
    for i in 0..n {
        let row = distances
            .get(i * per_row..(i + 1) * per_row)
            .unwrap_or_default();
        let neighbours = indices
            .get(i * per_row..(i + 1) * per_row)
            .unwrap_or_default();
        let rho = row.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0);
        let (mut lo, mut hi, mut sigma) = (0.0f64, f64::INFINITY, 1.0f64);
        for _ in 0..64 {
            let sum: f64 = row
                .iter()
                .map(|&d| {
                    let over = d - rho;
                    if over > 0.0 {
                        (-over / sigma).exp()
                    } else {
                        1.0
                    }
                })
                .sum();
            if (sum - target).abs() < 1e-5 {
                break;
            }
            if sum > target {
                hi = sigma;
                sigma = (lo + hi) / 2.0;
            } else {
                lo = sigma;
                sigma = if hi.is_infinite() {
                    sigma * 2.0
                } else {
                    (lo + hi) / 2.0
                };
            }
        }
        let mean_row = row.iter().sum::<f64>() / row.len().max(1) as f64;
        let floor = 1e-3 * if rho > 0.0 { mean_row } else { mean_all };
        let sigma = sigma.max(floor).max(f64::MIN_POSITIVE);
        for (&j, &d) in neighbours.iter().zip(row) {
            if j == i {
                continue;
            }
            let over = d - rho;
            let w = if over > 0.0 {
                (-over / sigma).exp()
            } else {
                1.0
            };
            directed.push((i.min(j), i.max(j), w));
        }
    }
    // Fuzzy union of the two directions: sort by pair, combine duplicates.
    directed.sort_by_key(|&(i, j, _)| (i, j));
    let mut graph = Graph {
        head: Vec::new(),
        tail: Vec::new(),
        weight: Vec::new(),
    };
    for pair in directed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let Some(&(i, j, _)) = pair.first() else {
            continue;
        };
        // At most two directed weights per pair (one from each end); more would mean a
        // row listed the same neighbour twice, which only tiny data does.
        let w = pair
            .iter()
            .take(2)
            .fold(0.0, |acc, &(_, _, w)| acc + w - acc * w);
        for (h, t) in [(i, j), (j, i)] {
            graph.head.push(h);
            graph.tail.push(t);
            graph.weight.push(w);
        }
    }
    graph
}

/// The principal-component map, scaled into `[0, 10]` on each axis as umap-learn scales
/// its starting layout, with a trace of noise so that identical customers can separate.
fn initial_layout(x: ArrayView2<f64>, seed: u64) -> Result<Array2<f64>, ProjectionError> {
    let n = x.nrows();
    let pca = Pca::fit(x, 2)?;
    let mut layout = Array2::<f64>::zeros((n, 2));
    let projected = pca.transform(x)?;
    for (c, column) in projected.columns().into_iter().enumerate().take(2) {
        let lo = column.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        for (i, v) in column.iter().enumerate() {
            if let Some(cell) = layout.get_mut([i, c]) {
                *cell = 10.0 * (v - lo) / span;
            }
        }
    }
    let mut rng = Rng::new(seed ^ 0x1a7e);
    layout.mapv_inplace(|v| v + 1e-4 * rng.normal());
    Ok(layout)
}

/// Called after every pass of the layout with the points.
type EpochHook<'a> = &'a mut dyn FnMut(usize, &[[f32; 2]]) -> Result<(), ProjectionError>;

/// One edge of the layout: its ends and when it is next pulled and pushed.
#[derive(Clone, Copy)]
struct Edge {
    head: u32,
    tail: u32,
    /// Pulled every `every` passes (`max_w / w`), next at `next`.
    every: f32,
    next: f32,
    /// Random pairs pushed apart every `every_negative` passes, next at `next_negative`.
    every_negative: f32,
    next_negative: f32,
}

/// umap-learn's `optimize_layout_euclidean` in two dimensions, moving both ends of an edge.
///
/// Single precision, as umap-learn lays out: half the memory traffic, and cheaper
/// divisions in WebAssembly; the schedule's passes (at most some hundreds) are exact in
/// `f32`.
fn optimize(
    embedding: &mut Array2<f64>,
    graph: &Graph,
    n_epochs: usize,
    negative_sample_rate: usize,
    rng: &mut Rng,
    on_epoch: EpochHook<'_>,
) -> Result<(), ProjectionError> {
    let n = embedding.nrows();
    let max_w = graph.weight.iter().copied().fold(0.0f64, f64::max);
    if max_w <= 0.0 || n == 0 || n > u32::MAX as usize {
        return Ok(());
    }
    // Edges too weak to be sampled even once are dropped; the others are pulled every
    // `max_w / w` passes, with `rate` random pairs pushed apart per pull.
    let rate = negative_sample_rate.max(1) as f32;
    let mut edges: Vec<Edge> = graph
        .head
        .iter()
        .zip(&graph.tail)
        .zip(&graph.weight)
        .filter(|((h, t), w)| **w >= max_w / n_epochs as f64 && **h < n && **t < n)
        .map(|((&h, &t), &w)| {
            let every = (max_w / w) as f32;
            Edge {
                head: h as u32,
                tail: t as u32,
                every,
                next: every,
                every_negative: every / rate,
                next_negative: every / rate,
            }
        })
        .collect();
    let mut points: Vec<[f32; 2]> = embedding
        .rows()
        .into_iter()
        .map(|r| [r[0] as f32, r[1] as f32])
        .collect();
    let n32 = n as u32;
    for epoch in 0..n_epochs {
        let alpha = 1.0 - epoch as f32 / n_epochs as f32;
        let now = epoch as f32;
        for edge in edges.iter_mut().filter(|e| e.next <= now) {
            edge.next += edge.every;
            let (j, t) = (edge.head as usize, edge.tail as usize);
            let (Some(&here), Some(&neighbour)) = (points.get(j), points.get(t)) else {
                continue;
            };
            // Truncation is the floor here: the value is never negative.
            let samples = ((now - edge.next_negative) / edge.every_negative).max(0.0) as u32;
            // The pull and the pushes of one edge are computed from the same positions and
            // applied together (umap-learn applies each in turn): independent of one
            // another, they run side by side in the processor instead of each waiting for
            // the last — twice as fast, with maps as trustworthy (`tests/umap_reference.rs`).
            let (gx, gy) = pull(here, neighbour);
            if let Some(p) = points.get_mut(t) {
                p[0] -= gx * alpha;
                p[1] -= gy * alpha;
            }
            let (mut sx, mut sy) = (gx, gy);
            for _ in 0..samples {
                let other = rng.below_u32(n32) as usize;
                if other != j
                    && let Some(&there) = points.get(other)
                {
                    let (gx, gy) = push(here, there);
                    sx += gx;
                    sy += gy;
                }
            }
            if let Some(p) = points.get_mut(j) {
                p[0] += sx * alpha;
                p[1] += sy * alpha;
            }
            edge.next_negative += samples as f32 * edge.every_negative;
        }
        on_epoch(epoch, &points)?;
    }
    for (mut row, p) in embedding.rows_mut().into_iter().zip(&points) {
        row[0] = f64::from(p[0]);
        row[1] = f64::from(p[1]);
    }
    Ok(())
}

/// `x^B` for `x > 0`, as `2^(B·log2 x)` with short polynomials: relative error below
/// 5e-5 (single precision), which the stochastic layout cannot notice.
///
/// Hand-written because the layout computes hundreds of millions of powers and `powf` is
/// its cost in WebAssembly, where it is a software routine (there is no `pow`
/// instruction): with this, UMAP of 10,000 customers went from 19.9 s to 11.0 s in
/// Chromium (`cargo xtask bench`, UMAP workload). Being plain arithmetic, it also gives
/// the same bits natively and in the browser, where `powf` comes from two different
/// maths libraries.
#[inline]
fn pow_b(x: f32) -> f32 {
    exp2(B as f32 * log2(x.max(1e-30)))
}

/// `log2(x)` for a normal positive `x`: the exponent, plus `log2` of the mantissa
/// `m ∈ [1, 2)` from the series in `t = (m − 1)/(m + 1)` (|t| ≤ 1/3; error below 2e-5).
#[inline]
fn log2(x: f32) -> f32 {
    let bits = x.to_bits();
    let exponent = ((bits >> 23) & 0xff) as i32 - 127;
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let series = t * (2.0 + t2 * (2.0 / 3.0 + t2 * (2.0 / 5.0 + t2 * (2.0 / 7.0))));
    exponent as f32 + series * std::f32::consts::LOG2_E
}

/// `2^y`: the integer part as an exponent, the fraction through the Taylor series of
/// `e^(f·ln 2)`, `f ∈ [0, 1)` (error below 2e-6).
#[inline]
fn exp2(y: f32) -> f32 {
    let y = y.clamp(-120.0, 120.0);
    // The floor without a library call (`floor` is one natively without SSE4.1).
    let truncated = y as i32 as f32;
    let whole = if truncated > y {
        truncated - 1.0
    } else {
        truncated
    };
    let f = (y - whole) * std::f32::consts::LN_2;
    let series = 1.0
        + f * (1.0
            + f * (1.0 / 2.0
                + f * (1.0 / 6.0 + f * (1.0 / 24.0 + f * (1.0 / 120.0 + f * (1.0 / 720.0))))));
    let scale = f32::from_bits(((whole as i32 + 127) as u32) << 23);
    series * scale
}

/// How far a point at `here` is pulled towards its neighbour at `there` (before the
/// learning rate; the neighbour moves the opposite way).
#[inline]
fn pull(here: [f32; 2], there: [f32; 2]) -> (f32, f32) {
    let (dx, dy) = (here[0] - there[0], here[1] - there[1]);
    let d2 = dx * dx + dy * dy;
    if d2 <= 0.0 {
        return (0.0, 0.0);
    }
    // d2^(b−1) = d2^b / d2: one power per update.
    let p = pow_b(d2);
    let coeff = -2.0 * (A * B) as f32 * p / (d2 * (A as f32 * p + 1.0));
    let clip = CLIP as f32;
    (
        (coeff * dx).clamp(-clip, clip),
        (coeff * dy).clamp(-clip, clip),
    )
}

/// How far a point at `here` is pushed away from one at `there` (before the learning rate).
#[inline]
fn push(here: [f32; 2], there: [f32; 2]) -> (f32, f32) {
    let (dx, dy) = (here[0] - there[0], here[1] - there[1]);
    let d2 = dx * dx + dy * dy;
    let clip = CLIP as f32;
    if d2 > 0.0 {
        let coeff = 2.0 * B as f32 / ((0.001 + d2) * (A as f32 * pow_b(d2) + 1.0));
        (
            (coeff * dx).clamp(-clip, clip),
            (coeff * dy).clamp(-clip, clip),
        )
    } else {
        (clip, clip)
    }
}

/// Laid-out rows a row is placed among, at most.
const PLACE_AMONG: usize = 5;

/// Per input row, the laid-out rows (indices into the sample) it is placed among and their
/// weights, summing to 1: itself alone when it was laid out, else its nearest laid-out
/// rows weighted by inverse distance (unused slots have weight 0).
type Anchors = [[(f64, u32); PLACE_AMONG]];

fn anchors(
    x: ArrayView2<f64>,
    fitted_rows: &[usize],
    space: &NeighbourSpace,
    k: usize,
) -> Vec<[(f64, u32); PLACE_AMONG]> {
    let n = x.nrows();
    let mut out = vec![[(0.0, 0u32); PLACE_AMONG]; n];
    let mut laid_out = vec![false; n];
    for (s, &row) in fitted_rows.iter().enumerate() {
        if let (Some(slot), Some(done)) = (out.get_mut(row), laid_out.get_mut(row)) {
            slot[0] = (1.0, s as u32);
            *done = true;
        }
    }
    for (i, slot) in out.iter_mut().enumerate() {
        if laid_out.get(i).copied().unwrap_or(true) {
            continue;
        }
        let row: Vec<f64> = x.row(i).iter().copied().collect();
        let near = space.nearest(&space.project(&row), k.min(PLACE_AMONG), None);
        let total: f64 = near.iter().map(|(d, _)| 1.0 / (d + 1e-9)).sum();
        for (anchor, (d, s)) in slot.iter_mut().zip(near) {
            *anchor = (1.0 / (d + 1e-9) / total, s as u32);
        }
    }
    out
}

/// The map of every input row: the laid-out rows where they are, every other row at the
/// weighted mean of its anchors (`None`: every row was laid out).
fn place(anchors: Option<&Anchors>, embedding: &Array2<f64>) -> Array2<f64> {
    let Some(anchors) = anchors else {
        return embedding.clone();
    };
    let mut out = Array2::<f64>::zeros((anchors.len(), 2));
    for (mut target, row) in out.rows_mut().into_iter().zip(anchors) {
        for &(w, s) in row.iter().filter(|(w, _)| *w > 0.0) {
            let s = s as usize;
            target[0] += w * embedding.get([s, 0]).copied().unwrap_or(0.0);
            target[1] += w * embedding.get([s, 1]).copied().unwrap_or(0.0);
        }
    }
    out
}

/// scikit-learn's `trustworthiness(x, embedding, n_neighbors=k)`: 1 when each row's `k`
/// nearest rows on the map are among its `k` nearest in the data, lower as strangers
/// intrude, each penalised by how far down the data's ranking it is.
///
/// Takes time `n² log n`; meant for checking maps of up to some thousands of rows.
pub fn trustworthiness(x: ArrayView2<f64>, embedding: ArrayView2<f64>, k: usize) -> f64 {
    let n = x.nrows();
    if n < 2 || k == 0 || 2 * n < 3 * k + 2 || embedding.nrows() != n {
        return f64::NAN;
    }
    let rows: Vec<Vec<f64>> = x.rows().into_iter().map(|r| r.to_vec()).collect();
    let points: Vec<Vec<f64>> = embedding.rows().into_iter().map(|r| r.to_vec()).collect();
    let mut rank = vec![0usize; n];
    let mut penalty = 0usize;
    for i in 0..n {
        let (Some(ri), Some(pi)) = (rows.get(i), points.get(i)) else {
            continue;
        };
        // Rank (1 = nearest) of every other row in the data, ties by row as a stable sort.
        let mut order: Vec<(f64, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (rows.get(j).map_or(f64::INFINITY, |r| squared(ri, r)), j))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (r, &(_, j)) in order.iter().enumerate() {
            if let Some(slot) = rank.get_mut(j) {
                *slot = r + 1;
            }
        }
        // The k nearest on the map.
        let mut near: Vec<(f64, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (points.get(j).map_or(f64::INFINITY, |p| squared(pi, p)), j))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, j) in near.iter().take(k) {
            penalty += rank.get(j).copied().unwrap_or(0).saturating_sub(k);
        }
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - penalty as f64 * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    /// Three tight groups far apart in 5 features.
    fn groups() -> Array2<f64> {
        let mut rng = Rng::new(3);
        Array2::from_shape_fn((150, 5), |(i, j)| {
            let centre = [0.0, 10.0, 20.0][i % 3] * if j % 2 == 0 { 1.0 } else { -1.0 };
            centre + rng.normal()
        })
    }

    #[test]
    fn groups_stay_apart_and_the_map_is_the_same_every_time() {
        let x = groups();
        let params = UmapParams::default();
        let mut frames = 0;
        let map = fit(x.view(), &params, &mut NoProgress, &mut |_| frames += 1).unwrap();
        assert_eq!(map.coords.dim(), (150, 2));
        assert_eq!(map.n_epochs, 500);
        assert!(!map.sampled());
        assert!(frames >= 10, "{frames} frames");
        assert!(trustworthiness(x.view(), map.coords.view(), 10) > 0.9);
        // Each group's centre is nearer its own members than any other group's.
        let centre = |g: usize| {
            let rows: Vec<usize> = (0..150).filter(|i| i % 3 == g).collect();
            let c = map.coords.select(ndarray::Axis(0), &rows);
            (c.column(0).mean().unwrap(), c.column(1).mean().unwrap())
        };
        let centres: Vec<(f64, f64)> = (0..3).map(centre).collect();
        for i in 0..150 {
            let p = (map.coords[[i, 0]], map.coords[[i, 1]]);
            let dist = |c: &(f64, f64)| (p.0 - c.0).hypot(p.1 - c.1);
            let own = dist(&centres[i % 3]);
            for (g, c) in centres.iter().enumerate() {
                if g != i % 3 {
                    assert!(own < dist(c), "row {i}");
                }
            }
        }
        let again = fit(x.view(), &params, &mut NoProgress, &mut |_| {}).unwrap();
        assert_eq!(again.coords, map.coords);
    }

    #[test]
    fn beyond_the_limit_a_sample_is_laid_out_and_the_rest_placed_by_neighbours() {
        let x = groups();
        let params = UmapParams {
            max_fitted: 60,
            ..UmapParams::default()
        };
        let map = fit(x.view(), &params, &mut NoProgress, &mut |_| {}).unwrap();
        assert!(map.sampled());
        assert_eq!(map.fitted, 60);
        assert_eq!(map.coords.nrows(), 150);
        assert!(map.coords.iter().all(|v| v.is_finite()));
        assert!(trustworthiness(x.view(), map.coords.view(), 10) > 0.9);
    }

    #[test]
    fn bad_input_is_a_sentence() {
        let tiny = Array2::<f64>::zeros((2, 3));
        assert_eq!(
            fit(
                tiny.view(),
                &UmapParams::default(),
                &mut NoProgress,
                &mut |_| {}
            ),
            Err(ProjectionError::TooFewRows(2))
        );
        let mut x = groups();
        x[[7, 2]] = f64::NAN;
        assert_eq!(
            fit(
                x.view(),
                &UmapParams::default(),
                &mut NoProgress,
                &mut |_| {}
            ),
            Err(ProjectionError::NonFinite { row: 8, feature: 3 })
        );
        // Identical customers: a map (all together), not a failure.
        let same = Array2::<f64>::ones((20, 2));
        let map = fit(
            same.view(),
            &UmapParams::default(),
            &mut NoProgress,
            &mut |_| {},
        )
        .unwrap();
        assert!(map.coords.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn cancelling_stops_the_layout() {
        let x = groups();
        let mut calls = 0;
        let mut stop = |_: Stage, f: f64| {
            calls += 1;
            if f > 0.5 {
                Err(crate::progress::Cancelled)
            } else {
                Ok(())
            }
        };
        assert_eq!(
            fit(x.view(), &UmapParams::default(), &mut stop, &mut |_| {}),
            Err(ProjectionError::Cancelled)
        );
        assert!(calls < 400);
    }

    #[test]
    fn the_fast_power_matches_powf() {
        let mut worst = 0.0f64;
        let mut x = 1e-8f64;
        while x < 1e6 {
            let exact = x.powf(B);
            let rel = (f64::from(pow_b(x as f32)) - exact).abs() / exact;
            worst = worst.max(rel);
            x *= 1.013;
        }
        assert!(worst < 5e-5, "relative error {worst}");
    }

    #[test]
    fn trustworthiness_of_a_perfect_and_a_scrambled_map() {
        let x = groups();
        assert!((trustworthiness(x.view(), x.view(), 5) - 1.0).abs() < 1e-12);
        let mut rng = Rng::new(9);
        let noise = Array2::from_shape_fn((150, 2), |_| rng.normal());
        assert!(trustworthiness(x.view(), noise.view(), 5) < 0.7);
    }
}
