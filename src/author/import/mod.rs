//! `casefile import acled|ucdp|csv FILE`: a spreadsheet of events made into incident
//! files. The steps, in order, and nothing is written before the last:
//!
//! 1. the mapping (`mapping`: a preset or `--map`) is compiled against the file's
//!    header;
//! 2. every row becomes an event (`convert`), in parallel; bad rows are collected with
//!    their line numbers, and so are event ids given twice;
//! 3. the site is read as the build reads it: group and weapon names resolve through
//!    the same alias matching, and the files of earlier imports are found by their
//!    `import: {source, id}`, wherever they were moved;
//! 4. each event's file is made (`file`), merged with the earlier file if any;
//! 5. only then, unless `--dry-run`: stub groups (`--create-groups`), new files and
//!    changed files are written.

pub mod convert;
pub mod file;
pub mod mapping;

use super::files::{self, Outcome};
use crate::model::Site;
use crate::model::names::normalise;
use convert::{Event, RowError};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Which mapping to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// A preset: `acled` or `ucdp`.
    Preset(&'static str),
    /// A mapping file.
    Map(PathBuf),
}

/// The request, as the command line gives it.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub root: PathBuf,
    pub format: Format,
    pub file: PathBuf,
    pub create_groups: bool,
    pub dry_run: bool,
    pub skip_bad: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// What an import did (or, with `--dry-run`, would do). Paths relative to the site.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub rows: usize,
    pub created: Vec<PathBuf>,
    pub updated: Vec<PathBuf>,
    pub unchanged: usize,
    pub groups_created: Vec<PathBuf>,
    /// Rows left out with `--skip-bad`.
    pub skipped: Vec<RowError>,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum ImportError {
    /// The file, the mapping or the site's names need fixing; the whole message.
    Request(String),
    /// The file system failed.
    System(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Request(m) | ImportError::System(m) => f.write_str(m),
        }
    }
}

/// At most this many bad rows are listed one by one.
const SHOWN: usize = 50;

/// Run the import.
pub fn import(req: &ImportRequest) -> Result<ImportReport, ImportError> {
    let (map_name, map_text) = mapping_text(&req.format)?;
    let raw = mapping::parse(&map_name, &map_text)
        .map_err(|e| ImportError::Request(mapping_errors(&map_name, &e)))?;
    let (header, records) = read_csv(&req.file)?;
    let mapping = mapping::compile(raw, &header)
        .map_err(|e| ImportError::Request(mapping_errors(&map_name, &e)))?;
    let bar = progress(req.progress, records.len());
    bar.set_message("reading rows");
    let converted: Vec<Result<Event, Vec<RowError>>> = records
        .par_iter()
        .map(|(line, rec)| {
            let r = match rec {
                Ok(rec) if rec.len() != header.len() => Err(vec![RowError {
                    line: *line,
                    message: format!(
                        "{} fields where the header has {} (a comma or quote out of place?)",
                        rec.len(),
                        header.len()
                    ),
                }]),
                Ok(rec) => convert::event(&mapping, rec, *line),
                Err(message) => Err(vec![RowError {
                    line: *line,
                    message: message.clone(),
                }]),
            };
            bar.inc(1);
            r
        })
        .collect();
    let mut events = Vec::with_capacity(converted.len());
    let mut bad: Vec<RowError> = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for c in converted {
        match c {
            Ok(e) => match first_line.get(&e.id) {
                Some(first) => bad.push(RowError {
                    line: e.line,
                    message: format!("event id `{}` again (first on line {first})", e.id),
                }),
                None => {
                    first_line.insert(e.id.clone(), e.line);
                    events.push(e);
                }
            },
            Err(errs) => bad.extend(errs),
        }
    }
    bad.sort_by_key(|e| e.line);
    let file_name = req.file.display().to_string();
    if !bad.is_empty() && !req.skip_bad {
        bar.finish_and_clear();
        return Err(ImportError::Request(bad_rows(&file_name, &bad)));
    }
    bar.set_message("reading the site");
    let site = super::new::read_site(&req.root).map_err(|e| match e {
        super::new::NewError::Request(m) => ImportError::Request(m),
        super::new::NewError::System(m) => ImportError::System(m),
    })?;
    let names = resolve_names(&site, &events, req.create_groups)?;
    let plan = plan(req, &site, &mapping, &events, &names, &bar)?;
    bar.finish_and_clear();
    let mut report = ImportReport {
        rows: records.len(),
        unchanged: plan.unchanged,
        skipped: bad,
        ..ImportReport::default()
    };
    report.groups_created = names.stubs.iter().map(|s| s.0.clone()).collect();
    report.created = plan
        .writes
        .iter()
        .filter(|w| w.new)
        .map(|w| w.rel.clone())
        .collect();
    report.updated = plan
        .writes
        .iter()
        .filter(|w| !w.new)
        .map(|w| w.rel.clone())
        .collect();
    if req.dry_run {
        return Ok(report);
    }
    let sys = |e: files::FileError| ImportError::System(e.to_string());
    for (rel, text) in &names.stubs {
        if files::create(&req.root, rel, text).map_err(sys)? == Outcome::Kept {
            return Err(ImportError::System(format!(
                "{} appeared meanwhile; nothing more was written",
                rel.display()
            )));
        }
    }
    plan.writes
        .par_iter()
        .map(|w| {
            if w.new {
                match files::create_with(&req.root, &w.rel, &w.text, false).map_err(sys)? {
                    Outcome::Written => Ok(()),
                    Outcome::Kept => Err(ImportError::System(format!(
                        "{} appeared meanwhile and was left as it is",
                        w.rel.display()
                    ))),
                }
            } else {
                files::replace(&req.root, &w.rel, &w.text).map_err(sys)
            }
        })
        .collect::<Result<Vec<()>, ImportError>>()?;
    Ok(report)
}

fn mapping_text(format: &Format) -> Result<(PathBuf, String), ImportError> {
    match format {
        Format::Preset(name) => mapping::PRESETS
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, t)| (PathBuf::from(format!("<{n} preset>")), (*t).to_string()))
            .ok_or_else(|| ImportError::Request(format!("no preset `{name}`"))),
        Format::Map(path) => {
            let bytes = crate::fsx::read_limited(path)
                .map_err(|e| ImportError::System(format!("{}: {e}", path.display())))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                ImportError::Request(format!("{}: the mapping is not UTF-8 text", path.display()))
            })?;
            Ok((path.clone(), text))
        }
    }
}

fn mapping_errors(file: &Path, errors: &[mapping::MappingError]) -> String {
    errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{}: error: {}",
                file.display(),
                e.line,
                e.col,
                e.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A record, or why it could not be read (not UTF-8, a broken quote...).
type Record = Result<csv::StringRecord, String>;

/// The header's names and each record with the line it starts on.
type Table = (Vec<String>, Vec<(u64, Record)>);

/// The header (BOM stripped) and each record with the line it starts on.
fn read_csv(path: &Path) -> Result<Table, ImportError> {
    let file = std::fs::File::open(path)
        .map_err(|e| ImportError::System(format!("{}: {e}", path.display())))?;
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| {
            ImportError::Request(format!(
                "{}:1: error: the header row cannot be read: {e}",
                path.display()
            ))
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(ImportError::Request(format!(
            "{}: the file is empty",
            path.display()
        )));
    }
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let line = rd.position().line();
        match rd.read_record(&mut rec) {
            Ok(true) => {
                // A record's line is where it starts: the line after the previous one.
                let start = rec.position().map_or(line, |p| p.line());
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                out.push((start, Ok(std::mem::take(&mut rec))));
            }
            Ok(false) => break,
            Err(e) => {
                let at = e.position().map_or(line, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        "the row is not UTF-8 text; save the file as UTF-8".to_string()
                    }
                    _ => format!("the row cannot be read: {e}"),
                };
                out.push((at, Err(message)));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    Ok((header, out))
}

fn bad_rows(file: &str, bad: &[RowError]) -> String {
    let mut lines: Vec<String> = bad
        .iter()
        .take(SHOWN)
        .map(|e| format!("{file}:{}: error: {}", e.line, e.message))
        .collect();
    if bad.len() > SHOWN {
        lines.push(format!("... and {} more", bad.len() - SHOWN));
    }
    let rows: std::collections::BTreeSet<u64> = bad.iter().map(|e| e.line).collect();
    lines.push(format!(
        "{} bad {}; nothing was written. Fix them, or run again with --skip-bad to import the other rows.",
        rows.len(),
        if rows.len() == 1 { "row" } else { "rows" }
    ));
    lines.join("\n")
}

/// A progress bar on stderr, drawn only when asked and on a terminal.
fn progress(show: bool, len: usize) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let target = if show {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    bar.set_style(
        ProgressStyle::with_template("{msg:18} {wide_bar} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Group and weapon names resolved to ids, and the stub group files to write.
struct Names {
    groups: HashMap<String, String>,
    weapons: HashMap<String, String>,
    /// Path and text of each stub group (`--create-groups`).
    stubs: Vec<(PathBuf, String)>,
}

/// A name that matches nothing: as first written, in how many rows, and the actor
/// type the first row gave.
struct Unmatched {
    written: String,
    rows: usize,
    actor_type: Option<&'static str>,
}

fn resolve_names(site: &Site, events: &[Event], create: bool) -> Result<Names, ImportError> {
    let mut names = Names {
        groups: HashMap::new(),
        weapons: HashMap::new(),
        stubs: Vec::new(),
    };
    let mut missing_groups: BTreeMap<String, Unmatched> = BTreeMap::new();
    let mut missing_weapons: BTreeMap<String, Unmatched> = BTreeMap::new();
    for e in events {
        let mut seen_here = std::collections::HashSet::new();
        for a in &e.groups {
            if names.groups.contains_key(&a.name) {
                continue;
            }
            match site.names.groups.get(&a.name) {
                Some(id) => {
                    names
                        .groups
                        .insert(a.name.clone(), site.group(id).id.clone());
                }
                None => {
                    let key = normalise(&a.name);
                    let u = missing_groups.entry(key.clone()).or_insert(Unmatched {
                        written: a.name.clone(),
                        rows: 0,
                        actor_type: a.actor_type,
                    });
                    if seen_here.insert(key) {
                        u.rows += 1;
                    }
                }
            }
        }
        for w in &e.weapons {
            if names.weapons.contains_key(&w.name) {
                continue;
            }
            match site.names.weapons.get(&w.name) {
                Some(id) => {
                    names
                        .weapons
                        .insert(w.name.clone(), site.weapon(id).id.clone());
                }
                None => {
                    let key = normalise(&w.name);
                    let u = missing_weapons.entry(key.clone()).or_insert(Unmatched {
                        written: w.name.clone(),
                        rows: 0,
                        actor_type: None,
                    });
                    if seen_here.insert(format!("w:{key}")) {
                        u.rows += 1;
                    }
                }
            }
        }
    }
    let mut problems = Vec::new();
    if !missing_weapons.is_empty() {
        problems.push(unmatched_list(
            "weapon type",
            &missing_weapons,
            |n| close(&site.names.weapons, n),
            "Add each as a weapon type (content/weapons/) or as an alias of one.",
        ));
    }
    if !missing_groups.is_empty() && !create {
        problems.push(unmatched_list(
            "actor",
            &missing_groups,
            |n| close(&site.names.groups, n),
            "Add each as the name or an alias of a group (content/groups/), or run again with --create-groups to write a stub group for each.",
        ));
    }
    if !problems.is_empty() {
        problems.push("Nothing was written.".into());
        return Err(ImportError::Request(problems.join("\n")));
    }
    // Stub groups: an id from the name, made unique among the site's and each other's.
    let mut taken: std::collections::HashSet<String> =
        site.groups.iter().map(|g| g.id.clone()).collect();
    let mut stub_ids: HashMap<String, String> = HashMap::new();
    for (key, u) in &missing_groups {
        let base = super::new::slug_of(&u.written).unwrap_or_else(|_| "group".to_string());
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let mut text = format!(
            "---\nname: {}\n",
            serde_json::to_string(&u.written).unwrap_or_default()
        );
        if let Some(t) = u.actor_type {
            text.push_str(&format!("actor_type: {t}\n"));
        }
        text.push_str(&format!(
            "---\nMade by `casefile import` for an actor named in {} imported {}. Say who they are, in your own words.\n",
            u.rows,
            if u.rows == 1 { "row" } else { "rows" }
        ));
        names
            .stubs
            .push((PathBuf::from(format!("content/groups/{id}.md")), text));
        stub_ids.insert(key.clone(), id);
    }
    for e in events {
        for a in &e.groups {
            if !names.groups.contains_key(&a.name)
                && let Some(id) = stub_ids.get(&normalise(&a.name))
            {
                names.groups.insert(a.name.clone(), id.clone());
            }
        }
    }
    Ok(names)
}

/// Names of the site an unmatched name may have meant: those inside it as words
/// first, else the closest.
fn close<I: Copy + Eq + Ord>(index: &crate::model::names::NameIndex<I>, name: &str) -> Vec<String> {
    let within = index.named_within(name);
    if within.is_empty() {
        index.suggest(name)
    } else {
        within
    }
}

fn unmatched_list(
    what: &str,
    missing: &BTreeMap<String, Unmatched>,
    suggest: impl Fn(&str) -> Vec<String>,
    advice: &str,
) -> String {
    let mut list: Vec<&Unmatched> = missing.values().collect();
    list.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.written.cmp(&b.written)));
    let mut out = format!(
        "{} {what}{} match{} nothing in the site:",
        list.len(),
        if list.len() == 1 { "" } else { "s" },
        if list.len() == 1 { "es" } else { "" }
    );
    for u in list {
        out.push_str(&format!(
            "\n  {} ({} {})",
            u.written,
            u.rows,
            if u.rows == 1 { "row" } else { "rows" }
        ));
        let close = suggest(&u.written);
        if !close.is_empty() {
            out.push_str(&format!("; did you mean {}?", close.join(", ")));
        }
    }
    out.push('\n');
    out.push_str(advice);
    out
}

/// One file to write.
struct Write {
    rel: PathBuf,
    text: String,
    /// Created (else replaced).
    new: bool,
}

struct Plan {
    writes: Vec<Write>,
    unchanged: usize,
}

/// Each event's file, merged with the earlier import's file when there is one.
fn plan(
    req: &ImportRequest,
    site: &Site,
    m: &mapping::Mapping,
    events: &[Event],
    names: &Names,
    bar: &indicatif::ProgressBar,
) -> Result<Plan, ImportError> {
    // Earlier imports of this data set, by event id.
    let mut earlier: HashMap<&str, &Path> = HashMap::new();
    let mut twice = Vec::new();
    for inc in &site.incidents {
        if let Some(i) = inc.import.as_ref().filter(|i| i.source == m.source)
            && let Some(other) = earlier.insert(i.id.as_str(), inc.file.rel.as_path())
        {
            twice.push(format!(
                "{} and {} both hold {} event {}; keep one",
                other.display(),
                inc.file.rel.display(),
                m.source,
                i.id
            ));
        }
    }
    if !twice.is_empty() {
        return Err(ImportError::Request(twice.join("\n")));
    }
    let owned = m.owned_keys();
    bar.set_message("making files");
    bar.set_position(0);
    let made: Vec<Result<Option<Write>, String>> = events
        .par_iter()
        .map(|e| {
            let r = one_file(
                req,
                m,
                &owned,
                e,
                names,
                earlier.get(e.id.as_str()).copied(),
            );
            bar.inc(1);
            r
        })
        .collect();
    let mut writes = Vec::new();
    let mut unchanged = 0;
    let mut problems = Vec::new();
    let mut new_paths: HashMap<PathBuf, &str> = HashMap::new();
    for (r, e) in made.into_iter().zip(events) {
        match r {
            Ok(Some(w)) => {
                if w.new
                    && let Some(other) = new_paths.insert(w.rel.clone(), e.id.as_str())
                {
                    problems.push(format!(
                        "events `{other}` and `{}` would both be written to {}",
                        e.id,
                        w.rel.display()
                    ));
                }
                writes.push(w);
            }
            Ok(None) => unchanged += 1,
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        problems.push("Nothing was written.".into());
        return Err(ImportError::Request(problems.join("\n")));
    }
    writes.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(Plan { writes, unchanged })
}

/// `None` when the file exists with exactly this text.
fn one_file(
    req: &ImportRequest,
    m: &mapping::Mapping,
    owned: &[&str],
    e: &Event,
    names: &Names,
    earlier: Option<&Path>,
) -> Result<Option<Write>, String> {
    let ids = |list: &HashMap<String, String>, n: &str| list.get(n).cloned().unwrap_or_default();
    let groups: Vec<String> = e
        .groups
        .iter()
        .map(|a| ids(&names.groups, &a.name))
        .collect();
    let weapons: Vec<String> = e
        .weapons
        .iter()
        .map(|w| ids(&names.weapons, &w.name))
        .collect();
    match earlier {
        Some(rel) => {
            let bytes = crate::fsx::read_limited(&req.root.join(rel))
                .map_err(|err| format!("{}: {err}", rel.display()))?;
            let old = String::from_utf8_lossy(&bytes);
            let kept = file::kept(&old, owned).ok_or_else(|| {
                format!(
                    "{}: its front matter cannot be found; fix the file or remove it",
                    rel.display()
                )
            })?;
            let text = file::render(e, &m.source, &groups, &weapons, &kept);
            Ok((text != old).then(|| Write {
                rel: rel.to_path_buf(),
                text,
                new: false,
            }))
        }
        None => {
            let stem = slug::slugify(&e.id);
            let rel = PathBuf::from(format!(
                "content/incidents/{}/{}-{stem}.md",
                e.year, m.source
            ));
            if std::fs::symlink_metadata(req.root.join(&rel)).is_ok() {
                return Err(format!(
                    "{}: exists already and is not {} event {} (its `import:` says otherwise); move it away or add `import: {{source: {}, id: {}}}` to it",
                    rel.display(),
                    m.source,
                    e.id,
                    m.source,
                    e.id
                ));
            }
            let text = file::render(e, &m.source, &groups, &weapons, &file::Kept::default());
            Ok(Some(Write {
                rel,
                text,
                new: true,
            }))
        }
    }
}
