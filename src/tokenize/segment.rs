//! duibi's own cut of Simplified text with jieba's dictionary and without its HMM: the
//! tokens of `jieba_rs::Jieba::cut(s, false)` (same words, same byte offsets) at a
//! fraction of the instructions, with no `jieba_rs::Jieba` built at all.
//!
//! The dictionary is a hashed trie over dense character codes, loaded straight from
//! the dictionary lines with jieba's rules (a later entry of a word replaces its
//! frequency; the total is the sum of the words' frequencies; a word added without a
//! frequency takes the one jieba's `suggest_freq` gives, see
//! [`Segmenter::add_word`]). A block of characters is cut as jieba cuts it: the best
//! route from the last character back, over every dictionary word that starts at a
//! character (a character that starts none is a word alone), with jieba's `f64`
//! operations in its order and its tie rule (the longer word wins) — but with the
//! words found while the route is computed, not stored first as a graph, in buffers
//! reused from call to call, and the tokens handed to a callback.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (_, buf) = tok.tokenize("比特币挖矿监管");
//! let terms: Vec<&str> = buf.iter().map(|(_, t)| t).collect();
//! assert_eq!(terms, ["比特币", "挖矿", "监管"]);
//! ```

use crate::hint::prefetch;
use rustc_hash::FxHashMap;

/// Bits of a character code in a slot's tag: every code fits (there are fewer
/// characters than `2^21`).
const CODE_BITS: u32 = 21;
/// Bits of the parent node in a slot's tag, above the code; the 16 bits above it
/// are the slot node's filter.
const PARENT_BITS: u32 = 27;
/// The key bits of a tag.
const KEY_MASK: u64 = (1 << (CODE_BITS + PARENT_BITS)) - 1;
/// The parent id of the node in slot `i` is `SLOT_BASE + i` (a one-character prefix's
/// is its code, below this).
const SLOT_BASE: u32 = 1 << CODE_BITS;
/// Most slots: `SLOT_BASE + i` must fit in [`PARENT_BITS`].
const MAX_SLOTS: usize = 1 << (PARENT_BITS - 1);
/// The table is at most this many tenths full; past it, it is rebuilt larger.
const MAX_LOAD_TENTHS: usize = 7;
/// Frequencies and their total stay below this, so that a frequency is exactly
/// `log_freq.exp().round()` (the relative error of `exp(ln f)` is far below
/// `1 / (2 f)`): jieba's total, and a replaced frequency, need the integer.
const EXACT_TOTAL: usize = 1 << 43;

/// A one-character prefix: its word's `ln(freq)` (NaN when the character is no word:
/// a logarithm of a count is never NaN) and a filter of the codes that can follow it
/// (bit [`bit64`] of each).
#[derive(Debug, Clone, Copy)]
struct Root {
    log_freq: f64,
    next: u64,
}

impl Root {
    const NONE: Root = Root {
        log_freq: f64::NAN,
        next: 0,
    };
}

/// A longer prefix, in its slot of the hash table: its key (parent id and code,
/// [`key`]) with the filter of the codes that can follow it on top (bit [`bit16`] of
/// each), and its word's `ln(freq)` (NaN when not a word). Key and value share a
/// 16-byte slot, so a step of the trie reads one cache line.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(16))]
struct Slot {
    tag: u64,
    log_freq: f64,
}

impl Slot {
    const EMPTY: Slot = Slot {
        tag: 0,
        log_freq: f64::NAN,
    };
}

/// `(f as f64).ln()`, from a table below [`SMALL_FREQS`] (94% of the shipped
/// dictionary's frequencies are there).
#[inline]
fn log_of(f: usize) -> f64 {
    static SMALL: std::sync::OnceLock<[f64; SMALL_FREQS]> = std::sync::OnceLock::new();
    match SMALL
        .get_or_init(|| std::array::from_fn(|f| (f as f64).ln()))
        .get(f)
    {
        Some(&l) => l,
        None => (f as f64).ln(),
    }
}

/// Frequencies whose logarithms [`log_of`] keeps in a table.
const SMALL_FREQS: usize = 256;

/// A one-character filter bit of code `c` in [`Root::next`].
#[inline(always)]
fn bit64(c: u32) -> u64 {
    1 << (c.wrapping_mul(0x9E37_79B1) >> 26)
}

/// The filter bit of code `c` in a [`Slot`]'s top 16 bits.
#[inline(always)]
fn bit16(c: u32) -> u64 {
    1 << (48 + (c.wrapping_mul(0x9E37_79B1) >> 28))
}

/// The key of the child for code `c` of the node with id `parent`; never 0.
#[inline(always)]
fn key(parent: u32, c: u32) -> u64 {
    (u64::from(parent) << CODE_BITS) | u64::from(c)
}

/// A node of the trie.
#[derive(Debug, Clone, Copy)]
enum Node {
    /// A one-character prefix, by code.
    Root(u32),
    /// A longer prefix, by slot.
    Slot(usize),
}

/// Why entries do not fit a segmenter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unfit {
    /// The table is full: build it again larger.
    Full,
    /// Beyond this index ([`MAX_SLOTS`] prefixes, or a frequency total of
    /// [`EXACT_TOTAL`]): jieba has to cut.
    TooLarge,
}

/// The words of a dictionary and their frequencies, cut the way jieba cuts without
/// its HMM.
///
/// A trie of dense character codes (1 upwards; 0 for a character in no word): the
/// one-character prefixes are `roots[code]`, the others live in one open-addressing
/// table of `(parent, code)` keys, their slot index being their id.
pub(crate) struct Segmenter {
    /// Code of each character of the Basic Multilingual Plane.
    bmp: Box<[u32]>,
    /// Codes of the other characters in words.
    astral: FxHashMap<char, u32>,
    roots: Vec<Root>,
    /// Linear probing; tag 0 for an empty slot.
    slots: Box<[Slot]>,
    /// `64 - log2(slots.len())`.
    shift: u32,
    /// Occupied slots.
    used: usize,
    /// jieba's total: the sum of the words' frequencies.
    total: usize,
    /// `ln(total)`, as of the last [`Segmenter::settle`].
    log_total: f64,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("codes", &(self.roots.len() - 1))
            .field("prefixes", &self.used)
            .field("slots", &self.slots.len())
            .field("total", &self.total)
            .finish()
    }
}

/// Buffers reused from cut to cut.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    /// Byte offset (within its block) and code of each character of the text's
    /// dictionary blocks.
    chars: Vec<(u32, u32)>,
    /// Per character of a block: log-probability of the best route from it, and the
    /// character after its word.
    route: Vec<(f64, u32)>,
    /// The text's dictionary blocks and other tokens, in order.
    pieces: Vec<Piece>,
    /// Per character in `chars`: the slot of the two-character prefix from it, or
    /// [`NO_SLOT`].
    seconds: Vec<u32>,
}

/// No slot, in [`Scratch::seconds`].
const NO_SLOT: u32 = u32::MAX;
/// A slot asked for and not yet found, in [`Scratch::seconds`] (slot indices are
/// below [`MAX_SLOTS`]).
const ASKED: u32 = u32::MAX - 1;

/// A stretch of the text [`Segmenter::cut`] cuts: a dictionary block, or a token of
/// its own.
#[derive(Debug, Clone)]
struct Piece {
    /// Byte range.
    start: usize,
    end: usize,
    /// The block's characters in [`Scratch::chars`] (none for a token).
    chars: std::ops::Range<usize>,
}

/// jieba's character class of a dictionary block (`RE_HAN_DEFAULT`): CJK ideographs,
/// ASCII letters and digits and `+#&._%-`.
#[inline]
fn is_han_default(c: char) -> bool {
    if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        true
    } else if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
    } else {
        matches!(c,
            '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}'
        )
    }
}

/// The character at byte `i` of `s` (a character boundary) and its length.
#[inline(always)]
fn decode(s: &[u8], i: usize) -> (char, usize) {
    let b0 = u32::from(s[i]);
    let (c, n) = match b0 {
        0..=0x7f => (b0, 1),
        0x80..=0xdf => (((b0 & 0x1f) << 6) | (u32::from(s[i + 1]) & 0x3f), 2),
        0xe0..=0xef => (
            ((b0 & 0x0f) << 12)
                | ((u32::from(s[i + 1]) & 0x3f) << 6)
                | (u32::from(s[i + 2]) & 0x3f),
            3,
        ),
        _ => (
            ((b0 & 0x07) << 18)
                | ((u32::from(s[i + 1]) & 0x3f) << 12)
                | ((u32::from(s[i + 2]) & 0x3f) << 6)
                | (u32::from(s[i + 3]) & 0x3f),
            4,
        ),
    };
    // (valid UTF-8 decodes to a char)
    (char::from_u32(c).unwrap_or('\u{FFFD}'), n)
}

impl Segmenter {
    /// An empty segmenter with room for `prefixes` prefixes longer than a character.
    pub(crate) fn with_room(prefixes: usize) -> Result<Self, Unfit> {
        let slots = (prefixes.saturating_mul(10) / MAX_LOAD_TENTHS + 1)
            .next_power_of_two()
            .max(16);
        if slots > MAX_SLOTS {
            return Err(Unfit::TooLarge);
        }
        Ok(Segmenter {
            bmp: vec![0u32; 0x1_0000].into_boxed_slice(),
            astral: FxHashMap::default(),
            roots: vec![Root::NONE],
            slots: vec![Slot::EMPTY; slots].into_boxed_slice(),
            shift: 64 - slots.trailing_zeros(),
            used: 0,
            total: 0,
            log_total: 0f64.ln(),
        })
    }

    /// Prefixes longer than a character.
    #[cfg(test)]
    pub(crate) fn prefixes(&self) -> usize {
        self.used
    }

    /// The code of `c`, 0 when no word has it.
    #[inline(always)]
    fn code(&self, c: char) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&k) => k,
            None => self.astral.get(&c).copied().unwrap_or(0),
        }
    }

    /// The code of `c`, given one if it has none.
    fn code_or_new(&mut self, c: char) -> u32 {
        let slot = match self.bmp.get_mut(c as usize) {
            Some(s) => s,
            None => self.astral.entry(c).or_insert(0),
        };
        if *slot == 0 {
            *slot = self.roots.len() as u32;
            self.roots.push(Root::NONE);
        }
        *slot
    }

    /// The slot where the search for key `k` starts.
    #[inline(always)]
    fn home(&self, k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The slot of key `k`, or the empty slot where it would go.
    #[inline(always)]
    fn probe(&self, k: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(k);
        loop {
            let t = self.slots[i].tag;
            if t & KEY_MASK == k || t == 0 {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The slot of the child for code `c` of the node with id `parent`.
    #[inline(always)]
    fn find(&self, parent: u32, c: u32) -> Option<usize> {
        let i = self.probe(key(parent, c));
        (self.slots[i].tag != 0).then_some(i)
    }

    /// The node of `word`, if it is a prefix of a word.
    fn node(&self, word: &str) -> Option<Node> {
        let mut chars = word.chars();
        let root = self.code(chars.next()?);
        if root == 0 {
            return None;
        }
        let mut node = Node::Root(root);
        let mut parent = root;
        for c in chars {
            let i = self.find(parent, self.code(c))?;
            node = Node::Slot(i);
            parent = SLOT_BASE + i as u32;
        }
        Some(node)
    }

    /// The node of `word` (not empty), made with its prefixes when absent.
    fn node_or_new(&mut self, word: &str) -> Result<Option<Node>, Unfit> {
        let mut chars = word.chars();
        let Some(first) = chars.next() else {
            return Ok(None);
        };
        let root = self.code_or_new(first);
        let mut node = Node::Root(root);
        let mut parent = root;
        for c in chars {
            let code = self.code_or_new(c);
            let k = key(parent, code);
            let i = self.probe(k);
            if self.slots[i].tag == 0 {
                if (self.used + 1) * 10 > self.slots.len() * MAX_LOAD_TENTHS {
                    return Err(Unfit::Full);
                }
                self.used += 1;
                self.slots[i].tag = k;
                match node {
                    Node::Root(r) => self.roots[r as usize].next |= bit64(code),
                    Node::Slot(s) => self.slots[s].tag |= bit16(code),
                }
            }
            node = Node::Slot(i);
            parent = SLOT_BASE + i as u32;
        }
        Ok(Some(node))
    }

    /// The `ln(freq)` of node `n` (NaN when not a word).
    fn log_freq_mut(&mut self, n: Node) -> &mut f64 {
        match n {
            Node::Root(r) => &mut self.roots[r as usize].log_freq,
            Node::Slot(s) => &mut self.slots[s].log_freq,
        }
    }

    /// The `ln(freq)` of `word`, if it is a word.
    fn log_freq_of(&self, word: &str) -> Option<f64> {
        let lf = match self.node(word)? {
            Node::Root(r) => self.roots[r as usize].log_freq,
            Node::Slot(s) => self.slots[s].log_freq,
        };
        (!lf.is_nan()).then_some(lf)
    }

    /// Whether `word` is a word (jieba's `has_word`).
    pub(crate) fn has_word(&self, word: &str) -> bool {
        self.log_freq_of(word).is_some()
    }

    /// Gives `word` the frequency `freq`, as a line of a dictionary jieba loads does
    /// (a later entry of a word replaces the frequency of an earlier one). The total
    /// is the sum of the words' frequencies; call [`Segmenter::settle`] before
    /// cutting.
    pub(crate) fn insert(&mut self, word: &str, freq: usize) -> Result<(), Unfit> {
        let Some(n) = self.node_or_new(word)? else {
            return Ok(());
        };
        let lf = self.log_freq_mut(n);
        // (below EXACT_TOTAL, the frequency is its logarithm's exponential, rounded)
        let old = if lf.is_nan() {
            0
        } else {
            lf.exp().round() as usize
        };
        *lf = log_of(freq);
        self.total = self.total.saturating_add(freq) - old;
        if self.total >= EXACT_TOTAL {
            return Err(Unfit::TooLarge);
        }
        Ok(())
    }

    /// Brings the total's logarithm up to date (jieba's `update_log_total`).
    pub(crate) fn settle(&mut self) {
        self.log_total = (self.total as f64).ln();
    }

    /// jieba's `add_word(word, None, None)` unless it has the word: the word takes
    /// the frequency jieba's `suggest_freq` gives, from the words it is cut into now.
    pub(crate) fn add_word(&mut self, word: &str, scratch: &mut Scratch) -> Result<(), Unfit> {
        if word.is_empty() || self.has_word(word) {
            return Ok(());
        }
        // jieba's `suggest_freq`, for a word it does not have (its own frequency
        // counts 1, below the result): a token that is no word counts 1.
        let log_total = self.log_total;
        let mut log_freq = 0f64;
        self.cut(word, scratch, |a, b| {
            let lf = self.log_freq_of(&word[a..b]).unwrap_or(0.0);
            log_freq = log_freq + lf - log_total;
        });
        let freq = (log_freq + log_total).exp() as usize + 1;
        self.insert(word, freq)?;
        self.settle();
        Ok(())
    }

    /// Cuts `s` as `jieba_rs::Jieba::cut(s, false)` does, calling `emit` with the byte
    /// range of each token in order.
    ///
    /// Three passes over the whole of `s`: the first reads its characters and asks
    /// for the slot of each two-character prefix the filters allow (a software
    /// prefetch), the second finds those slots and asks for the three-character
    /// prefixes' after them, the third cuts the blocks. The table's lines (16 MB for
    /// the shipped dictionary, in no cache mostly) then come from memory together and
    /// while the rest of `s` is read, not one at a time in the cut.
    pub(crate) fn cut(&self, s: &str, scratch: &mut Scratch, mut emit: impl FnMut(usize, usize)) {
        let b = s.as_bytes();
        scratch.chars.clear();
        scratch.pieces.clear();
        scratch.seconds.clear();
        let mut i = 0;
        while i < b.len() {
            let (c, len) = decode(b, i);
            if is_han_default(c) {
                let (start, from) = (i, scratch.chars.len());
                let mut prev = self.code(c);
                scratch.chars.push((0, prev));
                scratch.seconds.push(NO_SLOT);
                i += len;
                while i < b.len() {
                    let (c, len) = decode(b, i);
                    if !is_han_default(c) {
                        break;
                    }
                    let code = self.code(c);
                    if self.roots[prev as usize].next & bit64(code) != 0 {
                        prefetch(self.slots.get(self.home(key(prev, code))));
                        if let Some(s) = scratch.seconds.last_mut() {
                            *s = ASKED;
                        }
                    }
                    scratch.chars.push(((i - start) as u32, code));
                    scratch.seconds.push(NO_SLOT);
                    prev = code;
                    i += len;
                }
                scratch.pieces.push(Piece {
                    start,
                    end: i,
                    chars: from..scratch.chars.len(),
                });
            } else {
                let len = if c == '\r' && b.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    len
                };
                scratch.pieces.push(Piece {
                    start: i,
                    end: i + len,
                    chars: 0..0,
                });
                i += len;
            }
        }
        let Scratch {
            chars,
            route,
            pieces,
            seconds,
        } = scratch;
        // The slot of each two-character prefix asked for above (mostly here by now),
        // and a request for the three-character prefix's after it when the filter
        // lets the next character of the block (not at offset 0: a block's first)
        // follow.
        for (j, second) in seconds.iter_mut().enumerate() {
            if *second != ASKED {
                continue;
            }
            let (Some(&(_, code)), Some(&(_, next))) = (chars.get(j), chars.get(j + 1)) else {
                continue;
            };
            *second = match self.find(code, next) {
                Some(i) => {
                    if let Some(&(o, c)) = chars.get(j + 2) {
                        if o != 0 && self.slots[i].tag & bit16(c) != 0 {
                            prefetch(self.slots.get(self.home(key(SLOT_BASE + i as u32, c))));
                        }
                    }
                    i as u32
                }
                None => NO_SLOT,
            };
        }
        for p in pieces.iter() {
            match (chars.get(p.chars.clone()), seconds.get(p.chars.clone())) {
                (Some(block), Some(seconds)) if !block.is_empty() => {
                    self.cut_block(
                        &b[p.start..p.end],
                        block,
                        seconds,
                        p.start,
                        route,
                        &mut emit,
                    );
                }
                _ => emit(p.start, p.end),
            }
        }
    }

    /// Cuts the dictionary block `block` (at byte `at`), whose characters (byte
    /// offsets in the block, codes) are `chars`, and the slots of their two-character
    /// prefixes `seconds` ([`NO_SLOT`] for none).
    fn cut_block(
        &self,
        block: &[u8],
        chars: &[(u32, u32)],
        seconds: &[u32],
        at: usize,
        route: &mut Vec<(f64, u32)>,
        emit: &mut impl FnMut(usize, usize),
    ) {
        let n = chars.len();
        let log_total = self.log_total;
        route.clear();
        route.resize(n + 1, (0.0, n as u32));
        // jieba's `calc`: from the end back; of the words starting at a character the
        // most probable, the longest on a tie (the words come shortest first, so a
        // later one wins a tie: `>=` is jieba's `>`, or `==` with a longer word; NaN
        // never wins).
        for idx in (0..n).rev() {
            let code = chars[idx].1;
            let root = self.roots[code as usize];
            let mut best: Option<(f64, u32)> = None;
            if !root.log_freq.is_nan() {
                best = Some((root.log_freq - log_total + route[idx + 1].0, idx as u32 + 1));
            }
            let mut next = seconds
                .get(idx)
                .filter(|&&i| i != NO_SLOT)
                .map(|&i| i as usize);
            let mut k = idx + 1;
            while let Some(i) = next {
                let slot = self.slots[i];
                k += 1;
                if !slot.log_freq.is_nan() {
                    let prob = slot.log_freq - log_total + route[k].0;
                    if best.map_or(true, |(p, _)| prob >= p) {
                        best = Some((prob, k as u32));
                    }
                }
                if k == n || slot.tag & bit16(chars[k].1) == 0 {
                    break;
                }
                next = self.find(SLOT_BASE + i as u32, chars[k].1);
            }
            route[idx] = best.unwrap_or(((0.0 - log_total) + route[idx + 1].0, idx as u32 + 1));
        }
        // jieba's `cut_route` without the HMM: a run of single ASCII letters or digits
        // is one token.
        let byte = |x: usize| at + chars.get(x).map_or(block.len(), |&(o, _)| o as usize);
        let mut x = 0;
        let mut left: Option<usize> = None;
        while x < n {
            let y = route[x].1 as usize;
            if y - x == 1 && block[chars[x].0 as usize].is_ascii_alphanumeric() {
                left.get_or_insert(x);
            } else {
                if let Some(l) = left.take() {
                    emit(byte(l), byte(x));
                }
                emit(byte(x), byte(y));
            }
            x = y;
        }
        if let Some(l) = left {
            emit(byte(l), byte(n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::dict::load_jieba;
    use crate::tokenize::Tokenizer;
    use std::io::Write;
    use std::sync::OnceLock;

    /// The resources of [`both`]: the shipped dictionary, a user dictionary (a new
    /// word, a changed frequency, a word without a frequency, a word twice) and added
    /// words (the shipped domain words, and some new and one in the dictionary
    /// already).
    fn prepared() -> crate::tokenize::Prepared {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "矿机托管 10 n\n中国 3 ns\n测试词\n矿机托管 7\n的 1").unwrap();
        Tokenizer::builder()
            .user_dict(f.path())
            .words(["算力外流", "比特", "监管"])
            .prepare()
            .unwrap()
    }

    /// jieba and the segmenter of the same entries, [`prepared`].
    fn both() -> &'static (jieba_rs::Jieba, Segmenter) {
        static BOTH: OnceLock<(jieba_rs::Jieba, Segmenter)> = OnceLock::new();
        BOTH.get_or_init(|| {
            let prepared = prepared();
            let jieba = prepared.load_into(load_jieba()).unwrap();
            let seg = prepared.segmenter(None).unwrap();
            (jieba, seg)
        })
    }

    /// jieba's total frequency (from its `Debug`).
    fn jieba_total(j: &jieba_rs::Jieba) -> usize {
        let d = format!("{j:?}");
        let t = d.split("total_freq: ").nth(1).unwrap();
        t.trim_end_matches(" }").parse().unwrap()
    }

    #[test]
    fn frequencies_and_total_are_jiebas() {
        // What `load_into` does to jieba, with the frequency each added word takes.
        let prepared = prepared();
        let seg = prepared.segmenter(None).unwrap();
        let mut jieba = load_jieba();
        for (_, text) in &prepared.user_dicts {
            jieba.load_dict(&mut text.as_bytes()).unwrap();
        }
        let mut added = 0;
        for w in &prepared.words {
            if jieba.has_word(w) {
                assert!(seg.has_word(w), "{w}");
            } else {
                let f = jieba.add_word(w, None, None);
                assert_eq!(seg.log_freq_of(w), Some((f as f64).ln()), "{w}");
                added += 1;
            }
        }
        assert!(added > 10, "{added} words added");
        assert_eq!(seg.log_freq_of("矿机托管"), Some(7f64.ln()));
        assert_eq!(seg.log_freq_of("的"), Some(1f64.ln()));
        assert_eq!(seg.log_freq_of("测试词"), Some(0f64.ln()));
        assert!(!seg.has_word("矿机托"));
        assert_eq!(seg.total, jieba_total(&jieba));
        assert_eq!(seg.log_total, (jieba_total(&jieba) as f64).ln());
    }

    #[test]
    fn a_full_table_is_built_again_larger() {
        // 300,000 new three-character words: 600,000 more prefixes, more than the
        // table sized for the shipped dictionary holds.
        let han = |i: u32| char::from_u32(0x4E00 + i).unwrap();
        let words: Vec<String> = (0..300_000u32)
            .map(|i| {
                [han(i / 500), han(1000 + i % 500), han(2000 + i % 7)]
                    .iter()
                    .collect()
            })
            .collect();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        for w in &words {
            writeln!(f, "{w} 3").unwrap();
        }
        let prepared = Tokenizer::builder().user_dict(f.path()).prepare().unwrap();
        let jieba = prepared.load_into(load_jieba()).unwrap();
        let seg = prepared.segmenter(None).unwrap();
        assert!(seg.prefixes() > 1_000_000, "{seg:?}");
        assert!(seg.used * 10 <= seg.slots.len() * MAX_LOAD_TENTHS);
        assert_eq!(seg.total, jieba_total(&jieba));
        let text: String = words.iter().step_by(997).map(String::as_str).collect();
        let text = text + "我们中出了一个叛徒，比特币挖矿监管";
        assert_eq!(ours(&seg, &text), jiebas(&jieba, &text));
    }

    #[test]
    fn a_frequency_is_its_logarithms_exponential_below_the_bound() {
        let mut fs: Vec<usize> = (0..100_000).collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            fs.push((x % EXACT_TOTAL as u64) as usize);
        }
        fs.extend([EXACT_TOTAL - 1, EXACT_TOTAL - 2, EXACT_TOTAL / 3]);
        for f in fs {
            assert_eq!((f as f64).ln().exp().round() as usize, f);
        }
    }

    #[test]
    fn too_large_a_total_or_table_is_refused() {
        let mut seg = Segmenter::with_room(10).unwrap();
        assert_eq!(seg.insert("中国", EXACT_TOTAL - 2), Ok(()));
        assert_eq!(seg.insert("中国", EXACT_TOTAL - 1), Ok(()));
        assert_eq!(seg.insert("人", 1), Err(Unfit::TooLarge));
        assert_eq!(Segmenter::with_room(MAX_SLOTS).err(), Some(Unfit::TooLarge));
        // Eleven prefixes fill a table sized for ten.
        let mut seg = Segmenter::with_room(10).unwrap();
        let full = (0..20u32)
            .map(|i| seg.insert(&format!("中{}", char::from_u32(0x4E00 + i).unwrap()), 1))
            .position(|r| r == Err(Unfit::Full));
        assert_eq!(full, Some(seg.slots.len() * MAX_LOAD_TENTHS / 10));
    }

    /// The byte ranges of the segmenter's tokens of `s`.
    fn ours(seg: &Segmenter, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        seg.cut(s, &mut Scratch::default(), |a, b| out.push((a, b)));
        out
    }

    fn jiebas(jieba: &jieba_rs::Jieba, s: &str) -> Vec<(usize, usize)> {
        jieba
            .cut(s, false)
            .iter()
            .map(|t| (t.byte_start, t.byte_end))
            .collect()
    }

    #[test]
    fn cuts_as_jieba_on_examples() {
        let (jieba, seg) = both();
        for s in [
            "",
            "比特币挖矿监管",
            "我们中出了一个叛徒",
            "矿机托管业务在中国的测试词",
            "abc中国DeFi和NFT 3.5% C++ c# a-b_c&d\r\n\r\rx",
            "𠀋𦡦中国㐀豈 ü ２",
            "算力外流比特币",
        ] {
            assert_eq!(ours(seg, s), jiebas(jieba, s), "{s:?}");
        }
    }

    #[test]
    fn a_scratch_reused_cuts_as_a_fresh_one() {
        // Texts of many blocks (one character, ASCII, a block at either end, `\r\n`
        // between) cut one after the other with one scratch, longest first: nothing of
        // a longer text's characters, prefix slots or pieces is left for the next.
        let (jieba, seg) = both();
        let texts = [
            "我们中出了一个叛徒，比特币挖矿监管。矿机托管业务在中国的测试词\r\n算力外流abc中国",
            "比特币挖矿，监管",
            "中。国",
            "挖矿",
            "，",
            "中",
        ];
        let mut scratch = Scratch::default();
        for s in texts {
            let mut out = Vec::new();
            seg.cut(s, &mut scratch, |a, b| out.push((a, b)));
            assert_eq!(out, jiebas(jieba, s), "{s:?}");
            assert_eq!(out, ours(seg, s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn cuts_as_jieba(s in "(比特币|挖矿|监管|中国|矿机托管|测试词|算力外流|的|一|了|人|是|在|国|中|\
            大|学|生|发|展|经|济|[\u{4e00}-\u{9fff}]|[a-zA-Z0-9]|[+#&._%-]|[ ，。！\r\n\t]|[é２𠀋])*") {
            let (jieba, seg) = both();
            proptest::prop_assert_eq!(ours(seg, &s), jiebas(jieba, &s));
        }
    }

    /// Every document of the benchmark corpus (when it is there), made Simplified as
    /// the Chinese runs are, cut alike.
    #[test]
    fn cuts_as_jieba_on_the_benchmark_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/bench-corpus/bench-corpus");
        if !root.is_dir() {
            eprintln!("no benchmark corpus at {}: skipped", root.display());
            return;
        }
        let (jieba, seg) = both();
        let mut docs = 0;
        for group in ["domestic", "overseas"] {
            let Ok(dir) = std::fs::read_dir(root.join(group)) else {
                continue;
            };
            for e in dir {
                let Ok(text) = std::fs::read_to_string(e.unwrap().path()) else {
                    continue;
                };
                let mut text = crate::lang::normalize(&text);
                crate::lang::to_simplified_in_place(&mut text);
                assert_eq!(ours(seg, &text), jiebas(jieba, &text));
                docs += 1;
            }
        }
        assert!(docs > 1000, "{docs} documents");
    }
}
