//! The modules of the `duibi` binary (none is part of the library).
//!
//! | module | holds |
//! |---|---|
//! | [`flags`] | every flag, defined once (the clap structs) and the caps on them |
//! | [`build`] | flag values turned into library builders, in one place |
//! | [`analyze`] | `analyze`, `merge` and `scan` |
//! | [`text`] | `tokenize`, `detect`, `score` |
//! | [`eval`] | `eval sentiment`, `eval crosslingual` |
//! | [`view`] | `summarize`, `render`, `schema` |
//! | [`output`] | opening the outputs before any work; special files, corpus files |
//! | [`term`] | escaping what is printed to a terminal |
//! | [`exit`] | exit codes and the one-line error |
//! | [`alloc`] | the allocator |

pub mod alloc;
pub mod analyze;
pub mod build;
pub mod eval;
pub mod exit;
pub mod flags;
pub mod output;
pub mod term;
pub mod text;
pub mod view;

use flags::{Cli, Command, EvalCommand};

/// Runs the command of the parsed command line.
pub fn run(cli: Cli) -> exit::Outcome {
    match cli.command {
        Command::Analyze(a) => analyze::analyze(a),
        Command::Merge(a) => analyze::merge(a),
        Command::Tokenize(a) => text::tokenize(a),
        Command::Detect(a) => text::detect(a),
        Command::Score(a) => text::score(a),
        Command::Eval(EvalCommand::Sentiment(a)) => eval::sentiment(a),
        Command::Eval(EvalCommand::Crosslingual(a)) => eval::crosslingual(a),
        Command::Summarize(a) => view::summarize(a),
        Command::Render(a) => view::render(a),
        Command::Schema => view::schema(),
        Command::Scan(a) => analyze::scan(a),
    }
}
