//! What casefile reads from the site folder: static files are copied byte for byte;
//! symlinks may point within the site but never out of it, and a symlink loop is an
//! error, not an endless walk; a site folder that does not exist is a system error.

use crate::util::{
    Site, assert_clean, build_fails, build_ok, error_in, errs, one_error, printed, slash, within,
};
use std::time::Duration;

/// A binary file holding every byte value and a text file with CRLF line ends under
/// `static/` are copied to the output unchanged.
#[test]
fn static_files_are_copied_byte_for_byte() {
    let s = Site::basic();
    let bin: Vec<u8> = (0..=255u8).chain([0, 0xff, b'\r', b'\n']).collect();
    s.bytes("static/img/logo.png", &bin);
    s.file("static/robots.txt", "User-agent: *\r\nAllow: /\r\n");
    assert_clean(&s.build());
    assert_eq!(std::fs::read(s.path("public/img/logo.png")).unwrap(), bin);
    assert_eq!(
        std::fs::read(s.path("public/robots.txt")).unwrap(),
        b"User-agent: *\r\nAllow: /\r\n"
    );
}

/// A symlink in `content/incidents/` pointing to its own parent: an io error on that
/// path saying it is a loop, within five seconds.
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

/// A static file linked to a secret key outside the site, an incident file linked to a
/// file outside, and a folder of incidents linked outside: three io errors saying the
/// target is outside the site, and nothing of them is read or copied. A static file
/// linked to another file inside the site is copied.
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
    assert_eq!(r.errors(), 3, "{:#?}", printed(&r));
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

/// `static/` itself is a symlink to a folder outside the site: an error on `static`
/// saying it is outside.
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
        printed(&r)
    );
}

/// `content/` itself is a symlink to a folder outside the site: an error on `content`
/// saying it is outside.
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
        printed(&r)
    );
}

/// A `--root` that does not exist is a system error, not an empty site, and nothing is
/// created there.
#[test]
fn missing_site_folder_is_a_system_error_not_an_empty_site() {
    let dir = tempfile::tempdir().unwrap();
    let opts = casefile::BuildOptions {
        root: dir.path().join("nope"),
        ..Default::default()
    };
    assert!(casefile::build(&opts, &|_| {}).is_err());
    assert!(!dir.path().join("nope").exists(), "nothing may be created");
}
