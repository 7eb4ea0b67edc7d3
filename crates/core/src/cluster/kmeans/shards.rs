//! Lloyd's algorithm split into shards of rows and one coordinator, so that several Web
//! Workers (each with its own copy of a slice of the rows) can share a fit.
//!
//! The split follows the data: a [`Shard`] holds whole blocks of [`BLOCK`] rows, assigns
//! them to the nearest centre and returns per-block centre sums and counts (a few kilobytes);
//! the [`Lloyd`] coordinator adds the blocks in block order, re-seeds empty segments and
//! moves the centres. Because sums are always added block by block in the same order, the
//! result has the same bits whether one shard holds every row or eight shards share them:
//! the same file gives the same segments on every machine, whatever its number of cores.
//!
//! Nothing here does input or output; the caller carries [`Centres`] to every shard and
//! brings the [`Assigned`] and [`Finished`] answers back (in the page, as worker messages;
//! natively, by a plain loop in [`super::algorithm`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::algorithm::{Element, Run};
use crate::cluster::kernels::{sq_dist, to_f32_finite};

/// Rows per block: the unit of centre sums, so that their order never depends on how the
/// rows are split between workers.
pub const BLOCK: usize = 16_384;

/// The ranges of rows `n` rows split into `parts` shards of whole blocks (the last shard
/// also takes the last, partial block). Fewer ranges than `parts` when there are fewer
/// blocks; never an empty range unless `n` is zero.
pub fn shard_rows(n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let blocks = n.div_ceil(BLOCK).max(1);
    let parts = parts.clamp(1, blocks);
    (0..parts)
        .map(|p| {
            let start = (blocks * p / parts * BLOCK).min(n);
            let end = (blocks * (p + 1) / parts * BLOCK).min(n);
            start..end
        })
        .collect()
}

/// What every shard is told at each step: the current centres (`k × d`, row-major) and
/// the rows the coordinator moved to empty segments since the last step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centres {
    /// Centres, `k × d`, row-major.
    pub centres: Vec<f64>,
    /// `(row, segment)`: rows given to empty segments (global row numbers).
    pub moves: Vec<(usize, usize)>,
}

/// A row far from its centre: a candidate to re-seed an empty segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Far {
    /// Squared distance to its centre, in storage precision.
    pub distance: f64,
    /// Global row number.
    pub row: usize,
    /// Its segment.
    pub segment: usize,
    /// The row's values.
    pub values: Vec<f64>,
}

/// A shard's answer to one assignment step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assigned {
    /// Rows whose segment changed.
    pub changed: usize,
    /// Per block, per centre, the sum of its rows (`blocks × k × d`).
    pub sums: Vec<f64>,
    /// Per block, rows per centre (`blocks × k`).
    pub counts: Vec<usize>,
    /// The shard's `k` rows farthest from their centres, farthest first.
    pub far: Vec<Far>,
}

/// A shard's last answer: its rows' segments and, per block, their squared distances to
/// the centres in `f64`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finished {
    /// Segment of every row of the shard.
    pub labels: Vec<u32>,
    /// Per block, the exact inertia.
    pub inertia: Vec<f64>,
}

/// One worker's rows and their current segments.
pub struct Shard<'a> {
    first: usize,
    d: usize,
    x64: Cow<'a, [f64]>,
    x32: Option<Cow<'a, [f32]>>,
    labels: Vec<usize>,
    distances: Vec<f64>,
}

impl<'a> Shard<'a> {
    /// A shard over `x64` (its rows, `d` values each, row-major), which are the global rows
    /// from `first` on; `f32` computes distances in single precision (the values must then
    /// fit in `f32`, which the coordinator checked).
    pub fn new(first: usize, d: usize, x64: Cow<'a, [f64]>, f32: bool) -> Self {
        let x32 = f32.then(|| Cow::Owned(to_f32_finite(&x64).0));
        Self::with(first, d, x64, x32)
    }

    /// A shard over rows already converted to `f32` (or `None`: distances in `f64`).
    pub(super) fn with(
        first: usize,
        d: usize,
        x64: Cow<'a, [f64]>,
        x32: Option<Cow<'a, [f32]>>,
    ) -> Self {
        let n = x64.len() / d.max(1);
        Shard {
            first,
            d,
            x64,
            x32,
            labels: vec![usize::MAX; n],
            distances: vec![0.0; n],
        }
    }

    /// The global row number of the shard's first row.
    pub fn first(&self) -> usize {
        self.first
    }

    /// The rows (`d` values each, row-major).
    pub fn rows(&self) -> &[f64] {
        &self.x64
    }

    /// The rows back.
    pub fn into_rows(self) -> Cow<'a, [f64]> {
        self.x64
    }

    /// Forgets the segments, for the next restart.
    pub fn reset(&mut self) {
        self.labels.iter_mut().for_each(|l| *l = usize::MAX);
    }

    /// Rows in the shard.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the shard has no rows.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Makes the moves, assigns every row to its nearest centre, and sums the centres'
    /// rows per block.
    pub fn assign(&mut self, job: &Centres) -> Assigned {
        self.apply(&job.moves);
        let d = self.d.max(1);
        let k = job.centres.len() / d;
        let changed = self.reassign(&job.centres);
        let blocks = self.len().div_ceil(BLOCK);
        let mut sums = vec![0.0; blocks * k * d];
        let mut counts = vec![0; blocks * k];
        for ((rows, labels), (sums, counts)) in self
            .x64
            .chunks(BLOCK * d)
            .zip(self.labels.chunks(BLOCK))
            .zip(sums.chunks_mut(k * d).zip(counts.chunks_mut(k)))
        {
            for (row, &l) in rows.chunks_exact(d).zip(labels) {
                counts[l] += 1;
                for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(row) {
                    *s += v;
                }
            }
        }
        Assigned {
            changed,
            sums,
            counts,
            far: self.farthest(k),
        }
    }

    /// Makes the moves, assigns once more if asked, and returns every row's segment and
    /// the exact inertia per block.
    pub fn finish(&mut self, job: &Centres, assign_again: bool) -> Finished {
        self.apply(&job.moves);
        let d = self.d.max(1);
        if assign_again {
            self.reassign(&job.centres);
        }
        let inertia = self
            .x64
            .chunks(BLOCK * d)
            .zip(self.labels.chunks(BLOCK))
            .map(|(rows, labels)| {
                rows.chunks_exact(d)
                    .zip(labels)
                    .map(|(row, &l)| sq_dist(row, &job.centres[l * d..(l + 1) * d]))
                    .sum()
            })
            .collect();
        Finished {
            labels: self.labels.iter().map(|&l| l as u32).collect(),
            inertia,
        }
    }

    /// Assigns every row to its nearest centre, in the storage precision; returns how
    /// many rows changed segment.
    fn reassign(&mut self, centres: &[f64]) -> usize {
        let d = self.d.max(1);
        match &self.x32 {
            Some(x) => assign(x, d, centres, &mut self.labels, &mut self.distances),
            None => assign(&self.x64, d, centres, &mut self.labels, &mut self.distances),
        }
    }

    fn apply(&mut self, moves: &[(usize, usize)]) {
        for &(row, segment) in moves {
            if let Some(l) = row
                .checked_sub(self.first)
                .and_then(|i| self.labels.get_mut(i))
            {
                *l = segment;
            }
        }
    }

    /// The `k` rows farthest from their centres, farthest first (ties: lower row first).
    ///
    /// One pass with a short sorted list: most rows cost one comparison with the `k`-th
    /// distance so far (sorting every row each step cost more than the assignment itself
    /// on a million rows, for candidates needed only when a segment empties).
    fn farthest(&self, k: usize) -> Vec<Far> {
        let d = self.d.max(1);
        // (distance, row), farthest first; ties keep the lower row first.
        let mut kept: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        for (i, &dist) in self.distances.iter().enumerate() {
            if k == 0 {
                break;
            }
            if kept.len() == k && kept.last().is_some_and(|&(last, _)| dist <= last) {
                continue;
            }
            let at = kept.partition_point(|&(other, _)| other >= dist);
            kept.insert(at, (dist, i));
            kept.truncate(k);
        }
        kept.into_iter()
            .map(|(distance, i)| Far {
                distance,
                row: self.first + i,
                segment: self.labels[i],
                values: self.x64[i * d..(i + 1) * d].to_vec(),
            })
            .collect()
    }
}

/// Assigns each row to its nearest centre, two rows at a time; returns how many labels
/// changed.
fn assign<T: Element>(
    x: &[T],
    d: usize,
    centers: &[f64],
    labels: &mut [usize],
    distances: &mut [f64],
) -> usize {
    let centers_t: Vec<T> = centers.iter().map(|v| T::from_f64(*v)).collect();
    let mut changed = 0;
    // Two rows at a time (a last odd row with itself).
    for ((pair, l), dd) in x
        .chunks(2 * d)
        .zip(labels.chunks_mut(2))
        .zip(distances.chunks_mut(2))
    {
        let (first, second) = pair.split_at(d.min(pair.len()));
        let second = if second.is_empty() { first } else { second };
        let found = T::nearest_pair(first, second, &centers_t, d);
        for ((l, dd), (c, best)) in l.iter_mut().zip(dd.iter_mut()).zip(found) {
            changed += usize::from(*l != c);
            *l = c;
            *dd = best;
        }
    }
    changed
}

/// What the coordinator asks of the shards next.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Another assignment step: call [`Shard::assign`] on every shard.
    Assign(Centres),
    /// The last step: call [`Shard::finish`] on every shard, assigning again if `again`.
    Finish {
        /// The final centres and moves.
        job: Centres,
        /// Whether the shards must assign once more.
        again: bool,
    },
}

/// Lloyd's algorithm as scikit-learn runs it: stop when labels no longer change or the
/// total squared centre shift is at most `tol`; empty segments are re-seeded with the rows
/// farthest from their centres (scikit-learn's `_relocate_empty_clusters_dense`).
pub struct Lloyd {
    k: usize,
    d: usize,
    centres: Vec<f64>,
    max_iter: usize,
    tol: f64,
    n_iter: usize,
}

impl Lloyd {
    /// Starts from `centres` (`k × d`); at most `max_iter` steps.
    pub fn new(d: usize, centres: Vec<f64>, max_iter: usize, tol: f64) -> (Self, Centres) {
        let d = d.max(1);
        let first = Centres {
            centres: centres.clone(),
            moves: Vec::new(),
        };
        let lloyd = Lloyd {
            k: centres.len() / d,
            d,
            centres,
            max_iter: max_iter.max(1),
            tol,
            n_iter: 0,
        };
        (lloyd, first)
    }

    /// Steps done, as a fraction of the most allowed.
    pub fn fraction(&self) -> f64 {
        self.n_iter as f64 / self.max_iter as f64
    }

    /// Takes every shard's answer to the last [`Shard::assign`] (in shard order) and says
    /// what comes next.
    pub fn next(&mut self, parts: &[Assigned]) -> Next {
        let (k, d) = (self.k, self.d);
        let first_step = self.n_iter == 0;
        self.n_iter += 1;
        let changed: usize = parts.iter().map(|p| p.changed).sum();
        if !first_step && changed == 0 {
            // Labels did not change: centres are already the means of their segments.
            return Next::Finish {
                job: Centres {
                    centres: self.centres.clone(),
                    moves: Vec::new(),
                },
                again: false,
            };
        }
        let mut sums = vec![0.0; k * d];
        let mut counts = vec![0usize; k];
        for part in parts {
            for block in part.sums.chunks_exact(k * d) {
                for (s, v) in sums.iter_mut().zip(block) {
                    *s += v;
                }
            }
            for block in part.counts.chunks_exact(k) {
                for (c, v) in counts.iter_mut().zip(block) {
                    *c += v;
                }
            }
        }
        let moves = relocate_empty(parts, d, &mut sums, &mut counts);
        let mut shift = 0.0;
        for (c, count) in counts.iter().enumerate() {
            let count = (*count).max(1) as f64;
            for j in 0..d {
                let new = sums[c * d + j] / count;
                let old = self.centres[c * d + j];
                shift += (new - old) * (new - old);
                self.centres[c * d + j] = new;
            }
        }
        let job = Centres {
            centres: self.centres.clone(),
            moves,
        };
        if shift <= self.tol || self.n_iter >= self.max_iter {
            Next::Finish { job, again: true }
        } else {
            Next::Assign(job)
        }
    }

    /// The run, from every shard's [`Finished`] answer in shard order.
    pub fn end(self, parts: Vec<Finished>) -> Run {
        Run::of(self.centres, parts, self.n_iter)
    }
}

/// Gives each empty segment the row farthest from its own centre over all shards, moving
/// that row's contribution; returns the moves.
fn relocate_empty(
    parts: &[Assigned],
    d: usize,
    sums: &mut [f64],
    counts: &mut [usize],
) -> Vec<(usize, usize)> {
    let empty: Vec<usize> = (0..counts.len()).filter(|c| counts[*c] == 0).collect();
    if empty.is_empty() {
        return Vec::new();
    }
    let mut far: Vec<&Far> = parts.iter().flat_map(|p| &p.far).collect();
    far.sort_by(|a, b| b.distance.total_cmp(&a.distance).then(a.row.cmp(&b.row)));
    let mut moves = Vec::new();
    for (&c, f) in empty.iter().zip(far) {
        let old = f.segment;
        if counts.get(old).is_none_or(|&n| n <= 1) {
            continue;
        }
        for (j, v) in f.values.iter().enumerate() {
            sums[old * d + j] -= v;
            sums[c * d + j] = *v;
        }
        counts[old] -= 1;
        counts[c] = 1;
        moves.push((f.row, c));
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::KMeansParams;
    use crate::cluster::kmeans::{KMeans, Plan, Precision};
    use crate::progress::NoProgress;
    use ndarray::Array2;

    fn blobs(n: usize, d: usize, seed: u64) -> Array2<f64> {
        let mut rng = crate::rng::Rng::new(seed);
        Array2::from_shape_fn((n, d), |(i, j)| {
            (i % 4) as f64 * 3.0 + j as f64 + rng.uniform() * 2.0
        })
    }

    /// The plan's restarts with the rows split into `parts` shards that each own a copy of
    /// their rows, as the page's workers do.
    fn fit_in_parts(params: &KMeansParams, x: &Array2<f64>, parts: usize) -> KMeans {
        let mut plan = Plan::new(params, x.view()).unwrap();
        let d = plan.features();
        let ranges = shard_rows(plan.rows(), parts);
        assert_eq!(ranges.len(), parts.min(plan.rows().div_ceil(BLOCK)));
        let mut shards: Vec<Shard> = ranges
            .iter()
            .map(|r| {
                let rows = plan.x64()[r.start * d..r.end * d].to_vec();
                Shard::new(r.start, d, Cow::Owned(rows), plan.single_precision())
            })
            .collect();
        for _ in 0..plan.runs() {
            shards.iter_mut().for_each(Shard::reset);
            let centres = plan.seed();
            let (mut lloyd, mut job) = plan.lloyd(centres);
            let run = loop {
                let answers: Vec<Assigned> = shards.iter_mut().map(|s| s.assign(&job)).collect();
                match lloyd.next(&answers) {
                    Next::Assign(next) => job = next,
                    Next::Finish { job, again } => {
                        let done = shards.iter_mut().map(|s| s.finish(&job, again)).collect();
                        break lloyd.end(done);
                    }
                }
            };
            plan.keep(run);
        }
        plan.model().unwrap()
    }

    #[test]
    fn the_farthest_rows_are_those_a_full_sort_finds() {
        let x = blobs(3000, 2, 9);
        let mut shard = Shard::new(100, 2, Cow::Owned(x.iter().copied().collect()), false);
        // Ties on purpose: two centres at equal distances from many rows.
        let job = Centres {
            centres: vec![0.0, 1.0, 9.0, 10.0, 4.5, 5.5],
            moves: Vec::new(),
        };
        shard.assign(&job);
        let mut order: Vec<usize> = (0..shard.len()).collect();
        order.sort_by(|a, b| {
            shard.distances[*b]
                .total_cmp(&shard.distances[*a])
                .then(a.cmp(b))
        });
        for k in [0, 1, 3, 7] {
            let rows: Vec<usize> = shard.farthest(k).iter().map(|f| f.row - 100).collect();
            assert_eq!(rows, order[..k].to_vec(), "k = {k}");
        }
    }

    #[test]
    fn shards_split_at_whole_blocks() {
        assert_eq!(shard_rows(0, 4), vec![0..0]);
        assert_eq!(shard_rows(10, 4), vec![0..10]);
        assert_eq!(
            shard_rows(3 * BLOCK + 5, 2),
            vec![0..2 * BLOCK, 2 * BLOCK..3 * BLOCK + 5]
        );
        assert_eq!(
            shard_rows(4 * BLOCK, 3),
            vec![0..BLOCK, BLOCK..2 * BLOCK, 2 * BLOCK..4 * BLOCK]
        );
    }

    #[test]
    fn any_number_of_shards_gives_the_same_bits() {
        let x = blobs(5 * BLOCK + 123, 3, 11);
        for precision in [Precision::F64, Precision::F32] {
            let params = KMeansParams::new(5).seed(3).n_init(2).precision(precision);
            let here = params
                .clone()
                .check()
                .unwrap()
                .fit(x.view(), &mut NoProgress)
                .unwrap();
            for parts in [1, 2, 3, 6] {
                let shared = fit_in_parts(&params, &x, parts);
                assert_eq!(shared, here, "{parts} shards, {precision:?}");
            }
        }
    }

    #[test]
    fn empty_segments_take_the_farthest_rows_across_shards() {
        let x = blobs(3 * BLOCK, 2, 5);
        // The third centre is far from every row: it starts empty.
        let start = ndarray::array![[0.0, 1.0], [9.0, 10.0], [1e6, 1e6]];
        let params = KMeansParams::new(3).initial_centroids(start).n_init(1);
        let here = params
            .clone()
            .check()
            .unwrap()
            .fit(x.view(), &mut NoProgress)
            .unwrap();
        assert!(here.sizes().iter().all(|&s| s > 0), "{:?}", here.sizes());
        for parts in [2, 3] {
            assert_eq!(fit_in_parts(&params, &x, parts), here);
        }
    }
}
