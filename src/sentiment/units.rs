//! Token valence lookup: the tokens of one sentence become rule units (a token, or a
//! multi-token lexicon entry), each with what the lexicons say about it.

use super::index::{present, Scan, TermIndex, TermInfo, TermRef, TokenRefs};
use super::morphology::ELONGATION_STEP;
use super::{engine::lang_index, SentimentModel};
use crate::tokenize::{Token, TokenBuf};

/// One sentence as the scoring phases see it.
#[derive(Clone, Copy)]
pub(super) struct Sentence<'a> {
    /// The whole normalized text (token spans refer to it).
    pub(super) text: &'a str,
    /// The document's tokens.
    pub(super) tokens: &'a TokenBuf,
    /// Index of the sentence's first token in the document.
    pub(super) first: usize,
    /// The sentence's tokens.
    pub(super) stoks: &'a [Token],
    /// The sentence's text.
    pub(super) stext: &'a str,
    /// Emoticons of the sentence: (start, end, valence).
    pub(super) emo_spans: &'a [(u32, u32, f32)],
}

/// A token or multi-token lexicon entry, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    /// Token indices (within the document) covered.
    pub(super) tok_start: usize,
    pub(super) tok_end: usize,
    /// Byte span in the text.
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) clause: u32,
    pub(super) lang_idx: u8,
    pub(super) valence: f32,
    pub(super) has_valence: bool,
    pub(super) neg: bool,
    pub(super) degree: f32, // 0: not a degree word
    pub(super) contrast: bool,
    /// Modifiers glued inside the token (`不满意`): negators and degree multiplier.
    pub(super) inner_neg: u8,
    pub(super) inner_degree: f32, // 0: none
    pub(super) used_as_neg: bool,
    pub(super) weak_neg: bool,
    /// A weak negator glued inside the token (不太好).
    pub(super) inner_weak: bool,
    pub(super) concessive: bool,
    pub(super) irrealis: bool,
    pub(super) rhetorical: bool,
    /// Valence given to a following property word (0: not an excess marker).
    pub(super) excess: f32,
    /// In the clause of an earlier irrealis marker.
    pub(super) in_irrealis: bool,
}

const CLAUSE_PUNCT: &[char] = &[
    ',', ';', ':', '、', '(', ')', '[', ']', '"', '“', '”', '「', '」', '『', '』', '—', '–', '|',
    '/', '~', '·',
];

/// True when tokens `a` and `b` (next to each other) are in different clauses: the
/// text between them holds clause punctuation (adjacent tokens have no gap).
#[inline(always)]
pub(super) fn clause_gap(text: &str, a: &Token, b: &Token) -> bool {
    gap_ends_clause(text, a.end, b.start)
}

/// [`clause_gap`] of a token that ends at byte `a_end` and the next token, which
/// starts at byte `b_start`.
#[inline(always)]
fn gap_ends_clause(text: &str, a_end: u32, b_start: u32) -> bool {
    a_end != b_start && gap_text_ends_clause(text, a_end, b_start)
}

/// True when the text between two tokens holds clause punctuation.
#[inline(always)]
fn gap_has_clause_end(text: &str, a: &Token, b: &Token) -> bool {
    gap_text_ends_clause(text, a.end, b.start)
}

/// The ASCII characters of [`CLAUSE_PUNCT`] and the line break, by byte: the test
/// [`gap_punct`] makes of an ASCII gap (derived here, not listed a second time).
static CLAUSE_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    let mut i = 0;
    while i < CLAUSE_PUNCT.len() {
        let c = CLAUSE_PUNCT[i] as u32;
        if c < 0x80 {
            t[c as usize] = true;
        }
        i += 1;
    }
    t
};

/// [`gap_has_clause_end`] of the gap from byte `a_end` to byte `b_start`. The usual
/// gaps, of one or two ASCII bytes (one space, a comma, `, `), are tested byte by
/// byte in [`CLAUSE_BYTE`] (a space ends no clause), without slicing the text or
/// calling [`gap_punct`] (pinned against it in tests). Such a gap is a slice of the
/// text: it starts at an ASCII byte and ends after one, both character boundaries.
#[inline(always)]
fn gap_text_ends_clause(text: &str, a_end: u32, b_start: u32) -> bool {
    let (a, b) = (a_end as usize, b_start as usize);
    let bytes = text.as_bytes();
    match b.wrapping_sub(a) {
        // (A lone byte that is not ASCII is no character: no slice, no clause end,
        // as its entry in the table has it.)
        1 => {
            if let Some(&x) = bytes.get(a) {
                return CLAUSE_BYTE[usize::from(x)];
            }
        }
        2 => {
            if let Some(&[x, y]) = bytes.get(a..b) {
                if x < 0x80 && y < 0x80 {
                    return CLAUSE_BYTE[usize::from(x)] | CLAUSE_BYTE[usize::from(y)];
                }
            }
        }
        _ => {}
    }
    gap_punct(text.get(a..b).unwrap_or(""))
}

/// Whether the gap text between two tokens holds clause punctuation.
#[inline(never)]
fn gap_punct(gap: &str) -> bool {
    if gap.is_ascii() {
        // Same test on bytes for the usual gaps (spaces, ASCII punctuation).
        return gap.bytes().any(|c| CLAUSE_BYTE[usize::from(c)]);
    }
    gap.chars().any(|c| CLAUSE_PUNCT.contains(&c) || c == '\n')
}

/// What [`decompose`] finds in a token: the lexicon word's valence and the modifiers
/// glued before it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decomposed {
    valence: f32,
    negs: u8,
    weak: bool,
    degree: f32,
}

impl Decomposed {
    /// Sets the unit's valence and inner modifiers.
    #[inline]
    fn apply(self, u: &mut Unit) {
        u.valence = self.valence;
        u.has_valence = true;
        u.inner_neg = self.negs;
        u.inner_weak = self.weak;
        u.inner_degree = self.degree;
    }
}

/// Splits an unknown token into leading negators/degree words and a lexicon word
/// (`不满意` → 不 + 满意, `不太好` → 不 + 太 + 好), at most two prefixes deep.
/// Depends on the term only: [`SentimentModel::lookup`] records whether it finds
/// anything, so that the tokens of the many terms it does not split skip it.
pub(super) fn decompose(r: &TermIndex, term: &str) -> Option<Decomposed> {
    let mut rest = term;
    let mut negs = 0u8;
    let mut weak = false;
    let mut degree = 0f32;
    for _ in 0..2 {
        // No negator or degree entry starts as `rest` does: none of its prefixes
        // below is one (the search would end without advancing).
        if !r.may_start_with_modifier(rest) {
            return None;
        }
        let mut advanced = false;
        // Prefixes of 2 then 1 chars.
        let mut cuts = rest.char_indices().map(|(i, _)| i).skip(1);
        let (c1, c2) = (cuts.next(), cuts.next());
        for cut in [c2, c1].into_iter().flatten() {
            let (p, tail) = rest.split_at(cut);
            if tail.is_empty() {
                continue;
            }
            let info = r.get(p);
            let is_neg = info.is_some_and(|e| e.neg());
            weak |= info.is_some_and(|e| e.weak_neg());
            let deg = info.and_then(|e| e.degree());
            if !is_neg && deg.is_none() {
                continue;
            }
            if is_neg {
                negs += 1;
            }
            if let Some(m) = deg {
                degree = if degree == 0.0 { m } else { degree * m };
            }
            let tail_info = r.get(tail);
            let excess = info.and_then(|e| e.excess()).filter(|_| negs == 0);
            let v = tail_info.and_then(|e| e.valence()).or_else(|| {
                // Excess construction inside one token (太小, 偏咸).
                excess.filter(|_| tail_info.is_some_and(|e| e.property()))
            });
            if let Some(valence) = v {
                return Some(Decomposed {
                    valence,
                    negs,
                    weak,
                    degree,
                });
            }
            rest = tail;
            advanced = true;
            break;
        }
        if !advanced {
            return None;
        }
    }
    None
}

/// True when a phrase lookup can match `e`: a valence, degree, negator, concessive
/// or irrealis entry (not an entry that only opens longer keys).
#[inline]
pub(super) fn phrase_match(e: &TermInfo) -> bool {
    e.valence().is_some() || e.degree().is_some() || e.neg() || e.concessive() || e.irrealis()
}

/// The longest key among the first 2, 3 … tokens of a run, where `ends[n - 1]` is the
/// byte length of the first `n` tokens' joined terms in `joined`: (tokens, entry).
/// Searched from the shortest up: a run that is no key and no prefix of one (its entry
/// does not `continue`) ends the search, so a token that opens no longer key costs one
/// lookup. Keys over `max_chars` characters are never matched.
#[cfg(test)]
pub(super) fn longest_key<'a>(
    idx: &'a TermIndex,
    joined: &str,
    ends: &[usize],
    max_chars: usize,
) -> Option<(usize, &'a TermInfo)> {
    let mut longest = None;
    for len in 2..=ends.len() {
        let Some(key) = joined.get(..ends[len - 1]) else {
            break;
        };
        if key.chars().count() > max_chars {
            break;
        }
        let Some(e) = idx.get(key) else {
            break;
        };
        if phrase_match(e) {
            longest = Some((len, e));
        }
        if !e.continues() {
            break;
        }
    }
    longest
}

/// The tokens a multi-token key may start with: `stoks[0]` (a token whose term opens
/// a key, not numeric) and the `max_phrase_tokens - 1` tokens after it, at most.
pub(super) struct PhraseRun<'a> {
    /// The whole normalized text (token spans refer to it).
    pub(super) text: &'a str,
    /// The document's tokens.
    pub(super) tokens: &'a TokenBuf,
    /// The run's tokens.
    pub(super) stoks: &'a [Token],
    /// The language's join string ([`super::LangParams::phrase_join`]).
    pub(super) join: &'static str,
    /// Byte length of the longest key the first token opens.
    pub(super) limit: usize,
}

impl PhraseRun<'_> {
    /// The join string between tokens `k - 1` and `k` of the run (`k >= 1`), `None`
    /// when they cannot be joined (another language, a number, a gap that is no
    /// join).
    #[inline]
    fn join_before(&self, k: usize) -> Option<&'static str> {
        let (a, tk) = (self.stoks.get(k - 1)?, self.stoks.get(k)?);
        if tk.lang != self.stoks[0].lang || tk.numeric {
            return None;
        }
        let (s, e) = (a.end as usize, tk.start as usize);
        if s >= e {
            // No gap (the usual case when tokens join with nothing): the empty gap
            // of the text slice below, without slicing.
            return self.join.is_empty().then_some("");
        }
        if !self.join.is_empty() {
            if let Some(g) = self.text.as_bytes().get(s..e).filter(|g| g.is_ascii()) {
                // An ASCII gap (its ends are character boundaries): the test below
                // on bytes, where ASCII whitespace is what `char::is_whitespace`
                // takes of ASCII.
                return if g == b"-" {
                    Some("-")
                } else {
                    g.iter()
                        .all(|&x| matches!(x, b'\t'..=b'\r' | b' '))
                        .then_some(self.join)
                };
            }
        }
        self.join_before_sliced(a, tk)
    }

    /// [`PhraseRun::join_before`] of tokens `a` and `tk` by the slice of the text
    /// between them (what the byte tests of `join_before` stand for; pinned against
    /// it in tests).
    #[inline]
    fn join_before_sliced(&self, a: &Token, tk: &Token) -> Option<&'static str> {
        let gap = self
            .text
            .get(a.end as usize..tk.start as usize)
            .unwrap_or("");
        if self.join.is_empty() {
            gap.is_empty().then_some("")
        } else if gap == "-" {
            Some("-")
        } else {
            (!gap.is_empty() && gap.chars().all(char::is_whitespace)).then_some(self.join)
        }
    }

    /// The longest run of joinable tokens that could still be a key, joined into
    /// `scratch`, and the byte ends of its first 1, 2 … tokens in `ends`: what
    /// [`longest_key`] searches ([`PhraseRun::longest`] without joining as it goes;
    /// kept to pin it).
    #[cfg(test)]
    pub(super) fn build(&self, scratch: &mut String, ends: &mut Vec<usize>) {
        scratch.clear();
        ends.clear();
        for (k, tk) in self.stoks.iter().enumerate() {
            if k > 0 {
                let Some(join) = self.join_before(k) else {
                    break;
                };
                scratch.push_str(join);
            }
            scratch.push_str(self.tokens.term(tk));
            if scratch.len() > self.limit {
                break;
            }
            ends.push(scratch.len());
        }
    }

    /// The longest key among the run's first 2, 3 … tokens: (tokens, entry), as
    /// `longest_key` finds it in the run `PhraseRun::build` joins, with each
    /// token joined (in `scratch`) only when the search reaches it. Most runs end
    /// at the first lookup (two tokens that are no key and open none), so the tokens
    /// after are never joined. Keys over `max_chars` characters are never matched.
    ///
    /// A run whose first two terms joined are certainly no entry
    /// ([`TermIndex::may_join`]) ends at the first lookup, so it ends before joining
    /// anything: most runs (pinned against the search of the joined run in the
    /// engine's tests).
    #[inline(always)]
    pub(super) fn longest<'i>(
        &self,
        idx: &'i TermIndex,
        scratch: &mut String,
        max_chars: usize,
    ) -> Option<(usize, &'i TermInfo)> {
        if !self.may_open(idx) {
            return None;
        }
        self.longest_joined(idx, scratch, max_chars)
    }

    /// False when the run's search certainly finds no key ([`PhraseRun::longest`]
    /// is `None`): it has one token, or its first two terms joined are longer than
    /// any key the first opens or certainly no entry ([`TermIndex::may_join`]).
    #[inline(always)]
    pub(super) fn may_open(&self, idx: &TermIndex) -> bool {
        let (Some(first), Some(second)) = (self.stoks.first(), self.stoks.get(1)) else {
            return false;
        };
        // (As bytes: no checks of character boundaries.)
        let (a, b) = (
            self.tokens.term_bytes(first),
            self.tokens.term_bytes(second),
        );
        // The two terms joined (by nothing, the join string or a hyphen) are longer
        // than any key the first opens: the search ends at the bound anyway.
        a.len() + b.len() <= self.limit && idx.may_join(a, b)
    }

    /// [`PhraseRun::longest`] once the first two terms may join into an entry.
    #[inline(never)]
    fn longest_joined<'i>(
        &self,
        idx: &'i TermIndex,
        scratch: &mut String,
        max_chars: usize,
    ) -> Option<(usize, &'i TermInfo)> {
        let first = self.stoks.first()?;
        scratch.clear();
        scratch.push_str(self.tokens.term(first));
        if scratch.len() > self.limit {
            return None;
        }
        let mut longest = None;
        for k in 1..self.stoks.len() {
            let Some(join) = self.join_before(k) else {
                break;
            };
            let term = self.tokens.term(&self.stoks[k]);
            scratch.push_str(join);
            scratch.push_str(term);
            if scratch.len() > self.limit {
                break;
            }
            // Over `max_chars` characters, the search ends. When no entry is that
            // long, the lookup ends it anyway; and a key of no more bytes than
            // `max_chars` has no more characters.
            if idx.long_keys() && scratch.len() > max_chars && scratch.chars().count() > max_chars {
                break;
            }
            let Some(e) = idx.get(scratch) else {
                break;
            };
            if phrase_match(e) {
                longest = Some((k + 1, e));
            }
            if !e.continues() {
                break;
            }
        }
        longest
    }
}

/// True when a token with these facts can become a unit with a valence in
/// [`SentimentModel::build_units`]: a valence of its own, the opening of a multi-token
/// key, a property word (after an excess marker), a Chinese term that
/// [`decompose`] splits, or a fallback valence. Every way `build_units` sets
/// `has_valence` starts from one of these, so a sentence with no such token gets no
/// unit with a valence (the engine's tests count such sentences; the engine skips
/// the rules for any sentence whose units have no valence, pinned against the full
/// path by `sentence_skip_equals_full_path`).
#[cfg(test)]
pub(super) fn may_score(r: &TermRef) -> bool {
    let i = &r.info;
    i.valence().is_some()
        || i.phrase_start()
        || i.property()
        || i.decomposes()
        || present(r.fallback).is_some()
}

impl SentimentModel {
    /// One pass over the tokens of the sentence that starts with `toks[0]` (document
    /// token `first` of `tokens`) and ends at byte `s_end`: the tokens that end within
    /// it, what [`SentimentModel::build_units`] visits of them, and their word tokens
    /// (not numeric) per language (`lang_index`). `picks` gets (token, clause) of each
    /// token to visit, the clause counted over the gaps between every two tokens so
    /// far; with `SHORTCUT`, the tokens that may get a unit, else every token. A
    /// token gets none ([`SentimentModel::build_units`]) when the rules read nothing
    /// of it (a number, [`TermRef::plain`]), and when it has no fact but the opening
    /// of longer keys ([`TermRef::bare`]), no fallback, and the phrase search from it
    /// certainly finds no key ([`PhraseRun::may_open`], with the bounds the search
    /// has): most tokens, passed over here in a small loop of their own at a few
    /// loads each (pinned against every token through the rules in tests). Returns
    /// (tokens, counts).
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    pub(super) fn scan_tokens<const SHORTCUT: bool>(
        &self,
        text: &str,
        tokens: &TokenBuf,
        toks: &[Token],
        first: usize,
        s_end: usize,
        refs: &impl TokenRefs,
        picks: &mut Vec<(u32, u32)>,
    ) -> (usize, [usize; 3]) {
        picks.clear();
        let mut lc = [0usize; 3];
        let mut clause = 0u32;
        let mut n = 0usize;
        // The end of the token before (the first token's start: no gap before it).
        let mut prev_end = toks.first().map_or(0, |t| t.start);
        for (i, t) in toks.iter().enumerate() {
            if t.end as usize > s_end {
                break;
            }
            n = i + 1;
            if gap_ends_clause(text, prev_end, t.start) {
                clause += 1;
            }
            prev_end = t.end;
            if !t.numeric {
                lc[lang_index(t.lang) as usize] += 1;
            }
            if SHORTCUT {
                if t.numeric {
                    continue;
                }
                match refs.scan(first + i) {
                    Scan::Plain => continue,
                    Scan::Opener
                        if !self.may_open(tokens, toks, i, s_end, &refs.term_ref(first + i)) =>
                    {
                        continue
                    }
                    _ => {}
                }
            }
            picks.push((i as u32, clause));
        }
        (n, lc)
    }

    /// Whether the phrase search of [`SentimentModel::build_units`] from token `i`
    /// of `toks` (whose facts are `tr`; the sentence ends at byte `s_end`) may find
    /// a key: false when it is not run (a language without resources or phrases, the
    /// last token of the sentence, a term that opens no key) or its first lookup
    /// certainly fails ([`PhraseRun::may_open`]).
    #[inline(always)]
    fn may_open(
        &self,
        tokens: &TokenBuf,
        toks: &[Token],
        i: usize,
        s_end: usize,
        tr: &TermRef,
    ) -> bool {
        let li = toks.get(i).map_or(2, |t| lang_index(t.lang));
        let (Some(r), Some(idx)) = (self.res(li), self.idx.get(li as usize)) else {
            return false;
        };
        let Some(pair) = toks.get(i..i + 2) else {
            return false;
        };
        r.params.max_phrase_tokens >= 2
            && pair[1].end as usize <= s_end
            && tr.info.phrase_start()
            && PhraseRun {
                text: "",
                tokens,
                stoks: pair,
                join: r.params.phrase_join,
                limit: tr.info.phrase_max_bytes as usize,
            }
            .may_open(idx)
    }

    /// Token valence lookup: turns the tokens of one sentence into rule units — the
    /// longest multi-token lexicon entry first, then each token's own facts (valence,
    /// negator, degree, contrast, concessive, irrealis, rhetorical, excess), with the
    /// Chinese decomposition and character back-off and the English fallbacks.
    /// `refs(k)` gives the [`TermRef`] of document token `k`; `picks` the tokens to
    /// visit and their clauses, as [`SentimentModel::scan_tokens`] gives them. With
    /// `shortcut` (as `scan_tokens` had it), a token the rules read nothing of
    /// ([`TermRef::plain`], a number, a token of an emoticon or of a language without
    /// resources) gets no unit: the units are those with some fact, in text order,
    /// not a tiling of the tokens (without `shortcut`: every token through every
    /// rule, each in a unit, to pin the shortcut in tests).
    #[inline]
    pub(super) fn build_units(
        &self,
        s: Sentence<'_>,
        refs: &impl TokenRefs,
        picks: &[(u32, u32)],
        units: &mut Vec<Unit>,
        scratch: &mut String,
        shortcut: bool,
    ) {
        let Sentence {
            text,
            tokens,
            first,
            stoks,
            emo_spans,
            ..
        } = s;
        // Build units.
        units.clear();
        let mut irrealis_clause: Option<u32> = None;
        // Clause ends in the gaps inside multi-token entries: `picks` counts them, the
        // units do not (the tokens after an entry's first are not visited).
        let mut inside = 0u32;
        let mut p = 0usize;
        while let Some(&(pi, pclause)) = picks.get(p) {
            p += 1;
            let (i, clause) = (pi as usize, pclause - inside);
            let Some(t) = stoks.get(i) else {
                break;
            };
            // With `shortcut`, a token the rules read nothing of gets no unit (it is
            // not picked): the rules read units with some fact only, and only through
            // their token spans and clauses (see `score_units`), so the units left are
            // those of the dense list, in the same order (pinned against it in tests).
            let tr = refs.term_ref(first + i);
            let li = lang_index(t.lang);
            let in_emo = emo_spans
                .iter()
                .any(|&(a, b, _)| t.start >= a && t.end <= b);
            let mut u = Unit {
                tok_start: first + i,
                tok_end: first + i + 1,
                start: t.start,
                end: t.end,
                clause,
                lang_idx: li,
                valence: 0.0,
                has_valence: false,
                neg: false,
                degree: 0.0,
                contrast: false,
                inner_neg: 0,
                inner_degree: 0.0,
                used_as_neg: false,
                weak_neg: false,
                inner_weak: false,
                concessive: false,
                irrealis: false,
                rhetorical: false,
                excess: 0.0,
                in_irrealis: irrealis_clause == Some(clause),
            };
            let Some(r) = self.res(li) else {
                if !shortcut {
                    units.push(u);
                }
                continue;
            };
            if t.numeric || in_emo {
                if !shortcut {
                    units.push(u);
                }
                continue;
            }
            let idx = &self.idx[li as usize];
            // Lengthened words (`gooood`, `sooo`) are looked up with the repeated
            // letters collapsed, and emphasized (Brody & Diakopoulos 2011).
            let TermRef { info, fallback } = tr;
            let elongated = info.elongated();
            // Longest multi-token entry first.
            let mut matched = 0usize;
            let maxp = r.params.max_phrase_tokens.min(stoks.len() - i);
            if maxp >= 2 && info.phrase_start() {
                let run = PhraseRun {
                    text,
                    tokens,
                    stoks: &stoks[i..i + maxp],
                    join: r.params.phrase_join,
                    limit: info.phrase_max_bytes as usize,
                };
                let longest = run.longest(idx, scratch, r.max_key_chars);
                if let Some((len, pi)) = longest {
                    if let Some(v) = pi.valence() {
                        u.valence = v;
                        u.has_valence = true;
                    } else if let Some(m) = pi.degree() {
                        u.degree = m;
                    } else {
                        u.neg = pi.neg();
                        u.weak_neg = pi.weak_neg();
                        u.concessive = pi.concessive();
                        u.irrealis = pi.irrealis();
                    }
                    u.tok_end = first + i + len;
                    u.end = stoks[i + len - 1].end;
                    matched = len;
                }
            }
            if matched == 0 && shortcut && tr.bare() {
                // With `shortcut`, a term with no fact but the opening of a longer key
                // (not found here) and its fallback: what the general path below
                // gives it, without its tests (pinned against it in tests). It has no
                // modifier and no valence of its own, so only the fallback can apply,
                // as the branches below apply it; without one the unit would have no
                // fact, and such a unit gets none (like a plain token).
                let mut valence = None;
                if let Some(v) = present(fallback) {
                    if r.params.decompose {
                        if r.params.morpheme_weight > 0.0 && !t.stop {
                            valence = Some(v * r.params.morpheme_weight);
                        }
                    } else if r.params.morphology > 0.0 {
                        valence = Some(v);
                    }
                }
                if let Some(v) = valence {
                    u.valence = v;
                    u.has_valence = true;
                    units.push(u);
                }
                continue;
            }
            if matched == 0 {
                // (As bytes: the comparisons below need no checks of character
                // boundaries; `decompose` takes the term's string.)
                let term = tokens.term_bytes(t);
                // (`nt_negator`: an English `…n't` form of `is_negator`; `least`
                // negates except in `at least`, `very least`.)
                u.neg = info.neg()
                    || info.nt_negator()
                    || (info.least()
                        && !(i > 0 && matches!(tokens.term(&stoks[i - 1]), "at" | "very")));
                if let Some(m) = info.degree() {
                    u.degree = m;
                }
                u.weak_neg = info.weak_neg();
                u.contrast = info.contrast();
                u.concessive = info.concessive();
                u.irrealis = info.irrealis();
                u.rhetorical = info.rhetorical();
                u.excess = info.excess().unwrap_or(0.0);
                // A word that is part of a function phrase (`with respect`) carries
                // none; of a `function-initial` one (", as well as") only when the
                // phrase opens a clause.
                let function = i > 0
                    && info.valence().is_some()
                    && (r.function_after.iter().any(|(p, w)| {
                        w.as_bytes() == term && p.as_bytes() == tokens.term_bytes(&stoks[i - 1])
                    }) || (r.function_initial.iter().any(|(p, w)| {
                        w.as_bytes() == term && p.as_bytes() == tokens.term_bytes(&stoks[i - 1])
                    }) && (i == 1
                        || gap_has_clause_end(text, &stoks[i - 2], &stoks[i - 1]))));
                if u.degree == 0.0 && !u.contrast && !function {
                    if let Some(v) = info.valence() {
                        // A verb-sense word (`like`) is an opinion only after a
                        // subject, auxiliary or negator ("I like", "don't like"),
                        // opening or closing the sentence ("Like it!", "Me like."),
                        // or before `to` ("doxies like to pose"). A Chinese one (美
                        // "beautiful") never opens a sentence: there 美 is the US.
                        let verb = !info.verb_sense()
                            || (i == 0 && r.params.phrase_join == " ")
                            || i + 1 == stoks.len()
                            || tokens.term(&stoks[i + 1]) == "to"
                            || (i > 0 && {
                                let p = refs.term_ref(first + i - 1).info;
                                p.subject() || p.neg() || r.is_negator(tokens.term(&stoks[i - 1]))
                            });
                        if verb {
                            u.valence = v;
                            u.has_valence = true;
                        } else if r.params.non_verb_weight > 0.0 {
                            u.valence = v * r.params.non_verb_weight;
                            u.has_valence = true;
                        }
                    } else if info.property() {
                        // Excess construction: 太 + 小, too + long.
                        if let Some(p) = units.last() {
                            if p.excess != 0.0 && p.clause == clause && p.tok_end == u.tok_start {
                                u.valence = p.excess;
                                u.has_valence = true;
                            }
                        }
                    } else if r.params.decompose && !u.neg && !info.neutral() {
                        // Both resolved once per term by `lookup`: whether `decompose`
                        // splits the term, and its character back-off (`fallback`).
                        if info.decomposes() {
                            if let Some(d) = decompose(idx, tokens.term(t)) {
                                d.apply(&mut u);
                            }
                        }
                        if !u.has_valence
                            && r.params.morpheme_weight > 0.0
                            && !t.stop
                            && u.excess == 0.0
                            && !(u.irrealis || u.concessive || u.rhetorical)
                        {
                            if let Some(v) = present(fallback) {
                                u.valence = v * r.params.morpheme_weight;
                                u.has_valence = true;
                            }
                        }
                    } else if r.params.morphology > 0.0 && !u.neg {
                        // `morph_fallback`, resolved with the term's other facts.
                        if let Some(v) = present(fallback) {
                            u.valence = v;
                            u.has_valence = true;
                        }
                    }
                }
                if elongated && u.has_valence {
                    u.valence += u.valence.signum() * ELONGATION_STEP;
                }
                matched = 1;
            }
            if u.irrealis {
                irrealis_clause = Some(clause);
            }
            units.push(u);
            if matched > 1 {
                // The tokens after the entry's first are not visited, nor the gaps
                // before them.
                inside += (i + 1..i + matched)
                    .filter(|&k| clause_gap(text, &stoks[k - 1], &stoks[k]))
                    .count() as u32;
                while picks
                    .get(p)
                    .is_some_and(|&(k, _)| (k as usize) < i + matched)
                {
                    p += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_before_equals_the_sliced_gap() {
        // Every pair of neighbouring tokens, with the Chinese and the English join:
        // the byte tests of `join_before` answer as the test of the sliced gap does
        // (no gap, one space, tabs, a hyphen, spaced hyphens, punctuation, non-ASCII
        // gaps), and the byte path is taken.
        let tok = crate::tokenize::Tokenizer::builder()
            .build()
            .expect("tokenizer");
        let text = "kind of good-ish well - made a\tb c \t d e,f g  h i、j k—l 不错，很好 x-y \
                    m…n o\u{2028}p 3 4 q-\u{a0}r";
        let (text, buf) = tok.tokenize(text);
        let toks = buf.tokens();
        let (mut ascii_gaps, mut other_gaps) = (0, 0);
        for join in ["", " "] {
            for w in toks.windows(2) {
                let run = PhraseRun {
                    text: &text,
                    tokens: &buf,
                    stoks: w,
                    join,
                    limit: usize::MAX,
                };
                if w[1].lang != w[0].lang || w[1].numeric {
                    assert_eq!(run.join_before(1), None);
                    continue;
                }
                let gap = &text[w[0].end as usize..w[1].start as usize];
                ascii_gaps += usize::from(!gap.is_empty() && gap.is_ascii());
                other_gaps += usize::from(!gap.is_ascii());
                assert_eq!(
                    run.join_before(1),
                    run.join_before_sliced(&w[0], &w[1]),
                    "{join:?} {gap:?}"
                );
            }
        }
        assert!(
            ascii_gaps >= 8 && other_gaps >= 2,
            "{ascii_gaps} {other_gaps}"
        );
    }

    /// [`gap_text_ends_clause`] as it was written before the byte test of short gaps.
    fn gap_ends_clause_sliced(text: &str, a_end: u32, b_start: u32) -> bool {
        if b_start.checked_sub(a_end) == Some(1)
            && text.as_bytes().get(a_end as usize) == Some(&b' ')
        {
            return false;
        }
        gap_punct(text.get(a_end as usize..b_start as usize).unwrap_or(""))
    }

    #[test]
    fn clause_bytes_are_the_ascii_clause_punctuation() {
        // The byte table is derived from `CLAUSE_PUNCT`: every ASCII character is a
        // clause end by the table exactly when the character rule says so.
        for x in 0u8..0x80 {
            let c = char::from(x);
            assert_eq!(
                CLAUSE_BYTE[usize::from(x)],
                CLAUSE_PUNCT.contains(&c) || c == '\n',
                "{c:?}"
            );
        }
        assert!(CLAUSE_BYTE[0x80..].iter().all(|&b| !b));
    }

    #[test]
    fn short_gap_bytes_equal_the_sliced_gap() {
        // Every gap of one or two ASCII bytes, between ASCII and between Chinese
        // characters: the byte test answers as the test of the sliced gap; so do gaps
        // that end inside a character (no slice: no clause end), non-ASCII and longer
        // gaps, and a reversed span.
        let mut clause_ends = 0;
        for (l, r) in [("a", "b"), ("好", "好")] {
            for x in 0u8..0x80 {
                for y in std::iter::once(None).chain((0u8..0x80).map(Some)) {
                    let gap: String = std::iter::once(x).chain(y).map(char::from).collect();
                    let text = format!("{l}{gap}{r}");
                    let (a, b) = (l.len() as u32, (l.len() + gap.len()) as u32);
                    let want = gap_ends_clause_sliced(&text, a, b);
                    clause_ends += usize::from(want);
                    assert_eq!(gap_text_ends_clause(&text, a, b), want, "{text:?}");
                }
            }
        }
        assert!(clause_ends > 2 * 128 * 11, "{clause_ends}");
        for (text, a, b) in [
            ("a,好", 1, 3),
            ("a,好", 1, 4),
            ("a好b", 1, 2),
            ("a、b", 1, 4),
            ("a , b", 1, 4),
            ("a \u{a0}b", 1, 4),
            ("a b", 2, 1),
            ("a,", 1, 2),
            ("a,", 1, 3),
        ] {
            assert_eq!(
                gap_text_ends_clause(text, a, b),
                gap_ends_clause_sliced(text, a, b),
                "{text:?} {a} {b}"
            );
        }
    }

    #[test]
    fn one_space_shortcut_equals_the_gap_scan() {
        // Every pair of neighbouring tokens: the shortcut for a one-space gap answers as
        // the scan of the gap does, and the shortcut is taken (gaps of one space occur).
        let tok = crate::tokenize::Tokenizer::builder()
            .build()
            .expect("tokenizer");
        let text = "Good , bad; ugly  (really) \"so\" a|b a/b ~x\n\nnext 好，坏 很 好 、 ok  ";
        let (text, buf) = tok.tokenize(text);
        let toks = buf.tokens();
        let mut one_space = 0;
        for w in toks.windows(2) {
            let gap = &text[w[0].end as usize..w[1].start as usize];
            one_space += usize::from(gap == " ");
            assert_eq!(
                gap_has_clause_end(&text, &w[0], &w[1]),
                gap_punct(gap),
                "{gap:?}"
            );
        }
        assert!(one_space >= 3, "{one_space}");
        assert!(toks
            .windows(2)
            .any(|w| gap_has_clause_end(&text, &w[0], &w[1])));
    }
}
