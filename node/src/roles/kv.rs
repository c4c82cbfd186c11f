//! The KV node role (`--kv`): replays the chain's KV log in order into the KV database
//! (`zerog_storage_service::kv_db`), fetching each entry's file from this node's store or
//! from peers. An entry whose data does not come within the timeout is skipped and recorded,
//! so a lost upload never blocks the stream.

use crate::{
	roles::{context::RoleContext, storage::RunningStorage},
	service::types::FullClient,
};
use pallet_storage::runtime_api::StorageApi;
use sc_client_api::HeaderBackend;
use sc_service::error::Error as ServiceError;
use sp_api::ProvideRuntimeApi;
use std::{
	sync::Arc,
	time::{Duration, Instant},
};
use zerog_erasure::{storage::segment_count, Hash};
use zerog_storage_service::{kv_db::KvDb, StorageService};

/// Largest KV entry file replayed (bigger ones are skipped).
pub const MAX_ENTRY_BYTES: u64 = 16 << 20;
/// KV log entries read per runtime call.
const BATCH: u32 = 64;

/// Why an entry's bytes are not here yet, or never will be.
enum Missing {
	/// Try again until the timeout.
	Retry(String),
	/// Skip now.
	Never(String),
}

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

/// Opens the KV database under `<base>/chains/<chain>/kv` and starts the replay; an
/// entry's data is awaited `timeout` before it is skipped.
pub fn start(
	ctx: &RoleContext,
	storage: &RunningStorage,
	timeout: Duration,
) -> Result<Arc<KvDb>, ServiceError> {
	let db = Arc::new(
		KvDb::open(ctx.config.data_path.join("kv"))
			.map_err(|e| ServiceError::Other(format!("KV database: {e}")))?,
	);
	ctx.spawn.spawn(
		"kv-replay",
		Some("storage"),
		replay(ctx.client.clone(), storage.service.clone(), db.clone(), timeout),
	);
	Ok(db)
}

/// Replays the KV log until the node stops.
async fn replay(
	client: Arc<FullClient>,
	service: Arc<StorageService>,
	db: Arc<KvDb>,
	timeout: Duration,
) {
	let mut waiting: Option<(u64, Instant)> = None;
	loop {
		let best = client.info().best_hash;
		let next = db.next_version();
		let batch = client.runtime_api().kv_log(best, next, BATCH).unwrap_or_default();
		let Some(first) = batch.first() else {
			tokio::time::sleep(Duration::from_secs(1)).await;
			continue;
		};
		// One entry file tagged with several streams has one log entry per stream.
		let same_deal = batch.iter().take_while(|e| e.deal == first.deal).count();
		let tags = batch[..same_deal].iter().map(|e| e.stream).collect::<Vec<_>>();
		let writer: [u8; 32] = first.writer.clone().into();
		let data = match entry_bytes(&service, &first.root, first.size).await {
			Ok(bytes) => Ok(bytes),
			Err(Missing::Never(why)) => Err(why),
			Err(Missing::Retry(why)) => {
				let since = match waiting {
					Some((version, since)) if version == next => since,
					_ => {
						waiting = Some((next, Instant::now()));
						Instant::now()
					},
				};
				if since.elapsed() < timeout {
					tokio::time::sleep(Duration::from_millis(500)).await;
					continue;
				}
				log::warn!(target: "kv", "KV entry {next} (deal {}): no data after {timeout:?}, skipped: {why}", first.deal);
				Err(format!("data unavailable after {}s: {why}", timeout.as_secs()))
			},
		};
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
