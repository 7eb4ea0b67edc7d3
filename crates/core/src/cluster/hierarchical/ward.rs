//! Ward linkage without a distance matrix: a nearest-neighbour chain over segment centres
//! and sizes (Murtagh 1983; Müllner 2011).
//!
//! The Ward distance between groups `A` and `B` is `√(2·|A||B| / (|A|+|B|)) · ‖c_A − c_B‖`
//! (scipy's merge height). Finding the chain tip's nearest group is the only expensive
//! step; a k-d tree over the centres of the groups that existed at its last rebuild
//! answers it, with `2|A| / (|A|+1) · ‖c_A − box‖²` as a lower bound to skip far boxes,
//! and groups formed since the rebuild are checked one by one. The tree is rebuilt as
//! those accumulate. Memory: the data, one centre per group and the tree.

use crate::cluster::kdtree::{KdTree, Visitor};
use crate::cluster::kernels::sq_dist;
use crate::progress::Cancelled;

const NONE: usize = usize::MAX;

struct Groups {
    d: usize,
    /// Centre of every group ever formed, by id (`0..n` single rows, then merges).
    centre: Vec<f64>,
    size: Vec<f64>,
    alive: Vec<bool>,
    /// A row inside each group (how scipy names groups in its merge list).
    member: Vec<usize>,
}

impl Groups {
    fn centre(&self, id: usize) -> &[f64] {
        &self.centre[id * self.d..(id + 1) * self.d]
    }

    /// Squared Ward distance (`2|A||B|/(|A|+|B|) · ‖c_A − c_B‖²`).
    fn distance(&self, a: usize, b: usize, cb: &[f64]) -> f64 {
        let (na, nb) = (self.size[a], self.size[b]);
        2.0 * (na * nb) / (na + nb) * sq_dist(self.centre(a), cb)
    }
}

/// The best candidate so far; equal distances prefer the previous chain element, then the
/// lower id, so the chain always ends in a reciprocal pair.
struct Nearest<'a> {
    groups: &'a Groups,
    /// Tree row → group id.
    ids: &'a [usize],
    a: usize,
    previous: usize,
    bound: f64,
    best: (f64, usize),
}

impl Nearest<'_> {
    fn consider(&mut self, b: usize, cb: &[f64]) {
        if b == self.a || !self.groups.alive[b] {
            return;
        }
        let dist = self.groups.distance(self.a, b, cb);
        let (best, id) = self.best;
        let better = dist < best
            || (dist == best && (b == self.previous || (id != self.previous && b < id)));
        if better {
            self.best = (dist, b);
        }
    }
}

impl Visitor for Nearest<'_> {
    fn prune(&self, near: f64) -> bool {
        // The bound is exact in real numbers; the margin keeps rounding from skipping a tie.
        self.bound * near * (1.0 - 1e-12) > self.best.0
    }

    fn visit(&mut self, row: usize, point: &[f64]) {
        let b = self.ids[row];
        self.consider(b, point);
    }
}

struct Index {
    tree: KdTree,
    ids: Vec<usize>,
    /// Groups formed since the tree was built.
    fresh: Vec<usize>,
}

impl Index {
    fn build(groups: &Groups) -> Index {
        let ids: Vec<usize> = (0..groups.alive.len())
            .filter(|&g| groups.alive[g])
            .collect();
        let points: Vec<f64> = ids
            .iter()
            .flat_map(|&g| groups.centre(g).iter().copied())
            .collect();
        Index {
            tree: KdTree::new(&points, groups.d),
            ids,
            fresh: Vec::new(),
        }
    }

    fn nearest(&self, groups: &Groups, a: usize, previous: usize) -> (usize, f64) {
        let na = groups.size[a];
        let mut search = Nearest {
            groups,
            ids: &self.ids,
            a,
            previous,
            bound: 2.0 * na / (na + 1.0),
            best: (f64::INFINITY, NONE),
        };
        for &b in &self.fresh {
            search.consider(b, groups.centre(b));
        }
        self.tree.visit(groups.centre(a), &mut search);
        (search.best.1, search.best.0)
    }
}

/// Ward merges of the `n` rows of `x` (`d` wide) as `(row in a, row in b, height)`, in the
/// order found (not yet sorted by height).
pub(super) fn ward(
    x: &[f64],
    d: usize,
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<Vec<(usize, usize, f64)>, Cancelled> {
    let n = x.len() / d.max(1);
    let total = 2 * n.max(1) - 1;
    let mut centre = Vec::with_capacity(total * d);
    centre.extend_from_slice(x);
    let mut groups = Groups {
        d,
        centre,
        size: vec![1.0; n],
        alive: vec![true; n],
        member: (0..n).collect(),
    };
    let mut index = Index::build(&groups);
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    let mut chain: Vec<usize> = Vec::new();
    let mut alive = n;
    let mut scan = 0;
    while alive > 1 {
        if chain.is_empty() {
            while !groups.alive[scan] {
                scan += 1;
            }
            chain.push(scan);
        }
        let (a, b, dist) = loop {
            let len = chain.len();
            let a = chain[len - 1];
            let previous = if len >= 2 { chain[len - 2] } else { NONE };
            let (b, dist) = index.nearest(&groups, a, previous);
            if b == previous {
                chain.truncate(len - 2);
                break (a, b, dist);
            }
            chain.push(b);
        };
        let (na, nb) = (groups.size[a], groups.size[b]);
        let merged: Vec<f64> = groups
            .centre(a)
            .iter()
            .zip(groups.centre(b))
            .map(|(ca, cb)| (na * ca + nb * cb) / (na + nb))
            .collect();
        let id = groups.size.len();
        groups.centre.extend_from_slice(&merged);
        groups.size.push(na + nb);
        groups.alive.push(true);
        groups.member.push(groups.member[a]);
        groups.alive[a] = false;
        groups.alive[b] = false;
        merges.push((groups.member[a], groups.member[b], dist.sqrt()));
        alive -= 1;
        index.fresh.push(id);
        if index.fresh.len() >= 128.max(alive / 32) {
            index = Index::build(&groups);
        }
        if merges.len() % 256 == 0 {
            progress(merges.len() as f64 / n as f64)?;
        }
    }
    Ok(merges)
}
