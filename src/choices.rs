//! The feature preparation form as plain data: the choices offered for missing values,
//! extremes, scaling and weight, which one is current, and how choosing one changes a
//! feature. The component only draws this.

use segmenta_core::features::{FeatureChoice, Missing, Scale};

/// One setting of a feature's preparation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Missing values.
    Missing,
    /// Extreme values.
    Extremes,
    /// Scaling.
    Scale,
    /// Weight in distances.
    Weight,
}

/// Every setting, in form order.
pub const SETTINGS: [Setting; 4] = [
    Setting::Missing,
    Setting::Extremes,
    Setting::Scale,
    Setting::Weight,
];

impl Setting {
    /// The label shown above the select.
    pub fn label(self) -> &'static str {
        match self {
            Setting::Missing => "Missing values",
            Setting::Extremes => "Extreme values",
            Setting::Scale => "Scale",
            Setting::Weight => "Weight",
        }
    }

    /// `(value, label)` pairs.
    pub fn choices(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Setting::Missing => &[
                ("median", "Fill with the median"),
                ("mean", "Fill with the mean"),
                ("most_frequent", "Fill with the most frequent value"),
                ("zero", "Fill with 0"),
                ("drop", "Leave those customers out"),
            ],
            Setting::Extremes => &[
                ("keep", "Keep as they are"),
                ("cap1", "Cap at the 1st and 99th percentile"),
                ("cap5", "Cap at the 5th and 95th percentile"),
            ],
            Setting::Scale => &[
                ("standard", "Standard (mean 0, spread 1)"),
                ("robust", "Robust (median 0, resists outliers)"),
                ("minmax", "From 0 to 1"),
                ("none", "As is"),
            ],
            Setting::Weight => &[
                ("0.5", "Half"),
                ("1", "Normal"),
                ("2", "Double"),
                ("3", "Triple"),
            ],
        }
    }

    /// The value currently chosen for `f`.
    pub fn current(self, f: &FeatureChoice) -> String {
        match self {
            Setting::Missing => match f.missing {
                Missing::Median => "median",
                Missing::Mean => "mean",
                Missing::MostFrequent => "most_frequent",
                Missing::Constant(_) => "zero",
                Missing::Drop => "drop",
            }
            .to_owned(),
            Setting::Extremes => match f.winsorize {
                Some((lo, _)) if lo >= 5.0 => "cap5",
                Some(_) => "cap1",
                None => "keep",
            }
            .to_owned(),
            Setting::Scale => match f.scale {
                Scale::Standard => "standard",
                Scale::Robust => "robust",
                Scale::MinMax => "minmax",
                Scale::None => "none",
            }
            .to_owned(),
            Setting::Weight => format!("{}", f.weight),
        }
    }

    /// `f` with this setting changed to `value`.
    pub fn apply(self, mut f: FeatureChoice, value: &str) -> FeatureChoice {
        match self {
            Setting::Missing => {
                f.missing = match value {
                    "mean" => Missing::Mean,
                    "most_frequent" => Missing::MostFrequent,
                    "zero" => Missing::Constant(0.0),
                    "drop" => Missing::Drop,
                    _ => Missing::Median,
                }
            }
            Setting::Extremes => {
                f.winsorize = match value {
                    "cap1" => Some((1.0, 99.0)),
                    "cap5" => Some((5.0, 95.0)),
                    _ => None,
                }
            }
            Setting::Scale => {
                f.scale = match value {
                    "robust" => Scale::Robust,
                    "minmax" => Scale::MinMax,
                    "none" => Scale::None,
                    _ => Scale::Standard,
                }
            }
            Setting::Weight => f.weight = value.parse().unwrap_or(1.0),
        }
        f
    }
}

/// A short summary of a feature's preparation, shown next to its name.
pub fn summary(f: &FeatureChoice) -> String {
    let mut parts = Vec::new();
    if f.log {
        parts.push("log".to_owned());
    }
    if f.winsorize.is_some() {
        parts.push("capped".to_owned());
    }
    match f.scale {
        Scale::Standard => {}
        Scale::Robust => parts.push("robust".to_owned()),
        Scale::MinMax => parts.push("0–1".to_owned()),
        Scale::None => parts.push("unscaled".to_owned()),
    }
    if f.weight != 1.0 {
        parts.push(format!("weight {}", f.weight));
    }
    if f.missing == Missing::Drop {
        parts.push("missing left out".to_owned());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_round_trips() {
        for setting in SETTINGS {
            for (value, _) in setting.choices() {
                let f = setting.apply(FeatureChoice::plain("x"), value);
                assert_eq!(setting.current(&f), *value, "{setting:?}");
            }
        }
    }

    #[test]
    fn summaries() {
        let mut f = FeatureChoice::plain("x");
        assert_eq!(summary(&f), "");
        f.log = true;
        f = Setting::Weight.apply(Setting::Extremes.apply(f, "cap1"), "2");
        assert_eq!(summary(&f), "log · capped · weight 2");
    }
}
