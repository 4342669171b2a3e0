//! The theme: the built-in templates, stylesheet and icon embedded in the binary at
//! compile time, overridden file by file by a site's own `templates/` folder, the
//! templates loaded into one Tera instance with autoescaping on for HTML. Template
//! errors become diagnostics on the template file. It also decides which icon a site
//! links (`icon`): its own from `static/`, else the theme's.

use crate::diag::{Diagnostic, Pos, code};
use std::path::{Path, PathBuf};

/// Built-in templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    (
        "incident.html",
        include_str!("../../templates/incident.html"),
    ),
    ("group.html", include_str!("../../templates/group.html")),
    ("weapon.html", include_str!("../../templates/weapon.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "incidents.html",
        include_str!("../../templates/incidents.html"),
    ),
    ("groups.html", include_str!("../../templates/groups.html")),
    ("weapons.html", include_str!("../../templates/weapons.html")),
    ("term.html", include_str!("../../templates/term.html")),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    ("custody.html", include_str!("../../templates/custody.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "timeline-year.html",
        include_str!("../../templates/timeline-year.html"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
    ("casefile.js", include_str!("../../templates/casefile.js")),
    (FAVICON, include_str!("../../templates/favicon.svg")),
];

/// The theme's icon, by its name in `templates/` and in the output.
pub const FAVICON: &str = "favicon.svg";

/// Icons a site may ship in `static/` instead of the theme's, in order of preference.
const OWN_ICONS: &[&str] = &["favicon.svg", "favicon.ico"];

/// A loaded theme: the Tera instance, the stylesheet and the icon.
pub struct Theme {
    pub tera: tera::Tera,
    pub stylesheet: String,
    /// The search box's and filters' script (`casefile.js`).
    pub script: String,
    /// The SVG text of `favicon.svg`.
    pub favicon: String,
    /// Where each template came from (for error messages).
    origins: Vec<(String, PathBuf)>,
}

impl Theme {
    pub fn origin(&self, name: &str) -> PathBuf {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PathBuf::from(format!("<built-in>/{name}")))
    }
}

/// Load the built-in theme with `<root>/templates/*` overriding it.
pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut sources: Vec<(String, String, PathBuf)> = BUILTIN
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                t.to_string(),
                PathBuf::from(format!("<built-in>/{n}")),
            )
        })
        .collect();
    let dir = root.join("templates");
    let fence = crate::fsx::canonical_lenient(root);
    let (files, problems) = crate::fsx::walk(&dir, &fence);
    for p in problems {
        diags.push(Diagnostic::error(
            code::TEMPLATE,
            &p.path,
            Pos::FILE,
            p.message,
        ));
    }
    for f in files {
        let name = crate::fsx::slash_path(&f.rel);
        let rel = Path::new("templates").join(&f.rel);
        match crate::fsx::read_limited(&f.path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        {
            Some(text) => match sources.iter_mut().find(|(n, _, _)| *n == name) {
                Some(slot) => *slot = (name, text, rel),
                None => sources.push((name, text, rel)),
            },
            None => diags.push(Diagnostic::error(
                code::TEMPLATE,
                &rel,
                Pos::FILE,
                "cannot read template as UTF-8",
            )),
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let text_of = |name: &str| {
        sources
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, t, _)| t.clone())
            .unwrap_or_default()
    };
    let stylesheet = text_of("style.css");
    let favicon = text_of(FAVICON);
    let script = text_of("casefile.js");
    let templates: Vec<(String, String)> = sources
        .iter()
        .filter(|(n, _, _)| n.ends_with(".html"))
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.push(template_error(&e, |n| {
            sources
                .iter()
                .find(|(s, _, _)| s == n)
                .map(|(_, _, p)| p.clone())
        }));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let origins = sources.into_iter().map(|(n, _, p)| (n, p)).collect();
    Ok(Theme {
        tera,
        stylesheet,
        script,
        favicon,
        origins,
    })
}

/// The icon a site's pages link, as an output path: a `favicon.svg` or `favicon.ico` of
/// the site's own at the top of `static/` (a site that had one before the theme had an
/// icon keeps it, and it does not collide with the theme's), else the theme's
/// `favicon.svg`, which render then writes. Every page links an icon, so that no browser
/// asks for a `/favicon.ico` that does not exist.
pub fn icon(statics: &[crate::fsx::Found]) -> Icon {
    OWN_ICONS
        .iter()
        .find_map(|name| {
            statics
                .iter()
                .map(|f| crate::fsx::slash_path(&f.rel))
                .find(|rel| rel.eq_ignore_ascii_case(name))
        })
        .map_or(Icon::Theme, Icon::Own)
}

/// Which icon the pages link (see `icon`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Icon {
    /// The site's own, copied from `static/` like any static file: its output path.
    Own(String),
    /// The theme's `favicon.svg`.
    Theme,
}

impl Icon {
    /// The icon's output path.
    pub fn path(&self) -> &str {
        match self {
            Icon::Own(p) => p,
            Icon::Theme => FAVICON,
        }
    }
}

/// A Tera error as a diagnostic on the template it names (line and column when given).
pub fn template_error(e: &tera::Error, origin: impl Fn(&str) -> Option<PathBuf>) -> Diagnostic {
    let text = format!("{e}");
    // Tera points at the failing template as `--> name:line:col`.
    let located = text.split("--> ").nth(1).and_then(|rest| {
        let name = rest.split(':').next()?.trim();
        Some((name.to_string(), find_pos(&text, name)))
    });
    let (file, pos) = match located {
        Some((name, pos)) => (
            origin(&name).unwrap_or_else(|| PathBuf::from(format!("templates/{name}"))),
            pos.unwrap_or(Pos::FILE),
        ),
        None => (PathBuf::from("templates"), Pos::FILE),
    };
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown template error");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let mut msg: String = first.chars().take(300).collect();
    if first.chars().count() > 300 {
        msg.push('…');
    }
    Diagnostic::error(code::TEMPLATE, &file, pos, format!("template error: {msg}"))
}

/// `name:12:5` in an error text.
fn find_pos(text: &str, name: &str) -> Option<Pos> {
    let at = text.find(&format!("{name}:"))? + name.len() + 1;
    let mut parts = text[at..].split(|c: char| !c.is_ascii_digit());
    let line = parts.next()?.parse().ok()?;
    let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
    Some(Pos::new(line, col))
}
