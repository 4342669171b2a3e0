//! The output set: every file a build produces, held in memory by relative path, with
//! the source that produced it (or a note that the renderer already streamed it into
//! the staging folder). Two sources claiming one path (also when the paths
//! differ only in case) are an error naming both. Static files are referenced, not
//! read, so a large `static/` costs no memory.

use crate::diag::{Diagnostic, Pos, code};
use crate::fsx::FsError;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied from this file when written.
    Copy(PathBuf),
    /// Copied from this file of casefile's cache when written (a processed image).
    /// The file never changes: its path names its bytes, so the preview serves it
    /// from there instead of holding it in memory.
    Cached(PathBuf),
    /// Already written into the staging folder by the renderer (a streaming build).
    Staged,
    /// Rendered and link-checked, then dropped: a dry run (`check`) keeps no page.
    Dropped,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub content: Content,
    /// The file (relative to the site root) or generator that produced it.
    pub owner: PathBuf,
}

/// Relative output path (`incidents/x/index.html`) -> entry, sorted.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: BTreeMap<String, Entry>,
    lower: BTreeMap<String, String>,
}

impl OutputSet {
    /// Add a file; on a collision the first stays and a diagnostic is returned.
    pub fn insert(
        &mut self,
        path: String,
        content: Content,
        owner: PathBuf,
    ) -> Result<(), Diagnostic> {
        let key = path.to_lowercase();
        if let Some(existing) = self.lower.get(&key) {
            let other = self
                .files
                .get(existing)
                .map(|e| e.owner.clone())
                .unwrap_or_default();
            // Report on a user's file rather than on a generated list page.
            let (at, other) = if owner.to_string_lossy().starts_with('<') {
                (other, owner)
            } else {
                (owner, other)
            };
            let other = other.display();
            return Err(Diagnostic::error(
                code::URL_COLLISION,
                &at,
                Pos::FILE,
                format!("output `{path}` is also produced by {other}"),
            )
            .with_hint(
                "rename the file or set a different slug; paths that differ only in case collide",
            ));
        }
        self.lower.insert(key, path.clone());
        self.files.insert(path, Entry { content, owner });
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.files.get(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.files.iter()
    }

    /// Every file, by value (the set is consumed).
    pub fn into_files(self) -> impl Iterator<Item = (String, Entry)> {
        self.files.into_iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Where the renderer hands each page as soon as it is made, so that no page need be
/// kept: the driver picks what happens to it (written into the staging folder, kept in
/// memory, scanned for links, dropped) and the renderer knows none of them. Called from
/// many threads at once.
pub trait PageSink: Sync {
    /// Take the page at output path `path`; the answer is what the output set records.
    fn page(&self, path: &str, html: String) -> Result<Content, FsError>;

    /// Take a generated file that is not a page (feeds, data exports, the search
    /// index). By default it is kept in the set: only a sink that writes streams it.
    fn file(&self, _path: &str, bytes: Vec<u8>) -> Result<Content, FsError> {
        Ok(Content::Bytes(bytes))
    }
}

/// Pages kept in the output set: an in-memory build (the preview).
pub struct KeepPages;

impl PageSink for KeepPages {
    fn page(&self, _: &str, html: String) -> Result<Content, FsError> {
        Ok(Content::Bytes(html.into_bytes()))
    }
}

/// Pages dropped once made: a dry run (`check`).
pub struct DropPages;

impl PageSink for DropPages {
    fn page(&self, _: &str, _: String) -> Result<Content, FsError> {
        Ok(Content::Dropped)
    }
}
