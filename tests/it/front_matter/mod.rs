//! Reading a content file: the bytes and their encoding, the `---` fences, the YAML
//! inside them, and the keys and values an incident, group or weapon type may hold.
//! Every error points at the line and column in the file as written.

mod encoding;
mod fences;
mod keys;
mod yaml;
