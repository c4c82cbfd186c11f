//! The ledger: deposits, withdrawals, sub-accounts, refunds and signer acknowledgement.
//!
//! Every balance here is an amount owed by the pot: deposits move real funds into the pot,
//! withdrawals, settlements and task payments move them out; everything else is bookkeeping.

use crate::pallet::*;
use crate::types::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Precision, Preservation},
	},
	BoundedVec,
};
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Holds a record's storage deposit from `who`.
	pub(crate) fn hold_record_deposit(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&HoldReason::RecordDeposit.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	/// Gives a record's storage deposit back.
	pub(crate) fn release_record_deposit(who: &T::AccountId, amount: BalanceOf<T>) {
		let _ = T::Currency::release(
			&HoldReason::RecordDeposit.into(),
			who,
			amount,
			Precision::BestEffort,
		);
	}

	/// Pays `amount` out of the pot to `to`.
	pub(crate) fn pay_out(to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(&Self::pot(), to, amount, Preservation::Preserve).map(|_| ())
	}

	/// The sum of a sub-account's pending refunds.
	pub fn pending_refunds(sub: &SubAccountOf<T>) -> BalanceOf<T> {
		sub.refunds
			.iter()
			.fold(Zero::zero(), |sum: BalanceOf<T>, r| sum.saturating_add(r.amount))
	}

	/// Shrinks pending refunds, newest first, by up to `amount`; returns how much was cut.
	pub(crate) fn cut_refunds(sub: &mut SubAccountOf<T>, amount: BalanceOf<T>) -> BalanceOf<T> {
		let mut left = amount;
		while !left.is_zero() {
			let Some(last) = sub.refunds.last_mut() else { break };
			if last.amount <= left {
				left -= last.amount;
				sub.refunds.pop();
			} else {
				last.amount -= left;
				left = Zero::zero();
			}
		}
		amount - left
	}

	/// The sub-account of (user, provider), or a new one that holds the record deposit.
	fn sub_account_or_new(
		user: &T::AccountId,
		provider: &T::AccountId,
	) -> Result<SubAccountOf<T>, sp_runtime::DispatchError> {
		if let Some(sub) = SubAccounts::<T>::get(user, provider) {
			return Ok(sub);
		}
		let deposit = Self::params()?.record_deposit;
		Self::hold_record_deposit(user, deposit)?;
		Ok(SubAccount {
			balance: Zero::zero(),
			refunds: BoundedVec::new(),
			signer: None,
			nonce: 0,
			settled: Zero::zero(),
			deposit,
		})
	}

	pub(crate) fn do_deposit(user: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		let params = Self::params()?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = match Ledgers::<T>::get(&user) {
			Some(ledger) => ledger,
			None => {
				Self::hold_record_deposit(&user, params.record_deposit)?;
				Ledger { available: Zero::zero(), deposit: params.record_deposit }
			},
		};
		ledger.available = ledger.available.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::transfer(&user, &Self::pot(), amount, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ledgers::<T>::insert(&user, ledger);
		Self::deposit_event(Event::Deposited { user, amount });
		Ok(())
	}

	pub(crate) fn do_withdraw(user: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Ledgers::<T>::get(&user).ok_or(Error::<T>::UnknownLedger)?;
		ensure!(ledger.available >= amount, Error::<T>::InsufficientLedger);
		ledger.available -= amount;
		Self::pay_out(&user, amount)?;
		Ledgers::<T>::insert(&user, ledger);
		Self::deposit_event(Event::Withdrawn { user, amount });
		Ok(())
	}

	pub(crate) fn do_transfer_to_provider(
		user: T::AccountId,
		provider: T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::live_service(&provider)?;
		let mut ledger = Ledgers::<T>::get(&user).ok_or(Error::<T>::UnknownLedger)?;
		let mut sub = Self::sub_account_or_new(&user, &provider)?;
		let from_refunds = Self::cut_refunds(&mut sub, amount);
		let from_ledger = amount - from_refunds;
		ensure!(ledger.available >= from_ledger, Error::<T>::InsufficientLedger);
		ledger.available -= from_ledger;
		sub.balance = sub.balance.checked_add(&from_ledger).ok_or(Error::<T>::Overflow)?;
		Ledgers::<T>::insert(&user, ledger);
		SubAccounts::<T>::insert(&user, &provider, sub);
		Self::deposit_event(Event::SubAccountFunded { user, provider, amount, from_refunds });
		Ok(())
	}

	pub(crate) fn do_request_refund(
		user: T::AccountId,
		provider: T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let params = Self::params()?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut sub =
			SubAccounts::<T>::get(&user, &provider).ok_or(Error::<T>::UnknownSubAccount)?;
		let free = sub.balance.saturating_sub(Self::pending_refunds(&sub));
		ensure!(amount <= free, Error::<T>::InsufficientSubAccount);
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(params.refund_delay);
		sub.refunds
			.try_push(Refund { amount, unlock_at })
			.map_err(|_| Error::<T>::TooManyRefunds)?;
		SubAccounts::<T>::insert(&user, &provider, sub);
		Self::deposit_event(Event::RefundRequested { user, provider, amount, unlock_at });
		Ok(())
	}

	pub(crate) fn do_process_refunds(user: T::AccountId, provider: T::AccountId) -> DispatchResult {
		let mut sub =
			SubAccounts::<T>::get(&user, &provider).ok_or(Error::<T>::UnknownSubAccount)?;
		let mut ledger = Ledgers::<T>::get(&user).ok_or(Error::<T>::UnknownLedger)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut due: BalanceOf<T> = Zero::zero();
		sub.refunds.retain(|r| {
			let ripe = r.unlock_at <= now;
			if ripe {
				due = due.saturating_add(r.amount);
			}
			!ripe
		});
		ensure!(!due.is_zero(), Error::<T>::NoRefundDue);
		// Settlement keeps pending refunds within the balance, so this never clips.
		let amount = due.min(sub.balance);
		sub.balance -= amount;
		ledger.available = ledger.available.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		SubAccounts::<T>::insert(&user, &provider, sub);
		Ledgers::<T>::insert(&user, ledger);
		Self::deposit_event(Event::RefundsProcessed { user, provider, amount });
		Ok(())
	}

	pub(crate) fn do_acknowledge_signer(
		user: T::AccountId,
		provider: T::AccountId,
	) -> DispatchResult {
		let service = Self::live_service(&provider)?;
		let mut sub = Self::sub_account_or_new(&user, &provider)?;
		let signer = service.info.signer;
		sub.signer = Some(signer.clone());
		SubAccounts::<T>::insert(&user, &provider, sub);
		Self::deposit_event(Event::SignerAcknowledged { user, provider, signer });
		Ok(())
	}
}
