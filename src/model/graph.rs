//! The link graph, built once from the resolved entities: every reverse list (group ->
//! incidents, weapon -> incidents, group <-> weapon, affiliates, variants, opponents,
//! taxonomies, related incidents) in one pass over the incidents plus sorts. Lists are
//! chronological (ascending incident id); views reverse them for "newest first".

use super::entity::*;
use super::urls::slugify;
use std::collections::BTreeMap;

/// How often a weapon type was seen with a group, and in what states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing<T> {
    pub other: T,
    pub incidents: u32,
    pub statuses: Vec<(Status, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opponent {
    pub group: GroupId,
    /// Incidents where this group attacked `group`.
    pub attacked: u32,
    /// Incidents where `group` attacked this group.
    pub attacked_by: u32,
}

/// A taxonomy term (country, tag, origin) and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term<T> {
    pub slug: String,
    pub label: String,
    pub members: Vec<T>,
}

#[derive(Debug, Default, PartialEq)]
pub struct Graph {
    pub group_incidents: Vec<Vec<(IncidentId, Vec<Role>)>>,
    pub weapon_incidents: Vec<Vec<IncidentId>>,
    pub group_weapons: Vec<Vec<Pairing<WeaponId>>>,
    pub weapon_groups: Vec<Vec<Pairing<GroupId>>>,
    pub group_children: Vec<Vec<GroupId>>,
    pub group_opponents: Vec<Vec<Opponent>>,
    pub weapon_variants: Vec<Vec<WeaponId>>,
    pub weapon_fired_by: Vec<Vec<WeaponId>>,
    /// Per weapon: status, incidents with it, summed quantity.
    pub weapon_statuses: Vec<Vec<(Status, u32, u64)>>,
    pub related: Vec<Vec<IncidentId>>,
    pub countries: Vec<Term<IncidentId>>,
    pub tags: Vec<Term<IncidentId>>,
    pub categories: Vec<(Category, Vec<WeaponId>)>,
    pub origins: Vec<Term<WeaponId>>,
}

/// How many neighbours on each side of an incident, in each shared entity's timeline,
/// are considered for "related": keeps the pass linear however big a group is.
const RELATED_WINDOW: usize = 12;
const RELATED_MAX: usize = 5;

pub fn build(incidents: &[Incident], groups: &[Group], weapons: &[Weapon]) -> Graph {
    let mut g = build_base(incidents, groups, weapons);
    let all: Vec<IncidentId> = (0..incidents.len() as u32).map(IncidentId).collect();
    let computed = related_of(incidents, &g, &all);
    g.related = computed.into_iter().map(|(_, r)| r).collect();
    g
}

/// Every list but `related` (the one part worth patching after a one-incident edit:
/// see `patch_related`).
pub fn build_base(incidents: &[Incident], groups: &[Group], weapons: &[Weapon]) -> Graph {
    let (ng, nw) = (groups.len(), weapons.len());
    let mut g = Graph {
        group_incidents: vec![Vec::new(); ng],
        weapon_incidents: vec![Vec::new(); nw],
        group_children: vec![Vec::new(); ng],
        weapon_variants: vec![Vec::new(); nw],
        weapon_fired_by: vec![Vec::new(); nw],
        ..Graph::default()
    };
    // Tallied by sorting flat lists once, rather than through maps per incident.
    let mut triples: Vec<(GroupId, WeaponId, Status)> = Vec::new();
    let mut pairs_once: Vec<(GroupId, WeaponId)> = Vec::new();
    let mut opp_pairs: Vec<(GroupId, GroupId)> = Vec::new();
    let mut wstat: Vec<BTreeMap<Status, (u32, u64)>> = vec![BTreeMap::new(); nw];
    let (mut seen_w, mut pairs, mut counted) = (Vec::new(), Vec::new(), Vec::new());
    for (i, inc) in incidents.iter().enumerate() {
        let id = IncidentId(i as u32);
        link_groups(&mut g, id, inc);
        seen_w.clear();
        seen_w.extend(inc.weapons.iter().map(|o| o.weapon));
        seen_w.sort_unstable();
        seen_w.dedup();
        for w in &seen_w {
            g.weapon_incidents[w.0 as usize].push(id);
        }
        pairs.clear();
        counted.clear();
        for o in &inc.weapons {
            for s in &o.statuses {
                let e = wstat[o.weapon.0 as usize].entry(*s).or_default();
                if !counted.contains(&(o.weapon, *s)) {
                    counted.push((o.weapon, *s));
                    e.0 += 1; // incidents, not observations
                }
                e.1 += o.quantity.unwrap_or(0);
            }
            for holder in holders(inc, o) {
                pairs.extend(o.statuses.iter().map(|s| (holder, o.weapon, *s)));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        triples.extend_from_slice(&pairs);
        let mut last = None;
        for &(gid, wid, _) in &pairs {
            if last != Some((gid, wid)) {
                pairs_once.push((gid, wid));
                last = Some((gid, wid));
            }
        }
        for a in inc.groups.iter().filter(|x| x.role == Role::Attacker) {
            for t in inc
                .groups
                .iter()
                .filter(|x| x.role == Role::Target && x.group != a.group)
            {
                opp_pairs.push((a.group, t.group));
            }
        }
    }
    triples.sort_unstable();
    pairs_once.sort_unstable();
    opp_pairs.sort_unstable();
    pairings(&mut g, ng, nw, &triples, &pairs_once);
    let opp: Vec<((GroupId, GroupId), u32)> = runs(&opp_pairs);
    opponents(&mut g, ng, opp);
    g.weapon_statuses = wstat
        .into_iter()
        .map(|m| m.into_iter().map(|(s, (n, q))| (s, n, q)).collect())
        .collect();
    hierarchy(&mut g, groups, weapons);
    taxonomies(&mut g, incidents, weapons);
    g
}

/// After one incident moved from `moved.from` to `moved.to` (and perhaps changed its
/// groups and weapons), make `new.related` what `build` would give, from `old` (the
/// graph before the edit) and `new` (from `build_base` on the edited incidents).
///
/// An incident's related list is picked from a window of `RELATED_WINDOW` neighbours
/// in each timeline it is on, scored by shared entities, date gap and id. For any other
/// incident Y, the edit changes none of that unless the edited incident X is, before or
/// after, within that window of Y on a timeline they share: removing or inserting X
/// farther away shifts Y's window without changing its members, the other incidents
/// keep their relative order (so ties break the same way), and only scores against X
/// change. So only X and its neighbours (one more on each side, for the shift) are
/// computed again; every other list is the old one renumbered.
///
/// Returns the incidents whose related list changed or holds X (whose row changed),
/// X included: the incident pages to render again.
pub fn patch_related(
    old: &mut Graph,
    new: &mut Graph,
    incidents: &[Incident],
    moved: Moved,
) -> Vec<IncidentId> {
    let x_old = IncidentId(moved.from as u32);
    let x_new = IncidentId(moved.to as u32);
    // X's neighbours, one more than the window on each side, on every timeline
    // holding X before the edit (renumbered) and after it.
    let reach = RELATED_WINDOW + 2;
    let near = |ids: &mut dyn Iterator<Item = IncidentId>, len: usize, pos: usize| {
        let lo = pos.saturating_sub(reach);
        let hi = (pos + reach + 1).min(len);
        ids.skip(lo).take(hi - lo).collect::<Vec<_>>()
    };
    let mut affected: Vec<IncidentId> = vec![x_new];
    for (graph, x, renumber) in [(&*old, x_old, true), (&*new, x_new, false)] {
        let groups = graph.group_incidents.iter().filter_map(|l| {
            let pos = l.binary_search_by_key(&x, |(id, _)| *id).ok()?;
            Some(near(&mut l.iter().map(|(id, _)| *id), l.len(), pos))
        });
        let weapons = graph.weapon_incidents.iter().filter_map(|l| {
            let pos = l.binary_search(&x).ok()?;
            Some(near(&mut l.iter().copied(), l.len(), pos))
        });
        for ids in groups.chain(weapons) {
            affected.extend(
                ids.into_iter()
                    .map(|id| if renumber { moved.map(id) } else { id }),
            );
        }
    }
    affected.sort();
    affected.dedup();
    let mut related = std::mem::take(&mut old.related);
    if moved.from < related.len() {
        related.remove(moved.from);
    }
    related.insert(moved.to.min(related.len()), Vec::new());
    for list in &mut related {
        for id in list.iter_mut() {
            *id = moved.map(*id);
        }
    }
    let mut changed = Vec::new();
    for (id, list) in related_of(incidents, new, &affected) {
        let slot = &mut related[id.0 as usize];
        if id == x_new || *slot != list || list.contains(&x_new) {
            changed.push(id);
        }
        *slot = list;
    }
    new.related = related;
    changed
}

/// One incident's move in the chronological order: from index `from` before an edit
/// to index `to` after it (the other incidents keep their order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub from: usize,
    pub to: usize,
}

impl Moved {
    /// The id after the move of the incident that had id `old` before it.
    pub fn map(&self, old: IncidentId) -> IncidentId {
        let k = old.0 as usize;
        if k == self.from {
            return IncidentId(self.to as u32);
        }
        let k = k - usize::from(k > self.from);
        IncidentId((k + usize::from(k >= self.to)) as u32)
    }
}

fn link_groups(g: &mut Graph, id: IncidentId, inc: &Incident) {
    let mut by_group: BTreeMap<GroupId, Vec<Role>> = BTreeMap::new();
    for inv in &inc.groups {
        let roles = by_group.entry(inv.group).or_default();
        if !roles.contains(&inv.role) {
            roles.push(inv.role);
        }
    }
    for (gid, roles) in by_group {
        g.group_incidents[gid.0 as usize].push((id, roles));
    }
}

/// The groups an observation documents a weapon with: its `from`/`to` holders when
/// given, else the incident's attackers and participants (a target or a victim is not
/// assumed to have held the attacker's weapons).
pub fn holders(inc: &Incident, o: &Observation) -> Vec<GroupId> {
    let explicit: Vec<GroupId> = o.from.into_iter().chain(o.to).collect();
    if !explicit.is_empty() {
        return explicit;
    }
    inc.groups
        .iter()
        .filter(|x| matches!(x.role, Role::Attacker | Role::Participant))
        .map(|x| x.group)
        .collect()
}

/// Each distinct item of a sorted list with how many times it occurs.
fn runs<T: Copy + PartialEq>(sorted: &[T]) -> Vec<(T, u32)> {
    let mut out: Vec<(T, u32)> = Vec::new();
    for x in sorted {
        match out.last_mut() {
            Some((y, n)) if y == x => *n += 1,
            _ => out.push((*x, 1)),
        }
    }
    out
}

/// `triples`: sorted (group, weapon, status), once per incident; `pairs`: sorted
/// (group, weapon), once per incident.
fn pairings(
    g: &mut Graph,
    ng: usize,
    nw: usize,
    triples: &[(GroupId, WeaponId, Status)],
    pairs: &[(GroupId, WeaponId)],
) {
    g.group_weapons = vec![Vec::new(); ng];
    g.weapon_groups = vec![Vec::new(); nw];
    let statuses = runs(triples);
    let mut k = 0;
    for ((gid, wid), n) in runs(pairs) {
        let mut st: Vec<(Status, u32)> = Vec::new();
        while let Some(&((g2, w2, s), c)) = statuses.get(k)
            && (g2, w2) == (gid, wid)
        {
            st.push((s, c));
            k += 1;
        }
        g.group_weapons[gid.0 as usize].push(Pairing {
            other: wid,
            incidents: n,
            statuses: st.clone(),
        });
        g.weapon_groups[wid.0 as usize].push(Pairing {
            other: gid,
            incidents: n,
            statuses: st,
        });
    }
    for list in &mut g.group_weapons {
        list.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.other.cmp(&b.other)));
    }
    for list in &mut g.weapon_groups {
        list.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.other.cmp(&b.other)));
    }
}

fn opponents(g: &mut Graph, ng: usize, opp: Vec<((GroupId, GroupId), u32)>) {
    let mut per: Vec<BTreeMap<GroupId, (u32, u32)>> = vec![BTreeMap::new(); ng];
    for ((a, t), n) in opp {
        per[a.0 as usize].entry(t).or_default().0 += n;
        per[t.0 as usize].entry(a).or_default().1 += n;
    }
    g.group_opponents = per
        .into_iter()
        .map(|m| {
            let mut v: Vec<Opponent> = m
                .into_iter()
                .map(|(group, (attacked, attacked_by))| Opponent {
                    group,
                    attacked,
                    attacked_by,
                })
                .collect();
            v.sort_by(|a, b| {
                (b.attacked + b.attacked_by)
                    .cmp(&(a.attacked + a.attacked_by))
                    .then(a.group.cmp(&b.group))
            });
            v
        })
        .collect();
}

fn hierarchy(g: &mut Graph, groups: &[Group], weapons: &[Weapon]) {
    for (i, grp) in groups.iter().enumerate() {
        if let Some(p) = grp.parent {
            g.group_children[p.0 as usize].push(GroupId(i as u32));
        }
    }
    for (i, w) in weapons.iter().enumerate() {
        let id = WeaponId(i as u32);
        if let Some(p) = w.parent {
            g.weapon_variants[p.0 as usize].push(id);
        }
        for a in &w.ammunition {
            g.weapon_fired_by[a.0 as usize].push(id);
        }
    }
    for list in g.weapon_fired_by.iter_mut() {
        list.sort();
        list.dedup();
    }
}

/// Incidents sharing groups or weapons, best first: most shared entities, then nearest
/// in time, then id. Candidates come from a fixed window in each shared timeline.
/// (Over 80 lines: the candidate window, the scoring and the ordering are one argument
/// about what "related" means, and `patch_related` relies on all three together.)
fn related_of(
    incidents: &[Incident],
    g: &Graph,
    which: &[IncidentId],
) -> Vec<(IncidentId, Vec<IncidentId>)> {
    use rayon::prelude::*;
    use std::borrow::Cow;
    // Every incident's entities, and each group's timeline as plain ids, made once
    // when many incidents are asked for (copying a timeline per incident made this
    // pass quadratic in the size of the biggest group); made on demand, or searched
    // in place, for the few a one-incident update asks for.
    let many = which.len() * 8 >= incidents.len();
    let all_sets: Option<Vec<EntitySet>> =
        many.then(|| incidents.par_iter().map(entity_set).collect());
    let group_lines: Option<Vec<Vec<IncidentId>>> = many.then(|| {
        g.group_incidents
            .iter()
            .map(|l| l.iter().map(|(id, _)| *id).collect())
            .collect()
    });
    let set_of = |i: usize| -> Cow<'_, EntitySet> {
        match &all_sets {
            Some(sets) => Cow::Borrowed(&sets[i]),
            None => Cow::Owned(entity_set(&incidents[i])),
        }
    };
    which
        .par_iter()
        .map(|&me| {
            let i = me.0 as usize;
            let mine = set_of(i);
            let (gs, ws) = &*mine;
            let mut cands: Vec<IncidentId> = Vec::new();
            for x in gs {
                let (pos, len) = match &group_lines {
                    Some(lines) => {
                        let line = &lines[x.0 as usize];
                        (line.binary_search(&me).unwrap_or_else(|p| p), line.len())
                    }
                    None => {
                        let line = &g.group_incidents[x.0 as usize];
                        let found = line.binary_search_by_key(&me, |(id, _)| *id);
                        (found.unwrap_or_else(|p| p), line.len())
                    }
                };
                let lo = pos.saturating_sub(RELATED_WINDOW);
                let hi = (pos + RELATED_WINDOW + 1).min(len);
                let line = &g.group_incidents[x.0 as usize][lo..hi];
                cands.extend(line.iter().map(|(c, _)| *c).filter(|c| *c != me));
            }
            for x in ws {
                let line = &g.weapon_incidents[x.0 as usize];
                let pos = line.binary_search(&me).unwrap_or_else(|p| p);
                let lo = pos.saturating_sub(RELATED_WINDOW);
                let hi = (pos + RELATED_WINDOW + 1).min(line.len());
                cands.extend(line[lo..hi].iter().filter(|c| **c != me));
            }
            cands.sort();
            cands.dedup();
            let mut scored: Vec<(usize, i64, IncidentId)> = cands
                .into_iter()
                .map(|c| {
                    let theirs = set_of(c.0 as usize);
                    let (cg, cw) = &*theirs;
                    let shared = shared(gs, cg) + shared(ws, cw);
                    let gap = (incidents[c.0 as usize].date.date.start
                        - incidents[i].date.date.start)
                        .num_days()
                        .abs();
                    (shared, gap, c)
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let best = scored
                .into_iter()
                .take(RELATED_MAX)
                .map(|(_, _, c)| c)
                .collect();
            (me, best)
        })
        .collect()
}

/// An incident's groups and weapon types, each sorted and deduplicated.
type EntitySet = (Vec<GroupId>, Vec<WeaponId>);

fn entity_set(inc: &Incident) -> EntitySet {
    let mut gs: Vec<GroupId> = inc.groups.iter().map(|x| x.group).collect();
    let mut ws: Vec<WeaponId> = inc.weapons.iter().map(|x| x.weapon).collect();
    gs.sort();
    gs.dedup();
    ws.sort();
    ws.dedup();
    (gs, ws)
}

/// Size of the intersection of two sorted, deduplicated lists.
fn shared<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn taxonomies(g: &mut Graph, incidents: &[Incident], weapons: &[Weapon]) {
    let mut countries = TermBuilder::default();
    let mut tags = TermBuilder::default();
    for (i, inc) in incidents.iter().enumerate() {
        let id = IncidentId(i as u32);
        if let Some(c) = inc.location.as_ref().and_then(|l| l.country.as_deref()) {
            countries.add(c, id);
        }
        for t in &inc.tags {
            tags.add(t, id);
        }
    }
    g.countries = countries.finish();
    g.tags = tags.finish();
    let mut cats: BTreeMap<Category, Vec<WeaponId>> = BTreeMap::new();
    let mut origins = TermBuilder::default();
    for (i, w) in weapons.iter().enumerate() {
        let id = WeaponId(i as u32);
        cats.entry(w.category.clone()).or_default().push(id);
        if let Some(o) = &w.origin {
            origins.add(o, id);
        }
    }
    for inc in incidents {
        for o in &inc.weapons {
            if let Some(origin) = &o.origin {
                origins.add(origin, o.weapon);
            }
        }
    }
    g.categories = cats.into_iter().collect();
    g.origins = origins.finish();
}

/// Collects members per slug; the label is the first spelling met.
struct TermBuilder<T> {
    terms: BTreeMap<String, (String, Vec<T>)>,
    /// Each spelling met and its slug: slugify once per spelling, not per use.
    slugs: std::collections::HashMap<String, String>,
}

impl<T> Default for TermBuilder<T> {
    fn default() -> Self {
        TermBuilder {
            terms: BTreeMap::new(),
            slugs: std::collections::HashMap::new(),
        }
    }
}

impl<T: Ord + Copy> TermBuilder<T> {
    fn add(&mut self, label: &str, member: T) {
        let slug = match self.slugs.get(label) {
            Some(s) => s,
            None => self
                .slugs
                .entry(label.to_string())
                .or_insert_with(|| slugify(label)),
        };
        match self.terms.get_mut(slug) {
            Some(e) => e.1.push(member),
            None => {
                self.terms
                    .insert(slug.clone(), (label.to_string(), vec![member]));
            }
        }
    }

    fn finish(self) -> Vec<Term<T>> {
        self.terms
            .into_iter()
            .map(|(slug, (label, mut members))| {
                members.sort();
                members.dedup();
                Term {
                    slug,
                    label,
                    members,
                }
            })
            .collect()
    }
}
