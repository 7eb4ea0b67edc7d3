//! Keeping segments current: a segmentation saved in a recipe (its fitted preparation,
//! model and names) assigns next month's customers to the same segments without refitting;
//! the previous labelled export gives the migration between segments; and the population
//! stability index (PSI) of each feature says when the customers have changed enough that
//! a refit is due.

use std::collections::HashMap;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::cluster::{Model, Points};
use crate::features::{FeatureMatrix, Preprocessor};
use crate::table::Table;

/// A fitted segmentation as saved in a recipe: everything needed to assign new customers.
///
/// It holds no customer ids. Centres, mixture parameters and scalers are averages; a
/// DBSCAN model also keeps the prepared feature values of its core customers, because
/// DBSCAN assigns new customers by their distance to those.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// How each feature is prepared (fill values, caps, log, centre and scale).
    pub preprocessor: Preprocessor,
    /// The fitted model, in prepared units, without per-customer results.
    pub model: Model,
    /// Segment names by segment number (the outlier group last, if any).
    pub names: Vec<String>,
    /// The segment number of the outlier group (DBSCAN), written as `-1` in files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outliers: Option<usize>,
    /// Customers per segment when fitted.
    pub sizes: Vec<usize>,
    /// Each feature's distribution when fitted, for drift.
    pub baseline: Vec<Baseline>,
}

/// A feature's distribution over ten bins (deciles of the fitted data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Feature name.
    pub feature: String,
    /// Upper edges of every bin but the last (ascending, distinct).
    pub edges: Vec<f64>,
    /// Share of customers per bin (`edges.len() + 1` of them).
    pub shares: Vec<f64>,
}

impl Baseline {
    /// The decile bins of `values` (NaN ignored).
    pub fn of(feature: &str, values: impl Iterator<Item = f64>) -> Baseline {
        let mut sorted: Vec<f64> = values.filter(|v| !v.is_nan()).collect();
        sorted.sort_unstable_by(f64::total_cmp);
        let mut edges: Vec<f64> = (1..10)
            .filter_map(|q| {
                // The edge closes the bin: the largest value of the lowest q tenths.
                let at = ((q * sorted.len()) / 10).saturating_sub(1);
                sorted.get(at).copied()
            })
            .collect();
        edges.dedup();
        // A last edge at the maximum would leave the top bin empty.
        if edges.last() == sorted.last() {
            edges.pop();
        }
        let shares = bin_shares(&edges, sorted.into_iter());
        Baseline {
            feature: feature.to_owned(),
            edges,
            shares,
        }
    }

    /// Population stability index of `values` against this baseline.
    pub fn psi(&self, values: impl Iterator<Item = f64>) -> f64 {
        psi(&self.shares, &bin_shares(&self.edges, values))
    }
}

/// Share of `values` (NaN ignored) in each bin of `edges` (a value equal to an edge
/// belongs to the bin below it).
fn bin_shares(edges: &[f64], values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut counts = vec![0usize; edges.len() + 1];
    let mut n = 0usize;
    for v in values.filter(|v| !v.is_nan()) {
        counts[edges.partition_point(|e| *e < v)] += 1;
        n += 1;
    }
    counts
        .into_iter()
        .map(|c| c as f64 / n.max(1) as f64)
        .collect()
}

/// Shares below this count as this much in the PSI, so that an empty bin does not make it
/// infinite (the usual convention).
const PSI_FLOOR: f64 = 1e-4;

/// Population stability index `Σ (actual − expected) · ln(actual / expected)`.
pub fn psi(expected: &[f64], actual: &[f64]) -> f64 {
    expected
        .iter()
        .zip(actual)
        .map(|(e, a)| {
            let (e, a) = (e.max(PSI_FLOOR), a.max(PSI_FLOOR));
            (a - e) * (a / e).ln()
        })
        .sum()
}

/// PSI at or above this: the feature shifted a little.
pub const PSI_SHIFT: f64 = 0.1;
/// PSI at or above this: the feature shifted a lot; refitting is advised.
pub const PSI_REFIT: f64 = 0.25;

/// How much one feature moved since the segmentation was fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// Feature name.
    pub feature: String,
    /// Population stability index.
    pub psi: f64,
}

impl Drift {
    /// The verdict in words.
    pub fn verdict(&self) -> &'static str {
        if self.psi >= PSI_REFIT {
            "changed a lot"
        } else if self.psi >= PSI_SHIFT {
            "changed a little"
        } else {
            "stable"
        }
    }
}

/// New customers assigned to saved segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Segment of each table row (`None`: left out for a missing value); outliers carry the
    /// outlier group's number.
    pub labels: Vec<Option<usize>>,
    /// Probability of each row's segment (Gaussian mixtures).
    pub probability: Option<Vec<Option<f64>>>,
    /// Customers per segment now.
    pub sizes: Vec<usize>,
    /// Each feature's PSI against the fitted data, largest first.
    pub drift: Vec<Drift>,
    /// What preparation did (missing values filled, customers left out).
    pub notes: Vec<String>,
}

impl Applied {
    /// Whether any feature moved enough that the segments should be fitted again.
    pub fn refit_advised(&self) -> bool {
        self.drift.iter().any(|d| d.psi >= PSI_REFIT)
    }

    /// The drift in sentences: the features that moved, or that none did.
    pub fn drift_sentences(&self) -> Vec<String> {
        let moved: Vec<&Drift> = self.drift.iter().filter(|d| d.psi >= PSI_SHIFT).collect();
        if moved.is_empty() {
            return vec![format!(
                "Every feature is distributed as when the segments were made (PSI below {PSI_SHIFT}): the segments still describe these customers."
            )];
        }
        let mut out: Vec<String> = moved
            .iter()
            .map(|d| {
                format!(
                    "{} has {} since the segments were made (PSI {}).",
                    crate::explain::describe::label(&d.feature),
                    d.verdict(),
                    crate::numbers::fixed(d.psi, 2)
                )
            })
            .collect();
        if self.refit_advised() {
            out.push(format!(
                "Consider making the segments again: a PSI of {PSI_REFIT} or more means the customers have changed enough that the old segments may no longer fit."
            ));
        }
        out
    }
}

impl Fitted {
    /// Assigns the customers of `table` to the saved segments, without refitting.
    pub fn apply(&self, table: &Table) -> Result<Applied, Error> {
        let matrix = self.preprocessor.transform(table)?;
        Ok(self.assign(table.n_rows(), &matrix)?.0)
    }

    /// Assigns the prepared rows of a table of `n_rows` customers; also gives the model's
    /// own label of each prepared row (`None`: an outlier).
    pub(crate) fn assign(
        &self,
        n_rows: usize,
        matrix: &FeatureMatrix,
    ) -> Result<(Applied, Vec<Option<usize>>), Error> {
        let points = Points {
            numbers: matrix.scaled.view(),
            categories: matrix.categories.as_ref().map(|c| c.view()),
        };
        let predicted = self.model.predict(points)?;
        let k = self.model.k();
        let mut labels = vec![None; n_rows];
        let mut sizes = vec![0usize; self.names.len().max(k)];
        for (&row, label) in matrix.rows.iter().zip(&predicted) {
            let segment = match label {
                Some(l) => *l,
                None => self.outliers.unwrap_or(k),
            };
            if let Some(size) = sizes.get_mut(segment) {
                *size += 1;
            }
            labels[row] = Some(segment);
        }
        let probability = match &self.model {
            Model::Gmm(m) => {
                let p = m.predict_proba(matrix.scaled.view())?;
                let mut out = vec![None; n_rows];
                for (r, &row) in matrix.rows.iter().enumerate() {
                    out[row] = p.row(r).iter().copied().reduce(f64::max);
                }
                Some(out)
            }
            _ => None,
        };
        let mut drift = drift(&self.baseline, &matrix.names, matrix.raw.view());
        drift.sort_by(|a, b| b.psi.total_cmp(&a.psi));
        let applied = Applied {
            labels,
            probability,
            sizes,
            drift,
            notes: matrix.notes.clone(),
        };
        Ok((applied, predicted))
    }
}

/// Each baseline feature's PSI on `raw` (columns named `names`).
fn drift(baseline: &[Baseline], names: &[String], raw: ArrayView2<f64>) -> Vec<Drift> {
    baseline
        .iter()
        .filter_map(|b| {
            let j = names.iter().position(|n| *n == b.feature)?;
            Some(Drift {
                feature: b.feature.clone(),
                psi: b.psi(raw.column(j).iter().copied()),
            })
        })
        .collect()
}

/// The baselines of every column of `raw` (original units), named `names`.
pub fn baselines(names: &[String], raw: ArrayView2<f64>) -> Vec<Baseline> {
    names
        .iter()
        .enumerate()
        .map(|(j, name)| Baseline::of(name, raw.column(j).iter().copied()))
        .collect()
}

/// Customers who moved between segments since the previous export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    /// From → to counts, largest first; every customer of the new data once.
    pub moves: Vec<Move>,
    /// Customers in the new data.
    pub customers: usize,
    /// Customers of the new data who were not in the previous export.
    pub new_customers: usize,
    /// Customers of the previous export who are not in the new data.
    pub gone: usize,
}

/// Customers who were in one segment and are now in another (or the same).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Move {
    /// The previous segment's name ([`NEW_CUSTOMER`] when they were not there).
    pub from: String,
    /// The segment now ([`NOT_SEGMENTED`] when they could not be assigned).
    pub to: String,
    /// How many.
    pub customers: usize,
}

/// `from` of customers the previous export did not have.
pub const NEW_CUSTOMER: &str = "New customer";
/// `to` of customers left out of the segmentation.
pub const NOT_SEGMENTED: &str = "Not segmented";

/// Why saved segments cannot describe these customers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApplyError {
    /// Every customer fell in one segment, so there is nothing to compare.
    #[error(
        "Every customer in this file falls in one saved segment, “{name}”, so the segments cannot be compared on it. Check that it is the same kind of export as the one the segments were made from, or find new segments for it."
    )]
    OneSegment {
        /// Customers assigned.
        customers: usize,
        /// The segment they all fell in.
        name: String,
    },
}

/// Why the previous export cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MigrationError {
    /// No segment name column.
    #[error(
        "The previous labels file has no “segment_name” or “segment” column. Use the labelled CSV that Segmenta exported last time."
    )]
    NoSegmentColumn,
    /// The new data has no ids to match.
    #[error(
        "The new customers have no id column, so they cannot be matched with the previous labels. Include the customer id column."
    )]
    NoIds,
}

/// The migration from the previous labelled export (`previous`: its first column is the
/// id, then `segment_name` or `segment`) to `labels` of `table` (names from `names`).
pub fn migration(
    table: &Table,
    labels: &[Option<usize>],
    names: &[String],
    previous: &Table,
) -> Result<Migration, MigrationError> {
    let ids = table.id_column().ok_or(MigrationError::NoIds)?;
    let segment = previous
        .column("segment_name")
        .or_else(|| previous.column("segment"))
        .ok_or(MigrationError::NoSegmentColumn)?;
    let previous_ids = previous
        .columns()
        .first()
        .ok_or(MigrationError::NoSegmentColumn)?;
    let before: HashMap<String, String> = (0..previous.n_rows())
        .map(|i| (previous_ids.display(i), segment.display(i)))
        .collect();
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    let mut new_customers = 0;
    let mut seen = 0;
    for (i, label) in labels.iter().enumerate() {
        let from = match before.get(&ids.display(i)) {
            Some(name) => {
                seen += 1;
                name.clone()
            }
            None => {
                new_customers += 1;
                NEW_CUSTOMER.to_owned()
            }
        };
        let to = label
            .and_then(|l| names.get(l))
            .map_or(NOT_SEGMENTED, String::as_str)
            .to_owned();
        *counts.entry((from, to)).or_default() += 1;
    }
    let mut moves: Vec<Move> = counts
        .into_iter()
        .map(|((from, to), customers)| Move {
            from,
            to,
            customers,
        })
        .collect();
    moves.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    Ok(Migration {
        moves,
        customers: labels.len(),
        new_customers,
        gone: before.len().saturating_sub(seen),
    })
}

impl Migration {
    /// The largest moves between different segments, in sentences ("212 customers moved
    /// from Loyal to At risk."), at most `n`.
    pub fn sentences(&self, n: usize) -> Vec<String> {
        let mut out: Vec<String> = self
            .moves
            .iter()
            .filter(|m| m.from != m.to && m.from != NEW_CUSTOMER)
            .take(n)
            .map(|m| {
                format!(
                    "{} moved from “{}” to “{}”.",
                    customers(m.customers),
                    m.from,
                    m.to
                )
            })
            .collect();
        let stayed: usize = self
            .moves
            .iter()
            .filter(|m| m.from == m.to)
            .map(|m| m.customers)
            .sum();
        out.insert(
            0,
            format!(
                "Stayed in their segment: {}. New since last time: {}. No longer in the data: {}.",
                customers(stayed),
                customers(self.new_customers),
                customers(self.gone)
            ),
        );
        out
    }
}

fn customers(n: usize) -> String {
    let s = crate::numbers::count(n);
    if n == 1 {
        format!("{s} customer")
    } else {
        format!("{s} customers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    #[test]
    fn psi_is_zero_for_the_same_data_and_grows_with_a_shift() {
        let values: Vec<f64> = (0..1000).map(f64::from).collect();
        let b = Baseline::of("x", values.iter().copied());
        assert_eq!(b.edges.len(), 9);
        assert!(b.shares.iter().all(|s| (s - 0.1).abs() < 1e-12));
        assert!(b.psi(values.iter().copied()).abs() < 1e-12);
        let shifted = b.psi(values.iter().map(|v| v + 300.0));
        // 30% of the new values fall in the top bin, none in the bottom three:
        // hand-computed Σ (a − e) ln(a / e) with the 1e-4 floor.
        let e: f64 = 0.1;
        let expected = 3.0 * (PSI_FLOOR - e) * (PSI_FLOOR / e).ln() + (0.4 - e) * (0.4 / e).ln();
        assert!(
            (shifted - expected).abs() < 1e-12,
            "{shifted} vs {expected}"
        );
        assert!(shifted > PSI_REFIT);
        // Constant columns have one bin and no drift.
        let c = Baseline::of("c", std::iter::repeat_n(1.0, 10));
        assert!(c.edges.is_empty());
        assert_eq!(c.psi(std::iter::repeat_n(1.0, 5)), 0.0);
    }

    #[test]
    fn migration_counts_every_new_customer_once() {
        let table = read_bytes(b"id,x\n1,0\n2,0\n3,0\n4,0\n", &ReadOptions::default())
            .unwrap()
            .table;
        let previous = read_bytes(
            b"id,segment,segment_name\n1,0,Loyal\n2,0,Loyal\n3,1,Lost\n9,1,Lost\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table;
        let names = vec!["Loyal".to_owned(), "At risk".to_owned()];
        let m = migration(
            &table,
            &[Some(0), Some(1), Some(1), Some(1)],
            &names,
            &previous,
        )
        .unwrap();
        assert_eq!(m.moves.iter().map(|m| m.customers).sum::<usize>(), 4);
        assert_eq!((m.customers, m.new_customers, m.gone), (4, 1, 1));
        assert_eq!(
            m.sentences(5),
            vec![
                "Stayed in their segment: 1 customer. New since last time: 1 customer. No longer in the data: 1 customer.",
                "1 customer moved from “Lost” to “At risk”.",
                "1 customer moved from “Loyal” to “At risk”.",
            ]
        );
        let no_names = read_bytes(b"id,x\n1,2\n", &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(
            migration(&table, &[None; 4], &names, &no_names).unwrap_err(),
            MigrationError::NoSegmentColumn
        );
    }
}
