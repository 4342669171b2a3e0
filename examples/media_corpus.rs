//! Makes a site with many evidence images, for benches/media.sh: `cargo run --profile dist
//! --example media_corpus -- OUT_DIR [IMAGES]` (default 1,000 images). Four images to
//! an incident, each incident a page bundle. The images are made here, seeded by their
//! number, so the same command always makes the same bytes: photographs as a messaging
//! app passes them on (JPEG, 2560×1440, with camera-like noise), smaller JPEGs
//! (1280×960), screenshots (PNG, 1200×900) and WebP files (1600×1200), in the
//! proportions 70:15:10:5. Every fourth JPEG carries EXIF with a GPS position, as field
//! photos do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: media_corpus OUT_DIR [IMAGES]");
    let count: usize = args.next().map(|n| n.parse().unwrap()).unwrap_or(1000);
    let out = Path::new(&out);
    write(
        out,
        "site.yaml",
        b"title: Media benchmark\nbase_url: https://example.org/\n",
    );
    write(
        out,
        "content/groups/alpha.md",
        b"---\nname: Alpha Front\n---\n",
    );
    write(
        out,
        "content/groups/bravo.md",
        b"---\nname: Bravo Brigade\n---\n",
    );
    for (id, name, category) in [
        ("rifle-a", "Rifle A", "assault rifle"),
        ("launcher-b", "Launcher B", "rpg launcher"),
        ("rocket-c", "Rocket C", "rocket"),
    ] {
        let text = format!("---\nname: {name}\ncategory: {category}\n---\n");
        write(out, &format!("content/weapons/{id}.md"), text.as_bytes());
    }
    let weapons = ["rifle-a", "launcher-b", "rocket-c"];
    for incident in 0..count.div_ceil(4) {
        let dir = format!("content/incidents/i{incident:05}");
        let mut media = String::new();
        for k in 0..4 {
            let n = incident * 4 + k;
            if n >= count {
                break;
            }
            let (name, bytes) = image(n);
            write(out, &format!("{dir}/{name}"), &bytes);
            let shows = weapons[n % 3];
            let sensitive = n % 50 == 49;
            media.push_str(&format!(
                "  - {{file: {name}, alt: Image {n} of the benchmark, caption: Photo {n}, \
                 shows: [{shows}], sensitive: {sensitive}}}\n"
            ));
        }
        let month = incident % 12 + 1;
        let day = incident % 28 + 1;
        let text = format!(
            "---\ntitle: Benchmark incident {incident}\ndate: 2024-{month:02}-{day:02}\n\
             groups: [alpha, {{group: bravo, role: target}}]\n\
             weapons: [rifle-a, launcher-b, rocket-c]\nmedia:\n{media}---\n\
             Fighters of Alpha Front attacked a Bravo Brigade post; the images show \
             what was taken.\n"
        );
        write(out, &format!("{dir}/index.md"), text.as_bytes());
    }
    println!("made {count} images in {}", out.display());
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Image number `n`: its file name and bytes.
fn image(n: usize) -> (String, Vec<u8>) {
    let kind = n % 20;
    let (w, h, ext) = match kind {
        0..14 => (2560, 1440, "jpg"),
        14..17 => (1280, 960, "jpg"),
        17..19 => (1200, 900, "png"),
        _ => (1600, 1200, "webp"),
    };
    let px = pixels(n as u64, w, h, ext == "png");
    let mut bytes = Vec::new();
    match ext {
        "jpg" => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 88)
                .encode(&px, w, h, image::ExtendedColorType::Rgb8)
                .unwrap();
            if n.is_multiple_of(4) {
                bytes = with_gps(&bytes);
            }
        }
        "png" => {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new(&mut bytes)
                .write_image(&px, w, h, image::ExtendedColorType::Rgb8)
                .unwrap();
        }
        _ => {
            bytes = webp::Encoder::from_rgb(&px, w, h)
                .encode_simple(false, 85.0)
                .unwrap()
                .to_vec();
        }
    }
    (format!("photo-{n:05}.{ext}"), bytes)
}

/// A photograph-like picture: soft shapes over a gradient, with sensor noise (none for
/// a screenshot, which is flat colour and text-like stripes).
fn pixels(seed: u64, w: u32, h: u32, flat: bool) -> Vec<u8> {
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let shapes: Vec<(u32, u32, u32, [u8; 3])> = (0..12)
        .map(|_| {
            let r = next();
            let c = next().to_le_bytes();
            (
                (r % u64::from(w)) as u32,
                ((r >> 20) % u64::from(h)) as u32,
                40 + ((r >> 40) % 400) as u32,
                [c[0], c[1], c[2]],
            )
        })
        .collect();
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let mut c = [(x * 180 / w) as u8 + 40, (y * 160 / h) as u8 + 50, 120u8];
            for &(cx, cy, r, col) in &shapes {
                let (dx, dy) = (x.abs_diff(cx), y.abs_diff(cy));
                if dx * dx + dy * dy < r * r {
                    c = col;
                }
            }
            if flat {
                if (y / 18).is_multiple_of(3) && !(x / 7).is_multiple_of(5) {
                    c = [30, 30, 30];
                }
            } else {
                let noise = (next() % 24) as u8;
                c = c.map(|v| v.saturating_add(noise).saturating_sub(12));
            }
            out.extend_from_slice(&c);
        }
    }
    out
}

/// `jpeg` with an EXIF block holding a GPS latitude, after the start marker.
fn with_gps(jpeg: &[u8]) -> Vec<u8> {
    let mut t = b"Exif\0\0II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x8825, 4, 1, 26);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x0002, 5, 3, 44);
    t.extend_from_slice(&0u32.to_le_bytes());
    for v in [13u32, 1, 5, 1, 1234, 100] {
        t.extend_from_slice(&v.to_le_bytes());
    }
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&(t.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(&t);
    out.extend_from_slice(&jpeg[2..]);
    out
}
