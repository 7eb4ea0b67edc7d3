//! Finding or installing the tools each command needs, at exact versions.
//!
//! Known facts about these machines: Trunk 0.22 needs a newer rustc, 0.21.14 works;
//! `wasm-bindgen-cli` must match Cargo.lock's `wasm-bindgen` and installs without
//! `--locked`; Debian's wasm-opt 108 silently corrupts current rustc output, the npm
//! `binaryen` 132 works; Chromium and ChromeDriver come from Debian's packages.
//! Tools are looked for on PATH first and otherwise installed under `target/tools`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, step};

const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132";

/// Tools found or installed, and the PATH that puts them first.
pub struct Toolbox {
    path: OsString,
    /// ChromeDriver binary (tests only).
    pub chromedriver: PathBuf,
    /// Chromium binary (tests only).
    pub chromium: PathBuf,
}

impl Toolbox {
    /// What `serve` and `dist` need: the wasm target, Trunk, wasm-bindgen, wasm-opt.
    pub fn for_web(root: &Path) -> Result<Toolbox, String> {
        let tools = root.join("target/tools");
        let path = search_path(&tools);
        let toolbox = Toolbox {
            path,
            chromedriver: PathBuf::new(),
            chromium: PathBuf::new(),
        };
        step("Checking tools");
        toolbox.ensure_wasm_target()?;
        toolbox.ensure_cargo_tool(&tools, "trunk", "trunk", TRUNK_VERSION, &["--locked"])?;
        let bindgen = lockfile_version(root, "wasm-bindgen")?;
        toolbox.ensure_cargo_tool(&tools, "wasm-bindgen", "wasm-bindgen-cli", &bindgen, &[])?;
        toolbox.ensure_wasm_opt(&tools)?;
        Ok(toolbox)
    }

    /// Everything `test` needs: the web tools plus Chromium, ChromeDriver and Playwright.
    pub fn for_tests(root: &Path) -> Result<Toolbox, String> {
        let mut toolbox = Toolbox::for_web(root)?;
        toolbox.ensure_browser()?;
        toolbox.ensure_e2e_packages(&root.join("tests/e2e"))?;
        Ok(toolbox)
    }

    /// A command that sees the tools first on PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }

    fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        let out = self.command(program).args(args).output().ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr)
        })
    }

    fn ensure_wasm_target(&self) -> Result<(), String> {
        let installed = self
            .output("rustup", &["target", "list", "--installed"])
            .unwrap_or_default();
        if installed
            .lines()
            .any(|l| l.trim() == "wasm32-unknown-unknown")
        {
            eprintln!("ok: wasm32-unknown-unknown target");
            return Ok(());
        }
        run(self
            .command("rustup")
            .args(["target", "add", "wasm32-unknown-unknown"]))
    }

    /// Finds `bin --version` reporting `version`, or `cargo install`s it into `target/tools`.
    fn ensure_cargo_tool(
        &self,
        tools: &Path,
        bin: &str,
        krate: &str,
        version: &str,
        extra: &[&str],
    ) -> Result<(), String> {
        if let Some(out) = self.output(bin, &["--version"]) {
            if out.split_whitespace().any(|w| w == version) {
                eprintln!("ok: {bin} {version}");
                return Ok(());
            }
            eprintln!(
                "{bin} on PATH is not version {version} ({}); installing {version}",
                out.trim()
            );
        }
        let mut cmd = self.command("cargo");
        cmd.args(["install", krate, "--version", version, "--root"])
            .arg(tools)
            .args(extra);
        run(&mut cmd).map_err(|e| {
            format!("{e}\nInstalling {krate} {version} needs network access to crates.io.")
        })
    }

    fn ensure_wasm_opt(&self, tools: &Path) -> Result<(), String> {
        let wanted = format!("version {BINARYEN_VERSION}");
        if self
            .output("wasm-opt", &["--version"])
            .is_some_and(|v| v.contains(&wanted))
        {
            eprintln!("ok: wasm-opt {BINARYEN_VERSION}");
            return Ok(());
        }
        self.ensure_node()?;
        let npm = tools.join("npm");
        std::fs::create_dir_all(&npm).map_err(|e| format!("{}: {e}", npm.display()))?;
        let manifest = npm.join("package.json");
        if !manifest.exists() {
            std::fs::write(&manifest, "{\"private\": true}\n").map_err(|e| e.to_string())?;
        }
        run(self.command("npm").current_dir(&npm).args([
            "install",
            "--no-audit",
            "--no-fund",
            &format!("binaryen@{BINARYEN_VERSION}.0.0"),
        ]))?;
        if self
            .output("wasm-opt", &["--version"])
            .is_some_and(|v| v.contains(&wanted))
        {
            Ok(())
        } else {
            Err(format!(
                "wasm-opt {BINARYEN_VERSION} was installed but does not run; check `{}`",
                npm.display()
            ))
        }
    }

    fn ensure_node(&self) -> Result<(), String> {
        if self.output("npm", &["--version"]).is_some() {
            return Ok(());
        }
        apt_install(&["nodejs", "npm"]).map_err(|_| "Node.js and npm are needed (for wasm-opt and the browser tests). Install them, e.g. `sudo apt-get install nodejs npm`, and run this again.".to_owned())
    }

    fn ensure_browser(&mut self) -> Result<(), String> {
        let find = |names: &[&str]| names.iter().find_map(|n| which(n, &self.path));
        let (mut chromium, mut driver) = (
            find(&["chromium", "chromium-browser", "google-chrome"]),
            find(&["chromedriver"]),
        );
        if chromium.is_none() || driver.is_none() {
            apt_install(&["chromium", "chromium-driver"]).map_err(|_| {
                "Chromium and ChromeDriver are needed for the browser tests. Install them (Debian/Ubuntu: `sudo apt-get install chromium chromium-driver`) and run this again.".to_owned()
            })?;
            chromium = find(&["chromium", "chromium-browser", "google-chrome"]);
            driver = find(&["chromedriver"]);
        }
        match (chromium, driver) {
            (Some(c), Some(d)) => {
                eprintln!("ok: {} and {}", c.display(), d.display());
                self.chromium = c;
                self.chromedriver = d;
                Ok(())
            }
            _ => Err("Chromium or ChromeDriver is still missing after installing; install them and run this again.".into()),
        }
    }

    /// A Python virtual environment under `target/tools/venv` with `packages` installed;
    /// returns its interpreter.
    pub fn python_venv(&self, root: &Path, packages: &[&str]) -> Result<PathBuf, String> {
        let venv = root.join("target/tools/venv");
        let python = venv.join("bin/python");
        if !python.exists() {
            run(self.command("python3").args(["-m", "venv"]).arg(&venv))
                .map_err(|e| format!("{e}\nPython 3 with venv is needed for the reference timings (Debian: apt-get install python3-venv)."))?;
        }
        let check = format!(
            "import {}",
            packages
                .iter()
                .map(|p| if *p == "scikit-learn" { "sklearn" } else { p })
                .collect::<Vec<_>>()
                .join(", ")
        );
        if Command::new(&python)
            .args(["-c", &check])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            eprintln!("ok: Python packages {}", packages.join(", "));
            return Ok(python);
        }
        run(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet"])
            .args(packages))?;
        Ok(python)
    }

    fn ensure_e2e_packages(&self, dir: &Path) -> Result<(), String> {
        self.ensure_node()?;
        // Every package the tests import (package.json's devDependencies).
        if ["@playwright/test", "axe-core", "umap-js"]
            .iter()
            .all(|p| dir.join("node_modules").join(p).exists())
        {
            eprintln!("ok: Playwright test packages");
            return Ok(());
        }
        // Playwright drives the system Chromium; its own browser download would fail here.
        run(self
            .command("npm")
            .current_dir(dir)
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
    }
}

/// `target/tools/bin` and the npm tools first, then the caller's PATH.
fn search_path(tools: &Path) -> OsString {
    let mut dirs = vec![tools.join("bin"), tools.join("npm/node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap_or_default()
}

fn which(name: &str, path: &OsString) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Installs Debian packages when running as root on a Debian-like system.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root || !Path::new("/usr/bin/apt-get").exists() {
        return Err("cannot install system packages here".into());
    }
    step(&format!("Installing {}", packages.join(", ")));
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The version of `package` recorded in Cargo.lock.
pub fn lockfile_version(root: &Path, package: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"")
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(v.to_owned());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// Prints the size of the site's files, raw and gzip-compressed (level 9, as a static
/// host serves them), and what a first visit downloads before the page is usable: every
/// file but the worker's (fetched once the page has drawn) and the offline copy's `sw.js`.
pub fn report_sizes(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(String, usize, usize)> = entries
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.file_name().to_string_lossy().into_owned(),
                bytes.len(),
                gzipped(&bytes),
            )
        })
        .collect();
    files.sort();
    let mut page = 0;
    let mut worker = 0;
    for (name, raw, gzip) in &files {
        eprintln!(
            "  {name:<40} {:>9.1} KB  {:>8.1} KB gzip",
            *raw as f64 / 1024.0,
            *gzip as f64 / 1024.0
        );
        if name.contains("worker") {
            worker += gzip;
        } else if name != "sw.js" {
            page += gzip;
        }
    }
    eprintln!(
        "  The page's first download: {:.2} MB gzip (goal ≤ 1.0 MB): {}; then the worker's code, {:.2} MB, once the page has drawn.",
        page as f64 / 1e6,
        if page as f64 <= 1e6 { "met" } else { "not met" },
        worker as f64 / 1e6
    );
}

fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    match encoder.write_all(bytes).and_then(|()| encoder.finish()) {
        Ok(out) => out.len(),
        Err(_) => 0,
    }
}
