//! `storage bench`: upload and download speed of a running node for a few file
//! sizes, next to raw disk write and read speed measured in the same run, with the upload
//! broken down by stage.

use crate::{
	args::{signer, RpcArgs},
	chain::Chain,
	error::{CliError, CliResult},
	progress::Progress,
	sample::random_blob,
	storage::client::{download_file, upload_file},
};
use std::{
	io::Write,
	time::{Duration, Instant},
};

const MIB: f64 = 1048576.0;
const TIMEOUT: Duration = Duration::from_secs(900);

/// `storage bench`.
#[derive(Debug, clap::Args)]
pub struct StorageBenchCmd {
	/// Secret URI of the paying account.
	#[arg(long, default_value = "//Alice")]
	pub suri: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// File sizes in MiB.
	#[arg(long, value_delimiter = ',', default_value = "10,100,1024")]
	pub sizes: Vec<u64>,
	/// Directory for the raw disk baseline (the node's disk, ideally).
	#[arg(long, default_value = "/tmp")]
	pub disk_dir: std::path::PathBuf,
}

fn mib_s(bytes: u64, took: Duration) -> f64 {
	bytes as f64 / MIB / took.as_secs_f64().max(1e-9)
}

/// Writes `data` to a file in `dir` and syncs it, then reads it back: (write, read) MiB/s.
/// The read comes from the page cache, as the node's reads of fresh files do.
fn disk_baseline(dir: &std::path::Path, data: &[u8]) -> CliResult<(f64, f64)> {
	let path = dir.join(format!("zerog-disk-bench-{}", std::process::id()));
	let t = Instant::now();
	let mut file = std::fs::File::create(&path).map_err(CliError::file(&path))?;
	file.write_all(data)
		.and_then(|_| file.sync_all())
		.map_err(CliError::file(&path))?;
	let write = mib_s(data.len() as u64, t.elapsed());
	let t = Instant::now();
	let back = std::fs::read(&path).map_err(CliError::file(&path))?;
	let read = mib_s(back.len() as u64, t.elapsed());
	let _ = std::fs::remove_file(&path);
	Ok((write, read))
}

impl StorageBenchCmd {
	/// Runs the benchmark and prints its table.
	pub fn run(&self) -> CliResult<()> {
		let chain = Chain::connect(&self.rpc.rpc)?;
		let payer = signer(&self.suri)?;
		let quiet = Progress::new();
		let mut seed = Instant::now().elapsed().as_nanos() as u64 ^ std::process::id() as u64;
		println!(
            "| size | disk write MiB/s | disk read MiB/s | upload MiB/s | hash here ms | send ms (node verify ms, disk ms) | inclusion ms | replica ms | download MiB/s (verified) |"
        );
		println!("|---|---|---|---|---|---|---|---|---|");
		for &mib in &self.sizes {
			seed += 1;
			let data = random_blob((mib << 20) as usize, seed);
			let (disk_write, disk_read) = disk_baseline(&self.disk_dir, &data)?;
			let reports = upload_file(&chain, &payer, &data, 1, 1, u64::MAX, TIMEOUT, &quiet)?;
			let r = reports
				.first()
				.ok_or_else(|| CliError::Mismatch("no fragment uploaded".into()))?;
			let t = Instant::now();
			let back = download_file(&chain, &r.root, Some(r.size), &quiet)?;
			let download = mib_s(back.len() as u64, t.elapsed());
			if back != data {
				return Err(CliError::Mismatch(format!("{} came back different", r.root)));
			}
			println!(
                "| {mib} MiB | {disk_write:.0} | {disk_read:.0} | {:.0} | {} | {} ({}, {}) | {} | {} | {download:.0} |",
                mib_s(data.len() as u64, Duration::from_millis(r.hash_ms + r.upload_ms)),
                r.hash_ms,
                r.upload_ms,
                r.node_verify_ms,
                r.node_disk_ms,
                r.inclusion_ms,
                r.replication_ms,
            );
		}
		println!();
		println!("upload MiB/s = size / (hashing here + sending all segments, which includes the node's checks and writes)");
		Ok(())
	}
}
