//! Rule segments: groups of customers defined by rules a marketer writes ("no purchase in
//! the last 90 days", "spent over 500 AND bought Home décor"), next to or instead of the
//! clustered segments, and campaign priority so each customer gets one campaign.
//!
//! Rules are saved in the recipe as JSON:
//!
//! ```json
//! { "name": "Lapsed big spenders",
//!   "rule": { "all": [ { "column": "monetary_total", "op": ">=", "value": 500 },
//!                      { "no_purchase_in_days": 90 } ] } }
//! ```

use serde::{Deserialize, Serialize};

use crate::explain::rfm::RfmScore;
use crate::table::Table;

/// A named segment defined by a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSegment {
    /// The name, as shown and as the column header in exports.
    pub name: String,
    /// Who belongs.
    pub rule: Rule,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// At most.
    #[serde(rename = "<=")]
    Le,
    /// More than.
    #[serde(rename = ">")]
    Gt,
    /// At least.
    #[serde(rename = ">=")]
    Ge,
    /// Equal.
    #[serde(rename = "=")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=")]
    Ne,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }

    /// The comparison in words ("at least").
    pub fn words(self) -> &'static str {
        match self {
            Op::Lt => "below",
            Op::Le => "at most",
            Op::Gt => "above",
            Op::Ge => "at least",
            Op::Eq => "equal to",
            Op::Ne => "not equal to",
        }
    }
}

/// Who belongs to a rule segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Rule {
    /// Every rule holds (AND).
    All {
        /// The rules.
        all: Vec<Rule>,
    },
    /// At least one rule holds (OR).
    Any {
        /// The rules.
        any: Vec<Rule>,
    },
    /// The rule does not hold.
    Not {
        /// The rule.
        not: Box<Rule>,
    },
    /// A number compared with a value (missing numbers never match).
    Compare {
        /// Column or feature.
        column: String,
        /// Comparison.
        op: Op,
        /// Value, in the column's units.
        value: f64,
    },
    /// A number in a range, both ends included.
    Between {
        /// Column or feature.
        column: String,
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
    },
    /// A column's value is one of these (categories, ids, yes/no).
    In {
        /// Column.
        column: String,
        /// Values, compared as written.
        values: Vec<String>,
    },
    /// No purchase in the last `days` days (days since the last order above `days`).
    NoPurchaseInDays {
        /// Days.
        no_purchase_in_days: f64,
    },
    /// Bought in a product category (its share of spend is above 0).
    BoughtCategory {
        /// The category as named in the order log.
        bought_category: String,
    },
    /// In a clustered segment, by name.
    Segment {
        /// The segment's name.
        segment: String,
    },
    /// In a classic RFM segment, by name ("At risk").
    RfmSegment {
        /// The RFM segment's name.
        rfm_segment: String,
    },
}

/// Why a rule cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// A column that does not exist.
    #[error(
        "The rule segment “{segment}” uses the column “{column}”, which these customers do not have. Pick one of: {available}."
    )]
    UnknownColumn {
        /// The rule segment.
        segment: String,
        /// The column.
        column: String,
        /// Columns that exist.
        available: String,
    },
    /// Days since the last order are needed but there is no order log.
    #[error(
        "The rule segment “{segment}” asks about purchases, which needs an order log with dates. Load the orders file, or use another rule."
    )]
    NoOrders {
        /// The rule segment.
        segment: String,
    },
    /// No such category.
    #[error(
        "The rule segment “{segment}” asks about the category “{category}”, which the order log does not have."
    )]
    UnknownCategory {
        /// The rule segment.
        segment: String,
        /// The category.
        category: String,
    },
    /// No such segment.
    #[error(
        "The rule segment “{segment}” refers to the segment “{name}”, which does not exist. The segments are: {available}."
    )]
    UnknownSegment {
        /// The rule segment.
        segment: String,
        /// The name used.
        name: String,
        /// Names that exist.
        available: String,
    },
    /// RFM needed but not available.
    #[error(
        "The rule segment “{segment}” uses RFM segments, which need recency, frequency and monetary columns."
    )]
    NoRfm {
        /// The rule segment.
        segment: String,
    },
    /// Two rule segments with one name, or a blank name.
    #[error("Every rule segment needs its own, non-empty name (“{name}” is used twice or blank).")]
    Name {
        /// The name.
        name: String,
    },
}

/// What rules are evaluated against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The customers.
    pub table: &'a Table,
    /// Each customer's clustered segment (profile index), if segmented.
    pub labels: Option<&'a [Option<usize>]>,
    /// Segment names by profile index.
    pub names: &'a [String],
    /// Each customer's RFM scores, when the data has RFM columns.
    pub rfm: Option<&'a [Option<RfmScore>]>,
}

/// Who is in `segment`: one flag per table row.
pub fn members(segment: &RuleSegment, ctx: &Context<'_>) -> Result<Vec<bool>, RuleError> {
    eval(&segment.rule, &segment.name, ctx)
}

fn eval(rule: &Rule, name: &str, ctx: &Context<'_>) -> Result<Vec<bool>, RuleError> {
    let n = ctx.table.n_rows();
    let column = |column: &str| {
        ctx.table
            .column(column)
            .ok_or_else(|| RuleError::UnknownColumn {
                segment: name.to_owned(),
                column: column.to_owned(),
                available: ctx
                    .table
                    .columns()
                    .iter()
                    .filter(|c| c.pii.is_none())
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    };
    let numbers = |name: &str| -> Result<Vec<f64>, RuleError> {
        let c = column(name)?;
        Ok((0..n).map(|i| c.number_at(i)).collect())
    };
    Ok(match rule {
        Rule::All { all } => {
            let mut out = vec![true; n];
            for r in all {
                for (o, v) in out.iter_mut().zip(eval(r, name, ctx)?) {
                    *o &= v;
                }
            }
            out
        }
        Rule::Any { any } => {
            let mut out = vec![false; n];
            for r in any {
                for (o, v) in out.iter_mut().zip(eval(r, name, ctx)?) {
                    *o |= v;
                }
            }
            out
        }
        Rule::Not { not } => eval(not, name, ctx)?.into_iter().map(|v| !v).collect(),
        Rule::Compare { column, op, value } => numbers(column)?
            .into_iter()
            .map(|v| !v.is_nan() && op.holds(v, *value))
            .collect(),
        Rule::Between { column, min, max } => numbers(column)?
            .into_iter()
            .map(|v| v >= *min && v <= *max)
            .collect(),
        Rule::In {
            column: wanted,
            values,
        } => {
            let c = column(wanted)?;
            (0..n)
                .map(|i| !c.is_missing(i) && values.iter().any(|v| *v == c.display(i)))
                .collect()
        }
        Rule::NoPurchaseInDays {
            no_purchase_in_days,
        } => {
            let c = ctx
                .table
                .column("recency_days")
                .ok_or_else(|| RuleError::NoOrders {
                    segment: name.to_owned(),
                })?;
            (0..n)
                .map(|i| c.number_at(i) > *no_purchase_in_days)
                .collect()
        }
        Rule::BoughtCategory { bought_category } => {
            let column = format!("share_{}", crate::features::events::slug(bought_category));
            let c = ctx
                .table
                .column(&column)
                .ok_or_else(|| RuleError::UnknownCategory {
                    segment: name.to_owned(),
                    category: bought_category.clone(),
                })?;
            (0..n).map(|i| c.number_at(i) > 0.0).collect()
        }
        Rule::Segment { segment } => {
            let wanted = ctx.names.iter().position(|s| s == segment);
            let (Some(labels), Some(wanted)) = (ctx.labels, wanted) else {
                return Err(RuleError::UnknownSegment {
                    segment: name.to_owned(),
                    name: segment.clone(),
                    available: ctx.names.join(", "),
                });
            };
            labels.iter().map(|l| *l == Some(wanted)).collect()
        }
        Rule::RfmSegment { rfm_segment } => {
            let scores = ctx.rfm.ok_or_else(|| RuleError::NoRfm {
                segment: name.to_owned(),
            })?;
            scores
                .iter()
                .map(|s| s.is_some_and(|s| s.segment().name() == rfm_segment))
                .collect()
        }
    })
}

/// Everyone's segments as the campaigns see them: every rule segment's members, and one
/// `primary_campaign` per customer, the first segment in `priority` (rule or clustered
/// segment names) they belong to; segments missing from `priority` come after it, rule
/// segments first, in their order.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaigns {
    /// Rule segment names, in order.
    pub names: Vec<String>,
    /// Members of each rule segment (`[segment][row]`).
    pub members: Vec<Vec<bool>>,
    /// Each customer's campaign (`None`: in no segment).
    pub primary: Vec<Option<String>>,
    /// Every segment in the order campaigns were picked.
    pub order: Vec<String>,
}

impl Campaigns {
    /// Customers per campaign, in priority order, campaigns that reach nobody left out.
    pub fn reach(&self) -> Vec<(String, usize)> {
        let mut counts = vec![0usize; self.order.len()];
        for p in self.primary.iter().flatten() {
            if let Some(i) = self.order.iter().position(|o| o == p) {
                counts[i] += 1;
            }
        }
        self.order
            .iter()
            .zip(counts)
            .filter(|(_, k)| *k > 0)
            .map(|(n, k)| (n.clone(), k))
            .collect()
    }

    /// Customers in no segment, who get no campaign.
    pub fn unreached(&self) -> usize {
        self.primary.iter().filter(|p| p.is_none()).count()
    }
}

/// Evaluates `rules` and picks each customer's campaign by `priority`.
pub fn campaigns(
    rules: &[RuleSegment],
    priority: &[String],
    ctx: &Context<'_>,
) -> Result<Campaigns, RuleError> {
    for (i, r) in rules.iter().enumerate() {
        if r.name.trim().is_empty() || rules[..i].iter().any(|o| o.name == r.name) {
            return Err(RuleError::Name {
                name: r.name.clone(),
            });
        }
    }
    let members = rules
        .iter()
        .map(|r| members(r, ctx))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(assign(rules, members, priority, ctx))
}

/// [`campaigns`] for rule segments whose members are already known (`members[r][row]`).
pub fn assign(
    rules: &[RuleSegment],
    members: Vec<Vec<bool>>,
    priority: &[String],
    ctx: &Context<'_>,
) -> Campaigns {
    let mut order: Vec<&str> = priority.iter().map(String::as_str).collect();
    for name in rules
        .iter()
        .map(|r| r.name.as_str())
        .chain(ctx.names.iter().map(String::as_str))
    {
        if !order.contains(&name) {
            order.push(name);
        }
    }
    let n = ctx.table.n_rows();
    let primary = (0..n)
        .map(|i| {
            order
                .iter()
                .find(|name| {
                    if let Some(r) = rules.iter().position(|r| r.name == **name) {
                        members[r][i]
                    } else {
                        ctx.labels
                            .and_then(|l| l.get(i).copied().flatten())
                            .and_then(|l| ctx.names.get(l))
                            .is_some_and(|s| s == *name)
                    }
                })
                .map(|s| (*s).to_owned())
        })
        .collect();
    Campaigns {
        names: rules.iter().map(|r| r.name.clone()).collect(),
        members,
        primary,
        order: order.into_iter().map(str::to_owned).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    fn table() -> Table {
        read_bytes(
            b"customer_id,recency_days,monetary_total,country,share_home_decor\n\
              A,10,900,UK,0.5\nB,200,800,FR,0\nC,120,50,UK,0.1\nD,5,20,DE,0\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table
    }

    fn rule(json: &str) -> Rule {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rules_read_from_json_and_combine() {
        let t = table();
        let names = vec!["Loyal".to_owned(), "Lost".to_owned()];
        let labels = [Some(0), Some(1), Some(1), Some(0)];
        let ctx = Context {
            table: &t,
            labels: Some(&labels),
            names: &names,
            rfm: None,
        };
        let seg = |json: &str| {
            members(
                &RuleSegment {
                    name: "x".into(),
                    rule: rule(json),
                },
                &ctx,
            )
            .unwrap()
        };
        assert_eq!(
            seg(
                r#"{"all": [{"column": "monetary_total", "op": ">=", "value": 500}, {"no_purchase_in_days": 90}]}"#
            ),
            [false, true, false, false]
        );
        assert_eq!(
            seg(
                r#"{"any": [{"column": "country", "values": ["DE", "FR"]}, {"bought_category": "Home décor"}]}"#
            ),
            [true, true, true, true]
        );
        assert_eq!(
            seg(r#"{"not": {"bought_category": "Home Decor"}}"#),
            [false, true, false, true]
        );
        assert_eq!(
            seg(r#"{"column": "monetary_total", "min": 20, "max": 800}"#),
            [false, true, true, true]
        );
        assert_eq!(seg(r#"{"segment": "Lost"}"#), [false, true, true, false]);
        let e = members(
            &RuleSegment {
                name: "Big".into(),
                rule: rule(r#"{"column": "spend", "op": ">", "value": 1}"#),
            },
            &ctx,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("The rule segment “Big” uses the column “spend”"),
            "{e}"
        );
    }

    #[test]
    fn each_customer_gets_the_first_campaign_by_priority() {
        let t = table();
        let names = vec!["Loyal".to_owned(), "Lost".to_owned()];
        let labels = [Some(0), Some(1), Some(1), None];
        let ctx = Context {
            table: &t,
            labels: Some(&labels),
            names: &names,
            rfm: None,
        };
        let rules = vec![RuleSegment {
            name: "Win back".into(),
            rule: rule(r#"{"no_purchase_in_days": 90}"#),
        }];
        let c = campaigns(&rules, &["Loyal".into(), "Win back".into()], &ctx).unwrap();
        assert_eq!(c.members[0], [false, true, true, false]);
        assert_eq!(
            c.primary,
            [
                Some("Loyal".into()),
                Some("Win back".into()),
                Some("Win back".into()),
                None
            ]
        );
        assert_eq!(
            c.reach(),
            [("Loyal".to_owned(), 1), ("Win back".to_owned(), 2)]
        );
        assert_eq!(c.unreached(), 1);
        // Without a priority, rule segments come first.
        let c = campaigns(&rules, &[], &ctx).unwrap();
        assert_eq!(c.primary[0].as_deref(), Some("Loyal"));
        assert_eq!(c.primary[1].as_deref(), Some("Win back"));
        let twice = vec![rules[0].clone(), rules[0].clone()];
        assert!(campaigns(&twice, &[], &ctx).is_err());
    }
}
