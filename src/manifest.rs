//! The manifest of an output tree: for every file, its size, modification time and
//! BLAKE3 hash, kept in a file beside the tree (never inside it: the output stays
//! byte-identical across builds and publishes nothing extra). A rebuild compares a new
//! page's hash with the manifest and leaves an unchanged file alone without reading
//! it back; a file whose size or time no longer match its record is treated as
//! unknown and rewritten.

use std::collections::BTreeMap;
use std::fs::Metadata;
use std::io::Write;
use std::path::Path;

/// What casefile wrote at one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub size: u64,
    pub mtime_ns: u128,
    pub hash: [u8; 32],
}

/// Size and modification time of a file, as recorded.
pub fn stamp(meta: &Metadata) -> (u64, u128) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (meta.len(), mtime)
}

pub fn hash(bytes: &[u8]) -> [u8; 32] {
    *blake3::hash(bytes).as_bytes()
}

/// Read a tree's manifest; a missing or damaged one reads as empty (everything is
/// then rewritten once).
pub fn read(file: &Path) -> BTreeMap<String, Record> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return BTreeMap::new();
    };
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<(String, Record)> {
    let mut parts = line.splitn(4, ' ');
    let hex = parts.next()?;
    let size = parts.next()?.parse().ok()?;
    let mtime_ns = parts.next()?.parse().ok()?;
    let path = parts.next()?.to_string();
    let mut hash = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some((
        path,
        Record {
            size,
            mtime_ns,
            hash,
        },
    ))
}

/// Write a manifest, sorted by path. Paths with a line break are left out (such a
/// file is simply rewritten on every build).
pub fn write(file: &Path, records: &BTreeMap<String, Record>) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(records.len() * 120);
    for (path, r) in records.iter().filter(|(p, _)| !p.contains(['\n', '\r'])) {
        for b in r.hash {
            write!(out, "{b:02x}")?;
        }
        writeln!(out, " {} {} {}", r.size, r.mtime_ns, path)?;
    }
    std::fs::write(file, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_skips_damaged_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = BTreeMap::new();
        m.insert(
            "a b/index.html".to_string(),
            Record {
                size: 3,
                mtime_ns: 42,
                hash: hash(b"abc"),
            },
        );
        let file = dir.path().join("m");
        write(&file, &m).unwrap();
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str("zz 1 2 broken\n");
        std::fs::write(&file, text).unwrap();
        assert_eq!(read(&file), m);
    }
}
