//! JSON lines given as a stream (`duibi analyze --stdin-jsonl`): one record a line, each
//! with its own group, under the limits of a corpus file: a record longer than the
//! largest file is skipped without being held in memory, metadata values are cut to
//! [`Fields::MAX_VALUE_BYTES`], an id longer than [`MAX_ID_BYTES`] and a record whose
//! text is empty are skipped with a reason.
//!
//! ```
//! use duibi::corpus::jsonl::{document, Records, Record};
//! let loaded = document("-", 3, r#"{"group":"g","text":"hi","date":"soon"}"#).unwrap();
//! assert_eq!(loaded.docs[0].meta.id, "-#L3");
//! assert_eq!(loaded.warnings[0].message, "line 3: unparsable date \"soon\" (kept as text)");
//! let input = "{\"text\":\"a\"}\n\n".to_string() + &"x".repeat(100) + "\n";
//! let recs: Vec<Record> = Records::new(input.as_bytes(), 64).map(Result::unwrap).collect();
//! assert!(matches!(&recs[0], Record::Line(1, l) if l == "{\"text\":\"a\"}"));
//! assert!(matches!(&recs[1], Record::Bad(3, r) if r == "record longer than 64 bytes"));
//! ```

use super::format::Fields;
use super::source::Origin;
use super::{Document, Format, Loaded, Warning};
pub use crate::config::MAX_ID_BYTES;
use std::io::{BufRead, Read};

/// One line of a JSON-lines stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A line (1-based number) to parse.
    Line(usize, String),
    /// A line that cannot be a record, with the reason (it was not kept in memory when
    /// too long).
    Bad(usize, String),
}

/// The non-blank lines of a stream, each at most `max` bytes: a longer line is read
/// through and given as [`Record::Bad`] without being held, as is a line that is not
/// UTF-8. A `\r` before the `\n` is dropped.
pub struct Records<R> {
    input: R,
    max: u64,
    line: usize,
    /// Number of the last record given (`Line` or `Bad`).
    last: usize,
    /// Bytes of `input` consumed so far (from where reading started).
    pos: u64,
    buf: Vec<u8>,
}

/// Where a [`Records`] reader stands: the byte offset of the next line in the stream
/// and the number of lines read before it. A reader made with [`Records::resume`] on
/// the same bytes, seeked to `offset`, gives the same records with the same numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordPos {
    /// Byte offset of the next line.
    pub offset: u64,
    /// Lines before it.
    pub line: usize,
}

impl<R: BufRead> Records<R> {
    /// Lines of `input`, each at most `max` bytes.
    pub fn new(input: R, max: u64) -> Self {
        Self::resume(input, max, RecordPos::default())
    }

    /// Lines of `input`, which stands at `at.offset` of the stream a reader left at
    /// `at` (see [`Records::position`]): line numbers go on from there.
    pub fn resume(input: R, max: u64, at: RecordPos) -> Self {
        Records {
            input,
            max,
            line: at.line,
            last: at.line,
            pos: at.offset,
            buf: Vec::new(),
        }
    }

    /// Where the next record starts.
    pub fn position(&self) -> RecordPos {
        RecordPos {
            offset: self.pos,
            line: self.line,
        }
    }

    /// Number of the last record given (`Line` or `Bad`; where reading started before
    /// the first).
    pub fn last_record(&self) -> usize {
        self.last
    }

    /// Appends the next `size` [`Record::Line`]s to `chunk` (fewer at the end of the
    /// stream), each [`Record::Bad`] on the way given to `bad`: one definition of a
    /// chunk of the stream for every pass that reads it. On an error `chunk` keeps the
    /// lines read before it.
    pub fn fill(
        &mut self,
        chunk: &mut Vec<(usize, String)>,
        size: usize,
        mut bad: impl FnMut(usize, String),
    ) -> std::io::Result<()> {
        let mut got = 0;
        while got < size {
            match self.next().transpose()? {
                None => break,
                Some(Record::Line(no, line)) => {
                    chunk.push((no, line));
                    got += 1;
                }
                Some(Record::Bad(no, reason)) => bad(no, reason),
            }
        }
        Ok(())
    }

    /// Reads the next line into `buf`; `Ok(None)` at the end, `Ok(Some(false))` when
    /// it was longer than `max` (and `buf` is empty). Never holds more than `max + 2`
    /// bytes of a line (`read_until` finds the `\n` with the standard library's memchr).
    fn next_line(&mut self) -> std::io::Result<Option<bool>> {
        // A line of `max` bytes, a `\r` and the `\n`.
        let cap = self.max.saturating_add(2);
        let mut fits = true;
        loop {
            self.buf.clear();
            let n = (&mut self.input)
                .take(cap)
                .read_until(b'\n', &mut self.buf)?;
            self.pos += n as u64;
            if n == 0 {
                // The end: of the stream, or of an overlong last line.
                return Ok((!fits).then_some(false));
            }
            if self.buf.last() == Some(&b'\n') {
                self.buf.pop();
            } else if n as u64 == cap {
                // No end of line within `cap` bytes: read through the rest.
                fits = false;
                continue;
            }
            if !fits {
                self.buf.clear();
            }
            return Ok(Some(fits));
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = std::io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let fits = match self.next_line() {
                Ok(None) => return None,
                Ok(Some(f)) => f,
                Err(e) => return Some(Err(e)),
            };
            self.line += 1;
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            if !fits || self.buf.len() as u64 > self.max {
                self.last = self.line;
                let reason = format!("record longer than {} bytes", self.max);
                return Some(Ok(Record::Bad(self.line, reason)));
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.last = self.line;
            let buf = std::mem::take(&mut self.buf);
            if super::decode::valid_utf8(&buf) {
                // SAFETY: `valid_utf8` has just checked that all of `buf` is UTF-8.
                let line = unsafe { String::from_utf8_unchecked(buf) };
                return Some(Ok(Record::Line(self.line, line)));
            }
            return Some(Ok(match String::from_utf8(buf) {
                Ok(s) => Record::Line(self.line, s),
                Err(e) => Record::Bad(
                    self.line,
                    format!(
                        "not UTF-8 (invalid byte at {})",
                        e.utf8_error().valid_up_to()
                    ),
                ),
            }));
        }
    }
}

/// One JSON Lines record of input `name` (line `line_no`) as a document, with the
/// warnings it raises (an unparsable date, a metadata value cut, as in a corpus
/// directory's `.jsonl` file).
///
/// `Err` carries the one-line reason the line is skipped: not JSON, no text or no
/// group, empty text (as an empty file is skipped), an id longer than
/// [`MAX_ID_BYTES`].
pub fn document(name: &str, line_no: usize, line: &str) -> Result<Loaded, String> {
    let (text, id, mut fields) = match super::format::parse_jsonl_line(line) {
        Ok(Some(x)) => x,
        Ok(None) => return Err(format!("line {line_no}: no \"text\" field")),
        Err(e) => return Err(format!("line {line_no}: malformed JSON: {e}")),
    };
    if text.trim().is_empty() {
        return Err(format!("line {line_no}: empty or whitespace-only text"));
    }
    if let Some(id) = id.as_ref().filter(|id| id.len() > MAX_ID_BYTES) {
        return Err(format!(
            "line {line_no}: id longer than {MAX_ID_BYTES} bytes ({} bytes)",
            id.len()
        ));
    }
    let mut warnings: Vec<Warning> = fields
        .cap_values()
        .into_iter()
        .map(|f| Warning {
            path: name.to_string(),
            message: format!(
                "line {line_no}: {f} longer than {} bytes (truncated)",
                Fields::MAX_VALUE_BYTES
            ),
        })
        .collect();
    let Some(group) = fields.group.clone() else {
        return Err(format!("line {line_no}: no \"group\" field"));
    };
    let origin = Origin {
        id: id.unwrap_or_else(|| format!("{name}#L{line_no}")),
        path: name.to_string(),
        encoding: "UTF-8".into(),
        format: Format::Jsonl,
        bytes: line.len() as u64,
        replaced_chars: 0,
    };
    let doc = Document::new(origin, group, "record", fields, text);
    warnings.extend(doc.date_warning().map(|w| Warning {
        path: name.to_string(),
        message: format!("line {line_no}: {w}"),
    }));
    Ok(Loaded {
        docs: vec![doc],
        warnings,
    })
}

/// How a skipped line of input `name` is listed: `<stdin>:LINE` for standard input
/// (`-`), `NAME:LINE` otherwise.
pub fn line_name(name: &str, line_no: usize) -> String {
    if name == "-" {
        format!("<stdin>:{line_no}")
    } else {
        format!("{name}:{line_no}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_resumed_at_a_position_gives_the_same_records() {
        let big = "y".repeat(300);
        let input = format!("a\n\n{big}\nb\r\nc\n");
        let mut first = Records::new(std::io::BufReader::with_capacity(8, input.as_bytes()), 100);
        let _ = first.next();
        let _ = first.next();
        let at = first.position();
        let rest: Vec<Record> = first.map(Result::unwrap).collect();
        let tail = &input.as_bytes()[at.offset as usize..];
        let again: Vec<Record> = Records::resume(tail, 100, at).map(Result::unwrap).collect();
        assert_eq!(rest, again);
        assert_eq!(again[0], Record::Line(4, "b".into()));
    }

    #[test]
    fn long_lines_are_skipped_without_being_kept() {
        let big = "y".repeat(10_000);
        let mut input = format!("a\r\n{big}\nb\n\n").into_bytes();
        input.extend_from_slice(b"\xff\nlast");
        let recs: Vec<Record> =
            Records::new(std::io::BufReader::with_capacity(16, &input[..]), 100)
                .map(Result::unwrap)
                .collect();
        assert_eq!(recs[0], Record::Line(1, "a".into()));
        assert_eq!(
            recs[1],
            Record::Bad(2, "record longer than 100 bytes".into())
        );
        assert_eq!(recs[2], Record::Line(3, "b".into()));
        assert!(matches!(&recs[3], Record::Bad(5, r) if r.starts_with("not UTF-8")));
        assert_eq!(recs[4], Record::Line(6, "last".into()));
        assert_eq!(recs.len(), 5);
        // A line of exactly the limit is kept.
        let exact = "z".repeat(100);
        let recs: Vec<Record> = Records::new(exact.as_bytes(), 100)
            .map(Result::unwrap)
            .collect();
        assert_eq!(recs, [Record::Line(1, exact)]);
    }

    #[test]
    fn a_line_of_the_limit_is_kept_before_a_crlf() {
        let exact = "z".repeat(100);
        let over = "o".repeat(101);
        let input = format!("{exact}\r\n{over}\r\n{exact}\r\n{over}");
        let mut recs = Records::new(std::io::BufReader::with_capacity(16, input.as_bytes()), 100);
        let got: Vec<Record> = recs.by_ref().map(Result::unwrap).collect();
        let bad = |n| Record::Bad(n, "record longer than 100 bytes".into());
        assert_eq!(
            got,
            [
                Record::Line(1, exact.clone()),
                bad(2),
                Record::Line(3, exact),
                bad(4)
            ]
        );
        assert_eq!(recs.position().offset, input.len() as u64);
    }

    #[test]
    fn record_limits() {
        let long_id = "i".repeat(MAX_ID_BYTES + 1);
        let e = document(
            "-",
            2,
            &format!(r#"{{"group":"g","text":"t","id":"{long_id}"}}"#),
        );
        assert!(e.unwrap_err().contains("id longer than"));
        let e = document("-", 4, r#"{"group":"g","text":"  "}"#);
        assert_eq!(e.unwrap_err(), "line 4: empty or whitespace-only text");
        let title = "标".repeat(3000);
        let l = document(
            "-",
            5,
            &format!(r#"{{"group":"g","text":"t","title":"{title}"}}"#),
        )
        .unwrap();
        assert!(l.docs[0].meta.fields.title.as_ref().unwrap().len() <= Fields::MAX_VALUE_BYTES);
        assert_eq!(
            l.warnings[0].message,
            "line 5: title longer than 4096 bytes (truncated)"
        );
    }
}
