//! The invariants of the pallet's storage, checked by the `try_state` hook (try-runtime) and
//! at the end of every unit test.
//!
//! Pot
//! - the pot holds at least everything it owes: every ledger's unallocated funds, every
//!   sub-account's balance and every open task's escrowed fee.
//!
//! Deposits and bonds
//! - the balance held from each account for [`HoldReason::RecordDeposit`] is exactly the
//!   deposits recorded in its ledger, its sub-accounts and its open tasks;
//! - each service's recorded bond is exactly the balance held from its provider for
//!   [`HoldReason::ServiceBond`].
//!
//! Records
//! - a sub-account's pending refunds never exceed its balance;
//! - every task id is below `NextTaskId`, and every task escrows a non-zero fee;
//! - every service record is one `register_service` or `update_service` would accept.
//!
//! Not checked, because it does not always hold: that a live service's bond is at least
//! `min_bond` (a slash without parameters, or a later rise of `min_bond`, leaves it below).

use crate::pallet::*;
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant listed in the [module documentation](self).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut owed: BalanceOf<T> = Zero::zero();
		let mut deposits = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut add_deposit = |who: T::AccountId, amount: BalanceOf<T>| {
			let held = deposits.entry(who).or_insert_with(Zero::zero);
			*held = held.saturating_add(amount);
		};
		for (user, ledger) in Ledgers::<T>::iter() {
			owed = owed.saturating_add(ledger.available);
			add_deposit(user, ledger.deposit);
		}
		for (user, _, sub) in SubAccounts::<T>::iter() {
			ensure!(
				Self::pending_refunds(&sub) <= sub.balance,
				"A sub-account's pending refunds exceed its balance."
			);
			owed = owed.saturating_add(sub.balance);
			add_deposit(user, sub.deposit);
		}
		let next = NextTaskId::<T>::get();
		for (id, task) in Tasks::<T>::iter() {
			ensure!(id < next, "A task id is not below NextTaskId.");
			ensure!(!task.fee.is_zero(), "A task escrows no fee.");
			owed = owed.saturating_add(task.fee);
			add_deposit(task.user, task.deposit);
		}
		ensure!(
			T::Currency::balance(&Self::pot()) >= owed,
			"The pot holds less than the ledgers, sub-accounts and escrowed task fees."
		);
		for (who, recorded) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::RecordDeposit.into(), &who) == recorded,
				"An account's record deposits differ from the balance held for them."
			);
		}
		for (provider, service) in Services::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ServiceBond.into(), &provider)
					== service.bond,
				"A service's recorded bond differs from the balance held for it."
			);
			ensure!(Self::check_info(&service.info).is_ok(), "A service record is malformed.");
		}
		Ok(())
	}
}
