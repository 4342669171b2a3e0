//! Markdown bodies to HTML: pulldown-cmark with the extensions the content format
//! promises (never `Options::all()`), heading ids (unique per page, stable), `@/`
//! content links turned into URLs and recorded for the fragment check, dangerous link
//! schemes neutralised, footnote ids prefixed, and raw HTML sanitized unless trusted.
//!
//! A link to a dangerous address is written as its text in a `<span>`, whether it was
//! written in Markdown (`[x](javascript:...)`) or as raw HTML (`<a href="javascript:...">`,
//! whose `href` the sanitizer drops): one output for both, and no anchor that goes
//! nowhere.

use crate::model::entity::RawHtml;
use crate::model::urls::slugify;
use lol_html::{RewriteStrSettings, element};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

/// A `@/` link found in a body, for the fragment check.
#[derive(Debug, Clone)]
pub struct ContentLink {
    /// Byte offset of the link in the body.
    pub offset: usize,
    pub target: String,
    pub fragment: Option<String>,
    /// False when the target page does not exist.
    pub resolved: bool,
    /// The URL written in its place (base path, page URL, `#fragment`).
    pub url: String,
    /// Line and column in the content file, set when the file's text is dropped
    /// before the links are checked (`render::bodies`, `render::incident_gists`);
    /// else worked out from the text.
    pub pos: Option<crate::diag::Pos>,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    /// Every id in the body (headings and footnotes), for fragment checks.
    pub ids: BTreeSet<String>,
    pub links: Vec<ContentLink>,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
}

/// Ids the built-in templates put on every page; body headings never take them, so a
/// `## Sources` heading becomes `sources-2` and `#sources` keeps naming the section.
pub const TEMPLATE_IDS: &[&str] = &[
    "main",
    "summary",
    "groups",
    "weapons",
    "sources",
    "related",
    "incidents",
    "opponents",
    "statuses",
    "stats",
    "latest",
    "browse",
    "top-groups",
    "top-weapons",
    "summary-heading",
    "weapons-heading",
    "incidents-heading",
    "groups-heading",
    "top-weapons-heading",
    "top-groups-heading",
    "terms-caption",
    "statuses-heading",
    "stats-heading",
    "sources-heading",
    "related-heading",
    "opponents-heading",
    "latest-heading",
    "groups-caption",
    "browse-heading",
    "incidents-caption",
    "weapons-caption",
    "opponents-caption",
    "statuses-caption",
];

/// What rendering needs to know about the site.
pub struct Env<'a> {
    pub content_urls: &'a BTreeMap<String, String>,
    pub base_path: &'a str,
    pub raw_html: RawHtml,
}

impl<'a> Env<'a> {
    pub fn of(site: &'a crate::model::Site) -> Env<'a> {
        Env {
            content_urls: &site.content_urls,
            base_path: &site.config.base_path,
            raw_html: site.config.raw_html,
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// What other pages depend on in a rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyShape {
    pub ids: Vec<String>,
    /// `@/` links: target, fragment, resolved (positions left out).
    links: Vec<(String, Option<String>, bool)>,
    first_paragraph: String,
}

impl BodyShape {
    pub fn of(body: &Body) -> BodyShape {
        BodyShape {
            ids: body.ids.iter().cloned().collect(),
            links: body
                .links
                .iter()
                .map(|l| (l.target.clone(), l.fragment.clone(), l.resolved))
                .collect(),
            first_paragraph: body.first_paragraph.clone(),
        }
    }

    /// True when other pages cannot tell `self` from `new`. The first paragraph
    /// matters unless it is shown nowhere else (`first_paragraph_private`).
    pub fn same_for_others(&self, new: &BodyShape, first_paragraph_private: bool) -> bool {
        self.ids == new.ids
            && self.links == new.links
            && (first_paragraph_private || self.first_paragraph == new.first_paragraph)
    }
}

/// Render a body to HTML, with its ids, links and first paragraph. (Over 80 lines: one
/// pass over pulldown-cmark's events that rewrites links, headings and footnotes as it
/// goes; splitting it would mean passing the whole pass state around.)
pub fn render(body: &str, env: &Env) -> Body {
    let mut out = Body::default();
    let mut events: Vec<(Event, usize)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .collect();
    let mut has_html = false;
    let mut taken: BTreeSet<String> = TEMPLATE_IDS.iter().map(|s| s.to_string()).collect();
    assign_heading_ids(&mut events, &mut taken);
    out.ids = taken
        .into_iter()
        .filter(|id| !TEMPLATE_IDS.contains(&id.as_str()))
        .collect();
    let footnotes = number_footnotes(&events);
    let mut para_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut first_done = false;
    // Inside a Markdown link to a dangerous address, written as a `<span>`.
    let mut dead_link = false;
    let mut mapped: Vec<Event> = Vec::with_capacity(events.len());
    for (event, offset) in events {
        match &event {
            Event::Start(Tag::Paragraph) if depth == 0 && !first_done => para_depth = Some(depth),
            Event::End(TagEnd::Paragraph) if para_depth.is_some() && depth == 1 => {
                para_depth = None;
                first_done = true;
            }
            Event::Text(t) | Event::Code(t) if para_depth.is_some() => {
                out.first_paragraph.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak if para_depth.is_some() => {
                out.first_paragraph.push(' ')
            }
            _ => {}
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let event = match event {
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) if is_dangerous(&dest_url) => {
                dead_link = true;
                Event::Html(dead_link_start(&title).into())
            }
            Event::End(TagEnd::Link) if dead_link => {
                dead_link = false;
                Event::Html("</span>".into())
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = link_target(&dest_url, offset, env, &mut out.links);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = link_target(&dest_url, offset, env, &mut out.links);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Html(h) | Event::InlineHtml(h) if env.raw_html == RawHtml::Sanitize => {
                has_html = true;
                Event::Html(h)
            }
            Event::FootnoteReference(name) => {
                let (id, n) = footnotes
                    .get(name.as_ref())
                    .cloned()
                    .unwrap_or_else(|| (slugify(&name), 0));
                Event::Html(format!("<sup class=\"footnote-ref\" id=\"fnref-{id}\"><a href=\"#fn-{id}\">{n}</a></sup>").into())
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let (id, n) = footnotes
                    .get(name.as_ref())
                    .cloned()
                    .unwrap_or_else(|| (slugify(&name), 0));
                out.ids.insert(format!("fn-{id}"));
                out.ids.insert(format!("fnref-{id}"));
                Event::Html(format!("<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\">{n}</span>").into())
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
            other => other,
        };
        mapped.push(event);
    }
    pulldown_cmark::html::push_html(&mut out.html, mapped.into_iter());
    if has_html {
        out.html = unlink_bare_anchors(sanitize(&out.html));
    }
    out.first_paragraph = out
        .first_paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    out
}

/// Headings keep an explicit `{#id}`; others get a slug of their text, made unique
/// with `-2`, `-3` in document order.
fn assign_heading_ids(events: &mut [(Event, usize)], ids: &mut BTreeSet<String>) {
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i].0 {
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit
                .map(|e| slugify(&e))
                .unwrap_or_else(|| heading_slug(&text));
            let mut unique = base.clone();
            let mut n = 2;
            while ids.contains(&unique) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            ids.insert(unique.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(unique));
            }
            i = j;
        }
        i += 1;
    }
}

/// A heading's id: its text as a slug, `section` when nothing is left (emoji, RTL).
pub fn heading_slug(text: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

fn number_footnotes(events: &[(Event, usize)]) -> BTreeMap<String, (String, usize)> {
    let mut map = BTreeMap::new();
    for (e, _) in events {
        if let Event::FootnoteReference(name) | Event::Start(Tag::FootnoteDefinition(name)) = e {
            let n = map.len() + 1;
            map.entry(name.to_string())
                .or_insert_with(|| (slugify(name), n));
        }
    }
    map
}

/// Resolve `@/` links, neutralise dangerous schemes (left here only for images: a
/// dangerous link never gets this far), keep everything else.
fn link_target<'a>(
    dest: &CowStr<'a>,
    offset: usize,
    env: &Env,
    links: &mut Vec<ContentLink>,
) -> CowStr<'a> {
    if let Some(path) = dest.strip_prefix("@/") {
        let (target, fragment) = match path.split_once('#') {
            Some((t, f)) => (t, Some(f.to_string())),
            None => (path, None),
        };
        let url = env.content_urls.get(target);
        let mut full = format!("{}{}", env.base_path, url.map(String::as_str).unwrap_or(""));
        if let Some(f) = &fragment {
            full.push('#');
            full.push_str(f);
        }
        links.push(ContentLink {
            offset,
            target: target.to_string(),
            fragment,
            resolved: url.is_some(),
            url: full.clone(),
            pos: None,
        });
        return CowStr::from(full);
    }
    if is_dangerous(dest) {
        CowStr::from("#")
    } else {
        dest.clone()
    }
}

/// A URL whose scheme is not http, https, mailto or tel (javascript:, data:, vbscript:).
pub fn is_dangerous(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(c), Some(p)) if p < c => false,
        (Some(c), _) => !matches!(&cleaned[..c], "http" | "https" | "mailto" | "tel"),
        (None, _) => false,
    }
}

/// The start of a Markdown link to a dangerous address: a `<span>`, keeping the link's
/// title as raw HTML keeps it.
fn dead_link_start(title: &str) -> String {
    if title.is_empty() {
        "<span>".to_string()
    } else {
        format!("<span title=\"{}\">", super::feeds::escape_xml(title))
    }
}

/// Sanitized HTML with every `<a>` that has no `href` (the sanitizer dropped a dangerous
/// one, or the author wrote none) turned into a `<span>` with the same content and
/// attributes: a dangerous raw-HTML link ends as a dangerous Markdown link does
/// (`dead_link_start`). The rewrite cannot fail on the sanitizer's well-formed output;
/// if it did, the sanitized HTML is kept as it is, still inert.
fn unlink_bare_anchors(html: String) -> String {
    let settings = RewriteStrSettings {
        element_content_handlers: vec![element!("a:not([href])", |el| {
            el.set_tag_name("span")?;
            // The only attribute the sanitizer allows on `<a>` that `<span>` may not carry.
            el.remove_attribute("hreflang");
            Ok(())
        })],
        strict: false,
        ..RewriteStrSettings::new()
    };
    lol_html::rewrite_str(&html, settings).unwrap_or(html)
}

fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"]);
    b.add_tags(["input"]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
    b.link_rel(None);
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Body {
        let urls: BTreeMap<String, String> =
            [("groups/jnim.md".to_string(), "groups/jnim/".to_string())].into();
        render(
            s,
            &Env {
                content_urls: &urls,
                base_path: "/m/",
                raw_html: RawHtml::Sanitize,
            },
        )
    }

    #[test]
    fn duplicate_headings_get_unique_ids() {
        let out = r("## History\n\n## History\n\n## 🙂\n\n## ...\n");
        assert!(
            out.html.contains("id=\"history\"")
                && out.html.contains("id=\"history-2\"")
                && out.html.contains("id=\"section\""),
            "{}",
            out.html
        );
        assert_eq!(out.ids.len(), 4, "{:?}", out.ids);
    }

    #[test]
    fn body_headings_never_take_template_ids() {
        let out = r("## Sources\n\n## Main\n");
        assert!(
            out.html.contains("id=\"sources-2\"") && out.html.contains("id=\"main-2\""),
            "{}",
            out.html
        );
    }

    #[test]
    fn content_links_resolve_with_base_path() {
        let out = r("See [JNIM](@/groups/jnim.md#history).");
        assert!(
            out.html.contains("href=\"/m/groups/jnim/#history\""),
            "{}",
            out.html
        );
        assert_eq!(out.links[0].fragment.as_deref(), Some("history"));
    }

    #[test]
    fn scripts_and_js_links_are_removed() {
        let out = r(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](&#106;avascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(
            !out.html.contains("<script")
                && !out.html.contains("javascript:")
                && !out.html.contains("onerror"),
            "{}",
            out.html
        );
    }

    #[test]
    fn dangerous_links_become_spans_in_markdown_and_raw_html() {
        let out = r(
            "[x](javascript:alert(1) \"t&\") <a title=\"t&amp;\" hreflang=\"fr\" href=\"javascript:alert(1)\">x</a> <a id=\"n\">anchor</a> [ok](https://example.org/)",
        );
        assert_eq!(
            out.html.matches("<span title=\"t&amp;\">x</span>").count(),
            2,
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<span id=\"n\">anchor</span>")
                && out.html.contains("<a href=\"https://example.org/\">ok</a>")
                && !out.html.contains("<a>")
                && !out.html.contains("href=\"#\""),
            "{}",
            out.html
        );
    }

    #[test]
    fn footnote_ids_are_prefixed() {
        let out = r("A[^1].\n\n[^1]: note\n");
        assert!(
            out.html.contains("id=\"fn-1\"") && !out.html.contains("id=\"1\""),
            "{}",
            out.html
        );
    }
}
