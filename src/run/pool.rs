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
    ///
    /// Only folding the vocabularies is one thread's work: the rest of the
    /// aggregates (documents, totals, set-aside counts) merge beside it, the documents
    /// are sorted into report order there too, and each group's counts are renumbered
    /// and tabled on a thread of its own.
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
        // Each group's counts: the largest vocabulary's, then every other thread's
        // with the index of its renumbering, in thread order.
        let mut dense: BTreeMap<String, (DenseTerms, Vec<(usize, DenseTerms)>)> =
            std::mem::take(&mut acc.dense)
                .into_iter()
                .map(|(g, d)| (g, (d, Vec::new())))
                .collect();
        let mut runs = Vec::new();
        let mut scratches = Vec::new();
        for (k, (mut o, os)) in slots.enumerate() {
            for (g, d) in std::mem::take(&mut o.dense) {
                dense.entry(g).or_default().1.push((k, d));
            }
            runs.push(o);
            scratches.push(os);
        }
        let mut vocab = base.vocab;
        let mut run = std::mem::take(&mut acc.run);
        let tables: Vec<(String, TermTable)> = pool.install(|| {
            let (tables, ()) = rayon::join(
                || {
                    let ids: Vec<Vec<u32>> =
                        scratches.iter().map(|os| vocab.absorb(&os.vocab)).collect();
                    drop(scratches);
                    let (vocab, ids) = (&vocab, &ids);
                    dense
                        .into_par_iter()
                        .map(|(g, (mut d, others))| {
                            for (k, o) in others {
                                d.absorb(o, &ids[k], vocab.len());
                            }
                            let mut t = TermTable::default();
                            d.drain_into(vocab, &mut t);
                            (g, t)
                        })
                        .collect()
                },
                || {
                    for o in runs {
                        run = std::mem::take(&mut run).merge(o.run);
                    }
                    run.store.finish_early();
                },
            );
            tables
        });
        for (g, t) in tables {
            run.groups.entry(g).or_default().terms.merge(t);
        }
        acc.run = run;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::dedupe::Screen;

    /// Documents of two groups in two languages; `b` holds terms no `a` document has.
    fn docs() -> Vec<Document> {
        let text = [
            ("a", "监管趋严，矿工把矿机运往海外。比特币的算力下降了。"),
            ("a", "Miners moved their rigs to Texas after the ban."),
            (
                "b",
                "Electricity prices in Kazakhstan rose sharply this winter.",
            ),
            ("b", "哈萨克斯坦的电价上涨，矿场纷纷关闭。"),
            ("a", "矿机运往海外，算力恢复。"),
            ("b", "Texas grid operators paid miners to shut down."),
        ];
        text.iter()
            .enumerate()
            .map(|(i, (g, t))| Document::in_memory(format!("d{i}"), *g, *t))
            .collect()
    }

    /// The merged aggregate of `slots` (each a list of document indices analysed on
    /// one thread's accumulator), on a pool of `threads`.
    fn merged(p: &super::super::Pipeline, slots: &[&[usize]], threads: usize) -> Acc {
        let docs = docs();
        let s = Slots(
            slots
                .iter()
                .map(|items| {
                    let (mut acc, mut scratch) = <(Acc, Scratch)>::default();
                    for &i in *items {
                        let d = docs[i].clone();
                        p.add_to(&mut acc, d, &mut scratch, i as u32, &Screen::none());
                    }
                    std::sync::Mutex::new((acc, scratch))
                })
                .collect(),
        );
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        s.into_acc(&pool)
    }

    /// Merging the threads' accumulators gives the aggregate of one thread that met
    /// every document, whichever thread met which group (a group no thread but a
    /// small one met included), on a pool of one thread or more.
    #[test]
    fn merged_threads_equal_one_thread() {
        let p = super::super::Pipeline::builder()
            .bootstrap_reps(200)
            .build()
            .unwrap();
        let one = merged(&p, &[&[0, 1, 2, 3, 4, 5]], 1);
        assert!(one.run.groups["b"].terms.vocabulary(crate::lang::Lang::En) > 0);
        for (split, threads) in [
            (&[&[0, 1, 4][..], &[2, 3], &[5]][..], 2),
            (&[&[0, 1, 4], &[2, 3], &[5]], 1),
            (&[&[0, 1, 2, 3], &[4], &[5]], 3),
            (&[&[], &[5, 4, 3, 2, 1, 0]], 2),
        ] {
            let m = merged(&p, split, threads);
            assert_eq!(m.run.groups, one.run.groups, "{split:?} on {threads}");
            assert_eq!(m.run.store.len(), one.run.store.len());
            assert!(m.dense.is_empty());
        }
    }
}
