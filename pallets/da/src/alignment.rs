//! What alignment nodes need from DA: a draw of a member of the current committee (the
//! operators that hold chunks now, leaving or not) and a slash of a member the quorum found
//! faulty.

use crate::pallet::*;
use codec::{Decode, Encode};
use sp_runtime::{
	traits::{UniqueSaturatedInto, Zero},
	Perbill,
};
use zerog_traits::{ProviderRegistry, SlashProvider};

impl<T: Config> ProviderRegistry<T::AccountId> for Pallet<T> {
	fn sample(seed: &[u8; 32]) -> Option<T::AccountId> {
		let committee = Committees::<T>::get(CurrentEpoch::<T>::get())?;
		if committee.is_empty() {
			return None;
		}
		let start =
			u64::from_le_bytes(seed[..8].try_into().unwrap_or_default()) as usize % committee.len();
		// The first member from the drawn seat on that is still registered. One that started
		// to leave is drawn too: it holds its chunks until it withdraws, and unbonding just
		// before a known draw must not dodge the check.
		(0..committee.len())
			.take(zerog_traits::SAMPLE_TRIES)
			.map(|step| &committee[(start + step) % committee.len()].0)
			.find(|who| Operators::<T>::contains_key(*who))
			.cloned()
	}

	/// The member's operator key (its `zgda` key): its node signs chunk answers with it.
	fn answer_key(who: &T::AccountId) -> Option<[u8; 32]> {
		let operator = Operators::<T>::get(who)?;
		<[u8; 32]>::decode(&mut &operator.key.encode()[..]).ok()
	}
}

impl<T: Config> SlashProvider<T::AccountId> for Pallet<T> {
	/// Moves `fraction` of the operator's bond into the fee pool (as a failed challenge does).
	fn slash(who: &T::AccountId, fraction: Perbill) -> u128 {
		let amount = Self::slash_bond(who, fraction);
		if !amount.is_zero() {
			Self::deposit_event(Event::OperatorSlashed { operator: who.clone(), slashed: amount });
		}
		amount.unique_saturated_into()
	}
}
