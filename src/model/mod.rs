//! Stage 2, model: resolve the raw corpus into an immutable `Site`. Ids come from file
//! stems, names go into one index per kind (collisions are errors), references are
//! resolved with "did you mean" help, parent chains are checked for cycles, drafts are
//! dropped unless asked for, and the link graph is built once.

pub mod check;
pub mod config;
pub mod dates;
pub mod edit;
pub mod entity;
pub mod graph;
pub mod index;
pub mod lookup;
pub mod media;
pub mod names;
pub mod places;
pub mod resolve;
pub mod rules;
pub mod stats;
pub mod urls;

use crate::diag::{Diagnostic, Diagnostics, Pos, code};
use crate::fsx::Found;
use crate::load::{Corpus, Doc, SourceFile};
use check::Checker;
use config::SiteConfig;
use entity::*;
use names::NameIndex;
use rayon::prelude::*;
use resolve::{Broken, Lookup, Unlinked};
use std::collections::BTreeMap;

/// The built-in weapon categories (content format, after the UN tracing instrument).
pub const CATEGORIES: &[&str] = &[
    "pistol",
    "revolver",
    "rifle",
    "assault rifle",
    "shotgun",
    "submachine gun",
    "light machine gun",
    "general purpose machine gun",
    "heavy machine gun",
    "grenade launcher",
    "rpg launcher",
    "recoilless rifle",
    "atgm launcher",
    "manpads",
    "mortar",
    "small arms ammunition",
    "rocket",
    "missile",
    "mortar bomb",
    "hand grenade",
    "ied",
    "landmine",
    "artillery",
    "vehicle",
    "uav",
    "other",
];

/// The resolved, frozen site: what the renderer reads.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Sorted by date, then slug: index = `IncidentId`, chronological.
    pub incidents: Vec<Incident>,
    /// Sorted by id: index = `GroupId`.
    pub groups: Vec<Group>,
    /// Sorted by id: index = `WeaponId`.
    pub weapons: Vec<Weapon>,
    pub pages: Vec<Page>,
    pub graph: graph::Graph,
    /// Content path (`groups/jnim.md`) -> URL path (`groups/jnim/`), for `@/` links.
    pub content_urls: BTreeMap<String, String>,
    pub statics: Vec<Found>,
    /// The name indexes references were resolved with, kept for the preview's
    /// one-incident re-resolve (`edit.rs`).
    pub names: Names,
}

/// Group and weapon names and the weapon categories: what an incident's references
/// resolve against.
#[derive(Debug, Default)]
pub struct Names {
    pub groups: NameIndex<GroupId>,
    pub weapons: NameIndex<WeaponId>,
    pub categories: Vec<Category>,
    pub broken: BrokenNames,
    pub places: places::Gazetteer,
    pub assets: media::Assets,
}

impl Names {
    pub fn lookup(&self) -> Lookup<'_> {
        Lookup {
            groups: &self.groups,
            weapons: &self.weapons,
            broken_groups: &self.broken.groups,
            broken_weapons: &self.broken.weapons,
            places: &self.places,
            assets: &self.assets,
        }
    }
}

/// Files that exist but failed, to load or to resolve: references to them resolve to
/// nothing without a diagnostic of their own (the file's error says what to fix).
#[derive(Debug, Default)]
pub struct BrokenNames {
    pub groups: Broken,
    pub weapons: Broken,
    /// Content paths (`incidents/2024/x.md`) of every file that failed, of any kind:
    /// an `@/` link to one is not reported again.
    pub files: std::collections::BTreeSet<String>,
}

impl BrokenNames {
    /// Start from the files that failed to load: a group or weapon file's stem (a
    /// bundle's folder name) is its id.
    fn from_failed(failed: &[String]) -> Self {
        let mut b = BrokenNames::default();
        for path in failed {
            let p = std::path::Path::new(path);
            let id = resolve::stem_id(&crate::load::stem_of(p));
            match p.components().next().and_then(|c| c.as_os_str().to_str()) {
                Some("groups") => b.groups.insert(&id),
                Some("weapons") => b.weapons.insert(&id),
                _ => {}
            }
            b.files.insert(path.clone());
        }
        b
    }
}

impl Site {
    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.0 as usize]
    }
    pub fn weapon(&self, id: WeaponId) -> &Weapon {
        &self.weapons[id.0 as usize]
    }
    pub fn incident(&self, id: IncidentId) -> &Incident {
        &self.incidents[id.0 as usize]
    }

    /// Every source file by its path relative to the site root.
    pub fn sources(&self) -> std::collections::BTreeMap<std::path::PathBuf, &SourceFile> {
        let files = self
            .incidents
            .iter()
            .map(|i| &i.file)
            .chain(self.groups.iter().map(|g| &g.file))
            .chain(self.weapons.iter().map(|w| &w.file))
            .chain(self.pages.iter().map(|p| &p.file));
        files.map(|f| (f.rel.clone(), f)).collect()
    }
}

/// Resolve `corpus`; `None` when any error was found (in strict runs the site is
/// returned anyway, consistent: every id names an entity that exists). (Over 80 lines:
/// it is the model stage's sequence, each step a call, in the order the content format
/// defines: ids, own fields, name indexes, references, cycles, slugs, rules, graph.)
pub fn build(
    corpus: Corpus,
    config: SiteConfig,
    include_drafts: bool,
    strict: bool,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Corpus {
        incidents,
        groups,
        weapons,
        pages,
        statics,
        failed,
        places,
        assets,
        ..
    } = corpus;
    let assets = media::Assets::new(assets.iter().map(|f| crate::fsx::slash_path(&f.rel)));
    let places = places::Gazetteer::resolve(places, &mut diags);
    let mut broken = BrokenNames::from_failed(&failed);
    let categories = categories(&config);
    // Own fields first: an entity that cannot exist (no name, no category) gets no id,
    // so every id the model hands out names an entity that is there.
    let groups = assign_ids(groups, |d| d.file.stem.clone(), &mut diags);
    let mut failed_files = Vec::new();
    let groups = resolve_own(
        groups,
        &mut diags,
        &mut broken.groups,
        &mut failed_files,
        group_names,
        |id, doc, c| resolve::group(doc, id, c),
    );
    let weapons = assign_ids(weapons, |d| d.file.stem.clone(), &mut diags);
    let weapons = resolve_own(
        weapons,
        &mut diags,
        &mut broken.weapons,
        &mut failed_files,
        weapon_names,
        |id, doc, c| resolve::weapon(doc, id, &categories, c),
    );
    let names = Names {
        groups: index::index_groups(&groups, &mut diags),
        weapons: index::index_weapons(&weapons, &mut diags),
        categories,
        broken,
        places,
        assets,
    };
    let lookup = names.lookup();
    let groups: Vec<Group> = resolve_all(groups, &mut diags, &mut failed_files, |u, c| {
        Some(resolve::link_group(u, &lookup, c))
    });
    let weapons: Vec<Weapon> = resolve_all(weapons, &mut diags, &mut failed_files, |u, c| {
        Some(resolve::link_weapon(u, &lookup, c))
    });
    check_cycles(
        &groups,
        |g| g.parent.map(|p| p.0 as usize),
        "group",
        &mut diags,
    );
    check_cycles(
        &weapons,
        |w| w.parent.map(|p| p.0 as usize),
        "weapon",
        &mut diags,
    );

    let incidents = with_slugs(
        incidents,
        |d| d.raw.slug.clone(),
        &mut diags,
        &mut failed_files,
    );
    let mut incidents: Vec<Incident> = resolve_all(
        incidents,
        &mut diags,
        &mut failed_files,
        |(slug, doc), c| resolve::incident(doc, slug, &lookup, c),
    );
    let pages = with_slugs(pages, |d| d.raw.slug.clone(), &mut diags, &mut failed_files);
    let mut pages: Vec<Page> =
        resolve_all(pages, &mut diags, &mut failed_files, |(slug, doc), c| {
            resolve::page(doc, slug, c)
        });
    check_unique(
        incidents.iter().map(|i| (i.slug.as_str(), &i.file)),
        "incident slug",
        &mut diags,
    );
    check_unique(
        pages.iter().map(|p| (p.slug.as_str(), &p.file)),
        "page slug",
        &mut diags,
    );
    // In strict mode (check) a site with errors is still returned, so that the render
    // stage can report its problems in the same run; it is never written.
    if diags.has_errors() && !strict {
        return (None, diags);
    }
    // Only on a resolved site: an unresolved reference would make its target look unused.
    if !diags.has_errors() {
        diags.extend(rules::check(&incidents, &groups, &weapons, strict));
        if strict && config.views.map {
            diags.extend(rules::unplaced(&incidents, !names.places.is_empty()));
        }
    }
    if diags.has_errors() && !strict {
        return (None, diags);
    }
    if !include_drafts {
        incidents.retain(|i| !i.draft);
        pages.retain(|p| !p.draft);
    }
    incidents.par_sort_by(|a, b| (a.date.date.start, &a.slug).cmp(&(b.date.date.start, &b.slug)));
    let content_urls = content_urls(&incidents, &groups, &weapons, &pages);
    let graph = graph::build(&incidents, &groups, &weapons);
    let mut names = names;
    names.broken.files.extend(failed_files);
    let site = Site {
        config,
        incidents,
        groups,
        weapons,
        pages,
        graph,
        content_urls,
        statics,
        names,
    };
    (Some(site), diags)
}

fn categories(config: &SiteConfig) -> Vec<Category> {
    let mut names: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
    names.extend(
        config
            .weapon_categories
            .iter()
            .map(|c| resolve::category_key(c)),
    );
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| Category {
            slug: urls::slugify(&name),
            name,
        })
        .collect()
}

/// Sort documents by id (file stem made safe); two files with one id are an error.
fn assign_ids<T>(
    docs: Vec<Doc<T>>,
    stem: impl Fn(&Doc<T>) -> String,
    diags: &mut Diagnostics,
) -> Vec<(String, Doc<T>)> {
    let mut with_ids: Vec<(String, Doc<T>)> = docs
        .into_iter()
        .map(|d| (resolve::stem_id(&stem(&d)), d))
        .collect();
    with_ids.sort_by(|a, b| (&a.0, &a.1.file.rel).cmp(&(&b.0, &b.1.file.rel)));
    let mut out: Vec<(String, Doc<T>)> = Vec::with_capacity(with_ids.len());
    for (id, doc) in with_ids {
        if let Some((_, first)) = out.last().filter(|(prev, _)| *prev == id) {
            diags.push(
                Diagnostic::error(
                    code::DUPLICATE_ID,
                    &doc.file.rel,
                    Pos::FILE,
                    format!("id `{id}` is also the id of {}", first.file.rel.display()),
                )
                .with_hint(
                    "file names give ids; names differing only in case or punctuation collide",
                ),
            );
            continue;
        }
        out.push((id, doc));
    }
    out
}

fn with_slugs<T>(
    docs: Vec<Doc<T>>,
    explicit: impl Fn(&Doc<T>) -> Option<crate::load::raw::Text>,
    diags: &mut Diagnostics,
    failed: &mut Vec<String>,
) -> Vec<(String, Doc<T>)> {
    docs.into_iter()
        .filter_map(|d| {
            let mut c = Checker::new(&d.file);
            let slug = resolve::slug_of(&d.file, explicit(&d).as_ref(), &mut c);
            diags.extend(c.diags);
            if slug.is_none() {
                failed.push(d.file.content_path.clone());
            }
            Some((slug?, d))
        })
        .collect()
}

/// Resolve each document's own fields in parallel; a document that fails leaves its id
/// and names in `broken` and its path in nothing else.
fn resolve_own<R: Send, T: Send>(
    docs: Vec<(String, Doc<R>)>,
    diags: &mut Diagnostics,
    broken: &mut Broken,
    failed: &mut Vec<String>,
    names: impl Fn(&R) -> Vec<String> + Sync,
    f: impl Fn(String, Doc<R>, &mut Checker) -> Option<T> + Sync,
) -> Vec<T> {
    let (out, fails) = resolve_par(docs, diags, |(id, doc): (String, Doc<R>), c| {
        let written: Vec<String> = std::iter::once(id.clone()).chain(names(&doc.raw)).collect();
        let path = doc.file.content_path.clone();
        f(id, doc, c).ok_or((path, written))
    });
    for (path, written) in fails {
        written.iter().for_each(|w| broken.insert(w));
        failed.push(path);
    }
    out
}

fn group_names(r: &crate::load::raw::RawGroup) -> Vec<String> {
    let names = [&r.name, &r.short_name].into_iter().flatten();
    let aliases = r.aliases.iter().flat_map(|l| &l.value);
    let former = r.former_names.iter().flat_map(|l| &l.value);
    names
        .map(|n| n.value.clone())
        .chain(aliases.map(|a| a.value.clone()))
        .chain(former.filter_map(|f| f.value.name.as_ref().map(|n| n.value.clone())))
        .collect()
}

fn weapon_names(r: &crate::load::raw::RawWeapon) -> Vec<String> {
    let aliases = r.aliases.iter().flat_map(|l| &l.value);
    r.name
        .iter()
        .map(|n| n.value.clone())
        .chain(aliases.map(|a| a.value.clone()))
        .collect()
}

/// Resolve items in parallel, in order; the content paths of those that fail go to
/// `failed`.
fn resolve_all<I: Send + HasFile, T: Send>(
    items: Vec<I>,
    diags: &mut Diagnostics,
    failed: &mut Vec<String>,
    f: impl Fn(I, &mut Checker) -> Option<T> + Sync,
) -> Vec<T> {
    let (out, fails) = resolve_par(items, diags, |item: I, c| {
        let path = item.file().content_path.clone();
        f(item, c).ok_or(path)
    });
    failed.extend(fails);
    out
}

/// Run `f` on every item in parallel, keeping the order, each with a checker on the
/// item's file: what resolved, and what each failure returned.
fn resolve_par<I: Send + HasFile, T: Send, E: Send>(
    items: Vec<I>,
    diags: &mut Diagnostics,
    f: impl Fn(I, &mut Checker) -> Result<T, E> + Sync,
) -> (Vec<T>, Vec<E>) {
    let results: Vec<(Result<T, E>, Vec<Diagnostic>)> = items
        .into_par_iter()
        .map(|item| {
            let file = item.file().clone();
            let mut c = Checker::new(&file);
            let out = f(item, &mut c);
            (out, c.diags)
        })
        .collect();
    let (mut out, mut fails) = (Vec::with_capacity(results.len()), Vec::new());
    for (item, ds) in results {
        diags.extend(ds);
        match item {
            Ok(t) => out.push(t),
            Err(e) => fails.push(e),
        }
    }
    (out, fails)
}

/// Anything that knows its source file.
trait HasFile {
    fn file(&self) -> &SourceFile;
}
impl<T> HasFile for (String, Doc<T>) {
    fn file(&self) -> &SourceFile {
        &self.1.file
    }
}
impl HasFile for Unlinked<Group> {
    fn file(&self) -> &SourceFile {
        &self.entity.file
    }
}
impl HasFile for Unlinked<Weapon> {
    fn file(&self) -> &SourceFile {
        &self.entity.file
    }
}

/// Report every cycle in a parent relation once, listing its members. Linear: each node
/// is walked once.
fn check_cycles<T: HasFileRef>(
    items: &[T],
    parent: impl Fn(&T) -> Option<usize>,
    kind: &str,
    diags: &mut Diagnostics,
) {
    let mut state = vec![0u8; items.len()]; // 0 new, 1 on the current path, 2 done
    for start in 0..items.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                2 => break,
                1 => {
                    let from = path.iter().position(|p| *p == i).unwrap_or(0);
                    let members: Vec<&str> = path[from..].iter().map(|m| items[*m].id()).collect();
                    let f = items[i].source();
                    diags.push(
                        Diagnostic::error(
                            code::PARENT_CYCLE,
                            &f.rel,
                            f.key_pos("parent"),
                            format!(
                                "{kind} parent cycle: {} -> {}",
                                members.join(" -> "),
                                items[i].id()
                            ),
                        )
                        .with_hint("a parent chain must end at an entity without a parent"),
                    );
                    break;
                }
                _ => {
                    state[i] = 1;
                    path.push(i);
                    cur = parent(&items[i]);
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
}

trait HasFileRef {
    fn id(&self) -> &str;
    fn source(&self) -> &SourceFile;
}
impl HasFileRef for Group {
    fn id(&self) -> &str {
        &self.id
    }
    fn source(&self) -> &SourceFile {
        &self.file
    }
}
impl HasFileRef for Weapon {
    fn id(&self) -> &str {
        &self.id
    }
    fn source(&self) -> &SourceFile {
        &self.file
    }
}

/// Slugs must be unique, also ignoring case.
fn check_unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a SourceFile)>,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, &SourceFile> = BTreeMap::new();
    let mut all: Vec<(&str, &SourceFile)> = items.collect();
    all.sort_by(|a, b| (a.0, &a.1.rel).cmp(&(b.0, &b.1.rel)));
    for (slug, file) in all {
        match seen.get(&slug.to_lowercase()) {
            Some(first) => diags.push(
                Diagnostic::error(
                    code::URL_COLLISION,
                    &file.rel,
                    file.key_pos("slug"),
                    format!("{what} `{slug}` is also used by {}", first.rel.display()),
                )
                .with_hint("give one of them a different `slug:`"),
            ),
            None => {
                seen.insert(slug.to_lowercase(), file);
            }
        }
    }
}

fn content_urls(
    incidents: &[Incident],
    groups: &[Group],
    weapons: &[Weapon],
    pages: &[Page],
) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for i in incidents {
        m.insert(i.file.content_path.clone(), urls::incident(&i.slug));
    }
    for g in groups {
        m.insert(g.file.content_path.clone(), urls::group(&g.id));
    }
    for w in weapons {
        m.insert(w.file.content_path.clone(), urls::weapon(&w.id));
    }
    for p in pages {
        m.insert(p.file.content_path.clone(), urls::page(&p.slug));
    }
    m
}
