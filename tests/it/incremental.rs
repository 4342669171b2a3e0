//! The preview's one-incident model update (`model::edit::edit_incident`) against a
//! model built from scratch, over hundreds of random edits, with and without drafts.
//! (serve.rs checks the rendered pages; this checks the model, faster and more often.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::{self, Rng, Site};
use casefile::load::LoadCache;
use casefile::model::{self, Site as Model};
use std::path::PathBuf;

/// A model of `site` from scratch (the files are parsed again when they changed).
fn fresh(site: &Site, cache: &LoadCache, drafts: bool) -> Option<Model> {
    let (config, _) = casefile::config::load(site.root(), None, false).unwrap();
    let (corpus, d) = casefile::load::load_cached(site.root(), false, cache);
    if d.has_errors() {
        return None;
    }
    let (model, d) = model::build(corpus, config, drafts, false);
    model.filter(|_| !d.has_errors())
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
            let doc = edits.reload_incident(site.root(), &rel);
            let scratch = fresh(&site, &scratch_cache, drafts).unwrap();
            let known = model.incidents.iter().any(|x| x.file.rel == rel);
            match doc.and_then(|d| model::edit::edit_incident(model, d, drafts)) {
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
        let doc = cache.reload_incident(site.root(), &rel).unwrap();
        assert!(model::edit::edit_incident(&mut m, doc, true).is_none());
        assert_eq!(format!("{:?}{:?}", m.incidents, m.graph), before);
    }
    // A file that does not parse is not even offered.
    std::fs::write(site.path("content/incidents/i7.md"), "---\ntitle: [\n---\n").unwrap();
    assert!(cache.reload_incident(site.root(), &rel).is_none());
}
