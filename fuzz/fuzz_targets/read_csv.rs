//! Any bytes, read as a CSV file with the detected settings: a table or an error sentence,
//! never a panic or a hang; and every cell of the table can be shown. A file that reads is
//! read again with every column chosen as one kind (which one depends on the file's
//! length): the same rows, and every cell can still be shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segmenta_core::ingest::{ReadOptions, read_bytes};
use segmenta_core::table::{ColumnChoice, Table};

fn show(table: &Table) {
    for column in table.columns() {
        for row in 0..table.n_rows().min(64) {
            let _ = column.display(row);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match read_bytes(data, &ReadOptions::default()) {
        Ok(loaded) => {
            let table = &loaded.table;
            assert!(table.n_rows() <= data.len());
            show(table);
            let choice = ColumnChoice::ALL[data.len() % ColumnChoice::ALL.len()];
            let options = ReadOptions {
                columns: table
                    .columns()
                    .iter()
                    .map(|c| (c.name.clone(), choice))
                    .collect(),
                ..ReadOptions::default()
            };
            let again = read_bytes(data, &options).expect("a file that reads reads again");
            assert_eq!(again.table.n_rows(), table.n_rows());
            show(&again.table);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
