//! Sentence splitting for NFKC-normalized Chinese and English text.
//!
//! (Un-normalized full-width `！？；` are handled too, so raw text splits the same way.)
//!
//! [`split`] returns the byte ranges of the sentences of a text. It works on the text
//! as duibi analyses it, i.e. after [`crate::text::normalize()`]: NFKC turns the
//! full-width `！？；，：` into ASCII `! ? ; , :` and `…` into `...`, while `。` stays.
//!
//! Rules:
//!
//! * `。` (and the half-width `｡`) always ends a sentence; so do `!` and `?` when followed
//!   by whitespace, the end of the text, a CJK character or a closing quote/bracket.
//!   Runs of terminators (`!!`, `?!`, `。。`) stay together, and closing quotes and
//!   brackets after them (`”」』）)]` …) stay with the sentence they close.
//! * `;` ends a sentence only in Chinese context (a CJK character on either side), where
//!   it comes from the full-width `；`; an English semicolon joins clauses.
//! * `.` ends a sentence when followed by whitespace (or the end, or CJK text), except
//!   in decimals (`3.5`, never split: no whitespace), after abbreviations of titles and
//!   Latin phrases (`Mr.`, `Dr.`, `e.g.`, `i.e.`, `vs.`, `al.`), after dotted acronyms
//!   (`U.S.`, `U.K.`) and single initials (`J. K.`), and before a lowercase word. After
//!   company and list abbreviations (`Inc.`, `Ltd.`, `Co.`, `etc.`, month names) it ends
//!   a sentence only when the next word starts with a capital letter, a digit does not
//!   count (`Jan. 5`).
//! * An ellipsis (`...`, `……` after NFKC) ends a sentence when the next word starts with
//!   a capital letter, a CJK character, or a line break follows; `wait... what` stays one
//!   sentence.
//! * A blank line (paragraph break) always ends a sentence. A single line break ends one
//!   in Chinese context (a CJK character or CJK punctuation before or after it): Chinese
//!   is not hard-wrapped in practice, while English hard wraps are common, so a single
//!   line break between Latin words does not split.
//!
//! * A sentence longer than [`MAX_SENTENCE_BYTES`] (text with no sentence ends) is cut
//!   into pieces of at most that many bytes, each at the last whitespace or comma of its
//!   second half, else at a character boundary, so no sentence is unbounded.
//!
//! Ranges start at the first non-whitespace character of the sentence and end after its
//! last one; they are on char boundaries, in order, and never overlap. The function
//! never panics.
//!
//! ```
//! let text = "比特币暴跌！！矿工怎么办？ Mr. Smith paid $3.5 million. Prices fell.";
//! let s: Vec<&str> = duibi::sentence::split(text).iter().map(|&(a, b)| &text[a..b]).collect();
//! assert_eq!(s, vec!["比特币暴跌！！", "矿工怎么办？", "Mr. Smith paid $3.5 million.", "Prices fell."]);
//! ```

pub use crate::config::MAX_SENTENCE_BYTES;

use super::simd::{self, ByteSet};

/// Abbreviations after which `.` never ends a sentence (lowercase, without the dot).
const ABBREV_NEVER: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "sen", "rep", "gov", "col", "lt",
    "sgt", "capt", "cmdr", "adm", "rev", "hon", "pres", "e.g", "i.e", "eg", "ie", "vs", "cf", "al",
    "approx", "dept", "est", "fig", "ca", "viz", "mt", "ft",
];

/// Abbreviations after which `.` does not end a sentence before a number (`No. 5`).
const ABBREV_NUMBER: &[&str] = &["no", "nos", "vol", "pp", "p", "art", "sec", "ch"];

/// Abbreviations after which `.` ends a sentence only before a capitalized word.
const ABBREV_MAYBE: &[&str] = &[
    "inc", "ltd", "co", "corp", "llc", "plc", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "bros", "dist",
];

#[inline]
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF
        | 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// CJK punctuation that marks Chinese context.
#[inline]
fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF) || matches!(c, '“' | '”' | '‘' | '’')
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '”'
            | '’'
            | '」'
            | '』'
            | '）'
            | '】'
            | '》'
            | '〉'
            | '〕'
            | '〗'
            | '»'
    )
}

#[inline]
fn is_hard_terminator(c: char) -> bool {
    matches!(
        c,
        '。' | '｡' | '!' | '?' | '！' | '？' | '‼' | '⁉' | '⁈' | '⁇' | '；'
    )
}

#[inline]
fn is_terminator(c: char) -> bool {
    is_hard_terminator(c) || matches!(c, '.' | ';' | '…')
}

/// ASCII bytes the splitter must look at: whitespace (as `char::is_whitespace` has
/// it) and the ASCII terminators. Every other ASCII byte just extends the sentence.
#[inline]
const fn ascii_special(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | b'!' | b'?' | b'.' | b';')
}

/// The UTF-8 length of a character that starts with byte `b` when the splitter only
/// has to pass over it: an ASCII byte other than whitespace and the terminators
/// ([`ascii_special`]), a two-byte character from U+00C0 on (lead bytes `C3`–`DF`:
/// below U+00C0 lie U+0085 and U+00A0, which are whitespace) or a three-byte
/// character in U+4000–U+9FFF (lead bytes `E4`–`E9`: the ideographs Chinese text is
/// made of). No whitespace, terminator or closer is in these ranges, so such a
/// character is handled by the general loop exactly as by this shortcut. `None`
/// for every other byte (continuation bytes included).
#[inline]
const fn plain_width(b: u8) -> Option<usize> {
    match b {
        0..=0x7F if !ascii_special(b) => Some(1),
        0xC3..=0xDF => Some(2),
        0xE4..=0xE9 => Some(3),
        _ => None,
    }
}

/// [`STRETCH`] of a space, tab, vertical tab or form feed.
const SKIP: u8 = 4;

/// What the stretch loop of [`split`] does with a byte, one table load per byte:
/// 1–3, pass over a plain character of that width ([`plain_width`]); [`SKIP`], pass
/// over a whitespace byte other than a line break (it neither starts, extends nor
/// ends a sentence); 0, leave the stretch.
static STRETCH: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match plain_width(b) {
            Some(w) => w as u8,
            None if matches!(b, b' ' | b'\t' | 0x0B | 0x0C) => SKIP,
            None => 0,
        };
        i += 1;
    }
    t
};

/// True when byte `x` ends a stretch of [`split`] (its [`STRETCH`] is 0) where it
/// starts a character: a line break or carriage return, an ASCII terminator, or the
/// lead byte of a character [`plain_width`] does not pass over (`C0`–`C2`, `E0`–`E3`,
/// `EA`–`FF`). ASCII bytes and lead bytes start a character wherever they occur in
/// UTF-8, and continuation bytes (`80`–`BF`) are never stops, so the first stop byte
/// after a character boundary is where the stretch ends. Branch-free, so that the
/// block test of [`stretch_stop`] compiles to vector compares.
#[inline(always)]
const fn stops(x: u8) -> bool {
    (x == b'\n')
        | (x == b'\r')
        | (x == b'!')
        | (x == b'?')
        | (x == b'.')
        | (x == b';')
        | (x.wrapping_sub(0xC0) < 3)
        | (x.wrapping_sub(0xE0) < 4)
        | (x >= 0xEA)
}

/// The bytes that [`stops`] a stretch, for the 32-byte scan of [`stretch_stop`].
static STOP_SET: ByteSet = ByteSet::new(&{
    let mut t = [false; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = stops(x as u8);
        x += 1;
    }
    t
});

/// Bit `k` set: byte `k` of the block [`stops`] a stretch, byte by byte.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
fn stop_mask_bytes(blk: &[u8; 16]) -> u32 {
    super::mask16(blk, stops)
}

/// Bit `k` set: byte `k` of the block [`stops`] a stretch (SSE2, part of every
/// x86-64: 16 bytes in about 20 instructions; pinned against [`stop_mask_bytes`]).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn stop_mask(blk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_sub_epi8,
    };
    // SAFETY: the SSE2 instructions are enabled (the `cfg` of this function), and
    // the load reads the 16 bytes of `blk` (an unaligned load).
    unsafe {
        let x = _mm_loadu_si128(blk.as_ptr().cast());
        let eq = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
        // `x - lo <= n` (unsigned): the bytes in `lo..=lo + n`.
        let within = |lo: u8, n: u8| {
            let d = _mm_sub_epi8(x, _mm_set1_epi8(lo as i8));
            _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(n as i8)), d)
        };
        let high = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0xEAu8 as i8)), x);
        let m = _mm_or_si128(
            _mm_or_si128(
                _mm_or_si128(eq(b'\n'), eq(b'\r')),
                _mm_or_si128(eq(b'!'), eq(b'?')),
            ),
            _mm_or_si128(
                _mm_or_si128(eq(b'.'), eq(b';')),
                _mm_or_si128(_mm_or_si128(within(0xC0, 2), within(0xE0, 3)), high),
            ),
        );
        _mm_movemask_epi8(m) as u32 & 0xFFFF
    }
}

/// [`stop_mask_bytes`] where there is no SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn stop_mask(blk: &[u8; 16]) -> u32 {
    stop_mask_bytes(blk)
}

/// The stretch of [`split`] that starts with the plain character of width `w` at byte
/// `i` of `b`: (its end, the start of its last character that is not a space, tab,
/// vertical tab or form feed), as [`stretch_stop`] and [`stretch_last`] find them
/// (pinned against the byte-by-byte loop in tests).
#[cfg(test)]
fn stretch_end(b: &[u8], i: usize, w: usize) -> (usize, usize) {
    let end = stretch_stop(b, i, w);
    (end, stretch_last(b, i, w, end))
}

/// The end of the stretch of [`split`] that starts with the plain character of width
/// `w` at byte `i` of `b`: the first stop byte ([`stops`]) after the first character,
/// found 32 bytes at a time where the CPU runs AVX2, else 16 at a time
/// ([`stretch_stop_blocks`]); the stretch's bytes before it are plain characters and
/// [`SKIP`] bytes.
#[inline]
fn stretch_stop(b: &[u8], i: usize, w: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    if simd::wide() {
        // SAFETY: the CPU runs AVX2 (checked just above).
        return unsafe { simd::first_in_avx2(b, i + w, &STOP_SET) };
    }
    stretch_stop_blocks(b, i, w)
}

/// [`stretch_stop`] 16 bytes at a time (SSE2, part of every x86-64).
#[inline]
fn stretch_stop_blocks(b: &[u8], i: usize, w: usize) -> usize {
    let from = i + w;
    let rest = b.get(from..).unwrap_or_default();
    let mut blocks = rest.chunks_exact(16);
    let mut at = from;
    let mut end = b.len();
    let mut found = false;
    for blk in blocks.by_ref() {
        let Ok(blk) = <&[u8; 16]>::try_from(blk) else {
            break;
        };
        let m = stop_mask(blk);
        if m != 0 {
            end = at + m.trailing_zeros() as usize;
            found = true;
            break;
        }
        at += 16;
    }
    if !found {
        // The last bytes, in a zeroed block (0 is no stop).
        let tail = blocks.remainder();
        let mut pad = [0u8; 16];
        pad[..tail.len()].copy_from_slice(tail);
        let m = stop_mask(&pad);
        if m != 0 {
            end = at + m.trailing_zeros() as usize;
        }
    }
    end
}

/// The start of the last character that is not a SKIP byte of the stretch of
/// [`split`] from the plain character of width `w` at byte `i` of `b` to `end` (its
/// [`stretch_stop`]): back over SKIP bytes, then to the lead byte of the character
/// before them (the first character at `i` at worst).
#[inline]
fn stretch_last(b: &[u8], i: usize, w: usize, end: usize) -> usize {
    let from = i + w;
    let mut k = end;
    while k > from && STRETCH[b[k - 1] as usize] == SKIP {
        k -= 1;
    }
    if k == from {
        return i;
    }
    k -= 1;
    while k > from && b[k] & 0xC0 == 0x80 {
        k -= 1;
    }
    k
}

/// The stretch loop of [`split`] as it was written before [`stretch_end`]: one table
/// load per character.
#[cfg(test)]
fn stretch_end_bytewise(b: &[u8], i: usize, w: usize) -> (usize, usize) {
    let mut last = i;
    let mut j = i + w;
    while let Some(&x) = b.get(j) {
        match STRETCH[x as usize] {
            0 => break,
            SKIP => j += 1,
            w => {
                last = j;
                j += w as usize;
            }
        }
    }
    (j, last)
}

/// The char starting at byte `i` of `text` (`None` at the end).
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text.get(i..)?.chars().next()
}

/// The char ending at byte `i` of `text` (`None` at the start).
#[inline]
fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// Byte ranges of the sentences of normalized `text`; see the module documentation.
///
/// Works on byte offsets, decoding characters only where the rules look at them;
/// a stretch of ASCII that is neither a line break nor a terminator is passed over in
/// one step.
pub fn split(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let n = b.len();
    // (Room for a sentence per 64 bytes: most texts' sentences are longer, so the
    // list seldom grows.)
    let mut out = Vec::with_capacity(n / 64 + 1);
    let mut start: Option<usize> = None; // byte offset of the sentence's first char
    let mut last_nonspace: usize = 0; // byte offset of its last non-whitespace char

    // The last stretch (its first character, that one's width and its end) while its
    // last character is not yet looked for: most stretches end at a terminator or a
    // character that becomes the last one itself, so it is looked for only when
    // `last_nonspace` is read with the stretch still last (a line break, the end).
    let mut stretch: Option<(usize, usize, usize)> = None;
    let settle = |stretch: &mut Option<(usize, usize, usize)>, last: &mut usize| {
        if let Some((i, w, end)) = stretch.take() {
            *last = stretch_last(b, i, w, end);
        }
    };
    let mut i = 0;
    let push = |s: Option<usize>, last: usize, out: &mut Vec<(usize, usize)>| {
        if let Some(s) = s {
            if last >= s {
                let end = char_at(text, last).map_or(text.len(), |c| last + c.len_utf8());
                out.push((s, end));
            }
        }
    };
    while i < n {
        if let Some(w) = plain_width(b[i]) {
            // A stretch of plain characters only extends the sentence.
            if start.is_none() {
                start = Some(i);
            }
            // Spaces and tabs inside the stretch are passed over too.
            let j = stretch_stop(b, i, w);
            stretch = Some((i, w, j));
            i = j;
            continue;
        }
        let Some(c) = char_at(text, i) else { break };
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2029}' {
                // Look at the whole whitespace run for a paragraph break.
                let mut j = i;
                let mut newlines = 0;
                while let Some(cj) = char_at(text, j).filter(|c| c.is_whitespace()) {
                    if cj == '\n' || cj == '\u{2029}' {
                        newlines += 1;
                    }
                    j += cj.len_utf8();
                }
                if c == '\r' && newlines == 0 {
                    newlines = 1;
                }
                if start.is_some() {
                    settle(&mut stretch, &mut last_nonspace);
                    let prev = char_at(text, last_nonspace).unwrap_or(' ');
                    let next = char_at(text, j);
                    let cjk_ctx = is_cjk(prev)
                        || is_cjk_punct(prev)
                        || next.is_some_and(|c| is_cjk(c) || is_cjk_punct(c));
                    if newlines >= 2 || cjk_ctx {
                        push(start, last_nonspace, &mut out);
                        start = None;
                    }
                }
                i = j;
                continue;
            }
            i += c.len_utf8();
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        last_nonspace = i;
        stretch = None;
        if !is_terminator(c) {
            i += c.len_utf8();
            continue;
        }
        // A run of terminators, then closers.
        let run_start = i;
        let mut j = i;
        let mut dots = 0;
        let mut hard = false;
        let mut semicolon = false;
        let mut run_last = i; // byte offset of the run's last char
        while let Some(cj) = char_at(text, j).filter(|&c| is_terminator(c)) {
            match cj {
                '.' => dots += 1,
                '…' => dots += 3,
                ';' => semicolon = true,
                _ => hard = true,
            }
            run_last = j;
            j += cj.len_utf8();
        }
        // Closers after the terminators (also terminators after closers: `!”!`).
        while let Some(cj) = char_at(text, j).filter(|&c| is_closer(c) || is_terminator(c)) {
            run_last = j;
            j += cj.len_utf8();
        }
        let next = char_at(text, j);
        // Next non-whitespace char, and whether a line break comes first.
        let mut k = j;
        let mut line_break = false;
        while let Some(ck) = char_at(text, k).filter(|c| c.is_whitespace()) {
            if ck == '\n' || ck == '\r' {
                line_break = true;
            }
            k += ck.len_utf8();
        }
        let next_word = char_at(text, k);
        let followed_ok = match next {
            None => true,
            Some(nc) => nc.is_whitespace() || is_cjk(nc) || is_cjk_punct(nc),
        };
        let is_boundary = if c == '。' || c == '｡' || (hard && text[run_start..j].contains('。'))
        {
            true
        } else if hard {
            followed_ok
        } else if semicolon && dots == 0 {
            // (The char before the run, decoded only here where it is read.)
            char_before(text, run_start).is_some_and(|p| is_cjk(p) || is_cjk_punct(p))
                || next_word.is_some_and(is_cjk)
        } else if dots >= 2 {
            // Ellipsis.
            match next_word {
                None => true,
                Some(w) => line_break || w.is_uppercase() || is_cjk(w) || is_cjk_punct(w),
            }
        } else {
            // A single period.
            let closed = j > run_start + c.len_utf8(); // `no."`: a closer follows the dot
            followed_ok && (closed || period_ends_sentence(text, run_start, next_word, line_break))
        };
        last_nonspace = run_last;
        if is_boundary {
            push(start, last_nonspace, &mut out);
            start = None;
        }
        i = j;
    }
    settle(&mut stretch, &mut last_nonspace);
    push(start, last_nonspace, &mut out);
    if out.iter().any(|&(a, b)| b - a > MAX_SENTENCE_BYTES) {
        out = cap_lengths(text, &out, MAX_SENTENCE_BYTES);
    }
    out
}

/// Cuts every range of `ranges` longer than `max` bytes into pieces of at most `max`
/// bytes: at the last whitespace or comma of the piece's second half, else at the last
/// character boundary. Pieces are trimmed of whitespace, as sentences are.
fn cap_lengths(text: &str, ranges: &[(usize, usize)], max: usize) -> Vec<(usize, usize)> {
    let max = max.max(8);
    let mut out = Vec::with_capacity(ranges.len() + 1);
    for &(a, b) in ranges {
        let mut s = a;
        while s < b {
            // Skip whitespace at the start of a piece.
            while let Some(c) = char_at(text, s).filter(|c| s < b && c.is_whitespace()) {
                s += c.len_utf8();
            }
            if s >= b {
                break;
            }
            let mut e = if b - s <= max {
                b
            } else {
                let lim = super::floor_char_boundary(text, s + max);
                let half = super::floor_char_boundary(text, s + max / 2);
                text[half..lim]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| c.is_whitespace() || matches!(c, ',' | '，' | '、'))
                    .map_or(lim, |(i, c)| half + i + c.len_utf8())
            };
            let next = e;
            // Trim whitespace at the end of the piece.
            while let Some(c) = char_before(text, e).filter(|c| e > s && c.is_whitespace()) {
                e -= c.len_utf8();
            }
            if e > s {
                out.push((s, e));
            }
            s = next;
        }
    }
    out
}

/// Decides a single `.` at byte `dot` that is followed by whitespace, CJK or the end.
fn period_ends_sentence(text: &str, dot: usize, next_word: Option<char>, line_break: bool) -> bool {
    let Some(nw) = next_word else { return true };
    if line_break || is_cjk(nw) || is_cjk_punct(nw) {
        return true;
    }
    // The word before the dot: letters and inner dots.
    let mut s = dot;
    for (p, c) in text[..dot].char_indices().rev() {
        if c.is_alphanumeric() || c == '.' {
            s = p;
        } else {
            break;
        }
    }
    let word = &text[s..dot];
    if word.is_empty() {
        return true;
    }
    let lower_next = nw.is_lowercase();
    if lower_next {
        return false; // "approx. five", "the U.S. economy", "etc. and"
    }
    let mut buf = [0u8; 16];
    let lw = lower_ascii(word, &mut buf);
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if word.contains('.') && letters <= 4 {
        return false; // dotted acronym: U.S., U.K., e.g., a.m.
    }
    if letters == 1 && word.chars().all(|c| c.is_uppercase()) {
        return false; // an initial: J. K. Rowling
    }
    if let Some(lw) = lw {
        if ABBREV_NEVER.contains(&lw) {
            return false;
        }
        if ABBREV_NUMBER.contains(&lw) && nw.is_ascii_digit() {
            return false;
        }
        if ABBREV_MAYBE.contains(&lw) {
            return nw.is_uppercase();
        }
    }
    true
}

/// Lowercases a short ASCII word into `buf`; `None` when it is not short ASCII.
fn lower_ascii<'a>(w: &str, buf: &'a mut [u8; 16]) -> Option<&'a str> {
    if w.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    for (d, b) in buf.iter_mut().zip(w.bytes()) {
        *d = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..w.len()]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The splitter as it was written before it worked on bytes: a table of
    /// (byte offset, char), indexed by char.
    mod reference {
        use super::super::*;

        thread_local! {
            /// Reused per thread: the (byte offset, char) table of the text being split.
            static CHARS: std::cell::RefCell<Vec<(usize, char)>> = const { std::cell::RefCell::new(Vec::new()) };
        }

        /// Byte ranges of the sentences of normalized `text`; see the module documentation.
        pub fn split(text: &str) -> Vec<(usize, usize)> {
            CHARS.with(|cell| match cell.try_borrow_mut() {
                Ok(mut chars) => {
                    chars.clear();
                    chars.extend(text.char_indices());
                    let out = split_chars(text, &chars);
                    if chars.capacity() > 1 << 20 {
                        *chars = Vec::new(); // do not keep a huge table alive
                    }
                    out
                }
                Err(_) => split_chars(text, &text.char_indices().collect::<Vec<_>>()),
            })
        }

        fn split_chars(text: &str, chars: &[(usize, char)]) -> Vec<(usize, usize)> {
            let n = chars.len();
            let mut out = Vec::new();
            let mut start: Option<usize> = None; // index into chars of the sentence's first char
            let mut last_nonspace: usize = 0; // index into chars
            let mut i = 0;
            let push = |s: Option<usize>, last: usize, out: &mut Vec<(usize, usize)>| {
                if let Some(s) = s {
                    if last >= s {
                        out.push((
                            chars[s].0,
                            chars.get(last + 1).map_or(text.len(), |&(b, _)| b),
                        ));
                    }
                }
            };
            while i < n {
                let c = chars[i].1;
                if c.is_whitespace() {
                    if c == '\n' || c == '\r' || c == '\u{2029}' {
                        // Look at the whole whitespace run for a paragraph break.
                        let mut j = i;
                        let mut newlines = 0;
                        while j < n && chars[j].1.is_whitespace() {
                            if chars[j].1 == '\n' || chars[j].1 == '\u{2029}' {
                                newlines += 1;
                            }
                            j += 1;
                        }
                        if c == '\r' && newlines == 0 {
                            newlines = 1;
                        }
                        if start.is_some() {
                            let prev = chars[last_nonspace].1;
                            let next = chars.get(j).map(|&(_, c)| c);
                            let cjk_ctx = is_cjk(prev)
                                || is_cjk_punct(prev)
                                || next.is_some_and(|c| is_cjk(c) || is_cjk_punct(c));
                            if newlines >= 2 || cjk_ctx {
                                push(start, last_nonspace, &mut out);
                                start = None;
                            }
                        }
                        i = j;
                        continue;
                    }
                    i += 1;
                    continue;
                }
                if start.is_none() {
                    start = Some(i);
                }
                last_nonspace = i;
                if !is_terminator(c) {
                    i += 1;
                    continue;
                }
                // A run of terminators, then closers.
                let run_start = i;
                let mut j = i;
                let mut dots = 0;
                let mut hard = false;
                let mut semicolon = false;
                while j < n && is_terminator(chars[j].1) {
                    match chars[j].1 {
                        '.' => dots += 1,
                        '…' => dots += 3,
                        ';' => semicolon = true,
                        _ => hard = true,
                    }
                    j += 1;
                }
                // Closers after the terminators (also terminators after closers: `!”!`).
                while j < n && (is_closer(chars[j].1) || is_terminator(chars[j].1)) {
                    j += 1;
                }
                let run_last = j - 1;
                let next = chars.get(j).map(|&(_, c)| c);
                // Next non-whitespace char, and whether a line break comes first.
                let mut k = j;
                let mut line_break = false;
                while k < n && chars[k].1.is_whitespace() {
                    if chars[k].1 == '\n' || chars[k].1 == '\r' {
                        line_break = true;
                    }
                    k += 1;
                }
                let next_word = chars.get(k).map(|&(_, c)| c);
                let prev = if run_start > 0 {
                    Some(chars[run_start - 1].1)
                } else {
                    None
                };
                let followed_ok = match next {
                    None => true,
                    Some(nc) => nc.is_whitespace() || is_cjk(nc) || is_cjk_punct(nc),
                };
                let is_boundary = if c == '。'
                    || c == '｡'
                    || (hard && chars[run_start..j].iter().any(|&(_, c)| c == '。'))
                {
                    true
                } else if hard {
                    followed_ok
                } else if semicolon && dots == 0 {
                    prev.is_some_and(|p| is_cjk(p) || is_cjk_punct(p))
                        || next_word.is_some_and(is_cjk)
                } else if dots >= 2 {
                    // Ellipsis.
                    match next_word {
                        None => true,
                        Some(w) => line_break || w.is_uppercase() || is_cjk(w) || is_cjk_punct(w),
                    }
                } else {
                    // A single period.
                    let closed = j > run_start + 1; // `no."`: a closer follows the dot
                    followed_ok
                        && (closed
                            || period_ends_sentence(text, chars, run_start, next_word, line_break))
                };
                if is_boundary {
                    last_nonspace = run_last;
                    push(start, last_nonspace, &mut out);
                    start = None;
                } else {
                    last_nonspace = run_last;
                }
                i = j;
            }
            push(start, last_nonspace, &mut out);
            out
        }

        /// Decides a single `.` at `chars[dot]` that is followed by whitespace, CJK or the end.
        fn period_ends_sentence(
            text: &str,
            chars: &[(usize, char)],
            dot: usize,
            next_word: Option<char>,
            line_break: bool,
        ) -> bool {
            let Some(nw) = next_word else { return true };
            if line_break || is_cjk(nw) || is_cjk_punct(nw) {
                return true;
            }
            // The word before the dot: letters and inner dots.
            let mut s = dot;
            while s > 0 && (chars[s - 1].1.is_alphanumeric() || chars[s - 1].1 == '.') {
                s -= 1;
            }
            let word = &text[chars[s].0..chars[dot].0];
            if word.is_empty() {
                return true;
            }
            let lower_next = nw.is_lowercase();
            if lower_next {
                return false; // "approx. five", "the U.S. economy", "etc. and"
            }
            let mut buf = [0u8; 16];
            let lw = lower_ascii(word, &mut buf);
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if word.contains('.') && letters <= 4 {
                return false; // dotted acronym: U.S., U.K., e.g., a.m.
            }
            if letters == 1 && word.chars().all(|c| c.is_uppercase()) {
                return false; // an initial: J. K. Rowling
            }
            if let Some(lw) = lw {
                if ABBREV_NEVER.contains(&lw) {
                    return false;
                }
                if ABBREV_NUMBER.contains(&lw) && nw.is_ascii_digit() {
                    return false;
                }
                if ABBREV_MAYBE.contains(&lw) {
                    return nw.is_uppercase();
                }
            }
            true
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn byte_splitter_matches_reference(
            t in "[ a-zA-Z0-9.!?;,'\"()”’」）…。｡！？；\n\r\t\u{2029}\u{85}\u{a0}好字ÉéΣ]{0,60}"
        ) {
            proptest::prop_assert_eq!(split(&t), reference::split(&t));
        }

        #[test]
        fn byte_splitter_matches_reference_on_english(
            t in "(Mr|Dr|e\\.g|U\\.S|Inc|Jan|No|J|etc|approx|the|The|A|x|3)(\\.|\\.\\.\\.|!|\\?|;|\\.\"|)( |\n|\n\n|  )(5|a|B|好|“|)"
        ) {
            proptest::prop_assert_eq!(split(&t), reference::split(&t));
        }

        #[test]
        fn byte_splitter_matches_reference_on_any_text(t in "\\PC{0,40}") {
            proptest::prop_assert_eq!(split(&t), reference::split(&t));
        }
    }

    #[test]
    fn stop_mask_equals_the_byte_test() {
        // Every byte value at every place of a block, among bytes of each kind.
        for x in 0..=255u8 {
            for k in 0..16 {
                for fill in [b'a', b' ', 0xE5, 0x80, b'.', 0] {
                    let mut blk = [fill; 16];
                    blk[k] = x;
                    assert_eq!(stop_mask(&blk), stop_mask_bytes(&blk), "{x:#x} at {k}");
                }
            }
        }
    }

    #[test]
    fn the_stop_set_is_the_stop_test() {
        for x in 0..=255u8 {
            assert_eq!(STOP_SET.contains(x), stops(x), "{x:#x}");
        }
    }

    #[test]
    fn stop_bytes_are_the_stretch_ends() {
        // `stops` is exactly "STRETCH is 0" for the bytes that start a character
        // (ASCII and lead bytes), and false for continuation bytes.
        for x in 0..=255u8 {
            if x & 0xC0 == 0x80 {
                assert!(!stops(x), "{x:#x}");
            } else {
                assert_eq!(stops(x), STRETCH[x as usize] == 0, "{x:#x}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn stretch_end_matches_the_bytewise_loop(
            t in "[ a-zA-Z0-9,'\t\u{b}\u{c}\u{a0}\u{bb}\u{c0}\u{7ff}\u{800}\u{2026}\u{3000}\u{3fff}\u{4000}\u{9fff}\u{a000}好字éΣ。.!?;\n\r\u{1f600}]{1,80}"
        ) {
            // From every character that starts a stretch: long runs across the
            // 16-byte blocks, stops at every distance, SKIP bytes before a stop.
            let b = t.as_bytes();
            let mut starts = 0;
            for (i, _) in t.char_indices() {
                if let Some(w) = plain_width(b[i]) {
                    let want = stretch_end_bytewise(b, i, w);
                    proptest::prop_assert_eq!(stretch_end(b, i, w), want, "{:?} at {}", &t, i);
                    // The 16-byte loop too, where the 32-byte one runs.
                    proptest::prop_assert_eq!(
                        stretch_stop_blocks(b, i, w), want.0, "{:?} at {}", &t, i
                    );
                    starts += 1;
                }
            }
            proptest::prop_assume!(starts > 0);
        }
    }

    #[test]
    fn long_stretches_match_the_bytewise_loop() {
        // Stretches of 0–100 bytes of plain and SKIP characters ending in each stop
        // character or at the end of the text.
        let pieces = ["a", "好", "é", " ", "\t", "Z9", "\u{c}"];
        for len in 0..100 {
            for end in [
                "",
                ".",
                "\n",
                "。",
                "!",
                "\u{a0}",
                "\u{2026}",
                " ",
                "\u{1f600}",
            ] {
                let mut t = String::from("x");
                let mut n = 0;
                while t.len() < len {
                    t.push_str(pieces[n % pieces.len()]);
                    n += 1;
                }
                t.push_str(end);
                t.push_str("tail");
                let b = t.as_bytes();
                let want = stretch_end_bytewise(b, 0, 1);
                assert_eq!(stretch_end(b, 0, 1), want, "{t:?}");
                assert_eq!(stretch_stop_blocks(b, 0, 1), want.0, "{t:?}");
            }
        }
    }

    #[test]
    fn plain_characters_are_never_whitespace_or_terminators() {
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            let mut b = [0u8; 4];
            let first = c.encode_utf8(&mut b).as_bytes()[0];
            if let Some(w) = plain_width(first) {
                assert_eq!(w, c.len_utf8(), "{c:?}");
                assert!(!c.is_whitespace() && !is_terminator(c), "{c:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn byte_splitter_matches_reference_at_plain_range_edges(
            t in "[ a.!;。\n\u{85}\u{a0}\u{bb}\u{c0}\u{7ff}\u{800}\u{2026}\u{3000}\u{3fff}\u{4000}\u{4dc0}\u{9fff}\u{a000}好”]{0,40}"
        ) {
            proptest::prop_assert_eq!(split(&t), reference::split(&t));
        }
    }

    #[test]
    fn long_sentences_are_cut() {
        // Chinese without punctuation: pieces at char boundaries.
        let zh = "挖矿".repeat(3000);
        let r = split(&zh);
        assert!(r.len() >= 3, "{}", r.len());
        assert!(r.iter().all(|&(a, b)| b - a <= MAX_SENTENCE_BYTES));
        assert_eq!(r.first().map(|x| x.0), Some(0));
        assert_eq!(r.last().map(|x| x.1), Some(zh.len()));
        assert!(r.windows(2).all(|w| w[0].1 == w[1].0));
        // Hard-wrapped English with no periods: cut at whitespace, words whole.
        let en = "miners moved their rigs\n".repeat(400);
        let r = split(&en);
        assert!(r.len() >= 4);
        for &(a, b) in &r {
            assert!(b - a <= MAX_SENTENCE_BYTES);
            let after = en[b..].chars().next();
            assert!(after.is_none_or(char::is_whitespace), "{:?}", &en[a..b]);
            assert!(a == 0 || en[..a].ends_with(char::is_whitespace));
        }
        // One "word" longer than the cap: cut anyway.
        let w = "x".repeat(5 * MAX_SENTENCE_BYTES);
        assert_eq!(split(&w).len(), 5);
        // Short sentences are untouched.
        assert_eq!(split("Prices fell. 好。"), vec![(0, 12), (13, 19)]);
    }

    fn sents(t: &str) -> Vec<&str> {
        split(t).iter().map(|&(a, b)| &t[a..b]).collect()
    }

    #[test]
    fn chinese_terminators_and_quotes() {
        let t = crate::text::normalize(
            "他说：“矿场要关了。”大家都很担心！！真的吗？是的；没办法……算了",
        );
        assert_eq!(
            sents(&t),
            vec![
                "他说:“矿场要关了。”",
                "大家都很担心!!",
                "真的吗?",
                "是的;",
                "没办法......",
                "算了"
            ]
        );
    }

    #[test]
    fn english_decimals_abbreviations() {
        let t = "Mr. Smith paid $3.5 million to Acme Inc. last year. The U.S. ban hurt. \
                 Prices fell, e.g. in Texas. Really?! Yes.";
        assert_eq!(
            sents(t),
            vec![
                "Mr. Smith paid $3.5 million to Acme Inc. last year.",
                "The U.S. ban hurt.",
                "Prices fell, e.g. in Texas.",
                "Really?!",
                "Yes."
            ]
        );
    }

    #[test]
    fn ellipsis_and_quotes() {
        let t = "Wait... what happened? He said \"no.\" Then... Nothing.";
        assert_eq!(
            sents(t),
            vec![
                "Wait... what happened?",
                "He said \"no.\"",
                "Then...",
                "Nothing."
            ]
        );
    }

    #[test]
    fn newlines() {
        let t = "First line\nstill first.\n\nSecond para\n\n第一句\n第二句";
        assert_eq!(
            sents(t),
            vec![
                "First line\nstill first.",
                "Second para",
                "第一句",
                "第二句"
            ]
        );
    }

    #[test]
    fn company_abbreviation_before_capital_splits() {
        let t = "He joined Acme Inc. The firm grew.";
        assert_eq!(sents(t), vec!["He joined Acme Inc.", "The firm grew."]);
    }

    #[test]
    fn never_panics_and_ranges_valid() {
        for t in [
            "",
            "   ",
            "!!!",
            "。",
            ".",
            "...",
            "a",
            "好",
            "\n\n\n",
            "”」",
            "x.y.z. ",
            "3.",
            "!?!? 好。。。 ok",
            "🚀🚀! 🚀",
            "Dr.",
            "\r\n\r\nA\r\nB",
        ] {
            let r = split(t);
            let mut last = 0;
            for &(a, b) in &r {
                assert!(a < b && a >= last && b <= t.len(), "{t:?} {r:?}");
                assert!(t.is_char_boundary(a) && t.is_char_boundary(b));
                assert!(!t[a..b].starts_with(char::is_whitespace));
                assert!(!t[a..b].ends_with(char::is_whitespace));
                last = b;
            }
            // Every non-whitespace char is covered.
            for (i, c) in t.char_indices() {
                if !c.is_whitespace() {
                    assert!(
                        r.iter().any(|&(a, b)| a <= i && i < b),
                        "{t:?}: {i} not covered"
                    );
                }
            }
        }
    }
}
