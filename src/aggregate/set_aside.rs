//! What a run set aside, as a mergeable aggregate: the screen's decisions (equal in
//! every part of a run), the quoted text of each set-aside passage (the smallest
//! spelling seen, so any merge order gives the same) and the tokens removed per group.

use crate::dedupe::{passage, ScreenSummary};
use crate::report::{DuplicateRecord, SetAside, SetAsidePassage, SetAsideTokens};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tokens removed from one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// Documents that had a passage set aside.
    pub documents: u64,
    /// Word tokens of the set-aside passages.
    pub tokens: u64,
}

/// The set-aside part of a run's aggregate (and of a partial).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SetAsideAgg {
    /// The decisions the run applied.
    pub screen: ScreenSummary,
    /// Passage key → its text as quoted.
    pub texts: BTreeMap<u64, String>,
    /// Group → tokens removed.
    pub removed: BTreeMap<String, Removed>,
}

impl SetAsideAgg {
    /// Records a set-aside line (its key and the line as written).
    pub fn offer_text(&mut self, key: u64, line: &str) {
        let s = passage::sample(line);
        match self.texts.get_mut(&key) {
            Some(t) if s < t.as_str() => *t = s.to_string(),
            Some(_) => {}
            None => {
                self.texts.insert(key, s.to_string());
            }
        }
    }

    /// Records the tokens removed from one document of `group`.
    pub fn add_removed(&mut self, group: &str, tokens: u64) {
        let r = self.removed.entry(group.to_string()).or_default();
        r.documents += 1;
        r.tokens += tokens;
    }

    /// Merges another part (whose screen, when it has one, is this part's: checked by
    /// the caller for partials, and absent in the parts of one run's threads).
    pub fn merge(&mut self, o: SetAsideAgg) {
        if self.screen.is_empty() {
            self.screen = o.screen;
        }
        for (k, t) in o.texts {
            self.offer_text(k, &t);
        }
        for (g, r) in o.removed {
            let m = self.removed.entry(g).or_default();
            m.documents += r.documents;
            m.tokens += r.tokens;
        }
    }

    /// The report's records.
    pub fn to_report(&self) -> SetAside {
        let mut passages: Vec<SetAsidePassage> = self
            .screen
            .passages
            .iter()
            .map(|p| SetAsidePassage {
                passage: format!("{:016x}", p.passage),
                text: self.texts.get(&p.passage).cloned().unwrap_or_default(),
                documents: p.documents,
                documents_by_group: p.by_group.clone(),
            })
            .collect();
        passages.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| a.passage.cmp(&b.passage))
        });
        SetAside {
            passages,
            tokens: self
                .removed
                .iter()
                .map(|(g, r)| SetAsideTokens {
                    group: g.clone(),
                    documents: r.documents,
                    tokens: r.tokens,
                })
                .collect(),
            duplicates: self
                .screen
                .duplicates
                .iter()
                .map(|d| DuplicateRecord {
                    doc_id: d.id.clone(),
                    group: d.group.clone(),
                    duplicate_of: d.duplicate_of.clone(),
                    similarity: crate::report::round(d.similarity, 4),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_tokens_merge_in_any_order() {
        let mut a = SetAsideAgg::default();
        a.offer_text(1, " Zeta footer ");
        a.add_removed("g", 3);
        let mut b = SetAsideAgg::default();
        b.offer_text(1, "Alpha footer");
        b.add_removed("g", 4);
        let mut ab = a.clone();
        ab.merge(b.clone());
        b.merge(a);
        assert_eq!(ab, b);
        assert_eq!(ab.texts[&1], "Alpha footer");
        assert_eq!(
            ab.removed["g"],
            Removed {
                documents: 2,
                tokens: 7
            }
        );
    }
}
