//! The storage service: checks uploads against file roots, serves segments (local or from
//! peers), keeps this provider's shard of every live file (replication) and reports what is
//! replicated where.
//!
//! Roles: every node stores what is uploaded to it, as a *staging* copy, and serves it to
//! peers. A node running as a registered provider (`--storage-provider`) also keeps, for
//! every live deal, the segments its shard holds (flow segment index mod `count` = `id`),
//! fetching the ones it lacks from peers: those are its *replica*. A staging copy is
//! dropped once the chain's deal reaches its replica count elsewhere, or after a grace
//! period if no deal for the root lands.

use crate::{
	fetch_backoff::FetchBackoff,
	metrics::Metrics,
	protocol::{holders_per_segment, SegmentFetcher},
	store::{FileKey, FileMeta, Held, Placement, SegmentStore, SegmentWithProof},
};
use parking_lot::{Mutex, RwLock};
use std::{
	collections::HashSet,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, OnceLock,
	},
	time::Instant,
};
use zerog_data_plane::{files::now_secs, holding::HoldingSigner};
use zerog_erasure::{
	storage::{segment_count, verify_segment, SECTORS_PER_SEGMENT},
	Hash,
};

pub use zerog_rpc_api::storage::{MAX_FILE_SIZE, MAX_SEGMENTS_PER_UPLOAD};

/// Most sizes an [`StorageError::AmbiguousRoot`] lists.
pub const MAX_SIZES_LISTED: usize = 8;

/// Errors of the storage service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
	/// The file is larger than [`MAX_FILE_SIZE`].
	#[error("file of {0} bytes is larger than the maximum {MAX_FILE_SIZE}; split it")]
	FileTooLarge(u64),
	/// Files hold at least one byte.
	#[error("a file holds at least one byte")]
	EmptyFile,
	/// More than [`MAX_SEGMENTS_PER_UPLOAD`] segments in one call.
	#[error("{0} segments in one upload; at most {MAX_SEGMENTS_PER_UPLOAD}")]
	TooManySegments(usize),
	/// A segment does not belong to the file (size, index or proof); nothing was stored.
	#[error("segment {0} does not belong to the file: {1}")]
	BadSegment(u64, String),
	/// No such file here, on chain or at any peer.
	#[error("unknown file root")]
	UnknownFile,
	/// The root is known here with several sizes (at most [`MAX_SIZES_LISTED`] are listed):
	/// the caller must say which file it means.
	#[error("the root is known with several sizes ({0:?}): give the file's size")]
	AmbiguousRoot(Vec<u64>),
	/// The segment index is past the file's end.
	#[error("segment index {0} is past the end of the file")]
	BadIndex(u64),
	/// No peer had the segment.
	#[error("no node had segment {0}")]
	SegmentUnavailable(u64),
	/// Disk or task failure.
	#[error("internal error: {0}")]
	Internal(String),
}

fn internal(e: impl core::fmt::Display) -> StorageError {
	StorageError::Internal(e.to_string())
}

/// A provider's shard: segments with flow index mod `count` = `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardRole {
	/// The shard id.
	pub id: u32,
	/// Number of shards (a power of two).
	pub count: u32,
}

impl ShardRole {
	/// Whether flow segment `segment` is in this shard.
	pub fn holds(&self, segment: u64) -> bool {
		self.count > 0 && segment % self.count as u64 == self.id as u64
	}
}

/// A deal whose part in this provider's shard is held here in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeldDeal {
	/// The deal's id.
	pub deal: u64,
	/// The file it is for, as this node recorded it.
	pub key: FileKey,
	/// The file's first sector in the flow, as this node recorded it.
	pub start_sector: u64,
}

/// How an upload call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct UploadOutcome {
	/// Segments checked and kept (new or already held).
	pub accepted: u32,
	/// Segments newly written.
	pub stored: u32,
	/// Microseconds checking proofs.
	pub verify_us: u64,
	/// Microseconds writing to disk.
	pub disk_us: u64,
}

/// What the node knows of a file: here, on chain and at peers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
	/// The record here (`None`: this node never saw the file).
	pub meta: Option<FileMeta>,
	/// File size, from here or a peer.
	pub size: Option<u64>,
	/// Segments of the file.
	pub segments: u64,
	/// Segments held here.
	pub local_segments: u64,
	/// Fewest replica holders of any segment (providers whose shard holds it).
	pub replicas_seen: u32,
	/// Replicas the live deals bought (the largest of them).
	pub replicas_wanted: u32,
	/// Peers that answered they know the file.
	pub peers_knowing: u32,
}

/// Files a node serves from outside its segment store: a KV node's copies of the entries it
/// replayed ([`crate::kv_files`]), kept after their deals end so that KV nodes starting
/// later can replay them too.
pub trait FileSource: Send + Sync {
	/// The whole file `key`, if this source has it.
	fn file(&self, key: &FileKey) -> Option<Vec<u8>>;
}

/// The storage service of one node.
pub struct StorageService {
	store: Arc<SegmentStore>,
	fetcher: OnceLock<Arc<SegmentFetcher>>,
	metrics: Option<Metrics>,
	role: RwLock<Option<ShardRole>>,
	syncing: Mutex<HashSet<FileKey>>,
	/// Files whose missing segments no peer had lately.
	fetch_backoff: Mutex<FetchBackoff<FileKey>>,
	holding_signer: RwLock<Option<Arc<dyn HoldingSigner>>>,
	unplaced_deals: AtomicU64,
	file_source: OnceLock<Arc<dyn FileSource>>,
}

impl StorageService {
	/// A service over `store`.
	pub fn new(store: Arc<SegmentStore>, metrics: Option<Metrics>) -> Self {
		let service = StorageService {
			store,
			fetcher: OnceLock::new(),
			metrics,
			role: RwLock::new(None),
			syncing: Default::default(),
			fetch_backoff: Default::default(),
			holding_signer: RwLock::new(None),
			unplaced_deals: AtomicU64::new(0),
			file_source: OnceLock::new(),
		};
		service.refresh_usage();
		service
	}

	/// Sets the fetcher once the network is up.
	pub fn set_fetcher(&self, fetcher: Arc<SegmentFetcher>) {
		let _ = self.fetcher.set(fetcher);
	}

	/// Sets the source of files served beyond the store (once; a KV node's entries).
	pub fn set_file_source(&self, source: Arc<dyn FileSource>) {
		let _ = self.file_source.set(source);
	}

	/// Segments `indices` of the file `key` from the [`FileSource`], with their proofs,
	/// within the limits of one answer ([`crate::protocol::pick_segments`]); none when the
	/// source lacks the file or holds other bytes under its name.
	pub fn source_segments(
		&self,
		key: &FileKey,
		indices: &[u64],
		limit: u32,
	) -> Vec<SegmentWithProof> {
		let Some(bytes) = self.file_source.get().and_then(|source| source.file(key)) else {
			return Vec::new();
		};
		let tree = match zerog_erasure::FileTree::new(&bytes) {
			Ok(tree) if tree.root() == key.root && bytes.len() as u64 == key.size => tree,
			_ => return Vec::new(),
		};
		crate::protocol::pick_segments(indices, limit, |index| {
			SegmentWithProof::from_file(&bytes, &tree, index)
		})
	}

	/// Sets this node's provider shard (`None`: not a registered provider).
	pub fn set_role(&self, role: Option<ShardRole>) {
		*self.role.write() = role;
	}

	/// Sets the key that signs this provider's answers to holding challenges.
	pub fn set_holding_signer(&self, signer: Arc<dyn HoldingSigner>) {
		*self.holding_signer.write() = Some(signer);
	}

	/// The key that signs holding proofs, if this node is a provider with its key.
	pub fn holding_signer(&self) -> Option<Arc<dyn HoldingSigner>> {
		self.holding_signer.read().clone()
	}

	/// This node's provider shard.
	pub fn role(&self) -> Option<ShardRole> {
		*self.role.read()
	}

	/// Records how many deals the chain follower could not record yet (see
	/// `storage_info.unplacedDeals`).
	pub fn set_unplaced_deals(&self, count: u64) {
		self.unplaced_deals.store(count, Ordering::Relaxed);
		if let Some(m) = &self.metrics {
			m.unplaced_deals.set(count);
		}
	}

	/// Deals the chain follower could not record yet.
	pub fn unplaced_deals(&self) -> u64 {
		self.unplaced_deals.load(Ordering::Relaxed)
	}

	/// The store.
	pub fn store(&self) -> &Arc<SegmentStore> {
		&self.store
	}

	/// The metrics, if Prometheus is on.
	pub fn metrics(&self) -> Option<&Metrics> {
		self.metrics.as_ref()
	}

	/// Updates the store gauges.
	pub fn refresh_usage(&self) {
		if let Some(m) = &self.metrics {
			let usage = self.store.usage();
			m.store_files.set(usage.files);
			m.store_segments.set(usage.segments);
			m.store_bytes.set(usage.bytes);
		}
	}

	/// Checks a file size.
	pub fn check_size(size: u64) -> Result<(), StorageError> {
		match size {
			0 => Err(StorageError::EmptyFile),
			s if s > MAX_FILE_SIZE => Err(StorageError::FileTooLarge(s)),
			_ => Ok(()),
		}
	}

	/// Checks `segments` against the file with `root` and `size` (on both cores), then
	/// stores them. Any bad segment refuses the whole call and stores nothing.
	pub fn upload(
		&self,
		root: &Hash,
		size: u64,
		segments: &[SegmentWithProof],
	) -> Result<UploadOutcome, StorageError> {
		Self::check_size(size)?;
		if segments.len() > MAX_SEGMENTS_PER_UPLOAD {
			return Err(StorageError::TooManySegments(segments.len()));
		}
		let started = Instant::now();
		verify_all(root, size, segments)?;
		let verified = Instant::now();
		let stored = self.store.put(&FileKey::new(*root, size), segments).map_err(internal)?;
		let outcome = UploadOutcome {
			accepted: segments.len() as u32,
			stored,
			verify_us: (verified - started).as_micros() as u64,
			disk_us: verified.elapsed().as_micros() as u64,
		};
		if let Some(m) = &self.metrics {
			m.segments_uploaded.inc_by(stored as u64);
			m.bytes_stored.inc_by(segments.iter().map(|s| s.data.len() as u64).sum());
		}
		self.refresh_usage();
		Ok(outcome)
	}

	/// The file a caller means by `root` and an optional `size`: with a size, that file;
	/// without, the only size this node knows the root with. `None` when this node does not
	/// know the root; `AmbiguousRoot` when it knows it with several sizes.
	///
	/// Several sizes are never resolved by what is held: a file and the same file with zero
	/// bytes appended share a root, so a squatter could upload the longer one and have
	/// size-less downloads return the honest file with trailing zeros.
	pub fn local_key(
		&self,
		root: &Hash,
		size: Option<u64>,
	) -> Result<Option<FileKey>, StorageError> {
		if let Some(size) = size {
			return Ok(Some(FileKey::new(*root, size)));
		}
		match self.store.sizes_of(root).as_slice() {
			[] => Ok(None),
			[(size, _)] => Ok(Some(FileKey::new(*root, *size))),
			sizes => Err(StorageError::AmbiguousRoot(
				sizes.iter().take(MAX_SIZES_LISTED).map(|(size, _)| *size).collect(),
			)),
		}
	}

	/// [`Self::local_key`], or else the size a peer knows the root with (a peer answers for
	/// a root only when it knows one size of it).
	pub async fn key(&self, root: &Hash, size: Option<u64>) -> Result<FileKey, StorageError> {
		if let Some(key) = self.local_key(root, size)? {
			return Ok(key);
		}
		let fetcher = self.fetcher.get().ok_or(StorageError::UnknownFile)?;
		let size = fetcher.have(root, None).await.into_iter().find_map(|(_, answer)| answer.size);
		size.map(|size| FileKey::new(*root, size)).ok_or(StorageError::UnknownFile)
	}

	/// Segment `index` of the file `root` (of `size` bytes, or see [`Self::local_key`]): from
	/// the store, or fetched from a peer (and checked).
	pub async fn segment(
		&self,
		root: &Hash,
		size: Option<u64>,
		index: u64,
	) -> Result<SegmentWithProof, StorageError> {
		let key = self.key(root, size).await?;
		let local = self.store.get(&key, index).map_err(internal)?;
		if let Some(segment) = local {
			return Ok(segment);
		}
		if index >= segment_count(key.size) {
			return Err(StorageError::BadIndex(index));
		}
		let fetcher = self.fetcher.get().ok_or(StorageError::SegmentUnavailable(index))?;
		let mut got = None;
		fetcher.fetch(&key, &[index], &mut |mut batch| got = batch.pop()).await;
		got.ok_or(StorageError::SegmentUnavailable(index))
	}

	/// The segments of the file `key` this node keeps as a replica: those of its shard, for
	/// each live deal of the file.
	pub fn replica_mask(&self, key: &FileKey) -> Option<Held> {
		let role = self.role()?;
		let (meta, _) = self.store.file(key)?;
		replica_segments(&meta, role)
	}

	/// The deals whose part in this provider's shard is non-empty and held here in full, in
	/// id order, with the shard they were computed for: the deals it can acknowledge on
	/// chain. `None` without a role.
	pub fn complete_deals(&self) -> Option<(ShardRole, Vec<HeldDeal>)> {
		let role = self.role()?;
		let mut deals: Vec<HeldDeal> = self
			.store
			.files()
			.into_iter()
			.filter_map(|(key, _)| Some((key, self.store.file(&key)?)))
			.flat_map(|(key, (meta, held))| {
				meta.placements
					.into_iter()
					.filter(move |p| placement_part_held(key.size, p, role, &held))
					.map(move |p| HeldDeal { deal: p.deal, key, start_sector: p.start_sector })
			})
			.collect();
		deals.sort_unstable_by_key(|held| held.deal);
		deals.dedup_by_key(|held| held.deal);
		Some((role, deals))
	}

	/// The segments of the file `key` this node holds as a replica.
	pub fn replica_held(&self, key: &FileKey) -> Held {
		let count = segment_count(key.size);
		let (Some(mask), Some((_, held))) = (self.replica_mask(key), self.store.file(key)) else {
			return Held::empty(count);
		};
		Held::from_indices(count, (0..count).filter(|i| mask.contains(*i) && held.contains(*i)))
	}

	/// What is known of the file `root` (of `size` bytes, or see [`Self::local_key`]) here
	/// and at peers.
	pub async fn report(&self, root: &Hash, size: Option<u64>) -> Result<FileReport, StorageError> {
		let local_key = self.local_key(root, size)?;
		let local = local_key.and_then(|key| self.store.file(&key));
		let asked = local_key.map(|key| key.size);
		let answers = match self.fetcher.get() {
			Some(fetcher) => fetcher.have(root, asked).await,
			None => Vec::new(),
		};
		// The size: this node's, or else the first peer's that knows the file (asked for by
		// size, a peer answers only for that size).
		let size = local.as_ref().map(|(m, _)| m.size).or_else(|| {
			answers
				.iter()
				.find_map(|(_, a)| a.size.filter(|s| asked.is_none_or(|wanted| wanted == *s)))
		});
		let answers: Vec<_> = answers.into_iter().filter(|(_, a)| a.size == size).collect();
		let count = size.map(segment_count).unwrap_or(0);
		let key = size.map(|size| FileKey::new(*root, size));
		let mut replicas = vec![key.map(|key| self.replica_held(&key)).unwrap_or_default()];
		replicas.extend(answers.iter().filter_map(|(_, a)| Held::from_bytes(&a.replica, count)));
		let holders = holders_per_segment(count, &replicas);
		Ok(FileReport {
			replicas_wanted: local
				.as_ref()
				.and_then(|(m, _)| m.placements.iter().map(|p| p.replicas).max())
				.unwrap_or(0),
			local_segments: local.as_ref().map(|(_, h)| h.count()).unwrap_or(0),
			meta: local.map(|(m, _)| m),
			size,
			segments: count,
			replicas_seen: holders.iter().copied().min().unwrap_or(0),
			peers_knowing: answers.len() as u32,
		})
	}

	/// Fetches the segments of the file `key` this provider's shard holds and lacks. Returns
	/// how many were stored. After several tries that got nothing, the file is asked for
	/// less often ([`FetchBackoff`]).
	pub async fn sync_file(&self, key: &FileKey) -> Result<u64, StorageError> {
		let (Some(mask), Some((_, held))) = (self.replica_mask(key), self.store.file(key)) else {
			return Ok(0);
		};
		let count = segment_count(key.size);
		let missing: Vec<u64> =
			(0..count).filter(|i| mask.contains(*i) && !held.contains(*i)).collect();
		if missing.is_empty() {
			return Ok(0);
		}
		let Some(fetcher) = self.fetcher.get() else { return Ok(0) };
		if !self.fetch_backoff.lock().ready(key, Instant::now()) {
			return Ok(0);
		}
		if !self.syncing.lock().insert(*key) {
			return Ok(0);
		}
		let mut stored = 0u64;
		let mut failure = None;
		let fetched = fetcher
			.fetch(key, &missing, &mut |batch| match self.store.put(key, &batch) {
				Ok(n) => stored += n as u64,
				Err(e) => failure = Some(internal(e)),
			})
			.await;
		self.syncing.lock().remove(key);
		// Nobody to ask (at start, before peers connect) says nothing of the file.
		if fetched.peers > 0 {
			self.fetch_backoff.lock().record(key, fetched.fetched, Instant::now());
		}
		if let Some(m) = &self.metrics {
			m.segments_replicated.inc_by(stored);
		}
		if fetched.rejected > 0 {
			log::warn!(target: "storage", "refused {} bad segments of {key} from peers", fetched.rejected);
		}
		self.refresh_usage();
		match failure {
			Some(e) => Err(e),
			None => Ok(stored),
		}
	}

	/// One pass over every file: fetch missing replica segments, drop staging copies that
	/// are replicated enough, and drop uploads whose deal never landed within `grace_secs`.
	pub async fn maintain(&self, grace_secs: u64) {
		let files = self.store.files();
		let known: HashSet<FileKey> = files.iter().map(|(key, _)| *key).collect();
		self.fetch_backoff.lock().retain(|key| known.contains(key));
		for (key, meta) in files {
			if meta.placements.is_empty() {
				if now_secs().saturating_sub(meta.stored_at) > grace_secs {
					log::info!(target: "storage", "dropping upload {key}: no deal landed");
					let _ = self.store.remove(&key);
				}
				continue;
			}
			if let Err(e) = self.sync_file(&key).await {
				log::warn!(target: "storage", "sync of {key}: {e}");
			}
			self.drop_staging_if_replicated(&key, &meta).await;
		}
		self.refresh_usage();
	}

	/// A node that is not a replica of a file keeps its staging copy until the deal's
	/// replica count is seen at other providers, then deletes it.
	///
	/// Only peers' replicas count, and whether this node is a replica is read again after
	/// asking them: a provider whose shard became known meanwhile (at start, before the
	/// chain follower's first step) keeps its copy.
	async fn drop_staging_if_replicated(&self, key: &FileKey, meta: &FileMeta) {
		let count = segment_count(key.size);
		let wanted = meta.placements.iter().map(|p| p.replicas).max().unwrap_or(0);
		let mine = || self.replica_mask(key).map(|m| m.count()).unwrap_or(0);
		if wanted == 0 || mine() != 0 {
			return;
		}
		let Some(fetcher) = self.fetcher.get() else { return };
		let replicas: Vec<Held> = fetcher
			.have(&key.root, Some(key.size))
			.await
			.iter()
			.filter(|(_, a)| a.size == Some(key.size))
			.filter_map(|(_, a)| Held::from_bytes(&a.replica, count))
			.collect();
		let seen = holders_per_segment(count, &replicas).into_iter().min().unwrap_or(0);
		if seen >= wanted && mine() == 0 {
			log::info!(target: "storage", "{key} has {seen} replicas at peers: dropping the staging copy");
			let _ = self.store.remove_segments_keep_meta(key);
		}
	}
}

/// The file's segments in `role`'s shard, over all its placements.
pub fn replica_segments(meta: &FileMeta, role: ShardRole) -> Option<Held> {
	if meta.placements.is_empty() {
		return None;
	}
	let count = segment_count(meta.size);
	Some(Held::from_indices(
		count,
		(0..count).filter(|i| {
			meta.placements
				.iter()
				.any(|p| role.holds(p.start_sector / SECTORS_PER_SEGMENT + i))
		}),
	))
}

/// Whether `role`'s part of one placement of a file of `size` bytes (the file's segments
/// whose flow segment is in the shard) is non-empty and all in `held`.
pub fn placement_part_held(size: u64, placement: &Placement, role: ShardRole, held: &Held) -> bool {
	let first = placement.start_sector / SECTORS_PER_SEGMENT;
	let mut part = (0..segment_count(size)).filter(|i| role.holds(first + i)).peekable();
	part.peek().is_some() && part.all(|i| held.contains(i))
}

/// Checks every segment on all cores; the first bad one is the error.
fn verify_all(root: &Hash, size: u64, segments: &[SegmentWithProof]) -> Result<(), StorageError> {
	let check = |part: &[SegmentWithProof]| -> Result<(), StorageError> {
		for s in part {
			if s.proof.index != s.index {
				return Err(StorageError::BadSegment(s.index, "proof is for another index".into()));
			}
			verify_segment(root, size, s.index, &s.data, &s.proof)
				.map_err(|e| StorageError::BadSegment(s.index, format!("{e:?}")))?;
		}
		Ok(())
	};
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
	if threads < 2 || segments.len() < 2 {
		return check(segments);
	}
	let per = segments.len().div_ceil(threads);
	std::thread::scope(|scope| {
		let handles: Vec<_> =
			segments.chunks(per).map(|part| scope.spawn(move || check(part))).collect();
		handles
			.into_iter()
			.try_for_each(|h| h.join().unwrap_or_else(|_| Err(internal("verify thread panicked"))))
	})
}
