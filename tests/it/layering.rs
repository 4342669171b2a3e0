//! The layering of the library, enforced: every `crate::...` path in src/ is read and
//! checked against the allowed graph below, so that a lower layer that starts using a
//! higher one fails here rather than in a reviewer's head.

use crate::util::repo;
use std::collections::BTreeSet;
use std::path::Path;

/// The layers, lowest first, and what each may use besides itself. This table is the
/// one place the architecture's direction of dependencies is written down.
const LAYERS: &[(&str, &[&str], &str)] = &[
    (
        "base",
        &[],
        "diagnostics, the file-system boundary, the output set and the manifest are used \
         by every stage, so they may use no stage",
    ),
    (
        "load",
        &["base"],
        "reading files knows nothing of what they mean",
    ),
    (
        "media",
        &["base"],
        "processing images knows files and settings, never what the content says of them",
    ),
    (
        "model",
        &["base", "load"],
        "resolving reads the loaded corpus and never what is made from the model",
    ),
    (
        "render",
        &["base", "load", "model", "media"],
        "rendering reads the frozen model and hands pages to a consumer it does not know",
    ),
    (
        "write",
        &["base"],
        "writing puts an output set on disk, whatever made it",
    ),
    (
        "check",
        &["base", "load", "model", "media", "render"],
        "check composes the stages and adds its own checks; no stage knows it",
    ),
    (
        "driver",
        &["base", "load", "model", "media", "render", "write", "check"],
        "lib.rs composes the stages into build and check",
    ),
    (
        "serve",
        &[
            "base", "load", "model", "media", "render", "write", "check", "driver",
        ],
        "the preview is built on top of the pipeline",
    ),
    (
        "author",
        &["base", "load", "model", "driver"],
        "the authoring commands (init, new, import) read a site as the build does and \
         write content, never output",
    ),
];

/// The layer of a source file (path relative to src/), or `None` for the binary's own
/// files, which may use anything and which the library never uses.
fn layer_of(rel: &str) -> Option<&'static str> {
    let top = rel.split('/').next().unwrap_or(rel).trim_end_matches(".rs");
    Some(match top {
        "diag" | "fsx" | "manifest" | "output" => "base",
        "load" => "load",
        "media" => "media",
        "model" => "model",
        "render" => "render",
        "write" => "write",
        "check" => "check",
        "lib" => "driver",
        "serve" => "serve",
        "author" => "author",
        "main" | "alloc" | "cli" | "present" => return None,
        other => panic!("src/{rel}: module `{other}` has no layer; add it to layer_of"),
    })
}

/// The top-level modules a file names through `crate::` (grouped imports included),
/// comments left out.
fn crate_uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn sources() -> Vec<(String, String)> {
    let src = repo().join("src");
    walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let mut broken = Vec::new();
    for (rel, text) in sources() {
        let Some(layer) = layer_of(&rel) else {
            continue;
        };
        let (_, allowed, _) = LAYERS.iter().find(|(l, _, _)| *l == layer).unwrap();
        for used in crate_uses(&text) {
            // Items defined in lib.rs itself (`crate::build`, `crate::BuildOptions`)
            // belong to the driver.
            let target = if used.chars().next().is_some_and(char::is_uppercase)
                || ["build", "check", "build_in_memory"].contains(&used.as_str())
            {
                "driver"
            } else {
                match layer_of(&format!("{used}.rs")) {
                    Some(l) => l,
                    None => {
                        broken.push(format!("src/{rel} ({layer}) uses the binary's `{used}`"));
                        continue;
                    }
                }
            };
            if target != layer && !allowed.contains(&target) {
                broken.push(format!(
                    "src/{rel} ({layer}) uses `crate::{used}` ({target})"
                ));
            }
        }
    }
    assert!(broken.is_empty(), "forbidden edges:\n{}", broken.join("\n"));
}

/// The model is pure: it reads the corpus it is given and touches no file.
#[test]
fn the_model_does_no_file_io() {
    for (rel, text) in sources() {
        if layer_of(&rel) != Some("model") {
            continue;
        }
        for bad in ["std::fs", "fsx::read", "fsx::walk", "File::open"] {
            assert!(!text.contains(bad), "src/{rel} does file IO ({bad})");
        }
    }
}

#[test]
fn the_layer_table_names_only_known_layers() {
    let names: Vec<&str> = LAYERS.iter().map(|(l, _, _)| *l).collect();
    for (layer, allowed, why) in LAYERS {
        assert!(!why.is_empty(), "{layer}: say why");
        for a in *allowed {
            assert!(names.contains(a), "{layer} allows unknown layer {a}");
            let pos = |n: &str| names.iter().position(|x| *x == n).unwrap();
            assert!(
                pos(a) < pos(layer),
                "{layer} may only use layers listed before it"
            );
        }
    }
    assert!(Path::new(&repo().join("src/lib.rs")).is_file());
}
