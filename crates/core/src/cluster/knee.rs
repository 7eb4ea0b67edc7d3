//! Finding the bend ("knee" or "elbow") of a curve, as the Kneedle method does
//! (Satopää et al., 2011; the `kneed` package's offline mode): scale both axes to `0..1`
//! and take the point farthest from the straight line joining the two ends.

/// Which way the curve bends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bend {
    /// The curve sags below its chord (inertia against k; sorted k-distances).
    Convex,
    /// The curve bulges above its chord.
    Concave,
}

/// Index of the knee of `(xs[i], ys[i])` (xs increasing), or `None` when the curve is a
/// straight line, too short, or bends the other way.
pub fn knee(xs: &[f64], ys: &[f64], bend: Bend) -> Option<usize> {
    let n = xs.len().min(ys.len());
    if n < 3 {
        return None;
    }
    let (x0, x1) = (xs[0], xs[n - 1]);
    let (ymin, ymax) = ys[..n]
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
            (a.min(y), b.max(y))
        });
    let spans = x1 - x0 > 0.0 && ymax - ymin > 0.0;
    if !spans || !ymin.is_finite() || !ymax.is_finite() {
        return None;
    }
    let norm = |i: usize| ((xs[i] - x0) / (x1 - x0), (ys[i] - ymin) / (ymax - ymin));
    let (_, first) = norm(0);
    let (_, last) = norm(n - 1);
    let mut best: Option<(usize, f64)> = None;
    for i in 1..n - 1 {
        let (x, y) = norm(i);
        let chord = first + (last - first) * x;
        let gap = match bend {
            Bend::Convex => chord - y,
            Bend::Concave => y - chord,
        };
        if gap > 1e-12 && best.is_none_or(|(_, g)| gap > g) {
            best = Some((i, gap));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elbow_of_an_inertia_curve() {
        // Inertia drops steeply until k = 4, then flattens.
        let ks = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let inertia = [1000.0, 600.0, 250.0, 220.0, 200.0, 185.0, 175.0];
        assert_eq!(knee(&ks, &inertia, Bend::Convex), Some(2));
    }

    #[test]
    fn knee_of_sorted_distances_and_straight_lines() {
        let xs: Vec<f64> = (0..10).map(f64::from).collect();
        let ys = [0.1, 0.11, 0.12, 0.12, 0.13, 0.14, 0.15, 0.2, 0.9, 2.0];
        assert_eq!(knee(&xs, &ys, Bend::Convex), Some(7));
        let line: Vec<f64> = xs.iter().map(|x| 2.0 * x).collect();
        assert_eq!(knee(&xs, &line, Bend::Convex), None);
        assert_eq!(knee(&xs[..2], &ys[..2], Bend::Convex), None);
        assert_eq!(knee(&xs, &[1.0; 10], Bend::Convex), None);
    }
}
