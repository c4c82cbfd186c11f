//! Licences: sale, minting, transfer, delegation, and the reward indexes they are paid by.
//!
//! A licence's accrued rewards are `(HolderIndex - licence.holder_index)` plus, while it is
//! delegated, `(operator.reward_index - start)`, where `start` is `licence.operator_index`,
//! or for a licence delegated during an era, the operator's index after that era (see
//! `delegations.rs`; nothing until it is known). Every change of owner or operator pays them
//! out first, so the indexes never mix two owners' or two operators' eras.

use crate::{pallet::*, LicenceId};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		OnUnbalanced,
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Stores a new licence for `owner` with the current indexes; returns its id.
	pub(crate) fn create_licence(owner: T::AccountId) -> LicenceId {
		let id = LicenceCount::<T>::get();
		Licences::<T>::insert(
			id,
			LicenceOf::<T> {
				owner: owner.clone(),
				operator: None,
				holder_index: HolderIndex::<T>::get(),
				operator_index: Zero::zero(),
			},
		);
		LicencesOf::<T>::insert(&owner, id, ());
		LicenceCount::<T>::put(id.saturating_add(1));
		id
	}

	fn ensure_supply() -> DispatchResult {
		let params = Self::params()?;
		ensure!(LicenceCount::<T>::get() < params.max_supply, Error::<T>::SoldOut);
		Ok(())
	}

	pub(crate) fn do_buy_licence(buyer: T::AccountId) -> DispatchResult {
		Self::ensure_supply()?;
		let price = Self::params()?.licence_price;
		let paid = T::Currency::withdraw(
			&buyer,
			price,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::InsufficientBalance)?;
		T::SaleProceeds::on_unbalanced(paid);
		let licence = Self::create_licence(buyer.clone());
		Self::deposit_event(Event::LicenceCreated { licence, owner: buyer, price });
		Ok(())
	}

	pub(crate) fn do_mint_licence(owner: T::AccountId) -> DispatchResult {
		Self::ensure_supply()?;
		let licence = Self::create_licence(owner.clone());
		Self::deposit_event(Event::LicenceCreated { licence, owner, price: Zero::zero() });
		Ok(())
	}

	/// The licence, if `who` owns it.
	fn owned(who: &T::AccountId, id: LicenceId) -> Result<LicenceOf<T>, DispatchError> {
		let licence = Licences::<T>::get(id).ok_or(Error::<T>::UnknownLicence)?;
		ensure!(&licence.owner == who, Error::<T>::NotOwner);
		Ok(licence)
	}

	/// The ids of the licences `owner` holds.
	pub fn licences_of(owner: &T::AccountId) -> alloc::vec::Vec<LicenceId> {
		LicencesOf::<T>::iter_key_prefix(owner).collect()
	}

	/// What licence `id` (`licence`) has accrued since it was last paid: the holder share,
	/// and while it is delegated, the active share of the eras it counted in.
	pub fn accrued(id: LicenceId, licence: &LicenceOf<T>) -> BalanceOf<T> {
		let holder = HolderIndex::<T>::get().saturating_sub(licence.holder_index);
		let active = licence
			.operator
			.as_ref()
			.and_then(|operator| {
				let op = Operators::<T>::get(operator)?;
				let start = match DelegatedIn::<T>::get(id) {
					None => licence.operator_index,
					// Delegated during an era: nothing before the era after it.
					Some(era) => StartIndexes::<T>::get(operator, era)?.0,
				};
				Some(op.reward_index.saturating_sub(start))
			})
			.unwrap_or_default();
		holder.saturating_add(active)
	}

	/// Mints what `licence` accrued to its owner and moves its indexes up to date (the
	/// caller stores the licence). Returns the amount.
	fn pay(id: LicenceId, licence: &mut LicenceOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		let amount = Self::accrued(id, licence);
		licence.holder_index = HolderIndex::<T>::get();
		if let Some(operator) = licence.operator.as_ref() {
			if let Some(op) = Operators::<T>::get(operator) {
				// A licence still waiting for its start index keeps waiting.
				if Self::settle(id, operator) {
					licence.operator_index = op.reward_index;
				}
			}
		}
		if !amount.is_zero() {
			T::Currency::mint_into(&licence.owner, amount)
				.map_err(|_| Error::<T>::CannotPayRewards)?;
			TotalClaimed::<T>::mutate(|c| c.saturating_accrue(amount));
			Self::deposit_event(Event::RewardsClaimed {
				licence: id,
				owner: licence.owner.clone(),
				amount,
			});
		}
		Ok(amount)
	}

	pub(crate) fn do_claim(owner: T::AccountId, id: LicenceId) -> DispatchResult {
		let mut licence = Self::owned(&owner, id)?;
		ensure!(!Self::accrued(id, &licence).is_zero(), Error::<T>::NothingToClaim);
		Self::pay(id, &mut licence)?;
		Licences::<T>::insert(id, licence);
		Ok(())
	}

	pub(crate) fn do_transfer(
		owner: T::AccountId,
		id: LicenceId,
		to: T::AccountId,
	) -> DispatchResult {
		let mut licence = Self::owned(&owner, id)?;
		ensure!(owner != to, Error::<T>::SameOwner);
		Self::pay(id, &mut licence)?;
		licence.owner = to.clone();
		Licences::<T>::insert(id, licence);
		LicencesOf::<T>::remove(&owner, id);
		LicencesOf::<T>::insert(&to, id, ());
		Self::deposit_event(Event::LicenceTransferred { licence: id, from: owner, to });
		Ok(())
	}

	/// Delegates licence `id` to `operator`. Once an era has started, the licence counts for
	/// `operator` from the next era on; leaving its old operator, it stops counting for it in
	/// the eras not finalized yet.
	pub(crate) fn do_delegate(
		owner: T::AccountId,
		id: LicenceId,
		operator: T::AccountId,
	) -> DispatchResult {
		let mut licence = Self::owned(&owner, id)?;
		ensure!(licence.operator.as_ref() != Some(&operator), Error::<T>::AlreadyDelegated);
		Self::pay(id, &mut licence)?;
		if let Some(old) = licence.operator.take() {
			Self::leave(id, &old);
		}
		licence.operator_index = Self::join(id, &operator)?;
		licence.operator = Some(operator.clone());
		Licences::<T>::insert(id, licence);
		Self::deposit_event(Event::LicenceDelegated { licence: id, operator });
		Ok(())
	}

	pub(crate) fn do_undelegate(owner: T::AccountId, id: LicenceId) -> DispatchResult {
		let mut licence = Self::owned(&owner, id)?;
		ensure!(licence.operator.is_some(), Error::<T>::NotDelegated);
		Self::pay(id, &mut licence)?;
		let operator = licence.operator.take().ok_or(Error::<T>::NotDelegated)?;
		Self::leave(id, &operator);
		licence.operator_index = Zero::zero();
		Licences::<T>::insert(id, licence);
		Self::deposit_event(Event::LicenceUndelegated { licence: id, operator });
		Ok(())
	}
}
