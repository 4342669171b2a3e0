//! Themes: a site's `templates/` folder overrides the built-in theme file by file, and
//! an override that does not compile is an error on that template file. The built-in
//! theme gives every landmark its own name.

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
