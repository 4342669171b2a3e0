//! Feeds for machines: the Atom feed of the latest incidents (well-formed by
//! construction with atom_syndication, with the site as its author, as RFC 4287 asks)
//! and the sitemap of every HTML page, both with absolute URLs. Times come from the
//! content, never from the clock.

use super::pages::Ctx;
use crate::model::Site;
use crate::output::OutputSet;
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};

fn at_midnight(d: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .fixed_offset()
}

/// `atom.xml` with the `feed_limit` newest incidents.
pub fn atom(cx: &Ctx) -> Vec<(String, Vec<u8>)> {
    let site = cx.site;
    let c = &site.config;
    let entries: Vec<Entry> = site
        .incidents
        .iter()
        .enumerate()
        .rev()
        .take(c.feed_limit)
        .map(|(i, inc)| {
            let row = &cx.rows[i];
            let url = format!("{}{}", c.base_url, crate::model::urls::incident(&inc.slug));
            let mut e = Entry::default();
            e.set_id(url.clone());
            e.set_title(Text::plain(format!(
                "{} [{}]",
                inc.title,
                inc.confidence.as_str()
            )));
            let updated = inc
                .updated
                .map(|u| u.start)
                .unwrap_or(inc.date.date.start)
                .max(inc.date.date.start);
            e.set_updated(at_midnight(updated));
            e.set_published(Some(at_midnight(inc.date.date.start)));
            let mut link = Link::default();
            link.set_href(url);
            link.set_rel("alternate");
            let mut links = vec![link];
            // Each image but the sensitive ones, its widest copy, titled by its caption.
            for m in inc.media.iter().filter(|m| !m.sensitive) {
                let Some(image) = cx.media.widest(&m.file) else {
                    continue;
                };
                let mut enclosure = Link::default();
                enclosure.set_href(format!("{}{}", c.base_url, image.path));
                enclosure.set_rel("enclosure");
                enclosure.set_mime_type(Some(image.mime.to_string()));
                enclosure.set_title(Some(m.caption.clone().unwrap_or_else(|| m.alt.clone())));
                enclosure.set_length(Some(image.bytes.to_string()));
                links.push(enclosure);
            }
            e.set_links(links);
            let mut facts = vec![inc.confidence.label().to_string()];
            facts.extend(row.place.clone());
            let summary = format!(
                "{} ({}). {}",
                row.date,
                facts.join(", "),
                row.summary.clone().unwrap_or_default()
            );
            e.set_summary(Some(Text::plain(summary.trim().to_string())));
            e
        })
        .collect();
    let latest = entries
        .iter()
        .map(|e| *e.updated())
        .max()
        .unwrap_or_else(|| at_midnight(NaiveDate::default()));
    let mut feed = Feed::default();
    feed.set_id(c.base_url.clone());
    feed.set_title(Text::plain(c.title.clone()));
    feed.set_updated(latest);
    let mut self_link = Link::default();
    self_link.set_href(format!("{}atom.xml", c.base_url));
    self_link.set_rel("self");
    let mut home = Link::default();
    home.set_href(c.base_url.clone());
    feed.set_links(vec![self_link, home]);
    // RFC 4287 4.1.1: a feed needs an author, unless every entry has one. The site is
    // the author of all its entries.
    let mut author = Person::default();
    author.set_name(c.title.clone());
    author.set_uri(Some(c.base_url.clone()));
    feed.set_authors(vec![author]);
    if let Some(d) = &c.description {
        feed.set_subtitle(Some(Text::plain(d.clone())));
    }
    feed.set_entries(entries);
    vec![("atom.xml".into(), feed.to_string().into_bytes())]
}

/// `sitemap.xml` listing every HTML page already in `out` except the 404 page.
pub fn sitemap(site: &Site, out: &OutputSet) -> Vec<(String, Vec<u8>)> {
    let xml = sitemap_of(&site.config.base_url, out.iter().map(|(p, _)| p.as_str()));
    vec![("sitemap.xml".into(), xml)]
}

/// The sitemap of the output files `paths`, in sorted order: every `index.html`.
pub fn sitemap_of<'a>(base_url: &str, paths: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        if !path.ends_with("index.html") {
            continue;
        }
        let url = format!("{}{}", base_url, path.trim_end_matches("index.html"));
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&url));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// Text escaped for XML, also fit for HTML text and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
