//! Native timings of the shared workloads (Criterion), plus the peak heap of Ward.
//! `SEGMENTA_BENCH_QUICK=1` uses the quick sizes. `cargo xtask bench` reads the results
//! from `target/criterion`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::run_all();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use criterion::Criterion;
    use segmenta_bench::{Data, Sizes, WORKLOADS, blobs, run};
    use segmenta_core::cluster::{HierarchicalParams, Linkage};

    /// Counts live and peak heap bytes.
    struct Counting;

    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: forwards to the system allocator with the caller's layout.
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` came from `alloc` with this layout.
            unsafe { System.dealloc(ptr, layout) };
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    pub fn run_all() {
        let sizes = if std::env::var_os("SEGMENTA_BENCH_QUICK").is_some() {
            Sizes::QUICK
        } else {
            Sizes::FULL
        };

        // Ward's memory first, on its own data: peak heap above what was live before.
        let x = blobs(sizes.ward, 16, 8, 0);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let _tree = HierarchicalParams::new(8)
            .linkage(Linkage::Ward)
            .fit(x.view())
            .unwrap();
        let peak = PEAK.load(Ordering::Relaxed) - before;
        println!(
            "{}",
            serde_json::json!({"workload": "ward_peak_heap_native", "bytes": peak, "rows": sizes.ward})
        );
        drop(x);

        let data = Data::new(sizes);
        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        for w in &WORKLOADS {
            c.bench_function(w.name, |b| b.iter(|| run(w.name, &data, sizes)));
        }
        c.final_summary();
    }
}
