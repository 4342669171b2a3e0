//! Stage 3, render: Markdown bodies first (in parallel, with the `@/` fragment check),
//! then one template per page (in parallel), feeds, sitemap and data exports, each
//! handed to a `PageSink` as it is made and recorded in an `OutputSet`. The model is
//! only read, but for a plain build dropping the Markdown sources once rendered (and,
//! when load held no incident body, reading each again for its page); a panic while
//! rendering one file becomes an error on that file.

pub mod charts;
pub mod export;
pub mod export_views;
pub mod feeds;
pub mod figures;
pub mod gallery;
pub mod jobs;
pub mod lists;
pub mod map;
pub mod maps;
pub mod markdown;
pub mod overview;
pub mod pages;
pub mod search;
pub mod theme;
pub mod views;

use crate::diag::{Diagnostic, Diagnostics, Pos, code};
use crate::fsx::FsError;
use crate::load::SourceFile;
use crate::model::Site;
use crate::output::{Content, OutputSet, PageSink};
use markdown::{Body, Env};
use pages::Ctx;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use views::*;

/// Section ids the built-in templates always put on incident, group and weapon
/// pages: valid `#fragments` in `@/` links (docs/content-format.md).
pub const INCIDENT_SECTION_IDS: &[&str] = &["summary", "groups", "weapons", "sources", "related"];
pub const GROUP_SECTION_IDS: &[&str] = &["incidents", "weapons", "opponents"];
pub const WEAPON_SECTION_IDS: &[&str] = &["incidents", "groups", "statuses"];

pub(crate) fn section_ids(target: &str) -> &'static [&'static str] {
    match target.split('/').next() {
        Some("incidents") => INCIDENT_SECTION_IDS,
        Some("groups") => GROUP_SECTION_IDS,
        Some("weapons") => WEAPON_SECTION_IDS,
        _ => &[],
    }
}
const SUMMARY_CHARS: usize = 280;

/// What `render` produced.
#[derive(Default)]
pub struct Rendered {
    pub out: OutputSet,
    /// With `record_links`: the `@/` links of each content file, for the output link
    /// check.
    pub markdown_links: MarkdownLinks,
    /// With `retain`: what `Retained` needs besides the site.
    pub kept: Option<Kept>,
    /// Images processed in this run, and images found in the cache.
    pub images: (usize, usize),
}

/// The `@/` links of each content file, by the URL each became in the rendered page (as
/// the HTML writer wrote it). Render checks these links against the model (E0110,
/// E0111) before any page exists and records them here, so that the output link check
/// neither reports a mistake a second time nor blames the template for a link the
/// Markdown wrote.
#[derive(Debug, Default)]
pub struct MarkdownLinks(pub BTreeMap<PathBuf, Vec<(String, MarkdownLink)>>);

/// One `@/` link as render saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownLink {
    /// Byte offset of the link in its file's Markdown body.
    pub offset: usize,
    /// Render reported it already (its target or fragment is missing, or the target
    /// file failed to load and has its own error).
    pub reported: bool,
}

/// The render state a preview keeps to redo one page (see `serve::incremental`).
pub struct Kept {
    pub(crate) rows: Vec<IncidentRow>,
    pub(crate) bodies: pages::Bodies,
    pub(crate) theme: theme::Theme,
    /// For each incident, group, weapon type and page (in `serve::incremental::retained::Kind` order), what
    /// of its body other pages depend on.
    pub(crate) shapes: [Vec<markdown::BodyShape>; 4],
    pub(crate) entries: export::IncidentEntries,
    /// Every page job of the render, in order: a later one-incident update that
    /// would make a different list must run in full.
    pub(crate) jobs: Vec<jobs::Job>,
    /// The published images (an edit that changes an incident's images runs in full).
    pub(crate) media: std::sync::Arc<gallery::Published>,
}

/// Render the whole site. `None` only when the theme cannot be loaded. Each page goes
/// to `pages` as soon as it is made, and so does each feed, export and search file
/// (`PageSink::file`); static files are referenced in the returned set. Without
/// `retain` and `record_links`, the site's Markdown sources are dropped once rendered. With `retain`, the rows, bodies and theme are returned too, for the
/// preview's single-page re-renders; with `record_links`, the `@/` links of every body. (Over 80 lines: bodies, rows, pages, generated
/// files and static files are the stage's steps in order, sharing the one output set.)
pub fn render(
    site: &mut Site,
    root: &Path,
    pages: &dyn PageSink,
    retain: bool,
    record_links: bool,
) -> Result<(Option<Rendered>, Diagnostics), FsError> {
    let mut diags = Diagnostics::default();
    let theme = match theme::load(root) {
        Ok(t) => t,
        Err(ds) => {
            diags.extend(ds);
            return Ok((None, diags));
        }
    };
    // Built from the fields (not `Env::of`): the bodies below are borrowed mutably.
    let env = Env {
        content_urls: &site.content_urls,
        base_path: &site.config.base_path,
        raw_html: site.config.raw_html,
    };
    // A build that keeps nothing for later (neither the preview nor check) drops each
    // Markdown source as soon as its HTML is made, noting where its links stand for
    // their messages: texts and their HTML are never all held at once. When load did
    // not even hold the incidents' texts (`load::load_lean`), their HTML is not held
    // either: each is made for what the rest of the site needs of it, then again for
    // its own page.
    // The images first: their errors and warnings are the model's files', and the pages
    // need each image's sizes.
    let processed =
        crate::media::process(root, &media_files(site), &crate::media::cache::folder(root));
    let images = (processed.made, processed.reused);
    let (published, copies) = gallery::publish(site, processed, &mut diags);
    let drop = !retain && !record_links;
    let lean = drop && site.incidents.iter().any(|i| i.file.released.is_some());
    // Files whose body failed to render: their ids are unknown, so links to their
    // headings are not reported (their own error is the one to fix).
    let mut failed = BTreeSet::new();
    let (inc, summaries, gathered) = if lean {
        incident_gists(site, root, &env, &mut failed, &mut diags)
    } else {
        let inc = bodies(
            site.incidents.iter_mut().map(|i| &mut i.file),
            &env,
            drop,
            &mut failed,
            &mut diags,
        );
        (inc, Vec::new(), None)
    };
    let grp = bodies(
        site.groups.iter_mut().map(|g| &mut g.file),
        &env,
        drop,
        &mut failed,
        &mut diags,
    );
    let wpn = bodies(
        site.weapons.iter_mut().map(|w| &mut w.file),
        &env,
        drop,
        &mut failed,
        &mut diags,
    );
    let pgs = bodies(
        site.pages.iter_mut().map(|p| &mut p.file),
        &env,
        drop,
        &mut failed,
        &mut diags,
    );
    let site: &Site = site;
    let all = [&inc, &grp, &wpn, &pgs];
    let markdown_links = check_links(site, all, &failed, record_links, &mut diags);
    // The lean path's summaries were made with the gists: moved into the rows.
    let rows: Vec<IncidentRow> = if lean {
        (site.incidents.par_iter().zip(summaries))
            .map(|(i, s)| pages::incident_row(site, i, s))
            .collect()
    } else {
        (site.incidents.par_iter().zip(&inc))
            .map(|(i, r)| pages::incident_row(site, i, summary_of(i.summary.as_deref(), r)))
            .collect()
    };
    let shape_of = |v: &[Body]| -> Vec<markdown::BodyShape> {
        if retain {
            v.iter().map(markdown::BodyShape::of).collect()
        } else {
            Vec::new()
        }
    };
    let shapes = [
        shape_of(&inc),
        shape_of(&grp),
        shape_of(&wpn),
        shape_of(&pgs),
    ];
    let html = |v: Vec<Body>| v.into_iter().map(|r| r.html).collect();
    let bodies = pages::Bodies {
        incidents: if lean {
            // Only ids and links were left of them, now checked.
            std::mem::drop(inc);
            Vec::new()
        } else {
            html(inc)
        },
        groups: html(grp),
        weapons: html(wpn),
        pages: html(pgs),
        reread: lean.then(|| root.to_path_buf()),
    };
    let cx = Ctx::new(site, rows, bodies, std::sync::Arc::new(published));
    let mut out = OutputSet::default();
    let jobs = jobs::jobs(&cx);
    let site_view = jobs::site_view(&cx);
    // Feeds and exports are built on one thread while the pages take the others, each
    // handed to `pages` as soon as it is made (a build writes it at once).
    let (rendered, generated_files) = rayon::join(
        || render_pages(&cx, &theme, &site_view, &jobs, pages),
        || -> Result<_, FsError> {
            // Only the preview keeps each incident's entries (to remake one per edit).
            let entries = retain.then(|| export::IncidentEntries::of(&cx));
            let mut files = Vec::new();
            let mut emit = |path: String, bytes: Vec<u8>| -> Result<(), FsError> {
                let content = pages.file(&path, bytes)?;
                files.push((path, content));
                Ok(())
            };
            for (path, bytes) in feeds::atom(&cx) {
                emit(path, bytes)?;
            }
            export::each(&cx, entries.as_ref(), gathered, &mut emit)?;
            Ok((files, entries))
        },
    );
    let (generated_files, entries) = generated_files?;
    for (path, owner, result) in rendered? {
        match result {
            Ok(content) => add(&mut out, path, content, owner, &mut diags),
            Err(d) => diags.push(d),
        }
    }
    if theme::icon(&site.statics) == theme::Icon::Theme {
        add(
            &mut out,
            theme::FAVICON.into(),
            Content::Bytes(theme.favicon.clone().into_bytes()),
            theme.origin(theme::FAVICON),
            &mut diags,
        );
    }
    let generated = PathBuf::from("<generated>");
    add(
        &mut out,
        "style.css".into(),
        Content::Bytes(theme.stylesheet.clone().into_bytes()),
        theme.origin("style.css"),
        &mut diags,
    );
    if site.config.views.search || site.config.views.filters {
        add(
            &mut out,
            "casefile.js".into(),
            Content::Bytes(theme.script.clone().into_bytes()),
            theme.origin("casefile.js"),
            &mut diags,
        );
    }
    for (path, content) in generated_files {
        add(&mut out, path, content, generated.clone(), &mut diags);
    }
    for (path, bytes) in feeds::sitemap(site, &out) {
        let content = pages.file(&path, bytes)?;
        add(&mut out, path, content, generated.clone(), &mut diags);
    }
    for f in &site.statics {
        let path = crate::fsx::slash_path(&f.rel);
        add(
            &mut out,
            path,
            Content::Copy(f.path.clone()),
            Path::new("static").join(&f.rel),
            &mut diags,
        );
    }
    for (path, file, owner) in copies {
        add(&mut out, path, Content::Cached(file), owner, &mut diags);
    }
    // The set is returned even with errors (check goes on to the link check); callers
    // never write a set that came with errors.
    let kept = retain.then(|| Kept {
        rows: cx.rows,
        bodies: cx.bodies,
        theme,
        shapes,
        entries: entries.unwrap_or_default(),
        jobs,
        media: cx.media.clone(),
    });
    let rendered = Rendered {
        out,
        markdown_links,
        kept,
        images,
    };
    Ok((Some(rendered), diags))
}

type PageResult = (String, PathBuf, Result<Content, Diagnostic>);

/// Every image file the site's incidents name, once each, sorted.
fn media_files(site: &Site) -> Vec<String> {
    let files: BTreeSet<&str> = site
        .incidents
        .iter()
        .flat_map(|i| i.media.iter().map(|m| m.file.as_str()))
        .collect();
    files.into_iter().map(str::to_string).collect()
}

/// Render every page job in parallel, each handed to `pages` as soon as it is made.
fn render_pages(
    cx: &Ctx,
    theme: &theme::Theme,
    site_view: &jobs::SiteContext,
    jobs: &[jobs::Job],
    pages: &dyn PageSink,
) -> Result<Vec<PageResult>, FsError> {
    let site = cx.site;
    jobs.par_iter()
        .map(|job| {
            let guarded = catch_unwind(AssertUnwindSafe(|| {
                jobs::render_job(cx, theme, site_view, job)
            }));
            let (path, owner, html) = guarded.unwrap_or_else(|_| {
                let owner = jobs::owner(site, job);
                let d = Diagnostic::error(
                    code::RENDER_PANIC,
                    &owner,
                    Pos::FILE,
                    "rendering this page failed",
                )
                .with_hint("please report this file to the casefile maintainers");
                (String::new(), owner, Err(d))
            });
            let html = match html {
                Ok(html) => html,
                Err(d) => return Ok((path, owner, Err(d))),
            };
            let content = pages.page(&path, html)?;
            Ok((path, owner, Ok(content)))
        })
        .collect::<Result<_, FsError>>()
}

fn add(
    out: &mut OutputSet,
    path: String,
    content: Content,
    owner: PathBuf,
    diags: &mut Diagnostics,
) {
    if let Err(d) = out.insert(path, content, owner) {
        diags.push(d);
    }
}

/// The explicit summary, else the first paragraph cut at a word near `SUMMARY_CHARS`.
pub(crate) fn summary_of(explicit: Option<&str>, body: &Body) -> Option<String> {
    if let Some(s) = explicit {
        return Some(s.to_string());
    }
    let text = body.first_paragraph.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= SUMMARY_CHARS {
        return Some(text.to_string());
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':', '.'])))
}

/// Render every body in parallel; a panic is an error on that file. With `drop`, each
/// file's text is dropped once rendered, its links' positions noted first.
fn bodies<'a>(
    files: impl Iterator<Item = &'a mut SourceFile>,
    env: &Env,
    drop: bool,
    failed: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<Body> {
    let mut files: Vec<&mut SourceFile> = files.collect();
    let empty: std::sync::Arc<str> = std::sync::Arc::from("");
    let results: Vec<Result<Body, Diagnostic>> = files
        .par_iter_mut()
        .map(|f| {
            let body = render_file(f, &f.body, env, drop)?;
            if drop {
                f.body = empty.clone();
            }
            Ok(body)
        })
        .collect();
    (results.into_iter().zip(&files))
        .map(|(r, f)| {
            r.unwrap_or_else(|d| {
                diags.push(d);
                failed.insert(f.content_path.clone());
                Body::default()
            })
        })
        .collect()
}

/// Render `text`, the body of `f`; a panic is an error on the file. With `note`, each
/// link's position is noted, for messages given once the text is gone.
pub(crate) fn render_file(
    f: &SourceFile,
    text: &str,
    env: &Env,
    note: bool,
) -> Result<Body, Diagnostic> {
    let mut body =
        catch_unwind(AssertUnwindSafe(|| markdown::render(text, env))).map_err(|_| {
            Diagnostic::error(
                code::RENDER_PANIC,
                &f.rel,
                Pos::FILE,
                "the Markdown renderer failed on this file",
            )
            .with_hint("please report this file to the casefile maintainers")
        })?;
    if note {
        let offsets: Vec<usize> = body.links.iter().map(|l| l.offset).collect();
        let at = crate::load::source::positions_at(text, &offsets);
        for (l, p) in body.links.iter_mut().zip(at) {
            l.pos = Some(Pos::new(p.line + f.body_line - 1, p.col));
        }
    }
    Ok(body)
}

/// What the rest of a site needs of each incident body that load did not hold
/// (`load::load_lean`): each is read again and rendered, its links (with their
/// positions), ids and summary kept, its words added to the search index, its text
/// and HTML dropped at once. Incidents go newest first (the index's order), a chunk
/// at a time, each chunk in parallel. Returns the bodies without HTML, each incident's
/// summary, and the index gathered (when search is on).
fn incident_gists(
    site: &Site,
    root: &Path,
    env: &Env,
    failed: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) -> (Vec<Body>, Vec<Option<String>>, Option<search::Gathering>) {
    let n = site.incidents.len();
    let mut gathering = site
        .config
        .views
        .search
        .then(|| search::Gathering::new(site));
    let mut gists: Vec<Body> = (0..n).map(|_| Body::default()).collect();
    let mut summaries: Vec<Option<String>> = vec![None; n];
    let order: Vec<usize> = (0..n).rev().collect();
    for chunk in order.chunks(1024) {
        let done: Vec<_> = chunk
            .par_iter()
            .map(|&i| {
                let inc = &site.incidents[i];
                let body = inc
                    .file
                    .body_text(root)
                    .and_then(|text| render_file(&inc.file, &text, env, true));
                let (mut body, error) = match body {
                    Ok(b) => (b, None),
                    Err(d) => (Body::default(), Some(d)),
                };
                let words = gathering
                    .is_some()
                    .then(|| search::incident_words(site, i, &body.html));
                let summary = summary_of(inc.summary.as_deref(), &body);
                body.html = String::new();
                body.first_paragraph = String::new();
                (body, summary, words, error)
            })
            .collect();
        for (&i, (body, summary, words, error)) in chunk.iter().zip(done) {
            if let (Some(g), Some(w)) = (gathering.as_mut(), &words) {
                g.add(w);
            }
            if let Some(d) = error {
                diags.push(d);
                failed.insert(site.incidents[i].file.content_path.clone());
            }
            gists[i] = body;
            summaries[i] = summary;
        }
    }
    (gists, summaries, gathering)
}

/// Every `@/` link must name an existing page, and its `#fragment` an id on that page.
/// With `record`, every link is returned with the URL it became, marked when reported
/// here, for the output link check.
fn check_links(
    site: &Site,
    all: [&Vec<Body>; 4],
    failed: &BTreeSet<String>,
    record: bool,
    diags: &mut Diagnostics,
) -> MarkdownLinks {
    let mut recorded = MarkdownLinks::default();
    let files: Vec<Vec<&SourceFile>> = vec![
        site.incidents.iter().map(|i| &i.file).collect(),
        site.groups.iter().map(|g| &g.file).collect(),
        site.weapons.iter().map(|w| &w.file).collect(),
        site.pages.iter().map(|p| &p.file).collect(),
    ];
    let mut ids: BTreeMap<&str, &BTreeSet<String>> = BTreeMap::new();
    for (kind, rendered) in all.iter().enumerate() {
        for (f, r) in files[kind].iter().zip(rendered.iter()) {
            ids.insert(&f.content_path, &r.ids);
        }
    }
    for (kind, rendered) in all.iter().enumerate() {
        for (f, r) in files[kind].iter().zip(rendered.iter()) {
            for l in &r.links {
                let reported = check_link(site, &ids, failed, f, l, diags);
                if record {
                    let link = MarkdownLink {
                        offset: l.offset,
                        reported,
                    };
                    recorded
                        .0
                        .entry(f.rel.clone())
                        .or_default()
                        .push((l.url.clone(), link));
                }
            }
        }
    }
    recorded
}

/// Check one `@/` link of `f`; true when it is broken (reported here or, for a target
/// that failed to load, by that file's own error).
fn check_link(
    site: &Site,
    ids: &BTreeMap<&str, &BTreeSet<String>>,
    failed: &BTreeSet<String>,
    f: &SourceFile,
    l: &markdown::ContentLink,
    diags: &mut Diagnostics,
) -> bool {
    // Positions are computed only for errors: walking the body per link made this pass
    // quadratic in links per file.
    if !l.resolved {
        if site.names.broken.files.contains(&l.target) {
            // The target exists but failed: its own error is the one to fix.
            return true;
        }
        let hint = crate::diag::did_you_mean(&crate::diag::closest(
            &l.target,
            site.content_urls.keys().map(String::as_str),
        ))
        .unwrap_or_else(|| "an @/ link names a file under content/, e.g. @/groups/jnim.md".into());
        diags.push(
            Diagnostic::error(
                code::BROKEN_LINK,
                &f.rel,
                link_pos(f, l),
                format!("link to `@/{}`: no such content file", l.target),
            )
            .with_hint(hint),
        );
        return true;
    }
    let Some(frag) = &l.fragment else {
        return false;
    };
    if failed.contains(&l.target) {
        // The target's body failed to render, so its ids are unknown; its own error
        // is the one to fix.
        return true;
    }
    let is_section = section_ids(&l.target).contains(&frag.as_str());
    let known = ids
        .get(l.target.as_str())
        .is_some_and(|set| set.contains(frag));
    if known || is_section {
        return false;
    }
    let cands: Vec<&str> = ids
        .get(l.target.as_str())
        .map(|s| crate::diag::closest(frag, s.iter().map(String::as_str)))
        .unwrap_or_default();
    let hint = crate::diag::did_you_mean(&cands)
        .unwrap_or_else(|| "a fragment is the id of a heading on the target page".into());
    diags.push(
        Diagnostic::error(
            code::BROKEN_FRAGMENT,
            &f.rel,
            link_pos(f, l),
            format!("`#{frag}` is not an id on `@/{}`", l.target),
        )
        .with_hint(hint),
    );
    true
}

/// Where link `l` of `f` stands: noted when the text was dropped, else found in it.
fn link_pos(f: &SourceFile, l: &markdown::ContentLink) -> Pos {
    l.pos.unwrap_or_else(|| {
        let p = crate::load::source::pos_at(&f.body, l.offset);
        Pos::new(p.line + f.body_line - 1, p.col)
    })
}
