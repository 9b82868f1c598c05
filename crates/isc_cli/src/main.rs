//! `isc`: builds, checks and tests the SailPoint ISC integration package.
//!
//! This file only parses the command line, dispatches to `commands/<name>.rs`
//! and maps the outcome to an exit code: 0 ok, 1 problems found, 2 usage
//! (clap reports usage errors itself with code 2).

mod commands;

/// mimalloc: the engine allocates many small strings and maps per document,
/// where it is markedly faster than the system allocator (see DESIGN.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Builds, checks and tests the SailPoint Identity Security Cloud integration.
#[derive(Debug, Parser)]
#[command(name = "isc", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by the commands that read the project sources.
#[derive(Debug, Args)]
struct ProjectArgs {
    /// Project root holding package/, data_stream/ and templates/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the sources and write the package under build/.
    Build(commands::build::BuildArgs),
    /// Validate the sources without writing anything.
    Check(ProjectArgs),
    /// Run tests of the package (`test pipeline`).
    Test(commands::test::TestArgs),
    /// Run raw events (stdin lines or --docs) through a data stream's ingest pipeline.
    Simulate(commands::simulate::SimulateArgs),
    /// Write a data stream's sample_event.json from its designated pipeline test case.
    SampleEvent(commands::sample_event::SampleEventArgs),
    /// Measure a data stream's pipeline throughput (use a release build).
    Bench(commands::bench::BenchArgs),
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything succeeded.
    Ok,
    /// Problems were found and reported.
    Problems,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => commands::build::run(&args),
        Command::Check(args) => commands::check::run(&args.root),
        Command::Test(args) => commands::test::run(&args),
        Command::Simulate(args) => commands::simulate::run(&args),
        Command::SampleEvent(args) => commands::sample_event::run(&args),
        Command::Bench(args) => commands::bench::run(&args),
    };
    match outcome {
        Outcome::Ok => ExitCode::SUCCESS,
        Outcome::Problems => ExitCode::from(1),
    }
}
