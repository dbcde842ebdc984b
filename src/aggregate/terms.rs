//! Term tables: count and document frequency of every term, per language.
//!
//! ```
//! use duibi::aggregate::TermTable;
//! use duibi::lang::Lang;
//! let mut a = TermTable::default();
//! a.add_doc(Lang::Zh, [("挖矿", 2u32), ("矿场", 1)].into_iter());
//! let mut b = TermTable::default();
//! b.add_doc(Lang::Zh, [("挖矿", 1u32)].into_iter());
//! a.merge(b);
//! let s = a.get(Lang::Zh, "挖矿").unwrap();
//! assert_eq!((s.count, s.doc_freq), (3, 2));
//! ```

use crate::lang::Lang;
use compact_str::CompactString;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Count and document frequency of one term.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermStat {
    /// Occurrences.
    pub count: u64,
    /// Documents containing the term.
    pub doc_freq: u64,
    /// `Σc²` over the documents containing the term (`c` its count in one
    /// document): with [`TermStat::count_tokens`], what the document-level test of
    /// [`stats::cluster`](crate::stats::cluster_test) needs. Saturates.
    pub count_sq: u64,
    /// `Σc·n` over those documents, `n` the document's word tokens of the term's
    /// language. Saturates.
    pub count_tokens: u64,
    /// The first files (by ordinal in the sorted file list) that contain the term,
    /// kept during a directory run so the evidence pass reads only those files. Not part
    /// of partial aggregates (ordinals are local to one run), and not compared.
    #[serde(skip)]
    pub first_files: FirstFiles,
}

impl TermStat {
    /// Adds `o` (the same term counted elsewhere: another document set or worker).
    ///
    /// ```
    /// use duibi::aggregate::TermStat;
    /// let mut a = TermStat { count: 3, doc_freq: 2, ..Default::default() };
    /// a.add(&TermStat { count: 1, doc_freq: 1, ..Default::default() });
    /// assert_eq!((a.count, a.doc_freq), (4, 3));
    /// ```
    pub fn add(&mut self, o: &TermStat) {
        self.count += o.count;
        self.doc_freq += o.doc_freq;
        self.count_sq = self.count_sq.saturating_add(o.count_sq);
        self.count_tokens = self.count_tokens.saturating_add(o.count_tokens);
        self.first_files.merge(&o.first_files);
    }

    /// The statistics of a term that occurs `count` times in one document of
    /// `doc_tokens` word tokens of its language, in file `file` (`u32::MAX`: none).
    ///
    /// ```
    /// use duibi::aggregate::TermStat;
    /// let s = TermStat::of_doc(3, 100, u32::MAX);
    /// assert_eq!((s.count, s.doc_freq, s.count_sq, s.count_tokens), (3, 1, 9, 300));
    /// ```
    #[inline]
    pub fn of_doc(count: u32, doc_tokens: u64, file: u32) -> TermStat {
        let c = u64::from(count);
        let mut first_files = FirstFiles::default();
        first_files.insert(file);
        TermStat {
            count: c,
            doc_freq: 1,
            count_sq: c.saturating_mul(c),
            count_tokens: c.saturating_mul(doc_tokens),
            first_files,
        }
    }

    /// The per-document sums of the term in one group, as the document-level test
    /// takes them.
    pub fn unit_sums(&self) -> crate::stats::TermSums {
        crate::stats::TermSums {
            count: self.count,
            count_sq: u128::from(self.count_sq),
            count_tokens: u128::from(self.count_tokens),
            units_with: self.doc_freq,
        }
    }
}

/// The [`FirstFiles::CAP`] smallest distinct file ordinals seen: a mergeable (min-k)
/// summary, so it gives the same answer however the files were split across threads.
///
/// ```
/// use duibi::aggregate::FirstFiles;
/// let mut a = FirstFiles::default();
/// for f in [9, 4, 4, 7, 1] {
///     a.insert(f);
/// }
/// let mut b = FirstFiles::default();
/// b.insert(2);
/// a.merge(&b);
/// assert_eq!(a.files().collect::<Vec<_>>(), vec![1, 2, 4]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FirstFiles([u32; FirstFiles::CAP]);

impl FirstFiles {
    /// How many ordinals are kept.
    pub const CAP: usize = 3;
    const NONE: u32 = u32::MAX;

    /// Records file `f` (`u32::MAX` means "no file ordinal" and is ignored).
    #[inline]
    pub fn insert(&mut self, f: u32) {
        let a = &mut self.0;
        if f >= a[Self::CAP - 1] || a.contains(&f) {
            return;
        }
        // Shift the larger ordinals up one place (the last one drops out), each with
        // a fixed-size move: `CAP` is small, and a call to move a slice of variable
        // length cost more than the shift (a term's first files are recorded once per
        // document that holds it).
        let mut i = Self::CAP - 1;
        while i > 0 && a[i - 1] > f {
            a[i] = a[i - 1];
            i -= 1;
        }
        a[i] = f;
    }

    /// Merges another summary into this one.
    pub fn merge(&mut self, o: &FirstFiles) {
        for f in o.files() {
            self.insert(f);
        }
    }

    /// The ordinals kept, ascending.
    pub fn files(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().copied().take_while(|&f| f != Self::NONE)
    }
}

impl Default for FirstFiles {
    fn default() -> Self {
        FirstFiles([Self::NONE; Self::CAP])
    }
}

/// Always equal: file ordinals are bookkeeping of one run, not part of the statistics.
impl PartialEq for FirstFiles {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for FirstFiles {}

/// Term statistics per language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermTable {
    by_lang: BTreeMap<Lang, FxHashMap<CompactString, TermStat>>,
}

impl TermTable {
    /// Adds the term counts of one document (each term once, with its count); the
    /// document's tokens of `lang` are taken to be the terms given.
    pub fn add_doc<'a>(&mut self, lang: Lang, terms: impl Iterator<Item = (&'a str, u32)> + Clone) {
        let n: u64 = terms.clone().map(|(_, c)| u64::from(c)).sum();
        for (t, c) in terms {
            self.add_term_in(lang, t, c, n, u32::MAX);
        }
    }

    /// Adds one term of a one-term document (`count` occurrences, which are all the
    /// document's tokens of `lang`).
    pub fn add_term(&mut self, lang: Lang, term: &str, count: u32) {
        self.add_term_in(lang, term, count, u64::from(count), u32::MAX);
    }

    /// Adds one term of one document: `count` occurrences among the document's
    /// `doc_tokens` word tokens of `lang`, in file `file` (its ordinal in the sorted
    /// file list, recorded in [`TermStat::first_files`]; `u32::MAX` for none).
    pub fn add_term_in(&mut self, lang: Lang, term: &str, count: u32, doc_tokens: u64, file: u32) {
        let s = TermStat::of_doc(count, doc_tokens, file);
        self.add_stat(lang, term, &s);
    }

    /// Adds the statistics `s` of `term` (counted elsewhere, e.g. over several
    /// documents) to this table.
    pub fn add_stat(&mut self, lang: Lang, term: &str, s: &TermStat) {
        let map = self.by_lang.entry(lang).or_default();
        if let Some(e) = map.get_mut(term) {
            e.add(s);
        } else {
            map.insert(CompactString::from(term), *s);
        }
    }

    /// [`add_stat`](Self::add_stat) for a term that is most likely not in the table
    /// yet (a table being filled from distinct terms): one hash-table probe instead
    /// of a failed lookup and an insertion. The result is that of `add_stat` either
    /// way.
    pub fn add_new_stat(&mut self, lang: Lang, term: &str, s: &TermStat) {
        use std::collections::hash_map::Entry;
        match self
            .by_lang
            .entry(lang)
            .or_default()
            .entry(CompactString::from(term))
        {
            Entry::Occupied(mut e) => e.get_mut().add(s),
            Entry::Vacant(e) => {
                e.insert(*s);
            }
        }
    }

    /// Makes room for `additional` more terms of `lang` at once, so a table filled
    /// with a known number of terms is allocated once, not grown (and rehashed, and
    /// its fresh pages faulted in) at every doubling.
    pub fn reserve(&mut self, lang: Lang, additional: usize) {
        self.by_lang.entry(lang).or_default().reserve(additional);
    }

    /// Merges another table into this one.
    pub fn merge(&mut self, other: TermTable) {
        for (lang, omap) in other.by_lang {
            let map = self.by_lang.entry(lang).or_default();
            if map.is_empty() {
                *map = omap;
                continue;
            }
            for (t, s) in omap {
                map.entry(t).or_default().add(&s);
            }
        }
    }

    /// Statistics of one term.
    pub fn get(&self, lang: Lang, term: &str) -> Option<TermStat> {
        self.by_lang.get(&lang)?.get(term).copied()
    }

    /// Languages present.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.by_lang.keys().copied()
    }

    /// All terms of a language (unordered).
    pub fn terms(&self, lang: Lang) -> impl Iterator<Item = (&str, TermStat)> + '_ {
        self.by_lang
            .get(&lang)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), *v)))
    }

    /// Number of distinct terms in a language.
    pub fn vocabulary(&self, lang: Lang) -> usize {
        self.by_lang.get(&lang).map_or(0, |m| m.len())
    }

    /// The `n` most frequent terms of a language, by count (desc), then term (asc):
    /// a total order, so ties are broken the same way on every run.
    pub fn top(&self, lang: Lang, n: usize) -> Vec<(&str, TermStat)> {
        let order = |a: &(&str, &TermStat), b: &(&str, &TermStat)| {
            b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0))
        };
        // Selected by reference: only the statistics of the terms kept are copied.
        let mut v: Vec<(&str, &TermStat)> = self
            .by_lang
            .get(&lang)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, s)| (k.as_str(), s)))
            .collect();
        // The order is total (terms are distinct), so selecting the first `n` and
        // sorting only those gives the same list as sorting everything.
        if n == 0 {
            v.clear();
        } else if n < v.len() {
            v.select_nth_unstable_by(n - 1, order);
            v.truncate(n);
        }
        v.sort_unstable_by(order);
        v.into_iter().map(|(t, s)| (t, *s)).collect()
    }

    /// Every term of `lang` in this table or in `other`, with its statistics here and
    /// there (default statistics where it is absent), in no particular order.
    pub fn outer_join<'a>(
        &'a self,
        other: &'a TermTable,
        lang: Lang,
    ) -> impl Iterator<Item = (&'a str, TermStat, TermStat)> + 'a {
        let mine = self.by_lang.get(&lang);
        let theirs = other.by_lang.get(&lang);
        fn get(m: Option<&FxHashMap<CompactString, TermStat>>, t: &str) -> Option<TermStat> {
            m.and_then(|m| m.get(t)).copied()
        }
        let both = mine
            .into_iter()
            .flatten()
            .map(move |(t, a)| (t.as_str(), *a, get(theirs, t).unwrap_or_default()));
        let only_theirs = theirs
            .into_iter()
            .flatten()
            .filter(move |(t, _)| get(mine, t).is_none())
            .map(|(t, b)| (t.as_str(), TermStat::default(), *b));
        both.chain(only_theirs)
    }

    /// Sorted, serializable form (for partial aggregates).
    pub fn to_sorted(&self) -> BTreeMap<Lang, BTreeMap<String, TermStat>> {
        self.by_lang
            .iter()
            .map(|(l, m)| (*l, m.iter().map(|(k, v)| (k.to_string(), *v)).collect()))
            .collect()
    }

    /// Rebuilds a table from its sorted form.
    pub fn from_sorted(s: BTreeMap<Lang, BTreeMap<String, TermStat>>) -> Self {
        TermTable {
            by_lang: s
                .into_iter()
                .map(|(l, m)| {
                    (
                        l,
                        m.into_iter()
                            .map(|(k, v)| (CompactString::from(k), v))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `add_new_stat` gives the table `add_stat` gives, for new terms and for terms
    /// already there (long ones too, which do not fit a `CompactString` inline), and a
    /// reserved map takes its terms without growing.
    #[test]
    fn add_new_stat_equals_add_stat_and_reserve_sizes_once() {
        let terms: Vec<String> = (0..3000u32)
            .map(|k| match k % 3 {
                0 => format!("t{k}"),
                1 => format!("矿{k}"),
                _ => format!("a-term-longer-than-twenty-four-bytes-{k}"),
            })
            .collect();
        let stat = |k: usize| TermStat::of_doc(1 + (k % 7) as u32, 10 + k as u64, k as u32);
        let (mut slow, mut fast) = (TermTable::default(), TermTable::default());
        let capacity = |t: &TermTable| t.by_lang.get(&Lang::Zh).map_or(0, |m| m.capacity());
        fast.reserve(Lang::Zh, terms.len());
        let cap = capacity(&fast);
        assert!(cap >= terms.len(), "{cap}");
        for (k, t) in terms.iter().enumerate() {
            slow.add_stat(Lang::Zh, t, &stat(k));
            fast.add_new_stat(Lang::Zh, t, &stat(k));
        }
        assert_eq!(capacity(&fast), cap);
        // Every third term again, with other statistics: added, not replaced.
        for (k, t) in terms.iter().enumerate().step_by(3) {
            slow.add_stat(Lang::Zh, t, &stat(k + 1));
            fast.add_new_stat(Lang::Zh, t, &stat(k + 1));
        }
        assert_eq!(fast.to_sorted(), slow.to_sorted());
        assert_eq!(fast.get(Lang::Zh, &terms[3]).map(|s| s.doc_freq), Some(2));
        let files = |t: &TermTable| -> Vec<Vec<u32>> {
            terms
                .iter()
                .map(|x| {
                    t.get(Lang::Zh, x)
                        .map_or(vec![], |s| s.first_files.files().collect())
                })
                .collect()
        };
        assert_eq!(files(&fast), files(&slow));
    }

    #[test]
    fn top_selects_like_a_full_sort_and_outer_join_covers_both_tables() {
        let mut t = TermTable::default();
        let mut u = TermTable::default();
        for k in 0..500u32 {
            let term = format!("t{}", (k * 7919) % 500);
            t.add_term(Lang::En, &term, 1 + (k % 13) / 4);
            if k % 3 == 0 {
                u.add_term(Lang::En, &term, 2);
            }
        }
        u.add_term(Lang::En, "only-u", 4);
        u.add_term(Lang::Zh, "矿", 1);
        let mut all: Vec<(&str, TermStat)> = t.terms(Lang::En).collect();
        all.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        for n in [0, 1, 7, 100, 499, 500, 600] {
            assert_eq!(
                t.top(Lang::En, n),
                all[..n.min(all.len())].to_vec(),
                "n {n}"
            );
        }
        let mut j: Vec<(&str, TermStat, TermStat)> = t.outer_join(&u, Lang::En).collect();
        j.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(j.len(), 501);
        for (term, a, b) in &j {
            assert_eq!(t.get(Lang::En, term).unwrap_or_default(), *a);
            assert_eq!(u.get(Lang::En, term).unwrap_or_default(), *b);
        }
        let z: Vec<_> = t.outer_join(&u, Lang::Zh).collect();
        assert_eq!(z.len(), 1);
        assert_eq!((z[0].0, z[0].1.count, z[0].2.count), ("矿", 0, 1));
        assert_eq!(t.outer_join(&u, Lang::Ko).count(), 0);
    }

    /// Every sequence of up to five file ordinals from a small set (repeats and
    /// "no file" included) leaves the smallest `CAP` distinct ones, ascending.
    #[test]
    fn first_files_keep_the_smallest_distinct_ordinals() {
        let alphabet = [0u32, 1, 2, 5, 9, u32::MAX];
        let mut seqs: Vec<Vec<u32>> = vec![Vec::new()];
        for len in 1..=5u32 {
            for code in 0..alphabet.len().pow(len) {
                let seq = (0..len)
                    .scan(code, |c, _| {
                        let f = alphabet[*c % alphabet.len()];
                        *c /= alphabet.len();
                        Some(f)
                    })
                    .collect();
                seqs.push(seq);
            }
        }
        for s in &seqs {
            let mut a = FirstFiles::default();
            for &f in s {
                a.insert(f);
            }
            let mut want: Vec<u32> = s.iter().copied().filter(|&f| f != u32::MAX).collect();
            want.sort_unstable();
            want.dedup();
            want.truncate(FirstFiles::CAP);
            assert_eq!(a.files().collect::<Vec<_>>(), want, "{s:?}");
        }
    }

    #[test]
    fn merge_is_order_independent() {
        let docs: Vec<Vec<(&str, u32)>> = vec![
            vec![("a", 1), ("b", 2)],
            vec![("b", 1)],
            vec![("c", 5), ("a", 1)],
        ];
        let mk = |idx: &[usize]| {
            let mut t = TermTable::default();
            for &i in idx {
                let mut one = TermTable::default();
                one.add_doc(Lang::En, docs[i].iter().copied());
                t.merge(one);
            }
            t
        };
        let a = mk(&[0, 1, 2]);
        let b = mk(&[2, 0, 1]);
        assert_eq!(a, b);
        assert_eq!(
            a.top(Lang::En, 2),
            vec![
                (
                    "c",
                    // One document of 6 tokens: Σc² = 25, Σc·n = 30.
                    TermStat {
                        count: 5,
                        doc_freq: 1,
                        count_sq: 25,
                        count_tokens: 30,
                        ..Default::default()
                    }
                ),
                (
                    "b",
                    // 2 of 3 tokens, then 1 of 1: Σc² = 5, Σc·n = 7.
                    TermStat {
                        count: 3,
                        doc_freq: 2,
                        count_sq: 5,
                        count_tokens: 7,
                        ..Default::default()
                    }
                )
            ]
        );
    }
}
