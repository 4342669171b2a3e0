//! The gazetteer: the places of `data/places.yaml` resolved (name, level, admin chain,
//! country, coordinates), and how an incident without coordinates gets them. An
//! incident's location is matched at the level its precision says: a place's name
//! (`name`, then `admin3`) for `exact`, `near` or no precision; the `admin2` or
//! `admin1` unit for those precisions; a region's name for `region`. Names are
//! compared as references are (case, accents, apostrophes and hyphens ignored), and
//! any admin level or country both sides give must agree. No match, or more than one,
//! leaves the incident without coordinates (`check` warns).

use super::check::Checker;
use super::entity::{Location, LocationPrecision};
use super::names::normalise;
use crate::diag::{Diagnostics, Pos, code};
use crate::load::SourceFile;
use crate::load::raw::RawPlaces;
use std::collections::BTreeMap;
use std::path::Path;

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Place,
    Admin3,
    Admin2,
    Admin1,
    Region,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "place" => Level::Place,
            "admin3" => Level::Admin3,
            "admin2" => Level::Admin2,
            "admin1" => Level::Admin1,
            "region" => Level::Region,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub level: Level,
    pub admin3: Option<String>,
    pub admin2: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub source: Option<String>,
}

/// The resolved gazetteer, indexed by level and normalised name (aliases included).
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    index: BTreeMap<(Level, String), Vec<usize>>,
}

impl Gazetteer {
    /// Resolve the parsed file; entries with errors are left out, each error reported
    /// at its line.
    pub fn resolve(raw: Option<RawPlaces>, diags: &mut Diagnostics) -> Gazetteer {
        let mut g = Gazetteer::default();
        let Some(raw) = raw else { return g };
        let file = SourceFile::synthetic(Path::new(crate::load::places::FILE));
        let mut c = Checker::new(&file);
        for entry in raw.0 {
            let pos = entry.pos;
            let p = entry.value;
            let name = match c.text(p.name) {
                Some(n) => n,
                None => {
                    c.error(
                        code::MISSING_FIELD,
                        pos,
                        "place without `name`",
                        Some("write name: PLACE".into()),
                    );
                    continue;
                }
            };
            let level = match p.level {
                None => Some(Level::Place),
                Some(l) => {
                    let parsed = Level::parse(l.value.trim());
                    if parsed.is_none() {
                        c.error(
                            code::BAD_VALUE,
                            l.pos,
                            format!("unknown place level `{}`", l.value),
                            Some("use place, admin3, admin2, admin1 or region".into()),
                        );
                    }
                    parsed
                }
            };
            let (lat, lon) = (
                c.coordinate(p.lat, "lat", 90.0),
                c.coordinate(p.lon, "lon", 180.0),
            );
            let (Some(level), Some(lat), Some(lon)) = (level, lat, lon) else {
                if !c.diags.iter().any(|d| d.line >= pos.line && d.is_error()) {
                    c.error(
                        code::MISSING_FIELD,
                        pos,
                        format!("place `{name}` needs both `lat` and `lon`"),
                        Some("give its coordinates in decimal degrees (WGS84)".into()),
                    );
                }
                continue;
            };
            let aliases = c.strings(p.aliases);
            let k = g.places.len();
            for n in std::iter::once(&name).chain(&aliases) {
                let list = g.index.entry((level, normalise(n))).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
            g.places.push(Place {
                name,
                level,
                admin3: c.text(p.admin3),
                admin2: c.text(p.admin2),
                admin1: c.text(p.admin1),
                country: c.text(p.country),
                lat,
                lon,
                source: c.text(p.source),
            });
            let _ = c.text(p.note);
        }
        diags.extend(c.diags);
        g
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The one place that gives `loc` its coordinates, if exactly one matches.
    pub fn locate(&self, loc: &Location) -> Option<&Place> {
        let tries: Vec<(Level, Option<&String>)> = match loc.precision {
            Some(LocationPrecision::Admin2) => vec![(Level::Admin2, loc.admin2.as_ref())],
            Some(LocationPrecision::Admin1) => vec![(Level::Admin1, loc.admin1.as_ref())],
            Some(LocationPrecision::Region) => vec![(Level::Region, loc.name.as_ref())],
            Some(LocationPrecision::Country) => Vec::new(),
            _ => vec![
                (Level::Place, loc.name.as_ref()),
                (Level::Admin3, loc.admin3.as_ref()),
                (Level::Place, loc.admin3.as_ref()),
            ],
        };
        for (level, name) in tries {
            let Some(name) = name else { continue };
            let Some(ks) = self.index.get(&(level, normalise(name))) else {
                continue;
            };
            let agree = |a: &Option<String>, b: &Option<String>| match (a, b) {
                (Some(a), Some(b)) => normalise(a) == normalise(b),
                _ => true,
            };
            let fits: Vec<&Place> = ks
                .iter()
                .map(|k| &self.places[*k])
                .filter(|p| {
                    agree(&p.country, &loc.country)
                        && agree(&p.admin1, &loc.admin1)
                        && (level == Level::Admin1 || agree(&p.admin2, &loc.admin2))
                })
                .collect();
            if fits.len() == 1 {
                return fits.first().copied();
            }
        }
        None
    }

    /// Give `loc` the coordinates of its place when it has none.
    pub fn apply(&self, loc: &mut Location) {
        if loc.lat.is_some() && loc.lon.is_some() {
            return;
        }
        if let Some(p) = self.locate(loc) {
            loc.lat = Some(p.lat);
            loc.lon = Some(p.lon);
            loc.place = Some(p.name.clone());
        }
    }
}

/// Where the warning for an incident without coordinates points: its `location:`.
pub fn location_pos(file: &SourceFile) -> Pos {
    file.key_pos("location")
}
