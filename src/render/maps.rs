//! Which incidents a page's map shows, and the `MapView` templates get: the points
//! of one incident list (the site's, a group's, a weapon type's or a country's) with
//! coordinates, drawn by `map`, and the incidents it could not place, counted and
//! listed under it (never put at 0, 0).

use super::lists::ListOf;
use super::map::{self, MapOptions, MapPoint};
use super::pages::{Ctx, SUMMARY_ROWS};
use super::views::{LegendItem, Link, MapView};
use crate::model::entity::{IncidentId, LocationPrecision};

/// Dots (places) drawn on one map at most, newest first: about 370 bytes each, so a
/// map stays well under the page budget however many incidents the page covers.
/// Incidents at the same place share one dot. The GeoJSON export holds every located
/// incident.
pub const MAX_DOTS: usize = 300;

/// The map of the incidents of `of`, or `None` when maps are off or no incident in
/// it has coordinates (the unplaced ones are then only counted on the lists).
pub fn incident_map(cx: &Ctx, id: &str, of: ListOf) -> Option<MapView> {
    let site = cx.site;
    if !site.config.views.map {
        return None;
    }
    // One dot per place (same coordinates and precision): its newest incident, and
    // how many more are there. Places in order of their newest incident.
    let mut points: Vec<(IncidentId, MapPoint, usize)> = Vec::new();
    let mut at: std::collections::HashMap<(u64, u64, Option<LocationPrecision>), usize> =
        std::collections::HashMap::new();
    let mut unplaced: Vec<IncidentId> = Vec::new();
    let mut not_drawn = 0usize;
    for iid in of.ids(site).rev() {
        let inc = site.incident(iid);
        let loc = inc.location.as_ref();
        let Some((lat, lon)) = loc.and_then(|l| Some((l.lat?, l.lon?))) else {
            unplaced.push(iid);
            continue;
        };
        let precision = loc.and_then(|l| l.precision);
        let key = (lat.to_bits(), lon.to_bits(), precision);
        if let Some(k) = at.get(&key) {
            points[*k].2 += 1;
            continue;
        }
        if points.len() >= MAX_DOTS {
            not_drawn += 1;
            continue;
        }
        at.insert(key, points.len());
        let row = &cx.rows[iid.0 as usize];
        points.push((
            iid,
            MapPoint {
                lat,
                lon,
                precision,
                url: row.url.clone(),
                title: format!(
                    "{} ({}, {})",
                    inc.title,
                    row.date,
                    row.confidence.label.to_lowercase()
                ),
                country: loc.and_then(|l| l.country.clone()),
            },
            1,
        ));
    }
    for (_, p, n) in &mut points {
        if *n > 1 {
            p.title = format!(
                "{}; and {} older incident{} at this place",
                p.title,
                *n - 1,
                if *n == 2 { "" } else { "s" }
            );
        }
    }
    if points.is_empty() {
        return None;
    }
    let scope = match of {
        ListOf::All => String::new(),
        ListOf::Group(i) => format!(" involving {}", site.groups[i].display_name()),
        ListOf::Weapon(i) => format!(" with {}", site.weapons[i].name),
        ListOf::Country(i) => format!(" in {}", site.graph.countries[i].label),
        ListOf::Tag(i) => format!(" tagged {}", site.graph.tags[i].label),
    };
    let opts = MapOptions {
        id_prefix: id.into(),
        title: format!("Map of incidents{scope}"),
        show_countries: match of {
            ListOf::Country(i) => vec![site.graph.countries[i].label.clone()],
            _ => Vec::new(),
        },
        ..MapOptions::default()
    };
    let only: Vec<MapPoint> = points.iter().map(|(_, p, _)| p.clone()).collect();
    let drawn = map::map_svg(&only, &opts);
    let svg = drawn.svg?;
    // Points the map could not draw (coordinates out of range, 0,0) join the unplaced.
    for o in &drawn.omitted {
        if let Some((iid, _, _)) = points.get(o.index) {
            unplaced.push(*iid);
        }
    }
    unplaced.sort_unstable_by(|a, b| b.cmp(a));
    let places = drawn.dots.len();
    let placed: usize = drawn
        .dots
        .iter()
        .map(|d| points.get(d.index).map_or(0, |p| p.2))
        .sum();
    Some(MapView {
        id: id.into(),
        svg,
        placed,
        places,
        not_drawn,
        unplaced: unplaced.len(),
        unplaced_rows: unplaced
            .iter()
            .take(SUMMARY_ROWS)
            .map(|iid| {
                let row = &cx.rows[iid.0 as usize];
                Link {
                    url: row.url.clone(),
                    label: format!("{} ({})", row.title, row.date),
                }
            })
            .collect(),
        geojson: format!("{}data/incidents.geojson", cx.root()),
        legend: drawn
            .legend
            .into_iter()
            .map(|l| LegendItem {
                class: l.class,
                label: l.label,
                count: l.count,
                swatch: l.swatch,
            })
            .collect(),
    })
}
