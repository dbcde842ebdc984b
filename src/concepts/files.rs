//! Glossary files: the shipped glossary and the TSV and TOML readers (formats in the
//! [module docs](super)), with errors naming the file and line.
//!
//! ```
//! let g = duibi::concepts::Glossary::from_tsv_str("id\tcategory\tlabel_en\tlabel_zh\tforms_zh\tforms_en\nban\tpolicy\t\t\t禁令\tban|bans\n", "mine.tsv").unwrap();
//! assert_eq!(g.get("ban").unwrap().forms_en, ["ban", "bans"]);
//! let err = duibi::concepts::Glossary::from_tsv_str("ban\tpolicy\t\t\t\t\n", "mine.tsv").unwrap_err();
//! assert!(err.to_string().starts_with("mine.tsv:1:"));
//! ```

use super::concept::Concept;
use super::glossary::{Glossary, GlossaryError};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::path::Path;

pub(super) const SHIPPED_TSV: &str = include_str!("../../data/concepts/default.tsv");

/// Builds a glossary from entries read from one file, checking ids and forms.
struct FileBuilder<'a> {
    file: &'a str,
    glossary: Glossary,
    id_line: FxHashMap<String, usize>,
    form_owner: FxHashMap<String, (usize, usize)>,
}

impl<'a> FileBuilder<'a> {
    fn new(file: &'a str) -> Self {
        FileBuilder {
            file,
            glossary: Glossary::default(),
            id_line: FxHashMap::default(),
            form_owner: FxHashMap::default(),
        }
    }

    fn err(&self, line: usize, msg: impl Into<String>) -> GlossaryError {
        GlossaryError::Parse {
            file: self.file.to_owned(),
            line,
            msg: msg.into(),
        }
    }

    fn push(&mut self, mut c: Concept, line: usize) -> Result<(), GlossaryError> {
        c.normalize_and_check().map_err(|m| self.err(line, m))?;
        if let Some(first) = self.id_line.get(&c.id) {
            return Err(self.err(
                line,
                format!(
                    "duplicate concept id {:?} (first defined on line {first})",
                    c.id
                ),
            ));
        }
        let idx = self.glossary.concepts.len();
        for f in c.forms() {
            if let Some(&(other, other_line)) = self.form_owner.get(f) {
                let other_id = &self.glossary.concepts[other].id;
                return Err(self.err(
                    line,
                    format!(
                        "form {f:?} of {:?} already belongs to {other_id:?} (line {other_line})",
                        c.id
                    ),
                ));
            }
        }
        for f in c.forms() {
            self.form_owner.insert(f.to_owned(), (idx, line));
        }
        self.id_line.insert(c.id.clone(), line);
        self.glossary.by_id.insert(c.id.clone(), idx);
        self.glossary.concepts.push(c);
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    concept: Vec<TomlConcept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlConcept {
    id: toml::Spanned<String>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    label_en: String,
    #[serde(default)]
    label_zh: String,
    #[serde(default)]
    forms_zh: Vec<String>,
    #[serde(default)]
    forms_en: Vec<String>,
}

fn line_of(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn split_forms(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Glossary {
    /// The curated default glossary shipped with duibi (`data/concepts/default.tsv`).
    pub fn shipped() -> Self {
        // The shipped file is checked by the tests; never fail at run time.
        Self::from_tsv_str(SHIPPED_TSV, "data/concepts/default.tsv").unwrap_or_default()
    }

    /// Reads a glossary file: TOML when the extension is `.toml`, TSV otherwise.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, GlossaryError> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| GlossaryError::Io {
            file: file.clone(),
            err,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| GlossaryError::Parse {
            line: line_of(
                &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
                usize::MAX,
            ),
            file: file.clone(),
            msg: "not valid UTF-8".into(),
        })?;
        let is_toml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if is_toml {
            Self::from_toml_str(&text, &file)
        } else {
            Self::from_tsv_str(&text, &file)
        }
    }

    /// Parses the TSV format (see the module docs). `file` names the source in errors.
    pub fn from_tsv_str(text: &str, file: &str) -> Result<Self, GlossaryError> {
        let mut b = FileBuilder::new(file);
        let mut seen_data = false;
        for (n, raw) in text.lines().enumerate() {
            let line = n + 1;
            let l = if n == 0 {
                raw.trim_start_matches('\u{feff}')
            } else {
                raw
            };
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            if !seen_data && cols[0].eq_ignore_ascii_case("id") {
                seen_data = true;
                continue;
            }
            seen_data = true;
            if cols.len() < 5 || cols.len() > 6 {
                let hint = if cols.len() == 1 {
                    " (columns must be separated by tabs)"
                } else {
                    ""
                };
                return Err(b.err(
                    line,
                    format!(
                        "expected 6 tab-separated columns (id, category, label_en, label_zh, forms_zh, forms_en), found {}{hint}",
                        cols.len()
                    ),
                ));
            }
            let c = Concept {
                id: cols[0].to_owned(),
                category: cols[1].to_owned(),
                label_en: cols[2].to_owned(),
                label_zh: cols[3].to_owned(),
                forms_zh: split_forms(cols[4]),
                forms_en: cols.get(5).map(|f| split_forms(f)).unwrap_or_default(),
            };
            b.push(c, line)?;
        }
        Ok(b.glossary)
    }

    /// Parses the TOML format (see the module docs). `file` names the source in errors.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Self, GlossaryError> {
        let parsed: TomlFile = toml::from_str(text).map_err(|e| GlossaryError::Parse {
            file: file.to_owned(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            msg: e.message().trim().replace('\n', " "),
        })?;
        let mut b = FileBuilder::new(file);
        for tc in parsed.concept {
            let line = line_of(text, tc.id.span().start);
            let c = Concept {
                id: tc.id.into_inner(),
                category: tc.category,
                label_en: tc.label_en,
                label_zh: tc.label_zh,
                forms_zh: tc.forms_zh,
                forms_en: tc.forms_en,
            };
            b.push(c, line)?;
        }
        Ok(b.glossary)
    }
}
