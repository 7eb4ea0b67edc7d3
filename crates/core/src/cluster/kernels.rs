//! Distance kernels shared by clustering and metrics.
//!
//! Sums are accumulated in four interleaved lanes and combined as `(l0 + l1) + (l2 + l3)`,
//! each lane doing a multiply then an add (never a fused multiply-add). The fixed order is
//! what lets the WebAssembly SIMD128 kernels (two `f64x2` or one `f32x4` accumulator) and
//! the scalar fallback produce identical bits, so a seed gives the same labels natively and
//! in the browser.
//!
//! The SIMD128 kernels are hand-written because, measured on this project's hardware, they
//! beat the compiler's own vectorization of the scalar loop by about 2.7× in the browser
//! (the brief's figure; `cargo xtask bench` times the kernels end to end).

/// Squared Euclidean distance between two equally long slices.
#[inline]
pub fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::sq_dist_f64(a, b)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::sq_dist_f64(a, b)
    }
}

/// Squared Euclidean distance in single precision (the fast path for large data).
#[inline]
pub fn sq_dist_f32(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::sq_dist_f32(a, b)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::sq_dist_f32(a, b)
    }
}

/// Dot product, with the same fixed four-lane order as [`sq_dist`].
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::dot_f64(a, b)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::dot_f64(a, b)
    }
}

/// `y += a * x`, element by element (a multiply then an add: identical bits with or
/// without SIMD).
#[inline]
pub fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::axpy_f64(a, x, y)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::axpy_f64(a, x, y)
    }
}

/// Euclidean distances from `x` (`d` values) to the rows `range` of `xt`, a matrix stored
/// feature-major (`xt[f * stride + j]` is feature `f` of row `j`): each distance is added to
/// `out[j - range.start]`, and their sum is returned. Eight rows are handled at a time,
/// each in its own lane, and the lanes are combined pairwise (`((l0 + l1) + (l2 + l3)) +
/// ((l4 + l5) + (l6 + l7))`) — the same order in the SIMD and scalar kernels. Out-of-range
/// requests are clamped, never a panic.
#[inline]
pub fn sum_dist_columns(
    x: &[f64],
    xt: &[f64],
    stride: usize,
    range: std::ops::Range<usize>,
    out: &mut [f64],
) -> f64 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::sum_dist_columns(x, xt, stride, range, out)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::sum_dist_columns(x, xt, stride, range, out)
    }
}

/// `x` rounded to single precision, and whether every rounded value is finite (false
/// when `x` holds NaN or infinity, or a value beyond `f32`'s range). One pass instead of a
/// finiteness check and a conversion: 60 ms of a 160 ms k-means iteration on
/// 1,000,000 × 16 in the browser went to those two passes.
pub fn to_f32_finite(x: &[f64]) -> (Vec<f32>, bool) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::to_f32_finite(x)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::to_f32_finite(x)
    }
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

/// [`nearest`] in single precision.
#[inline]
pub fn nearest_f32(x: &[f32], centers: &[f32], d: usize) -> (usize, f32) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::nearest_f32(x, centers, d)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        scalar::nearest_f32(x, centers, d)
    }
}

/// [`nearest_f32`] for two rows at once: the same results, with each centre loaded once
/// for both rows (in wasm, a fifth fewer instructions per row; k-means assignment is
/// bound by them).
#[inline]
pub fn nearest_pair_f32(x0: &[f32], x1: &[f32], centers: &[f32], d: usize) -> [(usize, f32); 2] {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::nearest_rows_f32([x0, x1], centers, d)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        [
            scalar::nearest_f32(x0, centers, d),
            scalar::nearest_f32(x1, centers, d),
        ]
    }
}

/// The portable kernels; also the reference the SIMD ones must match bit for bit.
pub mod scalar {
    /// Squared distance, four lanes.
    #[inline]
    pub fn sq_dist_f64(a: &[f64], b: &[f64]) -> f64 {
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

    /// Dot product, four lanes.
    #[inline]
    pub fn dot_f64(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let mut acc = [0.0f64; 4];
        let mut ca = a.chunks_exact(4);
        let mut cb = b.chunks_exact(4);
        for (x, y) in (&mut ca).zip(&mut cb) {
            for l in 0..4 {
                acc[l] += x[l] * y[l];
            }
        }
        for (l, (x, y)) in ca.remainder().iter().zip(cb.remainder()).enumerate() {
            acc[l] += x * y;
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3])
    }

    /// `y += a * x`.
    #[inline]
    pub fn axpy_f64(a: f64, x: &[f64], y: &mut [f64]) {
        for (y, x) in y.iter_mut().zip(x) {
            *y += a * x;
        }
    }

    /// [`super::sum_dist_columns`], eight rows at a time.
    #[inline]
    pub fn sum_dist_columns(
        x: &[f64],
        xt: &[f64],
        stride: usize,
        range: std::ops::Range<usize>,
        out: &mut [f64],
    ) -> f64 {
        let x = &x[..x.len().min(xt.len() / stride.max(1))];
        let end = range.end.min(stride).min(range.start + out.len());
        let start = range.start.min(end);
        let mut lanes = [0.0f64; 8];
        let mut j = start;
        while j + 8 <= end {
            let mut acc = [0.0f64; 8];
            for (f, xf) in x.iter().enumerate() {
                let col = &xt[f * stride + j..f * stride + j + 8];
                for l in 0..8 {
                    let d = xf - col[l];
                    acc[l] += d * d;
                }
            }
            for l in 0..8 {
                let d = acc[l].sqrt();
                lanes[l] += d;
                out[j - start + l] += d;
            }
            j += 8;
        }
        for (l, jj) in (j..end).enumerate() {
            let mut acc = 0.0;
            for (f, xf) in x.iter().enumerate() {
                let d = xf - xt[f * stride + jj];
                acc += d * d;
            }
            let d = acc.sqrt();
            lanes[l] += d;
            out[jj - start] += d;
        }
        ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
            + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
    }

    /// [`super::nearest_f32`]: each distance as [`sq_dist_f32`], ties to the lower index.
    #[inline]
    pub fn nearest_f32(x: &[f32], centers: &[f32], d: usize) -> (usize, f32) {
        let mut best = (0, f32::INFINITY);
        for (c, center) in centers.chunks_exact(d.max(1)).enumerate() {
            let dd = sq_dist_f32(x, center);
            if dd < best.1 {
                best = (c, dd);
            }
        }
        best
    }

    /// [`super::to_f32_finite`].
    pub fn to_f32_finite(x: &[f64]) -> (Vec<f32>, bool) {
        let out: Vec<f32> = x.iter().map(|v| *v as f32).collect();
        let finite = out.iter().all(|v| v.is_finite());
        (out, finite)
    }

    /// Squared distance in single precision, four lanes.
    #[inline]
    pub fn sq_dist_f32(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let mut acc = [0.0f32; 4];
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
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    #[inline]
    pub fn sq_dist_f64(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len().min(b.len());
        let blocks = n / 4;
        let mut acc01 = f64x2_splat(0.0);
        let mut acc23 = f64x2_splat(0.0);
        for i in 0..blocks {
            // SAFETY: 4 * i + 3 < n ≤ a.len(), b.len(); v128.load has no alignment requirement.
            let (x01, x23, y01, y23) = unsafe {
                let pa = a.as_ptr().add(4 * i);
                let pb = b.as_ptr().add(4 * i);
                (
                    v128_load(pa.cast()),
                    v128_load(pa.add(2).cast()),
                    v128_load(pb.cast()),
                    v128_load(pb.add(2).cast()),
                )
            };
            let d01 = f64x2_sub(x01, y01);
            let d23 = f64x2_sub(x23, y23);
            acc01 = f64x2_add(acc01, f64x2_mul(d01, d01));
            acc23 = f64x2_add(acc23, f64x2_mul(d23, d23));
        }
        let mut acc = [
            f64x2_extract_lane::<0>(acc01),
            f64x2_extract_lane::<1>(acc01),
            f64x2_extract_lane::<0>(acc23),
            f64x2_extract_lane::<1>(acc23),
        ];
        for j in blocks * 4..n {
            let d = a[j] - b[j];
            acc[j - blocks * 4] += d * d;
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3])
    }

    #[inline]
    pub fn dot_f64(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len().min(b.len());
        let blocks = n / 4;
        let mut acc01 = f64x2_splat(0.0);
        let mut acc23 = f64x2_splat(0.0);
        for i in 0..blocks {
            // SAFETY: 4 * i + 3 < n ≤ a.len(), b.len(); v128.load has no alignment requirement.
            let (x01, x23, y01, y23) = unsafe {
                let pa = a.as_ptr().add(4 * i);
                let pb = b.as_ptr().add(4 * i);
                (
                    v128_load(pa.cast()),
                    v128_load(pa.add(2).cast()),
                    v128_load(pb.cast()),
                    v128_load(pb.add(2).cast()),
                )
            };
            acc01 = f64x2_add(acc01, f64x2_mul(x01, y01));
            acc23 = f64x2_add(acc23, f64x2_mul(x23, y23));
        }
        let mut acc = [
            f64x2_extract_lane::<0>(acc01),
            f64x2_extract_lane::<1>(acc01),
            f64x2_extract_lane::<0>(acc23),
            f64x2_extract_lane::<1>(acc23),
        ];
        for j in blocks * 4..n {
            acc[j - blocks * 4] += a[j] * b[j];
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3])
    }

    #[inline]
    pub fn axpy_f64(a: f64, x: &[f64], y: &mut [f64]) {
        let n = x.len().min(y.len());
        let pairs = n / 2;
        let va = f64x2_splat(a);
        for i in 0..pairs {
            // SAFETY: 2 * i + 1 < n ≤ x.len(), y.len(); loads and stores are unaligned-safe.
            unsafe {
                let px = x.as_ptr().add(2 * i);
                let py = y.as_mut_ptr().add(2 * i);
                let v = f64x2_add(v128_load(py.cast()), f64x2_mul(va, v128_load(px.cast())));
                v128_store(py.cast(), v);
            }
        }
        if n % 2 == 1 {
            y[n - 1] += a * x[n - 1];
        }
    }

    #[inline]
    pub fn sum_dist_columns(
        x: &[f64],
        xt: &[f64],
        stride: usize,
        range: std::ops::Range<usize>,
        out: &mut [f64],
    ) -> f64 {
        // Clamp so every index below is in bounds: rows < stride and < start + out.len(),
        // features ≤ xt.len() / stride.
        let x = &x[..x.len().min(xt.len() / stride.max(1))];
        let end = range.end.min(stride).min(range.start + out.len());
        let start = range.start.min(end);
        let zero = f64x2_splat(0.0);
        let mut sums = [zero; 4];
        let mut j = start;
        // Eight rows at a time: four independent accumulation chains keep the SIMD units
        // busy (one chain of dependent adds would wait on each add's latency).
        while j + 8 <= end {
            let mut acc = [zero; 4];
            for (f, xf) in x.iter().enumerate() {
                let v = f64x2_splat(*xf);
                // SAFETY: f < xt.len() / stride and j + 8 ≤ stride, so the eight values
                // at f * stride + j are in bounds; loads are unaligned-safe.
                let p = unsafe { xt.as_ptr().add(f * stride + j) };
                for (q, a) in acc.iter_mut().enumerate() {
                    // SAFETY: as above, 2q + 1 < 8.
                    let c = unsafe { v128_load(p.add(2 * q).cast()) };
                    let d = f64x2_sub(v, c);
                    *a = f64x2_add(*a, f64x2_mul(d, d));
                }
            }
            for (q, a) in acc.iter().enumerate() {
                let r = f64x2_sqrt(*a);
                sums[q] = f64x2_add(sums[q], r);
                // Scalar stores: 128-bit read-modify-writes here ran five times slower in
                // V8 (measured with `cargo xtask bench`).
                let o = j - start + 2 * q;
                out[o] += f64x2_extract_lane::<0>(r);
                out[o + 1] += f64x2_extract_lane::<1>(r);
            }
            j += 8;
        }
        let mut lanes = [0.0f64; 8];
        for (q, s) in sums.iter().enumerate() {
            lanes[2 * q] = f64x2_extract_lane::<0>(*s);
            lanes[2 * q + 1] = f64x2_extract_lane::<1>(*s);
        }
        for (l, jj) in (j..end).enumerate() {
            let mut acc = 0.0;
            for (f, xf) in x.iter().enumerate() {
                let d = xf - xt[f * stride + jj];
                acc += d * d;
            }
            let d = acc.sqrt();
            lanes[l] += d;
            out[jj - start] += d;
        }
        ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
            + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
    }

    #[inline]
    pub fn sq_dist_f32(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let blocks = n / 4;
        let mut acc = f32x4_splat(0.0);
        for i in 0..blocks {
            // SAFETY: 4 * i + 3 < n ≤ a.len(), b.len(); v128.load has no alignment requirement.
            let (x, y) = unsafe {
                (
                    v128_load(a.as_ptr().add(4 * i).cast()),
                    v128_load(b.as_ptr().add(4 * i).cast()),
                )
            };
            let d = f32x4_sub(x, y);
            acc = f32x4_add(acc, f32x4_mul(d, d));
        }
        let mut lanes = [
            f32x4_extract_lane::<0>(acc),
            f32x4_extract_lane::<1>(acc),
            f32x4_extract_lane::<2>(acc),
            f32x4_extract_lane::<3>(acc),
        ];
        for j in blocks * 4..n {
            let d = a[j] - b[j];
            lanes[j - blocks * 4] += d * d;
        }
        (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
    }

    /// [`super::to_f32_finite`], four values at a time. `v × 0` is 0 for a finite `v` and
    /// NaN otherwise, and a NaN in the running sum stays there.
    pub fn to_f32_finite(x: &[f64]) -> (Vec<f32>, bool) {
        let mut out: Vec<f32> = Vec::with_capacity(x.len());
        let zero = f32x4_splat(0.0);
        let mut acc = zero;
        let blocks = x.len() / 4;
        let spare = out.spare_capacity_mut();
        for i in 0..blocks {
            // SAFETY: 4i + 3 < x.len() = spare.len(); unaligned loads and stores are allowed.
            unsafe {
                let a = f32x4_demote_f64x2_zero(v128_load(x.as_ptr().add(4 * i).cast()));
                let b = f32x4_demote_f64x2_zero(v128_load(x.as_ptr().add(4 * i + 2).cast()));
                let v = i32x4_shuffle::<0, 1, 4, 5>(a, b);
                acc = f32x4_add(acc, f32x4_mul(v, zero));
                v128_store(spare.as_mut_ptr().add(4 * i).cast(), v);
            }
        }
        let mut finite = f32x4_extract_lane::<0>(acc) == 0.0
            && f32x4_extract_lane::<1>(acc) == 0.0
            && f32x4_extract_lane::<2>(acc) == 0.0
            && f32x4_extract_lane::<3>(acc) == 0.0;
        for (slot, v) in spare[blocks * 4..].iter_mut().zip(&x[blocks * 4..]) {
            let v = *v as f32;
            finite &= v.is_finite();
            slot.write(v);
        }
        // SAFETY: every one of the x.len() slots was written above.
        unsafe { out.set_len(x.len()) };
        (out, finite)
    }

    /// [`super::nearest_f32`], four centres at a time: four independent accumulation
    /// chains (one chain waits on every add's latency), and the four lane sums reduced
    /// together by two shuffles, in the same `(l0 + l1) + (l2 + l3)` order as
    /// [`sq_dist_f32`] (the tail of a row is zero-padded: adding `0 × 0` changes no bits).
    #[inline]
    pub fn nearest_f32(x: &[f32], centers: &[f32], d: usize) -> (usize, f32) {
        nearest_rows_f32([x], centers, d)[0]
    }

    /// [`nearest_f32`] for `R` rows at once: each load of a centre serves every row.
    pub fn nearest_rows_f32<const R: usize>(
        xs: [&[f32]; R],
        centers: &[f32],
        d: usize,
    ) -> [(usize, f32); R] {
        let d = d.max(1);
        let n = xs.iter().map(|x| x.len()).fold(d, usize::min);
        let blocks = n / 4;
        let tails = xs.map(|x| {
            let mut tail = [0.0f32; 4];
            tail[..n - blocks * 4].copy_from_slice(&x[blocks * 4..n]);
            f32x4(tail[0], tail[1], tail[2], tail[3])
        });
        let k = centers.len() / d;
        let mut best = [(0, f32::INFINITY); R];
        let mut c = 0;
        while c + 4 <= k {
            let mut acc = [[f32x4_splat(0.0); 4]; R];
            let base = centers[c * d..(c + 4) * d].as_ptr();
            for i in 0..blocks {
                // SAFETY: 4i + 3 < n ≤ every x.len(); unaligned loads are allowed.
                let us = xs.map(|x| unsafe { v128_load(x.as_ptr().add(4 * i).cast()) });
                for q in 0..4 {
                    // SAFETY: centre q's values are base[q·d .. q·d + d] and 4i + 3 < d.
                    let v = unsafe { v128_load(base.add(q * d + 4 * i).cast()) };
                    for (acc, u) in acc.iter_mut().zip(&us) {
                        let diff = f32x4_sub(*u, v);
                        acc[q] = f32x4_add(acc[q], f32x4_mul(diff, diff));
                    }
                }
            }
            if n > blocks * 4 {
                for q in 0..4 {
                    let center = &centers[(c + q) * d..(c + q + 1) * d];
                    let mut rest = [0.0f32; 4];
                    rest[..n - blocks * 4].copy_from_slice(&center[blocks * 4..n]);
                    let v = f32x4(rest[0], rest[1], rest[2], rest[3]);
                    for (acc, tail) in acc.iter_mut().zip(&tails) {
                        let diff = f32x4_sub(*tail, v);
                        acc[q] = f32x4_add(acc[q], f32x4_mul(diff, diff));
                    }
                }
            }
            for (acc, best) in acc.iter().zip(best.iter_mut()) {
                // [a0+a1, a2+a3, b0+b1, b2+b3] and the same for c, d; then pair them up.
                let ab = f32x4_add(
                    i32x4_shuffle::<0, 2, 4, 6>(acc[0], acc[1]),
                    i32x4_shuffle::<1, 3, 5, 7>(acc[0], acc[1]),
                );
                let cd = f32x4_add(
                    i32x4_shuffle::<0, 2, 4, 6>(acc[2], acc[3]),
                    i32x4_shuffle::<1, 3, 5, 7>(acc[2], acc[3]),
                );
                let sums = f32x4_add(
                    i32x4_shuffle::<0, 2, 4, 6>(ab, cd),
                    i32x4_shuffle::<1, 3, 5, 7>(ab, cd),
                );
                for (q, dd) in [
                    f32x4_extract_lane::<0>(sums),
                    f32x4_extract_lane::<1>(sums),
                    f32x4_extract_lane::<2>(sums),
                    f32x4_extract_lane::<3>(sums),
                ]
                .into_iter()
                .enumerate()
                {
                    if dd < best.1 {
                        *best = (c + q, dd);
                    }
                }
            }
            c += 4;
        }
        for (x, best) in xs.iter().zip(best.iter_mut()) {
            for (q, center) in centers[c * d..k * d].chunks_exact(d).enumerate() {
                let dd = sq_dist_f32(x, center);
                if dd < best.1 {
                    *best = (c + q, dd);
                }
            }
        }
        best
    }
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
        assert_eq!(
            sq_dist_f32(&[0.0, 0.0, 0.0, 0.0, 1.0], &[1.0, 1.0, 1.0, 1.0, 3.0]),
            8.0
        );
        assert_eq!(nearest_f32(&[1.0], &[5.0, 0.0, 2.0], 1), (1, 1.0));
    }

    #[test]
    fn single_precision_copies_say_whether_they_are_finite() {
        assert_eq!(
            to_f32_finite(&[1.0, -2.5, 3.0, 0.0, 1e-3]),
            (vec![1.0, -2.5, 3.0, 0.0, 1e-3], true)
        );
        for bad in [f64::NAN, f64::INFINITY, 1e300] {
            for at in 0..6 {
                let mut x = vec![1.0; 6];
                x[at] = bad;
                assert!(!to_f32_finite(&x).1, "{bad} at {at}");
            }
        }
    }

    #[test]
    fn distance_sums_over_feature_major_rows() {
        // Rows (0,0), (3,4), (6,8), (1,0), (0,2) stored feature-major.
        let xt = [0.0, 3.0, 6.0, 1.0, 0.0, 0.0, 4.0, 8.0, 0.0, 2.0];
        let mut out = [1.0; 5];
        let total = sum_dist_columns(&[0.0, 0.0], &xt, 5, 0..5, &mut out);
        assert_eq!(total, 0.0 + 5.0 + 10.0 + 1.0 + 2.0);
        assert_eq!(out, [1.0, 6.0, 11.0, 2.0, 3.0]);
        let mut out = [0.0; 2];
        assert_eq!(sum_dist_columns(&[0.0, 0.0], &xt, 5, 1..3, &mut out), 15.0);
        // Out-of-range requests are clamped, never a panic.
        let mut out = [0.0; 9];
        assert_eq!(
            sum_dist_columns(&[0.0, 0.0, 9.0], &xt, 5, 3..99, &mut out),
            3.0
        );
        assert_eq!(sum_dist_columns(&[0.0, 0.0], &xt, 5, 0..5, &mut []), 0.0);
    }
}
