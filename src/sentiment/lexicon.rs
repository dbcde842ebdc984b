//! Per-language sentiment resources and the readers for lexicon files.

use super::SentimentError;
use crate::lang::{self, Lang, Script};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

/// Rule parameters of one language. The engine is the same for every language; only
/// these numbers and the word lists differ.
#[derive(Debug, Clone, PartialEq)]
pub struct LangParams {
    /// Factor applied to a sentiment word for each negator in its scope (VADER: −0.74).
    pub negation_factor: f32,
    /// Negation scope: a negator reaches this many tokens ahead, never past a clause end.
    pub negation_window: usize,
    /// Degree words reach this many tokens ahead (weights in `degree_decay`).
    pub degree_window: usize,
    /// A negator applies to the first sentiment word in its scope only (Chinese); VADER
    /// lets it reach every sentiment word in the window (English).
    pub negation_first_only: bool,
    /// Weight of a degree word at distance 1, 2, 3 (VADER: 1, 0.95, 0.9).
    pub degree_decay: [f32; 3],
    /// `true`: a degree word adds `(m − 1) · sign(v)` to the valence (VADER, English);
    /// `false`: it multiplies the valence by `1 + (m − 1) · decay`.
    pub additive_degree: bool,
    /// Weight of the sentiment before / after a contrast word in the same sentence.
    pub contrast_weights: (f32, f32),
    /// Added to the magnitude of a sentence per `!` (at most `max_exclamations`).
    pub exclamation_step: f32,
    /// Cap on counted `!` per sentence.
    pub max_exclamations: u32,
    /// VADER's question-mark emphasis (2–3 `?` add 0.18 each, more add 0.96).
    pub question_emphasis: bool,
    /// Added to the magnitude of an ALL-CAPS sentiment word when the text mixes case
    /// (VADER: 0.733; 0 disables, e.g. for scripts without case).
    pub caps_step: f32,
    /// Join string for multi-token lexicon entries (`" "` for English, `""` for Chinese).
    pub phrase_join: &'static str,
    /// Longest multi-token entry tried, in tokens.
    pub max_phrase_tokens: usize,
    /// Split unknown tokens into a leading negator/degree word and a lexicon word
    /// (`不满意` → `不` + `满意`), for languages whose segmenter glues them.
    pub decompose: bool,
    /// Normalization constant of `x / sqrt(x² + alpha)` (VADER: 15).
    pub alpha: f32,
    /// English inflection fallback: a word missing from the lexicon is looked up again
    /// without a regular suffix (`-s`, `-ed`, `-ing`, `-ly`, `-ness`, `-er`, `-est`,
    /// with `-i-` → `-y` and doubled consonants undone), scaled by this factor
    /// (0 disables).
    pub morphology: f32,
    /// Weight of sentiment words in an irrealis clause: after a modal or conditional
    /// marker (`would`, `if`, 如果, 以为 …) in the same clause (Taboada et al. 2011,
    /// SO-CAL's irrealis blocking, uses 0; 1 disables).
    pub irrealis_weight: f32,
    /// Factor of weak negators (`neg-weak`: 不太, 不够, 谈不上 …) and of a negator in
    /// front of a booster (`not very good`, 不是很好), which deny a high degree rather
    /// than the quality itself; `None` treats them as ordinary negators.
    pub weak_negation_factor: Option<f32>,
    /// Character back-off for out-of-lexicon Chinese words: a word of 2–4 Han characters
    /// whose sentiment morphemes (`morpheme` entries: 棒, 烂, 吵 …) agree in sign gets
    /// their mean valence times this weight (0 disables). After Ku, Liang & Chen (2006),
    /// who score unknown words from the sentiment of their characters.
    pub morpheme_weight: f32,
    /// Multiplier of negative contributions (SO-CAL's negative weighting, 1.5 there:
    /// lexicons and raters under-weight negative expressions; 1 disables).
    pub negative_weight: f32,
    /// Weight of a verb-sense word's valence where it is not a verb (`like` in "looks
    /// like rain"): small enough that such a sentence alone stays inside the neutral band
    /// (see [`crate::config::NON_VERB_WEIGHT`]); 0 ignores it.
    pub non_verb_weight: f32,
}

impl LangParams {
    /// Parameters for English (VADER's published constants).
    pub fn english() -> Self {
        LangParams {
            negation_factor: -0.74,
            negation_window: 3,
            negation_first_only: false,
            degree_window: 3,
            degree_decay: [1.0, 0.95, 0.9],
            additive_degree: true,
            contrast_weights: (0.5, 1.5),
            exclamation_step: 0.292,
            max_exclamations: 4,
            question_emphasis: true,
            caps_step: 0.733,
            phrase_join: " ",
            max_phrase_tokens: 3,
            decompose: false,
            alpha: 15.0,
            morphology: 0.9,
            irrealis_weight: 0.5,
            weak_negation_factor: None,
            morpheme_weight: 0.0,
            negative_weight: 1.2,
            non_verb_weight: crate::config::NON_VERB_WEIGHT,
        }
    }

    /// Parameters for Chinese.
    pub fn chinese() -> Self {
        LangParams {
            negation_factor: -0.74,
            negation_window: 3,
            negation_first_only: true,
            degree_window: 2,
            degree_decay: [1.0, 0.9, 0.8],
            additive_degree: false,
            contrast_weights: (0.5, 1.5),
            exclamation_step: 0.292,
            max_exclamations: 4,
            question_emphasis: false,
            caps_step: 0.0,
            phrase_join: "",
            max_phrase_tokens: 3,
            decompose: true,
            alpha: 15.0,
            morphology: 0.0,
            irrealis_weight: 0.5,
            weak_negation_factor: Some(-0.3),
            morpheme_weight: 0.5,
            negative_weight: 1.2,
            non_verb_weight: 0.0,
        }
    }
}

/// Word lists and rule parameters of one language.
#[derive(Debug, Clone)]
pub struct LangResources {
    /// Term → valence on VADER's −4..+4 scale. Terms are normalized as the tokenizer
    /// writes them (Simplified Chinese, lowercase Latin); multi-token entries are joined
    /// with [`LangParams::phrase_join`].
    pub valence: FxHashMap<Box<str>, f32>,
    /// Negators (不, 没有; not, never …). Words ending in `n't` are negators in English.
    pub negators: FxHashSet<Box<str>>,
    /// Degree words → multiplier (> 1 boosters, < 1 diminishers).
    pub intensifiers: FxHashMap<Box<str>, f32>,
    /// Contrast conjunctions (但是, 不过; but, however).
    pub contrast: FxHashSet<Box<str>>,
    /// Weak negators (a subset of `negators`): they deny a high degree (不太, 不够).
    pub weak_negators: FxHashSet<Box<str>>,
    /// Concessive subordinators (although, 虽然): their clause carries less weight.
    pub concessive: FxHashSet<Box<str>>,
    /// Irrealis markers (modals, conditionals): see [`LangParams::irrealis_weight`].
    pub irrealis: FxHashSet<Box<str>>,
    /// Excess markers (太, 过于, too) → valence given to a following `property` word.
    pub excess: FxHashMap<Box<str>, f32>,
    /// Neutral gradable property words (小, 咸, 贵; small, long, slow) that become
    /// negative after an excess marker (太小, too long).
    pub property: FxHashSet<Box<str>>,
    /// Rhetorical-question markers (难道, 岂): in a sentence ending as a question, the
    /// sentiment after them is reversed.
    pub rhetorical: FxHashSet<Box<str>>,
    /// Sentiment morphemes (single characters) for the character back-off, see
    /// [`LangParams::morpheme_weight`].
    pub morphemes: FxHashMap<char, f32>,
    /// Words that are opinions only as verbs (`like`: "I like it" vs "looks like rain"):
    /// their valence counts only right after a [`LangResources::subjects`] word or a
    /// negator.
    pub verb_senses: FxHashSet<Box<str>>,
    /// Words after which a verb-sense word is a verb (pronouns, auxiliaries, adverbs:
    /// I, we, people, really, do, to …).
    pub subjects: FxHashSet<Box<str>>,
    /// Words without sentiment that the decomposition and character back-off would
    /// otherwise score (`neutral` kind: 太空 "outer space" is not 太 "too" + 空 "empty",
    /// 爱沙尼亚 "Estonia" holds no 爱 "love").
    pub neutral: FxHashSet<Box<str>>,
    /// Function phrases of two words whose second word has a valence of its own
    /// (`function` kind, `as well`: "as well as" is a conjunction, not "well"): the
    /// second word carries no valence right after the first. (previous, word) pairs;
    /// a handful, scanned only for tokens with a valence.
    pub function_after: Vec<(Box<str>, Box<str>)>,
    /// Function phrases that are one only opening a clause (`function-initial` kind,
    /// session 12: ", as well as", "As well as …" is a conjunction, 以及, while "works as
    /// well as the old one" compares quality): the second word carries no valence right
    /// after the first when the first opens the sentence or follows clause punctuation.
    /// (previous, word) pairs, scanned like [`LangResources::function_after`].
    pub function_initial: Vec<(Box<str>, Box<str>)>,
    /// Contrast words that contrast only when they open a clause (`contrast-initial`
    /// kind, a subset of `contrast`): 不过 and 只是 mid-clause mean "merely" (不过是,
    /// 只是一个开始); after a comma or at the start of the sentence they are "but".
    pub contrast_initial: FxHashSet<Box<str>>,
    /// Words that, right after a negator, make it additive instead of negating
    /// (`neg-additive` kind: "not only", "not just"; Chinese writes 不仅 as one word,
    /// which is no negator).
    pub neg_additive: FxHashSet<Box<str>>,
    /// Coordinators over which a negator's scope distributes (`neg-coord` kind, session
    /// 16): "no one died or was harmed" denies both, as 没有死亡和受伤 and 无一人伤亡 do.
    /// A negator that negated a sentiment word of the conjunct before one of these
    /// words also reaches a sentiment word within the window counted from the
    /// coordinator, and in a first-only language (Chinese) negates it although spent.
    pub neg_coord: FxHashSet<Box<str>>,
    /// Reporting verbs that end a negator's scope (`neg-report` kind, session 17):
    /// a negated report denies the telling, not the event told. "did not mention the
    /// crash" and 没有提及无人机坠落 say nothing of whether it crashed, so a negator
    /// does not reach a sentiment word past one of these words.
    pub neg_report: FxHashSet<Box<str>>,
    /// Heads of a negating subject (`neg-subject` kind, session 22): a negator that is
    /// one of these words (nobody, none, 无人), or has one within two tokens after it
    /// ("no one", 没有人, 无一人), is the subject of its clause. Followed by a
    /// `neg-subject-prep` word, it opens a phrase that ends at a `neg-subject-end`
    /// word; the negator reaches past that phrase to the predicate ("No one in the car
    /// was injured", 没有人在这次事故中受伤) and does not negate the phrase's own words
    /// (see [`SUBJECT_PHRASE`]).
    pub neg_subject: FxHashSet<Box<str>>,
    /// Prepositions that open a phrase after a negating subject (`neg-subject-prep`:
    /// in, on, of, aboard; 在, 于).
    pub neg_subject_prep: FxHashSet<Box<str>>,
    /// Words that end a negating subject's phrase (`neg-subject-end`): the English
    /// auxiliary that opens the predicate (was, were, has), the Chinese postposition
    /// that closes 在 … 中 (中, 里, 上).
    pub neg_subject_end: FxHashSet<Box<str>>,
    /// Words that no negating subject's phrase holds (`neg-subject-stop`: and, but;
    /// 和, 但): a conjunct or clause joined there is no phrase ("has none of these
    /// flaws and will last" keeps `flaws` negated).
    pub neg_subject_stop: FxHashSet<Box<str>>,
    /// Comparison markers before the standard of comparison (`neg-compare` kind,
    /// session 22: 比, than). A negator right after one belongs to the standard and
    /// negates nothing: 谈比不谈好 "talking is better than not talking" is good, and
    /// the predicate 好 after the standard keeps its sign, as "better" does in English.
    pub neg_compare: FxHashSet<Box<str>>,
    /// Negators that are bound prefixes (`neg-prefix` kind, a subset of the negators:
    /// Chinese 非 in 非应届毕业生, English `non` in "non-violent", tokenized apart from
    /// their word): they negate only the token right after them, as the prefixed
    /// compound 非暴力 does, not a sentiment word further on (非应届毕业生感动 is "moved
    /// non-graduates", not "not moved").
    pub neg_prefix: FxHashSet<Box<str>>,
    /// Neg-raising verbs (`neg-raising` kind: think, believe, 认为, 觉得): a negator right
    /// before one denies the opinion that follows anywhere in the clause, as "I don't
    /// think it is good" means "I think it is not good" (我不认为这是好事), beyond the
    /// negation window.
    pub neg_raising: FxHashSet<Box<str>>,
    /// The frame a neg-raising verb needs (session 10), the same in both languages so
    /// that neither reads more negative: a first-person subject
    /// (`neg-raising-subject`: I, we, 我, 我们), optionally an auxiliary
    /// (`neg-raising-aux`: do), a present-tense negator (`neg-raising-neg`: not, don't,
    /// 不; past "I didn't think it would be this good" reports a disconfirmed
    /// expectation, not an opinion), the verb, and next a clause, not one of the
    /// `neg-raising-stop` words ("I don't think so", "think of", "believe in").
    pub neg_raising_subject: FxHashSet<Box<str>>,
    /// Auxiliaries between the subject and the negator of a neg-raising frame
    /// (`neg-raising-aux`; see [`LangResources::neg_raising_subject`]).
    pub neg_raising_aux: FxHashSet<Box<str>>,
    /// Negators that may open a neg-raising frame (`neg-raising-neg`; see
    /// [`LangResources::neg_raising_subject`]).
    pub neg_raising_neg: FxHashSet<Box<str>>,
    /// Words that, right after a neg-raising verb, show it takes no clause
    /// (`neg-raising-stop`; see [`LangResources::neg_raising_subject`]).
    pub neg_raising_stop: FxHashSet<Box<str>>,
    /// Words that, right after a contrast word, make it additive (`contrast-additive`
    /// kind: "but also" continues "not only …"; Chinese 而且 is no contrast word).
    pub contrast_additive: FxHashSet<Box<str>>,
    /// Words whose valence belongs to the noun or adjective sense only (`adverbial`
    /// kind, session 11: 成功 "success"): right before a word (no punctuation between)
    /// that is not an [`LangResources::adverbial_stop`] word they modify a verb —
    /// 成功举办, 成功降落 "successfully held/landed", "managed to" in English — and
    /// carry no opinion, as English `successfully` carries none (`none` in
    /// `news-senses.tsv`).
    pub adverbial: FxHashSet<Box<str>>,
    /// Words that, right after an [`LangResources::adverbial`] word, show its noun or
    /// adjective sense (`adverbial-stop`: 的, 了, 率, 经验 — 成功的经验 "a successful
    /// experience" keeps its valence).
    pub adverbial_stop: FxHashSet<Box<str>>,
    /// Test-result words (`result-word` kind, session 11: positive, negative, 阳性,
    /// 阴性): with a [`LangResources::result_cues`] word within
    /// [`RESULT_WINDOW`] tokens of the same clause ("tested positive", "positive cases",
    /// "the results were still positive", 检测呈阳性, 结果仍呈阳性) they report a
    /// result, not an opinion, and carry no valence in either language.
    pub result_words: FxHashSet<Box<str>>,
    /// Test and result nouns and verbs (`result-cue` kind: test, tested, results,
    /// cases, 检测, 核酸, 结果, 病例); see [`LangResources::result_words`].
    pub result_cues: FxHashSet<Box<str>>,
    /// Words that are opinions in reviews but name a kind of thing before an
    /// institution or a made thing (`attributive` kind, session 11, round 10: `special`,
    /// `specially`): with an [`LangResources::attributive_heads`] word of the same group
    /// within [`ATTRIBUTIVE_WINDOW`] tokens after them in the same clause ("a special
    /// court", "Special advisers", "a specially prepared working group") they carry no
    /// valence, as Chinese 特别法庭, 特别委员会, 专门准备 carry none. "A special day" and
    /// "nothing special" keep theirs. The value is a bit mask of groups (the file's value
    /// column is the group number, 0 by default; session 12 added group 1: `critical`
    /// "crucial" before a moment, a role or a component, 关键时刻, 关键作用, 关键部件).
    pub attributive: FxHashMap<Box<str>, u32>,
    /// Nouns of institutions, offices, reports and made things, and participles of
    /// making (`attributive-head` kind: court, committee, advisers, report, effects,
    /// prepared; group 1: moment, juncture, role, component, infrastructure), with the
    /// bit mask of their groups; see [`LangResources::attributive`].
    pub attributive_heads: FxHashMap<Box<str>, u32>,
    /// Negators with a valence of their own that are determiners in a report of
    /// counts or statements (`determiner` kind, session 12: English `no`): with a
    /// [`LangResources::determiner_heads`] word within [`DETERMINER_WINDOW`] tokens
    /// after them in the same clause ("no new cases", "no evidence", "no deaths were
    /// reported", "no less than") they still negate but carry none of their own
    /// valence, as Chinese 没有 and 无 (无新增病例, 没有证据) carry none. Elsewhere
    /// ("No.", "oh no!", "no picture", "no idea") they keep it.
    pub determiners: FxHashSet<Box<str>>,
    /// Words of counts, reports and statements (`determiner-head` kind: new, confirmed,
    /// cases, deaths, reports, evidence, plans, less); see
    /// [`LangResources::determiners`].
    pub determiner_heads: FxHashSet<Box<str>>,
    /// Comparison words that mark a bound after a determiner (`determiner-bound` kind,
    /// session 25b: `than`): they count as [`LangResources::determiner_heads`] only when
    /// the token right after them begins with a digit ("no more than 3,000 cubic
    /// metres", "no later than 5 p.m."), a limit as Chinese 不超过 and 不迟于 state
    /// one. "No more than mildly amusing" (a reviewer's verdict) keeps the valence.
    pub determiner_bounds: FxHashSet<Box<str>>,
    /// The union of [`LangResources::adverbial`], [`LangResources::result_words`] and
    /// [`LangResources::attributive`]: the rules look a unit's word up once here.
    pub(crate) context_words: FxHashSet<Box<str>>,
    /// Entries that are not words (emoticons such as `:)`), matched on whitespace-separated
    /// chunks of the surface text, case-sensitively first.
    pub emoticons: FxHashMap<Box<str>, f32>,
    /// Rule parameters.
    pub params: LangParams,
    /// Longest valence key in chars (bounds phrase lookups).
    pub(crate) max_key_chars: usize,
}

impl LangResources {
    /// Empty resources with the given parameters.
    pub fn new(params: LangParams) -> Self {
        LangResources {
            valence: FxHashMap::default(),
            negators: FxHashSet::default(),
            intensifiers: FxHashMap::default(),
            contrast: FxHashSet::default(),
            weak_negators: FxHashSet::default(),
            concessive: FxHashSet::default(),
            irrealis: FxHashSet::default(),
            excess: FxHashMap::default(),
            property: FxHashSet::default(),
            rhetorical: FxHashSet::default(),
            morphemes: FxHashMap::default(),
            verb_senses: FxHashSet::default(),
            subjects: FxHashSet::default(),
            neutral: FxHashSet::default(),
            function_after: Vec::new(),
            function_initial: Vec::new(),
            contrast_initial: FxHashSet::default(),
            neg_additive: FxHashSet::default(),
            neg_coord: FxHashSet::default(),
            neg_report: FxHashSet::default(),
            neg_subject: FxHashSet::default(),
            neg_subject_prep: FxHashSet::default(),
            neg_subject_end: FxHashSet::default(),
            neg_subject_stop: FxHashSet::default(),
            neg_compare: FxHashSet::default(),
            neg_prefix: FxHashSet::default(),
            neg_raising: FxHashSet::default(),
            neg_raising_subject: FxHashSet::default(),
            neg_raising_aux: FxHashSet::default(),
            neg_raising_neg: FxHashSet::default(),
            neg_raising_stop: FxHashSet::default(),
            contrast_additive: FxHashSet::default(),
            adverbial: FxHashSet::default(),
            adverbial_stop: FxHashSet::default(),
            result_words: FxHashSet::default(),
            result_cues: FxHashSet::default(),
            attributive: FxHashMap::default(),
            attributive_heads: FxHashMap::default(),
            determiners: FxHashSet::default(),
            determiner_heads: FxHashSet::default(),
            determiner_bounds: FxHashSet::default(),
            context_words: FxHashSet::default(),
            emoticons: FxHashMap::default(),
            params,
            max_key_chars: 0,
        }
    }

    pub(crate) fn finish(&mut self) {
        self.max_key_chars = self
            .valence
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0);
    }

    #[inline]
    pub(crate) fn is_negator(&self, term: &str) -> bool {
        self.negators.contains(term)
            || (self.params.phrase_join == " " && (term.ends_with("n't") || term.ends_with("n’t")))
    }
}

/// Normalizes a lexicon term the way the tokenizer normalizes text: NFKC, lowercase,
/// Traditional → Simplified.
pub(crate) fn normalize_term(raw: &str) -> String {
    let mut s = lang::normalize(raw.trim());
    lang::to_simplified_in_place(&mut s);
    if s.chars().any(|c| c.is_uppercase()) {
        s = s.to_lowercase();
    }
    s
}

/// Language of a term from its script: Chinese when it holds a Han character.
pub(crate) fn infer_lang(term: &str) -> Lang {
    if term
        .chars()
        .any(|c| lang::script_of(c) == Some(Script::Han))
    {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// True when a lexicon key is a word (goes to `valence`) rather than an emoticon.
pub(crate) fn is_wordlike(key: &str) -> bool {
    let mut it = key.chars();
    match it.next() {
        Some(c) if c.is_alphanumeric() => {}
        _ => return false,
    }
    key.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | ' '))
        && key.chars().any(char::is_alphabetic)
}

/// Reads a file as text in any common encoding: UTF-8 (with or without BOM), UTF-16 with
/// BOM, or a legacy encoding guessed by chardetng (GB18030/GBK, Big5 …).
pub fn read_any_encoding(path: &Path) -> Result<String, SentimentError> {
    let bytes = std::fs::read(path).map_err(|e| SentimentError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(decode_any(&bytes))
}

/// Decodes bytes in any common encoding (see [`read_any_encoding`]).
pub fn decode_any(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = enc.decode(bytes);
    text.into_owned()
}

/// Largest magnitude a lexicon score may have. The shipped scales are ±4 (VADER) and
/// ±5 (AFINN); larger values are surely a mistake, and values near `f32::MAX` would
/// overflow a sentence's sum to infinity.
pub const MAX_ABS_SCORE: f32 = 100.0;

/// How many tokens a `result-cue` word may stand from a `result-word` in the same
/// clause (see [`LangResources::result_words`]): three reach "the results were still
/// positive" and 结果仍呈阳性, six "the result of his test on July 6th was positive"
/// (on WMT21 six fixed one pair more than three and broke none).
pub const RESULT_WINDOW: usize = 6;

/// How many tokens after an `attributive` word its head may stand (see
/// [`LangResources::attributive`]): two reach "a special video conference room" and
/// "Special WeChat Report" but not "special to me, the court …".
pub const ATTRIBUTIVE_WINDOW: usize = 2;

/// How many tokens a negating subject's phrase may hold from its `neg-subject-prep`
/// word to its `neg-subject-end` word (see [`LangResources::neg_subject`]): six reach
/// "no one in the first car was injured" and 没有人在这次事故中受伤 ("none of the
/// passengers on board were hurt" too, counting from `of`).
pub const SUBJECT_PHRASE: usize = 6;

/// How many tokens after a `determiner` word its head may stand (see
/// [`LangResources::determiners`]): two reach "no new local cases" and "no further
/// details" but not "no picture, new cases …".
pub const DETERMINER_WINDOW: usize = 2;

/// The bit of an `attributive` or `attributive-head` group number (the value column:
/// a whole number from 0 to 31).
fn attributive_group(value: f32) -> Option<u32> {
    (value.fract() == 0.0 && (0.0..32.0).contains(&value)).then(|| 1u32 << (value as u32))
}

/// The parse error of a bad attributive group number.
fn group_error(value: f32) -> String {
    format!("attributive group {value} is not a whole number from 0 to 31")
}

/// One parsed `term<TAB>score[<TAB>lang]` line.
pub(crate) struct TsvEntry {
    pub term: String,
    pub score: f32,
    pub lang: Lang,
}

/// The data rows of a tab-separated data file (blank lines and `#` comments skipped,
/// a trailing `\r` removed), each with a function that makes the row's parse error
/// (naming `origin` and the 1-based line).
fn data_rows<'t>(
    text: &'t str,
    origin: &'t str,
) -> impl Iterator<Item = (&'t str, impl Fn(String) -> SentimentError + 't)> {
    text.lines().enumerate().filter_map(move |(no, line)| {
        let line = line.trim_end_matches('\r');
        let bad = move |reason: String| SentimentError::Parse {
            path: origin.to_owned(),
            line: no + 1,
            reason,
        };
        (!(line.trim().is_empty() || line.starts_with('#'))).then_some((line, bad))
    })
}

/// Parses a valence TSV (`term<TAB>score[<TAB>lang]`, `#` comments, blank lines). VADER's
/// own file (`token<TAB>mean<TAB>sd<TAB>ratings`) parses too: a third column that is not a
/// language code is ignored. Errors name the file and the line.
pub(crate) fn parse_tsv(text: &str, origin: &str) -> Result<Vec<TsvEntry>, SentimentError> {
    let mut out = Vec::new();
    for (line, bad) in data_rows(text, origin) {
        let mut cols = line.split('\t');
        let term = cols.next().unwrap_or("");
        let score_s = cols
            .next()
            .ok_or_else(|| bad("expected term<TAB>score".into()))?;
        let score: f32 = score_s
            .trim()
            .parse()
            .map_err(|_| bad(format!("score {score_s:?} is not a number")))?;
        if !score.is_finite() {
            return Err(bad(format!("score {score_s:?} is not finite")));
        }
        if score.abs() > MAX_ABS_SCORE {
            return Err(bad(format!(
                "score {score_s:?} is outside ±{MAX_ABS_SCORE} (the shipped scales are ±4 and ±5)"
            )));
        }
        let norm = normalize_term(term);
        if norm.is_empty() {
            return Err(bad("empty term".into()));
        }
        let lang = match cols.next().map(str::trim) {
            Some(code)
                if !code.is_empty()
                    && code.len() <= 8
                    && !code.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '[') =>
            {
                Lang::from_code(code).ok_or_else(|| bad(format!("unknown language {code:?}")))?
            }
            _ => infer_lang(&norm),
        };
        // Emoticons keep their case (":D" vs ":d").
        let term = if is_wordlike(&norm) {
            norm
        } else {
            lang::normalize(term.trim())
        };
        out.push(TsvEntry { term, score, lang });
    }
    Ok(out)
}

/// Parses a modifier file (`kind<TAB>term<TAB>value`); kinds: `neg`, `neg-weak`,
/// `degree`, `contrast`, `concessive`, `irrealis`, `excess` (value: the
/// valence given to a following property word), `property`, `rhetorical`, `morpheme`
/// (one character and its valence), `verb-sense` and `subject` (see
/// [`LangResources::verb_senses`]), `neutral` (see [`LangResources::neutral`]),
/// `function` (two words, see [`LangResources::function_after`]), `function-initial`
/// (see [`LangResources::function_initial`]), `contrast-initial`,
/// `neg-additive`, `neg-coord` (see [`LangResources::neg_coord`]), `neg-report` (see
/// [`LangResources::neg_report`]), `neg-subject`, `neg-subject-prep`, `neg-subject-end`,
/// `neg-subject-stop`, `neg-compare`, `contrast-additive`, `neg-prefix`, `neg-raising` and its frame
/// `neg-raising-subject`, `neg-raising-aux`, `neg-raising-neg`, `neg-raising-stop` (see
/// [`LangResources::contrast_initial`], [`LangResources::neg_additive`],
/// [`LangResources::contrast_additive`], [`LangResources::neg_prefix`],
/// [`LangResources::neg_raising`], [`LangResources::neg_raising_subject`]),
/// `adverbial`, `adverbial-stop` (see [`LangResources::adverbial`]), `result-word` and
/// `result-cue` (see [`LangResources::result_words`]), `attributive` and
/// `attributive-head` (see [`LangResources::attributive`]), `determiner`,
/// `determiner-head` (see [`LangResources::determiners`]) and `determiner-bound` (see
/// [`LangResources::determiner_bounds`]).
pub(crate) fn load_modifiers(
    res: &mut LangResources,
    text: &str,
    origin: &str,
) -> Result<(), SentimentError> {
    for (line, bad) in data_rows(text, origin) {
        let mut cols = line.split('\t');
        let (Some(kind), Some(term)) = (cols.next(), cols.next()) else {
            return Err(bad("expected kind<TAB>term<TAB>value".into()));
        };
        let value: f32 = match cols.next() {
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| bad(format!("value {v:?} is not a number")))?,
            None => 0.0,
        };
        let term: Box<str> = normalize_term(term).into();
        match kind.trim() {
            "neg" => {
                res.negators.insert(term);
            }
            "degree" => {
                res.intensifiers.insert(term, value);
            }
            "neg-weak" => {
                res.negators.insert(term.clone());
                res.weak_negators.insert(term);
            }
            "contrast" => {
                res.contrast.insert(term);
            }
            "contrast-initial" => {
                res.contrast.insert(term.clone());
                res.contrast_initial.insert(term);
            }
            "neg-additive" => {
                res.neg_additive.insert(term);
            }
            "neg-coord" => {
                res.neg_coord.insert(term);
            }
            "neg-report" => {
                res.neg_report.insert(term);
            }
            "neg-subject" => {
                res.neg_subject.insert(term);
            }
            "neg-subject-prep" => {
                res.neg_subject_prep.insert(term);
            }
            "neg-subject-end" => {
                res.neg_subject_end.insert(term);
            }
            "neg-subject-stop" => {
                res.neg_subject_stop.insert(term);
            }
            "neg-compare" => {
                res.neg_compare.insert(term);
            }
            "neg-raising" => {
                res.neg_raising.insert(term);
            }
            "neg-raising-subject" => {
                res.neg_raising_subject.insert(term);
            }
            "neg-raising-aux" => {
                res.neg_raising_aux.insert(term);
            }
            "neg-raising-neg" => {
                res.neg_raising_neg.insert(term);
            }
            "neg-raising-stop" => {
                res.neg_raising_stop.insert(term);
            }
            "neg-prefix" => {
                res.negators.insert(term.clone());
                res.neg_prefix.insert(term);
            }
            "contrast-additive" => {
                res.contrast_additive.insert(term);
            }
            "adverbial" => {
                res.context_words.insert(term.clone());
                res.adverbial.insert(term);
            }
            "adverbial-stop" => {
                res.adverbial_stop.insert(term);
            }
            "result-word" => {
                res.context_words.insert(term.clone());
                res.result_words.insert(term);
            }
            "result-cue" => {
                res.result_cues.insert(term);
            }
            "attributive" => {
                let group = attributive_group(value).ok_or_else(|| bad(group_error(value)))?;
                res.context_words.insert(term.clone());
                *res.attributive.entry(term).or_insert(0) |= group;
            }
            "attributive-head" => {
                let group = attributive_group(value).ok_or_else(|| bad(group_error(value)))?;
                *res.attributive_heads.entry(term).or_insert(0) |= group;
            }
            "determiner" => {
                res.determiners.insert(term);
            }
            "determiner-head" => {
                res.determiner_heads.insert(term);
            }
            "determiner-bound" => {
                res.determiner_bounds.insert(term);
            }
            "concessive" => {
                res.concessive.insert(term);
            }
            "irrealis" => {
                res.irrealis.insert(term);
            }
            "excess" => {
                res.excess.insert(term, value);
            }
            "property" => {
                res.property.insert(term);
            }
            "morpheme" => {
                let mut cs = term.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => {
                        res.morphemes.insert(c, value);
                    }
                    _ => return Err(bad(format!("morpheme {term:?} is not one character"))),
                }
            }
            "rhetorical" => {
                res.rhetorical.insert(term);
            }
            "verb-sense" => {
                res.verb_senses.insert(term);
            }
            "subject" => {
                res.subjects.insert(term);
            }
            "neutral" => {
                res.neutral.insert(term);
            }
            "function" => {
                let mut words = term.split(' ').filter(|w| !w.is_empty());
                match (words.next(), words.next(), words.next()) {
                    (Some(a), Some(b), None) => res.function_after.push((a.into(), b.into())),
                    _ => return Err(bad(format!("function {term:?} is not two words"))),
                }
            }
            "function-initial" => {
                let mut words = term.split(' ').filter(|w| !w.is_empty());
                match (words.next(), words.next(), words.next()) {
                    (Some(a), Some(b), None) => res.function_initial.push((a.into(), b.into())),
                    _ => return Err(bad(format!("function-initial {term:?} is not two words"))),
                }
            }
            other => return Err(bad(format!("unknown kind {other:?}"))),
        }
    }
    Ok(())
}

/// Parses the news-sense file (`kind<TAB>term`, language from the script; see
/// `data/lexicons/news-senses.tsv`) and applies it to both languages' resources:
/// `none` removes the term's valence and marks it [`LangResources::neutral`] (so the
/// Chinese decomposition and character back-off leave it alone); `topic` multiplies
/// the valence the term has, if any, by `topic_weight`.
pub(crate) fn apply_senses(
    zh: &mut LangResources,
    en: &mut LangResources,
    text: &str,
    origin: &str,
    topic_weight: f32,
) -> Result<(), SentimentError> {
    for (line, bad) in data_rows(text, origin) {
        let mut cols = line.split('\t');
        let (Some(kind), Some(term)) = (cols.next(), cols.next()) else {
            return Err(bad("expected kind<TAB>term".into()));
        };
        let term = normalize_term(term);
        if term.is_empty() {
            return Err(bad("empty term".into()));
        }
        let r = if infer_lang(&term) == Lang::Zh {
            &mut *zh
        } else {
            &mut *en
        };
        match kind.trim() {
            "none" => {
                r.valence.remove(term.as_str());
                r.neutral.insert(term.into_boxed_str());
            }
            "topic" => {
                if let Some(v) = r.valence.get_mut(term.as_str()) {
                    *v *= topic_weight;
                }
            }
            other => return Err(bad(format!("unknown kind {other:?}"))),
        }
    }
    Ok(())
}
