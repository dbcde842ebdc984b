//! Bilingual concepts: a glossary that maps Chinese and English surface forms to one
//! concept, and a matcher that finds those concepts in tokenized text.
//!
//! A *concept* (`mining`, `hash_rate`, `crackdown`, `kazakhstan` …) has a stable id, a
//! category, an English and a Chinese label, and surface forms in both languages:
//! `mining_farm` ← 矿场, 矿厂, mining farm, mining farms, mines. Counting concepts instead
//! of words lets a Chinese-language group and an English-language group be compared on
//! the same scale.
//!
//! # Glossary files
//!
//! duibi ships a curated glossary for the 2021 crypto-mining story
//! (`data/concepts/default.tsv`, [`Glossary::shipped`]); users add their own with
//! [`Glossary::from_path`] and [`Glossary::merge`]. Two formats are accepted.
//!
//! **TSV** (any extension but `.toml`): one concept a line, six tab-separated columns
//! (shown as `→`)
//!
//! ```text
//! id→category→label_en→label_zh→forms_zh→forms_en
//! mining_farm→mining→mining farm→矿场→矿场|矿厂→mining farm|mining farms|mines
//! ```
//!
//! * forms are separated by `|`; surrounding spaces and empty items are ignored;
//! * a first line whose first column is `id` is a header and is skipped; blank lines and
//!   lines starting with `#` are ignored; a missing sixth column means "no English forms";
//! * `category` defaults to `other`, `label_en` to the id and `label_zh` to the first
//!   Chinese form (or the English label) when left empty.
//!
//! **TOML**: an array of `[[concept]]` tables with the same fields (unknown keys are errors):
//!
//! ```toml
//! [[concept]]
//! id = "mining_farm"
//! category = "mining"
//! label_en = "mining farm"
//! label_zh = "矿场"
//! forms_zh = ["矿场", "矿厂"]
//! forms_en = ["mining farm", "mining farms", "mines"]
//! ```
//!
//! In both formats every concept needs at least one form, ids are unique, and one form
//! may not belong to two concepts of the same file: these are errors, reported with the
//! file name and line number (`user.tsv:7: …`).
//!
//! # Writing forms
//!
//! * **Chinese**: write Simplified characters. Forms and text are both converted to
//!   Simplified ([`crate::lang::to_simplified_in_place`]), so `監管` in a Traditional text
//!   matches the form `监管`; Traditional forms in a glossary work as well.
//! * **English**: case does not matter. There is no stemming: write plurals and
//!   inflections out (`miner|miners`, `ban|bans|banned`). The only automatic variant is
//!   the possessive: a form whose last word ends in a Latin letter also matches with
//!   `'s` or `’s` on that word (`China's`, `Bitcoin’s`).
//! * Forms are cut with the same [`Tokenizer`] as the text, so a multi-word form
//!   (`mining farm`, `proof of work`) matches the same token sequence in the text.
//!   Hyphens and punctuation are not tokens: `hash-rate` and `hash rate` are one form.
//!
//! # Matching
//!
//! [`ConceptMatcher::find`] reports **leftmost-longest, non-overlapping** matches: at each
//! token it takes the longest form starting there, then continues after it, so
//! `mining farm` is one hit of `mining_farm`, not `mining` + a stray `farm`. Rules:
//!
//! * Chinese is matched on *characters*, not on jieba's cut: consecutive Chinese tokens
//!   are joined before comparison, so the form `虚拟货币` matches whether the text was cut
//!   as `虚拟货币` or `虚拟 + 货币`. A match must still start and end at token
//!   boundaries (`矿场主` does not contain the form `矿场`). Adding the glossary's
//!   Chinese words to jieba ([`Glossary::zh_words`] with
//!   [`crate::tokenize::TokenizerBuilder::words`]) keeps domain words whole for the
//!   term tables, but is not needed for matching.
//! * Other tokens are compared term by term (lowercased, as the tokenizer makes them).
//! * Stopword tokens are **not** skipped: they take part in matching like any token, so
//!   a form matches only the exact contiguous sequence (`mining and farm` is not
//!   `mining farm`; `proof of work` needs its `of`). Write forms without a leading
//!   article: `fed`, not `the Fed`.
//! * A match does not run across punctuation: two Chinese tokens join only when they
//!   touch, other tokens only when at most one byte (a space, a hyphen) separates them —
//!   so `mining, farm`, `mining. Farm` or `矿，场` are no match.
//!
//! Hits give token indices **inclusive at both ends**: `buf.tokens()[hit.first as
//! usize..=hit.last as usize]`.
//!
//! When two concepts end up with the same form after normalization (possible only across
//! merged glossaries or when two spellings tokenize alike), the concept that comes first
//! in the glossary keeps it; [`ConceptMatcher::conflicts`] lists those cases.
//!
//! # Example
//!
//! ```
//! use duibi::concepts::{ConceptMatcher, Glossary};
//! use duibi::tokenize::Tokenizer;
//!
//! let glossary = Glossary::shipped();
//! let tok = Tokenizer::builder().words(glossary.zh_words()).build().unwrap();
//! let matcher = ConceptMatcher::new(&glossary, &tok);
//!
//! let (_, buf) = tok.tokenize("監管整頓礦場 — the hash rate moved to Texas");
//! let mut hits = Vec::new();
//! matcher.find(&buf, &mut hits);
//! let ids: Vec<&str> = hits.iter().map(|h| matcher.id(h.concept)).collect();
//! assert_eq!(ids, ["regulation", "crackdown", "mining_farm", "hash_rate", "texas"]);
//! // "hash rate" is one hit covering two tokens.
//! assert_eq!(hits[3].last - hits[3].first, 1);
//! ```

use crate::lang::Lang;
use crate::lang::{self, Script};
use crate::tokenize::{Prepared, TokenBuf, Tokenizer};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::path::Path;

const SHIPPED_TSV: &str = include_str!("../data/concepts/default.tsv");

/// Errors raised while reading a glossary. Messages are one line, prefixed with the
/// file name and, where known, the line number.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    /// The file could not be read.
    #[error("{file}: {err}")]
    Io {
        /// Path of the file.
        file: String,
        /// The I/O error.
        #[source]
        err: std::io::Error,
    },
    /// A line or entry of the glossary is malformed.
    #[error("{file}:{line}: {msg}")]
    Parse {
        /// File name (or the name given to `from_*_str`).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A concept added with [`Glossary::add`] is invalid.
    #[error("concept {id:?}: {msg}")]
    Invalid {
        /// The concept's id.
        id: String,
        /// What is wrong.
        msg: String,
    },
}

/// One concept as written in a glossary. Labels and category may be empty, meaning
/// "use the default" (see [`Concept::info`]). Forms are stored normalized: NFKC,
/// Chinese in Simplified characters, English lowercased, inner whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Stable identifier, e.g. `hash_rate`.
    pub id: String,
    /// Category, e.g. `mining`, `energy`, `policy` (empty: `other`).
    pub category: String,
    /// English label (empty: the id).
    pub label_en: String,
    /// Chinese label (empty: the first Chinese form, else the English label).
    pub label_zh: String,
    /// Chinese surface forms.
    pub forms_zh: Vec<String>,
    /// English surface forms.
    pub forms_en: Vec<String>,
}

impl Concept {
    /// A concept with an id and forms; labels and category left to their defaults.
    pub fn new<Z, E>(id: &str, forms_zh: Z, forms_en: E) -> Self
    where
        Z: IntoIterator,
        Z::Item: AsRef<str>,
        E: IntoIterator,
        E::Item: AsRef<str>,
    {
        Concept {
            id: id.to_owned(),
            category: String::new(),
            label_en: String::new(),
            label_zh: String::new(),
            forms_zh: forms_zh
                .into_iter()
                .map(|s| s.as_ref().to_owned())
                .collect(),
            forms_en: forms_en
                .into_iter()
                .map(|s| s.as_ref().to_owned())
                .collect(),
        }
    }

    /// Id, category and labels with the defaults filled in.
    pub fn info(&self) -> ConceptInfo {
        let label_en = if self.label_en.is_empty() {
            self.id.clone()
        } else {
            self.label_en.clone()
        };
        let label_zh = if !self.label_zh.is_empty() {
            self.label_zh.clone()
        } else {
            self.forms_zh
                .first()
                .cloned()
                .unwrap_or_else(|| label_en.clone())
        };
        ConceptInfo {
            id: self.id.clone(),
            category: if self.category.is_empty() {
                "other".to_owned()
            } else {
                self.category.clone()
            },
            label_en,
            label_zh,
        }
    }

    /// All forms, Chinese first.
    pub fn forms(&self) -> impl Iterator<Item = &str> + '_ {
        self.forms_zh
            .iter()
            .chain(&self.forms_en)
            .map(String::as_str)
    }

    /// Normalizes labels and forms in place and checks the concept; returns what is wrong.
    fn normalize_and_check(&mut self) -> Result<(), String> {
        self.id = self.id.trim().to_owned();
        self.category = self.category.trim().to_owned();
        self.label_en = self.label_en.trim().to_owned();
        self.label_zh = self.label_zh.trim().to_owned();
        if self.id.is_empty() {
            return Err("empty concept id".into());
        }
        if let Some(c) = self
            .id
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        {
            return Err(format!(
                "concept id {:?} contains {c:?} (use letters, digits, _ - .)",
                self.id
            ));
        }
        for f in [&self.category, &self.label_en, &self.label_zh] {
            if f.chars().any(char::is_control) {
                return Err(format!("concept {:?}: control character in {f:?}", self.id));
            }
        }
        let mut seen = FxHashSet::default();
        for forms in [&mut self.forms_zh, &mut self.forms_en] {
            let mut out = Vec::with_capacity(forms.len());
            for f in forms.iter() {
                let n = normalize_form(f);
                if n.is_empty() {
                    continue;
                }
                if !n.chars().any(char::is_alphanumeric) {
                    return Err(format!(
                        "concept {:?}: form {f:?} has no letter or digit",
                        self.id
                    ));
                }
                if n.chars().any(char::is_control) {
                    return Err(format!(
                        "concept {:?}: control character in form {f:?}",
                        self.id
                    ));
                }
                if seen.insert(n.clone()) {
                    out.push(n);
                }
            }
            *forms = out;
        }
        if self.forms_zh.is_empty() && self.forms_en.is_empty() {
            return Err(format!("concept {:?} has no forms", self.id));
        }
        Ok(())
    }
}

/// NFKC, Traditional→Simplified, lowercase, trimmed, inner whitespace collapsed.
fn normalize_form(f: &str) -> String {
    let mut s = lang::normalize(f.trim());
    lang::to_simplified_in_place(&mut s);
    let lower = s.to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Id, category and labels of a concept, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptInfo {
    /// Stable identifier.
    pub id: String,
    /// Category.
    pub category: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
}

/// How [`Glossary::merge`] treats a concept whose id is already present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MergeMode {
    /// Add the new forms to the existing concept; non-empty labels and category of the
    /// new entry replace the old ones.
    #[default]
    Extend,
    /// The new entry replaces the existing concept entirely (it keeps its position).
    Replace,
}

/// An ordered set of concepts with unique ids.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    concepts: Vec<Concept>,
    by_id: FxHashMap<String, usize>,
}

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
    /// An empty glossary.
    pub fn new() -> Self {
        Self::default()
    }

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

    /// Adds one concept (normalizing its forms); returns its index. Fails when the
    /// concept is invalid or its id is taken. Forms already used by another concept are
    /// allowed here; the earlier concept keeps them when matching.
    pub fn add(&mut self, mut concept: Concept) -> Result<u32, GlossaryError> {
        concept
            .normalize_and_check()
            .map_err(|msg| GlossaryError::Invalid {
                id: concept.id.clone(),
                msg,
            })?;
        if self.by_id.contains_key(&concept.id) {
            return Err(GlossaryError::Invalid {
                id: concept.id,
                msg: "duplicate concept id".into(),
            });
        }
        let idx = self.concepts.len();
        self.by_id.insert(concept.id.clone(), idx);
        self.concepts.push(concept);
        Ok(idx as u32)
    }

    /// Merges `other` (typically a user glossary) into `self`.
    ///
    /// * A concept of `other` with a new id is appended.
    /// * A concept with an existing id is extended or replaced, per `mode`; it keeps its
    ///   index.
    /// * `other` wins every form it names: such a form is removed from any *other*
    ///   concept of `self`, so a user can move a form from one concept to another.
    pub fn merge(&mut self, other: Glossary, mode: MergeMode) {
        let claimed: FxHashMap<&str, &str> = other
            .concepts
            .iter()
            .flat_map(|c| c.forms().map(move |f| (f, c.id.as_str())))
            .collect();
        for c in &mut self.concepts {
            let keep = |f: &String| claimed.get(f.as_str()).map_or(true, |owner| *owner == c.id);
            let zh: Vec<String> = c.forms_zh.iter().filter(|f| keep(f)).cloned().collect();
            let en: Vec<String> = c.forms_en.iter().filter(|f| keep(f)).cloned().collect();
            c.forms_zh = zh;
            c.forms_en = en;
        }
        for c in other.concepts {
            match self.by_id.get(&c.id) {
                Some(&i) => {
                    let old = &mut self.concepts[i];
                    match mode {
                        MergeMode::Replace => *old = c,
                        MergeMode::Extend => {
                            for (dst, src) in [
                                (&mut old.category, c.category),
                                (&mut old.label_en, c.label_en),
                                (&mut old.label_zh, c.label_zh),
                            ] {
                                if !src.is_empty() {
                                    *dst = src;
                                }
                            }
                            for (dst, src) in [
                                (&mut old.forms_zh, c.forms_zh),
                                (&mut old.forms_en, c.forms_en),
                            ] {
                                for f in src {
                                    if !dst.contains(&f) {
                                        dst.push(f);
                                    }
                                }
                            }
                        }
                    }
                }
                None => {
                    self.by_id.insert(c.id.clone(), self.concepts.len());
                    self.concepts.push(c);
                }
            }
        }
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// True when there are no concepts.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// The concepts in glossary order (their index is the [`ConceptHit::concept`] of a
    /// matcher built from this glossary).
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concept with this id.
    pub fn get(&self, id: &str) -> Option<&Concept> {
        self.by_id.get(id).map(|&i| &self.concepts[i])
    }

    /// Index of the concept with this id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).map(|&i| i as u32)
    }

    /// Total number of surface forms (both languages).
    pub fn n_forms(&self) -> usize {
        self.concepts
            .iter()
            .map(|c| c.forms_zh.len() + c.forms_en.len())
            .sum()
    }

    /// Every form made of Han characters only (Simplified), each once: give them to
    /// [`crate::tokenize::TokenizerBuilder::words`] so jieba keeps domain words whole.
    pub fn zh_words(&self) -> impl Iterator<Item = &str> + '_ {
        let mut seen = FxHashSet::default();
        self.concepts
            .iter()
            .flat_map(|c| c.forms())
            .filter(|f| f.chars().all(|ch| lang::script_of(ch) == Some(Script::Han)))
            .filter(move |f| seen.insert(*f))
    }
}

/// A term's node in the matcher's trie, reached from the root (see
/// [`ConceptMatcher::start_node`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StartNode(u32);

impl StartNode {
    /// No key starts with the term.
    pub(crate) const NONE: StartNode = StartNode(u32::MAX);
}

/// One concept found in a [`TokenBuf`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConceptHit {
    /// Index of the concept in the matcher (and its glossary).
    pub concept: u32,
    /// Index of the first token of the match.
    pub first: u32,
    /// Index of the last token of the match (inclusive).
    pub last: u32,
}

/// Two concepts with the same form after tokenization; `kept` matches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormConflict {
    /// The form, as written in the glossary of the concept that lost it.
    pub form: String,
    /// Concept that keeps the form (the earlier one).
    pub kept: u32,
    /// Concept whose form is ignored.
    pub dropped: u32,
}

const NONE: u32 = u32::MAX;
/// Separator byte put between two tokens of a key when neither side is Han.
const SEP: u8 = 0x1f;

#[inline]
fn is_han(c: Option<char>) -> bool {
    c.is_some_and(|c| lang::script_of(c) == Some(Script::Han))
}

/// True when two adjacent terms join without a separator (a Han character on either side).
#[inline]
fn joins_bare(prev: &str, next: &str) -> bool {
    is_han(prev.chars().next_back()) || is_han(next.chars().next())
}

/// The terms of a glossary's forms (in [`Glossary`] and [`Concept::forms`] order) that
/// could be cut before jieba's dictionary was loaded: those without Chinese runs.
/// [`PipelineBuilder::build`](crate::run::PipelineBuilder::build) cuts them while
/// the dictionary loads, so that the concept matcher has fewer forms to cut after it.
#[derive(Debug, Default)]
pub(crate) struct FormCuts(Vec<Option<Vec<(String, Lang)>>>);

impl FormCuts {
    /// Cuts the forms of `glossary` that do not need the dictionary of `tok`.
    pub(crate) fn without_dict(glossary: &Glossary, tok: &Prepared) -> Self {
        let dictless = tok.dictless();
        FormCuts(
            glossary
                .concepts
                .iter()
                .flat_map(Concept::forms)
                .map(|form| tok.terms_without_dict(&dictless, form))
                .collect(),
        )
    }
}

/// Finds glossary concepts in token buffers. Build once, share across threads.
#[derive(Debug, Clone)]
pub struct ConceptMatcher {
    info: Vec<ConceptInfo>,
    by_id: FxHashMap<String, u32>,
    /// Byte trie over keys while it is built: (node << 8 | byte) → child node. Node 0 is
    /// the root. Emptied once compiled into `child_start` / `child_byte` / `child_node`.
    edges: FxHashMap<u64, u32>,
    /// Compiled trie: the children of node `n` are `child_start[n]..child_start[n + 1]`
    /// in `child_byte` (sorted) and `child_node`; the root's are also in `root_child`.
    child_start: Vec<u32>,
    child_byte: Vec<u8>,
    child_node: Vec<u32>,
    root_child: Box<[u32; 256]>,
    /// Concept whose key ends at a node, or NONE.
    terminal: Vec<u32>,
    n_patterns: usize,
    conflicts: Vec<FormConflict>,
    /// Fast reject for [`ConceptMatcher::find`]: a bit per hash of the first one and
    /// the first two characters of every key. A match starting at a token needs its
    /// term to be a prefix of a key, so a clear bit means no walk is needed.
    first1: Box<[u64]>,
    first2: Box<[u64]>,
}

const FILTER_BITS: usize = 1 << 16;

#[inline]
fn filter_hash1(c: char) -> usize {
    (c as usize).wrapping_mul(0x9E37_79B9) >> 8 & (FILTER_BITS - 1)
}

#[inline]
fn filter_hash2(a: char, b: char) -> usize {
    ((a as usize).wrapping_mul(0x9E37_79B9) ^ (b as usize).wrapping_mul(0x85EB_CA6B)) >> 8
        & (FILTER_BITS - 1)
}

#[inline]
fn bit_get(bits: &[u64], i: usize) -> bool {
    bits[i >> 6] & (1u64 << (i & 63)) != 0
}

#[inline]
fn bit_set(bits: &mut [u64], i: usize) {
    bits[i >> 6] |= 1u64 << (i & 63);
}

impl ConceptMatcher {
    /// Compiles the forms of `glossary`, cutting each with `tok` exactly as text is cut.
    pub fn new(glossary: &Glossary, tok: &Tokenizer) -> ConceptMatcher {
        Self::with_cuts(glossary, tok, FormCuts::default())
    }

    /// [`ConceptMatcher::new`] with the forms already in `cuts` not cut again.
    pub(crate) fn with_cuts(glossary: &Glossary, tok: &Tokenizer, cuts: FormCuts) -> Self {
        let mut m = ConceptMatcher {
            info: glossary.concepts.iter().map(Concept::info).collect(),
            by_id: glossary
                .by_id
                .iter()
                .map(|(k, &v)| (k.clone(), v as u32))
                .collect(),
            edges: FxHashMap::default(),
            child_start: Vec::new(),
            child_byte: Vec::new(),
            child_node: Vec::new(),
            root_child: Box::new([NONE; 256]),
            terminal: vec![NONE],
            n_patterns: 0,
            conflicts: Vec::new(),
            first1: vec![0u64; FILTER_BITS / 64].into_boxed_slice(),
            first2: vec![0u64; FILTER_BITS / 64].into_boxed_slice(),
        };
        let mut key = Vec::new();
        let mut cuts = cuts.0.into_iter();
        for (ci, c) in glossary.concepts.iter().enumerate() {
            for form in c.forms() {
                let terms = match cuts.next() {
                    Some(Some(terms)) => terms,
                    _ => tok.terms_of(form),
                };
                if terms.is_empty() {
                    continue;
                }
                key.clear();
                for (k, (term, _)) in terms.iter().enumerate() {
                    if k > 0 && !joins_bare(&terms[k - 1].0, term) {
                        key.push(SEP);
                    }
                    key.extend_from_slice(term.as_bytes());
                }
                m.insert(&key, ci as u32, form);
                let last = terms.last().map(|(t, _)| t.as_str()).unwrap_or_default();
                if last
                    .chars()
                    .next_back()
                    .is_some_and(|ch| ch.is_alphabetic() && !is_han(Some(ch)))
                {
                    let n = key.len();
                    for suffix in ["'s", "\u{2019}s"] {
                        key.truncate(n);
                        key.extend_from_slice(suffix.as_bytes());
                        m.insert(&key, ci as u32, form);
                    }
                }
            }
        }
        m.compile();
        m
    }

    /// Turns the edge map into sorted child arrays (one cache line per step instead of
    /// a hash probe) and a direct table for the root.
    fn compile(&mut self) {
        let mut edges: Vec<(u32, u8, u32)> = self
            .edges
            .drain()
            .map(|(k, child)| ((k >> 8) as u32, (k & 0xff) as u8, child))
            .collect();
        edges.sort_unstable();
        let n = self.terminal.len();
        self.child_start = vec![0; n + 1];
        for &(parent, _, _) in &edges {
            self.child_start[parent as usize + 1] += 1;
        }
        for i in 0..n {
            self.child_start[i + 1] += self.child_start[i];
        }
        self.child_byte = edges.iter().map(|e| e.1).collect();
        self.child_node = edges.iter().map(|e| e.2).collect();
        for &(parent, b, child) in &edges {
            if parent == 0 {
                self.root_child[b as usize] = child;
            }
        }
        self.edges = FxHashMap::default();
    }

    fn insert(&mut self, key: &[u8], concept: u32, form: &str) {
        // Keys are UTF-8 (terms joined by the ASCII separator).
        if let Ok(k) = std::str::from_utf8(key) {
            let mut cs = k.chars();
            if let Some(a) = cs.next() {
                bit_set(&mut self.first1, filter_hash1(a));
                if let Some(b) = cs.next() {
                    bit_set(&mut self.first2, filter_hash2(a, b));
                }
            }
        } else {
            // Never happens; keep the filter permissive if it did.
            self.first1.fill(u64::MAX);
            self.first2.fill(u64::MAX);
        }
        let mut node = 0u32;
        for &b in key {
            let k = (u64::from(node) << 8) | u64::from(b);
            node = match self.edges.get(&k) {
                Some(&n) => n,
                None => {
                    let n = self.terminal.len() as u32;
                    self.terminal.push(NONE);
                    self.edges.insert(k, n);
                    n
                }
            };
        }
        let t = &mut self.terminal[node as usize];
        if *t == NONE {
            *t = concept;
            self.n_patterns += 1;
        } else if *t != concept
            && !self
                .conflicts
                .iter()
                .any(|c| c.form == form && c.dropped == concept)
        {
            self.conflicts.push(FormConflict {
                form: form.to_owned(),
                kept: *t,
                dropped: concept,
            });
        }
    }

    #[inline]
    fn step(&self, node: u32, b: u8) -> Option<u32> {
        if node == 0 {
            let c = self.root_child[b as usize];
            return (c != NONE).then_some(c);
        }
        let lo = *self.child_start.get(node as usize)? as usize;
        let hi = *self.child_start.get(node as usize + 1)? as usize;
        let bytes = self.child_byte.get(lo..hi)?;
        let i = if bytes.len() <= 8 {
            bytes.iter().position(|&x| x == b)?
        } else {
            bytes.binary_search(&b).ok()?
        };
        self.child_node.get(lo + i).copied()
    }

    #[inline]
    fn walk(&self, mut node: u32, term: &str) -> Option<u32> {
        for &b in term.as_bytes() {
            node = self.step(node, b)?;
        }
        Some(node)
    }

    /// Appends the leftmost-longest, non-overlapping concept matches in `buf` to `out`,
    /// in text order (see the module docs for the rules). Does not allocate beyond
    /// growing `out`.
    pub fn find(&self, buf: &TokenBuf, out: &mut Vec<ConceptHit>) {
        let toks = buf.tokens();
        self.find_with(buf, out, |k| {
            toks.get(k)
                .map_or(StartNode::NONE, |t| self.start_node(buf.term(t)))
        });
    }

    /// The trie node reached from the root by `term` ([`StartNode::NONE`] when no key
    /// starts with it). A worker's vocabulary caches it per term for
    /// [`ConceptMatcher::find_with`].
    pub(crate) fn start_node(&self, term: &str) -> StartNode {
        // Fast reject: the first term must start some key.
        let mut cs = term.chars();
        let pass = match (cs.next(), cs.next()) {
            (Some(a), Some(b)) => bit_get(&self.first2, filter_hash2(a, b)),
            (Some(a), None) => bit_get(&self.first1, filter_hash1(a)),
            (None, _) => true,
        };
        match pass.then(|| self.walk(0, term)).flatten() {
            Some(n) => StartNode(n),
            None => StartNode::NONE,
        }
    }

    /// [`ConceptMatcher::find`] with the [`ConceptMatcher::start_node`] of token `k`
    /// from `start(k)` (it must equal `start_node` of the token's term).
    pub(crate) fn find_with(
        &self,
        buf: &TokenBuf,
        out: &mut Vec<ConceptHit>,
        start: impl Fn(usize) -> StartNode,
    ) {
        let toks = buf.tokens();
        let mut i = 0;
        while i < toks.len() {
            let first = start(i);
            if first == StartNode::NONE {
                i += 1;
                continue;
            }
            let mut best: Option<(usize, u32)> = None;
            let mut node = first.0;
            let mut j = i;
            while j < toks.len() {
                let term = buf.term(&toks[j]);
                if j == i {
                    let c = self.terminal[node as usize];
                    if c != NONE {
                        best = Some((j, c));
                    }
                    j += 1;
                    continue;
                }
                {
                    let prev = buf.term(&toks[j - 1]);
                    let gap = toks[j].start.saturating_sub(toks[j - 1].end);
                    if joins_bare(prev, term) {
                        let both_han =
                            is_han(prev.chars().next_back()) && is_han(term.chars().next());
                        if gap > u32::from(!both_han) {
                            break;
                        }
                    } else {
                        if gap > 1 {
                            break;
                        }
                        match self.step(node, SEP) {
                            Some(n) => node = n,
                            None => break,
                        }
                    }
                }
                match self.walk(node, term) {
                    Some(n) => node = n,
                    None => break,
                }
                let c = self.terminal[node as usize];
                if c != NONE {
                    best = Some((j, c));
                }
                j += 1;
            }
            match best {
                Some((last, concept)) => {
                    out.push(ConceptHit {
                        concept,
                        first: i as u32,
                        last: last as u32,
                    });
                    i = last + 1;
                }
                None => i += 1,
            }
        }
    }

    /// Number of concepts (hit indices are below this).
    pub fn len(&self) -> usize {
        self.info.len()
    }

    /// True when the glossary had no concepts.
    pub fn is_empty(&self) -> bool {
        self.info.is_empty()
    }

    /// Number of distinct token patterns compiled (possessive variants included).
    pub fn n_patterns(&self) -> usize {
        self.n_patterns
    }

    /// Id, category and labels of concept `i`. Panics when `i >= self.len()`.
    pub fn info(&self, i: u32) -> &ConceptInfo {
        &self.info[i as usize]
    }

    /// All concepts' info, by index.
    pub fn infos(&self) -> &[ConceptInfo] {
        &self.info
    }

    /// Id of concept `i`. Panics when `i >= self.len()`.
    pub fn id(&self, i: u32) -> &str {
        &self.info[i as usize].id
    }

    /// English label of concept `i`.
    pub fn label_en(&self, i: u32) -> &str {
        &self.info[i as usize].label_en
    }

    /// Chinese label of concept `i`.
    pub fn label_zh(&self, i: u32) -> &str {
        &self.info[i as usize].label_zh
    }

    /// Category of concept `i`.
    pub fn category(&self, i: u32) -> &str {
        &self.info[i as usize].category
    }

    /// Index of the concept with this id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// Forms that two concepts share after tokenization; the earlier concept keeps them.
    pub fn conflicts(&self) -> &[FormConflict] {
        &self.conflicts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn tok() -> &'static Tokenizer {
        static T: OnceLock<Tokenizer> = OnceLock::new();
        T.get_or_init(|| Tokenizer::builder().build().unwrap())
    }

    fn shipped() -> &'static (Glossary, ConceptMatcher) {
        static M: OnceLock<(Glossary, ConceptMatcher)> = OnceLock::new();
        M.get_or_init(|| {
            let g = Glossary::shipped();
            let m = ConceptMatcher::new(&g, tok());
            (g, m)
        })
    }

    fn ids_with<'m>(m: &'m ConceptMatcher, tok: &Tokenizer, text: &str) -> Vec<&'m str> {
        let (_, buf) = tok.tokenize(text);
        let mut hits = Vec::new();
        m.find(&buf, &mut hits);
        hits.iter().map(|h| m.id(h.concept)).collect()
    }

    fn ids(text: &str) -> Vec<&'static str> {
        ids_with(&shipped().1, tok(), text)
    }

    #[test]
    fn multi_word_english_forms_match() {
        assert_eq!(
            ids("The hash rate left the mining farm"),
            ["hash_rate", "mining_farm"]
        );
        assert_eq!(
            ids("hash-rate, Hashrate and HASH RATE"),
            ["hash_rate", "hash_rate", "hash_rate"]
        );
        assert_eq!(ids("proof-of-work miners"), ["proof_of_work", "miner"]);
    }

    #[test]
    fn traditional_matches_simplified_forms() {
        assert_eq!(ids("監管"), ids("监管"));
        assert_eq!(ids("礦場"), ["mining_farm"]);
        assert_eq!(ids("監管"), ["regulation"]);
        assert_eq!(
            ids("比特幣礦場遷往德州"),
            ["bitcoin", "mining_farm", "texas"]
        );
    }

    #[test]
    fn leftmost_longest_non_overlapping() {
        let (_, buf) = tok().tokenize("mining farm");
        let mut hits = Vec::new();
        shipped().1.find(&buf, &mut hits);
        let m = &shipped().1;
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (m.id(hits[0].concept), hits[0].first, hits[0].last),
            ("mining_farm", 0, 1)
        );
        assert_eq!(ids("mining"), ["mining"]);

        // Overlapping forms: leftmost wins, then longest at that position.
        let mut g = Glossary::new();
        g.add(Concept::new("ab", [""; 0], ["alpha beta"])).unwrap();
        g.add(Concept::new("bcd", [""; 0], ["beta gamma delta"]))
            .unwrap();
        g.add(Concept::new("abc", [""; 0], ["alpha beta gamma"]))
            .unwrap();
        g.add(Concept::new("d", [""; 0], ["delta"])).unwrap();
        let m = ConceptMatcher::new(&g, tok());
        assert_eq!(ids_with(&m, tok(), "alpha beta gamma delta"), ["abc", "d"]);
        assert_eq!(
            ids_with(&m, tok(), "beta gamma delta alpha beta"),
            ["bcd", "ab"]
        );
        // A prefix of a longer form that is not itself a form yields nothing extra.
        assert_eq!(ids_with(&m, tok(), "beta gamma"), Vec::<&str>::new());
    }

    #[test]
    fn no_match_across_stopwords_or_punctuation() {
        assert_eq!(ids("mining and farm"), ["mining"]);
        assert_eq!(ids("mining, farm"), ["mining"]);
        assert_eq!(ids("hash. Rate"), Vec::<&str>::new());
        // Chinese: a form never spans a comma (NFKC turns ， into ,).
        let mut g = Glossary::new();
        g.add(Concept::new("x", ["矿场"], [""; 0])).unwrap();
        let m = ConceptMatcher::new(&g, tok());
        assert_eq!(ids_with(&m, tok(), "矿，场"), Vec::<&str>::new());
    }

    #[test]
    fn forms_cut_before_the_dictionary_give_the_same_matcher() {
        // What PipelineBuilder::build does: forms without Chinese runs are cut while
        // jieba's dictionary loads, the others after it. The matcher must not differ
        // from one built with every form cut by the finished tokenizer.
        let mut g = Glossary::shipped();
        g.merge(
            Glossary::from_tsv_str(USER_TSV, "user.tsv").unwrap(),
            MergeMode::Extend,
        );
        g.add(Concept::new(
            "mixed",
            ["gas费", "ＮＦＴ市场", "比特币ETF"],
            ["BTC 矿机", "hash rate", "ハッシュ", "해시"],
        ))
        .unwrap();
        let prepared = Tokenizer::builder()
            .words(g.zh_words().map(str::to_owned).collect::<Vec<_>>())
            .prepare()
            .unwrap();
        let cuts = FormCuts::without_dict(&g, &prepared);
        let forms: Vec<&str> = g.concepts.iter().flat_map(Concept::forms).collect();
        assert_eq!(cuts.0.len(), forms.len());
        for (form, cut) in forms.iter().zip(&cuts.0) {
            let han = form
                .chars()
                .any(|c| lang::script_of(c) == Some(Script::Han));
            assert_eq!(cut.is_none(), han, "{form}: {cut:?}");
        }
        let tok = prepared
            .finish_on(crate::tokenize::BaseDict::load())
            .unwrap();
        for (form, cut) in forms.iter().zip(&cuts.0) {
            if let Some(terms) = cut {
                assert_eq!(terms, &tok.terms_of(form), "{form}");
            }
        }
        let pre = ConceptMatcher::with_cuts(&g, &tok, cuts);
        let all = ConceptMatcher::new(&g, &tok);
        assert_eq!(format!("{pre:?}"), format!("{all:?}"));
    }

    #[test]
    fn chinese_forms_match_whatever_the_cut() {
        // Without the glossary words jieba may cut 虚拟货币 / 算力外流 in pieces; with
        // them it keeps them whole. Both match.
        let plain = tok();
        let g = &shipped().0;
        let with_words = Tokenizer::builder().words(g.zh_words()).build().unwrap();
        let m2 = ConceptMatcher::new(g, &with_words);
        for text in ["打击虚拟货币挖矿", "算力外流加速", "清理整顿比特币矿场"]
        {
            assert_eq!(
                ids_with(&shipped().1, plain, text),
                ids_with(&m2, &with_words, text),
                "{text}"
            );
        }
        assert_eq!(
            ids("打击虚拟货币挖矿"),
            ["crackdown", "virtual_currency", "mining"]
        );
        assert_eq!(ids("算力外流加速"), ["exodus"]);
        // A match ends at a token boundary: 矿场主 is its own form, of `miner`.
        assert_eq!(ids("矿场主"), ["miner"]);
    }

    #[test]
    fn possessives_and_mixed_script_forms() {
        assert_eq!(
            ids("China's miners and Bitcoin’s price"),
            ["china", "miner", "bitcoin"]
        );
        assert_eq!(ids("以太坊的gas费很高"), ["ethereum", "transaction_fee"]);
    }

    #[test]
    fn zh_words_are_han_only_and_unique() {
        let words: Vec<&str> = shipped().0.zh_words().collect();
        assert!(words.contains(&"矿场"));
        assert!(!words.contains(&"gas费"));
        let set: FxHashSet<&str> = words.iter().copied().collect();
        assert_eq!(set.len(), words.len());
    }

    const USER_TSV: &str = "# my concepts\n\
        id\tcategory\tlabel_en\tlabel_zh\tforms_zh\tforms_en\n\
        \n\
        greenidge\torganization\tGreenidge\t格林尼治发电\t格林尼治|格林尼治发电\tgreenidge|greenidge generation\n\
        mining\t\t\t\t\tdigging|crypto mining\n\
        heat\tenergy\theat\t\t余热\n";

    const USER_TOML: &str = r#"
[[concept]]
id = "greenidge"
category = "organization"
label_en = "Greenidge"
forms_zh = ["格林尼治"]
forms_en = ["greenidge", "greenidge generation"]

[[concept]]
id = "texas"
forms_en = ["lone star state"]
"#;

    #[test]
    fn user_tsv_loads_and_merges() {
        let user = Glossary::from_tsv_str(USER_TSV, "user.tsv").unwrap();
        assert_eq!(user.len(), 3);
        let heat = user.get("heat").unwrap();
        assert_eq!(heat.forms_en.len(), 0);
        assert_eq!(heat.info().label_zh, "余热");
        assert_eq!(user.get("mining").unwrap().info().category, "other");

        let mut g = Glossary::shipped();
        let n = g.len();
        g.merge(user, MergeMode::Extend);
        assert_eq!(g.len(), n + 2);
        let mining = g.get("mining").unwrap();
        assert_eq!(mining.category, "mining"); // empty user field keeps the old value
        assert!(mining.forms_en.iter().any(|f| f == "digging"));
        assert!(mining.forms_zh.iter().any(|f| f == "挖矿"));
        let m = ConceptMatcher::new(&g, tok());
        assert_eq!(
            ids_with(&m, tok(), "Greenidge Generation digging"),
            ["greenidge", "mining"]
        );
        assert!(m.conflicts().is_empty());
    }

    #[test]
    fn user_toml_loads_and_replaces() {
        let user = Glossary::from_toml_str(USER_TOML, "user.toml").unwrap();
        assert_eq!(user.len(), 2);
        assert_eq!(user.get("greenidge").unwrap().info().label_zh, "格林尼治");
        let mut g = Glossary::shipped();
        let texas = g.index_of("texas").unwrap();
        g.merge(user, MergeMode::Replace);
        assert_eq!(g.index_of("texas"), Some(texas));
        let m = ConceptMatcher::new(&g, tok());
        assert_eq!(ids_with(&m, tok(), "Texas, the Lone Star State"), ["texas"]);
        assert_eq!(m.label_en(texas), "texas");
    }

    #[test]
    fn merged_forms_move_to_the_user_concept() {
        let user = Glossary::from_tsv_str(
            "energy_hog\tframing\tenergy hog\t\t耗电\tenergy hog\n",
            "u.tsv",
        )
        .unwrap();
        let mut g = Glossary::shipped();
        g.merge(user, MergeMode::Extend);
        assert!(!g
            .get("energy_consumption")
            .unwrap()
            .forms_zh
            .iter()
            .any(|f| f == "耗电"));
        let m = ConceptMatcher::new(&g, tok());
        assert_eq!(ids_with(&m, tok(), "耗电"), ["energy_hog"]);
    }

    #[test]
    fn files_load_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        let tsv = dir.path().join("g.tsv");
        let toml = dir.path().join("g.toml");
        std::fs::write(&tsv, USER_TSV).unwrap();
        std::fs::write(&toml, USER_TOML).unwrap();
        assert_eq!(Glossary::from_path(&tsv).unwrap().len(), 3);
        assert_eq!(Glossary::from_path(&toml).unwrap().len(), 2);
        let e = Glossary::from_path(dir.path().join("missing.tsv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.tsv"), "{e}");
    }

    fn err(r: Result<Glossary, GlossaryError>) -> String {
        let e = r.unwrap_err().to_string();
        assert!(!e.contains('\n'), "multi-line error: {e}");
        e
    }

    #[test]
    fn malformed_input_reports_line_numbers() {
        let e = err(Glossary::from_tsv_str(
            "id\tcategory\tlabel_en\tlabel_zh\tforms_zh\tforms_en\na\tb\tc\n",
            "u.tsv",
        ));
        assert!(e.starts_with("u.tsv:2: expected 6"), "{e}");
        let e = err(Glossary::from_tsv_str("# c\na b c d e f\n", "u.tsv"));
        assert!(e.starts_with("u.tsv:2:") && e.contains("tabs"), "{e}");
        let e = err(Glossary::from_tsv_str(
            "a\tx\t\t\t矿场\t\n\nb\tx\t\t\t礦場\t\n",
            "u.tsv",
        ));
        assert!(
            e.starts_with("u.tsv:3:") && e.contains("already belongs to \"a\" (line 1)"),
            "{e}"
        );
        let e = err(Glossary::from_tsv_str(
            "a\tx\t\t\t矿场\t\na\tx\t\t\t挖矿\t\n",
            "u.tsv",
        ));
        assert!(e.starts_with("u.tsv:2: duplicate concept id"), "{e}");
        let e = err(Glossary::from_tsv_str("a\tx\t\t\t\t\n", "u.tsv"));
        assert!(e.starts_with("u.tsv:1:") && e.contains("no forms"), "{e}");
        let e = err(Glossary::from_tsv_str("a b\tx\t\t\t矿\t\n", "u.tsv"));
        assert!(e.starts_with("u.tsv:1:") && e.contains("id"), "{e}");
        let e = err(Glossary::from_tsv_str("a\tx\t\t\t矿|--\t\n", "u.tsv"));
        assert!(e.starts_with("u.tsv:1:") && e.contains("no letter"), "{e}");

        let e = err(Glossary::from_toml_str("[[concept]]\nid = \"a\"\nforms_en = [\"x\"]\n\n[[concept]]\nid = \"b\"\nfroms_en = [\"y\"]\n", "u.toml"));
        assert!(e.starts_with("u.toml:7:") && e.contains("froms_en"), "{e}");
        let e = err(Glossary::from_toml_str(
            "[[concept]]\nid = \"a\"\n\n[[concept]]\nid = \"a\"\nforms_en = [\"y\"]\n",
            "u.toml",
        ));
        assert!(e.starts_with("u.toml:2:") && e.contains("no forms"), "{e}");
        let e = err(Glossary::from_toml_str(
            "[[concept]]\nid = \"a\nforms_en = 1\n",
            "u.toml",
        ));
        assert!(e.starts_with("u.toml:2:"), "{e}");
    }

    /// Invariants of the shipped data file.
    #[test]
    fn shipped_glossary_invariants() {
        let (g, m) = shipped();
        assert_eq!(
            g.len(),
            Glossary::from_tsv_str(SHIPPED_TSV, "default.tsv")
                .unwrap()
                .len()
        );
        assert!(g.len() >= 150, "only {} concepts", g.len());
        const CATEGORIES: [&str; 11] = [
            "crypto",
            "tech",
            "mining",
            "energy",
            "environment",
            "finance",
            "economy",
            "policy",
            "framing",
            "place",
            "organization",
        ];
        let mut ids = FxHashSet::default();
        for c in g.concepts() {
            assert!(ids.insert(c.id.as_str()), "duplicate id {}", c.id);
            assert!(
                c.id.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                "id {} is not snake_case",
                c.id
            );
            assert!(
                CATEGORIES.contains(&c.category.as_str()) || c.category == "person",
                "{}: category {}",
                c.id,
                c.category
            );
            assert!(
                !c.label_en.is_empty() && !c.label_zh.is_empty(),
                "{}: labels",
                c.id
            );
            assert!(
                !c.forms_zh.is_empty() && !c.forms_en.is_empty(),
                "{}: needs zh and en forms",
                c.id
            );
            for f in &c.forms_zh {
                assert!(
                    f.chars().any(|ch| is_han(Some(ch))),
                    "{}: zh form {f} has no Han",
                    c.id
                );
            }
            for f in &c.forms_en {
                assert!(f.is_ascii(), "{}: en form {f} is not ASCII", c.id);
            }
        }
        // No form belongs to two concepts, even after tokenization, with or without the
        // glossary words in jieba's dictionary.
        assert!(m.conflicts().is_empty(), "{:?}", m.conflicts());
        let with_words = Tokenizer::builder().words(g.zh_words()).build().unwrap();
        let m2 = ConceptMatcher::new(g, &with_words);
        assert!(m2.conflicts().is_empty(), "{:?}", m2.conflicts());
        // Every form, and the Traditional spelling of every Chinese form, is found as one
        // whole hit of its own concept; no form is made of stopwords only.
        let mut hits = Vec::new();
        let mut trad_misses = Vec::new();
        for (i, c) in g.concepts().iter().enumerate() {
            let trad: Vec<String> = c
                .forms_zh
                .iter()
                .map(hanconv::s2t)
                .filter(|t| !c.forms_zh.contains(t))
                .collect();
            for (f, is_trad) in c
                .forms()
                .map(|f| (f, false))
                .chain(trad.iter().map(|f| (f.as_str(), true)))
            {
                for (t, mm) in [(tok(), m), (&with_words, &m2)] {
                    let (_, buf) = t.tokenize(f);
                    assert!(
                        buf.tokens().iter().any(|t| !t.stop),
                        "{}: form {f:?} is all stopwords",
                        c.id
                    );
                    hits.clear();
                    mm.find(&buf, &mut hits);
                    let want = ConceptHit {
                        concept: i as u32,
                        first: 0,
                        last: buf.len() as u32 - 1,
                    };
                    let mut round_trip = f.to_owned();
                    lang::to_simplified_in_place(&mut round_trip);
                    if is_trad && hits != [want] && !c.forms_zh.contains(&round_trip) {
                        // Not the matcher's fault: the T→S table does not map back.
                        trad_misses.push(f.to_owned());
                    } else {
                        assert_eq!(hits, [want], "{}: form {f:?}", c.id);
                    }
                }
            }
        }
        // OpenCC's Traditional spelling sometimes uses a variant character that the
        // T→S table of `lang` leaves alone (峯 for 峰, rare in real text); only those may
        // miss, and only a few of them.
        trad_misses.sort();
        trad_misses.dedup();
        assert!(
            trad_misses.len() <= 6,
            "Traditional forms missed: {trad_misses:?}"
        );
    }
}
