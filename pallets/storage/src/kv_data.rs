//! KV data verdicts (issue 31, finding 8): the chain decides whether a KV entry's data
//! exists, so that every KV node applies or skips the same entries.
//!
//! Before, each KV node waited `--kv-entry-timeout` for an entry's bytes and skipped it for
//! good when they came late: two nodes (or one node that restarted, or started after the
//! deal ended) reached different states, and every junk entry stalled every KV node for the
//! timeout. Now a KV entry's deal gets a permanent [`KvData`] verdict: `Pending` at
//! `submit`, `Available` as soon as the providers that acknowledged it hold every segment of
//! its file between them, `Unavailable` at its deadline (`kv_window` blocks) otherwise. KV
//! nodes follow the verdict at the finalized block and never decide on a timer.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use zerog_erasure::storage::{segment_count, SECTORS_PER_SEGMENT};

impl<T: Config> Pallet<T> {
	/// The KV deadline of a KV entry submitted at `now`, or `None` when verdicts are off
	/// (`kv_window` 0): the first block from `now + kv_window` on, within
	/// [`ACK_DEADLINE_SLACK`] blocks, whose KV deadlines are not full; else
	/// `TooManyNewDeals`.
	pub(crate) fn kv_deadline(
		now: BlockNumberFor<T>,
		params: &ParamsOf<T>,
	) -> Result<Option<BlockNumberFor<T>>, Error<T>> {
		if params.kv_window.is_zero() {
			return Ok(None);
		}
		Self::deadline_with_room(now.saturating_add(params.kv_window), |deadline| {
			KvDeadlines::<T>::decode_len(deadline).unwrap_or(0)
		})
		.map(Some)
	}

	/// Whether `shards` hold every segment of a file of `size` bytes whose first sector in
	/// the flow is `start_sector` (file segment `i` is flow segment `start_sector /
	/// SECTORS_PER_SEGMENT + i`, as [`Shard::touches`] counts).
	///
	/// Shard counts are powers of two, so whether a segment is held depends only on its
	/// index modulo the largest count: the first `min(segments, largest count)` segments
	/// decide for the whole file.
	pub fn covers(shards: &[Shard], start_sector: u64, size: u64) -> bool {
		let Some(largest) = shards.iter().map(|shard| shard.count as u64).max() else {
			return false;
		};
		let first = start_sector / SECTORS_PER_SEGMENT;
		let decisive = segment_count(size).min(largest);
		(first..first.saturating_add(decisive))
			.all(|segment| shards.iter().any(|shard| shard.holds(segment)))
	}

	/// Opens the verdict of KV deal `deal`, due at `deadline`.
	pub(crate) fn open_kv_verdict(deal: DealId, deadline: BlockNumberFor<T>) -> DispatchResult {
		KvDeadlines::<T>::mutate(deadline, |due| due.try_push(deal))
			.map_err(|_| Error::<T>::TooManyNewDeals)?;
		KvVerdicts::<T>::insert(deal, KvData::Pending { deadline });
		Ok(())
	}

	/// After `deal` gained a holder: a pending verdict becomes `Available` once its holders'
	/// shards cover the whole file. Every recorded acknowledgement counts, also one whose
	/// provider changed shard since: the verdict says the data reached the providers in
	/// full, not that they keep it (alignment checks that).
	pub(crate) fn note_kv_holder(deal: DealId, record: &DealOf<T>) {
		if !matches!(KvVerdicts::<T>::get(deal), Some(KvData::Pending { .. })) {
			return;
		}
		let shards: alloc::vec::Vec<Shard> =
			Holders::<T>::get(deal).iter().map(|holding| holding.shard).collect();
		if Self::covers(&shards, record.start_sector, record.size) {
			KvVerdicts::<T>::insert(deal, KvData::Available);
			Self::deposit_event(Event::KvDataDecided { deal, available: true });
		}
	}

	/// At a KV deadline: a verdict still pending becomes `Unavailable`.
	pub(crate) fn decide_kv(deal: DealId) {
		if matches!(KvVerdicts::<T>::get(deal), Some(KvData::Pending { .. })) {
			KvVerdicts::<T>::insert(deal, KvData::Unavailable);
			Self::deposit_event(Event::KvDataDecided { deal, available: false });
		}
	}
}
