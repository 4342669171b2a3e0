//! Deterministic output: the same content gives byte-identical files whatever the
//! thread count or the order the files were created in, with no machine path in them,
//! and ties in every list are broken by id.

use crate::util::{Site, build_ok, printed, tree};

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
    assert_eq!(r.errors(), 0, "{:#?}", printed(&r));
    assert!(r.written);
}

/// The same rich site built with one thread and with eight, its files created in
/// opposite orders: identical file lists and bytes; rebuilding with four threads changes
/// nothing, and no file holds the site's temp path.
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

/// Three incidents on the same date, created in different orders, are
/// exported in id order every time.
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
