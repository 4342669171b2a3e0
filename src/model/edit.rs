//! The live preview's model update for the most common edit: one incident file
//! changed, its slug the same. The incident is resolved again against the site's
//! name indexes, put at its new place in the chronological order, and the link graph
//! is rebuilt around it (`graph::build_base` plus `graph::patch_related`). Anything
//! this cannot prove equal to a full model build (an error, a new slug, a draft
//! leaving a build without drafts) returns `None` before the site is touched; the
//! caller then runs the full pipeline.

use super::Site;
use super::check::Checker;
use super::entity::Incident;
use super::graph::{self, Graph, Moved};
use super::resolve;
use crate::load::Doc;
use crate::load::raw::RawIncident;

/// What an edit changed, for the renderer to work out which pages show it.
pub struct IncidentEdit {
    /// Where the incident was and is in the chronological order.
    pub moved: Moved,
    /// The graph as it was (ids before the move; its `related` lists are gone).
    pub old_graph: Graph,
    /// The incidents (ids after the move) whose page shows other related incidents
    /// now, or shows the edited one among them; the edited one first.
    pub related_changed: Vec<super::entity::IncidentId>,
    /// The incident as it was before the edit.
    pub old: Incident,
}

/// Replace incident `from`, loaded from `doc.file.rel`, with `doc`. `None` (and `site`
/// untouched) when incident `from` is not that file, when resolving it gives an
/// error, when its slug changed, or when it became a draft that `site` leaves out.
pub fn edit_incident(
    site: &mut Site,
    from: usize,
    doc: Doc<RawIncident>,
    include_drafts: bool,
) -> Option<IncidentEdit> {
    if site.incidents.get(from)?.file.rel != doc.file.rel {
        return None;
    }
    let file = doc.file.clone();
    let mut c = Checker::new(&file);
    let slug = resolve::slug_of(&file, doc.raw.slug.as_ref(), &mut c)?;
    if slug != site.incidents[from].slug {
        // Its URL, the `@/` links to it and the output paths would change.
        return None;
    }
    let incident = resolve::incident(doc, slug, &site.names.lookup(), &mut c)?;
    if c.diags.iter().any(|d| d.is_error()) || (incident.draft && !include_drafts) {
        return None;
    }
    // From here on nothing fails.
    let old = site.incidents.remove(from);
    fn key(i: &Incident) -> (chrono::NaiveDate, &str) {
        (i.date.date.start, &i.slug)
    }
    let to = site.incidents.partition_point(|i| key(i) < key(&incident));
    site.incidents.insert(to, incident);
    let moved = Moved { from, to };
    let mut new_graph = graph::build_base(&site.incidents, &site.groups, &site.weapons);
    let mut old_graph = std::mem::take(&mut site.graph);
    let related_changed =
        graph::patch_related(&mut old_graph, &mut new_graph, &site.incidents, moved);
    site.graph = new_graph;
    Some(IncidentEdit {
        moved,
        old_graph,
        related_changed,
        old,
    })
}
