//! The live preview's fast path: after a successful in-memory build, keep the model and
//! the render state, so that an edit to the Markdown body of one incident re-renders
//! that incident's page only. It applies when the edit provably changes nothing any
//! other file shows: the body's heading ids (targets of other pages' `#fragment`
//! links), its `@/` links and, for an incident without a `summary:`, its first
//! paragraph (the summary in lists, feeds and exports) are all unchanged. A body is
//! shown on its own page only. Anything else goes through a full rebuild.

use super::markdown::{self, Body, Env};
use super::pages::Ctx;
use super::{Kept, jobs};
use crate::diag::Diagnostic;
use crate::model::Site;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

/// What other pages depend on in a rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyShape {
    ids: Vec<String>,
    /// `@/` links: target, fragment, resolved (positions left out).
    links: Vec<(String, Option<String>, bool)>,
    first_paragraph: String,
}

impl BodyShape {
    pub fn of(body: &Body) -> BodyShape {
        BodyShape {
            ids: body.ids.iter().cloned().collect(),
            links: body
                .links
                .iter()
                .map(|l| (l.target.clone(), l.fragment.clone(), l.resolved))
                .collect(),
            first_paragraph: body.first_paragraph.clone(),
        }
    }

    /// True when other pages cannot tell `self` from `new`. The first paragraph
    /// matters only when it is the summary.
    fn same_for_others(&self, new: &BodyShape, has_summary: bool) -> bool {
        self.ids == new.ids
            && self.links == new.links
            && (has_summary || self.first_paragraph == new.first_paragraph)
    }
}

/// A successful build's model and render state.
pub struct Retained {
    site: Site,
    kept: Kept,
}

impl Retained {
    pub fn new(site: Site, kept: Kept) -> Retained {
        Retained { site, kept }
    }

    /// The incident whose source file is `rel` (relative to the site root).
    pub fn incident_index(&self, rel: &Path) -> Option<usize> {
        self.site.incidents.iter().position(|i| i.file.rel == rel)
    }

    /// Re-render incident `i` with the new body text: `Some((output path, page))`, or
    /// `None` when the change may show on other pages (or rendering failed), and then
    /// nothing was changed.
    pub fn rerender_incident(&mut self, i: usize, text: Arc<str>) -> Option<(String, Vec<u8>)> {
        let env = Env {
            content_urls: &self.site.content_urls,
            base_path: &self.site.config.base_path,
            raw_html: self.site.config.raw_html,
        };
        let body = catch_unwind(AssertUnwindSafe(|| markdown::render(&text, &env))).ok()?;
        let shape = BodyShape::of(&body);
        let inc = self.site.incidents.get(i)?;
        let has_summary = inc.summary.is_some();
        if !self
            .kept
            .shapes
            .get(i)?
            .same_for_others(&shape, has_summary)
        {
            return None;
        }
        let old_html = std::mem::replace(self.kept.bodies.incidents.get_mut(i)?, body.html);
        let old_text = std::mem::replace(&mut self.site.incidents[i].file.body, text);
        match self.render_incident_page(i) {
            Some(page) => Some(page),
            None => {
                self.kept.bodies.incidents[i] = old_html;
                self.site.incidents[i].file.body = old_text;
                None
            }
        }
    }

    fn render_incident_page(&mut self, i: usize) -> Option<(String, Vec<u8>)> {
        let cx = Ctx {
            site: &self.site,
            rows: std::mem::take(&mut self.kept.rows),
            bodies: std::mem::take(&mut self.kept.bodies),
        };
        let site_view = jobs::site_view(&cx);
        let job = jobs::Job::Incident(i);
        let result: Option<(String, Result<String, Diagnostic>)> =
            catch_unwind(AssertUnwindSafe(|| {
                let (path, _, html) = jobs::render_job(&cx, &self.kept.theme, &site_view, &job);
                (path, html)
            }))
            .ok();
        self.kept.rows = cx.rows;
        self.kept.bodies = cx.bodies;
        let (path, html) = result?;
        Some((path, html.ok()?.into_bytes()))
    }
}
