//! Which pages an edit to one incident changes, worked out from the model before and
//! after (`model::edit::IncidentEdit`), for the preview to render those pages only.
//!
//! Only the edited incident changed, so only its list row differs; every other row,
//! group, weapon type, page and the config are the same. A page therefore changes when
//! it shows the edited incident (before or after the edit), or when a graph list it
//! shows differs: this module compares those lists (ids renumbered for the move)
//! rather than guessing which entities the edit touched. Pages built from site-wide
//! counts (home, group and weapon indexes, taxonomy indexes, the map, the matrix and
//! the timeline) are always redone; they are few. A redone entity page takes its own
//! paginated incident list with it. `None` when a taxonomy term appeared, went or
//! changed its label: then the full pipeline runs (as it does when the list of pages
//! itself changed, which the caller checks).

use crate::model::edit::IncidentEdit;
use crate::model::entity::{Incident, IncidentId};
use crate::model::graph::{Graph, Term};
use crate::render::jobs::Job;
use crate::render::lists::ListOf;
use crate::render::pages::Ctx;
use chrono::Datelike;

/// The page jobs to render again after a one-incident edit, or `None` when the set of
/// pages itself changed (a full rebuild is needed). (Over 80 lines: one section per
/// kind of page that can show the incident, each a comparison of old and new graph
/// lists; they read best side by side.)
pub fn jobs_after_edit(cx: &Ctx, edit: &IncidentEdit) -> Option<Vec<Job>> {
    let site = cx.site;
    let old = &edit.old_graph;
    let new = &site.graph;
    let moved = edit.moved;
    if !same_terms(&old.countries, &new.countries)
        || !same_terms(&old.tags, &new.tags)
        || !same_terms(&old.origins, &new.origins)
        || old.categories.len() != new.categories.len()
        || old
            .categories
            .iter()
            .zip(&new.categories)
            .any(|(a, b)| a.0 != b.0)
    {
        return None;
    }
    let x_old = IncidentId(moved.from as u32);
    let x_new = IncidentId(moved.to as u32);
    let n = site.incidents.len();
    let mut jobs = Vec::new();

    // Incident pages: the edited one, those whose related list changed or shows it,
    // and its neighbours before and after (their previous/next links).
    let mut incidents: Vec<usize> = edit.related_changed.iter().map(|i| i.0 as usize).collect();
    let old_neighbours = [moved.from.checked_sub(1), Some(moved.from + 1)]
        .into_iter()
        .flatten()
        .filter(|k| *k < n)
        .map(|k| moved.map(IncidentId(k as u32)).0 as usize);
    let new_neighbours = [moved.to.checked_sub(1), Some(moved.to + 1)]
        .into_iter()
        .flatten()
        .filter(|k| *k < n);
    incidents.extend(old_neighbours.chain(new_neighbours));
    incidents.push(moved.to);
    incidents.sort_unstable();
    incidents.dedup();
    jobs.extend(incidents.into_iter().map(Job::Incident));

    // Groups the incident names, before or after: their custody flows and charts.
    let named = |inc: &Incident| -> Vec<usize> {
        let involved = inc.groups.iter().map(|x| x.group);
        let holders = inc
            .weapons
            .iter()
            .flat_map(|o| o.from.into_iter().chain(o.to));
        involved.chain(holders).map(|g| g.0 as usize).collect()
    };
    let mut named_groups = named(&edit.old);
    named_groups.extend(named(&site.incidents[moved.to]));

    // Group pages: incident list, weapons, opponents, custody, charts and map.
    for g in 0..site.groups.len() {
        let shows = |graph: &Graph, x: IncidentId| {
            graph.group_incidents[g]
                .binary_search_by_key(&x, |(id, _)| *id)
                .is_ok()
        };
        if shows(old, x_old)
            || shows(new, x_new)
            || old.group_incidents[g].len() != new.group_incidents[g].len()
            || old.group_weapons[g] != new.group_weapons[g]
            || old.group_opponents[g] != new.group_opponents[g]
            || named_groups.contains(&g)
        {
            jobs.push(Job::Group(g));
        }
    }

    // Weapon pages: incident list, groups and statuses; remember whose count changed
    // for the category and origin pages, which show counts.
    let mut count_changed = vec![false; site.weapons.len()];
    for (w, changed) in count_changed.iter_mut().enumerate() {
        let (was, is) = (&old.weapon_incidents[w], &new.weapon_incidents[w]);
        *changed = was.len() != is.len();
        if *changed
            || was.binary_search(&x_old).is_ok()
            || is.binary_search(&x_new).is_ok()
            || old.weapon_groups[w] != new.weapon_groups[w]
            || old.weapon_statuses[w] != new.weapon_statuses[w]
        {
            jobs.push(Job::Weapon(w));
        }
    }

    // Incident list pages holding any incident whose place in the list changed.
    let per_page = site.config.incidents_per_page;
    let (lo, hi) = (moved.from.min(moved.to), moved.from.max(moved.to));
    let page_of = |id: usize| (n - 1 - id) / per_page + 1;
    let (first, last) = (page_of(hi), page_of(lo));
    jobs.extend((first..=last).map(|k| Job::List(ListOf::All, k)));

    let incident_term = |t: usize, old_terms: &[Term<IncidentId>], new_terms: &[Term<_>]| {
        old_terms[t].members.binary_search(&x_old).is_ok()
            || new_terms[t].members.binary_search(&x_new).is_ok()
            || old_terms[t].members.len() != new_terms[t].members.len()
    };
    jobs.extend(
        (0..new.countries.len())
            .filter(|t| incident_term(*t, &old.countries, &new.countries))
            .map(Job::Country),
    );
    jobs.extend(
        (0..new.tags.len())
            .filter(|t| incident_term(*t, &old.tags, &new.tags))
            .map(Job::Tag),
    );
    let counts_changed =
        |ws: &[crate::model::entity::WeaponId]| ws.iter().any(|w| count_changed[w.0 as usize]);
    jobs.extend(
        (0..new.categories.len())
            .filter(|c| counts_changed(&new.categories[*c].1))
            .map(Job::Category),
    );
    jobs.extend(
        (0..new.origins.len())
            .filter(|t| {
                old.origins[*t].members != new.origins[*t].members
                    || counts_changed(&new.origins[*t].members)
            })
            .map(Job::Origin),
    );
    jobs.extend(["country", "tag", "category", "origin"].map(Job::Terms));
    jobs.extend([Job::Home, Job::Groups, Job::Weapons]);

    // Each group's, weapon's, country's and tag's own incident list, whole, when its
    // page is redone (the list shifts by one incident from the edit's place on).
    let owners: Vec<ListOf> = jobs
        .iter()
        .filter_map(|j| match j {
            Job::Group(i) => Some(ListOf::Group(*i)),
            Job::Weapon(i) => Some(ListOf::Weapon(*i)),
            Job::Country(i) => Some(ListOf::Country(*i)),
            Job::Tag(i) => Some(ListOf::Tag(*i)),
            _ => None,
        })
        .collect();
    for of in owners {
        jobs.extend(crate::render::jobs::list_jobs(site, of));
    }
    // The site-wide views count every incident: map, matrix, timeline overview; and
    // the timeline pages of the year the incident left and the one it is in.
    let years = [
        edit.old.date.date.start.year(),
        site.incidents[moved.to].date.date.start.year(),
    ];
    jobs.extend(
        crate::render::jobs::view_jobs(cx)
            .into_iter()
            .filter(|j| !matches!(j, Job::TimelineYear(y) if !years.contains(y))),
    );
    jobs.sort_unstable();
    jobs.dedup();
    Some(jobs)
}

/// The same terms, by slug and label, in the same order.
fn same_terms<T>(a: &[Term<T>], b: &[Term<T>]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.slug == y.slug && x.label == y.label)
}
