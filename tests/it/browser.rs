//! End to end in a real browser: headless Chromium, driven through chromedriver's
//! WebDriver HTTP API. It opens the served example site, edits an incident title on
//! disk and the open page must show the new title by itself (live reload); and, from
//! `file://` on a built example site, it searches, filters and looks at the map.
//!
//! Needs `chromium` and `chromedriver` (Debian packages chromium and chromium-driver,
//! installed by .ci/run). Without them the test says so and passes, unless
//! `CASEFILE_BROWSER_TESTS=1` (set by .ci/run) makes them required.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::Site;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn find(program: &str, candidates: &[&str]) -> Option<PathBuf> {
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    });
    from_path.or_else(|| candidates.iter().map(PathBuf::from).find(|p| p.is_file()))
}

/// chromedriver, killed when dropped.
struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let d = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while d.get("/status").get("value").and_then(|v| v.get("ready")) != Some(&json!(true)) {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        d
    }

    fn get(&self, path: &str) -> Value {
        match self.agent.get(format!("{}{path}", self.base)).call() {
            Ok(mut r) => r
                .body_mut()
                .read_to_string()
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null),
            Err(_) => Value::Null,
        }
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        let mut r = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .unwrap();
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert!(
            v["value"].get("error").is_none(),
            "WebDriver {path}: {}",
            v["value"]
        );
        v
    }

    fn script(&self, session: &str, js: &str) -> Value {
        self.post(
            &format!("/session/{session}/execute/sync"),
            &json!({"script": js, "args": []}),
        )["value"]
            .clone()
    }
}

/// Chromium and chromedriver, or `None` (the test then passes with a note) when they
/// are missing and not required.
#[allow(clippy::print_stderr)]
fn browser() -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var("CASEFILE_BROWSER_TESTS").as_deref() == Ok("1");
    let chromium = find(
        "chromium",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    );
    let driver = find("chromedriver", &["/usr/bin/chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        assert!(
            !required,
            "CASEFILE_BROWSER_TESTS=1 but chromium or chromedriver is missing"
        );
        eprintln!("note: chromium or chromedriver not installed; browser test skipped");
        return None;
    };
    Some((chromium, driver))
}

fn open_session<'a>(d: &'a Driver, chromium: &Path) -> Session<'a> {
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run",
                     "--allow-file-access-from-files"]
        }
    }}});
    Session {
        id: d.post("/session", &caps)["value"]["sessionId"]
            .as_str()
            .unwrap()
            .to_string(),
        driver: d,
    }
}

/// Poll `js` (a script returning a value) until `done` holds of its result.
fn wait_for(
    d: &Driver,
    session: &str,
    js: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = d.script(session, js);
        if done(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "{what}: last {v}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The example site built into `public/`, and its `file://` URL.
fn built_example() -> (Site, String) {
    let site = Site::example();
    let r = site.build();
    assert_eq!(r.errors(), 0);
    let url = format!("file://{}/", site.path("public").display());
    (site, url)
}

#[test]
fn searching_a_group_alias_from_file_leads_to_the_group_page() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let (_site, root) = built_example();
    let d = Driver::start(&driver);
    let session = open_session(&d, &chromium);
    let s = session.id.as_str();
    d.post(
        &format!("/session/{s}/url"),
        &json!({"url": format!("{root}weapons/index.html")}),
    );
    let input = d.post(
        &format!("/session/{s}/element"),
        &json!({"using": "css selector", "value": "#search-input"}),
    )["value"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    // GSIM is an alias of JNIM (content/groups/jnim.md), typed in lower case.
    d.post(
        &format!("/session/{s}/element/{input}/value"),
        &json!({"text": "gsim"}),
    );
    let first = wait_for(
        &d,
        s,
        "var a = document.querySelector('.search-results a'); return a ? a.textContent : null",
        "a search result",
        |v| v.is_string(),
    );
    assert!(
        first
            .as_str()
            .unwrap()
            .contains("Jama'at Nusrat al-Islam wal-Muslimin"),
        "{first}"
    );
    // Down arrow to the first result, then Enter follows it.
    d.post(
        &format!("/session/{s}/element/{input}/value"),
        &json!({"text": "\u{E015}"}),
    );
    let focused = d.script(s, "return document.activeElement.getAttribute('href')");
    assert!(
        focused
            .as_str()
            .unwrap_or("")
            .ends_with("groups/jnim/index.html"),
        "{focused}"
    );
    d.script(s, "document.activeElement.click(); return 1");
    wait_for(&d, s, "return location.href", "the group page", |v| {
        v.as_str()
            .unwrap_or("")
            .ends_with("/groups/jnim/index.html")
    });
    let h1 = d.script(s, "return document.querySelector('h1').textContent");
    assert!(h1.as_str().unwrap().contains("Jama'at Nusrat"), "{h1}");
}

#[test]
fn two_filters_on_the_incident_list_show_the_matching_count_and_keep_it_in_the_url() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let (site, root) = built_example();
    // What the filters must find: incidents with JNIM in 2024, from the export.
    let incidents: Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    let total = incidents.as_array().unwrap().len();
    let want = incidents
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["date"].as_str().unwrap().starts_with("2024"))
        .filter(|i| {
            i["groups"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["id"] == "jnim")
        })
        .count();
    assert!(want > 0 && want < total);
    let d = Driver::start(&driver);
    let session = open_session(&d, &chromium);
    let s = session.id.as_str();
    d.post(
        &format!("/session/{s}/url"),
        &json!({"url": format!("{root}incidents/index.html")}),
    );
    d.script(
        s,
        "document.querySelector('#filters summary').click(); return 1",
    );
    wait_for(
        &d,
        s,
        "return document.querySelector('#filters select[name=group]').options.length",
        "the filters' options",
        |v| v.as_u64().unwrap_or(0) > 1,
    );
    d.script(
        s,
        "var f = document.getElementById('filters');         f.elements.group.value = 'jnim'; f.dispatchEvent(new Event('change'));         f.elements.year.value = '2024'; f.dispatchEvent(new Event('change')); return 1",
    );
    let count = wait_for(
        &d,
        s,
        "return document.querySelector('.filter-count').textContent",
        "the count",
        |v| v.as_str().unwrap_or("").contains("match"),
    );
    assert_eq!(
        count.as_str().unwrap(),
        format!("{want} of {total} incidents match.")
    );
    let shown = d.script(
        s,
        "return document.querySelectorAll('#filter-results li').length",
    );
    assert_eq!(shown.as_u64().unwrap() as usize, want);
    let hidden = d.script(s, "return document.getElementById('incident-list').hidden");
    assert_eq!(
        hidden,
        json!(true),
        "the static list gives way to the results"
    );
    let href = d.script(s, "return location.search");
    assert_eq!(href.as_str().unwrap(), "?group=jnim&year=2024");
    // The same address, opened afresh, shows the same filtered view.
    d.script(s, "location.reload(); return 1");
    wait_for(
        &d,
        s,
        "var c = document.querySelector('.filter-count'); return c ? c.textContent : ''",
        "the count after reload",
        |v| v.as_str().unwrap_or("") == format!("{want} of {total} incidents match."),
    );
}

#[test]
fn the_home_page_opened_from_file_shows_the_map() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let (_site, root) = built_example();
    let d = Driver::start(&driver);
    let session = open_session(&d, &chromium);
    let s = session.id.as_str();
    d.post(
        &format!("/session/{s}/url"),
        &json!({"url": format!("{root}index.html")}),
    );
    let map = d.script(
        s,
        "var m = document.querySelector('svg.map'); if (!m) return null;         var r = m.getBoundingClientRect();         return [r.width, r.height, m.querySelectorAll('a.map-dot').length]",
    );
    let m = map.as_array().expect("a map on the home page");
    assert!(
        m[0].as_f64().unwrap() > 200.0 && m[1].as_f64().unwrap() > 100.0,
        "{map}"
    );
    assert!(m[2].as_u64().unwrap() >= 10, "{map}");
    // The stylesheet loaded too (its path is relative, so it works from file://).
    let styled = d.script(
        s,
        "return getComputedStyle(document.querySelector('.site-header')).borderBottomStyle",
    );
    assert_eq!(styled, json!("solid"));
}

#[test]
fn an_open_page_shows_an_edited_title_without_a_manual_reload() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let site = Site::example();
    let server = casefile::serve::start(casefile::serve::Options {
        root: site.root().to_path_buf(),
        drafts: true,
        bind: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        port: 0,
        port_fixed: true,
        debounce: Duration::from_millis(50),
        on_build: Arc::new(|_| {}),
        verify: false,
    })
    .unwrap();

    let d = Driver::start(&driver);
    let session = open_session(&d, &chromium);
    let session = session.id.as_str();
    let page = format!("{}incidents/kalamba-is-sahel-jnim-cache/", server.url());
    d.post(&format!("/session/{session}/url"), &json!({"url": page}));
    let h1 = || {
        d.script(session, "return document.querySelector('h1').textContent")
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        h1().contains("IS Sahel fighters reportedly take"),
        "{}",
        h1()
    );
    // A mark that only survives as long as this page is not reloaded.
    d.script(session, "window.casefileTestMark = 1; return 1");
    // Wait until the live-reload stream is open before editing.
    std::thread::sleep(Duration::from_millis(500));

    let file = site.path("content/incidents/2024/kalamba-is-sahel-jnim-cache/index.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "title: IS Sahel fighters reportedly take",
        "title: EDITED IN TEST IS Sahel fighters reportedly take",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    while !h1().contains("EDITED IN TEST") {
        assert!(
            Instant::now() < deadline,
            "the page never showed the new title: {}",
            h1()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        d.script(session, "return window.casefileTestMark === undefined"),
        json!(true),
        "the title changed without a reload?"
    );
}

/// A browser session, closed (the browser quits) when dropped, also when the test fails.
struct Session<'a> {
    id: String,
    driver: &'a Driver,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .agent
            .delete(format!("{}/session/{}", self.driver.base, self.id))
            .call();
    }
}
