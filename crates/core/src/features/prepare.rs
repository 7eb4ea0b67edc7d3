//! Preparing features: per feature, how missing values are filled, whether extremes are
//! capped, whether a log is taken, how it is scaled and how much it weighs; categories with
//! few values become one indicator column per value.
//!
//! [`Preprocessor::fit`] learns the fill values, caps, centres and scales from the data and
//! keeps them, so [`Preprocessor::transform`] can prepare next month's file exactly the
//! same way (the recipe carries it).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::matrix::FeatureError;
use crate::table::{ColumnData, ColumnKind, MISSING_CODE, Table};

/// How missing values of a feature are handled.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "fill", content = "value")]
pub enum Missing {
    /// The median of the column.
    #[default]
    Median,
    /// The mean of the column.
    Mean,
    /// The most frequent value.
    MostFrequent,
    /// A fixed value.
    Constant(f64),
    /// Leave customers with a missing value out of the segmentation.
    Drop,
}

/// How a feature is put on a common scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Subtract the mean, divide by the standard deviation (scikit-learn's
    /// `StandardScaler`: population standard deviation; constant columns unscaled).
    #[default]
    Standard,
    /// Subtract the median, divide by the interquartile range (resists outliers).
    Robust,
    /// Map the smallest value to 0 and the largest to 1.
    MinMax,
    /// Leave as is.
    None,
}

impl Missing {
    /// The choice in words, as the report shows it.
    pub fn words(self) -> String {
        match self {
            Missing::Median => "filled with the median".into(),
            Missing::Mean => "filled with the mean".into(),
            Missing::MostFrequent => "filled with the most frequent value".into(),
            Missing::Constant(v) => format!("filled with {v}"),
            Missing::Drop => "customers left out".into(),
        }
    }
}

impl Scale {
    /// The choice in words, as the report shows it.
    pub fn words(self) -> &'static str {
        match self {
            Scale::Standard => "standard (mean 0, spread 1)",
            Scale::Robust => "robust (median 0, resists outliers)",
            Scale::MinMax => "from 0 to 1",
            Scale::None => "as is",
        }
    }
}

/// Everything chosen for one feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureChoice {
    /// Column name.
    pub name: String,
    /// Missing values.
    #[serde(default)]
    pub missing: Missing,
    /// Cap values below and above these percentiles (e.g. `[1, 99]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winsorize: Option<(f64, f64)>,
    /// Take `ln(1 + x)` before scaling (for skewed amounts and counts).
    #[serde(default)]
    pub log: bool,
    /// Scaling.
    #[serde(default)]
    pub scale: Scale,
    /// Weight in distances (1 = normal).
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

impl FeatureChoice {
    /// The defaults for a column: median fill, standard scaling, and a log for
    /// non-negative, right-skewed columns (skewness above 1).
    pub fn default_for(table: &Table, name: &str) -> FeatureChoice {
        let log = table.column(name).is_some_and(|c| {
            let v: Vec<f64> = (0..c.len())
                .map(|i| c.number_at(i))
                .filter(|v| v.is_finite())
                .collect();
            c.kind.is_numeric()
                && !v.is_empty()
                && v.iter().all(|x| *x >= 0.0)
                && skewness(&v) > 1.0
        });
        FeatureChoice {
            name: name.to_owned(),
            missing: Missing::Median,
            winsorize: None,
            log,
            scale: Scale::Standard,
            weight: 1.0,
        }
    }

    /// Plain defaults (median fill, standard scaling, no log).
    pub fn plain(name: &str) -> FeatureChoice {
        FeatureChoice {
            name: name.to_owned(),
            missing: Missing::Median,
            winsorize: None,
            log: false,
            scale: Scale::Standard,
            weight: 1.0,
        }
    }
}

/// Fisher's moment coefficient of skewness (population).
pub fn skewness(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if n < 3.0 {
        return 0.0;
    }
    let mean = v.iter().sum::<f64>() / n;
    let m2 = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m3 = v.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n;
    if m2 <= 0.0 { 0.0 } else { m3 / m2.powf(1.5) }
}

/// One prepared column, with everything learned from the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Prepared {
    /// A numeric feature.
    Numeric {
        /// The column it comes from.
        column: String,
        /// Value used for missing cells (`None`: those customers are left out).
        fill: Option<f64>,
        /// Caps, when winsorizing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clip: Option<(f64, f64)>,
        /// Whether `ln(1 + x)` is taken.
        log: bool,
        /// Subtracted after the log.
        center: f64,
        /// Divided by after centring.
        scale: f64,
        /// Multiplied by at the end.
        weight: f64,
    },
    /// A categorical column kept as category codes (for k-prototypes).
    Category {
        /// The categorical column.
        column: String,
        /// Its values; a customer's code is the position of their value here.
        levels: Vec<String>,
    },
    /// 1 when a categorical column has one value, else 0.
    Indicator {
        /// The categorical column.
        column: String,
        /// The value.
        level: String,
        /// Multiplied by at the end.
        weight: f64,
    },
}

impl Prepared {
    /// The feature's name as shown: the column, or `column = value` for indicators.
    pub fn name(&self) -> String {
        match self {
            Prepared::Numeric { column, .. } => column.clone(),
            Prepared::Indicator { column, level, .. } => format!("{column} = {level}"),
            Prepared::Category { column, .. } => column.clone(),
        }
    }
}

/// How categorical columns reach the algorithm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// One 0/1 indicator column per value (up to [`ONE_HOT_MAX_LEVELS`] values).
    #[default]
    OneHot,
    /// Category codes, compared as categories (up to [`CATEGORY_MAX_LEVELS`] values).
    Codes,
}

/// A note about what preparation did, for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imputed {
    /// Feature name.
    pub feature: String,
    /// How many values were missing.
    pub count: usize,
    /// The value used instead (`NaN` when those customers were left out).
    pub value: f64,
}

/// The fitted preparation of every feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preprocessor {
    /// Prepared columns in order.
    pub columns: Vec<Prepared>,
}

/// Prepared data.
#[derive(Debug, Clone)]
pub struct FeatureMatrix {
    /// Feature names, one per column.
    pub names: Vec<String>,
    /// Table rows included (customers with a value to drop are left out).
    pub rows: Vec<usize>,
    /// Values in original units, missing values filled (indicators: 0/1).
    pub raw: Array2<f64>,
    /// Values after log, scaling and weights: what clustering sees.
    pub scaled: Array2<f64>,
    /// Category codes (`rows × categories`, `u32::MAX` = missing) with
    /// [`Encoding::Codes`].
    pub categories: Option<Array2<u32>>,
    /// Names of the category columns.
    pub category_names: Vec<String>,
    /// Missing values filled or dropped, per feature that had any.
    pub imputed: Vec<Imputed>,
    /// Other notes ("x is the same for every customer and was left out").
    pub notes: Vec<String>,
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    // Linear interpolation between closest ranks (numpy's default).
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn most_frequent(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let (mut best, mut best_n, mut i) = (f64::NAN, 0, 0);
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|v| **v == sorted[i]).count();
        if j > best_n {
            best = sorted[i];
            best_n = j;
        }
        i += j;
    }
    best
}

/// Categorical columns with at most this many values can be one-hot encoded.
pub const ONE_HOT_MAX_LEVELS: usize = 12;
/// Categorical columns with at most this many values can be used as categories.
pub const CATEGORY_MAX_LEVELS: usize = 200;

impl Preprocessor {
    /// Learns the preparation of `choices` and the `categorical` columns (encoded as
    /// `encoding` says) from `table`, and applies it.
    pub fn fit(
        table: &Table,
        choices: &[FeatureChoice],
        categorical: &[String],
        encoding: Encoding,
    ) -> Result<(Preprocessor, FeatureMatrix), FeatureError> {
        if choices.is_empty() && categorical.is_empty() {
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
        let mut columns = Vec::new();
        let mut notes = Vec::new();
        for choice in choices {
            let values = numeric_values(table, &choice.name)?;
            let present: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
            if present.is_empty() {
                return Err(FeatureError::AllMissing(choice.name.clone()));
            }
            let mut sorted = present.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            if sorted.first() == sorted.last() {
                notes.push(format!("{} is the same for every customer, so it cannot tell them apart and was left out.", choice.name));
                continue;
            }
            let fill = match choice.missing {
                Missing::Median => Some(quantile(&sorted, 0.5)),
                Missing::Mean => Some(present.iter().sum::<f64>() / present.len() as f64),
                Missing::MostFrequent => Some(most_frequent(&present)),
                Missing::Constant(v) => Some(v),
                Missing::Drop => None,
            };
            let clip = choice
                .winsorize
                .map(|(lo, hi)| (quantile(&sorted, lo / 100.0), quantile(&sorted, hi / 100.0)));
            if choice.log && sorted[0] <= -1.0 {
                return Err(FeatureError::LogOfNegative(choice.name.clone()));
            }
            // Centre and scale are learned on the filled, capped, logged values.
            let shaped: Vec<f64> = values
                .iter()
                .filter_map(|v| shape(*v, fill, clip, choice.log))
                .collect();
            let (center, scale) = scaling(&shaped, choice.scale);
            columns.push(Prepared::Numeric {
                column: choice.name.clone(),
                fill,
                clip,
                log: choice.log,
                center,
                scale,
                weight: choice.weight,
            });
        }
        for name in categorical {
            let column = table
                .column(name)
                .ok_or_else(|| FeatureError::UnknownColumn(name.clone()))?;
            let (ColumnKind::Categorical, ColumnData::Category { codes, levels }) =
                (column.kind, &column.data)
            else {
                return Err(FeatureError::NotCategorical(name.clone()));
            };
            let max = match encoding {
                Encoding::OneHot => ONE_HOT_MAX_LEVELS,
                Encoding::Codes => CATEGORY_MAX_LEVELS,
            };
            if levels.len() > max {
                return Err(FeatureError::TooManyLevels {
                    name: name.clone(),
                    levels: levels.len(),
                    max,
                });
            }
            if encoding == Encoding::Codes {
                columns.push(Prepared::Category {
                    column: name.clone(),
                    levels: levels.clone(),
                });
                continue;
            }
            let mut counts = vec![0usize; levels.len()];
            for c in codes.iter().filter(|c| **c != MISSING_CODE) {
                counts[*c as usize] += 1;
            }
            for (level, count) in levels.iter().zip(counts) {
                if count > 0 {
                    columns.push(Prepared::Indicator {
                        column: name.clone(),
                        level: level.clone(),
                        weight: 1.0,
                    });
                }
            }
        }
        if columns.is_empty() {
            return Err(FeatureError::AllConstant);
        }
        let pre = Preprocessor { columns };
        let mut matrix = pre.transform(table)?;
        notes.append(&mut matrix.notes);
        matrix.notes = notes;
        Ok((pre, matrix))
    }

    /// Prepares `table` with the fitted parameters (no refitting).
    pub fn transform(&self, table: &Table) -> Result<FeatureMatrix, FeatureError> {
        let n = table.n_rows();
        let numeric: Vec<&Prepared> = self
            .columns
            .iter()
            .filter(|p| !matches!(p, Prepared::Category { .. }))
            .collect();
        let mut raw_columns: Vec<Vec<f64>> = Vec::with_capacity(numeric.len());
        let mut code_columns: Vec<Vec<u32>> = Vec::new();
        let mut category_names = Vec::new();
        let mut keep = vec![true; n];
        let mut imputed = Vec::new();
        for p in &self.columns {
            match p {
                Prepared::Numeric { column, fill, .. } => {
                    let values = numeric_values(table, column)?;
                    let missing = values.iter().filter(|v| !v.is_finite()).count();
                    if missing > 0 {
                        imputed.push(Imputed {
                            feature: column.clone(),
                            count: missing,
                            value: fill.unwrap_or(f64::NAN),
                        });
                        if fill.is_none() {
                            for (k, v) in keep.iter_mut().zip(&values) {
                                *k &= v.is_finite();
                            }
                        }
                    }
                    raw_columns.push(
                        values
                            .iter()
                            .map(|v| {
                                if v.is_finite() {
                                    *v
                                } else {
                                    fill.unwrap_or(f64::NAN)
                                }
                            })
                            .collect(),
                    );
                }
                Prepared::Indicator { column, level, .. } => {
                    let c = table
                        .column(column)
                        .ok_or_else(|| FeatureError::UnknownColumn(column.clone()))?;
                    raw_columns.push(
                        (0..n)
                            .map(|i| f64::from(u8::from(c.display(i) == *level)))
                            .collect(),
                    );
                }
                Prepared::Category { column, levels } => {
                    let c = table
                        .column(column)
                        .ok_or_else(|| FeatureError::UnknownColumn(column.clone()))?;
                    let index: rustc_hash::FxHashMap<&str, u32> = levels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| (l.as_str(), u32::try_from(i).unwrap_or(MISSING_CODE)))
                        .collect();
                    // Values the fit never saw (next month's new country) count as missing.
                    code_columns.push(
                        (0..n)
                            .map(|i| {
                                if c.is_missing(i) {
                                    MISSING_CODE
                                } else {
                                    index
                                        .get(c.display(i).as_str())
                                        .copied()
                                        .unwrap_or(MISSING_CODE)
                                }
                            })
                            .collect(),
                    );
                    category_names.push(column.clone());
                }
            }
        }
        let rows: Vec<usize> = (0..n).filter(|i| keep[*i]).collect();
        if rows.is_empty() {
            return Err(FeatureError::NoRowsLeft);
        }
        let d = numeric.len();
        let mut raw = Array2::<f64>::zeros((rows.len(), d));
        let mut scaled = Array2::<f64>::zeros((rows.len(), d));
        for (j, (p, values)) in numeric.iter().zip(&raw_columns).enumerate() {
            for (r, &i) in rows.iter().enumerate() {
                let v = values[i];
                raw[[r, j]] = v;
                scaled[[r, j]] = match p {
                    Prepared::Numeric {
                        clip,
                        log,
                        center,
                        scale,
                        weight,
                        ..
                    } => {
                        let x = shape(v, Some(v), *clip, *log).unwrap_or(f64::NAN);
                        (x - center) / scale * weight
                    }
                    Prepared::Indicator { weight, .. } => v * weight,
                    Prepared::Category { .. } => f64::NAN,
                };
            }
        }
        let categories = (!code_columns.is_empty()).then(|| {
            Array2::from_shape_fn((rows.len(), code_columns.len()), |(r, j)| {
                code_columns[j][rows[r]]
            })
        });
        let notes = if rows.len() < n {
            vec![format!(
                "{} customers with a missing value in a feature set to “leave out” are not segmented.",
                crate::numbers::count(n - rows.len())
            )]
        } else {
            Vec::new()
        };
        Ok(FeatureMatrix {
            names: numeric.iter().map(|p| p.name()).collect(),
            rows,
            raw,
            scaled,
            categories,
            category_names,
            imputed,
            notes,
        })
    }
}

/// Fill, cap and log one value; `None` when it is missing and not filled.
fn shape(v: f64, fill: Option<f64>, clip: Option<(f64, f64)>, log: bool) -> Option<f64> {
    let mut x = if v.is_finite() { v } else { fill? };
    if let Some((lo, hi)) = clip {
        x = x.clamp(lo, hi);
    }
    Some(if log {
        x.max(-1.0 + f64::EPSILON).ln_1p()
    } else {
        x
    })
}

fn scaling(values: &[f64], scale: Scale) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let guard = |s: f64, reference: f64| {
        if s.is_finite() && s > 10.0 * f64::EPSILON * reference.abs().max(1.0) {
            s
        } else {
            1.0
        }
    };
    match scale {
        Scale::None => (0.0, 1.0),
        Scale::Standard => {
            let mean = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            (mean, guard(sd, mean))
        }
        Scale::Robust => {
            let mut sorted = values.to_vec();
            sorted.sort_unstable_by(f64::total_cmp);
            let median = quantile(&sorted, 0.5);
            (
                median,
                guard(quantile(&sorted, 0.75) - quantile(&sorted, 0.25), median),
            )
        }
        Scale::MinMax => {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, guard(hi - lo, lo))
        }
    }
}

/// A feature column's values as numbers (`NaN` = missing), after checking it can be one.
fn numeric_values(table: &Table, name: &str) -> Result<Vec<f64>, FeatureError> {
    let column = table
        .column(name)
        .ok_or_else(|| FeatureError::UnknownColumn(name.to_owned()))?;
    if let Some(pii) = column.pii {
        return Err(FeatureError::PersonalData {
            name: name.to_owned(),
            kind: pii.label(),
        });
    }
    if !matches!(
        column.kind,
        ColumnKind::Numeric | ColumnKind::Integer | ColumnKind::Boolean
    ) {
        return Err(FeatureError::NotNumeric {
            name: name.to_owned(),
            kind: column.kind.label(),
        });
    }
    Ok((0..column.len()).map(|i| column.number_at(i)).collect())
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

    fn fit(
        t: &Table,
        choices: &[FeatureChoice],
        one_hot: &[&str],
    ) -> (Preprocessor, FeatureMatrix) {
        Preprocessor::fit(
            t,
            choices,
            &one_hot.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            Encoding::OneHot,
        )
        .unwrap()
    }

    #[test]
    fn standard_scaling_matches_scikit_learn() {
        // StandardScaler().fit_transform([[1], [2], [3], [6]])
        let t = table("a\n1\n2\n3\n6\n");
        let (_, m) = fit(&t, &[FeatureChoice::plain("a")], &[]);
        let expected = [
            -1.0690449676496976,
            -0.5345224838248488,
            0.0,
            1.6035674514745464,
        ];
        for (got, want) in m.scaled.column(0).iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
    }

    #[test]
    fn robust_minmax_log_weight_and_winsorize() {
        let t = table("a\n1\n2\n3\n4\n100\n");
        let choice = |scale, log, weight, winsorize| FeatureChoice {
            name: "a".into(),
            missing: Missing::Median,
            winsorize,
            log,
            scale,
            weight,
        };
        let (_, m) = fit(&t, &[choice(Scale::Robust, false, 1.0, None)], &[]);
        // median 3, IQR 4 − 2 = 2
        assert_eq!(
            m.scaled.column(0).to_vec(),
            vec![-1.0, -0.5, 0.0, 0.5, 48.5]
        );
        let (_, m) = fit(&t, &[choice(Scale::MinMax, false, 2.0, None)], &[]);
        assert_eq!(m.scaled[[4, 0]], 2.0);
        assert_eq!(m.scaled[[0, 0]], 0.0);
        let (_, m) = fit(&t, &[choice(Scale::None, true, 1.0, None)], &[]);
        assert!((m.scaled[[4, 0]] - 101f64.ln()).abs() < 1e-12);
        // Capping at the 0th and 75th percentiles (numpy linear interpolation: 1 and 4).
        let (p, m) = fit(
            &t,
            &[choice(Scale::None, false, 1.0, Some((0.0, 75.0)))],
            &[],
        );
        assert_eq!(m.scaled.column(0).to_vec(), vec![1.0, 2.0, 3.0, 4.0, 4.0]);
        assert_eq!(m.raw[[4, 0]], 100.0, "original units are kept for profiles");
        let Prepared::Numeric { clip, .. } = &p.columns[0] else {
            panic!()
        };
        assert_eq!(*clip, Some((1.0, 4.0)));
    }

    #[test]
    fn missing_values_strategies() {
        let t = table("a,b\n1,5\nNA,5\n3,6\n10,7\n");
        let with = |missing| FeatureChoice {
            missing,
            ..FeatureChoice::plain("a")
        };
        let raw = |missing| fit(&t, &[with(missing), FeatureChoice::plain("b")], &[]).1;
        assert_eq!(raw(Missing::Median).raw[[1, 0]], 3.0);
        assert!((raw(Missing::Mean).raw[[1, 0]] - 14.0 / 3.0).abs() < 1e-12);
        assert_eq!(raw(Missing::Constant(-1.0)).raw[[1, 0]], -1.0);
        let dropped = raw(Missing::Drop);
        assert_eq!(dropped.rows, vec![0, 2, 3]);
        assert!(
            dropped
                .notes
                .iter()
                .any(|n| n.starts_with("1 customers with a missing value"))
        );
        assert_eq!(most_frequent(&[5.0, 5.0, 6.0, 7.0]), 5.0);
    }

    #[test]
    fn constant_columns_are_dropped_with_a_note_and_categories_one_hot() {
        let t = table("a,same,country\n1,5,UK\n2,5,FR\n3,5,UK\n");
        let (p, m) = fit(
            &t,
            &[FeatureChoice::plain("a"), FeatureChoice::plain("same")],
            &["country"],
        );
        assert_eq!(m.names, vec!["a", "country = UK", "country = FR"]);
        assert_eq!(m.scaled.column(1).to_vec(), vec![1.0, 0.0, 1.0]);
        assert!(m.notes[0].starts_with("same is the same for every customer"));
        assert_eq!(p.columns.len(), 3);
    }

    #[test]
    fn transform_reuses_the_fitted_parameters() {
        let (p, _) = fit(&table("a\n1\n2\n3\n6\n"), &[FeatureChoice::plain("a")], &[]);
        let next_month = p.transform(&table("a\n3\nNA\n")).unwrap();
        assert_eq!(next_month.scaled[[0, 0]], 0.0);
        // Missing values get last month's median (2.5), not this file's.
        assert_eq!(next_month.raw[[1, 0]], 2.5);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Preprocessor>(&json).unwrap(), p);
    }

    #[test]
    fn defaults_take_logs_of_skewed_amounts() {
        let t = table("spend,score\n1,1\n2,2\n3,3\n4,4\n500,5\n");
        assert!(FeatureChoice::default_for(&t, "spend").log);
        assert!(!FeatureChoice::default_for(&t, "score").log);
    }

    #[test]
    fn unusable_columns_are_refused_with_a_reason() {
        let t = table("id,email,name2,empty,city\n1,a@x.com,Ann,,Rome\n2,b@x.com,Bob,,Oslo\n");
        let err = |c: &str| {
            Preprocessor::fit(&t, &[FeatureChoice::plain(c)], &[], Encoding::OneHot).unwrap_err()
        };
        assert!(matches!(err("email"), FeatureError::PersonalData { .. }));
        assert!(matches!(err("id"), FeatureError::NotNumeric { .. }));
        assert_eq!(err("nope"), FeatureError::UnknownColumn("nope".into()));
        assert!(err("id").to_string().contains("Untick"));
        assert_eq!(
            Preprocessor::fit(&t, &[], &[], Encoding::OneHot).unwrap_err(),
            FeatureError::NoNumericColumns
        );
        assert!(matches!(
            Preprocessor::fit(&t, &[], &["id".into()], Encoding::OneHot).unwrap_err(),
            FeatureError::NotCategorical(_)
        ));
    }
}
