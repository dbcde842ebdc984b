//! Manifests at the corpus root (`manifest.csv`, `manifest.jsonl`): one row per
//! document file with its group and metadata, each row with its line number.
//!
//! ```
//! let (rows, warns) = duibi::corpus::parse_manifest_text(
//!     "manifest.csv", "path,group\ndomestic/a.txt,domestic\n../x.txt,overseas\n").unwrap();
//! assert_eq!(rows[0], (2, "domestic/a.txt".to_string(), Some("domestic/a.txt".to_string())));
//! assert_eq!(rows[1].2, None); // escapes the root
//! assert!(warns.is_empty());
//! ```

use super::format::{self, Fields};
use super::CorpusError;
use std::path::{Component, Path};

/// A parsed manifest row: line number, path as written, fields.
pub(crate) type Row = (usize, String, Fields);

/// Normalizes a manifest path to the `/`-separated relative form; `None` when it is
/// absolute or climbs out of the root.
pub(crate) fn normalize_manifest_path(p: &str) -> Option<String> {
    let p = p.trim().replace('\\', "/");
    let path = Path::new(&p);
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// A manifest row as parsed: line number, path as written, normalized path (`None`
/// when it escapes the root).
#[doc(hidden)]
pub type ManifestRow = (usize, String, Option<String>);

/// Parses the text of a manifest named `name` (`.csv` or `.jsonl`) the way discovery
/// does, without a corpus: each row's line number, path as written and normalized path
/// (`None` when it escapes the root), and the warnings of the JSON Lines form. For
/// property tests and fuzzing; `Err` is the message of an unusable CSV manifest.
#[doc(hidden)]
pub fn parse_manifest_text(
    name: &str,
    text: &str,
) -> Result<(Vec<ManifestRow>, Vec<String>), String> {
    let (rows, warns) = if name.ends_with(".csv") {
        (
            parse_manifest_csv(name, text).map_err(|e| e.to_string())?,
            Vec::new(),
        )
    } else {
        parse_manifest_jsonl(text)
    };
    let rows = rows
        .into_iter()
        .map(|(line, p, _)| {
            let norm = normalize_manifest_path(&p);
            (line, p, norm)
        })
        .collect();
    Ok((rows, warns))
}

pub(crate) fn parse_manifest_csv(name: &str, text: &str) -> Result<Vec<Row>, CorpusError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| CorpusError::Manifest {
            path: name.to_string(),
            reason: format!("line 1: cannot read header: {e}"),
        })?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(n));
    let (Some(pcol), Some(gcol)) = (col("path"), col("group")) else {
        return Err(CorpusError::Manifest {
            path: name.to_string(),
            reason: format!(
                "line 1: header must name the columns 'path' and 'group' (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        });
    };
    let others: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pcol && *i != gcol)
        .map(|(i, h)| (i, h.to_string()))
        .collect();
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    for (i, rec) in rdr.records().enumerate() {
        // The record's own line (quoted fields may span lines; blank lines are skipped).
        let pos = match &rec {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let line = pos
            .and_then(|p| lines.line_at(text, p.byte() as usize))
            .unwrap_or(i + 2);
        let rec = rec.map_err(|e| CorpusError::Manifest {
            path: name.to_string(),
            reason: format!("line {line}: {e}"),
        })?;
        let Some(p) = rec.get(pcol).filter(|p| !p.is_empty()) else {
            continue;
        };
        let mut f = Fields::default();
        if let Some(g) = rec.get(gcol) {
            f.set("group", g.to_string());
        }
        for (i, h) in &others {
            if let Some(v) = rec.get(*i) {
                f.set(h, v.to_string());
            }
        }
        rows.push((line, p.to_string(), f));
    }
    Ok(rows)
}

/// Line numbers of byte offsets that come in increasing order, counted from where the
/// previous offset was (counting from the start of the text for every record made
/// 100k rows take minutes).
#[derive(Debug, Default)]
struct LineCounter {
    /// A byte offset already counted (always a char boundary not inside a `\r\n`).
    byte: usize,
    /// Line terminators before `byte`.
    terminators: usize,
}

impl LineCounter {
    /// 1-based line of the first non-blank-line byte at or after `byte`.
    fn line_at(&mut self, text: &str, byte: usize) -> Option<usize> {
        let rest = text.get(byte..)?;
        let start = byte + (rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        if start < self.byte {
            // Offsets went back (never expected): count from the start again.
            *self = LineCounter::default();
        }
        let seg = text.get(self.byte..start)?;
        self.terminators += terminators(seg);
        self.byte = start;
        Some(self.terminators + 1)
    }
}

/// Line terminators in `s` (`\r\n`, lone `\r`, lone `\n`), as [`format::lines`] splits.
fn terminators(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

pub(crate) fn parse_manifest_jsonl(text: &str) -> (Vec<Row>, Vec<String>) {
    let mut rows = Vec::new();
    let mut warns = Vec::new();
    for (i, l) in format::lines(text).enumerate() {
        let line = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(l) {
            Ok(serde_json::Value::Object(m)) => {
                let Some(p) = m.get("path").and_then(|v| v.as_str()) else {
                    warns.push(format!("line {line}: no \"path\" field (skipped)"));
                    continue;
                };
                let mut f = Fields::default();
                for (k, v) in &m {
                    if let Some(s) = v.as_str() {
                        f.set(k, s.to_string());
                    }
                }
                rows.push((line, p.to_string(), f));
            }
            Ok(_) => warns.push(format!("line {line}: not a JSON object (skipped)")),
            Err(e) => warns.push(format!("line {line}: malformed JSON: {e} (skipped)")),
        }
    }
    (rows, warns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_cannot_escape() {
        assert_eq!(
            normalize_manifest_path("domestic/a.txt").as_deref(),
            Some("domestic/a.txt")
        );
        assert_eq!(
            normalize_manifest_path("./domestic/../overseas/b.txt").as_deref(),
            Some("overseas/b.txt")
        );
        assert_eq!(normalize_manifest_path("../../etc/passwd"), None);
        assert_eq!(normalize_manifest_path("/etc/passwd"), None);
    }
    #[test]
    fn manifest_requires_columns() {
        let e = parse_manifest_csv("manifest.csv", "file,label\na.txt,x\n").unwrap_err();
        assert!(e.to_string().contains("line 1"));
        let rows =
            parse_manifest_csv("m.csv", "path,group,source\na.txt,domestic,\"X, Y\"\n").unwrap();
        assert_eq!(rows[0].2.source.as_deref(), Some("X, Y"));
        assert_eq!(rows[0].0, 2);
    }
    #[test]
    fn manifest_line_numbers_follow_records() {
        let (rows, _) = parse_manifest_text(
            "manifest.csv",
            "path,group,title\n\na.txt,domestic,\"two\nlines\"\nb.txt,overseas,x\n../x,domestic,\n",
        )
        .unwrap();
        let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [3, 5, 6]);
        assert_eq!(rows[2].2, None);
    }

    #[test]
    fn many_rows_are_linear() {
        let mut text = String::from("path,group,title\r\n");
        for i in 0..100_000 {
            text.push_str(&format!("d/{i}.txt,domestic,\"t\r\n{i}\"\r\n"));
            if i % 1000 == 0 {
                text.push_str("\n\r\n");
            }
        }
        let t = std::time::Instant::now();
        let rows = parse_manifest_csv("manifest.csv", &text).unwrap();
        assert!(
            t.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(rows.len(), 100_000);
        // Each row spans two lines; a blank pair every 1000 rows.
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[1].0, 6);
        assert_eq!(rows[2].0, 8);
        assert_eq!(rows[99_999].0, 2 + 2 * 99_999 + 2 * 100);
    }
}
