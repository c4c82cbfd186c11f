//! Sampling challenges: every `challenge_period` blocks, random (available blob, chunk,
//! assigned member) triples are challenged. The member answers with the chunk and its proof;
//! a correct answer earns `challenge_reward` from the fee pool, a wrong or missing one
//! slashes `slash` of its bond into the fee pool.
//!
//! Available blobs are kept in a dense slot list (`LiveBlobs`) so that a uniform draw costs
//! one read, and removal at expiry is a swap with the last slot. A blob enters the slots only
//! when its repair window ends (`RepairWindow` blocks after it became available, queued in
//! `RepairEnds`): until then, members the submitter never served rebuild their share.

use crate::{pallet::*, types::*};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Randomness,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};
use zerog_erasure::{assign_chunks, CODED_CHUNKS};

impl<T: Config> Pallet<T> {
	/// Adds an available blob to the slots challenges are drawn from.
	pub(crate) fn add_live(id: BlobId) {
		let slot = LiveBlobCount::<T>::get();
		LiveBlobs::<T>::insert(slot, id);
		BlobSlots::<T>::insert(id, slot);
		LiveBlobCount::<T>::put(slot + 1);
	}

	/// Starts the repair window of `id`, which became available at `now`: it joins the
	/// challenge slots [`Config::RepairWindow`] blocks later (or up to
	/// [`crate::blobs::QUEUE_SPREAD`] blocks after that when those blocks' queues are
	/// full), at once if the window is zero.
	pub(crate) fn start_repair_window(now: BlockNumberFor<T>, id: BlobId) -> DispatchResult {
		let window = T::RepairWindow::get();
		if window.is_zero() {
			Self::add_live(id);
			return Ok(());
		}
		Self::enqueue(now.saturating_add(window), |block| {
			RepairEnds::<T>::try_mutate(block, |due| due.try_push(id)).is_ok()
		})
		.map(|_| ())
		.ok_or(Error::<T>::TooManyBlobsInBlock.into())
	}

	/// Moves the blobs whose repair window ends at `now` into the challenge slots. Returns
	/// how many were queued (each costs a read, joining or not).
	pub(crate) fn end_repair_windows(now: BlockNumberFor<T>) -> u32 {
		let due = RepairEnds::<T>::take(now);
		for id in &due {
			// Kept and still available (a retention shortened since may have expired it).
			if Blobs::<T>::get(id).is_some_and(|blob| blob.status == BlobStatus::Available) {
				Self::add_live(*id);
			}
		}
		due.len() as u32
	}

	/// Removes a blob from the slots, moving the last one into its place.
	pub(crate) fn remove_live(id: BlobId) {
		let Some(slot) = BlobSlots::<T>::take(id) else { return };
		let last = LiveBlobCount::<T>::get().saturating_sub(1);
		if slot != last {
			if let Some(moved) = LiveBlobs::<T>::get(last) {
				LiveBlobs::<T>::insert(slot, moved);
				BlobSlots::<T>::insert(moved, slot);
			}
		}
		LiveBlobs::<T>::remove(last);
		LiveBlobCount::<T>::put(last);
	}

	/// The committee member assigned `chunk` of `blob`, by the shared assignment function.
	pub fn holder_of(blob: &BlobOf<T>, chunk: u32) -> Option<T::AccountId> {
		let committee = Committees::<T>::get(blob.epoch)?;
		let seed = EpochSeeds::<T>::get(blob.epoch)?;
		let assignment = assign_chunks(&seed, committee.len() as u32, CODED_CHUNKS).ok()?;
		let seat = assignment.holder(chunk)?;
		committee.get(seat as usize).map(|(who, _)| who.clone())
	}

	/// The chunks of `blob` that `member` must hold (empty if it holds none).
	pub fn chunks_of(blob: BlobId, member: &T::AccountId) -> alloc::vec::Vec<u32> {
		let Some(record) = Blobs::<T>::get(blob) else { return Default::default() };
		let (Some(committee), Some(seed)) =
			(Committees::<T>::get(record.epoch), EpochSeeds::<T>::get(record.epoch))
		else {
			return Default::default();
		};
		let Some(seat) = committee.iter().position(|(who, _)| who == member) else {
			return Default::default();
		};
		assign_chunks(&seed, committee.len() as u32, CODED_CHUNKS)
			.map(|a| a.chunks_of(seat as u32).collect())
			.unwrap_or_default()
	}

	/// The open challenges `member` must answer.
	pub fn open_challenges(
		member: &T::AccountId,
	) -> alloc::vec::Vec<(ChallengeId, Challenge<T::AccountId, BlockNumberFor<T>>)> {
		Challenges::<T>::iter().filter(|(_, c)| &c.member == member).collect()
	}

	/// Issues this round's challenges. Returns how many were issued.
	pub(crate) fn issue_challenges(now: BlockNumberFor<T>, params: &ParamsOf<T>) -> u32 {
		let live = LiveBlobCount::<T>::get();
		if live == 0 {
			return 0;
		}
		let (random, _) = T::Randomness::random(&(b"zerog-da-challenge", now).encode());
		let seed = sp_io::hashing::blake2_256(random.as_ref());
		let deadline = now.saturating_add(params.answer_window);
		let rounds = params.challenges_per_round.min(T::MaxChallengesPerRound::get());
		let mut issued = 0;
		for i in 0..rounds {
			let draw = sp_io::hashing::blake2_256(&(seed, i).encode());
			let pick = u64::from_le_bytes(draw[..8].try_into().expect("8 bytes"));
			let chunk = u32::from_le_bytes(draw[8..12].try_into().expect("4 bytes")) % CODED_CHUNKS;
			let Some(id) = LiveBlobs::<T>::get((pick % live as u64) as u32) else { continue };
			let Some(blob) = Blobs::<T>::get(id) else { continue };
			let Some(member) = Self::holder_of(&blob, chunk) else { continue };
			let challenge_id = NextChallengeId::<T>::get();
			if ChallengeDeadlines::<T>::try_mutate(deadline, |due| due.try_push(challenge_id))
				.is_err()
			{
				break;
			}
			NextChallengeId::<T>::put(challenge_id + 1);
			Challenges::<T>::insert(
				challenge_id,
				Challenge { blob: id, chunk, member: member.clone(), deadline },
			);
			Self::deposit_event(Event::ChallengeIssued {
				id: challenge_id,
				blob: id,
				chunk,
				member,
				deadline,
			});
			issued += 1;
		}
		issued
	}

	/// Pays the reward for a correct answer from the fee pool, as much as it can spare above
	/// the pending blobs' escrowed fees.
	pub(crate) fn reward(member: &T::AccountId) -> BalanceOf<T> {
		let Some(params) = Params::<T>::get() else { return Zero::zero() };
		let pool = Self::fee_pool();
		// Pending blobs' fees are escrowed for their refunds: only the rest is a budget.
		let spare =
			T::Currency::reducible_balance(&pool, Preservation::Preserve, Fortitude::Polite)
				.saturating_sub(Escrow::<T>::get());
		let amount = params.challenge_reward.min(spare);
		if amount.is_zero() {
			return amount;
		}
		T::Currency::transfer(&pool, member, amount, Preservation::Preserve)
			.map(|_| amount)
			.unwrap_or_else(|_| Zero::zero())
	}

	/// Slashes `slash` of `who`'s bond into the fee pool. Returns the amount moved.
	pub(crate) fn slash(who: &T::AccountId) -> BalanceOf<T> {
		let Some(params) = Params::<T>::get() else { return Zero::zero() };
		Self::slash_bond(who, params.slash)
	}

	/// Moves `fraction` of `who`'s bond into the fee pool. Returns the amount moved.
	pub(crate) fn slash_bond(who: &T::AccountId, fraction: sp_runtime::Perbill) -> BalanceOf<T> {
		let Some(mut operator) = Operators::<T>::get(who) else { return Zero::zero() };
		let amount = fraction * operator.bond;
		let moved = T::Currency::transfer_on_hold(
			&HoldReason::OperatorBond.into(),
			who,
			&Self::fee_pool(),
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_else(|_| Zero::zero());
		operator.bond = operator.bond.saturating_sub(moved);
		Operators::<T>::insert(who, operator);
		moved
	}

	/// Challenges whose deadline was block `deadline` (the block before this one): a member
	/// that did not answer is slashed (unless the blob expired in the meantime).
	pub(crate) fn close_challenges(deadline: BlockNumberFor<T>) -> u32 {
		let due = ChallengeDeadlines::<T>::take(deadline);
		let count = due.len() as u32;
		for id in due {
			let Some(challenge) = Challenges::<T>::take(id) else { continue };
			if !Blobs::<T>::contains_key(challenge.blob) {
				continue;
			}
			let amount = Self::slash(&challenge.member);
			Self::deposit_event(Event::ChallengeMissed {
				id,
				member: challenge.member,
				slashed: amount,
			});
		}
		count
	}
}
