//! The scan of one rendered HTML page for what the link check needs: every link it
//! holds and every id a `#fragment` can name. It runs while each page renders (pages are
//! not kept); the check itself is in `links.rs`.

/// The links and ids of one rendered HTML page: all the link check needs, so pages
/// need not be kept once rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Every `id` on the page, sorted, without repeats.
    pub ids: Vec<String>,
    /// Every `href` and `src` value, sorted, without repeats.
    pub links: Vec<String>,
}

impl PageLinks {
    /// One pass over the page for `id`, `href` and `src` attributes.
    pub fn scan(html: &str) -> PageLinks {
        let mut ids = Vec::new();
        let mut links = Vec::new();
        for (name, value) in attributes(html) {
            if name == "id" {
                ids.push(value);
            } else {
                links.push(value);
            }
        }
        for v in [&mut ids, &mut links] {
            v.sort_unstable();
            v.dedup();
        }
        PageLinks { ids, links }
    }

    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|i| i.as_str().cmp(id)).is_ok()
    }
}

/// Every `id`, `href` and `src` attribute of `html` written as ` name="value"` (as
/// the renderer and Tera write them), in page order, with `&amp;`, `&quot;` and `&#39;`
/// decoded. Attribute values cannot hold `"`, so one search for `="` finds them all.
pub fn attributes(html: &str) -> impl Iterator<Item = (&'static str, String)> + '_ {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, b"=\"").filter_map(move |eq| {
        let before = &bytes[..eq];
        let name = ["href", "src", "id"].into_iter().find(|n| {
            before.ends_with(n.as_bytes())
                && before.len() > n.len()
                && before[before.len() - n.len() - 1].is_ascii_whitespace()
        })?;
        let start = eq + 2;
        let len = memchr::memchr(b'"', &bytes[start..])?;
        let raw = &html[start..start + len];
        Some((
            name,
            if raw.contains('&') {
                raw.replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
            } else {
                raw.to_string()
            },
        ))
    })
}

/// Every value of one attribute (`href`, `src` or `id`) in `html`.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    attributes(html)
        .filter(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_found_and_decoded() {
        assert_eq!(
            attr_values(
                r#"<a href="/a/?x=1&amp;y=2">x</a> <img src="i.png">"#,
                "href"
            ),
            vec!["/a/?x=1&y=2"]
        );
    }

    #[test]
    fn one_pass_finds_ids_and_links_but_not_lookalike_attributes() {
        let page = PageLinks::scan(
            "<h2 id=\"b\">x</h2><a data-href=\"no\" href=\"/x/\"\nid=\"a\">y</a>\
             <img src=\"/x/\"> <p>href=\"text\"</p>",
        );
        assert_eq!(page.ids, vec!["a", "b"]);
        assert_eq!(page.links, vec!["/x/"]);
    }
}
