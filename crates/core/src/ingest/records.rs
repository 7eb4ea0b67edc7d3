//! Splitting decoded text into records, chunk by chunk, and collecting them column by
//! column.
//!
//! [`Splitter`] is push-based: feed it text in pieces of any size (a file read in slices)
//! and it hands back complete records. Quoted CSV goes through `csv-core`, the incremental
//! parser inside the `csv` crate (RFC 4180 quoting, `\n`, `\r\n` and `\r` line ends, blank
//! lines skipped); column-aligned text is split on runs of whitespace. [`TableBuilder`]
//! turns records into per-column text and notes every odd row as a [`Problem`].

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::dialect::{Dialect, Separator};
use super::{MAX_PROBLEMS, Problem};
use crate::table::RawColumn;

/// One complete record, borrowed from the splitter.
pub struct RecordRef<'a> {
    data: &'a [u8],
    ends: &'a [usize],
    /// Line where the record starts, counting from 1.
    pub line: u64,
    /// Whether the record ended with a line break (false only for a final unterminated line).
    pub terminated: bool,
}

impl<'a> RecordRef<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i`, as parsed (quotes removed, escapes resolved).
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..end)
    }

    /// All fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    fn is_blank(&self) -> bool {
        self.fields().all(|f| f.iter().all(u8::is_ascii_whitespace))
    }
}

enum Mode {
    Csv(Box<Reader>),
    /// Bytes of the current, incomplete line.
    Whitespace(Vec<u8>),
}

/// Push-based record splitter.
pub struct Splitter {
    mode: Mode,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// Line ends consumed so far.
    lines: u64,
    line_end: u8,
    comment: Option<u8>,
    separator: Separator,
}

impl Splitter {
    /// A splitter for `dialect`.
    pub fn new(dialect: &Dialect) -> Splitter {
        let mode = match dialect.separator {
            Separator::Byte(delimiter) => Mode::Csv(Box::new(
                ReaderBuilder::new()
                    .delimiter(delimiter)
                    .quote(dialect.quote)
                    .escape(dialect.escape)
                    .double_quote(dialect.escape.is_none())
                    .comment(dialect.comment)
                    .build(),
            )),
            Separator::Whitespace => Mode::Whitespace(Vec::new()),
        };
        Splitter {
            mode,
            out: vec![0; 4096],
            ends: vec![0; 64],
            nout: 0,
            nend: 0,
            lines: 0,
            line_end: dialect.line_end,
            comment: dialect.comment,
            separator: dialect.separator,
        }
    }

    /// Feeds the next piece of text; `on_record` receives each record completed by it.
    pub fn feed(&mut self, input: &[u8], on_record: &mut impl FnMut(&RecordRef<'_>)) {
        match self.mode {
            Mode::Csv(_) => self.feed_csv(input, false, on_record),
            Mode::Whitespace(_) => self.feed_whitespace(input, false, on_record),
        }
    }

    /// Signals the end of the text, emitting a final record without a line break, if any.
    pub fn finish(&mut self, on_record: &mut impl FnMut(&RecordRef<'_>)) {
        match self.mode {
            Mode::Csv(_) => self.feed_csv(&[], true, on_record),
            Mode::Whitespace(_) => self.feed_whitespace(&[], true, on_record),
        }
    }

    fn feed_csv(
        &mut self,
        mut input: &[u8],
        last: bool,
        on_record: &mut impl FnMut(&RecordRef<'_>),
    ) {
        let Mode::Csv(reader) = &mut self.mode else {
            return;
        };
        loop {
            let (result, nin, nout, nend) = reader.read_record(
                input,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            let consumed = &input[..nin];
            let line_ends = count_byte(consumed, self.line_end);
            // A record's terminator is consumed with it; whether this piece ended on one
            // decides `terminated` for a final line.
            let ended_on_break = consumed.last().is_some_and(|b| *b == b'\n' || *b == b'\r');
            self.lines += line_ends;
            input = &input[nin..];
            self.nout += nout;
            self.nend += nend;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !last {
                        return;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let data = &self.out[..self.nout];
                    let embedded = count_byte(data, self.line_end);
                    let terminated = !(last && !ended_on_break && input.is_empty());
                    let line = (self.lines + 1)
                        .saturating_sub(embedded + u64::from(terminated && line_ends > 0));
                    let record = RecordRef {
                        data,
                        ends: &self.ends[..self.nend],
                        line: line.max(1),
                        terminated,
                    };
                    if !record.is_blank() {
                        on_record(&record);
                    }
                    self.nout = 0;
                    self.nend = 0;
                }
                ReadRecordResult::End => return,
            }
        }
    }

    fn feed_whitespace(
        &mut self,
        input: &[u8],
        last: bool,
        on_record: &mut impl FnMut(&RecordRef<'_>),
    ) {
        let Mode::Whitespace(partial) = &mut self.mode else {
            return;
        };
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut rest = input;
        while let Some(i) = rest.iter().position(|b| *b == self.line_end) {
            let mut line = std::mem::take(partial);
            line.extend_from_slice(&rest[..i]);
            lines.push(line);
            rest = &rest[i + 1..];
        }
        partial.extend_from_slice(rest);
        let tail = (last && !partial.is_empty()).then(|| std::mem::take(partial));
        let n_terminated = lines.len();
        for (k, line) in lines.into_iter().chain(tail).enumerate() {
            let terminated = k < n_terminated;
            self.lines += u64::from(terminated);
            let line_no = if terminated {
                self.lines
            } else {
                self.lines + 1
            };
            let text = line.strip_suffix(b"\r").unwrap_or(&line);
            if self.comment.is_some_and(|c| text.first() == Some(&c)) {
                continue;
            }
            self.out.clear();
            self.ends.clear();
            for field in text
                .split(|b| *b == b' ' || *b == b'\t')
                .filter(|f| !f.is_empty())
            {
                self.out.extend_from_slice(field);
                self.ends.push(self.out.len());
            }
            if self.ends.is_empty() {
                continue;
            }
            on_record(&RecordRef {
                data: &self.out,
                ends: &self.ends,
                line: line_no,
                terminated,
            });
        }
        debug_assert_eq!(self.separator, Separator::Whitespace);
    }
}

/// Counts occurrences of `byte` (the compiler vectorizes this loop).
pub fn count_byte(bytes: &[u8], byte: u8) -> u64 {
    bytes.iter().filter(|b| **b == byte).count() as u64
}

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

/// Collects records into per-column text, padding short rows and cutting long ones.
pub struct TableBuilder {
    has_header: bool,
    header: Option<Vec<String>>,
    columns: Vec<RawColumn>,
    rows: usize,
    problems: Vec<Problem>,
    problem_count: u64,
    separator: Separator,
    /// Line, termination and field count of the last record added.
    last: Option<(u64, bool, usize)>,
}

impl TableBuilder {
    /// A builder for `dialect`.
    pub fn new(dialect: &Dialect) -> TableBuilder {
        TableBuilder {
            has_header: dialect.has_header,
            header: None,
            columns: Vec::new(),
            rows: 0,
            problems: Vec::new(),
            problem_count: 0,
            separator: dialect.separator,
            last: None,
        }
    }

    /// Number of data rows so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn note(&mut self, row: u64, line: u64, message: String) {
        self.problem_count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { row, line, message });
        }
    }

    /// Takes one record.
    pub fn push(&mut self, record: &RecordRef<'_>) {
        if self.header.is_none() {
            let width = record.len();
            let header = if self.has_header {
                record
                    .fields()
                    .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                    .collect()
            } else {
                (1..=width).map(|i| format!("column_{i}")).collect()
            };
            self.columns = (0..width).map(|_| RawColumn::default()).collect();
            self.header = Some(header);
            if self.has_header {
                return;
            }
        }
        self.add(record.fields(), record.len(), record.line);
        self.last = Some((record.line, record.terminated, record.len()));
    }

    fn add<'f>(&mut self, fields: impl Iterator<Item = &'f [u8]>, n: usize, line: u64) {
        let width = self.columns.len();
        self.rows += 1;
        let row = self.rows as u64;
        let mut fields = fields;
        for column in self.columns.iter_mut() {
            column.push(fields.next().unwrap_or(&[]));
        }
        if n < width {
            self.note(row, line, format!("This row has {n} fields instead of {width}; the missing fields were left empty."));
        } else if n > width {
            let extra_empty = fields.all(|f| f.iter().all(u8::is_ascii_whitespace));
            let message = if extra_empty {
                format!(
                    "This row has {n} fields instead of {width}; the extra empty fields were dropped."
                )
            } else {
                format!(
                    "This row has {n} fields instead of {width}; the extra fields were dropped. A value may contain an unquoted delimiter."
                )
            };
            self.note(row, line, message);
        }
    }

    /// Completes the table. `runaway_quote` says the text ended inside a quoted value, in
    /// which case the final row swallowed the rest of the file and is split again with
    /// quotes read as ordinary characters.
    pub fn finish(mut self, runaway_quote: bool) -> RawTable {
        if let Some((line, terminated, n)) = self.last {
            let width = self.columns.len();
            let last_row = self.rows as u64;
            let runaway_lines = self
                .columns
                .get(n.min(width).saturating_sub(1))
                .map_or(0, |c| count_byte(c.get(self.rows - 1).as_bytes(), b'\n'));
            match self.separator {
                Separator::Byte(delimiter) if runaway_quote && runaway_lines >= 2 => {
                    // Take the last row back out of every column, then keep its real fields.
                    let mut fields: Vec<Vec<u8>> = self
                        .columns
                        .iter_mut()
                        .map(|c| c.pop().unwrap_or_default())
                        .collect();
                    fields.truncate(n.min(width));
                    self.rows -= 1;
                    let before = self.problems.len();
                    self.problems.retain(|p| p.row != last_row);
                    self.problem_count -= (before - self.problems.len()) as u64;
                    self.note(
                        last_row,
                        line,
                        format!(
                            "A quote mark in this row opens a value that never closes, so the rest of the file ({runaway_lines} lines) would have become one value. From here on, quote marks were read as ordinary characters."
                        ),
                    );
                    for (k, r) in recover_runaway(&fields, delimiter).iter().enumerate() {
                        self.add(r.iter().map(Vec::as_slice), r.len(), line + k as u64);
                    }
                }
                _ if !terminated && n < width => {
                    if let Some(p) = self.problems.iter_mut().rev().find(|p| p.row == last_row) {
                        p.message = format!(
                            "The last row has {n} fields instead of {width}; the file may have been cut off. The missing fields were left empty."
                        );
                    }
                }
                _ => {}
            }
        }
        let (names, renamed) = unique_names(self.header.unwrap_or_default());
        RawTable {
            names,
            columns: self.columns,
            rows: self.rows,
            problems: self.problems,
            problem_count: self.problem_count,
            renamed,
        }
    }
}

/// Splits a record whose last field ran to the end of the file: the field's first line,
/// split on `delimiter`, completes the record; every later line is split the same way,
/// without quoting.
fn recover_runaway(fields: &[Vec<u8>], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
    let Some((runaway, before)) = fields.split_last() else {
        return Vec::new();
    };
    let mut lines = runaway
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let mut first: Vec<Vec<u8>> = before.to_vec();
    let mut rows = Vec::new();
    if let Some(head) = lines.next() {
        first.extend(head.split(|b| *b == delimiter).map(<[u8]>::to_vec));
    }
    rows.push(first);
    for line in lines.filter(|l| !l.iter().all(u8::is_ascii_whitespace)) {
        rows.push(
            line.split(|b| *b == delimiter)
                .map(<[u8]>::to_vec)
                .collect(),
        );
    }
    rows
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

    /// Splits `text` fed in pieces of `piece` bytes; returns (fields, line, terminated).
    fn split(text: &str, dialect: &Dialect, piece: usize) -> Vec<(Vec<String>, u64, bool)> {
        let mut s = Splitter::new(dialect);
        let mut out = Vec::new();
        let mut take = |r: &RecordRef<'_>| {
            out.push((
                r.fields()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
                r.line,
                r.terminated,
            ));
        };
        for chunk in text.as_bytes().chunks(piece.max(1)) {
            s.feed(chunk, &mut take);
        }
        s.finish(&mut take);
        out
    }

    fn fields(text: &str, piece: usize) -> Vec<Vec<String>> {
        split(text, &Dialect::default(), piece)
            .into_iter()
            .map(|r| r.0)
            .collect()
    }

    #[test]
    fn same_records_whatever_the_chunk_size() {
        let text = "a,b\r\n\"x, y\",\"line1\nline2\"\r\n\r\n\"say \"\"hi\"\"\",2\r\nlast,row";
        let whole = fields(text, text.len());
        assert_eq!(
            whole,
            vec![
                vec!["a", "b"],
                vec!["x, y", "line1\nline2"],
                vec!["say \"hi\"", "2"],
                vec!["last", "row"]
            ]
        );
        for piece in [1, 2, 3, 5, 7, 11] {
            assert_eq!(fields(text, piece), whole, "piece {piece}");
        }
    }

    #[test]
    fn line_numbers_and_termination() {
        let text = "a,b\n\n1,\"two\nlines\"\n3,4\n5,6";
        let recs = split(text, &Dialect::default(), 3);
        let lines: Vec<u64> = recs.iter().map(|r| r.1).collect();
        assert_eq!(lines, vec![1, 3, 5, 6]);
        assert!(recs[2].2);
        assert!(!recs[3].2);
    }

    #[test]
    fn cr_only_line_ends() {
        let d = Dialect {
            line_end: b'\r',
            ..Dialect::default()
        };
        let recs = split("a,b\r1,2\r3,4\r", &d, 4);
        assert_eq!(recs.iter().map(|r| r.1).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(recs[2].0, vec!["3", "4"]);
    }

    #[test]
    fn whitespace_aligned_columns() {
        let d = Dialect {
            separator: Separator::Whitespace,
            ..Dialect::default()
        };
        let recs = split(
            "id   name   amount\r\n1    Ann    10.5\n\n2    Bob    7",
            &d,
            4,
        );
        assert_eq!(
            recs.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            vec![
                vec!["id", "name", "amount"],
                vec!["1", "Ann", "10.5"],
                vec!["2", "Bob", "7"]
            ]
        );
        assert_eq!(recs[2].1, 4);
        assert!(!recs[2].2);
    }

    fn build(text: &str) -> RawTable {
        let d = Dialect::default();
        let mut s = Splitter::new(&d);
        let mut b = TableBuilder::new(&d);
        let mut take = |r: &RecordRef<'_>| b.push(r);
        s.feed(text.as_bytes(), &mut take);
        s.finish(&mut take);
        let runaway = count_byte(text.as_bytes(), b'"') % 2 == 1;
        b.finish(runaway)
    }

    #[test]
    fn ragged_and_truncated_rows_are_reported() {
        let t = build("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11");
        assert_eq!(t.rows, 4);
        assert_eq!(t.problem_count, 3);
        assert_eq!((t.problems[0].row, t.problems[0].line), (2, 3));
        assert!(t.problems[1].message.contains("extra fields were dropped"));
        assert!(
            t.problems[2].message.contains("cut off"),
            "{}",
            t.problems[2].message
        );
        assert_eq!(t.columns[2].get(1), "");
    }

    #[test]
    fn a_quote_that_never_closes_does_not_swallow_the_file() {
        let t = build("id,note,amount\n1,fine,10\n2,\"broken,20\n3,next,30\n4,more,40\n");
        assert_eq!(t.rows, 4);
        assert_eq!(t.problem_count, 1);
        assert_eq!((t.problems[0].row, t.problems[0].line), (2, 3));
        assert!(t.problems[0].message.contains("never closes"));
        assert_eq!(t.columns[1].get(1), "broken");
        assert_eq!(t.columns[2].get(1), "20");
        assert_eq!(t.columns[1].get(2), "next");
        assert_eq!(t.columns[2].get(3), "40");
    }

    #[test]
    fn blank_and_duplicate_names_are_made_unique() {
        let t = build("id,,id,ID\n1,2,3,4\n");
        assert_eq!(t.names, vec!["id", "column_2", "id_2", "ID_3"]);
        assert_eq!(t.renamed.len(), 3);
    }

    #[test]
    fn headerless_files_get_column_names() {
        let d = Dialect {
            has_header: false,
            ..Dialect::default()
        };
        let mut s = Splitter::new(&d);
        let mut b = TableBuilder::new(&d);
        let mut take = |r: &RecordRef<'_>| b.push(r);
        s.feed(b"1,2\n3,4\n", &mut take);
        s.finish(&mut take);
        let t = b.finish(false);
        assert_eq!(
            (t.names, t.rows),
            (vec!["column_1".to_owned(), "column_2".to_owned()], 2)
        );
    }
}
