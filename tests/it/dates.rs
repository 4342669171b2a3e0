//! Dates and their precision: a day, a month or a year, with an optional latest date
//! and a precision, shown as "week of 18 Mar 2024" or "10–12 Dec 2019"; impossible
//! dates, contradictory precisions and ranges that end before they start are errors.

use crate::util::{self, Site, assert_clean, at, build_fails, build_ok, error_in, inc, printed};

/// The record of incident `id` in `data/incidents.json`.
fn exported(s: &Site, id: &str) -> serde_json::Value {
    util::json(s, "data/incidents.json")
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not exported"))
        .clone()
}

fn date_label(s: &Site, id: &str) -> String {
    exported(s, id)["date_label"].as_str().unwrap().to_string()
}

/// `2024-02-30`, `2024-13-01`, a two-digit year and a timestamp with a `+99:00` offset
/// are each an invalid-date error at the value (3:7).
#[test]
fn impossible_dates_are_errors_at_the_value() {
    let site = Site::basic();
    for (stem, date) in [
        ("feb30", "2024-02-30"),
        ("month13", "2024-13-01"),
        ("short", "24-03-22"),
        ("offset", "2024-03-22T10:00:00+99:00"),
    ] {
        site.file(&inc(stem), &format!("---\ntitle: a\ndate: {date}\n---\n"));
    }
    let r = build_fails(&site);
    assert_eq!(r.errors(), 4, "{:#?}", printed(&r));
    for stem in ["feb30", "month13", "short", "offset"] {
        at(
            error_in(&r, &format!("{stem}.md")),
            "invalid-date",
            &inc(stem),
            3,
            7,
        );
    }
}

/// `date: 2024-03` takes month precision: exported as `2024-03` with precision `month`
/// and the label "March 2024", and the page never shows it as the 1st of March.
#[test]
fn month_date_takes_month_precision_and_is_labelled_with_the_month() {
    let s = Site::basic();
    s.file(
        "content/incidents/march.md",
        "---\ntitle: Sometime in March\ndate: 2024-03\n---\n",
    );
    build_ok(&s);
    let inc = exported(&s, "march");
    assert_eq!(inc["date"], "2024-03");
    assert_eq!(inc["date_precision"], "month");
    assert_eq!(inc["date_label"], "March 2024");
    let text = util::text_of(&util::html(&s.out("incidents/march/index.html")), "main").unwrap();
    assert!(text.contains("March 2024"), "page: {text}");
    assert!(
        !text.contains("1 Mar 2024"),
        "a month shown as a day: {text}"
    );
}

/// `date: 2019-12-10` with `date_end: 2019-12-12` is labelled "10–12 Dec 2019" in the
/// export and on the page.
#[test]
fn date_range_is_labelled_as_a_range() {
    let s = Site::basic();
    s.file(
        "content/incidents/range.md",
        "---\ntitle: Range\ndate: 2019-12-10\ndate_end: 2019-12-12\n---\n",
    );
    assert_clean(&s.build());
    assert_eq!(date_label(&s, "range"), "10–12 Dec 2019");
    let text = util::text_of(&util::html(&s.out("incidents/range/index.html")), "main").unwrap();
    assert!(text.contains("10–12 Dec 2019"), "page: {text}");
}

/// `date: 2024-03` with `date_end: 2024-05`: the label shows both ends of the range.
#[test]
fn month_date_with_a_later_date_end_is_labelled_as_a_range() {
    let s = Site::basic();
    s.file(
        "content/incidents/spring.md",
        "---\ntitle: Spring\ndate: 2024-03\ndate_end: 2024-05\n---\n",
    );
    assert_clean(&s.build());
    let label = date_label(&s, "spring");
    assert!(label.contains("March") || label.contains("Mar"), "{label}");
    assert!(
        label.contains("May"),
        "the label hides the end of the range: {label}"
    );
}

/// `date_precision: week` with a `date_end` three weeks later is shown as "between 18 Mar
/// 2024 and 5 Apr 2024", from the Monday of the first week.
#[test]
fn week_precision_with_a_later_end_shows_the_whole_span() {
    let site = Site::basic();
    site.incident("a", "date_end: 2024-04-05\ndate_precision: week\n", "");
    site.build();
    assert!(
        site.out("incidents/a/index.html")
            .contains("between 18 Mar 2024 and 5 Apr 2024")
    );
}

/// `date_precision: day` on `date: 2024-03` claims more than the date says: an
/// invalid-date error at the precision line.
#[test]
fn day_precision_on_a_month_date_is_an_error() {
    let s = Site::basic();
    s.file(
        "content/incidents/bad.md",
        "---\ntitle: Bad\ndate: 2024-03\ndate_precision: day\n---\n",
    );
    let r = s.build();
    let d = util::one_error(&r);
    util::assert_diag(d, "invalid-date", "content/incidents/bad.md", 4);
}

/// A `date_end` two days before `date` is a date-order error at the `date_end` line.
#[test]
fn date_end_before_date_is_an_error() {
    let s = Site::basic();
    s.file(
        "content/incidents/bad.md",
        "---\ntitle: Bad\ndate: 2024-03-22\ndate_end: 2024-03-20\n---\n",
    );
    let d = util::one_error(&s.build()).clone();
    util::assert_diag(&d, "date-order", "content/incidents/bad.md", 4);
}
