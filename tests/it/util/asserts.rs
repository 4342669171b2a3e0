//! Assertions on builds and diagnostics. A content error must name `file:line:col`
//! counted in the original file, write nothing (no `public/`, or the previous output
//! untouched), leave no staging folder behind and never panic: `build_fails` checks all
//! of that at once.

use super::{Site, tree};
use casefile::Report;
use casefile::diag::Diagnostic;
use std::path::Path;
use std::time::{Duration, Instant};

/// Every diagnostic of a report, as printed.
pub fn printed(r: &Report) -> Vec<String> {
    r.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// Errors of a report, as printed lines.
pub fn errors(r: &Report) -> Vec<String> {
    errs(r).iter().map(|d| d.to_string()).collect()
}

/// The errors of a report.
pub fn errs(r: &Report) -> Vec<&Diagnostic> {
    r.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The diagnostics of a report with the code name `name` (e.g. `unknown-key`).
pub fn diags_named<'a>(r: &'a Report, name: &str) -> Vec<&'a Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.code.name == name)
        .collect()
}

/// The single error of a report; panics unless there is exactly one.
pub fn one_error(r: &Report) -> &Diagnostic {
    let errs = errs(r);
    assert_eq!(errs.len(), 1, "expected one error, got: {:#?}", printed(r));
    errs[0]
}

/// The single error in `file` (the whole relative path, or its last components);
/// panics unless there is exactly one.
pub fn error_in<'a>(r: &'a Report, file: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = errs(r)
        .into_iter()
        .filter(|d| {
            let f = slash(&d.file);
            f == file || f.ends_with(&format!("/{file}"))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one error in {file}, got: {:#?}",
        printed(r)
    );
    found[0]
}

/// A path with forward slashes.
pub fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The hint of a diagnostic, or "".
pub fn hint(d: &Diagnostic) -> String {
    d.hint.clone().unwrap_or_default()
}

/// Assert a diagnostic's code name, file (suffix) and line.
pub fn assert_diag(d: &Diagnostic, code_name: &str, file: &str, line: u32) {
    assert_eq!(d.code.name, code_name, "{d}");
    assert!(slash(&d.file).ends_with(file), "file: {d}");
    assert_eq!(d.line, line, "line: {d}");
}

/// Assert code name, file, line and column of an error, and that its printed form starts
/// `file:line:col: error`.
pub fn at(d: &Diagnostic, code: &str, file: &str, line: u32, col: u32) {
    assert_diag(d, code, file, line);
    assert_eq!(d.col, col, "col: {d}");
    let printed = d.to_string();
    assert!(
        printed.starts_with(&format!("{file}:{line}:{col}: error")),
        "printed form: {printed}"
    );
}

/// No errors, and the output was written.
pub fn assert_clean(r: &Report) {
    assert_eq!(errors(r), Vec::<String>::new(), "unexpected errors");
    assert!(r.written, "the build wrote nothing");
}

/// No staging, set-aside, spare or manifest file left next to the output: what a build
/// keeps between runs lives in the site's cache folder.
pub fn assert_no_staging(site: &Site) {
    for e in std::fs::read_dir(site.root()).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        assert!(
            ![
                "casefile-stage",
                "casefile-old",
                "casefile-swap",
                "casefile-spare",
                "casefile-manifest"
            ]
            .iter()
            .any(|part| n.contains(part)),
            "leftover {n}"
        );
    }
}

/// Build a site that must fail: errors, `written == false`, no `public/`, no staging
/// folder.
pub fn build_fails(site: &Site) -> Report {
    let r = site.build();
    assert!(r.errors() > 0, "expected errors, got: {:#?}", printed(&r));
    assert!(!r.written, "written despite errors: {:#?}", printed(&r));
    assert!(
        !site.path("public").exists(),
        "public/ created despite errors"
    );
    assert_no_staging(site);
    r
}

/// Build a site that must succeed and be written.
pub fn build_ok(site: &Site) -> Report {
    let r = site.build();
    assert_eq!(r.errors(), 0, "unexpected errors: {:#?}", printed(&r));
    assert!(r.written);
    r
}

/// Run `f`, failing when it takes longer than `limit`.
pub fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "{what} took {took:?} (limit {limit:?})");
    out
}

/// The path of incident file `stem`: `content/incidents/<stem>.md`.
pub fn inc(stem: &str) -> String {
    format!("content/incidents/{stem}.md")
}

/// Every `.html` file of the output: (relative path, text).
pub fn html_files(site: &Site) -> Vec<(String, String)> {
    tree(&site.path("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// An output file parsed as JSON.
pub fn json(site: &Site, rel: &str) -> serde_json::Value {
    serde_json::from_str(&site.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A URL in an `href`/`src` that could run code, once blanks and control characters
/// are removed as browsers do.
fn live_dangerous(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Nothing in the page `path` can run code or change where the page points: no
/// script (but the theme's own `casefile.js`), iframe, object, embed, frame, base,
/// form (but the theme's search box and filters) or style element, no
/// `<meta http-equiv>`, no `on*` attribute, no `javascript:`/`vbscript:`/`data:` URL.
pub fn assert_inert(path: &str, html: &str) {
    let doc = scraper::Html::parse_document(html);
    for node in doc.tree.nodes() {
        let Some(el) = scraper::ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        // The theme's own search script and forms (the search box, the filters).
        let theme_script = name == "script"
            && el
                .value()
                .attr("src")
                .is_some_and(|s| s.ends_with("casefile.js"))
            && el.inner_html().is_empty();
        let theme_form = name == "form"
            && (el.value().attr("role") == Some("search")
                || el.value().attr("id") == Some("filters"));
        assert!(
            theme_script
                || theme_form
                || !matches!(
                    name,
                    "script" | "iframe" | "object" | "embed" | "frame" | "base" | "form" | "style"
                ),
            "{path}: live <{name}> in output"
        );
        assert!(
            !(name == "meta" && el.value().attr("http-equiv").is_some()),
            "{path}: <meta http-equiv> in output"
        );
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{path}: <{name} {attr}={value:?}> event handler in output"
            );
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcset" | "poster"
            ) {
                assert!(
                    !live_dangerous(value),
                    "{path}: <{name} {attr}={value:?}> dangerous URL in output"
                );
            }
        }
    }
}
