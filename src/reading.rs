//! The reading options form as plain data: which choices each field offers, which one is
//! current, and how choosing one changes the options. The component only draws this.

use segmenta_core::date::DateOrder;
use segmenta_core::ingest::{ReadOptions, Separator, TextEncoding};
use segmenta_core::table::Decimal;

use crate::protocol::Detected;

/// One field of the reading options form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Field separator.
    Delimiter,
    /// Text encoding.
    Encoding,
    /// Whether the first row holds column names.
    Header,
    /// Decimal separator.
    Decimal,
    /// Day/month order.
    Dates,
}

/// Every field, in form order.
pub const FIELDS: [Field; 5] = [
    Field::Delimiter,
    Field::Encoding,
    Field::Header,
    Field::Decimal,
    Field::Dates,
];

const DELIMITERS: [(&str, &str, Separator); 6] = [
    ("comma", "Comma ,", Separator::Byte(b',')),
    ("semicolon", "Semicolon ;", Separator::Byte(b';')),
    ("tab", "Tab", Separator::Byte(b'\t')),
    ("pipe", "Pipe |", Separator::Byte(b'|')),
    ("colon", "Colon :", Separator::Byte(b':')),
    (
        "whitespace",
        "Aligned columns (spaces)",
        Separator::Whitespace,
    ),
];
const ENCODINGS: [(&str, &str, TextEncoding); 4] = [
    ("utf-8", "UTF-8", TextEncoding::Utf8),
    (
        "windows-1252",
        "Windows / Latin-1",
        TextEncoding::Windows1252,
    ),
    ("utf-16le", "UTF-16 LE", TextEncoding::Utf16le),
    ("utf-16be", "UTF-16 BE", TextEncoding::Utf16be),
];
const HEADERS: [(&str, &str, bool); 2] = [("names", "Column names", true), ("data", "Data", false)];
const DECIMALS: [(&str, &str, Decimal); 2] = [
    ("point", "Point 1,234.56", Decimal::Point),
    ("comma", "Comma 1.234,56", Decimal::Comma),
];
const DATES: [(&str, &str, DateOrder); 2] = [
    ("dmy", "Day first 31/12", DateOrder::Dmy),
    ("mdy", "Month first 12/31", DateOrder::Mdy),
];

fn label_of<T: PartialEq + Copy>(
    table: &[(&'static str, &'static str, T)],
    value: T,
) -> &'static str {
    table
        .iter()
        .find(|(_, _, v)| *v == value)
        .map_or("?", |(_, l, _)| l)
}

fn value_of<T: PartialEq + Copy>(
    table: &[(&'static str, &'static str, T)],
    value: Option<T>,
) -> &'static str {
    value
        .and_then(|v| table.iter().find(|(_, _, t)| *t == v))
        .map_or("auto", |(k, _, _)| k)
}

fn parse<T: Copy>(table: &[(&'static str, &'static str, T)], key: &str) -> Option<T> {
    table.iter().find(|(k, _, _)| *k == key).map(|(_, _, v)| *v)
}

impl Field {
    /// The label shown above the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::Delimiter => "Delimiter",
            Field::Encoding => "Text encoding",
            Field::Header => "First row",
            Field::Decimal => "Decimal separator",
            Field::Dates => "Dates like 01/02",
        }
    }

    /// An id for the `<select>`.
    pub fn id(self) -> &'static str {
        match self {
            Field::Delimiter => "read-delimiter",
            Field::Encoding => "read-encoding",
            Field::Header => "read-header",
            Field::Decimal => "read-decimal",
            Field::Dates => "read-dates",
        }
    }

    /// `(value, label)` pairs; the first is "automatic", labelled with what was detected.
    pub fn choices(self, detected: &Detected) -> Vec<(&'static str, String)> {
        fn list<'a, T>(
            table: &'a [(&'static str, &'static str, T)],
        ) -> impl Iterator<Item = (&'static str, String)> + 'a {
            table.iter().map(|(k, l, _)| (*k, (*l).to_owned()))
        }
        let auto = match self {
            Field::Delimiter => label_of(&DELIMITERS, detected.separator),
            Field::Encoding => label_of(&ENCODINGS, detected.encoding),
            Field::Header => label_of(&HEADERS, detected.has_header),
            Field::Decimal => label_of(&DECIMALS, detected.decimal),
            Field::Dates => label_of(&DATES, detected.date_order),
        };
        let mut out = vec![("auto", format!("{auto} (detected)"))];
        match self {
            Field::Delimiter => out.extend(list(&DELIMITERS)),
            Field::Encoding => out.extend(list(&ENCODINGS)),
            Field::Header => out.extend(list(&HEADERS)),
            Field::Decimal => out.extend(list(&DECIMALS)),
            Field::Dates => out.extend(list(&DATES)),
        }
        out
    }

    /// The value currently chosen (`"auto"` when the user has not chosen).
    pub fn current(self, options: &ReadOptions) -> &'static str {
        match self {
            Field::Delimiter => value_of(&DELIMITERS, options.delimiter),
            Field::Encoding => value_of(&ENCODINGS, options.encoding),
            Field::Header => value_of(&HEADERS, options.has_header),
            Field::Decimal => value_of(&DECIMALS, options.decimal),
            Field::Dates => value_of(&DATES, options.date_order),
        }
    }

    /// `options` with this field set to `value` (`"auto"` clears it).
    pub fn apply(self, mut options: ReadOptions, value: &str) -> ReadOptions {
        match self {
            Field::Delimiter => options.delimiter = parse(&DELIMITERS, value),
            Field::Encoding => options.encoding = parse(&ENCODINGS, value),
            Field::Header => options.has_header = parse(&HEADERS, value),
            Field::Decimal => options.decimal = parse(&DECIMALS, value),
            Field::Dates => options.date_order = parse(&DATES, value),
        }
        options
    }
}

/// `options` with the extra missing-value word set (blank clears it).
pub fn with_missing_token(mut options: ReadOptions, token: &str) -> ReadOptions {
    let t = token.trim();
    options.missing_token = (!t.is_empty()).then(|| t.to_owned());
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected() -> Detected {
        Detected {
            separator: Separator::Byte(b';'),
            encoding: TextEncoding::Windows1252,
            has_header: true,
            decimal: Decimal::Comma,
            date_order: DateOrder::Dmy,
        }
    }

    #[test]
    fn automatic_choice_names_what_was_detected() {
        assert_eq!(
            Field::Delimiter.choices(&detected())[0],
            ("auto", "Semicolon ; (detected)".to_owned())
        );
        assert_eq!(
            Field::Encoding.choices(&detected())[0].1,
            "Windows / Latin-1 (detected)"
        );
        assert_eq!(
            Field::Decimal.choices(&detected())[0].1,
            "Comma 1.234,56 (detected)"
        );
    }

    #[test]
    fn every_choice_round_trips() {
        for field in FIELDS {
            for (value, _) in field.choices(&detected()) {
                let options = field.apply(ReadOptions::default(), value);
                assert_eq!(field.current(&options), value, "{field:?}");
            }
        }
        let o = Field::Delimiter.apply(ReadOptions::default(), "tab");
        assert_eq!(o.delimiter, Some(Separator::Byte(b'\t')));
        assert_eq!(Field::Delimiter.apply(o, "auto").delimiter, None);
    }

    #[test]
    fn missing_token() {
        assert_eq!(
            with_missing_token(ReadOptions::default(), " unknown ")
                .missing_token
                .as_deref(),
            Some("unknown")
        );
        assert_eq!(
            with_missing_token(ReadOptions::default(), "  ").missing_token,
            None
        );
    }
}
