//! Limits: inputs built to exhaust time, memory or the stack (a file over the size
//! limit, YAML bombs and deep nesting, long `parent` chains, pathological Markdown)
//! fail fast with a located error, or render in bounded time and size, and never
//! crash the build.

use crate::util::{
    Site, assert_diag, build_fails, build_ok, error_in, inc, one_error, printed, within,
};
use std::time::Duration;

/// A content file 4 MB over the size limit (a 20 MB summary, written sparse): refused
/// within two seconds by a file-too-large error that names the file and the limit.
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

/// The "billion laughs" YAML bomb (nine levels of nine aliases each) is a yaml-limit
/// error with a line, within two seconds.
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

/// An anchor that contains itself (`&a [*a]`) and a chain of 200 aliases each nesting the
/// previous one: YAML errors within two seconds, no stack overflow.
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

/// 80,000 `[` (then 80,000 `{`) in a flow value: a YAML error at that line within two
/// seconds.
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

/// 10,000 nested block sequences (under a typed key and under an unknown key) and 2,000
/// nested block maps: one YAML error per file within five seconds, no stack overflow.
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
    assert_eq!(r.errors(), 3, "{:#?}", printed(&r));
    let d = error_in(&r, "seqs.md");
    assert!(d.line >= 4 && d.code.name.starts_with("yaml"), "{d}");
    for stem in ["nest", "maps"] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert!(d.line >= 4, "{d}");
        assert_eq!(d.code.name, "yaml-limit", "{d}");
    }
}

/// 500 aliases of one anchor in a list are more than the alias budget: a yaml-limit
/// error at that line.
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

/// A chain of 500 groups, each the parent of the next, builds within ten seconds; closing
/// it into a 500-long cycle is one parent-cycle error listing its members, within five
/// seconds.
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
    assert_eq!(r.errors(), 0, "{:#?}", printed(&r));
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

/// Bodies known to make Markdown parsers slow (80,000 `[ (](`, 160,000 `a***`, 80,000
/// `!-- <`, 100,000 `>`, 40,000 `[^`) each render within five seconds without error.
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
        assert_eq!(r.errors(), 0, "{stem}: {:#?}", printed(&r));
    }
}

/// Bodies that once crashed Markdown parsers build without a panic and without a
/// render-failure error.
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
        printed(&r)
    );
}

/// Sixteen `[[a|]]` add less than 1,000 bytes to the page: no wiki-link extension
/// multiplies the output.
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

/// One link definition with a long URL used 3,000 times gives a page of bounded size.
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
