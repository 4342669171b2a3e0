//! Escaping and sanitizing: text from front matter is data everywhere (HTML, feed,
//! exports), raw HTML in bodies is cleaned unless the site trusts it, and no page ever
//! carries a live script.

use crate::util::{self, Site, assert_clean, build_ok, inc};

/// A title, summary, location, tag and source title holding markup, a closing script
/// tag, a CDATA end, an ampersand, quotes, a spreadsheet formula and template syntax:
/// every page stays inert; the page's `<h1>`, `<title>`, meta description and
/// `og:title` show the text as written; the Atom feed and the sitemap stay well-formed
/// with the markup escaped; the JSON and CSV exports hold the text exactly.
#[test]
fn markup_in_titles_and_summaries_is_escaped_in_every_format() {
    let payload = "\"><img src=x onerror=alert(1)></script>]]> </script> ]]> & 'q' =HYPERLINK(1) {{ 7*7 }} {% raw %}";
    let yaml = payload.replace('\'', "''");
    let site = Site::basic();
    site.file(
        &inc("xss"),
        &format!(
            "---\ntitle: '{yaml}'\ndate: 2024-03-22\nsummary: '{yaml}'\n\
             location: {{name: '{yaml}', country: '{yaml}'}}\ntags: ['{yaml}']\n\
             sources:\n  - {{title: '{yaml}', url: 'https://example.org/s'}}\n---\nBody.\n"
        ),
    );
    build_ok(&site);
    for (path, html) in util::html_files(&site) {
        util::assert_inert(&path, &html);
        assert!(!html.contains("<img src=x"), "{path}: unescaped payload");
    }
    // Text, <title>, meta description, og:title.
    let doc = util::html(&site.out("incidents/xss/index.html"));
    let title = util::text_of(&doc, "title").unwrap();
    assert!(title.starts_with(payload), "<title>{title}</title>");
    assert_eq!(util::text_of(&doc, "h1").as_deref(), Some(payload), "h1");
    assert_eq!(
        util::attr_values(&doc, "meta[name=description]", "content"),
        [payload],
        "meta description"
    );
    assert_eq!(
        util::attr_values(&doc, "meta[property='og:title']", "content"),
        [payload],
        "og:title"
    );
    // Atom and sitemap: well-formed, no live markup, the title kept as data.
    let atom = site.out("atom.xml");
    util::xml_elements(&atom).unwrap_or_else(|e| panic!("atom.xml is not well-formed: {e}"));
    assert!(
        !atom.contains("<img") && !atom.contains("</script>"),
        "{atom}"
    );
    assert!(
        atom.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{atom}"
    );
    assert!(
        util::xml_texts(&atom, "title")
            .iter()
            .any(|t| t.contains(payload)),
        "the title is not data in the feed"
    );
    util::xml_elements(&site.out("sitemap.xml"))
        .unwrap_or_else(|e| panic!("sitemap.xml is not well-formed: {e}"));
    // JSON round-trips the text exactly.
    let json = util::json(&site, "data/incidents.json");
    assert_eq!(json[0]["title"], payload);
    assert_eq!(json[0]["summary"], payload);
    // CSV round-trips it (it does not start with a formula character).
    let csv_text = site.out("data/incidents.csv");
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let header = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    for name in ["title", "location"] {
        let col = header.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[0][col], payload, "{name}");
    }
}

const HOSTILE_HTML: &str = "Intro.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<a href=\"javascript:alert(1)\">raw link</a> <svg onload=alert(1)></svg>\n\n<div onclick=\"alert(1)\" style=\"background:url(javascript:alert(1))\">div</div>\n\n<object data=\"x.swf\"></object><embed src=\"x.swf\">\n\n\
<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><base href=\"https://evil.example/\"><style>body{display:none}</style>\n\n\
<form action=\"https://evil.example/\"><input name=x></form> <a href=\"javascript&#58;alert(1)\">entity</a>\n\n\
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n\n\
<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>\n";

/// Raw HTML in an incident, a group and a free page: scripts (also inside SVG and
/// MathML), `on*` handlers, iframes, objects, embeds, a meta refresh, a `<base>`, a
/// `<style>`, a form, `javascript:` and `data:` links written as HTML or Markdown, and
/// parser-confusion tricks with `<noscript>` and `<mglyph>`. With the default
/// `raw_html: sanitize`, no page of the site holds anything live, and the text and the
/// safe link around them are kept.
#[test]
fn raw_html_is_sanitized_by_default() {
    let body = format!(
        "{HOSTILE_HTML}\n<a href=\"data:text/html,x\">b</a> [x](javascript:alert(1)) [ok](https://example.org/ok)\n\n\
         <svg><script>alert(1)</script></svg> <math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>\n"
    );
    let site = Site::basic();
    site.incident("xss", "", &body);
    site.file(
        "content/groups/jnim.md",
        &format!("---\nname: Jama'at Nusrat al-Islam wal-Muslimin\nshort_name: JNIM\n---\n{body}"),
    );
    site.file(
        "content/pages/about.md",
        &format!("---\ntitle: About\n---\n{body}"),
    );
    build_ok(&site);
    let files = util::html_files(&site);
    assert!(files.len() > 5);
    for (path, html) in &files {
        util::assert_inert(path, html);
        // No script but the theme's own (checked by `assert_inert`).
        let scripts = html.matches("<script").count();
        let own = html.matches("casefile.js\" defer></script>").count();
        assert!(
            !html.contains("alert(1)</script>") && scripts == own,
            "{path}"
        );
    }
    let page = site.out("incidents/xss/index.html");
    assert!(page.contains("Intro."));
    let links = util::attr_values(&util::html(&page), "a[href]", "href");
    assert!(
        links.contains(&"https://example.org/ok".to_string()),
        "the safe link is gone: {links:?}"
    );
}

/// Issue 10: a `javascript:` link written as raw HTML ended as a bare `<a>` (no `href`,
/// so not a link that crawlers or keyboards can use), and the same link written in
/// Markdown as `href="#"` (a link to the top of the page). Both forms, and a `data:`
/// link, now give the same output: the link's text in a `<span>`, with no `<a>` left,
/// whether or not the body holds other raw HTML. Safe links are kept.
#[test]
fn a_dangerous_link_is_the_same_plain_text_in_markdown_and_in_raw_html() {
    let forms = [
        ("markdown", "[click](javascript:alert(1))"),
        ("html", "<a href=\"javascript:alert(1)\">click</a>"),
        (
            "html-entity",
            "<a href=\"javascript&#58;alert(1)\">click</a>",
        ),
        ("markdown-data", "[click](data:text/html,x)"),
        ("html-data", "<a href=\"data:text/html,x\">click</a>"),
        (
            "markdown-beside-html",
            "[click](javascript:alert(1)) <b>bold</b>",
        ),
    ];
    let site = Site::basic();
    for (stem, body) in forms {
        site.incident(stem, "", &format!("{body} [ok](https://example.org/ok)\n"));
    }
    build_ok(&site);
    for (stem, _) in forms {
        let page = site.out(&format!("incidents/{stem}/index.html"));
        util::assert_inert(stem, &page);
        let doc = util::html(&page);
        let prose = doc.select(&util::sel(".prose p")).next().unwrap();
        let inner = prose.inner_html();
        assert!(inner.starts_with("<span>click</span> "), "{stem}: {inner}");
        assert_eq!(
            util::attr_values(&doc, ".prose a", "href"),
            ["https://example.org/ok"],
            "{stem}: {inner}"
        );
    }
}

const RAW_DIV: &str = r#"<div class="x" data-widget="chart" style="color: red">"#;

/// With `markdown: {raw_html: trusted}`, a `<div>` with class, data and style attributes
/// is kept exactly as written.
#[test]
fn trusted_raw_html_is_kept_verbatim() {
    let s = Site::basic();
    s.file(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nmarkdown: {raw_html: trusted}\n",
    );
    s.incident("raw", "", &format!("{RAW_DIV}\nkept\n</div>\n"));
    assert_clean(&s.build());
    assert!(
        s.out("incidents/raw/index.html").contains(RAW_DIV),
        "trusted raw HTML was changed"
    );
}

/// With the default `raw_html: sanitize`, the same `<div>` loses its style and data
/// attributes but keeps its text.
#[test]
fn sanitized_raw_html_loses_attributes_outside_the_allow_list() {
    let s = Site::basic();
    s.incident("raw", "", &format!("{RAW_DIV}\nkept\n</div>\n"));
    assert_clean(&s.build());
    let page = s.out("incidents/raw/index.html");
    assert!(
        !page.contains("style=\"color: red\"") && !page.contains("data-widget"),
        "sanitize kept style/data attributes"
    );
    assert!(
        util::text_of(&util::html(&page), "main")
            .unwrap()
            .contains("kept"),
        "the block's text is gone"
    );
}

/// Guard for `util::assert_inert`: it rejects a script, an event handler, an iframe, a
/// `javascript:` URL hidden by case, blanks and an entity, a `data:` URL and a
/// `vbscript:` image, and accepts ordinary links.
#[test]
fn inertness_check_catches_live_payloads() {
    let bad = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=x></iframe>",
        "<a href=\" JaVa&#x09;Script:alert(1)\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<img src=\"vbscript:x\">",
    ];
    for b in bad {
        let caught = std::panic::catch_unwind(|| util::assert_inert("t", b)).is_err();
        assert!(caught, "not caught: {b}");
    }
    util::assert_inert(
        "t",
        "<a href=\"https://example.org/\">ok</a><a href=\"#\">x</a>",
    );
}
