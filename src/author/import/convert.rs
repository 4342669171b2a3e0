//! One spreadsheet row to one event: every field of the mapping evaluated, dates
//! parsed in the mapping's formats, numbers and coordinates checked, and every word
//! (precision, role, status...) checked against the content format's vocabularies, so
//! that each file the import writes passes `casefile check`. A row with any problem
//! gives all its problems, each naming the mapping key at fault.

use super::mapping::{Field, Mapping, Unmapped};
use crate::model::dates::{self, EventDate};
use crate::model::entity::*;
use chrono::NaiveDate;

/// One row, ready to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Event {
    /// The line of the file the row starts on.
    pub line: u64,
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD` (or a shorter casefile date form, as written).
    pub date: String,
    pub year: i32,
    pub date_end: Option<String>,
    pub date_precision: Option<&'static str>,
    pub confidence: Option<&'static str>,
    pub event_type: Option<&'static str>,
    pub location: Vec<(&'static str, String)>,
    pub groups: Vec<Actor>,
    pub weapons: Vec<Seen>,
    /// best, low, high.
    pub fatalities: Option<[Option<u64>; 3]>,
    pub sources: Vec<Vec<(&'static str, String)>>,
    pub tags: Vec<String>,
    pub body: String,
}

/// A group named by a row, with its role.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub name: String,
    pub role: Option<&'static str>,
    pub attribution: Option<&'static str>,
    /// For a group made by `--create-groups`.
    pub actor_type: Option<&'static str>,
}

/// A weapon type named by a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub name: String,
    pub status: Vec<&'static str>,
    pub quantity: Option<u64>,
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

/// Convert one record.
pub fn event(m: &Mapping, record: &csv::StringRecord, line: u64) -> Result<Event, Vec<RowError>> {
    let mut r = Row {
        record,
        line,
        errors: Vec::new(),
    };
    let id = r.text(&m.id);
    if id.is_none() {
        r.error(format!("no event id: `id` ({}) is empty", m.id.text));
    }
    let title = r.text(&m.title);
    if title.is_none() {
        r.error(format!("no title: `title` ({}) is empty", m.title.text));
    }
    let date = r.date(&m.date, &m.date_formats);
    if date.is_none() && r.errors.iter().all(|e| !e.message.contains("date")) {
        r.error(format!("no date: `date` ({}) is empty", m.date.text));
    }
    let date_end = m.date_end.as_ref().and_then(|f| r.date(f, &m.date_formats));
    let date_precision = m
        .date_precision
        .as_ref()
        .and_then(|f| r.word(f, Precision::parse, Precision::as_str, &Precision::names()));
    if let (Some(d), Some(e)) = (date, date_end)
        && e.last_day() < d.start
    {
        r.error(format!(
            "the end date {} is before the date {}",
            e.iso(),
            d.iso()
        ));
    }
    if let (Some(d), Some(p)) = (date, date_precision)
        && let Some(p) = Precision::parse(p)
        && !EventDate::precision_fits(d, p)
    {
        r.error(format!(
            "date {} is too coarse for precision `{}`",
            d.iso(),
            p.as_str()
        ));
    }
    let confidence = m.confidence.as_ref().and_then(|f| {
        r.word(
            f,
            Confidence::parse,
            Confidence::as_str,
            &Confidence::names(),
        )
    });
    let event_type = m
        .event_type
        .as_ref()
        .and_then(|f| r.word(f, EventType::parse, EventType::as_str, &EventType::names()));
    let location = m
        .location
        .as_ref()
        .map(|l| r.location(l))
        .unwrap_or_default();
    let groups = r.groups(m);
    let weapons = r.weapons(m);
    let fatalities = m.fatalities.as_ref().and_then(|f| r.fatalities(f));
    let sources = r.sources(m);
    let mut tags = Vec::new();
    for f in &m.tags {
        for t in r.all(f) {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
    }
    let body = m.body.as_ref().and_then(|f| r.text(f)).unwrap_or_default();
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    let (Some(id), Some(title), Some(date)) = (id, title, date) else {
        return Err(r.errors);
    };
    // A one-day span is that day.
    let date_end = date_end.filter(|e| *e != date);
    Ok(Event {
        line,
        id,
        title,
        date: date.iso(),
        year: chrono::Datelike::year(&date.start),
        date_end: date_end.map(|e| e.iso()),
        date_precision,
        confidence,
        event_type,
        location,
        groups,
        weapons,
        fatalities,
        sources,
        tags,
        body,
    })
}

struct Row<'a> {
    record: &'a csv::StringRecord,
    line: u64,
    errors: Vec<RowError>,
}

impl Row<'_> {
    fn error(&mut self, message: String) {
        self.errors.push(RowError {
            line: self.line,
            message,
        });
    }

    fn unmapped(&mut self, f: &Field, u: Unmapped) {
        self.error(format!(
            "`{}`: `{}` is not in its table ({})",
            f.key,
            u.got,
            u.expected.join(", ")
        ));
    }

    fn text(&mut self, f: &Field) -> Option<String> {
        match f.get(self.record) {
            Ok(v) => v,
            Err(u) => {
                self.unmapped(f, u);
                None
            }
        }
    }

    fn all(&mut self, f: &Field) -> Vec<String> {
        match f.get_all(self.record) {
            Ok(v) => v,
            Err(u) => {
                self.unmapped(f, u);
                Vec::new()
            }
        }
    }

    /// A field whose value must be one word of a vocabulary.
    fn word<W>(
        &mut self,
        f: &Field,
        parse: fn(&str) -> Option<W>,
        as_str: fn(W) -> &'static str,
        names: &[&str],
    ) -> Option<&'static str> {
        let v = self.text(f)?;
        match parse(&v) {
            Some(w) => Some(as_str(w)),
            None => {
                self.error(format!(
                    "`{}`: `{v}` is not one of {}",
                    f.key,
                    names.join(", ")
                ));
                None
            }
        }
    }

    fn date(&mut self, f: &Field, formats: &[String]) -> Option<dates::FuzzyDate> {
        let v = self.text(f)?;
        match parse_date(&v, formats) {
            Some(d) => Some(d),
            None => {
                let mut forms = vec!["YYYY-MM-DD".to_string()];
                forms.extend(formats.iter().cloned());
                self.error(format!(
                    "`{}`: bad date `{v}`; the mapping reads dates as {}",
                    f.key,
                    forms.join(", ")
                ));
                None
            }
        }
    }

    fn number(&mut self, f: &Field) -> Option<u64> {
        let v = self.text(f)?;
        // Spreadsheets write whole numbers as `12.0` at times.
        let plain = v.strip_suffix(".0").unwrap_or(&v);
        match plain.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(format!(
                    "`{}`: `{v}` is not a whole number of 0 or more",
                    f.key
                ));
                None
            }
        }
    }

    fn coordinate(&mut self, f: &Field, limit: f64) -> Option<f64> {
        let v = self.text(f)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => Some(x),
            _ => {
                self.error(format!(
                    "`{}`: bad coordinate `{v}`; write decimal degrees between -{limit} and {limit}",
                    f.key
                ));
                None
            }
        }
    }

    fn location(&mut self, l: &super::mapping::LocationMap) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let texts = [
            ("name", &l.name),
            ("admin3", &l.admin3),
            ("admin2", &l.admin2),
            ("admin1", &l.admin1),
            ("country", &l.country),
        ];
        for (k, f) in texts {
            if let Some(v) = f.as_ref().and_then(|f| self.text(f)) {
                out.push((k, v));
            }
        }
        let before = self.errors.len();
        let lat = l.lat.as_ref().and_then(|f| self.coordinate(f, 90.0));
        let lon = l.lon.as_ref().and_then(|f| self.coordinate(f, 180.0));
        match (lat, lon) {
            _ if self.errors.len() > before => {}
            (Some(a), Some(o)) => {
                out.push(("lat", a.to_string()));
                out.push(("lon", o.to_string()));
            }
            (None, None) => {}
            _ => self.error("a latitude without a longitude, or the reverse".into()),
        }
        if let Some(p) = l.precision.as_ref().and_then(|f| {
            self.word(
                f,
                LocationPrecision::parse,
                LocationPrecision::as_str,
                &LocationPrecision::names(),
            )
        }) {
            out.push(("precision", p.to_string()));
        }
        out
    }

    fn groups(&mut self, m: &Mapping) -> Vec<Actor> {
        let mut out: Vec<Actor> = Vec::new();
        for g in &m.groups {
            let names = self.all(&g.name);
            if names.is_empty() {
                continue;
            }
            let role = g
                .role
                .as_ref()
                .and_then(|f| self.word(f, Role::parse, Role::as_str, &Role::names()));
            let attribution = g.attribution.as_ref().and_then(|f| {
                self.word(
                    f,
                    Attribution::parse,
                    Attribution::as_str,
                    &Attribution::names(),
                )
            });
            let actor_type = g.actor_type.as_ref().and_then(|f| {
                self.word(f, ActorType::parse, ActorType::as_str, &ActorType::names())
            });
            for name in names {
                let a = Actor {
                    name,
                    role,
                    attribution,
                    actor_type,
                };
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }

    fn weapons(&mut self, m: &Mapping) -> Vec<Seen> {
        let mut out = Vec::new();
        for w in &m.weapons {
            let names = self.all(&w.name);
            if names.is_empty() {
                continue;
            }
            let mut status = Vec::new();
            if let Some(f) = &w.status {
                for s in self.all(f) {
                    match Status::parse(&s) {
                        Some(s) => status.push(s.as_str()),
                        None => self.error(format!(
                            "`{}`: `{s}` is not one of {}",
                            f.key,
                            Status::names().join(", ")
                        )),
                    }
                }
            }
            let quantity = w.quantity.as_ref().and_then(|f| self.number(f));
            for name in names {
                out.push(Seen {
                    name,
                    status: status.clone(),
                    quantity,
                });
            }
        }
        out
    }

    fn fatalities(&mut self, f: &super::mapping::FatalitiesMap) -> Option<[Option<u64>; 3]> {
        let best = f.best.as_ref().and_then(|x| self.number(x));
        let low = f.low.as_ref().and_then(|x| self.number(x));
        let high = f.high.as_ref().and_then(|x| self.number(x));
        if !crate::model::resolve::fatalities_ordered(best, low, high) {
            self.error(format!(
                "fatalities must satisfy low <= best <= high (low {}, best {}, high {})",
                show(low),
                show(best),
                show(high)
            ));
            return None;
        }
        (best.is_some() || low.is_some() || high.is_some()).then_some([best, low, high])
    }

    fn sources(&mut self, m: &Mapping) -> Vec<Vec<(&'static str, String)>> {
        let mut out: Vec<Vec<(&'static str, String)>> = Vec::new();
        for s in &m.sources {
            let fields = [
                ("title", &s.title),
                ("url", &s.url),
                ("publisher", &s.publisher),
                ("date", &s.date),
                ("kind", &s.kind),
                ("reliability", &s.reliability),
            ];
            // Each field's pieces; the n-th pieces make the n-th source, and a field
            // with a single piece goes with every source.
            let mut pieces: Vec<(&'static str, &Field, Vec<String>)> = Vec::new();
            for (k, f) in fields {
                let Some(f) = f else { continue };
                let v = self.text(f).unwrap_or_default();
                let parts = match &s.split {
                    Some(sep) => v
                        .split(sep.as_str())
                        .map(|p| p.trim().to_string())
                        .collect(),
                    None => vec![v],
                };
                pieces.push((k, f, parts));
            }
            let n = pieces.iter().map(|p| p.2.len()).max().unwrap_or(0);
            for i in 0..n {
                let mut src = Vec::new();
                for (k, f, parts) in &pieces {
                    let v = match parts.len() {
                        1 => parts[0].as_str(),
                        _ => parts.get(i).map_or("", String::as_str),
                    };
                    if v.is_empty() {
                        continue;
                    }
                    if let Some(v) = self.source_value(k, f, v, &m.date_formats) {
                        src.push((*k, v));
                    }
                }
                let named = src
                    .iter()
                    .any(|(k, _)| matches!(*k, "title" | "url" | "publisher"));
                if named && !out.contains(&src) {
                    out.push(src);
                }
            }
        }
        out
    }

    fn source_value(&mut self, k: &str, f: &Field, v: &str, formats: &[String]) -> Option<String> {
        // A source's date is read like the event's, and written as casefile writes
        // dates.
        if k == "date"
            && let Some(d) = parse_date(v, formats)
        {
            return Some(d.iso());
        }
        let ok = match k {
            "url" => {
                (v.starts_with("http://") || v.starts_with("https://"))
                    && !v.contains([' ', '"', '<', '>'])
            }
            "date" => false,
            "kind" => SourceKind::parse(v).is_some(),
            "reliability" => Reliability::parse(v).is_some(),
            _ => true,
        };
        if ok {
            Some(v.to_string())
        } else {
            let want = match k {
                "url" => "an http:// or https:// address".to_string(),
                "date" => "a date in YYYY-MM-DD or one of the mapping's date_formats".to_string(),
                "kind" => SourceKind::names().join(", "),
                _ => Reliability::names().join(", "),
            };
            self.error(format!("`{}`: `{v}` is not {want}", f.key));
            None
        }
    }
}

fn show(n: Option<u64>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

/// A date in casefile's own forms, else in one of `formats` (chrono's `%Y-%m-%d`
/// notation; a format with a time part reads the date and drops the time).
pub fn parse_date(v: &str, formats: &[String]) -> Option<dates::FuzzyDate> {
    if let Some(d) = dates::parse(v) {
        return Some(d);
    }
    // A year before 1000 is a short year read by `%Y` (`22-Mar-24` as the year 24):
    // the next format is tried.
    let day = formats.iter().find_map(|f| {
        NaiveDate::parse_from_str(v, f)
            .ok()
            .or_else(|| {
                chrono::NaiveDateTime::parse_from_str(v, f)
                    .ok()
                    .map(|t| t.date())
            })
            .filter(|d| chrono::Datelike::year(d) >= 1000)
    })?;
    dates::parse(&day.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_form_acled_and_ucdp_write() {
        let f: Vec<String> = ["%Y-%m-%d %H:%M:%S%.f", "%d %B %Y", "%d-%B-%Y", "%d-%b-%y"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let iso = |s: &str| parse_date(s, &f).map(|d| d.iso());
        assert_eq!(iso("2024-03-22").as_deref(), Some("2024-03-22"));
        assert_eq!(iso("22 March 2024").as_deref(), Some("2024-03-22"));
        assert_eq!(iso("2 March 2024").as_deref(), Some("2024-03-02"));
        assert_eq!(iso("22-March-2024").as_deref(), Some("2024-03-22"));
        assert_eq!(iso("22-Mar-24").as_deref(), Some("2024-03-22"));
        assert_eq!(
            iso("2017-07-31 00:00:00.000").as_deref(),
            Some("2017-07-31")
        );
        assert_eq!(iso("2024-03").as_deref(), Some("2024-03"));
        assert_eq!(iso("31 February 2024"), None);
        assert_eq!(iso("2024-13-01"), None);
        assert_eq!(iso("yesterday"), None);
    }
}
