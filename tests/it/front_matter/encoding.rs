//! Bytes to text: a UTF-8 BOM is dropped, CRLF and lone CR count as line ends, and
//! bytes that are not UTF-8 text (Windows-1252 quotes, UTF-16, NUL, escape codes) are
//! errors at the line and column of the bad character, in content files and site.yaml.

use crate::util::{
    Site, assert_diag, at, build_fails, build_ok, error_in, hint, inc, one_error, printed, tree,
};

const KALAMBA: &str = "---\ntitle: Clash near Kalamba\ndate: 2024-03-22\nlocation: {name: Kalamba, country: Burkina Faso}\ngroups: [JNIM]\n---\nFighters attacked *the post*.\n\n## Sources\n\nLocal radio.\n";

/// The same incident with and without a UTF-8 BOM builds to byte-identical output, and a
/// YAML error after a BOM is reported at the same line and column as without it.
#[test]
fn utf8_bom_is_stripped_and_output_is_byte_identical() {
    let plain = Site::basic();
    plain.file(&inc("kalamba"), KALAMBA);
    let bom = Site::basic();
    bom.bytes(
        &inc("kalamba"),
        &[b"\xEF\xBB\xBF".as_slice(), KALAMBA.as_bytes()].concat(),
    );
    build_ok(&plain);
    build_ok(&bom);
    assert_eq!(
        bom.out("incidents/kalamba/index.html"),
        plain.out("incidents/kalamba/index.html")
    );
    assert!(
        tree(&bom.path("public")) == tree(&plain.path("public")),
        "output trees differ"
    );
    // Positions are unchanged by the BOM.
    let bad = Site::basic();
    bad.bytes(
        &inc("bad"),
        b"\xEF\xBB\xBF---\ntitle: Attack: Kaya\ndate: 2024-03-22\n---\n",
    );
    let r = build_fails(&bad);
    at(
        one_error(&r),
        "yaml-syntax",
        "content/incidents/bad.md",
        2,
        14,
    );
}

/// The same incident with CRLF, mixed CRLF/LF and lone-CR line ends builds to the same
/// output as the LF file, and an error in each variant is at the same line and column.
#[test]
fn crlf_mixed_and_lone_cr_equal_the_lf_file() {
    let lf = Site::basic();
    lf.file(&inc("kalamba"), KALAMBA);
    build_ok(&lf);
    let want = tree(&lf.path("public"));
    let variants: [(&str, String); 3] = [
        ("crlf", KALAMBA.replace('\n', "\r\n")),
        (
            "mixed",
            KALAMBA
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i % 2 == 0 {
                        format!("{l}\r\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect::<String>()
                .trim_end_matches(['\r', '\n'])
                .to_string()
                + "\n",
        ),
        ("cr", KALAMBA.replace('\n', "\r")),
    ];
    for (name, text) in &variants {
        let s = Site::basic();
        s.file(&inc("kalamba"), text);
        build_ok(&s);
        assert_eq!(
            s.out("incidents/kalamba/index.html"),
            lf.out("incidents/kalamba/index.html"),
            "{name}"
        );
        assert!(
            tree(&s.path("public")) == want,
            "{name}: output tree differs from the LF build"
        );
    }
    // Line numbers count the same in every variant.
    let bad = "---\ntitle: ok\ndate: 2024-03-22\nsummary: Attack: Kaya\n---\nBody\n";
    for (name, text) in [
        ("lf", bad.to_string()),
        ("crlf", bad.replace('\n', "\r\n")),
        ("cr", bad.replace('\n', "\r")),
        ("mixed", bad.replacen('\n', "\r\n", 2)),
    ] {
        let s = Site::basic();
        s.file(&inc("bad"), &text);
        let r = build_fails(&s);
        let d = one_error(&r);
        assert_eq!((d.line, d.col), (4, 16), "{name}: {d}");
    }
}

/// A Windows-1252 smart quote (byte 0x93) in the front matter and one in the body: an
/// encoding error at each bad byte's line and column, naming the byte, with a hint to
/// save the file as UTF-8.
#[test]
fn invalid_utf8_byte_is_reported_at_its_line_and_column() {
    let site = Site::basic();
    site.bytes(
        &inc("front"),
        b"---\ntitle: \x93Kaya\x94\ndate: 2024-03-22\n---\n",
    );
    site.bytes(
        &inc("body"),
        b"---\ntitle: ok\ndate: 2024-03-22\n---\nLine one.\nSa\x92id said.\n",
    );
    let r = build_fails(&site);
    let d = error_in(&r, "front.md");
    at(d, "encoding", "content/incidents/front.md", 2, 8);
    assert!(d.message.contains("0x93"), "{d}");
    assert!(hint(d).contains("UTF-8"), "{d}");
    let d = error_in(&r, "body.md");
    at(d, "encoding", "content/incidents/body.md", 6, 3);
    assert!(hint(d).contains("UTF-8"), "{d}");
}

/// A bad byte in a file whose lines end with a lone CR is reported at the same line
/// and column as in an LF file.
#[test]
fn invalid_utf8_in_a_lone_cr_file_counts_lines_like_lf() {
    let site = Site::basic();
    site.bytes(&inc("cr"), b"---\rtitle: \x93Kaya\rdate: 2024-03-22\r---\r");
    let r = build_fails(&site);
    at(one_error(&r), "encoding", "content/incidents/cr.md", 2, 8);
}

/// Errors after accented letters on the same line (a YAML colon, a bad byte, a bad
/// latitude) are placed by character, not by byte.
#[test]
fn columns_count_characters_not_bytes() {
    let site = Site::basic();
    site.file(
        &inc("colon"),
        "---\ntitle: Attaque à Kaya: x\ndate: 2024-03-22\n---\n",
    );
    site.bytes(
        &inc("utf8"),
        &["---\ntitle: Tillabéri ".as_bytes(), b"\x93\n"].concat(),
    );
    let r = build_fails(&site);
    at(
        error_in(&r, "colon.md"),
        "yaml-syntax",
        "content/incidents/colon.md",
        2,
        22,
    );
    at(
        error_in(&r, "utf8.md"),
        "encoding",
        "content/incidents/utf8.md",
        2,
        18,
    );
    let site = Site::basic();
    site.file(
        &inc("coord"),
        "---\ntitle: à\ndate: 2024-03-22\nlocation: {name: Tillabéri, lat: 91}\n---\n",
    );
    let r = build_fails(&site);
    at(
        one_error(&r),
        "invalid-coordinate",
        "content/incidents/coord.md",
        4,
        34,
    );
}

/// A UTF-16 file (little- and big-endian, with BOM) is an encoding error saying UTF-16 is
/// not supported, not garbled text or a missing-front-matter error.
#[test]
fn utf16_file_is_not_supported_rather_than_mojibake() {
    let text = "---\ntitle: Kaya\ndate: 2024-03-22\n---\nBody\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let site = Site::basic();
    site.bytes(&inc("le"), &le);
    site.bytes(&inc("be"), &be);
    let r = build_fails(&site);
    assert_eq!(r.errors(), 2, "{:#?}", printed(&r));
    for stem in ["le", "be"] {
        let d = error_in(&r, &format!("{stem}.md"));
        assert_diag(d, "encoding", &inc(stem), 1);
        assert!(d.message.contains("UTF-16 is not supported"), "{d}");
        assert!(!d.message.contains("front matter"), "{d}");
    }
}

/// A NUL in the title and an ESC colour code in the body: control-character errors at
/// their line and column, naming the character as U+0000, never as a byte position.
#[test]
fn nul_and_control_characters_are_reported_at_line_and_column() {
    let site = Site::basic();
    site.bytes(&inc("nul"), b"---\ntitle: a\0b\ndate: 2024-03-22\n---\n");
    site.bytes(
        &inc("esc"),
        b"---\ntitle: ok\ndate: 2024-03-22\n---\nab\x1b[31m\n",
    );
    let r = build_fails(&site);
    let d = error_in(&r, "nul.md");
    at(d, "control-character", "content/incidents/nul.md", 2, 9);
    assert!(
        d.message.contains("U+0000") && !d.message.contains("position"),
        "{d}"
    );
    at(
        error_in(&r, "esc.md"),
        "control-character",
        "content/incidents/esc.md",
        5,
        3,
    );
}

/// site.yaml with an unquoted colon, and site.yaml with a bad byte: each one error located
/// in site.yaml, as a content file would be.
#[test]
fn broken_site_yaml_is_reported_at_its_line_and_column() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file(
        "site.yaml",
        "title: Sahel: monitor\nbase_url: https://example.org/\n",
    );
    let r = build_fails(&site);
    at(one_error(&r), "yaml-syntax", "site.yaml", 1, 13);
    let site = Site::basic();
    site.incident("a", "", "");
    site.bytes(
        "site.yaml",
        b"title: Sahel \x93monitor\x94\nbase_url: https://example.org/\n",
    );
    let r = build_fails(&site);
    at(one_error(&r), "encoding", "site.yaml", 1, 14);
}
