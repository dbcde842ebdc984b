//! Passages: the lines of a document's text, each keyed by a hash of its normalized
//! form, and the document text with set-aside passages blanked.
//!
//! A passage is a line (a paragraph in Markdown, a block in HTML, a line of plain
//! text): footers, signatures, referral and donation lines, copyright and newsletter
//! blurbs and navigation are written as lines of their own. Its key hashes the line
//! with surrounding white space trimmed, inner white space collapsed to one space and
//! letters lowercased; a line without a letter or digit (a rule, an empty line) is no
//! passage, as it holds no token.
//!
//! **Labelled lines.** Newsrooms and blogs also add lines that repeat a *label* with a
//! different value each time: 责任编辑：张伟, 原标题：…, 来源：澎湃新闻, `Source: Reuters`,
//! `(Reporting by Jane Doe; Editing by John Smith)`. No two of them need be equal, so
//! the line key does not see them repeat, yet their labels would come out as the most
//! distinctive words of a group. A short line at the head or the tail of a text (the
//! first [`LABEL_HEAD_LINES`] and last [`LABEL_TAIL_LINES`] lines holding a letter or
//! digit) that opens with a label ([`label`]) is keyed by its label instead, so the
//! screen counts and sets aside the label's lines as it does a repeated footer. The
//! same line elsewhere in the text is keyed as a line. A head line that opens with a
//! [dateline](super::dateline) (`新华社北京6月3日电（记者 张伟）…`, `BEIJING, June 3
//! (Reuters) - …`) is keyed by the dateline key, and only its opening is set aside:
//! the rest of the paragraph is content.

use super::fold::Classes;
use crate::config::{
    DATELINE_HEAD_LINES, DATELINE_MAX_CHARS, LABEL_HEAD_LINES, LABEL_LINE_MAX_CHARS, LABEL_MAX_HAN,
    LABEL_MAX_WORDS, LABEL_TAIL_LINES, PASSAGE_SAMPLE_CHARS,
};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One step of FNV-1a over a character.
#[inline]
pub(crate) fn fnv(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(FNV_PRIME)
}

/// The FNV-1a start value.
pub(crate) const FNV_START: u64 = FNV_OFFSET;

/// The splitmix64 finalizer: spreads FNV's bits over the whole word.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of a line, `None` when it has no letter or digit. Stable across runs,
/// threads and machines (no random seed).
///
/// ```
/// use duibi::dedupe::passage::key;
/// assert_eq!(key("  Copyright  2021 Example "), key("copyright 2021 example"));
/// assert_ne!(key("Copyright 2021"), key("Copyright 2022"));
/// assert_eq!(key("---"), None);
/// ```
pub fn key(line: &str) -> Option<u64> {
    let mut lk = LineKey::new();
    let k = Classes::get();
    for c in line.chars() {
        if k.is_space(c) {
            lk.space();
            continue;
        }
        if c.is_ascii() {
            lk.push(c.to_ascii_lowercase(), c.is_ascii_alphanumeric());
        } else {
            k.lower(c, |l| lk.push(l, k.is_alnum(l)));
        }
    }
    lk.finish()
}

/// The state of [`key`] over one line, fed character by character (so a pass over a
/// whole text can key its lines as it goes).
#[derive(Clone, Copy)]
pub(super) struct LineKey {
    h: u64,
    alnum: bool,
    space: bool,
    started: bool,
}

impl LineKey {
    /// The state at the start of a line.
    #[inline]
    pub(super) fn new() -> Self {
        LineKey {
            h: FNV_START,
            alnum: false,
            space: false,
            started: false,
        }
    }

    /// A white-space character.
    #[inline(always)]
    pub(super) fn space(&mut self) {
        self.space = self.started;
    }

    /// One lowercased character (of a character that is no white space), and whether
    /// it is a letter or digit.
    #[inline(always)]
    pub(super) fn push(&mut self, l: char, alnum: bool) {
        self.push_code(u32::from(l), alnum);
    }

    /// [`push`](Self::push) of the character with code `l` (a scan that decoded the
    /// code itself need not make a `char` of it).
    #[inline(always)]
    pub(super) fn push_code(&mut self, l: u32, alnum: bool) {
        if self.space {
            self.h = fnv(self.h, ' ');
            self.space = false;
        }
        self.started = true;
        self.alnum |= alnum;
        self.h = (self.h ^ u64::from(l)).wrapping_mul(FNV_PRIME);
    }

    /// [`push_code`](Self::push_code) of a character that is no white space, in a
    /// line that already holds a letter or digit and has no white space pending
    /// (the line key's space, when one is due, pushed as the code of `' '`).
    #[inline(always)]
    pub(super) fn push_next(&mut self, l: u32) {
        debug_assert!(self.started && self.alnum && !self.space);
        self.h = (self.h ^ u64::from(l)).wrapping_mul(FNV_PRIME);
    }

    /// The line's key, `None` when it has no letter or digit.
    #[inline]
    pub(super) fn finish(self) -> Option<u64> {
        self.alnum.then(|| mix(self.h))
    }
}

/// The passages of `text`: each line with a key, with that key.
pub fn passages(text: &str) -> impl Iterator<Item = (u64, &str)> + '_ {
    text.split('\n').filter_map(|l| key(l).map(|k| (k, l)))
}

/// The sorted, distinct line keys of `text` (labels not read).
pub fn keys(text: &str) -> Vec<u64> {
    let mut v: Vec<u64> = passages(text).map(|(k, _)| k).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The sorted, distinct passage keys of `text` with its labelled head and tail lines
/// (`labels`, from [`edge_labels`]) keyed by their labels, as the scan records them.
pub(crate) fn labelled_keys(text: &str, labels: &[EdgeLabel]) -> Vec<u64> {
    let mut v: Vec<u64> = text
        .split('\n')
        .filter_map(|l| match labels.iter().find(|e| e.at == offset(text, l)) {
            Some(e) => Some(e.key),
            None => key(l),
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A labelled line at the head or tail of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EdgeLabel {
    /// Byte offset of the line in the text (lines split at `\n`).
    pub at: usize,
    /// The label's key ([`label`]).
    pub key: u64,
    /// Byte length of the line's opening up to and including the label's separator
    /// (how the report quotes the label: `责任编辑：`, `(Reporting by`).
    pub end: usize,
    /// Byte length of the part of the line set aside with the label: the whole line,
    /// or a dateline's opening.
    pub cut: usize,
}

/// Whether a line holds a letter or digit (a line that can be a passage).
fn has_alnum(line: &str) -> bool {
    let k = Classes::get();
    line.chars().any(|c| k.is_alnum(c))
}

/// The labelled lines among the first [`LABEL_HEAD_LINES`] and the last
/// [`LABEL_TAIL_LINES`] lines of `text` that hold a letter or digit, and a dateline
/// opening one of the first [`LABEL_HEAD_LINES`] such lines, or a later one of the
/// first [`DATELINE_HEAD_LINES`] after head matter alone (titles, source and date
/// lines, bylines). A text of fewer than two such lines has none (its one line is its
/// content).
pub(crate) fn edge_labels(text: &str) -> Vec<EdgeLabel> {
    let mut out = Vec::new();
    let mut head = Vec::with_capacity(DATELINE_HEAD_LINES);
    for l in text.split('\n') {
        if head.len() == DATELINE_HEAD_LINES.max(LABEL_HEAD_LINES) {
            break;
        }
        if has_alnum(l) {
            head.push((offset(text, l), l));
        }
    }
    // Past the label lines, only a dateline after head matter alone.
    let mut late = head.split_off(LABEL_HEAD_LINES.min(head.len()));
    let Some(&(head_end, _)) = head.get(1) else {
        return out; // fewer than two lines of content
    };
    let mut tail = Vec::with_capacity(LABEL_TAIL_LINES);
    for l in text.rsplit('\n') {
        let at = offset(text, l);
        if tail.len() == LABEL_TAIL_LINES || at <= head_end {
            break;
        }
        if has_alnum(l) {
            tail.push((at, l));
        }
    }
    if !head.iter().all(|&(_, l)| is_head_matter(l)) {
        late.clear();
    }
    let mut late_dateline = None;
    for (at, l) in late {
        // A labelled line is never a dateline (and a tail line may be keyed by its label).
        if let Some(cut) = super::dateline::dateline(l).filter(|_| label(l).is_none()) {
            let key = super::dateline::dateline_key();
            late_dateline = Some(EdgeLabel {
                at,
                key,
                end: cut,
                cut,
            });
            break;
        }
        if !is_head_matter(l) {
            break;
        }
    }
    let heads = head.len();
    for (i, (at, l)) in head.into_iter().chain(tail.into_iter().rev()).enumerate() {
        if let Some((end, key)) = label(l) {
            let cut = l.len();
            out.push(EdgeLabel { at, key, end, cut });
        } else if i < heads {
            if let Some(cut) = super::dateline::dateline(l) {
                let key = super::dateline::dateline_key();
                out.push(EdgeLabel {
                    at,
                    key,
                    end: cut,
                    cut,
                });
            }
        }
    }
    if let Some(e) = late_dateline {
        // After the head lines' labels, before the tail's.
        let at = out.iter().position(|x| x.at > e.at).unwrap_or(out.len());
        out.insert(at, e);
    }
    out
}

/// Whether `line` reads as head matter before a dateline (a title, a source or date
/// line, a byline): short, and not ending a sentence.
fn is_head_matter(line: &str) -> bool {
    let l = line.trim();
    l.chars().count() <= DATELINE_MAX_CHARS
        && !l.ends_with(['。', '！', '？', '.', '!', '?', '；', ';'])
}

/// The byte offset in `text` of `line`, a slice of it.
fn offset(text: &str, line: &str) -> usize {
    line.as_ptr() as usize - text.as_ptr() as usize
}

/// Separators that end a label: full-width and ASCII colons, bars, and (after a Han
/// label only) slashes, as in 文/张伟.
fn separator(c: char, han_label: bool) -> bool {
    matches!(c, '：' | ':' | '｜' | '|' | '丨' | '︰') || (han_label && matches!(c, '/' | '／'))
}

/// How a Han "label" that introduces speech ends (…说：, 他表示：, 问：, 答：): quoted
/// words and interview turns are content, not credits.
const SPEECH: [&str; 12] = [
    "说", "道", "称", "曰", "问", "答", "表示", "指出", "认为", "强调", "写道", "回应",
];

/// The hash state every label's key starts from (not a line key's).
const LABEL_START: u64 = (FNV_START ^ 0x6c61_6265_6c00_0000).wrapping_mul(FNV_PRIME);

/// Words that end the label of a byline written without a separator: 本报记者 张伟,
/// 美国之音记者 赵磊 报道, 记者 张伟 通讯员 李娜.
const REPORTER: [&str; 5] = ["记者", "通讯员", "特派员", "撰稿人", "评论员"];

/// A byline without a separator: a Han word of at most [`LABEL_MAX_HAN`] characters
/// ending in a [`REPORTER`] word, then one to four Han words of at most four
/// characters (names, 报道, 摄) separated by white space, before any closing
/// brackets. Its label is the first word (keyed as 本报记者：张伟 is), and the byte
/// length of that word.
fn byline(s: &str) -> Option<(usize, u64)> {
    let s = s.trim_end_matches(['）', ')', '】', ']', '〕']);
    let mut words = s.split_whitespace();
    let first = words.next()?;
    if first.chars().count() > LABEL_MAX_HAN
        || !first.chars().all(is_han)
        || !REPORTER.iter().any(|r| first.ends_with(r))
    {
        return None;
    }
    let mut n = 0;
    for w in words {
        n += 1;
        if n > 4 || w.chars().count() > 4 || !w.chars().all(is_han) {
            return None;
        }
    }
    (n > 0).then(|| (first.len(), mix(first.chars().fold(LABEL_START, fnv))))
}

/// A Han ideograph (the CJK Unified Ideographs and their extension A).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Whether `line` opens with a label, and then the byte length of the opening through
/// the label's separator and the label's key. A label is, after opening brackets,
/// quotes or markup:
/// - 1 to [`LABEL_MAX_HAN`] Han characters, then a separator (责任编辑：, 原标题：,
///   （编者按：, 文/);
/// - 1 to [`LABEL_MAX_WORDS`] words of letters, then a colon followed by white space or
///   the line's end, or a bar (`Source: Reuters`, `Photo: …`, `Disclosure: …`);
/// - 1 to [`LABEL_MAX_WORDS`] words of letters ending in `by`, then a capitalized
///   word (`By Jane Doe`, `(Reporting by Jane Doe; Editing by …)`);
/// - a Han byline without a separator, its label ending in 记者, 通讯员, 特派员,
///   撰稿人 or 评论员 and followed by one to four short Han words (`本报记者 张伟`,
///   `美国之音记者 赵磊 报道`).
///
/// Only a line of at most [`LABEL_LINE_MAX_CHARS`] characters has a label; digits in
/// the label (times, dates, `https:`) rule it out. The key hashes the lowercased
/// label and is never a line's [`key`] (a different start value).
///
/// ```
/// use duibi::dedupe::passage::label;
/// let a = label("（责任编辑：张伟）").unwrap();
/// let b = label("（责任编辑：王芳）").unwrap();
/// assert_eq!(a.1, b.1);
/// assert_eq!(&"（责任编辑：张伟）"[..a.0], "（责任编辑：");
/// assert_eq!(label("Reporting by Jane Doe; Editing by John Smith").map(|l| l.1),
///            label("(Reporting by Li Wei)").map(|l| l.1));
/// assert!(label("By the end of June, most miners had left.").is_none());
/// assert!(label("10:30 the market opened").is_none());
/// assert!(label("See https://example.com").is_none());
/// assert!(label("比特币挖矿在四川十分常见。").is_none());
/// assert_eq!(label("本报记者 张伟 李娜").map(|l| l.1), label("本报记者：王芳").map(|l| l.1));
/// ```
pub fn label(line: &str) -> Option<(usize, u64)> {
    let t = line.trim_end();
    if t.chars().nth(LABEL_LINE_MAX_CHARS).is_some() {
        return None;
    }
    let k = Classes::get();
    // The label starts at the first letter.
    let start = t.char_indices().find(|&(_, c)| k.is_alnum(c))?.0;
    let first = t[start..].chars().next()?;
    let mut h = LABEL_START;
    if is_han(first) {
        if let Some((end, key)) = byline(&t[start..]) {
            return Some((start + end, key));
        }
        let mut n = 0;
        for (i, c) in t[start..].char_indices() {
            if is_han(c) {
                n += 1;
                if n > LABEL_MAX_HAN {
                    return None;
                }
                h = fnv(h, c);
            } else if n > 0 && separator(c, true) {
                let said = t[start..start + i].trim_end();
                if SPEECH.iter().any(|w| said.ends_with(w)) {
                    return None; // speech: 矿工们说：…, 问：…
                }
                return Some((start + i + c.len_utf8(), mix(h)));
            } else if !k.is_space(c) {
                return None;
            }
        }
        return None;
    }
    if !first.is_alphabetic() {
        return None;
    }
    // Words of letters (and inner hyphens or apostrophes) separated by single spaces.
    let rest = &t[start..];
    let mut words = 0;
    let mut word_start = 0;
    let mut in_word = false;
    let mut iter = rest.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphabetic() || (in_word && matches!(c, '-' | '\'')) {
            if !in_word {
                in_word = true;
                word_start = i;
                words += 1;
                if words > LABEL_MAX_WORDS {
                    return None;
                }
                if words > 1 {
                    h = fnv(h, ' ');
                }
            }
            for l in c.to_lowercase() {
                h = fnv(h, l);
            }
            continue;
        }
        let word = &rest[word_start..i];
        in_word = false;
        if c == ' ' {
            if word.eq_ignore_ascii_case("by") {
                // A credit: the next word is a name.
                let next = iter.peek().map(|&(_, n)| n);
                return next
                    .filter(|n| n.is_uppercase())
                    .map(|_| (start + i, mix(h)));
            }
            if iter.peek().is_some_and(|&(_, n)| n == ' ') {
                return None;
            }
            continue;
        }
        if c == ':' {
            let next = iter.peek().map(|&(_, n)| n);
            return (!next.is_some_and(|n| !n.is_whitespace())).then(|| (start + i + 1, mix(h)));
        }
        if separator(c, false) {
            return Some((start + i + c.len_utf8(), mix(h)));
        }
        return None;
    }
    None
}

/// How a line is quoted in the report: trimmed, at most
/// [`PASSAGE_SAMPLE_CHARS`] characters. A slice of the line, so comparing candidates
/// costs no allocation.
pub fn sample(line: &str) -> &str {
    let t = line.trim();
    match t.char_indices().nth(PASSAGE_SAMPLE_CHARS) {
        Some((i, _)) => &t[..i],
        None => t,
    }
}

/// A document text with its set-aside passages blanked.
#[derive(Debug, Clone, PartialEq)]
pub struct Stripped<'t> {
    /// The text with every set-aside line replaced by an empty line (the line breaks
    /// stay, so no sentence runs into the next paragraph), and a set-aside dateline
    /// cut from the paragraph it opens.
    pub kept: String,
    /// The set-aside lines, one a line (to count their tokens).
    pub removed: String,
    /// The key and the line of each set-aside line, in text order (of a labelled line,
    /// its label's key and its opening through the label, as [`strip`] says).
    pub lines: Vec<(u64, &'t str)>,
}

/// `text` with the lines whose key `set_aside` accepts blanked; `None` when there is
/// none (the text is used as it is).
///
/// ```
/// use duibi::dedupe::passage::{key, strip};
/// let footer = key("Sign up for our newsletter.").unwrap();
/// let s = strip("Miners left.\nSign up for our newsletter.\n", |k| k == footer).unwrap();
/// assert_eq!(s.kept, "Miners left.\n\n");
/// assert_eq!(s.removed, "Sign up for our newsletter.\n");
/// assert!(strip("Miners left.", |k| k == footer).is_none());
/// ```
///
/// A labelled line at the head or tail is blanked when its label is set aside, and is
/// listed with the label's key and its opening through the label (`责任编辑：`). A
/// head line that opens with a dateline loses the dateline when the dateline key is
/// set aside, and keeps the rest of its paragraph; the dateline is listed.
pub fn strip(text: &str, set_aside: impl Fn(u64) -> bool) -> Option<Stripped<'_>> {
    let labels = edge_labels(text);
    // Each line's verdict: the quoted part and its key when it is set aside.
    // Each line's verdict when it is set aside: its key, the quoted opening and the
    // part set aside (the whole line, or a dateline's opening).
    let verdict = |l: &str| -> Option<(u64, usize, usize)> {
        match labels.iter().find(|e| e.at == offset(text, l)) {
            Some(e) => set_aside(e.key).then_some((e.key, e.end, e.cut)),
            None => key(l)
                .filter(|&k| set_aside(k))
                .map(|k| (k, l.len(), l.len())),
        }
    };
    let lines: Vec<(u64, &str)> = text
        .split('\n')
        .filter_map(|l| verdict(l).map(|(k, end, _)| (k, &l[..end])))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut kept = String::with_capacity(text.len());
    let mut removed = String::new();
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            kept.push('\n');
        }
        match verdict(l) {
            Some((_, _, cut)) => {
                removed.push_str(l[..cut].trim());
                removed.push('\n');
                kept.push_str(&l[cut..]);
            }
            None => kept.push_str(l),
        }
    }
    Some(Stripped {
        kept,
        removed,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spacing_not_content() {
        assert_eq!(key("作者：老矿工。\r"), key(" 作者：老矿工。"));
        assert_eq!(key("A  b\tC"), key("a b c"));
        assert_ne!(key("a b c"), key("abc"));
        assert_eq!(key("  \t "), None);
        assert_eq!(key("© —"), None);
    }

    #[test]
    fn keys_are_sorted_and_distinct() {
        let k = keys("b\na\nb\n\n---\n");
        assert_eq!(k.len(), 2);
        assert!(k[0] < k[1]);
    }

    #[test]
    fn strip_keeps_line_structure() {
        let f = key("footer").unwrap();
        let s = strip("a\r\nfooter\r\nb", |k| k == f).unwrap();
        assert_eq!(s.kept, "a\r\n\nb");
        assert_eq!(s.lines, vec![(f, "footer\r")]);
    }

    #[test]
    fn labels_of_newsroom_lines() {
        let same = |a: &str, b: &str| {
            let (x, y) = (label(a).map(|l| l.1), label(b).map(|l| l.1));
            x.is_some() && x == y
        };
        assert!(same("责任编辑：张伟", "（责任编辑：王芳）"));
        assert!(same("原标题：比特币挖矿在四川", "原标题：矿工出海"));
        assert!(same("来源：澎湃新闻", "来源:  新浪财经"));
        assert!(same("文/张伟", "文 / 李娜"));
        assert!(same("作者｜老矿工", "作者|小王"));
        assert!(same("Source: Reuters", "SOURCE: AP"));
        assert!(same("By Jane Doe", "by John Smith, Reuters"));
        assert!(same(
            "(Reporting by Jane Doe; Editing by John Smith)",
            "Reporting by Li Wei"
        ));
        assert!(same("Photo credit: Getty Images", "photo credit: AP"));
        // Different labels differ, and a label is never a line's key.
        assert!(!same("来源：澎湃新闻", "责任编辑：澎湃新闻"));
        assert!(!same("Source: Reuters", "Reporting by Reuters"));
        assert_ne!(label("来源：").map(|l| l.1), key("来源"));
        // Where the quoted opening ends.
        let l = "【原标题：矿工出海】";
        assert_eq!(&l[..label(l).unwrap().0], "【原标题：");
        let l = "(Reporting by Jane Doe)";
        assert_eq!(&l[..label(l).unwrap().0], "(Reporting by");
        // Content, times, links, sentences and long lines are no labels.
        for no in [
            "比特币挖矿在四川十分常见。",
            "矿工们说：我们别无选择。",
            "问：你们会离开吗？",
            "他表示：不会。",
            "By the end of June most miners had left.",
            "10:30 the market opened",
            "See https://example.com for details",
            "Note 2: the data",
            "Mining in Texas, a new frontier: the report",
            "",
            "——",
        ] {
            assert!(label(no).is_none(), "{no:?}");
        }
        let long = format!("观点：{}", "字".repeat(LABEL_LINE_MAX_CHARS));
        assert!(label(&long).is_none());
    }

    #[test]
    fn only_head_and_tail_lines_are_read_for_labels() {
        let t = "原标题：甲\n\n正文第一段。\n来源：某报\n正文第二段。\n正文第三段。\n\n责任编辑：张伟\n来源：某报\n";
        let line_of = |at: usize| t[..at].matches('\n').count();
        let lines: Vec<usize> = edge_labels(t).iter().map(|e| line_of(e.at)).collect();
        // Head: lines 0 and 2 (line 1 is empty); tail: 8, 7 and 5 (6 is empty). The
        // 来源 in the middle (line 3) is a line like any other.
        assert_eq!(lines, vec![0, 7, 8]);
        // One line of content has no labels.
        assert!(edge_labels("来源：某报").is_empty());
        assert!(edge_labels("来源：某报\n\n").is_empty());
        // Head and tail of a short text are not read twice.
        assert_eq!(edge_labels("来源：某报\n责任编辑：张伟").len(), 2);
    }

    #[test]
    fn a_labelled_line_is_keyed_and_blanked_by_its_label_at_the_edges_only() {
        let t = "来源：某报\n正文。\n来源：某报\n正文。\n正文。\n正文。\n责任编辑：张伟";
        let labels = edge_labels(t);
        let src = label("来源：某报").unwrap().1;
        let ed = label("责任编辑：张伟").unwrap().1;
        let ks = labelled_keys(t, &labels);
        assert!(ks.contains(&src) && ks.contains(&ed));
        // The middle 来源 line keeps its line key; the edge one is keyed by its label.
        assert!(ks.contains(&key("来源：某报").unwrap()));
        assert!(!ks.contains(&key("责任编辑：张伟").unwrap()));
        let s = strip(t, |k| k == src || k == ed).unwrap();
        assert_eq!(s.kept, "\n正文。\n来源：某报\n正文。\n正文。\n正文。\n");
        assert_eq!(s.lines, vec![(src, "来源："), (ed, "责任编辑：")]);
        assert_eq!(s.removed, "来源：某报\n责任编辑：张伟\n");
        // A label that is not set aside blanks nothing, even if its line's key is.
        assert!(strip(t, |k| Some(k) == key("责任编辑：张伟")).is_none());
    }

    #[test]
    fn bylines_without_a_separator_are_keyed_by_their_label() {
        let key_of = |l: &str| label(l).map(|l| l.1);
        assert!(key_of("本报记者 张伟").is_some());
        assert_eq!(key_of("本报记者 张伟"), key_of("本报记者  李娜 王芳"));
        assert_eq!(key_of("本报记者 张伟"), key_of("本报记者：张伟"));
        assert_eq!(
            key_of("美国之音记者 赵磊 报道"),
            key_of("美国之音记者 徐明 报道")
        );
        assert_ne!(key_of("本报记者 张伟"), key_of("美国之音记者 赵磊"));
        let l = "（本报记者 张伟）";
        assert_eq!(&l[..label(l).unwrap().0], "（本报记者");
        for no in [
            "本报记者",                       // no name
            "本报记者 张伟说 矿工们都走了了", // a long word: content
            "记者 张伟 李娜 王芳 赵磊 陈静",  // too many words
            "记者张伟报道",                   // no separator: not read
            "矿工 张伟",                      // not a reporter word
            "本报记者 Zhang Wei",
        ] {
            assert!(label(no).is_none(), "{no:?}");
        }
    }

    #[test]
    fn a_dateline_opening_the_text_is_keyed_and_cut_from_its_paragraph() {
        let t = "新华社北京6月3日电（记者 张伟）国务院指出，矿工离开。\n\n第二段。\n第三段。";
        let labels = edge_labels(t);
        let d = super::super::dateline::dateline_key();
        assert_eq!(labels.len(), 1);
        assert_eq!((labels[0].at, labels[0].key), (0, d));
        assert!(labelled_keys(t, &labels).contains(&d));
        let s = strip(t, |k| k == d).unwrap();
        assert_eq!(s.kept, "国务院指出，矿工离开。\n\n第二段。\n第三段。");
        assert_eq!(s.removed, "新华社北京6月3日电（记者 张伟）\n");
        assert_eq!(s.lines, vec![(d, "新华社北京6月3日电（记者 张伟）")]);
        // Not set aside: the line is kept whole.
        assert!(strip(t, |_| false).is_none());
        // A dateline in the middle or at the tail is content.
        let mid =
            "第一段。\n第二段。\n新华社北京6月3日电 正文。\n第四段。\n第五段。\n第六段。\n第七段。";
        assert!(edge_labels(mid).is_empty());
    }

    #[test]
    fn a_dateline_after_title_source_and_byline_lines_is_keyed() {
        let d = super::super::dateline::dateline_key();
        let datelines = |t: &str| -> Vec<usize> {
            edge_labels(t)
                .iter()
                .filter(|e| e.key == d)
                .map(|e| t[..e.at].matches('\n').count())
                .collect()
        };
        // Title, source and date line, then the dateline paragraph (the third and the
        // fourth line with content); blank lines between do not count.
        let page = "矿企加速外迁\n来源：新华网 2021-06-21 10:30\n\n新华社北京6月21日电（记者 张伟）国务院指出，矿工离开。\n第二段。\n第三段。\n第四段。\n第五段。";
        assert_eq!(datelines(page), [3]);
        let s = strip(page, |k| k == d).unwrap();
        assert!(s.kept.contains("\n国务院指出，矿工离开。\n"), "{}", s.kept);
        let four = "Miners leave China\nBy Jane Doe\nJune 21, 2021\nBEIJING, June 21 (Reuters) - Miners left.\nMore.\nMore still.\nAnd more.\nThe end.";
        assert_eq!(datelines(four), [3]);
        // A short text: the dateline line is also among the tail's lines.
        assert_eq!(
            datelines("标题\n2021-06-21\n本报讯（记者 李娜）矿工离开。\n完。"),
            [2]
        );
        // Past the fourth line with content: body.
        let fifth = "标题\n副标题\n来源：某报\n作者：某人\n新华社北京6月21日电 正文。\n二。\n三。\n四。\n五。";
        assert!(datelines(fifth).is_empty());
        // After a sentence of body the dateline is quoted content, not an opening.
        let quoted = "标题\n矿工们离开了。\n新华社北京6月3日电 正文。\n二。\n三。\n四。\n五。";
        assert!(datelines(quoted).is_empty());
        let long_head = format!(
            "{}\n标题\n新华社北京6月3日电 正文。\n二。\n三。\n四。\n五。",
            "长".repeat(80)
        );
        assert!(datelines(&long_head).is_empty());
    }

    #[test]
    fn sample_is_capped() {
        let long = "字".repeat(PASSAGE_SAMPLE_CHARS + 5);
        assert_eq!(sample(&long).chars().count(), PASSAGE_SAMPLE_CHARS);
        assert_eq!(sample("  x  "), "x");
    }
}
