//! Country outlines as SVG path data for one projection: each arc projected and
//! simplified once (so two neighbours share exactly the same border), rings assembled,
//! cut to the view with a margin, and written with coordinates rounded to a tenth of a
//! user unit. Also the small text helpers every part of the SVG uses: number formatting
//! and XML escaping. Nothing here chooses what to draw.

use super::projection::Projection;
use super::world::{Country, World};
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
}

impl<'w> Arcs<'w> {
    pub fn new(world: &'w World, proj: Projection) -> Self {
        Arcs {
            world,
            proj,
            cache: BTreeMap::new(),
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
        let (world, proj) = (self.world, self.proj);
        self.cache.entry(n).or_insert_with(|| {
            let pts: Vec<[f64; 2]> = world
                .arc(r)
                .unwrap_or_default()
                .iter()
                .map(|&[lon, lat]| {
                    let (x, y) = proj.xy(lon, lat);
                    [x, y]
                })
                .collect();
            simplify(&pts, SIMPLIFY)
        })
    }
}

/// Douglas–Peucker: keep the end points, and any point farther than `tol` from the
/// line its neighbours kept. Iterative, so no input is deep enough to overflow a stack.
pub fn simplify(pts: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
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

pub fn segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a[0] + t * dx, a[1] + t * dy);
    // Squares written out and `sqrt` (exactly rounded): the same on every machine.
    let (ex, ey) = (p[0] - x, p[1] - y);
    (ex * ex + ey * ey).sqrt()
}

/// Path data for projected rings inside a `width` x `height` view: each ring cut to
/// the view plus a margin (Sutherland–Hodgman against the rectangle: a cut ring runs
/// along the margin, out of sight), rounded, and dropped when smaller than `MIN_RING`.
/// Empty when nothing is left.
pub fn path_data(rings: &[Vec<[f64; 2]>], width: f64, height: f64) -> String {
    let mut d = String::new();
    for ring in rings {
        let cut = clip(ring, -MARGIN, -MARGIN, width + MARGIN, height + MARGIN);
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
    use super::*;

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

    #[test]
    fn simplify_keeps_corners_and_drops_collinear_points() {
        let line = [[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [2.0, 5.0]];
        assert_eq!(
            simplify(&line, 0.4),
            vec![[0.0, 0.0], [2.0, 0.0], [2.0, 5.0]]
        );
    }
}
