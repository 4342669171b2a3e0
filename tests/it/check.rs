//! `casefile check`: the whole pipeline in strict mode without writing: every problem
//! of the site in one run, sorted, in three formats (human, JSON lines, GitHub
//! annotations), exit 1 on errors (or on warnings with `--deny-warnings`), offline
//! unless asked. Strict builds (`BuildOptions::strict`) are what check runs.

use crate::util::{self, Site, errs, printed};

/// `casefile check --root <site> <args>`, as an assertion on the finished process.
fn check_cmd(site: &Site, args: &[&str]) -> assert_cmd::assert::Assert {
    util::cli()
        .arg("check")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .assert()
}

/// The exit code, stdout and stderr of `casefile check` on a site, made stable for a
/// snapshot: the site's temp path becomes `[site]` and the run time `[time]`.
fn check_output(site: &Site, args: &[&str]) -> String {
    let out = check_cmd(site, args).get_output().clone();
    let root = site.root().to_string_lossy().into_owned();
    let stable = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(&root, "[site]")
            .lines()
            .map(redact_time)
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "exit code: {:?}\n--- stdout\n{}\n--- stderr\n{}\n",
        out.status.code(),
        stable(&out.stdout),
        stable(&out.stderr)
    )
}

/// `checked 9 files: 8 errors, 0 warnings; 0.08s` -> `...; [time]`.
fn redact_time(line: &str) -> String {
    match line.rsplit_once("; ") {
        Some((head, t))
            if t.strip_suffix('s')
                .is_some_and(|n| n.parse::<f64>().is_ok()) =>
        {
            format!("{head}; [time]")
        }
        _ => line.to_string(),
    }
}

/// `casefile check` on the `check-errors` fixture, a site with eight errors of eight
/// kinds (YAML syntax, an impossible date, a missing content file, a broken plain link,
/// a misspelt key, a misspelt group, a misspelt weapon type, a `javascript:` source),
/// prints each error as `path:line:col: error[code]: message`, its hint and the source
/// line with the place marked, sorted by path then line, then a summary; exit code 1.
/// `INSTA_UPDATE=always cargo test --test it check::` blesses a deliberate change.
#[test]
fn human_diagnostics_match_the_snapshot() {
    let site = Site::fixture("check-errors");
    insta::assert_snapshot!(check_output(&site, &[]));
}

/// The same site with `--format json`: one JSON object per line and diagnostic.
#[test]
fn json_diagnostics_match_the_snapshot() {
    let site = Site::fixture("check-errors");
    let out = check_output(&site, &["--format", "json"]);
    let stdout = out
        .split("--- stdout\n")
        .nth(1)
        .and_then(|s| s.split("\n--- stderr").next())
        .unwrap();
    for line in stdout.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v.is_object(), "{line}");
    }
    insta::assert_snapshot!(out);
}

/// Guard for the snapshot helper: only a trailing `; <seconds>s` is redacted.
#[test]
fn time_redaction_touches_only_the_run_time() {
    assert_eq!(
        redact_time("checked 9 files: 8 errors, 0 warnings; 0.08s"),
        "checked 9 files: 8 errors, 0 warnings; [time]"
    );
    for kept in [
        "a; b",
        "x; 3 errors",
        "content/a.md:1:2: error[E0020]: m; 1s later",
    ] {
        assert_eq!(redact_time(kept), kept);
    }
}

/// A misspelt group in the three formats: the human form starts with the located error
/// line and shows the source line with the place marked; the JSON form has file, line,
/// col, code and severity; the GitHub form is an `::error` workflow command.
#[test]
fn formats_human_json_and_github() {
    let site = Site::basic();
    site.incident("a", "groups: [jmin]\n", "");
    let human = check_cmd(&site, &[]).code(1);
    let text = String::from_utf8_lossy(&human.get_output().stdout).into_owned();
    assert!(
        text.starts_with("content/incidents/a.md:4:10: error[E0103]: unknown group `jmin`"),
        "{text}"
    );
    assert!(
        text.contains("(id `jnim`)") && text.contains("groups: [jmin]") && text.contains("^^^^"),
        "{text}"
    );
    let json = check_cmd(&site, &["--format", "json"]).code(1);
    let line = String::from_utf8_lossy(&json.get_output().stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (
            v["file"].as_str(),
            v["line"].as_u64(),
            v["col"].as_u64(),
            v["code"].as_str()
        ),
        (
            Some("content/incidents/a.md"),
            Some(4),
            Some(10),
            Some("E0103")
        )
    );
    assert_eq!(v["severity"], "error");
    let gh = check_cmd(&site, &["--format", "github"]).code(1);
    let line = String::from_utf8_lossy(&gh.get_output().stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(line.starts_with("::error file=content/incidents/a.md,line=4,col=10,title=E0103 unknown-group::unknown group `jmin`"), "{line}");
}

/// The repository's example site passes check (exit 0), and checking a small site
/// creates neither `public/` nor the spare folder.
#[test]
fn passes_the_example_site_and_writes_nothing() {
    let out = util::cli()
        .args(["check", "--root"])
        .arg(util::repo())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = Site::basic();
    site.incident("a", "", "");
    check_cmd(&site, &[]).code(0);
    assert!(!site.path("public").exists() && !site.path(".casefile-cache").exists());
}

/// A misspelt key fails check (exit 1); a site with only a warning (an unreachable alias)
/// passes, and fails with `--deny-warnings`.
#[test]
fn fails_on_unknown_keys_and_on_warnings_only_when_denied() {
    let site = Site::basic();
    site.incident("a", "fatalitis: 2\n", "");
    check_cmd(&site, &[]).code(1);
    site.incident("a", "", "");
    site.file("content/groups/zed.md", "---\nname: Zed Front\n---\n");
    site.file(
        "content/groups/other.md",
        "---\nname: Other group\naliases: [zed]\n---\n",
    );
    check_cmd(&site, &[]).code(0);
    check_cmd(&site, &["--deny-warnings"]).code(1);
}

/// A strict build refuses a plain link to a page that does not exist, and writes the site
/// once the link points at a real page.
#[test]
fn strict_build_checks_links_then_writes() {
    let site = Site::basic();
    site.incident("a", "", "[x](/nowhere/)\n");
    let r = site.build_with(|o| o.strict = true);
    assert!(!r.written && r.errors() == 1);
    site.incident("a", "", "[x](/groups/jnim/)\n");
    let r = site.build_with(|o| o.strict = true);
    assert!(r.written && r.errors() == 0, "{:?}", util::errors(&r));
    assert!(site.out_exists("incidents/a/index.html"));
}

/// A plain Markdown link to a missing page is a broken-link error at the link's line and
/// column in the Markdown file (7:9), next to a good link to a section; a plain build
/// does not check rendered links.
#[test]
fn reports_broken_plain_links_at_their_markdown_line() {
    let site = Site::basic();
    site.incident(
        "a",
        "",
        "Intro.\n\nSee [x](/groups/nope/) and [ok](/groups/jnim/#weapons).\n",
    );
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let d = util::one_error(&r);
    assert_eq!((d.code.name, d.line, d.col), ("broken-link", 7, 9), "{d}");
    // A plain build does not check rendered links.
    assert_eq!(site.build().errors(), 0);
}

/// An unknown group, a broken plain link and a broken `@/` link in one file, and a file
/// with no front matter: all reported in one run at their lines; a link to the file that
/// failed to load is not reported a second time.
#[test]
fn reports_model_and_link_problems_in_one_run() {
    let site = Site::basic();
    site.incident("a", "groups: [no-such-group]\n", "");
    site.incident(
        "b",
        "",
        "[x](/no/such/page/) and [y](@/groups/missing.md)\n",
    );
    site.file("content/incidents/c.md", "no front matter\n");
    site.incident("d", "", "[to c](@/incidents/c.md)\n");
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    let got: Vec<(String, u32, &str)> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.to_string_lossy().replace('\\', "/"),
                d.line,
                d.code.name,
            )
        })
        .collect();
    let want = [
        ("content/incidents/a.md".to_string(), 4, "unknown-group"),
        ("content/incidents/b.md".to_string(), 5, "broken-link"),
        (
            "content/incidents/b.md".to_string(),
            5,
            "broken-content-link",
        ),
        ("content/incidents/c.md".to_string(), 1, "no-front-matter"),
    ];
    for w in &want {
        assert!(
            got.iter().any(|g| g.0 == w.0 && g.1 == w.1 && g.2 == w.2),
            "{w:?} missing from {got:?}"
        );
    }
    // The link to the file that failed to load is not reported a second time.
    assert!(!got.iter().any(|g| g.0.ends_with("d.md")), "{got:?}");
}

/// Two spellings of one source URL and a group no incident references: check-only
/// warnings (duplicate-source, unreferenced) that do not stop a strict build; a plain
/// build does not report unreferenced files.
#[test]
fn duplicate_sources_and_unreferenced_files_are_warnings_only_check_reports() {
    let site = Site::basic();
    site.incident(
        "a",
        "sources: [https://example.org/a, https://example.org/a/]\ngroups: [jnim]\n",
        "",
    );
    site.file("content/groups/lonely.md", "---\nname: Lonely Front\n---\n");
    let r = site.build_with(|o| o.strict = true);
    let names: Vec<&str> = r.diagnostics.iter().map(|d| d.code.name).collect();
    for want in ["duplicate-source", "unreferenced"] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(r.written, "warnings do not stop a build");
    assert!(
        !site
            .build()
            .diagnostics
            .iter()
            .any(|d| d.code.name == "unreferenced"),
        "only check reports unreferenced files"
    );
}

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

/// Fifty broken files of ten kinds, spread over folders so that path order and creation
/// order differ: `casefile check` prints every error as `path:line:col: error[...]`,
/// sorted by path then line, ends with "50 errors", exits 1 (never 101) and writes
/// nothing.
#[test]
fn reports_fifty_broken_files_sorted_in_one_run() {
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
    let out = util::cli()
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

/// A source and a link to an address that cannot resolve, and a link to a missing id on
/// a real page: by default check reports only the internal fragment, and never mentions
/// the external address.
#[test]
fn is_offline_by_default_but_checks_internal_links() {
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
    assert_eq!(errors.len(), 1, "{:#?}", printed(&r));
    assert_eq!(errors[0].code.name, "broken-link");
    assert!(errors[0].message.contains("no-such-id"), "{}", errors[0]);
    assert!(
        printed(&r)
            .iter()
            .all(|d| !d.contains("nonexistent.invalid"))
    );
}

/// `check` on `site` without writing: a strict dry run.
fn strict_check(site: &Site) -> casefile::Report {
    site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    })
}

/// A site whose free page `about` is rendered by an overriding `templates/page.html`
/// that writes `markup` before the body, with static files `ok.png` and `ok.jpg`.
fn page_template_writing(markup: &str) -> Site {
    let site = Site::basic();
    site.file(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    site.file(
        "templates/page.html",
        &format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}\n{markup}\n{{{{ content.body | safe }}}}\n{{% endblock content %}}\n"
        ),
    );
    site.bytes("static/ok.png", b"png");
    site.bytes("static/ok.jpg", b"jpg");
    site
}

/// Issue 9: links are found by an HTML tokenizer, not by searching for `href="`. A
/// template override writing a link to a missing file in single quotes, unquoted, with
/// spaces around `=`, as the second `srcset` candidate, as a video `poster` or as a
/// stylesheet makes check report one broken-link error on the page's source file, and
/// the same forms pointing at files the build makes are not reported.
#[test]
fn template_links_in_every_attribute_form_are_checked() {
    let broken = [
        "<a href='/nope/'>x</a>",
        "<a href=/nope/>x</a>",
        "<a href = \"/nope/\">x</a>",
        "<img srcset=\"/ok.png 1x, /nope.png 2x\" alt=\"\">",
        "<video poster=\"/nope.jpg\"></video>",
        "<link rel=\"stylesheet\" href=\"/nope.css\">",
    ];
    for markup in broken {
        let r = strict_check(&page_template_writing(markup));
        let e = errs(&r);
        assert_eq!(e.len(), 1, "{markup}: {:#?}", printed(&r));
        assert_eq!(e[0].code.name, "broken-link", "{markup}: {}", e[0]);
        assert_eq!(util::slash(&e[0].file), "content/pages/about.md");
        assert!(e[0].message.contains("/nope"), "{markup}: {}", e[0]);
    }
    let good = [
        "<a href='/groups/jnim/'>x</a>",
        "<a href=/groups/jnim/>x</a>",
        "<a href = \"/groups/jnim/#weapons\">x</a>",
        "<img srcset=\"/ok.png 1x, /ok.png 2x\" alt=\"\">",
        "<video poster=\"/ok.jpg\"></video>",
        "<link rel=\"stylesheet\" href=\"/style.css\">",
    ];
    for markup in good {
        let r = strict_check(&page_template_writing(markup));
        assert_eq!(r.errors(), 0, "{markup}: {:#?}", printed(&r));
    }
}

/// Character references in attribute values are decoded before the check: `&amp;` in
/// a query and `&#115;` in a fragment name an existing page and id; the same fragment
/// left undecoded would not.
#[test]
fn entity_encoded_template_links_are_decoded_before_the_check() {
    let site = page_template_writing(
        "<a href=\"/incidents/?a=1&amp;b=2\">x</a> <a href=\"/groups/jnim/#weapon&#115;\">y</a>",
    );
    let r = strict_check(&site);
    assert_eq!(r.errors(), 0, "{:#?}", printed(&r));
}

/// Issue 9, one mistake, one diagnostic: a broken `#fragment` in a `@/` link is the
/// broken-fragment error at the link (7:5; at 11:5 for one the page spells
/// percent-encoded, `#caf%C3%A9`), and a `@/` link to a missing file with a fragment
/// the broken-content-link error at its link (9:5); the output check does not report
/// any of them again as a link "the template wrote".
#[test]
fn a_broken_content_link_is_reported_once_at_its_line() {
    let site = Site::basic();
    site.incident(
        "a",
        "",
        "Intro.\n\nSee [x](@/groups/jnim.md#nope).\n\nAnd [y](@/groups/missing.md#frag).\n\nAnd [z](@/groups/jnim.md#café).\n",
    );
    let r = strict_check(&site);
    let got: Vec<(&str, u32, u32)> = errs(&r)
        .iter()
        .map(|d| (d.code.name, d.line, d.col))
        .collect();
    assert_eq!(
        got,
        [
            ("broken-fragment", 7, 5),
            ("broken-content-link", 9, 5),
            ("broken-fragment", 11, 5)
        ],
        "{:#?}",
        printed(&r)
    );
}

/// A `@/` link to a section the model knows (`#weapons` on a group page) whose target
/// page, rendered by an override, lacks that id: a broken-link error at the Markdown
/// link (7:5), not on the template.
#[test]
fn a_content_link_to_a_section_a_template_dropped_is_reported_at_the_link() {
    let site = Site::basic();
    site.file(
        "templates/group.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1>Group</h1>{% endblock content %}\n",
    );
    site.incident("a", "", "Intro.\n\nSee [x](@/groups/jnim.md#weapons).\n");
    let r = strict_check(&site);
    let d = util::one_error(&r);
    util::at(d, "broken-link", "content/incidents/a.md", 7, 5);
    assert!(d.message.contains("#weapons"), "{d}");
}

/// The human form marks a broken plain link's URL and nothing after it: `(/nope/).`
/// is underlined under `/nope/` only.
#[test]
fn a_broken_plain_link_is_underlined_to_its_end() {
    let site = Site::basic();
    site.incident("a", "", "See [a page](/nope/).\n");
    let out = check_cmd(&site, &[]).code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("See [a page](/nope/)."))
        .unwrap_or_else(|| panic!("{text}"));
    let marks = lines[at + 1];
    let col = marks.find('^').unwrap();
    assert_eq!(
        &lines[at][col..col + 6],
        "/nope/",
        "the mark starts at the URL:\n{text}"
    );
    assert_eq!(marks.trim_end().len() - col, 6, "{text}");
}

/// A same-page `#fragment` a template writes with no such id on the page is reported on
/// the page's source file as the template's, not at some Markdown link of the body.
#[test]
fn a_broken_same_page_fragment_from_a_template_is_the_templates() {
    let site = page_template_writing("<a href=\"#nope\">top</a>");
    site.file(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee [the group](/groups/jnim/).\n",
    );
    let r = strict_check(&site);
    let d = util::one_error(&r);
    assert_eq!((d.code.name, d.line), ("broken-link", 0), "{d}");
    assert!(d.message.contains("the template wrote it"), "{d}");
}
