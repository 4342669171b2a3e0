//! The site-wide views: the timeline (`/timeline/`, `/timeline/<year>/`), the arms
//! matrix (`/matrix/`, `/matrix/origins/`, `/matrix/custody/`, each paginated by
//! groups). Each builder turns `model::stats` counts into one page's view.

use super::figures;
use super::lists::pager;
use super::pages::Ctx;
use super::views::*;
use crate::model::Site;
use crate::model::entity::IncidentId;
use crate::model::stats::{self, Bucket, Matrix};
use crate::model::urls;
use chrono::Datelike;

/// Groups (or flows) per page of the matrix views: a page of the origins matrix,
/// the widest, stays well under 300 KB with every cell filled.
pub const MATRIX_ROWS: usize = 25;

/// Incidents listed per month on a year's page; the rest are one link away.
pub const TIMELINE_ROWS: usize = 25;

/// The years with incidents, oldest first, with their incident id ranges (incidents
/// are sorted by date, so a year's are contiguous).
pub fn years(site: &Site) -> Vec<(i32, std::ops::Range<usize>)> {
    let mut out: Vec<(i32, std::ops::Range<usize>)> = Vec::new();
    for (i, inc) in site.incidents.iter().enumerate() {
        let y = inc.date.date.start.year();
        match out.last_mut() {
            Some((last, r)) if *last == y => r.end = i + 1,
            _ => out.push((y, i..i + 1)),
        }
    }
    out
}

pub fn timeline_url(year: Option<i32>) -> String {
    match year {
        None => "timeline/".into(),
        Some(y) => format!("timeline/{y}/"),
    }
}

pub fn timeline(cx: &Ctx) -> TimelineView {
    let site = cx.site;
    let all = (0..site.incidents.len() as u32).map(IncidentId);
    TimelineView {
        chart: site
            .config
            .views
            .charts
            .then(|| figures::monthly(cx, "chart-months", "", all))
            .flatten(),
        years: years(site)
            .into_iter()
            .map(|(year, r)| YearRow {
                year,
                count: r.len() as u32,
                url: format!("{}{}", cx.root(), timeline_url(Some(year))),
            })
            .collect(),
        total: site.incidents.len(),
    }
}

pub fn timeline_year<'a>(cx: &'a Ctx<'a>, year: i32) -> TimelineYearView<'a> {
    let site = cx.site;
    let all = years(site);
    let k = all.iter().position(|(y, _)| *y == year);
    let range = k.map(|k| all[k].1.clone()).unwrap_or(0..0);
    let mut months: Vec<MonthSection> = Vec::new();
    let mut year_only: Vec<usize> = Vec::new();
    for i in range.clone() {
        match stats::bucket(&site.incidents[i]) {
            Bucket::YearOnly(_) => year_only.push(i),
            Bucket::Month(y, m) => {
                let id = format!("m-{y}-{m:02}");
                if months.last().is_none_or(|s| s.id != id) {
                    months.push(MonthSection {
                        id,
                        label: figures::month_label(y, m),
                        count: 0,
                        rows: Vec::new(),
                        more: None,
                    });
                }
                if let Some(s) = months.last_mut() {
                    s.count += 1;
                    if s.rows.len() < TIMELINE_ROWS {
                        s.rows.push(cx.row(IncidentId(i as u32)));
                    } else if s.more.is_none() {
                        s.more = Some(format!("{}incidents/?year={y}&month={m}", cx.root()));
                    }
                }
            }
        }
    }
    if !year_only.is_empty() {
        months.insert(
            0,
            MonthSection {
                id: format!("m-{year}"),
                label: format!("{year}, month not known"),
                count: year_only.len(),
                rows: year_only
                    .iter()
                    .take(TIMELINE_ROWS)
                    .map(|i| cx.row(IncidentId(*i as u32)))
                    .collect(),
                more: (year_only.len() > TIMELINE_ROWS)
                    .then(|| format!("{}incidents/?year={year}", cx.root())),
            },
        );
    }
    let link = |k: usize| {
        let y = all[k].0;
        cx.link(&timeline_url(Some(y)), y.to_string())
    };
    TimelineYearView {
        year,
        count: range.len(),
        chart: site
            .config
            .views
            .charts
            .then(|| {
                let ids = range.clone().map(|i| IncidentId(i as u32));
                figures::monthly(cx, "chart-year", &format!(" in {year}"), ids)
            })
            .flatten(),
        months,
        prev: k.and_then(|k| k.checked_sub(1)).map(link),
        next: k.filter(|k| k + 1 < all.len()).map(|k| link(k + 1)),
    }
}

/// The three matrix views, for the tabs on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatrixKind {
    Categories,
    Origins,
    Custody,
}

impl MatrixKind {
    pub const ALL: [MatrixKind; 3] = [
        MatrixKind::Categories,
        MatrixKind::Origins,
        MatrixKind::Custody,
    ];

    pub fn url(self, n: usize) -> String {
        let base = match self {
            MatrixKind::Categories => "matrix/",
            MatrixKind::Origins => "matrix/origins/",
            MatrixKind::Custody => "matrix/custody/",
        };
        if n <= 1 {
            base.into()
        } else {
            format!("{base}page/{n}/")
        }
    }

    pub fn title(self, n: usize) -> String {
        let base = match self {
            MatrixKind::Categories => "Arms matrix: groups by weapon category",
            MatrixKind::Origins => "Arms matrix: groups by country of manufacture",
            MatrixKind::Custody => "Custody: weapons taken from one group by another",
        };
        if n <= 1 {
            base.into()
        } else {
            format!("{base}, page {n}")
        }
    }

    fn label(self) -> &'static str {
        match self {
            MatrixKind::Categories => "By category",
            MatrixKind::Origins => "By country of manufacture",
            MatrixKind::Custody => "Custody flows",
        }
    }

    /// Pages of this view, `MATRIX_ROWS` groups or flows each.
    pub fn pages(self, cx: &Ctx) -> usize {
        let rows = match self {
            MatrixKind::Categories => cx.matrices().0.rows.len(),
            MatrixKind::Origins => cx.matrices().1.rows.len(),
            MatrixKind::Custody => cx.flows.len(),
        };
        rows.div_ceil(MATRIX_ROWS).max(1)
    }
}

fn tabs(cx: &Ctx, current: MatrixKind) -> Vec<PagerLink> {
    MatrixKind::ALL
        .iter()
        .map(|k| PagerLink {
            url: format!("{}{}", cx.root(), k.url(1)),
            label: k.label().into(),
            current: *k == current,
        })
        .collect()
}

/// Page `n` of the categories or origins matrix.
pub fn matrix(cx: &Ctx, kind: MatrixKind, n: usize) -> MatrixView {
    let site = cx.site;
    let (by_cat, by_origin) = cx.matrices();
    let (m, key): (&Matrix, &str) = match kind {
        MatrixKind::Origins => (by_origin, "origin"),
        _ => (by_cat, "category"),
    };
    let slugs: Vec<String> = match kind {
        MatrixKind::Origins => site.graph.origins.iter().map(|t| t.slug.clone()).collect(),
        _ => site
            .graph
            .categories
            .iter()
            .map(|(c, _)| c.slug.clone())
            .collect(),
    };
    let column_links: Vec<Link> = match kind {
        MatrixKind::Origins => site
            .graph
            .origins
            .iter()
            .map(|t| cx.link(&urls::origin(&t.slug), t.label.clone()))
            .collect(),
        _ => site
            .graph
            .categories
            .iter()
            .map(|(c, _)| cx.category_link(c))
            .collect(),
    };
    let per_page = MATRIX_ROWS;
    let rows = m
        .rows
        .iter()
        .skip((n - 1) * per_page)
        .take(per_page)
        .map(|r| {
            let gid = &site.group(r.group).id;
            MatrixRowView {
                group: cx.group_link(r.group),
                cells: r
                    .cells
                    .iter()
                    .zip(&slugs)
                    .map(|(c, slug)| MatrixCell {
                        count: *c,
                        url: (*c > 0)
                            .then(|| format!("{}incidents/?group={gid}&{key}={slug}", cx.root())),
                    })
                    .collect(),
                total: r.total,
            }
        })
        .collect();
    MatrixView {
        kind: match kind {
            MatrixKind::Origins => "origins",
            _ => "categories",
        },
        columns: column_links,
        rows,
        column_totals: m.column_totals.clone(),
        total: m.total,
        group_count: m.rows.len(),
        pager: pager(cx, n, kind.pages(cx), |k| kind.url(k)),
        tabs: tabs(cx, kind),
    }
}

/// Page `n` of the custody flows.
pub fn custody(cx: &Ctx, n: usize) -> CustodyView {
    let per_page = MATRIX_ROWS;
    let page: Vec<&stats::Flow> = cx
        .flows
        .iter()
        .skip((n - 1) * per_page)
        .take(per_page)
        .collect();
    CustodyView {
        flows: figures::flows(cx, &page),
        total: cx.flows.len(),
        pager: pager(cx, n, MatrixKind::Custody.pages(cx), |k| {
            MatrixKind::Custody.url(k)
        }),
        tabs: tabs(cx, MatrixKind::Custody),
    }
}
