//! The authoring commands: `init` lays out a site that checks and builds as it is,
//! refuses a folder in use, and never overwrites or writes through a link.

use crate::util::cli;
use std::path::Path;

fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn init_makes_a_site_that_checks_and_builds_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("sahel-watch");
    cli().arg("init").arg(&site).assert().success();
    assert_eq!(
        files_under(&site),
        [
            ".github/workflows/casefile.yml",
            ".gitignore",
            "README.md",
            "content/groups/jnim.md",
            "content/incidents/2024/2024-03-22-kalamba-arms-capture.md",
            "content/pages/about.md",
            "content/weapons/rpg-7.md",
            "site.yaml",
        ]
    );
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("title: \"Sahel Watch\""), "{yaml}");
    cli()
        .args(["check", "--deny-warnings", "--root"])
        .arg(&site)
        .assert()
        .success();
    cli()
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .success();
    // The example incident links to its group and weapon type; the output is ignored
    // by git, with what casefile keeps beside it.
    let page = std::fs::read_to_string(
        site.join("public/incidents/2024-03-22-kalamba-arms-capture/index.html"),
    )
    .unwrap();
    assert!(page.contains("/groups/jnim/") && page.contains("/weapons/rpg-7/"));
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for line in ["/public/", "/.casefile-cache/", "/.public.casefile-*"] {
        assert!(ignore.lines().any(|l| l == line), "{line}");
    }
}

/// The workflow checks, builds and deploys to Pages, and names this version.
#[test]
fn init_writes_a_pages_workflow_that_checks_first() {
    let tmp = tempfile::tempdir().unwrap();
    cli().arg("init").arg(tmp.path()).assert().success();
    let wf = std::fs::read_to_string(tmp.path().join(".github/workflows/casefile.yml")).unwrap();
    let doc: serde_json::Value = serde_saphyr::from_str(&wf).unwrap();
    let steps = doc["jobs"]["build"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let check = runs
        .iter()
        .position(|r| r.starts_with("casefile check"))
        .unwrap();
    let build = runs
        .iter()
        .position(|r| r.starts_with("casefile build"))
        .unwrap();
    assert!(check < build);
    let uses: Vec<&str> = doc["jobs"]["deploy"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/deploy-pages@")));
    assert_eq!(
        doc["env"]["CASEFILE_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

/// A folder with anything in it is refused, and nothing is written to it.
#[test]
fn init_refuses_a_folder_in_use() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    cli()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not empty"));
    assert_eq!(files_under(tmp.path()), ["notes.txt"]);
}

/// With `--force`, the missing files are added and an existing one is kept byte for
/// byte.
#[test]
fn init_force_adds_what_is_missing_and_overwrites_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.yaml"), "title: Mine\n").unwrap();
    cli()
        .args(["init", "--force"])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("kept"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site.yaml")).unwrap(),
        "title: Mine\n"
    );
    assert!(tmp.path().join("content/groups/jnim.md").is_file());
}

/// A folder of the site that is a link to somewhere else is not written through.
#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&site).unwrap();
    std::os::unix::fs::symlink(&outside, site.join("content")).unwrap();
    cli()
        .args(["init", "--force"])
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("symbolic link"));
    assert!(files_under(&outside).is_empty());
}

fn starter_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    cli().arg("init").arg(tmp.path()).assert().success();
    tmp
}

/// `new incident` resolves references by alias, writes the ids, names the file from
/// the date and title, and the site still builds and checks.
#[test]
fn new_incident_resolves_aliases_and_the_site_builds() {
    let site = starter_site();
    let out = cli()
        .args([
            "new",
            "incident",
            "JNIM ambush near Djibo",
            "--date",
            "2024-05-01",
        ])
        .args([
            "--group",
            "GSIM:attacker",
            "--weapon",
            "RPG7:used",
            "--root",
        ])
        .arg(site.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rel = "content/incidents/2024/2024-05-01-jnim-ambush-near-djibo.md";
    assert!(String::from_utf8(out).unwrap().trim().ends_with(rel));
    let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
    assert!(text.contains("{group: jnim, role: attacker}"), "{text}");
    assert!(text.contains("{weapon: rpg-7, status: used}"), "{text}");
    cli()
        .args(["check", "--deny-warnings", "--root"])
        .arg(site.path())
        .assert()
        .success();
    cli()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    assert!(
        site.path()
            .join("public/incidents/2024-05-01-jnim-ambush-near-djibo/index.html")
            .is_file()
    );
}

/// An unknown reference, role or status stops `new` with "did you mean" and exit 1,
/// and nothing is written.
#[test]
fn new_with_an_unknown_reference_writes_nothing() {
    let site = starter_site();
    let before = files_under(site.path());
    cli()
        .args(["new", "incident", "Clash", "--date", "2024-05-01"])
        .args(["--group", "jnimm", "--weapon", "rpg-7:fired", "--root"])
        .arg(site.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean `JNIM` (id `jnim`)"))
        .stderr(predicates::str::contains("unknown status `fired`"));
    cli()
        .args(["new", "group", "GSIM", "--root"])
        .arg(site.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already names `jnim`"));
    assert_eq!(files_under(site.path()), before);
}

/// A second `new` with the same title finds the file there and leaves it alone.
#[test]
fn new_never_overwrites() {
    let site = starter_site();
    let add = || {
        let mut c = cli();
        c.args(["new", "page", "Methodology", "--root"])
            .arg(site.path());
        c
    };
    add().assert().success();
    let path = site.path().join("content/pages/methodology.md");
    std::fs::write(&path, "---\ntitle: Mine\n---\n").unwrap();
    add()
        .assert()
        .code(1)
        .stderr(predicates::str::contains("exists already"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Mine\n---\n"
    );
}
