//! The sample page: the Sahel map of the tests and maps of other regions, with their
//! legends, for a look in a browser (headless Chromium screenshots) and for the Nu Html
//! Checker. Ignored by default; `cargo test --lib map -- --ignored write_sample_page`.

use super::super::shapes::esc;
use super::super::*;
use super::{point, sahel};
use LocationPrecision::{Admin1, Exact, Near};

/// Maps of other regions for the sample page: a coast (the Levant), Crimea, Myanmar,
/// the Great Lakes, and incidents on three continents.
fn gallery() -> Vec<(&'static str, Vec<MapPoint>)> {
    let p = |lat, lon, precision, slug: &str, country: &str| MapPoint {
        country: Some(country.into()),
        ..point(lat, lon, precision, slug, slug)
    };
    use LocationPrecision::{Admin2, Country, Region};
    vec![
        (
            "The Levant",
            vec![
                p(31.50, 34.47, Some(Exact), "gaza-city", "Palestine"),
                p(31.35, 34.30, Some(Near), "khan-younis", "Palestine"),
                p(33.27, 35.20, Some(Exact), "tyre", "Lebanon"),
                p(33.89, 35.50, Some(Admin2), "beirut", "Lebanon"),
                p(32.62, 36.10, Some(Exact), "daraa", "Syria"),
                p(31.95, 35.93, Some(Exact), "amman", "Jordan"),
            ],
        ),
        (
            "Ukraine and Crimea",
            vec![
                p(48.00, 37.80, Some(Exact), "donetsk", "Ukraine"),
                p(47.10, 37.55, Some(Exact), "mariupol", "Ukraine"),
                p(44.95, 34.10, Some(Near), "simferopol", "Ukraine"),
                p(44.62, 33.52, Some(Exact), "sevastopol", "Ukraine"),
                p(50.60, 36.58, Some(Exact), "belgorod", "Russia"),
                p(48.5, 35.0, Some(Region), "dnipro-region", "Ukraine"),
            ],
        ),
        (
            "Myanmar",
            vec![
                p(21.97, 96.08, Some(Exact), "mandalay", "Myanmar"),
                p(20.15, 92.90, Some(Admin1), "rakhine", "Myanmar"),
                p(24.0, 97.0, Some(Country), "myanmar", "Myanmar"),
            ],
        ),
        (
            "Eastern DRC",
            vec![
                p(
                    -1.68,
                    29.22,
                    Some(Exact),
                    "goma",
                    "Democratic Republic of Congo",
                ),
                p(-2.51, 28.86, Some(Exact), "bukavu", "DRC"),
                p(0.49, 29.47, Some(Near), "beni", "Dem. Rep. Congo"),
                p(-1.95, 30.06, Some(Exact), "kigali", "Rwanda"),
            ],
        ),
        (
            "Three continents",
            vec![
                p(13.09, -1.08, Some(Exact), "kaya", "Burkina Faso"),
                p(48.0, 37.8, Some(Exact), "donetsk", "Ukraine"),
                p(21.9, 95.9, Some(Exact), "myanmar", "Myanmar"),
                p(4.6, -74.1, Some(Exact), "bogota", "Colombia"),
            ],
        ),
    ]
}

/// Writes `$CASEFILE_MAP_SAMPLE` (default: the temp dir's casefile-map-sample.html),
/// a page with the Sahel map and its legend, then the gallery, for a look in a
/// browser and for the Nu Html Checker:
/// `cargo test --lib map -- --ignored write_sample_page`.
#[test]
#[ignore]
fn write_sample_page() {
    let mut maps = vec![("Incidents in the central Sahel", sahel())];
    maps.extend(gallery());
    let mut body = String::new();
    for (i, (title, pts)) in maps.into_iter().enumerate() {
        let opts = MapOptions {
            title: title.into(),
            id_prefix: format!("map-{i}"),
            ..MapOptions::default()
        };
        let map = map_svg(&pts, &opts);
        assert!(
            map.omitted.is_empty() && map.unknown_countries.is_empty(),
            "{title}"
        );
        let mut legend = String::new();
        for l in &map.legend {
            legend.push_str(&format!(
                "<li>{} {} ({})</li>",
                l.swatch,
                esc(&l.label),
                l.count
            ));
        }
        body.push_str(&format!(
            "<h2>{}</h2><figure>{}<figcaption><ul class=\"legend\">{legend}</ul></figcaption></figure>",
            esc(title),
            map.svg.unwrap()
        ));
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Map sample</title><style>\
         body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;color:#222}}\
         figure{{margin:0 0 2rem}} .map{{display:block;border:1px solid #bbb}}\
         ul.legend{{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;font-size:.9rem}}\
         ul.legend li{{display:flex;align-items:center;gap:.4rem}}\
         </style></head><body><h1>Map sample</h1>{body}</body></html>\n"
    );
    let path = std::env::var_os("CASEFILE_MAP_SAMPLE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("casefile-map-sample.html"));
    std::fs::write(&path, html).unwrap();
}
