//! `segmenta`: customer segmentation on the command line, with the same engine as the app.
//!
//! Exit codes: 0 on success, 2 when the input or the options are unusable (with one line
//! on stderr saying why and what to do).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use segmenta_core::date::DateOrder;
use segmenta_core::export::{labels_csv, to_json};
use segmenta_core::features::Scale;
use segmenta_core::ingest::{
    Loaded, ReadOptions, Separator, TextEncoding, parse_records, read_seekable,
};
use segmenta_core::pipeline::segment;
use segmenta_core::progress::NoProgress;
use segmenta_core::recipe::Recipe;
use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE, SampleSpec, generate};
use segmenta_core::table::Decimal;
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "segmenta",
    version,
    about = "Customer segmentation from CSV exports, on your own machine."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Segment the customers in a CSV file.
    Run(RunArgs),
    /// Describe how a CSV file reads: encoding, delimiter, columns and problems (JSON).
    Inspect {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Print the records of a CSV file exactly as parsed (JSON), for checking the parser.
    Parse {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Write the built-in sample data (customers and orders) as CSV files.
    Sample {
        /// Folder to write the files to.
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
        /// Number of customers.
        #[arg(long, default_value_t = SampleSpec::default().customers)]
        customers: usize,
        /// Seed.
        #[arg(long, default_value_t = SampleSpec::default().seed)]
        seed: u64,
    },
}

/// How to read a file; anything not given is detected.
#[derive(clap::Args, Default)]
struct ReadArgs {
    /// Field delimiter: , ; tab | : or whitespace.
    #[arg(long)]
    delimiter: Option<String>,
    /// The first row is data, not column names.
    #[arg(long)]
    no_header: bool,
    /// Text encoding: utf-8, windows-1252 (latin1), utf-16le, utf-16be.
    #[arg(long)]
    encoding: Option<String>,
    /// Decimal separator: . or ,
    #[arg(long)]
    decimal: Option<String>,
    /// Order of day and month in dates like 01/02/2010: dmy or mdy.
    #[arg(long)]
    date_order: Option<String>,
    /// An extra word meaning "missing", e.g. unknown.
    #[arg(long)]
    missing: Option<String>,
}

impl ReadArgs {
    fn options(&self) -> Result<ReadOptions, Failure> {
        let delimiter = match &self.delimiter {
            Some(d) => Some(Separator::parse(d).ok_or_else(|| {
                Failure(format!(
                    "--delimiter {d:?}: use one of , ; tab | : whitespace."
                ))
            })?),
            None => None,
        };
        let encoding = match &self.encoding {
            Some(e) => Some(TextEncoding::from_name(e).ok_or_else(|| {
                Failure(format!(
                    "--encoding {e:?}: use utf-8, windows-1252, utf-16le or utf-16be."
                ))
            })?),
            None => None,
        };
        let decimal = match self.decimal.as_deref() {
            None => None,
            Some(".") => Some(Decimal::Point),
            Some(",") => Some(Decimal::Comma),
            Some(d) => return Err(Failure(format!("--decimal {d:?}: use . or ,"))),
        };
        let date_order = match self
            .date_order
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None => None,
            Some("dmy") => Some(DateOrder::Dmy),
            Some("mdy") => Some(DateOrder::Mdy),
            Some("ymd") => Some(DateOrder::Ymd),
            Some(d) => return Err(Failure(format!("--date-order {d:?}: use dmy or mdy."))),
        };
        Ok(ReadOptions {
            delimiter,
            encoding,
            has_header: self.no_header.then_some(false),
            decimal,
            date_order,
            missing_token: self.missing.clone(),
        })
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// The CSV file.
    file: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// Feature columns, comma-separated (default: every usable numeric column).
    #[arg(long, value_delimiter = ',')]
    features: Option<Vec<String>>,
    /// Number of segments.
    #[arg(long)]
    k: Option<usize>,
    /// Seed for reproducible segments.
    #[arg(long)]
    seed: Option<u64>,
    /// How features are scaled.
    #[arg(long, value_enum)]
    scale: Option<ScaleArg>,
    /// A recipe saved by Segmenta; other options override it.
    #[arg(long)]
    recipe: Option<PathBuf>,
    /// Write the JSON report here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Write the labelled CSV here.
    #[arg(long)]
    labels: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScaleArg {
    Standard,
    None,
}

impl From<ScaleArg> for Scale {
    fn from(s: ScaleArg) -> Scale {
        match s {
            ScaleArg::Standard => Scale::Standard,
            ScaleArg::None => Scale::None,
        }
    }
}

/// A failure to report on stderr: one plain sentence.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Inspect { file, read } => inspect(&file, &read),
        Command::Parse { file, read } => parse(&file, &read),
        Command::Sample {
            out_dir,
            customers,
            seed,
        } => sample(&out_dir, customers, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("segmenta: {message}");
            ExitCode::from(2)
        }
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))
}

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

fn print_json(value: &serde_json::Value) {
    print!("{}", to_json(value));
}

fn inspect(path: &Path, read: &ReadArgs) -> Result<(), Failure> {
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

fn parse(path: &Path, read: &ReadArgs) -> Result<(), Failure> {
    let bytes = read_file(path)?;
    let (parsed, _, _) = parse_records(&bytes, &read.options()?)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    print_json(&json!(parsed));
    Ok(())
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let loaded = load(&args.file, &args.read)?;
    let table = &loaded.table;
    let mut recipe = match &args.recipe {
        Some(path) => Recipe::from_json(&String::from_utf8_lossy(&read_file(path)?))?,
        None => Recipe::for_table(table),
    };
    if let Some(features) = args.features {
        recipe = recipe.with_features(
            features
                .into_iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect(),
        );
    }
    if let Some(k) = args.k {
        recipe = recipe.with_k(k);
    }
    if let Some(seed) = args.seed {
        recipe = recipe.with_seed(seed);
    }
    if let Some(scale) = args.scale {
        recipe = recipe.with_scale(scale.into());
    }
    let result = segment(table, &recipe, &mut NoProgress)?;
    if let Some(path) = &args.report {
        write_file(path, to_json(&result.report()).as_bytes())?;
    }
    if let Some(path) = &args.labels {
        write_file(path, &labels_csv(table, &result.labels, &result.names()))?;
    }
    let s = &result.scores;
    println!(
        "{} customers, {} segments on {} features · silhouette {:.3} · Calinski-Harabasz {:.1} · Davies-Bouldin {:.3}",
        result.labels.len(),
        result.segments.len(),
        result.features.len(),
        s.silhouette,
        s.calinski_harabasz,
        s.davies_bouldin
    );
    for seg in &result.segments {
        println!(
            "  {:>2}  {:>6}  {:>5.1}%  {}",
            seg.id,
            seg.size,
            seg.share * 100.0,
            seg.name
        );
    }
    Ok(())
}

fn sample(out_dir: &Path, customers: usize, seed: u64) -> Result<(), Failure> {
    if customers == 0 {
        return Err(Failure("--customers must be at least 1.".into()));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Failure(format!("cannot create {}: {e}", out_dir.display())))?;
    let data = generate(SampleSpec { customers, seed });
    write_file(&out_dir.join(CUSTOMERS_FILE), data.customers_csv.as_bytes())?;
    write_file(&out_dir.join(ORDERS_FILE), data.orders_csv.as_bytes())?;
    println!(
        "wrote {} and {} to {}",
        CUSTOMERS_FILE,
        ORDERS_FILE,
        out_dir.display()
    );
    Ok(())
}
