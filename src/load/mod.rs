//! Stage 1, load: walk `content/` in sorted order, read and decode each file, split its
//! front matter and parse it into `Raw*` types, in parallel. The result is a `Corpus` of
//! unresolved documents plus diagnostics; nothing here knows about other files.

pub mod config;
pub mod front;
pub mod places;
pub mod raw;
pub mod source;
pub mod split;
pub mod yaml_file;

use crate::diag::{Diagnostic, Diagnostics, Pos, Severity, code};
use crate::fsx::{self, Found, ReadError};
use raw::{At, FrontMatter, RawGroup, RawIncident, RawPage, RawWeapon};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a document came from, and its Markdown body.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root (`content/incidents/2024/x.md`): used in messages.
    pub rel: PathBuf,
    /// Relative to `content/` with `/` separators (`incidents/2024/x.md`): `@/` targets.
    pub content_path: String,
    /// File name without `.md`.
    pub stem: String,
    /// Shared so that copying a `SourceFile` for messages never copies the text.
    /// Empty once released (`release`): `body_text` reads it again.
    pub body: std::sync::Arc<str>,
    /// 1-based line of the body's first byte.
    pub body_line: u32,
    /// Byte offset of the body in the decoded file.
    pub body_start: usize,
    /// When the body is not held (`release`): its length and a check value of it, so
    /// that reading it again (`body_text`) can tell an edit made during the build.
    pub released: Option<(usize, u64)>,
    /// Top-level front matter keys and where they stand (to place "is empty" errors).
    pub front_keys: Vec<(String, Pos)>,
}

impl SourceFile {
    /// A file with no content of its own (a data file such as the gazetteer), for
    /// messages that point at it.
    pub fn synthetic(rel: &Path) -> SourceFile {
        SourceFile {
            rel: rel.to_path_buf(),
            content_path: String::new(),
            stem: String::new(),
            body: std::sync::Arc::from(""),
            body_line: 1,
            body_start: 0,
            released: None,
            front_keys: Vec::new(),
        }
    }

    /// Stop holding the body: keep its length and check value, for `body_text`.
    pub fn release(&mut self) {
        if self.released.is_none() {
            self.released = Some((self.body.len(), check_value(&self.body)));
            self.body = std::sync::Arc::from("");
        }
    }

    /// The Markdown body: the text held, or for a released body the file read and
    /// decoded again (`root` is the site folder). A body that changed since the file
    /// was loaded (or moved, its front matter grown or shrunk) is an error, never a
    /// silently different page; an edit to the front matter alone that keeps its
    /// length is not seen, and the page is made from the front matter as loaded.
    pub fn body_text(&self, root: &Path) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        let Some((len, check)) = self.released else {
            return Ok(std::borrow::Cow::Borrowed(&self.body));
        };
        let changed = || {
            Diagnostic::error(
                code::IO,
                &self.rel,
                Pos::FILE,
                "this file changed while the site was being built",
            )
            .with_hint("build again once the edit is saved")
        };
        let bytes = fsx::read_limited(&root.join(&self.rel)).map_err(|e| {
            let why = match e {
                ReadError::Io(e) => e.to_string(),
                ReadError::TooLarge(n) => format!("it is now {n} bytes, over the limit"),
            };
            Diagnostic::error(
                code::IO,
                &self.rel,
                Pos::FILE,
                format!("cannot read this file again while building: {why}"),
            )
            .with_hint("build again once the file is back in place")
        })?;
        let mut text = source::decode(&self.rel, bytes).map_err(|_| changed())?;
        if text.len() != self.body_start + len
            || !text.is_char_boundary(self.body_start)
            || check_value(&text[self.body_start..]) != check
        {
            return Err(changed());
        }
        text.drain(..self.body_start);
        Ok(std::borrow::Cow::Owned(text))
    }

    /// Position of a top-level key, or the start of the file.
    pub fn key_pos(&self, key: &str) -> Pos {
        self.front_keys
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| *p)
            .unwrap_or(Pos::START)
    }
}

/// A check value of a body: a 64-bit hash, to notice a file edited during a build.
fn check_value(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

/// Top-level keys of a front matter block (lines that start in column 1 with `key:`).
fn top_level_keys(front: &str) -> Vec<(String, Pos)> {
    front
        .split('\n')
        .enumerate()
        .skip(1)
        .filter_map(|(i, line)| {
            let (key, _) = line.split_once(':')?;
            let plain =
                !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            plain.then(|| (key.to_string(), Pos::new(i as u32 + 1, 1)))
        })
        .collect()
}

/// One parsed document.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    pub file: SourceFile,
    pub raw: T,
}

/// Everything `load` read.
#[derive(Debug, Default)]
pub struct Corpus {
    pub incidents: Vec<Doc<RawIncident>>,
    pub groups: Vec<Doc<RawGroup>>,
    pub weapons: Vec<Doc<RawWeapon>>,
    pub pages: Vec<Doc<RawPage>>,
    /// Files under `static/`, copied as they are.
    pub statics: Vec<Found>,
    /// Every other file under `content/` (images in page bundles and `content/media/`),
    /// by path relative to `content/`: what a `media:` entry may name.
    pub assets: Vec<Found>,
    /// Number of content files looked at.
    pub files_read: usize,
    /// Content paths (`groups/x.md`) of files that failed to load.
    pub failed: Vec<String>,
    /// The gazetteer (`data/places.yaml`), when the site has one.
    pub places: Option<raw::RawPlaces>,
}

/// Parsed files kept between loads (the live preview): a file whose path, strictness
/// and bytes did not change is not decoded and parsed again; its earlier result
/// (document and diagnostics) is reused. A file is not even read again when its size
/// and modification time are unchanged and it was not named in `forget` (the
/// watcher's list of changed paths). Files gone from the site drop out.
#[derive(Default)]
pub struct LoadCache {
    incidents: std::sync::Mutex<Section<RawIncident>>,
    groups: std::sync::Mutex<Section<RawGroup>>,
    weapons: std::sync::Mutex<Section<RawWeapon>>,
    pages: std::sync::Mutex<Section<RawPage>>,
}

type Section<T> = HashMap<PathBuf, Parsed<T>>;

impl LoadCache {
    /// Drop what is known of these paths (relative to the site root), and of
    /// everything under them when they are folders: they must be read again.
    pub fn forget(&self, paths: &[PathBuf]) {
        fn drop_from<T>(section: &std::sync::Mutex<Section<T>>, paths: &[PathBuf]) {
            let mut map = section.lock().unwrap_or_else(|e| e.into_inner());
            map.retain(|k, _| !paths.iter().any(|p| k.starts_with(p)));
        }
        drop_from(&self.incidents, paths);
        drop_from(&self.groups, paths);
        drop_from(&self.weapons, paths);
        drop_from(&self.pages, paths);
    }
}

/// A content file read again for the preview's fast paths (`LoadCache::reread`).
pub enum Reread {
    /// A group, weapon type or page whose front matter did not change: its new body.
    Body(std::sync::Arc<str>),
    /// An incident that parses without an error; `body_only` when its front matter
    /// did not change.
    Incident {
        doc: Box<Doc<RawIncident>>,
        body_only: bool,
    },
}

impl LoadCache {
    /// Read content file `rel` (relative to the site root) again, once, for the
    /// preview's fast paths: what `Reread` says when the file was loaded before, `None`
    /// otherwise (and for a group, weapon type or page whose front matter changed).
    /// "Did not change" means the same front matter, positions included, and the same
    /// diagnostics. Either way the cache then holds the file as it is now.
    pub fn reread(&self, root: &Path, rel: &Path) -> Option<Reread> {
        let content_rel = rel.strip_prefix("content").ok()?;
        match classify(content_rel)? {
            0 => {
                let (new, old) = reparse(&self.incidents, root, rel, content_rel)?;
                if new.diags.iter().any(Diagnostic::is_error) {
                    return None;
                }
                let body_only = same_front(&new, &old);
                Some(Reread::Incident {
                    doc: Box::new(new.doc?),
                    body_only,
                })
            }
            1 => body_only(&self.groups, root, rel, content_rel),
            2 => body_only(&self.weapons, root, rel, content_rel),
            _ => body_only(&self.pages, root, rel, content_rel),
        }
    }
}

/// `Reread::Body` for a file of `section` whose front matter did not change.
fn body_only<T: FrontMatter + PartialEq + Clone>(
    section: &std::sync::Mutex<Section<T>>,
    root: &Path,
    rel: &Path,
    content_rel: &Path,
) -> Option<Reread> {
    let (new, old) = reparse(section, root, rel, content_rel)?;
    if !same_front(&new, &old) {
        return None;
    }
    Some(Reread::Body(new.doc?.file.body))
}

/// True when two parses of one file have the same front matter (positions included)
/// and the same diagnostics: only the body can differ.
fn same_front<T: PartialEq>(new: &Parsed<T>, old: &Parsed<T>) -> bool {
    let (Some(doc), Some(old_doc)) = (&new.doc, &old.doc) else {
        return false;
    };
    let texts = |ds: &[Diagnostic]| ds.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    doc.raw == old_doc.raw
        && doc.file.body_line == old_doc.file.body_line
        && doc.file.front_keys == old_doc.file.front_keys
        && texts(&new.diags) == texts(&old.diags)
}

/// Parse a file the cache knew again, store the result in its place and return it
/// with the one it replaced. `None` (and nothing changed) when the file was not known,
/// or is no longer a plain readable file.
fn reparse<T: FrontMatter + Clone>(
    section: &std::sync::Mutex<Section<T>>,
    root: &Path,
    rel: &Path,
    content_rel: &Path,
) -> Option<(Parsed<T>, Parsed<T>)> {
    let path = root.join(rel);
    // Only a plain file: a symlink or a pipe put in its place goes through the full
    // load, with its checks.
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let stamp = Some(crate::manifest::stamp(&meta));
    let bytes = fsx::read_limited(&path).ok()?;
    let hash = Some(blake3::hash(&bytes));
    let mut map = section.lock().unwrap_or_else(|e| e.into_inner());
    let strict = map.get(rel)?.strict;
    let (doc, diags) = parse_text::<T>(rel, content_rel, bytes, strict).ok()?;
    let new = Parsed {
        hash,
        stamp,
        strict,
        doc: Some(doc),
        diags,
    };
    let old = map.insert(rel.to_path_buf(), new.clone())?;
    Some((new, old))
}

/// One file's load result, keyed by a hash of its bytes (`None` outside the cache,
/// or when the file could not be read).
#[derive(Clone)]
struct Parsed<T> {
    hash: Option<blake3::Hash>,
    /// Size and modification time when it was read.
    stamp: Option<(u64, u128)>,
    strict: bool,
    doc: Option<Doc<T>>,
    diags: Vec<Diagnostic>,
}

impl<T: Clone> Parsed<T> {
    fn result(&self) -> (Option<Doc<T>>, Vec<Diagnostic>) {
        (self.doc.clone(), self.diags.clone())
    }
}

/// Load every content file under `root`. `strict` makes unknown keys errors. Nothing
/// is kept for a later load: no file is hashed or stamped, and no result copied.
pub fn load(root: &Path, strict: bool) -> (Corpus, Diagnostics) {
    load_with(root, strict, None, None)
}

/// Above this many incident files, a plain build holds no incident's Markdown text
/// or HTML for the whole build (`load_lean`): each body is read and rendered
/// once for what the rest of the site needs, then again for its own page. That costs
/// about 5% more time and saves about 14 KB per incident of peak memory.
pub const LEAN_ABOVE: usize = 20_000;

/// `load` for a build that renders each page once and keeps nothing: with `always`,
/// or above `LEAN_ABOVE` incident files, no incident body is held
/// (`SourceFile::release`) and render reads each again when it needs it. The bodies
/// are most of the corpus's text.
pub fn load_lean(root: &Path, strict: bool, always: bool) -> (Corpus, Diagnostics) {
    load_with(root, strict, None, Some(always))
}

/// `load`, reusing and refreshing `cache`.
pub fn load_cached(root: &Path, strict: bool, cache: &LoadCache) -> (Corpus, Diagnostics) {
    load_with(root, strict, Some(cache), None)
}

fn load_with(
    root: &Path,
    strict: bool,
    cache: Option<&LoadCache>,
    lean: Option<bool>,
) -> (Corpus, Diagnostics) {
    let fence = fsx::canonical_lenient(root);
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    let (files, problems) = fsx::walk(&content, &fence);
    report_walk(root, problems, &mut diags);
    let mut sections: [Vec<Found>; 4] = Default::default();
    let mut assets = Vec::new();
    for f in files {
        match classify(&f.rel) {
            Some(i) => sections[i].push(f),
            None if is_markdown(&f.rel) => diags.push(
                Diagnostic::warning(
                    code::IO,
                    &root_rel(root, &f.path),
                    Pos::FILE,
                    "Markdown file outside incidents/, groups/, weapons/ or pages/ is ignored",
                )
                .with_hint("move it into one of the four content folders"),
            ),
            None if is_asset(&f.rel) => assets.push(f),
            None => {}
        }
    }
    let [inc, grp, wpn, pgs] = sections;
    let lean = lean.is_some_and(|always| always || inc.len() > LEAN_ABOVE);
    let mut corpus = Corpus {
        files_read: inc.len() + grp.len() + wpn.len() + pgs.len(),
        ..Corpus::default()
    };
    corpus.assets = assets;
    let mut ctx = (strict, &mut diags, &mut corpus.failed);
    corpus.incidents = load_section(root, &inc, &mut ctx, cache.map(|c| &c.incidents), lean);
    corpus.groups = load_section(root, &grp, &mut ctx, cache.map(|c| &c.groups), false);
    corpus.weapons = load_section(root, &wpn, &mut ctx, cache.map(|c| &c.weapons), false);
    corpus.pages = load_section(root, &pgs, &mut ctx, cache.map(|c| &c.pages), false);
    let (statics, problems) = fsx::walk(&root.join("static"), &fence);
    report_walk(root, problems, &mut diags);
    for f in &statics {
        let len = std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
        if len > fsx::MAX_FILE_BYTES {
            let msg = format!(
                "static file is {len} bytes; the limit is {} bytes",
                fsx::MAX_FILE_BYTES
            );
            diags.push(
                Diagnostic::error(code::STATIC_FILE, &root_rel(root, &f.path), Pos::FILE, msg)
                    .with_hint("host large files elsewhere and link to them"),
            );
        }
    }
    corpus.statics = statics;
    match places::read(root, strict) {
        Ok((p, d)) => {
            corpus.places = p;
            diags.extend(d);
        }
        Err(e) => diags.push(Diagnostic::error(
            code::IO,
            Path::new(places::FILE),
            Pos::FILE,
            e.to_string(),
        )),
    }
    (corpus, diags)
}

fn report_walk(root: &Path, problems: Vec<fsx::WalkProblem>, diags: &mut Diagnostics) {
    for p in problems {
        diags.push(
            Diagnostic::error(code::IO, &root_rel(root, &p.path), Pos::FILE, p.message)
                .with_hint("remove the link or point it at a file inside the site"),
        );
    }
}

/// Section index for a path relative to `content/`; `None` for files we skip.
fn classify(rel: &Path) -> Option<usize> {
    if !is_markdown(rel) {
        return None;
    }
    let first = rel.components().next()?.as_os_str().to_str()?;
    let nested = rel.components().count() > 1;
    match first {
        "incidents" if nested => Some(0),
        "groups" if nested => Some(1),
        "weapons" if nested => Some(2),
        "pages" if nested => Some(3),
        _ => None,
    }
}

/// `.md` files that are not editor leftovers or hidden files.
fn is_markdown(rel: &Path) -> bool {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".md") && !name.starts_with('.') && !name.starts_with('#')
}

/// A file under `content/` that is neither Markdown nor hidden nor an editor's leftover
/// (`.x.swp`, `#x#`, `x~`): a possible media file.
fn is_asset(rel: &Path) -> bool {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with('.') && !name.starts_with('#') && !name.ends_with('~')
}

fn root_rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Strictness, and where diagnostics and failed paths go.
type LoadCtx<'a> = (bool, &'a mut Diagnostics, &'a mut Vec<String>);

/// Load one section's files in parallel. With `cache` (the preview), unchanged files
/// are taken from it and the cache is refreshed; without, each file is read and parsed
/// once and its result moved into the corpus; with `release`, without its body.
fn load_section<T>(
    root: &Path,
    files: &[Found],
    (strict, diags, failed): &mut LoadCtx,
    cache: Option<&std::sync::Mutex<Section<T>>>,
    release: bool,
) -> Vec<Doc<T>>
where
    T: FrontMatter + Send + Sync + Clone,
{
    let strict = *strict;
    let old = cache
        .map(|c| std::mem::take(&mut *c.lock().unwrap_or_else(|e| e.into_inner())))
        .unwrap_or_default();
    let results: Vec<(PathBuf, Parsed<T>)> = files
        .par_iter()
        .map(|f| {
            let rel = root_rel(root, &f.path);
            let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match cache {
                Some(_) => load_one::<T>(&rel, f, strict, old.get(&rel)),
                None => {
                    let (mut doc, ds) = read_and_parse::<T>(&rel, f, strict);
                    if let Some(d) = doc.as_mut().filter(|_| release) {
                        d.file.release();
                    }
                    Parsed::fresh(strict, (doc, ds))
                }
            }));
            let parsed = guarded.unwrap_or_else(|_| {
                let d = Diagnostic::error(
                    code::RENDER_PANIC,
                    &rel,
                    Pos::FILE,
                    "internal error while reading this file",
                )
                .with_hint("please report this file to the casefile maintainers");
                Parsed::fresh(strict, (None, vec![d]))
            });
            (rel, parsed)
        })
        .collect();
    drop(old);
    let mut docs = Vec::with_capacity(results.len());
    let mut fresh = Section::with_capacity(if cache.is_some() { results.len() } else { 0 });
    for ((rel, parsed), f) in results.into_iter().zip(files) {
        let (doc, ds) = match cache {
            Some(_) => {
                let result = parsed.result();
                fresh.insert(rel, parsed);
                result
            }
            None => (parsed.doc, parsed.diags),
        };
        diags.extend(ds);
        match doc {
            Some(d) => docs.push(d),
            None => failed.push(fsx::slash_path(&f.rel)),
        }
    }
    if let Some(c) = cache {
        *c.lock().unwrap_or_else(|e| e.into_inner()) = fresh;
    }
    docs
}

impl<T> Parsed<T> {
    /// A result that no cache will compare: no hash or stamp.
    fn fresh(strict: bool, (doc, diags): (Option<Doc<T>>, Vec<Diagnostic>)) -> Self {
        Parsed {
            hash: None,
            stamp: None,
            strict,
            doc,
            diags,
        }
    }
}

/// Read, decode, split and parse one file.
fn read_and_parse<T: FrontMatter>(
    rel: &Path,
    found: &Found,
    strict: bool,
) -> (Option<Doc<T>>, Vec<Diagnostic>) {
    match read(rel, found) {
        Ok(bytes) => parse_bytes(rel, found, bytes, strict),
        Err(d) => (None, vec![d]),
    }
}

/// A content file's bytes, within the size limit.
fn read(rel: &Path, found: &Found) -> Result<Vec<u8>, Diagnostic> {
    fsx::read_limited(&found.path).map_err(|e| match e {
        ReadError::Io(e) => {
            Diagnostic::error(code::IO, rel, Pos::FILE, format!("cannot read: {e}"))
        }
        ReadError::TooLarge(n) => {
            let msg = format!(
                "file is {n} bytes; the limit is {} bytes",
                fsx::MAX_FILE_BYTES
            );
            Diagnostic::error(code::TOO_LARGE, rel, Pos::FILE, msg).with_hint("split the file")
        }
    })
}

fn parse_bytes<T: FrontMatter>(
    rel: &Path,
    found: &Found,
    bytes: Vec<u8>,
    strict: bool,
) -> (Option<Doc<T>>, Vec<Diagnostic>) {
    match parse_text::<T>(rel, &found.rel, bytes, strict) {
        Ok((doc, warnings)) => (Some(doc), warnings),
        Err(d) => (None, vec![d]),
    }
}

/// `load_section`'s work for one file with the preview's cache: unchanged size and
/// time, or unchanged bytes, reuse the cached result.
fn load_one<T: FrontMatter + Clone>(
    rel: &Path,
    found: &Found,
    strict: bool,
    cached: Option<&Parsed<T>>,
) -> Parsed<T> {
    let stamp = std::fs::metadata(&found.path)
        .ok()
        .map(|m| crate::manifest::stamp(&m));
    if let Some(c) = cached.filter(|c| stamp.is_some() && c.stamp == stamp && c.strict == strict) {
        let (doc, diags) = c.result();
        return Parsed {
            hash: c.hash,
            stamp,
            strict,
            doc,
            diags,
        };
    }
    let bytes = match read(rel, found) {
        Ok(b) => b,
        Err(d) => return Parsed::fresh(strict, (None, vec![d])),
    };
    let hash = Some(blake3::hash(&bytes));
    if let Some(c) = cached.filter(|c| c.hash == hash && c.strict == strict) {
        let (doc, diags) = c.result();
        return Parsed {
            hash,
            stamp,
            strict,
            doc,
            diags,
        };
    }
    let (doc, diags) = parse_bytes(rel, found, bytes, strict);
    Parsed {
        hash,
        stamp,
        strict,
        doc,
        diags,
    }
}

/// Decode, split and parse one file's bytes. `content_rel` is relative to `content/`.
pub fn parse_text<T: FrontMatter>(
    rel: &Path,
    content_rel: &Path,
    bytes: Vec<u8>,
    strict: bool,
) -> Result<(Doc<T>, Vec<Diagnostic>), Diagnostic> {
    let text = source::decode(rel, bytes)?;
    let parts = split::split(rel, &text)?;
    let parsed = front::parse::<T>(rel, &text, parts.front_end)?;
    let severity = if strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let warnings = parsed
        .unknown
        .into_iter()
        .map(|k| unknown_key(rel, k, severity))
        .collect();
    let stem = stem_of(content_rel);
    let body: std::sync::Arc<str> = text[parts.body_start..].into();
    let file = SourceFile {
        rel: rel.to_path_buf(),
        content_path: fsx::slash_path(content_rel),
        stem,
        body,
        body_line: parts.body_line,
        body_start: parts.body_start,
        released: None,
        front_keys: top_level_keys(&text[..parts.front_end]),
    };
    Ok((
        Doc {
            file,
            raw: parsed.value,
        },
        warnings,
    ))
}

/// A document's stem: the file name without `.md`, or for a page bundle's `index.md`
/// (`incidents/2024/kalamba/index.md`, with its images beside it) the folder's name.
pub fn stem_of(content_rel: &Path) -> String {
    let stem = content_rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let parent = content_rel.parent().and_then(|p| p.file_name());
    match (stem, parent.and_then(|p| p.to_str())) {
        ("index", Some(folder)) if content_rel.components().count() > 2 => folder.to_string(),
        _ => stem.to_string(),
    }
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "date_end",
    "date_precision",
    "confidence",
    "event_type",
    "summary",
    "slug",
    "location",
    "groups",
    "weapons",
    "fatalities",
    "sources",
    "tags",
    "draft",
    "updated",
    "import",
    "id",
    "source",
    "name",
    "admin3",
    "admin2",
    "admin1",
    "country",
    "lat",
    "lon",
    "precision",
    "group",
    "role",
    "attribution",
    "weapon",
    "status",
    "quantity",
    "from",
    "to",
    "origin",
    "identification",
    "evidence",
    "note",
    "url",
    "publisher",
    "kind",
    "reliability",
    "short_name",
    "aliases",
    "former_names",
    "actor_type",
    "parent",
    "founded",
    "countries",
    "category",
    "manufacturer",
    "calibre",
    "family",
    "ammunition",
    "best",
    "low",
    "high",
    "base_url",
    "description",
    "language",
    "incidents_per_page",
    "feed_limit",
    "markdown",
    "raw_html",
    "weapon_categories",
    "media",
    "file",
    "alt",
    "caption",
    "credit",
    "shows",
    "sensitive",
];

pub fn unknown_key(rel: &Path, key: At<String>, severity: Severity) -> Diagnostic {
    let mut d = Diagnostic::error(
        code::UNKNOWN_KEY,
        rel,
        key.pos,
        format!("unknown key `{}`", key.value),
    );
    d.severity = severity;
    let mut candidates = crate::diag::closest(&key.value, KNOWN_KEYS.iter().copied());
    candidates.retain(|c| *c != key.value);
    match crate::diag::did_you_mean(&candidates) {
        Some(h) => d.with_hint(h),
        None => d.with_hint("this kind of file has no such key; see docs/content-format.md"),
    }
}
