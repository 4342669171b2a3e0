//! An incident's `media:` list resolved: each entry's file found among the files under
//! `content/` (beside the incident in its page bundle, or `@/media/...`), its `alt`
//! required, its `shows` references resolved to weapon types. Only names are checked
//! here; the images' bytes are read and checked when they are processed (`crate::media`).

use super::check::Checker;
use super::entity::{Media, WeaponId};
use super::lookup::Lookup;
use crate::diag::{closest, code, did_you_mean};
use crate::load::raw::{At, List, RawMedia};
use std::collections::BTreeSet;

/// The files under `content/` that are not Markdown, by path relative to `content/`
/// with `/` separators: what a `media:` entry may name.
#[derive(Debug, Default, Clone)]
pub struct Assets(BTreeSet<String>);

impl Assets {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Self {
        Assets(paths.into_iter().collect())
    }

    pub fn contains(&self, path: &str) -> bool {
        self.0.contains(path)
    }

    /// The files directly in folder `dir` (`incidents/2024/k`, no trailing `/`).
    fn in_folder<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let len = prefix.len();
        self.0
            .range(prefix.clone()..)
            .take_while(move |p| p.starts_with(&prefix))
            .map(String::as_str)
            .filter(move |p| !p[len..].contains('/'))
    }
}

/// Resolve an incident's `media:` list; entries with errors are reported and left out.
/// `listed`: the weapon types the incident lists under `weapons:`, which are the only
/// ones its images may show (so that a weapon's page, which shows the images of its
/// incidents, finds every image of it).
pub fn resolve(
    c: &mut Checker,
    lookup: &Lookup,
    list: Option<List<RawMedia>>,
    listed: &[WeaponId],
) -> Vec<Media> {
    let Some(list) = list else {
        return Vec::new();
    };
    let folder = parent(&c.file.content_path).to_string();
    list.value
        .into_iter()
        .filter_map(|item| entry(c, lookup, &folder, item, listed))
        .collect()
}

fn entry(
    c: &mut Checker,
    lookup: &Lookup,
    folder: &str,
    item: At<RawMedia>,
    listed: &[WeaponId],
) -> Option<Media> {
    let RawMedia {
        file,
        alt,
        caption,
        credit,
        date,
        source,
        shows,
        sensitive,
    } = item.value;
    let file_pos = file.as_ref().map(|f| f.pos).unwrap_or(item.pos);
    let file = match file {
        Some(f) if !f.value.trim().is_empty() => locate(c, lookup, folder, &f),
        Some(f) => {
            c.error(
                code::EMPTY_FIELD,
                f.pos,
                "media file is empty",
                Some("write the image's file name, e.g. `file: launcher.jpg`".into()),
            );
            None
        }
        None => {
            c.error(
                code::MISSING_FIELD,
                item.pos,
                "media entry without `file`",
                Some("write {file: photo.jpg, alt: what the image shows}".into()),
            );
            None
        }
    };
    let alt = c.text(alt.clone()).or_else(|| {
        let pos = alt.map(|a| a.pos).unwrap_or(item.pos);
        c.error(
            code::MISSING_FIELD,
            pos,
            "image without `alt` text",
            Some(
                "write `alt:`, what the image shows for a reader who cannot see it \
                 (the caption is shown beside it, not instead of it)"
                    .into(),
            ),
        );
        None
    });
    let source = source.and_then(|s| {
        let v = s.value.trim();
        if v.is_empty() {
            None
        } else if v.contains("://") {
            c.url(v, s.pos)
        } else {
            Some(v.to_string())
        }
    });
    let mut seen = BTreeSet::new();
    let shows: Vec<WeaponId> = shows
        .map(|l| l.value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|w| {
            let pos = w.pos.or(item.pos);
            let id = lookup.weapon(c, &w.value, pos)?;
            if !listed.contains(&id) {
                c.error(
                    code::SHOWN_NOT_LISTED,
                    pos,
                    format!(
                        "the image shows `{}`, which this incident does not list under `weapons:`",
                        w.value.trim()
                    ),
                    Some(
                        "add it to `weapons:` (status: documented, when the image is all \
                         there is), or correct the name"
                            .into(),
                    ),
                );
                return None;
            }
            Some(id)
        })
        .filter(|w| seen.insert(*w))
        .collect();
    Some(Media {
        file: file?,
        alt: alt?,
        caption: c.text(caption),
        credit: c.text(credit),
        date: c.date(date, "media date"),
        source,
        shows,
        sensitive: sensitive.is_some_and(|s| s.value),
        pos: file_pos,
    })
}

/// The content path a `file:` value names, if that file exists.
fn locate(c: &mut Checker, lookup: &Lookup, folder: &str, f: &At<String>) -> Option<String> {
    let written = f.value.trim();
    let joined = match written.strip_prefix("@/") {
        Some(rest) => normalise("", rest),
        None if written.starts_with('/') || written.contains('\\') || written.contains(':') => {
            c.error(
                code::MISSING_MEDIA,
                f.pos,
                format!("media file `{written}` is not a path inside the site"),
                Some(
                    "name a file beside this one (`photo.jpg`) or under content/media/ \
                     (`@/media/photo.jpg`)"
                        .into(),
                ),
            );
            return None;
        }
        None => normalise(folder, written),
    };
    let Some(path) = joined else {
        c.error(
            code::MISSING_MEDIA,
            f.pos,
            format!("media file `{written}` points outside content/"),
            Some("keep images beside the incident or under content/media/".into()),
        );
        return None;
    };
    if lookup.assets.contains(&path) {
        return Some(path);
    }
    let dir = parent(&path);
    let name = &path[dir.len() + usize::from(!dir.is_empty())..];
    let names: Vec<&str> = lookup
        .assets
        .in_folder(dir)
        .map(|p| &p[dir.len() + usize::from(!dir.is_empty())..])
        .collect();
    let hint = did_you_mean(&closest(name, names.iter().copied())).unwrap_or_else(|| {
        "put the image beside the incident's file (make it a folder with index.md) or \
         under content/media/, and check the name's case"
            .into()
    });
    c.error(
        code::MISSING_MEDIA,
        f.pos,
        format!("media file `{written}` not found (looked for content/{path})"),
        Some(hint),
    );
    None
}

/// The folder part of a content path (`incidents/2024` of `incidents/2024/k.md`).
fn parent(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

/// `folder/written` with `.` and `..` taken out; `None` when it climbs out of
/// `content/` or names no file.
fn normalise(folder: &str, written: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in written.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty() && !written.ends_with('/')).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_inside_content() {
        assert_eq!(
            normalise("incidents/2024/k", "rpg.jpg").as_deref(),
            Some("incidents/2024/k/rpg.jpg")
        );
        assert_eq!(
            normalise("incidents/2024/k", "../k/./a.png").as_deref(),
            Some("incidents/2024/k/a.png")
        );
        assert_eq!(normalise("incidents", "../../etc/passwd"), None);
        assert_eq!(normalise("", "media/x.jpg").as_deref(), Some("media/x.jpg"));
        assert_eq!(normalise("incidents", "dir/"), None);
    }

    #[test]
    fn folder_listing_stops_at_subfolders() {
        let a = Assets::new(
            ["m/a.jpg", "m/b.jpg", "m/sub/c.jpg", "ma/x.jpg"]
                .iter()
                .map(|s| s.to_string()),
        );
        let got: Vec<&str> = a.in_folder("m").collect();
        assert_eq!(got, ["m/a.jpg", "m/b.jpg"]);
    }
}
