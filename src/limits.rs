//! What a browser tab can hold. WebAssembly gives the worker at most 4 GiB of memory;
//! reading keeps typed columns (about 1.3× a numeric file, more for text), and finding
//! segments needs room beside them. Files beyond [`MAX_BYTES`] together are refused
//! before a byte is read, with a sentence pointing to the `segmenta` command, instead of
//! failing halfway when the tab runs out of memory.

use crate::format::bytes;

/// The most bytes of files one tab takes on (all loaded files together): 2 GiB.
pub const MAX_BYTES: u64 = 2 << 30;

/// Why `new` files (name, size) cannot be added to files of `loaded` bytes, if they
/// cannot.
pub fn refuse(new: &[(String, u64)], loaded: u64) -> Option<String> {
    let adding: u64 = new.iter().map(|(_, size)| size).sum();
    if loaded.saturating_add(adding) <= MAX_BYTES {
        return None;
    }
    let what = match new {
        [(name, size)] => format!("“{name}” is {}", bytes(*size)),
        _ => format!("These {} files are {} together", new.len(), bytes(adding)),
    };
    let too_much = if loaded > 0 {
        format!(
            "; with the {} already loaded, that is more than a browser tab can work with",
            bytes(loaded)
        )
    } else {
        ": more than a browser tab can work with".to_owned()
    };
    Some(format!(
        "{what}{too_much} (about {} in all). Nothing was read. Use the segmenta command on a computer for files this big (for example segmenta run FILE --report report.json), or split the file.",
        bytes(MAX_BYTES)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_within_the_limit_pass_and_bigger_ones_get_a_sentence() {
        assert_eq!(refuse(&[("a.csv".into(), 1 << 30)], 0), None);
        assert_eq!(refuse(&[("a.csv".into(), MAX_BYTES)], 0), None);
        let one = refuse(&[("log.csv".into(), 3 << 30)], 0).unwrap();
        assert!(
            one.starts_with("“log.csv” is 3.0 GB: more than a browser tab can work with (about 2.0 GB in all). Nothing was read. Use the segmenta command"),
            "{one}"
        );
        let two = refuse(
            &[("a.csv".into(), 1 << 30), ("b.csv".into(), 1 << 29)],
            1 << 30,
        )
        .unwrap();
        assert!(
            two.starts_with("These 2 files are 1.5 GB together; with the 1.0 GB already loaded, that is more than a browser tab can work with (about 2.0 GB in all)."),
            "{two}"
        );
    }
}
