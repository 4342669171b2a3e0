//! Paginated incident lists: the site's (`/incidents/`, `/incidents/page/N/`) and
//! one per group, weapon type, country and tag (`/groups/<id>/incidents/`,
//! `.../incidents/page/N/`), so that an entity's own page can stay a short summary
//! however many incidents it has. Also the pager every list shares: first, last and
//! nearby pages only, so it stays short at any size.

use super::pages::Ctx;
use super::views::*;
use crate::model::Site;
use crate::model::entity::IncidentId;
use crate::model::urls;

/// Whose incidents a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListOf {
    All,
    Group(usize),
    Weapon(usize),
    Country(usize),
    Tag(usize),
}

impl ListOf {
    /// The incidents, chronological (the list shows them newest first).
    pub fn ids<'a>(self, site: &'a Site) -> Box<dyn DoubleEndedIterator<Item = IncidentId> + 'a> {
        let g = &site.graph;
        match self {
            ListOf::All => Box::new((0..site.incidents.len() as u32).map(IncidentId)),
            ListOf::Group(i) => Box::new(g.group_incidents[i].iter().map(|(id, _)| *id)),
            ListOf::Weapon(i) => Box::new(g.weapon_incidents[i].iter().copied()),
            ListOf::Country(i) => Box::new(g.countries[i].members.iter().copied()),
            ListOf::Tag(i) => Box::new(g.tags[i].members.iter().copied()),
        }
    }

    pub fn len(self, site: &Site) -> usize {
        let g = &site.graph;
        match self {
            ListOf::All => site.incidents.len(),
            ListOf::Group(i) => g.group_incidents[i].len(),
            ListOf::Weapon(i) => g.weapon_incidents[i].len(),
            ListOf::Country(i) => g.countries[i].members.len(),
            ListOf::Tag(i) => g.tags[i].members.len(),
        }
    }

    /// How many pages the list has (at least one, even when empty).
    pub fn pages(self, site: &Site) -> usize {
        self.len(site)
            .div_ceil(site.config.incidents_per_page)
            .max(1)
    }

    /// The URL path of the owner's own page (`groups/jnim/`), or the site's list.
    pub fn owner_url(self, site: &Site) -> String {
        let g = &site.graph;
        match self {
            ListOf::All => String::new(),
            ListOf::Group(i) => urls::group(&site.groups[i].id),
            ListOf::Weapon(i) => urls::weapon(&site.weapons[i].id),
            ListOf::Country(i) => urls::country(&g.countries[i].slug),
            ListOf::Tag(i) => urls::tag(&g.tags[i].slug),
        }
    }

    /// The URL path of page `n` (1-based).
    pub fn url(self, site: &Site, n: usize) -> String {
        match self {
            ListOf::All => urls::incidents_page(n),
            _ => urls::entity_incidents(&self.owner_url(site), n),
        }
    }

    /// The owner's name, for headings.
    fn name(self, site: &Site) -> &str {
        let g = &site.graph;
        match self {
            ListOf::All => "",
            ListOf::Group(i) => site.groups[i].display_name(),
            ListOf::Weapon(i) => &site.weapons[i].name,
            ListOf::Country(i) => &g.countries[i].label,
            ListOf::Tag(i) => &g.tags[i].label,
        }
    }

    /// The page title of page `n`.
    pub fn title(self, site: &Site, n: usize) -> String {
        let base = match self {
            ListOf::All => "Incidents".to_string(),
            ListOf::Group(_) => format!("Incidents involving {}", self.name(site)),
            ListOf::Weapon(_) => format!("Incidents with {}", self.name(site)),
            ListOf::Country(_) => format!("Incidents in {}", self.name(site)),
            ListOf::Tag(_) => format!("Incidents tagged {}", self.name(site)),
        };
        if n <= 1 {
            base
        } else {
            format!("{base}, page {n}")
        }
    }
}

/// A link to the page of a list's owner (the group, weapon type, country or tag).
pub fn incident_list_owner(cx: &Ctx, of: ListOf) -> Link {
    cx.link(&of.owner_url(cx.site), of.name(cx.site))
}

/// Page `n` (1-based) of a list, newest first.
pub fn incident_list<'a>(cx: &'a Ctx<'a>, of: ListOf, n: usize) -> IncidentListView<'a> {
    let site = cx.site;
    let per_page = site.config.incidents_per_page;
    let rows = of
        .ids(site)
        .rev()
        .skip((n - 1) * per_page)
        .take(per_page)
        .map(|id| cx.row(id))
        .collect();
    IncidentListView {
        rows,
        total: of.len(site),
        pager: pager(cx, n, of.pages(site), |k| of.url(site, k)),
        of: match of {
            ListOf::All => None,
            _ => Some(cx.link(&of.owner_url(site), of.name(site))),
        },
        heading: of.title(site, 1),
        filters: of == ListOf::All && site.config.views.filters,
    }
}

/// Pages kept on each side of the current one.
const NEAR: usize = 2;

/// A pager for page `current` of `total`: first, last, and `NEAR` pages each side
/// of the current one, with a gap entry wherever pages are skipped.
pub fn pager(cx: &Ctx, current: usize, total: usize, url: impl Fn(usize) -> String) -> Pager {
    let link = |k: usize| format!("{}{}", cx.root(), url(k));
    let mut shown: Vec<usize> = vec![1, total];
    shown.extend(current.saturating_sub(NEAR).max(1)..=(current + NEAR).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut pages = Vec::new();
    let mut last = 0;
    for k in shown {
        if k > last + 1 {
            pages.push(PagerLink {
                url: String::new(),
                label: "…".into(),
                current: false,
            });
        }
        pages.push(PagerLink {
            url: link(k),
            label: k.to_string(),
            current: k == current,
        });
        last = k;
    }
    Pager {
        current,
        total,
        prev: (current > 1).then(|| link(current - 1)),
        next: (current < total).then(|| link(current + 1)),
        pages,
    }
}
