//! The output link check: every `href` and `src` in the rendered HTML that points
//! inside the site must name a file of this build, and every `#fragment` an id on the
//! target page. It reads what `render` scanned from each page (`scan.rs`, never the
//! network) and turns broken links into diagnostics, located by `super::origin`; the
//! answers of `check --external` (fetched by `external.rs`) become warnings here too.

use super::scan::PageLinks;
use super::{Origin, origin};
use crate::diag::{Diagnostic, Pos, code};
use crate::load::SourceFile;
use crate::output::OutputSet;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `@/` links of each content file, by the URL each became in the rendered page (as
/// the scan reads it). Render checks these links against the model (E0110, E0111) before
/// any page exists and records them here, so that the output check neither reports a
/// mistake a second time nor blames the template for a link the Markdown wrote.
#[derive(Debug, Default)]
pub struct MarkdownLinks(BTreeMap<PathBuf, BTreeMap<String, MarkdownLink>>);

/// One `@/` link as render saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownLink {
    /// Byte offset of the link in its file's Markdown body.
    pub offset: usize,
    /// Render reported it already (its target or fragment is missing, or the target
    /// file failed to load and has its own error).
    pub reported: bool,
}

impl MarkdownLinks {
    /// Record that `file` wrote `url` with a `@/` link; the first of equal URLs is kept.
    pub fn add(&mut self, file: &Path, url: String, link: MarkdownLink) {
        self.0
            .entry(file.to_path_buf())
            .or_default()
            .entry(url)
            .or_insert(link);
    }

    fn get(&self, file: &Path, url: &str) -> Option<MarkdownLink> {
        self.0.get(file)?.get(url).copied()
    }
}

/// Check every scanned page: `pages` maps an output path to its links (from
/// `render`), `out` says which files exist. `sources` maps a page's owner (a content
/// file, relative to the site root) to its source, to locate links in Markdown;
/// `markdown` says which links came from `@/` links render has checked.
pub fn check(
    root: &Path,
    out: &OutputSet,
    pages: &BTreeMap<String, PageLinks>,
    markdown: &MarkdownLinks,
    base_path: &str,
    sources: &BTreeMap<PathBuf, &SourceFile>,
) -> Vec<Diagnostic> {
    let list: Vec<(&String, &PageLinks, &Path)> = pages
        .iter()
        .filter_map(|(p, l)| out.get(p).map(|e| (p, l, e.owner.as_path())))
        .collect();
    // Not sorted here: the report sorts every diagnostic.
    list.par_iter()
        .flat_map_iter(|(page, links, owner)| {
            links.links.iter().filter_map(|link| {
                let written = markdown.get(owner, link);
                if written.is_some_and(|w| w.reported) {
                    // One mistake, one diagnostic: render reported it at the link.
                    return None;
                }
                let problem = check_link(out, pages, base_path, page, link)?;
                Some(match written {
                    Some(w) => at_markdown_link(sources, owner, w, problem),
                    None => locate(root, sources, owner, page, link, problem),
                })
            })
        })
        .collect()
}

/// A `@/` link that named an existing page and id in the model, broken in the output all
/// the same (a template override left out the section it names), at the link.
fn at_markdown_link(
    sources: &BTreeMap<PathBuf, &SourceFile>,
    owner: &Path,
    link: MarkdownLink,
    problem: String,
) -> Diagnostic {
    let pos = sources.get(owner).map_or(Pos::FILE, |src| {
        let p = crate::load::source::pos_at(&src.body, link.offset);
        Pos::new(p.line + src.body_line - 1, p.col)
    });
    Diagnostic::error(
        code::BROKEN_OUTPUT_LINK,
        owner,
        pos,
        format!("broken link {problem}"),
    )
    .with_hint("the target exists, but its rendered page lacks this: check the templates")
}

/// Why a link is broken, if it is.
fn check_link(
    out: &OutputSet,
    pages: &BTreeMap<String, PageLinks>,
    base: &str,
    page: &str,
    link: &str,
) -> Option<String> {
    let has_scheme = |scheme: &str| {
        link.get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    };
    if ["http://", "https://", "mailto:", "tel:", "//"]
        .into_iter()
        .any(has_scheme)
        || link == "#"
    {
        return None;
    }
    let (path_part, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        page.to_string()
    } else if path_part.starts_with('/') {
        let Some(rel) = path_part.strip_prefix(base) else {
            return Some(format!("`{link}` is outside the site's base path `{base}`"));
        };
        resolve_file(out, rel)
    } else {
        let dir = Path::new(page)
            .parent()
            .map(crate::fsx::slash_path)
            .unwrap_or_default();
        let Some(joined) = normalize(&format!("{dir}/{path_part}")) else {
            return Some(format!("`{link}` climbs out of the site"));
        };
        resolve_file(out, &joined)
    };
    if out.get(&target).is_none() {
        return Some(format!(
            "`{link}` points to a page this build does not produce"
        ));
    }
    match fragment {
        Some(f) if !f.is_empty() && pages.get(target.as_str()).is_some_and(|p| !p.has_id(f)) => {
            Some(format!("`{link}`: no element with id `{f}` on that page"))
        }
        _ => None,
    }
}

/// The output file an in-site path names (`groups/x/` -> `groups/x/index.html`); the
/// path itself when nothing matches, so the caller reports it.
fn resolve_file(out: &OutputSet, rel: &str) -> String {
    let rel = percent_decode(rel);
    if !rel.ends_with('/') && out.get(&rel).is_some() {
        return rel.into_owned();
    }
    let index = if rel.ends_with('/') || rel.is_empty() {
        format!("{rel}index.html")
    } else {
        format!("{rel}/index.html")
    };
    if out.get(&index).is_some() {
        index
    } else {
        rel.into_owned()
    }
}

/// Resolve `.` and `..` in a relative path; `None` when it climbs out of the site.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    Some(format!("{}{trailing}", parts.join("/")))
}

/// `s` with `%XX` escapes decoded; as it is when it holds none or a bad one.
fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    crate::model::urls::percent_decode(s).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// A broken internal link as a diagnostic at its origin.
fn locate(
    root: &Path,
    sources: &BTreeMap<PathBuf, &SourceFile>,
    owner: &Path,
    page: &str,
    link: &str,
    problem: String,
) -> Diagnostic {
    let (file, pos, len, message, hint) = match origin(root, sources, owner, page, link) {
        Origin::Source(file, pos, len) => (
            file,
            pos,
            len,
            format!("broken link {problem}"),
            "fix the link; for content pages prefer `@/path/to/file.md` links",
        ),
        Origin::Template(file) => (
            file,
            Pos::FILE,
            0,
            format!(
                "broken link in the page made from this file (the template wrote it): {problem}"
            ),
            "check the template that renders this page",
        ),
        Origin::Generated(file) => (
            file,
            Pos::FILE,
            0,
            format!("broken link {problem}"),
            "a template or static file produced this link",
        ),
    };
    Diagnostic::error(code::BROKEN_OUTPUT_LINK, &file, pos, message)
        .with_hint(hint)
        .with_len(len)
}

/// Check the http(s) links of every scanned page over the network (`check --external`):
/// a warning for each page source (or generated page) holding a link that does not
/// answer 2xx. Links under the site's own `base_url` (canonical and feed links, which
/// do not exist before publishing) are not fetched.
pub fn external(
    root: &Path,
    out: &OutputSet,
    pages: &BTreeMap<String, PageLinks>,
    base_url: &str,
    sources: &BTreeMap<PathBuf, &SourceFile>,
    opts: &super::external::Options,
) -> Vec<Diagnostic> {
    let own = |l: &str| {
        !base_url.is_empty()
            && l.get(..base_url.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(base_url))
    };
    let mut uses: BTreeMap<(PathBuf, &str), (&str, &str)> = BTreeMap::new();
    let mut urls: Vec<&str> = Vec::new();
    for (page, links) in pages {
        let owner = out.get(page).map(|e| e.owner.clone()).unwrap_or_default();
        for link in &links.links {
            let Some(url) = super::external::fetchable(link).filter(|_| !own(link)) else {
                continue;
            };
            urls.push(url);
            uses.entry((owner.clone(), url))
                .or_insert((page.as_str(), link.as_str()));
        }
    }
    urls.sort_unstable();
    urls.dedup();
    let outcomes = super::external::check(&urls, opts);
    // Not sorted here: the report sorts every diagnostic.
    uses
        .into_iter()
        .filter_map(|((owner, url), (page, link))| {
            let outcome = outcomes.get(url)?;
            let (what, hint) = match outcome {
                super::external::Outcome::Ok => return None,
                super::external::Outcome::Status(s @ (404 | 410)) => (
                    format!("answered {s}: the page is gone"),
                    "link an archived copy (e.g. https://web.archive.org/) or the new address",
                ),
                super::external::Outcome::Status(s @ (401 | 403 | 429)) => (
                    format!("answered {s}"),
                    "the server refuses automated requests or wants a login; open the link in a browser to confirm",
                ),
                super::external::Outcome::Status(s) => (
                    format!("answered {s}"),
                    "check the address; a 5xx answer may be temporary",
                ),
                super::external::Outcome::Failed(why) => (
                    format!("could not be fetched: {why}"),
                    "check the address, or re-run: the host may be down or slow (--external-timeout)",
                ),
            };
            let (file, pos, len, message) = match origin(root, sources, &owner, page, link) {
                Origin::Source(file, pos, len) => {
                    (file, pos, len, format!("external link `{url}` {what}"))
                }
                Origin::Template(file) => (
                    file,
                    Pos::FILE,
                    0,
                    format!("external link `{url}` (written by the template) {what}"),
                ),
                Origin::Generated(file) => {
                    (file, Pos::FILE, 0, format!("external link `{url}` {what}"))
                }
            };
            Some(
                Diagnostic::warning(code::EXTERNAL_LINK, &file, pos, message)
                    .with_hint(hint)
                    .with_len(len),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_normalize_inside_the_site_only() {
        assert_eq!(normalize("a/b/../c/"), Some("a/c/".into()));
        assert_eq!(normalize("../x"), None);
    }
}
