//! `isc check`: validates the sources and prints one line per problem.

use std::io::Write;
use std::path::Path;

use crate::Outcome;

/// Runs the check for the project at `root`.
pub fn run(root: &Path) -> Outcome {
    let problems = isc_package::check(root);
    report(&problems)
}

/// Prints `problems` (one `file:line: message` per line) to stderr.
pub fn report(problems: &[isc_package::Problem]) -> Outcome {
    if problems.is_empty() {
        return Outcome::Ok;
    }
    let mut err = std::io::stderr().lock();
    for problem in problems {
        // A closed stderr is not worth a panic.
        let _ = writeln!(err, "{problem}");
    }
    Outcome::Problems
}
