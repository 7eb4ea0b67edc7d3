//! Proves the engine stays pure: `segmenta-core`'s resolved dependency graph (normal
//! dependencies, every target) contains no web crate.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Crates the core must never depend on, directly or indirectly.
fn is_web_crate(name: &str) -> bool {
    matches!(name, "web-sys" | "js-sys" | "serde-wasm-bindgen")
        || name.starts_with("wasm-bindgen")
        || name.starts_with("leptos")
        || name.starts_with("gloo")
}

pub fn check(root: &Path) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let meta: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata output: {e}"))?;
    let bad = forbidden_dependencies(&meta, "segmenta-core")?;
    if bad.is_empty() {
        eprintln!("ok: segmenta-core's dependency graph has no web crates");
        Ok(())
    } else {
        Err(format!(
            "segmenta-core must stay free of web crates, but depends on: {}",
            bad.into_iter().collect::<Vec<_>>().join(", ")
        ))
    }
}

/// Names of forbidden crates reachable from `package` through normal dependencies.
pub fn forbidden_dependencies(meta: &Value, package: &str) -> Result<BTreeSet<String>, String> {
    let packages = meta["packages"]
        .as_array()
        .ok_or("no packages in metadata")?;
    let name_of: HashMap<&str, &str> = packages
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let nodes = meta["resolve"]["nodes"]
        .as_array()
        .ok_or("no resolve graph in metadata")?;
    let deps_of: HashMap<&str, Vec<&str>> = nodes
        .iter()
        .filter_map(|n| {
            let id = n["id"].as_str()?;
            let deps = n["deps"]
                .as_array()?
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k["kind"].is_null()))
                })
                .filter_map(|d| d["pkg"].as_str())
                .collect();
            Some((id, deps))
        })
        .collect();
    let start = name_of
        .iter()
        .find(|(_, n)| **n == package)
        .map(|(id, _)| *id)
        .ok_or_else(|| format!("{package} not found in the workspace"))?;
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    let mut bad = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let name = name_of.get(id).copied().unwrap_or("");
        if is_web_crate(name) {
            bad.insert(name.to_owned());
        }
        stack.extend(deps_of.get(id).into_iter().flatten().copied());
    }
    Ok(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(edges: &[(&str, &str, Option<&str>)]) -> Value {
        let mut names: BTreeSet<&str> = BTreeSet::new();
        for (a, b, _) in edges {
            names.insert(a);
            names.insert(b);
        }
        let packages: Vec<Value> = names
            .iter()
            .map(|n| serde_json::json!({"id": n, "name": n}))
            .collect();
        let nodes: Vec<Value> = names
            .iter()
            .map(|n| {
                let deps: Vec<Value> = edges
                    .iter()
                    .filter(|(a, _, _)| a == n)
                    .map(
                        |(_, b, kind)| serde_json::json!({"pkg": b, "dep_kinds": [{"kind": kind}]}),
                    )
                    .collect();
                serde_json::json!({"id": n, "deps": deps})
            })
            .collect();
        serde_json::json!({"packages": packages, "resolve": {"nodes": nodes}})
    }

    #[test]
    fn finds_indirect_web_crates_but_ignores_dev_dependencies() {
        let m = meta(&[
            ("segmenta-core", "csv", None),
            ("csv", "wasm-bindgen", None),
            ("segmenta-core", "leptos", Some("dev")),
        ]);
        assert_eq!(
            forbidden_dependencies(&m, "segmenta-core").unwrap(),
            BTreeSet::from(["wasm-bindgen".to_owned()])
        );
        let clean = meta(&[("segmenta-core", "csv", None), ("csv", "serde", None)]);
        assert!(
            forbidden_dependencies(&clean, "segmenta-core")
                .unwrap()
                .is_empty()
        );
    }
}
