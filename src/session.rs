//! The worker's state and the work behind each request, as plain Rust.
//!
//! Everything here runs natively in `cargo test`; `worker.rs` only reads files from the
//! browser and moves messages between this and the page.

use segmenta_core::export::labels_csv;
use segmenta_core::features::candidates;
use segmenta_core::ingest::{Loaded, ReadOptions, read_bytes_with};
use segmenta_core::pipeline::{Segmentation, segment};
use segmenta_core::progress::Progress;
use segmenta_core::recipe::Recipe;

use crate::protocol::{ColumnView, DatasetView, Detected, FileView, ResultView};

/// Rows shown in the preview table.
pub const PREVIEW_ROWS: usize = 12;

/// How reading went, measured by whoever read the file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadStats {
    /// Time taken, in milliseconds.
    pub millis: f64,
    /// Memory in use afterwards, in bytes (0 when unknown).
    pub memory_bytes: u64,
    /// Part of `millis` spent waiting for the browser to hand over file bytes.
    pub wait_millis: f64,
}

struct LoadedFile {
    name: String,
    revision: u32,
    bytes: u64,
    loaded: Loaded,
    options: ReadOptions,
    stats: ReadStats,
}

/// Files loaded in this browser tab and the last segmentation.
#[derive(Default)]
pub struct Session {
    files: Vec<LoadedFile>,
    active: Option<usize>,
    result: Option<(usize, Segmentation)>,
}

impl Session {
    /// Adds a file read elsewhere and makes it the active one.
    pub fn add(
        &mut self,
        name: &str,
        bytes: u64,
        loaded: Loaded,
        options: ReadOptions,
        stats: ReadStats,
    ) -> DatasetView {
        self.files.push(LoadedFile {
            name: name.to_owned(),
            revision: 0,
            bytes,
            loaded,
            options,
            stats,
        });
        let index = self.files.len() - 1;
        self.active = Some(index);
        self.view(index)
    }

    /// Replaces file `index` with a new reading of it (other options) and makes it active.
    pub fn replace(
        &mut self,
        index: usize,
        loaded: Loaded,
        options: ReadOptions,
        stats: ReadStats,
    ) -> Result<DatasetView, String> {
        let file = self
            .files
            .get_mut(index)
            .ok_or("That file is no longer loaded. Load it again.")?;
        file.loaded = loaded;
        file.revision += 1;
        file.options = options;
        file.stats = stats;
        if self.result.as_ref().is_some_and(|(i, _)| *i == index) {
            self.result = None;
        }
        self.active = Some(index);
        Ok(self.view(index))
    }

    /// Reads bytes in memory and adds them as a file.
    pub fn load(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: &ReadOptions,
        progress: &mut dyn Progress,
    ) -> Result<DatasetView, String> {
        let loaded =
            read_bytes_with(bytes, options, progress).map_err(|e| format!("{name}: {e}"))?;
        Ok(self.add(
            name,
            bytes.len() as u64,
            loaded,
            options.clone(),
            ReadStats::default(),
        ))
    }

    /// The name and reading options of file `index`.
    pub fn file(&self, index: usize) -> Result<(String, ReadOptions), String> {
        self.files
            .get(index)
            .map(|f| (f.name.clone(), f.options.clone()))
            .ok_or_else(|| "That file is no longer loaded. Load it again.".to_owned())
    }

    /// Makes file `index` the active one.
    pub fn select(&mut self, index: usize) -> Result<DatasetView, String> {
        if index >= self.files.len() {
            return Err("That file is no longer loaded. Load it again.".into());
        }
        self.active = Some(index);
        Ok(self.view(index))
    }

    fn active(&self) -> Result<(usize, &LoadedFile), String> {
        let index = self
            .active
            .ok_or("Load a file first: drop a CSV file above, or try the sample data.")?;
        self.files
            .get(index)
            .map(|f| (index, f))
            .ok_or_else(|| "Load a file first.".to_owned())
    }

    /// Segments the active file.
    pub fn run(
        &mut self,
        recipe: &Recipe,
        progress: &mut dyn Progress,
    ) -> Result<ResultView, String> {
        let (index, file) = self.active()?;
        let result = segment(&file.loaded.table, recipe, progress).map_err(|e| e.to_string())?;
        let view = ResultView {
            rows: result.labels.len(),
            features: result.features.clone(),
            segments: result.segments.clone(),
            overall: result.overall.clone(),
            scores: result.scores.clone(),
            imputed: result.imputed.clone(),
            file_name: file.name.clone(),
        };
        self.result = Some((index, result));
        Ok(view)
    }

    /// The labelled CSV of the last segmentation: file name and bytes.
    pub fn export_labels(&self) -> Result<(String, Vec<u8>), String> {
        let (index, result) = self
            .result
            .as_ref()
            .ok_or("Run a segmentation first; then its labels can be downloaded.")?;
        let file = self
            .files
            .get(*index)
            .ok_or("The segmented file is no longer loaded.")?;
        let stem = file
            .name
            .rsplit_once('.')
            .map_or(file.name.as_str(), |(s, _)| s);
        let bytes = labels_csv(&file.loaded.table, &result.labels, &result.names());
        Ok((format!("{stem}_segments.csv"), bytes))
    }

    fn view(&self, index: usize) -> DatasetView {
        let file = &self.files[index];
        let table = &file.loaded.table;
        let report = &file.loaded.report;
        DatasetView {
            file: FileView {
                index,
                revision: file.revision,
                name: file.name.clone(),
                bytes: file.bytes,
                rows: table.n_rows(),
                columns: table.columns().len(),
                encoding: report.encoding.label().to_owned(),
                delimiter: report.dialect.separator.name(),
                has_header: report.dialect.has_header,
                decimal: report.decimal.char().to_string(),
                problems: report.problems.clone(),
                problem_count: report.problem_count,
                renamed: report.renamed_columns.clone(),
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
                memory_bytes: file.stats.memory_bytes,
            },
            columns: table
                .columns()
                .iter()
                .map(|c| ColumnView {
                    name: c.name.clone(),
                    kind: c.kind,
                    missing: c.missing,
                    distinct: c.distinct(),
                    pii: c.pii.map(|p| p.label().to_owned()),
                })
                .collect(),
            preview: table.preview(PREVIEW_ROWS),
            candidates: candidates(table),
            id_column: table.id_column().map(|c| c.name.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use segmenta_core::ingest::{Separator, read_bytes};
    use segmenta_core::progress::NoProgress;
    use segmenta_core::sample::{CUSTOMERS_FILE, SampleSpec, generate};

    fn sample(s: &mut Session) -> DatasetView {
        let data = generate(SampleSpec::default());
        s.load(
            CUSTOMERS_FILE,
            data.customers_csv.as_bytes(),
            &ReadOptions::default(),
            &mut NoProgress,
        )
        .unwrap()
    }

    #[test]
    fn sample_loads_runs_and_exports_every_row() {
        let mut s = Session::default();
        let view = sample(&mut s);
        assert_eq!(view.file.rows, 2_000);
        assert_eq!(view.preview.len(), PREVIEW_ROWS);
        let features: Vec<String> = view
            .candidates
            .iter()
            .filter(|c| c.default)
            .map(|c| c.name.clone())
            .collect();
        let recipe = Recipe::new(features);
        let result = s.run(&recipe, &mut NoProgress).unwrap();
        assert_eq!(result.segments.len(), 4);
        assert_eq!(result.segments.iter().map(|s| s.size).sum::<usize>(), 2_000);
        let (name, bytes) = s.export_labels().unwrap();
        assert_eq!(name, "sample_customers_segments.csv");
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 2_001);
        assert!(text.starts_with("customer_id,segment,segment_name\nC10001,"));
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
            s.export_labels()
                .unwrap_err()
                .starts_with("Run a segmentation first")
        );
    }

    #[test]
    fn reading_again_with_other_options_replaces_the_file_and_its_result() {
        let mut s = Session::default();
        let bytes = b"a;b\n1,5;2\n2,5;3\n";
        let first = s
            .load("eu.csv", bytes, &ReadOptions::default(), &mut NoProgress)
            .unwrap();
        assert_eq!(first.file.detected.separator, Separator::Byte(b';'));
        let options = ReadOptions {
            delimiter: Some(Separator::Byte(b',')),
            ..ReadOptions::default()
        };
        let loaded = read_bytes(bytes, &options).unwrap();
        let again = s
            .replace(
                0,
                loaded,
                options.clone(),
                ReadStats {
                    millis: 1.0,
                    ..ReadStats::default()
                },
            )
            .unwrap();
        assert_eq!((again.file.index, again.file.revision), (0, 1));
        assert_eq!(again.file.options, options);
        assert_eq!(again.file.detected.separator, Separator::Byte(b','));
        assert_eq!(s.file(0).unwrap(), ("eu.csv".to_owned(), options));
        assert!(
            s.replace(
                5,
                read_bytes(bytes, &ReadOptions::default()).unwrap(),
                ReadOptions::default(),
                ReadStats::default()
            )
            .is_err()
        );
    }
}
