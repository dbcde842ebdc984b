//! `duibi eval sentiment`: score a labelled file with the model `analyze` would use.

use super::build;
use super::exit::{self, Outcome};
use super::flags::EvalSentimentArgs;
use super::term;
use duibi::sentiment::eval;

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
