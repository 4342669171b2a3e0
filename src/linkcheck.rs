//! The output link checker: every `href` and `src` in the rendered HTML that points
//! inside the site must name a file of this build, and every `#fragment` an id on the
//! target page. It reads the in-memory `OutputSet` only (never the network); a broken
//! link is reported at the Markdown line that produced it when the source file holds
//! the link, else on the page's source file or generated page.

use crate::diag::{Diagnostic, Pos, code};
use crate::load::SourceFile;
use crate::output::{Content, OutputSet};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Check every HTML page of `out`. `sources` maps a page's owner (a content file,
/// relative to the site root) to its source, to locate links in Markdown.
pub fn check(
    out: &OutputSet,
    base_path: &str,
    sources: &BTreeMap<PathBuf, &SourceFile>,
) -> Vec<Diagnostic> {
    let pages: Vec<(&String, &str, &PathBuf)> = out
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, e)| match &e.content {
            Content::Bytes(b) => std::str::from_utf8(b).ok().map(|s| (p, s, &e.owner)),
            _ => None,
        })
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .par_iter()
        .map(|(p, html, _)| (p.as_str(), attr_values(html, "id").into_iter().collect()))
        .collect();
    let mut diags: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|(page, html, owner)| {
            let mut found = Vec::new();
            let mut seen = BTreeSet::new();
            for attr in ["href", "src"] {
                for link in attr_values(html, attr) {
                    if !seen.insert(link.clone()) {
                        continue;
                    }
                    if let Some(problem) = check_link(out, &ids, base_path, page, &link) {
                        found.push(locate(sources, owner, page, &link, problem));
                    }
                }
            }
            found
        })
        .collect();
    diags.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    diags
}

/// Why a link is broken, if it is.
fn check_link(
    out: &OutputSet,
    ids: &BTreeMap<&str, BTreeSet<String>>,
    base: &str,
    page: &str,
    link: &str,
) -> Option<String> {
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("//")
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
    } else if let Some(abs) = path_part.strip_prefix('/') {
        let Some(rel) = format!("/{abs}").strip_prefix(base).map(str::to_string) else {
            return Some(format!("`{link}` is outside the site's base path `{base}`"));
        };
        resolve_file(out, &rel)
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
        Some(f)
            if !f.is_empty() && ids.get(target.as_str()).is_some_and(|set| !set.contains(f)) =>
        {
            Some(format!("`{link}`: no element with id `{f}` on that page"))
        }
        _ => None,
    }
}

/// The output file an in-site path names (`groups/x/` -> `groups/x/index.html`); the
/// path itself when nothing matches, so the caller reports it.
fn resolve_file(out: &OutputSet, rel: &str) -> String {
    let rel = percent_decode(rel);
    let candidates = [
        rel.clone(),
        format!("{rel}index.html"),
        format!("{rel}/index.html"),
    ];
    let found = candidates
        .iter()
        .find(|c| !c.ends_with('/') && out.get(c).is_some());
    found.cloned().unwrap_or(rel)
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Every value of `name="..."` attributes in `html`, entities `&amp;` decoded.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let start = from + i + needle.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        out.push(
            html[start..start + len]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'"),
        );
        from = start + len;
    }
    out
}

/// A diagnostic at the Markdown line holding the link when the page's source has it,
/// else on the source file, else on the generated page.
fn locate(
    sources: &BTreeMap<PathBuf, &SourceFile>,
    owner: &Path,
    page: &str,
    link: &str,
    problem: String,
) -> Diagnostic {
    if let Some(src) = sources.get(owner) {
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
                let pos = Pos::new(p.line + src.body_line - 1, p.col);
                return Diagnostic::error(
                    code::BROKEN_OUTPUT_LINK,
                    owner,
                    pos,
                    format!("broken link {problem}"),
                )
                .with_hint("fix the link; for content pages prefer `@/path/to/file.md` links");
            }
        }
        return Diagnostic::error(
            code::BROKEN_OUTPUT_LINK,
            owner,
            Pos::FILE,
            format!(
                "broken link in the page made from this file (the template wrote it): {problem}"
            ),
        )
        .with_hint("check the template that renders this page");
    }
    let file = PathBuf::from(format!("<output>/{page}"));
    Diagnostic::error(
        code::BROKEN_OUTPUT_LINK,
        &file,
        Pos::FILE,
        format!("broken link {problem}"),
    )
    .with_hint("a template or static file produced this link")
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
    fn relative_paths_normalize_inside_the_site_only() {
        assert_eq!(normalize("a/b/../c/"), Some("a/c/".into()));
        assert_eq!(normalize("../x"), None);
    }
}
