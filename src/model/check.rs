//! Field-level checks shared by every resolver: required and optional text, closed
//! vocabularies with "did you mean", dates, URLs and coordinates. Each check reports to
//! the file's diagnostics and returns `None` on failure so resolving can go on.

use super::dates::{self, FuzzyDate};
use crate::diag::{Code, Diagnostic, Pos, closest, code, did_you_mean};
use crate::load::SourceFile;
use crate::load::raw::{At, List, Text};

/// Diagnostics for one file being resolved.
pub struct Checker<'a> {
    pub file: &'a SourceFile,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        Checker {
            file,
            diags: Vec::new(),
        }
    }

    pub fn error(
        &mut self,
        code: Code,
        pos: Pos,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(code, &self.file.rel, pos, message);
        self.diags.push(match hint {
            Some(h) => d.with_hint(h),
            None => d,
        });
    }

    pub fn warn(&mut self, code: Code, pos: Pos, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::warning(code, &self.file.rel, pos, message);
        d.hint = hint;
        self.diags.push(d);
    }

    /// Optional text: trimmed; blank counts as absent.
    pub fn text(&mut self, t: Option<Text>) -> Option<String> {
        t.map(|t| t.value.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// Required text at a top-level key: "missing" or "is empty" errors.
    pub fn required(&mut self, t: Option<Text>, key: &str) -> Option<String> {
        match t {
            Some(t) if !t.value.trim().is_empty() => Some(t.value.trim().to_string()),
            Some(t) => {
                self.error(
                    code::EMPTY_FIELD,
                    t.pos,
                    format!("{key} is empty"),
                    Some(format!("write a value for `{key}`")),
                );
                None
            }
            None => {
                let present = self.file.front_keys.iter().any(|(k, _)| k == key);
                let (msg, pos) = if present {
                    (format!("{key} is empty"), self.file.key_pos(key))
                } else {
                    (format!("missing required key `{key}`"), Pos::START)
                };
                self.error(
                    if present {
                        code::EMPTY_FIELD
                    } else {
                        code::MISSING_FIELD
                    },
                    pos,
                    msg,
                    Some(format!("add `{key}: ...` to the front matter")),
                );
                None
            }
        }
    }

    /// A value from a closed list, e.g. `confidence: claimed`.
    pub fn vocab<E>(
        &mut self,
        t: Option<Text>,
        key: &str,
        parse: fn(&str) -> Option<E>,
        names: &[&'static str],
    ) -> Option<E> {
        let t = t?;
        let v = t.value.trim();
        if let Some(e) = parse(v).or_else(|| parse(&v.to_lowercase().replace([' ', '-'], "_"))) {
            return Some(e);
        }
        let hint = did_you_mean(&closest(v, names.iter().copied()))
            .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
        self.error(
            code::BAD_VALUE,
            t.pos,
            format!("`{v}` is not a valid {key}"),
            Some(hint),
        );
        None
    }

    pub fn date(&mut self, t: Option<Text>, key: &str) -> Option<FuzzyDate> {
        let t = t?;
        let parsed = dates::parse(&t.value);
        if parsed.is_none() {
            self.error(
                code::BAD_DATE,
                t.pos,
                format!("`{}` is not a valid {key}", t.value.trim()),
                Some("write YYYY-MM-DD, YYYY-MM or YYYY, with a real day".into()),
            );
        }
        parsed
    }

    /// An http(s) URL; anything else (javascript:, data:, relative) is an error.
    pub fn url(&mut self, value: &str, pos: Pos) -> Option<String> {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
            && v.len() > lower.find("://").unwrap_or(0) + 3
            && !v
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
        if ok {
            Some(v.to_string())
        } else {
            self.error(
                code::BAD_URL,
                pos,
                format!("`{}` is not an http(s) URL", short(v)),
                Some("sources and evidence must be http:// or https:// links".into()),
            );
            None
        }
    }

    pub fn coordinate(&mut self, v: Option<At<f64>>, key: &str, limit: f64) -> Option<f64> {
        let v = v?;
        if v.value.is_finite() && v.value.abs() <= limit {
            Some(v.value)
        } else {
            self.error(
                code::BAD_COORDINATE,
                v.pos,
                format!("{key} {} is out of range", v.value),
                Some(format!(
                    "{key} must be a number between -{limit} and {limit} (WGS84 degrees)"
                )),
            );
            None
        }
    }

    /// A list of strings, trimmed, blanks dropped.
    pub fn strings(&mut self, l: Option<List<String>>) -> Vec<String> {
        l.map(|l| {
            l.value
                .into_iter()
                .map(|s| s.value.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
    }
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}
