//! An external merge sort with bounded memory: items are buffered up to a byte
//! budget, each full buffer is sorted and written to an anonymous temporary file (a
//! run), and the runs are merged back in order. Nothing touches the disk while the
//! items fit in one buffer, so small corpora cost one in-memory sort.
//!
//! The screen ([`crate::dedupe::Screen`]) sorts the scanned documents, the sketch values
//! and the candidate pairs with it, and the document store (`aggregate::docstore`)
//! sorts the documents of a run into id order with it, so neither's memory grows with
//! the corpus.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// An item an [`ExtSort`] can write to a run and read back.
pub(crate) trait Spill: Ord + Sized {
    /// Writes the item.
    fn put(&self, w: &mut impl Write) -> io::Result<()>;
    /// Reads an item back (`None` at the end of the run).
    fn get(r: &mut impl Read) -> io::Result<Option<Self>>;
    /// About how many bytes the item holds in memory.
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

/// Fills `b`; `false` at a clean end of input (before its first byte).
pub(crate) fn fill(r: &mut impl Read, b: &mut [u8]) -> io::Result<bool> {
    match r.read_exact(b) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// [`Spill`] for fixed-width integers: their little-endian bytes.
macro_rules! spill_int {
    ($($t:ty),*) => {$(
        impl Spill for $t {
            fn put(&self, w: &mut impl Write) -> io::Result<()> {
                w.write_all(&self.to_le_bytes())
            }
            fn get(r: &mut impl Read) -> io::Result<Option<Self>> {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                Ok(fill(r, &mut b)?.then(|| <$t>::from_le_bytes(b)))
            }
        }
    )*};
}
spill_int!(u64, u128);

/// Items sorted with at most about `budget` bytes of them in memory at once.
#[derive(Debug)]
pub(crate) struct ExtSort<T> {
    buf: Vec<T>,
    held: usize,
    budget: usize,
    runs: Vec<std::fs::File>,
}

impl<T: Spill> ExtSort<T> {
    /// An empty sort holding at most about `budget` bytes of items in memory.
    pub fn new(budget: usize) -> Self {
        ExtSort {
            buf: Vec::new(),
            held: 0,
            budget: budget.max(1),
            runs: Vec::new(),
        }
    }

    /// Adds an item (writes a run when the buffer is full).
    pub fn push(&mut self, t: T) -> io::Result<()> {
        self.held += t.bytes();
        self.buf.push(t);
        if self.held >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Takes `o`'s items: its runs become this sort's, its buffered items join this
    /// buffer (written as a run if that makes it full).
    ///
    /// When both buffers together would fill the budget, this buffer is written first
    /// and `o`'s is kept as it is, so a merge never holds both in one new allocation.
    pub fn merge(&mut self, mut o: ExtSort<T>) -> io::Result<()> {
        self.runs.append(&mut o.runs);
        if self.held + o.held >= self.budget && !self.buf.is_empty() {
            self.spill()?;
        }
        if self.buf.is_empty() {
            self.buf = std::mem::take(&mut o.buf);
        } else {
            self.buf.append(&mut o.buf);
        }
        self.held += o.held;
        if self.held >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Number of items in memory now.
    #[cfg(test)]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Bytes of items in memory now.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.held
    }

    /// Runs written so far.
    #[cfg(test)]
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buf.sort_unstable();
        let mut w = BufWriter::new(tempfile::tempfile()?);
        for t in self.buf.drain(..) {
            t.put(&mut w)?;
        }
        let mut f = w.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        self.runs.push(f);
        self.held = 0;
        // Give the buffer's memory back between runs of a long sort.
        self.buf.shrink_to(0);
        Ok(())
    }

    /// The items in ascending order.
    pub fn finish(mut self) -> io::Result<Sorted<T>> {
        if self.runs.is_empty() {
            self.buf.sort_unstable();
            return Ok(Sorted::Memory(self.buf.into_iter()));
        }
        if !self.buf.is_empty() {
            self.spill()?;
        }
        let mut readers: Vec<BufReader<std::fs::File>> =
            self.runs.into_iter().map(BufReader::new).collect();
        let mut heap = BinaryHeap::with_capacity(readers.len());
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(t) = T::get(r)? {
                heap.push(Reverse((t, i)));
            }
        }
        Ok(Sorted::Runs { readers, heap })
    }
}

/// The sorted items of an [`ExtSort`].
pub(crate) enum Sorted<T> {
    /// All items fitted in memory.
    Memory(std::vec::IntoIter<T>),
    /// A merge of runs.
    Runs {
        /// One reader per run.
        readers: Vec<BufReader<std::fs::File>>,
        /// The next item of each unfinished run.
        heap: BinaryHeap<Reverse<(T, usize)>>,
    },
}

impl<T: Spill> Iterator for Sorted<T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        match self {
            Sorted::Memory(it) => it.next().map(Ok),
            Sorted::Runs { readers, heap } => {
                let Reverse((t, i)) = heap.pop()?;
                match readers.get_mut(i).map(|r| T::get(r)) {
                    Some(Ok(Some(n))) => heap.push(Reverse((n, i))),
                    Some(Ok(None)) | None => {}
                    Some(Err(e)) => return Some(Err(e)),
                }
                Some(Ok(t))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_in_order() {
        // A budget of 10 items: 1000 items make 100 runs.
        let mut s = ExtSort::<u64>::new(80);
        let items: Vec<u64> = (0..1000u64).map(|i| (i * 7919) % 1009).collect();
        for &i in &items {
            s.push(i).unwrap();
        }
        assert_eq!(s.runs.len(), 100);
        let out: Vec<u64> = s.finish().unwrap().map(Result::unwrap).collect();
        let mut want = items;
        want.sort_unstable();
        assert_eq!(out, want);
    }

    /// Merging two sorts whose buffers together fill the budget writes this buffer as
    /// a run and keeps the other's buffer as it is (same allocation): a merge never
    /// copies both into one new buffer, and the order is still every item's.
    #[test]
    fn a_merge_that_fills_the_budget_keeps_the_other_buffer() {
        // A budget of 10 `u64`s; 7 + 6 items together fill it.
        let mut a = ExtSort::<u64>::new(80);
        let mut b = ExtSort::<u64>::new(80);
        for i in 0..7u64 {
            a.push(i * 3).unwrap();
        }
        for i in 0..6u64 {
            b.push(i * 5 + 1).unwrap();
        }
        let b_buf = b.buf.as_ptr();
        a.merge(b).unwrap();
        assert_eq!(a.runs(), 1, "this buffer was written");
        assert_eq!(a.buffered(), 6, "the other buffer is kept");
        assert_eq!(a.held(), 48);
        assert_eq!(a.buf.as_ptr(), b_buf, "and not copied");
        let out: Vec<u64> = a.finish().unwrap().map(Result::unwrap).collect();
        let mut want: Vec<u64> = (0..7u64)
            .map(|i| i * 3)
            .chain((0..6).map(|i| i * 5 + 1))
            .collect();
        want.sort_unstable();
        assert_eq!(out, want);
        // Buffers that stay under the budget are joined in memory.
        let (mut c, mut d) = (ExtSort::<u64>::new(80), ExtSort::<u64>::new(80));
        c.push(2).unwrap();
        d.push(1).unwrap();
        c.merge(d).unwrap();
        assert_eq!((c.runs(), c.buffered()), (0, 2));
    }

    #[test]
    fn small_sorts_stay_in_memory() {
        let mut s = ExtSort::<u128>::new(1 << 20);
        for i in [3u128, 1, 2] {
            s.push(i).unwrap();
        }
        assert!(s.runs.is_empty());
        let out: Vec<u128> = s.finish().unwrap().map(Result::unwrap).collect();
        assert_eq!(out, [1, 2, 3]);
    }
}
