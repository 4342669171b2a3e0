//! Property tests (issue 3): slugs are always safe, the loader never panics, and
//! every diagnostic position lies within the file it names.

use casefile::load::parse_text;
use casefile::load::raw::RawIncident;
use casefile::model::urls::slugify;
use proptest::prelude::*;
use std::path::Path;

const RESERVED: &[&str] = &["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn slugify_is_safe_and_idempotent(s in "\\PC{0,40}") {
        let slug = slugify(&s);
        prop_assert!(!slug.is_empty());
        prop_assert!(!slug.contains('/') && !slug.contains('\\') && !slug.contains(".."));
        prop_assert!(!RESERVED.contains(&slug.as_str()));
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", slug);
        prop_assert_eq!(slugify(&slug), slug.clone());
    }

    #[test]
    fn loader_never_panics_and_positions_stay_in_the_file(front in "[ -~\\t\\n\\r\u{e9}\u{feff}]{0,200}", body in "\\PC{0,40}") {
        let text = format!("---\n{front}\n---\n{body}");
        check_positions(text.as_bytes());
    }

    #[test]
    fn loader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        check_positions(&bytes);
    }

    #[test]
    fn loader_never_panics_on_yaml_shaped_noise(lines in proptest::collection::vec("[a-z_]{1,8}: ?[\\[\\]{}&*!|>'\"a-z0-9 :,-]{0,12}", 0..12)) {
        let text = format!("---\n{}\n---\n", lines.join("\n"));
        check_positions(text.as_bytes());
    }
}

/// Parse one file's bytes; every diagnostic must point at a real line and column.
fn check_positions(bytes: &[u8]) {
    let rel = Path::new("content/incidents/p.md");
    let diags =
        match parse_text::<RawIncident>(rel, Path::new("incidents/p.md"), bytes.to_vec(), true) {
            Ok((_, warnings)) => warnings,
            Err(d) => vec![d],
        };
    let text = String::from_utf8_lossy(bytes);
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        if d.line == 0 {
            continue;
        }
        assert!(
            d.line as usize <= lines.len(),
            "line {} beyond {} lines: {d}",
            d.line,
            lines.len()
        );
        let len = lines[d.line as usize - 1].chars().count();
        assert!(
            d.col as usize <= len + 1,
            "col {} beyond line length {len}: {d}",
            d.col
        );
    }
}
