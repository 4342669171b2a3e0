//! Raw documents to domain entities, one file at a time: every field of every `Raw*`
//! struct is destructured here, so a new field forces a decision. Names of groups and
//! weapons are looked up in the indexes built beforehand; each problem becomes a
//! diagnostic at the value's position and resolving continues.

use super::check::Checker;
use super::dates::EventDate;
use super::entity::*;
pub use super::lookup::{Broken, Lookup};
use crate::diag::{Pos, code, did_you_mean};
use crate::load::raw::*;
use crate::load::{Doc, SourceFile};

fn resolve_category(categories: &[Category], c: &mut Checker, t: Option<Text>) -> Option<Category> {
    let t = c.required_text(t, "category")?;
    let key = category_key(&t.value);
    if let Some(cat) = categories.iter().find(|cat| cat.name == key) {
        return Some(cat.clone());
    }
    let names: Vec<&str> = categories.iter().map(|c| c.name.as_str()).collect();
    let hint = did_you_mean(&crate::diag::closest(&key, names.iter().copied()))
            .unwrap_or_else(|| "use a category from docs/content-format.md, or add it to weapon_categories in site.yaml".into());
    c.error(
        code::UNKNOWN_CATEGORY,
        t.pos,
        format!("unknown weapon category `{}`", t.value.trim()),
        Some(hint),
    );
    None
}

/// `Assault_Rifle` / `assault-rifle` -> `assault rifle`.
pub fn category_key(s: &str) -> String {
    s.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Checker<'_> {
    fn required_text(&mut self, t: Option<Text>, key: &str) -> Option<Text> {
        let pos = t.as_ref().map(|t| t.pos).unwrap_or(Pos::FILE);
        self.required(t, key).map(|v| At::new(v, pos))
    }
}

/// A group or weapon type whose own fields resolved, with the references to other
/// entities still as written: they are looked up by `link_group` / `link_weapon` once
/// every entity that exists has its id.
pub struct Unlinked<T> {
    pub entity: T,
    pub parent: Option<Text>,
    pub ammunition: Vec<Text>,
}

/// A group's own fields; `None` (with diagnostics) when it cannot exist (no name).
pub fn group(doc: Doc<RawGroup>, id: String, c: &mut Checker) -> Option<Unlinked<Group>> {
    let RawGroup {
        name,
        short_name,
        aliases,
        former_names,
        actor_type,
        parent,
        founded,
        countries,
    } = doc.raw;
    let name = c.required(name, "name");
    let former_names = former_names
        .map(|l| l.value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| {
            let RawFormerName { name, from, to } = f.value;
            let written = c.text(name);
            if written.is_none() {
                c.error(
                    code::EMPTY_FIELD,
                    f.pos,
                    "former name without `name`",
                    Some("write {name: ..., from: YYYY, to: YYYY}".into()),
                );
            }
            Some(FormerName {
                name: written?,
                from: c.date(from, "from date"),
                to: c.date(to, "to date"),
            })
        })
        .collect();
    let g = Group {
        id,
        name: name?,
        short_name: c.text(short_name),
        aliases: c.strings(aliases),
        former_names,
        actor_type: c.vocab(
            actor_type,
            "actor_type",
            ActorType::parse,
            &ActorType::names(),
        ),
        parent: None,
        founded: c.date(founded, "founded date"),
        countries: c.strings(countries),
        file: doc.file,
    };
    Some(Unlinked {
        entity: g,
        parent,
        ammunition: Vec::new(),
    })
}

/// Resolve a group's parent now that every group has its id.
pub fn link_group(u: Unlinked<Group>, lookup: &Lookup, c: &mut Checker) -> Group {
    let mut g = u.entity;
    g.parent = u.parent.and_then(|p| lookup.group(c, &p.value, p.pos));
    g
}

/// A weapon type's own fields; `None` (with diagnostics) when it cannot exist (no
/// name, or no known category).
pub fn weapon(
    doc: Doc<RawWeapon>,
    id: String,
    categories: &[Category],
    c: &mut Checker,
) -> Option<Unlinked<Weapon>> {
    let RawWeapon {
        name,
        category,
        manufacturer,
        origin,
        calibre,
        family,
        parent,
        ammunition,
        aliases,
    } = doc.raw;
    let name = c.required(name, "name");
    let category = resolve_category(categories, c, category);
    let weapon = Weapon {
        id,
        name: name?,
        category: category?,
        manufacturer: c.text(manufacturer),
        origin: c.text(origin),
        calibre: c.text(calibre),
        family: c.text(family),
        parent: None,
        ammunition: Vec::new(),
        aliases: c.strings(aliases),
        file: doc.file,
    };
    Some(Unlinked {
        entity: weapon,
        parent,
        ammunition: ammunition.map(|l| l.value).unwrap_or_default(),
    })
}

/// Resolve a weapon type's parent and ammunition now that every type has its id.
pub fn link_weapon(u: Unlinked<Weapon>, lookup: &Lookup, c: &mut Checker) -> Weapon {
    let mut w = u.entity;
    w.parent = u.parent.and_then(|p| lookup.weapon(c, &p.value, p.pos));
    w.ammunition = u
        .ammunition
        .into_iter()
        .filter_map(|a| lookup.weapon(c, &a.value, a.pos))
        .collect();
    w
}

pub fn page(doc: Doc<RawPage>, slug: String, c: &mut Checker) -> Option<Page> {
    let RawPage {
        title,
        slug: _,
        summary,
        draft,
        updated,
    } = doc.raw;
    Some(Page {
        title: c.required(title, "title")?,
        summary: c.text(summary),
        draft: draft.is_some_and(|d| d.value),
        updated: c.date(updated, "updated date"),
        slug,
        file: doc.file,
    })
}

pub fn incident(
    doc: Doc<RawIncident>,
    slug: String,
    lookup: &Lookup,
    c: &mut Checker,
) -> Option<Incident> {
    let RawIncident {
        title,
        date,
        date_end,
        date_precision,
        confidence,
        event_type,
        summary,
        slug: _,
        location,
        groups,
        weapons,
        fatalities,
        sources,
        tags,
        draft,
        updated,
        import,
        media,
    } = doc.raw;
    let title = c.required(title, "title");
    let date = event_date(c, date, date_end, date_precision);
    let groups = groups
        .map(|l| l.value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| involvement(c, lookup, g))
        .collect();
    let weapons: Vec<Observation> = weapons
        .map(|l| l.value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|w| observation(c, lookup, w))
        .collect();
    let listed: Vec<WeaponId> = weapons.iter().map(|o: &Observation| o.weapon).collect();
    let media = super::media::resolve(c, lookup, media, &listed);
    let incident = Incident {
        media,
        title: title?,
        date: date?,
        confidence: c
            .vocab(
                confidence,
                "confidence",
                Confidence::parse,
                &Confidence::names(),
            )
            .unwrap_or(Confidence::Reported),
        event_type: c.vocab(
            event_type,
            "event_type",
            EventType::parse,
            &EventType::names(),
        ),
        summary: c.text(summary),
        location: location.map(|l| {
            let mut loc = self::location(c, l.value);
            lookup.places.apply(&mut loc);
            loc
        }),
        groups,
        weapons,
        fatalities: fatalities.and_then(|f| self::fatalities(c, f)),
        sources: sources
            .map(|l| l.value)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| source(c, s))
            .collect(),
        tags: c.strings(tags),
        draft: draft.is_some_and(|d| d.value),
        updated: c.date(updated, "updated date"),
        import: import.and_then(|i| {
            let RawImport { source, id } = i.value;
            let source = c.required(source, "import source");
            let id = c.required(id, "import id");
            Some(ImportRef {
                source: source?,
                id: id?,
            })
        }),
        slug,
        file: doc.file,
    };
    Some(incident)
}

fn event_date(
    c: &mut Checker,
    date: Option<Text>,
    end: Option<Text>,
    precision: Option<Text>,
) -> Option<EventDate> {
    let date_pos = date.as_ref().map(|d| d.pos);
    let start = match date {
        Some(d) => c.date(Some(d), "date"),
        None => {
            c.required(None, "date");
            None
        }
    };
    let end_pos = end.as_ref().map(|e| e.pos).unwrap_or(Pos::FILE);
    let end = c.date(end, "date_end");
    let prec_pos = precision.as_ref().map(|p| p.pos).unwrap_or(Pos::FILE);
    let precision = c.vocab(
        precision,
        "date_precision",
        Precision::parse,
        &Precision::names(),
    );
    let start = start?;
    if let Some(e) = end
        && e.last_day() < start.start
    {
        c.error(
            code::DATE_ORDER,
            end_pos,
            format!("date_end {} is before date {}", e.iso(), start.iso()),
            Some("date is the earliest plausible day, date_end the latest".into()),
        );
    }
    let precision = precision.unwrap_or_else(|| EventDate::default_precision(start, end.is_some()));
    if !EventDate::precision_fits(start, precision) {
        c.error(
            code::BAD_DATE,
            prec_pos.or(date_pos.unwrap_or(Pos::FILE)),
            format!(
                "date_precision `{}` is finer than the date `{}`",
                precision.as_str(),
                start.iso()
            ),
            Some("write the full date, or a coarser precision".into()),
        );
    }
    Some(EventDate {
        date: start,
        end,
        precision,
    })
}

fn location(c: &mut Checker, raw: RawLocation) -> Location {
    let RawLocation {
        name,
        admin3,
        admin2,
        admin1,
        country,
        lat,
        lon,
        precision,
    } = raw;
    Location {
        name: c.text(name),
        admin3: c.text(admin3),
        admin2: c.text(admin2),
        admin1: c.text(admin1),
        country: c.text(country),
        lat: c.coordinate(lat, "lat", 90.0),
        lon: c.coordinate(lon, "lon", 180.0),
        precision: c.vocab(
            precision,
            "location precision",
            LocationPrecision::parse,
            &LocationPrecision::names(),
        ),
        place: None,
    }
}

fn involvement(
    c: &mut Checker,
    lookup: &Lookup,
    item: At<Item<RawGroupRef>>,
) -> Option<Involvement> {
    let (name, role, attribution) = match item.value {
        Item::Short(s) => (At::new(s, item.pos), None, None),
        Item::Full(RawGroupRef {
            group,
            role,
            attribution,
        }) => match group {
            Some(g) => (g, role, attribution),
            None => {
                c.error(
                    code::MISSING_FIELD,
                    item.pos,
                    "group entry without `group`",
                    Some("write {group: NAME, role: attacker}".into()),
                );
                return None;
            }
        },
    };
    let role = c
        .vocab(role, "role", Role::parse, &Role::names())
        .unwrap_or(Role::Participant);
    let attribution = c.vocab(
        attribution,
        "attribution",
        Attribution::parse,
        &Attribution::names(),
    );
    Some(Involvement {
        group: lookup.group(c, &name.value, name.pos.or(item.pos))?,
        role,
        attribution,
    })
}

fn observation(
    c: &mut Checker,
    lookup: &Lookup,
    item: At<Item<RawObservation>>,
) -> Option<Observation> {
    let raw = match item.value {
        Item::Short(s) => RawObservation {
            weapon: Some(At::new(s, item.pos)),
            ..RawObservation::default()
        },
        Item::Full(o) => o,
    };
    let RawObservation {
        weapon,
        status,
        quantity,
        from,
        to,
        origin,
        identification,
        evidence,
        note,
    } = raw;
    let Some(weapon) = weapon else {
        c.error(
            code::MISSING_FIELD,
            item.pos,
            "weapon entry without `weapon`",
            Some("write {weapon: NAME, status: captured}".into()),
        );
        return None;
    };
    let weapon_id = lookup.weapon(c, &weapon.value, weapon.pos.or(item.pos));
    let status_pos = status.as_ref().map(|s| s.pos).unwrap_or(item.pos);
    let mut statuses: Vec<Status> = status
        .map(|s| s.value.0)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| {
            let pos = s.pos.or(status_pos);
            c.vocab(
                Some(At::new(s.value, pos)),
                "status",
                Status::parse,
                &Status::names(),
            )
        })
        .collect();
    if statuses.is_empty() {
        statuses.push(Status::Documented);
    }
    statuses.sort();
    statuses.dedup();
    let from = from.and_then(|f| lookup.group(c, &f.value, f.pos));
    let to = to.and_then(|t| lookup.group(c, &t.value, t.pos));
    let evidence = evidence
        .map(|l| l.value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| c.url(&e.value, e.pos))
        .collect();
    Some(Observation {
        weapon: weapon_id?,
        statuses,
        quantity: quantity.map(|q| q.value),
        from,
        to,
        origin: c.text(origin),
        identification: c.vocab(
            identification,
            "identification",
            Identification::parse,
            &Identification::names(),
        ),
        evidence,
        note: c.text(note),
    })
}

/// Whether `low <= best <= high` holds among the figures given.
pub fn fatalities_ordered(best: Option<u64>, low: Option<u64>, high: Option<u64>) -> bool {
    low.is_none_or(|l| best.is_none_or(|b| l <= b) && high.is_none_or(|h| l <= h))
        && high.is_none_or(|h| best.is_none_or(|b| b <= h))
}

fn fatalities(c: &mut Checker, f: At<RawFatalities>) -> Option<Fatalities> {
    match f.value {
        RawFatalities::Count(n) => Some(Fatalities {
            best: Some(n),
            low: None,
            high: None,
        }),
        RawFatalities::Range(RawRange { best, low, high }) => {
            let (best, low, high) = (
                best.map(|v| v.value),
                low.map(|v| v.value),
                high.map(|v| v.value),
            );
            if !fatalities_ordered(best, low, high) {
                c.error(
                    code::BAD_VALUE,
                    f.pos,
                    "fatalities must satisfy low <= best <= high",
                    None,
                );
                return None;
            }
            if best.is_none() && low.is_none() && high.is_none() {
                c.error(
                    code::EMPTY_FIELD,
                    f.pos,
                    "fatalities map is empty",
                    Some("write {best: N} or leave fatalities out when not reported".into()),
                );
                return None;
            }
            Some(Fatalities { best, low, high })
        }
    }
}

fn source(c: &mut Checker, item: At<Item<RawSource>>) -> Option<Source> {
    match item.value {
        Item::Short(url) => Some(Source {
            title: None,
            url: Some(c.url(&url, item.pos)?),
            publisher: None,
            date: None,
            kind: None,
            reliability: None,
        }),
        Item::Full(RawSource {
            title,
            url,
            publisher,
            date,
            kind,
            reliability,
        }) => {
            let url = match url {
                Some(u) => Some(c.url(&u.value, u.pos)?),
                None => None,
            };
            let title = c.text(title);
            let publisher = c.text(publisher);
            if url.is_none() && title.is_none() && publisher.is_none() {
                c.error(
                    code::EMPTY_FIELD,
                    item.pos,
                    "source without url, title or publisher",
                    Some("a source needs at least one of url, title, publisher".into()),
                );
                return None;
            }
            Some(Source {
                title,
                url,
                publisher,
                date: c.date(date, "source date"),
                kind: c.vocab(kind, "source kind", SourceKind::parse, &SourceKind::names()),
                reliability: c.vocab(
                    reliability,
                    "reliability",
                    Reliability::parse,
                    &Reliability::names(),
                ),
            })
        }
    }
}

/// The slug of a document: an explicit `slug:` (checked strictly) or its file stem
/// (made safe). `None` after reporting an invalid explicit slug.
pub fn slug_of(file: &SourceFile, explicit: Option<&Text>, c: &mut Checker) -> Option<String> {
    match explicit {
        Some(s) => match super::urls::check_slug(s.value.trim()) {
            Ok(()) => Some(s.value.trim().to_string()),
            Err(why) => {
                let hint = format!(
                    "a slug is lowercase ASCII letters, digits and `-`, e.g. `{}`",
                    super::urls::slugify(&s.value)
                );
                c.error(
                    code::BAD_SLUG,
                    s.pos,
                    format!("invalid slug `{}`: {why}", s.value),
                    Some(hint),
                );
                None
            }
        },
        None => Some(stem_id(&file.stem)),
    }
}

/// A file stem as an id: kept when valid, else made safe by `slugify`.
pub fn stem_id(stem: &str) -> String {
    if super::urls::check_slug(stem).is_ok() {
        stem.to_string()
    } else {
        super::urls::slugify(stem)
    }
}
