//! Table: typed, columnar storage of a file's values.
//!
//! Each column is stored in the cheapest form that keeps its meaning: numbers as `f64`
//! (`NaN` = missing), dates as seconds, categories and ids dictionary-encoded, free text in
//! one contiguous buffer. Memory stays close to the size of the numbers, not of the text.

pub mod infer;
pub mod pii;
pub mod values;

use std::hash::BuildHasher;

use hashbrown::HashTable;
use serde::{Deserialize, Serialize};

use crate::date::format_timestamp;
pub use infer::{Chosen, TypeOptions, Typed, Typer};
pub use pii::PiiKind;
pub use values::Decimal;

/// What a column holds, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Decimal numbers.
    Numeric,
    /// Whole numbers.
    Integer,
    /// Yes/no values.
    Boolean,
    /// Dates or date-times.
    Date,
    /// A small set of repeated labels (country, channel, …).
    Categorical,
    /// Free text.
    Text,
    /// Keys identifying a customer, order or product.
    Id,
}

impl ColumnKind {
    /// Whether the column holds numbers that can become features.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnKind::Numeric | ColumnKind::Integer)
    }

    /// The plain-language name shown on column chips.
    pub fn label(self) -> &'static str {
        match self {
            ColumnKind::Numeric => "number",
            ColumnKind::Integer => "whole number",
            ColumnKind::Boolean => "yes/no",
            ColumnKind::Date => "date",
            ColumnKind::Categorical => "category",
            ColumnKind::Text => "text",
            ColumnKind::Id => "id",
        }
    }
}

/// What the user says a column is, over what Segmenta made of it.
///
/// A kind is read from every cell, and a cell that cannot be read so counts as missing
/// (the number of such cells is reported). Choosing a kind also says the column is not
/// personal data; `Personal` keeps it out of the features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnChoice {
    /// Numbers (whole or decimal, as the values are).
    Number,
    /// Yes/no values.
    Boolean,
    /// Dates or date-times.
    Date,
    /// Repeated labels.
    Categorical,
    /// Free text.
    Text,
    /// Keys.
    Id,
    /// Personal data, never used as a feature.
    Personal,
}

impl ColumnChoice {
    /// Every choice, in the order a menu shows them.
    pub const ALL: [ColumnChoice; 7] = [
        ColumnChoice::Number,
        ColumnChoice::Boolean,
        ColumnChoice::Date,
        ColumnChoice::Categorical,
        ColumnChoice::Text,
        ColumnChoice::Id,
        ColumnChoice::Personal,
    ];

    /// The plain-language name, as on the column chips.
    pub fn label(self) -> &'static str {
        match self {
            ColumnChoice::Number => "number",
            ColumnChoice::Boolean => "yes/no",
            ColumnChoice::Date => "date",
            ColumnChoice::Categorical => "category",
            ColumnChoice::Text => "text",
            ColumnChoice::Id => "id",
            ColumnChoice::Personal => "personal data",
        }
    }

    /// The name used in recipes and on the command line (`number`, `id`, `personal`, …).
    pub fn key(self) -> &'static str {
        match self {
            ColumnChoice::Number => "number",
            ColumnChoice::Boolean => "boolean",
            ColumnChoice::Date => "date",
            ColumnChoice::Categorical => "categorical",
            ColumnChoice::Text => "text",
            ColumnChoice::Id => "id",
            ColumnChoice::Personal => "personal",
        }
    }

    /// The choice called `key` (see [`ColumnChoice::key`]).
    pub fn from_key(key: &str) -> Option<ColumnChoice> {
        ColumnChoice::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Whether the column has to be kept as text while the file is read, so that every
    /// cell can be read again as this kind exactly as written.
    pub fn needs_text(self) -> bool {
        !matches!(self, ColumnChoice::Number | ColumnChoice::Personal)
    }

    /// The choice that gives a column of `kind` (numbers of both kinds are `Number`).
    pub fn of_kind(kind: ColumnKind) -> ColumnChoice {
        match kind {
            ColumnKind::Numeric | ColumnKind::Integer => ColumnChoice::Number,
            ColumnKind::Boolean => ColumnChoice::Boolean,
            ColumnKind::Date => ColumnChoice::Date,
            ColumnKind::Categorical => ColumnChoice::Categorical,
            ColumnKind::Text => ColumnChoice::Text,
            ColumnKind::Id => ColumnChoice::Id,
        }
    }
}

/// Cells back to back in one buffer, and where each ends.
#[derive(Clone, Default)]
struct Cells {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Cells {
    fn push(&mut self, cell: &[u8]) {
        self.bytes.extend_from_slice(cell);
        // A single column over 4 GiB is far beyond what a browser can load; saturate rather
        // than wrap so such a file cannot corrupt other cells.
        self.ends
            .push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = match i.checked_sub(1) {
            None => 0,
            Some(previous) => self.ends.get(previous).copied().unwrap_or(0) as usize,
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.bytes.get(start..end).unwrap_or_default()
    }
}

/// A column with at most one distinct value per this many rows keeps its cells as codes.
const CODED_SHARE: usize = 2;
/// Rows before a column is first checked for staying coded.
const CODED_CHECK_FROM: usize = 4096;

/// Text of one column: before typing, and for text columns after.
///
/// Columns with few distinct values (codes, countries, timestamps, product names in an
/// order log) keep each distinct cell once and a 4-byte code per row, found by content in
/// a hash table while reading; a ten-million-line log's text then takes a fraction of the
/// file's size. A column with many distinct values (names, e-mail addresses) turns into
/// every cell back to back the first time it is checked (at 4,096 rows, then at every
/// doubling) with more than one distinct value per two rows.
#[derive(Clone)]
pub struct RawColumn {
    /// The distinct cells while `codes` is `Some`, else every cell in order.
    cells: Cells,
    /// Per row, its cell's place in `cells`.
    codes: Option<Vec<u32>>,
    /// Places in `cells`, found by the cell's hash (while coded).
    index: HashTable<u32>,
}

impl Default for RawColumn {
    fn default() -> Self {
        RawColumn {
            cells: Cells::default(),
            codes: Some(Vec::new()),
            index: HashTable::new(),
        }
    }
}

impl PartialEq for RawColumn {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for RawColumn {}

impl std::fmt::Debug for RawColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

fn hash_cell(cell: &[u8]) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(cell)
}

impl RawColumn {
    /// Appends a cell. Cells are UTF-8 because they are slices of decoded text.
    pub fn push(&mut self, cell: &[u8]) {
        if self.codes.is_none() {
            self.cells.push(cell);
            return;
        }
        let code = self.intern(cell);
        if let Some(codes) = self.codes.as_mut() {
            codes.push(code);
            let rows = codes.len();
            if rows >= CODED_CHECK_FROM && rows.is_power_of_two() {
                self.stay_coded_if_few();
            }
        }
    }

    /// Turns the column into every cell back to back if it has many distinct values.
    fn stay_coded_if_few(&mut self) {
        let rows = self.len();
        if self.codes.is_some() && self.cells.len() * CODED_SHARE > rows {
            self.spell_out();
        }
    }

    /// Every cell back to back from now on.
    fn spell_out(&mut self) {
        if let Some(codes) = self.codes.take() {
            let mut spelled = Cells::default();
            spelled.ends.reserve_exact(codes.len());
            for code in &codes {
                spelled.push(self.cells.get(*code as usize));
            }
            self.cells = spelled;
            self.index = HashTable::new();
        }
    }

    /// Appends a string cell.
    pub fn push_str(&mut self, cell: &str) {
        self.push(cell.as_bytes());
    }

    /// A column from `bytes`, back to back, and where each of them ends, with `codes`
    /// saying which of them each row holds (`None`: one per row, in order). `None` when
    /// the parts do not fit together.
    pub fn from_parts(
        bytes: Vec<u8>,
        ends: Vec<u32>,
        codes: Option<Vec<u32>>,
    ) -> Option<RawColumn> {
        let rising = ends.windows(2).all(|w| w.first() <= w.get(1));
        let within = ends.last().is_none_or(|e| *e as usize <= bytes.len());
        if !(rising && within) {
            return None;
        }
        let cells = Cells { bytes, ends };
        let mut index = HashTable::new();
        if let Some(codes) = &codes {
            if codes.iter().any(|c| *c as usize >= cells.len()) {
                return None;
            }
            for code in 0..cells.len() {
                let hash = hash_cell(cells.get(code));
                let code = u32::try_from(code).ok()?;
                index.insert_unique(hash, code, |c| hash_cell(cells.get(*c as usize)));
            }
        }
        Some(RawColumn {
            cells,
            codes,
            index,
        })
    }

    /// The parts [`RawColumn::from_parts`] takes.
    pub fn into_parts(self) -> (Vec<u8>, Vec<u32>, Option<Vec<u32>>) {
        (self.cells.bytes, self.cells.ends, self.codes)
    }

    /// Appends `other`'s cells.
    pub fn append(&mut self, other: RawColumn) {
        match (&mut self.codes, other.codes) {
            (None, None) => {
                let base = u32::try_from(self.cells.bytes.len()).unwrap_or(u32::MAX);
                self.cells.bytes.extend_from_slice(&other.cells.bytes);
                self.cells
                    .ends
                    .extend(other.cells.ends.iter().map(|e| e.saturating_add(base)));
            }
            (Some(_), Some(codes)) => {
                // Each of `other`'s distinct cells is looked up once.
                let here: Vec<u32> = (0..other.cells.len())
                    .map(|c| self.intern(other.cells.get(c)))
                    .collect();
                if let Some(own) = self.codes.as_mut() {
                    own.extend(
                        codes
                            .iter()
                            .map(|c| here.get(*c as usize).copied().unwrap_or(0)),
                    );
                }
                self.stay_coded_if_few();
            }
            (_, codes) => {
                let other = RawColumn { codes, ..other };
                for cell in other.iter() {
                    self.push(cell.as_bytes());
                }
            }
        }
    }

    /// The place of `cell` among the distinct cells, added if new.
    fn intern(&mut self, cell: &[u8]) -> u32 {
        let cells = &mut self.cells;
        let hash = hash_cell(cell);
        if let Some(code) = self.index.find(hash, |c| cells.get(*c as usize) == cell) {
            return *code;
        }
        let code = u32::try_from(cells.len()).unwrap_or(u32::MAX);
        cells.push(cell);
        self.index
            .insert_unique(hash, code, |c| hash_cell(cells.get(*c as usize)));
        code
    }

    /// Reserves room for `cells` more cells of `bytes` bytes in all.
    pub fn reserve(&mut self, cells: usize, bytes: usize) {
        match self.codes.as_mut() {
            Some(codes) => codes.reserve_exact(cells),
            None => {
                self.cells.bytes.reserve_exact(bytes);
                self.cells.ends.reserve_exact(cells);
            }
        }
    }

    /// Bytes held by the cells (each distinct one once, while coded).
    pub fn byte_len(&self) -> usize {
        self.cells.bytes.len()
    }

    /// Removes and returns the last cell.
    pub fn pop(&mut self) -> Option<Vec<u8>> {
        if let Some(codes) = self.codes.as_mut() {
            let code = codes.pop()?;
            return Some(self.cells.get(code as usize).to_vec());
        }
        let cells = &mut self.cells;
        cells.ends.pop()?;
        let start = cells.ends.last().copied().unwrap_or(0) as usize;
        Some(cells.bytes.split_off(start.min(cells.bytes.len())))
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.codes.as_ref().map_or(self.cells.len(), Vec::len)
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th cell, or `""` past the end.
    pub fn get(&self, i: usize) -> &str {
        let place = match &self.codes {
            Some(codes) => match codes.get(i) {
                Some(code) => *code as usize,
                None => return "",
            },
            None => i,
        };
        std::str::from_utf8(self.cells.get(place)).unwrap_or("")
    }

    /// Per row, which distinct cell it holds ([`RawColumn::distinct`]), while the column
    /// keeps its cells coded.
    pub fn codes(&self) -> Option<&[u32]> {
        self.codes.as_deref()
    }

    /// Number of distinct cells kept (while coded).
    pub fn distinct_len(&self) -> usize {
        self.cells.len()
    }

    /// The distinct cell `code` (while coded).
    pub fn distinct(&self, code: u32) -> &str {
        std::str::from_utf8(self.cells.get(code as usize)).unwrap_or("")
    }

    /// All cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// A column as read, before typing: text, or numbers already parsed on the fast path.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnInput {
    /// Cells as text.
    Text(RawColumn),
    /// Cells parsed as numbers while reading (`NaN` = missing).
    Number {
        /// The values.
        values: Vec<f64>,
        /// How many cells were missing.
        missing: usize,
    },
}

impl ColumnInput {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match self {
            ColumnInput::Text(t) => t.len(),
            ColumnInput::Number { values, .. } => values.len(),
        }
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `other`'s cells; `false` (and nothing done) when one holds text and the
    /// other numbers.
    pub fn append(&mut self, other: ColumnInput) -> bool {
        match (self, other) {
            (ColumnInput::Text(t), ColumnInput::Text(o)) => t.append(o),
            (
                ColumnInput::Number { values, missing },
                ColumnInput::Number {
                    values: more,
                    missing: m,
                },
            ) => {
                values.extend_from_slice(&more);
                *missing += m;
            }
            _ => return false,
        }
        true
    }

    /// Removes the last cell and returns it as text.
    pub fn pop(&mut self) -> Option<Vec<u8>> {
        match self {
            ColumnInput::Text(t) => t.pop(),
            ColumnInput::Number { values, missing } => {
                let v = values.pop()?;
                if v.is_nan() {
                    *missing = missing.saturating_sub(1);
                    Some(Vec::new())
                } else {
                    Some(values::format_number(v).into_bytes())
                }
            }
        }
    }
}

/// Code marking a missing value in [`ColumnData::Category`].
pub const MISSING_CODE: u32 = u32::MAX;

/// Typed values of a column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Numbers; `NaN` marks a missing value.
    Number(Vec<f64>),
    /// Yes/no values.
    Boolean(Vec<Option<bool>>),
    /// Seconds since 1970-01-01.
    Date(Vec<Option<i64>>),
    /// Dictionary-encoded labels or keys; [`MISSING_CODE`] marks a missing value.
    Category {
        /// Index into `levels` for each row.
        codes: Vec<u32>,
        /// Distinct values in order of first appearance.
        levels: Vec<String>,
    },
    /// Free text; an empty string marks a missing value.
    Text(RawColumn),
}

/// One column: its name, kind, values and what is known about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name (unique within the table).
    pub name: String,
    /// What the column holds.
    pub kind: ColumnKind,
    /// The values.
    pub data: ColumnData,
    /// Number of missing cells.
    pub missing: usize,
    /// Set when the column holds personal data; such columns never become features.
    pub pii: Option<PiiKind>,
}

impl Column {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Number(v) => v.len(),
            ColumnData::Boolean(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::Category { codes, .. } => codes.len(),
            ColumnData::Text(t) => t.len(),
        }
    }

    /// Whether the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The numbers of a numeric column.
    pub fn numbers(&self) -> Option<&[f64]> {
        match &self.data {
            ColumnData::Number(v) => Some(v),
            _ => None,
        }
    }

    /// Row `i` as a number when the column can be read as numbers (numbers, yes/no as 1/0,
    /// dates as days since 1970-01-01); `NaN` when missing.
    pub fn number_at(&self, i: usize) -> f64 {
        match &self.data {
            ColumnData::Number(v) => v.get(i).copied().unwrap_or(f64::NAN),
            ColumnData::Boolean(v) => match v.get(i) {
                Some(Some(b)) => f64::from(u8::from(*b)),
                _ => f64::NAN,
            },
            ColumnData::Date(v) => match v.get(i) {
                Some(Some(s)) => *s as f64 / crate::date::DAY as f64,
                _ => f64::NAN,
            },
            _ => f64::NAN,
        }
    }

    /// Whether row `i` is missing.
    pub fn is_missing(&self, i: usize) -> bool {
        match &self.data {
            ColumnData::Number(v) => v.get(i).is_none_or(|x| x.is_nan()),
            ColumnData::Boolean(v) => v.get(i).is_none_or(Option::is_none),
            ColumnData::Date(v) => v.get(i).is_none_or(Option::is_none),
            ColumnData::Category { codes, .. } => codes.get(i).is_none_or(|c| *c == MISSING_CODE),
            ColumnData::Text(t) => t.get(i).is_empty(),
        }
    }

    /// Row `i` as display text (`""` when missing).
    pub fn display(&self, i: usize) -> String {
        match &self.data {
            ColumnData::Number(v) => v
                .get(i)
                .map_or_else(String::new, |x| values::format_number(*x)),
            ColumnData::Boolean(v) => match v.get(i) {
                Some(Some(true)) => "yes".into(),
                Some(Some(false)) => "no".into(),
                _ => String::new(),
            },
            ColumnData::Date(v) => match v.get(i) {
                Some(Some(s)) => format_timestamp(*s),
                _ => String::new(),
            },
            ColumnData::Category { codes, levels } => codes
                .get(i)
                .and_then(|c| levels.get(*c as usize))
                .cloned()
                .unwrap_or_default(),
            ColumnData::Text(t) => t.get(i).to_owned(),
        }
    }

    /// A column of `rows.len()` cells: cell `k` is this column's row `rows[k]`, or missing
    /// for `None`. Used to line up joined files and sampled rows.
    pub fn take(&self, rows: &[Option<usize>]) -> Column {
        let data = match &self.data {
            ColumnData::Number(v) => ColumnData::Number(
                rows.iter()
                    .map(|r| r.and_then(|i| v.get(i).copied()).unwrap_or(f64::NAN))
                    .collect(),
            ),
            ColumnData::Boolean(v) => ColumnData::Boolean(
                rows.iter()
                    .map(|r| r.and_then(|i| v.get(i).copied().flatten()))
                    .collect(),
            ),
            ColumnData::Date(v) => ColumnData::Date(
                rows.iter()
                    .map(|r| r.and_then(|i| v.get(i).copied().flatten()))
                    .collect(),
            ),
            ColumnData::Category { codes, levels } => ColumnData::Category {
                codes: rows
                    .iter()
                    .map(|r| {
                        r.and_then(|i| codes.get(i).copied())
                            .unwrap_or(MISSING_CODE)
                    })
                    .collect(),
                levels: levels.clone(),
            },
            ColumnData::Text(t) => {
                let mut out = RawColumn::default();
                for r in rows {
                    out.push_str(r.map_or("", |i| t.get(i)));
                }
                ColumnData::Text(out)
            }
        };
        let mut column = Column {
            name: self.name.clone(),
            kind: self.kind,
            data,
            missing: 0,
            pii: self.pii,
        };
        column.missing = (0..column.len()).filter(|i| column.is_missing(*i)).count();
        column
    }

    /// Number of distinct non-missing values.
    pub fn distinct(&self) -> usize {
        match &self.data {
            ColumnData::Category { levels, .. } => levels.len(),
            ColumnData::Number(v) => {
                let mut bits: Vec<u64> = v
                    .iter()
                    .filter(|x| !x.is_nan())
                    .map(|x| x.to_bits())
                    .collect();
                bits.sort_unstable();
                bits.dedup();
                bits.len()
            }
            ColumnData::Boolean(v) => {
                usize::from(v.contains(&Some(true))) + usize::from(v.contains(&Some(false)))
            }
            ColumnData::Date(v) => {
                let mut d: Vec<i64> = v.iter().flatten().copied().collect();
                d.sort_unstable();
                d.dedup();
                d.len()
            }
            ColumnData::Text(t) => {
                let mut s: Vec<&str> = t.iter().filter(|s| !s.is_empty()).collect();
                s.sort_unstable();
                s.dedup();
                s.len()
            }
        }
    }
}

/// A typed table: equally long columns with unique names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    columns: Vec<Column>,
    n_rows: usize,
}

impl Table {
    /// Builds a table from typed columns; all must have `n_rows` cells.
    pub fn new(columns: Vec<Column>, n_rows: usize) -> Self {
        debug_assert!(columns.iter().all(|c| c.len() == n_rows));
        Table { columns, n_rows }
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// All columns in file order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// A column by exact name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The rows `rows` of every column, in that order.
    pub fn take_rows(&self, rows: &[usize]) -> Table {
        let rows: Vec<Option<usize>> = rows.iter().map(|&r| Some(r)).collect();
        Table {
            columns: self.columns.iter().map(|c| c.take(&rows)).collect(),
            n_rows: rows.len(),
        }
    }

    /// The row whose id (in [`Table::id_column`]) is `id`, ignoring surrounding spaces.
    pub fn find_id(&self, id: &str) -> Option<usize> {
        let column = self.id_column()?;
        let id = id.trim();
        (0..self.n_rows).find(|&i| column.display(i) == id)
    }

    /// Index of a column by exact name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The column that identifies rows best: the first id column whose values are unique,
    /// else the first id column.
    pub fn id_column(&self) -> Option<&Column> {
        let ids = || self.columns.iter().filter(|c| c.kind == ColumnKind::Id);
        ids()
            .find(|c| c.missing == 0 && c.distinct() == self.n_rows)
            .or_else(|| ids().next())
    }

    /// The first `n` rows as display text, for the preview.
    pub fn preview(&self, n: usize) -> Vec<Vec<String>> {
        (0..n.min(self.n_rows))
            .map(|i| self.columns.iter().map(|c| c.display(i)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(cells: &[String]) -> RawColumn {
        let mut c = RawColumn::default();
        for cell in cells {
            c.push_str(cell);
        }
        c
    }

    fn cells(c: &RawColumn) -> Vec<String> {
        c.iter().map(str::to_owned).collect()
    }

    #[test]
    fn few_distinct_values_stay_coded_and_many_are_spelled_out() {
        let countries: Vec<String> = (0..10_000).map(|i| format!("country {}", i % 38)).collect();
        let coded = column(&countries);
        assert!(coded.codes.is_some());
        assert_eq!(
            coded.byte_len(),
            (0..38).map(|i| format!("country {i}").len()).sum::<usize>()
        );
        assert_eq!(cells(&coded), countries);

        let emails: Vec<String> = (0..10_000).map(|i| format!("c{i}@example.com")).collect();
        let spelled = column(&emails);
        assert!(spelled.codes.is_none());
        assert_eq!(cells(&spelled), emails);
        assert_eq!(spelled.get(10_000), "");
        assert_eq!(coded.get(10_000), "");
    }

    #[test]
    fn appending_keeps_the_cells_whatever_the_storage() {
        let few: Vec<String> = (0..5000).map(|i| format!("k{}", i % 7)).collect();
        let many: Vec<String> = (0..5000).map(|i| format!("u{i}")).collect();
        for (a, b) in [(&few, &few), (&few, &many), (&many, &few), (&many, &many)] {
            let mut joined = column(a);
            joined.append(column(b));
            let want: Vec<String> = a.iter().chain(b).cloned().collect();
            assert_eq!(cells(&joined), want);
            assert_eq!(joined, column(&want));
        }
    }

    #[test]
    fn parts_round_trip_and_bad_parts_are_refused() {
        let few: Vec<String> = (0..5000).map(|i| format!("k{}", i % 7)).collect();
        let mut c = column(&few);
        let (bytes, ends, codes) = c.clone().into_parts();
        let back = RawColumn::from_parts(bytes.clone(), ends.clone(), codes.clone()).unwrap();
        assert_eq!(back, c);
        // The rebuilt index finds existing cells: no new distinct cell is added.
        let mut grown = back;
        grown.push_str("k3");
        assert_eq!(grown.byte_len(), c.byte_len());
        assert!(RawColumn::from_parts(bytes.clone(), ends, Some(vec![99])).is_none());
        assert!(RawColumn::from_parts(bytes, vec![5, 2], None).is_none());
        assert_eq!(c.pop().as_deref(), Some(&b"k1"[..]));
        assert_eq!(c.len(), 4999);
    }
}
