//! Themes: a site's `templates/` folder overrides the built-in theme file by file, and
//! an override that does not compile is an error on that template file. The built-in
//! theme links an icon on every page and gives every landmark its own name.

use crate::util::{self, Site, assert_clean};
use std::collections::{BTreeMap, BTreeSet};

/// A site's own `base.html` and `style.css` replace the built-in ones on every page,
/// while the other templates (the incident page, components) still come from the
/// built-in theme.
#[test]
fn site_template_overrides_the_built_in_one_file_by_file() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    site.file(
        "templates/base.html",
        "<!doctype html><html lang=\"{{ site.language }}\"><title>{% block title %}{{ page.title }}{% endblock title %}</title>{% block head %}{% endblock head %}<body class=\"custom-layout\">{% block content %}{% endblock content %}</body></html>\n",
    );
    site.file("templates/style.css", "body { color: red; }\n");
    let r = site.build();
    assert_eq!(r.errors(), 0, "{:?}", util::errors(&r));
    let page = site.out("incidents/a/index.html");
    assert!(
        page.contains("class=\"custom-layout\""),
        "base.html override not used"
    );
    // Other templates (incident.html, components) still come from the built-in theme.
    assert!(
        page.contains("id=\"sources\""),
        "built-in incident template lost"
    );
    assert!(site.out("groups/jnim/index.html").contains("custom-layout"));
    assert_eq!(site.out("style.css"), "body { color: red; }\n");
}

/// An override of `page.html` whose `{{ … }` lacks a closing brace is one template error on
/// `templates/page.html`, and nothing is written.
#[test]
fn broken_override_template_is_an_error_naming_the_template_file() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{{ content.title }\n{% endblock content %}\n");
    let r = site.build();
    assert!(!r.written);
    let d = util::one_error(&r);
    assert_eq!(d.code.name, "template", "{d}");
    assert!(
        d.file.to_string_lossy().ends_with("templates/page.html"),
        "{d}"
    );
}

/// The address a page's `<link rel="icon">` names, resolved as a browser resolves it
/// against the page's own path (`/monitor/groups/jnim/` for
/// `groups/jnim/index.html` under `/monitor/`).
fn icon_target(base: &str, path: &str, html: &str) -> String {
    let hrefs = util::attr_values(&util::html(html), "link[rel=icon]", "href");
    assert_eq!(hrefs.len(), 1, "{path}: {hrefs:?}");
    let href = &hrefs[0];
    if href.starts_with('/') {
        return href.clone();
    }
    let dir = format!("{base}{}", path.trim_end_matches("index.html"));
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    if !dir.ends_with('/') {
        parts.pop();
    }
    for step in href.split('/') {
        match step {
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Issue 10: every page logged a 404 for `/favicon.ico`. Under a base path, every page
/// links the theme's icon, `favicon.svg`, which is written (an SVG image): by a relative
/// address that resolves to `/monitor/favicon.svg` from the page (so that it also loads
/// from files opened on disk), and on the 404 page, which hosts serve at any address, by
/// the absolute `/monitor/favicon.svg`.
#[test]
fn every_page_links_the_theme_icon_under_the_base_path() {
    let site = Site::basic();
    site.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/monitor/\nincidents_per_page: 1\n",
    );
    site.incident("a", "", "Body.\n");
    site.incident("b", "", "Body.\n");
    assert_clean(&site.build());
    let pages = util::html_files(&site);
    for (path, html) in &pages {
        assert_eq!(
            icon_target("/monitor/", path, html),
            "/monitor/favicon.svg",
            "{path}"
        );
    }
    for (path, href) in [
        ("index.html", "favicon.svg"),
        ("incidents/page/2/index.html", "../../../favicon.svg"),
        ("404.html", "/monitor/favicon.svg"),
    ] {
        assert_eq!(
            util::attr_values(&util::html(&site.out(path)), "link[rel=icon]", "href"),
            [href],
            "{path}"
        );
    }
    let icon = site.out("favicon.svg");
    assert_eq!(
        util::xml_elements(&icon)
            .unwrap()
            .first()
            .map(String::as_str),
        Some("svg"),
        "{icon}"
    );
}

/// A site that ships its own icon keeps it: a `static/favicon.ico` is linked from every
/// page and the theme's `favicon.svg` is not written; a `static/favicon.svg` takes the
/// theme's place without a collision error, and is linked too.
#[test]
fn an_icon_in_static_replaces_the_theme_icon() {
    for (own, bytes) in [
        ("favicon.ico", &b"\0\0\x01\0"[..]),
        (
            "favicon.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..],
        ),
    ] {
        let site = Site::basic();
        site.incident("a", "", "");
        site.bytes(&format!("static/{own}"), bytes);
        assert_clean(&site.build());
        for (path, html) in util::html_files(&site) {
            assert_eq!(
                icon_target("/", &path, &html),
                format!("/{own}"),
                "{own}: {path}"
            );
        }
        assert_eq!(
            std::fs::read(site.path("public").join(own)).unwrap(),
            bytes,
            "{own}"
        );
        assert_eq!(
            site.out_exists("favicon.svg"),
            own == "favicon.svg",
            "{own}"
        );
    }
}

/// The landmarks of a page, by role and accessible name: `<nav>`, a `<section>` with a
/// name, and any element with `role="region"` or `role="navigation"`. A name comes from
/// `aria-label`, else from the text of the elements `aria-labelledby` names (each of
/// which must exist).
fn landmarks(path: &str, doc: &scraper::Html) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for el in doc.select(&util::sel("nav, section, [role]")) {
        let v = el.value();
        let role = match (v.attr("role"), v.name()) {
            (Some(r @ ("region" | "navigation")), _) => r,
            (Some(_), _) => continue,
            (None, "nav") => "navigation",
            (None, _) => "region",
        };
        let name = match (v.attr("aria-label"), v.attr("aria-labelledby")) {
            (Some(label), _) => label.trim().to_string(),
            (None, Some(ids)) => ids
                .split_whitespace()
                .map(|id| {
                    util::text_of(doc, &format!("[id='{id}']"))
                        .unwrap_or_else(|| panic!("{path}: aria-labelledby names no #{id}"))
                })
                .collect::<Vec<_>>()
                .join(" "),
            (None, None) if role == "region" && v.name() == "section" => continue,
            (None, None) => String::new(),
        };
        found.push((role.to_string(), name));
    }
    found
}

/// Issue 10, axe-core `landmark-unique`: a table's scrolling region sat inside a section
/// and was named by the same heading, two regions with one name. On every page of the
/// example site, no two landmarks of one role share a name, and every scrolling table
/// region has a name of its own and can take the keyboard focus (axe's
/// `scrollable-region-focusable`). Incident, group and weapon pages do have such regions.
#[test]
fn every_landmark_on_a_page_has_a_name_of_its_own() {
    let site = Site::example();
    assert_clean(&site.build());
    let mut regions_by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for (path, html) in util::html_files(&site) {
        let doc = util::html(&html);
        let mut seen = BTreeSet::new();
        for (role, name) in landmarks(&path, &doc) {
            assert!(!name.is_empty(), "{path}: a {role} landmark without a name");
            assert!(
                seen.insert((role.clone(), name.clone())),
                "{path}: two {role} landmarks named {name:?}"
            );
        }
        for wrap in doc.select(&util::sel(".table-wrap[role=region]")) {
            assert_eq!(wrap.value().attr("tabindex"), Some("0"), "{path}");
            let kind = path.split('/').next().unwrap_or("").to_string();
            *regions_by_kind.entry(kind).or_default() += 1;
        }
    }
    for kind in ["incidents", "groups", "weapons"] {
        assert!(
            regions_by_kind.get(kind).is_some_and(|n| *n > 1),
            "no table regions on {kind} pages: {regions_by_kind:?}"
        );
    }
}
