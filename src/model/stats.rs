//! Counts behind the views (charts, the arms matrix, custody flows, the timeline),
//! computed from the frozen model and its graph. Every count here is a number of
//! incidents unless its doc says otherwise, so a chart, its table and the exports
//! agree. Functions take the ids to count over and run in time linear in what they
//! read; none walks the whole site per entity.

use super::Site;
use super::dates::Form;
use super::entity::*;
use super::graph::{Term, holders};
use super::urls::slugify;
use chrono::Datelike;
use std::collections::BTreeMap;

/// The month an incident is counted in: the month of its earliest plausible date,
/// or only its year when the date is known to the year alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    Month(i32, u32),
    YearOnly(i32),
}

pub fn bucket(inc: &Incident) -> Bucket {
    let d = inc.date.date;
    if d.form == Form::Year || inc.date.precision == Precision::Year {
        Bucket::YearOnly(d.start.year())
    } else {
        Bucket::Month(d.start.year(), d.start.month())
    }
}

/// Incidents per month over a contiguous span (months without incidents are zero),
/// and the incidents dated to a year only, which no month can honestly hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Monthly {
    /// `(year, month, incidents)`, every month from the first to the last with any.
    pub months: Vec<(i32, u32, u32)>,
    /// `(year, incidents)` dated to the year only.
    pub year_only: Vec<(i32, u32)>,
}

impl Monthly {
    pub fn total(&self) -> u32 {
        self.months.iter().map(|m| m.2).sum::<u32>()
            + self.year_only.iter().map(|y| y.1).sum::<u32>()
    }
}

/// Spans longer than this many months are not filled month by month: a chart of
/// centuries would be all gaps. The months with incidents are still all listed.
pub const MAX_FILLED_MONTHS: usize = 1200;

pub fn monthly(site: &Site, ids: impl IntoIterator<Item = IncidentId>) -> Monthly {
    let mut months: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    for id in ids {
        match bucket(site.incident(id)) {
            Bucket::Month(y, m) => *months.entry((y, m)).or_default() += 1,
            Bucket::YearOnly(y) => *years.entry(y).or_default() += 1,
        }
    }
    let year_only = years.into_iter().collect();
    let (Some(first), Some(last)) = (months.keys().next(), months.keys().next_back()) else {
        return Monthly {
            months: Vec::new(),
            year_only,
        };
    };
    let span = (last.0 - first.0) as i64 * 12 + last.1 as i64 - first.1 as i64 + 1;
    let months = if span as usize > MAX_FILLED_MONTHS {
        months.into_iter().map(|((y, m), n)| (y, m, n)).collect()
    } else {
        let (mut y, mut m) = *first;
        let mut out = Vec::with_capacity(span as usize);
        for _ in 0..span {
            out.push((y, m, months.get(&(y, m)).copied().unwrap_or(0)));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    };
    Monthly { months, year_only }
}

/// Incidents per year, oldest first (year-only dates included).
pub fn yearly(site: &Site, ids: impl IntoIterator<Item = IncidentId>) -> Vec<(i32, u32)> {
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    for id in ids {
        *years
            .entry(site.incident(id).date.date.start.year())
            .or_default() += 1;
    }
    years.into_iter().collect()
}

/// The country of manufacture of one observed item: its own `origin`, else its type's.
pub fn item_origin<'a>(site: &'a Site, o: &'a Observation) -> Option<&'a str> {
    o.origin
        .as_deref()
        .or(site.weapon(o.weapon).origin.as_deref())
}

/// An origin's term (slug and label) in the site's origin taxonomy.
pub fn origin_term<'a>(site: &'a Site, name: &str) -> Option<(usize, &'a Term<WeaponId>)> {
    let slug = slugify(name);
    let terms = &site.graph.origins;
    let k = terms
        .binary_search_by(|t| t.slug.as_str().cmp(&slug))
        .ok()?;
    Some((k, &terms[k]))
}

/// A count by key, largest first, ties by key.
fn ranked<K: Ord>(m: BTreeMap<K, u32>) -> Vec<(K, u32)> {
    let mut v: Vec<(K, u32)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Incidents per country of manufacture (index into `graph.origins`, `None` for
/// items of unknown origin), over the observations `keep` accepts. An incident counts
/// once per origin however many items of that origin it documents.
fn origins_where(
    site: &Site,
    ids: impl IntoIterator<Item = IncidentId>,
    keep: impl Fn(&Incident, &Observation) -> bool,
) -> Vec<(Option<usize>, u32)> {
    let mut counts: BTreeMap<Option<usize>, u32> = BTreeMap::new();
    let mut seen: Vec<Option<usize>> = Vec::new();
    for id in ids {
        let inc = site.incident(id);
        seen.clear();
        for o in inc.weapons.iter().filter(|o| keep(inc, o)) {
            let term = item_origin(site, o)
                .and_then(|n| origin_term(site, n))
                .map(|t| t.0);
            if !seen.contains(&term) {
                seen.push(term);
            }
        }
        for t in &seen {
            *counts.entry(*t).or_default() += 1;
        }
    }
    ranked(counts)
}

/// Incidents per country of manufacture of the weapons documented with a group (as
/// holder: see `graph::holders`).
pub fn group_origins(site: &Site, g: GroupId) -> Vec<(Option<usize>, u32)> {
    let ids = site.graph.group_incidents[g.0 as usize]
        .iter()
        .map(|(id, _)| *id);
    origins_where(site, ids, |inc, o| holders(inc, o).contains(&g))
}

/// Incidents per country of manufacture of every weapon documented.
pub fn all_origins(site: &Site) -> Vec<(Option<usize>, u32)> {
    let ids = (0..site.incidents.len() as u32).map(IncidentId);
    origins_where(site, ids, |_, _| true)
}

/// Per role, the groups present in incidents that document a weapon type, and the
/// incidents they were there in that role: `(role, groups, incidents)`.
pub fn weapon_roles(site: &Site, w: WeaponId) -> Vec<(Role, Vec<GroupId>, u32)> {
    let mut per: BTreeMap<Role, (Vec<GroupId>, u32)> = BTreeMap::new();
    for id in &site.graph.weapon_incidents[w.0 as usize] {
        let mut roles: Vec<Role> = Vec::new();
        for inv in &site.incident(*id).groups {
            let e = per.entry(inv.role).or_default();
            e.0.push(inv.group);
            if !roles.contains(&inv.role) {
                roles.push(inv.role);
                e.1 += 1;
            }
        }
    }
    per.into_iter()
        .map(|(role, (mut groups, n))| {
            groups.sort_unstable();
            groups.dedup();
            (role, groups, n)
        })
        .collect()
}

/// A groups-by-columns count of incidents: row `r`, column `c` holds the incidents in
/// which group `rows[r]` is documented with a weapon in column `c`. An incident with
/// weapons in two columns counts in both, so a row's `total` (its incidents with any
/// weapon) can be less than the sum of its cells; the same holds for columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Groups with at least one incident in any column, most incidents first.
    pub rows: Vec<MatrixRow>,
    /// Distinct incidents per column, over all groups.
    pub column_totals: Vec<u32>,
    /// Distinct incidents with any weapon documented with any group.
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub group: GroupId,
    pub cells: Vec<u32>,
    pub total: u32,
}

/// Groups by weapon category (columns: `graph.categories`).
pub fn category_matrix(site: &Site) -> Matrix {
    let cats = &site.graph.categories;
    matrix(site, cats.len(), |o| {
        cats.binary_search_by(|(c, _)| c.cmp(&site.weapon(o.weapon).category))
            .ok()
    })
}

/// Groups by country of manufacture (columns: `graph.origins`; items of unknown
/// origin are left out).
pub fn origin_matrix(site: &Site) -> Matrix {
    matrix(site, site.graph.origins.len(), |o| {
        item_origin(site, o)
            .and_then(|n| origin_term(site, n))
            .map(|t| t.0)
    })
}

fn matrix(site: &Site, ncols: usize, column: impl Fn(&Observation) -> Option<usize>) -> Matrix {
    let ng = site.groups.len();
    let mut cells = vec![vec![0u32; ncols]; ng];
    let mut row_totals = vec![0u32; ng];
    let mut column_totals = vec![0u32; ncols];
    let mut total = 0;
    let (mut pairs, mut cols, mut groups) = (Vec::new(), Vec::new(), Vec::new());
    for inc in &site.incidents {
        pairs.clear();
        for o in &inc.weapons {
            if let Some(c) = column(o) {
                pairs.extend(holders(inc, o).into_iter().map(|g| (g, c)));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        cols.clear();
        groups.clear();
        for &(g, c) in &pairs {
            cells[g.0 as usize][c] += 1;
            cols.push(c);
            groups.push(g);
        }
        cols.sort_unstable();
        cols.dedup();
        groups.dedup(); // sorted by the pairs' order
        for c in &cols {
            column_totals[*c] += 1;
        }
        for g in &groups {
            row_totals[g.0 as usize] += 1;
        }
        total += u32::from(!pairs.is_empty());
    }
    let mut rows: Vec<MatrixRow> = cells
        .into_iter()
        .zip(row_totals)
        .enumerate()
        .filter(|(_, (_, t))| *t > 0)
        .map(|(g, (cells, total))| MatrixRow {
            group: GroupId(g as u32),
            cells,
            total,
        })
        .collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then(a.group.cmp(&b.group)));
    Matrix {
        rows,
        column_totals,
        total,
    }
}

/// Weapons that changed hands: from one group to another, as the `from`/`to` of
/// weapon observations say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: GroupId,
    pub to: GroupId,
    /// Incidents documenting a transfer between the two, in this direction.
    pub incidents: u32,
    /// Summed quantities, where given.
    pub quantity: u64,
    /// Weapon types transferred, with the incidents for each, most first.
    pub weapons: Vec<(WeaponId, u32)>,
}

/// Every custody flow of the site, most incidents first, then by group ids.
pub fn flows(site: &Site) -> Vec<Flow> {
    flows_in(site, (0..site.incidents.len() as u32).map(IncidentId))
}

/// The flows documented in the given incidents (a group's own, for its page).
pub fn flows_in(site: &Site, ids: impl IntoIterator<Item = IncidentId>) -> Vec<Flow> {
    type Acc = (u32, u64, BTreeMap<WeaponId, u32>);
    let mut per: BTreeMap<(GroupId, GroupId), Acc> = BTreeMap::new();
    let mut seen: Vec<(GroupId, GroupId, Option<WeaponId>)> = Vec::new();
    for id in ids {
        seen.clear();
        for o in &site.incident(id).weapons {
            let (Some(from), Some(to)) = (o.from, o.to) else {
                continue;
            };
            if from == to {
                continue;
            }
            let e = per.entry((from, to)).or_default();
            e.1 += o.quantity.unwrap_or(0);
            if !seen.contains(&(from, to, None)) {
                seen.push((from, to, None));
                e.0 += 1;
            }
            if !seen.contains(&(from, to, Some(o.weapon))) {
                seen.push((from, to, Some(o.weapon)));
                *e.2.entry(o.weapon).or_default() += 1;
            }
        }
    }
    let mut out: Vec<Flow> = per
        .into_iter()
        .map(|((from, to), (incidents, quantity, ws))| Flow {
            from,
            to,
            incidents,
            quantity,
            weapons: ranked(ws),
        })
        .collect();
    out.sort_by(|a, b| {
        b.incidents
            .cmp(&a.incidents)
            .then(a.from.cmp(&b.from))
            .then(a.to.cmp(&b.to))
    });
    out
}

/// One group's flows out of the site's (`flows`), split: what it took (it is `to`)
/// and what was taken from it. Linear in the site's flows, so callers rendering many
/// groups should index the flows by group first (`flows_by_group`).
pub fn flows_by_group(flows: &[Flow], groups: usize) -> Vec<Vec<usize>> {
    let mut per = vec![Vec::new(); groups];
    for (k, f) in flows.iter().enumerate() {
        per[f.from.0 as usize].push(k);
        per[f.to.0 as usize].push(k);
    }
    per
}
