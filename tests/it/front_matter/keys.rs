//! Keys and values: a misspelt key is a warning in `build` and an error in `check`,
//! with the key it resembles; a value of the wrong type, an empty title, a `draft`
//! that is not true or false, or a coordinate off the globe is an error at the value.

use crate::util::{
    Site, assert_clean, assert_diag, at, build_fails, build_ok, diags_named, error_in, hint, inc,
    one_error, printed,
};
use casefile::diag::Diagnostic;

/// `fatalitis: 2`: in a plain build, the only diagnostic is an unknown-key warning at the
/// key (4:1) suggesting `fatalities`, and the site is written; in a strict build (as
/// `check` runs) it is the one error, at the same place, and nothing is written.
#[test]
fn misspelt_key_warns_in_build_and_is_an_error_when_strict() {
    let site = Site::basic();
    site.incident("typo", "fatalitis: 2\n", "Body\n");
    let r = build_ok(&site);
    let w: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| !d.is_error()).collect();
    assert_eq!(w.len(), 1, "{:#?}", printed(&r));
    assert_diag(w[0], "unknown-key", "content/incidents/typo.md", 4);
    assert_eq!(w[0].col, 1);
    assert!(hint(w[0]).contains("did you mean `fatalities`"), "{}", w[0]);

    let strict = Site::basic();
    strict.incident("typo", "fatalitis: 2\n", "Body\n");
    let r = strict.build_with(|o| o.strict = true);
    assert!(!r.written && !strict.path("public").exists());
    let d = one_error(&r);
    at(d, "unknown-key", "content/incidents/typo.md", 4, 1);
    assert!(hint(d).contains("did you mean `fatalities`"), "{d}");
}

/// A misspelt key whose name also appears inside an earlier value is located at the key
/// (5:1), not at the text inside the value.
#[test]
fn unknown_key_is_located_at_the_key_not_inside_a_value() {
    let site = Site::basic();
    site.file(
        &inc("typo"),
        "---\ntitle: a\ndate: 2024-03-22\nsummary: \"typo fatalitis: here\"\nfatalitis: 2\n---\n",
    );
    let r = site.build_with(|o| o.strict = true);
    assert!(!r.written);
    at(
        one_error(&r),
        "unknown-key",
        "content/incidents/typo.md",
        5,
        1,
    );
}

/// The same misspelt key (`quantiy`) in two weapon observations is reported once per
/// line (5 and 6).
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

/// `fatalities: many`, `-3` and `1.5`, and `tags: sahel` (text where a list is due): each
/// a yaml-type error at the value, naming the key, with a hint for the list.
#[test]
fn wrong_value_types_are_errors_at_the_value() {
    let site = Site::basic();
    site.incident("many", "fatalities: many\n", "");
    site.incident("negative", "fatalities: -3\n", "");
    site.incident("fraction", "fatalities: 1.5\n", "");
    site.incident("scalar-tags", "tags: sahel\n", "");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", printed(&r));
    for stem in ["many", "negative", "fraction"] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(d, "yaml-type", &inc(stem), 4, 13);
        assert!(d.message.contains("fatalities"), "{d}");
    }
    let d = error_in(&r, "scalar-tags.md");
    at(d, "yaml-type", "content/incidents/scalar-tags.md", 4, 7);
    assert!(hint(d).contains("list"), "{d}");
}

/// `title:`, `title: ~`, `title: ""` and a title of blanks are each an empty-field error
/// at the title line saying the title is empty.
#[test]
fn blank_null_or_empty_title_is_title_is_empty() {
    let site = Site::basic();
    site.file(&inc("blank"), "---\ntitle:\ndate: 2024-03-22\n---\n");
    site.file(&inc("tilde"), "---\ntitle: ~\ndate: 2024-03-22\n---\n");
    site.file(&inc("quoted"), "---\ntitle: \"\"\ndate: 2024-03-22\n---\n");
    site.file(
        &inc("spaces"),
        "---\ntitle: \"   \"\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", printed(&r));
    for stem in ["blank", "tilde", "quoted", "spaces"] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert_diag(d, "empty-field", &inc(stem), 2);
        assert!(d.message.contains("title is empty"), "{d}");
    }
}

/// `draft: yes` and `draft: on` are yaml-type errors at the value with the hint to write
/// true or false.
#[test]
fn draft_takes_only_true_or_false() {
    let site = Site::basic();
    site.incident("yes", "draft: yes\n", "");
    site.incident("on", "draft: on\n", "");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", printed(&r));
    for stem in ["yes", "on"] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(d, "yaml-type", &inc(stem), 4, 8);
        assert!(hint(d).contains("true or false"), "{d}");
    }
}

/// `lat: 91`, `lon: -181`, `.nan`, `.inf` and `-.inf` are each an invalid-coordinate error
/// at the value.
#[test]
fn out_of_range_and_non_finite_coordinates_are_errors() {
    let site = Site::basic();
    let cases = [
        ("lat91", "lat", "91"),
        ("lon181", "lon", "-181"),
        ("nan", "lat", ".nan"),
        ("inf", "lon", ".inf"),
        ("neginf", "lat", "-.inf"),
    ];
    for (stem, key, v) in cases {
        site.file(
            &inc(stem),
            &format!(
                "---\ntitle: a\ndate: 2024-03-22\nlocation:\n  name: Kaya\n  {key}: {v}\n---\n"
            ),
        );
    }
    let r = build_fails(&site);
    assert_eq!(r.errors(), cases.len(), "{:#?}", printed(&r));
    for (stem, _, _) in cases {
        at(
            error_in(&r, &format!("{stem}.md")),
            "invalid-coordinate",
            &inc(stem),
            6,
            8,
        );
    }
}
