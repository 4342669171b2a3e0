//! Content rules beyond parsing, on resolved entities: a confirmed incident needs a
//! source, a source is not listed twice, a weapon's holders take part in the incident,
//! and every group and weapon type is used somewhere. These are warnings; `check` and
//! `build --strict` make the first one an error and add the unreferenced-file check,
//! and `--deny-warnings` makes them all errors.

use super::entity::*;
use crate::diag::{Diagnostic, Pos, code};
use std::collections::BTreeSet;

pub fn check(
    incidents: &[Incident],
    groups: &[Group],
    weapons: &[Weapon],
    strict: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut used_groups = vec![false; groups.len()];
    let mut used_weapons = vec![false; weapons.len()];
    for inc in incidents {
        incident_rules(inc, groups, strict, &mut out);
        for g in &inc.groups {
            used_groups[g.group.0 as usize] = true;
        }
        for o in &inc.weapons {
            used_weapons[o.weapon.0 as usize] = true;
            for h in o.from.iter().chain(&o.to) {
                used_groups[h.0 as usize] = true;
            }
        }
    }
    for g in groups {
        if let Some(p) = g.parent {
            used_groups[p.0 as usize] = true;
        }
    }
    for w in weapons {
        for r in w.parent.iter().chain(&w.ammunition) {
            used_weapons[r.0 as usize] = true;
        }
    }
    if !strict {
        // Unreferenced files are normal while a site grows; `check` reports them.
        return out;
    }
    for (g, used) in groups.iter().zip(used_groups) {
        if !used {
            out.push(
                Diagnostic::warning(
                    code::ORPHAN,
                    &g.file.rel,
                    Pos::FILE,
                    format!(
                        "group `{}` is not referenced by any incident or group",
                        g.id
                    ),
                )
                .with_hint("reference it from an incident, or remove the file"),
            );
        }
    }
    for (w, used) in weapons.iter().zip(used_weapons) {
        if !used {
            out.push(
                Diagnostic::warning(
                    code::ORPHAN,
                    &w.file.rel,
                    Pos::FILE,
                    format!(
                        "weapon type `{}` is not referenced by any incident or weapon type",
                        w.id
                    ),
                )
                .with_hint("reference it from an incident, or remove the file"),
            );
        }
    }
    out
}

fn incident_rules(inc: &Incident, groups: &[Group], strict: bool, out: &mut Vec<Diagnostic>) {
    let file = &inc.file;
    if inc.confidence == Confidence::Confirmed && inc.sources.is_empty() {
        let mut d = Diagnostic::warning(
            code::UNSOURCED,
            &file.rel,
            file.key_pos("confidence"),
            "a confirmed incident has no source",
        )
        .with_hint("add the sources that confirm it, or code it as reported");
        if strict {
            d.severity = crate::diag::Severity::Error;
        }
        out.push(d);
    }
    let mut urls = BTreeSet::new();
    for s in &inc.sources {
        if let Some(u) = &s.url
            && !urls.insert(u.trim_end_matches('/').to_lowercase())
        {
            out.push(
                Diagnostic::warning(
                    code::DUPLICATE_SOURCE,
                    &file.rel,
                    file.key_pos("sources"),
                    format!("source `{u}` is listed twice"),
                )
                .with_hint("keep one entry per source"),
            );
        }
    }
    let involved: BTreeSet<GroupId> = inc.groups.iter().map(|g| g.group).collect();
    for o in &inc.weapons {
        for h in o.from.iter().chain(&o.to) {
            if !involved.contains(h) {
                let name = &groups[h.0 as usize].id;
                out.push(
                    Diagnostic::warning(
                        code::HOLDER_NOT_INVOLVED,
                        &file.rel,
                        file.key_pos("weapons"),
                        format!("weapon holder `{name}` is not among the incident's groups"),
                    )
                    .with_hint("add the group under `groups` with its role"),
                );
            }
        }
    }
}

/// Incidents that name a place but have no coordinates, from the content or the
/// gazetteer: they are left off the maps. A warning of `check` when maps are on.
/// Locations known only to a region or a country are not expected to have a point.
pub fn unplaced(incidents: &[Incident], has_gazetteer: bool) -> Vec<Diagnostic> {
    incidents
        .iter()
        .filter_map(|inc| {
            let loc = inc.location.as_ref()?;
            // A region or a whole country is not a place to pin.
            if (loc.lat.is_some() && loc.lon.is_some())
                || matches!(loc.precision, Some(LocationPrecision::Region | LocationPrecision::Country))
            {
                return None;
            }
            let named = [&loc.name, &loc.admin3, &loc.admin2, &loc.admin1, &loc.country]
                .into_iter()
                .flatten()
                .next()?;
            let hint = if has_gazetteer {
                "add `lat` and `lon` to the location, or the place to data/places.yaml (no entry matched its name, admin units and country)"
            } else {
                "add `lat` and `lon` to the location, or list the place in a gazetteer, data/places.yaml"
            };
            Some(
                Diagnostic::warning(
                    code::UNPLACED,
                    &inc.file.rel,
                    super::places::location_pos(&inc.file),
                    format!("`{named}` has no coordinates: the incident is left off the maps"),
                )
                .with_hint(hint),
            )
        })
        .collect()
}
