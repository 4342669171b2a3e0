//! Turning a file's bytes into text casefile can trust: UTF-8 only (UTF-16 and invalid
//! bytes are errors at their line and column), the BOM stripped, CRLF and lone CR made
//! LF (so line numbers count the same and output equals the LF file's byte for byte),
//! and no control characters other than tab and newline.

use crate::diag::{Diagnostic, Pos, code};
use std::path::Path;

/// Decode and normalise `bytes`; on failure, the diagnostic points at the bad byte.
/// Takes the buffer so that the common case (UTF-8, LF, no BOM) copies nothing.
pub fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if !bytes.contains(&b'\r') && !has_control_byte(&bytes) {
        return String::from_utf8(bytes).map_err(|e| {
            decode_slice(file, e.as_bytes()).err().unwrap_or_else(|| {
                Diagnostic::error(code::ENCODING, file, Pos::START, "invalid UTF-8")
            })
        });
    }
    decode_slice(file, &bytes)
}

/// Any byte that may start a control character (C0, DEL, C1 via 0xC2, BOM via 0xEF).
/// Looked at 64 bytes at a time with no early exit inside a block, which the
/// compiler turns into vector instructions: every file of every build passes here.
fn has_control_byte(bytes: &[u8]) -> bool {
    let suspect =
        |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F || b == 0xC2 || b == 0xEF;
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |seen, &b| seen | suspect(b)))
}

fn decode_slice(file: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(code::ENCODING, file, Pos::START, "UTF-16 is not supported")
                .with_hint("save the file as UTF-8"),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(good).unwrap_or("");
            let pos = end_pos(prefix);
            let bad = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            return Err(Diagnostic::error(
                code::ENCODING,
                file,
                pos,
                format!("invalid UTF-8 byte 0x{bad:02X}"),
            )
            .with_hint("save the file as UTF-8 (0x93/0x94 are Windows-1252 curly quotes)"));
        }
    };
    let text = normalize_newlines(text);
    if let Some((pos, ch)) = find_control(&text) {
        return Err(Diagnostic::error(
            code::CONTROL_CHAR,
            file,
            pos,
            format!("control character U+{:04X} in text", ch as u32),
        )
        .with_hint("remove it; only tab and newline are allowed"));
    }
    Ok(text)
}

/// CRLF and lone CR become LF; borrowed input is copied only when it has a CR.
fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

fn find_control(text: &str) -> Option<(Pos, char)> {
    let (mut line, mut col) = (1u32, 1u32);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            col = 1;
            continue;
        }
        if (c.is_control() && c != '\t') || c == '\u{FEFF}' && line + col > 2 {
            return Some((Pos::new(line, col), c));
        }
        col += 1;
    }
    None
}

/// The position just after `prefix` (where the next character would stand). CRLF,
/// LF and a lone CR each end a line, as after normalisation.
fn end_pos(prefix: &str) -> Pos {
    let (mut line, mut col) = (1u32, 1u32);
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if c == '\n' || c == '\r' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    Pos::new(line, col)
}

/// The 1-based position of byte `offset` in `text` (clamped to the text).
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    end_pos(&text[..offset])
}

/// The positions of several byte offsets of `text`, each as `pos_at` gives it, in one
/// pass over the text (a `pos_at` per offset would walk it once per offset).
pub fn positions_at(text: &str, offsets: &[usize]) -> Vec<Pos> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&k| offsets[k]);
    let mut out = vec![Pos::new(1, 1); offsets.len()];
    let (mut line, mut col) = (1u32, 1u32);
    // A CR counts as a line end at once; the LF of a CRLF then adds nothing.
    let mut after_cr = false;
    let mut chars = text.char_indices().peekable();
    for k in order {
        let mut target = offsets[k].min(text.len());
        while !text.is_char_boundary(target) {
            target -= 1;
        }
        while let Some(&(i, c)) = chars.peek() {
            if i >= target {
                break;
            }
            chars.next();
            match c {
                '\n' if after_cr => {}
                '\n' | '\r' => {
                    line += 1;
                    col = 1;
                }
                _ => col += 1,
            }
            after_cr = c == '\r';
        }
        out[k] = Pos::new(line, col);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_at_gives_what_pos_at_gives_for_each_offset() {
        let text = "ab\ncd\r\nxé\ry\n\nlast";
        let offsets: Vec<usize> = vec![12, 0, 3, 7, 6, 5, 9, 10, 99, 4, 13, 14, 8];
        let want: Vec<Pos> = offsets.iter().map(|&o| pos_at(text, o)).collect();
        assert_eq!(positions_at(text, &offsets), want);
    }

    #[test]
    fn control_bytes_are_found_wherever_they_stand() {
        for at in [0, 1, 63, 64, 65, 127, 128, 200] {
            for bad in [0x00u8, 0x07, 0x1F, 0x7F, 0xC2, 0xEF] {
                let mut bytes = vec![b'a'; 201];
                bytes[at] = bad;
                assert!(has_control_byte(&bytes), "0x{bad:02X} at {at}");
            }
        }
        assert!(!has_control_byte(
            b"tab\tand\nnewline, 0x20 and up: ~ \xC3\xA9"
        ));
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn invalid_byte_reports_line_and_col() {
        let err = decode(Path::new("x.md"), b"---\ntitle: \x93hi\n".to_vec()).unwrap_err();
        assert_eq!((err.line, err.col), (2, 8));
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(
            decode(Path::new("x"), b"\xEF\xBB\xBFab".to_vec()).unwrap(),
            "ab"
        );
    }

    #[test]
    fn nul_is_an_error_with_position() {
        let err = decode(Path::new("x"), b"a\nb\0".to_vec()).unwrap_err();
        assert_eq!((err.line, err.col), (2, 2));
    }
}
