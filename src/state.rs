//! The page's state: one signal per fact, and the single place worker responses land.

use leptos::prelude::*;
use segmenta_core::cluster::{Algorithm, Auto, KRange};
use segmenta_core::features::{FeatureChoice, FeatureError};
use segmenta_core::recipe::{Clustering, DataPlan, FileEntry, RECIPE_VERSION, Recipe};

use std::collections::BTreeMap;
use std::sync::Arc;

use segmenta_core::rules::RuleSegment;

use crate::campaigns::Draft;
use crate::keep::Keep;
use crate::protocol::{
    DatasetView, FileView, MigrationView, NeighbourMapView, Response, ResultView, RuleCountsView,
    WhyView,
};

/// Work kept on this device from an earlier visit, as the page describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resumable {
    /// The kept files' names (the sample data named as such).
    pub files: Vec<String>,
    /// Whether the choices (recipe) were kept.
    pub choices: bool,
    /// When it was saved, in milliseconds since 1970.
    pub saved_at: f64,
}

/// Work the worker is doing, for the progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    /// What is happening, in words.
    pub label: String,
    /// Fraction done, when known.
    pub fraction: Option<f64>,
    /// Whether the work can be stopped with the Cancel button.
    pub cancellable: bool,
}

/// All page state. Every field is a signal, so the struct is `Copy`; components receive
/// only the fields they need.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// Every loaded file.
    pub files: RwSignal<Vec<FileView>>,
    /// The file shown in the Understand step.
    pub selected_file: RwSignal<usize>,
    /// The customer table built from the files.
    pub dataset: RwSignal<Option<DatasetView>>,
    /// Chosen features and how each is prepared, in column order.
    pub features: RwSignal<Vec<FeatureChoice>>,
    /// Categorical columns used as features.
    pub categorical: RwSignal<Vec<String>>,
    /// The algorithm and its choice-list settings (covariance, linkage, restarts); the
    /// typed settings below are read into it when a recipe is made.
    pub algorithm: RwSignal<Algorithm>,
    /// Whether the number of segments is chosen automatically.
    pub k_auto: RwSignal<bool>,
    /// The number-of-segments field as typed.
    pub k_text: RwSignal<String>,
    /// Whether DBSCAN's eps is chosen automatically.
    pub eps_auto: RwSignal<bool>,
    /// DBSCAN's eps as typed.
    pub eps_text: RwSignal<String>,
    /// DBSCAN's minimum group size as typed.
    pub min_samples_text: RwSignal<String>,
    /// Whether k-prototypes' category weight is chosen automatically.
    pub gamma_auto: RwSignal<bool>,
    /// k-prototypes' category weight as typed.
    pub gamma_text: RwSignal<String>,
    /// The numbers of segments compared (from a loaded recipe, else 2 to 10).
    pub k_range: RwSignal<KRange>,
    /// Seed of the clustering (from a loaded recipe, else the default).
    pub seed: RwSignal<u64>,
    /// Current work, if any.
    pub busy: RwSignal<Option<Busy>>,
    /// Whether the worker (and its helpers) have their code and can take data.
    pub worker_ready: RwSignal<bool>,
    /// The last segmentation (shared with the views that show it: for 200,000 customers a
    /// copy takes a noticeable part of a frame).
    pub result: RwSignal<Option<Arc<ResultView>>>,
    /// How many segmentations have arrived: `result` changes without a new one when a
    /// segment is renamed, and the page then shows it at once, not in parts.
    pub segmentations: RwSignal<u64>,
    /// The recipe that produced `result`.
    pub result_recipe: RwSignal<Option<Recipe>>,
    /// The last error, as a sentence.
    pub error: RwSignal<Option<String>>,
    /// A loaded recipe whose feature choices wait for the rebuilt customer table.
    pub pending_recipe: RwSignal<Option<Recipe>>,
    /// Segment names from a loaded recipe, for the next run.
    pub loaded_names: RwSignal<BTreeMap<usize, String>>,
    /// The customer explained in "Why is this customer here?".
    pub why: RwSignal<Option<WhyView>>,
    /// What the user should know about the last export (customers left out).
    pub export_note: RwSignal<Option<String>>,
    /// Something the user should know that is not an error of theirs and outlasts the
    /// next request (the worker was restarted).
    pub notice: RwSignal<Option<String>>,
    /// The neighbour map of the last result, once asked for.
    pub neighbour_map: RwSignal<Option<NeighbourMapView>>,
    /// While a new worker gets back the files and segments the page shows (after the user
    /// stopped work): the segments stay on screen until the same ones arrive again.
    pub restoring: StoredValue<bool>,
    /// What the user asked to keep on this device (nothing unless they opt in).
    pub keep: RwSignal<Keep>,
    /// Work kept from an earlier visit that the user may continue with.
    pub resumable: RwSignal<Option<Resumable>>,
    /// What the last change to kept work did, as a sentence.
    pub keep_note: RwSignal<Option<String>>,
    /// Rule segments as edited.
    pub drafts: RwSignal<Vec<Draft>>,
    /// Campaign priority: segment names, first wins.
    pub priority: RwSignal<Vec<String>>,
    /// Rule segment sizes and campaign reach for the last result.
    pub rule_counts: RwSignal<Option<RuleCountsView>>,
    /// The last loaded recipe, when it holds saved segments (a fitted model).
    pub saved: RwSignal<Option<Recipe>>,
    /// Who moved between segments since the previous labelled export.
    pub migration: RwSignal<Option<MigrationView>>,
    /// Columns (contact details) the user chose to add to the labelled CSV and lists.
    pub attach: RwSignal<Vec<String>>,
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// Fresh state: nothing loaded, k-means with an automatic number of segments.
    pub fn new() -> Self {
        AppState {
            files: RwSignal::new(Vec::new()),
            selected_file: RwSignal::new(0),
            dataset: RwSignal::new(None),
            features: RwSignal::new(Vec::new()),
            categorical: RwSignal::new(Vec::new()),
            algorithm: RwSignal::new(Algorithm::default()),
            k_auto: RwSignal::new(true),
            k_text: RwSignal::new("4".to_owned()),
            eps_auto: RwSignal::new(true),
            eps_text: RwSignal::new("0.5".to_owned()),
            min_samples_text: RwSignal::new("5".to_owned()),
            gamma_auto: RwSignal::new(true),
            gamma_text: RwSignal::new("0.5".to_owned()),
            k_range: RwSignal::new(KRange::default()),
            seed: RwSignal::new(segmenta_core::recipe::DEFAULT_SEED),
            busy: RwSignal::new(None),
            worker_ready: RwSignal::new(false),
            result: RwSignal::new(None),
            segmentations: RwSignal::new(0),
            result_recipe: RwSignal::new(None),
            error: RwSignal::new(None),
            pending_recipe: RwSignal::new(None),
            loaded_names: RwSignal::new(BTreeMap::new()),
            why: RwSignal::new(None),
            export_note: RwSignal::new(None),
            notice: RwSignal::new(None),
            neighbour_map: RwSignal::new(None),
            restoring: StoredValue::new(false),
            keep: RwSignal::new(Keep::current()),
            resumable: RwSignal::new(None),
            keep_note: RwSignal::new(None),
            drafts: RwSignal::new(Vec::new()),
            priority: RwSignal::new(Vec::new()),
            rule_counts: RwSignal::new(None),
            saved: RwSignal::new(None),
            migration: RwSignal::new(None),
            attach: RwSignal::new(Vec::new()),
        }
    }

    /// Customers in the customer table (0 when there is none).
    pub fn rows(&self) -> usize {
        self.dataset.with(|d| d.as_ref().map_or(0, |d| d.rows))
    }

    /// The clustering settings as typed, or the sentence saying what to fix.
    pub fn clustering(&self) -> Result<Clustering, String> {
        let mut algorithm = self.algorithm.get();
        let k = if self.k_auto.get() || !algorithm.takes_k() {
            Auto::Auto
        } else {
            Auto::Value(parse_k(&self.k_text.get(), self.rows())?)
        };
        match &mut algorithm {
            Algorithm::Dbscan { eps, min_samples } => {
                *eps = if self.eps_auto.get() {
                    Auto::Auto
                } else {
                    Auto::Value(parse_eps(&self.eps_text.get())?)
                };
                *min_samples = parse_min_samples(&self.min_samples_text.get())?;
            }
            Algorithm::Kprototypes { gamma, .. } => {
                *gamma = if self.gamma_auto.get() {
                    Auto::Auto
                } else {
                    Auto::Value(parse_gamma(&self.gamma_text.get())?)
                };
            }
            _ => {}
        }
        Ok(Clustering {
            algorithm,
            k,
            k_range: self.k_range.get(),
            seed: self.seed.get(),
        })
    }

    /// Shows a recipe's clustering settings in the fields.
    pub fn show_clustering(&self, clustering: &Clustering) {
        self.algorithm.set(clustering.algorithm.clone());
        self.k_range.set(clustering.k_range);
        self.seed.set(clustering.seed);
        match clustering.k {
            Auto::Auto => self.k_auto.set(true),
            Auto::Value(k) => {
                self.k_auto.set(false);
                self.k_text.set(k.to_string());
            }
        }
        match clustering.algorithm {
            Algorithm::Dbscan { eps, min_samples } => {
                self.eps_auto.set(eps == Auto::Auto);
                if let Auto::Value(e) = eps {
                    self.eps_text.set(e.to_string());
                }
                self.min_samples_text.set(min_samples.to_string());
            }
            Algorithm::Kprototypes { gamma, .. } => {
                self.gamma_auto.set(gamma == Auto::Auto);
                if let Auto::Value(g) = gamma {
                    self.gamma_text.set(g.to_string());
                }
            }
            _ => {}
        }
    }

    /// The recipe for the current choices, or the sentence saying what to fix.
    pub fn recipe(&self) -> Result<Recipe, String> {
        let clustering = self.clustering()?;
        let features = self.features.get();
        let categorical = self.categorical.get();
        if features.is_empty() && categorical.is_empty() {
            return Err(
                "No features are selected. Tick at least one column under Features.".into(),
            );
        }
        let data = self.dataset.with(|d| DataPlan {
            files: self.files.with(|files| {
                files
                    .iter()
                    .map(|f| FileEntry {
                        file: f.name.clone(),
                        plan: f.plan.clone(),
                        reading: f.options.clone(),
                    })
                    .collect()
            }),
            as_of: d
                .as_ref()
                .filter(|d| d.as_of_chosen)
                .and_then(|d| d.as_of.clone()),
            unit: d.as_ref().map(|d| d.unit).unwrap_or_default(),
        });
        let mut recipe = Recipe {
            version: RECIPE_VERSION,
            data,
            features,
            categorical,
            clustering,
            names: BTreeMap::new(),
            rules: self.rules(),
            priority: self.priority.get(),
            model: None,
        };
        recipe.names = match self.result_recipe.get() {
            // Names belong to the segments they were given to: they carry over while the
            // choices that found those segments stay the same.
            Some(used) if same_segments(&used, &recipe) => self.result.with(|r| {
                r.iter()
                    .flat_map(|r| r.segments.iter().enumerate())
                    .filter(|(_, s)| s.automatic_name.is_some())
                    .map(|(i, s)| (i, s.name.clone()))
                    .collect()
            }),
            Some(_) => BTreeMap::new(),
            None => self.loaded_names.get(),
        };
        Ok(recipe)
    }

    /// The rule segments that are complete (drafts with something to fix are left out).
    pub fn rules(&self) -> Vec<RuleSegment> {
        self.drafts
            .with(|d| d.iter().filter_map(|d| d.rule().ok()).collect())
    }

    /// Marks work as started.
    pub fn start(&self, label: &str, cancellable: bool) {
        self.error.set(None);
        self.busy.set(Some(Busy {
            label: label.to_owned(),
            fraction: None,
            cancellable,
        }));
    }

    /// Applies a worker response (everything except downloads, which the engine handles).
    pub fn apply(&self, response: Response) {
        match response {
            // The page never asks for timings (`cargo xtask bench` does).
            Response::Ready => self.worker_ready.set(true),
            Response::Exported { .. } | Response::Timed(_) => {}
            Response::Progress { stage, fraction } => self.busy.update(|busy| {
                let cancellable = busy.as_ref().is_some_and(|b| b.cancellable);
                *busy = Some(Busy {
                    label: stage.label().to_owned(),
                    fraction: Some(fraction),
                    cancellable,
                });
            }),
            Response::Files { files } => {
                let n = files.len();
                if n == 0 {
                    self.dataset.set(None);
                    self.result.set(None);
                }
                self.files.set(files);
                if self.selected_file.get_untracked() >= n {
                    self.selected_file.set(n.saturating_sub(1));
                }
            }
            Response::Dataset(view) => self.take_dataset(*view),
            Response::Segmented(result) => {
                self.loaded_names.set(BTreeMap::new());
                self.why.set(None);
                self.migration.set(None);
                self.neighbour_map.set(None);
                self.segmentations.update(|n| *n += 1);
                self.result.set(Some(Arc::from(result)));
            }
            Response::Explained(why) => self.why.set(Some(*why)),
            Response::Migrated(view) => self.migration.set(Some(*view)),
            Response::NeighbourMap(view) => self.neighbour_map.set(Some(*view)),
            Response::RuleCounts(counts) => self.rule_counts.set(Some(*counts)),
            Response::Renamed { segments } => {
                self.result.update(|r| {
                    for (profile, named) in r
                        .iter_mut()
                        .flat_map(|r| Arc::make_mut(r).segments.iter_mut())
                        .zip(segments)
                    {
                        profile.name = named.name;
                        profile.automatic_name = named.automatic_name;
                    }
                });
                // The explanation quotes segment names; ask again to see the new ones.
                self.why.set(None);
            }
            Response::Failed { message } => {
                self.restoring.set_value(false);
                self.error.set(Some(message));
            }
            // The engine restarts the worker and says so.
            Response::Crashed { message } => self.notice.set(Some(message)),
            Response::Cancelled | Response::Idle => self.busy.set(None),
        }
    }

    /// A new customer table: keep the user's feature choices where they still apply, else
    /// take the defaults (or a loaded recipe's choices).
    fn take_dataset(&self, view: DatasetView) {
        if !self.restoring.get_value() {
            self.result.set(None);
            self.migration.set(None);
            self.result_recipe.set(None);
        }
        let usable = |name: &str| {
            view.candidates
                .iter()
                .any(|c| c.name == name && c.blocked.is_none())
        };
        let categorical = |name: &str| {
            view.candidates
                .iter()
                .any(|c| c.name == name && c.levels.is_some())
        };
        self.why.set(None);
        self.loaded_names.set(BTreeMap::new());
        self.attach
            .update(|a| a.retain(|n| view.columns.iter().any(|c| c.name == *n)));
        if let Some(recipe) = self.pending_recipe.get_untracked() {
            self.pending_recipe.set(None);
            self.loaded_names.set(recipe.names.clone());
            self.drafts
                .set(recipe.rules.iter().filter_map(Draft::of).collect());
            self.priority.set(recipe.priority.clone());
            self.show_clustering(&recipe.clustering);
            self.features.set(
                recipe
                    .features
                    .into_iter()
                    .filter(|f| usable(&f.name))
                    .collect(),
            );
            self.categorical.set(
                recipe
                    .categorical
                    .into_iter()
                    .filter(|c| categorical(c))
                    .collect(),
            );
        } else {
            // Columns that could not be features before (`None`: different columns).
            let was_blocked: Option<Vec<String>> = self.dataset.with_untracked(|old| {
                old.as_ref()
                    .filter(|old| {
                        old.candidates
                            .iter()
                            .map(|c| &c.name)
                            .eq(view.candidates.iter().map(|c| &c.name))
                    })
                    .map(|old| {
                        old.candidates
                            .iter()
                            .filter(|c| c.blocked.is_some())
                            .map(|c| c.name.clone())
                            .collect()
                    })
            });
            match was_blocked {
                None => {
                    self.features.set(view.default_recipe.features.clone());
                    self.categorical.set(Vec::new());
                }
                // The same columns, but one read as another kind or marked as personal
                // data may no longer be a feature, and one that now can be is ticked
                // when Segmenta would tick it; with none left, Segmenta's own choice.
                Some(was_blocked) => {
                    let before = self.features.get_untracked();
                    let mut list = before.clone();
                    list.retain(|f| usable(&f.name));
                    for f in &view.default_recipe.features {
                        if was_blocked.contains(&f.name) && !list.iter().any(|g| g.name == f.name) {
                            list.push(f.clone());
                        }
                    }
                    if list.is_empty() {
                        list = view.default_recipe.features.clone();
                    }
                    if list != before {
                        self.features.set(list);
                    }
                    let before = self.categorical.get_untracked();
                    let list: Vec<String> =
                        before.iter().filter(|c| categorical(c)).cloned().collect();
                    if list != before {
                        self.categorical.set(list);
                    }
                }
            }
        }
        if view.error.is_none() && view.candidates.iter().all(|c| c.blocked.is_some()) {
            self.error.set(Some(format!(
                "{}: {}",
                view.base,
                FeatureError::NoNumericColumns
            )));
        }
        self.dataset.set(Some(view));
    }

    /// Whether the shown result no longer matches the current choices.
    pub fn result_is_stale(&self) -> bool {
        match (self.result_recipe.get(), self.recipe()) {
            (Some(used), Ok(now)) => !same_segments(&used, &now),
            (Some(_), Err(_)) => true,
            _ => false,
        }
    }
}

/// Whether two recipes find the same segments in the same customer table (they differ at
/// most in names).
fn same_segments(a: &Recipe, b: &Recipe) -> bool {
    a.features == b.features && a.categorical == b.categorical && a.clustering == b.clustering
}

/// Reads the number-of-segments field: a whole number from 2 to the number of customers.
pub fn parse_k(text: &str, rows: usize) -> Result<usize, String> {
    let k: usize = text
        .trim()
        .parse()
        .map_err(|_| "Enter the number of segments as a whole number, such as 4.".to_owned())?;
    if k < 2 {
        return Err("Choose at least 2 segments.".into());
    }
    if rows > 0 && k > rows {
        return Err(format!(
            "There are only {} customers, so choose at most {} segments.",
            crate::format::count(rows),
            crate::format::count(rows)
        ));
    }
    if k > 50 {
        return Err("Choose at most 50 segments; more would be hard to act on.".into());
    }
    Ok(k)
}

/// Reads DBSCAN's neighbourhood distance: a positive number.
pub fn parse_eps(text: &str) -> Result<f64, String> {
    match text.trim().replace(',', ".").parse::<f64>() {
        Ok(e) if e > 0.0 && e.is_finite() => Ok(e),
        _ => Err(
            "Enter the neighbourhood distance as a positive number, such as 0.5, or tick Auto."
                .into(),
        ),
    }
}

/// Reads DBSCAN's minimum group size: a whole number from 1 to 1,000.
pub fn parse_min_samples(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(m) if (1..=1_000).contains(&m) => Ok(m),
        _ => {
            Err("Enter the minimum group size as a whole number from 1 to 1,000, such as 5.".into())
        }
    }
}

/// Reads k-prototypes' category weight: zero or a positive number.
pub fn parse_gamma(text: &str) -> Result<f64, String> {
    match text.trim().replace(',', ".").parse::<f64>() {
        Ok(g) if g >= 0.0 && g.is_finite() => Ok(g),
        _ => Err(
            "Enter the category weight as zero or a positive number, such as 0.5, or tick Auto."
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_field_validation() {
        assert_eq!(parse_k("4", 100), Ok(4));
        assert_eq!(parse_k(" 7 ", 0), Ok(7));
        assert!(parse_k("four", 100).unwrap_err().contains("whole number"));
        assert!(parse_k("1", 100).unwrap_err().contains("at least 2"));
        assert_eq!(
            parse_k("5", 3).unwrap_err(),
            "There are only 3 customers, so choose at most 3 segments."
        );
        assert!(parse_k("51", 1000).is_err());
    }

    #[test]
    fn algorithm_field_validation() {
        assert_eq!(parse_eps("0,4"), Ok(0.4));
        assert!(parse_eps("0").unwrap_err().contains("positive number"));
        assert_eq!(parse_min_samples("5"), Ok(5));
        assert!(parse_min_samples("0").is_err());
        assert_eq!(parse_gamma("0"), Ok(0.0));
        assert!(parse_gamma("-1").is_err());
    }

    #[test]
    fn features_follow_a_column_read_as_another_kind() {
        use crate::session::Session;
        use segmenta_core::ingest::{ReadOptions, read_bytes};
        use segmenta_core::progress::NoProgress;
        use segmenta_core::table::ColumnChoice;
        let mut csv = String::from("customer_id,spend,visits\n");
        for i in 0..30 {
            csv.push_str(&format!("C{i},{},{}\n", 10 + i * 7 % 13, 1 + i % 5));
        }
        let owner = Owner::new();
        owner.with(|| {
            let state = AppState::new();
            let mut s = Session::default();
            s.load(
                "c.csv",
                csv.as_bytes(),
                &ReadOptions::default(),
                &mut NoProgress,
            )
            .unwrap();
            state.apply(Response::Dataset(Box::new(s.dataset_view().unwrap())));
            let names = || {
                state
                    .features
                    .get_untracked()
                    .into_iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(), ["spend", "visits"]);
            // `visits` becomes personal data: its feature goes.
            let reread = |choice| {
                let options = ReadOptions {
                    columns: [("visits".to_owned(), choice)].into(),
                    ..ReadOptions::default()
                };
                let loaded = read_bytes(csv.as_bytes(), &options).unwrap();
                (loaded, options)
            };
            let (loaded, options) = reread(ColumnChoice::Personal);
            s.replace(0, loaded, options, Default::default()).unwrap();
            state.apply(Response::Dataset(Box::new(s.dataset_view().unwrap())));
            assert_eq!(names(), ["spend"]);
            // Read as numbers again, it is ticked again, as Segmenta would tick it.
            let (loaded, options) = reread(ColumnChoice::Number);
            s.replace(0, loaded, options, Default::default()).unwrap();
            state.apply(Response::Dataset(Box::new(s.dataset_view().unwrap())));
            assert_eq!(names(), ["spend", "visits"]);
        });
    }

    #[test]
    fn clustering_settings_round_trip_through_the_fields() {
        let owner = Owner::new();
        owner.with(|| {
            let state = AppState::new();
            assert_eq!(state.clustering().unwrap().k, Auto::Auto);
            let chosen = Clustering {
                algorithm: Algorithm::Dbscan {
                    eps: Auto::Value(0.7),
                    min_samples: 8,
                },
                k: Auto::Value(5),
                k_range: KRange { min: 3, max: 6 },
                seed: 9,
            };
            state.show_clustering(&chosen);
            // DBSCAN ignores k, so it reads back as automatic.
            assert_eq!(
                state.clustering().unwrap(),
                Clustering {
                    k: Auto::Auto,
                    ..chosen
                }
            );
            state.eps_auto.set(false);
            state.eps_text.set("-2".into());
            assert!(state.clustering().unwrap_err().contains("positive number"));
        });
    }

    #[test]
    fn responses_update_state() {
        let owner = Owner::new();
        owner.with(|| {
            let state = AppState::new();
            state.start("Reading", true);
            assert!(state.busy.get().is_some());
            state.apply(Response::Failed {
                message: "x".into(),
            });
            assert_eq!(state.error.get().as_deref(), Some("x"));
            state.apply(Response::Idle);
            assert!(state.busy.get().is_none());
            assert!(state.recipe().unwrap_err().contains("No features"));
        });
    }

    #[test]
    fn names_follow_their_segments_into_the_recipe() {
        let owner = Owner::new();
        owner.with(|| {
            let mut session = crate::session::Session::default();
            session
                .load(
                    "a.csv",
                    b"id,x\n1,2\n2,5\n3,9\n4,10\n",
                    &segmenta_core::ingest::ReadOptions::default(),
                    &mut segmenta_core::progress::NoProgress,
                )
                .unwrap();
            let state = AppState::new();
            state.features.set(vec![FeatureChoice::plain("x")]);
            state.k_auto.set(false);
            state.k_text.set("2".into());
            // A loaded recipe's names go into the first run.
            state
                .loaded_names
                .set(BTreeMap::from([(0, "Small".to_owned())]));
            let recipe = state.recipe().unwrap();
            assert_eq!(recipe.names[&0], "Small");
            let result = session
                .run(&recipe, &mut segmenta_core::progress::NoProgress)
                .unwrap();
            assert_eq!(result.segments[0].name, "Small");
            state.result_recipe.set(Some(recipe));
            state.apply(Response::Segmented(Box::new(result)));
            assert!(state.loaded_names.get().is_empty());
            assert_eq!(state.segmentations.get(), 1);
            // Renamed in the page: the recipe carries the new name (the segmentation is
            // the same one, so the page shows it again at once) …
            state.apply(Response::Renamed {
                segments: session.rename(&["Small".into(), "Big".into()]).unwrap(),
            });
            assert_eq!(state.segmentations.get(), 1);
            let names = state.recipe().unwrap().names;
            assert_eq!(names.values().collect::<Vec<_>>(), ["Small", "Big"]);
            assert!(!state.result_is_stale());
            // … until other choices would find other segments.
            state.k_text.set("3".into());
            assert!(state.recipe().unwrap().names.is_empty());
        });
    }
}
