//! Numbers as people read them: thousands grouped and the decimal mark of their own
//! convention — `1,234.5` in the US and the UK, `1.234,5` in the Netherlands and Germany,
//! `1 234,5` in France.
//!
//! The convention is set once per thread ([`set_style`]): the web app reads it from the
//! browser's language, in the page and in its worker; the CLI and the tests keep the
//! default, English. Only words for people use it (sentences, the page, the report).
//! Files for other programs — labelled CSVs, exports, JSON — never do: they stay
//! machine-readable wherever they are made.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

/// How numbers are written: the thousands separator and the decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberStyle {
    /// Between groups of three digits: `,` `.` a space, `'` …
    pub group: char,
    /// Before the decimals: `.` or `,`.
    pub decimal: char,
}

impl NumberStyle {
    /// `1,234.5`.
    pub const ENGLISH: NumberStyle = NumberStyle {
        group: ',',
        decimal: '.',
    };

    /// The style of a locale's rendering of 1234567.8 (`1.234.567,8`, `1 234 567,8`, …),
    /// as the browser's `Number.prototype.toLocaleString` gives it. `None` when the text is
    /// not that number in Western digits (e.g. Arabic-Indic digits), so the caller keeps
    /// the default.
    pub fn from_sample(text: &str) -> Option<NumberStyle> {
        let marks: Vec<char> = text.chars().filter(|c| !c.is_ascii_digit()).collect();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits != "12345678" {
            return None;
        }
        let (&decimal, groups) = marks.split_last()?;
        let group = match groups {
            // A locale that does not group (rare): keep a separator unlike the decimal mark.
            [] if decimal == ',' => '.',
            [] => ',',
            [first, ..] => *first,
        };
        (group != decimal && !decimal.is_whitespace()).then_some(NumberStyle { group, decimal })
    }
}

impl Default for NumberStyle {
    fn default() -> NumberStyle {
        NumberStyle::ENGLISH
    }
}

thread_local! {
    static STYLE: Cell<NumberStyle> = const { Cell::new(NumberStyle::ENGLISH) };
}

/// Sets how this thread writes numbers for people.
pub fn set_style(style: NumberStyle) {
    STYLE.with(|s| s.set(style));
}

/// How this thread writes numbers for people.
pub fn style() -> NumberStyle {
    STYLE.with(Cell::get)
}

/// A whole number with grouped thousands: `1234567` → `1,234,567` (or `1.234.567`).
pub fn count(n: usize) -> String {
    group(&n.to_string(), style().group)
}

/// `x` with `places` decimals and grouped thousands: `fixed(1234.56, 1)` → `1,234.6`
/// (or `1.234,6`). Infinite and missing values are written `–`.
pub fn fixed(x: f64, places: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let style = style();
    let text = format!("{x:.places$}");
    let (sign, unsigned) = match text.strip_prefix('-') {
        // −0.0 rounds to "-0": no sign on a zero.
        Some(rest) if rest.chars().any(|c| matches!(c, '1'..='9')) => ("-", rest),
        Some(rest) => ("", rest),
        None => ("", text.as_str()),
    };
    let (whole, decimals) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut out = format!("{sign}{}", group(whole, style.group));
    if !decimals.is_empty() {
        out.push(style.decimal);
        out.push_str(decimals);
    }
    out
}

/// A share as a percentage with `places` decimals: `percent(0.256, 0)` → `26%`.
pub fn percent(share: f64, places: usize) -> String {
    format!("{}%", fixed(share * 100.0, places))
}

/// `digits` (ASCII digits only) with `separator` between groups of three.
fn group(digits: &str, separator: char) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3 * separator.len_utf8());
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` with `style`, then puts the default back (tests share threads).
    fn with_style<T>(style: NumberStyle, f: impl FnOnce() -> T) -> T {
        set_style(style);
        let out = f();
        set_style(NumberStyle::ENGLISH);
        out
    }

    #[test]
    fn styles_come_from_how_the_browser_writes_a_sample_number() {
        // What Chromium's toLocaleString gives for 1234567.8 in these locales.
        let cases = [
            ("1,234,567.8", ',', '.'),                      // en-US, en-GB
            ("1.234.567,8", '.', ','),                      // nl-NL, de-DE
            ("1\u{202f}234\u{202f}567,8", '\u{202f}', ','), // fr-FR
            ("1\u{a0}234\u{a0}567,8", '\u{a0}', ','),       // sv-SE, pl-PL
            ("1’234’567.8", '’', '.'),                      // de-CH
            ("12,34,567.8", ',', '.'), // en-IN (lakh grouping; we group by three)
        ];
        for (text, group, decimal) in cases {
            assert_eq!(
                NumberStyle::from_sample(text),
                Some(NumberStyle { group, decimal }),
                "{text}"
            );
        }
        // Arabic-Indic digits, or something else entirely: keep the default.
        assert_eq!(NumberStyle::from_sample("١٬٢٣٤٬٥٦٧٫٨"), None);
        assert_eq!(NumberStyle::from_sample("NaN"), None);
        assert_eq!(NumberStyle::from_sample(""), None);
    }

    #[test]
    fn english_by_default() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(fixed(1234.56, 1), "1,234.6");
        assert_eq!(fixed(-1234.56, 0), "-1,235");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(0.5, 2), "0.50");
        assert_eq!(fixed(f64::NAN, 2), "–");
        assert_eq!(percent(0.256, 0), "26%");
        assert_eq!(percent(0.0951, 1), "9.5%");
    }

    #[test]
    fn dutch_and_french_conventions() {
        let dutch = NumberStyle {
            group: '.',
            decimal: ',',
        };
        with_style(dutch, || {
            assert_eq!(count(1234567), "1.234.567");
            assert_eq!(fixed(1234.56, 2), "1.234,56");
            assert_eq!(percent(0.0951, 1), "9,5%");
        });
        let french = NumberStyle {
            group: '\u{202f}',
            decimal: ',',
        };
        with_style(french, || {
            assert_eq!(fixed(-1234567.891, 1), "-1\u{202f}234\u{202f}567,9");
        });
        assert_eq!(fixed(1234.56, 2), "1,234.56");
    }
}
