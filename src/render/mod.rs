//! Stage 3, render: Markdown bodies first (in parallel, with the `@/` fragment check),
//! then one template per page (in parallel), feeds, sitemap and data exports, into an
//! in-memory `OutputSet`. The model is only read; a panic while rendering one file
//! becomes an error on that file.

pub mod export;
pub mod feeds;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod views;

use crate::diag::{Diagnostic, Diagnostics, Pos, code};
use crate::fsx::FsError;
use crate::load::SourceFile;
use crate::model::Site;
use crate::model::entity::*;
use crate::model::urls;
use crate::output::{Content, OutputSet};
use markdown::{Env, Rendered};
use pages::Ctx;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use views::*;

/// Section ids the built-in incident template always has: valid `#fragments`.
pub const INCIDENT_SECTION_IDS: &[&str] = &["summary", "groups", "weapons", "sources", "related"];
const SUMMARY_CHARS: usize = 280;

/// Render the whole site. `None` when any error was found. With `stage`, pages are
/// written into that staging folder as they are rendered (a build keeps no page in
/// memory); without it, they are kept in the returned set.
pub fn render(
    site: &Site,
    root: &Path,
    stage: Option<crate::write::Sink>,
) -> Result<(Option<OutputSet>, Diagnostics), FsError> {
    let mut diags = Diagnostics::default();
    let theme = match theme::load(root) {
        Ok(t) => t,
        Err(ds) => {
            diags.extend(ds);
            return Ok((None, diags));
        }
    };
    let env = Env {
        content_urls: &site.content_urls,
        base_path: &site.config.base_path,
        raw_html: site.config.raw_html,
    };
    let inc = bodies(site.incidents.iter().map(|i| &i.file), &env, &mut diags);
    let grp = bodies(site.groups.iter().map(|g| &g.file), &env, &mut diags);
    let wpn = bodies(site.weapons.iter().map(|w| &w.file), &env, &mut diags);
    let pgs = bodies(site.pages.iter().map(|p| &p.file), &env, &mut diags);
    check_links(site, [&inc, &grp, &wpn, &pgs], &mut diags);
    let rows: Vec<IncidentRow> = site
        .incidents
        .par_iter()
        .zip(&inc)
        .map(|(i, r)| pages::incident_row(site, i, summary_of(i.summary.as_deref(), r)))
        .collect();
    let cx = Ctx {
        site,
        rows,
        incident_bodies: take_html(inc),
        group_bodies: take_html(grp),
        weapon_bodies: take_html(wpn),
        page_bodies: take_html(pgs),
    };
    let mut out = OutputSet::default();
    let jobs = jobs(site);
    let site_view = site_view(&cx);
    let rendered: Vec<(String, PathBuf, Result<Content, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let (path, owner, html) = render_job(&cx, &theme, &site_view, job);
            let content = match (html, stage) {
                (Ok(html), Some(dir)) => {
                    crate::write::put(dir, &path, html.as_bytes()).map(|_| Ok(Content::Staged))
                }
                (Ok(html), None) => Ok(Ok(Content::Bytes(html.into_bytes()))),
                (Err(d), _) => Ok(Err(d)),
            };
            content.map(|c| (path, owner, c))
        })
        .collect::<Result<_, FsError>>()?;
    for (path, owner, result) in rendered {
        match result {
            Ok(content) => add(&mut out, path, content, owner, &mut diags),
            Err(d) => diags.push(d),
        }
    }
    let generated = PathBuf::from("<generated>");
    add(
        &mut out,
        "style.css".into(),
        Content::Bytes(theme.stylesheet.clone().into_bytes()),
        theme.origin("style.css"),
        &mut diags,
    );
    for (path, bytes) in feeds::atom(&cx)
        .into_iter()
        .chain(feeds::sitemap(site, &out))
        .chain(export::all(&cx))
    {
        add(
            &mut out,
            path,
            Content::Bytes(bytes),
            generated.clone(),
            &mut diags,
        );
    }
    for f in &site.statics {
        let path = crate::fsx::slash_path(&f.rel);
        add(
            &mut out,
            path,
            Content::Copy(f.path.clone()),
            Path::new("static").join(&f.rel),
            &mut diags,
        );
    }
    Ok(if diags.has_errors() {
        (None, diags)
    } else {
        (Some(out), diags)
    })
}

fn add(
    out: &mut OutputSet,
    path: String,
    content: Content,
    owner: PathBuf,
    diags: &mut Diagnostics,
) {
    if let Err(d) = out.insert(path, content, owner) {
        diags.push(d);
    }
}

fn take_html(v: Vec<Rendered>) -> Vec<String> {
    v.into_iter().map(|r| r.html).collect()
}

/// The explicit summary, else the first paragraph cut at a word near `SUMMARY_CHARS`.
fn summary_of(explicit: Option<&str>, body: &Rendered) -> Option<String> {
    if let Some(s) = explicit {
        return Some(s.to_string());
    }
    let text = body.first_paragraph.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= SUMMARY_CHARS {
        return Some(text.to_string());
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':', '.'])))
}

/// Render every body in parallel; a panic is an error on that file.
fn bodies<'a>(
    files: impl Iterator<Item = &'a SourceFile>,
    env: &Env,
    diags: &mut Diagnostics,
) -> Vec<Rendered> {
    let files: Vec<&SourceFile> = files.collect();
    let results: Vec<Result<Rendered, Diagnostic>> = files
        .par_iter()
        .map(|f| {
            catch_unwind(AssertUnwindSafe(|| markdown::render(&f.body, env))).map_err(|_| {
                Diagnostic::error(
                    code::RENDER_PANIC,
                    &f.rel,
                    Pos::FILE,
                    "the Markdown renderer failed on this file",
                )
                .with_hint("please report this file to the casefile maintainers")
            })
        })
        .collect();
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|d| {
                diags.push(d);
                Rendered::default()
            })
        })
        .collect()
}

/// Every `@/` link must name an existing page, and its `#fragment` an id on that page.
fn check_links(site: &Site, all: [&Vec<Rendered>; 4], diags: &mut Diagnostics) {
    let files: Vec<Vec<&SourceFile>> = vec![
        site.incidents.iter().map(|i| &i.file).collect(),
        site.groups.iter().map(|g| &g.file).collect(),
        site.weapons.iter().map(|w| &w.file).collect(),
        site.pages.iter().map(|p| &p.file).collect(),
    ];
    let mut ids: BTreeMap<&str, &BTreeSet<String>> = BTreeMap::new();
    for (kind, rendered) in all.iter().enumerate() {
        for (f, r) in files[kind].iter().zip(rendered.iter()) {
            ids.insert(&f.content_path, &r.ids);
        }
    }
    for (kind, rendered) in all.iter().enumerate() {
        for (f, r) in files[kind].iter().zip(rendered.iter()) {
            for l in &r.links {
                // Positions are computed only for errors: walking the body per link
                // made this pass quadratic in links per file.
                if !l.resolved {
                    let hint = crate::diag::did_you_mean(&crate::diag::closest(
                        &l.target,
                        site.content_urls.keys().map(String::as_str),
                    ))
                    .unwrap_or_else(|| {
                        "an @/ link names a file under content/, e.g. @/groups/jnim.md".into()
                    });
                    diags.push(
                        Diagnostic::error(
                            code::BROKEN_LINK,
                            &f.rel,
                            body_pos(f, l.offset),
                            format!("link to `@/{}`: no such content file", l.target),
                        )
                        .with_hint(hint),
                    );
                    continue;
                }
                let Some(frag) = &l.fragment else { continue };
                let is_incident = l.target.starts_with("incidents/")
                    && INCIDENT_SECTION_IDS.contains(&frag.as_str());
                let known = ids
                    .get(l.target.as_str())
                    .is_some_and(|set| set.contains(frag));
                if !known && !is_incident {
                    let cands: Vec<&str> = ids
                        .get(l.target.as_str())
                        .map(|s| crate::diag::closest(frag, s.iter().map(String::as_str)))
                        .unwrap_or_default();
                    let hint = crate::diag::did_you_mean(&cands).unwrap_or_else(|| {
                        "a fragment is the id of a heading on the target page".into()
                    });
                    diags.push(
                        Diagnostic::error(
                            code::BROKEN_FRAGMENT,
                            &f.rel,
                            body_pos(f, l.offset),
                            format!("`#{frag}` is not an id on `@/{}`", l.target),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
    }
}

fn body_pos(f: &SourceFile, offset: usize) -> Pos {
    let p = crate::load::source::pos_at(&f.body, offset);
    Pos::new(p.line + f.body_line - 1, p.col)
}

/// One page to render.
enum Job {
    Incident(usize),
    Group(usize),
    Weapon(usize),
    Page(usize),
    Home,
    IncidentList(usize),
    Groups,
    Weapons,
    Country(usize),
    Tag(usize),
    Category(usize),
    Origin(usize),
    Terms(&'static str),
    NotFound,
}

fn jobs(site: &Site) -> Vec<Job> {
    let g = &site.graph;
    let list_pages = site
        .incidents
        .len()
        .div_ceil(site.config.incidents_per_page)
        .max(1);
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..site.incidents.len()).map(Job::Incident));
    jobs.extend((0..site.groups.len()).map(Job::Group));
    jobs.extend((0..site.weapons.len()).map(Job::Weapon));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((1..=list_pages).map(Job::IncidentList));
    jobs.extend((0..g.countries.len()).map(Job::Country));
    jobs.extend((0..g.tags.len()).map(Job::Tag));
    jobs.extend((0..g.categories.len()).map(Job::Category));
    jobs.extend((0..g.origins.len()).map(Job::Origin));
    jobs.extend(["country", "tag", "category", "origin"].map(Job::Terms));
    jobs.extend([Job::Home, Job::Groups, Job::Weapons, Job::NotFound]);
    jobs
}

fn render_job(
    cx: &Ctx,
    theme: &theme::Theme,
    site_view: &SiteView,
    job: &Job,
) -> (String, PathBuf, Result<String, Diagnostic>) {
    let site = cx.site;
    let (url, owner, template, title, mut ctx) = job_context(cx, job);
    let meta = PageMeta {
        description: match job {
            Job::Incident(i) => cx.rows[*i].summary.clone(),
            _ => site.config.description.clone(),
        },
        canonical: format!("{}{}", site.config.base_url, url),
        kind: kind_of(job),
        breadcrumbs: breadcrumbs(cx, job),
        title,
    };
    ctx.insert("site", site_view);
    ctx.insert("page", &meta);
    let result = catch_unwind(AssertUnwindSafe(|| theme.tera.render(template, &ctx)))
        .map_err(|_| {
            Diagnostic::error(
                code::RENDER_PANIC,
                &owner,
                Pos::FILE,
                format!("the template engine failed on {template}"),
            )
        })
        .and_then(|r| {
            r.map_err(|e| {
                let mut d = theme::template_error(&e, |n| Some(theme.origin(n)));
                d.message = format!("{} (rendering {})", d.message, owner.display());
                d
            })
        });
    (urls::output_path(&url), owner, result)
}

type JobContext = (String, PathBuf, &'static str, String, tera::Context);

fn job_context(cx: &Ctx, job: &Job) -> JobContext {
    let site = cx.site;
    let g = &site.graph;
    let generated = || PathBuf::from("<generated>");
    let mut ctx = tera::Context::new();
    match job {
        Job::Incident(i) => {
            let inc = &site.incidents[*i];
            ctx.insert("incident", &pages::incident(cx, IncidentId(*i as u32)));
            (
                urls::incident(&inc.slug),
                inc.file.rel.clone(),
                "incident.html",
                inc.title.clone(),
                ctx,
            )
        }
        Job::Group(i) => {
            let grp = &site.groups[*i];
            ctx.insert("group", &pages::group(cx, GroupId(*i as u32)));
            (
                urls::group(&grp.id),
                grp.file.rel.clone(),
                "group.html",
                grp.name.clone(),
                ctx,
            )
        }
        Job::Weapon(i) => {
            let w = &site.weapons[*i];
            ctx.insert("weapon", &pages::weapon(cx, WeaponId(*i as u32)));
            (
                urls::weapon(&w.id),
                w.file.rel.clone(),
                "weapon.html",
                w.name.clone(),
                ctx,
            )
        }
        Job::Page(i) => {
            let p = &site.pages[*i];
            ctx.insert(
                "content",
                &FreePageView {
                    title: &p.title,
                    body: &cx.page_bodies[*i],
                    updated: p.updated.map(|u| u.label()),
                },
            );
            (
                urls::page(&p.slug),
                p.file.rel.clone(),
                "page.html",
                p.title.clone(),
                ctx,
            )
        }
        Job::Home => {
            ctx.insert("home", &pages::home(cx));
            (
                String::new(),
                generated(),
                "home.html",
                site.config.title.clone(),
                ctx,
            )
        }
        Job::IncidentList(n) => {
            ctx.insert(
                "list",
                &pages::incident_list(cx, *n, site.config.incidents_per_page),
            );
            let title = if *n == 1 {
                "Incidents".to_string()
            } else {
                format!("Incidents, page {n}")
            };
            (
                urls::incidents_page(*n),
                generated(),
                "incidents.html",
                title,
                ctx,
            )
        }
        Job::Groups => {
            ctx.insert("groups", &pages::group_rows(cx));
            (
                "groups/".into(),
                generated(),
                "groups.html",
                "Armed groups and actors".into(),
                ctx,
            )
        }
        Job::Weapons => {
            ctx.insert("categories", &pages::categories(cx));
            (
                "weapons/".into(),
                generated(),
                "weapons.html",
                "Weapon types".into(),
                ctx,
            )
        }
        Job::Country(i) => {
            let t = &g.countries[*i];
            ctx.insert("term", &pages::incident_term(cx, "country", t));
            (
                urls::country(&t.slug),
                generated(),
                "term.html",
                format!("Country: {}", t.label),
                ctx,
            )
        }
        Job::Tag(i) => {
            let t = &g.tags[*i];
            ctx.insert("term", &pages::incident_term(cx, "tag", t));
            (
                urls::tag(&t.slug),
                generated(),
                "term.html",
                format!("Tag: {}", t.label),
                ctx,
            )
        }
        Job::Category(i) => {
            let (c, ws) = &g.categories[*i];
            let name = pages::category_label(&c.name);
            ctx.insert(
                "term",
                &pages::weapon_term(cx, "category", name.clone(), ws),
            );
            (
                urls::category(&c.slug),
                generated(),
                "term.html",
                format!("Category: {name}"),
                ctx,
            )
        }
        Job::Origin(i) => {
            let t = &g.origins[*i];
            ctx.insert(
                "term",
                &pages::weapon_term(cx, "origin", t.label.clone(), &t.members),
            );
            (
                urls::origin(&t.slug),
                generated(),
                "term.html",
                format!("Made in {}", t.label),
                ctx,
            )
        }
        Job::Terms(tax) => {
            ctx.insert("terms", &terms_index(cx, tax));
            (
                format!("{}/", plural(tax)),
                generated(),
                "terms.html",
                capitalise_plural(tax),
                ctx,
            )
        }
        Job::NotFound => (
            "404.html".into(),
            generated(),
            "404.html",
            "Page not found".into(),
            ctx,
        ),
    }
}

fn plural(tax: &str) -> &'static str {
    match tax {
        "country" => "countries",
        "tag" => "tags",
        "category" => "categories",
        _ => "origins",
    }
}

fn capitalise_plural(tax: &str) -> String {
    pages::capitalise(plural(tax))
}

fn terms_index(cx: &Ctx, tax: &'static str) -> TermIndexView {
    let g = &cx.site.graph;
    let terms: Vec<Counted> = match tax {
        "country" => g
            .countries
            .iter()
            .map(|t| Counted {
                link: cx.link(&urls::country(&t.slug), t.label.clone()),
                count: t.members.len(),
            })
            .collect(),
        "tag" => g
            .tags
            .iter()
            .map(|t| Counted {
                link: cx.link(&urls::tag(&t.slug), t.label.clone()),
                count: t.members.len(),
            })
            .collect(),
        "category" => g
            .categories
            .iter()
            .map(|(c, ws)| Counted {
                link: cx.category_link(c),
                count: ws.len(),
            })
            .collect(),
        _ => g
            .origins
            .iter()
            .map(|t| Counted {
                link: cx.link(&urls::origin(&t.slug), t.label.clone()),
                count: t.members.len(),
            })
            .collect(),
    };
    TermIndexView {
        taxonomy: tax,
        terms,
    }
}

fn kind_of(job: &Job) -> &'static str {
    match job {
        Job::Incident(_) => "incident",
        Job::Group(_) => "group",
        Job::Weapon(_) => "weapon",
        Job::Page(_) => "page",
        Job::Home => "home",
        Job::IncidentList(_) | Job::Groups | Job::Weapons | Job::Terms(_) => "list",
        Job::Country(_) | Job::Tag(_) | Job::Category(_) | Job::Origin(_) => "term",
        Job::NotFound => "404",
    }
}

fn breadcrumbs(cx: &Ctx, job: &Job) -> Vec<Link> {
    let home = cx.link("", "Home");
    let section = match job {
        Job::Incident(_) | Job::IncidentList(2..) => Some(cx.link("incidents/", "Incidents")),
        Job::Group(_) => Some(cx.link("groups/", "Groups")),
        Job::Weapon(_) => Some(cx.link("weapons/", "Weapons")),
        Job::Country(_) => Some(cx.link("countries/", "Countries")),
        Job::Tag(_) => Some(cx.link("tags/", "Tags")),
        Job::Category(_) => Some(cx.link("categories/", "Categories")),
        Job::Origin(_) => Some(cx.link("origins/", "Origins")),
        _ => None,
    };
    match job {
        Job::Home => Vec::new(),
        _ => std::iter::once(home).chain(section).collect(),
    }
}

fn site_view(cx: &Ctx) -> SiteView {
    let c = &cx.site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        language: c.language.clone(),
        base_url: c.base_url.clone(),
        root: c.base_path.clone(),
        nav: vec![
            cx.link("incidents/", "Incidents"),
            cx.link("groups/", "Groups"),
            cx.link("weapons/", "Weapons"),
            cx.link("countries/", "Countries"),
        ],
        pages: cx
            .site
            .pages
            .iter()
            .map(|p| cx.link(&urls::page(&p.slug), p.title.clone()))
            .collect(),
        feed_url: format!("{}atom.xml", c.base_path),
        stylesheet_url: format!("{}style.css", c.base_path),
    }
}
