//! Scales and ticks for the SVG charts.

/// A linear map from a data interval to a pixel interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Data interval.
    pub domain: (f64, f64),
    /// Pixel interval (may run backwards, as y axes do).
    pub range: (f64, f64),
}

impl Linear {
    /// Pixel position of `v` (the middle of the range when the domain is empty).
    pub fn map(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 || !v.is_finite() {
            return (r0 + r1) / 2.0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// About `count` round tick values (steps of 1, 2 or 5 × 10ⁿ) covering `lo..=hi`; the
/// first and last ticks enclose the data, so they make a good domain.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return vec![0.0, 1.0];
    }
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        let pad = lo.abs().max(1.0) * 0.5;
        (lo - pad, hi + pad)
    };
    let raw = (hi - lo) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let m = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * magnitude >= raw)
        .unwrap_or(10.0);
    let step = m * magnitude;
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    let n = ((last - first) as usize).min(100);
    // Multiples of m divided by a power of ten are the correctly rounded decimals
    // (3 × 0.2 is 0.6000000000000001; 3 × 2 / 10 is 0.6).
    let per = (1.0 / magnitude).round();
    (0..=n)
        .map(|i| {
            let multiple = (first + i as f64) * m;
            if magnitude < 1.0 {
                multiple / per
            } else {
                multiple * magnitude
            }
        })
        .collect()
}

/// A tick label: as few decimals as the step needs, thousands grouped.
pub fn tick_label(v: f64, ticks: &[f64]) -> String {
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    let decimals = if step.is_finite() && step < 1.0 {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    } else {
        0
    };
    // In the browser's convention for numbers: `0,5` and `1.000` in nl-NL.
    // A zero is written `0`, whatever the step.
    let text = segmenta_core::numbers::fixed(v, decimals);
    if text.chars().any(|c| matches!(c, '1'..='9')) {
        text
    } else {
        "0".into()
    }
}

/// `svg` with every `var(--name)` replaced by `lookup(--name)` (the page's computed CSS),
/// so that a downloaded SVG keeps its colours outside the page.
pub fn inline_css_vars(svg: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("var(--") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 4..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match lookup(name) {
                    Some(value) => out.push_str(value.trim()),
                    None => out.push_str(&rest[at..at + 4 + end + 1]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_and_run_backwards() {
        let y = Linear {
            domain: (0.0, 10.0),
            range: (100.0, 0.0),
        };
        assert_eq!(y.map(0.0), 100.0);
        assert_eq!(y.map(2.5), 75.0);
        let flat = Linear {
            domain: (3.0, 3.0),
            range: (0.0, 10.0),
        };
        assert_eq!(flat.map(3.0), 5.0);
    }

    #[test]
    fn ticks_are_round_and_enclose_the_data() {
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.13, 0.42, 4), vec![0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(nice_ticks(3.0, 97.0, 4), vec![0.0, 50.0, 100.0]);
        assert_eq!(
            nice_ticks(-0.3, 0.7, 5),
            vec![-0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8]
        );
        let one = nice_ticks(5.0, 5.0, 4);
        assert!(one.first().unwrap() < &5.0 && one.last().unwrap() > &5.0);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 4), vec![0.0, 1.0]);
    }

    #[test]
    fn labels_use_the_decimals_the_step_needs() {
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(tick_label(0.4, &t), "0.4");
        assert_eq!(tick_label(0.0, &t), "0");
        assert_eq!(tick_label(50.0, &[0.0, 50.0]), "50");
        assert_eq!(tick_label(0.05, &[0.0, 0.05]), "0.05");
        assert_eq!(tick_label(-0.0001, &[-1.0, 0.0, 1.0]), "0");
        assert_eq!(tick_label(5000.0, &[0.0, 5000.0]), "5,000");
    }

    #[test]
    fn css_variables_are_inlined_for_export() {
        let svg = r#"<rect fill="var(--seg-0)"/><text fill="var(--text)">a</text><g fill="var(--unknown)"/>"#;
        let out = inline_css_vars(svg, |name| match name {
            "--seg-0" => Some(" #0072b2".into()),
            "--text" => Some("#1c2430".into()),
            _ => None,
        });
        assert_eq!(
            out,
            r##"<rect fill="#0072b2"/><text fill="#1c2430">a</text><g fill="var(--unknown)"/>"##
        );
    }
}
