//! Reading the optional gazetteer `data/places.yaml` into `RawPlaces` (through
//! `yaml_file`). Resolving the entries and matching incidents to them is the model's
//! job (`model::places`).

use super::raw::RawPlaces;
use crate::diag::Diagnostics;
use std::path::Path;

/// The gazetteer file, relative to the site root.
pub const FILE: &str = "data/places.yaml";

/// Read `<root>/data/places.yaml`: `None` when there is none; a broken one gives no
/// places and its diagnostics.
pub fn read(
    root: &Path,
    strict: bool,
) -> Result<(Option<RawPlaces>, Diagnostics), crate::fsx::FsError> {
    super::yaml_file::read::<RawPlaces>(root, Path::new(FILE), strict)
}
