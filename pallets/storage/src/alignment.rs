//! What alignment nodes need from storage: a draw of an active provider and a slash of one
//! the quorum found faulty. Slashed bonds go to the reward reserve, which pays honest miners.

use crate::pallet::*;
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
	/// A provider that is not unbonding, drawn from `seed`.
	fn sample(seed: &[u8; 32]) -> Option<T::AccountId> {
		zerog_traits::sample_map(
			Providers::<T>::final_prefix(),
			seed,
			Providers::<T>::iter_from,
			Providers::<T>::iter,
			|(who, provider)| provider.unbonding_until.is_none().then_some(who),
		)
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
