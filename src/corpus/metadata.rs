//! How a document's date and title are found: one precedence order, said here once.
//!
//! **Date**, first that applies:
//! 1. the manifest row, the JSON Lines record or the caller's fields (`date`,
//!    `published`, … as below): `date_from` = `metadata`;
//! 2. front matter, by field in the order of [`DATE_KEYS`] (`date`, `published_at`,
//!    `pubDate`, `publishDate`, `published`, `created`), taking only values that parse as
//!    a date (`published: true` is a flag, not a date): `front_matter`;
//! 3. the file name `YYYY-MM-DD-slug.md` (the Jekyll and Hugo convention): `file_name`;
//! 4. directories `…/YYYY/MM/DD/slug.md`: `directory`;
//! 5. last resort, front matter `updated`, `lastmod`, `modified` (a change date, not a
//!    publication date): `front_matter`.
//!
//! A `date` field that does not parse is kept as text with a warning, as before, and
//! nothing below it replaces it: the author said what the date is.
//!
//! **Title**: the metadata's `title` (manifest, record, front matter); else, for
//! Markdown, the first level-1 heading (`# Title` or a setext `Title\n===`), or the
//! first block when it is a heading of another level; for HTML, `<title>`, else the
//! first `<h1>`.
//!
//! **Source**: `source`, else `outlet` or `author` (see
//! [`Fields::set`](super::format::Fields::set)).
//!
//! ```
//! use duibi::corpus::metadata::{date_from_path, markdown_title};
//! assert_eq!(date_from_path("domestic/2021-01-02-post.md").as_deref(), Some("2021-01-02"));
//! assert_eq!(date_from_path("blog/2021/1/2/post.md").as_deref(), Some("2021-01-02"));
//! assert_eq!(markdown_title("# Report 9\n\nText").as_deref(), Some("Report 9"));
//! ```

use super::date;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Where a document's date came from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DateFrom {
    /// The manifest, the JSON Lines record, or fields given by the caller.
    Metadata,
    /// A front matter field.
    FrontMatter,
    /// The file name (`YYYY-MM-DD-…`).
    FileName,
    /// The directories above the file (`YYYY/MM/DD/`).
    Directory,
}

/// Metadata keys that may carry the publication date (compared lowercased), best
/// first. Keys from [`LAST_RESORT`] on are change dates, used only when neither a
/// better key nor the path gives a date.
pub const DATE_KEYS: [&str; 9] = [
    "date",
    "published_at",
    "pubdate",
    "publishdate",
    "published",
    "created",
    "updated",
    "lastmod",
    "modified",
];

/// Index in [`DATE_KEYS`] of the first change-date key (`updated`).
pub const LAST_RESORT: u8 = 6;

/// The rank of `key` (lowercased) in [`DATE_KEYS`], if it is a date key.
pub fn date_key_rank(key: &str) -> Option<u8> {
    DATE_KEYS.iter().position(|k| *k == key).map(|i| i as u8)
}

/// Whether a value given under date key `rank` is taken: the `date` key keeps any
/// value (an unparsable one is reported), the others only values that parse as dates.
pub(crate) fn takes_date(rank: u8, value: &str) -> bool {
    rank == 0 || date::normalize(value).is_some()
}

/// The date in a path: a file name starting `YYYY-MM-DD` (then `-`, `_`, `.` or
/// nothing), else three directories `YYYY/MM/DD` (month and day of one or two digits)
/// above the file. `None` when neither is a valid calendar date.
pub fn date_from_path(rel: &str) -> Option<String> {
    path_date(rel).map(|(d, _)| d)
}

/// [`date_from_path`] with where the date was found.
pub(crate) fn path_date(rel: &str) -> Option<(String, DateFrom)> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop()?;
    if let Some(d) = name_date(name) {
        return Some((d, DateFrom::FileName));
    }
    parts.windows(3).rev().find_map(|w| {
        let ok = w[0].len() == 4
            && (1..=2).contains(&w[1].len())
            && (1..=2).contains(&w[2].len())
            && w.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        ok.then(|| date::normalize(&w.join("-")))
            .flatten()
            .map(|d| (d, DateFrom::Directory))
    })
}

/// Steps 3–5 of the date order: when `fields` has no date, or only a change date
/// (`updated` …), the date of the path `rel` replaces it.
pub(crate) fn path_date_fallback(fields: &mut super::format::Fields, rel: &str) {
    let change_date = fields.date_rank.is_some_and(|r| r >= LAST_RESORT);
    if fields.date.is_some() && !change_date {
        return;
    }
    if let Some((d, from)) = path_date(rel) {
        fields.date = Some(d);
        fields.date_rank = None;
        fields.date_from = Some(from);
    }
}

fn name_date(name: &str) -> Option<String> {
    let b = name.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let shape = b[..10].iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    let after = b.get(10).copied();
    if !shape || !matches!(after, None | Some(b'-' | b'_' | b'.')) {
        return None;
    }
    date::normalize(&name[..10])
}

/// The title a Markdown body gives: its first level-1 heading, or its first block when
/// that is a heading of another level (inline markup dropped, spaces collapsed).
/// `None` when there is no such heading or it is empty.
pub fn markdown_title(body: &str) -> Option<String> {
    let mut first_block = true;
    let mut inside: Option<bool> = None; // Some(take) inside a heading
    let mut text = String::new();
    for ev in Parser::new(body) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                let take = level == HeadingLevel::H1 || first_block;
                inside = Some(take);
                first_block = false;
            }
            Event::End(TagEnd::Heading(_)) => {
                if inside == Some(true) {
                    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !t.is_empty() {
                        return Some(t);
                    }
                }
                inside = None;
                text.clear();
            }
            // Bounded: a heading is one line (ATX) or one paragraph (setext).
            Event::Text(t) | Event::Code(t)
                if inside == Some(true) && text.len() < super::format::Fields::MAX_VALUE_BYTES =>
            {
                text.push_str(&t)
            }
            Event::SoftBreak if inside == Some(true) => text.push(' '),
            Event::Start(_) if inside.is_none() => first_block = false,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_dates() {
        for (p, want) in [
            ("2021-01-02-x.md", Some(("2021-01-02", DateFrom::FileName))),
            (
                "d/2021-01-02_x.md",
                Some(("2021-01-02", DateFrom::FileName)),
            ),
            ("d/2021-01-02.md", Some(("2021-01-02", DateFrom::FileName))),
            ("d/2021-02-30-x.md", None),
            ("d/2021-01-02x.md", None),
            ("d/post-2021-01-02.md", None),
            (
                "d/2021/06/21/x.md",
                Some(("2021-06-21", DateFrom::Directory)),
            ),
            ("2021/6/1/x.md", Some(("2021-06-01", DateFrom::Directory))),
            ("d/2021/13/01/x.md", None),
            ("d/12345/06/21/x.md", None),
            ("x.md", None),
        ] {
            let got = path_date(p);
            assert_eq!(got.as_ref().map(|(d, f)| (d.as_str(), *f)), want, "{p}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(markdown_title("# A *b* `c`\n\nx").as_deref(), Some("A b c"));
        assert_eq!(
            markdown_title("Title\n=====\n\nx").as_deref(),
            Some("Title")
        );
        assert_eq!(markdown_title("## Lead\n\nx").as_deref(), Some("Lead"));
        assert_eq!(markdown_title("text\n\n## Section\n").as_deref(), None);
        assert_eq!(markdown_title("text\n\n# Late\n").as_deref(), Some("Late"));
        assert_eq!(markdown_title("#\n\nx"), None);
        assert_eq!(markdown_title("no heading"), None);
    }

    #[test]
    fn date_keys() {
        assert_eq!(date_key_rank("date"), Some(0));
        assert_eq!(date_key_rank("updated"), Some(LAST_RESORT));
        assert!(!takes_date(4, "true"));
        assert!(takes_date(0, "soon"));
        assert!(takes_date(1, "2021-01-02T08:00:00Z"));
    }
}
