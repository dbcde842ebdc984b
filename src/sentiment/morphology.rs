//! Fallbacks for words missing from the lexicon: Chinese decomposition helpers and
//! character back-off, English inflection and negative affixes, lengthened words.

use super::index::{TermIndex, TermInfo};
use super::lexicon::LangResources;

/// Characters that negate or reverse what follows them inside a word (无味, 不爽): words
/// holding one are left to the other rules.
const MORPHEME_BLOCKERS: &[char] = &[
    '不', '没', '无', '未', '非', '否', '别', '莫', '勿', '难', '欠', '缺',
];

/// Character back-off (see [`crate::sentiment::LangParams::morpheme_weight`]): mean
/// valence of the sentiment morphemes of a 2–4 character Han word, when they agree in
/// sign and the word holds no negating character.
pub(super) fn morpheme_lookup(r: &LangResources, term: &str) -> Option<f32> {
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

/// Compound back-off (issue 15): valence of a Han token missing from the lexicon that
/// jieba cut as one word but that is two words of at least two characters each, one of
/// them scored (积极参与 = 积极 "active" + 参与, 态度恶劣 = 态度 + 恶劣): the scored
/// part's valence, the longer part when both are scored (the first on a tie), `None`
/// when the two parts disagree in sign, the token holds a negating character, a part is
/// a doubled character (清清楚楚) or a `neutral` word. An AABB reduplication of a scored
/// two-character word (干干净净 "spotless" of 干净, 高高兴兴 of 高兴; session 12) has that
/// word's valence: jieba keeps such forms whole and the split into 干干 + 净净 finds
/// nothing. A three-character token is a scored two-character word and a derivational
/// suffix (危险性 = 危险 + 性; session 14, [`three_char_lookup`]). Not yet weighted: it
/// takes the place of the character back-off ([`morpheme_lookup`]) and counts as much.
pub(super) fn compound_lookup(r: &LangResources, idx: &TermIndex, term: &str) -> Option<f32> {
    let chars = term.chars().count();
    if !(3..=crate::config::COMPOUND_MAX_CHARS).contains(&chars) || r.neutral.contains(term) {
        return None;
    }
    if term.chars().any(|c| {
        MORPHEME_BLOCKERS.contains(&c)
            || crate::lang::script_of(c) != Some(crate::lang::Script::Han)
    }) {
        return None;
    }
    if let Some(v) = reduplicated_lookup(r, idx, term) {
        return Some(v);
    }
    let doubled = |p: &str| {
        let mut it = p.chars();
        matches!((it.next(), it.next(), it.next()), (Some(a), Some(b), None) if a == b)
    };
    let scored = |p: &str| {
        (!doubled(p) && !r.neutral.contains(p))
            .then(|| idx.valence(p))
            .flatten()
    };
    if chars == 3 {
        return three_char_lookup(idx, term, scored);
    }
    let mut best: Option<(usize, f32)> = None;
    for (k, (cut, _)) in term.char_indices().enumerate().skip(2) {
        if chars - k < 2 {
            break;
        }
        let (a, b) = term.split_at(cut);
        let (va, vb) = (scored(a), scored(b));
        if let (Some(x), Some(y)) = (va, vb) {
            if x * y < 0.0 {
                return None;
            }
        }
        for (len, v) in [(k, va), (chars - k, vb)] {
            if let Some(v) = v {
                if best.map_or(true, |(l, _)| len > l) {
                    best = Some((len, v));
                }
            }
        }
    }
    best.map(|(_, v)| v)
}

/// Derivational suffixes after which a two-character word keeps its valence: the
/// quality or act named becomes a property (危险性 "danger", 重要性), a process (智能化),
/// a sense (安全感, 亲切感), a degree (满意度 "satisfaction"), a kind or level (创新型,
/// 五星级), a holder of it (抗议者 "protesters", 实力派, 贫困户 "poor households") or a
/// capacity or disposition (竞争力, 好奇心). Concrete heads (卫生间 "bathroom", 停车场
/// "car park"), places, institutions and roles (友谊县, 促进会, 负责人) name a thing and are
/// left alone, and so are rates (率: 收益率 "yield", 增长率 are measures, as 低于 is a
/// comparison).
const VALENCE_SUFFIXES: &[char] = &[
    '性', '化', '感', '度', '型', '级', '者', '派', '户', '力', '心',
];

/// Three-character compound back-off (issue 15, round 14): a scored two-character word
/// followed by one of the [`VALENCE_SUFFIXES`] (贫困户 "poor households" = 贫困 + 户,
/// 危险性 "danger", 抗议者 "protesters"): the two-character word's valence, as its English
/// translation keeps the scored word. `None` for any other suffix, when the last two
/// characters are a scored word too, or when the suffix is scored with the other sign.
fn three_char_lookup(
    idx: &TermIndex,
    term: &str,
    scored: impl Fn(&str) -> Option<f32>,
) -> Option<f32> {
    let mut cuts = term.char_indices().map(|(i, _)| i).skip(1);
    let (c1, c2) = (cuts.next()?, cuts.next()?);
    let single = &term[c2..];
    if !single.chars().all(|c| VALENCE_SUFFIXES.contains(&c)) || scored(&term[c1..]).is_some() {
        return None;
    }
    let v = scored(&term[..c2])?;
    match idx.valence(single) {
        Some(w) if w * v < 0.0 => None,
        _ => Some(v),
    }
}

/// Valence of an AABB reduplication (干干净净, 清清楚楚) from its base word AB, when AB is
/// scored and not a `neutral` word; `None` for any other shape (AAAA, ABAB, 3 or 5+
/// characters). No allocation: the base is looked up from a stack buffer.
fn reduplicated_lookup(r: &LangResources, idx: &TermIndex, term: &str) -> Option<f32> {
    let mut it = term.chars();
    let (a, a2, b, b2) = (it.next()?, it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || a != a2 || b != b2 || a == b {
        return None;
    }
    let mut buf = [0u8; 8];
    let la = a.encode_utf8(&mut buf).len();
    let lb = b.encode_utf8(&mut buf[la..]).len();
    let base = std::str::from_utf8(&buf[..la + lb]).ok()?;
    if r.neutral.contains(base) {
        return None;
    }
    idx.valence(base)
}

/// Valence of an English word missing from the lexicon from its regular suffix
/// ([`morph_lookup`]) or else its negative affix ([`neg_affix_lookup`]), weighted as
/// the rules weight it; `None` when neither applies or the language has no morphology.
/// Depends on the term only, so it is resolved once per term ([`TermRef`](super::index::TermRef)).
pub(super) fn morph_fallback(r: &LangResources, idx: &TermIndex, term: &str) -> Option<f32> {
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
pub(super) const ELONGATION_STEP: f32 = 0.293;

/// Looks a word with a run of three or more identical letters up again with the runs
/// collapsed to two letters (`gooood` → `good`), then to one (`loooove` → `love`).
pub(super) fn deelongate(r: &TermIndex, term: &str) -> Option<TermInfo> {
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
pub(super) fn neg_affix_lookup(r: &TermIndex, term: &str) -> Option<f32> {
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
const MORPH_STOP: &[&str] = &[
    "like",
    "well",
    "pretty",
    "kind",
    "fine",
    "mean",
    "sure",
    // `respectively` is not respectful, `routes` not a rout.
    "respective",
    "rout",
];

/// Looks an English word missing from the lexicon up again without a regular suffix
/// (see [`crate::sentiment::LangParams::morphology`]). Lowercase ASCII words of 5–40
/// letters only; stems must keep at least 3 letters. No allocation.
pub(super) fn morph_lookup(r: &TermIndex, term: &str) -> Option<f32> {
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
