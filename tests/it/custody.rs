//! Custody of weapons: a weapon observation records what happened to the weapon and
//! who held it before (`from`) and after (`to`); holders are group references, checked
//! like any other, and shown on the incident, weapon and group pages.

use crate::util::{self, Site, build_ok, diags_named, printed};

/// The `one-incident` fixture: IS Sahel captures an RPG-7 and PG-7V rockets from JNIM.
/// The incident page shows each weapon passing from JNIM to IS Sahel (in that order)
/// and marks the rockets' own origin as "this item"; the RPG-7 page lists both groups,
/// both group pages list both weapon types, and the export records `from` and `to` by id.
#[test]
fn a_captured_weapon_shows_both_holders_on_every_page_and_in_the_export() {
    let site = Site::fixture("one-incident");
    build_ok(&site);
    let page = util::html(&site.out("incidents/kalamba-cache/index.html"));
    let rows: Vec<scraper::ElementRef> = page.select(&util::sel("#weapons tbody tr")).collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let links: Vec<&str> = row
            .select(&util::sel("a[href^='/groups/']"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(links, ["/groups/jnim/", "/groups/is-sahel/"], "from -> to");
    }
    let rockets = rows[1].text().collect::<String>();
    assert!(
        rockets.contains("Bulgaria") && rockets.contains("this item"),
        "{rockets}"
    );
    let on_weapon_page = util::links_in(
        &util::html(&site.out("weapons/rpg-7/index.html")),
        "#groups",
    );
    for g in ["/groups/jnim/", "/groups/is-sahel/"] {
        assert!(
            on_weapon_page.contains(&g.to_string()),
            "{g}: {on_weapon_page:?}"
        );
    }
    for g in ["jnim", "is-sahel"] {
        let weapons = util::links_in(
            &util::html(&site.out(&format!("groups/{g}/index.html"))),
            "#weapons",
        );
        assert!(
            weapons.contains(&"/weapons/rpg-7/".to_string())
                && weapons.contains(&"/weapons/pg-7v/".to_string()),
            "{g}: {weapons:?}"
        );
    }
    let json = util::json(&site, "data/incidents.json");
    for w in json[0]["weapons"].as_array().unwrap() {
        assert_eq!(
            (w["from"].as_str(), w["to"].as_str()),
            (Some("jnim"), Some("is-sahel"))
        );
        assert_eq!(w["status"], serde_json::json!(["captured"]));
    }
}

/// `from: jnin` is an unknown-group error at the holder's name (5:45) suggesting `jnim`.
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

/// A weapon observation `from: jnim` in an incident that does not list jnim among its
/// groups: a holder-not-involved warning when strict, which does not stop the build.
#[test]
fn holder_not_among_the_incident_groups_is_a_warning_when_strict() {
    let site = Site::basic();
    site.incident(
        "a",
        "weapons:\n  - {weapon: rpg-7, from: jnim}\n  - pg-7v\n",
        "",
    );
    let r = site.build_with(|o| o.strict = true);
    let w = diags_named(&r, "holder-not-involved");
    assert_eq!(w.len(), 1, "{:#?}", printed(&r));
    assert!(!w[0].is_error(), "{}", w[0]);
    assert!(r.written, "warnings do not stop a build");
}
