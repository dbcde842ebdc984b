//! Thread scheduling of a run: one accumulator and one [`Scratch`] per pool thread,
//! items handed out one at a time, and the threads' accumulators merged at the end.

use crate::aggregate::{RunAgg, TermTable};
use crate::analysis::vocab::DenseTerms;
use crate::analysis::Scratch;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One accumulator (and scratch buffers) per pool thread. [`Slots::share`] hands items
/// to the threads one at a time from a shared counter, so none sits idle while another
/// still has a long run of items (an up-front split of the list can be uneven: Chinese
/// text costs more per byte). Aggregates are sums and the report sorts everything, so
/// which thread took which item does not change the result.
pub(super) struct Slots(Vec<std::sync::Mutex<(Acc, Scratch)>>);

impl Slots {
    pub fn new(pool: &rayon::ThreadPool) -> Self {
        Slots(
            (0..pool.current_num_threads())
                .map(|_| std::sync::Mutex::new(Default::default()))
                .collect(),
        )
    }

    /// Calls `each(acc, scratch, index, item)` once per item, on the pool's threads.
    pub fn share<T: Sync>(
        &self,
        pool: &rayon::ThreadPool,
        items: &[T],
        each: impl Fn(&mut Acc, &mut Scratch, usize, &T) + Sync,
    ) {
        let next = std::sync::atomic::AtomicUsize::new(0);
        pool.broadcast(|ctx| {
            let Some(slot) = self.0.get(ctx.index()) else {
                return;
            };
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            let (acc, scratch) = &mut *slot;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                each(acc, scratch, i, item);
            }
        });
    }

    /// The threads' accumulators merged. The vocabularies are folded into the largest
    /// one first (each thread's id-indexed term counts renumbered and added to its
    /// arrays, and the thread's vocabulary dropped), so the terms are turned into
    /// string-keyed tables once, one group per pool thread, instead of once per thread
    /// and then merged: a run holds one string table per group, never one per thread.
    /// Every step is a sum, so the result does not depend on which thread met what.
    pub fn into_acc(self, pool: &rayon::ThreadPool) -> Acc {
        let mut slots: Vec<(Acc, Scratch)> = self
            .0
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        slots.sort_by_key(|(_, s)| std::cmp::Reverse(s.vocab.len()));
        let mut slots = slots.into_iter();
        let Some((mut acc, base)) = slots.next() else {
            return Acc::default();
        };
        let mut vocab = base.vocab;
        for (mut o, os) in slots {
            let ids = vocab.absorb(&os.vocab);
            drop(os);
            for (g, d) in std::mem::take(&mut o.dense) {
                acc.dense.entry(g).or_default().absorb(d, &ids, vocab.len());
            }
            let dense = std::mem::take(&mut acc.dense);
            acc = acc.merge(o);
            acc.dense = dense;
        }
        let dense: Vec<(String, DenseTerms)> = std::mem::take(&mut acc.dense).into_iter().collect();
        let vocab = &vocab;
        let tables: Vec<(String, TermTable)> = pool.install(|| {
            dense
                .into_par_iter()
                .map(|(g, mut d)| {
                    let mut t = TermTable::default();
                    d.drain_into(vocab, &mut t);
                    (g, t)
                })
                .collect()
        });
        for (g, t) in tables {
            acc.run.groups.entry(g).or_default().terms.merge(t);
        }
        acc
    }
}

/// A run's aggregate with what its report needs besides.
pub(super) struct Collected {
    pub acc: Acc,
    pub root: String,
    pub discovered: u64,
    pub metadata: Vec<String>,
    /// What the run set aside (the evidence pass skips it too).
    pub screen: crate::dedupe::Screen,
}

impl Collected {
    /// The collected run, its aggregate recording the screen's decisions.
    pub fn new(
        mut acc: Acc,
        root: String,
        discovered: u64,
        metadata: Vec<String>,
        screen: crate::dedupe::Screen,
    ) -> Self {
        acc.run.set_aside.screen = screen.summary().clone();
        Collected {
            acc,
            root,
            discovered,
            metadata,
            screen,
        }
    }
}

/// The aggregate of one pool thread.
#[derive(Default)]
pub(super) struct Acc {
    /// Group aggregates, documents, skipped files and warnings.
    pub run: RunAgg,
    /// Term counts per group by vocabulary id (of the owning thread's [`Scratch`]),
    /// moved into `run.groups` by [`Slots::into_acc`].
    pub dense: BTreeMap<String, DenseTerms>,
}

impl Acc {
    fn merge(mut self, o: Acc) -> Acc {
        debug_assert!(self.dense.is_empty() && o.dense.is_empty());
        self.run = self.run.merge(o.run);
        self
    }
}
