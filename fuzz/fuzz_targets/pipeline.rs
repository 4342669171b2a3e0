//! Arbitrary bytes as the one incident of a small site, through load, model, render
//! and the link check (strict, in memory): never a panic, never a write.
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
    put("content/incidents/f.md", data);
    let opts = casefile::BuildOptions {
        root: root.to_path_buf(),
        strict: true,
        dry_run: true,
        ..Default::default()
    };
    let report = casefile::build(&opts, &|_| {}).unwrap();
    assert!(!report.written);
    assert!(!root.join("public").exists());
});
