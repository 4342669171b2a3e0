//! The scan of one rendered HTML page for what the link check needs: every URL it
//! holds and every id a `#fragment` can name. It runs while each page renders (pages are
//! not kept), in one pass of lol_html's streaming tokenizer, so quoting, spacing and case
//! are read as a browser reads them. The check itself is in `links.rs`.
//!
//! URLs come from `href` and `src` (any element), each candidate of `srcset`, `poster`,
//! and `<meta content>` when the meta names a URL (Open Graph and Twitter images and
//! URLs, `refresh`'s `url=`); ids from `id` (any element) and `name` on `<a>`.
//! Character references in values are decoded as the HTML standard says, by html5ever's
//! tokenizer, only for the few values that hold a `&`.

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, element};
use std::cell::RefCell;

/// The links and ids of one rendered HTML page: all the link check needs, so pages
/// need not be kept once rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Every id a fragment can name (`id`, and `name` on `<a>`), sorted, without repeats.
    pub ids: Vec<String>,
    /// Every URL in a URL-bearing attribute, decoded, sorted, without repeats.
    pub links: Vec<String>,
}

/// `<meta property|name=...>` whose `content` is a URL.
const URL_METAS: &[&str] = &[
    "og:url",
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "og:video",
    "og:video:url",
    "og:video:secure_url",
    "og:audio",
    "og:audio:url",
    "og:audio:secure_url",
    "twitter:image",
    "twitter:image:src",
    "twitter:url",
    "twitter:player",
];

/// Elements with an id or a URL attribute; `<a name>` and `<meta content>` have their
/// own handlers. Other elements are tokenized, not matched.
const URL_OR_ID: &str = "[id], [href], [src], [srcset], [poster]";

impl PageLinks {
    /// One pass over the page. Malformed markup never fails the scan: the tokenizer
    /// recovers as browsers do (the rewriter runs in non-strict mode, with no memory
    /// limit), and whatever it found is returned.
    pub fn scan(html: &str) -> PageLinks {
        let found = RefCell::new(PageLinks::default());
        let settings = Settings {
            element_content_handlers: vec![
                element!(URL_OR_ID, |el| {
                    found.borrow_mut().read(el);
                    Ok(())
                }),
                element!("a[name]", |el| {
                    found.borrow_mut().read_anchor_name(el);
                    Ok(())
                }),
                element!("meta[content]", |el| {
                    found.borrow_mut().read_meta(el);
                    Ok(())
                }),
            ],
            strict: false,
            ..Settings::new()
        };
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // Neither call can fail in non-strict mode without a memory limit, and handlers
        // never fail; if one did, the links found so far are still checked.
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
        let mut page = found.into_inner();
        for v in [&mut page.ids, &mut page.links] {
            v.sort_unstable();
            v.dedup();
        }
        page
    }

    /// The id and URLs of an element matched by `URL_OR_ID`. (Asking for each name is
    /// cheaper than walking the attributes: lol_html gives names as new strings.)
    fn read(&mut self, el: &Element) {
        if let Some(id) = el.get_attribute("id") {
            self.ids.push(decode(id));
        }
        for name in ["href", "src", "poster"] {
            if let Some(url) = el.get_attribute(name) {
                self.push_url(&decode(url));
            }
        }
        if let Some(srcset) = el.get_attribute("srcset") {
            for url in srcset_urls(&decode(srcset)) {
                self.push_url(url);
            }
        }
    }

    /// `<a name>`, an old way to name a fragment target.
    fn read_anchor_name(&mut self, el: &Element) {
        if let Some(name) = el.get_attribute("name") {
            self.ids.push(decode(name));
        }
    }

    /// `<meta content>`, a link when the meta names a URL.
    fn read_meta(&mut self, el: &Element) {
        if let Some(content) = el.get_attribute("content") {
            let content = decode(content);
            if let Some(url) = meta_url(el, &content) {
                self.push_url(url);
            }
        }
    }

    /// A URL as a browser takes it: without surrounding spaces; empty ones name nothing.
    fn push_url(&mut self, url: &str) {
        let url = url.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
        if !url.is_empty() {
            self.links.push(url.to_string());
        }
    }

    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|i| i.as_str().cmp(id)).is_ok()
    }
}

/// The URL in a `<meta>`'s `content`, when the meta names one: an Open Graph or Twitter
/// property from `URL_METAS`, or `http-equiv="refresh"` with a `url=` part.
fn meta_url<'a>(el: &Element, content: &'a str) -> Option<&'a str> {
    let named = |attr: &str| {
        el.get_attribute(attr)
            .is_some_and(|v| URL_METAS.iter().any(|m| v.trim().eq_ignore_ascii_case(m)))
    };
    if named("property") || named("name") {
        return Some(content);
    }
    let refresh = el
        .get_attribute("http-equiv")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
    if refresh { refresh_url(content) } else { None }
}

/// The URL of a refresh `content` (`5; url=/next/`, `0;URL='/next/'`), following the
/// HTML standard's steps; `None` when it only reloads the page.
fn refresh_url(content: &str) -> Option<&str> {
    let ws = |c: char| c.is_ascii_whitespace();
    let rest = content.trim_start_matches(ws);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let rest = rest.trim_start_matches(ws);
    let rest = rest.strip_prefix([';', ','])?.trim_start_matches(ws);
    let rest = match rest.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("url") => {
            let after = rest[3..].trim_start_matches(ws);
            match after.strip_prefix('=') {
                Some(a) => a.trim_start_matches(ws),
                None => rest,
            }
        }
        _ => rest,
    };
    let url = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = &rest[1..];
            &inner[..inner.find(q).unwrap_or(inner.len())]
        }
        _ => rest,
    };
    (!url.trim().is_empty()).then_some(url)
}

/// The URL of each candidate in a `srcset` (`/a.png 1x, /b.png 2x`), as the HTML
/// standard splits them: a URL is a run without spaces (trailing commas end it and its
/// candidate), then descriptors up to the next comma outside parentheses.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        rest = &rest[end..];
        let bare = url.trim_end_matches(',');
        urls.push(bare);
        if bare.len() < url.len() {
            continue;
        }
        // Skip the descriptors.
        let mut depth = 0usize;
        let stop = rest.char_indices().find(|&(_, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => return true,
                _ => {}
            }
            false
        });
        rest = stop.map_or("", |(i, _)| &rest[i + 1..]);
    }
}

/// An attribute value as it was written, with its character references decoded
/// (`&amp;` -> `&`, `&#47;` -> `/`, `&copy` before `=` kept as written). The few values
/// holding a `&` go through html5ever's tokenizer, which follows the standard's rules
/// for references in attributes; the others are returned as they are.
fn decode(raw: String) -> String {
    if !raw.contains('&') {
        return raw;
    }
    entities::decode_attribute(&raw)
}

mod entities {
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    /// Keeps the value of the first attribute of the first start tag.
    struct FirstValue(RefCell<Option<String>>);

    impl TokenSink for FirstValue {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token
                && tag.kind == TagKind::StartTag
                && let Some(attr) = tag.attrs.first()
            {
                self.0
                    .borrow_mut()
                    .get_or_insert_with(|| attr.value.to_string());
            }
            TokenSinkResult::Continue
        }
    }

    /// `raw` (the text of an attribute value, as lol_html gives it) decoded by
    /// tokenizing `<a v="raw">`; a `"` in it is written `&quot;` first, which decodes
    /// back to the same `"`.
    pub(super) fn decode_attribute(raw: &str) -> String {
        let tag = format!("<a v=\"{}\">", raw.replace('"', "&quot;"));
        let tokenizer = Tokenizer::new(FirstValue(RefCell::new(None)), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(tag.as_str().into());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer
            .sink
            .0
            .into_inner()
            .unwrap_or_else(|| raw.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(html: &str) -> Vec<String> {
        PageLinks::scan(html).links
    }

    #[test]
    fn every_quoting_style_and_spacing_is_read() {
        assert_eq!(
            links(
                "<a href='/a/'>x</a><a href=/b/>x</a><a href = \"/c/\">x</a><A HREF=\"/d/\">x</A>"
            ),
            vec!["/a/", "/b/", "/c/", "/d/"]
        );
    }

    #[test]
    fn srcset_poster_and_stylesheet_urls_are_read() {
        assert_eq!(
            links(
                "<img srcset=\"/ok.png 1x, /nope.png 2x\" alt=\"\"><video poster=\"/p.jpg\"></video>\
                 <link rel=\"stylesheet\" href=\"/s.css\"><img srcset=\"/a,b.png 100w,/c.png\">"
            ),
            vec![
                "/a,b.png",
                "/c.png",
                "/nope.png",
                "/ok.png",
                "/p.jpg",
                "/s.css"
            ]
        );
    }

    #[test]
    fn meta_urls_are_read_only_when_the_meta_names_a_url() {
        assert_eq!(
            links(
                "<meta property=\"og:image\" content=\"/i.png\"><meta name=\"twitter:image\" content=\"/t.png\">\
                 <meta property=\"og:title\" content=\"/not-a-url\"><meta http-equiv=\"refresh\" content=\"0; URL='/next/'\">\
                 <meta http-equiv=\"refresh\" content=\"30\">"
            ),
            vec!["/i.png", "/next/", "/t.png"]
        );
    }

    #[test]
    fn character_references_are_decoded_as_in_a_browser() {
        assert_eq!(
            links(
                "<a href=\"/a/?x=1&amp;y=2\">x</a><a href=\"&#47;b&#x2F;\">x</a><a href=\"/c/?a=1&copy=2\">x</a>"
            ),
            vec!["/a/?x=1&y=2", "/b/", "/c/?a=1&copy=2"]
        );
    }

    #[test]
    fn ids_and_anchor_names_are_targets_but_lookalikes_are_not() {
        let page = PageLinks::scan(
            "<h2 id=\"b\">x</h2><a data-href=\"no\" href=\"/x/\"\nid=\"a\">y</a><a name=\"c\"></a>\
             <input name=\"d\"><img src=\"/x/\"> <p>href=\"text\"</p><script>var s = '<a href=\"/js/\">';</script>\
             <!-- <a href=\"/comment/\"> -->",
        );
        assert_eq!(page.ids, vec!["a", "b", "c"]);
        assert_eq!(page.links, vec!["/x/"]);
    }

    #[test]
    fn srcset_candidates_split_as_the_standard_says() {
        assert_eq!(
            srcset_urls(" /a.png 1x ,/b.png  2x"),
            vec!["/a.png", "/b.png"]
        );
        assert_eq!(srcset_urls("/a.png,/b.png"), vec!["/a.png,/b.png"]);
        assert_eq!(srcset_urls("/a.png, /b.png"), vec!["/a.png", "/b.png"]);
        assert_eq!(
            srcset_urls("/a.png (x, y) 2x, /c.png"),
            vec!["/a.png", "/c.png"]
        );
    }
}
