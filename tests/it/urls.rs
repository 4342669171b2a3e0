//! URLs: every page's address comes from its file name or `slug`, is safe on every
//! file system, and belongs to exactly one source; two sources for one URL (files,
//! slugs, static files, generated pages, or names differing only in case or Unicode
//! form) are an error naming both.

use crate::util::{
    self, Site, assert_clean, at, build_fails, build_ok, error_in, errs, hint, inc, one_error,
    printed, slash, tree,
};
use casefile::diag::Diagnostic;
use std::path::Path;

/// `slug: short` on `2024/long-file-name.md`: the page is at /incidents/short/, not at
/// the file name, and an `@/` link to the file points at the slug.
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

/// Slugs that look like paths (`../../etc/x`, `/abs`, `..`, `.`, `""`, `//`,
/// `a/../../b`, `a\..\b`) are each an invalid-slug error at the value, and no file
/// changes anywhere, inside the site or out of it.
#[test]
fn path_like_slugs_are_errors_and_nothing_is_written_anywhere() {
    let site = Site::basic();
    let slugs = [
        "../../etc/x",
        "/abs",
        "..",
        ".",
        "\"\"",
        "//",
        "a/../../b",
        "a\\..\\b",
    ];
    for (i, s) in slugs.iter().enumerate() {
        site.file(
            &inc(&format!("s{i}")),
            &format!("---\ntitle: a\ndate: 2024-03-22\nslug: {s}\n---\n"),
        );
    }
    let before = tree(site.root());
    let r = build_fails(&site);
    assert_eq!(r.errors(), slugs.len(), "{:#?}", printed(&r));
    for i in 0..slugs.len() {
        let d = error_in(&r, &format!("s{i}.md"));
        at(d, "invalid-slug", &inc(&format!("s{i}")), 4, 7);
    }
    assert!(tree(site.root()) == before, "files changed in the site");
    assert!(!Path::new("/abs").exists());
}

/// A 300-character slug is an invalid-slug content error at the value, not a system
/// error from the file system, and nothing is written.
#[test]
fn overlong_slug_is_an_invalid_slug_error() {
    let site = Site::basic();
    site.incident("long", &format!("slug: {}\n", "a".repeat(300)), "");
    let r = casefile::build(&site.opts(), &|_| {})
        .unwrap_or_else(|e| panic!("system error instead of a content error: {e}"));
    assert!(!r.written && !site.path("public").exists());
    at(
        one_error(&r),
        "invalid-slug",
        "content/incidents/long.md",
        4,
        7,
    );
}

/// `slug: JNIM` is an invalid-slug error whose hint offers `jnim`.
#[test]
fn explicit_slug_with_capitals_is_invalid() {
    let site = Site::basic();
    site.incident("a", "slug: JNIM\n", "");
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "invalid-slug", "content/incidents/a.md", 4, 7);
    assert!(hint(d).contains("`jnim`"), "{d}");
}

/// File names that Windows reserves (`CON`, `aux`, `nul`, `Com1`), that end in a dot or
/// a blank, that hold `? # % : * " < > |`, or are Arabic or an emoji each get their own
/// page at a slug of lowercase ASCII letters, digits and hyphens, never a reserved name.
#[test]
fn reserved_and_odd_stems_become_safe_slugs() {
    let site = Site::basic();
    let stems = [
        "CON",
        "aux",
        "nul",
        "Com1",
        "dot-end.",
        "space-end ",
        "q?a#b%c:d*e\"f<g>h|i",
        "مرحبا",
        "🙂",
    ];
    for s in stems {
        site.incident(s, "", "");
    }
    build_ok(&site);
    for slug in [
        "con-1",
        "aux-1",
        "nul-1",
        "com1-1",
        "dot-end",
        "space-end",
        "q-a-b-c-d-e-f-g-h-i",
    ] {
        assert!(
            site.out_exists(&format!("incidents/{slug}/index.html")),
            "no incidents/{slug}/: {:?}",
            tree(&site.path("public/incidents"))
                .into_iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>()
        );
    }
    let pages = tree(&site.path("public/incidents"))
        .into_iter()
        .filter(|(p, _)| p.ends_with("/index.html") && !p.starts_with("page/"))
        .count();
    assert_eq!(pages, stems.len(), "one page per stem");
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    for (path, _) in tree(&site.path("public")) {
        for part in path.split('/') {
            assert!(
                part.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b)),
                "unsafe output path {path}"
            );
            assert!(!part.ends_with('.') && !part.ends_with(' '), "{path}");
            let base = part.split('.').next().unwrap_or("");
            assert!(!RESERVED.contains(&base), "reserved name in {path}");
        }
    }
}

/// `Tillabéri` written with a composed é (NFC, Linux) or with e and a combining accent
/// (NFD, macOS) gives the slug `tillaberi`; both files in one site are one url-collision
/// error, reported the same way on every run.
#[test]
fn nfc_and_nfd_file_names_give_one_slug_and_collide_deterministically() {
    let nfc = "Tillab\u{e9}ri";
    let nfd = "Tillabe\u{301}ri";
    for stem in [nfc, nfd] {
        let site = Site::basic();
        site.incident(stem, "", "");
        build_ok(&site);
        assert!(
            site.out_exists("incidents/tillaberi/index.html"),
            "{stem:?}"
        );
    }
    let both = Site::basic();
    both.incident(nfc, "", "");
    both.incident(nfd, "", "");
    let r = build_fails(&both);
    let d = one_error(&r);
    assert_eq!(d.code.name, "url-collision", "{d}");
    let again = build_fails(&both);
    assert_eq!(
        printed(&again),
        printed(&r),
        "collision reported differently on a rebuild"
    );
}

/// `2023/attack.md` and `2024/attack.md` both want /incidents/attack/: one url-collision
/// error naming the file.
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

/// `Kalamba.md` and `kalamba.md` (incidents), and `Foo.md` and `foo.md` (groups), collide
/// even on a case-sensitive file system: a url-collision and a duplicate-id error, each
/// naming both files.
#[test]
fn names_differing_only_in_case_collide() {
    let site = Site::basic();
    site.incident("Kalamba", "", "");
    site.incident("kalamba", "", "");
    site.file("content/groups/Foo.md", "---\nname: Foo one\n---\n");
    site.file("content/groups/foo.md", "---\nname: Foo two\n---\n");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", printed(&r));
    let mentions_both = |d: &Diagnostic, a: &str, b: &str| {
        let text = format!("{} {}", slash(&d.file), d.message);
        text.contains(a) && text.contains(b)
    };
    let e = errs(&r);
    assert!(
        e.iter().any(|d| d.code.name == "url-collision"
            && mentions_both(d, "incidents/Kalamba.md", "incidents/kalamba.md")),
        "{:#?}",
        printed(&r)
    );
    assert!(
        e.iter()
            .any(|d| d.code.name == "duplicate-id"
                && mentions_both(d, "groups/Foo.md", "groups/foo.md")),
        "{:#?}",
        printed(&r)
    );
}

/// `static/Atom.xml` collides with the generated `atom.xml`.
#[test]
fn static_file_differing_from_a_page_only_in_case_collides() {
    let s = Site::basic();
    s.file("static/Atom.xml", "<feed/>");
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "url-collision", "static/Atom.xml", 0);
}

/// Incident `a` with `slug: b` next to incident `b`: one url-collision error that names
/// both files.
#[test]
fn a_stem_and_an_explicit_slug_for_one_url_collide_naming_both_files() {
    let site = Site::basic();
    site.incident("a", "slug: b\n", "");
    site.incident("b", "", "");
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_eq!(d.code.name, "url-collision");
    let text = format!("{} {}", slash(&d.file), d.message);
    assert!(
        text.contains("incidents/a.md") && text.contains("incidents/b.md"),
        "{d}"
    );
}

/// Static files at the address of an incident page, of a group page and of the Atom
/// feed: one url-collision error on each static file (line 0, no position), naming the
/// content file that owns the page or saying the feed is generated; nothing is written.
#[test]
fn a_static_file_over_a_generated_page_or_the_feed_collides_naming_the_owner() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("static/incidents/a/index.html", "<p>static</p>");
    site.file("static/groups/jnim/index.html", "<p>mine</p>");
    site.file("static/atom.xml", "<feed/>");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", printed(&r));
    for (file, owner) in [
        ("static/incidents/a/index.html", "content/incidents/a.md"),
        ("static/groups/jnim/index.html", "content/groups/jnim.md"),
    ] {
        let d = error_in(&r, file);
        util::assert_diag(d, "url-collision", file, 0);
        assert!(d.message.contains(owner), "{d}");
    }
    let d = error_in(&r, "static/atom.xml");
    util::assert_diag(d, "url-collision", "static/atom.xml", 0);
    assert!(
        d.message.contains("atom.xml") && d.message.contains("generated"),
        "{d}"
    );
}

/// Free pages `pages/groups.md` and `pages/incidents.md` would sit at the addresses of
/// the group and incident lists: a url-collision error on each page file.
#[test]
fn a_free_page_whose_slug_is_a_list_page_collides_on_the_page_file() {
    let site = Site::basic();
    site.file(
        "content/pages/groups.md",
        "---\ntitle: About groups\n---\nText.\n",
    );
    site.file("content/pages/incidents.md", "---\ntitle: Incidents\n---\n");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", printed(&r));
    for file in ["content/pages/groups.md", "content/pages/incidents.md"] {
        let d: Vec<&Diagnostic> = errs(&r)
            .into_iter()
            .filter(|d| slash(&d.file) == file)
            .collect();
        assert_eq!(d.len(), 1, "{file}: {:#?}", printed(&r));
        assert_eq!(d[0].code.name, "url-collision", "{}", d[0]);
    }
}
