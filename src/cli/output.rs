//! Opening the outputs of a run before any work, with one-line errors naming the path.
//!
//! Regular files (and new paths) are written to a temporary file renamed into place
//! ([`duibi::report::Output`]); a path naming a FIFO, a character device or a symbolic
//! link to one (`/dev/stdout`, `>(cmd)`) is written directly, never replaced. An output
//! that is a file of the corpus is refused; one elsewhere inside the corpus root is
//! allowed (the run never reads its own outputs) with a warning.

use super::exit::{self, Fail};
use super::flags::OutputArgs;
use duibi::report::Output;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An opened output.
pub enum Sink {
    /// Standard output or a regular file, written atomically.
    Atomic(Output),
    /// A FIFO or device, written in place.
    Direct(std::fs::File),
}

impl Sink {
    /// Writes the output through `write` (buffered) and, for a regular file, moves it
    /// into place.
    pub fn commit_with(
        self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match self {
            Sink::Atomic(o) => o.commit_with(write),
            Sink::Direct(f) => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
                write(&mut out)?;
                out.flush()
            }
        }
    }

    /// Writes `bytes`.
    pub fn commit(self, bytes: &[u8]) -> std::io::Result<()> {
        self.commit_with(|w| w.write_all(bytes))
    }
}

/// Whether `p` names (through any symbolic links) something that is neither a regular
/// file nor a directory: a FIFO, a character or block device, a socket.
fn is_special(p: &Path) -> bool {
    p.as_os_str() != "-"
        && std::fs::metadata(p).is_ok_and(|m| !m.file_type().is_file() && !m.is_dir())
}

/// Opens an output before any work, with a one-line error naming the path.
pub fn open(p: &Path) -> Result<Sink, Fail> {
    let opened = if is_special(p) {
        std::fs::OpenOptions::new()
            .write(true)
            .open(p)
            .map(Sink::Direct)
    } else {
        Output::open(p).map(Sink::Atomic)
    };
    opened.map_err(|e| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let reason = match parent {
            Some(d) if !d.is_dir() => format!("directory {} does not exist", d.display()),
            _ => match e.kind() {
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            },
        };
        exit::usage(format!("{}: cannot write output: {reason}", p.display()))
    })
}

/// Opened outputs of a run: the JSON report and the HTML page.
pub struct Outputs {
    /// The JSON report (or partial).
    pub json: Sink,
    /// The HTML report, when asked for.
    pub html: Option<Sink>,
}

/// Opens the JSON and HTML outputs; refuses one path given for both.
pub fn open_all(o: &OutputArgs) -> Result<Outputs, Fail> {
    let json = open(&o.output)?;
    let html = match &o.html {
        Some(p) if p == &o.output && p.as_os_str() != "-" => {
            return Err(exit::usage(format!(
                "{}: given as both the JSON and the HTML output",
                p.display()
            )));
        }
        Some(p) => Some(open(p)?),
        None => None,
    };
    Ok(Outputs { json, html })
}

/// Where `p` is or would be, symbolic links resolved: `None` when its directory does
/// not exist.
fn resolved(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
}

/// Whether the corpus would read the file at `p` (relative path `rel` under the root):
/// a regular file of a supported format, or the manifest at the root.
fn is_corpus_file(p: &Path, rel: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file())
        && (duibi::corpus::Format::from_path(p).is_some() || rel == Path::new("manifest.csv"))
}

/// Refuses (before any work) an output that is a file of the corpus under `root`;
/// gives the warnings to print, once the outputs are open, for outputs elsewhere inside
/// the root.
pub fn check_against_corpus(root: &Path, outputs: &[&Path]) -> Result<Vec<String>, Fail> {
    let Ok(root) = std::fs::canonicalize(root) else {
        return Ok(Vec::new());
    };
    let mut warnings = Vec::new();
    for p in outputs.iter().filter(|p| p.as_os_str() != "-") {
        let Some(at) = resolved(p) else { continue };
        let Ok(rel) = at.strip_prefix(&root) else {
            continue;
        };
        if is_corpus_file(&at, rel) {
            return Err(exit::usage(format!(
                "{}: the output is a file of the corpus; write it outside {}",
                p.display(),
                root.display()
            )));
        }
        warnings.push(format!(
            "{}: the output lies inside the corpus directory (it is not read as a document)",
            p.display()
        ));
    }
    Ok(warnings)
}

/// Makes the directory of `--tables` (before any work) and refuses another output of
/// the run given as one of its table files.
pub fn prepare_tables_dir(
    dir: &Path,
    others: &[Option<&Path>],
    tables: &[PathBuf],
) -> Result<(), Fail> {
    if dir.exists() && !dir.is_dir() {
        return Err(exit::usage(format!("{}: not a directory", dir.display())));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        exit::usage(format!(
            "{}: cannot create the tables directory: {e}",
            dir.display()
        ))
    })?;
    for p in others.iter().flatten() {
        let clash = tables
            .iter()
            .any(|t| t == p || (resolved(t).is_some() && resolved(t) == resolved(p)));
        if clash {
            return Err(exit::usage(format!(
                "{}: given both as an output and as a file of the tables directory",
                p.display()
            )));
        }
    }
    Ok(())
}
