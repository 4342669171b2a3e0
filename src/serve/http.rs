//! The preview's HTTP side: answers each request from the current snapshot, and only
//! with files that snapshot holds (an allow-list: no file system path is ever built
//! from a URL). It refuses foreign `Host` headers (DNS rebinding) and live-reload
//! connections from foreign origins, and sends no CORS headers.

use super::overlay::{self, EVENTS_PATH};
use super::snapshot::Snapshot;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

/// What the handlers share: the current snapshot and the generation channel.
pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    pub generations: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let headers = req.headers();
    if !host_allowed(headers) {
        return text(
            StatusCode::FORBIDDEN,
            "casefile serve: this Host is not allowed; open the address casefile printed (localhost or an IP address)",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "casefile serve: GET only");
    }
    let path = req.uri().path();
    if path == EVENTS_PATH {
        return events(&shared, headers);
    }
    let snap = shared.current();
    match resolve(path, &snap) {
        Resolved::File(key) => file(&snap, &key),
        Resolved::Redirect(to) => Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, to)
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Resolved::NotFound => not_found(&snap),
    }
}

/// What a request path names in the snapshot.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(String),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
}

/// Map a request path (still percent-encoded) to a key of the snapshot. The path is
/// decoded once; anything that does not name a file of the snapshot exactly is not
/// found, so `..`, encoded or not, backslashes and drive letters never match.
pub fn resolve(raw: &str, snap: &Snapshot) -> Resolved {
    let Some(decoded) = crate::model::urls::percent_decode(raw) else {
        return Resolved::NotFound;
    };
    let Some(key) = decoded.strip_prefix('/') else {
        return Resolved::NotFound;
    };
    if key.contains(['\0', '\\']) || key.split('/').any(|seg| seg == ".." || seg == ".") {
        return Resolved::NotFound;
    }
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_string()
    };
    if snap.has(&key) {
        return Resolved::File(key);
    }
    let folder = format!("{key}/index.html");
    if !key.ends_with("index.html") && snap.has(&folder) {
        return Resolved::Redirect(format!("/{}/", encode_path(&key)));
    }
    Resolved::NotFound
}

/// Percent-encode everything but unreserved characters and `/`, for a `Location`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn file(snap: &Snapshot, key: &str) -> Response {
    let read;
    let bytes = match (snap.files.get(key), snap.on_disk.get(key)) {
        (Some(bytes), _) => bytes,
        // A processed image in the cache (deleted meanwhile: not found).
        (None, Some(path)) => match crate::fsx::read_limited(path) {
            Ok(b) => {
                read = bytes::Bytes::from(b);
                &read
            }
            Err(_) => return not_found(snap),
        },
        (None, None) => return not_found(snap),
    };
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        Body::from(overlay::inject(bytes, snap))
    } else {
        Body::from(bytes.clone())
    };
    respond(StatusCode::OK, kind, body)
}

fn not_found(snap: &Snapshot) -> Response {
    if snap.is_empty() && !snap.errors.is_empty() {
        // No good build yet: every page is the error page.
        let page = overlay::error_page(snap);
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            Body::from(page),
        );
    }
    let page = match snap.files.get("404.html") {
        Some(p) => overlay::inject(p, snap),
        None => overlay::inject(
            b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>This site has no page at this address.</p></body></html>",
            snap,
        ),
    };
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        Body::from(page),
    )
}

fn respond(status: StatusCode, kind: &'static str, body: Body) -> Response {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

fn text(status: StatusCode, message: &'static str) -> Response {
    respond(status, "text/plain; charset=utf-8", Body::from(message))
}

fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("atom") => "application/atom+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "application/octet-stream",
    }
}

/// `Host` must name this machine: `localhost`, a `*.localhost` name or an IP address,
/// with any port. A domain name would let a page on another site reach this server
/// through DNS rebinding.
pub fn host_allowed(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    hostname_allowed(host_name(host))
}

fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        // [::1]:1111
        return rest.split(']').next().unwrap_or("");
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn hostname_allowed(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok()
}

/// The live-reload stream: the current generation at once, then each new one. Refused
/// when the request comes from a page of another origin.
fn events(shared: &Shared, headers: &HeaderMap) -> Response {
    if !origin_allowed(headers) {
        return text(
            StatusCode::FORBIDDEN,
            "casefile serve: live reload is only for pages of this server",
        );
    }
    let rx = shared.generations.subscribe();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let generation = *rx.borrow_and_update();
        let event = Event::default()
            .event("generation")
            .data(generation.to_string());
        Some((Ok::<Event, Infallible>(event), (rx, false)))
    });
    let mut resp = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A browser sends `Origin` on cross-origin requests: it must be this server (the
/// scheme, host and port of `Host`). Without one, a browser marks the request
/// `Sec-Fetch-Site: same-origin`; anything else is refused.
pub fn origin_allowed(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match headers.get(header::ORIGIN).map(|o| o.to_str().ok()) {
        Some(Some(origin)) => {
            host.is_some_and(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
        }
        Some(None) => false,
        None => headers
            .get("sec-fetch-site")
            .is_none_or(|v| v.as_bytes().eq_ignore_ascii_case(b"same-origin")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(files: &[&str]) -> Snapshot {
        Snapshot {
            files: files
                .iter()
                .map(|f| (f.to_string(), bytes::Bytes::from_static(b"x")))
                .collect(),
            ..Snapshot::default()
        }
    }

    #[test]
    fn only_files_of_the_snapshot_resolve() {
        let s = snap(&["index.html", "groups/jnim/index.html", "style.css"]);
        assert_eq!(resolve("/", &s), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/style.css", &s),
            Resolved::File("style.css".into())
        );
        assert_eq!(
            resolve("/groups/jnim", &s),
            Resolved::Redirect("/groups/jnim/".into())
        );
        let s2 = snap(&["a?b c/index.html"]);
        assert_eq!(
            resolve("/a%3Fb%20c", &s2),
            Resolved::Redirect("/a%3Fb%20c/".into())
        );
        assert_eq!(
            resolve("/groups/%6Anim/", &s),
            Resolved::File("groups/jnim/index.html".into())
        );
        for bad in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2fstyle.css",
            "/groups/..%5c..%5cstyle.css",
            "/c:/windows/win.ini",
            "/%252e%252e/style.css",
            "//style.css",
            "/style.css/.",
            "/groups/jnim/../../style.css",
            "/%ff",
            "/%zz",
            "style.css",
        ] {
            assert_eq!(resolve(bad, &s), Resolved::NotFound, "{bad}");
        }
    }

    #[test]
    fn hosts_must_name_this_machine() {
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "preview.localhost",
            "192.168.1.4:8080",
        ] {
            assert!(hostname_allowed(host_name(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
        ] {
            assert!(!hostname_allowed(host_name(bad)), "{bad}");
        }
    }

    #[test]
    fn live_reload_origins() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        assert!(origin_allowed(&h(&[
            ("host", "localhost:1111"),
            ("origin", "http://localhost:1111")
        ])));
        assert!(origin_allowed(&h(&[
            ("host", "localhost:1111"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!origin_allowed(&h(&[
            ("host", "localhost:1111"),
            ("origin", "http://evil.example")
        ])));
        assert!(!origin_allowed(&h(&[
            ("host", "localhost:1111"),
            ("origin", "null")
        ])));
        assert!(!origin_allowed(&h(&[
            ("host", "localhost:1111"),
            ("sec-fetch-site", "cross-site")
        ])));
    }
}
