//! Links: `@/path/to/file.md#fragment` links between content files are checked on
//! every build down to the heading, and resolve to page URLs; links and source URLs
//! that could run script never reach a page.

use crate::util::{
    self, Site, assert_clean, at, build_fails, build_ok, error_in, errs, hint, printed,
};

/// `[the group](@/groups/missing.md)` and `[history](@/groups/jnim.md#no-such-id)`: a
/// broken-content-link error at the first link (7:5) naming the missing file, and a
/// broken-fragment error at the second (9:5) naming the missing id; nothing is written.
/// A plain build (which drops each Markdown text once rendered, noting where its links
/// stand), a low-memory one (which reads each incident's text again to render it) and
/// check (which keeps the texts) put them at the same places.
#[test]
fn broken_content_link_and_fragment_are_errors_at_the_link() {
    let site = Site::basic();
    site.incident("links", "", "Intro.\n\nSee [the group](@/groups/missing.md) here.\n\nAnd [history](@/groups/jnim.md#no-such-id).\n");
    let plain = build_fails(&site);
    let lean = site.build_with(|o| o.low_memory = true);
    let check = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    for r in [&plain, &lean, &check] {
        assert_eq!(r.errors(), 2, "{:#?}", printed(r));
        let e = errs(r);
        at(
            e[0],
            "broken-content-link",
            "content/incidents/links.md",
            7,
            5,
        );
        assert!(e[0].message.contains("groups/missing.md"), "{}", e[0]);
        at(e[1], "broken-fragment", "content/incidents/links.md", 9, 5);
        assert!(e[1].message.contains("no-such-id"), "{}", e[1]);
    }
}

/// `@/` links to an incident's `#sources` section and to a heading in a group's body
/// resolve to the pages' URLs with the fragment, and every link of the site resolves.
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

/// `@/` links may point at the sections the templates give group and weapon pages
/// (`#weapons`, `#groups`); a section the page does not have (`#statuses` on a group) is
/// a broken-fragment error.
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

/// Footnote references link to their notes on the same page, and those links resolve.
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

/// Markdown links, autolinks, images and reference definitions with `javascript:` (in
/// mixed case, entity-encoded, split by a tab), `data:` and `vbscript:` URLs, and a link
/// title that tries to break out of its attribute: none leaves a live URL or event
/// handler in the page, and the http, mailto and relative links next to them are kept.
#[test]
fn dangerous_link_schemes_are_neutralised() {
    let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) [d](java\tscript:alert(1))\n\n\
<javascript:alert(1)> [e](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [f](vbscript:msgbox(1))\n\n\
![img](javascript:alert(1)) ![img2](data:image/svg+xml,<svg/onload=alert(1)>)\n\n\
[ref][r] [t](https://example.org/ \"\\\" onmouseover=alert(1) x=\\\"\")\n\n[r]: javascript:alert(1)\n\n[ok](https://example.org/) [mail](mailto:a@example.org) [rel](/about/) [ok](https://example.org/ok)\n";
    let site = Site::basic();
    site.incident("links", "", body);
    build_ok(&site);
    let html = site.out("incidents/links/index.html");
    util::assert_inert("incidents/links/index.html", &html);
    assert!(
        html.contains("href=\"https://example.org/\"")
            && html.contains("href=\"mailto:a@example.org\"")
            && html.contains("href=\"/about/\"")
            && html.contains("href=\"https://example.org/ok\"")
    );
}

/// Source and evidence URLs that are not http(s): `javascript:` as a plain list item
/// and in a `{title, url}` map, `data:` both ways, and a `vbscript:` evidence link. Each
/// is an invalid-url error at the URL, reported in path order, with a hint that only
/// http(s) is allowed; nothing is written.
#[test]
fn only_http_urls_are_accepted_for_sources_and_evidence() {
    let site = Site::basic();
    site.incident("js", "sources: [javascript:alert(1)]\n", "");
    site.incident(
        "js-map",
        "sources:\n  - {title: t, url: \"javascript:alert(1)\"}\n",
        "",
    );
    site.incident(
        "data",
        "sources:\n  - {title: x, url: \"data:text/html,<script>alert(1)</script>\"}\n",
        "",
    );
    site.incident(
        "data-item",
        "sources:\n  - \"data:text/html,<script>alert(1)</script>\"\n",
        "",
    );
    site.incident(
        "evidence",
        "weapons:\n  - {weapon: rpg-7, evidence: [\"vbscript:msgbox(1)\"]}\n",
        "",
    );
    let r = build_fails(&site);
    let files: Vec<String> = errs(&r).iter().map(|d| util::slash(&d.file)).collect();
    assert_eq!(
        files,
        [
            "content/incidents/data-item.md",
            "content/incidents/data.md",
            "content/incidents/evidence.md",
            "content/incidents/js-map.md",
            "content/incidents/js.md",
        ],
        "{:#?}",
        printed(&r)
    );
    for (stem, line, col) in [
        ("js", 4, 11),
        ("js-map", 5, 21),
        ("data", 5, 21),
        ("data-item", 5, 5),
        ("evidence", 5, 32),
    ] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(
            d,
            "invalid-url",
            &format!("content/incidents/{stem}.md"),
            line,
            col,
        );
        assert!(hint(d).contains("http"), "{d}");
    }
}

/// Guard for `util::broken_links`, which the link tests here and in example_site.rs
/// rely on: it must notice a missing page, a missing id, a fragment with no target, a
/// relative link to a missing page and one that climbs above the site, and accept
/// relative links that resolve (from the page's folder, as a browser resolves them).
#[test]
fn link_checker_reports_missing_targets_and_fragments() {
    let tmp = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "index.html",
        r##"<a href="/a/">a</a><a href="/a/#x">x</a><a href="/a/#nope">n</a><a href="/gone/">g</a><a href="#top">t</a><a href="rel/">r</a><a href="https://ext.example/">e</a><a href="a/#x">ok</a><a href="../up/">u</a>"##,
    );
    w(
        "a/index.html",
        r#"<h2 id="x">X</h2><a href="../">home</a><a href="../a/#x">self</a><link rel="icon" href="../i.svg">"#,
    );
    w("i.svg", "<svg/>");
    let problems = util::broken_links(tmp.path(), "/");
    let joined = problems.join("\n");
    assert_eq!(problems.len(), 5, "{joined}");
    for needle in ["#nope", "/gone/", "#top", "`rel/`", "../up/"] {
        assert!(joined.contains(needle), "{needle} not reported:\n{joined}");
    }
}
