//! `casefile serve`: the live preview. It builds the site into memory with the same
//! pipeline as `build`, serves that snapshot over HTTP, watches the site, and after each
//! batch of changes builds a new snapshot and swaps it in whole; open pages reload.
//! It never writes to the output folder. The parts:
//!
//! - `snapshot`: one complete in-memory site plus the latest errors;
//! - `watch`: which file changes matter, debounced;
//! - `http`: requests answered from the current snapshot, Host and Origin checks;
//! - `overlay`: the live-reload script and the error overlay added to HTML pages.

pub mod http;
pub mod incremental;
pub mod overlay;
pub mod snapshot;
pub mod watch;

use crate::BuildOptions;
use crate::diag::Diagnostic;
use http::Shared;
use incremental::Incremental;
use snapshot::Snapshot;
use std::future::IntoFuture;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How to serve.
#[derive(Clone)]
pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
    pub bind: IpAddr,
    pub port: u16,
    /// When false and `port` is busy, the next free port (up to 20 further) is used.
    pub port_fixed: bool,
    /// Quiet time after the last change before rebuilding.
    pub debounce: Duration,
    /// Told about every build (the first included); the binary prints from it.
    pub on_build: Arc<dyn Fn(&BuildInfo) + Send + Sync>,
    /// Debugging: after each incremental rebuild, also build from scratch and report
    /// every file that differs (`BuildInfo::mismatches`).
    pub verify: bool,
}

/// What one build of the preview did.
#[derive(Debug)]
pub struct BuildInfo {
    pub generation: u64,
    /// Changed paths that caused it (relative to the site); empty for the first.
    pub changed: Vec<PathBuf>,
    /// Errors: the previous good site is still served.
    pub errors: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Wall time of each stage (`load`, `model`, `render`, `snapshot`).
    pub timings: Vec<(&'static str, Duration)>,
    pub files: usize,
    /// With `Options::verify`: output paths where the incremental rebuild and a build
    /// from scratch differ (`<errors>` when their errors differ). Always empty unless
    /// there is a bug.
    pub mismatches: Vec<String>,
    /// With `Options::verify`: whether the comparison was made (it is skipped when an
    /// edit landed between the two builds).
    pub verified: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on {bind} is in use{}", if *.fixed { "; choose another with --port" } else { " (and the next 20 too)" })]
    PortBusy {
        bind: IpAddr,
        port: u16,
        fixed: bool,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Site(String),
    #[error("cannot watch the site for changes: {0}")]
    Watch(String),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// A running preview server. `stop` (or dropping it) shuts it down.
pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    http: Option<std::thread::JoinHandle<()>>,
    rebuilder: Option<std::thread::JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
    /// Batches of changes seen by the watcher and not yet built and served.
    pending: Arc<AtomicUsize>,
}

impl Server {
    /// The address to open: `http://127.0.0.1:1111/` (localhost for a wildcard bind).
    pub fn url(&self) -> String {
        url_for(self.addr)
    }

    /// True when every change the watcher has reported is built and served (changes
    /// still inside the debounce window are not known yet).
    pub fn is_idle(&self) -> bool {
        self.pending.load(Ordering::SeqCst) == 0
    }

    /// The snapshot being served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.shared.current()
    }

    /// Block until Ctrl-C, then stop.
    pub fn wait_for_ctrl_c(self) {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            let _ = rt.block_on(tokio::signal::ctrl_c());
        }
        self.stop();
    }

    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for handle in [self.http.take(), self.rebuilder.take()]
            .into_iter()
            .flatten()
        {
            let _ = handle.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

fn url_for(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("http://localhost:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    }
}

/// The build options of the preview: the site's pages linked for this server's
/// address, drafts as asked, never written.
pub fn build_options(opts: &Options, addr: SocketAddr) -> BuildOptions {
    BuildOptions {
        root: opts.root.clone(),
        drafts: opts.drafts,
        base_url: Some(url_for(addr)),
        dry_run: true,
        ..BuildOptions::default()
    }
}

/// Bind, build the first snapshot, start watching and serving. Content errors never
/// stop it: the first build's errors are served as an error page. (Over 80 lines: the
/// order of these steps is the point; everything that can fail comes before any
/// thread starts, so a failed start leaves nothing running.)
pub fn start(opts: Options) -> Result<Server, ServeError> {
    if !opts.root.is_dir() {
        return Err(ServeError::Site(format!(
            "{}: site folder not found (check --root)",
            opts.root.display()
        )));
    }
    let listener = bind(&opts)?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: SocketAddr::new(opts.bind, opts.port),
        source,
    })?;
    let build_opts = build_options(&opts, addr);
    let mut state = Incremental::default();
    // Watch first: an edit made during the first build then brings a rebuild.
    let (change_tx, change_rx) = mpsc::channel();
    let pending = Arc::new(AtomicUsize::new(0));
    let watcher = watch::Watcher::start(&opts.root, opts.debounce, change_tx, pending.clone())
        .map_err(|e| ServeError::Watch(e.to_string()))?;
    let first = timed_rebuild(
        &build_opts,
        &Snapshot::default(),
        Vec::new(),
        &opts,
        &mut state,
        (&pending, 0),
    );
    let (generations, _) = tokio::sync::watch::channel(first.generation);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(first)),
        generations,
    });
    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let router = http::router(shared.clone());
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Runtime)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let listener = {
        let _guard = rt.enter();
        tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?
    };
    // The threads last, so that nothing above can fail with one already running.
    let stopping = Arc::new(AtomicBool::new(false));
    let rebuilder = {
        let (shared, opts, stopping) = (shared.clone(), opts.clone(), stopping.clone());
        let pending = pending.clone();
        std::thread::Builder::new()
            .name("casefile-rebuild".into())
            .spawn(move || {
                let mut watcher = watcher;
                let settings = (&build_opts, &opts, &*pending);
                rebuild_loop(
                    &change_rx,
                    &mut watcher,
                    &stopping,
                    &shared,
                    settings,
                    state,
                )
            })
            .map_err(ServeError::Runtime)?
    };
    let http = std::thread::Builder::new()
        .name("casefile-http".into())
        .spawn(move || {
            rt.block_on(async move {
                let (grace_tx, grace_rx) = tokio::sync::oneshot::channel::<()>();
                let serving = tokio::spawn(
                    axum::serve(listener, router)
                        .with_graceful_shutdown(async move {
                            let _ = grace_rx.await;
                        })
                        .into_future(),
                );
                let _ = shutdown_rx.await;
                let _ = grace_tx.send(());
                // Open live-reload streams never end by themselves: give requests in
                // flight a moment, then stop regardless.
                let _ = tokio::time::timeout(Duration::from_secs(1), serving).await;
            });
            rt.shutdown_timeout(Duration::from_millis(200));
        })
        .map_err(|e| {
            stopping.store(true, Ordering::SeqCst);
            ServeError::Runtime(e)
        })?;
    Ok(Server {
        addr,
        shared,
        shutdown: Some(shutdown_tx),
        http: Some(http),
        rebuilder: Some(rebuilder),
        stopping,
        pending,
    })
}

/// Listen on the asked port, or the next free one when it was not given explicitly.
fn bind(opts: &Options) -> Result<TcpListener, ServeError> {
    let tries = if opts.port_fixed || opts.port == 0 {
        1
    } else {
        21
    };
    for i in 0..tries {
        let Some(port) = opts.port.checked_add(i) else {
            break;
        };
        let addr = SocketAddr::new(opts.bind, port);
        match TcpListener::bind(addr) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    Err(ServeError::PortBusy {
        bind: opts.bind,
        port: opts.port,
        fixed: opts.port_fixed,
    })
}

/// Wait for changes; take every batch that queued up meanwhile; rebuild; swap.
fn rebuild_loop(
    changes: &mpsc::Receiver<Vec<PathBuf>>,
    watcher: &mut watch::Watcher,
    stopping: &AtomicBool,
    shared: &Shared,
    (build_opts, opts, pending): (&BuildOptions, &Options, &AtomicUsize),
    mut state: Incremental,
) {
    while !stopping.load(Ordering::SeqCst) {
        let mut changed = match changes.recv_timeout(Duration::from_millis(100)) {
            Ok(c) => c,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut batches = 1;
        while let Ok(more) = changes.try_recv() {
            changed.extend(more);
            batches += 1;
        }
        changed.sort();
        changed.dedup();
        // A watched folder itself was deleted or created: its watch must be attached
        // again (inotify drops the watch with the folder).
        if changed
            .iter()
            .any(|p| p.components().count() == 1 && p != std::path::Path::new("site.yaml"))
        {
            watcher.rewatch();
        }
        let previous = shared.current();
        let next = timed_rebuild(
            build_opts,
            &previous,
            changed,
            opts,
            &mut state,
            (pending, batches),
        );
        let generation = next.generation;
        *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        shared.generations.send_replace(generation);
        pending.fetch_sub(batches, Ordering::SeqCst);
    }
}

/// The next snapshot (`Incremental::rebuild`), timed; then, with `verify`, a build
/// from scratch to compare. `batches` of the watcher's `pending` are this rebuild's.
fn timed_rebuild(
    build_opts: &BuildOptions,
    previous: &Snapshot,
    changed: Vec<PathBuf>,
    opts: &Options,
    state: &mut Incremental,
    (pending, batches): (&AtomicUsize, usize),
) -> Snapshot {
    let before = opts
        .verify
        .then(|| (snapshot::input_fingerprint(&opts.root), Instant::now()));
    let started = Instant::now();
    // A panic anywhere in a rebuild becomes an error shown over the last good site;
    // the loop and the server go on, with the kept state dropped.
    let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        state.rebuild(build_opts, previous, &changed)
    }));
    let snap = guarded.unwrap_or_else(|_| {
        *state = Incremental::default();
        snapshot::failed(
            previous,
            build_opts,
            "casefile failed while rebuilding the site",
        )
    });
    let elapsed = started.elapsed();
    let mut mismatches = Vec::new();
    let mut verified = false;
    if let Some((before, at)) = before {
        let fresh = crate::load::LoadCache::default();
        let (scratch, _) = snapshot::rebuild(build_opts, previous, &fresh);
        // Compare only builds of the same input: an edit that landed meanwhile makes
        // the two differ for a good reason, and brings its own rebuild. So does an edit
        // made after the watcher sent this batch but before `before` was read: the fast
        // paths read only the files in `changed`, the scratch build reads them all. Its
        // batch follows within a few debounce periods, so wait that long and look.
        let quiet_for = opts.debounce * 4 + Duration::from_millis(100);
        std::thread::sleep(quiet_for.saturating_sub(at.elapsed()));
        if snapshot::input_fingerprint(&opts.root) == before
            && pending.load(Ordering::SeqCst) == batches
        {
            mismatches = snapshot::differences(&snap, &scratch);
            verified = true;
        }
    }
    (opts.on_build)(&BuildInfo {
        generation: snap.generation,
        changed,
        errors: snap.errors.clone(),
        elapsed,
        timings: snap.timings.clone(),
        files: snap.files.len() + snap.on_disk.len(),
        mismatches,
        verified,
    });
    snap
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(root: &std::path::Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// An edit the watcher has not yet reported is seen by the scratch build only: the
    /// comparison must wait for its batch instead of reporting a difference.
    #[test]
    fn an_edit_not_yet_in_a_batch_is_not_a_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "site.yaml",
            "title: T\nbase_url: https://example.org/\n",
        );
        let incident = |title: &str| {
            format!(
                "---\ntitle: {title}\ndate: 2024-03-22\nlocation: {{country: BF}}\n---\nBody.\n"
            )
        };
        write(root, "content/incidents/a.md", &incident("A"));
        write(root, "content/incidents/b.md", &incident("B"));
        let opts = Options {
            root: root.to_path_buf(),
            drafts: false,
            bind: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            port: 0,
            port_fixed: true,
            debounce: Duration::from_millis(1),
            on_build: Arc::new(|_: &BuildInfo| {}),
            verify: true,
        };
        let build_opts = build_options(&opts, "127.0.0.1:1".parse().unwrap());
        let found = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = found.clone();
        let opts = Options {
            on_build: Arc::new(move |i: &BuildInfo| {
                seen.lock()
                    .unwrap()
                    .push((i.verified, i.mismatches.clone()));
            }),
            ..opts
        };
        let pending = AtomicUsize::new(0);
        let mut state = Incremental::default();
        let first = timed_rebuild(
            &build_opts,
            &Snapshot::default(),
            vec![],
            &opts,
            &mut state,
            (&pending, 0),
        );
        assert!(first.errors.is_empty(), "{:?}", first.errors);
        // a's body changes (its batch is this rebuild's), b's title too (its batch is
        // still to come).
        write(
            root,
            "content/incidents/a.md",
            &incident("A").replace("Body.", "Body, edited."),
        );
        write(root, "content/incidents/b.md", &incident("B renamed"));
        let a = vec![PathBuf::from("content/incidents/a.md")];
        pending.store(2, Ordering::SeqCst);
        let after_a = timed_rebuild(
            &build_opts,
            &first,
            a.clone(),
            &opts,
            &mut state,
            (&pending, 1),
        );
        // b's batch arrives; then b changes again, and this time the watcher has sent
        // nothing yet when a's batch (again) is rebuilt: the comparison is made and it
        // differs, which is what the wait for b's batch prevents above.
        pending.store(1, Ordering::SeqCst);
        let b = vec![PathBuf::from("content/incidents/b.md")];
        let after_b = timed_rebuild(&build_opts, &after_a, b, &opts, &mut state, (&pending, 1));
        write(root, "content/incidents/b.md", &incident("B renamed twice"));
        timed_rebuild(&build_opts, &after_b, a, &opts, &mut state, (&pending, 1));
        let found = found.lock().unwrap();
        assert_eq!(found[0], (true, vec![]));
        assert_eq!(found[1], (false, vec![]), "a's rebuild is not compared");
        assert_eq!(
            found[2],
            (true, vec![]),
            "b's rebuild is compared, and equal"
        );
        assert!(found[3].0 && !found[3].1.is_empty(), "{found:?}");
    }
}
