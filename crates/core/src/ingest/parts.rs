//! Reading one file in several parts at once (in the browser: one part per helper
//! worker), with the same result as reading it in one go.
//!
//! The file is cut at line ends near equal offsets ([`split_points`], [`Span`]). The
//! first part is read by the [`Ingest`] that looked at the file's head; every other part
//! by [`Ingest::part`] with that reader's [`PartPlan`]. A cut is only right if the text
//! before it ended where a record starts (not inside a quoted value that holds a line
//! break): every part reports whether it did ([`Part::clean`]), and [`Ingest::join`]
//! refuses parts that follow an unclean end, so the caller reads the file in one go
//! instead. Rows, lines and problems are numbered as if read in one go.

use serde::{Deserialize, Serialize};

use super::encoding::TextDecoder;
use super::records::{ColumnPlan, RowsRead, TableBuilder};
use super::{
    Dialect, Ingest, IngestError, ReadOptions, RecordRef, Restart, Splitter, TextEncoding, Typing,
};
use crate::table::ColumnInput;

/// Where each of `parts` readers starts, before moving to the next line end: equal
/// shares of `total` bytes (the first always 0).
pub fn split_points(total: u64, parts: usize) -> Vec<u64> {
    let parts = parts.max(1) as u64;
    (0..parts).map(|i| total / parts * i).collect()
}

/// The bytes of a file one part's reader takes: from just after the first line end at
/// or after `from - 1` (from the start when `from` is 0) to just after the first line
/// end at or after `to - 1` (to the end when `to` is the file's size). Consecutive spans
/// meet exactly, so every byte is read once.
#[derive(Debug, Clone)]
pub struct Span {
    to: u64,
    total: u64,
    line_end: u8,
    /// Offset of the next byte [`Span::take`] is given.
    at: u64,
    started: bool,
    done: bool,
}

impl Span {
    /// The span starting near `from` and ending near `to` of a file of `total` bytes
    /// whose lines end with `line_end`.
    pub fn new(from: u64, to: u64, total: u64, line_end: u8) -> Span {
        Span {
            to: to.min(total),
            total,
            line_end,
            at: from.saturating_sub(1).min(total),
            started: from == 0,
            done: from >= total,
        }
    }

    /// The offset to start reading the file at (one before `from`, to see whether a line
    /// ends there).
    pub fn read_from(&self) -> u64 {
        self.at
    }

    /// Whether the span's last byte has been taken.
    pub fn done(&self) -> bool {
        self.done || self.at >= self.total
    }

    /// The part of `chunk` (the bytes that follow the last chunk) inside the span.
    pub fn take<'a>(&mut self, chunk: &'a [u8]) -> &'a [u8] {
        if self.done {
            return &[];
        }
        let mut chunk = chunk;
        if !self.started {
            match memchr::memchr(self.line_end, chunk) {
                Some(i) => {
                    self.started = true;
                    self.at += i as u64 + 1;
                    chunk = chunk.get(i + 1..).unwrap_or_default();
                    if self.at >= self.to && self.to < self.total {
                        // An earlier part's line ran past this part's whole share, so
                        // the next part starts here too: nothing is left for this one.
                        self.done = true;
                        return &[];
                    }
                }
                None => {
                    self.at += chunk.len() as u64;
                    return &[];
                }
            }
        }
        if self.to >= self.total {
            self.at += chunk.len() as u64;
            return chunk;
        }
        // The span ends after the first line end at or after `to - 1`.
        let search = self.to.saturating_sub(1).saturating_sub(self.at);
        let end = chunk
            .get(search as usize..)
            .and_then(|tail| memchr::memchr(self.line_end, tail))
            .map(|i| search as usize + i + 1);
        match end {
            Some(end) => {
                self.done = true;
                self.at += end as u64;
                chunk.get(..end).unwrap_or_default()
            }
            None => {
                self.at += chunk.len() as u64;
                chunk
            }
        }
    }
}

/// What a reader of a later part needs to read it as the first part's reader would.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartPlan {
    options: ReadOptions,
    text_columns: Vec<usize>,
    encoding: TextEncoding,
    guessed_utf8: bool,
    dialect: Dialect,
    columns: ColumnPlan,
}

/// A later part of a file, read; hand it to [`Ingest::join`].
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's columns.
    pub columns: Vec<ColumnInput>,
    /// Its rows, lines and problems, numbered from the part's start.
    pub read: RowsRead,
    /// Quote characters seen.
    pub quotes: u64,
    /// Whether the part ended where a record starts.
    pub clean: bool,
    /// Columns planned as numbers that met a value that is not one.
    pub not_numeric: Vec<usize>,
}

/// Why parts could not be joined.
#[derive(Debug, PartialEq)]
pub enum JoinError {
    /// A cut fell inside a record (or the parts do not fit together): read the file in
    /// one go.
    Whole,
    /// The file must be read again, as after [`Ingest::push`] returned this.
    Restart(Restart),
    /// The file cannot be read at all.
    Ingest(IngestError),
}

impl Ingest {
    /// What readers of later parts need, or `None` when this file is read in one go: text
    /// in UTF-16 (a line-end byte may be half of a character), or lines ending in `\r`
    /// alone (the cut could separate `\r` from `\n`).
    pub fn part_plan(&self) -> Option<PartPlan> {
        let cuttable = matches!(
            self.encoding,
            TextEncoding::Utf8 | TextEncoding::Windows1252
        ) && self.dialect.line_end == b'\n';
        cuttable.then(|| PartPlan {
            options: self.options.clone(),
            text_columns: self.text_columns.clone(),
            encoding: self.encoding,
            guessed_utf8: self.guessed_utf8,
            dialect: self.dialect,
            columns: self.builder.plan().clone(),
        })
    }

    /// A reader for a later part (push its [`Span`]'s bytes, then call
    /// [`Ingest::into_part`]).
    pub fn part(plan: PartPlan) -> Ingest {
        Ingest {
            text: TextDecoder::new(plan.encoding, false),
            options: plan.options,
            text_columns: plan.text_columns,
            decimal: plan.columns.decimal,
            encoding: plan.encoding,
            had_bom: false,
            guessed_utf8: plan.guessed_utf8,
            splitter: Splitter::new(&plan.dialect),
            builder: TableBuilder::continuing(&plan.dialect, plan.columns),
            dialect: plan.dialect,
            quotes: 0,
            part: true,
            consumed: 0,
            // Where the part ends is only known on the way: the end of the text is
            // signalled by `into_part`.
            total: u64::MAX,
        }
    }

    /// The part read (after its last bytes were pushed), or a [`Restart`] as from
    /// [`Ingest::push`].
    pub fn into_part(mut self) -> Result<Part, Restart> {
        self.decode(&[], true)?;
        let clean = self.splitter.at_record_start();
        let lines = self.splitter.lines();
        let builder = &mut self.builder;
        self.splitter
            .finish(&mut |r: &RecordRef<'_>| builder.push(r));
        let not_numeric = self.builder.not_numeric().to_vec();
        let (columns, mut read) = self.builder.into_rows();
        read.lines = lines;
        Ok(Part {
            columns,
            read,
            quotes: self.quotes,
            clean,
            not_numeric,
        })
    }

    /// This reader's rows (the first part, read to its span's end) followed by `parts`,
    /// ready to be typed.
    pub fn join(mut self, parts: Vec<Part>) -> Result<Typing, JoinError> {
        let mut clean = self.splitter.at_record_start();
        let lines = self.splitter.lines();
        let mut joined = Vec::with_capacity(parts.len());
        let last = parts.len().saturating_sub(1);
        let mut text_columns = self.text_columns.clone();
        for (i, part) in parts.into_iter().enumerate() {
            if !clean {
                return Err(JoinError::Whole);
            }
            clean = part.clean || i == last;
            self.quotes += part.quotes;
            for j in part.not_numeric {
                if !text_columns.contains(&j) {
                    text_columns.push(j);
                }
            }
            joined.push((part.columns, part.read));
        }
        if text_columns.len() > self.text_columns.len() {
            return Err(JoinError::Restart(Restart {
                options: self.options.clone(),
                text_columns,
            }));
        }
        if !self.builder.join(joined, lines) {
            return Err(JoinError::Whole);
        }
        self.into_typing().map_err(JoinError::Ingest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{HEAD_BYTES, Loaded, read_bytes};
    use crate::progress::NoProgress;

    /// Reads `bytes` in `parts` parts, each pushed in `chunk`-byte pieces.
    fn read_in_parts(bytes: &[u8], parts: usize, chunk: usize) -> Result<Loaded, JoinError> {
        let total = bytes.len() as u64;
        let head = bytes.get(..HEAD_BYTES).unwrap_or(bytes);
        let mut first =
            Ingest::new(head, total, &ReadOptions::default()).map_err(JoinError::Ingest)?;
        let plan = first.part_plan().ok_or(JoinError::Whole)?;
        let points = split_points(total, parts);
        let mut spans: Vec<Span> = points
            .iter()
            .enumerate()
            .map(|(i, from)| {
                let to = points.get(i + 1).copied().unwrap_or(total);
                Span::new(*from, to, total, b'\n')
            })
            .collect();
        let feed = |span: &mut Span, ingest: &mut Ingest| {
            let mut at = span.read_from() as usize;
            while !span.done() {
                let piece = &bytes[at..(at + chunk).min(bytes.len())];
                at += piece.len();
                let taken = span.take(piece);
                ingest.push(taken).map_err(JoinError::Restart)?;
            }
            Ok(())
        };
        let (head_span, rest) = spans.split_first_mut().unwrap();
        feed(head_span, &mut first)?;
        let later = rest
            .iter_mut()
            .map(|span| {
                let mut part = Ingest::part(plan.clone());
                feed(span, &mut part)?;
                part.into_part().map_err(JoinError::Restart)
            })
            .collect::<Result<Vec<Part>, JoinError>>()?;
        let mut typing = first.join(later)?;
        while typing.step() {}
        Ok(typing.finish())
    }

    fn same_as_whole(text: &str) {
        let whole = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
        for parts in [2, 3, 5, 8] {
            for chunk in [1, 7, 64, 1 << 20] {
                let split = read_in_parts(text.as_bytes(), parts, chunk)
                    .unwrap_or_else(|e| panic!("{parts} parts, {chunk}-byte chunks: {e:?}"));
                assert_eq!(
                    split.table, whole.table,
                    "{parts} parts, {chunk}-byte chunks"
                );
                assert_eq!(
                    split.report, whole.report,
                    "{parts} parts, {chunk}-byte chunks"
                );
            }
        }
    }

    #[test]
    fn spans_meet_at_line_ends() {
        let text = b"ab\ncd\nef\n\ngh";
        let total = text.len() as u64;
        for parts in 1..=8 {
            let points = split_points(total, parts);
            let mut all = Vec::new();
            for (i, from) in points.iter().enumerate() {
                let to = points.get(i + 1).copied().unwrap_or(total);
                let mut span = Span::new(*from, to, total, b'\n');
                let mut at = span.read_from() as usize;
                while !span.done() {
                    let taken = span.take(&text[at..(at + 2).min(text.len())]);
                    all.extend_from_slice(taken);
                    at = (at + 2).min(text.len());
                }
            }
            assert_eq!(all, text, "{parts} parts");
        }
    }

    #[test]
    fn parts_read_the_same_as_the_whole_file() {
        let mut text = String::from("id;amount;name;when\n");
        for i in 0..300 {
            match i % 50 {
                7 => text.push_str(&format!("{i};1,5\n")),
                13 => text.push_str(&format!("{i};2,25;x;01/12/2010;extra\n")),
                21 => text.push('\n'),
                _ => text.push_str(&format!(
                    "{i};{},{};name {i};{:02}/12/2010\r\n",
                    i % 97,
                    i % 10,
                    i % 28 + 1
                )),
            }
        }
        text.push_str("300;7,5;last;31/12/2010");
        same_as_whole(&text);
    }

    #[test]
    fn a_cut_inside_a_quoted_line_break_reads_the_file_whole() {
        let mut text = String::from("id,note\n");
        for i in 0..200 {
            text.push_str(&format!("{i},\"line one\nline two of {i}\"\n"));
        }
        let split = read_in_parts(text.as_bytes(), 4, 64);
        assert_eq!(split.unwrap_err(), JoinError::Whole);
        same_as_whole_or_refused(&text);
    }

    /// Every cut either reads the same as the whole file or is refused (a restart in
    /// this harness, which only reads once, counts as refused when the file has no
    /// columns of numbers that are not).
    fn same_as_whole_or_refused(text: &str) {
        let whole = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
        for parts in 2..6 {
            match read_in_parts(text.as_bytes(), parts, 100) {
                Err(JoinError::Restart(r)) => {
                    let again = read_bytes(text.as_bytes(), &r.options).unwrap();
                    assert_eq!(format!("{:?}", again.table), format!("{:?}", whole.table));
                }
                // Debug text, as NaN (a missing number) is not equal to itself.
                Ok(split) => assert_eq!(format!("{:?}", split.table), format!("{:?}", whole.table)),
                Err(e) => assert_eq!(e, JoinError::Whole),
            }
        }
    }

    #[test]
    fn random_files_read_the_same_in_parts_or_are_refused() {
        let mut rng = crate::rng::Rng::new(11);
        let cells = [
            "1",
            "-2.5",
            "x",
            "\"a,b\"",
            "\"two\nlines\"",
            "",
            "\"say \"\"hi\"\"\"",
        ];
        for _ in 0..200 {
            let mut text = String::from("a,b,c\n");
            for _ in 0..rng.below(40) + 1 {
                let n = rng.below(4) + 1;
                let row: Vec<&str> = (0..n).map(|_| cells[rng.below(cells.len())]).collect();
                text.push_str(&row.join(","));
                text.push_str(["\n", "\r\n"][rng.below(2)]);
            }
            same_as_whole_or_refused(&text);
        }
        let _ = NoProgress;
    }
}
