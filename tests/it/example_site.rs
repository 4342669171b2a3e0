//! The repository's own example site (site.yaml + content/ at the repo root), built into a
//! temp folder: a clean build, links that resolve, the pages a reader relies on, feeds,
//! exports, drafts, determinism and a base URL with a path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util;
use casefile::{BuildOptions, Report};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

const INCIDENT: &str = "incidents/kalamba-is-sahel-jnim-cache/index.html";
const DRAFT_SLUG: &str = "tillia-villages-attacks";

/// One build of the example site into its own temp folder.
struct Built {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    report: Report,
}

impl Built {
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }

    fn doc(&self, rel: &str) -> scraper::Html {
        util::html(&self.read(rel))
    }

    fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `data/incidents.json` as a list of objects.
    fn incidents(&self) -> Vec<Value> {
        self.json("data/incidents.json")
            .as_array()
            .expect("incidents.json is an array")
            .clone()
    }

    /// Every HTML file of the output.
    fn html_files(&self) -> Vec<(String, String)> {
        util::tree(&self.out)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
            .collect()
    }
}

fn build_example(f: impl FnOnce(&mut BuildOptions)) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let mut opts = BuildOptions {
        root: util::repo(),
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    f(&mut opts);
    let report = casefile::build(&opts, &|_| {}).unwrap();
    assert_eq!(
        util::errors(&report),
        Vec::<String>::new(),
        "the example site must build without errors"
    );
    assert!(report.written, "nothing was written");
    Built {
        _tmp: tmp,
        out,
        report,
    }
}

fn example() -> Built {
    build_example(|_| {})
}

/// `https://example.org/incidents/x/` -> `/incidents/x/` for a base URL without a path.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.find('/')
        .map(|i| rest[i..].to_string())
        .unwrap_or_else(|| "/".into())
}

/// Content files of one section of the example site, with whether each is a draft.
fn content_files(section: &str) -> Vec<(PathBuf, bool)> {
    let dir = util::repo().join("content").join(section);
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let front = text.split("\n---").next().unwrap_or("").to_string();
            let draft = front.lines().any(|l| l.trim() == "draft: true");
            (e.path().to_path_buf(), draft)
        })
        .collect()
}

fn published(section: &str) -> usize {
    content_files(section).iter().filter(|(_, d)| !d).count()
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

/// The group ids seen with a weapon in the incidents export: an observation's `from` and
/// `to` holders when given, else every group of the incident.
fn groups_seen_with(incidents: &[Value], weapon: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for inc in incidents {
        for o in inc["weapons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["id"] == weapon)
        {
            let holders: Vec<String> = ["from", "to"]
                .iter()
                .filter_map(|k| o[*k].as_str().map(str::to_string))
                .collect();
            if holders.is_empty() {
                // Without from/to, the weapon goes with the attackers and participants.
                out.extend(
                    inc["groups"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|g| matches!(str_field(g, "role"), "attacker" | "participant"))
                        .map(|g| str_field(g, "id").to_string()),
                );
            } else {
                out.extend(holders);
            }
        }
    }
    out
}

#[test]
fn example_site_builds_clean_and_counts_match_the_content_folder() {
    let b = example();
    assert_eq!(
        b.report.warnings(),
        0,
        "warnings: {:#?}",
        b.report
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
    let c = b.report.counts;
    assert_eq!(c.incidents, published("incidents"), "incidents");
    assert_eq!(c.groups, content_files("groups").len(), "groups");
    assert_eq!(c.weapons, content_files("weapons").len(), "weapons");
    assert_eq!(c.pages, published("pages"), "pages");
    let all = ["incidents", "groups", "weapons", "pages"]
        .iter()
        .map(|s| content_files(s).len())
        .sum::<usize>();
    assert_eq!(c.sources, all, "content files read");
    let written = util::tree(&b.out)
        .into_iter()
        .filter(|(p, _)| p != casefile::write::MARKER)
        .count();
    assert_eq!(
        c.files, written,
        "counts.files against the files in the output folder"
    );
    assert!(
        b.exists(casefile::write::MARKER),
        "the output folder carries the marker"
    );
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let b = example();
    let problems = util::broken_links(&b.out, "/");
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The check must have had something to check.
    let incident_links = util::attr_values(&b.doc("index.html"), "a[href]", "href");
    assert!(
        incident_links.iter().any(|h| h.starts_with("/incidents/")),
        "home page links no incident: {incident_links:?}"
    );
}

#[test]
fn founding_incident_page_shows_date_confidence_groups_weapons_and_source() {
    let b = example();
    let doc = b.doc(INCIDENT);
    let text = util::text_of(&doc, "body").unwrap();
    assert!(
        text.contains("week of 18 Mar 2024"),
        "no week label in: {text}"
    );
    assert!(
        doc.select(&util::sel("[class*=confidence-claimed]"))
            .next()
            .is_some(),
        "no confidence-claimed badge"
    );

    let groups = util::links_in(&doc, "#groups");
    for g in ["/groups/is-sahel/", "/groups/jnim/"] {
        assert!(
            groups.contains(&g.to_string()),
            "#groups does not link {g}: {groups:?}"
        );
    }
    let weapons = util::links_in(&doc, "#weapons");
    for w in [
        "zastava-m05e1",
        "zastava-m70ab2",
        "rpg-7",
        "pg-7v",
        "type-56",
    ] {
        let href = format!("/weapons/{w}/");
        assert!(
            weapons.contains(&href),
            "#weapons does not link {href}: {weapons:?}"
        );
    }

    let sources = util::text_of(&doc, "#sources").expect("a #sources section");
    assert!(
        sources.contains("BNN Breaking"),
        "source publisher missing: {sources}"
    );
    let words: Vec<String> = sources
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .collect();
    assert!(
        words.iter().any(|w| w == "low"),
        "source reliability `low` not shown: {sources}"
    );
}

#[test]
fn weapon_pages_link_every_incident_and_group_they_were_seen_with() {
    let b = example();
    let incidents = b.incidents();
    let weapons = b.json("data/weapons.json");
    let mut checked_rpg = false;
    for w in weapons.as_array().unwrap() {
        let id = str_field(w, "id");
        let page = format!("weapons/{id}/index.html");
        let links: BTreeSet<String> = util::links_in(&b.doc(&page), "main").into_iter().collect();
        let seen_in: Vec<String> = incidents
            .iter()
            .filter(|i| {
                i["weapons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["id"] == id)
            })
            .map(|i| path_of(str_field(i, "url")))
            .collect();
        assert_eq!(
            seen_in.len() as u64,
            w["incident_count"].as_u64().unwrap(),
            "{id}: incident_count in weapons.json"
        );
        let missing: Vec<&String> = seen_in.iter().filter(|u| !links.contains(*u)).collect();
        assert!(
            missing.is_empty(),
            "{page} does not link incidents {missing:?}"
        );
        let groups = groups_seen_with(&incidents, id);
        let missing: Vec<String> = groups
            .iter()
            .map(|g| format!("/groups/{g}/"))
            .filter(|u| !links.contains(u))
            .collect();
        assert!(
            missing.is_empty(),
            "{page} does not link groups {missing:?}"
        );
        if id == "rpg-7" {
            assert!(
                seen_in.len() >= 2 && !groups.is_empty(),
                "rpg-7 should be seen in several incidents: {seen_in:?}"
            );
            checked_rpg = true;
        }
    }
    assert!(checked_rpg, "weapons.json has no rpg-7");
}

#[test]
fn group_pages_list_their_incidents_newest_first() {
    let b = example();
    let incidents = b.incidents();
    let groups = b.json("data/groups.json");
    let mut nonempty = 0;
    for g in groups.as_array().unwrap() {
        let id = str_field(g, "id");
        // incidents.json is chronological; the page lists the same incidents reversed.
        let expected: Vec<String> = incidents
            .iter()
            .filter(|i| {
                i["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["id"] == id)
            })
            .map(|i| path_of(str_field(i, "url")))
            .rev()
            .collect();
        let wanted: BTreeSet<&String> = expected.iter().collect();
        let mut shown: Vec<String> = Vec::new();
        // The group's full list (the group page shows the latest few).
        for href in util::links_in(&b.doc(&format!("groups/{id}/incidents/index.html")), "main") {
            if wanted.contains(&href) && !shown.contains(&href) {
                shown.push(href);
            }
        }
        assert_eq!(
            shown, expected,
            "groups/{id}/: incidents missing or not newest first"
        );
        nonempty += usize::from(expected.len() > 1);
    }
    assert!(
        nonempty >= 2,
        "the ordering check needs groups with several incidents"
    );
}

#[test]
fn parent_and_affiliate_groups_link_each_other() {
    let b = example();
    let jnim = util::links_in(&b.doc("groups/jnim/index.html"), "main");
    assert!(
        jnim.contains(&"/groups/al-qaeda/".to_string()),
        "jnim page does not link its parent al-qaeda: {jnim:?}"
    );
    let aq = util::links_in(&b.doc("groups/al-qaeda/index.html"), "main");
    assert!(
        aq.contains(&"/groups/jnim/".to_string()),
        "al-qaeda page does not link its affiliate jnim: {aq:?}"
    );
}

#[test]
fn atom_and_sitemap_are_well_formed_with_absolute_urls() {
    let b = example();
    let atom = b.read("atom.xml");
    let names =
        util::xml_elements(&atom).unwrap_or_else(|e| panic!("atom.xml is not well-formed: {e}"));
    assert_eq!(names.first().map(String::as_str), Some("feed"));
    let entries = names.iter().filter(|n| *n == "entry").count();
    let site_yaml = std::fs::read_to_string(util::repo().join("site.yaml")).unwrap();
    let feed_limit: usize = site_yaml
        .lines()
        .find_map(|l| l.strip_prefix("feed_limit:"))
        .map_or(50, |v| v.trim().parse().unwrap());
    assert_eq!(
        entries,
        b.report.counts.incidents.min(feed_limit),
        "atom entries"
    );
    for href in util::xml_attrs(&atom, "link", "href") {
        assert!(
            href.starts_with("https://example.org/"),
            "atom link not absolute under base_url: {href}"
        );
    }

    let sitemap = b.read("sitemap.xml");
    util::xml_elements(&sitemap).unwrap_or_else(|e| panic!("sitemap.xml is not well-formed: {e}"));
    let locs = util::xml_texts(&sitemap, "loc");
    let pages = util::tree(&b.out)
        .into_iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .count();
    assert_eq!(locs.len(), pages, "one <loc> per page");
    for loc in &locs {
        let rest = loc
            .strip_prefix("https://example.org/")
            .unwrap_or_else(|| panic!("sitemap loc not under base_url: {loc}"));
        assert!(
            b.exists(&util::served_file(rest)),
            "sitemap loc {loc} has no page"
        );
    }
    assert!(
        !locs.iter().any(|l| l.contains("404")),
        "the 404 page is not in the sitemap"
    );
}

#[test]
fn data_exports_parse_with_one_record_per_published_incident() {
    let b = example();
    let incidents = b.incidents();
    assert_eq!(
        incidents.len(),
        published("incidents"),
        "incidents.json records"
    );
    for i in &incidents {
        for key in ["id", "date", "confidence", "groups", "weapons"] {
            assert!(
                i.get(key).is_some_and(|v| !v.is_null()),
                "incidents.json record without `{key}`: {i}"
            );
        }
        assert!(i["groups"].is_array() && i["weapons"].is_array(), "{i}");
    }
    let ids: Vec<&str> = incidents.iter().map(|i| str_field(i, "id")).collect();
    assert!(ids.contains(&"kalamba-is-sahel-jnim-cache"));

    let csv_text = b.read("data/incidents.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let acled = [
        "id",
        "date",
        "date_precision",
        "country",
        "admin1",
        "admin2",
        "location",
        "lat",
        "lon",
        "event_type",
        "attackers",
        "targets",
        "weapons",
        "fatalities",
        "confidence",
        "url",
    ];
    for col in acled {
        assert!(
            header.contains(&col.to_string()),
            "CSV header lacks `{col}`: {header:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), incidents.len(), "CSV rows");
    let id_col = header.iter().position(|h| h == "id").unwrap();
    let csv_ids: BTreeSet<&str> = rows.iter().map(|r| &r[id_col]).collect();
    assert_eq!(
        csv_ids,
        ids.iter().copied().collect::<BTreeSet<_>>(),
        "CSV and JSON list the same incidents"
    );
    let row = rows
        .iter()
        .find(|r| &r[id_col] == "kalamba-is-sahel-jnim-cache")
        .unwrap();
    let col = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(col("attackers"), "is-sahel");
    assert_eq!(col("targets"), "jnim");
    assert_eq!(col("confidence"), "claimed");
    assert!(col("weapons").contains("rpg-7"), "{}", col("weapons"));

    let groups = b.json("data/groups.json");
    assert_eq!(
        groups.as_array().map(Vec::len),
        Some(content_files("groups").len()),
        "groups.json records"
    );
    let weapons = b.json("data/weapons.json");
    assert_eq!(
        weapons.as_array().map(Vec::len),
        Some(content_files("weapons").len()),
        "weapons.json records"
    );
}

#[test]
fn draft_incident_is_left_out_by_default_and_built_with_drafts() {
    let draft_page = format!("incidents/{DRAFT_SLUG}/index.html");
    assert!(
        content_files("incidents")
            .iter()
            .any(|(p, d)| *d && p.ends_with(format!("{DRAFT_SLUG}.md"))),
        "the fixture draft is gone"
    );

    let b = example();
    assert!(!b.exists(&draft_page), "draft page built without drafts");
    assert!(
        !b.incidents().iter().any(|i| i["id"] == DRAFT_SLUG),
        "draft in incidents.json"
    );
    assert!(
        !b.read("sitemap.xml").contains(DRAFT_SLUG) && !b.read("atom.xml").contains(DRAFT_SLUG),
        "draft in feeds"
    );
    assert!(
        !b.read("data/incidents.csv").contains(DRAFT_SLUG),
        "draft in incidents.csv"
    );

    let d = build_example(|o| o.drafts = true);
    assert!(
        d.exists(&draft_page),
        "draft page missing with drafts: true"
    );
    assert!(
        d.incidents().iter().any(|i| i["id"] == DRAFT_SLUG),
        "draft missing from incidents.json with drafts: true"
    );
    assert_eq!(d.report.counts.incidents, b.report.counts.incidents + 1);
}

#[test]
fn builds_are_byte_identical_whatever_the_thread_count() {
    let a = example();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let b = pool.install(example);
    let (ta, tb) = (util::tree(&a.out), util::tree(&b.out));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb), "file lists differ");
    for ((p, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(x == y, "{p} differs between builds");
    }
}

/// `--low-memory` (what a build does by itself above `LEAN_ABOVE` incidents) reads
/// each incident body again instead of holding it: the same files, byte for byte, on
/// one thread or several.
#[test]
fn a_low_memory_build_is_byte_identical_to_a_plain_one() {
    let plain = example();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for lean in [
        build_example(|o| o.low_memory = true),
        pool.install(|| build_example(|o| o.low_memory = true)),
    ] {
        let (ta, tb) = (util::tree(&plain.out), util::tree(&lean.out));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ta), names(&tb), "file lists differ");
        for ((p, x), (_, y)) in ta.iter().zip(&tb) {
            assert!(x == y, "{p} differs between a plain and a low-memory build");
        }
    }
}

#[test]
fn base_url_with_a_path_prefixes_every_link_and_absolute_url() {
    const BASE: &str = "https://org.github.io/monitor/";
    let b = build_example(|o| o.base_url = Some(BASE.into()));
    let problems = util::broken_links(&b.out, "/monitor/");
    assert!(
        problems.is_empty(),
        "{} broken links under /monitor/:\n{}",
        problems.len(),
        problems.join("\n")
    );

    let mut canonicals = 0;
    for (rel, text) in b.html_files() {
        let doc = util::html(&text);
        for c in util::attr_values(&doc, "link[rel=canonical]", "href") {
            let expected = format!("{BASE}{}", rel.strip_suffix("index.html").unwrap_or(&rel));
            assert_eq!(c, expected, "canonical of {rel}");
            canonicals += 1;
        }
        for h in util::attr_values(&doc, "[href]", "href")
            .into_iter()
            .chain(util::attr_values(&doc, "[src]", "src"))
        {
            assert!(
                !h.starts_with("https://example.org"),
                "{rel} still links the site.yaml base_url: {h}"
            );
        }
    }
    assert!(canonicals > 0, "no page has a canonical link");

    let sitemap = b.read("sitemap.xml");
    let locs = util::xml_texts(&sitemap, "loc");
    assert!(!locs.is_empty());
    for loc in locs {
        assert!(loc.starts_with(BASE), "sitemap loc not under {BASE}: {loc}");
    }
    for href in util::xml_attrs(&b.read("atom.xml"), "link", "href") {
        assert!(href.starts_with(BASE), "atom link not under {BASE}: {href}");
    }
    for i in b.incidents() {
        assert!(
            str_field(&i, "url").starts_with(BASE),
            "incidents.json url: {}",
            i["url"]
        );
    }
}
