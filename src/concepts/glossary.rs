//! The glossary: an ordered set of concepts with unique ids, built up with
//! [`Glossary::add`] and [`Glossary::merge`] (reading files is in [`super::files`]).
//!
//! ```
//! use duibi::concepts::{Concept, Glossary, MergeMode};
//! let mut g = Glossary::new();
//! g.add(Concept::new("ban", ["禁令"], ["ban"])).unwrap();
//! let mut user = Glossary::new();
//! user.add(Concept::new("ban", Vec::<&str>::new(), ["bans"])).unwrap();
//! g.merge(user, MergeMode::Extend);
//! assert_eq!(g.get("ban").unwrap().forms_en, ["ban", "bans"]);
//! ```

use super::concept::Concept;
use crate::lang::{self, Script};
use rustc_hash::{FxHashMap, FxHashSet};

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
    pub(super) concepts: Vec<Concept>,
    pub(super) by_id: FxHashMap<String, usize>,
}

impl Glossary {
    /// An empty glossary.
    pub fn new() -> Self {
        Self::default()
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

    /// The concepts in glossary order (their index is the [`ConceptHit::concept`](super::ConceptHit::concept) of a
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
