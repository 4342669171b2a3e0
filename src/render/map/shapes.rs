//! Country outlines as SVG path data for one projection: each arc projected and
//! simplified once (so two neighbours share exactly the same border), rings assembled,
//! cut to the view with a margin, and written with coordinates rounded to a tenth of a
//! user unit. Also the small text helpers every part of the SVG uses: number formatting
//! and XML escaping. Nothing here chooses what to draw.

use super::projection::Projection;
use super::world::{Country, GeoBox, World};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Points closer than this to the simplified line are dropped (user units; the map is
/// a few hundred units across, so this is well under a screen pixel).
const SIMPLIFY: f64 = 0.4;
/// Rings smaller than this across and down are not drawn (user units).
const MIN_RING: f64 = 1.0;
/// Outlines are cut this far outside the view, so the cut edges are never seen.
const MARGIN: f64 = 8.0;

/// Projected, simplified arcs, by arc number, each computed at most once per map.
pub struct Arcs<'w> {
    world: &'w World,
    proj: Projection,
    cache: BTreeMap<usize, Vec<[f64; 2]>>,
    /// Arcs wholly beyond the cut are shortened to their ends (`beyond_cut`); off only
    /// in the test that proves it changes nothing in the view.
    cut: bool,
}

impl<'w> Arcs<'w> {
    pub fn new(world: &'w World, proj: Projection) -> Self {
        Arcs {
            world,
            proj,
            cache: BTreeMap::new(),
            cut: true,
        }
    }

    /// A country's rings projected (unsimplified points are not kept), uncut.
    pub fn rings(&mut self, c: &Country) -> Vec<Vec<[f64; 2]>> {
        c.polygons
            .iter()
            .flatten()
            .map(|ring| {
                let mut out: Vec<[f64; 2]> = Vec::new();
                for &r in ring {
                    let arc = self.arc(r);
                    let skip = usize::from(!out.is_empty());
                    if r >= 0 {
                        out.extend(arc.iter().skip(skip));
                    } else {
                        out.extend(arc.iter().rev().skip(skip));
                    }
                }
                out
            })
            .collect()
    }

    fn arc(&mut self, r: i32) -> &[[f64; 2]] {
        let n = if r >= 0 { r } else { !r };
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        let (world, proj, cut) = (self.world, self.proj, self.cut);
        self.cache.entry(n).or_insert_with(|| {
            let pts = world.arc(r).unwrap_or_default();
            let project = |&[lon, lat]: &[f64; 2]| {
                let (x, y) = proj.xy(lon, lat);
                [x, y]
            };
            if cut && world.arc_box(r).is_some_and(|b| beyond_cut(&proj, b)) {
                // Only the ends can matter: the chord between them stays beyond the
                // same edge, so the ring covers the same part of the view.
                return match (pts.first(), pts.last()) {
                    (Some(a), Some(b)) if pts.len() > 1 => vec![project(a), project(b)],
                    _ => pts.iter().map(project).collect(),
                };
            }
            // Douglas–Peucker at `SIMPLIFY` user units, from the weights the world
            // computed once, in degrees of latitude.
            let tol = SIMPLIFY / proj.scale;
            let weights = world.arc_weights(r).unwrap_or_default();
            pts.iter()
                .zip(weights)
                .filter(|&(_, &w)| w > tol)
                .map(|(p, _)| project(p))
                .collect()
        })
    }
}

/// Whether a box lies wholly beyond one edge of the cut (the view plus `MARGIN`, plus
/// a unit to spare for rounding). Such an arc is drawn as the straight line between
/// its ends: whatever it does out there, it cannot cross into the view, and a chord
/// between two points beyond an edge stays beyond it (a half-plane is convex), so the
/// ring's fill and every inside test within the view are unchanged. Most arcs of a
/// large neighbour are out there, and are then neither projected in full nor
/// simplified, clipped or tested.
fn beyond_cut(proj: &Projection, b: &GeoBox) -> bool {
    let (x0, y0) = proj.xy(b.west, b.north);
    let (x1, y1) = proj.xy(b.east, b.south);
    let edge = MARGIN + 1.0;
    x1 < -edge || y1 < -edge || x0 > proj.width + edge || y0 > proj.height + edge
}

/// Path data for projected rings inside a `width` x `height` view: each ring cut to
/// the view plus a margin (Sutherland–Hodgman against the rectangle: a cut ring runs
/// along the margin, out of sight), rounded, and dropped when smaller than `MIN_RING`.
/// Empty when nothing is left.
pub fn path_data(rings: &[Vec<[f64; 2]>], width: f64, height: f64) -> String {
    let mut d = String::new();
    let (x0, y0, x1, y1) = (-MARGIN, -MARGIN, width + MARGIN, height + MARGIN);
    for ring in rings {
        let [bx0, by0, bx1, by1] = ring.iter().fold(
            [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ],
            |[a, b, c, d], p| [a.min(p[0]), b.min(p[1]), c.max(p[0]), d.max(p[1])],
        );
        if bx1 < x0 || by1 < y0 || bx0 > x1 || by0 > y1 {
            // Wholly beyond one edge: clipping would leave nothing.
            continue;
        }
        let inside = bx0 >= x0 && by0 >= y0 && bx1 <= x1 && by1 <= y1;
        // A ring wholly inside comes out of the clip unchanged.
        let cut = if inside {
            std::borrow::Cow::Borrowed(ring.as_slice())
        } else {
            std::borrow::Cow::Owned(clip(ring, x0, y0, x1, y1))
        };
        let tenths = dedup_tenths(&cut);
        if tenths.len() < 3 || !big_enough(&tenths) {
            continue;
        }
        let mut prev = tenths[0];
        write_cmd(&mut d, 'M', prev);
        d.push('l');
        for &p in &tenths[1..] {
            let delta = (p.0 - prev.0, p.1 - prev.1);
            push_num(&mut d, delta.0);
            push_num(&mut d, delta.1);
            prev = p;
        }
        d.push('z');
    }
    d
}

fn write_cmd(d: &mut String, cmd: char, p: (i64, i64)) {
    d.push(cmd);
    push_tenths(d, p.0);
    push_num(d, p.1);
}

/// Append a number in tenths, with a space before it unless its minus sign separates
/// it, or it follows a command letter.
fn push_num(d: &mut String, v: i64) {
    if v >= 0 && !d.ends_with(|c: char| c.is_ascii_alphabetic()) {
        d.push(' ');
    }
    push_tenths(d, v);
}

/// Append `tenths_str(t)` with no allocation: paths hold thousands of numbers.
fn push_tenths(d: &mut String, t: i64) {
    if t < 0 {
        d.push('-');
    }
    let a = t.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut n = a / 10;
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &digits[k..] {
        d.push(char::from(b));
    }
    if !a.is_multiple_of(10) {
        d.push('.');
        d.push(char::from(b'0' + (a % 10) as u8));
    }
}

fn dedup_tenths(pts: &[[f64; 2]]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(pts.len());
    for p in pts {
        let t = (to_tenths(p[0]), to_tenths(p[1]));
        if out.last() != Some(&t) {
            out.push(t);
        }
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

fn big_enough(pts: &[(i64, i64)]) -> bool {
    let span = |f: fn(&(i64, i64)) -> i64| {
        let (lo, hi) = pts
            .iter()
            .map(f)
            .fold((i64::MAX, i64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        hi.saturating_sub(lo)
    };
    let min = to_tenths(MIN_RING);
    span(|p| p.0) >= min || span(|p| p.1) >= min
}

/// Sutherland–Hodgman clipping of a closed ring to an axis-aligned rectangle.
pub fn clip(ring: &[[f64; 2]], x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    let mut pts = ring.to_vec();
    let edges: [(usize, f64, bool); 4] =
        [(0, x0, true), (0, x1, false), (1, y0, true), (1, y1, false)];
    for (axis, at, keep_above) in edges {
        let inside = |p: &[f64; 2]| {
            if keep_above {
                p[axis] >= at
            } else {
                p[axis] <= at
            }
        };
        let Some(&last) = pts.last() else { break };
        let mut out = Vec::with_capacity(pts.len() + 4);
        let mut prev = last;
        for &p in &pts {
            match (inside(&prev), inside(&p)) {
                (true, true) => out.push(p),
                (true, false) => out.push(crossing(prev, p, axis, at)),
                (false, true) => {
                    out.push(crossing(prev, p, axis, at));
                    out.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
        pts = out;
    }
    pts
}

fn crossing(a: [f64; 2], b: [f64; 2], axis: usize, at: f64) -> [f64; 2] {
    let t = (at - a[axis]) / (b[axis] - a[axis]);
    let mut p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    p[axis] = at;
    p
}

fn to_tenths(v: f64) -> i64 {
    // `as` saturates on huge values and maps NaN to 0; neither occurs for points that
    // were projected into a view, and neither panics.
    (v * 10.0).round() as i64
}

fn tenths_str(t: i64) -> String {
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// A coordinate or length rounded to one decimal, without a trailing ".0" and never
/// "-0": the same value always prints the same.
pub fn num(v: f64) -> String {
    tenths_str(to_tenths(v))
}

/// Escape text for XML character data and attribute values (either quote).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids (controls other than tab and newlines).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Append `format_args!` output to a String (writing to a String cannot fail).
pub fn put(out: &mut String, args: std::fmt::Arguments<'_>) {
    let _ = out.write_fmt(args);
}

#[cfg(test)]
mod tests {
    use super::super::world::{dp_weights, ring_contains, segment_distance};
    use super::*;

    /// The textbook algorithm, to hold the weights to.
    /// Douglas–Peucker: keep the end points, and any point farther than `tol` from the
    /// line its neighbours kept. Iterative, so no input is deep enough to overflow a stack.
    fn simplify(pts: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
        if pts.len() < 3 {
            return pts.to_vec();
        }
        let mut keep = vec![false; pts.len()];
        keep[0] = true;
        keep[pts.len() - 1] = true;
        let mut stack = vec![(0, pts.len() - 1)];
        while let Some((a, b)) = stack.pop() {
            let (mut far, mut far_d) = (a, 0.0);
            for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
                let d = segment_distance(*p, pts[a], pts[b]);
                if d > far_d {
                    (far, far_d) = (i, d);
                }
            }
            if far_d > tol {
                keep[far] = true;
                stack.push((a, far));
                stack.push((far, b));
            }
        }
        pts.iter()
            .zip(keep)
            .filter_map(|(p, k)| k.then_some(*p))
            .collect()
    }

    #[test]
    fn numbers_append_as_they_print() {
        for t in [0, 5, -5, 10, -10, 123, -123, 1_000_000, -7, i64::MIN + 1] {
            let mut d = String::new();
            push_tenths(&mut d, t);
            assert_eq!(d, tenths_str(t), "{t}");
        }
    }

    #[test]
    fn numbers_print_stably() {
        assert_eq!(num(0.04), "0");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-12.06), "-12.1");
    }

    #[test]
    fn escaping_covers_markup_quotes_and_controls() {
        assert_eq!(
            esc("<script>\"a\" & 'b'\u{1}</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39; &lt;/script&gt;"
        );
    }

    #[test]
    fn clipping_a_square_cuts_it_to_the_rectangle() {
        let sq = [[-5.0, -5.0], [5.0, -5.0], [5.0, 5.0], [-5.0, 5.0]];
        let c = clip(&sq, 0.0, 0.0, 10.0, 10.0);
        assert!(c.iter().all(|p| p[0] >= 0.0 && p[1] >= 0.0));
        assert_eq!(dedup_tenths(&c).len(), 4);
        assert!(clip(&sq, 20.0, 20.0, 30.0, 30.0).is_empty());
    }

    #[test]
    fn path_data_is_relative_and_drops_specks() {
        let ring = vec![[10.0, 10.0], [20.0, 10.0], [20.0, 25.5], [10.0, 10.0]];
        assert_eq!(path_data(&[ring], 100.0, 100.0), "M10 10l10 0 0 15.5z");
        let speck = vec![[1.0, 1.0], [1.2, 1.0], [1.2, 1.2]];
        assert_eq!(path_data(&[speck], 100.0, 100.0), "");
    }

    /// Shortening the arcs beyond the cut leaves every point of the view inside the
    /// same countries, on crops where big neighbours reach far outside.
    #[test]
    fn arcs_beyond_the_cut_change_nothing_in_the_view() {
        let world = World::get();
        let crops = [
            (-6.0, 8.0, 6.0, 18.0),
            (22.0, 44.0, 42.0, 53.0),
            (34.0, 29.0, 48.0, 38.0),
            (95.0, 15.0, 102.0, 25.0),
        ];
        let (mut total_kept, mut total) = (0, 0);
        for (west, south, east, north) in crops {
            let bbox = GeoBox {
                west,
                south,
                east,
                north,
            };
            let proj = Projection::fit(bbox, 500.0);
            let mut cut = Arcs::new(world, proj);
            let mut full = Arcs::new(world, proj);
            full.cut = false;
            let (mut kept, mut all) = (0, 0);
            for c in world
                .countries()
                .iter()
                .filter(|c| c.bbox.intersects(&bbox))
            {
                let (a, b) = (cut.rings(c), full.rings(c));
                kept += a.iter().map(Vec::len).sum::<usize>();
                all += b.iter().map(Vec::len).sum::<usize>();
                let inside = |rings: &[Vec<[f64; 2]>], x, y| {
                    rings.iter().filter(|r| ring_contains(r, x, y)).count() % 2 == 1
                };
                let mut y = 0.25;
                while y < proj.height {
                    let mut x = 0.25;
                    while x < proj.width {
                        assert_eq!(inside(&a, x, y), inside(&b, x, y), "{} at {x},{y}", c.name);
                        x += 2.0;
                    }
                    y += 2.0;
                }
            }
            assert!(kept < all, "{west},{south}: {kept} of {all} points kept");
            (total_kept, total) = (total_kept + kept, total + all);
        }
        assert!(
            total_kept * 3 < total * 2,
            "{total_kept} of {total} points kept"
        );
    }

    #[test]
    fn weights_give_douglas_peucker_at_any_tolerance() {
        let world = World::get();
        let mut tested = 0;
        for r in (0..400).step_by(7) {
            let Some(arc) = world.arc(r) else { continue };
            let w = dp_weights(arc);
            for tol in [0.0, 0.01, 0.05, 0.2, 1.0, 5.0] {
                let kept: Vec<[f64; 2]> = arc
                    .iter()
                    .zip(&w)
                    .filter(|&(_, &w)| w > tol)
                    .map(|(p, _)| *p)
                    .collect();
                assert_eq!(kept, simplify(arc, tol), "arc {r} at {tol}");
                tested += 1;
            }
        }
        assert!(tested > 100);
    }

    #[test]
    fn simplify_keeps_corners_and_drops_collinear_points() {
        let line = [[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [2.0, 5.0]];
        assert_eq!(
            simplify(&line, 0.4),
            vec![[0.0, 0.0], [2.0, 0.0], [2.0, 5.0]]
        );
    }
}
