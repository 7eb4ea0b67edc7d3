//! Properties that must hold for any input: the parser and the pipeline never panic (in the
//! browser a panic kills the worker), and what the csv crate writes reads back the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use segmenta_core::ingest::{ReadOptions, read_bytes};
use segmenta_core::pipeline::segment;
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::Recipe;
use segmenta_core::table::ColumnKind;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any bytes at all: a table or an error sentence, never a panic.
    #[test]
    fn any_bytes_read_or_refuse(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        match read_bytes(&bytes, &ReadOptions::default()) {
            Ok(loaded) => prop_assert!(loaded.table.n_rows() <= bytes.len()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// CSV-looking text built from delimiters, quotes, line breaks and words.
    #[test]
    fn csv_like_text_reads_or_refuses(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just(",".to_owned()), Just(";".to_owned()), Just("\t".to_owned()),
                Just("\"".to_owned()), Just("\n".to_owned()), Just("\r\n".to_owned()),
                Just("1,5".to_owned()), Just("-3.2e4".to_owned()), Just("NA".to_owned()),
                Just("2024-02-30".to_owned()), Just("01/12/2010 08:26".to_owned()),
                "[a-zA-Zé£€ ]{0,8}", "[0-9]{1,6}",
            ],
            0..200,
        )
    ) {
        let text = pieces.concat();
        let _ = read_bytes(text.as_bytes(), &ReadOptions::default());
    }

    /// A table of words written by the csv crate (quoting as needed) reads back as the
    /// same cells.
    #[test]
    fn written_csv_reads_back(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-z][a-z ,\"\n]{0,10}", 3),
            1..30,
        )
    ) {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(["first", "second", "third"]).unwrap();
        for r in &rows {
            w.write_record(r).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let loaded = read_bytes(&bytes, &ReadOptions::default()).unwrap();
        let t = &loaded.table;
        prop_assert_eq!(t.n_rows(), rows.len());
        for (j, name) in ["first", "second", "third"].iter().enumerate() {
            let column = t.column(name).unwrap();
            for (i, r) in rows.iter().enumerate() {
                let want = r[j].trim();
                let got = column.display(i);
                // Words that mean "missing" ("na") are read as missing, and yes/no columns
                // as booleans; every other cell comes back as written.
                if !segmenta_core::table::values::is_missing(want, None)
                    && matches!(column.kind, ColumnKind::Text | ColumnKind::Categorical | ColumnKind::Id)
                {
                    prop_assert_eq!(got.trim(), want);
                }
            }
        }
    }

    /// Any small numeric table: segments or a sentence, never a panic.
    #[test]
    fn any_numbers_segment_or_explain(
        values in proptest::collection::vec(
            prop_oneof![
                -1e6f64..1e6, Just(0.0), Just(1e300), Just(-1e300), Just(f64::NAN),
            ],
            2..120,
        ),
        k in 2usize..6,
    ) {
        let mut csv = String::from("id,a,b\n");
        for (i, pair) in values.chunks(2).enumerate() {
            let b = pair.get(1).copied().unwrap_or(0.0);
            csv.push_str(&format!("{i},{},{b}\n", pair[0]));
        }
        let Ok(loaded) = read_bytes(csv.as_bytes(), &ReadOptions::default()) else {
            return Ok(());
        };
        let recipe = Recipe::new(vec!["a".into(), "b".into()]).with_k(k);
        match segment(&loaded.table, &recipe, &mut NoProgress) {
            Ok(s) => prop_assert_eq!(s.labels.len(), loaded.table.n_rows()),
            Err(e) => prop_assert!(e.to_string().ends_with('.'), "{}", e),
        }
    }
}
