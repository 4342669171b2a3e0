//! YAML front matter parsing: the only module that knows the YAML crate (serde-saphyr),
//! so the parser can be swapped here alone. It turns a front matter block into a `Raw*`
//! value, lists unknown keys, and maps every YAML failure to a located diagnostic.
//!
//! Policy (docs/guide.md): tags (`!include`, `!!binary`) and merge keys (`<<`) are
//! errors; anchors and aliases are allowed under a small budget; duplicate keys are
//! errors naming both lines; booleans are only `true`/`false`; tabs may not indent.

use super::raw::{At, FrontMatter, Item, OneOrMany, RawFatalities, RawRange};
use crate::diag::{Code, Diagnostic, Pos, code};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

/// A parsed block plus the unknown keys found in it (name and position).
pub struct Parsed<T> {
    pub value: T,
    pub unknown: Vec<At<String>>,
}

/// Parse `text[..front_end]`, whose first line is the opening fence. Positions in the
/// result count from the first line of the file. The front matter types report their
/// own unknown keys (`raw::FrontMatter`), so no `serde_ignored` wrapper is needed.
pub fn parse<T: FrontMatter>(
    file: &Path,
    text: &str,
    front_end: usize,
) -> Result<Parsed<T>, Diagnostic> {
    let front = &text[..front_end.min(text.len())];
    check_tabs(file, front)?;
    // Blank the opening fence so that line, column and offset match the file.
    let fence_len = front.find('\n').unwrap_or(front.len());
    let yaml = format!("{}{}", " ".repeat(fence_len), &front[fence_len..]);
    check_tags(file, &yaml)?;
    UNKNOWN.with(|u| *u.borrow_mut() = Some(Vec::new()));
    let result: Result<T, serde_saphyr::Error> =
        serde_saphyr::from_str_with_options(&yaml, options());
    let ignored = UNKNOWN.with(|u| u.borrow_mut().take()).unwrap_or_default();
    let value = result.map_err(|e| to_diagnostic(file, &yaml, &e))?;
    Ok(Parsed {
        value,
        unknown: locate_keys(&yaml, ignored),
    })
}

thread_local! {
    /// The unknown keys of the front matter being parsed on this thread (`None`
    /// outside `parse`).
    static UNKNOWN: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Called by a `FrontMatter` type for a key it does not know.
pub(super) fn note_unknown(key: String) {
    UNKNOWN.with(|u| {
        if let Some(keys) = u.borrow_mut().as_mut() {
            keys.push(key);
        }
    });
}

/// A map key as text, whatever scalar it was written as (`1: x` gives "1").
pub(super) struct Key(pub String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(Key(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// Parse a whole YAML file (site.yaml).
pub fn parse_yaml<T: DeserializeOwned>(file: &Path, yaml: &str) -> Result<Parsed<T>, Diagnostic> {
    check_tabs(file, yaml)?;
    check_tags(file, yaml)?;
    let mut ignored = Vec::new();
    let result: Result<T, serde_saphyr::Error> =
        serde_saphyr::with_deserializer_from_str_with_options(yaml, options(), |d| {
            serde_ignored::deserialize(d, |path| {
                // The span-capturing wrapper's private fields show up as "ignored"; skip
                // them without formatting the path (this runs for every located value).
                if let serde_ignored::Path::Map { key, .. } = &path
                    && !key.starts_with("__serde_saphyr")
                {
                    ignored.push(key.clone());
                }
            })
        });
    let value = result.map_err(|e| to_diagnostic(file, yaml, &e))?;
    Ok(Parsed {
        value,
        unknown: locate_keys(yaml, ignored),
    })
}

/// Each unknown key with its position: the n-th report of a key is its n-th
/// occurrence in the text.
fn locate_keys(yaml: &str, ignored: Vec<String>) -> Vec<At<String>> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    ignored
        .into_iter()
        .map(|key| {
            // The n-th report of a key is its n-th occurrence in the text.
            let n = match seen.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((key.clone(), 0));
                    0
                }
            };
            let pos = find_key_nth(yaml, &key, n).unwrap_or(Pos::START);
            At::new(key, pos)
        })
        .collect()
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 20_000;
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_events = 100_000;
    let mut o = serde_saphyr::Options::default();
    o.budget = Some(budget);
    o.strict_booleans = true;
    o.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    o.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    o.reject_unsupported_tags = true;
    o.with_snippet = false;
    o
}

fn check_tabs(file: &Path, yaml: &str) -> Result<(), Diagnostic> {
    for (i, line) in yaml.split('\n').enumerate() {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        if let Some(col) = indent.find('\t')
            && !line.trim().is_empty()
        {
            let pos = Pos::new(i as u32 + 1, col as u32 + 1);
            return Err(Diagnostic::error(
                code::TAB_INDENT,
                file,
                pos,
                "tab character in indentation",
            )
            .with_hint("YAML indentation must use spaces, not tabs"));
        }
    }
    Ok(())
}

/// YAML tags (`!include`, `!!binary`, `!foo`) are refused before parsing: a tag
/// starts a value, after `: `, `- `, `[`, `{` or `,`, outside quotes.
fn check_tags(file: &Path, yaml: &str) -> Result<(), Diagnostic> {
    for (i, line) in yaml.split('\n').enumerate() {
        let mut quote: Option<char> = None;
        let mut before_value = true;
        let mut blank_so_far = true;
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
            } else if c == '!' && before_value {
                let pos = Pos::new(i as u32 + 1, col as u32 + 1);
                return Err(Diagnostic::error(
                    code::YAML_TAG,
                    file,
                    pos,
                    "YAML tags (`!...`) are not supported",
                )
                .with_hint("write the value as plain text; quote it if it starts with `!`"));
            } else if c == '#' && prev == ' ' {
                break;
            } else if c != ' ' {
                quote = (c == '"' || c == '\'').then_some(c);
                before_value = matches!(c, ':' | '[' | '{' | ',') || (c == '-' && blank_so_far);
                blank_so_far = false;
            }
            prev = c;
        }
    }
    Ok(())
}

fn to_diagnostic(file: &Path, yaml: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let full = e.to_string();
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let pos = e
        .location()
        .map(|l| Pos::new(l.line() as u32, l.column() as u32))
        .filter(|p| p.is_known())
        .unwrap_or(Pos::START);
    let (code, message, hint) = classify(&message, yaml, pos);
    let d = Diagnostic::error(code, file, pos, message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

fn classify(message: &str, yaml: &str, pos: Pos) -> (Code, String, Option<String>) {
    let lower = message.to_lowercase();
    if lower.contains("duplicate mapping key") {
        let key = message
            .split("key: ")
            .nth(1)
            .and_then(|s| s.split(',').next())
            .unwrap_or("")
            .trim()
            .to_string();
        let first = first_key_line(yaml, &key, pos);
        let msg = match first {
            Some(l) => format!(
                "duplicate key `{key}` (first at line {l}, again at line {})",
                pos.line
            ),
            None => format!("duplicate key `{key}`"),
        };
        return (code::DUPLICATE_KEY, msg, Some("keep one of the two".into()));
    }
    if lower.contains("budget") || lower.contains("recursion") || lower.contains("depth") {
        return (
            code::YAML_LIMIT,
            format!("front matter too deeply nested or too large ({message})"),
            Some("front matter should be a flat map of a few keys".into()),
        );
    }
    if lower.contains("merge key") {
        return (
            code::YAML_TAG,
            "merge keys (`<<`) are not supported".into(),
            Some("write the keys out".into()),
        );
    }
    if lower.contains("tag") {
        return (
            code::YAML_TAG,
            format!("YAML tags are not supported ({message})"),
            Some("remove the `!` tag; write the value as plain text".into()),
        );
    }
    if lower.contains("mapping values are not allowed") {
        return (
            code::YAML,
            "unexpected `:` in a plain value".into(),
            Some("quote the value: title: \"Attack: Kaya\"".into()),
        );
    }
    if lower.contains("unclosed quote") || lower.contains("quoted scalar") {
        return (
            code::YAML,
            "unclosed quote".into(),
            Some("close the quote on the same value".into()),
        );
    }
    if lower.contains("invalid")
        || lower.contains("expected")
        || lower.contains("missing field")
        || lower.contains("unknown variant")
    {
        return (code::YAML_TYPE, message.to_string(), type_hint(&lower));
    }
    (code::YAML, message.to_string(), None)
}

fn type_hint(lower: &str) -> Option<String> {
    if lower.contains("boolean") {
        Some("write true or false".into())
    } else if lower.contains("sequence") {
        Some("write a list: [a, b] or one `- item` per line".into())
    } else if lower.contains("u64") || lower.contains("u32") || lower.contains("integer") {
        Some("write a whole number of 0 or more".into())
    } else {
        None
    }
}

/// The nearest line before the duplicate at `dup` where `key:` starts an entry in the
/// same column (the same mapping); scanning stops at a line indented less.
fn first_key_line(yaml: &str, key: &str, dup: Pos) -> Option<u32> {
    let lines: Vec<&str> = yaml.split('\n').collect();
    let col = dup.col as usize;
    (0..(dup.line as usize).saturating_sub(1))
        .rev()
        .find_map(|i| {
            let p = key_positions(lines[i], key)
                .into_iter()
                .find(|c| *c + 1 == col)?;
            Some((i as u32 + 1, p)).map(|(l, _)| l)
        })
}

/// Character columns (0-based) where `key:` stands as a mapping key on this line:
/// at the start of the content (after indentation or `- `), or after `{` / `,` in a
/// flow map. Text inside quotes is skipped.
fn key_positions(line: &str, key: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let k: Vec<char> = key.chars().collect();
    let mut quote: Option<char> = None;
    let mut at_key_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (i == 0 || chars[i - 1] == ' ') => break,
            None if at_key_start && chars[i..].starts_with(&k) => {
                let rest: String = chars[i + k.len()..].iter().collect();
                if rest.trim_start().starts_with(':') {
                    out.push(i);
                }
                at_key_start = false;
            }
            None => {}
        }
        if quote.is_none() {
            at_key_start = match c {
                ' ' => at_key_start,
                '-' => at_key_start && chars.get(i + 1) == Some(&' '),
                '{' | ',' => true,
                _ => false,
            } || (at_key_start && c == ' ');
        }
        i += 1;
    }
    out
}

/// Where `key:` appears as a key for the `n`-th time (0-based), block or flow style.
pub fn find_key_nth(yaml: &str, key: &str, n: usize) -> Option<Pos> {
    yaml.split('\n')
        .enumerate()
        .flat_map(|(i, line)| {
            key_positions(line, key)
                .into_iter()
                .map(move |c| Pos::new(i as u32 + 1, c as u32 + 1))
        })
        .nth(n)
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let l = s.referenced;
        Ok(At::new(
            s.value,
            Pos::new(l.line() as u32, l.column() as u32),
        ))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Item<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name or a map")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Item::Short(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Item::Full)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de> Deserialize<'de> for RawFatalities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFatalities;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of 0 or more, or {best, low, high}")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawFatalities::Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                u64::try_from(v)
                    .map(RawFatalities::Count)
                    .map_err(|_| E::custom("invalid fatalities: a count cannot be negative"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Err(E::custom("invalid fatalities: expected a whole number"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Err(E::custom(format!(
                    "invalid fatalities `{v}`: expected a whole number or {{best, low, high}}"
                )))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawRange::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawFatalities::Range)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![At::new(v.to_owned(), Pos::FILE)]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<At<String>>()? {
                    out.push(v);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawIncident;

    fn p(src: &str) -> Result<Parsed<RawIncident>, Diagnostic> {
        parse(Path::new("x.md"), src, src.len())
    }

    #[test]
    fn positions_count_from_file_start() {
        let r = p("---\ntitle: Hello\ntags: [a, b]\n").unwrap();
        assert_eq!(r.value.title.unwrap().pos, Pos::new(2, 8));
    }

    #[test]
    fn unknown_keys_are_listed_with_position() {
        let r = p("---\ntitle: a\nfatalitis: 2\n").unwrap();
        assert_eq!(
            r.unknown,
            vec![At::new("fatalitis".to_string(), Pos::new(3, 1))]
        );
    }

    #[test]
    fn unquoted_colon_hints_quoting() {
        let e = p("---\ntitle: Attack: Kaya\n").err().unwrap();
        assert_eq!((e.line, e.col), (2, 14));
        assert!(e.hint.unwrap().contains("quote"));
    }

    #[test]
    fn duplicate_key_names_both_lines() {
        let e = p("---\ntitle: a\ntitle: b\n").err().unwrap();
        assert!(
            e.message.contains("line 2") && e.message.contains("line 3"),
            "{}",
            e.message
        );
    }

    #[test]
    fn tags_are_refused_but_bangs_in_text_are_not() {
        assert_eq!(
            p("---\ntitle: !!binary aGVsbG8=\n").err().unwrap().code,
            code::YAML_TAG
        );
        assert_eq!(
            p("---\ntags: [a, !x b]\n").err().unwrap().code,
            code::YAML_TAG
        );
        assert!(p("---\ntitle: \"!wow\"\nsummary: Attack! Really\n").is_ok());
    }

    #[test]
    fn key_positions_skip_values_and_quotes() {
        assert_eq!(
            key_positions("summary: \"typo fatalitis: here\"", "fatalitis"),
            Vec::<usize>::new()
        );
        assert_eq!(key_positions("  - {group: x, role: y}", "role"), vec![15]);
        assert_eq!(key_positions("fatalitis: 2", "fatalitis"), vec![0]);
    }

    #[test]
    fn tab_indent_is_an_error() {
        let e = p("---\nlocation:\n\tname: x\n").err().unwrap();
        assert_eq!((e.code, e.line), (code::TAB_INDENT, 3));
    }
}
