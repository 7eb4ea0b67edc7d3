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
        if self.conditions.is_empty() {
            return Err("Add at least one condition.".into());
        }
        let rules = self
            .conditions
            .iter()
            .map(Condition::rule)
            .collect::<Result<Vec<_>, _>>()?;
        let rule = match (rules.len(), self.any) {
            (1, _) => rules
                .into_iter()
                .next()
                .unwrap_or(Rule::All { all: vec![] }),
            (_, true) => Rule::Any { any: rules },
            (_, false) => Rule::All { all: rules },
        };
        Ok(RuleSegment {
            name: name.to_owned(),
            rule,
        })
    }

    /// A draft that edits `segment`, when its rule is one the page's builder shows (one
    /// level of AND or OR over simple conditions).
    pub fn of(segment: &RuleSegment) -> Option<Draft> {
        let (any, rules) = match &segment.rule {
            Rule::All { all } => (false, all.clone()),
            Rule::Any { any } => (true, any.clone()),
            other => (false, vec![other.clone()]),
        };
        let conditions = rules
            .iter()
            .map(|r| match r {
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
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Draft {
            name: segment.name.clone(),
            any,
            conditions,
        })
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
}
