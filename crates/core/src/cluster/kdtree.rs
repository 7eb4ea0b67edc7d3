//! A k-d tree over the rows of a matrix, for radius and nearest-neighbour queries
//! (DBSCAN, the k-distance plot, placing customers on a map).
//!
//! The rows are copied into tree order so each leaf is one contiguous block of memory;
//! every node keeps its bounding box, which lets a query skip a node that is out of reach
//! and take a node that is wholly inside the radius without computing a single distance.

use crate::cluster::kernels::sq_dist;

/// Rows per leaf.
const LEAF: usize = 24;

/// A k-d tree; see the module documentation.
#[derive(Debug, Clone)]
pub struct KdTree {
    d: usize,
    /// Rows in tree order, row-major.
    points: Vec<f64>,
    /// `index[p]` is the original row of tree position `p`.
    index: Vec<usize>,
    nodes: Vec<Node>,
    /// Bounding boxes: node `i` spans `lo[i*d..(i+1)*d]` to `hi[..]`.
    lo: Vec<f64>,
    hi: Vec<f64>,
}

/// A custom search over a [`KdTree`] (see [`KdTree::visit`]).
pub trait Visitor {
    /// Whether a node whose box lies at squared distance `near` can be skipped.
    fn prune(&self, near: f64) -> bool;
    /// Sees one row (`row` is its index in the data the tree was built from).
    fn visit(&mut self, row: usize, point: &[f64]);
}

#[derive(Debug, Clone, Copy)]
struct Node {
    start: usize,
    end: usize,
    /// Children, or `usize::MAX` for a leaf.
    left: usize,
    right: usize,
}

impl KdTree {
    /// Builds the tree over `data` (`n × d`, row-major).
    pub fn new(data: &[f64], d: usize) -> Self {
        let d = d.max(1);
        let n = data.len() / d;
        let mut index: Vec<usize> = (0..n).collect();
        let mut tree = KdTree {
            d,
            points: Vec::new(),
            index: Vec::new(),
            nodes: Vec::with_capacity(2 * n / LEAF + 2),
            lo: Vec::new(),
            hi: Vec::new(),
        };
        if n > 0 {
            tree.build(data, &mut index, 0, n);
        }
        tree.points = index
            .iter()
            .flat_map(|&i| data[i * d..(i + 1) * d].iter().copied())
            .collect();
        tree.index = index;
        tree
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the tree holds no rows.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn build(&mut self, data: &[f64], index: &mut [usize], start: usize, end: usize) -> usize {
        let d = self.d;
        let id = self.nodes.len();
        self.nodes.push(Node {
            start,
            end,
            left: usize::MAX,
            right: usize::MAX,
        });
        let mut lo = vec![f64::INFINITY; d];
        let mut hi = vec![f64::NEG_INFINITY; d];
        for &i in &index[start..end] {
            for j in 0..d {
                let v = data[i * d + j];
                lo[j] = lo[j].min(v);
                hi[j] = hi[j].max(v);
            }
        }
        let (axis, spread) = (0..d)
            .map(|j| (j, hi[j] - lo[j]))
            .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
        self.lo.extend_from_slice(&lo);
        self.hi.extend_from_slice(&hi);
        if end - start <= LEAF || spread <= 0.0 {
            return id;
        }
        let mid = start + (end - start) / 2;
        index[start..end].select_nth_unstable_by(mid - start, |a, b| {
            data[a * d + axis]
                .total_cmp(&data[b * d + axis])
                .then(a.cmp(b))
        });
        let left = self.build(data, index, start, mid);
        let right = self.build(data, index, mid, end);
        self.nodes[id].left = left;
        self.nodes[id].right = right;
        id
    }

    /// Smallest and largest squared distance from `q` to node `id`'s box.
    fn box_distances(&self, id: usize, q: &[f64]) -> (f64, f64) {
        let d = self.d;
        let (lo, hi) = (
            &self.lo[id * d..(id + 1) * d],
            &self.hi[id * d..(id + 1) * d],
        );
        let mut near = 0.0;
        let mut far = 0.0;
        for j in 0..d {
            let below = lo[j] - q[j];
            let above = q[j] - hi[j];
            let gap = below.max(above).max(0.0);
            near += gap * gap;
            let reach = below.abs().max(above.abs());
            far += reach * reach;
        }
        (near, far)
    }

    /// Calls `found(row)` for every row within squared distance `r2` of `q` (inclusive).
    pub fn within(&self, q: &[f64], r2: f64, mut found: impl FnMut(usize)) {
        if self.nodes.is_empty() {
            return;
        }
        let d = self.d;
        let mut stack = Stack::new(0usize);
        while let Some(id) = stack.pop() {
            let (near, far) = self.box_distances(id, q);
            if near > r2 {
                continue;
            }
            let node = self.nodes[id];
            if far <= r2 {
                self.index[node.start..node.end]
                    .iter()
                    .for_each(|&i| found(i));
            } else if node.left == usize::MAX {
                for p in node.start..node.end {
                    if sq_dist(&self.points[p * d..(p + 1) * d], q) <= r2 {
                        found(self.index[p]);
                    }
                }
            } else {
                stack.push(node.right);
                stack.push(node.left);
            }
        }
    }

    /// How many rows lie within squared distance `r2` of `q`, or `limit` if at least that
    /// many (the search stops there).
    pub fn count_within(&self, q: &[f64], r2: f64, limit: usize) -> usize {
        if self.nodes.is_empty() {
            return 0;
        }
        let d = self.d;
        let mut count = 0;
        let mut stack = Stack::new(0usize);
        while let Some(id) = stack.pop() {
            let (near, far) = self.box_distances(id, q);
            if near > r2 {
                continue;
            }
            let node = self.nodes[id];
            if far <= r2 {
                count += node.end - node.start;
            } else if node.left == usize::MAX {
                for p in node.start..node.end {
                    count += usize::from(sq_dist(&self.points[p * d..(p + 1) * d], q) <= r2);
                }
            } else {
                stack.push(node.right);
                stack.push(node.left);
            }
            if count >= limit {
                return limit;
            }
        }
        count.min(limit)
    }

    /// Walks the tree nearest-first from `q`, skipping every node whose box `visitor` prunes
    /// (given the squared distance from `q` to the box) and showing it every remaining row.
    pub fn visit(&self, q: &[f64], visitor: &mut impl Visitor) {
        if self.nodes.is_empty() {
            return;
        }
        let d = self.d;
        let mut stack = Stack::new((0usize, self.box_distances(0, q).0));
        while let Some((id, near)) = stack.pop() {
            if visitor.prune(near) {
                continue;
            }
            let node = self.nodes[id];
            if node.left == usize::MAX {
                for p in node.start..node.end {
                    visitor.visit(self.index[p], &self.points[p * d..(p + 1) * d]);
                }
            } else {
                self.push_children(&node, q, &mut stack);
            }
        }
    }

    /// Pushes `node`'s children with their distances from `q`, the nearer one last so that
    /// it is searched first.
    fn push_children(&self, node: &Node, q: &[f64], stack: &mut Stack<(usize, f64)>) {
        let (l, r) = (node.left, node.right);
        let (nl, nr) = (self.box_distances(l, q).0, self.box_distances(r, q).0);
        if nl <= nr {
            stack.push((r, nr));
            stack.push((l, nl));
        } else {
            stack.push((l, nl));
            stack.push((r, nr));
        }
    }

    /// The `k` nearest rows to `q` as `(squared distance, row)`, nearest first; ties by row.
    pub fn nearest(&self, q: &[f64], k: usize) -> Vec<(f64, usize)> {
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        if self.nodes.is_empty() || k == 0 {
            return best;
        }
        let d = self.d;
        let worst = |best: &Vec<(f64, usize)>| {
            if best.len() < k {
                f64::INFINITY
            } else {
                best[best.len() - 1].0
            }
        };
        let mut stack = Stack::new((0usize, 0.0f64));
        while let Some((id, near)) = stack.pop() {
            if near > worst(&best) {
                continue;
            }
            let node = self.nodes[id];
            if node.left == usize::MAX {
                for p in node.start..node.end {
                    let dd = sq_dist(&self.points[p * d..(p + 1) * d], q);
                    let item = (dd, self.index[p]);
                    if best.len() < k || item < best[best.len() - 1] {
                        let at = best.partition_point(|b| {
                            b.0.total_cmp(&item.0).then(b.1.cmp(&item.1)).is_lt()
                        });
                        best.insert(at, item);
                        best.truncate(k);
                    }
                }
            } else {
                self.push_children(&node, q, &mut stack);
            }
        }
        best
    }
}

/// A search's stack of nodes, kept in the call's own frame: one heap allocation per query
/// made DBSCAN's 200,000 searches markedly slower in WebAssembly. The tree splits at
/// medians, so it is at most ⌈log₂ n⌉ + 1 levels deep and a search holds at most one entry
/// per level plus one — far below the inline room; beyond it a `Vec` takes over.
struct Stack<T: Copy> {
    inline: [T; 128],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy> Stack<T> {
    fn new(first: T) -> Self {
        Stack {
            inline: [first; 128],
            len: 1,
            spill: Vec::new(),
        }
    }

    fn push(&mut self, value: T) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = value;
                self.len += 1;
            }
            None => self.spill.push(value),
        }
    }

    fn pop(&mut self) -> Option<T> {
        if let Some(v) = self.spill.pop() {
            return Some(v);
        }
        self.len = self.len.checked_sub(1)?;
        Some(self.inline[self.len])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn random(n: usize, d: usize) -> Vec<f64> {
        let mut rng = Rng::new(1);
        (0..n * d).map(|_| rng.normal()).collect()
    }

    #[test]
    fn queries_equal_brute_force() {
        let (n, d) = (1_500, 3);
        let x = random(n, d);
        let tree = KdTree::new(&x, d);
        assert_eq!(tree.len(), n);
        for q in 0..40 {
            let query = &x[q * 37 * d..(q * 37 + 1) * d];
            let r2 = 0.3;
            let mut got = Vec::new();
            tree.within(query, r2, |i| got.push(i));
            got.sort_unstable();
            let want: Vec<usize> = (0..n)
                .filter(|&i| sq_dist(&x[i * d..(i + 1) * d], query) <= r2)
                .collect();
            assert_eq!(got, want);
            assert_eq!(tree.count_within(query, r2, usize::MAX), want.len());
            assert_eq!(tree.count_within(query, r2, 2), want.len().min(2));
            let mut all: Vec<(f64, usize)> = (0..n)
                .map(|i| (sq_dist(&x[i * d..(i + 1) * d], query), i))
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            assert_eq!(tree.nearest(query, 7), all[..7].to_vec());
        }
    }

    #[test]
    fn search_stack_is_last_in_first_out_past_its_inline_room() {
        let mut stack = Stack::new(0usize);
        for i in 1..300 {
            stack.push(i);
        }
        for i in (0..300).rev() {
            assert_eq!(stack.pop(), Some(i));
        }
        assert_eq!(stack.pop(), None);
    }

    #[test]
    fn duplicates_and_empty() {
        let x = vec![1.0; 100];
        let tree = KdTree::new(&x, 2);
        assert_eq!(tree.count_within(&[1.0, 1.0], 0.0, usize::MAX), 50);
        assert!(KdTree::new(&[], 2).is_empty());
        assert!(KdTree::new(&[], 2).nearest(&[0.0, 0.0], 3).is_empty());
    }
}
