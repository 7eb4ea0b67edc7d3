//! The hostile corpus: broken, strange and malicious files go through the whole path the
//! page takes (read, build the customers, segment, export) and each gives a sentence or a
//! sensible result. None panics — in the browser a panic would kill the worker — and none
//! hangs. The files are made here, so the corpus needs no binary fixtures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segmenta::session::Session;
use segmenta_core::ingest::ReadOptions;
use segmenta_core::progress::NoProgress;

/// What became of one file.
#[derive(Debug)]
enum Outcome {
    /// Not read: the sentence shown.
    Refused(String),
    /// Read, but no customer table: why.
    NoCustomers(String),
    /// Read and built, but not segmented: why.
    NotSegmented(String),
    /// Segmented and exported: the labelled CSV.
    Exported(String),
}

/// Takes `bytes`, named `name`, as far along the page's path as it goes.
fn follow(name: &str, bytes: &[u8]) -> Outcome {
    let mut s = Session::default();
    if let Err(e) = s.load(name, bytes, &ReadOptions::default(), &mut NoProgress) {
        return Outcome::Refused(e);
    }
    let Some(view) = s.dataset_view() else {
        return Outcome::NoCustomers("no customer table".into());
    };
    if let Some(e) = view.error {
        return Outcome::NoCustomers(e);
    }
    match s.run(&view.default_recipe, &mut NoProgress) {
        Err(e) => Outcome::NotSegmented(e),
        Ok(_) => {
            let (_, csv) = s.export_labels(&[]).unwrap();
            Outcome::Exported(String::from_utf8(csv).unwrap())
        }
    }
}

/// A sentence a person can act on: starts with a capital or the file name, ends with a
/// full stop, no debug output.
fn assert_sentence(what: &str, message: &str) {
    assert!(!message.trim().is_empty(), "{what}: empty message");
    assert!(
        message.trim_end().ends_with('.') || message.trim_end().ends_with(')'),
        "{what}: not a sentence: {message}"
    );
    for debug in ["Err(", "Some(", "None", "panicked", "unwrap", "{ ", "\\u{"] {
        assert!(!message.contains(debug), "{what}: debug text in: {message}");
    }
}

fn check(name: &str, bytes: &[u8]) -> Outcome {
    let outcome = follow(name, bytes);
    match &outcome {
        Outcome::Refused(m) | Outcome::NoCustomers(m) | Outcome::NotSegmented(m) => {
            assert_sentence(name, m);
        }
        Outcome::Exported(csv) => assert!(csv.lines().count() > 1, "{name}: empty export"),
    }
    outcome
}

fn numbers(rows: usize, cols: usize) -> String {
    let mut s: String = (0..cols)
        .map(|j| format!("c{j}"))
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    for i in 0..rows {
        let row: Vec<String> = (0..cols)
            .map(|j| ((i * 7 + j * 3) % 11).to_string())
            .collect();
        s.push_str(&row.join(","));
        s.push('\n');
    }
    s
}

#[test]
fn empty_and_tiny_files_say_what_is_missing() {
    assert!(matches!(check("empty.csv", b""), Outcome::Refused(_)));
    assert!(!matches!(
        check("header.csv", b"id,spend,visits\n"),
        Outcome::Exported(_)
    ));
    assert!(!matches!(
        check("one.csv", b"id,spend\n1,10\n"),
        Outcome::Exported(_)
    ));
    assert!(!matches!(
        check("blank.csv", b"\n\n\n   \n"),
        Outcome::Exported(_)
    ));
}

#[test]
fn binary_and_renamed_files_are_refused_with_a_reason() {
    // An .xlsx (a zip) renamed to .csv, a plain zip, and random bytes.
    let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    xlsx.extend_from_slice(b"[Content_Types].xml");
    xlsx.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let m = match check("export.csv", &xlsx) {
        Outcome::Refused(m) | Outcome::NoCustomers(m) | Outcome::NotSegmented(m) => m,
        Outcome::Exported(_) => panic!("a spreadsheet was segmented as CSV"),
    };
    assert!(
        m.contains("Excel") || m.contains("spreadsheet") || m.contains("zip"),
        "{m}"
    );
    let garbage: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_246_822_519).rotate_left(7) >> 11) as u8)
        .collect();
    assert!(!matches!(
        check("garbage.csv", &garbage),
        Outcome::Exported(_)
    ));
    let mut nul = b"id,spend\n".to_vec();
    nul.extend(std::iter::repeat_n(0u8, 5000));
    check("nul.csv", &nul);
}

#[test]
fn ten_thousand_columns_are_read_or_refused() {
    check("wide.csv", numbers(30, 10_000).as_bytes());
}

#[test]
fn a_ten_megabyte_field_is_read() {
    let mut big = String::from("id,note,spend\n1,\"");
    big.push_str(&"x".repeat(10 << 20));
    big.push_str("\",5\n2,short,7\n3,also,9\n");
    check("big-field.csv", big.as_bytes());
}

#[test]
fn an_unbalanced_quote_is_reported() {
    // An unbalanced quote swallowing the rest of the file.
    let mut open = numbers(50, 3);
    open.push_str("\"unterminated,1,2\n");
    open.push_str(&numbers(50, 3));
    check("quote.csv", open.as_bytes());
}

#[test]
fn odd_values_give_sensible_results() {
    // Mixed encodings: UTF-8 lines and Latin-1 lines in one file.
    let mut mixed = "id,city,spend\n1,Zürich,10\n2,Köln,20\n"
        .as_bytes()
        .to_vec();
    mixed.extend_from_slice(b"3,M\xfcnchen,30\n4,Li\xe8ge,40\n5,Paris,50\n");
    assert!(matches!(check("mixed.csv", &mixed), Outcome::Exported(_)));
    // An all-missing column and a constant one next to a usable one.
    let mut csv = String::from("id,empty,same,spend,visits\n");
    for i in 0..40 {
        csv.push_str(&format!("{i},,7,{},{}\n", 10 + (i * 37) % 90, i % 5));
    }
    assert!(matches!(
        check("missing.csv", csv.as_bytes()),
        Outcome::Exported(_)
    ));
    // Every value identical: nothing to tell customers apart.
    let mut same = String::from("id,spend,visits\n");
    for i in 0..40 {
        same.push_str(&format!("{i},5,5\n"));
    }
    assert!(!matches!(
        check("same.csv", same.as_bytes()),
        Outcome::Exported(_)
    ));
    // NaN, Infinity and 1e308 among numbers.
    let mut extreme = String::from("id,spend,visits\n");
    for i in 0..40 {
        let spend = match i % 8 {
            0 => "NaN".to_owned(),
            1 => "Infinity".to_owned(),
            2 => "-inf".to_owned(),
            3 => "1e308".to_owned(),
            4 => "-1e308".to_owned(),
            _ => (i * 13 % 70).to_string(),
        };
        extreme.push_str(&format!("{i},{spend},{}\n", i % 6));
    }
    // Kept as numbers where they are, left out (filled) where they are not; the segments
    // are found among the customers that differ.
    assert!(matches!(
        check("extreme.csv", extreme.as_bytes()),
        Outcome::Exported(_)
    ));
}

#[test]
fn markup_and_formulas_in_cells_stay_text() {
    let mut csv = String::from("id,<img src=x onerror=alert(1)>,visits,=cmd\n");
    for i in 0..40 {
        let id = match i {
            0 => "=HYPERLINK(\"http://evil\",\"click\")".to_owned(),
            1 => "+1+1".to_owned(),
            2 => "@SUM(A1:A2)".to_owned(),
            3 => "<script>alert(1)</script>".to_owned(),
            _ => format!("C{i}"),
        };
        csv.push_str(&format!(
            "\"{}\",{},{},{}\n",
            id.replace('"', "\"\""),
            (i * 29) % 97,
            i % 7,
            i % 3
        ));
    }
    let Outcome::Exported(labels) = check("hostile.csv", csv.as_bytes()) else {
        panic!("a file with markup and formulas should still segment");
    };
    assert!(labels.contains("'=HYPERLINK"), "{labels}");
    assert!(
        labels.contains("'+1+1") && labels.contains("'@SUM"),
        "{labels}"
    );
    for line in labels.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with('=') && !cell.starts_with('+') && !cell.starts_with('@'),
                "a cell could run as a formula: {line}"
            );
        }
    }
}
