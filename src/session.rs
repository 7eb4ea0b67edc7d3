//! The worker's state and the work behind each request, as plain Rust.
//!
//! Files are loaded one by one; each gets a plan (customer list, order log, event log) that
//! the user can change. Together they are built into one customer table, which is what gets
//! segmented and exported. Everything here runs natively in `cargo test`; `worker.rs` only
//! reads files from the browser and moves messages.

use segmenta_core::apply::{Fitted, migration};
use segmenta_core::cluster::Model;
use segmenta_core::explain::fairness;
use segmenta_core::explain::lifetime::{
    CustomerValue, LifetimeError, LifetimeOptions, lifetime_of_table,
};
use segmenta_core::export::presets::{Preset, preset_export};
use segmenta_core::export::report::{ReportContext, report_html};
use segmenta_core::export::{
    ExtraColumn, LabelColumns, attached_columns, file_slug, segment_lists, zip_files,
};
use segmenta_core::features::btyd::TimeUnit;
use segmenta_core::features::candidates;
use segmenta_core::features::dataset::{Dataset, Source, build};
use segmenta_core::features::orders::OrderOptions;
use segmenta_core::features::roles::{FilePlan, guess};
use segmenta_core::ingest::{Loaded, ReadOptions, read_bytes_with};
use segmenta_core::metrics::Scores;
use segmenta_core::numbers::count;
use segmenta_core::pipeline::{
    Prepared, Rfm, Segmentation, customer_columns, prepare_features, segment_with,
};
use segmenta_core::progress::Progress;
use segmenta_core::recipe::{Recipe, format_day, parse_day};
use segmenta_core::rules::{Campaigns, Context, RuleSegment, assign, members};
use segmenta_core::table::Table;
use segmenta_core::umap::UmapParams;

use crate::charts::dendrogram;
use crate::protocol::{
    CURVE_POINTS, ColumnView, DatasetView, Detected, FileView, HOVER_FEATURES, Histogram,
    KDistanceView, KeptView, LifetimeView, MAP_POINTS, MapView, MigrationView, NeighbourMapView,
    ResultView, RuleCount, RuleCountsView, SegmentName, SegmentValue, WhyView,
};

/// File name of a downloaded recipe.
pub const RECIPE_FILE: &str = "segmenta-recipe.json";

/// Rows shown in previews.
pub const PREVIEW_ROWS: usize = 12;
/// Bins in the feature histograms.
pub const HISTOGRAM_BINS: usize = 24;

/// How reading went, measured by whoever read the file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadStats {
    /// Time taken, in milliseconds.
    pub millis: f64,
    /// Memory in use afterwards, in bytes (0 when unknown).
    pub memory_bytes: u64,
    /// Part of `millis` spent waiting for the browser to hand over file bytes.
    pub wait_millis: f64,
    /// Workers the file was read by at once (1: the engine alone).
    pub parts: usize,
}

struct LoadedFile {
    name: String,
    revision: u32,
    bytes: u64,
    loaded: Loaded,
    options: ReadOptions,
    stats: ReadStats,
    plan: FilePlan,
    guess: String,
}

/// Files loaded in this browser tab, the customer table built from them, and the last
/// segmentation.
#[derive(Default)]
pub struct Session {
    files: Vec<LoadedFile>,
    as_of: Option<String>,
    unit: TimeUnit,
    dataset: Option<Dataset>,
    dataset_error: Option<String>,
    result: Option<Segmentation>,
    rules: Vec<RuleSegment>,
    priority: Vec<String>,
    /// The recipe that produced `result`.
    recipe: Option<Recipe>,
    /// RFM scores of the segmented table, for rules on RFM segments.
    rfm: Option<Rfm>,
    /// The saved segments `result` came from, when it came from a recipe's.
    kept: Option<Fitted>,
}

fn columns(table: &Table) -> Vec<ColumnView> {
    table
        .columns()
        .iter()
        .map(|c| ColumnView {
            name: c.name.clone(),
            kind: c.kind,
            missing: c.missing,
            distinct: c.distinct(),
            pii: c.pii.map(|p| p.label().to_owned()),
        })
        .collect()
}

/// Whether every column a plan names exists in `table`.
fn plan_fits(plan: &FilePlan, table: &Table) -> bool {
    let has = |n: &str| table.column(n).is_some();
    match plan {
        FilePlan::Customers { customer } => customer.as_deref().is_none_or(has),
        FilePlan::Orders(r) => {
            let amount_ok = match &r.amount {
                segmenta_core::features::orders::Amount::Column { name } => has(name),
                segmenta_core::features::orders::Amount::QuantityPrice { quantity, price } => {
                    has(quantity) && has(price)
                }
            };
            has(&r.customer)
                && has(&r.date)
                && amount_ok
                && [&r.invoice, &r.product, &r.category, &r.channel]
                    .iter()
                    .all(|o| o.as_deref().is_none_or(has))
        }
        FilePlan::Events(r) => {
            has(&r.customer) && has(&r.date) && r.event.as_deref().is_none_or(has)
        }
        FilePlan::Ignore => true,
    }
}

impl Session {
    /// Adds a file read elsewhere, guessing what it is, and rebuilds the customer table.
    pub fn add(
        &mut self,
        name: &str,
        bytes: u64,
        loaded: Loaded,
        options: ReadOptions,
        stats: ReadStats,
    ) {
        let g = guess(&loaded.table);
        self.files.push(LoadedFile {
            name: name.to_owned(),
            revision: 0,
            bytes,
            loaded,
            options,
            stats,
            plan: g.plan,
            guess: g.explanation,
        });
        self.rebuild();
    }

    /// Replaces file `index` with a new reading of it (other options). Its plan is kept
    /// when the columns it names still exist, and guessed again otherwise.
    pub fn replace(
        &mut self,
        index: usize,
        loaded: Loaded,
        options: ReadOptions,
        stats: ReadStats,
    ) -> Result<(), String> {
        let file = self
            .files
            .get_mut(index)
            .ok_or("That file is no longer loaded. Load it again.")?;
        if !plan_fits(&file.plan, &loaded.table) {
            let g = guess(&loaded.table);
            file.plan = g.plan;
            file.guess = g.explanation;
        }
        file.loaded = loaded;
        file.revision += 1;
        file.options = options;
        file.stats = stats;
        self.rebuild();
        Ok(())
    }

    /// Reads bytes in memory and adds them as a file.
    pub fn load(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: &ReadOptions,
        progress: &mut dyn Progress,
    ) -> Result<(), String> {
        let loaded =
            read_bytes_with(bytes, options, progress).map_err(|e| format!("{name}: {e}"))?;
        self.add(
            name,
            bytes.len() as u64,
            loaded,
            options.clone(),
            ReadStats::default(),
        );
        Ok(())
    }

    /// Forgets file `index`.
    pub fn remove(&mut self, index: usize) -> Result<(), String> {
        if index >= self.files.len() {
            return Err("That file is no longer loaded.".into());
        }
        self.files.remove(index);
        self.rebuild();
        Ok(())
    }

    /// Changes what file `index` is.
    pub fn set_plan(&mut self, index: usize, plan: FilePlan) -> Result<(), String> {
        let file = self
            .files
            .get_mut(index)
            .ok_or("That file is no longer loaded. Load it again.")?;
        file.plan = plan;
        file.revision += 1;
        self.rebuild();
        Ok(())
    }

    /// Changes the analysis date and the lifetime-value time unit.
    pub fn set_data_options(
        &mut self,
        as_of: Option<String>,
        unit: TimeUnit,
    ) -> Result<(), String> {
        let as_of = as_of.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
        if let Some(d) = &as_of {
            parse_day(d).map_err(|e| e.to_string())?;
        }
        self.as_of = as_of;
        self.unit = unit;
        self.rebuild();
        Ok(())
    }

    /// The name and reading options of file `index`.
    pub fn file(&self, index: usize) -> Result<(String, ReadOptions), String> {
        self.files
            .get(index)
            .map(|f| (f.name.clone(), f.options.clone()))
            .ok_or_else(|| "That file is no longer loaded. Load it again.".to_owned())
    }

    /// Puts the files together again after any change; a result for old data is dropped.
    fn rebuild(&mut self) {
        self.result = None;
        self.kept = None;
        let sources: Vec<Source<'_>> = self
            .files
            .iter()
            .map(|f| Source {
                name: &f.name,
                table: &f.loaded.table,
                plan: &f.plan,
            })
            .collect();
        let options = OrderOptions {
            as_of: self.as_of.as_deref().and_then(|d| parse_day(d).ok()),
            unit: self.unit,
            ..OrderOptions::default()
        };
        match build(&sources, &options) {
            Ok(d) => {
                self.dataset = Some(d);
                self.dataset_error = None;
            }
            Err(e) => {
                self.dataset = None;
                self.dataset_error = (!self.files.is_empty()).then(|| e.to_string());
            }
        }
    }

    /// Every loaded file, for the page (a file's `index` is its position now).
    pub fn files_view(&self) -> Vec<FileView> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| {
                let table = &file.loaded.table;
                let report = &file.loaded.report;
                FileView {
                    index,
                    revision: file.revision,
                    name: file.name.clone(),
                    bytes: file.bytes,
                    rows: table.n_rows(),
                    encoding: report.encoding.label().to_owned(),
                    delimiter: report.dialect.separator.name(),
                    has_header: report.dialect.has_header,
                    decimal: report.decimal.char().to_string(),
                    problems: report.problems.clone(),
                    problem_count: report.problem_count,
                    renamed: report.renamed_columns.clone(),
                    notes: file.loaded.column_notes(&file.options),
                    options: file.options.clone(),
                    detected: Detected {
                        separator: report.dialect.separator,
                        encoding: report.encoding,
                        has_header: report.dialect.has_header,
                        decimal: report.decimal,
                        date_order: report.date_order,
                    },
                    read_ms: file.stats.millis,
                    wait_ms: file.stats.wait_millis,
                    read_parts: file.stats.parts,
                    memory_bytes: file.stats.memory_bytes,
                    plan: file.plan.clone(),
                    guess: file.guess.clone(),
                    columns: columns(table),
                    preview: table.preview(PREVIEW_ROWS),
                }
            })
            .collect()
    }

    /// The customer table, for the page (`None` before any file is loaded).
    pub fn dataset_view(&self) -> Option<DatasetView> {
        if self.files.is_empty() {
            return None;
        }
        let Some(d) = &self.dataset else {
            return Some(DatasetView {
                error: self.dataset_error.clone(),
                rows: 0,
                base: String::new(),
                notes: Vec::new(),
                as_of: self.as_of.clone(),
                as_of_chosen: self.as_of.is_some(),
                unit: self.unit,
                columns: Vec::new(),
                preview: Vec::new(),
                candidates: Vec::new(),
                histograms: Vec::new(),
                default_recipe: Recipe::new(Vec::new()),
                id_column: None,
            });
        };
        let table = &d.table;
        let candidates = candidates(table, &d.features);
        let histograms = candidates
            .iter()
            .filter(|c| c.blocked.is_none() && c.levels.is_none())
            .filter_map(|c| histogram(table, &c.name))
            .collect();
        Some(DatasetView {
            error: None,
            rows: table.n_rows(),
            base: d.base.clone(),
            notes: d.notes(),
            as_of: d
                .cleaning
                .as_ref()
                .map(|c| format_day(c.as_of))
                .or_else(|| self.as_of.clone()),
            as_of_chosen: self.as_of.is_some(),
            unit: self.unit,
            columns: columns(table),
            preview: table.preview(PREVIEW_ROWS),
            candidates,
            histograms,
            default_recipe: Recipe::for_table_with(table, &d.features),
            id_column: d.id_column().map(|c| c.name.clone()),
        })
    }

    /// Segments the customer table.
    pub fn run(
        &mut self,
        recipe: &Recipe,
        progress: &mut dyn Progress,
    ) -> Result<ResultView, String> {
        let prepared = self.prepare(recipe, progress)?;
        self.finish(prepared, recipe, progress)
    }

    /// [`Session::run`] up to the comparison of segment counts and the final fit, which
    /// the worker may share with helpers.
    pub fn prepare(
        &self,
        recipe: &Recipe,
        progress: &mut dyn Progress,
    ) -> Result<Prepared, String> {
        let dataset = self.loaded_dataset()?;
        prepare_features(&dataset.table, recipe, progress).map_err(|e| e.to_string())
    }

    /// [`Session::run`] from the final fit on (fitting here if nothing was fitted).
    pub fn finish(
        &mut self,
        prepared: Prepared,
        recipe: &Recipe,
        progress: &mut dyn Progress,
    ) -> Result<ResultView, String> {
        let dataset = self.loaded_dataset()?;
        let result = prepared
            .finish(&dataset.table, recipe, progress)
            .map_err(|e| e.to_string())?;
        let view = self.view(&result, dataset);
        self.keep(result, recipe, None);
        Ok(view)
    }

    /// Puts the customer table into the segments saved in `recipe` (its `model`), without
    /// refitting: the same assignment as `segmenta apply`, described like a fresh run, with
    /// the segments' sizes then and now and each feature's drift.
    pub fn apply(
        &mut self,
        recipe: &Recipe,
        progress: &mut dyn Progress,
    ) -> Result<ResultView, String> {
        let dataset = self.loaded_dataset()?;
        let Some(fitted) = recipe.model.as_deref() else {
            return Err("This recipe holds no saved segments: it was saved before segmenting. Use Find segments instead, then save the recipe again.".into());
        };
        let (result, applied) = segment_with(&dataset.table, recipe, fitted, progress)
            .map_err(|e| format!("{}: {e}", dataset.base))?;
        let mut view = self.view(&result, dataset);
        view.kept = Some(KeptView {
            sizes_then: fitted.sizes.clone(),
            drift_sentences: applied.drift_sentences(),
            refit_advised: applied.refit_advised(),
            drift: applied.drift,
        });
        let fitted = fitted.clone();
        self.keep(result, recipe, Some(fitted));
        Ok(view)
    }

    /// The migration from a previous labelled export (`name`, read as `previous`) to the
    /// last result, which came from saved segments.
    pub fn compare(&self, name: &str, previous: &Table) -> Result<MigrationView, String> {
        let (Some(result), Some(dataset), Some(_)) = (&self.result, &self.dataset, &self.kept)
        else {
            return Err("Use a recipe's saved segments first (step 4); then this month's segments can be compared with last month's labelled CSV.".into());
        };
        let m = migration(&dataset.table, &result.labels, &result.names(), previous)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(MigrationView {
            file: name.to_owned(),
            sentences: m.sentences(5),
            migration: m,
        })
    }

    fn loaded_dataset(&self) -> Result<&Dataset, String> {
        self.dataset.as_ref().ok_or_else(|| {
            self.dataset_error.clone().unwrap_or_else(|| {
                "Load a file first: drop a CSV file above, or try the sample data.".to_owned()
            })
        })
    }

    /// Keeps a result, the recipe behind it and the saved segments it came from (if any).
    fn keep(&mut self, result: Segmentation, recipe: &Recipe, kept: Option<Fitted>) {
        self.rfm = self.dataset.as_ref().and_then(|d| Rfm::of(&d.table));
        self.result = Some(result);
        self.recipe = Some(recipe.clone());
        self.kept = kept;
    }

    /// What the page shows of a result.
    fn view(&self, result: &Segmentation, dataset: &Dataset) -> ResultView {
        let confidence: Vec<f64> = result
            .confidence
            .iter()
            .flatten()
            .flatten()
            .copied()
            .collect();
        ResultView {
            rows: result.labels.len(),
            segmented: result.labels.iter().filter(|l| l.is_some()).count(),
            features: result.features.clone(),
            categories: result.categories.clone(),
            algorithm: result.algorithm.label().to_owned(),
            k: result.model.k(),
            sweep: result.sweep.clone(),
            eps: result.eps,
            mean_confidence: (!confidence.is_empty())
                .then(|| confidence.iter().sum::<f64>() / confidence.len() as f64),
            segments: result.segments.clone(),
            overall: result.overall.clone(),
            // The per-customer silhouettes go as `silhouettes`, grouped by segment.
            scores: Scores {
                silhouettes: Vec::new(),
                ..result.scores.clone()
            },
            imputed: result.imputed.clone(),
            notes: result.notes.clone(),
            base: dataset.base.clone(),
            map: map_view(result, &dataset.table),
            silhouettes: silhouettes_by_segment(result),
            distributions: result.distributions.clone(),
            rfm_grid: result.rfm_grid.clone(),
            lifetime: lifetime_view(result, &dataset.table, self.unit),
            compositions: dataset
                .table
                .columns()
                .iter()
                .filter(|c| fairness::checkable(&dataset.table, &c.name))
                .filter_map(|c| {
                    fairness::composition(
                        &dataset.table,
                        &c.name,
                        &result.labels,
                        result.segments.len(),
                    )
                })
                .collect(),
            kept: None,
            dendrogram: match &result.model {
                // A saved model has no tree: it was of the customers it was made from.
                Model::Hierarchical(h) if !h.labels().is_empty() => Some(dendrogram::layout(
                    h.merges(),
                    h.labels(),
                    DENDROGRAM_GROUPS,
                    h.cut_height(h.k()),
                )),
                _ => None,
            },
            k_distances: result.k_distances.as_ref().map(|k| {
                let n = k.k_distances.len();
                let step = n.div_ceil(CURVE_POINTS).max(1);
                let mut curve: Vec<(f32, f32)> = (0..n)
                    .step_by(step)
                    .map(|i| {
                        (
                            i as f32 / n.max(2).saturating_sub(1) as f32,
                            k.k_distances[i] as f32,
                        )
                    })
                    .collect();
                if n > 1 && (n - 1) % step != 0 {
                    curve.push((1.0, k.k_distances[n - 1] as f32));
                }
                KDistanceView {
                    curve,
                    suggested: k.eps,
                    used: result.eps.unwrap_or(k.eps),
                    customers: k.sampled,
                }
            }),
        }
    }

    /// The last segmentation and its table, and the base file's name without extension.
    fn exportable(&self) -> Result<(&Segmentation, &Dataset, &str), String> {
        let (Some(result), Some(dataset)) = (&self.result, &self.dataset) else {
            return Err("Run a segmentation first; then its segments can be downloaded.".into());
        };
        let stem = dataset
            .base
            .rsplit_once('.')
            .map_or(dataset.base.as_str(), |(s, _)| s);
        Ok((result, dataset, stem))
    }

    /// The labelled CSV of the last segmentation (with the rule segments and each
    /// customer's campaign, when there are rule segments): file name and bytes.
    pub fn export_labels(&self, attach: &[String]) -> Result<(String, Vec<u8>), String> {
        let (result, dataset, stem) = self.exportable()?;
        let campaigns = self.campaigns()?;
        let extra = self.extra_columns(&dataset.table, attach)?;
        Ok((
            format!("{stem}_segments.csv"),
            result.labels_csv_with(&dataset.table, campaigns.as_ref(), &extra),
        ))
    }

    /// Uses these rule segments and priority from now on, and counts who they reach.
    /// Rule segments that cannot be evaluated are reported and left out of campaigns.
    pub fn set_rules(
        &mut self,
        rules: Vec<RuleSegment>,
        priority: Vec<String>,
    ) -> Result<RuleCountsView, String> {
        self.rules = rules;
        self.priority = priority;
        let mut view = RuleCountsView::default();
        let campaigns = self.with_rules(|ctx, rules| {
            // Each rule once: its count, and its members for the campaigns if it works.
            let mut valid = Vec::new();
            let mut all_members = Vec::new();
            for r in rules {
                let counted = usable(r, rules, ctx);
                view.rules.push(RuleCount {
                    name: r.name.clone(),
                    customers: counted
                        .as_ref()
                        .ok()
                        .map(|m| m.iter().filter(|v| **v).count()),
                    error: counted.as_ref().err().map(ToString::to_string),
                });
                if let Ok(m) = counted {
                    valid.push(r.clone());
                    all_members.push(m);
                }
            }
            assign(&valid, all_members, &self.priority, ctx)
        })?;
        view.reach = campaigns.reach();
        view.unreached = campaigns.unreached();
        Ok(view)
    }

    /// Rule segments and campaigns of the last result (rule segments that cannot be
    /// evaluated left out); `None` without rule segments.
    fn campaigns(&self) -> Result<Option<Campaigns>, String> {
        if self.rules.is_empty() {
            return Ok(None);
        }
        self.with_rules(|ctx, rules| {
            let (valid, members): (Vec<RuleSegment>, Vec<Vec<bool>>) = rules
                .iter()
                .filter_map(|r| Some((r.clone(), usable(r, rules, ctx).ok()?)))
                .unzip();
            Some(assign(&valid, members, &self.priority, ctx))
        })
    }

    /// Runs `f` with what rules are evaluated against (the last result's table, segments
    /// and RFM scores) and the rule segments.
    fn with_rules<T>(
        &self,
        f: impl FnOnce(&Context<'_>, &[RuleSegment]) -> T,
    ) -> Result<T, String> {
        let (result, dataset, _) = self.exportable()?;
        let names = result.names();
        let ctx = Context {
            table: &dataset.table,
            labels: Some(&result.labels),
            names: &names,
            rfm: self.rfm.as_ref().map(|r| r.scores.as_slice()),
        };
        Ok(f(&ctx, &self.rules))
    }

    /// The printable report of the last segmentation (HTML).
    pub fn export_report(&self) -> Result<(String, Vec<u8>), String> {
        let (result, dataset, stem) = self.exportable()?;
        let recipe = self
            .recipe
            .clone()
            .unwrap_or_else(|| Recipe::new(result.features.clone()));
        let html = report_html(
            result,
            &ReportContext {
                source: &dataset.base,
                table: &dataset.table,
                recipe: &recipe,
                place: "in this browser",
                notes: &dataset.notes(),
            },
        );
        Ok((format!("{stem}_report.html"), html.into_bytes()))
    }

    /// A zip of one labelled CSV per segment.
    pub fn export_segment_lists(&self, attach: &[String]) -> Result<(String, Vec<u8>), String> {
        let (result, dataset, stem) = self.exportable()?;
        let names = result.names();
        let campaigns = self.campaigns()?;
        let extra = self.extra_columns(&dataset.table, attach)?;
        let columns = LabelColumns {
            campaigns: campaigns.as_ref(),
            extra: &extra,
            ..label_columns(result, &names)
        };
        let lists = segment_lists(&dataset.table, &columns, stem);
        Ok((format!("{stem}_segments.zip"), zip_files(&lists)?))
    }

    /// The labelled CSV's columns after the segment: RFM scores, churn risk and lifetime
    /// value when the data allows, then the columns the user chose to add back (`attach`,
    /// such as email).
    fn extra_columns(&self, table: &Table, attach: &[String]) -> Result<Vec<ExtraColumn>, String> {
        let mut extra = customer_columns(table, self.rfm.as_ref(), self.unit);
        extra.extend(attached_columns(table, attach).map_err(|e| e.to_string())?);
        Ok(extra)
    }

    /// The last segmentation as a file for another tool (a zip of per-segment files for
    /// ad audiences), with a note when customers were left out.
    pub fn export_preset(
        &self,
        preset: Preset,
        country_code: Option<&str>,
    ) -> Result<(String, Vec<u8>, Option<String>), String> {
        let (result, dataset, stem) = self.exportable()?;
        let names = result.names();
        let written = preset_export(
            preset,
            &dataset.table,
            &label_columns(result, &names),
            country_code,
        )
        .map_err(|e| e.to_string())?;
        let mut notes = Vec::new();
        if written.skipped > 0 {
            notes.push(format!(
                "{} left out: no {}.",
                crate::format::plural(written.skipped, "customer"),
                if preset == Preset::AdsHashed {
                    "email address or phone number"
                } else {
                    "email address"
                }
            ));
        }
        if written.phones_without_country > 0 {
            notes.push(format!(
                "{} phone numbers have no country code and were left out; type the country code to include them.",
                count(written.phones_without_country)
            ));
        }
        let note = (!notes.is_empty()).then(|| notes.join(" "));
        if preset == Preset::AdsHashed {
            let files: Vec<(String, Vec<u8>)> = written
                .files
                .into_iter()
                .map(|f| (format!("{stem}_{}.csv", file_slug(&f.name)), f.bytes))
                .collect();
            return Ok((format!("{stem}_ad_audiences.zip"), zip_files(&files)?, note));
        }
        let bytes = written
            .files
            .into_iter()
            .next()
            .map(|f| f.bytes)
            .unwrap_or_default();
        Ok((format!("{stem}_{}.csv", preset.id()), bytes, note))
    }
}

impl Session {
    /// The last result's customers on a neighbour map (UMAP), in the order of the page's
    /// map points; `frame` gets the points as the layout refines.
    pub fn neighbour_map(
        &self,
        progress: &mut dyn Progress,
        frame: &mut dyn FnMut(Vec<f32>),
    ) -> Result<NeighbourMapView, String> {
        let result = self
            .result
            .as_ref()
            .ok_or("Find segments first; the neighbour map shows them.")?;
        let map = result.map.as_ref().ok_or(
            "These customers have no map (it needs at least two customers and one feature).",
        )?;
        let params = UmapParams {
            seed: self.recipe.as_ref().map_or(42, Recipe::seed),
            ..UmapParams::default()
        };
        let laid_out = map
            .umap(&params, progress, &mut |coords| {
                frame(map_points(result, &map.rows, |i, c| {
                    coords.get((i, c)).copied().unwrap_or(0.0)
                }));
            })
            .map_err(|e| e.to_string())?;
        let note = laid_out.sampled().then(|| {
            format!(
                "{} customers were laid out in full; the other {} sit among their nearest neighbours.",
                count(laid_out.fitted),
                count(map.rows.len() - laid_out.fitted)
            )
        });
        Ok(NeighbourMapView {
            points: map_points(result, &map.rows, |i, c| {
                laid_out.coords.get((i, c)).copied().unwrap_or(0.0)
            }),
            done: true,
            note,
        })
    }

    /// Why `customer` (an id, or `row N` without an id column) is in their segment.
    pub fn explain(&self, customer: &str) -> Result<WhyView, String> {
        let (Some(result), Some(dataset)) = (&self.result, &self.dataset) else {
            return Err(
                "Run a segmentation first; then any customer in it can be explained.".into(),
            );
        };
        let table = &dataset.table;
        let wanted = customer.trim();
        let row = match table.id_column() {
            Some(_) => table.find_id(wanted),
            None => wanted
                .to_lowercase()
                .trim_start_matches("row")
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .filter(|&r| r < table.n_rows()),
        };
        let mut view = WhyView {
            customer: wanted.to_owned(),
            why: None,
            sentences: Vec::new(),
            message: None,
        };
        let Some(row) = row else {
            view.message = Some(match table.id_column() {
                Some(c) => format!(
                    "No customer has the {} “{wanted}”. Check the spelling, or pick a customer on the map.",
                    c.name
                ),
                None => format!(
                    "There is no row “{wanted}”. Type a row number from 1 to {}, or pick a customer on the map.",
                    table.n_rows()
                ),
            });
            return Ok(view);
        };
        match result.why(table, row).map_err(|e| e.to_string())? {
            Some(why) => {
                view.sentences = why.sentences(&result.names());
                view.why = Some(why);
            }
            None => {
                view.message = Some(
                    "This customer is not in any segment: a feature set to “leave out” is missing for them."
                        .into(),
                );
            }
        }
        Ok(view)
    }

    /// The recipe file for `recipe` with the last result's fitted segments in it.
    pub fn recipe_with_model(&self, recipe: &Recipe) -> Result<(String, Vec<u8>), String> {
        let Some(result) = &self.result else {
            return Err(
                "Run a segmentation first; then its segments can be saved in the recipe.".into(),
            );
        };
        let mut recipe = recipe.clone();
        let fitted = match &self.kept {
            // Saved segments stay as they were made (sizes and distributions then, for the
            // next month's drift), under the names they have now.
            Some(kept) => {
                let mut kept = kept.clone();
                for (name, segment) in kept.names.iter_mut().zip(&result.segments) {
                    name.clone_from(&segment.name);
                }
                kept
            }
            None => result.fitted(),
        };
        recipe.model = Some(Box::new(fitted));
        Ok((RECIPE_FILE.to_owned(), recipe.to_json().into_bytes()))
    }

    /// Names the segments of the last result (`names[i]` for segment `i`; blank: Segmenta's
    /// own name), so the page, exports and report use them.
    pub fn rename(&mut self, names: &[String]) -> Result<Vec<SegmentName>, String> {
        let Some(result) = &mut self.result else {
            return Err("Run a segmentation first; then its segments can be renamed.".into());
        };
        let wanted: std::collections::BTreeMap<usize, String> =
            names.iter().cloned().enumerate().collect();
        let mut segments = result.segments.clone();
        segmenta_core::explain::rename(&mut segments, &wanted).map_err(|e| e.to_string())?;
        result.segments = segments;
        Ok(result
            .segments
            .iter()
            .map(|s| SegmentName {
                name: s.name.clone(),
                automatic_name: s.automatic_name.clone(),
            })
            .collect())
    }
}

/// The members of rule segment `r`, or why it cannot be used: its rule does not evaluate,
/// or another segment (rule or clustered) has its name.
fn usable(r: &RuleSegment, rules: &[RuleSegment], ctx: &Context<'_>) -> Result<Vec<bool>, String> {
    let first = rules.iter().position(|o| o.name == r.name);
    if !std::ptr::eq(&rules[first.unwrap_or(0)], r) || ctx.names.contains(&r.name) {
        return Err(format!(
            "Another segment is already called “{}”. Give this one its own name.",
            r.name
        ));
    }
    members(r, ctx).map_err(|e| e.to_string())
}

/// What the labelled exports of `result` need (`names` are its segment names).
fn label_columns<'a>(result: &'a Segmentation, names: &'a [String]) -> LabelColumns<'a> {
    LabelColumns {
        labels: &result.labels,
        names,
        outliers: result.outlier_segment(),
        probability: result.confidence.as_deref(),
        campaigns: None,
        extra: &[],
    }
}

/// Churn risk and lifetime value per segment, when the table comes from an order log.
fn lifetime_view(result: &Segmentation, table: &Table, unit: TimeUnit) -> Option<LifetimeView> {
    let options = LifetimeOptions::default();
    let mut view = LifetimeView {
        horizon_days: options.horizon_days,
        monthly_discount_rate: options.monthly_discount_rate,
        bgnbd: None,
        gamma_gamma: None,
        warnings: Vec::new(),
        unavailable: None,
        segments: vec![SegmentValue::default(); result.segments.len()],
        all: SegmentValue::default(),
    };
    let fitted = match lifetime_of_table(table, unit, options) {
        Ok(l) => l,
        // A plain customer table: nothing to say about lifetime value.
        Err(LifetimeError::NotAnOrderLog) => return None,
        Err(e) => {
            view.unavailable = Some(e.to_string());
            return Some(view);
        }
    };
    let add = |v: &mut SegmentValue, c: &CustomerValue| {
        v.customers += 1;
        v.p_alive += c.p_alive;
        v.expected_purchases += c.expected_purchases;
        v.clv_total += c.clv;
        v.at_risk += usize::from(c.at_risk);
    };
    for (label, value) in result.labels.iter().zip(&fitted.customers) {
        if let Some(c) = value {
            add(&mut view.all, c);
            if let Some(v) = label.and_then(|l| view.segments.get_mut(l)) {
                add(v, c);
            }
        }
    }
    for v in view
        .segments
        .iter_mut()
        .chain(std::iter::once(&mut view.all))
    {
        let n = v.customers.max(1) as f64;
        v.p_alive /= n;
        v.expected_purchases /= n;
        v.clv = v.clv_total / n;
    }
    view.bgnbd = Some(fitted.bgnbd);
    view.gamma_gamma = Some(fitted.gamma_gamma);
    view.warnings = fitted.warnings;
    Some(view)
}

/// Groups at the bottom of the drawn dendrogram.
const DENDROGRAM_GROUPS: usize = 30;

/// Each segment's silhouette values, highest first (outliers have none: they are not
/// scored).
fn silhouettes_by_segment(result: &Segmentation) -> Vec<Vec<f32>> {
    let mut out = vec![Vec::new(); result.segments.len()];
    for &(segment, s) in &result.scores.silhouettes {
        if let Some(v) = out.get_mut(segment) {
            v.push(s as f32);
        }
    }
    for v in &mut out {
        v.sort_by(|a, b| b.total_cmp(a));
    }
    out
}

/// `coords` (one row per map row) as the page's map points: the customers [`map_view`]
/// shows, in its order.
fn map_points(result: &Segmentation, rows: &[usize], at: impl Fn(usize, usize) -> f64) -> Vec<f32> {
    let step = rows.len().div_ceil(MAP_POINTS).max(1);
    let mut points = Vec::with_capacity(2 * rows.len().div_ceil(step));
    for (i, &row) in rows.iter().enumerate().step_by(step) {
        if result.labels.get(row).copied().flatten().is_none() {
            continue;
        }
        points.extend([at(i, 0) as f32, at(i, 1) as f32]);
    }
    points
}

/// The map of `result` to send to the page: every customer up to [`MAP_POINTS`], beyond
/// that an even sample.
fn map_view(result: &Segmentation, table: &Table) -> Option<MapView> {
    let map = result.map.as_ref()?;
    let total = map.rows.len();
    let step = total.div_ceil(MAP_POINTS).max(1);
    let id = table.id_column();
    let shown = total.div_ceil(step);
    // Each segment's most distinctive features that are columns of the table (not one-hot
    // indicators), for the hover text.
    let hover_features: Vec<Vec<String>> = result
        .segments
        .iter()
        .map(|p| {
            let mut order: Vec<usize> = (0..p.z.len()).collect();
            order.sort_by(|a, b| p.z[*b].abs().total_cmp(&p.z[*a].abs()));
            order
                .into_iter()
                .filter_map(|j| result.features.get(j))
                .filter(|f| table.column(f).is_some())
                .take(HOVER_FEATURES)
                .cloned()
                .collect()
        })
        .collect();
    let hover_columns: Vec<Vec<_>> = hover_features
        .iter()
        .map(|names| names.iter().filter_map(|f| table.column(f)).collect())
        .collect();
    let mut view = MapView {
        points: map_points(result, &map.rows, |i, c| {
            map.coords.get((i, c)).copied().unwrap_or(0.0)
        }),
        segments: Vec::with_capacity(shown),
        ids: crate::packed::PackedStrings::with_capacity(shown),
        x_title: map.axis_title(0),
        y_title: map.axis_title(1),
        total,
        hover_values: Vec::with_capacity(HOVER_FEATURES * shown),
        hover_features,
    };
    for &row in map.rows.iter().step_by(step) {
        let Some(segment) = result.labels.get(row).copied().flatten() else {
            continue;
        };
        view.segments.push(segment.min(u16::MAX as usize) as u16);
        view.ids
            .push(&id.map_or_else(|| format!("row {}", row + 1), |c| c.display(row)));
        let columns = hover_columns.get(segment).map_or(&[][..], Vec::as_slice);
        for h in 0..HOVER_FEATURES {
            let v = columns.get(h).map(|c| c.number_at(row) as f32);
            view.hover_values.push(v.filter(|v| v.is_finite()));
        }
    }
    Some(view)
}

/// Equal-width histogram of a numeric column (`None` when it has no finite values).
fn histogram(table: &Table, name: &str) -> Option<Histogram> {
    let column = table.column(name)?;
    let values: Vec<f64> = (0..column.len())
        .map(|i| column.number_at(i))
        .filter(|v| v.is_finite())
        .collect();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !min.is_finite() {
        return None;
    }
    let mut counts = vec![0u32; HISTOGRAM_BINS];
    let width = (max - min) / HISTOGRAM_BINS as f64;
    for v in values {
        let bin = if width > 0.0 {
            (((v - min) / width) as usize).min(HISTOGRAM_BINS - 1)
        } else {
            0
        };
        counts[bin] += 1;
    }
    Some(Histogram {
        column: name.to_owned(),
        min,
        max,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use segmenta_core::features::orders::OrderRoles;
    use segmenta_core::ingest::{Separator, read_bytes};
    use segmenta_core::progress::NoProgress;
    use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE, SampleSpec, generate};

    fn sample(s: &mut Session) {
        load_sample(s, SampleSpec::default());
    }

    #[test]
    fn sample_builds_customers_runs_and_exports_every_customer() {
        let mut s = Session::default();
        sample(&mut s);
        let files = s.files_view();
        assert!(matches!(files[0].plan, FilePlan::Orders(_)));
        assert!(matches!(files[1].plan, FilePlan::Customers { .. }));
        let d = s.dataset_view().unwrap();
        assert_eq!(
            (d.error.as_deref(), d.rows, d.base.as_str()),
            (None, 2_000, ORDERS_FILE)
        );
        assert_eq!(d.as_of.as_deref(), Some("2025-06-30"));
        assert!(
            d.notes
                .iter()
                .any(|n| n.starts_with("sample_customers.csv: 2,000 customers matched"))
        );
        assert!(d.histograms.iter().any(|h| h.column == "recency_days"));
        let recipe = d.default_recipe.clone();
        assert!(
            recipe
                .feature_names()
                .contains(&"monetary_total".to_owned())
        );
        assert!(
            recipe
                .features
                .iter()
                .find(|f| f.name == "monetary_total")
                .unwrap()
                .log
        );
        let result = s.run(&recipe, &mut NoProgress).unwrap();
        assert_eq!(result.segments.iter().map(|s| s.size).sum::<usize>(), 2_000);
        let (name, bytes) = s.export_labels(&[]).unwrap();
        assert_eq!(name, "sample_orders_segments.csv");
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 2_001);
        // The sample is an order log: RFM scores, churn risk and lifetime value come along.
        assert!(text.starts_with(
            "customer_id,segment,segment_name,r_score,f_score,m_score,rfm_segment,churn_risk,clv,at_risk\n"
        ));
        // Contact details go back in only when asked for, in the lists too.
        let (_, bytes) = s.export_labels(&["email".into()]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("customer_id,segment,segment_name,r_score,"));
        assert!(text.lines().next().unwrap().ends_with(",at_risk,email"));
        assert!(text.lines().nth(1).unwrap().ends_with("@example.com"));
        let (_, zip) = s.export_segment_lists(&["email".into()]).unwrap();
        assert!(zip.windows(13).any(|w| w == b"@example.com\n"));
        assert!(
            s.export_labels(&["nope".into()])
                .unwrap_err()
                .starts_with("There is no column “nope”")
        );
    }

    #[test]
    fn customers_are_explained_and_segments_renamed_for_exports() {
        let mut s = Session::default();
        assert!(
            s.explain("C1")
                .unwrap_err()
                .starts_with("Run a segmentation first")
        );
        sample(&mut s);
        let recipe = s.dataset_view().unwrap().default_recipe.with_k(4);
        let result = s.run(&recipe, &mut NoProgress).unwrap();
        let id = result.map.as_ref().unwrap().ids.get(0).unwrap().to_owned();
        let view = s.explain(&format!(" {id} ")).unwrap();
        let why = view.why.unwrap();
        assert_eq!(view.customer, id);
        assert!(why.runner_up.is_some() && !why.reasons.is_empty());
        assert!(view.sentences[0].contains(&result.segments[why.segment].name));
        let missing = s.explain("nobody").unwrap();
        assert_eq!(
            missing.message.as_deref(),
            Some(
                "No customer has the customer_id “nobody”. Check the spelling, or pick a customer on the map."
            )
        );

        let mut names: Vec<String> = result.segments.iter().map(|p| p.name.clone()).collect();
        names[1] = "Spring sale regulars".into();
        let renamed = s.rename(&names).unwrap();
        assert_eq!(renamed[1].name, "Spring sale regulars");
        assert_eq!(
            renamed[1].automatic_name.as_ref(),
            Some(&result.segments[1].name)
        );
        assert_eq!(renamed[0].automatic_name, None);
        let (_, bytes) = s.export_labels(&[]).unwrap();
        assert!(
            String::from_utf8(bytes)
                .unwrap()
                .contains(",1,Spring sale regulars,")
        );
        // Blank brings Segmenta's name back; a name already taken is refused.
        names[1] = String::new();
        assert_eq!(s.rename(&names).unwrap()[1].name, result.segments[1].name);
        names[1] = result.segments[0].name.clone();
        assert!(
            s.rename(&names)
                .unwrap_err()
                .starts_with("Two segments would both be called")
        );
        assert_eq!(s.rename(&[]).unwrap()[1].name, result.segments[1].name);
    }

    /// Loads the sample generated with `spec`: the order log, then the customer list.
    fn load_sample(s: &mut Session, spec: SampleSpec) {
        let data = generate(spec);
        for (name, text) in [
            (ORDERS_FILE, &data.orders_csv),
            (CUSTOMERS_FILE, &data.customers_csv),
        ] {
            s.load(
                name,
                text.as_bytes(),
                &ReadOptions::default(),
                &mut NoProgress,
            )
            .unwrap();
        }
    }

    #[test]
    fn the_neighbour_map_has_a_point_for_every_point_of_the_flat_map() {
        let mut s = Session::default();
        assert!(s.neighbour_map(&mut NoProgress, &mut |_| {}).is_err());
        sample(&mut s);
        let recipe = s.dataset_view().unwrap().default_recipe.with_k(4);
        let result = s.run(&recipe, &mut NoProgress).unwrap();
        let flat = result.map.unwrap().points;
        let mut frames = Vec::new();
        let view = s
            .neighbour_map(&mut NoProgress, &mut |points| frames.push(points.len()))
            .unwrap();
        assert!(view.done);
        assert_eq!(view.note, None);
        assert_eq!(view.points.len(), flat.len());
        assert_ne!(view.points, flat);
        assert!(frames.len() >= 10);
        assert!(frames.iter().all(|&n| n == flat.len()));
    }

    #[test]
    fn saved_segments_sort_next_months_customers_and_show_who_moved() {
        let mut first = Session::default();
        sample(&mut first);
        let recipe = first.dataset_view().unwrap().default_recipe.with_k(4);
        first.run(&recipe, &mut NoProgress).unwrap();
        first.rename(&["Best".into()]).unwrap();
        let (_, saved) = first.recipe_with_model(&recipe).unwrap();
        let (_, previous) = first.export_labels(&[]).unwrap();
        let saved = Recipe::from_json(std::str::from_utf8(&saved).unwrap()).unwrap();
        let fitted = saved.model.as_deref().unwrap().clone();
        assert_eq!(fitted.names[0], "Best");

        // Next month: 200 more customers, the same ids for the first 2,000.
        let mut next = Session::default();
        load_sample(
            &mut next,
            SampleSpec {
                customers: 2_200,
                seed: 8,
            },
        );
        let view = next.apply(&saved, &mut NoProgress).unwrap();
        let kept = view.kept.as_ref().unwrap();
        assert_eq!(kept.sizes_then, fitted.sizes);
        assert_eq!(kept.drift.len(), fitted.baseline.len());
        assert!(!kept.drift_sentences.is_empty());
        assert_eq!(view.segments[0].name, "Best");
        assert_eq!(view.segments.iter().map(|s| s.size).sum::<usize>(), 2_200);
        // The page's assignment is `segmenta apply`'s.
        let table = &next.dataset.as_ref().unwrap().table;
        let expected = fitted.apply(table).unwrap().labels;
        assert_eq!(next.result.as_ref().unwrap().labels, expected);

        let previous = read_bytes(&previous, &ReadOptions::default())
            .unwrap()
            .table;
        let moved = next.compare("last.csv", &previous).unwrap();
        let m = &moved.migration;
        assert_eq!(m.customers, 2_200);
        assert_eq!(m.moves.iter().map(|m| m.customers).sum::<usize>(), 2_200);
        assert_eq!((m.new_customers, m.gone), (200, 0));
        assert!(moved.sentences[0].starts_with("Stayed in their segment: "));

        // Saved again, the segments are the same ones, under today's names.
        next.rename(&["Top".into()]).unwrap();
        let (_, again) = next.recipe_with_model(&saved).unwrap();
        let again = Recipe::from_json(std::str::from_utf8(&again).unwrap()).unwrap();
        let again = again.model.unwrap();
        assert_eq!(again.names[0], "Top");
        assert_eq!((&again.model, &again.sizes), (&fitted.model, &fitted.sizes));

        // Without saved segments there is nothing to compare, and a recipe without a
        // model says what to do.
        assert!(
            first
                .compare("last.csv", &previous)
                .unwrap_err()
                .starts_with("Use a recipe's saved segments first")
        );
        assert!(
            next.apply(&recipe, &mut NoProgress)
                .unwrap_err()
                .contains("holds no saved segments")
        );
    }

    #[test]
    fn presets_and_segment_lists_are_built_from_the_last_result() {
        let mut s = Session::default();
        assert!(s.export_preset(Preset::Mailchimp, None).is_err());
        sample(&mut s);
        let recipe = s.dataset_view().unwrap().default_recipe.with_k(3);
        let result = s.run(&recipe, &mut NoProgress).unwrap();
        let (name, bytes, note) = s.export_preset(Preset::Hubspot, None).unwrap();
        assert_eq!(name, "sample_orders_hubspot.csv");
        assert_eq!(note, None);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("Email,First Name,Last Name,Phone Number,Segment\n"));
        assert_eq!(text.lines().count(), 2_001);
        let (name, bytes, _) = s.export_preset(Preset::AdsHashed, None).unwrap();
        assert_eq!(name, "sample_orders_ad_audiences.zip");
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 3);
        let (name, bytes) = s.export_report().unwrap();
        assert_eq!(name, "sample_orders_report.html");
        let html = String::from_utf8(bytes).unwrap();
        assert!(html.contains("All processing happened in this browser"));
        assert!(html.contains("email (email address)"));
        let (name, bytes) = s.export_segment_lists(&[]).unwrap();
        assert_eq!(name, "sample_orders_segments.zip");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let first = format!("sample_orders_{}.csv", file_slug(&result.segments[0].name));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(&first).unwrap(), &mut text).unwrap();
        assert_eq!(text.lines().count(), result.segments[0].size + 1);
    }

    #[test]
    fn rule_segments_are_counted_once_and_named_once() {
        let mut s = Session::default();
        sample(&mut s);
        let recipe = s.dataset_view().unwrap().default_recipe.with_k(3);
        let result = s.run(&recipe, &mut NoProgress).unwrap();
        let rule: RuleSegment =
            serde_json::from_str(r#"{"name": "Win back", "rule": {"no_purchase_in_days": 180}}"#)
                .unwrap();
        let taken = RuleSegment {
            name: result.segments[0].name.clone(),
            ..rule.clone()
        };
        let view = s
            .set_rules(
                vec![rule.clone(), rule.clone(), taken],
                vec!["Win back".into()],
            )
            .unwrap();
        let win_back = view.rules[0].customers.unwrap();
        assert!(win_back > 0 && win_back < 2_000);
        assert!(
            view.rules[1]
                .error
                .as_ref()
                .unwrap()
                .starts_with("Another segment is already called “Win back”")
        );
        assert!(view.rules[2].error.is_some());
        // Win back comes first, so all its members get it; everyone else their segment.
        assert_eq!(view.reach[0], ("Win back".to_owned(), win_back));
        assert_eq!(
            view.reach.iter().map(|(_, k)| k).sum::<usize>() + view.unreached,
            2_000
        );
        let (_, bytes) = s.export_labels(&[]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with(
            "customer_id,segment,segment_name,r_score,f_score,m_score,rfm_segment,churn_risk,clv,at_risk,Win back,primary_campaign\n"
        ));
        assert_eq!(text.matches(",yes,Win back\n").count(), win_back);
    }

    #[test]
    fn errors_are_sentences_naming_the_file() {
        let mut s = Session::default();
        assert!(
            s.run(&Recipe::new(vec![]), &mut NoProgress)
                .unwrap_err()
                .starts_with("Load a file first")
        );
        let e = s
            .load(
                "book.csv",
                b"PK\x03\x04....",
                &ReadOptions::default(),
                &mut NoProgress,
            )
            .unwrap_err();
        assert!(
            e.starts_with("book.csv: This looks like an Excel workbook"),
            "{e}"
        );
        s.load(
            "words.csv",
            b"name,city\nAnn,Paris\nBob,Rome\n",
            &ReadOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
        let e = s.run(&Recipe::new(vec![]), &mut NoProgress).unwrap_err();
        assert!(e.contains("no numeric columns"), "{e}");
        assert!(
            s.export_labels(&[])
                .unwrap_err()
                .starts_with("Run a segmentation first")
        );
        assert!(
            s.set_data_options(Some("2025-02-30".into()), TimeUnit::Days)
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn changing_plans_and_dates_rebuilds_the_customers() {
        let mut s = Session::default();
        sample(&mut s);
        s.set_data_options(Some("2025-01-01".into()), TimeUnit::Weeks)
            .unwrap();
        let d = s.dataset_view().unwrap();
        assert_eq!(
            (d.as_of.as_deref(), d.unit, d.as_of_chosen),
            (Some("2025-01-01"), TimeUnit::Weeks, true)
        );
        assert!(d.rows < 2_000, "customers who joined later drop out");
        s.set_plan(1, FilePlan::Ignore).unwrap();
        assert!(
            s.dataset_view()
                .unwrap()
                .columns
                .iter()
                .all(|c| c.name != "email_open_rate")
        );
        // A plan naming a column that does not exist is reported, not fatal.
        let FilePlan::Orders(mut roles) = s.files_view()[0].plan.clone() else {
            panic!()
        };
        roles.date = "nope".into();
        s.set_plan(0, FilePlan::Orders(roles)).unwrap();
        let d = s.dataset_view().unwrap();
        assert!(d.error.unwrap().contains("'nope' is not in this file"));
    }

    #[test]
    fn reading_again_keeps_a_plan_that_still_fits() {
        let mut s = Session::default();
        let bytes =
            b"customer;order_date;amount\nA;2024-01-01;1,5\nA;2024-01-02;2,5\nB;2024-01-03;3\n";
        s.load("eu.csv", bytes, &ReadOptions::default(), &mut NoProgress)
            .unwrap();
        assert!(matches!(
            s.files_view()[0].plan,
            FilePlan::Orders(OrderRoles { .. })
        ));
        let options = ReadOptions {
            delimiter: Some(Separator::Byte(b',')),
            ..ReadOptions::default()
        };
        s.replace(
            0,
            read_bytes(bytes, &options).unwrap(),
            options.clone(),
            ReadStats::default(),
        )
        .unwrap();
        let f = &s.files_view()[0];
        assert_eq!((f.revision, &f.options), (1, &options));
        // The columns changed, so the plan was guessed again.
        assert_eq!(
            f.plan,
            FilePlan::Customers {
                customer: Some("customer;order_date;amount".into())
            }
        );
    }
}
