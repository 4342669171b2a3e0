//! Tests of whole maps: the SVG read back as XML, the dots' links and positions,
//! determinism, spreading, escaping. `sample` writes a page of maps to look at.

mod sample;
mod xml;

use super::draw::GLYPH;
use super::layout::Rect;
use super::*;
use xml::{El, parse};

pub(super) fn point(
    lat: f64,
    lon: f64,
    precision: Option<LocationPrecision>,
    slug: &str,
    title: &str,
) -> MapPoint {
    MapPoint {
        lat,
        lon,
        precision,
        url: format!("/incidents/{slug}/"),
        title: title.into(),
        country: None,
    }
}

use LocationPrecision::{Admin1, Exact, Near};

/// The Sahel sample of the brief: five towns, two incidents at one place, one located
/// only to its region.
pub(super) fn sahel() -> Vec<MapPoint> {
    let mut v = vec![
        point(
            13.09,
            -1.08,
            Some(Exact),
            "kaya",
            "Attack on Kaya market, 2 Mar 2024",
        ),
        point(
            14.10,
            -1.63,
            Some(Near),
            "djibo",
            "Ambush near Djibo, 18 Mar 2024",
        ),
        point(
            12.37,
            -1.52,
            Some(Exact),
            "ouagadougou",
            "Arrests in Ouagadougou, 5 Apr 2024",
        ),
        point(
            14.49,
            -4.20,
            Some(Exact),
            "mopti",
            "IED on the Mopti road, 9 Jan 2024",
        ),
        point(
            13.51,
            2.11,
            None,
            "niamey",
            "Protest in Niamey, 26 Jul 2023",
        ),
        point(
            14.10,
            -1.63,
            Some(Exact),
            "djibo-2",
            "Drone strike in Djibo, 20 Mar 2024",
        ),
        point(
            13.30,
            -0.50,
            Some(Admin1),
            "centre-nord",
            "Clashes in Centre-Nord, Feb 2024",
        ),
    ];
    v[0].country = Some("Burkina Faso".into());
    v[3].country = Some("Mali".into());
    v
}

/// The dots of an SVG: (href, title, cx, cy) of the first circle of each link.
fn dots_of(svg: &El) -> Vec<(String, String, f64, f64)> {
    svg.all("a")
        .into_iter()
        .map(|a| {
            let title = a.all("title")[0].text.clone();
            let c = a.all("circle")[0];
            (a.attr("href").to_owned(), title, c.num("cx"), c.num("cy"))
        })
        .collect()
}

fn view_box(svg: &El) -> (f64, f64) {
    let v: Vec<f64> = svg
        .attr("viewBox")
        .split(' ')
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!((v[0], v[1]), (0.0, 0.0));
    (v[2], v[3])
}

#[test]
fn a_sahel_map_is_well_formed_svg_with_one_linked_dot_per_incident_inside_the_view() {
    let pts = sahel();
    let map = map_svg(&pts, &MapOptions::default());
    let text = map.svg.as_deref().unwrap();
    let svg = parse(text);
    assert_eq!(svg.name, "svg");
    assert_eq!(svg.attr("xmlns"), "http://www.w3.org/2000/svg");
    // A group, not an img: an img would hide the dots' links from assistive technology.
    assert_eq!(svg.attr("role"), "group");
    assert_eq!(svg.attr("width"), "100%");
    assert_eq!(svg.attr("aria-labelledby"), "map-title map-desc");
    assert!(!text.contains("xlink"));
    let (w, h) = view_box(&svg);
    let dots = dots_of(&svg);
    assert_eq!(dots.len(), pts.len());
    assert!(map.omitted.is_empty());
    for p in &pts {
        let (_, title, x, y) = dots.iter().find(|d| d.0 == p.url).unwrap();
        assert!(title.starts_with(&p.title), "{title}");
        assert!(
            (0.0..=w).contains(x) && (0.0..=h).contains(y),
            "{x},{y} outside {w}x{h}"
        );
    }
    assert_eq!(map.countries, ["Burkina Faso", "Mali", "Niger"]);
    let labels: Vec<&str> = svg.all("text").iter().map(|t| t.text.as_str()).collect();
    for name in ["Burkina Faso", "Mali", "Niger"] {
        assert!(labels.contains(&name), "{name} not labelled: {labels:?}");
    }
    let desc = &svg.all("desc")[0].text;
    assert!(
        desc.starts_with("A map of 7 incidents in Burkina Faso, Mali and Niger."),
        "{desc}"
    );
    assert!(text.len() < 40_000, "{} bytes", text.len());
}

#[test]
fn dots_land_where_the_projection_puts_them_north_up_east_right() {
    let bbox = GeoBox {
        west: -6.0,
        south: 10.0,
        east: 4.0,
        north: 16.0,
    };
    let opts = MapOptions {
        bbox: Some(bbox),
        width: 600.0,
        ..MapOptions::default()
    };
    let pts = [
        point(13.09, -1.08, Some(Exact), "kaya", "Kaya"),
        point(12.37, -1.52, Some(Exact), "ouaga", "Ouagadougou"),
    ];
    let map = map_svg(&pts, &opts);
    let svg = parse(map.svg.as_deref().unwrap());
    let k = 13f64.to_radians().cos();
    assert_eq!(view_box(&svg), (600.0, (3600.0 / k).round() / 10.0));
    let dots = dots_of(&svg);
    let (kaya, ouaga) = (&dots[0], &dots[1]);
    assert_eq!((kaya.2, kaya.3), (295.2, (1746.0 / k).round() / 10.0));
    assert!(
        kaya.3 < ouaga.3,
        "Kaya is north of Ouagadougou: higher on the map"
    );
    assert!(
        kaya.2 > ouaga.2,
        "Kaya is east of Ouagadougou: further right"
    );
    let proj = map.projection.unwrap();
    let (x, y) = proj.project(LatLon {
        lat: 12.37,
        lon: -1.52,
    });
    assert_eq!(
        (ouaga.2, ouaga.3),
        ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
    );
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let a = map_svg(&sahel(), &MapOptions::default());
    let b = map_svg(&sahel(), &MapOptions::default());
    assert_eq!(a, b);
    let fresh = World::decode(world::ASSET).unwrap();
    let on_fresh_world = map_svg_on(&fresh, &sahel(), &MapOptions::default());
    assert_eq!(a.svg, on_fresh_world.svg);
}

#[test]
fn no_points_give_no_map_unless_a_region_is_asked_for() {
    let none = map_svg(&[], &MapOptions::default());
    assert_eq!(none.svg, None);
    assert!(none.legend.is_empty() && none.dots.is_empty());
    let mali = map_svg(
        &[],
        &MapOptions {
            show_countries: vec!["mali".into(), "Atlantis".into()],
            ..MapOptions::default()
        },
    );
    let svg = parse(mali.svg.as_deref().unwrap());
    assert!(dots_of(&svg).is_empty());
    assert_eq!(mali.unknown_countries, ["Atlantis"]);
    let b = mali.projection.unwrap().bbox;
    assert!(
        b.west <= -12.2 && b.east >= 4.2 && b.south <= 10.1 && b.north >= 25.0,
        "{b:?}"
    );
    // Russia is too large to widen a map of one point in Ukraine.
    let kyiv = [point(50.45, 30.52, Some(Exact), "kyiv", "Kyiv")];
    let opts = MapOptions {
        show_countries: vec!["Russia".into()],
        ..MapOptions::default()
    };
    let b = map_svg(&kyiv, &opts).projection.unwrap().bbox;
    assert!(b.east - b.west < 15.0, "{b:?}");
}

#[test]
fn incidents_at_identical_coordinates_get_distinct_dots_that_say_so() {
    let pts: Vec<MapPoint> = (0..5)
        .map(|i| {
            point(
                14.1,
                -1.63,
                Some(Exact),
                &format!("d{i}"),
                &format!("Djibo {i}"),
            )
        })
        .collect();
    let map = map_svg(&pts, &MapOptions::default());
    let svg = parse(map.svg.as_deref().unwrap());
    let dots = dots_of(&svg);
    for (i, a) in dots.iter().enumerate() {
        assert!(
            a.1.contains("one of 5 incidents at this place, drawn apart"),
            "{}",
            a.1
        );
        for b in &dots[..i] {
            assert!((a.2 - b.2).hypot(a.3 - b.3) >= 11.0, "{a:?} {b:?}");
        }
    }
    assert!(
        map.legend
            .iter()
            .any(|l| l.class == "dot-spread" && l.count == 5)
    );
    assert_eq!(
        svg.all("g")
            .iter()
            .filter(|g| g.attr("class") == "map-leader")
            .count(),
        1
    );
}

#[test]
fn hostile_titles_and_urls_are_escaped() {
    let mut p = point(
        13.0,
        -1.0,
        Some(Exact),
        "x",
        "<script>alert(\"x\")</script> & 'q'",
    );
    p.url = "/a?b=1&c=\"2\"<>".into();
    let opts = MapOptions {
        title: "Incidents <b>& co</b>".into(),
        id_prefix: "m\" onload=\"x".into(),
        ..MapOptions::default()
    };
    let map = map_svg(&[p.clone()], &opts);
    let text = map.svg.as_deref().unwrap();
    assert!(!text.contains("<script") && !text.contains("<b>"));
    let svg = parse(text);
    let dots = dots_of(&svg);
    assert_eq!(dots[0].0, p.url);
    assert!(dots[0].1.starts_with(&p.title));
    assert_eq!(svg.all("title")[0].text, "Incidents <b>& co</b>");
    assert_eq!(
        svg.attr("aria-labelledby"),
        "m--onload--x-title m--onload--x-desc"
    );
    assert!(!svg.attrs.contains_key("onload"));
}

#[test]
fn bad_points_are_left_out_with_a_reason() {
    let mut pts = vec![
        point(f64::NAN, 1.0, None, "nan", "nan"),
        point(95.0, 1.0, None, "lat", "lat"),
        point(0.0, 0.0, None, "null", "null"),
        point(13.0, -1.0, None, "ok", "ok"),
        point(13.0, -1.0, None, "js", "js"),
        point(-75.0, 0.0, None, "antarctica", "antarctica"),
    ];
    pts[4].url = " JavaScript:alert(1)".into();
    let map = map_svg(&pts, &MapOptions::default());
    let reasons: Vec<(usize, OmitReason)> =
        map.omitted.iter().map(|o| (o.index, o.reason)).collect();
    assert_eq!(
        reasons,
        [
            (0, OmitReason::InvalidCoordinates),
            (1, OmitReason::InvalidCoordinates),
            (2, OmitReason::NullIsland),
            (4, OmitReason::UnsafeUrl),
            (5, OmitReason::OutsideMap),
        ]
    );
    assert_eq!(map.dots.len(), 1);
    assert!(
        safe_url("https://example.org/x") && safe_url("../x:y") && safe_url("/a?x=javascript:1")
    );
    assert!(!safe_url("data:text/html,x") && !safe_url("java\tscript:x"));
}

#[test]
fn a_fixed_box_leaves_out_points_outside_it() {
    let opts = MapOptions {
        bbox: Some(GeoBox {
            west: -6.0,
            south: 10.0,
            east: 4.0,
            north: 16.0,
        }),
        ..MapOptions::default()
    };
    let pts = [
        point(13.09, -1.08, Some(Exact), "kaya", "Kaya"),
        point(48.0, 37.8, Some(Exact), "donetsk", "Donetsk"),
    ];
    let map = map_svg(&pts, &opts);
    assert_eq!(
        map.omitted,
        [Omitted {
            index: 1,
            reason: OmitReason::OutsideMap
        }]
    );
    assert_eq!(dots_of(&parse(map.svg.as_deref().unwrap())).len(), 1);
}

#[test]
fn dot_classes_and_the_legend_follow_location_precision() {
    let pts = sahel();
    let map = map_svg(&pts, &MapOptions::default());
    let svg = parse(map.svg.as_deref().unwrap());
    let class_of = |slug: &str| {
        let a = svg
            .all("a")
            .into_iter()
            .find(|a| a.attr("href") == format!("/incidents/{slug}/"))
            .unwrap();
        a.all("circle")
            .iter()
            .map(|c| c.attr("class").to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(class_of("kaya"), ["dot dot-exact"]);
    assert_eq!(class_of("djibo"), ["dot dot-near-ring", "dot dot-near"]);
    assert_eq!(class_of("centre-nord"), ["dot dot-area dot-admin1"]);
    let r_admin1 = svg
        .all("circle")
        .iter()
        .find(|c| c.attr("class").ends_with("dot-admin1"))
        .unwrap()
        .num("r");
    let r_exact = svg
        .all("circle")
        .iter()
        .find(|c| c.attr("class") == "dot dot-exact")
        .unwrap()
        .num("r");
    assert!(r_admin1 > r_exact * 2.0);
    let legend: Vec<(&str, usize)> = map
        .legend
        .iter()
        .map(|l| (l.class.as_str(), l.count))
        .collect();
    assert_eq!(
        legend,
        [
            ("dot-exact", 4),
            ("dot-near", 2),
            ("dot-admin1", 1),
            ("dot-spread", 2)
        ]
    );
    assert!(map.legend[1].label.ends_with("or precision not stated"));
    for l in &map.legend {
        parse(&l.swatch);
    }
    // Area circles are drawn before (under) exact dots.
    let order: Vec<String> = svg
        .all("a")
        .iter()
        .map(|a| a.attr("href").to_owned())
        .collect();
    let pos = |s: &str| order.iter().position(|h| h.contains(s)).unwrap();
    assert!(pos("centre-nord") < pos("kaya"));
}

#[test]
fn two_maps_on_a_page_have_distinct_ids() {
    let a = map_svg(&sahel(), &MapOptions::default());
    let b = map_svg(
        &sahel(),
        &MapOptions {
            id_prefix: "map-2".into(),
            ..MapOptions::default()
        },
    );
    let ids = |m: &MapSvg| {
        let svg = parse(m.svg.as_deref().unwrap());
        let mut v = Vec::new();
        svg.walk(&mut v);
        v.iter()
            .map(|e| e.attr("id").to_owned())
            .filter(|i| !i.is_empty())
            .collect::<Vec<_>>()
    };
    let (ia, ib) = (ids(&a), ids(&b));
    assert_eq!(ia, ["map-title", "map-desc"]);
    assert!(ia.iter().all(|i| !ib.contains(i)));
}

#[test]
fn labels_do_not_cover_dots_or_each_other() {
    let map = map_svg(&sahel(), &MapOptions::default());
    let svg = parse(map.svg.as_deref().unwrap());
    let boxes: Vec<Rect> = svg
        .all("text")
        .iter()
        .filter(|t| !t.attr("class").is_empty())
        .map(|t| {
            let size = t.num("font-size");
            let half_w = t.text.chars().count() as f64 * GLYPH * size / 2.0;
            Rect::around((t.num("x"), t.num("y") - size * 0.35), half_w, size * 0.5)
        })
        .collect();
    for (i, b) in boxes.iter().enumerate() {
        for d in &map.dots {
            let r = d.kind.radius().min(10.0);
            assert!(
                !b.overlaps(&Rect::around(d.drawn, r, r)),
                "label {i} covers dot {}",
                d.index
            );
        }
        for o in &boxes[..i] {
            assert!(!b.overlaps(o), "labels overlap");
        }
    }
}

#[test]
fn the_country_named_by_the_content_wins_and_unknown_names_are_reported() {
    // Gaza is sea at 1:110m; the analyst's "Palestine" still names the country.
    let mut gaza = point(31.50, 34.47, Some(Exact), "gaza", "Gaza City");
    gaza.country = Some("Palestine".into());
    let mut odd = point(33.38, 35.48, Some(Exact), "nabatieh", "Nabatieh");
    odd.country = Some("Phoenicia".into());
    let map = map_svg(&[gaza, odd], &MapOptions::default());
    assert_eq!(map.countries, ["Lebanon", "Palestine"]);
    assert_eq!(map.unknown_countries, ["Phoenicia"]);
    let svg = parse(map.svg.as_deref().unwrap());
    let marked = svg
        .all("path")
        .iter()
        .filter(|p| p.attr("class") == "country country-marked")
        .count();
    assert_eq!(marked, 2);
}

#[test]
fn a_map_across_continents_shows_the_world() {
    let pts = [
        point(13.09, -1.08, Some(Exact), "kaya", "Kaya"),
        point(48.0, 37.8, Some(Exact), "donetsk", "Donetsk"),
        point(
            21.9,
            95.9,
            Some(LocationPrecision::Country),
            "myanmar",
            "Myanmar",
        ),
        point(4.6, -74.1, Some(Exact), "bogota", "Bogotá"),
    ];
    let map = map_svg(&pts, &MapOptions::default());
    let text = map.svg.as_deref().unwrap();
    let svg = parse(text);
    assert_eq!(dots_of(&svg).len(), 4);
    assert!(svg.all("path").len() > 120, "most countries drawn");
    assert!(text.len() < 120_000, "{} bytes", text.len());
}
