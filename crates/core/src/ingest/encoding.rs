//! Text encodings: byte-order marks, UTF-8, and the Windows-1252 fallback spreadsheet
//! programs still write. Decoding is done by `encoding_rs`.

use std::borrow::Cow;

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::{Deserialize, Serialize};

/// The encodings Segmenta reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 (with or without a byte-order mark).
    Utf8,
    /// UTF-16, little-endian.
    Utf16le,
    /// UTF-16, big-endian.
    Utf16be,
    /// Windows-1252, the superset of Latin-1 (ISO-8859-1) that Excel on Windows writes.
    Windows1252,
}

impl TextEncoding {
    /// The name shown to users and accepted by the CLI.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16le => "UTF-16LE",
            TextEncoding::Utf16be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252 (Latin-1)",
        }
    }

    /// The WHATWG name, as the CLI prints it.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16le => "UTF-16LE",
            TextEncoding::Utf16be => "UTF-16BE",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// Parses a user-supplied name (`utf-8`, `latin1`, `cp1252`, …).
    pub fn from_name(name: &str) -> Option<TextEncoding> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        match n.as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "utf-16le" | "utf16le" | "utf-16" => Some(TextEncoding::Utf16le),
            "utf-16be" | "utf16be" => Some(TextEncoding::Utf16be),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1" => {
                Some(TextEncoding::Windows1252)
            }
            _ => None,
        }
    }

    pub(crate) fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Utf16le => UTF_16LE,
            TextEncoding::Utf16be => UTF_16BE,
            TextEncoding::Windows1252 => WINDOWS_1252,
        }
    }
}

/// The encoding chosen for a file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The encoding.
    pub encoding: TextEncoding,
    /// Whether the file starts with a byte-order mark.
    pub had_bom: bool,
}

impl Detected {
    /// A streaming decoder to UTF-8 that drops the byte-order mark, if there is one.
    pub fn decoder(self) -> Decoder {
        if self.had_bom {
            self.encoding.encoding().new_decoder_with_bom_removal()
        } else {
            self.encoding.encoding().new_decoder_without_bom_handling()
        }
    }
}

/// Chooses the encoding from the head of a file: a BOM wins, then the user's choice, then
/// UTF-8 if the head is valid UTF-8 (a sequence cut off at the end of the head is fine),
/// then UTF-16LE if it looks like it, otherwise Windows-1252 (which maps every byte).
pub fn detect(head: &[u8], choice: Option<TextEncoding>) -> Detected {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        let encoding = if enc == UTF_16LE {
            TextEncoding::Utf16le
        } else if enc == UTF_16BE {
            TextEncoding::Utf16be
        } else {
            TextEncoding::Utf8
        };
        return Detected {
            encoding,
            had_bom: true,
        };
    }
    let encoding = match choice {
        Some(e) => e,
        None if valid_utf8_prefix(head) => TextEncoding::Utf8,
        None if looks_like_utf16le(head) => TextEncoding::Utf16le,
        None => TextEncoding::Windows1252,
    };
    Detected {
        encoding,
        had_bom: false,
    }
}

/// Valid UTF-8, allowing the last character to be cut off by the end of the slice.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text (borrowed when the bytes were already valid UTF-8).
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: TextEncoding,
    /// Whether a byte-order mark was found and stripped.
    pub had_bom: bool,
}

/// Decodes a whole file held in memory (see [`detect`]).
pub fn decode(bytes: &[u8], choice: Option<TextEncoding>) -> Decoded<'_> {
    let detected = detect(bytes, choice);
    let body = if detected.had_bom {
        Encoding::for_bom(bytes).map_or(bytes, |(_, n)| bytes.get(n..).unwrap_or_default())
    } else {
        bytes
    };
    let (text, _) = detected
        .encoding
        .encoding()
        .decode_without_bom_handling(body);
    Decoded {
        text,
        encoding: detected.encoding,
        had_bom: detected.had_bom,
    }
}

/// UTF-16LE text without a BOM has a zero in almost every odd byte.
fn looks_like_utf16le(bytes: &[u8]) -> bool {
    let sample = bytes.get(..4096).unwrap_or(bytes);
    sample.len() >= 8
        && sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
            * 10
            >= sample.len() / 2 * 9
}

/// Recognizes binary formats people rename to `.csv` by their magic bytes.
pub fn binary_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "an Excel workbook (.xlsx) or a zip archive"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Excel workbook (.xls)",
        ),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"\x1F\x8B", "a gzip-compressed file"),
        (b"SQLite format 3", "an SQLite database"),
        (b"PAR1", "a Parquet file"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(name);
    }
    // Text never contains NUL bytes except as UTF-16, which has a BOM or a regular pattern.
    let sample = bytes.get(..8192).unwrap_or(bytes);
    let nul = sample.iter().filter(|b| **b == 0).count();
    let control = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0))
        .count();
    if Encoding::for_bom(bytes).is_none()
        && !looks_like_utf16le(bytes)
        && (nul > 0 || control * 20 > sample.len())
    {
        return Some("a binary file");
    }
    None
}

/// Turns a file's bytes into UTF-8 text, chunk by chunk.
///
/// UTF-8, nearly every big export, is checked in place (`simdutf8`, SIMD128 in the
/// browser) and handed on without a copy: `encoding_rs` would copy each chunk into a
/// buffer of its own, a third of the time of checking (0.045 s against 0.021 s for the
/// 152 MB benchmark file natively) and 8 MiB more memory per worker. Other encodings, and
/// UTF-8 after its first invalid byte, go through `encoding_rs`.
pub struct TextDecoder {
    kind: Kind,
    out: Vec<u8>,
    /// The last input was decoded (encoding_rs panics if a finished decoder is used again).
    finished: bool,
}

enum Kind {
    Utf8 {
        /// A byte-order mark may still start the text.
        bom: bool,
        /// The start of a character cut off at the end of the last chunk.
        carry: Vec<u8>,
    },
    Other(Decoder),
}

/// The bytes were not valid in the encoding (only reported by a strict decoder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl TextDecoder {
    /// A decoder for a whole file (`bom`: drop a byte-order mark at its start) or, without,
    /// for text starting anywhere.
    pub fn new(encoding: TextEncoding, bom: bool) -> TextDecoder {
        let kind = match encoding {
            TextEncoding::Utf8 => Kind::Utf8 {
                bom,
                carry: Vec::new(),
            },
            _ => Kind::Other(
                Detected {
                    encoding,
                    had_bom: bom,
                }
                .decoder(),
            ),
        };
        TextDecoder {
            kind,
            out: Vec::new(),
            finished: false,
        }
    }

    /// Decodes `input` (`last`: nothing follows), calling `text` with each piece of UTF-8
    /// in order. A `strict` decoder stops at the first invalid byte with [`Invalid`];
    /// otherwise invalid bytes become U+FFFD.
    pub fn decode(
        &mut self,
        mut input: &[u8],
        last: bool,
        strict: bool,
        text: &mut impl FnMut(&[u8]),
    ) -> Result<(), Invalid> {
        if self.finished {
            return Ok(());
        }
        self.finished = last;
        if let Kind::Utf8 { bom, carry } = &mut self.kind {
            if *bom {
                if input.len() < BOM.len() && !last {
                    // Too short to tell (never with whole chunks): let encoding_rs decide.
                    self.kind = Kind::Other(UTF_8.new_decoder_with_bom_removal());
                    return self.decode_other(input, last, strict, text);
                }
                *bom = false;
                input = input.strip_prefix(BOM).unwrap_or(input);
            }
            match utf8_in_place(carry, input, last, text) {
                Ok(()) => return Ok(()),
                Err(_) if strict => return Err(Invalid),
                Err(at) => {
                    // Decode the rest lossily, from the first byte not yet handed on.
                    let mut rest = std::mem::take(carry);
                    rest.extend_from_slice(input.get(at..).unwrap_or_default());
                    self.kind = Kind::Other(UTF_8.new_decoder_without_bom_handling());
                    return self.decode_other(&rest, last, strict, text);
                }
            }
        }
        self.decode_other(input, last, strict, text)
    }

    /// [`TextDecoder::decode`] by `encoding_rs`, into a buffer of this decoder's own.
    fn decode_other(
        &mut self,
        mut input: &[u8],
        last: bool,
        strict: bool,
        text: &mut impl FnMut(&[u8]),
    ) -> Result<(), Invalid> {
        let Kind::Other(decoder) = &mut self.kind else {
            return Ok(());
        };
        let needed = decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len() * 3 + 16);
        if self.out.len() < needed {
            self.out.resize(needed, 0);
        }
        loop {
            let (result, read, written, replaced) =
                decoder.decode_to_utf8(input, &mut self.out, last);
            if replaced && strict {
                return Err(Invalid);
            }
            text(self.out.get(..written).unwrap_or_default());
            input = input.get(read..).unwrap_or_default();
            if result == CoderResult::InputEmpty {
                return Ok(());
            }
        }
    }
}

/// Hands on the valid UTF-8 of `carry` followed by `input`, keeping a character cut off at
/// the end in `carry`. On an invalid byte, returns where in `input` the bytes not yet handed
/// on start (`carry` then holds those before it).
fn utf8_in_place(
    carry: &mut Vec<u8>,
    mut input: &[u8],
    last: bool,
    text: &mut impl FnMut(&[u8]),
) -> Result<(), usize> {
    let mut start = 0;
    if let Some(&lead) = carry.first() {
        // Complete the cut-off character with the continuation bytes it needs.
        let width: usize = match lead {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let had = carry.len();
        let take = width.saturating_sub(had).min(input.len());
        carry.extend_from_slice(input.get(..take).unwrap_or_default());
        input = input.get(take..).unwrap_or_default();
        start = take;
        match simdutf8::compat::from_utf8(carry) {
            Ok(_) => {
                text(carry);
                carry.clear();
            }
            Err(e) if e.error_len().is_none() && !last => return Ok(()),
            Err(_) => {
                carry.truncate(had);
                return Err(0);
            }
        }
    }
    match simdutf8::compat::from_utf8(input) {
        Ok(_) => text(input),
        Err(e) => {
            let (valid, rest) = input.split_at(e.valid_up_to());
            text(valid);
            if e.error_len().is_some() || last {
                return Err(start + valid.len());
            }
            carry.extend_from_slice(rest);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `bytes` cut at `cuts`, decoded by a [`TextDecoder`]; `None` when strict and invalid.
    fn decode_in_chunks(bytes: &[u8], cuts: &[usize], bom: bool, strict: bool) -> Option<Vec<u8>> {
        let mut decoder = TextDecoder::new(TextEncoding::Utf8, bom);
        let mut out = Vec::new();
        let mut from = 0;
        for &to in cuts.iter().chain([&bytes.len()]) {
            let last = to == bytes.len();
            decoder
                .decode(&bytes[from..to], last, strict, &mut |t| {
                    out.extend_from_slice(t)
                })
                .ok()?;
            from = to;
        }
        Some(out)
    }

    /// encoding_rs decoding all at once: what the in-place path must match.
    fn whole(bytes: &[u8], bom: bool) -> Vec<u8> {
        let detected = Detected {
            encoding: TextEncoding::Utf8,
            had_bom: bom,
        };
        let mut decoder = detected.decoder();
        let mut out = vec![0; bytes.len() * 3 + 16];
        let (_, _, written, _) = decoder.decode_to_utf8(bytes, &mut out, true);
        out.truncate(written);
        out
    }

    #[test]
    fn utf8_in_place_matches_encoding_rs_at_every_cut() {
        let valid = "\u{FEFF}id;naam;€ bedrag\n1;Zoë;12,50 £\n2;日本;𝄞 3\n".as_bytes();
        let mut invalid = valid.to_vec();
        invalid.splice(20..20, [0xFF, b'x', 0xE2, 0x82, b';', 0xF0, 0x9D]);
        invalid.extend_from_slice(&[0xE2, 0x82]); // cut off at the very end
        for (bytes, ok) in [(valid, true), (&invalid[..], false)] {
            let expected = whole(bytes, true);
            for i in 0..=bytes.len() {
                for j in i..=bytes.len() {
                    let cuts = [i, j];
                    assert_eq!(
                        decode_in_chunks(bytes, &cuts, true, false).as_deref(),
                        Some(&expected[..]),
                        "cuts {cuts:?}"
                    );
                    assert_eq!(
                        decode_in_chunks(bytes, &cuts, true, true).is_some(),
                        ok,
                        "strict, cuts {cuts:?}"
                    );
                }
            }
        }
        // Without BOM removal (a later part of a file), the mark is text like any other.
        assert_eq!(
            decode_in_chunks(valid, &[], false, true).as_deref(),
            Some(valid)
        );
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("a,b\n£,é\n".as_bytes(), None);
        assert_eq!((d.encoding, d.had_bom), (TextEncoding::Utf8, false));
        assert!(matches!(d.text, Cow::Borrowed(_)));
        let d = decode(b"\xEF\xBB\xBFa,b\n", None);
        assert_eq!(
            (d.encoding, d.had_bom, d.text.as_ref()),
            (TextEncoding::Utf8, true, "a,b\n")
        );
    }

    #[test]
    fn latin1_fallback_shows_pound_sign() {
        let d = decode(b"price\n\xA310\ncaf\xE9\n", None);
        assert_eq!(d.encoding, TextEncoding::Windows1252);
        assert_eq!(d.text, "price\n£10\ncafé\n");
    }

    #[test]
    fn utf16_with_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b\n1,2\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&le, None);
        assert_eq!(
            (d.encoding, d.text.as_ref()),
            (TextEncoding::Utf16le, "a,b\n1,2\n")
        );
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a,b\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be, None).encoding, TextEncoding::Utf16be);
        assert!(binary_format(&le).is_none());
    }

    #[test]
    fn names() {
        assert_eq!(
            TextEncoding::from_name("Latin1"),
            Some(TextEncoding::Windows1252)
        );
        assert_eq!(TextEncoding::from_name("UTF_8"), Some(TextEncoding::Utf8));
        assert_eq!(TextEncoding::from_name("ebcdic"), None);
    }

    #[test]
    fn binary_magic() {
        assert!(binary_format(b"PK\x03\x04rest").is_some());
        assert!(binary_format(b"\x00\x01\x02\x03garbage").is_some());
        assert!(binary_format(b"a,b\n1,2\n").is_none());
    }
}
