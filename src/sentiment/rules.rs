//! The rules over a sentence's units: negation, degree words, excess, contrast and
//! concessive clauses, irrealis, rhetorical questions, ALL-CAPS emphasis and negative
//! weighting (see the [module docs](super)).

use super::lexicon::{
    LangResources, ATTRIBUTIVE_WINDOW, DETERMINER_WINDOW, RESULT_WINDOW, SUBJECT_PHRASE,
};
use super::units::{Sentence, Unit};
use super::{SentimentModel, TermHit};
use crate::config;
use crate::lang::Lang;
use crate::tokenize::{all_caps, Token, TokenBuf};

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

/// True when token `i` opens its clause: it is the sentence's first token (`first`),
/// or the text between it and the token before holds punctuation.
fn opens_clause(text: &str, toks: &[crate::tokenize::Token], first: usize, i: usize) -> bool {
    if i <= first {
        return true;
    }
    match (toks.get(i - 1), toks.get(i)) {
        (Some(a), Some(b)) => text
            .get(a.end as usize..b.start as usize)
            .is_some_and(|gap| gap.chars().any(|c| !c.is_whitespace())),
        _ => true,
    }
}

/// True when the negator unit `w` opens a neg-raising frame, the one both languages
/// require (see [`LangResources::neg_raising_subject`]): a first-person subject, an
/// optional auxiliary, a present-tense negator (`w`), a neg-raising verb right after
/// it, and a next token that is no `neg-raising-stop` word. `first`..`end` are the
/// sentence's tokens.
fn neg_raising_frame(
    r: &LangResources,
    tokens: &TokenBuf,
    first: usize,
    end: usize,
    w: &Unit,
) -> bool {
    let toks = tokens.tokens();
    let term = |i: usize| tokens.term(&toks[i]);
    let neg = w.tok_start;
    if w.tok_end != neg + 1 || neg <= first || !r.neg_raising_neg.contains(term(neg)) {
        return false;
    }
    let subject = if r.neg_raising_aux.contains(term(neg - 1)) && neg - 1 > first {
        neg - 2
    } else {
        neg - 1
    };
    let (verb, after_verb) = (w.tok_end, w.tok_end + 1);
    r.neg_raising_subject.contains(term(subject))
        && after_verb < end
        && r.neg_raising.contains(term(verb))
        && !r.neg_raising_stop.contains(term(after_verb))
}

/// True when a negator ending before token `from` reaches the token `to` across a
/// coordinator of its scope (`neg-coord`: or; 和, 或, 与 …): a sentiment word the
/// negator's `window` reaches ends right before the coordinator (`word_ends_at(c)` for
/// the coordinator's token `c`), and `to` lies within the `window` counted from the
/// coordinator. Negation distributes over coordinated words (not (A or B) = not A and
/// not B): "no one died or was harmed", 没有死亡和受伤. The caller asks only for a
/// negator that negated a word already. A coordinator after a word the negator did not
/// reach joins other words: 不喜欢把生意和快乐混在一起 (不 negates 喜欢, 和 joins
/// 生意 and 快乐), 毫无理由地与人斗争 (与 "with"), 没有什么和和平一样重要 (和 "as").
/// Callers keep both ends in one clause.
fn coordinated(
    r: &LangResources,
    tokens: &TokenBuf,
    from: usize,
    to: usize,
    window: usize,
    word_ends_at: impl Fn(usize) -> bool,
) -> bool {
    if r.neg_coord.is_empty() {
        return false;
    }
    let toks = tokens.tokens();
    let lo = (from + 1).max(to.saturating_sub(window));
    let hi = to.min(from + window + 1);
    (lo..hi).any(|c| r.neg_coord.contains(tokens.term(&toks[c])) && word_ends_at(c))
}

/// True when a `neg-report` word (a reporting verb: mention, reveal; 提及, 透露) stands
/// among the tokens `from..to`, between a negator and a sentiment word: the negator
/// denies the report, not the event reported, and does not reach the word ("did not
/// mention the crash", 没有提及无人机坠落的原因), the same in both languages.
fn reported(r: &LangResources, tokens: &TokenBuf, from: usize, to: usize) -> bool {
    !r.neg_report.is_empty()
        && tokens.tokens()[from..to]
            .iter()
            .any(|t| r.neg_report.contains(tokens.term(t)))
}

/// The token that ends a negating subject's phrase (see
/// [`LangResources::neg_subject`]): `Some(e)` when the negator unit `w` is a
/// `neg-subject` word or has one within two tokens after it ("no one", 无一人), a
/// `neg-subject-prep` word comes right after that word, and a `neg-subject-end` word
/// `e` follows within [`SUBJECT_PHRASE`] tokens of it, before a clause break, a
/// `neg-subject-stop` word and the sentence's end (token `end`). The negator then reaches the predicate after `e` and
/// not the phrase's own words: "No one in the car was injured", 没有人在这次事故中受伤,
/// the same in both languages.
#[inline(never)] // a negator's look-up: off the loop
fn subject_phrase(
    r: &LangResources,
    text: &str,
    tokens: &TokenBuf,
    end: usize,
    w: &Unit,
) -> Option<usize> {
    if r.neg_subject.is_empty() {
        return None;
    }
    let toks = tokens.tokens();
    let head = (w.tok_start..(w.tok_end + 2).min(end))
        .find(|&i| r.neg_subject.contains(tokens.term(&toks[i])))?;
    let prep = head + 1;
    if prep >= end || !r.neg_subject_prep.contains(tokens.term(&toks[prep])) {
        return None;
    }
    (head + 1..(prep + SUBJECT_PHRASE + 1).min(end))
        .take_while(|&i| {
            text.get(toks[i - 1].end as usize..toks[i].start as usize)
                .is_some_and(|gap| !breaks_clause(gap))
                && !r.neg_subject_stop.contains(tokens.term(&toks[i]))
        })
        .find(|&i| i > prep && r.neg_subject_end.contains(tokens.term(&toks[i])))
}

/// True when the negator unit `w` stands right after a `neg-compare` word (比, than)
/// of its sentence (whose first token is `first`): it belongs to the standard of the
/// comparison, negates nothing and carries no valence of its own (谈比不谈好, "better
/// than no talks"; see [`LangResources::neg_compare`]).
fn compared(r: &LangResources, tokens: &TokenBuf, first: usize, w: &Unit) -> bool {
    !r.neg_compare.is_empty()
        && w.tok_start > first
        && r.neg_compare
            .contains(tokens.term(&tokens.tokens()[w.tok_start - 1]))
}

/// Clause punctuation that bounds a result word's context (a colon does not: 检测结果：阴性).
fn breaks_clause(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | '，' | ';' | '；' | '。' | '.' | '!' | '?' | '！' | '？'
        )
    })
}

/// True when the unit over tokens `i..k` (of the sentence's tokens `first..end`)
/// carries no opinion where it stands, the same in both languages (session 11): a
/// one-token `adverbial` word right before a word that is no `adverbial-stop` word
/// (成功举办 "successfully held"), or a unit ending in a `result-word` (阳性, also
/// when joined with 呈 into the entry 呈阳性) with a `result-cue` within
/// [`RESULT_WINDOW`] tokens of the same clause ("tested positive", 检测呈阳性), or a
/// one-token `attributive` word with an `attributive-head` of its group within
/// [`ATTRIBUTIVE_WINDOW`] tokens after it in the same clause ("a special court",
/// "a critical juncture").
fn void_in_context(
    r: &LangResources,
    text: &str,
    tokens: &TokenBuf,
    first: usize,
    end: usize,
    (i, k): (usize, usize),
) -> bool {
    if r.context_words.is_empty() || k <= i {
        return false;
    }
    let toks = tokens.tokens();
    // One lookup for the usual unit, which is neither kind.
    let last = tokens.term(&toks[k - 1]);
    if !r.context_words.contains(last) {
        return false;
    }
    if k == i + 1 && k < end && r.adverbial.contains(last) {
        let (a, b) = (&toks[i], &toks[k]);
        if a.end == b.start && !r.adverbial_stop.contains(tokens.term(b)) {
            return true;
        }
    }
    // Token pairs next to each other; a clause break between them ends the search.
    let broken = |a: &Token, b: &Token| {
        text.get(a.end as usize..b.start as usize)
            .map_or(true, breaks_clause)
    };
    // A word of `set` among the tokens after token `from` (up to `to`, the unit's
    // sentence end at most), nearest first, before a clause break.
    let ahead = |from: usize, to: usize, set: &rustc_hash::FxHashSet<Box<str>>| {
        toks[from..to.min(end)]
            .windows(2)
            .take_while(|w| !broken(&w[0], &w[1]))
            .any(|w| set.contains(tokens.term(&w[1])))
    };
    if let Some(&group) = r.attributive.get(last).filter(|_| k == i + 1) {
        // A head of one of the word's groups.
        let head = toks[i..(k + ATTRIBUTIVE_WINDOW).min(end)]
            .windows(2)
            .take_while(|w| !broken(&w[0], &w[1]))
            .any(|w| {
                r.attributive_heads
                    .get(tokens.term(&w[1]))
                    .is_some_and(|&h| h & group != 0)
            });
        if head {
            return true;
        }
    }
    if r.result_words.contains(last) {
        // Nearest first on each side.
        let lo = i.saturating_sub(RESULT_WINDOW).max(first);
        let behind = toks[lo..=i]
            .windows(2)
            .rev()
            .take_while(|w| !broken(&w[0], &w[1]))
            .any(|w| r.result_cues.contains(tokens.term(&w[0])));
        return behind || ahead(k - 1, k + RESULT_WINDOW, &r.result_cues);
    }
    false
}

/// True when the negator unit `u` is a one-token `determiner` word (English `no`)
/// with a `determiner-head` word within [`DETERMINER_WINDOW`] tokens after it, before
/// a clause break and the sentence's end (token `end`): "no new cases", "no deaths
/// were reported", "no evidence". There it carries none of its own valence (it still
/// negates), as Chinese 没有 and 无, plain negators, carry none (无新增病例); "No.",
/// "oh no!" and "no picture" keep it. A `determiner-bound` word (`than`) counts as a
/// head only before a number ("no more than 3,000").
#[inline(never)] // rare (a valenced negator that negated nothing): off the loop
fn determiner(r: &LangResources, text: &str, tokens: &TokenBuf, end: usize, u: &Unit) -> bool {
    let toks = tokens.tokens();
    let i = u.tok_start;
    u.tok_end == i + 1
        && u.tok_end < end
        && r.determiners.contains(tokens.term(&toks[i]))
        && (i + 1..(u.tok_end + DETERMINER_WINDOW).min(end))
            .take_while(|&j| {
                text.get(toks[j - 1].end as usize..toks[j].start as usize)
                    .is_some_and(|gap| !breaks_clause(gap))
            })
            .any(|j| {
                let head = tokens.term(&toks[j]);
                r.determiner_heads.contains(head)
                    || (r.determiner_bounds.contains(head)
                        && toks[j + 1..end].first().is_some_and(|t| {
                            tokens.term(t).starts_with(|c: char| c.is_ascii_digit())
                        }))
            })
}

impl SentimentModel {
    /// The rules over the units of one sentence: ALL-CAPS emphasis, degree words,
    /// negation (and weak negation), irrealis, rhetorical questions, contrast and
    /// concessive weights, negative weighting; then negators with a valence of their
    /// own and emoticons. Returns the sentence's hits in text order.
    #[inline]
    pub(super) fn score_units(
        &self,
        s: Sentence<'_>,
        units: &mut [Unit],
        cap_diff: bool,
    ) -> Vec<TermHit> {
        let Sentence {
            text,
            tokens,
            first,
            stoks,
            stext,
            emo_spans,
        } = s;
        let toks = tokens.tokens();
        let end = first + stoks.len();
        // The term of the token right after a unit, if the sentence has one.
        let next_term = |u: &Unit| (u.tok_end < end).then(|| tokens.term(&toks[u.tok_end]));
        // Contrast: the first contrast word of the sentence splits it; not one that
        // continues "not only" ("but also"), nor a `contrast-initial` word inside a
        // clause (不过是 "merely").
        let contrast_at = units.iter().position(|c| {
            c.contrast
                && match self.res(c.lang_idx) {
                    None => true,
                    Some(r) => {
                        !next_term(c).is_some_and(|t| r.contrast_additive.contains(t))
                            && (!r.contrast_initial.contains(tokens.term(&toks[c.tok_start]))
                                || opens_clause(text, toks, first, c.tok_start))
                    }
                }
        });
        // Without a contrast word, a concessive clause (although …, 虽然 …) is the
        // minor one: its sentiment gets the before-contrast weight, the rest the after.
        let concessive_at = if contrast_at.is_none() {
            units.iter().position(|c| c.concessive)
        } else {
            None
        };
        // Whether a negator of the sentence opens a neg-raising frame: only then does
        // the look-back go past the windows (most sentences have none). Found the
        // first time a look-back reaches past them.
        let mut raising: Option<bool> = None;
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
            if void_in_context(r, text, tokens, first, end, (u.tok_start, u.tok_end)) {
                continue;
            }
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
                // A negator that negated a sentiment word before `u` reaching `u`
                // across a coordinator of its scope (see `coordinated`): asked only
                // where the plain window does not serve.
                let coord = w.neg
                    && w.used_as_neg
                    && (dist > p.negation_window || p.negation_first_only)
                    && coordinated(r, tokens, w.tok_end, u.tok_start, p.negation_window, |c| {
                        units[j + 1..k]
                            .iter()
                            .any(|x| x.has_valence && !x.neg && x.tok_end == c)
                    });
                // A negating subject with a phrase after it (see `subject_phrase`)
                // reaches the predicate past the phrase, not the phrase's own words.
                let phrase = if w.neg {
                    subject_phrase(r, text, tokens, end, &w)
                } else {
                    None
                };
                let in_phrase = phrase.is_some_and(|e| u.tok_start <= e);
                let past_phrase =
                    phrase.is_some_and(|e| u.tok_start > e && u.tok_start - e <= p.negation_window);
                if dist > reach && !coord && !past_phrase {
                    // Beyond the windows only a negator before a neg-raising verb
                    // reaches ("I don't think … good", 我不认为…好事).
                    let any = *raising.get_or_insert_with(|| {
                        units.iter().any(|w| {
                            w.neg
                                && self
                                    .res(w.lang_idx)
                                    .is_some_and(|r| neg_raising_frame(r, tokens, first, end, w))
                        })
                    });
                    if !any {
                        // A negator may still reach `u` across a coordinator from up
                        // to two windows back (see `coordinated`): look on.
                        if !r.neg_coord.is_empty()
                            && w.tok_end + 2 * p.negation_window >= u.tok_start
                        {
                            continue;
                        }
                        // … or as a negating subject past its phrase.
                        if !r.neg_subject.is_empty()
                            && w.tok_end + p.negation_window + SUBJECT_PHRASE + 2 >= u.tok_start
                        {
                            continue;
                        }
                        break;
                    }
                    if w.neg
                        && !(p.negation_first_only && w.used_as_neg)
                        && neg_raising_frame(r, tokens, first, end, &w)
                    {
                        negs += 1;
                        weak |= w.weak_neg;
                        units[j].used_as_neg = true;
                    }
                    continue;
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
                // "not only", "not just" add rather than negate (`neg-additive`); a
                // bound prefix (非, non) negates only the token right after it.
                if w.neg
                    && (dist <= p.negation_window || coord || past_phrase)
                    && !in_phrase
                    && !next_term(&w).is_some_and(|t| r.neg_additive.contains(t))
                    && (dist == 1 || !r.neg_prefix.contains(tokens.term(&toks[w.tok_start])))
                    && !reported(r, tokens, w.tok_end, u.tok_start)
                    && !compared(r, tokens, first, &w)
                {
                    // VADER: "never so/this good" intensifies instead of negating.
                    // (Read from the tokens: the units may leave out the word after
                    // `never`, see `build_units`.)
                    if p.phrase_join == " "
                        && w.tok_end < u.tok_start
                        && tokens.term(&toks[w.tok_start]) == "never"
                        && matches!(tokens.term(&toks[w.tok_end]), "so" | "this")
                    {
                        never_so = true;
                        units[j].used_as_neg = true;
                    } else if coord || !(p.negation_first_only && w.used_as_neg) {
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
        // Negators with a valence of their own ("no") count only when they negated
        // nothing, and a `determiner` one not in a report (see [`determiner`]) nor one
        // in a comparison's standard ("better than no talks", see [`compared`]).
        for u in units
            .iter()
            .filter(|u| u.neg && u.has_valence && !u.used_as_neg)
        {
            if self.res(u.lang_idx).is_some_and(|r| {
                determiner(r, text, tokens, end, u) || compared(r, tokens, first, u)
            }) {
                continue;
            }
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
        for &(a, b, v) in emo_spans {
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
        damp_weak_single(&mut hits);
        hits
    }
}

/// A sentence whose only hit contributes less than [`config::WEAK_HIT`] is weak
/// evidence (one mild word, often a sense the other language's lexicon leaves out):
/// its hit counts ×[`config::WEAK_HIT_WEIGHT`], in every language. The sign stays.
#[inline]
pub(super) fn damp_weak_single(hits: &mut [TermHit]) {
    if let [h] = hits {
        if h.score.abs() < config::WEAK_HIT {
            h.score *= config::WEAK_HIT_WEIGHT;
        }
    }
}
