//! The scoring engine: one code path for every language, driven by [`LangResources`].

use super::lexicon::LangResources;
use super::{DocSentiment, Label, LangCoverage, SentenceSentiment, SentimentModel, TermHit};
use crate::lang::Lang;
use crate::tokenize::{Token, TokenBuf};
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
    phrase_max_bytes: u16,
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
    ($($name:ident $set:ident = $bit:expr;)*) => {
        impl TermInfo {
            $(
                #[inline]
                fn $name(&self) -> bool {
                    self.flags & $bit != 0
                }
                fn $set(&mut self) {
                    self.flags |= $bit;
                }
            )*
        }
    };
}

term_flags! {
    neg set_neg = 1;
    weak_neg set_weak_neg = 2;
    contrast set_contrast = 4;
    concessive set_concessive = 8;
    irrealis set_irrealis = 16;
    rhetorical set_rhetorical = 32;
    property set_property = 64;
    // The term can open a multi-token valence entry (it is a proper prefix of a key,
    // ending where a join string starts).
    phrase_start set_phrase_start = 128;
    // Only in a [`TermRef`]: the entry was found after collapsing lengthened letters.
    elongated set_elongated = 256;
}

#[inline]
fn present(x: f32) -> Option<f32> {
    (!x.is_nan()).then_some(x)
}

impl TermInfo {
    #[inline]
    fn valence(&self) -> Option<f32> {
        present(self.valence)
    }
    #[inline]
    fn degree(&self) -> Option<f32> {
        present(self.degree)
    }
    #[inline]
    fn excess(&self) -> Option<f32> {
        present(self.excess)
    }
}

/// Index over the word lists of one language (built once with the model).
fn key_bytes(k: &str) -> u16 {
    u16::try_from(k.len()).unwrap_or(u16::MAX)
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TermIndex {
    map: rustc_hash::FxHashMap<CompactString, TermInfo>,
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
    info: TermInfo,
    /// Valence the suffix and negative-affix rules give the term (already weighted,
    /// see [`morph_fallback`]); NaN when they give none or do not apply.
    fallback: f32,
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
    /// True when some list has the term.
    #[cfg(test)]
    pub(crate) fn is_known(&self) -> bool {
        self.info != TermInfo::default()
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
            if join.is_empty() {
                // Any proper prefix on a char boundary.
                for (i, _) in k.char_indices().skip(1) {
                    let e = map.entry(CompactString::from(&k[..i])).or_default();
                    e.set_phrase_start();
                    e.phrase_max_bytes = e.phrase_max_bytes.max(key_bytes(k));
                }
            } else {
                // Joined by the join string, or by a hyphen (`well-made`: the tokenizer
                // splits at `-`).
                for (i, _) in k.match_indices(|c: char| join.starts_with(c) || c == '-') {
                    if i > 0 {
                        let e = map.entry(CompactString::from(&k[..i])).or_default();
                        e.set_phrase_start();
                        e.phrase_max_bytes = e.phrase_max_bytes.max(key_bytes(k));
                    }
                }
            }
        }
        TermIndex { map }
    }

    #[inline]
    fn get(&self, term: &str) -> Option<&TermInfo> {
        self.map.get(term)
    }

    #[inline]
    fn valence(&self, term: &str) -> Option<f32> {
        self.get(term).and_then(|e| e.valence())
    }
}

/// A token or multi-token lexicon entry, as the rules see it.
#[derive(Debug, Clone, Copy)]
struct Unit {
    /// Token indices (within the document) covered.
    tok_start: usize,
    tok_end: usize,
    /// Byte span in the text.
    start: u32,
    end: u32,
    clause: u32,
    lang_idx: u8,
    valence: f32,
    has_valence: bool,
    neg: bool,
    degree: f32, // 0: not a degree word
    contrast: bool,
    /// Modifiers glued inside the token (`不满意`): negators and degree multiplier.
    inner_neg: u8,
    inner_degree: f32, // 0: none
    used_as_neg: bool,
    weak_neg: bool,
    /// A weak negator glued inside the token (不太好).
    inner_weak: bool,
    concessive: bool,
    irrealis: bool,
    rhetorical: bool,
    /// Valence given to a following property word (0: not an excess marker).
    excess: f32,
    /// In the clause of an earlier irrealis marker.
    in_irrealis: bool,
}

const CLAUSE_PUNCT: &[char] = &[
    ',', ';', ':', '、', '(', ')', '[', ']', '"', '“', '”', '「', '」', '『', '』', '—', '–', '|',
    '/', '~', '·',
];

#[inline]
fn lang_index(l: Lang) -> u8 {
    match l {
        Lang::Zh => 0,
        Lang::En => 1,
        _ => 2,
    }
}

#[inline]
fn normalize(x: f32, alpha: f32) -> f32 {
    if x == 0.0 {
        0.0
    } else {
        (x / (x * x + alpha).sqrt()).clamp(-1.0, 1.0)
    }
}

use crate::tokenize::all_caps;

impl SentimentModel {
    #[inline]
    fn res(&self, idx: u8) -> Option<&LangResources> {
        match idx {
            0 => Some(&self.zh),
            1 => Some(&self.en),
            _ => None,
        }
    }

    /// Scores a document. `text` is the normalized text the spans of `tokens` refer to
    /// (as returned by [`crate::tokenize::Tokenizer::tokenize`]).
    ///
    /// Each sentence ([`crate::sentence::split`]) is scored with the rules of its
    /// tokens' language; see [`DocSentiment`] for what the document score is.
    pub fn score_document(&self, text: &str, tokens: &TokenBuf) -> DocSentiment {
        let toks = tokens.tokens();
        self.score_with(text, tokens, |k| {
            toks.get(k)
                .map_or(TermRef::default(), |t| self.lookup(t.lang, tokens.term(t)))
        })
    }

    /// Resolves what the lexicons say about `term` in `lang`: the index entry, or for
    /// a lengthened word (`gooood`) the entry of its collapsed form.
    pub(crate) fn lookup(&self, lang: Lang, term: &str) -> TermRef {
        let li = lang_index(lang) as usize;
        let (Some(idx), Some(r)) = (self.idx.get(li), self.res(li as u8)) else {
            return TermRef::default();
        };
        let info = match idx.get(term) {
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
        let fallback = if info.valence().is_none() {
            morph_fallback(r, idx, term).unwrap_or(f32::NAN)
        } else {
            f32::NAN
        };
        TermRef { info, fallback }
    }

    /// [`SentimentModel::score_document`] with the [`TermRef`] of token `k` from
    /// `refs(k)` (which must equal [`SentimentModel::lookup`] of the token's language
    /// and term; a worker's vocabulary caches them).
    pub(crate) fn score_with(
        &self,
        text: &str,
        tokens: &TokenBuf,
        refs: impl Fn(usize) -> TermRef,
    ) -> DocSentiment {
        let toks = tokens.tokens();
        let sentences = crate::sentence::split(text);
        // Document-wide: does the Latin text mix case (VADER's condition for ALL-CAPS emphasis)?
        let (mut caps_words, mut other_words) = (0usize, 0usize);
        // (`caps` is the tokenizer's `all_caps` of the surface form.)
        for t in toks {
            if t.lang.is_latin() && !t.numeric {
                if t.caps {
                    caps_words += 1;
                } else {
                    other_words += 1;
                }
            }
        }
        let cap_diff = caps_words > 0 && other_words > 0;

        let mut cov = [
            LangCoverage::default(),
            LangCoverage::default(),
            LangCoverage::default(),
        ];
        for (i, l) in [Lang::Zh, Lang::En, Lang::Und].into_iter().enumerate() {
            cov[i].lang = l;
        }
        let mut units: Vec<Unit> = Vec::new();
        let mut scratch = String::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut emo_spans: Vec<(u32, u32, f32)> = Vec::new();
        let mut out_sents = Vec::with_capacity(sentences.len());
        let mut ti = 0usize;
        let mut total_raw = 0f32;
        let mut doc_lang_counts = [0usize; 3];

        for &(s_start, s_end) in &sentences {
            // Tokens of this sentence.
            while ti < toks.len() && (toks[ti].start as usize) < s_start {
                ti += 1;
            }
            let first = ti;
            while ti < toks.len() && (toks[ti].end as usize) <= s_end {
                ti += 1;
            }
            let stoks = &toks[first..ti];
            let stext = &text[s_start..s_end];
            // Sentence language: majority of its word tokens.
            let mut lc = [0usize; 3];
            for t in stoks.iter().filter(|t| !t.numeric) {
                lc[lang_index(t.lang) as usize] += 1;
            }
            let slang_idx = if lc[0] == 0 && lc[1] == 0 && lc[2] == 0 {
                if stext
                    .chars()
                    .any(|c| crate::lang::script_of(c) == Some(crate::lang::Script::Han))
                {
                    0
                } else {
                    1
                }
            } else if lc[0] >= lc[1] && lc[0] >= lc[2] {
                0
            } else if lc[1] >= lc[2] {
                1
            } else {
                2
            };
            for k in 0..3 {
                doc_lang_counts[k] += lc[k];
            }
            // Emoticons (English resources only hold them).
            emo_spans.clear();
            if !self.en.emoticons.is_empty() && stext.bytes().any(|b| b.is_ascii_punctuation()) {
                emoticon_spans(
                    &self.en.emoticons,
                    &self.emo_filter,
                    stext,
                    s_start,
                    &mut emo_spans,
                );
            }

            // Build units.
            units.clear();
            let mut clause = 0u32;
            let mut irrealis_clause: Option<u32> = None;
            let mut i = 0usize;
            while i < stoks.len() {
                let t = &stoks[i];
                if i > 0 && gap_has_clause_end(text, &stoks[i - 1], t) {
                    clause += 1;
                }
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
                    units.push(u);
                    i += 1;
                    continue;
                };
                if t.numeric || in_emo {
                    units.push(u);
                    i += 1;
                    continue;
                }
                let idx = &self.idx[li as usize];
                // Lengthened words (`gooood`, `sooo`) are looked up with the repeated
                // letters collapsed, and emphasized (Brody & Diakopoulos 2011).
                let TermRef { info, fallback } = refs(first + i);
                let elongated = info.elongated();
                // Longest multi-token entry first.
                let mut matched = 0usize;
                let maxp = r.params.max_phrase_tokens.min(stoks.len() - i);
                if maxp >= 2 && info.phrase_start() {
                    // The longest run of joinable tokens that could still be a key, built
                    // once; `ends[n - 1]` = bytes of its first n tokens.
                    scratch.clear();
                    ends.clear();
                    let limit = info.phrase_max_bytes as usize;
                    for k in i..i + maxp {
                        let tk = &stoks[k];
                        if tk.lang != t.lang || tk.numeric {
                            break;
                        }
                        if k > i {
                            let gap = text
                                .get(stoks[k - 1].end as usize..tk.start as usize)
                                .unwrap_or("");
                            let join = if r.params.phrase_join.is_empty() {
                                gap.is_empty().then_some("")
                            } else if gap == "-" {
                                Some("-")
                            } else {
                                (!gap.is_empty() && gap.chars().all(char::is_whitespace))
                                    .then_some(r.params.phrase_join)
                            };
                            let Some(join) = join else {
                                break;
                            };
                            scratch.push_str(join);
                        }
                        scratch.push_str(tokens.term(tk));
                        if scratch.len() > limit {
                            break;
                        }
                        ends.push(scratch.len());
                    }
                    for len in (2..=ends.len()).rev() {
                        let key = &scratch[..ends[len - 1]];
                        if key.chars().count() > r.max_key_chars {
                            continue;
                        }
                        if let Some(pi) = idx.get(key) {
                            if let Some(v) = pi.valence() {
                                u.valence = v;
                                u.has_valence = true;
                            } else if let Some(m) = pi.degree() {
                                u.degree = m;
                            } else if pi.neg() || pi.concessive() || pi.irrealis() {
                                u.neg = pi.neg();
                                u.weak_neg = pi.weak_neg();
                                u.concessive = pi.concessive();
                                u.irrealis = pi.irrealis();
                            } else {
                                continue;
                            }
                            u.tok_end = first + i + len;
                            u.end = stoks[i + len - 1].end;
                            matched = len;
                            break;
                        }
                    }
                }
                if matched == 0 {
                    let term = tokens.term(t);
                    // (`is_negator` = the negator list, or English `…n't`.)
                    u.neg = info.neg()
                        || ((term.ends_with("'t") || term.ends_with("’t")) && r.is_negator(term))
                        || (term == "least"
                            && r.params.phrase_join == " "
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
                    if u.degree == 0.0 && !u.contrast {
                        if let Some(v) = info.valence() {
                            u.valence = v;
                            u.has_valence = true;
                        } else if info.property() {
                            // Excess construction: 太 + 小, too + long.
                            if let Some(p) = units.last() {
                                if p.excess != 0.0 && p.clause == clause && p.tok_end == u.tok_start
                                {
                                    u.valence = p.excess;
                                    u.has_valence = true;
                                }
                            }
                        } else if r.params.decompose && !u.neg {
                            decompose(idx, term, &mut u);
                            if !u.has_valence
                                && r.params.morpheme_weight > 0.0
                                && !t.stop
                                && u.excess == 0.0
                                && !(u.irrealis || u.concessive || u.rhetorical)
                            {
                                if let Some(v) = morpheme_lookup(r, term) {
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
                i += matched;
            }
            // Contrast: the first contrast word of the sentence splits it.
            let contrast_at = units.iter().position(|c| c.contrast);
            // Without a contrast word, a concessive clause (although …, 虽然 …) is the
            // minor one: its sentiment gets the before-contrast weight, the rest the after.
            let concessive_at = if contrast_at.is_none() {
                units.iter().position(|c| c.concessive)
            } else {
                None
            };
            // Rhetorical question (难道 … 吗?): sentiment after the marker is reversed.
            let rhetorical_from = units
                .iter()
                .find(|c| c.rhetorical)
                .filter(|_| is_question(stext))
                .map(|c| c.start);

            // Score the sentiment units.
            let mut hits: Vec<TermHit> = Vec::new();
            for k in 0..units.len() {
                let u = units[k];
                if !u.has_valence || u.neg {
                    continue;
                }
                let Some(r) = self.res(u.lang_idx) else {
                    continue;
                };
                let p = &r.params;
                let base = u.valence;
                let sign = base.signum();
                let mut v = base;
                let mut caps = false;
                if p.caps_step > 0.0 && cap_diff {
                    if let Some(s) = text.get(u.start as usize..u.end as usize) {
                        if all_caps(s) {
                            v += sign * p.caps_step;
                            caps = true;
                        }
                    }
                }
                let v0 = v; // before degree words
                let mut degree_total = 0f32; // additive delta or multiplicative factor − 1
                let mut negs = 0u8;
                let mut weak = false;
                let mut never_so = false;
                let apply_degree = |v: &mut f32, m: f32, w: f32, total: &mut f32| {
                    if p.additive_degree {
                        let d = (m - 1.0) * w * sign;
                        *v += d;
                        *total += d;
                    } else {
                        let f = 1.0 + (m - 1.0) * w;
                        *v *= f;
                        *total += f - 1.0;
                    }
                };
                if u.inner_degree != 0.0 {
                    apply_degree(&mut v, u.inner_degree, 1.0, &mut degree_total);
                }
                // Look back over earlier units of the same clause.
                let reach = p.negation_window.max(p.degree_window);
                let mut j = k;
                while j > 0 {
                    j -= 1;
                    let w = units[j];
                    if w.clause != u.clause {
                        break;
                    }
                    let dist = u.tok_start - w.tok_end + 1;
                    if dist > reach {
                        break;
                    }
                    if w.degree != 0.0 && dist <= p.degree_window {
                        let mut m = w.degree;
                        if p.caps_step > 0.0 && cap_diff {
                            if let Some(s) = text.get(w.start as usize..w.end as usize) {
                                if all_caps(s) && m != 1.0 {
                                    m += (m - 1.0).signum() * p.caps_step;
                                }
                            }
                        }
                        apply_degree(
                            &mut v,
                            m,
                            p.degree_decay[(dist - 1).min(2)],
                            &mut degree_total,
                        );
                    }
                    if w.neg && dist <= p.negation_window {
                        // VADER: "never so/this good" intensifies instead of negating.
                        if p.phrase_join == " "
                            && j + 1 < k
                            && tokens.term(&toks[w.tok_start]) == "never"
                            && matches!(tokens.term(&toks[units[j + 1].tok_start]), "so" | "this")
                        {
                            never_so = true;
                            units[j].used_as_neg = true;
                        } else if !(p.negation_first_only && w.used_as_neg) {
                            // A negator already spent on a nearer sentiment word in a
                            // first-only language does not reach further.
                            negs += 1;
                            weak |= w.weak_neg;
                            units[j].used_as_neg = true;
                        }
                    }
                }
                negs += u.inner_neg;
                weak |= u.inner_weak;
                if never_so {
                    v *= 1.25;
                }
                match p.weak_negation_factor {
                    // A weak negator, or a negator over a booster (不是很好, not very
                    // good), denies the degree: a mild opposite, without the booster.
                    Some(wf) if negs == 1 && (weak || degree_total > 0.0) => {
                        v = v0 * wf;
                        degree_total = 0.0;
                    }
                    _ => {
                        for _ in 0..negs {
                            v *= p.negation_factor;
                        }
                    }
                }
                if u.in_irrealis {
                    v *= p.irrealis_weight;
                }
                if let Some(from) = rhetorical_from {
                    if u.start > from {
                        v = -v;
                    }
                }
                let cw = match (contrast_at, concessive_at) {
                    (Some(c), _) => {
                        let (before, after) = p.contrast_weights;
                        if u.start < units[c].start {
                            before
                        } else {
                            after
                        }
                    }
                    (None, Some(q)) => {
                        let (before, after) = p.contrast_weights;
                        if u.clause == units[q].clause && u.start > units[q].start {
                            before
                        } else {
                            after
                        }
                    }
                    _ => 1.0,
                };
                v *= cw;
                if v < 0.0 {
                    v *= p.negative_weight;
                }
                hits.push(TermHit {
                    start: u.start,
                    end: u.end,
                    valence: base,
                    score: v,
                    negated: negs,
                    degree: degree_total,
                    caps,
                    contrast_weight: cw,
                    lang: [Lang::Zh, Lang::En, Lang::Und][u.lang_idx as usize],
                });
            }
            let n_rule_hits = hits.len();
            // Negators with a valence of their own ("no") count only when they negated nothing.
            for u in units
                .iter()
                .filter(|u| u.neg && u.has_valence && !u.used_as_neg)
            {
                hits.push(TermHit {
                    start: u.start,
                    end: u.end,
                    valence: u.valence,
                    score: u.valence,
                    negated: 0,
                    degree: 0.0,
                    caps: false,
                    contrast_weight: 1.0,
                    lang: [Lang::Zh, Lang::En, Lang::Und][u.lang_idx as usize],
                });
            }
            for &(a, b, v) in &emo_spans {
                hits.push(TermHit {
                    start: a,
                    end: b,
                    valence: v,
                    score: v,
                    negated: 0,
                    degree: 0.0,
                    caps: false,
                    contrast_weight: 1.0,
                    lang: Lang::En,
                });
            }
            // Contrast weights of the other hits (by position).
            if let Some(c) = contrast_at.map(|k| units[k]) {
                if let Some(r) = self.res(c.lang_idx) {
                    let (before, after) = r.params.contrast_weights;
                    for h in &mut hits[n_rule_hits..] {
                        let w = if h.start < c.start { before } else { after };
                        h.score *= w;
                        h.contrast_weight = w;
                    }
                }
            }
            hits.sort_by_key(|h| h.start);
            let sres = self.res(slang_idx).unwrap_or(&self.en);
            let sp = &sres.params;
            let mut raw: f32 = hits.iter().map(|h| h.score).sum();
            if raw != 0.0 {
                let excl = stext
                    .bytes()
                    .filter(|&b| b == b'!')
                    .count()
                    .min(sp.max_exclamations as usize);
                let mut amp = excl as f32 * sp.exclamation_step;
                if sp.question_emphasis {
                    let qm = stext.bytes().filter(|&b| b == b'?').count();
                    if qm > 1 {
                        amp += if qm <= 3 { qm as f32 * 0.18 } else { 0.96 };
                    }
                }
                raw += raw.signum() * amp;
            }
            total_raw += raw;
            let score = normalize(raw, sp.alpha);
            // Coverage.
            let mut sent_hit = [false; 3];
            for t in stoks.iter().filter(|t| !t.numeric) {
                let li = lang_index(t.lang) as usize;
                cov[li].tokens += 1;
            }
            for u in &units {
                if u.has_valence {
                    let li = u.lang_idx as usize;
                    cov[li].hit_tokens += (u.tok_end - u.tok_start) as u64;
                    sent_hit[li] = true;
                }
            }
            if !emo_spans.is_empty() {
                sent_hit[1] = true;
            }
            cov[slang_idx as usize].sentences += 1;
            if sent_hit.iter().any(|&b| b) {
                cov[slang_idx as usize].hit_sentences += 1;
            }
            out_sents.push(SentenceSentiment {
                start: s_start,
                end: s_end,
                lang: [Lang::Zh, Lang::En, Lang::Und][slang_idx as usize],
                raw,
                score,
                label: Label::of(score),
                terms: hits,
            });
        }
        let main_idx = if doc_lang_counts.iter().all(|&c| c == 0) {
            if text
                .chars()
                .any(|c| crate::lang::script_of(c) == Some(crate::lang::Script::Han))
            {
                0
            } else {
                1
            }
        } else if doc_lang_counts[0] >= doc_lang_counts[1]
            && doc_lang_counts[0] >= doc_lang_counts[2]
        {
            0
        } else if doc_lang_counts[1] >= doc_lang_counts[2] {
            1
        } else {
            2
        };
        let alpha = self.res(main_idx).unwrap_or(&self.en).params.alpha;
        let score = normalize(total_raw, alpha);
        let hit_sents: Vec<f32> = out_sents
            .iter()
            .filter(|s| !s.terms.is_empty())
            .map(|s| s.score)
            .collect();
        let sentence_mean = if hit_sents.is_empty() {
            0.0
        } else {
            hit_sents.iter().sum::<f32>() / hit_sents.len() as f32
        };
        let coverage: Vec<LangCoverage> = cov
            .into_iter()
            .filter(|c| c.tokens > 0 || c.sentences > 0)
            .collect();
        DocSentiment {
            lang: [Lang::Zh, Lang::En, Lang::Und][main_idx as usize],
            score,
            raw: total_raw,
            sentence_mean,
            label: Label::of(score),
            positive: out_sents.iter().filter(|s| s.label == Label::Pos).count() as u32,
            negative: out_sents.iter().filter(|s| s.label == Label::Neg).count() as u32,
            neutral: out_sents.iter().filter(|s| s.label == Label::Neu).count() as u32,
            sentences: out_sents,
            coverage,
        }
    }
}

/// Which (first byte, last byte) pairs an emoticon key can have, so that most
/// whitespace-separated chunks of a sentence are ruled out without a hash lookup (see
/// [`emoticon_spans`]). Keys made only of alphanumeric characters are left out: such
/// chunks are never looked up.
#[derive(Debug, Clone)]
pub(crate) struct EmoFilter {
    /// Bit `first * 256 + last` set: a chunk with these end bytes can match a key.
    pairs: Box<[u64; 1024]>,
}

impl Default for EmoFilter {
    fn default() -> Self {
        EmoFilter {
            pairs: Box::new([0; 1024]),
        }
    }
}

impl EmoFilter {
    /// The filter of a set of emoticon keys. A chunk matches a key as it is or
    /// ASCII-lowercased, so each ASCII lowercase letter admits its capital too.
    pub(crate) fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        let mut f = EmoFilter::default();
        let cases = |b: u8| {
            if b.is_ascii_lowercase() {
                [b, b.to_ascii_uppercase()]
            } else {
                [b, b]
            }
        };
        for k in keys {
            if k.chars().all(char::is_alphanumeric) {
                continue;
            }
            let (Some(&a), Some(&z)) = (k.as_bytes().first(), k.as_bytes().last()) else {
                continue;
            };
            for a in cases(a) {
                for z in cases(z) {
                    let bit = (a as usize) << 8 | z as usize;
                    f.pairs[bit >> 6] |= 1 << (bit & 63);
                }
            }
        }
        f
    }

    /// False when no key can equal `chunk` (non-empty) or its ASCII lowercase form.
    #[inline]
    fn may_match(&self, chunk: &[u8]) -> bool {
        match (chunk.first(), chunk.last()) {
            (Some(&a), Some(&z)) => {
                let bit = (a as usize) << 8 | z as usize;
                self.pairs[bit >> 6] & (1 << (bit & 63)) != 0
            }
            _ => false,
        }
    }
}

/// Byte classes of [`emoticon_spans`]: ASCII alphanumeric, ASCII whitespace (as
/// `char::is_whitespace` has it: tab to carriage return, space), other ASCII, non-ASCII.
const EMO_ALNUM: u8 = 0;
const EMO_SPACE: u8 = 1;
const EMO_OTHER: u8 = 2;
const EMO_HIGH: u8 = 3;

static EMO_CLASS: [u8; 256] = {
    let mut t = [EMO_HIGH; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_alphanumeric() {
            EMO_ALNUM
        } else if matches!(b, b'\t'..=b'\r' | b' ') {
            EMO_SPACE
        } else {
            EMO_OTHER
        };
        i += 1;
    }
    t
};

/// Appends the emoticons of sentence `stext` (starting at byte `s_start` of the text)
/// to `out`: whitespace-separated chunks of at most 12 bytes, not all alphanumeric,
/// found in `emoticons` as they are or ASCII-lowercased.
///
/// The span start of a chunk is `s_start` plus the lengths of the chunks before it,
/// plus one per separator (a separator counts one byte even when it is a multi-byte
/// whitespace character, as the reports always had it).
fn emoticon_spans(
    emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
    filter: &EmoFilter,
    stext: &str,
    s_start: usize,
    out: &mut Vec<(u32, u32, f32)>,
) {
    let b = stext.as_bytes();
    let mut off = 0usize; // chunk start as counted for the span
    let mut at = 0usize; // chunk start in `stext`
    loop {
        // The chunk ends at the next whitespace character (`char::is_whitespace`).
        let mut j = at;
        let mut sep = 0usize;
        let mut plain = true; // ASCII alphanumeric only
        while j < b.len() {
            match EMO_CLASS[b[j] as usize] {
                EMO_ALNUM => j += 1,
                EMO_SPACE => {
                    sep = 1;
                    break;
                }
                EMO_OTHER => {
                    plain = false;
                    j += 1;
                }
                _ => {
                    plain = false;
                    let Some(ch) = stext.get(j..).and_then(|r| r.chars().next()) else {
                        j += 1;
                        continue;
                    };
                    if ch.is_whitespace() {
                        sep = ch.len_utf8();
                        break;
                    }
                    j += ch.len_utf8();
                }
            }
        }
        let chunk = &stext[at..j];
        let cs = off;
        off += chunk.len() + 1;
        if !plain
            && chunk.len() <= 12
            && filter.may_match(chunk.as_bytes())
            && !chunk.chars().all(char::is_alphanumeric)
        {
            let v = emoticons.get(chunk).copied().or_else(|| {
                let mut buf = [0u8; 12];
                let n = chunk.len();
                if !chunk.is_ascii() {
                    return None;
                }
                for (d, b) in buf.iter_mut().zip(chunk.bytes()) {
                    *d = b.to_ascii_lowercase();
                }
                std::str::from_utf8(&buf[..n])
                    .ok()
                    .and_then(|l| emoticons.get(l).copied())
            });
            if let Some(v) = v {
                let a = (s_start + cs) as u32;
                out.push((a, a + chunk.len() as u32, v));
            }
        }
        if sep == 0 {
            return;
        }
        at = j + sep;
    }
}

/// True when a sentence ends as a question (`?`, or 吗/呢/么 before final punctuation).
fn is_question(s: &str) -> bool {
    let mut it = s
        .trim_end()
        .chars()
        .rev()
        .skip_while(|c| matches!(c, '!' | '.' | '。' | '~' | '”' | '"' | ')' | '」'));
    if s.contains('?') {
        return true;
    }
    matches!(it.next(), Some('吗' | '呢' | '么' | '嘛'))
}

/// True when the text between two tokens holds clause punctuation.
#[inline]
fn gap_has_clause_end(text: &str, a: &Token, b: &Token) -> bool {
    let gap = text.get(a.end as usize..b.start as usize).unwrap_or("");
    if gap.is_ascii() {
        // Same test on bytes for the usual gaps (spaces, ASCII punctuation).
        return gap.bytes().any(|c| {
            matches!(
                c,
                b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'"' | b'|' | b'/' | b'~' | b'\n'
            )
        });
    }
    gap.chars().any(|c| CLAUSE_PUNCT.contains(&c) || c == '\n')
}

/// Splits an unknown token into leading negators/degree words and a lexicon word
/// (`不满意` → 不 + 满意, `不太好` → 不 + 太 + 好), at most two prefixes deep.
fn decompose(r: &TermIndex, term: &str, u: &mut Unit) {
    let mut rest = term;
    let mut negs = 0u8;
    let mut weak = false;
    let mut degree = 0f32;
    for _ in 0..2 {
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
            if let Some(v) = v {
                u.valence = v;
                u.has_valence = true;
                u.inner_neg = negs;
                u.inner_weak = weak;
                u.inner_degree = degree;
                return;
            }
            rest = tail;
            advanced = true;
            break;
        }
        if !advanced {
            return;
        }
    }
}

/// Characters that negate or reverse what follows them inside a word (无味, 不爽): words
/// holding one are left to the other rules.
const MORPHEME_BLOCKERS: &[char] = &[
    '不', '没', '无', '未', '非', '否', '别', '莫', '勿', '难', '欠', '缺',
];

/// Character back-off (see [`crate::sentiment::LangParams::morpheme_weight`]): mean
/// valence of the sentiment morphemes of a 2–4 character Han word, when they agree in
/// sign and the word holds no negating character.
fn morpheme_lookup(r: &LangResources, term: &str) -> Option<f32> {
    if r.morphemes.is_empty() {
        return None;
    }
    let (mut n, mut sum, mut chars) = (0u32, 0f32, 0usize);
    let (mut pos, mut neg) = (false, false);
    for c in term.chars() {
        chars += 1;
        if chars > 4 || crate::lang::script_of(c) != Some(crate::lang::Script::Han) {
            return None;
        }
        if MORPHEME_BLOCKERS.contains(&c) {
            return None;
        }
        if let Some(&v) = r.morphemes.get(&c) {
            n += 1;
            sum += v;
            pos |= v > 0.0;
            neg |= v < 0.0;
        }
    }
    (chars >= 2 && n > 0 && !(pos && neg)).then(|| sum / n as f32)
}

/// Valence of an English word missing from the lexicon from its regular suffix
/// ([`morph_lookup`]) or else its negative affix ([`neg_affix_lookup`]), weighted as
/// the rules weight it; `None` when neither applies or the language has no morphology.
/// Depends on the term only, so it is resolved once per term ([`TermRef`]).
fn morph_fallback(r: &LangResources, idx: &TermIndex, term: &str) -> Option<f32> {
    if r.params.morphology <= 0.0 {
        return None;
    }
    if let Some(v) = morph_lookup(idx, term) {
        Some(v * r.params.morphology)
    } else {
        neg_affix_lookup(idx, term).map(|v| v * r.params.negation_factor * r.params.morphology)
    }
}

/// Emphasis of a lengthened word (`gooood`): VADER's booster increment.
const ELONGATION_STEP: f32 = 0.293;

/// Looks a word with a run of three or more identical letters up again with the runs
/// collapsed to two letters (`gooood` → `good`), then to one (`loooove` → `love`).
fn deelongate(r: &TermIndex, term: &str) -> Option<TermInfo> {
    let b = term.as_bytes();
    if b.len() > 40
        || !b
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
    {
        return None;
    }
    for keep in [2usize, 1] {
        let mut out = String::with_capacity(b.len());
        let mut run = 0usize;
        let mut prev = 0u8;
        for &c in b {
            run = if c == prev { run + 1 } else { 1 };
            prev = c;
            if run <= keep || !c.is_ascii_alphabetic() {
                out.push(c as char);
            }
        }
        if let Some(i) = r.get(&out) {
            return Some(*i);
        }
    }
    None
}

/// Morphological negation: `un-` + a lexicon word (`unfunny`, `unsafe`) or a lexicon
/// word + `-less` (`charmless`, `painless`); returns the stem's valence (the caller
/// negates it). Lowercase ASCII stems of at least 4 letters, not on [`MORPH_STOP`].
fn neg_affix_lookup(r: &TermIndex, term: &str) -> Option<f32> {
    let b = term.as_bytes();
    if b.len() > 40 || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let stem = term
        .strip_prefix("un")
        .or_else(|| term.strip_suffix("less"))?;
    if stem.len() < 4 || MORPH_STOP.contains(&stem) {
        return None;
    }
    r.valence(stem).or_else(|| morph_lookup(r, stem))
}

/// How [`morph_lookup`] rebuilds a stem after removing a suffix.
#[derive(Clone, Copy)]
enum Stem {
    /// Append these bytes to the stem.
    Add(&'static [u8]),
    /// Undo a doubled final consonant (`stopped` → `stop`).
    Undouble,
}

/// Suffix rules, longest first; every matching rule is tried in order.
const MORPH_RULES: &[(&[u8], &[Stem])] = &[
    (b"iness", &[Stem::Add(b"y")]),
    (b"ness", &[Stem::Add(b"")]),
    (b"ily", &[Stem::Add(b"y")]),
    (b"ably", &[Stem::Add(b"able")]),
    (b"ibly", &[Stem::Add(b"ible")]),
    (b"ally", &[Stem::Add(b""), Stem::Add(b"al")]),
    (b"ly", &[Stem::Add(b""), Stem::Add(b"e")]),
    (b"iest", &[Stem::Add(b"y")]),
    (b"ier", &[Stem::Add(b"y")]),
    (b"ied", &[Stem::Add(b"y")]),
    (b"ed", &[Stem::Add(b""), Stem::Add(b"e"), Stem::Undouble]),
    (b"ing", &[Stem::Add(b""), Stem::Add(b"e"), Stem::Undouble]),
    (b"ies", &[Stem::Add(b"y")]),
    (b"es", &[Stem::Add(b"")]),
    (b"s", &[Stem::Add(b"")]),
];

/// Stems that the suffix rules would mislead (`likely` is not `like`).
const MORPH_STOP: &[&str] = &["like", "well", "pretty", "kind", "fine", "mean", "sure"];

/// Looks an English word missing from the lexicon up again without a regular suffix
/// (see [`crate::sentiment::LangParams::morphology`]). Lowercase ASCII words of 5–40
/// letters only; stems must keep at least 3 letters. No allocation.
fn morph_lookup(r: &TermIndex, term: &str) -> Option<f32> {
    let b = term.as_bytes();
    let n = b.len();
    if !(5..=40).contains(&n) || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    // Every suffix rule ends in one of these letters.
    if !matches!(b[n - 1], b's' | b'y' | b't' | b'r' | b'd' | b'g') {
        return None;
    }
    let mut buf = [0u8; 48];
    for &(suffix, stems) in MORPH_RULES {
        if !b.ends_with(suffix) {
            continue;
        }
        let stem = &b[..n - suffix.len()];
        if stem.len() < 3 || (suffix == b"s" && stem.ends_with(b"s")) {
            continue;
        }
        for st in stems {
            let cand: &[u8] = match *st {
                Stem::Add(add) => {
                    buf[..stem.len()].copy_from_slice(stem);
                    buf[stem.len()..stem.len() + add.len()].copy_from_slice(add);
                    &buf[..stem.len() + add.len()]
                }
                Stem::Undouble => {
                    let m = stem.len();
                    if m < 4 || stem[m - 1] != stem[m - 2] || b"aeiousl".contains(&stem[m - 1]) {
                        continue;
                    }
                    &stem[..m - 1]
                }
            };
            let Ok(c) = std::str::from_utf8(cand) else {
                continue;
            };
            if MORPH_STOP.contains(&c) {
                return None;
            }
            if let Some(v) = r.valence(c) {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use proptest::prelude::*;

    /// The emoticon scan as it was written before [`emoticon_spans`].
    fn reference_spans(
        emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
        stext: &str,
        s_start: usize,
    ) -> Vec<(u32, u32, f32)> {
        let mut out = Vec::new();
        let mut off = 0usize;
        for chunk in stext.split(|c: char| c.is_whitespace()) {
            let cs = off;
            off += chunk.len() + 1;
            if chunk.is_empty() || chunk.len() > 12 || chunk.chars().all(char::is_alphanumeric) {
                continue;
            }
            let v = emoticons.get(chunk).copied().or_else(|| {
                if !chunk.is_ascii() {
                    return None;
                }
                emoticons.get(chunk.to_ascii_lowercase().as_str()).copied()
            });
            if let Some(v) = v {
                let a = (s_start + cs) as u32;
                out.push((a, a + chunk.len() as u32, v));
            }
        }
        out
    }

    fn model() -> &'static SentimentModel {
        static M: std::sync::OnceLock<SentimentModel> = std::sync::OnceLock::new();
        M.get_or_init(|| SentimentModel::builder().build().expect("model builds"))
    }

    fn emoticons() -> &'static rustc_hash::FxHashMap<Box<str>, f32> {
        static E: std::sync::OnceLock<rustc_hash::FxHashMap<Box<str>, f32>> =
            std::sync::OnceLock::new();
        E.get_or_init(|| {
            let mut m = model().en.emoticons.clone();
            // Non-ASCII and letter-bounded keys too, to exercise the filter.
            m.insert("é:".into(), 1.5);
            m.insert("x-d".into(), 0.5);
            m
        })
    }

    fn check(m: &rustc_hash::FxHashMap<Box<str>, f32>, f: &EmoFilter, s: &str) {
        let mut got = Vec::new();
        emoticon_spans(m, f, s, 7, &mut got);
        assert_eq!(got, reference_spans(m, s, 7), "{s:?}");
    }

    #[test]
    fn emoticon_scan_matches_reference() {
        let m = emoticons();
        let f = EmoFilter::new(m.keys().map(|k| &**k));
        for s in [
            "",
            " ",
            ":) great :( bad",
            "X-D X-d x-D é: É: :D :d",
            "a\u{a0}:)\u{3000}:(\u{85}:P\u{2028};)",
            "trailing :)  ",
            "\t:)\n\r:(\u{b}:P\u{c}",
            "(: <3 </3 :-) ;-) =) 8)",
        ] {
            check(m, &f, s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn emoticon_scan_matches_reference_on_random_text(
            s in "[ :;()=<3/DPpXx8\\-'a.,!?\u{a0}\u{85}\u{2028}\u{3000}\u{e9}\u{c9}\t\n]{0,40}"
        ) {
            let m = emoticons();
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            let mut got = Vec::new();
            emoticon_spans(m, &f, &s, 3, &mut got);
            prop_assert_eq!(got, reference_spans(m, &s, 3));
        }

        #[test]
        fn emoticon_scan_any_text(s in "\\PC{0,40}") {
            let m = emoticons();
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            let mut got = Vec::new();
            emoticon_spans(m, &f, &s, 0, &mut got);
            prop_assert_eq!(got, reference_spans(m, &s, 0));
        }
    }

    #[test]
    fn cached_fallback_equals_direct_rules() {
        let model = model();
        let r = &model.en;
        let idx = &model.idx[1];
        for term in [
            "happily",
            "unhappy",
            "charmless",
            "stopped",
            "loved",
            "lovely",
            "likely",
            "goodness",
            "good",
            "the",
            "unlike",
            "painless",
            "hopelessness",
            "bitcoin",
        ] {
            let want = if idx.valence(term).is_some() {
                None
            } else if let Some(v) = morph_lookup(idx, term) {
                Some(v * r.params.morphology)
            } else {
                neg_affix_lookup(idx, term)
                    .map(|v| v * r.params.negation_factor * r.params.morphology)
            };
            let got = present(model.lookup(Lang::En, term).fallback);
            assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits), "{term}");
        }
        // Chinese has no morphology: no fallback.
        assert!(model.lookup(Lang::Zh, "好好").fallback.is_nan());
    }
}
