//! The output link checker: every `href` and `src` in the rendered HTML that points
//! inside the site must name a file of this build, and every `#fragment` an id on the
//! target page. It reads what `render` scanned from each page (never the network); a broken
//! link is reported at the Markdown line that produced it when the source file holds
//! the link, else on the page's source file or generated page.

use crate::diag::{Diagnostic, Pos, code};
use crate::fsx::FsError;
use crate::load::SourceFile;
use crate::output::{Content, OutputSet, PageSink};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The links and ids of one rendered HTML page: all the link check needs, so pages
/// need not be kept once rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Every `id` on the page, sorted, without repeats.
    pub ids: Vec<String>,
    /// Every `href` and `src` value, sorted, without repeats.
    pub links: Vec<String>,
}

impl PageLinks {
    /// One pass over the page for `id`, `href` and `src` attributes.
    pub fn scan(html: &str) -> PageLinks {
        let mut ids = Vec::new();
        let mut links = Vec::new();
        for (name, value) in attributes(html) {
            if name == "id" {
                ids.push(value);
            } else {
                links.push(value);
            }
        }
        for v in [&mut ids, &mut links] {
            v.sort_unstable();
            v.dedup();
        }
        PageLinks { ids, links }
    }

    fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|i| i.as_str().cmp(id)).is_ok()
    }
}

/// Check's checks on a rendered site: every internal link and fragment of every
/// scanned page, and with `external` every http(s) link too.
pub fn all(
    root: &Path,
    site: &crate::model::Site,
    out: &OutputSet,
    pages: &BTreeMap<String, PageLinks>,
    external: Option<&crate::external::Options>,
) -> Vec<Diagnostic> {
    let sources = site.sources();
    let config = &site.config;
    let mut diags = check(root, out, pages, &config.base_path, &sources);
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
/// file, relative to the site root) to its source, to locate links in Markdown.
pub fn check(
    root: &Path,
    out: &OutputSet,
    pages: &BTreeMap<String, PageLinks>,
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
                check_link(out, pages, base_path, page, link)
                    .map(|problem| locate(root, sources, owner, page, link, problem))
            })
        })
        .collect()
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

/// Every `id`, `href` and `src` attribute of `html` written as ` name="value"` (as
/// the renderer and Tera write them), in page order, with `&amp;`, `&quot;` and `&#39;`
/// decoded. Attribute values cannot hold `"`, so one search for `="` finds them all.
pub fn attributes(html: &str) -> impl Iterator<Item = (&'static str, String)> + '_ {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, b"=\"").filter_map(move |eq| {
        let before = &bytes[..eq];
        let name = ["href", "src", "id"].into_iter().find(|n| {
            before.ends_with(n.as_bytes())
                && before.len() > n.len()
                && before[before.len() - n.len() - 1].is_ascii_whitespace()
        })?;
        let start = eq + 2;
        let len = memchr::memchr(b'"', &bytes[start..])?;
        let raw = &html[start..start + len];
        Some((
            name,
            if raw.contains('&') {
                raw.replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
            } else {
                raw.to_string()
            },
        ))
    })
}

/// Every value of one attribute (`href`, `src` or `id`) in `html`.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    attributes(html)
        .filter(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .collect()
}

/// Where a link on a page came from.
enum Origin {
    /// Written in the page's source file, at this position (body or front matter).
    Source(PathBuf, Pos),
    /// The template wrote it on a page made from this source file.
    Template(PathBuf),
    /// A generated page (lists, taxonomy) or a static file.
    Generated(PathBuf),
}

/// Find where `link` on `page` came from: the Markdown body of the page's source, else
/// its front matter (the file is read again: this only runs for broken links), else
/// the template.
fn origin(
    root: &Path,
    sources: &BTreeMap<PathBuf, &SourceFile>,
    owner: &Path,
    page: &str,
    link: &str,
) -> Origin {
    let Some(src) = sources.get(owner) else {
        return Origin::Generated(PathBuf::from(format!("<output>/{page}")));
    };
    let bare = link.split('#').next().unwrap_or(link);
    let needles = [
        format!("]({link}"),
        format!("]({bare}"),
        format!("\"{link}\""),
        link.to_string(),
    ];
    for n in needles.iter().filter(|n| !n.is_empty()) {
        if let Some(off) = src.body.find(n.as_str()) {
            // Point at the link target itself, past `](` or the opening quote.
            let skip = n.len() - n.trim_start_matches(['(', ']', '"']).len();
            let p = crate::load::source::pos_at(&src.body, off + skip);
            return Origin::Source(
                owner.to_path_buf(),
                Pos::new(p.line + src.body_line - 1, p.col),
            );
        }
    }
    let text = crate::fsx::read_limited(&root.join(owner))
        .ok()
        .and_then(|bytes| crate::load::source::decode(owner, bytes).ok());
    let front = text
        .as_deref()
        .map(|t| &t[..t.len() - src.body.len().min(t.len())]);
    if let Some(front) = front
        && let Some(off) = front.find(link).or_else(|| front.find(bare))
    {
        let p = crate::load::source::pos_at(front, off);
        return Origin::Source(owner.to_path_buf(), p);
    }
    Origin::Template(owner.to_path_buf())
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
    let (file, pos, message, hint) = match origin(root, sources, owner, page, link) {
        Origin::Source(file, pos) => (
            file,
            pos,
            format!("broken link {problem}"),
            "fix the link; for content pages prefer `@/path/to/file.md` links",
        ),
        Origin::Template(file) => (
            file,
            Pos::FILE,
            format!(
                "broken link in the page made from this file (the template wrote it): {problem}"
            ),
            "check the template that renders this page",
        ),
        Origin::Generated(file) => (
            file,
            Pos::FILE,
            format!("broken link {problem}"),
            "a template or static file produced this link",
        ),
    };
    Diagnostic::error(code::BROKEN_OUTPUT_LINK, &file, pos, message).with_hint(hint)
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
    opts: &crate::external::Options,
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
            let Some(url) = crate::external::fetchable(link).filter(|_| !own(link)) else {
                continue;
            };
            urls.push(url);
            uses.entry((owner.clone(), url))
                .or_insert((page.as_str(), link.as_str()));
        }
    }
    urls.sort_unstable();
    urls.dedup();
    let outcomes = crate::external::check(&urls, opts);
    // Not sorted here: the report sorts every diagnostic.
    uses
        .into_iter()
        .filter_map(|((owner, url), (page, link))| {
            let outcome = outcomes.get(url)?;
            let (what, hint) = match outcome {
                crate::external::Outcome::Ok => return None,
                crate::external::Outcome::Status(s @ (404 | 410)) => (
                    format!("answered {s}: the page is gone"),
                    "link an archived copy (e.g. https://web.archive.org/) or the new address",
                ),
                crate::external::Outcome::Status(s @ (401 | 403 | 429)) => (
                    format!("answered {s}"),
                    "the server refuses automated requests or wants a login; open the link in a browser to confirm",
                ),
                crate::external::Outcome::Status(s) => (
                    format!("answered {s}"),
                    "check the address; a 5xx answer may be temporary",
                ),
                crate::external::Outcome::Failed(why) => (
                    format!("could not be fetched: {why}"),
                    "check the address, or re-run: the host may be down or slow (--external-timeout)",
                ),
            };
            let (file, pos, message) = match origin(root, sources, &owner, page, link) {
                Origin::Source(file, pos) => (file, pos, format!("external link `{url}` {what}")),
                Origin::Template(file) => (
                    file,
                    Pos::FILE,
                    format!("external link `{url}` (written by the template) {what}"),
                ),
                Origin::Generated(file) => (file, Pos::FILE, format!("external link `{url}` {what}")),
            };
            Some(Diagnostic::warning(code::EXTERNAL_LINK, &file, pos, message).with_hint(hint))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_found_and_decoded() {
        assert_eq!(
            attr_values(
                r#"<a href="/a/?x=1&amp;y=2">x</a> <img src="i.png">"#,
                "href"
            ),
            vec!["/a/?x=1&y=2"]
        );
    }

    #[test]
    fn one_pass_finds_ids_and_links_but_not_lookalike_attributes() {
        let page = PageLinks::scan(
            "<h2 id=\"b\">x</h2><a data-href=\"no\" href=\"/x/\"\nid=\"a\">y</a>\
             <img src=\"/x/\"> <p>href=\"text\"</p>",
        );
        assert_eq!(page.ids, vec!["a", "b"]);
        assert_eq!(page.links, vec!["/x/"]);
    }

    #[test]
    fn relative_paths_normalize_inside_the_site_only() {
        assert_eq!(normalize("a/b/../c/"), Some("a/c/".into()));
        assert_eq!(normalize("../x"), None);
    }
}
