//! Reading `site.yaml`: optional, decoded and parsed like a content file's front
//! matter into `RawConfig`, unknown keys reported (errors in strict runs). Resolving
//! the values is the model's job (`model::config`).

use super::raw::RawConfig;
use super::{front, source, unknown_key};
use crate::diag::{Diagnostics, Severity};
use std::path::Path;

/// The settings file, relative to the site root.
pub const FILE: &str = "site.yaml";

/// Read `<root>/site.yaml`; a missing file gives the defaults, a broken one the
/// defaults and its diagnostics.
pub fn read(root: &Path, strict: bool) -> Result<(RawConfig, Diagnostics), crate::fsx::FsError> {
    let file = Path::new(FILE);
    let mut diags = Diagnostics::default();
    let Some(bytes) = crate::fsx::read_optional(&root.join(file))? else {
        return Ok((RawConfig::default(), diags));
    };
    match source::decode(file, bytes).and_then(|t| front::parse_yaml::<RawConfig>(file, &t)) {
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
            Ok((parsed.value, diags))
        }
        Err(d) => {
            diags.push(d);
            Ok((RawConfig::default(), diags))
        }
    }
}
