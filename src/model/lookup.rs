//! What a reference is looked up in: the name indexes of the entities that exist, and
//! the names of those that failed (a reference to one of them resolves to nothing,
//! silently: the failed file's own error is the one diagnostic for that mistake).

use super::check::Checker;
use super::entity::{GroupId, WeaponId};
use super::names::NameIndex;
use crate::diag::{Pos, code, did_you_mean};

/// The indexes a resolver looks names up in.
pub struct Lookup<'a> {
    pub groups: &'a NameIndex<GroupId>,
    pub weapons: &'a NameIndex<WeaponId>,
    /// Names of groups and weapon types whose files exist but failed to load or
    /// resolve: a reference to one resolves to nothing, silently, since the file's own
    /// error is the one diagnostic for that mistake.
    pub broken_groups: &'a Broken,
    pub broken_weapons: &'a Broken,
    /// The gazetteer, which gives coordinates to incidents that name a known place.
    pub places: &'a super::places::Gazetteer,
    /// The non-Markdown files under `content/`, which `media:` entries name.
    pub assets: &'a super::media::Assets,
}

/// Ids and names of entities that failed, matched like references are.
#[derive(Debug, Default, Clone)]
pub struct Broken(std::collections::BTreeSet<String>);

impl Broken {
    /// Record an id (a file stem) or a written name.
    pub fn insert(&mut self, written: &str) {
        self.0.insert(written.trim().to_lowercase());
        self.0.insert(super::names::normalise(written));
    }

    pub fn contains(&self, reference: &str) -> bool {
        self.0.contains(&reference.trim().to_lowercase())
            || self.0.contains(&super::names::normalise(reference))
    }
}

impl Lookup<'_> {
    pub fn group(&self, c: &mut Checker, name: &str, pos: Pos) -> Option<GroupId> {
        let found = self.groups.get(name);
        if found.is_none() && !self.broken_groups.contains(name) {
            let hint = did_you_mean(&self.groups.suggest(name)).unwrap_or_else(|| {
                "add a file under content/groups/ or an alias to an existing group".into()
            });
            c.error(
                code::UNKNOWN_GROUP,
                pos,
                format!("unknown group `{}`", name.trim()),
                Some(hint),
            );
        }
        found
    }

    pub fn weapon(&self, c: &mut Checker, name: &str, pos: Pos) -> Option<WeaponId> {
        let found = self.weapons.get(name);
        if found.is_none() && !self.broken_weapons.contains(name) {
            let hint = did_you_mean(&self.weapons.suggest(name)).unwrap_or_else(|| {
                "add a file under content/weapons/ or an alias to an existing weapon".into()
            });
            c.error(
                code::UNKNOWN_WEAPON,
                pos,
                format!("unknown weapon `{}`", name.trim()),
                Some(hint),
            );
        }
        found
    }
}
