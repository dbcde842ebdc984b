//! Keyword-in-context evidence for distinctive terms and concepts.

use super::concepts::chart_concepts;
use super::format::*;
use super::Ctx;
use super::KWIC_CONTEXT;
use crate::report::{EvidenceKind, EvidenceRecord, KeynessRecord};
use maud::{html, Markup};
use std::collections::{BTreeMap, BTreeSet};

/// The sentence around the match, with the match (character offsets) marked.
pub(super) fn kwic(sentence: &str, start: u64, end: u64) -> Markup {
    let chars: Vec<char> = sentence.chars().collect();
    let n = chars.len();
    let s = (start as usize).min(n);
    let e = (end as usize).clamp(s, n);
    let from = s.saturating_sub(KWIC_CONTEXT);
    let to = (e + KWIC_CONTEXT).min(n);
    let pre: String = chars[from..s].iter().collect();
    let mid: String = chars[s..e].iter().collect();
    let post: String = chars[e..to].iter().collect();
    html! {
        @if from > 0 { "…" }
        (pre) mark { (mid) } (post)
        @if to < n { "…" }
    }
}

/// What evidence is grouped by: kind and key (term or concept id).
pub(super) type EvidenceKey<'a> = (EvidenceKind, &'a str);

pub(super) fn evidence(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    if r.evidence.is_empty() {
        return html! {};
    }
    let mut by_key: BTreeMap<EvidenceKey, Vec<&EvidenceRecord>> = BTreeMap::new();
    for e in &r.evidence {
        by_key.entry((e.kind, e.key.as_str())).or_default().push(e);
    }
    // Terms in keyness order, concepts in chart order, then whatever else.
    let mut order: Vec<EvidenceKey> = Vec::new();
    if let Some(cmp) = &r.comparison {
        // Per language: A's terms, then B's, each most distinctive first.
        let mut ks: Vec<&KeynessRecord> = cmp.keyness.iter().collect();
        ks.sort_by(|a, b| {
            a.lang
                .cmp(&b.lang)
                .then_with(|| (a.log_ratio < 0.0).cmp(&(b.log_ratio < 0.0)))
                .then_with(|| b.log_ratio.abs().total_cmp(&a.log_ratio.abs()))
        });
        for k in ks {
            order.push((EvidenceKind::Term, k.term.as_str()));
        }
    }
    let concept_order = chart_concepts(ctx);
    for k in &concept_order {
        order.push((EvidenceKind::Concept, k.as_str()));
    }
    let mut seen = BTreeSet::new();
    let mut keys: Vec<EvidenceKey> = Vec::new();
    for k in order.into_iter().chain(by_key.keys().copied()) {
        if by_key.contains_key(&k) && seen.insert(k) {
            keys.push(k);
        }
    }
    let (terms, concepts): (Vec<_>, Vec<_>) =
        keys.into_iter().partition(|k| k.0 == EvidenceKind::Term);
    html! {
        section #evidence {
            h2 { "Evidence: keywords in context" }
            p.muted { "Example sentences for each distinctive term and concept, from each group; the match is highlighted and the "
                "number is the sentence's sentiment score." }
            @if !terms.is_empty() {
                h3 { "Distinctive terms" }
                @for k in &terms { (evidence_block(ctx, *k, &by_key[k])) }
            }
            @if !concepts.is_empty() {
                h3 { "Concepts" }
                @for k in &concepts { (evidence_block(ctx, *k, &by_key[k])) }
            }
        }
    }
}

pub(super) fn evidence_block(ctx: &Ctx, key: EvidenceKey, recs: &[&EvidenceRecord]) -> Markup {
    let r = ctx.r;
    let head = if key.0 == EvidenceKind::Concept {
        let c = r.concepts.iter().find(|c| c.concept == key.1);
        html! {
            span.k { b { (c.map(|c| concept_label(&c.label_zh, &c.label_en, key.1)).unwrap_or_else(|| key.1.to_string())) } }
            " " span.muted.mono { (key.1) }
        }
    } else {
        let k = r
            .comparison
            .as_ref()
            .and_then(|cmp| cmp.keyness.iter().find(|k| k.term == key.1));
        html! {
            span.k lang=[k.map(|k| lang_attr(k.lang))] { b { (key.1) } }
            @if let Some(k) = k {
                " " span.muted { (lang_name(k.lang)) " · more in " } (ctx.chip(&k.favours))
                span.muted { " · Log Ratio " (signed(k.log_ratio, 2)) }
            }
        }
    };
    let mut recs: Vec<&&EvidenceRecord> = recs.iter().collect();
    recs.sort_by_key(|e| {
        ctx.groups
            .iter()
            .position(|g| g == &e.group)
            .unwrap_or(usize::MAX)
    });
    html! {
        div.ev {
            h4 { (head) }
            ul.kwic {
                @for e in recs {
                    @let doc = ctx.docs.get(e.doc_id.as_str());
                    @let title = doc.and_then(|d| d.meta.fields.title.as_deref()).filter(|t| !t.trim().is_empty());
                    @let source = doc.and_then(|d| d.meta.fields.source.as_deref()).filter(|t| !t.trim().is_empty());
                    li lang=(lang_attr(e.lang)) {
                        (ctx.chip(&e.group)) " "
                        (kwic(&e.sentence, e.match_start, e.match_end))
                        br;
                        span.meta {
                            @if let Some(t) = title { "“" (clip(t)) "” · " }
                            @if let Some(s) = source { (clip(s)) " · " }
                            span.mono { (e.doc_id) }
                            " · sentiment "
                            span class=(if e.sentence_sentiment > 0.05 { "pos" } else if e.sentence_sentiment < -0.05 { "neg" } else { "" }) {
                                (signed(e.sentence_sentiment, 2))
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_marks_character_offsets() {
        let m = kwic("比特币挖矿 is <b>", 3, 5).into_string();
        assert_eq!(m, "比特币<mark>挖矿</mark> is &lt;b&gt;");
        // Out-of-range offsets are clamped, never panic.
        let m = kwic("abc", 5, 2).into_string();
        assert_eq!(m, "abc<mark></mark>");
    }
}
