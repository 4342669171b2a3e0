//! `casefile import`: the ACLED and UCDP presets on hand-made files (every codebook
//! precision code, roles by event type, fatalities with 0 kept apart from unknown),
//! actors matched through aliases and unmatched ones listed, re-import that changes
//! nothing or one file and keeps hand-written keys and text, bad rows named by line
//! with nothing written, a team's own CSV with a mapping file, and a round trip
//! through the `data/incidents.csv` export.

use crate::util::{Site, cli, repo};
use casefile::author::import::{Format, ImportError, ImportReport, ImportRequest, import};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

fn request(site: &Site, format: Format, file: &Path) -> ImportRequest {
    ImportRequest {
        root: site.root().to_path_buf(),
        format,
        file: file.to_path_buf(),
        create_groups: false,
        dry_run: false,
        skip_bad: false,
        progress: false,
    }
}

fn acled(site: &Site, file: &str, create: bool) -> Result<ImportReport, ImportError> {
    let mut r = request(site, Format::Preset("acled"), &fixture(file));
    r.create_groups = create;
    import(&r)
}

/// The basic site, with the names ACLED uses for its two groups as aliases.
fn site_with_aliases() -> Site {
    let site = Site::basic();
    site.file(
        "content/groups/jnim.md",
        "---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\naliases: [GSIM, \"JNIM: Group for Support of Islam and Muslims\"]\n---\nA group.\n",
    );
    site.file(
        "content/groups/is-sahel.md",
        "---\nname: Islamic State Sahel Province\nshort_name: IS Sahel\naliases: [ISGS, Islamic State (Sahel)]\n---\n",
    );
    site
}

fn incident_files(site: &Site) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(site.path("content/incidents"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site.root()).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

fn assert_builds(site: &Site) {
    let report = site.build_with(|o| o.strict = true);
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
}

#[test]
fn acled_codes_become_precision_roles_and_fatalities() {
    let site = site_with_aliases();
    let r = acled(&site, "acled-api.csv", true).unwrap();
    assert_eq!((r.rows, r.created.len(), r.updated.len()), (4, 4, 0));
    let files = incident_files(&site);
    let f = |id: &str| files[&format!("content/incidents/2024/acled-{id}.md")].clone();
    // time_precision 1, 2, 3 and geo_precision 1, 2, 3.
    let (a, b, c, d) = (f("bfa9001"), f("bfa9002"), f("bfa9003"), f("bfa9004"));
    assert!(a.contains("date: 2024-03-22\ndate_precision: day\n"), "{a}");
    assert!(b.contains("date_precision: week\n"), "{b}");
    assert!(c.contains("date_precision: month\n"), "{c}");
    assert!(a.contains("  precision: exact\n"), "{a}");
    assert!(b.contains("  precision: near\n"), "{b}");
    assert!(c.contains("  precision: region\n"), "{c}");
    // Event types, and roles that follow them; the aliases found the site's groups.
    assert!(a.contains("event_type: battle\n"), "{a}");
    assert!(
        a.contains(
            "  - {group: is-sahel, role: participant}\n  - {group: jnim, role: participant}\n"
        ),
        "{a}"
    );
    assert!(
        b.contains("event_type: violence_against_civilians\n"),
        "{b}"
    );
    assert!(b.contains("  - {group: jnim, role: attacker}\n"), "{b}");
    assert!(
        b.contains("  - {group: civilians-burkina-faso, role: victim}\n"),
        "{b}"
    );
    // Associated actors, split at `;`, share the main actor's role.
    assert!(
        b.contains("  - {group: women-burkina-faso, role: victim}\n"),
        "{b}"
    );
    assert!(c.contains("event_type: explosion\n"), "{c}");
    assert!(c.contains("  - {group: jnim, role: attacker}\n"), "{c}");
    assert!(
        c.contains("  - {group: military-forces-of-burkina-faso-2022, role: target}\n"),
        "{c}"
    );
    assert!(d.contains("event_type: strategic_development\n"), "{d}");
    // Fatalities: blank is not reported, 0 stays 0.
    assert!(!a.contains("fatalities"), "{a}");
    assert!(b.contains("fatalities: 0\n"), "{b}");
    assert!(c.contains("fatalities: 4\n"), "{c}");
    // Sources, the credit, notes as the body (Markdown characters escaped), the id.
    assert!(
        b.contains("  - {publisher: \"Local radio\"}\n  - {publisher: \"Sahel News Digest\"}\n"),
        "{b}"
    );
    assert!(a.contains("title: \"ACLED event BFA9001\""), "{a}");
    assert!(a.contains("\\*Claims\\* could not be checked."), "{a}");
    assert!(
        a.contains("import: {source: acled, id: \"BFA9001\"}\n"),
        "{a}"
    );
    assert!(
        c.contains("tags: [\"Remote explosive/landmine/IED\", \"crowd size=no report\"]"),
        "{c}"
    );
    // The stub groups take their actor type from inter1/inter2 (numbers or words).
    let stub = std::fs::read_to_string(
        site.path("content/groups/military-forces-of-burkina-faso-2022.md"),
    )
    .unwrap();
    assert!(
        stub.contains(
            "name: \"Military Forces of Burkina Faso (2022-)\"\nactor_type: state_forces\n"
        ),
        "{stub}"
    );
    let stub =
        std::fs::read_to_string(site.path("content/groups/civilians-burkina-faso.md")).unwrap();
    assert!(stub.contains("actor_type: civilians\n"), "{stub}");
    assert_builds(&site);
    let page = site.out("incidents/acled-bfa9002/index.html");
    assert!(page.contains("week of 25 Mar 2024"), "the week label");
}

#[test]
fn acled_export_dates_give_the_same_files_as_api_dates() {
    let site = site_with_aliases();
    acled(&site, "acled-api.csv", true).unwrap();
    let before = incident_files(&site);
    let r = acled(&site, "acled-export.csv", true).unwrap();
    assert_eq!((r.created.len(), r.updated.len(), r.unchanged), (0, 0, 4));
    assert_eq!(incident_files(&site), before);
}

#[test]
fn ucdp_codes_become_precision_and_fatality_estimates() {
    let site = Site::basic();
    let mut req = request(&site, Format::Preset("ucdp"), &fixture("ucdp.csv"));
    req.create_groups = true;
    let r = import(&req).unwrap();
    assert_eq!(r.created.len(), 7);
    let files = incident_files(&site);
    let f = |id: u32| files[&format!("content/incidents/2024/ucdp-{id}.md")].clone();
    // where_prec 1..7 and date_prec 1..5 (rows 900001..900007 use them in order).
    let places = [
        "exact", "near", "admin2", "admin1", "region", "country", "region",
    ];
    let dates = ["day", "days", "week", "month", "year", "day", "days"];
    for (k, (place, date)) in places.iter().zip(dates).enumerate() {
        let text = f(900_001 + k as u32);
        assert!(
            text.contains(&format!("  precision: {place}\n")),
            "{k}: {text}"
        );
        assert!(
            text.contains(&format!("date_precision: {date}\n")),
            "{k}: {text}"
        );
    }
    let two = f(900_002);
    assert!(
        two.contains("date: 2024-03-25\ndate_end: 2024-03-28\n"),
        "{two}"
    );
    assert!(
        two.contains("fatalities: {best: 6, low: 4, high: 9}\n"),
        "{two}"
    );
    // One-sided violence: side_a attacks, side_b (civilians) are the victims.
    assert!(
        two.contains("event_type: violence_against_civilians\n"),
        "{two}"
    );
    assert!(
        two.contains("  - {group: jnim, role: attacker}\n  - {group: civilians, role: victim}\n"),
        "{two}"
    );
    // The n-th office, date and headline make the n-th source.
    assert!(
        two.contains("  - {title: \"Villagers killed\", publisher: \"Local radio\", date: \"2024-03-29\"}\n  - {title: \"Attack on farmers\", publisher: \"Sahel News Digest\", date: \"2024-03-30\"}\n"),
        "{two}"
    );
    // A one-day span is that day; GED's time of day is read and dropped.
    let six = f(900_006);
    assert!(
        six.contains("date: 2024-06-10\ndate_precision: day\n"),
        "{six}"
    );
    assert!(!six.contains("date_end"), "{six}");
    // The short name `IS Sahel` matched the site's group.
    assert!(f(900_001).contains("  - {group: is-sahel, role: participant}\n"));
    assert_builds(&site);
}

#[test]
fn unmatched_actors_are_listed_with_their_rows_and_nothing_is_written() {
    let site = Site::basic();
    let Err(ImportError::Request(m)) = acled(&site, "acled-api.csv", false) else {
        panic!("the import should stop");
    };
    assert!(m.contains("6 actors match nothing in the site:"), "{m}");
    assert!(
        // A site name found inside the data set's name is offered.
        m.contains(
            "\n  JNIM: Group for Support of Islam and Muslims (3 rows); did you mean `JNIM` (id `jnim`)?\n"
        ),
        "{m}"
    );
    assert!(m.contains("\n  Civilians (Burkina Faso) (1 row)"), "{m}");
    assert!(m.contains("--create-groups"), "{m}");
    assert!(incident_files(&site).is_empty());
    // With the aliases, only the actors the site lacks are left.
    let site = site_with_aliases();
    let Err(ImportError::Request(m)) = acled(&site, "acled-api.csv", false) else {
        panic!("the import should stop");
    };
    assert!(m.starts_with("4 actors match nothing"), "{m}");
    assert!(!m.contains("JNIM") && !m.contains("Islamic State"), "{m}");
    assert!(
        !site
            .path("content/groups/civilians-burkina-faso.md")
            .exists()
    );
}

#[test]
fn importing_again_changes_nothing_and_an_updated_row_changes_one_file() {
    let site = site_with_aliases();
    acled(&site, "acled-api.csv", true).unwrap();
    let rel = "content/incidents/2024/acled-bfa9001.md";
    // The analyst adds weapons and a confidence in the front matter, and text below
    // the marker.
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    let edited = text
        .replace("event_type: battle\n", "event_type: battle\nconfidence: claimed\n")
        .replace(
            "import: {",
            "# Seen in the claim's photos.\nweapons:\n  - {weapon: rpg-7, status: captured}\nimport: {",
        )
        + "Our reading of the photos.\n";
    site.file(rel, &edited);
    let r = acled(&site, "acled-api.csv", true).unwrap();
    assert_eq!((r.created.len(), r.updated.len(), r.unchanged), (0, 0, 4));
    assert_eq!(std::fs::read_to_string(site.path(rel)).unwrap(), edited);
    // ACLED revises the event: new fatalities and notes.
    let updated = std::fs::read_to_string(fixture("acled-api.csv"))
        .unwrap()
        .replace(
            "*Claims* could not be checked.\",,,1711929600",
            "A later report gives 7 dead.\",7,,1712929600",
        );
    let file = site.path("acled-updated.csv");
    std::fs::write(&file, updated).unwrap();
    let mut req = request(&site, Format::Preset("acled"), &file);
    req.dry_run = true;
    let r = import(&req).unwrap();
    assert_eq!(r.updated, [PathBuf::from(rel)]);
    assert_eq!(
        std::fs::read_to_string(site.path(rel)).unwrap(),
        edited,
        "dry run"
    );
    req.dry_run = false;
    let r = import(&req).unwrap();
    assert_eq!((r.updated.len(), r.unchanged), (1, 3));
    let now = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(now.contains("fatalities: 7\n"), "{now}");
    assert!(now.contains("A later report gives 7 dead."), "{now}");
    assert!(!now.contains("Claims"), "{now}");
    assert!(now.contains("confidence: claimed\n"), "{now}");
    assert!(
        now.contains(
            "# Seen in the claim's photos.\nweapons:\n  - {weapon: rpg-7, status: captured}\n"
        ),
        "{now}"
    );
    assert!(now.ends_with("-->\nOur reading of the photos.\n"), "{now}");
    // A moved file is found by its `import:` and updated where it is.
    std::fs::create_dir_all(site.path("content/incidents/kaya")).unwrap();
    std::fs::rename(
        site.path(rel),
        site.path("content/incidents/kaya/kalamba.md"),
    )
    .unwrap();
    let r = import(&req).unwrap();
    assert_eq!((r.created.len(), r.unchanged), (0, 4));
    assert_builds(&site);
}

#[test]
fn bad_rows_are_named_by_line_and_nothing_is_written() {
    let site = site_with_aliases();
    let good = std::fs::read_to_string(fixture("acled-api.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[2] = lines[2].replace("2024-03-27", "2024-13-27");
    lines[3] = lines[3].replace("14.1,-1.63", "14.1,-191.63");
    lines[4] = lines[4].replacen("BFA9004", "", 1);
    lines.push(lines[1].clone());
    let file = site.path("bad.csv");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let mut req = request(&site, Format::Preset("acled"), &file);
    req.create_groups = true;
    let Err(ImportError::Request(m)) = import(&req) else {
        panic!("bad rows must stop the import");
    };
    let name = file.display().to_string();
    assert!(
        m.contains(&format!("{name}:3: error: `date`: bad date `2024-13-27`")),
        "{m}"
    );
    assert!(
        m.contains(&format!(
            "{name}:4: error: `location.lon`: bad coordinate `-191.63`"
        )),
        "{m}"
    );
    assert!(m.contains(&format!("{name}:5: error: no event id")), "{m}");
    assert!(
        m.contains(&format!(
            "{name}:6: error: event id `BFA9001` again (first on line 2)"
        )),
        "{m}"
    );
    assert!(m.contains("4 bad rows; nothing was written."), "{m}");
    assert!(incident_files(&site).is_empty());
    assert!(
        !site
            .path("content/groups/civilians-burkina-faso.md")
            .exists()
    );
    // --skip-bad imports the good row and reports the others.
    req.skip_bad = true;
    let r = import(&req).unwrap();
    assert_eq!(
        r.created,
        [PathBuf::from("content/incidents/2024/acled-bfa9001.md")]
    );
    let lines: Vec<u64> = r.skipped.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6]);
}

#[test]
fn a_teams_own_spreadsheet_imports_with_a_mapping_file() {
    let site = Site::basic();
    site.file(
        "content/weapons/rpg-7.md",
        "---\nname: RPG-7\ncategory: rpg launcher\naliases: [RPG7]\n---\n",
    );
    site.file(
        "sheet.csv",
        "Ref,When,Where,Country,Lat,Lon,Attacker,Target,Weapons,Dead,Link\n\
         K-1,22/03/2024,Kalamba,Burkina Faso,13.09,-1.08,IS Sahel,GSIM,RPG7; PG-7V,,https://example.org/kalamba\n\
         K-2,2024-04,Djibo,Burkina Faso,,,JNIM,,,3,\n",
    );
    site.file(
        "mapping.yaml",
        "source: team-sheet\nid: \"{Ref}\"\ntitle: \"Incident at {Where}\"\ndate: \"{When}\"\ndate_formats: [\"%d/%m/%Y\"]\nconfidence: claimed\nlocation:\n  name: \"{Where}\"\n  country: \"{Country}\"\n  lat: \"{Lat}\"\n  lon: \"{Lon}\"\n  precision: {value: \"{Lat}\", default: near, map: {0: ~}}\ngroups:\n  - {name: \"{Attacker}\", role: attacker}\n  - {name: \"{Target}\", role: target}\nweapons:\n  - {name: {value: \"{Weapons}\", split: \";\"}, status: captured}\nfatalities:\n  best: \"{Dead}\"\nsources:\n  - url: \"{Link}\"\n    publisher: Our field team\n    kind: field\n",
    );
    let out = cli()
        .args([
            "import",
            "csv",
            "sheet.csv",
            "--map",
            "mapping.yaml",
            "--dry-run",
            "--root",
        ])
        .arg(site.root())
        .current_dir(site.root())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("would create content/incidents/2024/team-sheet-k-1.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(dry run: nothing was written)"),
        "{stdout}"
    );
    assert!(incident_files(&site).is_empty());
    cli()
        .args([
            "import",
            "csv",
            "sheet.csv",
            "--map",
            "mapping.yaml",
            "--root",
        ])
        .arg(site.root())
        .current_dir(site.root())
        .assert()
        .success();
    let files = incident_files(&site);
    let k1 = &files["content/incidents/2024/team-sheet-k-1.md"];
    assert!(
        k1.contains("date: 2024-03-22\nconfidence: claimed\n"),
        "{k1}"
    );
    assert!(
        k1.contains("  - {group: is-sahel, role: attacker}\n  - {group: jnim, role: target}\n"),
        "{k1}"
    );
    assert!(
        k1.contains(
            "  - {weapon: rpg-7, status: captured}\n  - {weapon: pg-7v, status: captured}\n"
        ),
        "{k1}"
    );
    assert!(k1.contains("  precision: near\n"), "{k1}");
    let k2 = &files["content/incidents/2024/team-sheet-k-2.md"];
    assert!(
        k2.contains("date: 2024-04\n") && k2.contains("fatalities: 3\n"),
        "{k2}"
    );
    assert!(!k2.contains("lat:") && !k2.contains("precision"), "{k2}");
    assert!(
        k2.contains("  - {publisher: \"Our field team\", kind: \"field\"}\n"),
        "{k2}"
    );
    assert_builds(&site);
}

#[test]
fn mapping_mistakes_point_at_the_mapping_line() {
    let site = Site::basic();
    site.file("sheet.csv", "Ref,When\nK-1,2024-03-22\n");
    site.file(
        "mapping.yaml",
        "source: team\nid: \"{Ref}\"\ntitle: \"{Ref}\"\ndate: \"{Wehn}\"\nlocaton: {}\n",
    );
    let out = cli()
        .args([
            "import",
            "csv",
            "sheet.csv",
            "--map",
            "mapping.yaml",
            "--root",
        ])
        .arg(site.root())
        .current_dir(site.root())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("mapping.yaml:5:1: error: unknown key `locaton`"),
        "{stderr}"
    );
    site.file(
        "mapping.yaml",
        "source: team\nid: \"{Ref}\"\ntitle: \"{Ref}\"\ndate: \"{Wehn}\"\n",
    );
    let out = cli()
        .args([
            "import",
            "csv",
            "sheet.csv",
            "--map",
            "mapping.yaml",
            "--root",
        ])
        .arg(site.root())
        .current_dir(site.root())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "mapping.yaml:4:7: error: `date`: the file has no column `Wehn` (did you mean `When`?)"
        ),
        "{stderr}"
    );
    // `csv` without a mapping.
    cli()
        .args(["import", "csv", "sheet.csv", "--root"])
        .arg(site.root())
        .current_dir(site.root())
        .assert()
        .code(2);
}

/// Import, build, and read `data/incidents.csv`: every field both carry survives.
#[test]
fn a_round_trip_through_the_csv_export_keeps_every_shared_field() {
    let site = site_with_aliases();
    acled(&site, "acled-api.csv", true).unwrap();
    assert_builds(&site);
    let export = site.out("data/incidents.csv");
    let mut out = csv::Reader::from_reader(export.as_bytes());
    let header = out.headers().unwrap().clone();
    let col = |row: &csv::StringRecord, name: &str| {
        row[header.iter().position(|h| h == name).unwrap()].to_string()
    };
    let exported: BTreeMap<String, csv::StringRecord> = out
        .records()
        .map(Result::unwrap)
        .map(|r| (col(&r, "import_id"), r))
        .collect();
    let mut input = csv::Reader::from_path(fixture("acled-api.csv")).unwrap();
    let ih = input.headers().unwrap().clone();
    let mut checked = 0;
    for row in input.records().map(Result::unwrap) {
        let get = |name: &str| row[ih.iter().position(|h| h == name).unwrap()].to_string();
        let e = &exported[&get("event_id_cnty")];
        assert_eq!(col(e, "import_source"), "acled");
        assert_eq!(col(e, "date"), get("event_date"));
        for (a, b) in [
            ("country", "country"),
            ("admin1", "admin1"),
            ("admin2", "admin2"),
            ("admin3", "admin3"),
            ("location", "location"),
            ("fatalities", "fatalities"),
        ] {
            assert_eq!(col(e, a), get(b), "{a}");
        }
        let num = |s: String| s.parse::<f64>().unwrap();
        assert_eq!(num(col(e, "lat")), num(get("latitude")));
        assert_eq!(num(col(e, "lon")), num(get("longitude")));
        let precision =
            ["day", "week", "month"][get("time_precision").parse::<usize>().unwrap() - 1];
        assert_eq!(col(e, "date_precision"), precision);
        let place = ["exact", "near", "region"][get("geo_precision").parse::<usize>().unwrap() - 1];
        assert_eq!(col(e, "location_precision"), place);
        let kind = match get("event_type").as_str() {
            "Battles" => "battle",
            "Violence against civilians" => "violence_against_civilians",
            "Explosions/Remote violence" => "explosion",
            _ => "strategic_development",
        };
        assert_eq!(col(e, "event_type"), kind);
        // Every actor is in one of the role columns, by its group id.
        let roles: Vec<String> = ["attackers", "targets", "participants", "victims"]
            .iter()
            .flat_map(|c| col(e, c).split("; ").map(String::from).collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect();
        let actors = [get("actor1"), get("actor2")]
            .into_iter()
            .filter(|a| !a.is_empty())
            .count()
            + [get("assoc_actor_1"), get("assoc_actor_2")]
                .iter()
                .flat_map(|a| {
                    a.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect::<Vec<_>>()
                })
                .count();
        assert_eq!(roles.len(), actors, "{roles:?}");
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn init_then_import_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("monitor");
    cli().arg("init").arg(&root).assert().success();
    cli()
        .args(["import", "ucdp"])
        .arg(fixture("ucdp.csv"))
        .args(["--create-groups", "--root"])
        .arg(&root)
        .assert()
        .success();
    cli()
        .args(["check", "--root"])
        .arg(&root)
        .assert()
        .success();
    cli()
        .args(["build", "--root"])
        .arg(&root)
        .assert()
        .success();
    assert!(
        root.join("public/incidents/ucdp-900001/index.html")
            .exists()
    );
}
