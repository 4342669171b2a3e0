//! Reading output back: HTML, XML and links.

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
                xml_check_attrs(&e).map_err(|m| format!("at {}: {m}", reader.buffer_position()))?;
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(Event::Empty(e)) => {
                xml_check_attrs(&e).map_err(|m| format!("at {}: {m}", reader.buffer_position()))?;
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

/// The path under `base_path` that the relative URL path `rel` names from the page
/// written to `page` (`groups/jnim/index.html` is at `<base_path>groups/jnim/`), or
/// `None` when it climbs above `base_path`.
fn resolve_relative(page: &str, rel: &str) -> Option<String> {
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let steps: Vec<&str> = rel.split('/').collect();
    for (i, step) in steps.iter().enumerate() {
        match *step {
            ".." => {
                parts.pop()?;
            }
            "." => {}
            // An empty last step keeps the trailing `/` of a folder URL.
            s if i + 1 == steps.len() || !s.is_empty() => parts.push(s),
            _ => {}
        }
    }
    Some(parts.join("/"))
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
/// `#fragment`, start with `base_path` (e.g. `/` or `/monitor/`), or be relative to the
/// page (the icon link) and resolve, as a browser resolves it, to a path under
/// `base_path`.
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
            } else if !path.starts_with('/') {
                match resolve_relative(page, path) {
                    Some(rest) => served_file(&rest),
                    None => {
                        problems.push(format!(
                            "{page}: `{r}` resolves outside the base path {base_path}"
                        ));
                        continue;
                    }
                }
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
