//! Compare two in-memory groups of texts with the duibi library.
//!
//! ```sh
//! cargo run --release --example two_groups            # prints the summary
//! cargo run --release --example two_groups -- --json  # prints the whole JSON report
//! ```
//!
//! The strings become [`Document`]s (id, group, text) and go to [`Pipeline::analyze`]
//! as a [`Source::documents`]: nothing is written to the file system. A corpus
//! directory would be `Source::dir(path, CorpusOptions::default())`, JSON lines
//! `Source::json_lines(reader, name)` (the `duibi analyze --stdin-jsonl` path).

use duibi::corpus::{Document, Source};
use duibi::run::Pipeline;

/// Mainland commentary (Chinese, plus one English piece).
const DOMESTIC: &[&str] = &[
    "监管部门再次强调打击虚拟货币挖矿，多地矿场陆续断电清退。业内人士认为，清退有利于节能减排，但部分矿工损失惨重。",
    "四川雅安的水电矿场被要求停止运营。挖矿耗电巨大，与碳中和目标相悖，整顿势在必行。",
    "有评论指出，打击挖矿让中国失去了在算力领域的领先地位，这是一个令人遗憾的决定。",
    "金融委定调打击比特币挖矿和交易行为，市场恐慌情绪蔓延，比特币价格大幅下跌。",
    "Regulators reiterated that virtual currency mining must be cleared out; the crackdown protects financial stability.",
];

/// Overseas commentary (English, plus one Traditional Chinese piece).
const OVERSEAS: &[&str] = &[
    "Texas welcomed bitcoin miners fleeing China's crackdown, and the state's cheap power is a great opportunity.",
    "The great mining migration is good news for decentralization: hash rate is spreading to North America.",
    "Miners shipped their rigs to Kazakhstan and Texas; analysts say the network recovered quickly and grew stronger.",
    "China's ban hurt some miners badly, but investors applauded as the hash rate rebounded within months.",
    "內地打擊挖礦，不少礦工把礦機運到海外，業界認為這對比特幣網絡反而是好事。",
];

fn main() -> anyhow::Result<()> {
    let json = std::env::args().any(|a| a == "--json");

    let mut docs = Vec::new();
    for (group, texts) in [("domestic", DOMESTIC), ("overseas", OVERSEAS)] {
        for (i, text) in texts.iter().enumerate() {
            docs.push(Document::in_memory(
                format!("{group}/{:02}", i + 1),
                group,
                *text,
            ));
        }
    }

    // Defaults: jieba without HMM, shipped lexicons and glossary, 2000 bootstrap
    // replicates; the pair compared is domestic vs overseas (named here explicitly).
    let pipeline = Pipeline::builder()
        .compare_groups("domestic", "overseas")
        .build()?;
    // The report's document records stay in a temporary file until it is written;
    // `into_report` reads them back into memory.
    let report = pipeline.analyze(Source::documents(docs))?.into_report()?;

    if json {
        use std::io::Write;
        std::io::stdout().write_all(&report.to_json())?;
    } else {
        print!("{}", duibi::summary::summary(&report));
        // One document analysed on its own, without a corpus:
        let doc = pipeline.analyze_text(OVERSEAS[0]);
        println!(
            "\nOne text on its own: {} tokens, main language {:?}, sentiment {:+.3}",
            doc.tokens, doc.lang, doc.sentiment
        );
    }
    Ok(())
}
