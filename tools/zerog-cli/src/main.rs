//! `zerog`: zerog's client commands without the node.

use clap::Parser;
use std::process::ExitCode;
use zerog_cli::{BenchCmd, CliResult, DaCmd, KvCmd, StorageCmd};

/// zerog's client: data availability, storage, KV and load generation against a node's RPC.
#[derive(Debug, Parser)]
#[command(name = "zerog", version)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
enum Command {
	/// Data availability: `submit` a blob, `get` one back, `bench` the data path.
	#[command(subcommand)]
	Da(DaCmd),
	/// Storage: `upload` a file and wait for its replicas, `download` one (verified),
	/// `status` of one, `bench` the path.
	#[command(subcommand)]
	Storage(StorageCmd),
	/// KV: `put` a value, `grant` a writer, `get` one, `iter` a stream, `bench` reads.
	#[command(subcommand)]
	Kv(KvCmd),
	/// Load generators: `transfers` (native balance transfers per second).
	#[command(subcommand)]
	Bench(BenchCmd),
}

fn run(cli: Cli) -> CliResult<()> {
	match cli.command {
		Command::Da(cmd) => cmd.run(),
		Command::Storage(cmd) => cmd.run(),
		Command::Kv(cmd) => cmd.run(),
		Command::Bench(cmd) => cmd.run(),
	}
}

fn main() -> ExitCode {
	match run(Cli::parse()) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("Error: {e}");
			ExitCode::FAILURE
		},
	}
}

#[cfg(test)]
mod tests {
	/// clap's own checks of every subcommand (duplicate names, bad defaults).
	#[test]
	fn the_command_line_is_consistent() {
		use clap::CommandFactory;
		super::Cli::command().debug_assert();
	}
}
