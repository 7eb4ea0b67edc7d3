//! Rule segments as the page edits them: drafts with text fields, turned into the core's
//! [`RuleSegment`]s (or a sentence saying what to fix) whenever they change.

use segmenta_core::rules::{Op, Rule, RuleSegment};
use serde::{Deserialize, Serialize};

/// One condition as edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// A number compared with a value.
    Number {
        /// Column.
        column: String,
        /// Comparison.
        op: Op,
        /// Value as typed.
        value: String,
    },
    /// A number in a range, both ends included.
    Between {
        /// Column.
        column: String,
        /// Lowest value as typed.
        min: String,
        /// Highest value as typed.
        max: String,
    },
    /// Conditions of their own, joined by AND (or OR): "(A and B) or C".
    Group {
        /// Whether any condition is enough (else all must hold).
        any: bool,
        /// Conditions (not groups: the builder nests one level).
        conditions: Vec<Condition>,
    },
    /// No purchase in the last N days.
    NoPurchase {
        /// Days as typed.
        days: String,
    },
    /// In a clustered segment.
    Segment {
        /// Its name.
        name: String,
    },
    /// Bought (or never bought) in a product category.
    Bought {
        /// The category, as in the share-of-spend column (`home_decor`).
        category: String,
        /// Whether they bought in it (else: never did).
        bought: bool,
    },
    /// In a classic RFM segment.
    Rfm {
        /// Its name ("At risk").
        name: String,
    },
    /// A column holds a value (country is France).
    Value {
        /// Column.
        column: String,
        /// Value as typed.
        value: String,
    },
}

impl Condition {
    /// The kind's id, for the kind picker.
    pub fn kind(&self) -> &'static str {
        match self {
            Condition::Number { .. } => "number",
            Condition::Between { .. } => "between",
            Condition::Group { .. } => "group",
            Condition::NoPurchase { .. } => "no_purchase",
            Condition::Segment { .. } => "segment",
            Condition::Bought { bought: true, .. } => "bought",
            Condition::Bought { bought: false, .. } => "not_bought",
            Condition::Rfm { .. } => "rfm",
            Condition::Value { .. } => "value",
        }
    }

    fn rule(&self) -> Result<Rule, String> {
        let number = |text: &str, what: &str| {
            text.trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("Type a number for {what} (for example 90)."))
        };
        Ok(match self {
            Condition::Number { column, op, value } => Rule::Compare {
                column: column.clone(),
                op: *op,
                value: number(value, &format!("“{column}”"))?,
            },
            Condition::Between { column, min, max } => {
                let (min, max) = (
                    number(min, "the lowest value")?,
                    number(max, "the highest value")?,
                );
                if min > max {
                    return Err(format!(
                        "The lowest value of “{column}” is above the highest; swap them."
                    ));
                }
                Rule::Between {
                    column: column.clone(),
                    min,
                    max,
                }
            }
            Condition::Group { any, conditions } => {
                combine(conditions, *any, "Add at least one condition to the group.")?
            }
            Condition::NoPurchase { days } => Rule::NoPurchaseInDays {
                no_purchase_in_days: number(days, "the days")?,
            },
            Condition::Segment { name } => Rule::Segment {
                segment: name.clone(),
            },
            Condition::Bought { category, bought } => {
                let rule = Rule::BoughtCategory {
                    bought_category: category.clone(),
                };
                if *bought {
                    rule
                } else {
                    Rule::Not {
                        not: Box::new(rule),
                    }
                }
            }
            Condition::Rfm { name } => Rule::RfmSegment {
                rfm_segment: name.clone(),
            },
            Condition::Value { column, value } => Rule::In {
                column: column.clone(),
                values: value
                    .split(',')
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .collect(),
            },
        })
    }
}

/// A rule segment as edited: a name and conditions joined by AND (or OR).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// Name.
    pub name: String,
    /// Whether any condition is enough (else all must hold).
    pub any: bool,
    /// Conditions.
    pub conditions: Vec<Condition>,
}

impl Draft {
    /// The rule segment, or what to fix.
    pub fn rule(&self) -> Result<RuleSegment, String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("Give the segment a name.".into());
        }
        Ok(RuleSegment {
            name: name.to_owned(),
            rule: combine(&self.conditions, self.any, "Add at least one condition.")?,
        })
    }

    /// A draft that edits `segment`, when its rule is one the page's builder shows (AND
    /// or OR over conditions and groups of conditions).
    pub fn of(segment: &RuleSegment) -> Option<Draft> {
        let (any, conditions) = conditions_of(&segment.rule, true)?;
        Some(Draft {
            name: segment.name.clone(),
            any,
            conditions,
        })
    }
}

/// The rule of `conditions` joined by AND (`any`: OR), or what to fix (`empty` when there
/// are none).
fn combine(conditions: &[Condition], any: bool, empty: &str) -> Result<Rule, String> {
    let mut rules = conditions
        .iter()
        .map(Condition::rule)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match (rules.len(), any) {
        (0, _) => return Err(empty.to_owned()),
        (1, _) => rules.remove(0),
        (_, true) => Rule::Any { any: rules },
        (_, false) => Rule::All { all: rules },
    })
}

/// The conditions of `rule` as the builder shows them, and whether any is enough; groups
/// are read only at the top (`groups`).
fn conditions_of(rule: &Rule, groups: bool) -> Option<(bool, Vec<Condition>)> {
    let (any, rules) = match rule {
        Rule::All { all } => (false, all.clone()),
        Rule::Any { any } => (true, any.clone()),
        other => (false, vec![other.clone()]),
    };
    let conditions = rules
        .iter()
        .map(|r| condition_of(r, groups))
        .collect::<Option<Vec<_>>>()?;
    Some((any, conditions))
}

fn condition_of(rule: &Rule, groups: bool) -> Option<Condition> {
    match rule {
        Rule::All { .. } | Rule::Any { .. } if groups => {
            let (any, conditions) = conditions_of(rule, false)?;
            Some(Condition::Group { any, conditions })
        }
        Rule::Between { column, min, max } => Some(Condition::Between {
            column: column.clone(),
            min: min.to_string(),
            max: max.to_string(),
        }),
        r => match r {
            Rule::Compare { column, op, value } => Some(Condition::Number {
                column: column.clone(),
                op: *op,
                value: value.to_string(),
            }),
            Rule::NoPurchaseInDays {
                no_purchase_in_days,
            } => Some(Condition::NoPurchase {
                days: no_purchase_in_days.to_string(),
            }),
            Rule::Segment { segment } => Some(Condition::Segment {
                name: segment.clone(),
            }),
            Rule::BoughtCategory { bought_category } => Some(Condition::Bought {
                category: bought_category.clone(),
                bought: true,
            }),
            Rule::Not { not } => match not.as_ref() {
                Rule::BoughtCategory { bought_category } => Some(Condition::Bought {
                    category: bought_category.clone(),
                    bought: false,
                }),
                _ => None,
            },
            Rule::RfmSegment { rfm_segment } => Some(Condition::Rfm {
                name: rfm_segment.clone(),
            }),
            Rule::In { column, values } => Some(Condition::Value {
                column: column.clone(),
                value: values.join(", "),
            }),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_become_rules_or_say_what_to_fix() {
        let mut d = Draft {
            name: " Win back ".into(),
            any: false,
            conditions: vec![
                Condition::NoPurchase { days: "90".into() },
                Condition::Number {
                    column: "monetary_total".into(),
                    op: Op::Ge,
                    value: "500,5".into(),
                },
            ],
        };
        let r = d.rule().unwrap();
        assert_eq!(r.name, "Win back");
        assert_eq!(
            serde_json::to_string(&r.rule).unwrap(),
            r#"{"all":[{"no_purchase_in_days":90.0},{"column":"monetary_total","op":">=","value":500.5}]}"#
        );
        assert_eq!(Draft::of(&r).unwrap().rule().unwrap(), r);
        // Bought X but not Y.
        let crossed = Draft {
            name: "Decor, no garden".into(),
            any: false,
            conditions: vec![
                Condition::Bought {
                    category: "home_decor".into(),
                    bought: true,
                },
                Condition::Bought {
                    category: "garden".into(),
                    bought: false,
                },
            ],
        };
        let r2 = crossed.rule().unwrap();
        assert_eq!(
            serde_json::to_string(&r2.rule).unwrap(),
            r#"{"all":[{"bought_category":"home_decor"},{"not":{"bought_category":"garden"}}]}"#
        );
        assert_eq!(Draft::of(&r2).unwrap(), crossed);
        d.conditions[0] = Condition::NoPurchase {
            days: "soon".into(),
        };
        assert_eq!(
            d.rule().unwrap_err(),
            "Type a number for the days (for example 90)."
        );
        d.name = String::new();
        assert_eq!(d.rule().unwrap_err(), "Give the segment a name.");
    }

    #[test]
    fn ranges_and_groups_nest_one_level() {
        // Big spenders who either bought recently or opened the emails.
        let d = Draft {
            name: "Warm big spenders".into(),
            any: false,
            conditions: vec![
                Condition::Between {
                    column: "monetary_total".into(),
                    min: "500".into(),
                    max: "5000".into(),
                },
                Condition::Group {
                    any: true,
                    conditions: vec![
                        Condition::Number {
                            column: "recency_days".into(),
                            op: Op::Le,
                            value: "30".into(),
                        },
                        Condition::Number {
                            column: "email_open_rate".into(),
                            op: Op::Ge,
                            value: "0.5".into(),
                        },
                    ],
                },
            ],
        };
        let r = d.rule().unwrap();
        assert_eq!(
            serde_json::to_string(&r.rule).unwrap(),
            r#"{"all":[{"column":"monetary_total","min":500.0,"max":5000.0},{"any":[{"column":"recency_days","op":"<=","value":30.0},{"column":"email_open_rate","op":">=","value":0.5}]}]}"#
        );
        assert_eq!(Draft::of(&r).unwrap(), d);
        // A group inside a group is more than the builder shows: the recipe keeps it, the
        // page does not offer to edit it.
        let deep = RuleSegment {
            name: "Deep".into(),
            rule: serde_json::from_str(r#"{"all":[{"any":[{"all":[{"segment":"A"}]}]}]}"#).unwrap(),
        };
        assert!(Draft::of(&deep).is_none());
        let mut bad = d.clone();
        bad.conditions[0] = Condition::Between {
            column: "monetary_total".into(),
            min: "900".into(),
            max: "100".into(),
        };
        assert_eq!(
            bad.rule().unwrap_err(),
            "The lowest value of “monetary_total” is above the highest; swap them."
        );
        bad.conditions[0] = Condition::Group {
            any: false,
            conditions: vec![],
        };
        assert_eq!(
            bad.rule().unwrap_err(),
            "Add at least one condition to the group."
        );
    }
}
