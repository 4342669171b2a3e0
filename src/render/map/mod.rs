//! Maps of incidents, drawn at build time as inline SVG: no JavaScript, no tiles, no
//! request to anyone. The country outlines and their names are `world`'s; the framing
//! and projection `projection`'s.

pub mod projection;
pub mod world;
