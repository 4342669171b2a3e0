//! Names: a group or weapon type may be referred to by id, name, short name, alias or
//! former name, whatever the case, accents, apostrophes and hyphens; a name that
//! matches nothing is an error with the closest candidates; a name claimed twice is
//! ambiguous; `parent` links may not form a cycle.

use crate::util::{self, Site, at, build_fails, build_ok, error_in, errs, hint, one_error};
use casefile::diag::Diagnostic;

/// Six spellings of one group (id, short name in two cases and with blanks, the full
/// name with straight and curly apostrophes and without hyphens, an alias), one
/// incident each: one group page lists all six, and no page exists per spelling.
#[test]
fn every_spelling_of_a_group_resolves_to_one_group_page() {
    let s = Site::basic();
    let spellings = [
        "JNIM",
        "jnim",
        "\" Jnim \"",
        "\"Jama'at Nusrat al-Islam wal-Muslimin\"",
        "\"Jama’at Nusrat al Islam wal Muslimin\"",
        "GSIM",
    ];
    for (i, r) in spellings.iter().enumerate() {
        s.incident(
            &format!("spelling-{i}"),
            &format!("groups:\n  - {r}\n"),
            "Body.\n",
        );
    }
    build_ok(&s);
    let group_pages: Vec<String> = util::tree(&s.path("public/groups"))
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.contains("/incidents/"))
        .collect();
    assert_eq!(
        group_pages,
        ["index.html", "is-sahel/index.html", "jnim/index.html"],
        "one page per group file, no page per spelling"
    );
    let links = util::links_in(&util::html(&s.out("groups/jnim/index.html")), "main");
    for (i, spelling) in spellings.iter().enumerate() {
        let href = format!("/incidents/spelling-{i}/");
        assert!(
            links.contains(&href),
            "jnim page does not list {href} ({spelling}): {links:?}"
        );
    }
    for inc in util::json(&s, "data/incidents.json").as_array().unwrap() {
        let ids: Vec<&str> = inc["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["jnim"], "{}", inc["id"]);
    }
    let groups = util::json(&s, "data/groups.json");
    let jnim = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "jnim")
        .unwrap();
    assert_eq!(jnim["incident_count"], spellings.len());
}

/// `{group: JNM, role: attacker}` next to a valid `IS Sahel`: one error, E0103
/// unknown-group at the misspelt name (5:13), suggesting `jnim`; nothing is written.
#[test]
fn unknown_group_ref_reports_line_and_candidates() {
    let site = Site::basic();
    site.incident(
        "ref",
        "groups:\n  - {group: JNM, role: attacker}\n  - IS Sahel\n",
        "",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "unknown-group", "content/incidents/ref.md", 5, 13);
    assert_eq!(d.code.id, "E0103");
    assert!(d.message.contains("JNM"), "{d}");
    assert!(
        hint(d).to_lowercase().contains("did you mean `jnim`"),
        "{d}"
    );
}

/// A misspelt group as a plain list item (`- IS Sahle`) is located at the item and
/// suggests the short name it resembles.
#[test]
fn unknown_group_in_a_plain_list_item_is_located_too() {
    let s = Site::basic();
    s.incident("typo", "groups:\n  - IS Sahle\n", "");
    let d = one_error(&s.build()).clone();
    util::assert_diag(&d, "unknown-group", "content/incidents/typo.md", 5);
    assert_eq!(d.col, 5, "{d}");
    assert!(hint(&d).contains("IS Sahel"), "{d}");
}

/// A misspelt weapon type (`rgp-7`) is E0104 unknown-weapon at the name, suggesting
/// `rpg-7`.
#[test]
fn unknown_weapon_ref_reports_line_and_the_closest_id() {
    let s = Site::basic();
    s.incident(
        "typo",
        "weapons:\n  - {weapon: rgp-7, status: captured}\n",
        "",
    );
    let r = s.build();
    let d = one_error(&r);
    util::assert_diag(d, "unknown-weapon", "content/incidents/typo.md", 5);
    assert_eq!(d.code.id, "E0104");
    assert_eq!(d.col, 14, "column of `rgp-7`: {d}");
    let hint = hint(d);
    assert!(
        hint.contains("did you mean") && hint.contains("`rpg-7`"),
        "hint: {hint}"
    );
}

/// An accented French alias written without its accent and with a curly apostrophe,
/// and a former name in capitals with a hyphen, both resolve to the group.
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
    util::assert_clean(&s.build());
    let links = util::links_in(&util::html(&s.out("groups/jnim/index.html")), "main");
    for href in ["/incidents/french/", "/incidents/former/"] {
        assert!(
            links.contains(&href.to_string()),
            "{href} not on the jnim page: {links:?}"
        );
    }
}

/// Two names claimed by two groups each: `GSIM` (jnim and a splinter faction) and
/// `Macina`/`macina` (differing only in case). Each is one ambiguous-name error that
/// names both files.
#[test]
fn alias_shared_by_two_groups_is_ambiguous_naming_both_files() {
    let site = Site::basic();
    site.file(
        "content/groups/gsim-splinter.md",
        "---\nname: GSIM splinter faction\naliases: [GSIM]\n---\n",
    );
    site.file(
        "content/groups/katiba-a.md",
        "---\nname: Katiba A\naliases: [Macina]\n---\n",
    );
    site.file(
        "content/groups/katiba-b.md",
        "---\nname: Katiba B\naliases: [macina]\n---\n",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", util::printed(&r));
    for (name, a, b) in [
        (
            "gsim",
            "content/groups/jnim.md",
            "content/groups/gsim-splinter.md",
        ),
        (
            "macina",
            "content/groups/katiba-a.md",
            "content/groups/katiba-b.md",
        ),
    ] {
        let found: Vec<&Diagnostic> = errs(&r)
            .into_iter()
            .filter(|d| d.message.to_lowercase().contains(name))
            .collect();
        assert_eq!(found.len(), 1, "{name}: {:#?}", util::printed(&r));
        let d = found[0];
        assert_eq!(d.code.name, "ambiguous-name", "{d}");
        assert!(d.line > 0, "{d}");
        assert!(d.message.contains(a) && d.message.contains(b), "{d}");
    }
}

/// An alias equal to another group's id can never be reached: a warning on the file
/// with the alias, and the id keeps pointing at its own group.
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

/// Four `parent` cycles: two groups by id (alpha, beta), two groups where one names the
/// other by its full name (Alpha Front, Beta Front), a group that is its own parent, and
/// two weapon types (M70, M70AB2). Each cycle is one error at a `parent:` line that
/// lists its members in order.
#[test]
fn parent_cycles_are_one_error_each_listing_their_members() {
    let site = Site::basic();
    let files = [
        ("groups/alpha", "name: Alpha\nparent: beta"),
        ("groups/beta", "name: Beta\nparent: alpha"),
        (
            "groups/alpha-front",
            "name: Alpha Front\nparent: beta-front",
        ),
        ("groups/beta-front", "name: Beta Front\nparent: Alpha Front"),
        ("groups/ouroboros", "name: Ouroboros\nparent: ouroboros"),
        (
            "weapons/m70",
            "name: M70\ncategory: assault rifle\nparent: m70ab2",
        ),
        (
            "weapons/m70ab2",
            "name: M70AB2\ncategory: assault rifle\nparent: M70",
        ),
    ];
    for (path, front) in files {
        site.file(
            &format!("content/{path}.md"),
            &format!("---\n{front}\n---\n"),
        );
    }
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", util::printed(&r));
    let mentioning = |a: &str, b: &str| -> Vec<&Diagnostic> {
        errs(&r)
            .into_iter()
            .filter(|d| {
                let words: Vec<&str> = d
                    .message
                    .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .collect();
                words.contains(&a) && words.contains(&b)
            })
            .collect()
    };
    for (a, b) in [("alpha", "beta"), ("alpha-front", "beta-front")] {
        let found = mentioning(a, b);
        assert_eq!(found.len(), 1, "{a}/{b}: {:#?}", util::printed(&r));
        assert_eq!(found[0].code.name, "parent-cycle", "{}", found[0]);
        assert_eq!(found[0].line, 3, "at the `parent:` key: {}", found[0]);
    }
    let w: Vec<&Diagnostic> = errs(&r)
        .into_iter()
        .filter(|d| util::slash(&d.file).starts_with("content/weapons/"))
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", util::printed(&r));
    assert_eq!((w[0].code.name, w[0].line), ("parent-cycle", 4), "{}", w[0]);
    assert!(w[0].message.contains("m70 -> m70ab2 -> m70"), "{}", w[0]);
    let d = error_in(&r, "ouroboros.md");
    at(d, "parent-cycle", "content/groups/ouroboros.md", 3, 1);
    assert!(d.message.contains("ouroboros -> ouroboros"), "{d}");
}
