//! Any small file through the whole engine as the page runs it: read, default features,
//! three segments. Segments for every customer or an error sentence, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segmenta_core::ingest::{ReadOptions, read_bytes};
use segmenta_core::pipeline::segment;
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::Recipe;

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = read_bytes(data, &ReadOptions::default()) else {
        return;
    };
    let table = &loaded.table;
    let recipe = Recipe::for_table(table).with_k(3);
    match segment(table, &recipe, &mut NoProgress) {
        Ok(s) => assert_eq!(s.labels.len(), table.n_rows()),
        Err(e) => assert!(e.to_string().ends_with('.'), "not a sentence: {e}"),
    }
});
