//! Dictionaries: user dictionaries read and checked line by line, and jieba's default
//! dictionary with the domain, user and extra words added to it (`Prepared` is
//! everything but the default dictionary, so the two can load on different threads).
//!
//! ```
//! use std::io::Write;
//! let mut f = tempfile::NamedTempFile::new().unwrap();
//! writeln!(f, "礦機託管 10 n").unwrap();
//! let tok = duibi::tokenize::Tokenizer::builder().user_dict(f.path()).build().unwrap();
//! assert!(tok.terms_of("矿机托管业务").iter().any(|(t, _)| t == "矿机托管"));
//! ```

use super::stopwords::Stopwords;
use super::{Inner, TokenizeError, Tokenizer};
use crate::lang::{self, Lang, LangDetector};
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

/// Reads a user dictionary, checking it line by line so that a bad line is reported
/// with its number; returns it as jieba's `word [freq [tag]]` lines with the words in
/// Simplified characters.
pub(super) fn read_user_dict(p: &Path) -> Result<String, TokenizeError> {
    let err = |reason: String| TokenizeError::UserDict {
        path: p.display().to_string(),
        reason,
    };
    let f = std::fs::File::open(p).map_err(|e| err(e.to_string()))?;
    let mut r = std::io::BufReader::new(f);
    let mut text = String::new();
    let mut line = String::new();
    let mut n = 0usize;
    loop {
        line.clear();
        let read = r.read_line(&mut line).map_err(|e| err(e.to_string()))?;
        if read == 0 {
            break;
        }
        n += 1;
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        if let Some(freq) = parts.next() {
            match freq.parse::<u64>() {
                Err(_) if !freq.bytes().all(|b| b.is_ascii_digit()) => {
                    return Err(err(format!("line {n}: frequency {freq:?} is not a number")));
                }
                Ok(f) if f <= crate::config::MAX_USER_DICT_FREQ => {}
                _ => {
                    return Err(err(format!(
                        "line {n}: frequency {freq} is above the largest accepted, {}",
                        crate::config::MAX_USER_DICT_FREQ
                    )));
                }
            }
        }
        let mut w = word.to_owned();
        lang::to_simplified_in_place(&mut w);
        text.push_str(&w);
        for rest in line.split_whitespace().skip(1) {
            text.push(' ');
            text.push_str(rest);
        }
        text.push('\n');
    }
    Ok(text)
}

/// A tokenizer's resources other than jieba's default dictionary, ready to be added to
/// it in the order [`TokenizerBuilder::build`] always used: user dictionaries, then the
/// shipped domain words, then the extra words.
pub(crate) struct Prepared {
    /// (path, checked text) of each user dictionary.
    pub(super) user_dicts: Vec<(String, String)>,
    /// Normalized, Simplified, all-Han words to add unless jieba has them.
    pub(super) words: Vec<String>,
    pub(super) hmm: bool,
    pub(super) stopwords: Stopwords,
    pub(super) detector: LangDetector,
}

impl Prepared {
    /// The terms [`Tokenizer::terms_of`] will give for `phrase` once the dictionary is
    /// loaded, when they do not depend on it (the phrase has no Chinese run); `None`
    /// when they do. `dictless` is from [`Prepared::dictless`].
    pub(crate) fn terms_without_dict(
        &self,
        dictless: &Tokenizer,
        phrase: &str,
    ) -> Option<Vec<(String, Lang)>> {
        let text = lang::normalize(phrase);
        if self.detector.runs(&text).iter().any(|r| r.lang == Lang::Zh) {
            return None;
        }
        Some(dictless.terms_of(phrase))
    }

    /// This tokenizer with an empty jieba dictionary: right for text without Chinese
    /// runs only (see [`Prepared::terms_without_dict`]).
    pub(crate) fn dictless(&self) -> Tokenizer {
        Tokenizer {
            inner: Arc::new(Inner {
                jieba: jieba_rs::Jieba::empty(),
                hmm: self.hmm,
                stopwords: self.stopwords.clone(),
                detector: self.detector.clone(),
            }),
        }
    }

    /// Adds the resources to jieba's default dictionary from [`BaseDict::load`]. The
    /// result equals that of [`TokenizerBuilder::build`].
    pub(crate) fn finish_on(self, base: BaseDict) -> Result<Tokenizer, TokenizeError> {
        self.finish(base.0)
    }

    pub(super) fn finish(self, mut jieba: jieba_rs::Jieba) -> Result<Tokenizer, TokenizeError> {
        for (path, text) in &self.user_dicts {
            jieba
                .load_dict(&mut text.as_bytes())
                .map_err(|e| TokenizeError::UserDict {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
        }
        for w in &self.words {
            if !jieba.has_word(w) {
                jieba.add_word(w, None, None);
            }
        }
        Ok(Tokenizer {
            inner: Arc::new(Inner {
                jieba,
                hmm: self.hmm,
                stopwords: self.stopwords,
                detector: self.detector,
            }),
        })
    }
}

/// jieba's default dictionary, loaded (the larger part of start-up: about 150 ms) apart
/// from the rest of a tokenizer, so that the rest can be prepared on another thread
/// meanwhile.
pub(crate) struct BaseDict(jieba_rs::Jieba);

impl BaseDict {
    /// Loads jieba's default dictionary.
    pub(crate) fn load() -> Self {
        BaseDict(jieba_rs::Jieba::new())
    }
}
