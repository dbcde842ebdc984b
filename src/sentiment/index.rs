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
    /// Byte length of the longest key the term opens (bounds the phrase lookups);
    /// [`LONG_PHRASE`] when it is longer than that, and then the length is
    /// [`TermIndex::long_limit`] of the term.
    pub(super) phrase_max_bytes: u8,
    /// For a term that opens keys ([`TermInfo::phrase_start`]): bit [`next_bit`]`(c)`
    /// set for every character `c` that the next token's term can start with in an
    /// entry of the index that begins with the term (after the join string or a
    /// hyphen, in a language that joins tokens with one). A phrase search whose
    /// second token starts with a character whose bit is clear finds nothing at its
    /// first lookup, so it is not run ([`super::units::PhraseRun::longest`]). All set
    /// in a [`TermRef`] found after collapsing lengthened letters.
    pub(super) next_chars: u8,
}

/// [`TermInfo::phrase_max_bytes`] of a term whose longest key has more bytes than
/// fit: the length is in [`TermIndex::long_limit`].
pub(super) const LONG_PHRASE: u8 = u8::MAX;

/// The bit of [`TermInfo::next_chars`] that stands for character `c` (a
/// multiplicative hash of the code point, top three bits).
#[inline]
pub(super) fn next_bit(c: char) -> u8 {
    1u8 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 29)
}

impl Default for TermInfo {
    fn default() -> Self {
        TermInfo {
            valence: f32::NAN,
            degree: f32::NAN,
            excess: f32::NAN,
            flags: 0,
            phrase_max_bytes: 0,
            next_chars: 0,
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
            && self.next_chars == o.next_chars
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

/// The byte length of a key.
pub(super) fn key_bytes(k: &str) -> usize {
    k.len()
}

/// The [`TermInfo::next_chars`] bits of `rest`, the part of an entry after a term that
/// opens it: its first character (tokens joined with nothing), and the one after a
/// leading join string or hyphen (the next token's first character when the tokens
/// are joined by it). A superset: every first character a next token can have.
fn next_chars_at(rest: &str, join: &str) -> u8 {
    let mut bits = rest.chars().next().map_or(0, next_bit);
    for sep in [join, "-"] {
        if sep.is_empty() {
            continue;
        }
        if let Some(c) = rest.strip_prefix(sep).and_then(|a| a.chars().next()) {
            bits |= next_bit(c);
        }
    }
    bits
}

/// Index over the word lists of one language (built once with the model).
#[derive(Debug, Clone, Default)]
pub(crate) struct TermIndex {
    map: rustc_hash::FxHashMap<CompactString, TermInfo>,
    /// Some entry has more characters than the longest valence key
    /// ([`LangResources::max_key_chars`]): only then can the phrase search's bound on
    /// characters end a search that the lookup would not (see
    /// [`super::units::PhraseRun::longest`]).
    long_keys: bool,
    /// The byte length of the longest key of each term that opens a key of
    /// [`LONG_PHRASE`] bytes or more (none in the shipped lexicons).
    long_limits: rustc_hash::FxHashMap<CompactString, usize>,
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
        let mut long_limits: rustc_hash::FxHashMap<CompactString, usize> = Default::default();
        for k in keys {
            for i in join_points(k, join) {
                let e = map.entry(CompactString::from(&k[..i])).or_default();
                e.set_phrase_start();
                let bytes = key_bytes(k);
                match u8::try_from(bytes).ok().filter(|&b| b < LONG_PHRASE) {
                    Some(b) if e.phrase_max_bytes != LONG_PHRASE => {
                        e.phrase_max_bytes = e.phrase_max_bytes.max(b);
                    }
                    Some(_) => {}
                    None => {
                        e.phrase_max_bytes = LONG_PHRASE;
                        let l = long_limits.entry(CompactString::from(&k[..i])).or_default();
                        *l = (*l).max(bytes);
                    }
                }
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
        // The characters a next token can start with, for each term that opens keys:
        // from every entry (not only the keys above: a first lookup can find any
        // entry), at every char boundary after its first character.
        let multi: Vec<CompactString> = map
            .keys()
            .filter(|k| k.chars().nth(1).is_some())
            .cloned()
            .collect();
        for k in &multi {
            for (i, _) in k.char_indices().skip(1) {
                let Some(e) = map.get_mut(&k[..i]) else {
                    continue;
                };
                if !e.phrase_start() {
                    continue;
                }
                e.next_chars |= next_chars_at(&k[i..], join);
            }
        }
        let long_keys = map.keys().any(|k| k.chars().count() > r.max_key_chars);
        TermIndex {
            map,
            long_keys,
            long_limits,
        }
    }

    /// The byte length of the longest key that a token whose term is `term` and
    /// whose facts are `info` (its [`TermRef::info`]) opens: the phrase search's bound
    /// ([`super::units::PhraseRun::limit`]).
    #[inline]
    pub(super) fn phrase_limit(&self, info: &TermInfo, term: &str) -> usize {
        if info.phrase_max_bytes != LONG_PHRASE {
            return usize::from(info.phrase_max_bytes);
        }
        self.long_limit(term)
    }

    /// [`TermIndex::phrase_limit`] of a term that opens a key of [`LONG_PHRASE`]
    /// bytes or more: kept aside by the term, or for a lengthened word (`sooo`) by
    /// the collapsed form whose entry it has (the collapsing of
    /// [`super::morphology::deelongate`]: runs of a letter cut to two, then to one).
    #[cold]
    fn long_limit(&self, term: &str) -> usize {
        if let Some(&l) = self.long_limits.get(term) {
            return l;
        }
        for keep in [2usize, 1] {
            let mut out = String::with_capacity(term.len());
            let (mut run, mut prev) = (0usize, 0u8);
            for &c in term.as_bytes() {
                run = if c == prev { run + 1 } else { 1 };
                prev = c;
                if run <= keep || !c.is_ascii_alphabetic() {
                    out.push(c as char);
                }
            }
            if self.map.contains_key(out.as_str()) {
                return self.long_limits.get(out.as_str()).copied().unwrap_or(0);
            }
        }
        0
    }

    /// True when some entry has more characters than the longest valence key.
    #[inline]
    pub(super) fn long_keys(&self) -> bool {
        self.long_keys
    }

    /// The index's terms (to test it).
    #[cfg(test)]
    pub(super) fn terms(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(|k| k.as_str())
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
                    // (The entry's characters are those after the collapsed form,
                    // not after the token's own term: every phrase search runs.)
                    info.next_chars = u8::MAX;
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
