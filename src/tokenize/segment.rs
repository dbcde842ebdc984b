//! duibi's own cut of Simplified text with jieba's dictionary and without its HMM: the
//! tokens of `jieba_rs::Jieba::cut(s, false)` (same words, same byte offsets) at a
//! fraction of the instructions.
//!
//! The dictionary is a hashed trie over dense character codes, built once from
//! the final frequency of every word (the words jieba loaded, in its rules: a later
//! entry of a word replaces its frequency). A block of characters is cut as jieba cuts
//! it: the best route from the last character back, over every dictionary word that
//! starts at a character (a character that starts none is a word alone), with jieba's
//! `f64` operations in its order and its tie rule (the longer word wins) — but with
//! the words found while the route is computed, not stored first as a graph, in
//! buffers reused from call to call, and the tokens handed to a callback.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (_, buf) = tok.tokenize("比特币挖矿监管");
//! let terms: Vec<&str> = buf.iter().map(|(_, t)| t).collect();
//! assert_eq!(terms, ["比特币", "挖矿", "监管"]);
//! ```

use rustc_hash::FxHashMap;

/// A prefix of a dictionary word: the word's `ln(freq)` when the prefix is a word (NaN
/// when not: a logarithm of a count is never NaN), and a filter of the characters that
/// can follow it (bit [`filter_bit`] of each).
#[derive(Debug, Clone, Copy)]
struct Node {
    log_freq: f64,
    next: u32,
}

impl Node {
    const NONE: Node = Node {
        log_freq: f64::NAN,
        next: 0,
    };
}

/// The filter bit of code `c` in [`Node::next`].
#[inline(always)]
fn filter_bit(c: u32) -> u32 {
    1 << (c.wrapping_mul(0x9E37_79B1) >> 27)
}

/// The hash key of the child for code `c` of the node `parent`; never 0.
#[inline(always)]
fn key(parent: u32, c: u32) -> u64 {
    ((u64::from(parent) << 21) | u64::from(c)) + 1
}

/// The words of a dictionary and their frequencies, cut the way jieba cuts without
/// its HMM.
///
/// A trie of dense character codes (1 upwards; 0 for a character in no word): the nodes of the one-character prefixes are `nodes[code]`,
/// the others are found from their parent through a hash table of `(parent, code)`.
#[derive(Debug, Clone)]
pub(crate) struct Segmenter {
    /// Code of each character of the Basic Multilingual Plane.
    bmp: Box<[u32]>,
    /// Codes of the other characters in words.
    astral: FxHashMap<char, u32>,
    nodes: Vec<Node>,
    /// Open addressing, linear probing: ([`key`], node), key 0 for an empty slot.
    slots: Box<[(u64, u32)]>,
    /// `64 - log2(slots.len())`.
    shift: u32,
    /// `ln` of the frequencies' total.
    log_total: f64,
}

/// Buffers reused from cut to cut.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    /// Byte offset (within the block) and code of each character of the block.
    chars: Vec<(u32, u32)>,
    /// Per character: log-probability of the best route from it, and the character
    /// after its word.
    route: Vec<(f64, u32)>,
}

/// jieba's character class of a dictionary block (`RE_HAN_DEFAULT`): CJK ideographs,
/// ASCII letters and digits and `+#&._%-`.
#[inline]
fn is_han_default(c: char) -> bool {
    if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        true
    } else if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
    } else {
        matches!(c,
            '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}'
        )
    }
}

/// The character at byte `i` of `s` (a character boundary) and its length.
#[inline(always)]
fn decode(s: &[u8], i: usize) -> (char, usize) {
    let b0 = u32::from(s[i]);
    let (c, n) = match b0 {
        0..=0x7f => (b0, 1),
        0x80..=0xdf => (((b0 & 0x1f) << 6) | (u32::from(s[i + 1]) & 0x3f), 2),
        0xe0..=0xef => (
            ((b0 & 0x0f) << 12)
                | ((u32::from(s[i + 1]) & 0x3f) << 6)
                | (u32::from(s[i + 2]) & 0x3f),
            3,
        ),
        _ => (
            ((b0 & 0x07) << 18)
                | ((u32::from(s[i + 1]) & 0x3f) << 12)
                | ((u32::from(s[i + 2]) & 0x3f) << 6)
                | (u32::from(s[i + 3]) & 0x3f),
            4,
        ),
    };
    // (valid UTF-8 decodes to a char)
    (char::from_u32(c).unwrap_or('\u{FFFD}'), n)
}

/// Dictionary entries in load order, for [`Segmenter::new`]: the words and
/// frequencies jieba was given, with the rule that a later entry of a word replaces
/// the frequency of the earlier one.
#[derive(Debug, Default)]
pub(crate) struct Entries<'a> {
    /// The shipped dictionary's entries.
    pub(crate) base: Vec<(&'a str, usize)>,
    /// Entries loaded after it, in order.
    pub(crate) extra: Vec<(String, usize)>,
}

impl Entries<'_> {
    /// The entries of a dictionary text in jieba's `load_dict` reading: `word [freq
    /// [tag]]` per line, split at Unicode whitespace, a missing frequency 0 (the text
    /// was loaded by jieba first, so every frequency parses).
    pub(crate) fn push_dict_text(&mut self, text: &str) {
        for line in text.split('\n') {
            let mut parts = line.split_whitespace();
            if let Some(word) = parts.next() {
                let freq = parts.next().map_or(0, |f| f.parse().unwrap_or(0));
                self.extra.push((word.to_owned(), freq));
            }
        }
    }
}

impl Segmenter {
    /// The segmenter of `entries` (see [`Entries`]).
    pub(crate) fn new(entries: &Entries<'_>) -> Self {
        let extra = entries.extra.iter().map(|(w, f)| (w.as_str(), *f));
        let all = || entries.base.iter().copied().chain(extra.clone());
        // Dense codes, in order of first appearance.
        let mut bmp = vec![0u32; 0x1_0000].into_boxed_slice();
        let mut astral: FxHashMap<char, u32> = FxHashMap::default();
        let mut alphabet = 0u32;
        let mut chars = 0usize;
        for (w, _) in all() {
            for c in w.chars() {
                chars += 1;
                let slot = match bmp.get_mut(c as usize) {
                    Some(s) => s,
                    None => astral.entry(c).or_insert(0),
                };
                if *slot == 0 {
                    alphabet += 1;
                    *slot = alphabet;
                }
            }
        }
        // Room for every prefix longer than a character, at most half full.
        let slots = (2 * chars).next_power_of_two().max(2);
        let mut seg = Segmenter {
            bmp,
            astral,
            nodes: vec![Node::NONE; alphabet as usize + 1],
            slots: vec![(0u64, 0u32); slots].into_boxed_slice(),
            shift: 64 - slots.trailing_zeros(),
            log_total: 0.0,
        };
        // The entries in load order: a later entry of a word replaces its frequency.
        let mut freqs: Vec<Option<usize>> = vec![None; seg.nodes.len()];
        let mut codes = Vec::new();
        for (w, freq) in all() {
            codes.clear();
            codes.extend(w.chars().map(|c| seg.code(c)));
            let Some((&first, rest)) = codes.split_first() else {
                continue;
            };
            let mut node = first;
            for &c in rest {
                seg.nodes[node as usize].next |= filter_bit(c);
                let k = key(node, c);
                let i = seg.probe(k);
                if seg.slots[i].0 == 0 {
                    seg.slots[i] = (k, seg.nodes.len() as u32);
                    seg.nodes.push(Node::NONE);
                    freqs.push(None);
                }
                node = seg.slots[i].1;
            }
            seg.nodes[node as usize].log_freq = (freq as f64).ln();
            freqs[node as usize] = Some(freq);
        }
        // jieba's total: the sum of the words' (last) frequencies.
        let total: usize = freqs.iter().flatten().sum();
        seg.log_total = (total as f64).ln();
        seg
    }

    /// The slot of key `k`, or the empty slot where it would go.
    #[inline(always)]
    fn probe(&self, k: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let (s, _) = self.slots[i];
            if s == k || s == 0 {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The child for code `c` of `node`.
    #[inline(always)]
    fn child(&self, node: u32, c: u32) -> Option<u32> {
        if self.nodes[node as usize].next & filter_bit(c) == 0 {
            return None;
        }
        let (k, n) = self.slots[self.probe(key(node, c))];
        (k != 0).then_some(n)
    }

    /// The code of `c`, 0 when no word has it.
    #[inline(always)]
    fn code(&self, c: char) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&k) => k,
            None => self.astral.get(&c).copied().unwrap_or(0),
        }
    }

    /// Cuts `s` as `jieba_rs::Jieba::cut(s, false)` does, calling `emit` with the byte
    /// range of each token in order.
    pub(crate) fn cut(&self, s: &str, scratch: &mut Scratch, mut emit: impl FnMut(usize, usize)) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let (c, len) = decode(b, i);
            if is_han_default(c) {
                let start = i;
                scratch.chars.clear();
                scratch.chars.push((0, self.code(c)));
                i += len;
                while i < b.len() {
                    let (c, len) = decode(b, i);
                    if !is_han_default(c) {
                        break;
                    }
                    scratch.chars.push(((i - start) as u32, self.code(c)));
                    i += len;
                }
                self.cut_block(&b[start..i], start, scratch, &mut emit);
            } else if c == '\r' && b.get(i + 1) == Some(&b'\n') {
                emit(i, i + 2);
                i += 2;
            } else {
                emit(i, i + len);
                i += len;
            }
        }
    }

    /// Cuts the dictionary block `block` (at byte `at`), whose characters are in
    /// `scratch.chars`.
    fn cut_block(
        &self,
        block: &[u8],
        at: usize,
        scratch: &mut Scratch,
        emit: &mut impl FnMut(usize, usize),
    ) {
        let Scratch { chars, route } = scratch;
        let n = chars.len();
        let log_total = self.log_total;
        route.clear();
        route.resize(n + 1, (0.0, n as u32));
        // jieba's `calc`: from the end back; of the words starting at a character the
        // most probable, the longest on a tie (the words come shortest first, so a
        // later one wins a tie).
        for idx in (0..n).rev() {
            let mut best: Option<(f64, u32)> = None;
            let mut node = chars[idx].1;
            let mut k = idx + 1;
            loop {
                let lf = self.nodes[node as usize].log_freq;
                if !lf.is_nan() {
                    let prob = lf - log_total + route[k].0;
                    // (`>=` is jieba's `>`, or `==` with a longer word; NaN never wins)
                    if best.map_or(true, |(p, _)| prob >= p) {
                        best = Some((prob, k as u32));
                    }
                }
                if k == n {
                    break;
                }
                match self.child(node, chars[k].1) {
                    Some(c) => node = c,
                    None => break,
                }
                k += 1;
            }
            route[idx] = best.unwrap_or(((0.0 - log_total) + route[idx + 1].0, idx as u32 + 1));
        }
        // jieba's `cut_route` without the HMM: a run of single ASCII letters or digits
        // is one token.
        let byte = |x: usize| at + chars.get(x).map_or(block.len(), |&(o, _)| o as usize);
        let mut x = 0;
        let mut left: Option<usize> = None;
        while x < n {
            let y = route[x].1 as usize;
            if y - x == 1 && block[chars[x].0 as usize].is_ascii_alphanumeric() {
                left.get_or_insert(x);
            } else {
                if let Some(l) = left.take() {
                    emit(byte(l), byte(x));
                }
                emit(byte(x), byte(y));
            }
            x = y;
        }
        if let Some(l) = left {
            emit(byte(l), byte(n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::dict::BaseDict;
    use crate::tokenize::Tokenizer;
    use std::io::Write;
    use std::sync::OnceLock;

    /// jieba and the segmenter of the same entries: the shipped dictionary, a user
    /// dictionary (a new word, a changed frequency, a word without a frequency, a
    /// word twice) and added words (some new, one in the dictionary already).
    fn both() -> &'static (jieba_rs::Jieba, Segmenter) {
        static BOTH: OnceLock<(jieba_rs::Jieba, Segmenter)> = OnceLock::new();
        BOTH.get_or_init(|| {
            let mut f = tempfile::NamedTempFile::new().unwrap();
            writeln!(f, "矿机托管 10 n\n中国 3 ns\n测试词\n矿机托管 7\n的 1").unwrap();
            let prepared = Tokenizer::builder()
                .user_dict(f.path())
                .words(["算力外流", "比特", "监管"])
                .prepare()
                .unwrap();
            let (jieba, entries) = prepared.load_into(BaseDict::load()).unwrap();
            let seg = Segmenter::new(&entries);
            (jieba, seg)
        })
    }

    /// The byte ranges of the segmenter's tokens of `s`.
    fn ours(seg: &Segmenter, s: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        seg.cut(s, &mut Scratch::default(), |a, b| out.push((a, b)));
        out
    }

    fn jiebas(jieba: &jieba_rs::Jieba, s: &str) -> Vec<(usize, usize)> {
        jieba
            .cut(s, false)
            .iter()
            .map(|t| (t.byte_start, t.byte_end))
            .collect()
    }

    #[test]
    fn cuts_as_jieba_on_examples() {
        let (jieba, seg) = both();
        for s in [
            "",
            "比特币挖矿监管",
            "我们中出了一个叛徒",
            "矿机托管业务在中国的测试词",
            "abc中国DeFi和NFT 3.5% C++ c# a-b_c&d\r\n\r\rx",
            "𠀋𦡦中国㐀豈 ü ２",
            "算力外流比特币",
        ] {
            assert_eq!(ours(seg, s), jiebas(jieba, s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn cuts_as_jieba(s in "(比特币|挖矿|监管|中国|矿机托管|测试词|算力外流|的|一|了|人|是|在|国|中|\
            大|学|生|发|展|经|济|[\u{4e00}-\u{9fff}]|[a-zA-Z0-9]|[+#&._%-]|[ ，。！\r\n\t]|[é２𠀋])*") {
            let (jieba, seg) = both();
            proptest::prop_assert_eq!(ours(seg, &s), jiebas(jieba, &s));
        }
    }

    /// Every document of the benchmark corpus (when it is there), made Simplified as
    /// the Chinese runs are, cut alike.
    #[test]
    fn cuts_as_jieba_on_the_benchmark_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/bench-corpus/bench-corpus");
        if !root.is_dir() {
            eprintln!("no benchmark corpus at {}: skipped", root.display());
            return;
        }
        let (jieba, seg) = both();
        let mut docs = 0;
        for group in ["domestic", "overseas"] {
            let Ok(dir) = std::fs::read_dir(root.join(group)) else {
                continue;
            };
            for e in dir {
                let Ok(text) = std::fs::read_to_string(e.unwrap().path()) else {
                    continue;
                };
                let mut text = crate::lang::normalize(&text);
                crate::lang::to_simplified_in_place(&mut text);
                assert_eq!(ours(seg, &text), jiebas(jieba, &text));
                docs += 1;
            }
        }
        assert!(docs > 1000, "{docs} documents");
    }
}
