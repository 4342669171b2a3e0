//! Themes: a site's `templates/` folder overrides the built-in theme file by file, and
//! an override that does not compile is an error on that template file.

use crate::util::{self, Site};

/// A site's own `base.html` and `style.css` replace the built-in ones on every page,
/// while the other templates (the incident page, components) still come from the
/// built-in theme.
#[test]
fn site_template_overrides_the_built_in_one_file_by_file() {
    let site = Site::basic();
    site.incident("a", "", "Body.\n");
    site.file(
        "templates/base.html",
        "<!doctype html><html lang=\"{{ site.language }}\"><title>{% block title %}{{ page.title }}{% endblock title %}</title>{% block head %}{% endblock head %}<body class=\"custom-layout\">{% block content %}{% endblock content %}</body></html>\n",
    );
    site.file("templates/style.css", "body { color: red; }\n");
    let r = site.build();
    assert_eq!(r.errors(), 0, "{:?}", util::errors(&r));
    let page = site.out("incidents/a/index.html");
    assert!(
        page.contains("class=\"custom-layout\""),
        "base.html override not used"
    );
    // Other templates (incident.html, components) still come from the built-in theme.
    assert!(
        page.contains("id=\"sources\""),
        "built-in incident template lost"
    );
    assert!(site.out("groups/jnim/index.html").contains("custom-layout"));
    assert_eq!(site.out("style.css"), "body { color: red; }\n");
}

/// An override of `page.html` whose `{{ … }` lacks a closing brace is one template error on
/// `templates/page.html`, and nothing is written.
#[test]
fn broken_override_template_is_an_error_naming_the_template_file() {
    let site = Site::basic();
    site.incident("a", "", "");
    site.file("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{{ content.title }\n{% endblock content %}\n");
    let r = site.build();
    assert!(!r.written);
    let d = util::one_error(&r);
    assert_eq!(d.code.name, "template", "{d}");
    assert!(
        d.file.to_string_lossy().ends_with("templates/page.html"),
        "{d}"
    );
}
