//! `cargo xtask bench`: Segmenta's workloads next to the reference tools' on this machine,
//! in the same run, as ratios against the goals in the issues.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::step;
use crate::tools::Toolbox;

/// One comparison row: our workload, the reference workload, and the goal for the ratio.
struct Row {
    name: &'static str,
    ours: &'static str,
    reference: &'static str,
    goal: f64,
}

const ROWS: [Row; 1] = [Row {
    name: "Parse 1,000,000 × 16 CSV (browser) vs pandas read_csv",
    ours: "csv_parse_browser",
    reference: "csv_parse_pandas",
    goal: 0.9,
}];

pub fn bench(root: &Path, quick: bool) -> Result<(), String> {
    let tools = Toolbox::for_tests(root)?;
    let python = tools.python_venv(root, &["scikit-learn", "scipy", "pandas"])?;
    let data = root.join("target/bench");
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;

    step("Reference timings (scikit-learn, scipy, pandas; one thread)");
    let script = root.join("../shared/bench/sklearn_ref.py");
    if !script.exists() {
        return Err(format!(
            "{} not found: the reference script lives in the shared folder next to the repository",
            script.display()
        ));
    }
    let mut args = vec![
        script.display().to_string(),
        "--csv-dir".into(),
        data.display().to_string(),
    ];
    if quick {
        args.push("--quick".into());
    }
    let mut results = json_lines(Command::new(&python).args(&args))?;
    let csv = results
        .get("csv_parse_pandas")
        .and_then(|r| r["file"].as_str())
        .map(str::to_owned)
        .ok_or("the reference script did not report the CSV it wrote")?;

    let site = crate::build_site(root, &tools, &root.join("target/bench-dist"))?;
    step("Segmenta in headless Chromium");
    let mut browser = tools.command("node");
    browser
        .current_dir(root.join("tests/e2e"))
        .arg("bench/browser.mjs")
        .arg(&site)
        .arg(&csv)
        .arg(if quick { "1" } else { "3" })
        .env("CHROMIUM", &tools.chromium);
    results.extend(json_lines(&mut browser)?);

    step("Results (best of runs; ratio = Segmenta / reference, lower is better)");
    println!(
        "{:<58} {:>10} {:>10} {:>7} {:>6}",
        "workload", "segmenta", "reference", "ratio", "goal"
    );
    for row in ROWS {
        let ours = results.get(row.ours).and_then(|r| r["seconds"].as_f64());
        let theirs = results
            .get(row.reference)
            .and_then(|r| r["seconds"].as_f64());
        match (ours, theirs) {
            (Some(a), Some(b)) => {
                let ratio = a / b;
                let verdict = if ratio <= row.goal { "met" } else { "not met" };
                println!(
                    "{:<58} {:>9.3}s {:>9.3}s {:>6.2}× {:>5.1}×  {verdict}",
                    row.name, a, b, ratio, row.goal
                );
            }
            _ => println!("{:<58} missing measurement", row.name),
        }
    }
    if let Some(parse) = results.get("csv_parse_browser") {
        let bytes = parse["bytes"].as_f64().unwrap_or(0.0);
        let memory = parse["peak_wasm_memory_bytes"].as_f64().unwrap_or(0.0);
        if bytes > 0.0 {
            println!(
                "{:<58} {:>9.0}MB {:>9.0}MB {:>6.2}× {:>5.1}×  {}",
                "Peak wasm memory while parsing vs file size",
                memory / 1e6,
                bytes / 1e6,
                memory / bytes,
                2.0,
                if memory / bytes < 2.0 {
                    "met"
                } else {
                    "not met"
                }
            );
        }
    }
    Ok(())
}

/// Runs a command that prints one JSON object per line with a "workload" key.
fn json_lines(cmd: &mut Command) -> Result<BTreeMap<String, Value>, String> {
    eprintln!(
        "$ {}",
        std::iter::once(cmd.get_program())
            .chain(cmd.get_args())
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let out = cmd.output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "benchmark command failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut map = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Ok(v) = serde_json::from_str::<Value>(line)
            && let Some(name) = v["workload"].as_str()
        {
            eprintln!("  {line}");
            map.insert(name.to_owned(), v.clone());
        }
    }
    Ok(map)
}
