//! The preview's retained state and its fast paths: after a successful in-memory build, keep the model and
//! the render state, so that an edit to the Markdown body of one content file (an
//! incident, group, weapon type or page) re-renders that file's page only. It applies
//! when the edit provably changes nothing any other file shows: the body's heading ids
//! (targets of other pages' `#fragment` links), its `@/` links and, for an incident
//! without a `summary:`, its first paragraph (the summary in lists, feeds and exports)
//! are all unchanged. A body is shown on its own page only. Anything else goes through
//! a full rebuild.

use crate::diag::Diagnostic;
use crate::load::Doc;
use crate::load::SourceFile;
use crate::load::raw::RawIncident;
use crate::model::Site;
use crate::render::markdown::{self, Body, BodyShape, Env};
use crate::render::pages::{self, Ctx};
use crate::render::{Kept, jobs};
use rayon::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

/// The output of `Retained::edit_incident`.
pub struct EditedFiles {
    /// Output path and bytes of every file that changed.
    pub files: Vec<(String, Vec<u8>)>,
    /// Output paths of pages that are gone (an incident list that lost a page).
    pub removed: Vec<String>,
    /// Time spent updating the model (and finding the pages to redo), then rendering.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Move item `from` to `to` and replace it with `value` (the others keep their order).
fn move_to<T>(v: &mut Vec<T>, from: usize, to: usize, value: T) {
    v.remove(from);
    v.insert(to, value);
}

/// The four kinds of content file with a body, in `Kept::shapes` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Incident = 0,
    Group = 1,
    Weapon = 2,
    Page = 3,
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

    /// The content file whose source is `rel` (relative to the site root).
    pub fn locate(&self, rel: &Path) -> Option<(Kind, usize)> {
        let s = &self.site;
        let is = |f: &SourceFile| f.rel == rel;
        let found = [
            (Kind::Incident, s.incidents.iter().position(|x| is(&x.file))),
            (Kind::Group, s.groups.iter().position(|x| is(&x.file))),
            (Kind::Weapon, s.weapons.iter().position(|x| is(&x.file))),
            (Kind::Page, s.pages.iter().position(|x| is(&x.file))),
        ];
        found.into_iter().find_map(|(kind, i)| i.map(|i| (kind, i)))
    }

    /// Re-render file `i` of `kind` with the new body text: `Some((output path, page))`,
    /// or `None` when the change may show on other pages (or rendering failed), and
    /// then nothing was changed.
    pub fn rerender(
        &mut self,
        kind: Kind,
        i: usize,
        text: Arc<str>,
    ) -> Option<Vec<(String, Vec<u8>)>> {
        let env = Env {
            content_urls: &self.site.content_urls,
            base_path: &self.site.config.base_path,
            raw_html: self.site.config.raw_html,
        };
        let body = catch_unwind(AssertUnwindSafe(|| markdown::render(&text, &env))).ok()?;
        let shape = BodyShape::of(&body);
        // Only an incident's first paragraph is shown elsewhere (as its summary).
        let first_paragraph_private = match kind {
            Kind::Incident => self.site.incidents.get(i)?.summary.is_some(),
            _ => true,
        };
        let old_shape = self.kept.shapes[kind as usize].get(i)?;
        if !old_shape.same_for_others(&shape, first_paragraph_private) {
            return None;
        }
        let old_html = std::mem::replace(self.html_mut(kind).get_mut(i)?, body.html);
        let old_text = std::mem::replace(self.text_mut(kind, i)?, text);
        match self.render_page(kind, i) {
            Some(page) => Some(page),
            None => {
                self.html_mut(kind)[i] = old_html;
                if let Some(t) = self.text_mut(kind, i) {
                    *t = old_text;
                }
                None
            }
        }
    }

    /// The one-incident path: incident `i` (its file `doc.file.rel`) changed, front
    /// matter included, but kept its slug. Update the model and the render state, and
    /// return them with every output file that changed: the pages
    /// `dirty::jobs_after_edit` names, the feed and the data exports, with the time
    /// spent on the model and on the output. `None` when the edit needs the full
    /// pipeline: `self` is consumed either way, so a state that gave up halfway can
    /// never be used again.
    pub fn edit_incident(
        mut self,
        from: usize,
        doc: Doc<RawIncident>,
        include_drafts: bool,
    ) -> Option<(Retained, EditedFiles)> {
        let started = std::time::Instant::now();
        if self.site.incidents.get(from)?.file.rel != doc.file.rel {
            return None;
        }
        let env = Env {
            content_urls: &self.site.content_urls,
            base_path: &self.site.config.base_path,
            raw_html: self.site.config.raw_html,
        };
        let text = doc.file.body.clone();
        let body = catch_unwind(AssertUnwindSafe(|| markdown::render(&text, &env))).ok()?;
        let shape = BodyShape::of(&body);
        // Other files' `#fragment` links may name its heading ids: they must stay as
        // they were. Its own `@/` links may change if they still hold. The first
        // paragraph only feeds this incident's row, made again below.
        if self.kept.shapes[0].get(from)?.ids != shape.ids || !self.links_hold(&body) {
            return None;
        }
        let media_before = self.site.incidents.get(from)?.media.clone();
        let edit = crate::model::edit::edit_incident(&mut self.site, from, doc, include_drafts)?;
        let to = edit.moved.to;
        let inc = &self.site.incidents[to];
        // New or changed images are processed (and their errors found) by the full
        // pipeline, from the same cache.
        if inc.media != media_before {
            return None;
        }
        let row = pages::incident_row(
            &self.site,
            inc,
            crate::render::summary_of(inc.summary.as_deref(), &body),
        );
        let k = &mut self.kept;
        move_to(&mut k.shapes[0], from, to, shape);
        move_to(&mut k.bodies.incidents, from, to, body.html);
        move_to(&mut k.rows, from, to, row);
        let cx = Ctx::new(
            &self.site,
            std::mem::take(&mut self.kept.rows),
            std::mem::take(&mut self.kept.bodies),
            self.kept.media.clone(),
        );
        // The pages are the same, but for incident lists that gained or lost a page
        // (dirty then redoes the whole list); anything else runs the full pipeline.
        let all_jobs = jobs::jobs(&cx);
        let mut removed = Vec::new();
        if all_jobs != self.kept.jobs {
            let now: std::collections::BTreeSet<&jobs::Job> = all_jobs.iter().collect();
            let before: std::collections::BTreeSet<&jobs::Job> = self.kept.jobs.iter().collect();
            let changed = now.symmetric_difference(&before);
            if changed.clone().any(|j| !matches!(j, jobs::Job::List(..))) {
                return None;
            }
            for j in before.difference(&now) {
                if let jobs::Job::List(of, n) = j {
                    removed.push(crate::model::urls::output_path(&of.url(&self.site, *n)));
                }
            }
        }
        let jobs = super::dirty::jobs_after_edit(&cx, &edit)?;
        let modelled = started.elapsed();
        self.kept.entries.moved(&cx, from, to);
        let site_view = jobs::site_view(&cx);
        let theme = &self.kept.theme;
        let (pages, mut generated) = rayon::join(
            || {
                jobs.par_iter()
                    .map(|job| {
                        let (path, _, html) = catch_unwind(AssertUnwindSafe(|| {
                            jobs::render_job(&cx, theme, &site_view, job)
                        }))
                        .ok()?;
                        Some((path, html.ok()?.into_bytes()))
                    })
                    .collect::<Option<Vec<_>>>()
            },
            || {
                let mut files = crate::render::feeds::atom(&cx);
                files.extend(crate::render::export::all(&cx, &self.kept.entries));
                files
            },
        );
        self.kept.rows = cx.rows;
        self.kept.bodies = cx.bodies;
        let mut pages = pages?;
        pages.append(&mut generated);
        self.kept.jobs = all_jobs;
        let edited = EditedFiles {
            files: pages,
            removed,
            timings: vec![
                ("incident model", modelled),
                ("incident pages", started.elapsed() - modelled),
            ],
        };
        Some((self, edited))
    }

    /// The site's absolute base URL (for the sitemap).
    pub fn base_url(&self) -> &str {
        &self.site.config.base_url
    }

    /// What `render::check_links` asks of one body: every `@/` link names a content
    /// file, and every `#fragment` an id on that file's page.
    fn links_hold(&self, body: &Body) -> bool {
        body.links.iter().all(|l| {
            let Some(frag) = &l.fragment else {
                return l.resolved;
            };
            l.resolved
                && (crate::render::section_ids(&l.target).contains(&frag.as_str())
                    || self.ids_of(&l.target).is_some_and(|ids| {
                        ids.binary_search_by(|id| id.as_str().cmp(frag)).is_ok()
                    }))
        })
    }

    /// The heading ids of the content file at `content_path` (`groups/x.md`).
    fn ids_of(&self, content_path: &str) -> Option<&[String]> {
        let s = &self.site;
        let is = |f: &SourceFile| f.content_path == content_path;
        let found = [
            s.incidents.iter().position(|x| is(&x.file)),
            s.groups.iter().position(|x| is(&x.file)),
            s.weapons.iter().position(|x| is(&x.file)),
            s.pages.iter().position(|x| is(&x.file)),
        ];
        let (kind, i) = found
            .into_iter()
            .enumerate()
            .find_map(|(kind, i)| Some((kind, i?)))?;
        Some(&self.kept.shapes[kind].get(i)?.ids)
    }

    fn html_mut(&mut self, kind: Kind) -> &mut Vec<String> {
        let b = &mut self.kept.bodies;
        match kind {
            Kind::Incident => &mut b.incidents,
            Kind::Group => &mut b.groups,
            Kind::Weapon => &mut b.weapons,
            Kind::Page => &mut b.pages,
        }
    }

    fn text_mut(&mut self, kind: Kind, i: usize) -> Option<&mut Arc<str>> {
        let s = &mut self.site;
        Some(match kind {
            Kind::Incident => &mut s.incidents.get_mut(i)?.file.body,
            Kind::Group => &mut s.groups.get_mut(i)?.file.body,
            Kind::Weapon => &mut s.weapons.get_mut(i)?.file.body,
            Kind::Page => &mut s.pages.get_mut(i)?.file.body,
        })
    }

    /// The page, and the search index when the body is one it indexes (an incident's
    /// or a free page's text).
    fn render_page(&mut self, kind: Kind, i: usize) -> Option<Vec<(String, Vec<u8>)>> {
        let cx = Ctx::new(
            &self.site,
            std::mem::take(&mut self.kept.rows),
            std::mem::take(&mut self.kept.bodies),
            self.kept.media.clone(),
        );
        let site_view = jobs::site_view(&cx);
        let job = match kind {
            Kind::Incident => jobs::Job::Incident(i),
            Kind::Group => jobs::Job::Group(i),
            Kind::Weapon => jobs::Job::Weapon(i),
            Kind::Page => jobs::Job::Page(i),
        };
        let indexed = matches!(kind, Kind::Incident | Kind::Page);
        type Rendered = (String, Result<String, Diagnostic>, Vec<(String, Vec<u8>)>);
        let result: Option<Rendered> = catch_unwind(AssertUnwindSafe(|| {
            let (path, _, html) = jobs::render_job(&cx, &self.kept.theme, &site_view, &job);
            let search = if indexed {
                if kind == Kind::Incident {
                    self.kept.entries.retext(&cx, i);
                } else {
                    self.kept.entries.repage(&cx);
                }
                crate::render::search::index_files(&cx, self.kept.entries.search(), None)
            } else {
                Vec::new()
            };
            (path, html, search)
        }))
        .ok();
        self.kept.rows = cx.rows;
        self.kept.bodies = cx.bodies;
        let (path, html, mut files) = result?;
        files.push((path, html.ok()?.into_bytes()));
        Some(files)
    }
}
