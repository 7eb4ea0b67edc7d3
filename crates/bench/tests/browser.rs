//! The shared workloads in WebAssembly in headless Chromium, single-threaded, with the
//! same SIMD128 build as the app. Run by `cargo xtask bench` (ignored otherwise):
//! `cargo test -p segmenta-bench --release --target wasm32-unknown-unknown --test browser -- --include-ignored --nocapture`.
//! Prints one JSON object per workload: best of 3 runs (1 with `SEGMENTA_BENCH_QUICK` set
//! at build time).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use segmenta_bench::{Data, Sizes, WORKLOADS, blobs, run};
use segmenta_core::cluster::{HierarchicalParams, Linkage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run by cargo xtask bench"]
fn workloads_in_the_browser() {
    let quick = option_env!("SEGMENTA_BENCH_QUICK").is_some();
    let sizes = if quick { Sizes::QUICK } else { Sizes::FULL };
    let runs = if quick { 1 } else { 3 };

    // Ward first, while the heap is small: how much the wasm memory grows while it runs.
    let x = blobs(sizes.ward, 16, 8, 0);
    let before = memory_bytes();
    let _tree = HierarchicalParams::new(8)
        .linkage(Linkage::Ward)
        .fit(x.view())
        .unwrap();
    let growth = memory_bytes() - before;
    console_log!(
        "{}",
        serde_json::json!({"workload": "ward_memory_growth_browser", "bytes": growth, "rows": sizes.ward})
    );
    drop(x);

    let data = Data::new(sizes);
    // SEGMENTA_BENCH_ONLY (at build time) picks workloads by name, for profiling one.
    let only = option_env!("SEGMENTA_BENCH_ONLY");
    for (index, w) in WORKLOADS
        .iter()
        .enumerate()
        .filter(|(_, w)| only.is_none_or(|o| w.name.contains(o)))
    {
        let mut best = f64::INFINITY;
        let mut facts = serde_json::Value::Null;
        for _ in 0..runs {
            let start = js_sys::Date::now();
            facts = run(w.name, &data, sizes);
            best = best.min((js_sys::Date::now() - start) / 1000.0);
        }
        console_log!(
            "{}",
            serde_json::json!({
                "workload": format!("{}_browser", w.name),
                "seconds": best,
                "runs": runs,
                "facts": facts,
                "label": w.label,
                "reference": w.reference,
                "goal": w.goal,
                "index": index,
            })
        );
    }
}
