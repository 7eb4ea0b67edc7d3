//! Fingerprints of the engine's output, shared by the native and the browser run of the
//! same tests: equal constants on both targets prove the browser computes the same bits.

use segmenta_core::features::dataset::{Source, build};
use segmenta_core::features::orders::OrderOptions;
use segmenta_core::features::roles::guess;
use segmenta_core::ingest::{ReadOptions, read_bytes};
use segmenta_core::pipeline::segment;
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::Recipe;
use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE, SampleSpec, generate};

/// FNV-1a, 64 bit.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `(hash of the sample files, hash of the default segmentation's labels, inertia and
/// silhouette bits)` for the built-in sample: order log and customer list joined, default
/// features, default k-means.
pub fn sample_fingerprint() -> Result<(u64, u64), segmenta_core::Error> {
    let data = generate(SampleSpec::default());
    let file_hash = fnv1a(data.orders_csv.bytes().chain(data.customers_csv.bytes()));
    let orders = read_bytes(data.orders_csv.as_bytes(), &ReadOptions::default())?.table;
    let customers = read_bytes(data.customers_csv.as_bytes(), &ReadOptions::default())?.table;
    let (po, pc) = (guess(&orders).plan, guess(&customers).plan);
    let sources = [
        Source {
            name: ORDERS_FILE,
            table: &orders,
            plan: &po,
        },
        Source {
            name: CUSTOMERS_FILE,
            table: &customers,
            plan: &pc,
        },
    ];
    let dataset = build(&sources, &OrderOptions::default())?;
    let result = segment(
        &dataset.table,
        &Recipe::for_table_with(&dataset.table, &dataset.features),
        &mut NoProgress,
    )?;
    let label_bytes = result
        .labels
        .iter()
        .flat_map(|l| l.map_or(u32::MAX, |l| l as u32).to_le_bytes());
    let inertia_bytes = result.model.inertia().to_bits().to_le_bytes();
    let silhouette_bytes = result.scores.silhouette.to_bits().to_le_bytes();
    Ok((
        file_hash,
        fnv1a(label_bytes.chain(inertia_bytes).chain(silhouette_bytes)),
    ))
}
