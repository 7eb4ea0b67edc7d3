//! Sniffing the CSV dialect: which delimiter, and whether the first row is a header.

use serde::{Deserialize, Serialize};

use crate::table::values::{Decimal, looks_numeric};

/// Delimiters tried when sniffing, in order of preference on a tie.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How the records of a file are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialect {
    /// Field delimiter.
    pub delimiter: u8,
    /// Whether the first record holds column names.
    pub has_header: bool,
}

/// How much text is looked at when sniffing.
const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_RECORDS: usize = 200;

/// Detects the dialect from the start of `text`; a `Some` argument fixes that part.
pub fn sniff(text: &str, delimiter: Option<u8>, has_header: Option<bool>) -> Dialect {
    let sample = head(text, SNIFF_BYTES);
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(sample));
    let has_header = has_header.unwrap_or_else(|| sniff_header(sample, delimiter));
    Dialect {
        delimiter,
        has_header,
    }
}

/// The first `max` bytes of `text`, cut at a line end so no record is split.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(i) if i > 0 => &text[..i],
        _ => &text[..end],
    }
}

fn sample_records(sample: &str, delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    reader
        .records()
        .take(SNIFF_RECORDS)
        .filter_map(Result::ok)
        .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect()
}

/// The delimiter that splits the sample into the most consistent number (> 1) of fields.
fn sniff_delimiter(sample: &str) -> u8 {
    let mut best = (0.0, b',');
    for &d in &CANDIDATES {
        let records = sample_records(sample, d);
        if records.is_empty() {
            continue;
        }
        let counts: Vec<usize> = records.iter().map(Vec::len).collect();
        let mode = mode(&counts);
        if mode <= 1 {
            continue;
        }
        let agree = counts.iter().filter(|&&c| c == mode).count() as f64 / counts.len() as f64;
        // The header row agreeing with the body is strong evidence for a delimiter.
        let header_bonus = if counts[0] == mode { 0.5 } else { 0.0 };
        let score = agree + header_bonus;
        if score > best.0 + 1e-9 {
            best = (score, d);
        }
    }
    best.1
}

fn mode(values: &[usize]) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_n, mut i) = (0, 0, 0);
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&v| v == sorted[i]).count();
        if j > best_n || (j == best_n && sorted[i] > best) {
            best = sorted[i];
            best_n = j;
        }
        i += j;
    }
    best
}

/// A first row is data, not names, when it holds numbers where the column below holds
/// numbers; it is a header when it holds words above numbers. All-text files are assumed to
/// have a header, which is what every export tool writes.
fn sniff_header(sample: &str, delimiter: u8) -> bool {
    let records = sample_records(sample, delimiter);
    let Some((first, rest)) = records.split_first() else {
        return true;
    };
    if rest.is_empty() {
        return !first.iter().any(|f| is_number(f));
    }
    let (mut header_votes, mut data_votes) = (0, 0);
    for (j, name) in first.iter().enumerate() {
        let below: Vec<&str> = rest
            .iter()
            .filter_map(|r| r.get(j))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if below.is_empty() {
            continue;
        }
        let numeric_below = below.iter().filter(|s| is_number(s)).count() * 10 >= below.len() * 9;
        if !numeric_below {
            continue;
        }
        if is_number(name) {
            data_votes += 1;
        } else if !name.trim().is_empty() {
            header_votes += 1;
        }
    }
    header_votes > 0 || data_votes == 0
}

fn is_number(s: &str) -> bool {
    looks_numeric(s, Decimal::Point) || looks_numeric(s, Decimal::Comma)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(sniff("a,b,c\n1,2,3\n", None, None).delimiter, b',');
        assert_eq!(
            sniff("id;amount\n1;2,5\n2;3,75\n", None, None).delimiter,
            b';'
        );
        assert_eq!(sniff("a\tb\n1\t2\n", None, None).delimiter, b'\t');
        assert_eq!(sniff("a|b|c\n1|2|3\n", None, None).delimiter, b'|');
        assert_eq!(
            sniff("name,note\n\"x\",\"a; b; c\"\n\"y\",\"d\"\n", None, None).delimiter,
            b','
        );
    }

    #[test]
    fn detects_header_presence() {
        assert!(sniff("id,amount\n1,2\n3,4\n", None, None).has_header);
        assert!(!sniff("1,2\n3,4\n5,6\n", None, None).has_header);
        assert!(sniff("name,city\nAnn,Paris\nBob,Rome\n", None, None).has_header);
        assert!(!sniff("1,2\n", None, None).has_header);
        assert!(!sniff("a,b\n", None, Some(false)).has_header);
    }

    #[test]
    fn single_column_files_default_to_comma() {
        assert_eq!(sniff("amount\n1\n2\n", None, None).delimiter, b',');
    }
}
