//! The text commands: `tokenize`, `detect` and `score`, one JSON line per input line.
//! Offsets (`start`, `end`) are in characters (Unicode scalar values) of the
//! normalized `text`, as evidence offsets are.

use super::build;
use super::exit::{self, Outcome};
use super::flags::{DetectArgs, ScoreArgs, TokenizeArgs};
use anyhow::Context;
use duibi::lang::{self, Lang};
use std::io::{BufRead, Write};

/// Input lines: the texts given, else the lines of standard input.
pub fn inputs(texts: Vec<String>) -> Box<dyn Iterator<Item = std::io::Result<String>>> {
    if texts.is_empty() {
        // Lossy: invalid UTF-8 becomes U+FFFD instead of stopping the stream.
        Box::new(std::io::stdin().lock().split(b'\n').map(|l| {
            l.map(|mut b| {
                if b.last() == Some(&b'\r') {
                    b.pop();
                }
                String::from_utf8_lossy(&b).into_owned()
            })
        }))
    } else {
        Box::new(texts.into_iter().map(Ok))
    }
}

/// `duibi tokenize`: the tokenizer `analyze` uses with the same flags.
pub fn tokenize(t: TokenizeArgs) -> Outcome {
    let res = build::resources(&t.seg, &t.glossary, None)?;
    let tok = res.tokenizer();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in inputs(t.texts) {
        let line = line.context("reading standard input")?;
        let (text, buf) = tok.tokenize(&line);
        // Offsets in characters of `text`, as in every offset duibi prints.
        let mut chars = duibi::text::offsets::CharCounter::new(&text);
        let tokens: Vec<serde_json::Value> = buf
            .iter()
            .map(|(t, term)| {
                let surface = text.get(t.start as usize..t.end as usize).unwrap_or("");
                let start = chars.at(t.start as usize);
                let mut v = serde_json::json!({
                    "term": term,
                    "surface": surface,
                    "lang": t.lang,
                    "start": start,
                    "end": start + surface.chars().count(),
                    "stop": t.stop,
                });
                if t.kind.is_special() {
                    v["kind"] = serde_json::json!(t.kind);
                }
                v
            })
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "text": text, "tokens": tokens }),
        )
        .context("writing output")?;
        out.write_all(b"\n").context("writing output")?;
    }
    out.flush().context("writing output")?;
    std::mem::forget(res);
    Ok(())
}

/// `duibi detect`.
pub fn detect(t: DetectArgs) -> Outcome {
    let det = build::detector(&t.seg);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in inputs(t.texts) {
        let line = line.context("reading standard input")?;
        let text = lang::normalize(&line);
        let runs = det.runs(&text);
        let main = det.detect(&text);
        let script = runs
            .iter()
            .any(|r| r.lang == Lang::Zh)
            .then(|| lang::HanVariantCounts::of(&text).script().tag());
        let mut chars = duibi::text::offsets::CharCounter::new(&text);
        let segs: Vec<serde_json::Value> = runs
            .iter()
            .map(|r| {
                let seg = text.get(r.start..r.end).unwrap_or("");
                let start = chars.at(r.start);
                serde_json::json!({
                    "text": seg,
                    "lang": r.lang,
                    "script": r.script,
                    "start": start,
                    "end": start + seg.chars().count(),
                })
            })
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "text": text, "lang": main, "zh_script": script, "segments": segs }),
        )
        .context("writing output")?;
        out.write_all(b"\n").context("writing output")?;
    }
    out.flush().context("writing output")?;
    Ok(())
}

/// `duibi score`: the tokenizer and sentiment model `analyze` uses with the same flags.
pub fn score(a: ScoreArgs) -> Outcome {
    let res = build::resources(&a.seg, &a.glossary, Some(&a.lex))?;
    let lines: Box<dyn Iterator<Item = std::io::Result<String>>> = match &a.input {
        Some(p) => {
            let f = std::fs::File::open(p)
                .map_err(|e| exit::usage(format!("{}: cannot open: {e}", p.display())))?;
            Box::new(std::io::BufReader::new(f).lines())
        }
        None => inputs(a.texts),
    };
    let (tok, model) = (res.tokenizer(), res.sentiment());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in lines {
        let line = line.context("reading input")?;
        let ex = model.explain_text(tok, &line);
        serde_json::to_writer(&mut out, &ex).context("writing output")?;
        out.write_all(b"\n").context("writing output")?;
    }
    out.flush().context("writing output")?;
    std::mem::forget(res);
    Ok(())
}
