//! Commands on a saved report: `summarize`, `render`, and `schema`.

use super::exit::{self, Fail, Outcome};
use super::flags::{RenderArgs, SummarizeArgs};
use super::{output, term};
use anyhow::Context;
use duibi::report::Report;
use std::io::Write;
use std::path::Path;

/// Prints `text` to standard output; a closed pipe is an error (ended quietly by
/// [`exit::report`]), not a panic as with `print!`.
fn print(text: &str) -> Outcome {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing output")?;
    Ok(())
}

fn load_report(p: &Path) -> Result<Report, Fail> {
    let bytes =
        std::fs::read(p).map_err(|e| exit::usage(format!("{}: cannot read: {e}", p.display())))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        // A report of another major schema version reads as a missing or unknown
        // field: say which versions differ instead.
        #[derive(serde::Deserialize)]
        struct Version {
            schema_version: String,
        }
        let major = |v: &str| v.split('.').next().unwrap_or("").to_string();
        match serde_json::from_slice::<Version>(&bytes) {
            Ok(v) if major(&v.schema_version) != major(duibi::report::SCHEMA_VERSION) => {
                exit::usage(format!(
                    "{}: report schema {} cannot be read by this duibi (schema {}): run `duibi analyze` again",
                    p.display(),
                    v.schema_version,
                    duibi::report::SCHEMA_VERSION
                ))
            }
            _ => exit::usage(format!("{}: not a duibi report: {e}", p.display())),
        }
    })
}

/// `duibi summarize`.
pub fn summarize(a: SummarizeArgs) -> Outcome {
    let report = load_report(&a.report)?;
    print(&term::text(&duibi::summary::summary(&report)))
}

/// `duibi render`.
pub fn render(a: RenderArgs) -> Outcome {
    let out = output::open(&a.html)?;
    let report = load_report(&a.report)?;
    out.commit(duibi::html::render(&report).as_bytes())
        .with_context(|| format!("{}: cannot write HTML report", a.html.display()))?;
    Ok(())
}

/// `duibi schema`.
pub fn schema() -> Outcome {
    print(&duibi::report::json_schema())
}
