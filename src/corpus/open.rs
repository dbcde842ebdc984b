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
pub fn read_checked(
    path: &Path,
    expected: FileId,
    follow_links: bool,
    max: u64,
) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let (f, len) = open_checked_len(path, expected, follow_links)?;
    // Room for the whole file and the one byte that tells it did not grow, so it is
    // read in place (no growing and copying the buffer as the read goes).
    let room = usize::try_from(len.min(max).saturating_add(1)).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    // A failed reservation only means the buffer grows as the read goes.
    let _ = buf.try_reserve_exact(room);
    // A file that grew past the limit is refused, not slurped.
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > max {
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
