//! Confidence: how sure we are that an incident happened as described (confirmed,
//! reported, claimed, disputed). Claimed and disputed incidents are flagged on their
//! page, and a confirmed one needs a source.

use crate::util::{self, Site, build_ok, diags_named, one_error, printed};

/// One incident per confidence level, and one without a level: each page carries a
/// badge for its level (`reported` by default); claimed and disputed incidents also
/// get a notice that says so, confirmed and reported ones none; the export holds the
/// level.
#[test]
fn claimed_and_disputed_incidents_are_flagged_on_their_page() {
    let site = Site::basic();
    let source = "sources: [\"https://example.org/report\"]\n";
    for level in ["confirmed", "reported", "claimed", "disputed"] {
        site.incident(level, &format!("confidence: {level}\n{source}"), "Body.\n");
    }
    site.incident("unset", source, "Body.\n");
    build_ok(&site);
    let json = util::json(&site, "data/incidents.json");
    for (id, level, notice) in [
        ("confirmed", "confirmed", None),
        ("reported", "reported", None),
        ("unset", "reported", None),
        ("claimed", "claimed", Some("notice-claimed")),
        ("disputed", "disputed", Some("notice-disputed")),
    ] {
        let page = util::html(&site.out(&format!("incidents/{id}/index.html")));
        let badge = format!(".badge.confidence-{level}");
        assert!(
            page.select(&util::sel(&badge)).next().is_some(),
            "{id}: no {badge}"
        );
        let notices: Vec<String> = page
            .select(&util::sel(".notice"))
            .filter_map(|n| n.value().attr("class").map(str::to_string))
            .collect();
        match notice {
            Some(class) => assert_eq!(notices, [format!("notice {class}")], "{id}"),
            None => assert!(notices.is_empty(), "{id}: {notices:?}"),
        }
        let record = json
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap();
        assert_eq!(record["confidence"], level, "{id}");
    }
}

/// A `confirmed` incident without a source: a plain build warns (unsourced-confirmed)
/// and writes; a strict build, as `check` runs, makes it the one error.
#[test]
fn confirmed_incident_without_a_source_warns_in_build_and_is_an_error_when_strict() {
    let site = Site::basic();
    site.incident(
        "a",
        "confidence: confirmed\ngroups: [jnim, is-sahel]\nweapons:\n  - {weapon: rpg-7, from: jnim, to: is-sahel}\n  - pg-7v\n",
        "",
    );
    let r = site.build();
    assert_eq!(r.errors(), 0, "{:#?}", printed(&r));
    assert_eq!(
        diags_named(&r, "unsourced-confirmed").len(),
        1,
        "{:#?}",
        printed(&r)
    );
    let r = site.build_with(|o| o.strict = true);
    assert_eq!(one_error(&r).code.name, "unsourced-confirmed");
}
