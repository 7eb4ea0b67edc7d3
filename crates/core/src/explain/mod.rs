//! Explaining segments: what each one looks like in the units the user knows, and a name.

pub mod describe;
pub mod fairness;
pub mod lifetime;
pub mod rfm;
pub mod why;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// One segment described in original units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentProfile {
    /// Segment number (0 = largest).
    pub id: usize,
    /// A short name a marketer can read.
    pub name: String,
    /// Customers in the segment.
    pub size: usize,
    /// Share of all customers, `0..=1`.
    pub share: f64,
    /// Mean of each feature over the segment, in original units.
    pub means: Vec<f64>,
    /// How far each mean is from the overall mean, in overall standard deviations.
    pub z: Vec<f64>,
    /// Whether this is the group of outliers (DBSCAN), written as segment `-1` in files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outliers: bool,
    /// Effect size of each feature: Cohen's d of this segment against everyone else
    /// (difference of means over the pooled standard deviation); 0 where undefined.
    #[serde(default)]
    pub effects: Vec<f64>,
    /// Features that set the segment apart, by index, largest |effect| first (|d| ≥ 0.2,
    /// Cohen's "small").
    #[serde(default)]
    pub distinguishing: Vec<usize>,
    /// Plain-language sentences, each quoting the numbers it rests on.
    #[serde(default)]
    pub description: Vec<String>,
    /// The classic RFM segment the segment's average scores fall in, when the data has
    /// recency, frequency and monetary columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfm: Option<rfm::RfmSegment>,
    /// The name Segmenta gave the segment, when the user renamed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_name: Option<String>,
}

/// Names segments as the user chose (`names[i]` for segment `i`; a blank name brings back
/// Segmenta's own). Refuses, naming the segment, a name another segment already has.
pub fn rename(
    segments: &mut [SegmentProfile],
    names: &std::collections::BTreeMap<usize, String>,
) -> Result<(), RenameError> {
    for (&id, name) in names {
        let Some(segment) = segments.get_mut(id) else {
            continue;
        };
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let auto = segment
            .automatic_name
            .clone()
            .unwrap_or_else(|| segment.name.clone());
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(RenameError::TooLong {
                segment: auto,
                max: NAME_MAX_CHARS,
            });
        }
        if name.is_empty() || name == auto {
            segment.name = auto;
            segment.automatic_name = None;
        } else {
            segment.name = name;
            segment.automatic_name = Some(auto);
        }
    }
    for (i, a) in segments.iter().enumerate() {
        if let Some(b) = segments[i + 1..]
            .iter()
            .find(|b| b.name.to_lowercase() == a.name.to_lowercase())
        {
            return Err(RenameError::Taken {
                name: b.name.clone(),
            });
        }
    }
    Ok(())
}

/// Longest segment name, in characters.
pub const NAME_MAX_CHARS: usize = 60;

/// Why a name could not be given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenameError {
    /// Two segments would share a name.
    #[error("Two segments would both be called “{name}”. Give each segment its own name.")]
    Taken {
        /// The name.
        name: String,
    },
    /// Too long to show.
    #[error("The new name for “{segment}” is longer than {max} characters. Choose a shorter one.")]
    TooLong {
        /// The segment's own name.
        segment: String,
        /// Longest allowed.
        max: usize,
    },
}

/// Effects below this |d| do not count as distinguishing.
pub const SMALL_EFFECT: f64 = 0.2;

/// The name of the outlier group.
pub const OUTLIERS: &str = "Outliers";

/// Overall statistics per feature, for "compared with everyone" statements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overall {
    /// Mean of each feature over all customers.
    pub means: Vec<f64>,
    /// Population standard deviation of each feature.
    pub sds: Vec<f64>,
    /// Median of each feature over all customers.
    #[serde(default)]
    pub medians: Vec<f64>,
}

/// Profiles of `k` segments from features in original units. Rows labelled `None` are
/// outliers; when there are any they get a last profile of their own, named
/// [`OUTLIERS`].
pub fn profile(
    raw: ArrayView2<f64>,
    labels: &[Option<usize>],
    k: usize,
    feature_names: &[String],
) -> (Vec<SegmentProfile>, Overall) {
    let has_outliers = labels.iter().any(Option::is_none);
    let groups = k + usize::from(has_outliers);
    let labels: Vec<usize> = labels.iter().map(|l| l.unwrap_or(k)).collect();
    let (mut profiles, overall) = profile_groups(raw, &labels, groups);
    let names = name_segments(&profiles[..k.min(groups)], feature_names);
    for (p, name) in profiles.iter_mut().zip(names) {
        p.name = name;
    }
    if has_outliers && let Some(last) = profiles.last_mut() {
        last.name = OUTLIERS.to_owned();
        last.outliers = true;
    }
    (profiles, overall)
}

fn profile_groups(
    raw: ArrayView2<f64>,
    labels: &[usize],
    k: usize,
) -> (Vec<SegmentProfile>, Overall) {
    let (n, d) = raw.dim();
    let mut sums = vec![vec![0.0; d]; k];
    let mut squares = vec![vec![0.0; d]; k];
    let mut sizes = vec![0usize; k];
    let mut overall = vec![0.0; d];
    for (row, &l) in raw.rows().into_iter().zip(labels) {
        if l >= k {
            continue;
        }
        sizes[l] += 1;
        for (j, v) in row.iter().enumerate() {
            sums[l][j] += v;
            squares[l][j] += v * v;
            overall[j] += v;
        }
    }
    let total_squares: Vec<f64> = (0..d).map(|j| squares.iter().map(|s| s[j]).sum()).collect();
    let n_f = n.max(1) as f64;
    let totals = overall.clone();
    overall.iter_mut().for_each(|v| *v /= n_f);
    let sds: Vec<f64> = (0..d)
        .map(|j| {
            (raw.column(j)
                .iter()
                .map(|v| (v - overall[j]).powi(2))
                .sum::<f64>()
                / n_f)
                .sqrt()
        })
        .collect();
    let profiles: Vec<SegmentProfile> = (0..k)
        .map(|c| {
            let size = sizes[c];
            let means: Vec<f64> = sums[c].iter().map(|s| s / size.max(1) as f64).collect();
            let z = means
                .iter()
                .enumerate()
                .map(|(j, m)| {
                    if sds[j] > 0.0 {
                        (m - overall[j]) / sds[j]
                    } else {
                        0.0
                    }
                })
                .collect();
            let effects: Vec<f64> = (0..d)
                .map(|j| {
                    cohens_d(
                        (size, sums[c][j], squares[c][j]),
                        (
                            n - size,
                            totals[j] - sums[c][j],
                            total_squares[j] - squares[c][j],
                        ),
                    )
                })
                .collect();
            let mut distinguishing: Vec<usize> = (0..d)
                .filter(|&j| effects[j].abs() >= SMALL_EFFECT)
                .collect();
            distinguishing.sort_by(|a, b| {
                effects[*b]
                    .abs()
                    .total_cmp(&effects[*a].abs())
                    .then(a.cmp(b))
            });
            SegmentProfile {
                id: c,
                name: String::new(),
                size,
                share: size as f64 / n_f,
                means,
                z,
                outliers: false,
                effects,
                distinguishing,
                description: Vec::new(),
                rfm: None,
                automatic_name: None,
            }
        })
        .collect();
    (
        profiles,
        Overall {
            medians: (0..d)
                .map(|j| BoxStats::of(&mut raw.column(j).to_vec()).map_or(0.0, |b| b.median))
                .collect(),
            means: overall,
            sds,
        },
    )
}

/// Pearson's χ² statistic of a 2 × 2 table of counts, without continuity correction; 0
/// when a row or column is empty.
pub fn chi_square_2x2(t: [[f64; 2]; 2]) -> f64 {
    let [[a, b], [c, d]] = t;
    let n = a + b + c + d;
    let denominator = (a + b) * (c + d) * (a + c) * (b + d);
    if denominator > 0.0 {
        n * (a * d - b * c).powi(2) / denominator
    } else {
        0.0
    }
}

/// Cohen's d of group `a` against group `b`, each given as `(count, sum, sum of squares)`:
/// the difference of means over the pooled standard deviation; 0 when either group has
/// fewer than two members or nothing varies.
fn cohens_d(a: (usize, f64, f64), b: (usize, f64, f64)) -> f64 {
    let (na, nb) = (a.0 as f64, b.0 as f64);
    if a.0 < 2 || b.0 < 2 {
        return 0.0;
    }
    let (ma, mb) = (a.1 / na, b.1 / nb);
    // Sums of squared deviations, clamped against rounding below zero.
    let ssa = (a.2 - na * ma * ma).max(0.0);
    let ssb = (b.2 - nb * mb * mb).max(0.0);
    let pooled = ((ssa + ssb) / (na + nb - 2.0)).sqrt();
    let d = (ma - mb) / pooled;
    if d.is_finite() && pooled > 1e-12 * (ma.abs() + mb.abs()).max(1e-300) {
        d
    } else {
        0.0
    }
}

/// `total_spent` → `total spent`, `DaysSinceLastOrder` → `days since last order`.
pub fn humanize(feature: &str) -> String {
    let mut out = String::with_capacity(feature.len() + 4);
    let mut prev_lower = false;
    for ch in feature.chars() {
        if ch == '_' || ch == '-' || ch == '.' {
            out.push(' ');
            prev_lower = false;
        } else if ch.is_uppercase() && prev_lower {
            out.push(' ');
            out.extend(ch.to_lowercase());
            prev_lower = false;
        } else {
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
            out.extend(ch.to_lowercase());
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Differences smaller than this many standard deviations are not mentioned in names.
const NOTABLE_Z: f64 = 0.3;

pub(crate) fn describe(feature: &str, z: f64) -> String {
    if describe::indicator(feature).is_some() {
        return describe::qualifier(feature, z > 0.0);
    }
    format!(
        "{} {}",
        if z > 0.0 { "high" } else { "low" },
        humanize(feature)
    )
}

/// `s` with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Names each segment after the features that set it apart most ("High total spent, low
/// orders"), adding features until names are unique; "Typical customers" when nothing
/// stands out.
pub fn name_segments(profiles: &[SegmentProfile], feature_names: &[String]) -> Vec<String> {
    let ranked: Vec<Vec<usize>> = profiles
        .iter()
        .map(|p| {
            let mut idx: Vec<usize> = (0..p.z.len())
                .filter(|&j| p.z[j].abs() >= NOTABLE_Z)
                .collect();
            idx.sort_by(|a, b| p.z[*b].abs().total_cmp(&p.z[*a].abs()).then(a.cmp(b)));
            idx
        })
        .collect();
    let build = |i: usize, depth: usize| -> String {
        let parts: Vec<String> = ranked[i]
            .iter()
            .take(depth)
            .map(|&j| {
                describe(
                    feature_names.get(j).map_or("feature", String::as_str),
                    profiles[i].z[j],
                )
            })
            .collect();
        if parts.is_empty() {
            "Typical customers".to_owned()
        } else {
            capitalize(&parts.join(", "))
        }
    };
    let mut depth = vec![1usize; profiles.len()];
    let mut names: Vec<String> = (0..profiles.len()).map(|i| build(i, 1)).collect();
    // Deepen every member of a colliding group at once, while deeper descriptions exist.
    for _ in 0..feature_names.len() {
        let clashing: Vec<usize> = (0..names.len())
            .filter(|&i| {
                depth[i] < ranked[i].len()
                    && names
                        .iter()
                        .enumerate()
                        .any(|(j, n)| j != i && *n == names[i])
            })
            .collect();
        if clashing.is_empty() {
            break;
        }
        for i in clashing {
            depth[i] += 1;
            names[i] = build(i, depth[i]);
        }
    }
    number_repeats(names.iter_mut());
    names
}

/// Any name already used earlier gets its count: "Typical customers (2)".
pub(crate) fn number_repeats<'a>(names: impl Iterator<Item = &'a mut String>) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for name in names {
        let count = seen.entry(name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            *name = format!("{name} ({count})");
        }
    }
}

/// A box plot's numbers for one feature in one segment: quartiles, median, and whiskers at
/// the furthest values within 1.5 interquartile ranges of the box (Tukey's rule).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoxStats {
    /// Lower whisker.
    pub low: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Upper whisker.
    pub high: f64,
}

impl BoxStats {
    /// The box of `values` (NaN ignored); `None` when none is left. Quantiles interpolate
    /// linearly between order statistics (NumPy's default).
    pub fn of(values: &mut Vec<f64>) -> Option<BoxStats> {
        values.retain(|v| !v.is_nan());
        if values.is_empty() {
            return None;
        }
        values.sort_unstable_by(f64::total_cmp);
        let q = |p: f64| {
            let at = p * (values.len() - 1) as f64;
            let (i, f) = (at.floor() as usize, at.fract());
            let next = values.get(i + 1).copied().unwrap_or(values[i]);
            values[i] + f * (next - values[i])
        };
        let (q1, median, q3) = (q(0.25), q(0.5), q(0.75));
        let reach = 1.5 * (q3 - q1);
        let low = values
            .iter()
            .copied()
            .find(|v| *v >= q1 - reach)
            .unwrap_or(q1);
        let high = values
            .iter()
            .rev()
            .copied()
            .find(|v| *v <= q3 + reach)
            .unwrap_or(q3);
        Some(BoxStats {
            low,
            q1,
            median,
            q3,
            high,
        })
    }
}

/// Box plot numbers per group and feature: `out[group][feature]` over the rows of `raw`
/// labelled `group` (`labels[i]` of `None` counts as group `k`, the outliers).
pub fn distributions(
    raw: ArrayView2<f64>,
    labels: &[Option<usize>],
    k: usize,
) -> Vec<Vec<Option<BoxStats>>> {
    let groups = k + usize::from(labels.iter().any(Option::is_none));
    let mut out: Vec<Vec<Option<BoxStats>>> = vec![Vec::with_capacity(raw.ncols()); groups];
    // One pass over each column puts every value in its group's pile (a pass per group
    // and column read a million-row column eight times over).
    let mut piles: Vec<Vec<f64>> = vec![Vec::new(); groups];
    for column in raw.columns() {
        piles.iter_mut().for_each(Vec::clear);
        for (v, l) in column.iter().zip(labels) {
            if let Some(pile) = piles.get_mut(l.unwrap_or(k)) {
                pile.push(*v);
            }
        }
        for (group, pile) in out.iter_mut().zip(piles.iter_mut()) {
            group.push(BoxStats::of(pile));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_matches_scipy() {
        // scipy.stats.chi2_contingency(t, correction=False)[0]
        assert!((chi_square_2x2([[30.0, 70.0], [20.0, 180.0]]) - 19.200000000000003).abs() < 1e-12);
        assert!((chi_square_2x2([[5.0, 0.0], [3.0, 12.0]]) - 10.0).abs() < 1e-12);
        assert_eq!(chi_square_2x2([[0.0, 0.0], [3.0, 12.0]]), 0.0);
    }

    #[test]
    fn box_plot_numbers_follow_numpy_and_tukey() {
        // numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75]) = [2, 3, 4]; 100 is beyond
        // 4 + 1.5 × 2, so the upper whisker stops at 4.
        let b = BoxStats::of(&mut vec![4.0, 100.0, 1.0, 3.0, 2.0, f64::NAN]).unwrap();
        assert_eq!(
            (b.low, b.q1, b.median, b.q3, b.high),
            (1.0, 2.0, 3.0, 4.0, 4.0)
        );
        let b = BoxStats::of(&mut vec![1.0, 2.0]).unwrap();
        assert_eq!((b.q1, b.median, b.q3), (1.25, 1.5, 1.75));
        assert_eq!(BoxStats::of(&mut vec![f64::NAN]), None);
        let raw = ndarray::array![[1.0], [2.0], [3.0], [9.0]];
        let d = distributions(raw.view(), &[Some(0), Some(0), Some(1), None], 2);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0][0].unwrap().median, 1.5);
        assert_eq!(d[2][0].unwrap().median, 9.0);
    }
    use ndarray::array;

    #[test]
    fn humanizes_column_names() {
        assert_eq!(humanize("total_spent"), "total spent");
        assert_eq!(humanize("DaysSinceLastOrder"), "days since last order");
        assert_eq!(humanize("avg.order-value"), "avg order value");
    }

    #[test]
    fn profiles_in_original_units() {
        let raw = array![[10.0, 1.0], [20.0, 1.0], [100.0, 5.0], [110.0, 7.0]];
        let names = vec!["spend".to_owned(), "orders".to_owned()];
        let (p, overall) = profile(raw.view(), &[Some(0), Some(0), Some(1), Some(1)], 2, &names);
        assert_eq!(p[0].means, vec![15.0, 1.0]);
        assert_eq!(p[1].size, 2);
        assert_eq!(p[1].share, 0.5);
        assert_eq!(overall.means, vec![60.0, 3.5]);
        assert_eq!(p[0].name, "Low spend");
        assert_eq!(p[1].name, "High spend");
        assert!(!p[1].outliers);
        // scipy: (mean(a) - mean(b)) / sqrt(((2-1) var(a, ddof=1) + (2-1) var(b, ddof=1)) / 2)
        // for spend a = [10, 20], b = [100, 110]: -90 / sqrt(50) = -12.727922061357855.
        assert!((p[0].effects[0] + 12.727_922_061_357_855).abs() < 1e-12);
        assert_eq!(p[0].distinguishing, vec![0, 1]);
        assert_eq!(cohens_d((1, 1.0, 1.0), (5, 5.0, 5.0)), 0.0);
        assert_eq!(cohens_d((2, 2.0, 2.0), (2, 2.0, 2.0)), 0.0);
    }

    #[test]
    fn outliers_get_a_profile_of_their_own() {
        let raw = array![[10.0], [12.0], [100.0], [500.0]];
        let names = vec!["spend".to_owned()];
        let (p, overall) = profile(raw.view(), &[Some(0), Some(0), Some(1), None], 2, &names);
        assert_eq!(p.len(), 3);
        assert_eq!(
            (p[2].name.as_str(), p[2].size, p[2].outliers),
            ("Outliers", 1, true)
        );
        assert_eq!(p[2].means, vec![500.0]);
        // Everyone counts in the overall figures.
        assert_eq!(overall.means, vec![155.5]);
    }

    #[test]
    fn names_are_unique() {
        let mk = |z: Vec<f64>| SegmentProfile {
            id: 0,
            name: String::new(),
            size: 1,
            share: 0.25,
            means: vec![],
            z,
            outliers: false,
            effects: vec![],
            distinguishing: vec![],
            description: vec![],
            rfm: None,
            automatic_name: None,
        };
        let names = vec!["spend".into(), "orders".into()];
        let n = name_segments(
            &[
                mk(vec![2.0, 1.0]),
                mk(vec![2.0, -1.0]),
                mk(vec![0.0, 0.1]),
                mk(vec![0.1, 0.0]),
            ],
            &names,
        );
        assert_eq!(
            n,
            vec![
                "High spend, high orders",
                "High spend, low orders",
                "Typical customers",
                "Typical customers (2)"
            ]
        );
    }
}
