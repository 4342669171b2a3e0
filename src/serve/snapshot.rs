//! One complete, immutable state of the preview: every output file in memory (static
//! files read in too; processed images stay in casefile's cache, where they never
//! change, and are read when asked for) and the errors of the latest build. A snapshot is made whole,
//! then swapped in; requests never see a half-built one.

use super::incremental::retained::Retained;
use crate::diag::Diagnostic;
use crate::load::LoadCache;
use crate::output::{Content, OutputSet};
use crate::{BuildOptions, Error};
use bytes::Bytes;
use std::collections::HashMap;

/// The site as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Relative output path (`incidents/x/index.html`) -> bytes. With `on_disk`, the
    /// allow-list of everything the server may send.
    pub files: HashMap<String, Bytes>,
    /// Processed images: output path -> their file in casefile's cache, which never
    /// changes (its path names its bytes). Read when asked for, never held.
    pub on_disk: HashMap<String, std::path::PathBuf>,
    /// Bumped on every rebuild, good or bad: pages reload when it changes.
    pub generation: u64,
    /// Errors of the latest build (then `files` is the last good site); shown in an
    /// overlay on every page.
    pub errors: Vec<Diagnostic>,
    /// The site folder, to quote source lines in the overlay.
    pub root: std::path::PathBuf,
    /// Wall time of each stage of the build that made this snapshot, then of turning
    /// its output into the served files.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The error overlay, made once from `errors` (empty when there are none), so
    /// that answering a request never reads a source file.
    pub overlay: String,
}

impl Snapshot {
    pub fn new(
        files: HashMap<String, Bytes>,
        generation: u64,
        errors: Vec<Diagnostic>,
        root: std::path::PathBuf,
        timings: Vec<(&'static str, std::time::Duration)>,
    ) -> Snapshot {
        let overlay = if errors.is_empty() {
            String::new()
        } else {
            super::overlay::overlay(&errors, &root, files.is_empty())
        };
        Snapshot {
            files,
            on_disk: HashMap::new(),
            generation,
            errors,
            root,
            timings,
            overlay,
        }
    }

    /// The same snapshot serving `on_disk`'s files too.
    pub fn with_disk(mut self, on_disk: HashMap<String, std::path::PathBuf>) -> Snapshot {
        self.on_disk = on_disk;
        self
    }

    /// True when the server may send output path `key`.
    pub fn has(&self, key: &str) -> bool {
        self.files.contains_key(key) || self.on_disk.contains_key(key)
    }

    /// True when no build has succeeded yet.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Build the site in memory. On success the new files replace `previous`'s (and the
/// state for single-page re-renders comes back too); on content errors the previous
/// files stay and the errors are attached.
pub fn rebuild(
    opts: &BuildOptions,
    previous: &Snapshot,
    cache: &LoadCache,
) -> (Snapshot, Option<Retained>) {
    let generation = previous.generation + 1;
    let root = opts.root.clone();
    let outcome = crate::build_in_memory(opts, cache);
    let (report, set) = match outcome {
        Ok(r) => r,
        Err(Error::Fs(e)) => {
            // The site folder vanished or cannot be read: keep the last good site.
            let d = Diagnostic::error(
                crate::diag::code::IO,
                std::path::Path::new("site.yaml"),
                crate::diag::Pos::FILE,
                e.to_string(),
            )
            .with_hint("casefile keeps serving the last good build until this is fixed");
            let snap = Snapshot::new(
                previous.files.clone(),
                generation,
                vec![d],
                root,
                Vec::new(),
            )
            .with_disk(previous.on_disk.clone());
            return (snap, None);
        }
    };
    let errors: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    let mut timings: Vec<(&'static str, std::time::Duration)> = report
        .timings
        .iter()
        .map(|(stage, t)| (stage.name(), *t))
        .collect();
    let started = std::time::Instant::now();
    let mut retained = None;
    let kept_previous = || (previous.files.clone(), previous.on_disk.clone());
    let ((files, on_disk), errors) = match set.filter(|_| errors.is_empty()) {
        Some((set, site, kept)) => match load(set) {
            Ok(files) => {
                retained = Some(Retained::new(site, kept));
                (files, Vec::new())
            }
            Err(d) => (kept_previous(), vec![d]),
        },
        None => (kept_previous(), errors),
    };
    timings.push(("snapshot", started.elapsed()));
    let snap = Snapshot::new(files, generation, errors, root, timings).with_disk(on_disk);
    (snap, retained)
}

/// The next snapshot after a rebuild that could not finish: the previous files, with
/// `message` as the error to show.
pub fn failed(previous: &Snapshot, opts: &BuildOptions, message: &str) -> Snapshot {
    let d = Diagnostic::error(
        crate::diag::code::RENDER_PANIC,
        std::path::Path::new("site.yaml"),
        crate::diag::Pos::FILE,
        message,
    )
    .with_hint("save a file to try again; please report this to the casefile maintainers");
    Snapshot::new(
        previous.files.clone(),
        previous.generation + 1,
        vec![d],
        opts.root.clone(),
        Vec::new(),
    )
    .with_disk(previous.on_disk.clone())
}

/// The files a snapshot serves.
type Served = (HashMap<String, Bytes>, HashMap<String, std::path::PathBuf>);

/// Every file of the set as bytes (static files are read now, within the size limit),
/// but processed images, which are served from the cache.
pub(super) fn load(set: OutputSet) -> Result<Served, Diagnostic> {
    let mut files = HashMap::with_capacity(set.len());
    let mut on_disk = HashMap::new();
    for (path, entry) in set.into_files() {
        let bytes = match entry.content {
            Content::Cached(src) => {
                on_disk.insert(path, src);
                continue;
            }
            Content::Bytes(b) => Bytes::from(b),
            Content::Copy(src) => match crate::fsx::read_limited(&src) {
                Ok(b) => Bytes::from(b),
                Err(e) => {
                    let why = match e {
                        crate::fsx::ReadError::Io(e) => e.to_string(),
                        crate::fsx::ReadError::TooLarge(n) => {
                            format!("{n} bytes is over the limit")
                        }
                    };
                    return Err(Diagnostic::error(
                        crate::diag::code::STATIC_FILE,
                        &entry.owner,
                        crate::diag::Pos::FILE,
                        format!("cannot read this static file: {why}"),
                    ));
                }
            },
            // Never produced by an in-memory build.
            Content::Staged | Content::Dropped => continue,
        };
        files.insert(path, bytes);
    }
    Ok((files, on_disk))
}

/// Output paths whose bytes differ between two snapshots, or that only one has, sorted;
/// `<errors>` first when their errors differ.
pub fn differences(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    let mut out: Vec<String> = a
        .files
        .iter()
        .filter(|(k, v)| b.files.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(
            b.files
                .keys()
                .filter(|k| !a.files.contains_key(*k))
                .cloned(),
        )
        .chain(
            (a.on_disk.iter())
                .filter(|(k, v)| b.on_disk.get(*k) != Some(*v))
                .map(|(k, _)| k.clone()),
        )
        .chain(
            (b.on_disk.keys())
                .filter(|k| !a.on_disk.contains_key(*k))
                .cloned(),
        )
        .collect();
    out.sort();
    let text = |s: &Snapshot| s.errors.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    if text(a) != text(b) {
        out.insert(0, "<errors>".into());
    }
    out
}

/// A hash of every input of a build (site.yaml, content/, templates/, static/: paths and
/// bytes), to tell whether two builds saw the same site. Only for `--verify-incremental`.
pub fn input_fingerprint(root: &std::path::Path) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    let mut add = |p: &std::path::Path| {
        h.update(p.as_os_str().as_encoded_bytes());
        h.update(&[0]);
        if let Ok(bytes) = crate::fsx::read_limited(p) {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    };
    add(&root.join("site.yaml"));
    for dir in super::watch::WATCHED_DIRS {
        for e in walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            add(e.path());
        }
    }
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_changed_added_and_removed_files() {
        let snap = |files: &[(&str, &'static [u8])]| Snapshot {
            files: files
                .iter()
                .map(|(k, v)| (k.to_string(), Bytes::from_static(v)))
                .collect(),
            ..Snapshot::default()
        };
        let a = snap(&[("same", b"1"), ("changed", b"1"), ("gone", b"1")]);
        let b = snap(&[("same", b"1"), ("changed", b"2"), ("new", b"1")]);
        assert_eq!(differences(&a, &b), vec!["changed", "gone", "new"]);
        assert!(differences(&a, &a).is_empty());
    }
}
