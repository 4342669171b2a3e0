//! One complete, immutable state of the preview: every output file in memory (static
//! files read in too) and the errors of the latest build. A snapshot is made whole,
//! then swapped in; requests never see a half-built one.

use crate::diag::Diagnostic;
use crate::output::{Content, OutputSet};
use crate::{BuildOptions, Error};
use std::collections::HashMap;
use std::sync::Arc;

/// The site as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Relative output path (`incidents/x/index.html`) -> bytes. The allow-list of
    /// everything the server may send.
    pub files: HashMap<String, Arc<[u8]>>,
    /// Bumped on every rebuild, good or bad: pages reload when it changes.
    pub generation: u64,
    /// Errors of the latest build (then `files` is the last good site); shown in an
    /// overlay on every page.
    pub errors: Vec<Diagnostic>,
    /// The site folder, to quote source lines in the overlay.
    pub root: std::path::PathBuf,
}

impl Snapshot {
    /// True when no build has succeeded yet.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Build the site in memory. On success the new files replace `previous`'s; on content
/// errors the previous files stay and the errors are attached.
pub fn rebuild(opts: &BuildOptions, previous: &Snapshot) -> Snapshot {
    let generation = previous.generation + 1;
    let root = opts.root.clone();
    let outcome = crate::build_in_memory(opts);
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
            return Snapshot {
                files: previous.files.clone(),
                generation,
                errors: vec![d],
                root,
            };
        }
    };
    let errors: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    match set.filter(|_| errors.is_empty()).map(|s| load(&s)) {
        Some(Ok(files)) => Snapshot {
            files,
            generation,
            errors: Vec::new(),
            root,
        },
        Some(Err(d)) => Snapshot {
            files: previous.files.clone(),
            generation,
            errors: vec![d],
            root,
        },
        None => Snapshot {
            files: previous.files.clone(),
            generation,
            errors,
            root,
        },
    }
}

/// Every file of the set as bytes (static files are read now, within the size limit).
fn load(set: &OutputSet) -> Result<HashMap<String, Arc<[u8]>>, Diagnostic> {
    let mut files = HashMap::with_capacity(set.len());
    for (path, entry) in set.iter() {
        let bytes: Arc<[u8]> = match &entry.content {
            Content::Bytes(b) => Arc::from(b.as_slice()),
            Content::Copy(src) => match crate::fsx::read_limited(src) {
                Ok(b) => Arc::from(b),
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
        files.insert(path.clone(), bytes);
    }
    Ok(files)
}
