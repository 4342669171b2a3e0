//! URLs and slugs: the published URL scheme of the content format, the slug rules
//! (lowercase ASCII letters, digits and `-`; no Windows device names), and the prefix a
//! `base_url` with a path adds to every internal link. Output paths are derived from
//! URLs here and nowhere else.

/// Names Windows refuses as file or folder names, in any case.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Longest slug or id; file systems refuse names over 255 bytes.
pub const MAX_SLUG: usize = 120;

/// Whether `s` is a valid explicit slug or id. `Err` says why not.
pub fn check_slug(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("it is empty");
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("only lowercase ASCII letters, digits and `-` are allowed");
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("it may not start or end with `-`");
    }
    if RESERVED.contains(&s) {
        return Err("it is a reserved device name on Windows");
    }
    if s.len() > MAX_SLUG {
        return Err("it is longer than 120 characters");
    }
    Ok(())
}

/// A safe slug from any text: transliterated, lowercased, `-`-joined, never empty,
/// never a Windows device name. Idempotent on its own output.
pub fn slugify(s: &str) -> String {
    let mut out = slug::slugify(s);
    if out.is_empty() {
        out = format!("x{:08x}", fnv(s));
    }
    if out.len() > MAX_SLUG {
        out.truncate(MAX_SLUG);
        out = out.trim_end_matches('-').to_string();
    }
    if RESERVED.contains(&out.as_str()) {
        out.push_str("-1");
    }
    out
}

fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

pub fn incident(slug: &str) -> String {
    format!("incidents/{slug}/")
}
pub fn group(id: &str) -> String {
    format!("groups/{id}/")
}
pub fn weapon(id: &str) -> String {
    format!("weapons/{id}/")
}
pub fn category(slug: &str) -> String {
    format!("categories/{slug}/")
}
pub fn country(slug: &str) -> String {
    format!("countries/{slug}/")
}
pub fn origin(slug: &str) -> String {
    format!("origins/{slug}/")
}
pub fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}
/// Page `n` (1-based) of the incident list.
pub fn incidents_page(n: usize) -> String {
    if n <= 1 {
        "incidents/".to_string()
    } else {
        format!("incidents/page/{n}/")
    }
}

/// Page `n` (1-based) of the incidents of the entity or term whose page is `owner`
/// (`groups/jnim/` -> `groups/jnim/incidents/`, `groups/jnim/incidents/page/2/`).
pub fn entity_incidents(owner: &str, n: usize) -> String {
    if n <= 1 {
        format!("{owner}incidents/")
    } else {
        format!("{owner}incidents/page/{n}/")
    }
}

/// The file an URL path is written to: `a/b/` -> `a/b/index.html`; files stay as they are.
pub fn output_path(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// The path part of a base URL, always starting and ending with `/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// Decode `%XX` escapes once; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let h = hex(*b.get(i + 1)?)?;
            let l = hex(*b.get(i + 2)?)?;
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_is_safe() {
        assert_eq!(slugify("Tillabéri"), "tillaberi");
        assert_eq!(slugify("CON"), "con-1");
        assert_eq!(slugify("a/../../b"), "a-b");
        assert!(!slugify("مرحبا").is_empty());
        assert_eq!(slugify(&slugify("Burkina Faso")), "burkina-faso");
    }

    #[test]
    fn base_path_keeps_project_path() {
        assert_eq!(base_path("https://org.github.io/monitor/"), "/monitor/");
        assert_eq!(base_path("https://org.github.io/monitor"), "/monitor/");
        assert_eq!(base_path("https://example.org"), "/");
    }

    #[test]
    fn slug_checks() {
        assert!(check_slug("kalamba-2024").is_ok());
        for bad in [
            "../../etc/x",
            "/abs",
            "..",
            ".",
            "",
            "//",
            "a\\..\\b",
            "Kalamba",
            "nul",
            "-a",
        ] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }
}
