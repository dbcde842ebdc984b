//! `duibi eval sentiment` and `duibi eval crosslingual`: score labelled or parallel
//! text with the model `analyze` would use.

use super::build;
use super::exit::{self, Outcome};
use super::flags::{EvalCrosslingualArgs, EvalSentimentArgs};
use super::term;
use anyhow::Context;
use duibi::sentiment::{crosslingual, eval};
use std::io::Write;

/// `duibi eval sentiment`: the metrics, then with `--items` each item's score.
pub fn sentiment(a: EvalSentimentArgs) -> Outcome {
    let res = build::resources(&a.seg, &a.glossary, Some(&a.lex))?;
    let items = eval::read_items(&a.data, a.format).map_err(exit::unusable)?;
    let preds = std::cell::RefCell::new(Vec::with_capacity(items.len()));
    let m = eval::evaluate_with(res.sentiment(), res.tokenizer(), &items, a.format, |d| {
        preds.borrow_mut().push(d.score);
        d.score
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "file\t{}", term::line(&a.data.display().to_string()))
        .context("writing output")?;
    writeln!(out, "items\t{}", m.n).context("writing output")?;
    writeln!(out, "binary_items\t{}", m.n_binary).context("writing output")?;
    if let Some(r) = m.pearson {
        writeln!(out, "pearson_r\t{r:.3}").context("writing output")?;
    }
    writeln!(out, "accuracy\t{:.3}", m.accuracy).context("writing output")?;
    writeln!(out, "macro_f1\t{:.3}", m.macro_f1).context("writing output")?;
    writeln!(out, "coverage\t{:.3}", m.coverage).context("writing output")?;
    if a.items {
        for (i, (it, p)) in items.iter().zip(preds.into_inner()).enumerate() {
            writeln!(out, "item\t{}\t{}\t{p}", i + 1, it.gold).context("writing output")?;
        }
    }
    out.flush().context("writing output")?;
    Ok(())
}

/// `duibi eval crosslingual`: the consistency figures, then with `--items` each pair's
/// two scores.
pub fn crosslingual(a: EvalCrosslingualArgs) -> Outcome {
    let res = build::resources(&a.seg, &a.glossary, Some(&a.lex))?;
    let pairs = crosslingual::read_pairs(&a.data).map_err(exit::unusable)?;
    let r = crosslingual::evaluate(res.sentiment(), res.tokenizer(), &pairs);
    let m = &r.metrics;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "file\t{}", term::line(&a.data.display().to_string()))
        .context("writing output")?;
    writeln!(out, "pairs\t{}", m.pairs).context("writing output")?;
    writeln!(out, "same_polarity\t{:.3}", m.same_polarity).context("writing output")?;
    writeln!(out, "pearson_r\t{:.3}", m.pearson_r).context("writing output")?;
    writeln!(out, "bias\t{:.3}", m.bias).context("writing output")?;
    writeln!(out, "opposite\t{:.3}", m.opposite).context("writing output")?;
    writeln!(out, "mean_zh\t{:.3}", m.mean_zh).context("writing output")?;
    writeln!(out, "mean_en\t{:.3}", m.mean_en).context("writing output")?;
    if let (Some(z), Some(e)) = (m.accuracy_zh, m.accuracy_en) {
        writeln!(out, "labelled\t{}", m.labelled).context("writing output")?;
        writeln!(out, "accuracy_zh\t{z:.3}").context("writing output")?;
        writeln!(out, "accuracy_en\t{e:.3}").context("writing output")?;
    }
    if a.items {
        for (i, (z, e)) in r.scores.iter().enumerate() {
            writeln!(out, "pair\t{}\t{z}\t{e}", i + 1).context("writing output")?;
        }
    }
    out.flush().context("writing output")?;
    Ok(())
}
