//! The processed-image cache: one folder per image, named by a hash of the file's bytes
//! and of the processing settings, holding the published copies and a small `meta`
//! file (size, format, GPS flag, the copies). A folder is written under a temporary
//! name and renamed into place when complete, so a build that stops part-way, or two
//! builds at once, never leave a half-made entry; an entry with a file missing is
//! made again.

use super::encode::Made;
use super::{Format, Image, Problem, Variant, decode::Pixels};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const META: &str = "meta";
const HEADER: &str = "casefile-media 1";

/// The cache key of a file's bytes under `settings`.
pub fn key(settings: &str, bytes: &[u8]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(settings.as_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.finalize().to_hex()[..32].to_string()
}

/// The entry for `key`, when it is complete.
pub fn get(dir: &Path, key: &str) -> Option<Image> {
    let folder = dir.join(key);
    let meta = std::fs::read_to_string(folder.join(META)).ok()?;
    let image = parse(&folder, &meta)?;
    let all_there = image
        .variants
        .iter()
        .chain(std::iter::once(&image.placeholder))
        .all(|v| v.path.is_file());
    all_there.then_some(image)
}

fn parse(folder: &Path, meta: &str) -> Option<Image> {
    let mut lines = meta.lines();
    (lines.next()? == HEADER).then_some(())?;
    let mut image = None;
    let (mut gps, mut variants, mut placeholder) = (false, Vec::new(), None);
    for line in lines {
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            ["size", w, h, ext] => {
                image = Some((w.parse().ok()?, h.parse().ok()?, Format::of_ext(ext)?));
            }
            ["gps", flag] => gps = *flag == "1",
            ["copy", w, h, ext] => variants.push(variant(folder, w, h, ext, None)?),
            ["placeholder", w, h, ext] => {
                placeholder = Some(variant(folder, w, h, ext, Some("blur"))?);
            }
            _ => return None,
        }
    }
    let (width, height, format) = image?;
    Some(Image {
        width,
        height,
        format,
        variants,
        placeholder: placeholder?,
        gps,
    })
}

fn variant(folder: &Path, w: &str, h: &str, ext: &str, name: Option<&str>) -> Option<Variant> {
    let format = Format::of_ext(ext)?;
    let file = format!("{}.{}", name.unwrap_or(w), format.ext());
    Some(Variant {
        width: w.parse().ok()?,
        height: h.parse().ok()?,
        format,
        path: folder.join(file),
    })
}

/// Store what was made for `key` and return it as an entry of the cache.
pub fn put(
    dir: &Path,
    key: &str,
    original: &Pixels,
    own: Format,
    gps: bool,
    made: Made,
) -> Result<Image, Problem> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let failed = |e: std::io::Error| {
        Problem::new(
            format!("cannot write the image cache in {}: {e}", dir.display()),
            "check that the site folder is writable (casefile keeps processed images in \
             .casefile-cache/media/)",
        )
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!("{key}.tmp-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(failed)?;
    let mut meta = format!(
        "{HEADER}\nsize {} {} {}\ngps {}\n",
        original.width,
        original.height,
        own.ext(),
        u8::from(gps)
    );
    for c in &made.copies {
        let name = format!("{}.{}", c.width, c.format.ext());
        std::fs::write(tmp.join(name), &c.bytes).map_err(failed)?;
        meta.push_str(&format!(
            "copy {} {} {}\n",
            c.width,
            c.height,
            c.format.ext()
        ));
    }
    let p = &made.placeholder;
    std::fs::write(tmp.join(format!("blur.{}", p.format.ext())), &p.bytes).map_err(failed)?;
    meta.push_str(&format!(
        "placeholder {} {} {}\n",
        p.width,
        p.height,
        p.format.ext()
    ));
    std::fs::write(tmp.join(META), &meta).map_err(failed)?;
    let folder = dir.join(key);
    if std::fs::rename(&tmp, &folder).is_err() {
        // Another build finished the same entry first, or an incomplete one is there.
        if get(dir, key).is_none() {
            let _ = std::fs::remove_dir_all(&folder);
            let moved = std::fs::rename(&tmp, &folder);
            if let Err(e) = moved {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(failed(e));
            }
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
    get(dir, key).ok_or_else(|| failed(std::io::Error::other("the entry just written is gone")))
}

/// The media cache folder of the site at `root`.
pub fn folder(root: &Path) -> PathBuf {
    root.join(".casefile-cache").join("media")
}
