//! The document list, skipped files and other problems, and the settings footer.

use super::format::*;
use super::Ctx;
use super::{MAX_DOC_ROWS, MAX_LIST_ROWS};
use crate::report::DocRecord;
use maud::{html, Markup};

pub(super) fn documents(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    let mut docs: Vec<&DocRecord> = r.documents.iter().collect();
    docs.sort_by_key(|d| {
        (
            ctx.groups
                .iter()
                .position(|g| g == &d.meta.group)
                .unwrap_or(usize::MAX),
            d.meta.id.as_str(),
        )
    });
    html! {
        section #documents {
            h2 { "Documents" }
            @if docs.len() > MAX_DOC_ROWS {
                p.muted { "The first " (MAX_DOC_ROWS) " of " (int(docs.len() as u64)) " documents; the JSON report lists all." }
            }
            table.docs {
                thead { tr {
                    th { "Group" } th { "Document" } th { "Source" } th { "Date" } th { "Language" }
                    th.n { "Tokens" } th.n { "Sentiment" }
                } }
                tbody {
                    @for d in docs.iter().take(MAX_DOC_ROWS) {
                        @let f = &d.meta.fields;
                        tr {
                            td { (ctx.chip(&d.meta.group)) }
                            td.wrap {
                                @if let Some(t) = f.title.as_deref().filter(|t| !t.trim().is_empty()) {
                                    @if let Some(href) = f.url.as_deref().and_then(safe_href) {
                                        a href=(href) rel="noopener noreferrer nofollow" { (clip(t)) }
                                    } @else {
                                        (clip(t))
                                    }
                                    br;
                                }
                                span.mono.muted { (d.meta.id) }
                                @if let Some(u) = f.url.as_deref().filter(|u| safe_href(u).is_none() && !u.trim().is_empty()) {
                                    br; span.muted { "URL (not linked): " span.mono { (clip(u)) } }
                                }
                            }
                            td { (clip(f.source.as_deref().unwrap_or(""))) }
                            td.n { (clip(d.meta.date_iso.as_deref().or(f.date.as_deref()).unwrap_or(""))) }
                            td { (d.lang.code()) }
                            td.n { (int(d.tokens)) }
                            td.n class=(if d.sentiment_label == "pos" { "n pos" } else if d.sentiment_label == "neg" { "n neg" } else { "n" }) {
                                (signed(d.sentiment, 2))
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn skipped(ctx: &Ctx) -> Markup {
    let r = ctx.r;
    html! {
        section #skipped {
            h2 { "Skipped files" }
            @if r.skipped.is_empty() {
                p.muted { "No file was skipped." }
            } @else {
                p { (int(r.skipped.len() as u64)) " file(s) were not analysed:" }
                table {
                    thead { tr { th { "File" } th { "Reason" } } }
                    tbody {
                        @for s in r.skipped.iter().take(MAX_LIST_ROWS) {
                            tr { td.mono.wrap { (s.path) } td { (s.reason) } }
                        }
                    }
                }
            }
            @if !r.warnings.is_empty() {
                h3 { "Other problems (" (int(r.warnings.len() as u64)) ")" }
                table {
                    thead { tr { th { "File" } th { "Problem" } } }
                    tbody {
                        @for w in r.warnings.iter().take(MAX_LIST_ROWS) {
                            tr { td.mono.wrap { (w.path) } td { (w.message) } }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn footer(ctx: &Ctx) -> Markup {
    let s = &ctx.r.settings;
    html! {
        footer {
            p { b { "Settings. " }
                "Segmenter: " (ctx.r.checks.segmenter) ". Normalization: " (s.normalization) ". "
                "Traditional Chinese: " (s.traditional_chinese) ". Rates: per 10,000 " (s.rate_denominator) ". "
                "Lexicons: " (s.lexicons.join(", ")) ". Glossaries: " (s.glossaries.join(", ")) " (" (s.concepts) " concepts)."
                @if !s.user_dicts.is_empty() { " User dictionaries: " (s.user_dicts.join(", ")) "." }
            }
            p { "Made by " (ctx.r.tool.name) " " (ctx.r.tool.version) " (report format " (ctx.r.schema_version)
                "). This page is self-contained: it loads nothing and runs no scripts." }
        }
    }
}
