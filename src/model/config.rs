//! Site settings: the parsed `site.yaml` resolved into `SiteConfig`, with defaults for
//! every key and the command-line overrides applied. A bad value is a diagnostic on
//! `site.yaml` at its line; a bad `--base-url` is a usage error.

use crate::diag::{Diagnostic, Diagnostics, Pos, code};
use crate::load::raw::RawConfig;
use crate::model::entity::RawHtml;
use crate::model::urls;
use std::path::Path;
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute, ending with `/`.
    pub base_url: String,
    /// The path part of `base_url`, e.g. `/monitor/`; prefixes every internal link.
    pub base_path: String,
    pub description: Option<String>,
    pub language: String,
    pub incidents_per_page: usize,
    pub feed_limit: usize,
    pub raw_html: RawHtml,
    pub weapon_categories: Vec<String>,
    pub views: Views,
}

/// Which views the site shows (`views:` in site.yaml); all are on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Views {
    /// Maps on the home, group, weapon and country pages, and `/map/`.
    pub map: bool,
    /// Charts on the home, group, weapon, country and weapons index pages.
    pub charts: bool,
    /// The search box on every page and its index.
    pub search: bool,
    /// The filters on `/incidents/`.
    pub filters: bool,
    /// `/matrix/` and its exports.
    pub matrix: bool,
    /// `/timeline/` and its year pages.
    pub timeline: bool,
}

impl Default for Views {
    fn default() -> Self {
        Views {
            map: true,
            charts: true,
            search: true,
            filters: true,
            matrix: true,
            timeline: true,
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "casefile site".into(),
            base_url: "http://localhost/".into(),
            base_path: "/".into(),
            description: None,
            language: "en".into(),
            incidents_per_page: 50,
            feed_limit: 50,
            raw_html: RawHtml::Sanitize,
            weapon_categories: Vec::new(),
            views: Views::default(),
        }
    }
}

/// Resolve `raw` (the parsed `site.yaml`, or the defaults when there is none) and apply
/// `base_url_override`.
pub fn resolve(
    raw: RawConfig,
    base_url_override: Option<&str>,
) -> Result<(SiteConfig, Diagnostics), crate::fsx::FsError> {
    let file = Path::new(crate::load::config::FILE);
    let mut diags = Diagnostics::default();
    let mut config = SiteConfig::default();
    apply(&mut config, raw, file, &mut diags);
    if let Some(url) = base_url_override {
        // A bad --base-url is a usage error (exit 2), not a problem in site.yaml.
        let mut flag = Diagnostics::default();
        set_base_url(&mut config, url, file, Pos::FILE, &mut flag);
        if let Some(d) = flag.into_sorted().into_iter().next() {
            return Err(crate::fsx::FsError::refused(
                Path::new("--base-url"),
                d.message,
            ));
        }
    }
    Ok((config, diags))
}

fn apply(config: &mut SiteConfig, raw: RawConfig, file: &Path, diags: &mut Diagnostics) {
    let RawConfig {
        title,
        base_url,
        description,
        language,
        incidents_per_page,
        feed_limit,
        markdown,
        weapon_categories,
        views,
    } = raw;
    if let Some(t) = title.filter(|t| !t.value.trim().is_empty()) {
        config.title = t.value.trim().to_string();
    }
    if let Some(u) = base_url {
        set_base_url(config, &u.value, file, u.pos, diags);
    }
    config.description = description
        .map(|d| d.value.trim().to_string())
        .filter(|d| !d.is_empty());
    if let Some(l) = language.filter(|l| !l.value.trim().is_empty()) {
        config.language = l.value.trim().to_string();
    }
    for (n, key, value) in [
        (
            incidents_per_page,
            "incidents_per_page",
            &mut config.incidents_per_page,
        ),
        (feed_limit, "feed_limit", &mut config.feed_limit),
    ] {
        let Some(n) = n else { continue };
        match n.value {
            1..=10_000 => *value = n.value as usize,
            _ => diags.push(Diagnostic::error(
                code::CONFIG,
                file,
                n.pos,
                format!("{key} must be between 1 and 10000"),
            )),
        }
    }
    if let Some(raw_html) = markdown.and_then(|m| m.value.raw_html) {
        match RawHtml::parse(raw_html.value.trim()) {
            Some(v) => config.raw_html = v,
            None => diags.push(
                Diagnostic::error(
                    code::CONFIG,
                    file,
                    raw_html.pos,
                    format!("unknown raw_html mode `{}`", raw_html.value),
                )
                .with_hint("use `sanitize` (default) or `trusted`"),
            ),
        }
    }
    config.weapon_categories = weapon_categories
        .map(|l| l.value.into_iter().map(|c| c.value).collect())
        .unwrap_or_default();
    if let Some(v) = views {
        let v = v.value;
        let v_ = &mut config.views;
        for (set, flag) in [
            (v.map, &mut v_.map),
            (v.charts, &mut v_.charts),
            (v.search, &mut v_.search),
            (v.filters, &mut v_.filters),
            (v.matrix, &mut v_.matrix),
            (v.timeline, &mut v_.timeline),
        ] {
            if let Some(b) = set {
                *flag = b.value;
            }
        }
    }
}

fn set_base_url(
    config: &mut SiteConfig,
    url: &str,
    file: &Path,
    pos: Pos,
    diags: &mut Diagnostics,
) {
    let url = url.trim();
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
    if !ok || url.contains(['"', '<', '>', ' ', '\'']) {
        diags.push(
            Diagnostic::error(
                code::CONFIG,
                file,
                pos,
                format!("base_url `{url}` is not an absolute http(s) URL"),
            )
            .with_hint("write it like https://example.org/ or https://org.github.io/project/"),
        );
        return;
    }
    config.base_path = urls::base_path(url);
    let origin_end = url
        .split_once("://")
        .map(|(s, r)| s.len() + 3 + r.find('/').unwrap_or(r.len()))
        .unwrap_or(url.len());
    config.base_url = format!("{}{}", &url[..origin_end], config.base_path);
}
