//! A compact, human-readable summary of a report for the terminal.
//!
//! ```no_run
//! # let report: duibi::report::Report = unimplemented!();
//! print!("{}", duibi::render::summary::summary(&report));
//! ```
//!
//! Significance marks use the level the comparison was made with
//! ([`CompareOptions::alpha`](crate::report::CompareOptions::alpha)).

use crate::report::Report;
use std::fmt::Write;

fn ci(est: f64, lo: f64, hi: f64) -> String {
    format!("{est:+.3} [{lo:+.3}, {hi:+.3}]")
}

/// Renders the summary: corpus size, warnings, top distinctive terms each side and
/// language, the concept table, and sentiment with intervals.
pub fn summary(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "duibi {} — {} documents, {} tokens, {} file(s) skipped",
        r.tool.version, r.corpus.documents, r.corpus.tokens, r.corpus.files_skipped
    );
    for g in &r.corpus.groups {
        let langs: Vec<String> = r
            .corpus
            .languages
            .iter()
            .filter(|l| l.group == g.group)
            .map(|l| format!("{} {:.0}%", l.lang, l.token_share * 100.0))
            .collect();
        let _ = writeln!(
            s,
            "  {:<12} {:>5} docs {:>9} tokens  ({})",
            g.group,
            g.documents,
            g.tokens,
            langs.join(", ")
        );
        if g.special.web() > 0 {
            let k = &g.special;
            let kinds = [
                (k.urls, "URLs"),
                (k.emails, "e-mails"),
                (k.handles, "handles"),
                (k.hashtags, "hashtags"),
                (k.hashes, "hashes"),
                (k.numbers, "numbers"),
                (k.dates, "dates"),
            ];
            let kinds: Vec<String> = kinds
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
            let _ = writeln!(s, "  {:<12} special tokens: {}", "", kinds.join(", "));
        }
    }
    for w in &r.checks.warnings {
        let _ = writeln!(s, "  ! {w}");
    }
    let Some(c) = &r.comparison else {
        let _ = writeln!(s, "(one group only: no comparison)");
        return s;
    };
    let alpha = c.options.alpha;
    let _ = writeln!(
        s,
        "\nDistinctive terms ({} vs {}; Log Ratio = log2 of the rate ratio, then count in {} : {}; \
         documents as units, BH-adjusted p < {alpha})",
        c.group_a, c.group_b, c.group_a, c.group_b
    );
    for (l, tested) in &c.terms_tested {
        let sig = c.terms_significant.get(l).copied().unwrap_or(0);
        let _ = writeln!(s, "  [{l}] {sig} of {tested} terms tested differ");
    }
    let langs: std::collections::BTreeSet<_> = c.keyness.iter().map(|k| k.lang).collect();
    for l in langs {
        for side in [&c.group_a, &c.group_b] {
            let terms: Vec<String> = c
                .keyness
                .iter()
                .filter(|k| k.lang == l && &k.favours == side && k.rank <= 12)
                .map(|k| {
                    format!(
                        "{} ({:+.1}, {}:{})",
                        k.term, k.log_ratio, k.count_a, k.count_b
                    )
                })
                .collect();
            if !terms.is_empty() {
                let _ = writeln!(s, "  [{l}] {side}: {}", terms.join(", "));
            }
        }
    }
    let _ = writeln!(
        s,
        "\nConcepts (mentions per 10k tokens, {a} | {b}, then mentions {a}:{b}; sentiment of sentences mentioning it, {a} | {b})",
        a = c.group_a,
        b = c.group_b
    );
    let sent = |concept: &str, g: &str| {
        r.concepts
            .iter()
            .find(|x| x.concept == concept && x.group == g)
            .and_then(|x| x.sentiment)
            .map(|v| format!("{v:+.2}"))
            .unwrap_or_else(|| "  —  ".into())
    };
    for x in c.concepts.iter().take(20) {
        let mark = if x.rate_differs(alpha) { "*" } else { " " };
        let _ = writeln!(
            s,
            "  {:<22} {:>8.1} | {:<8.1}{mark} LR {:+.2} {:>11}   {} | {}",
            format!("{} {}", x.concept, x.label_zh),
            x.per_10k_a,
            x.per_10k_b,
            x.log_ratio,
            format!("({}:{})", x.mentions_a, x.mentions_b),
            sent(&x.concept, &c.group_a),
            sent(&x.concept, &c.group_b),
        );
    }
    let _ = writeln!(
        s,
        "  (* rate differs: BH-adjusted p < {alpha} over {}s and interval of the difference excludes 0)",
        c.resampling_unit.as_str()
    );
    let _ = writeln!(
        s,
        "\nSentiment (−1..1, 95% bootstrap intervals over {}s)",
        c.resampling_unit
    );
    for g in &r.sentiment {
        let _ = writeln!(
            s,
            "  {:<12} sentences {}   documents {}   coverage {:.0}% of tokens",
            g.group,
            ci(g.sentence_mean, g.sentence_mean_lo, g.sentence_mean_hi),
            ci(g.doc_mean, g.doc_mean_lo, g.doc_mean_hi),
            g.token_coverage * 100.0
        );
    }
    for d in &c.sentiment {
        let _ = writeln!(
            s,
            "  {} − {} ({}): {}  permutation p = {:.4}",
            c.group_a,
            c.group_b,
            d.measure,
            ci(d.diff, d.diff_lo, d.diff_hi),
            d.p_permutation
        );
    }
    s
}
