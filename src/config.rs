//! Every library default, said once.
//!
//! [`PipelineBuilder`](crate::run::PipelineBuilder)'s defaults and corpus loading
//! ([`CorpusOptions`](crate::corpus::CorpusOptions)) read these constants; a front end
//! that shows defaults (the CLI's `--help`) should read them too instead of restating
//! them.
//!
//! ```
//! use duibi::config;
//! let p = duibi::run::Pipeline::builder().build().unwrap();
//! assert_eq!(p.settings().top, config::TOP);
//! assert_eq!(p.settings().languages, config::LANGUAGES);
//! ```

use crate::corpus::date::Period;
use crate::lang::Lang;

/// Languages script runs may be assigned.
pub const LANGUAGES: &[Lang] = &[Lang::Zh, Lang::En, Lang::Ja, Lang::Ko];

/// Terms per group and language listed in the report.
pub const TOP: usize = 100;

/// Worker threads; 0 means one per core. The thread count never changes a report.
pub const THREADS: usize = 0;

/// Keyword-in-context examples per distinctive term or concept (0 turns the evidence
/// pass off).
pub const EVIDENCE: usize = 3;

/// Distinctive terms per language and direction that get evidence (by keyness rank).
pub const EVIDENCE_TERMS: u32 = 20;

/// Concepts of the comparison (most mentioned first) that get evidence.
pub const EVIDENCE_CONCEPTS: usize = 30;

/// Documents the evidence pass considers per example wanted before it picks the
/// examples of a term or concept: picking from four times as many as it shows lets it
/// spread the examples over documents and sources and skip repeated sentences, while
/// the pass still stops once every pool is filled.
pub const EVIDENCE_POOL: usize = 4;

/// Files the evidence pass reads past the point where every term and concept has
/// candidates from as many documents as it wants examples, to fill its pools of
/// [`EVIDENCE_POOL`] × examples documents (a pool of a rare term may never fill).
pub const EVIDENCE_EXTRA_FILES: usize = 256;

/// Documents whose concepts the evidence pass holds (a hash table of 16-byte entries,
/// at most about 9 MB at this many) to pass over, without tokenizing them again, the
/// documents that cannot give an example; past this many it holds none and tokenizes
/// every document it reads while a concept's pool has room, so memory stays flat.
pub const EVIDENCE_SKIP_DOCS: usize = 1 << 18;

/// Minimum number of documents a term must occur in to be tested for keyness.
pub const MIN_DOC_FREQ: u64 = 2;

/// Seed of bootstrap and permutation resampling.
pub const SEED: u64 = 20210521;

/// Bootstrap and permutation replicates.
pub const BOOTSTRAP_REPS: usize = 2000;

/// A permutation test stops after this many permutations at least as extreme as the
/// observed difference (Besag–Clifford sequential p-value, `p = 100 / permutations
/// drawn`; [`crate::stats::permutation_p_value_sequential`]). With
/// [`BOOTSTRAP_REPS`] replicates, every p-value below 101/2001 ≈ 0.05 is the full
/// run's; only tests far from significance stop early. 0 runs every replicate.
pub const PERMUTATION_STOP: usize = 100;

/// Significance level of the keyness tests (after Benjamini–Hochberg adjustment).
pub const ALPHA: f64 = 0.05;

/// Confidence level of the bootstrap intervals.
pub const LEVEL: f64 = 0.95;

/// Sentences mentioning a concept each group needs before a view calls out a
/// difference in the concept's tone.
pub const MIN_TONE_SENTENCES: u64 = 10;

/// Resampling units (sources or documents) with such sentences each group needs
/// before a view calls out a difference in the concept's tone.
pub const MIN_TONE_UNITS: u64 = 3;

/// Resampling units a group needs for its intervals and tests to mean anything: a
/// group whose documents name fewer sources than this is resampled by documents
/// instead (with a warning), and an interval over fewer units (a group of 1 to 4
/// documents) is shown as "n/a" and carries no claim. With 1 unit a bootstrap
/// interval has zero width; with 2 to 4 it takes at most 35 distinct values, too few
/// for a 95% interval.
pub const MIN_RESAMPLING_UNITS: u64 = 5;

/// Resampling units mentioning a concept that the side mentioning it more needs
/// before a view calls out a difference in the concept's rate: a rate carried by one
/// or two writers or documents says more about them than about the group.
pub const MIN_RATE_UNITS: u64 = 3;

/// Documents a distinctive term must occur in, in the group it favours, before a
/// view calls it out (the same support as [`MIN_TONE_UNITS`] asks of a tone).
pub const MIN_TERM_DOCS: u64 = 3;

/// Language-mix distance of a compared pair (half the summed differences of the two
/// groups' token shares per language: 0 when they write alike, 1 when they share no
/// language) above which the lexicons' own difference can pass for the groups' view.
/// The report then warns, and a view calls out a difference of the whole text's
/// sentiment only when a per-language row of the same measure carries it (called out
/// itself, with the same sign). On the benchmark corpus (distance 0.92) the whole
/// text differs by +0.029 while the Chinese and English rows differ by +0.005 and
/// −0.004: within each group its Chinese documents score 0.027–0.036 higher than its
/// English ones (lexicon and content together; on parallel news the Chinese side
/// reads lower, by 0.002–0.037), and 0.2 of mix carries ~0.006 of such a gap into a
/// whole-text difference.
pub const LANGUAGE_MIX_GAP: f64 = 0.2;

/// Time series granularity.
pub const PERIOD: Period = Period::Month;

/// Files larger than this many bytes are skipped with a reason (64 MiB).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// JSON Lines files of a directory larger than twice this are read this many bytes of
/// whole lines at a time (2 MiB; [`CorpusOptions::jsonl_block`](crate::corpus::CorpusOptions::jsonl_block)):
/// a directory holding one 92 MB file of 120,000 records peaks at 91 MB read this way,
/// 490 MB read whole (`tests/run_memory.rs`).
pub const JSONL_BLOCK_BYTES: usize = 2 << 20;

/// Longest sentence, in bytes, that the sentence splitter returns: a longer stretch
/// without a sentence end (text with no punctuation, hard-wrapped English with no
/// periods) is cut into pieces of at most this size, at the last whitespace or comma
/// in the second half of the piece, else at a character boundary. Every sentence
/// split (sentiment, concepts per sentence, evidence) uses it, so the work and memory
/// per sentence stay bounded. 2,000 bytes is about 670 Chinese characters or 330
/// English words, far beyond the sentences of real prose.
pub const MAX_SENTENCE_BYTES: usize = 2000;

/// Longest metadata value (title, source, url, …) the views print, in characters;
/// longer values end in `…`. The report keeps the value read (at most
/// [`Fields::MAX_VALUE_BYTES`](crate::corpus::format::Fields::MAX_VALUE_BYTES)).
pub const VIEW_META_CHARS: usize = 160;

/// Longest id of a JSON-lines record read from a stream, in bytes; a record with a
/// longer id is skipped with a reason (ids name documents in every view).
pub const MAX_ID_BYTES: usize = 1024;

/// Largest word frequency a user dictionary line may give: jieba's shipped
/// dictionary tops out at 883,634 (了) in a total of 6.0e7, so 1e7 lets a user word
/// outrank any shipped one while a frequency near the total (or u64::MAX) would change
/// how unrelated words are cut. A larger value is refused with the file and line.
pub const MAX_USER_DICT_FREQ: u64 = 10_000_000;

/// jieba's HMM for unknown words (off: higher word F1 on PKU).
pub const HMM: bool = false;

/// Distinctive terms listed per language and side (all significant ones are counted).
pub const KEYNESS_TOP: usize = 50;

/// Most mentioned concepts followed in the concept time series.
pub const TIME_CONCEPTS: usize = 12;

/// Percent of kana among the CJK letters of a text (or of one run) from which its
/// Han characters are read as Japanese: Japanese prose runs 30–50% kana, while a stray
/// kana letter in a Chinese paragraph is well under 1%.
pub const JA_KANA_PERCENT: usize = 10;

/// Special tokens (URLs, e-mail addresses, @handles, #hashtags, hashes and wallet
/// addresses, numbers, dates) kept out of term tables and keyness: footers and link
/// text are made of them, and they say nothing about what a side thinks.
pub const KEEP_SPECIAL_TOKENS: bool = false;

// Repeated text and reprints (`crate::dedupe`); the figures behind each value are in
// README "Repeated text and reprints".

/// Documents a line must be in, within one source (or among one group's documents
/// without a source, or within a whole group), before it is set aside as boilerplate.
/// Five keeps anything a couple of documents share, and every line of an article
/// printed four times (the real-looking test corpus; copies are set aside as
/// duplicates anyway); the footers there are in all 60 posts of their author.
pub const BOILERPLATE_MIN_DOCS: u64 = 5;

/// Share of that source's (or group's) documents a line must be in to be set aside.
/// On the benchmark corpus (real books, news, reviews; 7,845 documents) the most
/// repeated lines of any source are dialogue and headings ("“yes, sir.”" in 8% of one
/// novel's documents, "chapter iv" in 3%); footers and signatures are in nearly all
/// documents of their source. 0.2 leaves 2.5 times that margin and still catches a
/// footer that changed a few times over the years.
pub const BOILERPLATE_MIN_SHARE: f64 = 0.2;

/// Estimated Jaccard similarity of two documents' character shingles at or above
/// which the later one is a near-duplicate (a reprint with a line added or changed
/// stays above 0.9; different articles of one author with a shared footer stay far
/// below, and so do the benchmark corpus's documents).
pub const DUPLICATE_SIMILARITY: f64 = 0.8;

/// Hash values kept per document for near-duplicate detection (bottom-k MinHash):
/// the similarity estimate has a standard error of about 0.05 at 0.8. Documents with
/// fewer distinct shingles (under about 70 letters) are never called duplicates.
pub const SKETCH_SIZE: usize = 64;

/// Letters or digits per shingle (spaces and punctuation skipped): long enough that
/// two unrelated English texts share few shingles, short enough that a changed
/// Chinese character disturbs only a few.
pub const SHINGLE_CHARS: usize = 6;

/// Lines holding a letter or digit, at a text's head, where a labelled line
/// (责任编辑：…, 原标题：…, `Source: …`) is keyed by its label (see
/// [`crate::dedupe::passage`]): bylines, original titles and dek lines open a text.
pub const LABEL_HEAD_LINES: usize = 2;

/// The same at a text's tail: editor, source, credit and disclaimer lines close it,
/// often three in a row.
pub const LABEL_TAIL_LINES: usize = 3;

/// Lines holding a letter or digit, at a text's head, where a dateline
/// (`新华社北京6月3日电`, `BEIJING, June 3 (Reuters) -`) may open a paragraph: news pages
/// put a title, a source or date line and a byline before it. Past the first
/// [`LABEL_HEAD_LINES`], a dateline counts only when every line before it is head
/// matter (at most [`DATELINE_MAX_CHARS`] characters, no sentence end), so a dateline
/// quoted in the body is content.
pub const DATELINE_HEAD_LINES: usize = 4;

/// Longest line (characters) that can be a labelled line: credits, bylines and source
/// lines are short; a paragraph that opens with "观点：" is content.
pub const LABEL_LINE_MAX_CHARS: usize = 100;

/// Most Han characters of a label (本文来源, 免责声明, 责任编辑 are four; 8 leaves
/// room for 本文首发于公众号).
pub const LABEL_MAX_HAN: usize = 8;

/// Most words of a Latin-script label (`Additional reporting by`).
pub const LABEL_MAX_WORDS: usize = 4;

/// Longest dateline (characters) that opens a news paragraph (`新华社北京6月3日电（记者
/// 张伟）`, `SAN FRANCISCO/NEW YORK (Reuters Breakingviews) -`; see
/// [`crate::dedupe::dateline`]).
pub const DATELINE_MAX_CHARS: usize = 60;

/// Characters of a set-aside passage quoted in the report.
pub const PASSAGE_SAMPLE_CHARS: usize = 300;

/// A sketch value shared by more documents than this is not used to find candidate
/// duplicates (bounds the time of the duplicate search on any input).
pub const SKETCH_MAX_POSTINGS: usize = 4096;

/// First sketch values compared per candidate pair beyond the `u` that may differ at
/// the duplicate threshold ([`crate::dedupe::ScreenBuilder`]): a pair at or above the
/// threshold then shares at least this many of its first `u + 8` values, so pairs
/// sharing fewer are never compared in full (at 0.8: 20 values, 8 shared needed).
pub const SKETCH_PREFIX_EXTRA: usize = 8;

/// Bytes of items each external sort of the screen holds in memory before it writes
/// a run to a temporary file: a few sorts are alive at once, so the screen's memory
/// stays near a small multiple of this whatever the corpus size.
pub const SCREEN_SORT_BYTES: usize = 16 << 20;

/// Put Chinese and English sentence scores on one scale (the map of
/// [`ScaleMap::fitted`](crate::sentiment::ScaleMap::fitted)): on, because a group
/// comparison across languages should measure the writers, not the lexicons.
pub const SCALE_MAP: bool = true;

/// Factor of a positive Chinese sentence's raw sum on the English scale; fitted on the
/// 24,026 Tatoeba zh–en pairs by `tools/lexicon/fit_scale.py` (ratio of the mean raw
/// sums of the two sides over the 4,099 pairs where both are positive; refitted in
/// issue 15 round 4 after the compound back-off and `zh-parallel-fit.tsv`). Near 1: on
/// everyday sentences the two lexicons already share a scale.
pub const ZH_SCALE_POS: f32 = 1.000;

/// Factor of a negative Chinese sentence's raw sum on the English scale (fitted as
/// [`ZH_SCALE_POS`], over the 2,597 pairs where both sides are negative).
pub const ZH_SCALE_NEG: f32 = 1.029;

/// Distinct sentences with a lexicon match up to which a document's score is the
/// normalized sum of their raw scores (VADER's compound of a short text such as a tweet);
/// a longer document scores the normalized mean raw sum times this, so its score does not
/// grow with its length (issue 15); a sentence repeated word for word counts once. 2 keeps the summed compound for one- and two-sentence texts, where
/// human ratings follow it (VADER tweets r 0.856 with the plain mean, 0.872 with 2).
pub const DOC_SCORE_SENTENCES: f32 = 2.0;

/// Weight of English `like` where it is not a verb ("looks like rain", "countries like
/// China"): VADER's 1.5 × 0.12 = 0.18, which normalizes to 0.046, inside the ±0.05
/// neutral band, so such a sentence alone is labelled neutral; human raters of the
/// VADER tweets still read it as a faint positive lean (macro-F1 0.943 with 0, 0.946
/// with the full valence).
pub const NON_VERB_WEIGHT: f32 = 0.12;

/// Format of the per-document side tables (`--tables`) when none is asked for: JSON lines
/// need nothing beyond a JSON parser and match `--documents-jsonl`.
pub const TABLE_FORMAT: crate::report::TableFormat = crate::report::TableFormat::Jsonl;

/// Records per Parquet row group of a side table: bounds the memory of writing one (a
/// few MB of column buffers) while keeping row groups large enough to read quickly.
pub const PARQUET_ROW_GROUP: usize = 16_384;

/// Factor of the valence of a topic or event noun (`topic` in
/// `data/lexicons/news-senses.tsv`: emergency, poverty, 疫情, 隔离 …), in both languages:
/// news names the event and puts the tone in the words around it, and one language's
/// lexicon often scores an event its translation leaves out (应急 vs emergency). Chosen
/// on WMT21 zh–en among 0, 0.25, 0.5 and 1 (0.25: best same polarity and r; 0 lowered
/// the English tweet F1, 1 is the old behaviour).
pub const TOPIC_WEIGHT: f32 = 0.25;

/// A sentence whose only lexicon hit contributes less than this (VADER scale; 0.8 ≈ a
/// score of 0.2) is weak evidence: its hit counts ×[`WEAK_HIT_WEIGHT`], in both
/// languages. Chosen on WMT21 and Tatoeba among 0.6, 0.8, 1.0 (1.0 lowered
/// ChnSentiCorp below its floor).
pub const WEAK_HIT: f32 = 0.8;

/// Factor of a weak single hit (see [`WEAK_HIT`]): 0.1 puts such a sentence inside the
/// ±0.05 neutral band while keeping its sign (a label by sign, as the English and
/// Chinese evaluations predict, does not change).
pub const WEAK_HIT_WEIGHT: f32 = 0.1;

/// Longest Han token (in characters) the compound back-off splits into two words of at
/// least two characters, one of them scored (积极参与 = 积极 + 参与; issue 15, round 4):
/// 4–6 characters cover jieba's two-word compounds (值得一提的是); longer tokens are
/// names and set phrases. Its valence counts as much as the character back-off.
pub const COMPOUND_MAX_CHARS: usize = 6;

/// Bytes of files the scan pass of a directory run keeps (as read, in 1 MiB blocks; see
/// `run/cache.rs`) for the analysis pass, which then opens and reads again only the
/// files that did not fit. A run's peak memory grows by at most about this much over
/// reading every file twice. Measured when the cache kept loaded documents (before
/// session 12): 24 MB kept over half of the bench corpus (42 MB of files) at a peak RSS
/// of 145–148 MB at two threads; 32 MB peaked at 150–155 MB for no CPU time a
/// same-session A/B could see. Keeping bytes in blocks took about 24 MB off the peak.
pub const TEXT_CACHE_BYTES: usize = 24 << 20;

/// Bytes of per-document statistics the document store of one pool thread holds in
/// memory before it writes them, sorted by id, to a temporary file (the store's external
/// sort): what a run keeps per document then stays near this whatever the corpus size,
/// and a run of a few thousand documents never touches the disk for it. 4 MiB (about
/// 20,000 documents' statistics per thread) rather than 16: at 16 a run of 100,000
/// documents never filled it and one of 1,000,000 held it full, most of the difference
/// of their peaks (132 against 165 MB through standard input at two threads; 115
/// against 131 MB at 4 MiB); the bench corpus (7,845 documents) still sorts in memory.
pub const DOC_SORT_BYTES: usize = 4 << 20;

/// The per-document analysis asks for the vocabulary records (counts included) of the tokens
/// a block at a time (a software prefetch), this many tokens to a block, one block
/// ahead of their lookups: far enough for the requests to arrive from memory while the
/// loop works on the block between, near enough for what arrives to be still in the
/// first-level cache, and about as many requests at once as a core keeps in flight.
/// A power of two.
pub const VOCAB_PREFETCH_BLOCK: usize = 16;

/// A worker's vocabulary records and each group's statistics by term id are
/// arrays that grow with the terms met. Up to this many terms they grow as arrays
/// do; when they outgrow it, they get room for [`VOCAB_ROOM_TERMS`] at once: an
/// address range the system allocator maps for it alone (well above glibc's largest
/// threshold for that, 32 MiB), whose pages are not touched, so cost no memory, until
/// terms are written to them, instead of copying the array into fresh pages at each
/// growth, each of which the kernel would fault in and zero. (Past that room, a
/// group's statistics grow by glibc's `mremap`; the records, aligned to 64 bytes,
/// which glibc cannot resize, are copied.)
pub const VOCAB_ROOM_FROM: usize = 1 << 14;

/// The terms [`VOCAB_ROOM_FROM`]'s arrays get room for at once: 64 MiB of addresses
/// for a vocabulary's records, 40 MiB for a group's statistics; the bench corpus
/// has about 180,000 terms.
pub const VOCAB_ROOM_TERMS: usize = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every builder and options type starts from these.
    #[test]
    fn library_defaults_are_these() {
        let c = crate::compare::CompareOptions::default();
        assert_eq!(c.min_doc_freq, MIN_DOC_FREQ);
        assert_eq!(c.seed, SEED);
        assert_eq!(c.reps, BOOTSTRAP_REPS);
        assert_eq!(c.alpha, ALPHA);
        assert_eq!(c.level, LEVEL);
        assert_eq!(c.period, PERIOD);
        let o = crate::corpus::CorpusOptions::default();
        assert_eq!(o.max_file_size, MAX_FILE_SIZE);
        assert_eq!(o.jsonl_block, JSONL_BLOCK_BYTES);
    }
}
