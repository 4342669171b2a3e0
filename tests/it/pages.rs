//! Rendered pages: the incident page (snapshot), the paged incident list, summaries
//! cut from the body, and heading ids that are unique and stable.

use crate::util::{self, Site, assert_clean, build_ok};
use std::collections::BTreeSet;

/// The `<main>` of the incident page of the `one-incident` fixture (a claimed battle
/// with a week-precision date, two groups in roles, two captured weapons passing from
/// one group to the other, a source, tags and a body with `@/` links) matches the
/// committed snapshot. `INSTA_UPDATE=always cargo test --test it pages::` blesses a
/// deliberate change; review the diff of the .snap file.
#[test]
fn incident_page_main_matches_the_snapshot() {
    let site = Site::fixture("one-incident");
    build_ok(&site);
    let page = site.out("incidents/kalamba-cache/index.html");
    insta::assert_snapshot!(main_of(&page));
}

/// The text from `<main` to `</main>` inclusive.
fn main_of(page: &str) -> &str {
    let start = page.find("<main").expect("a <main> element");
    let end = page.find("</main>").expect("a </main>") + "</main>".len();
    &page[start..end]
}

/// Five incidents, two per page: /incidents/ and pages 2 and 3 exist (no page 1 or 4),
/// page 1 lists the newest first and links page 2, page 3 holds the oldest.
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
    let first: BTreeSet<String> =
        util::links_in(&util::html(&s.out("incidents/index.html")), "main")
            .into_iter()
            .collect();
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
    let last = util::links_in(&util::html(&s.out("incidents/page/3/index.html")), "main");
    assert!(
        last.contains(&"/incidents/i1/".to_string()),
        "page 3 lists the oldest: {last:?}"
    );
}

/// A long first paragraph with accents, an ampersand, inline HTML and an emoji, cut into
/// the list's summary: plain text without markup, ending in "…", at most 300 characters,
/// and the same text in the JSON export.
#[test]
fn summary_cut_from_a_long_paragraph_is_valid_text() {
    let para = "Attaque à Kaya & <b>combat</b> près de Kalamba — 🙂 ".repeat(20);
    let site = Site::basic();
    site.incident("long", "", &format!("{para}\n\nSecond paragraph.\n"));
    build_ok(&site);
    let list = site.out("incidents/index.html");
    let doc = scraper::Html::parse_document(&list);
    let p = doc
        .select(&scraper::Selector::parse("p.incident-row-summary").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        p.children().filter(|c| c.value().is_element()).count(),
        0,
        "markup in summary: {}",
        p.html()
    );
    let text: String = p.text().collect();
    assert!(text.ends_with('…') && text.chars().count() <= 300, "{text}");
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["summary"].as_str().unwrap(), text);
}

/// Every `id` on a page, in document order.
fn page_ids(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    doc.tree
        .nodes()
        .filter_map(scraper::ElementRef::wrap)
        .filter_map(|e| e.value().id().map(str::to_string))
        .collect()
}

fn assert_unique_ids(html: &str) {
    let ids = page_ids(html);
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "duplicate ids on the page: {ids:?}"
    );
}

/// Two headings "Background", two emoji-only headings and an Arabic heading get unique,
/// non-empty ids (`background`, `background-2`, …) that are the same on every build.
#[test]
fn repeated_emoji_and_rtl_headings_get_unique_stable_ids() {
    let body = "## Background\n\nA.\n\n## Background\n\nB.\n\n## 🙂\n\n## 🙂\n\n## مرحبا\n";
    let build = || {
        let site = Site::basic();
        site.incident("ids", "", body);
        build_ok(&site);
        site.out("incidents/ids/index.html")
    };
    let html = build();
    assert_unique_ids(&html);
    let ids = page_ids(&html);
    assert!(
        ids.contains(&"background".to_string()) && ids.contains(&"background-2".to_string()),
        "{ids:?}"
    );
    assert!(ids.iter().all(|h| !h.is_empty()), "{ids:?}");
    assert_eq!(build(), html, "ids differ between builds");
}

/// Body headings named like the page's own sections (Summary, Sources, Groups, Related,
/// Main) and table captions (Weapons caption) do not give two elements the same id, on
/// an incident, a group and a weapon page.
#[test]
fn body_heading_ids_do_not_clash_with_template_ids() {
    let headings = "## Summary\n\nA.\n\n## Sources\n\nB.\n\n## Groups\n\n## Related\n\n## Main\n\n\
                    ## Weapons caption\n\n## Incidents caption\n\n## Opponents caption\n\n\
                    ## Statuses caption\n\n## Groups caption\n";
    let site = Site::basic();
    site.incident(
        "ids",
        "groups: [{group: jnim, role: attacker}, {group: is-sahel, role: target}]\n\
         weapons: [{weapon: rpg-7, status: used, from: jnim}]\n",
        headings,
    );
    for file in ["content/groups/jnim.md", "content/weapons/rpg-7.md"] {
        let text = std::fs::read_to_string(site.path(file)).unwrap();
        site.file(file, &format!("{text}\n{headings}"));
    }
    build_ok(&site);
    for page in ["incidents/ids/", "groups/jnim/", "weapons/rpg-7/"] {
        let html = site.out(&format!("{page}index.html"));
        assert!(html.contains("id=\"weapons-caption-2\""), "{page}");
        assert_unique_ids(&html);
    }
}

/// A plain build keeps no Markdown source once the bodies are rendered (the HTML,
/// links and link errors are made from it first); a strict run (check) and the
/// preview keep every source, since they point at it later or render it again.
#[test]
fn a_plain_build_drops_the_markdown_sources_after_rendering_them() {
    use casefile::model;
    use casefile::output::DropPages;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site_of = || {
        let (raw, _) = casefile::load::config::read(root, false).unwrap();
        let (config, _) = model::config::resolve(raw, None).unwrap();
        let (corpus, _) = casefile::load::load(root, false);
        model::build(corpus, config, false, false).0.unwrap()
    };
    let texts = |s: &model::Site| -> usize {
        s.incidents.iter().map(|i| i.file.body.len()).sum::<usize>()
            + s.groups.iter().map(|g| g.file.body.len()).sum::<usize>()
    };
    let mut plain = site_of();
    assert!(texts(&plain) > 0);
    let (r, _) = casefile::render::render(&mut plain, root, &DropPages, false, false).unwrap();
    assert!(r.is_some());
    assert_eq!(texts(&plain), 0, "a plain build kept Markdown sources");
    for (retain, record) in [(false, true), (true, false)] {
        let mut kept = site_of();
        let before = texts(&kept);
        casefile::render::render(&mut kept, root, &DropPages, retain, record).unwrap();
        assert_eq!(texts(&kept), before, "retain {retain}, record {record}");
    }
}

/// A lean load (`build --low-memory`, or any plain build above `LEAN_ABOVE`
/// incidents) holds no incident body: each is read again, the same text as a full
/// load gives. A file edited after it was loaded is an error on that file when its
/// body is read again, not a page made from text the rest of the site never saw.
#[test]
fn a_lean_load_reads_each_incident_body_again_and_notices_an_edit() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (held, _) = casefile::load::load(root, false);
    let (lean, _) = casefile::load::load_lean(root, false, true);
    assert_eq!(held.incidents.len(), lean.incidents.len());
    assert!(!lean.incidents.is_empty());
    for (h, l) in held.incidents.iter().zip(&lean.incidents) {
        assert!(l.file.body.is_empty() && l.file.released.is_some());
        assert_eq!(l.file.body_text(root).unwrap(), &*h.file.body);
    }
    // Groups are few: held as before.
    assert!(lean.groups.iter().any(|g| !g.file.body.is_empty()));
    // Without `always`, a site this small holds its bodies.
    let (small, _) = casefile::load::load_lean(root, false, false);
    assert!(small.incidents.iter().all(|i| i.file.released.is_none()));

    let site = crate::util::Site::basic();
    site.incident("edited", "", "First text.\n");
    let (lean, _) = casefile::load::load_lean(site.root(), false, true);
    let f = &lean
        .incidents
        .iter()
        .find(|i| i.file.stem == "edited")
        .unwrap()
        .file;
    assert_eq!(f.body_text(site.root()).unwrap(), "First text.\n");
    site.incident("edited", "", "Other text.\n");
    let e = f.body_text(site.root()).unwrap_err();
    assert!(
        e.message.contains("changed while the site was being built"),
        "{e}"
    );
    assert_eq!(e.file, std::path::Path::new("content/incidents/edited.md"));
}

/// A low-memory build reads each incident again while rendering: an incident edited
/// once the build has begun is an error on that file, nothing is written, and a link
/// to one of its headings from another file is not reported as well (its ids are
/// unknown, and its own error is the one to fix). The same edit before a build that
/// holds the bodies cannot happen: that build read the text once.
#[test]
fn an_incident_edited_during_a_low_memory_build_fails_it_on_that_file_alone() {
    let site = crate::util::Site::basic();
    site.incident("target", "", "## Sec\n\nText.\n");
    site.incident("linker", "", "See [it](@/incidents/target.md#sec).\n");
    let mut opts = site.opts();
    opts.low_memory = true;
    let edit = |stage: casefile::Stage| {
        if stage == casefile::Stage::Render {
            site.incident("target", "", "## Other\n\nEdited.\n");
        }
    };
    let r = casefile::build(&opts, &edit).unwrap();
    let e = crate::util::errs(&r);
    assert_eq!(e.len(), 1, "{:#?}", crate::util::printed(&r));
    assert_eq!(
        e[0].file,
        std::path::Path::new("content/incidents/target.md")
    );
    assert!(
        e[0].message
            .contains("changed while the site was being built"),
        "{}",
        e[0]
    );
    assert!(!r.written);
    assert!(!site.path("public/incidents/target/index.html").exists());
}

/// Files a build's lean path reads again as they are on disk: a BOM with CRLF lines,
/// a lone CR, an empty body, summaries taken from the first paragraph, links with
/// fragments. A low-memory build of them gives the plain build's files, byte for byte.
#[test]
fn a_low_memory_build_of_crlf_bom_and_empty_bodies_matches_a_plain_one() {
    let site = crate::util::Site::basic();
    site.file(
        "content/incidents/crlf.md",
        "\u{feff}---\r\ntitle: CRLF\r\ndate: 2024-03-22\r\n---\r\nFirst paragraph, long enough to be the summary.\r\n\r\n## Part\r\n\r\nSee [lone](@/incidents/lone.md#sec).\r\n",
    );
    site.file(
        "content/incidents/lone.md",
        "---\rtitle: Lone\rdate: 2024-03-21\r---\rIntro [back](@/incidents/crlf.md#part).\r\r## Sec\r",
    );
    site.incident("empty", "", "");
    let out = |name: &str, low: bool| {
        let dir = site.path(name);
        let r = site.build_with(|o| {
            o.output = Some(dir.clone());
            o.low_memory = low;
        });
        assert_eq!(r.errors(), 0, "{:#?}", crate::util::printed(&r));
        crate::util::tree(&dir)
    };
    let (plain, lean) = (out("plain", false), out("lean", true));
    assert!(!plain.is_empty());
    assert_eq!(plain.len(), lean.len());
    for ((p, a), (q, b)) in plain.iter().zip(&lean) {
        assert_eq!(p, q);
        assert!(a == b, "{p} differs between a plain and a low-memory build");
    }
    let page = String::from_utf8_lossy(
        &plain
            .iter()
            .find(|(p, _)| p == "incidents/crlf/index.html")
            .unwrap()
            .1,
    )
    .into_owned();
    assert!(page.contains("First paragraph, long enough"));
}
