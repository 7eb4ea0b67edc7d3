//! Sniffing the CSV dialect: delimiter, quoting and escaping, comment lines, whether the
//! first row is a header, and how lines end.

use serde::{Deserialize, Serialize};

use super::records::Splitter;
use crate::table::values::{Decimal, looks_numeric};

/// What separates fields. Written in recipes as a word (`"semicolon"`, `"tab"`,
/// `"whitespace"`) or the character itself for others (`"#"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    /// A single byte such as `,` `;` tab `|` or `:`.
    Byte(u8),
    /// Runs of spaces or tabs, as in column-aligned text exports (no quoting).
    Whitespace,
}

impl Separator {
    /// The separator in words: "comma", "semicolon", "tab", "aligned columns", …
    pub fn name(self) -> String {
        match self {
            Separator::Byte(b',') => "comma".into(),
            Separator::Byte(b';') => "semicolon".into(),
            Separator::Byte(b'\t') => "tab".into(),
            Separator::Byte(b'|') => "pipe".into(),
            Separator::Byte(b':') => "colon".into(),
            Separator::Byte(b' ') => "space".into(),
            Separator::Byte(other) => format!("'{}'", other as char),
            Separator::Whitespace => "whitespace".into(),
        }
    }

    /// The separator as the CLI prints it: the character itself, or `whitespace`.
    pub fn symbol(self) -> String {
        match self {
            Separator::Byte(b'\t') => "\t".into(),
            Separator::Byte(b) => (b as char).to_string(),
            Separator::Whitespace => "whitespace".into(),
        }
    }

    /// Reads a user's choice: `,`, `;`, `tab`, `\t`, `|`, `comma`, `whitespace`, …
    pub fn parse(text: &str) -> Option<Separator> {
        match text
            .trim_matches(|c| c == '\'' || c == '"')
            .to_ascii_lowercase()
            .as_str()
        {
            "," | "comma" => Some(Separator::Byte(b',')),
            ";" | "semicolon" => Some(Separator::Byte(b';')),
            "\\t" | "tab" | "\t" => Some(Separator::Byte(b'\t')),
            "|" | "pipe" => Some(Separator::Byte(b'|')),
            ":" | "colon" => Some(Separator::Byte(b':')),
            "whitespace" | "spaces" | "aligned" => Some(Separator::Whitespace),
            " " | "space" => Some(Separator::Byte(b' ')),
            other => match other.as_bytes() {
                [byte] if byte.is_ascii() => Some(Separator::Byte(*byte)),
                _ => None,
            },
        }
    }
}

impl Serialize for Separator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let written = match self {
            Separator::Byte(b) if !b",;\t|: ".contains(b) => (*b as char).to_string(),
            _ => self.name(),
        };
        if Separator::parse(&written) == Some(*self) {
            return serializer.serialize_str(&written);
        }
        // A quote or a byte beyond ASCII does not read back as a word.
        let mut map = serializer.serialize_map(Some(1))?;
        if let Separator::Byte(b) = self {
            map.serialize_entry("byte", b)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Separator {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Earlier builds wrote `{"byte": 59}`; sessions kept by them still load.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Word(String),
            Old(Old),
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Old {
            Byte(u8),
            Whitespace,
        }
        match Written::deserialize(deserializer)? {
            Written::Word(w) => Separator::parse(&w).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "{w:?} is not a delimiter; use comma, semicolon, tab, pipe, colon, space or whitespace"
                ))
            }),
            Written::Old(Old::Byte(b)) => Ok(Separator::Byte(b)),
            Written::Old(Old::Whitespace) => Ok(Separator::Whitespace),
        }
    }
}

/// How the records of a file are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialect {
    /// Field separator.
    pub separator: Separator,
    /// Quote character (`"` in almost every export).
    pub quote: u8,
    /// `Some(b'\\')` when quotes inside quoted fields are written `\"` instead of `""`.
    pub escape: Option<u8>,
    /// Lines starting with this byte are comments and skipped.
    pub comment: Option<u8>,
    /// Whether the first record holds column names.
    pub has_header: bool,
    /// Line ends are counted on this byte (`\r` for old Mac files, `\n` otherwise).
    pub line_end: u8,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            separator: Separator::Byte(b','),
            quote: b'"',
            escape: None,
            comment: None,
            has_header: true,
            line_end: b'\n',
        }
    }
}

/// Delimiters tried when sniffing, in order of preference on a tie.
pub const CANDIDATES: [u8; 5] = [b',', b';', b'\t', b'|', b':'];
const SNIFF_RECORDS: usize = 200;

/// Detects the dialect from the start of the decoded text; `Some` arguments fix that part.
pub fn sniff(sample: &str, separator: Option<Separator>, has_header: Option<bool>) -> Dialect {
    let sample = cut_at_line_end(sample);
    let line_end = if sample.contains('\n') || !sample.contains('\r') {
        b'\n'
    } else {
        b'\r'
    };
    let comment = sniff_comment(sample);
    let base = Dialect {
        line_end,
        comment,
        ..Dialect::default()
    };
    let separator = separator.unwrap_or_else(|| sniff_separator(sample, &base));
    let mut dialect = Dialect { separator, ..base };
    dialect.escape = sniff_escape(sample, &dialect);
    dialect.has_header =
        has_header.unwrap_or_else(|| sniff_header(&sample_records(sample, &dialect)));
    dialect
}

/// Drops a partial last line so sniffing never sees half a record.
fn cut_at_line_end(text: &str) -> &str {
    match text.rfind(['\n', '\r']) {
        Some(i) if i + 1 < text.len() && text.len() > 4096 => &text[..=i],
        _ => text,
    }
}

/// Splits a sample into records with `dialect`.
pub fn sample_records(sample: &str, dialect: &Dialect) -> Vec<Vec<String>> {
    let mut splitter = Splitter::new(dialect);
    let mut out = Vec::new();
    let mut take = |r: &super::records::RecordRef<'_>| {
        if out.len() < SNIFF_RECORDS {
            out.push(
                r.fields()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect::<Vec<_>>(),
            );
        }
    };
    splitter.feed(sample.as_bytes(), &mut take);
    splitter.finish(&mut take);
    out.retain(|r: &Vec<String>| !matches!(r.as_slice(), [only] if only.trim().is_empty()));
    out
}

/// `#` starts comment lines when some lines start with it and never look like data.
fn sniff_comment(sample: &str) -> Option<u8> {
    let lines: Vec<&str> = sample
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_RECORDS)
        .collect();
    let hashed: Vec<&&str> = lines.iter().filter(|l| l.starts_with('#')).collect();
    if hashed.is_empty() || hashed.len() * 2 > lines.len() {
        return None;
    }
    // Comment lines read like prose: a space after the hash, or no delimiter at all.
    let prose = hashed
        .iter()
        .all(|l| l.starts_with("# ") || !l.contains([',', ';', '\t', '|']));
    prose.then_some(b'#')
}

/// The separator that splits the sample into the most consistent number (> 1) of fields;
/// runs of whitespace when no single byte does.
fn sniff_separator(sample: &str, base: &Dialect) -> Separator {
    let mut best: Option<(f64, Separator)> = None;
    for &d in &CANDIDATES {
        let dialect = Dialect {
            separator: Separator::Byte(d),
            ..*base
        };
        if let Some(score) = consistency(&sample_records(sample, &dialect)) {
            // Colons appear in times; only pick them when clearly better.
            let score = if d == b':' { score - 0.25 } else { score };
            if best.is_none_or(|(s, _)| score > s + 1e-9) {
                best = Some((score, Separator::Byte(d)));
            }
        }
    }
    if let Some((score, sep)) = best
        && score >= 1.0
    {
        return sep;
    }
    let whitespace = Dialect {
        separator: Separator::Whitespace,
        ..*base
    };
    match (best, consistency(&sample_records(sample, &whitespace))) {
        (Some((s, sep)), Some(w)) if s >= w => sep,
        (_, Some(w)) if w >= 1.0 => Separator::Whitespace,
        (Some((_, sep)), _) => sep,
        _ => Separator::Byte(b','),
    }
}

/// How consistently records have the same number (> 1) of fields: the share of records
/// with the most common count, plus 0.5 when the header row agrees. `None` below 2 fields.
fn consistency(records: &[Vec<String>]) -> Option<f64> {
    if records.is_empty() {
        return None;
    }
    let counts: Vec<usize> = records.iter().map(Vec::len).collect();
    let mode = mode(&counts);
    if mode <= 1 {
        return None;
    }
    let agree = counts.iter().filter(|&&c| c == mode).count() as f64 / counts.len() as f64;
    Some(
        agree
            + if counts.first() == Some(&mode) {
                0.5
            } else {
                0.0
            },
    )
}

fn mode(values: &[usize]) -> usize {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_n) = (0, 0);
    for run in sorted.chunk_by(|a, b| a == b) {
        if let Some(&value) = run.first()
            && (run.len() > best_n || (run.len() == best_n && value > best))
        {
            best = value;
            best_n = run.len();
        }
    }
    best
}

/// Backslash escapes (`"say \"hi\""`) when the sample has them and they split more
/// consistently than RFC 4180's doubled quotes.
fn sniff_escape(sample: &str, dialect: &Dialect) -> Option<u8> {
    if dialect.separator == Separator::Whitespace || !sample.contains("\\\"") {
        return None;
    }
    let doubled = consistency(&sample_records(sample, dialect)).unwrap_or(0.0);
    let escaped = Dialect {
        escape: Some(b'\\'),
        ..*dialect
    };
    let backslash = consistency(&sample_records(sample, &escaped)).unwrap_or(0.0);
    let literal_backslashes = sample_records(sample, dialect)
        .iter()
        .flatten()
        .any(|f| f.contains("\\\""));
    (backslash > doubled || (backslash >= doubled && literal_backslashes)).then_some(b'\\')
}

/// A first row is data, not names, when it holds numbers where the column below holds
/// numbers; it is a header when it holds words above numbers. All-text files are assumed to
/// have a header, which is what every export tool writes.
fn sniff_header(records: &[Vec<String>]) -> bool {
    let Some((first, rest)) = records.split_first() else {
        return true;
    };
    if rest.is_empty() {
        return !first.iter().any(|f| is_number(f));
    }
    let (mut header_votes, mut data_votes) = (0, 0);
    for (j, name) in first.iter().enumerate() {
        let below: Vec<&str> = rest
            .iter()
            .filter_map(|r| r.get(j))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if below.is_empty() {
            continue;
        }
        let numeric_below = below.iter().filter(|s| is_number(s)).count() * 10 >= below.len() * 9;
        if !numeric_below {
            continue;
        }
        if is_number(name) {
            data_votes += 1;
        } else if !name.trim().is_empty() {
            header_votes += 1;
        }
    }
    header_votes > 0 || data_votes == 0
}

fn is_number(s: &str) -> bool {
    looks_numeric(s, Decimal::Point) || looks_numeric(s, Decimal::Comma)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sep(text: &str) -> Separator {
        sniff(text, None, None).separator
    }

    #[test]
    fn separators_are_written_as_words_and_read_in_both_forms() {
        for (sep, json) in [
            (Separator::Byte(b';'), "\"semicolon\""),
            (Separator::Byte(b'\t'), "\"tab\""),
            (Separator::Byte(b'#'), "\"#\""),
            (Separator::Whitespace, "\"whitespace\""),
        ] {
            assert_eq!(serde_json::to_string(&sep).unwrap(), json);
            assert_eq!(serde_json::from_str::<Separator>(json).unwrap(), sep);
        }
        let old: Separator = serde_json::from_str(r#"{"byte":59}"#).unwrap();
        assert_eq!(old, Separator::Byte(b';'));
        // Every byte reads back as it was written.
        for b in 0..=u8::MAX {
            let json = serde_json::to_string(&Separator::Byte(b)).unwrap();
            assert_eq!(
                serde_json::from_str::<Separator>(&json).unwrap(),
                Separator::Byte(b),
                "{json}"
            );
        }
        let e = serde_json::from_str::<Separator>("\"ab\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not a delimiter"), "{e}");
    }

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(sep("a,b,c\n1,2,3\n"), Separator::Byte(b','));
        assert_eq!(sep("id;amount\n1;2,5\n2;3,75\n"), Separator::Byte(b';'));
        assert_eq!(sep("a\tb\n1\t2\n"), Separator::Byte(b'\t'));
        assert_eq!(sep("a|b|c\n1|2|3\n"), Separator::Byte(b'|'));
        assert_eq!(
            sep("city:region:pop\nX:MA:9686\nY:MA:14061\n"),
            Separator::Byte(b':')
        );
        assert_eq!(
            sep("name,note\n\"x\",\"a; b; c\"\n\"y\",\"d\"\n"),
            Separator::Byte(b',')
        );
        assert_eq!(
            sep("when,amount\n2010-12-01 08:26:00,3\n2010-12-01 09:01:00,4\n"),
            Separator::Byte(b',')
        );
    }

    #[test]
    fn aligned_columns() {
        let text = "id    name      amount\n1     Ann       10.5\n2     Bob       7\n3     Cecile    12.25\n";
        assert_eq!(sep(text), Separator::Whitespace);
    }

    #[test]
    fn detects_header_presence() {
        assert!(sniff("id,amount\n1,2\n3,4\n", None, None).has_header);
        assert!(!sniff("1,2\n3,4\n5,6\n", None, None).has_header);
        assert!(sniff("name,city\nAnn,Paris\nBob,Rome\n", None, None).has_header);
        assert!(!sniff("1,2\n", None, None).has_header);
        assert!(!sniff("a,b\n", None, Some(false)).has_header);
    }

    #[test]
    fn backslash_escapes_and_comments() {
        let text = "\"\\\"Hacksaw\\\" Jim Duggan\";1987\n\"Bret \\\"Hit Man\\\" Hart\";1984\n# We're not sure when Rafael started, so omit the year.\n\"Rafael Hernandez\";\n\"Terry Funk\";1983\n";
        let d = sniff(text, None, None);
        assert_eq!(d.separator, Separator::Byte(b';'));
        assert_eq!(d.escape, Some(b'\\'));
        assert_eq!(d.comment, Some(b'#'));
        assert!(!d.has_header);
    }

    #[test]
    fn hash_values_are_not_comments() {
        let text = "order,amount\n#1001,5\n#1002,6\n1003,7\n";
        assert_eq!(sniff(text, None, None).comment, None);
    }

    #[test]
    fn cr_only_line_ends() {
        assert_eq!(sniff("a,b\r1,2\r", None, None).line_end, b'\r');
        assert_eq!(sniff("a,b\r\n1,2\r\n", None, None).line_end, b'\n');
    }

    #[test]
    fn separators_by_name() {
        assert_eq!(Separator::parse(";"), Some(Separator::Byte(b';')));
        assert_eq!(Separator::parse("tab"), Some(Separator::Byte(b'\t')));
        assert_eq!(Separator::parse("\\t"), Some(Separator::Byte(b'\t')));
        assert_eq!(Separator::parse("whitespace"), Some(Separator::Whitespace));
        assert_eq!(Separator::parse("ab"), None);
    }
}
