//! Storage migrations, applied by the runtime's `Executive` (`runtime/src/lib.rs`).

use crate::{committee, pallet::*, types::*, LOG_TARGET};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use sp_runtime::traits::{Saturating, Zero};

/// Version 0 to 1 (issue 32, findings 1, 3, 6 and 7): availability counts the chunks the
/// attesters hold and capped voting weights, keys belong to one operator
/// ([`OperatorByKey`]), a blob's attestations are one record ([`Tallies`]) instead of one
/// entry per seat, and pending blobs' fees are escrowed. Every kept epoch gets its
/// [`Seats`], every kept blob's attestations move into its tally and its attested weight is
/// counted again, [`Escrow`] sums the pending blobs' fees, [`OldestKeptEpoch`] starts at the
/// oldest kept epoch and operators already leaving count as leaving in the current epoch. A blob
/// that version 0 made available stays available; one that would not have been under
/// version 1's rule is logged and marked in [`CertifiedBeforeV1`] until it expires.
pub mod v1 {
	use super::*;
	use frame_support::storage_alias;

	/// Version 0's attestations, one entry per (blob, seat), replaced by [`Tallies`].
	#[storage_alias]
	pub type Attestations<T: Config> =
		StorageDoubleMap<Pallet<T>, Twox64Concat, BlobId, Twox64Concat, u32, (), OptionQuery>;

	/// The migration's steps; run it as [`MigrateToV1`], which checks the version.
	pub struct CountSeatsAndChunks<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountSeatsAndChunks<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);
			// Keys: a key one operator holds is registered to it. A key several share (one
			// registered another's, finding 3) is registered to none, and every operator
			// sharing it starts to leave: drawn no more, slashable until it may withdraw. Who
			// of them holds the key cannot be told, and storage order must not decide.
			let mut holders = BTreeMap::<T::OperatorKey, Vec<T::AccountId>>::new();
			for (who, operator) in Operators::<T>::iter() {
				reads.saturating_inc();
				holders.entry(operator.key).or_default().push(who);
			}
			let now = frame_system::Pallet::<T>::block_number();
			let params = Params::<T>::get();
			for (key, accounts) in holders {
				if let [only] = accounts.as_slice() {
					OperatorByKey::<T>::insert(&key, only);
					writes.saturating_inc();
					continue;
				}
				for who in accounts {
					log::warn!(target: LOG_TARGET, "operator {who:?} shares its key: leaving");
					Operators::<T>::mutate(&who, |op| {
						if let Some(op) = op.as_mut().filter(|op| op.unbonding_until.is_none()) {
							op.unbonding_until = Some(
								params.as_ref().map_or(now, |p| Pallet::<T>::unbonding_end(now, p)),
							);
						}
					});
					writes.saturating_inc();
				}
			}
			for (epoch, members) in Committees::<T>::iter() {
				reads.saturating_accrue(2);
				let Some(seed) = EpochSeeds::<T>::get(epoch) else { continue };
				let bonds: Vec<BalanceOf<T>> = members.iter().map(|(_, bond)| *bond).collect();
				Seats::<T>::insert(
					epoch,
					BoundedVec::truncate_from(committee::seats(&seed, &bonds)),
				);
				writes.saturating_inc();
			}
			let mut escrow = BalanceOf::<T>::zero();
			let ids: Vec<BlobId> = Blobs::<T>::iter_keys().collect();
			for id in ids {
				reads.saturating_accrue(2);
				let Some(mut blob) = Blobs::<T>::get(id) else { continue };
				let seats = Seats::<T>::get(blob.epoch).unwrap_or_default();
				let mut weight = BalanceOf::<T>::zero();
				let mut tally = TallyOf::<T>::default();
				for seat in Attestations::<T>::iter_key_prefix(id) {
					reads.saturating_inc();
					if let Some(s) = seats.get(seat as usize) {
						weight.saturating_accrue(s.weight);
						let _ = tally.add(seat, s.chunks);
					}
				}
				let chunks = tally.chunks;
				if blob.status == BlobStatus::Available
					&& !Pallet::<T>::has_quorum(&seats, weight, chunks)
				{
					log::warn!(
						target: LOG_TARGET,
						"blob {id} was made available with {chunks} attested chunks: below \
						 version 1's quorum; it stays available until it expires"
					);
					CertifiedBeforeV1::<T>::insert(id, ());
					writes.saturating_inc();
				}
				if blob.status == BlobStatus::Pending {
					escrow.saturating_accrue(blob.fee);
				}
				blob.attested_stake = weight;
				Blobs::<T>::insert(id, blob);
				writes.saturating_inc();
				if tally.chunks > 0 {
					Tallies::<T>::insert(id, tally);
					writes.saturating_inc();
				}
			}
			let cleared = Attestations::<T>::clear(u32::MAX, None);
			writes.saturating_accrue(cleared.unique.into());
			Escrow::<T>::put(escrow);
			writes.saturating_inc();
			// Epochs are pruned in order from now on: every epoch before the oldest kept one
			// is gone (version 0 pruned each as soon as it was done; the gaps it left above
			// the oldest are passed over by the next pruning).
			let current = CurrentEpoch::<T>::get();
			let oldest = Committees::<T>::iter_keys().min().unwrap_or(current);
			OldestKeptEpoch::<T>::put(oldest);
			writes.saturating_inc();
			// Operators leaving now may hold chunks of any kept epoch.
			for (who, operator) in Operators::<T>::iter() {
				reads.saturating_inc();
				if operator.unbonding_until.is_some() {
					LeftInEpoch::<T>::insert(&who, current);
					writes.saturating_inc();
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The version-checked migration from 0 to 1, for the runtime's `Migrations`.
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		CountSeatsAndChunks<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
