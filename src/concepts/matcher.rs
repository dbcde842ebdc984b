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
