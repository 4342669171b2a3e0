//! Reading the SVG back for the tests: a strict XML parse (end names checked,
//! attributes well-formed and unique, one root) into a small tree.

use quick_xml::events::Event;
use std::collections::BTreeMap;

/// An element read back from the SVG: name, attributes (unescaped), text, children.
#[derive(Debug, Default)]
pub(super) struct El {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub text: String,
    pub children: Vec<El>,
}

impl El {
    pub fn attr(&self, a: &str) -> &str {
        self.attrs.get(a).map(String::as_str).unwrap_or("")
    }

    pub fn walk<'a>(&'a self, out: &mut Vec<&'a El>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }

    pub fn all(&self, name: &str) -> Vec<&El> {
        let mut v = Vec::new();
        self.walk(&mut v);
        v.into_iter().filter(|e| e.name == name).collect()
    }

    pub fn num(&self, a: &str) -> f64 {
        self.attr(a).parse().unwrap()
    }
}

/// Parse XML strictly (end names checked, attributes well-formed, one root).
pub(super) fn parse(xml: &str) -> El {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![El::default()];
    let open = |e: &quick_xml::events::BytesStart| {
        let mut el = El {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            ..El::default()
        };
        for a in e.attributes() {
            let a = a.unwrap();
            let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
            let dup = el
                .attrs
                .insert(key, a.unescape_value().unwrap().into_owned());
            assert!(dup.is_none(), "duplicate attribute");
        }
        el
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let el = open(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text += &t.decode().unwrap(),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => match String::from_utf8_lossy(r.as_ref()).as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("undefined entity {other}"),
                    },
                };
                stack.last_mut().unwrap().text += &s;
            }
            Event::Eof => break,
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    let mut root = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}
