//! A stream (standard input) spooled to a temporary file, so a run can read it more
//! than once (the scan pass, the analysis pass, the evidence pass) with bounded
//! memory: the bytes are copied through a fixed buffer, never held whole.
//!
//! ```
//! use duibi::corpus::spool::Spool;
//! use std::io::BufRead;
//! let spool = Spool::new("a\nb\n".as_bytes()).unwrap();
//! for _ in 0..2 {
//!     let lines: Vec<String> = spool.reader().unwrap().lines().map(Result::unwrap).collect();
//!     assert_eq!(lines, ["a", "b"]);
//! }
//! ```

use std::io::{BufReader, Read};

/// A spooled stream: a temporary file, removed when the spool is dropped.
#[derive(Debug)]
pub struct Spool {
    file: tempfile::NamedTempFile,
    bytes: u64,
}

impl Spool {
    /// Copies `input` to a new temporary file.
    pub fn new(mut input: impl Read) -> std::io::Result<Self> {
        let mut file = tempfile::NamedTempFile::new()?;
        let bytes = std::io::copy(&mut input, file.as_file_mut())?;
        Ok(Spool { file, bytes })
    }

    /// A reader from the start of the spooled bytes (each reader has its own
    /// position, so several may be open at once).
    pub fn reader(&self) -> std::io::Result<BufReader<std::fs::File>> {
        Ok(BufReader::new(self.file.reopen()?))
    }

    /// Bytes spooled.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    /// Whether nothing was spooled.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }
}
