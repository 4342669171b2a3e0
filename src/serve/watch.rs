//! Watching the site for changes: content/, templates/, static/, data/ and site.yaml, through
//! notify with a debouncer. It owns the rule for which paths matter (editor temp files
//! and everything else under the site folder do not) and re-attaches the watches when
//! a watched folder is deleted and created again (`rm -rf content && git restore`).

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// The folders watched recursively.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "data"];

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: PathBuf,
}

impl Watcher {
    /// Watch `root`, sending each debounced batch of relevant changed paths (relative
    /// to the site) to `tx`, and counting each batch sent in `pending`.
    pub fn start(
        root: &Path,
        debounce: Duration,
        tx: Sender<Vec<PathBuf>>,
        pending: Arc<AtomicUsize>,
    ) -> notify_debouncer_full::notify::Result<Watcher> {
        let root_abs = crate::fsx::canonical_lenient(root);
        let base = root_abs.clone();
        let debouncer = new_debouncer(debounce, None, move |res: DebounceEventResult| {
            let paths: Vec<PathBuf> = match res {
                // Reading a file (casefile's own builds do) is not a change.
                Ok(events) => events
                    .iter()
                    .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                    .flat_map(|e| e.paths.iter())
                    .filter_map(|p| relevant(&base, p))
                    .collect(),
                // Lost events (queue overflow): rebuild everything to be safe.
                Err(_) => vec![PathBuf::from("site.yaml")],
            };
            if !paths.is_empty() {
                pending.fetch_add(1, Ordering::SeqCst);
                if tx.send(paths).is_err() {
                    pending.fetch_sub(1, Ordering::SeqCst);
                }
            }
        })?;
        let mut w = Watcher {
            debouncer,
            root: root_abs,
        };
        w.debouncer.watch(&w.root, RecursiveMode::NonRecursive)?;
        w.rewatch();
        Ok(w)
    }

    /// Attach (again) the recursive watches of the folders that exist now.
    pub fn rewatch(&mut self) {
        for dir in WATCHED_DIRS {
            let p = self.root.join(dir);
            if p.is_dir() {
                let _ = self.debouncer.unwatch(&p);
                let _ = self.debouncer.watch(&p, RecursiveMode::Recursive);
            }
        }
    }
}

/// The path relative to the site when a change to it can change the site, else `None`.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let watched = match first {
        "site.yaml" => parts.next().is_none(),
        d if WATCHED_DIRS.contains(&d) => true,
        _ => false,
    };
    let name = rel.file_name()?.to_str()?;
    (watched && !is_temp_file(name)).then(|| rel.to_path_buf())
}

/// Files editors write next to the real one while saving: vim (`.swp`, `.swx`, `4913`,
/// `name~`), emacs (`#name#`, `.#name`), `.bck`, GNOME (`.goutputstream-*`), JetBrains
/// (`___jb_tmp___`, `___jb_old___`), and macOS `.DS_Store`.
pub fn is_temp_file(name: &str) -> bool {
    name == "4913"
        || name == ".DS_Store"
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".bck")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".goutputstream")
        || name.contains("___jb_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_and_other_folders_do_not_count() {
        let root = Path::new("/site");
        let r = |p: &str| relevant(root, &root.join(p));
        assert!(r("content/incidents/a.md").is_some());
        assert!(r("templates/incident.html").is_some());
        assert!(r("static/logo.svg").is_some());
        assert!(r("site.yaml").is_some());
        assert!(r("content").is_some());
        for ignored in [
            "public/index.html",
            ".git/index",
            "target/x",
            "content/incidents/.a.md.swp",
            "content/incidents/a.md~",
            "content/incidents/4913",
            "content/incidents/#a.md#",
            "content/incidents/.#a.md",
            "content/incidents/a.md.bck",
            "content/incidents/.goutputstream-XYZ12",
            "content/incidents/a.md___jb_tmp___",
            "site.yaml.swp",
            "site.yaml/x",
        ] {
            assert!(r(ignored).is_none(), "{ignored}");
        }
        assert!(relevant(root, Path::new("/elsewhere/content/a.md")).is_none());
    }
}
