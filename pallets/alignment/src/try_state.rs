//! The invariants of the pallet's storage, checked by the `try_state` hook (try-runtime) and
//! at the end of every unit test.
//!
//! Licences
//! - licences are never burnt: their ids are exactly `0..LicenceCount`, and with parameters
//!   set, at most `max_supply` exist;
//! - `LicencesOf` and the licences' owners agree both ways;
//! - an operator record exists exactly for the accounts licences are delegated to, and counts
//!   those licences; `DelegatedLicences` is their sum.
//!
//! Delegations made during an era
//! - a licence with `DelegatedIn` is delegated, in an era that has started, and is counted
//!   either pending for its operator (`PendingDelegations`) or under a written start index
//!   (`StartIndexes`), not both;
//! - `PendingDelegations` entries are not empty, name distinct eras that have started, and
//!   count exactly the licences pending in them;
//! - `StartIndexes` entries are for finalized eras, count exactly the licences that have yet to
//!   read them, and are not above their operator's reward index.
//!
//! Rewards
//! - what eras accrued is exactly what was claimed plus what licences can still claim:
//!   `TotalAccrued == TotalClaimed + sum of accrued(licence)`.
//!
//! Eras
//! - the current era has a record, and no era after it does; the era being revealed is
//!   before the current one and has a record; no other era has one (every era is finalized,
//!   in order);
//! - an era waiting for its seed is the current one, and has no subjects yet;
//! - `Committers` lists each era's committed operators (at most `MaxReporters`, each with a
//!   commitment and a weight above 0), and commitments exist only for eras with a record;
//! - every revealed report has a commitment and one verdict per subject of its era;
//! - a finalized era (one with an outcome) has no record left;
//! - `AnswerKeys` exist only for eras with a record, one key slot per subject;
//! - `EraLicences` is kept exactly for the eras with a record, and no fewer licences than
//!   count in the era (the quorum's measure is never below the votes).

use crate::{pallet::*, EraIndex};
use alloc::collections::{BTreeMap, BTreeSet};
use frame_support::ensure;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant listed in the [module documentation](self).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_licences()?;
		Self::try_state_delegations()?;
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
		let total = delegated.values().fold(0u32, |sum, n| sum.saturating_add(*n));
		ensure!(
			DelegatedLicences::<T>::get() == total,
			"DelegatedLicences differs from the licences delegated."
		);
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

	fn try_state_delegations() -> Result<(), TryRuntimeError> {
		let current = CurrentEra::<T>::get();
		// (operator, era) -> licences delegated then that are still waiting.
		let mut waiting = BTreeMap::<(T::AccountId, EraIndex), u32>::new();
		for (id, era) in DelegatedIn::<T>::iter() {
			ensure!(
				current.is_some_and(|current| era <= current),
				"A licence is recorded as delegated in an era that has not started."
			);
			let operator = Licences::<T>::get(id)
				.and_then(|licence| licence.operator)
				.ok_or("A licence recorded as delegated in an era is not delegated.")?;
			waiting.entry((operator, era)).or_default().saturating_inc();
		}
		for (operator, pending) in PendingDelegations::<T>::iter() {
			ensure!(!pending.is_empty(), "An operator's empty pending delegations are kept.");
			let mut eras = BTreeSet::new();
			for (era, licences) in pending {
				ensure!(eras.insert(era), "An operator's pending delegations repeat an era.");
				ensure!(
					current.is_some_and(|current| era <= current),
					"Delegations are pending in an era that has not started."
				);
				ensure!(
					!StartIndexes::<T>::contains_key(&operator, era),
					"Delegations of one era are both pending and started."
				);
				ensure!(
					waiting.remove(&(operator.clone(), era)) == Some(licences),
					"An operator's pending delegations differ from its licences delegated then."
				);
			}
		}
		for (operator, era, (index, licences)) in StartIndexes::<T>::iter() {
			ensure!(!Eras::<T>::contains_key(era), "A start index is written for an open era.");
			ensure!(
				Operators::<T>::get(&operator).is_some_and(|op| index <= op.reward_index),
				"A start index is above its operator's reward index."
			);
			ensure!(
				waiting.remove(&(operator, era)) == Some(licences),
				"A start index counts other licences than those yet to read it."
			);
		}
		ensure!(
			waiting.is_empty(),
			"A licence delegated in an era is neither pending nor under a start index."
		);
		Ok(())
	}

	fn try_state_rewards() -> Result<(), TryRuntimeError> {
		let claimable = Licences::<T>::iter().fold(BalanceOf::<T>::zero(), |sum, (id, licence)| {
			sum.saturating_add(Self::accrued(id, &licence))
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
		let revealing = Revealing::<T>::get().map(|(era, _)| era);
		if let Some(era) = revealing {
			ensure!(
				current.is_some_and(|current| era < current),
				"The era being revealed is not before the current one."
			);
			ensure!(Eras::<T>::contains_key(era), "The era being revealed has no record.");
		}
		for era in Eras::<T>::iter_keys() {
			ensure!(
				Some(era) == current || Some(era) == revealing,
				"An era that is neither current nor being revealed has a record."
			);
		}
		if let Some(era) = AwaitingSeed::<T>::get() {
			ensure!(Some(era) == current, "An era other than the current one waits for a seed.");
			ensure!(
				Eras::<T>::get(era).is_some_and(|info| info.subjects.is_empty()),
				"An era waiting for its seed has subjects."
			);
		}
		let mut commitments = BTreeMap::<EraIndex, u32>::new();
		for (era, _) in Commitments::<T>::iter_keys() {
			ensure!(Eras::<T>::contains_key(era), "A commitment outlived its era's record.");
			commitments.entry(era).or_default().saturating_inc();
		}
		for (era, committers) in Committers::<T>::iter() {
			ensure!(
				commitments.remove(&era).unwrap_or(0) == committers.len() as u32,
				"Committers differs from the era's commitments."
			);
			for (operator, weight) in &committers {
				ensure!(
					*weight > 0 && Commitments::<T>::contains_key(era, operator),
					"A committer has no commitment, or counted no licence."
				);
			}
		}
		ensure!(commitments.is_empty(), "An era has commitments that Committers misses.");
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
		for (era, keys) in AnswerKeys::<T>::iter() {
			let info = Eras::<T>::get(era).ok_or("AnswerKeys outlived its era's record.")?;
			ensure!(
				keys.len() == info.subjects.len(),
				"AnswerKeys does not have one slot per subject of its era."
			);
		}
		for (era, licences) in EraLicences::<T>::iter() {
			ensure!(Eras::<T>::contains_key(era), "EraLicences outlived its era's record.");
			let counting = Operators::<T>::iter().fold(0u32, |sum, (operator, record)| {
				sum.saturating_add(Self::era_weight(&operator, record.licences, era))
			});
			ensure!(
				counting <= licences,
				"More licences count in an era than were delegated when it started."
			);
		}
		for era in Eras::<T>::iter_keys() {
			ensure!(EraLicences::<T>::contains_key(era), "An open era has no EraLicences.");
		}
		Ok(())
	}
}
