//! Emoticons (`:)`, `:-(` …, English resources only): a scan of a sentence's
//! whitespace-separated chunks with a cheap filter on their first and last bytes.

/// Which (first byte, last byte) pairs an emoticon key can have, so that most
/// whitespace-separated chunks of a sentence are ruled out without a hash lookup (see
/// [`emoticon_spans`]). Keys made only of alphanumeric characters are left out: such
/// chunks are never looked up.
#[derive(Debug, Clone)]
pub(crate) struct EmoFilter {
    /// Bit `first * 256 + last` set: a chunk with these end bytes can match a key.
    pairs: Box<[u64; 1024]>,
}

impl Default for EmoFilter {
    fn default() -> Self {
        EmoFilter {
            pairs: Box::new([0; 1024]),
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
        f
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
            let v = emoticons.get(chunk).copied().or_else(|| {
                let mut buf = [0u8; 12];
                let n = chunk.len();
                if !chunk.is_ascii() {
                    return None;
                }
                for (d, b) in buf.iter_mut().zip(chunk.bytes()) {
                    *d = b.to_ascii_lowercase();
                }
                std::str::from_utf8(&buf[..n])
                    .ok()
                    .and_then(|l| emoticons.get(l).copied())
            });
            if let Some(v) = v {
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
