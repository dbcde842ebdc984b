//! Exit codes, in one place: 0 success, 1 the run failed, 2 unusable arguments or
//! input. Every command returns [`Fail`] with the code its error maps to; `main`
//! prints it as one line.

use duibi::pipeline::PipelineError;
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

/// The exit code of a pipeline error: resources of the machine fail the run; the rest
/// is about the input or the settings.
pub fn pipeline(e: PipelineError) -> Fail {
    match e {
        PipelineError::Threads(_) | PipelineError::TempFile(_) => Fail(RUN_FAILED, e.into()),
        other => Fail(UNUSABLE, other.into()),
    }
}

/// Prints a failure as one line (the chain of causes joined) and gives its exit code.
pub fn report(r: Outcome) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(code, e)) => {
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("duibi: error: {}", msg.join(": "));
            ExitCode::from(code)
        }
    }
}
