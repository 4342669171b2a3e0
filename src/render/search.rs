//! The search index and the incident filters' data, built straight from the model
//! and written as small JavaScript files under `search/` that the search box loads
//! with `<script>` elements, so that search works from `file://` (where `fetch` is
//! refused) and under any base path, and downloads only what a query needs.
//!
//! - `search/index.js`: the manifest (document count, shard prefixes).
//! - `search/t-<hex>.js`: the tokens starting with one prefix and, for each, its
//!   postings: the documents holding it and in which field (name or alias 3, title or
//!   place 2, text 1). A shard over `SHARD_BYTES` is split by one more character.
//! - `search/d-<n>.js`: the documents, `DOCS_PER_SHARD` a file: kind, title, URL path
//!   (relative to the site root) and a line of context.
//! - `search/facets.js`: for the filters on `/incidents/`, each incident's groups,
//!   weapon observations, country, year, month and confidence, as indices into value
//!   tables.
//!
//! Tokens are normalised as `static/search.js` does: compatibility decomposition,
//! combining marks and apostrophes dropped, lower case, split on anything that is
//! not a letter or a digit. Matching is by prefix, so "jni" finds JNIM.

use super::pages::Ctx;
use super::views::IncidentRow;
use crate::model::Site;
use crate::model::entity::*;
use crate::model::stats::{self, Bucket};
use crate::model::urls;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fmt::Write;
use unicode_normalization::char::is_combining_mark;

/// Documents per document shard.
pub const DOCS_PER_SHARD: usize = 200;
/// A token shard larger than this is split by one more character of prefix.
pub const SHARD_BYTES: usize = 48 * 1024;
/// Prefixes are never longer than this (characters).
const MAX_PREFIX: usize = 5;

/// The words of a text, normalised for search.
pub fn tokens(s: &str) -> Vec<String> {
    let mut buf = String::new();
    let mut spans = Vec::new();
    tokenize(s, &mut buf, |a, b| spans.push((a, b)));
    spans
        .into_iter()
        .map(|(a, b)| buf[a..b].to_string())
        .collect()
}

/// Append the normalised words of `s` to `buf`, one after the other, and tell `word`
/// where each starts and ends in it: no allocation per word.
fn tokenize(s: &str, buf: &mut String, word: impl FnMut(usize, usize)) {
    tokenize_chars(s.chars(), buf, word)
}

fn tokenize_chars(
    chars: impl Iterator<Item = char>,
    buf: &mut String,
    word: impl FnMut(usize, usize),
) {
    let mut words = Words::new(buf, word);
    for c in chars {
        words.char(c);
    }
    words.end();
}

/// The words of rendered HTML, as `tokenize` takes them from its visible text: tags
/// and character references dropped, each ending a word. One pass over the bytes,
/// jumping over tags; the same words as `tokenize_chars(HtmlText::new(html))`.
fn tokenize_html(html: &str, buf: &mut String, word: impl FnMut(usize, usize)) {
    let mut words = Words::new(buf, word);
    let bytes = html.as_bytes();
    let (mut in_tag, mut in_ref) = (false, false);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_tag && !in_ref {
            // Nothing inside a tag counts until its `>`.
            match bytes[i..].iter().position(|&b| b == b'>') {
                Some(k) => {
                    i += k + 1;
                    in_tag = false;
                    words.end();
                    continue;
                }
                None => break,
            }
        }
        if b.is_ascii_alphanumeric() && !in_ref {
            // A run of letters and digits, taken whole.
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |k| i + k);
            words.ascii_run(&html[i..run]);
            i = run;
            continue;
        }
        if b.is_ascii() {
            i += 1;
            match b {
                b'<' => in_tag = true,
                b'>' if in_tag => {
                    in_tag = false;
                    words.end();
                }
                b'&' if !in_tag => in_ref = true,
                b';' if in_ref => {
                    in_ref = false;
                    words.end();
                }
                _ if in_tag => {}
                _ if in_ref && (b.is_ascii_alphanumeric() || b == b'#') => {}
                _ => {
                    in_ref = false;
                    words.ascii(b);
                }
            }
        } else {
            let Some(c) = html.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            if in_tag || (in_ref && c.is_alphanumeric()) {
                continue;
            }
            in_ref = false;
            words.other(c);
        }
    }
    words.end();
}

/// Words being cut from a stream of characters into `buf`, normalised; `word` hears
/// where each starts and ends.
struct Words<'b, F> {
    buf: &'b mut String,
    start: usize,
    word: F,
}

impl<'b, F: FnMut(usize, usize)> Words<'b, F> {
    fn new(buf: &'b mut String, word: F) -> Self {
        let start = buf.len();
        Words { buf, start, word }
    }

    fn char(&mut self, c: char) {
        match u8::try_from(c) {
            Ok(b) if b.is_ascii() => self.ascii(b),
            _ => self.other(c),
        }
    }

    /// ASCII is its own compatibility decomposition and holds no combining mark: the
    /// common case, fast.
    fn ascii(&mut self, b: u8) {
        if b.is_ascii_alphanumeric() {
            self.buf.push(char::from(b.to_ascii_lowercase()));
        } else if !matches!(b, b'\'' | b'`') {
            self.end();
        }
    }

    /// ASCII letters and digits, all of them.
    fn ascii_run(&mut self, run: &str) {
        let from = self.buf.len();
        self.buf.push_str(run);
        self.buf[from..].make_ascii_lowercase();
    }

    /// Per character, NFKD's decomposition; its reordering only moves combining
    /// marks, which are dropped.
    fn other(&mut self, c: char) {
        unicode_normalization::char::decompose_compatible(c, |d| {
            if is_combining_mark(d) || matches!(d, '\'' | '’' | '‘' | 'ʼ' | '`' | 'ʻ') {
                return;
            }
            if d.is_alphanumeric() {
                self.buf.extend(d.to_lowercase());
            } else {
                self.end();
            }
        });
    }

    fn end(&mut self) {
        if self.buf.len() > self.start {
            (self.word)(self.start, self.buf.len());
            self.start = self.buf.len();
        }
    }
}

/// The visible text of rendered HTML, as characters: tags and character references
/// dropped (each leaves a space). The plain statement of what `tokenize_html` does.
#[cfg(test)]
struct HtmlText<'a> {
    chars: std::str::Chars<'a>,
    in_tag: bool,
    in_ref: bool,
}

#[cfg(test)]
impl<'a> HtmlText<'a> {
    fn new(html: &'a str) -> Self {
        HtmlText {
            chars: html.chars(),
            in_tag: false,
            in_ref: false,
        }
    }
}

#[cfg(test)]
impl Iterator for HtmlText<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            let c = self.chars.next()?;
            match c {
                '<' => self.in_tag = true,
                '>' if self.in_tag => {
                    self.in_tag = false;
                    return Some(' ');
                }
                '&' if !self.in_tag => self.in_ref = true,
                ';' if self.in_ref => {
                    self.in_ref = false;
                    return Some(' ');
                }
                _ if self.in_tag => {}
                _ if self.in_ref && (c.is_alphanumeric() || c == '#') => {}
                _ => {
                    self.in_ref = false;
                    return Some(c);
                }
            }
        }
    }
}

#[cfg(test)]
fn html_text(html: &str) -> String {
    HtmlText::new(html).collect()
}

/// One searchable document.
#[derive(Clone)]
struct Doc {
    kind: char,
    title: String,
    url: String,
    meta: String,
}

const NAME: u8 = 3;
const TITLE: u8 = 2;
const TEXT: u8 = 1;

/// Postings per token: (document, best field weight), documents ascending.
type Postings = BTreeMap<String, Vec<(u32, u8)>>;

/// One document's tokens: the words sit in one buffer as (start, end, weight) spans;
/// once finished, each token once with its best field weight.
#[derive(Default)]
struct Terms {
    buf: String,
    spans: Vec<(usize, usize, u8)>,
}

impl Terms {
    fn add(&mut self, text: &str, weight: u8) {
        let spans = &mut self.spans;
        tokenize(text, &mut self.buf, |a, b| spans.push((a, b, weight)));
    }

    /// The words of rendered HTML, as `add` takes them from its text.
    fn add_html(&mut self, html: &str, weight: u8) {
        let spans = &mut self.spans;
        tokenize_html(html, &mut self.buf, |a, b| spans.push((a, b, weight)));
    }

    /// One span per token, with its heaviest weight, in order of first appearance.
    /// The buffer is compacted to hold each token once (the preview keeps it).
    fn finish(self) -> Terms {
        let buf = &self.buf;
        let mut seen: FxHashMap<&str, usize> =
            FxHashMap::with_capacity_and_hasher(self.spans.len(), Default::default());
        let mut done: Vec<(usize, usize, u8)> = Vec::new();
        let mut packed = String::new();
        for &(a, b, w) in &self.spans {
            match seen.get(&buf[a..b]) {
                Some(&k) => done[k].2 = done[k].2.max(w),
                None => {
                    seen.insert(&buf[a..b], done.len());
                    let start = packed.len();
                    packed.push_str(&buf[a..b]);
                    done.push((start, packed.len(), w));
                }
            }
        }
        packed.shrink_to_fit();
        Terms {
            buf: packed,
            spans: done,
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.spans.iter().map(|&(a, b, w)| (&self.buf[a..b], w))
    }
}

/// Postings being gathered, documents added in id order.
#[derive(Default)]
struct Index(FxHashMap<String, Vec<(u32, u8)>>);

impl Index {
    fn add(&mut self, doc: u32, terms: &Terms) {
        for (token, w) in terms.iter() {
            match self.0.get_mut(token) {
                Some(list) => list.push((doc, w)),
                None => {
                    self.0.insert(token.to_string(), vec![(doc, w)]);
                }
            }
        }
    }

    fn postings(self) -> Postings {
        self.0.into_iter().collect()
    }
}

/// One incident's search document and words, which the preview keeps between edits
/// (`export::IncidentEntries`) so that an edit tokenises only the edited incident.
pub struct IncidentTerms {
    doc: Doc,
    terms: Terms,
}

/// Incident `i`'s document and words.
pub fn incident_terms(cx: &Ctx, i: usize) -> IncidentTerms {
    IncidentTerms {
        doc: incident_doc(cx, i),
        terms: incident_words(cx.site, i, &cx.bodies.incidents[i]).0,
    }
}

/// Incident `i`'s search document: what a result shows.
fn incident_doc(cx: &Ctx, i: usize) -> Doc {
    let inc = &cx.site.incidents[i];
    Doc {
        kind: 'i',
        title: inc.title.clone(),
        url: urls::incident(&inc.slug),
        meta: incident_meta(&cx.rows[i]),
    }
}

/// One incident's words, ready for the index.
pub struct IncidentWords(Terms);

/// Incident `i`'s words: title and places, tags, summary, and the text of its body's
/// `html`.
pub fn incident_words(site: &Site, i: usize, html: &str) -> IncidentWords {
    let inc = &site.incidents[i];
    let mut p = Terms::default();
    p.add(&inc.title, TITLE);
    if let Some(l) = &inc.location {
        let places = [&l.name, &l.admin3, &l.admin2, &l.admin1, &l.country];
        for s in places.into_iter().flatten() {
            p.add(s, TITLE);
        }
    }
    for t in &inc.tags {
        p.add(t, TEXT);
    }
    if let Some(s) = &inc.summary {
        p.add(s, TEXT);
    }
    p.add_html(html, TEXT);
    IncidentWords(p.finish())
}

/// The index gathered while a build that keeps no body HTML renders the bodies
/// (`render`): the groups' and weapon types' documents and words first, then each
/// incident's words as its body is rendered, newest first. The incidents' documents
/// follow once their rows exist (`documents`).
pub struct Gathering {
    docs: Vec<Doc>,
    index: Index,
    incidents: usize,
}

impl Gathering {
    pub fn new(site: &Site) -> Gathering {
        let mut docs = Vec::new();
        let mut index = Index::default();
        entity_documents(site, &mut docs, &mut index);
        Gathering {
            docs,
            index,
            incidents: 0,
        }
    }

    /// The words of the next incident, newest first.
    pub fn add(&mut self, words: &IncidentWords) {
        let doc = (self.docs.len() + self.incidents) as u32;
        self.index.add(doc, &words.0);
        self.incidents += 1;
    }
}

/// The documents in index order: groups, weapon types, incidents newest first, pages,
/// countries. Returns them and the index of the first incident. The incidents' words
/// come from the preview's `kept` copy, from a `gathered` index, or are made here from
/// the bodies, in parallel.
fn documents(
    cx: &Ctx,
    kept: Option<&[IncidentTerms]>,
    gathered: Option<Gathering>,
) -> (Vec<Doc>, Postings, usize) {
    let site = cx.site;
    let order = (0..site.incidents.len()).rev();
    let (mut docs, mut index, first_incident) = match gathered {
        Some(g) => {
            let first = g.docs.len();
            let mut docs = g.docs;
            docs.extend(order.map(|i| incident_doc(cx, i)));
            (docs, g.index, first)
        }
        None => {
            let mut docs = Vec::new();
            let mut index = Index::default();
            entity_documents(site, &mut docs, &mut index);
            let first = docs.len();
            incident_documents(cx, kept, &mut docs, &mut index);
            (docs, index, first)
        }
    };
    for (i, pg) in site.pages.iter().enumerate() {
        let mut p = Terms::default();
        p.add(&pg.title, TITLE);
        p.add_html(&cx.bodies.pages[i], TEXT);
        index.add(docs.len() as u32, &p.finish());
        docs.push(Doc {
            kind: 'p',
            title: pg.title.clone(),
            url: urls::page(&pg.slug),
            meta: "Page".into(),
        });
    }
    for (t, doc) in site.graph.countries.iter().zip(country_docs(site)) {
        let mut p = Terms::default();
        p.add(&t.label, NAME);
        index.add(docs.len() as u32, &p.finish());
        docs.push(doc);
    }
    (docs, index.postings(), first_incident)
}

/// The groups' and weapon types' documents and words, the first of the index.
fn entity_documents(site: &Site, docs: &mut Vec<Doc>, index: &mut Index) {
    for g in &site.groups {
        let mut p = Terms::default();
        let mut names: Vec<&str> = vec![&g.name, &g.id];
        names.extend(g.short_name.as_deref());
        names.extend(g.aliases.iter().map(String::as_str));
        names.extend(g.former_names.iter().map(|f| f.name.as_str()));
        for n in &names {
            p.add(n, NAME);
        }
        p.add(&g.countries.join(" "), TEXT);
        let also: Vec<&str> = names[2..].to_vec();
        let mut meta = g
            .actor_type
            .map(|a| a.label())
            .unwrap_or("Group")
            .to_string();
        if !also.is_empty() {
            let _ = write!(meta, " · also {}", also.join(", "));
        }
        index.add(docs.len() as u32, &p.finish());
        docs.push(Doc {
            kind: 'g',
            title: g.name.clone(),
            url: urls::group(&g.id),
            meta,
        });
    }
    for w in &site.weapons {
        let mut p = Terms::default();
        for n in std::iter::once(&w.name).chain(&w.aliases) {
            p.add(n, NAME);
        }
        p.add(&w.id, NAME);
        let extra = [
            w.family.as_deref(),
            w.manufacturer.as_deref(),
            w.calibre.as_deref(),
            w.origin.as_deref(),
        ];
        for e in extra.into_iter().flatten() {
            p.add(e, TEXT);
        }
        p.add(&w.category.name, TEXT);
        let mut meta = super::pages::category_label(&w.category.name);
        if let Some(o) = &w.origin {
            let _ = write!(meta, " · {o}");
        }
        index.add(docs.len() as u32, &p.finish());
        docs.push(Doc {
            kind: 'w',
            title: w.name.clone(),
            url: urls::weapon(&w.id),
            meta,
        });
    }
}

/// The incidents' documents and words, newest first: from the preview's `kept` copy,
/// else made from the bodies in chunks tokenised in parallel and merged as they come,
/// so that only one chunk's words are held apart from the postings.
fn incident_documents(
    cx: &Ctx,
    kept: Option<&[IncidentTerms]>,
    docs: &mut Vec<Doc>,
    index: &mut Index,
) {
    let order: Vec<usize> = (0..cx.site.incidents.len()).rev().collect();
    match kept {
        Some(kept) => {
            for &i in &order {
                let Some(k) = kept.get(i) else { continue };
                index.add(docs.len() as u32, &k.terms);
                docs.push(k.doc.clone());
            }
        }
        None => {
            for chunk in order.chunks(1024) {
                let done: Vec<IncidentTerms> =
                    chunk.par_iter().map(|&i| incident_terms(cx, i)).collect();
                for k in done {
                    index.add(docs.len() as u32, &k.terms);
                    docs.push(k.doc);
                }
            }
        }
    }
}

/// The documents of the country pages, the last of the index.
fn country_docs(site: &Site) -> Vec<Doc> {
    site.graph
        .countries
        .iter()
        .map(|t| Doc {
            kind: 'c',
            title: t.label.clone(),
            url: urls::country(&t.slug),
            meta: format!(
                "Country · {} incident{}",
                t.members.len(),
                if t.members.len() == 1 { "" } else { "s" }
            ),
        })
        .collect()
}

fn incident_meta(row: &IncidentRow) -> String {
    let mut meta = row.date.clone();
    if let Some(place) = &row.place {
        let _ = write!(meta, " · {place}");
    }
    let _ = write!(meta, " · {}", row.confidence.label);
    meta
}

/// Postings as text: per document, the gap from the previous document in base 36
/// followed by the weight digit, joined by `,`.
fn encode(list: &[(u32, u8)]) -> String {
    // Most gaps take one or two digits.
    let mut out = String::with_capacity(list.len() * 4);
    let mut prev = 0u32;
    for (k, (doc, w)) in list.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_base36(&mut out, doc - prev);
        out.push(char::from(b'0' + w));
        prev = *doc;
    }
    out
}

fn base36(n: u32) -> String {
    let mut s = String::new();
    push_base36(&mut s, n);
    s
}

/// Append `n` in base 36 (digits, then lower-case letters), with no allocation.
fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 8];
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[k..] {
        out.push(char::from(b));
    }
}

/// A JavaScript string literal (JSON is one).
fn js_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The first `n` characters of a token.
fn prefix(t: &str, n: usize) -> &str {
    match t.char_indices().nth(n) {
        Some((i, _)) => &t[..i],
        None => t,
    }
}

/// Tokens grouped into shards by prefix: two characters, more where a shard would be
/// over `SHARD_BYTES`. A shard holds every token starting with its prefix that no
/// longer prefix's shard holds. `tokens`: (token, encoded postings), sorted by token.
fn shards<'a>(tokens: &[(&'a str, &'a str)]) -> BTreeMap<String, Vec<(&'a str, &'a str)>> {
    let mut out = BTreeMap::new();
    split(tokens, 2, &mut out);
    out
}

fn split<'a>(
    tokens: &[(&'a str, &'a str)],
    depth: usize,
    out: &mut BTreeMap<String, Vec<(&'a str, &'a str)>>,
) {
    // `tokens` is sorted, so tokens sharing a prefix are contiguous.
    let mut start = 0;
    while start < tokens.len() {
        let key = prefix(tokens[start].0, depth);
        let end = start
            + tokens[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, depth) == key)
                .count();
        let run = &tokens[start..end];
        let size: usize = run.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
        if size > SHARD_BYTES && depth < MAX_PREFIX {
            // Tokens no longer than the prefix stay here; the rest go one level down.
            let (short, long): (Vec<_>, Vec<_>) = run
                .iter()
                .copied()
                .partition(|(t, _)| t.chars().count() <= depth);
            if !short.is_empty() {
                out.insert(key.to_string(), short);
            }
            split(&long, depth + 1, out);
        } else {
            out.insert(key.to_string(), run.to_vec());
        }
        start = end;
    }
}

/// The file name of a prefix's shard: its UTF-8 bytes in hex (safe on every file
/// system, whatever the script).
pub fn shard_name(prefix: &str) -> String {
    let mut s = String::from("search/t-");
    for b in prefix.bytes() {
        let _ = write!(s, "{b:02x}");
    }
    s.push_str(".js");
    s
}

/// Every file of the index, and of the filters' data when filters are on. `kept`:
/// the index the preview keeps between edits, if any; `rows`: every incident's
/// `facet_row`, when the caller has them.
pub fn files(
    cx: &Ctx,
    kept: Option<&Kept>,
    gathered: Option<Gathering>,
    rows: Option<&[String]>,
) -> Vec<(String, Vec<u8>)> {
    let mut out = index_files(cx, kept, gathered);
    if cx.site.config.views.filters {
        out.push(("search/facets.js".into(), facets(cx.site, rows)));
    }
    out
}

/// The search index's files (none when search is off): the preview's `kept` index,
/// else one finished from `gathered` words or made from the bodies.
pub fn index_files(
    cx: &Ctx,
    kept: Option<&Kept>,
    gathered: Option<Gathering>,
) -> Vec<(String, Vec<u8>)> {
    if !cx.site.config.views.search {
        return Vec::new();
    }
    match kept {
        Some(k) => k.built.files(cx),
        None => Built::new(cx, None, gathered).files(cx),
    }
}

/// A token's postings and their encoded text.
struct Posting {
    list: Vec<(u32, u8)>,
    encoded: String,
}

/// The index made from the model, before it is written out.
struct Built {
    docs: Vec<Doc>,
    tokens: BTreeMap<String, Posting>,
    first_incident: usize,
}

impl Built {
    /// The index of the site's documents. Only the preview (`kept`) patches it later:
    /// a build keeps each list's encoded text alone, the list dropped once encoded.
    fn new(cx: &Ctx, kept: Option<&[IncidentTerms]>, gathered: Option<Gathering>) -> Built {
        let keep_lists = kept.is_some();
        let (docs, postings, first_incident) = documents(cx, kept, gathered);
        let tokens = postings
            .into_par_iter()
            .map(|(t, list)| {
                let encoded = encode(&list);
                let list = if keep_lists { list } else { Vec::new() };
                (t, Posting { list, encoded })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        Built {
            docs,
            tokens,
            first_incident,
        }
    }

    /// Document `d` now has `new` in place of the words `old`: patch the postings of
    /// the tokens either holds, nothing else.
    fn replace(&mut self, d: u32, old: &Terms, new: &IncidentTerms) {
        let mut changed: Vec<String> = Vec::new();
        for (t, _) in old.iter() {
            if let Some(p) = self.tokens.get_mut(t)
                && let Ok(k) = p.list.binary_search_by_key(&d, |e| e.0)
            {
                p.list.remove(k);
                changed.push(t.to_string());
            }
        }
        for (t, w) in new.terms.iter() {
            let p = match self.tokens.get_mut(t) {
                Some(p) => p,
                None => self.tokens.entry(t.to_string()).or_insert(Posting {
                    list: Vec::new(),
                    encoded: String::new(),
                }),
            };
            match p.list.binary_search_by_key(&d, |e| e.0) {
                Ok(k) => p.list[k].1 = w,
                Err(k) => p.list.insert(k, (d, w)),
            }
            changed.push(t.to_string());
        }
        for t in changed {
            match self.tokens.get_mut(&t) {
                Some(p) if p.list.is_empty() => {
                    self.tokens.remove(&t);
                }
                Some(p) => p.encoded = encode(&p.list),
                None => {}
            }
        }
        if let Some(doc) = self.docs.get_mut(d as usize) {
            *doc = new.doc.clone();
        }
    }

    /// Document `d_from` leaves (its words were `old`) and `new` comes in as `d_to`;
    /// the documents between shift by one, which keeps every list in order.
    fn renumber(&mut self, d_from: u32, d_to: u32, old: &Terms, new: &IncidentTerms) {
        let mut touched: Vec<&str> = Vec::new();
        for (t, _) in old.iter() {
            if let Some(p) = self.tokens.get_mut(t)
                && let Ok(k) = p.list.binary_search_by_key(&d_from, |e| e.0)
            {
                p.list.remove(k);
                touched.push(t);
            }
        }
        let (lo, hi) = (d_from.min(d_to), d_from.max(d_to));
        let shift = |x: u32| {
            let x = x - u32::from(x > d_from);
            x + u32::from(x >= d_to)
        };
        self.tokens.par_iter_mut().for_each(|(_, p)| {
            if p.list.iter().any(|e| (lo..=hi).contains(&e.0)) {
                for e in &mut p.list {
                    e.0 = shift(e.0);
                }
                p.encoded = encode(&p.list);
            }
        });
        // A list that lost `d_from` and holds nothing else between is encoded here.
        for t in touched {
            if let Some(p) = self.tokens.get_mut(t) {
                p.encoded = encode(&p.list);
            }
        }
        let doc = self.docs.remove(d_from as usize);
        self.docs.insert(d_to as usize, doc);
        // Now the new words, at `d_to` (`replace` also re-encodes what they touch and
        // drops the lists left empty).
        self.replace(d_to, &Terms::default(), new);
        let emptied: Vec<String> = self
            .tokens
            .iter()
            .filter(|(_, p)| p.list.is_empty())
            .map(|(t, _)| t.clone())
            .collect();
        for t in emptied {
            self.tokens.remove(&t);
        }
    }

    fn files(&self, cx: &Ctx) -> Vec<(String, Vec<u8>)> {
        let sorted: Vec<(&str, &str)> = self
            .tokens
            .iter()
            .map(|(t, p)| (t.as_str(), p.encoded.as_str()))
            .collect();
        let shards: Vec<(String, Vec<(&str, &str)>)> = shards(&sorted).into_iter().collect();
        let mut out: Vec<(String, Vec<u8>)> = shards
            .par_iter()
            .map(|(key, tokens)| {
                let mut js = format!("casefileSearch.terms({},{{", js_str(key));
                for (k, (t, p)) in tokens.iter().enumerate() {
                    if k > 0 {
                        js.push(',');
                    }
                    let _ = write!(js, "{}:\"{p}\"", js_str(t));
                }
                js.push_str("});\n");
                (shard_name(key), js.into_bytes())
            })
            .collect();
        for (n, chunk) in self.docs.chunks(DOCS_PER_SHARD).enumerate() {
            let mut js = format!("casefileSearch.docs({n},[");
            for (k, d) in chunk.iter().enumerate() {
                if k > 0 {
                    js.push_str(",\n");
                }
                let _ = write!(
                    js,
                    "[\"{}\",{},{},{}]",
                    d.kind,
                    js_str(&d.title),
                    js_str(&d.url),
                    js_str(&d.meta)
                );
            }
            js.push_str("]);\n");
            out.push((format!("search/d-{n}.js"), js.into_bytes()));
        }
        let keys: Vec<String> = shards.iter().map(|(k, _)| js_str(k)).collect();
        let manifest = format!(
            "casefileSearch.index({{\"docs\":{},\"per\":{},\"incidents\":[{},{}],\"shards\":[{}]}});\n",
            self.docs.len(),
            DOCS_PER_SHARD,
            self.first_incident,
            self.first_incident + cx.site.incidents.len(),
            keys.join(",")
        );
        out.push(("search/index.js".into(), manifest.into_bytes()));
        out
    }
}

/// What the preview keeps of the search index between edits: every incident's words
/// and the index made from them, so that an edit to one incident's text patches the
/// postings of its words only.
pub struct Kept {
    incidents: Vec<IncidentTerms>,
    built: Built,
}

impl Kept {
    pub fn new(cx: &Ctx) -> Kept {
        let incidents: Vec<IncidentTerms> = (0..cx.site.incidents.len())
            .into_par_iter()
            .map(|i| incident_terms(cx, i))
            .collect();
        let built = Built::new(cx, Some(&incidents), None);
        Kept { incidents, built }
    }

    /// Incident `i`'s text changed, and nothing else about it or any other file.
    pub fn retext(&mut self, cx: &Ctx, i: usize) {
        let new = incident_terms(cx, i);
        let n = cx.site.incidents.len();
        if i >= n {
            return;
        }
        if let Some(old) = self.incidents.get_mut(i) {
            // Incidents are documents newest first, after groups and weapon types.
            let d = (self.built.first_incident + (n - 1 - i)) as u32;
            self.built.replace(d, &old.terms, &new);
            *old = new;
        }
    }

    /// Incident `from` moved to `to` (ids after the edit) and changed; the set of
    /// countries is the same (the preview's one-incident path). The documents between
    /// the two places shift by one, and the country documents' counts may change.
    pub fn moved(&mut self, cx: &Ctx, from: usize, to: usize) {
        let n = cx.site.incidents.len();
        let first = self.built.first_incident;
        let countries = country_docs(cx.site);
        let at = self.built.docs.len().checked_sub(countries.len());
        if self.incidents.len() != n || from >= n || to >= n || at.is_none() {
            self.incidents = (0..n).map(|i| incident_terms(cx, i)).collect();
            self.remake(cx);
            return;
        }
        let old = self.incidents.remove(from);
        self.incidents.insert(to, incident_terms(cx, to));
        let (d_from, d_to) = ((first + n - 1 - from) as u32, (first + n - 1 - to) as u32);
        self.built
            .renumber(d_from, d_to, &old.terms, &self.incidents[to]);
        if let Some(at) = at {
            self.built.docs.truncate(at);
            self.built.docs.extend(countries);
        }
    }

    /// Something else that the index shows changed (a free page's text): made again
    /// from the kept words.
    pub fn remake(&mut self, cx: &Ctx) {
        self.built = Built::new(cx, Some(&self.incidents), None);
    }
}

/// Every incident's row of the filters' data (`facets`), by incident number.
pub fn facet_rows(site: &Site) -> Vec<String> {
    (0..site.incidents.len())
        .into_par_iter()
        .map(|i| facet_row(site, i))
        .collect()
}

/// Incident `i`'s row of the filters' data: its facets as indices into the value
/// tables, then its slug, title and date.
pub fn facet_row(site: &Site, i: usize) -> String {
    let inc = &site.incidents[i];
    let mut groups: Vec<u32> = inc.groups.iter().map(|x| x.group.0).collect();
    groups.sort_unstable();
    groups.dedup();
    let gs: Vec<String> = groups.iter().map(|x| base36(*x)).collect();
    let obs: Vec<String> = inc
        .weapons
        .iter()
        .map(|o| {
            let origin = stats::item_origin(site, o)
                .and_then(|n| stats::origin_term(site, n))
                .map_or("-".to_string(), |t| base36(t.0 as u32));
            let opt = |x: Option<GroupId>| x.map_or("-".to_string(), |x| base36(x.0));
            let mut parts = vec![base36(o.weapon.0), origin, opt(o.from), opt(o.to)];
            parts.extend(
                crate::model::graph::holders(inc, o)
                    .iter()
                    .map(|h| base36(h.0)),
            );
            parts.join(".")
        })
        .collect();
    let (year, month) = match stats::bucket(inc) {
        Bucket::Month(y, m) => (y, m),
        Bucket::YearOnly(y) => (y, 0),
    };
    let id = IncidentId(i as u32);
    let country = site
        .graph
        .countries
        .iter()
        .position(|t| t.members.binary_search(&id).is_ok())
        .map_or("-".to_string(), |k| base36(k as u32));
    let conf = Confidence::ALL
        .iter()
        .position(|c| *c == inc.confidence)
        .unwrap_or(0);
    format!(
        "[\"{}|{}|{country}|{year}|{month}|{conf}\",{},{},\"{}\"]",
        gs.join("."),
        obs.join(" "),
        js_str(&inc.slug),
        js_str(&inc.title),
        inc.date.date.iso(),
    )
}

/// The filters' data: value tables, and per incident (newest first, as on
/// `/incidents/`) its facets as indices into them: groups involved, observations
/// (`weapon.origin.from.to.holder.holder...`, `-` for none), country, year, month
/// (0 when only the year is known) and confidence. Each incident also carries its
/// slug, title and date, for the filtered list.
fn facets(site: &Site, rows: Option<&[String]>) -> Vec<u8> {
    let g = &site.graph;
    let list = |items: Vec<(String, String)>| -> String {
        let parts: Vec<String> = items
            .iter()
            .map(|(id, label)| format!("[{},{}]", js_str(id), js_str(label)))
            .collect();
        format!("[{}]", parts.join(","))
    };
    let groups = list(
        site.groups
            .iter()
            .map(|x| (x.id.clone(), x.display_name().to_string()))
            .collect(),
    );
    let weapons: Vec<String> = site
        .weapons
        .iter()
        .map(|w| {
            let cat = g
                .categories
                .binary_search_by(|(c, _)| c.cmp(&w.category))
                .unwrap_or(0);
            let origin = w
                .origin
                .as_deref()
                .and_then(|o| stats::origin_term(site, o))
                .map_or(-1, |t| t.0 as i64);
            format!("[{},{},{cat},{origin}]", js_str(&w.id), js_str(&w.name))
        })
        .collect();
    let categories = list(
        g.categories
            .iter()
            .map(|(c, _)| (c.slug.clone(), super::pages::category_label(&c.name)))
            .collect(),
    );
    let origins = list(
        g.origins
            .iter()
            .map(|t| (t.slug.clone(), t.label.clone()))
            .collect(),
    );
    let countries = list(
        g.countries
            .iter()
            .map(|t| (t.slug.clone(), t.label.clone()))
            .collect(),
    );
    let confidence = list(
        Confidence::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.label().to_string()))
            .collect(),
    );
    let computed;
    let rows: &[String] = match rows {
        Some(r) => r,
        None => {
            computed = facet_rows(site);
            &computed
        }
    };
    let rows: Vec<&str> = rows.iter().rev().map(String::as_str).collect();
    format!(
        "casefileSearch.facets({{\"groups\":{groups},\"weapons\":[{}],\"categories\":{categories},\"origins\":{origins},\"countries\":{countries},\"confidence\":{confidence},\"incidents\":[\n{}\n]}});\n",
        weapons.join(","),
        rows.join(",\n")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_case_accents_and_apostrophes() {
        assert_eq!(
            tokens("Jama'at Nuṣrat al-Islām, JNIM!"),
            ["jamaat", "nusrat", "al", "islam", "jnim"]
        );
        assert_eq!(tokens("Côte d’Ivoire"), ["cote", "divoire"]);
        assert_eq!(tokens("  "), Vec::<String>::new());
        assert_eq!(tokens("Тип 56"), ["тип", "56"]);
    }

    #[test]
    fn html_text_keeps_the_words_only() {
        let t = html_text("<p>Fighters &amp; <a href=\"/x/\">rifles</a>&#39;s</p>");
        assert_eq!(tokens(&t), ["fighters", "rifles", "s"]);
    }

    /// The one-pass HTML tokeniser cuts the same words as the plain statement of it,
    /// on markup that is well-formed and on markup that is not.
    #[test]
    fn html_words_match_the_plain_statement() {
        let cut = |html: &str| {
            let (mut fast, mut plain) = (String::new(), String::new());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            tokenize_html(html, &mut fast, |x, y| a.push((x, y)));
            tokenize_chars(HtmlText::new(html), &mut plain, |x, y| b.push((x, y)));
            let a: Vec<&str> = a.iter().map(|&(x, y)| &fast[x..y]).collect();
            let b: Vec<&str> = b.iter().map(|&(x, y)| &plain[x..y]).collect();
            assert_eq!(a, b, "{html:?}");
        };
        for html in [
            "<p>Fighters &amp; <a href=\"/x/\">rifles</a>&#39;s</p>",
            "AT&amp;T <b>Kalamba</b>, Kaya: Zastava M05E1 & PG-7V",
            "<p title=\"a;b&c\">x&amp<i>y</i>z; w</p>",
            "Côte d’Ivoire <em>ÉTAT</em> &eacute;t&#233; ﬁn",
            "unclosed <tag and more",
            "&#x1F600; tail &; && ;; <<>> >",
        ] {
            cut(html);
        }
        // Random strings over an alphabet rich in markup characters.
        let alphabet: Vec<char> = "ab Z9<>&;#'`é’ﬁ\u{301}ж.-".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut html = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(1);
            cut(&html);
        }
    }

    #[test]
    fn postings_are_gaps_in_base36_with_the_weight() {
        assert_eq!(encode(&[(0, 3), (1, 1), (40, 2)]), "03,11,132");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }

    #[test]
    fn big_shards_split_and_every_token_lands_in_exactly_one() {
        let mut p = Postings::new();
        for i in 0..3000u32 {
            p.insert(
                format!("ka{}", base36(i * 7919)),
                vec![(i, 1), (i + 1000, 2)],
            );
        }
        p.insert("k".into(), vec![(1, 3)]);
        p.insert("ka".into(), vec![(1, 3)]);
        p.insert("zz".into(), vec![(1, 3)]);
        let encoded: Vec<(&str, String)> = p.iter().map(|(t, l)| (t.as_str(), encode(l))).collect();
        let sorted: Vec<(&str, &str)> = encoded.iter().map(|(t, e)| (*t, e.as_str())).collect();
        let s = shards(&sorted);
        assert!(s.len() > 3, "{:?}", s.keys().collect::<Vec<_>>());
        let mut seen: Vec<&str> = s.values().flatten().map(|(t, _)| *t).collect();
        seen.sort();
        assert_eq!(seen.len(), p.len());
        for (key, toks) in &s {
            for (t, _) in toks {
                assert!(t.starts_with(key.as_str()), "{t} in {key}");
                // No longer shard key would also claim it.
                assert!(
                    !s.keys()
                        .any(|k| k.len() > key.len() && t.starts_with(k.as_str()))
                );
            }
        }
    }
}
