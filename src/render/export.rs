//! Data exports for analysts: `data/incidents.json`, `data/incidents.csv` (one row per
//! incident, ACLED-like columns), `data/groups.json` and `data/weapons.json`, and the
//! views' data (`export_views`). Keys and
//! rows are in a fixed order; text cells that a spreadsheet would run as a formula are
//! prefixed with `'`.

use super::pages::Ctx;
use super::search;
use crate::model::Site;
use crate::model::entity::*;
use crate::model::urls;
use serde::Serialize;

/// Each incident's entry in `incidents.json` and its row in `incidents.csv`, made one
/// by one (in parallel) and joined by `all`: the preview keeps them, so that after an
/// edit only the edited incident's entry is made again.
#[derive(Default)]
pub struct IncidentEntries {
    json: Vec<Vec<u8>>,
    csv: Vec<Vec<u8>>,
    /// GeoJSON Features (`export_views::feature`), `None` without coordinates.
    features: Vec<Option<Vec<u8>>>,
    /// Each incident's search words (`None` with search off).
    search: Option<search::Kept>,
    /// Each incident's row of the filters' data (empty with filters off).
    facets: Vec<String>,
}

impl IncidentEntries {
    /// Every incident's entries and search words.
    pub fn of(cx: &Ctx) -> IncidentEntries {
        use rayon::prelude::*;
        let search = cx.site.config.views.search.then(|| search::Kept::new(cx));
        let (json, (csv, features)) = (0..cx.site.incidents.len())
            .into_par_iter()
            .map(|i| {
                let (j, c, f) = entry(cx, i);
                (j, (c, f))
            })
            .unzip();
        let facets = if cx.site.config.views.filters {
            search::facet_rows(cx.site)
        } else {
            Vec::new()
        };
        IncidentEntries {
            json,
            csv,
            features,
            search,
            facets,
        }
    }

    /// Incident `from` moved to `to` (ids after the edit) and changed: make its entry
    /// again, the others keep theirs.
    pub fn moved(&mut self, cx: &Ctx, from: usize, to: usize) {
        let (json, csv, feature) = entry(cx, to);
        self.json.remove(from);
        self.json.insert(to, json);
        self.csv.remove(from);
        self.csv.insert(to, csv);
        self.features.remove(from);
        self.features.insert(to, feature);
        if let Some(kept) = &mut self.search {
            kept.moved(cx, from, to);
        }
        if cx.site.config.views.filters && self.facets.len() == cx.site.incidents.len() {
            self.facets.remove(from);
            self.facets.insert(to, search::facet_row(cx.site, to));
        }
    }

    /// Incident `i`'s text changed, nothing else: tokenise it again.
    pub fn retext(&mut self, cx: &Ctx, i: usize) {
        if let Some(kept) = &mut self.search {
            kept.retext(cx, i);
        }
    }

    /// A free page's text changed: the search index is made again from what is kept.
    pub fn repage(&mut self, cx: &Ctx) {
        if let Some(kept) = &mut self.search {
            kept.remake(cx);
        }
    }

    /// The kept search index, if any.
    pub fn search(&self) -> Option<&search::Kept> {
        self.search.as_ref()
    }
}

/// Incident `i`'s JSON object, indented as an element of the pretty-printed array
/// (`JsonArray`), its CSV row and its GeoJSON Feature.
fn entry(cx: &Ctx, i: usize) -> (Vec<u8>, Vec<u8>, Option<Vec<u8>>) {
    (json_entry(cx, i), csv_entry(cx, i), feature_entry(cx, i))
}

fn json_entry(cx: &Ctx, i: usize) -> Vec<u8> {
    let inc = &cx.site.incidents[i];
    indented(&serde_json::to_vec_pretty(&incident_record(cx, i, inc)).unwrap_or_default())
}

fn csv_entry(cx: &Ctx, i: usize) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(csv_row(cx, &cx.site.incidents[i]));
    w.into_inner().unwrap_or_default()
}

fn feature_entry(cx: &Ctx, i: usize) -> Option<Vec<u8>> {
    super::export_views::feature(cx.site, &cx.site.incidents[i])
}

/// Incidents per chunk when a build makes an export file without kept entries.
const CHUNK: usize = 1024;

/// `make` for every incident in order, made in parallel a chunk at a time and handed
/// to `take` in order: only one chunk's entries are held apart from the file.
fn chunked<T: Send>(cx: &Ctx, make: impl Fn(&Ctx, usize) -> T + Sync, mut take: impl FnMut(T)) {
    use rayon::prelude::*;
    let n = cx.site.incidents.len();
    for start in (0..n).step_by(CHUNK) {
        let part: Vec<T> = (start..(start + CHUNK).min(n))
            .into_par_iter()
            .map(|i| make(cx, i))
            .collect();
        part.into_iter().for_each(&mut take);
    }
}

/// `data/incidents.json`, from the kept entries or made a chunk at a time.
fn incidents_json(cx: &Ctx, entries: Option<&IncidentEntries>) -> Vec<u8> {
    let mut json = JsonArray::default();
    match entries {
        Some(e) => e.json.iter().for_each(|j| json.push(j)),
        None => chunked(cx, json_entry, |j| json.push(&j)),
    }
    json.finish()
}

/// `data/incidents.csv`, likewise.
fn incidents_csv(cx: &Ctx, entries: Option<&IncidentEntries>) -> Vec<u8> {
    let mut csv = csv_head();
    match entries {
        Some(e) => e.csv.iter().for_each(|c| csv.extend_from_slice(c)),
        None => chunked(cx, csv_entry, |c| csv.extend_from_slice(&c)),
    }
    csv
}

/// `data/incidents.geojson`, likewise.
fn incidents_geojson(cx: &Ctx, entries: Option<&IncidentEntries>) -> Vec<u8> {
    let mut features = Features::default();
    match entries {
        Some(e) => e.features.iter().flatten().for_each(|f| features.push(f)),
        None => chunked(cx, feature_entry, |f| {
            f.iter().for_each(|f| features.push(f))
        }),
    }
    features.finish()
}

/// A pretty-printed JSON value one level deeper: two spaces after every newline (JSON
/// strings hold no raw newline, so this never changes a string).
fn indented(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 8);
    for line in json.split_inclusive(|b| *b == b'\n') {
        out.extend_from_slice(line);
        if line.ends_with(b"\n") {
            out.extend_from_slice(b"  ");
        }
    }
    out
}

/// Every export file, in memory (the preview keeps them).
pub fn all(cx: &Ctx, entries: &IncidentEntries) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let _ = each::<std::convert::Infallible>(cx, Some(entries), None, &mut |path, bytes| {
        files.push((path, bytes));
        Ok(())
    });
    files
}

/// Every export file, each handed to `emit` as soon as it is made, so that a build
/// that writes them at once never holds them all (`data/incidents.json` alone is
/// about 3 KB per incident). Without kept `entries` (a build), each incident file is
/// made a chunk of incidents at a time, and the search index tokenises as it goes
/// (or is finished from the words render `gathered`).
/// `gathered`: the search index's words, when render gathered them with the bodies.
/// Stops at the first error of `emit`.
pub fn each<E>(
    cx: &Ctx,
    entries: Option<&IncidentEntries>,
    gathered: Option<search::Gathering>,
    emit: &mut dyn FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let site = cx.site;
    let groups: Vec<GroupRecord> = site
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| group_record(site, i, g))
        .collect();
    let weapons: Vec<WeaponRecord> = site
        .weapons
        .iter()
        .enumerate()
        .map(|(i, w)| weapon_record(site, i, w))
        .collect();
    // One file at a time, each handed on before the next is made.
    emit("data/incidents.json".into(), incidents_json(cx, entries))?;
    emit("data/incidents.csv".into(), incidents_csv(cx, entries))?;
    emit(
        "data/incidents.geojson".into(),
        incidents_geojson(cx, entries),
    )?;
    emit("data/groups.json".into(), pretty(&groups))?;
    emit("data/weapons.json".into(), pretty(&weapons))?;
    for (path, bytes) in super::export_views::files(cx) {
        emit(path, bytes)?;
    }
    // Without kept rows, the filters' data makes its own.
    let rows = entries
        .map(|e| e.facets.as_slice())
        .filter(|rows| rows.len() == site.incidents.len());
    for (path, bytes) in search::files(
        cx,
        entries.and_then(IncidentEntries::search),
        gathered,
        rows,
    ) {
        emit(path, bytes)?;
    }
    Ok(())
}

/// The CSV header line.
fn csv_head() -> Vec<u8> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    let _ = csv.write_record(CSV_HEADER);
    csv.into_inner().unwrap_or_default()
}

/// A JSON array being joined from elements `indented` made: what `pretty` gives for
/// the array of their values.
#[derive(Default)]
struct JsonArray(Vec<u8>);

impl JsonArray {
    fn push(&mut self, element: &[u8]) {
        self.0.extend_from_slice(if self.0.is_empty() {
            b"[\n  "
        } else {
            b",\n  "
        });
        self.0.extend_from_slice(element);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.0.is_empty() {
            return b"[]\n".to_vec();
        }
        self.0.extend_from_slice(b"\n]\n");
        self.0
    }
}

/// The GeoJSON FeatureCollection being joined from `export_views::feature`s.
#[derive(Default)]
struct Features(Vec<u8>);

impl Features {
    fn push(&mut self, feature: &[u8]) {
        if self.0.is_empty() {
            self.0
                .extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
        } else {
            self.0.extend_from_slice(b",\n");
        }
        self.0.extend_from_slice(feature);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.0.is_empty() {
            self.0
                .extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[");
        }
        self.0.extend_from_slice(b"\n]}\n");
        self.0
    }
}

fn pretty<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn abs(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_url, path)
}

#[derive(Serialize)]
struct IncidentRecord<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    date: String,
    date_end: Option<String>,
    date_precision: &'static str,
    date_label: String,
    confidence: &'static str,
    event_type: Option<&'static str>,
    summary: Option<&'a str>,
    location: Option<LocationRecord<'a>>,
    groups: Vec<GroupRole<'a>>,
    weapons: Vec<ObservationRecord<'a>>,
    fatalities: Option<FatalitiesRecord>,
    sources: Vec<SourceRecord<'a>>,
    tags: &'a [String],
    updated: Option<String>,
    /// `casefile import`'s record of the data set row: `{source, id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<ImportRecord<'a>>,
    /// Its images, but the sensitive ones.
    media: Vec<MediaRecord<'a>>,
}

#[derive(Serialize)]
struct MediaRecord<'a> {
    /// The widest copy published in the file's own format.
    url: String,
    width: u32,
    height: u32,
    #[serde(rename = "type")]
    mime: &'static str,
    alt: &'a str,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
    date: Option<String>,
    source: Option<&'a str>,
    shows: Vec<&'a str>,
}

/// The records of an incident's images that may be shown anywhere (not sensitive).
fn media_records<'a>(cx: &'a Ctx, inc: &'a Incident) -> Vec<MediaRecord<'a>> {
    let site = cx.site;
    inc.media
        .iter()
        .filter(|m| !m.sensitive)
        .filter_map(|m| {
            let w = cx.media.widest(&m.file)?;
            Some(MediaRecord {
                url: abs(site, &w.path),
                width: w.width,
                height: w.height,
                mime: w.mime,
                alt: &m.alt,
                caption: m.caption.as_deref(),
                credit: m.credit.as_deref(),
                date: m.date.map(|d| d.iso()),
                source: m.source.as_deref(),
                shows: m
                    .shows
                    .iter()
                    .map(|w| site.weapon(*w).id.as_str())
                    .collect(),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct ImportRecord<'a> {
    source: &'a str,
    id: &'a str,
}

#[derive(Serialize)]
struct LocationRecord<'a> {
    name: Option<&'a str>,
    admin3: Option<&'a str>,
    admin2: Option<&'a str>,
    admin1: Option<&'a str>,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    precision: Option<&'static str>,
}

#[derive(Serialize)]
struct GroupRole<'a> {
    id: &'a str,
    name: &'a str,
    role: &'static str,
    attribution: Option<&'static str>,
}

#[derive(Serialize)]
struct ObservationRecord<'a> {
    id: &'a str,
    name: &'a str,
    category: &'a str,
    status: Vec<&'static str>,
    quantity: Option<u64>,
    from: Option<&'a str>,
    to: Option<&'a str>,
    origin: Option<&'a str>,
    identification: Option<&'static str>,
    evidence: &'a [String],
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct FatalitiesRecord {
    best: Option<u64>,
    low: Option<u64>,
    high: Option<u64>,
}

#[derive(Serialize)]
struct SourceRecord<'a> {
    title: Option<&'a str>,
    url: Option<&'a str>,
    publisher: Option<&'a str>,
    date: Option<String>,
    kind: Option<&'static str>,
    reliability: Option<&'static str>,
}

fn incident_record<'a>(cx: &'a Ctx, i: usize, inc: &'a Incident) -> IncidentRecord<'a> {
    let site = cx.site;
    IncidentRecord {
        id: &inc.slug,
        url: abs(site, &urls::incident(&inc.slug)),
        title: &inc.title,
        date: inc.date.date.iso(),
        date_end: inc.date.end.map(|e| e.iso()),
        date_precision: inc.date.precision.as_str(),
        date_label: inc.date.label(),
        confidence: inc.confidence.as_str(),
        event_type: inc.event_type.map(|e| e.as_str()),
        summary: cx.rows[i].summary.as_deref(),
        location: inc.location.as_ref().map(|l| LocationRecord {
            name: l.name.as_deref(),
            admin3: l.admin3.as_deref(),
            admin2: l.admin2.as_deref(),
            admin1: l.admin1.as_deref(),
            country: l.country.as_deref(),
            lat: l.lat,
            lon: l.lon,
            precision: l.precision.map(|p| p.as_str()),
        }),
        groups: inc
            .groups
            .iter()
            .map(|g| GroupRole {
                id: &site.group(g.group).id,
                name: &site.group(g.group).name,
                role: g.role.as_str(),
                attribution: g.attribution.map(|a| a.as_str()),
            })
            .collect(),
        weapons: inc
            .weapons
            .iter()
            .map(|o| observation_record(site, o))
            .collect(),
        fatalities: inc.fatalities.map(|f| FatalitiesRecord {
            best: f.best,
            low: f.low,
            high: f.high,
        }),
        sources: inc
            .sources
            .iter()
            .map(|s| SourceRecord {
                title: s.title.as_deref(),
                url: s.url.as_deref(),
                publisher: s.publisher.as_deref(),
                date: s.date.map(|d| d.iso()),
                kind: s.kind.map(|k| k.as_str()),
                reliability: s.reliability.map(|r| r.as_str()),
            })
            .collect(),
        tags: &inc.tags,
        updated: inc.updated.map(|u| u.iso()),
        import: inc.import.as_ref().map(|m| ImportRecord {
            source: &m.source,
            id: &m.id,
        }),
        media: media_records(cx, inc),
    }
}

fn observation_record<'a>(site: &'a Site, o: &'a Observation) -> ObservationRecord<'a> {
    let w = site.weapon(o.weapon);
    ObservationRecord {
        id: &w.id,
        name: &w.name,
        category: &w.category.name,
        status: o.statuses.iter().map(|s| s.as_str()).collect(),
        quantity: o.quantity,
        from: o.from.map(|g| site.group(g).id.as_str()),
        to: o.to.map(|g| site.group(g).id.as_str()),
        origin: o.origin.as_deref().or(w.origin.as_deref()),
        identification: o.identification.map(|i| i.as_str()),
        evidence: &o.evidence,
        note: o.note.as_deref(),
    }
}

#[derive(Serialize)]
struct GroupRecord<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    short_name: Option<&'a str>,
    aliases: &'a [String],
    former_names: Vec<FormerNameRecord<'a>>,
    actor_type: Option<&'static str>,
    parent: Option<&'a str>,
    founded: Option<String>,
    countries: &'a [String],
    incident_count: usize,
    weapons: Vec<Seen<'a>>,
}

#[derive(Serialize)]
struct FormerNameRecord<'a> {
    name: &'a str,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct Seen<'a> {
    id: &'a str,
    incidents: u32,
}

fn group_record<'a>(site: &'a Site, i: usize, grp: &'a Group) -> GroupRecord<'a> {
    let g = &site.graph;
    GroupRecord {
        id: &grp.id,
        url: abs(site, &urls::group(&grp.id)),
        name: &grp.name,
        short_name: grp.short_name.as_deref(),
        aliases: &grp.aliases,
        former_names: grp
            .former_names
            .iter()
            .map(|f| FormerNameRecord {
                name: &f.name,
                from: f.from.map(|d| d.iso()),
                to: f.to.map(|d| d.iso()),
            })
            .collect(),
        actor_type: grp.actor_type.map(|a| a.as_str()),
        parent: grp.parent.map(|p| site.group(p).id.as_str()),
        founded: grp.founded.map(|d| d.iso()),
        countries: &grp.countries,
        incident_count: g.group_incidents[i].len(),
        weapons: g.group_weapons[i]
            .iter()
            .map(|p| Seen {
                id: &site.weapon(p.other).id,
                incidents: p.incidents,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct WeaponRecord<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    category: &'a str,
    manufacturer: Option<&'a str>,
    origin: Option<&'a str>,
    calibre: Option<&'a str>,
    family: Option<&'a str>,
    parent: Option<&'a str>,
    ammunition: Vec<&'a str>,
    aliases: &'a [String],
    incident_count: usize,
    statuses: Vec<StatusRecord>,
}

#[derive(Serialize)]
struct StatusRecord {
    status: &'static str,
    incidents: u32,
    quantity: u64,
}

fn weapon_record<'a>(site: &'a Site, i: usize, w: &'a Weapon) -> WeaponRecord<'a> {
    let g = &site.graph;
    WeaponRecord {
        id: &w.id,
        url: abs(site, &urls::weapon(&w.id)),
        name: &w.name,
        category: &w.category.name,
        manufacturer: w.manufacturer.as_deref(),
        origin: w.origin.as_deref(),
        calibre: w.calibre.as_deref(),
        family: w.family.as_deref(),
        parent: w.parent.map(|p| site.weapon(p).id.as_str()),
        ammunition: w
            .ammunition
            .iter()
            .map(|a| site.weapon(*a).id.as_str())
            .collect(),
        aliases: &w.aliases,
        incident_count: g.weapon_incidents[i].len(),
        statuses: g.weapon_statuses[i]
            .iter()
            .map(|(s, n, q)| StatusRecord {
                status: s.as_str(),
                incidents: *n,
                quantity: *q,
            })
            .collect(),
    }
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
    "import_source",
    "import_id",
    "media",
    "media_captions",
];

fn csv_row(cx: &Ctx, inc: &Incident) -> Vec<String> {
    let site = cx.site;
    let l = inc.location.as_ref();
    let media = media_records(cx, inc);
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
        text(inc.import.as_ref().map_or("", |m| m.source.as_str())),
        text(inc.import.as_ref().map_or("", |m| m.id.as_str())),
        text(
            &media
                .iter()
                .map(|m| m.url.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        text(
            &media
                .iter()
                .map(|m| m.caption.unwrap_or(m.alt).replace(';', ","))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]
}

/// A text cell, defused against spreadsheet formula injection.
pub(crate) fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn joined_entries_are_the_pretty_printed_array() {
        let values = [
            json!({"a": 1, "b": [], "c": {}, "d": ["x\ny", {"e": null}], "f": "q\"uote"}),
            json!({"nested": {"deeper": [1, 2, {"k": "v"}]}, "empty": ""}),
            json!([]),
            json!("plain"),
        ];
        for n in 0..=values.len() {
            let slice = &values[..n];
            let mut joined = JsonArray::default();
            for v in slice {
                joined.push(&indented(&serde_json::to_vec_pretty(v).unwrap()));
            }
            assert_eq!(
                String::from_utf8(joined.finish()).unwrap(),
                String::from_utf8(pretty(&slice.to_vec())).unwrap()
            );
        }
    }

    #[test]
    fn csv_rows_written_one_by_one_join_to_one_file() {
        let rows = [
            vec!["a", "b,c", "d\"e"],
            vec!["line\nbreak", "", " space "],
            vec!["x", "y", "z"],
        ];
        let mut whole = csv::Writer::from_writer(Vec::new());
        for r in &rows {
            whole.write_record(r).unwrap();
        }
        let mut joined = Vec::new();
        for r in &rows {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(r).unwrap();
            joined.extend(w.into_inner().unwrap());
        }
        assert_eq!(joined, whole.into_inner().unwrap());
    }
}
