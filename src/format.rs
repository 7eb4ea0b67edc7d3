//! Numbers and words as the page shows them.

/// `2000` → `2,000`.
pub fn count(n: usize) -> String {
    segmenta_core::export::group_thousands(n)
}

/// `0.285` → `29%`, `0.094` → `9.4%`: one decimal below 10 %, none above (rounding half up).
pub fn percent(share: f64) -> String {
    // Drop binary noise first: 0.285 * 100 is 28.499999999999996.
    let p = (share * 100.0 * 1e6).round() / 1e6;
    if p > 0.0 && p < 0.1 {
        "<0.1%".into()
    } else if p < 10.0 {
        format!("{:.1}%", (p * 10.0).round() / 10.0)
    } else {
        format!("{}%", p.round() as i64)
    }
}

/// A measurement with as many decimals as its size deserves: `1,234`, `123`, `12.3`, `1.23`.
pub fn value(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    if a >= 1000.0 {
        format!("{sign}{}", count(a.round() as usize))
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// `1536` → `1.5 KB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut size = n as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// `850` → `0.85 s`, `12_300` → `12 s`, `95_000` → `1 min 35 s`.
pub fn duration(millis: f64) -> String {
    let s = millis / 1000.0;
    if s < 10.0 {
        format!("{s:.2} s")
    } else if s < 60.0 {
        format!("{s:.0} s")
    } else {
        format!("{} min {:.0} s", (s / 60.0).floor(), s % 60.0)
    }
}

/// `(12, "row")` → `12 rows`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{} {}{}", count(n), word, if n == 1 { "" } else { "s" })
}

/// How good a quality score is, in words, with a level for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Good.
    Good,
    /// Acceptable.
    Fair,
    /// Weak.
    Weak,
    /// No verdict: the score only compares runs.
    Neutral,
}

impl Verdict {
    /// CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Fair => "fair",
            Verdict::Weak => "weak",
            Verdict::Neutral => "neutral",
        }
    }
}

/// Silhouette in words (Kaufman & Rousseeuw's rule of thumb).
pub fn silhouette_verdict(s: f64) -> (Verdict, &'static str) {
    if s > 0.5 {
        (Verdict::Good, "Clearly separated segments")
    } else if s > 0.25 {
        (Verdict::Fair, "Reasonably separated segments")
    } else {
        (Verdict::Weak, "Segments overlap a lot")
    }
}

/// Davies-Bouldin in words.
pub fn davies_bouldin_verdict(db: f64) -> (Verdict, &'static str) {
    if db < 0.8 {
        (Verdict::Good, "Little overlap between segments")
    } else if db < 1.5 {
        (Verdict::Fair, "Some overlap between neighbouring segments")
    } else {
        (Verdict::Weak, "Neighbouring segments overlap a lot")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(count(0), "0");
        assert_eq!(count(2000), "2,000");
        assert_eq!(count(541_909), "541,909");
        assert_eq!(percent(0.285), "29%");
        assert_eq!(percent(0.094), "9.4%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(value(1234.5), "1,235");
        assert_eq!(value(123.4), "123");
        assert_eq!(value(12.34), "12.3");
        assert_eq!(value(-1.234), "-1.23");
        assert_eq!(bytes(1536), "1.5 KB");
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(plural(1, "row"), "1 row");
        assert_eq!(duration(850.0), "0.85 s");
        assert_eq!(duration(12_300.0), "12 s");
        assert_eq!(duration(95_000.0), "1 min 35 s");
        assert_eq!(plural(3, "row"), "3 rows");
    }

    #[test]
    fn verdicts() {
        assert_eq!(silhouette_verdict(0.6).0, Verdict::Good);
        assert_eq!(silhouette_verdict(0.3).0, Verdict::Fair);
        assert_eq!(davies_bouldin_verdict(2.0).0, Verdict::Weak);
    }
}
