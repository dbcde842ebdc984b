//! Emoticons (`:)`, `:-(` …, English resources only): the whitespace-separated chunks
//! of a sentence that hold an anchor (an ASCII punctuation byte of some key), found by
//! jumping from anchor to anchor, with a cheap filter on their first and last bytes.

use crate::text::simd::{self, ByteSet};

/// Which (first byte, last byte) pairs an emoticon key can have, so that most
/// whitespace-separated chunks of a sentence are ruled out without a hash lookup (see
/// [`emoticon_spans`]). Keys made only of alphanumeric characters are left out: such
/// chunks are never looked up.
#[derive(Debug, Clone)]
pub(crate) struct EmoFilter {
    /// Bit `first * 256 + last` set: a chunk with these end bytes can match a key.
    pairs: Box<[u64; 1024]>,
    /// Bit `b` set: the ASCII punctuation byte `b` occurs in some key (an anchor).
    anchors: [u64; 4],
    /// Every key a chunk can equal (not all alphanumeric, no whitespace) holds an
    /// anchor, so a chunk with no anchor matches nothing and [`emoticon_spans`] only
    /// looks at the chunks around anchors ([`anchored_spans`]).
    anchored: bool,
    /// Bit `b` set: byte `b` occurs in some key a chunk can equal (an ASCII
    /// lowercase letter admits its capital too). A chunk with another byte matches
    /// no key, so [`chunk_bounds`] gives it up at that byte (a word before a `.` or
    /// `,`, Chinese text around a comma).
    bytes: [u64; 4],
    /// Bit `x * 128 + y` set: ASCII bytes `x` then `y` are neighbours in some key a
    /// chunk can equal (an ASCII lowercase letter admits its capital too), where a
    /// space stands for the start or the end of the key. An anchor whose neighbours
    /// in the sentence are no such pairs is in no chunk that matches
    /// ([`EmoFilter::may_hold_anchor`]; most anchors: `day.`, `so,`).
    neighbours: Box<[u64; 256]>,
    /// The anchors (of `anchors`) as a [`ByteSet`], for the 32-byte scan of
    /// [`emoticon_sentences`].
    anchor_set: ByteSet,
}

impl Default for EmoFilter {
    fn default() -> Self {
        EmoFilter {
            pairs: Box::new([0; 1024]),
            anchors: [0; 4],
            // No key: no chunk matches, none holds an anchor.
            anchored: true,
            bytes: [0; 4],
            neighbours: Box::new([0; 256]),
            anchor_set: ByteSet::new(&[false; 256]),
        }
    }
}

impl EmoFilter {
    /// The filter of a set of emoticon keys. A chunk matches a key as it is or
    /// ASCII-lowercased, so each ASCII lowercase letter admits its capital too.
    pub(crate) fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        let mut f = EmoFilter::default();
        let cases = |b: u8| {
            if b.is_ascii_lowercase() {
                [b, b.to_ascii_uppercase()]
            } else {
                [b, b]
            }
        };
        for k in keys {
            if k.chars().all(char::is_alphanumeric) {
                continue;
            }
            // A chunk equals the key or its ASCII lowercase form, which keeps every
            // byte but the capitals: the chunk holds the key's punctuation bytes.
            let mut has_anchor = false;
            for b in k.bytes().filter(u8::is_ascii_punctuation) {
                f.anchors[(b >> 6) as usize] |= 1 << (b & 63);
                has_anchor = true;
            }
            // (A chunk holds no whitespace, so a key with some never matches.)
            if !has_anchor && !k.chars().any(char::is_whitespace) {
                f.anchored = false;
            }
            for b in k.bytes().flat_map(cases) {
                f.bytes[(b >> 6) as usize] |= 1 << (b & 63);
            }
            if !k.chars().any(char::is_whitespace) {
                let framed = || std::iter::once(b' ').chain(k.bytes()).chain([b' ']);
                for (x, y) in framed().zip(framed().skip(1)) {
                    if !(x.is_ascii() && y.is_ascii()) {
                        continue;
                    }
                    for x in cases(x) {
                        for y in cases(y) {
                            let bit = (x as usize) << 7 | y as usize;
                            f.neighbours[bit >> 6] |= 1 << (bit & 63);
                        }
                    }
                }
            }
            let (Some(&a), Some(&z)) = (k.as_bytes().first(), k.as_bytes().last()) else {
                continue;
            };
            for a in cases(a) {
                for z in cases(z) {
                    let bit = (a as usize) << 8 | z as usize;
                    f.pairs[bit >> 6] |= 1 << (bit & 63);
                }
            }
        }
        let mut anchors = [false; 256];
        for (x, a) in anchors.iter_mut().enumerate() {
            *a = bit(&f.anchors, x as u8);
        }
        f.anchor_set = ByteSet::new(&anchors);
        f
    }

    /// True when byte `b` is an anchor: ASCII punctuation that occurs in some key.
    #[inline]
    fn is_anchor(&self, b: u8) -> bool {
        self.anchors[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }

    /// True when byte `b` occurs in some key (or is the capital of a lowercase
    /// letter that does).
    #[inline]
    fn is_key_byte(&self, b: u8) -> bool {
        self.bytes[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }

    /// Whether ASCII bytes `x` then `y` are neighbours in some key (a space for its
    /// start or end; see `neighbours`).
    #[inline]
    fn neighbours(&self, x: u8, y: u8) -> bool {
        let bit = ((x & 0x7F) as usize) << 7 | (y & 0x7F) as usize;
        self.neighbours[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// False when the anchor at byte `p` of `b` (an ASCII byte) is in no chunk that
    /// can equal a key: a chunk equal to a key (or whose ASCII lowercase form is)
    /// has the key's neighbouring bytes around the anchor, and whitespace or the end
    /// of the sentence where the key starts or ends. Of a non-ASCII neighbour, only
    /// its byte next to the anchor is tested: unless it may belong to a whitespace
    /// character ([`WS_LAST`] before the anchor, [`WS_LEAD`] after it), its
    /// character is in the chunk, so a chunk that matches holds that byte, a key
    /// byte ([`EmoFilter::is_key_byte`]; most anchors of Chinese text: `好,`).
    #[inline]
    fn may_hold_anchor(&self, b: &[u8], p: usize) -> bool {
        let Some(&x) = b.get(p) else {
            return true;
        };
        // An ASCII neighbour: whitespace and the end of the sentence stand for a
        // space; a non-ASCII one: whether its byte may be in a chunk that matches.
        let ascii = |n: Option<&u8>| match n {
            Some(&c) if EMO_CLASS[c as usize] != EMO_SPACE => c,
            _ => b' ',
        };
        let other = |c: u8, ws: &[u64; 4]| bit(ws, c) || self.is_key_byte(c);
        let l = p.checked_sub(1).and_then(|i| b.get(i));
        let left = match l {
            Some(&c) if !c.is_ascii() => other(c, &WS_LAST),
            _ => self.neighbours(ascii(l), x),
        };
        let r = b.get(p + 1);
        left && match r {
            Some(&c) if !c.is_ascii() => other(c, &WS_LEAD),
            _ => self.neighbours(x, ascii(r)),
        }
    }

    /// True when every chunk a key can match holds an anchor (see [`anchored_spans`]);
    /// then a sentence without ASCII punctuation has no emoticon.
    #[cfg(test)]
    pub(super) fn anchored(&self) -> bool {
        self.anchored
    }

    /// False when no key can equal `chunk` (non-empty) or its ASCII lowercase form.
    #[inline]
    fn may_match(&self, chunk: &[u8]) -> bool {
        match (chunk.first(), chunk.last()) {
            (Some(&a), Some(&z)) => {
                let bit = (a as usize) << 8 | z as usize;
                self.pairs[bit >> 6] & (1 << (bit & 63)) != 0
            }
            _ => false,
        }
    }
}

/// Whether bit `b` of the 256-bit set `set` is set.
#[inline]
fn bit(set: &[u64; 4], b: u8) -> bool {
    set[(b >> 6) as usize] & (1 << (b & 63)) != 0
}

/// The 256-bit set of bytes `bytes`.
const fn byte_set(bytes: &[u8]) -> [u64; 4] {
    let mut t = [0u64; 4];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        t[(b >> 6) as usize] |= 1 << (b & 63);
        i += 1;
    }
    t
}

/// The last bytes of the non-ASCII whitespace characters (`char::is_whitespace`:
/// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
const WS_LAST: [u64; 4] = byte_set(&[
    0x85, 0xA0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0x89, 0x8A, 0xA8, 0xA9, 0xAF, 0x9F,
]);

/// The first bytes of the non-ASCII whitespace characters (see [`WS_LAST`]).
const WS_LEAD: [u64; 4] = byte_set(&[0xC2, 0xE1, 0xE2, 0xE3]);

/// Byte classes of [`emoticon_spans`]: ASCII alphanumeric, ASCII whitespace (as
/// `char::is_whitespace` has it: tab to carriage return, space), other ASCII, non-ASCII.
const EMO_ALNUM: u8 = 0;
const EMO_SPACE: u8 = 1;
const EMO_OTHER: u8 = 2;
const EMO_HIGH: u8 = 3;

static EMO_CLASS: [u8; 256] = {
    let mut t = [EMO_HIGH; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_alphanumeric() {
            EMO_ALNUM
        } else if matches!(b, b'\t'..=b'\r' | b' ') {
            EMO_SPACE
        } else {
            EMO_OTHER
        };
        i += 1;
    }
    t
};

/// Appends the emoticons of sentence `stext` (starting at byte `s_start` of the text)
/// to `out`: whitespace-separated chunks of at most 12 bytes, not all alphanumeric,
/// found in `emoticons` as they are or ASCII-lowercased.
///
/// The span start of a chunk is `s_start` plus the lengths of the chunks before it,
/// plus one per separator (a separator counts one byte even when it is a multi-byte
/// whitespace character, as the reports always had it).
pub(super) fn emoticon_spans(
    emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
    filter: &EmoFilter,
    stext: &str,
    s_start: usize,
    out: &mut Vec<(u32, u32, f32)>,
) {
    if filter.anchored {
        anchored_spans(emoticons, filter, stext, s_start, out);
    } else {
        chunk_spans(emoticons, filter, stext, s_start, out);
    }
}

/// The value of `chunk` (at most 12 bytes) in `emoticons`, as it is or
/// ASCII-lowercased.
#[inline]
fn chunk_value(emoticons: &rustc_hash::FxHashMap<Box<str>, f32>, chunk: &str) -> Option<f32> {
    emoticons.get(chunk).copied().or_else(|| {
        let mut buf = [0u8; 12];
        let n = chunk.len();
        if !chunk.is_ascii() || n > buf.len() {
            return None;
        }
        for (d, b) in buf.iter_mut().zip(chunk.bytes()) {
            *d = b.to_ascii_lowercase();
        }
        std::str::from_utf8(&buf[..n])
            .ok()
            .and_then(|l| emoticons.get(l).copied())
    })
}

/// True when `x` is ASCII punctuation, without a branch or a table (so that the
/// block test of [`next_anchor`] compiles to vector compares).
#[inline(always)]
fn punct(x: u8) -> bool {
    (x.wrapping_sub(b'!') < 15)
        | (x.wrapping_sub(b':') < 7)
        | (x.wrapping_sub(b'[') < 6)
        | (x.wrapping_sub(b'{') < 4)
}

/// Bit `k` set: byte `k` of the block is ASCII punctuation, byte by byte.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
fn punct_mask_bytes(blk: &[u8; 16]) -> u32 {
    crate::text::mask16(blk, punct)
}

/// Bit `k` set: byte `k` of the block is ASCII punctuation (SSE2, part of every
/// x86-64; pinned against [`punct_mask_bytes`]).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn punct_mask(blk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    // SAFETY: the SSE2 instructions are enabled (the `cfg` of this function), and
    // the load reads the 16 bytes of `blk` (an unaligned load).
    unsafe {
        let x = _mm_loadu_si128(blk.as_ptr().cast());
        // `x - lo <= n` (unsigned): the bytes in `lo..=lo + n`.
        let within = |lo: u8, n: u8| {
            let d = _mm_sub_epi8(x, _mm_set1_epi8(lo as i8));
            _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(n as i8)), d)
        };
        let m = _mm_or_si128(
            _mm_or_si128(within(b'!', 14), within(b':', 6)),
            _mm_or_si128(within(b'[', 5), within(b'{', 3)),
        );
        _mm_movemask_epi8(m) as u32 & 0xFFFF
    }
}

/// [`punct_mask_bytes`] where there is no SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn punct_mask(blk: &[u8; 16]) -> u32 {
    punct_mask_bytes(blk)
}

/// The first anchor among the bytes whose bits are set in `m`, of the block at `at`.
#[inline]
fn first_anchor(b: &[u8], at: usize, mut m: u32, f: &EmoFilter) -> Option<usize> {
    while m != 0 {
        let k = at + m.trailing_zeros() as usize;
        if b.get(k).is_some_and(|&x| f.is_anchor(x)) {
            return Some(k);
        }
        m &= m - 1;
    }
    None
}

/// The first anchor of `b` at or after byte `from`: 16 bytes at a time, a vector test
/// for ASCII punctuation, then the anchor test of the punctuation bytes only.
#[inline]
fn next_anchor(b: &[u8], from: usize, f: &EmoFilter) -> Option<usize> {
    let rest = b.get(from..)?;
    let mut blocks = rest.chunks_exact(16);
    let mut at = from;
    for blk in blocks.by_ref() {
        let Ok(blk) = <&[u8; 16]>::try_from(blk) else {
            break;
        };
        let m = punct_mask(blk);
        if m != 0 {
            if let Some(k) = first_anchor(b, at, m, f) {
                return Some(k);
            }
        }
        at += 16;
    }
    // The last bytes, in a zeroed block (0 is no punctuation).
    let tail = blocks.remainder();
    let mut pad = [0u8; 16];
    pad[..tail.len()].copy_from_slice(tail);
    first_anchor(b, at, punct_mask(&pad), f)
}

/// The whitespace-separated chunk around the anchor at byte `p` of `stext` (an
/// ASCII byte, so a char boundary), as [`anchored_spans`] needs it: `Some((start,
/// end))`, or `None` when the chunk is over 12 bytes (no key is longer) or holds a
/// byte that no key holds ([`EmoFilter::is_key_byte`]): then no key matches it,
/// which its other anchors find again. Walks a byte at a time over ASCII, decoding
/// only the other characters (pinned against the scan of every chunk in tests).
#[inline]
fn chunk_bounds(stext: &str, p: usize, f: &EmoFilter) -> Option<(usize, usize)> {
    let b = stext.as_bytes();
    // Whether the non-ASCII, non-whitespace char `c` has only key bytes.
    let key_char = |c: char| {
        let mut buf = [0u8; 4];
        c.encode_utf8(&mut buf).bytes().all(|x| f.is_key_byte(x))
    };
    let mut s = p;
    while s > 0 {
        let x = b[s - 1];
        if x < 0x80 {
            if EMO_CLASS[x as usize] == EMO_SPACE {
                break;
            }
            if !f.is_key_byte(x) {
                return None;
            }
            s -= 1;
        } else {
            let c = stext.get(..s).and_then(|h| h.chars().next_back())?;
            if c.is_whitespace() {
                break;
            }
            if !key_char(c) {
                return None;
            }
            s -= c.len_utf8();
        }
        if p + 1 - s > 12 {
            return None;
        }
    }
    let mut e = p + 1;
    while let Some(&x) = b.get(e) {
        if x < 0x80 {
            if EMO_CLASS[x as usize] == EMO_SPACE {
                break;
            }
            if !f.is_key_byte(x) {
                return None;
            }
            e += 1;
        } else {
            let c = stext.get(e..).and_then(|t| t.chars().next())?;
            if c.is_whitespace() {
                break;
            }
            if !key_char(c) {
                return None;
            }
            e += c.len_utf8();
        }
        if e - s > 12 {
            return None;
        }
    }
    Some((s, e))
}

/// The chunk of `stext` around the anchor at byte `p` that [`anchored_spans`] tries,
/// `None` when no key matches it (its later anchors find that again).
#[inline]
fn anchor_chunk(filter: &EmoFilter, stext: &str, p: usize) -> Option<(usize, usize)> {
    // An anchor between bytes that are no neighbours in a key is in no chunk that
    // matches (most anchors: a word's `.` or `,`), as when `chunk_bounds` gives a
    // chunk up.
    if !filter.may_hold_anchor(stext.as_bytes(), p) {
        return None;
    }
    // The chunk around the anchor: back and forth to whitespace, giving up past 12
    // bytes (no key is longer). `p` is an ASCII byte, a char boundary.
    chunk_bounds(stext, p, filter)
}

/// [`emoticon_spans`] when the filter is [`EmoFilter::anchored`]: only the chunks
/// that hold an anchor can match, so the scan jumps from anchor to anchor and looks
/// at most 12 bytes back and forth for the chunk around it. Every chunk with an
/// anchor is tried once, in order, with the tests of [`chunk_spans`]; a chunk's span
/// start counts its separators as [`chunk_spans`] does (pinned against it in tests).
fn anchored_spans(
    emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
    filter: &EmoFilter,
    stext: &str,
    s_start: usize,
    out: &mut Vec<(u32, u32, f32)>,
) {
    let b = stext.as_bytes();
    // Bytes of multi-byte whitespace before `drift_at`, less one each: the span start
    // of a chunk at byte `s` is `s - drift` (a separator counts one byte).
    let (mut drift_at, mut drift) = (0usize, 0usize);
    let mut from = 0usize;
    while let Some(p) = next_anchor(b, from, filter) {
        let Some((s, e)) = anchor_chunk(filter, stext, p) else {
            // No key matches the chunk; its later anchors find that again.
            from = p + 1;
            continue;
        };
        // (The chunk holds an anchor: it is neither plain nor all alphanumeric.)
        let chunk = stext.get(s..e).unwrap_or_default();
        if filter.may_match(chunk.as_bytes()) {
            if let Some(v) = chunk_value(emoticons, chunk) {
                for c in stext.get(drift_at..s).unwrap_or_default().chars() {
                    if c.is_whitespace() {
                        drift += c.len_utf8() - 1;
                    }
                }
                drift_at = s;
                let a = (s_start + s - drift) as u32;
                out.push((a, a + chunk.len() as u32, v));
            }
        }
        // The chunk ends at whitespace or the end of the sentence.
        from = e;
    }
}

/// Which sentences of `text` (byte ranges in order, not overlapping, as
/// [`crate::sentence::split`] gives them) may hold an emoticon, once per document:
/// `out[i]` is false when [`emoticon_spans`] of sentence `i` certainly finds none.
/// With an [`EmoFilter::anchored`] filter, one scan of the whole text from anchor to
/// anchor (not one per sentence): a sentence holds one only when the chunk around an
/// anchor in it, within the sentence, passes the tests of [`anchored_spans`] and is a
/// key (most sentences have none). Without, a sentence with ASCII punctuation may.
pub(super) fn emoticon_sentences(
    emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
    filter: &EmoFilter,
    text: &str,
    sentences: &[(usize, usize)],
    out: &mut Vec<bool>,
) {
    emoticon_sentences_with(emoticons, filter, text, sentences, out, simd::wide());
}

/// [`emoticon_sentences`], the anchors found 32 bytes at a time when `wide` (only
/// where the CPU runs AVX2, [`simd::wide`]), else 16 at a time.
fn emoticon_sentences_with(
    emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
    filter: &EmoFilter,
    text: &str,
    sentences: &[(usize, usize)],
    out: &mut Vec<bool>,
    wide: bool,
) {
    out.clear();
    if !filter.anchored {
        out.extend(sentences.iter().map(|&(a, b)| {
            text.get(a..b)
                .is_some_and(|s| s.bytes().any(|x| x.is_ascii_punctuation()))
        }));
        return;
    }
    out.resize(sentences.len(), false);
    let b = text.as_bytes();
    let mut si = 0usize;
    // Anchors before `from` need no test (their sentence is marked).
    let mut from = 0usize;
    // 16 bytes at a time (the last ones in a zeroed block: 0 is no punctuation),
    // each punctuation byte of a block in turn, without scanning a block twice.
    let mut blocks = b.chunks_exact(16);
    let mut at = 0usize;
    let mut test = |p: usize, from: &mut usize| {
        if p < *from || !filter.is_anchor(b[p]) {
            return;
        }
        // The sentence that holds the anchor, if one does.
        while sentences.get(si).is_some_and(|&(_, e)| e <= p) {
            si += 1;
        }
        let Some(&(s, e)) = sentences.get(si) else {
            *from = usize::MAX;
            return;
        };
        if p < s {
            return;
        }
        // Most anchors are in no chunk that can match (`may_hold_anchor`, the first
        // test of `anchor_chunk`): tested on the sentence's bytes before its text is
        // sliced (with the checks of character boundaries).
        if !b
            .get(s..e)
            .is_some_and(|sb| filter.may_hold_anchor(sb, p - s))
        {
            return;
        }
        let st = text.get(s..e).unwrap_or_default();
        let hit = anchor_chunk(filter, st, p - s).is_some_and(|(cs, ce)| {
            let chunk = st.get(cs..ce).unwrap_or_default();
            filter.may_match(chunk.as_bytes()) && chunk_value(emoticons, chunk).is_some()
        });
        if hit {
            if let Some(o) = out.get_mut(si) {
                *o = true;
            }
            // (The sentence's other anchors need no test.)
            *from = e;
        }
    };
    #[cfg(target_arch = "x86_64")]
    if wide {
        // SAFETY: `wide` only where the CPU runs AVX2.
        unsafe { simd::each_in_avx2(b, &filter.anchor_set, |p| test(p, &mut from)) };
        return;
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = wide;
    for blk in blocks.by_ref() {
        let Ok(blk) = <&[u8; 16]>::try_from(blk) else {
            break;
        };
        let mut m = punct_mask(blk);
        while m != 0 {
            test(at + m.trailing_zeros() as usize, &mut from);
            m &= m - 1;
        }
        at += 16;
    }
    let tail = blocks.remainder();
    let mut pad = [0u8; 16];
    pad[..tail.len()].copy_from_slice(tail);
    let mut m = punct_mask(&pad);
    while m != 0 {
        test(at + m.trailing_zeros() as usize, &mut from);
        m &= m - 1;
    }
}

/// [`emoticon_spans`] by a scan of every chunk (for key sets that are not
/// [`EmoFilter::anchored`]).
fn chunk_spans(
    emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
    filter: &EmoFilter,
    stext: &str,
    s_start: usize,
    out: &mut Vec<(u32, u32, f32)>,
) {
    let b = stext.as_bytes();
    let mut off = 0usize; // chunk start as counted for the span
    let mut at = 0usize; // chunk start in `stext`
    loop {
        // The chunk ends at the next whitespace character (`char::is_whitespace`).
        let mut j = at;
        let mut sep = 0usize;
        let mut plain = true; // ASCII alphanumeric only
        while j < b.len() {
            match EMO_CLASS[b[j] as usize] {
                EMO_ALNUM => j += 1,
                EMO_SPACE => {
                    sep = 1;
                    break;
                }
                EMO_OTHER => {
                    plain = false;
                    j += 1;
                }
                _ if (0xE4..=0xEF).contains(&b[j]) => {
                    // U+4000..U+FFFF (CJK ideographs and most of the rest of the BMP):
                    // three bytes, and none of these characters is whitespace.
                    plain = false;
                    j += 3;
                }
                _ => {
                    plain = false;
                    let Some(ch) = stext.get(j..).and_then(|r| r.chars().next()) else {
                        j += 1;
                        continue;
                    };
                    if ch.is_whitespace() {
                        sep = ch.len_utf8();
                        break;
                    }
                    j += ch.len_utf8();
                }
            }
        }
        let chunk = &stext[at..j];
        let cs = off;
        off += chunk.len() + 1;
        if !plain
            && chunk.len() <= 12
            && filter.may_match(chunk.as_bytes())
            && !chunk.chars().all(char::is_alphanumeric)
        {
            if let Some(v) = chunk_value(emoticons, chunk) {
                let a = (s_start + cs) as u32;
                out.push((a, a + chunk.len() as u32, v));
            }
        }
        if sep == 0 {
            return;
        }
        at = j + sep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_set_is_the_anchors() {
        let f = EmoFilter::new([":-)", "<3", "x-d", "o.o", ";(", "abc", "é:"]);
        for x in 0..=255u8 {
            assert_eq!(f.anchor_set.contains(x), f.is_anchor(x), "{x:#x}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn wide_anchor_scan_equals_the_block_scan(
            s in "([a-zA-Z]{1,6}|[ \u{a0}\u{3000}\n]|:\\)|;-\\(|<3|:D|x-d|o\\.o|比特币|[.,!?。:;()'\\-]){0,60}"
        ) {
            // Anchors at every place of the 32-byte vectors and after them.
            proptest::prop_assume!(simd::wide());
            let keys = [":)", ":(", ";-(", "<3", ":D", "x-d", "o.o", ":P", ":-)"];
            let m: rustc_hash::FxHashMap<Box<str>, f32> =
                keys.iter().map(|&k| (k.into(), 1.0)).collect();
            let f = EmoFilter::new(keys);
            let sentences = crate::sentence::split(&s);
            let (mut wide, mut blocks) = (Vec::new(), Vec::new());
            emoticon_sentences_with(&m, &f, &s, &sentences, &mut wide, true);
            emoticon_sentences_with(&m, &f, &s, &sentences, &mut blocks, false);
            proptest::prop_assert_eq!(wide, blocks);
        }
    }

    #[test]
    fn punct_mask_equals_the_byte_test() {
        // Every byte value at every place of a block, among bytes of each kind; and
        // `punct` is `is_ascii_punctuation`.
        for x in 0..=255u8 {
            assert_eq!(punct(x), x.is_ascii_punctuation(), "{x:#x}");
            for k in 0..16 {
                for fill in [b'a', b' ', 0xE5, 0x80, b'.', 0] {
                    let mut blk = [fill; 16];
                    blk[k] = x;
                    assert_eq!(punct_mask(&blk), punct_mask_bytes(&blk), "{x:#x} at {k}");
                }
            }
        }
    }

    #[test]
    fn key_bytes_are_the_bytes_of_the_keys() {
        // Every byte of a key that a chunk can equal, and the capital of each
        // lowercase letter among them; no other byte (all-alphanumeric keys count
        // for nothing, as chunks are never looked up in them).
        let keys = [":-Þ", "x-d", "é:", "</3", "abc"];
        let f = EmoFilter::new(keys);
        let mut want = [false; 256];
        for k in &keys[..4] {
            for b in k.bytes() {
                want[b as usize] = true;
                want[b.to_ascii_uppercase() as usize] = true;
            }
        }
        for b in 0..=255u8 {
            assert_eq!(f.is_key_byte(b), want[b as usize], "{b:#x}");
        }
        assert!(f.is_key_byte(b'X') && !f.is_key_byte(b'a') && !f.is_key_byte(0xE4));
    }

    #[test]
    fn chunks_with_other_bytes_are_given_up() {
        // A word before a comma or period, Chinese text around a comma: given up at
        // the first byte no key holds; a chunk of key bytes keeps its bounds, to
        // whitespace on both sides.
        let f = EmoFilter::new([":)", "x.x", "Þ:"]);
        let t = "word. 好,好 x.x :)\u{3000}Þ: a:) ";
        let at = |pat: &str, k: usize| t.find(pat).map(|i| i + k).unwrap_or(usize::MAX);
        assert_eq!(chunk_bounds(t, at("word.", 4), &f), None);
        assert_eq!(chunk_bounds(t, at("好,", 3), &f), None);
        assert_eq!(
            chunk_bounds(t, at("x.x", 1), &f),
            Some((at("x.x", 0), at("x.x", 3)))
        );
        assert_eq!(
            chunk_bounds(t, at(":)", 0), &f),
            Some((at(":)", 0), at(":)", 2)))
        );
        assert_eq!(
            chunk_bounds(t, at("Þ:", 2), &f),
            Some((at("Þ:", 0), at("Þ:", 3)))
        );
        assert_eq!(chunk_bounds(t, at("a:)", 1), &f), None);
        // Over 12 bytes of key bytes: given up too.
        assert_eq!(chunk_bounds(":):):):):):):)", 0, &f), None);
        assert_eq!(chunk_bounds(":):):):):):)", 0, &f), Some((0, 12)));
    }

    #[test]
    fn anchors_of_a_key_pass_the_neighbour_test() {
        // Every anchor of a key standing as a chunk (also in capitals, between
        // whitespace of any kind or at the sentence's ends) passes.
        let keys = [":)", "x-d", "é:", "</3", ":-Þ", "o.O"];
        let f = EmoFilter::new(keys);
        for k in keys {
            for k in [k.to_string(), k.to_ascii_uppercase()] {
                for (l, r) in [
                    ("", ""),
                    (" ", "\t"),
                    ("a\u{a0}", "\u{3000}b"),
                    ("\n", " z"),
                ] {
                    let s = format!("{l}{k}{r}");
                    for (p, x) in s.bytes().enumerate() {
                        if x.is_ascii_punctuation() && p >= l.len() && p < l.len() + k.len() {
                            assert!(f.may_hold_anchor(s.as_bytes(), p), "{s:?} {p}");
                        }
                    }
                }
            }
        }
        // Anchors between bytes that are no neighbours in a key (a word's `.` and
        // `,`, a key glued to a letter) do not, nor one next to a non-ASCII byte of
        // no key and no whitespace character (a comma between ideographs).
        let s = "day. so, U.S. a:) :)b 好,好";
        let at = |pat: &str, k: usize| s.find(pat).map(|i| i + k).unwrap_or(usize::MAX);
        for p in [
            at("day.", 3),
            at("so,", 2),
            at("U.S.", 1),
            at("a:)", 1),
            at(":)b", 1),
            at("好,", 3),
        ] {
            assert!(!f.may_hold_anchor(s.as_bytes(), p), "{p}");
        }
        assert!(f.may_hold_anchor(s.as_bytes(), at(" :)b", 1)));
    }

    #[test]
    fn next_anchor_finds_the_first_anchor() {
        // Anchors (`:`) and non-anchor punctuation (`!`, not in the keys) at every
        // distance, inside and past the 16-byte blocks.
        let f = EmoFilter::new([":)", ":("]);
        assert!(f.anchored());
        for len in 0..50 {
            for at in 0..len {
                let mut b = vec![b'a'; len];
                for (i, x) in b.iter_mut().enumerate() {
                    if i % 7 == 3 {
                        *x = b'!';
                    }
                }
                b[at] = b':';
                for from in 0..=len {
                    let want = (from..len).find(|&i| b[i] == b':');
                    assert_eq!(next_anchor(&b, from, &f), want, "{len} {at} {from}");
                }
            }
        }
    }
}
