//! `casefile init DIR`: a new site that builds and checks as it is. The starter files
//! live in `assets/starter/` (embedded here); `{{title}}` becomes a title made from
//! the folder's name and `{{version}}` this casefile's version.

use super::files::{self, FileError, Outcome};
use std::path::{Path, PathBuf};

/// The starter site: path in the new site, text.
const STARTER: &[(&str, &str)] = &[
    ("site.yaml", include_str!("../../assets/starter/site.yaml")),
    ("README.md", include_str!("../../assets/starter/README.md")),
    (
        ".gitignore",
        include_str!("../../assets/starter/.gitignore"),
    ),
    (
        ".github/workflows/casefile.yml",
        include_str!("../../assets/starter/.github/workflows/casefile.yml"),
    ),
    (
        "content/incidents/2024/2024-03-22-kalamba-arms-capture.md",
        include_str!(
            "../../assets/starter/content/incidents/2024/2024-03-22-kalamba-arms-capture.md"
        ),
    ),
    (
        "content/groups/jnim.md",
        include_str!("../../assets/starter/content/groups/jnim.md"),
    ),
    (
        "content/weapons/rpg-7.md",
        include_str!("../../assets/starter/content/weapons/rpg-7.md"),
    ),
    (
        "content/pages/about.md",
        include_str!("../../assets/starter/content/pages/about.md"),
    ),
];

/// Why `init` wrote nothing, or stopped.
#[derive(Debug)]
pub enum InitError {
    /// The folder holds files already, and `--force` was not given.
    NotEmpty(PathBuf),
    /// The path exists and is not a folder.
    NotAFolder(PathBuf),
    File(FileError),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(p) => write!(
                f,
                "{} is not empty; choose a new folder, or add --force to add the starter \
                 files that are missing (no existing file is overwritten)",
                p.display()
            ),
            InitError::NotAFolder(p) => write!(f, "{} exists and is not a folder", p.display()),
            InitError::File(e) => write!(f, "{e}"),
        }
    }
}

/// What `init` did, file by file (paths relative to the new site).
#[derive(Debug, Default)]
pub struct InitReport {
    pub written: Vec<String>,
    /// Files that were there already (with `--force`), left untouched.
    pub kept: Vec<String>,
}

/// Lay out a new site in `dir`, creating it if needed. A folder with anything in it is
/// refused unless `force`; even then no existing file is replaced.
pub fn init(dir: &Path, force: bool) -> Result<InitReport, InitError> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => return Err(InitError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(|e| file_error(dir, e.to_string()))?;
            if entries.next().is_some() && !force {
                return Err(InitError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(_) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| file_error(dir, format!("cannot create folder: {e}")))?;
        }
    }
    let title = title_of(dir);
    let mut report = InitReport::default();
    for (rel, text) in STARTER {
        let text = fill(text, &title);
        match files::create(dir, Path::new(rel), &text).map_err(InitError::File)? {
            Outcome::Written => report.written.push((*rel).to_string()),
            Outcome::Kept => report.kept.push((*rel).to_string()),
        }
    }
    Ok(report)
}

fn file_error(path: &Path, message: String) -> InitError {
    InitError::File(FileError {
        path: path.to_path_buf(),
        message,
    })
}

/// The starter's placeholders filled in.
fn fill(text: &str, title: &str) -> String {
    text.replace("{{title}}", title)
        .replace("{{version}}", env!("CARGO_PKG_VERSION"))
}

/// A site title from a folder name: `my-monitor` -> "My Monitor". It goes into a
/// double-quoted YAML string and into Markdown, so quotes, backslashes and markup
/// characters are dropped from it.
pub fn title_of(dir: &Path) -> String {
    let name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(|c: char| c == '-' || c == '_' || c == '.' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let clean: String = w
                .chars()
                .filter(|c| {
                    !matches!(
                        c,
                        '"' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '{' | '}'
                    )
                })
                .filter(|c| !c.is_control())
                .collect();
            let mut cs = clean.chars();
            match cs.next() {
                Some(first) => first.to_uppercase().chain(cs).collect(),
                None => String::new(),
            }
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "Conflict Monitor".into()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(title_of(Path::new("/tmp/x/my-monitor")), "My Monitor");
        assert_eq!(title_of(Path::new("sahel_arms.watch")), "Sahel Arms Watch");
        assert_eq!(title_of(Path::new("a\"b\\c")), "Abc");
        assert_eq!(title_of(Path::new("---")), "Conflict Monitor");
    }

    #[test]
    fn every_placeholder_is_filled() {
        for (rel, text) in STARTER {
            let out = fill(text, "T");
            // `${{ ... }}` is GitHub Actions' own syntax, left as it is.
            let ours = out.replace("${{", "");
            assert!(!ours.contains("{{"), "{rel}");
        }
    }
}
