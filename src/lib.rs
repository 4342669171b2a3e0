//! casefile: a static site generator for conflict-monitoring publications.
//!
//! The pipeline runs one way, and stops between stages when there are errors:
//!
//! ```text
//! load   (walk + decode + split + parse front matter)  -> Corpus    + diagnostics
//! model  (resolve names, check, build the link graph)   -> Site      + diagnostics
//! render (markdown, templates, feeds, exports)          -> OutputSet + diagnostics
//! write  (stage beside the output, swap it in)
//! ```
//!
//! The library never prints and never exits: `build` returns a `Report` (content
//! problems are data in it) or an `Error` for system problems, and the binary presents
//! them.

pub mod check;
pub mod config;
pub mod diag;
pub mod fsx;
pub mod load;
pub mod manifest;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod write;

/// `check::external` under its old name, which the binary's CLI uses.
pub use check::external;

use diag::{Diagnostic, Diagnostics};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Check's rules: unknown keys are errors, and every internal link in the rendered
    /// output is checked (pages are then kept in memory until written).
    pub strict: bool,
    /// Run every stage but write nothing.
    pub dry_run: bool,
    /// Every warning counts as an error.
    pub deny_warnings: bool,
    /// Also fetch http(s) links (strict runs only); `None`: never touch the network.
    pub external: Option<external::Options>,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Pages written, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub incidents: usize,
    pub groups: usize,
    pub weapons: usize,
    pub pages: usize,
    /// Every file in the output, lists, feeds, exports and static files included.
    pub files: usize,
    /// Content files read.
    pub sources: usize,
}

/// The outcome of a build that ran (with or without content errors).
#[derive(Debug)]
pub struct Report {
    /// Sorted by file, line, column.
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
    /// True when the output was replaced.
    pub written: bool,
    pub elapsed: Duration,
    /// Wall time spent in each stage that ran, in order.
    pub timings: Vec<(Stage, Duration)>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// A problem that is not the content's fault: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Fs(#[from] fsx::FsError),
}

/// A stage the driver is entering, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Load,
    Model,
    Render,
    Write,
}

impl Stage {
    /// `load`, `model`, `render`, `write`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Model => "model",
            Stage::Render => "render",
            Stage::Write => "write",
        }
    }
}

/// Run the whole pipeline and, unless there are errors or `dry_run`, write the output.
pub fn build(opts: &BuildOptions, progress: &dyn Fn(Stage)) -> Result<Report, Error> {
    let mode = if opts.dry_run {
        Mode::DryRun
    } else {
        Mode::Write
    };
    pipeline(opts, mode, progress, None).map(|(report, _)| report)
}

/// The files of an in-memory build, and the state kept for single-page re-renders.
type Kept = Option<(output::OutputSet, Option<render::retained::Retained>)>;

/// What a series of builds of one site (the live preview) keeps from one build to the
/// next: parsed files, each reused only when its bytes are unchanged. (Caching rendered
/// Markdown bodies too was measured and gained nothing: see docs/performance.md.)
#[derive(Default)]
pub struct Cache {
    pub load: load::LoadCache,
}

/// Run the whole pipeline and keep every file in memory (static files stay references
/// to read): the live preview's build. Nothing is written; the set is `None` when there
/// are errors. What did not change since the last build with `cache` is not parsed or
/// rendered again.
pub fn build_in_memory(
    opts: &BuildOptions,
    cache: &Cache,
) -> Result<
    (
        Report,
        Option<(output::OutputSet, render::retained::Retained)>,
    ),
    Error,
> {
    let (report, out) = pipeline(opts, Mode::Memory, &|_| {}, Some(cache))?;
    Ok((
        report,
        out.and_then(|(set, retained)| Some((set, retained?))),
    ))
}

/// Where a run's pages go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    DryRun,
    Memory,
}

fn pipeline(
    opts: &BuildOptions,
    mode: Mode,
    progress: &dyn Fn(Stage),
    cache: Option<&Cache>,
) -> Result<(Report, Kept), Error> {
    let start = Instant::now();
    let timings = std::cell::RefCell::new(Vec::<(Stage, Duration)>::new());
    let mut last = (Stage::Load, Instant::now());
    let mut enter = |stage: Stage| {
        timings.borrow_mut().push((last.0, last.1.elapsed()));
        last = (stage, Instant::now());
        progress(stage);
    };
    progress(Stage::Load);
    let mut diags = Diagnostics::default();
    check_root(&opts.root)?;
    let output = opts.output_dir();
    if mode == Mode::Write {
        write::check_output_dir(&opts.root, &output)?;
    }
    let (config, d) = config::load(&opts.root, opts.base_url.as_deref(), opts.strict)?;
    diags.extend(d);
    let (corpus, d) = match cache {
        Some(c) => load::load_cached(&opts.root, opts.strict, &c.load),
        None => load::load(&opts.root, opts.strict),
    };
    diags.extend(d);
    let mut counts = Counts {
        sources: corpus.files_read,
        ..Counts::default()
    };
    let finish = |mut diags: Diagnostics, counts, written, last: (Stage, Instant)| {
        if opts.deny_warnings {
            diags.deny_warnings();
        }
        let mut timings = timings.borrow().clone();
        timings.push((last.0, last.1.elapsed()));
        Report {
            diagnostics: diags.into_sorted(),
            counts,
            written,
            elapsed: start.elapsed(),
            timings,
        }
    };
    if opts.deny_warnings {
        diags.deny_warnings();
    }
    // Strict runs (check) go on through every stage to report all problems at once.
    if diags.has_errors() && !opts.strict {
        return Ok((finish(diags, counts, false, last), None));
    }
    enter(Stage::Model);
    let (site, d) = model::build(corpus, config, opts.drafts, opts.strict);
    diags.extend(d);
    if opts.deny_warnings {
        diags.deny_warnings();
    }
    let Some(site) = site.filter(|_| opts.strict || !diags.has_errors()) else {
        return Ok((finish(diags, counts, false, last), None));
    };
    enter(Stage::Render);
    let stage = if mode == Mode::Write {
        Some(write::Stage::begin(&opts.root, &output)?)
    } else {
        None
    };
    // Pages are streamed into the stage (or dropped by a dry run) as they are rendered;
    // strict runs keep only each page's links and ids, for the link check.
    let pages = match (&stage, mode) {
        (Some(stage), _) => render::Pages::Stream(stage.sink()),
        (None, Mode::Memory) => render::Pages::Keep,
        (None, _) => render::Pages::Drop,
    };
    let retain = mode == Mode::Memory;
    let (rendered, d) = render::render(&site, &opts.root, pages, opts.strict, retain)?;
    diags.extend(d);
    if opts.strict
        && let Some(r) = &rendered
    {
        let sources = site.sources();
        let config = &site.config;
        diags.extend(check::links::check(
            &opts.root,
            &r.out,
            &r.links,
            &r.markdown_links,
            &config.base_path,
            &sources,
        ));
        if let Some(ext) = &opts.external {
            diags.extend(check::links::external(
                &opts.root,
                &r.out,
                &r.links,
                &config.base_url,
                &sources,
                ext,
            ));
        }
    }
    if opts.deny_warnings {
        diags.deny_warnings();
    }
    let Some((out, kept)) = rendered
        .map(|r| (r.out, r.kept))
        .filter(|_| !diags.has_errors())
    else {
        return Ok((finish(diags, counts, false, last), None));
    };
    counts = Counts {
        incidents: site.incidents.len(),
        groups: site.groups.len(),
        weapons: site.weapons.len(),
        pages: site.pages.len(),
        files: out.len(),
        ..counts
    };
    let Some(stage) = stage else {
        let kept = (mode == Mode::Memory)
            .then(|| (out, kept.map(|k| render::retained::Retained::new(site, k))));
        return Ok((finish(diags, counts, false, last), kept));
    };
    enter(Stage::Write);
    stage.commit(&out)?;
    Ok((finish(diags, counts, true, last), None))
}

/// The site folder must exist: a typo in `--root` is a usage error, not an empty site.
fn check_root(root: &std::path::Path) -> Result<(), Error> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::Fs(fsx::FsError::refused(
            root,
            "site folder not found (check --root)",
        )))
    }
}
