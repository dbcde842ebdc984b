//! A worker's vocabulary: every distinct (language, term) a worker thread meets gets a
//! small integer id, and what the later stages need to know about the term — its
//! sentiment-lexicon entry ([`SentimentModel::lookup`](crate::sentiment::SentimentModel::lookup), lengthened-word fallback
//! included) and its node in the concept trie ([`ConceptMatcher::start_node`](crate::concepts::ConceptMatcher::start_node)) — is
//! looked up once per term instead of once per token.
//!
//! With ids, a document's term counts and a group's term table are plain arrays
//! ([`DenseTerms`]); they are turned back into string-keyed
//! [`TermTable`]s once, when the worker's aggregate is
//! merged. Ids are local to one worker and never leave it, so the report does not
//! depend on which worker met a term first.

use super::Models;
use crate::aggregate::{FirstFiles, TermStat, TermTable};
use crate::concepts::StartNode;
use crate::hint::prefetch;
use crate::lang::Lang;
use crate::sentiment::{Scan, TermRef};

/// What is known about one term of a [`Vocab`]: its id and facts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Term id (dense, from 0, in the order the terms were met).
    pub id: u32,
    /// Sentiment-lexicon entry.
    pub senti: TermRef,
    /// `senti`'s [`TermRef::scan`] (one byte the sentiment pass's scan tests per token).
    pub scan: Scan,
    /// Concept trie node reached by the term from the root.
    pub concept: StartNode,
    /// On the stopword list of its language.
    pub stop: bool,
    /// The term's characters when every token of the term whose term is as long (in
    /// bytes) as its surface has as many characters as the term ([`Entry::chars_of`]);
    /// [`NOT_EXACT`] otherwise.
    pub chars: u16,
}

/// [`Entry::chars`] of a term whose tokens' characters must be counted on their
/// surfaces.
pub(crate) const NOT_EXACT: u16 = u16::MAX;

impl Entry {
    /// [`Entry::chars`] of the term (`lang`, `term`). A token's term is its surface
    /// mapped a character at a time (lowercased; in a Chinese run also made
    /// Simplified, which keeps every byte count), less an English possessive ending:
    /// * an ASCII term as long as its surface had no possessive dropped (that would
    ///   make it shorter) and no character that is not ASCII on its surface (such a
    ///   character is 2 to 4 bytes long, and lowercases to one character: ASCII then
    ///   only from a longer one, `K` to `k`, or `İ` to `i` and U+0307, which is not
    ///   ASCII), so it has one character per byte, as its surface;
    /// * a term of a Chinese run (no possessive is dropped there) without U+0307 was
    ///   mapped one character to one (only `İ` lowercases to two characters, the
    ///   second U+0307), so it has as many characters as its surface.
    ///
    /// Other terms are left to be counted on each surface.
    ///
    /// Computed once per new term, on its bytes: an ASCII term's characters are its
    /// bytes; U+0307 is the byte pair `CC 87` in UTF-8 (`CC` starts a character, so
    /// the pair is found only where the character is), and the characters of a term
    /// are its bytes that are not continuation bytes ([`crate::text::chars_in`]), not
    /// a search for the character and a decoding of every character.
    pub(crate) fn chars_of(lang: Lang, term: &str) -> u16 {
        let b = term.as_bytes();
        let n = if b.is_ascii() {
            b.len()
        } else if lang == Lang::Zh && !b.windows(2).any(|w| w[0] == 0xcc && w[1] == 0x87) {
            usize::try_from(crate::text::chars_in(b, 0, b.len())).unwrap_or(usize::MAX)
        } else {
            return NOT_EXACT;
        };
        u16::try_from(n)
            .ok()
            .filter(|&n| n != NOT_EXACT)
            .unwrap_or(NOT_EXACT)
    }
}

impl Models {
    /// The entry of the term (`lang`, `term`) with id `id`: its facts looked up.
    fn facts(&self, id: u32, lang: Lang, term: &str) -> Entry {
        let senti = self.sentiment.lookup(lang, term);
        Entry {
            id,
            senti,
            scan: senti.scan(),
            concept: self.matcher.start_node(term),
            stop: self.tokenizer.is_stopword(lang, term),
            chars: Entry::chars_of(lang, term),
        }
    }
}

/// Longest term (in bytes) kept inside its record; longer ones live in the arena.
const INLINE: usize = 22;
/// `Rec::len` of a term kept in the arena.
const SPILLED: u8 = u8::MAX;
/// An empty slot of the id table (a used slot's tag has its top bit clear).
const EMPTY: u64 = u64::MAX;
/// Id-table slots of the first table.
const FIRST_SLOTS: usize = 1024;

/// Makes room in `v` for index `i`, `grown(capacity)` elements when its capacity is too small.
/// Once an array outgrows [`crate::config::VOCAB_ROOM_FROM`] elements it gets room for
/// [`crate::config::VOCAB_ROOM_TERMS`] at once: see there why that costs no memory and
/// saves copying.
#[inline]
fn room_for<T>(v: &mut Vec<T>, i: usize, grown: impl FnOnce(usize) -> usize) {
    use crate::config::{VOCAB_ROOM_FROM, VOCAB_ROOM_TERMS};
    if i < v.capacity() {
        return;
    }
    let mut want = grown(v.capacity()).max(i + 1);
    if want > VOCAB_ROOM_FROM {
        want = want.max(VOCAB_ROOM_TERMS);
    }
    v.reserve_exact(want - v.len());
}

/// One term of a [`Vocab`]: its facts and its key, in one cache line. Records are
/// stored by id, i.e. in the order the terms were first met, so the frequent terms
/// (met early) sit together.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Rec {
    entry: Entry,
    lang: Lang,
    /// Key length in bytes when at most [`INLINE`], else [`SPILLED`].
    len: u8,
    /// The key's bytes, zero after its length; for a spilled key, its start and
    /// length in the arena (two little-endian `u64`s).
    key: [u8; INLINE],
    /// The low half of the key's hash ([`hash`]), which picks its home slot
    /// ([`home`]): growing the slot table places every slot again from it (the tag is
    /// in the slot) without hashing (and decoding) its key again.
    home: u32,
    /// Occurrences of the term in the current document, zero between documents
    /// ([`Vocab::count`], [`Vocab::take_count`]). Kept here, not in an array of its
    /// own by id: the token's lookup has just brought this line in, so counting
    /// costs no other cache line. With `home` it fills the line's last 8 bytes.
    doc_count: u32,
}

/// Term ids of one worker. A lookup hashes (language, term) once and probes an open
/// table of 8-byte slots (a 31-bit tag of the hash and the id, eight slots a cache
/// line); a slot whose tag matches is confirmed against the id's record, which holds
/// the key (or, for a long one, its place in the arena) beside the facts, so the one
/// lookup per token brings them along.
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    /// Open addressing with linear probing, a power of two long, at most 3/4 full.
    slots: Vec<u64>,
    /// Records by id.
    recs: Vec<Rec>,
    /// Keys longer than [`INLINE`] bytes.
    arena: Vec<u8>,
}

/// The hash of a (language, term) key. Every byte of a key of up to 16 bytes is read
/// by at most two fixed-size loads (its first and last 4 or 8 bytes, overlapping; of
/// 1–3 bytes its first, middle and last, which together with the length determine
/// it), a longer key 16 bytes at a time; the words are combined by a folded 64 × 64 →
/// 128-bit multiply (the high half XORed onto the low one, so both the low bits (slot)
/// and the high bits (tag) depend on every input bit), and that with the length and
/// the language by another. A lookup per token hashes its term, and this costs a fraction of a
/// byte-stream hasher's work on the short terms of text; a collision only costs a
/// key comparison.
#[inline]
fn hash(lang: Lang, term: impl AsRef<[u8]>) -> u64 {
    let b = term.as_ref();
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    const K2: u64 = 0x8ebc_6af0_9c88_c6e3;
    #[inline(always)]
    fn fold(a: u64, b: u64) -> u64 {
        let p = u128::from(a) * u128::from(b);
        (p as u64) ^ ((p >> 64) as u64)
    }
    use crate::text::{le32, le64};
    let n = b.len();
    let (x, y) = match n {
        0 => (0, 0),
        1..=3 => (
            (u64::from(b[0]) << 16) | (u64::from(b[n / 2]) << 8) | u64::from(b[n - 1]),
            0,
        ),
        4..=7 => (le32(b, 0), le32(b, n - 4)),
        8..=16 => (le64(b, 0), le64(b, n - 8)),
        _ => {
            let mut acc = 0u64;
            let mut i = 0;
            while i + 16 < n {
                acc = fold(le64(b, i) ^ K0 ^ acc, le64(b, i + 8) ^ K1);
                i += 16;
            }
            (le64(b, n - 16) ^ acc, le64(b, n - 8))
        }
    };
    // The length and the language enter through a second multiply: XORed into the
    // words, a length difference could cancel a byte difference (`xyxxxx` and
    // `xxxxxxx` read the same words but for one bit).
    let seed = ((n as u64) << 8) | lang as u64;
    fold(fold(x ^ K0, y ^ K1) ^ seed, K2)
}

/// `b` zero-padded to [`INLINE`] bytes, `None` when longer. Copied with fixed-size
/// moves (two overlapping ones of the largest power-of-two size at most `b.len()`),
/// not a call to copy a slice of variable length: a lookup per token does this.
#[inline]
fn pad(b: &[u8]) -> Option<[u8; INLINE]> {
    /// `N` bytes of `b` at its start and `N` at its end into `p` (`N <= b.len()`).
    #[inline(always)]
    fn ends<const N: usize>(p: &mut [u8; INLINE], b: &[u8]) {
        let n = b.len();
        if let (Some(d), Some(s)) = (p.get_mut(..N), b.get(..N)) {
            d.copy_from_slice(s);
        }
        if let (Some(d), Some(s)) = (p.get_mut(n - N..n), b.get(n - N..)) {
            d.copy_from_slice(s);
        }
    }
    let mut p = [0u8; INLINE];
    match b.len() {
        0 => {}
        1 => p[0] = b[0],
        2..=3 => ends::<2>(&mut p, b),
        4..=7 => ends::<4>(&mut p, b),
        8..=15 => ends::<8>(&mut p, b),
        16..=INLINE => ends::<16>(&mut p, b),
        _ => return None,
    }
    Some(p)
}

/// Whether the inline key `k` (zero after its first `b.len()` bytes) holds `b`, for
/// `b` of 1 to [`INLINE`] bytes. Compared with fixed-size loads (the first and the
/// last `N` bytes of `b`, overlapping, `N` the largest power of two at most
/// `b.len()`): the lookup per token does this, and unlike [`pad`] it builds no
/// padded copy of the term. The two ends cover every byte of `b`, and the caller has
/// checked that the record's length is `b.len()`, so this is the equality of the keys.
#[inline(always)]
fn inline_eq(k: &[u8; INLINE], b: &[u8]) -> bool {
    /// `N` bytes at the start and `N` at the end of `b` against the same places of `k`.
    #[inline(always)]
    fn ends<const N: usize>(k: &[u8; INLINE], b: &[u8]) -> bool {
        let n = b.len();
        let (Some(ks), Some(bs), Some(ke), Some(be)) = (
            k.get(..N),
            b.get(..N),
            k.get(n.wrapping_sub(N)..n),
            b.get(n.wrapping_sub(N)..),
        ) else {
            return false;
        };
        ks == bs && ke == be
    }
    match b.len() {
        1 => k[0] == b[0],
        2..=3 => ends::<2>(k, b),
        4..=7 => ends::<4>(k, b),
        8..=15 => ends::<8>(k, b),
        16..=INLINE => ends::<16>(k, b),
        _ => false,
    }
}

/// The tag of a hash, in a slot's high half (top bit clear: never [`EMPTY`]).
#[inline]
fn tag(h: u64) -> u64 {
    (h >> 33) << 32
}

/// The bits of a hash that pick its home slot (its low half, which [`Rec::home`]
/// keeps): the home slot of hash `h` in a table of mask `mask` is `home(h) & mask`.
#[inline(always)]
fn home(h: u64) -> usize {
    h as u32 as usize
}

impl Vocab {
    /// The entry of `term` in `lang`, adding it (and looking its facts up in `models`)
    /// when new. The same models must be passed every time.
    #[cfg(test)]
    pub(crate) fn entry(&mut self, lang: Lang, term: &str, models: &Models) -> Entry {
        self.entry_hinted(
            u32::MAX,
            hash(lang, term),
            lang,
            term.as_bytes(),
            || term,
            models,
        )
    }

    /// The hash of (`lang`, the term whose bytes are `term`) that [`Vocab::prefetch_slot`],
    /// [`Vocab::prefetch_entry`] and [`Vocab::entry_hinted`] take.
    #[inline]
    pub(crate) fn hash_of(lang: Lang, term: &[u8]) -> u64 {
        hash(lang, term)
    }

    /// `Vocab::entry` (the tests' lookup) of the term whose bytes are `b`, with the key's hash
    /// ([`Vocab::hash_of`]) already computed and the id [`Vocab::prefetch_entry`]
    /// handed on for it (`hint`; `u32::MAX` for none); `term` gives the term as a
    /// string, and is called only when the term is new. When the hinted record holds
    /// the key, its entry, without probing the slots again; else a known term (all but
    /// one lookup per distinct term) takes the inlined probe of [`Vocab::find`], a new
    /// one the out-of-line [`Vocab::add_new`].
    #[inline(always)]
    pub(crate) fn entry_hinted<'a>(
        &mut self,
        hint: u32,
        h: u64,
        lang: Lang,
        b: &[u8],
        term: impl FnOnce() -> &'a str,
        models: &Models,
    ) -> Entry {
        if let Some(e) = self.entry_if_key(hint, lang, b) {
            return *e;
        }
        match self.find(h, lang, b) {
            Some(e) => *e,
            None => self.add_new(h, lang, term(), models),
        }
    }

    /// Adds the new term (`lang`, `term`) with hash `h` and looks its facts up; the
    /// cold half of [`Vocab::entry_hinted`], kept out of the per-token loop.
    #[cold]
    #[inline(never)]
    fn add_new(&mut self, h: u64, lang: Lang, term: &str, models: &Models) -> Entry {
        self.insert_new(h, lang, term.as_bytes(), |id| models.facts(id, lang, term))
    }

    /// The entry of (`lang`, `term`), adding `make(new id)` when it is new.
    #[cfg(test)]
    fn find_or_insert(&mut self, lang: Lang, term: &str, make: impl FnOnce(u32) -> Entry) -> Entry {
        self.find_or_insert_bytes(hash(lang, term), lang, term.as_bytes(), make)
    }

    /// `Vocab::find_or_insert` (the tests') of the term's bytes `b` (UTF-8: every key comes from
    /// a `&str`, here or in the vocabulary [`Vocab::absorb`] reads) with its hash `h`.
    #[inline]
    fn find_or_insert_bytes(
        &mut self,
        h: u64,
        lang: Lang,
        b: &[u8],
        make: impl FnOnce(u32) -> Entry,
    ) -> Entry {
        match self.find(h, lang, b) {
            Some(e) => *e,
            None => self.insert_new(h, lang, b, make),
        }
    }

    /// The entry of the key (`lang`, `b`) with hash `h`, if the vocabulary has it.
    /// Probes from the key's home slot to the first empty one; a slot whose tag
    /// matches is confirmed by its record's length and language, then its bytes with
    /// fixed-size compares ([`inline_eq`]), not a call to compare slices.
    #[inline(always)]
    fn find(&self, h: u64, lang: Lang, b: &[u8]) -> Option<&Entry> {
        let t = tag(h);
        // An empty table has no slot 0: `get` ends the probe at once.
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = home(h) & mask;
        loop {
            let s = *self.slots.get(i)?;
            if s == EMPTY {
                return None;
            }
            if s & !0xffff_ffff == t {
                if let Some(e) = self.entry_if_key(s as u32, lang, b) {
                    return Some(e);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The entry of record `id` if its key is (`lang`, `b`): its length and language,
    /// then its bytes with fixed-size compares ([`inline_eq`]), not a call to compare
    /// slices. `None` for any other key, and for an id the vocabulary lacks.
    #[inline(always)]
    fn entry_if_key(&self, id: u32, lang: Lang, b: &[u8]) -> Option<&Entry> {
        let len8 = if b.len() <= INLINE {
            b.len() as u8
        } else {
            SPILLED
        };
        let r = self.recs.get(id as usize)?;
        let same = r.len == len8
            && r.lang == lang
            && if len8 == SPILLED {
                self.key(r) == b
            } else {
                b.is_empty() || inline_eq(&r.key, b)
            };
        same.then_some(&r.entry)
    }

    /// Adds the key (`lang`, `b`), hash `h`, which the vocabulary lacks
    /// ([`Vocab::find`] said so), with the entry `make(new id)`.
    fn insert_new(
        &mut self,
        h: u64,
        lang: Lang,
        b: &[u8],
        make: impl FnOnce(u32) -> Entry,
    ) -> Entry {
        if (self.recs.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let id = self.recs.len() as u32;
        room_for(&mut self.recs, id as usize, |c| {
            (c * 2).max(FIRST_SLOTS / 2)
        });
        let entry = make(id);
        let mut rec = Rec {
            entry,
            lang,
            len: 0,
            key: [0; INLINE],
            home: h as u32,
            doc_count: 0,
        };
        if let Some(padded) = pad(b) {
            rec.len = b.len() as u8;
            rec.key = padded;
        } else {
            rec.len = SPILLED;
            rec.key[..8].copy_from_slice(&(self.arena.len() as u64).to_le_bytes());
            rec.key[8..16].copy_from_slice(&(b.len() as u64).to_le_bytes());
            self.arena.extend_from_slice(b);
        }
        self.recs.push(rec);
        self.place(home(h), tag(h) | u64::from(id));
        entry
    }

    /// Asks for the cache line of the home slot of the key with hash `h`, without
    /// waiting for it ([`prefetch`]): a document's tokens are hashed before their
    /// lookups, and their slots are on their way while the rest are hashed.
    #[inline(always)]
    pub(crate) fn prefetch_slot(&self, h: u64) {
        prefetch(self.slots.get(home(h) & self.slots.len().wrapping_sub(1)));
    }

    /// Asks for the record of the key with hash `h` ahead of its lookup, without
    /// waiting for it: the probe of [`Vocab::find`] by the tag alone (its slot was
    /// asked for by [`Vocab::prefetch_slot`]), and `touch(id)` for the id found (the
    /// caller's hint for the lookup). A tag shared by another key only costs a
    /// wasted request. Changes nothing.
    #[inline(always)]
    pub(crate) fn prefetch_entry(&self, h: u64, touch: impl FnOnce(u32)) {
        let t = tag(h);
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = home(h) & mask;
        while let Some(&s) = self.slots.get(i) {
            if s == EMPTY {
                return;
            }
            if s & !0xffff_ffff == t {
                prefetch(self.recs.get(s as u32 as usize));
                touch(s as u32);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Puts the slot `slot` (a tag and an id) of home bits `at` ([`home`]) in the
    /// first empty slot from its home.
    #[inline]
    fn place(&mut self, at: usize, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut i = at & mask;
        while self.slots[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    /// Doubles the slot table and places every slot again, at the home its record
    /// keeps.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(FIRST_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; n]);
        for s in old.into_iter().filter(|&s| s != EMPTY) {
            if let Some(r) = self.recs.get(s as u32 as usize) {
                let at = r.home as usize;
                self.place(at, s);
            }
        }
    }

    /// Counts one more occurrence of term `id` in the current document; true when
    /// it is the first. (An id the vocabulary lacks is not counted.)
    #[inline(always)]
    pub(crate) fn count(&mut self, id: u32) -> bool {
        match self.recs.get_mut(id as usize) {
            Some(r) => {
                r.doc_count += 1;
                r.doc_count == 1
            }
            None => false,
        }
    }

    /// The occurrences of term `id` in the current document ([`Vocab::count`]), set
    /// back to zero for the next one.
    #[inline]
    pub(crate) fn take_count(&mut self, id: u32) -> u32 {
        self.recs
            .get_mut(id as usize)
            .map_or(0, |r| std::mem::take(&mut r.doc_count))
    }

    /// The key bytes of a record.
    #[inline]
    fn key<'a>(&'a self, r: &'a Rec) -> &'a [u8] {
        if r.len != SPILLED {
            return &r.key[..usize::from(r.len).min(INLINE)];
        }
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&r.key[at..at + 8]);
            usize::try_from(u64::from_le_bytes(b)).unwrap_or(usize::MAX)
        };
        let (start, len) = (word(0), word(8));
        self.arena
            .get(start..start.saturating_add(len))
            .unwrap_or_default()
    }

    /// The term of a record: its key bytes as the string they were taken from.
    #[inline]
    fn term<'a>(&'a self, r: &'a Rec) -> &'a str {
        let b = self.key(r);
        debug_assert!(std::str::from_utf8(b).is_ok());
        // SAFETY: every key is the bytes of a `&str`: `insert_new` is given the term
        // of `add_new` (a `&str`) or, through `absorb`, the key of another
        // vocabulary's record, and `key` gives back exactly the bytes stored (the
        // first `len` bytes of the inline key, or the arena range written with the
        // key). Checking them again for every term of every group's table costs more
        // than the rest of turning it into a table row.
        unsafe { std::str::from_utf8_unchecked(b) }
    }

    /// Distinct terms so far.
    pub(crate) fn len(&self) -> usize {
        self.recs.len()
    }

    /// Adds the terms of `other` (a vocabulary built with the same models) that this
    /// one lacks, and returns, for every id of `other`, the id of the same term here.
    /// The facts of an added term are copied, not looked up again (its key is hashed
    /// again: a record keeps only the home bits of its hash).
    pub(crate) fn absorb(&mut self, other: &Vocab) -> Vec<u32> {
        other
            .recs
            .iter()
            .map(|r| {
                let key = other.key(r);
                self.find_or_insert_bytes(hash(r.lang, key), r.lang, key, |id| Entry {
                    id,
                    ..r.entry
                })
                .id
            })
            .collect()
    }

    /// Every (language, term, id), by id.
    #[cfg(test)]
    fn terms(&self) -> impl Iterator<Item = (Lang, &str, u32)> + '_ {
        self.recs.iter().map(move |r| {
            let term = std::str::from_utf8(self.key(r)).unwrap_or_default();
            (r.lang, term, r.entry.id)
        })
    }
}

/// Where [`Analyzer::analyze_with`](crate::analysis::Analyzer) sends a document's
/// term counts: any `FnMut(id, language, term, count, word tokens of the term's
/// language in the document, vocabulary size)`, or a group's [`DenseTerms`]
/// ([`DenseSink`]).
pub(crate) trait TermSink {
    /// Called once per document for each id it will add, as the id is first met
    /// (well before its [`TermSink::add`]); does nothing unless the sink has memory
    /// to ask for ahead of the adds ([`prefetch`]).
    #[inline]
    fn prefetch(&mut self, _id: u32) {}

    /// Adds `count` occurrences of term `id` (`term()` in `lang`: called only by a
    /// sink that wants the string) in one document.
    fn add<'a>(
        &mut self,
        id: u32,
        lang: Lang,
        term: impl FnOnce() -> &'a str,
        count: u32,
        doc_tokens: u64,
        vocab_len: usize,
    );
}

impl<F: FnMut(u32, Lang, &str, u32, u64, usize)> TermSink for F {
    #[inline]
    fn add<'a>(
        &mut self,
        id: u32,
        lang: Lang,
        term: impl FnOnce() -> &'a str,
        count: u32,
        doc_tokens: u64,
        vocab_len: usize,
    ) {
        self(id, lang, term(), count, doc_tokens, vocab_len)
    }
}

/// The term counts of documents of file `file` into a group's [`DenseTerms`].
pub(crate) struct DenseSink<'a> {
    /// The group's table.
    pub terms: &'a mut DenseTerms,
    /// The file ordinal of the documents.
    pub file: u32,
}

impl TermSink for DenseSink<'_> {
    /// Asks for the statistics of the id (a table the size of the vocabulary per
    /// group misses the cache for all but the frequent terms): by the time the
    /// document's adds come, they are there.
    #[inline]
    fn prefetch(&mut self, id: u32) {
        prefetch(self.terms.0.get(id as usize));
    }

    #[inline]
    fn add<'a>(
        &mut self,
        id: u32,
        _: Lang,
        _: impl FnOnce() -> &'a str,
        count: u32,
        doc_tokens: u64,
        vocab_len: usize,
    ) {
        self.terms.add(id, count, doc_tokens, self.file, vocab_len)
    }
}

/// A worker's statistics of one term in one group: a [`TermStat`] in 24 bytes instead
/// of 32 (a worker's document frequency fits 32 bits), as there is one per group for
/// every id of the worker's vocabulary.
#[derive(Debug, Clone, Copy, Default)]
struct DenseStat {
    count: u64,
    doc_freq: u32,
    first_files: FirstFiles,
    /// Σc² and Σc·n over documents, as in [`TermStat`].
    count_sq: u64,
    count_tokens: u64,
}

/// A group's term statistics indexed by [`Vocab`] id.
#[derive(Debug, Default)]
pub(crate) struct DenseTerms(Vec<DenseStat>);

impl DenseStat {
    /// Adds `o`, as [`TermStat::add`] does.
    fn add(&mut self, o: &DenseStat) {
        self.count += o.count;
        self.doc_freq += o.doc_freq;
        self.first_files.merge(&o.first_files);
        self.count_sq = self.count_sq.saturating_add(o.count_sq);
        self.count_tokens = self.count_tokens.saturating_add(o.count_tokens);
    }
}

impl DenseTerms {
    /// Makes index `i` valid, growing by a quarter at a time (not doubling: there is
    /// an array per group the size of the vocabulary, and its slack is memory) until
    /// [`room_for`] gives it room for a large vocabulary.
    #[inline]
    fn grow_to(&mut self, i: usize, vocab_len: usize) {
        if i >= self.0.len() {
            let want = vocab_len.max(i + 1);
            room_for(&mut self.0, want - 1, |c| c + c / 4);
            self.0.resize(want, DenseStat::default());
        }
    }

    /// Adds `count` occurrences of term `id` in one document of file `file` with
    /// `doc_tokens` word tokens of the term's language.
    #[inline]
    pub(crate) fn add(
        &mut self,
        id: u32,
        count: u32,
        doc_tokens: u64,
        file: u32,
        vocab_len: usize,
    ) {
        let i = id as usize;
        self.grow_to(i, vocab_len);
        let s = &mut self.0[i];
        let c = u64::from(count);
        s.count += c;
        s.doc_freq += 1;
        s.first_files.insert(file);
        s.count_sq = s.count_sq.saturating_add(c.saturating_mul(c));
        s.count_tokens = s.count_tokens.saturating_add(c.saturating_mul(doc_tokens));
    }

    /// Adds `other`, whose ids are those of a vocabulary absorbed into this one's
    /// ([`Vocab::absorb`] gave `ids`), leaving arrays sized at most `vocab_len`.
    pub(crate) fn absorb(&mut self, other: DenseTerms, ids: &[u32], vocab_len: usize) {
        for (s, &i) in other.0.iter().zip(ids) {
            if s.doc_freq == 0 || i == u32::MAX {
                continue;
            }
            let i = i as usize;
            self.grow_to(i, vocab_len);
            self.0[i].add(s);
        }
    }

    /// Moves the statistics into `table`, keyed by the terms of `vocab`.
    pub(crate) fn drain_into(&mut self, vocab: &Vocab, table: &mut TermTable) {
        let met = |r: &Rec| self.0.get(r.entry.id as usize).filter(|s| s.doc_freq > 0);
        // Each language's map is sized once for the terms the group met.
        let mut per_lang: Vec<(Lang, usize)> = Vec::new();
        for r in vocab.recs.iter().filter(|r| met(r).is_some()) {
            match per_lang.iter_mut().find(|(l, _)| *l == r.lang) {
                Some((_, n)) => *n += 1,
                None => per_lang.push((r.lang, 1)),
            }
        }
        for (l, n) in per_lang {
            table.reserve(l, n);
        }
        // The statistics are read first: a term the group never met is not decoded.
        for r in &vocab.recs {
            if let Some(s) = met(r) {
                let (lang, term) = (r.lang, vocab.term(r));
                let s = TermStat {
                    count: s.count,
                    doc_freq: u64::from(s.doc_freq),
                    count_sq: s.count_sq,
                    count_tokens: s.count_tokens,
                    first_files: s.first_files,
                };
                table.add_new_stat(lang, term, &s);
            }
        }
        self.0 = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::concepts::ConceptMatcher;
    use crate::sentiment::SentimentModel;
    use crate::tokenize::Tokenizer;

    /// Distinct keys of every length up to 40 bytes, in two languages, hash apart:
    /// every byte of a key takes part (all three of a short key, both overlapping
    /// words of a medium one, every 16-byte block of a long one), and so do its length
    /// and language. (A collision would only cost a comparison; this checks that the
    /// hash reads what it is meant to.)
    #[test]
    fn hash_reads_every_byte_length_and_language() {
        let mut seen = std::collections::HashMap::new();
        let mut add = |l: Lang, k: String| {
            let h = hash(l, &k);
            if let Some(prev) = seen.insert(h, (l, k.clone())) {
                panic!("{:?} and {:?} hash alike", prev, (l, k));
            }
        };
        let alpha = ["a", "b", "é", "矿"];
        // Every string of up to three symbols.
        let mut short = vec![String::new()];
        for _ in 0..3 {
            let more: Vec<String> = short
                .iter()
                .flat_map(|s| alpha.iter().map(move |c| format!("{s}{c}")))
                .collect();
            short.extend(more);
        }
        short.sort();
        short.dedup();
        for k in &short {
            add(Lang::En, k.clone());
            add(Lang::Zh, k.clone());
        }
        // Each position of keys of 4 to 40 bytes changed on its own.
        for n in 4..=40usize {
            let base = "x".repeat(n);
            add(Lang::En, base.clone());
            for at in 0..n {
                let mut k = base.clone().into_bytes();
                k[at] = b'y';
                add(Lang::En, String::from_utf8(k).unwrap_or_default());
            }
        }
    }

    fn parts() -> Models {
        let sentiment = SentimentModel::builder().build().unwrap();
        let tokenizer = Tokenizer::builder().build().unwrap();
        let matcher = ConceptMatcher::new(&crate::concepts::Glossary::shipped(), &tokenizer);
        Models {
            tokenizer,
            sentiment,
            matcher,
        }
    }

    #[test]
    fn ids_are_per_language_and_facts_match_direct_lookups() {
        let p = parts();
        let (tok, senti, m) = (&p.tokenizer, &p.sentiment, &p.matcher);
        let mut v = Vocab::default();
        let a = v.entry(Lang::En, "good", &p);
        let b = v.entry(Lang::En, "bitcoin", &p);
        assert_eq!(v.entry(Lang::En, "good", &p).id, a.id);
        let c = v.entry(Lang::Zh, "good", &p);
        assert_ne!(a.id, c.id);
        assert_ne!(a.id, b.id);
        assert_eq!(v.len(), 3);
        for (l, t, e) in [
            (Lang::En, "good", a),
            (Lang::En, "bitcoin", b),
            (Lang::Zh, "good", c),
        ] {
            assert_eq!(e.senti, senti.lookup(l, t));
            assert_eq!(e.concept, m.start_node(t));
            assert_eq!(e.stop, tok.is_stopword(l, t));
            assert_eq!(e.chars, Entry::chars_of(l, t));
        }
        assert!(!v.entry(Lang::En, "blockchain", &p).senti.is_known());
        assert!(v.entry(Lang::En, "the", &p).stop);
        assert!(v.entry(Lang::Zh, "的", &p).stop);
        assert!(a.senti.is_known());
        assert_ne!(b.concept, StartNode::NONE);
        // A lengthened word resolves through its collapsed form.
        let g = v.entry(Lang::En, "goooood", &p);
        assert!(g.senti.is_known());
    }

    #[test]
    fn absorbed_vocabularies_give_the_table_of_one_vocabulary() {
        let p = parts();
        let m = &p.matcher;
        // Two workers meet overlapping terms in different orders.
        let a_docs: &[(Lang, &str, u32)] = &[
            (Lang::En, "mining", 2),
            (Lang::Zh, "矿场", 1),
            (Lang::En, "ban", 1),
        ];
        let b_docs: &[(Lang, &str, u32)] = &[
            (Lang::Zh, "比特币", 4),
            (Lang::En, "ban", 3),
            (Lang::En, "mining", 1),
        ];
        let (mut va, mut vb, mut one) = (Vocab::default(), Vocab::default(), Vocab::default());
        let (mut da, mut db, mut d1) = (
            DenseTerms::default(),
            DenseTerms::default(),
            DenseTerms::default(),
        );
        for (file, &(l, t, c)) in a_docs.iter().enumerate() {
            let id = va.entry(l, t, &p).id;
            da.add(id, c, 7, file as u32, va.len());
            let id = one.entry(l, t, &p).id;
            d1.add(id, c, 7, file as u32, one.len());
        }
        for (file, &(l, t, c)) in b_docs.iter().enumerate() {
            let file = file as u32 + 10;
            let id = vb.entry(l, t, &p).id;
            db.add(id, c, 7, file, vb.len());
            let id = one.entry(l, t, &p).id;
            d1.add(id, c, 7, file, one.len());
        }
        let ids = va.absorb(&vb);
        assert_eq!(va.len(), one.len());
        assert!(ids.iter().all(|&i| (i as usize) < va.len()));
        // Facts travel with the term.
        let e = va.entry(Lang::Zh, "比特币", &p);
        assert_eq!(e.concept, m.start_node("比特币"));
        da.absorb(db, &ids, va.len());
        let (mut merged, mut direct) = (TermTable::default(), TermTable::default());
        da.drain_into(&va, &mut merged);
        d1.drain_into(&one, &mut direct);
        assert_eq!(merged, direct);
        let s = merged.get(Lang::En, "ban").unwrap();
        assert_eq!((s.count, s.doc_freq), (4, 2));
        assert_eq!(s.first_files.files().collect::<Vec<_>>(), vec![2, 11]);
    }

    #[test]
    fn dense_stats_stay_small() {
        // One per group for every id of a worker's vocabulary: count, document
        // frequency and first files (24 bytes), and the two sums of the
        // document-level test.
        assert_eq!(std::mem::size_of::<DenseStat>(), 40);
    }

    #[test]
    fn pad_copies_every_length_as_a_slice_copy_does() {
        // Each length of key, with distinct bytes so a misplaced byte shows.
        let src: Vec<u8> = (1..=40u8).collect();
        for n in 0..=src.len() {
            let b = &src[..n];
            let want = (n <= INLINE).then(|| {
                let mut p = [0u8; INLINE];
                p[..n].copy_from_slice(b);
                p
            });
            assert_eq!(pad(b), want, "{n}");
        }
    }

    #[test]
    fn inline_eq_is_key_equality_on_every_length_and_byte() {
        // Keys of every inline length; each against itself, and against a copy with
        // one byte changed at each place (a compare that skipped a byte would pass it).
        for n in 1..=INLINE {
            let b: Vec<u8> = (0..n as u8).map(|i| 0x41 + i * 7).collect();
            let Some(k) = pad(&b) else {
                panic!("{n} bytes fit inline")
            };
            assert!(inline_eq(&k, &b), "{n}");
            for i in 0..n {
                let mut c = b.clone();
                c[i] ^= 0x20;
                assert!(!inline_eq(&k, &c), "{n} at {i}");
            }
        }
        assert!(!inline_eq(&[0; INLINE], &[0; INLINE + 1]));
    }

    #[test]
    fn records_keep_the_home_of_their_key() {
        let p = parts();
        let mut v = Vocab::default();
        let long = "a".repeat(INLINE + 5);
        for (l, t) in [(Lang::En, "mining"), (Lang::Zh, "矿场"), (Lang::En, &*long)] {
            let id = v.entry(l, t, &p).id;
            assert_eq!(v.recs[id as usize].home as usize, home(hash(l, t)), "{t}");
        }
    }

    /// Enough terms to grow the slot table many times and the records past
    /// [`crate::config::VOCAB_ROOM_FROM`]: every key keeps its id (the slots are placed
    /// again from the home bits their records keep), a term's document count starts
    /// at zero, says when it is first met, and is taken back to zero; and once the
    /// records have room for a large vocabulary, adding terms moves them no more.
    #[test]
    fn ids_and_document_counts_survive_growth() {
        use crate::config::{VOCAB_ROOM_FROM, VOCAB_ROOM_TERMS};
        let mut v = Vocab::default();
        let n = VOCAB_ROOM_FROM + 3000;
        let key = |i: usize| format!("t{i}");
        let facts = plain_entry;
        let mut moved_after_room = 0;
        for i in 0..n {
            let before = (v.recs.as_ptr(), v.recs.capacity() >= VOCAB_ROOM_TERMS);
            let id = v.find_or_insert(Lang::En, &key(i), facts).id;
            assert_eq!(id as usize, i);
            if before.1 && before.0 != v.recs.as_ptr() {
                moved_after_room += 1;
            }
            if i % 3 == 0 {
                assert!(v.count(id), "{i} first");
                assert!(!v.count(id), "{i} second");
            }
        }
        assert!(v.recs.capacity() >= VOCAB_ROOM_TERMS);
        assert_eq!(moved_after_room, 0);
        for i in 0..n {
            let id = v
                .find_or_insert(Lang::En, &key(i), |_| panic!("{i} is known"))
                .id;
            assert_eq!(id as usize, i);
            assert_eq!(v.take_count(id), if i % 3 == 0 { 2 } else { 0 }, "{i}");
            assert_eq!(v.take_count(id), 0, "{i} taken");
        }
        assert_eq!(
            v.find(hash(Lang::Zh, "t1"), Lang::Zh, b"t1").map(|e| e.id),
            None
        );
    }

    /// A term's characters are kept only where they stand for its surfaces'.
    #[test]
    fn term_chars_only_where_exact() {
        assert_eq!(Entry::chars_of(Lang::En, "bitcoin"), 7);
        assert_eq!(Entry::chars_of(Lang::Und, "3,000"), 5);
        assert_eq!(Entry::chars_of(Lang::Zh, "矿场"), 2);
        assert_eq!(Entry::chars_of(Lang::Zh, "btc矿场"), 5);
        // Not ASCII outside a Chinese run: `ⱥⱥ` may be `ȺȺ's` folded.
        assert_eq!(Entry::chars_of(Lang::En, "caf\u{e9}"), NOT_EXACT);
        assert_eq!(Entry::chars_of(Lang::En, "\u{2c65}\u{2c65}"), NOT_EXACT);
        // `i` and U+0307 may be the one character `İ`.
        assert_eq!(Entry::chars_of(Lang::Zh, "i\u{307}矿"), NOT_EXACT);
        assert_eq!(Entry::chars_of(Lang::En, &"a".repeat(70_000)), NOT_EXACT);
    }

    /// [`Entry::chars_of`], which works on the term's bytes, is its definition on
    /// characters: U+0307 found as the pair `CC 87` only where it is (not in `ȇ`,
    /// `C8 87`, nor in another combining mark `CC 81`), characters counted as
    /// `chars` counts them.
    #[test]
    fn term_chars_on_bytes_are_those_on_characters() {
        let by_chars = |lang: Lang, t: &str| -> u16 {
            if t.is_ascii() || (lang == Lang::Zh && !t.contains('\u{307}')) {
                u16::try_from(t.chars().count())
                    .ok()
                    .filter(|&n| n != NOT_EXACT)
                    .unwrap_or(NOT_EXACT)
            } else {
                NOT_EXACT
            }
        };
        let long = "矿".repeat(70_000);
        let terms = [
            "",
            "a",
            "矿场",
            "i\u{307}",
            "\u{307}",
            "矿\u{307}",
            "\u{307}矿场",
            "矿\u{301}场",
            "\u{207}矿",
            "\u{207}\u{307}",
            "比特币\u{1f600}挖矿",
            "\u{cc}\u{87}",
            long.as_str(),
            &long[..65_535 * 3],
            &long[..65_534 * 3],
        ];
        for t in terms {
            for lang in [Lang::Zh, Lang::En, Lang::Und] {
                assert_eq!(
                    Entry::chars_of(lang, t),
                    by_chars(lang, t),
                    "{lang:?} {t:?}"
                );
            }
        }
    }

    #[test]
    fn entries_stay_small() {
        // A vocabulary bucket (24-byte key + entry) should fit one cache line.
        assert!(
            std::mem::size_of::<Entry>() <= 32,
            "{}",
            std::mem::size_of::<Entry>()
        );
    }

    #[test]
    fn find_tells_known_keys_from_near_misses() {
        // The inlined probe of the per-token lookup: nothing in an empty table; a
        // known key found with its own entry; the same bytes in another language, a
        // key one byte longer or shorter, and a key differing in its last byte not.
        let mut v = Vocab::default();
        let entry = |id| Entry {
            id,
            senti: TermRef::default(),
            scan: Scan::Plain,
            concept: StartNode::NONE,
            stop: id % 2 == 1,
            chars: NOT_EXACT,
        };
        assert!(v.find(hash(Lang::En, "ban"), Lang::En, b"ban").is_none());
        let long = "k".repeat(INLINE + 3);
        let keys = ["ban", "bans", "ba", "bam", "矿场", &long];
        for k in keys {
            v.find_or_insert(Lang::En, k, entry);
        }
        for (id, k) in keys.iter().enumerate() {
            let e = v.find(hash(Lang::En, k), Lang::En, k.as_bytes());
            assert_eq!(
                e.map(|e| (e.id, e.stop)),
                Some((id as u32, id % 2 == 1)),
                "{k}"
            );
            assert!(
                v.find(hash(Lang::Zh, k), Lang::Zh, k.as_bytes()).is_none(),
                "{k}"
            );
        }
        let longer = format!("{long}k");
        assert!(v
            .find(hash(Lang::En, &longer), Lang::En, longer.as_bytes())
            .is_none());
        assert!(v.find(hash(Lang::En, "banz"), Lang::En, b"banz").is_none());
        // Keys whose hash equals a known key's (a collision, forced here by passing
        // that key's hash) are told apart by the record: its language, its length,
        // its bytes.
        for (id, k) in keys.iter().enumerate() {
            let h = hash(Lang::En, k);
            assert!(v.find(h, Lang::Zh, k.as_bytes()).is_none(), "{k} in zh");
            assert!(v.find(h, Lang::En, b"bax").is_none(), "{k} as bax");
            let mut other = k.as_bytes().to_vec();
            if let Some(last) = other.last_mut() {
                *last ^= 1;
            }
            assert!(v.find(h, Lang::En, &other).is_none(), "{k} changed");
            assert_eq!(
                v.find(h, Lang::En, k.as_bytes()).map(|e| e.id),
                Some(id as u32)
            );
        }
    }

    /// An entry with id `id` and no facts.
    fn plain_entry(id: u32) -> Entry {
        Entry {
            id,
            senti: TermRef::default(),
            scan: Scan::Plain,
            concept: StartNode::NONE,
            stop: false,
            chars: NOT_EXACT,
        }
    }

    /// The id [`Vocab::prefetch_entry`] hands on is that of the key's own slot, found
    /// by its tag past another key's in its home slot (which a look at the home slot
    /// alone would give), and none for a key the vocabulary lacks.
    #[test]
    fn prefetch_entry_touches_the_id_of_the_key() {
        let entry = plain_entry;
        let touched = |v: &Vocab, h: u64| {
            let mut got = None;
            v.prefetch_entry(h, |id| got = Some(id));
            got
        };
        assert_eq!(touched(&Vocab::default(), 5), None);
        // Three hashes with the same home slot (their low bits) and different tags.
        let home = 5u64;
        let (ha, hb, hc) = (
            (1u64 << 40) | home,
            (2u64 << 40) | home,
            (3u64 << 40) | home,
        );
        let mut v = Vocab::default();
        let a = v.find_or_insert_bytes(ha, Lang::En, b"a", entry).id;
        let b = v.find_or_insert_bytes(hb, Lang::En, b"b", entry).id;
        assert_ne!(a, b);
        assert_eq!(touched(&v, ha), Some(a));
        assert_eq!(touched(&v, hb), Some(b));
        assert_eq!(touched(&v, hc), None);
        // A real key, through the public hash.
        let hz = hash(Lang::Zh, "矿场");
        let z = v
            .find_or_insert_bytes(hz, Lang::Zh, "矿场".as_bytes(), entry)
            .id;
        assert_eq!(touched(&v, hz), Some(z));
    }

    /// A lookup given a hint gives the key's own entry whatever the hint: the key's
    /// id, another key's (one of the same length and language too), none, or one past
    /// the vocabulary; and a new key is added once.
    #[test]
    fn hinted_lookups_give_the_key_whatever_the_hint() {
        let p = parts();
        let mut v = Vocab::default();
        let keys = ["ban", "bam", "mining", "矿场", &"k".repeat(INLINE + 3)];
        let ids: Vec<u32> = keys.iter().map(|k| v.entry(Lang::En, k, &p).id).collect();
        for (k, &id) in keys.iter().zip(&ids) {
            let h = hash(Lang::En, k);
            for hint in ids.iter().copied().chain([u32::MAX, ids.len() as u32]) {
                let e = v.entry_hinted(hint, h, Lang::En, k.as_bytes(), || k, &p);
                assert_eq!(e.id, id, "{k} hinted {hint}");
            }
            // The same bytes in another language are another key.
            let hz = hash(Lang::Zh, k);
            let z = v.entry_hinted(id, hz, Lang::Zh, k.as_bytes(), || k, &p);
            assert_ne!(z.id, id, "{k}");
        }
        let n = v.len();
        let h = hash(Lang::En, "new");
        let a = v.entry_hinted(ids[0], h, Lang::En, b"new", || "new", &p);
        let b = v.entry_hinted(a.id, h, Lang::En, b"new", || "new", &p);
        assert_eq!((a.id, b.id, v.len()), (n as u32, n as u32, n + 1));
    }

    #[test]
    fn records_fill_one_cache_line() {
        assert_eq!(std::mem::size_of::<Rec>(), 64);
    }

    #[test]
    fn ids_equal_those_of_a_hash_map_on_generated_keys() {
        // Short and long (arena) keys, in several languages, enough of them to grow
        // the slot table several times, each met more than once.
        let mut v = Vocab::default();
        let mut map: std::collections::HashMap<(Lang, String), u32> = Default::default();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let entry = plain_entry;
        for round in 0..60_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x % 5_000) as usize;
            let len = 1 + (x >> 20) as usize % 40;
            let term: String = format!("{n}比{}", "x".repeat(len))
                .chars()
                .take(len)
                .collect();
            let lang = Lang::ALL[(x >> 40) as usize % Lang::ALL.len()];
            let want = map.len() as u32;
            let want = *map.entry((lang, term.clone())).or_insert(want);
            let got = v.find_or_insert(lang, &term, entry);
            assert_eq!(got.id, want, "round {round}: {lang:?} {term}");
        }
        assert_eq!(v.len(), map.len());
        assert!(!v.arena.is_empty() && v.slots.len() > FIRST_SLOTS);
        let listed: std::collections::HashMap<(Lang, String), u32> = v
            .terms()
            .map(|(l, t, id)| ((l, t.to_owned()), id))
            .collect();
        assert_eq!(listed, map);
        // Absorbing into an empty vocabulary keeps every id.
        let mut w = Vocab::default();
        let ids = w.absorb(&v);
        assert_eq!(ids, (0..v.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn dense_terms_drain_to_the_same_table_as_string_counting() {
        let p = parts();
        let mut v = Vocab::default();
        let mut dense = DenseTerms::default();
        let mut direct = TermTable::default();
        let docs: [&[(Lang, &str, u32)]; 3] = [
            &[(Lang::En, "mining", 2), (Lang::Zh, "矿场", 1)],
            &[(Lang::Zh, "矿场", 3), (Lang::En, "ban", 1)],
            &[(Lang::En, "mining", 1)],
        ];
        for (file, doc) in docs.iter().enumerate() {
            for &(l, t, c) in doc.iter() {
                let id = v.entry(l, t, &p).id;
                // The document's tokens of the term's language.
                let n: u64 = doc
                    .iter()
                    .filter(|x| x.0 == l)
                    .map(|x| u64::from(x.2))
                    .sum();
                dense.add(id, c, n, file as u32, v.len());
                direct.add_term_in(l, t, c, n, file as u32);
            }
        }
        let mut table = TermTable::default();
        dense.drain_into(&v, &mut table);
        assert_eq!(table, direct);
        let s = table.get(Lang::Zh, "矿场").unwrap();
        assert_eq!((s.count, s.doc_freq), (4, 2));
        // Σc² = 1 + 9; Σc·n = 1·1 + 3·3.
        assert_eq!((s.count_sq, s.count_tokens), (10, 10));
        assert_eq!(s.first_files.files().collect::<Vec<_>>(), vec![0, 1]);
    }
}
