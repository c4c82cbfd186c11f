//! What alignment nodes need from storage: a draw of a provider, a hold on the providers an
//! era drew, and a slash of one the quorum found faulty. Slashed bonds go to the reward
//! reserve, which pays honest miners.
//!
//! Every provider can be drawn until its unbonding period is over: asking to leave (`unbond`)
//! stops its PoRA rewards but not its checks. A drawn provider cannot withdraw until the era that drew it
//! is finalized, so a faulty one is still there to slash.

use crate::pallet::*;
use codec::{Decode, Encode};
use frame_support::{
	storage::StoragePrefixedMap,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Zero},
	Perbill,
};
use zerog_traits::{ProviderRegistry, SlashProvider};

impl<T: Config> ProviderRegistry<T::AccountId> for Pallet<T> {
	/// A provider drawn from `seed`, unbonding or not: it stays checked for the whole
	/// unbonding period. Once the period is over it is no longer drawn, so that the eras that
	/// drew it release it and it can withdraw (a provider drawn by every era, on a network of
	/// few providers, would otherwise be held for good).
	fn sample(seed: &[u8; 32]) -> Option<T::AccountId> {
		let now = frame_system::Pallet::<T>::block_number();
		zerog_traits::sample_map(
			Providers::<T>::final_prefix(),
			seed,
			Providers::<T>::iter_from,
			Providers::<T>::iter,
			|(who, provider)| {
				provider.unbonding_until.is_none_or(|until| now < until).then_some(who)
			},
		)
	}

	/// The provider's account (an sr25519 key, its node's `zgst` key): its node signs segment
	/// answers with it.
	fn answer_key(who: &T::AccountId) -> Option<[u8; 32]> {
		<[u8; 32]>::decode(&mut &who.encode()[..]).ok()
	}

	/// One more era checks `who`: it cannot withdraw until that era is finalized.
	fn hold_subject(who: &T::AccountId) {
		if Providers::<T>::contains_key(who) {
			SubjectHolds::<T>::mutate(who, |holds| holds.saturating_inc());
		}
	}

	/// An era that checked `who` was finalized.
	fn release_subject(who: &T::AccountId) {
		SubjectHolds::<T>::mutate_exists(who, |holds| {
			let left = holds.unwrap_or_default().saturating_sub(1);
			*holds = (left > 0).then_some(left);
		});
	}
}

impl<T: Config> SlashProvider<T::AccountId> for Pallet<T> {
	/// Moves `fraction` of the provider's bond into the pool and the reward reserve.
	fn slash(who: &T::AccountId, fraction: Perbill) -> u128 {
		let Some(mut provider) = Providers::<T>::get(who) else { return 0 };
		let moved = T::Currency::transfer_on_hold(
			&HoldReason::ProviderBond.into(),
			who,
			&Self::pool(),
			fraction * provider.bond,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_else(|_| Zero::zero());
		if moved.is_zero() {
			return 0;
		}
		provider.bond = provider.bond.saturating_sub(moved);
		Providers::<T>::insert(who, provider);
		RewardReserve::<T>::mutate(|reserve| reserve.saturating_accrue(moved));
		Self::deposit_event(Event::ProviderSlashed { who: who.clone(), slashed: moved });
		moved.unique_saturated_into()
	}
}
