//! `cargo xtask bench`: Segmenta's workloads next to the reference tools' on this machine,
//! in the same run, as ratios against the goals in the issues.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::step;
use crate::tools::Toolbox;

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
    let mut reference = Command::new(&python);
    reference.args(&args);
    // The goals compare single-threaded runs: the browser worker is one thread too.
    for var in [
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    ] {
        reference.env(var, "1");
    }
    let mut results = json_lines(&mut reference)?;
    let csv = results
        .get("csv_parse_pandas")
        .and_then(|r| r["file"].as_str())
        .map(str::to_owned)
        .ok_or("the reference script did not report the CSV it wrote")?;

    step("Native benchmarks (Criterion, segmenta-bench)");
    let mut native = tools.command("cargo");
    native
        .current_dir(root)
        .args(["bench", "-p", "segmenta-bench", "--bench", "native"]);
    if quick {
        native.env("SEGMENTA_BENCH_QUICK", "1");
    }
    results.extend(json_lines(&mut native)?);

    step("The same workloads in WebAssembly in headless Chromium");
    let mut wasm = tools.command("cargo");
    wasm.current_dir(root)
        .args([
            "test",
            "-p",
            "segmenta-bench",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "browser",
            "--",
            "--include-ignored",
            "--nocapture",
        ])
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "1800");
    if quick {
        wasm.env("SEGMENTA_BENCH_QUICK", "1");
    }
    results.extend(json_lines(&mut wasm)?);

    let site = crate::build_site(root, &tools, &root.join("target/bench-dist"))?;
    step("CSV parsing in the app's worker in headless Chromium");
    let mut browser = tools.command("node");
    browser
        .current_dir(root.join("tests/e2e"))
        .arg("bench/browser.mjs")
        .arg(&site)
        .arg(&csv)
        .arg(if quick { "1" } else { "3" })
        .arg(if quick { "2000" } else { "10000" })
        .arg(root.join("../shared/datasets/online_retail.csv"))
        // Copies of Online Retail in the big order log (19: 10.3 million lines).
        .arg(if quick { "2" } else { "19" })
        .env("CHROMIUM", &tools.chromium);
    results.extend(json_lines(&mut browser)?);

    step("Results (best of runs; ratio = Segmenta in the browser / reference, lower is better)");
    print_table(&results, root);
    if quick {
        println!(
            "--quick: a tenth of the rows (the labels name the full sizes); at these sizes fixed costs weigh more, so the ratios are not the goals' ratios."
        );
    }
    Ok(())
}

/// One line of the results table.
struct Line {
    label: String,
    browser: Option<f64>,
    native: Option<f64>,
    reference: Option<f64>,
    goal: f64,
}

fn print_table(results: &BTreeMap<String, Value>, root: &Path) {
    let mut lines = vec![Line {
        label: "Parse 1,000,000 × 16 CSV vs pandas read_csv".into(),
        browser: seconds(results, "csv_parse_browser"),
        native: None,
        reference: seconds(results, "csv_parse_pandas"),
        goal: 0.9,
    }];
    // In the order the workloads are listed (the browser run numbers them).
    let mut listed: Vec<(&String, &Value)> = results.iter().collect();
    listed.sort_by_key(|(_, v)| v["index"].as_u64().unwrap_or(u64::MAX));
    for (key, v) in listed {
        let Some(name) = key.strip_suffix("_browser") else {
            continue;
        };
        let (Some(label), Some(reference)) = (v["label"].as_str(), v["reference"].as_str()) else {
            continue;
        };
        lines.push(Line {
            label: label.to_owned(),
            browser: v["seconds"].as_f64(),
            native: criterion_seconds(root, name),
            reference: seconds(results, reference),
            goal: v["goal"].as_f64().unwrap_or(1.0),
        });
    }
    let time = |t: Option<f64>| t.map_or("—".to_owned(), |t| format!("{t:.3} s"));
    println!(
        "{:<55} {:>10} {:>10} {:>10} {:>7} {:>6}",
        "workload", "browser", "native", "reference", "ratio", "goal"
    );
    for l in &lines {
        let (ratio, verdict) = match (l.browser, l.reference) {
            (Some(a), Some(b)) if b > 0.0 => {
                let r = a / b;
                (
                    format!("{r:.2}×"),
                    if r <= l.goal { "met" } else { "not met" },
                )
            }
            _ => ("—".to_owned(), "missing measurement"),
        };
        println!(
            "{:<55} {:>10} {:>10} {:>10} {:>7} {:>5.1}×  {verdict}",
            l.label,
            time(l.browser),
            time(l.native),
            time(l.reference),
            ratio,
            l.goal
        );
    }
    let mb = |b: f64| format!("{:.1} MB", b / 1e6);
    if let Some(ward) = results.get("ward_peak_heap_native") {
        let bytes = ward["bytes"].as_f64().unwrap_or(f64::NAN);
        let rows = ward["rows"].as_u64().unwrap_or(0);
        let growth = results
            .get("ward_memory_growth_browser")
            .and_then(|w| w["bytes"].as_f64());
        println!(
            "Ward memory, {rows} rows: peak heap {} natively, wasm memory grew {} in the browser (goal < 100 MB): {}",
            mb(bytes),
            growth.map_or("—".to_owned(), mb),
            if bytes < 100e6 && growth.is_none_or(|g| g < 100e6) {
                "met"
            } else {
                "not met"
            }
        );
    }
    for (name, what) in [
        ("kmeans_step_workers", "k-means, one Lloyd step"),
        (
            "gmm_step_workers",
            "Gaussian mixture (full covariance, k = 8), one EM step",
        ),
        (
            "scores_workers",
            "Quality scores (sampled silhouette, Calinski-Harabasz, Davies-Bouldin, inertia)",
        ),
        (
            "compare_workers",
            "Comparing k = 2..10 (k-means on a 10,000 sample: fits, scores, stability)",
        ),
    ] {
        let Some(pool) = results.get(name) else {
            continue;
        };
        let speedup = pool["speedup"].as_f64().unwrap_or(f64::NAN);
        let fixed = match pool["alone_fixed_seconds"].as_f64() {
            Some(alone) if alone > 0.0 => format!(
                "; a fit's fixed cost {alone:.2} s alone, {:.2} s shared",
                pool["shared_fixed_seconds"].as_f64().unwrap_or(f64::NAN)
            ),
            _ => String::new(),
        };
        println!(
            "{what} on 1,000,000 × 16 in Chromium, median of runs: {:.3} s in one worker, {:.3} s shared by {} workers, {speedup:.2}× (goal ≥ 1.6× with 2; fastest of each side {:.2}×), same result: {}{fixed}: {}",
            pool["alone_seconds"].as_f64().unwrap_or(f64::NAN),
            pool["seconds"].as_f64().unwrap_or(f64::NAN),
            pool["workers"].as_u64().unwrap_or(0),
            pool["fastest_speedup"].as_f64().unwrap_or(f64::NAN),
            pool["same_result"].as_bool().unwrap_or(false),
            if speedup >= 1.6 { "met" } else { "not met" }
        );
    }
    if let Some(million) = results.get("file_to_segments") {
        let seconds = million["seconds"].as_f64().unwrap_or(f64::NAN);
        println!(
            "1,000,000 customers × 16, file dropped → recommended segments on screen: {seconds:.2} s (goal ≤ 15 s): {}",
            if seconds <= 15.0 { "met" } else { "not met" }
        );
    }
    if let Some(retail) = results.get("online_retail_to_segments") {
        let seconds = retail["seconds"].as_f64().unwrap_or(f64::NAN);
        println!(
            "Online Retail (541,909 order lines), file dropped → recommended segments on screen: {seconds:.2} s (goal ≤ 5 s): {}",
            if seconds <= 5.0 { "met" } else { "not met" }
        );
    }
    if let Some(handoff) = results.get("file_handoff_browser") {
        let pandas = seconds(results, "csv_parse_pandas").unwrap_or(f64::NAN);
        let one = handoff["seconds"].as_f64().unwrap_or(f64::NAN);
        let two = handoff["two_workers_seconds"].as_f64().unwrap_or(f64::NAN);
        println!(
            "Only handing the CSV's bytes to workers (nothing parsed): {one:.3} s with one worker ({:.2}× pandas' whole read_csv), {two:.3} s with two ({:.2}×): the floor under any parser in this browser",
            one / pandas,
            two / pandas
        );
    }
    if let Some(log) = results.get("big_log_to_segments") {
        let peak = log["peak_renderer_bytes"].as_f64().unwrap_or(f64::NAN);
        println!(
            "A {}-line order log ({}): read in {:.1} s, recommended segments on screen after {:.1} s; peak memory of the page and its workers {:.2} GB (goal ≤ 1.5 GB): {}",
            log["lines"].as_u64().unwrap_or(0),
            mb(log["bytes"].as_f64().unwrap_or(0.0)),
            log["read_seconds"].as_f64().unwrap_or(f64::NAN),
            log["seconds"].as_f64().unwrap_or(f64::NAN),
            peak / 1e9,
            if peak <= 1.5e9 { "met" } else { "not met" }
        );
    }
    if let Some(parse) = results.get("csv_parse_browser") {
        println!(
            "The CSV was read by {} worker(s) at once",
            parse["workers"].as_u64().unwrap_or(0)
        );
        let bytes = parse["bytes"].as_f64().unwrap_or(0.0);
        let memory = parse["peak_wasm_memory_bytes"].as_f64().unwrap_or(0.0);
        if bytes > 0.0 {
            println!(
                "Peak wasm memory while parsing: {} for a {} file, {:.2}× (goal < 2×): {}",
                mb(memory),
                mb(bytes),
                memory / bytes,
                if memory / bytes < 2.0 {
                    "met"
                } else {
                    "not met"
                }
            );
        }
    }
}

fn seconds(results: &BTreeMap<String, Value>, key: &str) -> Option<f64> {
    results.get(key).and_then(|r| r["seconds"].as_f64())
}

/// The fastest per-iteration time Criterion recorded for `name`, in seconds.
fn criterion_seconds(root: &Path, name: &str) -> Option<f64> {
    let path = root
        .join("target/criterion")
        .join(name)
        .join("new/sample.json");
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    iters
        .iter()
        .zip(times)
        .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()?))
        .min_by(f64::total_cmp)
        .map(|ns| ns / 1e9)
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
