//! The one integration test binary: a module per feature, a small fixture per case.
//!
//! Most tests build a throwaway site in a temp folder: `Site::basic()` (two groups, two
//! weapon types), a copy of a fixture folder under `tests/fixtures/` (`Site::fixture`),
//! or files written by the test itself. Tests of hostile input say in their doc comment
//! what they try and what must happen. Snapshots (insta) live in `snapshots/`; after a
//! deliberate change, `INSTA_UPDATE=always cargo test --test it <module>::` rewrites
//! them, and the diff of the .snap file is what to review. CI (`CI=true`) never writes
//! snapshots: a missing or different one fails.
// Tests may unwrap and panic (STYLE.md); helpers outside `#[test]` functions need this.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

// The content format.
mod aliases;
mod categories;
mod confidence;
mod custody;
mod dates;
mod front_matter;
mod links;

// The build.
mod determinism;
mod limits;
mod output_lock;
mod output_swap;
mod site_folder;
mod urls;

// What the build writes.
mod exports;
mod feeds;
mod media;
mod pages;
mod sanitize;
mod theme;
mod views;

// The commands.
mod author;
mod check;
mod cli;
mod external;
mod import;
mod serve;

// The example site, the preview's fast paths, property tests, a real browser.
mod browser;
mod defects;
mod example_site;
mod incremental;
mod layering;
mod props;
