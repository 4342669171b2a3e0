//! The pages of a site as jobs: the list of every page to render, and for each one
//! its URL, source file, template, title and typed context. `render` runs the jobs in
//! parallel; this module decides what they are.

use super::lists::{self, ListOf};
use super::overview::{self, MatrixKind};
use super::pages::{self, Ctx};
use super::theme;
use super::views::*;
use crate::diag::{Diagnostic, Pos, code};
use crate::model::Site;
use crate::model::entity::*;
use crate::model::urls;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    Incident(usize),
    Group(usize),
    Weapon(usize),
    Page(usize),
    Home,
    /// Page `n` (1-based) of an incident list: the site's or an entity's.
    List(ListOf, usize),
    Groups,
    Weapons,
    Country(usize),
    Tag(usize),
    Category(usize),
    Origin(usize),
    Terms(&'static str),
    Map,
    Matrix(MatrixKind, usize),
    Timeline,
    TimelineYear(i32),
    NotFound,
}

pub fn jobs(cx: &Ctx) -> Vec<Job> {
    let site = cx.site;
    let g = &site.graph;
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..site.incidents.len()).map(Job::Incident));
    jobs.extend((0..site.groups.len()).map(Job::Group));
    jobs.extend((0..site.weapons.len()).map(Job::Weapon));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..g.countries.len()).map(Job::Country));
    jobs.extend((0..g.tags.len()).map(Job::Tag));
    jobs.extend((0..g.categories.len()).map(Job::Category));
    jobs.extend((0..g.origins.len()).map(Job::Origin));
    for of in list_owners(site) {
        jobs.extend(list_jobs(site, of));
    }
    jobs.extend(["country", "tag", "category", "origin"].map(Job::Terms));
    jobs.extend([Job::Home, Job::Groups, Job::Weapons, Job::NotFound]);
    jobs.extend(view_jobs(cx));
    jobs
}

/// Every incident list: the site's, then each group's, weapon's, country's and tag's.
pub fn list_owners(site: &Site) -> impl Iterator<Item = ListOf> + '_ {
    let g = &site.graph;
    std::iter::once(ListOf::All)
        .chain((0..site.groups.len()).map(ListOf::Group))
        .chain((0..site.weapons.len()).map(ListOf::Weapon))
        .chain((0..g.countries.len()).map(ListOf::Country))
        .chain((0..g.tags.len()).map(ListOf::Tag))
}

/// The pages of one incident list.
pub fn list_jobs(site: &Site, of: ListOf) -> impl Iterator<Item = Job> {
    (1..=of.pages(site)).map(move |n| Job::List(of, n))
}

/// The site-wide views the site has turned on: map, matrix, timeline.
pub fn view_jobs(cx: &Ctx) -> Vec<Job> {
    let views = cx.site.config.views;
    let mut jobs = Vec::new();
    if views.map {
        jobs.push(Job::Map);
    }
    if views.matrix {
        for kind in MatrixKind::ALL {
            jobs.extend((1..=kind.pages(cx)).map(|n| Job::Matrix(kind, n)));
        }
    }
    if views.timeline {
        jobs.push(Job::Timeline);
        jobs.extend(
            overview::years(cx.site)
                .into_iter()
                .map(|(y, _)| Job::TimelineYear(y)),
        );
    }
    jobs
}

pub fn render_job(
    cx: &Ctx,
    theme: &theme::Theme,
    site_view: &SiteContext,
    job: &Job,
) -> (String, PathBuf, Result<String, Diagnostic>) {
    let site = cx.site;
    // An incident's body, made again from its file in a build that holds none.
    let body = match job {
        Job::Incident(i) => match cx.bodies.incident(site, *i) {
            Ok(html) => html,
            Err(d) => {
                let inc = &site.incidents[*i];
                return (urls::incident(&inc.slug), inc.file.rel.clone(), Err(d));
            }
        },
        _ => std::borrow::Cow::Borrowed(""),
    };
    let (url, owner, template, title, mut ctx) = job_context(cx, job, &body);
    drop(body);
    let meta = PageMeta {
        description: match job {
            Job::Incident(i) => cx.rows[*i].summary.clone(),
            Job::Page(i) => site.pages[*i]
                .summary
                .clone()
                .or_else(|| site.config.description.clone()),
            _ => site.config.description.clone(),
        },
        canonical: format!("{}{}", site.config.base_url, url),
        kind: kind_of(job),
        breadcrumbs: breadcrumbs(cx, job),
        root_rel: match job {
            Job::NotFound => cx.root().to_string(),
            _ => relative_root(&url),
        },
        icon_url: page_icon_url(&site_view.view, &site.config.base_path, &url, job),
        title,
    };
    ctx.insert("site", &site_view.value);
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

/// The way back to the site's root from the page at URL path `url`: one `../` per
/// folder (`incidents/x/` -> `../../`), `./` at the root.
pub fn relative_root(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

/// The icon's URL as the page at `url` links it: relative (`../../favicon.svg`), so that
/// the icon loads under any base path and also when the files are opened from disk,
/// where a path from the root would name the root of the file system. The 404 page,
/// which hosts serve at any address, links the icon from the root (`site.icon_url`).
fn page_icon_url(site_view: &SiteView, base_path: &str, url: &str, job: &Job) -> String {
    let absolute = &site_view.icon_url;
    match (job, absolute.strip_prefix(base_path)) {
        (Job::NotFound, _) | (_, None) => absolute.clone(),
        (_, Some(path)) => format!("{}{path}", "../".repeat(url.matches('/').count())),
    }
}

/// The source file a job renders, for messages.
pub fn owner(site: &Site, job: &Job) -> PathBuf {
    match job {
        Job::Incident(i) => site.incidents[*i].file.rel.clone(),
        Job::Group(i) => site.groups[*i].file.rel.clone(),
        Job::Weapon(i) => site.weapons[*i].file.rel.clone(),
        Job::Page(i) => site.pages[*i].file.rel.clone(),
        _ => PathBuf::from("<generated>"),
    }
}

type JobContext = (String, PathBuf, &'static str, String, tera::Context);

/// The URL, owner, template, title and context of one page job; `body` is an
/// incident's body HTML. (Over 80 lines: one match arm per kind of page, each a few
/// lines that build that page's typed view; a function per arm would only move the
/// match.)
fn job_context(cx: &Ctx, job: &Job, body: &str) -> JobContext {
    let site = cx.site;
    let g = &site.graph;
    let generated = || PathBuf::from("<generated>");
    let mut ctx = tera::Context::new();
    match job {
        Job::Incident(i) => {
            let inc = &site.incidents[*i];
            ctx.insert(
                "incident",
                &pages::incident(cx, IncidentId(*i as u32), body),
            );
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
            let html = &cx.bodies.groups[*i];
            ctx.insert("group", &pages::group(cx, GroupId(*i as u32), html));
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
            let html = &cx.bodies.weapons[*i];
            ctx.insert("weapon", &pages::weapon(cx, WeaponId(*i as u32), html));
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
            let html = &cx.bodies.pages[*i];
            ctx.insert(
                "content",
                &FreePageView {
                    title: &p.title,
                    body: html,
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
        Job::List(of, n) => {
            ctx.insert("list", &lists::incident_list(cx, *of, *n));
            (
                of.url(site, *n),
                generated(),
                "incidents.html",
                of.title(site, *n),
                ctx,
            )
        }
        Job::Map => {
            ctx.insert("map_page", &pages::map_page(cx));
            (
                "map/".into(),
                generated(),
                "map.html",
                "Map of incidents".into(),
                ctx,
            )
        }
        Job::Matrix(kind, n) => {
            match kind {
                MatrixKind::Custody => ctx.insert("custody", &overview::custody(cx, *n)),
                _ => ctx.insert("matrix", &overview::matrix(cx, *kind, *n)),
            }
            let template = match kind {
                MatrixKind::Custody => "custody.html",
                _ => "matrix.html",
            };
            (kind.url(*n), generated(), template, kind.title(*n), ctx)
        }
        Job::Timeline => {
            ctx.insert("timeline", &overview::timeline(cx));
            (
                overview::timeline_url(None),
                generated(),
                "timeline.html",
                "Timeline".into(),
                ctx,
            )
        }
        Job::TimelineYear(y) => {
            ctx.insert("year", &overview::timeline_year(cx, *y));
            (
                overview::timeline_url(Some(*y)),
                generated(),
                "timeline-year.html",
                format!("Timeline: {y}"),
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
            ctx.insert("charts", &pages::weapons_charts(cx));
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
            ctx.insert("term", &pages::incident_term(cx, ListOf::Country(*i), t));
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
            ctx.insert("term", &pages::incident_term(cx, ListOf::Tag(*i), t));
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
        Job::List(ListOf::All, _) | Job::Groups | Job::Weapons | Job::Terms(_) => "list",
        Job::List(..) => "entity-list",
        Job::Map => "map",
        Job::Matrix(..) => "matrix",
        Job::Timeline | Job::TimelineYear(_) => "timeline",
        Job::Country(_) | Job::Tag(_) | Job::Category(_) | Job::Origin(_) => "term",
        Job::NotFound => "404",
    }
}

fn breadcrumbs(cx: &Ctx, job: &Job) -> Vec<Link> {
    let home = cx.link("", "Home");
    if let Job::List(of, _) = job
        && *of != ListOf::All
    {
        let (section, label) = match of {
            ListOf::Group(_) => ("groups/", "Groups"),
            ListOf::Weapon(_) => ("weapons/", "Weapons"),
            ListOf::Country(_) => ("countries/", "Countries"),
            _ => ("tags/", "Tags"),
        };
        let owner = lists::incident_list_owner(cx, *of);
        return vec![home, cx.link(section, label), owner];
    }
    let section = match job {
        Job::Incident(_) | Job::List(ListOf::All, 2..) => Some(cx.link("incidents/", "Incidents")),
        Job::Matrix(_, 2..) | Job::Matrix(MatrixKind::Origins | MatrixKind::Custody, _) => {
            Some(cx.link("matrix/", "Arms matrix"))
        }
        Job::TimelineYear(_) => Some(cx.link(&overview::timeline_url(None), "Timeline")),
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

fn nav(cx: &Ctx) -> Vec<Link> {
    let views = cx.site.config.views;
    let mut nav = vec![
        cx.link("incidents/", "Incidents"),
        cx.link("groups/", "Groups"),
        cx.link("weapons/", "Weapons"),
        cx.link("countries/", "Countries"),
    ];
    if views.map {
        nav.push(cx.link("map/", "Map"));
    }
    if views.timeline {
        nav.push(cx.link(&overview::timeline_url(None), "Timeline"));
    }
    if views.matrix {
        nav.push(cx.link("matrix/", "Matrix"));
    }
    nav
}

/// The site's view, and the same as a template value made once for every page.
pub struct SiteContext {
    pub view: SiteView,
    value: Shared,
}

pub fn site_view(cx: &Ctx) -> SiteContext {
    let view = site_view_of(cx);
    SiteContext {
        value: Shared::of(&view),
        view,
    }
}

fn site_view_of(cx: &Ctx) -> SiteView {
    let c = &cx.site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        language: c.language.clone(),
        base_url: c.base_url.clone(),
        root: c.base_path.clone(),
        nav: nav(cx),
        pages: cx
            .site
            .pages
            .iter()
            .map(|p| cx.link(&urls::page(&p.slug), p.title.clone()))
            .collect(),
        feed_url: format!("{}atom.xml", c.base_path),
        stylesheet_url: format!("{}style.css", c.base_path),
        search: c.views.search,
        script: c.views.search || c.views.filters,
        icon_url: format!("{}{}", c.base_path, theme::icon(&cx.site.statics).path()),
    }
}
