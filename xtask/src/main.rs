//! Developer commands: `cargo xtask serve | dist | test | bench`.
//!
//! Each command installs what it needs first (see `tools.rs`), so the README's two
//! commands work on a fresh machine.

mod bench;
mod boundary;
mod fuzz;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tools::Toolbox;

const USAGE: &str = "\
usage: cargo xtask <command>

  serve [--dev]        install what is missing, build, and serve the app at http://127.0.0.1:8080
  dist                 build the static site into dist/ (works from any static host and sub-path)
  test                 run every test: native, wasm in headless Chromium, end-to-end in the browser
  bench [--quick]      run the benchmarks and print ratios against the reference tools
  fuzz [SECONDS] [--keep]
                       fuzz the parser, the recipe loader and the pipeline (default 60 s each);
                       --keep adds new inputs that find new paths to fuzz/corpus/
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&root, args.iter().any(|a| a == "--dev")),
        Some("dist") => dist(&root).map(|_| ()),
        Some("test") => test(&root),
        Some("fuzz") => {
            let seconds = args
                .iter()
                .skip(1)
                .find_map(|a| a.parse().ok())
                .unwrap_or(60);
            fuzz::fuzz(&root, seconds, args.iter().any(|a| a == "--keep"))
        }
        Some("bench") => bench::bench(&root, args.iter().any(|a| a == "--quick")),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn step(title: &str) {
    eprintln!("\n==> {title}");
}

fn serve(root: &Path, dev: bool) -> Result<(), String> {
    let tools = Toolbox::for_web(root)?;
    step("Serving Segmenta at http://127.0.0.1:8080 (Ctrl-C to stop)");
    let mut cmd = tools.command("trunk");
    cmd.current_dir(root).args(["serve", "--offline"]);
    if !dev {
        cmd.arg("--release");
    }
    run(&mut cmd)
}

/// Builds `dist/` with relative URLs, so it works from any static host and sub-path.
fn dist(root: &Path) -> Result<PathBuf, String> {
    let tools = Toolbox::for_web(root)?;
    build_site(root, &tools, &root.join("dist"))
}

pub fn build_site(root: &Path, tools: &Toolbox, out: &Path) -> Result<PathBuf, String> {
    step(&format!("Building the static site into {}", out.display()));
    run(tools
        .command("trunk")
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            "./",
            "--dist",
        ])
        .arg(out))?;
    tools::report_sizes(out);
    Ok(out.to_path_buf())
}

fn test(root: &Path) -> Result<(), String> {
    let tools = Toolbox::for_tests(root)?;

    step("Formatting (cargo fmt --check)");
    run(tools
        .command("cargo")
        .current_dir(root)
        .args(["fmt", "--all", "--", "--check"]))?;

    step("Boundary: segmenta-core depends on no web crates");
    boundary::check(root)?;

    step("Lints (cargo clippy, warnings are errors)");
    run(tools.command("cargo").current_dir(root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("Native tests (cargo test --workspace)");
    run(tools
        .command("cargo")
        .current_dir(root)
        .args(["test", "--workspace", "--quiet"]))?;

    // A bounded run from the committed corpus: long enough to catch a regression on the
    // inputs found so far and a little beyond; long runs are `cargo xtask fuzz`.
    fuzz::fuzz(root, 15, false)?;

    step("WebAssembly tests in headless Chromium");
    run(tools
        .command("cargo")
        .current_dir(root)
        .args([
            "test",
            "-p",
            "segmenta-web-tests",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300"))?;

    let site = build_site(root, &tools, &root.join("target/e2e-dist"))?;

    // The end-to-end tests also drive the CLI (a recipe saved in the page, applied by
    // `segmenta apply`); the native tests above compiled most of it already.
    step("Building the CLI for the end-to-end tests");
    run(tools
        .command("cargo")
        .current_dir(root)
        .args(["build", "-p", "segmenta-cli", "--quiet"]))?;
    let cli = root.join("target/debug/segmenta");

    step("End-to-end tests in headless Chromium (Playwright)");
    let e2e = root.join("tests/e2e");
    run(tools
        .command("npx")
        .current_dir(&e2e)
        .args(["playwright", "test"])
        .env("SEGMENTA_DIST", &site)
        .env("SEGMENTA_CLI", &cli)
        .env("CHROMIUM", &tools.chromium))?;
    eprintln!("\nAll tests passed.");
    Ok(())
}
