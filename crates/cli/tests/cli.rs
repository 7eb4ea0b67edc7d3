//! The `segmenta` binary end to end: flags, files written, and messages on bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn segmenta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segmenta"))
        .args(args)
        .output()
        .unwrap()
}

/// Three groups of customers and one far-off customer.
fn customers(dir: &Path) -> PathBuf {
    let mut csv = String::from("id,spend,visits,channel\n");
    for i in 0..60 {
        let jitter = (i * 7 % 11) as f64 / 10.0;
        let (spend, visits, channel) = match i % 3 {
            0 => (20.0, 2.0, "web"),
            1 => (200.0, 9.0, "shop"),
            _ => (90.0, 20.0, "web"),
        };
        csv.push_str(&format!(
            "C{i},{},{},{channel}\n",
            spend + 3.0 * jitter,
            visits + jitter
        ));
    }
    csv.push_str("C999,5000,90,shop\n");
    let path = dir.join("customers.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn automatic_k_writes_the_sweep_and_recommendation() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let report = dir.path().join("report.json");
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--features",
        "spend,visits",
        "--k",
        "auto",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Compared numbers of segments"), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let sweep = report["k_sweep"].as_array().unwrap();
    assert_eq!(sweep.len(), 9);
    for key in [
        "k",
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "inertia",
        "bic",
        "stability",
    ] {
        assert!(sweep[0].get(key).is_some(), "k_sweep rows lack {key}");
    }
    let k = report["recommended_k"].as_u64().unwrap();
    assert_eq!(report["k"].as_u64(), Some(k));
    assert!(
        report["recommendation"]
            .as_str()
            .unwrap()
            .starts_with(&format!("k = {k}: "))
    );
}

#[test]
fn dbscan_marks_outliers_and_mixtures_write_probabilities() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let labels = dir.path().join("labels.csv");
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--features",
        "spend,visits",
        "--algorithm",
        "dbscan",
        "--min-samples",
        "4",
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&labels).unwrap();
    assert!(csv.ends_with("C999,-1,Outliers\n"), "{csv}");

    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--features",
        "spend,visits",
        "--algorithm",
        "gmm",
        "--covariance",
        "diagonal",
        "--k",
        "3",
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&labels).unwrap();
    assert!(
        csv.starts_with("id,segment,segment_name,probability\n"),
        "{csv}"
    );
}

#[test]
fn every_algorithm_runs_with_its_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    for extra in [
        &["--algorithm", "kmeans", "--n-init", "3"][..],
        &["--algorithm", "hierarchical", "--linkage", "average"],
        &["--algorithm", "kprototypes", "--categorical", "channel"],
        &[
            "--algorithm",
            "dbscan",
            "--eps",
            "0.5",
            "--min-samples",
            "3",
        ],
    ] {
        let mut args = vec!["run", file.to_str().unwrap(), "--features", "spend,visits"];
        args.extend_from_slice(extra);
        if extra[1] != "dbscan" {
            args.extend_from_slice(&["--k", "3"]);
        }
        let out = segmenta(&args);
        assert!(out.status.success(), "{extra:?}: {}", text(&out.stderr));
    }
}

#[test]
fn bad_options_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let path = file.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["run", path, "--eps", "0.5"],
            "--eps applies to dbscan, but the algorithm is kmeans",
        ),
        (
            vec!["run", path, "--algorithm", "dbscan", "--k", "3"],
            "DBSCAN finds the number of segments itself",
        ),
        (vec!["run", path, "--k", "1"], "Choose at least 2 segments"),
        (
            vec!["run", path, "--k", "many"],
            "--k \"many\": give a number or auto.",
        ),
        (
            vec!["run", path, "--algorithm", "dbscan", "--eps=-1"],
            "must be a positive number",
        ),
        (
            vec!["run", path, "--k", "500"],
            "You asked for 500 segments but there are only 61 customers",
        ),
    ] {
        let out = segmenta(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_saved_recipe_reruns_to_the_same_segments() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let first = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--algorithm",
        "gmm",
        "--covariance",
        "diagonal",
        "--k",
        "3",
        "--categorical",
        "channel",
        "--seed",
        "7",
        "--labels",
        &p("first.csv"),
        "--save-recipe",
        &p("recipe.json"),
    ]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let recipe: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("recipe.json")).unwrap()).unwrap();
    assert_eq!(recipe["version"], 5);
    assert_eq!(recipe["clustering"]["algorithm"], "gmm");
    assert_eq!(recipe["clustering"]["covariance"], "diagonal");
    assert_eq!(recipe["clustering"]["k"], 3);
    assert_eq!(recipe["clustering"]["seed"], 7);
    assert_eq!(recipe["categorical"][0], "channel");

    let again = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--recipe",
        &p("recipe.json"),
        "--labels",
        &p("again.csv"),
    ]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        std::fs::read_to_string(p("first.csv")).unwrap(),
        std::fs::read_to_string(p("again.csv")).unwrap()
    );
}

#[test]
fn embedding_writes_map_coordinates_per_customer() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let out_path = dir.path().join("map.csv");
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--features",
        "spend,visits",
        "--k",
        "3",
        "--projection",
        "pca",
        "--embedding",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(out_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "id,segment,x,y");
    assert_eq!(lines.len(), 62);
    assert!(lines[1].starts_with("C0,"));
    // Two standardized features: the first axis carries most of the spread, and the
    // coordinates of everyone are centred.
    let xs: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert!(xs.iter().sum::<f64>().abs() < 1e-3);
}

#[test]
fn umap_embedding_keeps_alike_customers_together_and_repeats_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let run = |name: &str| {
        let path = dir.path().join(name);
        let out = segmenta(&[
            "run",
            file.to_str().unwrap(),
            "--features",
            "spend,visits",
            "--k",
            "3",
            "--projection",
            "umap",
            "--embedding",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        std::fs::read_to_string(path).unwrap()
    };
    let csv = run("umap.csv");
    assert_eq!(csv, run("again.csv"), "the same seed gives the same map");
    // The three kinds of customer the file was made of (C0, C3, … are one) each stay
    // together: every customer is nearer the middle (median) of their own kind than of
    // the others. C999, unlike anyone, is left out.
    let rows: Vec<(usize, f64, f64)> = csv
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("C999,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n: usize = f[0].trim_start_matches('C').parse().unwrap();
            (n % 3, f[2].parse().unwrap(), f[3].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 60);
    let centre = |kind: usize| {
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let own: Vec<_> = rows.iter().filter(|r| r.0 == kind).collect();
        (
            median(own.iter().map(|r| r.1).collect()),
            median(own.iter().map(|r| r.2).collect()),
        )
    };
    for &(kind, x, y) in &rows {
        let dist = |c: (f64, f64)| (x - c.0).hypot(y - c.1);
        for other in (0..3).filter(|&o| o != kind) {
            assert!(
                dist(centre(kind)) < dist(centre(other)),
                "kind {kind} at ({x}, {y})"
            );
        }
    }
}

/// `segmenta clv` on the order log the lifetime reference was made from (`segmenta sample
/// --customers 1000 --seed 5`) fits lifetimes' parameters end to end: Segmenta's own
/// summary, fit and report.
#[test]
fn clv_fits_the_lifetimes_parameters_and_writes_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = segmenta(&[
        "sample",
        "--customers",
        "1000",
        "--seed",
        "5",
        "--out-dir",
        d,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let orders = dir.path().join("sample_orders.csv");
    let (report, per_customer) = (dir.path().join("clv.json"), dir.path().join("clv.csv"));
    let out = segmenta(&[
        "clv",
        orders.to_str().unwrap(),
        "--horizon-days",
        "360",
        "--report",
        report.to_str().unwrap(),
        "--out",
        per_customer.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let want: serde_json::Value = serde_json::from_str(include_str!(
        "../../core/tests/reference/clv_reference.json"
    ))
    .unwrap();
    for (model, params) in [
        ("bgnbd", &["r", "alpha", "a", "b"][..]),
        ("gamma_gamma", &["p", "q", "v"][..]),
    ] {
        for p in params {
            let (g, w) = (
                got[model][p].as_f64().unwrap(),
                want[model][p].as_f64().unwrap(),
            );
            assert!(
                (g - w).abs() <= 1e-5 * w.abs(),
                "{model}.{p}: {g} vs lifetimes {w}"
            );
        }
    }
    assert_eq!(got["customers"], 1000);
    let csv = std::fs::read_to_string(per_customer).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "customer_id,p_alive,expected_purchases,expected_order_value,clv,at_risk"
    );
    assert_eq!(lines.len(), 1001);
    // lifetimes: C10001 p_alive 0.99598062976753932, 12-month CLV 394.96724092707734.
    assert!(lines[1].starts_with("C10001,0.995981,"), "{}", lines[1]);
    assert!(lines[1].contains(",394.97,no"), "{}", lines[1]);
}

#[test]
fn rfm_scores_and_names_every_customer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(
        segmenta(&["sample", "--customers", "300", "--out-dir", d])
            .status
            .success()
    );
    let orders = dir.path().join("sample_orders.csv");
    let out_path = dir.path().join("rfm.csv");
    let out = segmenta(&[
        "rfm",
        orders.to_str().unwrap(),
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Champions"));
    let csv = std::fs::read_to_string(&out_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "customer_id,r_score,f_score,m_score,rfm_code,rfm_segment"
    );
    assert_eq!(lines.len(), 301);
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[4], format!("{}{}{}", cells[1], cells[2], cells[3]));
    }
    // A customer table without recency columns says which flag to use.
    let file = customers(dir.path());
    let out = segmenta(&[
        "rfm",
        file.to_str().unwrap(),
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "segmenta: No recency column was found; name it with --recency (a numeric column)."
    );
    let out = segmenta(&[
        "clv",
        file.to_str().unwrap(),
        "--report",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Lifetime value needs an order log"));
}

#[test]
fn a_sensitive_column_adds_the_composition_to_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let report = dir.path().join("report.json");
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--features",
        "spend,visits",
        "--k",
        "3",
        "--sensitive",
        "channel",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let f = &r["fairness"];
    assert_eq!(f["column"], "channel");
    assert_eq!(f["overall"], serde_json::json!([40, 21]));
    // The channel follows the groups, so every segment is far from the overall mix.
    assert!(!f["flags"].as_array().unwrap().is_empty());
    assert!(
        f["sentences"][0]
            .as_str()
            .unwrap()
            .contains("× its share of all customers")
    );
    let out = segmenta(&["run", file.to_str().unwrap(), "--sensitive", "spend"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("segmenta: --sensitive spend: name a column of categories")
    );
}

#[test]
fn why_explains_every_customer_and_recipe_names_reach_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let recipe = r#"{"version": 3,
        "features": [{"name": "spend"}, {"name": "visits"}],
        "clustering": {"algorithm": "kmeans", "k": 3, "seed": 1},
        "names": {"0": "Weekly regulars"}}"#;
    std::fs::write(p("recipe.json"), recipe).unwrap();
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--recipe",
        &p("recipe.json"),
        "--why",
        &p("why.csv"),
        "--labels",
        &p("labels.csv"),
        "--report",
        &p("report.json"),
        "--html",
        &p("report.html"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(p("report.html")).unwrap();
    assert!(html.contains("<h3>Weekly regulars</h3>") && html.contains("<h2>Model card</h2>"));
    assert!(html.contains("All processing happened on this computer"));
    let why = std::fs::read_to_string(p("why.csv")).unwrap();
    let lines: Vec<&str> = why.lines().collect();
    assert_eq!(
        lines[0],
        "id,segment,segment_name,fit,runner_up,runner_up_name,runner_up_fit,reason_1,reason_2,reason_3,explanation"
    );
    assert_eq!(lines.len(), 62);
    let segment_0 = lines
        .iter()
        .find(|l| l.contains(",0,Weekly regulars,"))
        .unwrap();
    assert!(segment_0.contains("in “Weekly regulars”"), "{segment_0}");
    assert!(
        std::fs::read_to_string(p("labels.csv"))
            .unwrap()
            .contains(",0,Weekly regulars\n")
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("report.json")).unwrap()).unwrap();
    assert_eq!(report["segments"][0]["name"], "Weekly regulars");
}

#[test]
fn a_saved_model_applies_to_new_data_with_migration_and_drift() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let first = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--k",
        "3",
        "--labels",
        &p("first.csv"),
        "--save-recipe",
        &p("recipe.json"),
    ]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let recipe: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("recipe.json")).unwrap()).unwrap();
    assert_eq!(recipe["version"], 5);
    assert_eq!(recipe["model"]["model"]["algorithm"], "kmeans");
    assert_eq!(
        recipe["model"]["model"]["model"]["labels"],
        serde_json::json!([])
    );

    // The same customers land in the same segments; nobody moved, nothing drifted.
    let same = segmenta(&[
        "apply",
        file.to_str().unwrap(),
        "--recipe",
        &p("recipe.json"),
        "--labels",
        &p("again.csv"),
        "--previous",
        &p("first.csv"),
        "--migration",
        &p("migration.csv"),
        "--report",
        &p("apply.json"),
    ]);
    assert!(same.status.success(), "{}", text(&same.stderr));
    assert_eq!(
        std::fs::read_to_string(p("first.csv")).unwrap(),
        std::fs::read_to_string(p("again.csv")).unwrap()
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("apply.json")).unwrap()).unwrap();
    assert_eq!(report["refit_advised"], false);
    assert_eq!(report["migration"]["new_customers"], 0);

    // Next month: everyone spends five times as much, and a new customer arrives.
    let mut next = String::from("id,spend,visits,channel\n");
    for (i, line) in std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .skip(1)
        .enumerate()
    {
        let cells: Vec<&str> = line.split(',').collect();
        let spend: f64 = cells[1].parse().unwrap();
        if i > 0 {
            next.push_str(&format!(
                "{},{},{},{}\n",
                cells[0],
                spend * 5.0,
                cells[2],
                cells[3]
            ));
        }
    }
    next.push_str("C1000,25,2,web\n");
    std::fs::write(p("next.csv"), next).unwrap();
    let out = segmenta(&[
        "apply",
        &p("next.csv"),
        "--recipe",
        &p("recipe.json"),
        "--labels",
        &p("next_labels.csv"),
        "--previous",
        &p("first.csv"),
        "--migration",
        &p("migration.csv"),
        "--report",
        &p("apply.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Spend has changed a lot"), "{stdout}");
    assert!(
        stdout.contains("Consider making the segments again"),
        "{stdout}"
    );
    let migration = std::fs::read_to_string(p("migration.csv")).unwrap();
    assert!(migration.starts_with("from,to,customers\n"));
    let total: usize = migration
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 61);
    assert!(migration.contains("New customer,"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("apply.json")).unwrap()).unwrap();
    assert_eq!(report["refit_advised"], true);
    assert_eq!(report["migration"]["gone"], 1);
    assert_eq!(report["drift"][0]["feature"], "spend");

    // A recipe without a fitted model says what to do.
    std::fs::write(
        p("plain.json"),
        r#"{"version": 3, "features": [{"name": "spend"}], "clustering": {"algorithm": "kmeans", "k": 2}}"#,
    )
    .unwrap();
    let out = segmenta(&[
        "apply",
        file.to_str().unwrap(),
        "--recipe",
        &p("plain.json"),
        "--labels",
        &p("x.csv"),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("This recipe holds no fitted segments"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn export_presets_write_crm_imports_and_hashed_audiences() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let mut csv = String::from("customer_id,email,first_name,phone,spend,visits\n");
    for i in 0..40 {
        let (spend, visits) = if i % 2 == 0 {
            (20 + i, 2)
        } else {
            (400 + i, 15)
        };
        let email = match i {
            0 => "=HYPERLINK(\"http://evil.example\",\"click\")".to_owned(),
            1 => "+1+1".to_owned(),
            2 => String::new(),
            _ => format!("c{i}@example.com"),
        };
        let name = if i == 3 { "@SUM(A1:A9)" } else { "Ann" };
        csv.push_str(&format!(
            "C{i},\"{}\",{name},+44 1632 9600{i:02},{spend},{visits}\n",
            email.replace('"', "\"\"")
        ));
    }
    std::fs::write(p("customers.csv"), csv).unwrap();
    let run = segmenta(&[
        "run",
        &p("customers.csv"),
        "--features",
        "spend,visits",
        "--k",
        "2",
        "--save-recipe",
        &p("recipe.json"),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let out = segmenta(&[
        "export",
        &p("customers.csv"),
        "--recipe",
        &p("recipe.json"),
        "--preset",
        "mailchimp",
        "--out",
        &p("mailchimp.csv"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("note: left out 1 segmented customer(s) with no email address."),
        "{}",
        text(&out.stderr)
    );
    let mailchimp = std::fs::read_to_string(p("mailchimp.csv")).unwrap();
    let lines: Vec<&str> = mailchimp.lines().collect();
    assert_eq!(
        lines[0],
        "Email Address,First Name,Last Name,Phone Number,Tags"
    );
    assert_eq!(lines.len(), 40);
    // Formulas are neutralized; phone numbers keep their +.
    assert!(lines[1].starts_with("\"'=HYPERLINK("), "{}", lines[1]);
    assert!(
        lines[2].starts_with("'+1+1,Ann,,+44 1632 960001,"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("c3@example.com,'@SUM(A1:A9),"),
        "{}",
        lines[3]
    );

    let out = segmenta(&[
        "export",
        &p("customers.csv"),
        "--recipe",
        &p("recipe.json"),
        "--preset",
        "ads-hashed",
        "--out",
        &p("audience.csv"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("audience_"))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let mut rows = 0;
    for f in &files {
        let audience = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert!(audience.starts_with("Email,Phone,First Name,Last Name\n"));
        assert!(!audience.contains("example.com") && !audience.contains("+44"));
        rows += audience.lines().count() - 1;
    }
    // Everyone has a phone with a country code, so everyone is in an audience.
    assert_eq!(rows, 40);
}

#[test]
fn rule_segments_and_priority_give_each_customer_one_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let recipe = r#"{"version": 4,
        "features": [{"name": "spend"}, {"name": "visits"}],
        "clustering": {"algorithm": "kmeans", "k": 3, "seed": 1},
        "rules": [
          {"name": "Big spenders", "rule": {"column": "spend", "op": ">=", "value": 150}},
          {"name": "Web regulars", "rule": {"all": [{"column": "channel", "values": ["web"]},
                                                    {"column": "visits", "min": 10, "max": 100}]}}
        ],
        "priority": ["Web regulars", "Big spenders"]}"#;
    std::fs::write(p("recipe.json"), recipe).unwrap();
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--recipe",
        &p("recipe.json"),
        "--labels",
        &p("labels.csv"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("rule segment Big spenders: 21 customers"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rule segment Web regulars: 20 customers"),
        "{stdout}"
    );
    let labels = std::fs::read_to_string(p("labels.csv")).unwrap();
    let lines: Vec<&str> = labels.lines().collect();
    assert_eq!(
        lines[0],
        "id,segment,segment_name,Big spenders,Web regulars,primary_campaign"
    );
    // C1 spends 200 in the shop; C2 visits 20 times on the web; C999 is both, and the web
    // campaign comes first.
    assert!(
        lines[2].starts_with("C1,") && lines[2].ends_with(",yes,no,Big spenders"),
        "{}",
        lines[2]
    );
    assert!(lines[3].ends_with(",no,yes,Web regulars"), "{}", lines[3]);
    assert!(
        lines[61].starts_with("C999,") && lines[61].ends_with(",yes,no,Big spenders"),
        "{}",
        lines[61]
    );
    // C0 is in no rule segment: their clustered segment is their campaign.
    let c0: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(c0[c0.len() - 1], c0[2]);

    std::fs::write(
        p("bad.json"),
        recipe.replace("\"spend\", \"op\"", "\"spent\", \"op\""),
    )
    .unwrap();
    let out = segmenta(&[
        "run",
        file.to_str().unwrap(),
        "--recipe",
        &p("bad.json"),
        "--labels",
        &p("x.csv"),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("The rule segment “Big spenders” uses the column “spent”"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn contact_columns_are_added_to_the_labelled_csv_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let out = segmenta(&["sample", "--out-dir", &p(""), "--customers", "300"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (orders, customers) = (p("sample_orders.csv"), p("sample_customers.csv"));
    let out = segmenta(&[
        "run",
        &orders,
        &customers,
        "--k",
        "3",
        "--labels",
        &p("labels.csv"),
        "--attach",
        "email,first_name",
        "--save-recipe",
        &p("recipe.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let labels = std::fs::read_to_string(p("labels.csv")).unwrap();
    let header: Vec<&str> = labels.lines().next().unwrap().split(',').collect();
    assert_eq!(header[..3], ["customer_id", "segment", "segment_name"]);
    assert_eq!(header[header.len() - 2..], ["email", "first_name"]);
    assert_eq!(labels.lines().count(), 301);
    assert!(labels.lines().nth(1).unwrap().contains("@example.com"));
    // The recipe never holds them.
    assert!(
        !std::fs::read_to_string(p("recipe.json"))
            .unwrap()
            .contains("@example.com")
    );

    // `apply` takes the same option; a column that is not there is named, with the
    // columns that can be added.
    let out = segmenta(&[
        "apply",
        &orders,
        &customers,
        "--recipe",
        &p("recipe.json"),
        "--labels",
        &p("applied.csv"),
        "--attach",
        "phone",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(
            "There is no column “phone” among these customers. Contact columns that can be added: “email”, “first_name”."
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn column_kinds_chosen_on_the_command_line_are_kept_in_the_recipe_and_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path());
    let file = file.to_str().unwrap();
    let recipe = dir.path().join("recipe.json");
    let recipe = recipe.to_str().unwrap();
    let out = segmenta(&[
        "inspect",
        file,
        "--column",
        "visits=categorical",
        "--column",
        "channel=personal",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let inspected: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let visits = &inspected["columns"][2];
    assert_eq!(
        (visits["kind"].as_str(), visits["chosen"].as_str()),
        (Some("categorical"), Some("categorical"))
    );
    assert_eq!(inspected["columns"][3]["pii"], true);
    let out = segmenta(&[
        "run",
        file,
        "--features",
        "spend,visits",
        "--k",
        "3",
        "--column",
        "channel=personal",
        "--save-recipe",
        recipe,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(recipe).unwrap()).unwrap();
    assert_eq!(
        saved["data"]["files"][0]["reading"]["columns"]["channel"],
        "personal"
    );
    // The recipe's reading settings are used: `visits` read as text cannot be a feature.
    let edited = std::fs::read_to_string(recipe)
        .unwrap()
        .replace(r#""channel": "personal""#, r#""visits": "text""#);
    std::fs::write(recipe, edited).unwrap();
    let out = segmenta(&["run", file, "--recipe", recipe]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("'visits' holds text values, not numbers"),
        "{stderr}"
    );
    // A cell that is not a number is reported, and a column the file lacks is named.
    let out = segmenta(&[
        "inspect",
        file,
        "--column",
        "channel=number",
        "--column",
        "Visits=id",
    ]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("61 cells of “channel” are not numbers; they count as missing."),
        "{stderr}"
    );
    assert!(
        stderr.contains("There is no column “Visits” to read as id"),
        "{stderr}"
    );
    let out = segmenta(&["inspect", file, "--column", "visits=count"]);
    assert!(text(&out.stderr).contains("\"count\" is not a kind; use one of number, boolean"));
}
