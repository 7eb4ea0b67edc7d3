//! The top of a merge tree, laid out for drawing: scipy's `truncate_mode="lastp"`. The
//! last `groups − 1` merges are drawn; every subtree below them is one leaf, labelled with
//! its size and coloured by the segment its customers fall in.

use segmenta_core::cluster::Merge;
use serde::{Deserialize, Serialize};

/// A dendrogram ready to scale: leaves at x = 0, 1, 2, … and heights in linkage units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dendrogram {
    /// Leaf groups left to right: customers in the group and their segment.
    pub leaves: Vec<(usize, usize)>,
    /// One ⊓ per drawn merge: `[x_left, h_left, x_right, h_right, h]`.
    pub links: Vec<[f64; 5]>,
    /// Where the tree is cut into the segments.
    pub cut: f64,
}

/// Lays out the last merges of `merges` (scipy's format: ids below `n = merges.len() + 1`
/// are customers, `n + i` is merge `i`) so that at most `groups` leaves show. `labels`
/// gives each customer's segment; `cut` is the cut height.
pub fn layout(merges: &[Merge], labels: &[usize], groups: usize, cut: f64) -> Dendrogram {
    let n = merges.len() + 1;
    let mut out = Dendrogram {
        leaves: Vec::new(),
        links: Vec::new(),
        cut,
    };
    if merges.is_empty() {
        return out;
    }
    let shown = groups.max(2).min(n) - 1;
    let first_shown = merges.len() - shown;
    let size = |id: usize| merges.get(id.wrapping_sub(n)).map_or(1, |m| m.size);
    // A customer in the subtree of `id`, for its segment (children have lower ids).
    let member = |mut id: usize| {
        while let Some(m) = merges.get(id.wrapping_sub(n)).filter(|m| m.a < id) {
            id = m.a;
        }
        id
    };
    // Post-order walk from the root without recursion: (id, children done?).
    let mut stack = vec![(n + merges.len() - 1, false)];
    let mut placed: Vec<(f64, f64)> = Vec::new();
    while let Some((id, done)) = stack.pop() {
        let drawn = (id >= n && id - n >= first_shown)
            .then(|| merges.get(id - n))
            .flatten();
        let Some(m) = drawn else {
            let x = out.leaves.len() as f64;
            out.leaves
                .push((size(id), labels.get(member(id)).copied().unwrap_or(0)));
            placed.push((x, 0.0));
            continue;
        };
        if !done {
            stack.push((id, true));
            stack.push((m.b, false));
            stack.push((m.a, false));
            continue;
        }
        // Both children are the last two placed (a, then b).
        let (Some((xb, hb)), Some((xa, ha))) = (placed.pop(), placed.pop()) else {
            break;
        };
        out.links.push([xa, ha, xb, hb, m.height]);
        placed.push(((xa + xb) / 2.0, m.height));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge(a: usize, b: usize, height: f64, size: usize) -> Merge {
        Merge { a, b, height, size }
    }

    /// Customers 0, 1 | 2, 3 merge at 1 and 2; the pairs join at 10.
    fn four() -> Vec<Merge> {
        vec![
            merge(0, 1, 1.0, 2),
            merge(2, 3, 2.0, 2),
            merge(4, 5, 10.0, 4),
        ]
    }

    #[test]
    fn whole_tree_left_to_right() {
        let d = layout(&four(), &[0, 0, 1, 1], 10, 5.0);
        assert_eq!(d.leaves, vec![(1, 0), (1, 0), (1, 1), (1, 1)]);
        assert_eq!(
            d.links,
            vec![
                [0.0, 0.0, 1.0, 0.0, 1.0],
                [2.0, 0.0, 3.0, 0.0, 2.0],
                [0.5, 1.0, 2.5, 2.0, 10.0]
            ]
        );
    }

    #[test]
    fn truncated_to_groups_with_their_sizes() {
        let d = layout(&four(), &[0, 0, 1, 1], 2, 5.0);
        assert_eq!(d.leaves, vec![(2, 0), (2, 1)]);
        assert_eq!(d.links, vec![[0.0, 0.0, 1.0, 0.0, 10.0]]);
        assert_eq!(layout(&[], &[0], 5, 0.0).leaves, vec![]);
    }
}
