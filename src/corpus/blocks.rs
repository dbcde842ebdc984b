//! Large JSON Lines files of a directory, read a block of whole lines at a time, so
//! that the memory a file takes while it is read is a block's, not the file's.
//!
//! A file is read this way ([`Corpus::load_each`]) when it is a `.jsonl` file larger
//! than twice [`CorpusOptions::jsonl_block`](super::CorpusOptions::jsonl_block) and
//! all of it is UTF-8 without a byte-order mark and does not look binary: then every
//! block, cut after a `\n`, is UTF-8 on its own, and its lines, numbered on from the
//! lines of the blocks before, are the file's lines. Its documents, warnings and
//! verdict are those of [`Corpus::load`] of the whole file (pinned by the tests
//! below). Any other file is loaded whole.
//!
//! ```
//! use duibi::corpus::{Corpus, CorpusOptions};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::create_dir(dir.path().join("domestic")).unwrap();
//! let lines: String = (0..400).map(|i| format!("{{\"text\": \"record {i}\"}}\n")).collect();
//! std::fs::write(dir.path().join("domestic/all.jsonl"), lines).unwrap();
//! let opts = CorpusOptions { jsonl_block: 1024, ..CorpusOptions::default() };
//! let corpus = Corpus::discover(dir.path(), &opts).unwrap();
//! let mut blocks = 0;
//! let mut docs = 0;
//! corpus.load_each(&corpus.files()[0], |loaded| {
//!     blocks += 1;
//!     docs += loaded.docs.len();
//! }).unwrap();
//! assert!(blocks > 1);
//! assert_eq!(docs, 400);
//! ```

use super::{open, Corpus, FileEntry, Format, JsonlTally, Loaded, Origin, Warning};
use std::io::Read;

/// Reads a file a block of whole lines at a time: each block but the last ends with a
/// `\n` (a line longer than the block size makes a longer block); at most `max` bytes
/// of the file are read, and reading past them is an error.
struct LineBlocks<R> {
    input: std::io::Take<R>,
    /// Bytes read past the end of the last block given.
    carry: Vec<u8>,
    size: usize,
    max: u64,
    read: u64,
    eof: bool,
}

impl<R: Read> LineBlocks<R> {
    fn new(input: R, size: usize, max: u64) -> Self {
        LineBlocks {
            input: input.take(max.saturating_add(1)),
            carry: Vec::new(),
            size: size.max(1),
            max,
            read: 0,
            eof: false,
        }
    }

    /// The next block (`None` at the end of the file).
    fn next_block(&mut self) -> Result<Option<Vec<u8>>, String> {
        loop {
            // A `\n` in what is held ends the block there (the rest is carried).
            let searched = self.carry.len();
            if !self.eof && searched < self.size {
                let want = self.size - searched;
                let before = self.carry.len();
                (&mut self.input)
                    .take(want as u64)
                    .read_to_end(&mut self.carry)
                    .map_err(|e| format!("cannot read: {e}"))?;
                let got = self.carry.len() - before;
                self.read += got as u64;
                if self.read > self.max {
                    return Err(format!("file too large (> {} bytes)", self.max));
                }
                if got < want {
                    self.eof = true;
                }
            }
            if self.carry.is_empty() {
                return Ok(None);
            }
            if let Some(nl) = memchr_last(&self.carry) {
                let rest = self.carry.split_off(nl + 1);
                return Ok(Some(std::mem::replace(&mut self.carry, rest)));
            }
            if self.eof {
                return Ok(Some(std::mem::take(&mut self.carry)));
            }
            // A line longer than the block: read another block's worth onto it.
            self.size = self.size.saturating_add(self.carry.len());
        }
    }
}

/// Position of the last `\n` of `b`.
fn memchr_last(b: &[u8]) -> Option<usize> {
    b.iter().rposition(|&c| c == b'\n')
}

impl Corpus {
    /// Whether `entry` is read a block at a time by [`Corpus::load_each`] when its text
    /// allows (see the module docs): a `.jsonl` file larger than twice the block.
    pub(crate) fn streams(&self, entry: &FileEntry) -> bool {
        let block = self.opts.jsonl_block as u64;
        entry.format == Format::Jsonl && block > 0 && entry.size > block.saturating_mul(2)
    }

    /// Whether all of the file at `entry` is UTF-8 without a byte-order mark and does
    /// not look binary, read a block at a time (`false` when it cannot be read: the
    /// whole-file load then gives the reason).
    fn plain_utf8(&self, entry: &FileEntry) -> bool {
        let Ok(mut f) = open::open_checked(&entry.path, entry.file_id, self.opts.follow_links)
        else {
            return false;
        };
        let mut head = Vec::with_capacity(super::decode::HEAD_BYTES);
        if (&mut f)
            .take(super::decode::HEAD_BYTES as u64)
            .read_to_end(&mut head)
            .is_err()
            || !super::decode::plain_utf8_head(&head)
        {
            return false;
        }
        let all = std::io::Cursor::new(head).chain(f);
        let mut blocks = LineBlocks::new(all, self.opts.jsonl_block, self.opts.max_file_size);
        loop {
            match blocks.next_block() {
                Ok(Some(b)) if super::decode::valid_utf8(&b) => {}
                Ok(Some(_)) | Err(_) => return false,
                Ok(None) => return true,
            }
        }
    }

    /// Reads the documents of one discovered file and hands them to `each`, a block of
    /// lines at a time for a large JSON Lines file (see the module docs), else all at
    /// once: the documents and warnings of [`Corpus::load`], in the same order, in
    /// memory a block at a time.
    ///
    /// `Err` carries the one-line reason the file is skipped; `each` has then been
    /// given nothing. A large file that fails to read after some of its documents
    /// were given ends there with a warning.
    pub fn load_each(&self, entry: &FileEntry, mut each: impl FnMut(Loaded)) -> Result<(), String> {
        if !(self.streams(entry) && self.plain_utf8(entry)) {
            each(self.load(entry)?);
            return Ok(());
        }
        let f = open::open_checked(&entry.path, entry.file_id, self.opts.follow_links)?;
        let mut blocks = LineBlocks::new(f, self.opts.jsonl_block, self.opts.max_file_size);
        let origin = |id: String, bytes: u64| Origin {
            id,
            path: entry.rel.clone(),
            encoding: "UTF-8".into(),
            format: entry.format,
            bytes,
            replaced_chars: 0,
        };
        let mut tally = JsonlTally::default();
        // Warnings before the first document wait for it: a file that gives none is
        // skipped with a reason alone, as when it is loaded whole.
        let mut waiting = Loaded::default();
        let mut line = 1usize;
        loop {
            let block = match blocks.next_block() {
                Ok(Some(b)) => b,
                Ok(None) => break,
                Err(reason) if tally.docs == 0 => return Err(reason),
                Err(reason) => {
                    each(stopped(entry, line, &reason));
                    break;
                }
            };
            let text = match String::from_utf8(block) {
                Ok(t) => t,
                // The file changed since it was checked.
                Err(_) if tally.docs == 0 => return Err(changed()),
                Err(_) => {
                    each(stopped(entry, line, &changed()));
                    break;
                }
            };
            let (recs, warns, lines) = super::format::parse_jsonl_from(&text, line);
            drop(text);
            line += lines;
            let mut out = std::mem::take(&mut waiting);
            self.jsonl_docs(entry, recs, warns, &origin, &mut tally, &mut out);
            if tally.docs == 0 {
                waiting = out;
            } else if !out.docs.is_empty() || !out.warnings.is_empty() {
                each(out);
            }
        }
        tally.verdict()
    }
}

/// The reason for a file that no longer is the UTF-8 it was when checked.
fn changed() -> String {
    "changed while being read (no longer UTF-8): not read further".into()
}

/// The warning of a large file whose reading stopped before line `line`.
fn stopped(entry: &FileEntry, line: usize, reason: &str) -> Loaded {
    Loaded {
        docs: Vec::new(),
        warnings: vec![Warning {
            path: entry.rel.clone(),
            message: format!("line {line}: {reason}; the lines before were analysed"),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::CorpusOptions;
    use proptest::prelude::*;

    fn blocks_of(text: &[u8], size: usize) -> Vec<Vec<u8>> {
        let mut b = LineBlocks::new(text, size, u64::MAX);
        let mut out = Vec::new();
        while let Some(x) = b.next_block().unwrap() {
            out.push(x);
        }
        out
    }

    #[test]
    fn blocks_end_after_a_newline_and_join_to_the_text() {
        let text = b"ab\ncd\r\nefghijklmnop\n\nq";
        for size in 1..30 {
            let blocks = blocks_of(text, size);
            assert_eq!(blocks.concat(), text.to_vec(), "size {size}");
            for b in &blocks[..blocks.len() - 1] {
                assert_eq!(b.last(), Some(&b'\n'), "size {size}");
            }
        }
        assert!(blocks_of(b"", 4).is_empty());
    }

    #[test]
    fn a_file_past_the_limit_is_refused() {
        let mut b = LineBlocks::new(&b"aa\nbbbbbb\n"[..], 4, 6);
        assert_eq!(b.next_block().unwrap().as_deref(), Some(&b"aa\n"[..]));
        assert_eq!(
            b.next_block().unwrap_err(),
            "file too large (> 6 bytes)".to_string()
        );
    }

    /// A corpus of one file `domestic/f.jsonl` with `content`, read with `block`.
    fn corpus(dir: &std::path::Path, content: &[u8], block: usize) -> Corpus {
        std::fs::create_dir_all(dir.join("domestic")).unwrap();
        std::fs::write(dir.join("domestic/f.jsonl"), content).unwrap();
        let opts = CorpusOptions {
            jsonl_block: block,
            ..CorpusOptions::default()
        };
        Corpus::discover(dir, &opts).unwrap()
    }

    /// A document: id, text, group, date, encoding, replaced characters.
    type Doc = (String, String, String, Option<String>, String, usize);

    /// Documents and warnings, or the skip reason.
    type Seen = Result<(Vec<Doc>, Vec<String>), String>;

    fn seen_whole(c: &Corpus) -> Seen {
        let l = c.load(&c.files()[0])?;
        Ok(summary(vec![l]))
    }

    fn seen_blocks(c: &Corpus) -> (Seen, usize) {
        let mut got = Vec::new();
        let r = c.load_each(&c.files()[0], |l| got.push(l));
        let n = got.len();
        (r.map(|()| summary(got)), n)
    }

    fn summary(ls: Vec<Loaded>) -> (Vec<Doc>, Vec<String>) {
        let mut docs = Vec::new();
        let mut warns = Vec::new();
        for l in ls {
            for d in l.docs {
                let m = d.meta;
                docs.push((
                    m.id,
                    d.text,
                    m.group,
                    m.date_iso,
                    m.encoding,
                    m.replaced_chars,
                ));
            }
            warns.extend(l.warnings.into_iter().map(|w| w.message));
        }
        warns.sort();
        (docs, warns)
    }

    /// Reads `content` whole and by blocks of every size from 1 to 80 bytes, and
    /// checks both give the same; returns the most blocks one read gave.
    fn same_both_ways(content: &[u8]) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let whole = seen_whole(&corpus(dir.path(), content, 0));
        let mut most = 0;
        for block in 1..80 {
            let c = corpus(dir.path(), content, block);
            let (by_blocks, n) = seen_blocks(&c);
            assert_eq!(by_blocks, whole, "block {block}");
            most = most.max(n);
        }
        most
    }

    #[test]
    fn blocks_give_the_documents_warnings_and_line_numbers_of_a_whole_read() {
        let content = "{\"text\": \"一 first\", \"date\": \"2021-06-01\"}\r\n\
             \n\
             not json\n\
             {\"title\": \"no text\"}\n\
             {\"text\": \"   \"}\n\
             {\"text\": \"second, a longer record than the smallest blocks are\", \"group\": \"overseas\"}\r\
             {\"text\": \"third after a lone CR\", \"date\": \"not a date\"}\n\
             {\"text\": \"no newline at the end\"}";
        assert!(same_both_ways(content.as_bytes()) > 1);
    }

    #[test]
    fn files_without_documents_are_skipped_for_the_same_reason() {
        for content in [
            "\n\n\n\n\n\n\n\n",
            "bad\nworse\n{\"no\": \"text\"}\nbad again\n",
            "{\"text\": \" \"}\n{\"text\": \"\"}\n{\"text\": \"  \"}\n",
        ] {
            same_both_ways(content.as_bytes());
        }
    }

    #[test]
    fn files_that_are_not_plain_utf8_are_read_whole() {
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(
            "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n".as_bytes(),
        );
        let mut latin = "{\"text\": \"a\"}\n{\"text\": \"b\"}\n".as_bytes().to_vec();
        latin.extend_from_slice(b"{\"text\": \"caf\xe9\"}\n");
        for content in [bom, latin] {
            let dir = tempfile::tempdir().unwrap();
            let c = corpus(dir.path(), &content, 4);
            let (by_blocks, n) = seen_blocks(&c);
            assert_eq!(n, 1, "read whole");
            assert_eq!(by_blocks, seen_whole(&corpus(dir.path(), &content, 0)));
        }
    }

    #[test]
    fn small_files_and_a_zero_block_are_read_whole() {
        let content = "{\"text\": \"a\"}\n{\"text\": \"b\"}\n";
        let dir = tempfile::tempdir().unwrap();
        let c = corpus(dir.path(), content.as_bytes(), 1 << 20);
        assert_eq!(seen_blocks(&c).1, 1);
        let c = corpus(dir.path(), content.as_bytes(), 0);
        assert_eq!(seen_blocks(&c).1, 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_lines_read_by_blocks_as_whole(
            lines in proptest::collection::vec(
                prop_oneof![
                    "[a-z 挖矿]{0,12}".prop_map(|t| format!("{{\"text\": \"{t}\"}}")),
                    "[a-z 挖矿]{0,12}".prop_map(|t| format!("{{\"text\": \"{t}\", \"group\": \"g2\"}}")),
                    "[a-z{}\":]{0,10}",
                    Just(String::new()),
                ],
                0..12,
            ),
            ends in proptest::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\r")], 12),
        ) {
            let content: String = lines
                .iter()
                .zip(&ends)
                .map(|(l, e)| format!("{l}{e}"))
                .collect();
            same_both_ways(content.as_bytes());
        }
    }
}
