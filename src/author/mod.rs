//! Authoring: the commands that write content rather than a site. `init` lays out a
//! new site from the starter in `assets/starter/`; `new` adds one incident, group,
//! weapon type or page, its references resolved as the build resolves them. Every
//! file is created new: an existing file is never overwritten, and nothing is written
//! through a symbolic link.

mod files;
pub mod init;
pub mod new;
