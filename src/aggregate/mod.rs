//! Mergeable aggregates: term counts, totals and coverage per group, the documents of
//! a run, and partial aggregates.
//!
//! Aggregates hold integers only, so merging is exactly associative and commutative:
//! a corpus can be split across threads, processes or machines and combined in any
//! order with the same result. Everything fractional (rates, statistics) is derived
//! from these integers when the report is built.
//!
//! ```
//! use duibi::aggregate::{GroupAgg, TermTable};
//! use duibi::lang::Lang;
//! let mut a = GroupAgg::default();
//! a.totals.documents = 1;
//! a.terms.add_doc(Lang::Zh, [("挖矿", 2u32), ("矿场", 1)].into_iter());
//! let mut b = GroupAgg::default();
//! b.totals.documents = 1;
//! b.terms.add_doc(Lang::Zh, [("挖矿", 1u32)].into_iter());
//! a.merge(b);
//! let s = a.terms.get(Lang::Zh, "挖矿").unwrap();
//! assert_eq!((a.totals.documents, s.count, s.doc_freq), (2, 3, 2));
//! ```
//!
//! | file | holds |
//! |---|---|
//! | `terms` | [`TermTable`], [`TermStat`], [`FirstFiles`] |
//! | `totals` | [`Totals`], [`Coverage`] |
//! | `docstore` | the documents of a run: records spilled, statistics sorted by id on disk |
//! | [`partial`] | the partial aggregate of `duibi analyze --partial`, and its checks |
//! | [`set_aside`] | passages and duplicates set aside, tokens removed |

pub(crate) mod docstore;
pub mod partial;
pub mod set_aside;
mod terms;
mod totals;

pub use terms::{FirstFiles, TermStat, TermTable};
pub use totals::{Coverage, LangUnits, Totals};

use crate::corpus::{Skipped, Warning};
use crate::lang::Lang;
use docstore::DocStore;
use std::collections::BTreeMap;

/// Aggregate of one group: totals, term table and lexicon coverage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupAgg {
    /// Integer totals.
    pub totals: Totals,
    /// Term counts.
    pub terms: TermTable,
    /// Lexicon coverage per language.
    pub coverage: BTreeMap<Lang, Coverage>,
}

impl GroupAgg {
    /// Merges another group aggregate.
    pub fn merge(&mut self, o: GroupAgg) {
        self.totals.merge(&o.totals);
        self.terms.merge(o.terms);
        for (l, c) in o.coverage {
            self.coverage.entry(l).or_default().add(&c);
        }
    }
}

/// The aggregate of a run, or of merged partials: group aggregates, the documents,
/// and the files skipped and warnings raised.
#[derive(Debug, Default)]
pub(crate) struct RunAgg {
    /// Group aggregates by group name.
    pub groups: BTreeMap<String, GroupAgg>,
    /// Documents and their concept rows: statistics in memory, records spilled.
    pub store: DocStore,
    /// Files (or lines) not analysed.
    pub skipped: Vec<Skipped>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
    /// Files (or lines, or in-memory documents) analysed.
    pub files_analyzed: u64,
    /// What was set aside before counting.
    pub set_aside: set_aside::SetAsideAgg,
}

impl RunAgg {
    /// Merges another run aggregate.
    pub fn merge(mut self, o: RunAgg) -> RunAgg {
        for (g, a) in o.groups {
            self.groups.entry(g).or_default().merge(a);
        }
        self.store.merge(o.store);
        self.skipped.extend(o.skipped);
        self.warnings.extend(o.warnings);
        self.files_analyzed += o.files_analyzed;
        self.set_aside.merge(o.set_aside);
        self
    }

    /// Sorts the skipped files and warnings into report order, so nothing depends on
    /// which thread took which file (the documents are sorted by
    /// [`DocStore::finish`]).
    pub fn sort(&mut self) {
        self.skipped.sort();
        self.warnings.sort();
    }
}
