//! Broken sites never panic (issue 9): random sets of defects, drawn from more than
//! thirty kinds, are injected into a copy of the example site, which is then run
//! through `check` (strict), `build` and the preview's rebuild. Each run must return
//! (no panic, no system error), report at least one error, write nothing, and `check`
//! must report every defect on the file it was made in.
//!
//! The number of cases is `CASEFILE_DEFECT_CASES` (default 300; CI runs 1,700 more after
//! the suite, 2,000 in all; proptest draws new cases each run).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::{Rng, repo};
use casefile::load::LoadCache;
use casefile::serve::snapshot::{self, Snapshot};
use casefile::{BuildOptions, Report};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// The example site's files, read once: relative path -> bytes.
fn example_files() -> &'static BTreeMap<String, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = repo();
        let mut files = BTreeMap::new();
        files.insert(
            "site.yaml".to_string(),
            std::fs::read(root.join("site.yaml")).unwrap(),
        );
        for top in ["content", "templates"] {
            for e in walk(&root.join(top)) {
                let rel = e
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&e).unwrap());
            }
        }
        files
    })
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A site being broken: its files in memory, the files a defect already touched (a
/// second defect never lands on them, so each defect stays visible), and what each
/// defect expects: one of these files carries an error.
struct Broken {
    files: BTreeMap<String, Vec<u8>>,
    used: BTreeSet<String>,
    expected: Vec<(&'static str, Vec<String>)>,
}

impl Broken {
    fn text(&self, rel: &str) -> String {
        String::from_utf8_lossy(&self.files[rel]).into_owned()
    }

    fn set(&mut self, rel: &str, text: String) {
        self.files.insert(rel.to_string(), text.into_bytes());
    }

    /// An unused file under `content/<kind>/`, reserved.
    fn pick(&mut self, kind: &str, rng: &mut Rng) -> Option<String> {
        let prefix = format!("content/{kind}/");
        let free: Vec<String> = self
            .files
            .keys()
            .filter(|k| k.starts_with(&prefix) && k.ends_with(".md") && !self.used.contains(*k))
            // A draft is not rendered, so a broken link in it is not an error.
            .filter(|k| !String::from_utf8_lossy(&self.files[*k]).contains("\ndraft: true"))
            .cloned()
            .collect();
        if free.is_empty() {
            return None;
        }
        let f = free[rng.below(free.len())].clone();
        self.used.insert(f.clone());
        Some(f)
    }

    /// Change the front matter of `rel` with `f` (its lines between the fences).
    fn front(&mut self, rel: &str, f: impl FnOnce(&mut Vec<String>)) {
        let text = self.text(rel);
        let (front, body) = split(&text);
        let mut lines: Vec<String> = front.lines().map(str::to_string).collect();
        f(&mut lines);
        self.set(rel, format!("---\n{}\n---\n{body}", lines.join("\n")));
    }

    fn body_append(&mut self, rel: &str, extra: &str) {
        let text = self.text(rel);
        self.set(rel, format!("{text}\n{extra}\n"));
    }

    fn expect(&mut self, kind: &'static str, files: &[&String]) {
        self.expected
            .push((kind, files.iter().map(|f| f.to_string()).collect()));
    }
}

/// (front matter, body) of a file that starts with a `---` fence.
fn split(text: &str) -> (&str, &str) {
    let rest = text.strip_prefix("---\n").unwrap_or(text);
    match rest.find("\n---\n") {
        Some(i) => (&rest[..i], &rest[i + 5..]),
        None => (rest, ""),
    }
}

/// Remove top-level key `key` and the indented lines that continue it.
fn remove_key(lines: &mut Vec<String>, key: &str) {
    let head = format!("{key}:");
    let mut out = Vec::new();
    let mut skipping = false;
    for l in lines.drain(..) {
        if l.starts_with(&head) {
            skipping = true;
            continue;
        }
        if skipping && (l.starts_with(' ') || l.starts_with('-') || l.is_empty()) {
            continue;
        }
        skipping = false;
        out.push(l);
    }
    *lines = out;
}

/// Set top-level key `key` to `value` (written as YAML), replacing any earlier value.
fn set_key(lines: &mut Vec<String>, key: &str, value: &str) {
    remove_key(lines, key);
    lines.push(format!("{key}: {value}"));
}

fn stem(rel: &str) -> String {
    Path::new(rel)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Kinds that only check's strict rules make errors (build warns).
const STRICT_ONLY: &[&str] = &["unknown key"];

/// Every kind of defect: its name, and how it is made. A maker returns `None` when the
/// site has no free file left for it.
type Maker = fn(&mut Broken, &mut Rng) -> Option<()>;

const KINDS: &[(&str, Maker)] = &[
    ("incident without title", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| remove_key(l, "title"));
        b.expect("incident without title", &[&f]);
        Some(())
    }),
    ("incident without date", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| remove_key(l, "date"));
        b.expect("incident without date", &[&f]);
        Some(())
    }),
    ("group without name", |b, r| {
        let f = b.pick("groups", r)?;
        b.front(&f, |l| remove_key(l, "name"));
        b.expect("group without name", &[&f]);
        Some(())
    }),
    ("weapon without name", |b, r| {
        let f = b.pick("weapons", r)?;
        b.front(&f, |l| remove_key(l, "name"));
        b.expect("weapon without name", &[&f]);
        Some(())
    }),
    ("weapon without category", |b, r| {
        let f = b.pick("weapons", r)?;
        b.front(&f, |l| remove_key(l, "category"));
        b.expect("weapon without category", &[&f]);
        Some(())
    }),
    ("weapon with an unknown category", |b, r| {
        let f = b.pick("weapons", r)?;
        b.front(&f, |l| set_key(l, "category", "laser cannon"));
        b.expect("weapon with an unknown category", &[&f]);
        Some(())
    }),
    ("page without title", |b, r| {
        let f = b.pick("pages", r)?;
        b.front(&f, |l| remove_key(l, "title"));
        b.expect("page without title", &[&f]);
        Some(())
    }),
    ("title of the wrong type", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| set_key(l, "title", "[one, two]"));
        b.expect("title of the wrong type", &[&f]);
        Some(())
    }),
    ("date of the wrong type", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| set_key(l, "date", "{year: 2024}"));
        b.expect("date of the wrong type", &[&f]);
        Some(())
    }),
    ("impossible date", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| set_key(l, "date", "2024-13-45"));
        b.expect("impossible date", &[&f]);
        Some(())
    }),
    ("date_end before date", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| set_key(l, "date_end", "1990-01-01"));
        b.expect("date_end before date", &[&f]);
        Some(())
    }),
    ("latitude out of range", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| {
            set_key(
                l,
                "location",
                "{name: Nowhere, country: Mali, lat: 123.5, lon: 2.0}",
            )
        });
        b.expect("latitude out of range", &[&f]);
        Some(())
    }),
    ("longitude of the wrong type", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| {
            set_key(l, "location", "{country: Mali, lat: 14.0, lon: east}")
        });
        b.expect("longitude of the wrong type", &[&f]);
        Some(())
    }),
    ("unknown group reference", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| {
            set_key(l, "groups", "[{group: No Such Front, role: attacker}]")
        });
        b.expect("unknown group reference", &[&f]);
        Some(())
    }),
    ("unknown weapon reference", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| {
            set_key(l, "weapons", "[{weapon: no-such-rifle, status: used}]")
        });
        b.expect("unknown weapon reference", &[&f]);
        Some(())
    }),
    ("reference to a group that fails to resolve", |b, r| {
        let g = b.pick("groups", r)?;
        let i = b.pick("incidents", r)?;
        b.front(&g, |l| set_key(l, "name", "\"\""));
        let id = stem(&g);
        b.front(&i, |l| {
            set_key(l, "groups", &format!("[{{group: {id}, role: target}}]"))
        });
        b.expect("reference to a group that fails to resolve", &[&g]);
        Some(())
    }),
    ("reference to a weapon file that fails to parse", |b, r| {
        let w = b.pick("weapons", r)?;
        let i = b.pick("incidents", r)?;
        b.front(&w, |l| l.push("calibre: [unclosed".into()));
        let id = stem(&w);
        b.front(&i, |l| {
            set_key(l, "weapons", &format!("[{{weapon: {id}, status: seized}}]"))
        });
        b.expect("reference to a weapon file that fails to parse", &[&w]);
        Some(())
    }),
    ("group parent cycle", |b, r| {
        let g1 = b.pick("groups", r)?;
        let g2 = b.pick("groups", r)?;
        let (s1, s2) = (stem(&g1), stem(&g2));
        b.front(&g1, |l| set_key(l, "parent", &s2));
        b.front(&g2, |l| set_key(l, "parent", &s1));
        b.expect("group parent cycle", &[&g1, &g2]);
        Some(())
    }),
    ("weapon that is its own parent", |b, r| {
        let w = b.pick("weapons", r)?;
        let s = stem(&w);
        b.front(&w, |l| set_key(l, "parent", &s));
        b.expect("weapon that is its own parent", &[&w]);
        Some(())
    }),
    ("two incidents with one slug", |b, r| {
        let i1 = b.pick("incidents", r)?;
        let i2 = b.pick("incidents", r)?;
        b.front(&i1, |l| set_key(l, "slug", "same-slug"));
        b.front(&i2, |l| set_key(l, "slug", "same-slug"));
        b.expect("two incidents with one slug", &[&i1, &i2]);
        Some(())
    }),
    ("two groups with one id", |b, r| {
        let g = b.pick("groups", r)?;
        let copy = format!("content/groups/{}.md", stem(&g).to_uppercase());
        if b.files.contains_key(&copy) {
            return None;
        }
        let text = b.files[&g].clone();
        b.files.insert(copy.clone(), text);
        b.used.insert(copy.clone());
        b.expect("two groups with one id", &[&g, &copy]);
        Some(())
    }),
    ("two groups with one alias", |b, r| {
        let g1 = b.pick("groups", r)?;
        let g2 = b.pick("groups", r)?;
        b.front(&g1, |l| set_key(l, "aliases", "[Shared Alias Brigade]"));
        b.front(&g2, |l| set_key(l, "aliases", "[Shared Alias Brigade]"));
        b.expect("two groups with one alias", &[&g1, &g2]);
        Some(())
    }),
    ("link to a missing content file", |b, r| {
        let f = b.pick("incidents", r)?;
        b.body_append(&f, "See [this](@/groups/no-such-group.md).");
        b.expect("link to a missing content file", &[&f]);
        Some(())
    }),
    ("link to a missing heading", |b, r| {
        let f = b.pick("incidents", r)?;
        let g = b.pick("groups", r)?;
        let target = g.strip_prefix("content/").unwrap().to_string();
        b.body_append(&f, &format!("See [this](@/{target}#no-such-heading)."));
        b.expect("link to a missing heading", &[&f]);
        Some(())
    }),
    ("front matter never closed", |b, r| {
        let f = b.pick("incidents", r)?;
        let text = b.text(&f);
        let (front, body) = split(&text);
        b.set(&f, format!("---\n{front}\n{body}"));
        b.expect("front matter never closed", &[&f]);
        Some(())
    }),
    ("bytes that are not UTF-8", |b, r| {
        let f = b.pick("groups", r)?;
        let mut bytes = b.files[&f].clone();
        bytes.splice(4..4, [0xff, 0xfe, 0x80]);
        b.files.insert(f.clone(), bytes);
        b.expect("bytes that are not UTF-8", &[&f]);
        Some(())
    }),
    ("YAML syntax error", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| l.insert(1, "tags: [unclosed, list".into()));
        b.expect("YAML syntax error", &[&f]);
        Some(())
    }),
    ("empty file", |b, r| {
        let f = b.pick("weapons", r)?;
        b.files.insert(f.clone(), Vec::new());
        b.expect("empty file", &[&f]);
        Some(())
    }),
    ("unknown confidence", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| set_key(l, "confidence", "certainish"));
        b.expect("unknown confidence", &[&f]);
        Some(())
    }),
    ("unknown role", |b, r| {
        let f = b.pick("incidents", r)?;
        let g = b.pick("groups", r)?;
        let id = stem(&g);
        b.front(&f, |l| {
            set_key(l, "groups", &format!("[{{group: {id}, role: overlord}}]"))
        });
        b.expect("unknown role", &[&f]);
        Some(())
    }),
    ("unknown weapon status", |b, r| {
        let f = b.pick("incidents", r)?;
        let w = b.pick("weapons", r)?;
        let id = stem(&w);
        b.front(&f, |l| {
            set_key(
                l,
                "weapons",
                &format!("[{{weapon: {id}, status: vaporised}}]"),
            )
        });
        b.expect("unknown weapon status", &[&f]);
        Some(())
    }),
    ("key given twice", |b, r| {
        let f = b.pick("incidents", r)?;
        b.front(&f, |l| l.push("title: Again".into()));
        b.expect("key given twice", &[&f]);
        Some(())
    }),
    ("unknown key", |b, r| {
        let f = b.pick("groups", r)?;
        b.front(&f, |l| l.push("colour: red".into()));
        b.expect("unknown key", &[&f]);
        Some(())
    }),
    ("negative quantity", |b, r| {
        let f = b.pick("incidents", r)?;
        let w = b.pick("weapons", r)?;
        let id = stem(&w);
        b.front(&f, |l| {
            set_key(l, "weapons", &format!("[{{weapon: {id}, quantity: -3}}]"))
        });
        b.expect("negative quantity", &[&f]);
        Some(())
    }),
    ("broken site.yaml", |b, _| {
        if !b.used.insert("site.yaml".into()) {
            return None;
        }
        let text = b.text("site.yaml");
        b.set("site.yaml", format!("{text}\ntitle: [unclosed\n"));
        b.expect("broken site.yaml", &[&"site.yaml".to_string()]);
        Some(())
    }),
];

/// Inject `defects` (kind, seed) into a copy of the example site.
fn inject(defects: &[(usize, u64)]) -> Broken {
    let mut b = Broken {
        files: example_files().clone(),
        used: BTreeSet::new(),
        expected: Vec::new(),
    };
    for &(kind, seed) in defects {
        let mut rng = Rng(seed | 1);
        (KINDS[kind % KINDS.len()].1)(&mut b, &mut rng);
    }
    b
}

fn write_site(b: &Broken) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in &b.files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn opts(root: &Path, strict: bool) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        strict,
        dry_run: strict,
        ..BuildOptions::default()
    }
}

fn error_files(r: &Report) -> BTreeSet<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.file.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// Run check, build and the preview's rebuild on the broken site and assert what the
/// module doc says.
fn run_case(defects: &[(usize, u64)]) -> Result<(), TestCaseError> {
    let b = inject(defects);
    if b.expected.is_empty() {
        return Ok(());
    }
    let dir = write_site(&b);
    let root = dir.path();
    let kinds: Vec<&str> = b.expected.iter().map(|(k, _)| *k).collect();

    let check = casefile::build(&opts(root, true), &|_| {});
    let check = check.map_err(|e| TestCaseError::fail(format!("{kinds:?}: check: {e}")))?;
    let reported = error_files(&check);
    for (kind, files) in &b.expected {
        prop_assert!(
            files.iter().any(|f| reported.contains(f)),
            "{kinds:?}: check did not report `{kind}` on {files:?}; errors on {reported:?}:\n{}",
            check
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    let build = casefile::build(&opts(root, false), &|_| {})
        .map_err(|e| TestCaseError::fail(format!("{kinds:?}: build: {e}")))?;
    if kinds.iter().all(|k| STRICT_ONLY.contains(k)) {
        // Warnings to build, errors to check: nothing more to see here.
        return Ok(());
    }
    prop_assert!(build.errors() > 0, "{kinds:?}: build found no error");
    prop_assert!(
        !build.written && !root.join("public").exists(),
        "{kinds:?}: build wrote"
    );

    let preview = BuildOptions {
        output: None,
        ..opts(root, false)
    };
    let (snap, retained) = snapshot::rebuild(&preview, &Snapshot::default(), &LoadCache::default());
    prop_assert!(
        !snap.errors.is_empty(),
        "{kinds:?}: the preview found no error"
    );
    prop_assert!(
        snap.files.is_empty() && retained.is_none(),
        "{kinds:?}: the preview served a broken site"
    );
    Ok(())
}

fn cases() -> u32 {
    std::env::var("CASEFILE_DEFECT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// More than 25 kinds, as the issue asks.
#[test]
fn there_are_more_than_25_kinds_of_defect() {
    assert!(KINDS.len() > 25, "{}", KINDS.len());
}

/// Every kind alone is reported on its file (and panics nowhere).
#[test]
fn each_kind_of_defect_alone_is_reported_on_its_file() {
    for (kind, (name, _)) in KINDS.iter().enumerate() {
        for seed in [1u64, 7, 1234567] {
            if let Err(e) = run_case(&[(kind, seed)]) {
                panic!("{name}: {e}");
            }
        }
    }
}

/// The reproduction: check on a site whose one weapon type lacks `category:`
/// reports the missing field with file and line, and exits with errors, not a panic.
#[test]
fn check_with_a_weapon_missing_category_reports_it_and_does_not_panic() {
    let kind = KINDS
        .iter()
        .position(|(k, _)| *k == "weapon without category")
        .unwrap();
    let b = inject(&[(kind, 3)]);
    let dir = write_site(&b);
    let r = casefile::build(&opts(dir.path(), true), &|_| {}).unwrap();
    let file = &b.expected[0].1[0];
    let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "one mistake, one diagnostic: {errors:?}");
    assert_eq!(errors[0].file.to_string_lossy().replace('\\', "/"), *file);
    assert!(
        errors[0].message.contains("category"),
        "{}",
        errors[0].message
    );
}

proptest! {
    // Four shards of a quarter of the cases each, so that the test threads share them.
    #![proptest_config(ProptestConfig {
        cases: cases().div_ceil(4),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_sets_of_defects_never_panic_and_are_each_reported_1(defects in defect_sets()) {
        run_case(&defects)?;
    }

    #[test]
    fn random_sets_of_defects_never_panic_and_are_each_reported_2(defects in defect_sets()) {
        run_case(&defects)?;
    }

    #[test]
    fn random_sets_of_defects_never_panic_and_are_each_reported_3(defects in defect_sets()) {
        run_case(&defects)?;
    }

    #[test]
    fn random_sets_of_defects_never_panic_and_are_each_reported_4(defects in defect_sets()) {
        run_case(&defects)?;
    }
}

/// One to five defects: a kind and a seed that picks the files.
fn defect_sets() -> impl Strategy<Value = Vec<(usize, u64)>> {
    proptest::collection::vec((0..KINDS.len(), any::<u64>()), 1..6)
}
