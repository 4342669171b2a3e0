//! Evidence images, from file to published copies: each file a `media:` entry names is
//! checked (format against name, size, declared dimensions, a JPEG cut short), decoded
//! within memory limits, turned upright, converted to sRGB, resized to the published
//! widths and encoded again, in its own format and in WebP. Re-encoding from pixels
//! leaves every byte of the file's metadata behind (EXIF, XMP, IPTC, ICC profiles,
//! comments); what was there is only looked at to say whether it held a GPS position.
//!
//! Results live in a cache folder, by a hash of the file's bytes and of the settings
//! below, so that an unchanged image is never processed twice, by any command. Files
//! are processed in parallel. Nothing here knows which incident names a file, or what
//! the front matter says of it: that is the model's and the renderer's.

pub mod cache;
pub mod decode;
pub mod encode;
pub mod gps;

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The widths published, narrowest first; an image narrower than one is published at
/// its own width instead of being enlarged.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The width of the blurred stand-in shown before a sensitive image is revealed.
pub const PLACEHOLDER_WIDTH: u32 = 32;
pub const JPEG_QUALITY: u8 = 82;
pub const WEBP_QUALITY: f32 = 78.0;
/// libwebp's speed/size trade-off, 0 (fastest) to 6; its default is 4. At 3 a lossy
/// copy is made markedly faster for files a few per cent larger (docs/performance.md).
pub const WEBP_METHOD: i32 = 3;
/// For a lossless copy (from a PNG), how hard libwebp tries, 0 to 100.
pub const WEBP_LOSSLESS_EFFORT: f32 = 50.0;
/// Every setting that shapes the output, in the cache key: change one and every image
/// is made again.
const SETTINGS: &str = "casefile media v1; widths 480 960 1600; placeholder 32 blur 2; \
                        jpeg 82; webp 78 method 3 lossy, lossless effort 50 from png; \
                        catmull-rom; srgb";

/// The largest image file read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest width or height decoded.
pub const MAX_SIDE: u32 = 20_000;
/// The most pixels decoded (a 50-megapixel camera's full frame fits).
pub const MAX_PIXELS: u64 = 80_000_000;
/// The most memory one image's decoder may allocate; casefile processes as many images
/// at once as it has threads.
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// An image format casefile reads and publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The file extension published.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
        }
    }

    /// The format a file name promises (`.jpg`, `.jpeg`, `.png`, `.webp`, any case).
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    fn of_ext(ext: &str) -> Option<Format> {
        Format::of_name(&format!("x.{ext}"))
    }
}

/// One published copy, kept in the cache folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The file in the cache folder.
    pub path: PathBuf,
}

/// A processed image: its upright size and its published copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Upright (after the EXIF orientation), in pixels.
    pub width: u32,
    pub height: u32,
    /// The file's own format, in which the first set of copies is made.
    pub format: Format,
    /// Narrowest first: each width in the file's format, then each in WebP (none for a
    /// WebP file, whose own format is WebP, nor for an image too tall for WebP).
    pub variants: Vec<Variant>,
    /// A tiny, blurred copy (JPEG): what a sensitive image shows until revealed.
    pub placeholder: Variant,
    /// The file held a GPS position (EXIF or XMP); none was published.
    pub gps: bool,
}

impl Image {
    /// The copies in one format, narrowest first.
    pub fn in_format(&self, f: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == f)
    }
}

/// Why an image cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// What `process` did.
#[derive(Debug, Default)]
pub struct Processed {
    /// By content path (`incidents/2024/k/rpg.jpg`).
    pub images: BTreeMap<String, Result<Image, Problem>>,
    /// Images decoded and encoded in this run.
    pub made: usize,
    /// Images found in the cache.
    pub reused: usize,
}

/// Process each file (paths relative to `content/`, under `root`), using and filling
/// the cache at `cache_dir`.
pub fn process(root: &Path, files: &[String], cache_dir: &Path) -> Processed {
    let content = root.join("content");
    let results: Vec<(String, Outcome)> = files
        .par_iter()
        .map(|f| (f.clone(), one(&content.join(f), f, cache_dir)))
        .collect();
    let mut out = Processed::default();
    for (file, r) in results {
        let r = r.map(|(image, made)| {
            if made {
                out.made += 1;
            } else {
                out.reused += 1;
            }
            image
        });
        out.images.insert(file, r);
    }
    out
}

/// An image, and whether it was made in this run (else it came from the cache).
type Outcome = Result<(Image, bool), Problem>;

/// One file: from the cache, or made and put there.
fn one(path: &Path, name: &str, cache_dir: &Path) -> Outcome {
    let bytes = read(path)?;
    let key = cache::key(SETTINGS, &bytes);
    if let Some(image) = cache::get(cache_dir, &key) {
        return Ok((image, false));
    }
    let file_name = name.rsplit('/').next().unwrap_or(name);
    let declared = Format::of_name(file_name).ok_or_else(|| {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        Problem::new(
            format!("`.{ext}` files are not published as images"),
            "use a JPEG (.jpg), PNG (.png) or WebP (.webp) image",
        )
    })?;
    let decoded = decode::decode(&bytes, declared)?;
    let gps = gps::carried(&bytes);
    drop(bytes);
    let made = encode::variants(&decoded, declared)?;
    let image = cache::put(cache_dir, &key, &decoded, declared, gps, made)?;
    Ok((image, true))
}

/// The file's bytes, refusing an oversized file before reading it.
fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    let unreadable = |e: std::io::Error| {
        Problem::new(
            format!("cannot read the image: {e}"),
            "check that the file is there and readable",
        )
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Problem::new(
            format!("the image file is {len} bytes; the limit is {MAX_FILE_BYTES}"),
            "publish a smaller copy (casefile makes copies no wider than 1600 pixels anyway)",
        ));
    }
    std::fs::read(path).map_err(unreadable)
}
