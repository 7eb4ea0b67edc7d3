//! Layout of the migration flow chart: previous segments on the left, segments now on the
//! right, one band per from → to pair, as wide as the customers who made that move.

use segmenta_core::apply::{Move, NEW_CUSTOMER, NOT_SEGMENTED};

/// One column's box for a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Segment name (or "New customer" / "Not segmented").
    pub name: String,
    /// Customers in it.
    pub customers: usize,
    /// Top, in pixels.
    pub y: f64,
    /// Height, in pixels.
    pub height: f64,
}

/// The customers who moved from one left node to one right node.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Index of the left node.
    pub from: usize,
    /// Index of the right node.
    pub to: usize,
    /// How many customers.
    pub customers: usize,
    /// Top of the band at the left node.
    pub y_from: f64,
    /// Top of the band at the right node.
    pub y_to: f64,
    /// Thickness.
    pub height: f64,
}

/// The whole chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Previous segments, in `order` then by size, new customers last.
    pub left: Vec<Node>,
    /// Segments now, in `order`, "Not segmented" last.
    pub right: Vec<Node>,
    /// One band per move, drawn in order.
    pub bands: Vec<Band>,
}

/// Lays `moves` out in `height` pixels with `gap` pixels between boxes. `order` lists the
/// segments as the page shows them, so that both columns read in the same order.
pub fn layout(moves: &[Move], order: &[String], height: f64, gap: f64) -> Flow {
    let left = column(
        moves.iter().map(|m| (&m.from, m.customers)),
        order,
        NEW_CUSTOMER,
    );
    let right = column(
        moves.iter().map(|m| (&m.to, m.customers)),
        order,
        NOT_SEGMENTED,
    );
    let total: usize = moves.iter().map(|m| m.customers).sum();
    let boxes = left.len().max(right.len());
    let usable = (height - gap * boxes.saturating_sub(1) as f64).max(1.0);
    let scale = usable / total.max(1) as f64;
    let place = |column: Vec<(String, usize)>| -> Vec<Node> {
        let mut y = 0.0;
        column
            .into_iter()
            .map(|(name, customers)| {
                let node = Node {
                    name,
                    customers,
                    y,
                    height: customers as f64 * scale,
                };
                y += node.height + gap;
                node
            })
            .collect()
    };
    let (left, right) = (place(left), place(right));
    let index = |nodes: &[Node], name: &str| nodes.iter().position(|n| n.name == name);
    let mut pairs: Vec<(usize, usize, usize)> = moves
        .iter()
        .filter_map(|m| Some((index(&left, &m.from)?, index(&right, &m.to)?, m.customers)))
        .collect();
    // Within a left box, bands leave in the order of their right boxes, and arrive within
    // a right box in the order of their left boxes, so that they cross as little as can be.
    let mut left_top: Vec<f64> = left.iter().map(|n| n.y).collect();
    let mut right_top: Vec<f64> = right.iter().map(|n| n.y).collect();
    pairs.sort_by_key(|&(from, to, _)| (from, to));
    let mut y_from = Vec::with_capacity(pairs.len());
    for &(from, _, customers) in &pairs {
        y_from.push(left_top[from]);
        left_top[from] += customers as f64 * scale;
    }
    let mut arriving: Vec<usize> = (0..pairs.len()).collect();
    arriving.sort_by_key(|&i| (pairs[i].1, pairs[i].0));
    let mut y_to = vec![0.0; pairs.len()];
    for i in arriving {
        let (_, to, customers) = pairs[i];
        y_to[i] = right_top[to];
        right_top[to] += customers as f64 * scale;
    }
    let bands = pairs
        .iter()
        .enumerate()
        .map(|(i, &(from, to, customers))| Band {
            from,
            to,
            customers,
            y_from: y_from[i],
            y_to: y_to[i],
            height: customers as f64 * scale,
        })
        .collect();
    Flow { left, right, bands }
}

/// The names of one column with their totals: those in `order` first, in that order, then
/// the others by size, then `last`.
fn column<'a>(
    entries: impl Iterator<Item = (&'a String, usize)>,
    order: &[String],
    last: &str,
) -> Vec<(String, usize)> {
    let mut totals: Vec<(String, usize)> = Vec::new();
    for (name, customers) in entries {
        match totals.iter_mut().find(|(n, _)| n == name) {
            Some((_, total)) => *total += customers,
            None => totals.push((name.clone(), customers)),
        }
    }
    let rank = |name: &str| {
        if name == last {
            (2, 0)
        } else {
            order
                .iter()
                .position(|o| o == name)
                .map_or((1, 0), |i| (0, i))
        }
    };
    totals.sort_by(|a, b| {
        rank(&a.0)
            .cmp(&rank(&b.0))
            .then(b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(from: &str, to: &str, customers: usize) -> Move {
        Move {
            from: from.into(),
            to: to.into(),
            customers,
        }
    }

    #[test]
    fn columns_follow_the_page_order_and_bands_fill_their_boxes() {
        let moves = vec![
            moved("Loyal", "Loyal", 50),
            moved("Loyal", "At risk", 20),
            moved("At risk", "At risk", 10),
            moved(NEW_CUSTOMER, "Loyal", 10),
            moved("Gone quiet", "At risk", 10),
        ];
        let order = vec!["Loyal".to_owned(), "At risk".to_owned()];
        let flow = layout(&moves, &order, 110.0, 10.0);
        let names = |nodes: &[Node]| nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&flow.left),
            ["Loyal", "At risk", "Gone quiet", NEW_CUSTOMER]
        );
        assert_eq!(names(&flow.right), ["Loyal", "At risk"]);
        // 100 customers over 110 − 3 × 10 pixels: 0.8 pixels each.
        assert_eq!(flow.left[0].height, 56.0);
        assert_eq!(flow.left[1].y, 66.0);
        assert_eq!(flow.right[1].y, 58.0);
        // Loyal → At risk leaves below Loyal → Loyal and arrives on top of At risk.
        let band = flow
            .bands
            .iter()
            .find(|b| (b.from, b.to) == (0, 1))
            .unwrap();
        assert_eq!((band.y_from, band.y_to, band.height), (40.0, 58.0, 16.0));
        // New customers arrive last in Loyal.
        let band = flow.bands.iter().find(|b| b.from == 3).unwrap();
        assert_eq!(band.y_to, 40.0);
        // Every box is exactly filled by its bands.
        for (i, node) in flow.right.iter().enumerate() {
            let sum: f64 = flow
                .bands
                .iter()
                .filter(|b| b.to == i)
                .map(|b| b.height)
                .sum();
            assert!((sum - node.height).abs() < 1e-9);
        }
    }

    #[test]
    fn no_moves_draw_nothing() {
        let flow = layout(&[], &[], 100.0, 8.0);
        assert!(flow.left.is_empty() && flow.right.is_empty() && flow.bands.is_empty());
    }
}
