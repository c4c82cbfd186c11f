//! The invariants of the pallet's storage, checked by the `try_state` hook (try-runtime) and
//! at the end of every unit test.
//!
//! Licences
//! - licences are never burnt: their ids are exactly `0..LicenceCount`, and with parameters
//!   set, at most `max_supply` exist;
//! - `LicencesOf` and the licences' owners agree both ways;
//! - an operator record exists exactly for the accounts licences are delegated to, and counts
//!   those licences.
//!
//! Rewards
//! - what eras accrued is exactly what was claimed plus what licences can still claim:
//!   `TotalAccrued == TotalClaimed + sum of accrued(licence)`.
//!
//! Eras
//! - the current era has a record, and no era after it does; the era being revealed is
//!   before the current one and has a record;
//! - `CommitmentCount` counts each era's commitments, at most `MaxReporters`, and
//!   commitments exist only for eras with a record;
//! - every revealed report has a commitment and one verdict per subject of its era;
//! - a finalized era (one with an outcome) has no record left.
//!
//! Not checked, because it does not always hold: that only the current era and the one being
//! revealed have records (a parameter change that shortens eras can leave an era whose reveal
//! window never closes).

use crate::{pallet::*, EraIndex};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::Get};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant listed in the [module documentation](self).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_licences()?;
		Self::try_state_rewards()?;
		Self::try_state_eras()
	}

	fn try_state_licences() -> Result<(), TryRuntimeError> {
		let count = LicenceCount::<T>::get();
		if let Some(params) = Params::<T>::get() {
			ensure!(count <= params.max_supply, "More licences exist than max_supply allows.");
		}
		let mut licences = 0u32;
		let mut delegated = BTreeMap::<T::AccountId, u32>::new();
		for (id, licence) in Licences::<T>::iter() {
			licences.saturating_inc();
			ensure!(id < count, "A licence id is not below LicenceCount.");
			ensure!(
				LicencesOf::<T>::contains_key(&licence.owner, id),
				"A licence is missing from its owner's index."
			);
			if let Some(operator) = licence.operator {
				delegated.entry(operator).or_default().saturating_inc();
			}
		}
		ensure!(licences == count, "LicenceCount differs from the number of licences.");
		for (owner, id, ()) in LicencesOf::<T>::iter() {
			ensure!(
				Licences::<T>::get(id).is_some_and(|licence| licence.owner == owner),
				"LicencesOf names a licence that its account does not own."
			);
		}
		for (operator, record) in Operators::<T>::iter() {
			ensure!(record.licences > 0, "An operator record without licences is kept.");
			ensure!(
				delegated.remove(&operator) == Some(record.licences),
				"An operator's licence count differs from the licences delegated to it."
			);
		}
		ensure!(delegated.is_empty(), "A licence is delegated to an account without a record.");
		Ok(())
	}

	fn try_state_rewards() -> Result<(), TryRuntimeError> {
		let claimable = Licences::<T>::iter_values()
			.fold(BalanceOf::<T>::zero(), |sum, licence| {
				sum.saturating_add(Self::accrued(&licence))
			});
		ensure!(
			TotalClaimed::<T>::get().saturating_add(claimable) == TotalAccrued::<T>::get(),
			"Claimed and claimable rewards do not add up to what the eras accrued."
		);
		Ok(())
	}

	fn try_state_eras() -> Result<(), TryRuntimeError> {
		let current = CurrentEra::<T>::get();
		if let Some(era) = current {
			ensure!(Eras::<T>::contains_key(era), "The current era has no record.");
		}
		for era in Eras::<T>::iter_keys() {
			ensure!(
				current.is_some_and(|current| era <= current),
				"An era that has not started has a record."
			);
		}
		if let Some((era, _)) = Revealing::<T>::get() {
			ensure!(
				current.is_some_and(|current| era < current),
				"The era being revealed is not before the current one."
			);
			ensure!(Eras::<T>::contains_key(era), "The era being revealed has no record.");
		}
		let mut commitments = BTreeMap::<EraIndex, u32>::new();
		for (era, _) in Commitments::<T>::iter_keys() {
			ensure!(Eras::<T>::contains_key(era), "A commitment outlived its era's record.");
			commitments.entry(era).or_default().saturating_inc();
		}
		for (era, count) in CommitmentCount::<T>::iter() {
			ensure!(
				count <= T::MaxReporters::get(),
				"An era has more reporters than MaxReporters."
			);
			ensure!(
				commitments.remove(&era).unwrap_or(0) == count,
				"CommitmentCount differs from the number of the era's commitments."
			);
		}
		ensure!(commitments.is_empty(), "An era has commitments that CommitmentCount misses.");
		for (era, operator, verdicts) in Reports::<T>::iter() {
			ensure!(
				Commitments::<T>::contains_key(era, &operator),
				"A report was revealed without a commitment."
			);
			let info = Eras::<T>::get(era).ok_or("A report outlived its era's record.")?;
			ensure!(
				verdicts.len() == info.subjects.len(),
				"A report does not have one verdict per subject of its era."
			);
		}
		for era in Outcomes::<T>::iter_keys() {
			ensure!(!Eras::<T>::contains_key(era), "A finalized era still has a record.");
		}
		Ok(())
	}
}
