//! External link checking (`check --external`): fetches every distinct http(s) URL once.
//! It owns the politeness rules and the answer cache, nothing else: at most
//! `concurrency` requests run at once, requests to one host are serialized and spaced by
//! `spacing`, each request is bounded by `timeout`, and good answers are remembered in a
//! cache file for `max_age`, so a re-run fetches only what is new or was broken. The
//! caller turns the outcomes into diagnostics.

use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests in flight at once (across hosts).
    pub concurrency: usize,
    /// Limit for one request, connection and redirects included.
    pub timeout: Duration,
    /// Pause between two requests to the same host.
    pub spacing: Duration,
    /// Where good answers are remembered; `None` keeps nothing between runs.
    pub cache: Option<PathBuf>,
    /// How long a remembered good answer is trusted.
    pub max_age: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            spacing: Duration::from_millis(500),
            cache: None,
            max_age: Duration::from_secs(24 * 3600),
        }
    }
}

/// What fetching one URL said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer (after redirects), now or in the cache.
    Ok,
    /// The server answered with this status (404, 410, 500...).
    Status(u16),
    /// No answer: timeout, DNS, refused connection, TLS; the reason.
    Failed(String),
}

/// The part of `link` to fetch: an http(s) URL without its fragment, or `None`.
pub fn fetchable(link: &str) -> Option<&str> {
    let scheme_ok = ["http://", "https://"].iter().any(|s| {
        link.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    let url = link.split('#').next().unwrap_or(link);
    (scheme_ok && url.len() > 8).then_some(url)
}

/// Fetch each URL (already without fragments, no repeats needed) and say how it went.
/// Sorted by URL; the same input gives the same map, whatever the order of answers.
pub fn check(urls: &[&str], opts: &Options) -> BTreeMap<String, Outcome> {
    let now = unix_now();
    let cached = opts
        .cache
        .as_deref()
        .map(|p| read_cache(p, now, opts.max_age))
        .unwrap_or_default();
    let mut results: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for url in urls {
        if results.contains_key(*url) {
            continue;
        }
        if cached.contains_key(*url) {
            results.insert(url.to_string(), Outcome::Ok);
        } else {
            let list = by_host.entry(host_of(url)).or_default();
            if !list.iter().any(|u| u == url) {
                list.push(url.to_string());
            }
        }
    }
    let fetched = fetch_all(by_host, opts);
    let mut fresh: BTreeMap<String, u64> = cached;
    for (url, outcome) in fetched {
        if outcome == Outcome::Ok {
            fresh.insert(url.clone(), now);
        }
        results.insert(url, outcome);
    }
    if let Some(path) = &opts.cache {
        // A cache that cannot be written only costs time on the next run.
        let _ = write_cache(path, &fresh);
    }
    results
}

/// Workers take one host at a time and fetch its URLs in order, spaced.
fn fetch_all(by_host: BTreeMap<String, Vec<String>>, opts: &Options) -> Vec<(String, Outcome)> {
    if by_host.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "casefile/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let workers = opts.concurrency.clamp(1, by_host.len());
    let queue: Mutex<VecDeque<Vec<String>>> = Mutex::new(by_host.into_values().collect());
    let done: Mutex<Vec<(String, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some(urls) = next else { break };
                    // After a host failed to answer, its other links are not tried: a
                    // dead host with many links would cost a timeout each.
                    let mut down: Option<String> = None;
                    for (i, url) in urls.into_iter().enumerate() {
                        let outcome = match &down {
                            Some(why) => Outcome::Failed(format!(
                                "not tried: an earlier link to this host failed ({why})"
                            )),
                            None => {
                                if i > 0 {
                                    std::thread::sleep(opts.spacing);
                                }
                                fetch(&agent, &url, opts.timeout)
                            }
                        };
                        if let (None, Outcome::Failed(why)) = (&down, &outcome) {
                            down = Some(why.clone());
                        }
                        done.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((url, outcome));
                    }
                }
            });
        }
    });
    done.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// One GET; the body is not read.
fn fetch(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    match agent.get(url).call() {
        Ok(resp) if resp.status().is_success() => Outcome::Ok,
        Ok(resp) => Outcome::Status(resp.status().as_u16()),
        Err(e) => Outcome::Failed(describe(&e, timeout)),
    }
}

fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs_f32()),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection refused".into(),
        ureq::Error::TooManyRedirects => "too many redirects".into(),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut => {
                format!("no answer within {} s", timeout.as_secs_f32())
            }
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            _ if io.to_string().contains("lookup address") => {
                "host not found (or this machine is offline)".into()
            }
            _ => io.to_string(),
        },
        other => other.to_string(),
    }
}

/// The host name in lower case (no scheme, user or port): the unit of spacing, so that
/// `http://`, `https://` and `:443` links to one server still wait their turn.
fn host_of(url: &str) -> String {
    let after = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after..]
        .find(['/', '?', '#'])
        .map(|i| after + i)
        .unwrap_or(url.len());
    let authority = &url[after..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.to_ascii_lowercase()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `unix-seconds<TAB>url` lines; unreadable, malformed or stale lines are skipped.
fn read_cache(path: &Path, now: u64, max_age: Duration) -> BTreeMap<String, u64> {
    let Ok(bytes) = crate::fsx::read_limited(path) else {
        return BTreeMap::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|line| {
            let (when, url) = line.split_once('\t')?;
            let when: u64 = when.parse().ok()?;
            (when <= now && now - when < max_age.as_secs() && fetchable(url) == Some(url))
                .then(|| (url.to_string(), when))
        })
        .collect()
}

/// Written beside itself, then renamed: a killed run leaves the old cache whole.
fn write_cache(path: &Path, entries: &BTreeMap<String, u64>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    for (url, when) in entries {
        writeln!(f, "{when}\t{url}")?;
    }
    f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_fetched_and_fragments_dropped() {
        assert_eq!(fetchable("https://a.org/x#top"), Some("https://a.org/x"));
        assert_eq!(fetchable("HTTP://a.org"), Some("HTTP://a.org"));
        assert_eq!(fetchable("mailto:a@b.org"), None);
        assert_eq!(fetchable("/groups/x/"), None);
        assert_eq!(fetchable("https://"), None);
    }

    #[test]
    fn hosts_group_by_host_name_alone() {
        assert_eq!(host_of("https://A.org/x?y"), "a.org");
        assert_eq!(host_of("http://a.org:443/p"), "a.org");
        assert_eq!(host_of("http://user:pw@a.org/p"), "a.org");
        assert_eq!(host_of("http://[::1]:8080/p"), "[::1]");
        assert_eq!(host_of("https://a.org"), "a.org");
    }

    #[test]
    fn the_cache_keeps_fresh_good_answers_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c/links.tsv");
        let mut m = BTreeMap::new();
        m.insert("https://a.org/".to_string(), 1_000);
        m.insert("https://b.org/".to_string(), 5_000);
        write_cache(&path, &m).unwrap();
        std::fs::write(
            dir.path().join("c/links.tsv"),
            std::fs::read_to_string(&path).unwrap() + "garbage\nx\tjavascript:alert(1)\n",
        )
        .unwrap();
        let read = read_cache(&path, 6_000, Duration::from_secs(2_000));
        assert_eq!(read.keys().collect::<Vec<_>>(), vec!["https://b.org/"]);
    }
}
