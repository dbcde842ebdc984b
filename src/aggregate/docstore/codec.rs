//! The document store's binary form of a [`StoredDoc`] (little-endian numbers,
//! length-prefixed strings) for its sort runs and its sorted file, and reading a file
//! from an offset of one's own.

use super::{Loc, StoredDoc};
use crate::compare::{ConceptStats, DocStats};
use crate::extsort::fill;
use crate::lang::Lang;
use compact_str::CompactString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::Arc;

/// Writes a string of at most `u32::MAX` bytes, `None` as the length `u32::MAX`.
fn put_str(w: &mut impl Write, s: Option<&str>) -> io::Result<()> {
    match s {
        None => w.write_all(&u32::MAX.to_le_bytes()),
        Some(s) => {
            let n = u32::try_from(s.len())
                .ok()
                .filter(|&n| n != u32::MAX)
                .ok_or_else(|| io::Error::other("document field over 4 GiB"))?;
            w.write_all(&n.to_le_bytes())?;
            w.write_all(s.as_bytes())
        }
    }
}

fn get_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// Reads a string written by [`put_str`] (`scratch` holds its bytes).
fn get_str(r: &mut impl Read, scratch: &mut Vec<u8>) -> io::Result<Option<CompactString>> {
    let n = get_u32(r)?;
    if n == u32::MAX {
        return Ok(None);
    }
    scratch.resize(n as usize, 0);
    r.read_exact(scratch)?;
    let s = std::str::from_utf8(scratch).map_err(io::Error::other)?;
    Ok(Some(CompactString::from(s)))
}

/// Writes `d` in the store's binary form (little-endian, strings length-prefixed).
pub(super) fn put_doc(d: &StoredDoc, w: &mut impl Write) -> io::Result<()> {
    let s = &d.stats;
    put_str(w, Some(&s.id))?;
    put_str(w, Some(&s.group))?;
    put_str(w, s.source.as_deref())?;
    put_str(w, s.date_iso.as_deref())?;
    let lang = Lang::ALL.iter().position(|l| *l == s.lang).unwrap_or(0) as u8;
    w.write_all(&[lang, s.label as u8])?;
    for v in [
        s.tokens,
        s.sentences,
        s.sentiment.to_bits(),
        s.hit_sum.to_bits(),
        s.hit_sentences,
        s.sentences_positive,
        s.sentences_negative,
        d.loc.offset,
    ] {
        w.write_all(&v.to_le_bytes())?;
    }
    let n = u32::try_from(d.concepts.len()).map_err(io::Error::other)?;
    for v in [d.loc.file, d.loc.part, d.loc.len, n] {
        w.write_all(&v.to_le_bytes())?;
    }
    for c in &d.concepts {
        w.write_all(&c.concept_index.to_le_bytes())?;
        for v in [
            c.mentions,
            c.mentions_zh,
            c.mentions_en,
            c.sentences,
            c.sentiment_sum.to_bits(),
        ] {
            w.write_all(&v.to_le_bytes())?;
        }
    }
    Ok(())
}

/// Reads a document written by [`put_doc`] into `d` (its concept rows' memory reused);
/// `false` at a clean end of input. `group` gives the shared name of a group.
pub(super) fn get_doc(
    r: &mut impl Read,
    d: &mut StoredDoc,
    scratch: &mut Vec<u8>,
    group: &mut dyn FnMut(&str) -> Arc<str>,
) -> io::Result<bool> {
    let mut n = [0u8; 4];
    if !fill(r, &mut n)? {
        return Ok(false);
    }
    let n = u32::from_le_bytes(n) as usize;
    scratch.resize(n, 0);
    r.read_exact(scratch)?;
    let id = CompactString::from(std::str::from_utf8(scratch).map_err(io::Error::other)?);
    let g = get_str(r, scratch)?.unwrap_or_default();
    let s = &mut d.stats;
    s.id = id;
    s.group = group(&g);
    s.source = get_str(r, scratch)?;
    s.date_iso = get_str(r, scratch)?;
    let mut b = [0u8; 2];
    r.read_exact(&mut b)?;
    s.lang = Lang::ALL.get(b[0] as usize).copied().unwrap_or(Lang::Und);
    s.label = b[1] as i8;
    s.tokens = get_u64(r)?;
    s.sentences = get_u64(r)?;
    s.sentiment = f64::from_bits(get_u64(r)?);
    s.hit_sum = f64::from_bits(get_u64(r)?);
    s.hit_sentences = get_u64(r)?;
    s.sentences_positive = get_u64(r)?;
    s.sentences_negative = get_u64(r)?;
    d.loc.offset = get_u64(r)?;
    d.loc.file = get_u32(r)?;
    d.loc.part = get_u32(r)?;
    d.loc.len = get_u32(r)?;
    let rows = get_u32(r)?;
    d.concepts.clear();
    for _ in 0..rows {
        let concept_index = get_u32(r)?;
        d.concepts.push(ConceptStats {
            doc: u32::MAX,
            group: s.group.clone(),
            concept_index,
            mentions: get_u64(r)?,
            mentions_zh: get_u64(r)?,
            mentions_en: get_u64(r)?,
            sentences: get_u64(r)?,
            sentiment_sum: f64::from_bits(get_u64(r)?),
        });
    }
    Ok(true)
}

/// An empty document to read into.
pub(super) fn blank() -> StoredDoc {
    StoredDoc {
        stats: DocStats {
            id: CompactString::default(),
            group: Arc::from(""),
            source: None,
            date_iso: None,
            lang: Lang::Und,
            tokens: 0,
            sentences: 0,
            sentiment: 0.0,
            label: 0,
            hit_sum: 0.0,
            hit_sentences: 0,
            sentences_positive: 0,
            sentences_negative: 0,
        },
        concepts: Vec::new(),
        loc: Loc {
            file: u32::MAX,
            part: u32::MAX,
            offset: 0,
            len: 0,
        },
    }
}

/// Reads a file from an offset of its own (several readers of one file do not move
/// each other's position).
pub(super) struct At<'a> {
    /// The file.
    pub f: &'a File,
    /// Where the next read starts.
    pub pos: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = read_at(self.f, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, pos)
}

#[cfg(not(unix))]
fn read_at(mut f: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(pos))?;
    f.read(buf)
}
