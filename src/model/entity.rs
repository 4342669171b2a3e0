//! The domain types: resolved incidents, groups, weapon types and pages, with typed ids
//! and closed enumerations. These are what the model hands to the renderer; they hold
//! no positions and no unresolved names.

use super::dates::{EventDate, FuzzyDate};
use crate::load::SourceFile;

macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The value as written in front matter and exports.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),* } }
            /// A human label for pages.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),* } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($text => Some($name::$variant),)* _ => None } }
            pub fn names() -> Vec<&'static str> { Self::ALL.iter().map(|v| v.as_str()).collect() }
        }
    };
}

vocab!(Precision { Day = "day" / "day", Days = "days" / "days", Week = "week" / "week", Month = "month" / "month", Year = "year" / "year" });
vocab!(Confidence { Confirmed = "confirmed" / "Confirmed", Reported = "reported" / "Reported", Claimed = "claimed" / "Claimed", Disputed = "disputed" / "Disputed" });
vocab!(EventType {
    Battle = "battle" / "Battle",
    Explosion = "explosion" / "Explosion / remote violence",
    ViolenceAgainstCivilians = "violence_against_civilians" / "Violence against civilians",
    StrategicDevelopment = "strategic_development" / "Strategic development",
    Protest = "protest" / "Protest",
    Riot = "riot" / "Riot",
});
vocab!(LocationPrecision { Exact = "exact" / "exact location", Near = "near" / "near the named place", Admin2 = "admin2" / "district level", Admin1 = "admin1" / "region level", Region = "region" / "wider region", Country = "country" / "country level" });
vocab!(Role { Attacker = "attacker" / "Attacker", Target = "target" / "Target", Participant = "participant" / "Participant", Claimant = "claimant" / "Claimant", Victim = "victim" / "Victim" });
vocab!(Attribution { Confirmed = "confirmed" / "confirmed", Claimed = "claimed" / "claimed", Suspected = "suspected" / "suspected" });
vocab!(Status {
    Used = "used" / "used", Captured = "captured" / "captured", Seized = "seized" / "seized",
    Recovered = "recovered" / "recovered", Surrendered = "surrendered" / "surrendered", Displayed = "displayed" / "displayed",
    Destroyed = "destroyed" / "destroyed", Damaged = "damaged" / "damaged", Abandoned = "abandoned" / "abandoned",
    Documented = "documented" / "documented",
});
vocab!(Identification { Reported = "reported" / "reported", Visual = "visual" / "visual", Examined = "examined" / "examined" });
vocab!(SourceKind {
    News = "news" / "news", Aggregator = "aggregator" / "aggregator", Ngo = "ngo" / "NGO", Official = "official" / "official",
    PartyClaim = "party_claim" / "party claim", SocialMedia = "social_media" / "social media", Field = "field" / "field",
});
vocab!(Reliability { High = "high" / "high", Medium = "medium" / "medium", Low = "low" / "low", Unknown = "unknown" / "unknown" });
vocab!(ActorType {
    StateForces = "state_forces" / "State forces", RebelGroup = "rebel_group" / "Rebel group",
    PoliticalMilitia = "political_militia" / "Political militia", IdentityMilitia = "identity_militia" / "Identity militia",
    External = "external" / "External force", Civilians = "civilians" / "Civilians", Other = "other" / "Other",
});
vocab!(RawHtml { Sanitize = "sanitize" / "sanitize", Trusted = "trusted" / "trusted" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeaponId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId(pub u32);

#[derive(Debug, Clone)]
pub struct Location {
    pub name: Option<String>,
    pub admin3: Option<String>,
    pub admin2: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision: Option<LocationPrecision>,
    /// The gazetteer place the coordinates come from, when the content gave none.
    pub place: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Involvement {
    pub group: GroupId,
    pub role: Role,
    pub attribution: Option<Attribution>,
}

#[derive(Debug, Clone)]
pub struct Observation {
    pub weapon: WeaponId,
    pub statuses: Vec<Status>,
    pub quantity: Option<u64>,
    pub from: Option<GroupId>,
    pub to: Option<GroupId>,
    pub origin: Option<String>,
    pub identification: Option<Identification>,
    pub evidence: Vec<String>,
    pub note: Option<String>,
}

/// An image listed under `media:`: a file under `content/` and what the front matter
/// says of it (nothing is taken from inside the file).
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// Path relative to `content/`, with `/` separators (`incidents/2024/k/rpg.jpg`).
    pub file: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub date: Option<FuzzyDate>,
    /// Where the image came from: an http(s) link, or a description.
    pub source: Option<String>,
    /// Weapon types the image shows, in the order written, without repeats.
    pub shows: Vec<WeaponId>,
    /// Shown blurred behind a content warning; never a thumbnail or in the feed.
    pub sensitive: bool,
    /// Where the entry's `file:` stands in the incident's file (for image errors).
    pub pos: crate::diag::Pos,
}

#[derive(Debug, Clone, Copy)]
pub struct Fatalities {
    pub best: Option<u64>,
    pub low: Option<u64>,
    pub high: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<FuzzyDate>,
    pub kind: Option<SourceKind>,
    pub reliability: Option<Reliability>,
}

#[derive(Debug, Clone)]
pub struct Incident {
    pub slug: String,
    pub file: SourceFile,
    pub title: String,
    pub date: EventDate,
    pub confidence: Confidence,
    pub event_type: Option<EventType>,
    pub summary: Option<String>,
    pub location: Option<Location>,
    pub groups: Vec<Involvement>,
    pub weapons: Vec<Observation>,
    pub fatalities: Option<Fatalities>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub updated: Option<FuzzyDate>,
    /// The data set row it was imported from (`casefile import`).
    pub import: Option<ImportRef>,
    pub media: Vec<Media>,
}

/// `import: {source, id}`: a data set's short name and the row's id in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRef {
    pub source: String,
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct FormerName {
    pub name: String,
    pub from: Option<FuzzyDate>,
    pub to: Option<FuzzyDate>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub file: SourceFile,
    pub name: String,
    pub short_name: Option<String>,
    pub aliases: Vec<String>,
    pub former_names: Vec<FormerName>,
    pub actor_type: Option<ActorType>,
    pub parent: Option<GroupId>,
    pub founded: Option<FuzzyDate>,
    pub countries: Vec<String>,
}

impl Group {
    /// The name for lists and tables.
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// A weapon category: its canonical words (`assault rifle`) and URL slug.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Category {
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone)]
pub struct Weapon {
    pub id: String,
    pub file: SourceFile,
    pub name: String,
    pub category: Category,
    pub manufacturer: Option<String>,
    pub origin: Option<String>,
    pub calibre: Option<String>,
    pub family: Option<String>,
    pub parent: Option<WeaponId>,
    pub ammunition: Vec<WeaponId>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub file: SourceFile,
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    pub updated: Option<FuzzyDate>,
}
