//! What each command does.

use std::path::Path;

use segmenta_core::export::{group_thousands, table_csv, to_json};
use segmenta_core::features::dataset::{Dataset, Source, build};
use segmenta_core::ingest::{Loaded, parse_records, read_seekable};
use segmenta_core::pipeline::{order_options, segment};
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::{FileEntry, Recipe};
use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE, SampleSpec, generate};
use serde_json::json;

use crate::Failure;
use crate::args::{DataArgs, ReadArgs, RunArgs};

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))
}

fn load(path: &Path, read: &ReadArgs) -> Result<Loaded, Failure> {
    let options = read.options()?;
    let mut file = std::fs::File::open(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    read_seekable(&mut file, &options, &mut NoProgress)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Loads the files, decides what each is, and builds the customer table.
fn dataset(data: &DataArgs, recipe: &Recipe) -> Result<(Dataset, Recipe), Failure> {
    let loaded: Vec<Loaded> = data
        .files
        .iter()
        .map(|f| load(f, &data.read))
        .collect::<Result<_, _>>()?;
    let tables: Vec<_> = loaded.into_iter().map(|l| l.table).collect();
    let plans = data.plans(&tables, Some(recipe))?;
    let names: Vec<String> = data.files.iter().map(|f| file_name(f)).collect();
    let sources: Vec<Source<'_>> = names
        .iter()
        .zip(&tables)
        .zip(&plans)
        .map(|((name, table), plan)| Source { name, table, plan })
        .collect();
    let mut recipe = recipe.clone();
    recipe.data.files = names
        .iter()
        .zip(&plans)
        .map(|(file, plan)| FileEntry {
            file: file.clone(),
            plan: plan.clone(),
        })
        .collect();
    let dataset = build(&sources, &order_options(&recipe)?)?;
    for note in dataset.notes() {
        eprintln!("note: {note}");
    }
    Ok((dataset, recipe))
}

pub fn features(data: &DataArgs, out: &Path) -> Result<(), Failure> {
    let recipe = data.apply_data_flags(data.recipe()?.unwrap_or_else(|| Recipe::new(Vec::new())));
    let (dataset, _) = dataset(data, &recipe)?;
    write_file(out, &table_csv(&dataset.table))?;
    println!(
        "{} customers, {} columns → {}",
        dataset.table.n_rows(),
        dataset
            .table
            .columns()
            .iter()
            .filter(|c| c.pii.is_none())
            .count(),
        out.display()
    );
    Ok(())
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let given = args.data.recipe()?;
    let base = args
        .data
        .apply_data_flags(given.clone().unwrap_or_else(|| Recipe::new(Vec::new())));
    let (dataset, mut recipe) = dataset(&args.data, &base)?;
    if given.is_none() {
        // No recipe: the recommended features for this data, with default preparation.
        let defaults = Recipe::for_table_with(&dataset.table, &dataset.features);
        recipe.features = defaults.features;
    }
    if let Some(features) = &args.features {
        recipe = recipe.with_features(
            features
                .iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect(),
        );
    }
    recipe = args.apply_clustering(recipe)?;
    if let Some(scale) = args.scale {
        recipe = recipe.with_scale(scale.into());
    }
    let result = segment(&dataset.table, &recipe, &mut NoProgress)?;
    if let Some(path) = &args.report {
        write_file(path, to_json(&result.report()).as_bytes())?;
    }
    if let Some(path) = &args.labels {
        write_file(path, &result.labels_csv(&dataset.table))?;
    }
    if let Some(path) = &args.embedding {
        let csv = result.map_csv(&dataset.table).ok_or_else(|| {
            Failure(
                "The customer map could not be drawn (it needs at least two customers and one feature), so no embedding was written."
                    .into(),
            )
        })?;
        write_file(path, &csv)?;
    }
    if let Some(path) = &args.save_recipe {
        write_file(path, recipe.to_json().as_bytes())?;
    }
    if let Some(sweep) = &result.sweep {
        let on = match sweep.sampled {
            Some(m) => format!("a random sample of {}", group_thousands(m)),
            None => "all customers".to_owned(),
        };
        println!("Compared numbers of segments on {on}:");
        println!("     k  silhouette  Calinski-Harabasz  Davies-Bouldin  stability");
        for row in &sweep.rows {
            let mark = if row.k == sweep.recommended_k {
                "→"
            } else {
                " "
            };
            let stability = row
                .stability
                .map_or_else(|| "–".to_owned(), |s| format!("{s:.2}"));
            println!(
                "  {mark} {:>2}  {:>10.3}  {:>17.1}  {:>14.3}  {:>9}",
                row.k, row.silhouette, row.calinski_harabasz, row.davies_bouldin, stability
            );
        }
        println!("{}", sweep.recommendation);
    }
    if let Some(eps) = result.eps {
        println!("DBSCAN neighbourhood distance (eps): {eps:.4}");
    }
    let s = &result.scores;
    println!(
        "{} customers, {} segments on {} features ({}) · silhouette {:.3} · Calinski-Harabasz {:.1} · Davies-Bouldin {:.3}",
        group_thousands(result.labels.iter().filter(|l| l.is_some()).count()),
        result.model.k(),
        result.features.len() + result.categories.len(),
        result.algorithm.label(),
        s.silhouette,
        s.calinski_harabasz,
        s.davies_bouldin
    );
    for seg in &result.segments {
        let id = if seg.outliers { -1 } else { seg.id as i64 };
        println!(
            "  {:>2}  {:>6}  {:>5.1}%  {}",
            id,
            seg.size,
            seg.share * 100.0,
            seg.name
        );
    }
    for note in result.notes {
        eprintln!("note: {note}");
    }
    Ok(())
}

fn print_json(value: &serde_json::Value) {
    print!("{}", to_json(value));
}

pub fn inspect(path: &Path, read: &ReadArgs) -> Result<(), Failure> {
    let loaded = load(path, read)?;
    let report = &loaded.report;
    let columns: Vec<serde_json::Value> = loaded
        .table
        .columns()
        .iter()
        .map(|c| {
            let mut column = json!({"name": c.name, "kind": c.kind, "missing": c.missing, "pii": c.pii.is_some()});
            if let Some(kind) = c.pii {
                column["pii_kind"] = json!(kind);
            }
            column
        })
        .collect();
    print_json(&json!({
        "rows": report.rows,
        "encoding": report.encoding.name(),
        "delimiter": report.dialect.separator.symbol(),
        "header": report.dialect.has_header,
        "decimal": report.decimal.char().to_string(),
        "columns": columns,
        "problems": report.problems.iter().map(|p| json!({"row": p.row, "line": p.line, "message": p.message})).collect::<Vec<_>>(),
        "problem_count": report.problem_count,
    }));
    Ok(())
}

pub fn parse(path: &Path, read: &ReadArgs) -> Result<(), Failure> {
    let bytes =
        std::fs::read(path).map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    let (parsed, _, _) = parse_records(&bytes, &read.options()?)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    print_json(&json!(parsed));
    Ok(())
}

pub fn sample(out_dir: &Path, customers: usize, seed: u64) -> Result<(), Failure> {
    if customers == 0 {
        return Err(Failure("--customers must be at least 1.".into()));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Failure(format!("cannot create {}: {e}", out_dir.display())))?;
    let data = generate(SampleSpec { customers, seed });
    write_file(&out_dir.join(CUSTOMERS_FILE), data.customers_csv.as_bytes())?;
    write_file(&out_dir.join(ORDERS_FILE), data.orders_csv.as_bytes())?;
    println!(
        "wrote {CUSTOMERS_FILE} and {ORDERS_FILE} to {}",
        out_dir.display()
    );
    Ok(())
}
