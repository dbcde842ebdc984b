//! The sentiment model: shipped lexicons and user files loaded into per-language
//! resources, and the entry points that score a text.
//!
//! ```
//! use duibi::sentiment::SentimentModel;
//! use duibi::tokenize::Tokenizer;
//! let m = SentimentModel::builder().en_afinn(false).build().unwrap();
//! assert!(m.score_text(&Tokenizer::builder().build().unwrap(), "服务非常好，下次还来！").score > 0.3);
//! ```

use super::lexicon::{self, read_any_encoding, LangParams, LangResources};
use super::{
    DocSentiment, Explanation, Mode, Polarity, ScaleMap, SentimentError, AFINN_EN_SCALE,
    WORD_LIST_SCORE,
};
use crate::lang::Lang;
use crate::tokenize::Tokenizer;
use std::path::{Path, PathBuf};

const VADER: &str = include_str!("../../data/lexicons/vader_lexicon.txt");
const AFINN_EN: &str = include_str!("../../data/lexicons/AFINN-en-165.txt");
const EN_DOMAIN: &str = include_str!("../../data/lexicons/en-domain.tsv");
const EN_MODIFIERS: &str = include_str!("../../data/lexicons/en-modifiers.tsv");
const ZH_PROJECTED: &str = include_str!("../../data/lexicons/zh-cedict-projected.tsv");
const ZH_AFINN: &str = include_str!("../../data/lexicons/zh-afinn-clean.tsv");
const ZH_CORE: &str = include_str!("../../data/lexicons/zh-core.tsv");
const ZH_PARALLEL: &str = include_str!("../../data/lexicons/zh-parallel.tsv");
const ZH_PARALLEL_FIT: &str = include_str!("../../data/lexicons/zh-parallel-fit.tsv");
const ZH_EQUIVALENTS: &str = include_str!("../../data/lexicons/zh-equivalents.tsv");
const ZH_MODIFIERS: &str = include_str!("../../data/lexicons/zh-modifiers.tsv");
const NEWS_SENSES: &str = include_str!("../../data/lexicons/news-senses.tsv");

enum Source {
    Tsv(PathBuf, Mode),
    WordList(PathBuf, Polarity, Lang),
}

/// Builder for [`SentimentModel`].
pub struct SentimentModelBuilder {
    shipped: bool,
    en_afinn: bool,
    zh_afinn: bool,
    news_senses: bool,
    sources: Vec<Source>,
    zh_params: LangParams,
    en_params: LangParams,
    scale: ScaleMap,
}

impl SentimentModelBuilder {
    /// The map that puts both languages' sentence scores on one scale (default:
    /// [`ScaleMap::default`], the fitted map unless [`crate::config::SCALE_MAP`] is off;
    /// [`ScaleMap::identity`] turns it off).
    pub fn scale_map(mut self, map: ScaleMap) -> Self {
        self.scale = map;
        self
    }

    /// Start from the shipped lexicons (default: on). Off: empty valence lexicons (the
    /// shipped negators, degree and contrast words stay), for users who bring their own.
    pub fn shipped(mut self, on: bool) -> Self {
        self.shipped = on;
        self
    }

    /// Fill the gaps of the English lexicon with AFINN-en-165 (default: on): words VADER
    /// and `en-domain.tsv` lack get AFINN's score ×[`AFINN_EN_SCALE`].
    pub fn en_afinn(mut self, on: bool) -> Self {
        self.en_afinn = on;
        self
    }

    /// Also load the cleaned AFINN-zh-165 translation under the other Chinese lexicons
    /// (default: off; it lowered the scores on both Chinese evaluation sets).
    pub fn zh_afinn(mut self, on: bool) -> Self {
        self.zh_afinn = on;
        self
    }

    /// Apply the news and commentary senses of `data/lexicons/news-senses.tsv` to the
    /// shipped lexicons (default: on): words whose common sense in news is not an opinion
    /// (`number`, 专业) lose their valence, and topic and event nouns (`emergency`, 疫情)
    /// count ×[`crate::config::TOPIC_WEIGHT`], in both languages alike.
    pub fn news_senses(mut self, on: bool) -> Self {
        self.news_senses = on;
        self
    }

    /// Adds a valence file: `term<TAB>score[<TAB>lang]` per line (UTF-8 or any encoding
    /// [`decode_any`](super::decode_any) detects; `#` comments). `lang` is `zh` or `en`; when absent it is
    /// inferred from the script (Han → zh). Traditional terms are mapped to Simplified.
    pub fn lexicon_file(mut self, path: impl AsRef<Path>, mode: Mode) -> Self {
        self.sources
            .push(Source::Tsv(path.as_ref().to_path_buf(), mode));
        self
    }

    /// Adds a plain word list (one word a line, any encoding, as NTUSD or HowNet ship
    /// them; legacy encodings are guessed, which needs more than a handful of words —
    /// prefer UTF-8 for tiny lists); entries score ±[`WORD_LIST_SCORE`] and extend the lexicon of `lang`.
    pub fn word_list(mut self, path: impl AsRef<Path>, polarity: Polarity, lang: Lang) -> Self {
        self.sources.push(Source::WordList(
            path.as_ref().to_path_buf(),
            polarity,
            lang,
        ));
        self
    }

    /// Overrides the rule parameters of a language (`zh` or `en`; others are ignored).
    pub fn params(mut self, lang: Lang, params: LangParams) -> Self {
        match lang {
            Lang::Zh => self.zh_params = params,
            Lang::En => self.en_params = params,
            _ => {}
        }
        self
    }

    /// Loads everything. Do this once and share the model (it is `Send + Sync`).
    pub fn build(self) -> Result<SentimentModel, SentimentError> {
        let mut zh = LangResources::new(self.zh_params);
        let mut en = LangResources::new(self.en_params);
        lexicon::load_modifiers(&mut zh, ZH_MODIFIERS, "data/lexicons/zh-modifiers.tsv")?;
        lexicon::load_modifiers(&mut en, EN_MODIFIERS, "data/lexicons/en-modifiers.tsv")?;
        if self.shipped {
            let mut files: Vec<(&str, &str)> = vec![("data/lexicons/vader_lexicon.txt", VADER)];
            files.push(("data/lexicons/en-domain.tsv", EN_DOMAIN));
            if self.zh_afinn {
                files.push(("data/lexicons/zh-afinn-clean.tsv", ZH_AFINN));
            }
            files.push(("data/lexicons/zh-cedict-projected.tsv", ZH_PROJECTED));
            // Frequent words the projection misses, valued by their English equivalent.
            files.push(("data/lexicons/zh-equivalents.tsv", ZH_EQUIVALENTS));
            files.push(("data/lexicons/zh-core.tsv", ZH_CORE));
            files.push(("data/lexicons/zh-parallel.tsv", ZH_PARALLEL));
            files.push(("data/lexicons/zh-parallel-fit.tsv", ZH_PARALLEL_FIT));
            for (name, text) in files {
                let entries = lexicon::parse_tsv(text, name)?;
                insert_entries(&mut zh, &mut en, entries, Mode::Extend);
            }
            if self.en_afinn {
                // Words `en-domain.tsv` removes (0: no opinion in commentary, `united`)
                // are not gaps for AFINN to fill.
                let removed: std::collections::HashSet<String> =
                    lexicon::parse_tsv(EN_DOMAIN, "data/lexicons/en-domain.tsv")?
                        .into_iter()
                        .filter(|e| e.score == 0.0)
                        .map(|e| e.term)
                        .collect();
                let name = "data/lexicons/AFINN-en-165.txt";
                for e in lexicon::parse_tsv(AFINN_EN, name)? {
                    if e.lang == Lang::En
                        && lexicon::is_wordlike(&e.term)
                        && !en.valence.contains_key(e.term.as_str())
                        && !removed.contains(&e.term)
                    {
                        en.valence
                            .insert(e.term.into_boxed_str(), e.score * AFINN_EN_SCALE);
                    }
                }
            }
            if self.news_senses {
                // After AFINN, so that a removed word is not refilled.
                lexicon::apply_senses(
                    &mut zh,
                    &mut en,
                    NEWS_SENSES,
                    "data/lexicons/news-senses.tsv",
                    crate::config::TOPIC_WEIGHT,
                )?;
            }
        }
        for src in &self.sources {
            match src {
                Source::Tsv(path, mode) => {
                    let text = read_any_encoding(path)?;
                    let entries = lexicon::parse_tsv(&text, &path.display().to_string())?;
                    insert_entries(&mut zh, &mut en, entries, *mode);
                }
                Source::WordList(path, pol, lang) => {
                    let text = read_any_encoding(path)?;
                    let score = match pol {
                        Polarity::Positive => WORD_LIST_SCORE,
                        Polarity::Negative => -WORD_LIST_SCORE,
                    };
                    let entries: Vec<lexicon::TsvEntry> = text
                        .lines()
                        .map(|l| l.trim_start_matches('\u{feff}').trim())
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(|l| lexicon::TsvEntry {
                            term: lexicon::normalize_term(l),
                            score,
                            lang: *lang,
                        })
                        .filter(|e| !e.term.is_empty())
                        .collect();
                    insert_entries(&mut zh, &mut en, entries, Mode::Extend);
                }
            }
        }
        // Modifiers carry no valence of their own in the rules (a degree word is not an
        // opinion); keep them out of the valence maps so they are not double counted.
        for r in [&mut zh, &mut en] {
            let LangResources {
                valence,
                intensifiers,
                contrast,
                concessive,
                irrealis,
                rhetorical,
                ..
            } = r;
            valence.retain(|k, _| {
                !intensifiers.contains_key(k)
                    && !contrast.contains(k)
                    && !concessive.contains(k)
                    && !irrealis.contains(k)
                    && !rhetorical.contains(k)
            });
            r.finish();
        }
        let idx = [
            super::index::TermIndex::new(&zh),
            super::index::TermIndex::new(&en),
        ];
        let emo_filter = super::emoticon::EmoFilter::new(en.emoticons.keys().map(|k| &**k));
        Ok(SentimentModel {
            zh,
            en,
            idx,
            emo_filter,
            scale: self.scale,
        })
    }
}

fn insert_entries(
    zh: &mut LangResources,
    en: &mut LangResources,
    entries: Vec<lexicon::TsvEntry>,
    mode: Mode,
) {
    if mode == Mode::Replace {
        if entries.iter().any(|e| e.lang == Lang::Zh) {
            zh.valence.clear();
            zh.emoticons.clear();
        }
        if entries.iter().any(|e| e.lang != Lang::Zh) {
            en.valence.clear();
            en.emoticons.clear();
        }
    }
    for e in entries {
        let r = if e.lang == Lang::Zh {
            &mut *zh
        } else {
            &mut *en
        };
        if lexicon::is_wordlike(&e.term) {
            if e.score == 0.0 && mode == Mode::Extend {
                // A zero in an extending file removes the entry (a neutral word is
                // no lexicon hit).
                r.valence.remove(e.term.as_str());
            } else {
                r.valence.insert(e.term.into_boxed_str(), e.score);
            }
        } else {
            r.emoticons.insert(e.term.into_boxed_str(), e.score);
        }
    }
}

/// A built sentiment model: per-language resources, shared read-only.
///
/// ```
/// use duibi::sentiment::{Label, SentimentModel};
/// use duibi::tokenize::Tokenizer;
/// let model = SentimentModel::builder().build().unwrap();
/// let tok = Tokenizer::builder().build().unwrap();
/// let (text, buf) = tok.tokenize("监管打压矿场，币价暴跌。但长期看，这是利好！");
/// let doc = model.score_document(&text, &buf);
/// assert_eq!(doc.sentences.len(), 2);
/// assert_eq!(doc.sentences[0].label, Label::Neg);
/// assert_eq!(doc.sentences[1].label, Label::Pos);
/// let json = serde_json::to_string(&doc.explain(&text)).unwrap();
/// assert!(json.contains("\"term\":\"利好\""));
/// ```
#[derive(Debug, Clone)]
pub struct SentimentModel {
    pub(super) zh: LangResources,
    pub(super) en: LangResources,
    /// One-lookup index over the word lists of zh and en (see `super::index::TermIndex`).
    pub(super) idx: [super::index::TermIndex; 2],
    /// First and last bytes of the English emoticons (see `super::emoticon::EmoFilter`).
    pub(super) emo_filter: super::emoticon::EmoFilter,
    /// The map of sentence raw sums onto one scale.
    pub(super) scale: ScaleMap,
}

impl SentimentModel {
    /// A builder with the shipped lexicons.
    pub fn builder() -> SentimentModelBuilder {
        SentimentModelBuilder {
            shipped: true,
            en_afinn: true,
            zh_afinn: false,
            news_senses: true,
            sources: Vec::new(),
            zh_params: LangParams::chinese(),
            en_params: LangParams::english(),
            scale: ScaleMap::default(),
        }
    }

    /// The map of sentence raw sums onto one scale this model applies.
    pub fn scale_map(&self) -> ScaleMap {
        self.scale
    }

    /// The resources of a language (`zh` or `en`).
    pub fn resources(&self, lang: Lang) -> Option<&LangResources> {
        match lang {
            Lang::Zh => Some(&self.zh),
            Lang::En => Some(&self.en),
            _ => None,
        }
    }

    /// Normalizes and tokenizes `raw`, then scores it. Spans in the result refer to
    /// the normalized text (`crate::lang::normalize(raw)`).
    pub fn score_text(&self, tokenizer: &Tokenizer, raw: &str) -> DocSentiment {
        let (text, buf) = tokenizer.tokenize(raw);
        self.score_document(&text, &buf)
    }

    /// [`SentimentModel::score_text`] with its [`Explanation`].
    pub fn explain_text(&self, tokenizer: &Tokenizer, raw: &str) -> Explanation {
        let (text, buf) = tokenizer.tokenize(raw);
        self.score_document(&text, &buf).explain(&text)
    }
}
