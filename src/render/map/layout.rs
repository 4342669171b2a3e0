//! Where things go on the map once the projection is fixed: incidents that would be
//! drawn on top of each other are spread around their shared place, and country names
//! are placed inside their country, clear of the dots and of each other. Pure geometry
//! in user units; `mod.rs` turns the result into SVG.

use super::projection::{cos_deg, sin_deg};
use std::collections::BTreeMap;

/// Dots whose centres are closer than this (user units) count as the same place.
pub const SAME_PLACE: f64 = 4.0;
/// Distance between neighbouring dots of a spread group (user units).
pub const SPREAD_STEP: f64 = 13.0;

/// Where each dot is drawn: `at` its place, or moved to `drawn` because `group` dots
/// share it (`group` is 1 for a dot on its own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub at: (f64, f64),
    pub drawn: (f64, f64),
    pub group: usize,
}

/// Spread dots that share a place. Places are joined transitively (a chain of close
/// dots is one group); each group's dots go on rings around the group's mean position:
/// up to 6 on the first ring (fewer are spaced `SPREAD_STEP` apart), 12 on the second,
/// and so on, starting at the top and going clockwise in input order. Deterministic:
/// grouping uses a grid of `SAME_PLACE` cells and sorted maps, never hashing.
pub fn spread(points: &[(f64, f64)]) -> Vec<Placed> {
    let groups = group_close(points);
    let mut out: Vec<Placed> = points
        .iter()
        .map(|&p| Placed {
            at: p,
            drawn: p,
            group: 1,
        })
        .collect();
    for members in groups.into_values().filter(|m| m.len() > 1) {
        let n = members.len() as f64;
        let (sx, sy) = members.iter().fold((0.0, 0.0), |(sx, sy), &i| {
            (sx + points[i].0, sy + points[i].1)
        });
        let centre = (sx / n, sy / n);
        for (slot, &i) in members.iter().enumerate() {
            let (dx, dy) = ring_slot(slot, members.len());
            out[i] = Placed {
                at: points[i],
                drawn: (centre.0 + dx, centre.1 + dy),
                group: members.len(),
            };
        }
    }
    out
}

/// The offset of slot `i` of `n`: rings of 6, 12, 18... slots, radius `SPREAD_STEP`
/// per ring; a group of up to 6 sits on one ring just wide enough for its dots to be
/// `SPREAD_STEP` apart.
fn ring_slot(i: usize, n: usize) -> (f64, f64) {
    let (mut ring, mut first) = (1usize, 0usize);
    while i >= first + 6 * ring {
        first += 6 * ring;
        ring += 1;
    }
    let on_ring = (n - first).min(6 * ring) as f64;
    let radius = if n <= 6 {
        (SPREAD_STEP / 2.0 / sin_deg(180.0 / on_ring)).min(SPREAD_STEP)
    } else {
        SPREAD_STEP * ring as f64
    };
    // From the top, clockwise (y points down); each outer ring turned a little so its
    // dots do not line up with the inner ring's. Degrees, and the portable sine and
    // cosine, so positions are the same on every machine.
    let angle = -90.0 + 360.0 * (i - first) as f64 / on_ring + (ring - 1) as f64 * 30.0;
    (radius * cos_deg(angle), radius * sin_deg(angle))
}

/// Groups of points within `SAME_PLACE` of each other (union-find over neighbouring
/// grid cells), keyed by their smallest index, members in input order.
fn group_close(points: &[(f64, f64)]) -> BTreeMap<usize, Vec<usize>> {
    let cell = |p: (f64, f64)| {
        (
            (p.0 / SAME_PLACE).floor() as i64,
            (p.1 / SAME_PLACE).floor() as i64,
        )
    };
    let mut grid: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, &p) in points.iter().enumerate() {
        grid.entry(cell(p)).or_default().push(i);
    }
    let mut parent: Vec<usize> = (0..points.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, &p) in points.iter().enumerate() {
        let (cx, cy) = cell(p);
        for nx in cx - 1..=cx + 1 {
            for ny in cy - 1..=cy + 1 {
                for &j in grid.get(&(nx, ny)).map(Vec::as_slice).unwrap_or_default() {
                    let q = points[j];
                    if j > i && dist2(p, q) < SAME_PLACE * SAME_PLACE {
                        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..points.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups
}

/// An axis-aligned rectangle in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn around(c: (f64, f64), half_w: f64, half_h: f64) -> Rect {
        Rect {
            x0: c.0 - half_w,
            y0: c.1 - half_h,
            x1: c.0 + half_w,
            y1: c.1 + half_h,
        }
    }

    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn points(&self) -> [(f64, f64); 5] {
        let c = ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0);
        [
            c,
            (self.x0, self.y0),
            (self.x1, self.y0),
            (self.x0, self.y1),
            (self.x1, self.y1),
        ]
    }
}

/// A label to place: its text box size and the country's projected rings.
pub struct LabelRequest<'a> {
    pub half_w: f64,
    pub half_h: f64,
    /// The country's preferred label point, projected (may lie outside the view).
    pub preferred: (f64, f64),
    pub rings: &'a [Vec<[f64; 2]>],
}

/// How a name must sit relative to its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Wholly inside the outline (centre and corners).
    Inside,
    /// Touching the country's box, spilling over its neighbours if need be: for a
    /// country too small to hold its name at this scale.
    Beside,
}

/// How far (user units) a `Fit::Beside` name may stand off its country's box.
const BESIDE_GAP: f64 = 4.0;

/// Find a centre for a label: its box must lie inside the view (less `inset`), sit in
/// or beside the country as `fit` says, and stay clear of `taken` (dots, earlier
/// labels). Tried: the preferred point, then a grid over the country's visible box,
/// nearest to the preferred point first. `None` when the name does not fit.
pub fn place_label(
    req: &LabelRequest<'_>,
    view: Rect,
    inset: f64,
    taken: &[Rect],
    fit: Fit,
) -> Option<(f64, f64)> {
    let inner = Rect {
        x0: view.x0 + inset + req.half_w,
        y0: view.y0 + inset + req.half_h,
        x1: view.x1 - inset - req.half_w,
        y1: view.y1 - inset - req.half_h,
    };
    if inner.x0 > inner.x1 || inner.y0 > inner.y1 {
        return None;
    }
    let country = ring_box(req.rings);
    let reach = match fit {
        Fit::Inside => country,
        Fit::Beside => Rect {
            x0: country.x0 - req.half_w - BESIDE_GAP,
            y0: country.y0 - req.half_h - BESIDE_GAP,
            x1: country.x1 + req.half_w + BESIDE_GAP,
            y1: country.y1 + req.half_h + BESIDE_GAP,
        },
    };
    let (x0, x1) = (inner.x0.max(reach.x0), inner.x1.min(reach.x1));
    let (y0, y1) = (inner.y0.max(reach.y0), inner.y1.min(reach.y1));
    if x0 > x1 || y0 > y1 {
        return None;
    }
    // A centre that can pass, whatever is taken: inside the view, and for `Inside` far
    // enough into the country's box for the whole name (a name wider or taller than
    // the box never fits), for `Beside` near enough to touch it.
    let feasible = match fit {
        Fit::Inside => Rect {
            x0: inner.x0.max(country.x0 + req.half_w),
            y0: inner.y0.max(country.y0 + req.half_h),
            x1: inner.x1.min(country.x1 - req.half_w),
            y1: inner.y1.min(country.y1 - req.half_h),
        },
        Fit::Beside => Rect {
            x0: inner.x0.max(country.x0 - req.half_w - BESIDE_GAP),
            y0: inner.y0.max(country.y0 - req.half_h - BESIDE_GAP),
            x1: inner.x1.min(country.x1 + req.half_w + BESIDE_GAP),
            y1: inner.y1.min(country.y1 + req.half_h + BESIDE_GAP),
        },
    };
    if feasible.x0 > feasible.x1 || feasible.y0 > feasible.y1 {
        return None;
    }
    let can = |c: &(f64, f64)| {
        (feasible.x0..=feasible.x1).contains(&c.0) && (feasible.y0..=feasible.y1).contains(&c.1)
    };
    // Only what lies where a candidate's box can be may block it.
    let zone = Rect {
        x0: feasible.x0 - req.half_w,
        y0: feasible.y0 - req.half_h,
        x1: feasible.x1 + req.half_w,
        y1: feasible.y1 + req.half_h,
    };
    let taken: Vec<&Rect> = taken.iter().filter(|t| t.overlaps(&zone)).collect();
    const STEPS: usize = 16;
    // The preferred point, then a grid over the reachable box; each with its distance
    // to the preferred point and its place in that order, so the sort below keeps
    // grid order among equal distances.
    let mut candidates: Vec<(f64, usize, (f64, f64))> = Vec::new();
    let mut consider = |c: (f64, f64)| {
        let k = candidates.len();
        if can(&c) {
            candidates.push((dist2(c, req.preferred), k, c));
        } else {
            // Keep the numbering of the full list.
            candidates.push((f64::NAN, k, c));
        }
    };
    consider(req.preferred);
    for i in 0..=STEPS {
        for j in 0..=STEPS {
            let t = |a: f64, b: f64, k: usize| a + (b - a) * k as f64 / STEPS as f64;
            consider((t(x0, x1, i), t(y0, y1, j)));
        }
    }
    candidates.retain(|c| !c.0.is_nan());
    candidates.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut outline = Crossings::new(req.rings);
    // Cheapest tests first: the dots and earlier labels, then the outline.
    candidates.into_iter().map(|c| c.2).find(|&c| {
        let r = Rect::around(c, req.half_w, req.half_h);
        if taken.iter().any(|t| t.overlaps(&r)) {
            return false;
        }
        match fit {
            Fit::Inside => r.points().iter().all(|&(x, y)| outline.inside(x, y)),
            Fit::Beside => {
                Rect::around(c, req.half_w + BESIDE_GAP, req.half_h + BESIDE_GAP).overlaps(&country)
            }
        }
    })
}

/// Where the rings cross horizontal lines, each line worked out once: candidates share
/// a few dozen lines, so an inside test is then a binary search instead of a walk
/// round every ring. The crossings are those `world::ring_contains` computes, with the
/// same arithmetic, so the answer is the same: a point is inside an odd number of
/// rings when an odd number of crossings lie to its right.
struct Crossings<'a> {
    rings: &'a [Vec<[f64; 2]>],
    lines: Vec<(u64, Vec<f64>)>,
}

impl<'a> Crossings<'a> {
    fn new(rings: &'a [Vec<[f64; 2]>]) -> Self {
        Crossings {
            rings,
            lines: Vec::new(),
        }
    }

    fn inside(&mut self, x: f64, y: f64) -> bool {
        let key = y.to_bits();
        let k = match self.lines.iter().position(|l| l.0 == key) {
            Some(k) => k,
            None => {
                self.lines.push((key, crossings(self.rings, y)));
                self.lines.len() - 1
            }
        };
        let xs = &self.lines[k].1;
        (xs.len() - xs.partition_point(|&v| v <= x)) % 2 == 1
    }
}

/// The x of every edge crossing the line at `y`, ascending.
fn crossings(rings: &[Vec<[f64; 2]>], y: f64) -> Vec<f64> {
    let mut xs = Vec::new();
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut b = last;
        for &a in ring {
            if (a[1] > y) != (b[1] > y) {
                xs.push((b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]);
            }
            b = a;
        }
    }
    xs.sort_unstable_by(f64::total_cmp);
    xs
}

/// Squared distance: plain arithmetic, the same on every machine (`hypot` is not).
fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    dx * dx + dy * dy
}

fn ring_box(rings: &[Vec<[f64; 2]>]) -> Rect {
    rings.iter().flatten().fold(
        Rect {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        },
        |b, p| Rect {
            x0: b.x0.min(p[0]),
            y0: b.y0.min(p[1]),
            x1: b.x1.max(p[0]),
            y1: b.y1.max(p[1]),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::world::{World, ring_contains};
    use super::*;

    /// The crossings answer as walking every ring does, for real outlines and for
    /// points on their vertices' lines.
    #[test]
    fn crossings_agree_with_the_ring_walk() {
        let world = World::get();
        let mut checked = 0;
        for c in world.countries().iter().step_by(5) {
            let rings: Vec<Vec<[f64; 2]>> = c
                .polygons
                .iter()
                .flatten()
                .map(|r| world.ring_points(r))
                .collect();
            let mut outline = Crossings::new(&rings);
            let b = &c.bbox;
            let ys = (0..=12).map(|j| b.south + b.height() * f64::from(j) / 12.0);
            let ys: Vec<f64> = ys
                .chain(rings.iter().flatten().take(5).map(|p| p[1]))
                .collect();
            for &y in &ys {
                for i in 0..=12 {
                    let x = b.west + b.width() * f64::from(i) / 12.0;
                    let walk = rings.iter().filter(|r| ring_contains(r, x, y)).count() % 2 == 1;
                    assert_eq!(outline.inside(x, y), walk, "{} at {x},{y}", c.name);
                    checked += 1;
                }
            }
        }
        assert!(checked > 3000);
    }

    #[test]
    fn points_at_one_place_are_spread_and_others_stay_put() {
        let pts = [
            (100.0, 100.0),
            (100.0, 100.0),
            (100.5, 100.0),
            (300.0, 50.0),
        ];
        let placed = spread(&pts);
        assert_eq!(placed[3].drawn, (300.0, 50.0));
        assert_eq!(placed[3].group, 1);
        for i in 0..3 {
            assert_eq!(placed[i].group, 3);
            for j in 0..i {
                let (a, b) = (placed[i].drawn, placed[j].drawn);
                assert!(
                    (a.0 - b.0).hypot(a.1 - b.1) >= SPREAD_STEP - 1e-9,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn large_groups_fill_rings_without_overlap() {
        let pts = vec![(0.0, 0.0); 40];
        let placed = spread(&pts);
        for i in 0..placed.len() {
            for j in 0..i {
                let (a, b) = (placed[i].drawn, placed[j].drawn);
                assert!((a.0 - b.0).hypot(a.1 - b.1) > 5.0, "{i} {j} {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_label_avoids_dots_and_stays_in_its_country() {
        let square = vec![vec![[0.0, 0.0], [200.0, 0.0], [200.0, 100.0], [0.0, 100.0]]];
        let req = LabelRequest {
            half_w: 30.0,
            half_h: 8.0,
            preferred: (100.0, 50.0),
            rings: &square,
        };
        let view = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 400.0,
        };
        assert_eq!(
            place_label(&req, view, 4.0, &[], Fit::Inside),
            Some((100.0, 50.0))
        );
        let dot = Rect::around((100.0, 50.0), 5.0, 5.0);
        let moved = place_label(&req, view, 4.0, &[dot], Fit::Inside).unwrap();
        assert!(!Rect::around(moved, 30.0, 8.0).overlaps(&dot));
        assert!(moved.0 >= 30.0 && moved.0 <= 170.0, "{moved:?}");
        let tiny = vec![vec![[0.0, 0.0], [20.0, 0.0], [20.0, 10.0], [0.0, 10.0]]];
        let req = LabelRequest {
            rings: &tiny,
            preferred: (10.0, 5.0),
            ..req
        };
        assert_eq!(place_label(&req, view, 4.0, &[], Fit::Inside), None);
        let beside = place_label(&req, view, 4.0, &[], Fit::Beside).unwrap();
        let label = Rect::around(beside, 30.0, 8.0);
        assert!(
            label.overlaps(&Rect::around((10.0, 5.0), 10.0 + 4.0, 5.0 + 4.0)),
            "{beside:?}"
        );
    }
}
