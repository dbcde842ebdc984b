//! Evidence, before tokenizing: which documents the evidence pass can pass over
//! because they cannot give a candidate to any pool that still takes one.
//!
//! A document gives candidates only for the terms it holds as tokens and the
//! concepts the analysis found in it. Both are known without tokenizing it again:
//!
//! * A token's term is its surface in the normalized text, every character
//!   lowercased, Traditional characters made Simplified when its Chinese run has a
//!   character that is only Traditional, an English possessive dropped (see
//!   [`crate::tokenize`]). Lowercasing and [`to_simplified_char`] map one character
//!   at a time, so the term is a substring of the whole text lowercased, or (when the
//!   text has a character only Traditional) of the text made Simplified and
//!   lowercased. A document in neither of which any wanted term occurs holds none.
//! * The document store holds the concepts the analysis pass found in every document
//!   ([`StoredDoc::concepts`](crate::aggregate::docstore::StoredDoc)), in the text the
//!   evidence pass reads (duplicates skipped, set-aside passages blanked).
//!
//! So the test never passes over a document that would give a candidate: the
//! examples are those of tokenizing every document, at the cost of a normalization,
//! a lowercased copy and one multi-pattern search for the documents passed over.

use crate::report::EvidenceKind;
use crate::text::han::variant_scan;
use crate::text::to_simplified_char;
use aho_corasick::AhoCorasick;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// A stable hash of `s` (the same in every run and on every thread).
pub(super) fn hash_of(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// What the evidence pass knows of every document before tokenizing it.
pub(super) struct Prefilter {
    /// Group → the terms favouring it (sorted, distinct).
    terms: FxHashMap<String, Vec<String>>,
    /// The wanted (concept id, group) pairs, bit `k` of a mask for the `k`-th.
    concepts: Vec<(String, String)>,
    /// Hash of a document id → mask of the wanted pairs of [`Self::concepts`] its
    /// document holds (of its group); `None` when not known.
    held: Option<FxHashMap<u64, u64>>,
}

/// How a group's documents are searched for the terms whose pools have room.
enum Search {
    /// No such term.
    Nothing,
    /// One search for all of them at once.
    Terms(AhoCorasick),
    /// The search could not be built: every document may hold one.
    Unknown,
}

/// Which pools take candidates now (a snapshot, for one chunk of files).
pub(super) struct Open<'a> {
    /// Group → the search for its terms whose pools have room.
    terms: FxHashMap<&'a str, Search>,
    /// Mask of the concept pools with room.
    concepts: u64,
}

impl Prefilter {
    /// The prefilter of the wanted terms (`(term, favoured group)`) and concepts
    /// (`(concept id, group)`, bit `k` of the masks of `held` for the `k`-th: hash of
    /// a document id ([`hash_of`]) → the pairs its document holds, masks of ids
    /// sharing a hash merged; `None` when not known).
    pub(super) fn new<'t>(
        terms: impl IntoIterator<Item = (&'t str, &'t str)>,
        concepts: Vec<(String, String)>,
        held: Option<FxHashMap<u64, u64>>,
    ) -> Self {
        let mut by_group: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (term, group) in terms {
            by_group
                .entry(group.to_string())
                .or_default()
                .push(term.to_string());
        }
        for t in by_group.values_mut() {
            t.sort_unstable();
            t.dedup();
        }
        Prefilter {
            terms: by_group,
            concepts,
            held,
        }
    }

    /// Which pools have room, by `room(kind, key, group)` (examples a document may
    /// give the pool, 0 when it takes none).
    pub(super) fn open(&self, room: impl Fn(EvidenceKind, &str, &str) -> usize) -> Open<'_> {
        let terms = self
            .terms
            .iter()
            .map(|(g, terms)| {
                let open: Vec<&str> = terms
                    .iter()
                    .filter(|term| room(EvidenceKind::Term, term, g) > 0)
                    .map(String::as_str)
                    .collect();
                let search = if open.is_empty() {
                    Search::Nothing
                } else {
                    AhoCorasick::new(open).map_or(Search::Unknown, Search::Terms)
                };
                (g.as_str(), search)
            })
            .collect();
        let concepts = self
            .concepts
            .iter()
            .enumerate()
            .filter(|(_, (id, g))| room(EvidenceKind::Concept, id, g) > 0)
            .fold(0u64, |m, (k, _)| {
                m | 1u64.checked_shl(k as u32).unwrap_or(0)
            });
        Open { terms, concepts }
    }

    /// Whether the document `id` of `group` with the normalized text `text` may give a
    /// candidate to a pool open in `open` (false only when it cannot).
    pub(super) fn may_give(&self, open: &Open<'_>, group: &str, id: &str, text: &str) -> bool {
        if open.concepts != 0 {
            let mask = self
                .held
                .as_ref()
                .and_then(|h| h.get(&hash_of(id)))
                .copied()
                .unwrap_or(u64::MAX);
            if mask & open.concepts != 0 {
                return true;
            }
        }
        match open.terms.get(group) {
            None | Some(Search::Nothing) => false,
            Some(Search::Unknown) => true,
            Some(Search::Terms(search)) => {
                search.is_match(lowercase(text, false).as_str())
                    || (variant_scan(text).1 && search.is_match(lowercase(text, true).as_str()))
            }
        }
    }
}

/// `text` lowercased one character at a time ([`char::to_lowercase`]), and with
/// `simplify` made Simplified one character at a time ([`to_simplified_char`]) first:
/// every term of a token of `text` (normalized) is a substring of it without, or (when
/// `text` has a character only Traditional) with `simplify`.
///
/// The stretches between characters that change are copied whole (ASCII is
/// lowercased in the copy at the end), so that most Chinese and English text is one
/// copy and a range test per character past ASCII.
fn lowercase(text: &str, simplify: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // `text[from..]` is not copied yet; `at` is where to look for the next character
    // past ASCII (both at characters).
    let (mut from, mut at) = (0, 0);
    while let Some(i) = b
        .get(at..)
        .and_then(|r| r.iter().position(|&x| x >= 0x80))
        .map(|k| at + k)
    {
        let Some(c) = text.get(i..).and_then(|s| s.chars().next()) else {
            break;
        };
        at = i + c.len_utf8();
        let m = if simplify { to_simplified_char(c) } else { c };
        if m != c || !is_own_lowercase(m) {
            out.push_str(text.get(from..i).unwrap_or_default());
            out.extend(m.to_lowercase());
            from = at;
        }
    }
    out.push_str(text.get(from..).unwrap_or_default());
    // The lowercase of a character past ASCII has no ASCII capital.
    out.make_ascii_lowercase();
    out
}

/// Whether `c` is its own lowercase: at once for the blocks of the usual Chinese and
/// English text past ASCII that have no letter with a lowercase other than itself
/// (Latin-1 punctuation, general punctuation, sub- and superscripts, currency signs,
/// CJK punctuation, kana, the unified ideographs, Yi), else by [`char::to_lowercase`].
fn is_own_lowercase(c: char) -> bool {
    match u32::from(c) {
        0x80..=0xBF | 0x2000..=0x20FF | 0x3000..=0xA63F => true,
        _ => {
            let mut l = c.to_lowercase();
            l.next() == Some(c) && l.next().is_none()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::Tokenizer;

    fn tokenizer() -> &'static Tokenizer {
        static T: std::sync::OnceLock<Tokenizer> = std::sync::OnceLock::new();
        T.get_or_init(|| Tokenizer::builder().build().expect("tokenizer builds"))
    }

    /// The terms of the tokens of `raw` that the prefilter of that term alone passes
    /// over in the normalized text of `raw` (none, if it never passes over a document
    /// holding a term).
    fn missed(raw: &str) -> Vec<String> {
        let (text, buf) = tokenizer().tokenize(raw);
        assert_eq!(text, crate::text::normalize(&text), "normalized twice");
        buf.iter()
            .filter(|(_, term)| {
                let p = Prefilter::new([(*term, "g")], Vec::new(), Some(FxHashMap::default()));
                !p.may_give(&p.open(|_, _, _| 1), "g", "d", &text)
            })
            .map(|(_, term)| format!("{raw:?}: {term:?}"))
            .collect()
    }

    #[test]
    fn every_term_of_a_text_is_found() {
        let texts = [
            "監管機構2021年1月2日整頓BTC挖礦，DeFi和NFT持續升溫3,000點",
            "Bitcoin's PRICE rose; the SEC\u{2019}s C++ and C# rules. Café ÜBER naïve",
            "See https://Example.com/A?b=C and @Handle #HashTag 0xABCDEF12 20% 2021-01-02",
            "比特幣礦場遷往Texas，USDT的市值ABC公司iPhone的價格",
            "ＮＦＴ市场１００％ İSTANBUL ΣΑΣ ǅ ﬁne 乾淨 乾隆 位於台北",
            "It's Miners' RIGS' Bob's. 礦工's",
        ];
        let wrong: Vec<String> = texts.iter().flat_map(|t| missed(t)).collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    proptest::proptest! {
        #[test]
        fn every_term_of_any_text_is_found(
            raw in "[aBZ19 ,.'’s+#礦场比特币監管乾淨隆於é́İΣǅＡ１ﬁ@:/-]{0,40}"
        ) {
            let wrong = missed(&raw);
            proptest::prop_assert!(wrong.is_empty(), "{:?}", wrong);
        }
    }

    /// [`lowercase`] by its definition.
    fn lowercase_by_definition(text: &str, simplify: bool) -> String {
        text.chars()
            .map(|c| if simplify { to_simplified_char(c) } else { c })
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn the_own_lowercase_ranges_are_right() {
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            let own = c.to_lowercase().eq([c]);
            assert_eq!(is_own_lowercase(c), own, "{c:?}");
        }
        assert!(is_own_lowercase('😀') && !is_own_lowercase('\u{10400}'));
    }

    proptest::proptest! {
        #[test]
        fn lowercase_is_its_definition(t in "\\PC{0,60}", simplify: bool) {
            proptest::prop_assert_eq!(lowercase(&t, simplify), lowercase_by_definition(&t, simplify));
        }

        #[test]
        fn lowercase_is_its_definition_on_cased_text(
            t in "[aZ ,.’—“”İΣǅＡКΩé監管礦乾於\u{10400}\u{212A}]{0,40}",
            simplify: bool,
        ) {
            proptest::prop_assert_eq!(lowercase(&t, simplify), lowercase_by_definition(&t, simplify));
        }
    }

    #[test]
    fn a_document_without_an_open_term_is_passed_over() {
        let p = Prefilter::new(
            ["比特币", "miners", "btc"].map(|t| (t, "g")),
            Vec::new(),
            Some(FxHashMap::default()),
        );
        let all = p.open(|_, _, _| 3);
        let text = |raw: &str| crate::text::normalize(raw);
        assert!(p.may_give(&all, "g", "d", &text("比特幣礦場")));
        assert!(p.may_give(&all, "g", "d", &text("The MINERS left")));
        assert!(p.may_give(&all, "g", "d", &text("ＢＴＣ")));
        assert!(!p.may_give(&all, "g", "d", &text("矿场迁往海外")));
        // Another group's documents, and pools that are full, take nothing.
        assert!(!p.may_give(&all, "h", "d", &text("比特币")));
        let btc_full = p.open(|_, t, _| if t == "btc" { 0 } else { 3 });
        assert!(!p.may_give(&btc_full, "g", "d", &text("BTC only")));
        assert!(p.may_give(&btc_full, "g", "d", &text("BTC miners")));
    }

    #[test]
    fn concepts_come_from_the_store_and_unknown_documents_are_kept() {
        let mut held = FxHashMap::default();
        held.insert(hash_of("with"), 0b10);
        held.insert(hash_of("without"), 0);
        let concepts = || vec![("c0".into(), "g".into()), ("c1".into(), "g".into())];
        let p = Prefilter::new([], concepts(), Some(held));
        let open = p.open(|_, _, _| 3);
        assert!(p.may_give(&open, "g", "with", ""));
        assert!(!p.may_give(&open, "g", "without", ""));
        assert!(p.may_give(&open, "g", "unknown", ""));
        let c1_full = p.open(|_, c, _| if c == "c1" { 0 } else { 3 });
        assert!(!p.may_give(&c1_full, "g", "with", ""));
        let unread = Prefilter::new([], concepts(), None);
        assert!(unread.may_give(&unread.open(|_, _, _| 3), "g", "without", ""));
    }
}
