//! What the preview adds to each HTML page: the live-reload script and, when the latest
//! build failed, an overlay listing its errors. Everything taken from the site (file
//! names, messages, source lines) is escaped as text here.

use super::snapshot::Snapshot;
use crate::diag::Diagnostic;
use std::fmt::Write;
use std::path::Path;

/// The path the live-reload script listens on (Server-Sent Events).
pub const EVENTS_PATH: &str = "/__casefile/events";

/// Escape text for HTML element content and quoted attribute values (the XML escape of
/// the feeds: `&apos;` is an HTML5 entity too).
use crate::render::feeds::escape_xml as escape;

/// The script: listen for new generations and reload, keeping the scroll position of
/// the page across the reload. `generation` is the one this page was served from.
fn script(generation: u64) -> String {
    format!(
        r#"<script data-casefile-live-reload>
(() => {{
  const served = "{generation}";
  const key = "casefile-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {{
    sessionStorage.removeItem(key);
    const y = Number(saved);
    addEventListener("load", () => scrollTo(0, y));
    scrollTo(0, y);
  }}
  const events = new EventSource("{EVENTS_PATH}");
  events.addEventListener("generation", (e) => {{
    if (e.data !== served) {{
      sessionStorage.setItem(key, String(scrollY));
      events.close();
      location.reload();
    }}
  }});
}})();
</script>"#
    )
}

/// The overlay for a failed build: each error with `file:line:col`, message, hint and
/// the source line (read from `root` now, once per build). `first` when no build has
/// succeeded yet.
pub fn overlay(errors: &[Diagnostic], root: &Path, first: bool) -> String {
    let mut out = String::from(
        r#"<div id="casefile-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.96);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem">"#,
    );
    let n = errors.len();
    let _ = write!(
        out,
        r#"<h1 style="font-size:18px;color:#fca5a5;margin:0 0 1rem">casefile: the last change did not build ({n} error{})</h1><p style="margin:0 0 1.5rem;color:#d4d4d8">{}</p>"#,
        if n == 1 { "" } else { "s" },
        if first {
            "Fix the file and save: this page reloads by itself."
        } else {
            "You are looking at the last good build. Fix the file and save: this page reloads by itself."
        }
    );
    for d in errors.iter().take(50) {
        item(&mut out, d, root);
    }
    if n > 50 {
        let _ = write!(
            out,
            "<p>… and {} more (run <code>casefile check</code>).</p>",
            n - 50
        );
    }
    out.push_str("</div>");
    out
}

fn item(out: &mut String, d: &Diagnostic, root: &Path) {
    let place = if d.line == 0 {
        d.file.display().to_string()
    } else {
        format!("{}:{}:{}", d.file.display(), d.line, d.col)
    };
    let _ = write!(
        out,
        r#"<section style="margin:0 0 1.5rem"><div><span style="color:#93c5fd">{}</span> <span style="color:#fca5a5">error[{}]</span></div><div style="white-space:pre-wrap">{}</div>"#,
        escape(&place),
        escape(d.code.id),
        escape(&d.message)
    );
    if let Some(line) = crate::diag::source_line(root, d) {
        let col = (d.col.saturating_sub(1) as usize).min(line.chars().count());
        let caret = " ".repeat(col) + "^";
        let _ = write!(
            out,
            r#"<pre style="margin:.5rem 0;padding:.5rem;background:#27272a;white-space:pre;overflow:auto">{:>5} | {}
      | {}</pre>"#,
            d.line,
            escape(&line),
            escape(&caret)
        );
    }
    if let Some(h) = &d.hint {
        let _ = write!(
            out,
            r#"<div style="color:#a7f3d0">hint: {}</div>"#,
            escape(h)
        );
    }
    out.push_str("</section>");
}

/// `page` with the script (and the overlay, if the latest build failed) inserted
/// before `</body>`, or at the end when there is none.
pub fn inject(page: &[u8], snap: &Snapshot) -> Vec<u8> {
    let mut extra = script(snap.generation);
    extra.push_str(&snap.overlay);
    let at = memchr::memmem::rfind(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + extra.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// A whole page for when there is nothing else to show: no good build yet.
pub fn error_page(snap: &Snapshot) -> Vec<u8> {
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>casefile: build failed</title></head><body></body></html>";
    inject(page.as_bytes(), snap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Pos, code};

    #[test]
    fn overlay_text_is_escaped() {
        let errors = vec![
            Diagnostic::error(
                code::YAML,
                Path::new("content/<script>alert(1)</script>.md"),
                Pos::new(2, 3),
                "bad `<img src=x onerror=alert(1)>`",
            )
            .with_hint("\"quote\" & 'apostrophe'"),
        ];
        let snap = Snapshot::new(
            Default::default(),
            1,
            errors,
            "/nonexistent".into(),
            Vec::new(),
        );
        let page = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", &snap)).unwrap();
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;.md:2:3"));
        assert!(page.contains("&quot;quote&quot; &amp; &apos;apostrophe&apos;"));
        assert!(page.ends_with("</div></body></html>"));
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let snap = Snapshot {
            generation: 7,
            ..Snapshot::default()
        };
        let page = String::from_utf8(inject(b"<body>a</body>\n", &snap)).unwrap();
        assert!(page.starts_with("<body>a<script data-casefile-live-reload>"));
        assert!(page.contains("const served = \"7\""));
        assert!(page.ends_with("</script></body>\n"));
        assert!(!page.contains("casefile-overlay"));
    }
}
