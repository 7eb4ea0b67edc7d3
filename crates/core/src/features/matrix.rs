//! Features: the numbers clustering sees, one row per customer.
//!
//! Which columns can be features, which are chosen by default, how missing values are
//! filled and how columns are scaled so that no single unit (euros vs. days) dominates.

use ndarray::{Array1, Array2, Axis};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::table::{Column, ColumnKind, Table};

/// How feature columns are put on a common scale before clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Subtract the mean and divide by the standard deviation (scikit-learn's
    /// `StandardScaler`: population standard deviation, constant columns left unscaled).
    #[default]
    Standard,
    /// Use the values as they are.
    None,
}

/// Why a feature matrix cannot be built.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FeatureError {
    /// Nothing numeric to cluster on.
    #[error(
        "This file has no numeric columns to form segments from. Segments are built from numbers such as amounts, counts or days; load a file that has some."
    )]
    NoNumericColumns,
    /// The user deselected everything.
    #[error("No features are selected. Tick at least one column under Features.")]
    NoneSelected,
    /// A named column does not exist.
    #[error(
        "The column '{0}' is not in this file. Check the spelling, or pick from the columns listed under Features."
    )]
    UnknownColumn(String),
    /// A column that holds words or ids was chosen.
    #[error(
        "The column '{name}' holds {kind} values, not numbers, so it cannot be a feature. Untick it."
    )]
    NotNumeric {
        /// Column name.
        name: String,
        /// Plain-language kind.
        kind: &'static str,
    },
    /// A personal-data column was chosen.
    #[error(
        "The column '{name}' holds personal data ({kind}); personal data is never used to form segments."
    )]
    PersonalData {
        /// Column name.
        name: String,
        /// Plain-language kind of personal data.
        kind: &'static str,
    },
    /// A chosen column has no values at all.
    #[error(
        "The column '{0}' is empty in every row, so it cannot tell customers apart. Untick it."
    )]
    AllMissing(String),
}

/// Whether a column can be a feature, and if not, why (shown next to its checkbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Column name.
    pub name: String,
    /// Column kind.
    pub kind: ColumnKind,
    /// Selected by default.
    pub default: bool,
    /// Why it cannot be used, if it cannot.
    pub blocked: Option<String>,
    /// Why it is not selected by default although it could be.
    pub note: Option<String>,
}

fn blocked_reason(column: &Column) -> Option<String> {
    if let Some(pii) = column.pii {
        return Some(format!(
            "personal data ({}), never used for segments",
            pii.label()
        ));
    }
    if column.missing == column.len() {
        return Some("empty in every row".into());
    }
    match column.kind {
        ColumnKind::Numeric | ColumnKind::Integer | ColumnKind::Boolean => {}
        ColumnKind::Id => return Some("an id, not a measurement".into()),
        ColumnKind::Date => {
            return Some("a date; behavioural features from dates come from order logs".into());
        }
        ColumnKind::Categorical => return Some("a category, not a number".into()),
        ColumnKind::Text => return Some("free text".into()),
    }
    None
}

/// Every column with whether it can be, and is by default, a feature.
///
/// Defaults: numeric columns that are not ids, not personal data, not constant and at
/// least half filled. Yes/no columns are available but not preselected.
pub fn candidates(table: &Table) -> Vec<Candidate> {
    table
        .columns()
        .iter()
        .map(|c| {
            let blocked = blocked_reason(c);
            let (default, note) = if blocked.is_some() {
                (false, None)
            } else if c.kind == ColumnKind::Boolean {
                (false, Some("yes/no; tick to use as 1/0".to_owned()))
            } else if c.distinct() <= 1 {
                (false, Some("the same in every row".to_owned()))
            } else if c.missing * 2 > c.len() {
                (
                    false,
                    Some(format!("{} of {} values missing", c.missing, c.len())),
                )
            } else {
                (true, None)
            };
            Candidate {
                name: c.name.clone(),
                kind: c.kind,
                default,
                blocked,
                note,
            }
        })
        .collect()
}

/// The default feature columns (see [`candidates`]).
pub fn default_columns(table: &Table) -> Vec<String> {
    candidates(table)
        .into_iter()
        .filter(|c| c.default)
        .map(|c| c.name)
        .collect()
}

/// A note about missing values filled in one feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imputed {
    /// Feature name.
    pub feature: String,
    /// How many values were missing.
    pub count: usize,
    /// The value used instead (the column's median).
    pub value: f64,
}

/// Fitted scaling: `scaled = (value - center) / scale` per feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Subtracted per feature.
    pub center: Vec<f64>,
    /// Divided by per feature (1 for constant columns).
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Fits a scaler of the given kind to `data`.
    pub fn fit(data: &Array2<f64>, kind: Scale) -> Scaler {
        let d = data.ncols();
        match kind {
            Scale::None => Scaler {
                center: vec![0.0; d],
                scale: vec![1.0; d],
            },
            Scale::Standard => {
                let n = data.nrows().max(1) as f64;
                let mean: Array1<f64> = data.sum_axis(Axis(0)) / n;
                let scale = (0..d)
                    .map(|j| {
                        let var = data
                            .column(j)
                            .iter()
                            .map(|v| (v - mean[j]).powi(2))
                            .sum::<f64>()
                            / n;
                        let sd = var.sqrt();
                        // scikit-learn leaves (near-)constant columns unscaled.
                        if sd < 10.0 * f64::EPSILON * mean[j].abs().max(1.0) {
                            1.0
                        } else {
                            sd
                        }
                    })
                    .collect();
                Scaler {
                    center: mean.to_vec(),
                    scale,
                }
            }
        }
    }

    /// Applies the scaling.
    pub fn transform(&self, data: &Array2<f64>) -> Array2<f64> {
        let mut out = data.clone();
        for mut row in out.rows_mut() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = (*v - self.center[j]) / self.scale[j];
            }
        }
        out
    }

    /// Maps a scaled point back to original units.
    pub fn inverse(&self, point: &[f64]) -> Vec<f64> {
        point
            .iter()
            .enumerate()
            .map(|(j, v)| v * self.scale[j] + self.center[j])
            .collect()
    }
}

/// The matrix clustering works on, in original and scaled units.
#[derive(Debug, Clone)]
pub struct FeatureMatrix {
    /// Feature names, one per column.
    pub names: Vec<String>,
    /// Values in original units, missing values filled.
    pub raw: Array2<f64>,
    /// Values after scaling.
    pub scaled: Array2<f64>,
    /// The fitted scaler.
    pub scaler: Scaler,
    /// Missing values filled, per feature that had any.
    pub imputed: Vec<Imputed>,
}

/// Builds the feature matrix from the named columns: checks each is usable, fills missing
/// values with the column median, and scales.
pub fn build(
    table: &Table,
    columns: &[String],
    scale: Scale,
) -> Result<FeatureMatrix, FeatureError> {
    if columns.is_empty() {
        let any_numeric = table
            .columns()
            .iter()
            .any(|c| c.kind.is_numeric() && c.pii.is_none());
        return Err(if any_numeric {
            FeatureError::NoneSelected
        } else {
            FeatureError::NoNumericColumns
        });
    }
    let n = table.n_rows();
    let mut raw = Array2::<f64>::zeros((n, columns.len()));
    let mut imputed = Vec::new();
    for (j, name) in columns.iter().enumerate() {
        let column = table
            .column(name)
            .ok_or_else(|| FeatureError::UnknownColumn(name.clone()))?;
        if let Some(pii) = column.pii {
            return Err(FeatureError::PersonalData {
                name: name.clone(),
                kind: pii.label(),
            });
        }
        if !matches!(
            column.kind,
            ColumnKind::Numeric | ColumnKind::Integer | ColumnKind::Boolean
        ) {
            return Err(FeatureError::NotNumeric {
                name: name.clone(),
                kind: column.kind.label(),
            });
        }
        let mut values: Vec<f64> = (0..n).map(|i| column.number_at(i)).collect();
        let missing = values.iter().filter(|v| !v.is_finite()).count();
        if missing == n {
            return Err(FeatureError::AllMissing(name.clone()));
        }
        if missing > 0 {
            let fill = median(values.iter().copied().filter(|v| v.is_finite()));
            for v in values.iter_mut().filter(|v| !v.is_finite()) {
                *v = fill;
            }
            imputed.push(Imputed {
                feature: name.clone(),
                count: missing,
                value: fill,
            });
        }
        raw.column_mut(j).assign(&Array1::from(values));
    }
    let scaler = Scaler::fit(&raw, scale);
    let scaled = scaler.transform(&raw);
    Ok(FeatureMatrix {
        names: columns.to_vec(),
        raw,
        scaled,
        scaler,
        imputed,
    })
}

/// Median of finite values (mean of the two middle values for even counts); 0 if empty.
pub fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_unstable_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    fn table(csv: &str) -> Table {
        read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table
    }

    #[test]
    fn defaults_skip_ids_personal_data_and_constants() {
        let t = table(
            "customer_id,email,spend,visits,same,country,vip\n1,a@x.com,10,1,5,UK,yes\n2,b@x.com,20,2,5,FR,no\n3,c@x.com,30,,5,UK,no\n",
        );
        assert_eq!(default_columns(&t), vec!["spend", "visits"]);
        let c = candidates(&t);
        assert!(c[1].blocked.as_deref().unwrap().contains("personal data"));
        assert_eq!(c[4].note.as_deref(), Some("the same in every row"));
        assert!(c[6].blocked.is_none() && !c[6].default);
    }

    #[test]
    fn standard_scaling_matches_scikit_learn() {
        // StandardScaler().fit_transform([[1, 10], [2, 10], [3, 10], [6, 10]])
        let t = table("a,b\n1,10\n2,10\n3,10\n6,10\n");
        let m = build(&t, &["a".into(), "b".into()], Scale::Standard).unwrap();
        let expected = [
            -1.0690449676496976,
            -0.5345224838248488,
            0.0,
            1.6035674514745464,
        ];
        for (got, want) in m.scaled.column(0).iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        assert!(m.scaled.column(1).iter().all(|v| *v == 0.0));
        assert_eq!(m.scaler.inverse(&[0.0, 0.0]), vec![3.0, 10.0]);
    }

    #[test]
    fn missing_values_get_the_median() {
        let t = table("a\n1\nNA\n3\n10\n");
        let m = build(&t, &["a".into()], Scale::None).unwrap();
        assert_eq!(m.raw.column(0).to_vec(), vec![1.0, 3.0, 3.0, 10.0]);
        assert_eq!(
            m.imputed,
            vec![Imputed {
                feature: "a".into(),
                count: 1,
                value: 3.0
            }]
        );
    }

    #[test]
    fn unusable_columns_are_refused_with_a_reason() {
        let t = table("id,email,name2,empty\n1,a@x.com,Ann,\n2,b@x.com,Bob,\n");
        assert_eq!(
            build(&t, &[], Scale::Standard).unwrap_err(),
            FeatureError::NoNumericColumns
        );
        assert!(matches!(
            build(&t, &["email".into()], Scale::Standard),
            Err(FeatureError::PersonalData { .. })
        ));
        assert!(matches!(
            build(&t, &["id".into()], Scale::Standard),
            Err(FeatureError::NotNumeric { .. })
        ));
        assert_eq!(
            build(&t, &["nope".into()], Scale::Standard).unwrap_err(),
            FeatureError::UnknownColumn("nope".into())
        );
        let msg = build(&t, &["id".into()], Scale::Standard)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("'id'") && msg.contains("Untick"), "{msg}");
    }
}
