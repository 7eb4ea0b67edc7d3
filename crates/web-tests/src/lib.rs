//! Fingerprints of the engine's output, shared by the native and the browser run of the
//! same tests: equal constants on both targets prove the browser computes the same bits.

use segmenta_core::ingest::{ReadOptions, read_bytes};
use segmenta_core::pipeline::segment;
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::Recipe;
use segmenta_core::sample::{SampleSpec, generate};

/// FNV-1a, 64 bit.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `(hash of the sample customer file, hash of the default segmentation's labels and
/// inertia bits)` for the built-in sample.
pub fn sample_fingerprint() -> Result<(u64, u64), segmenta_core::Error> {
    let data = generate(SampleSpec::default());
    let file_hash = fnv1a(data.customers_csv.bytes());
    let table = read_bytes(data.customers_csv.as_bytes(), &ReadOptions::default())?.table;
    let result = segment(&table, &Recipe::for_table(&table), &mut NoProgress)?;
    let label_bytes = result.labels.iter().flat_map(|l| (*l as u32).to_le_bytes());
    let inertia_bytes = result.model.inertia().to_bits().to_le_bytes();
    let silhouette_bytes = result.scores.silhouette.to_bits().to_le_bytes();
    Ok((
        file_hash,
        fnv1a(label_bytes.chain(inertia_bytes).chain(silhouette_bytes)),
    ))
}
