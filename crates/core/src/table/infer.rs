//! Deciding each column's kind from its own values, and converting it to typed storage.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::values::{
    Decimal, Plain, decimal_evidence, has_leading_zero, is_missing, parse_bool, parse_number,
    parse_plain,
};
use super::{
    Column, ColumnChoice, ColumnData, ColumnInput, ColumnKind, MISSING_CODE, PiiKind, RawColumn,
    Table, pii,
};
use crate::date::{DAY, DateOrder, DateParts, days_from_civil, excel_serial_to_days, split_date};

/// Settings for typing; `None` means "decide from the data".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TypeOptions {
    /// Decimal separator.
    pub decimal: Option<Decimal>,
    /// Day/month order for dates whose own values do not settle it.
    pub date_order: Option<DateOrder>,
    /// Extra missing-value token.
    pub missing_token: Option<String>,
    /// What the user said some columns are, by column name.
    pub columns: BTreeMap<String, ColumnChoice>,
}

/// A typed table and the file-wide settings used.
#[derive(Debug)]
pub struct Typed {
    /// The table.
    pub table: Table,
    /// Decimal separator used.
    pub decimal: Decimal,
    /// Default day/month order used for ambiguous date columns.
    pub date_order: DateOrder,
    /// Columns read as the user chose, and how many of their cells could not be read so.
    pub chosen: Vec<Chosen>,
}

/// A column read as the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    /// Column name.
    pub column: String,
    /// What it was read as.
    pub choice: ColumnChoice,
    /// Cells that could not be read as that kind; they count as missing.
    pub unreadable: usize,
}

impl Chosen {
    /// The sentence telling the user about cells that could not be read as chosen.
    pub fn note(&self) -> Option<String> {
        let (one, many) = match self.choice {
            ColumnChoice::Number => ("is not a number", "are not numbers"),
            ColumnChoice::Boolean => ("is not yes or no", "are not yes or no"),
            ColumnChoice::Date => ("is not a date", "are not dates"),
            // Any text is a label or a key.
            _ => return None,
        };
        let column = &self.column;
        match self.unreadable {
            0 => None,
            1 => Some(format!("1 cell of “{column}” {one}; it counts as missing.")),
            n => Some(format!(
                "{} cells of “{column}” {many}; they count as missing.",
                crate::numbers::count(n)
            )),
        }
    }
}

const SAMPLE: usize = 2_000;

/// Types columns one at a time, so a caller can report progress or stop between columns.
/// Raw columns are consumed as they are typed, so peak memory stays low.
pub struct Typer {
    pending: std::vec::IntoIter<(String, ColumnInput)>,
    columns: Vec<Column>,
    total: usize,
    n_rows: usize,
    decimal: Decimal,
    date_order: DateOrder,
    token: Option<String>,
    choices: BTreeMap<String, ColumnChoice>,
    chosen: Vec<Chosen>,
}

impl Typer {
    /// Prepares to type `raw` columns; decides the file-wide decimal separator and date order.
    pub fn new(
        names: Vec<String>,
        raw: Vec<ColumnInput>,
        n_rows: usize,
        options: &TypeOptions,
    ) -> Typer {
        let token = options
            .missing_token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let decimal = options
            .decimal
            .unwrap_or_else(|| detect_decimal(&raw, token.as_deref()));
        let date_order = options
            .date_order
            .unwrap_or_else(|| detect_date_order(&raw, token.as_deref()));
        let total = raw.len();
        Typer {
            pending: names.into_iter().zip(raw).collect::<Vec<_>>().into_iter(),
            columns: Vec::with_capacity(total),
            total,
            n_rows,
            decimal,
            date_order,
            token,
            choices: options.columns.clone(),
            chosen: Vec::new(),
        }
    }

    /// Types the next column; `false` when all are done.
    pub fn step(&mut self) -> bool {
        let Some((name, input)) = self.pending.next() else {
            return false;
        };
        let choice = self.choices.get(&name).copied();
        let token = self.token.as_deref();
        let mut column = match (choice, input) {
            (Some(ColumnChoice::Personal) | None, ColumnInput::Text(cells)) => {
                let c = type_column(name, &cells, self.decimal, self.date_order, token);
                self.personal(c, choice)
            }
            (Some(ColumnChoice::Personal) | None, ColumnInput::Number { values, missing }) => {
                let c = type_values(name, values, missing);
                self.personal(c, choice)
            }
            (Some(ColumnChoice::Number), ColumnInput::Number { values, missing }) => {
                self.chosen.push(Chosen {
                    column: name.clone(),
                    choice: ColumnChoice::Number,
                    unreadable: 0,
                });
                numbers_column(name, values, missing)
            }
            (Some(choice), input) => {
                let cells = match input {
                    ColumnInput::Text(cells) => cells,
                    ColumnInput::Number { values, .. } => numbers_as_text(&values),
                };
                let (column, unreadable) =
                    read_as(name, &cells, choice, self.decimal, self.date_order, token);
                self.chosen.push(Chosen {
                    column: column.name.clone(),
                    choice,
                    unreadable,
                });
                column
            }
        };
        if column.len() != self.n_rows {
            // Cannot happen (every record pushes one cell per column); keep the table
            // rectangular anyway.
            column.data = ColumnData::Text(blank_text(self.n_rows));
        }
        self.columns.push(column);
        true
    }

    /// `column` as detected, marked as personal data when the user said so.
    fn personal(&mut self, mut column: Column, choice: Option<ColumnChoice>) -> Column {
        if let Some(choice) = choice {
            column.pii = column.pii.or(Some(PiiKind::Other));
            self.chosen.push(Chosen {
                column: column.name.clone(),
                choice,
                unreadable: 0,
            });
        }
        column
    }

    /// Fraction of columns typed.
    pub fn fraction(&self) -> f64 {
        self.columns.len() as f64 / self.total.max(1) as f64
    }

    /// The typed table.
    pub fn finish(mut self) -> Typed {
        while self.step() {}
        Typed {
            table: Table::new(self.columns, self.n_rows),
            decimal: self.decimal,
            date_order: self.date_order,
            chosen: self.chosen,
        }
    }
}

fn text_columns(raw: &[ColumnInput]) -> impl Iterator<Item = &RawColumn> {
    raw.iter().filter_map(|c| match c {
        ColumnInput::Text(t) => Some(t),
        ColumnInput::Number { .. } => None,
    })
}

fn sample_cells<'a>(
    cells: &'a RawColumn,
    token: Option<&'a str>,
) -> impl Iterator<Item = &'a str> + 'a {
    let step = (cells.len() / SAMPLE).max(1);
    (0..cells.len())
        .step_by(step)
        .map(|i| cells.get(i))
        .filter(move |c| !is_missing(c, token))
}

/// The decimal separator with the most evidence across all columns (point on a tie).
fn detect_decimal(raw: &[ColumnInput], token: Option<&str>) -> Decimal {
    let (mut point, mut comma) = (0usize, 0usize);
    for cells in text_columns(raw) {
        for cell in sample_cells(cells, token) {
            match decimal_evidence(cell) {
                Some(Decimal::Point) => point += 1,
                Some(Decimal::Comma) => comma += 1,
                None => {}
            }
        }
    }
    if comma > point {
        Decimal::Comma
    } else {
        Decimal::Point
    }
}

/// Day/month evidence from one date-shaped value.
fn order_evidence(p: &DateParts) -> (bool, bool) {
    if p.year_first {
        return (false, false);
    }
    (p.fields[0] > 12, p.fields[1] > 12)
}

/// The file's default day/month order: month-first only when some date proves it.
fn detect_date_order(raw: &[ColumnInput], token: Option<&str>) -> DateOrder {
    let (mut dmy, mut mdy) = (0, 0);
    for cells in text_columns(raw) {
        for cell in sample_cells(cells, token) {
            if let Some(p) = split_date(cell) {
                let (d, m) = order_evidence(&p);
                dmy += usize::from(d);
                mdy += usize::from(m);
            }
        }
    }
    if mdy > dmy {
        DateOrder::Mdy
    } else {
        DateOrder::Dmy
    }
}

/// Words that mark a column name as a key: `CustomerID`, `customer_id`, `InvoiceNo`,
/// `order number`, `StockCode`, `SKU`.
fn is_id_name(name: &str) -> bool {
    let trimmed = name.trim();
    // camelCase suffixes: `CustomerID`, `userId`, `InvoiceNo` (but not `VALID` or `Casino`).
    let camel = |suffix: &str| {
        trimmed.len() > suffix.len()
            && trimmed.ends_with(suffix)
            && trimmed[..trimmed.len() - suffix.len()]
                .chars()
                .next_back()
                .is_some_and(char::is_lowercase)
    };
    if trimmed == "ID" || camel("ID") || camel("Id") || camel("No") {
        return true;
    }
    let lower = trimmed.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let Some(last) = tokens.last() else {
        return false;
    };
    tokens
        .iter()
        .any(|t| matches!(*t, "id" | "uuid" | "guid" | "sku" | "key"))
        || matches!(
            *last,
            "no" | "nr" | "number" | "num" | "code" | "ref" | "reference" | "stockcode"
        )
}

/// Words that mark a column name as holding dates (`InvoiceDate`, `created_at`, `dob`).
fn is_date_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("date")
        || (lower.ends_with("time") && !lower.ends_with("lifetime"))
        || lower.split(|c: char| !c.is_alphanumeric()).any(|t| {
            matches!(
                t,
                "time" | "timestamp" | "dt" | "created" | "updated" | "dob" | "birthday"
            )
        })
}

/// Names of small integer columns that are codes for groups, not quantities.
fn is_code_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "channel", "region", "type", "segment", "group", "class", "category", "status", "level",
        "tier", "cluster", "gender", "sex", "zone", "area", "store", "state", "plan", "country",
        "branch", "source",
    ]
    .iter()
    .any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w))
}

/// Types one column; see the module docs for the order of the checks.
pub fn type_column(
    name: String,
    cells: &RawColumn,
    decimal: Decimal,
    date_order: DateOrder,
    token: Option<&str>,
) -> Column {
    let n = cells.len();
    let mut numbers = Vec::with_capacity(n);
    let mut missing = 0usize;
    let mut numeric = true;
    let mut leading_zero = false;
    /// A cell read as a number.
    #[derive(Clone, Copy)]
    enum Read {
        Missing,
        Number { value: f64, leading_zero: bool },
        Not,
    }
    for_each_cell(
        cells,
        |cell| {
            if is_missing(cell, token) {
                return Read::Missing;
            }
            let long_key = matches!(
                parse_plain(cell.trim().as_bytes(), decimal),
                Plain::LongInteger
            );
            match parse_number(cell, decimal).filter(|_| !long_key) {
                Some(value) => Read::Number {
                    value,
                    leading_zero: has_leading_zero(cell.trim().as_bytes()),
                },
                None => Read::Not,
            }
        },
        |read| {
            match read {
                Read::Missing => {
                    missing += 1;
                    if numeric {
                        numbers.push(f64::NAN);
                    }
                }
                Read::Number {
                    value,
                    leading_zero: zero,
                } if numeric => {
                    leading_zero |= zero;
                    numbers.push(value);
                }
                Read::Number { .. } => {}
                Read::Not => {
                    if numeric {
                        numeric = false;
                        numbers = Vec::new();
                    }
                }
            }
            true
        },
    );
    let present = n - missing;
    let sample: Vec<&str> = sample_cells(cells, token)
        .take(200)
        .map(str::trim)
        .collect();
    let column = |kind, data| Column {
        name: name.clone(),
        kind,
        data,
        missing,
        pii: pii::detect(&name, kind, &sample),
    };
    if present == 0 {
        return column(ColumnKind::Text, ColumnData::Text(blank_text(n)));
    }
    if numeric && !leading_zero {
        return type_values(name, numbers, missing);
    }
    // Text cells: booleans, dates, then labels.
    if let Some(values) = all_booleans(cells, token) {
        return column(ColumnKind::Boolean, ColumnData::Boolean(values));
    }
    if let Some(values) = all_dates(cells, token, date_order) {
        return column(ColumnKind::Date, ColumnData::Date(values));
    }
    let (codes, levels) = dictionary(cells, token, false);
    let kind = label_kind(&name, &levels, present);
    if kind == ColumnKind::Text {
        return column(
            ColumnKind::Text,
            ColumnData::Text(trimmed_text(cells, token)),
        );
    }
    column(kind, ColumnData::Category { codes, levels })
}

/// Reads every cell of a column as the user chose (`choice` is not
/// [`ColumnChoice::Personal`]); a cell that cannot be read so becomes missing. Returns
/// the column and the number of such cells. The column is not personal data: the user
/// said what it is.
fn read_as(
    name: String,
    cells: &RawColumn,
    choice: ColumnChoice,
    decimal: Decimal,
    date_order: DateOrder,
    token: Option<&str>,
) -> (Column, usize) {
    let mut unreadable = 0usize;
    let (kind, data, missing) = match choice {
        ColumnChoice::Number => {
            let values = read_cells(cells, token, &mut unreadable, |c| parse_number(c, decimal));
            let missing = absent(&values);
            return (
                numbers_column(
                    name,
                    values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
                    missing,
                ),
                unreadable,
            );
        }
        ColumnChoice::Boolean => {
            let values = read_cells(cells, token, &mut unreadable, |c| {
                parse_bool(c).or_else(|| match parse_number(c, decimal) {
                    Some(1.0) => Some(true),
                    Some(0.0) => Some(false),
                    _ => None,
                })
            });
            let missing = absent(&values);
            (ColumnKind::Boolean, ColumnData::Boolean(values), missing)
        }
        ColumnChoice::Date => {
            // Day/month order from the column's own values, as for a detected date column.
            let (mut dmy, mut mdy) = (false, false);
            for_each_cell(
                cells,
                |c| split_date(c).filter(|_| !is_missing(c, token)),
                |p| {
                    if let Some(p) = p {
                        let (d, m) = order_evidence(&p);
                        dmy |= d;
                        mdy |= m;
                    }
                    true
                },
            );
            let order = match (dmy, mdy) {
                (true, false) => DateOrder::Dmy,
                (false, true) => DateOrder::Mdy,
                _ => date_order,
            };
            let values = read_cells(cells, token, &mut unreadable, |c| match split_date(c) {
                Some(p) => p.to_timestamp(order),
                // An Excel serial date (`40179` is 2010-01-01).
                None => parse_number(c, decimal)
                    .filter(|v| (1.0..=2_958_465.0).contains(v))
                    .and_then(|v| {
                        excel_serial_to_days(v)
                            .map(|d| d * DAY + (v.fract() * DAY as f64).round() as i64)
                    }),
            });
            let missing = absent(&values);
            (ColumnKind::Date, ColumnData::Date(values), missing)
        }
        ColumnChoice::Categorical | ColumnChoice::Id => {
            let id = choice == ColumnChoice::Id;
            let (codes, levels) = dictionary(cells, token, id);
            let missing = codes.iter().filter(|c| **c == MISSING_CODE).count();
            let kind = if id {
                ColumnKind::Id
            } else {
                ColumnKind::Categorical
            };
            (kind, ColumnData::Category { codes, levels }, missing)
        }
        ColumnChoice::Text | ColumnChoice::Personal => {
            let text = trimmed_text(cells, token);
            let missing = text.iter().filter(|c| c.is_empty()).count();
            (ColumnKind::Text, ColumnData::Text(text), missing)
        }
    };
    let column = Column {
        name,
        kind,
        data,
        missing,
        pii: None,
    };
    (column, unreadable)
}

fn absent<T>(values: &[Option<T>]) -> usize {
    values.iter().filter(|v| v.is_none()).count()
}

/// Reads each present cell with `read`; a cell it cannot read becomes missing and is
/// counted in `unreadable`.
fn read_cells<T: Copy>(
    cells: &RawColumn,
    token: Option<&str>,
    unreadable: &mut usize,
    read: impl Fn(&str) -> Option<T>,
) -> Vec<Option<T>> {
    let mut out = Vec::with_capacity(cells.len());
    for_each_cell(
        cells,
        |c| {
            if is_missing(c, token) {
                Ok(None)
            } else {
                read(c).map(Some).ok_or(())
            }
        },
        |r| {
            out.push(r.unwrap_or_else(|()| {
                *unreadable += 1;
                None
            }));
            true
        },
    );
    out
}

/// A column of numbers, whole or decimal as the values are; not personal data.
fn numbers_column(name: String, values: Vec<f64>, missing: usize) -> Column {
    let kind = if values.iter().all(|v| v.is_nan() || v.fract() == 0.0) {
        ColumnKind::Integer
    } else {
        ColumnKind::Numeric
    };
    Column {
        name,
        kind,
        data: ColumnData::Number(values),
        missing,
        pii: None,
    }
}

/// Numbers read while the file was read, back as text (`17850`, `2.5`; missing: empty).
fn numbers_as_text(values: &[f64]) -> RawColumn {
    let mut t = RawColumn::default();
    for v in values {
        if v.is_nan() {
            t.push(b"");
        } else if v.fract() == 0.0 && v.abs() < 1e15 {
            t.push_str(&(*v as i64).to_string());
        } else {
            t.push_str(&v.to_string());
        }
    }
    t
}

/// Types a column whose cells are all numbers (or missing): yes/no when only 0 and 1,
/// dates when named like dates and shaped as `yyyymmdd` or Excel serials, keys or category
/// codes when named so, otherwise whole or decimal numbers.
pub fn type_values(name: String, values: Vec<f64>, missing: usize) -> Column {
    let pii = pii::detect(&name, ColumnKind::Integer, &[]);
    let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let integral = present.iter().all(|v| v.fract() == 0.0);
    let column = |kind, data| Column {
        name: name.clone(),
        kind,
        data,
        missing,
        // A number-shaped phone column keeps its flag whatever it is typed as, except yes/no.
        pii: pii::detect(&name, kind, &[]).or(pii.filter(|_| kind != ColumnKind::Boolean)),
    };
    if present.is_empty() {
        return column(ColumnKind::Text, ColumnData::Text(blank_text(values.len())));
    }
    if present.len() >= 2 && present.iter().all(|v| *v == 0.0 || *v == 1.0) && !is_id_name(&name) {
        let flags = values
            .iter()
            .map(|v| (!v.is_nan()).then_some(*v == 1.0))
            .collect();
        return column(ColumnKind::Boolean, ColumnData::Boolean(flags));
    }
    if is_date_name(&name) {
        if integral
            && present
                .iter()
                .all(|v| (19_000_101.0..=22_001_231.0).contains(v))
        {
            let days: Option<Vec<Option<i64>>> = values
                .iter()
                .map(|v| {
                    if v.is_nan() {
                        return Some(None);
                    }
                    let n = *v as i64;
                    days_from_civil(
                        (n / 10_000) as i32,
                        (n / 100 % 100) as u32,
                        (n % 100) as u32,
                    )
                    .map(|d| Some(d * DAY))
                })
                .collect();
            if let Some(days) = days {
                return column(ColumnKind::Date, ColumnData::Date(days));
            }
        }
        if present.iter().all(|v| (20_000.0..=80_000.0).contains(v)) {
            let stamps = values
                .iter()
                .map(|v| {
                    excel_serial_to_days(*v)
                        .map(|d| d * DAY + (v.fract() * DAY as f64).round() as i64)
                })
                .collect();
            return column(ColumnKind::Date, ColumnData::Date(stamps));
        }
    }
    if integral && is_id_name(&name) {
        let (codes, levels) = dictionary_of_integers(&values);
        return column(ColumnKind::Id, ColumnData::Category { codes, levels });
    }
    if integral && is_code_name(&name) {
        let mut distinct: Vec<i64> = present.iter().map(|v| *v as i64).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() <= 12 && distinct.iter().all(|v| (0..100).contains(v)) {
            let (codes, levels) = dictionary_of_integers(&values);
            return column(
                ColumnKind::Categorical,
                ColumnData::Category { codes, levels },
            );
        }
    }
    let kind = if integral {
        ColumnKind::Integer
    } else {
        ColumnKind::Numeric
    };
    column(kind, ColumnData::Number(values))
}

/// Dictionary-encodes whole numbers as their decimal text (`17850.0` → `17850`).
fn dictionary_of_integers(values: &[f64]) -> (Vec<u32>, Vec<String>) {
    let mut index: FxHashMap<i64, u32> = FxHashMap::default();
    let mut levels = Vec::new();
    let codes = values
        .iter()
        .map(|v| {
            if v.is_nan() {
                return MISSING_CODE;
            }
            let key = *v as i64;
            *index.entry(key).or_insert_with(|| {
                levels.push(key.to_string());
                u32::try_from(levels.len() - 1).unwrap_or(MISSING_CODE - 1)
            })
        })
        .collect();
    (codes, levels)
}

fn blank_text(n: usize) -> RawColumn {
    let mut t = RawColumn::default();
    for _ in 0..n {
        t.push(b"");
    }
    t
}

fn trimmed_text(cells: &RawColumn, token: Option<&str>) -> RawColumn {
    let mut t = RawColumn::default();
    for c in cells.iter() {
        t.push_str(if is_missing(c, token) { "" } else { c.trim() });
    }
    t
}

/// Calls `each` with `f` of every row's cell, in row order, until it returns `false`. For
/// a column that keeps its cells coded, `f` runs once per distinct cell (the first time a
/// row holds it), so typing a ten-million-row log costs little more than its distinct
/// values.
fn for_each_cell<T: Copy>(
    cells: &RawColumn,
    mut f: impl FnMut(&str) -> T,
    mut each: impl FnMut(T) -> bool,
) {
    match cells.codes() {
        Some(codes) => {
            let mut memo: Vec<Option<T>> = vec![None; cells.distinct_len()];
            for &code in codes {
                let value = match memo.get_mut(code as usize) {
                    Some(Some(v)) => *v,
                    Some(slot) => *slot.insert(f(cells.distinct(code))),
                    None => f(""),
                };
                if !each(value) {
                    return;
                }
            }
        }
        None => {
            for cell in cells.iter() {
                if !each(f(cell)) {
                    return;
                }
            }
        }
    }
}

fn all_booleans(cells: &RawColumn, token: Option<&str>) -> Option<Vec<Option<bool>>> {
    let mut values = Vec::with_capacity(cells.len());
    let mut all = true;
    for_each_cell(
        cells,
        |c| {
            if is_missing(c, token) {
                Some(None)
            } else {
                parse_bool(c).map(Some)
            }
        },
        |v| match v {
            Some(v) => {
                values.push(v);
                true
            }
            None => {
                all = false;
                false
            }
        },
    );
    all.then_some(values)
}

/// Reads every present cell as a date. The column's own values decide day/month order
/// (a first field over 12 proves day-first); `default` is used when they cannot.
fn all_dates(
    cells: &RawColumn,
    token: Option<&str>,
    default: DateOrder,
) -> Option<Vec<Option<i64>>> {
    let (mut dmy, mut mdy, mut all) = (false, false, true);
    for_each_cell(
        cells,
        |c| {
            if is_missing(c, token) {
                return Some(None);
            }
            split_date(c).map(Some)
        },
        |p| match p {
            Some(Some(p)) => {
                let (d, m) = order_evidence(&p);
                dmy |= d;
                mdy |= m;
                true
            }
            Some(None) => true,
            None => {
                all = false;
                false
            }
        },
    );
    let order = match (all, dmy, mdy) {
        (false, _, _) | (true, true, true) => return None,
        (true, true, false) => DateOrder::Dmy,
        (true, false, true) => DateOrder::Mdy,
        (true, false, false) => default,
    };
    let mut values = Vec::with_capacity(cells.len());
    let mut valid = true;
    for_each_cell(
        cells,
        |c| {
            if is_missing(c, token) {
                return Some(None);
            }
            split_date(c).and_then(|p| p.to_timestamp(order)).map(Some)
        },
        |t| match t {
            Some(t) => {
                values.push(t);
                true
            }
            None => {
                valid = false;
                false
            }
        },
    );
    valid.then_some(values)
}

/// Dictionary-encodes trimmed cells. With `as_integer`, float-looking keys are normalized
/// (`17850.0` → `17850`).
fn dictionary(cells: &RawColumn, token: Option<&str>, as_integer: bool) -> (Vec<u32>, Vec<String>) {
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    let mut levels: Vec<String> = Vec::new();
    let mut codes = Vec::with_capacity(cells.len());
    // Levels are numbered in the order rows first show them, also when each distinct
    // cell is looked at once.
    for_each_cell(
        cells,
        |c| {
            if is_missing(c, token) {
                return MISSING_CODE;
            }
            let t = c.trim();
            let key = if as_integer {
                normalize_integer_key(t)
            } else {
                None
            };
            let key = key.as_deref().unwrap_or(t);
            match index.get(key) {
                Some(code) => *code,
                None => {
                    let code = u32::try_from(levels.len()).unwrap_or(MISSING_CODE - 1);
                    index.insert(key.to_owned(), code);
                    levels.push(key.to_owned());
                    code
                }
            }
        },
        |code| {
            codes.push(code);
            true
        },
    );
    (codes, levels)
}

/// `17850.0` → `17850`, `1,234` stays as written; `None` when no change is needed.
pub fn normalize_integer_key(t: &str) -> Option<String> {
    let (int, frac) = t.split_once('.')?;
    (!int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && frac.bytes().all(|b| b == b'0'))
    .then(|| int.to_owned())
}

fn label_kind(name: &str, levels: &[String], present: usize) -> ColumnKind {
    let d = levels.len();
    if is_id_name(name) {
        return ColumnKind::Id;
    }
    if d <= 50 && d < present {
        return ColumnKind::Categorical;
    }
    let sample = levels.get(..500).unwrap_or(levels);
    let with_space = sample.iter().filter(|s| s.contains(' ')).count();
    let with_digit = sample
        .iter()
        .filter(|s| s.bytes().any(|b| b.is_ascii_digit()))
        .count();
    let short = sample.iter().filter(|s| s.len() <= 32).count();
    let codeish = with_space * 10 <= sample.len()
        && with_digit * 2 >= sample.len()
        && short * 10 >= sample.len() * 9;
    if codeish {
        return ColumnKind::Id;
    }
    if with_space * 2 < sample.len() && d <= 1_000 && d * 20 <= present {
        return ColumnKind::Categorical;
    }
    ColumnKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};
    use crate::table::PiiKind;

    fn kinds(csv: &str) -> Vec<(String, ColumnKind)> {
        read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table
            .columns()
            .iter()
            .map(|c| (c.name.clone(), c.kind))
            .collect()
    }

    fn kind_of(csv: &str, col: &str) -> ColumnKind {
        kinds(csv).into_iter().find(|(n, _)| n == col).unwrap().1
    }

    #[test]
    fn numbers_integers_and_ids() {
        let csv = "CustomerID,amount,orders\n17850.0,10.5,3\n13047.0,20,1\n17850.0,3.25,2\n";
        assert_eq!(kind_of(csv, "CustomerID"), ColumnKind::Id);
        assert_eq!(kind_of(csv, "amount"), ColumnKind::Numeric);
        assert_eq!(kind_of(csv, "orders"), ColumnKind::Integer);
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("CustomerID").unwrap().display(0), "17850");
        assert_eq!(t.column("CustomerID").unwrap().distinct(), 2);
    }

    #[test]
    fn zero_padded_codes_stay_text_keys() {
        let csv = "code,x\n007,1\n012,2\n100,3\n";
        assert_eq!(kind_of(csv, "code"), ColumnKind::Id);
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("code").unwrap().display(0), "007");
    }

    #[test]
    fn booleans_dates_and_categories() {
        let csv = "flag,opt_in,joined,country\nyes,1,2010-12-01,UK\nno,0,2011-01-15,France\nYes,1,2011-02-01,UK\n";
        assert_eq!(kind_of(csv, "flag"), ColumnKind::Boolean);
        assert_eq!(kind_of(csv, "opt_in"), ColumnKind::Boolean);
        assert_eq!(kind_of(csv, "joined"), ColumnKind::Date);
        assert_eq!(kind_of(csv, "country"), ColumnKind::Categorical);
    }

    #[test]
    fn day_month_order_from_the_column_itself() {
        let csv = "when\n01/12/2010\n13/12/2010\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("when").unwrap().display(0), "2010-12-01");
        let csv = "when\n12/01/2010\n12/13/2010\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("when").unwrap().display(0), "2010-12-01");
    }

    #[test]
    fn compact_and_excel_dates_when_named_as_dates() {
        let csv =
            "order_date,excel_date,amount\n19970101,40513,19970101\n19970215,40514.5,19970215\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("order_date").unwrap().display(1), "1997-02-15");
        assert_eq!(t.column("excel_date").unwrap().display(0), "2010-12-01");
        assert_eq!(
            t.column("excel_date").unwrap().display(1),
            "2010-12-02 12:00:00"
        );
        assert_eq!(t.column("amount").unwrap().kind, ColumnKind::Integer);
    }

    #[test]
    fn small_integer_codes_are_categories() {
        let csv = "Channel,Region,Fresh\n2,3,12669\n2,3,7057\n1,1,6353\n";
        assert_eq!(kind_of(csv, "Channel"), ColumnKind::Categorical);
        assert_eq!(kind_of(csv, "Region"), ColumnKind::Categorical);
        assert_eq!(kind_of(csv, "Fresh"), ColumnKind::Integer);
    }

    #[test]
    fn missing_tokens_are_counted() {
        let csv = "x,y\n1,NA\n2,\n-,3\n4,5\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("x").unwrap().missing, 1);
        assert_eq!(t.column("y").unwrap().missing, 2);
        assert_eq!(t.column("y").unwrap().kind, ColumnKind::Integer);
    }

    #[test]
    fn user_missing_token() {
        let csv = "job,age\nadmin,30\nunknown,40\nservices,50\n";
        let opts = ReadOptions {
            missing_token: Some("unknown".into()),
            ..Default::default()
        };
        let t = read_bytes(csv.as_bytes(), &opts).unwrap().table;
        assert_eq!(t.column("job").unwrap().missing, 1);
    }

    #[test]
    fn personal_data_is_flagged() {
        let csv = "email,first_name,spend\nann@x.com,Ann,1\nbob@y.org,Bob,2\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("email").unwrap().pii, Some(PiiKind::Email));
        assert_eq!(t.column("first_name").unwrap().pii, Some(PiiKind::Name));
        assert_eq!(t.column("spend").unwrap().pii, None);
        // Yes/no columns about contact details, and a contact channel, are features.
        let csv = "phone,phone_verified,email_opt_in,contact\n\
                   0612345678,1,yes,cellular\n0687654321,0,no,telephone\n0611223344,1,no,cellular\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.column("phone").unwrap().pii, Some(PiiKind::Phone));
        for name in ["phone_verified", "email_opt_in", "contact"] {
            assert_eq!(t.column(name).unwrap().pii, None, "{name}");
        }
    }

    #[test]
    fn decimal_comma_file() {
        let csv = "id;amount;qty\n1;2,50;3\n2;1.234,75;1\n3;0,99;2\n";
        let loaded = read_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(loaded.report.decimal, Decimal::Comma);
        assert_eq!(
            loaded.table.column("amount").unwrap().numbers().unwrap(),
            &[2.5, 1234.75, 0.99]
        );
    }

    #[test]
    fn all_missing_column() {
        let csv = "a,b\n1,\n2,NA\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        let b = t.column("b").unwrap();
        assert_eq!((b.kind, b.missing), (ColumnKind::Text, 2));
    }

    #[test]
    fn id_names() {
        for n in [
            "CustomerID",
            "customer_id",
            "id",
            "InvoiceNo",
            "order number",
            "StockCode",
            "SKU",
            "user-Id",
        ] {
            assert!(is_id_name(n), "{n}");
        }
        for n in ["Paid", "number_of_orders", "amount", "Video", "Province"] {
            assert!(!is_id_name(n), "{n}");
        }
    }
}
