//! The quality scores split into shards of rows and one coordinator, so that several Web
//! Workers can share them (the page's pool; natively, one shard holds every row).
//!
//! Calinski-Harabasz, Davies-Bouldin and inertia take two passes over the rows: [`sums`]
//! (rows and their sum per segment) gives the segment means ([`Means`]), then [`spread`]
//! (each row's distance to its segment mean) gives the scores ([`Means::scores`]). Both
//! answer per block of [`BLOCK`] rows, and the coordinator adds the blocks in row order,
//! so the scores have the same bits whether one worker or eight computed them.
//!
//! The silhouette is split the same way in [`CHUNKS`] fixed stretches of rows
//! ([`Silhouette::chunk`]), each giving its own distance sums, added in chunk order
//! ([`Silhouette::add`]).

use std::ops::Range;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::{MetricError, segments};
use crate::cluster::kernels::{dist, sq_dist, sum_dist_columns};
use crate::cluster::kmeans::shards::BLOCK;
use crate::progress::Cancelled;

/// Per block of rows, per segment: its rows and their sum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sums {
    /// Per block, rows per segment (`blocks × k`).
    pub counts: Vec<usize>,
    /// Per block, per segment, the sum of its rows (`blocks × k × d`).
    pub sums: Vec<f64>,
}

/// Per block of rows, per segment: the distances of its rows to the segment mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Per block, per segment, the sum of distances (`blocks × k`).
    pub distances: Vec<f64>,
    /// Per block, per segment, the sum of squared distances (`blocks × k`).
    pub squares: Vec<f64>,
}

/// [`Sums`] of rows `x` (`d` values each, row-major, starting at a block's first row)
/// in segments `labels` (each below `k`).
pub fn sums(x: &[f64], d: usize, labels: &[usize], k: usize) -> Sums {
    let d = d.max(1);
    let blocks = labels.len().div_ceil(BLOCK);
    let mut counts = vec![0; blocks * k];
    let mut sums = vec![0.0; blocks * k * d];
    for ((rows, labels), (counts, sums)) in x
        .chunks(BLOCK * d)
        .zip(labels.chunks(BLOCK))
        .zip(counts.chunks_mut(k).zip(sums.chunks_mut(k * d)))
    {
        for (row, &l) in rows.chunks_exact(d).zip(labels) {
            if let (Some(count), Some(sum)) = (counts.get_mut(l), sums.get_mut(l * d..(l + 1) * d))
            {
                *count += 1;
                sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            }
        }
    }
    Sums { counts, sums }
}

/// [`Spread`] of rows `x` (as for [`sums`]) around their segments' `means` (`k × d`).
pub fn spread(x: &[f64], d: usize, labels: &[usize], means: &[f64]) -> Spread {
    let d = d.max(1);
    let k = means.len() / d;
    let blocks = labels.len().div_ceil(BLOCK);
    let mut distances = vec![0.0; blocks * k];
    let mut squares = vec![0.0; blocks * k];
    for ((rows, labels), (distances, squares)) in x.chunks(BLOCK * d).zip(labels.chunks(BLOCK)).zip(
        distances
            .chunks_mut(k.max(1))
            .zip(squares.chunks_mut(k.max(1))),
    ) {
        for (row, &l) in rows.chunks_exact(d).zip(labels) {
            if let Some(mean) = means.get(l * d..(l + 1) * d) {
                distances[l] += dist(row, mean);
                squares[l] += sq_dist(row, mean);
            }
        }
    }
    Spread { distances, squares }
}

/// The segments' sizes and means, from every shard's [`Sums`] in row order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Means {
    /// Rows per segment.
    pub sizes: Vec<usize>,
    /// Segment means, `k × d`, row-major (zeros for an empty segment).
    pub means: Vec<f64>,
    /// The mean of every row.
    pub overall: Vec<f64>,
}

impl Means {
    /// Adds the shards' blocks in order.
    pub fn of(parts: &[Sums], k: usize, d: usize) -> Means {
        let mut sizes = vec![0usize; k];
        let mut totals = vec![0.0; k * d];
        for part in parts {
            for (counts, sums) in part
                .counts
                .chunks_exact(k.max(1))
                .zip(part.sums.chunks_exact((k * d).max(1)))
            {
                sizes.iter_mut().zip(counts).for_each(|(s, c)| *s += c);
                totals.iter_mut().zip(sums).for_each(|(t, s)| *t += s);
            }
        }
        let n: usize = sizes.iter().sum();
        let mut overall = vec![0.0; d];
        for segment in totals.chunks_exact(d.max(1)) {
            overall.iter_mut().zip(segment).for_each(|(o, s)| *o += s);
        }
        overall.iter_mut().for_each(|o| *o /= n.max(1) as f64);
        let mut means = totals;
        for (mean, &size) in means.chunks_exact_mut(d.max(1)).zip(&sizes) {
            mean.iter_mut().for_each(|m| *m /= size.max(1) as f64);
        }
        Means {
            sizes,
            means,
            overall,
        }
    }

    /// Calinski-Harabasz, Davies-Bouldin and inertia from every shard's [`Spread`] in row
    /// order (scikit-learn's definitions and conventions; see the functions of the same
    /// names in [`super`]).
    pub fn scores(&self, parts: &[Spread]) -> Indices {
        let k = self.sizes.len();
        let d = self.overall.len();
        let mut distances = vec![0.0; k];
        let mut squares = vec![0.0; k];
        for part in parts {
            for (dist, sq) in part
                .distances
                .chunks_exact(k.max(1))
                .zip(part.squares.chunks_exact(k.max(1)))
            {
                distances.iter_mut().zip(dist).for_each(|(t, v)| *t += v);
                squares.iter_mut().zip(sq).for_each(|(t, v)| *t += v);
            }
        }
        let inertia: f64 = squares.iter().sum();
        let present: Vec<usize> = (0..k).filter(|&c| self.sizes[c] > 0).collect();
        let n: usize = self.sizes.iter().sum();
        let n_labels = present.len() as f64;
        let centre = |c: usize| &self.means[c * d..(c + 1) * d];
        let extra: f64 = (0..k)
            .map(|c| self.sizes[c] as f64 * sq_dist(centre(c), &self.overall))
            .sum();
        let calinski_harabasz = if inertia == 0.0 {
            1.0
        } else {
            extra * (n as f64 - n_labels) / (inertia * (n_labels - 1.0))
        };
        let intra: Vec<f64> = (0..k)
            .map(|c| distances[c] / self.sizes[c].max(1) as f64)
            .collect();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-8 + 1e-5 * b.abs();
        let all_intra_zero = present.iter().all(|&c| close(intra[c], 0.0));
        let all_centres_same = present.iter().all(|&a| {
            present
                .iter()
                .all(|&b| close(dist(centre(a), centre(b)), 0.0))
        });
        let davies_bouldin = if all_intra_zero || all_centres_same {
            0.0
        } else {
            let total: f64 = present
                .iter()
                .map(|&a| {
                    present
                        .iter()
                        .filter(|&&b| b != a)
                        .map(|&b| match dist(centre(a), centre(b)) {
                            0.0 => 0.0,
                            m => (intra[a] + intra[b]) / m,
                        })
                        .fold(0.0f64, f64::max)
                })
                .sum();
            total / n_labels.max(1.0)
        };
        Indices {
            rows: n,
            calinski_harabasz,
            davies_bouldin,
            inertia,
        }
    }
}

/// The scores that follow from the segment means and spreads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Indices {
    /// Rows scored.
    pub rows: usize,
    /// Calinski-Harabasz index.
    pub calinski_harabasz: f64,
    /// Davies-Bouldin index.
    pub davies_bouldin: f64,
    /// Sum of squared distances of rows to their segment mean.
    pub inertia: f64,
}

/// Fixed stretches of rows the silhouette's pairs are split into, whatever the number of
/// workers (so the sums, added in this order, have the same bits on any machine).
pub const CHUNKS: usize = 8;

/// The silhouette of one labelled set of rows, prepared for computing in [`CHUNKS`]
/// stretches: rows grouped by segment and stored feature-major, so the distances from one
/// row to a whole segment are one streaming reduction (see [`sum_dist_columns`]).
pub struct Silhouette {
    n: usize,
    k: usize,
    d: usize,
    sizes: Vec<usize>,
    /// Input row of each sorted row.
    order: Vec<usize>,
    /// First sorted row of each segment, and `n`.
    starts: Vec<usize>,
    /// Segment of each sorted row.
    segment_of: Vec<usize>,
    /// `d × n`, feature-major, rows sorted by segment.
    xt: Vec<f64>,
}

impl Silhouette {
    /// Checks `labels` (scikit-learn's `2 ≤ segments ≤ rows − 1`) and sorts the rows.
    pub fn new(data: ArrayView2<f64>, labels: &[usize]) -> Result<Silhouette, MetricError> {
        let k = segments(&data, labels)?;
        let (n, d) = data.dim();
        let mut sizes = vec![0usize; k];
        for &l in labels {
            sizes[l] += 1;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| labels[i]);
        let mut starts = vec![0usize; k + 1];
        let mut segment_of = vec![0usize; n];
        for c in 0..k {
            starts[c + 1] = starts[c] + sizes[c];
            segment_of[starts[c]..starts[c + 1]].fill(c);
        }
        let mut xt = vec![0.0f64; d * n];
        for (p, &i) in order.iter().enumerate() {
            for f in 0..d {
                xt[f * n + p] = data[[i, f]];
            }
        }
        Ok(Silhouette {
            n,
            k,
            d,
            sizes,
            order,
            starts,
            segment_of,
            xt,
        })
    }

    /// The sorted rows of chunk `c`: row `p` pairs with the `n − 1 − p` rows after it, so
    /// the chunks start where that work is split evenly.
    pub fn chunk_rows(&self, c: usize) -> Range<usize> {
        let at = |c: usize| {
            let left = 1.0 - c.min(CHUNKS) as f64 / CHUNKS as f64;
            ((self.n as f64 * (1.0 - left.sqrt())).round() as usize).min(self.n)
        };
        at(c)..at(c + 1)
    }

    /// The distance sums of chunk `c`'s pairs (`k × n`: entry `c × n + p` is the summed
    /// distance from sorted row `p` to the rows of segment `c`). Each pair is computed
    /// once: row `p`'s distances to the later rows `q` of segment `c` add to entry
    /// `(c, p)` (in one lane-wise reduction) and to `(label p, q)` (element-wise).
    /// `progress` gets the share of the chunk done.
    pub fn chunk(
        &self,
        c: usize,
        progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
    ) -> Result<Vec<f64>, Cancelled> {
        let (n, k) = (self.n, self.k);
        let mut sums = vec![0.0f64; k * n];
        let mut row = vec![0.0f64; self.d];
        let rows = self.chunk_rows(c);
        let (first, len) = (rows.start, rows.len().max(1));
        for p in rows {
            for (f, v) in row.iter_mut().enumerate() {
                *v = self.xt[f * n + p];
            }
            let lp = self.segment_of[p];
            for c in lp..k {
                let lo = self.starts[c].max(p + 1);
                let hi = self.starts[c + 1];
                if lo >= hi {
                    continue;
                }
                let (own, rest) = if c == lp {
                    let (head, tail) = sums.split_at_mut(lp * n + lo);
                    (&mut head[c * n + p], &mut tail[..hi - lo])
                } else {
                    // c > lp: segment lp's sums come before segment c's.
                    let (head, tail) = sums.split_at_mut(c * n);
                    (&mut tail[p], &mut head[lp * n + lo..lp * n + hi])
                };
                *own += sum_dist_columns(&row, &self.xt, n, lo..hi, rest);
            }
            if (p - first) % 256 == 0 {
                progress((p - first) as f64 / len as f64)?;
            }
        }
        Ok(sums)
    }

    /// Adds chunk `part` to `total` (start from zeros, add the chunks in order).
    pub fn add(total: &mut [f64], part: &[f64]) {
        total.iter_mut().zip(part).for_each(|(t, p)| *t += p);
    }

    /// Zeros to add the chunks to.
    pub fn zeros(&self) -> Vec<f64> {
        vec![0.0; self.k * self.n]
    }

    /// The mean silhouette and each row's own, in input order, from every chunk's sums
    /// added in order.
    pub fn finish(&self, sums: &[f64]) -> (f64, Vec<f64>) {
        let n = self.n;
        let mut total = 0.0;
        let mut values = vec![0.0; n];
        for (p, &lp) in self.segment_of.iter().enumerate() {
            if self.sizes[lp] <= 1 {
                continue;
            }
            let a = sums[lp * n + p] / (self.sizes[lp] - 1) as f64;
            let b = (0..self.k)
                .filter(|&c| c != lp && self.sizes[c] > 0)
                .map(|c| sums[c * n + p] / self.sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 {
                let s = (b - a) / m;
                total += s;
                values[self.order[p]] = s;
            }
        }
        (total / n as f64, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use ndarray::Array2;

    fn blobs(n: usize, d: usize) -> (Array2<f64>, Vec<usize>) {
        let mut rng = Rng::new(3);
        let x = Array2::from_shape_fn((n, d), |(i, j)| {
            (i % 3) as f64 * (j + 2) as f64 + rng.normal()
        });
        let labels = (0..n).map(|i| (i % 3 + i % 7 / 6) % 3).collect();
        (x, labels)
    }

    #[test]
    fn chunks_cover_the_rows_and_split_the_pairs_evenly() {
        let (x, labels) = blobs(10_000, 2);
        let s = Silhouette::new(x.view(), &labels).unwrap();
        let mut next = 0;
        let pairs = |r: Range<usize>| r.map(|p| 10_000 - 1 - p).sum::<usize>() as f64;
        for c in 0..CHUNKS {
            let rows = s.chunk_rows(c);
            assert_eq!(rows.start, next);
            next = rows.end;
            let share = pairs(rows) / pairs(0..10_000);
            assert!((share - 1.0 / CHUNKS as f64).abs() < 0.001, "{share}");
        }
        assert_eq!(next, 10_000);
    }

    #[test]
    fn shards_give_the_same_bits_as_one() {
        // Rows over several blocks, split at block boundaries as the page splits them.
        let (x, labels) = blobs(3 * BLOCK + 123, 5);
        let (d, k) = (5, 3);
        let flat = x.as_slice().unwrap();
        let whole = Means::of(&[sums(flat, d, &labels, k)], k, d);
        let cut = BLOCK * 2;
        let parts = [
            sums(&flat[..cut * d], d, &labels[..cut], k),
            sums(&flat[cut * d..], d, &labels[cut..], k),
        ];
        let shared = Means::of(&parts, k, d);
        assert_eq!(whole, shared);
        let one = whole.scores(&[spread(flat, d, &labels, &whole.means)]);
        let two = shared.scores(&[
            spread(&flat[..cut * d], d, &labels[..cut], &shared.means),
            spread(&flat[cut * d..], d, &labels[cut..], &shared.means),
        ]);
        assert_eq!(one, two);
    }
}
