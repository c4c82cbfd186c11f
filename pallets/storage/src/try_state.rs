//! The invariants of the pallet's storage, checked by the `try_state` hook (try-runtime) and
//! at the end of every unit test.
//!
//! Flow
//! - every submission appends to the flow once and opens one deal, so `FlowAppendCount`
//!   equals `NextDealId` and append `i` is deal `i`'s;
//! - `FlowAppends` holds entries `0..FlowAppendCount` (the last one present, none beyond),
//!   and the flow ends where its last append ends.
//!
//! Deals
//! - every deal id is below `NextDealId`; a deal has paid out at most what was paid for it,
//!   and ends after it starts;
//! - a deal's place in the flow is its append's (first sector and subtree sizes);
//! - `DealsByOwner` and `Deals` agree both ways; every deal is queued at its end, and every
//!   queued expiry names a deal that ends then.
//!
//! Pool
//! - the pool account holds at least every deal's unclaimed fee plus the reward reserve.
//!
//! Providers
//! - each provider's recorded bond is exactly the balance held from it for
//!   [`HoldReason::ProviderBond`], and its shard is well formed;
//! - `MinerOwners` and `Providers` agree both ways;
//! - every provider alignment holds (`SubjectHolds`) is a provider, held by at least one era:
//!   a held provider cannot withdraw.
//!
//! Acknowledgements
//! - every deal with holders is live, and lists each provider once;
//! - every acknowledgement deadline is after the current block and before its deal's end,
//!   and names a live deal.
//!
//! KV streams
//! - `KvLog` holds entries `0..KvLogCount` (the last one present, none beyond), and the last
//!   one names an issued deal;
//! - every stream's admin is one of its writers, and every stream with writers has an admin;
//! - every KV verdict names an issued deal; a pending one is queued at its deadline, which is
//!   after the current block, and every queued KV deadline names a verdict pending until then
//!   or already `Available`.
//!
//! PoRA
//! - only the current PoRA epoch and the one before it are kept (`Epochs`, `EpochAnswers`);
//! - `EpochAnswers` counts the answers seen in its epoch.
//!
//! Not checked, because it does not always hold: that seen answers of forgotten epochs are
//! all gone (they are cleared up to `max_answers`, which may have been lowered since).

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{traits::Saturating, TryRuntimeError};

/// Sectors taken by aligned subtrees of the given heights.
fn sectors_of(subtrees: &[(u32, zerog_erasure::Hash)]) -> u64 {
	subtrees
		.iter()
		.map(|(height, _)| 1u64.checked_shl(*height).unwrap_or(u64::MAX))
		.fold(0, u64::saturating_add)
}

impl<T: Config> Pallet<T> {
	/// Checks every invariant listed in the [module documentation](self).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_flow()?;
		Self::try_state_deals()?;
		Self::try_state_pool()?;
		Self::try_state_providers()?;
		Self::try_state_holders()?;
		Self::try_state_kv()?;
		Self::try_state_pora()
	}

	fn try_state_flow() -> Result<(), TryRuntimeError> {
		let appends = FlowAppendCount::<T>::get();
		ensure!(
			appends == NextDealId::<T>::get(),
			"FlowAppendCount differs from NextDealId, though every submission adds one of each."
		);
		let flow_end = match appends.checked_sub(1) {
			None => 0,
			Some(last) => {
				let (start, subtrees) =
					FlowAppends::<T>::get(last).ok_or("The last flow append is missing.")?;
				start.saturating_add(sectors_of(&subtrees))
			},
		};
		ensure!(
			!FlowAppends::<T>::contains_key(appends),
			"A flow append is recorded at or beyond FlowAppendCount."
		);
		ensure!(
			FlowState::<T>::get().length() == flow_end,
			"The flow does not end where its last append ends."
		);
		Ok(())
	}

	fn try_state_deals() -> Result<(), TryRuntimeError> {
		let next = NextDealId::<T>::get();
		for (id, deal) in Deals::<T>::iter() {
			ensure!(id < next, "A deal id is not below NextDealId.");
			ensure!(deal.claimed <= deal.paid, "A deal has paid out more than was paid for it.");
			ensure!(deal.start < deal.end, "A deal does not end after it starts.");
			let (start, subtrees) =
				FlowAppends::<T>::get(id).ok_or("A deal has no flow append.")?;
			ensure!(
				start == deal.start_sector && sectors_of(&subtrees) == deal.sectors,
				"A deal's place in the flow differs from its flow append."
			);
			ensure!(
				DealsByOwner::<T>::contains_key(&deal.owner, id),
				"A deal is missing from its owner's index."
			);
			ensure!(Expiries::<T>::get(deal.end).contains(&id), "A deal is not queued at its end.");
		}
		for (owner, id, ()) in DealsByOwner::<T>::iter() {
			ensure!(
				Deals::<T>::get(id).is_some_and(|deal| deal.owner == owner),
				"DealsByOwner names a deal that its account does not own."
			);
		}
		for (end, ids) in Expiries::<T>::iter() {
			for id in ids {
				ensure!(
					Deals::<T>::get(id).is_some_and(|deal| deal.end == end),
					"An expiry names a deal that does not end then."
				);
			}
		}
		Ok(())
	}

	fn try_state_pool() -> Result<(), TryRuntimeError> {
		let owed = Deals::<T>::iter_values().fold(RewardReserve::<T>::get(), |sum, deal| {
			sum.saturating_add(deal.paid.saturating_sub(deal.claimed))
		});
		ensure!(
			T::Currency::balance(&Self::pool()) >= owed,
			"The pool holds less than the unclaimed fees and the reward reserve."
		);
		Ok(())
	}

	fn try_state_providers() -> Result<(), TryRuntimeError> {
		for (who, provider) in Providers::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProviderBond.into(), &who)
					== provider.bond,
				"A provider's recorded bond differs from the balance held for it."
			);
			ensure!(
				provider.shard.count.is_power_of_two() && provider.shard.id < provider.shard.count,
				"A provider's shard is malformed."
			);
			ensure!(
				MinerOwners::<T>::get(provider.miner_id).as_ref() == Some(&who),
				"A provider's miner id is recorded for another account."
			);
		}
		for (miner_id, who) in MinerOwners::<T>::iter() {
			ensure!(
				Providers::<T>::get(&who).is_some_and(|provider| provider.miner_id == miner_id),
				"A miner id is recorded for an account that is not its provider."
			);
		}
		for (who, holds) in SubjectHolds::<T>::iter() {
			ensure!(holds > 0, "A provider is recorded as held by no era.");
			ensure!(
				Providers::<T>::contains_key(&who),
				"An account alignment holds as a subject is not a provider."
			);
		}
		Ok(())
	}

	fn try_state_holders() -> Result<(), TryRuntimeError> {
		for (id, holders) in Holders::<T>::iter() {
			ensure!(Deals::<T>::contains_key(id), "A deal that is gone has holders.");
			for (i, holding) in holders.iter().enumerate() {
				ensure!(
					!holders[..i].iter().any(|earlier| earlier.who == holding.who),
					"A provider is listed twice among a deal's holders."
				);
			}
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (deadline, ids) in AckDeadlines::<T>::iter() {
			ensure!(deadline > now, "An acknowledgement deadline has passed but is still queued.");
			for id in ids {
				let deal = Deals::<T>::get(id).ok_or("A deadline names a deal that is gone.")?;
				ensure!(deadline < deal.end, "A deal's deadline is not before its end.");
			}
		}
		Ok(())
	}

	fn try_state_kv() -> Result<(), TryRuntimeError> {
		let count = KvLogCount::<T>::get();
		if let Some(last) = count.checked_sub(1) {
			let entry = KvLog::<T>::get(last).ok_or("The last KV log entry is missing.")?;
			ensure!(
				entry.deal < NextDealId::<T>::get(),
				"The last KV log entry names a deal that was never opened."
			);
		}
		ensure!(
			!KvLog::<T>::contains_key(count),
			"A KV log entry is recorded at or beyond KvLogCount."
		);
		for (stream, admin) in StreamAdmins::<T>::iter() {
			ensure!(
				StreamWriters::<T>::contains_key(stream, &admin),
				"A stream's admin is not one of its writers."
			);
		}
		for (stream, _) in StreamWriters::<T>::iter_keys() {
			ensure!(StreamAdmins::<T>::contains_key(stream), "A stream has writers but no admin.");
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (deal, verdict) in KvVerdicts::<T>::iter() {
			ensure!(deal < NextDealId::<T>::get(), "A KV verdict names a deal never opened.");
			if let KvData::Pending { deadline } = verdict {
				ensure!(deadline > now, "A KV verdict is pending past its deadline.");
				ensure!(
					KvDeadlines::<T>::get(deadline).contains(&deal),
					"A pending KV verdict is not queued at its deadline."
				);
			}
		}
		for (deadline, deals) in KvDeadlines::<T>::iter() {
			for deal in deals {
				// Decided `Available` early, it stays queued until its deadline.
				let verdict = KvVerdicts::<T>::get(deal);
				ensure!(
					verdict == Some(KvData::Pending { deadline })
						|| verdict == Some(KvData::Available),
					"A KV deadline names a verdict that is neither pending then nor available."
				);
			}
		}
		Ok(())
	}

	fn try_state_pora() -> Result<(), TryRuntimeError> {
		let current = CurrentPoraEpoch::<T>::get();
		let kept = |epoch: EpochIndex| epoch <= current && epoch.saturating_add(1) >= current;
		for epoch in Epochs::<T>::iter_keys() {
			ensure!(kept(epoch), "A PoRA epoch other than the current and previous one is kept.");
		}
		for (epoch, answers) in EpochAnswers::<T>::iter() {
			ensure!(kept(epoch), "Answers are counted for a PoRA epoch that is no longer kept.");
			ensure!(
				SeenAnswers::<T>::iter_key_prefix(epoch).count() as u32 == answers,
				"EpochAnswers differs from the number of answers seen in its epoch."
			);
		}
		Ok(())
	}
}
