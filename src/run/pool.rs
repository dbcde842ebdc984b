//! Thread scheduling of a run: one accumulator and one [`Scratch`] per pool thread,
//! items handed out one at a time, and the threads' accumulators merged at the end.

use crate::aggregate::{RunAgg, TermTable};
use crate::analysis::vocab::DenseTerms;
use crate::analysis::Scratch;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One accumulator (and scratch buffers) per pool thread. [`Slots::share`] hands items
/// to the threads one at a time (see [`Handout`]), so none sits idle while another
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
    /// `breaks` (ascending, may be empty) are the indices where a new group of items
    /// begins: the threads' blocks start there where they can (see [`Handout::new`]).
    pub fn share<T: Sync>(
        &self,
        pool: &rayon::ThreadPool,
        items: &[T],
        breaks: &[usize],
        each: impl Fn(&mut Acc, &mut Scratch, usize, &T) + Sync,
    ) {
        let handout = Handout::new(items.len(), self.0.len(), breaks);
        pool.broadcast(|ctx| {
            let Some(slot) = self.0.get(ctx.index()) else {
                return;
            };
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            let (acc, scratch) = &mut *slot;
            while let Some(i) = handout.next(ctx.index()) {
                if let Some(item) = items.get(i) {
                    each(acc, scratch, i, item);
                }
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

/// Item indices `0..n` handed out one at a time to `k` threads, each thread mostly
/// meeting neighbouring items. Thread `t` owns the `t`-th of `k` contiguous blocks and
/// takes its items from the front; once its block is empty it takes from the back of
/// the block with the most items left, so the threads finish together as with one
/// shared counter. A directory's files are listed group by group (and a group is mostly
/// one language), so at two threads each thread meets mostly one group: its vocabulary
/// (each term's lexicon facts, looked up once per thread that meets the term), its
/// term counts and its caches hold about one language, not both.
pub(super) struct Handout(Vec<std::sync::Mutex<std::ops::Range<usize>>>);

impl Handout {
    /// The items `0..n` in `k` blocks (one block when `k` is 0), each of about `n / k`
    /// items; where `breaks` (ascending indices where a group of items begins) is not
    /// empty, each block starts instead at the break nearest that even split, so that a
    /// directory of two groups run on two threads gives each thread one group. Uneven
    /// blocks cost nothing but a later mix: a thread done early helps the others.
    pub fn new(n: usize, k: usize, breaks: &[usize]) -> Self {
        let k = k.max(1);
        let start = |t: usize| {
            if t == 0 || t == k {
                return if t == 0 { 0 } else { n };
            }
            // 128-bit so that `n * t` cannot overflow.
            let even = (n as u128 * t as u128 / k as u128) as usize;
            let after = breaks.partition_point(|&b| b < even);
            let near = [after.checked_sub(1), Some(after)]
                .into_iter()
                .flatten()
                .filter_map(|i| breaks.get(i))
                .min_by_key(|&&b| b.abs_diff(even));
            near.map_or(even, |&b| b.min(n))
        };
        // Never decreasing (whatever `breaks` holds), so the blocks cover `0..n` once.
        let mut starts: Vec<usize> = (0..=k).map(start).collect();
        for t in 1..starts.len() {
            starts[t] = starts[t].max(starts[t - 1]);
        }
        Handout(
            starts
                .windows(2)
                .map(|w| std::sync::Mutex::new(w[0]..w[1]))
                .collect(),
        )
    }

    /// The next item for thread `t`: the front of its own block, else the back of the
    /// fullest block; `None` when every item has been handed out.
    pub fn next(&self, t: usize) -> Option<usize> {
        let take = |b: &std::sync::Mutex<std::ops::Range<usize>>, front: bool| {
            let mut r = b.lock().unwrap_or_else(|e| e.into_inner());
            if front {
                r.next()
            } else {
                r.next_back()
            }
        };
        let left = |b: &std::sync::Mutex<std::ops::Range<usize>>| {
            b.lock().unwrap_or_else(|e| e.into_inner()).len()
        };
        if let Some(i) = self.0.get(t).and_then(|own| take(own, true)) {
            return Some(i);
        }
        // Items are only ever taken, so this ends: each pass takes one or finds none left.
        loop {
            let fullest = self.0.iter().max_by_key(|b| left(b))?;
            if let Some(i) = take(fullest, false) {
                return Some(i);
            }
            if self.0.iter().all(|b| left(b) == 0) {
                return None;
            }
        }
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

    /// Every item is handed out exactly once, whichever threads ask and in whatever
    /// order (a thread that never asks included), for more threads than items too.
    #[test]
    fn handout_gives_each_item_once() {
        for (n, k) in [(0, 1), (1, 2), (7, 1), (10, 2), (10, 3), (3, 5), (101, 4)] {
            for pattern in [&[0usize, 1][..], &[1, 1, 0], &[0], &[2, 0, 1, 1], &[4, 3]] {
                let h = Handout::new(n, k, &[]);
                let mut seen = vec![0u32; n];
                let mut asks = pattern.iter().cycle();
                let mut dry = 0;
                while dry < pattern.len() {
                    match asks.next().and_then(|&t| h.next(t)) {
                        Some(i) => {
                            seen[i] += 1;
                            dry = 0;
                        }
                        None => dry += 1,
                    }
                }
                assert!(
                    seen.iter().all(|&c| c == 1),
                    "{n} items, {k} blocks, {pattern:?}"
                );
            }
        }
        // Real threads racing for the items.
        let h = Handout::new(10_000, 2, &[]);
        let taken: Vec<Vec<usize>> = std::thread::scope(|s| {
            let h = &h;
            let ts: Vec<_> = (0..2)
                .map(|t| s.spawn(move || std::iter::from_fn(|| h.next(t)).collect()))
                .collect();
            ts.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let mut all: Vec<usize> = taken.concat();
        all.sort_unstable();
        assert_eq!(all, (0..10_000).collect::<Vec<_>>());
    }

    /// Two threads taking turns each meet one contiguous half (a directory's two
    /// groups, one per thread), not every other item; a thread done with its half
    /// helps from the back of the other's.
    #[test]
    fn handout_keeps_each_thread_on_its_block() {
        let h = Handout::new(10, 2, &[]);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            a.extend(h.next(0));
            b.extend(h.next(1));
        }
        assert_eq!(a, [0, 1, 2, 3, 4]);
        assert_eq!(b, [5, 6, 7, 8, 9]);
        let h = Handout::new(10, 2, &[]);
        let a: Vec<usize> = (0..3).filter_map(|_| h.next(0)).collect();
        let b: Vec<usize> = std::iter::from_fn(|| h.next(1)).collect();
        assert_eq!(a, [0, 1, 2]);
        assert_eq!(b, [5, 6, 7, 8, 9, 4, 3]);
        assert_eq!(h.next(0), None);
    }

    /// With group breaks, each block starts at the break nearest its even split: two
    /// groups of 3 and 7 items on two threads give each thread its own group.
    #[test]
    fn handout_blocks_start_at_group_breaks() {
        let h = Handout::new(10, 2, &[3]);
        let a: Vec<usize> = std::iter::from_fn(|| h.next(0)).take(3).collect();
        let b: Vec<usize> = std::iter::from_fn(|| h.next(1)).take(7).collect();
        assert_eq!(a, [0, 1, 2]);
        assert_eq!(b, [3, 4, 5, 6, 7, 8, 9]);
        assert_eq!((h.next(0), h.next(1)), (None, None));
        // Three threads, breaks at 2 and 9 of 12 items: blocks 0..2, 2..9, 9..12.
        let h = Handout::new(12, 3, &[2, 9]);
        assert_eq!(
            (h.next(0), h.next(1), h.next(2)),
            (Some(0), Some(2), Some(9))
        );
        // Every item still once, with breaks that pull two starts together, and with
        // breaks out of order.
        for breaks in [&[1, 19][..], &[15, 3, 9]] {
            let h = Handout::new(20, 4, breaks);
            let mut all: Vec<usize> = std::iter::from_fn(|| h.next(3)).collect();
            all.sort_unstable();
            assert_eq!(all, (0..20).collect::<Vec<_>>(), "{breaks:?}");
        }
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
