//! The charts and custody tables of pages, built from `model::stats` counts: which
//! numbers each chart shows, its title and description, and where its bars lead.
//! Drawing is `charts`'; counting is `model::stats`'.

use super::charts::{self, Bar, ChartView};
use super::pages::Ctx;
use super::views::{Counted, FlowView};
use crate::model::entity::*;
use crate::model::stats::{self, Flow, Monthly};
use crate::model::urls;

/// Weapon types shown per custody flow, most frequent first.
const FLOW_WEAPONS: usize = 8;

/// Bars kept in a chart by category before the rest are summed into one.
const KEEP_BARS: usize = 12;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_label(y: i32, m: u32) -> String {
    format!("{} {y}", MONTHS[(m.clamp(1, 12) - 1) as usize])
}

/// Incidents per month over `ids`, or `None` when there are none. `id` must be unique
/// on the page; `scope` completes "Incidents per month" ("involving JNIM").
pub fn monthly(
    cx: &Ctx,
    id: &str,
    scope: &str,
    ids: impl IntoIterator<Item = IncidentId>,
) -> Option<ChartView> {
    let m: Monthly = stats::monthly(cx.site, ids);
    if m.total() == 0 {
        return None;
    }
    let bars: Vec<Bar> = m
        .months
        .iter()
        .map(|&(y, mo, n)| Bar {
            label: month_label(y, mo),
            value: n,
            url: None,
        })
        .collect();
    let title = format!("Incidents per month{scope}");
    let (first, last) = (m.months.first(), m.months.last());
    let span = match (first, last) {
        (Some(a), Some(b)) => format!(", {} to {}", month_label(a.0, a.1), month_label(b.0, b.1)),
        _ => String::new(),
    };
    let peak = m
        .months
        .iter()
        .max_by_key(|x| (x.2, std::cmp::Reverse((x.0, x.1))));
    let mut desc = format!(
        "Column chart of {} incidents dated to the month{span}.",
        m.months.iter().map(|x| x.2).sum::<u32>()
    );
    if let Some(&(y, mo, n)) = peak {
        desc.push_str(&format!(
            " The busiest month is {} with {n}.",
            month_label(y, mo)
        ));
    }
    let year_only: u32 = m.year_only.iter().map(|y| y.1).sum();
    let note = (year_only > 0).then(|| {
        let years: Vec<String> = m
            .year_only
            .iter()
            .map(|(y, n)| format!("{y}: {n}"))
            .collect();
        format!(
            "{year_only} incident{} dated only to the year {} not in the chart ({}).",
            if year_only == 1 { "" } else { "s" },
            if year_only == 1 { "is" } else { "are" },
            years.join(", ")
        )
    });
    let months = m.months.clone();
    let svg = charts::columns(id, &title, &desc, &bars, |i| {
        let (y, mo, _) = months[i];
        (mo == 1 || i == 0).then(|| y.to_string())
    });
    Some(ChartView {
        id: id.into(),
        title,
        unit: "Incidents".into(),
        svg,
        rows: bars,
        note,
    })
}

/// Incidents by the country of manufacture of the weapons documented.
pub fn origins(
    cx: &Ctx,
    id: &str,
    scope: &str,
    counts: &[(Option<usize>, u32)],
) -> Option<ChartView> {
    if counts.is_empty() {
        return None;
    }
    let terms = &cx.site.graph.origins;
    let bars: Vec<Bar> = counts
        .iter()
        .map(|(t, n)| match t.and_then(|k| terms.get(k)) {
            Some(term) => Bar {
                label: term.label.clone(),
                value: *n,
                url: Some(format!("{}{}", cx.root(), urls::origin(&term.slug))),
            },
            None => Bar {
                label: "Origin not recorded".into(),
                value: *n,
                url: None,
            },
        })
        .collect();
    let bars = charts::top_and_rest(bars, KEEP_BARS, "countries");
    let title = format!("Weapons by country of manufacture{scope}");
    let desc = format!(
        "Bar chart: for each country of manufacture, the incidents in which weapons made there were documented{scope}, most first."
    );
    Some(category_chart(id, title, "Incidents", desc, bars))
}

/// Incidents per status of a weapon type's observations.
pub fn statuses(id: &str, name: &str, statuses: &[(Status, u32, u64)]) -> Option<ChartView> {
    if statuses.is_empty() {
        return None;
    }
    let mut bars: Vec<Bar> = statuses
        .iter()
        .map(|(s, n, _)| Bar {
            label: charts_label(s.label()),
            value: *n,
            url: None,
        })
        .collect();
    bars.sort_by_key(|b| std::cmp::Reverse(b.value));
    let title = format!("Observations of {name} by status");
    let desc = format!(
        "Bar chart: the incidents in which {name} was documented in each status (captured, used, seized...), most first."
    );
    Some(category_chart(id, title, "Incidents", desc, bars))
}

/// Groups present in a weapon type's incidents, by role.
pub fn roles(cx: &Ctx, id: &str, name: &str, w: WeaponId) -> Option<ChartView> {
    let roles = stats::weapon_roles(cx.site, w);
    if roles.is_empty() {
        return None;
    }
    let bars: Vec<Bar> = roles
        .iter()
        .map(|(role, groups, _)| Bar {
            label: role.label().to_string(),
            value: groups.len() as u32,
            url: None,
        })
        .collect();
    let title = format!("Groups by role in incidents with {name}");
    let desc = format!(
        "Bar chart: how many distinct groups took part in incidents with {name} in each role (attacker, target...). A group can hold several roles."
    );
    Some(ChartView {
        unit: "Groups".into(),
        ..category_chart(id, title, "Groups", desc, bars)
    })
}

fn category_chart(id: &str, title: String, unit: &str, desc: String, bars: Vec<Bar>) -> ChartView {
    ChartView {
        id: id.into(),
        svg: charts::bars(id, &title, &desc, &bars),
        title,
        unit: unit.into(),
        rows: bars,
        note: None,
    }
}

fn charts_label(s: &str) -> String {
    super::pages::capitalise(s)
}

/// Flows as views; `list` is where the incidents behind a flow are listed (the
/// filtered incident list).
pub fn flows(cx: &Ctx, flows: &[&Flow]) -> Vec<FlowView> {
    let site = cx.site;
    flows
        .iter()
        .map(|f| FlowView {
            from: cx.group_link(f.from),
            to: cx.group_link(f.to),
            incidents: f.incidents,
            quantity: f.quantity,
            weapon_count: f.weapons.len(),
            weapons: f
                .weapons
                .iter()
                .take(FLOW_WEAPONS)
                .map(|(w, n)| Counted {
                    link: cx.weapon_link(*w),
                    count: *n as usize,
                })
                .collect(),
            list: format!(
                "{}incidents/?from={}&to={}",
                cx.root(),
                site.group(f.from).id,
                site.group(f.to).id
            ),
        })
        .collect()
}
