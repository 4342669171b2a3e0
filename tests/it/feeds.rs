//! The Atom feed: the newest `feed_limit` incidents, with absolute links and summaries
//! that read well when data is missing. (Its well-formedness against hostile titles is
//! checked in sanitize.rs, the example site's feed and sitemap in example_site.rs.)

use crate::util::{self, Site, assert_clean};

/// With `feed_limit: 2` and three incidents, the feed holds two entries, linking the two
/// newest incidents by absolute URL.
#[test]
fn atom_feed_holds_the_newest_feed_limit_incidents() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nfeed_limit: 2\n",
    );
    for n in 1..=3 {
        s.file(
            &format!("content/incidents/i{n}.md"),
            &format!("---\ntitle: Incident {n}\ndate: 2024-01-0{n}\n---\n"),
        );
    }
    assert_clean(&s.build());
    let atom = s.out("atom.xml");
    let names = util::xml_elements(&atom).unwrap();
    assert_eq!(names.iter().filter(|n| *n == "entry").count(), 2);
    let hrefs = util::xml_attrs(&atom, "link", "href");
    assert!(
        hrefs.contains(&"https://example.org/incidents/i3/".to_string())
            && hrefs.contains(&"https://example.org/incidents/i2/".to_string()),
        "{hrefs:?}"
    );
    assert!(
        !hrefs.contains(&"https://example.org/incidents/i1/".to_string()),
        "{hrefs:?}"
    );
}

/// Issue 10, RFC 4287 4.1.1: a feed needs an author when its entries have none. The
/// feed has one author, the site: its title as the name and its base URL as the URI.
#[test]
fn atom_feed_names_the_site_as_its_author() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Sahel & Co monitor\nbase_url: https://example.org/monitor/\n",
    );
    s.incident("a", "", "Body.\n");
    assert_clean(&s.build());
    let atom = s.out("atom.xml");
    let names = util::xml_elements(&atom).unwrap();
    assert_eq!(names.iter().filter(|n| *n == "author").count(), 1, "{atom}");
    assert!(
        atom.find("<author>") < atom.find("<entry>"),
        "the author is not the feed's: {atom}"
    );
    assert_eq!(util::xml_texts(&atom, "name"), ["Sahel & Co monitor"]);
    assert_eq!(
        util::xml_texts(&atom, "uri"),
        ["https://example.org/monitor/"]
    );
}

/// An incident without a location: its feed summary holds the body text and no empty
/// place such as ", )" or "()".
#[test]
fn atom_summary_has_no_empty_place_when_the_location_is_unknown() {
    let s = Site::basic();
    s.incident("nowhere", "", "Something happened.\n");
    assert_clean(&s.build());
    let summaries = util::xml_texts(&s.out("atom.xml"), "summary");
    assert_eq!(summaries.len(), 1);
    assert!(
        summaries[0].contains("Something happened."),
        "{}",
        summaries[0]
    );
    assert!(
        !summaries[0].contains(", )") && !summaries[0].contains("()"),
        "{}",
        summaries[0]
    );
}

/// Guard for `util::xml_elements`: it rejects mismatched tags, undefined entities, a bare
/// ampersand, a duplicate attribute, an unclosed element, an empty document and two root
/// elements, and accepts a small valid document.
#[test]
fn xml_check_rejects_malformed_documents() {
    for bad in [
        "<a><b></a>",
        "<a>&nbsp;</a>",
        "<a>x & y</a>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>",
        "",
        "<a/><b/>",
    ] {
        assert!(util::xml_elements(bad).is_err(), "accepted: {bad:?}");
    }
    assert_eq!(
        util::xml_elements("<?xml version=\"1.0\"?><a x=\"&amp;\"><b>&lt;&#39;</b></a>").unwrap(),
        ["a", "b"]
    );
}
