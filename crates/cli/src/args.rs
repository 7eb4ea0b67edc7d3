//! Command-line options shared by several commands, and turning them into engine settings.

use std::path::PathBuf;

use clap::ValueEnum;
use segmenta_core::cluster::{Algorithm, Auto, Covariance, Linkage};
use segmenta_core::date::DateOrder;
use segmenta_core::explain::lifetime::LifetimeOptions;
use segmenta_core::features::Scale;
use segmenta_core::features::btyd::TimeUnit;
use segmenta_core::features::orders::{Amount, OrderRoles};
use segmenta_core::features::roles::{FilePlan, guess};
use segmenta_core::ingest::{ReadOptions, Separator, TextEncoding};
use segmenta_core::recipe::Recipe;
use segmenta_core::table::{ColumnChoice, Decimal, Table};

use crate::Failure;

/// How to read a file; anything not given is detected.
#[derive(clap::Args, Default)]
pub struct ReadArgs {
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
    /// Read a column as a kind, NAME=KIND: number, boolean, date, categorical, text, id,
    /// or personal (personal data, never a feature). Repeat for more columns.
    #[arg(long = "column", value_name = "NAME=KIND")]
    columns: Vec<String>,
}

impl ReadArgs {
    /// The reading options these flags ask for.
    pub fn options(&self) -> Result<ReadOptions, Failure> {
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
            columns: self
                .columns
                .iter()
                .map(|c| column_choice(c))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// `NAME=KIND` of `--column`.
fn column_choice(text: &str) -> Result<(String, ColumnChoice), Failure> {
    let kinds = || ColumnChoice::ALL.map(ColumnChoice::key).join(", ");
    let (name, kind) = text.rsplit_once('=').ok_or_else(|| {
        Failure(format!(
            "--column {text:?}: write the column name, = and a kind ({}), e.g. --column zip=id.",
            kinds()
        ))
    })?;
    let choice =
        ColumnChoice::from_key(kind.trim().to_ascii_lowercase().as_str()).ok_or_else(|| {
            Failure(format!(
                "--column {text:?}: {kind:?} is not a kind; use one of {}.",
                kinds()
            ))
        })?;
    Ok((name.to_owned(), choice))
}

/// The files to use and what plays which part in them.
#[derive(clap::Args)]
pub struct DataArgs {
    /// CSV files: one customer table, or an order log plus files to join (customer lists,
    /// event logs).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// A recipe saved by Segmenta; the options below override it.
    #[arg(long)]
    pub recipe: Option<PathBuf>,
    /// Customer id column of the order log (with --date and --amount or --quantity/--price).
    #[arg(long)]
    customer: Option<String>,
    /// Order date column of the order log.
    #[arg(long)]
    date: Option<String>,
    /// Line value column of the order log.
    #[arg(long, conflicts_with_all = ["quantity", "price"])]
    amount: Option<String>,
    /// Quantity column (value = quantity × price).
    #[arg(long, requires = "price")]
    quantity: Option<String>,
    /// Unit price column.
    #[arg(long, requires = "quantity")]
    price: Option<String>,
    /// Invoice or order number column.
    #[arg(long)]
    invoice: Option<String>,
    /// Analysis date, YYYY-MM-DD (default: the day after the last order).
    #[arg(long)]
    as_of: Option<String>,
    /// Time unit of the lifetime-value summary.
    #[arg(long, value_enum)]
    unit: Option<UnitArg>,
}

/// Time units on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum UnitArg {
    /// Days.
    Days,
    /// Weeks.
    Weeks,
}

/// Scalings on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum ScaleArg {
    /// Mean 0, standard deviation 1.
    Standard,
    /// Median 0, interquartile range 1.
    Robust,
    /// From 0 to 1.
    Minmax,
    /// As is.
    None,
}

/// Projections on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum ProjectionArg {
    /// Principal components: the two (three) directions in which customers differ most.
    Pca,
    /// UMAP: a neighbour map that keeps each customer next to those most like them.
    Umap,
}

/// Algorithms on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum AlgorithmArg {
    /// k-means.
    Kmeans,
    /// Gaussian mixture.
    Gmm,
    /// DBSCAN (finds k itself; outliers are segment -1).
    Dbscan,
    /// Agglomerative clustering.
    Hierarchical,
    /// k-prototypes (numbers plus categories).
    Kprototypes,
}

/// Linkages on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum LinkageArg {
    /// Least added spread.
    Ward,
    /// Farthest members.
    Complete,
    /// Mean distance.
    Average,
    /// Nearest members.
    Single,
}

/// Covariance shapes on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum CovarianceArg {
    /// Any ellipse.
    Full,
    /// Axis-aligned ellipses.
    Diagonal,
    /// Round.
    Spherical,
}

/// `auto` or a value.
fn auto_or<T: std::str::FromStr>(flag: &str, text: &str) -> Result<Auto<T>, Failure> {
    if text.trim().eq_ignore_ascii_case("auto") {
        return Ok(Auto::Auto);
    }
    text.trim()
        .parse()
        .map(Auto::Value)
        .map_err(|_| Failure(format!("{flag} {text:?}: give a number or auto.")))
}

impl RunArgs {
    /// Applies the clustering flags to `recipe`.
    pub fn apply_clustering(&self, mut recipe: Recipe) -> Result<Recipe, Failure> {
        let c = &mut recipe.clustering;
        if let Some(a) = self.algorithm {
            let id = match a {
                AlgorithmArg::Kmeans => "kmeans",
                AlgorithmArg::Gmm => "gmm",
                AlgorithmArg::Dbscan => "dbscan",
                AlgorithmArg::Hierarchical => "hierarchical",
                AlgorithmArg::Kprototypes => "kprototypes",
            };
            if c.algorithm.id() != id {
                c.algorithm = Algorithm::from_id(id).unwrap_or_default();
            }
        }
        let wrong = |flag: &str, algorithms: &str, now: &Algorithm| {
            Failure(format!(
                "{flag} applies to {algorithms}, but the algorithm is {}. Add --algorithm or leave {flag} out.",
                now.id()
            ))
        };
        let now = c.algorithm.clone();
        if let Some(n) = self.n_init {
            match &mut c.algorithm {
                Algorithm::Kmeans { n_init }
                | Algorithm::Gmm { n_init, .. }
                | Algorithm::Kprototypes { n_init, .. } => *n_init = n,
                _ => return Err(wrong("--n-init", "kmeans, gmm and kprototypes", &now)),
            }
        }
        if let Some(text) = &self.eps {
            let value = auto_or("--eps", text)?;
            match &mut c.algorithm {
                Algorithm::Dbscan { eps, .. } => *eps = value,
                _ => return Err(wrong("--eps", "dbscan", &now)),
            }
        }
        if let Some(m) = self.min_samples {
            match &mut c.algorithm {
                Algorithm::Dbscan { min_samples, .. } => *min_samples = m,
                _ => return Err(wrong("--min-samples", "dbscan", &now)),
            }
        }
        if let Some(l) = self.linkage {
            match &mut c.algorithm {
                Algorithm::Hierarchical { linkage } => {
                    *linkage = match l {
                        LinkageArg::Ward => Linkage::Ward,
                        LinkageArg::Complete => Linkage::Complete,
                        LinkageArg::Average => Linkage::Average,
                        LinkageArg::Single => Linkage::Single,
                    }
                }
                _ => return Err(wrong("--linkage", "hierarchical", &now)),
            }
        }
        if let Some(cov) = self.covariance {
            match &mut c.algorithm {
                Algorithm::Gmm { covariance, .. } => {
                    *covariance = match cov {
                        CovarianceArg::Full => Covariance::Full,
                        CovarianceArg::Diagonal => Covariance::Diagonal,
                        CovarianceArg::Spherical => Covariance::Spherical,
                    }
                }
                _ => return Err(wrong("--covariance", "gmm", &now)),
            }
        }
        if let Some(text) = &self.k {
            if !c.algorithm.takes_k() {
                return Err(Failure(
                    "DBSCAN finds the number of segments itself; leave out --k (use --eps and --min-samples to tune it).".into(),
                ));
            }
            c.k = auto_or("--k", text)?;
        }
        if let Some(seed) = self.seed {
            c.seed = seed;
        }
        if let Some(columns) = &self.categorical {
            recipe.categorical = columns
                .iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect();
        }
        Ok(recipe)
    }
}

impl From<ScaleArg> for Scale {
    fn from(s: ScaleArg) -> Scale {
        match s {
            ScaleArg::Standard => Scale::Standard,
            ScaleArg::Robust => Scale::Robust,
            ScaleArg::Minmax => Scale::MinMax,
            ScaleArg::None => Scale::None,
        }
    }
}

/// `segmenta rfm` options.
#[derive(clap::Args)]
pub struct RfmArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write each customer's scores, RFM code and segment (CSV).
    #[arg(long)]
    pub out: PathBuf,
    /// Column of days since the last order (default: found by name).
    #[arg(long)]
    pub recency: Option<String>,
    /// Column of the number of orders (default: found by name).
    #[arg(long)]
    pub frequency: Option<String>,
    /// Column of the total spent (default: found by name).
    #[arg(long)]
    pub monetary: Option<String>,
}

/// `segmenta clv` options.
#[derive(clap::Args)]
pub struct ClvArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write the fitted models and warnings (JSON).
    #[arg(long)]
    pub report: PathBuf,
    /// Where to write each customer's predictions (CSV).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// How far ahead to predict, in days.
    #[arg(long, default_value_t = LifetimeOptions::default().horizon_days)]
    pub horizon_days: f64,
    /// Discount rate per 30-day month for lifetime value, e.g. 0.01.
    #[arg(long, default_value_t = LifetimeOptions::default().monthly_discount_rate)]
    pub discount_rate: f64,
}

/// `segmenta export` options.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The files (with the customer list holding emails, phones and names) and the recipe
    /// (--recipe, saved with its fitted segments by `segmenta run --save-recipe`).
    #[command(flatten)]
    pub data: DataArgs,
    /// The import format.
    #[arg(long, value_enum)]
    pub preset: PresetArg,
    /// Where to write the file; ads-hashed writes one file per segment next to it
    /// (`NAME_<segment>.csv`).
    #[arg(long)]
    pub out: PathBuf,
    /// Country calling code (e.g. 44) for phone numbers written without one, for
    /// ads-hashed; without it such numbers are left out.
    #[arg(long)]
    pub country_code: Option<String>,
}

/// An import format for `segmenta export`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum PresetArg {
    /// Mailchimp audience import (Email Address first, segment as Tags).
    Mailchimp,
    /// HubSpot contacts import.
    Hubspot,
    /// Klaviyo list import.
    Klaviyo,
    /// Hashed (SHA-256) customer-match audiences, one file per segment.
    AdsHashed,
}

impl From<PresetArg> for segmenta_core::export::presets::Preset {
    fn from(p: PresetArg) -> Self {
        use segmenta_core::export::presets::Preset;
        match p {
            PresetArg::Mailchimp => Preset::Mailchimp,
            PresetArg::Hubspot => Preset::Hubspot,
            PresetArg::Klaviyo => Preset::Klaviyo,
            PresetArg::AdsHashed => Preset::AdsHashed,
        }
    }
}

/// `segmenta apply` options.
#[derive(clap::Args)]
pub struct ApplyArgs {
    /// The new files and the recipe (--recipe, saved by `segmenta run --save-recipe`).
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write the labelled CSV.
    #[arg(long)]
    pub labels: PathBuf,
    /// Columns to add to the labelled CSV, such as contact details flagged as personal
    /// data (never used as features): --attach email,first_name.
    #[arg(long, value_delimiter = ',')]
    pub attach: Vec<String>,
    /// The labelled CSV exported last time, to see who moved between segments.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Where to write the migration table (CSV: from, to, customers); needs --previous.
    #[arg(long)]
    pub migration: Option<PathBuf>,
    /// Where to write segment sizes, drift per feature and the migration (JSON).
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// `segmenta run` options.
#[derive(clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Feature columns, comma-separated (default: the recommended features).
    #[arg(long, value_delimiter = ',')]
    pub features: Option<Vec<String>>,
    /// Number of segments: a number, or auto to compare 2..10 and take the recommendation.
    #[arg(long)]
    pub k: Option<String>,
    /// Clustering algorithm.
    #[arg(long, value_enum)]
    pub algorithm: Option<AlgorithmArg>,
    /// Restarts for kmeans, gmm and kprototypes (the best is kept).
    #[arg(long)]
    pub n_init: Option<usize>,
    /// DBSCAN neighbourhood distance in scaled units, or auto.
    #[arg(long)]
    pub eps: Option<String>,
    /// DBSCAN: customers needed within eps for a dense neighbourhood.
    #[arg(long)]
    pub min_samples: Option<usize>,
    /// Hierarchical linkage.
    #[arg(long, value_enum)]
    pub linkage: Option<LinkageArg>,
    /// Gaussian-mixture covariance shape.
    #[arg(long, value_enum)]
    pub covariance: Option<CovarianceArg>,
    /// Categorical columns to use, comma-separated (one-hot, or as categories with
    /// kprototypes).
    #[arg(long, value_delimiter = ',')]
    pub categorical: Option<Vec<String>>,
    /// Seed for reproducible segments.
    #[arg(long)]
    pub seed: Option<u64>,
    /// How every feature is scaled.
    #[arg(long, value_enum)]
    pub scale: Option<ScaleArg>,
    /// Write the JSON report here.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write the labelled CSV here.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Columns to add to the labelled CSV, such as contact details flagged as personal
    /// data (never used as features): --attach email,first_name.
    #[arg(long, value_delimiter = ',', requires = "labels")]
    pub attach: Vec<String>,
    /// Projection for --embedding: pca (principal components of the features) or umap
    /// (a neighbour map; 50,000 customers laid out in full, the rest placed by neighbours).
    #[arg(long, value_enum, default_value = "pca")]
    pub projection: ProjectionArg,
    /// Write the printable report here (HTML: segments, method, quality and a model
    /// card; print it to PDF from a browser).
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write why each customer is in their segment here (CSV: segment, fit, runner-up,
    /// the features that put them there, and the explanation in words).
    #[arg(long)]
    pub why: Option<PathBuf>,
    /// Write each customer's map coordinates here (CSV: id, segment, x, y, z).
    #[arg(long)]
    pub embedding: Option<PathBuf>,
    /// Write the recipe actually used here (every choice, no customer data), to rerun it
    /// later with --recipe or load it in the app.
    #[arg(long)]
    pub save_recipe: Option<PathBuf>,
    /// A sensitive column (gender, age band, country) to check the segments' composition
    /// against; written to the report as "fairness", never used as a feature.
    #[arg(long)]
    pub sensitive: Option<String>,
}

impl DataArgs {
    /// The recipe given with --recipe, if any.
    pub fn recipe(&self) -> Result<Option<Recipe>, Failure> {
        match &self.recipe {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
                Ok(Some(Recipe::from_json(&text)?))
            }
            None => Ok(None),
        }
    }

    /// What each loaded table is: from the recipe when it describes as many files,
    /// otherwise guessed; the role flags then override the order log (or the first file).
    pub fn plans(
        &self,
        tables: &[Table],
        recipe: Option<&Recipe>,
    ) -> Result<Vec<FilePlan>, Failure> {
        let mut plans: Vec<FilePlan> = match recipe {
            Some(r) if r.data.files.len() == tables.len() => {
                r.data.files.iter().map(|f| f.plan.clone()).collect()
            }
            _ => tables.iter().map(|t| guess(t).plan).collect(),
        };
        let any_role = self.customer.is_some()
            || self.date.is_some()
            || self.amount.is_some()
            || self.quantity.is_some()
            || self.invoice.is_some();
        if any_role {
            let target = plans
                .iter()
                .position(|p| matches!(p, FilePlan::Orders(_)))
                .unwrap_or(0);
            let guessed = match plans.get(target) {
                Some(FilePlan::Orders(r)) => Some(r.clone()),
                _ => None,
            };
            let file_name = self
                .files
                .get(target)
                .map_or_else(String::new, |f| f.display().to_string());
            let need = |flag: &Option<String>, from_guess: Option<String>, name: &str| {
                flag.clone().or(from_guess).ok_or_else(|| {
                    Failure(format!(
                        "--{name} is needed to read {file_name} as an order log."
                    ))
                })
            };
            let amount = match (&self.amount, &self.quantity, &self.price) {
                (Some(a), _, _) => Amount::Column { name: a.clone() },
                (_, Some(q), Some(p)) => Amount::QuantityPrice {
                    quantity: q.clone(),
                    price: p.clone(),
                },
                _ => guessed.as_ref().map(|g| g.amount.clone()).ok_or_else(|| {
                    Failure(
                        "--amount (or --quantity and --price) is needed to read the order log."
                            .into(),
                    )
                })?,
            };
            let plan = FilePlan::Orders(OrderRoles {
                customer: need(
                    &self.customer,
                    guessed.as_ref().map(|g| g.customer.clone()),
                    "customer",
                )?,
                date: need(&self.date, guessed.as_ref().map(|g| g.date.clone()), "date")?,
                amount,
                invoice: self
                    .invoice
                    .clone()
                    .or(guessed.as_ref().and_then(|g| g.invoice.clone())),
                product: guessed.as_ref().and_then(|g| g.product.clone()),
                category: guessed.as_ref().and_then(|g| g.category.clone()),
                channel: guessed.as_ref().and_then(|g| g.channel.clone()),
            });
            if let Some(slot) = plans.get_mut(target) {
                *slot = plan;
            }
        }
        Ok(plans)
    }

    /// `recipe` with the analysis date and unit flags applied.
    pub fn apply_data_flags(&self, mut recipe: Recipe) -> Recipe {
        if let Some(d) = &self.as_of {
            recipe.data.as_of = Some(d.clone());
        }
        if let Some(u) = self.unit {
            recipe.data.unit = match u {
                UnitArg::Days => TimeUnit::Days,
                UnitArg::Weeks => TimeUnit::Weeks,
            };
        }
        recipe
    }
}
