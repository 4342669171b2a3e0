//! Framing: front matter starts with `---` on line 1 and ends at the next `---` line.
//! What a broken fence looks like, where the error points, and the blanks and missing
//! final newline that are accepted.

use crate::util::{Site, at, build_fails, build_ok, error_in, hint, inc, one_error, printed};

/// An empty (0-byte) incident file next to a file with a YAML error: the empty file is
/// no-front-matter at 1:1, and the other file's error is still reported in the same run.
#[test]
fn empty_file_is_no_front_matter_at_1_1_and_other_files_still_reported() {
    let site = Site::basic();
    site.file(&inc("empty"), "");
    site.file(
        &inc("other"),
        "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    let d = error_in(&r, "empty.md");
    at(d, "no-front-matter", "content/incidents/empty.md", 1, 1);
    at(
        error_in(&r, "other.md"),
        "yaml-syntax",
        "content/incidents/other.md",
        2,
        14,
    );
}

/// Markdown pasted without any `---`, and a file whose fence starts on line 2: both are
/// no-front-matter at 1:1 with the hint that front matter must start on line 1.
#[test]
fn pasted_markdown_without_front_matter_hints_line_1() {
    let site = Site::basic();
    site.file(&inc("pasted"), "# Clash near Kaya\n\nFighters attacked.\n");
    site.file(
        &inc("late"),
        "\n---\ntitle: Late fence\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    for stem in ["pasted", "late"] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(d, "no-front-matter", &inc(stem), 1, 1);
        assert!(hint(d).contains("front matter must start on line 1"), "{d}");
    }
}

/// A `---` that is never closed: unclosed-front-matter at the opening fence (1:1), with a
/// message saying it was opened there.
#[test]
fn unclosed_front_matter_points_at_the_opening_line() {
    let site = Site::basic();
    site.file(
        &inc("open"),
        "---\ntitle: Never closed\ndate: 2024-03-22\n\nBody text.\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(
        d,
        "unclosed-front-matter",
        "content/incidents/open.md",
        1,
        1,
    );
    assert!(d.message.contains("opened here"), "{d}");
}

/// A closing `---` that is the last byte of the file, without a newline, is accepted.
#[test]
fn closing_fence_as_the_last_bytes_is_accepted() {
    let site = Site::basic();
    site.file(
        &inc("last"),
        "---\ntitle: Fence at EOF\ndate: 2024-03-22\n---",
    );
    build_ok(&site);
    assert!(
        site.out("incidents/last/index.html")
            .contains("Fence at EOF")
    );
}

/// Spaces or tabs after the opening or closing `---` are accepted and the body is kept.
#[test]
fn trailing_blanks_after_either_fence_are_accepted() {
    let site = Site::basic();
    site.file(
        &inc("spaces"),
        "---   \ntitle: Spaces\ndate: 2024-03-22\n---  \nBody.\n",
    );
    site.file(
        &inc("tabs"),
        "---\t\ntitle: Tabs\ndate: 2024-03-22\n--- \t \nBody.\n",
    );
    build_ok(&site);
    assert!(site.out_exists("incidents/spaces/index.html"));
    let tabs = site.out("incidents/tabs/index.html");
    assert!(tabs.contains("Tabs") && tabs.contains("Body."));
}

/// A closing fence written `----`, `--- x` or `---title: b` is a bad-fence error at its
/// line (4:1), never read as the start of the body.
#[test]
fn bad_closing_fence_is_an_error_at_its_line() {
    let site = Site::basic();
    site.file(
        &inc("four"),
        "---\ntitle: a\ndate: 2024-03-22\n----\nBody.\n",
    );
    site.file(
        &inc("word"),
        "---\ntitle: a\ndate: 2024-03-22\n--- x\nBody.\n",
    );
    site.file(
        &inc("glued"),
        "---\ntitle: a\ndate: 2024-03-22\n---title: b\nBody.\n",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", printed(&r));
    for stem in ["four", "word", "glued"] {
        at(
            error_in(&r, &format!("{stem}.md")),
            "bad-fence",
            &inc(stem),
            4,
            1,
        );
    }
}
