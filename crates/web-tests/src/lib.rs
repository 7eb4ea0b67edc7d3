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
    let inertia_bytes = result.scores.inertia.to_bits().to_le_bytes();
    let silhouette_bytes = result.scores.silhouette.to_bits().to_le_bytes();
    // The automatic choice of k: every score and stability of every k compared.
    let sweep_bytes: Vec<u8> = result
        .sweep
        .iter()
        .flat_map(|s| &s.rows)
        .flat_map(|r| {
            [
                r.silhouette,
                r.calinski_harabasz,
                r.davies_bouldin,
                r.inertia,
                r.stability.unwrap_or(-1.0),
            ]
        })
        .flat_map(|v| v.to_bits().to_le_bytes())
        .collect();
    Ok((
        file_hash,
        fnv1a(
            label_bytes
                .chain(inertia_bytes)
                .chain(silhouette_bytes)
                .chain(sweep_bytes),
        ),
    ))
}

/// Hash of the labels (and mixture probabilities) every algorithm gives on the sample's
/// default features with a fixed number of segments.
pub fn algorithms_fingerprint() -> Result<u64, segmenta_core::Error> {
    use segmenta_core::cluster::{ALGORITHM_IDS, Algorithm};
    let data = generate(SampleSpec::default());
    let customers = read_bytes(data.customers_csv.as_bytes(), &ReadOptions::default())?.table;
    let base = Recipe::for_table(&customers).with_k(4);
    let mut bytes = Vec::new();
    for id in ALGORITHM_IDS {
        let algorithm = Algorithm::from_id(id).unwrap_or_default();
        let result = segment(
            &customers,
            &base.clone().with_algorithm(algorithm),
            &mut NoProgress,
        )?;
        bytes.extend(
            result
                .labels
                .iter()
                .flat_map(|l| l.map_or(u32::MAX, |l| l as u32).to_le_bytes()),
        );
        for p in result.confidence.iter().flatten().flatten() {
            bytes.extend(p.to_bits().to_le_bytes());
        }
    }
    Ok(fnv1a(bytes))
}
