//! Which columns can be features, which are used by default, and why others cannot be.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::orders::FeatureInfo;
use super::prepare::{CATEGORY_MAX_LEVELS, ONE_HOT_MAX_LEVELS};
use crate::table::{Column, ColumnKind, Table};

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
    /// Every chosen feature is constant.
    #[error(
        "Every chosen feature is the same for all customers, so there is nothing to tell them apart. Choose other features."
    )]
    AllConstant,
    /// A log was asked of values at or below −1.
    #[error(
        "The column '{0}' has values of −1 or less, so its logarithm cannot be taken. Turn the log off for it."
    )]
    LogOfNegative(String),
    /// One-hot encoding asked of a non-categorical column.
    #[error(
        "The column '{0}' is not a category, so it cannot be split into one indicator per value."
    )]
    NotCategorical(String),
    /// Too many values to one-hot encode.
    #[error(
        "The column '{name}' has {levels} different values, more than the {max} a category can have with this algorithm (k-prototypes takes up to 200). Leave it out of the features or choose k-prototypes."
    )]
    TooManyLevels {
        /// Column name.
        name: String,
        /// Distinct values.
        levels: usize,
        /// Maximum.
        max: usize,
    },
    /// Leaving out customers with missing values left none.
    #[error(
        "Every customer has a missing value in a feature set to “leave out”, so none is left to segment. Fill the missing values instead."
    )]
    NoRowsLeft,
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
    /// What the feature means, for derived features.
    #[serde(default)]
    pub meaning: Option<String>,
    /// For usable categories: how many values they have. Up to
    /// [`ONE_HOT_MAX_LEVELS`] they work with every algorithm (one indicator per value); up
    /// to [`CATEGORY_MAX_LEVELS`] with k-prototypes, which compares categories directly.
    #[serde(default, alias = "one_hot")]
    pub levels: Option<usize>,
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
        ColumnKind::Numeric | ColumnKind::Integer | ColumnKind::Boolean => None,
        ColumnKind::Id => Some("an id, not a measurement".into()),
        ColumnKind::Date => Some(
            "a date; order dates become recency and tenure when the file is an order log".into(),
        ),
        ColumnKind::Categorical => {
            let levels = column.distinct();
            (!(2..=CATEGORY_MAX_LEVELS).contains(&levels)).then(|| {
                if levels < 2 {
                    "the same in every row".to_owned()
                } else {
                    format!("a category with {levels} values; categories work up to {CATEGORY_MAX_LEVELS}")
                }
            })
        }
        ColumnKind::Text => Some("free text".into()),
    }
}

/// Every column with whether it can be, and is by default, a feature. `info` carries the
/// meaning and default of derived features (from an order or event log).
///
/// Without `info`: numeric columns that are not ids, not personal data, not constant and at
/// least half filled are used; yes/no columns and small categories are available but not
/// preselected.
pub fn candidates(table: &Table, info: &[FeatureInfo]) -> Vec<Candidate> {
    table
        .columns()
        .iter()
        .map(|c| {
            let blocked = blocked_reason(c);
            let known = info.iter().find(|f| f.name == c.name);
            let levels =
                (c.kind == ColumnKind::Categorical && blocked.is_none()).then(|| c.distinct());
            let (default, note) = if blocked.is_some() {
                (false, None)
            } else if let Some(k) = levels {
                let note = if k <= ONE_HOT_MAX_LEVELS {
                    format!("a category with {k} values: tick to use it")
                } else {
                    format!(
                        "a category with {k} values: usable with k-prototypes (one indicator per value works up to {ONE_HOT_MAX_LEVELS})"
                    )
                };
                (false, Some(note))
            } else if c.distinct() <= 1 {
                (false, Some("the same in every row".to_owned()))
            } else if let Some(f) = known {
                (f.default, None)
            } else if c.kind == ColumnKind::Boolean {
                (false, Some("yes/no; tick to use as 1/0".to_owned()))
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
                meaning: known.map(|f| f.meaning.clone()),
                levels,
            }
        })
        .collect()
}

/// The default feature columns (see [`candidates`]).
pub fn default_columns(table: &Table) -> Vec<String> {
    candidates(table, &[])
        .into_iter()
        .filter(|c| c.default)
        .map(|c| c.name)
        .collect()
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
        let c = candidates(&t, &[]);
        assert!(c[1].blocked.as_deref().unwrap().contains("personal data"));
        assert_eq!(c[4].note.as_deref(), Some("the same in every row"));
        assert_eq!(c[5].levels, Some(2));
        assert!(c[6].blocked.is_none() && !c[6].default);
    }

    #[test]
    fn derived_features_carry_their_meaning_and_default() {
        let t = table("customer_id,recency_days,x\n1,5,0\n2,9,1\n");
        let info = [
            FeatureInfo {
                name: "recency_days".into(),
                meaning: "Days since the last order".into(),
                default: true,
            },
            FeatureInfo {
                name: "x".into(),
                meaning: "Repeat purchase days".into(),
                default: false,
            },
        ];
        let c = candidates(&t, &info);
        assert!(c[1].default && c[1].meaning.as_deref() == Some("Days since the last order"));
        assert!(!c[2].default);
    }
}
