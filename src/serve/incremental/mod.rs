//! The preview's incremental state, in one home. Between rebuilds of one site the
//! preview keeps two things, both owned by `Incremental` and by nothing else:
//!
//! - load's cache of parsed files (`load::LoadCache`), each reused while its bytes are
//!   unchanged;
//! - the last good build's model and render state (`retained::Retained`), for the fast
//!   paths: a body edit re-renders one page, and a front-matter edit to one incident
//!   updates the model through `model::edit` (a patch that `Retained` alone applies)
//!   and re-renders the pages `dirty` names.
//!
//! Every rebuild tries the fast paths, then falls back to the same pipeline the build
//! runs (`crate::build_in_memory`). The built model is never edited by anyone else, and
//! a fast path that gives up consumes the state it was working on, so a half-updated
//! state can never be used. The differential tests (`--verify-incremental`,
//! tests/it/incremental.rs, tests/it/serve.rs) compare every rebuild with a build from
//! scratch.

pub mod dirty;
pub mod retained;

use super::snapshot::{self, Snapshot};
use crate::BuildOptions;
use crate::load::{LoadCache, Reread};
use bytes::Bytes;
use retained::Retained;
use std::path::PathBuf;

/// What the preview keeps from one rebuild to the next.
#[derive(Default)]
pub struct Incremental {
    cache: LoadCache,
    /// `None` until a build succeeds, and after a build with errors.
    retained: Option<Retained>,
}

impl Incremental {
    /// The next snapshot after `changed` (paths relative to the site root): a fast path
    /// when one applies, else the whole pipeline in memory.
    pub fn rebuild(
        &mut self,
        opts: &BuildOptions,
        previous: &Snapshot,
        changed: &[PathBuf],
    ) -> Snapshot {
        if let Some(retained) = self.retained.take()
            && let Some((snap, retained)) =
                quick_rebuild(opts, previous, &self.cache, retained, changed)
        {
            self.retained = Some(retained);
            return snap;
        }
        self.cache.forget(changed);
        let (snap, kept) = snapshot::rebuild(opts, previous, &self.cache);
        self.retained = kept.filter(|_| snap.errors.is_empty());
        snap
    }
}

/// The preview's fast paths, for a rebuild caused by one changed content file of the
/// last good build:
/// - only its Markdown body changed, in a way no other page shows: re-render its page;
/// - it is an incident that kept its slug: update the model for it and re-render the
///   pages that show it (`Retained::edit_incident`).
///
/// Returns the next snapshot and the updated state, or `None` (the state is consumed):
/// then the full pipeline runs.
fn quick_rebuild(
    opts: &BuildOptions,
    previous: &Snapshot,
    cache: &LoadCache,
    mut retained: Retained,
    changed: &[PathBuf],
) -> Option<(Snapshot, Retained)> {
    let [rel] = changed else { return None };
    if !previous.errors.is_empty() || previous.is_empty() || opts.strict || opts.deny_warnings {
        return None;
    }
    let started = std::time::Instant::now();
    let (kind, i) = retained.locate(rel)?;
    let one_page = |files| (files, Vec::new(), vec![("one page", started.elapsed())]);
    let (files, removed, mut timings) = match cache.reread(&opts.root, rel)? {
        Reread::Body(text) => one_page(retained.rerender(kind, i, text)?),
        Reread::Incident { doc, body_only } => {
            let page = body_only
                .then(|| retained.rerender(kind, i, doc.file.body.clone()))
                .flatten();
            match page {
                Some(page) => one_page(page),
                None => {
                    let (next, edited) = retained.edit_incident(i, *doc, opts.drafts)?;
                    retained = next;
                    (edited.files, edited.removed, edited.timings)
                }
            }
        }
    };
    let swapping = std::time::Instant::now();
    let mut all = previous.files.clone();
    // The search index was made again: its shards are named by prefix, so shards of
    // tokens that are gone must go too.
    if files.iter().any(|(p, _)| p == "search/index.js") {
        all.retain(|p, _| !(p.starts_with("search/t-") || p.starts_with("search/d-")));
    }
    let pages_changed = !removed.is_empty() || files.iter().any(|(p, _)| !all.contains_key(p));
    for path in &removed {
        all.remove(path);
    }
    for (path, bytes) in files {
        all.insert(path, Bytes::from(bytes));
    }
    if pages_changed {
        let mut paths: Vec<&str> = all.keys().map(String::as_str).collect();
        paths.sort_unstable();
        let xml = crate::render::feeds::sitemap_of(retained.base_url(), paths.into_iter());
        all.insert("sitemap.xml".into(), Bytes::from(xml));
    }
    timings.push(("snapshot", swapping.elapsed()));
    let snap = Snapshot::new(
        all,
        previous.generation + 1,
        Vec::new(),
        opts.root.clone(),
        timings,
    )
    .with_disk(previous.on_disk.clone());
    Some((snap, retained))
}
