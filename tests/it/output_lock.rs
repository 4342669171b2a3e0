//! One build writes an output folder at a time, and nothing but the output and the
//! site's cache folder ever holds a page: builds racing for one output all succeed, a
//! build that waits too long says which process holds the output, and a retracted
//! incident leaves no copy beside the output.

use crate::util::{Site, build_ok, tree};
use std::path::Path;
use std::process::Command;

fn casefile() -> Command {
    Command::new(env!("CARGO_BIN_EXE_casefile"))
}

/// Every file under `dir` (not following links) whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .map(|b| String::from_utf8_lossy(&b).contains(needle))
                .unwrap_or(false)
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

/// Six `casefile build` processes into one output, three rounds (a build in a terminal
/// while a script builds too): every one succeeds, no staging folder is left, and the
/// output equals a fresh build.
#[test]
fn concurrent_builds_into_one_output_all_succeed() {
    let site = Site::example();
    let out = site.path("out");
    for round in 0..3 {
        let children: Vec<_> = (0..6)
            .map(|_| {
                casefile()
                    .args(["build", "--root"])
                    .arg(site.root())
                    .arg("--output")
                    .arg(&out)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "round {round}: a build failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    let fresh = Site::example();
    build_ok(&fresh);
    assert!(
        tree(&out) == tree(&fresh.path("public")),
        "output differs from a fresh build"
    );
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("casefile") && n != ".casefile-cache")
        .collect();
    assert_eq!(names, Vec::<String>::new(), "left beside the output");
}

/// A build that finds the output locked by another process waits, then gives up after
/// its timeout with an error naming the process that holds the lock; the output is left
/// as it was.
#[test]
fn a_build_that_waits_too_long_names_the_process_holding_the_output() {
    let site = Site::basic();
    site.incident("a", "", "");
    build_ok(&site);
    let before = tree(&site.path("public"));
    let output = casefile_canonical(&site.path("public"));
    let held = casefile::write::lock::acquire(&output, std::time::Duration::ZERO, &|_| {
        panic!("nobody holds it yet")
    })
    .unwrap();
    site.incident("b", "", "");
    let o = casefile()
        .args(["build", "--lock-timeout", "1", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    let pid = std::process::id().to_string();
    assert!(
        stderr.contains("waiting") && stderr.contains(&pid),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("process {pid}")), "{stderr}");
    assert!(tree(&site.path("public")) == before, "the output changed");
    drop(held);
    build_ok(&site);
    assert!(site.out_exists("incidents/b/index.html"));
}

fn casefile_canonical(p: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(p).unwrap()
}

/// Build, retract an incident (delete its file), build again: the incident's text is
/// in no file outside the output and the cache folder (so nothing beside `public/`
/// republishes it), and nothing but those two was added to the site folder.
#[test]
fn a_retracted_incident_leaves_no_copy_beside_the_output() {
    let site = Site::basic();
    let secret = "Testimony of a source who must stay unnamed";
    site.incident("exposed", "", &format!("{secret}.\n"));
    site.incident("kept", "", "Other text.\n");
    let before: Vec<String> = entries(site.root());
    build_ok(&site);
    build_ok(&site);
    std::fs::remove_file(site.path("content/incidents/exposed.md")).unwrap();
    build_ok(&site);
    assert!(!site.out_exists("incidents/exposed/index.html"));
    let cache = site.path(".casefile-cache");
    let public = site.path("public");
    let outside: Vec<String> = files_containing(site.root(), secret)
        .into_iter()
        .filter(|f| !Path::new(f).starts_with(&cache) && !Path::new(f).starts_with(&public))
        .collect();
    assert_eq!(
        outside,
        Vec::<String>::new(),
        "the retracted text is still here"
    );
    let mut expected = before;
    expected.extend([".casefile-cache".to_string(), "public".to_string()]);
    expected.sort();
    assert_eq!(
        entries(site.root()),
        expected,
        "something was written beside the output"
    );
    // Deleting the cache folder removes the last copy and the next build still works.
    std::fs::remove_dir_all(&cache).unwrap();
    build_ok(&site);
    assert_eq!(files_containing(site.root(), secret), Vec::<String>::new());
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// An output on another file system than the site's cache (tmpfs here) is replaced by
/// a staged swap with nothing kept: no spare anywhere, no leftovers beside it, and the
/// same files as a normal build.
#[test]
#[cfg(target_os = "linux")]
fn an_output_on_another_file_system_is_swapped_without_a_spare() {
    use std::os::unix::fs::MetadataExt;
    let shm = Path::new("/dev/shm");
    let site = Site::basic();
    site.incident("a", "", "");
    let Ok(dir) = tempfile::tempdir_in(shm) else {
        return; // no tmpfs here
    };
    if std::fs::metadata(shm).unwrap().dev() == std::fs::metadata(site.root()).unwrap().dev() {
        return; // one file system: nothing to test
    }
    let out = dir.path().join("public");
    let mut opts = site.opts();
    opts.output = Some(out.clone());
    for _ in 0..2 {
        let r = casefile::build(&opts, &|_| {}).unwrap();
        assert!(r.written && r.errors() == 0);
    }
    build_ok(&site);
    assert!(tree(&out) == tree(&site.path("public")));
    assert_eq!(entries(dir.path()), vec!["public".to_string()]);
}
