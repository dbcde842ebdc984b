//! Opening the outputs of a run before any work, with one-line errors naming the path.

use super::exit::{self, Fail};
use super::flags::OutputArgs;
use duibi::report::Output;
use std::path::Path;

/// Opens an output before any work, with a one-line error naming the path.
pub fn open(p: &Path) -> Result<Output, Fail> {
    Output::open(p).map_err(|e| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let reason = match parent {
            Some(d) if !d.is_dir() => format!("directory {} does not exist", d.display()),
            _ => match e.kind() {
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            },
        };
        exit::usage(format!("{}: cannot write output: {reason}", p.display()))
    })
}

/// Opened outputs of a run: the JSON report and the HTML page.
pub struct Outputs {
    /// The JSON report (or partial).
    pub json: Output,
    /// The HTML report, when asked for.
    pub html: Option<Output>,
}

/// Opens the JSON and HTML outputs; refuses one path given for both.
pub fn open_all(o: &OutputArgs) -> Result<Outputs, Fail> {
    let json = open(&o.output)?;
    let html = match &o.html {
        Some(p) if p == &o.output && p.as_os_str() != "-" => {
            return Err(exit::usage(format!(
                "{}: given as both the JSON and the HTML output",
                p.display()
            )));
        }
        Some(p) => Some(open(p)?),
        None => None,
    };
    Ok(Outputs { json, html })
}
