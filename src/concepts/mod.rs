//! Bilingual concepts: a glossary that maps Chinese and English surface forms to one
//! concept, and a matcher that finds those concepts in tokenized text.
//!
//! A *concept* (`mining`, `hash_rate`, `crackdown`, `kazakhstan` …) has a stable id, a
//! category, an English and a Chinese label, and surface forms in both languages:
//! `mining_farm` ← 矿场, 矿厂, mining farm, mining farms, mines. Counting concepts instead
//! of words lets a Chinese-language group and an English-language group be compared on
//! the same scale.
//!
//! ```
//! use duibi::concepts::{ConceptMatcher, Glossary};
//! use duibi::tokenize::Tokenizer;
//!
//! let glossary = Glossary::shipped();
//! let tok = Tokenizer::builder().words(glossary.zh_words()).build().unwrap();
//! let matcher = ConceptMatcher::new(&glossary, &tok);
//!
//! let (_, buf) = tok.tokenize("監管整頓礦場 — the hash rate moved to Texas");
//! let mut hits = Vec::new();
//! matcher.find(&buf, &mut hits);
//! let ids: Vec<&str> = hits.iter().map(|h| matcher.id(h.concept)).collect();
//! assert_eq!(ids, ["regulation", "crackdown", "mining_farm", "hash_rate", "texas"]);
//! // "hash rate" is one hit covering two tokens.
//! assert_eq!(hits[3].last - hits[3].first, 1);
//! ```
//!
//! # Glossary files
//!
//! duibi ships a curated glossary for the 2021 crypto-mining story
//! (`data/concepts/default.tsv`, [`Glossary::shipped`]); users add their own with
//! [`Glossary::from_path`] and [`Glossary::merge`]. Two formats are accepted.
//!
//! **TSV** (any extension but `.toml`): one concept a line, six tab-separated columns
//! (shown as `→`)
//!
//! ```text
//! id→category→label_en→label_zh→forms_zh→forms_en
//! mining_farm→mining→mining farm→矿场→矿场|矿厂→mining farm|mining farms|mines
//! ```
//!
//! * forms are separated by `|`; surrounding spaces and empty items are ignored;
//! * a first line whose first column is `id` is a header and is skipped; blank lines and
//!   lines starting with `#` are ignored; a missing sixth column means "no English forms";
//! * `category` defaults to `other`, `label_en` to the id and `label_zh` to the first
//!   Chinese form (or the English label) when left empty.
//!
//! **TOML**: an array of `[[concept]]` tables with the same fields (unknown keys are errors):
//!
//! ```toml
//! [[concept]]
//! id = "mining_farm"
//! category = "mining"
//! label_en = "mining farm"
//! label_zh = "矿场"
//! forms_zh = ["矿场", "矿厂"]
//! forms_en = ["mining farm", "mining farms", "mines"]
//! ```
//!
//! In both formats every concept needs at least one form, ids are unique, and one form
//! may not belong to two concepts of the same file: these are errors, reported with the
//! file name and line number (`user.tsv:7: …`).
//!
//! # Writing forms
//!
//! * **Chinese**: write Simplified characters. Forms and text are both converted to
//!   Simplified ([`crate::lang::to_simplified_in_place`]), so `監管` in a Traditional text
//!   matches the form `监管`; Traditional forms in a glossary work as well.
//! * **English**: case does not matter. There is no stemming: write plurals and
//!   inflections out (`miner|miners`, `ban|bans|banned`). The only automatic variant is
//!   the possessive: a form whose last word ends in a Latin letter also matches with
//!   `'s` or `’s` on that word (`China's`, `Bitcoin’s`).
//! * Forms are cut with the same [`Tokenizer`](crate::tokenize::Tokenizer) as the text, so a multi-word form
//!   (`mining farm`, `proof of work`) matches the same token sequence in the text.
//!   Hyphens and punctuation are not tokens: `hash-rate` and `hash rate` are one form.
//!
//! # Matching
//!
//! [`ConceptMatcher::find`] reports **leftmost-longest, non-overlapping** matches: at each
//! token it takes the longest form starting there, then continues after it, so
//! `mining farm` is one hit of `mining_farm`, not `mining` + a stray `farm`. Rules:
//!
//! * Chinese is matched on *characters*, not on jieba's cut: consecutive Chinese tokens
//!   are joined before comparison, so the form `虚拟货币` matches whether the text was cut
//!   as `虚拟货币` or `虚拟 + 货币`. A match must still start and end at token
//!   boundaries (`矿场主` does not contain the form `矿场`). Adding the glossary's
//!   Chinese words to jieba ([`Glossary::zh_words`] with
//!   [`crate::tokenize::TokenizerBuilder::words`]) keeps domain words whole for the
//!   term tables, but is not needed for matching.
//! * Other tokens are compared term by term (lowercased, as the tokenizer makes them).
//! * Stopword tokens are **not** skipped: they take part in matching like any token, so
//!   a form matches only the exact contiguous sequence (`mining and farm` is not
//!   `mining farm`; `proof of work` needs its `of`). Write forms without a leading
//!   article: `fed`, not `the Fed`.
//! * A match does not run across punctuation: two Chinese tokens join only when they
//!   touch, other tokens only when at most one byte (a space, a hyphen) separates them —
//!   so `mining, farm`, `mining. Farm` or `矿，场` are no match.
//!
//! Hits give token indices **inclusive at both ends**: `buf.tokens()[hit.first as
//! usize..=hit.last as usize]`.
//!
//! When two concepts end up with the same form after normalization (possible only across
//! merged glossaries or when two spellings tokenize alike), the concept that comes first
//! in the glossary keeps it; [`ConceptMatcher::conflicts`] lists those cases.
//!
//! | job | module |
//! |---|---|
//! | one concept, form normalization | [`concept`] |
//! | the glossary: add, merge, look up | [`glossary`] |
//! | glossary files (shipped, TSV, TOML) | [`files`] |
//! | the matcher (byte trie over cut forms) | [`matcher`] |

pub mod concept;
pub mod files;
pub mod glossary;
pub mod matcher;

pub use concept::{Concept, ConceptInfo};
pub use glossary::{Glossary, GlossaryError, MergeMode};
pub use matcher::{ConceptHit, ConceptMatcher, FormConflict};
pub(crate) use matcher::{FormCuts, StartNode};

#[cfg(test)]
mod tests;
