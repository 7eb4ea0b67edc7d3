//! A uniform grid over low-dimensional rows, for DBSCAN's radius queries.
//!
//! Cells are `eps` wide, so every row within `eps` of a row lies in its own cell or in one
//! of the `3^d` cells around it. Rows are copied cell by cell, with cells in lexicographic
//! order of their coordinates and the last coordinate the fastest, so the three cells
//! that differ only in the last coordinate are one contiguous block of rows: each cell
//! keeps at most `3^(d-1)` such blocks, found once when the grid is built. A query is then
//! a few straight scans with no branching tree walk. In wasm, where the k-d tree's walks
//! are about three times slower than natively, this made DBSCAN on 100,000 × 4 blobs
//! several times faster (`cargo xtask bench`, workload `dbscan_100k_x4`).
//!
//! The grid only pays off when cells hold a few rows each, so [`Grid::new`] declines
//! (returns `None`) beyond [`MAX_DIMS`] features or when most rows sit alone in a cell;
//! the caller then uses the k-d tree.

use rustc_hash::FxHashMap;

use crate::cluster::kernels::sq_dist;

/// The most features the grid is used for (`3^(d-1)` blocks per cell: 27 at 4).
pub const MAX_DIMS: usize = 4;

/// A grid; see the module documentation.
#[derive(Debug, Clone)]
pub struct Grid {
    d: usize,
    /// Rows in cell order, row-major.
    points: Vec<f64>,
    /// `index[p]` is the original row at grid position `p`.
    index: Vec<usize>,
    /// `cell[p]` is the cell of grid position `p`.
    cell: Vec<u32>,
    /// Cell `c`'s blocks of neighbouring rows are `blocks[starts[c]..starts[c + 1]]`,
    /// each a range of grid positions.
    starts: Vec<usize>,
    blocks: Vec<(u32, u32)>,
}

impl Grid {
    /// A grid with cells `eps` wide over the `n × d` row-major `data`, or `None` when a
    /// grid would not be faster than a k-d tree (see the module documentation) or cannot
    /// hold the data (a spread of more than about 2³¹ cells in one feature).
    pub fn new(data: &[f64], d: usize, eps: f64) -> Option<Grid> {
        if d == 0 || d > MAX_DIMS || !eps.is_finite() || eps <= 0.0 {
            return None;
        }
        let n = data.len() / d;
        if n == 0 || u32::try_from(n).is_err() {
            return None;
        }
        let mut lo = vec![f64::INFINITY; d];
        let mut hi = vec![f64::NEG_INFINITY; d];
        for row in data.chunks_exact(d) {
            for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row) {
                *l = l.min(v);
                *h = h.max(v);
            }
        }
        // Coordinates start at 1 so that the cell before the first one is still a valid
        // key, and stay two below the field's top for the cell after the last one.
        let bits = (128 / d).min(32) as u32;
        let top = ((1u64 << bits) - 3) as f64;
        if lo
            .iter()
            .zip(&hi)
            .any(|(l, h)| ((h - l) / eps).is_nan() || (h - l) / eps >= top)
        {
            return None;
        }
        let coordinate = |v: f64, j: usize| ((v - lo[j]) / eps).floor() as u128 + 1;
        let key = |row: &[f64]| {
            row.iter()
                .enumerate()
                .fold(0u128, |k, (j, &v)| (k << bits) | coordinate(v, j))
        };
        let mut keyed: Vec<(u128, u32)> = data
            .chunks_exact(d)
            .zip(0u32..)
            .map(|(row, i)| (key(row), i))
            .collect();
        keyed.sort_unstable();

        let mut cells: Vec<(u128, usize, usize)> = Vec::new();
        for (p, &(k, _)) in keyed.iter().enumerate() {
            match cells.last_mut() {
                Some((last, _, end)) if *last == k => *end = p + 1,
                _ => cells.push((k, p, p + 1)),
            }
        }
        // Mostly lone rows: a query would look at many near-empty cells.
        if cells.len() * 2 > n {
            return None;
        }
        let lookup: FxHashMap<u128, usize> = cells
            .iter()
            .enumerate()
            .map(|(c, &(k, ..))| (k, c))
            .collect();

        // Offsets in every coordinate but the last, as key deltas: −1, 0 or +1 each.
        let mut offsets: Vec<i128> = vec![0];
        for j in 0..d - 1 {
            let unit = 1i128 << (bits as usize * (d - 1 - j));
            offsets = offsets
                .iter()
                .flat_map(|&o| [o - unit, o, o + unit])
                .collect();
        }
        let mut starts = Vec::with_capacity(cells.len() + 1);
        let mut blocks = Vec::new();
        for &(k, ..) in &cells {
            starts.push(blocks.len());
            for &o in &offsets {
                let centre = k.wrapping_add_signed(o);
                let found = [centre.wrapping_sub(1), centre, centre.wrapping_add(1)]
                    .iter()
                    .filter_map(|k| lookup.get(k).and_then(|&c| cells.get(c)))
                    .fold(None, |span: Option<(usize, usize)>, &(_, s, e)| {
                        Some(span.map_or((s, e), |(s0, e0)| (s0.min(s), e0.max(e))))
                    });
                if let Some((s, e)) = found {
                    blocks.push((s as u32, e as u32));
                }
            }
        }
        starts.push(blocks.len());

        let mut points = Vec::with_capacity(n * d);
        let mut index = Vec::with_capacity(n);
        for &(_, i) in &keyed {
            let i = i as usize;
            points.extend_from_slice(&data[i * d..(i + 1) * d]);
            index.push(i);
        }
        let mut cell = vec![0u32; n];
        for (c, &(_, s, e)) in cells.iter().enumerate() {
            cell[s..e].fill(c as u32);
        }
        Some(Grid {
            d,
            points,
            index,
            cell,
            starts,
            blocks,
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the grid holds no rows.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The original row at each grid position: visiting rows in this order keeps
    /// neighbouring queries on the same memory.
    pub fn order(&self) -> &[usize] {
        &self.index
    }

    /// Grid position `p`'s row.
    fn row(&self, p: usize) -> &[f64] {
        &self.points[p * self.d..(p + 1) * self.d]
    }

    /// The blocks of rows that may lie within `eps` of grid position `p`.
    fn blocks(&self, p: usize) -> &[(u32, u32)] {
        let c = self.cell[p] as usize;
        &self.blocks[self.starts[c]..self.starts[c + 1]]
    }

    /// Calls `found` with the original index of every row within squared distance `r2`
    /// (at most `eps²`) of grid position `p`, itself included.
    pub fn within(&self, p: usize, r2: f64, mut found: impl FnMut(usize)) {
        let q = self.row(p);
        for &(s, e) in self.blocks(p) {
            for other in s as usize..e as usize {
                if sq_dist(self.row(other), q) <= r2 {
                    found(self.index[other]);
                }
            }
        }
    }

    /// How many rows lie within squared distance `r2` (at most `eps²`) of grid position
    /// `p`, or `limit` if at least that many (the search stops there).
    pub fn count_within(&self, p: usize, r2: f64, limit: usize) -> usize {
        let q = self.row(p);
        let mut count = 0;
        for &(s, e) in self.blocks(p) {
            for other in s as usize..e as usize {
                count += usize::from(sq_dist(self.row(other), q) <= r2);
            }
            if count >= limit {
                return limit;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn brute(x: &[f64], d: usize, i: usize, r2: f64) -> Vec<usize> {
        (0..x.len() / d)
            .filter(|&j| sq_dist(&x[i * d..(i + 1) * d], &x[j * d..(j + 1) * d]) <= r2)
            .collect()
    }

    #[test]
    fn queries_equal_brute_force() {
        let mut rng = Rng::new(7);
        for d in 1..=MAX_DIMS {
            let x: Vec<f64> = (0..3_000 * d).map(|_| rng.normal()).collect();
            // Wide enough cells in more features for rows to share cells.
            let eps = 0.4 * d as f64;
            let grid = Grid::new(&x, d, eps).expect("dense enough for a grid");
            let position: Vec<usize> = {
                let mut p = vec![0; grid.len()];
                for (at, &i) in grid.order().iter().enumerate() {
                    p[i] = at;
                }
                p
            };
            for i in (0..3_000).step_by(37) {
                let want = brute(&x, d, i, eps * eps);
                let mut got = Vec::new();
                grid.within(position[i], eps * eps, |j| got.push(j));
                got.sort_unstable();
                assert_eq!(got, want, "d = {d}, row {i}");
                assert_eq!(
                    grid.count_within(position[i], eps * eps, usize::MAX),
                    want.len()
                );
                assert_eq!(grid.count_within(position[i], eps * eps, 2), 2);
            }
        }
    }

    #[test]
    fn declines_sparse_wide_or_unusable_data() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(
            Grid::new(&x, 1, 0.5).is_none(),
            "every row alone in its cell"
        );
        assert!(Grid::new(&x, 5, 50.0).is_none(), "too many features");
        assert!(Grid::new(&x, 1, 0.0).is_none());
        assert!(
            Grid::new(&[0.0, 1e300], 1, 1e-300).is_none(),
            "too many cells"
        );
        assert!(Grid::new(&[], 2, 1.0).is_none());
    }
}
