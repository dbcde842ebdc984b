//! The concept matcher: every form of a glossary cut into terms and compiled into one
//! byte trie; [`ConceptMatcher::find`] walks it from each token (rules in the
//! [module docs](super#matching)).
//!
//! ```
//! use duibi::concepts::{ConceptMatcher, Glossary};
//! use duibi::tokenize::Tokenizer;
//! let tok = Tokenizer::builder().build().unwrap();
//! let m = ConceptMatcher::new(&Glossary::shipped(), &tok);
//! let (_, buf) = tok.tokenize("the hash rate");
//! let mut hits = Vec::new();
//! m.find(&buf, &mut hits);
//! assert_eq!((m.id(hits[0].concept), hits[0].first, hits[0].last), ("hash_rate", 1, 2));
//! ```

use super::concept::{Concept, ConceptInfo};
use super::glossary::Glossary;
use crate::lang::{self, Lang, Script};
use crate::tokenize::{Prepared, TokenBuf, Tokenizer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// What the matcher needs of a term, looked up once per term (a worker's vocabulary
/// keeps it, see [`ConceptMatcher::start_node`]): its node in the matcher's trie,
/// reached from the root (none when no key starts with the term), and whether its
/// first and its last character are Han (which decides how it joins its neighbours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StartNode(u32);

/// [`StartNode`]'s bit for a term whose first character is Han.
const HAN_FIRST: u32 = 1 << 31;
/// [`StartNode`]'s bit for a term whose last character is Han.
const HAN_LAST: u32 = 1 << 30;
/// [`StartNode`]'s node bits; all set: no node.
const NODE_BITS: u32 = HAN_LAST - 1;

impl StartNode {
    /// No key starts with the term (and it has no Han character at either end).
    pub(crate) const NONE: StartNode = StartNode(NODE_BITS);

    /// The trie node, if a key starts with the term.
    #[inline]
    pub(crate) fn node(self) -> Option<u32> {
        let n = self.0 & NODE_BITS;
        (n != NODE_BITS).then_some(n)
    }

    /// The term's first character is Han.
    #[inline]
    fn han_first(self) -> bool {
        self.0 & HAN_FIRST != 0
    }

    /// The term's last character is Han.
    #[inline]
    fn han_last(self) -> bool {
        self.0 & HAN_LAST != 0
    }
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
pub(super) fn is_han(c: Option<char>) -> bool {
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
pub(crate) struct FormCuts(pub(super) Vec<Option<Vec<(String, Lang)>>>);

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

/// Records the longest match of the walk from token `i`, `best` (its last token and
/// concept), if any; returns the token the next walk starts from (the one after the
/// match, else after `i`).
#[inline]
fn settle(best: Option<(usize, u32)>, i: usize, out: &mut Vec<ConceptHit>) -> usize {
    match best {
        Some((last, concept)) => {
            out.push(ConceptHit {
                concept,
                first: i as u32,
                last: last as u32,
            });
            last + 1
        }
        None => i + 1,
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
    /// The child of each node by the separator byte [`SEP`], or NONE: the step a
    /// match takes between two tokens that are not Han.
    sep_child: Vec<u32>,
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
            sep_child: Vec::new(),
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
        self.sep_child = (0..n as u32)
            .map(|node| self.step(node, SEP).unwrap_or(NONE))
            .collect();
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
        // The facts of the last token asked for: a token that continues a walk is
        // asked for again when no match takes it.
        let last = std::cell::Cell::new((usize::MAX, StartNode::NONE));
        self.find_with(buf, out, |k| {
            let (at, s) = last.get();
            if at == k {
                return s;
            }
            let s = toks
                .get(k)
                .map_or(StartNode::NONE, |t| self.start_node(buf.term(t)));
            last.set((k, s));
            s
        });
    }

    /// The matcher's facts of `term`: the trie node reached from the root by it (none
    /// when no key starts with it) and whether it begins and ends with a Han
    /// character. A worker's vocabulary caches them per term for
    /// [`ConceptMatcher::find_with`].
    pub(crate) fn start_node(&self, term: &str) -> StartNode {
        // Fast reject: the first term must start some key.
        let mut cs = term.chars();
        let (first, second) = (cs.next(), cs.next());
        let pass = match (first, second) {
            (Some(a), Some(b)) => bit_get(&self.first2, filter_hash2(a, b)),
            (Some(a), None) => bit_get(&self.first1, filter_hash1(a)),
            (None, _) => true,
        };
        let node = match pass.then(|| self.walk(0, term)).flatten() {
            // (A trie of 2^30 nodes would not fit in memory: every node has an entry
            // in `terminal` and one in `sep_child`.)
            Some(n) if n < NODE_BITS => n,
            _ => NODE_BITS,
        };
        let flag = |han: bool, bit: u32| if han { bit } else { 0 };
        StartNode(
            node | flag(is_han(first), HAN_FIRST)
                | flag(is_han(term.chars().next_back()), HAN_LAST),
        )
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
            let Some(mut node) = first.node() else {
                i += 1;
                continue;
            };
            let mut best: Option<(usize, u32)> = None;
            if let Some(&c) = self.terminal.get(node as usize) {
                if c != NONE {
                    best = Some((i, c));
                }
            }
            // Token `j` joins the match so far when it touches token `j - 1` (two Han
            // tokens), or at most one byte separates them (a Han token beside another
            // one: bare; two other tokens: with the separator between their terms).
            let mut prev = first;
            let mut j = i + 1;
            while let Some(t) = toks.get(j) {
                let next = start(j);
                let gap = t.start.saturating_sub(toks[j - 1].end);
                if prev.han_last() || next.han_first() {
                    let both_han = prev.han_last() && next.han_first();
                    if gap > u32::from(!both_han) {
                        break;
                    }
                } else {
                    if gap > 1 {
                        break;
                    }
                    match self.sep_child.get(node as usize) {
                        Some(&n) if n != NONE => node = n,
                        _ => break,
                    }
                }
                match self.walk(node, buf.term(t)) {
                    Some(n) => node = n,
                    None => break,
                }
                let c = self.terminal[node as usize];
                if c != NONE {
                    best = Some((j, c));
                }
                prev = next;
                j += 1;
            }
            i = settle(best, i, out);
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

    fn shipped() -> &'static (Tokenizer, ConceptMatcher) {
        static M: OnceLock<(Tokenizer, ConceptMatcher)> = OnceLock::new();
        M.get_or_init(|| {
            let tok = Tokenizer::builder().build().expect("tokenizer builds");
            let m = ConceptMatcher::new(&Glossary::shipped(), &tok);
            (tok, m)
        })
    }

    /// The matches by the rules of the module docs, every fact read off the terms'
    /// strings (no [`StartNode`], no filter, no separator table): at each token the
    /// longest key of the trie walked through the following tokens while they join.
    fn find_by_the_rules(m: &ConceptMatcher, buf: &TokenBuf) -> Vec<ConceptHit> {
        let toks = buf.tokens();
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let mut best = None;
            let mut node = Some(0u32);
            for j in i..toks.len() {
                let term = buf.term(&toks[j]);
                if j > i {
                    let prev = buf.term(&toks[j - 1]);
                    let gap = toks[j].start.saturating_sub(toks[j - 1].end);
                    let (a, b) = (
                        is_han(prev.chars().next_back()),
                        is_han(term.chars().next()),
                    );
                    if gap > u32::from(!(a && b)) {
                        break;
                    }
                    if !(a || b) {
                        node = node.and_then(|n| m.step(n, SEP));
                    }
                }
                node = node.and_then(|n| m.walk(n, term));
                let Some(n) = node else { break };
                let c = m.terminal[n as usize];
                if c != NONE {
                    best = Some((j, c));
                }
            }
            i = settle(best, i, &mut out);
        }
        out
    }

    proptest::proptest! {
        /// [`ConceptMatcher::find`] (each term's node and Han ends from
        /// [`ConceptMatcher::start_node`], the separator step from its table) finds
        /// what the rules find, on texts of glossary words, Han and Latin, touching or
        /// apart.
        #[test]
        fn find_follows_the_rules(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "hash", "rate", "hashrate", "mining", "farm", "proof", "of", "work",
                "bitcoin", "Bitcoin's", "gas", "费", "gas费", "比特", "币", "比特币",
                "矿场", "礦場", "监管", "德州", "挖矿", "the", "51%", "ETF", "交易",
                "2021年", "3", "年", "亿", "1.5亿", "攻击",
                " ", " ", "", "-", ", ", "，", "。", "  ",
            ]), 0..24)
        ) {
            let (tok, m) = shipped();
            let (_, buf) = tok.tokenize(&pieces.concat());
            let mut hits = Vec::new();
            m.find(&buf, &mut hits);
            proptest::prop_assert_eq!(hits, find_by_the_rules(m, &buf));
        }
    }

    /// A term's facts: its node as the trie walk gives it, its Han ends.
    #[test]
    fn start_nodes_carry_the_han_ends() {
        let (_, m) = shipped();
        for (term, first, last) in [
            ("gas费", false, true),
            ("费gas", true, false),
            ("比特币", true, true),
            ("hash", false, false),
            ("zzzz", false, false),
            ("挖x矿", true, true),
            ("", false, false),
        ] {
            let s = m.start_node(term);
            assert_eq!((s.han_first(), s.han_last()), (first, last), "{term:?}");
            assert_eq!(s.node(), m.walk(0, term), "{term:?}");
        }
        assert_eq!(m.start_node("zzzz").node(), None);
        assert!(m.start_node("hash").node().is_some());
    }
}
