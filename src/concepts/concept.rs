//! One concept: id, category, labels and its Chinese and English surface forms, and
//! how forms are normalized.
//!
//! ```
//! use duibi::concepts::Concept;
//! let c = Concept::new("mining_farm", ["矿场"], ["mining farm"]);
//! let info = c.info();
//! assert_eq!((info.category.as_str(), info.label_en.as_str(), info.label_zh.as_str()), ("other", "mining_farm", "矿场"));
//! ```

use crate::lang::{self};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

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
    pub(super) fn normalize_and_check(&mut self) -> Result<(), String> {
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
