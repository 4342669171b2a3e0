//! Reading one optional YAML file of the site (`site.yaml`, `data/places.yaml`):
//! decoded and parsed like a content file's front matter, unknown keys reported
//! (errors in strict runs, warnings otherwise). What the file means is its caller's.

use super::{front, source, unknown_key};
use crate::diag::{Diagnostics, Severity};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Read `<root>/<file>`: `None` when there is none; a broken one gives `T::default()`
/// and its diagnostics.
pub fn read<T: DeserializeOwned + Default>(
    root: &Path,
    file: &Path,
    strict: bool,
) -> Result<(Option<T>, Diagnostics), crate::fsx::FsError> {
    let mut diags = Diagnostics::default();
    let Some(bytes) = crate::fsx::read_optional(&root.join(file))? else {
        return Ok((None, diags));
    };
    match source::decode(file, bytes).and_then(|t| front::parse_yaml::<T>(file, &t)) {
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
            Ok((Some(T::default()), diags))
        }
    }
}
