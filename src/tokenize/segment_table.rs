//! The index of [`Segmenter`](super::Segmenter): its layout, and how entries go in.
//! `build.rs` includes this file too, to build the shipped dictionary's index at
//! compile time with the same code the run-time build uses.

use rustc_hash::FxHashMap;

/// Bits of a character code in a slot's tag: room for every assigned character
/// (a dictionary with more characters is cut by jieba).
const CODE_BITS: u32 = 18;
/// Bits of the parent node in a slot's tag, above the code.
const PARENT_BITS: u32 = 24;
/// The key bits of a tag; the [`FILTER_BITS`] above them are the slot node's
/// filter, and the bits above those its frequency's index ([`FREQ_SHIFT`]).
const KEY_MASK: u64 = (1 << (CODE_BITS + PARENT_BITS)) - 1;
/// Bits of a slot's filter of the codes that can follow it.
const FILTER_BITS: u32 = 8;
/// Where a slot's tag keeps the index of its word's `ln(freq)` in
/// [`Segmenter::logs`] (0: not a word).
pub(super) const FREQ_SHIFT: u32 = CODE_BITS + PARENT_BITS + FILTER_BITS;
/// Most distinct frequencies of the words longer than a character (the shipped
/// dictionary's have 4,091, of 5,087 over all its words; a dictionary with more is
/// cut by jieba).
pub(super) const MAX_FREQS: usize = 1 << (64 - FREQ_SHIFT);

// A slot's key, filter and frequency index fill its tag, the filter by whole hash bits.
const _: () = assert!(FREQ_SHIFT < 64 && FILTER_BITS.is_power_of_two());
/// The parent id of the node in slot `i` is `SLOT_BASE + i` (a one-character prefix's
/// is its code, below this).
pub(super) const SLOT_BASE: u32 = 1 << CODE_BITS;
/// Most slots: `SLOT_BASE + i` must fit in [`PARENT_BITS`].
pub(super) const MAX_SLOTS: usize = 1 << (PARENT_BITS - 1);
/// The table is at most this many tenths full; past it, it is rebuilt larger.
pub(super) const MAX_LOAD_TENTHS: usize = 7;
/// Frequencies and their total stay below this, so that a frequency is exactly
/// `log_freq.exp().round()` (the relative error of `exp(ln f)` is far below
/// `1 / (2 f)`): jieba's total, and a replaced frequency, need the integer.
pub(super) const EXACT_TOTAL: usize = 1 << 43;

/// A one-character prefix: its word's `ln(freq)` (NaN when the character is no word:
/// a logarithm of a count is never NaN) and a filter of the codes that can follow it
/// (bit [`bit64`] of each).
#[derive(Debug, Clone, Copy)]
pub(super) struct Root {
    pub(super) log_freq: f64,
    pub(super) next: u64,
}

impl Root {
    const NONE: Root = Root {
        log_freq: f64::NAN,
        next: 0,
    };
}

/// A longer prefix, in its slot of the hash table: one tag of its key (parent id and
/// code, [`key`]), the filter of the codes that can follow it above (bit [`bit8`] of
/// each), and the index of its word's `ln(freq)` on top ([`FREQ_SHIFT`]). Key and
/// value share an 8-byte slot, so a step of the trie reads one cache line and the
/// shipped dictionary's table takes 8 MB.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub(super) tag: u64,
}

impl Slot {
    const EMPTY: Slot = Slot { tag: 0 };

    /// The index of its word's `ln(freq)` in [`Segmenter::logs`] (0: not a word).
    #[inline(always)]
    pub(super) fn freq(self) -> usize {
        (self.tag >> FREQ_SHIFT) as usize
    }
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
pub(super) fn bit64(c: u32) -> u64 {
    1 << (c.wrapping_mul(0x9E37_79B1) >> 26)
}

/// The filter bit of code `c` in a [`Slot`]'s tag.
#[inline(always)]
pub(super) fn bit8(c: u32) -> u64 {
    1 << (CODE_BITS + PARENT_BITS + (c.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS.ilog2())))
}

/// The key of the child for code `c` of the node with id `parent`; never 0.
#[inline(always)]
pub(super) fn key(parent: u32, c: u32) -> u64 {
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
    /// Beyond this index ([`MAX_SLOTS`] prefixes, `2^CODE_BITS` characters,
    /// [`MAX_FREQS`] frequencies, or a frequency total of [`EXACT_TOTAL`]): jieba has
    /// to cut.
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
    pub(super) bmp: Box<[u32]>,
    /// Codes of the other characters in words.
    pub(super) astral: FxHashMap<char, u32>,
    pub(super) roots: Vec<Root>,
    /// Linear probing; tag 0 for an empty slot.
    pub(super) slots: Box<[Slot]>,
    /// The distinct `ln(freq)` of the words longer than a character, NaN first (no
    /// word), by [`Slot::freq`].
    pub(super) logs: Vec<f64>,
    /// The index in `logs` of each one's bits.
    pub(super) log_index: FxHashMap<u64, u32>,
    /// `64 - log2(slots.len())`.
    pub(super) shift: u32,
    /// Occupied slots.
    pub(super) used: usize,
    /// jieba's total: the sum of the words' frequencies.
    pub(super) total: usize,
    /// `ln(total)`, as of the last [`Segmenter::settle`].
    pub(super) log_total: f64,
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
            logs: vec![f64::NAN],
            log_index: FxHashMap::default(),
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
    pub(super) fn code(&self, c: char) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&k) => k,
            None => self.astral.get(&c).copied().unwrap_or(0),
        }
    }

    /// The code of `c`, given one if it has none.
    fn code_or_new(&mut self, c: char) -> Result<u32, Unfit> {
        let slot = match self.bmp.get_mut(c as usize) {
            Some(s) => s,
            None => self.astral.entry(c).or_insert(0),
        };
        if *slot == 0 {
            if self.roots.len() >= SLOT_BASE as usize {
                return Err(Unfit::TooLarge);
            }
            *slot = self.roots.len() as u32;
            self.roots.push(Root::NONE);
        }
        Ok(*slot)
    }

    /// The slot where the search for key `k` starts.
    #[inline(always)]
    pub(super) fn home(&self, k: u64) -> usize {
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
    pub(super) fn find(&self, parent: u32, c: u32) -> Option<usize> {
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
        let root = self.code_or_new(first)?;
        let mut node = Node::Root(root);
        let mut parent = root;
        for c in chars {
            let code = self.code_or_new(c)?;
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
                    Node::Slot(s) => self.slots[s].tag |= bit8(code),
                }
            }
            node = Node::Slot(i);
            parent = SLOT_BASE + i as u32;
        }
        Ok(Some(node))
    }

    /// The `ln(freq)` of node `n` (NaN when not a word).
    fn log_freq(&self, n: Node) -> f64 {
        match n {
            Node::Root(r) => self.roots[r as usize].log_freq,
            Node::Slot(s) => self.logs[self.slots[s].freq()],
        }
    }

    /// Gives node `n` the `ln(freq)` `lf` (not NaN).
    fn set_log_freq(&mut self, n: Node, lf: f64) -> Result<(), Unfit> {
        match n {
            Node::Root(r) => self.roots[r as usize].log_freq = lf,
            Node::Slot(s) => {
                let i = match self.log_index.get(&lf.to_bits()) {
                    Some(&i) => i as usize,
                    None if self.logs.len() < MAX_FREQS => {
                        self.log_index.insert(lf.to_bits(), self.logs.len() as u32);
                        self.logs.push(lf);
                        self.logs.len() - 1
                    }
                    None => return Err(Unfit::TooLarge),
                };
                let tag = &mut self.slots[s].tag;
                *tag = (*tag & ((1 << FREQ_SHIFT) - 1)) | (i as u64) << FREQ_SHIFT;
            }
        }
        Ok(())
    }

    /// The `ln(freq)` of `word`, if it is a word.
    pub(super) fn log_freq_of(&self, word: &str) -> Option<f64> {
        let lf = self.log_freq(self.node(word)?);
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
        let lf = self.log_freq(n);
        // (below EXACT_TOTAL, the frequency is its logarithm's exponential, rounded)
        let old = if lf.is_nan() {
            0
        } else {
            lf.exp().round() as usize
        };
        self.set_log_freq(n, log_of(freq))?;
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
}

/// Prefixes longer than a character of the words of jieba's shipped dictionary
/// (`data/jieba/dict.txt`; a test counts them): its segmenter's table is sized from it.
pub(crate) const SHIPPED_PREFIXES: usize = 486_341;

/// Bytes of the header of [`Segmenter::to_bytes`]: seven little-endian `u64` counts.
const HEADER: usize = 56;

/// The little-endian `u32` of the first four bytes of `b` (at least four).
fn u32_of(b: &[u8]) -> u32 {
    let mut a = [0; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_le_bytes(a)
}

/// The little-endian `u64` of the first eight bytes of `b` (at least eight).
fn u64_of(b: &[u8]) -> u64 {
    let mut a = [0; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

impl Segmenter {
    /// The segmenter of a dictionary's `(word, freq)` entries, in its order, with room
    /// for `room` prefixes longer than a character.
    pub(crate) fn of_entries<'a>(
        room: usize,
        entries: impl IntoIterator<Item = (&'a str, usize)>,
    ) -> Result<Self, Unfit> {
        let mut seg = Segmenter::with_room(room)?;
        for (word, freq) in entries {
            seg.insert(word, freq)?;
        }
        seg.settle();
        Ok(seg)
    }

    /// The segmenter as bytes, all little-endian: the counts (`used`, `total`, and
    /// the lengths of the code table, the other characters' codes, the roots, the
    /// logarithms and the slots, each a `u64`), then the code table (`u32` each), the
    /// other characters (character and code, `u32` each, by character), the roots
    /// (`ln(freq)` bits and filter), the logarithms' bits and the slots' tags.
    /// `build.rs` writes the shipped dictionary's this way; [`Segmenter::from_bytes`]
    /// reads it back.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut astral: Vec<(char, u32)> = self.astral.iter().map(|(&c, &k)| (c, k)).collect();
        astral.sort_unstable();
        let mut out = Vec::with_capacity(
            HEADER
                + 4 * self.bmp.len()
                + 8 * (astral.len() + self.logs.len() + self.slots.len())
                + 16 * self.roots.len(),
        );
        let counts = [
            self.used,
            self.total,
            self.bmp.len(),
            astral.len(),
            self.roots.len(),
            self.logs.len(),
            self.slots.len(),
        ];
        for n in counts {
            out.extend_from_slice(&(n as u64).to_le_bytes());
        }
        for &k in self.bmp.iter() {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (c, k) in astral {
            out.extend_from_slice(&u32::from(c).to_le_bytes());
            out.extend_from_slice(&k.to_le_bytes());
        }
        for r in &self.roots {
            out.extend_from_slice(&r.log_freq.to_bits().to_le_bytes());
            out.extend_from_slice(&r.next.to_le_bytes());
        }
        for l in &self.logs {
            out.extend_from_slice(&l.to_bits().to_le_bytes());
        }
        for s in self.slots.iter() {
            out.extend_from_slice(&s.tag.to_le_bytes());
        }
        out
    }

    /// The segmenter [`Segmenter::to_bytes`] wrote; `None` for bytes not of its shape
    /// (an empty slice, counts that disagree with the length, a table of the wrong
    /// size). The contents are trusted, not checked: the only bytes read are those
    /// `build.rs` wrote and embedded, never a user's file.
    pub(crate) fn from_bytes(b: &[u8]) -> Option<Self> {
        let (head, rest) = b.split_at_checked(HEADER)?;
        let counts: Vec<usize> = head
            .chunks_exact(8)
            .map(|c| usize::try_from(u64_of(c)).ok())
            .collect::<Option<_>>()?;
        let [used, total, n_bmp, n_astral, n_roots, n_logs, n_slots] = counts[..] else {
            return None;
        };
        let (bmp, rest) = rest.split_at_checked(n_bmp.checked_mul(4)?)?;
        let (astral, rest) = rest.split_at_checked(n_astral.checked_mul(8)?)?;
        let (roots, rest) = rest.split_at_checked(n_roots.checked_mul(16)?)?;
        let (logs, slots) = rest.split_at_checked(n_logs.checked_mul(8)?)?;
        if n_bmp != 0x1_0000
            || n_roots == 0
            || n_logs == 0
            || n_logs > MAX_FREQS
            || !n_slots.is_power_of_two()
            || n_slots > MAX_SLOTS
            || slots.len() != n_slots.checked_mul(8)?
        {
            return None;
        }
        let logs: Vec<f64> = logs
            .chunks_exact(8)
            .map(|c| f64::from_bits(u64_of(c)))
            .collect();
        let log_index = (1..logs.len())
            .map(|i| (logs[i].to_bits(), i as u32))
            .collect();
        let mut seg = Segmenter {
            bmp: bmp.chunks_exact(4).map(u32_of).collect(),
            astral: astral
                .chunks_exact(8)
                .map(|c| Some((char::from_u32(u32_of(c))?, u32_of(&c[4..]))))
                .collect::<Option<_>>()?,
            roots: roots
                .chunks_exact(16)
                .map(|c| Root {
                    log_freq: f64::from_bits(u64_of(c)),
                    next: u64_of(&c[8..]),
                })
                .collect(),
            slots: slots
                .chunks_exact(8)
                .map(|c| Slot { tag: u64_of(c) })
                .collect(),
            logs,
            log_index,
            shift: 64 - n_slots.trailing_zeros(),
            used,
            total,
            log_total: 0.0,
        };
        seg.settle();
        Some(seg)
    }
}

/// The `word freq tag` lines of a dictionary in jieba's shipped form (single spaces, a
/// decimal frequency, `\n` after every line). Panics on any other line: the shipped
/// file is fixed and its tests load it whole.
///
/// The word is walked a character at a time (jieba's words are mostly three-byte Han
/// characters) and the frequency parsed as it is found: about 40% fewer instructions
/// than a byte-at-a-time split.
pub(crate) fn entries(text: &str) -> impl Iterator<Item = (&str, usize, &str)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while let Some(&b) = bytes.get(at).filter(|&&b| b != b' ') {
            // The length of a UTF-8 sequence from its first byte (ASCII: 1).
            at += match b {
                0xf0.. => 4,
                0xe0.. => 3,
                0xc0.. => 2,
                _ => 1,
            };
        }
        let word = text
            .get(start..at)
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| bad("word", start));
        at += 1;
        let digits = at;
        let mut freq = 0usize;
        while let Some(&b) = bytes.get(at).filter(|&&b| b != b' ') {
            if !b.is_ascii_digit() {
                bad("frequency", at);
            }
            freq = freq * 10 + usize::from(b - b'0');
            at += 1;
        }
        if at == digits {
            bad("frequency", at);
        }
        at += 1;
        let tag_start = at;
        while bytes.get(at).is_some_and(|&b| b != b'\n') {
            at += 1;
        }
        let tag = text
            .get(tag_start..at)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| bad("tag", tag_start));
        at += 1;
        Some((word, freq, tag))
    })
}

/// A line of the shipped jieba dictionary is not in its form.
fn bad(what: &str, at: usize) -> ! {
    panic!("shipped jieba dictionary: bad {what} at byte {at}")
}
