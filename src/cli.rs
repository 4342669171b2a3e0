//! Command-line interface: clap definitions, option structs for the library, the
//! progress spinner (only on a terminal, only after a second) and the printed report.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use casefile::{BuildOptions, Report, Stage};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "casefile",
    version,
    about = "A static site generator for conflict-monitoring publications"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; replaced atomically.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include incidents and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Override site.yaml's base_url (e.g. https://org.github.io/monitor/).
        #[arg(long)]
        base_url: Option<String>,
        /// Apply check's rules first: unknown keys are errors and every internal link
        /// in the output is checked.
        #[arg(long)]
        strict: bool,
        /// Print the wall time of each stage, and the peak memory after it
        #[arg(long)]
        timings: bool,
        /// How long to wait, in seconds, when another build is writing the same output
        /// folder.
        #[arg(long, value_name = "SECONDS", default_value_t = 600)]
        lock_timeout: u64,
        /// Hold no incident's text or HTML for the whole build: each body is read
        /// again for its page. Less memory, about 5% more time; automatic above
        /// 20,000 incidents. Not with --strict, which keeps the texts for its messages.
        #[arg(long)]
        low_memory: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild on every change.
    Serve(ServeArgs),
    /// Start a new site in DIR: settings, one example of each content type, a
    /// .gitignore, a GitHub Pages workflow and a README. It builds as it is.
    Init(InitArgs),
    /// Add an incident, group, weapon type or page, with its references checked now.
    New(NewArgs),
    /// Make incident files from an ACLED export, a UCDP GED file or any CSV with a
    /// mapping. Importing again updates those files and keeps what you added.
    Import(ImportArgs),
    /// Check the site as a build would, strictly, writing nothing (for CI).
    Check {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Include incidents and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also fetch every http(s) link; broken ones are warnings.
        #[arg(long)]
        external: bool,
        /// Seconds to wait for one external link.
        #[arg(
            long,
            value_name = "SECS",
            default_value_t = 10.0,
            requires = "external"
        )]
        external_timeout: f64,
        /// External requests in flight at once.
        #[arg(long, value_name = "N", default_value_t = 8, requires = "external",
              value_parser = clap::value_parser!(u16).range(1..=64))]
        external_concurrency: u16,
        /// Milliseconds between two requests to the same host.
        #[arg(long, value_name = "MS", default_value_t = 500, requires = "external")]
        external_delay: u64,
        /// File remembering links that answered well (relative to --root), trusted
        /// for a day; "none" keeps nothing.
        #[arg(
            long,
            value_name = "FILE",
            default_value = ".casefile-cache/external-links.tsv",
            requires = "external"
        )]
        external_cache: String,
    },
}

/// The `init` subcommand's options.
#[derive(clap::Args)]
struct InitArgs {
    /// The folder of the new site (created if missing).
    dir: PathBuf,
    /// Add the starter files to a folder that is not empty. Existing files are kept
    /// as they are, never overwritten.
    #[arg(long)]
    force: bool,
}

/// The `import` subcommand's options.
#[derive(clap::Args)]
struct ImportArgs {
    /// The file's format: `acled` and `ucdp` are presets; `csv` needs --map.
    #[arg(value_enum)]
    format: ImportFormat,
    /// The CSV file.
    file: PathBuf,
    /// The mapping from columns to incident fields (required for `csv`; replaces the
    /// preset for `acled` and `ucdp`). See docs/import.md.
    #[arg(long, value_name = "MAPPING.yaml")]
    map: Option<PathBuf>,
    /// The site folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Write a stub group for each actor that matches no group of the site.
    #[arg(long)]
    create_groups: bool,
    /// Say what would be created and changed, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Leave out bad rows (each is still reported) instead of writing nothing.
    #[arg(long)]
    skip_bad: bool,
}

/// The formats `import` reads.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportFormat {
    Acled,
    Ucdp,
    Csv,
}

/// What `new` makes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Incident,
    Group,
    Weapon,
    Page,
}

/// The `new` subcommand's options.
#[derive(clap::Args)]
struct NewArgs {
    /// What to add.
    #[arg(value_enum)]
    kind: NewKind,
    /// Its title (incident, page) or name (group, weapon type).
    title: String,
    /// The site folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The incident's date: YYYY-MM-DD, YYYY-MM or YYYY [default: today].
    #[arg(long)]
    date: Option<String>,
    /// A group taking part, by id, name or alias, with its role after a colon
    /// (`--group jnim:target`). Repeat for more.
    #[arg(long = "group", value_name = "REF[:ROLE]")]
    groups: Vec<String>,
    /// A weapon type seen, by id, name or alias, with its status after a colon
    /// (`--weapon rpg-7:captured`). Repeat for more.
    #[arg(long = "weapon", value_name = "REF[:STATUS]")]
    weapons: Vec<String>,
    /// The incident's country.
    #[arg(long)]
    country: Option<String>,
    /// The file name, without .md [default: from the date and the title].
    #[arg(long)]
    slug: Option<String>,
}

/// The `serve` subcommand's options.
#[derive(clap::Args)]
struct ServeArgs {
    /// The site folder (holding site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on [default: 1111, or the next free one]. When given, a busy
    /// port is an error.
    #[arg(long)]
    port: Option<u16>,
    /// Address to listen on. Anything but a loopback address exposes the preview
    /// (drafts included) to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Leave out incidents and pages marked `draft: true` (shown by default).
    #[arg(long)]
    no_drafts: bool,
    /// Debugging: after each rebuild, also build from scratch and report differences.
    #[arg(long)]
    verify_incremental: bool,
    /// Print the wall time of each stage of every rebuild.
    #[arg(long)]
    timings: bool,
}

/// Output formats of `check`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: error[code]: message`, a source snippet and a hint.
    Human,
    /// One JSON object per diagnostic, one per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::`), annotating pull requests.
    Github,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Init(args) => init(&args),
        Command::New(args) => new(&args),
        Command::Import(args) => import(&args),
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            strict,
            timings,
            lock_timeout,
            low_memory,
        } => {
            let opts = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                strict,
                dry_run: false,
                deny_warnings: false,
                external: None,
                lock_timeout: Some(Duration::from_secs(lock_timeout)),
                low_memory,
            };
            crate::alloc::return_freed_memory_sooner();
            build(&opts, timings)
        }
        Command::Check {
            root,
            format,
            deny_warnings,
            drafts,
            external,
            external_timeout,
            external_concurrency,
            external_delay,
            external_cache,
        } => {
            if !(external_timeout.is_finite()
                && external_timeout > 0.0
                && external_timeout <= 3600.0)
            {
                eprintln!("error: --external-timeout must be between 0 and 3600 seconds");
                return 2;
            }
            let external = external.then(|| casefile::check::external::Options {
                concurrency: usize::from(external_concurrency),
                timeout: Duration::from_secs_f64(external_timeout),
                spacing: Duration::from_millis(external_delay),
                cache: (external_cache != "none").then(|| root.join(&external_cache)),
                ..Default::default()
            });
            let opts = BuildOptions {
                root,
                output: None,
                drafts,
                base_url: None,
                strict: true,
                dry_run: true,
                deny_warnings,
                external,
                lock_timeout: None,
                low_memory: false,
            };
            crate::alloc::return_freed_memory_sooner();
            check(&opts, format)
        }
        Command::Serve(args) => serve(args),
    }
}

fn serve(args: ServeArgs) -> i32 {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone on your network can read this preview, drafts included",
            args.bind
        );
    }
    let root = args.root.clone();
    let timings = args.timings;
    let on_build = move |info: &casefile::serve::BuildInfo| {
        let ms = info.elapsed.as_millis();
        if timings {
            let stages: Vec<String> = info
                .timings
                .iter()
                .map(|(name, t)| format!("{name} {} ms", t.as_millis()))
                .collect();
            eprintln!("  {}", stages.join(", "));
        }
        let what = match info.changed.as_slice() {
            [] => "built".to_string(),
            [one] => format!("{} changed, rebuilt", one.display()),
            many => format!("{} files changed, rebuilt", many.len()),
        };
        if !info.mismatches.is_empty() {
            eprintln!(
                "warning: the incremental rebuild differs from a build from scratch in {}: {} (please report this)",
                n(info.mismatches.len(), "file"),
                info.mismatches
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if info.errors.is_empty() {
            eprintln!("{what} in {ms} ms: {}", n(info.files, "file"));
        } else {
            eprint!(
                "{}",
                crate::present::diagnostics(&info.errors, &root, Format::Human)
            );
            eprintln!(
                "{what} in {ms} ms: {}; still serving the last good build",
                n(info.errors.len(), "error")
            );
        }
    };
    let opts = casefile::serve::Options {
        root: args.root,
        drafts: !args.no_drafts,
        bind: args.bind,
        port: args.port.unwrap_or(1111),
        port_fixed: args.port.is_some(),
        debounce: Duration::from_millis(50),
        on_build: Arc::new(on_build),
        verify: args.verify_incremental,
    };
    let server = match casefile::serve::start(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let url = server.url();
    eprintln!("serving {url} (Ctrl-C to stop)");
    if args.open {
        open_browser(&url);
    }
    server.wait_for_ctrl_c();
    eprintln!("stopped");
    0
}

/// Ask the desktop to open `url`; a failure is only a note.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program.0)
        .args(&program.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
}

fn check(opts: &BuildOptions, format: Format) -> i32 {
    match casefile::build(opts, &|_| {}) {
        Ok(report) => {
            let text = crate::present::diagnostics(&report.diagnostics, &opts.root, format);
            print!("{text}");
            let c = report.counts;
            eprintln!(
                "checked {}: {}, {}; {:.2}s",
                n(c.sources, "file"),
                n(report.errors(), "error"),
                n(report.warnings(), "warning"),
                report.elapsed.as_secs_f64()
            );
            if report.errors() > 0 { 1 } else { 0 }
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn build(opts: &BuildOptions, timings: bool) -> i32 {
    let spinner = Spinner::start();
    let result = casefile::build(opts, &|stage| spinner.stage(stage));
    spinner.finish();
    match result {
        Ok(report) => {
            if timings {
                for (k, (stage, t)) in report.timings.iter().enumerate() {
                    let memory = match report.peak_memory.get(k).copied().flatten() {
                        Some(b) => format!(" (peak memory so far {} MiB)", b >> 20),
                        None => String::new(),
                    };
                    eprintln!("{:>8}: {:.3}s{memory}", stage.name(), t.as_secs_f64());
                }
            }
            print_report(&report, opts);
            if report.errors() > 0 { 1 } else { 0 }
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn print_report(report: &Report, opts: &BuildOptions) {
    for d in &report.diagnostics {
        eprintln!("{d}");
    }
    let c = report.counts;
    let time = format!("{:.2}s", report.elapsed.as_secs_f64());
    if report.written {
        let images = if c.images > 0 {
            format!(
                ", {} ({} processed, the rest from the cache)",
                n(c.images, "image"),
                c.images_processed
            )
        } else {
            String::new()
        };
        eprintln!(
            "built {} into {}: {}, {}, {}, {}{images}; {}; {time}",
            n(c.files, "file"),
            opts.output_dir().display(),
            n(c.incidents, "incident"),
            n(c.groups, "group"),
            n(c.weapons, "weapon"),
            n(c.pages, "page"),
            n(report.warnings(), "warning"),
        );
    } else {
        eprintln!(
            "build failed: {}, {} in {}; nothing was written; {time}",
            n(report.errors(), "error"),
            n(report.warnings(), "warning"),
            n(c.sources, "file"),
        );
    }
}

/// `1 error`, `2 errors`.
pub fn n(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A spinner on stderr that appears only on a terminal and only after one second.
struct Spinner {
    bar: ProgressBar,
    stage: Arc<Mutex<&'static str>>,
}

impl Spinner {
    fn start() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let stage = Arc::new(Mutex::new("loading"));
        let (b, s) = (bar.clone(), stage.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if !b.is_finished() {
                b.set_draw_target(ProgressDrawTarget::stderr());
                b.set_message(s.lock().map(|m| *m).unwrap_or(""));
                b.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Spinner { bar, stage }
    }

    fn stage(&self, stage: Stage) {
        let msg = match stage {
            Stage::Load => "loading",
            Stage::Model => "resolving",
            Stage::Render => "rendering",
            Stage::Write => "writing",
            Stage::Wait { holder } => {
                // Said at once, terminal or not: a build that seems stuck must say why.
                let who = holder.map_or("another casefile build".to_string(), |p| {
                    format!("another casefile build (process {p})")
                });
                self.bar.suspend(|| {
                    eprintln!("waiting: {who} is writing this output folder");
                });
                "waiting"
            }
        };
        if let Ok(mut m) = self.stage.lock() {
            *m = msg;
        }
        self.bar.set_message(msg);
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

fn init(args: &InitArgs) -> i32 {
    use casefile::author::init::{InitError, init};
    match init(&args.dir, args.force) {
        Ok(report) => {
            for rel in &report.written {
                println!("wrote {}", args.dir.join(rel).display());
            }
            for rel in &report.kept {
                println!(
                    "kept {} (it was there already)",
                    args.dir.join(rel).display()
                );
            }
            println!(
                "\nA new site is in {dir}. Next:\n  cd {dir}\n  casefile serve    # preview at http://127.0.0.1:1111/\n  casefile new incident \"What happened\" --date 2024-05-01",
                dir = args.dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                InitError::File(_) => 2,
                InitError::NotEmpty(_) | InitError::NotAFolder(_) => 1,
            }
        }
    }
}

fn new(args: &NewArgs) -> i32 {
    use casefile::author::new::{Kind, NewError, NewRequest, new};
    let req = NewRequest {
        kind: match args.kind {
            NewKind::Incident => Kind::Incident,
            NewKind::Group => Kind::Group,
            NewKind::Weapon => Kind::Weapon,
            NewKind::Page => Kind::Page,
        },
        title: args.title.clone(),
        date: args.date.clone(),
        groups: args.groups.clone(),
        weapons: args.weapons.clone(),
        country: args.country.clone(),
        slug: args.slug.clone(),
    };
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let today = chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .unwrap_or_default()
        .date_naive();
    match new(&args.root, &req, today) {
        Ok(rel) => {
            println!("{}", args.root.join(rel).display());
            0
        }
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            eprintln!("nothing was written");
            match e {
                NewError::Request(_) => 1,
                NewError::System(_) => 2,
            }
        }
    }
}

fn import(args: &ImportArgs) -> i32 {
    use casefile::author::import::{Format, ImportError, ImportRequest, import};
    use std::io::IsTerminal;
    let format = match (args.format, &args.map) {
        (_, Some(map)) => Format::Map(map.clone()),
        (ImportFormat::Acled, None) => Format::Preset("acled"),
        (ImportFormat::Ucdp, None) => Format::Preset("ucdp"),
        (ImportFormat::Csv, None) => {
            eprintln!("error: `casefile import csv` needs --map MAPPING.yaml (see docs/import.md)");
            return 2;
        }
    };
    let req = ImportRequest {
        root: args.root.clone(),
        format,
        file: args.file.clone(),
        create_groups: args.create_groups,
        dry_run: args.dry_run,
        skip_bad: args.skip_bad,
        progress: std::io::stderr().is_terminal(),
    };
    let started = std::time::Instant::now();
    match import(&req) {
        Ok(r) => {
            let file = args.file.display();
            for e in &r.skipped {
                eprintln!("{file}:{}: skipped: {}", e.line, e.message);
            }
            let (verb, verbs) = if args.dry_run {
                ("would create", "would update")
            } else {
                ("created", "updated")
            };
            if args.dry_run {
                for p in &r.groups_created {
                    println!("{verb} {}", p.display());
                }
                for p in &r.created {
                    println!("{verb} {}", p.display());
                }
                for p in &r.updated {
                    println!("{verbs} {}", p.display());
                }
            } else {
                for p in &r.groups_created {
                    println!("created {}", p.display());
                }
            }
            let skipped: std::collections::BTreeSet<u64> =
                r.skipped.iter().map(|e| e.line).collect();
            println!(
                "{}: {} {}, {} {}, {} unchanged{}{} in {:.2}s{}",
                n(r.rows, "row"),
                verb,
                n(r.created.len(), "incident"),
                verbs,
                r.updated.len(),
                r.unchanged,
                if r.groups_created.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {} {}",
                        n(r.groups_created.len(), "group"),
                        if args.dry_run { "to create" } else { "created" }
                    )
                },
                if skipped.is_empty() {
                    String::new()
                } else {
                    format!(", {} skipped", n(skipped.len(), "bad row"))
                },
                started.elapsed().as_secs_f64(),
                if args.dry_run {
                    " (dry run: nothing was written)"
                } else {
                    ""
                }
            );
            0
        }
        Err(e) => {
            for line in e.to_string().lines() {
                if line.contains(": error: ") || line.starts_with("  ") {
                    eprintln!("{line}");
                } else {
                    eprintln!("error: {line}");
                }
            }
            match e {
                ImportError::Request(_) => 1,
                ImportError::System(_) => 2,
            }
        }
    }
}
