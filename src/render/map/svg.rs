//! The SVG document of one map, in drawing order: title and description, sea, land,
//! country names, the lines to dots drawn apart, and the dots, each a link. The
//! geometry comes decided (`layout`, `shapes`); this file only writes it out.

use super::draw::{self, DotKind, GLYPH, LABEL_OTHER_SIZE, LABEL_SIZE};
use super::layout::{self, Fit, LabelRequest, Rect};
use super::shapes::{Arcs, esc, num, path_data, put};
use super::{Dot, GeoBox, MapOptions, MapPoint, MapSvg, Projection, World, precision_phrase};
use std::collections::BTreeMap;

fn id_prefix(p: &str) -> String {
    let s: String = p
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "map".into() } else { s }
}

/// The SVG element. Long because it is the document's outline, in drawing order: sea,
/// land, names, leader lines, dots; each part is a few lines.
pub(super) fn svg(
    world: &World,
    proj: &Projection,
    points: &[MapPoint],
    map: &MapSvg,
    holding: &[usize],
    opts: &MapOptions,
) -> String {
    let (w, h) = (num(proj.width), num(proj.height));
    let id = id_prefix(&opts.id_prefix);
    let mut s = String::with_capacity(16 * 1024);
    put(
        &mut s,
        format_args!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            esc(&opts.title),
            esc(&describe(map)),
        ),
    );
    put(
        &mut s,
        format_args!(
            "<rect class=\"map-sea\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>",
            draw::SEA
        ),
    );
    // Outlines of every country whose box meets the map's, projected once.
    let mut arcs = Arcs::new(world, *proj);
    let mut rings: BTreeMap<usize, Vec<Vec<[f64; 2]>>> = BTreeMap::new();
    put(
        &mut s,
        format_args!(
            "<g class=\"map-land\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.7\" stroke-linejoin=\"round\">",
            draw::LAND,
            draw::BORDER
        ),
    );
    for (i, c) in world.countries().iter().enumerate() {
        if !c.bbox.intersects(&proj.bbox) {
            continue;
        }
        let r = arcs.rings(c);
        let d = path_data(&r, proj.width, proj.height);
        if d.is_empty() {
            continue;
        }
        if holding.contains(&i) {
            put(
                &mut s,
                format_args!(
                    "<path class=\"country country-marked\" fill=\"{}\" d=\"{d}\"/>",
                    draw::LAND_MARKED
                ),
            );
        } else {
            put(&mut s, format_args!("<path class=\"country\" d=\"{d}\"/>"));
        }
        rings.insert(i, r);
    }
    s.push_str("</g>");
    labels(
        &mut s,
        world,
        proj,
        map,
        holding,
        &rings,
        opts.label_neighbours,
    );
    leaders(&mut s, &map.dots);
    dots(&mut s, points, &map.dots);
    s.push_str("</svg>");
    s
}

/// Country names: those holding points first, then (optionally) neighbours, largest
/// first; each where it fits inside its country, clear of dots and other names. A
/// country holding points that is too small for its name gets it beside it;
/// a neighbour that is too small goes unnamed.
fn labels(
    s: &mut String,
    world: &World,
    proj: &Projection,
    map: &MapSvg,
    holding: &[usize],
    rings: &BTreeMap<usize, Vec<Vec<[f64; 2]>>>,
    neighbours: bool,
) {
    let view = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: proj.width,
        y1: proj.height,
    };
    let mut taken: Vec<Rect> = map
        .dots
        .iter()
        .flat_map(|d| {
            let r = d.kind.radius().min(10.0) + 2.0;
            [Rect::around(d.drawn, r, r), Rect::around(d.at, 3.0, 3.0)]
        })
        .collect();
    let mut others: Vec<(usize, f64)> = if neighbours {
        rings
            .iter()
            .filter(|(i, _)| !holding.contains(i))
            .filter_map(|(&i, _)| {
                Some((
                    i,
                    visible_area(&world.countries().get(i)?.bbox, proj, &view),
                ))
            })
            .collect()
    } else {
        Vec::new()
    };
    others.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let wanted = holding
        .iter()
        .map(|&i| (i, false))
        .chain(others.into_iter().map(|(i, _)| (i, true)));
    let (mut halo, mut text) = (String::new(), String::new());
    for (i, other) in wanted {
        let (Some(c), Some(r)) = (world.countries().get(i), rings.get(&i)) else {
            continue;
        };
        let size = if other { LABEL_OTHER_SIZE } else { LABEL_SIZE };
        let req = LabelRequest {
            half_w: c.name.chars().count() as f64 * GLYPH * size / 2.0 + 2.0,
            half_h: size * 0.6,
            preferred: proj.project(c.label),
            rings: r,
        };
        let at = layout::place_label(&req, view, 6.0, &taken, Fit::Inside).or_else(|| {
            (!other)
                .then(|| layout::place_label(&req, view, 6.0, &taken, Fit::Beside))
                .flatten()
        });
        if let Some(at) = at {
            taken.push(Rect::around(at, req.half_w + 4.0, req.half_h + 2.0));
            draw::label(&mut halo, &mut text, &c.name, at, other);
        }
    }
    if text.is_empty() {
        return;
    }
    put(
        s,
        format_args!(
            "<g class=\"map-label-halo\" text-anchor=\"middle\" fill=\"{h}\" stroke=\"{h}\" stroke-width=\"3.5\" stroke-linejoin=\"round\">{halo}</g>\
             <g class=\"map-labels\" text-anchor=\"middle\">{text}</g>",
            h = draw::HALO
        ),
    );
}

/// The area of a country's bounding box inside the view: a cheap "how much of it do we
/// see", to name the big neighbours first.
fn visible_area(bbox: &GeoBox, proj: &Projection, view: &Rect) -> f64 {
    let (x0, y0) = proj.xy(bbox.west, bbox.north);
    let (x1, y1) = proj.xy(bbox.east, bbox.south);
    let w = (x1.min(view.x1) - x0.max(view.x0)).max(0.0);
    let h = (y1.min(view.y1) - y0.max(view.y0)).max(0.0);
    w * h
}

/// Lines from a shared place to each dot drawn apart from it, and a mark at the place.
fn leaders(s: &mut String, dots: &[Dot]) {
    let spread: Vec<&Dot> = dots.iter().filter(|d| d.group > 1).collect();
    if spread.is_empty() {
        return;
    }
    let mut d = String::new();
    let mut places: Vec<(String, String)> = Vec::new();
    for dot in &spread {
        let (ax, ay) = (num(dot.at.0), num(dot.at.1));
        put(
            &mut d,
            format_args!("M{ax} {ay}L{} {}", num(dot.drawn.0), num(dot.drawn.1)),
        );
        if !places.contains(&(ax.clone(), ay.clone())) {
            places.push((ax, ay));
        }
    }
    put(
        s,
        format_args!(
            "<g class=\"map-leader\" fill=\"{c}\"><path d=\"{d}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"1\"/>",
            c = draw::LEADER
        ),
    );
    for (x, y) in places {
        put(s, format_args!("<circle cx=\"{x}\" cy=\"{y}\" r=\"2\"/>"));
    }
    s.push_str("</g>");
}

/// One link per dot, largest circles first so the small ones stay on top.
fn dots(s: &mut String, points: &[MapPoint], dots: &[Dot]) {
    let mut order: Vec<&Dot> = dots.iter().collect();
    order.sort_by_key(|d| (d.kind.draw_order(), d.index));
    s.push_str("<g class=\"map-dots\">");
    // Dots come in draw order, so those of one paint are adjacent: one group each.
    let mut paint: Option<u8> = None;
    for d in order {
        let key = draw::paint_key(d.kind);
        if paint != Some(key) {
            if paint.is_some() {
                s.push_str("</g>");
            }
            s.push_str(&draw::dot_group(d.kind));
            paint = Some(key);
        }
        let p = &points[d.index];
        let mut title = format!("{} ({}", p.title, dot_precision(p, d.kind));
        if d.group > 1 {
            put(
                &mut title,
                format_args!("; one of {} incidents at this place, drawn apart", d.group),
            );
        }
        title.push(')');
        put(
            s,
            format_args!(
                "<a class=\"map-dot\" href=\"{}\"><title>{}</title>",
                esc(&p.url),
                esc(&title)
            ),
        );
        draw::dot_circles(s, d.kind, d.drawn.0, d.drawn.1);
        s.push_str("</a>");
    }
    if paint.is_some() {
        s.push_str("</g>");
    }
    s.push_str("</g>");
}

fn dot_precision(p: &MapPoint, kind: DotKind) -> &'static str {
    match p.precision {
        None => "location precision not stated",
        Some(_) => precision_phrase(kind),
    }
}

/// The map's `<desc>`: what it shows, in a sentence or three.
fn describe(map: &MapSvg) -> String {
    let n = map.dots.len();
    let mut s = match n {
        0 => "A map with no incidents on it".to_owned(),
        1 => "A map of 1 incident".to_owned(),
        n => format!("A map of {n} incidents"),
    };
    let names = &map.countries;
    if !names.is_empty() {
        s.push_str(" in ");
        s.push_str(&list(names));
    }
    s.push('.');
    let approximate = map
        .dots
        .iter()
        .filter(|d| matches!(d.kind, DotKind::Area(_)))
        .count();
    if approximate > 0 {
        put(
            &mut s,
            format_args!(
                " {approximate} {} located only to a district, region or country, shown as larger circles.",
                if approximate == 1 { "is" } else { "are" }
            ),
        );
    }
    if map.dots.iter().any(|d| d.group > 1) {
        s.push_str(" Incidents at the same place are drawn apart around it.");
    }
    s
}

/// "A", "A and B", "A, B and C"; past five names, "A, B, C, D, E and 3 other countries".
fn list(names: &[String]) -> String {
    const MAX: usize = 5;
    let mut shown: Vec<String> = names.iter().take(MAX).cloned().collect();
    if names.len() > MAX {
        shown.push(format!("{} other countries", names.len() - MAX));
    }
    match shown.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
