//! End to end in a real browser: headless Chromium, driven through chromedriver's
//! WebDriver HTTP API, opens the served example site; the test edits an incident title
//! on disk and the open page must show the new title by itself (live reload).
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

#[test]
fn an_open_page_shows_an_edited_title_without_a_manual_reload() {
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
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run"]
        }
    }}});
    let session = Session {
        id: d.post("/session", &caps)["value"]["sessionId"]
            .as_str()
            .unwrap()
            .to_string(),
        driver: &d,
    };
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

    let file = site.path("content/incidents/2024/kalamba-is-sahel-jnim-cache.md");
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
