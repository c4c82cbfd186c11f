//! The DA service: encodes submitted blobs, keeps chunks, fetches missing ones from peers,
//! rebuilds blobs, and does the off-chain worker's heavy work ([`DaHost`]).

use crate::{
	metrics::Metrics,
	protocol::ChunkFetcher,
	store::{ChunkStore, ChunkWithProof},
};
use parking_lot::{Condvar, Mutex};
use std::{
	collections::HashMap,
	sync::{Arc, OnceLock},
	time::{Duration, Instant},
};
use zerog_da_io::{DaHost, FetchStatus};
use zerog_erasure::{
	code_blob, commit_chunks, reconstruct_verified, reencode_verified, BlobCommitment, CodecId,
	ErasureError, Hash, MerkleProof, DATA_CHUNKS, MAX_BLOB_SIZE,
};

/// A rebuild's coding error as the service reports it.
fn coding_error(e: ErasureError) -> DaError {
	match e {
		ErasureError::NotOneCodeword => DaError::BadEncoding,
		e => DaError::Internal(format!("{e:?}")),
	}
}

/// How long [`DaHost::fetch_chunks`] waits for a running fetch before answering `Pending`.
const FETCH_WAIT: Duration = Duration::from_millis(1500);
/// How long after a failed fetch the next one may start.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// Why a DA request failed; the RPC turns these into error objects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaError {
	/// The blob is empty.
	#[error("the blob is empty")]
	EmptyBlob,
	/// The blob exceeds [`MAX_BLOB_SIZE`].
	#[error("the blob is {0} bytes; the most a blob may hold is {MAX_BLOB_SIZE} bytes")]
	BlobTooLarge(u64),
	/// Neither this node nor the chain knows the blob.
	#[error("unknown blob")]
	UnknownBlob,
	/// Fewer than 1,024 chunks could be found here and at peers.
	#[error("only {have} of the {DATA_CHUNKS} chunks needed to rebuild the blob could be found")]
	NotEnoughChunks {
		/// Chunks found.
		have: usize,
	},
	/// The chunk index is not below 3,072.
	#[error("chunk index {0} is out of range (0..3072)")]
	BadIndex(u32),
	/// No peer returned this chunk.
	#[error("no peer returned chunk {0}")]
	ChunkUnavailable(u32),
	/// The committed chunks are not one codeword: rebuilt from any of them, the blob codes to
	/// other chunks. Every reader is refused alike, so no two get different data.
	#[error(
		"the blob's chunks are not one codeword (its submitter committed to a bad encoding); \
		 no reader can get its data"
	)]
	BadEncoding,
	/// Coding or disk failure.
	#[error("internal error: {0}")]
	Internal(String),
}

/// Timings of one submission, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitTimings {
	/// Erasure coding.
	pub encode_ms: u64,
	/// Merkle tree over the coded chunks, and the proofs.
	pub hash_ms: u64,
	/// Writing chunks and proofs to disk.
	pub store_ms: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum JobState {
	Running,
	Done { complete: bool, at: Instant },
}

struct Job {
	state: Mutex<JobState>,
	changed: Condvar,
}

/// The node's DA service. Share it behind an `Arc`.
pub struct DaService {
	store: Arc<ChunkStore>,
	fetcher: OnceLock<Arc<ChunkFetcher>>,
	metrics: Option<Metrics>,
	jobs: Mutex<HashMap<Hash, Arc<Job>>>,
	/// Held by the running repair: one at a time, as each holds `k` chunks, the blob and
	/// its coding in memory (about five times the blob).
	repairing: Mutex<()>,
	runtime: tokio::runtime::Handle,
}

impl DaService {
	/// A service over `store`, running fetches on `runtime`.
	pub fn new(
		store: Arc<ChunkStore>,
		metrics: Option<Metrics>,
		runtime: tokio::runtime::Handle,
	) -> Self {
		let service = DaService {
			store,
			fetcher: OnceLock::new(),
			metrics,
			jobs: Default::default(),
			repairing: Mutex::new(()),
			runtime,
		};
		service.refresh_usage();
		service
	}

	/// Connects the service to the network (once the network is built).
	pub fn set_fetcher(&self, fetcher: Arc<ChunkFetcher>) {
		let _ = self.fetcher.set(fetcher);
	}

	/// The chunk store.
	pub fn store(&self) -> &Arc<ChunkStore> {
		&self.store
	}

	/// The metrics, when Prometheus is enabled.
	pub fn metrics(&self) -> Option<&Metrics> {
		self.metrics.as_ref()
	}

	/// Updates the store gauges.
	pub fn refresh_usage(&self) {
		if let Some(m) = &self.metrics {
			let usage = self.store.usage();
			m.store_blobs.set(usage.blobs);
			m.store_chunks.set(usage.chunks);
			m.store_bytes.set(usage.bytes);
		}
	}

	/// Checks a blob's size before any work.
	pub fn check_size(size: u64) -> Result<(), DaError> {
		match size {
			0 => Err(DaError::EmptyBlob),
			s if s > MAX_BLOB_SIZE as u64 => Err(DaError::BlobTooLarge(s)),
			_ => Ok(()),
		}
	}

	/// Encodes `blob`, stores all its coded chunks and returns the commitment to submit.
	/// Blocking: call from a blocking thread.
	pub fn submit(&self, blob: &[u8]) -> Result<(BlobCommitment, SubmitTimings), DaError> {
		Self::check_size(blob.len() as u64)?;
		let started = Instant::now();
		let codec = CodecId::ReedSolomonSimd;
		let chunks = code_blob(blob, codec).map_err(|e| match e {
			ErasureError::BlobTooLarge { size, .. } => DaError::BlobTooLarge(size),
			ErasureError::EmptyBlob => DaError::EmptyBlob,
			other => DaError::Internal(format!("{other:?}")),
		})?;
		let encode_ms = started.elapsed().as_millis() as u64;
		let hashed = Instant::now();
		let encoded = commit_chunks(chunks, blob.len() as u32, codec);
		let proofs: Vec<MerkleProof> = (0..zerog_erasure::CODED_CHUNKS)
			.map(|i| encoded.proof(i).expect("every coded chunk has a proof"))
			.collect();
		let hash_ms = hashed.elapsed().as_millis() as u64;
		let stored = Instant::now();
		let chunks = proofs.iter().enumerate().map(|(i, p)| (i as u32, encoded.chunk(i as u32), p));
		let added = self
			.store
			.put(&encoded.commitment, chunks)
			.map_err(|e| DaError::Internal(e.to_string()))?;
		let store_ms = stored.elapsed().as_millis() as u64;
		if let Some(m) = &self.metrics {
			m.blobs_submitted.inc();
			m.chunks_stored.inc_by(added as u64);
			m.bytes_stored.inc_by(added as u64 * encoded.chunks.chunk_size as u64);
		}
		self.refresh_usage();
		Ok((encoded.commitment, SubmitTimings { encode_ms, hash_ms, store_ms }))
	}

	/// Rebuilds the blob with `commitment` from local chunks, fetching missing ones from
	/// peers, and checks it codes back to `commitment` ([`DaError::BadEncoding`] if not).
	/// Blocking.
	pub fn rebuild(&self, commitment: &BlobCommitment) -> Result<Vec<u8>, DaError> {
		let chunks = self.gather(commitment)?;
		let parts: Vec<(u32, &[u8])> =
			chunks.iter().map(|c| (c.index, c.chunk.as_slice())).collect();
		reconstruct_verified(commitment, &parts).map_err(coding_error)
	}

	/// Stores chunks `indices` of the blob with `commitment` that are not held here by
	/// rebuilding the blob from any `k` chunks (local, or from peers) and coding it again:
	/// how a committee member that the submitter never served gets its share once the blob
	/// is available. Nothing is stored unless the rebuilt blob codes back to `commitment`
	/// ([`DaError::BadEncoding`]). Returns how many chunks were stored. Blocking.
	pub fn repair(&self, commitment: &BlobCommitment, indices: &[u32]) -> Result<u32, DaError> {
		let _one_at_a_time = self.repairing.lock();
		let missing = self.store.missing(&commitment.root, indices);
		if missing.is_empty() {
			return Ok(0);
		}
		let chunks = self.gather(commitment)?;
		let parts: Vec<(u32, &[u8])> =
			chunks.iter().map(|c| (c.index, c.chunk.as_slice())).collect();
		let encoded = reencode_verified(commitment, &parts).map_err(coding_error)?;
		let proofs: Vec<(u32, MerkleProof)> = missing
			.iter()
			.filter_map(|&index| encoded.proof(index).map(|proof| (index, proof)))
			.collect();
		let added = self
			.store
			.put(
				commitment,
				proofs.iter().map(|(index, proof)| (*index, encoded.chunk(*index), proof)),
			)
			.map_err(|e| DaError::Internal(e.to_string()))?;
		if let Some(m) = &self.metrics {
			m.chunks_stored.inc_by(added as u64);
			m.bytes_stored.inc_by(added as u64 * encoded.chunks.chunk_size as u64);
		}
		self.refresh_usage();
		log::info!(
			target: "da",
			"repaired {added} chunks of {} from a rebuild",
			hex::encode(commitment.root)
		);
		Ok(added)
	}

	/// `k` verified chunks of the blob with `commitment`: local ones first, then from peers.
	fn gather(&self, commitment: &BlobCommitment) -> Result<Vec<ChunkWithProof>, DaError> {
		let root = commitment.root;
		let held = self.store.held(&root);
		let mut chunks: Vec<ChunkWithProof> = Vec::with_capacity(DATA_CHUNKS as usize);
		for index in held {
			if chunks.len() == DATA_CHUNKS as usize {
				break;
			}
			// A chunk damaged on disk must not pass for a bad encoding by the submitter:
			// each is checked like a peer's, and a bad one is fetched again.
			match self.store.get(&root, index) {
				Ok(Some(chunk))
					if commitment.verify_chunk(index, &chunk.chunk, &chunk.proof).is_ok() =>
				{
					chunks.push(chunk)
				},
				Ok(Some(_)) => {
					log::warn!(target: "da", "chunk {index} of {} is damaged on disk", hex::encode(root))
				},
				_ => {},
			}
		}
		if chunks.len() < DATA_CHUNKS as usize {
			let have: std::collections::BTreeSet<u32> = chunks.iter().map(|c| c.index).collect();
			let wanted: Vec<u32> =
				(0..zerog_erasure::CODED_CHUNKS).filter(|i| !have.contains(i)).collect();
			let need = DATA_CHUNKS as usize - chunks.len();
			if let Some(fetcher) = self.fetcher.get() {
				let fetched = self.runtime.block_on(fetcher.fetch(commitment, &wanted, need));
				chunks.extend(fetched.chunks);
			}
		}
		if chunks.len() < DATA_CHUNKS as usize {
			return Err(DaError::NotEnoughChunks { have: chunks.len() });
		}
		Ok(chunks)
	}

	/// Chunk `index` of the blob with `commitment`: local, or from a peer. Blocking.
	pub fn chunk_anywhere(
		&self,
		commitment: &BlobCommitment,
		index: u32,
	) -> Result<ChunkWithProof, DaError> {
		if index >= zerog_erasure::CODED_CHUNKS {
			return Err(DaError::BadIndex(index));
		}
		if let Ok(Some(chunk)) = self.store.get(&commitment.root, index) {
			return Ok(chunk);
		}
		let fetcher = self.fetcher.get().ok_or(DaError::ChunkUnavailable(index))?;
		let fetched = self.runtime.block_on(fetcher.fetch(commitment, &[index], 1));
		fetched.chunks.into_iter().next().ok_or(DaError::ChunkUnavailable(index))
	}

	/// Deletes the chunks of every blob the chain no longer keeps (expired, dropped as
	/// unavailable, or uploaded but never submitted), once they are older than `grace`
	/// seconds. Returns how many blobs were removed. Blocking.
	pub fn prune(&self, chain: &dyn crate::chain::ChainView, grace_secs: u64) -> usize {
		let now = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_secs())
			.unwrap_or_default();
		let mut removed = 0;
		for root in self.store.roots() {
			let young = self
				.store
				.stored_at(&root)
				.is_some_and(|at| now.saturating_sub(at) < grace_secs);
			if young || chain.blob_id(&root).is_some() {
				continue;
			}
			match self.store.remove(&root) {
				Ok(_) => {
					removed += 1;
					log::debug!(target: "da", "pruned blob {}", hex::encode(root));
				},
				Err(e) => log::warn!(target: "da", "pruning {} failed: {e}", hex::encode(root)),
			}
		}
		if removed > 0 {
			self.refresh_usage();
		}
		removed
	}

	/// Starts (unless one runs) a fetch of the chunks of `commitment` not yet held among
	/// `indices`, storing them as they are verified; with `repair`, chunks no peer holds are
	/// then rebuilt ([`DaService::repair`]).
	fn start_fetch(
		self: &Arc<Self>,
		commitment: &BlobCommitment,
		indices: &[u32],
		repair: bool,
	) -> Arc<Job> {
		let mut jobs = self.jobs.lock();
		if let Some(job) = jobs.get(&commitment.root) {
			let state = *job.state.lock();
			match state {
				JobState::Running => return job.clone(),
				JobState::Done { at, .. } if at.elapsed() < RETRY_AFTER => return job.clone(),
				JobState::Done { .. } => {},
			}
		}
		let job = Arc::new(Job { state: Mutex::new(JobState::Running), changed: Condvar::new() });
		jobs.insert(commitment.root, job.clone());
		drop(jobs);
		let (service, commitment, indices, handle) =
			(self.clone(), commitment.clone(), indices.to_vec(), job.clone());
		self.runtime.spawn(async move {
			let missing = service.store.missing(&commitment.root, &indices);
			let complete = match service.fetcher.get() {
				Some(fetcher) if !missing.is_empty() => {
					let fetched = fetcher.fetch(&commitment, &missing, missing.len()).await;
					let got = fetched.chunks.len();
					let stored = {
						let service = service.clone();
						let commitment = commitment.clone();
						tokio::task::spawn_blocking(move || {
							let parts = fetched
								.chunks
								.iter()
								.map(|c| (c.index, c.chunk.as_slice(), &c.proof));
							let bytes: u64 =
								fetched.chunks.iter().map(|c| c.chunk.len() as u64).sum();
							let added = service.store.put(&commitment, parts);
							if let (Ok(added), Some(m)) = (&added, &service.metrics) {
								m.chunks_stored.inc_by(*added as u64);
								m.bytes_stored.inc_by(bytes);
							}
							service.refresh_usage();
							added
						})
						.await
					};
					if let Ok(Err(e)) = &stored {
						log::warn!(target: "da", "storing fetched chunks failed: {e}");
					}
					log::debug!(
						target: "da",
						"fetched {got}/{} chunks of {} from {} peers ({} rejected)",
						missing.len(),
						hex::encode(commitment.root),
						fetched.peers_asked,
						fetched.rejected
					);
					got == missing.len() && matches!(stored, Ok(Ok(_)))
				},
				_ => missing.is_empty(),
			};
			let complete = if complete || !repair {
				complete
			} else {
				let service = service.clone();
				tokio::task::spawn_blocking(move || match service.repair(&commitment, &indices) {
					Ok(_) => true,
					Err(e) => {
						log::warn!(
							target: "da",
							"repairing chunks of {} failed: {e}",
							hex::encode(commitment.root)
						);
						false
					},
				})
				.await
				.unwrap_or(false)
			};
			*handle.state.lock() = JobState::Done { complete, at: Instant::now() };
			handle.changed.notify_all();
		});
		job
	}
}

/// What the DA off-chain worker's host functions call: the node's [`DaService`].
pub struct OffchainHost(pub Arc<DaService>);

impl DaHost for OffchainHost {
	fn fetch_chunks(
		&self,
		_blob: u64,
		commitment: &BlobCommitment,
		indices: &[u32],
	) -> FetchStatus {
		self.hold(commitment, indices, false)
	}

	fn repair_chunks(
		&self,
		_blob: u64,
		commitment: &BlobCommitment,
		indices: &[u32],
	) -> FetchStatus {
		self.hold(commitment, indices, true)
	}

	fn chunk(&self, root: &Hash, index: u32) -> Option<(Vec<u8>, MerkleProof)> {
		self.0.store.get(root, index).ok().flatten().map(|c| (c.chunk, c.proof))
	}
}

impl OffchainHost {
	/// Whether chunks `indices` of `commitment` are held, starting (or waiting a little for)
	/// a fetch, with `repair` a rebuild, when they are not.
	fn hold(&self, commitment: &BlobCommitment, indices: &[u32], repair: bool) -> FetchStatus {
		let service = &self.0;
		if service.store.missing(&commitment.root, indices).is_empty() {
			return FetchStatus::Stored;
		}
		let job = service.start_fetch(commitment, indices, repair);
		// A repair (a whole rebuild) is never waited for: the off-chain worker asks again
		// next block, and its other work (attestations) goes on meanwhile.
		let wait = if repair { Duration::ZERO } else { FETCH_WAIT };
		let mut state = job.state.lock();
		job.changed.wait_while_for(&mut state, |s| *s == JobState::Running, wait);
		let running = *state == JobState::Running;
		drop(state);
		if service.store.missing(&commitment.root, indices).is_empty() {
			FetchStatus::Stored
		} else if running {
			FetchStatus::Pending
		} else {
			FetchStatus::Failed
		}
	}
}

#[cfg(test)]
mod tests;
