//! Dates as analysts write them: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, an optional latest
//! date, and a precision. Parsing is strict (no two-digit years, no 30 February) and
//! labels are computed here once ("week of 18 Mar 2024").

use super::entity::Precision;
use chrono::{Datelike, Duration, NaiveDate};

/// The form a date was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Form {
    Day,
    Month,
    Year,
}

/// A date with its written form; `start` is the first day it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FuzzyDate {
    pub start: NaiveDate,
    pub form: Form,
}

impl FuzzyDate {
    /// The last day the written date covers.
    pub fn last_day(self) -> NaiveDate {
        match self.form {
            Form::Day => self.start,
            Form::Month => month_end(self.start),
            Form::Year => NaiveDate::from_ymd_opt(self.start.year(), 12, 31).unwrap_or(self.start),
        }
    }

    /// As written: `2024-03-22`, `2024-03` or `2024`.
    pub fn iso(self) -> String {
        match self.form {
            Form::Day => self.start.format("%Y-%m-%d").to_string(),
            Form::Month => self.start.format("%Y-%m").to_string(),
            Form::Year => self.start.format("%Y").to_string(),
        }
    }

    /// For people: `22 Mar 2024`, `March 2024`, `2024`.
    pub fn label(self) -> String {
        match self.form {
            Form::Day => day_label(self.start),
            Form::Month => self.start.format("%B %Y").to_string(),
            Form::Year => self.start.format("%Y").to_string(),
        }
    }
}

fn day_label(d: NaiveDate) -> String {
    format!("{} {}", d.day(), d.format("%b %Y"))
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; `None` for anything else.
pub fn parse(s: &str) -> Option<FuzzyDate> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4)? as i32;
    let (month, day, form) = match parts.len() {
        1 => (1, 1, Form::Year),
        2 => (num(parts[1], 2)?, 1, Form::Month),
        3 => (num(parts[1], 2)?, num(parts[2], 2)?, Form::Day),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day).map(|start| FuzzyDate { start, form })
}

/// When an incident happened, as precisely as we know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDate {
    pub date: FuzzyDate,
    pub end: Option<FuzzyDate>,
    pub precision: Precision,
}

impl EventDate {
    /// The precision implied by the written form when none is given.
    pub fn default_precision(date: FuzzyDate, has_end: bool) -> Precision {
        match date.form {
            Form::Day if has_end => Precision::Days,
            Form::Day => Precision::Day,
            Form::Month => Precision::Month,
            Form::Year => Precision::Year,
        }
    }

    /// Whether `precision` is not finer than the written form allows.
    pub fn precision_fits(date: FuzzyDate, precision: Precision) -> bool {
        match date.form {
            Form::Day => true,
            Form::Month => matches!(precision, Precision::Month | Precision::Year),
            Form::Year => precision == Precision::Year,
        }
    }

    /// "22 Mar 2024", "18–22 Mar 2024", "week of 18 Mar 2024", "March 2024", "2024".
    pub fn label(&self) -> String {
        let start = self.date.start;
        let later_end = self
            .end
            .map(|e| e.last_day())
            .filter(|e| *e > self.date.last_day());
        match self.precision {
            Precision::Day => match later_end {
                Some(end) => range_label(start, end),
                None => day_label(start),
            },
            Precision::Days => match self.end.map(|e| e.last_day()) {
                Some(end) if end != start => range_label(start, end),
                _ => format!("around {}", day_label(start)),
            },
            Precision::Week => {
                let monday =
                    start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
                match later_end.filter(|e| *e > monday + Duration::days(6)) {
                    Some(end) => format!("between {} and {}", day_label(monday), day_label(end)),
                    None => format!("week of {}", day_label(monday)),
                }
            }
            Precision::Month => match self.end.filter(|e| e.last_day() > self.date.last_day()) {
                Some(e) if e.start.year() == start.year() => {
                    format!("{} – {}", start.format("%B"), e.start.format("%B %Y"))
                }
                Some(e) => format!("{} – {}", start.format("%B %Y"), e.start.format("%B %Y")),
                None => start.format("%B %Y").to_string(),
            },
            Precision::Year => match self.end.filter(|e| e.start.year() > start.year()) {
                Some(e) => format!("{}–{}", start.format("%Y"), e.start.format("%Y")),
                None => start.format("%Y").to_string(),
            },
        }
    }
}

fn range_label(a: NaiveDate, b: NaiveDate) -> String {
    if a.year() == b.year() && a.month() == b.month() {
        format!("{}–{}", a.day(), day_label(b))
    } else if a.year() == b.year() {
        format!("{} {} – {}", a.day(), a.format("%b"), day_label(b))
    } else {
        format!("{} – {}", day_label(a), day_label(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_forms() {
        assert!(parse("2024-03-22").is_some());
        assert_eq!(parse("2024-03").map(|d| d.form), Some(Form::Month));
        for bad in [
            "2024-02-30",
            "2024-13-01",
            "24-03-22",
            "2024-3-1",
            "2024-03-22T10:00:00+99:00",
            "",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn week_label_uses_monday() {
        let d = EventDate {
            date: parse("2024-03-22").unwrap(),
            end: None,
            precision: Precision::Week,
        };
        assert_eq!(d.label(), "week of 18 Mar 2024");
    }

    #[test]
    fn days_label_spans_range() {
        let d = EventDate {
            date: parse("2019-12-10").unwrap(),
            end: parse("2019-12-12"),
            precision: Precision::Days,
        };
        assert_eq!(d.label(), "10–12 Dec 2019");
    }
}
