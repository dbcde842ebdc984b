//! What was set aside before counting: repeated passages (boilerplate such as footers
//! and bylines), the tokens they held per group, and near-duplicate documents (reprints),
//! each with the counts behind it, so a reader sees what the figures leave out.

use super::format::*;
use super::{Ctx, MAX_LIST_ROWS};
use maud::{html, Markup};

/// Characters of a set-aside passage shown (the report keeps up to 300).
const PASSAGE_CHARS: usize = 120;

/// The section; nothing when the run set nothing aside.
pub(super) fn set_aside(ctx: &Ctx) -> Markup {
    let a = &ctx.r.set_aside;
    let s = &ctx.r.settings.set_aside;
    if a.passages.is_empty() && a.duplicates.is_empty() {
        return html! {};
    }
    html! {
        section #set-aside {
            h2 { "Set aside before counting" }
            p.muted {
                "Lines repeated in at least " (s.passage_min_documents) " documents and in at least "
                (pct(s.passage_min_share)) " of one source's (or group's) documents are footers, bylines "
                "or navigation, not commentary; documents at least " (num(s.duplicate_similarity, 2))
                " similar to an earlier one are copies. Neither is counted in terms, concepts or sentiment."
            }
            @if !a.tokens.is_empty() {
                table {
                    thead { tr { th { "Group" } th.n { "Documents with a passage set aside" } th.n { "Tokens set aside" } } }
                    tbody {
                        @for t in &a.tokens {
                            tr { td { (ctx.chip(&t.group)) } td.n { (int(t.documents)) } td.n { (int(t.tokens)) } }
                        }
                    }
                }
            }
            @if !a.passages.is_empty() {
                h3 { "Repeated passages (" (int(a.passages.len() as u64)) ")" }
                table {
                    thead { tr { th { "Passage" } th.n { "Documents" } th { "Per group" } } }
                    tbody {
                        @for p in a.passages.iter().take(MAX_LIST_ROWS) {
                            tr {
                                td { (cut(&p.text)) }
                                td.n { (int(p.documents)) }
                                td {
                                    @for (i, (g, n)) in p.documents_by_group.iter().enumerate() {
                                        @if i > 0 { " " }
                                        (ctx.chip(g)) " " (int(*n))
                                    }
                                }
                            }
                        }
                    }
                }
                @if a.passages.len() > MAX_LIST_ROWS {
                    p.muted { "… and " (int((a.passages.len() - MAX_LIST_ROWS) as u64)) " more in the JSON report (set_aside.passages)." }
                }
            }
            @if !a.duplicates.is_empty() {
                h3 { "Near-duplicate documents (" (int(a.duplicates.len() as u64)) ")" }
                table {
                    thead { tr { th { "Document set aside" } th { "Group" } th { "Copy of" } th.n { "Similarity" } } }
                    tbody {
                        @for d in a.duplicates.iter().take(MAX_LIST_ROWS) {
                            tr {
                                td { code { (clip(&d.doc_id)) } }
                                td { (ctx.chip(&d.group)) }
                                td { code { (clip(&d.duplicate_of)) } }
                                td.n { (num(d.similarity, 2)) }
                            }
                        }
                    }
                }
                @if a.duplicates.len() > MAX_LIST_ROWS {
                    p.muted { "… and " (int((a.duplicates.len() - MAX_LIST_ROWS) as u64)) " more in the JSON report (set_aside.duplicates)." }
                }
            }
        }
    }
}

/// A passage cut to [`PASSAGE_CHARS`] characters, ended with `…` when cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(PASSAGE_CHARS) {
        None => text.to_string(),
        Some((i, _)) => format!("{}…", &text[..i]),
    }
}
