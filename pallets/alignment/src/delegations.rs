//! Which licences count for an operator in an era.
//!
//! A licence counts for its operator in an era when it was delegated to that operator before
//! the era started and is still delegated to it when the era is finalized. The operator's
//! report is weighed by the licences that count (`era_weight`), and only they earn the era's
//! active share. However often a licence moves, it counts at most once per era, and a
//! licence delegated after an era started earns nothing of it.
//!
//! A licence delegated during era `e` is pending: [`PendingDelegations`] counts it under `e`
//! and [`DelegatedIn`] names `e`. Its active share starts from its operator's reward index
//! as it is once era `e` is finalized. That index is written to [`StartIndexes`] when the
//! operator's index first moves for a later era (in `credit`), or when a licence next joins
//! the operator after era `e` was finalized (the index cannot have moved since). Until then
//! the licence accrues no active share. The licence reads its start index when it is next
//! paid, and is an ordinary delegated licence from then on.
//!
//! Only the current era and the one being revealed are not finalized, so an operator has
//! delegations pending since at most two eras.

use crate::{pallet::*, EraIndex, LicenceId};
use alloc::vec::Vec;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// The licences that count for `operator` in `era`: its `licences`, less those delegated
	/// to it during `era` or later.
	pub fn era_weight(operator: &T::AccountId, licences: u32, era: EraIndex) -> u32 {
		let pending = PendingDelegations::<T>::get(operator)
			.map(|pending| {
				pending
					.iter()
					.filter(|(delegated_in, _)| *delegated_in >= era)
					.fold(0u32, |sum, (_, n)| sum.saturating_add(*n))
			})
			.unwrap_or_default();
		licences.saturating_sub(pending)
	}

	/// One more licence (`id`) for `operator`; returns the operator's reward index. Once an
	/// era has started, the licence is pending until that era is finalized.
	pub(crate) fn join(id: LicenceId, operator: &T::AccountId) -> Result<BalanceOf<T>, Error<T>> {
		let index = Operators::<T>::mutate(operator, |op| {
			let op = op.get_or_insert_with(Default::default);
			op.licences.saturating_inc();
			op.reward_index
		});
		DelegatedLicences::<T>::mutate(|n| n.saturating_inc());
		// Before the first era, a licence counts from era 0 on.
		let Some(era) = CurrentEra::<T>::get() else { return Ok(index) };
		// Pending delegations of finalized eras start at the index as it is: it has not
		// moved for a later era, else they would have started then.
		Self::start_pending(operator, |delegated_in| !Eras::<T>::contains_key(delegated_in), index);
		let mut pending = PendingDelegations::<T>::get(operator).unwrap_or_default();
		match pending.iter_mut().find(|(delegated_in, _)| *delegated_in == era) {
			Some((_, licences)) => licences.saturating_inc(),
			None => pending.try_push((era, 1)).map_err(|_| Error::<T>::Overflow)?,
		}
		PendingDelegations::<T>::insert(operator, pending);
		DelegatedIn::<T>::insert(id, era);
		Ok(index)
	}

	/// One licence (`id`) fewer for `operator`, after it was paid; the record goes with its
	/// last licence. A licence still pending leaves its era's count.
	pub(crate) fn leave(id: LicenceId, operator: &T::AccountId) {
		Operators::<T>::mutate_exists(operator, |op| {
			if let Some(record) = op {
				record.licences.saturating_dec();
				if record.licences == 0 {
					*op = None;
				}
			}
		});
		DelegatedLicences::<T>::mutate(|n| n.saturating_dec());
		let Some(era) = DelegatedIn::<T>::take(id) else { return };
		PendingDelegations::<T>::mutate_exists(operator, |pending| {
			if let Some(list) = pending {
				if let Some((_, licences)) =
					list.iter_mut().find(|(delegated_in, _)| *delegated_in == era)
				{
					licences.saturating_dec();
				}
				list.retain(|(_, licences)| *licences > 0);
				if list.is_empty() {
					*pending = None;
				}
			}
		});
	}

	/// Adds `reward` to `operator`'s reward index, for agreeing with the quorum of `era`.
	/// Its delegations pending since earlier eras count in `era`: they start at the index as
	/// it was before this reward.
	pub(crate) fn credit(operator: &T::AccountId, era: EraIndex, reward: BalanceOf<T>) {
		let Some(mut op) = Operators::<T>::get(operator) else { return };
		Self::start_pending(operator, |delegated_in| delegated_in < era, op.reward_index);
		op.reward_index.saturating_accrue(reward);
		Operators::<T>::insert(operator, op);
	}

	/// Gives `operator`'s pending delegations of the eras `started` accepts the start index
	/// `index`.
	fn start_pending(
		operator: &T::AccountId,
		started: impl Fn(EraIndex) -> bool,
		index: BalanceOf<T>,
	) {
		let Some(pending) = PendingDelegations::<T>::get(operator) else { return };
		let (starting, waiting): (Vec<_>, Vec<_>) =
			pending.into_iter().partition(|(delegated_in, _)| started(*delegated_in));
		if starting.is_empty() {
			return;
		}
		for (delegated_in, licences) in starting {
			StartIndexes::<T>::insert(operator, delegated_in, (index, licences));
		}
		if waiting.is_empty() {
			PendingDelegations::<T>::remove(operator);
		} else {
			PendingDelegations::<T>::insert(operator, PendingOf::truncate_from(waiting));
		}
	}

	/// Whether licence `id`, delegated to `operator`, reads the operator's reward index like
	/// any delegated licence: it was never pending, or its start index is written, which it
	/// stops reading now (the caller moves `operator_index` to the operator's index).
	pub(crate) fn settle(id: LicenceId, operator: &T::AccountId) -> bool {
		let Some(era) = DelegatedIn::<T>::get(id) else { return true };
		let Some((index, readers)) = StartIndexes::<T>::get(operator, era) else { return false };
		DelegatedIn::<T>::remove(id);
		if readers > 1 {
			StartIndexes::<T>::insert(operator, era, (index, readers - 1));
		} else {
			StartIndexes::<T>::remove(operator, era);
		}
		true
	}
}
