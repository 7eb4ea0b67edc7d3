//! What each command does.

use std::path::Path;

use segmenta_core::apply::{Fitted, migration};
use segmenta_core::explain::fairness;
use segmenta_core::explain::lifetime::{BgNbd, GammaGamma, LifetimeOptions, lifetime_of_table};
use segmenta_core::explain::rfm::{RfmColumns, RfmSegment};
use segmenta_core::export::presets::{Preset, preset_export};
use segmenta_core::export::report::{ReportContext, report_html};
use segmenta_core::export::{
    LabelColumns, attached_columns, file_slug, labels_csv, lifetime_csv, migration_csv, rfm_csv,
    table_csv, to_json, why_csv,
};
use segmenta_core::features::dataset::{Dataset, Source, build};
use segmenta_core::ingest::{Loaded, ReadOptions, parse_records, read_seekable};
use segmenta_core::numbers::count;
use segmenta_core::pipeline::{Rfm, campaigns_of, customer_columns, order_options, segment};
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::{FileEntry, Recipe};
use segmenta_core::rules::Campaigns;
use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE, SampleSpec, generate};
use serde_json::json;

use crate::Failure;
use crate::args::{
    ApplyArgs, ClvArgs, DataArgs, ExportArgs, ProjectionArg, ReadArgs, RfmArgs, RunArgs,
};

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))
}

fn load(path: &Path, read: &ReadArgs) -> Result<Loaded, Failure> {
    load_with(path, &read.options()?)
}

fn load_with(path: &Path, options: &ReadOptions) -> Result<Loaded, Failure> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
    let loaded = read_seekable(&mut file, options, &mut NoProgress)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    for note in loaded.column_notes(options) {
        eprintln!("note: {}: {note}", path.display());
    }
    Ok(loaded)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Loads the files, decides what each is, and builds the customer table.
fn dataset(data: &DataArgs, recipe: &Recipe) -> Result<(Dataset, Recipe), Failure> {
    // Each file is read with the recipe's settings for it (matched by position), and the
    // command line's flags over them.
    let flags = data.read.options()?;
    let readings: Vec<ReadOptions> = (0..data.files.len())
        .map(|i| {
            recipe
                .data
                .files
                .get(i)
                .map_or_else(|| flags.clone(), |f| f.reading.overridden_by(&flags))
        })
        .collect();
    let loaded: Vec<Loaded> = data
        .files
        .iter()
        .zip(&readings)
        .map(|(f, reading)| load_with(f, reading))
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
        .zip(&readings)
        .map(|((file, plan), reading)| FileEntry {
            file: file.clone(),
            plan: plan.clone(),
            reading: reading.clone(),
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

pub fn export(args: &ExportArgs) -> Result<(), Failure> {
    let (recipe, fitted) = saved_segments(&args.data, "export")?;
    let base = args.data.apply_data_flags(recipe);
    let (dataset, _) = dataset(&args.data, &base)?;
    let table = &dataset.table;
    let applied = fitted.apply(table)?;
    let preset: Preset = args.preset.into();
    let written = preset_export(
        preset,
        table,
        &LabelColumns {
            labels: &applied.labels,
            names: &fitted.names,
            outliers: fitted.outliers,
            probability: None,
            campaigns: None,
            extra: &[],
        },
        args.country_code.as_deref(),
    )?;
    for file in &written.files {
        let path = if preset == Preset::AdsHashed {
            let stem = args.out.file_stem().map_or_else(
                || "audience".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
            args.out
                .with_file_name(format!("{stem}_{}.csv", file_slug(&file.name)))
        } else {
            args.out.clone()
        };
        write_file(&path, &file.bytes)?;
        println!("{} customers → {}", count(file.rows), path.display());
    }
    if written.skipped > 0 {
        let what = if preset == Preset::AdsHashed {
            "email address or phone number"
        } else {
            "email address"
        };
        eprintln!(
            "note: left out {} segmented customer(s) with no {what}.",
            count(written.skipped)
        );
    }
    if written.phones_without_country > 0 {
        eprintln!(
            "note: left out {} phone number(s) written without a country code; give --country-code (e.g. 44) to include them.",
            count(written.phones_without_country)
        );
    }
    Ok(())
}

/// Prints each rule segment's size and how many customers each campaign reaches.
fn print_campaigns(campaigns: Option<&Campaigns>) {
    let Some(c) = campaigns else { return };
    for (name, members) in c.names.iter().zip(&c.members) {
        println!(
            "rule segment {name}: {} customers",
            count(members.iter().filter(|m| **m).count())
        );
    }
    for (name, k) in c.reach() {
        println!("primary campaign {name}: {} customers", count(k));
    }
}

/// The recipe given with --recipe and the fitted segments in it, or what to do instead.
fn saved_segments(data: &DataArgs, command: &str) -> Result<(Recipe, Fitted), Failure> {
    let recipe = data.recipe()?.ok_or_else(|| {
        Failure(format!(
            "{command} needs --recipe: a recipe saved with `segmenta run ... --save-recipe recipe.json` (or from the page's Act step)."
        ))
    })?;
    let Some(fitted) = recipe.model.clone() else {
        return Err(Failure(
            "This recipe holds no fitted segments (it was saved before segmenting, or by an older Segmenta). Run `segmenta run FILES --recipe R --save-recipe R2` once, then use R2."
                .into(),
        ));
    };
    Ok((recipe, *fitted))
}

pub fn apply(args: &ApplyArgs) -> Result<(), Failure> {
    let (recipe, fitted) = saved_segments(&args.data, "apply")?;
    if args.migration.is_some() && args.previous.is_none() {
        return Err(Failure(
            "--migration needs --previous: the labelled CSV exported last time.".into(),
        ));
    }
    let base = args.data.apply_data_flags(recipe);
    let (dataset, _) = dataset(&args.data, &base)?;
    let table = &dataset.table;
    let applied = fitted.apply(table)?;
    for note in &applied.notes {
        eprintln!("note: {note}");
    }
    let campaigns = campaigns_of(table, &applied.labels, &fitted.names, &base)?;
    print_campaigns(campaigns.as_ref());
    let mut extra = customer_columns(table, None, base.data.unit);
    extra.extend(attached_columns(table, &args.attach)?);
    write_file(
        &args.labels,
        &labels_csv(
            table,
            &LabelColumns {
                labels: &applied.labels,
                names: &fitted.names,
                outliers: fitted.outliers,
                probability: applied.probability.as_deref(),
                campaigns: campaigns.as_ref(),
                extra: &extra,
            },
        ),
    )?;
    let moved = match &args.previous {
        Some(path) => {
            let previous = load(path, &ReadArgs::default())?.table;
            let m = migration(table, &applied.labels, &fitted.names, &previous)
                .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
            if let Some(out) = &args.migration {
                write_file(out, &migration_csv(&m))?;
            }
            Some(m)
        }
        None => None,
    };
    println!(
        "{} customers assigned to the {} saved segments (no refit):",
        count(table.n_rows()),
        fitted.names.len()
    );
    for (i, name) in fitted.names.iter().enumerate() {
        let id = if Some(i) == fitted.outliers {
            "-1".to_owned()
        } else {
            i.to_string()
        };
        println!(
            "{id:>4}  {:>7}  (was {:>7})  {name}",
            count(applied.sizes.get(i).copied().unwrap_or(0)),
            count(fitted.sizes.get(i).copied().unwrap_or(0)),
        );
    }
    let drift = applied.drift_sentences();
    for line in &drift {
        println!("{line}");
    }
    if let Some(m) = &moved {
        for line in m.sentences(5) {
            println!("{line}");
        }
    }
    if let Some(path) = &args.report {
        let report = json!({
            "customers": table.n_rows(),
            "segments": fitted.names.iter().enumerate().map(|(i, name)| json!({
                "id": if Some(i) == fitted.outliers { -1 } else { i as i64 },
                "name": name,
                "size": applied.sizes.get(i).copied().unwrap_or(0),
                "size_when_fitted": fitted.sizes.get(i).copied().unwrap_or(0),
            })).collect::<Vec<_>>(),
            "drift": applied.drift.iter().map(|d| json!({
                "feature": d.feature,
                "psi": d.psi,
                "verdict": d.verdict(),
            })).collect::<Vec<_>>(),
            "refit_advised": applied.refit_advised(),
            "drift_sentences": drift,
            "migration": moved.as_ref().map(|m| json!({
                "moves": m.moves,
                "customers": m.customers,
                "new_customers": m.new_customers,
                "gone": m.gone,
                "sentences": m.sentences(10),
            })),
        });
        write_file(path, to_json(&report).as_bytes())?;
    }
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
    if let Some(column) = &args.sensitive
        && !fairness::checkable(&dataset.table, column)
    {
        return Err(Failure(format!(
            "--sensitive {column}: name a column of categories (such as gender, age band or country, 2 to 30 values, not personal data); the columns are: {}.",
            column_list(&dataset.table)
        )));
    }
    let result = segment(&dataset.table, &recipe, &mut NoProgress)?;
    let composition = args.sensitive.as_ref().and_then(|column| {
        fairness::composition(
            &dataset.table,
            column,
            &result.labels,
            result.segments.len(),
        )
    });
    if let Some(path) = &args.report {
        let mut report = serde_json::to_value(result.report())?;
        if let Some(c) = &composition {
            let names = result.names();
            let flags: Vec<String> = c
                .flags
                .iter()
                .map(|f| c.sentence(f, names.get(f.segment).map_or("", String::as_str)))
                .collect();
            let fairness = json!({
                "column": c.column,
                "groups": c.groups,
                "overall": c.overall,
                "segments": c.segments,
                "flags": c.flags,
                "sentences": flags,
            });
            if let Some(fields) = report.as_object_mut() {
                fields.insert("fairness".into(), fairness);
            }
        }
        write_file(path, to_json(&report).as_bytes())?;
    }
    if let Some(path) = &args.labels {
        let campaigns = result.campaigns(&dataset.table, &recipe)?;
        print_campaigns(campaigns.as_ref());
        let mut extra = customer_columns(&dataset.table, None, recipe.data.unit);
        extra.extend(attached_columns(&dataset.table, &args.attach)?);
        write_file(
            path,
            &result.labels_csv_with(&dataset.table, campaigns.as_ref(), &extra),
        )?;
    }
    if let Some(path) = &args.html {
        let source = args
            .data
            .files
            .first()
            .map(|f| file_name(f))
            .unwrap_or_default();
        let html = report_html(
            &result,
            &ReportContext {
                source: &source,
                table: &dataset.table,
                recipe: &recipe,
                place: "on this computer (the segmenta command)",
                notes: &dataset.notes(),
            },
        );
        write_file(path, html.as_bytes())?;
    }
    if let Some(path) = &args.why {
        let whys = result.why_all(&dataset.table)?;
        write_file(
            path,
            &why_csv(
                &dataset.table,
                &whys,
                &result.names(),
                result.outlier_segment(),
            ),
        )?;
    }
    if let Some(path) = &args.embedding {
        let no_map = || {
            Failure(
                "The customer map could not be drawn (it needs at least two customers and one feature), so no embedding was written."
                    .into(),
            )
        };
        let csv = match args.projection {
            ProjectionArg::Pca => result.map_csv(&dataset.table).ok_or_else(no_map)?,
            ProjectionArg::Umap => {
                let map = result.map.as_ref().ok_or_else(no_map)?;
                let params = segmenta_core::umap::UmapParams {
                    seed: recipe.seed(),
                    ..Default::default()
                };
                let laid_out = map
                    .umap(&params, &mut NoProgress, &mut |_| {})
                    .map_err(|e| Failure(e.to_string()))?;
                if laid_out.sampled() {
                    eprintln!(
                        "neighbour map: {} customers laid out in full, the other {} placed among their nearest neighbours",
                        count(laid_out.fitted),
                        count(map.rows.len() - laid_out.fitted)
                    );
                }
                let neighbours = map.with_coords(laid_out.coords);
                segmenta_core::export::map_csv(
                    &dataset.table,
                    &neighbours,
                    &result.labels,
                    result.outlier_segment(),
                )
            }
        };
        write_file(path, &csv)?;
    }
    if let Some(path) = &args.save_recipe {
        recipe.model = Some(Box::new(result.fitted()));
        write_file(path, recipe.to_json().as_bytes())?;
    }
    if let Some(sweep) = &result.sweep {
        let on = match sweep.sampled {
            Some(m) => format!("a random sample of {}", count(m)),
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
        count(result.labels.iter().filter(|l| l.is_some()).count()),
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
    if let Some(c) = &composition {
        let names = result.names();
        if c.flags.is_empty() {
            println!(
                "Composition by {}: every group's share in every segment is within 0.8–1.25× its overall share.",
                c.column
            );
        } else {
            println!(
                "Composition by {} (shares outside 0.8–1.25× of overall):",
                c.column
            );
            for f in &c.flags {
                println!(
                    "  {}",
                    c.sentence(f, names.get(f.segment).map_or("", String::as_str))
                );
            }
        }
    }
    for note in result.notes {
        eprintln!("note: {note}");
    }
    Ok(())
}

/// The customer table for `rfm` and `clv`: the data flags over a recipe, if any.
fn customers(data: &DataArgs) -> Result<(Dataset, Recipe), Failure> {
    let recipe = data.apply_data_flags(data.recipe()?.unwrap_or_else(|| Recipe::new(Vec::new())));
    dataset(data, &recipe)
}

pub fn rfm(args: &RfmArgs) -> Result<(), Failure> {
    let (dataset, _) = customers(&args.data)?;
    let table = &dataset.table;
    let detected = RfmColumns::detect(table);
    let pick = |given: &Option<String>, found: Option<&String>, what: &str| {
        given.clone().or_else(|| found.cloned()).ok_or_else(|| {
            Failure(format!(
                "No {what} column was found; name it with --{what} (a numeric column)."
            ))
        })
    };
    let columns = RfmColumns {
        recency: pick(
            &args.recency,
            detected.as_ref().map(|c| &c.recency),
            "recency",
        )?,
        frequency: pick(
            &args.frequency,
            detected.as_ref().map(|c| &c.frequency),
            "frequency",
        )?,
        monetary: pick(
            &args.monetary,
            detected.as_ref().map(|c| &c.monetary),
            "monetary",
        )?,
    };
    for name in [&columns.recency, &columns.frequency, &columns.monetary] {
        match table.column(name) {
            Some(c) if c.kind.is_numeric() => {}
            Some(_) => {
                return Err(Failure(format!(
                    "Column \"{name}\" does not hold numbers, so it cannot be scored."
                )));
            }
            None => {
                return Err(Failure(format!(
                    "There is no column \"{name}\"; the columns are: {}.",
                    column_list(table)
                )));
            }
        }
    }
    let rfm = Rfm::with_columns(table, columns.clone())
        .ok_or_else(|| Failure("The RFM columns could not be read as numbers.".into()))?;
    write_file(&args.out, &rfm_csv(table, &rfm.scores))?;
    let scored = rfm.scores.iter().flatten().count();
    println!(
        "{} customers scored on recency ({}), frequency ({}) and monetary value ({}) → {}",
        count(scored),
        columns.recency,
        columns.frequency,
        columns.monetary,
        args.out.display()
    );
    for segment in RfmSegment::ALL {
        let n = rfm
            .scores
            .iter()
            .flatten()
            .filter(|s| s.segment() == segment)
            .count();
        if n > 0 {
            println!(
                "  {:>6}  {:>5.1}%  {:<20} {}",
                count(n),
                100.0 * n as f64 / scored.max(1) as f64,
                segment.name(),
                segment.action()
            );
        }
    }
    let missing = table.n_rows() - scored;
    if missing > 0 {
        eprintln!(
            "note: {} customers have a missing value and were not scored.",
            count(missing)
        );
    }
    Ok(())
}

fn column_list(table: &segmenta_core::table::Table) -> String {
    table
        .columns()
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn clv(args: &ClvArgs) -> Result<(), Failure> {
    if !(args.horizon_days.is_finite() && args.horizon_days > 0.0) {
        return Err(Failure(
            "--horizon-days must be a positive number of days, e.g. 365.".into(),
        ));
    }
    if !(args.discount_rate.is_finite() && (0.0..1.0).contains(&args.discount_rate)) {
        return Err(Failure(
            "--discount-rate is a monthly rate between 0 and 1, e.g. 0.01.".into(),
        ));
    }
    let (dataset, recipe) = customers(&args.data)?;
    let unit = order_options(&recipe)?.unit;
    let options = LifetimeOptions {
        horizon_days: args.horizon_days,
        monthly_discount_rate: args.discount_rate,
        ..LifetimeOptions::default()
    };
    let lifetime = lifetime_of_table(&dataset.table, unit, options)?;
    let values: Vec<_> = lifetime.customers.iter().flatten().collect();
    let at_risk = values.iter().filter(|c| c.at_risk).count();
    let BgNbd { r, alpha, a, b } = lifetime.bgnbd.params;
    let GammaGamma { p, q, v } = lifetime.gamma_gamma.params;
    let report = json!({
        "customers": values.len(),
        "unit": unit,
        "horizon_days": options.horizon_days,
        "monthly_discount_rate": options.monthly_discount_rate,
        "bgnbd": {"r": r, "alpha": alpha, "a": a, "b": b,
                  "mean_negative_log_likelihood": lifetime.bgnbd.mean_negative_log_likelihood},
        "gamma_gamma": {"p": p, "q": q, "v": v, "customers": lifetime.gamma_gamma.customers,
                        "mean_negative_log_likelihood": lifetime.gamma_gamma.mean_negative_log_likelihood},
        "at_risk": at_risk,
        "total_clv": values.iter().map(|c| c.clv).sum::<f64>(),
        "warnings": lifetime.warnings,
    });
    write_file(&args.report, to_json(&report).as_bytes())?;
    if let Some(out) = &args.out {
        write_file(out, &lifetime_csv(&dataset.table, &lifetime))?;
    }
    println!(
        "{} customers · BG/NBD r {r:.4}, alpha {alpha:.4}, a {a:.4}, b {b:.4} · Gamma-Gamma p {p:.4}, q {q:.4}, v {v:.4}",
        count(values.len())
    );
    println!(
        "{} customers at risk; expected value of all customers over {} days: {:.2}",
        count(at_risk),
        options.horizon_days,
        values.iter().map(|c| c.clv).sum::<f64>()
    );
    for w in &lifetime.warnings {
        eprintln!("warning: {w}");
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
            let mut column = serde_json::Map::new();
            column.insert("name".into(), json!(c.name));
            column.insert("kind".into(), json!(c.kind));
            column.insert("missing".into(), json!(c.missing));
            column.insert("pii".into(), json!(c.pii.is_some()));
            if let Some(kind) = c.pii {
                column.insert("pii_kind".into(), json!(kind));
            }
            if let Some(chosen) = report.chosen_columns.iter().find(|k| k.column == c.name) {
                column.insert("chosen".into(), json!(chosen.choice));
                column.insert("unreadable".into(), json!(chosen.unreadable));
            }
            serde_json::Value::Object(column)
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
