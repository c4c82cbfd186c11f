//! Acknowledgements of `--storage-provider`: once this node holds its shard's part of a deal,
//! it says so on chain (`fileStorage.acknowledge`), signed with the provider's `zgst` key.
//! Alignment checks a provider only on deals it acknowledged, and PoRA pays a deal's share
//! only to them; a deal nobody acknowledges is voided (issue 31, finding 3).
//!
//! On each finalized block (so that a reorg wastes no fee) the task takes the deals whose
//! part is held here in full ([`StorageService::complete_deals`]), keeps those the chain
//! names the same way at that block (root, size and place in the flow: after a reorg an id
//! may name another file) and does not count as acknowledged yet, drops those sent recently
//! ([`SentAcks`]: a deal sent again backs off), and sends the lowest [`MAX_ACKS_PER_CALL`]
//! in one call, for the shard they were computed for: at most one transaction per block.
//! A provider that is leaving or below the minimum bond sends nothing (the chain would
//! refuse it).

use crate::{
	roles::{own_tx::OwnTransactions, storage::storage_params},
	service::types::{Block, BlockHash, FullClient},
};
use futures::StreamExt;
use pallet_storage::runtime_api::StorageApi;
use sc_client_api::BlockchainEvents;
use sp_api::{ApiExt, ProvideRuntimeApi};
use std::{collections::BTreeMap, sync::Arc};
use zerog_runtime::{AccountId, Balance, BlockNumber, RuntimeCall};
use zerog_storage_service::{service::HeldDeal, FileKey, StorageService};

/// Deals one call names at most (the runtime's `MaxAcksPerCall`).
pub const MAX_ACKS_PER_CALL: usize = 64;
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
	/// The next batch at block `now`: of the `waiting` deals (in id order, not yet counted
	/// on chain), those whose back-off has passed, at most [`MAX_ACKS_PER_CALL`]. Forgets
	/// deals no longer waiting (counted, or ended).
	pub fn batch(&mut self, now: BlockNumber, waiting: &[u64]) -> Vec<u64> {
		self.0.retain(|deal, _| waiting.binary_search(deal).is_ok());
		waiting
			.iter()
			.copied()
			.filter(|deal| {
				self.0
					.get(deal)
					.is_none_or(|(sent, times)| now.saturating_sub(*sent) >= Self::back_off(*times))
			})
			.take(MAX_ACKS_PER_CALL)
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

/// Runs until the node stops: on each finalized block, acknowledges what is complete here.
pub async fn run(client: Arc<FullClient>, service: Arc<StorageService>, tx: OwnTransactions) {
	let account = tx.account().clone();
	let mut sent = SentAcks::default();
	let mut finality = client.finality_notification_stream();
	while let Some(block) = finality.next().await {
		let now = *sp_runtime::traits::Header::number(&block.header);
		let Some((shard, batch)) =
			next_batch(&client, &service, &account, block.hash, now, &mut sent)
		else {
			continue;
		};
		let Ok(deals) = batch.clone().try_into() else { continue };
		let call = RuntimeCall::FileStorage(pallet_storage::Call::acknowledge { deals, shard });
		match tx.submit(call).await {
			Ok(()) => {
				sent.sent(now, &batch);
				if let Some(m) = service.metrics() {
					m.acks_sent.inc_by(batch.len() as u64);
				}
				log::debug!(target: "storage", "acknowledging deals {batch:?}");
			},
			Err(e) => log::warn!(target: "storage", "acknowledgement refused by the pool: {e}"),
		}
	}
}

/// The shard and deals to acknowledge at `at`, or `None` when there are none, the runtime
/// predates acknowledgements, or the provider cannot acknowledge (not registered, leaving,
/// or below the minimum bond).
fn next_batch(
	client: &FullClient,
	service: &StorageService,
	account: &AccountId,
	at: BlockHash,
	now: BlockNumber,
	sent: &mut SentAcks,
) -> Option<(pallet_storage::Shard, Vec<u64>)> {
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
	let waiting: Vec<u64> = uncounted
		.into_iter()
		.filter(|held| {
			api.deal(at, held.deal).ok().flatten().is_some_and(|deal| {
				FileKey::new(deal.root, deal.size) == held.key
					&& deal.start_sector == held.start_sector
			})
		})
		.map(|held| held.deal)
		.collect();
	let batch = sent.batch(now, &waiting);
	(!batch.is_empty()).then_some((shard, batch))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn ack_batches_are_bounded_and_in_deal_order() {
		let mut sent = SentAcks::default();
		let waiting: Vec<u64> = (0..100).filter(|deal| deal % 10 != 0).collect();
		let batch = sent.batch(1, &waiting);
		assert_eq!(batch.len(), MAX_ACKS_PER_CALL);
		assert!(batch.windows(2).all(|w| w[0] < w[1]));
		assert_eq!(batch[0], 1);
	}

	#[test]
	fn a_deal_sent_recently_is_not_sent_again_and_resends_back_off() {
		let mut sent = SentAcks::default();
		assert_eq!(sent.batch(10, &[3, 4]), vec![3, 4]);
		sent.sent(10, &[3, 4]);
		// Deal 4 was counted; 3 is still in flight.
		assert!(sent.batch(12, &[3]).is_empty());
		assert_eq!(sent.batch(10 + RESEND_AFTER_BLOCKS, &[3]), vec![3]);
		sent.sent(15, &[3]);
		// The second resend waits twice as long.
		assert!(sent.batch(15 + RESEND_AFTER_BLOCKS, &[3]).is_empty());
		assert_eq!(sent.batch(15 + 2 * RESEND_AFTER_BLOCKS, &[3]), vec![3]);
		// However often it was refused, a deal is tried at least once a day.
		for _ in 0..40 {
			sent.sent(100, &[3]);
		}
		assert!(sent.batch(100 + MAX_RESEND_AFTER_BLOCKS - 1, &[3]).is_empty());
		assert_eq!(sent.batch(100 + MAX_RESEND_AFTER_BLOCKS, &[3]), vec![3]);
		// A deal no longer waiting (counted, or ended) is forgotten.
		assert!(sent.batch(20, &[]).is_empty());
		assert_eq!(sent.batch(20, &[3]), vec![3]);
	}
}
