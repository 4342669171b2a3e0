//! Hostile and faulty inputs, after the sections A–F and H of the hostile-inputs checklist
//! the project was specified against (kept outside this repository).
//!
//! Every test names the behaviour it checks and cites its case (`// A.3`). A content
//! error must name `file:line:col` counted in the original file, write nothing (no
//! `public/`, or the previous output untouched) and never panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::util::{Site, assert_diag, one_error, tree};
use casefile::diag::Diagnostic;
use casefile::{BuildOptions, Report};
use std::path::Path;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Helpers

/// Every diagnostic, as printed.
fn all(r: &Report) -> Vec<String> {
    r.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// The errors of a report.
fn errs(r: &Report) -> Vec<&Diagnostic> {
    r.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The single error in `file` (suffix); panics unless there is exactly one.
fn error_in<'a>(r: &'a Report, file: &str) -> &'a Diagnostic {
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
        all(r)
    );
    found[0]
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Assert code, file, line and column, and that the printed form starts `file:line:col:`.
fn at(d: &Diagnostic, code: &str, file: &str, line: u32, col: u32) {
    assert_diag(d, code, file, line);
    assert_eq!(d.col, col, "col: {d}");
    let printed = d.to_string();
    assert!(
        printed.starts_with(&format!("{file}:{line}:{col}: error")),
        "printed form: {printed}"
    );
}

fn hint(d: &Diagnostic) -> String {
    d.hint.clone().unwrap_or_default()
}

/// No staging or set-aside folder left next to the output.
fn assert_no_staging(site: &Site) {
    for e in std::fs::read_dir(site.root()).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        assert!(
            !n.contains("casefile-stage")
                && !n.contains("casefile-old")
                && !n.contains("casefile-swap"),
            "leftover {n}"
        );
    }
}

/// Build a site that must fail: errors, `written == false`, no `public/`, no staging dir.
fn build_fails(site: &Site) -> Report {
    let r = site.build();
    assert!(r.errors() > 0, "expected errors, got: {:#?}", all(&r));
    assert!(!r.written, "written despite errors: {:#?}", all(&r));
    assert!(
        !site.path("public").exists(),
        "public/ created despite errors"
    );
    assert_no_staging(site);
    r
}

/// Build a site that must succeed and be written.
fn build_ok(site: &Site) -> Report {
    let r = site.build();
    assert_eq!(r.errors(), 0, "unexpected errors: {:#?}", all(&r));
    assert!(r.written);
    r
}

/// Run `f`, failing when it takes longer than `limit`.
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "{what} took {took:?} (limit {limit:?})");
    out
}

/// An incident file path.
fn inc(stem: &str) -> String {
    format!("content/incidents/{stem}.md")
}

/// Every `.html` file of the output: (relative path, text).
fn html_files(site: &Site) -> Vec<(String, String)> {
    tree(&site.path("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// A URL in an `href`/`src` that could run code.
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

/// No script, iframe, object or embed element, no `on*` attribute, no dangerous URL.
fn assert_inert_html(path: &str, html: &str) {
    let doc = scraper::Html::parse_document(html);
    for node in doc.tree.nodes() {
        let Some(el) = scraper::ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        assert!(
            !matches!(
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

// ---------------------------------------------------------------------------------------
// A. Framing and encoding

// A.1
#[test]
fn empty_file_is_no_front_matter_at_1_1_and_other_files_still_reported() {
    let site = Site::basic();
    site.file(&inc("empty"), "");
    site.file(
        &inc("other"),
        "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    let d = error_in(&r, "empty.md");
    at(d, "no-front-matter", "content/incidents/empty.md", 1, 1);
    at(
        error_in(&r, "other.md"),
        "yaml-syntax",
        "content/incidents/other.md",
        2,
        14,
    );
}

// A.2
#[test]
fn pasted_markdown_without_front_matter_hints_line_1() {
    let site = Site::basic();
    site.file(&inc("pasted"), "# Clash near Kaya\n\nFighters attacked.\n");
    site.file(
        &inc("late"),
        "\n---\ntitle: Late fence\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    for stem in ["pasted", "late"] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(d, "no-front-matter", &inc(stem), 1, 1);
        assert!(hint(d).contains("front matter must start on line 1"), "{d}");
    }
}

// A.3
#[test]
fn unclosed_front_matter_points_at_the_opening_line() {
    let site = Site::basic();
    site.file(
        &inc("open"),
        "---\ntitle: Never closed\ndate: 2024-03-22\n\nBody text.\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(
        d,
        "unclosed-front-matter",
        "content/incidents/open.md",
        1,
        1,
    );
    assert!(d.message.contains("opened here"), "{d}");
}

// A.4
#[test]
fn closing_fence_as_the_last_bytes_is_accepted() {
    let site = Site::basic();
    site.file(
        &inc("last"),
        "---\ntitle: Fence at EOF\ndate: 2024-03-22\n---",
    );
    build_ok(&site);
    assert!(
        site.out("incidents/last/index.html")
            .contains("Fence at EOF")
    );
}

// A.5
#[test]
fn trailing_blanks_after_either_fence_are_accepted() {
    let site = Site::basic();
    site.file(
        &inc("spaces"),
        "---   \ntitle: Spaces\ndate: 2024-03-22\n---  \nBody.\n",
    );
    site.file(
        &inc("tabs"),
        "---\t\ntitle: Tabs\ndate: 2024-03-22\n--- \t \nBody.\n",
    );
    build_ok(&site);
    assert!(site.out_exists("incidents/spaces/index.html"));
    let tabs = site.out("incidents/tabs/index.html");
    assert!(tabs.contains("Tabs") && tabs.contains("Body."));
}

// A.6
#[test]
fn bad_closing_fence_is_an_error_at_its_line() {
    let site = Site::basic();
    site.file(
        &inc("four"),
        "---\ntitle: a\ndate: 2024-03-22\n----\nBody.\n",
    );
    site.file(
        &inc("word"),
        "---\ntitle: a\ndate: 2024-03-22\n--- x\nBody.\n",
    );
    site.file(
        &inc("glued"),
        "---\ntitle: a\ndate: 2024-03-22\n---title: b\nBody.\n",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", all(&r));
    for stem in ["four", "word", "glued"] {
        at(
            error_in(&r, &format!("{stem}.md")),
            "bad-fence",
            &inc(stem),
            4,
            1,
        );
    }
}

const KALAMBA: &str = "---\ntitle: Clash near Kalamba\ndate: 2024-03-22\nlocation: {name: Kalamba, country: Burkina Faso}\ngroups: [JNIM]\n---\nFighters attacked *the post*.\n\n## Sources\n\nLocal radio.\n";

// A.7
#[test]
fn utf8_bom_is_stripped_and_output_is_byte_identical() {
    let plain = Site::basic();
    plain.file(&inc("kalamba"), KALAMBA);
    let bom = Site::basic();
    bom.bytes(
        &inc("kalamba"),
        &[b"\xEF\xBB\xBF".as_slice(), KALAMBA.as_bytes()].concat(),
    );
    build_ok(&plain);
    build_ok(&bom);
    assert_eq!(
        bom.out("incidents/kalamba/index.html"),
        plain.out("incidents/kalamba/index.html")
    );
    assert!(
        tree(&bom.path("public")) == tree(&plain.path("public")),
        "output trees differ"
    );
    // Positions are unchanged by the BOM.
    let bad = Site::basic();
    bad.bytes(
        &inc("bad"),
        b"\xEF\xBB\xBF---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&bad);
    at(
        one_error(&r),
        "yaml-syntax",
        "content/incidents/bad.md",
        2,
        14,
    );
}

// A.8
#[test]
fn crlf_mixed_and_lone_cr_equal_the_lf_file() {
    let lf = Site::basic();
    lf.file(&inc("kalamba"), KALAMBA);
    build_ok(&lf);
    let want = tree(&lf.path("public"));
    let variants: [(&str, String); 3] = [
        ("crlf", KALAMBA.replace('\n', "\r\n")),
        (
            "mixed",
            KALAMBA
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i % 2 == 0 {
                        format!("{l}\r\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect::<String>()
                .trim_end_matches(['\r', '\n'])
                .to_string()
                + "\n",
        ),
        ("cr", KALAMBA.replace('\n', "\r")),
    ];
    for (name, text) in &variants {
        let s = Site::basic();
        s.file(&inc("kalamba"), text);
        build_ok(&s);
        assert_eq!(
            s.out("incidents/kalamba/index.html"),
            lf.out("incidents/kalamba/index.html"),
            "{name}"
        );
        assert!(
            tree(&s.path("public")) == want,
            "{name}: output tree differs from the LF build"
        );
    }
    // Line numbers count the same in every variant.
    let bad = "---\ntitle: ok\ndate: 2024-03-22\nsummary: Attack: Kaya\n---\nBody\n";
    for (name, text) in [
        ("lf", bad.to_string()),
        ("crlf", bad.replace('\n', "\r\n")),
        ("cr", bad.replace('\n', "\r")),
        ("mixed", bad.replacen('\n', "\r\n", 2)),
    ] {
        let s = Site::basic();
        s.file(&inc("bad"), &text);
        let r = build_fails(&s);
        let d = one_error(&r);
        assert_eq!((d.line, d.col), (4, 16), "{name}: {d}");
    }
}

// A.9
#[test]
fn invalid_utf8_byte_is_reported_at_its_line_and_column() {
    let site = Site::basic();
    site.bytes(
        &inc("front"),
        b"---\ntitle: \x93Kaya\x94\ndate: 2024-03-22\n---\n",
    );
    site.bytes(
        &inc("body"),
        b"---\ntitle: ok\ndate: 2024-03-22\n---\nLine one.\nSa\x92id said.\n",
    );
    let r = build_fails(&site);
    let d = error_in(&r, "front.md");
    at(d, "encoding", "content/incidents/front.md", 2, 8);
    assert!(d.message.contains("0x93"), "{d}");
    assert!(hint(d).contains("UTF-8"), "{d}");
    let d = error_in(&r, "body.md");
    at(d, "encoding", "content/incidents/body.md", 6, 3);
    assert!(hint(d).contains("UTF-8"), "{d}");
}

// A.10
#[test]
fn utf16_file_is_not_supported_rather_than_mojibake() {
    let text = "---\ntitle: Kaya\ndate: 2024-03-22\n---\nBody\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let site = Site::basic();
    site.bytes(&inc("le"), &le);
    site.bytes(&inc("be"), &be);
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", all(&r));
    for stem in ["le", "be"] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert_diag(d, "encoding", &inc(stem), 1);
        assert!(d.message.contains("UTF-16 is not supported"), "{d}");
        assert!(!d.message.contains("front matter"), "{d}");
    }
}

// A.11
#[test]
fn nul_and_control_characters_are_reported_at_line_and_column() {
    let site = Site::basic();
    site.bytes(&inc("nul"), b"---\ntitle: a\0b\ndate: 2024-03-22\n---\n");
    site.bytes(
        &inc("esc"),
        b"---\ntitle: ok\ndate: 2024-03-22\n---\nab\x1b[31m\n",
    );
    let r = build_fails(&site);
    let d = error_in(&r, "nul.md");
    at(d, "control-character", "content/incidents/nul.md", 2, 9);
    assert!(
        d.message.contains("U+0000") && !d.message.contains("position"),
        "{d}"
    );
    at(
        error_in(&r, "esc.md"),
        "control-character",
        "content/incidents/esc.md",
        5,
        3,
    );
}

// A.12
#[test]
fn file_over_the_size_limit_is_refused_by_name_quickly() {
    let site = Site::basic();
    let path = site.path(&inc("huge"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(b"---\ntitle: Huge\ndate: 2024-03-22\nsummary: ")
            .unwrap();
        // 20 MB scalar: sparse zeroes past the header, cheap to create.
        f.set_len(casefile::fsx::MAX_FILE_BYTES + 4 * 1024 * 1024)
            .unwrap();
    }
    let r = within(Duration::from_secs(2), "oversized file", || {
        build_fails(&site)
    });
    let d = one_error(&r);
    assert_diag(d, "file-too-large", "content/incidents/huge.md", 0);
    assert!(
        d.to_string()
            .starts_with("content/incidents/huge.md: error"),
        "{d}"
    );
    assert!(
        d.message
            .contains(&casefile::fsx::MAX_FILE_BYTES.to_string()),
        "{d}"
    );
}

// A.8, A.9
#[test]

fn invalid_utf8_in_a_lone_cr_file_counts_lines_like_lf() {
    let site = Site::basic();
    site.bytes(&inc("cr"), b"---\rtitle: \x93Kaya\rdate: 2024-03-22\r---\r");
    let r = build_fails(&site);
    at(one_error(&r), "encoding", "content/incidents/cr.md", 2, 8);
}

// A.9, B.14: columns count characters, not bytes.
#[test]
fn columns_count_characters_not_bytes() {
    let site = Site::basic();
    site.file(
        &inc("colon"),
        "---\ntitle: Attaque à Kaya: x\ndate: 2024-03-22\n---\n",
    );
    site.bytes(
        &inc("utf8"),
        &["---\ntitle: Tillabéri ".as_bytes(), b"\x93\n"].concat(),
    );
    let r = build_fails(&site);
    at(
        error_in(&r, "colon.md"),
        "yaml-syntax",
        "content/incidents/colon.md",
        2,
        22,
    );
    at(
        error_in(&r, "utf8.md"),
        "encoding",
        "content/incidents/utf8.md",
        2,
        18,
    );
    let site = Site::basic();
    site.file(
        &inc("coord"),
        "---\ntitle: à\ndate: 2024-03-22\nlocation: {name: Tillabéri, lat: 91}\n---\n",
    );
    let r = build_fails(&site);
    at(
        one_error(&r),
        "invalid-coordinate",
        "content/incidents/coord.md",
        4,
        34,
    );
}

// A.1–A.11 apply to site.yaml too.
#[test]
fn broken_site_yaml_is_reported_at_its_line_and_column() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file(
        "site.yaml",
        "title: Sahel: monitor\nbase_url: https://example.org/\n",
    );
    let r = build_fails(&site);
    at(one_error(&r), "yaml-syntax", "site.yaml", 1, 13);
    let site = Site::basic();
    site.incident("a", "", "");
    site.bytes(
        "site.yaml",
        b"title: Sahel \x93monitor\x94\nbase_url: https://example.org/\n",
    );
    let r = build_fails(&site);
    at(one_error(&r), "encoding", "site.yaml", 1, 14);
}

// ---------------------------------------------------------------------------------------
// B. YAML semantics

// B.13
#[test]
fn tab_indentation_is_an_error_asking_for_spaces() {
    let site = Site::basic();
    site.file(
        &inc("tab"),
        "---\ntitle: a\ndate: 2024-03-22\nlocation:\n\tname: Kaya\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "tab-indentation", "content/incidents/tab.md", 5, 1);
    assert!(hint(d).contains("spaces"), "{d}");
}

// B.14
#[test]
fn unquoted_colon_is_an_error_at_col_14_asking_to_quote() {
    let site = Site::basic();
    site.file(
        &inc("colon"),
        "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "yaml-syntax", "content/incidents/colon.md", 2, 14);
    assert!(hint(d).contains("quote"), "{d}");
}

// B.15
#[test]
fn unclosed_quote_is_reported_at_the_opening_quote() {
    let site = Site::basic();
    site.file(
        &inc("quote"),
        "---\ntitle: \"Attack on Kaya\ndate: 2024-03-22\ntags: [a]\n---\nBody\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "yaml-syntax", "content/incidents/quote.md", 2, 8);
    assert!(d.message.contains("quote"), "{d}");
}

// B.16
#[test]
fn duplicate_key_names_the_key_and_both_lines() {
    let site = Site::basic();
    site.file(
        &inc("dup"),
        "---\ntitle: a\ndate: 2024-03-22\ntitle: b\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "duplicate-key", "content/incidents/dup.md", 4);
    assert!(
        d.message.contains("`title`")
            && d.message.contains("line 2")
            && d.message.contains("line 4"),
        "{d}"
    );
}

// B.16
#[test]

fn duplicate_nested_key_names_its_own_first_line() {
    let site = Site::basic();
    site.file(
        "content/groups/dup.md",
        "---\nname: Group\nformer_names:\n  - name: Old\n    name: Older\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "duplicate-key", "content/groups/dup.md", 5);
    assert!(
        d.message.contains("first at line 4") && d.message.contains("line 5"),
        "{d}"
    );
}

// B.17
#[test]
fn typo_key_warns_in_build_and_errors_when_strict() {
    let site = Site::basic();
    site.incident("typo", "fatalitis: 2\n", "Body\n");
    let r = build_ok(&site);
    let w: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| !d.is_error()).collect();
    assert_eq!(w.len(), 1, "{:#?}", all(&r));
    assert_diag(w[0], "unknown-key", "content/incidents/typo.md", 4);
    assert_eq!(w[0].col, 1);
    assert!(hint(w[0]).contains("did you mean `fatalities`"), "{}", w[0]);

    let strict = Site::basic();
    strict.incident("typo", "fatalitis: 2\n", "Body\n");
    let r = strict.build_with(|o| o.strict = true);
    assert!(!r.written && !strict.path("public").exists());
    let d = one_error(&r);
    at(d, "unknown-key", "content/incidents/typo.md", 4, 1);
    assert!(hint(d).contains("did you mean `fatalities`"), "{d}");
}

// B.17
#[test]

fn unknown_key_is_located_at_the_key_not_inside_a_value() {
    let site = Site::basic();
    site.file(
        &inc("typo"),
        "---\ntitle: a\ndate: 2024-03-22\nsummary: \"typo fatalitis: here\"\nfatalitis: 2\n---\n",
    );
    let r = site.build_with(|o| o.strict = true);
    assert!(!r.written);
    at(
        one_error(&r),
        "unknown-key",
        "content/incidents/typo.md",
        5,
        1,
    );
}

// B.18
#[test]
fn wrong_value_types_are_errors_at_the_value() {
    let site = Site::basic();
    site.incident("many", "fatalities: many\n", "");
    site.incident("negative", "fatalities: -3\n", "");
    site.incident("fraction", "fatalities: 1.5\n", "");
    site.incident("scalar-tags", "tags: sahel\n", "");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", all(&r));
    for stem in ["many", "negative", "fraction"] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(d, "yaml-type", &inc(stem), 4, 13);
        assert!(d.message.contains("fatalities"), "{d}");
    }
    let d = error_in(&r, "scalar-tags.md");
    at(d, "yaml-type", "content/incidents/scalar-tags.md", 4, 7);
    assert!(hint(d).contains("list"), "{d}");
}

// B.19
#[test]
fn blank_null_or_empty_title_is_title_is_empty() {
    let site = Site::basic();
    site.file(&inc("blank"), "---\ntitle:\ndate: 2024-03-22\n---\n");
    site.file(&inc("tilde"), "---\ntitle: ~\ndate: 2024-03-22\n---\n");
    site.file(&inc("quoted"), "---\ntitle: \"\"\ndate: 2024-03-22\n---\n");
    site.file(
        &inc("spaces"),
        "---\ntitle: \"   \"\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", all(&r));
    for stem in ["blank", "tilde", "quoted", "spaces"] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert_diag(d, "empty-field", &inc(stem), 2);
        assert!(d.message.contains("title is empty"), "{d}");
    }
}

// B.20
#[test]
fn draft_takes_only_true_or_false() {
    let site = Site::basic();
    site.incident("yes", "draft: yes\n", "");
    site.incident("on", "draft: on\n", "");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", all(&r));
    for stem in ["yes", "on"] {
        let d = error_in(&r, &format!("{stem}.md"));
        at(d, "yaml-type", &inc(stem), 4, 8);
        assert!(hint(d).contains("true or false"), "{d}");
    }
}

// B.20
#[test]
fn yaml_11_booleans_stay_text() {
    let site = Site::basic();
    site.file(&inc("norway"), "---\ntitle: 1984\ndate: 2024-03-22\nlocation: {name: 12, country: NO}\ntags: [yes, no, on, off, y, n, 2024, true, 1.5, 0x1F]\n---\n");
    build_ok(&site);
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["title"], "1984");
    assert_eq!(json[0]["location"]["country"], "NO");
    assert_eq!(json[0]["location"]["name"], "12");
    assert_eq!(
        json[0]["tags"],
        serde_json::json!([
            "yes", "no", "on", "off", "y", "n", "2024", "true", "1.5", "0x1F"
        ])
    );
}

// B.21
#[test]
fn billion_laughs_is_an_error_within_two_seconds() {
    let mut front = String::from(
        "---\ntitle: Laughs\ndate: 2024-03-22\nlol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, next) = (w[0], w[1]);
        front.push_str(&format!(
            "{next}: &{next} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    front.push_str("tags: *i\n---\n");
    let site = Site::basic();
    site.file(&inc("laughs"), &front);
    let r = within(Duration::from_secs(2), "billion laughs", || {
        build_fails(&site)
    });
    let d = one_error(&r);
    assert_diag(d, "yaml-limit", "content/incidents/laughs.md", d.line);
    assert!(d.line >= 4, "no line: {d}");
}

// B.22
#[test]
fn self_referential_and_deep_aliases_are_errors_without_overflow() {
    let site = Site::basic();
    site.file(
        &inc("selfref"),
        "---\ntitle: a\ndate: 2024-03-22\ntags: &a [*a]\n---\n",
    );
    let mut deep = String::from("---\ntitle: a\ndate: 2024-03-22\nx0: &x0 [deep]\n");
    for i in 1..200 {
        deep.push_str(&format!("x{i}: &x{i} [*x{}]\n", i - 1));
    }
    deep.push_str("tags: *x199\n---\n");
    site.file(&inc("deep"), &deep);
    let r = within(Duration::from_secs(2), "aliases", || build_fails(&site));
    let d = error_in(&r, "selfref.md");
    assert_diag(d, d.code.name, "content/incidents/selfref.md", 4);
    assert!(d.code.name.starts_with("yaml"), "{d}");
    let d = error_in(&r, "deep.md");
    assert!(d.line > 0 && d.code.name.starts_with("yaml"), "{d}");
}

// B.23
#[test]
fn eighty_thousand_open_brackets_fail_fast() {
    for open in ["[", "{"] {
        let site = Site::basic();
        site.file(
            &inc("brackets"),
            &format!(
                "---\ntitle: a\ndate: 2024-03-22\ntags: {}\n---\n",
                open.repeat(80_000)
            ),
        );
        let r = within(Duration::from_secs(2), &format!("{open} x 80000"), || {
            build_fails(&site)
        });
        let d = one_error(&r);
        assert_diag(d, d.code.name, "content/incidents/brackets.md", 4);
        assert!(d.code.name.starts_with("yaml"), "{d}");
    }
}

// B.24
#[test]
fn ten_thousand_levels_of_block_nesting_is_an_error_without_overflow() {
    // 10,000 compact block sequences (`- - - …`), under a typed and an unknown key, and
    // 2,000 indented block maps.
    let seqs = format!(
        "---\ntitle: a\ndate: 2024-03-22\ntags:\n{}x\n---\n",
        "- ".repeat(10_000)
    );
    let nest = format!(
        "---\ntitle: a\ndate: 2024-03-22\nnest:\n{}x\n---\n",
        "- ".repeat(10_000)
    );
    let mut maps = String::from("---\ntitle: a\ndate: 2024-03-22\nlocation:\n");
    for depth in 1..2_000 {
        maps.push_str(&" ".repeat(depth));
        maps.push_str("a:\n");
    }
    maps.push_str("---\n");
    let site = Site::basic();
    site.file(&inc("seqs"), &seqs);
    site.file(&inc("nest"), &nest);
    site.file(&inc("maps"), &maps);
    let r = within(Duration::from_secs(5), "deep nesting", || {
        build_fails(&site)
    });
    assert_eq!(r.errors(), 3, "{:#?}", all(&r));
    let d = error_in(&r, "seqs.md");
    assert!(d.line >= 4 && d.code.name.starts_with("yaml"), "{d}");
    for stem in ["nest", "maps"] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert!(d.line >= 4, "{d}");
        assert_eq!(d.code.name, "yaml-limit", "{d}");
    }
}

// B.26
#[test]
fn tags_and_merge_keys_are_rejected_never_read() {
    let site = Site::basic();
    site.file(
        &inc("include"),
        "---\ntitle: !include /etc/passwd\ndate: 2024-03-22\n---\n",
    );
    site.file(
        &inc("custom"),
        "---\ntitle: a\ndate: 2024-03-22\ntags: [!foo bar]\n---\n",
    );
    site.file(&inc("merge"), "---\ntitle: a\ndate: 2024-03-22\nbase: &base {name: Kaya}\nlocation:\n  <<: *base\n  country: Burkina Faso\n---\n");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", all(&r));
    for (stem, line) in [("include", 2), ("custom", 4)] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert_diag(d, "yaml-tag", &inc(stem), line);
        assert!(
            !d.message.contains("root:") && !hint(d).contains("root:"),
            "{d}"
        );
    }
    let d = error_in(&r, "merge.md");
    assert_diag(d, "yaml-tag", "content/incidents/merge.md", 6);
    assert!(d.message.contains("merge"), "{d}");
}

// B.26
#[test]

fn binary_tag_is_rejected_not_decoded() {
    let site = Site::basic();
    site.file(
        &inc("binary"),
        "---\ntitle: a\ndate: 2024-03-22\nsummary: !!binary aGVsbG8=\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "yaml-tag", "content/incidents/binary.md", 4);
}

// B.27
#[test]
fn ordinary_anchors_and_aliases_are_allowed_within_the_budget() {
    let site = Site::basic();
    site.incident(
        "anchors",
        "groups:\n  - {group: &j JNIM, role: target}\nweapons:\n  - {weapon: rpg-7, status: captured, from: *j}\ntags: [&t sahel, *t]\n",
        "Body\n",
    );
    build_ok(&site);
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["weapons"][0]["from"], "jnim");
    assert_eq!(json[0]["tags"], serde_json::json!(["sahel", "sahel"]));
}

// B.27
#[test]
fn aliases_over_the_budget_are_an_error() {
    let site = Site::basic();
    let aliases = vec!["*t"; 500].join(", ");
    site.file(
        &inc("many"),
        &format!("---\ntitle: a\ndate: 2024-03-22\ntags: [&t x, {aliases}]\n---\n"),
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_diag(d, "yaml-limit", "content/incidents/many.md", 4);
}

// ---------------------------------------------------------------------------------------
// C. Model and references

// C.28
#[test]
fn unknown_group_reference_is_an_error_at_it_with_candidates() {
    let site = Site::basic();
    site.incident(
        "ref",
        "groups:\n  - {group: JNM, role: attacker}\n  - IS Sahel\n",
        "",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "unknown-group", "content/incidents/ref.md", 5, 13);
    assert!(d.message.contains("JNM"), "{d}");
    assert!(
        hint(d).to_lowercase().contains("did you mean `jnim`"),
        "{d}"
    );
}

// C.29
#[test]
fn alias_shared_by_two_groups_is_ambiguous_listing_both_files() {
    let site = Site::basic();
    site.file(
        "content/groups/katiba-a.md",
        "---\nname: Katiba A\naliases: [Macina]\n---\n",
    );
    site.file(
        "content/groups/katiba-b.md",
        "---\nname: Katiba B\naliases: [macina]\n---\n",
    );
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_eq!(d.code.name, "ambiguous-name", "{d}");
    assert!(d.line > 0, "{d}");
    assert!(
        d.message.contains("content/groups/katiba-a.md")
            && d.message.contains("content/groups/katiba-b.md"),
        "{d}"
    );
}

// C.30
#[test]
fn differently_written_references_are_one_entity_one_page() {
    let site = Site::basic();
    site.incident("one", "groups: [JNIM]\n", "");
    site.incident("two", "groups: [jnim]\n", "");
    site.incident("three", "groups: [\" Jnim \"]\n", "");
    site.incident(
        "four",
        "groups: [\"Jama’at Nusrat al Islam wal Muslimin\"]\n",
        "",
    );
    build_ok(&site);
    let groups: Vec<String> = tree(&site.path("public/groups"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        groups,
        vec!["index.html", "is-sahel/index.html", "jnim/index.html"]
    );
    let json: serde_json::Value = serde_json::from_str(&site.out("data/groups.json")).unwrap();
    let jnim = json
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "jnim")
        .unwrap();
    assert_eq!(jnim["incident_count"], 4);
}

// C.31
#[test]
fn parent_cycles_are_reported_with_their_members() {
    let site = Site::basic();
    site.file(
        "content/groups/alpha.md",
        "---\nname: Alpha\nparent: beta\n---\n",
    );
    site.file(
        "content/groups/beta.md",
        "---\nname: Beta\nparent: alpha\n---\n",
    );
    site.file(
        "content/groups/ouroboros.md",
        "---\nname: Ouroboros\nparent: ouroboros\n---\n",
    );
    site.file(
        "content/weapons/m70.md",
        "---\nname: M70\ncategory: assault rifle\nparent: m70ab2\n---\n",
    );
    site.file(
        "content/weapons/m70ab2.md",
        "---\nname: M70AB2\ncategory: assault rifle\nparent: M70\n---\n",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", all(&r));
    let w: Vec<&Diagnostic> = errs(&r)
        .into_iter()
        .filter(|d| slash(&d.file).starts_with("content/weapons/"))
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", all(&r));
    assert_eq!((w[0].code.name, w[0].line), ("parent-cycle", 4), "{}", w[0]);
    assert!(w[0].message.contains("m70 -> m70ab2 -> m70"), "{}", w[0]);
    let two: Vec<&Diagnostic> = errs(&r)
        .into_iter()
        .filter(|d| d.message.contains("alpha"))
        .collect();
    assert_eq!(two.len(), 1, "{:#?}", all(&r));
    assert_eq!(two[0].code.name, "parent-cycle");
    assert_eq!(two[0].line, 3, "{}", two[0]);
    assert!(two[0].message.contains("beta"), "{}", two[0]);
    let d = error_in(&r, "ouroboros.md");
    at(d, "parent-cycle", "content/groups/ouroboros.md", 3, 1);
    assert!(d.message.contains("ouroboros -> ouroboros"), "{d}");
}

// C.31
#[test]
fn long_parent_chain_is_accepted_and_a_cycle_in_it_reported() {
    let make = |cycle: bool| {
        let site = Site::new();
        for i in 0..500 {
            let parent = if i < 499 {
                format!("\nparent: g{}", i + 1)
            } else if cycle {
                "\nparent: g0".into()
            } else {
                String::new()
            };
            site.file(
                &format!("content/groups/g{i}.md"),
                &format!("---\nname: Group number {i}{parent}\n---\n"),
            );
        }
        site
    };
    let chain = make(false);
    let r = within(Duration::from_secs(10), "500-long chain", || {
        chain.build_with(|o| o.dry_run = true)
    });
    assert_eq!(r.errors(), 0, "{:#?}", all(&r));
    assert_eq!(r.counts.groups, 500);
    let cyclic = make(true);
    let r = within(Duration::from_secs(5), "500-long cycle", || {
        build_fails(&cyclic)
    });
    let d = one_error(&r);
    assert_eq!(d.code.name, "parent-cycle", "{d}");
    assert!(d.line > 0, "{d}");
    assert!(
        d.message.contains("g0") && d.message.contains("g499") && d.message.contains("g250"),
        "{d}"
    );
}

// C.32
#[test]
fn impossible_dates_are_errors_and_month_takes_month_precision() {
    let site = Site::basic();
    for (stem, date) in [
        ("feb30", "2024-02-30"),
        ("month13", "2024-13-01"),
        ("short", "24-03-22"),
        ("offset", "2024-03-22T10:00:00+99:00"),
    ] {
        site.file(&inc(stem), &format!("---\ntitle: a\ndate: {date}\n---\n"));
    }
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", all(&r));
    for stem in ["feb30", "month13", "short", "offset"] {
        at(
            error_in(&r, &format!("{stem}.md")),
            "invalid-date",
            &inc(stem),
            3,
            7,
        );
    }
    let ok = Site::basic();
    ok.file(
        &inc("march"),
        "---\ntitle: Sometime in March\ndate: 2024-03\n---\n",
    );
    build_ok(&ok);
    let json: serde_json::Value = serde_json::from_str(&ok.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["date"], "2024-03");
    assert_eq!(json[0]["date_precision"], "month");
}

// C.33
#[test]
fn out_of_range_and_non_finite_coordinates_are_errors() {
    let site = Site::basic();
    let cases = [
        ("lat91", "lat", "91"),
        ("lon181", "lon", "-181"),
        ("nan", "lat", ".nan"),
        ("inf", "lon", ".inf"),
        ("neginf", "lat", "-.inf"),
    ];
    for (stem, key, v) in cases {
        site.file(
            &inc(stem),
            &format!(
                "---\ntitle: a\ndate: 2024-03-22\nlocation:\n  name: Kaya\n  {key}: {v}\n---\n"
            ),
        );
    }
    let r = build_fails(&site);
    assert_eq!(r.errors(), cases.len(), "{:#?}", all(&r));
    for (stem, _, _) in cases {
        at(
            error_in(&r, &format!("{stem}.md")),
            "invalid-coordinate",
            &inc(stem),
            6,
            8,
        );
    }
}

// C.34
#[test]
fn broken_content_link_and_fragment_are_errors_at_the_link() {
    let site = Site::basic();
    site.incident("links", "", "Intro.\n\nSee [the group](@/groups/missing.md) here.\n\nAnd [history](@/groups/jnim.md#no-such-id).\n");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", all(&r));
    let e = errs(&r);
    at(
        e[0],
        "broken-content-link",
        "content/incidents/links.md",
        7,
        5,
    );
    at(e[1], "broken-fragment", "content/incidents/links.md", 9, 5);
    assert!(e[1].message.contains("no-such-id"), "{}", e[1]);
}

// ---------------------------------------------------------------------------------------
// D. Markdown and HTML

const HOSTILE_HTML: &str = "Intro.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<a href=\"javascript:alert(1)\">raw link</a> <svg onload=alert(1)></svg>\n\n<div onclick=\"alert(1)\" style=\"background:url(javascript:alert(1))\">div</div>\n\n<object data=\"x.swf\"></object><embed src=\"x.swf\">\n\n\
<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><base href=\"https://evil.example/\"><style>body{display:none}</style>\n\n\
<form action=\"https://evil.example/\"><input name=x></form> <a href=\"javascript&#58;alert(1)\">entity</a>\n\n\
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n\n\
<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>\n";

// D.35
#[test]
fn script_handlers_and_iframes_are_not_live_in_output() {
    let site = Site::basic();
    site.incident("xss", "", HOSTILE_HTML);
    site.file(
        "content/groups/jnim.md",
        &format!(
            "---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\n---\n{HOSTILE_HTML}"
        ),
    );
    site.file(
        "content/pages/about.md",
        &format!("---\ntitle: About\n---\n{HOSTILE_HTML}"),
    );
    build_ok(&site);
    let files = html_files(&site);
    assert!(files.len() > 5);
    for (path, html) in &files {
        assert_inert_html(path, html);
        assert!(
            !html.contains("alert(1)</script>") && !html.contains("<script"),
            "{path}"
        );
    }
    assert!(site.out("incidents/xss/index.html").contains("Intro."));
}

// D.36
#[test]
fn dangerous_link_schemes_are_neutralised() {
    let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) [d](java\tscript:alert(1))\n\n\
<javascript:alert(1)> [e](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [f](vbscript:msgbox(1))\n\n\
![img](javascript:alert(1)) ![img2](data:image/svg+xml,<svg/onload=alert(1)>)\n\n\
[ref][r] [t](https://example.org/ \"\\\" onmouseover=alert(1) x=\\\"\")\n\n[r]: javascript:alert(1)\n\n[ok](https://example.org/) [mail](mailto:a@example.org) [rel](/about/)\n";
    let site = Site::basic();
    site.incident("links", "", body);
    build_ok(&site);
    let html = site.out("incidents/links/index.html");
    assert_inert_html("incidents/links/index.html", &html);
    assert!(
        html.contains("href=\"https://example.org/\"")
            && html.contains("href=\"mailto:a@example.org\"")
            && html.contains("href=\"/about/\"")
    );
}

// D.37
#[test]
fn markup_in_title_and_summary_is_escaped_in_every_format() {
    let payload =
        "\"><img src=x onerror=alert(1)> </script> ]]> & 'q' =HYPERLINK(1) {{ 7*7 }} {% raw %}";
    let yaml = payload.replace('\'', "''");
    let site = Site::basic();
    site.file(&inc("xss"), &format!("---\ntitle: '{yaml}'\ndate: 2024-03-22\nsummary: '{yaml}'\nlocation: {{name: '{yaml}', country: '{yaml}'}}\ntags: ['{yaml}']\n---\nBody.\n"));
    build_ok(&site);
    for (path, html) in html_files(&site) {
        assert_inert_html(&path, &html);
        assert!(!html.contains("<img src=x"), "{path}: unescaped payload");
    }
    // Text, <title>, meta description.
    let html = site.out("incidents/xss/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let title: String = doc.select(&sel("title")).next().unwrap().text().collect();
    assert!(title.starts_with(payload), "<title>{title}</title>");
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(h1.trim(), payload);
    let meta = doc.select(&sel("meta[name=description]")).next().unwrap();
    assert_eq!(meta.value().attr("content"), Some(payload));
    let og = doc
        .select(&sel("meta[property=\"og:title\"]"))
        .next()
        .unwrap();
    assert_eq!(og.value().attr("content"), Some(payload));
    // Atom: well-formed, no live markup.
    let atom = site.out("atom.xml");
    let mut reader = quick_xml::Reader::from_str(&atom);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("atom.xml is not well-formed: {e}\n{atom}"),
        }
    }
    assert!(
        !atom.contains("<img") && !atom.contains("</script>"),
        "{atom}"
    );
    assert!(
        atom.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{atom}"
    );
    // JSON round-trips the text exactly.
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["title"], payload);
    assert_eq!(json[0]["summary"], payload);
    // CSV round-trips it (it does not start with a formula character).
    let csv_text = site.out("data/incidents.csv");
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let row = rd.records().next().unwrap().unwrap();
    assert_eq!(&row[1], payload);
    assert_eq!(&row[9], payload, "location name");
}

// D.37
#[test]
fn csv_cells_a_spreadsheet_would_run_are_defused() {
    let site = Site::basic();
    site.file(&inc("f"), "---\ntitle: '=HYPERLINK(\"http://evil/\")'\ndate: 2024-03-22\nlocation: {name: '@SUM(1)', country: '+1', admin1: '-2'}\ntags: ['=x']\n---\n");
    build_ok(&site);
    let csv_text = site.out("data/incidents.csv");
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let row = rd.records().next().unwrap().unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell("title"), "'=HYPERLINK(\"http://evil/\")");
    assert_eq!(cell("location"), "'@SUM(1)");
    assert_eq!(cell("country"), "'+1");
    assert_eq!(cell("admin1"), "'-2");
    assert_eq!(cell("tags"), "'=x");
    // The JSON export keeps the text as written.
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["title"], "=HYPERLINK(\"http://evil/\")");
}

// D.38
#[test]
fn non_http_source_urls_are_model_errors() {
    let site = Site::basic();
    site.incident("js", "sources: [javascript:alert(1)]\n", "");
    site.incident(
        "data",
        "sources:\n  - {title: x, url: \"data:text/html,<script>alert(1)</script>\"}\n",
        "",
    );
    site.incident(
        "evidence",
        "weapons:\n  - {weapon: rpg-7, evidence: [\"vbscript:msgbox(1)\"]}\n",
        "",
    );
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", all(&r));
    at(
        error_in(&r, "js.md"),
        "invalid-url",
        "content/incidents/js.md",
        4,
        11,
    );
    at(
        error_in(&r, "data.md"),
        "invalid-url",
        "content/incidents/data.md",
        5,
        21,
    );
    at(
        error_in(&r, "evidence.md"),
        "invalid-url",
        "content/incidents/evidence.md",
        5,
        32,
    );
    assert!(hint(error_in(&r, "js.md")).contains("http"));
}

// D.39
#[test]
fn summary_cut_from_a_long_paragraph_is_valid_text() {
    let para = "Attaque à Kaya & <b>combat</b> près de Kalamba — 🙂 ".repeat(20);
    let site = Site::basic();
    site.incident("long", "", &format!("{para}\n\nSecond paragraph.\n"));
    build_ok(&site);
    let list = site.out("incidents/index.html");
    let doc = scraper::Html::parse_document(&list);
    let p = doc
        .select(&scraper::Selector::parse("p.incident-row-summary").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        p.children().filter(|c| c.value().is_element()).count(),
        0,
        "markup in summary: {}",
        p.html()
    );
    let text: String = p.text().collect();
    assert!(text.ends_with('…') && text.chars().count() <= 300, "{text}");
    let json: serde_json::Value = serde_json::from_str(&site.out("data/incidents.json")).unwrap();
    assert_eq!(json[0]["summary"].as_str().unwrap(), text);
}

// D.40
#[test]
fn pathological_markdown_renders_fast() {
    let inputs: [(&str, String); 5] = [
        ("brackets", "[ (](".repeat(80_000)),
        ("stars", "a***".repeat(160_000)),
        ("comments", "!-- <".repeat(80_000)),
        ("quotes", ">".repeat(100_000)),
        ("footnotes", "[^\n".repeat(40_000)),
    ];
    for (stem, body) in inputs {
        let site = Site::basic();
        site.incident(stem, "", &body);
        let r = within(Duration::from_secs(5), stem, || {
            site.build_with(|o| o.dry_run = true)
        });
        assert_eq!(r.errors(), 0, "{stem}: {:#?}", all(&r));
    }
}

// D.41
#[test]
fn known_crash_inputs_do_not_panic() {
    let site = Site::basic();
    for (i, body) in [
        "<!S\r:",
        ">\n >>><N\n",
        "- [x]\t\t\n\\\n-",
        "*__#_#__*",
        "[^1]:\n- [^1]\n",
        "|a|\n|-|\n|`|`|\n",
    ]
    .iter()
    .enumerate()
    {
        site.incident(&format!("crash-{i}"), "", body);
    }
    let r = build_ok(&site);
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.code.name != "render-failure"),
        "{:#?}",
        all(&r)
    );
}

// D.42
#[test]
fn wikilink_like_input_gives_bounded_output() {
    let site = Site::basic();
    site.incident("wiki", "", &"[[a|]]".repeat(16));
    build_ok(&site);
    let empty = Site::basic();
    empty.incident("wiki", "", "");
    build_ok(&empty);
    let grew = site
        .out("incidents/wiki/index.html")
        .len()
        .saturating_sub(empty.out("incidents/wiki/index.html").len());
    assert!(grew < 1_000, "16 wikilinks added {grew} bytes");
}

// D.43
#[test]
fn one_link_definition_used_3000_times_stays_bounded() {
    let body = format!(
        "{}\n\n[x]: https://example.org/a-fairly-long-path/to-a-report \"Title\"\n",
        "[x] ".repeat(3_000)
    );
    let site = Site::basic();
    site.incident("refs", "", &body);
    build_ok(&site);
    let len = site.out("incidents/refs/index.html").len();
    assert!(len < 3_000 * 120 + 20_000, "output is {len} bytes");
}

/// Every `id` on a page, in document order.
fn page_ids(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    doc.tree
        .nodes()
        .filter_map(scraper::ElementRef::wrap)
        .filter_map(|e| e.value().id().map(str::to_string))
        .collect()
}

fn assert_unique_ids(html: &str) {
    let ids = page_ids(html);
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "duplicate ids on the page: {ids:?}"
    );
}

// D.44
#[test]
fn repeated_emoji_and_rtl_headings_get_unique_stable_ids() {
    let body = "## Background\n\nA.\n\n## Background\n\nB.\n\n## 🙂\n\n## 🙂\n\n## مرحبا\n";
    let build = || {
        let site = Site::basic();
        site.incident("ids", "", body);
        build_ok(&site);
        site.out("incidents/ids/index.html")
    };
    let html = build();
    assert_unique_ids(&html);
    let ids = page_ids(&html);
    assert!(
        ids.contains(&"background".to_string()) && ids.contains(&"background-2".to_string()),
        "{ids:?}"
    );
    assert!(ids.iter().all(|h| !h.is_empty()), "{ids:?}");
    assert_eq!(build(), html, "ids differ between builds");
}

// D.44
#[test]

fn body_heading_ids_do_not_clash_with_template_ids() {
    let site = Site::basic();
    site.incident(
        "ids",
        "",
        "## Summary\n\nA.\n\n## Sources\n\nB.\n\n## Groups\n\n## Related\n\n## Main\n",
    );
    build_ok(&site);
    assert_unique_ids(&site.out("incidents/ids/index.html"));
}

// ---------------------------------------------------------------------------------------
// E. Output paths

// E.45
#[test]
fn path_like_slugs_are_errors_and_nothing_is_written_anywhere() {
    let site = Site::basic();
    let slugs = [
        "../../etc/x",
        "/abs",
        "..",
        ".",
        "\"\"",
        "//",
        "a/../../b",
        "a\\..\\b",
    ];
    for (i, s) in slugs.iter().enumerate() {
        site.file(
            &inc(&format!("s{i}")),
            &format!("---\ntitle: a\ndate: 2024-03-22\nslug: {s}\n---\n"),
        );
    }
    let before = tree(site.root());
    let r = build_fails(&site);
    assert_eq!(r.errors(), slugs.len(), "{:#?}", all(&r));
    for i in 0..slugs.len() {
        let d = error_in(&r, &format!("s{i}.md"));
        at(d, "invalid-slug", &inc(&format!("s{i}")), 4, 7);
    }
    assert!(tree(site.root()) == before, "files changed in the site");
    assert!(!Path::new("/abs").exists());
}

// E.46
#[test]
fn sibling_with_a_common_prefix_is_left_alone() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("public-old/keep.txt", "mine");
    site.file(".public-old.casefile-stage-x/keep.txt", "mine too");
    build_ok(&site);
    build_ok(&site);
    assert_eq!(
        std::fs::read_to_string(site.path("public-old/keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(site.path(".public-old.casefile-stage-x/keep.txt")).unwrap(),
        "mine too"
    );
}

// E.45, E.47
#[test]

fn overlong_slug_is_an_invalid_slug_error() {
    let site = Site::basic();
    site.incident("long", &format!("slug: {}\n", "a".repeat(300)), "");
    let r = casefile::build(&site.opts(), &|_| {})
        .unwrap_or_else(|e| panic!("system error instead of a content error: {e}"));
    assert!(!r.written && !site.path("public").exists());
    at(
        one_error(&r),
        "invalid-slug",
        "content/incidents/long.md",
        4,
        7,
    );
}

// E.47
#[test]
fn reserved_and_odd_stems_become_safe_slugs() {
    let site = Site::basic();
    let stems = [
        "CON",
        "aux",
        "nul",
        "Com1",
        "dot-end.",
        "space-end ",
        "q?a#b%c:d*e\"f<g>h|i",
        "مرحبا",
        "🙂",
    ];
    for s in stems {
        site.incident(s, "", "");
    }
    build_ok(&site);
    for slug in [
        "con-1",
        "aux-1",
        "nul-1",
        "com1-1",
        "dot-end",
        "space-end",
        "q-a-b-c-d-e-f-g-h-i",
    ] {
        assert!(
            site.out_exists(&format!("incidents/{slug}/index.html")),
            "no incidents/{slug}/: {:?}",
            tree(&site.path("public/incidents"))
                .into_iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>()
        );
    }
    let pages = tree(&site.path("public/incidents"))
        .into_iter()
        .filter(|(p, _)| p.ends_with("/index.html") && !p.starts_with("page/"))
        .count();
    assert_eq!(pages, stems.len(), "one page per stem");
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    for (path, _) in tree(&site.path("public")) {
        for part in path.split('/') {
            assert!(
                part.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b)),
                "unsafe output path {path}"
            );
            assert!(!part.ends_with('.') && !part.ends_with(' '), "{path}");
            let base = part.split('.').next().unwrap_or("");
            assert!(!RESERVED.contains(&base), "reserved name in {path}");
        }
    }
}

// E.48
#[test]
fn names_differing_only_in_case_collide() {
    let site = Site::basic();
    site.incident("Kalamba", "", "");
    site.incident("kalamba", "", "");
    site.file("content/groups/Foo.md", "---\nname: Foo one\n---\n");
    site.file("content/groups/foo.md", "---\nname: Foo two\n---\n");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", all(&r));
    let mentions_both = |d: &Diagnostic, a: &str, b: &str| {
        let text = format!("{} {}", slash(&d.file), d.message);
        text.contains(a) && text.contains(b)
    };
    let e = errs(&r);
    assert!(
        e.iter().any(|d| d.code.name == "url-collision"
            && mentions_both(d, "incidents/Kalamba.md", "incidents/kalamba.md")),
        "{:#?}",
        all(&r)
    );
    assert!(
        e.iter()
            .any(|d| d.code.name == "duplicate-id"
                && mentions_both(d, "groups/Foo.md", "groups/foo.md")),
        "{:#?}",
        all(&r)
    );
}

// E.49
#[test]
fn two_sources_for_one_url_are_an_error_naming_both() {
    // Stem vs explicit slug.
    let site = Site::basic();
    site.incident("a", "slug: b\n", "");
    site.incident("b", "", "");
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_eq!(d.code.name, "url-collision");
    let text = format!("{} {}", slash(&d.file), d.message);
    assert!(
        text.contains("incidents/a.md") && text.contains("incidents/b.md"),
        "{d}"
    );

    // A static file vs a generated page, and vs a feed.
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("static/incidents/a/index.html", "<p>static</p>");
    site.file("static/atom.xml", "<feed/>");
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", all(&r));
    let page = error_in(&r, "static/incidents/a/index.html");
    assert_eq!(page.code.name, "url-collision");
    assert!(page.message.contains("content/incidents/a.md"), "{page}");
    assert_eq!(error_in(&r, "static/atom.xml").code.name, "url-collision");

    // A free page whose slug is a generated list.
    let site = Site::basic();
    site.file("content/pages/incidents.md", "---\ntitle: Incidents\n---\n");
    let r = build_fails(&site);
    let d = one_error(&r);
    assert_eq!(d.code.name, "url-collision");
    assert!(
        format!("{} {}", slash(&d.file), d.message).contains("content/pages/incidents.md"),
        "{d}"
    );
}

// E.51
#[cfg(unix)]
#[test]
fn symlink_loop_in_content_is_an_error_naming_it() {
    let site = Site::basic();
    site.incident("a", "", "");
    std::os::unix::fs::symlink("..", site.path("content/incidents/loop")).unwrap();
    let r = within(Duration::from_secs(5), "symlink loop", || {
        build_fails(&site)
    });
    let d = one_error(&r);
    assert_eq!(d.code.name, "io", "{d}");
    assert!(slash(&d.file).contains("incidents/loop"), "{d}");
    assert!(d.message.contains("loop"), "{d}");
}

// E.52
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused_never_copied() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "SECRET-KEY").unwrap();
    std::fs::write(
        outside.path().join("x.md"),
        "---\ntitle: SECRET-TITLE\ndate: 2024-03-22\n---\n",
    )
    .unwrap();
    let site = Site::basic();
    site.incident("a", "", "");
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("id_rsa"), site.path("static/key")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.md"),
        site.path("content/incidents/x.md"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("y.md"),
        "---\ntitle: SECRET-TITLE\ndate: 2024-03-22\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), site.path("content/incidents/linked")).unwrap();
    let r = build_fails(&site);
    assert_eq!(r.errors(), 3, "{:#?}", all(&r));
    for file in [
        "static/key",
        "content/incidents/x.md",
        "content/incidents/linked/y.md",
    ] {
        let d = error_in(&r, file);
        assert_eq!(d.code.name, "io", "{d}");
        assert!(d.message.contains("outside"), "{d}");
    }
    // A link inside the site is fine.
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("assets/logo.txt", "logo");
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(site.path("assets/logo.txt"), site.path("static/logo.txt")).unwrap();
    build_ok(&site);
    assert_eq!(site.out("logo.txt"), "logo");
}

// E.52
#[cfg(unix)]
#[test]

fn static_folder_symlinked_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "SECRET-KEY").unwrap();
    let site = Site::basic();
    site.incident("a", "", "");
    std::os::unix::fs::symlink(outside.path(), site.path("static")).unwrap();
    let r = build_fails(&site);
    assert!(
        errs(&r)
            .iter()
            .any(|d| slash(&d.file).starts_with("static") && d.message.contains("outside")),
        "{:#?}",
        all(&r)
    );
}

// E.52
#[cfg(unix)]
#[test]

fn content_folder_symlinked_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("incidents")).unwrap();
    std::fs::write(
        outside.path().join("incidents/z.md"),
        "---\ntitle: OUTSIDE\ndate: 2024-03-22\n---\n",
    )
    .unwrap();
    let site = Site::new();
    std::os::unix::fs::symlink(outside.path(), site.path("content")).unwrap();
    let r = build_fails(&site);
    assert!(
        errs(&r)
            .iter()
            .any(|d| slash(&d.file).starts_with("content") && d.message.contains("outside")),
        "{:#?}",
        all(&r)
    );
}

// E.53
#[test]
fn output_folders_that_would_destroy_the_site_are_refused() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("mine/notes.txt", "not casefile's");
    let before = tree(site.root());
    let root = site.root().to_path_buf();
    for out in [
        root.clone(),
        root.join("content"),
        root.join("content/incidents"),
        root.join("templates"),
        root.join("mine"),
        root.join("."),
        Path::new("/").to_path_buf(),
    ] {
        let o = BuildOptions {
            output: Some(out.clone()),
            ..site.opts()
        };
        match casefile::build(&o, &|_| {}) {
            Err(casefile::Error::Fs(e)) => assert!(
                e.to_string().contains(&out.display().to_string()) || out == Path::new("/"),
                "{e}"
            ),
            Ok(r) => panic!(
                "--output {} accepted: written={} {:#?}",
                out.display(),
                r.written,
                all(&r)
            ),
        }
        assert!(
            tree(site.root()) == before,
            "--output {} changed the site",
            out.display()
        );
    }
    // A symlink that resolves to the site root is the site root.
    #[cfg(unix)]
    {
        let link = tempfile::tempdir().unwrap();
        let out = link.path().join("out");
        std::os::unix::fs::symlink(&root, &out).unwrap();
        let o = BuildOptions {
            output: Some(out.clone()),
            ..site.opts()
        };
        assert!(
            casefile::build(&o, &|_| {}).is_err(),
            "--output symlinked to the site root accepted"
        );
        assert!(tree(site.root()) == before);
    }
    // Checked without building: the parent of the site and the home folder.
    assert!(casefile::write::check_output_dir(&root, &root.join("..")).is_err());
    if let Some(home) = std::env::var_os("HOME") {
        assert!(casefile::write::check_output_dir(&root, Path::new(&home)).is_err());
    }
}

// E.48
#[test]
fn explicit_slug_with_capitals_is_invalid() {
    let site = Site::basic();
    site.incident("a", "slug: JNIM\n", "");
    let r = build_fails(&site);
    let d = one_error(&r);
    at(d, "invalid-slug", "content/incidents/a.md", 4, 7);
    assert!(hint(d).contains("`jnim`"), "{d}");
}

// E.50
#[test]
fn nfc_and_nfd_file_names_give_one_slug_and_collide_deterministically() {
    let nfc = "Tillab\u{e9}ri";
    let nfd = "Tillabe\u{301}ri";
    for stem in [nfc, nfd] {
        let site = Site::basic();
        site.incident(stem, "", "");
        build_ok(&site);
        assert!(
            site.out_exists("incidents/tillaberi/index.html"),
            "{stem:?}"
        );
    }
    let both = Site::basic();
    both.incident(nfc, "", "");
    both.incident(nfd, "", "");
    let r = build_fails(&both);
    let d = one_error(&r);
    assert_eq!(d.code.name, "url-collision", "{d}");
    let again = build_fails(&both);
    assert_eq!(
        all(&again),
        all(&r),
        "collision reported differently on a rebuild"
    );
}

// ---------------------------------------------------------------------------------------
// F. Atomicity and determinism

// F.54
#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = Site::basic();
    site.incident("a", "groups: [JNIM]\n", "Body.\n");
    build_ok(&site);
    let before = tree(&site.path("public"));
    site.file(
        &inc("b"),
        "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    site.incident("a", "groups: [JNIM]\n", "Changed body.\n");
    let r = site.build();
    assert!(!r.written && r.errors() == 1, "{:#?}", all(&r));
    at(
        one_error(&r),
        "yaml-syntax",
        "content/incidents/b.md",
        2,
        14,
    );
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);
}

// F.54
#[test]
fn output_collision_after_a_good_build_leaves_previous_output_untouched() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    let before = tree(&site.path("public"));
    site.file("static/incidents/a/index.html", "<p>shadow</p>");
    let r = site.build();
    assert!(!r.written, "{:#?}", all(&r));
    assert_eq!(one_error(&r).code.name, "url-collision");
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);
}

// F.55
#[test]
fn leftovers_of_an_interrupted_run_are_cleared() {
    let site = Site::basic();
    site.incident("a", "", "");
    build_ok(&site);
    // Killed between the renames of a swap: the output was moved aside.
    std::fs::rename(site.path("public"), site.path(".public.casefile-swap")).unwrap();
    site.incident("b", "", "");
    build_ok(&site);
    assert_no_staging(&site);
    assert!(site.out_exists("incidents/a/index.html") && site.out_exists("incidents/b/index.html"));
}

// F.55: junk or links planted in the spare tree never reach the output.
#[test]
#[cfg(unix)]
fn junk_and_links_in_the_spare_never_reach_the_output() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    build_ok(&site);
    let fresh = Site::basic();
    fresh.incident("a", "", "Body.\n");
    build_ok(&fresh);
    let spare = site.path(".public.casefile-spare");
    assert!(spare.is_dir(), "a rebuild keeps a spare tree");
    std::fs::write(spare.join("junk.html"), "junk").unwrap();
    let target = spare.join("incidents/a/index.html");
    std::fs::remove_file(&target).unwrap();
    let secret = site.path("secret.txt");
    std::fs::write(&secret, "secret").unwrap();
    std::os::unix::fs::symlink(&secret, &target).unwrap();
    build_ok(&site);
    assert!(!site.out_exists("junk.html"));
    let page = site.path("public/incidents/a/index.html");
    assert!(!page.is_symlink());
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    assert!(
        tree(&site.path("public")) == tree(&fresh.path("public")),
        "output differs from a fresh build"
    );
}

// F.55
#[test]
fn system_error_while_writing_leaves_previous_output_and_no_staging() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    let before = tree(&site.path("public"));
    // A name no file system takes: whatever casefile reports, the old tree stays whole.
    site.incident("b", &format!("slug: {}\n", "b".repeat(300)), "");
    match casefile::build(&site.opts(), &|_| {}) {
        Ok(r) => assert!(!r.written && r.errors() > 0, "{:#?}", all(&r)),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    assert!(
        tree(&site.path("public")) == before,
        "previous output changed"
    );
    assert_no_staging(&site);
}

/// A site with several of everything; `reverse` creates the files in the opposite order.
fn rich_site(reverse: bool) -> Site {
    let site = Site::new();
    let mut files: Vec<(String, String)> = vec![
        ("content/groups/jnim.md".into(), "---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\naliases: [GSIM]\nparent: al-qaeda\n---\nA group.\n".into()),
        ("content/groups/al-qaeda.md".into(), "---\nname: al-Qaeda\n---\n".into()),
        ("content/groups/is-sahel.md".into(), "---\nname: Islamic State Sahel Province\nshort_name: IS Sahel\n---\n".into()),
        ("content/weapons/rpg-7.md".into(), "---\nname: RPG-7\ncategory: rpg launcher\norigin: Soviet Union\nammunition: [pg-7v]\n---\n".into()),
        ("content/weapons/pg-7v.md".into(), "---\nname: PG-7V\ncategory: rocket\norigin: Bulgaria\n---\n".into()),
        ("content/weapons/ak-47.md".into(), "---\nname: AK-47\ncategory: assault rifle\norigin: Soviet Union\n---\n".into()),
        ("content/pages/about.md".into(), "---\ntitle: About\n---\n## Method\n\nText.\n".into()),
        ("static/robots.txt".into(), "User-agent: *\n".into()),
    ];
    for i in 0..24 {
        let day = 1 + i % 5;
        let (g, w) = if i % 2 == 0 {
            ("JNIM", "rpg-7")
        } else {
            ("IS Sahel", "ak-47")
        };
        files.push((
            format!("content/incidents/{}/inc-{i:02}.md", 2020 + i % 3),
            format!("---\ntitle: Same title\ndate: 2024-03-0{day}\nlocation: {{name: Place {i}, country: {}}}\ngroups:\n  - {{group: {g}, role: attacker}}\nweapons:\n  - {{weapon: {w}, status: captured, quantity: {i}}}\nfatalities: {}\ntags: [t{}, shared]\n---\nBody of {i}.\n", if i % 2 == 0 { "Mali" } else { "Niger" }, i % 4, i % 3),
        ));
    }
    if reverse {
        files.reverse();
    }
    for (p, t) in &files {
        site.file(p, t);
    }
    site
}

fn build_in_pool(site: &Site, threads: usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let r = pool.install(|| site.build());
    assert_eq!(r.errors(), 0, "{:#?}", all(&r));
    assert!(r.written);
}

// F.56
#[test]
fn output_is_identical_with_1_or_n_threads_and_any_file_order() {
    let one = rich_site(false);
    build_in_pool(&one, 1);
    let many = rich_site(true);
    build_in_pool(&many, 8);
    let (a, b) = (tree(&one.path("public")), tree(&many.path("public")));
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{p} differs between builds");
    }
    // Rebuilding in place with more threads changes nothing either, and leaks no path.
    build_in_pool(&one, 4);
    assert!(tree(&one.path("public")) == a);
    let root = one.root().to_string_lossy().into_owned();
    for (p, bytes) in &a {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&root),
            "{p} contains the machine path {root}"
        );
    }
}

// F.57
#[test]
fn ties_are_broken_by_id() {
    let make = |order: &[&str]| {
        let site = Site::basic();
        for s in order {
            site.incident(s, "", "");
        }
        build_ok(&site);
        let json: serde_json::Value =
            serde_json::from_str(&site.out("data/incidents.json")).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let a = make(&["b", "c", "a"]);
    assert_eq!(a, vec!["a", "b", "c"]);
    assert_eq!(make(&["c", "a", "b"]), a);
}

// F.59
#[test]
fn deleted_incident_disappears_from_output_lists_and_feeds() {
    let site = Site::basic();
    site.file(
        &inc("keep"),
        "---\ntitle: Kept incident\ndate: 2024-03-20\ngroups: [JNIM]\ntags: [kept]\n---\n",
    );
    site.file(&inc("gone"), "---\ntitle: Vanishing incident\ndate: 2024-03-22\ngroups: [JNIM]\ntags: [vanishing]\nlocation: {country: Togo}\n---\n");
    build_ok(&site);
    assert!(
        site.out_exists("incidents/gone/index.html")
            && site.out("atom.xml").contains("Vanishing incident")
    );
    std::fs::remove_file(site.path(&inc("gone"))).unwrap();
    build_ok(&site);
    assert!(!site.out_exists("incidents/gone/index.html"));
    assert!(
        !site.out_exists("tags/vanishing/index.html")
            && !site.out_exists("countries/togo/index.html")
    );
    for (path, bytes) in tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Vanishing incident") && !text.contains("incidents/gone/"),
            "{path} still mentions the deleted incident"
        );
    }
    assert!(site.out("atom.xml").contains("Kept incident"));
    assert_no_staging(&site);
}

// F.55: a file changed in the spare behind casefile's back (same size) is rewritten,
// and no manifest or other bookkeeping ends up inside the output.
#[test]
fn a_tampered_spare_file_of_the_same_size_is_rewritten() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    build_ok(&site);
    build_ok(&site);
    let page = site.path(".public.casefile-spare/incidents/a/index.html");
    let original = std::fs::read(&page).unwrap();
    let tampered: Vec<u8> = original
        .iter()
        .map(|b| if *b == b'B' { b'X' } else { *b })
        .collect();
    assert_ne!(original, tampered);
    std::fs::write(&page, &tampered).unwrap();
    build_ok(&site);
    assert_eq!(
        std::fs::read(site.path("public/incidents/a/index.html")).unwrap(),
        original
    );
    let names: Vec<String> = tree(&site.path("public"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert!(names.iter().all(|p| !p.contains("manifest")), "{names:?}");
}

// ---------------------------------------------------------------------------------------
// H. check and CI

/// Ten kinds of broken file, each with the line its error must name.
fn broken_file(kind: usize) -> (Vec<u8>, u32) {
    let head = "---\ntitle: Broken\ndate: 2024-03-22\n";
    let text = match kind {
        0 => (format!("{head}fatalitis: 3\n---\n"), 4),
        1 => ("---\ntitle: Broken\ndate: 2024-02-30\n---\n".to_string(), 3),
        2 => (format!("{head}groups: [nobody-at-all]\n---\n"), 4),
        3 => (format!("{head}---\nSee [x](@/groups/missing.md).\n"), 5),
        4 => (
            "---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n".to_string(),
            2,
        ),
        5 => (format!("{head}location:\n\tname: Kaya\n---\n"), 5),
        6 => {
            let mut b = format!("{head}---\nok line\n").into_bytes();
            b.extend_from_slice(b"a \x93smart\x94 quote\n");
            return (b, 6);
        }
        7 => ("# Just Markdown\n\nNo front matter.\n".to_string(), 1),
        8 => (format!("{head}title: Again\n---\n"), 4),
        _ => (format!("{head}location:\n  lat: 123\n  lon: 1\n---\n"), 5),
    };
    (text.0.into_bytes(), text.1)
}

// H.71: 50 broken files, one run: every error, sorted by path then line, printed as
// `path:line:col: error[...]`, exit 1, never 101.
#[test]
fn check_reports_fifty_broken_files_sorted_in_one_run() {
    let site = Site::basic();
    let mut expected = Vec::new();
    for i in 0..50 {
        let (bytes, line) = broken_file(i % 10);
        // Spread over folders so that path order and creation order differ.
        let rel = format!("content/incidents/{}/f{:02}.md", 2020 + (i * 7) % 5, 49 - i);
        site.bytes(&rel, &bytes);
        expected.push((rel, line));
    }
    expected.sort();
    let out = assert_cmd::Command::cargo_bin("casefile")
        .unwrap()
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text = format!("{stdout}{stderr}");
    let found: Vec<(String, u32)> = text
        .lines()
        .filter(|l| l.contains(": error["))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let file = parts.next().unwrap().to_string();
            let line: u32 = parts.next().unwrap().parse().unwrap();
            let col: u32 = parts.next().unwrap().parse().unwrap();
            assert!(line >= 1 && col >= 1, "{l}");
            (file, line)
        })
        .collect();
    assert_eq!(found, expected, "{text}");
    assert!(
        text.contains("50 errors"),
        "summary line: {}",
        text.lines().last().unwrap_or("")
    );
    assert!(!site.path("public").exists());
}

// H.72: external links are off by default; internal links and fragments always checked.
#[test]
fn check_is_offline_by_default_but_checks_internal_links() {
    let site = Site::basic();
    site.incident(
        "a",
        "sources: [\"https://nonexistent.invalid/report\"]\n",
        "[gone](https://nonexistent.invalid/page) [bad](/groups/jnim/#no-such-id)\n",
    );
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let errors = errs(&r);
    assert_eq!(errors.len(), 1, "{:#?}", all(&r));
    assert_eq!(errors[0].code.name, "broken-link");
    assert!(errors[0].message.contains("no-such-id"), "{}", errors[0]);
    assert!(all(&r).iter().all(|d| !d.contains("nonexistent.invalid")));
}
