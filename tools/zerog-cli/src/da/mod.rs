//! `da`: submit a blob and wait until it is available, fetch one back, measure the DA data
//! path of a running node, or register an operator.

pub mod bench;
pub mod client;
pub mod register;

use crate::{
	args::{signer, RpcArgs},
	chain::Chain,
	error::{CliError, CliResult},
	progress::Progress,
};
use std::{path::PathBuf, time::Duration};

/// DA client commands (they talk to a node over RPC).
#[derive(Debug, clap::Subcommand)]
pub enum DaCmd {
	/// Encode, upload, sign and submit a blob, then wait until it is available.
	Submit(SubmitCmd),
	/// Fetch a blob (rebuilt from any 1,024 chunks) into a file.
	Get(GetCmd),
	/// Measure submit-to-available time, ingest and retrieval speed for 1, 8 and 32 MiB.
	Bench(bench::BenchCmd),
	/// Register an account as a DA operator, proving it holds the operator key, and bond.
	Register(register::RegisterCmd),
}

/// `da submit`.
#[derive(Debug, clap::Args)]
pub struct SubmitCmd {
	/// The blob (at most 32,505,852 bytes).
	pub file: PathBuf,
	/// Secret URI of the paying account (`//Alice`, a mnemonic, `0x` seed).
	#[arg(long)]
	pub suri: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Seconds to wait for availability.
	#[arg(long, default_value_t = 300)]
	pub timeout: u64,
	/// Print the result as one JSON object.
	#[arg(long)]
	pub json: bool,
}

/// `da get`.
#[derive(Debug, clap::Args)]
pub struct GetCmd {
	/// The blob: its id, or its root (`0x` + 64 hex digits).
	pub id: String,
	/// Where to write it.
	#[arg(short, long)]
	pub output: PathBuf,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

impl DaCmd {
	/// Runs the command.
	pub fn run(&self) -> CliResult<()> {
		match self {
			DaCmd::Submit(cmd) => cmd.run(),
			DaCmd::Get(cmd) => cmd.run(),
			DaCmd::Bench(cmd) => cmd.run(),
			DaCmd::Register(cmd) => cmd.run(),
		}
	}
}

impl SubmitCmd {
	fn run(&self) -> CliResult<()> {
		let data = std::fs::read(&self.file).map_err(CliError::file(&self.file))?;
		let payer = signer(&self.suri)?;
		let chain = Chain::connect(&self.rpc.rpc)?;
		let timeout = Duration::from_secs(self.timeout);
		let report = client::submit_blob(&chain, &payer, &data, true, timeout, &Progress::new())?;
		if self.json {
			println!("{}", serde_json::to_string(&report).expect("a report serializes; qed"));
			return Ok(());
		}
		println!("blob id: {}", report.id);
		println!("root: {}", report.root);
		println!("size: {} bytes", report.size);
		println!(
			"included in block {}, available at block {}",
			report.included_in, report.available_at
		);
		println!(
			"timings: upload {} ms (transfer {} ms; node: encode {} ms, hash {} ms, store {} ms), \
			 inclusion {} ms, attestation {} ms, total {} ms",
			report.upload_ms,
			report.transfer_ms,
			report.node_encode_ms,
			report.node_hash_ms,
			report.node_store_ms,
			report.inclusion_ms,
			report.attest_ms,
			report.total_ms
		);
		Ok(())
	}
}

impl GetCmd {
	fn run(&self) -> CliResult<()> {
		let chain = Chain::connect(&self.rpc.rpc)?;
		let (bytes, took) = client::get_blob(&chain, &self.id)?;
		std::fs::write(&self.output, &bytes).map_err(CliError::file(&self.output))?;
		println!(
			"wrote {} bytes to {} in {} ms ({:.1} MiB/s)",
			bytes.len(),
			self.output.display(),
			took.as_millis(),
			bytes.len() as f64 / 1048576.0 / took.as_secs_f64().max(1e-6)
		);
		Ok(())
	}
}
