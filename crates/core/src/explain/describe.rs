//! Plain-language descriptions of segments, and names from their RFM position.
//!
//! Every sentence quotes the numbers it rests on (the segment's mean and everyone's), so a
//! reader can check it against the profile table; nothing is said that the numbers do not
//! show.

use std::collections::HashMap;

use super::rfm::{RfmScore, RfmSegment};
use super::{Overall, SegmentProfile, capitalize, humanize};

/// Sentences per segment, at most.
pub const SENTENCES: usize = 3;

/// A feature's label in sentences: Segmenta's own features by what they mean, others by
/// their humanized name.
pub fn label(feature: &str) -> String {
    if let Some((column, level)) = indicator(feature) {
        return format!("{} is {level}", capitalize(&humanize(column)));
    }
    match feature {
        "recency_days" => "Days since the last order".into(),
        "frequency" => "Orders".into(),
        "purchase_days" => "Days with an order".into(),
        "monetary_total" => "Total spent".into(),
        "monetary_mean" => "Average order value".into(),
        "tenure_days" => "Days since the first order".into(),
        "interpurchase_mean_days" => "Days between orders".into(),
        "interpurchase_sd_days" => "Irregularity of orders (days)".into(),
        "purchase_trend" => "Recent trend in orders (−1 stopped, +1 growing)".into(),
        "return_share" => "Share of value returned".into(),
        "weekend_share" => "Share of orders at weekends".into(),
        "distinct_products" => "Different products bought".into(),
        "distinct_categories" => "Different categories bought".into(),
        _ => match feature.strip_prefix("share_") {
            Some(category) => format!("Share of spend on {}", humanize(category)),
            None => capitalize(&humanize(feature)),
        },
    }
}

/// A number for a sentence: grouped thousands from 1,000, whole numbers from 100, one
/// decimal from 1, two below.
pub fn figure(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        "–".into()
    } else if a >= 1000.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", crate::numbers::count(a.round() as usize))
    } else if a >= 100.0 {
        crate::numbers::fixed(v, 0)
    } else if a >= 1.0 {
        crate::numbers::fixed(v, 1)
    } else {
        crate::numbers::fixed(v, 2)
    }
}

fn percent(v: f64) -> String {
    crate::numbers::percent(v, 0)
}

fn is_share(feature: &str) -> bool {
    feature.starts_with("share_") || feature.ends_with("_share") || feature.ends_with("_rate")
}

/// The column and value of a one-hot indicator feature (`country = Germany`).
pub fn indicator(feature: &str) -> Option<(&str, &str)> {
    feature.split_once(" = ")
}

/// One sentence comparing a segment's mean of `feature` with everyone's.
pub fn sentence(feature: &str, segment: f64, everyone: f64) -> String {
    if let Some((column, level)) = indicator(feature) {
        // The mean of a 0/1 indicator is the share of customers with that value.
        let column = capitalize(&humanize(column));
        return if segment <= 0.0 {
            format!(
                "{column} is never {level} ({} of all customers).",
                percent(everyone)
            )
        } else if everyone > 0.0 && segment / everyone >= 1.25 {
            format!(
                "{column} is {level} for {} of them: {}× the share among all customers ({}).",
                percent(segment),
                crate::numbers::fixed(segment / everyone, 1),
                percent(everyone)
            )
        } else if everyone > 0.0 && segment / everyone <= 0.8 {
            format!(
                "{column} is {level} for {} of them, against {} of all customers.",
                percent(segment),
                percent(everyone)
            )
        } else {
            format!(
                "{column} is {level} for {} of them (all customers: {}).",
                percent(segment),
                percent(everyone)
            )
        };
    }
    let lower = feature.to_lowercase();
    if lower.contains("recency") || lower.contains("days_since_last") {
        return format!(
            "Last order {} days ago on average (all customers: {}).",
            figure(segment),
            figure(everyone)
        );
    }
    if is_share(feature) && (0.0..=1.0).contains(&segment) && (0.0..=1.0).contains(&everyone) {
        return format!(
            "{}: {} (all customers: {}).",
            label(feature),
            percent(segment),
            percent(everyone)
        );
    }
    if lower == "purchase_trend" {
        let direction = if segment >= 0.2 {
            "Ordering more lately"
        } else if segment <= -0.2 {
            "Ordering less lately"
        } else {
            "Ordering about as before"
        };
        return format!(
            "{direction}: trend {segment:+.2} on a scale from −1 (stopped) to +1 (growing); all customers: {everyone:+.2}."
        );
    }
    let label = label(feature);
    // Ratios only for amounts and counts, not for signed scores like a trend.
    if segment > 0.0 && everyone > 0.0 && !lower.contains("trend") {
        let ratio = segment / everyone;
        if ratio >= 1.25 {
            return format!(
                "{label}: {}× the average ({} vs {}).",
                crate::numbers::fixed(ratio, 1),
                figure(segment),
                figure(everyone)
            );
        }
        if ratio <= 0.8 {
            return format!(
                "{label}: {} below average ({} vs {}).",
                percent(1.0 - ratio),
                figure(segment),
                figure(everyone)
            );
        }
    }
    format!(
        "{label}: {} on average (all customers: {}).",
        figure(segment),
        figure(everyone)
    )
}

/// Writes each segment's description: its most distinguishing features as sentences.
pub fn describe(segments: &mut [SegmentProfile], overall: &Overall, features: &[String]) {
    for s in segments.iter_mut() {
        let sentences: Vec<String> = s
            .distinguishing
            .iter()
            .take(SENTENCES)
            .filter_map(|&j| {
                Some(sentence(
                    features.get(j)?,
                    *s.means.get(j)?,
                    *overall.means.get(j)?,
                ))
            })
            .collect();
        s.description = if sentences.is_empty() && !s.outliers {
            vec!["Close to the average customer on every feature used.".to_owned()]
        } else {
            sentences
        };
    }
}

/// Effects from this |d| on (Cohen's "large" is 0.8) make a non-RFM feature part of an
/// RFM name: "Need attention, high return share".
pub const DEFINING_EFFECT: f64 = 1.5;

/// Names segments after the RFM segment of their customers' average scores (rounded),
/// e.g. "Champions" or "At risk", and says so in a first sentence with the averages.
/// A segment whose strongest feature is not one of `rfm_features` and stands out by
/// [`DEFINING_EFFECT`] gets it added; segments landing on the same name are told apart by
/// their most distinguishing feature; any still equal get a number. `labels[i]` is row
/// `i`'s segment (`None` for outliers, which keep their name).
pub fn name_by_rfm(
    segments: &mut [SegmentProfile],
    scores: &[Option<RfmScore>],
    labels: &[Option<usize>],
    features: &[String],
    rfm_features: &[&str],
) {
    let qualifier = |s: &SegmentProfile, j: usize| {
        qualifier(
            features.get(j).map_or("feature", String::as_str),
            s.effects.get(j).is_some_and(|e| *e > 0.0),
        )
    };
    let mut sums = vec![[0.0f64; 3]; segments.len()];
    let mut counts = vec![0usize; segments.len()];
    for (s, l) in scores.iter().zip(labels) {
        if let (Some(s), Some(l)) = (s, l)
            && *l < segments.len()
        {
            sums[*l][0] += f64::from(s.r);
            sums[*l][1] += f64::from(s.f);
            sums[*l][2] += f64::from(s.m);
            counts[*l] += 1;
        }
    }
    for (i, seg) in segments.iter_mut().enumerate() {
        if seg.outliers || counts[i] == 0 {
            continue;
        }
        let [r, f, m] = sums[i].map(|v| v / counts[i] as f64);
        let rfm = RfmSegment::of(r.round() as u8, f.round() as u8);
        seg.rfm = Some(rfm);
        seg.name = rfm.name().to_owned();
        if let Some(&j) = seg.distinguishing.first()
            && seg
                .effects
                .get(j)
                .is_some_and(|e| e.abs() >= DEFINING_EFFECT)
            && features
                .get(j)
                .is_some_and(|f| !rfm_features.contains(&f.as_str()))
        {
            seg.name = format!("{}, {}", seg.name, qualifier(seg, j));
        }
        seg.description.insert(
            0,
            format!(
                "Average scores (1–5): recency {}, frequency {}, monetary {}: {}",
                crate::numbers::fixed(r, 1),
                crate::numbers::fixed(f, 1),
                crate::numbers::fixed(m, 1),
                rfm.meaning().to_lowercase()
            ),
        );
    }
    // Tell equal names apart by the first distinguishing feature they do not share.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in segments.iter().enumerate() {
        if s.rfm.is_some() {
            by_name.entry(s.name.clone()).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = by_name.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        for &i in &group {
            let s = &segments[i];
            let named = |j: &&usize| !s.name.ends_with(&qualifier(s, **j));
            if let Some(&j) = s.distinguishing.iter().find(named) {
                segments[i].name = format!("{}, {}", s.name, qualifier(s, j));
            }
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for s in segments.iter_mut() {
        let count = seen.entry(s.name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            s.name = format!("{} ({count})", s.name);
        }
    }
}

/// A few words for a segment that stands out on `feature` (`high`: above everyone else):
/// "newcomers", "frequent returners", or "high email open rate".
pub fn qualifier(feature: &str, high: bool) -> String {
    if let Some((_, level)) = indicator(feature) {
        return format!("{} {level}", if high { "mostly" } else { "rarely" });
    }
    let words = match (feature, high) {
        ("tenure_days", false) => "newcomers",
        ("tenure_days", true) => "long-standing",
        ("return_share", true) => "frequent returners",
        ("return_share", false) => "few returns",
        ("purchase_trend", true) => "growing",
        ("purchase_trend", false) => "slowing down",
        ("monetary_mean", true) => "big baskets",
        ("monetary_mean", false) => "small baskets",
        ("monetary_total", true) => "big spenders",
        ("monetary_total", false) => "small spenders",
        ("weekend_share", true) => "weekend shoppers",
        ("weekend_share", false) => "weekday shoppers",
        _ => "",
    };
    if words.is_empty() {
        format!(
            "{} {}",
            if high { "high" } else { "low" },
            humanize(feature)
        )
    } else {
        words.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_quote_their_numbers() {
        assert_eq!(
            sentence("frequency", 9.3, 3.0),
            "Orders: 3.1× the average (9.3 vs 3.0)."
        );
        assert_eq!(
            sentence("recency_days", 12.0, 58.4),
            "Last order 12.0 days ago on average (all customers: 58.4)."
        );
        assert_eq!(
            sentence("share_home_decor", 0.62, 0.18),
            "Share of spend on home decor: 62% (all customers: 18%)."
        );
        assert_eq!(
            sentence("country = United Kingdom", 1.0, 0.44),
            "Country is United Kingdom for 100% of them: 2.3× the share among all customers (44%)."
        );
        assert_eq!(
            sentence("country = Germany", 0.0, 0.18),
            "Country is never Germany (18% of all customers)."
        );
        assert_eq!(
            sentence("sales_channel = web", 0.05, 0.2),
            "Sales channel is web for 5% of them, against 20% of all customers."
        );
        assert_eq!(qualifier("country = France", true), "mostly France");
        assert_eq!(
            sentence("monetary_total", 120.0, 3160.0),
            "Total spent: 96% below average (120 vs 3,160)."
        );
        assert_eq!(
            sentence("purchase_trend", 1.0, 0.26),
            "Ordering more lately: trend +1.00 on a scale from −1 (stopped) to +1 (growing); all customers: +0.26."
        );
        assert_eq!(figure(-12_345.6), "-12,346");
    }

    fn profile(id: usize, effects: Vec<f64>) -> SegmentProfile {
        let distinguishing = (0..effects.len())
            .filter(|&j| effects[j].abs() >= 0.2)
            .collect();
        SegmentProfile {
            id,
            name: String::new(),
            size: 2,
            share: 0.5,
            means: vec![1.0; effects.len()],
            z: effects.clone(),
            outliers: false,
            effects,
            distinguishing,
            description: vec![],
            rfm: None,
            automatic_name: None,
        }
    }

    #[test]
    fn rfm_names_are_unique() {
        let best = Some(RfmScore { r: 5, f: 5, m: 5 });
        let worst = Some(RfmScore { r: 1, f: 1, m: 1 });
        let mut segments = vec![
            profile(0, vec![1.0, 0.0]),
            profile(1, vec![0.0, -1.0]),
            profile(2, vec![0.0, 0.0]),
            profile(3, vec![-2.0, 0.0]),
        ];
        let scores = [best, best, best, best, worst, worst, worst];
        let labels = [
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(2),
            Some(3),
        ];
        let features = vec!["return_share".to_owned(), "tenure_days".to_owned()];
        name_by_rfm(&mut segments, &scores, &labels, &features, &[]);
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Champions, frequent returners",
                "Champions, newcomers",
                "Lost",
                "Lost, few returns"
            ]
        );
        assert_eq!(segments[2].rfm, Some(RfmSegment::Lost));
        assert_eq!(
            segments[0].description[0],
            "Average scores (1–5): recency 5.0, frequency 5.0, monetary 5.0: bought very recently and buy most often."
        );
    }
}
