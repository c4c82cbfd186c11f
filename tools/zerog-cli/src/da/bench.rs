//! `da bench`: the DA data path of a running node, end to end, next to the raw
//! coding speed measured in the same run and to Celestia's and EigenDA's published figures.
//!
//! For each size: one blob submitted and waited for (latency, by stage), then `count`
//! blobs uploaded and submitted back to back and waited for together (sustained ingest:
//! "node accepts" is bytes over upload time, the steady state of a full pipeline; "ingest"
//! counts until the last blob is available), then each fetched back and compared
//! (retrieval). The bench does not code blobs locally to check the node (as `da submit`
//! does): on one machine that would take a core from the node.

use crate::{
	args::{signer, RpcArgs},
	chain::Chain,
	da::client::{get_blob, send_submit, submit_blob, upload, wait_available},
	error::{CliError, CliResult},
	progress::Progress,
	sample::random_blob,
};
use sp_core::Pair;
use std::time::{Duration, Instant};
use zerog_erasure::MAX_BLOB_SIZE;

/// `da bench`.
#[derive(Debug, clap::Args)]
pub struct BenchCmd {
	/// Secret URI of the paying account.
	#[arg(long, default_value = "//Alice")]
	pub suri: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Blob sizes in MiB (a "32" means the largest blob, 32,505,852 bytes).
	#[arg(long, value_delimiter = ',', default_value = "1,8,32")]
	pub sizes: Vec<u32>,
	/// Blobs per size.
	#[arg(long, default_value_t = 3)]
	pub count: u32,
}

/// Celestia's DA throughput, about 5.3 MiB/s (the reference line).
const CELESTIA_MIB_S: f64 = 5.3;
/// EigenDA V2's claimed throughput, MB/s.
const EIGENDA_MB_S: f64 = 100.0;
const MIB: f64 = 1048576.0;
const TIMEOUT: Duration = Duration::from_secs(300);

fn mib_s(bytes: u64, took: Duration) -> f64 {
	bytes as f64 / MIB / took.as_secs_f64().max(1e-9)
}

impl BenchCmd {
	/// Runs the benchmark and prints its table.
	pub fn run(&self) -> CliResult<()> {
		run(self)
	}
}

fn run(cmd: &BenchCmd) -> CliResult<()> {
	let chain = Chain::connect(&cmd.rpc.rpc)?;
	let pair = signer(&cmd.suri)?;
	let quiet = Progress::new();
	let mut seed = Instant::now().elapsed().as_nanos() as u64 ^ std::process::id() as u64;
	println!(
        "| size | raw encode MiB/s | submit→available s | blocks incl→avail | upload s | transfer ms | node encode ms | node hash ms | node store ms | inclusion s | attest s | node accepts MiB/s | ingest MiB/s ({} blobs, to all available) | retrieval MiB/s |",
        cmd.count
    );
	println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
	for &mib in &cmd.sizes {
		let size = ((mib as u64) << 20).min(MAX_BLOB_SIZE as u64) as usize;
		seed += 1;
		let sample = random_blob(size, seed);

		// Baseline: the coding alone, here, in the same run.
		let t = Instant::now();
		zerog_erasure::encode_blob(&sample, zerog_erasure::CodecId::ReedSolomonSimd)
			.map_err(|e| CliError::BadInput(format!("{e:?}")))?;
		let raw = mib_s(size as u64, t.elapsed());

		// Latency of one blob, by stage.
		let report = submit_blob(&chain, &pair, &sample, false, TIMEOUT, &quiet)?;

		// Sustained ingest: `count` blobs back to back, then wait for all.
		let blobs: Vec<Vec<u8>> =
			(0..cmd.count).map(|i| random_blob(size, seed * 1000 + i as u64 + 1)).collect();
		let context = chain.signing_context()?;
		let first_nonce = chain.next_nonce(&pair.public().into())?;
		let started = Instant::now();
		let mut pending = Vec::new();
		let mut uploading = Duration::ZERO;
		for (nonce, blob) in (first_nonce..).zip(&blobs) {
			let uploaded = upload(&chain, blob, false, &quiet)?;
			uploading += uploaded.upload;
			let sent = send_submit(&chain, &pair, nonce, context, &uploaded)?;
			pending.push((uploaded.root, sent));
		}
		let mut ids = Vec::new();
		for (root, sent) in &pending {
			ids.push(wait_available(&chain, root, sent, TIMEOUT, &quiet)?.id);
		}
		let ingest = mib_s(size as u64 * cmd.count as u64, started.elapsed());
		let accept = mib_s(size as u64 * cmd.count as u64, uploading);

		// Retrieval.
		let mut fetched = Duration::ZERO;
		for (id, blob) in ids.iter().zip(&blobs) {
			let (bytes, took) = get_blob(&chain, &id.to_string())?;
			if &bytes != blob {
				return Err(CliError::Mismatch(format!("blob {id} came back different")));
			}
			fetched += took;
		}
		let retrieval = mib_s(size as u64 * cmd.count as u64, fetched);
		println!(
            "| {:.1} MiB | {raw:.0} | {:.2} | {} | {:.2} | {} | {} | {} | {} | {:.2} | {:.2} | {accept:.1} | {ingest:.1} | {retrieval:.1} |",
            size as f64 / MIB,
            report.total_ms as f64 / 1000.0,
            report.available_at.saturating_sub(report.included_in),
            report.upload_ms as f64 / 1000.0,
            report.transfer_ms,
            report.node_encode_ms,
            report.node_hash_ms,
            report.node_store_ms,
            report.inclusion_ms as f64 / 1000.0,
            report.attest_ms as f64 / 1000.0,
        );
	}
	println!();
	println!("reference lines: Celestia ≈ {CELESTIA_MIB_S} MiB/s; EigenDA V2 {EIGENDA_MB_S} MB/s (claimed, {:.1} MiB/s)", EIGENDA_MB_S * 1e6 / MIB);
	Ok(())
}
