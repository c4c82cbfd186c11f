//! `storage`: upload a file (split into fragments if needed), pay for it, wait for its
//! replicas; download and verify one; show a file's status; measure the path.

pub mod bench;
pub mod client;

use crate::{
	args::{signer, RpcArgs},
	chain::Chain,
	error::{CliError, CliResult},
	progress::Progress,
};
use client::{download_file, parse_file_ref, parse_periods, upload_file};
use std::{
	path::PathBuf,
	time::{Duration, Instant},
};
use zerog_rpc_api::storage::StorageApiClient;

/// Storage client commands (they talk to a node over RPC).
#[derive(Debug, clap::Subcommand)]
pub enum StorageCmd {
	/// Upload a file, pay for its replicas and duration, wait until they are reached.
	Upload(UploadCmd),
	/// Download a file by root (or fragment roots, comma separated), verifying every segment.
	Download(DownloadCmd),
	/// Show a file's status, deals and replicas (`storage_fileInfo`).
	Status(StatusCmd),
	/// Measure upload and download speed for 10, 100 and 1,024 MiB against raw disk speed.
	Bench(bench::StorageBenchCmd),
}

/// `storage upload`.
#[derive(Debug, clap::Args)]
pub struct UploadCmd {
	/// The file.
	pub file: PathBuf,
	/// Copies to pay for.
	#[arg(long, default_value_t = 1)]
	pub replicas: u32,
	/// How long to keep it: days (`30`, `30d`); rounded up to whole pricing periods of a day.
	#[arg(long, default_value = "30d")]
	pub duration: String,
	/// Secret URI of the paying account (`//Alice`, a mnemonic, `0x` seed).
	#[arg(long)]
	pub suri: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Seconds to wait for inclusion and replicas.
	#[arg(long, default_value_t = 600)]
	pub timeout: u64,
	/// Largest fragment (bytes); larger files are split. Defaults to the chain's limit.
	#[arg(long, default_value_t = zerog_rpc_api::storage::MAX_FILE_SIZE)]
	pub fragment_size: u64,
	/// Print the result as one JSON object.
	#[arg(long)]
	pub json: bool,
}

/// `storage download`.
#[derive(Debug, clap::Args)]
pub struct DownloadCmd {
	/// The file root (`0x` + 64 hex digits), or the roots of its fragments, comma separated;
	/// each may end with `:<size in bytes>` to name one of several files sharing a root.
	pub root: String,
	/// Where to write it.
	#[arg(short, long)]
	pub output: PathBuf,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

/// `storage status`.
#[derive(Debug, clap::Args)]
pub struct StatusCmd {
	/// The file root, optionally with `:<size in bytes>`.
	pub root: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

impl StorageCmd {
	/// Runs the command.
	pub fn run(&self) -> CliResult<()> {
		match self {
			StorageCmd::Upload(cmd) => cmd.run(),
			StorageCmd::Download(cmd) => cmd.run(),
			StorageCmd::Status(cmd) => {
				let chain = Chain::connect(&cmd.rpc.rpc)?;
				let (root, size) = parse_file_ref(&cmd.root)?;
				let info = chain.call(chain.rpc().file_info(root, size))?;
				println!("{}", serde_json::to_string_pretty(&info).unwrap_or_default());
				Ok(())
			},
			StorageCmd::Bench(cmd) => cmd.run(),
		}
	}
}

impl UploadCmd {
	fn run(&self) -> CliResult<()> {
		let data = std::fs::read(&self.file).map_err(CliError::file(&self.file))?;
		let periods = parse_periods(&self.duration)?;
		let payer = signer(&self.suri)?;
		let chain = Chain::connect(&self.rpc.rpc)?;
		let started = Instant::now();
		let reports = upload_file(
			&chain,
			&payer,
			&data,
			self.replicas,
			periods,
			self.fragment_size,
			Duration::from_secs(self.timeout),
			&Progress::new(),
		)?;
		let roots: Vec<&str> = reports.iter().map(|r| r.root.as_str()).collect();
		// What `storage download` should be given: root and size name a file (a root alone
		// may stand for several).
		let files: Vec<String> = reports.iter().map(|r| format!("{}:{}", r.root, r.size)).collect();
		if self.json {
			let value = serde_json::json!({
				"root": roots.join(","),
				"file": files.join(","),
				"fragments": reports,
				"totalMs": started.elapsed().as_millis() as u64,
			});
			println!("{value}");
			return Ok(());
		}
		println!("root: {}", roots.join(","));
		println!("file: {}", files.join(","));
		for r in &reports {
			println!(
				"fragment {} ({} bytes, deal {}): hash {} ms, upload {} ms (node: verify {} ms, \
				 disk {} ms), inclusion {} ms, replication {} ms",
				r.root,
				r.size,
				r.deal,
				r.hash_ms,
				r.upload_ms,
				r.node_verify_ms,
				r.node_disk_ms,
				r.inclusion_ms,
				r.replication_ms
			);
		}
		Ok(())
	}
}

impl DownloadCmd {
	fn run(&self) -> CliResult<()> {
		let chain = Chain::connect(&self.rpc.rpc)?;
		let progress = Progress::new();
		let started = Instant::now();
		let mut file = Vec::new();
		for part in self.root.split(',') {
			let (root, size) = parse_file_ref(part)?;
			file.extend(download_file(&chain, &root, size, &progress)?);
		}
		let took = started.elapsed();
		std::fs::write(&self.output, &file).map_err(CliError::file(&self.output))?;
		println!(
			"wrote {} bytes to {} in {} ms ({:.1} MiB/s), every segment verified",
			file.len(),
			self.output.display(),
			took.as_millis(),
			file.len() as f64 / 1048576.0 / took.as_secs_f64().max(1e-6)
		);
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::parse_periods;

	#[test]
	fn durations_become_day_periods() {
		assert_eq!(parse_periods("30").unwrap(), 30);
		assert_eq!(parse_periods("30d").unwrap(), 30);
		assert_eq!(parse_periods("25h").unwrap(), 2);
		assert!(parse_periods("0d").is_err());
		assert!(parse_periods("forever").is_err());
	}
}
