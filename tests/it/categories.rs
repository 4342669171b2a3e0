//! Weapon categories: a fixed list that `site.yaml` may extend, matched whatever the
//! case and separators, each with its own list page.

use crate::util::{self, Site, assert_clean, hint, one_error};

/// `Assault_Rifle` and `assault-rifle` are both the category `assault rifle`: one
/// category page lists both weapon types and the export holds the canonical name.
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
    let weapons = util::json(&s, "data/weapons.json");
    for id in ["akm", "m70"] {
        let w = weapons
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == id)
            .unwrap();
        assert_eq!(w["category"], "assault rifle", "{id}");
    }
    let links = util::links_in(
        &util::html(&s.out("categories/assault-rifle/index.html")),
        "main",
    );
    assert!(
        links.contains(&"/weapons/akm/".to_string())
            && links.contains(&"/weapons/m70/".to_string()),
        "{links:?}"
    );
}

/// A misspelt category (`asault rifle`) is an error at the `category:` line that
/// suggests `assault rifle`.
#[test]
fn unknown_weapon_category_is_an_error_with_the_closest_category() {
    let s = Site::basic();
    s.file(
        "content/weapons/akm.md",
        "---\nname: AKM\ncategory: asault rifle\n---\n",
    );
    let r = s.build();
    let d = one_error(&r);
    util::assert_diag(d, "unknown-category", "content/weapons/akm.md", 3);
    assert!(hint(d).contains("`assault rifle`"), "{d}");
}

/// `weapon_categories: [Drone jammer]` in site.yaml makes `drone-jammer` a category
/// with its own page.
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
