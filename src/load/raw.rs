//! Raw front matter: what a file says, parsed permissively and not yet resolved. Every
//! value carries its position (`At<T>`) so the model can point at it. Enumerations stay
//! strings here; the model checks them so that one file can report several bad values.

use crate::diag::Pos;
use serde::Deserialize;

/// A content file's front matter, or a map inside it: a type whose unknown keys
/// `front::parse` reports.
pub trait FrontMatter: serde::de::DeserializeOwned {}

/// Declares a front matter map: every field optional, its `Deserialize` reading the
/// keys it knows and handing every other key to `front::note_unknown` (skipping its
/// value). This is what the derive and `serde_ignored` did, in one pass and without
/// the wrapper's cost on every value (docs/performance.md).
macro_rules! front_map {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$fmeta:meta])* pub $field:ident: Option<$ty:ty>,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: Option<$ty>,)*
        }

        impl FrontMatter for $name {}

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<super::front::Key>()? {
                            match key.0.as_str() {
                                $(stringify!($field) => out.$field = map.next_value()?,)*
                                _ => {
                                    super::front::note_unknown(key.0);
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                d.deserialize_struct(stringify!($name), FIELDS, V)
            }
        }
    };
}

/// A value and where it stands in the file (`Pos::FILE` when unknown).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> At<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        At { value, pos }
    }
}

pub type Text = At<String>;
pub type List<T> = At<Vec<At<T>>>;

/// A list item written either as a bare string or as a map (`- jnim` or `- {group: jnim}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Item<T> {
    Short(String),
    Full(T),
}

/// `fatalities: 12` or `fatalities: {best: 12, low: 10, high: 20}`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawFatalities {
    Count(u64),
    Range(RawRange),
}

front_map! {
    pub struct RawRange {
        pub best: Option<At<u64>>,
        pub low: Option<At<u64>>,
        pub high: Option<At<u64>>,
    }
}

/// `status: captured` or `status: [captured, displayed]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OneOrMany(pub Vec<Text>);

front_map! {
    pub struct RawIncident {
        pub title: Option<Text>,
        pub date: Option<Text>,
        pub date_end: Option<Text>,
        pub date_precision: Option<Text>,
        pub confidence: Option<Text>,
        pub event_type: Option<Text>,
        pub summary: Option<Text>,
        pub slug: Option<Text>,
        pub location: Option<At<RawLocation>>,
        pub groups: Option<List<Item<RawGroupRef>>>,
        pub weapons: Option<List<Item<RawObservation>>>,
        pub fatalities: Option<At<RawFatalities>>,
        pub sources: Option<List<Item<RawSource>>>,
        pub tags: Option<List<String>>,
        pub draft: Option<At<bool>>,
        pub updated: Option<Text>,
        pub import: Option<At<RawImport>>,
        pub media: Option<List<RawMedia>>,
    }
}

front_map! {
    /// `media: [{file: photo.jpg, alt: ..., caption: ..., shows: [rpg-7]}]`: an image
    /// beside the incident (a page bundle) or under `content/media/` (`@/media/x.jpg`).
    pub struct RawMedia {
        pub file: Option<Text>,
        pub alt: Option<Text>,
        pub caption: Option<Text>,
        pub credit: Option<Text>,
        pub date: Option<Text>,
        pub source: Option<Text>,
        pub shows: Option<List<String>>,
        pub sensitive: Option<At<bool>>,
    }
}

front_map! {
    /// `import: {source: acled, id: BFA1234}`: the data set row a file was imported from.
    pub struct RawImport {
        pub source: Option<Text>,
        pub id: Option<Text>,
    }
}

front_map! {
    pub struct RawLocation {
        pub name: Option<Text>,
        pub admin3: Option<Text>,
        pub admin2: Option<Text>,
        pub admin1: Option<Text>,
        pub country: Option<Text>,
        pub lat: Option<At<f64>>,
        pub lon: Option<At<f64>>,
        pub precision: Option<Text>,
    }
}

front_map! {
    pub struct RawGroupRef {
        pub group: Option<Text>,
        pub role: Option<Text>,
        pub attribution: Option<Text>,
    }
}

front_map! {
    pub struct RawObservation {
        pub weapon: Option<Text>,
        pub status: Option<At<OneOrMany>>,
        pub quantity: Option<At<u64>>,
        pub from: Option<Text>,
        pub to: Option<Text>,
        pub origin: Option<Text>,
        pub identification: Option<Text>,
        pub evidence: Option<List<String>>,
        pub note: Option<Text>,
    }
}

front_map! {
    pub struct RawSource {
        pub title: Option<Text>,
        pub url: Option<Text>,
        pub publisher: Option<Text>,
        pub date: Option<Text>,
        pub kind: Option<Text>,
        pub reliability: Option<Text>,
    }
}

front_map! {
    pub struct RawGroup {
        pub name: Option<Text>,
        pub short_name: Option<Text>,
        pub aliases: Option<List<String>>,
        pub former_names: Option<List<RawFormerName>>,
        pub actor_type: Option<Text>,
        pub parent: Option<Text>,
        pub founded: Option<Text>,
        pub countries: Option<List<String>>,
    }
}

front_map! {
    pub struct RawFormerName {
        pub name: Option<Text>,
        pub from: Option<Text>,
        pub to: Option<Text>,
    }
}

front_map! {
    pub struct RawWeapon {
        pub name: Option<Text>,
        pub category: Option<Text>,
        pub manufacturer: Option<Text>,
        pub origin: Option<Text>,
        pub calibre: Option<Text>,
        pub family: Option<Text>,
        pub parent: Option<Text>,
        pub ammunition: Option<List<String>>,
        pub aliases: Option<List<String>>,
    }
}

front_map! {
    pub struct RawPage {
        pub title: Option<Text>,
        pub slug: Option<Text>,
        pub summary: Option<Text>,
        pub draft: Option<At<bool>>,
        pub updated: Option<Text>,
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RawConfig {
    pub title: Option<Text>,
    pub base_url: Option<Text>,
    pub description: Option<Text>,
    pub language: Option<Text>,
    pub incidents_per_page: Option<At<u64>>,
    pub feed_limit: Option<At<u64>>,
    pub markdown: Option<At<RawMarkdown>>,
    pub weapon_categories: Option<List<String>>,
    pub views: Option<At<RawViews>>,
}

/// `views:` in site.yaml: each view on (the default) or off.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RawViews {
    pub map: Option<At<bool>>,
    pub charts: Option<At<bool>>,
    pub search: Option<At<bool>>,
    pub filters: Option<At<bool>>,
    pub matrix: Option<At<bool>>,
    pub timeline: Option<At<bool>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RawMarkdown {
    pub raw_html: Option<Text>,
}

/// `data/places.yaml`: the site's gazetteer, a list of places.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct RawPlaces(pub Vec<At<RawPlace>>);

/// One gazetteer entry: a name, its admin chain and its coordinates.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RawPlace {
    pub name: Option<Text>,
    /// `place` (default), `admin3`, `admin2`, `admin1` or `region`.
    pub level: Option<Text>,
    pub admin3: Option<Text>,
    pub admin2: Option<Text>,
    pub admin1: Option<Text>,
    pub country: Option<Text>,
    pub lat: Option<At<f64>>,
    pub lon: Option<At<f64>>,
    pub aliases: Option<List<String>>,
    pub source: Option<Text>,
    pub note: Option<Text>,
}
