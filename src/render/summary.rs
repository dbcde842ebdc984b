//! A compact, human-readable summary of a report for the terminal.
//!
//! ```no_run
//! # let report: duibi::report::Report = unimplemented!();
//! print!("{}", duibi::render::summary::summary(&report));
//! ```
//!
//! Significance marks use the level the comparison was made with
//! ([`CompareOptions::alpha`](crate::report::CompareOptions::alpha)), and a difference
//! is called out only by the rule of [`crate::report::Verdict`].

use crate::report::{interval_informative, percent, Report, SentimentDiffRecord};
use std::fmt::Write;

/// An estimate with its interval over `units` units, or "n/a" beside the estimate
/// when the units are too few for the interval to mean anything.
/// What the report holds as `null` (a mean over nothing, an interval it could not
/// compute) prints as `–`.
fn ci(est: f64, lo: f64, hi: f64, units: u64) -> String {
    let f = |x: f64| {
        if x.is_finite() {
            format!("{x:+.3}")
        } else {
            "–".to_string()
        }
    };
    if !est.is_finite() {
        "–".to_string()
    } else if interval_informative(units) {
        format!("{} [{}, {}]", f(est), f(lo), f(hi))
    } else {
        format!(
            "{} [n/a: {units} unit{}]",
            f(est),
            if units == 1 { "" } else { "s" }
        )
    }
}

/// A group's sentence and document means (estimate, lower, upper) with intervals over
/// `units` resampling units of kind `unit`, and its lexicon coverage of tokens.
fn means(
    sentence: (f64, f64, f64),
    doc: (f64, f64, f64),
    token_coverage: f64,
    units: u64,
    unit: &str,
) -> String {
    format!(
        "sentences {}   documents {}   coverage {} of tokens   ({})",
        ci(sentence.0, sentence.1, sentence.2, units),
        ci(doc.0, doc.1, doc.2, units),
        percent(token_coverage),
        count(units, unit),
    )
}

/// `n` of `noun`, plural unless `n` is 1: "1 document", "12 sources".
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One sentiment difference: the interval and the p over the same units, the units
/// and support of each side, and whether it is called out.
fn diff_line(d: &SentimentDiffRecord, r: &Report, alpha: f64) -> String {
    let unit = |g: Option<&String>| {
        g.and_then(|g| r.resampling_unit_of(g, d.lang))
            .or(d.resampling_unit)
            .map_or("unit", |u| u.as_str())
    };
    let c = r.comparison.as_ref();
    let (unit_a, unit_b) = (unit(c.map(|c| &c.group_a)), unit(c.map(|c| &c.group_b)));
    let p_adj = d
        .p_adj
        .map(|p| format!(" (adjusted {p:.4})"))
        .unwrap_or_default();
    let what = match d.measure {
        crate::report::SentimentMeasure::SentenceMean => "sentences",
        crate::report::SentimentMeasure::DocMean => "documents",
    };
    let v = r.sentiment_verdict(d, alpha);
    // Units and support are 0 in reports before 2.1.0, which did not record them.
    let counts = if d.units_a.max(d.units_b) > 0 {
        format!(
            "; {} : {}, {}:{} {what}",
            count(d.units_a, unit_a),
            count(d.units_b, unit_b),
            d.support_a,
            d.support_b
        )
    } else {
        String::new()
    };
    format!(
        "{}  permutation p = {:.4}{p_adj}{counts}: {}",
        ci(d.diff, d.diff_lo, d.diff_hi, d.units_a.min(d.units_b)),
        d.p_permutation,
        if v.is_clear() {
            "called out".to_string()
        } else {
            format!("not called out ({v})")
        }
    )
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
            .filter(|l| l.tokens > 0)
            .map(|l| format!("{} {}", l.lang, percent(l.token_share)))
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
    set_aside(&mut s, r);
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
    // A language with no term to test (text of an undetermined language) says nothing.
    for (l, tested) in c.terms_tested.iter().filter(|(_, n)| **n > 0) {
        let sig = c.terms_significant.get(l).copied().unwrap_or(0);
        let _ = writeln!(s, "  [{l}] {sig} of {tested} terms tested differ");
    }
    let langs: std::collections::BTreeSet<_> = c.keyness.iter().map(|k| k.lang).collect();
    for l in langs {
        for side in [&c.group_a, &c.group_b] {
            let terms: Vec<String> = c
                .keyness
                .iter()
                .filter(|k| k.lang == l && &k.favours == side && k.differs(alpha))
                .take(12)
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
    let held = c.keyness.iter().filter(|k| !k.differs(alpha)).count();
    if held > 0 {
        let _ = writeln!(
            s,
            "  ({held} listed term(s) not called out: in fewer than {} documents of the group they favour)",
            crate::config::MIN_TERM_DOCS
        );
    }
    let _ = writeln!(
        s,
        "\nConcepts (mentions per 10k tokens, {a} | {b}, then mentions {a}:{b}; sentiment of sentences mentioning it, {a} | {b}, then sentences {a}:{b})",
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
    // `*` called out; `?` significant before the support rule but not called out.
    let mark = |clear: bool, significant: bool| match (clear, significant) {
        (true, _) => "*",
        (false, true) => "?",
        _ => " ",
    };
    for x in c.concepts.iter().take(20) {
        let rate = mark(x.rate_differs(alpha), x.p_adj < alpha);
        let tone = mark(
            r.tone_verdict(x, alpha).is_clear(),
            x.sentiment_p_adj.is_some_and(|p| p < alpha),
        );
        let line = format!(
            "  {:<22} {:>8.1} | {:<8.1}{rate} LR {:+.2} {:>11}   {} | {} {:>9}{tone}",
            format!("{} {}", x.concept, x.label_zh),
            x.per_10k_a,
            x.per_10k_b,
            x.log_ratio,
            format!("({}:{})", x.mentions_a, x.mentions_b),
            sent(&x.concept, &c.group_a),
            sent(&x.concept, &c.group_b),
            format!("({}:{})", x.sentences_a, x.sentences_b),
        );
        let _ = writeln!(s, "{}", line.trim_end());
    }
    let _ = writeln!(
        s,
        "  (* called out: BH-adjusted p < {alpha} over {}s, interval of the difference excludes 0, each group {} units or more, \
         a rate mentioned in {} units or more, a tone on {} sentences from {} units a side{}; ? significant but short of that support)",
        c.resampling_unit.as_str(),
        crate::config::MIN_RESAMPLING_UNITS,
        crate::config::MIN_RATE_UNITS,
        crate::config::MIN_TONE_SENTENCES,
        crate::config::MIN_TONE_UNITS,
        if r.pair_language_mix() > crate::config::LANGUAGE_MIX_GAP {
            " (no tone: the groups' language mixes differ)"
        } else {
            ""
        },
    );
    let _ = writeln!(
        s,
        "\nSentiment (−1..1, 95% bootstrap intervals; the comparison resamples {}s)",
        c.resampling_unit
    );
    for g in &r.sentiment {
        let unit = g.resampling_unit.map_or("unit", |u| u.as_str());
        let means = means(
            (g.sentence_mean, g.sentence_mean_lo, g.sentence_mean_hi),
            (g.doc_mean, g.doc_mean_lo, g.doc_mean_hi),
            g.token_coverage,
            g.units,
            unit,
        );
        let _ = writeln!(s, "  {:<12} {means}", g.group);
    }
    for d in &c.sentiment {
        let _ = writeln!(
            s,
            "  {} − {} ({}): {}",
            c.group_a,
            c.group_b,
            d.measure,
            diff_line(d, r, alpha)
        );
    }
    by_language(&mut s, r, alpha);
    s
}

/// Sentiment per group × main language and the per-language differences of the pair.
/// What was set aside before counting: repeated passages (tokens per group, the most
/// widespread quoted) and near-duplicate documents. Nothing when nothing was.
fn set_aside(s: &mut String, r: &Report) {
    let a = &r.set_aside;
    if !a.passages.is_empty() {
        let per_group: Vec<String> = a
            .tokens
            .iter()
            .map(|t| format!("{} {} tokens in {} docs", t.group, t.tokens, t.documents))
            .collect();
        let _ = writeln!(
            s,
            "  set aside: {} repeated passage(s) ({}), e.g.",
            a.passages.len(),
            per_group.join("; ")
        );
        for p in a.passages.iter().take(3) {
            let mut text: String = p.text.chars().take(60).collect();
            if p.text.chars().nth(60).is_some() {
                text.push('…');
            }
            let _ = writeln!(s, "    \"{text}\" in {} docs", p.documents);
        }
    }
    if !a.duplicates.is_empty() {
        let _ = writeln!(
            s,
            "  set aside: {} near-duplicate document(s) (reprints; listed under set_aside.duplicates)",
            a.duplicates.len()
        );
    }
}

fn by_language(s: &mut String, r: &Report, alpha: f64) {
    let Some(c) = &r.comparison else { return };
    if r.sentiment_by_lang.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\nSentiment by language (each document counted in its main language: like with like)"
    );
    for g in &r.sentiment_by_lang {
        let means = means(
            (g.sentence_mean, g.sentence_mean_lo, g.sentence_mean_hi),
            (g.doc_mean, g.doc_mean_lo, g.doc_mean_hi),
            g.token_coverage,
            g.units,
            g.resampling_unit.as_str(),
        );
        let _ = writeln!(
            s,
            "  [{}] {:<12} {:>4} docs  {means}",
            g.lang, g.group, g.documents
        );
    }
    if c.sentiment_by_lang.is_empty() {
        let _ = writeln!(
            s,
            "  no language in which both {} and {} have documents: no per-language comparison",
            c.group_a, c.group_b
        );
    }
    for d in &c.sentiment_by_lang {
        let _ = writeln!(
            s,
            "  [{}] {} − {} ({}): {}",
            d.lang.map_or_else(|| "all".to_string(), |l| l.to_string()),
            c.group_a,
            c.group_b,
            d.measure,
            diff_line(d, r, alpha)
        );
    }
}
