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

use super::segment::{entries, Scratch, Segmenter, Unfit, SHIPPED_PREFIXES};
use super::stopwords::Stopwords;
use super::{Cutter, Inner, TokenizeError, Tokenizer};
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
/// it in the order [`TokenizerBuilder::build`](super::TokenizerBuilder::build) always used: user dictionaries, then the
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
                cutter: Cutter::Jieba(Box::new(jieba_rs::Jieba::empty())),
                hmm: self.hmm,
                stopwords: self.stopwords.clone(),
                detector: self.detector.clone(),
            }),
        }
    }

    /// Adds the resources to the shipped dictionary from [`BaseDict::load_for`]. The
    /// result equals that of [`TokenizerBuilder::build`](super::TokenizerBuilder::build).
    ///
    /// Without the HMM the tokenizer cuts with a [`Segmenter`] and no
    /// `jieba_rs::Jieba` is built (unless the dictionaries are too large for the
    /// segmenter's index); with it, with jieba (built here if `base` has none).
    pub(crate) fn finish_on(self, base: BaseDict) -> Result<Tokenizer, TokenizeError> {
        let (jieba, seg) = match base.0 {
            Base::Jieba(j) => (Some(j), None),
            Base::Own(s) => (None, Some(s)),
        };
        let own = if self.hmm { None } else { self.segmenter(seg) };
        let cutter = match own {
            Some(seg) => Cutter::Own(seg),
            None => {
                let jieba = jieba.map_or_else(load_jieba, |j| *j);
                Cutter::Jieba(Box::new(self.load_into(jieba)?))
            }
        };
        Ok(Tokenizer {
            inner: Arc::new(Inner {
                cutter,
                hmm: self.hmm,
                stopwords: self.stopwords,
                detector: self.detector,
            }),
        })
    }

    /// `seg` (the shipped dictionary's segmenter, or `None` to load it) with the user
    /// dictionaries and the words added as [`Prepared::load_into`] adds them to jieba;
    /// `None` when they do not fit its index. A full table is built again larger.
    pub(super) fn segmenter(&self, seg: Option<Segmenter>) -> Option<Segmenter> {
        let mut room = SHIPPED_PREFIXES;
        let mut seg = match seg {
            Some(s) => s,
            None => shipped_segmenter(room).ok()?,
        };
        loop {
            match self.extend(&mut seg) {
                Ok(()) => return Some(seg),
                Err(Unfit::Full) => {
                    room = room.saturating_mul(2);
                    seg = shipped_segmenter(room).ok()?;
                }
                Err(Unfit::TooLarge) => return None,
            }
        }
    }

    /// Adds the user dictionaries (jieba's `load_dict`: `word [freq [tag]]` per line,
    /// split at Unicode whitespace, a missing frequency 0) and then the words jieba
    /// does not have (jieba's `add_word` without a frequency) to `seg`.
    fn extend(&self, seg: &mut Segmenter) -> Result<(), Unfit> {
        for (_, text) in &self.user_dicts {
            for line in text.split('\n') {
                let mut parts = line.split_whitespace();
                let Some(word) = parts.next() else { continue };
                // [`read_user_dict`] refused any frequency that is not digits or is
                // above `MAX_USER_DICT_FREQ`, so each one here parses.
                let freq = parts.next().and_then(|f| f.parse().ok()).unwrap_or(0);
                seg.insert(word, freq)?;
            }
            seg.settle();
        }
        let mut scratch = Scratch::default();
        for w in &self.words {
            seg.add_word(w, &mut scratch)?;
        }
        Ok(())
    }

    /// Loads the user dictionaries and the words into jieba, in that order (a word
    /// jieba has already is not added; the others take the frequency it suggests).
    pub(super) fn load_into(
        &self,
        mut jieba: jieba_rs::Jieba,
    ) -> Result<jieba_rs::Jieba, TokenizeError> {
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
        Ok(jieba)
    }
}

/// jieba's dictionary (`data/jieba/dict.txt`: jieba-rs 0.11's `dict.txt`, unchanged),
/// shipped as plain text so that loading it needs no decompression.
const JIEBA_DICT: &str = include_str!("../../data/jieba/dict.txt");

/// The segmenter of [`JIEBA_DICT`] with room for [`SHIPPED_PREFIXES`], built by
/// `build.rs` with the code the run-time build uses and written by
/// [`Segmenter::to_bytes`]; empty when the build did not make it (cross-compiled: the
/// logarithms would be the build machine's), and then it is built at run time.
const SHIPPED_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shipped_segmenter.bin"));

/// jieba's dictionary, loaded (the larger part of start-up) apart from the rest of a
/// tokenizer, so that the rest can be prepared on another thread meanwhile.
pub(crate) struct BaseDict(Base);

/// What [`BaseDict`] holds.
enum Base {
    /// jieba, for a tokenizer with the HMM.
    Jieba(Box<jieba_rs::Jieba>),
    /// The segmenter, for one without.
    Own(Segmenter),
}

impl BaseDict {
    /// The dictionary for a tokenizer without jieba's HMM (the default): the
    /// segmenter of the shipped dictionary.
    #[cfg(test)]
    pub(crate) fn load() -> Self {
        Self::load_for(false)
    }

    /// The dictionary for a tokenizer with jieba's HMM on or off: jieba's, or the
    /// segmenter's. ([`Prepared::finish_on`] takes either, and builds what it lacks.)
    pub(crate) fn load_for(hmm: bool) -> Self {
        if !hmm {
            // (the shipped dictionary always fits: a test loads it)
            if let Ok(seg) = shipped_segmenter(SHIPPED_PREFIXES) {
                return BaseDict(Base::Own(seg));
            }
        }
        BaseDict(Base::Jieba(Box::new(load_jieba())))
    }
}

/// The segmenter of the shipped dictionary, with room for `room` prefixes: read from
/// [`SHIPPED_TABLE`] when it has that room (copied into memory of its own: a table
/// read in place would have ordinary pages, and the cut would miss the TLB), built
/// from the entries otherwise.
fn shipped_segmenter(room: usize) -> Result<Segmenter, Unfit> {
    if room == SHIPPED_PREFIXES {
        if let Some(seg) = Segmenter::from_bytes(SHIPPED_TABLE) {
            return Ok(seg);
        }
    }
    with_shipped_entries(|entries| Segmenter::of_entries(room, entries.map(|(w, f, _)| (w, f))))
}

/// Loads jieba's dictionary: the entries of jieba-rs's embedded default in its
/// order, so the same cuts.
///
/// Each entry goes in through [`jieba_rs::Jieba::add_word`], which leaves jieba as
/// [`jieba_rs::Jieba::load_dict`] would on the same lines (same records in the same
/// order, same total) but skips its per-line copy, UTF-8 check and Unicode
/// whitespace split: about a quarter fewer instructions. The tags go in too although
/// no cut reads them: an empty tag costs more (glibc's `memcmp` of the empty strings
/// jieba interns it as takes a slow path: a third of the load's time).
pub(super) fn load_jieba() -> jieba_rs::Jieba {
    let mut jieba = jieba_rs::Jieba::empty();
    with_shipped_entries(|entries| {
        for (word, freq, tag) in entries {
            jieba.add_word(word, Some(freq), Some(tag));
        }
    });
    jieba
}

/// An entry of [`JIEBA_DICT`]: word, frequency, tag.
type Entry = (&'static str, usize, &'static str);

/// Hands `add` the entries of [`JIEBA_DICT`] in order. The lines are split on a
/// second thread, a chunk at a time, while this one takes the entries (about a
/// quarter of the segmenter's load, a tenth of jieba's, comes off this thread).
fn with_shipped_entries<R>(
    add: impl FnOnce(std::iter::Flatten<std::sync::mpsc::IntoIter<Vec<Entry>>>) -> R,
) -> R {
    /// Entries per chunk handed from the splitting thread.
    const CHUNK: usize = 8192;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        scope.spawn(move || {
            let mut lines = entries(JIEBA_DICT);
            loop {
                let chunk: Vec<_> = lines.by_ref().take(CHUNK).collect();
                // Stops at the end, or when `add` stopped taking entries.
                if chunk.is_empty() || tx.send(chunk).is_err() {
                    break;
                }
            }
        });
        add(rx.into_iter().flatten())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chinese text to cut: the sample corpus's domestic documents (those in UTF-8).
    fn sample_text() -> String {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/mining-2021/domestic");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    }

    #[test]
    fn shipped_dictionary_is_jiebas_default() {
        // jieba-rs's embedded dictionary (its `default-dict` feature is on for tests
        // only): the shipped one must hold the same entries, so cut every text alike.
        let ours = load_jieba();
        let default = jieba_rs::Jieba::new();
        // Entry count and total frequency.
        assert_eq!(format!("{ours:?}"), format!("{default:?}"));
        // Every word, with its frequency (a word's suggested frequency is at least
        // its own).
        for (word, freq, _) in entries(JIEBA_DICT) {
            assert!(default.has_word(word), "{word}");
            assert_eq!(
                ours.suggest_freq(word),
                default.suggest_freq(word),
                "{word}"
            );
            assert!(ours.suggest_freq(word) >= freq, "{word}");
        }
        // The sample corpus, and every seventh dictionary word run together (words
        // that compete with their neighbours' characters).
        let mut text = sample_text();
        let han = text
            .chars()
            .filter(|&c| lang::script_of(c) == Some(lang::Script::Han));
        assert!(han.count() > 5_000);
        text.extend(entries(JIEBA_DICT).step_by(7).map(|(w, _, _)| w));
        for hmm in [false, true] {
            let words = |j: &jieba_rs::Jieba| -> Vec<String> {
                j.cut(&text, hmm)
                    .iter()
                    .map(|t| t.word.to_owned())
                    .collect()
            };
            assert_eq!(words(&ours), words(&default), "hmm {hmm}");
        }
        let tags = |j: &jieba_rs::Jieba| -> Vec<(String, String)> {
            j.tag(&text, false)
                .iter()
                .map(|t| (t.word.to_owned(), t.tag.to_owned()))
                .collect()
        };
        assert_eq!(tags(&ours), tags(&default));
    }

    #[test]
    fn the_shipped_prefixes_are_counted_and_fit() {
        let seg = built_at_run_time();
        assert_eq!(seg.prefixes(), SHIPPED_PREFIXES);
        // Sized from the count: 2^20 slots, under half full.
        assert!(format!("{seg:?}").contains("slots: 1048576"), "{seg:?}");
    }

    /// The segmenter of the shipped dictionary, built from its entries.
    fn built_at_run_time() -> Segmenter {
        with_shipped_entries(|e| Segmenter::of_entries(SHIPPED_PREFIXES, e.map(|(w, f, _)| (w, f))))
            .unwrap()
    }

    #[test]
    fn the_compiled_table_is_the_one_built_at_run_time() {
        // Tests build natively, so `build.rs` made the table.
        assert!(!SHIPPED_TABLE.is_empty());
        let shipped = shipped_segmenter(SHIPPED_PREFIXES).unwrap().to_bytes();
        assert_eq!(shipped, SHIPPED_TABLE);
        assert!(shipped == built_at_run_time().to_bytes());
        // A larger table is built.
        let larger = shipped_segmenter(2 * SHIPPED_PREFIXES).unwrap();
        assert!(
            format!("{larger:?}").contains("slots: 2097152"),
            "{larger:?}"
        );
    }

    #[test]
    fn entries_reads_jiebas_line_form() {
        let got: Vec<_> = entries("一 217830 m\n一一二 11 m\nC语言 3 n\n𠀋 5 zg\n").collect();
        assert_eq!(
            got,
            [
                ("一", 217830, "m"),
                ("一一二", 11, "m"),
                ("C语言", 3, "n"),
                ("𠀋", 5, "zg")
            ]
        );
        assert_eq!(entries(JIEBA_DICT).count(), JIEBA_DICT.lines().count());
    }

    #[test]
    #[should_panic(expected = "bad frequency")]
    fn entries_rejects_a_line_without_a_frequency() {
        entries("一 m\n").for_each(drop);
    }
}
