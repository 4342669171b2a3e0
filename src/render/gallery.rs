//! Evidence images on the site: where each processed image is published (beside its
//! page bundle's incident, `incidents/<slug>/<name>-<width>.<ext>`, or else under
//! `media/`), the copies that go into the output, the diagnostics of the images the
//! incidents name (an image that cannot be published; a file that carried a GPS
//! position), and the gallery items the incident, weapon and group pages show.

use super::views::Link;
use crate::diag::{Diagnostic, Diagnostics, code};
use crate::media::{self, Format, Image, Processed};
use crate::model::Site;
use crate::model::entity::{Incident, IncidentId, Media, WeaponId};
use crate::model::urls;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Images on a group's page, newest incidents first.
pub const GROUP_IMAGES: usize = 48;

/// `sizes` for a gallery of figures at the text's width (an incident's images).
pub const SIZES_WIDE: &str = "(min-width: 50rem) 46rem, 100vw";
/// `sizes` for a grid of smaller figures (a weapon's or a group's images).
pub const SIZES_GRID: &str = "(min-width: 50rem) 22rem, 100vw";

/// An image's widest copy: its output path (no base), size, type and length.
#[derive(Debug, Clone)]
pub struct Widest {
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
    pub bytes: u64,
}

/// Every image the site publishes, by content path.
#[derive(Debug, Default)]
pub struct Published {
    files: BTreeMap<String, Shown>,
}

#[derive(Debug)]
struct Shown {
    image: Image,
    /// Output path of its copies, without the `-<width>.<ext>` ending.
    base: String,
    /// Named as sensitive by some incident: its blurred stand-in is published too.
    sensitive: bool,
}

/// One image as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MediaView {
    /// The widest copy in the file's own format: the `src`, and the link to open it.
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub srcset: String,
    pub mime: &'static str,
    /// The same widths in WebP (none for a WebP file: `srcset` is WebP already).
    pub webp_srcset: Option<String>,
    pub sizes: &'static str,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    /// A link, or where the image came from in words.
    pub source_url: Option<String>,
    pub source: Option<String>,
    pub sensitive: bool,
    /// The blurred stand-in, for a sensitive image.
    pub placeholder: Option<String>,
    /// The incident it belongs to (on weapon and group pages).
    pub incident: Option<Link>,
    pub shows: Vec<Link>,
}

/// Where each processed image goes, the diagnostics of every `media:` entry, and the
/// copies to add to the output (path, file in the cache, owner).
pub fn publish(
    site: &Site,
    processed: Processed,
    diags: &mut Diagnostics,
) -> (Published, Vec<(String, PathBuf, PathBuf)>) {
    let bundles: BTreeMap<&str, &str> = site
        .incidents
        .iter()
        .filter_map(|i| {
            let folder = i.file.content_path.strip_suffix("/index.md")?;
            Some((folder, i.slug.as_str()))
        })
        .collect();
    let images = processed.images;
    let mut published = Published::default();
    let mut warned = BTreeSet::new();
    for inc in &site.incidents {
        for m in &inc.media {
            if let Some(shown) = published.files.get_mut(&m.file) {
                shown.sensitive |= m.sensitive;
                continue;
            }
            match images.get(&m.file) {
                Some(Ok(image)) => {
                    if image.gps && warned.insert(m.file.clone()) {
                        diags.push(gps_warning(inc, m));
                    }
                    let base = base_of(&m.file, &bundles);
                    let image = image.clone();
                    let sensitive = m.sensitive;
                    let shown = Shown {
                        image,
                        base,
                        sensitive,
                    };
                    published.files.insert(m.file.clone(), shown);
                }
                Some(Err(p)) => diags.push(
                    Diagnostic::error(
                        code::BAD_IMAGE,
                        &inc.file.rel,
                        m.pos,
                        format!("content/{}: {}", m.file, p.message),
                    )
                    .with_hint(p.hint.clone()),
                ),
                None => {}
            }
        }
    }
    let mut copies = Vec::new();
    for (file, shown) in &published.files {
        let owner = PathBuf::from("content").join(file);
        for v in &shown.image.variants {
            copies.push((shown.url_of(v), v.path.clone(), owner.clone()));
        }
        if shown.sensitive {
            let p = &shown.image.placeholder;
            copies.push((shown.url_of(p), p.path.clone(), owner.clone()));
        }
    }
    (published, copies)
}

fn gps_warning(inc: &Incident, m: &Media) -> Diagnostic {
    Diagnostic::warning(
        code::IMAGE_LOCATION,
        &inc.file.rel,
        m.pos,
        format!(
            "content/{} carried a GPS position in its metadata; the published copies carry none",
            m.file
        ),
    )
    .with_hint(
        "nothing from inside the file is published; remove the position from the \
         original too if the original is shared anywhere else",
    )
}

/// Output path of an image's copies, without the ending: beside the incident page of
/// the bundle it sits in, else under `media/` (its path below `content/media/`, or
/// below `content/` for a file elsewhere).
fn base_of(file: &str, bundles: &BTreeMap<&str, &str>) -> String {
    let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    match bundles.get(folder) {
        Some(slug) => format!("{}{stem}", urls::incident(slug)),
        None => {
            let rest = file.strip_prefix("media/").unwrap_or(file);
            let rest = rest.rsplit_once('.').map(|(s, _)| s).unwrap_or(rest);
            format!("media/{rest}")
        }
    }
}

impl Shown {
    fn url_of(&self, v: &media::Variant) -> String {
        if v.path.file_stem().is_some_and(|s| s == "blur") {
            format!("{}-blur.{}", self.base, v.format.ext())
        } else {
            format!("{}-{}.{}", self.base, v.width, v.format.ext())
        }
    }
}

impl Published {
    /// The template item of one `media:` entry of incident `inc` (`None` when the image
    /// could not be published: its error is reported). `base_path` prefixes the URLs;
    /// `incident` is the link to the incident, on other pages than its own.
    pub fn view(
        &self,
        base_path: &str,
        m: &Media,
        sizes: &'static str,
        incident: Option<Link>,
        shows: Vec<Link>,
    ) -> Option<MediaView> {
        let shown = self.files.get(&m.file)?;
        let img = &shown.image;
        let url = |v: &media::Variant| format!("{base_path}{}", shown.url_of(v));
        let srcset = |f: Format| -> String {
            img.in_format(f)
                .map(|v| format!("{} {}w", url(v), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let widest = img.in_format(img.format).last()?;
        let source_url = m
            .source
            .as_ref()
            .filter(|s| s.starts_with("http://") || s.starts_with("https://"));
        Some(MediaView {
            src: url(widest),
            width: widest.width,
            height: widest.height,
            srcset: srcset(img.format),
            mime: img.format.mime(),
            webp_srcset: (img.format != Format::Webp
                && img.in_format(Format::Webp).next().is_some())
            .then(|| srcset(Format::Webp)),
            sizes,
            alt: m.alt.clone(),
            caption: m.caption.clone(),
            credit: m.credit.clone(),
            date: m.date.map(|d| d.label()),
            date_iso: m.date.map(|d| d.iso()),
            source_url: source_url.cloned(),
            source: m.source.clone().filter(|_| source_url.is_none()),
            sensitive: m.sensitive,
            placeholder: m.sensitive.then(|| url(&img.placeholder)),
            incident,
            shows,
        })
    }

    /// The widest copy of an image in its own format, for the feed and the exports.
    pub fn widest(&self, file: &str) -> Option<Widest> {
        let shown = self.files.get(file)?;
        let v = shown.image.in_format(shown.image.format).last()?;
        Some(Widest {
            path: shown.url_of(v),
            width: v.width,
            height: v.height,
            mime: v.format.mime(),
            bytes: std::fs::metadata(&v.path).map(|m| m.len()).unwrap_or(0),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The images of incidents `ids` (newest first) that pass `keep`, at most `limit`.
pub fn collect(
    site: &Site,
    ids: impl DoubleEndedIterator<Item = IncidentId>,
    keep: impl Fn(&Media) -> bool,
    limit: usize,
) -> Vec<(IncidentId, &Media)> {
    ids.rev()
        .flat_map(|id| site.incident(id).media.iter().map(move |m| (id, m)))
        .filter(|(_, m)| keep(m))
        .take(limit)
        .collect()
}

/// Whether image `m` shows weapon type `w`.
pub fn shows(m: &Media, w: WeaponId) -> bool {
    m.shows.contains(&w)
}
