//! Complete and average linkage on the full distance matrix, with scipy's
//! nearest-neighbour chain and Lance–Williams updates (so heights match scipy's exactly),
//! and single linkage from a minimum spanning tree (Prim), which needs no matrix.

use super::Linkage;
use crate::cluster::kernels::dist;
use crate::progress::Cancelled;

/// Index of pair `(i, j)`, `i < j`, in a condensed `n × n` distance matrix.
#[inline]
fn condensed(n: usize, i: usize, j: usize) -> usize {
    let (i, j) = if i < j { (i, j) } else { (j, i) };
    n * i - i * (i + 1) / 2 + (j - i - 1)
}

/// Complete or average merges, as `(row in a, row in b, height)`.
pub(super) fn chain_on_matrix(
    x: &[f64],
    d: usize,
    linkage: Linkage,
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<Vec<(usize, usize, f64)>, Cancelled> {
    let n = x.len() / d.max(1);
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let mut dm = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            dm.push(dist(row(i), row(j)));
        }
        if i % 256 == 0 {
            progress(0.5 * i as f64 / n as f64)?;
        }
    }
    let mut size = vec![1.0f64; n];
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    let mut chain: Vec<usize> = Vec::new();
    for step in 0..n.saturating_sub(1) {
        if chain.is_empty()
            && let Some(first) = (0..n).find(|&i| size[i] > 0.0)
        {
            chain.push(first);
        }
        let (x_id, y_id, height) = loop {
            let len = chain.len();
            let a = chain[len - 1];
            let (mut best, mut current) = if len >= 2 {
                let y = chain[len - 2];
                (y, dm[condensed(n, a, y)])
            } else {
                (usize::MAX, f64::INFINITY)
            };
            for i in 0..n {
                if i == a || size[i] == 0.0 {
                    continue;
                }
                let v = dm[condensed(n, a, i)];
                if v < current {
                    current = v;
                    best = i;
                }
            }
            if len >= 2 && best == chain[len - 2] {
                chain.truncate(len - 2);
                break (a.min(best), a.max(best), current);
            }
            chain.push(best);
        };
        let (nx, ny) = (size[x_id], size[y_id]);
        merges.push((x_id, y_id, height));
        size[x_id] = 0.0;
        size[y_id] = nx + ny;
        for i in 0..n {
            if size[i] == 0.0 || i == y_id {
                continue;
            }
            let dx = dm[condensed(n, i, x_id)];
            let dy = dm[condensed(n, i, y_id)];
            dm[condensed(n, i, y_id)] = match linkage {
                Linkage::Complete => dx.max(dy),
                _ => (nx * dx + ny * dy) / (nx + ny),
            };
        }
        if step % 256 == 0 {
            progress(0.5 + 0.5 * step as f64 / n as f64)?;
        }
    }
    Ok(merges)
}

/// Single-linkage merges from Prim's minimum spanning tree (scipy's
/// `mst_single_linkage`): `O(n²)` time, `O(n)` memory.
pub(super) fn single(
    x: &[f64],
    d: usize,
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<Vec<(usize, usize, f64)>, Cancelled> {
    let n = x.len() / d.max(1);
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let mut reach = vec![f64::INFINITY; n];
    let mut done = vec![false; n];
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    let mut current = 0;
    for step in 0..n.saturating_sub(1) {
        done[current] = true;
        let mut best = (f64::INFINITY, usize::MAX);
        for i in 0..n {
            if done[i] {
                continue;
            }
            let v = dist(row(current), row(i));
            if v < reach[i] {
                reach[i] = v;
            }
            if reach[i] < best.0 || best.1 == usize::MAX {
                best = (reach[i], i);
            }
        }
        merges.push((current, best.1, best.0));
        current = best.1;
        if step % 256 == 0 {
            progress(step as f64 / n as f64)?;
        }
    }
    Ok(merges)
}
