//! `cargo xtask fuzz`: coverage-guided fuzzing of the parser, the recipe loader and the
//! whole pipeline with libFuzzer, on the stable toolchain.
//!
//! The targets live in `fuzz/` in cargo-fuzz's layout. Building them needs only stable
//! compiler flags (SanitizerCoverage through LLVM options), so no nightly toolchain and no
//! cargo-fuzz install is needed; memory safety is Rust's own (the core has no `unsafe`),
//! so AddressSanitizer, the one nightly-only part of `cargo fuzz`, adds little here.
//!
//! Each target starts from its committed corpus (`fuzz/corpus/<target>`). New inputs found
//! in a run go to `target/fuzz/new/<target>`, so a test run leaves the checkout clean;
//! `cargo xtask fuzz --keep` merges those that add coverage into the committed corpus.

use std::path::Path;
use std::process::Command;

use crate::{run, step};

/// The targets, in the order they run.
pub const TARGETS: [&str; 3] = ["read_csv", "recipe", "pipeline"];

/// Instrumentation for libFuzzer (what cargo-fuzz passes, minus the sanitizer).
const RUSTFLAGS: &str = "-Cpasses=sancov-module \
    -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
    -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares \
    --cfg fuzzing";

/// Builds every target and runs each for `seconds`.
pub fn fuzz(root: &Path, seconds: u64, keep: bool) -> Result<(), String> {
    let target_dir = root.join("target/fuzz");
    step("Building the fuzz targets (libFuzzer, stable toolchain)");
    // With an explicit target, RUSTFLAGS instrument the targets but not build scripts and
    // proc macros (which would not link without libFuzzer).
    let host = host_triple()?;
    run(Command::new("cargo")
        .current_dir(root.join("fuzz"))
        .args(["build", "--release", "--bins", "--quiet", "--target", &host])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", RUSTFLAGS))?;
    for target in TARGETS {
        step(&format!("Fuzzing `{target}` for {seconds} s"));
        let corpus = root.join("fuzz/corpus").join(target);
        let new = target_dir.join("new").join(target);
        let artifacts = target_dir.join("artifacts").join(target);
        for dir in [&corpus, &new, &artifacts] {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        }
        let binary = target_dir.join(&host).join("release").join(target);
        // libFuzzer writes new inputs into the first directory and reads the others. Its
        // running commentary goes to a log; the summary and any failure are shown.
        let log = target_dir.join(format!("{target}.log"));
        let log_file = std::fs::File::create(&log)
            .map_err(|e| format!("could not create {}: {e}", log.display()))?;
        let outcome = run(Command::new(&binary)
            .stderr(log_file)
            .arg(&new)
            .arg(&corpus)
            .arg(format!("-max_total_time={seconds}"))
            .arg("-max_len=16384")
            // An input that takes over 10 s is a hang; more than 2 GB is a leak.
            .arg("-timeout=10")
            .arg("-rss_limit_mb=2048")
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", artifacts.display())));
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Err(e) = outcome {
            let tail: Vec<&str> = text.lines().rev().take(60).collect();
            for line in tail.iter().rev() {
                eprintln!("{line}");
            }
            return Err(format!(
                "{e}\nThe fuzzer found an input that fails `{target}`; it is in {}. \
                 Run `{} <that file>` to see the failure (the whole log: {}).",
                artifacts.display(),
                binary.display(),
                log.display()
            ));
        }
        for line in text.lines().filter(|l| {
            l.starts_with("stat::number_of_executed_units")
                || l.starts_with("stat::new_units_added")
                || l.starts_with("INFO: seed corpus")
        }) {
            eprintln!("   {line}");
        }
        if keep {
            // Only the inputs that add coverage join the committed corpus.
            run(Command::new(&binary).arg("-merge=1").arg(&corpus).arg(&new))?;
        }
    }
    Ok(())
}

/// The triple of the machine we run on, e.g. `x86_64-unknown-linux-gnu`.
fn host_triple() -> Result<String, String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| format!("could not run rustc: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV did not name the host".to_owned())
}
