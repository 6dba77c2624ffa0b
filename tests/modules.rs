//! The house reads at a glance: no module of the SDK, the models or the devserver
//! depends, through `crate::…` or `super::…` paths, on a module that depends back on
//! it. (A module using its own parent's items is Rust's usual nesting, not a circle.)
//! A circle found names its modules.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module under `dir` (`a/b` for `a/b.rs` or `a/b/mod.rs`) with its source up
/// to its unit tests.
fn modules(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let joined = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            modules(&path, &joined, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let module = match name.as_str() {
                "mod" => prefix.to_owned(),
                _ => joined,
            };
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            out.insert(module, code);
        }
    }
}

/// The paths after each `anchor` (`crate::` or `super::`) in `code`: `a::b::C`.
fn paths<'a>(code: &'a str, anchor: &str) -> Vec<&'a str> {
    code.match_indices(anchor)
        .map(|(at, _)| {
            let rest = &code[at + anchor.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// The longest known module that `path` (`a::b::C`) starts with.
fn resolve(known: &BTreeMap<String, String>, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("/"))
        .find(|m| known.contains_key(m))
}

fn graph(root: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut known = BTreeMap::new();
    modules(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(root),
        "",
        &mut known,
    );
    let mut graph = BTreeMap::new();
    for (module, code) in &known {
        let parent = module.rsplit_once('/').map(|(p, _)| p.replace('/', "::"));
        let mut targets: Vec<String> = paths(code, "crate::")
            .into_iter()
            .map(str::to_owned)
            .collect();
        for p in paths(code, "super::") {
            targets.push(match &parent {
                Some(parent) => format!("{parent}::{p}"),
                None => p.to_owned(),
            });
        }
        let deps: BTreeSet<String> = targets
            .iter()
            .filter_map(|t| resolve(&known, t))
            // Itself, or an ancestor (its parent's items): nesting, not a dependency.
            .filter(|d| d != module && !module.starts_with(&format!("{d}/")))
            .collect();
        graph.insert(module.clone(), deps);
    }
    graph
}

/// The circles of `graph`: each strongly connected group of two or more modules.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(m) = todo.pop() {
            for d in graph.get(&m).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for m in graph.keys() {
        let group: Vec<String> = graph
            .keys()
            .filter(|o| *o == m || (reachable[m].contains(*o) && reachable[*o].contains(m)))
            .cloned()
            .collect();
        if group.len() > 1 && !found.contains(&group) {
            found.push(group);
        }
    }
    found
}

/// `graph` with each module folded into its top-level one (`public/messages` into
/// `public`): a child's dependency is its parent's.
fn top_level(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, BTreeSet<String>> {
    let top = |m: &str| m.split('/').next().unwrap_or(m).to_owned();
    let mut folded: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, deps) in graph {
        let entry = folded.entry(top(m)).or_default();
        entry.extend(deps.iter().map(|d| top(d)).filter(|d| *d != top(m)));
    }
    folded
}

#[test]
fn no_module_circles() {
    for root in ["src", "model/src", "devserver/src"] {
        let g = graph(root);
        assert!(g.len() > 5, "{root}: only {} modules found", g.len());
        assert_eq!(circles(&g), Vec::<Vec<String>>::new(), "{root}");
        assert_eq!(
            circles(&top_level(&g)),
            Vec::<Vec<String>>::new(),
            "{root}, top level"
        );
    }
}

#[test]
fn a_circle_is_found() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(m, d)| (m.to_owned(), d.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(circles(&g), vec![vec!["a", "b", "c"]]);
}

/// Every `.rs` file under `dir`, with its number of lines.
fn line_counts(dir: &Path, out: &mut Vec<(String, usize)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            line_counts(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text.lines().count()));
        }
    }
}

/// No file one has to scroll through: a module that grows past 1,000 lines (its unit
/// tests included) is split into its flows, as `machine/session/` and the devserver's
/// `state/` are.
#[test]
fn no_file_over_a_thousand_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "model/src", "devserver/src"] {
        line_counts(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "only {} files found", files.len());
    let long: Vec<_> = files.into_iter().filter(|(_, n)| *n > 1_000).collect();
    assert_eq!(long, Vec::<(String, usize)>::new());
}
