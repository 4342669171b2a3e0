//! Test helpers: throwaway sites in temp folders, running builds in process and through
//! the binary, and reading the output back.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use casefile::diag::Diagnostic;
use casefile::{BuildOptions, Report};
use std::path::{Path, PathBuf};

/// A site in a temp folder. Files are written with `file`.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// An empty site with a minimal site.yaml.
    pub fn new() -> Self {
        let s = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        s.file(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\n",
        );
        s
    }

    /// A site with one group `jnim` (alias JNIM), one weapon `rpg-7`, and nothing else.
    pub fn basic() -> Self {
        let s = Site::new();
        s.file("content/groups/jnim.md", "---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\naliases: [GSIM]\n---\nA group.\n");
        s.file(
            "content/groups/is-sahel.md",
            "---\nname: Islamic State Sahel Province\nshort_name: IS Sahel\naliases: [ISGS]\n---\n",
        );
        s.file("content/weapons/rpg-7.md", "---\nname: RPG-7\ncategory: rpg launcher\norigin: Soviet Union\nammunition: [pg-7v]\n---\n");
        s.file(
            "content/weapons/pg-7v.md",
            "---\nname: PG-7V\ncategory: rocket\n---\n",
        );
        s
    }

    /// A copy of the example site (content, templates, site.yaml), free to edit.
    pub fn example() -> Self {
        let s = Site::new();
        copy_tree(&repo().join("content"), &s.path("content"));
        copy_tree(&repo().join("templates"), &s.path("templates"));
        std::fs::copy(repo().join("site.yaml"), s.path("site.yaml")).unwrap();
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a text file (parents created).
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// An incident file with the given extra front matter lines.
    pub fn incident(&self, stem: &str, front: &str, body: &str) -> &Self {
        self.file(
            &format!("content/incidents/{stem}.md"),
            &format!("---\ntitle: Incident {stem}\ndate: 2024-03-22\n{front}---\n{body}"),
        )
    }

    pub fn opts(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        }
    }

    /// Build into `<root>/public`; panics on a system error.
    pub fn build(&self) -> Report {
        casefile::build(&self.opts(), &|_| {}).unwrap()
    }

    pub fn build_with(&self, f: impl FnOnce(&mut BuildOptions)) -> Report {
        let mut o = self.opts();
        f(&mut o);
        casefile::build(&o, &|_| {}).unwrap()
    }

    /// Read an output file as text.
    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("public").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn out_exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }
}

/// Errors of a report, as printed lines.
pub fn errors(r: &Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect()
}

/// The single error of a report; panics unless there is exactly one.
pub fn one_error(r: &Report) -> &Diagnostic {
    let errs: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(
        errs.len(),
        1,
        "expected one error, got: {:#?}",
        errs.iter().map(|d| d.to_string()).collect::<Vec<_>>()
    );
    errs[0]
}

/// Assert a diagnostic's code name, file (suffix) and line.
pub fn assert_diag(d: &Diagnostic, code_name: &str, file: &str, line: u32) {
    assert_eq!(d.code.name, code_name, "{d}");
    assert!(
        d.file.to_string_lossy().replace('\\', "/").ends_with(file),
        "file: {d}"
    );
    assert_eq!(d.line, line, "line: {d}");
}

/// Every file under `dir`, relative path -> bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------
// Reading output back: HTML, XML and links (example_site.rs, features.rs).

pub use read_back::*;

mod read_back {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::tree;
    use std::path::Path;

    /// Parse an HTML document.
    pub fn html(text: &str) -> scraper::Html {
        scraper::Html::parse_document(text)
    }

    /// A CSS selector; panics on a typo in the test.
    pub fn sel(css: &str) -> scraper::Selector {
        scraper::Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
    }

    /// The value of `attr` on every element matching `css`, in document order.
    pub fn attr_values(doc: &scraper::Html, css: &str, attr: &str) -> Vec<String> {
        doc.select(&sel(css))
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// `href`s of the `<a>` elements inside the first element matching `scope` (e.g. `main`,
    /// `#weapons`), in document order; empty when nothing matches `scope`.
    pub fn links_in(doc: &scraper::Html, scope: &str) -> Vec<String> {
        let a = sel("a[href]");
        doc.select(&sel(scope))
            .next()
            .map(|s| {
                s.select(&a)
                    .filter_map(|e| e.value().attr("href").map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Text of the first element matching `css` (whitespace collapsed), if any.
    pub fn text_of(doc: &scraper::Html, css: &str) -> Option<String> {
        doc.select(&sel(css)).next().map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// Every `id` attribute of a document.
    pub fn ids(doc: &scraper::Html) -> std::collections::BTreeSet<String> {
        attr_values(doc, "[id]", "id").into_iter().collect()
    }

    /// Read an XML document to its end; `Err` names the first error and its byte position.
    /// Returns the names of the start (and empty) elements, in order.
    pub fn xml_elements(text: &str) -> Result<Vec<String>, String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut names = Vec::new();
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) if depth == 0 && !names.is_empty() => {
                    return Err(format!(
                        "at {}: second root element <{}>",
                        reader.buffer_position(),
                        String::from_utf8_lossy(e.name().as_ref())
                    ));
                }
                Ok(Event::Start(e)) => {
                    depth += 1;
                    xml_check_attrs(&e)
                        .map_err(|m| format!("at {}: {m}", reader.buffer_position()))?;
                    names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                }
                Ok(Event::Empty(e)) => {
                    xml_check_attrs(&e)
                        .map_err(|m| format!("at {}: {m}", reader.buffer_position()))?;
                    names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Text(t)) => {
                    let text = t
                        .decode()
                        .map_err(|e| format!("at {}: {e}", reader.buffer_position()))?;
                    if depth == 0 && !text.trim().is_empty() {
                        return Err(format!(
                            "at {}: text outside the root element",
                            reader.buffer_position()
                        ));
                    }
                }
                Ok(Event::GeneralRef(r)) => {
                    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                    let char_ref = r
                        .resolve_char_ref()
                        .map_err(|e| format!("at {}: {e}", reader.buffer_position()))?;
                    if char_ref.is_none()
                        && !["amp", "lt", "gt", "quot", "apos"].contains(&name.as_str())
                    {
                        return Err(format!(
                            "at {}: undefined entity &{name};",
                            reader.buffer_position()
                        ));
                    }
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(format!("at {}: {e}", reader.buffer_position())),
            }
        }
        if depth != 0 {
            return Err(format!("{depth} element(s) left open at the end"));
        }
        if names.is_empty() {
            return Err("no root element".into());
        }
        Ok(names)
    }

    fn xml_check_attrs(e: &quick_xml::events::BytesStart) -> Result<(), String> {
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            a.unescape_value().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The unescaped text of every element called `name` in an XML document.
    pub fn xml_texts(text: &str, name: &str) -> Vec<String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(text);
        let mut out = Vec::new();
        let mut current: Option<String> = None;
        loop {
            match reader
                .read_event()
                .unwrap_or_else(|e| panic!("XML error: {e}"))
            {
                Event::Start(e) if e.name().as_ref() == name.as_bytes() => {
                    current = Some(String::new())
                }
                Event::Text(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t.xml_content().unwrap_or_else(|e| panic!("XML text: {e}")));
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(c) = current.as_mut() {
                        if let Ok(Some(ch)) = r.resolve_char_ref() {
                            c.push(ch);
                            continue;
                        }
                        let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                        c.push_str(match name.as_str() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            other => panic!("unexpected entity &{other};"),
                        });
                    }
                }
                Event::CData(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                Event::End(e) if e.name().as_ref() == name.as_bytes() => out.extend(current.take()),
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    /// The value of `attr` on every element called `name` in an XML document.
    pub fn xml_attrs(text: &str, name: &str, attr: &str) -> Vec<String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(text);
        let mut out = Vec::new();
        loop {
            match reader
                .read_event()
                .unwrap_or_else(|e| panic!("XML error: {e}"))
            {
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == name.as_bytes() => {
                    if let Some(a) = e
                        .try_get_attribute(attr)
                        .unwrap_or_else(|e| panic!("XML attr: {e}"))
                    {
                        out.push(
                            a.unescape_value()
                                .unwrap_or_else(|e| panic!("XML attr value: {e}"))
                                .into_owned(),
                        );
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    /// The output file an internal URL path (base path already removed) is served from:
    /// `` -> `index.html`, `x/` -> `x/index.html`, `x.css` -> `x.css`.
    pub fn served_file(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }

    /// Every internal `href`/`src` in every HTML file under `dir` that does not resolve to an
    /// output file, or whose `#fragment` is not an id on the target page, as messages.
    /// Internal means not `http(s):`, `mailto:` or `tel:`; an internal link must be a bare
    /// `#fragment` or start with `base_path` (e.g. `/` or `/monitor/`).
    pub fn broken_links(dir: &Path, base_path: &str) -> Vec<String> {
        let files: std::collections::BTreeMap<String, Vec<u8>> = tree(dir).into_iter().collect();
        let mut pages: std::collections::BTreeMap<
            &str,
            (Vec<String>, std::collections::BTreeSet<String>),
        > = Default::default();
        for (rel, bytes) in &files {
            if rel.ends_with(".html") {
                let doc = html(&String::from_utf8_lossy(bytes));
                let mut refs = attr_values(&doc, "[href]", "href");
                refs.extend(attr_values(&doc, "[src]", "src"));
                pages.insert(rel, (refs, ids(&doc)));
            }
        }
        let mut problems = Vec::new();
        for (page, (refs, _)) in &pages {
            for r in refs {
                let v = r.trim();
                let lower = v.to_ascii_lowercase();
                if ["http://", "https://", "mailto:", "tel:"]
                    .iter()
                    .any(|s| lower.starts_with(s))
                {
                    continue;
                }
                let (path, fragment) = match v.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (v, None),
                };
                let path = path.split('?').next().unwrap_or("");
                let target = if path.is_empty() {
                    if fragment.is_none() {
                        problems.push(format!("{page}: empty link `{r}`"));
                        continue;
                    }
                    page.to_string()
                } else if let Some(rest) = path.strip_prefix(base_path) {
                    served_file(rest)
                } else {
                    problems.push(format!(
                        "{page}: `{r}` does not start with the base path {base_path}"
                    ));
                    continue;
                };
                let target_ids = match pages.get(target.as_str()) {
                    Some((_, ids)) => ids,
                    None if files.contains_key(&target) => &EMPTY_IDS,
                    None => {
                        problems.push(format!("{page}: `{r}` -> {target} does not exist"));
                        continue;
                    }
                };
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && !target_ids.contains(f)
                {
                    problems.push(format!("{page}: `{r}`: no id `{f}` on {target}"));
                }
            }
        }
        problems
    }

    static EMPTY_IDS: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
}

impl Site {
    /// Build options with `--base-url` set.
    pub fn build_opts_with_base(&self, url: &str) -> BuildOptions {
        BuildOptions {
            base_url: Some(url.to_string()),
            ..self.opts()
        }
    }
}

/// Copy the folder `from` to `to`, folders created.
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A small deterministic pseudo-random sequence (xorshift), for repeatable edits.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A dense generated incident: few groups, weapon types, countries and tags, so that
/// timelines, related lists and term pages overlap a lot.
pub fn write_dense_incident(s: &Site, i: usize, rng: &mut Rng, extra: &str) {
    let g = |rng: &mut Rng| rng.below(6);
    let (a, t, p) = (g(rng), g(rng), g(rng));
    let (w1, w2) = (rng.below(8), rng.below(8));
    let statuses = ["used", "captured", "seized", "displayed"];
    let countries = ["Mali", "Niger", "Burkina Faso"];
    let confidence = ["confirmed", "reported", "claimed"];
    let summary = if rng.below(3) == 0 {
        format!("summary: Summary {} of {i}.\n", rng.below(50))
    } else {
        String::new()
    };
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let year = 2018 + rng.below(3);
    s.file(
        &format!("content/incidents/i{i}.md"),
        &format!(
            "---\ntitle: Incident {i} take {}\ndate: {year}-{month:02}-{day:02}\nconfidence: {}\n{summary}{extra}\
             location: {{name: Place {}, country: {}}}\n\
             groups:\n  - {{group: g{a}, role: attacker}}\n  - {{group: g{t}, role: target}}\n  - {{group: g{p}, role: participant}}\n\
             weapons:\n  - {{weapon: w{w1}, status: {}, quantity: {}}}\n  - {{weapon: w{w2}, status: {}, from: g{a}}}\n\
             tags: [t{}]\nsources: [\"https://example.org/{i}\"]\n---\n\
             First paragraph of {i}, take {}.\n\nMore about [group](@/groups/g{a}.md).\n",
            rng.below(1000),
            confidence[rng.below(3)],
            rng.below(30),
            countries[rng.below(3)],
            statuses[rng.below(4)],
            1 + rng.below(9),
            statuses[rng.below(4)],
            rng.below(3),
            rng.below(5),
        ),
    );
}

/// A site of `n` dense incidents (`write_dense_incident`), six groups and eight weapon
/// types, twenty incidents per list page.
pub fn dense_site(n: usize, rng: &mut Rng) -> Site {
    let site = Site::new();
    for g in 0..6 {
        site.file(
            &format!("content/groups/g{g}.md"),
            &format!("---\nname: Group {g}\n---\nGroup {g}.\n"),
        );
    }
    for w in 0..8 {
        let category = if w % 2 == 0 {
            "assault rifle"
        } else {
            "rocket"
        };
        site.file(
            &format!("content/weapons/w{w}.md"),
            &format!(
                "---\nname: Weapon {w}\ncategory: {category}\norigin: Country {}\n---\n",
                w % 3
            ),
        );
    }
    for i in 0..n {
        write_dense_incident(&site, i, rng, "");
    }
    std::fs::write(
        site.path("site.yaml"),
        "title: Dense\nbase_url: https://dense.example.org\nincidents_per_page: 20\n",
    )
    .unwrap();
    site
}
