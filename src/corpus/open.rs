//! Safe opening of corpus files: every read of a file found under the corpus root goes
//! through [`read_checked`], which refuses a file that is no longer the one discovered.
//!
//! Discovery checks paths once, but a file can be swapped for a symbolic link (or its
//! directory for a link to elsewhere) between discovery and the read, or between the
//! analysis and the evidence pass that reads it again. So the read
//! * opens without following a final symbolic link (`O_NOFOLLOW` on Linux) unless links
//!   are followed on purpose, and without blocking on a FIFO (`O_NONBLOCK`),
//! * checks, on the opened descriptor, that it is a regular file with the device and
//!   inode recorded at discovery ([`FileId`]): a file reached through a swapped
//!   directory or link is another inode and is refused,
//! * reads at most the size limit plus one byte.
//!
//! ```
//! use duibi::corpus::open::{read_checked, FileId};
//! let dir = tempfile::tempdir().unwrap();
//! let p = dir.path().join("a.txt");
//! std::fs::write(&p, "text").unwrap();
//! let id = FileId::of(&std::fs::symlink_metadata(&p).unwrap());
//! assert_eq!(read_checked(&p, id, false, 100).unwrap(), b"text");
//! ```

use std::path::Path;

/// Identity of a file at discovery: device and inode (Unix). Elsewhere it carries
/// nothing and every file matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FileId {
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ino: u64,
}

impl FileId {
    /// The identity of the file `meta` describes.
    pub fn of(meta: &std::fs::Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileId {}
        }
    }
}

/// Opens `path` for reading the way every corpus read must: no blocking on a FIFO, no
/// final symbolic link unless `follow_links`, close-on-exec, and the opened file must
/// be a regular file with identity `expected`. `Err` is a one-line skip reason.
pub fn open_checked(
    path: &Path,
    expected: FileId,
    follow_links: bool,
) -> Result<std::fs::File, String> {
    open_checked_len(path, expected, follow_links).map(|(f, _)| f)
}

/// [`open_checked`], with the opened file's length.
fn open_checked_len(
    path: &Path,
    expected: FileId,
    follow_links: bool,
) -> Result<(std::fs::File, u64), String> {
    let mut oo = std::fs::OpenOptions::new();
    oo.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO put in place of a file would block `open` forever without O_NONBLOCK.
        let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
        if !follow_links {
            flags |= libc::O_NOFOLLOW;
        }
        oo.custom_flags(flags);
    }
    let f = oo.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "file vanished or broken link".to_string(),
        _ if is_loop(&e) => "replaced by a symbolic link since discovery: not read".to_string(),
        _ => format!("cannot open: {e}"),
    })?;
    let meta = f
        .metadata()
        .map_err(|e| format!("cannot read metadata: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file (FIFO, socket or device): not read".into());
    }
    if FileId::of(&meta) != expected {
        return Err("replaced since discovery (another file at this path): not read".into());
    }
    Ok((f, meta.len()))
}

/// Reads the whole file at `path` through [`open_checked`], refusing it when it holds
/// more than `max` bytes (at most `max + 1` bytes are read).
///
/// The buffer has room for the length the opened file reports and one byte more, so
/// a file that did not change is read by one `read`: asked for one byte more than it
/// holds, the read comes back short at the reported length, which on a regular file
/// means the end of the file (no second `read` to see it). Any other result (a file
/// that grew, shrank, or reports no length, as some virtual files do) reads on until
/// a `read` gives nothing or the limit is passed.
pub fn read_checked(
    path: &Path,
    expected: FileId,
    follow_links: bool,
    max: u64,
) -> Result<Vec<u8>, String> {
    let (f, len) = open_checked_len(path, expected, follow_links)?;
    read_limited(f, len, max)
}

/// The bytes of `f`, whose reported length is `len`, refused past `max` bytes (see
/// [`read_checked`]).
fn read_limited(mut f: impl std::io::Read, len: u64, max: u64) -> Result<Vec<u8>, String> {
    // Bytes a read may bring in all: one past the limit tells a file too large.
    let limit = usize::try_from(max.saturating_add(1)).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    let mut filled = 0usize;
    loop {
        if filled == buf.len() {
            if filled >= limit {
                break;
            }
            // Room for the reported length and one byte more, then (the file grew or
            // reported no length) as much again as was read, at least 8 KiB.
            let more = if filled == 0 {
                usize::try_from(len.saturating_add(1)).unwrap_or(usize::MAX)
            } else {
                filled.max(8 << 10)
            };
            let to = filled.saturating_add(more).min(limit);
            buf.try_reserve_exact(to - filled).map_err(|_| {
                format!(
                    "cannot read: {}",
                    std::io::Error::from(std::io::ErrorKind::OutOfMemory)
                )
            })?;
            buf.resize(to, 0);
        }
        let asked = buf.len() - filled;
        let n = match f.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read: {e}")),
        };
        filled += n;
        // Nothing more, or short exactly at the reported end (the end of the file).
        if n == 0 || (n < asked && filled as u64 == len) {
            break;
        }
    }
    buf.truncate(filled);
    if filled as u64 > max {
        return Err(format!("file too large (> {max} bytes)"));
    }
    Ok(buf)
}

/// True for the "too many levels of symbolic links" error (ELOOP), which is also what
/// `O_NOFOLLOW` gives on a link.
pub(crate) fn is_loop(e: &std::io::Error) -> bool {
    // `ErrorKind::FilesystemLoop` is not stable: compare the OS error code.
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = libc::ELOOP;
    #[cfg(target_os = "android")]
    const ELOOP: i32 = 40;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const ELOOP: i32 = 62; // macOS and the BSDs
    e.raw_os_error() == Some(ELOOP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(p: &Path) -> FileId {
        FileId::of(&std::fs::symlink_metadata(p).unwrap())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn refuses_a_fifo_without_blocking() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("f.txt");
        let ok = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
        let e = read_checked(&p, id(&p), false, 100).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_swapped_file_or_link() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("a.txt");
        let outside = t.path().join("secret.txt");
        std::fs::write(&p, "doc").unwrap();
        std::fs::write(&outside, "secret").unwrap();
        let discovered = id(&p);
        // Swapped for a link to another file (the original kept, so that its inode is
        // not handed out again).
        std::fs::rename(&p, t.path().join("a.txt.orig")).unwrap();
        std::os::unix::fs::symlink(&outside, &p).unwrap();
        let e = read_checked(&p, discovered, false, 100).unwrap_err();
        assert!(e.contains("since discovery"), "{e}");
        // Even when links are followed, the target is another inode.
        let e = read_checked(&p, discovered, true, 100).unwrap_err();
        assert!(e.contains("since discovery"), "{e}");
        // Swapped for another regular file.
        std::fs::remove_file(&p).unwrap();
        let doc = t.path().join("a.txt.new");
        std::fs::write(&doc, "new").unwrap();
        std::fs::rename(&doc, &p).unwrap();
        let e = read_checked(&p, discovered, false, 100).unwrap_err();
        assert!(e.contains("since discovery"), "{e}");
        assert_eq!(read_checked(&p, id(&p), false, 100).unwrap(), b"new");
    }

    /// A reader of `bytes` that counts its `read` calls, giving at most `chunk` bytes
    /// a call.
    struct Counted<'a> {
        bytes: &'a [u8],
        chunk: usize,
        calls: usize,
    }

    impl std::io::Read for Counted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            let n = buf.len().min(self.chunk).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// A file read as long as it reports is read by one `read` (the short read at its
    /// reported end ends it); a file that grew, shrank, reports no length or is read
    /// in pieces is read to its end, and one past the limit is refused all the same.
    #[test]
    fn a_file_of_its_reported_length_takes_one_read() {
        let text: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        let read = |len: u64, chunk: usize, max: u64| {
            let mut r = Counted {
                bytes: &text,
                chunk,
                calls: 0,
            };
            let got = read_limited(&mut r, len, max);
            (got, r.calls)
        };
        let all = text.len() as u64;
        assert_eq!(read(all, usize::MAX, 1 << 20), (Ok(text.clone()), 1));
        // Grew since it was opened, or reports no length (as virtual files do).
        for len in [0, 1, 100, all - 1] {
            let (got, calls) = read(len, usize::MAX, 1 << 20);
            assert_eq!(got, Ok(text.clone()), "reported {len}");
            assert!(calls > 1, "reported {len}");
        }
        // Shrank: read to the end it has.
        assert_eq!(read(all + 10, usize::MAX, 1 << 20).0, Ok(text.clone()));
        // Read in pieces (short reads before the end).
        assert_eq!(read(all, 4096, 1 << 20).0, Ok(text.clone()));
        assert_eq!(read(all, 1, 1 << 20).0, Ok(text.clone()));
        // The limit holds whatever the reported length.
        for len in [0, 100, all] {
            let (got, _) = read(len, usize::MAX, all - 1);
            assert!(got.unwrap_err().contains("too large"), "reported {len}");
            assert_eq!(read(len, 7, all).0, Ok(text.clone()), "reported {len}");
        }
    }

    #[test]
    fn size_limit_reads_at_most_one_byte_more() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("a.txt");
        std::fs::write(&p, "12345").unwrap();
        assert!(read_checked(&p, id(&p), false, 4)
            .unwrap_err()
            .contains("too large"));
        assert_eq!(read_checked(&p, id(&p), false, 5).unwrap().len(), 5);
    }
}
