//! casefile: a static site generator for conflict-monitoring publications.
//!
//! The pipeline runs one way, and stops between stages when there are errors:
//!
//! ```text
//! load   (site.yaml, walk, decode, split, parse front matter) -> Corpus, RawConfig
//! model  (resolve settings and names, check, link graph)      -> Site (immutable)
//! render (markdown, templates, feeds, exports)                -> every file to a PageSink,
//!                                                                recorded in an OutputSet
//! write  (stage on the output's file system, lock, swap it in)
//! ```
//!
//! Every stage adds its diagnostics to the run; a run that is not strict stops after a
//! stage with errors. The drivers below compose the stages:
//!
//! - `build`: load and model, then render with each page streamed into write's
//!   staging folder (`write::Sink` is a `PageSink`), then commit the swap.
//! - `check` (`build` with `strict` and `dry_run`): the same stages, going on past
//!   errors so that every problem is reported; pages pass through `check::links::Scanning`
//!   (which keeps only their links and ids) into `output::DropPages`, and `check::links`
//!   then checks every link. `build --strict` is the two composed: scanned pages go on
//!   into the staging folder.
//! - `build_in_memory` (the preview's full rebuild): pages kept in memory
//!   (`output::KeepPages`) with the state for single-page re-renders, which
//!   `serve::incremental` owns (load's cache, the retained model and render state, the
//!   pages an edit makes dirty). (Caching rendered Markdown bodies too was measured and
//!   gained nothing: see docs/performance.md.)
//!
//! `--deny-warnings` is applied once, when the report is made. The library never
//! prints and never exits: `build` returns a `Report` (content problems are data in it)
//! or an `Error` for system problems, and the binary presents them. The allowed
//! dependencies between modules are written down, and enforced, in
//! `tests/it/layering.rs`.

pub mod author;
pub mod check;
pub mod diag;
pub mod fsx;
pub mod load;
pub mod manifest;
pub mod media;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod write;

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
    pub external: Option<check::external::Options>,
    /// How long to wait for another build writing the same output; `None`: ten minutes.
    pub lock_timeout: Option<Duration>,
    /// Hold no incident body for the whole build, whatever the site's size (a plain
    /// build does so anyway above `load::LEAN_ABOVE` incidents): less memory, a little
    /// more time. Strict runs keep the bodies whatever this says.
    pub low_memory: bool,
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
    /// Images published, and of those how many were processed in this run (the others
    /// came from the cache).
    pub images: usize,
    pub images_processed: usize,
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
    /// The process's peak resident memory (bytes) at the end of each stage in
    /// `timings`, where the system tells it (Linux).
    pub peak_memory: Vec<Option<u64>>,
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
    /// Another build holds the output's lock (its process id, when known); this one
    /// waits for it.
    Wait {
        holder: Option<u32>,
    },
}

impl Stage {
    /// `load`, `model`, `render`, `write`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Model => "model",
            Stage::Render => "render",
            Stage::Write => "write",
            Stage::Wait { .. } => "wait",
        }
    }
}

/// Run the whole pipeline and, unless there are errors or `dry_run`, write the output.
/// Strict runs (`check`, `build --strict`) go on past errors to report every problem,
/// and add check's link checks; they never write a site with errors.
pub fn build(opts: &BuildOptions, progress: &dyn Fn(Stage)) -> Result<Report, Error> {
    let mut run = Run::start(opts, progress)?;
    let Some(mut site) = run.load_and_model(None)? else {
        return Ok(run.finish(false));
    };
    if opts.dry_run {
        run.render_checked(&mut site, &output::DropPages)?;
        return Ok(run.finish(false));
    }
    let timeout = opts.lock_timeout.unwrap_or(write::lock::DEFAULT_TIMEOUT);
    let waiting = |holder| progress(Stage::Wait { holder });
    let stage = write::Stage::begin(&opts.root, &opts.output_dir(), timeout, &waiting)?;
    // Pages stream into the staging folder as they are rendered: a build keeps none.
    let Some(out) = run.render_checked(&mut site, &stage.sink())? else {
        return Ok(run.finish(false));
    };
    run.enter(Stage::Write);
    stage.commit(&out)?;
    Ok(run.finish(true))
}

/// The live preview's build: the whole pipeline in memory, every file kept, nothing
/// written. The set (with the state for single-page re-renders) is `None` when there
/// are errors. Files unchanged since the last build with `cache` are not parsed again.
pub fn build_in_memory(
    opts: &BuildOptions,
    cache: &load::LoadCache,
) -> Result<(Report, Option<InMemory>), Error> {
    let mut run = Run::start(opts, &|_| {})?;
    let Some(mut site) = run.load_and_model(Some(cache))? else {
        return Ok((run.finish(false), None));
    };
    let Some(rendered) = run.render(&mut site, &output::KeepPages, true)? else {
        return Ok((run.finish(false), None));
    };
    let kept = rendered.kept.filter(|_| !run.failed());
    Ok((run.finish(false), kept.map(|k| (rendered.out, site, k))))
}

/// An in-memory build's files, model and render state (for `serve::incremental`).
pub type InMemory = (output::OutputSet, model::Site, render::Kept);

/// One run of the pipeline: the stage functions, and what they gather on the way
/// (diagnostics, counts, stage times) for the report.
struct Run<'a> {
    opts: &'a BuildOptions,
    progress: &'a dyn Fn(Stage),
    diags: Diagnostics,
    counts: Counts,
    started: Instant,
    /// The stage running and since when; finished stages and their times.
    current: (Stage, Instant),
    timings: Vec<(Stage, Duration)>,
    peak_memory: Vec<Option<u64>>,
}

impl<'a> Run<'a> {
    /// Refuse a missing site folder and, for a build that writes, a bad output folder,
    /// before any work.
    fn start(opts: &'a BuildOptions, progress: &'a dyn Fn(Stage)) -> Result<Self, Error> {
        progress(Stage::Load);
        check_root(&opts.root)?;
        if !opts.dry_run {
            write::check_output_dir(&opts.root, &opts.output_dir())?;
        }
        let now = Instant::now();
        Ok(Run {
            opts,
            progress,
            diags: Diagnostics::default(),
            counts: Counts::default(),
            started: now,
            current: (Stage::Load, now),
            timings: Vec::new(),
            peak_memory: Vec::new(),
        })
    }

    fn enter(&mut self, stage: Stage) {
        let (last, since) = std::mem::replace(&mut self.current, (stage, Instant::now()));
        self.timings.push((last, since.elapsed()));
        self.peak_memory.push(fsx::peak_memory());
        (self.progress)(stage);
    }

    /// True when the run must not go on to the next stage: it has errors (warnings
    /// too, with `deny_warnings`) and is not strict.
    fn must_stop(&self) -> bool {
        !self.opts.strict && self.failed()
    }

    fn failed(&self) -> bool {
        self.diags.has_errors() || (self.opts.deny_warnings && !self.diags.is_empty())
    }

    /// Load (site.yaml and content) and resolve the model: `None` when the run stops.
    fn load_and_model(
        &mut self,
        cache: Option<&load::LoadCache>,
    ) -> Result<Option<model::Site>, Error> {
        let opts = self.opts;
        let (raw_config, d) = load::config::read(&opts.root, opts.strict)?;
        self.diags.extend(d);
        let (config, d) = model::config::resolve(raw_config, opts.base_url.as_deref())?;
        self.diags.extend(d);
        let (corpus, d) = match cache {
            Some(c) => load::load_cached(&opts.root, opts.strict, c),
            // A plain build of a large site (or with `low_memory`) holds no incident
            // body and reads each again when it renders it (render's lean path);
            // strict runs (check, build --strict) keep them for their messages.
            None if !opts.strict => load::load_lean(&opts.root, false, opts.low_memory),
            None => load::load(&opts.root, opts.strict),
        };
        self.diags.extend(d);
        self.counts.sources = corpus.files_read;
        if self.must_stop() {
            return Ok(None);
        }
        self.enter(Stage::Model);
        let (site, d) = model::build(corpus, config, opts.drafts, opts.strict);
        self.diags.extend(d);
        Ok(site.filter(|_| !self.must_stop()))
    }

    /// Render, handing pages to `pages`: `None` when the theme failed to load.
    fn render(
        &mut self,
        site: &mut model::Site,
        pages: &dyn output::PageSink,
        retain: bool,
    ) -> Result<Option<render::Rendered>, Error> {
        self.enter(Stage::Render);
        let record = self.opts.strict;
        let (rendered, d) = render::render(site, &self.opts.root, pages, retain, record)?;
        self.diags.extend(d);
        if let Some(r) = &rendered {
            self.counts = Counts {
                incidents: site.incidents.len(),
                groups: site.groups.len(),
                weapons: site.weapons.len(),
                pages: site.pages.len(),
                files: r.out.len(),
                images: r.images.0 + r.images.1,
                images_processed: r.images.0,
                ..self.counts
            };
        }
        Ok(rendered)
    }

    /// Render, and in strict runs check every link of the output as the pages pass
    /// (`check`). The output set comes back only when the run has no errors.
    fn render_checked(
        &mut self,
        site: &mut model::Site,
        pages: &dyn output::PageSink,
    ) -> Result<Option<output::OutputSet>, Error> {
        if !self.opts.strict {
            let rendered = self.render(site, pages, false)?;
            return Ok(rendered.map(|r| r.out).filter(|_| !self.failed()));
        }
        let scanning = check::links::Scanning::new(pages);
        let rendered = self.render(site, &scanning, false)?;
        let Some(r) = rendered else { return Ok(None) };
        let links = scanning.into_links();
        let external = self.opts.external.as_ref();
        let root = &self.opts.root;
        self.diags
            .extend(check::links::all(root, site, &r, &links, external));
        Ok(Some(r.out).filter(|_| !self.failed()))
    }

    /// The report; `--deny-warnings` is applied here, once.
    fn finish(mut self, written: bool) -> Report {
        let (last, since) = self.current;
        self.timings.push((last, since.elapsed()));
        self.peak_memory.push(fsx::peak_memory());
        if self.opts.deny_warnings {
            self.diags.deny_warnings();
        }
        if !written && self.failed() {
            // Nothing of a failed run is counted as made.
            self.counts = Counts {
                sources: self.counts.sources,
                ..Counts::default()
            };
        }
        Report {
            diagnostics: self.diags.into_sorted(),
            counts: self.counts,
            written,
            elapsed: self.started.elapsed(),
            timings: self.timings,
            peak_memory: self.peak_memory,
        }
    }
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
