//! Datelines: the wire-service opening of a news paragraph, which names the outlet,
//! the place and the day before the first sentence.
//!
//! `新华社北京6月3日电（记者 张伟）国务院…`, `【联合早报上海讯】…`,
//! `（中央社记者徐明台北3日电）…`, `本报讯（记者 李娜）…`, `BEIJING, June 3 (Reuters) - China…`,
//! `WASHINGTON (AP) — The…`. A dateline is no line of its own: it opens the first
//! paragraph, and its place, date and reporter change with every article, so neither
//! the line key nor a label sees it repeat. Left in, the outlet names (新华社, 中央社,
//! `reuters`) come out as the most distinctive words of the group that reprints that
//! outlet. [`dateline`] finds the opening; the passage screen keys every dateline by
//! one key ([`dateline_key`]) so a group or source that opens its articles this way has
//! the openings set aside by the same document count and share as a footer, and the
//! rest of the paragraph is kept.

use super::passage::{fnv, is_han, mix, FNV_START};
use crate::config::DATELINE_MAX_CHARS;

/// The passage key of every dateline (never a line's or a label's key: a different
/// start value).
pub fn dateline_key() -> u64 {
    mix("dateline"
        .chars()
        .fold(FNV_START ^ 0x6461_7465_6c69_6e65, fnv))
}

/// The byte length of the dateline that opens `line` (through its closing bracket or
/// dash and the white space after it), or `None`.
///
/// Chinese forms: an outlet, place and day ending in `日电` / `日讯`, with an optional
/// reporter credit in brackets (`新华社北京6月3日电（记者 张伟）`); a short opening
/// ending in an outlet's `讯` (报讯, 刊讯, 台讯, 网讯, 社讯) followed by white space or
/// a credit (`本报讯（记者 李娜）`); or an opening ending in `电` / `讯` inside brackets
/// (`【联合早报上海讯】`, `（中央社记者徐明台北3日电）`). English forms: a place in
/// capitals, an optional date, an agency in parentheses, then a dash (`BEIJING, June 3
/// (Reuters) -`, `WASHINGTON (AP) —`). At most [`DATELINE_MAX_CHARS`] characters.
///
/// ```
/// use duibi::dedupe::dateline::dateline;
/// let l = "新华社北京6月3日电（记者 张伟）国务院常务会议指出……";
/// assert_eq!(&l[..dateline(l).unwrap()], "新华社北京6月3日电（记者 张伟）");
/// let l = "BEIJING, June 3 (Reuters) - China's miners moved abroad.";
/// assert_eq!(&l[l.len() - "China's miners moved abroad.".len()..], &l[dateline(l).unwrap()..]);
/// // Content that merely ends a clause in 电 is no dateline.
/// assert!(dateline("四川多地停电，矿场停工。").is_none());
/// assert!(dateline("The Fed (and others) - see below").is_none());
/// ```
pub fn dateline(line: &str) -> Option<usize> {
    let lead = line.len() - line.trim_start().len();
    let t = &line[lead..];
    let n = zh(t).or_else(|| en(t))?;
    // The white space after the dateline goes with it.
    let rest = &t[n..];
    let n = n + (rest.len() - rest.trim_start().len());
    (t[..n].chars().count() <= DATELINE_MAX_CHARS).then_some(lead + n)
}

/// Characters an outlet, place and day are written with.
fn dateline_char(c: char) -> bool {
    is_han(c) || c.is_ascii_digit() || matches!(c, '０'..='９' | '·' | ' ' | '\u{3000}')
}

/// The bracket that closes `open`.
fn closing(open: char) -> Option<char> {
    match open {
        '【' => Some('】'),
        '（' => Some('）'),
        '(' => Some(')'),
        '[' => Some(']'),
        '〔' => Some('〕'),
        _ => None,
    }
}

/// Whether `s` ends in a day and 电 / 讯: `6月3日电`, `3日讯`.
fn ends_with_day(s: &str) -> bool {
    let mut cs = s.chars().rev();
    matches!(cs.next(), Some('电' | '讯'))
        && cs.next() == Some('日')
        && cs
            .next()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '０'..='９'))
}

/// A bracketed credit right at the start of `s` (`（记者 张伟）`): its byte length.
fn credit(s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    let close = closing(open).filter(|_| open != '[' && open != '【')?;
    for (n, (i, c)) in s.char_indices().skip(1).enumerate() {
        if n > 30 || matches!(c, '。' | '！' | '？' | '，' | '.' | '!' | '?' | '\n') {
            return None;
        }
        if c == close {
            return Some(i + c.len_utf8());
        }
    }
    None
}

/// A Chinese dateline opening `t`: its byte length.
fn zh(t: &str) -> Option<usize> {
    let first = t.chars().next()?;
    if let Some(close) = closing(first) {
        // 【联合早报上海讯】, （中央社记者徐明台北3日电）
        let inner_start = first.len_utf8();
        for (n, (i, c)) in t[inner_start..].char_indices().enumerate() {
            if n > DATELINE_MAX_CHARS {
                return None;
            }
            if c == close {
                let inner = t[inner_start..inner_start + i].trim_end();
                let han = inner.chars().filter(|&c| is_han(c)).count();
                return (han >= 3 && (inner.ends_with('电') || inner.ends_with('讯')))
                    .then_some(inner_start + i + c.len_utf8());
            }
            if !dateline_char(c) {
                return None;
            }
        }
        return None;
    }
    if !is_han(first) {
        return None;
    }
    // An opening of outlet, place and day: Han, digits and spaces up to 电 or 讯.
    let mut end = None;
    for (n, (i, c)) in t.char_indices().enumerate() {
        if n > DATELINE_MAX_CHARS {
            break;
        }
        if !dateline_char(c) {
            break;
        }
        if matches!(c, '电' | '讯') {
            let head = &t[..i + c.len_utf8()];
            let rest = &t[head.len()..];
            let next = rest.chars().next();
            let then_credit_or_space =
                !next.is_some_and(|n| !(n.is_whitespace() || n == '（' || n == '('));
            // 本报讯, 本刊讯, 本台讯, 中新网讯, 新华社讯: an outlet's 讯 (not 快讯, 通讯).
            let short = head.chars().count() <= 6
                && c == '讯'
                && matches!(
                    head.chars().rev().nth(1),
                    Some('报' | '刊' | '台' | '网' | '社')
                );
            if then_credit_or_space && (ends_with_day(head) || short) {
                end = Some(head.len());
                break;
            }
        }
    }
    let end = end?;
    let rest = &t[end..];
    let gap = rest.len() - rest.trim_start().len();
    Some(
        match credit(&rest[gap..]).or_else(|| bare_credit(&rest[gap..])) {
            Some(c) => end + gap + c,
            None => end,
        },
    )
}

/// A credit without brackets right at the start of `s` (`记者张伟报道：`, `记者 张伟 李娜
/// 报道`): `记者`, at most 12 characters of names (Han runs of at most 6, parted by
/// spaces, `、` or `·`), `报道`, and the colon after it; its byte length. The names
/// end at the first `报道`; a longer run of Han is a sentence (`记者发现矿场已关停`).
fn bare_credit(s: &str) -> Option<usize> {
    let names = s.strip_prefix("记者")?;
    let mut at = None;
    let mut run = 0;
    for (n, (i, c)) in names.char_indices().enumerate() {
        if names[i..].starts_with("报道") {
            at = (n > 0).then_some(i);
            break;
        }
        run = if is_han(c) { run + 1 } else { 0 };
        if n >= 12 || run > 6 || !(is_han(c) || matches!(c, '·' | '、' | ' ' | '\u{3000}')) {
            return None;
        }
    }
    let end = s.len() - names.len() + at? + "报道".len();
    let rest = &s[end..];
    match rest.chars().next() {
        None => Some(end),
        Some(c @ ('：' | ':')) => Some(end + c.len_utf8()),
        Some(c) if c.is_whitespace() => Some(end),
        Some(_) => None,
    }
}

/// `PLACE[, Month D[, YYYY]] (Agency) -`.
fn en(t: &str) -> Option<usize> {
    let open = t.find('(')?;
    if open > 60 {
        return None;
    }
    let head = t[..open].trim_end();
    // The place: words in capitals (letters, '.', '-', '\'', '/'), then an optional date.
    let (place, date) = match head.split_once(',') {
        Some((p, d)) => (p, Some(d.trim())),
        None => (head, None),
    };
    let caps_word = |w: &str| {
        w.chars().any(|c| c.is_alphabetic())
            && w.chars().all(|c| {
                (c.is_alphabetic() && !c.is_lowercase()) || matches!(c, '.' | '-' | '\'' | '/')
            })
    };
    let words: Vec<&str> = place.split_whitespace().collect();
    let bare = words.is_empty() && date.is_none(); // "(Reuters) -"
    if !bare && !(1..=4).contains(&words.len()) {
        return None;
    }
    if !words.iter().all(|w| caps_word(w)) {
        return None;
    }
    if let Some(d) = date {
        // "June 3", "Jun. 3", "June 3, 2021"
        let mut parts = d.split([' ', ',']).filter(|p| !p.is_empty());
        let month = parts.next()?;
        let day = parts.next()?;
        let year = parts.next();
        let month_ok = month
            .trim_end_matches('.')
            .chars()
            .all(|c| c.is_alphabetic())
            && month.chars().next().is_some_and(|c| c.is_uppercase())
            && (3..=10).contains(&month.len());
        let num = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
        };
        if !month_ok
            || !num(day, 1..=2)
            || year.is_some_and(|y| !num(y, 4..=4))
            || parts.next().is_some()
        {
            return None;
        }
    }
    // The agency: one to three capitalized words in parentheses.
    let close = open + t[open..].find(')')?;
    let agency = &t[open + 1..close];
    let aw: Vec<&str> = agency.split_whitespace().collect();
    if !(1..=3).contains(&aw.len())
        || !aw.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.chars().all(|c| c.is_alphabetic())
        })
    {
        return None;
    }
    // Then a dash.
    let rest = &t[close + 1..];
    let r = rest.trim_start();
    let dash = r
        .char_indices()
        .take_while(|&(_, c)| matches!(c, '-' | '–' | '—'))
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let after = &r[dash..];
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    Some(t.len() - after.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opening(l: &str) -> Option<&str> {
        dateline(l).map(|n| l[..n].trim_end())
    }

    #[test]
    fn chinese_datelines() {
        for (l, want) in [
            (
                "新华社北京6月3日电（记者 张伟）国务院指出",
                "新华社北京6月3日电（记者 张伟）",
            ),
            (
                "人民网成都6月11日电 （记者王芳）四川",
                "人民网成都6月11日电 （记者王芳）",
            ),
            ("新华社北京6月3日电 国务院指出", "新华社北京6月3日电"),
            ("本报讯（记者 李娜）近日", "本报讯（记者 李娜）"),
            ("本报讯 近日", "本报讯"),
            ("【联合早报上海讯】矿工", "【联合早报上海讯】"),
            (
                "（中央社记者徐明台北3日电）矿工",
                "（中央社记者徐明台北3日电）",
            ),
            ("中新网６月３日电 据报道", "中新网６月３日电"),
            // A credit without brackets, through its colon.
            (
                "新华社北京6月3日电 记者张伟报道：国务院指出",
                "新华社北京6月3日电 记者张伟报道：",
            ),
            (
                "本报讯 记者 李娜 王芳 报道 近日",
                "本报讯 记者 李娜 王芳 报道",
            ),
            // Not a credit: the words after 记者 are a sentence, or no 报道 closes them.
            ("本报讯 记者发现矿场已关停报道称", "本报讯"),
            ("本报讯 记者发现矿场已关停报道 近日", "本报讯"),
            ("本报讯 记者张伟说，矿工离开", "本报讯"),
            ("新华社北京6月3日电 记者报道：国务院", "新华社北京6月3日电"),
            ("本报讯 记者张伟报道称矿工离开", "本报讯"),
        ] {
            assert_eq!(opening(l), Some(want), "{l}");
        }
    }

    #[test]
    fn english_datelines() {
        for (l, want) in [
            (
                "BEIJING, June 3 (Reuters) - China",
                "BEIJING, June 3 (Reuters) -",
            ),
            ("WASHINGTON (AP) — The", "WASHINGTON (AP) —"),
            (
                "HONG KONG, Jun. 3, 2021 (Bloomberg) -- Miners",
                "HONG KONG, Jun. 3, 2021 (Bloomberg) --",
            ),
            (
                "SAN FRANCISCO/NEW YORK (Reuters Breakingviews) - A",
                "SAN FRANCISCO/NEW YORK (Reuters Breakingviews) -",
            ),
            ("(Reuters) - Bitcoin", "(Reuters) -"),
        ] {
            assert_eq!(opening(l), Some(want), "{l}");
        }
    }

    #[test]
    fn content_is_no_dateline() {
        for l in [
            "四川多地停电，矿场停工。",
            "停电 之后",
            "每日快讯",
            "移动通讯 观察",
            "据新华社报道，矿工们离开了。",
            "我们在6月3日电话采访了他。",
            "（记者 张伟）",
            "【编者按】本文",
            "（注：数据来自公开报道）",
            "The Fed (and others) - see below",
            "Beijing, June 3 (Reuters) - lower-case place",
            "BEIJING said (on Monday) - nothing",
            "BEIJING, June 3 (Reuters)-China",
            "Miners (Reuters) - left",
            "",
        ] {
            assert_eq!(opening(l), None, "{l}");
        }
        let long = format!("新华社{}6月3日电 正文", "北".repeat(DATELINE_MAX_CHARS));
        assert_eq!(opening(&long), None);
    }

    #[test]
    fn leading_space_is_part_of_the_opening() {
        let l = "  本报讯 近日";
        assert_eq!(&l[dateline(l).unwrap()..], "近日");
    }
}
