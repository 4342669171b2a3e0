//! Diagnostics: the one shape every content problem takes, from the loader to the
//! renderer. A diagnostic names the file (relative to the site root), a 1-based line and
//! column counted in the original file, a stable code, a message and an optional hint.
//! This module only holds and orders them; printing belongs to the binary.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Errors stop the pipeline before the next stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A stable, documented diagnostic code: `E0103` plus a kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
}

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal;)*) => {
        /// Every code casefile emits; docs/diagnostics.md lists them.
        pub mod code {
            use super::Code;
            $(pub const $konst: Code = Code { id: $id, name: $name };)*
            /// All codes, for the docs test.
            pub const ALL: &[Code] = &[$($konst),*];
        }
    };
}

codes! {
    IO = "E0001" "io";
    TOO_LARGE = "E0002" "file-too-large";
    ENCODING = "E0003" "encoding";
    CONTROL_CHAR = "E0004" "control-character";
    NO_FRONT_MATTER = "E0010" "no-front-matter";
    UNCLOSED_FRONT_MATTER = "E0011" "unclosed-front-matter";
    BAD_FENCE = "E0012" "bad-fence";
    YAML = "E0020" "yaml-syntax";
    YAML_TYPE = "E0021" "yaml-type";
    TAB_INDENT = "E0022" "tab-indentation";
    DUPLICATE_KEY = "E0023" "duplicate-key";
    YAML_LIMIT = "E0024" "yaml-limit";
    YAML_TAG = "E0025" "yaml-tag";
    UNKNOWN_KEY = "E0030" "unknown-key";
    MISSING_FIELD = "E0031" "missing-field";
    EMPTY_FIELD = "E0032" "empty-field";
    BAD_VALUE = "E0033" "invalid-value";
    BAD_DATE = "E0040" "invalid-date";
    DATE_ORDER = "E0041" "date-order";
    BAD_COORDINATE = "E0042" "invalid-coordinate";
    BAD_URL = "E0043" "invalid-url";
    BAD_SLUG = "E0050" "invalid-slug";
    DUPLICATE_ID = "E0051" "duplicate-id";
    URL_COLLISION = "E0052" "url-collision";
    UNKNOWN_GROUP = "E0103" "unknown-group";
    UNKNOWN_WEAPON = "E0104" "unknown-weapon";
    AMBIGUOUS_NAME = "E0105" "ambiguous-name";
    PARENT_CYCLE = "E0106" "parent-cycle";
    UNKNOWN_CATEGORY = "E0107" "unknown-category";
    BROKEN_LINK = "E0110" "broken-content-link";
    BROKEN_FRAGMENT = "E0111" "broken-fragment";
    BROKEN_OUTPUT_LINK = "E0112" "broken-link";
    EXTERNAL_LINK = "E0113" "broken-external-link";
    UNSOURCED = "E0120" "unsourced-confirmed";
    DUPLICATE_SOURCE = "E0121" "duplicate-source";
    HOLDER_NOT_INVOLVED = "E0122" "holder-not-involved";
    ORPHAN = "E0123" "unreferenced";
    UNPLACED = "E0124" "no-coordinates";
    SHOWN_NOT_LISTED = "E0125" "shown-not-listed";
    MISSING_MEDIA = "E0130" "missing-media";
    BAD_IMAGE = "E0131" "bad-image";
    IMAGE_LOCATION = "E0132" "image-location";
    TEMPLATE = "E0200" "template";
    RENDER_PANIC = "E0201" "render-failure";
    CONFIG = "E0300" "config";
    STATIC_FILE = "E0301" "static-file";
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the site root, with `/` separators.
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: u32,
    /// 1-based, counted in characters; 0 when unknown.
    pub col: u32,
    /// How many characters from `col` are at fault (a link's URL); 0 when unknown, and
    /// the presenter marks the word at `col`.
    pub len: u32,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_path_buf(),
            line: pos.line,
            col: pos.col,
            len: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: Code, file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(code, file, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Mark `len` characters from the column (0: unknown).
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = u32::try_from(len).unwrap_or(u32::MAX);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&Path, u32, u32, Severity, &str, &str) {
        (
            &self.file,
            self.line,
            self.col,
            self.severity,
            self.code.id,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error[E0103]: message` then an indented `hint:` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        write!(f, ": {sev}[{}]: {}", self.code.id, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A 1-based position in a file; `Pos::FILE` (0:0) means "the whole file".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const FILE: Pos = Pos { line: 0, col: 0 };
    pub const START: Pos = Pos { line: 1, col: 1 };

    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }

    pub fn is_known(self) -> bool {
        self.line > 0
    }

    /// `self` when known, else `other`.
    pub fn or(self, other: Pos) -> Pos {
        if self.is_known() { self } else { other }
    }
}

/// A bag of diagnostics collected across a stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorted by file, line, column, then severity and code; duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self.0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Turn every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// The closest candidates to `wanted` among `candidates`, best first (for "did you mean").
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let c_low = c.to_lowercase();
            // Jaro-Winkler favours shared prefixes; Damerau-Levenshtein catches swapped
            // letters in short names (`jmin` for `jnim`).
            let score = strsim::jaro_winkler(&wanted, &c_low)
                .max(strsim::normalized_damerau_levenshtein(&wanted, &c_low) + 0.25);
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `did you mean `a`, `b`?` or a fallback hint.
pub fn did_you_mean<S: AsRef<str>>(candidates: &[S]) -> Option<String> {
    if candidates.is_empty() {
        return None;
    }
    // Candidates already formatted with backticks ("`JNIM` (id `jnim`)") are kept.
    let list: Vec<String> = candidates
        .iter()
        .map(|c| c.as_ref())
        .map(|c| {
            if c.contains('`') {
                c.to_string()
            } else {
                format!("`{c}`")
            }
        })
        .collect();
    Some(format!("did you mean {}?", list.join(", ")))
}

/// The source line a diagnostic points at (tabs as spaces), read from the file again;
/// `None` for whole-file diagnostics, unreadable files and very long lines.
pub fn source_line(root: &Path, d: &Diagnostic) -> Option<String> {
    if d.line == 0 {
        return None;
    }
    let text = crate::fsx::read_limited(&root.join(&d.file)).ok()?;
    let text = String::from_utf8_lossy(&text);
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    text.split('\n')
        .nth(d.line as usize - 1)
        .map(|l| l.replace('\t', " "))
        .filter(|l| l.len() < 2000)
}
