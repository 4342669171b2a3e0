//! The check layer, on top of the pipeline: what `casefile check` (and `build --strict`)
//! adds to a build. `scan` reads each rendered page for its links and ids as the pages
//! pass (`links::Scanning`, a page consumer the driver puts in front of the real one),
//! `links` checks them against the output set (and turns the answers of `check
//! --external` into warnings), `external` fetches http(s) links politely. Nothing in
//! load, model, render or write depends on this module. The content rules
//! (`model::rules`) still live in the model.

pub mod external;
pub mod links;
pub mod scan;

use crate::diag::Pos;
use crate::load::SourceFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a link on a page came from.
enum Origin {
    /// Written in the page's source file, at this position (body or front matter), this
    /// many characters long.
    Source(PathBuf, Pos, usize),
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
    // A link that is only a `#fragment` has no bare part to look for: `](` alone
    // would find any Markdown link.
    let needles = [
        format!("]({link}"),
        if bare.is_empty() {
            String::new()
        } else {
            format!("]({bare}")
        },
        format!("\"{link}\""),
        link.to_string(),
    ];
    for n in needles.iter().filter(|n| !n.is_empty()) {
        if let Some(off) = src.body.find(n.as_str()) {
            // Point at the link target itself, past `](` or the opening quote.
            let target = n.trim_start_matches(['(', ']', '"']);
            let p = crate::load::source::pos_at(&src.body, off + n.len() - target.len());
            return Origin::Source(
                owner.to_path_buf(),
                Pos::new(p.line + src.body_line - 1, p.col),
                target.trim_end_matches('"').chars().count(),
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
        && let Some((off, found)) = [link, bare]
            .into_iter()
            .filter(|n| !n.is_empty())
            .find_map(|n| front.find(n).map(|off| (off, n)))
    {
        let p = crate::load::source::pos_at(front, off);
        return Origin::Source(owner.to_path_buf(), p, found.chars().count());
    }
    Origin::Template(owner.to_path_buf())
}
