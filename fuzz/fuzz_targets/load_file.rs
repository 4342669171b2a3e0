//! Arbitrary bytes as one content file of each kind: the loader must return a value or
//! a located diagnostic, never panic, and keep positions inside the file.
#![no_main]

use casefile::diag::Diagnostic;
use casefile::load::parse_text;
use casefile::load::raw::{RawGroup, RawIncident, RawWeapon};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fn diags<T>(r: Result<(T, Vec<Diagnostic>), Diagnostic>) -> Vec<Diagnostic> {
    match r {
        Ok((_, w)) => w,
        Err(d) => vec![d],
    }
}

fuzz_target!(|data: &[u8]| {
    let rel = Path::new("content/incidents/f.md");
    let lines = data.iter().filter(|b| **b == b'\n' || **b == b'\r').count() as u32 + 1;
    let mut all = diags(parse_text::<RawIncident>(
        rel,
        Path::new("incidents/f.md"),
        data.to_vec(),
        true,
    ));
    all.extend(diags(parse_text::<RawGroup>(
        rel,
        Path::new("groups/f.md"),
        data.to_vec(),
        false,
    )));
    all.extend(diags(parse_text::<RawWeapon>(
        rel,
        Path::new("weapons/f.md"),
        data.to_vec(),
        false,
    )));
    for d in all {
        assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
    }
});
