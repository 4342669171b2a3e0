//! Test helpers: throwaway sites in temp folders (empty, generated, or copied from a
//! fixture under `tests/fixtures/`), running builds in process and through the binary,
//! asserting on diagnostics, and reading the output back.
#![allow(dead_code)]

mod asserts;
mod read_back;

pub use asserts::*;
pub use read_back::*;

use casefile::{BuildOptions, Report};
use std::path::{Path, PathBuf};

/// A site in a temp folder. Files are written with `file`.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with a minimal site.yaml.
    pub fn new() -> Self {
        let s = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        s.file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\n",
        );
        s
    }

    /// A copy of the fixture site `tests/fixtures/<name>/` (site.yaml and content/) in a
    /// temp folder, free to edit.
    pub fn fixture(name: &str) -> Self {
        let from = repo().join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        let s = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_tree(&from, s.root());
        s
    }

    /// The `basic` fixture: groups `jnim` (JNIM, alias GSIM) and `is-sahel` (IS Sahel,
    /// alias ISGS), weapon types `rpg-7` (firing `pg-7v`) and `pg-7v`, and no incident.
    pub fn basic() -> Self {
        Site::fixture("basic")
    }

    /// A copy of the example site (content, templates, data, site.yaml), free to edit.
    pub fn example() -> Self {
        let s = Site::new();
        copy_tree(&repo().join("content"), &s.path("content"));
        copy_tree(&repo().join("templates"), &s.path("templates"));
        copy_tree(&repo().join("data"), &s.path("data"));
        std::fs::copy(repo().join("site.yaml"), s.path("site.yaml")).unwrap();
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a text file (parents created).
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// An incident file with the given extra front matter lines.
    pub fn incident(&self, stem: &str, front: &str, body: &str) -> &Self {
        self.file(
            &format!("content/incidents/{stem}.md"),
            &format!("---\ntitle: Incident {stem}\ndate: 2024-03-22\n{front}---\n{body}"),
        )
    }

    pub fn opts(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        }
    }

    /// Build into `<root>/public`; panics on a system error.
    pub fn build(&self) -> Report {
        casefile::build(&self.opts(), &|_| {}).unwrap()
    }

    pub fn build_with(&self, f: impl FnOnce(&mut BuildOptions)) -> Report {
        let mut o = self.opts();
        f(&mut o);
        casefile::build(&o, &|_| {}).unwrap()
    }

    /// Read an output file as text.
    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("public").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn out_exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    /// The folder in the site's cache that keeps `public/`'s spare tree and swap (made by
    /// the first build).
    pub fn output_state(&self) -> PathBuf {
        let cache = self.path(".casefile-cache");
        let mut found: Vec<PathBuf> = std::fs::read_dir(&cache)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("output-")
            })
            .collect();
        assert_eq!(found.len(), 1, "one output folder in {}", cache.display());
        found.pop().unwrap()
    }
}

/// Every file under `dir`, relative path -> bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// The `casefile` binary, run as a user runs it.
pub fn cli() -> assert_cmd::Command {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_casefile"))
}

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Site {
    /// Build options with `--base-url` set.
    pub fn build_opts_with_base(&self, url: &str) -> BuildOptions {
        BuildOptions {
            base_url: Some(url.to_string()),
            ..self.opts()
        }
    }
}

/// Copy the folder `from` to `to`, folders created.
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A small deterministic pseudo-random sequence (xorshift), for repeatable edits.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A dense generated incident: few groups, weapon types, countries and tags, so that
/// timelines, related lists and term pages overlap a lot.
pub fn write_dense_incident(s: &Site, i: usize, rng: &mut Rng, extra: &str) {
    let g = |rng: &mut Rng| rng.below(6);
    let (a, t, p) = (g(rng), g(rng), g(rng));
    let (w1, w2) = (rng.below(8), rng.below(8));
    let statuses = ["used", "captured", "seized", "displayed"];
    let countries = ["Mali", "Niger", "Burkina Faso"];
    let confidence = ["confirmed", "reported", "claimed"];
    let summary = if rng.below(3) == 0 {
        format!("summary: Summary {} of {i}.\n", rng.below(50))
    } else {
        String::new()
    };
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let year = 2018 + rng.below(3);
    s.file(
        &format!("content/incidents/i{i}.md"),
        &format!(
            "---\ntitle: Incident {i} take {}\ndate: {year}-{month:02}-{day:02}\nconfidence: {}\n{summary}{extra}\
             location: {{name: Place {}, country: {}}}\n\
             groups:\n  - {{group: g{a}, role: attacker}}\n  - {{group: g{t}, role: target}}\n  - {{group: g{p}, role: participant}}\n\
             weapons:\n  - {{weapon: w{w1}, status: {}, quantity: {}}}\n  - {{weapon: w{w2}, status: {}, from: g{a}}}\n\
             tags: [t{}]\nsources: [\"https://example.org/{i}\"]\n---\n\
             First paragraph of {i}, take {}.\n\nMore about [group](@/groups/g{a}.md).\n",
            rng.below(1000),
            confidence[rng.below(3)],
            rng.below(30),
            countries[rng.below(3)],
            statuses[rng.below(4)],
            1 + rng.below(9),
            statuses[rng.below(4)],
            rng.below(3),
            rng.below(5),
        ),
    );
}

/// A site of `n` dense incidents (`write_dense_incident`), six groups and eight weapon
/// types, twenty incidents per list page.
pub fn dense_site(n: usize, rng: &mut Rng) -> Site {
    let site = Site::new();
    for g in 0..6 {
        site.file(
            &format!("content/groups/g{g}.md"),
            &format!("---\nname: Group {g}\n---\nGroup {g}.\n"),
        );
    }
    for w in 0..8 {
        let category = if w % 2 == 0 {
            "assault rifle"
        } else {
            "rocket"
        };
        site.file(
            &format!("content/weapons/w{w}.md"),
            &format!(
                "---\nname: Weapon {w}\ncategory: {category}\norigin: Country {}\n---\n",
                w % 3
            ),
        );
    }
    for i in 0..n {
        write_dense_incident(&site, i, rng, "");
    }
    std::fs::write(
        site.path("site.yaml"),
        "title: Dense\nbase_url: https://dense.example.org\nincidents_per_page: 20\n",
    )
    .unwrap();
    site
}
