//! The mapping from a spreadsheet's columns to incident fields: its YAML form (a file
//! given with `--map`, or one of the presets in `assets/import/`, read by the same
//! code), and its compiled form, with every template's columns found in the file's
//! header. Neither ACLED nor UCDP is special-cased anywhere else.

use crate::load::front;
use crate::load::raw::{At, Item, Text};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The presets: `casefile import acled|ucdp` use these.
pub const PRESETS: [(&str, &str); 2] = [
    ("acled", include_str!("../../../assets/import/acled.yaml")),
    ("ucdp", include_str!("../../../assets/import/ucdp.yaml")),
];

/// A mapping file as written.
#[derive(Debug, Default, Deserialize)]
pub struct RawMapping {
    pub source: Option<Text>,
    pub id: Option<At<Item<RawField>>>,
    pub title: Option<At<Item<RawField>>>,
    pub date: Option<At<Item<RawField>>>,
    pub date_end: Option<At<Item<RawField>>>,
    pub date_formats: Option<At<Vec<Text>>>,
    pub date_precision: Option<At<Item<RawField>>>,
    pub confidence: Option<At<Item<RawField>>>,
    pub event_type: Option<At<Item<RawField>>>,
    pub location: Option<At<RawLocationMap>>,
    pub groups: Option<At<Vec<At<RawGroupMap>>>>,
    pub weapons: Option<At<Vec<At<RawWeaponMap>>>>,
    pub fatalities: Option<At<RawFatalitiesMap>>,
    pub sources: Option<At<Vec<At<RawSourceMap>>>>,
    pub tags: Option<At<Vec<At<Item<RawField>>>>>,
    pub body: Option<At<Item<RawField>>>,
}

/// One field: a template (`"{event_date}"`, `"ACLED"`, `"{location}, {admin1}"`), or a
/// map whose `value` template is looked up in `map`.
#[derive(Debug, Default, Deserialize)]
pub struct RawField {
    pub value: Option<Text>,
    pub map: Option<At<BTreeMap<String, Option<String>>>>,
    pub default: Option<Text>,
    pub split: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawLocationMap {
    pub name: Option<At<Item<RawField>>>,
    pub admin3: Option<At<Item<RawField>>>,
    pub admin2: Option<At<Item<RawField>>>,
    pub admin1: Option<At<Item<RawField>>>,
    pub country: Option<At<Item<RawField>>>,
    pub lat: Option<At<Item<RawField>>>,
    pub lon: Option<At<Item<RawField>>>,
    pub precision: Option<At<Item<RawField>>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawGroupMap {
    pub name: Option<At<Item<RawField>>>,
    pub role: Option<At<Item<RawField>>>,
    pub attribution: Option<At<Item<RawField>>>,
    pub actor_type: Option<At<Item<RawField>>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawWeaponMap {
    pub name: Option<At<Item<RawField>>>,
    pub status: Option<At<Item<RawField>>>,
    pub quantity: Option<At<Item<RawField>>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFatalitiesMap {
    pub best: Option<At<Item<RawField>>>,
    pub low: Option<At<Item<RawField>>>,
    pub high: Option<At<Item<RawField>>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawSourceMap {
    pub title: Option<At<Item<RawField>>>,
    pub url: Option<At<Item<RawField>>>,
    pub publisher: Option<At<Item<RawField>>>,
    pub date: Option<At<Item<RawField>>>,
    pub kind: Option<At<Item<RawField>>>,
    pub reliability: Option<At<Item<RawField>>>,
    /// Split every field at this separator; the n-th pieces make the n-th source.
    pub split: Option<Text>,
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    /// A column (index into the record); `None` for an optional column the file lacks.
    Column(Option<usize>),
}

/// A compiled template: literal text and columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template(pub Vec<Part>);

impl Template {
    /// The text for `record`, trimmed; empty when every column it names is empty.
    pub fn eval(&self, record: &csv::StringRecord) -> String {
        let mut out = String::new();
        let mut columns = 0;
        let mut filled = 0;
        for p in &self.0 {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Column(c) => {
                    columns += 1;
                    let v = c.and_then(|i| record.get(i)).unwrap_or("").trim();
                    if !v.is_empty() {
                        filled += 1;
                    }
                    out.push_str(v);
                }
            }
        }
        if columns > 0 && filled == 0 {
            return String::new();
        }
        out.trim().to_string()
    }
}

/// A compiled field.
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub template: Template,
    /// Lookup table (keys as written, and normalised: trimmed, lower case); `None`
    /// (`~` in YAML) leaves the field out.
    pub map: Option<BTreeMap<String, Option<String>>>,
    pub default: Option<String>,
    pub split: Option<String>,
    /// The table's keys as written (for messages).
    pub written: Vec<String>,
    /// Where it is written in the mapping, `groups[0].role` (for messages).
    pub key: String,
    /// The template as written (for messages).
    pub text: String,
}

/// Why a field's value could not be made.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmapped {
    pub got: String,
    pub expected: Vec<String>,
}

impl Field {
    /// The field's value for `record`: `None` when empty.
    pub fn get(&self, record: &csv::StringRecord) -> Result<Option<String>, Unmapped> {
        let raw = self.template.eval(record);
        self.look_up(raw)
    }

    /// Each piece of the value, split at `split` (one piece without it), looked up.
    pub fn get_all(&self, record: &csv::StringRecord) -> Result<Vec<String>, Unmapped> {
        let raw = self.template.eval(record);
        let pieces: Vec<String> = match &self.split {
            Some(sep) if !sep.is_empty() => raw
                .split(sep.as_str())
                .map(|s| s.trim().to_string())
                .collect(),
            _ => vec![raw],
        };
        let mut out = Vec::new();
        for p in pieces {
            if let Some(v) = self.look_up(p)? {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// An empty value leaves the field out; a value the table lacks takes `default`.
    fn look_up(&self, raw: String) -> Result<Option<String>, Unmapped> {
        if raw.is_empty() {
            return Ok(None);
        }
        let Some(map) = &self.map else {
            return Ok(Some(raw));
        };
        let found = map.get(&raw).or_else(|| map.get(&raw.to_lowercase()));
        match found {
            Some(v) => Ok(v.clone()),
            None => match &self.default {
                Some(d) => Ok(Some(d.clone())),
                None => Err(Unmapped {
                    got: raw,
                    expected: self.written.clone(),
                }),
            },
        }
    }
}

/// A location's fields.
#[derive(Debug, Clone, Default)]
pub struct LocationMap {
    pub name: Option<Field>,
    pub admin3: Option<Field>,
    pub admin2: Option<Field>,
    pub admin1: Option<Field>,
    pub country: Option<Field>,
    pub lat: Option<Field>,
    pub lon: Option<Field>,
    pub precision: Option<Field>,
}

#[derive(Debug, Clone, Default)]
pub struct GroupMap {
    pub name: Field,
    pub role: Option<Field>,
    pub attribution: Option<Field>,
    pub actor_type: Option<Field>,
}

#[derive(Debug, Clone, Default)]
pub struct WeaponMap {
    pub name: Field,
    pub status: Option<Field>,
    pub quantity: Option<Field>,
}

#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub title: Option<Field>,
    pub url: Option<Field>,
    pub publisher: Option<Field>,
    pub date: Option<Field>,
    pub kind: Option<Field>,
    pub reliability: Option<Field>,
    pub split: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FatalitiesMap {
    pub best: Option<Field>,
    pub low: Option<Field>,
    pub high: Option<Field>,
}

/// A mapping ready to apply to one file's records.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub source: String,
    pub id: Field,
    pub title: Field,
    pub date: Field,
    pub date_end: Option<Field>,
    pub date_formats: Vec<String>,
    pub date_precision: Option<Field>,
    pub confidence: Option<Field>,
    pub event_type: Option<Field>,
    pub location: Option<LocationMap>,
    pub groups: Vec<GroupMap>,
    pub weapons: Vec<WeaponMap>,
    pub fatalities: Option<FatalitiesMap>,
    pub sources: Vec<SourceMap>,
    pub tags: Vec<Field>,
    pub body: Option<Field>,
}

impl Mapping {
    /// The incident keys this mapping fills: on re-import they are replaced, and every
    /// other key of the file is kept as the analyst wrote it.
    pub fn owned_keys(&self) -> Vec<&'static str> {
        let mut keys = vec!["title", "date"];
        let optional = [
            ("date_end", self.date_end.is_some()),
            ("date_precision", self.date_precision.is_some()),
            ("confidence", self.confidence.is_some()),
            ("event_type", self.event_type.is_some()),
            ("location", self.location.is_some()),
            ("groups", !self.groups.is_empty()),
            ("weapons", !self.weapons.is_empty()),
            ("fatalities", self.fatalities.is_some()),
            ("sources", !self.sources.is_empty()),
            ("tags", !self.tags.is_empty()),
        ];
        keys.extend(optional.iter().filter(|(_, on)| *on).map(|(k, _)| *k));
        keys.push("import");
        keys
    }
}

/// A problem in the mapping, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Parse a mapping file's text; `file` names it in messages.
pub fn parse(file: &Path, text: &str) -> Result<RawMapping, Vec<MappingError>> {
    match front::parse_yaml::<RawMapping>(file, text) {
        Ok(parsed) if parsed.unknown.is_empty() => Ok(parsed.value),
        Ok(parsed) => Err(parsed
            .unknown
            .into_iter()
            .map(|k| MappingError {
                line: k.pos.line,
                col: k.pos.col,
                message: format!("unknown key `{}` in the mapping", k.value),
            })
            .collect()),
        Err(d) => Err(vec![MappingError {
            line: d.line,
            col: d.col,
            message: d.message,
        }]),
    }
}

/// Compile `raw` against a header row (names matched ignoring case and spaces at the
/// ends). Templates write columns as `{name}`; `{name?}` is a column the file may lack.
pub fn compile(raw: RawMapping, header: &[String]) -> Result<Mapping, Vec<MappingError>> {
    let mut c = Compiler {
        header,
        errors: Vec::new(),
    };
    let start = At::new((), crate::diag::Pos::START);
    let source = match raw.source {
        Some(s) if is_source_name(&s.value) => s.value,
        Some(s) => {
            c.error(s.pos, format!("`source: {}`: use lower-case letters, digits and `-` (it names the data set in every file)", s.value));
            String::new()
        }
        None => {
            c.error(
                start.pos,
                "the mapping needs `source:`, a short name for the data set (`acled`)".into(),
            );
            String::new()
        }
    };
    let id = c.required(raw.id, "id", &start);
    let title = c.required(raw.title, "title", &start);
    let date = c.required(raw.date, "date", &start);
    let date_formats = raw
        .date_formats
        .map(|l| l.value.into_iter().map(|t| t.value).collect())
        .unwrap_or_default();
    let mapping = Mapping {
        source,
        id,
        title,
        date,
        date_end: c.field(raw.date_end, "date_end"),
        date_formats,
        date_precision: c.field(raw.date_precision, "date_precision"),
        confidence: c.field(raw.confidence, "confidence"),
        event_type: c.field(raw.event_type, "event_type"),
        location: raw.location.map(|l| {
            let l = l.value;
            LocationMap {
                name: c.field(l.name, "location.name"),
                admin3: c.field(l.admin3, "location.admin3"),
                admin2: c.field(l.admin2, "location.admin2"),
                admin1: c.field(l.admin1, "location.admin1"),
                country: c.field(l.country, "location.country"),
                lat: c.field(l.lat, "location.lat"),
                lon: c.field(l.lon, "location.lon"),
                precision: c.field(l.precision, "location.precision"),
            }
        }),
        groups: raw
            .groups
            .map(|l| l.value)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let at = At::new((), g.pos);
                let g = g.value;
                GroupMap {
                    name: c.required(g.name, &format!("groups[{i}].name"), &at),
                    role: c.field(g.role, &format!("groups[{i}].role")),
                    attribution: c.field(g.attribution, &format!("groups[{i}].attribution")),
                    actor_type: c.field(g.actor_type, &format!("groups[{i}].actor_type")),
                }
            })
            .collect(),
        weapons: raw
            .weapons
            .map(|l| l.value)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, w)| {
                let at = At::new((), w.pos);
                let w = w.value;
                WeaponMap {
                    name: c.required(w.name, &format!("weapons[{i}].name"), &at),
                    status: c.field(w.status, &format!("weapons[{i}].status")),
                    quantity: c.field(w.quantity, &format!("weapons[{i}].quantity")),
                }
            })
            .collect(),
        fatalities: raw.fatalities.map(|f| {
            let f = f.value;
            FatalitiesMap {
                best: c.field(f.best, "fatalities.best"),
                low: c.field(f.low, "fatalities.low"),
                high: c.field(f.high, "fatalities.high"),
            }
        }),
        sources: raw
            .sources
            .map(|l| l.value)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let s = s.value;
                let k = |f: &str| format!("sources[{i}].{f}");
                SourceMap {
                    title: c.field(s.title, &k("title")),
                    url: c.field(s.url, &k("url")),
                    publisher: c.field(s.publisher, &k("publisher")),
                    date: c.field(s.date, &k("date")),
                    kind: c.field(s.kind, &k("kind")),
                    reliability: c.field(s.reliability, &k("reliability")),
                    split: s.split.map(|t| t.value).filter(|s| !s.is_empty()),
                }
            })
            .collect(),
        tags: raw
            .tags
            .map(|l| l.value)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter_map(|(i, t)| c.field(Some(t), &format!("tags[{i}]")))
            .collect(),
        body: c.field(raw.body, "body"),
    };
    if c.errors.is_empty() {
        Ok(mapping)
    } else {
        Err(c.errors)
    }
}

fn is_source_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct Compiler<'a> {
    header: &'a [String],
    errors: Vec<MappingError>,
}

impl Compiler<'_> {
    fn error(&mut self, pos: crate::diag::Pos, message: String) {
        self.errors.push(MappingError {
            line: pos.line,
            col: pos.col,
            message,
        });
    }

    fn required(&mut self, f: Option<At<Item<RawField>>>, key: &str, at: &At<()>) -> Field {
        if f.is_none() {
            self.error(at.pos, format!("the mapping needs `{key}`"));
        }
        self.field(f, key).unwrap_or_default()
    }

    fn field(&mut self, f: Option<At<Item<RawField>>>, key: &str) -> Option<Field> {
        let f = f?;
        let pos = f.pos;
        let (template, map, default, split) = match f.value {
            Item::Short(t) => (t, None, None, None),
            Item::Full(RawField {
                value,
                map,
                default,
                split,
            }) => {
                let Some(value) = value else {
                    self.error(
                        pos,
                        format!("`{key}` needs `value`, a template such as \"{{column}}\""),
                    );
                    return None;
                };
                (
                    value.value,
                    map.map(|m| m.value),
                    default.map(|d| d.value),
                    split.map(|s| s.value),
                )
            }
        };
        let text = template.clone();
        let template = match self.template(&template) {
            Ok(t) => t,
            Err(m) => {
                self.error(pos, format!("`{key}`: {m}"));
                return None;
            }
        };
        let written = map
            .as_ref()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let map = map.map(|m| {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                out.insert(k.trim().to_lowercase(), v.clone());
                out.insert(k.trim().to_string(), v);
            }
            out
        });
        Some(Field {
            template,
            map,
            default,
            split: split.filter(|s| !s.is_empty()),
            written,
            key: key.to_string(),
            text,
        })
    }

    /// `"{a}, {b?} text"` -> parts; `{{` and `}}` are literal braces.
    fn template(&self, t: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = t.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => return Err(format!("`{{{name}` is not closed with `}}`")),
                        }
                    }
                    let (name, optional) = match name.trim().strip_suffix('?') {
                        Some(n) => (n.trim().to_string(), true),
                        None => (name.trim().to_string(), false),
                    };
                    let found = self
                        .header
                        .iter()
                        .position(|h| h.trim().eq_ignore_ascii_case(&name));
                    if found.is_none() && !optional {
                        let close =
                            crate::diag::closest(&name, self.header.iter().map(String::as_str));
                        let hint = close
                            .first()
                            .map(|c| format!(" (did you mean `{c}`?)"))
                            .unwrap_or_default();
                        return Err(format!(
                            "the file has no column `{name}`{hint}; write `{{{name}?}}` if it may be missing"
                        ));
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Column(found));
                }
                '}' => return Err("a lone `}`; write `}}` for a brace".into()),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template(parts))
    }
}
