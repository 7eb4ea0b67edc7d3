//! Any bytes, read as a CSV file with the detected settings: a table or an error sentence,
//! never a panic or a hang; and every cell of the table can be shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segmenta_core::ingest::{ReadOptions, read_bytes};

fuzz_target!(|data: &[u8]| {
    match read_bytes(data, &ReadOptions::default()) {
        Ok(loaded) => {
            let table = &loaded.table;
            assert!(table.n_rows() <= data.len());
            for column in table.columns() {
                for row in 0..table.n_rows().min(64) {
                    let _ = column.display(row);
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
