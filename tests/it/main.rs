//! The one integration test binary: a module per feature, a small fixture per case.

mod util;

mod browser;
mod defects;
mod example_site;
mod external;
mod features;
mod hostile;
mod incremental;
mod props;
mod serve;
