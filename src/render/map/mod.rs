//! Maps of incidents, drawn at build time as inline SVG: no JavaScript, no tiles, no
//! request to anyone. `map_svg` takes the incidents' coordinates and returns a finished
//! `<svg>` element (country outlines cropped to the incidents' region, names of the
//! countries that hold them, one linked dot per incident whose style says how precise
//! its location is) together with what it left out and a legend for the page to show.
//! It owns the choices a map makes; the outlines are `world`'s, the framing and
//! projection `projection`'s, the placement of dots and names `layout`'s, the look
//! `draw`'s, the document `svg`'s. Where a map appears on a page is the templates'
//! business.

pub mod draw;
pub mod layout;
pub mod projection;
pub mod shapes;
mod svg;
pub mod world;

#[cfg(test)]
mod tests;

use crate::model::entity::LocationPrecision;
pub use draw::DotKind;
pub use projection::{Framing, Projection, WORLD, choose_box};
use std::collections::BTreeMap;
pub use world::{Country, GeoBox, LatLon, World};

/// One incident to show.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// WGS84 degrees.
    pub lat: f64,
    pub lon: f64,
    /// How precise the coordinates are; `None` (the content gives none) is drawn like
    /// `near`.
    pub precision: Option<LocationPrecision>,
    /// Where the dot links to (the incident's page).
    pub url: String,
    /// The dot's tooltip and accessible name, e.g. the incident's title and date.
    pub title: String,
    /// The country the content names. It decides which country's name the map shows
    /// for this incident (an analyst's "Palestine" for a point in Gaza, which 1:110m
    /// draws as sea); without it, or if it names no country of the map data, the
    /// country whose outline holds the point.
    pub country: Option<String>,
}

/// How to draw a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Prefix of the ids in the SVG (`PREFIX-title`, `PREFIX-desc`), unique on the
    /// page: a page with two maps gives each its own. Characters other than ASCII
    /// letters, digits, `-` and `_` become `-`.
    pub id_prefix: String,
    /// The map's accessible name (its `<title>`).
    pub title: String,
    /// The width of the viewBox, in user units; the height follows from the region.
    /// The SVG itself is 100% wide; sizes of dots and names are in these units.
    pub width: f64,
    /// Show exactly this box instead of choosing one; points outside it are left out.
    pub bbox: Option<GeoBox>,
    /// Countries to show whole, such as the country of a country page. A country
    /// larger than `max_country_span` degrees (Russia, the United States, France with
    /// French Guiana) is not used to widen the map; unknown names are reported.
    pub show_countries: Vec<String>,
    pub max_country_span: f64,
    pub framing: Framing,
    /// Also name the neighbouring countries that hold no incident, in lighter type,
    /// where they fit.
    pub label_neighbours: bool,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            id_prefix: "map".into(),
            title: "Map of incidents".into(),
            width: 500.0,
            bbox: None,
            show_countries: Vec::new(),
            max_country_span: 30.0,
            framing: Framing::default(),
            label_neighbours: true,
        }
    }
}

/// What `map_svg` made.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSvg {
    /// The `<svg>` element, or `None` when there is nothing to show: no point could be
    /// placed and neither `bbox` nor a usable `show_countries` gave a region. (A page
    /// without located incidents shows no map rather than an empty world.)
    pub svg: Option<String>,
    /// The projection used, to find where a point lands (tests, overlays).
    pub projection: Option<Projection>,
    /// The dots drawn, in input order.
    pub dots: Vec<Dot>,
    /// The points not drawn, in input order.
    pub omitted: Vec<Omitted>,
    /// One entry per kind of dot on the map, in a fixed order, for an HTML legend.
    pub legend: Vec<LegendItem>,
    /// The countries holding the points, most points first (display names).
    pub countries: Vec<String>,
    /// Country names (of points or `show_countries`) the map data does not know.
    pub unknown_countries: Vec<String>,
}

/// A drawn dot: which input point, where its place projects, and where it was drawn
/// (elsewhere when it shares its place with others).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub index: usize,
    pub kind: DotKind,
    pub at: (f64, f64),
    pub drawn: (f64, f64),
    /// How many dots share its place (1: on its own).
    pub group: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Omitted {
    /// Index into the `points` given.
    pub index: usize,
    pub reason: OmitReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OmitReason {
    /// Not a number, or latitude beyond ±90 or longitude beyond ±180.
    InvalidCoordinates,
    /// Exactly (0, 0), in the Gulf of Guinea: almost always coordinates never filled
    /// in.
    NullIsland,
    /// Outside the fixed `bbox`, or in the far south the maps do not show.
    OutsideMap,
    /// A link with a scheme other than http(s) or mailto, such as `javascript:`.
    UnsafeUrl,
}

impl OmitReason {
    pub fn describe(self) -> &'static str {
        match self {
            OmitReason::InvalidCoordinates => "coordinates out of range",
            OmitReason::NullIsland => "coordinates 0, 0 (probably not filled in)",
            OmitReason::OutsideMap => "outside the map",
            OmitReason::UnsafeUrl => "link with an unsafe scheme",
        }
    }
}

/// One line of the legend: a small inline SVG of the dot, what it means, how many.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// `dot-exact`, `dot-near`, `dot-admin2`..., or `dot-spread` for incidents drawn
    /// apart.
    pub class: String,
    pub label: String,
    pub count: usize,
    /// `<svg class="map-swatch" ...>`, 26 px square, `aria-hidden`.
    pub swatch: String,
}

/// What a dot's precision means, in words (tooltips, legend).
pub fn precision_phrase(kind: DotKind) -> &'static str {
    match kind {
        DotKind::Exact => "exact location",
        DotKind::Near => "near the named place",
        DotKind::Area(LocationPrecision::Admin2) => "somewhere in the district",
        DotKind::Area(LocationPrecision::Admin1) => "somewhere in the province or region",
        DotKind::Area(LocationPrecision::Region) => "somewhere in a wider region",
        DotKind::Area(_) => "somewhere in the country",
    }
}

/// Draw a map of `points` on the embedded world. See `MapSvg` for what comes back;
/// nothing here panics or fails: what cannot be drawn is reported in `omitted`.
pub fn map_svg(points: &[MapPoint], opts: &MapOptions) -> MapSvg {
    map_svg_on(World::get(), points, opts)
}

/// `map_svg` on a given world.
pub fn map_svg_on(world: &World, points: &[MapPoint], opts: &MapOptions) -> MapSvg {
    let mut out = MapSvg {
        svg: None,
        projection: None,
        dots: Vec::new(),
        omitted: Vec::new(),
        legend: Vec::new(),
        countries: Vec::new(),
        unknown_countries: Vec::new(),
    };
    let mut valid = Vec::new();
    for (index, p) in points.iter().enumerate() {
        match check_point(p) {
            Ok(ll) => valid.push((index, ll)),
            Err(reason) => out.omitted.push(Omitted { index, reason }),
        }
    }
    let mut whole = Vec::new();
    for name in &opts.show_countries {
        match world.country(name) {
            Some(c) if fits_span(&c.bbox, opts.max_country_span) => whole.push(c.bbox),
            Some(_) => {}
            None => out.unknown_countries.push(name.clone()),
        }
    }
    let bbox = match opts.bbox.filter(valid_box) {
        Some(b) => Some(b),
        None => {
            let lls: Vec<LatLon> = valid
                .iter()
                .map(|v| v.1)
                .filter(|p| WORLD.contains(*p))
                .collect();
            choose_box(&lls, &whole, &opts.framing)
        }
    };
    let Some(bbox) = bbox else {
        out.omitted.extend(valid.iter().map(|&(index, _)| Omitted {
            index,
            reason: OmitReason::OutsideMap,
        }));
        out.omitted.sort_by_key(|o| o.index);
        return out;
    };
    valid.retain(|&(index, ll)| {
        let inside = bbox.contains(ll);
        if !inside {
            out.omitted.push(Omitted {
                index,
                reason: OmitReason::OutsideMap,
            });
        }
        inside
    });
    out.omitted.sort_by_key(|o| o.index);
    let width = if opts.width.is_finite() && opts.width >= 100.0 {
        opts.width
    } else {
        MapOptions::default().width
    };
    let proj = Projection::fit(bbox, width);
    out.projection = Some(proj);
    out.dots = place_dots(&proj, points, &valid);
    let holding = countries_holding(world, points, &valid, &mut out.unknown_countries);
    out.countries = holding
        .iter()
        .map(|&i| world.countries()[i].name.clone())
        .collect();
    out.unknown_countries.sort();
    out.unknown_countries.dedup();
    out.legend = legend(points, &out.dots);
    out.svg = Some(svg::svg(world, &proj, points, &out, &holding, opts));
    out
}

fn check_point(p: &MapPoint) -> Result<LatLon, OmitReason> {
    if !p.lat.is_finite() || !p.lon.is_finite() || p.lat.abs() > 90.0 || p.lon.abs() > 180.0 {
        return Err(OmitReason::InvalidCoordinates);
    }
    if p.lat == 0.0 && p.lon == 0.0 {
        return Err(OmitReason::NullIsland);
    }
    if !safe_url(&p.url) {
        return Err(OmitReason::UnsafeUrl);
    }
    Ok(LatLon {
        lat: p.lat,
        lon: p.lon,
    })
}

/// A relative URL, or one whose scheme is http, https or mailto. Browsers ignore tabs,
/// newlines and leading spaces in a scheme, so those are ignored here too.
fn safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c.is_ascii_control() || c == ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if cleaned[i..].starts_with(':') => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn valid_box(b: &GeoBox) -> bool {
    [b.west, b.south, b.east, b.north]
        .iter()
        .all(|v| v.is_finite())
        && b.west < b.east
        && b.south < b.north
}

fn fits_span(b: &GeoBox, max: f64) -> bool {
    let k = projection::cos_lat((b.north + b.south) / 2.0);
    b.width() * k <= max && b.height() <= max
}

fn place_dots(proj: &Projection, points: &[MapPoint], valid: &[(usize, LatLon)]) -> Vec<Dot> {
    let at: Vec<(f64, f64)> = valid.iter().map(|&(_, ll)| proj.project(ll)).collect();
    let placed = layout::spread(&at);
    let keep_in = |v: f64, max: f64| v.clamp(5.0, (max - 5.0).max(5.0));
    valid
        .iter()
        .zip(placed)
        .map(|(&(index, _), p)| Dot {
            index,
            kind: DotKind::of(points[index].precision),
            at: p.at,
            drawn: (
                keep_in(p.drawn.0, proj.width),
                keep_in(p.drawn.1, proj.height),
            ),
            group: p.group,
        })
        .collect()
}

/// The countries holding the points (by index into `world.countries()`), most points
/// first, then by name.
fn countries_holding(
    world: &World,
    points: &[MapPoint],
    valid: &[(usize, LatLon)],
    unknown: &mut Vec<String>,
) -> Vec<usize> {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    let position = |c: &Country| world.countries().iter().position(|x| std::ptr::eq(x, c));
    for &(index, ll) in valid {
        let named = points[index]
            .country
            .as_deref()
            .filter(|n| !n.trim().is_empty());
        let by_name = named.and_then(|n| world.country(n));
        if let (Some(n), None) = (named, by_name) {
            unknown.push(n.to_owned());
        }
        if let Some(i) = by_name.or_else(|| world.country_at(ll)).and_then(position) {
            *counts.entry(i).or_default() += 1;
        }
    }
    let mut order: Vec<(usize, usize)> = counts.into_iter().collect();
    let name = |i: usize| world.countries()[i].name.as_str();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(a.0).cmp(name(b.0))));
    order.into_iter().map(|(i, _)| i).collect()
}

fn legend(points: &[MapPoint], dots: &[Dot]) -> Vec<LegendItem> {
    let mut counts: BTreeMap<DotKind, usize> = BTreeMap::new();
    for d in dots {
        *counts.entry(d.kind).or_default() += 1;
    }
    let unstated = dots.iter().any(|d| points[d.index].precision.is_none());
    let mut items: Vec<LegendItem> = counts
        .into_iter()
        .map(|(kind, count)| {
            let mut label = precision_phrase(kind).to_owned();
            if kind == DotKind::Near && unstated {
                label.push_str(", or precision not stated");
            }
            LegendItem {
                class: kind
                    .class()
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                label,
                count,
                swatch: draw::swatch(kind),
            }
        })
        .collect();
    let spread = dots.iter().filter(|d| d.group > 1).count();
    if spread > 0 {
        items.push(LegendItem {
            class: "dot-spread".into(),
            label: "incidents at the same place, drawn apart around it".into(),
            count: spread,
            swatch: draw::spread_swatch(),
        });
    }
    items
}
