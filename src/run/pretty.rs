//! Compact JSON re-indented as `serde_json`'s pretty printer writes the same value,
//! without parsing it into records and formatting them again: the document records of
//! a report are kept compact in the run's temporary files and written pretty.
//!
//! `serde_json`'s pretty printer (two spaces an indent) puts each object member and
//! array element on its own line, writes `": "` between a key and its value and writes
//! empty objects and arrays as `{}` and `[]`; numbers, strings and literals are written
//! as in compact JSON. So re-indenting compact JSON gives its bytes exactly.

/// `compact` (JSON as `serde_json::to_writer` writes it: no white space outside
/// strings) re-indented as `serde_json::to_writer_pretty` writes the same value when it
/// sits `depth` levels deep, appended to `out`. `None` when the brackets do not balance
/// or a string is not closed (`out` then holds a part).
pub(super) fn reindent(compact: &[u8], depth: usize, out: &mut Vec<u8>) -> Option<()> {
    fn newline(out: &mut Vec<u8>, level: usize) {
        out.push(b'\n');
        out.resize(out.len() + 2 * level, b' ');
    }
    out.reserve(compact.len() + compact.len() / 4);
    let mut level = depth;
    let mut i = 0;
    while let Some(&b) = compact.get(i) {
        i += 1;
        match b {
            b'"' => {
                // The string, copied whole up to its closing quote.
                let start = i - 1;
                i = string_end(compact, i)?;
                out.extend_from_slice(compact.get(start..i)?);
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                out.push(b);
                if compact.get(i) == Some(&close) {
                    out.push(close);
                    i += 1;
                } else {
                    level += 1;
                    newline(out, level);
                }
            }
            b'}' | b']' => {
                level = level.checked_sub(1).filter(|&l| l >= depth)?;
                newline(out, level);
                out.push(b);
            }
            b',' => {
                out.push(b',');
                newline(out, level);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(b),
        }
    }
    (level == depth).then_some(())
}

/// The index just past the closing quote of the JSON string whose contents start at
/// `from` in `json` (after its opening quote); `None` when it is not closed. A quote
/// after a backslash is escaped; a backslash after a backslash is not an escape.
pub(super) fn string_end(json: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        match json.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `serde_json`'s pretty bytes of `v` at `depth` levels deep: the value pretty
    /// printed inside `depth` arrays, cut out of them.
    fn pretty_at(v: &serde_json::Value, depth: usize) -> Vec<u8> {
        let mut wrapped = v.clone();
        for _ in 0..depth {
            wrapped = json!([wrapped]);
        }
        let s = serde_json::to_string_pretty(&wrapped).unwrap();
        let lead = (0..depth).map(|d| 4 + 2 * d).sum::<usize>();
        let tail = (0..depth).map(|d| 2 + 2 * d).sum::<usize>();
        s.as_bytes()[lead..s.len() - tail].to_vec()
    }

    #[test]
    fn reindented_compact_json_is_serde_jsons_pretty_json() {
        let values = [
            json!({}),
            json!([]),
            json!(null),
            json!("a \"quoted\" {[,:]} \\ string\\"),
            json!({"a": [1, {}, [], -0.0, 1.5e300, "x,y:z"], "b": {"c": {"d": []}}, "e": true}),
            json!([[[]], [{}], {"k": [null, false]}, "\u{1}\n\t中文 \\\""]),
            json!({"id": "d0001", "lang_shares": {"en": 0.25, "zh": 0.75}, "x": 1e-7}),
        ];
        for v in &values {
            let compact = serde_json::to_vec(v).unwrap();
            for depth in [0, 1, 2, 5] {
                let mut out = b"keep".to_vec();
                assert_eq!(reindent(&compact, depth, &mut out), Some(()), "{v}");
                assert_eq!(&out[..4], b"keep");
                assert_eq!(
                    String::from_utf8_lossy(&out[4..]),
                    String::from_utf8_lossy(&pretty_at(v, depth)),
                    "{v} at {depth}"
                );
            }
        }
    }

    #[test]
    fn unbalanced_or_unclosed_input_is_refused() {
        for bad in [
            &b"{"[..],
            b"[1,2",
            b"]",
            b"{}}",
            b"\"abc",
            b"[\"a\\\"]",
            b"\"\\",
        ] {
            assert_eq!(reindent(bad, 2, &mut Vec::new()), None, "{bad:?}");
        }
    }
}
