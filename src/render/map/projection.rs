//! Where a map looks and how the globe is flattened onto it: `choose_box` picks the
//! latitude/longitude box a set of points is shown in, and `Projection` maps degrees to
//! the SVG's user units. Plain f64 arithmetic in a fixed order, so the same points give
//! the same box and the same coordinates on every machine.

use super::world::{GeoBox, LatLon};

/// The part of the globe a map may show. The data reaches 83.6° N; below 60° S there is
/// only Antarctica, which no conflict map needs, and which would squash a world map.
pub const WORLD: GeoBox = GeoBox {
    west: -180.0,
    south: -60.0,
    east: 180.0,
    north: 85.0,
};

/// How `choose_box` frames points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Framing {
    /// The smallest extent shown, in degrees of latitude (and the same distance across):
    /// a single incident gets a regional map this size.
    pub min_span: f64,
    /// Padding on each side, as a share of the points' larger extent.
    pub padding: f64,
    /// The height/width ratio of the map is kept within these bounds by widening the
    /// box (a line of incidents along a border still gets a readable map).
    pub min_aspect: f64,
    pub max_aspect: f64,
}

impl Default for Framing {
    fn default() -> Self {
        Framing {
            min_span: 5.0,
            padding: 0.25,
            min_aspect: 0.6,
            max_aspect: 1.0,
        }
    }
}

/// The box to show: the points' box (widened by `extra` boxes, such as the countries a
/// page asks to show whole), padded, grown to the minimum span and into the aspect
/// bounds around its centre, and kept on the world (shifted back inside, then cut to
/// it). Distances across are measured as the projection will draw them, in degrees of
/// longitude times the cosine of the centre latitude. `None` without points or boxes.
pub fn choose_box(points: &[LatLon], extra: &[GeoBox], framing: &Framing) -> Option<GeoBox> {
    let mut boxes = points
        .iter()
        .map(|&p| GeoBox::around(p))
        .chain(extra.iter().copied());
    let first = boxes.next()?;
    let b = boxes.fold(first, |acc, b| acc.union(&b));
    let k = cos_lat((b.north + b.south) / 2.0);
    // Half extents, in "drawn degrees".
    let (mut hw, mut hh) = (b.width() * k / 2.0, b.height() / 2.0);
    let pad = framing.padding * 2.0 * hw.max(hh);
    hw += pad;
    hh += pad;
    let half_min = framing.min_span / 2.0;
    hw = hw.max(half_min);
    hh = hh.max(half_min);
    hh = hh.max(hw * framing.min_aspect);
    hw = hw.max(hh / framing.max_aspect);
    let (clon, clat) = ((b.west + b.east) / 2.0, (b.north + b.south) / 2.0);
    let (lon_half, lat_half) = (hw / k, hh);
    Some(onto_world(GeoBox {
        west: clon - lon_half,
        east: clon + lon_half,
        south: clat - lat_half,
        north: clat + lat_half,
    }))
}

/// Shift a box back onto `WORLD` if it sticks out on one side, and cut what is still
/// outside (a box larger than the world).
fn onto_world(b: GeoBox) -> GeoBox {
    let shift = |lo: f64, hi: f64, min: f64, max: f64| -> (f64, f64) {
        let d = if lo < min {
            min - lo
        } else if hi > max {
            max - hi
        } else {
            0.0
        };
        ((lo + d).max(min), (hi + d).min(max))
    };
    let (west, east) = shift(b.west, b.east, WORLD.west, WORLD.east);
    let (south, north) = shift(b.south, b.north, WORLD.south, WORLD.north);
    GeoBox {
        west,
        south,
        east,
        north,
    }
}

/// The cosine of a latitude, floored so that boxes near a pole stay finite.
pub fn cos_lat(lat: f64) -> f64 {
    cos_deg(lat).max(0.2)
}

/// Cosine of an angle in degrees, from a Taylor series in plain f64 arithmetic.
/// `f64::cos` calls the platform's maths library, whose last bit differs between
/// glibc, musl, macOS and Windows; a map's coordinates must not (same content, same
/// bytes, on any machine). Basic IEEE operations are exactly rounded everywhere, so
/// this is. Error below 1e-15 for any input.
pub fn cos_deg(deg: f64) -> f64 {
    // Reduce to [0, 180], then to [0, 90] with cos(180 - a) = -cos(a).
    let a = deg.rem_euclid(360.0);
    let a = if a > 180.0 { 360.0 - a } else { a };
    let (a, sign) = if a > 90.0 {
        (180.0 - a, -1.0)
    } else {
        (a, 1.0)
    };
    let x = a * (std::f64::consts::PI / 180.0);
    let x2 = x * x;
    // cos x = sum (-1)^n x^2n / (2n)!, n <= 11 (the next term is below 1e-19 for
    // x <= pi/2), in Horner form from the smallest term.
    let mut sum = 0.0;
    for n in (1..=11u32).rev() {
        let k = f64::from(2 * n);
        sum = 1.0 - x2 / (k * (k - 1.0)) * sum;
    }
    sign * sum
}

/// Sine of an angle in degrees, as `cos_deg(90 - deg)`.
pub fn sin_deg(deg: f64) -> f64 {
    cos_deg(90.0 - deg)
}

/// An equirectangular projection with its parallels scaled by the cosine of the box's
/// centre latitude, fitted to a box: (lat, lon) -> (x, y) in user units, north up, east
/// right, the box's north-west corner at (0, 0).
///
/// Why this projection: maps here are regional crops (a few to a few tens of degrees)
/// of 1:110m data, drawn small. Scaling longitude by cos(φ₀) makes shapes true at the
/// centre latitude; the scale error along a parallel φ is cos φ / cos φ₀, under 4% for
/// a 10°-tall box in the Sahel and under 15% for 30° at mid-latitudes, far below what a
/// reader sees at this size. In exchange, meridians and parallels are straight and
/// evenly spaced, so "north is up, east is right" holds exactly, the inverse is one
/// line, and tests can compute where a point lands by hand. A conic projection would be
/// truer for large mid-latitude regions, at the price of curved parallels and harder
/// clipping; a world-wide map (the box is the whole world) is simply plate carrée.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    pub bbox: GeoBox,
    /// cos of the centre latitude.
    pub k: f64,
    /// User units per degree of latitude.
    pub scale: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fit `bbox` to `width` user units across; the height follows from the box.
    pub fn fit(bbox: GeoBox, width: f64) -> Projection {
        let k = cos_lat((bbox.north + bbox.south) / 2.0);
        let across = (bbox.width() * k).max(1e-9);
        let scale = width / across;
        Projection {
            bbox,
            k,
            scale,
            width,
            height: bbox.height() * scale,
        }
    }

    /// Where a point lands, in user units (not rounded).
    pub fn project(&self, p: LatLon) -> (f64, f64) {
        self.xy(p.lon, p.lat)
    }

    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.bbox.west) * self.k * self.scale,
            (self.bbox.north - lat) * self.scale,
        )
    }

    /// The point at (x, y) user units.
    pub fn invert(&self, x: f64, y: f64) -> LatLon {
        LatLon {
            lat: self.bbox.north - y / self.scale,
            lon: self.bbox.west + x / (self.k * self.scale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAYA: LatLon = LatLon {
        lat: 13.09,
        lon: -1.08,
    };
    const OUAGA: LatLon = LatLon {
        lat: 12.37,
        lon: -1.52,
    };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_single_point_gets_a_regional_box_centred_on_it() {
        let b = choose_box(&[KAYA], &[], &Framing::default()).unwrap();
        assert!(close(b.height(), 5.0), "{b:?}");
        assert!(close((b.north + b.south) / 2.0, KAYA.lat));
        assert!(close((b.east + b.west) / 2.0, KAYA.lon));
        // 5 degrees across as drawn: wider in longitude by 1/cos(13.09°).
        assert!(close(b.width() * KAYA.lat.to_radians().cos(), 5.0), "{b:?}");
    }

    #[test]
    fn the_portable_cosine_matches_the_platform_one() {
        for i in -7200..=7200 {
            let d = f64::from(i) * 0.1 + 0.003;
            assert!((cos_deg(d) - d.to_radians().cos()).abs() < 1e-14, "{d}");
            assert!((sin_deg(d) - d.to_radians().sin()).abs() < 1e-14, "{d}");
        }
        assert_eq!(cos_deg(0.0), 1.0);
        assert!(cos_deg(90.0).abs() < 1e-16);
    }

    #[test]
    fn boxes_are_padded_kept_in_aspect_and_on_the_world() {
        let f = Framing::default();
        let a = LatLon { lat: 0.0, lon: 0.0 };
        let b = LatLon {
            lat: 0.0,
            lon: 20.0,
        };
        let wide = choose_box(&[a, b], &[], &f).unwrap();
        assert!(wide.west < 0.0 && wide.east > 20.0);
        assert!(
            close(wide.height() / wide.width(), f.min_aspect),
            "{wide:?}"
        );
        let edge = LatLon {
            lat: 84.0,
            lon: 179.9,
        };
        let e = choose_box(&[edge], &[], &f).unwrap();
        assert!(
            e.north <= WORLD.north && e.east <= WORLD.east && e.contains(edge),
            "{e:?}"
        );
        let far = [
            LatLon {
                lat: -55.0,
                lon: -179.0,
            },
            LatLon {
                lat: 80.0,
                lon: 179.0,
            },
        ];
        assert_eq!(choose_box(&far, &[], &f), Some(WORLD));
        assert_eq!(choose_box(&[], &[], &f), None);
    }

    #[test]
    fn north_is_up_and_east_is_right_with_exact_coordinates_in_a_fixed_box() {
        let bbox = GeoBox {
            west: -6.0,
            south: 10.0,
            east: 4.0,
            north: 16.0,
        };
        let p = Projection::fit(bbox, 600.0);
        let k = 13f64.to_radians().cos();
        assert!(close(p.k, k));
        assert!(close(p.scale, 60.0 / k));
        assert!(close(p.height, 6.0 * 60.0 / k));
        let (kx, ky) = p.project(KAYA);
        let (ox, oy) = p.project(OUAGA);
        assert!(ky < oy, "Kaya is north of Ouagadougou, so higher");
        assert!(kx > ox, "Kaya is east of Ouagadougou, so further right");
        assert!(close(kx, 4.92 * 60.0));
        assert!(close(ky, 2.91 * 60.0 / k));
        let (nx, ny) = p.xy(-6.0, 16.0);
        assert!(close(nx, 0.0) && close(ny, 0.0));
        let (sx, sy) = p.xy(4.0, 10.0);
        assert!(close(sx, 600.0) && close(sy, p.height));
        let back = p.invert(kx, ky);
        assert!((back.lat - KAYA.lat).abs() < 1e-9 && (back.lon - KAYA.lon).abs() < 1e-9);
    }
}
