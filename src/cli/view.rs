//! Commands on a saved report: `summarize`, `render`, and `schema`.

use super::exit::{self, Fail, Outcome};
use super::flags::{RenderArgs, SummarizeArgs};
use anyhow::Context;
use duibi::report::{Output, Report};
use std::path::Path;

fn load_report(p: &Path) -> Result<Report, Fail> {
    let bytes =
        std::fs::read(p).map_err(|e| exit::usage(format!("{}: cannot read: {e}", p.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| exit::usage(format!("{}: not a duibi report: {e}", p.display())))
}

/// `duibi summarize`.
pub fn summarize(a: SummarizeArgs) -> Outcome {
    let report = load_report(&a.report)?;
    print!("{}", duibi::summary::summary(&report));
    Ok(())
}

/// `duibi render`.
pub fn render(a: RenderArgs) -> Outcome {
    let out = Output::open(&a.html)
        .map_err(|e| exit::usage(format!("{}: cannot write output: {e}", a.html.display())))?;
    let report = load_report(&a.report)?;
    out.commit(duibi::html::render(&report).as_bytes())
        .with_context(|| format!("{}: cannot write HTML report", a.html.display()))?;
    Ok(())
}

/// `duibi schema`.
pub fn schema() -> Outcome {
    print!("{}", duibi::report::json_schema());
    Ok(())
}
