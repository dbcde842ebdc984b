//! The walk under a corpus root for [`Corpus::discover`](super::Corpus::discover): every
//! entry below the root, depth first, each directory's entries sorted by name, a
//! directory's contents right after its place among its siblings (the order of
//! `walkdir` sorted by file name, which the walk used before).
//!
//! Without `--follow-links` (the default) the walk is this module's own: each directory
//! is listed with [`std::fs::read_dir`] and the file type comes from the listing
//! (`d_type`), as with `walkdir`; but a regular file that discovery will keep is
//! stat'ed relative to its directory's open descriptor (`statx(dirfd, name,
//! AT_SYMLINK_NOFOLLOW)`, [`std::fs::DirEntry::metadata`]) rather than by its full path,
//! so the kernel looks up one name, not every component of the path again (7,845 path
//! walks on the benchmark corpus). The same call, the same fields, the same link rule
//! (a link is never followed): only the lookup is shorter. Files are stat'ed while
//! their directory is listed, and the listing is closed before the walk goes down, so
//! one directory is open at a time whatever the depth.
//!
//! With `--follow-links` the walk is `walkdir`'s (its loop detection and link
//! resolution), as before.

use super::open::is_loop;
use super::{name_text, rel_of, Format, MANIFEST_NAMES};
use std::ffi::OsString;
use std::fs::{FileType, Metadata};
use std::path::{Path, PathBuf};

/// One step of the walk.
pub(super) enum Step {
    /// An entry below the root (directories are not given: their contents are).
    Entry(Found),
    /// An entry or a directory listing that could not be read: its path relative to
    /// the root (the root itself when no path is known), and the skip reason.
    Error {
        /// Relative path.
        rel: String,
        /// One-line reason.
        reason: String,
    },
}

/// An entry below the root.
pub(super) struct Found {
    /// Full path (the root joined with the names below it).
    pub path: PathBuf,
    /// Path relative to the root, as [`rel_of`] writes it.
    pub rel: String,
    /// 1 for the root's own entries.
    pub depth: usize,
    /// File type: of the entry itself, or of a link's target when links are followed.
    pub file_type: FileType,
    /// How to get the entry's metadata.
    meta: Meta,
}

/// Where a found entry's metadata comes from.
enum Meta {
    /// Stat'ed while its directory was listed (`Err`: the error as shown in a reason).
    Known(Result<Metadata, String>),
    /// Not stat'ed: a file discovery does not keep (or not a regular file).
    None,
    /// `walkdir`'s entry (links followed): stat'ed by path when asked.
    Walkdir(walkdir::DirEntry),
}

impl Found {
    /// The entry's metadata (of a link's target when links are followed); `Err` is
    /// the error as a skip reason shows it.
    pub fn metadata(&self) -> Result<Metadata, String> {
        match &self.meta {
            Meta::Known(m) => m.clone(),
            Meta::None => {
                std::fs::symlink_metadata(&self.path).map_err(|e| io_text(&self.path, &e))
            }
            Meta::Walkdir(ent) => ent.metadata().map_err(|e| e.to_string()),
        }
    }
}

/// The text of an I/O error on `path`, worded as `walkdir`'s errors are (a reason
/// written before this walk existed reads the same).
fn io_text(path: &Path, e: &std::io::Error) -> String {
    format!("IO error for operation on {}: {e}", path.display())
}

/// The skip reason for an I/O error met while walking.
fn io_reason(io: &std::io::Error) -> String {
    match io.kind() {
        _ if is_loop(io) => "symbolic link loop".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "broken symbolic link".into(),
        _ => format!("cannot read: {io}"),
    }
}

/// Whether discovery reads the metadata of a regular file named `name` at `depth`: a
/// document file (by extension) or a manifest at the root.
fn kept(name: &Path, depth: usize) -> bool {
    Format::from_path(name).is_some()
        || (depth == 1 && MANIFEST_NAMES.iter().any(|m| name.as_os_str() == *m))
}

/// The steps of the walk under `root` (which the caller has checked is a readable
/// directory), in order.
pub(super) fn walk(root: &Path, follow_links: bool) -> Box<dyn Iterator<Item = Step> + '_> {
    if follow_links {
        Box::new(followed(root))
    } else {
        Box::new(Walk {
            stack: vec![list(root, root, "", 0).into_iter()],
        })
    }
}

/// `walkdir`'s walk, following links.
fn followed(root: &Path) -> impl Iterator<Item = Step> + '_ {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_map(move |ent| match ent {
            Ok(ent) if ent.file_type().is_dir() => None,
            Ok(ent) => Some(Step::Entry(Found {
                path: ent.path().to_path_buf(),
                rel: rel_of(root, ent.path()),
                depth: ent.depth(),
                file_type: ent.file_type(),
                meta: Meta::Walkdir(ent),
            })),
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| rel_of(root, p))
                    .unwrap_or_else(|| root.display().to_string());
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else if let Some(io) = e.io_error() {
                    io_reason(io)
                } else {
                    e.to_string()
                };
                Some(Step::Error { rel, reason })
            }
        })
}

/// The walk without following links: a stack of listed directories, the deepest last.
struct Walk<'a> {
    stack: Vec<std::vec::IntoIter<Listed<'a>>>,
}

/// An item of a directory's listing.
enum Listed<'a> {
    /// A step to give.
    Step(Step),
    /// A subdirectory, listed when the walk reaches it.
    Dir {
        /// The root (for the paths of errors).
        root: &'a Path,
        /// Full path.
        path: PathBuf,
        /// Relative path.
        rel: String,
        /// Its depth.
        depth: usize,
    },
}

impl Iterator for Walk<'_> {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        loop {
            let top = self.stack.last_mut()?;
            match top.next() {
                None => {
                    self.stack.pop();
                }
                Some(Listed::Step(s)) => return Some(s),
                Some(Listed::Dir {
                    root,
                    path,
                    rel,
                    depth,
                }) => self.stack.push(list(root, &path, &rel, depth).into_iter()),
            }
        }
    }
}

/// The listing of directory `dir` (`rel` below `root`, at `depth`): errors first (as
/// `walkdir` sorts them), then the entries by name, the regular files discovery keeps
/// stat'ed relative to the directory.
fn list<'a>(root: &'a Path, dir: &Path, rel: &str, depth: usize) -> Vec<Listed<'a>> {
    let error = |path: Option<&Path>, e: &std::io::Error| {
        Listed::Step(Step::Error {
            rel: path
                .map(|p| rel_of(root, p))
                .unwrap_or_else(|| root.display().to_string()),
            reason: io_reason(e),
        })
    };
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return vec![error(Some(dir), &e)],
    };
    let mut out = Vec::new();
    let mut entries: Vec<(OsString, std::fs::DirEntry, FileType)> = Vec::new();
    for ent in rd {
        match ent {
            Err(e) => out.push(error(None, &e)),
            Ok(ent) => match ent.file_type() {
                Ok(ft) => entries.push((ent.file_name(), ent, ft)),
                Err(e) => out.push(error(Some(&ent.path()), &e)),
            },
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let depth = depth + 1;
    out.reserve(entries.len());
    for (name, ent, ft) in entries {
        let path = dir.join(&name);
        let text = name_text(&name);
        let rel = if rel.is_empty() {
            text
        } else {
            let mut r = String::with_capacity(rel.len() + 1 + text.len());
            r.push_str(rel);
            r.push('/');
            r.push_str(&text);
            r
        };
        if ft.is_dir() {
            out.push(Listed::Dir {
                root,
                path,
                rel,
                depth,
            });
            continue;
        }
        let meta = if ft.is_file() && kept(Path::new(&name), depth) {
            Meta::Known(ent.metadata().map_err(|e| io_text(&path, &e)))
        } else {
            Meta::None
        };
        out.push(Listed::Step(Step::Entry(Found {
            path,
            rel,
            depth,
            file_type: ft,
            meta,
        })));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A step as a line of text: what discovery reads of it.
    fn line(step: Step) -> String {
        match step {
            Step::Error { rel, reason } => format!("error {rel}: {reason}"),
            Step::Entry(f) => {
                let kind = if f.file_type.is_symlink() {
                    "link"
                } else if f.file_type.is_file() {
                    "file"
                } else {
                    "other"
                };
                let name = Path::new(f.path.file_name().unwrap_or_default());
                let meta = if f.file_type.is_file() && kept(name, f.depth) {
                    match f.metadata() {
                        Ok(m) => format!("{} bytes {:?}", m.len(), super::super::FileId::of(&m)),
                        Err(e) => e,
                    }
                } else {
                    String::new()
                };
                format!("{kind} {} {} {} {meta}", f.rel, f.depth, f.path.display())
            }
        }
    }

    /// The walk as `walkdir` gave it before this walk (links not followed, entries
    /// sorted by name, directories left out, metadata by full path).
    fn walkdir_lines(root: &Path) -> Vec<String> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .min_depth(1)
            .into_iter()
            .filter_map(|ent| match ent {
                Ok(e) if e.file_type().is_dir() => None,
                Ok(e) => Some(Step::Entry(Found {
                    path: e.path().to_path_buf(),
                    rel: rel_of(root, e.path()),
                    depth: e.depth(),
                    file_type: e.file_type(),
                    meta: Meta::Known(e.metadata().map_err(|e| e.to_string())),
                })),
                Err(e) => Some(Step::Error {
                    rel: e.path().map(|p| rel_of(root, p)).unwrap_or_default(),
                    reason: e.io_error().map(io_reason).unwrap_or_default(),
                }),
            })
            .map(line)
            .collect()
    }

    fn write(root: &Path, rel: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, rel).unwrap();
    }

    /// Nested directories whose names sort differently per directory than as whole
    /// paths (`a/…` before `a-x/…`, though `-` < `/`), an empty group, files of every
    /// kind discovery tells apart, links in and out of the root, names that are not
    /// UTF-8: the walk gives what `walkdir` gave, in the same order.
    #[cfg(unix)]
    #[test]
    fn the_walk_is_walkdirs_sorted_walk() {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let outside = t.path().join("outside.txt");
        fs::write(&outside, "secret").unwrap();
        let root = t.path().join("corpus");
        for rel in [
            "a/z.txt",
            "a/sub/deep/x.md",
            "a/sub/y.html",
            "a-x/b.txt",
            "a.txt",
            "manifest.csv",
            "b/manifest.csv",
            "b/notes.pdf",
            "b/README",
            "c/back\\slash.txt",
            "c/.duibi-1.tmp",
            "d/e/f/g/h.jsonl",
        ] {
            write(&root, rel);
        }
        fs::create_dir_all(root.join("empty")).unwrap();
        fs::create_dir_all(root.join("z/empty-too")).unwrap();
        fs::write(
            root.join("c")
                .join(std::ffi::OsStr::from_bytes(b"x\xff.txt")),
            "x",
        )
        .unwrap();
        symlink("../a/z.txt", root.join("b/link-in.txt")).unwrap();
        symlink(&outside, root.join("b/link-out.txt")).unwrap();
        symlink("nowhere.txt", root.join("b/broken.txt")).unwrap();
        symlink("../a", root.join("b/dirlink")).unwrap();
        let _ = std::process::Command::new("mkfifo")
            .arg(root.join("c/fifo.txt"))
            .status();
        for given in [
            root.clone(),
            t.path().join("corpus/"),
            t.path().join("./corpus"),
        ] {
            let ours: Vec<String> = walk(&given, false).map(line).collect();
            assert_eq!(ours, walkdir_lines(&given), "root {}", given.display());
        }
        let rels: Vec<String> = walk(&root, false)
            .filter_map(|s| match s {
                Step::Entry(f) => Some(f.rel),
                Step::Error { .. } => None,
            })
            .collect();
        let at = |r: &str| rels.iter().position(|x| x == r).unwrap();
        assert!(at("a/z.txt") < at("a-x/b.txt"), "{rels:?}");
        assert!(at("a/sub/deep/x.md") < at("a/sub/y.html"), "{rels:?}");
        assert!(at("c/x\\xFF.txt") > at("c/back\\\\slash.txt"), "{rels:?}");
        // A directory's contents come at its place among its siblings: the deep file
        // before the root's `manifest.csv`, which is the last (`z/` holds no file).
        assert!(at("d/e/f/g/h.jsonl") < at("manifest.csv"), "{rels:?}");
        assert_eq!(rels.last().map(String::as_str), Some("manifest.csv"));
    }

    /// A subdirectory that cannot be listed is one error at its place in the walk (as
    /// `walkdir` gave it), and the walk goes on past it.
    #[cfg(unix)]
    #[test]
    fn an_unlistable_directory_is_an_error_in_place() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        for rel in ["a/1.txt", "b/2.txt", "c/3.txt"] {
            write(root, rel);
        }
        // A file in place of a directory cannot be listed either way; a directory
        // whose listing fails is made by removing it under the walk, which needs
        // timing: instead, list a path that is not a directory.
        let steps: Vec<String> = {
            let mut w = Walk {
                stack: vec![list(root, root, "", 0).into_iter()],
            };
            // The next directory, `b`, vanishes before the walk reaches it.
            let first = w.next().map(line);
            fs::remove_dir_all(root.join("b")).unwrap();
            first.into_iter().chain(w.map(line)).collect()
        };
        assert_eq!(steps.len(), 3, "{steps:?}");
        assert!(steps[0].starts_with("file a/1.txt 2 "), "{steps:?}");
        assert_eq!(steps[1], "error b: broken symbolic link");
        assert!(steps[2].starts_with("file c/3.txt 2 "), "{steps:?}");
    }
}
