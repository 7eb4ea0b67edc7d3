//! Numbers and words as the page shows them, in the browser's own convention for
//! numbers (`1,234.5` or `1.234,5`: see [`segmenta_core::numbers`]).

pub use segmenta_core::numbers::fixed;

/// `2000` → `2,000`.
pub fn count(n: usize) -> String {
    segmenta_core::numbers::count(n)
}

/// `0.285` → `29%`, `0.094` → `9.4%`: one decimal below 10 %, none above (rounding half up).
pub fn percent(share: f64) -> String {
    // Drop binary noise first: 0.285 * 100 is 28.499999999999996.
    let p = (share * 100.0 * 1e6).round() / 1e6;
    if p > 0.0 && p < 0.1 {
        "<0.1%".into()
    } else if p < 10.0 {
        format!("{}%", fixed((p * 10.0).round() / 10.0, 1))
    } else {
        format!("{}%", fixed(p.round(), 0))
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
        fixed(v, 0)
    } else if a >= 10.0 {
        fixed(v, 1)
    } else {
        fixed(v, 2)
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
        format!("{} {}", fixed(size, 1), UNITS.get(unit).unwrap_or(&"GB"))
    }
}

/// `850` → `0.85 s`, `12_300` → `12 s`, `95_000` → `1 min 35 s`.
pub fn duration(millis: f64) -> String {
    let s = millis / 1000.0;
    if s < 10.0 {
        format!("{} s", fixed(s, 2))
    } else if s < 60.0 {
        format!("{} s", fixed(s, 0))
    } else {
        format!("{} min {} s", (s / 60.0).floor(), fixed(s % 60.0, 0))
    }
}

/// `(12, "row")` → `12 rows`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{} {}{}", count(n), word, if n == 1 { "" } else { "s" })
}

/// Names in a sentence: `a`, `a and b`, `a, b and c`.
pub fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}

/// A moment (milliseconds since 1970) as the browser's language writes it,
/// e.g. `22 Nov 2026, 18:40` in the UK or `Nov 22, 2026, 6:40 PM` in the US.
pub fn local_date_time(millis: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
        let options = js_sys::Object::new();
        for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        let language = browser_language().unwrap_or_else(|| "en".to_owned());
        String::from(date.to_locale_string(&language, &options))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("{millis} ms after 1970")
    }
}

/// The browser's language (`navigator.language`, e.g. `nl-NL`), in the page or a worker.
pub fn browser_language() -> Option<String> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    js_sys::Reflect::get(&navigator, &"language".into())
        .ok()?
        .as_string()
}

/// Makes this thread (the page or the worker) write numbers for people the way the
/// browser's language does, from how the browser itself writes 1234567.8.
pub fn use_browser_number_style() {
    let Some(language) = browser_language() else {
        return;
    };
    let sample = js_sys::Number::from(1_234_567.8).to_locale_string(&language);
    if let Some(style) = segmenta_core::numbers::NumberStyle::from_sample(&String::from(sample)) {
        segmenta_core::numbers::set_style(style);
    }
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
