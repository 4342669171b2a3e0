//! Authoring: the commands that write content rather than a site. `init` lays out a
//! new site from the starter in `assets/starter/`; `new` adds one incident, group,
//! weapon type or page, its references resolved as the build resolves them; `import`
//! makes incident files from a data set's spreadsheet (ACLED, UCDP GED, or any CSV with
//! a mapping). A new file is only ever created, never put over another; `import`
//! replaces only the files an earlier import wrote, and keeps what analysts added to
//! them. Nothing is written through a symbolic link.

mod files;
pub mod import;
pub mod init;
pub mod new;
