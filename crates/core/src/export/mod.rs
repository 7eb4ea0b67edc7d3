//! Exports: files a user downloads, safe to open in a spreadsheet.

pub mod presets;
pub mod report;

use serde::Serialize;

use crate::table::Table;

/// Neutralizes a cell a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, or a
/// leading tab or carriage return) by prefixing an apostrophe. Numbers such as `-5` or
/// `+3.2` stay numbers, and so do phone numbers such as `+44 1632 960001`.
///
/// ```
/// use segmenta_core::export::safe_cell;
/// assert_eq!(safe_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(safe_cell("-5"), "-5");
/// assert_eq!(safe_cell("+1+1"), "'+1+1");
/// assert_eq!(safe_cell("+44 1632 960001"), "+44 1632 960001");
/// assert_eq!(safe_cell("Ann"), "Ann");
/// ```
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && cell.trim().parse::<f64>().map_or(true, |v| !v.is_finite()) && !is_phone(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A phone number in international form (`+44 1632 960001`, `+1 (555) 010-0200`): one
/// leading `+`, then at least seven digits with only spaces, brackets, dashes or dots
/// between. It cannot call a function in a spreadsheet, and a CRM import needs the `+`.
fn is_phone(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix('+') else {
        return false;
    };
    rest.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.'))
        && rest.chars().filter(char::is_ascii_digit).count() >= 7
}

/// What goes into the labelled CSV besides the ids.
#[derive(Debug, Clone, Copy)]
pub struct LabelColumns<'a> {
    /// Segment of each input row (`None`: not segmented).
    pub labels: &'a [Option<usize>],
    /// Segment names by segment number.
    pub names: &'a [String],
    /// The segment number of the outlier group, written as `-1`.
    pub outliers: Option<usize>,
    /// Probability of each row's segment (mixtures), written as a `probability` column.
    pub probability: Option<&'a [Option<f64>]>,
    /// Rule segments (one `yes`/`no` column each) and `primary_campaign`.
    pub campaigns: Option<&'a crate::rules::Campaigns>,
    /// More columns per customer (RFM scores, churn risk and lifetime value).
    pub extra: &'a [ExtraColumn],
}

/// A column added to the labelled CSV: a header and one cell per table row.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraColumn {
    /// Header.
    pub name: String,
    /// One cell per table row.
    pub cells: Vec<String>,
}

/// Why chosen columns cannot be added to an export.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttachError {
    /// No column has that name.
    #[error(
        "There is no column “{name}” among these customers. Contact columns that can be added: {available}."
    )]
    Unknown {
        /// The name asked for.
        name: String,
        /// The personal-data columns, listed for the user.
        available: String,
    },
}

/// Columns flagged as personal data: never features, but what CRM and email tools match
/// contacts by, so the user may add them back to an export.
pub fn personal_columns(table: &Table) -> Vec<&crate::table::Column> {
    table.columns().iter().filter(|c| c.pii.is_some()).collect()
}

/// The columns `names` of `table` (personal data the user chose to add back, or any other
/// column), as extra columns of the labelled CSV, in the order given.
pub fn attached_columns(table: &Table, names: &[String]) -> Result<Vec<ExtraColumn>, AttachError> {
    names
        .iter()
        .map(|name| {
            let column = table.column(name).ok_or_else(|| {
                let listed: Vec<String> = personal_columns(table)
                    .iter()
                    .map(|c| format!("“{}”", c.name))
                    .collect();
                AttachError::Unknown {
                    name: name.clone(),
                    available: if listed.is_empty() {
                        "none (no column holds emails, phones, names or addresses)".to_owned()
                    } else {
                        listed.join(", ")
                    },
                }
            })?;
            Ok(ExtraColumn {
                name: column.name.clone(),
                cells: (0..table.n_rows()).map(|i| column.display(i)).collect(),
            })
        })
        .collect()
}

/// `r_score`, `f_score`, `m_score` and `rfm_segment` per customer (empty where missing).
pub fn rfm_columns(scores: &[Option<crate::explain::rfm::RfmScore>]) -> Vec<ExtraColumn> {
    let column = |name: &str, cell: &dyn Fn(crate::explain::rfm::RfmScore) -> String| ExtraColumn {
        name: name.to_owned(),
        cells: scores
            .iter()
            .map(|s| s.map_or_else(String::new, cell))
            .collect(),
    };
    vec![
        column("r_score", &|s| s.r.to_string()),
        column("f_score", &|s| s.f.to_string()),
        column("m_score", &|s| s.m.to_string()),
        column("rfm_segment", &|s| s.segment().name().to_owned()),
    ]
}

/// `churn_risk` (1 − probability of still being active), `clv` and `at_risk` per customer
/// (empty for customers without a purchase).
pub fn lifetime_columns(lifetime: &crate::explain::lifetime::Lifetime) -> Vec<ExtraColumn> {
    let column = |name: &str, cell: &dyn Fn(&crate::explain::lifetime::CustomerValue) -> String| {
        ExtraColumn {
            name: name.to_owned(),
            cells: lifetime
                .customers
                .iter()
                .map(|c| c.as_ref().map_or_else(String::new, cell))
                .collect(),
        }
    };
    vec![
        column("churn_risk", &|c| format!("{:.4}", 1.0 - c.p_alive)),
        column("clv", &|c| format!("{:.2}", c.clv)),
        column("at_risk", &|c| {
            if c.at_risk { "yes" } else { "no" }.to_owned()
        }),
    ]
}

/// The customers' map coordinates: the id column (or `row`), `segment` (−1 for outliers)
/// and `x`, `y` (and `z` when there is a third component), one line per mapped customer in
/// input order.
pub fn map_csv(
    table: &Table,
    map: &crate::projection::CustomerMap,
    labels: &[Option<usize>],
    outliers: Option<usize>,
) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().from_writer(Vec::with_capacity(map.rows.len() * 48));
    let id = table.id_column();
    let mut header = vec![
        safe_cell(id.map_or("row", |c| c.name.as_str())).into_owned(),
        "segment".into(),
    ];
    let axes = ["x", "y", "z"];
    header.extend(axes.iter().take(map.coords.ncols()).map(|a| a.to_string()));
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = out.write_record(&header);
    for (&row, coords) in map.rows.iter().zip(map.coords.rows()) {
        let key = id.map_or_else(|| (row + 1).to_string(), |c| c.display(row));
        let segment = match labels.get(row).copied().flatten() {
            Some(l) if Some(l) == outliers => "-1".to_owned(),
            Some(l) => l.to_string(),
            None => String::new(),
        };
        let mut record = vec![safe_cell(&key).into_owned(), segment];
        record.extend(coords.iter().map(|v| format!("{v:.6}")));
        let _ = out.write_record(&record);
    }
    out.into_inner().unwrap_or_default()
}

/// The labelled CSV: the id column (or `row`, counting from 1), `segment` and
/// `segment_name` (and `probability` for mixtures), one line per input row in input order.
/// Outliers are segment `-1`; customers left out of the segmentation have an empty segment
/// and the name `Not segmented`.
pub fn labels_csv(table: &Table, columns: &LabelColumns<'_>) -> Vec<u8> {
    labels_csv_where(table, columns, &|_| true)
}

/// [`labels_csv`] for the rows where `keep(row)` holds.
fn labels_csv_where(
    table: &Table,
    columns: &LabelColumns<'_>,
    keep: &dyn Fn(usize) -> bool,
) -> Vec<u8> {
    let mut out =
        csv::WriterBuilder::new().from_writer(Vec::with_capacity(columns.labels.len() * 24));
    let id = table.id_column();
    let id_header = id.map_or("row", |c| c.name.as_str());
    let mut header = vec![
        safe_cell(id_header).into_owned(),
        "segment".into(),
        "segment_name".into(),
    ];
    if columns.probability.is_some() {
        header.push("probability".into());
    }
    header.extend(
        columns
            .extra
            .iter()
            .map(|c| safe_cell(&c.name).into_owned()),
    );
    if let Some(c) = columns.campaigns {
        header.extend(c.names.iter().map(|n| safe_cell(n).into_owned()));
        header.push("primary_campaign".into());
    }
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = out.write_record(&header);
    for (i, label) in columns.labels.iter().enumerate().filter(|(i, _)| keep(*i)) {
        let key = id.map_or_else(|| (i + 1).to_string(), |c| c.display(i));
        let (segment, name) = match label {
            Some(l) if Some(*l) == columns.outliers => ("-1".to_owned(), crate::explain::OUTLIERS),
            Some(l) => (
                l.to_string(),
                columns.names.get(*l).map_or("", String::as_str),
            ),
            None => (String::new(), "Not segmented"),
        };
        let mut record = vec![
            safe_cell(&key).into_owned(),
            segment,
            safe_cell(name).into_owned(),
        ];
        if let Some(p) = columns.probability {
            record.push(
                p.get(i)
                    .copied()
                    .flatten()
                    .map_or_else(String::new, |p| format!("{p:.4}")),
            );
        }
        record.extend(columns.extra.iter().map(|c| {
            c.cells
                .get(i)
                .map_or_else(String::new, |v| safe_cell(v).into_owned())
        }));
        if let Some(c) = columns.campaigns {
            record.extend(c.members.iter().map(|m| {
                if m.get(i).copied().unwrap_or(false) {
                    "yes"
                } else {
                    "no"
                }
                .to_owned()
            }));
            record.push(
                c.primary
                    .get(i)
                    .cloned()
                    .flatten()
                    .map_or_else(String::new, |p| safe_cell(&p).into_owned()),
            );
        }
        let _ = out.write_record(&record);
    }
    out.into_inner().unwrap_or_default()
}

/// One line per row of `table`: its id (or `row`, counting from 1), then `cells(i)` under
/// `header`. Rows where `cells` gives `None` are left out.
fn keyed_csv(
    table: &Table,
    header: &[&str],
    mut cells: impl FnMut(usize) -> Option<Vec<String>>,
) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().from_writer(Vec::with_capacity(table.n_rows() * 48));
    let id = table.id_column();
    let mut first = vec![safe_cell(id.map_or("row", |c| c.name.as_str())).into_owned()];
    first.extend(header.iter().map(|h| h.to_string()));
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = out.write_record(&first);
    for i in 0..table.n_rows() {
        if let Some(values) = cells(i) {
            let key = id.map_or_else(|| (i + 1).to_string(), |c| c.display(i));
            let mut record = vec![safe_cell(&key).into_owned()];
            record.extend(values);
            let _ = out.write_record(&record);
        }
    }
    out.into_inner().unwrap_or_default()
}

/// Every customer's RFM scores: `r_score`, `f_score`, `m_score` (1–5), `rfm_code` (e.g.
/// `545`) and `rfm_segment` (e.g. `Champions`); empty where a value was missing.
pub fn rfm_csv(table: &Table, scores: &[Option<crate::explain::rfm::RfmScore>]) -> Vec<u8> {
    let header = ["r_score", "f_score", "m_score", "rfm_code", "rfm_segment"];
    keyed_csv(table, &header, |i| {
        Some(match scores.get(i).copied().flatten() {
            Some(s) => vec![
                s.r.to_string(),
                s.f.to_string(),
                s.m.to_string(),
                s.code(),
                s.segment().name().to_owned(),
            ],
            None => vec![String::new(); header.len()],
        })
    })
}

/// Every customer's lifetime predictions: `p_alive`, `expected_purchases`,
/// `expected_order_value`, `clv` and `at_risk` (`yes`/`no`); empty for customers without a
/// purchase.
pub fn lifetime_csv(table: &Table, lifetime: &crate::explain::lifetime::Lifetime) -> Vec<u8> {
    let header = [
        "p_alive",
        "expected_purchases",
        "expected_order_value",
        "clv",
        "at_risk",
    ];
    keyed_csv(table, &header, |i| {
        Some(match lifetime.customers.get(i).copied().flatten() {
            Some(c) => vec![
                format!("{:.6}", c.p_alive),
                format!("{:.6}", c.expected_purchases),
                format!("{:.2}", c.expected_order_value),
                format!("{:.2}", c.clv),
                if c.at_risk { "yes" } else { "no" }.to_owned(),
            ],
            None => vec![String::new(); header.len()],
        })
    })
}

/// Why each customer is in their segment: `segment`, `segment_name`, `fit` (distance to
/// the segment's centre, or for mixtures the probability), `runner_up`, `runner_up_name`,
/// `runner_up_fit`, the features that put them there (`reason_1`…`reason_3`) and
/// `explanation` in words. Customers left out of the segmentation have empty cells.
pub fn why_csv(
    table: &Table,
    whys: &[Option<crate::explain::why::Why>],
    names: &[String],
    outliers: Option<usize>,
) -> Vec<u8> {
    let header = [
        "segment",
        "segment_name",
        "fit",
        "runner_up",
        "runner_up_name",
        "runner_up_fit",
        "reason_1",
        "reason_2",
        "reason_3",
        "explanation",
    ];
    let number = |s: Option<usize>| match s {
        Some(s) if Some(s) == outliers => "-1".to_owned(),
        Some(s) => s.to_string(),
        None => String::new(),
    };
    let name = |s: Option<usize>| {
        s.and_then(|s| names.get(s))
            .map_or_else(String::new, |n| safe_cell(n).into_owned())
    };
    let fit = |distance: Option<f64>, probability: Option<f64>| match (probability, distance) {
        (Some(p), _) => format!("{p:.4}"),
        (None, Some(d)) => format!("{d:.4}"),
        (None, None) => String::new(),
    };
    keyed_csv(table, &header, |i| {
        let Some(w) = whys.get(i).and_then(Option::as_ref) else {
            return Some(vec![String::new(); header.len()]);
        };
        let mut cells = vec![
            number(Some(w.segment)),
            name(Some(w.segment)),
            fit(w.distance, w.probability),
            number(w.runner_up),
            name(w.runner_up),
            fit(w.runner_up_distance, w.runner_up_probability),
        ];
        cells.extend((0..crate::explain::why::REASONS).map(|r| {
            w.reasons
                .get(r)
                .map_or_else(String::new, |r| safe_cell(&r.feature).into_owned())
        }));
        cells.push(safe_cell(&w.sentences(names).join(" ")).into_owned());
        Some(cells)
    })
}

/// Several files in one zip archive (stored, uncompressed; dated 1980-01-01, since the
/// browser's clock is not needed to read them).
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A segment name as part of a file name (`Can't lose them` → `can_t_lose_them`).
pub fn file_slug(name: &str) -> String {
    let s = crate::features::events::slug(name);
    if s.is_empty() {
        "segment".to_owned()
    } else {
        s
    }
}

/// One labelled CSV per segment with customers (outliers included), as
/// `(file name, bytes)`: `<stem>_<segment>.csv`, with the same columns as [`labels_csv`].
pub fn segment_lists(
    table: &Table,
    columns: &LabelColumns<'_>,
    stem: &str,
) -> Vec<(String, Vec<u8>)> {
    (0..columns.names.len())
        .filter(|&s| columns.labels.contains(&Some(s)))
        .map(|s| {
            let csv =
                labels_csv_where(table, columns, &|i| columns.labels.get(i) == Some(&Some(s)));
            let name = columns.names.get(s).map_or("segment", String::as_str);
            (format!("{stem}_{}.csv", file_slug(name)), csv)
        })
        .collect()
}

/// The migration table: `from`, `to`, `customers`, largest first.
pub fn migration_csv(migration: &crate::apply::Migration) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = out.write_record(["from", "to", "customers"]);
    for m in &migration.moves {
        let _ = out.write_record([
            safe_cell(&m.from).into_owned(),
            safe_cell(&m.to).into_owned(),
            m.customers.to_string(),
        ]);
    }
    out.into_inner().unwrap_or_default()
}

/// A table as CSV, every column except personal data; numbers at full precision, dates
/// as `YYYY-MM-DD[ HH:MM:SS]`, cells that could run as formulas neutralized.
pub fn table_csv(table: &Table) -> Vec<u8> {
    let columns: Vec<&crate::table::Column> =
        table.columns().iter().filter(|c| c.pii.is_none()).collect();
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = out.write_record(columns.iter().map(|c| safe_cell(&c.name).into_owned()));
    for i in 0..table.n_rows() {
        let _ = out.write_record(columns.iter().map(|c| match c.numbers() {
            // `+ 0.0` turns −0 (the sum of nothing) into 0.
            Some(v) => match v.get(i) {
                Some(x) if x.is_finite() => format!("{}", x + 0.0),
                _ => String::new(),
            },
            None => safe_cell(&c.display(i)).into_owned(),
        }));
    }
    out.into_inner().unwrap_or_default()
}

/// Formats a JSON report with stable key order and a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    #[test]
    fn formula_cells_are_neutralized_numbers_are_not() {
        for risky in [
            "=1+1",
            "+1+1",
            "@SUM(A1:A2)",
            "-2+3",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://evil\",\"click\")",
        ] {
            assert!(safe_cell(risky).starts_with('\''), "{risky:?}");
        }
        for fine in ["-5", "+3.2", "1e5", "Ann", "", "a=b"] {
            assert_eq!(safe_cell(fine), fine);
        }
    }

    #[test]
    fn chosen_contact_columns_are_added_back_in_order() {
        let table = read_bytes(
            b"id,email,first_name,spend\nC1,ann@example.com,Ann,10\nC2,=cmd|'/c calc'!A1,Bob,20\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table;
        let names: Vec<&str> = personal_columns(&table)
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["email", "first_name"]);
        let extra = attached_columns(&table, &["first_name".into(), "email".into()]).unwrap();
        let csv = labels_csv(
            &table,
            &LabelColumns {
                labels: &[Some(0), Some(1)],
                names: &["Small".into(), "Big".into()],
                outliers: None,
                probability: None,
                campaigns: None,
                extra: &extra,
            },
        );
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "id,segment,segment_name,first_name,email\nC1,0,Small,Ann,ann@example.com\nC2,1,Big,Bob,'=cmd|'/c calc'!A1\n"
        );
        let e = attached_columns(&table, &["phone".into()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "There is no column “phone” among these customers. Contact columns that can be added: “email”, “first_name”."
        );
    }

    #[test]
    fn segment_lists_zip_one_file_per_segment() {
        let t = read_bytes(
            b"customer_id,spend\nA1,1\nA2,2\nA3,3\nA4,4\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table;
        let names = vec![
            "Big spenders".to_owned(),
            "Lost".to_owned(),
            "Empty".to_owned(),
        ];
        let labels = [Some(1), Some(0), None, Some(0)];
        let columns = LabelColumns {
            labels: &labels,
            names: &names,
            outliers: None,
            probability: None,
            campaigns: None,
            extra: &[],
        };
        let lists = segment_lists(&t, &columns, "shop");
        let names: Vec<&str> = lists.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["shop_big_spenders.csv", "shop_lost.csv"]);
        assert_eq!(
            String::from_utf8(lists[0].1.clone()).unwrap(),
            "customer_id,segment,segment_name\nA2,0,Big spenders\nA4,0,Big spenders\n"
        );
        let zipped = zip_files(&lists).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("shop_lost.csv").unwrap(), &mut text)
            .unwrap();
        assert_eq!(text, "customer_id,segment,segment_name\nA1,1,Lost\n");
    }

    #[test]
    fn labels_file_has_one_line_per_row() {
        let t = read_bytes(
            b"customer_id,spend\nA1,1\n=cmd,2\nA3,3\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table;
        let names = ["Big".into(), "Small".into()];
        let columns = LabelColumns {
            labels: &[Some(1), Some(0), None],
            names: &names,
            outliers: None,
            probability: None,
            campaigns: None,
            extra: &[],
        };
        let csv = String::from_utf8(labels_csv(&t, &columns)).unwrap();
        assert_eq!(
            csv,
            "customer_id,segment,segment_name\nA1,1,Small\n'=cmd,0,Big\nA3,,Not segmented\n"
        );
        // Outliers are -1; mixtures add probabilities.
        let with_outliers = LabelColumns {
            labels: &[Some(1), Some(0), Some(2)],
            names: &["Big".into(), "Small".into(), "Outliers".into()],
            outliers: Some(2),
            probability: Some(&[Some(0.91234), Some(1.0), None]),
            campaigns: None,
            extra: &[],
        };
        assert_eq!(
            String::from_utf8(labels_csv(&t, &with_outliers)).unwrap(),
            "customer_id,segment,segment_name,probability\nA1,1,Small,0.9123\n'=cmd,0,Big,1.0000\nA3,-1,Outliers,\n"
        );
    }

    #[test]
    fn row_numbers_without_an_id_column() {
        let t = read_bytes(b"spend\n1\n2\n", &ReadOptions::default())
            .unwrap()
            .table;
        let columns = LabelColumns {
            labels: &[Some(0), Some(0)],
            names: &["All".into()],
            outliers: None,
            probability: None,
            campaigns: None,
            extra: &[],
        };
        let csv = String::from_utf8(labels_csv(&t, &columns)).unwrap();
        assert_eq!(csv, "row,segment,segment_name\n1,0,All\n2,0,All\n");
    }
}
