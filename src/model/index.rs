//! The name indexes of a site: every id, name, short name, alias and former name of the
//! groups and weapon types that exist (those whose own fields resolved), with names that
//! two entities claim reported as errors and names that an id hides as warnings.

use super::entity::{Group, GroupId, Weapon, WeaponId};
use super::names::NameIndex;
use super::resolve::Unlinked;
use crate::diag::{Diagnostic, Diagnostics, Pos, code};
use crate::load::SourceFile;

pub fn index_groups(groups: &[Unlinked<Group>], diags: &mut Diagnostics) -> NameIndex<GroupId> {
    let mut idx = NameIndex::default();
    for (i, u) in groups.iter().enumerate() {
        let (gid, g) = (GroupId(i as u32), &u.entity);
        idx.insert_id(gid, &g.id);
        for name in std::iter::once(&g.name).chain(&g.short_name) {
            idx.insert(gid, name);
        }
        for a in &g.aliases {
            idx.insert(gid, a);
        }
        for f in &g.former_names {
            idx.insert(gid, &f.name);
        }
    }
    report_collisions(&idx, |g| &groups[g.0 as usize].entity.file, "group", diags);
    idx
}

pub fn index_weapons(weapons: &[Unlinked<Weapon>], diags: &mut Diagnostics) -> NameIndex<WeaponId> {
    let mut idx = NameIndex::default();
    for (i, u) in weapons.iter().enumerate() {
        let (wid, w) = (WeaponId(i as u32), &u.entity);
        idx.insert_id(wid, &w.id);
        idx.insert(wid, &w.name);
        for a in &w.aliases {
            idx.insert(wid, a);
        }
    }
    report_collisions(
        &idx,
        |w| &weapons[w.0 as usize].entity.file,
        "weapon",
        diags,
    );
    idx
}

fn report_collisions<'a, I: Copy + Ord>(
    idx: &NameIndex<I>,
    file: impl Fn(I) -> &'a SourceFile,
    kind: &str,
    diags: &mut Diagnostics,
) {
    for (written, owner, other) in idx.shadowed() {
        let f = file(owner);
        let msg = format!(
            "{kind} name `{written}` is also the id of {}; references to it name that file",
            file(other).rel.display()
        );
        diags.push(
            Diagnostic::warning(code::AMBIGUOUS_NAME, &f.rel, find_written(f), msg)
                .with_hint("remove the name or alias, or rename one of the files"),
        );
    }
    for (key, entries) in idx.collisions() {
        let files: Vec<String> = entries
            .iter()
            .map(|e| format!("{} (`{}`)", file(e.id).rel.display(), e.written))
            .collect();
        for e in entries.iter().skip(1) {
            let f = file(e.id);
            let pos = find_written(f);
            diags.push(
                Diagnostic::error(
                    code::AMBIGUOUS_NAME,
                    &f.rel,
                    pos,
                    format!(
                        "ambiguous {kind} name `{key}`: used by {}",
                        files.join(" and ")
                    ),
                )
                .with_hint(
                    "every id, name and alias must name one entity; remove or change one of them",
                ),
            );
        }
    }
}

/// Best-effort position of a written name in a file's front matter: the key that holds it.
fn find_written(f: &SourceFile) -> Pos {
    ["aliases", "short_name", "name", "former_names"]
        .iter()
        .find_map(|k| {
            f.front_keys
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, p)| *p)
        })
        .unwrap_or(Pos::START)
}
