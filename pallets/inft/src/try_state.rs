//! The invariants of the pallet's storage, checked by the `try_state` hook (try-runtime) and
//! at the end of every unit test.
//!
//! - every token id is below `NextTokenId`;
//! - authorization lists exist only for tokens that exist, are never stored empty, and name
//!   each user once;
//! - the balance held from each account for [`HoldReason::Deposit`] is exactly the deposits
//!   it owes: the recorded deposit of every token it is the depositor of, an
//!   `AuthorizationDeposit` per user authorized on each token it owns, and an
//!   `AssistantDeposit` if it has an assistant.
//!
//! Not checked, because it does not always hold: that a token's recorded deposit is what
//! `token_deposit` gives for it today (the deposit is recorded so that a change of the
//! deposit constants does not touch existing tokens).

use crate::pallet::*;
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant listed in the [module documentation](self).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextTokenId::<T>::get();
		let mut owed = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut add_owed = |who: T::AccountId, amount: BalanceOf<T>| {
			let held = owed.entry(who).or_insert_with(Zero::zero);
			*held = held.saturating_add(amount);
		};
		for (id, token) in Tokens::<T>::iter() {
			ensure!(id < next, "A token id is not below NextTokenId.");
			let users = Authorizations::<T>::decode_len(id).unwrap_or(0) as u32;
			add_owed(token.depositor, token.deposit);
			add_owed(token.owner, T::AuthorizationDeposit::get().saturating_mul(users.into()));
		}
		for (id, users) in Authorizations::<T>::iter() {
			ensure!(Tokens::<T>::contains_key(id), "Authorizations outlived their token.");
			ensure!(!users.is_empty(), "An empty authorization list is stored.");
			for (i, user) in users.iter().enumerate() {
				ensure!(
					!users.iter().skip(i + 1).any(|other| other == user),
					"A user is authorized twice on one token."
				);
			}
		}
		for who in Assistants::<T>::iter_keys() {
			add_owed(who, T::AssistantDeposit::get());
		}
		for (who, deposits) in owed {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Deposit.into(), &who) == deposits,
				"An account's deposits differ from the balance held for them."
			);
		}
		Ok(())
	}
}
