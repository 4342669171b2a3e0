//! The command line: what `casefile build` prints and where, its flags, and the exit
//! codes: 0 built (warnings allowed), 1 content errors, 2 usage or system errors,
//! never 101.

use crate::util::{self, Site, cli};

/// `path:line:col: error[E0000]: message`
fn is_located_error_line(l: &str) -> bool {
    let Some((head, _)) = l.split_once(": error[E") else {
        return false;
    };
    let mut parts = head.rsplitn(3, ':');
    let (col, line, path) = (parts.next(), parts.next(), parts.next());
    let num =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    num(col)
        && num(line)
        && path.is_some_and(|p| !p.is_empty())
        && l.split_once(": error[E").is_some_and(|(_, rest)| {
            rest.get(4..6) == Some("]:") && rest[..4].bytes().all(|b| b.is_ascii_digit())
        })
}

/// Guard for `is_located_error_line`: it accepts `path:line:col: error[E0103]: message`
/// and nothing looser.
#[test]
fn located_error_line_matcher_accepts_only_the_documented_shape() {
    assert!(is_located_error_line(
        "content/incidents/x.md:5:13: error[E0103]: unknown group `a`"
    ));
    for bad in [
        "content/x.md: error[E0103]: m",
        "x.md:5:13: warning[E0030]: m",
        "x.md:a:13: error[E0103]: m",
        "x.md:5:13: error[E01]: m",
    ] {
        assert!(!is_located_error_line(bad), "{bad}");
    }
}

/// A good site: exit 0, one summary line on stderr saying what was built, nothing on
/// stdout, and the pages written.
#[test]
fn build_exits_0_with_a_one_line_summary() {
    let s = Site::basic();
    s.incident("ok", "groups: [jnim]\n", "Fine.\n");
    let out = cli()
        .args(["build", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.contains("built"), "stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(s.out_exists("incidents/ok/index.html"));
}

/// `--timings`: one line per stage, in pipeline order, before the summary; on Linux
/// each with the peak memory so far, which never goes down from one stage to the next.
#[test]
fn timings_give_each_stage_its_time_and_the_peak_memory_so_far() {
    let s = Site::basic();
    s.incident("ok", "groups: [jnim]\n", "Fine.\n");
    let out = cli()
        .args(["build", "--timings", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let stages: Vec<&str> = lines[..4].iter().map(|l| l.trim_start()).collect();
    for (line, stage) in stages
        .iter()
        .zip(["load: ", "model: ", "render: ", "write: "])
    {
        assert!(line.starts_with(stage), "stderr: {stderr}");
    }
    assert!(lines[4].starts_with("built"), "stderr: {stderr}");
    if cfg!(target_os = "linux") {
        let mib: Vec<u64> = stages
            .iter()
            .map(|l| {
                let n = l.split("peak memory so far ").nth(1).expect(l);
                n.trim_end_matches(" MiB)").parse().expect(l)
            })
            .collect();
        assert!(mib[0] > 0, "stderr: {stderr}");
        assert!(mib.windows(2).all(|w| w[0] <= w[1]), "stderr: {stderr}");
    }
}

/// `build --low-memory` builds the same incident page as a plain build.
#[test]
fn low_memory_build_writes_the_same_pages() {
    let s = Site::basic();
    s.incident(
        "ok",
        "groups: [jnim]\n",
        "Fine, with a [link](@/groups/jnim.md).\n",
    );
    let page = || std::fs::read(s.path("public/incidents/ok/index.html")).unwrap();
    let run = |extra: &[&str]| {
        let out = cli()
            .args(["build", "--root"])
            .arg(s.root())
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        page()
    };
    let plain = run(&[]);
    assert!(String::from_utf8_lossy(&plain).contains("Fine, with a"));
    assert!(run(&["--low-memory"]) == plain);
}

/// A misspelt group: exit 1, exactly one located error line on stderr,
/// `content/incidents/typo.md:5:13: error[E0103]...`, and nothing written.
#[test]
fn build_of_a_broken_site_exits_1_with_located_errors() {
    let s = Site::basic();
    s.incident("typo", "groups:\n  - {group: jnmi, role: attacker}\n", "");
    let out = cli()
        .args(["build", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    let located: Vec<&str> = stderr
        .lines()
        .filter(|l| is_located_error_line(l))
        .collect();
    assert_eq!(located.len(), 1, "stderr: {stderr}");
    assert!(
        located[0].starts_with("content/incidents/typo.md:5:13: error[E0103]"),
        "{}",
        located[0]
    );
    assert!(!s.out_exists("index.html"));
}

/// An unknown flag, and no subcommand at all: exit 2.
#[test]
fn bad_flag_or_no_subcommand_exits_2() {
    let out = cli().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli().output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no subcommand: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--output` naming a folder casefile did not create: exit 2 with an `error:` message.
#[test]
fn system_error_exits_2_with_a_message() {
    let s = Site::basic();
    std::fs::create_dir_all(s.path("foreign")).unwrap();
    std::fs::write(s.path("foreign/keep.txt"), "x").unwrap();
    let out = cli()
        .args(["build", "--root"])
        .arg(s.root())
        .arg("--output")
        .arg(s.path("foreign"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.starts_with("error:"), "stderr: {stderr}");
}

/// `--base-url https://org.github.io/monitor/ --output site-out`: the site goes to that
/// folder only, every internal link starts with /monitor/, and canonical links use the
/// new base URL.
#[test]
fn base_url_and_output_flags_are_applied() {
    let s = Site::basic();
    s.incident("ok", "", "Fine.\n");
    let out_dir = s.path("site-out");
    let out = cli()
        .args([
            "build",
            "--base-url",
            "https://org.github.io/monitor/",
            "--root",
        ])
        .arg(s.root())
        .arg("--output")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !s.out_exists("index.html"),
        "wrote the default output folder too"
    );
    let problems = util::broken_links(&out_dir, "/monitor/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let canon = util::attr_values(
        &util::html(&std::fs::read_to_string(out_dir.join("incidents/ok/index.html")).unwrap()),
        "link[rel=canonical]",
        "href",
    );
    assert_eq!(canon, ["https://org.github.io/monitor/incidents/ok/"]);
}

/// A `--base-url` of `javascript:alert(1)` is an error that names the flag.
#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let site = Site::basic();
    let err =
        casefile::build(&site.build_opts_with_base("javascript:alert(1)"), &|_| {}).unwrap_err();
    assert!(err.to_string().contains("--base-url"), "{err}");
}
