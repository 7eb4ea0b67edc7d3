//! Ingest: bytes of a CSV export → a typed [`Table`] plus a report of what was done.
//!
//! Reading is push-based, so a file can be read in slices (in the browser: `Blob.slice`
//! in a Web Worker) without ever holding it whole:
//!
//! 1. [`Ingest::new`] looks at the head of the file: byte-order mark, text encoding
//!    ([`encoding`]), dialect ([`dialect`]: delimiter, quoting, comments, header).
//! 2. [`Ingest::push`] takes the file's bytes in order, decodes them with `encoding_rs`,
//!    splits records ([`records`], `csv-core`) and stores them column by column, noting
//!    odd rows as [`Problem`]s instead of aborting.
//! 3. [`Ingest::finish`] gives each column a kind and typed storage ([`crate::table`]).
//!
//! [`read_bytes`] and [`read_seekable`] drive these steps for data in memory or on disk.

pub mod dialect;
pub mod encoding;
pub mod parts;
pub mod records;

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};

use crate::ingest::encoding::TextDecoder;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::date::DateOrder;
use crate::progress::{NoProgress, Progress, Stage};
use crate::table::{Chosen, ColumnChoice, Decimal, Table, TypeOptions, Typer};

use crate::table::values;
pub use dialect::{Dialect, Separator};
pub use encoding::TextEncoding;
use records::{ColumnPlan, RecordRef, Splitter, TableBuilder, count_byte};

/// Choices the user can override; `None` means "detect it".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Field separator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<Separator>,
    /// Text encoding of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<TextEncoding>,
    /// Whether the first row holds column names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_header: Option<bool>,
    /// Decimal separator for numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal: Option<Decimal>,
    /// Order of day and month in dates such as `01/02/2010`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
    /// An extra word that means "missing" in this file, e.g. `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_token: Option<String>,
    /// What the user said some columns are, by column name: a kind to read every cell
    /// as, or personal data.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, ColumnChoice>,
}

impl ReadOptions {
    /// Whether every setting is left to detection.
    pub fn is_default(&self) -> bool {
        *self == ReadOptions::default()
    }

    /// These settings, with each one `other` makes taking the place of this one's (the
    /// command line's flags over a recipe's settings).
    pub fn overridden_by(&self, other: &ReadOptions) -> ReadOptions {
        let mut columns = self.columns.clone();
        columns.extend(other.columns.iter().map(|(n, c)| (n.clone(), *c)));
        ReadOptions {
            delimiter: other.delimiter.or(self.delimiter),
            encoding: other.encoding.or(self.encoding),
            has_header: other.has_header.or(self.has_header),
            decimal: other.decimal.or(self.decimal),
            date_order: other.date_order.or(self.date_order),
            missing_token: other
                .missing_token
                .clone()
                .or_else(|| self.missing_token.clone()),
            columns,
        }
    }
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
    /// The dialect used.
    pub dialect: Dialect,
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
    /// Columns read as the user chose, with the cells that could not be read so.
    #[serde(default)]
    pub chosen_columns: Vec<Chosen>,
}

/// At most this many problems are listed individually; the rest are only counted.
pub const MAX_PROBLEMS: usize = 200;

/// Bytes looked at to detect the encoding and dialect.
pub const HEAD_BYTES: usize = 64 * 1024;

/// A file read into a table.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed table.
    pub table: Table,
    /// What was detected and what went wrong.
    pub report: ReadReport,
}

impl Loaded {
    /// Sentences about the columns `options` chose a kind for: cells that could not be
    /// read so, and names the file has no column for (a column renamed in a later export).
    pub fn column_notes(&self, options: &ReadOptions) -> Vec<String> {
        let absent = options
            .columns
            .iter()
            .filter(|(name, _)| self.table.column(name).is_none())
            .map(|(name, choice)| {
                format!(
                    "There is no column “{name}” to read as {}; check its name.",
                    choice.label()
                )
            });
        self.report
            .chosen_columns
            .iter()
            .filter_map(Chosen::note)
            .chain(absent)
            .collect()
    }
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
    /// Reading the file itself failed.
    #[error("The file could not be read ({0}). Check that it still exists and try again.")]
    Io(String),
    /// Reading was cancelled.
    #[error("Reading was cancelled.")]
    Cancelled,
}

/// Returned by [`Ingest::push`] when the file must be read again from the start: bytes
/// taken for UTF-8 turned out not to be, or a column the head showed as numbers holds
/// something else further down. Pass it to [`Ingest::resume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Restart {
    /// The options to read with next time.
    pub options: ReadOptions,
    /// Columns to keep as text next time.
    pub text_columns: Vec<usize>,
}

/// A file being read, chunk by chunk.
pub struct Ingest {
    options: ReadOptions,
    text_columns: Vec<usize>,
    decimal: Option<Decimal>,
    encoding: TextEncoding,
    had_bom: bool,
    guessed_utf8: bool,
    text: TextDecoder,
    dialect: Dialect,
    splitter: Splitter,
    builder: TableBuilder,
    quotes: u64,
    consumed: u64,
    total: u64,
    /// A later part of a file ([`Ingest::part`]): numbers that are not, found here, only
    /// count if the part starts where a record does, which is known when it is joined.
    part: bool,
}

impl Ingest {
    /// Starts reading a file of `total` bytes whose first bytes are `head` (at least
    /// [`HEAD_BYTES`] of them, or the whole file). `head` is only looked at: push it again
    /// as the first chunk.
    pub fn new(head: &[u8], total: u64, options: &ReadOptions) -> Result<Ingest, IngestError> {
        Ingest::with_text_columns(head, total, options, Vec::new())
    }

    /// Starts reading again after a [`Restart`].
    pub fn resume(head: &[u8], total: u64, restart: Restart) -> Result<Ingest, IngestError> {
        Ingest::with_text_columns(head, total, &restart.options, restart.text_columns)
    }

    fn with_text_columns(
        head: &[u8],
        total: u64,
        options: &ReadOptions,
        text_columns: Vec<usize>,
    ) -> Result<Ingest, IngestError> {
        if total == 0 || head.is_empty() {
            return Err(IngestError::Empty);
        }
        if let Some(format) = encoding::binary_format(head) {
            return Err(IngestError::Binary { format });
        }
        let detected = encoding::detect(head, options.encoding);
        // Decode the head with a throwaway decoder to sniff the dialect.
        let mut sniffer = detected.decoder();
        let mut sample = vec![
            0;
            sniffer
                .max_utf8_buffer_length(head.len())
                .unwrap_or(head.len() * 3)
        ];
        let (_, _, written, _) =
            sniffer.decode_to_utf8(head, &mut sample, (head.len() as u64) >= total);
        sample.truncate(written);
        let text = String::from_utf8_lossy(&sample);
        if text.trim().is_empty() && (head.len() as u64) >= total {
            return Err(IngestError::Blank);
        }
        let dialect = dialect::sniff(&text, options.delimiter, options.has_header);
        let plan = plan_columns(
            &dialect::sample_records(&text, &dialect),
            &dialect,
            options,
            &text_columns,
        );
        Ok(Ingest {
            options: options.clone(),
            text_columns,
            decimal: plan.decimal,
            encoding: detected.encoding,
            had_bom: detected.had_bom,
            guessed_utf8: options.encoding.is_none()
                && detected.encoding == TextEncoding::Utf8
                && !detected.had_bom,
            text: TextDecoder::new(detected.encoding, detected.had_bom),
            dialect,
            splitter: Splitter::new(&dialect),
            builder: TableBuilder::new(&dialect, plan),
            quotes: 0,
            consumed: 0,
            total,
            part: false,
        })
    }

    /// The dialect detected (or chosen).
    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    /// Fraction of the file consumed so far.
    pub fn fraction(&self) -> f64 {
        self.consumed as f64 / self.total.max(1) as f64
    }

    /// Takes the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), Restart> {
        self.consumed += chunk.len() as u64;
        let last = self.consumed >= self.total;
        self.decode(chunk, last)
    }

    fn decode(&mut self, chunk: &[u8], last: bool) -> Result<(), Restart> {
        let quote = self.dialect.quote;
        let (splitter, builder, quotes) = (&mut self.splitter, &mut self.builder, &mut self.quotes);
        let decoded = self
            .text
            .decode(chunk, last, self.guessed_utf8, &mut |text| {
                *quotes += count_byte(text, quote);
                splitter.feed(text, &mut |r: &RecordRef<'_>| builder.push(r));
            });
        if decoded.is_err() {
            // Not UTF-8 after all: read again as Windows-1252, which maps every byte.
            return Err(Restart {
                options: ReadOptions {
                    encoding: Some(TextEncoding::Windows1252),
                    ..self.options.clone()
                },
                text_columns: self.text_columns.clone(),
            });
        }
        if !self.part && self.consumed > 0 {
            // Rows read per byte so far, times the file's bytes.
            let expected = self.builder.rows() as f64 * self.total as f64 / self.consumed as f64;
            self.builder.expect_rows(expected as usize);
        }
        if !self.part && !self.builder.not_numeric().is_empty() {
            let mut text_columns = self.text_columns.clone();
            text_columns.extend_from_slice(self.builder.not_numeric());
            return Err(Restart {
                options: self.options.clone(),
                text_columns,
            });
        }
        Ok(())
    }

    /// Number of data rows read so far.
    pub fn rows(&self) -> usize {
        self.builder.rows()
    }

    /// Finishes reading and types the columns.
    pub fn finish(self, progress: &mut dyn Progress) -> Result<Loaded, IngestError> {
        let mut typing = self.into_typing()?;
        progress
            .report(Stage::Parsing, 0.0)
            .map_err(|_| IngestError::Cancelled)?;
        while typing.step() {
            progress
                .report(Stage::Parsing, typing.fraction())
                .map_err(|_| IngestError::Cancelled)?;
        }
        Ok(typing.finish())
    }

    /// Finishes reading; the columns are then typed one [`Typing::step`] at a time.
    pub fn into_typing(mut self) -> Result<Typing, IngestError> {
        if self.consumed < self.total {
            // A source that ended early: flush the decoder.
            let _ = self.decode(&[], true);
        }
        let builder = &mut self.builder;
        self.splitter
            .finish(&mut |r: &RecordRef<'_>| builder.push(r));
        let runaway = self.quotes % 2 == 1 && self.dialect.escape.is_none();
        let raw = self.builder.finish(runaway);
        if raw.names.is_empty() {
            return Err(IngestError::Blank);
        }
        if raw.rows == 0 {
            return Err(IngestError::NoRows);
        }
        let type_options = TypeOptions {
            decimal: self.options.decimal.or(self.decimal),
            date_order: self.options.date_order,
            missing_token: self.options.missing_token.clone(),
            columns: self.options.columns.clone(),
        };
        Ok(Typing {
            typer: Typer::new(raw.names, raw.columns, raw.rows, &type_options),
            encoding: self.encoding,
            had_bom: self.had_bom,
            dialect: self.dialect,
            problems: raw.problems,
            problem_count: raw.problem_count,
            renamed: raw.renamed,
        })
    }
}

/// A file whose records are read, being typed column by column.
pub struct Typing {
    typer: Typer,
    encoding: TextEncoding,
    had_bom: bool,
    dialect: Dialect,
    problems: Vec<Problem>,
    problem_count: u64,
    renamed: Vec<(String, String)>,
}

impl Typing {
    /// Types the next column; `false` when all are done.
    pub fn step(&mut self) -> bool {
        self.typer.step()
    }

    /// Fraction of columns typed.
    pub fn fraction(&self) -> f64 {
        self.typer.fraction()
    }

    /// The loaded file.
    pub fn finish(self) -> Loaded {
        let typed = self.typer.finish();
        let report = ReadReport {
            encoding: self.encoding,
            had_bom: self.had_bom,
            dialect: self.dialect,
            decimal: typed.decimal,
            date_order: typed.date_order,
            rows: typed.table.n_rows(),
            problems: self.problems,
            problem_count: self.problem_count,
            renamed_columns: self.renamed,
            chosen_columns: typed.chosen,
        };
        Loaded {
            table: typed.table,
            report,
        }
    }
}

/// Decides, from the first records, which columns to parse as numbers while reading and
/// with which decimal separator. A column qualifies when every non-missing value in the
/// head is a number without a leading zero; a later surprise triggers a [`Restart`].
fn plan_columns(
    records: &[Vec<String>],
    dialect: &Dialect,
    options: &ReadOptions,
    text_columns: &[usize],
) -> ColumnPlan {
    let body = if dialect.has_header {
        records.get(1..).unwrap_or(&[])
    } else {
        records
    };
    let width = records.first().map_or(0, Vec::len);
    let token = options
        .missing_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let decimal = options.decimal.or_else(|| {
        let (mut point, mut comma) = (0, 0);
        for cell in body.iter().flatten() {
            match values::decimal_evidence(cell) {
                Some(Decimal::Point) => point += 1,
                Some(Decimal::Comma) => comma += 1,
                None => {}
            }
        }
        (point + comma > 0).then_some(if comma > point {
            Decimal::Comma
        } else {
            Decimal::Point
        })
    });
    // Columns the user chose a kind for are kept as written, to be read as that kind.
    let names = if dialect.has_header {
        records::unique_names(records.first().cloned().unwrap_or_default()).0
    } else {
        (1..=width).map(|i| format!("column_{i}")).collect()
    };
    let chosen = |j: usize| {
        names
            .get(j)
            .and_then(|n| options.columns.get(n))
            .is_some_and(|c| c.needs_text())
    };
    let numeric = (0..width)
        .map(|j| {
            if text_columns.contains(&j) || chosen(j) {
                return false;
            }
            let cells: Vec<&str> = body
                .iter()
                .filter_map(|r| r.get(j))
                .map(String::as_str)
                .filter(|c| !values::is_missing(c, token))
                .collect();
            !cells.is_empty()
                && cells.iter().all(|c| {
                    let t = c.trim().as_bytes();
                    !values::has_leading_zero(t)
                        && !matches!(
                            values::parse_plain(t, decimal.unwrap_or(Decimal::Point)),
                            values::Plain::LongInteger
                        )
                        && values::parse_number(c, decimal.unwrap_or(Decimal::Point)).is_some()
                })
        })
        .collect();
    ColumnPlan {
        numeric,
        decimal,
        missing_token: token.map(str::to_owned),
    }
}

/// Size of the pieces data in memory or on disk is fed in.
const CHUNK: usize = 1 << 20;

/// Reads a whole file held in memory.
///
/// ```
/// use segmenta_core::ingest::{read_bytes, ReadOptions, Separator};
/// let loaded = read_bytes(b"id;amount\n1;2,5\n2;3,0\n", &ReadOptions::default())?;
/// assert_eq!(loaded.report.dialect.separator, Separator::Byte(b';'));
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
    let head = bytes.get(..HEAD_BYTES).unwrap_or(bytes);
    let mut next = Restart {
        options: options.clone(),
        text_columns: Vec::new(),
    };
    'restart: loop {
        let mut ingest = Ingest::resume(head, bytes.len() as u64, next)?;
        for chunk in bytes.chunks(CHUNK) {
            if let Err(restart) = ingest.push(chunk) {
                next = restart;
                continue 'restart;
            }
            progress
                .report(Stage::Reading, ingest.fraction())
                .map_err(|_| IngestError::Cancelled)?;
        }
        return ingest.finish(progress);
    }
}

/// Reads a file from disk (or any seekable source) in chunks, without loading it whole.
pub fn read_seekable<R: Read + Seek>(
    source: &mut R,
    options: &ReadOptions,
    progress: &mut dyn Progress,
) -> Result<Loaded, IngestError> {
    let io = |e: std::io::Error| IngestError::Io(e.to_string());
    let total = source.seek(SeekFrom::End(0)).map_err(io)?;
    let mut next = Restart {
        options: options.clone(),
        text_columns: Vec::new(),
    };
    let mut buffer = vec![0u8; CHUNK];
    'restart: loop {
        source.seek(SeekFrom::Start(0)).map_err(io)?;
        let (head_buffer, _) = buffer.split_at_mut(HEAD_BYTES.min(CHUNK));
        let head_len = fill(source, head_buffer).map_err(io)?;
        let head = buffer.get(..head_len).unwrap_or_default();
        let mut ingest = Ingest::resume(head, total, next)?;
        if let Err(restart) = ingest.push(head) {
            next = restart;
            continue 'restart;
        }
        loop {
            let n = fill(source, &mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            if let Err(restart) = ingest.push(buffer.get(..n).unwrap_or_default()) {
                next = restart;
                continue 'restart;
            }
            progress
                .report(Stage::Reading, ingest.fraction())
                .map_err(|_| IngestError::Cancelled)?;
        }
        return ingest.finish(progress);
    }
}

/// Reads until `buf` is full or the source ends.
fn fill<R: Read>(source: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..).filter(|r| !r.is_empty()) {
        match source.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Records exactly as split, before any typing or padding: what `segmenta parse` prints,
/// and what conformance tests compare against other parsers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// The first record when the file has a header, else empty.
    pub header: Vec<String>,
    /// Every other record, fields as parsed (quotes removed, nothing trimmed).
    pub rows: Vec<Vec<String>>,
}

/// Splits a file into records without typing them.
pub fn parse_records(
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<(Parsed, Dialect, TextEncoding), IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    let decoded = encoding::decode(bytes, options.encoding);
    let text = decoded.text.as_ref();
    let dialect = dialect::sniff(
        &text[..floor_char_boundary(text, HEAD_BYTES)],
        options.delimiter,
        options.has_header,
    );
    let mut splitter = Splitter::new(&dialect);
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut take = |r: &RecordRef<'_>| {
        records.push(
            r.fields()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
        )
    };
    splitter.feed(text.as_bytes(), &mut take);
    splitter.finish(&mut take);
    let header = if dialect.has_header && !records.is_empty() {
        records.remove(0)
    } else {
        Vec::new()
    };
    Ok((
        Parsed {
            header,
            rows: records,
        },
        dialect,
        decoded.encoding,
    ))
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    let mut i = max.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{ColumnKind, PiiKind};

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

    fn choose(pairs: &[(&str, ColumnChoice)]) -> ReadOptions {
        ReadOptions {
            columns: pairs.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect(),
            ..ReadOptions::default()
        }
    }

    #[test]
    fn a_chosen_kind_reads_every_cell_as_written() {
        let file = b"visits,zip,amount,joined,email,vip\n\
            1,01234,10,2010-01-02,a@x.org,yes\n\
            2,98765,twelve,03/01/2010,b@x.org,no\n\
            1,00042,7.5,40179,c@x.org,maybe\n";
        let detected = read_bytes(file, &ReadOptions::default()).unwrap();
        let kind = |l: &Loaded, n: &str| l.table.column(n).unwrap().kind;
        assert_eq!(kind(&detected, "visits"), ColumnKind::Integer);
        assert!(!kind(&detected, "amount").is_numeric());
        let options = choose(&[
            ("visits", ColumnChoice::Categorical),
            ("zip", ColumnChoice::Id),
            ("amount", ColumnChoice::Number),
            ("joined", ColumnChoice::Date),
            ("email", ColumnChoice::Text),
            ("vip", ColumnChoice::Personal),
        ]);
        let chosen = read_bytes(file, &options).unwrap();
        let t = &chosen.table;
        // Numbers read while reading the file stay as written.
        let visits = t.column("visits").unwrap();
        assert_eq!(
            (visits.kind, visits.display(0), visits.distinct()),
            (ColumnKind::Categorical, "1".to_owned(), 2)
        );
        let zip = t.column("zip").unwrap();
        assert_eq!(
            (zip.kind, zip.display(2)),
            (ColumnKind::Id, "00042".to_owned())
        );
        // A cell that is not a number becomes missing, and is counted.
        let amount = t.column("amount").unwrap();
        assert_eq!(amount.kind, ColumnKind::Numeric);
        assert_eq!(amount.missing, 1);
        assert_eq!(amount.number_at(2), 7.5);
        // Dates in three shapes: ISO, day-first (no month over 12) and an Excel serial.
        let joined = t.column("joined").unwrap();
        assert_eq!(joined.kind, ColumnKind::Date);
        assert_eq!(
            (0..3).map(|i| joined.display(i)).collect::<Vec<_>>(),
            ["2010-01-02", "2010-01-03", "2010-01-01"]
        );
        // Choosing a kind says the column is not personal data; `Personal` says it is.
        assert_eq!(t.column("email").unwrap().pii, None);
        assert_eq!(t.column("email").unwrap().kind, ColumnKind::Text);
        let vip = t.column("vip").unwrap();
        assert_eq!(
            (vip.kind, vip.pii),
            (ColumnKind::Text, Some(PiiKind::Other))
        );
        assert_eq!(
            chosen
                .report
                .chosen_columns
                .iter()
                .map(|c| (c.column.as_str(), c.unreadable))
                .collect::<Vec<_>>(),
            [
                ("visits", 0),
                ("zip", 0),
                ("amount", 1),
                ("joined", 0),
                ("email", 0),
                ("vip", 0)
            ]
        );
        assert_eq!(
            chosen.column_notes(&options),
            ["1 cell of “amount” is not a number; it counts as missing."]
        );
        // A choice for a column the file does not have changes nothing, and is noted.
        let nope = choose(&[("nope", ColumnChoice::Id)]);
        let other = read_bytes(file, &nope).unwrap();
        assert_eq!(other.table, detected.table);
        assert_eq!(
            other.column_notes(&nope),
            ["There is no column “nope” to read as id; check its name."]
        );
    }

    #[test]
    fn a_chosen_kind_on_a_number_column_reads_its_values() {
        // Without a header, columns are named `column_1`, …; the plan keeps the chosen
        // one as text, and yes/no reads 1 and 0 but not 2.
        let file = b"1,20101201\n0,20110115\n2,20120229\n";
        let options = ReadOptions {
            has_header: Some(false),
            ..choose(&[
                ("column_1", ColumnChoice::Boolean),
                ("column_2", ColumnChoice::Date),
            ])
        };
        let t = read_bytes(file, &options).unwrap().table;
        let flag = t.column("column_1").unwrap();
        assert_eq!(
            flag.data,
            crate::table::ColumnData::Boolean(vec![Some(true), Some(false), None])
        );
        assert_eq!(flag.missing, 1);
        assert_eq!(t.column("column_2").unwrap().display(2), "2012-02-29");
    }

    #[test]
    fn reading_options_round_trip_as_json_leaving_out_what_is_detected() {
        assert_eq!(
            serde_json::to_string(&ReadOptions::default()).unwrap(),
            "{}"
        );
        let options = ReadOptions {
            decimal: Some(Decimal::Comma),
            ..choose(&[("zip", ColumnChoice::Id), ("notes", ColumnChoice::Personal)])
        };
        let json = serde_json::to_string(&options).unwrap();
        assert_eq!(
            json,
            r#"{"decimal":"comma","columns":{"notes":"personal","zip":"id"}}"#
        );
        assert_eq!(serde_json::from_str::<ReadOptions>(&json).unwrap(), options);
    }

    #[test]
    fn reads_a_simple_file() {
        let loaded = read_bytes(b"id,spend\n1,10.5\n2,20\n", &ReadOptions::default()).unwrap();
        assert_eq!(loaded.report.dialect.separator, Separator::Byte(b','));
        assert!(loaded.report.dialect.has_header);
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
        assert!(loaded.report.problems[1].message.contains("dropped"));
        assert_eq!(loaded.table.column("c").unwrap().missing, 1);
    }

    #[test]
    fn utf8_that_is_not_utf8_after_the_head_is_read_again_as_windows_1252() {
        // Valid UTF-8 for the first 64 KiB, then a Latin-1 pound sign.
        let mut bytes = b"name,price\n".to_vec();
        while bytes.len() < HEAD_BYTES + 100 {
            bytes.extend_from_slice(b"plain,1\n");
        }
        bytes.extend_from_slice(b"caf\xE9,\xA310 off\n");
        let loaded = read_bytes(&bytes, &ReadOptions::default()).unwrap();
        assert_eq!(loaded.report.encoding, TextEncoding::Windows1252);
        let last = loaded.table.n_rows() - 1;
        assert_eq!(loaded.table.column("name").unwrap().display(last), "café");
        assert_eq!(
            loaded.table.column("price").unwrap().display(last),
            "£10 off"
        );
    }

    #[test]
    fn a_column_that_stops_being_numeric_after_the_head_is_read_again_as_text() {
        let mut text = String::from("id,amount,code\n");
        let mut i = 0;
        while text.len() < HEAD_BYTES + 1000 {
            text.push_str(&format!("{i},{}.5,{}\n", i % 100, 100 + i % 50));
            i += 1;
        }
        text.push_str("99999,not given,007\n");
        let loaded = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
        let t = &loaded.table;
        assert_eq!(t.n_rows(), i + 1);
        let amount = t.column("amount").unwrap();
        assert!(!amount.kind.is_numeric());
        assert_eq!(amount.display(i), "not given");
        assert_eq!(amount.display(0), "0.5", "earlier values keep their text");
        assert_eq!(t.column("code").unwrap().display(i), "007");
        let from_disk = read_seekable(
            &mut std::io::Cursor::new(text.as_bytes()),
            &ReadOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
        assert_eq!(&from_disk.table, t);
    }

    #[test]
    fn columns_are_sized_for_the_rows_the_file_holds() {
        let mut text = String::from("id,spend,country\n");
        for i in 0..200_000 {
            text.push_str(&format!("{i},{}.5,country {}\n", i % 1000, i % 9));
        }
        let mut ingest =
            Ingest::new(text.as_bytes(), text.len() as u64, &ReadOptions::default()).unwrap();
        for chunk in text.as_bytes().chunks(CHUNK / 4) {
            ingest.push(chunk).unwrap();
        }
        let rows = ingest.rows();
        for column in ingest.builder.columns() {
            let room = match column {
                crate::table::ColumnInput::Number { values, .. } => values.capacity(),
                crate::table::ColumnInput::Text(_) => continue,
            };
            // Doubling would leave up to twice the room; the estimate, a few percent.
            assert!(
                room >= rows && room <= rows + rows / 16,
                "{room} for {rows} rows"
            );
        }
        assert_eq!(
            ingest.finish(&mut NoProgress).unwrap().table.n_rows(),
            200_000
        );
    }

    #[test]
    fn seekable_sources_read_the_same_as_memory() {
        let text = "id;amount;when\n1;2,5;01/12/2010\n2;1.234,75;13/12/2010\n";
        let from_memory = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
        let from_disk = read_seekable(
            &mut std::io::Cursor::new(text.as_bytes()),
            &ReadOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
        assert_eq!(from_memory.table, from_disk.table);
        assert_eq!(from_memory.report, from_disk.report);
    }

    #[test]
    fn parse_keeps_fields_as_written() {
        let (parsed, dialect, encoding) =
            parse_records(b"a,b\n\" x \",\"y\"\"\"\n1,2,3\n", &ReadOptions::default()).unwrap();
        assert_eq!(parsed.header, vec!["a", "b"]);
        assert_eq!(parsed.rows, vec![vec![" x ", "y\""], vec!["1", "2", "3"]]);
        assert_eq!(dialect.separator, Separator::Byte(b','));
        assert_eq!(encoding, TextEncoding::Utf8);
    }
}
