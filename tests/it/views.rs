//! The views: maps, charts, the arms matrix, custody flows, the timeline, the search
//! index and the filters' data, and the exports behind them. Each number a view shows
//! is checked against a count made here, independently, from `data/incidents.json`.

use crate::util::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every `<svg>...</svg>` element of a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let end = start + len + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

fn well_formed(xml: &str) -> Result<(), String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut depth = 0i32;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    if depth == 0 {
        Ok(())
    } else {
        Err(format!("unbalanced: {depth}"))
    }
}

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn built_example() -> Site {
    let s = Site::example();
    let r = s.build();
    assert!(r.errors() == 0, "{:?}", r.diagnostics);
    s
}

/// Every HTML page of the output, by path.
fn pages(s: &Site) -> Vec<(String, String)> {
    tree(&s.path("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

#[test]
fn every_svg_of_the_example_site_is_well_formed_xml() {
    let s = built_example();
    let mut seen = 0;
    for (path, html) in pages(&s) {
        for svg in svgs(&html) {
            well_formed(svg).unwrap_or_else(|e| panic!("{path}: {e}\n{svg}"));
            seen += 1;
        }
    }
    assert!(seen > 20, "only {seen} svgs");
}

/// Incidents per month, counted from the incidents export: `YYYY-MM` for those dated
/// to a day or month, `YYYY` for those dated to the year only.
fn months_from_export(incidents: &Value) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for inc in incidents.as_array().unwrap() {
        let date = inc["date"].as_str().unwrap();
        let key = if inc["date_precision"] == "year" {
            date[..4].to_string()
        } else {
            date[..7].to_string()
        };
        *m.entry(key).or_default() += 1;
    }
    m
}

#[test]
fn the_monthly_chart_and_export_match_the_incidents() {
    let s = built_example();
    let incidents = json(&s, "data/incidents.json");
    let want = months_from_export(&incidents);
    // The export: the site scope holds exactly these months.
    let monthly = json(&s, "data/monthly.json");
    let got: BTreeMap<String, u64> = monthly
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["scope"] == "site")
        .map(|r| {
            (
                r["month"].as_str().unwrap().to_string(),
                r["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // The home page's chart: one bar title per month with incidents, same numbers.
    let home = s.out("index.html");
    let chart = svgs(&home)
        .into_iter()
        .find(|x| x.contains("Incidents per month"))
        .expect("chart");
    let bars: u64 = chart.matches("<rect").count() as u64;
    let month_only: Vec<(&String, &u64)> = want.iter().filter(|(k, _)| k.len() == 7).collect();
    assert_eq!(bars, month_only.len() as u64);
    for (k, n) in month_only {
        let (y, m) = (&k[..4], &k[5..7]);
        let month = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][m.parse::<usize>().unwrap() - 1];
        assert!(
            chart.contains(&format!("<title>{month} {y}: {n}</title>")),
            "{month} {y}: {n}"
        );
    }
    // And the table under it says the same.
    assert!(home.contains("<summary>The numbers"));
}

/// Which groups held which weapons in an incident, as the content format says: an
/// observation's `from`/`to` when given, else the incident's attackers and participants.
fn holders(inc: &Value, obs: &Value) -> Vec<String> {
    let explicit: Vec<String> = ["from", "to"]
        .iter()
        .filter_map(|k| obs[*k].as_str().map(String::from))
        .collect();
    if !explicit.is_empty() {
        return explicit;
    }
    inc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["role"] == "attacker" || g["role"] == "participant")
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_category_matrix_adds_up() {
    let s = built_example();
    let incidents = json(&s, "data/incidents.json");
    let mut cells: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut rows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut cols: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut all: BTreeSet<String> = BTreeSet::new();
    for inc in incidents.as_array().unwrap() {
        let id = inc["id"].as_str().unwrap().to_string();
        for o in inc["weapons"].as_array().unwrap() {
            let cat = o["category"].as_str().unwrap().replace(' ', "-");
            for g in holders(inc, o) {
                cells
                    .entry((g.clone(), cat.clone()))
                    .or_default()
                    .insert(id.clone());
                rows.entry(g).or_default().insert(id.clone());
                cols.entry(cat.clone()).or_default().insert(id.clone());
                all.insert(id.clone());
            }
        }
    }
    let m = json(&s, "data/matrix-categories.json");
    let columns: Vec<String> = m["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(m["total"].as_u64().unwrap(), all.len() as u64);
    for (k, c) in columns.iter().enumerate() {
        assert_eq!(
            m["column_totals"][k].as_u64().unwrap(),
            cols.get(c).map_or(0, |s| s.len()) as u64,
            "column {c}"
        );
    }
    let mut seen_rows = 0;
    for r in m["rows"].as_array().unwrap() {
        let g = r["group"].as_str().unwrap().to_string();
        seen_rows += 1;
        assert_eq!(
            r["total"].as_u64().unwrap(),
            rows[&g].len() as u64,
            "row {g}"
        );
        for (k, c) in columns.iter().enumerate() {
            let want = cells.get(&(g.clone(), c.clone())).map_or(0, |s| s.len()) as u64;
            assert_eq!(r["cells"][k].as_u64().unwrap(), want, "{g} x {c}");
        }
    }
    assert_eq!(seen_rows, rows.len());
    // The page shows the same totals, and a non-empty cell links to its filtered list.
    let page = s.out("matrix/index.html");
    assert!(
        page.contains(&format!(
            "<td class=\"num\">{}</td>\n    </tr>\n  </tfoot>",
            all.len()
        )),
        "{page}"
    );
    assert!(page.contains("incidents/?group="));
}

#[test]
fn custody_flows_come_from_the_observations() {
    let s = built_example();
    let incidents = json(&s, "data/incidents.json");
    let mut want: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for inc in incidents.as_array().unwrap() {
        for o in inc["weapons"].as_array().unwrap() {
            if let (Some(f), Some(t)) = (o["from"].as_str(), o["to"].as_str())
                && f != t
            {
                want.entry((f.into(), t.into()))
                    .or_default()
                    .insert(inc["id"].as_str().unwrap().into());
            }
        }
    }
    assert!(!want.is_empty(), "the example site records custody");
    let flows = json(&s, "data/custody.json");
    let got: BTreeMap<(String, String), u64> = flows
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                (
                    f["from"].as_str().unwrap().into(),
                    f["to"].as_str().unwrap().into(),
                ),
                f["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeMap<(String, String), u64> =
        want.into_iter().map(|(k, v)| (k, v.len() as u64)).collect();
    assert_eq!(got, want);
    // The taker's group page lists it.
    let ((_, to), _) = got.iter().next().unwrap();
    let page = s.out(&format!("groups/{to}/index.html"));
    assert!(page.contains("Weapons taken and lost"), "{to}");
}

#[test]
fn the_geojson_holds_every_located_incident_lon_first_and_no_draft() {
    let s = Site::example();
    s.incident(
        "2024/draft-with-coordinates",
        "draft: true\nlocation: {name: Kaya, country: Burkina Faso, lat: 13.09, lon: -1.08, precision: near}\n",
        "A draft.\n",
    );
    assert_eq!(s.build().errors(), 0);
    let incidents = json(&s, "data/incidents.json");
    let g = json(&s, "data/incidents.geojson");
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    let mut want = BTreeMap::new();
    for inc in incidents.as_array().unwrap() {
        let l = &inc["location"];
        if let (Some(lat), Some(lon)) = (l["lat"].as_f64(), l["lon"].as_f64()) {
            want.insert(inc["id"].as_str().unwrap().to_string(), (lon, lat));
        }
    }
    assert!(
        want.len() >= 10,
        "the example incidents have coordinates: {}",
        want.len()
    );
    let got: BTreeMap<String, (f64, f64)> = features
        .iter()
        .map(|f| {
            assert_eq!(f["type"], "Feature");
            assert_eq!(f["geometry"]["type"], "Point");
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            (
                f["id"].as_str().unwrap().to_string(),
                (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(!got.contains_key("draft-with-coordinates"));
    // Kalamba is in Burkina Faso: west of Greenwich, north of the equator.
    let (lon, lat) = got["kalamba-is-sahel-jnim-cache"];
    assert!(lon < 0.0 && lat > 12.0, "{lon} {lat}");
}

/// The view boxes and dots of a map: (min x, min y, width, height) and each dot's
/// link, x and y.
type ViewBox = (f64, f64, f64, f64);

fn map_dots(svg: &str) -> (ViewBox, Vec<(String, f64, f64)>) {
    let vb = svg
        .split("viewBox=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let v: Vec<f64> = vb.split(' ').map(|x| x.parse().unwrap()).collect();
    let mut dots = Vec::new();
    for a in svg.split("<a class=\"map-dot\" href=\"").skip(1) {
        let url = a.split('"').next().unwrap().to_string();
        let circle = a.split("<circle").nth(1).unwrap();
        let attr = |name: &str| -> f64 {
            circle
                .split(&format!(" {name}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        dots.push((url, attr("cx"), attr("cy")));
    }
    ((v[0], v[1], v[2], v[3]), dots)
}

#[test]
fn map_dots_link_to_their_incidents_and_sit_where_their_coordinates_say() {
    let s = built_example();
    let incidents = json(&s, "data/incidents.json");
    let home = s.out("index.html");
    let svg = svgs(&home)
        .into_iter()
        .find(|x| x.contains("class=\"map\""))
        .expect("a map on the home page");
    let ((x0, y0, w, h), dots) = map_dots(svg);
    let coords: BTreeMap<String, (f64, f64)> = incidents
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| {
            let l = &i["location"];
            Some((
                format!("/incidents/{}/", i["id"].as_str()?),
                (l["lat"].as_f64()?, l["lon"].as_f64()?),
            ))
        })
        .collect();
    let places: BTreeSet<String> = coords.values().map(|(a, b)| format!("{a} {b}")).collect();
    assert_eq!(dots.len(), places.len(), "one dot per place with incidents");
    for (url, x, y) in &dots {
        assert!(coords.contains_key(url), "{url} is a located incident");
        assert!(
            *x >= x0 && *x <= x0 + w && *y >= y0 && *y <= y0 + h,
            "{url} at {x},{y} outside the box"
        );
        assert!(
            s.out_exists(&format!("{}index.html", &url[1..])),
            "{url} exists"
        );
    }
    // North is up and east is right: compare every pair of dots far enough apart.
    for (ua, xa, ya) in &dots {
        for (ub, xb, yb) in &dots {
            let ((lat_a, lon_a), (lat_b, lon_b)) = (coords[ua], coords[ub]);
            if lon_a + 0.5 < lon_b {
                assert!(xa < xb, "{ua} is west of {ub}");
            }
            if lat_a > lat_b + 0.5 {
                assert!(ya < yb, "{ua} is north of {ub}");
            }
        }
    }
}

#[test]
fn incidents_without_coordinates_are_counted_under_the_map_not_placed_at_zero() {
    let s = Site::example();
    s.incident(
        "2024/somewhere-unknown",
        "location: {name: A hamlet nobody mapped, country: Mali, precision: near}\n",
        "Text.\n",
    );
    s.incident(
        "2024/null-island",
        "location: {name: Nowhere, lat: 0, lon: 0}\n",
        "Text.\n",
    );
    assert_eq!(s.build().errors(), 0);
    let map = s.out("map/index.html");
    assert!(map.contains("without coordinates, not on the map"), "{map}");
    assert!(map.contains("Incident 2024/somewhere-unknown") || map.contains("somewhere-unknown"));
    let svg = svgs(&map)
        .into_iter()
        .find(|x| x.contains("class=\"map\""))
        .unwrap();
    assert!(!svg.contains("/incidents/null-island/"), "0,0 is not drawn");
    assert!(!svg.contains("/incidents/somewhere-unknown/"));
    // `check` warns about the unmapped place, with the line of its location.
    let r = s.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code.id == "E0124" && d.file.ends_with("somewhere-unknown.md"))
        .expect("E0124");
    assert_eq!(d.line, 4);
}

#[test]
fn a_gazetteer_gives_coordinates_to_incidents_that_name_a_known_place() {
    let s = Site::basic();
    s.file(
        "data/places.yaml",
        "- name: Kaya\n  admin1: Centre-Nord\n  country: Burkina Faso\n  lat: 13.0917\n  lon: -1.0844\n  aliases: [Kaya town]\n- name: Sanmatenga\n  level: admin2\n  country: Burkina Faso\n  lat: 13.35\n  lon: -1.05\n- name: Kaya\n  country: Mali\n  lat: 14.9\n  lon: -4.2\n",
    );
    s.incident(
        "a",
        "location: {name: kaya town, country: Burkina Faso, precision: near}\n",
        "x\n",
    );
    s.incident("b", "location: {name: Somewhere, admin2: Sanmatenga, country: Burkina Faso, precision: admin2}\n", "x\n");
    s.incident("c", "location: {name: Kaya}\n", "x\n");
    s.incident(
        "d",
        "location: {name: Kaya, country: Burkina Faso, lat: 1, lon: 2}\n",
        "x\n",
    );
    let r = s.build();
    assert_eq!(r.errors(), 0, "{:?}", r.diagnostics);
    let incidents = json(&s, "data/incidents.json");
    let at = |id: &str| {
        let i = incidents
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap();
        (i["location"]["lat"].as_f64(), i["location"]["lon"].as_f64())
    };
    assert_eq!(
        at("a"),
        (Some(13.0917), Some(-1.0844)),
        "alias, within its country"
    );
    assert_eq!(
        at("b"),
        (Some(13.35), Some(-1.05)),
        "an admin2 precision takes the district"
    );
    assert_eq!(
        at("c"),
        (None, None),
        "two places called Kaya and no country: no guess"
    );
    assert_eq!(
        at("d"),
        (Some(1.0), Some(2.0)),
        "the content's own coordinates win"
    );
    // The incident page says where its coordinates come from.
    assert!(s.out("incidents/a/index.html").contains("gazetteer"));
}

#[test]
fn a_bad_gazetteer_entry_is_reported_at_its_line() {
    let s = Site::basic();
    s.file(
        "data/places.yaml",
        "- name: Kaya\n  lat: 13.1\n- name: Djibo\n  lat: 14.1\n  lon: -1.6\n  levle: place\n",
    );
    let r = s.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let file = |d: &&casefile::diag::Diagnostic| d.file.ends_with("data/places.yaml");
    let ds: Vec<_> = r.diagnostics.iter().filter(file).collect();
    assert!(
        ds.iter().any(|d| d.line == 1 && d.message.contains("lat")),
        "{ds:?}"
    );
    assert!(
        ds.iter().any(|d| d.line == 6 && d.code.id == "E0030"),
        "{ds:?}"
    );
}

#[test]
fn the_search_index_holds_every_published_incident_and_no_draft() {
    let s = Site::example();
    s.incident("2024/a-draft", "draft: true\n", "Secret words.\n");
    assert_eq!(s.build().errors(), 0);
    let incidents = json(&s, "data/incidents.json");
    let want: BTreeSet<String> = incidents
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("incidents/{}/", i["id"].as_str().unwrap()))
        .collect();
    let mut got = BTreeSet::new();
    for (path, bytes) in tree(&s.path("public/search")) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            !text.contains("a-draft") && !text.contains("secret"),
            "{path} mentions the draft"
        );
        if let Some(rest) = text.strip_prefix("casefileSearch.docs(") {
            let array = rest
                .split_once(',')
                .unwrap()
                .1
                .trim_end()
                .trim_end_matches(");");
            let docs: Value = serde_json::from_str(array).unwrap();
            for d in docs.as_array().unwrap() {
                if d[0] == "i" {
                    got.insert(d[2].as_str().unwrap().to_string());
                }
            }
        }
    }
    assert_eq!(got, want);
    // A group's alias is in the token shards, under the group's document.
    let manifest = s.out("search/index.js");
    assert!(manifest.contains("\"shards\""));
}

#[test]
fn views_can_be_turned_off_in_site_yaml() {
    let s = Site::example();
    let yaml = std::fs::read_to_string(s.path("site.yaml")).unwrap();
    s.file(
        "site.yaml",
        &format!("{yaml}\nviews: {{map: false, charts: false, search: false, filters: false, matrix: false, timeline: false}}\n"),
    );
    assert_eq!(s.build().errors(), 0);
    for gone in [
        "map/index.html",
        "matrix/index.html",
        "timeline/index.html",
        "search/index.js",
        "casefile.js",
        "data/matrix-categories.csv",
    ] {
        assert!(!s.out_exists(gone), "{gone}");
    }
    let home = s.out("index.html");
    assert!(svgs(&home).is_empty(), "no map, no chart");
    assert!(!home.contains("site-search"));
    // The incidents' own pages and exports stay.
    assert!(s.out_exists("data/incidents.geojson"));
}

#[test]
fn the_timeline_has_a_page_per_year_with_month_anchors() {
    let s = built_example();
    let incidents = json(&s, "data/incidents.json");
    let years: BTreeSet<String> = incidents
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["date"].as_str().unwrap()[..4].to_string())
        .collect();
    let tl = s.out("timeline/index.html");
    for y in &years {
        assert!(tl.contains(&format!("timeline/{y}/")), "{y}");
        let page = s.out(&format!("timeline/{y}/index.html"));
        assert!(
            page.contains(&format!("id=\"m-{y}-")),
            "{y} has month anchors"
        );
    }
}

/// A site where one group is in 5,000 incidents, each with a weapon and a place:
/// every page stays under 300 KB of HTML (the group's page is a summary; its full
/// list, the incident list, the maps and the matrix are paginated or capped).
#[test]
fn every_page_stays_under_300_kb_with_one_group_in_5000_incidents() {
    let s = Site::basic();
    for i in 0..5000 {
        let (y, m, d) = (2015 + i % 10, 1 + i % 12, 1 + i % 28);
        s.file(
            &format!("content/incidents/i{i}.md"),
            &format!(
                "---\ntitle: Clash number {i} between JNIM and IS Sahel fighters near a village\ndate: {y}-{m:02}-{d:02}\n\
                 location: {{name: Village {i}, country: Mali, lat: {}, lon: {}, precision: near}}\n\
                 groups:\n  - {{group: jnim, role: attacker}}\n  - {{group: is-sahel, role: target}}\n\
                 weapons:\n  - {{weapon: rpg-7, status: captured, from: is-sahel, to: jnim}}\n---\n\
                 A short account of clash {i}, with a few words of text to index.\n",
                12.0 + (i % 700) as f64 / 100.0,
                -4.0 + (i % 900) as f64 / 100.0,
            ),
        );
    }
    let r = s.build();
    assert_eq!(r.errors(), 0, "{:?}", r.diagnostics.first());
    let mut biggest = (String::new(), 0);
    for (path, bytes) in tree(&s.path("public")) {
        if path.ends_with(".html") && bytes.len() > biggest.1 {
            biggest = (path, bytes.len());
        }
    }
    assert!(
        biggest.1 < 300 * 1024,
        "{} is {} bytes",
        biggest.0,
        biggest.1
    );
    // The group's page links its full list, and the list's pages hold every incident.
    assert!(
        s.out("groups/jnim/index.html")
            .contains("/groups/jnim/incidents/")
    );
    assert!(s.out_exists("groups/jnim/incidents/page/100/index.html"));
    assert!(!s.out_exists("groups/jnim/incidents/page/101/index.html"));
}
