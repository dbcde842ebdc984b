//! Finding special tokens where a word segment starts: URLs, e-mail addresses,
//! @handles, #hashtags, hashes and wallet addresses, dates and percentages in runs
//! other than Chinese; numbers with their units and dates in Chinese runs.
//!
//! Cheap by construction: the first byte of a segment decides which check runs, and
//! every check is a forward scan over bytes (no regex, no allocation). An ordinary
//! word costs one or two byte comparisons.
//!
//! ```
//! use duibi::tokenize::{TokenKind, Tokenizer};
//! let tok = Tokenizer::builder().build().unwrap();
//! let (_, buf) = tok.tokenize("打赏地址 BTC: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh 2021年1月2日");
//! let t: Vec<(&str, TokenKind)> = buf.iter().map(|(t, s)| (s, t.kind)).collect();
//! assert!(t.contains(&("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", TokenKind::Hash)));
//! assert!(t.contains(&("2021年1月2日", TokenKind::Date)));
//! ```

use super::TokenKind;

/// Top-level domains that make `name.tld` a domain rather than an abbreviation
/// (`e.g`, `U.S`) or a file name (`node.js`).
const TLDS: [&str; 24] = [
    "com", "net", "org", "io", "co", "cn", "uk", "de", "jp", "info", "biz", "blog", "me", "app",
    "dev", "xyz", "top", "tv", "news", "gov", "edu", "hk", "tw", "ai",
];

/// Shortest hex string (with digits and letters) read as a hash.
const MIN_HEX: usize = 16;
/// Shortest letters-and-digits string read as a hash or address (BTC addresses are 26
/// to 62 characters; no word of any language is this long with digits inside).
const MIN_ADDRESS: usize = 25;
/// Longest string read as a hash or address (a SHA-512 in hex is 128 characters,
/// bech32 addresses at most 90): longer runs of letters and digits are some other blob.
const MAX_HASH: usize = 130;
/// Longest handle after the `@` (Twitter allows 15, others more).
const MAX_HANDLE: usize = 50;

#[inline]
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// The special token starting at byte `i` of run `s`, where the word segment `w`
/// starts: its end (byte offset in `s`) and kind. `None` for an ordinary word.
#[inline]
#[cfg(test)]
pub(super) fn at(s: &str, i: usize, w: &str) -> Option<(usize, TokenKind)> {
    at_with(s, i, w, w.contains('.'))
}

/// `at` (the tests' form) for a caller that knows whether `w` has a `.` (`dot`; only a bare domain
/// or a `www.` address needs one): the word cutter reads its words' bytes once for
/// all it needs to know, and then most words, which have none, skip the search.
#[inline]
pub(super) fn at_with(s: &str, i: usize, w: &str, dot: bool) -> Option<(usize, TokenKind)> {
    let b = s.as_bytes();
    let first = *w.as_bytes().first()?;
    let prev = i.checked_sub(1).map(|p| b[p]);
    let next = b.get(i + w.len()).copied();
    match first {
        b'@' => {
            if prev.is_some_and(|p| alnum(p) || p == b'.' || p == b'_') {
                return None;
            }
            let n = b[i + 1..]
                .iter()
                .take_while(|&&c| alnum(c) || c == b'_')
                .count();
            (1..=MAX_HANDLE)
                .contains(&n)
                .then_some((i + 1 + n, TokenKind::Handle))
        }
        b'#' => {
            if prev.is_some_and(|p| alnum(p) || p == b'#' || p == b'&') {
                return None;
            }
            let rest = &s[i + 1..];
            let mut end = 0;
            let mut letter = false;
            for (k, c) in rest.char_indices() {
                if c.is_alphanumeric() || c == '_' {
                    letter |= c.is_alphabetic();
                    end = k + c.len_utf8();
                } else {
                    break;
                }
            }
            letter.then_some((i + 1 + end, TokenKind::Hashtag))
        }
        b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => {
            if matches!(next, Some(b'@' | b'.' | b'-' | b'_' | b'+' | b'%')) {
                if let Some(e) = email(b, i) {
                    return Some((e, TokenKind::Email));
                }
            }
            if first.is_ascii_digit() {
                return number(b, i, w, next);
            }
            if next == Some(b':') && is_scheme(w) && b[i + w.len()..].starts_with(b"://") {
                let e = url_end(b, i, i + w.len() + 3);
                return (e > i + w.len() + 3).then_some((e, TokenKind::Url));
            }
            if dot && w.len() > 4 && w.as_bytes()[..4].eq_ignore_ascii_case(b"www.") {
                return Some((url_end(b, i, i + 4), TokenKind::Url));
            }
            if w.len() >= MIN_HEX && hash_like(w) {
                return Some((i + w.len(), TokenKind::Hash));
            }
            if dot && w.len() > 3 && domain(w) {
                return Some((url_end(b, i, i + w.len()), TokenKind::Url));
            }
            None
        }
        _ => None,
    }
}

/// Whether a word of ASCII letters and digits only, `len` bytes long and followed by
/// the byte `next`, may open a special token; when not, [`at_with`] (with no `.` in
/// the word) is `None` for it, which this tells from two facts of the word instead of
/// the checks one by one: only a hash is that long, and every other special token
/// such a word opens reads one of these bytes right after it (an e-mail address, a
/// scheme's `://`, a percentage, a date's `-` or `/`).
#[inline(always)]
pub(super) fn plain_word_may_open(len: usize, next: Option<u8>) -> bool {
    len >= MIN_HEX
        || matches!(
            next,
            Some(b'@' | b'.' | b'-' | b'_' | b'+' | b'%' | b':' | b'/')
        )
}

/// Numbers: a hash or address written with a leading digit, a date `YYYY-MM-DD` (or
/// with `/`), a percentage; `None` for a plain number (the caller marks it).
fn number(b: &[u8], i: usize, w: &str, next: Option<u8>) -> Option<(usize, TokenKind)> {
    let end = i + w.len();
    if w.len() >= MIN_HEX && hash_like(w) {
        return Some((end, TokenKind::Hash));
    }
    match next {
        Some(b'%') => Some((end + 1, TokenKind::Number)),
        Some(sep @ (b'-' | b'/')) if w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()) => {
            let (m, e1) = digits(b, end + 1)?;
            if b.get(e1) != Some(&sep) {
                return None;
            }
            let (d, e2) = digits(b, e1 + 1)?;
            let follows_digit = b.get(e2).is_some_and(u8::is_ascii_digit);
            ((1..=12).contains(&m) && (1..=31).contains(&d) && !follows_digit)
                .then_some((e2, TokenKind::Date))
        }
        _ => None,
    }
}

/// One or two digits at `at`: their value and end.
fn digits(b: &[u8], at: usize) -> Option<(u32, usize)> {
    let n = b[at.min(b.len())..]
        .iter()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=2).contains(&n) {
        return None;
    }
    let v = b[at..at + n]
        .iter()
        .fold(0u32, |v, c| v * 10 + u32::from(c - b'0'));
    Some((v, at + n))
}

fn is_scheme(w: &str) -> bool {
    w.eq_ignore_ascii_case("https")
        || w.eq_ignore_ascii_case("http")
        || w.eq_ignore_ascii_case("ftp")
}

/// End of a URL that starts at `start` and runs at least to `from`: up to a space,
/// a non-ASCII character or a character that never appears unescaped in URLs, then
/// without trailing punctuation (a closing bracket stays when the URL opened one).
fn url_end(b: &[u8], start: usize, from: usize) -> usize {
    let mut e = from;
    while e < b.len() {
        let c = b[e];
        if c <= b' '
            || c >= 0x7f
            || matches!(
                c,
                b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
            )
        {
            break;
        }
        e += 1;
    }
    while e > from {
        let c = b[e - 1];
        let opened = |o: u8| b[start..e].contains(&o);
        let trailing = match c {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => true,
            b')' => !opened(b'('),
            b']' => !opened(b'['),
            _ => false,
        };
        if !trailing {
            break;
        }
        e -= 1;
    }
    e
}

/// End of an e-mail address starting at `i`: `local@domain.tld`.
fn email(b: &[u8], i: usize) -> Option<usize> {
    let local = b[i..]
        .iter()
        .take_while(|&&c| alnum(c) || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-'))
        .count();
    let at = i + local;
    if local == 0 || b.get(at) != Some(&b'@') {
        return None;
    }
    let dom = b[at + 1..]
        .iter()
        .take_while(|&&c| alnum(c) || c == b'.' || c == b'-')
        .count();
    let mut end = at + 1 + dom;
    while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let domain = &b[at + 1..end];
    let dot = domain.iter().rposition(|&c| c == b'.')?;
    let tld = &domain[dot + 1..];
    (dot > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)).then_some(end)
}

/// A hash or address: `0x` and 16+ hex digits; 16+ hex digits with both digits and
/// letters; or 25+ letters and digits with both.
fn hash_like(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() > MAX_HASH || !b.iter().all(|c| alnum(*c)) {
        return false;
    }
    if b.len() >= MIN_HEX + 2
        && b[0] == b'0'
        && (b[1] | 0x20) == b'x'
        && b[2..].iter().all(u8::is_ascii_hexdigit)
    {
        return true;
    }
    let digit = b.iter().any(u8::is_ascii_digit);
    let letter = b.iter().any(u8::is_ascii_alphabetic);
    if !(digit && letter) {
        return false;
    }
    b.len() >= MIN_ADDRESS || b.iter().all(u8::is_ascii_hexdigit)
}

/// `name.tld` (labels of ASCII letters, digits and hyphens, the last in [`TLDS`]).
fn domain(w: &str) -> bool {
    let mut labels = w.split('.');
    let ok_label = |l: &str| !l.is_empty() && l.bytes().all(|c| alnum(c) || c == b'-');
    let Some(tld) = w.rsplit('.').next() else {
        return false;
    };
    labels.all(ok_label) && TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld))
}

/// Chinese units after a number that belong to it (`1.5亿`, `3万`, `20%`), longest
/// first.
const ZH_UNITS: [&str; 10] = [
    "万亿", "十万", "百万", "千万", "万", "亿", "千", "百", "%", "‰",
];

/// In Simplified Chinese text `s`, the number or date starting at byte `d` (an ASCII
/// digit): its end and kind. Digits with `.` or `,` between them, then a unit
/// (`1.5亿`, `20%`: a number) or date parts (`2021年1月2日`, `6月9日`, `20号`: a
/// date; `3年`, three years, is a number).
pub(super) fn zh_number(s: &str, d: usize) -> (usize, TokenKind) {
    let b = s.as_bytes();
    let num_end = |mut e: usize| {
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        while e + 1 < b.len() && matches!(b[e], b'.' | b',') && b[e + 1].is_ascii_digit() {
            e += 1;
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
        }
        e
    };
    let e = num_end(d);
    let rest = &s[e..];
    if let Some(u) = ZH_UNITS.iter().find(|u| rest.starts_with(*u)) {
        return (e + u.len(), TokenKind::Number);
    }
    let unit = |at: usize, units: &[char]| {
        s[at..]
            .chars()
            .next()
            .filter(|c| units.contains(c))
            .map(|c| at + c.len_utf8())
    };
    let digits_unit = |at: usize, units: &[char]| {
        (at < b.len() && b[at].is_ascii_digit())
            .then(|| num_end(at))
            .and_then(|n| unit(n, units))
    };
    let mut end = e;
    let mut kind = TokenKind::Number;
    if let Some(y) = unit(e, &['年']) {
        end = y;
        if e - d == 4 {
            kind = TokenKind::Date;
        }
        if let Some(m) = digits_unit(y, &['月']) {
            (end, kind) = (m, TokenKind::Date);
        }
    } else if let Some(m) = unit(e, &['月']) {
        (end, kind) = (m, TokenKind::Date);
    } else if let Some(x) = unit(e, &['日', '号']) {
        return (x, TokenKind::Date);
    }
    if kind == TokenKind::Date {
        if let Some(x) = digits_unit(end, &['日', '号']) {
            end = x;
        }
    }
    (end, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word of letters and digits that [`plain_word_may_open`] passes over opens no
    /// special token: every ASCII byte after words of each length, letters first and
    /// digits first, hex and not, with every ASCII byte after that one too.
    #[test]
    fn plain_words_passed_over_open_nothing() {
        let mut passed = 0;
        for len in 1..=MAX_HASH + 2 {
            for first in ["a", "1", "0x", "f"] {
                let w: String = first
                    .chars()
                    .chain("3fa".chars().cycle())
                    .take(len)
                    .collect();
                let w = &w[..len.min(w.len())];
                for next in 0..0x80u8 {
                    for after in (0..0x80u8).step_by(3) {
                        let s = format!("{w}{}{}tail.com 7", next as char, after as char);
                        if !plain_word_may_open(w.len(), Some(next)) {
                            passed += 1;
                            assert_eq!(at_with(&s, 0, w, false), None, "{s:?}");
                        }
                    }
                }
                if !plain_word_may_open(w.len(), None) {
                    assert_eq!(at_with(w, 0, w, false), None, "{w:?}");
                }
            }
        }
        assert!(passed > 10_000, "{passed}");
    }

    fn first(s: &str) -> Option<(&str, TokenKind)> {
        let w = super::super::words::word_bounds(s).next()?.1;
        at(s, 0, w).map(|(e, k)| (&s[..e], k))
    }

    #[test]
    fn kinds() {
        use TokenKind::*;
        for (s, want) in [
            (
                "https://www.example-exchange.com/register?ref=8848123 x",
                Some(("https://www.example-exchange.com/register?ref=8848123", Url)),
            ),
            ("http://a.org/x).", Some(("http://a.org/x", Url))),
            (
                "http://en.wikipedia.org/wiki/A_(b)",
                Some(("http://en.wikipedia.org/wiki/A_(b)", Url)),
            ),
            ("www.example.com/a.", Some(("www.example.com/a", Url))),
            ("laokuanggong.blog 版权", Some(("laokuanggong.blog", Url))),
            (
                "newsletter.example.com.",
                Some(("newsletter.example.com", Url)),
            ),
            ("e.g. this", None),
            ("U.S. rules", None),
            ("node.js", None),
            ("a.b@x.com,", Some(("a.b@x.com", Email))),
            (
                "first-last@mail.example.org",
                Some(("first-last@mail.example.org", Email)),
            ),
            ("a@b", None),
            ("@elonmusk:", Some(("@elonmusk", Handle))),
            ("#Bitcoin's", Some(("#Bitcoin", Hashtag))),
            ("#比特币", Some(("#比特币", Hashtag))),
            ("#1", None),
            (
                "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
                Some(("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", Hash)),
            ),
            (
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                Some(("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", Hash)),
            ),
            (
                "0x52908400098527886E0F7030069857D2E4169EE7",
                Some(("0x52908400098527886E0F7030069857D2E4169EE7", Hash)),
            ),
            ("deadbeef00112233", Some(("deadbeef00112233", Hash))),
            ("internationalization", None),
            ("20% more", Some(("20%", Number))),
            ("2021-01-02 x", Some(("2021-01-02", Date))),
            ("2021/1/2", Some(("2021/1/2", Date))),
            ("2021-13-02", None),
            ("1990-2021", None),
            ("3,000", None),
            ("bitcoin", None),
        ] {
            assert_eq!(first(s), want, "{s}");
        }
    }

    #[test]
    fn blobs_longer_than_any_hash_are_words() {
        let blob = "ab12".repeat(40);
        assert_eq!(first(&blob), None);
        assert_eq!(first(&blob[..128]).map(|(_, k)| k), Some(TokenKind::Hash));
    }

    #[test]
    fn handles_and_tags_need_a_boundary() {
        // `a@b`: the @ after a letter is not a handle; `C#` is glued as a word.
        assert_eq!(at("x@y", 1, "@"), None);
        assert_eq!(at("a#b", 1, "#"), None);
    }

    #[test]
    fn chinese_numbers() {
        use TokenKind::*;
        for (s, want) in [
            ("2021年1月2日比特币", ("2021年1月2日", Date)),
            ("2021年1月", ("2021年1月", Date)),
            ("2021年起", ("2021年", Date)),
            ("1月2日", ("1月2日", Date)),
            ("9号", ("9号", Date)),
            ("1.5亿元", ("1.5亿", Number)),
            ("20%", ("20%", Number)),
            ("3,000美元", ("3,000", Number)),
            ("3年后", ("3年", Number)),
            ("3.", ("3", Number)),
            ("12", ("12", Number)),
        ] {
            let (e, k) = zh_number(s, 0);
            assert_eq!((&s[..e], k), want, "{s}");
        }
    }
}
