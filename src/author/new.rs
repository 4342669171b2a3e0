//! `casefile new incident|group|weapon|page TITLE`: one new content file, with its
//! references resolved now by the build's own name matching (ids, names, short names
//! and aliases, regardless of case and accents). An unknown reference, an unknown role
//! or status, or a file that exists already stops it before anything is written.

use super::files::{self, Outcome};
use crate::load;
use crate::model::names::NameIndex;
use crate::model::{self, Site, dates, entity::*};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Incident,
    Group,
    Weapon,
    Page,
}

/// The request, as the command line gives it.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub kind: Kind,
    pub title: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; incidents only, default today (UTC).
    pub date: Option<String>,
    /// `REF` or `REF:ROLE`.
    pub groups: Vec<String>,
    /// `REF` or `REF:STATUS`.
    pub weapons: Vec<String>,
    pub country: Option<String>,
    /// The file name (without `.md`); default: a slug of the title.
    pub slug: Option<String>,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum NewError {
    /// A mistake in the request (unknown reference, bad date, file exists...), with
    /// the whole message.
    Request(String),
    /// The site or the file system failed.
    System(String),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::Request(m) | NewError::System(m) => f.write_str(m),
        }
    }
}

/// Write the new file under `root`; its path relative to `root`.
pub fn new(root: &Path, req: &NewRequest, today: chrono::NaiveDate) -> Result<PathBuf, NewError> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(NewError::Request("the title is empty".into()));
    }
    let site = read_site(root)?;
    let stem = match &req.slug {
        Some(s) => checked_slug(s)?,
        None => slug_of(title)?,
    };
    let (rel, text) = match req.kind {
        Kind::Incident => incident(&site, req, title, &stem, today)?,
        Kind::Group => {
            refuse_taken_name(&site, title, Kind::Group)?;
            (
                PathBuf::from(format!("content/groups/{stem}.md")),
                format!(
                    "---\nname: {}\n# short_name: \n# aliases: []\n# actor_type: rebel_group\n# countries: []\n---\nWho they are, in your own words.\n",
                    yaml_str(title)
                ),
            )
        }
        Kind::Weapon => {
            refuse_taken_name(&site, title, Kind::Weapon)?;
            (
                PathBuf::from(format!("content/weapons/{stem}.md")),
                format!(
                    "---\nname: {}\n# One of: {}.\ncategory: other\n# origin: \n# aliases: []\n---\nWhat it is and how to recognise it.\n",
                    yaml_str(title),
                    site.names
                        .categories
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }
        Kind::Page => (
            PathBuf::from(format!("content/pages/{stem}.md")),
            format!("---\ntitle: {}\n---\n", yaml_str(title)),
        ),
    };
    match files::create(root, &rel, &text) {
        Ok(Outcome::Written) => Ok(rel),
        Ok(Outcome::Kept) => Err(NewError::Request(format!(
            "{} exists already; choose another title or --slug (casefile never overwrites)",
            rel.display()
        ))),
        Err(e) => Err(NewError::System(e.to_string())),
    }
}

/// The site as the build reads it (drafts included), for its names.
pub(super) fn read_site(root: &Path) -> Result<Site, NewError> {
    let sys = |e: crate::fsx::FsError| NewError::System(e.to_string());
    let (raw, _) = load::config::read(root, false).map_err(sys)?;
    let (config, _) = model::config::resolve(raw, None).map_err(sys)?;
    let (corpus, _) = load::load(root, false);
    let (site, _) = model::build(corpus, config, true, false);
    site.ok_or_else(|| {
        NewError::Request(format!(
            "the site in {} could not be read; run `casefile check` to see why",
            root.display()
        ))
    })
}

fn incident(
    site: &Site,
    req: &NewRequest,
    title: &str,
    stem: &str,
    today: chrono::NaiveDate,
) -> Result<(PathBuf, String), NewError> {
    let date = req
        .date
        .clone()
        .unwrap_or_else(|| today.format("%Y-%m-%d").to_string());
    let parsed = dates::parse(&date).ok_or_else(|| {
        NewError::Request(format!(
            "--date `{date}` is not a date; write YYYY-MM-DD, YYYY-MM or YYYY"
        ))
    })?;
    let year = parsed.start.format("%Y");
    let mut problems = Vec::new();
    let groups = resolve_all(
        &req.groups,
        RefKind {
            what: "group",
            index: &site.names.groups,
            id_of: &|id| site.group(id).id.clone(),
        },
        Word {
            name: "role",
            parse: Role::parse,
            allowed: Role::ALL.iter().map(|v| v.as_str()).collect(),
        },
        &mut problems,
    );
    let weapons = resolve_all(
        &req.weapons,
        RefKind {
            what: "weapon type",
            index: &site.names.weapons,
            id_of: &|id| site.weapon(id).id.clone(),
        },
        Word {
            name: "status",
            parse: Status::parse,
            allowed: Status::ALL.iter().map(|v| v.as_str()).collect(),
        },
        &mut problems,
    );
    if !problems.is_empty() {
        return Err(NewError::Request(problems.join("\n")));
    }
    let mut t = String::new();
    let _ = writeln!(t, "---\ntitle: {}\ndate: {date}", yaml_str(title));
    t.push_str("confidence: reported\n# event_type: battle\n");
    match &req.country {
        Some(c) => {
            let _ = writeln!(
                t,
                "location:\n  # name: \n  country: {}",
                yaml_str(c.trim())
            );
        }
        None => t.push_str("# location: {name: , country: , lat: , lon: , precision: near}\n"),
    }
    if !groups.is_empty() {
        t.push_str("groups:\n");
        for (id, role) in &groups {
            match role {
                Some(r) => {
                    let _ = writeln!(t, "  - {{group: {id}, role: {}}}", r.as_str());
                }
                None => {
                    let _ = writeln!(t, "  - {id}");
                }
            }
        }
    }
    if !weapons.is_empty() {
        t.push_str("weapons:\n");
        for (id, status) in &weapons {
            match status {
                Some(s) => {
                    let _ = writeln!(t, "  - {{weapon: {id}, status: {}}}", s.as_str());
                }
                None => {
                    let _ = writeln!(t, "  - {id}");
                }
            }
        }
    }
    t.push_str("# sources:\n#   - {title: , url: , publisher: , date: , kind: news, reliability: medium}\n---\nWhat happened, in your own words.\n");
    let rel = PathBuf::from(format!("content/incidents/{year}/{date}-{stem}.md"));
    Ok((rel, t))
}

/// What references name: an entity kind (for messages), its name index, and the id
/// of an entity.
struct RefKind<'a, I> {
    what: &'a str,
    index: &'a NameIndex<I>,
    id_of: &'a dyn Fn(I) -> String,
}

/// The word after a reference's colon: what it is (for messages), its parser, the
/// words allowed.
struct Word<W> {
    name: &'static str,
    parse: fn(&str) -> Option<W>,
    allowed: Vec<&'static str>,
}

/// Each `REF[:WORD]` resolved: the entity's id (by `index`, named `what` in messages)
/// and the word parsed (a role, a status). What does not resolve or parse goes to
/// `problems`, with the closest names or the allowed words.
fn resolve_all<I: Copy + Eq + Ord, W>(
    refs: &[String],
    names: RefKind<'_, I>,
    word: Word<W>,
    problems: &mut Vec<String>,
) -> Vec<(String, Option<W>)> {
    let RefKind { what, index, id_of } = names;
    let Word {
        name: word_name,
        parse,
        allowed,
    } = word;
    let mut out = Vec::new();
    for r in refs {
        let (name, word) = split_ref(r);
        let word = match word.map(|w| (w, parse(w))) {
            Some((w, None)) => {
                problems.push(unknown_word(word_name, w, allowed.iter().copied()));
                None
            }
            Some((_, parsed)) => parsed,
            None => None,
        };
        match index.get(name) {
            Some(id) => out.push((id_of(id), word)),
            None => problems.push(unknown_ref(what, name, &index.suggest(name))),
        }
    }
    out
}

/// `REF:WORD` split at its last colon when the part after it is a plain word (a
/// reference may hold a colon itself, as in "Harakat al-Shabaab: Jaysh al-Usra").
fn split_ref(s: &str) -> (&str, Option<&str>) {
    match s.rsplit_once(':') {
        Some((r, w))
            if !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') =>
        {
            (r.trim(), Some(w))
        }
        _ => (s.trim(), None),
    }
}

fn unknown_ref(what: &str, name: &str, suggestions: &[String]) -> String {
    let mut m = format!("unknown {what} `{name}`");
    if !suggestions.is_empty() {
        let _ = write!(m, "; did you mean {}?", suggestions.join(", "));
    }
    m
}

fn unknown_word<'a>(what: &str, got: &str, all: impl Iterator<Item = &'a str>) -> String {
    format!(
        "unknown {what} `{got}`; one of: {}",
        all.collect::<Vec<_>>().join(", ")
    )
}

/// A new group or weapon type must not take a name another one answers to: the
/// build would refuse the pair.
fn refuse_taken_name(site: &Site, title: &str, kind: Kind) -> Result<(), NewError> {
    let taken = match kind {
        Kind::Group => site
            .names
            .groups
            .get(title)
            .map(|id| site.group(id).id.clone()),
        _ => site
            .names
            .weapons
            .get(title)
            .map(|id| site.weapon(id).id.clone()),
    };
    match taken {
        Some(id) => Err(NewError::Request(format!(
            "`{title}` already names `{id}`; edit that file, or give the new one a distinct name"
        ))),
        None => Ok(()),
    }
}

/// A file name from a title: lower-case ASCII words joined by `-`, at most 60
/// characters, cut at a word.
pub(super) fn slug_of(title: &str) -> Result<String, NewError> {
    let full = slug::slugify(title);
    let mut out = String::new();
    for word in full.split('-') {
        if !out.is_empty() && out.len() + 1 + word.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    let out: String = out.chars().take(60).collect();
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        return Err(NewError::Request(format!(
            "`{title}` gives no file name; add --slug NAME"
        )));
    }
    Ok(out)
}

fn checked_slug(s: &str) -> Result<String, NewError> {
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(NewError::Request(format!(
            "--slug `{s}`: use lower-case ASCII letters, digits and `-`"
        )))
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_at_a_trailing_word_only() {
        assert_eq!(split_ref("jnim:target"), ("jnim", Some("target")));
        assert_eq!(split_ref("JNIM"), ("JNIM", None));
        assert_eq!(split_ref("A: B"), ("A: B", None));
        assert_eq!(split_ref("x:"), ("x:", None));
    }

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(
            slug_of("IS Sahel takes Kalamba!").unwrap(),
            "is-sahel-takes-kalamba"
        );
        assert_eq!(
            slug_of("Côte d'Ivoire: attaque").unwrap(),
            "cote-d-ivoire-attaque"
        );
        let long = slug_of(&"word ".repeat(40)).unwrap();
        assert!(long.len() <= 60 && !long.ends_with('-'));
        assert!(slug_of("!!!").is_err());
        assert!(checked_slug("Bad Slug").is_err());
    }
}
