//! Presentation of diagnostics for people and machines: the human form with a source
//! snippet (annotate-snippets), one JSON object per line, and GitHub Actions workflow
//! commands. Binary-only: the library never prints.

use crate::cli::Format;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use casefile::diag::{Diagnostic, Severity};
use std::fmt::Write;
use std::path::Path;

/// All diagnostics in one format, ready to print on stdout.
pub fn diagnostics(diags: &[Diagnostic], root: &Path, format: Format) -> String {
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Human => human(&mut out, d, root),
            Format::Json => {
                let _ = writeln!(out, "{}", json(d));
            }
            Format::Github => {
                let _ = writeln!(out, "{}", github(d));
            }
        }
    }
    out
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `path:line:col: error[E0103]: message`, then the line with the column marked, then
/// the hint.
fn human(out: &mut String, d: &Diagnostic, root: &Path) {
    let _ = writeln!(out, "{d}");
    let Some(line_text) = casefile::diag::source_line(root, d) else {
        return;
    };
    let col = (d.col.max(1) as usize - 1).min(line_text.chars().count());
    let start = line_text
        .char_indices()
        .nth(col)
        .map(|(i, _)| i)
        .unwrap_or(line_text.len());
    let end = if d.len > 0 {
        // The diagnostic knows its extent (a link's URL, which may hold `,` or `]`).
        line_text[start..]
            .char_indices()
            .nth(d.len as usize)
            .map_or(line_text.len(), |(i, _)| start + i)
    } else {
        line_text[start..]
            .find([' ', ',', ']', '}'])
            .map(|e| start + e.max(1))
            .unwrap_or(line_text.len())
            .max(start)
    };
    let level = if d.is_error() {
        Level::ERROR
    } else {
        Level::WARNING
    };
    let report = &[level.primary_title(d.message.as_str()).element(
        Snippet::source(line_text.as_str())
            .line_start(d.line as usize)
            .path(d.file.to_string_lossy().into_owned())
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    let rendered = Renderer::plain().render(report);
    // The first line repeats the title already printed above.
    for l in rendered.lines().skip(1) {
        let _ = writeln!(out, "{l}");
    }
}

fn json(d: &Diagnostic) -> String {
    serde_json::json!({
        "file": d.file.to_string_lossy().replace('\\', "/"),
        "line": d.line,
        "col": d.col,
        "severity": severity(d),
        "code": d.code.id,
        "name": d.code.name,
        "message": d.message,
        "hint": d.hint,
    })
    .to_string()
}

/// `::error file=F,line=L,col=C,title=E0103 unknown-group::message (hint)`, with the
/// escaping GitHub's workflow commands require.
fn github(d: &Diagnostic) -> String {
    let prop = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C")
    };
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let mut msg = d.message.clone();
    if let Some(h) = &d.hint {
        msg.push_str(&format!(" (hint: {h})"));
    }
    let mut props = vec![format!(
        "file={}",
        prop(&d.file.to_string_lossy().replace('\\', "/"))
    )];
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        props.push(format!("col={}", d.col.max(1)));
    }
    props.push(format!(
        "title={}",
        prop(&format!("{} {}", d.code.id, d.code.name))
    ));
    format!("::{} {}::{}", severity(d), props.join(","), data(&msg))
}
