//! The output link check: every `href` and `src` in the rendered HTML that points
//! inside the site must name a file of this build, and every `#fragment` an id on the
//! target page. It reads what `render` scanned from each page (`scan.rs`, never the
//! network) and turns broken links into diagnostics, located by `super::origin`; the
//! answers of `check --external` (fetched by `external.rs`) become warnings here too.

use super::scan::PageLinks;
use super::{Origin, origin};
use crate::diag::{Diagnostic, Pos, code};
use crate::fsx::FsError;
use crate::load::SourceFile;
use crate::output::{Content, OutputSet, PageSink};
use crate::render::{MarkdownLink, MarkdownLinks};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Render's `@/` links, by the URL each became in the page as the scan reads it: the
/// lookup the output check needs to know which links the Markdown wrote.
struct WrittenLinks(BTreeMap<PathBuf, BTreeMap<String, MarkdownLink>>);

impl WrittenLinks {
    fn of(markdown: &MarkdownLinks) -> Self {
        let mut map: BTreeMap<PathBuf, BTreeMap<String, MarkdownLink>> = BTreeMap::new();
        for (file, links) in &markdown.0 {
            let entry = map.entry(file.clone()).or_default();
            for (url, link) in links {
                // The first of equal URLs is kept.
                entry.entry(written_url(url)).or_insert(*link);
            }
        }
        WrittenLinks(map)
    }

    fn get(&self, file: &Path, url: &str) -> Option<MarkdownLink> {
        self.0.get(file)?.get(url).copied()
    }
}

/// The URL a `@/` link's `url` becomes in the page as the scan reads it: written by the
/// same HTML writer the body goes through (which escapes it) and read back by the same
/// scan, so that both sides of the output check's lookup are spelt alike.
fn written_url(url: &str) -> String {
    use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
    // The usual case, quickly: characters the writer leaves as they are.
    if url
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/:?#=@!$%()*+,;^".contains(&b))
    {
        return url.to_string();
    }
    let link = Tag::Link {
        link_type: LinkType::Inline,
        dest_url: url.into(),
        title: "".into(),
        id: "".into(),
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        [Event::Start(link), Event::End(TagEnd::Link)].into_iter(),
    );
    PageLinks::scan(&html)
        .links
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Check's checks on a rendered site: every internal link and fragment of every
/// scanned page, and with `external` every http(s) link too.
pub fn all(
    root: &Path,
    site: &crate::model::Site,
    rendered: &crate::render::Rendered,
    pages: &BTreeMap<String, PageLinks>,
    external: Option<&super::external::Options>,
) -> Vec<Diagnostic> {
    let sources = site.sources();
    let config = &site.config;
    let out = &rendered.out;
    let markdown = &rendered.markdown_links;
    let mut diags = check(root, out, pages, markdown, &config.base_path, &sources);
    if let Some(ext) = external {
        diags.extend(self::external(
            root,
            out,
            pages,
            &config.base_url,
            &sources,
            ext,
        ));
    }
    diags
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
    let markdown = WrittenLinks::of(markdown);
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

/// A page consumer that scans each HTML page for its links and ids, then passes it on:
/// how a strict run collects what the link check needs while pages stream past.
pub struct Scanning<'a> {
    inner: &'a dyn PageSink,
    found: std::sync::Mutex<Vec<(String, PageLinks)>>,
}

impl<'a> Scanning<'a> {
    pub fn new(inner: &'a dyn PageSink) -> Self {
        Scanning {
            inner,
            found: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Output path -> the links and ids of that page.
    pub fn into_links(self) -> BTreeMap<String, PageLinks> {
        self.found
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect()
    }
}

impl PageSink for Scanning<'_> {
    fn page(&self, path: &str, html: String) -> Result<Content, FsError> {
        let links = PageLinks::scan(&html);
        self.found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), links));
        self.inner.page(path, html)
    }

    fn file(&self, path: &str, bytes: Vec<u8>) -> Result<Content, FsError> {
        self.inner.file(path, bytes)
    }
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
