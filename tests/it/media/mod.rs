//! Evidence media (`media:`): page bundles and `content/media/`, the errors of a
//! `media:` list, metadata stripping byte by byte, the resized copies and their cache,
//! sensitive images, the weapon and group galleries, the feed and exports, and hostile
//! image files.

mod images;

use crate::util::*;
use images::*;

/// An incident with the given `media:` list (YAML lines, indented by two), listing
/// the RPG-7 and its rounds, in a bundle folder `content/incidents/<stem>/`.
fn bundle(site: &Site, stem: &str, date: &str, media: &str) {
    site.file(
        &format!("content/incidents/{stem}/index.md"),
        &format!(
            "---\ntitle: Incident {stem}\ndate: {date}\ngroups: [jnim]\n\
             weapons: [rpg-7, pg-7v]\nmedia:\n{media}---\nBody.\n"
        ),
    );
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn bundle_images_are_published_beside_the_incident_in_every_width_and_webp() {
    let site = Site::basic();
    site.bytes("content/incidents/k/launcher.jpg", &jpeg(2000, 1000));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: launcher.jpg, alt: An RPG-7 launcher on a table, caption: The launcher, shows: [rpg-7]}\n",
    );
    let r = site.build();
    assert_clean(&r);
    assert_eq!((r.counts.images, r.counts.images_processed), (1, 1));
    for w in [480, 960, 1600] {
        assert!(
            site.out_exists(&format!("incidents/k/launcher-{w}.jpg")),
            "{w}"
        );
        assert!(
            site.out_exists(&format!("incidents/k/launcher-{w}.webp")),
            "{w}"
        );
    }
    assert!(!site.out_exists("incidents/k/launcher-2000.jpg"));
    assert!(!site.out_exists("incidents/k/launcher-blur.jpg"));
    let webp = std::fs::read(site.path("public/incidents/k/launcher-960.webp")).unwrap();
    assert_eq!(&webp[..4], b"RIFF");
    let copy = image::load_from_memory(
        &std::fs::read(site.path("public/incidents/k/launcher-960.jpg")).unwrap(),
    )
    .unwrap();
    assert_eq!((copy.width(), copy.height()), (960, 480));
    let page = site.out("incidents/k/index.html");
    let doc = scraper::Html::parse_document(&page);
    let img = scraper::Selector::parse("#media figure img").unwrap();
    let img = doc.select(&img).next().expect("an image in the gallery");
    let attr = |n: &str| img.value().attr(n).unwrap_or_default().to_string();
    assert_eq!(attr("src"), "/incidents/k/launcher-1600.jpg");
    assert_eq!(attr("width"), "1600");
    assert_eq!(attr("height"), "800");
    assert_eq!(attr("loading"), "lazy");
    assert_eq!(attr("alt"), "An RPG-7 launcher on a table");
    assert_eq!(
        attr("srcset"),
        "/incidents/k/launcher-480.jpg 480w, /incidents/k/launcher-960.jpg 960w, \
         /incidents/k/launcher-1600.jpg 1600w"
    );
    assert!(!attr("sizes").is_empty());
    assert!(
        page.contains(r#"<source type="image/webp" srcset="/incidents/k/launcher-480.webp 480w"#)
    );
    assert!(page.contains("The launcher"));
}

#[test]
fn shared_media_folder_images_and_small_images_keep_their_own_width() {
    let site = Site::basic();
    site.bytes("content/media/crates/pg7v.png", &png(300, 200));
    site.incident(
        "k",
        "weapons: [pg-7v]\nmedia:\n  - {file: '@/media/crates/pg7v.png', alt: Rocket crates}\n",
        "",
    );
    let r = site.build();
    assert_clean(&r);
    assert!(site.out_exists("media/crates/pg7v-300.png"));
    assert!(site.out_exists("media/crates/pg7v-300.webp"));
    assert!(!site.out_exists("media/crates/pg7v-480.png"));
    let page = site.out("incidents/k/index.html");
    assert!(
        page.contains(r#"src="/media/crates/pg7v-300.png""#),
        "{page}"
    );
}

/// The three mistakes a `media:` list can hold, each an error on its line in build
/// and check alike.
#[test]
fn missing_file_missing_alt_and_bad_shows_are_errors_with_lines() {
    let site = Site::basic();
    site.bytes("content/incidents/k/launcher.jpg", &jpeg(64, 64));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: launcer.jpg, alt: Typo in the name}\n\
         \x20 - {file: launcher.jpg}\n\
         \x20 - {file: launcher.jpg, alt: x, shows: [rpg-8]}\n\
         \x20 - {file: launcher.jpg, alt: x, shows: [jnim-rifle]}\n",
    );
    site.file(
        "content/weapons/jnim-rifle.md",
        "---\nname: Other rifle\ncategory: rifle\n---\n",
    );
    for strict in [false, true] {
        let r = site.build_with(|o| {
            o.strict = strict;
            o.dry_run = strict;
        });
        let file = "content/incidents/k/index.md";
        let e = errs(&r);
        assert_eq!(e.len(), 4, "{:#?}", printed(&r));
        at(e[0], "missing-media", file, 7, 12);
        assert!(hint(e[0]).contains("launcher.jpg"), "{}", hint(e[0]));
        at(e[1], "missing-field", file, 8, 5);
        assert!(e[1].message.contains("alt"));
        assert_diag(e[2], "unknown-weapon", file, 9);
        assert_diag(e[3], "shown-not-listed", file, 10);
    }
}

#[test]
fn paths_out_of_content_are_refused() {
    let site = Site::basic();
    site.bytes("secret.jpg", &jpeg(32, 32));
    site.incident(
        "k",
        "media:\n  - {file: ../../secret.jpg, alt: x}\n  - {file: /etc/passwd, alt: x}\n",
        "",
    );
    let r = build_fails(&site);
    let e = errs(&r);
    assert_eq!(e.len(), 2, "{:#?}", printed(&r));
    assert!(
        e[0].message.contains("outside content/"),
        "{}",
        e[0].message
    );
    assert!(
        e[1].message.contains("not a path inside the site"),
        "{}",
        e[1].message
    );
}

/// Every published byte is free of the metadata the original carried, whatever its
/// format; the file's GPS position is reported (a warning), not published.
#[test]
fn metadata_is_stripped_from_jpeg_png_and_webp() {
    let site = Site::basic();
    site.bytes(
        "content/incidents/k/a.jpg",
        &jpeg_with_metadata(&jpeg(700, 500)),
    );
    site.bytes(
        "content/incidents/k/b.png",
        &png_with_metadata(&png(700, 500)),
    );
    site.bytes(
        "content/incidents/k/c.webp",
        &webp_with_metadata(&webp(700, 500), 700, 500),
    );
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: a.jpg, alt: a}\n  - {file: b.png, alt: b}\n  - {file: c.webp, alt: c}\n",
    );
    let r = site.build();
    assert_eq!(r.errors(), 0, "{:#?}", printed(&r));
    let gps = diags_named(&r, "image-location");
    assert_eq!(gps.len(), 3, "{:#?}", printed(&r));
    assert!(gps.iter().all(|d| !d.is_error()));
    let files = tree(&site.path("public/incidents/k"));
    let images: Vec<_> = files
        .iter()
        .filter(|(p, _)| !p.ends_with(".html"))
        .collect();
    assert_eq!(
        images.len(),
        2 * 2 + 2 * 2 + 2,
        "{:?}",
        images.iter().map(|i| &i.0).collect::<Vec<_>>()
    );
    for (path, bytes) in images {
        for needle in [
            SECRET,
            b"Exif".as_slice(),
            b"ns.adobe.com",
            b"GPS",
            b"Photoshop",
            b"8BIM",
            b"ICC_PROFILE",
            b"acsp",
        ] {
            assert!(
                !contains(bytes, needle),
                "{path} holds {:?}",
                String::from_utf8_lossy(needle)
            );
        }
        if path.ends_with(".jpg") {
            let markers = jpeg_markers(bytes);
            assert!(
                markers
                    .iter()
                    .all(|m| !(0xE1..=0xEF).contains(m) && *m != 0xFE),
                "{path}: {markers:x?}"
            );
        } else if path.ends_with(".png") {
            let chunks = png_chunks(bytes);
            assert!(
                chunks
                    .iter()
                    .all(|c| ["IHDR", "IDAT", "IEND"].contains(&c.as_str())),
                "{path}: {chunks:?}"
            );
        } else {
            let chunks = webp_chunks(bytes);
            assert!(
                chunks
                    .iter()
                    .all(|c| ["VP8 ", "VP8L", "VP8X", "ALPH"].contains(&c.as_str())),
                "{path}: {chunks:?}"
            );
        }
    }
    // check says the same, as a warning.
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    assert_eq!(r.errors(), 0, "{:#?}", printed(&r));
    assert_eq!(diags_named(&r, "image-location").len(), 3);
}

/// A second build processes nothing; a changed image is processed again, alone.
#[test]
fn processed_images_are_cached_by_their_bytes() {
    let site = Site::basic();
    site.bytes("content/incidents/k/a.jpg", &jpeg(900, 600));
    site.bytes("content/incidents/k/b.jpg", &jpeg(600, 900));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: a.jpg, alt: a}\n  - {file: b.jpg, alt: b}\n",
    );
    let r = site.build();
    assert_clean(&r);
    assert_eq!((r.counts.images, r.counts.images_processed), (2, 2));
    let first = tree(&site.path("public"));
    let r = site.build();
    assert_eq!((r.counts.images, r.counts.images_processed), (2, 0));
    assert_eq!(
        tree(&site.path("public")),
        first,
        "same bytes from the cache"
    );
    // check and the preview's in-memory build use the same cache.
    let r = site.build_with(|o| {
        o.strict = true;
        o.dry_run = true;
    });
    assert_eq!(r.counts.images_processed, 0);
    site.bytes("content/incidents/k/b.jpg", &jpeg(640, 900));
    let r = site.build();
    assert_eq!((r.counts.images, r.counts.images_processed), (2, 1));
    let img =
        image::load_from_memory(&std::fs::read(site.path("public/incidents/k/b-640.jpg")).unwrap())
            .unwrap();
    assert_eq!(img.width(), 640);
    // A cache entry missing a file is made again, not published incomplete.
    let cache = site.path(".casefile-cache/media");
    for e in std::fs::read_dir(&cache).unwrap().flatten() {
        let _ = std::fs::remove_file(e.path().join("480.webp"));
    }
    let r = site.build();
    assert_eq!(r.counts.images_processed, 2);
    assert_eq!(tree(&site.path("public")).len(), first.len());
}

#[test]
fn sensitive_images_are_folded_behind_a_warning_and_kept_out_of_the_feed() {
    let site = Site::basic();
    site.bytes("content/incidents/k/a.jpg", &jpeg(800, 600));
    site.bytes("content/incidents/k/b.jpg", &jpeg(800, 600));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: a.jpg, alt: Bodies after the attack, sensitive: true, shows: [rpg-7]}\n\
         \x20 - {file: b.jpg, alt: The launcher, shows: [rpg-7]}\n",
    );
    let r = site.build();
    assert_clean(&r);
    let page = site.out("incidents/k/index.html");
    let doc = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let figures: Vec<_> = doc.select(&sel("#media figure")).collect();
    assert_eq!(figures.len(), 2);
    let cw = figures[0]
        .select(&sel("details.content-warning"))
        .next()
        .expect("a <details>");
    assert!(cw.value().attr("open").is_none(), "folded by default");
    let summary = cw.select(&sel("summary")).next().unwrap();
    let stand_in = summary.select(&sel("img")).next().unwrap();
    assert_eq!(
        stand_in.value().attr("src"),
        Some("/incidents/k/a-blur.jpg")
    );
    assert_eq!(stand_in.value().attr("alt"), Some(""));
    assert!(
        summary
            .text()
            .collect::<String>()
            .contains("Content warning")
    );
    // The image itself is inside the <details>, after the summary.
    let inner = cw.select(&sel("picture img")).next().unwrap();
    assert_eq!(inner.value().attr("alt"), Some("Bodies after the attack"));
    assert!(site.out_exists("incidents/k/a-blur.jpg"));
    let tiny = image::load_from_memory(
        &std::fs::read(site.path("public/incidents/k/a-blur.jpg")).unwrap(),
    )
    .unwrap();
    assert!(tiny.width() <= 32);
    // The other is shown plainly; no stand-in is published for it.
    assert!(figures[1].select(&sel("details")).next().is_none());
    assert!(!site.out_exists("incidents/k/b-blur.jpg"));
    // Neither the feed nor the exports carry the sensitive one.
    let feed = site.out("atom.xml");
    assert!(feed.contains("/incidents/k/b-800.jpg"), "{feed}");
    assert!(!feed.contains("/incidents/k/a-"), "{feed}");
    let data = site.out("data/incidents.json");
    assert!(
        data.contains("b-800.jpg") && !data.contains("a-800.jpg"),
        "{data}"
    );
    // The weapon's gallery shows it folded too.
    let weapon = site.out("weapons/rpg-7/index.html");
    assert!(weapon.contains("a-blur.jpg") && weapon.contains("<details class=\"content-warning\""));
}

/// The weapon page's identification gallery gathers every image that shows the type,
/// across incidents, newest first, each with a link to its incident; the group page
/// shows its incidents' images.
#[test]
fn weapon_gallery_collects_images_across_incidents() {
    let site = Site::basic();
    site.bytes("content/incidents/old/a.jpg", &jpeg(500, 400));
    site.bytes("content/incidents/new/b.jpg", &jpeg(500, 400));
    site.bytes("content/incidents/new/c.jpg", &jpeg(500, 400));
    bundle(
        &site,
        "old",
        "2023-01-05",
        "  - {file: a.jpg, alt: Launcher in 2023, shows: [rpg-7]}\n",
    );
    bundle(
        &site,
        "new",
        "2024-06-01",
        "  - {file: b.jpg, alt: Launcher in 2024, shows: [rpg-7, pg-7v]}\n\
         \x20 - {file: c.jpg, alt: Only rounds, shows: [pg-7v]}\n",
    );
    let r = site.build();
    assert_clean(&r);
    let gallery = |page: &str| -> Vec<(String, String)> {
        let doc = scraper::Html::parse_document(&site.out(page));
        let fig = scraper::Selector::parse("#media figure").unwrap();
        let img = scraper::Selector::parse("img").unwrap();
        let link = scraper::Selector::parse(".figure-incident a").unwrap();
        doc.select(&fig)
            .map(|f| {
                let alt = f
                    .select(&img)
                    .next()
                    .unwrap()
                    .value()
                    .attr("alt")
                    .unwrap()
                    .to_string();
                let inc = f
                    .select(&link)
                    .next()
                    .map(|a| a.value().attr("href").unwrap().to_string());
                (alt, inc.unwrap_or_default())
            })
            .collect()
    };
    assert_eq!(
        gallery("weapons/rpg-7/index.html"),
        [
            (
                "Launcher in 2024".to_string(),
                "/incidents/new/".to_string()
            ),
            (
                "Launcher in 2023".to_string(),
                "/incidents/old/".to_string()
            ),
        ]
    );
    assert_eq!(
        gallery("weapons/pg-7v/index.html")
            .iter()
            .map(|g| g.0.as_str())
            .collect::<Vec<_>>(),
        ["Launcher in 2024", "Only rounds"]
    );
    assert_eq!(gallery("groups/jnim/index.html").len(), 3);
    assert!(
        !site
            .out("groups/is-sahel/index.html")
            .contains("id=\"media\"")
    );
}

/// Hostile image files: each is one clear error on the `media:` entry naming it, and
/// nothing crashes or takes more memory than the documented limits.
#[test]
fn hostile_images_are_clear_errors() {
    let site = Site::basic();
    let whole = jpeg(800, 600);
    site.bytes("content/incidents/k/cut.jpg", &whole[..whole.len() / 2]);
    site.bytes("content/incidents/k/bomb.png", &png_bomb(60_000, 60_000));
    site.bytes("content/incidents/k/bomb2.png", &png_bomb(19_000, 19_000));
    site.bytes("content/incidents/k/named.jpg", &png(40, 40));
    site.bytes("content/incidents/k/text.jpg", b"<html>not an image</html>");
    site.bytes(
        "content/incidents/k/anim.gif",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    );
    let png_whole = png(300, 300);
    site.bytes(
        "content/incidents/k/cut.png",
        &png_whole[..png_whole.len() - 40],
    );
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: cut.jpg, alt: a}\n  - {file: bomb.png, alt: a}\n  - {file: bomb2.png, alt: a}\n\
         \x20 - {file: named.jpg, alt: a}\n  - {file: text.jpg, alt: a}\n  - {file: anim.gif, alt: a}\n\
         \x20 - {file: cut.png, alt: a}\n",
    );
    let r = build_fails(&site);
    let e = errs(&r);
    assert_eq!(e.len(), 7, "{:#?}", printed(&r));
    let file = "content/incidents/k/index.md";
    for (k, d) in e.iter().enumerate() {
        assert_diag(d, "bad-image", file, 7 + k as u32);
        assert!(!hint(d).is_empty());
    }
    assert!(e[0].message.contains("cut short"), "{}", e[0].message);
    assert!(e[1].message.contains("60000×60000"), "{}", e[1].message);
    assert!(e[2].message.contains("19000×19000"), "{}", e[2].message);
    assert!(
        e[3].message.contains("holds a PNG image"),
        "{}",
        e[3].message
    );
    assert!(hint(e[3]).contains(".png"));
    assert!(e[4].message.contains("not an image"), "{}", e[4].message);
    assert!(e[5].message.contains(".gif"), "{}", e[5].message);
    assert!(
        e[6].message.contains("cut short") || e[6].message.contains("decoded"),
        "{}",
        e[6].message
    );
    assert!(!site.out_exists("incidents/k/index.html"));
}

#[cfg(unix)]
#[test]
fn an_image_linked_from_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("field.jpg"), jpeg(64, 64)).unwrap();
    let site = Site::basic();
    std::fs::create_dir_all(site.path("content/incidents/k")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("field.jpg"),
        site.path("content/incidents/k/field.jpg"),
    )
    .unwrap();
    bundle(&site, "k", "2024-03-22", "  - {file: field.jpg, alt: a}\n");
    let r = build_fails(&site);
    let printed = printed(&r).join("\n");
    assert!(printed.contains("field.jpg"), "{printed}");
    assert!(!site.out_exists("incidents/k/field-64.jpg"));
}

/// The preview: a changed image, an image added to an incident, a body edit and a bad
/// entry each give what a build from scratch gives, from the same cache.
#[test]
fn the_preview_follows_image_edits() {
    use casefile::load::LoadCache;
    use casefile::serve::incremental::Incremental;
    use casefile::serve::snapshot::{self, Snapshot};
    let site = Site::basic();
    site.bytes("content/incidents/k/a.jpg", &jpeg(800, 600));
    site.bytes("content/incidents/k/b.png", &png(300, 200));
    let front = |media: &str, body: &str| {
        format!(
            "---\ntitle: Incident k\ndate: 2024-03-22\nweapons: [rpg-7]\nmedia:\n{media}---\n{body}\n"
        )
    };
    let a = "  - {file: a.jpg, alt: The launcher, shows: [rpg-7]}\n";
    let b = "  - {file: b.png, alt: A crate}\n";
    let index = "content/incidents/k/index.md";
    site.file(index, &front(a, "Body."));
    let opts = casefile::BuildOptions {
        root: site.root().to_path_buf(),
        dry_run: true,
        ..casefile::BuildOptions::default()
    };
    let mut state = Incremental::default();
    let mut snap = state.rebuild(&opts, &Snapshot::default(), &[]);
    assert!(snap.errors.is_empty(), "{:?}", snap.errors);
    assert!(snap.has("incidents/k/a-800.jpg"));
    // Served from the cache, not held in memory.
    assert!(!snap.files.contains_key("incidents/k/a-800.jpg"));
    let mut step = |rel: &str, bytes: &[u8]| {
        std::thread::sleep(std::time::Duration::from_millis(5));
        site.bytes(rel, bytes);
        let next = state.rebuild(&opts, &snap, &[std::path::PathBuf::from(rel)]);
        let (scratch, _) = snapshot::rebuild(&opts, &snap, &LoadCache::default());
        assert!(
            snapshot::differences(&next, &scratch).is_empty(),
            "{:?}",
            snapshot::differences(&next, &scratch)
        );
        snap = next;
        let page = String::from_utf8_lossy(&snap.files["incidents/k/index.html"]).into_owned();
        let served = snap.files.keys().chain(snap.on_disk.keys()).cloned();
        (served.collect::<Vec<_>>(), page, snap.errors.len())
    };
    let (files, _, _) = step("content/incidents/k/a.jpg", &jpeg(700, 500));
    assert!(files.contains(&"incidents/k/a-700.jpg".to_string()));
    assert!(!files.contains(&"incidents/k/a-800.jpg".to_string()));
    let (files, _, _) = step(index, front(&format!("{a}{b}"), "Body.").as_bytes());
    assert!(
        files.contains(&"incidents/k/b-300.png".to_string()),
        "{files:?}"
    );
    let (_, page, _) = step(index, front(&format!("{a}{b}"), "Another body.").as_bytes());
    assert!(page.contains("b-300.webp") && page.contains("Another body."));
    let (_, _, errors) = step(index, front("  - {file: b.png}\n", "Body.").as_bytes());
    assert_eq!(errors, 1);
}

/// A camera's orientation tag is applied to the pixels before the metadata is
/// dropped: a portrait photo stored sideways is published upright.
#[test]
fn the_cameras_orientation_is_applied_then_dropped() {
    let site = Site::basic();
    site.bytes("content/incidents/k/a.jpg", &jpeg_rotated(&jpeg(400, 200)));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: a.jpg, alt: Upright}\n",
    );
    assert_clean(&site.build());
    let bytes = std::fs::read(site.path("public/incidents/k/a-200.jpg")).unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (200, 400));
    assert!(!contains(&bytes, b"Exif"));
    let page = site.out("incidents/k/index.html");
    assert!(page.contains(r#"width="200" height="400""#), "{page}");
}

/// Two images in one folder named alike but for the extension would publish the same
/// WebP copies: an error naming both, not one silently replacing the other.
#[test]
fn images_that_would_publish_the_same_file_collide() {
    let site = Site::basic();
    site.bytes("content/incidents/k/a.jpg", &jpeg(300, 200));
    site.bytes("content/incidents/k/a.png", &png(300, 200));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: a.jpg, alt: x}\n  - {file: a.png, alt: y}\n",
    );
    let r = build_fails(&site);
    let e = errs(&r);
    assert!(
        e.iter().all(|d| d.code.name == "url-collision"),
        "{:#?}",
        printed(&r)
    );
    assert!(
        e[0].message.contains("incidents/k/a-300.webp"),
        "{}",
        e[0].message
    );
}

/// A copy taller than WebP allows (16,383 pixels) is published in its own format only,
/// and the page offers no WebP source for it.
#[test]
fn an_image_too_tall_for_webp_keeps_its_own_format() {
    let site = Site::basic();
    site.bytes("content/incidents/k/scroll.png", &png(300, 17_000));
    bundle(
        &site,
        "k",
        "2024-03-22",
        "  - {file: scroll.png, alt: A long screenshot}\n",
    );
    assert_clean(&site.build());
    assert!(site.out_exists("incidents/k/scroll-300.png"));
    assert!(!site.out_exists("incidents/k/scroll-300.webp"));
    let page = site.out("incidents/k/index.html");
    assert!(
        page.contains("scroll-300.png") && !page.contains("image/webp"),
        "{page}"
    );
}

/// A group or weapon type can be a bundle too: its folder's name is its id, also for
/// references to it when its file fails.
#[test]
fn bundles_take_their_folders_name() {
    let site = Site::basic();
    site.file(
        "content/groups/katiba/index.md",
        "---\nname: Katiba Macina\n---\n",
    );
    site.incident("k", "groups: [katiba]\n", "");
    assert_clean(&site.build());
    assert!(site.out_exists("groups/katiba/index.html"));
    assert!(site.out_exists("incidents/k/index.html"));
    // A broken bundle: its own error only, not one more on each reference to it.
    site.file(
        "content/groups/katiba/index.md",
        "---\nname: [unclosed\n---\n",
    );
    let r = site.build();
    assert!(!r.written);
    let files: Vec<String> = errs(&r).iter().map(|d| slash(&d.file)).collect();
    assert_eq!(
        files,
        ["content/groups/katiba/index.md"],
        "{:#?}",
        printed(&r)
    );
}
