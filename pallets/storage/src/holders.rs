//! Acknowledgements: which providers hold each deal's data, and voiding the deals whose data
//! reached nobody.
//!
//! A provider acknowledges a deal once its node holds its shard's part of it. Alignment
//! checks a provider only on deals it acknowledged, and PoRA pays a deal's share only to
//! them, so a deal whose data never existed (submitted without an upload) can no longer get
//! an honest provider slashed. With `ack_window > 0` such a deal is voided at its deadline
//! and refunded less `void_fee`.

use crate::{pallet::*, types::*, LOG_TARGET};
use frame_support::{pallet_prelude::*, traits::fungible::Mutate, traits::tokens::Preservation};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The acknowledgement deadline of a deal submitted at `now`, or `None` when
	/// acknowledgements are off: the first block from `now + ack_window` on, within
	/// [`ACK_DEADLINE_SLACK`] blocks, whose deadlines are not full; else `TooManyNewDeals`.
	pub(crate) fn ack_deadline(
		now: BlockNumberFor<T>,
		params: &ParamsOf<T>,
	) -> Result<Option<BlockNumberFor<T>>, Error<T>> {
		if params.ack_window.is_zero() {
			return Ok(None);
		}
		Self::deadline_with_room(now.saturating_add(params.ack_window), |deadline| {
			AckDeadlines::<T>::decode_len(deadline).unwrap_or(0)
		})
		.map(Some)
	}

	/// The first block from `earliest` on, within [`ACK_DEADLINE_SLACK`] blocks, whose queue
	/// (of `queued` deals) is not full; else `TooManyNewDeals`. Filling one block's queue
	/// with junk does not stop submissions.
	pub(crate) fn deadline_with_room(
		earliest: BlockNumberFor<T>,
		queued: impl Fn(&BlockNumberFor<T>) -> usize,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		(0..ACK_DEADLINE_SLACK)
			.map(|extra| earliest.saturating_add(extra.into()))
			.find(|deadline| (queued(deadline) as u32) < T::MaxExpiriesPerBlock::get())
			.ok_or(Error::<T>::TooManyNewDeals)
	}

	/// Whether `who` holds `deal` by an acknowledgement that still counts (made under its
	/// current generation).
	pub fn is_acknowledged(who: &T::AccountId, deal: DealId) -> bool {
		let generation = ProviderGeneration::<T>::get(who);
		Holders::<T>::get(deal)
			.iter()
			.any(|holding| &holding.who == who && holding.generation == generation)
	}

	/// `acknowledge`: records `who` as a holder of each deal its shard touches. `shard` is
	/// the shard the caller's node holds the data of: a shard change that lands first makes
	/// the call fail (`StaleShard`) rather than record the old shard's data as the new one's.
	pub(crate) fn do_acknowledge(
		who: &T::AccountId,
		deals: &[DealId],
		shard: Shard,
	) -> DispatchResult {
		let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let provider = Providers::<T>::get(who).ok_or(Error::<T>::NotProvider)?;
		ensure!(provider.unbonding_until.is_none(), Error::<T>::Unbonding);
		ensure!(provider.bond >= params.min_bond, Error::<T>::BondTooLow);
		ensure!(provider.shard == shard, Error::<T>::StaleShard);
		let generation = ProviderGeneration::<T>::get(who);
		let holding = Holding { who: who.clone(), shard: provider.shard, generation };
		let mut recorded = 0u32;
		for &deal in deals {
			let Some(record) = Deals::<T>::get(deal) else { continue };
			if !provider.shard.touches(record.start_sector, record.size) {
				continue;
			}
			let holders = Holders::<T>::mutate(deal, |holders| {
				match holders.iter_mut().find(|h| &h.who == who) {
					Some(h) if h.generation == generation => return None,
					// An acknowledgement of an older generation: replaced in place.
					Some(h) => *h = holding.clone(),
					None => holders.try_push(holding.clone()).ok()?,
				}
				Some(holders.len() as u32)
			});
			if let Some(holders) = holders {
				recorded += 1;
				Self::deposit_event(Event::DealAcknowledged { deal, who: who.clone(), holders });
				Self::note_kv_holder(deal, &record);
			}
		}
		ensure!(recorded > 0, Error::<T>::NothingAcknowledged);
		Ok(())
	}

	/// At a deal's acknowledgement deadline: voids it if nobody acknowledged it.
	pub(crate) fn void_if_unheld(id: DealId, void_fee: BalanceOf<T>) {
		if Holders::<T>::decode_len(id).unwrap_or(0) > 0 {
			return;
		}
		let Some(deal) = Deals::<T>::take(id) else { return };
		DealsByOwner::<T>::remove(&deal.owner, id);
		Expiries::<T>::mutate(deal.end, |due| due.retain(|d| *d != id));
		let unclaimed = deal.paid.saturating_sub(deal.claimed);
		let fee = void_fee.min(unclaimed);
		let mut refund = unclaimed.saturating_sub(fee);
		let mut to_reserve = fee;
		if !refund.is_zero()
			&& T::Currency::transfer(&Self::pool(), &deal.owner, refund, Preservation::Preserve)
				.is_err()
		{
			// The owner's account is gone and the refund is below the existential deposit:
			// it stays in the pool, for the reward reserve.
			to_reserve = to_reserve.saturating_add(refund);
			refund = Zero::zero();
		}
		RewardReserve::<T>::mutate(|reserve| *reserve = reserve.saturating_add(to_reserve));
		log::debug!(target: LOG_TARGET, "deal {id} voided: nobody acknowledged it");
		Self::deposit_event(Event::DealVoided { deal: id, owner: deal.owner, refund, fee });
	}
}
