//! `duibi eval sentiment` and `duibi eval crosslingual`: score labelled or parallel
//! text with the model `analyze` would use.

use super::build;
use super::exit::{self, Outcome};
use super::flags::{EvalCrosslingualArgs, EvalSentimentArgs};
use super::term;
use duibi::sentiment::{crosslingual, eval};

/// `duibi eval sentiment`: the metrics, then with `--items` each item's score.
pub fn sentiment(a: EvalSentimentArgs) -> Outcome {
    let res = build::resources(&a.seg, &a.glossary, Some(&a.lex))?;
    let items = eval::read_items(&a.data, a.format).map_err(exit::unusable)?;
    let preds = std::cell::RefCell::new(Vec::with_capacity(items.len()));
    let m = eval::evaluate_with(res.sentiment(), res.tokenizer(), &items, a.format, |d| {
        preds.borrow_mut().push(d.score);
        d.score
    });
    println!("file\t{}", term::line(&a.data.display().to_string()));
    println!("items\t{}", m.n);
    println!("binary_items\t{}", m.n_binary);
    if let Some(r) = m.pearson {
        println!("pearson_r\t{r:.3}");
    }
    println!("accuracy\t{:.3}", m.accuracy);
    println!("macro_f1\t{:.3}", m.macro_f1);
    println!("coverage\t{:.3}", m.coverage);
    if a.items {
        for (i, (it, p)) in items.iter().zip(preds.into_inner()).enumerate() {
            println!("item\t{}\t{}\t{p}", i + 1, it.gold);
        }
    }
    Ok(())
}

/// `duibi eval crosslingual`: the consistency figures, then with `--items` each pair's
/// two scores.
pub fn crosslingual(a: EvalCrosslingualArgs) -> Outcome {
    let res = build::resources(&a.seg, &a.glossary, Some(&a.lex))?;
    let pairs = crosslingual::read_pairs(&a.data).map_err(exit::unusable)?;
    let r = crosslingual::evaluate(res.sentiment(), res.tokenizer(), &pairs);
    let m = &r.metrics;
    println!("file\t{}", term::line(&a.data.display().to_string()));
    println!("pairs\t{}", m.pairs);
    println!("same_polarity\t{:.3}", m.same_polarity);
    println!("pearson_r\t{:.3}", m.pearson_r);
    println!("bias\t{:.3}", m.bias);
    println!("opposite\t{:.3}", m.opposite);
    println!("mean_zh\t{:.3}", m.mean_zh);
    println!("mean_en\t{:.3}", m.mean_en);
    if let (Some(z), Some(e)) = (m.accuracy_zh, m.accuracy_en) {
        println!("labelled\t{}", m.labelled);
        println!("accuracy_zh\t{z:.3}");
        println!("accuracy_en\t{e:.3}");
    }
    if a.items {
        for (i, (z, e)) in r.scores.iter().enumerate() {
            println!("pair\t{}\t{z}\t{e}", i + 1);
        }
    }
    Ok(())
}
