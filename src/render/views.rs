//! Typed template contexts: one `*View` per kind of page, borrowed from the frozen
//! model where possible and holding display strings computed once (date labels,
//! prefixed URLs). Templates see exactly these fields and nothing else; the whole site
//! is never serialized into a page. docs/templates.md documents every field.

pub use super::charts::ChartView;
pub use super::gallery::MediaView;
use serde::Serialize;

/// A view serialized into a template value once, for every page that shows it (an
/// incident's row, the site's values): putting it into a page's context again copies
/// a reference, not its fields. It serializes exactly as the view it was made from.
#[derive(Debug, Clone)]
pub struct Shared(tera::Value);

impl Shared {
    pub fn of<T: Serialize + ?Sized>(view: &T) -> Shared {
        Shared(tera::Value::from_serializable(view))
    }
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

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
    /// The search box is on (`views.search`).
    pub search: bool,
    /// `casefile.js` is written (search or filters on).
    pub script: bool,
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
    /// The site's root relative to this page (`../../`, `./`), for the files a page
    /// must load from `file://` too (stylesheet, script); the 404 page, served at any
    /// depth, gets the absolute root.
    pub root_rel: String,
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
    /// The gazetteer place the coordinates come from, when the content gave none.
    pub place: Option<String>,
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
    pub row: &'a Shared,
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
    pub prev: Option<&'a Shared>,
    pub next: Option<&'a Shared>,
    pub related: Vec<&'a Shared>,
    pub updated: Option<String>,
    pub draft: bool,
    /// Its images (`media:`), in the order written.
    pub media: Vec<MediaView>,
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
    pub row: &'a Shared,
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
    /// Images from its incidents, newest incidents first (at most `GROUP_IMAGES`).
    pub media: Vec<MediaView>,
    /// There are more images than `media` holds.
    pub more_media: bool,
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
    /// The latest incidents (at most `SUMMARY_ROWS`); the full list is at `all_incidents`.
    pub incidents: Vec<GroupIncident<'a>>,
    pub all_incidents: Link,
    /// Weapon types documented with the group, most incidents first (at most
    /// `TABLE_ROWS`; `weapon_count` says how many there are).
    pub weapons: Vec<Pairing>,
    pub weapon_count: usize,
    pub opponents: Vec<OpponentView>,
    pub opponent_count: usize,
    /// Charts: incidents per month, weapons by country of manufacture.
    pub charts: Vec<ChartView>,
    pub map: Option<MapView>,
    /// Weapons the group took from others, and weapons others took from it.
    pub took: Vec<FlowView>,
    pub lost: Vec<FlowView>,
}

/// Weapons moving from one holder to another (`from`/`to` of observations).
#[derive(Debug, Clone, Serialize)]
pub struct FlowView {
    pub from: Link,
    pub to: Link,
    pub incidents: u32,
    /// Summed quantities where given; 0 when none was.
    pub quantity: u64,
    /// The most frequent weapon types (at most 8), and how many there are.
    pub weapons: Vec<Counted>,
    pub weapon_count: usize,
    /// Where the incidents behind the flow are listed.
    pub list: String,
}

/// A map of incidents (inline SVG) and the incidents it could not place.
#[derive(Debug, Clone, Serialize)]
pub struct MapView {
    pub id: String,
    pub svg: String,
    /// Incidents with coordinates on the map.
    pub placed: usize,
    /// Dots: places, each holding one incident or more at the same coordinates.
    pub places: usize,
    /// Incidents with coordinates not drawn: the map shows the newest `MAX_DOTS`
    /// places.
    pub not_drawn: usize,
    /// How many incidents in scope have no usable coordinates.
    pub unplaced: usize,
    /// The newest of them (at most `SUMMARY_ROWS`), linked.
    pub unplaced_rows: Vec<Link>,
    /// The GeoJSON export, which holds every located incident.
    pub geojson: String,
    /// What each dot style means, in the order drawn.
    pub legend: Vec<LegendItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    /// CSS class of the dot (`dot-exact`...).
    pub class: String,
    pub label: String,
    /// Dots of this style on the map.
    pub count: usize,
    /// A small inline SVG of the dot (hidden from screen readers).
    pub swatch: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponStatusView {
    pub status: &'static str,
    pub incidents: u32,
    pub quantity: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponView<'a> {
    /// Every image that shows this type, across incidents, newest incidents first: the
    /// identification gallery.
    pub media: Vec<MediaView>,
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
    /// The latest incidents (at most `SUMMARY_ROWS`); the full list is at `all_incidents`.
    pub incidents: Vec<&'a Shared>,
    pub all_incidents: Link,
    /// Groups seen with it, most incidents first (at most `TABLE_ROWS`).
    pub groups: Vec<Pairing>,
    pub group_count: usize,
    pub statuses: Vec<WeaponStatusView>,
    /// Charts: incidents per month, observations by status, groups by role.
    pub charts: Vec<ChartView>,
    pub map: Option<MapView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counted {
    pub link: Link,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct HomeView<'a> {
    pub latest: Vec<&'a Shared>,
    pub incident_count: usize,
    pub group_count: usize,
    pub weapon_count: usize,
    pub top_groups: Vec<Counted>,
    pub top_weapons: Vec<Counted>,
    /// Incidents per month.
    pub charts: Vec<ChartView>,
    pub map: Option<MapView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first and last pages, and those near the current one; a gap between two
    /// is an entry with an empty `url` (shown as "…"), so a pager stays short however
    /// many pages there are.
    pub pages: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub url: String,
    pub label: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentListView<'a> {
    pub rows: Vec<&'a Shared>,
    pub total: usize,
    pub pager: Pager,
    /// For a list of one entity's or term's incidents: its page ("Back to JNIM").
    pub of: Option<Link>,
    /// The list's heading, for people ("Incidents involving JNIM").
    pub heading: String,
    /// Show the filters (the site's own list, with `views.filters` on).
    pub filters: bool,
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
    /// Countries and tags: the latest incidents (at most `SUMMARY_ROWS`) of
    /// `incident_count`, all of them at `all_incidents`.
    pub incidents: Vec<&'a Shared>,
    pub incident_count: usize,
    pub all_incidents: Option<Link>,
    pub weapons: Vec<WeaponRow<'a>>,
    pub charts: Vec<ChartView>,
    pub map: Option<MapView>,
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

/// A cell of the arms matrix: incidents, and the filtered list behind them.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    pub count: u32,
    /// `None` for an empty cell.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRowView {
    pub group: Link,
    pub cells: Vec<MatrixCell>,
    /// The group's incidents with a weapon in any column (not the sum of its cells:
    /// an incident with weapons in two columns counts in both).
    pub total: u32,
}

/// One page of a groups-by-columns matrix (`/matrix/`, `/matrix/origins/`).
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView {
    /// `categories` or `origins`.
    pub kind: &'static str,
    pub columns: Vec<Link>,
    pub rows: Vec<MatrixRowView>,
    /// Incidents per column over all groups, and in all.
    pub column_totals: Vec<u32>,
    pub total: u32,
    /// Groups in the whole matrix (this page shows some of them).
    pub group_count: usize,
    pub pager: Pager,
    /// The matrix views: by category, by origin, custody.
    pub tabs: Vec<PagerLink>,
}

/// One page of custody flows (`/matrix/custody/`).
#[derive(Debug, Clone, Serialize)]
pub struct CustodyView {
    pub flows: Vec<FlowView>,
    pub total: usize,
    pub pager: Pager,
    pub tabs: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub count: u32,
    pub url: String,
}

/// `/timeline/`: the monthly chart and the years.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    pub chart: Option<ChartView>,
    pub years: Vec<YearRow>,
    pub total: usize,
}

/// One month on a year's timeline page.
#[derive(Debug, Clone, Serialize)]
pub struct MonthSection<'a> {
    /// The anchor: `m-2024-03`; `m-2024` for incidents dated to the year only.
    pub id: String,
    pub label: String,
    pub count: usize,
    /// The month's incidents, oldest first, at most `TIMELINE_ROWS`.
    pub rows: Vec<&'a Shared>,
    /// The filtered list of all of them, when there are more than shown.
    pub more: Option<String>,
}

/// `/timeline/<year>/`.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineYearView<'a> {
    pub year: i32,
    pub count: usize,
    pub months: Vec<MonthSection<'a>>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub chart: Option<ChartView>,
}

/// `/map/`.
#[derive(Debug, Clone, Serialize)]
pub struct MapPageView {
    pub map: Option<MapView>,
    pub total: usize,
}
