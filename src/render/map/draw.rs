//! How a map looks: the colours, sizes and CSS classes of sea, land, labels and dots,
//! and the SVG markup of one dot or legend swatch. Every element carries a class for
//! the theme's stylesheet and presentation attributes as the fallback (a stylesheet
//! rule beats a presentation attribute), so the map reads right with no CSS at all.
//!
//! Contrast (WCAG 2.2, non-text 3:1, text 4.5:1), computed for these colours: the dot
//! red against the sea 4.8:1, the land 6.2:1, a marked country 5.4:1 and an area
//! circle's own tint 4.6:1; country names 9.5:1 or more, neighbours' names 4.5:1 or
//! more. Land and sea differ in hue (cream and blue) and are parted by the coastline.

use super::shapes::{esc, num, put};
use crate::model::entity::LocationPrecision;

pub const SEA: &str = "#c4dbe8";
pub const LAND: &str = "#f6f3ec";
/// A country that holds incidents.
pub const LAND_MARKED: &str = "#ece4d0";
pub const BORDER: &str = "#9e978a";
pub const DOT: &str = "#b2182b";
pub const HALO: &str = "#ffffff";
pub const LABEL: &str = "#2e2e2e";
pub const LABEL_OTHER: &str = "#5e5e5e";
pub const LEADER: &str = "#5e5e5e";

/// Country names, in user units (the map is `MapOptions::width` units across).
pub const LABEL_SIZE: f64 = 15.0;
pub const LABEL_OTHER_SIZE: f64 = 12.5;
/// Average glyph width as a share of the font size, for fitting names: generous for
/// proportional sans-serif fonts, so a name that "fits" does.
pub const GLYPH: f64 = 0.6;

/// How a dot is drawn, from the precision of its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DotKind {
    /// Coordinates of the place itself: a small solid dot.
    Exact,
    /// Near the named place (or the content gives no precision): a solid dot in a ring.
    Near,
    /// Only the district, region, wider region or country is known: a translucent
    /// circle, larger as the area is.
    Area(LocationPrecision),
}

impl DotKind {
    pub fn of(p: Option<LocationPrecision>) -> DotKind {
        match p {
            Some(LocationPrecision::Exact) => DotKind::Exact,
            Some(LocationPrecision::Near) | None => DotKind::Near,
            Some(area) => DotKind::Area(area),
        }
    }

    /// The CSS classes of its circle(s): `dot dot-exact`, `dot dot-near`,
    /// `dot dot-area dot-admin1`...
    pub fn class(self) -> String {
        match self {
            DotKind::Exact => "dot dot-exact".into(),
            DotKind::Near => "dot dot-near".into(),
            DotKind::Area(p) => format!("dot dot-area dot-{}", p.as_str()),
        }
    }

    /// The radius of the outermost circle, user units.
    pub fn radius(self) -> f64 {
        match self {
            DotKind::Exact => 4.5,
            DotKind::Near => 8.0,
            DotKind::Area(LocationPrecision::Admin2) => 9.0,
            DotKind::Area(LocationPrecision::Admin1) => 12.0,
            DotKind::Area(LocationPrecision::Region) => 16.0,
            DotKind::Area(_) => 21.0,
        }
    }

    /// Bigger circles are drawn first, so smaller dots stay on top and clickable.
    pub fn draw_order(self) -> u8 {
        match self {
            DotKind::Area(LocationPrecision::Country) => 0,
            DotKind::Area(LocationPrecision::Region) => 1,
            DotKind::Area(LocationPrecision::Admin1) => 2,
            DotKind::Area(_) => 3,
            DotKind::Near => 4,
            DotKind::Exact => 5,
        }
    }
}

/// The circles of one dot centred at (x, y), with their paint: `dot_circles` in
/// its `dot_group`.
pub fn circles(out: &mut String, kind: DotKind, x: f64, y: f64) {
    out.push_str(&dot_group(kind));
    dot_circles(out, kind, x, y);
    out.push_str("</g>");
}

/// The kinds of dot that share their paint, so that a run of them sits in one `<g>`
/// carrying it (`dot_group`) and each dot writes only its place (`dot_circles`).
pub fn paint_key(kind: DotKind) -> u8 {
    match kind {
        DotKind::Exact => 0,
        DotKind::Near => 1,
        DotKind::Area(_) => 2,
    }
}

/// The opening tag of a group of dots of `kind`'s paint: what `circles` writes on
/// each circle, written once. A dot's own attributes override it.
pub fn dot_group(kind: DotKind) -> String {
    match kind {
        DotKind::Exact => {
            format!("<g fill=\"{DOT}\" stroke=\"{HALO}\" stroke-width=\"1.5\">")
        }
        DotKind::Near => format!("<g fill=\"{DOT}\" stroke=\"{DOT}\" stroke-width=\"1.6\">"),
        DotKind::Area(_) => format!(
            "<g fill=\"{DOT}\" fill-opacity=\"0.18\" stroke=\"{DOT}\" stroke-width=\"1.5\">"
        ),
    }
}

/// The circles of one dot centred at (x, y) inside its `dot_group`: drawn as
/// `circles` draws them, with the shared paint left to the group.
pub fn dot_circles(out: &mut String, kind: DotKind, x: f64, y: f64) {
    let (cx, cy) = (num(x), num(y));
    let class = kind.class();
    match kind {
        DotKind::Exact => put(
            out,
            format_args!("<circle class=\"{class}\" cx=\"{cx}\" cy=\"{cy}\" r=\"4.5\"/>"),
        ),
        DotKind::Near => put(
            out,
            format_args!(
                "<circle class=\"{class}-ring\" cx=\"{cx}\" cy=\"{cy}\" r=\"7.2\" fill=\"{HALO}\" fill-opacity=\"0.6\"/>\
                 <circle class=\"{class}\" cx=\"{cx}\" cy=\"{cy}\" r=\"3.6\" stroke=\"none\"/>"
            ),
        ),
        DotKind::Area(_) => put(
            out,
            format_args!(
                "<circle class=\"{class}\" cx=\"{cx}\" cy=\"{cy}\" r=\"{}\"/>",
                num(kind.radius())
            ),
        ),
    }
}

/// A small standalone SVG showing one kind of dot, for a legend written in HTML.
pub fn swatch(kind: DotKind) -> String {
    let r = kind.radius().min(11.0);
    let mut out = String::from(
        "<svg class=\"map-swatch\" viewBox=\"-13 -13 26 26\" width=\"26\" height=\"26\" aria-hidden=\"true\">",
    );
    match kind {
        DotKind::Area(_) => put(
            &mut out,
            format_args!(
                "<circle class=\"{}\" r=\"{}\" fill=\"{DOT}\" fill-opacity=\"0.18\" stroke=\"{DOT}\" stroke-width=\"1.5\"/>",
                kind.class(),
                num(r)
            ),
        ),
        _ => circles(&mut out, kind, 0.0, 0.0),
    }
    out.push_str("</svg>");
    out
}

/// The swatch of "drawn apart": three dots around a point with their leader lines.
pub fn spread_swatch() -> String {
    let mut out = String::from(
        "<svg class=\"map-swatch\" viewBox=\"-13 -13 26 26\" width=\"26\" height=\"26\" aria-hidden=\"true\">",
    );
    put(
        &mut out,
        format_args!(
            "<path class=\"map-leader\" d=\"M0 0 0-7M0 0 6 3.5M0 0-6 3.5\" stroke=\"{LEADER}\" stroke-width=\"1\"/>"
        ),
    );
    for (x, y) in [(0.0, -7.0), (6.0, 3.5), (-6.0, 3.5)] {
        put(
            &mut out,
            format_args!(
                "<circle class=\"dot dot-exact\" cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{DOT}\" stroke=\"{HALO}\" stroke-width=\"1\"/>",
                num(x),
                num(y)
            ),
        );
    }
    out.push_str("</svg>");
    out
}

/// A country name with its halo (drawn as a white-stroked copy underneath, which needs
/// no SVG 2 `paint-order`). `other` = a neighbour, in smaller, lighter type.
pub fn label(halo: &mut String, text: &mut String, name: &str, at: (f64, f64), other: bool) {
    let size = if other { LABEL_OTHER_SIZE } else { LABEL_SIZE };
    // Centre the text box on `at`: the baseline sits about a third of the size below.
    let (x, y) = (num(at.0), num(at.1 + size * 0.35));
    let class = if other {
        "map-label map-label-other"
    } else {
        "map-label"
    };
    let name = esc(name);
    let fill = if other { LABEL_OTHER } else { LABEL };
    let weight = if other { "400" } else { "600" };
    put(
        halo,
        format_args!(
            "<text x=\"{x}\" y=\"{y}\" font-size=\"{}\" font-weight=\"{weight}\">{name}</text>",
            num(size)
        ),
    );
    put(
        text,
        format_args!(
            "<text class=\"{class}\" x=\"{x}\" y=\"{y}\" font-size=\"{}\" font-weight=\"{weight}\" fill=\"{fill}\">{name}</text>",
            num(size)
        ),
    );
}
