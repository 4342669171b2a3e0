//! Reading the optional gazetteer `data/places.yaml`: decoded and parsed like
//! `site.yaml` into `RawPlaces`, unknown keys reported. Resolving the entries and
//! matching incidents to them is the model's job (`model::places`).

use super::raw::RawPlaces;
use super::{front, source, unknown_key};
use crate::diag::{Diagnostics, Severity};
use std::path::Path;

/// The gazetteer file, relative to the site root.
pub const FILE: &str = "data/places.yaml";

/// Read `<root>/data/places.yaml`: `None` when there is none; a broken one gives no
/// places and its diagnostics.
pub fn read(
    root: &Path,
    strict: bool,
) -> Result<(Option<RawPlaces>, Diagnostics), crate::fsx::FsError> {
    let file = Path::new(FILE);
    let mut diags = Diagnostics::default();
    let Some(bytes) = crate::fsx::read_optional(&root.join(file))? else {
        return Ok((None, diags));
    };
    match source::decode(file, bytes).and_then(|t| front::parse_yaml::<RawPlaces>(file, &t)) {
        Ok(parsed) => {
            let sev = if strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            diags.extend(
                parsed
                    .unknown
                    .into_iter()
                    .map(|k| unknown_key(file, k, sev)),
            );
            Ok((Some(parsed.value), diags))
        }
        Err(d) => {
            diags.push(d);
            Ok((Some(RawPlaces::default()), diags))
        }
    }
}
