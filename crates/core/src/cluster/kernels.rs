//! Distance kernels shared by clustering and metrics.
//!
//! Sums are accumulated in four interleaved lanes and combined as `(l0 + l1) + (l2 + l3)`.
//! The fixed order is what lets a vectorized kernel (two `f64x2` accumulators in wasm
//! SIMD128) and the scalar fallback produce identical bits, so a seed gives the same labels
//! natively and in the browser.

/// Squared Euclidean distance between two equally long slices.
#[inline]
pub fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let mut ca = a.chunks_exact(4);
    let mut cb = b.chunks_exact(4);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for l in 0..4 {
            let d = x[l] - y[l];
            acc[l] += d * d;
        }
    }
    for (l, (x, y)) in ca.remainder().iter().zip(cb.remainder()).enumerate() {
        let d = x - y;
        acc[l] += d * d;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// Euclidean distance.
#[inline]
pub fn dist(a: &[f64], b: &[f64]) -> f64 {
    sq_dist(a, b).sqrt()
}

/// Index and squared distance of the nearest of `centers` (row-major, `d` wide) to `x`.
/// Ties go to the lower index.
#[inline]
pub fn nearest(x: &[f64], centers: &[f64], d: usize) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, center) in centers.chunks_exact(d.max(1)).enumerate() {
        let dd = sq_dist(x, center);
        if dd < best.1 {
            best = (c, dd);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(sq_dist(&[0.0, 0.0], &[3.0, 4.0]), 25.0);
        assert_eq!(
            dist(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 2.0, 3.0, 4.0, 5.0]),
            0.0
        );
        assert_eq!(sq_dist(&[1.0; 7], &[0.0; 7]), 7.0);
        assert_eq!(
            nearest(&[1.0, 1.0], &[0.0, 0.0, 1.0, 1.1, 5.0, 5.0], 2),
            (1, 0.010000000000000018)
        );
    }
}
