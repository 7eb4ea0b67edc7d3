//! `segmenta`: customer segmentation on the command line, with the same engine as the app.
//!
//! Exit codes: 0 on success, 2 when the input or the options are unusable (with one line
//! on stderr saying why and what to do).

// Everything here handles user input: no indexing that could panic.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod args;
mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use segmenta_core::sample::SampleSpec;

use args::{ApplyArgs, ClvArgs, DataArgs, ExportArgs, ReadArgs, RfmArgs, RunArgs};

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
    /// Segment customers: one customer table, or an order log with other files to join.
    Run(Box<RunArgs>),
    /// Assign new customers to the segments saved in a recipe (without refitting), show
    /// who moved since the previous labels, and warn when the data has drifted.
    Apply(Box<ApplyArgs>),
    /// Write the segmented customers for import into Mailchimp, HubSpot or Klaviyo, or as
    /// hashed ad audiences, using the segments saved in a recipe.
    Export(Box<ExportArgs>),
    /// Score customers 1–5 on recency, frequency and monetary value and name their RFM
    /// segment (Champions, Loyal customers, At risk, …), without clustering.
    Rfm(Box<RfmArgs>),
    /// Fit the BG/NBD and Gamma-Gamma models to an order log: each customer's chance of
    /// still being active, expected purchases and lifetime value.
    Clv(Box<ClvArgs>),
    /// Write one row of features per customer (from an order log and any files to join).
    Features {
        #[command(flatten)]
        data: Box<DataArgs>,
        /// Where to write the features CSV.
        #[arg(long)]
        out: PathBuf,
    },
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

/// A failure to report on stderr: one plain sentence.
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run(&args),
        Command::Apply(args) => commands::apply(&args),
        Command::Export(args) => commands::export(&args),
        Command::Rfm(args) => commands::rfm(&args),
        Command::Clv(args) => commands::clv(&args),
        Command::Features { data, out } => commands::features(&data, &out),
        Command::Inspect { file, read } => commands::inspect(&file, &read),
        Command::Parse { file, read } => commands::parse(&file, &read),
        Command::Sample {
            out_dir,
            customers,
            seed,
        } => commands::sample(&out_dir, customers, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("segmenta: {message}");
            ExitCode::from(2)
        }
    }
}
