//! Data exports for analysts: `data/incidents.json`, `data/incidents.csv` (one row per
//! incident, ACLED-like columns), `data/groups.json` and `data/weapons.json`. Keys and
//! rows are in a fixed order; text cells that a spreadsheet would run as a formula are
//! prefixed with `'`.

use super::pages::Ctx;
use crate::model::Site;
use crate::model::entity::*;
use crate::model::urls;
use serde_json::{Value, json};

pub fn all(cx: &Ctx) -> Vec<(String, Vec<u8>)> {
    let site = cx.site;
    vec![
        ("data/incidents.json".into(), pretty(&incidents_json(cx))),
        ("data/incidents.csv".into(), incidents_csv(site)),
        ("data/groups.json".into(), pretty(&groups_json(site))),
        ("data/weapons.json".into(), pretty(&weapons_json(site))),
    ]
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn abs(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_url, path)
}

fn incidents_json(cx: &Ctx) -> Value {
    let site = cx.site;
    let items: Vec<Value> = site
        .incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| {
            json!({
                "id": inc.slug,
                "url": abs(site, &urls::incident(&inc.slug)),
                "title": inc.title,
                "date": inc.date.date.iso(),
                "date_end": inc.date.end.map(|e| e.iso()),
                "date_precision": inc.date.precision.as_str(),
                "date_label": inc.date.label(),
                "confidence": inc.confidence.as_str(),
                "event_type": inc.event_type.map(|e| e.as_str()),
                "summary": cx.rows[i].summary,
                "location": inc.location.as_ref().map(|l| json!({
                    "name": l.name, "admin3": l.admin3, "admin2": l.admin2, "admin1": l.admin1,
                    "country": l.country, "lat": l.lat, "lon": l.lon, "precision": l.precision.map(|p| p.as_str()),
                })),
                "groups": inc.groups.iter().map(|g| json!({
                    "id": site.group(g.group).id, "name": site.group(g.group).name,
                    "role": g.role.as_str(), "attribution": g.attribution.map(|a| a.as_str()),
                })).collect::<Vec<_>>(),
                "weapons": inc.weapons.iter().map(|o| observation_json(site, o)).collect::<Vec<_>>(),
                "fatalities": inc.fatalities.map(|f| json!({"best": f.best, "low": f.low, "high": f.high})),
                "sources": inc.sources.iter().map(|s| json!({
                    "title": s.title, "url": s.url, "publisher": s.publisher, "date": s.date.map(|d| d.iso()),
                    "kind": s.kind.map(|k| k.as_str()), "reliability": s.reliability.map(|r| r.as_str()),
                })).collect::<Vec<_>>(),
                "tags": inc.tags,
                "updated": inc.updated.map(|u| u.iso()),
            })
        })
        .collect();
    Value::Array(items)
}

fn observation_json(site: &Site, o: &Observation) -> Value {
    let w = site.weapon(o.weapon);
    json!({
        "id": w.id, "name": w.name, "category": w.category.name,
        "status": o.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "quantity": o.quantity,
        "from": o.from.map(|g| site.group(g).id.clone()),
        "to": o.to.map(|g| site.group(g).id.clone()),
        "origin": o.origin.clone().or_else(|| w.origin.clone()),
        "identification": o.identification.map(|i| i.as_str()),
        "evidence": o.evidence, "note": o.note,
    })
}

fn groups_json(site: &Site) -> Value {
    let g = &site.graph;
    Value::Array(
        site.groups
            .iter()
            .enumerate()
            .map(|(i, grp)| {
                json!({
                    "id": grp.id, "url": abs(site, &urls::group(&grp.id)), "name": grp.name, "short_name": grp.short_name,
                    "aliases": grp.aliases,
                    "former_names": grp.former_names.iter().map(|f| json!({"name": f.name, "from": f.from.map(|d| d.iso()), "to": f.to.map(|d| d.iso())})).collect::<Vec<_>>(),
                    "actor_type": grp.actor_type.map(|a| a.as_str()),
                    "parent": grp.parent.map(|p| site.group(p).id.clone()),
                    "founded": grp.founded.map(|d| d.iso()),
                    "countries": grp.countries,
                    "incident_count": g.group_incidents[i].len(),
                    "weapons": g.group_weapons[i].iter().map(|p| json!({"id": site.weapon(p.other).id, "incidents": p.incidents})).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn weapons_json(site: &Site) -> Value {
    let g = &site.graph;
    Value::Array(
        site.weapons
            .iter()
            .enumerate()
            .map(|(i, w)| {
                json!({
                    "id": w.id, "url": abs(site, &urls::weapon(&w.id)), "name": w.name, "category": w.category.name,
                    "manufacturer": w.manufacturer, "origin": w.origin, "calibre": w.calibre, "family": w.family,
                    "parent": w.parent.map(|p| site.weapon(p).id.clone()),
                    "ammunition": w.ammunition.iter().map(|a| site.weapon(*a).id.clone()).collect::<Vec<_>>(),
                    "aliases": w.aliases,
                    "incident_count": g.weapon_incidents[i].len(),
                    "statuses": g.weapon_statuses[i].iter().map(|(s, n, q)| json!({"status": s.as_str(), "incidents": n, "quantity": q})).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

const CSV_HEADER: &[&str] = &[
    "id",
    "title",
    "date",
    "date_end",
    "date_precision",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "lat",
    "lon",
    "location_precision",
    "event_type",
    "attackers",
    "targets",
    "participants",
    "claimants",
    "victims",
    "weapons",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "confidence",
    "sources",
    "tags",
    "url",
];

fn incidents_csv(site: &Site) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(CSV_HEADER);
    for inc in &site.incidents {
        let _ = w.write_record(csv_row(site, inc));
    }
    w.into_inner().unwrap_or_default()
}

fn csv_row(site: &Site, inc: &Incident) -> Vec<String> {
    let l = inc.location.as_ref();
    let loc =
        |f: fn(&Location) -> Option<&String>| text(l.and_then(f).map(String::as_str).unwrap_or(""));
    let by_role = |r: Role| {
        text(
            &inc.groups
                .iter()
                .filter(|g| g.role == r)
                .map(|g| site.group(g.group).id.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let weapons = inc
        .weapons
        .iter()
        .map(|o| {
            format!(
                "{}:{}",
                site.weapon(o.weapon).id,
                o.statuses
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let f = inc.fatalities;
    vec![
        inc.slug.clone(),
        text(&inc.title),
        inc.date.date.iso(),
        inc.date.end.map(|e| e.iso()).unwrap_or_default(),
        inc.date.precision.as_str().into(),
        loc(|l| l.country.as_ref()),
        loc(|l| l.admin1.as_ref()),
        loc(|l| l.admin2.as_ref()),
        loc(|l| l.admin3.as_ref()),
        loc(|l| l.name.as_ref()),
        l.and_then(|l| l.lat)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        l.and_then(|l| l.lon)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        l.and_then(|l| l.precision)
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        inc.event_type
            .map(|e| e.as_str().to_string())
            .unwrap_or_default(),
        by_role(Role::Attacker),
        by_role(Role::Target),
        by_role(Role::Participant),
        by_role(Role::Claimant),
        by_role(Role::Victim),
        text(&weapons),
        num(f.and_then(|f| f.best)),
        num(f.and_then(|f| f.low)),
        num(f.and_then(|f| f.high)),
        inc.confidence.as_str().into(),
        text(
            &inc.sources
                .iter()
                .filter_map(|s| s.url.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        text(&inc.tags.join("; ")),
        abs(site, &urls::incident(&inc.slug)),
    ]
}

/// A text cell, defused against spreadsheet formula injection.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}
