//! Publication dates: several written forms normalized to ISO `YYYY-MM-DD`.

/// Parses a date written as `2021-05-21`, `2021/5/21`, `2021.05.21`, `2021年5月21日`,
/// an RFC 3339 timestamp (`2021-05-21T08:00:00Z`), `21 May 2021` or `May 21, 2021`;
/// returns `YYYY-MM-DD`, or `None` when the text is not a valid calendar date.
///
/// ```
/// use duibi::corpus::date::normalize;
/// assert_eq!(normalize("2021年6月9日").as_deref(), Some("2021-06-09"));
/// assert_eq!(normalize("June 21, 2021").as_deref(), Some("2021-06-21"));
/// assert_eq!(normalize("2021-02-30"), None);
/// ```
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (y, m, d) = numeric(s).or_else(|| worded(s))?;
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn numeric(s: &str) -> Option<(u32, u32, u32)> {
    // Take the leading date part of a timestamp; a time after it must be a valid one.
    let (head, tail) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some((s.as_bytes()[i], &s[i + 1..]))),
        None => (s, None),
    };
    match tail {
        Some((b'T', t)) if !clock(t, true) => return None,
        Some((_, t)) if !clock(t, false) => return None,
        _ => {}
    }
    let head = head.trim_end_matches('日');
    let parts: Vec<&str> = head.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 {
        return None;
    }
    let nums: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                p.parse().ok()
            }
        })
        .collect();
    let n = nums?;
    if parts[0].len() == 4 {
        Some((n[0], n[1], n[2]))
    } else {
        None
    }
}

/// Checks the time that follows a date. After `T` (`strict`) it must be a clock
/// `H:MM[:SS[.fff]]` with an optional zone (`Z`, `±HH[:MM]`) and nothing else; after a
/// space, only text that starts like a clock (`digits:`) is checked, and may be
/// followed by a zone or by a space and anything (`08:00 CST`). Hours run to 23 (24
/// only as `24:00:00`), minutes to 59, seconds to 60 (a leap second).
fn clock(t: &str, strict: bool) -> bool {
    let digits = |s: &str| -> Option<(u32, usize)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 2 {
            return None;
        }
        Some((s[..n].parse().ok()?, n))
    };
    // Text that does not start like a clock (`digits:`).
    let Some((h, n)) = digits(t).filter(|&(_, n)| t.as_bytes().get(n) == Some(&b':')) else {
        return !strict;
    };
    let rest = &t[n + 1..];
    let Some((m, n)) = digits(rest).filter(|&(_, n)| n == 2) else {
        return false;
    };
    let mut rest = &rest[n..];
    let mut sec = 0;
    if let Some(r) = rest.strip_prefix(':') {
        let Some((s, n)) = digits(r).filter(|&(_, n)| n == 2) else {
            return false;
        };
        sec = s;
        rest = &r[n..];
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            rest = &r[n..];
        }
    }
    let time_ok = (h <= 23 && m <= 59 && sec <= 60) || (h == 24 && m == 0 && sec == 0);
    time_ok && zone(rest, strict)
}

/// The rest after a clock: empty, `Z`, `±HH[:MM]` or `±HHMM`; when not `strict`, also
/// a space and anything.
fn zone(rest: &str, strict: bool) -> bool {
    if rest.is_empty() || rest == "Z" || rest == "z" {
        return true;
    }
    if !strict && rest.starts_with(char::is_whitespace) {
        return true;
    }
    let Some(z) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    let z = z.replacen(':', "", 1);
    if !(z.len() == 2 || z.len() == 4) || !z.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let h: u32 = z[..2].parse().unwrap_or(99);
    let m: u32 = z[2..].parse().unwrap_or(0);
    h <= 23 && m <= 59
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| w.starts_with(m))?;
    Some(i as u32 + 1)
}

fn worded(s: &str) -> Option<(u32, u32, u32)> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() != 3 {
        return None;
    }
    let num = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit()) || w.len() > 4 {
            None
        } else {
            w.parse().ok()
        }
    };
    // 21 May 2021
    if let (Some(d), Some(m), Some(y)) = (num(words[0]), month(words[1]), num(words[2])) {
        return Some((y, m, d));
    }
    // May 21, 2021
    if let (Some(m), Some(d), Some(y)) = (month(words[0]), num(words[1]), num(words[2])) {
        return Some((y, m, d));
    }
    None
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    d <= days[(m - 1) as usize]
}

/// The period a normalized date falls in: `YYYY-MM` for months, ISO week `YYYY-Www`
/// for weeks.
///
/// ```
/// use duibi::corpus::date::{period, Period};
/// assert_eq!(period("2021-06-21", Period::Month).as_deref(), Some("2021-06"));
/// assert_eq!(period("2021-01-03", Period::Week).as_deref(), Some("2020-W53"));
/// ```
pub fn period(iso: &str, p: Period) -> Option<String> {
    let (y, m, d) = numeric(iso)?;
    if !valid(y, m, d) {
        return None;
    }
    match p {
        Period::Month => Some(format!("{y:04}-{m:02}")),
        Period::Week => {
            let (wy, w) = iso_week(y as i64, m as i64, d as i64);
            Some(format!("{wy:04}-W{w:02}"))
        }
    }
}

/// Granularity of time series.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    Default,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO weeks.
    Week,
    /// Calendar months.
    #[default]
    Month,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    // Howard Hinnant's algorithm: days since 1970-01-01.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn iso_week(y: i64, m: i64, d: i64) -> (i64, i64) {
    let days = days_from_civil(y, m, d);
    let weekday = (days + 3).rem_euclid(7) + 1; // Monday = 1
    let thursday = days - weekday + 4;
    // Year of that Thursday.
    let mut ty = y + 1;
    while days_from_civil(ty, 1, 1) > thursday {
        ty -= 1;
    }
    let week = (thursday - days_from_civil(ty, 1, 1)) / 7 + 1;
    (ty, week)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        for (s, want) in [
            ("2021-05-21", Some("2021-05-21")),
            ("2021/5/21", Some("2021-05-21")),
            ("2021.05.21", Some("2021-05-21")),
            ("2021-05-21T08:00:00+08:00", Some("2021-05-21")),
            ("21 May 2021", Some("2021-05-21")),
            ("Sept. 3, 2021", Some("2021-09-03")),
            ("2020-02-29", Some("2020-02-29")),
            ("2021-02-29", None),
            ("last Tuesday", None),
            ("05/21/2021", None),
            ("2021-06-21T25:61:61", None),
            ("2021-06-21T23:61", None),
            ("2021-06-21T12:00:61", None),
            ("2021-06-21Tnoon", None),
            ("2021-06-21T12:00:00+25:00", None),
            ("2021-06-21 25:00", None),
            ("2021-06-21T23:59:60Z", Some("2021-06-21")),
            ("2021-06-21T24:00:00", Some("2021-06-21")),
            ("2021-06-21T08:00:00.123-05:00", Some("2021-06-21")),
            ("2021-06-21T0800", None),
            ("2021-06-21 08:00 CST", Some("2021-06-21")),
            ("2021-06-21 (Monday)", Some("2021-06-21")),
            ("2021年6月21日 9:30", Some("2021-06-21")),
        ] {
            assert_eq!(normalize(s).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn weeks() {
        assert_eq!(
            period("2021-06-21", Period::Week).as_deref(),
            Some("2021-W25")
        );
        assert_eq!(
            period("2021-12-31", Period::Week).as_deref(),
            Some("2021-W52")
        );
        assert_eq!(
            period("2024-12-30", Period::Week).as_deref(),
            Some("2025-W01")
        );
    }
}
