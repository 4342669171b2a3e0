//! Reading `site.yaml` into `RawConfig` (through `yaml_file`). Resolving the values is
//! the model's job (`model::config`).

use super::raw::RawConfig;
use crate::diag::Diagnostics;
use std::path::Path;

/// The settings file, relative to the site root.
pub const FILE: &str = "site.yaml";

/// Read `<root>/site.yaml`; a missing file gives the defaults, a broken one the
/// defaults and its diagnostics.
pub fn read(root: &Path, strict: bool) -> Result<(RawConfig, Diagnostics), crate::fsx::FsError> {
    let (raw, diags) = super::yaml_file::read::<RawConfig>(root, Path::new(FILE), strict)?;
    Ok((raw.unwrap_or_default(), diags))
}
