//! PoRA on chain: epochs (context, flow root, target), checking answers and paying wins.
//!
//! Checks of an answer, in order (each failing one is its own error): the caller owns the
//! miner id; the caller is not unbonding and its bond is at least `min_bond` (a provider on
//! its way out, or slashed below the minimum, earns no more); the epoch is the current one;
//! the epoch still takes answers; (epoch, miner, nonce) is new; the unit is in the miner's
//! shard and is the one the try recalls; the sealed unit is 4 KiB; unsealed, it proves to
//! the epoch's flow root; its quality is at most target / shard count; a deal is named
//! (`NoCoveringDeal`), is live and covers the unit; with acknowledgements on, the caller
//! acknowledged it.
//!
//! A win is paid `reward_share` of the deal's claimable fees plus `base_reward` from the
//! reserve. Flow padding, the sectors of expired deals and any other range no live deal
//! pays for earn nothing: a miner cannot be paid for data nobody stores. Each epoch's target moves toward `target_answers` wins
//! ([`zerog_erasure::pora::next_target`]).

use crate::{pallet::*, types::*, LOG_TARGET};
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation, Randomness},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use zerog_erasure::{
	pora::{self, SEAL_UNIT_SIZE, SECTORS_PER_UNIT, UNITS_PER_SEGMENT},
	storage::sector_count,
};

impl<T: Config> Pallet<T> {
	/// Starts PoRA epoch `epoch`: fixes its context and flow root, moves the target.
	pub(crate) fn start_pora_epoch(epoch: EpochIndex, params: &ParamsOf<T>) {
		let previous = epoch.checked_sub(1);
		let target = match previous.and_then(Epochs::<T>::get) {
			Some(info) => pora::next_target(
				info.target,
				EpochAnswers::<T>::get(previous.unwrap_or_default()),
				params.target_answers,
			),
			None => InitialTarget::<T>::get(),
		};
		let flow = FlowState::<T>::get();
		let (random, _) = T::Randomness::random(&(b"zerog-pora-epoch", epoch).encode());
		let (flow_root, flow_length) = (flow.root(), flow.length());
		let context = pora::epoch_context(random.as_ref(), &flow_root, flow_length);
		Epochs::<T>::insert(epoch, EpochInfo { context, flow_root, flow_length, target });
		CurrentPoraEpoch::<T>::put(epoch);
		// Answers of older epochs can no longer come: forget them.
		if let Some(old) = epoch.checked_sub(2) {
			Epochs::<T>::remove(old);
			EpochAnswers::<T>::remove(old);
			let _ = SeenAnswers::<T>::clear_prefix(old, params.max_answers, None);
		}
		log::debug!(target: LOG_TARGET, "PoRA epoch {epoch}: {flow_length} sectors, target {target}");
		Self::deposit_event(Event::PoraEpochStarted { epoch, flow_length, target });
	}

	/// Checks `answer` from `who`; returns the deal to pay from.
	pub(crate) fn check_pora(
		who: &T::AccountId,
		answer: &PoraAnswer,
		params: &ParamsOf<T>,
	) -> Result<(DealId, DealOf<T>), Error<T>> {
		let provider = Providers::<T>::get(who).ok_or(Error::<T>::NotProvider)?;
		ensure!(provider.miner_id == answer.miner_id, Error::<T>::NotMinerOwner);
		ensure!(provider.unbonding_until.is_none(), Error::<T>::Unbonding);
		ensure!(provider.bond >= params.min_bond, Error::<T>::BondTooLow);
		ensure!(answer.epoch == CurrentPoraEpoch::<T>::get(), Error::<T>::StaleEpoch);
		let info = Epochs::<T>::get(answer.epoch).ok_or(Error::<T>::StaleEpoch)?;
		ensure!(
			EpochAnswers::<T>::get(answer.epoch) < params.max_answers,
			Error::<T>::TooManyAnswers
		);
		ensure!(
			!SeenAnswers::<T>::contains_key(answer.epoch, (answer.miner_id, answer.nonce)),
			Error::<T>::DuplicateAnswer
		);
		ensure!(provider.shard.holds(answer.unit / UNITS_PER_SEGMENT), Error::<T>::OutsideShard);
		let recalled = pora::recall_unit(
			&info.context,
			&answer.miner_id,
			&answer.nonce,
			info.flow_length,
			provider.shard.id,
			provider.shard.count,
		);
		ensure!(recalled == Some(answer.unit), Error::<T>::WrongRecall);
		let sealed: [u8; SEAL_UNIT_SIZE] =
			answer.sealed.as_slice().try_into().map_err(|_| Error::<T>::BadSealedData)?;
		let mut data = sealed;
		pora::unseal(&answer.miner_id, answer.unit, &mut data);
		ensure!(answer.proof.index == answer.unit, Error::<T>::BadProof);
		pora::verify_unit(&info.flow_root, info.flow_length, &data, &answer.proof)
			.map_err(|_| Error::<T>::BadProof)?;
		let quality = pora::quality(&info.context, &answer.miner_id, &answer.nonce, &sealed);
		ensure!(pora::wins(quality, info.target, provider.shard.count), Error::<T>::NotAWin);
		// Only data someone pays to keep earns: flow padding, expired deals' sectors and
		// every other range without a live deal would pay the base reward to a miner that
		// stores nothing (issue 33).
		let id = answer.deal.ok_or(Error::<T>::NoCoveringDeal)?;
		let deal = Deals::<T>::get(id).ok_or(Error::<T>::UnknownDeal)?;
		// The unit starts in the file's own sectors: the zeros that round a file up to its
		// flow subtrees (up to a sixteenth of it) are padding too.
		let sector = answer.unit.saturating_mul(SECTORS_PER_UNIT);
		let data_end = deal.start_sector.saturating_add(sector_count(deal.size));
		ensure!(sector >= deal.start_sector && sector < data_end, Error::<T>::DealDoesNotCover);
		// A win goes only to a provider that can be checked on the deal.
		ensure!(
			params.ack_window.is_zero() || Self::is_acknowledged(who, id),
			Error::<T>::NotAcknowledged
		);
		Ok((id, deal))
	}

	/// Pays a win: the deal's share and the base reward, from the pool.
	pub(crate) fn pay_win(
		who: &T::AccountId,
		(id, mut record): (DealId, DealOf<T>),
		params: &ParamsOf<T>,
		now: BlockNumberFor<T>,
	) -> (BalanceOf<T>, BalanceOf<T>) {
		let share = params.reward_share * Self::claimable(&record, now);
		record.claimed = record.claimed.saturating_add(share);
		Deals::<T>::insert(id, record);
		let reserve = RewardReserve::<T>::get();
		let base = params.base_reward.min(reserve);
		RewardReserve::<T>::put(reserve.saturating_sub(base));
		let total = share.saturating_add(base);
		if !total.is_zero() {
			// The pool holds every unclaimed fee and the reserve, so this cannot fail short
			// of a bug; the accounting above is what the issuance test checks.
			if let Err(e) = T::Currency::transfer(&Self::pool(), who, total, Preservation::Preserve)
			{
				log::error!(target: LOG_TARGET, "PoRA reward transfer failed: {e:?}");
			}
		}
		(share, base)
	}
}
