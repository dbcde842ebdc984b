//! Atomic output: a destination opened before the work starts and committed at the end.
//!
//! ```
//! use duibi::report::Output;
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("report.json");
//! let out = Output::open(&path)?;
//! assert!(!path.exists(), "nothing appears before commit");
//! out.commit(b"{}\n")?;
//! assert_eq!(std::fs::read(&path)?, b"{}\n");
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::Write;
use std::path::Path;

/// An output destination opened before the work starts, so an unwritable path fails
/// early; the content goes to a temporary file in the same directory and is renamed
/// into place on [`Output::commit`], so an interrupted run never leaves a half-written
/// report at the path.
pub enum Output {
    /// Standard output.
    Stdout,
    /// A file, written atomically.
    File {
        /// Final path.
        path: std::path::PathBuf,
        /// Temporary file beside it.
        tmp: tempfile::NamedTempFile,
    },
}

impl Output {
    /// Opens `path` (`-` for standard output).
    pub fn open(path: &Path) -> std::io::Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output::Stdout);
        }
        if path.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "is a directory",
            ));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".duibi-")
            .suffix(".tmp")
            .tempfile_in(&dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Temporary files are created 0600; a report is an ordinary file.
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(Output::File {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Writes the output through `write` (buffered) and moves the file into place;
    /// on error the temporary file is removed and nothing appears at the path.
    pub fn commit_with(
        self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match self {
            Output::Stdout => {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                write(&mut out)?;
                out.flush()
            }
            Output::File { path, mut tmp } => {
                {
                    let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut tmp);
                    write(&mut out)?;
                    out.flush()?;
                }
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }

    /// Writes `bytes` and moves the file into place.
    pub fn commit(self, bytes: &[u8]) -> std::io::Result<()> {
        self.commit_with(|w| w.write_all(bytes))
    }
}
