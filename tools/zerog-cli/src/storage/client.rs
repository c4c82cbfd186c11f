//! Storing a file and getting it back, as `storage upload`, `storage download`, `kv` and
//! `storage bench` do: the file is hashed into its Merkle tree here, its segments go to the
//! node with their proofs (raw over the data path when reachable, else hex in
//! `storage_uploadSegments`) on two requests at a time, the payer signs
//! `fileStorage.submit`, and the client waits for the replicas. Downloads check every
//! segment against the root.

use crate::{
	chain::Chain,
	data_path::DataPath,
	error::{CliError, CliResult, DataPathError},
	progress::Progress,
	send::send_and_include,
};
use codec::{Decode, Encode};
use sp_core::sr25519;
use std::{
	sync::atomic::{AtomicU64, Ordering},
	time::{Duration, Instant},
};
use zerog_erasure::storage::{segment_count, verify_segment, FileTree, SEGMENT_SIZE};
use zerog_rpc_api::storage::{
	hash_hex, SegmentJson, SegmentWithProof, StorageApiClient, UploadAnswer, UploadBatch,
	MAX_FILE_SIZE, MAX_SEGMENTS_PER_DOWNLOAD, MAX_SEGMENTS_PER_UPLOAD,
};
use zerog_runtime::RuntimeCall;

/// Requests in flight at once: while the node checks one batch the next is on its way.
const CONNECTIONS: usize = 2;

/// The node's data path, if it serves one (`storage_info`).
pub fn data_path(chain: &Chain) -> Option<DataPath> {
	let info = chain.call(chain.rpc().info()).ok()?;
	info.http_port.map(|port| DataPath::new(chain, port))
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
pub fn parse_periods(text: &str) -> CliResult<u32> {
	let bad = || {
		CliError::BadInput(format!(
			"bad --duration {text:?}: use days like 30 or 30d, or hours like 12h"
		))
	};
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
	SegmentWithProof::from_file(data, tree, index).expect("index inside the file; qed")
}

/// Sends one batch of segments: SCALE over the data path, or hex in
/// `storage_uploadSegments`.
fn send_batch(
	chain: &Chain,
	path: Option<&DataPath>,
	tree: &FileTree,
	segments: Vec<SegmentWithProof>,
) -> CliResult<UploadAnswer> {
	let (root, size) = (tree.root(), tree.size());
	match path {
		Some(path) => {
			let body = UploadBatch { root, size, segments }.encode();
			let answer = path.post("/files/segments", body.into(), |_| {})?.ok()?;
			serde_json::from_slice(&answer).map_err(|e| {
				DataPathError::Malformed(format!("bad /files/segments answer: {e}")).into()
			})
		},
		None => {
			let segments = segments
				.into_iter()
				.map(|s| SegmentJson {
					index: s.index,
					data: s.data.into(),
					proof: s.proof.siblings.iter().map(hash_hex).collect(),
				})
				.collect();
			Ok(chain.call(chain.rpc().upload_segments(hash_hex(&root), size, segments))?)
		},
	}
}

/// Sends every segment of `data`, in batches on [`CONNECTIONS`] requests at a time. Returns
/// the node's summed (verify, disk) microseconds.
pub fn send_segments(
	chain: &Chain,
	data: &[u8],
	tree: &FileTree,
	progress: &Progress,
) -> CliResult<(u64, u64)> {
	let count = segment_count(data.len() as u64);
	let path = data_path(chain);
	let batch = if path.is_some() { MAX_SEGMENTS_PER_UPLOAD as u64 } else { 8 };
	let next = AtomicU64::new(0);
	let (sent, verify_us, disk_us) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
	let worker = || -> CliResult<()> {
		loop {
			let from = next.fetch_add(batch, Ordering::SeqCst);
			if from >= count {
				return Ok(());
			}
			let segments: Vec<SegmentWithProof> =
				(from..(from + batch).min(count)).map(|i| segment_of(data, tree, i)).collect();
			let bytes: u64 = segments.iter().map(|s| s.data.len() as u64).sum();
			let answer = send_batch(chain, path.as_ref(), tree, segments)?;
			verify_us.fetch_add(answer.verify_us, Ordering::Relaxed);
			disk_us.fetch_add(answer.disk_us, Ordering::Relaxed);
			let done = sent.fetch_add(bytes, Ordering::Relaxed) + bytes;
			progress.bytes("upload", done, data.len() as u64);
		}
	};
	std::thread::scope(|scope| {
		let workers: Vec<_> = (0..CONNECTIONS).map(|_| scope.spawn(worker)).collect();
		workers
			.into_iter()
			.try_for_each(|w| w.join().expect("upload threads do not panic"))
	})?;
	Ok((verify_us.into_inner(), disk_us.into_inner()))
}

/// Signs and sends `fileStorage.submit` for the file with `tree`, and waits until it is
/// included; returns the time that took. A dispatch failure is an error naming it.
pub fn submit_deal(
	chain: &Chain,
	payer: &sr25519::Pair,
	tree: &FileTree,
	tags: Vec<pallet_storage::Tag>,
	replicas: u32,
	periods: u32,
	timeout: Duration,
	progress: &Progress,
) -> CliResult<Duration> {
	let root = hash_hex(&tree.root());
	let submission = pallet_storage::Submission {
		root: tree.root(),
		size: tree.size(),
		subtrees: tree
			.flow_subtrees()
			.try_into()
			.map_err(|_| CliError::BadInput("too many flow subtrees".into()))?,
		tags: tags.try_into().map_err(|_| CliError::BadInput("too many tags".into()))?,
		replicas,
		periods,
	};
	let call = RuntimeCall::FileStorage(pallet_storage::Call::submit { submission });
	let (_, took) = send_and_include(chain, payer, call, "storage submit", timeout, progress)
		.map_err(|e| match e {
			CliError::TimedOut { after, .. } => {
				CliError::TimedOut { what: format!("submit of {root} not included"), after }
			},
			other => other,
		})?;
	Ok(took)
}

/// Uploads one fragment, submits its deal and waits for its replicas.
pub fn upload_fragment(
	chain: &Chain,
	payer: &sr25519::Pair,
	data: &[u8],
	tags: Vec<pallet_storage::Tag>,
	replicas: u32,
	periods: u32,
	timeout: Duration,
	progress: &Progress,
) -> CliResult<FragmentReport> {
	let t = Instant::now();
	let tree = FileTree::new(data).map_err(|e| CliError::BadInput(format!("{e:?}")))?;
	let hash_ms = t.elapsed().as_millis() as u64;
	let root = hash_hex(&tree.root());
	progress.stage(&format!("hashed {} bytes: root {root}", data.len()));
	let t = Instant::now();
	let (verify_us, disk_us) = send_segments(chain, data, &tree, progress)?;
	let upload_ms = t.elapsed().as_millis() as u64;
	progress.stage(&format!("uploaded {} segments", segment_count(data.len() as u64)));
	let started = Instant::now();
	let included = submit_deal(chain, payer, &tree, tags, replicas, periods, timeout, progress)?;
	let deal = loop {
		let info = chain.call(chain.rpc().file_info(root.clone(), Some(data.len() as u64)))?;
		let seen = info.replicas_seen;
		if seen >= replicas && !info.deals.is_empty() {
			progress.stage(&format!("{seen} replicas seen"));
			break info.deals.last().map(|d| d.deal).unwrap_or_default();
		}
		if started.elapsed() > timeout {
			return Err(CliError::TimedOut {
				what: format!("{root}: {seen} of {replicas} replicas"),
				after: timeout,
			});
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
pub fn upload_file(
	chain: &Chain,
	payer: &sr25519::Pair,
	data: &[u8],
	replicas: u32,
	periods: u32,
	fragment_size: u64,
	timeout: Duration,
	progress: &Progress,
) -> CliResult<Vec<FragmentReport>> {
	if data.is_empty() {
		return Err(CliError::BadInput(
			"the file is empty; a stored file holds at least one byte".into(),
		));
	}
	let fragment = fragment_size.clamp(1, MAX_FILE_SIZE) as usize;
	data.chunks(fragment)
		.map(|part| {
			upload_fragment(chain, payer, part, Vec::new(), replicas, periods, timeout, progress)
		})
		.collect()
}

/// Segments `from..from + n` of the file `root` of `size` bytes: SCALE over the data path,
/// or one by one in hex through `storage_downloadSegment`.
fn fetch_segments(
	chain: &Chain,
	path: Option<&DataPath>,
	(root, size): (&str, u64),
	from: u64,
	n: u64,
) -> CliResult<Vec<SegmentWithProof>> {
	if let Some(path) = path {
		let body = path.get(&format!("/files/{root}/{size}/segments/{from}/{n}"))?.ok()?;
		return Vec::<SegmentWithProof>::decode(&mut &body[..])
			.map_err(|e| DataPathError::Malformed(format!("bad segments: {e}")).into());
	}
	(from..from + n)
		.map(|index| {
			let segment =
				chain.call(chain.rpc().download_segment(root.to_string(), index, Some(size)))?;
			let siblings = segment
				.proof
				.iter()
				.map(|h| zerog_rpc_api::storage::parse_hash(h))
				.collect::<Option<Vec<_>>>()
				.ok_or_else(|| CliError::Mismatch(format!("bad proof of segment {index}")))?;
			Ok(SegmentWithProof {
				index,
				data: segment.data.0,
				proof: zerog_erasure::MerkleProof { index, siblings },
			})
		})
		.collect()
}

/// A file as the commands name it: `0x<root>` or `0x<root>:<size>`. The size tells apart
/// files that share a root (zero padding lets one root stand for several sizes); without it
/// the node picks the size it knows.
pub fn parse_file_ref(text: &str) -> CliResult<(String, Option<u64>)> {
	let text = text.trim();
	match text.split_once(':') {
		None => Ok((text.to_string(), None)),
		Some((root, size)) => {
			let size = size.parse().map_err(|_| {
				CliError::BadInput(format!("{text}: expected 0x<root> or 0x<root>:<size in bytes>"))
			})?;
			Ok((root.to_string(), Some(size)))
		},
	}
}

/// Downloads the file with `root` (and `size`, if known), verifying every segment; returns
/// its bytes.
pub fn download_file(
	chain: &Chain,
	root: &str,
	size: Option<u64>,
	progress: &Progress,
) -> CliResult<Vec<u8>> {
	let info = chain.call(chain.rpc().file_info(root.to_string(), size))?;
	if size.is_some_and(|size| size != info.size) {
		return Err(CliError::Mismatch(format!(
			"asked for {root} of {} bytes, the node answered for {} bytes",
			size.unwrap_or_default(),
			info.size
		)));
	}
	let size = info.size;
	let root_hash = zerog_rpc_api::storage::parse_hash(root)
		.ok_or_else(|| CliError::BadInput(format!("bad root {root}")))?;
	let count = segment_count(size);
	let path = data_path(chain);
	let batch = if path.is_some() { MAX_SEGMENTS_PER_DOWNLOAD } else { 1 };
	let mut out = vec![0u8; size as usize];
	let slots: Vec<(u64, &mut [u8])> =
		out.chunks_mut(SEGMENT_SIZE).enumerate().map(|(i, c)| (i as u64, c)).collect();
	let slots =
		std::sync::Mutex::new(slots.into_iter().collect::<std::collections::BTreeMap<_, _>>());
	let (next, done) = (AtomicU64::new(0), AtomicU64::new(0));
	let worker = || -> CliResult<()> {
		loop {
			let from = next.fetch_add(batch, Ordering::SeqCst);
			if from >= count {
				return Ok(());
			}
			let n = batch.min(count - from);
			let segments = fetch_segments(chain, path.as_ref(), (root, size), from, n)?;
			if segments.len() as u64 != n {
				return Err(CliError::Mismatch(format!(
					"asked for {n} segments from {from}, got {}",
					segments.len()
				)));
			}
			for (k, s) in segments.iter().enumerate() {
				if s.index != from + k as u64 {
					return Err(CliError::Mismatch(format!(
						"segment {} came instead of {}",
						s.index,
						from + k as u64
					)));
				}
				verify_segment(&root_hash, size, s.index, &s.data, &s.proof).map_err(|e| {
					CliError::Mismatch(format!("segment {} failed verification: {e:?}", s.index))
				})?;
				let mut slots = slots.lock().expect("no thread panics holding it; qed");
				let slot = slots.get_mut(&s.index).expect("every index has a slot; qed");
				slot.copy_from_slice(&s.data);
			}
			let bytes: u64 = segments.iter().map(|s| s.data.len() as u64).sum();
			progress.bytes("download", done.fetch_add(bytes, Ordering::Relaxed) + bytes, size);
		}
	};
	std::thread::scope(|scope| {
		let workers: Vec<_> = (0..CONNECTIONS).map(|_| scope.spawn(worker)).collect();
		workers
			.into_iter()
			.try_for_each(|w| w.join().expect("download threads do not panic"))
	})?;
	drop(slots);
	Ok(out)
}
