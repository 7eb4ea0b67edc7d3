//! The same seed gives the same data, labels and scores natively and in the browser.
#![allow(clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Recorded from a native run (`cargo test -p segmenta-web-tests`); the browser run must
/// reproduce them bit for bit.
const SAMPLE_FILE: u64 = 0xffad_fad4_9d70_d006;
const SAMPLE_SEGMENTATION: u64 = 0x9a3d_f8f3_e278_cc14;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn sample_data_and_segments_are_identical_on_every_platform() {
    let (file, segmentation) = segmenta_web_tests::sample_fingerprint().unwrap();
    assert_eq!(
        (file, segmentation),
        (SAMPLE_FILE, SAMPLE_SEGMENTATION),
        "fingerprints: {file:#x} {segmentation:#x}"
    );
}

/// Recorded natively like the constants above.
const ALGORITHMS: u64 = 0x774e_38a3_231c_9ae2;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_algorithm_gives_the_same_segments_on_every_platform() {
    let fingerprint = segmenta_web_tests::algorithms_fingerprint().unwrap();
    assert_eq!(fingerprint, ALGORITHMS, "fingerprint: {fingerprint:#x}");
}

/// In the browser `sq_dist` runs the SIMD128 kernels; they must give the scalar kernels'
/// bits for every length (full blocks and every remainder).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn simd_kernels_equal_the_scalar_ones_bit_for_bit() {
    use segmenta_core::cluster::kernels::{
        axpy, dot, nearest_f32, nearest_pair_f32, scalar, sq_dist, sq_dist_f32, sum_dist_columns,
        to_f32_finite,
    };
    use segmenta_core::rng::Rng;
    let mut rng = Rng::new(5);
    for len in 0..40 {
        for _ in 0..50 {
            let a: Vec<f64> = (0..len).map(|_| rng.normal() * 1e3).collect();
            let b: Vec<f64> = (0..len).map(|_| rng.normal()).collect();
            assert_eq!(
                sq_dist(&a, &b).to_bits(),
                scalar::sq_dist_f64(&a, &b).to_bits()
            );
            assert_eq!(dot(&a, &b).to_bits(), scalar::dot_f64(&a, &b).to_bits());
            let (mut y, mut y_ref) = (b.clone(), b.clone());
            axpy(0.3, &a, &mut y);
            scalar::axpy_f64(0.3, &a, &mut y_ref);
            assert_eq!(y, y_ref);
            let stride = 19;
            let xt: Vec<f64> = (0..len * stride).map(|_| rng.normal()).collect();
            for range in [0..19, 2..19, 3..12, 5..6, 0..0] {
                let (mut out, mut out_ref) = (vec![0.5; 19], vec![0.5; 19]);
                assert_eq!(
                    sum_dist_columns(&a, &xt, stride, range.clone(), &mut out).to_bits(),
                    scalar::sum_dist_columns(&a, &xt, stride, range, &mut out_ref).to_bits()
                );
                assert_eq!(out, out_ref);
            }
            let a32: Vec<f32> = a.iter().map(|v| *v as f32).collect();
            let b32: Vec<f32> = b.iter().map(|v| *v as f32).collect();
            assert_eq!(
                sq_dist_f32(&a32, &b32).to_bits(),
                scalar::sq_dist_f32(&a32, &b32).to_bits()
            );
            let mut odd = a.clone();
            if len > 2 {
                odd[len / 2] = [f64::NAN, f64::INFINITY, 1e300][len % 3];
            }
            let bits = |(v, finite): (Vec<f32>, bool)| {
                (v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), finite)
            };
            assert_eq!(bits(to_f32_finite(&odd)), bits(scalar::to_f32_finite(&odd)));
            for k in [1, 3, 4, 8, 9] {
                let centers: Vec<f32> = (0..k * len).map(|_| rng.normal() as f32).collect();
                let (c, dd) = nearest_f32(&a32, &centers, len);
                let (c_ref, dd_ref) = scalar::nearest_f32(&a32, &centers, len);
                assert_eq!((c, dd.to_bits()), (c_ref, dd_ref.to_bits()));
                let [first, second] = nearest_pair_f32(&a32, &b32, &centers, len);
                assert_eq!(first, (c, dd));
                let (c_b, dd_b) = scalar::nearest_f32(&b32, &centers, len);
                assert_eq!((second.0, second.1.to_bits()), (c_b, dd_b.to_bits()));
            }
        }
    }
}
