//! `zerog-node storage`: upload a file (split into fragments if needed), pay for it, wait for
//! its replicas; download and verify one; show a file's status.

use crate::{
	chain_rpc::{self, SigningContext},
	da_cli::{blob_http, http_error, rpc_err, signer, CmdResult, Progress, RpcArgs},
};
use codec::{Decode, Encode};
use sp_core::{sr25519, Pair};
use std::{
	path::PathBuf,
	sync::atomic::{AtomicU64, Ordering},
	time::{Duration, Instant},
};
use zerog_da_service::http::Client;
use zerog_erasure::storage::{segment_count, verify_segment, FileTree, SEGMENT_SIZE};
use zerog_runtime::RuntimeCall;
use zerog_storage_service::{
	segment_http::{UploadBatch, MAX_SEGMENTS_PER_DOWNLOAD},
	service::{MAX_FILE_SIZE, MAX_SEGMENTS_PER_UPLOAD},
	store::SegmentWithProof,
};

/// Requests in flight at once, each on its own connection: while the node checks one
/// batch the next is on its way.
const CONNECTIONS: usize = 2;

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
	Bench(crate::storage_bench::StorageBenchCmd),
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
	#[arg(long, default_value_t = MAX_FILE_SIZE)]
	pub fragment_size: u64,
	/// Print the result as one JSON object.
	#[arg(long)]
	pub json: bool,
}

/// `storage download`.
#[derive(Debug, clap::Args)]
pub struct DownloadCmd {
	/// The file root (`0x` + 64 hex digits), or the roots of its fragments, comma separated.
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
	/// The file root.
	pub root: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

/// What uploading one fragment took, by stage.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FragmentReport {
	/// The fragment's root.
	pub root: String,
	/// Its size.
	pub size: u64,
	/// The deal id.
	pub deal: u64,
	/// Building the Merkle tree here.
	pub hash_ms: u64,
	/// Sending all segments (transport plus the node's work).
	pub upload_ms: u64,
	/// The node checking proofs (summed over its calls).
	pub node_verify_ms: u64,
	/// The node writing to disk (summed over its calls).
	pub node_disk_ms: u64,
	/// From sending `submit` to its inclusion.
	pub inclusion_ms: u64,
	/// From inclusion until the replica count was seen.
	pub replication_ms: u64,
}

/// Parses `30`, `30d` (days) or `12h` (rounded up to days) into pricing periods of a day.
pub fn parse_periods(text: &str) -> CmdResult<u32> {
	let bad = || format!("bad --duration {text:?}: use days like 30 or 30d, or hours like 12h");
	let (number, hours) = match text.strip_suffix('h') {
		Some(n) => (n, true),
		None => (text.strip_suffix('d').unwrap_or(text), false),
	};
	let n: u32 = number.parse().map_err(|_| bad())?;
	let days = if hours { n.div_ceil(24) } else { n };
	if days == 0 {
		return Err(bad());
	}
	Ok(days)
}

fn segment_of(data: &[u8], tree: &FileTree, index: u64) -> SegmentWithProof {
	let start = index as usize * SEGMENT_SIZE;
	let end = (start + SEGMENT_SIZE).min(data.len());
	SegmentWithProof {
		index,
		data: data[start..end].to_vec(),
		proof: tree.segment_proof(index).expect("index inside the file"),
	}
}

/// Sends every segment of `data`, in batches on [`CONNECTIONS`] connections. Returns the node's summed
/// (verify, disk) microseconds.
fn send_segments(
	rpc: &Client,
	data: &[u8],
	tree: &FileTree,
	progress: &Progress,
) -> CmdResult<(u64, u64)> {
	let count = segment_count(data.len() as u64);
	let raw = blob_http(rpc);
	let batch = if raw.is_some() { MAX_SEGMENTS_PER_UPLOAD as u64 } else { 8 };
	let next = AtomicU64::new(0);
	let (sent, verify_us, disk_us) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
	let root_hex = format!("0x{}", hex::encode(tree.root()));
	let worker = || -> CmdResult<()> {
		loop {
			let from = next.fetch_add(batch, Ordering::SeqCst);
			if from >= count {
				return Ok(());
			}
			let segments: Vec<SegmentWithProof> =
				(from..(from + batch).min(count)).map(|i| segment_of(data, tree, i)).collect();
			let bytes: u64 = segments.iter().map(|s| s.data.len() as u64).sum();
			let answer = match &raw {
				Some(http) => {
					let body = UploadBatch { root: tree.root(), size: data.len() as u64, segments }
						.encode();
					match http
						.post_raw("/files/segments", &body, &mut |_, _| {})
						.map_err(rpc_err)?
					{
						(200, body) => serde_json::from_slice::<serde_json::Value>(&body)
							.map_err(|e| e.to_string())?,
						(status, body) => return Err(http_error(status, &body)),
					}
				},
				None => {
					let json: Vec<serde_json::Value> = segments
                        .iter()
                        .map(|s| {
                            serde_json::json!({
                                "index": s.index,
                                "data": format!("0x{}", hex::encode(&s.data)),
                                "proof": s.proof.siblings.iter().map(|h| format!("0x{}", hex::encode(h))).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
					let params = serde_json::json!([root_hex, data.len() as u64, json]);
					rpc.call("storage_uploadSegments", params).map_err(rpc_err)?
				},
			};
			verify_us.fetch_add(answer["verifyUs"].as_u64().unwrap_or_default(), Ordering::Relaxed);
			disk_us.fetch_add(answer["diskUs"].as_u64().unwrap_or_default(), Ordering::Relaxed);
			let done = sent.fetch_add(bytes, Ordering::Relaxed) + bytes;
			progress.bytes("upload", done, data.len() as u64);
		}
	};
	std::thread::scope(|scope| {
		let workers: Vec<_> = (0..CONNECTIONS).map(|_| scope.spawn(worker)).collect();
		workers.into_iter().try_for_each(|w| w.join().expect("upload thread"))
	})?;
	Ok((verify_us.into_inner(), disk_us.into_inner()))
}

/// Signs and sends `fileStorage.submit` for the file with `tree`, and waits until it is
/// included; returns the time that took. A dispatch failure is an error naming it.
#[allow(clippy::too_many_arguments)]
pub fn submit_deal(
	rpc: &Client,
	payer: &sr25519::Pair,
	tree: &FileTree,
	tags: Vec<pallet_storage::Tag>,
	replicas: u32,
	periods: u32,
	timeout: Duration,
	progress: &Progress,
) -> CmdResult<Duration> {
	let root = format!("0x{}", hex::encode(tree.root()));
	let submission = pallet_storage::Submission {
		root: tree.root(),
		size: tree.size(),
		subtrees: tree
			.flow_subtrees()
			.try_into()
			.map_err(|_| "too many flow subtrees".to_string())?,
		tags: tags.try_into().map_err(|_| "too many tags".to_string())?,
		replicas,
		periods,
	};
	let call = RuntimeCall::FileStorage(pallet_storage::Call::submit { submission });
	let context = SigningContext::fetch(rpc).map_err(rpc_err)?;
	let nonce = chain_rpc::next_nonce(rpc, &payer.public().into()).map_err(rpc_err)?;
	let xt = chain_rpc::signed_extrinsic(call, payer, None, nonce, context);
	let from = chain_rpc::best_number(rpc).map_err(rpc_err)?;
	let sent_at = Instant::now();
	chain_rpc::submit(rpc, &xt).map_err(|e| format!("storage submit refused: {e}"))?;
	let mut searched_to = from;
	loop {
		if sent_at.elapsed() > timeout {
			return Err(format!("submit of {root} not included after {timeout:?}"));
		}
		if let Some((number, hash, index)) =
			chain_rpc::find_inclusion(rpc, &xt, searched_to).map_err(rpc_err)?
		{
			if let Some(why) = chain_rpc::dispatch_failure(rpc, hash, index).map_err(rpc_err)? {
				return Err(format!("storage submit failed in block {number}: {why}"));
			}
			progress.stage(&format!("deal included in block {number}"));
			return Ok(sent_at.elapsed());
		}
		searched_to = chain_rpc::best_number(rpc).map_err(rpc_err)?.max(from);
		std::thread::sleep(Duration::from_millis(200));
	}
}

/// Uploads one fragment, submits its deal and waits for its replicas.
#[allow(clippy::too_many_arguments)]
pub fn upload_fragment(
	rpc: &Client,
	payer: &sr25519::Pair,
	data: &[u8],
	tags: Vec<pallet_storage::Tag>,
	replicas: u32,
	periods: u32,
	timeout: Duration,
	progress: &Progress,
) -> CmdResult<FragmentReport> {
	let t = Instant::now();
	let tree = FileTree::new(data).map_err(|e| format!("{e:?}"))?;
	let hash_ms = t.elapsed().as_millis() as u64;
	let root = format!("0x{}", hex::encode(tree.root()));
	progress.stage(&format!("hashed {} bytes: root {root}", data.len()));
	let t = Instant::now();
	let (verify_us, disk_us) = send_segments(rpc, data, &tree, progress)?;
	let upload_ms = t.elapsed().as_millis() as u64;
	progress.stage(&format!("uploaded {} segments", segment_count(data.len() as u64)));
	let started = Instant::now();
	let included = submit_deal(rpc, payer, &tree, tags, replicas, periods, timeout, progress)?;
	let deal = loop {
		let info = rpc.call("storage_fileInfo", serde_json::json!([root])).map_err(rpc_err)?;
		let seen = info["replicasSeen"].as_u64().unwrap_or_default();
		if seen >= replicas as u64 && info["deals"].as_array().is_some_and(|d| !d.is_empty()) {
			progress.stage(&format!("{seen} replicas seen"));
			break info["deals"]
				.as_array()
				.and_then(|d| d.last())
				.and_then(|d| d["deal"].as_u64())
				.unwrap_or_default();
		}
		if started.elapsed() > timeout {
			return Err(format!("{root}: {seen} of {replicas} replicas after {timeout:?}"));
		}
		std::thread::sleep(Duration::from_millis(250));
	};
	Ok(FragmentReport {
		root,
		size: data.len() as u64,
		deal,
		hash_ms,
		upload_ms,
		node_verify_ms: verify_us / 1000,
		node_disk_ms: disk_us / 1000,
		inclusion_ms: included.as_millis() as u64,
		replication_ms: (started.elapsed() - included).as_millis() as u64,
	})
}

/// Uploads `data` (split into fragments of at most `fragment_size`), paying for `replicas`
/// over `periods`; returns one report per fragment.
#[allow(clippy::too_many_arguments)]
pub fn upload_file(
	rpc: &Client,
	payer: &sr25519::Pair,
	data: &[u8],
	replicas: u32,
	periods: u32,
	fragment_size: u64,
	timeout: Duration,
	progress: &Progress,
) -> CmdResult<Vec<FragmentReport>> {
	if data.is_empty() {
		return Err("the file is empty; a stored file holds at least one byte".into());
	}
	let fragment = fragment_size.clamp(1, MAX_FILE_SIZE) as usize;
	data.chunks(fragment)
		.map(|part| {
			upload_fragment(rpc, payer, part, Vec::new(), replicas, periods, timeout, progress)
		})
		.collect()
}

/// Downloads the file with `root`, verifying every segment; returns its bytes.
pub fn download_file(rpc: &Client, root: &str, progress: &Progress) -> CmdResult<Vec<u8>> {
	let info = rpc.call("storage_fileInfo", serde_json::json!([root])).map_err(rpc_err)?;
	let size = info["size"].as_u64().ok_or("storage_fileInfo gave no size")?;
	let root_hash: [u8; 32] = hex::decode(root.trim_start_matches("0x"))
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| format!("bad root {root}"))?;
	let count = segment_count(size);
	let raw = blob_http(rpc);
	let batch = if raw.is_some() { MAX_SEGMENTS_PER_DOWNLOAD } else { 1 };
	let mut out = vec![0u8; size as usize];
	let slots: Vec<(u64, &mut [u8])> =
		out.chunks_mut(SEGMENT_SIZE).enumerate().map(|(i, c)| (i as u64, c)).collect();
	let slots =
		std::sync::Mutex::new(slots.into_iter().collect::<std::collections::BTreeMap<_, _>>());
	let (next, done) = (AtomicU64::new(0), AtomicU64::new(0));
	let worker = || -> CmdResult<()> {
		loop {
			let from = next.fetch_add(batch, Ordering::SeqCst);
			if from >= count {
				return Ok(());
			}
			let n = batch.min(count - from);
			let segments: Vec<SegmentWithProof> = match &raw {
				Some(http) => match http
					.get_raw(&format!("/files/{root}/segments/{from}/{n}"))
					.map_err(rpc_err)?
				{
					(200, body) => Vec::<SegmentWithProof>::decode(&mut &body[..])
						.map_err(|e| format!("bad segments: {e}"))?,
					(status, body) => return Err(http_error(status, &body)),
				},
				None => {
					let v = rpc
						.call("storage_downloadSegment", serde_json::json!([root, from]))
						.map_err(rpc_err)?;
					let data = zerog_da_service::http::from_hex(&v["data"]).map_err(rpc_err)?;
					let siblings = v["proof"]
						.as_array()
						.into_iter()
						.flatten()
						.map(|h| {
							zerog_da_service::http::from_hex(h).ok().and_then(|b| b.try_into().ok())
						})
						.collect::<Option<Vec<[u8; 32]>>>()
						.ok_or("bad proof")?;
					vec![SegmentWithProof {
						index: from,
						data,
						proof: zerog_erasure::MerkleProof { index: from, siblings },
					}]
				},
			};
			if segments.len() as u64 != n {
				return Err(format!("asked for {n} segments from {from}, got {}", segments.len()));
			}
			for (k, s) in segments.iter().enumerate() {
				if s.index != from + k as u64 {
					return Err(format!("segment {} came instead of {}", s.index, from + k as u64));
				}
				verify_segment(&root_hash, size, s.index, &s.data, &s.proof)
					.map_err(|e| format!("segment {} failed verification: {e:?}", s.index))?;
				let mut slots = slots.lock().expect("slots");
				let slot = slots.get_mut(&s.index).expect("every index has a slot");
				slot.copy_from_slice(&s.data);
			}
			let bytes: u64 = segments.iter().map(|s| s.data.len() as u64).sum();
			progress.bytes("download", done.fetch_add(bytes, Ordering::Relaxed) + bytes, size);
		}
	};
	std::thread::scope(|scope| {
		let workers: Vec<_> = (0..CONNECTIONS).map(|_| scope.spawn(worker)).collect();
		workers.into_iter().try_for_each(|w| w.join().expect("download thread"))
	})?;
	drop(slots);
	Ok(out)
}

impl StorageCmd {
	/// Runs the command.
	pub fn run(&self) -> sc_cli::Result<()> {
		self.run_inner().map_err(sc_cli::Error::Input)
	}

	fn run_inner(&self) -> CmdResult<()> {
		match self {
			StorageCmd::Upload(cmd) => {
				let data =
					std::fs::read(&cmd.file).map_err(|e| format!("{}: {e}", cmd.file.display()))?;
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let periods = parse_periods(&cmd.duration)?;
				let progress = Progress::new();
				let started = Instant::now();
				let reports = upload_file(
					&rpc,
					&signer(&cmd.suri)?,
					&data,
					cmd.replicas,
					periods,
					cmd.fragment_size,
					Duration::from_secs(cmd.timeout),
					&progress,
				)?;
				let roots: Vec<&str> = reports.iter().map(|r| r.root.as_str()).collect();
				if cmd.json {
					let value = serde_json::json!({
						"root": roots.join(","),
						"fragments": reports,
						"totalMs": started.elapsed().as_millis() as u64,
					});
					println!("{value}");
				} else {
					println!("root: {}", roots.join(","));
					for r in &reports {
						println!(
                            "fragment {} ({} bytes, deal {}): hash {} ms, upload {} ms (node: verify {} ms, \
                             disk {} ms), inclusion {} ms, replication {} ms",
                            r.root, r.size, r.deal, r.hash_ms, r.upload_ms, r.node_verify_ms, r.node_disk_ms,
                            r.inclusion_ms, r.replication_ms
                        );
					}
				}
				Ok(())
			},
			StorageCmd::Download(cmd) => {
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let progress = Progress::new();
				let started = Instant::now();
				let mut file = Vec::new();
				for root in cmd.root.split(',') {
					file.extend(download_file(&rpc, root.trim(), &progress)?);
				}
				let took = started.elapsed();
				std::fs::write(&cmd.output, &file)
					.map_err(|e| format!("{}: {e}", cmd.output.display()))?;
				println!(
					"wrote {} bytes to {} in {} ms ({:.1} MiB/s), every segment verified",
					file.len(),
					cmd.output.display(),
					took.as_millis(),
					file.len() as f64 / 1048576.0 / took.as_secs_f64().max(1e-6)
				);
				Ok(())
			},
			StorageCmd::Bench(cmd) => cmd.run(),
			StorageCmd::Status(cmd) => {
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let info =
					rpc.call("storage_fileInfo", serde_json::json!([cmd.root])).map_err(rpc_err)?;
				println!("{}", serde_json::to_string_pretty(&info).unwrap_or_default());
				Ok(())
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::parse_periods;

	#[test]
	fn durations_become_day_periods() {
		assert_eq!(parse_periods("30"), Ok(30));
		assert_eq!(parse_periods("30d"), Ok(30));
		assert_eq!(parse_periods("25h"), Ok(2));
		assert!(parse_periods("0d").is_err());
		assert!(parse_periods("forever").is_err());
	}
}
