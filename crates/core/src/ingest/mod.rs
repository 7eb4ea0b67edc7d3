//! Ingest: bytes of a CSV export → a typed [`Table`] plus a report of what was done.
//!
//! 1. [`encoding`]: find the text encoding (BOMs, UTF-8, Windows-1252 fallback) and decode.
//! 2. [`dialect`]: sniff the delimiter and whether the first row is a header.
//! 3. [`records`]: split records with the `csv` crate into compact per-column text, noting
//!    ragged rows as [`Problem`]s instead of aborting.
//! 4. [`crate::table`]: give every column a kind and typed storage.

pub mod dialect;
pub mod encoding;
pub mod records;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::date::DateOrder;
use crate::progress::{NoProgress, Progress, Stage};
use crate::table::{Decimal, Table, TypeOptions};

pub use dialect::Dialect;
pub use encoding::TextEncoding;

/// Choices the user can override; `None` means "detect it".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Field delimiter, e.g. `b';'`.
    pub delimiter: Option<u8>,
    /// Text encoding of the file.
    pub encoding: Option<TextEncoding>,
    /// Whether the first row holds column names.
    pub has_header: Option<bool>,
    /// Decimal separator for numbers.
    pub decimal: Option<Decimal>,
    /// Order of day and month in dates such as `01/02/2010`.
    pub date_order: Option<DateOrder>,
    /// An extra word that means "missing" in this file, e.g. `unknown`.
    pub missing_token: Option<String>,
}

/// Something odd in one row of the file, and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Data row number, counting from 1 after the header.
    pub row: u64,
    /// Line number in the file where the row starts, counting from 1.
    pub line: u64,
    /// What was wrong and what was done, as a sentence.
    pub message: String,
}

/// How a file was read: the detected (or chosen) settings and the problems found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadReport {
    /// The encoding used to decode the bytes.
    pub encoding: TextEncoding,
    /// Whether a byte-order mark was found and removed.
    pub had_bom: bool,
    /// Field delimiter.
    pub delimiter: u8,
    /// Whether the first row was used as column names.
    pub has_header: bool,
    /// Decimal separator used for numbers.
    pub decimal: Decimal,
    /// Order of day and month used for ambiguous dates.
    pub date_order: DateOrder,
    /// Number of data rows.
    pub rows: usize,
    /// Problems, at most [`MAX_PROBLEMS`] of them; see `problem_count` for the total.
    pub problems: Vec<Problem>,
    /// Total number of problems, including those not listed.
    pub problem_count: u64,
    /// Column names that were blank or repeated and were renamed, as `(original, new)`.
    pub renamed_columns: Vec<(String, String)>,
}

/// At most this many problems are listed individually; the rest are only counted.
pub const MAX_PROBLEMS: usize = 200;

/// A file read into a table.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed table.
    pub table: Table,
    /// What was detected and what went wrong.
    pub report: ReadReport,
}

/// Why a file could not be read at all.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum IngestError {
    /// Zero bytes.
    #[error("The file is empty. Export the data again, or pick another file.")]
    Empty,
    /// The bytes are a known binary format rather than text.
    #[error(
        "This looks like {format}, not a CSV text file. Save it as CSV (for Excel: File → Save As → CSV UTF-8) and load that file."
    )]
    Binary {
        /// e.g. "an Excel workbook (.xlsx)".
        format: &'static str,
    },
    /// Text with no rows of data.
    #[error(
        "The file has column names but no rows of data. Export the data again with the rows included."
    )]
    NoRows,
    /// Only blank lines.
    #[error("The file contains only blank lines. Export the data again, or pick another file.")]
    Blank,
    /// The file is larger than the engine can address.
    #[error(
        "The file is too large to open here ({size_mb} MB). Split it into smaller files, or use the segmenta command-line tool."
    )]
    TooLarge {
        /// Size in megabytes.
        size_mb: u64,
    },
    /// Reading was cancelled.
    #[error("Reading was cancelled.")]
    Cancelled,
}

/// Reads a whole file held in memory.
///
/// ```
/// use segmenta_core::ingest::{read_bytes, ReadOptions};
/// let loaded = read_bytes(b"id;amount\n1;2,5\n2;3,0\n", &ReadOptions::default())?;
/// assert_eq!(loaded.report.delimiter, b';');
/// assert_eq!(loaded.table.n_rows(), 2);
/// assert_eq!(loaded.table.column("amount").unwrap().numbers().unwrap(), &[2.5, 3.0]);
/// # Ok::<(), segmenta_core::ingest::IngestError>(())
/// ```
pub fn read_bytes(bytes: &[u8], options: &ReadOptions) -> Result<Loaded, IngestError> {
    read_bytes_with(bytes, options, &mut NoProgress)
}

/// [`read_bytes`] with progress reports and cancellation.
pub fn read_bytes_with(
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn Progress,
) -> Result<Loaded, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if let Some(format) = encoding::binary_format(bytes) {
        return Err(IngestError::Binary { format });
    }
    progress
        .report(Stage::Reading, 0.0)
        .map_err(|_| IngestError::Cancelled)?;
    let decoded = encoding::decode(bytes, options.encoding);
    let text = decoded.text.as_ref();
    if text.trim().is_empty() {
        return Err(IngestError::Blank);
    }
    let dialect = dialect::sniff(text, options.delimiter, options.has_header);
    let raw = records::split(text, &dialect, progress)?;
    if raw.rows == 0 {
        return Err(IngestError::NoRows);
    }
    let type_options = TypeOptions {
        decimal: options.decimal,
        date_order: options.date_order,
        missing_token: options.missing_token.clone(),
    };
    progress
        .report(Stage::Parsing, 0.0)
        .map_err(|_| IngestError::Cancelled)?;
    let typed = Table::from_raw(raw.names, raw.columns, raw.rows, &type_options, progress)
        .map_err(|_| IngestError::Cancelled)?;
    let report = ReadReport {
        encoding: decoded.encoding,
        had_bom: decoded.had_bom,
        delimiter: dialect.delimiter,
        has_header: dialect.has_header,
        decimal: typed.decimal,
        date_order: typed.date_order,
        rows: typed.table.n_rows(),
        problems: raw.problems,
        problem_count: raw.problem_count,
        renamed_columns: raw.renamed,
    };
    Ok(Loaded {
        table: typed.table,
        report,
    })
}

/// Human name of a delimiter byte, for messages and the page ("comma", "semicolon", …).
pub fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        b' ' => "space".into(),
        other => format!("'{}'", other as char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_binary_files_are_refused_with_a_sentence() {
        assert_eq!(
            read_bytes(b"", &ReadOptions::default()).unwrap_err(),
            IngestError::Empty
        );
        let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00";
        let err = read_bytes(zip, &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("Excel"), "{err}");
        assert_eq!(
            read_bytes(b"\n\n  \n", &ReadOptions::default()).unwrap_err(),
            IngestError::Blank
        );
        assert_eq!(
            read_bytes(b"a,b,c\n", &ReadOptions::default()).unwrap_err(),
            IngestError::NoRows
        );
    }

    #[test]
    fn reads_a_simple_file() {
        let loaded = read_bytes(b"id,spend\n1,10.5\n2,20\n", &ReadOptions::default()).unwrap();
        assert_eq!(loaded.report.delimiter, b',');
        assert!(loaded.report.has_header);
        assert_eq!(loaded.table.n_rows(), 2);
        assert_eq!(
            loaded.table.column("spend").unwrap().numbers().unwrap(),
            &[10.5, 20.0]
        );
    }

    #[test]
    fn ragged_rows_are_reported_and_kept() {
        let loaded = read_bytes(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n", &ReadOptions::default()).unwrap();
        assert_eq!(loaded.table.n_rows(), 3);
        assert_eq!(loaded.report.problem_count, 2);
        let p = &loaded.report.problems[0];
        assert_eq!((p.row, p.line), (2, 3));
        assert!(p.message.contains("2 fields instead of 3"), "{}", p.message);
        assert!(
            loaded.report.problems[1].message.contains("dropped"),
            "{}",
            loaded.report.problems[1].message
        );
        let c = loaded.table.column("c").unwrap();
        assert_eq!(c.missing, 1);
    }
}
