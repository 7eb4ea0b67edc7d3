//! Customer keys: the same customer written differently in different files must match.

use rustc_hash::FxHashMap;

use crate::table::{Column, ColumnData, MISSING_CODE};

/// Normalizes a key for matching: trimmed, lower case, `17850.0` → `17850`, and leading
/// zeros dropped from all-digit keys (`000123` → `123`).
///
/// ```
/// use segmenta_core::features::keys::normalize;
/// assert_eq!(normalize(" C001 "), "c001");
/// assert_eq!(normalize("17850.0"), "17850");
/// assert_eq!(normalize("000123"), "123");
/// assert_eq!(normalize("0"), "0");
/// ```
pub fn normalize(key: &str) -> String {
    let t = key.trim();
    let t = match t.split_once('.') {
        Some((int, frac))
            if !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b == b'0') =>
        {
            int
        }
        _ => t,
    };
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let stripped = t.trim_start_matches('0');
        return if stripped.is_empty() {
            "0".to_owned()
        } else {
            stripped.to_owned()
        };
    }
    t.to_lowercase()
}

/// A column's rows as customer numbers: `codes[row]` indexes `names` (the first way each
/// customer was written), [`MISSING_CODE`] where the key is missing. Keys that normalize
/// the same are one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    /// Customer number per row.
    pub codes: Vec<u32>,
    /// Display form per customer number.
    pub names: Vec<String>,
    /// Normalized form per customer number.
    pub normalized: Vec<String>,
}

impl Keys {
    /// Reads the keys of a column of any kind.
    pub fn of(column: &Column) -> Keys {
        let mut index: FxHashMap<String, u32> = FxHashMap::default();
        let mut names = Vec::new();
        let mut normalized = Vec::new();
        let mut intern = |display: &str| -> u32 {
            let key = normalize(display);
            if key.is_empty() {
                return MISSING_CODE;
            }
            *index.entry(key.clone()).or_insert_with(|| {
                names.push(display.trim().to_owned());
                normalized.push(key);
                u32::try_from(names.len() - 1).unwrap_or(MISSING_CODE - 1)
            })
        };
        let codes = match &column.data {
            ColumnData::Category { codes, levels } => {
                // Normalize each distinct value once, not each row.
                let map: Vec<u32> = levels.iter().map(|l| intern(l)).collect();
                codes
                    .iter()
                    .map(|c| map.get(*c as usize).copied().unwrap_or(MISSING_CODE))
                    .collect()
            }
            _ => (0..column.len())
                .map(|i| {
                    if column.is_missing(i) {
                        MISSING_CODE
                    } else {
                        intern(&column.display(i))
                    }
                })
                .collect(),
        };
        Keys {
            codes,
            names,
            normalized,
        }
    }

    /// Number of distinct customers.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    #[test]
    fn normalization() {
        assert_eq!(normalize("ABC-1"), "abc-1");
        assert_eq!(normalize("12.50"), "12.50");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("00"), "0");
    }

    #[test]
    fn keys_merge_spellings_of_one_customer() {
        let t = read_bytes(
            b"customer_id,x\nC001,1\nc001 ,2\nC002,3\n,4\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table;
        let k = Keys::of(t.column("customer_id").unwrap());
        assert_eq!(k.codes, vec![0, 0, 1, MISSING_CODE]);
        assert_eq!(k.names, vec!["C001", "C002"]);
        let t = read_bytes(
            b"CustomerID,x\n17850.0,1\n17850,2\n",
            &ReadOptions::default(),
        )
        .unwrap()
        .table;
        assert_eq!(Keys::of(t.column("CustomerID").unwrap()).len(), 1);
    }
}
