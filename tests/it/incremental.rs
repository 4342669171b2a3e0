//! The preview's incremental rebuilds against builds from scratch, without a server:
//! the one-incident model update (`model::edit::edit_incident`) against a model built
//! from scratch, and the whole rebuild (`serve::incremental::Incremental::rebuild`: a fast path, else a full
//! rebuild) against a scratch build of the same files, over hundreds of random edits
//! with and without drafts. (serve.rs checks the same through the running server.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::{self, Rng, Site};
use casefile::BuildOptions;
use casefile::load::raw::RawIncident;
use casefile::load::{Doc, LoadCache, Reread};
use casefile::model::edit::IncidentEdit;
use casefile::model::{self, Site as Model};
use casefile::serve::incremental::Incremental;
use casefile::serve::snapshot::{self, Snapshot};
use std::path::{Path, PathBuf};

/// A model of `site` from scratch (the files are parsed again when they changed).
fn fresh(site: &Site, cache: &LoadCache, drafts: bool) -> Option<Model> {
    let (raw, _) = casefile::load::config::read(site.root(), false).unwrap();
    let (config, _) = model::config::resolve(raw, None).unwrap();
    let (corpus, d) = casefile::load::load_cached(site.root(), false, cache);
    if d.has_errors() {
        return None;
    }
    let (model, d) = model::build(corpus, config, drafts, false);
    model.filter(|_| !d.has_errors())
}

/// Incident file `rel` read again through `cache`, when it parses without an error.
fn reread_incident(cache: &LoadCache, root: &Path, rel: &Path) -> Option<Doc<RawIncident>> {
    match cache.reread(root, rel)? {
        Reread::Incident { doc, .. } => Some(*doc),
        Reread::Body(_) => None,
    }
}

/// The one-incident update of the incident loaded from `doc`'s file, when the model
/// has it.
fn edit(model: &mut Model, doc: Doc<RawIncident>, drafts: bool) -> Option<IncidentEdit> {
    let from = model
        .incidents
        .iter()
        .position(|x| x.file.rel == doc.file.rel)?;
    model::edit::edit_incident(model, from, doc, drafts)
}

fn assert_same(updated: &Model, scratch: &Model, round: usize) {
    let debug = |m: &Model| format!("{:#?}", m.incidents);
    assert_eq!(
        debug(updated),
        debug(scratch),
        "incidents differ, round {round}"
    );
    assert!(
        updated.graph == scratch.graph,
        "graphs differ, round {round}:\n{:#?}\n{:#?}",
        updated.graph,
        scratch.graph
    );
}

#[test]
fn one_incident_updates_equal_a_model_built_from_scratch() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let n = 250;
    let site = util::dense_site(n, &mut rng);
    let edits = LoadCache::default();
    let scratch_cache = LoadCache::default();
    let mut with_drafts = fresh(&site, &edits, true).unwrap();
    let mut without = fresh(&site, &edits, false).unwrap();
    let (mut applied, mut refused_draft) = (0, 0);
    for round in 0..150 {
        let i = rng.below(n);
        let rel = PathBuf::from(format!("content/incidents/i{i}.md"));
        let draft = rng.below(8) == 0;
        util::write_dense_incident(&site, i, &mut rng, if draft { "draft: true\n" } else { "" });
        scratch_cache.forget(std::slice::from_ref(&rel));
        for (model, drafts) in [(&mut with_drafts, true), (&mut without, false)] {
            let doc = reread_incident(&edits, site.root(), &rel);
            let scratch = fresh(&site, &scratch_cache, drafts).unwrap();
            let known = model.incidents.iter().any(|x| x.file.rel == rel);
            match doc.and_then(|d| edit(model, d, drafts)) {
                Some(edit) => {
                    applied += 1;
                    assert!(drafts || !draft);
                    assert_eq!(model.incidents[edit.moved.to].file.rel, rel);
                    assert_same(model, &scratch, round);
                }
                None => {
                    // Only a draft left out, or a file the model left out, is refused.
                    assert!(!drafts && (draft || !known), "refused in round {round}");
                    refused_draft += 1;
                    *model = scratch;
                }
            }
        }
    }
    assert!(applied >= 250, "only {applied} updates applied");
    assert!(refused_draft > 0, "no draft was refused");
}

#[test]
fn an_edit_that_breaks_a_reference_or_the_slug_is_refused_and_leaves_the_model() {
    let mut rng = Rng(0xDEAD_BEEF_0BAD_F00D);
    let site = util::dense_site(30, &mut rng);
    let cache = LoadCache::default();
    let mut m = fresh(&site, &cache, true).unwrap();
    let before = format!("{:?}{:?}", m.incidents, m.graph);
    let rel = PathBuf::from("content/incidents/i7.md");
    let text = std::fs::read_to_string(site.path("content/incidents/i7.md")).unwrap();
    for bad in [
        text.replacen("group: g", "group: nobody", 1),
        text.replacen("---\n", "---\nslug: another-slug\n", 1),
    ] {
        std::fs::write(site.path("content/incidents/i7.md"), &bad).unwrap();
        let doc = reread_incident(&cache, site.root(), &rel).unwrap();
        assert!(edit(&mut m, doc, true).is_none());
        assert_eq!(format!("{:?}{:?}", m.incidents, m.graph), before);
    }
    // A file that does not parse is not even offered.
    std::fs::write(site.path("content/incidents/i7.md"), "---\ntitle: [\n---\n").unwrap();
    assert!(reread_incident(&cache, site.root(), &rel).is_none());
}

const NG: usize = 30;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
const NW: usize = 10;

/// A varied incident: shared dates, explicit slugs that sort differently from the
/// file name, spellings that differ only in case, holders, origins, drafts, summaries,
/// `updated:`, and a fragment link to another incident.
fn incident_text(i: usize, rng: &mut Rng, n: usize, drafts_ok: bool) -> String {
    let roles = ["attacker", "target", "participant", "claimant", "victim"];
    let statuses = ["used", "captured", "seized", "displayed", "destroyed"];
    let countries = ["Mali", "Niger", "Burkina Faso", "mali", "Chad"];
    let origins = ["Russia", "China", "russia", "Iran", "Serbia"];
    let tags = ["ambush", "Ambush", "ied", "raid", "drone"];
    let mut s = String::from("---\n");
    s += &format!("title: Incident {i} v{}\n", rng.below(1000));
    if i.is_multiple_of(5) {
        // explicit slug that sorts differently from the stem
        s += &format!("slug: z-inc-{i}\n");
    }
    let day = 1 + rng.below(3);
    let month = 1 + rng.below(2);
    s += &format!("date: 2020-{month:02}-{day:02}\n");
    if rng.below(4) == 0 {
        s += &format!("summary: Summary {}\n", rng.below(10));
    }
    if drafts_ok && i % 7 != 3 && rng.below(6) == 0 {
        s += "draft: true\n";
    }
    if rng.below(5) == 0 {
        s += &format!("updated: 2021-0{}-01\n", 1 + rng.below(9));
    }
    s += &format!(
        "confidence: {}\n",
        ["confirmed", "reported", "claimed", "disputed"][rng.below(4)]
    );
    if rng.below(4) != 0 {
        s += &format!(
            "location: {{name: Place {}, country: {}}}\n",
            rng.below(5),
            countries[rng.below(countries.len())]
        );
    }
    let ngroups = rng.below(4);
    let mut gs = Vec::new();
    if ngroups > 0 {
        s += "groups:\n";
        for _ in 0..ngroups {
            // skewed: low ids common, high ids rare
            let g = match rng.below(4) {
                0 => rng.below(NG),
                1 => rng.below(8),
                _ => rng.below(3),
            };
            gs.push(g);
            s += &format!(
                "  - {{group: g{g}, role: {}}}\n",
                roles[rng.below(roles.len())]
            );
        }
    }
    let nweapons = rng.below(4);
    if nweapons > 0 {
        s += "weapons:\n";
        for _ in 0..nweapons {
            let w = if rng.below(3) == 0 {
                rng.below(NW)
            } else {
                rng.below(3)
            };
            s += &format!(
                "  - {{weapon: w{w}, status: {}",
                statuses[rng.below(statuses.len())]
            );
            if rng.below(2) == 0 {
                s += &format!(", quantity: {}", 1 + rng.below(5));
            }
            if rng.below(3) == 0 && !gs.is_empty() {
                s += &format!(", from: g{}", gs[rng.below(gs.len())]);
            }
            if rng.below(3) == 0 {
                s += &format!(", origin: {}", origins[rng.below(origins.len())]);
            }
            s += "}\n";
        }
    }
    if rng.below(2) == 0 {
        s += &format!("tags: [{}]\n", tags[rng.below(tags.len())]);
    }
    s += &format!("sources: [\"https://example.org/{i}\"]\n");
    s += "---\n";
    s += &format!("First paragraph {} of {i}.\n\n", rng.below(4));
    s += "## Details\n\nText.\n\n";
    let j = (rng.below(n) / 7) * 7 + 3;
    let j = if j >= n { 3 } else { j };
    s += &format!(
        "See [other](@/incidents/i{j}.md#details) and [g](@/groups/g{}.md).\n",
        rng.below(NG)
    );
    s
}

/// A site of `n` varied incidents over 30 groups and 10 weapon types (skewed towards a
/// few), a page with a fragment link, seven incidents per list page.
fn varied_site(root: &Path, n: usize, rng: &mut Rng, drafts_ok: bool) {
    for g in 0..NG {
        write(
            root,
            &format!("content/groups/g{g}.md"),
            &format!("---\nname: Group {g}\n---\nGroup {g}.\n"),
        );
    }
    let cats = ["assault rifle", "rocket", "mortar", "uav"];
    for w in 0..NW {
        let origin = match w % 4 {
            0 => "origin: Russia\n",
            1 => "origin: China\n",
            2 => "",
            _ => "origin: Serbia\n",
        };
        write(
            root,
            &format!("content/weapons/w{w}.md"),
            &format!(
                "---\nname: Weapon {w}\ncategory: {}\n{origin}---\n",
                cats[w % 4]
            ),
        );
    }
    for i in 0..n {
        write(
            root,
            &format!("content/incidents/i{i}.md"),
            &incident_text(i, rng, n, drafts_ok),
        );
    }
    write(
        root,
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee [i1](@/incidents/i3.md#details).\n",
    );
    write(
        root,
        "site.yaml",
        "title: Fuzz\nbase_url: https://fuzz.example.org/\nincidents_per_page: 7\nfeed_limit: 5\n",
    );
}

/// `rounds` edits to a fresh varied site; the number that took a fast path.
fn run(seed: u64, drafts: bool, n: usize, rounds: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let mut rng = Rng(seed);
    varied_site(&root, n, &mut rng, true);
    let opts = BuildOptions {
        root: root.clone(),
        drafts,
        base_url: Some("http://127.0.0.1:9/".into()),
        dry_run: true,
        ..BuildOptions::default()
    };
    let mut state = Incremental::default();
    let mut snap = state.rebuild(&opts, &Snapshot::default(), &[]);
    assert!(snap.errors.is_empty(), "{:?}", snap.errors);
    let (mut quick, mut full) = (0, 0);
    // A heading rename or a bad reference is undone by the next edit.
    let mut restore: Option<(usize, String)> = None;
    for round in 0..rounds {
        let mut i = rng.below(n);
        if let Some((ri, _)) = &restore {
            i = *ri;
        }
        let rel = PathBuf::from(format!("content/incidents/i{i}.md"));
        let mut text = incident_text(i, &mut rng, n, true);
        let old = std::fs::read_to_string(root.join(&rel)).unwrap();
        match rng.below(10) {
            // body-only edit: later paragraph
            0 | 1 => text = old.replace("Text.", &format!("Text {}.", rng.below(100))),
            // first paragraph only
            2 => text = old.replacen("First paragraph", "Changed paragraph", 1),
            // heading rename (links from others may break)
            3 if rng.below(3) == 0 => text = old.replace("## Details", "## Other"),
            // bad reference
            4 if rng.below(3) == 0 => text = old.replacen("group: g", "group: nobody", 1),
            _ => {}
        }
        if let Some((_, t)) = restore.take() {
            text = t;
        } else if text.contains("## Other") || text.contains("nobody") {
            restore = Some((i, old.clone()));
        }
        // avoid same mtime/size issues
        std::thread::sleep(std::time::Duration::from_millis(2));
        write(&root, rel.to_str().unwrap(), &text);
        let next = state.rebuild(&opts, &snap, std::slice::from_ref(&rel));
        // A full rebuild times the pipeline's stages; the fast paths time their own.
        if next.timings.iter().any(|(stage, _)| *stage == "load") {
            full += 1;
        } else {
            quick += 1;
        }
        let (scratch, _) = snapshot::rebuild(&opts, &snap, &LoadCache::default());
        let diff = snapshot::differences(&next, &scratch);
        if !diff.is_empty() {
            // The first difference of the first file, for the failure message.
            let first = diff.iter().find_map(|d| {
                let (a, b) = (next.files.get(d)?, scratch.files.get(d)?);
                let pos = a.iter().zip(b.iter()).position(|(x, y)| x != y)?;
                let around = |s: &[u8]| {
                    String::from_utf8_lossy(&s[pos.saturating_sub(200)..(pos + 200).min(s.len())])
                        .into_owned()
                };
                Some(format!(
                    "{d} at byte {pos}\nserved:  {}\nscratch: {}",
                    around(a),
                    around(b)
                ))
            });
            panic!(
                "seed {seed} drafts {drafts} round {round} edit i{i}: {diff:?}\n{}\n{text}\nerrors: {:?} / {:?}",
                first.unwrap_or_default(),
                next.errors,
                scratch.errors
            );
        }
        snap = next;
    }
    assert_eq!(quick + full, rounds);
    quick
}

/// The preview's rebuild as `serve` runs it (a fast path, else a full rebuild) after
/// each of many random edits, compared with a build from scratch every time.
/// `CASEFILE_EDIT_SEEDS`, `_ROUNDS` and `_INCIDENTS` run it longer.
#[test]
fn random_edits_through_the_fast_paths_equal_builds_from_scratch() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let seeds = env("CASEFILE_EDIT_SEEDS", 4) as u64;
    let rounds = env("CASEFILE_EDIT_ROUNDS", 60);
    let n = env("CASEFILE_EDIT_INCIDENTS", 40);
    for s in 0..seeds {
        let seed = 0x9E37_79B9_7F4A_7C15u64 ^ (s.wrapping_mul(0x1000_0001) + 1);
        let quick = run(seed, s % 2 == 0, n, rounds);
        assert!(
            quick * 2 >= rounds,
            "seed {seed}: fast path taken {quick} times of {rounds}"
        );
    }
}
