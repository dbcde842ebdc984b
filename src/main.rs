//! `duibi` command line: a thin layer over the library. Parse the flags, run the
//! command, map the outcome to an exit code (0 success, 1 the run failed, 2 unusable
//! arguments or input). The commands live in [`cli`].

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::alloc::tune_allocator();
    let args = cli::flags::Cli::parse();
    cli::exit::report(cli::run(args))
}
