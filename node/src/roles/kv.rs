//! The KV node role (`--kv`): replays the chain's KV log in order into the KV database
//! (`zerog_storage_service::kv_db`), fetching each entry's file from this node's store or
//! from peers.
//!
//! The log and the chain's verdicts on the entries' data are read at the finalized block,
//! so that a reorg never leaves an entry applied. Whether an entry is applied or skipped
//! follows its verdict (`zerog_storage_service::kv_replay`): an `Available` entry is awaited
//! however long its bytes take, an `Unavailable` one is skipped without fetching, so that
//! every KV node reaches the same state. Entries without a verdict (written before the
//! runtime kept them) are skipped after `--kv-entry-timeout`, as before. The node keeps the
//! bytes of every entry it replayed (`<base>/chains/<chain>/kv/files`) and serves them to
//! peers, so that KV nodes starting after an entry's deal ended can replay it too.

use crate::{
	roles::{context::RoleContext, storage::RunningStorage},
	service::types::{Block, BlockHash, FullClient},
};
use pallet_storage::{runtime_api::StorageApi, KvData};
use sc_client_api::HeaderBackend;
use sc_service::error::Error as ServiceError;
use sp_api::{ApiExt, ProvideRuntimeApi};
use std::{
	sync::Arc,
	time::{Duration, Instant},
};
use zerog_erasure::{storage::segment_count, Hash};
use zerog_runtime::{AccountId, Balance, BlockNumber};
use zerog_storage_service::{
	kv_db::KvDb,
	kv_files::KvFiles,
	kv_replay::{step, Missing, Step, Verdict},
	FileKey, StorageService,
};

/// Largest KV entry file replayed (bigger ones are skipped).
pub const MAX_ENTRY_BYTES: u64 = 16 << 20;
/// KV log entries read per runtime call.
const BATCH: u32 = 64;

/// The entry file's bytes: from the store, or segment by segment from peers (each checked
/// against the root by the fetcher).
async fn entry_bytes(service: &StorageService, root: &Hash, size: u64) -> Result<Vec<u8>, Missing> {
	if size == 0 || size > MAX_ENTRY_BYTES {
		return Err(Missing::Never(format!(
			"entry file of {size} bytes (at most {MAX_ENTRY_BYTES})"
		)));
	}
	let key = zerog_storage_service::FileKey::new(*root, size);
	if let Ok(Some(bytes)) = service.store().read(&key, 0, size as usize) {
		return Ok(bytes);
	}
	let mut out = Vec::with_capacity(size as usize);
	for index in 0..segment_count(size) {
		let segment = service
			.segment(root, Some(size), index)
			.await
			.map_err(|e| Missing::Retry(e.to_string()))?;
		out.extend_from_slice(&segment.data);
	}
	Ok(out)
}

/// Opens the KV database under `<base>/chains/<chain>/kv` and starts the replay; the data
/// of an entry without a verdict is awaited `timeout` before it is skipped.
pub fn start(
	ctx: &RoleContext,
	storage: &RunningStorage,
	timeout: Duration,
) -> Result<Arc<KvDb>, ServiceError> {
	let dir = ctx.config.data_path.join("kv");
	let db =
		Arc::new(KvDb::open(&dir).map_err(|e| ServiceError::Other(format!("KV database: {e}")))?);
	let files = Arc::new(
		KvFiles::open(dir.join("files"))
			.map_err(|e| ServiceError::Other(format!("KV entry files: {e}")))?,
	);
	storage.service.set_file_source(files.clone());
	ctx.spawn.spawn(
		"kv-replay",
		Some("storage"),
		replay(ctx.client.clone(), storage.service.clone(), db.clone(), files, timeout),
	);
	Ok(db)
}

/// The chain's verdict on `deal`'s data at `at`: `Legacy` when the runtime keeps none
/// (before runtime API v3) or none for this deal.
fn verdict(client: &FullClient, at: BlockHash, deal: u64) -> Result<Verdict, sp_api::ApiError> {
	let api = client.runtime_api();
	if !api
		.has_api_with::<dyn StorageApi<Block, AccountId, Balance, BlockNumber>, _>(at, |v| v >= 3)?
	{
		return Ok(Verdict::Legacy);
	}
	Ok(match api.kv_verdicts(at, vec![deal])?.pop().flatten() {
		None => Verdict::Legacy,
		Some(KvData::Pending { .. }) => Verdict::Pending,
		Some(KvData::Available) => Verdict::Available,
		Some(KvData::Unavailable) => Verdict::Unavailable,
	})
}

/// How often a node waiting on an available entry's bytes says so in its log.
const WAIT_WARNING: Duration = Duration::from_secs(60);
/// The longest pause between two fetches of one entry's bytes.
const MAX_FETCH_PAUSE: Duration = Duration::from_secs(30);

/// The pause before the next try after `failures` failed fetches: 500 ms for the first four,
/// then doubling with each failure, up to [`MAX_FETCH_PAUSE`].
fn fetch_pause(failures: u32) -> Duration {
	let doublings = failures.saturating_sub(4).min(6);
	(Duration::from_millis(500) * (1 << doublings)).min(MAX_FETCH_PAUSE)
}

/// Replays the KV log until the node stops.
async fn replay(
	client: Arc<FullClient>,
	service: Arc<StorageService>,
	db: Arc<KvDb>,
	files: Arc<KvFiles>,
	timeout: Duration,
) {
	// The entry waited on, since when, when the log last said so, and how many fetches of
	// its bytes failed (each doubles the pause before the next, up to [`MAX_FETCH_PAUSE`]).
	let mut waiting: Option<(u64, Instant, Instant, u32)> = None;
	loop {
		let at = client.info().finalized_hash;
		let next = db.next_version();
		let batch = client.runtime_api().kv_log(at, next, BATCH).unwrap_or_default();
		let Some(first) = batch.first() else {
			tokio::time::sleep(Duration::from_secs(1)).await;
			continue;
		};
		// One entry file tagged with several streams has one log entry per stream.
		let same_deal = batch.iter().take_while(|e| e.deal == first.deal).count();
		let tags = batch[..same_deal].iter().map(|e| e.stream).collect::<Vec<_>>();
		let writer: [u8; 32] = first.writer.clone().into();
		let verdict = match verdict(&client, at, first.deal) {
			Ok(verdict) => verdict,
			Err(e) => {
				log::warn!(target: "kv", "KV entry {next}: verdict unreadable: {e}");
				tokio::time::sleep(Duration::from_secs(1)).await;
				continue;
			},
		};
		let fetched = if verdict.needs_bytes() {
			Some(entry_bytes(&service, &first.root, first.size).await)
		} else {
			None
		};
		let (since, warned, failures) = match waiting {
			Some((version, since, warned, failures)) if version == next => {
				(since, warned, failures)
			},
			_ => (Instant::now(), Instant::now(), 0),
		};
		let data = match step(verdict, fetched, since.elapsed(), timeout) {
			Step::Apply(data) => data,
			Step::Wait => {
				let mut warned = warned;
				if verdict == Verdict::Available && warned.elapsed() >= WAIT_WARNING {
					log::warn!(target: "kv", "KV entry {next} (deal {}): the chain says its data is available, still fetching it after {}s", first.deal, since.elapsed().as_secs());
					warned = Instant::now();
				}
				// Peers are asked again with back-off; a pending verdict is read again soon.
				let failures = if verdict.needs_bytes() { failures.saturating_add(1) } else { 0 };
				waiting = Some((next, since, warned, failures));
				tokio::time::sleep(fetch_pause(failures)).await;
				continue;
			},
		};
		match &data {
			// Kept to serve KV nodes that replay this entry after its deal ends.
			Ok(bytes) => {
				if let Err(e) = files.put(&FileKey::new(first.root, first.size), bytes) {
					log::warn!(target: "kv", "KV entry {next}: keeping its file: {e}");
				}
			},
			Err(why) => {
				log::info!(target: "kv", "KV entry {next} (deal {}) skipped: {why}", first.deal)
			},
		}
		waiting = None;
		match db.apply(next, same_deal as u64 - 1, first.deal, writer, tags, data) {
			Ok(outcome) => {
				log::debug!(target: "kv", "KV entry {next} (deal {}): {outcome:?}", first.deal)
			},
			Err(e) => {
				log::error!(target: "kv", "KV database: {e}");
				tokio::time::sleep(Duration::from_secs(5)).await;
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn fetches_of_missing_bytes_back_off_to_half_a_minute() {
		assert_eq!(fetch_pause(0), Duration::from_millis(500));
		assert_eq!(fetch_pause(4), Duration::from_millis(500));
		assert_eq!(fetch_pause(5), Duration::from_secs(1));
		assert_eq!(fetch_pause(9), Duration::from_secs(16));
		assert_eq!(fetch_pause(10), MAX_FETCH_PAUSE);
		assert_eq!(fetch_pause(u32::MAX), MAX_FETCH_PAUSE);
	}
}
