//! The same seed gives the same data, labels and scores natively and in the browser.
#![allow(clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Recorded from a native run (`cargo test -p segmenta-web-tests`); the browser run must
/// reproduce them bit for bit.
const SAMPLE_FILE: u64 = 0xffad_fad4_9d70_d006;
const SAMPLE_SEGMENTATION: u64 = 0x4540_627b_59fc_1a7b;

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
