//! Compact encodings for the per-customer arrays the worker sends the page (map
//! coordinates, segments, ids, hover values).
//!
//! Messages cross between the worker and the page as JavaScript values; a `Vec<f32>` of
//! 400,000 numbers or 200,000 id strings becomes as many JavaScript values, built in the
//! worker and read back one by one on the page's main thread (measured: a 200,000-customer
//! result kept the page busy for about 450 ms). As bytes they cross as one `Uint8Array`,
//! and reading them back is a copy. Use with `#[serde(with = "crate::packed::f32s")]`,
//! or [`PackedStrings`] for strings.

use serde::{Deserialize, Deserializer, Serializer};
use serde_bytes::ByteBuf;

fn bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    Ok(ByteBuf::deserialize(d)?.into_vec())
}

/// `f32` values, little-endian.
pub mod f32s {
    use super::*;

    /// Writes the values as bytes.
    pub fn serialize<S: Serializer>(values: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    /// Reads values written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        Ok(bytes(d)?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
}

/// Optional `f32` values, little-endian, with NaN for `None` (the values sent are finite).
pub mod optional_f32s {
    use super::*;

    /// Writes the values as bytes.
    pub fn serialize<S: Serializer>(values: &[Option<f32>], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|v| v.unwrap_or(f32::NAN).to_le_bytes())
            .collect();
        s.serialize_bytes(&bytes)
    }

    /// Reads values written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Option<f32>>, D::Error> {
        Ok(bytes(d)?
            .chunks_exact(4)
            .map(|b| Some(f32::from_le_bytes([b[0], b[1], b[2], b[3]])).filter(|v| !v.is_nan()))
            .collect())
    }
}

/// `u16` values, little-endian.
pub mod u16s {
    use super::*;

    /// Writes the values as bytes.
    pub fn serialize<S: Serializer>(values: &[u16], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    /// Reads values written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u16>, D::Error> {
        Ok(bytes(d)?
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect())
    }
}

/// Strings kept as they cross: each as its length in bytes (`u32`, little-endian) and
/// then its UTF-8. Reading 200,000 customer ids is one pass over the bytes instead of
/// 200,000 allocations, and copying them is one copy; a string is read when it is shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackedStrings {
    bytes: Vec<u8>,
    /// Where each string's text starts in `bytes` (its length sits in the 4 bytes before).
    starts: Vec<usize>,
}

impl PackedStrings {
    /// No strings, with room for `n`.
    pub fn with_capacity(n: usize) -> Self {
        PackedStrings {
            bytes: Vec::with_capacity(n * 12),
            starts: Vec::with_capacity(n),
        }
    }

    /// Adds a string (longer than 4 GiB: cut to that, which no id is).
    pub fn push(&mut self, text: &str) {
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        self.bytes.extend_from_slice(&len.to_le_bytes());
        self.starts.push(self.bytes.len());
        self.bytes
            .extend_from_slice(text.as_bytes().get(..len as usize).unwrap_or_default());
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)?;
        let len = self.bytes.get(start.checked_sub(4)?..start)?;
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        std::str::from_utf8(self.bytes.get(start..start + len)?).ok()
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Reads bytes written by [`PackedStrings::push`]; `None` when they are cut short or
    /// a string is not UTF-8.
    fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        let mut starts = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let len = bytes.get(at..at + 4)?;
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            std::str::from_utf8(bytes.get(at + 4..at + 4 + len)?).ok()?;
            starts.push(at + 4);
            at += 4 + len;
        }
        Some(PackedStrings { bytes, starts })
    }
}

impl FromIterator<String> for PackedStrings {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut packed = PackedStrings::default();
        for text in iter {
            packed.push(&text);
        }
        packed
    }
}

impl serde::Serialize for PackedStrings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.bytes)
    }
}

impl<'de> Deserialize<'de> for PackedStrings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PackedStrings::from_bytes(bytes(d)?)
            .ok_or_else(|| serde::de::Error::custom("the packed strings are damaged"))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct All {
        #[serde(with = "super::f32s")]
        f: Vec<f32>,
        #[serde(with = "super::optional_f32s")]
        o: Vec<Option<f32>>,
        #[serde(with = "super::u16s")]
        u: Vec<u16>,
        s: super::PackedStrings,
    }

    #[test]
    fn every_encoding_round_trips() {
        let all = All {
            f: vec![0.0, -1.5, f32::MAX, 1e-30],
            o: vec![Some(2.5), None, Some(-0.0)],
            u: vec![0, 7, u16::MAX],
            s: ["C1", "", "naïve\n\u{0}id"]
                .map(String::from)
                .into_iter()
                .collect(),
        };
        let json = serde_json::to_string(&all).unwrap();
        let back = serde_json::from_str::<All>(&json).unwrap();
        assert_eq!(back, all);
        assert_eq!(
            (0..4).map(|i| back.s.get(i)).collect::<Vec<_>>(),
            [Some("C1"), Some(""), Some("naïve\n\u{0}id"), None]
        );
        // Damaged bytes are an error, not a panic.
        assert!(serde_json::from_str::<super::PackedStrings>("[5, 0, 0, 0, 65]").is_err());
        assert!(serde_json::from_str::<super::PackedStrings>("[1, 0, 0, 0, 255]").is_err());
    }
}
