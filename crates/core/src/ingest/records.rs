//! Splitting decoded text into records, stored column by column.

use crate::ingest::{Dialect, IngestError, MAX_PROBLEMS, Problem};
use crate::progress::{Progress, Stage};
use crate::table::RawColumn;

/// Records split into columns of text, before typing.
#[derive(Debug)]
pub struct RawTable {
    /// Unique, non-blank column names.
    pub names: Vec<String>,
    /// One text column per name.
    pub columns: Vec<RawColumn>,
    /// Number of data rows.
    pub rows: usize,
    /// Problems found (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<Problem>,
    /// Total problems found.
    pub problem_count: u64,
    /// Renamed header cells as `(original, new)`.
    pub renamed: Vec<(String, String)>,
}

/// Splits `text` into records using the `csv` crate (RFC 4180 quoting, LF/CRLF/CR line
/// ends, blank lines skipped). Rows with too few fields are padded with empty cells and
/// rows with too many are cut; both are reported, never fatal.
pub fn split(
    text: &str,
    dialect: &Dialect,
    progress: &mut dyn Progress,
) -> Result<RawTable, IngestError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let total = text.len().max(1) as f64;
    let mut record = csv::ByteRecord::new();
    let mut names: Option<Vec<String>> = None;
    let mut columns: Vec<RawColumn> = Vec::new();
    let mut rows: usize = 0;
    let mut problems = Vec::new();
    let mut problem_count = 0u64;
    let mut note = |problems: &mut Vec<Problem>, row: u64, line: u64, message: String| {
        problem_count += 1;
        if problems.len() < MAX_PROBLEMS {
            problems.push(Problem { row, line, message });
        }
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // The csv crate only fails here on I/O, which reading from memory cannot do;
                // stop at what was read rather than lose the file.
                let line = e.position().map_or(0, |p| p.line());
                note(
                    &mut problems,
                    rows as u64 + 1,
                    line,
                    format!("Reading stopped here: {e}."),
                );
                break;
            }
        }
        if is_blank(&record) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        if names.is_none() {
            let width = record.len();
            let header: Vec<String> = if dialect.has_header {
                record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                    .collect()
            } else {
                (1..=width).map(|i| format!("column_{i}")).collect()
            };
            columns = (0..width).map(|_| RawColumn::default()).collect();
            names = Some(header);
            if dialect.has_header {
                continue;
            }
        }
        let width = columns.len();
        rows += 1;
        let row = rows as u64;
        let n = record.len();
        if n < width {
            let next = reader.position().byte() as usize;
            let last_row = text.get(next..).is_none_or(|rest| rest.trim().is_empty());
            let message = if last_row && !text.ends_with(['\n', '\r']) {
                format!(
                    "The last row has {n} fields instead of {width}; the file may have been cut off. The missing fields were left empty."
                )
            } else {
                format!(
                    "This row has {n} fields instead of {width}; the missing fields were left empty."
                )
            };
            note(&mut problems, row, line, message);
        } else if n > width {
            let extra_empty = record
                .iter()
                .skip(width)
                .all(|f| f.iter().all(u8::is_ascii_whitespace));
            let message = if extra_empty {
                format!(
                    "This row has {n} fields instead of {width}; the extra empty fields were dropped."
                )
            } else {
                format!(
                    "This row has {n} fields instead of {width}; the extra fields were dropped. A value may contain an unquoted delimiter."
                )
            };
            note(&mut problems, row, line, message);
        }
        for (j, column) in columns.iter_mut().enumerate() {
            column.push(record.get(j).unwrap_or(b""));
        }
        if rows.is_multiple_of(65_536) {
            let done = record.position().map_or(0, |p| p.byte()) as f64 / total;
            progress
                .report(Stage::Reading, done)
                .map_err(|_| IngestError::Cancelled)?;
        }
    }
    let raw_names = names.unwrap_or_default();
    let (names, renamed) = unique_names(raw_names);
    Ok(RawTable {
        names,
        columns,
        rows,
        problems,
        problem_count,
        renamed,
    })
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Gives blank names `column_N` and repeated names `name_2`, `name_3`, …
pub fn unique_names(raw: Vec<String>) -> (Vec<String>, Vec<(String, String)>) {
    let mut seen = std::collections::HashSet::new();
    let mut renamed = Vec::new();
    let mut names = Vec::with_capacity(raw.len());
    for (i, name) in raw.into_iter().enumerate() {
        let base = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name.clone()
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while !seen.insert(candidate.to_lowercase()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        if candidate != name {
            renamed.push((name, candidate.clone()));
        }
        names.push(candidate);
    }
    (names, renamed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    fn split_str(text: &str, has_header: bool) -> RawTable {
        split(
            text,
            &Dialect {
                delimiter: b',',
                has_header,
            },
            &mut NoProgress,
        )
        .unwrap()
    }

    #[test]
    fn quoted_fields_with_newlines_and_blank_lines() {
        let t = split_str(
            "a,b\r\n\"x, y\",\"line1\nline2\"\r\n\r\n\"say \"\"hi\"\"\",2\r\n",
            true,
        );
        assert_eq!(t.rows, 2);
        assert_eq!(t.columns[0].get(0), "x, y");
        assert_eq!(t.columns[1].get(0), "line1\nline2");
        assert_eq!(t.columns[0].get(1), "say \"hi\"");
    }

    #[test]
    fn cr_only_line_ends() {
        let t = split_str("a,b\r1,2\r3,4\r", true);
        assert_eq!(t.rows, 2);
        assert_eq!(t.columns[1].get(1), "4");
    }

    #[test]
    fn headerless_files_get_column_names() {
        let t = split_str("1,2\n3,4\n", false);
        assert_eq!(t.names, vec!["column_1", "column_2"]);
        assert_eq!(t.rows, 2);
    }

    #[test]
    fn blank_and_duplicate_names_are_made_unique() {
        let t = split_str("id,,id,ID\n1,2,3,4\n", true);
        assert_eq!(t.names, vec!["id", "column_2", "id_2", "ID_3"]);
        assert_eq!(t.renamed.len(), 3);
    }

    #[test]
    fn truncated_last_line_is_reported() {
        let t = split_str("a,b,c\n1,2,3\n4,5", true);
        assert_eq!(t.problem_count, 1);
        assert!(
            t.problems[0].message.contains("cut off"),
            "{}",
            t.problems[0].message
        );
    }
}
