//! The file-system boundary of the pipeline: reading sources, walking folders, and the
//! checks that keep casefile inside the site (symlinks) and inside the output folder.
//! Every error names the path it concerns. Writing the output lives in `write.rs`.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Largest content file casefile reads, in bytes (documented in docs/guide.md).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A system-level failure: not the content's fault (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Refused { path: PathBuf, message: String },
}

impl FsError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        FsError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    pub fn refused(path: &Path, message: impl Into<String>) -> Self {
        FsError::Refused {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// Why a content file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge(u64),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge(n) => write!(
                f,
                "the file is {n} bytes, over the limit of {MAX_FILE_BYTES}"
            ),
        }
    }
}

/// Read a whole file, refusing files over `MAX_FILE_BYTES` before reading them.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Read a small text file that must exist (site.yaml); `None` when it does not.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FsError> {
    match read_limited(path) {
        Ok(b) => Ok(Some(b)),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(ReadError::Io(e)) => Err(FsError::io(path, e)),
        Err(ReadError::TooLarge(n)) => Err(FsError::refused(
            path,
            format!("file is {n} bytes; the limit is {MAX_FILE_BYTES}"),
        )),
    }
}

/// One file found by `walk`: its absolute path and its path relative to the walk's base.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub rel: PathBuf,
}

/// A problem met while walking: a symlink loop, a link out of the site, an unreadable dir.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// Every regular file below `dir`, sorted by path, following symlinks that stay inside
/// `fence` (the canonical site root). A missing `dir` yields nothing.
pub fn walk(dir: &Path, fence: &Path) -> (Vec<Found>, Vec<WalkProblem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    if !dir.exists() {
        return (found, problems);
    }
    if let Err(message) = check_inside(dir, fence) {
        problems.push(WalkProblem {
            path: dir.to_path_buf(),
            message,
        });
        return (found, problems);
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name();
    // Folders reached through a symlink: a folder comes before its files in the walk,
    // so one check of this (usually empty) list replaces a `stat` of every ancestor of
    // every file.
    let mut linked_dirs: Vec<PathBuf> = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {
                if e.path_is_symlink() {
                    linked_dirs.push(e.path().to_path_buf());
                }
            }
            Ok(e) if e.file_type().is_file() => {
                let under_link = linked_dirs.iter().any(|d| e.path().starts_with(d));
                if (e.path_is_symlink() || under_link)
                    && let Err(message) = check_inside(e.path(), fence)
                {
                    problems.push(WalkProblem {
                        path: e.path().to_path_buf(),
                        message,
                    });
                    continue;
                }
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
                found.push(Found {
                    path: e.path().to_path_buf(),
                    rel,
                });
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let message = match err.loop_ancestor() {
                    Some(anc) => format!("symlink loop back to {}", anc.display()),
                    None => err.to_string(),
                };
                problems.push(WalkProblem { path, message });
            }
        }
    }
    (found, problems)
}

/// `Ok` when `path` resolves to a place inside `fence` (compared by path components).
pub fn check_inside(path: &Path, fence: &Path) -> Result<(), String> {
    let real = std::fs::canonicalize(path).map_err(|e| format!("cannot resolve: {e}"))?;
    if real.starts_with(fence) {
        Ok(())
    } else {
        Err(format!(
            "symlink points outside the site, to {}",
            real.display()
        ))
    }
}

/// A relative output path made only of normal components: no `..`, no root, no prefix.
pub fn is_contained(rel: &Path) -> bool {
    !rel.as_os_str().is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)))
}

/// The canonical form of a path that may not exist yet: canonicalize the longest
/// existing ancestor and append the rest.
pub fn canonical_lenient(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Path with `/` separators for messages and URLs, whatever the OS.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// This process's peak resident memory so far, in bytes (`VmHWM` in
/// `/proc/self/status`): `None` where the system does not say (not Linux).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
