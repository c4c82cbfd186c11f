//! The invariants of the pallet's storage, checked by the `try_state` hook (try-runtime) and
//! at the end of every unit test.
//!
//! Operators
//! - the operator counter equals the number of operators, and at most `MaxOperators` are
//!   registered;
//! - each operator's recorded bond is exactly the balance held from it for
//!   [`HoldReason::OperatorBond`];
//! - `OperatorByKey` maps keys to operators that hold them, and every operator that is not
//!   leaving owns its key's entry (so no two active operators share a key); every leaving
//!   operator has a `LeftInEpoch`.
//!
//! Epochs
//! - committees, seats and seeds exist for the same epochs, none after the current one;
//! - a committee seats distinct operators, each with a non-zero bond;
//! - an epoch's seats are those its committee and seed give: voting weights capped as
//!   [`crate::committee::voting_weights`] says, all coded chunks held once;
//! - no epoch before `OldestKeptEpoch` is kept (epochs are pruned in order; a finished epoch
//!   without blobs may linger until the next removal or epoch start prunes it);
//! - `LeftInEpoch` names unbonding operators only, with an epoch that has started;
//! - `EpochBlobs` counts the blobs of each epoch, and only of epochs that are kept.
//!
//! Blobs
//! - every blob id is below `NextBlobId`; `BlobByRoot` and `Blobs` agree both ways;
//! - a blob's epoch has a non-empty committee, and its attestations name seats of it;
//! - a blob's attested stake and its tally's chunks are the voting weight and the chunks of
//!   its attesting seats, and an available blob reached the quorum
//!   ([`Pallet::has_quorum`]);
//! - tallies are kept only for kept blobs, `CertifiedBeforeV1` only for available
//!   ones (which alone may be below the quorum: version 0 certified them);
//! - a pending blob has no expiry, is queued at its deadline and cannot be challenged; an
//!   available one is queued at its expiry, and either has a challenge slot or is queued in
//!   `RepairEnds` at a block still to come (its repair window), not both;
//! - attestations exist only for kept blobs; ids queued in `Deadlines`, `Expiries` and
//!   `RepairEnds` were issued.
//!
//! Votes
//! - the votes waiting to be counted name seats of their epochs' committees and at least
//!   one blob each.
//!
//! Challenge slots
//! - `LiveBlobs` fills slots `0..LiveBlobCount` with available blobs, and `BlobSlots` is its
//!   inverse.
//!
//! Challenges
//! - every challenge id is below `NextChallengeId`, each open challenge is queued at its
//!   deadline and names a coded chunk; ids queued in `ChallengeDeadlines` were issued.
//!
//! Fee pool
//! - `Escrow` is the sum of the pending blobs' fees, and the pool can pay it out while
//!   keeping its existential deposit, so every refund is covered.

use crate::{pallet::*, types::*};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, InspectHold},
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant listed in the [module documentation](self).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_escrow()?;
		Self::try_state_operators()?;
		Self::try_state_epochs()?;
		Self::try_state_blobs()?;
		Self::try_state_live_slots()?;
		Self::try_state_votes()?;
		Self::try_state_challenges()
	}

	fn try_state_votes() -> Result<(), TryRuntimeError> {
		for vote in Votes::<T>::get() {
			ensure!(vote.held.count() > 0, "An empty vote was cast.");
			let size = Committees::<T>::get(vote.epoch).map_or(0, |c| c.len());
			ensure!((vote.seat as usize) < size, "A vote names a seat outside its committee.");
		}
		Ok(())
	}

	fn try_state_escrow() -> Result<(), TryRuntimeError> {
		let pending = Blobs::<T>::iter_values()
			.filter(|blob| blob.status == BlobStatus::Pending)
			.fold(BalanceOf::<T>::zero(), |sum, blob| sum.saturating_add(blob.fee));
		let escrow = Escrow::<T>::get();
		ensure!(escrow == pending, "Escrow differs from the fees of the pending blobs.");
		let spare = T::Currency::reducible_balance(
			&Self::fee_pool(),
			Preservation::Preserve,
			Fortitude::Polite,
		);
		ensure!(spare >= escrow, "The fee pool does not cover the escrowed fees.");
		Ok(())
	}

	fn try_state_operators() -> Result<(), TryRuntimeError> {
		let operators = Operators::<T>::iter().count() as u32;
		for (key, who) in OperatorByKey::<T>::iter() {
			ensure!(
				Operators::<T>::get(&who).is_some_and(|op| op.key == key),
				"OperatorByKey names an operator that does not hold the key."
			);
		}
		ensure!(
			Operators::<T>::count() == operators,
			"The operator counter differs from the number of operators."
		);
		ensure!(
			operators <= T::MaxOperators::get(),
			"More operators are registered than MaxOperators allows."
		);
		for (who, operator) in Operators::<T>::iter() {
			// Only a leaving operator may lack its key's entry: the v1 migration sent away
			// every operator of a key several shared.
			ensure!(
				OperatorByKey::<T>::get(&operator.key).as_ref() == Some(&who)
					|| operator.unbonding_until.is_some(),
				"An operator's key is not registered to it."
			);
			ensure!(
				operator.unbonding_until.is_none() || LeftInEpoch::<T>::contains_key(&who),
				"An unbonding operator has no LeftInEpoch."
			);
			let held = T::Currency::balance_on_hold(&HoldReason::OperatorBond.into(), &who);
			ensure!(
				held == operator.bond,
				"An operator's recorded bond differs from the balance held for it."
			);
		}
		Ok(())
	}

	fn try_state_epochs() -> Result<(), TryRuntimeError> {
		let current = CurrentEpoch::<T>::get();
		for (epoch, committee) in Committees::<T>::iter() {
			ensure!(epoch <= current, "A committee exists for an epoch that has not started.");
			let seed =
				EpochSeeds::<T>::get(epoch).ok_or("An epoch has a committee but no seed.")?;
			let bonds: alloc::vec::Vec<BalanceOf<T>> =
				committee.iter().map(|(_, bond)| *bond).collect();
			ensure!(
				Seats::<T>::get(epoch).is_some_and(|seats| {
					seats.into_inner() == crate::committee::seats(&seed, &bonds)
				}),
				"An epoch's seats are not those its committee and seed give."
			);
			ensure!(
				epoch >= OldestKeptEpoch::<T>::get(),
				"A committee is kept for an epoch before OldestKeptEpoch."
			);
			for (seat, (member, bond)) in committee.iter().enumerate() {
				ensure!(!bond.is_zero(), "A committee member was drawn with a zero bond.");
				ensure!(
					!committee.iter().skip(seat + 1).any(|(other, _)| other == member),
					"A committee seats the same operator twice."
				);
			}
		}
		let oldest = OldestKeptEpoch::<T>::get();
		ensure!(oldest <= current, "OldestKeptEpoch is after the current epoch.");
		for (who, left) in LeftInEpoch::<T>::iter() {
			ensure!(left <= current, "An operator left in an epoch that has not started.");
			ensure!(
				Operators::<T>::get(&who).is_some_and(|op| op.unbonding_until.is_some()),
				"LeftInEpoch names an operator that is not unbonding."
			);
		}
		for epoch in EpochSeeds::<T>::iter_keys() {
			ensure!(Committees::<T>::contains_key(epoch), "An epoch has a seed but no committee.");
		}
		for epoch in Seats::<T>::iter_keys() {
			ensure!(Committees::<T>::contains_key(epoch), "An epoch has seats but no committee.");
		}
		let mut counts = BTreeMap::<EpochIndex, u32>::new();
		for blob in Blobs::<T>::iter_values() {
			*counts.entry(blob.epoch).or_default() += 1;
		}
		for (epoch, count) in EpochBlobs::<T>::iter() {
			ensure!(
				Committees::<T>::contains_key(epoch),
				"Blobs are counted for an epoch that is not kept."
			);
			ensure!(
				counts.remove(&epoch).unwrap_or(0) == count,
				"EpochBlobs differs from the number of blobs of its epoch."
			);
		}
		ensure!(counts.is_empty(), "An epoch has blobs that EpochBlobs does not count.");
		Ok(())
	}

	fn try_state_blobs() -> Result<(), TryRuntimeError> {
		let next = NextBlobId::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let repairing: BTreeMap<BlobId, _> = RepairEnds::<T>::iter()
			.flat_map(|(end, ids)| ids.into_iter().map(move |id| (id, end)))
			.collect();
		for (id, blob) in Blobs::<T>::iter() {
			ensure!(id < next, "A blob id is not below NextBlobId.");
			ensure!(
				BlobByRoot::<T>::get(blob.commitment.root) == Some(id),
				"A blob is not indexed by its commitment root."
			);
			let seats = Seats::<T>::get(blob.epoch).ok_or("A blob's epoch has no seats.")?;
			ensure!(!seats.is_empty(), "A blob's epoch has an empty committee.");
			let (mut attested, mut chunks) = (BalanceOf::<T>::zero(), 0u32);
			let tally = Tallies::<T>::get(id);
			for seat in tally.seats() {
				let seat = seats
					.get(seat as usize)
					.ok_or("An attestation names a seat outside its blob's committee.")?;
				attested = attested.saturating_add(seat.weight);
				chunks = chunks.saturating_add(seat.chunks);
			}
			ensure!(
				attested == blob.attested_stake,
				"A blob's attested stake differs from the weight of its attesting seats."
			);
			ensure!(
				chunks == tally.chunks,
				"A blob's attested chunks differ from the chunks of its attesting seats."
			);
			let quorum = Self::has_quorum(&seats, attested, chunks);
			match blob.status {
				BlobStatus::Pending => {
					// At quorum only if every expiry or repair queue it could use was full
					// when its votes were counted (see `votes::make_available`).
					ensure!(blob.expires_at.is_none(), "A pending blob has an expiry.");
					ensure!(
						Deadlines::<T>::get(blob.deadline).contains(&id),
						"A pending blob is not queued at its deadline."
					);
					ensure!(!BlobSlots::<T>::contains_key(id), "A pending blob can be challenged.");
				},
				BlobStatus::Available => {
					ensure!(
						quorum || CertifiedBeforeV1::<T>::contains_key(id),
						"An available blob has not reached quorum."
					);
					let expires_at = blob.expires_at.ok_or("An available blob has no expiry.")?;
					ensure!(
						Expiries::<T>::get(expires_at).contains(&id),
						"An available blob is not queued at its expiry."
					);
					let slot = BlobSlots::<T>::contains_key(id);
					let repairing = repairing.get(&id);
					ensure!(
						slot != repairing.is_some(),
						"An available blob has no challenge slot, or one in its repair window."
					);
					ensure!(
						repairing.is_none_or(|end| *end > now),
						"A blob's repair window ended but it has no challenge slot."
					);
				},
			}
		}
		for (root, id) in BlobByRoot::<T>::iter() {
			ensure!(
				Blobs::<T>::get(id).is_some_and(|blob| blob.commitment.root == root),
				"BlobByRoot names a blob that does not have that root."
			);
		}
		for id in Tallies::<T>::iter_keys() {
			ensure!(Blobs::<T>::contains_key(id), "A tally of attestations outlived its blob.");
		}
		for id in CertifiedBeforeV1::<T>::iter_keys() {
			ensure!(
				Blobs::<T>::get(id).is_some_and(|blob| blob.status == BlobStatus::Available),
				"CertifiedBeforeV1 marks a blob that is not available."
			);
		}
		for ids in Deadlines::<T>::iter_values()
			.chain(Expiries::<T>::iter_values())
			.chain(RepairEnds::<T>::iter_values())
		{
			ensure!(
				ids.iter().all(|id| *id < next),
				"A blob id queued for a deadline, an expiry or a repair end was never issued."
			);
		}
		Ok(())
	}

	fn try_state_live_slots() -> Result<(), TryRuntimeError> {
		let count = LiveBlobCount::<T>::get();
		let mut used = 0u32;
		for (slot, id) in LiveBlobs::<T>::iter() {
			used.saturating_inc();
			ensure!(slot < count, "A challenge slot at or above LiveBlobCount is used.");
			ensure!(BlobSlots::<T>::get(id) == Some(slot), "LiveBlobs and BlobSlots disagree.");
			ensure!(
				Blobs::<T>::get(id).is_some_and(|blob| blob.status == BlobStatus::Available),
				"A challenge slot holds a blob that is not available."
			);
		}
		ensure!(used == count, "LiveBlobCount differs from the number of challenge slots used.");
		ensure!(
			BlobSlots::<T>::iter_keys().count() as u32 == count,
			"BlobSlots differs from the number of challenge slots used."
		);
		Ok(())
	}

	fn try_state_challenges() -> Result<(), TryRuntimeError> {
		let next = NextChallengeId::<T>::get();
		for (id, challenge) in Challenges::<T>::iter() {
			ensure!(id < next, "A challenge id is not below NextChallengeId.");
			ensure!(
				ChallengeDeadlines::<T>::get(challenge.deadline).contains(&id),
				"An open challenge is not queued at its deadline."
			);
			ensure!(
				challenge.chunk < zerog_erasure::CODED_CHUNKS,
				"A challenge names a chunk that does not exist."
			);
		}
		for ids in ChallengeDeadlines::<T>::iter_values() {
			ensure!(
				ids.iter().all(|id| *id < next),
				"A challenge id queued for a deadline was never issued."
			);
		}
		Ok(())
	}
}
