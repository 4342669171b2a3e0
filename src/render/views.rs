//! Typed template contexts: one `*View` per kind of page, borrowed from the frozen
//! model where possible and holding display strings computed once (date labels,
//! prefixed URLs). Templates see exactly these fields and nothing else; the whole site
//! is never serialized into a page. docs/templates.md documents every field.

use serde::Serialize;

/// A link: an URL already prefixed with the site's base path, and its text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub url: String,
    pub label: String,
}

/// Site-wide values, the same on every page (`site.*` in templates).
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// Absolute base URL, ending with `/`.
    pub base_url: String,
    /// Path prefix for internal links, `/` or `/project/`.
    pub root: String,
    /// Main navigation.
    pub nav: Vec<Link>,
    /// Free pages (about, methodology).
    pub pages: Vec<Link>,
    pub feed_url: String,
    pub stylesheet_url: String,
    /// The site's icon (its own `static/favicon.svg` or `.ico`, else the theme's), with
    /// the base path.
    pub icon_url: String,
}

/// Per-page values (`page.*` in templates).
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: Option<String>,
    /// Absolute URL of this page.
    pub canonical: String,
    /// `incident`, `group`, `weapon`, `home`, `list`, `term`, `page`, `404`.
    pub kind: &'static str,
    /// Breadcrumb trail, home first, this page excluded.
    pub breadcrumbs: Vec<Link>,
    /// The icon's URL as this page links it (see `jobs::page_icon_url`).
    pub icon_url: String,
}

/// A label with a machine value, e.g. confidence `claimed` / "Claimed".
#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub value: &'static str,
    pub label: &'static str,
}

/// One incident in a list (home, incident list, group, weapon, term pages).
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow {
    pub url: String,
    pub title: String,
    pub date: String,
    pub date_iso: String,
    pub confidence: Badge,
    pub event_type: Option<&'static str>,
    pub place: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocationView {
    pub name: Option<String>,
    /// admin3, admin2, admin1 as given, most local first.
    pub admin: Vec<String>,
    pub country: Option<Link>,
    pub precision: Option<&'static str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRef {
    pub link: Link,
    pub attribution: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleGroups {
    pub role: &'static str,
    pub label: &'static str,
    pub groups: Vec<GroupRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObservationView {
    pub weapon: Link,
    pub category: Link,
    pub origin: Option<Link>,
    /// True when the origin is this item's own (`origin:` in the observation).
    pub origin_is_item: bool,
    pub statuses: Vec<&'static str>,
    pub quantity: Option<u64>,
    pub from: Option<Link>,
    pub to: Option<Link>,
    pub identification: Option<&'static str>,
    pub evidence: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub kind: Option<&'static str>,
    pub reliability: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentView<'a> {
    pub row: &'a IncidentRow,
    /// The `summary:` the analyst wrote, if any (`row.summary` may be cut from the body).
    pub summary: Option<&'a str>,
    pub date_end_iso: Option<String>,
    pub precision: &'static str,
    pub location: Option<LocationView>,
    pub roles: Vec<RoleGroups>,
    pub weapons: Vec<ObservationView>,
    /// "12", "12 (10–20)", or none when not reported.
    pub fatalities: Option<String>,
    pub sources: Vec<SourceView>,
    pub tags: Vec<Link>,
    pub body: &'a str,
    pub prev: Option<&'a IncidentRow>,
    pub next: Option<&'a IncidentRow>,
    pub related: Vec<&'a IncidentRow>,
    pub updated: Option<String>,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedPeriod {
    pub name: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pairing {
    pub link: Link,
    pub incidents: u32,
    pub statuses: Vec<StatusCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupIncident<'a> {
    pub row: &'a IncidentRow,
    pub roles: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpponentView {
    pub link: Link,
    pub attacked: u32,
    pub attacked_by: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub aliases: &'a [String],
    pub former_names: Vec<NamedPeriod>,
    pub actor_type: Option<&'static str>,
    pub founded: Option<String>,
    pub countries: &'a [String],
    pub parent: Option<Link>,
    /// Parent chain, nearest first.
    pub ancestors: Vec<Link>,
    pub affiliates: Vec<Link>,
    pub body: &'a str,
    pub incident_count: usize,
    pub incidents: Vec<GroupIncident<'a>>,
    pub weapons: Vec<Pairing>,
    pub opponents: Vec<OpponentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponStatusView {
    pub status: &'static str,
    pub incidents: u32,
    pub quantity: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub category: Link,
    pub manufacturer: Option<&'a str>,
    pub origin: Option<Link>,
    pub calibre: Option<&'a str>,
    pub family: Option<&'a str>,
    pub aliases: &'a [String],
    pub parent: Option<Link>,
    pub variants: Vec<Link>,
    pub ammunition: Vec<Link>,
    pub fired_by: Vec<Link>,
    pub body: &'a str,
    pub incident_count: usize,
    pub incidents: Vec<&'a IncidentRow>,
    pub groups: Vec<Pairing>,
    pub statuses: Vec<WeaponStatusView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counted {
    pub link: Link,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct HomeView<'a> {
    pub latest: Vec<&'a IncidentRow>,
    pub incident_count: usize,
    pub group_count: usize,
    pub weapon_count: usize,
    pub top_groups: Vec<Counted>,
    pub top_weapons: Vec<Counted>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentListView<'a> {
    pub rows: Vec<&'a IncidentRow>,
    pub total: usize,
    pub pager: Pager,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow<'a> {
    pub link: Link,
    pub name: &'a str,
    pub actor_type: Option<&'static str>,
    pub parent: Option<Link>,
    pub incidents: usize,
    pub weapons: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponRow<'a> {
    pub link: Link,
    pub origin: Option<&'a str>,
    pub calibre: Option<&'a str>,
    pub incidents: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorySection<'a> {
    pub category: Link,
    pub weapons: Vec<WeaponRow<'a>>,
}

/// A taxonomy term page: incidents (countries, tags) or weapon types (categories, origins).
#[derive(Debug, Clone, Serialize)]
pub struct TermView<'a> {
    /// `country`, `tag`, `category`, `origin`.
    pub taxonomy: &'static str,
    pub name: String,
    pub incidents: Vec<&'a IncidentRow>,
    pub weapons: Vec<WeaponRow<'a>>,
}

/// A taxonomy index (all countries, all tags...).
#[derive(Debug, Clone, Serialize)]
pub struct TermIndexView {
    pub taxonomy: &'static str,
    pub terms: Vec<Counted>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FreePageView<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub updated: Option<String>,
}
