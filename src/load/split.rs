//! Splitting a normalised file into its YAML front matter and Markdown body. The opening
//! fence must be line 1; the closing fence is the first line that is `---` (trailing
//! spaces allowed). A line that starts like a fence but is not one (`----`, `--- x`) is
//! an error at that line, never silently taken as body.

use crate::diag::{Diagnostic, Pos, code};
use std::path::Path;

/// A split file: byte ranges into the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// End of the front matter (start of the closing fence line).
    pub front_end: usize,
    /// Start of the body (after the closing fence line).
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: u32,
}

fn is_fence(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.trim_matches([' ', '\t']).is_empty())
}

pub fn split(file: &Path, text: &str) -> Result<Split, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            code::NO_FRONT_MATTER,
            file,
            Pos::START,
            "no front matter: the file is empty",
        )
        .with_hint("start the file with a `---` line, the YAML keys, and another `---` line"));
    }
    let first = text.split('\n').next().unwrap_or("");
    if !is_fence(first) {
        return Err(
            Diagnostic::error(code::NO_FRONT_MATTER, file, Pos::START, "no front matter")
                .with_hint("front matter must start on line 1 with `---`"),
        );
    }
    let mut offset = first.len() + 1;
    let mut line_no = 2u32;
    while offset <= text.len() {
        let rest = &text[offset.min(text.len())..];
        if rest.is_empty() {
            break;
        }
        let line = rest.split('\n').next().unwrap_or("");
        let next = offset + line.len() + 1;
        if is_fence(line) {
            return Ok(Split {
                front_end: offset,
                body_start: next.min(text.len()),
                body_line: line_no + 1,
            });
        }
        if line.starts_with("---") {
            return Err(Diagnostic::error(
                code::BAD_FENCE,
                file,
                Pos::new(line_no, 1),
                format!("`{}` is not a valid closing fence", truncate(line)),
            )
            .with_hint("the closing fence is a line holding only `---`"));
        }
        offset = next;
        line_no += 1;
    }
    Err(Diagnostic::error(
        code::UNCLOSED_FRONT_MATTER,
        file,
        Pos::START,
        "front matter opened here is never closed",
    )
    .with_hint("add a line holding only `---` after the last YAML key"))
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    fn sp(t: &str) -> Result<Split, Diagnostic> {
        split(Path::new("x.md"), t)
    }

    #[test]
    fn closing_fence_as_last_bytes_is_accepted() {
        let s = sp("---\ntitle: a\n---").unwrap();
        assert_eq!(s.front_end, 13);
        assert_eq!(s.body_start, 16);
    }

    #[test]
    fn trailing_blanks_after_fences_are_accepted() {
        let s = sp("--- \t\ntitle: a\n---  \nbody").unwrap();
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn bad_closing_fence_is_an_error_at_its_line() {
        let e = sp("---\ntitle: a\n----\nbody").unwrap_err();
        assert_eq!((e.code, e.line), (code::BAD_FENCE, 3));
    }

    #[test]
    fn unclosed_points_at_opening_line() {
        let e = sp("---\ntitle: a\n").unwrap_err();
        assert_eq!((e.code, e.line), (code::UNCLOSED_FRONT_MATTER, 1));
    }
}
