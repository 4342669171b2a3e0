//! The `casefile` binary: parse the command line, run the library, print diagnostics
//! and a summary, and map the outcome to an exit code (0 ok, 1 content errors, 2 usage
//! or system errors). Nothing else prints.

mod alloc;
mod cli;
mod present;

fn main() {
    let code = cli::run();
    std::process::exit(code);
}
