//! Replacing the output folder: the new site is staged beside the old one and swapped
//! in whole, so a failed build (content errors, a collision, a system error) leaves
//! the previous output byte for byte; the hidden spare folder that makes this fast can
//! be interrupted, tampered with or filled with junk without reaching the output.
//! casefile refuses to replace a folder it did not create or one that holds the site.

use crate::util::{
    self, Site, assert_clean, assert_no_staging, at, build_ok, inc, one_error, printed, tree,
};
use casefile::BuildOptions;
use std::path::Path;

/// After a good build, a file with a YAML error is added and another file's body is
/// changed: the build fails with that one error at 2:14, writes nothing, and the
/// previous output stays byte for byte, with no staging folder left. The same holds
/// when the failure comes from a later stage: a link to a missing content file.
#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let site = Site::basic();
    site.incident("a", "groups: [JNIM]\n", "Body.\n");
    build_ok(&site);
    let before = tree(&site.path("public"));
    assert!(before.iter().any(|(p, _)| p == "incidents/a/index.html"));
    site.file(
        &inc("b"),
        "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    site.incident("a", "groups: [JNIM]\n", "Changed body.\n");
    let r = site.build();
    assert!(!r.written && r.errors() == 1, "{:#?}", printed(&r));
    at(
        one_error(&r),
        "yaml-syntax",
        "content/incidents/b.md",
        2,
        14,
    );
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);

    site.incident("b", "", "See [x](@/groups/missing.md).\n");
    let r = site.build();
    assert!(r.errors() > 0, "the broken link was accepted");
    assert!(!r.written, "report says written");
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);
}

/// A strict build streams pages into the spare folder before its link check fails: the
/// failed build writes nothing, and later builds write exactly what a fresh build writes.
#[test]
fn a_strict_build_that_fails_late_leaves_no_trace_in_later_builds() {
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

/// After a good build, a static file is added over an incident page: the url-collision
/// error writes nothing and the previous output stays byte for byte.
#[test]
fn output_collision_after_a_good_build_leaves_previous_output_untouched() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    let before = tree(&site.path("public"));
    site.file("static/incidents/a/index.html", "<p>shadow</p>");
    let r = site.build();
    assert!(!r.written, "{:#?}", printed(&r));
    assert_eq!(one_error(&r).code.name, "url-collision");
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);
}

/// An incident with its own tag and country is deleted and the site rebuilt: its page,
/// its tag and country pages, and every mention of it in lists and the feed are gone;
/// the other incident's page stays, and no staging folder is left.
#[test]
fn a_deleted_incident_disappears_from_pages_lists_and_feeds() {
    let site = Site::basic();
    site.file(
        &inc("keep"),
        "---\ntitle: Kept incident\ndate: 2024-03-20\ngroups: [JNIM]\ntags: [kept]\n---\n",
    );
    site.file(&inc("gone"), "---\ntitle: Vanishing incident\ndate: 2024-03-22\ngroups: [JNIM]\ntags: [vanishing]\nlocation: {country: Togo}\n---\n");
    build_ok(&site);
    assert!(
        site.out_exists("incidents/gone/index.html")
            && site.out("atom.xml").contains("Vanishing incident")
    );
    std::fs::remove_file(site.path(&inc("gone"))).unwrap();
    build_ok(&site);
    assert!(!site.out_exists("incidents/gone/index.html"));
    assert!(site.out_exists("incidents/keep/index.html"));
    assert!(
        !site.out_exists("tags/vanishing/index.html")
            && !site.out_exists("countries/togo/index.html")
    );
    for (path, bytes) in tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Vanishing incident") && !text.contains("incidents/gone/"),
            "{path} still mentions the deleted incident"
        );
    }
    assert!(site.out("atom.xml").contains("Kept incident"));
    assert_no_staging(&site);
}

/// A run killed between the two renames of a swap leaves the output moved aside under
/// its swap name: the next build puts a complete site back and clears the leftover.
#[test]
fn leftovers_of_an_interrupted_run_are_cleared() {
    let site = Site::basic();
    site.incident("a", "", "");
    build_ok(&site);
    // Killed between the renames of a swap: the output was moved aside.
    std::fs::rename(site.path("public"), site.output_state().join("swap")).unwrap();
    site.incident("b", "", "");
    build_ok(&site);
    assert_no_staging(&site);
    assert!(site.out_exists("incidents/a/index.html") && site.out_exists("incidents/b/index.html"));
}

/// A junk file and a symlink to a file outside the output planted in the spare folder:
/// the next build writes neither, leaves the link's target alone, and gives the same tree
/// as a fresh build.
#[test]
#[cfg(unix)]
fn junk_and_links_in_the_spare_never_reach_the_output() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    build_ok(&site);
    let fresh = Site::basic();
    fresh.incident("a", "", "Body.\n");
    build_ok(&fresh);
    let spare = site.output_state().join("spare");
    assert!(spare.is_dir(), "a rebuild keeps a spare tree");
    std::fs::write(spare.join("junk.html"), "junk").unwrap();
    let target = spare.join("incidents/a/index.html");
    std::fs::remove_file(&target).unwrap();
    let secret = site.path("secret.txt");
    std::fs::write(&secret, "secret").unwrap();
    std::os::unix::fs::symlink(&secret, &target).unwrap();
    build_ok(&site);
    assert!(!site.out_exists("junk.html"));
    let page = site.path("public/incidents/a/index.html");
    assert!(!page.is_symlink());
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    assert!(
        tree(&site.path("public")) == tree(&fresh.path("public")),
        "output differs from a fresh build"
    );
}

/// A page in the spare folder changed behind casefile's back, keeping its size: the next
/// build writes the right page again, and no manifest or other bookkeeping file ends up
/// in the output.
#[test]
fn a_tampered_spare_file_of_the_same_size_is_rewritten() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    build_ok(&site);
    let page = site.output_state().join("spare/incidents/a/index.html");
    let original = std::fs::read(&page).unwrap();
    let tampered: Vec<u8> = original
        .iter()
        .map(|b| if *b == b'B' { b'X' } else { *b })
        .collect();
    assert_ne!(original, tampered);
    std::fs::write(&page, &tampered).unwrap();
    build_ok(&site);
    assert_eq!(
        std::fs::read(site.path("public/incidents/a/index.html")).unwrap(),
        original
    );
    let names: Vec<String> = tree(&site.path("public"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert!(names.iter().all(|p| !p.contains("manifest")), "{names:?}");
}

/// A page whose name no file system takes (a 300-character slug): whatever casefile
/// reports, the previous output stays whole and no staging folder is left.
#[test]
fn system_error_while_writing_leaves_previous_output_and_no_staging() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    let before = tree(&site.path("public"));
    // A name no file system takes: whatever casefile reports, the old tree stays whole.
    site.incident("b", &format!("slug: {}\n", "b".repeat(300)), "");
    match casefile::build(&site.opts(), &|_| {}) {
        Ok(r) => assert!(!r.written && r.errors() > 0, "{:#?}", printed(&r)),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);
}

/// A dry run reports the counts of a real build, creates no output folder and leaves
/// nothing beside it.
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
    assert_no_staging(&s);
}

// ----- folders casefile refuses to replace ------------------------------------------

/// `--output` naming a non-empty folder without casefile's marker file: a system error
/// that names the marker, and the folder's files are left as they were.
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

/// An empty `--output` folder is accepted and gets the marker file, so the next build
/// may replace it.
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

/// `--output` naming the site itself, `content/`, `content/incidents/`, `templates/`, a
/// folder of the user's (`mine/`), `<site>/.`, `/`, or a symlink to the site: each is
/// refused with a system error naming the folder, and no file of the site changes. The
/// parent of the site and the home folder are refused too.
#[test]
fn output_folders_that_would_destroy_the_site_are_refused() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("mine/notes.txt", "not casefile's");
    let before = tree(site.root());
    let root = site.root().to_path_buf();
    for out in [
        root.clone(),
        root.join("content"),
        root.join("content/incidents"),
        root.join("templates"),
        root.join("mine"),
        root.join("."),
        Path::new("/").to_path_buf(),
    ] {
        let o = BuildOptions {
            output: Some(out.clone()),
            ..site.opts()
        };
        match casefile::build(&o, &|_| {}) {
            Err(casefile::Error::Fs(e)) => assert!(
                e.to_string().contains(&out.display().to_string()) || out == Path::new("/"),
                "{e}"
            ),
            Ok(r) => panic!(
                "--output {} accepted: written={} {:#?}",
                out.display(),
                r.written,
                printed(&r)
            ),
        }
        assert!(
            tree(site.root()) == before,
            "--output {} changed the site",
            out.display()
        );
    }
    // A symlink that resolves to the site root is the site root.
    #[cfg(unix)]
    {
        let link = tempfile::tempdir().unwrap();
        let out = link.path().join("out");
        std::os::unix::fs::symlink(&root, &out).unwrap();
        let o = BuildOptions {
            output: Some(out.clone()),
            ..site.opts()
        };
        assert!(
            casefile::build(&o, &|_| {}).is_err(),
            "--output symlinked to the site root accepted"
        );
        assert!(tree(site.root()) == before);
    }
    // Checked without building: the parent of the site and the home folder.
    assert!(casefile::write::check_output_dir(&root, &root.join("..")).is_err());
    if let Some(home) = std::env::var_os("HOME") {
        assert!(casefile::write::check_output_dir(&root, Path::new(&home)).is_err());
    }
}

/// Folders beside the output whose names start like it (`public-old/`,
/// `.public-old.casefile-stage-x/`) are not taken for casefile's own and survive two
/// builds.
#[test]
fn sibling_with_a_common_prefix_is_left_alone() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("public-old/keep.txt", "mine");
    site.file(".public-old.casefile-stage-x/keep.txt", "mine too");
    build_ok(&site);
    build_ok(&site);
    assert_eq!(
        std::fs::read_to_string(site.path("public-old/keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(site.path(".public-old.casefile-stage-x/keep.txt")).unwrap(),
        "mine too"
    );
}
