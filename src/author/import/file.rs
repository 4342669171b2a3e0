//! An imported incident's file: its text made from an event (front matter in a fixed
//! order, the event's notes as the body, then a marker line), and merged with the file
//! a previous import wrote. The keys the mapping fills are replaced; every other key
//! of the front matter and all text below the marker are the analyst's and are kept,
//! in their place and as written.

use super::convert::Event;
use std::fmt::Write;

/// The line that separates imported text from the analyst's. An HTML comment, so it
/// never shows on the page.
pub const MARKER: &str = "<!-- casefile import: the keys the import fills are replaced on every import; your own keys and the text below this line are kept -->";

/// What a previous file keeps: the order of its front matter, with the blocks of the
/// keys the import does not own as written, and its text below the marker.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    pub order: Vec<Piece>,
    pub below: String,
}

/// A top-level block of an earlier file's front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// A key the import fills, with the comment lines written above it.
    Owned { key: String, comments: String },
    /// The analyst's own key, as written (comments above it included).
    Hand(String),
}

/// The file for `event`; `groups` and `weapons` are the ids its names resolved to, in
/// the event's order.
pub fn render(
    event: &Event,
    source: &str,
    groups: &[String],
    weapons: &[String],
    kept: &Kept,
) -> String {
    let blocks = blocks(event, source, groups, weapons);
    let mut t = String::with_capacity(1024 + event.body.len());
    t.push_str("---\n");
    let mut used = vec![false; blocks.len()];
    for piece in &kept.order {
        match piece {
            Piece::Hand(text) => t.push_str(text),
            Piece::Owned { key, comments } => {
                if let Some(i) = blocks.iter().position(|(k, _)| k == key)
                    && !used[i]
                {
                    used[i] = true;
                    t.push_str(comments);
                    t.push_str(&blocks[i].1);
                }
            }
        }
    }
    for (i, (_, b)) in blocks.iter().enumerate() {
        if !used[i] {
            t.push_str(b);
        }
    }
    t.push_str("---\n");
    if !event.body.is_empty() {
        t.push_str(&escape_markdown(&event.body));
        t.push_str("\n\n");
    }
    t.push_str(MARKER);
    t.push('\n');
    t.push_str(&kept.below);
    t
}

/// The front matter the import writes for `event`: each key's block, in the order of
/// a new file.
fn blocks(
    event: &Event,
    source: &str,
    groups: &[String],
    weapons: &[String],
) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut t = String::new();
    let mut end = |key: &'static str, t: &mut String| {
        if !t.is_empty() {
            out.push((key, std::mem::take(t)));
        }
    };
    let _ = writeln!(t, "title: {}", q(&event.title));
    end("title", &mut t);
    let _ = writeln!(t, "date: {}", event.date);
    end("date", &mut t);
    if let Some(e) = &event.date_end {
        let _ = writeln!(t, "date_end: {e}");
    }
    end("date_end", &mut t);
    if let Some(p) = event.date_precision {
        let _ = writeln!(t, "date_precision: {p}");
    }
    end("date_precision", &mut t);
    if let Some(c) = event.confidence {
        let _ = writeln!(t, "confidence: {c}");
    }
    end("confidence", &mut t);
    if let Some(e) = event.event_type {
        let _ = writeln!(t, "event_type: {e}");
    }
    end("event_type", &mut t);
    if !event.location.is_empty() {
        t.push_str("location:\n");
        for (k, v) in &event.location {
            match *k {
                "lat" | "lon" | "precision" => {
                    let _ = writeln!(t, "  {k}: {v}");
                }
                _ => {
                    let _ = writeln!(t, "  {k}: {}", q(v));
                }
            }
        }
    }
    end("location", &mut t);
    if !event.groups.is_empty() {
        t.push_str("groups:\n");
        for (a, id) in event.groups.iter().zip(groups) {
            let _ = write!(t, "  - {{group: {id}");
            if let Some(r) = a.role {
                let _ = write!(t, ", role: {r}");
            }
            if let Some(r) = a.attribution {
                let _ = write!(t, ", attribution: {r}");
            }
            t.push_str("}\n");
        }
    }
    end("groups", &mut t);
    if !event.weapons.is_empty() {
        t.push_str("weapons:\n");
        for (w, id) in event.weapons.iter().zip(weapons) {
            let _ = write!(t, "  - {{weapon: {id}");
            match w.status.as_slice() {
                [] => {}
                [one] => {
                    let _ = write!(t, ", status: {one}");
                }
                many => {
                    let _ = write!(t, ", status: [{}]", many.join(", "));
                }
            }
            if let Some(n) = w.quantity {
                let _ = write!(t, ", quantity: {n}");
            }
            t.push_str("}\n");
        }
    }
    end("weapons", &mut t);
    match event.fatalities {
        Some([Some(best), None, None]) => {
            let _ = writeln!(t, "fatalities: {best}");
        }
        Some(f) => {
            let parts: Vec<String> = ["best", "low", "high"]
                .iter()
                .zip(f)
                .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
                .collect();
            let _ = writeln!(t, "fatalities: {{{}}}", parts.join(", "));
        }
        None => {}
    }
    end("fatalities", &mut t);
    if !event.sources.is_empty() {
        t.push_str("sources:\n");
        for s in &event.sources {
            let parts: Vec<String> = s.iter().map(|(k, v)| format!("{k}: {}", q(v))).collect();
            let _ = writeln!(t, "  - {{{}}}", parts.join(", "));
        }
    }
    end("sources", &mut t);
    if !event.tags.is_empty() {
        let tags: Vec<String> = event.tags.iter().map(|s| q(s)).collect();
        let _ = writeln!(t, "tags: [{}]", tags.join(", "));
    }
    end("tags", &mut t);
    let _ = writeln!(t, "import: {{source: {source}, id: {}}}", q(&event.id));
    end("import", &mut t);
    out
}

/// What a file written earlier keeps (`owned`: the keys the import fills). `None` when
/// its front matter cannot be found (then it is not the import's to rewrite).
pub fn kept(existing: &str, owned: &[&str]) -> Option<Kept> {
    let text = existing.replace("\r\n", "\n");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let rest = text.strip_prefix("---\n")?;
    let mut front_end = None;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            front_end = Some((at, at + line.len()));
            break;
        }
        at += line.len();
    }
    let (end, body_start) = front_end?;
    let front = &rest[..end];
    let body = &rest[body_start..];
    // Top-level blocks: a key line and the lines indented or listed under it; comment
    // and blank lines go with the key after them.
    let mut blocks: Vec<(Option<String>, String)> = Vec::new();
    let mut pending = String::new();
    for line in front.split_inclusive('\n') {
        let first = line.chars().next().unwrap_or(' ');
        let top_key = !matches!(first, ' ' | '#' | '-' | '\n') && line.contains(':');
        if top_key {
            let key = line.split(':').next().unwrap_or("").trim().to_string();
            blocks.push((Some(key), std::mem::take(&mut pending) + line));
        } else if first == '#' || line.trim().is_empty() {
            pending.push_str(line);
        } else if let Some(last) = blocks.last_mut() {
            last.1.push_str(&pending);
            pending.clear();
            last.1.push_str(line);
        }
    }
    let mut out = Kept::default();
    for (key, block) in blocks {
        let Some(key) = key else { continue };
        if owned.contains(&key.as_str()) {
            // The comment lines above the key stay with it.
            let comments: String = block
                .split_inclusive('\n')
                .take_while(|l| l.starts_with('#') || l.trim().is_empty())
                .collect();
            out.order.push(Piece::Owned { key, comments });
        } else {
            out.order.push(Piece::Hand(block));
        }
    }
    out.below = match body
        .lines()
        .position(|l| l.trim_start().starts_with("<!-- casefile import"))
    {
        Some(i) => body.split_inclusive('\n').skip(i + 1).collect::<String>(),
        // No marker (an analyst removed it): all of the old text is kept.
        None => body.to_string(),
    };
    Some(out)
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Plain text as Markdown that shows it as written: inline syntax escaped, and what
/// would start a heading, list, quote or rule at the start of a line too.
pub fn escape_markdown(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        out.push_str(&line[..line.len() - trimmed.len()]);
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) {
            out.push_str(&trimmed[..digits]);
            out.push('\\');
            out.push_str(&trimmed[digits..=digits]);
            push_escaped(&mut out, &trimmed[digits + 1..]);
            continue;
        }
        if trimmed.starts_with(['#', '-', '+', '=']) {
            out.push('\\');
        }
        push_escaped(&mut out, trimmed);
    }
    out
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_stays_plain_in_markdown() {
        assert_eq!(
            escape_markdown("a *b* [c](d) <e> & f_g"),
            "a \\*b\\* \\[c\\](d) \\<e\\> \\& f\\_g"
        );
        assert_eq!(
            escape_markdown("# not a heading\n- not a list\n12. not a list"),
            "\\# not a heading\n\\- not a list\n12\\. not a list"
        );
        assert_eq!(
            escape_markdown("On 22 March 2024, fighters"),
            "On 22 March 2024, fighters"
        );
    }

    #[test]
    fn own_keys_and_text_below_the_marker_are_kept() {
        let old = format!(
            "---\ntitle: \"Old\"\n# my note on weapons\nweapons:\n  - {{weapon: rpg-7, status: captured}}\nconfidence: claimed\nimport: {{source: acled, id: \"X1\"}}\n---\nOld notes.\n\n{MARKER}\nMy analysis.\n"
        );
        let k = kept(&old, &["title", "date", "import"]).unwrap();
        assert_eq!(
            k.order,
            vec![
                Piece::Owned {
                    key: "title".into(),
                    comments: String::new()
                },
                Piece::Hand(
                    "# my note on weapons\nweapons:\n  - {weapon: rpg-7, status: captured}\n"
                        .into()
                ),
                Piece::Hand("confidence: claimed\n".into()),
                Piece::Owned {
                    key: "import".into(),
                    comments: String::new()
                },
            ]
        );
        assert_eq!(k.below, "My analysis.\n");
        let k = kept("---\ntitle: x\n---\nNo marker.\n", &["title"]).unwrap();
        assert_eq!(k.below, "No marker.\n");
        assert!(kept("no front matter", &[]).is_none());
    }
}
