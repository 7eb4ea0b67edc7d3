//! RFM: recency, frequency and monetary quintile scores, the RFM code, and the classic
//! named RFM segment map — a rules-only segmentation for users who want no clustering,
//! and the vocabulary clusters are named in.
//!
//! Scores are quintiles of the average rank, as pandas computes
//! `ceil(5 × x.rank(method="average", pct=True))`: equal values always get equal scores,
//! so a tie never splits customers by file order. Recency is ranked reversed (recent = 5).

use serde::{Deserialize, Serialize};

use crate::table::Table;

/// The classic RFM segments, placed by recency and frequency score.
///
/// | R \ F | 1 | 2 | 3 | 4 | 5 |
/// |---|---|---|---|---|---|
/// | 5 | New | Potential loyalists | Potential loyalists | Champions | Champions |
/// | 4 | Promising | Potential loyalists | Potential loyalists | Loyal | Loyal |
/// | 3 | About to sleep | About to sleep | Need attention | Loyal | Loyal |
/// | 2 | Hibernating | Hibernating | At risk | At risk | Can't lose them |
/// | 1 | Lost | Hibernating | At risk | At risk | Can't lose them |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    /// Bought recently, buy often.
    Champions,
    /// Buy often, fairly recently.
    Loyal,
    /// Recent, with a few orders.
    PotentialLoyalists,
    /// Their first order was their last, and it was very recent.
    New,
    /// Recent, one order so far.
    Promising,
    /// Average on both.
    NeedAttention,
    /// Not that recent, few orders.
    AboutToSleep,
    /// Used to buy regularly, not lately.
    AtRisk,
    /// Were among the most frequent, gone quiet.
    CantLoseThem,
    /// Long ago, few orders.
    Hibernating,
    /// Longest ago, fewest orders.
    Lost,
}

impl RfmSegment {
    /// Every segment, best first.
    pub const ALL: [RfmSegment; 11] = [
        RfmSegment::Champions,
        RfmSegment::Loyal,
        RfmSegment::PotentialLoyalists,
        RfmSegment::New,
        RfmSegment::Promising,
        RfmSegment::NeedAttention,
        RfmSegment::AboutToSleep,
        RfmSegment::AtRisk,
        RfmSegment::CantLoseThem,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    /// The segment of a recency and a frequency score (each 1–5; out-of-range scores are
    /// clamped).
    pub fn of(r: u8, f: u8) -> RfmSegment {
        use RfmSegment::*;
        match (r.clamp(1, 5), f.clamp(1, 5)) {
            (5, 4..=5) => Champions,
            (3..=4, 4..=5) => Loyal,
            (4..=5, 2..=3) => PotentialLoyalists,
            (5, 1) => New,
            (4, 1) => Promising,
            (3, 3) => NeedAttention,
            (3, 1..=2) => AboutToSleep,
            (1..=2, 5) => CantLoseThem,
            (1..=2, 3..=4) => AtRisk,
            (1, 1) => Lost,
            _ => Hibernating,
        }
    }

    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            RfmSegment::Champions => "Champions",
            RfmSegment::Loyal => "Loyal customers",
            RfmSegment::PotentialLoyalists => "Potential loyalists",
            RfmSegment::New => "New customers",
            RfmSegment::Promising => "Promising",
            RfmSegment::NeedAttention => "Need attention",
            RfmSegment::AboutToSleep => "About to sleep",
            RfmSegment::AtRisk => "At risk",
            RfmSegment::CantLoseThem => "Can't lose them",
            RfmSegment::Hibernating => "Hibernating",
            RfmSegment::Lost => "Lost",
        }
    }

    /// Who they are, in one sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            RfmSegment::Champions => "Bought very recently and buy most often.",
            RfmSegment::Loyal => "Buy often and have bought fairly recently.",
            RfmSegment::PotentialLoyalists => "Bought recently and have ordered a few times.",
            RfmSegment::New => "Bought for the first time very recently.",
            RfmSegment::Promising => "Bought recently, once so far.",
            RfmSegment::NeedAttention => "Average on both recency and frequency.",
            RfmSegment::AboutToSleep => "Last bought a while ago and have ordered little.",
            RfmSegment::AtRisk => "Used to buy regularly but have not lately.",
            RfmSegment::CantLoseThem => "Were among the most frequent buyers, but have gone quiet.",
            RfmSegment::Hibernating => "Last bought long ago and rarely.",
            RfmSegment::Lost => "Bought once or twice, longest ago of all.",
        }
    }

    /// What marketers usually do for them.
    pub fn action(self) -> &'static str {
        match self {
            RfmSegment::Champions => "Reward them; ask for reviews; offer early access.",
            RfmSegment::Loyal => "Offer loyalty perks and upsell higher-value products.",
            RfmSegment::PotentialLoyalists => {
                "Offer membership or recommendations to build the habit."
            }
            RfmSegment::New => "Welcome them and help them to a second order.",
            RfmSegment::Promising => "Build awareness with content and a small incentive.",
            RfmSegment::NeedAttention => "Send limited-time offers based on past purchases.",
            RfmSegment::AboutToSleep => "Reconnect with popular products and a discount.",
            RfmSegment::AtRisk => "Send personal win-back messages with strong offers.",
            RfmSegment::CantLoseThem => "Win them back personally; ask what went wrong.",
            RfmSegment::Hibernating => "Offer relevant products at a discount; do not over-send.",
            RfmSegment::Lost => "Try one revival campaign, then stop spending on them.",
        }
    }
}

/// One customer's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmScore {
    /// Recency score, 5 = most recent.
    pub r: u8,
    /// Frequency score, 5 = most frequent.
    pub f: u8,
    /// Monetary score, 5 = highest spend.
    pub m: u8,
}

impl RfmScore {
    /// The three-digit RFM code, e.g. `"545"`.
    pub fn code(self) -> String {
        format!("{}{}{}", self.r, self.f, self.m)
    }

    /// The named segment.
    pub fn segment(self) -> RfmSegment {
        RfmSegment::of(self.r, self.f)
    }
}

/// Which columns hold recency (days since the last order), frequency and monetary value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmColumns {
    /// Days since the last order (lower is better).
    pub recency: String,
    /// Number of orders.
    pub frequency: String,
    /// Total spent.
    pub monetary: String,
}

impl RfmColumns {
    /// The columns Segmenta builds from an order log.
    pub fn from_order_log() -> RfmColumns {
        RfmColumns {
            recency: "recency_days".into(),
            frequency: "frequency".into(),
            monetary: "monetary_total".into(),
        }
    }

    /// Finds the three columns among numeric columns by their names: Segmenta's own names
    /// first, then common export names (`days_since_last_order`, `orders`, `total_spent`, …).
    pub fn detect(table: &Table) -> Option<RfmColumns> {
        let numeric: Vec<String> = table
            .columns()
            .iter()
            .filter(|c| c.kind.is_numeric() && c.pii.is_none())
            .map(|c| c.name.clone())
            .collect();
        let find = |words: &[&str]| -> Option<String> {
            words.iter().find_map(|w| {
                numeric
                    .iter()
                    .find(|n| normalize(n) == *w)
                    .or_else(|| numeric.iter().find(|n| normalize(n).contains(w)))
                    .cloned()
            })
        };
        Some(RfmColumns {
            recency: find(&["recency_days", "recency", "days_since_last"])?,
            frequency: find(&["frequency", "order_count", "orders", "purchases", "visits"])?,
            monetary: find(&[
                "monetary_total",
                "monetary",
                "total_spent",
                "spend",
                "revenue",
                "sales",
                "amount",
            ])?,
        })
    }
}

fn normalize(name: &str) -> String {
    crate::explain::humanize(name).replace(' ', "_")
}

/// Quintile scores 1–5 of `values` by average rank (`NaN` → `None`); with
/// `higher_is_better` false, the smallest values score 5.
pub fn quintiles(values: &[f64], higher_is_better: bool) -> Vec<Option<u8>> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    let sign = if higher_is_better { 1.0 } else { -1.0 };
    order.sort_by(|&a, &b| (sign * values[a]).total_cmp(&(sign * values[b])));
    let n = order.len() as f64;
    let mut out = vec![None; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // 1-based ranks start+1 ..= end share their average.
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let score = (5.0 * average_rank / n).ceil().clamp(1.0, 5.0) as u8;
        for &i in &order[start..end] {
            out[i] = Some(score);
        }
        start = end;
    }
    out
}

/// Every customer's RFM scores, `None` where any of the three values is missing.
pub fn scores(table: &Table, columns: &RfmColumns) -> Option<Vec<Option<RfmScore>>> {
    let values = |name: &str| -> Option<Vec<f64>> {
        let c = table.column(name)?;
        c.kind
            .is_numeric()
            .then(|| (0..table.n_rows()).map(|i| c.number_at(i)).collect())
    };
    let r = quintiles(&values(&columns.recency)?, false);
    let f = quintiles(&values(&columns.frequency)?, true);
    let m = quintiles(&values(&columns.monetary)?, true);
    Some(
        r.iter()
            .zip(&f)
            .zip(&m)
            .map(|((r, f), m)| {
                Some(RfmScore {
                    r: (*r)?,
                    f: (*f)?,
                    m: (*m)?,
                })
            })
            .collect(),
    )
}

/// Customers and value per cell of the recency × frequency grid: `cells[r - 1][f - 1]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmGrid {
    /// Customers per cell.
    pub customers: [[usize; 5]; 5],
    /// Total monetary value per cell.
    pub value: [[f64; 5]; 5],
}

/// The recency × frequency grid of `scores`, with `monetary` summed per cell.
pub fn grid(scores: &[Option<RfmScore>], monetary: &[f64]) -> RfmGrid {
    let mut g = RfmGrid {
        customers: [[0; 5]; 5],
        value: [[0.0; 5]; 5],
    };
    for (s, m) in scores.iter().zip(monetary) {
        if let Some(s) = s {
            let (r, f) = (
                usize::from(s.r.clamp(1, 5)) - 1,
                usize::from(s.f.clamp(1, 5)) - 1,
            );
            g.customers[r][f] += 1;
            if m.is_finite() {
                g.value[r][f] += m;
            }
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    /// Expected scores from pandas 3.1.1:
    /// `np.ceil(5 * pd.Series(v).rank(method="average", pct=True))`.
    #[test]
    fn quintiles_follow_pandas_average_ranks() {
        let v = [3.0, 1.0, 1.0, 1.0, 7.0, 2.0, 9.0, 2.0, 5.0, 4.0];
        let got: Vec<u8> = quintiles(&v, true)
            .into_iter()
            .map(Option::unwrap)
            .collect();
        assert_eq!(got, vec![3, 1, 1, 1, 5, 3, 5, 3, 4, 4]);
        let reversed: Vec<u8> = quintiles(&v, false)
            .into_iter()
            .map(Option::unwrap)
            .collect();
        assert_eq!(reversed, vec![3, 5, 5, 5, 1, 4, 1, 4, 2, 2]);
        assert_eq!(quintiles(&[f64::NAN, 1.0], true), vec![None, Some(5)]);
        // All equal: one score for everyone.
        assert_eq!(quintiles(&[4.0; 6], true), vec![Some(3); 6]);
    }

    #[test]
    fn every_cell_of_the_map_has_a_segment() {
        assert_eq!(RfmSegment::of(5, 5), RfmSegment::Champions);
        assert_eq!(RfmSegment::of(5, 1), RfmSegment::New);
        assert_eq!(RfmSegment::of(1, 5), RfmSegment::CantLoseThem);
        assert_eq!(RfmSegment::of(1, 1), RfmSegment::Lost);
        assert_eq!(RfmSegment::of(2, 1), RfmSegment::Hibernating);
        assert_eq!(RfmSegment::of(3, 3), RfmSegment::NeedAttention);
        let mut used = std::collections::HashSet::new();
        for r in 1..=5 {
            for f in 1..=5 {
                used.insert(RfmSegment::of(r, f));
            }
        }
        assert_eq!(used.len(), RfmSegment::ALL.len());
    }

    #[test]
    fn scores_a_customer_table_by_detected_columns() {
        let csv = "id,DaysSinceLastOrder,Orders,TotalSpent,email\n\
                   a,5,10,900,a@x.io\nb,300,1,20,b@x.io\nc,40,3,150,c@x.io\n\
                   d,,2,80,d@x.io\ne,90,2,60,e@x.io\nf,20,6,400,f@x.io\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        let cols = RfmColumns::detect(&t).unwrap();
        assert_eq!(
            (
                cols.recency.as_str(),
                cols.frequency.as_str(),
                cols.monetary.as_str()
            ),
            ("DaysSinceLastOrder", "Orders", "TotalSpent")
        );
        let s = scores(&t, &cols).unwrap();
        assert_eq!(s[0].unwrap().code(), "555");
        assert_eq!(s[0].unwrap().segment(), RfmSegment::Champions);
        assert_eq!(s[1].unwrap().code(), "111");
        assert_eq!(s[1].unwrap().segment(), RfmSegment::Lost);
        assert_eq!(s[3], None);
        let g = grid(&s, &[900.0, 20.0, 150.0, 80.0, 60.0, 400.0]);
        assert_eq!(g.customers[4][4], 1);
        assert_eq!(g.value[0][0], 20.0);
        assert_eq!(g.customers.iter().flatten().sum::<usize>(), 5);
    }
}
