//! Arbitrary bytes as the files of a small site (split on a `\n====\n` line: an
//! incident, then a group, a weapon type and a page, each replacing a good file), through
//! `check` (strict: load, model and render go on past errors, then the link check) and
//! a plain build into a temporary folder: never a panic, and nothing written when there
//! are errors. A broken group or weapon type is what made strict runs panic once (a
//! model built past errors with ids pointing at entities that failed to resolve).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let put = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    put(
        "site.yaml",
        b"title: Fuzz\nbase_url: https://example.org/\n",
    );
    put("content/groups/jnim.md", b"---\nname: JNIM\n---\n");
    put(
        "content/weapons/rpg-7.md",
        b"---\nname: RPG-7\ncategory: rpg launcher\n---\n",
    );
    put(
        "content/incidents/g.md",
        b"---\ntitle: Good\ndate: 2024-01-02\ngroups: [jnim]\nweapons: [rpg-7]\n---\nSee [f](@/incidents/f.md).\n",
    );
    let targets = [
        "content/incidents/f.md",
        "content/groups/jnim.md",
        "content/weapons/rpg-7.md",
        "content/pages/about.md",
    ];
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(6).position(|w| w == b"\n====\n") {
        parts.push(&rest[..i]);
        rest = &rest[i + 6..];
    }
    parts.push(rest);
    for (target, bytes) in targets.iter().zip(parts) {
        put(target, bytes);
    }
    let check = casefile::BuildOptions {
        root: root.to_path_buf(),
        strict: true,
        dry_run: true,
        ..Default::default()
    };
    let report = casefile::build(&check, &|_| {}).unwrap();
    assert!(!report.written);
    assert!(!root.join("public").exists());
    let build = casefile::BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    if let Ok(report) = casefile::build(&build, &|_| {}) {
        assert_eq!(report.written, report.errors() == 0);
    }
});
