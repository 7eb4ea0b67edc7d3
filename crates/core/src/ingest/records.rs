//! Splitting decoded text into records, chunk by chunk, and collecting them column by
//! column.
//!
//! [`Splitter`] is push-based: feed it text in pieces of any size (a file read in slices)
//! and it hands back complete records. Lines without a quote character — nearly every line
//! of a numeric export — are split directly with `memchr`; lines with one go through
//! `csv-core`, the incremental parser inside the `csv` crate (RFC 4180 quoting, quoted line
//! breaks, escapes, comments). Column-aligned text is split on runs of whitespace.
//! [`TableBuilder`] stores records column by column — numbers parsed on the spot for
//! columns the head of the file showed to be numeric — and notes every odd row as a
//! [`Problem`].

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use memchr::{memchr, memchr_iter};
use serde::{Deserialize, Serialize};

use super::dialect::{Dialect, Separator};
use super::{MAX_PROBLEMS, Problem};
use crate::table::values::{
    Decimal, Plain, has_leading_zero, is_missing, parse_number, parse_plain, pow10, starts_numeric,
};
use crate::table::{ColumnInput, RawColumn};

/// One complete record, borrowed from the splitter.
pub struct RecordRef<'a> {
    data: &'a [u8],
    layout: Layout<'a>,
    /// Line where the record starts, counting from 1.
    pub line: u64,
    /// Whether the record ended with a line break (false only for a final unterminated line).
    pub terminated: bool,
}

/// Where a record's fields are in its bytes.
#[derive(Clone, Copy)]
enum Layout<'a> {
    /// Field `i` ends at `ends[i]`; the next starts `gap` bytes later (0 for `csv-core`'s
    /// output, 1 for the delimiter of a split line).
    Ends { ends: &'a [usize], gap: usize },
    /// A line without quotes, not yet split: fields are separated by this byte. The table
    /// builder splits and parses numbers in one pass over it.
    Line(u8),
}

impl<'a> RecordRef<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        match self.layout {
            Layout::Ends { ends, .. } => ends.len(),
            Layout::Line(d) => 1 + count_byte(self.data, d) as usize,
        }
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Field `i`, as parsed (quotes removed, escapes resolved).
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        self.fields().nth(i)
    }

    /// All fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let data = self.data;
        let (line, split) = match self.layout {
            Layout::Line(d) => (Some(data.split(move |b| *b == d)), None),
            Layout::Ends { ends, gap } => (
                None,
                Some((0..ends.len()).filter_map(move |i| {
                    let end = *ends.get(i)?;
                    let start = match i.checked_sub(1) {
                        None => 0,
                        Some(previous) => *ends.get(previous)? + gap,
                    };
                    data.get(start..end)
                })),
            ),
        };
        line.into_iter()
            .flatten()
            .chain(split.into_iter().flatten())
    }

    fn is_blank(&self) -> bool {
        match self.layout {
            Layout::Line(d) => self.data.iter().all(|b| *b == d || b.is_ascii_whitespace()),
            Layout::Ends { .. } => self.fields().all(|f| f.iter().all(u8::is_ascii_whitespace)),
        }
    }
}

/// Push-based record splitter.
pub struct Splitter {
    dialect: Dialect,
    core: Reader,
    /// `csv-core` is in the middle of a record.
    in_record: bool,
    /// An incomplete line carried over to the next piece.
    carry: Vec<u8>,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// Line ends consumed so far.
    lines: u64,
}

impl Splitter {
    /// A splitter for `dialect`.
    pub fn new(dialect: &Dialect) -> Splitter {
        let delimiter = match dialect.separator {
            Separator::Byte(b) => b,
            Separator::Whitespace => b' ',
        };
        Splitter {
            dialect: *dialect,
            core: ReaderBuilder::new()
                .delimiter(delimiter)
                .quote(dialect.quote)
                .escape(dialect.escape)
                .double_quote(dialect.escape.is_none())
                .comment(dialect.comment)
                .build(),
            in_record: false,
            carry: Vec::new(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            nout: 0,
            nend: 0,
            lines: 0,
        }
    }

    /// Feeds the next piece of text; `on_record` receives each record completed by it.
    pub fn feed(&mut self, mut input: &[u8], on_record: &mut impl FnMut(&RecordRef<'_>)) {
        let le = self.dialect.line_end;
        loop {
            if self.in_record {
                // csv-core reads an empty slice as the end of the file: only give it bytes.
                if input.is_empty() {
                    return;
                }
                input = self.feed_core(input, false, on_record);
                if self.in_record {
                    return;
                }
            }
            if !self.carry.is_empty() {
                let Some(i) = memchr(le, input) else {
                    self.carry.extend_from_slice(input);
                    return;
                };
                let mut line = std::mem::take(&mut self.carry);
                let (head, tail) = input.split_at(i + 1);
                line.extend_from_slice(head);
                input = tail;
                let rest = self.line(&line, true, on_record);
                // csv-core may stop between `\r` and `\n`: the rest is more of the stream.
                if !rest.is_empty() {
                    self.feed(rest, on_record);
                }
                line.clear();
                if self.carry.is_empty() {
                    self.carry = line;
                }
                continue;
            }
            let Some(i) = memchr(le, input) else {
                self.carry.extend_from_slice(input);
                return;
            };
            let (line, rest) = input.split_at(i + 1);
            if self.needs_core(line) {
                // Let csv-core read the record from here, across line breaks if quoted.
                input = self.feed_core(input, false, on_record);
            } else {
                self.fast_line(line, true, on_record);
                input = rest;
            }
        }
    }

    /// Signals the end of the text, emitting a final record without a line break, if any.
    pub fn finish(&mut self, on_record: &mut impl FnMut(&RecordRef<'_>)) {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            self.line(&line, false, on_record);
        }
        if self.in_record {
            self.feed_core(&[], true, on_record);
        }
    }

    /// Whether the text so far ended where a record starts (not inside a quoted value
    /// or a line), so what follows can be split on its own.
    pub fn at_record_start(&self) -> bool {
        !self.in_record && self.carry.is_empty()
    }

    /// Line ends read so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    fn needs_core(&self, line: &[u8]) -> bool {
        self.dialect.separator != Separator::Whitespace
            && memchr(self.dialect.quote, line).is_some()
    }

    /// A complete line from the carry buffer (or the final, unterminated one).
    fn line<'i>(
        &mut self,
        line: &'i [u8],
        terminated: bool,
        on_record: &mut impl FnMut(&RecordRef<'_>),
    ) -> &'i [u8] {
        if self.needs_core(line) {
            let rest = self.feed_core(line, !terminated, on_record);
            if !terminated && self.in_record {
                self.feed_core(&[], true, on_record);
            }
            rest
        } else {
            self.fast_line(line, terminated, on_record);
            &[]
        }
    }

    /// Splits a quote-free line directly.
    fn fast_line(
        &mut self,
        line: &[u8],
        terminated: bool,
        on_record: &mut impl FnMut(&RecordRef<'_>),
    ) {
        let line_no = self.lines + 1;
        let le = self.dialect.line_end;
        let mut text = line;
        if let Some(rest) = text.strip_suffix(&[le]) {
            text = rest;
            self.lines += 1;
        }
        if le == b'\n'
            && let Some(rest) = text.strip_suffix(b"\r")
        {
            text = rest;
        }
        if text.is_empty()
            || self
                .dialect
                .comment
                .is_some_and(|c| text.first() == Some(&c))
        {
            return;
        }
        match self.dialect.separator {
            Separator::Byte(d) => {
                let record = RecordRef {
                    data: text,
                    layout: Layout::Line(d),
                    line: line_no,
                    terminated,
                };
                if !record.is_blank() {
                    on_record(&record);
                }
            }
            Separator::Whitespace => {
                self.out.clear();
                self.ends.clear();
                for field in text
                    .split(|b| *b == b' ' || *b == b'\t')
                    .filter(|f| !f.is_empty())
                {
                    self.out.extend_from_slice(field);
                    self.ends.push(self.out.len());
                }
                if !self.ends.is_empty() {
                    on_record(&RecordRef {
                        data: &self.out,
                        layout: Layout::Ends {
                            ends: &self.ends,
                            gap: 0,
                        },
                        line: line_no,
                        terminated,
                    });
                }
            }
        }
    }

    /// Runs `csv-core` until it completes one record (or, with `last`, the input ends);
    /// returns the input left after that record.
    #[expect(
        clippy::indexing_slicing,
        reason = "csv-core reports counts within the buffers it was given: nout <= out.len(), \
                  nend <= ends.len(), nin <= input.len()"
    )]
    fn feed_core<'i>(
        &mut self,
        mut input: &'i [u8],
        last: bool,
        on_record: &mut impl FnMut(&RecordRef<'_>),
    ) -> &'i [u8] {
        if !self.in_record {
            self.nout = 0;
            self.nend = 0;
            self.ends.resize(self.ends.len().max(64), 0);
        }
        self.in_record = true;
        loop {
            if self.ends.len() <= self.nend {
                self.ends.resize(self.nend * 2 + 64, 0);
            }
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            let consumed = &input[..nin];
            let line_ends = count_byte(consumed, self.dialect.line_end);
            let ended_on_break = consumed.last().is_some_and(|b| *b == b'\n' || *b == b'\r');
            self.lines += line_ends;
            input = &input[nin..];
            self.nout += nout;
            self.nend += nend;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !last {
                        return input;
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
                    self.in_record = false;
                    let data = &self.out[..self.nout];
                    let embedded = count_byte(data, self.dialect.line_end);
                    let terminated = !(last && !ended_on_break && input.is_empty());
                    let line = (self.lines + 1)
                        .saturating_sub(embedded + u64::from(terminated && line_ends > 0));
                    let record = RecordRef {
                        data,
                        layout: Layout::Ends {
                            ends: &self.ends[..self.nend],
                            gap: 0,
                        },
                        line: line.max(1),
                        terminated,
                    };
                    if !record.is_blank() {
                        on_record(&record);
                    }
                    return input;
                }
                ReadRecordResult::End => {
                    self.in_record = false;
                    return input;
                }
            }
        }
    }
}

/// Counts occurrences of `byte`.
pub fn count_byte(bytes: &[u8], byte: u8) -> u64 {
    memchr_iter(byte, bytes).count() as u64
}

/// Records split into columns, before typing.
#[derive(Debug)]
pub struct RawTable {
    /// Unique, non-blank column names.
    pub names: Vec<String>,
    /// One column per name.
    pub columns: Vec<ColumnInput>,
    /// Number of data rows.
    pub rows: usize,
    /// Problems found (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<Problem>,
    /// Total problems found.
    pub problem_count: u64,
    /// Renamed header cells as `(original, new)`.
    pub renamed: Vec<(String, String)>,
}

/// What a reader of part of a file found besides its columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowsRead {
    /// Data rows.
    pub rows: usize,
    /// Line ends read.
    pub lines: u64,
    /// Problems, numbered from the part's start (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<Problem>,
    /// Problems found in all.
    pub problem_count: u64,
    /// Line (from the part's start), termination and field count of the last record.
    pub last: Option<(u64, bool, usize)>,
}

/// How to store each column while reading: which are parsed as numbers on the spot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnPlan {
    /// `numeric[j]`: column `j` looked numeric in the head of the file.
    pub numeric: Vec<bool>,
    /// Decimal separator for those numbers.
    pub decimal: Option<Decimal>,
    /// The user's extra missing-value word.
    pub missing_token: Option<String>,
}

/// Collects records into columns, padding short rows and cutting long ones.
pub struct TableBuilder {
    has_header: bool,
    header: Option<Vec<String>>,
    plan: ColumnPlan,
    columns: Vec<ColumnInput>,
    rows: usize,
    problems: Vec<Problem>,
    problem_count: u64,
    separator: Separator,
    /// Columns planned as numbers that met a value that is not one.
    not_numeric: Vec<usize>,
    /// Line, termination and field count of the last record added.
    last: Option<(u64, bool, usize)>,
    /// Rows every column has room for.
    room: usize,
    /// Rows the whole file is expected to hold (0: unknown), from how much of it was read.
    expected: usize,
}

impl TableBuilder {
    /// A builder for `dialect` storing columns as `plan` says.
    pub fn new(dialect: &Dialect, plan: ColumnPlan) -> TableBuilder {
        TableBuilder {
            has_header: dialect.has_header,
            header: None,
            plan,
            columns: Vec::new(),
            rows: 0,
            problems: Vec::new(),
            problem_count: 0,
            separator: dialect.separator,
            not_numeric: Vec::new(),
            last: None,
            room: 0,
            expected: 0,
        }
    }

    /// A builder for a part of a file after its first line: no header; columns as the
    /// first part's head planned them.
    pub fn continuing(dialect: &Dialect, plan: ColumnPlan) -> TableBuilder {
        let mut builder = TableBuilder::new(dialect, plan);
        builder.columns = builder.empty_columns(builder.plan.numeric.len());
        builder.header = Some(Vec::new());
        builder
    }

    /// The columns so far.
    #[cfg(test)]
    pub(crate) fn columns(&self) -> &[ColumnInput] {
        &self.columns
    }

    /// Says how many rows the whole file is expected to hold (from the share read so far).
    pub fn expect_rows(&mut self, rows: usize) {
        self.expected = rows;
    }

    /// Before a row is added: if a column is full, gives every column room up to the rows
    /// expected (at most twice as many as now). Left to themselves, columns double, so on a
    /// large file they hold up to twice the room they need, and each doubling briefly holds
    /// both copies; WebAssembly memory never shrinks, so such peaks stay.
    fn make_room(&mut self) {
        if self.rows < self.room {
            return;
        }
        // Small steps first: a file of thousands of columns and a few rows stays small.
        let doubled = self.rows * 2 + 16;
        let target = if self.expected > self.rows {
            // A little beyond the estimate, so a slightly low one does not double.
            (self.expected + self.expected / 32 + 16).min(doubled)
        } else {
            doubled
        };
        for column in &mut self.columns {
            let more = target.saturating_sub(column.len());
            match column {
                ColumnInput::Number { values, .. } => values.reserve_exact(more),
                ColumnInput::Text(t) => t.reserve(more, 0),
            }
        }
        self.room = target;
    }

    /// `width` empty columns, numbers where the plan says.
    fn empty_columns(&self, width: usize) -> Vec<ColumnInput> {
        (0..width)
            .map(|j| {
                if self.plan.numeric.get(j).copied().unwrap_or(false) {
                    ColumnInput::Number {
                        values: Vec::new(),
                        missing: 0,
                    }
                } else {
                    ColumnInput::Text(RawColumn::default())
                }
            })
            .collect()
    }

    /// Number of data rows so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// How columns are stored.
    pub fn plan(&self) -> &ColumnPlan {
        &self.plan
    }

    /// Number of columns (known once the first record is in).
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The rows read so far, to be joined to an earlier part's with [`TableBuilder::join`].
    pub fn into_rows(self) -> (Vec<ColumnInput>, RowsRead) {
        let read = RowsRead {
            rows: self.rows,
            lines: 0,
            problems: self.problems,
            problem_count: self.problem_count,
            last: self.last,
        };
        (self.columns, read)
    }

    /// Adds a later part's rows, read by [`TableBuilder::continuing`] starting `lines`
    /// lines into the file; `false` (and nothing done) when its columns do not match.
    pub fn join(&mut self, parts: Vec<(Vec<ColumnInput>, RowsRead)>, mut lines: u64) -> bool {
        let fits = |columns: &[ColumnInput]| {
            columns.len() == self.columns.len()
                && columns.iter().zip(&self.columns).all(|(a, b)| {
                    matches!(
                        (a, b),
                        (ColumnInput::Text(_), ColumnInput::Text(_))
                            | (ColumnInput::Number { .. }, ColumnInput::Number { .. })
                    )
                })
        };
        if !parts.iter().all(|(columns, _)| fits(columns)) {
            return false;
        }
        // Room for every part first, so each column grows once.
        for (j, column) in self.columns.iter_mut().enumerate() {
            let more = parts.iter().filter_map(|(c, _)| c.get(j));
            match column {
                ColumnInput::Text(t) => {
                    let (cells, bytes) = more.fold((0, 0), |(c, b), m| match m {
                        ColumnInput::Text(m) => (c + m.len(), b + m.byte_len()),
                        ColumnInput::Number { .. } => (c, b),
                    });
                    t.reserve(cells, bytes);
                }
                ColumnInput::Number { values, .. } => {
                    values.reserve_exact(more.map(ColumnInput::len).sum());
                }
            }
        }
        for (columns, read) in parts {
            for (column, more) in self.columns.iter_mut().zip(columns) {
                column.append(more);
            }
            let row_base = self.rows as u64;
            for mut p in read.problems {
                p.row += row_base;
                p.line += lines;
                if self.problems.len() < MAX_PROBLEMS {
                    self.problems.push(p);
                }
            }
            self.problem_count += read.problem_count;
            if let Some((line, terminated, n)) = read.last {
                self.last = Some((line + lines, terminated, n));
            }
            self.rows += read.rows;
            lines += read.lines;
        }
        true
    }

    /// Columns planned as numbers that turned out not to be (the file must be read again
    /// with them as text).
    pub fn not_numeric(&self) -> &[usize] {
        &self.not_numeric
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
            self.columns = self.empty_columns(width);
            self.header = Some(header);
            if self.has_header {
                return;
            }
        }
        let n = match record.layout {
            Layout::Line(d) => self.add_line(record.data, d, record.line),
            Layout::Ends { .. } => {
                self.add(record.fields(), record.len(), record.line);
                record.len()
            }
        };
        self.last = Some((record.line, record.terminated, n));
    }

    fn add<'f>(&mut self, fields: impl Iterator<Item = &'f [u8]>, n: usize, line: u64) {
        let width = self.columns.len();
        self.make_room();
        self.rows += 1;
        let row = self.rows as u64;
        let mut fields = fields;
        let decimal = self.plan.decimal.unwrap_or(Decimal::Point);
        let token = self.plan.missing_token.as_deref();
        for (j, column) in self.columns.iter_mut().enumerate() {
            let field = fields.next().unwrap_or(&[]);
            store(column, j, field, decimal, token, &mut self.not_numeric);
        }
        let extra_empty = n > width && fields.all(|f| f.iter().all(u8::is_ascii_whitespace));
        self.ragged(row, line, n, extra_empty);
    }

    /// [`TableBuilder::add`] for an unsplit line: fields are found and numbers parsed in
    /// one pass (a numeric export is nearly all such lines). Returns the number of fields.
    fn add_line(&mut self, text: &[u8], delimiter: u8, line: u64) -> usize {
        self.make_room();
        self.rows += 1;
        let row = self.rows as u64;
        let decimal = self.plan.decimal.unwrap_or(Decimal::Point);
        let point = match decimal {
            Decimal::Point => b'.',
            Decimal::Comma => b',',
        };
        let token = self.plan.missing_token.as_deref();
        // `Some(rest)`: another field starts at `rest`.
        let mut next = Some(text);
        let mut n = 0;
        for (j, column) in self.columns.iter_mut().enumerate() {
            let Some(rest) = next else {
                store(column, j, &[], decimal, token, &mut self.not_numeric);
                continue;
            };
            n += 1;
            let fast = match column {
                ColumnInput::Number { values, .. } => {
                    scan_plain(rest, point, delimiter).map(|(v, end)| {
                        values.push(v);
                        end
                    })
                }
                ColumnInput::Text(_) => None,
            };
            let end = fast.unwrap_or_else(|| {
                let end = memchr(delimiter, rest).unwrap_or(rest.len());
                store(
                    column,
                    j,
                    rest.get(..end).unwrap_or_default(),
                    decimal,
                    token,
                    &mut self.not_numeric,
                );
                end
            });
            next = rest.get(end + 1..);
        }
        let mut extra_empty = false;
        if let Some(rest) = next {
            n += 1 + count_byte(rest, delimiter) as usize;
            extra_empty = rest
                .iter()
                .all(|b| *b == delimiter || b.is_ascii_whitespace());
        }
        self.ragged(row, line, n, extra_empty);
        n
    }

    /// Notes a row with `n` fields when the header has a different number.
    fn ragged(&mut self, row: u64, line: u64, n: usize, extra_empty: bool) {
        let width = self.columns.len();
        if n < width {
            self.note(row, line, format!("This row has {n} fields instead of {width}; the missing fields were left empty."));
        } else if n > width {
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
            let runaway_lines = match self.columns.get(n.min(width).saturating_sub(1)) {
                Some(ColumnInput::Text(c)) => count_byte(c.get(self.rows - 1).as_bytes(), b'\n'),
                _ => 0,
            };
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

/// Stores one cell in `column` (number `j`), noting a planned number that is not one.
fn store(
    column: &mut ColumnInput,
    j: usize,
    field: &[u8],
    decimal: Decimal,
    token: Option<&str>,
    not_numeric: &mut Vec<usize>,
) {
    match column {
        ColumnInput::Text(t) => t.push(field),
        ColumnInput::Number { values, missing } => match number(field, decimal, token) {
            Some(v) => {
                *missing += usize::from(v.is_nan());
                values.push(v);
            }
            None => {
                values.push(f64::NAN);
                if !not_numeric.contains(&j) {
                    not_numeric.push(j);
                }
            }
        },
    }
}

/// The common case of [`number`] found in the same pass as the field's end: a plain
/// decimal (`-12.5`, at most 15 digits, no leading zero) followed by `delimiter` or the
/// end of the line. Returns the value (the same bits as [`parse_plain`]) and where the
/// field ends; `None` sends the cell the general way.
///
/// (Reading eight digits at a time (SWAR), and classifying the 16 bytes from the field's
/// start at once with no branch on the digits, both measured no faster than this loop
/// natively: the next field's start then waits for the whole computation, where the
/// loop's predicted branches let the next cells start early. Nor did finding every field
/// end of the line first, with one 16-byte mask per block, and then reading each cell
/// from its known start and length, with the loop or with the branch-free scan: the cells
/// were then independent, but the extra pass cost more than that gained.)
#[inline]
fn scan_plain(text: &[u8], point: u8, delimiter: u8) -> Option<(f64, usize)> {
    let negative = text.first() == Some(&b'-');
    let start = usize::from(negative);
    let mut mantissa: u64 = 0;
    let mut count = 0u32;
    let mut decimals = 0u32;
    let mut seen_point = false;
    let mut end = text.len();
    for (i, &c) in text.iter().enumerate().skip(start) {
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            mantissa = mantissa * 10 + u64::from(d);
            count += 1;
            decimals += u32::from(seen_point);
            if count > 15 {
                return None;
            }
        } else if c == delimiter {
            end = i;
            break;
        } else if c == point && !seen_point {
            seen_point = true;
        } else {
            return None;
        }
    }
    if count == 0
        || text.get(start) == Some(&b'.')
        || has_leading_zero(text.get(start..end).unwrap_or_default())
    {
        // No digits, none before the point (`.5`), or a code such as `007`.
        return None;
    }
    // decimals <= count <= 15, so 10^decimals is exact, as in `parse_plain`.
    let v = mantissa as f64 / pow10(decimals as usize);
    Some((if negative { -v } else { v }, end))
}

/// A cell of a column read as numbers: `Some(NaN)` when missing, `None` when the cell is
/// not a number (or is a code such as `007`, or a key too long for an `f64`).
#[inline]
fn number(cell: &[u8], decimal: Decimal, token: Option<&str>) -> Option<f64> {
    if starts_numeric(cell) {
        match parse_plain(cell, decimal) {
            Plain::Number(v) if !has_leading_zero(cell) => return Some(v),
            Plain::LongInteger => return None,
            _ if has_leading_zero(cell) => return None,
            _ => {}
        }
    }
    let text = std::str::from_utf8(cell).ok()?;
    if is_missing(text, token) {
        return Some(f64::NAN);
    }
    let trimmed = text.trim().as_bytes();
    if has_leading_zero(trimmed) || matches!(parse_plain(trimmed, decimal), Plain::LongInteger) {
        return None;
    }
    parse_number(text, decimal)
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
    fn the_one_pass_number_scan_agrees_with_the_general_path() {
        let mut rng = crate::rng::Rng::new(7);
        let alphabet = b"0123456789012345678901234567890123456789..--,;e x";
        let mut fast = 0;
        for _ in 0..200_000 {
            let len = rng.below(22);
            let cell: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .filter(|c| *c != b',')
                .collect();
            for point in [b'.', b','] {
                let decimal = if point == b'.' {
                    Decimal::Point
                } else {
                    Decimal::Comma
                };
                let mut line = cell.clone();
                line.extend_from_slice(b",7");
                if let Some((v, end)) = scan_plain(&line, point, b',') {
                    fast += 1;
                    assert_eq!(end, cell.len(), "{}", String::from_utf8_lossy(&cell));
                    let general = number(&cell, decimal, None).unwrap();
                    assert_eq!(
                        v.to_bits(),
                        general.to_bits(),
                        "{}",
                        String::from_utf8_lossy(&cell)
                    );
                }
                if let Some((v, end)) = scan_plain(&cell, point, b';') {
                    let field = &cell[..end];
                    assert!(end == cell.len() || cell[end] == b';');
                    assert_eq!(
                        Some(v.to_bits()),
                        number(field, decimal, None).map(f64::to_bits)
                    );
                }
            }
        }
        assert!(fast > 10_000, "the fast path took {fast} cells");
        // Every plain decimal of at most 15 characters takes the fast path, at the end of
        // a line or before a delimiter, with the same bits as the general one.
        for _ in 0..200_000 {
            let mut cell = String::new();
            if rng.below(2) == 0 {
                cell.push('-');
            }
            let whole = 1 + rng.below(9);
            for i in 0..whole {
                let d = if i == 0 && whole > 1 {
                    1 + rng.below(9)
                } else {
                    rng.below(10)
                };
                cell.push(char::from(b'0' + d as u8));
            }
            if rng.below(4) > 0 {
                cell.push('.');
                for _ in 0..rng.below(8) {
                    cell.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
            if cell.len() > 15 {
                continue;
            }
            let general = number(cell.as_bytes(), Decimal::Point, None).map(f64::to_bits);
            for tail in ["", ",1.5,2", ";x"] {
                let line = format!("{cell}{tail}");
                let delimiter = if tail.starts_with(';') { b';' } else { b',' };
                let fast = scan_plain(line.as_bytes(), b'.', delimiter);
                assert_eq!(
                    fast.map(|(v, end)| (v.to_bits(), end)),
                    general.map(|g| (g, cell.len())),
                    "{line}"
                );
            }
        }
        for (cell, value) in [
            ("-3.161538", -3.161538),
            ("10.036791", 10.036791),
            ("123456789012.345", 123456789012.345),
            ("-12345678.12345", -12345678.12345),
            ("999999999999999", 999999999999999.0),
            ("0.000001", 0.000001),
            ("0", 0.0),
            ("5.", 5.0),
            ("-0.5", -0.5),
        ] {
            assert_eq!(
                scan_plain(cell.as_bytes(), b'.', b','),
                Some((value, cell.len())),
                "{cell}"
            );
        }
        for cell in [
            "007",
            "1e6",
            "1.2.3",
            "",
            "-",
            ".5",
            " 1",
            "1234567890123456",
            "1 ",
            "0.1234567890123456",
        ] {
            assert_eq!(scan_plain(cell.as_bytes(), b'.', b','), None, "{cell}");
        }
    }

    #[test]
    fn same_records_whatever_the_chunk_size() {
        let text =
            "a,b\r\n\"x, y\",\"line1\nline2\"\r\n\r\n\"say \"\"hi\"\"\",2\r\nplain,3\r\nlast,row";
        let whole = fields(text, text.len());
        assert_eq!(
            whole,
            vec![
                vec!["a", "b"],
                vec!["x, y", "line1\nline2"],
                vec!["say \"hi\"", "2"],
                vec!["plain", "3"],
                vec!["last", "row"]
            ]
        );
        for piece in [1, 2, 3, 5, 7, 11, 13] {
            assert_eq!(fields(text, piece), whole, "piece {piece}");
        }
    }

    /// Random CSV made of the characters that matter, quoted correctly or not at all.
    fn random_csv(rng: &mut crate::rng::Rng) -> String {
        let mut text = String::new();
        for _ in 0..rng.below(12) + 1 {
            let fields = rng.below(4) + 1;
            for f in 0..fields {
                if f > 0 {
                    text.push(',');
                }
                let plain = ["", "a", "12", "x y", "-3.5", "é"];
                if rng.uniform() < 0.3 {
                    let inner = ["a", "\"\"", ",", "\n", "\r\n", "b c", ""];
                    text.push('"');
                    for _ in 0..rng.below(4) {
                        text.push_str(inner[rng.below(inner.len())]);
                    }
                    text.push('"');
                } else {
                    text.push_str(plain[rng.below(plain.len())]);
                }
            }
            text.push_str(["\n", "\r\n", "\n\n"][rng.below(3)]);
        }
        if rng.uniform() < 0.3 {
            text.pop();
        }
        text
    }

    #[test]
    fn agrees_with_the_csv_crate_on_random_text_in_random_pieces() {
        let mut rng = crate::rng::Rng::new(11);
        for case in 0..3_000 {
            let text = random_csv(&mut rng);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let expected: Vec<Vec<String>> = reader
                .byte_records()
                .map(|r| {
                    r.unwrap()
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect::<Vec<_>>()
                })
                .filter(|r: &Vec<String>| !r.iter().all(|f| f.trim().is_empty()))
                .collect();
            let piece = rng.below(text.len().max(1)) + 1;
            assert_eq!(
                fields(&text, piece),
                expected,
                "case {case}, piece {piece}: {text:?}"
            );
        }
    }

    #[test]
    fn quoted_last_line_without_a_line_break() {
        assert_eq!(
            fields("a,b\n1,\"x\"", 3),
            vec![vec!["a", "b"], vec!["1", "x"]]
        );
        assert_eq!(
            fields("a,b\n1,\"x\ny\"", 2),
            vec![vec!["a", "b"], vec!["1", "x\ny"]]
        );
    }

    #[test]
    fn line_numbers_and_termination() {
        let text = "a,b\n\n1,\"two\nlines\"\n3,4\n5,6";
        for piece in [3, 100] {
            let recs = split(text, &Dialect::default(), piece);
            let lines: Vec<u64> = recs.iter().map(|r| r.1).collect();
            assert_eq!(lines, vec![1, 3, 5, 6], "piece {piece}");
            assert!(recs[2].2);
            assert!(!recs[3].2);
        }
    }

    #[test]
    fn cr_only_line_ends() {
        let d = Dialect {
            line_end: b'\r',
            ..Dialect::default()
        };
        let recs = split("a,b\r1,2\r\"3\",4\r", &d, 4);
        assert_eq!(recs.iter().map(|r| r.1).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(recs[2].0, vec!["3", "4"]);
    }

    #[test]
    fn comments_are_skipped() {
        let d = Dialect {
            comment: Some(b'#'),
            separator: Separator::Byte(b';'),
            ..Dialect::default()
        };
        let recs = split("a;b\n# note\n1;2\n", &d, 5);
        assert_eq!(
            recs.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
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

    fn build_with(text: &str, plan: ColumnPlan) -> (RawTable, Vec<usize>) {
        let d = Dialect::default();
        let mut s = Splitter::new(&d);
        let mut b = TableBuilder::new(&d, plan);
        let mut take = |r: &RecordRef<'_>| b.push(r);
        s.feed(text.as_bytes(), &mut take);
        s.finish(&mut take);
        let runaway = count_byte(text.as_bytes(), b'"') % 2 == 1;
        let not_numeric = b.not_numeric().to_vec();
        (b.finish(runaway), not_numeric)
    }

    fn build(text: &str) -> RawTable {
        build_with(text, ColumnPlan::default()).0
    }

    fn text(c: &ColumnInput, i: usize) -> String {
        match c {
            ColumnInput::Text(t) => t.get(i).to_owned(),
            ColumnInput::Number { values, .. } => format!("{}", values[i]),
        }
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
        assert_eq!(text(&t.columns[2], 1), "");
    }

    #[test]
    fn a_quote_that_never_closes_does_not_swallow_the_file() {
        let t = build("id,note,amount\n1,fine,10\n2,\"broken,20\n3,next,30\n4,more,40\n");
        assert_eq!(t.rows, 4);
        assert_eq!(t.problem_count, 1);
        assert_eq!((t.problems[0].row, t.problems[0].line), (2, 3));
        assert!(t.problems[0].message.contains("never closes"));
        assert_eq!(text(&t.columns[1], 1), "broken");
        assert_eq!(text(&t.columns[2], 1), "20");
        assert_eq!(text(&t.columns[1], 2), "next");
        assert_eq!(text(&t.columns[2], 3), "40");
    }

    #[test]
    fn numeric_columns_are_parsed_while_reading() {
        let plan = ColumnPlan {
            numeric: vec![false, true],
            decimal: Some(Decimal::Point),
            missing_token: Some("none".into()),
        };
        let (t, not_numeric) = build_with(
            "id,amount\nA,1.5\nB,\nC,NA\nD, 7 \nE,none\nF,$3.20\n",
            plan.clone(),
        );
        assert!(not_numeric.is_empty());
        let ColumnInput::Number { values, missing } = &t.columns[1] else {
            panic!()
        };
        assert_eq!(*missing, 3);
        assert_eq!(values[0], 1.5);
        assert_eq!(values[3], 7.0);
        assert_eq!(values[5], 3.2);
        // Words, codes with leading zeros and long keys send the column back to text.
        for bad in [
            "id,amount\nA,1\nB,lots\n",
            "id,amount\nA,1\nB,007\n",
            "id,amount\nA,1\nB,12345678901234567\n",
        ] {
            assert_eq!(build_with(bad, plan.clone()).1, vec![1], "{bad}");
        }
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
        let mut b = TableBuilder::new(&d, ColumnPlan::default());
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
