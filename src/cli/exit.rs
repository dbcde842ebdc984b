//! Exit codes, in one place: 0 success, 1 the run failed, 2 unusable arguments or
//! input. Every command returns [`Fail`] with the code its error maps to; `main`
//! prints it as one line. Output into a closed pipe (`duibi … | head`) ends quietly
//! with the SIGPIPE status, as Unix tools do.

use duibi::run::{ErrorKind, PipelineError};
use std::process::ExitCode;

/// The run failed (threads, temporary files, writing the output).
pub const RUN_FAILED: u8 = 1;
/// Unusable arguments or input.
pub const UNUSABLE: u8 = 2;

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct Fail(pub u8, pub anyhow::Error);

/// The result of a command.
pub type Outcome = Result<(), Fail>;

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        Fail(RUN_FAILED, e)
    }
}

/// Unusable arguments or input, with a one-line message.
pub fn usage(msg: String) -> Fail {
    Fail(UNUSABLE, anyhow::anyhow!(msg))
}

/// Unusable arguments or input, from a library error.
pub fn unusable(e: impl Into<anyhow::Error>) -> Fail {
    Fail(UNUSABLE, e.into())
}

/// The exit code of a pipeline error ([`PipelineError::kind`]: resources of the
/// machine fail the run; the rest is about the input or the settings), with the
/// command-line wording the library leaves out (which flag, what to do next).
pub fn pipeline(e: PipelineError) -> Fail {
    let code = match e.kind() {
        ErrorKind::Run => RUN_FAILED,
        ErrorKind::Input => UNUSABLE,
    };
    let e = match e {
        PipelineError::UnknownGroup { .. } => anyhow::Error::new(e).context("--compare"),
        PipelineError::NoDocuments { path, skipped } => anyhow::anyhow!(
            "{path}: no readable documents ({skipped} file(s) skipped; rerun without --quiet to see why)"
        ),
        e => e.into(),
    };
    Fail(code, e)
}

/// Whether a cause of `e` is a write into a closed pipe.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let kind = c
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Ends the process as a write into a closed pipe would have without Rust's default
/// of ignoring SIGPIPE: killed by SIGPIPE, with no message. Outputs are already
/// dropped (their temporary files removed) when this runs.
fn die_of_sigpipe() -> ExitCode {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE and raising it ends the process;
    // nothing runs after it but the exit.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    // Not reached on Unix; elsewhere a closed pipe is not an error either.
    ExitCode::SUCCESS
}

/// Prints a failure as one line (the chain of causes joined, control characters
/// escaped) and gives its exit code.
pub fn report(r: Outcome) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(_, e)) if broken_pipe(&e) => die_of_sigpipe(),
        Err(Fail(code, e)) => {
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("duibi: error: {}", super::term::line(&msg.join(": ")));
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn broken_pipe_found_in_the_chain() {
        let io = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let e = Err::<(), _>(io()).context("writing output").unwrap_err();
        assert!(broken_pipe(&e));
        let json = serde_json::to_writer(FailingWriter, &1).unwrap_err();
        assert!(broken_pipe(
            &anyhow::Error::from(json).context("writing output")
        ));
        let other = Err::<(), _>(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
            .context("x")
            .unwrap_err();
        assert!(!broken_pipe(&other));
    }

    struct FailingWriter;
    impl std::io::Write for FailingWriter {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
