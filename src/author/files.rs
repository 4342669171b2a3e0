//! Creating content files safely: a file is only ever created, never replaced, and a
//! path that passes through a symbolic link (which could lead outside the site) is
//! refused.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Written,
    /// A file (or anything) was already there; it is left as it was.
    Kept,
}

/// Why a file could not be created.
#[derive(Debug)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Create `root/rel` holding `text`, with the folders it needs. An existing file is
/// kept. `rel` must be a plain relative path (no `..`, no root); no part of it under
/// `root` may be a symbolic link.
pub fn create(root: &Path, rel: &Path, text: &str) -> Result<Outcome, FileError> {
    create_with(root, rel, text, true)
}

/// `create`, flushed to disk before returning only with `sync`: an import of tens of
/// thousands of files leaves that to the system, as `git checkout` does (one flush
/// per file made a 50,000-row import take 24 s instead of 4 s).
pub fn create_with(root: &Path, rel: &Path, text: &str, sync: bool) -> Result<Outcome, FileError> {
    let path = plain(root, rel)?;
    let fail = |message: String| FileError {
        path: path.clone(),
        message,
    };
    // Each folder on the way: made if missing, refused if it is a link.
    let mut at = root.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(fail(through_link(&at))),
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(fail(format!("{} is not a folder", at.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(&at) {
                Ok(()) => {}
                // Made meanwhile (another file of the same import): fine if a folder.
                Err(e)
                    if e.kind() == std::io::ErrorKind::AlreadyExists
                        && std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) => {}
                Err(e) => return Err(fail(format!("cannot create folder: {e}"))),
            },
            Err(e) => return Err(fail(e.to_string())),
        }
    }
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(Outcome::Kept);
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(Outcome::Kept),
        Err(e) => return Err(fail(e.to_string())),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| if sync { file.sync_all() } else { Ok(()) })
        .map_err(|e| fail(e.to_string()))?;
    Ok(Outcome::Written)
}

/// Replace the file `root/rel` with `text`: written beside it and renamed over it, so
/// that a reader sees the old file or the new one, never half of one. `rel` must be a
/// plain relative path; the file and every folder on the way must be real (no
/// symbolic links).
pub fn replace(root: &Path, rel: &Path, text: &str) -> Result<(), FileError> {
    let path = plain(root, rel)?;
    let fail = |message: String| FileError {
        path: path.clone(),
        message,
    };
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(fail(through_link(&at))),
            Ok(_) => {}
            Err(e) => return Err(fail(e.to_string())),
        }
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.casefile-tmp"));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e.to_string()));
    }
    Ok(())
}

/// `root/rel`, when `rel` is a plain relative path (no `..`, no root).
fn plain(root: &Path, rel: &Path) -> Result<PathBuf, FileError> {
    let path = root.join(rel);
    if rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        Ok(path)
    } else {
        Err(FileError {
            path,
            message: "not a plain relative path".into(),
        })
    }
}

fn through_link(at: &Path) -> String {
    format!(
        "{} is a symbolic link; casefile does not write through links",
        at.display()
    )
}
