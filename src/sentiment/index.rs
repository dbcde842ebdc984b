//! The term index: what every word list of a language says about a term, in one
//! hash lookup per token ([`TermIndex`]), and a token's resolved facts ([`TermRef`]).

use super::lexicon::LangResources;
use super::morphology::{compound_lookup, deelongate, morph_fallback, morpheme_lookup};
use super::units::decompose;
use super::SentimentModel;
use crate::lang::Lang;
use compact_str::CompactString;

/// What the word lists of one language say about a term, gathered so that a token
/// costs one hash lookup instead of one per list. 16 bytes, so it can travel with a
/// worker's vocabulary entry (no second cache miss per token).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TermInfo {
    /// NaN when absent (lexicon values are finite).
    valence: f32,
    degree: f32,
    excess: f32,
    flags: u16,
    /// Byte length of the longest key the term opens (bounds the phrase lookups).
    pub(super) phrase_max_bytes: u16,
}

impl Default for TermInfo {
    fn default() -> Self {
        TermInfo {
            valence: f32::NAN,
            degree: f32::NAN,
            excess: f32::NAN,
            flags: 0,
            phrase_max_bytes: 0,
        }
    }
}

/// Bitwise, so that two absent (NaN) values are equal.
impl PartialEq for TermInfo {
    fn eq(&self, o: &Self) -> bool {
        self.valence.to_bits() == o.valence.to_bits()
            && self.degree.to_bits() == o.degree.to_bits()
            && self.excess.to_bits() == o.excess.to_bits()
            && self.flags == o.flags
            && self.phrase_max_bytes == o.phrase_max_bytes
    }
}

macro_rules! term_flags {
    ($($name:ident $set:ident $bit_name:ident = $bit:expr;)*) => {
        impl TermInfo {
            $(
                /// The flag's bit in `flags`.
                pub(super) const $bit_name: u16 = $bit;
                #[inline]
                pub(super) fn $name(&self) -> bool {
                    self.flags & Self::$bit_name != 0
                }
                pub(super) fn $set(&mut self) {
                    self.flags |= Self::$bit_name;
                }
            )*
        }
    };
}

term_flags! {
    neg set_neg NEG = 1;
    weak_neg set_weak_neg WEAK_NEG = 2;
    contrast set_contrast CONTRAST = 4;
    concessive set_concessive CONCESSIVE = 8;
    irrealis set_irrealis IRREALIS = 16;
    rhetorical set_rhetorical RHETORICAL = 32;
    property set_property PROPERTY = 64;
    // The term can open a multi-token valence entry (it is a proper prefix of a key,
    // ending where a join string starts).
    phrase_start set_phrase_start PHRASE_START = 128;
    // Only in a [`TermRef`]: the entry was found after collapsing lengthened letters.
    elongated set_elongated ELONGATED = 256;
    // An opinion only as a verb (`like`), and the words after which it is one.
    verb_sense set_verb_sense VERB_SENSE = 512;
    subject set_subject SUBJECT = 1024;
    // Only in a [`TermRef`] of a language that decomposes tokens: the term splits into
    // glued modifiers and a lexicon word ([`super::units::decompose`] finds something).
    decomposes set_decomposes DECOMPOSES = 2048;
    // A word the fallbacks leave alone (太空 is not 太 + 空, 爱沙尼亚 not 爱).
    neutral set_neutral NEUTRAL = 4096;
    // The term is a proper prefix (at a place tokens can join) of a multi-token key
    // that a phrase lookup can match: a longer run of tokens may still be a key, so
    // [`super::units`] looks further; without it the longest match is already found.
    continues set_continues CONTINUES = 8192;
    // Only in a [`TermRef`]: facts of the term's spelling that the rules of
    // [`super::units`] would otherwise test per token: an English `…n't` form that
    // the negator test takes, and `least` in a language that joins tokens with a space.
    nt_negator set_nt_negator NT_NEGATOR = 16384;
    least set_least LEAST = 32768;
}

#[inline]
pub(super) fn present(x: f32) -> Option<f32> {
    (!x.is_nan()).then_some(x)
}

impl TermInfo {
    #[inline]
    pub(super) fn valence(&self) -> Option<f32> {
        present(self.valence)
    }
    #[inline]
    pub(super) fn degree(&self) -> Option<f32> {
        present(self.degree)
    }
    #[inline]
    pub(super) fn excess(&self) -> Option<f32> {
        present(self.excess)
    }
}

/// The byte offsets where key `k` can be cut into the terms of tokens joined by `join`:
/// any char boundary when tokens join with nothing (Chinese), else where the join
/// string or a hyphen starts (`well-made`: the tokenizer splits at `-`). Proper
/// prefixes only.
fn join_points<'a>(k: &'a str, join: &'a str) -> impl Iterator<Item = usize> + 'a {
    let all = join.is_empty();
    k.char_indices()
        .skip(1)
        .filter(move |&(_, c)| all || join.starts_with(c) || c == '-')
        .map(|(i, _)| i)
}

/// Index over the word lists of one language (built once with the model).
pub(super) fn key_bytes(k: &str) -> u16 {
    u16::try_from(k.len()).unwrap_or(u16::MAX)
}

/// The first and the last four bytes of `s` as two little-endian words (one load
/// each); for a term of one to three bytes, its first, middle and last bytes in one
/// word, twice (the whole term: its length goes into the hash beside it).
#[inline(always)]
fn edge_words(s: &[u8]) -> (u64, u64) {
    let n = s.len();
    if let (Some(h), Some(t)) = (s.first_chunk::<4>(), s.last_chunk::<4>()) {
        (
            u64::from(u32::from_le_bytes(*h)),
            u64::from(u32::from_le_bytes(*t)),
        )
    } else if n > 0 {
        let x = u64::from(s[0]) | u64::from(s[n / 2]) << 8 | u64::from(s[n - 1]) << 16;
        (x, x)
    } else {
        (0, 0)
    }
}

/// The hash of two terms that [`PairFilter`] keeps: of their lengths, the last bytes
/// of the first, and the first and last bytes of the second (not every byte), in one
/// folded 64 × 64 → 128-bit multiply of two words that hold them.
#[inline(always)]
fn pair_hash(a: &[u8], b: &[u8]) -> u64 {
    const K1: u64 = 0x9E37_79B9_7F4A_7C15;
    const K2: u64 = 0xD6E8_FEB8_6659_FD93;
    let (_, a_tail) = edge_words(a);
    let (b_head, b_tail) = edge_words(b);
    let lens = ((a.len() as u64) << 16 ^ b.len() as u64) << 32;
    let x = (a_tail << 32 | b_head) ^ K1;
    let y = (b_tail | lens) ^ K2;
    let p = u128::from(x) * u128::from(y);
    (p as u64) ^ ((p >> 64) as u64)
}

/// One bit per hash of two terms ([`pair_hash`]): set for every two terms that a
/// phrase search's first lookup can find joined, i.e. every entry of the index cut
/// into a first term and the rest where tokens join (anywhere when they join with
/// nothing; before the join string or a hyphen otherwise, the rest after it). A
/// clear bit means the two terms, joined, are no entry, so the search of a run that
/// starts with them ends there ([`super::units::PhraseRun::longest`]); most runs
/// start with two terms that are no entry.
#[derive(Debug, Clone, Default)]
pub(crate) struct PairFilter {
    /// The bits; empty: every pair may be an entry.
    bits: Box<[u64]>,
    /// Right shift of a hash to its bit number.
    shift: u32,
}

impl PairFilter {
    /// The filter of the first lookups of `map`'s entries for tokens joined by
    /// `join`: about six bits per pair.
    fn new<'a>(keys: impl Iterator<Item = &'a str>, join: &str) -> Self {
        let mut hashes: Vec<u64> = Vec::new();
        for k in keys {
            for (i, _) in k.char_indices().skip(1) {
                let (first, rest) = k.split_at(i);
                if join.is_empty() {
                    hashes.push(pair_hash(first.as_bytes(), rest.as_bytes()));
                    continue;
                }
                for sep in [join, "-"] {
                    if let Some(second) = rest.strip_prefix(sep).filter(|s| !s.is_empty()) {
                        hashes.push(pair_hash(first.as_bytes(), second.as_bytes()));
                    }
                }
            }
        }
        let n_bits = (hashes.len() * 6).next_power_of_two().max(512);
        let mut bits = vec![0u64; n_bits / 64].into_boxed_slice();
        let shift = 64 - n_bits.trailing_zeros();
        for h in hashes {
            let b = (h >> shift) as usize;
            if let Some(w) = bits.get_mut(b / 64) {
                *w |= 1 << (b % 64);
            }
        }
        PairFilter { bits, shift }
    }

    /// False when terms `a` and `b`, joined as tokens join, are certainly no entry.
    #[inline(always)]
    pub(super) fn may_join(&self, a: impl AsRef<[u8]>, b: impl AsRef<[u8]>) -> bool {
        if self.bits.is_empty() {
            return true;
        }
        let b = (pair_hash(a.as_ref(), b.as_ref()) >> self.shift) as usize;
        match self.bits.get(b / 64) {
            Some(w) => (w >> (b % 64)) & 1 != 0,
            None => true,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TermIndex {
    map: rustc_hash::FxHashMap<CompactString, TermInfo>,
    /// Some entry has more characters than the longest valence key
    /// ([`LangResources::max_key_chars`]): only then can the phrase search's bound on
    /// characters end a search that the lookup would not (see
    /// [`super::units::PhraseRun::longest`]).
    long_keys: bool,
    /// The pairs of terms a phrase search's first lookup can find.
    pairs: PairFilter,
    /// The first characters of the negator and degree entries ([`ModifierStarts`]).
    modifier_starts: ModifierStarts,
}

/// One bit per character (its code point modulo 2^16): set for the first character
/// of every negator or degree entry of an index. A clear bit means no such entry
/// starts with the character, so [`super::units::decompose`] finds no modifier
/// glued at the start of a term that starts with it (most terms: one load instead of
/// the lookups of its one- and two-character prefixes).
#[derive(Debug, Clone)]
pub(crate) struct ModifierStarts(Box<[u64; 1024]>);

impl Default for ModifierStarts {
    fn default() -> Self {
        // (No entry: no term may start with a modifier.)
        ModifierStarts(Box::new([0; 1024]))
    }
}

impl ModifierStarts {
    /// The bit of character `c`: (word, mask).
    #[inline]
    fn bit(c: char) -> (usize, u64) {
        let x = c as usize & 0xFFFF;
        (x >> 6, 1 << (x & 63))
    }

    /// Sets the bit of the first character of `term`.
    fn add(&mut self, term: &str) {
        if let Some(c) = term.chars().next() {
            let (w, m) = Self::bit(c);
            self.0[w] |= m;
        }
    }

    /// False when no negator or degree entry starts with the first character of
    /// `term` (or `term` is empty).
    #[inline]
    pub(super) fn may_start(&self, term: &str) -> bool {
        term.chars().next().is_some_and(|c| {
            let (w, m) = Self::bit(c);
            self.0[w] & m != 0
        })
    }
}

/// What the lexicons say about one token's term, resolved once (see
/// [`SentimentModel::lookup`]): the index entry, found directly or after collapsing
/// lengthened letters, and the valence of the morphological fallbacks. A caller that
/// meets the same term many times (a worker's vocabulary) keeps this instead of
/// repeating the lookup and its fallbacks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TermRef {
    /// The index entry; its `elongated` flag is set when it was found after
    /// collapsing lengthened letters (`gooood`).
    pub(super) info: TermInfo,
    /// Valence the suffix and negative-affix rules give the term (already weighted,
    /// see [`super::morphology::morph_fallback`]); in a language that decomposes
    /// tokens ([`super::LangParams::decompose`]), the character back-off
    /// ([`super::morphology::morpheme_lookup`], or the compound back-off
    /// [`super::morphology::compound_lookup`] first; not yet weighted) instead. NaN when
    /// they give none or do not apply.
    pub(super) fallback: f32,
}

/// What the scan of a sentence's tokens ([`SentimentModel::scan_tokens`]) does with a
/// token of a term ([`TermRef::scan`]), kept beside a worker's vocabulary entry so that
/// the scan tests one byte per token instead of the term's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Scan {
    /// [`TermRef::plain`]: the rules read nothing of the term; no unit.
    #[default]
    Plain,
    /// [`TermRef::bare`] without a fallback: a unit only where a key may open at the
    /// token (the scan's phrase test).
    Opener,
    /// Anything else: the unit builder visits the token.
    Pick,
}

/// The facts of a document's tokens by index, as the sentiment pass reads them.
pub(crate) trait TokenRefs {
    /// The [`TermRef`] of token `k`: [`SentimentModel::lookup`] of its language and
    /// term.
    fn term_ref(&self, k: usize) -> TermRef;
    /// [`TermRef::scan`] of token `k` (a worker's vocabulary keeps it per term).
    #[inline]
    fn scan(&self, k: usize) -> Scan {
        self.term_ref(k).scan()
    }
}

impl<F: Fn(usize) -> TermRef> TokenRefs for F {
    #[inline]
    fn term_ref(&self, k: usize) -> TermRef {
        self(k)
    }
}

impl Default for TermRef {
    fn default() -> Self {
        TermRef {
            info: TermInfo::default(),
            fallback: f32::NAN,
        }
    }
}

/// Bitwise, so that two absent (NaN) values are equal.
impl PartialEq for TermRef {
    fn eq(&self, o: &Self) -> bool {
        self.info == o.info && self.fallback.to_bits() == o.fallback.to_bits()
    }
}

impl TermRef {
    /// True when the rules read nothing of the term: no fact but `continues` (which
    /// only the phrase search of a preceding token consults, through the index), no
    /// value and no fallback. [`super::units`] gives such a token a unit without
    /// running the rules over it.
    #[inline]
    pub(super) fn plain(&self) -> bool {
        let i = &self.info;
        i.flags & !TermInfo::CONTINUES == 0
            && i.valence.is_nan()
            && i.degree.is_nan()
            && i.excess.is_nan()
            && self.fallback.is_nan()
    }

    /// True when the entry has no fact but `phrase_start` and `continues` (which only
    /// the phrase search reads) and no value: once no longer key is found, what the
    /// rules read of the term is its fallback alone (see [`TermRef::plain`]).
    #[inline]
    pub(super) fn bare(&self) -> bool {
        let i = &self.info;
        i.flags & !(TermInfo::CONTINUES | TermInfo::PHRASE_START) == 0
            && i.valence.is_nan()
            && i.degree.is_nan()
            && i.excess.is_nan()
    }

    /// What the scan of a sentence's tokens ([`SentimentModel::scan_tokens`]) does with
    /// a (non-numeric) token of the term, decided once per term: see [`Scan`].
    #[inline]
    pub(crate) fn scan(&self) -> Scan {
        if self.plain() {
            Scan::Plain
        } else if self.bare() && self.fallback.is_nan() {
            Scan::Opener
        } else {
            Scan::Pick
        }
    }

    /// True when some list has the term.
    #[cfg(test)]
    pub(crate) fn is_known(&self) -> bool {
        let mut info = self.info;
        // `decomposes` is about the term's parts, `continues` about longer keys.
        info.flags &=
            !(TermInfo::DECOMPOSES | TermInfo::CONTINUES | TermInfo::NT_NEGATOR | TermInfo::LEAST);
        info != TermInfo::default()
    }
}

impl TermIndex {
    pub(crate) fn new(r: &LangResources) -> Self {
        let mut map: rustc_hash::FxHashMap<CompactString, TermInfo> = Default::default();
        for (k, &v) in &r.valence {
            map.entry(CompactString::from(&**k)).or_default().valence = v;
        }
        for (k, &m) in &r.intensifiers {
            map.entry(CompactString::from(&**k)).or_default().degree = m;
        }
        for k in &r.negators {
            map.entry(CompactString::from(&**k)).or_default().set_neg();
        }
        for k in &r.weak_negators {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_weak_neg();
        }
        for k in &r.contrast {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_contrast();
        }
        for k in &r.concessive {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_concessive();
        }
        for k in &r.irrealis {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_irrealis();
        }
        for k in &r.rhetorical {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_rhetorical();
        }
        for k in &r.property {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_property();
        }
        for k in &r.verb_senses {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_verb_sense();
        }
        for k in &r.subjects {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_subject();
        }
        for k in &r.neutral {
            map.entry(CompactString::from(&**k))
                .or_default()
                .set_neutral();
        }
        for (k, &v) in &r.excess {
            map.entry(CompactString::from(&**k)).or_default().excess = v;
        }
        let join = r.params.phrase_join;
        // Multi-token entries: valence terms, and in languages that join tokens with a
        // space, modifier phrases (`kind of`, `even though`); Chinese modifiers are
        // single tokens or found by `decompose`, so they need no phrase lookups.
        let mut keys: Vec<&Box<str>> = r.valence.keys().collect();
        if !join.is_empty() {
            keys.extend(r.intensifiers.keys());
            keys.extend(r.negators.iter());
            keys.extend(r.concessive.iter());
            keys.extend(r.irrealis.iter());
        }
        for k in keys {
            for i in join_points(k, join) {
                let e = map.entry(CompactString::from(&k[..i])).or_default();
                e.set_phrase_start();
                e.phrase_max_bytes = e.phrase_max_bytes.max(key_bytes(k));
            }
        }
        // Every key a phrase lookup can match (see `build_units`: a valence, degree,
        // negator, concessive or irrealis entry), in every language: its proper
        // prefixes continue. The prefix entries this adds (Chinese modifiers) carry
        // no other fact, so what they say of a single token is unchanged.
        let matchable = r
            .valence
            .keys()
            .chain(r.intensifiers.keys())
            .chain(r.negators.iter())
            .chain(r.concessive.iter())
            .chain(r.irrealis.iter());
        for k in matchable {
            for i in join_points(k, join) {
                map.entry(CompactString::from(&k[..i]))
                    .or_default()
                    .set_continues();
            }
        }
        let long_keys = map.keys().any(|k| k.chars().count() > r.max_key_chars);
        let pairs = PairFilter::new(map.keys().map(|k| k.as_str()), join);
        let mut modifier_starts = ModifierStarts::default();
        for (k, e) in &map {
            if e.neg() || e.degree().is_some() {
                modifier_starts.add(k);
            }
        }
        TermIndex {
            map,
            long_keys,
            pairs,
            modifier_starts,
        }
    }

    /// False when terms `a` and `b` joined as tokens join (by nothing, the join
    /// string or a hyphen) are certainly no entry ([`PairFilter`]).
    #[inline(always)]
    pub(super) fn may_join(&self, a: impl AsRef<[u8]>, b: impl AsRef<[u8]>) -> bool {
        self.pairs.may_join(a, b)
    }

    /// The index's terms (to test it).
    #[cfg(test)]
    pub(super) fn terms(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(|k| k.as_str())
    }

    /// False when no negator or degree entry starts with the first character of
    /// `term` ([`ModifierStarts`]).
    #[inline]
    pub(super) fn may_start_with_modifier(&self, term: &str) -> bool {
        self.modifier_starts.may_start(term)
    }

    /// Sets every bit of the filter of the modifiers' first characters (to pin it
    /// against the search without it).
    #[cfg(test)]
    pub(super) fn open_modifier_starts(&mut self) {
        self.modifier_starts = ModifierStarts(Box::new([!0; 1024]));
    }

    /// True when some entry has more characters than the longest valence key.
    #[inline]
    pub(super) fn long_keys(&self) -> bool {
        self.long_keys
    }

    #[inline]
    pub(super) fn get(&self, term: &str) -> Option<&TermInfo> {
        self.map.get(term)
    }

    #[inline]
    pub(super) fn valence(&self, term: &str) -> Option<f32> {
        self.get(term).and_then(|e| e.valence())
    }
}

impl SentimentModel {
    /// Resolves what the lexicons say about `term` in `lang`: the index entry, or for
    /// a lengthened word (`gooood`) the entry of its collapsed form.
    pub(crate) fn lookup(&self, lang: Lang, term: &str) -> TermRef {
        let li = super::engine::lang_index(lang) as usize;
        let (Some(idx), Some(r)) = (self.idx.get(li), self.res(li as u8)) else {
            return TermRef::default();
        };
        let mut info = match idx.get(term) {
            Some(&info) => info,
            None if r.params.morphology > 0.0 => match deelongate(idx, term) {
                Some(mut info) => {
                    info.set_elongated();
                    info
                }
                None => TermInfo::default(),
            },
            None => TermInfo::default(),
        };
        // The fallbacks are only consulted for terms without a valence of their own.
        let fallback = if info.valence().is_some() || info.neutral() {
            // (A `neutral` word, `shared`, is not re-scored as `share` + `-d` either.)
            f32::NAN
        } else if r.params.decompose {
            // Once per term instead of once per token (see `build_units`).
            if decompose(idx, term).is_some() {
                info.set_decomposes();
            }
            if r.params.morpheme_weight > 0.0 {
                compound_lookup(r, idx, term)
                    .or_else(|| morpheme_lookup(r, term))
                    .unwrap_or(f32::NAN)
            } else {
                f32::NAN
            }
        } else {
            morph_fallback(r, idx, term).unwrap_or(f32::NAN)
        };
        if (term.ends_with("'t") || term.ends_with("’t")) && r.is_negator(term) {
            info.set_nt_negator();
        }
        if term == "least" && r.params.phrase_join == " " {
            info.set_least();
        }
        TermRef { info, fallback }
    }
}
