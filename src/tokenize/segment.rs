//! duibi's own cut of Simplified text with jieba's dictionary and without its HMM: the
//! tokens of `jieba_rs::Jieba::cut(s, false)` (same words, same byte offsets) at a
//! fraction of the instructions, with no `jieba_rs::Jieba` built at all.
//!
//! The dictionary is a hashed trie over dense character codes, loaded straight from
//! the dictionary lines with jieba's rules (a later entry of a word replaces its
//! frequency; the total is the sum of the words' frequencies; a word added without a
//! frequency takes the one jieba's `suggest_freq` gives, see
//! [`Segmenter::add_word`]). A block of characters is cut as jieba cuts it: the best
//! route from the last character back, over every dictionary word that starts at a
//! character (a character that starts none is a word alone), with jieba's `f64`
//! operations in its order and its tie rule (the longer word wins) — but with the
//! words found while the route is computed, not stored first as a graph, in buffers
//! reused from call to call, and the tokens handed to a callback.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (_, buf) = tok.tokenize("比特币挖矿监管");
//! let terms: Vec<&str> = buf.iter().map(|(_, t)| t).collect();
//! assert_eq!(terms, ["比特币", "挖矿", "监管"]);
//! ```

use crate::hint::prefetch;

#[path = "segment_table.rs"]
mod table;

use table::{bit64, bit8, key, SLOT_BASE};
pub(crate) use table::{entries, Segmenter, Unfit, SHIPPED_PREFIXES};

/// Buffers reused from cut to cut.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    /// The characters of the text's dictionary blocks.
    chars: Vec<Char>,
    /// Per character of a block and one past its end: log-probability of the best
    /// route from it, and the character after its word. Sized for the longest block
    /// yet (it only grows): the cut writes every entry it reads.
    route: Vec<(f64, u32)>,
    /// The text's dictionary blocks and other tokens, in order.
    pieces: Vec<Piece>,
}

/// A character of a dictionary block, in [`Scratch::chars`].
#[derive(Debug, Clone, Copy)]
struct Char {
    /// Byte offset within its block.
    off: u32,
    /// Code ([`Segmenter::code`]).
    code: u32,
    /// The slot of the two-character prefix from it, or [`NO_SLOT`] (while the
    /// prefixes are found: [`ASKED`]).
    second: u32,
}

/// No slot, in [`Char::second`].
const NO_SLOT: u32 = u32::MAX;
/// A slot asked for and not yet found, in [`Char::second`] (slot indices are below
/// [`MAX_SLOTS`](table::MAX_SLOTS)).
const ASKED: u32 = u32::MAX - 1;

/// A stretch of the text [`Segmenter::cut`] cuts: a dictionary block, or a token of
/// its own.
#[derive(Debug, Clone)]
struct Piece {
    /// Byte range.
    start: usize,
    end: usize,
    /// The block's characters in [`Scratch::chars`] (none for a token).
    chars: std::ops::Range<usize>,
}

/// jieba's character class of a dictionary block (`RE_HAN_DEFAULT`), of a scalar
/// value `c`: CJK ideographs, ASCII letters and digits and `+#&._%-`.
#[inline(always)]
fn is_han_default(c: u32) -> bool {
    if matches!(c, 0x4E00..=0x9FFF) {
        true
    } else if c < 0x80 {
        let b = c as u8;
        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'#' | b'&' | b'.' | b'_' | b'%' | b'-')
    } else {
        matches!(c,
            0x3400..=0x4DBF
            | 0xF900..=0xFAFF
            | 0x2_0000..=0x2_A6DF
            | 0x2_A700..=0x2_B73F
            | 0x2_B740..=0x2_B81F
            | 0x2_B820..=0x2_CEAF
            | 0x2_CEB0..=0x2_EBEF
            | 0x2_F800..=0x2_FA1F
        )
    }
}

/// The scalar value of the character at byte `i` of `s` (a character boundary of
/// valid UTF-8) and its length in bytes.
#[inline(always)]
fn decode(s: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(s[i]);
    match b0 {
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
    }
}

impl Segmenter {
    /// The code of the character of scalar value `c` ([`Segmenter::code`]).
    #[inline(always)]
    fn code_of(&self, c: u32) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&k) => k,
            None => char::from_u32(c).map_or(0, |c| self.code(c)),
        }
    }

    /// jieba's `add_word(word, None, None)` unless it has the word: the word takes
    /// the frequency jieba's `suggest_freq` gives, from the words it is cut into now.
    pub(crate) fn add_word(&mut self, word: &str, scratch: &mut Scratch) -> Result<(), Unfit> {
        if word.is_empty() || self.has_word(word) {
            return Ok(());
        }
        // jieba's `suggest_freq`, for a word it does not have (its own frequency
        // counts 1, below the result): a token that is no word counts 1.
        let log_total = self.log_total;
        let mut log_freq = 0f64;
        self.cut(word, scratch, |a, b| {
            let lf = self.log_freq_of(&word[a..b]).unwrap_or(0.0);
            log_freq = log_freq + lf - log_total;
        });
        let freq = (log_freq + log_total).exp() as usize + 1;
        self.insert(word, freq)?;
        self.settle();
        Ok(())
    }

    /// Cuts `s` as `jieba_rs::Jieba::cut(s, false)` does, calling `emit` with the byte
    /// range of each token in order.
    ///
    /// Three passes over the whole of `s`: the first reads its characters and asks
    /// for the slot of each two-character prefix the filters allow (a software
    /// prefetch), the second finds those slots and asks for the three-character
    /// prefixes' after them, the third cuts the blocks. The table's lines (8 MB for
    /// the shipped dictionary, in no cache mostly) then come from memory together and
    /// while the rest of `s` is read, not one at a time in the cut.
    pub(crate) fn cut(&self, s: &str, scratch: &mut Scratch, mut emit: impl FnMut(usize, usize)) {
        let b = s.as_bytes();
        let Scratch {
            chars,
            route,
            pieces,
        } = scratch;
        chars.clear();
        pieces.clear();
        let mut i = 0;
        while i < b.len() {
            let (c, len) = decode(b, i);
            if is_han_default(c) {
                let (start, from) = (i, chars.len());
                // A character goes in once the next one is known (the filter of the
                // two-character prefix needs it).
                let mut prev = Char {
                    off: 0,
                    code: self.code_of(c),
                    second: NO_SLOT,
                };
                i += len;
                while i < b.len() {
                    let (c, len) = decode(b, i);
                    if !is_han_default(c) {
                        break;
                    }
                    let code = self.code_of(c);
                    if self.roots[prev.code as usize].next & bit64(code) != 0 {
                        prefetch(self.slots.get(self.home(key(prev.code, code))));
                        prev.second = ASKED;
                    }
                    chars.push(prev);
                    prev = Char {
                        off: (i - start) as u32,
                        code,
                        second: NO_SLOT,
                    };
                    i += len;
                }
                chars.push(prev);
                pieces.push(Piece {
                    start,
                    end: i,
                    chars: from..chars.len(),
                });
            } else {
                let len = if c == u32::from(b'\r') && b.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    len
                };
                pieces.push(Piece {
                    start: i,
                    end: i + len,
                    chars: 0..0,
                });
                i += len;
            }
        }
        // The slot of each two-character prefix asked for above (mostly here by now),
        // and a request for the three-character prefix's after it when the filter
        // lets the next character of the block (not at offset 0: a block's first)
        // follow.
        for j in 0..chars.len() {
            if chars[j].second != ASKED {
                continue;
            }
            let found = chars
                .get(j + 1)
                .and_then(|next| self.find(chars[j].code, next.code));
            chars[j].second = match found {
                Some(i) => {
                    if let Some(&Char { off, code, .. }) = chars.get(j + 2) {
                        if off != 0 && self.slots[i].tag & bit8(code) != 0 {
                            prefetch(self.slots.get(self.home(key(SLOT_BASE + i as u32, code))));
                        }
                    }
                    i as u32
                }
                None => NO_SLOT,
            };
        }
        for p in pieces.iter() {
            match chars.get(p.chars.clone()) {
                Some(block) if !block.is_empty() => {
                    self.cut_block(&b[p.start..p.end], block, p.start, route, &mut emit);
                }
                _ => emit(p.start, p.end),
            }
        }
    }

    /// Cuts the dictionary block `block` (at byte `at`), whose characters are
    /// `chars` (their two-character prefixes' slots found).
    fn cut_block(
        &self,
        block: &[u8],
        chars: &[Char],
        at: usize,
        route: &mut Vec<(f64, u32)>,
        emit: &mut impl FnMut(usize, usize),
    ) {
        let n = chars.len();
        let log_total = self.log_total;
        if route.len() <= n {
            route.resize(n + 1, (0.0, 0));
        }
        let route = &mut route[..=n];
        route[n] = (0.0, n as u32);
        // jieba's `calc`: from the end back; of the words starting at a character the
        // most probable, the longest on a tie (the words come shortest first, so a
        // later one wins a tie: `>=` is jieba's `>`, or `==` with a longer word; NaN
        // never wins).
        for (idx, ch) in chars.iter().enumerate().rev() {
            let after = route[idx + 1].0;
            let log_freq = self.roots[ch.code as usize].log_freq;
            // The best so far (`have`: any word yet; the character alone counts
            // only when no word starts at it).
            let mut have = !log_freq.is_nan();
            let mut best = log_freq - log_total + after;
            let mut to = idx + 1;
            if ch.second != NO_SLOT {
                let mut i = ch.second as usize;
                let mut k = idx + 1;
                loop {
                    let slot = self.slots[i];
                    k += 1;
                    if slot.freq() != 0 {
                        let prob = self.logs[slot.freq()] - log_total + route[k].0;
                        if !have || prob >= best {
                            (have, best, to) = (true, prob, k);
                        }
                    }
                    let Some(next) = chars.get(k) else {
                        break;
                    };
                    if slot.tag & bit8(next.code) == 0 {
                        break;
                    }
                    match self.find(SLOT_BASE + i as u32, next.code) {
                        Some(x) => i = x,
                        None => break,
                    }
                }
            }
            if !have {
                best = (0.0 - log_total) + after;
            }
            route[idx] = (best, to as u32);
        }
        // jieba's `cut_route` without the HMM: a run of single ASCII letters or digits
        // is one token.
        let byte = |x: usize| at + chars.get(x).map_or(block.len(), |c| c.off as usize);
        let mut x = 0;
        let mut left: Option<usize> = None;
        while x < n {
            let y = route[x].1 as usize;
            if y - x == 1 && block[chars[x].off as usize].is_ascii_alphanumeric() {
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
    use super::table::{EXACT_TOTAL, MAX_FREQS, MAX_LOAD_TENTHS, MAX_SLOTS};
    use super::*;
    use crate::tokenize::dict::load_jieba;
    use crate::tokenize::Tokenizer;
    use std::io::Write;
    use std::sync::OnceLock;

    /// The resources of [`both`]: the shipped dictionary, a user dictionary (a new
    /// word, a changed frequency, a word without a frequency, a word twice) and added
    /// words (the shipped domain words, and some new and one in the dictionary
    /// already).
    fn prepared() -> crate::tokenize::Prepared {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "矿机托管 10 n\n中国 3 ns\n测试词\n矿机托管 7\n的 1").unwrap();
        Tokenizer::builder()
            .user_dict(f.path())
            .words(["算力外流", "比特", "监管"])
            .prepare()
            .unwrap()
    }

    /// jieba and the segmenter of the same entries, [`prepared`].
    fn both() -> &'static (jieba_rs::Jieba, Segmenter) {
        static BOTH: OnceLock<(jieba_rs::Jieba, Segmenter)> = OnceLock::new();
        BOTH.get_or_init(|| {
            let prepared = prepared();
            let jieba = prepared.load_into(load_jieba()).unwrap();
            let seg = prepared.segmenter(None).unwrap();
            (jieba, seg)
        })
    }

    /// jieba's total frequency (from its `Debug`).
    fn jieba_total(j: &jieba_rs::Jieba) -> usize {
        let d = format!("{j:?}");
        let t = d.split("total_freq: ").nth(1).unwrap();
        t.trim_end_matches(" }").parse().unwrap()
    }

    #[test]
    fn frequencies_and_total_are_jiebas() {
        // What `load_into` does to jieba, with the frequency each added word takes.
        let prepared = prepared();
        let seg = prepared.segmenter(None).unwrap();
        let mut jieba = load_jieba();
        for (_, text) in &prepared.user_dicts {
            jieba.load_dict(&mut text.as_bytes()).unwrap();
        }
        let mut added = 0;
        for w in &prepared.words {
            if jieba.has_word(w) {
                assert!(seg.has_word(w), "{w}");
            } else {
                let f = jieba.add_word(w, None, None);
                assert_eq!(seg.log_freq_of(w), Some((f as f64).ln()), "{w}");
                added += 1;
            }
        }
        assert!(added > 10, "{added} words added");
        assert_eq!(seg.log_freq_of("矿机托管"), Some(7f64.ln()));
        assert_eq!(seg.log_freq_of("的"), Some(1f64.ln()));
        assert_eq!(seg.log_freq_of("测试词"), Some(0f64.ln()));
        assert!(!seg.has_word("矿机托"));
        assert_eq!(seg.total, jieba_total(&jieba));
        assert_eq!(seg.log_total, (jieba_total(&jieba) as f64).ln());
    }

    #[test]
    fn a_full_table_is_built_again_larger() {
        // 300,000 new three-character words: 600,000 more prefixes, more than the
        // table sized for the shipped dictionary holds.
        let han = |i: u32| char::from_u32(0x4E00 + i).unwrap();
        let words: Vec<String> = (0..300_000u32)
            .map(|i| {
                [han(i / 500), han(1000 + i % 500), han(2000 + i % 7)]
                    .iter()
                    .collect()
            })
            .collect();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        for w in &words {
            writeln!(f, "{w} 3").unwrap();
        }
        let prepared = Tokenizer::builder().user_dict(f.path()).prepare().unwrap();
        let jieba = prepared.load_into(load_jieba()).unwrap();
        let seg = prepared.segmenter(None).unwrap();
        assert!(seg.prefixes() > 1_000_000, "{seg:?}");
        assert!(seg.used * 10 <= seg.slots.len() * MAX_LOAD_TENTHS);
        assert_eq!(seg.total, jieba_total(&jieba));
        let text: String = words.iter().step_by(997).map(String::as_str).collect();
        let text = text + "我们中出了一个叛徒，比特币挖矿监管";
        assert_eq!(ours(&seg, &text), jiebas(&jieba, &text));
    }

    #[test]
    fn a_frequency_is_its_logarithms_exponential_below_the_bound() {
        let mut fs: Vec<usize> = (0..100_000).collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            fs.push((x % EXACT_TOTAL as u64) as usize);
        }
        fs.extend([EXACT_TOTAL - 1, EXACT_TOTAL - 2, EXACT_TOTAL / 3]);
        for f in fs {
            assert_eq!((f as f64).ln().exp().round() as usize, f);
        }
    }

    #[test]
    fn too_large_a_total_or_table_is_refused() {
        let mut seg = Segmenter::with_room(10).unwrap();
        assert_eq!(seg.insert("中国", EXACT_TOTAL - 2), Ok(()));
        assert_eq!(seg.insert("中国", EXACT_TOTAL - 1), Ok(()));
        assert_eq!(seg.insert("人", 1), Err(Unfit::TooLarge));
        assert_eq!(Segmenter::with_room(MAX_SLOTS).err(), Some(Unfit::TooLarge));
        // Eleven prefixes fill a table sized for ten.
        let mut seg = Segmenter::with_room(10).unwrap();
        let full = (0..20u32)
            .map(|i| seg.insert(&format!("中{}", char::from_u32(0x4E00 + i).unwrap()), 1))
            .position(|r| r == Err(Unfit::Full));
        assert_eq!(full, Some(seg.slots.len() * MAX_LOAD_TENTHS / 10));
    }

    #[test]
    fn too_many_characters_or_frequencies_are_refused() {
        // A code per character up to the tag's code bits.
        let mut seg = Segmenter::with_room(10).unwrap();
        let first_refused = (0..SLOT_BASE)
            .map(|i| seg.insert(&char::from_u32(0x2_0000 + i).unwrap().to_string(), 1))
            .position(|r| r.is_err());
        assert_eq!(first_refused, Some(SLOT_BASE as usize - 1));
        assert_eq!(seg.insert("中国", 1), Err(Unfit::TooLarge));
        // A frequency index per distinct frequency of the longer words, up to the
        // tag's frequency bits (index 0 is no word); a frequency seen already fits.
        let mut seg = Segmenter::with_room(20_000).unwrap();
        let word = |i: usize| format!("中{}", char::from_u32(0x4E00 + i as u32).unwrap());
        let first_refused = (0..MAX_FREQS)
            .map(|i| seg.insert(&word(i), i + 1))
            .position(|r| r.is_err());
        assert_eq!(first_refused, Some(MAX_FREQS - 1));
        assert_eq!(seg.insert(&word(MAX_FREQS), 7), Ok(()));
        assert_eq!(seg.log_freq_of(&word(MAX_FREQS)), Some(7f64.ln()));
    }

    #[test]
    fn a_segmenter_read_back_from_its_bytes_is_the_same() {
        let (jieba, seg) = both();
        let bytes = seg.to_bytes();
        let back = Segmenter::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.log_total.to_bits(), seg.log_total.to_bits());
        assert_eq!(back.log_index, seg.log_index);
        assert_eq!(back.astral, seg.astral);
        let s = "我们中出了一个叛徒，比特币挖矿监管。矿机托管业务在中国的测试词𠀋";
        assert_eq!(ours(&back, s), jiebas(jieba, s));
        // Anything else is refused.
        assert!(Segmenter::from_bytes(&[]).is_none());
        assert!(Segmenter::from_bytes(&bytes[..bytes.len() - 1]).is_none());
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

    #[test]
    fn a_scratch_reused_cuts_as_a_fresh_one() {
        // Texts of many blocks (one character, ASCII, a block at either end, `\r\n`
        // between) cut one after the other with one scratch, longest first: nothing of
        // a longer text's characters, prefix slots or pieces is left for the next.
        let (jieba, seg) = both();
        let texts = [
            "我们中出了一个叛徒，比特币挖矿监管。矿机托管业务在中国的测试词\r\n算力外流abc中国",
            "比特币挖矿，监管",
            "中。国",
            "挖矿",
            "，",
            "中",
        ];
        let mut scratch = Scratch::default();
        for s in texts {
            let mut out = Vec::new();
            seg.cut(s, &mut scratch, |a, b| out.push((a, b)));
            assert_eq!(out, jiebas(jieba, s), "{s:?}");
            assert_eq!(out, ours(seg, s), "{s:?}");
        }
    }

    /// A scratch whose route was last filled by a long block cuts short texts as jieba
    /// does: each block's route starts again from its own end (a route value left from a
    /// longer block changes how near-ties round, and so the cut). The texts are joined
    /// from dictionary words by a fixed generator; the first four are ones the stale
    /// end entry cut differently.
    #[test]
    fn a_scratch_dirtied_by_a_long_block_cuts_as_jieba() {
        let (jieba, seg) = both();
        let words = [
            "比特币",
            "挖矿",
            "监管",
            "中国",
            "矿机托管",
            "测试词",
            "算力外流",
            "的",
            "一",
            "了",
            "人",
            "是",
            "在",
            "国",
            "中",
            "大",
            "学",
            "生",
            "发",
            "展",
            "经",
            "济",
            "研究",
            "生命",
            "起源",
            "和服",
            "服务",
            "北京",
            "大学",
            "长江",
            "大桥",
            "市长",
        ];
        let long: String = (0..400).map(|i| words[(i * 7 + 3) % words.len()]).collect();
        let mut texts: Vec<String> = [
            "大桥北京服务的人济济济长江经测试词学起源",
            "生大学济算力外流北京生服务测试词济济济服务是起源",
            "经大大大长江了研究人北京国国大",
            "和服济济济经比特币",
        ]
        .map(String::from)
        .to_vec();
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x
        };
        for _ in 0..20_000 {
            let len = 1 + (next() >> 60) as usize;
            texts.push(
                (0..len)
                    .map(|_| words[(next() >> 33) as usize % words.len()])
                    .collect(),
            );
        }
        let mut scratch = Scratch::default();
        for s in &texts {
            seg.cut(&long, &mut scratch, |_, _| {});
            let mut out = Vec::new();
            seg.cut(s, &mut scratch, |a, b| out.push((a, b)));
            assert_eq!(out, jiebas(jieba, s), "{s:?}");
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
