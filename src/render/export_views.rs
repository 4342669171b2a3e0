//! The numbers behind the views, as data a researcher can redo every picture from:
//! `data/incidents.geojson` (RFC 7946, one Feature per incident with coordinates),
//! `data/monthly.csv|json` (incidents per month: the site, each group, weapon type and
//! country), `data/matrix-categories.csv|json`, `data/matrix-origins.csv|json` and
//! `data/custody.csv|json`. The same counting functions (`model::stats`) feed the pages.

use super::lists::ListOf;
use super::pages::Ctx;
use crate::model::Site;
use crate::model::entity::*;
use crate::model::stats::{self, Matrix};
use crate::model::urls;
use serde::Serialize;

/// One incident's GeoJSON Feature, or `None` without coordinates. Coordinates are
/// `[lon, lat]` as RFC 7946 orders them.
pub fn feature(site: &Site, inc: &Incident) -> Option<Vec<u8>> {
    let loc = inc.location.as_ref()?;
    let (lat, lon) = (loc.lat?, loc.lon?);
    let f = Feature {
        kind: "Feature",
        id: &inc.slug,
        geometry: Point {
            kind: "Point",
            coordinates: [lon, lat],
        },
        properties: Properties {
            title: &inc.title,
            url: format!("{}{}", site.config.base_url, urls::incident(&inc.slug)),
            date: inc.date.date.iso(),
            date_end: inc.date.end.map(|d| d.iso()),
            date_precision: inc.date.precision.as_str(),
            confidence: inc.confidence.as_str(),
            event_type: inc.event_type.map(|e| e.as_str()),
            place: loc.name.as_deref(),
            admin1: loc.admin1.as_deref(),
            admin2: loc.admin2.as_deref(),
            country: loc.country.as_deref(),
            location_precision: loc.precision.map(|p| p.as_str()),
            groups: inc
                .groups
                .iter()
                .map(|g| site.group(g.group).id.as_str())
                .collect(),
            weapons: inc
                .weapons
                .iter()
                .map(|o| site.weapon(o.weapon).id.as_str())
                .collect(),
            fatalities: inc.fatalities.and_then(|f| f.best),
        },
    };
    serde_json::to_vec(&f).ok()
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Point,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Properties<'a> {
    title: &'a str,
    url: String,
    date: String,
    date_end: Option<String>,
    date_precision: &'static str,
    confidence: &'static str,
    event_type: Option<&'static str>,
    place: Option<&'a str>,
    admin1: Option<&'a str>,
    admin2: Option<&'a str>,
    country: Option<&'a str>,
    location_precision: Option<&'static str>,
    groups: Vec<&'a str>,
    weapons: Vec<&'a str>,
    fatalities: Option<u64>,
}

#[derive(Serialize)]
struct MonthRecord<'a> {
    scope: &'static str,
    id: &'a str,
    /// `2024-03`, or `2024` for incidents dated to the year only.
    month: String,
    incidents: u32,
}

/// Every file of this module but the GeoJSON (made from the preview's kept features).
pub fn files(cx: &Ctx) -> Vec<(String, Vec<u8>)> {
    let site = cx.site;
    let views = site.config.views;
    let mut out = Vec::new();
    if views.charts || views.timeline {
        let records = monthly_records(site);
        out.push(("data/monthly.csv".into(), csv_of(&records)));
        out.push(("data/monthly.json".into(), pretty(&records)));
    }
    if views.matrix {
        let (cats, origins) = cx.matrices();
        let cat_cols: Vec<(&str, &str)> = site
            .graph
            .categories
            .iter()
            .map(|(c, _)| (c.slug.as_str(), c.name.as_str()))
            .collect();
        let origin_cols: Vec<(&str, &str)> = site
            .graph
            .origins
            .iter()
            .map(|t| (t.slug.as_str(), t.label.as_str()))
            .collect();
        for (name, m, cols) in [
            ("categories", cats, cat_cols),
            ("origins", origins, origin_cols),
        ] {
            out.push((
                format!("data/matrix-{name}.csv"),
                matrix_csv(site, m, &cols),
            ));
            out.push((
                format!("data/matrix-{name}.json"),
                matrix_json(site, m, &cols),
            ));
        }
        let records = |defuse| -> Vec<FlowRecord> {
            cx.flows
                .iter()
                .map(|f| flow_record(site, f, defuse))
                .collect()
        };
        out.push(("data/custody.csv".into(), csv_of(&records(true))));
        out.push(("data/custody.json".into(), pretty(&records(false))));
    }
    out
}

fn monthly_records(site: &Site) -> Vec<MonthRecord<'_>> {
    let mut out = Vec::new();
    let g = &site.graph;
    let scopes = std::iter::once((ListOf::All, "site", ""))
        .chain(
            site.groups
                .iter()
                .enumerate()
                .map(|(i, x)| (ListOf::Group(i), "group", x.id.as_str())),
        )
        .chain(
            site.weapons
                .iter()
                .enumerate()
                .map(|(i, x)| (ListOf::Weapon(i), "weapon", x.id.as_str())),
        )
        .chain(
            g.countries
                .iter()
                .enumerate()
                .map(|(i, t)| (ListOf::Country(i), "country", t.slug.as_str())),
        );
    for (of, scope, id) in scopes {
        let m = stats::monthly(site, of.ids(site));
        out.extend(m.year_only.iter().map(|(y, n)| MonthRecord {
            scope,
            id,
            month: y.to_string(),
            incidents: *n,
        }));
        out.extend(
            m.months
                .iter()
                .filter(|x| x.2 > 0)
                .map(|(y, mo, n)| MonthRecord {
                    scope,
                    id,
                    month: format!("{y:04}-{mo:02}"),
                    incidents: *n,
                }),
        );
    }
    out
}

fn matrix_csv(site: &Site, m: &Matrix, cols: &[(&str, &str)]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["group".to_string(), "group_name".to_string()];
    header.extend(cols.iter().map(|c| c.0.to_string()));
    header.push("any".into());
    let _ = w.write_record(&header);
    for r in &m.rows {
        let g = site.group(r.group);
        let mut rec = vec![g.id.clone(), super::export::text(&g.name)];
        rec.extend(r.cells.iter().map(|c| c.to_string()));
        rec.push(r.total.to_string());
        let _ = w.write_record(&rec);
    }
    let mut totals = vec![String::new(), "All groups".to_string()];
    totals.extend(m.column_totals.iter().map(|c| c.to_string()));
    totals.push(m.total.to_string());
    let _ = w.write_record(&totals);
    w.into_inner().unwrap_or_default()
}

#[derive(Serialize)]
struct MatrixRecord<'a> {
    columns: Vec<Column<'a>>,
    rows: Vec<RowRecord<'a>>,
    column_totals: &'a [u32],
    total: u32,
    note: &'static str,
}

#[derive(Serialize)]
struct Column<'a> {
    id: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct RowRecord<'a> {
    group: &'a str,
    name: &'a str,
    cells: &'a [u32],
    total: u32,
}

fn matrix_json(site: &Site, m: &Matrix, cols: &[(&str, &str)]) -> Vec<u8> {
    pretty(&MatrixRecord {
        columns: cols
            .iter()
            .map(|(id, label)| Column { id, label })
            .collect(),
        rows: m
            .rows
            .iter()
            .map(|r| {
                let g = site.group(r.group);
                RowRecord {
                    group: &g.id,
                    name: &g.name,
                    cells: &r.cells,
                    total: r.total,
                }
            })
            .collect(),
        column_totals: &m.column_totals,
        total: m.total,
        note: "Each cell counts incidents in which the group is documented with a weapon of that column; an incident with weapons in two columns counts in both, so totals count distinct incidents.",
    })
}

#[derive(Serialize)]
struct FlowRecord<'a> {
    from: &'a str,
    from_name: String,
    to: &'a str,
    to_name: String,
    incidents: u32,
    quantity: u64,
    /// `weapon-id:incidents`, separated by `;`.
    weapons: String,
}

/// `defuse`: for CSV, names a spreadsheet would run as formulas are prefixed.
fn flow_record<'a>(site: &'a Site, f: &stats::Flow, defuse: bool) -> FlowRecord<'a> {
    let (from, to) = (site.group(f.from), site.group(f.to));
    let name = |n: &str| {
        if defuse {
            super::export::text(n)
        } else {
            n.to_string()
        }
    };
    FlowRecord {
        from: &from.id,
        from_name: name(&from.name),
        to: &to.id,
        to_name: name(&to.name),
        incidents: f.incidents,
        quantity: f.quantity,
        weapons: f
            .weapons
            .iter()
            .map(|(w, n)| format!("{}:{n}", site.weapon(*w).id))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

fn csv_of<T: Serialize>(records: &[T]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in records {
        let _ = w.serialize(r);
    }
    w.into_inner().unwrap_or_default()
}

fn pretty<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}
