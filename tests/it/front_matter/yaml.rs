//! YAML syntax and semantics: the errors people make (tabs, unquoted colons, open
//! quotes, duplicate keys) located where they are; YAML 1.1 surprises (`NO`, `yes`)
//! that stay text; tags and merge keys that are refused; anchors allowed in moderation.

use crate::util::{
    Site, assert_diag, at, build_fails, build_ok, error_in, hint, inc, one_error, printed,
};

/// A nested map indented with a tab is a tab-indentation error at the tab (5:1) asking
/// for spaces.
#[test]
fn tab_indentation_is_an_error_asking_for_spaces() {
    let site = Site::basic();
    site.file(
        &inc("tab"),
        "---\ntitle: a\ndate: 2024-03-22\nlocation:\n\tname: Kaya\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "tab-indentation", "content/incidents/tab.md", 5, 1);
    assert!(hint(d).contains("spaces"), "{d}");
}

/// `title: Attack: Kaya` is a YAML error at the second colon (2:14) with the hint to quote
/// the value.
#[test]
fn unquoted_colon_is_an_error_at_col_14_asking_to_quote() {
    let site = Site::basic();
    site.file(
        &inc("colon"),
        "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "yaml-syntax", "content/incidents/colon.md", 2, 14);
    assert!(hint(d).contains("quote"), "{d}");
}

/// A title whose opening `"` is never closed is reported at that quote (2:8), not at the
/// end of the file.
#[test]
fn unclosed_quote_is_reported_at_the_opening_quote() {
    let site = Site::basic();
    site.file(
        &inc("quote"),
        "---\ntitle: \"Attack on Kaya\ndate: 2024-03-22\ntags: [a]\n---\nBody\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "yaml-syntax", "content/incidents/quote.md", 2, 8);
    assert!(d.message.contains("quote"), "{d}");
}

/// `title:` given twice is a duplicate-key error at the second one that names the key and
/// both lines.
#[test]
fn duplicate_key_names_the_key_and_both_lines() {
    let site = Site::basic();
    site.file(
        &inc("dup"),
        "---\ntitle: a\ndate: 2024-03-22\ntitle: b\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "duplicate-key", "content/incidents/dup.md", 4);
    assert!(
        d.message.contains("`title`")
            && d.message.contains("line 2")
            && d.message.contains("line 4"),
        "{d}"
    );
}

/// `name:` given twice inside one `former_names` entry names the line of its own first
/// occurrence (4), not the group's top-level `name:` (2).
#[test]
fn duplicate_nested_key_names_its_own_first_line() {
    let site = Site::basic();
    site.file(
        "content/groups/dup.md",
        "---\nname: Group\nformer_names:\n  - name: Old\n    name: Older\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "duplicate-key", "content/groups/dup.md", 5);
    assert!(
        d.message.contains("first at line 4") && d.message.contains("line 5"),
        "{d}"
    );
}

/// `title: 1984`, `country: NO` and tags such as `yes`, `on`, `y`, `2024`, `0x1F` are kept
/// as the text written, never turned into booleans or numbers.
#[test]
fn yaml_11_booleans_stay_text() {
    let site = Site::basic();
    site.file(&inc("norway"), "---\ntitle: 1984\ndate: 2024-03-22\nlocation: {name: 12, country: NO}\ntags: [yes, no, on, off, y, n, 2024, true, 1.5, 0x1F]\n---\n");
    build_ok(&site);
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["title"], "1984");
    assert_eq!(json[0]["location"]["country"], "NO");
    assert_eq!(json[0]["location"]["name"], "12");
    assert_eq!(
        json[0]["tags"],
        serde_json::json!([
            "yes", "no", "on", "off", "y", "n", "2024", "true", "1.5", "0x1F"
        ])
    );
}

/// `!include /etc/passwd`, a custom `!foo` tag and a `<<: *base` merge key are yaml-tag
/// errors at their lines; nothing is read from the named file, and the error does not
/// quote its contents.
#[test]
fn tags_and_merge_keys_are_rejected_never_read() {
    let site = Site::basic();
    site.file(
        &inc("include"),
        "---\ntitle: !include /etc/passwd\ndate: 2024-03-22\n---\n",
    );
    site.file(
        &inc("custom"),
        "---\ntitle: a\ndate: 2024-03-22\ntags: [!foo bar]\n---\n",
    );
    site.file(&inc("merge"), "---\ntitle: a\ndate: 2024-03-22\nbase: &base {name: Kaya}\nlocation:\n  <<: *base\n  country: Burkina Faso\n---\n");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", printed(&r));
    for (stem, line) in [("include", 2), ("custom", 4)] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert_diag(d, "yaml-tag", &inc(stem), line);
        assert!(
            !d.message.contains("root:") && !hint(d).contains("root:"),
            "{d}"
        );
    }
    let d = error_in(&r, "merge.md");
    assert_diag(d, "yaml-tag", "content/incidents/merge.md", 6);
    assert!(d.message.contains("merge"), "{d}");
}

/// A `!!binary` value is a yaml-tag error, not decoded into the summary.
#[test]
fn binary_tag_is_rejected_not_decoded() {
    let site = Site::basic();
    site.file(
        &inc("binary"),
        "---\ntitle: a\ndate: 2024-03-22\nsummary: !!binary aGVsbG8=\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "yaml-tag", "content/incidents/binary.md", 4);
}

/// A few anchors and aliases (a group reused as a weapon's holder, a repeated tag) are
/// accepted and resolved.
#[test]
fn ordinary_anchors_and_aliases_are_allowed_within_the_budget() {
    let site = Site::basic();
    site.incident(
        "anchors",
        "groups:\n  - {group: &j JNIM, role: target}\nweapons:\n  - {weapon: rpg-7, status: captured, from: *j}\ntags: [&t sahel, *t]\n",
        "Body\n",
    );
    build_ok(&site);
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["weapons"][0]["from"], "jnim");
    assert_eq!(json[0]["tags"], serde_json::json!(["sahel", "sahel"]));
}
