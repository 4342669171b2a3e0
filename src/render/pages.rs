//! View builders: turn the frozen model into the typed views of `views.rs`, one function
//! per kind of page. Links are built here with the site's base path; nothing here
//! touches templates or files.

use super::figures;
use super::gallery;
use super::lists::ListOf;
use super::maps;
use super::views::*;
use crate::model::Site;
use crate::model::entity::*;
use crate::model::graph::{self, Term};
use crate::model::stats::{self, Flow};
use crate::model::urls;

/// Everything a view builder borrows: the site, pre-rendered bodies and incident rows.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub rows: Vec<IncidentRow>,
    /// Each row as a template value, made on first use: a row shows on ten pages or
    /// so (lists, neighbours, summaries), and is serialized once.
    shared_rows: Vec<std::sync::OnceLock<Shared>>,
    /// Rendered Markdown bodies, by kind and index.
    pub bodies: Bodies,
    /// Every custody flow of the site (`stats::flows`), and each group's, by index.
    pub flows: Vec<Flow>,
    pub flows_by_group: Vec<Vec<usize>>,
    /// The two arms matrices (by category, by origin), made on first use.
    matrices: std::sync::OnceLock<(stats::Matrix, stats::Matrix)>,
    /// The published images.
    pub media: std::sync::Arc<super::gallery::Published>,
}

/// Rows in an entity's summary ("latest incidents"); the full list is paginated.
pub const SUMMARY_ROWS: usize = 10;
/// Rows in a page's tables (weapons of a group, groups of a weapon, opponents): the
/// most frequent first; the exports and the matrix hold the rest.
pub const TABLE_ROWS: usize = 100;
/// Custody flows on a group's page, each way; `/matrix/custody/` has them all.
pub const FLOW_ROWS: usize = 20;

/// The rendered Markdown bodies, by kind and index. Group, weapon type and page bodies
/// are rendered once and held. Incident bodies too, but for a build that keeps no
/// body (`reread`, the site folder): there each incident's page reads and renders its
/// body again, so that no incident's text or HTML is held for the whole build.
#[derive(Default)]
pub struct Bodies {
    pub incidents: Vec<String>,
    pub groups: Vec<String>,
    pub weapons: Vec<String>,
    pub pages: Vec<String>,
    pub reread: Option<std::path::PathBuf>,
}

impl Bodies {
    /// Incident `i`'s body as HTML: held, or made again from its file.
    pub fn incident(
        &self,
        site: &Site,
        i: usize,
    ) -> Result<std::borrow::Cow<'_, str>, crate::diag::Diagnostic> {
        let Some(root) = &self.reread else {
            return Ok(std::borrow::Cow::Borrowed(&self.incidents[i]));
        };
        let f = &site.incidents[i].file;
        let text = f.body_text(root)?;
        let env = super::markdown::Env::of(site);
        let body = super::render_file(f, &text, &env, false)?;
        Ok(std::borrow::Cow::Owned(body.html))
    }
}

impl<'a> Ctx<'a> {
    pub fn new(
        site: &'a Site,
        rows: Vec<IncidentRow>,
        bodies: Bodies,
        media: std::sync::Arc<super::gallery::Published>,
    ) -> Self {
        let flows = stats::flows(site);
        let flows_by_group = stats::flows_by_group(&flows, site.groups.len());
        Ctx {
            site,
            shared_rows: (0..rows.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            rows,
            bodies,
            flows,
            flows_by_group,
            matrices: std::sync::OnceLock::new(),
            media,
        }
    }

    /// The arms matrices: groups by category, groups by country of manufacture.
    pub fn matrices(&self) -> &(stats::Matrix, stats::Matrix) {
        self.matrices.get_or_init(|| {
            (
                stats::category_matrix(self.site),
                stats::origin_matrix(self.site),
            )
        })
    }

    /// Give back the rows and bodies (the preview keeps them between edits).
    pub fn into_parts(self) -> (Vec<IncidentRow>, Bodies) {
        (self.rows, self.bodies)
    }

    pub fn root(&self) -> &str {
        &self.site.config.base_path
    }

    pub fn link(&self, path: &str, label: impl Into<String>) -> Link {
        Link {
            url: format!("{}{}", self.root(), path),
            label: label.into(),
        }
    }

    /// The template items of images: on incident `id`'s own page (`elsewhere` false)
    /// or on another page, with a link to the incident.
    pub fn media_views(
        &self,
        images: &[(IncidentId, &Media)],
        sizes: &'static str,
        elsewhere: bool,
    ) -> Vec<MediaView> {
        images
            .iter()
            .filter_map(|(id, m)| {
                let inc = self.site.incident(*id);
                let incident =
                    elsewhere.then(|| self.link(&urls::incident(&inc.slug), inc.title.as_str()));
                let shows = m.shows.iter().map(|w| self.weapon_link(*w)).collect();
                self.media.view(self.root(), m, sizes, incident, shows)
            })
            .collect()
    }

    pub fn group_link(&self, id: GroupId) -> Link {
        let g = self.site.group(id);
        self.link(&urls::group(&g.id), g.display_name())
    }

    pub fn weapon_link(&self, id: WeaponId) -> Link {
        let w = self.site.weapon(id);
        self.link(&urls::weapon(&w.id), w.name.as_str())
    }

    pub fn category_link(&self, c: &Category) -> Link {
        self.link(&urls::category(&c.slug), category_label(&c.name))
    }

    pub fn country_link(&self, name: &str) -> Link {
        self.link(&urls::country(&urls::slugify(name)), name)
    }

    pub fn origin_link(&self, name: &str) -> Link {
        self.link(&urls::origin(&urls::slugify(name)), name)
    }

    pub fn tag_link(&self, name: &str) -> Link {
        self.link(&urls::tag(&urls::slugify(name)), name)
    }

    /// Incident `id`'s row as a template value.
    pub fn row(&self, id: IncidentId) -> &Shared {
        let i = id.0 as usize;
        self.shared_rows[i].get_or_init(|| Shared::of(&self.rows[i]))
    }

    /// The latest `SUMMARY_ROWS` rows of a chronological id list, newest first.
    fn rows_latest(&self, ids: &[IncidentId]) -> Vec<&Shared> {
        ids.iter()
            .rev()
            .take(SUMMARY_ROWS)
            .map(|i| self.row(*i))
            .collect()
    }
}

/// A category for people: acronyms in capitals ("IED", "RPG launcher"), else the
/// first letter capitalised.
pub fn category_label(name: &str) -> String {
    const ACRONYMS: &[&str] = &["ied", "uav", "rpg", "atgm", "manpads"];
    let words: Vec<String> = name
        .split(' ')
        .map(|w| {
            if ACRONYMS.contains(&w) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    capitalise(&words.join(" "))
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The list row of an incident; `summary` is the explicit or first-paragraph summary.
pub fn incident_row(site: &Site, inc: &Incident, summary: Option<String>) -> IncidentRow {
    let place = inc.location.as_ref().and_then(|l| {
        let parts: Vec<&str> = [l.name.as_deref(), l.admin1.as_deref(), l.country.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    IncidentRow {
        url: format!("{}{}", site.config.base_path, urls::incident(&inc.slug)),
        title: inc.title.clone(),
        date: inc.date.label(),
        date_iso: inc.date.date.iso(),
        confidence: Badge {
            value: inc.confidence.as_str(),
            label: inc.confidence.label(),
        },
        event_type: inc.event_type.map(|e| e.label()),
        place,
        summary,
    }
}

pub fn incident<'a>(cx: &'a Ctx<'a>, id: IncidentId, body: &'a str) -> IncidentView<'a> {
    let site = cx.site;
    let inc = site.incident(id);
    let i = id.0 as usize;
    IncidentView {
        row: cx.row(id),
        summary: inc.summary.as_deref(),
        date_end_iso: inc.date.end.map(|e| e.iso()),
        precision: inc.date.precision.as_str(),
        location: inc.location.as_ref().map(|l| location(cx, l)),
        roles: roles(cx, inc),
        weapons: inc.weapons.iter().map(|o| observation(cx, o)).collect(),
        fatalities: inc.fatalities.map(fatalities_label),
        sources: inc.sources.iter().map(source).collect(),
        tags: inc.tags.iter().map(|t| cx.tag_link(t)).collect(),
        body,
        prev: i.checked_sub(1).map(|p| cx.row(IncidentId(p as u32))),
        next: (i + 1 < cx.rows.len()).then(|| cx.row(IncidentId(i as u32 + 1))),
        related: site.graph.related[i].iter().map(|r| cx.row(*r)).collect(),
        updated: inc.updated.map(|u| u.label()),
        draft: inc.draft,
        media: cx.media_views(
            &inc.media.iter().map(|m| (id, m)).collect::<Vec<_>>(),
            gallery::SIZES_WIDE,
            false,
        ),
    }
}

fn location(cx: &Ctx, l: &Location) -> LocationView {
    LocationView {
        name: l.name.clone(),
        admin: [&l.admin3, &l.admin2, &l.admin1]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        country: l.country.as_deref().map(|c| cx.country_link(c)),
        precision: l.precision.map(|p| p.label()),
        lat: l.lat,
        lon: l.lon,
        place: l.place.clone(),
    }
}

fn roles(cx: &Ctx, inc: &Incident) -> Vec<RoleGroups> {
    Role::ALL
        .iter()
        .filter_map(|role| {
            let groups: Vec<GroupRef> = inc
                .groups
                .iter()
                .filter(|g| g.role == *role)
                .map(|g| GroupRef {
                    link: cx.group_link(g.group),
                    attribution: g.attribution.map(|a| a.label()),
                })
                .collect();
            (!groups.is_empty()).then_some(RoleGroups {
                role: role.as_str(),
                label: role.label(),
                groups,
            })
        })
        .collect()
}

fn observation(cx: &Ctx, o: &Observation) -> ObservationView {
    let w = cx.site.weapon(o.weapon);
    let origin = o.origin.as_deref().or(w.origin.as_deref());
    ObservationView {
        weapon: cx.weapon_link(o.weapon),
        category: cx.category_link(&w.category),
        origin: origin.map(|c| cx.origin_link(c)),
        origin_is_item: o.origin.is_some(),
        statuses: o.statuses.iter().map(|s| s.as_str()).collect(),
        quantity: o.quantity,
        from: o.from.map(|g| cx.group_link(g)),
        to: o.to.map(|g| cx.group_link(g)),
        identification: o.identification.map(|i| i.label()),
        evidence: o.evidence.clone(),
        note: o.note.clone(),
    }
}

pub fn fatalities_label(f: Fatalities) -> String {
    let range = match (f.low, f.high) {
        (Some(l), Some(h)) => Some(format!("{l}–{h}")),
        (Some(l), None) => Some(format!("at least {l}")),
        (None, Some(h)) => Some(format!("at most {h}")),
        (None, None) => None,
    };
    match (f.best, range) {
        (Some(b), Some(r)) => format!("{b} ({r})"),
        (Some(b), None) => b.to_string(),
        (None, Some(r)) => r,
        (None, None) => String::new(),
    }
}

fn source(s: &Source) -> SourceView {
    SourceView {
        title: s.title.clone(),
        url: s.url.clone(),
        publisher: s.publisher.clone(),
        date: s.date.map(|d| d.label()),
        kind: s.kind.map(|k| k.label()),
        reliability: s.reliability.map(|r| r.as_str()),
    }
}

fn pairing<T: Copy>(p: &graph::Pairing<T>, link: Link) -> Pairing {
    Pairing {
        link,
        incidents: p.incidents,
        statuses: p
            .statuses
            .iter()
            .map(|(s, n)| StatusCount {
                status: s.as_str(),
                count: *n,
            })
            .collect(),
    }
}

pub fn group<'a>(cx: &'a Ctx<'a>, id: GroupId, body: &'a str) -> GroupView<'a> {
    let site = cx.site;
    let g = site.group(id);
    let i = id.0 as usize;
    let incidents: Vec<GroupIncident> = site.graph.group_incidents[i]
        .iter()
        .rev()
        .take(SUMMARY_ROWS)
        .map(|(inc, roles)| GroupIncident {
            row: cx.row(*inc),
            roles: roles.iter().map(|r| r.as_str()).collect(),
        })
        .collect();
    let ids = site.graph.group_incidents[i].iter().map(|(id, _)| *id);
    let images = gallery::collect(site, ids, |_| true, gallery::GROUP_IMAGES + 1);
    let more_media = images.len() > gallery::GROUP_IMAGES;
    let images = &images[..images.len().min(gallery::GROUP_IMAGES)];
    GroupView {
        media: cx.media_views(images, gallery::SIZES_GRID, true),
        more_media,
        id: &g.id,
        name: &g.name,
        short_name: g.short_name.as_deref(),
        aliases: &g.aliases,
        former_names: g
            .former_names
            .iter()
            .map(|f| NamedPeriod {
                name: f.name.clone(),
                from: f.from.map(|d| d.label()),
                to: f.to.map(|d| d.label()),
            })
            .collect(),
        actor_type: g.actor_type.map(|a| a.label()),
        founded: g.founded.map(|f| f.label()),
        countries: &g.countries,
        parent: g.parent.map(|p| cx.group_link(p)),
        ancestors: ancestors(site, id)
            .into_iter()
            .map(|a| cx.group_link(a))
            .collect(),
        affiliates: site.graph.group_children[i]
            .iter()
            .map(|c| cx.group_link(*c))
            .collect(),
        body,
        incident_count: site.graph.group_incidents[i].len(),
        incidents,
        all_incidents: cx.link(
            &ListOf::Group(i).url(site, 1),
            ListOf::Group(i).title(site, 1),
        ),
        weapons: site.graph.group_weapons[i]
            .iter()
            .take(TABLE_ROWS)
            .map(|p| pairing(p, cx.weapon_link(p.other)))
            .collect(),
        weapon_count: site.graph.group_weapons[i].len(),
        opponents: site.graph.group_opponents[i]
            .iter()
            .take(TABLE_ROWS)
            .map(|o| OpponentView {
                link: cx.group_link(o.group),
                attacked: o.attacked,
                attacked_by: o.attacked_by,
            })
            .collect(),
        opponent_count: site.graph.group_opponents[i].len(),
        charts: group_charts(cx, id),
        map: maps::incident_map(cx, "map", ListOf::Group(i)),
        took: figures::flows(cx, &own_flows(cx, id, true)),
        lost: figures::flows(cx, &own_flows(cx, id, false)),
    }
}

fn group_charts(cx: &Ctx, id: GroupId) -> Vec<ChartView> {
    let site = cx.site;
    if !site.config.views.charts {
        return Vec::new();
    }
    let name = site.group(id).display_name();
    let ids = ListOf::Group(id.0 as usize).ids(site);
    let scope = format!(" involving {name}");
    let with = format!(" with {name}");
    [
        figures::monthly(cx, "chart-months", &scope, ids),
        figures::origins(cx, "chart-origins", &with, &stats::group_origins(site, id)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A group's flows: those it took (`took`) or those taken from it.
fn own_flows<'a>(cx: &'a Ctx, id: GroupId, took: bool) -> Vec<&'a Flow> {
    cx.flows_by_group[id.0 as usize]
        .iter()
        .map(|k| &cx.flows[*k])
        .filter(|f| if took { f.to == id } else { f.from == id })
        .take(FLOW_ROWS)
        .collect()
}

/// Parent chain, nearest first; stops on a repeat (cycles are model errors anyway).
fn ancestors(site: &Site, id: GroupId) -> Vec<GroupId> {
    let mut out = Vec::new();
    let mut cur = site.group(id).parent;
    while let Some(p) = cur {
        if p == id || out.contains(&p) {
            break;
        }
        out.push(p);
        cur = site.group(p).parent;
    }
    out
}

pub fn weapon<'a>(cx: &'a Ctx<'a>, id: WeaponId, body: &'a str) -> WeaponView<'a> {
    let site = cx.site;
    let w = site.weapon(id);
    let i = id.0 as usize;
    let ids = site.graph.weapon_incidents[i].iter().copied();
    let images = gallery::collect(site, ids, |m| gallery::shows(m, id), usize::MAX);
    WeaponView {
        media: cx.media_views(&images, gallery::SIZES_GRID, true),
        id: &w.id,
        name: &w.name,
        category: cx.category_link(&w.category),
        manufacturer: w.manufacturer.as_deref(),
        origin: w.origin.as_deref().map(|o| cx.origin_link(o)),
        calibre: w.calibre.as_deref(),
        family: w.family.as_deref(),
        aliases: &w.aliases,
        parent: w.parent.map(|p| cx.weapon_link(p)),
        variants: site.graph.weapon_variants[i]
            .iter()
            .map(|v| cx.weapon_link(*v))
            .collect(),
        ammunition: w.ammunition.iter().map(|a| cx.weapon_link(*a)).collect(),
        fired_by: site.graph.weapon_fired_by[i]
            .iter()
            .map(|a| cx.weapon_link(*a))
            .collect(),
        body,
        incident_count: site.graph.weapon_incidents[i].len(),
        incidents: cx.rows_latest(&site.graph.weapon_incidents[i]),
        all_incidents: cx.link(
            &ListOf::Weapon(i).url(site, 1),
            ListOf::Weapon(i).title(site, 1),
        ),
        groups: site.graph.weapon_groups[i]
            .iter()
            .take(TABLE_ROWS)
            .map(|p| pairing(p, cx.group_link(p.other)))
            .collect(),
        group_count: site.graph.weapon_groups[i].len(),
        charts: weapon_charts(cx, id),
        map: maps::incident_map(cx, "map", ListOf::Weapon(i)),
        statuses: site.graph.weapon_statuses[i]
            .iter()
            .map(|(s, n, q)| WeaponStatusView {
                status: s.as_str(),
                incidents: *n,
                quantity: *q,
            })
            .collect(),
    }
}

fn weapon_charts(cx: &Ctx, id: WeaponId) -> Vec<ChartView> {
    let site = cx.site;
    if !site.config.views.charts {
        return Vec::new();
    }
    let name = &site.weapon(id).name;
    let i = id.0 as usize;
    [
        figures::monthly(
            cx,
            "chart-months",
            &format!(" with {name}"),
            ListOf::Weapon(i).ids(site),
        ),
        figures::statuses("chart-statuses", name, &site.graph.weapon_statuses[i]),
        figures::roles(cx, "chart-roles", name, id),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub fn home<'a>(cx: &'a Ctx<'a>) -> HomeView<'a> {
    let site = cx.site;
    let latest: Vec<&Shared> = (0..cx.rows.len() as u32)
        .rev()
        .take(10)
        .map(|i| cx.row(IncidentId(i)))
        .collect();
    HomeView {
        latest,
        incident_count: site.incidents.len(),
        group_count: site.groups.len(),
        weapon_count: site.weapons.len(),
        top_groups: top(site.graph.group_incidents.iter().map(Vec::len), |i| {
            cx.group_link(GroupId(i as u32))
        }),
        top_weapons: top(site.graph.weapon_incidents.iter().map(Vec::len), |i| {
            cx.weapon_link(WeaponId(i as u32))
        }),
        charts: if site.config.views.charts {
            figures::monthly(cx, "chart-months", "", ListOf::All.ids(site))
                .into_iter()
                .collect()
        } else {
            Vec::new()
        },
        map: maps::incident_map(cx, "map", ListOf::All),
    }
}

/// The ten entities with most incidents; ties by id order.
fn top(counts: impl Iterator<Item = usize>, link: impl Fn(usize) -> Link) -> Vec<Counted> {
    let mut v: Vec<(usize, usize)> = counts.enumerate().filter(|(_, n)| *n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter()
        .take(10)
        .map(|(i, n)| Counted {
            link: link(i),
            count: n,
        })
        .collect()
}

pub fn group_rows<'a>(cx: &'a Ctx<'a>) -> Vec<GroupRow<'a>> {
    let site = cx.site;
    (0..site.groups.len())
        .map(|i| {
            let g = &site.groups[i];
            GroupRow {
                link: cx.group_link(GroupId(i as u32)),
                name: &g.name,
                actor_type: g.actor_type.map(|a| a.label()),
                parent: g.parent.map(|p| cx.group_link(p)),
                incidents: site.graph.group_incidents[i].len(),
                weapons: site.graph.group_weapons[i].len(),
            }
        })
        .collect()
}

pub fn weapon_row<'a>(cx: &'a Ctx<'a>, id: WeaponId) -> WeaponRow<'a> {
    let w = cx.site.weapon(id);
    WeaponRow {
        link: cx.weapon_link(id),
        origin: w.origin.as_deref(),
        calibre: w.calibre.as_deref(),
        incidents: cx.site.graph.weapon_incidents[id.0 as usize].len(),
    }
}

/// The weapons index's chart: incidents by country of manufacture.
pub fn weapons_charts(cx: &Ctx) -> Vec<ChartView> {
    match cx.site.config.views.charts {
        true => figures::origins(cx, "chart-origins", "", &stats::all_origins(cx.site))
            .into_iter()
            .collect(),
        false => Vec::new(),
    }
}

/// `/map/`: every incident with coordinates.
pub fn map_page(cx: &Ctx) -> MapPageView {
    MapPageView {
        map: maps::incident_map(cx, "map", ListOf::All),
        total: cx.site.incidents.len(),
    }
}

pub fn categories<'a>(cx: &'a Ctx<'a>) -> Vec<CategorySection<'a>> {
    cx.site
        .graph
        .categories
        .iter()
        .map(|(c, ws)| CategorySection {
            category: cx.category_link(c),
            weapons: ws.iter().map(|w| weapon_row(cx, *w)).collect(),
        })
        .collect()
}

/// A country's or tag's page: `of` is `ListOf::Country` or `ListOf::Tag`.
pub fn incident_term<'a>(cx: &'a Ctx<'a>, of: ListOf, t: &Term<IncidentId>) -> TermView<'a> {
    let site = cx.site;
    let (taxonomy, scope) = match of {
        ListOf::Country(_) => ("country", format!(" in {}", t.label)),
        _ => ("tag", format!(" tagged {}", t.label)),
    };
    let charts = match site.config.views.charts {
        true => figures::monthly(cx, "chart-months", &scope, t.members.iter().copied())
            .into_iter()
            .collect(),
        false => Vec::new(),
    };
    TermView {
        taxonomy,
        name: t.label.clone(),
        incidents: cx.rows_latest(&t.members),
        incident_count: t.members.len(),
        all_incidents: Some(cx.link(&of.url(site, 1), of.title(site, 1))),
        weapons: Vec::new(),
        charts,
        map: match of {
            ListOf::Country(_) => maps::incident_map(cx, "map", of),
            _ => None,
        },
    }
}

pub fn weapon_term<'a>(
    cx: &'a Ctx<'a>,
    taxonomy: &'static str,
    name: String,
    members: &[WeaponId],
) -> TermView<'a> {
    TermView {
        taxonomy,
        name,
        incidents: Vec::new(),
        incident_count: 0,
        all_incidents: None,
        weapons: members.iter().map(|w| weapon_row(cx, *w)).collect(),
        charts: Vec::new(),
        map: None,
    }
}
