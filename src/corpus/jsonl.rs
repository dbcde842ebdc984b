//! JSON lines given as a stream (`duibi analyze --stdin-jsonl`): one record a line, each
//! with its own group.
//!
//! ```
//! use duibi::corpus::jsonl::document;
//! let loaded = document("-", 3, r#"{"group":"g","text":"hi","date":"soon"}"#).unwrap();
//! assert_eq!(loaded.docs[0].meta.id, "-#L3");
//! assert_eq!(loaded.warnings[0].message, "line 3: unparsable date \"soon\" (kept as text)");
//! ```

use super::source::Origin;
use super::{Document, Format, Loaded, Warning};

/// One JSON Lines record of input `name` (line `line_no`) as a document, with the
/// warnings it raises (an unparsable date, as in a corpus directory's `.jsonl` file).
///
/// `Err` carries the one-line reason the line is skipped.
pub fn document(name: &str, line_no: usize, line: &str) -> Result<Loaded, String> {
    let (text, id, fields) = match super::format::parse_jsonl_line(line) {
        Ok(Some(x)) => x,
        Ok(None) => return Err(format!("line {line_no}: no \"text\" field")),
        Err(e) => return Err(format!("line {line_no}: malformed JSON: {e}")),
    };
    let Some(group) = fields.group.clone() else {
        return Err(format!("line {line_no}: no \"group\" field"));
    };
    let origin = Origin {
        id: id.unwrap_or_else(|| format!("{name}#L{line_no}")),
        path: name.to_string(),
        encoding: "UTF-8".into(),
        format: Format::Jsonl,
        bytes: line.len() as u64,
        replaced_chars: 0,
    };
    let doc = Document::new(origin, group, "record", fields, text);
    let warnings = doc
        .date_warning()
        .map(|w| Warning {
            path: name.to_string(),
            message: format!("line {line_no}: {w}"),
        })
        .into_iter()
        .collect();
    Ok(Loaded {
        docs: vec![doc],
        warnings,
    })
}
