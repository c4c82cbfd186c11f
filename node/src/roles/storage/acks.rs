//! Acknowledgements of `--storage-provider`: once this node holds its shard's part of a deal,
//! it says so on chain (`fileStorage.acknowledge`), signed with the provider's `zgst` key.
//! Alignment checks a provider only on deals it acknowledged, and PoRA pays a deal's share
//! only to them; a deal nobody acknowledges is voided (issue 31, finding 3).
//!
//! On each new best block the task works at the finalized block (so that a reorg wastes no
//! fee), or at the best block when finality lags by more than [`FINALITY_LAG_BLOCKS`], or a
//! third of the KV window ([`lag_limit`]; so that a finality stall does not get deals voided
//! or KV entries decided unavailable whose data is here). It takes the deals
//! whose part is held here in full ([`StorageService::complete_deals`]), keeps those the
//! chain names the same way at that block (root, size and place in the flow: after a reorg
//! an id may name another file) and does not count as acknowledged yet, drops those sent
//! recently ([`SentAcks`]: a deal sent again backs off), and sends them newest first (new
//! deals have a deadline, older ones do not or are held already), [`MAX_ACKS_PER_CALL`] per
//! call and up to [`MAX_CALLS_PER_BLOCK`] calls, for the shard they were computed for. A
//! call that is not full waits until its oldest deal has waited a quarter of the window
//! ([`send_now`]), so that a stream of small deals does not cost a fee every block, unless
//! it names a KV entry whose verdict is pending (KV nodes wait on it). A
//! provider that is leaving or below the minimum bond sends nothing (the chain would
//! refuse it).

use crate::{
	roles::{own_tx::OwnTransactions, storage::params::storage_params},
	service::types::{Block, BlockHash, FullClient},
};
use futures::StreamExt;
use pallet_storage::runtime_api::StorageApi;
use sc_client_api::{BlockchainEvents, HeaderBackend};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_runtime::traits::Get;
use std::{collections::BTreeMap, sync::Arc};
use zerog_runtime::{AccountId, Balance, BlockNumber, Runtime, RuntimeCall};
use zerog_storage_service::{service::HeldDeal, FileKey, StorageService};

/// Deals one call names at most (the runtime's `MaxAcksPerCall`).
pub const MAX_ACKS_PER_CALL: usize = 64;
/// Calls sent per block at most: 256 deals, as many as can be submitted in a block.
pub const MAX_CALLS_PER_BLOCK: usize = 4;
/// Finality lag past which the task works at the best block.
pub const FINALITY_LAG_BLOCKS: BlockNumber = 50;
/// How long a call that is not full may wait with acknowledgements off (20 minutes).
pub const IDLE_WAIT_BLOCKS: BlockNumber = 600;
/// Blocks before a deal sent but not yet counted is sent again; each further resend waits
/// twice as long, up to [`MAX_RESEND_AFTER_BLOCKS`] (a deal the chain keeps refusing, for
/// example one with the most holders it may have, costs a fee a day, not one a block).
pub const RESEND_AFTER_BLOCKS: BlockNumber = 5;
/// The longest wait between resends of one deal: a day of 2-second blocks.
pub const MAX_RESEND_AFTER_BLOCKS: BlockNumber = 43_200;

/// Deals sent, when and how many times, so that one in flight is not sent again at once
/// and one the chain keeps refusing backs off.
#[derive(Default)]
pub struct SentAcks(BTreeMap<u64, (BlockNumber, u32)>);

impl SentAcks {
	/// The deals to send at block `now`: of the `waiting` deals (not yet counted on chain,
	/// in the order to send them), those whose back-off has passed. Forgets deals no longer
	/// waiting (counted, or ended).
	pub fn due(&mut self, now: BlockNumber, waiting: &[u64]) -> Vec<u64> {
		self.0.retain(|deal, _| waiting.contains(deal));
		waiting
			.iter()
			.copied()
			.filter(|deal| {
				self.0
					.get(deal)
					.is_none_or(|(sent, times)| now.saturating_sub(*sent) >= Self::back_off(*times))
			})
			.collect()
	}

	/// Records that `deals` were sent at `now`.
	pub fn sent(&mut self, now: BlockNumber, deals: &[u64]) {
		for deal in deals {
			let times = self.0.get(deal).map_or(0, |(_, times)| *times);
			self.0.insert(*deal, (now, times.saturating_add(1)));
		}
	}

	/// Blocks to wait after the `times`-th send.
	fn back_off(times: u32) -> BlockNumber {
		let doublings = times.saturating_sub(1).min(16);
		RESEND_AFTER_BLOCKS.saturating_mul(1 << doublings).min(MAX_RESEND_AFTER_BLOCKS)
	}
}

/// Whether a call of `deals` is sent at `now`: when it is full, or when the oldest deal
/// (submitted at `oldest_start`) has waited a quarter of `ack_window` (or
/// [`IDLE_WAIT_BLOCKS`] with acknowledgements off).
pub fn send_now(
	deals: usize,
	oldest_start: BlockNumber,
	now: BlockNumber,
	ack_window: BlockNumber,
) -> bool {
	let wait = if ack_window == 0 { IDLE_WAIT_BLOCKS } else { ack_window / 4 };
	deals >= MAX_ACKS_PER_CALL || now.saturating_sub(oldest_start) >= wait
}

/// Runs until the node stops: on each new best block, acknowledges what is complete here.
pub async fn run(client: Arc<FullClient>, service: Arc<StorageService>, tx: OwnTransactions) {
	debug_assert_eq!(
		MAX_ACKS_PER_CALL as u32,
		<<Runtime as pallet_storage::Config>::MaxAcksPerCall as Get<u32>>::get()
	);
	let account = tx.account().clone();
	let mut sent = SentAcks::default();
	let mut imports = client.import_notification_stream();
	let mut last: Option<BlockHash> = None;
	while let Some(block) = imports.next().await {
		if !block.is_new_best {
			continue;
		}
		let info = client.info();
		let kv_window = storage_params(&client, info.best_hash).map_or(0, |p| p.kv_window);
		let lag = info.best_number.saturating_sub(info.finalized_number);
		let at = if lag > lag_limit(kv_window) { info.best_hash } else { info.finalized_hash };
		if last == Some(at) {
			continue;
		}
		last = Some(at);
		let Some((shard, calls)) = next_calls(&client, &service, &account, at, &mut sent) else {
			continue;
		};
		for batch in calls {
			let Ok(deals) = batch.clone().try_into() else { continue };
			let call = RuntimeCall::FileStorage(pallet_storage::Call::acknowledge { deals, shard });
			match tx.submit(call).await {
				Ok(_) => {
					sent.sent(info.best_number, &batch);
					if let Some(m) = service.metrics() {
						m.acks_sent.inc_by(batch.len() as u64);
					}
					log::debug!(target: "storage", "acknowledging deals {batch:?}");
				},
				Err(e) => {
					log::warn!(target: "storage", "acknowledgement refused by the pool: {e}");
					break;
				},
			}
		}
	}
}

/// The shard and the calls (deal lists) to send at `at`, or `None` when there are none, the
/// runtime predates acknowledgements, or the provider cannot acknowledge (not registered,
/// leaving, or below the minimum bond).
fn next_calls(
	client: &FullClient,
	service: &StorageService,
	account: &AccountId,
	at: BlockHash,
	sent: &mut SentAcks,
) -> Option<(pallet_storage::Shard, Vec<Vec<u64>>)> {
	let api = client.runtime_api();
	let supported = api
		.has_api_with::<dyn StorageApi<Block, AccountId, Balance, BlockNumber>, _>(at, |v| v >= 2)
		.ok()?;
	let provider = api.provider(at, account.clone()).ok()??;
	let params = storage_params(client, at)?;
	if !supported || provider.unbonding_until.is_some() || provider.bond < params.min_bond {
		return None;
	}
	let (role, complete) = service.complete_deals()?;
	let shard = pallet_storage::Shard { id: role.id, count: role.count };
	// Computed for another shard than the chain's at `at` (a change not followed yet).
	if shard != provider.shard || complete.is_empty() {
		return None;
	}
	let ids: Vec<u64> = complete.iter().map(|held| held.deal).collect();
	// The runtime answers at most 1,024 deals per call.
	let mut counted = Vec::with_capacity(ids.len());
	for chunk in ids.chunks(1024) {
		counted.extend(api.acknowledged(at, account.clone(), chunk.to_vec()).ok()?);
	}
	let uncounted: Vec<&HeldDeal> = complete
		.iter()
		.zip(&counted)
		.filter(|(_, counted)| !**counted)
		.map(|(held, _)| held)
		.collect();
	if let Some(m) = service.metrics() {
		m.unacknowledged_deals.set(uncounted.len() as u64);
	}
	// Newest first, each with the block it was submitted at, if the chain names it as here.
	let waiting: Vec<(u64, BlockNumber)> = uncounted
		.into_iter()
		.rev()
		.filter_map(|held| {
			let deal = api.deal(at, held.deal).ok()??;
			(FileKey::new(deal.root, deal.size) == held.key
				&& deal.start_sector == held.start_sector)
				.then_some((held.deal, deal.start))
		})
		.collect();
	let now = client.header(at).ok()??.number;
	let ids: Vec<u64> = waiting.iter().map(|(deal, _)| *deal).collect();
	let mut due = sent.due(now, &ids);
	// KV entries whose verdict is pending: every KV node waits on them, and they are
	// decided unavailable within `kv_window`, so they go first and at once.
	let kv_pending = kv_pending(client, at, &due);
	due.sort_by_key(|deal| !kv_pending.contains(deal));
	let start_of = |deal: &u64| waiting.iter().find(|(d, _)| d == deal).map_or(now, |(_, s)| *s);
	let calls: Vec<Vec<u64>> = due
		.chunks(MAX_ACKS_PER_CALL)
		.take(MAX_CALLS_PER_BLOCK)
		.filter(|call| {
			let oldest = call.iter().map(start_of).min().unwrap_or(now);
			call.iter().any(|deal| kv_pending.contains(deal))
				|| send_now(call.len(), oldest, now, params.ack_window)
		})
		.map(<[u64]>::to_vec)
		.collect();
	(!calls.is_empty()).then_some((shard, calls))
}

/// The finality lag past which the task works at the best block: [`FINALITY_LAG_BLOCKS`], or
/// a third of `kv_window` when that is less, so that a slow finality does not get honest KV
/// entries decided unavailable.
pub fn lag_limit(kv_window: BlockNumber) -> BlockNumber {
	if kv_window == 0 {
		FINALITY_LAG_BLOCKS
	} else {
		FINALITY_LAG_BLOCKS.min(kv_window / 3).max(1)
	}
}

/// Which of `deals` are KV entries whose verdict is still pending at `at` (none before
/// runtime API v3).
fn kv_pending(client: &FullClient, at: BlockHash, deals: &[u64]) -> Vec<u64> {
	let api = client.runtime_api();
	let supported = api
		.has_api_with::<dyn StorageApi<Block, AccountId, Balance, BlockNumber>, _>(at, |v| v >= 3)
		.unwrap_or(false);
	if !supported {
		return Vec::new();
	}
	deals
		.chunks(1024)
		.filter_map(|chunk| {
			Some(chunk.iter().copied().zip(api.kv_verdicts(at, chunk.to_vec()).ok()?))
		})
		.flatten()
		.filter(|(_, verdict)| matches!(verdict, Some(pallet_storage::KvData::Pending { .. })))
		.map(|(deal, _)| deal)
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn due_deals_keep_their_order_and_calls_wait_until_full_or_old_enough() {
		let mut sent = SentAcks::default();
		let waiting: Vec<u64> = (0..100).rev().collect();
		assert_eq!(sent.due(1, &waiting), waiting);
		// A full call goes at once; a short one waits a quarter of the window (or 600
		// blocks with acknowledgements off).
		assert!(send_now(MAX_ACKS_PER_CALL, 100, 100, 3600));
		assert!(!send_now(1, 100, 100 + 899, 3600));
		assert!(send_now(1, 100, 100 + 900, 3600));
		assert!(!send_now(1, 100, 100 + IDLE_WAIT_BLOCKS - 1, 0));
		assert!(send_now(1, 100, 100 + IDLE_WAIT_BLOCKS, 0));
	}

	#[test]
	fn a_short_kv_window_moves_the_task_to_the_best_block_sooner() {
		assert_eq!(lag_limit(0), FINALITY_LAG_BLOCKS);
		assert_eq!(lag_limit(30), 10);
		assert_eq!(lag_limit(10), 3);
		assert_eq!(lag_limit(1), 1);
		assert_eq!(lag_limit(10_000), FINALITY_LAG_BLOCKS);
	}

	#[test]
	fn a_deal_sent_recently_is_not_sent_again_and_resends_back_off() {
		let mut sent = SentAcks::default();
		assert_eq!(sent.due(10, &[3, 4]), vec![3, 4]);
		sent.sent(10, &[3, 4]);
		// Deal 4 was counted; 3 is still in flight.
		assert!(sent.due(12, &[3]).is_empty());
		assert_eq!(sent.due(10 + RESEND_AFTER_BLOCKS, &[3]), vec![3]);
		sent.sent(15, &[3]);
		// The second resend waits twice as long.
		assert!(sent.due(15 + RESEND_AFTER_BLOCKS, &[3]).is_empty());
		assert_eq!(sent.due(15 + 2 * RESEND_AFTER_BLOCKS, &[3]), vec![3]);
		// However often it was refused, a deal is tried at least once a day.
		for _ in 0..40 {
			sent.sent(100, &[3]);
		}
		assert!(sent.due(100 + MAX_RESEND_AFTER_BLOCKS - 1, &[3]).is_empty());
		assert_eq!(sent.due(100 + MAX_RESEND_AFTER_BLOCKS, &[3]), vec![3]);
		// A deal no longer waiting (counted, or ended) is forgotten.
		assert!(sent.due(20, &[]).is_empty());
		assert_eq!(sent.due(20, &[3]), vec![3]);
	}
}
