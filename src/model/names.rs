//! Names and references: the normalisation rule of the content format (case folded,
//! diacritics and apostrophes removed, hyphens and runs of space made one space), the
//! index from every id, name, short name, alias and former name to its entity, and the
//! "did you mean" candidates for a reference that matches nothing.

use crate::diag::closest;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalise a name for matching: "Jama'at Nusrat al-Islam" -> "jamaat nusrat al islam".
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | 'ʻ') {
            continue;
        }
        if c.is_whitespace() || c == '-' || c == '‐' || c == '–' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Which name of an entity a key came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameEntry<I> {
    pub id: I,
    pub written: String,
}

/// Ids (exact, case-insensitive) and normalised names -> entity. An id wins over a
/// name: ids are unique by construction (file stems), and the collision rule of the
/// content format is about names and aliases. Two entities under one normalised name
/// are reported by `collisions`.
#[derive(Debug)]
pub struct NameIndex<I> {
    ids: BTreeMap<String, I>,
    map: BTreeMap<String, Vec<NameEntry<I>>>,
}

impl<I: Copy + Eq + Ord> Default for NameIndex<I> {
    fn default() -> Self {
        NameIndex {
            ids: BTreeMap::new(),
            map: BTreeMap::new(),
        }
    }
}

impl<I: Copy + Eq + Ord> NameIndex<I> {
    /// Register an entity's id (its file stem).
    pub fn insert_id(&mut self, id: I, written: &str) {
        self.ids.insert(written.trim().to_lowercase(), id);
    }

    pub fn insert(&mut self, id: I, written: &str) {
        let key = normalise(written);
        if key.is_empty() {
            return;
        }
        let list = self.map.entry(key).or_default();
        if !list.iter().any(|e| e.id == id) {
            list.push(NameEntry {
                id,
                written: written.to_owned(),
            });
        }
    }

    /// The entity a reference names, if exactly one.
    pub fn get(&self, reference: &str) -> Option<I> {
        if let Some(id) = self.ids.get(&reference.trim().to_lowercase()) {
            return Some(*id);
        }
        match self.map.get(&normalise(reference)).map(Vec::as_slice) {
            Some([one]) => Some(one.id),
            _ => None,
        }
    }

    /// Keys shared by more than one entity, with the entities.
    pub fn collisions(&self) -> impl Iterator<Item = (&str, &[NameEntry<I>])> {
        self.map
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Names that can never be reached because they equal another entity's id (ids
    /// win): (written name, its entity, the entity the id names).
    pub fn shadowed(&self) -> Vec<(&str, I, I)> {
        let mut out = Vec::new();
        for entries in self.map.values() {
            for e in entries {
                if let Some(other) = self
                    .ids
                    .get(&e.written.trim().to_lowercase())
                    .filter(|o| **o != e.id)
                {
                    out.push((e.written.as_str(), e.id, *other));
                }
            }
        }
        out
    }

    /// Up to three entities closest to `reference`, each as its closest written name
    /// and, when that is not the id itself, the id: "`JNIM` (id `jnim`)".
    pub fn suggest(&self, reference: &str) -> Vec<String> {
        let wanted = normalise(reference);
        let mut cands: Vec<(I, &str)> = closest(&wanted, self.map.keys().map(String::as_str))
            .into_iter()
            .filter_map(|k| {
                self.map
                    .get(k)
                    .and_then(|v| v.first())
                    .map(|e| (e.id, e.written.as_str()))
            })
            .collect();
        for id in closest(
            &reference.trim().to_lowercase(),
            self.ids.keys().map(String::as_str),
        ) {
            if let Some(entity) = self.ids.get(id) {
                cands.push((*entity, id));
            }
        }
        self.describe(cands)
    }

    /// Entities one of whose names (three characters or more) is a whole word or
    /// phrase of `reference`, as `suggest` writes them: data sets often name an actor
    /// "JNIM: Group for Support of Islam and Muslims" where the site says "JNIM".
    pub fn named_within(&self, reference: &str) -> Vec<String> {
        let wanted = normalise(reference);
        let bytes = wanted.as_bytes();
        let word_edge = |i: usize| i == 0 || i >= bytes.len() || !bytes[i].is_ascii_alphanumeric();
        let cands: Vec<(I, &str)> = self
            .map
            .iter()
            .filter(|(k, _)| k.len() >= 3)
            .filter(|(k, _)| {
                wanted
                    .match_indices(k.as_str())
                    .any(|(at, _)| word_edge(at.wrapping_sub(1)) && word_edge(at + k.len()))
            })
            .filter_map(|(_, v)| v.first().map(|e| (e.id, e.written.as_str())))
            .collect();
        self.describe(cands)
    }

    /// Up to three entities, each once, as "`written` (id `id`)".
    fn describe(&self, cands: Vec<(I, &str)>) -> Vec<String> {
        let id_of = |entity: I| {
            self.ids
                .iter()
                .find(|(_, v)| **v == entity)
                .map(|(k, _)| k.as_str())
        };
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for (entity, written) in cands {
            if seen.contains(&entity) || out.len() == 3 {
                continue;
            }
            seen.push(entity);
            out.push(match id_of(entity) {
                Some(id) if id != written => format!("`{written}` (id `{id}`)"),
                _ => written.to_string(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_example_matches() {
        assert_eq!(
            normalise("Jama'at Nusrat al-Islam wal-Muslimin"),
            "jamaat nusrat al islam wal muslimin"
        );
        assert_eq!(normalise("  Jnim "), "jnim");
        assert_eq!(normalise("Tillabéri"), "tillaberi");
    }

    #[test]
    fn shared_key_is_a_collision() {
        let mut idx = NameIndex::default();
        idx.insert(1u32, "JNIM");
        idx.insert(2u32, "jnim");
        idx.insert(1u32, "jnim");
        assert_eq!(idx.collisions().count(), 1);
        assert_eq!(idx.get("JNIM"), None);
    }
}
