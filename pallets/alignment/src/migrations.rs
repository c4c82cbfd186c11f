//! Storage migrations, applied by the runtime's `Executive` (`runtime/src/lib.rs`).

use crate::{pallet::*, EraIndex};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias,
	traits::UncheckedOnRuntimeUpgrade,
};
use sp_runtime::traits::Saturating;

/// Version 0 to 1 (issue 31): the eras not yet finalized hold the subjects they drew, each
/// era's commitments are listed with the licences they count for, the delegated licences are
/// counted, and eras that version 0 left unfinalized (after a shortened `era_length`) go.
pub mod v1 {
	use super::*;

	/// Version 0's number of commitments per era, replaced by [`Committers`].
	#[storage_alias]
	pub type CommitmentCount<T: Config> =
		StorageMap<Pallet<T>, Twox64Concat, EraIndex, u32, ValueQuery>;

	/// The migration's steps; run it as [`MigrateToV1`], which checks the version.
	pub struct HoldSubjectsAndWeighCommitments<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for HoldSubjectsAndWeighCommitments<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);
			// Version 0 overwrote `Revealing` when an era became due before the previous
			// reveal window closed: such an era is neither current nor revealed and would never
			// be finalized. Its records go (its subjects were never held).
			let current = CurrentEra::<T>::get();
			let revealing = Revealing::<T>::get().map(|(era, _)| era);
			reads.saturating_accrue(2);
			let open = |era: EraIndex| Some(era) == current || Some(era) == revealing;
			let orphans: Vec<EraIndex> = Eras::<T>::iter_keys().filter(|era| !open(*era)).collect();
			for era in &orphans {
				Eras::<T>::remove(era);
				EraLicences::<T>::remove(era);
				AnswerKeys::<T>::remove(era);
				let commitments = Commitments::<T>::clear_prefix(era, u32::MAX, None);
				let reports = Reports::<T>::clear_prefix(era, u32::MAX, None);
				CommitmentCount::<T>::remove(era);
				Committers::<T>::remove(era);
				reads.saturating_inc();
				writes.saturating_accrue(
					5u64.saturating_add(commitments.unique.into())
						.saturating_add(reports.unique.into()),
				);
			}
			// Subjects drawn before the upgrade were not held: their era's finalization would
			// release a hold taken by a later era, and let a drawn provider withdraw early.
			for (_, info) in Eras::<T>::iter() {
				reads.saturating_inc();
				for subject in &info.subjects {
					Pallet::<T>::hold_subject(subject);
					// The provider's record and its hold count read, the count written.
					reads.saturating_accrue(2);
					writes.saturating_inc();
				}
			}
			// The delegated licences, and the open eras' measure of the quorum (those
			// delegated now: the best this version knows of who could count then).
			let mut delegated = 0u32;
			for op in Operators::<T>::iter_values() {
				delegated = delegated.saturating_add(op.licences);
				reads.saturating_inc();
			}
			DelegatedLicences::<T>::put(delegated);
			writes.saturating_inc();
			for era in Eras::<T>::iter_keys() {
				EraLicences::<T>::insert(era, delegated);
				reads.saturating_inc();
				writes.saturating_inc();
			}
			// Commitments made before the upgrade count their operator's licences as they are
			// now (no delegation is pending before the upgrade), at least one.
			let mut committers = BTreeMap::<EraIndex, Vec<(T::AccountId, u32)>>::new();
			for (era, operator) in Commitments::<T>::iter_keys() {
				let weight = Operators::<T>::get(&operator).map_or(0, |op| op.licences).max(1);
				committers.entry(era).or_default().push((operator, weight));
				reads.saturating_accrue(2);
			}
			for (era, list) in committers {
				Committers::<T>::insert(era, BoundedVec::truncate_from(list));
				writes.saturating_inc();
			}
			let cleared = CommitmentCount::<T>::clear(u32::MAX, None);
			writes.saturating_accrue(cleared.unique.into());
			T::DbWeight::get().reads_writes(reads, writes)
		}

		/// After the upgrade every invariant of version 1 holds (holds aside, which the
		/// subjects' pallets check).
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The version-checked migration from 0 to 1, for the runtime's `Migrations`.
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		HoldSubjectsAndWeighCommitments<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
