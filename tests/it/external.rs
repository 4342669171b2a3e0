//! `check --external`: http(s) links fetched from a local server on 127.0.0.1, never
//! the internet. The server logs each request with its time and counts requests in
//! flight, so spacing, concurrency, deduplication and the cache can be asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::{self, Site};
use casefile::BuildOptions;
use casefile::check::external::Options;
use casefile::diag::Diagnostic;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A test HTTP server. `/ok*` answers 200, `/gone*` 404, `/moved` redirects to `/ok`,
/// `/slow*` answers 200 after 400 ms, `/hang` after 5 s; anything else 500.
struct Server {
    base: String,
    log: Arc<Mutex<Vec<(String, Instant)>>>,
    peak: Arc<AtomicUsize>,
}

impl Server {
    fn start(in_flight: Arc<AtomicUsize>, peak: Arc<AtomicUsize>) -> Server {
        Server::start_on("127.0.0.1", in_flight, peak)
    }

    /// On another loopback address: another host for spacing and concurrency.
    fn start_on(ip: &str, in_flight: Arc<AtomicUsize>, peak: Arc<AtomicUsize>) -> Server {
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let log2 = log.clone();
        let peak2 = peak.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (log, in_flight, peak) = (log2.clone(), in_flight.clone(), peak2.clone());
                std::thread::spawn(move || {
                    let mut line = String::new();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                    }
                    let path = line.split(' ').nth(1).unwrap_or("").to_string();
                    log.lock().unwrap().push((path.clone(), Instant::now()));
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    let (status, extra) = if path.starts_with("/ok") {
                        ("200 OK", String::new())
                    } else if path.starts_with("/gone") {
                        ("404 Not Found", String::new())
                    } else if path == "/moved" {
                        (
                            "301 Moved Permanently",
                            "Location: /ok-target\r\n".to_string(),
                        )
                    } else if path.starts_with("/slow") {
                        std::thread::sleep(Duration::from_millis(400));
                        ("200 OK", String::new())
                    } else if path.starts_with("/hang") {
                        std::thread::sleep(Duration::from_secs(5));
                        ("200 OK", String::new())
                    } else {
                        ("500 Internal Server Error", String::new())
                    };
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\n{extra}Content-Length: 2\r\nConnection: close\r\n\r\nhi"
                    );
                });
            }
        });
        Server { base, log, peak }
    }

    fn new() -> Server {
        Server::start(Arc::default(), Arc::default())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .log
            .lock()
            .unwrap()
            .iter()
            .map(|(p, _)| p.clone())
            .collect();
        v.sort();
        v
    }
}

fn fast() -> Options {
    Options {
        concurrency: 4,
        timeout: Duration::from_secs(3),
        spacing: Duration::from_millis(10),
        cache: None,
        ..Options::default()
    }
}

fn check(site: &Site, ext: Option<Options>) -> casefile::Report {
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        strict: true,
        dry_run: true,
        external: ext,
        ..BuildOptions::default()
    };
    casefile::build(&opts, &|_| {}).unwrap()
}

fn external(r: &casefile::Report) -> Vec<&Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.code.name == "broken-external-link")
        .collect()
}

fn source(url: &str) -> String {
    format!("sources:\n  - title: A report\n    url: \"{url}\"\n")
}

#[test]
fn external_links_are_not_fetched_by_default() {
    // CI is often offline; only internal links are checked unless asked.
    let srv = Server::new();
    let s = Site::basic();
    s.incident(
        "a",
        &source(&srv.url("/gone-source")),
        &format!("See [x]({}).\n", srv.url("/gone")),
    );
    let r = check(&s, None);
    assert!(external(&r).is_empty());
    assert_eq!(r.errors(), 0, "{:?}", util::errors(&r));
    std::thread::sleep(Duration::from_millis(100));
    assert!(srv.requests().is_empty(), "fetched: {:?}", srv.requests());
}

#[test]
fn broken_external_links_are_warnings_at_their_line() {
    let srv = Server::new();
    let s = Site::basic();
    let front = source(&srv.url("/gone-source"));
    let body = format!(
        "Fine: [a]({}), [b]({}).\n\nBroken: [c]({}#part).\n",
        srv.url("/ok"),
        srv.url("/moved"),
        srv.url("/gone")
    );
    s.incident("a", &front, &body);
    let r = check(&s, Some(fast()));
    let found = external(&r);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|d| !d.is_error()));
    // The incident file: line 1 `---`, title, date, sources:, - title, url (line 6);
    // the column is the URL's first character, inside the quotes.
    let src = found
        .iter()
        .find(|d| d.message.contains("/gone-source"))
        .unwrap();
    assert_eq!(src.file, std::path::Path::new("content/incidents/a.md"));
    assert_eq!((src.line, src.col), (6, 11), "{src:?}");
    assert!(src.message.contains("404"), "{}", src.message);
    let body_link = found.iter().find(|d| d.message.contains("/gone`")).unwrap();
    assert_eq!(body_link.line, 10, "{body_link:?}");
    assert_eq!(
        body_link.col,
        "Broken: [c](".len() as u32 + 1,
        "{body_link:?}"
    );
    assert!(body_link.hint.as_deref().unwrap_or("").contains("archived"));
    // The fragment is not sent; the redirect was followed.
    let reqs = srv.requests();
    assert!(reqs.contains(&"/ok-target".to_string()), "{reqs:?}");
    assert!(reqs.iter().all(|p| !p.contains('#')));
}

#[test]
fn each_url_is_fetched_once_however_often_it_is_linked() {
    let srv = Server::new();
    let s = Site::basic();
    for stem in ["a", "b", "c"] {
        s.incident(
            stem,
            &source(&srv.url("/ok-shared")),
            &format!("[x]({0}) and [y]({0}#frag)\n", srv.url("/ok-shared")),
        );
    }
    let r = check(&s, Some(fast()));
    assert!(external(&r).is_empty());
    assert_eq!(srv.requests(), vec!["/ok-shared"]);
}

#[test]
fn requests_to_one_host_are_spaced_and_concurrency_is_bounded() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let one = Server::start(in_flight.clone(), peak.clone());
    let two = Server::start_on("127.0.0.2", in_flight.clone(), peak.clone());
    let s = Site::basic();
    let body: String = (0..3)
        .map(|i| {
            format!(
                "[a]({}) [b]({})\n",
                one.url(&format!("/slow-{i}")),
                two.url(&format!("/slow-{i}"))
            )
        })
        .collect();
    s.incident("a", "", &body);
    let opts = Options {
        concurrency: 1,
        spacing: Duration::from_millis(150),
        ..fast()
    };
    let r = check(&s, Some(opts));
    assert!(external(&r).is_empty(), "{:?}", external(&r));
    assert_eq!(one.requests().len() + two.requests().len(), 6);
    assert_eq!(
        peak.load(Ordering::SeqCst),
        1,
        "more than one request at once"
    );
    let times: Vec<Instant> = one.log.lock().unwrap().iter().map(|(_, t)| *t).collect();
    for w in times.windows(2) {
        // 400 ms answer + 150 ms spacing between two requests to the same host.
        assert!(
            w[1] - w[0] >= Duration::from_millis(540),
            "{:?}",
            w[1] - w[0]
        );
    }
    // With room for two, the two hosts are checked side by side.
    let (in_flight, peak2) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let a = Server::start(in_flight.clone(), peak2.clone());
    let b = Server::start_on("127.0.0.2", in_flight, peak2.clone());
    let s = Site::basic();
    s.incident(
        "a",
        "",
        &format!("[a]({}) [b]({})\n", a.url("/slow"), b.url("/slow")),
    );
    let _ = check(
        &s,
        Some(Options {
            concurrency: 2,
            ..fast()
        }),
    );
    assert_eq!(peak2.load(Ordering::SeqCst), 2);
    assert_eq!(a.peak.load(Ordering::SeqCst), 2);
}

#[test]
fn a_slow_or_dead_host_is_reported_after_the_timeout() {
    let srv = Server::new();
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/x", dead.local_addr().unwrap());
    drop(dead);
    let s = Site::basic();
    s.incident(
        "a",
        "",
        &format!("[slow]({})\n\n[dead]({dead_url})\n", srv.url("/hang")),
    );
    let started = Instant::now();
    let r = check(
        &s,
        Some(Options {
            timeout: Duration::from_millis(500),
            ..fast()
        }),
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let found = external(&r);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].message.contains("could not be fetched"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.contains("could not be fetched"),
        "{}",
        found[1].message
    );
    assert_eq!((found[0].line, found[1].line), (5, 7));
}

#[test]
fn after_a_host_fails_its_other_links_are_not_tried() {
    let srv = Server::new();
    let s = Site::basic();
    let body: String = (0..4)
        .map(|i| format!("[x]({})\n\n", srv.url(&format!("/hang-{i}"))))
        .collect();
    s.incident("a", "", &body);
    let started = Instant::now();
    let r = check(
        &s,
        Some(Options {
            timeout: Duration::from_millis(400),
            ..fast()
        }),
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let found = external(&r);
    assert_eq!(found.len(), 4, "{found:?}");
    let skipped = found
        .iter()
        .filter(|d| d.message.contains("not tried"))
        .count();
    assert_eq!(skipped, 3, "{found:?}");
    assert_eq!(srv.requests().len(), 1);
}

#[test]
fn good_answers_are_cached_between_runs_and_broken_ones_are_not() {
    let srv = Server::new();
    let s = Site::basic();
    s.incident(
        "a",
        "",
        &format!("[a]({}) [b]({})\n", srv.url("/ok-1"), srv.url("/gone-1")),
    );
    let opts = Options {
        cache: Some(s.path(".casefile-cache/external-links.tsv")),
        ..fast()
    };
    assert_eq!(external(&check(&s, Some(opts.clone()))).len(), 1);
    assert_eq!(srv.requests(), vec!["/gone-1", "/ok-1"]);
    assert_eq!(external(&check(&s, Some(opts.clone()))).len(), 1);
    assert_eq!(srv.requests(), vec!["/gone-1", "/gone-1", "/ok-1"]);
    let cache = std::fs::read_to_string(s.path(".casefile-cache/external-links.tsv")).unwrap();
    assert!(
        cache.contains("/ok-1") && !cache.contains("/gone-1"),
        "{cache}"
    );
    // An expired entry is fetched again.
    let expired = Options {
        max_age: Duration::ZERO,
        ..opts
    };
    let _ = check(&s, Some(expired));
    assert_eq!(srv.requests().iter().filter(|p| *p == "/ok-1").count(), 2);
}

#[test]
fn the_site_own_address_is_not_fetched() {
    // Canonical and feed links use base_url, which does not exist before publishing.
    let srv = Server::new();
    let s = Site::new();
    s.file("site.yaml", &format!("title: T\nbase_url: {}/\n", srv.base));
    s.file(
        "content/incidents/a.md",
        &format!(
            "---\ntitle: A\ndate: 2024-01-01\n---\n[here]({0}/incidents/a/) [away]({0}/ok)\n",
            srv.base
        ),
    );
    let r = check(&s, Some(fast()));
    assert!(srv.requests().is_empty(), "{:?}", srv.requests());
    assert_eq!(r.errors(), 0, "{:?}", util::errors(&r));
}

#[test]
fn cli_external_warnings_fail_only_with_deny_warnings() {
    let srv = Server::new();
    let s = Site::new();
    s.incident("a", "", &format!("[x]({})\n", srv.url("/gone")));
    let clean = assert_cmd::Command::cargo_bin("casefile")
        .unwrap()
        .args(["check", "--deny-warnings", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    let run = |extra: &[&str]| {
        assert_cmd::Command::cargo_bin("casefile")
            .unwrap()
            .args([
                "check",
                "--format",
                "json",
                "--external",
                "--external-delay",
                "0",
            ])
            .args(["--external-cache", "none", "--root"])
            .arg(s.root())
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("E0113"), "{stdout}");
    let plain = out.status.code();
    let denied = run(&["--deny-warnings"]).status.code();
    assert_eq!((plain, denied), (Some(0), Some(1)), "{stdout}");
    assert!(
        !s.path(".casefile-cache").exists(),
        "cache written with `none`"
    );
    // The timeout option needs --external and a sane value.
    let bad = assert_cmd::Command::cargo_bin("casefile")
        .unwrap()
        .args(["check", "--external", "--external-timeout", "0", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
