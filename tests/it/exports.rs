//! Data exports: `data/incidents.json` keeps the text and numbers as written;
//! `data/incidents.csv` follows ACLED's columns and defuses cells a spreadsheet would
//! run. (The example site's exports are checked in example_site.rs.)

use crate::util::{self, Site, assert_clean, build_ok, inc};

/// `data/incidents.csv` of a built site, read back.
struct Csv {
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Csv {
    fn read(site: &Site) -> Csv {
        let text = site.out("data/incidents.csv");
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        let header = rd.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rd.records().map(|r| r.unwrap()).collect();
        Csv { header, rows }
    }

    /// The cell of incident `id` (the first column) in column `name`.
    fn cell(&self, id: &str, name: &str) -> &str {
        let col = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.header));
        let row = self
            .rows
            .iter()
            .find(|r| &r[0] == id)
            .unwrap_or_else(|| panic!("no row {id}"));
        &row[col]
    }
}

/// Text cells that a spreadsheet would run as a formula (starting `=`, `@`, `+` or
/// `-`) in the title, location, country, admin1 and tags: in the CSV export each gets
/// a leading `'`, while numbers such as a negative latitude stay numbers; the JSON
/// export keeps the text as written.
#[test]
fn csv_cells_a_spreadsheet_would_run_are_defused_and_json_keeps_the_text() {
    let site = Site::basic();
    site.file(
        &inc("evil"),
        "---\ntitle: '=HYPERLINK(\"http://evil/\")'\ndate: 2024-03-22\n\
         location: {name: '@SUM(1)', country: '+1', admin1: '-2'}\ntags: ['=x']\n---\n",
    );
    site.file(
        &inc("mali"),
        "---\ntitle: '=HYPERLINK(\"https://evil.example\",\"x\")'\ndate: 2024-01-01\n\
         location: {name: '@SUM(A1)', country: '+Mali', lat: -12.5, lon: -8}\ntags: [-cmd]\n---\n",
    );
    build_ok(&site);
    let table = Csv::read(&site);
    assert_eq!(table.cell("evil", "title"), "'=HYPERLINK(\"http://evil/\")");
    assert_eq!(table.cell("evil", "location"), "'@SUM(1)");
    assert_eq!(table.cell("evil", "country"), "'+1");
    assert_eq!(table.cell("evil", "admin1"), "'-2");
    assert_eq!(table.cell("evil", "tags"), "'=x");
    for name in ["title", "location", "country", "tags"] {
        let v = table.cell("mali", name);
        assert!(v.starts_with('\''), "{name} cell not defused: {v}");
    }
    assert_eq!(table.cell("mali", "lat"), "-12.5", "numbers stay numbers");
    assert_eq!(table.cell("mali", "lon"), "-8");
    let json = util::json(&site, "data/incidents.json");
    let title = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["title"].clone())
            .unwrap()
    };
    assert_eq!(
        title("evil"),
        "=HYPERLINK(\"http://evil/\")",
        "JSON keeps the text as written"
    );
    assert_eq!(title("mali"), "=HYPERLINK(\"https://evil.example\",\"x\")");
}

/// Fatalities given as `{best: 12, low: 10, high: 20}` fill three CSV columns; an
/// incident without fatalities has empty cells and `null` in JSON, never zero.
#[test]
fn fatalities_best_low_high_are_exported() {
    let s = Site::basic();
    s.incident("f", "fatalities: {best: 12, low: 10, high: 20}\n", "");
    s.incident("unknown", "", "");
    assert_clean(&s.build());
    let table = Csv::read(&s);
    assert_eq!(
        (
            table.cell("f", "fatalities"),
            table.cell("f", "fatalities_low"),
            table.cell("f", "fatalities_high")
        ),
        ("12", "10", "20")
    );
    assert_eq!(
        table.cell("unknown", "fatalities"),
        "",
        "not reported is empty, not zero"
    );
    let j = util::json(&s, "data/incidents.json");
    let unknown = j
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "unknown")
        .unwrap();
    assert!(
        unknown["fatalities"].is_null(),
        "not reported is null, not zero: {}",
        unknown["fatalities"]
    );
}
