//! One small site per behaviour of the content format and the build: references,
//! content links, escaping and sanitizing, atomic output, paging, unknown keys, dates,
//! static files and the command line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::{self, Site};
use casefile::Report;
use casefile::diag::Diagnostic;
use serde_json::Value;
use std::collections::BTreeSet;

const XSS: &str = r#""><img src=x onerror=alert(1)></script>]]>"#;

fn diags_named<'a>(r: &'a Report, name: &str) -> Vec<&'a Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.code.name == name)
        .collect()
}

fn assert_clean(r: &Report) {
    assert_eq!(util::errors(r), Vec::<String>::new(), "unexpected errors");
    assert!(r.written, "the build wrote nothing");
}

fn json(s: &Site, rel: &str) -> Value {
    serde_json::from_str(&s.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html_outputs(s: &Site) -> Vec<(String, String)> {
    util::tree(&s.path("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

fn main_links(s: &Site, page: &str) -> Vec<String> {
    util::links_in(&util::html(&s.out(page)), "main")
}

// ----- references -------------------------------------------------------------------

#[test]
fn every_spelling_of_a_group_resolves_to_one_group_page() {
    let s = Site::basic();
    let spellings = [
        "JNIM",
        "jnim",
        "\" Jnim \"",
        "\"Jama'at Nusrat al-Islam wal-Muslimin\"",
        "GSIM",
    ];
    for (i, r) in spellings.iter().enumerate() {
        s.incident(
            &format!("spelling-{i}"),
            &format!("groups:\n  - {r}\n"),
            "Body.\n",
        );
    }
    let r = s.build();
    assert_clean(&r);
    let group_pages: Vec<String> = util::tree(&s.path("public/groups"))
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p != "index.html")
        .collect();
    assert_eq!(
        group_pages,
        ["is-sahel/index.html", "jnim/index.html"],
        "one page per group file, no page per spelling"
    );
    let links = main_links(&s, "groups/jnim/index.html");
    for (i, spelling) in spellings.iter().enumerate() {
        let href = format!("/incidents/spelling-{i}/");
        assert!(
            links.contains(&href),
            "jnim page does not list {href} ({spelling}): {links:?}"
        );
    }
    for inc in json(&s, "data/incidents.json").as_array().unwrap() {
        let ids: Vec<&str> = inc["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["jnim"], "{}", inc["id"]);
    }
}

#[test]
fn unknown_group_is_an_error_at_the_reference_with_the_closest_id() {
    let s = Site::basic();
    s.incident("typo", "groups:\n  - {group: jnmi, role: attacker}\n", "");
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "unknown-group", "content/incidents/typo.md", 5);
    assert_eq!(d.code.id, "E0103");
    assert_eq!(d.col, 13, "column of `jnmi`: {d}");
    assert!(d.message.contains("jnmi"), "{d}");
    let hint = d.hint.as_deref().unwrap_or("");
    assert!(
        hint.contains("did you mean") && hint.contains("`jnim`"),
        "hint: {hint}"
    );
    assert!(!r.written);
}

#[test]
fn unknown_group_in_a_plain_list_item_is_located_too() {
    let s = Site::basic();
    s.incident("typo", "groups:\n  - IS Sahle\n", "");
    let d = util::one_error(&s.build()).clone();
    util::assert_diag(&d, "unknown-group", "content/incidents/typo.md", 5);
    assert_eq!(d.col, 5, "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("IS Sahel"), "{d}");
}

#[test]
fn unknown_weapon_is_an_error_at_the_reference_with_the_closest_id() {
    let s = Site::basic();
    s.incident(
        "typo",
        "weapons:\n  - {weapon: rgp-7, status: captured}\n",
        "",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "unknown-weapon", "content/incidents/typo.md", 5);
    assert_eq!(d.code.id, "E0104");
    assert_eq!(d.col, 14, "column of `rgp-7`: {d}");
    let hint = d.hint.as_deref().unwrap_or("");
    assert!(
        hint.contains("did you mean") && hint.contains("`rpg-7`"),
        "hint: {hint}"
    );
}

#[test]
fn unknown_holder_group_in_a_weapon_observation_is_an_error() {
    let s = Site::basic();
    s.incident(
        "typo",
        "weapons:\n  - {weapon: rpg-7, status: captured, from: jnin}\n",
        "",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "unknown-group", "content/incidents/typo.md", 5);
    assert_eq!(d.col, 45, "column of `jnin`: {d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("`jnim`"), "{d}");
}

#[test]
fn alias_shared_by_two_groups_is_an_ambiguous_name_error_naming_both_files() {
    let s = Site::basic();
    s.file(
        "content/groups/gsim-splinter.md",
        "---\nname: GSIM splinter faction\naliases: [GSIM]\n---\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    assert_eq!(d.code.name, "ambiguous-name", "{d}");
    assert!(
        d.message.contains("content/groups/jnim.md")
            && d.message.contains("content/groups/gsim-splinter.md"),
        "{d}"
    );
    assert!(d.message.to_lowercase().contains("gsim"), "{d}");
}

#[test]
fn group_parent_cycle_is_one_error_listing_its_members() {
    let s = Site::basic();
    s.file(
        "content/groups/alpha-front.md",
        "---\nname: Alpha Front\nparent: beta-front\n---\n",
    );
    s.file(
        "content/groups/beta-front.md",
        "---\nname: Beta Front\nparent: Alpha Front\n---\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    assert_eq!(d.code.name, "parent-cycle", "{d}");
    assert!(
        d.message.contains("alpha-front") && d.message.contains("beta-front"),
        "{d}"
    );
    assert_eq!(d.line, 3, "at the `parent:` key: {d}");
}

#[test]
fn self_parent_is_a_parent_cycle() {
    let s = Site::basic();
    s.file(
        "content/groups/ouroboros.md",
        "---\nname: Ouroboros\nparent: ouroboros\n---\n",
    );
    let d = util::one_error(&s.build()).clone();
    assert_eq!(d.code.name, "parent-cycle", "{d}");
    assert!(d.message.contains("ouroboros"), "{d}");
}

#[test]
fn former_names_and_accented_aliases_are_references() {
    let s = Site::basic();
    s.file(
        "content/groups/jnim.md",
        "---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\naliases: [\"Groupe de soutien à l'islam et aux musulmans\"]\nformer_names:\n  - {name: Ansar Dine, from: 2012, to: 2017}\n---\n",
    );
    s.incident(
        "french",
        "groups: [\"groupe de soutien a l’islam et aux musulmans\"]\n",
        "",
    );
    s.incident("former", "groups: [ANSAR-DINE]\n", "");
    assert_clean(&s.build());
    let links = main_links(&s, "groups/jnim/index.html");
    for href in ["/incidents/french/", "/incidents/former/"] {
        assert!(
            links.contains(&href.to_string()),
            "{href} not on the jnim page: {links:?}"
        );
    }
}

#[test]
fn weapon_category_may_be_written_with_spaces_underscores_or_hyphens() {
    let s = Site::basic();
    s.file(
        "content/weapons/akm.md",
        "---\nname: AKM\ncategory: Assault_Rifle\n---\n",
    );
    s.file(
        "content/weapons/m70.md",
        "---\nname: M70\ncategory: assault-rifle\n---\n",
    );
    assert_clean(&s.build());
    let weapons = json(&s, "data/weapons.json");
    for id in ["akm", "m70"] {
        let w = weapons
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == id)
            .unwrap();
        assert_eq!(w["category"], "assault rifle", "{id}");
    }
    let links = main_links(&s, "categories/assault-rifle/index.html");
    assert!(
        links.contains(&"/weapons/akm/".to_string())
            && links.contains(&"/weapons/m70/".to_string()),
        "{links:?}"
    );
}

#[test]
fn unknown_weapon_category_is_an_error_with_the_closest_category() {
    let s = Site::basic();
    s.file(
        "content/weapons/akm.md",
        "---\nname: AKM\ncategory: asault rifle\n---\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "unknown-category", "content/weapons/akm.md", 3);
    assert!(
        d.hint.as_deref().unwrap_or("").contains("`assault rifle`"),
        "{d}"
    );
}

#[test]
fn site_weapon_categories_extend_the_built_in_list() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nweapon_categories: [Drone jammer]\n",
    );
    s.file(
        "content/weapons/jammer.md",
        "---\nname: Jammer\ncategory: drone-jammer\n---\n",
    );
    assert_clean(&s.build());
    assert!(s.out_exists("categories/drone-jammer/index.html"));
}

#[test]
fn incident_stems_must_be_unique_across_year_folders() {
    let s = Site::basic();
    s.file(
        "content/incidents/2023/attack.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n",
    );
    s.file(
        "content/incidents/2024/attack.md",
        "---\ntitle: B\ndate: 2024-01-01\n---\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    assert_eq!(d.code.name, "url-collision", "{d}");
    assert!(
        d.file.to_string_lossy().contains("attack.md") && d.message.contains("attack.md"),
        "{d}"
    );
}

#[test]
fn explicit_slug_sets_the_url_and_content_links_follow_it() {
    let s = Site::basic();
    s.file(
        "content/incidents/2024/long-file-name.md",
        "---\ntitle: Slugged\ndate: 2024-01-01\nslug: short\n---\n",
    );
    s.incident(
        "linker",
        "",
        "See [it](@/incidents/2024/long-file-name.md).\n",
    );
    assert_clean(&s.build());
    assert!(
        s.out_exists("incidents/short/index.html")
            && !s.out_exists("incidents/long-file-name/index.html")
    );
    let links = util::attr_values(
        &util::html(&s.out("incidents/linker/index.html")),
        "a[href]",
        "href",
    );
    assert!(
        links.contains(&"/incidents/short/".to_string()),
        "{links:?}"
    );
}

#[test]

fn page_clashing_with_a_section_list_is_reported_on_the_page_file() {
    let s = Site::basic();
    s.file(
        "content/pages/groups.md",
        "---\ntitle: About groups\n---\nText.\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    assert_eq!(d.code.name, "url-collision", "{d}");
    assert_eq!(
        d.file.to_string_lossy().replace('\\', "/"),
        "content/pages/groups.md",
        "{d}"
    );
}

// ----- content links ----------------------------------------------------------------

#[test]
fn link_to_a_missing_content_file_is_an_error_at_its_line() {
    let s = Site::basic();
    s.incident(
        "linker",
        "",
        "Intro.\n\nSee [the group](@/groups/missing.md) here.\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "broken-content-link", "content/incidents/linker.md", 7);
    assert_eq!(d.col, 5, "{d}");
    assert!(d.message.contains("groups/missing.md"), "{d}");
}

#[test]
fn link_to_a_missing_heading_is_a_broken_fragment_error() {
    let s = Site::basic();
    s.incident(
        "linker",
        "",
        "Intro.\n\nSee [JNIM](@/groups/jnim.md#nope).\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "broken-fragment", "content/incidents/linker.md", 7);
    assert!(d.message.contains("nope"), "{d}");
}

#[test]
fn links_to_incident_sections_and_headings_resolve_to_urls() {
    let s = Site::basic();
    s.file("content/groups/jnim.md", "---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\n---\n## History\n\nFounded 2017.\n");
    s.file(
        "content/incidents/2024/target.md",
        "---\ntitle: Target\ndate: 2024-03-01\n---\nBody.\n",
    );
    s.incident("linker", "", "See [its sources](@/incidents/2024/target.md#sources) and [history](@/groups/jnim.md#history).\n");
    let r = s.build();
    assert_clean(&r);
    let links = util::attr_values(
        &util::html(&s.out("incidents/linker/index.html")),
        "a[href]",
        "href",
    );
    for href in ["/incidents/target/#sources", "/groups/jnim/#history"] {
        assert!(links.contains(&href.to_string()), "{href} not in {links:?}");
    }
    let problems = util::broken_links(&s.path("public"), "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn footnote_references_link_to_their_notes() {
    let s = Site::basic();
    s.incident(
        "notes",
        "",
        "A claim[^src] and another[^2].\n\n[^src]: The source.\n[^2]: Another.\n",
    );
    assert_clean(&s.build());
    let doc = util::html(&s.out("incidents/notes/index.html"));
    let fragments: Vec<String> = util::attr_values(&doc, "a[href^='#fn']", "href");
    assert_eq!(fragments.len(), 2, "{fragments:?}");
    let problems = util::broken_links(&s.path("public"), "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ----- escaping and sanitizing ------------------------------------------------------

#[test]
fn markup_in_a_title_is_escaped_in_html_and_kept_as_data_in_exports() {
    let s = Site::basic();
    let yaml_title = XSS.replace('\'', "''");
    s.file(
        "content/incidents/xss.md",
        &format!("---\ntitle: '{yaml_title}'\ndate: 2024-03-22\nlocation: {{name: '{yaml_title}', country: Mali}}\nsources:\n  - {{title: '{yaml_title}', url: 'https://example.org/s'}}\ntags: [xss]\n---\nBody.\n"),
    );
    let r = s.build();
    assert_clean(&r);

    for (rel, text) in html_outputs(&s) {
        assert!(
            !text.contains("<img src=x"),
            "{rel} holds a live <img src=x"
        );
        let doc = util::html(&text);
        assert!(
            doc.select(&util::sel("img[onerror], [onerror]"))
                .next()
                .is_none(),
            "{rel} has an onerror attribute"
        );
    }
    let doc = util::html(&s.out("incidents/xss/index.html"));
    assert_eq!(util::text_of(&doc, "h1").as_deref(), Some(XSS), "h1");
    assert!(
        util::text_of(&doc, "title").unwrap().contains(XSS),
        "title element"
    );
    assert_eq!(
        util::attr_values(&doc, "meta[property='og:title']", "content"),
        [XSS],
        "og:title"
    );

    let atom = s.out("atom.xml");
    util::xml_elements(&atom).unwrap_or_else(|e| panic!("atom.xml is not well-formed: {e}"));
    assert!(
        util::xml_texts(&atom, "title")
            .iter()
            .any(|t| t.contains(XSS)),
        "the title is not data in the feed"
    );
    util::xml_elements(&s.out("sitemap.xml"))
        .unwrap_or_else(|e| panic!("sitemap.xml is not well-formed: {e}"));

    assert_eq!(json(&s, "data/incidents.json")[0]["title"], XSS);
    let csv_text = s.out("data/incidents.csv");
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let title_col = rd
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "title")
        .unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][title_col], XSS);
}

/// Nothing in a page can run script: no script with a payload, no iframe, no `on*`
/// attribute, no `javascript:`/`vbscript:`/`data:` URL.
fn assert_inert(rel: &str, text: &str) {
    let doc = util::html(text);
    for script in doc.select(&util::sel("script")) {
        let body: String = script.text().collect();
        assert!(!body.contains("alert"), "{rel}: live script {body}");
    }
    assert!(
        doc.select(&util::sel("iframe, object, embed"))
            .next()
            .is_none(),
        "{rel}: iframe/object/embed survived"
    );
    for el in doc.select(&util::sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{rel}: event handler {name}={value}"
            );
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!v.starts_with(scheme), "{rel}: {name}={value}");
                }
            }
        }
    }
}

#[test]
fn dangerous_markdown_links_are_neutralised() {
    let s = Site::basic();
    s.incident(
        "links",
        "",
        "Intro.\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) <javascript:alert(1)> [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) \
         [v](vbscript:msgbox(1)) [e](&#106;avascript:alert(1)) ![i](javascript:alert(1)) [ok](https://example.org/ok)\n",
    );
    assert_clean(&s.build());
    let page = s.out("incidents/links/index.html");
    assert_inert("incidents/links/", &page);
    let links = util::attr_values(&util::html(&page), "a[href]", "href");
    assert!(
        links.contains(&"https://example.org/ok".to_string()),
        "the safe link is gone: {links:?}"
    );
}

#[test]
fn raw_html_is_sanitized_by_default() {
    let s = Site::basic();
    s.incident(
        "raw",
        "",
        "Intro.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n\
         <a href=\"javascript:alert(1)\">a</a> <a href=\"data:text/html,x\">b</a> [x](javascript:alert(1)) [ok](https://example.org/ok)\n\n\
         <svg><script>alert(1)</script></svg> <math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>\n",
    );
    assert_clean(&s.build());
    for (rel, text) in html_outputs(&s) {
        assert_inert(&rel, &text);
    }
    let links = util::attr_values(
        &util::html(&s.out("incidents/raw/index.html")),
        "a[href]",
        "href",
    );
    assert!(
        links.contains(&"https://example.org/ok".to_string()),
        "the safe link is gone: {links:?}"
    );
}

const RAW_DIV: &str = r#"<div class="x" data-widget="chart" style="color: red">"#;

#[test]
fn trusted_raw_html_is_kept_verbatim() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nmarkdown: {raw_html: trusted}\n",
    );
    s.incident("raw", "", &format!("{RAW_DIV}\nkept\n</div>\n"));
    assert_clean(&s.build());
    assert!(
        s.out("incidents/raw/index.html").contains(RAW_DIV),
        "trusted raw HTML was changed"
    );
}

#[test]
fn sanitized_raw_html_loses_attributes_outside_the_allow_list() {
    let s = Site::basic();
    s.incident("raw", "", &format!("{RAW_DIV}\nkept\n</div>\n"));
    assert_clean(&s.build());
    let page = s.out("incidents/raw/index.html");
    assert!(
        !page.contains("style=\"color: red\"") && !page.contains("data-widget"),
        "sanitize kept style/data attributes"
    );
    assert!(
        util::text_of(&util::html(&page), "main")
            .unwrap()
            .contains("kept"),
        "the block's text is gone"
    );
}

#[test]
fn source_and_evidence_urls_must_be_http() {
    let s = Site::basic();
    s.incident(
        "js",
        "sources:\n  - {title: t, url: \"javascript:alert(1)\"}\n",
        "",
    );
    s.incident(
        "data",
        "sources:\n  - \"data:text/html,<script>alert(1)</script>\"\n",
        "",
    );
    s.incident(
        "vb",
        "weapons:\n  - {weapon: rpg-7, evidence: [\"vbscript:msgbox(1)\"]}\n",
        "",
    );
    let r = s.build();
    let errs: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errs.len(), 3, "{:#?}", util::errors(&r));
    for (d, file) in errs.iter().zip([
        "content/incidents/data.md",
        "content/incidents/js.md",
        "content/incidents/vb.md",
    ]) {
        util::assert_diag(d, "invalid-url", file, 5);
    }
    assert!(!r.written);
}

// ----- output folder ----------------------------------------------------------------

fn leftovers(s: &Site) -> Vec<String> {
    std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("casefile-swap") || n.contains("casefile-manifest-new"))
        .collect()
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let s = Site::basic();
    s.incident("good", "groups: [jnim]\n", "Fine.\n");
    assert_clean(&s.build());
    let before = util::tree(&s.path("public"));
    assert!(before.iter().any(|(p, _)| p == "incidents/good/index.html"));

    s.incident("broken", "", "See [x](@/groups/missing.md).\n");
    let r = s.build();
    assert!(r.errors() > 0, "the broken file was accepted");
    assert!(!r.written, "report says written");
    assert!(
        util::tree(&s.path("public")) == before,
        "the previous output changed"
    );
    assert_eq!(
        leftovers(&s),
        Vec::<String>::new(),
        "staging folders left behind"
    );
}

#[test]
fn a_strict_build_that_fails_late_leaves_no_trace_in_later_builds() {
    // A strict build streams pages into the spare tree before the link check fails;
    // the next build must still write exactly what a fresh build writes.
    let s = Site::basic();
    s.incident("a", "groups: [jnim]\n", "First text.\n");
    assert_clean(&s.build_with(|o| o.strict = true));
    let before = util::tree(&s.path("public"));
    s.incident(
        "a",
        "groups: [jnim]\n",
        "Changed text, see [x](/nowhere/).\n",
    );
    let r = s.build_with(|o| o.strict = true);
    assert_eq!(util::errors(&r).len(), 1, "{:?}", util::errors(&r));
    assert!(!r.written);
    assert!(util::tree(&s.path("public")) == before, "output changed");
    s.incident("a", "groups: [jnim]\n", "First text.\n");
    assert_clean(&s.build_with(|o| o.strict = true));
    assert!(util::tree(&s.path("public")) == before, "rebuild differs");
    s.incident("a", "groups: [jnim]\n", "Third text.\n");
    assert_clean(&s.build_with(|o| o.strict = true));
    let fresh = s.path("fresh");
    assert_clean(&s.build_with(|o| o.output = Some(fresh.clone())));
    assert!(util::tree(&s.path("public")) == util::tree(&fresh));
    assert!(s.out("incidents/a/index.html").contains("Third text."));
}

#[test]
fn rebuild_replaces_the_output_and_drops_stale_pages() {
    let s = Site::basic();
    s.incident("first", "", "One.\n");
    s.incident("second", "", "Two.\n");
    assert_clean(&s.build());
    assert!(s.out_exists("incidents/first/index.html"));
    std::fs::remove_file(s.path("content/incidents/first.md")).unwrap();
    assert_clean(&s.build());
    assert!(
        !s.out_exists("incidents/first/index.html"),
        "stale page survived the rebuild"
    );
    assert!(s.out_exists("incidents/second/index.html"));
    assert_eq!(
        leftovers(&s),
        Vec::<String>::new(),
        "staging or old folders left behind"
    );
}

#[test]
fn refuses_to_replace_a_non_empty_folder_it_did_not_create() {
    let s = Site::basic();
    let out = s.path("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "precious").unwrap();
    let result = casefile::build(
        &casefile::BuildOptions {
            output: Some(out.clone()),
            ..s.opts()
        },
        &|_| {},
    );
    match result {
        Err(casefile::Error::Fs(e)) => assert!(
            e.to_string().contains(casefile::write::MARKER),
            "message should name the marker: {e}"
        ),
        Ok(r) => panic!("replaced a foreign folder: written={}", r.written),
    }
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "precious"
    );
    assert!(!out.join("index.html").exists());
}

#[test]
fn accepts_an_empty_output_folder_and_marks_it() {
    let s = Site::basic();
    let out = s.path("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    let r = casefile::build(
        &casefile::BuildOptions {
            output: Some(out.clone()),
            ..s.opts()
        },
        &|_| {},
    )
    .unwrap();
    assert_clean(&r);
    assert!(out.join("index.html").is_file() && out.join(casefile::write::MARKER).is_file());
    // Its own output (with the marker) is replaced on the next build.
    let again = casefile::build(
        &casefile::BuildOptions {
            output: Some(out.clone()),
            ..s.opts()
        },
        &|_| {},
    )
    .unwrap();
    assert!(again.written);
}

#[test]
fn dry_run_counts_pages_but_writes_nothing() {
    let s = Site::basic();
    s.incident("one", "", "");
    let r = s.build_with(|o| o.dry_run = true);
    assert_eq!(util::errors(&r), Vec::<String>::new());
    assert!(!r.written, "dry run reports written");
    assert_eq!(
        (r.counts.incidents, r.counts.groups, r.counts.weapons),
        (1, 2, 2)
    );
    assert!(
        r.counts.files > 0,
        "dry run should still count the files it would write"
    );
    assert!(
        !s.path("public").exists(),
        "dry run created the output folder"
    );
    assert_eq!(leftovers(&s), Vec::<String>::new());
}

// ----- lists and feeds --------------------------------------------------------------

#[test]
fn incident_list_is_paged_by_incidents_per_page() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nincidents_per_page: 2\n",
    );
    for n in 1..=5 {
        s.file(
            &format!("content/incidents/i{n}.md"),
            &format!("---\ntitle: Incident {n}\ndate: 2024-01-0{n}\n---\n"),
        );
    }
    assert_clean(&s.build());
    for p in [
        "incidents/index.html",
        "incidents/page/2/index.html",
        "incidents/page/3/index.html",
    ] {
        assert!(s.out_exists(p), "{p} missing");
    }
    for p in ["incidents/page/4/index.html", "incidents/page/1/index.html"] {
        assert!(!s.out_exists(p), "{p} should not exist");
    }
    let first: BTreeSet<String> = main_links(&s, "incidents/index.html").into_iter().collect();
    for (href, listed) in [
        ("/incidents/i5/", true),
        ("/incidents/i4/", true),
        ("/incidents/i1/", false),
    ] {
        assert_eq!(
            first.contains(href),
            listed,
            "page 1 newest first: {href} in {first:?}"
        );
    }
    assert!(
        first.contains("/incidents/page/2/"),
        "page 1 does not link page 2: {first:?}"
    );
    let last = main_links(&s, "incidents/page/3/index.html");
    assert!(
        last.contains(&"/incidents/i1/".to_string()),
        "page 3 lists the oldest: {last:?}"
    );
}

#[test]
fn atom_feed_holds_the_newest_feed_limit_incidents() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nfeed_limit: 2\n",
    );
    for n in 1..=3 {
        s.file(
            &format!("content/incidents/i{n}.md"),
            &format!("---\ntitle: Incident {n}\ndate: 2024-01-0{n}\n---\n"),
        );
    }
    assert_clean(&s.build());
    let atom = s.out("atom.xml");
    let names = util::xml_elements(&atom).unwrap();
    assert_eq!(names.iter().filter(|n| *n == "entry").count(), 2);
    let hrefs = util::xml_attrs(&atom, "link", "href");
    assert!(
        hrefs.contains(&"https://example.org/incidents/i3/".to_string())
            && hrefs.contains(&"https://example.org/incidents/i2/".to_string()),
        "{hrefs:?}"
    );
    assert!(
        !hrefs.contains(&"https://example.org/incidents/i1/".to_string()),
        "{hrefs:?}"
    );
}

#[test]

fn atom_summary_has_no_empty_place_when_the_location_is_unknown() {
    let s = Site::basic();
    s.incident("nowhere", "", "Something happened.\n");
    assert_clean(&s.build());
    let summaries = util::xml_texts(&s.out("atom.xml"), "summary");
    assert_eq!(summaries.len(), 1);
    assert!(
        summaries[0].contains("Something happened."),
        "{}",
        summaries[0]
    );
    assert!(
        !summaries[0].contains(", )") && !summaries[0].contains("()"),
        "{}",
        summaries[0]
    );
}

#[test]
fn spreadsheet_formulas_in_text_cells_are_defused_in_csv_only() {
    let s = Site::basic();
    s.file("content/incidents/f.md", "---\ntitle: '=HYPERLINK(\"https://evil.example\",\"x\")'\ndate: 2024-01-01\nlocation: {name: '@SUM(A1)', country: '+Mali', lat: -12.5, lon: -8}\ntags: [-cmd]\n---\n");
    assert_clean(&s.build());
    let text = s.out("data/incidents.csv");
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let row = rd.records().next().unwrap().unwrap();
    let col = |n: &str| row[header.iter().position(|h| h == n).unwrap()].to_string();
    for name in ["title", "location", "country", "tags"] {
        let v = col(name);
        assert!(v.starts_with('\''), "{name} cell not defused: {v}");
    }
    assert_eq!(col("lat"), "-12.5", "numbers stay numbers");
    assert_eq!(col("lon"), "-8");
    let j = json(&s, "data/incidents.json");
    assert_eq!(
        j[0]["title"], "=HYPERLINK(\"https://evil.example\",\"x\")",
        "JSON keeps the text as written"
    );
}

#[test]
fn fatalities_best_low_high_are_exported() {
    let s = Site::basic();
    s.incident("f", "fatalities: {best: 12, low: 10, high: 20}\n", "");
    s.incident("unknown", "", "");
    assert_clean(&s.build());
    let text = s.out("data/incidents.csv");
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let get = |id: &str, n: &str| {
        rows.iter()
            .find(|r| &r[0] == id)
            .map(|r| r[header.iter().position(|h| h == n).unwrap()].to_string())
            .unwrap()
    };
    assert_eq!(
        (
            get("f", "fatalities"),
            get("f", "fatalities_low"),
            get("f", "fatalities_high")
        ),
        ("12".into(), "10".into(), "20".into())
    );
    assert_eq!(
        get("unknown", "fatalities"),
        "",
        "not reported is empty, not zero"
    );
    let j = json(&s, "data/incidents.json");
    let unknown = j
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "unknown")
        .unwrap();
    assert!(
        unknown["fatalities"].is_null(),
        "not reported is null, not zero: {}",
        unknown["fatalities"]
    );
}

// ----- keys and dates ---------------------------------------------------------------

#[test]
fn unknown_key_is_a_warning_in_build_with_a_suggestion() {
    let s = Site::basic();
    s.incident("typo", "fatalitis: 3\n", "");
    let r = s.build();
    assert_clean(&r);
    let w = diags_named(&r, "unknown-key");
    assert_eq!(w.len(), 1, "{:#?}", r.diagnostics);
    assert!(!w[0].is_error());
    util::assert_diag(w[0], "unknown-key", "content/incidents/typo.md", 4);
    assert!(
        w[0].hint
            .as_deref()
            .unwrap_or("")
            .contains("did you mean `fatalities`"),
        "{}",
        w[0]
    );
}

#[test]
fn unknown_key_is_an_error_when_strict() {
    let s = Site::basic();
    s.incident("typo", "fatalitis: 3\n", "");
    let r = s.build_with(|o| o.strict = true);
    let d = util::one_error(&r);
    util::assert_diag(d, "unknown-key", "content/incidents/typo.md", 4);
    assert!(
        d.hint
            .as_deref()
            .unwrap_or("")
            .contains("did you mean `fatalities`"),
        "{d}"
    );
    assert!(!r.written);
}

fn date_label(s: &Site, id: &str) -> String {
    let all = json(s, "data/incidents.json");
    let inc = all
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not exported"));
    inc["date_label"].as_str().unwrap().to_string()
}

#[test]
fn month_date_is_labelled_with_the_month() {
    let s = Site::basic();
    s.file(
        "content/incidents/march.md",
        "---\ntitle: March\ndate: 2024-03\n---\n",
    );
    assert_clean(&s.build());
    assert_eq!(date_label(&s, "march"), "March 2024");
    let text = util::text_of(&util::html(&s.out("incidents/march/index.html")), "main").unwrap();
    assert!(text.contains("March 2024"), "page: {text}");
    assert!(
        !text.contains("1 Mar 2024"),
        "a month shown as a day: {text}"
    );
}

#[test]
fn date_range_is_labelled_as_a_range() {
    let s = Site::basic();
    s.file(
        "content/incidents/range.md",
        "---\ntitle: Range\ndate: 2019-12-10\ndate_end: 2019-12-12\n---\n",
    );
    assert_clean(&s.build());
    assert_eq!(date_label(&s, "range"), "10–12 Dec 2019");
    let text = util::text_of(&util::html(&s.out("incidents/range/index.html")), "main").unwrap();
    assert!(text.contains("10–12 Dec 2019"), "page: {text}");
}

#[test]
fn day_precision_on_a_month_date_is_an_error() {
    let s = Site::basic();
    s.file(
        "content/incidents/bad.md",
        "---\ntitle: Bad\ndate: 2024-03\ndate_precision: day\n---\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "invalid-date", "content/incidents/bad.md", 4);
}

#[test]
fn date_end_before_date_is_an_error() {
    let s = Site::basic();
    s.file(
        "content/incidents/bad.md",
        "---\ntitle: Bad\ndate: 2024-03-22\ndate_end: 2024-03-20\n---\n",
    );
    let d = util::one_error(&s.build()).clone();
    util::assert_diag(&d, "date-order", "content/incidents/bad.md", 4);
}

#[test]

fn month_date_with_a_later_date_end_is_labelled_as_a_range() {
    let s = Site::basic();
    s.file(
        "content/incidents/spring.md",
        "---\ntitle: Spring\ndate: 2024-03\ndate_end: 2024-05\n---\n",
    );
    assert_clean(&s.build());
    let label = date_label(&s, "spring");
    assert!(label.contains("March") || label.contains("Mar"), "{label}");
    assert!(
        label.contains("May"),
        "the label hides the end of the range: {label}"
    );
}

#[test]

fn each_misspelt_key_is_reported_at_its_own_line() {
    let s = Site::basic();
    s.incident(
        "typo",
        "weapons:\n  - {weapon: rpg-7, quantiy: 1}\n  - {weapon: pg-7v, quantiy: 2}\n",
        "",
    );
    let r = s.build();
    assert_clean(&r);
    let lines: Vec<u32> = diags_named(&r, "unknown-key")
        .iter()
        .map(|d| d.line)
        .collect();
    assert_eq!(
        lines,
        [5, 6],
        "{:#?}",
        r.diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
}

// ----- static files -----------------------------------------------------------------

#[test]
fn static_files_are_copied_byte_for_byte() {
    let s = Site::basic();
    let bin: Vec<u8> = (0..=255u8).chain([0, 0xff, b'\r', b'\n']).collect();
    s.bytes("static/img/logo.png", &bin);
    s.file("static/robots.txt", "User-agent: *\r\nAllow: /\r\n");
    assert_clean(&s.build());
    assert_eq!(std::fs::read(s.path("public/img/logo.png")).unwrap(), bin);
    assert_eq!(
        std::fs::read(s.path("public/robots.txt")).unwrap(),
        b"User-agent: *\r\nAllow: /\r\n"
    );
}

#[test]
fn static_file_clashing_with_the_feed_is_a_url_collision() {
    let s = Site::basic();
    s.file("static/atom.xml", "<feed/>");
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "url-collision", "static/atom.xml", 0);
    assert!(
        d.message.contains("atom.xml") && d.message.contains("generated"),
        "{d}"
    );
    assert!(!r.written);
}

#[test]
fn static_file_clashing_with_a_group_page_names_the_group_file() {
    let s = Site::basic();
    s.file("static/groups/jnim/index.html", "<p>mine</p>");
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "url-collision", "static/groups/jnim/index.html", 0);
    assert!(d.message.contains("content/groups/jnim.md"), "{d}");
}

#[test]
fn static_file_differing_from_a_page_only_in_case_collides() {
    let s = Site::basic();
    s.file("static/Atom.xml", "<feed/>");
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "url-collision", "static/Atom.xml", 0);
}

// ----- the command line -------------------------------------------------------------

fn cli() -> assert_cmd::Command {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_casefile"))
}

/// `path:line:col: error[E0000]: message`
fn is_located_error_line(l: &str) -> bool {
    let Some((head, _)) = l.split_once(": error[E") else {
        return false;
    };
    let mut parts = head.rsplitn(3, ':');
    let (col, line, path) = (parts.next(), parts.next(), parts.next());
    let num =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    num(col)
        && num(line)
        && path.is_some_and(|p| !p.is_empty())
        && l.split_once(": error[E").is_some_and(|(_, rest)| {
            rest.get(4..6) == Some("]:") && rest[..4].bytes().all(|b| b.is_ascii_digit())
        })
}

#[test]
fn cli_build_exits_0_with_a_one_line_summary() {
    let s = Site::basic();
    s.incident("ok", "groups: [jnim]\n", "Fine.\n");
    let out = cli()
        .args(["build", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.contains("built"), "stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(s.out_exists("incidents/ok/index.html"));
}

#[test]
fn cli_build_of_a_broken_site_exits_1_with_located_errors() {
    let s = Site::basic();
    s.incident("typo", "groups:\n  - {group: jnmi, role: attacker}\n", "");
    let out = cli()
        .args(["build", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    let located: Vec<&str> = stderr
        .lines()
        .filter(|l| is_located_error_line(l))
        .collect();
    assert_eq!(located.len(), 1, "stderr: {stderr}");
    assert!(
        located[0].starts_with("content/incidents/typo.md:5:13: error[E0103]"),
        "{}",
        located[0]
    );
    assert!(!s.out_exists("index.html"));
}

#[test]
fn cli_bad_flag_exits_2() {
    let out = cli().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli().output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no subcommand: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_system_error_exits_2_with_a_message() {
    let s = Site::basic();
    std::fs::create_dir_all(s.path("foreign")).unwrap();
    std::fs::write(s.path("foreign/keep.txt"), "x").unwrap();
    let out = cli()
        .args(["build", "--root"])
        .arg(s.root())
        .arg("--output")
        .arg(s.path("foreign"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.starts_with("error:"), "stderr: {stderr}");
}

#[test]
fn cli_base_url_and_output_flags_are_applied() {
    let s = Site::basic();
    s.incident("ok", "", "Fine.\n");
    let out_dir = s.path("site-out");
    let out = cli()
        .args([
            "build",
            "--base-url",
            "https://org.github.io/monitor/",
            "--root",
        ])
        .arg(s.root())
        .arg("--output")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !s.out_exists("index.html"),
        "wrote the default output folder too"
    );
    let problems = util::broken_links(&out_dir, "/monitor/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let canon = util::attr_values(
        &util::html(&std::fs::read_to_string(out_dir.join("incidents/ok/index.html")).unwrap()),
        "link[rel=canonical]",
        "href",
    );
    assert_eq!(canon, ["https://org.github.io/monitor/incidents/ok/"]);
}

#[test]
fn located_error_line_matcher_accepts_only_the_documented_shape() {
    assert!(is_located_error_line(
        "content/incidents/x.md:5:13: error[E0103]: unknown group `a`"
    ));
    for bad in [
        "content/x.md: error[E0103]: m",
        "x.md:5:13: warning[E0030]: m",
        "x.md:a:13: error[E0103]: m",
        "x.md:5:13: error[E01]: m",
    ] {
        assert!(!is_located_error_line(bad), "{bad}");
    }
}

#[test]
fn inertness_check_catches_live_payloads() {
    let bad = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=x></iframe>",
        "<a href=\" JaVa&#x09;Script:alert(1)\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<img src=\"vbscript:x\">",
    ];
    for b in bad {
        let caught = std::panic::catch_unwind(|| assert_inert("t", b)).is_err();
        assert!(caught, "not caught: {b}");
    }
    assert_inert(
        "t",
        "<a href=\"https://example.org/\">ok</a><a href=\"#\">x</a>",
    );
}

#[test]
fn xml_check_rejects_malformed_documents() {
    for bad in [
        "<a><b></a>",
        "<a>&nbsp;</a>",
        "<a>x & y</a>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>",
        "",
        "<a/><b/>",
    ] {
        assert!(util::xml_elements(bad).is_err(), "accepted: {bad:?}");
    }
    assert_eq!(
        util::xml_elements("<?xml version=\"1.0\"?><a x=\"&amp;\"><b>&lt;&#39;</b></a>").unwrap(),
        ["a", "b"]
    );
}

// ---- theme overrides

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

// ---- usage errors, shadowed names, section fragments

#[test]
fn missing_site_folder_is_a_system_error_not_an_empty_site() {
    let dir = tempfile::tempdir().unwrap();
    let opts = casefile::BuildOptions {
        root: dir.path().join("nope"),
        ..Default::default()
    };
    assert!(casefile::build(&opts, &|_| {}).is_err());
    assert!(!dir.path().join("nope").exists(), "nothing may be created");
}

#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let site = Site::basic();
    let err =
        casefile::build(&site.build_opts_with_base("javascript:alert(1)"), &|_| {}).unwrap_err();
    assert!(err.to_string().contains("--base-url"), "{err}");
}

#[test]
fn alias_equal_to_another_file_id_warns_that_it_is_unreachable() {
    let site = Site::basic();
    site.file("content/groups/zed.md", "---\nname: Zed Front\n---\n");
    site.file(
        "content/groups/other.md",
        "---\nname: Other group\naliases: [zed]\n---\n",
    );
    site.incident("a", "groups: [zed]\n", "");
    let r = site.build();
    assert_eq!(r.errors(), 0, "{:?}", util::errors(&r));
    let w = r
        .diagnostics
        .iter()
        .find(|d| d.code.name == "ambiguous-name")
        .expect("a warning");
    assert!(
        w.file.to_string_lossy().ends_with("other.md") && w.message.contains("zed"),
        "{w}"
    );
    assert!(site.out("groups/zed/index.html").contains("/incidents/a/"));
}

#[test]
fn links_to_group_and_weapon_sections_resolve() {
    let site = Site::basic();
    site.incident(
        "a",
        "",
        "See [weapons](@/groups/jnim.md#weapons) and [who used it](@/weapons/rpg-7.md#groups).\n",
    );
    let r = site.build();
    assert_eq!(r.errors(), 0, "{:?}", util::errors(&r));
    site.incident("b", "", "[x](@/groups/jnim.md#statuses)\n");
    let r = site.build();
    assert_eq!(util::one_error(&r).code.name, "broken-fragment");
}

#[test]
fn week_precision_with_a_later_end_shows_the_whole_span() {
    let site = Site::basic();
    site.incident("a", "date_end: 2024-04-05\ndate_precision: week\n", "");
    site.build();
    assert!(
        site.out("incidents/a/index.html")
            .contains("between 18 Mar 2024 and 5 Apr 2024")
    );
}

// ---- casefile check (issue 3)

fn check_cmd(site: &Site, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("casefile")
        .unwrap()
        .arg("check")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .assert()
}

#[test]
fn check_passes_the_example_site_and_writes_nothing() {
    let out = assert_cmd::Command::cargo_bin("casefile")
        .unwrap()
        .args(["check", "--root"])
        .arg(util::repo())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = Site::basic();
    site.incident("a", "", "");
    check_cmd(&site, &[]).code(0);
    assert!(!site.path("public").exists() && !site.path(".public.casefile-spare").exists());
}

#[test]
fn check_reports_broken_plain_links_at_their_markdown_line() {
    let site = Site::basic();
    site.incident(
        "a",
        "",
        "Intro.\n\nSee [x](/groups/nope/) and [ok](/groups/jnim/#weapons).\n",
    );
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let d = util::one_error(&r);
    assert_eq!((d.code.name, d.line, d.col), ("broken-link", 7, 9), "{d}");
    // A plain build does not check rendered links.
    assert_eq!(site.build().errors(), 0);
}

#[test]
fn check_formats_human_json_and_github() {
    let site = Site::basic();
    site.incident("a", "groups: [jmin]\n", "");
    let human = check_cmd(&site, &[]).code(1);
    let text = String::from_utf8_lossy(&human.get_output().stdout).into_owned();
    assert!(
        text.starts_with("content/incidents/a.md:4:10: error[E0103]: unknown group `jmin`"),
        "{text}"
    );
    assert!(
        text.contains("(id `jnim`)") && text.contains("groups: [jmin]") && text.contains("^^^^"),
        "{text}"
    );
    let json = check_cmd(&site, &["--format", "json"]).code(1);
    let line = String::from_utf8_lossy(&json.get_output().stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (
            v["file"].as_str(),
            v["line"].as_u64(),
            v["col"].as_u64(),
            v["code"].as_str()
        ),
        (
            Some("content/incidents/a.md"),
            Some(4),
            Some(10),
            Some("E0103")
        )
    );
    assert_eq!(v["severity"], "error");
    let gh = check_cmd(&site, &["--format", "github"]).code(1);
    let line = String::from_utf8_lossy(&gh.get_output().stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(line.starts_with("::error file=content/incidents/a.md,line=4,col=10,title=E0103 unknown-group::unknown group `jmin`"), "{line}");
}

#[test]
fn check_fails_on_unknown_keys_and_on_warnings_only_when_denied() {
    let site = Site::basic();
    site.incident("a", "fatalitis: 2\n", "");
    check_cmd(&site, &[]).code(1);
    site.incident("a", "", "");
    site.file("content/groups/zed.md", "---\nname: Zed Front\n---\n");
    site.file(
        "content/groups/other.md",
        "---\nname: Other group\naliases: [zed]\n---\n",
    );
    check_cmd(&site, &[]).code(0);
    check_cmd(&site, &["--deny-warnings"]).code(1);
}

#[test]
fn strict_build_checks_links_then_writes() {
    let site = Site::basic();
    site.incident("a", "", "[x](/nowhere/)\n");
    let r = site.build_with(|o| o.strict = true);
    assert!(!r.written && r.errors() == 1);
    site.incident("a", "", "[x](/groups/jnim/)\n");
    let r = site.build_with(|o| o.strict = true);
    assert!(r.written && r.errors() == 0, "{:?}", util::errors(&r));
    assert!(site.out_exists("incidents/a/index.html"));
}

#[test]
fn content_rules_warn_in_build_and_confirmed_needs_a_source_in_check() {
    let site = Site::basic();
    site.incident(
        "a",
        "confidence: confirmed\ngroups: [jnim, is-sahel]\nweapons:\n  - {weapon: rpg-7, from: jnim, to: is-sahel}\n  - pg-7v\n",
        "",
    );
    let r = site.build();
    assert_eq!(r.errors(), 0);
    let names: Vec<&str> = r.diagnostics.iter().map(|d| d.code.name).collect();
    assert!(names.contains(&"unsourced-confirmed"), "{names:?}");
    let r = site.build_with(|o| o.strict = true);
    assert_eq!(util::one_error(&r).code.name, "unsourced-confirmed");
    site.incident(
        "a",
        "sources: [https://example.org/a, https://example.org/a/]\nweapons:\n  - {weapon: rpg-7, from: jnim}\n  - pg-7v\n",
        "",
    );
    site.file("content/groups/lonely.md", "---\nname: Lonely Front\n---\n");
    let r = site.build_with(|o| o.strict = true);
    let names: Vec<&str> = r.diagnostics.iter().map(|d| d.code.name).collect();
    for want in ["duplicate-source", "holder-not-involved", "unreferenced"] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(r.written, "warnings do not stop a build");
    assert!(
        !site
            .build()
            .diagnostics
            .iter()
            .any(|d| d.code.name == "unreferenced"),
        "only check reports unreferenced files"
    );
}

#[test]
fn check_reports_model_and_link_problems_in_one_run() {
    let site = Site::basic();
    site.incident("a", "groups: [no-such-group]\n", "");
    site.incident(
        "b",
        "",
        "[x](/no/such/page/) and [y](@/groups/missing.md)\n",
    );
    site.file("content/incidents/c.md", "no front matter\n");
    site.incident("d", "", "[to c](@/incidents/c.md)\n");
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let got: Vec<(String, u32, &str)> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.to_string_lossy().replace('\\', "/"),
                d.line,
                d.code.name,
            )
        })
        .collect();
    let want = [
        ("content/incidents/a.md".to_string(), 4, "unknown-group"),
        ("content/incidents/b.md".to_string(), 5, "broken-link"),
        (
            "content/incidents/b.md".to_string(),
            5,
            "broken-content-link",
        ),
        ("content/incidents/c.md".to_string(), 1, "no-front-matter"),
    ];
    for w in &want {
        assert!(
            got.iter().any(|g| g.0 == w.0 && g.1 == w.1 && g.2 == w.2),
            "{w:?} missing from {got:?}"
        );
    }
    // The link to the file that failed to load is not reported a second time.
    assert!(!got.iter().any(|g| g.0.ends_with("d.md")), "{got:?}");
}
