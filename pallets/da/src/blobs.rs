//! Blob and epoch bookkeeping behind the calls and hooks: attestation checks, committee
//! draws, deadlines and expiry.

use crate::{pallet::*, types::*, LOG_TARGET};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		Randomness,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, One, Saturating, Zero},
	RuntimeAppPublic,
};

/// Finished epochs an epoch start prunes at most (a blob's removal prunes at most one).
pub(crate) const PRUNED_PER_EPOCH_START: u32 = 8;

/// Blocks a blob's deadline or expiry may move past its due block when that block's queue is
/// full, so that a burst of more than `MaxBlobsPerBlock` submissions in one block is spread
/// over the next blocks' queues instead of failing.
pub const QUEUE_SPREAD: u32 = 8;

impl<T: Config> Pallet<T> {
	/// The fee pool's account.
	pub fn fee_pool() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Opens the fee pool with the existential deposit, so that fees of any size can be
	/// paid into it. Done at genesis: the one place this pallet mints.
	pub(crate) fn open_fee_pool() {
		let pool = Self::fee_pool();
		if T::Currency::balance(&pool).is_zero() {
			let _ = T::Currency::mint_into(&pool, T::Currency::minimum_balance());
		}
	}

	/// Whether attestations of `attested` voting weight, from seats holding `chunks` coded
	/// chunks together, make a blob of a committee with `seats` available: at least 2/3 of
	/// the voting weight and [`AVAILABLE_CHUNKS`] chunks.
	pub fn has_quorum(seats: &[SeatOf<T>], attested: BalanceOf<T>, chunks: u32) -> bool {
		let total =
			seats.iter().fold(BalanceOf::<T>::zero(), |sum, s| sum.saturating_add(s.weight));
		!total.is_zero()
			&& attested.saturating_mul(3u32.into()) >= total.saturating_mul(2u32.into())
			&& chunks >= AVAILABLE_CHUNKS
	}

	/// When an operator that unbonds at `now` may withdraw: after `unbonding_period`, and not
	/// before any blob its seat in the current epoch's committee may hold has expired and its
	/// last challenge closed. A blob submitted in this epoch is available by its deadline, at
	/// most `attest_window` after the epoch's end, and kept `retention` blocks from then.
	pub(crate) fn unbonding_end(now: BlockNumberFor<T>, params: &ParamsOf<T>) -> BlockNumberFor<T> {
		let epoch_end = if params.epoch_length.is_zero() {
			now
		} else {
			now.saturating_sub(now % params.epoch_length)
				.saturating_add(params.epoch_length)
		};
		let held_until = epoch_end
			.saturating_add(params.attest_window)
			.saturating_add(params.retention)
			.saturating_add(params.answer_window);
		now.saturating_add(params.unbonding_period).max(held_until)
	}

	/// The challenged member and the challenged blob, if `answer` is for an open challenge
	/// and signed by that member's operator key. The chunk itself is checked on dispatch.
	pub fn check_answer(
		answer: &ChallengeAnswer,
		signature: &<T::OperatorKey as RuntimeAppPublic>::Signature,
	) -> Result<(T::AccountId, BlobOf<T>), Error<T>> {
		let challenge =
			Challenges::<T>::get(answer.challenge).ok_or(Error::<T>::UnknownChallenge)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() <= challenge.deadline,
			Error::<T>::ChallengeExpired
		);
		let blob = Blobs::<T>::get(challenge.blob).ok_or(Error::<T>::UnknownBlob)?;
		let operator = Operators::<T>::get(&challenge.member).ok_or(Error::<T>::NotOperator)?;
		let seed = EpochSeeds::<T>::get(blob.epoch).ok_or(Error::<T>::UnknownBlob)?;
		let payload = answer_payload(&Self::genesis_hash(), &blob.commitment.root, &seed, answer);
		ensure!(operator.key.verify(&payload, signature), Error::<T>::BadSignature);
		Ok((challenge.member, blob))
	}

	/// Queues a blob in the first block from `due` on whose queue has room (`try_at` pushes it
	/// and says whether it could), at most [`QUEUE_SPREAD`] blocks on. Returns that block.
	pub(crate) fn enqueue(
		due: BlockNumberFor<T>,
		mut try_at: impl FnMut(BlockNumberFor<T>) -> bool,
	) -> Option<BlockNumberFor<T>> {
		let mut block = due;
		for _ in 0..QUEUE_SPREAD {
			if try_at(block) {
				return Some(block);
			}
			block = block.saturating_add(One::one());
		}
		None
	}

	/// This chain's genesis hash, which every signed payload names.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// Draws the committee of `epoch` from the operators not unbonding.
	pub(crate) fn start_epoch(epoch: EpochIndex) {
		let size = Params::<T>::get().map(|p| p.committee_size).unwrap_or(0);
		let (random, _) = T::Randomness::random(&(b"zerog-da-epoch", epoch).encode());
		let seed: [u8; 32] = sp_io::hashing::blake2_256(random.as_ref());
		let candidates: Vec<(T::AccountId, BalanceOf<T>)> = Operators::<T>::iter()
			.filter(|(_, op)| op.unbonding_until.is_none())
			.map(|(who, op)| (who, op.bond))
			.collect();
		let drawn = crate::committee::draw_committee(&seed, candidates, size);
		let members = drawn.len() as u32;
		let bonds: Vec<BalanceOf<T>> = drawn.iter().map(|(_, bond)| *bond).collect();
		let seats: SeatsOf<T> = crate::committee::seats(&seed, &bonds)
			.try_into()
			.expect("one seat per member, at most MaxCommitteeSize");
		let committee: CommitteeOf<T> = drawn
			.try_into()
			.expect("draw_committee returns at most `size` <= MaxCommitteeSize");
		CurrentEpoch::<T>::put(epoch);
		Committees::<T>::insert(epoch, committee);
		Seats::<T>::insert(epoch, seats);
		EpochSeeds::<T>::insert(epoch, seed);
		Self::prune_done_epochs(PRUNED_PER_EPOCH_START);
		log::debug!(target: LOG_TARGET, "epoch {epoch}: committee of {members}");
		Self::deposit_event(Event::EpochStarted { epoch, size: members });
	}

	/// A blob still pending at its deadline: refund the fee less the base fee, drop it. The
	/// fee was escrowed at submission, so the pool covers the refund; a failure would be a
	/// broken invariant, reported as such, never a silent zero.
	///
	/// A blob whose votes reached the quorum while every expiry or repair queue it could use
	/// was full is made available now instead, if there is room. Returns whether the blob
	/// had the quorum, and so read its queues (whether or not there was room), for the
	/// caller's weight.
	pub(crate) fn close_unattested(id: BlobId, now: BlockNumberFor<T>) -> bool {
		let Some(mut blob) = Blobs::<T>::get(id) else { return false };
		if blob.status != BlobStatus::Pending {
			return false;
		}
		let params = Params::<T>::get();
		let quorum = Seats::<T>::get(blob.epoch).is_some_and(|seats| {
			Self::has_quorum(&seats, blob.attested_stake, Tallies::<T>::get(id).chunks)
		});
		if let Some(params) = params.as_ref().filter(|_| quorum) {
			if Self::make_available(now, params, id, &mut blob) {
				Blobs::<T>::insert(id, blob);
				return true;
			}
		}
		Escrow::<T>::mutate(|escrow| escrow.saturating_reduce(blob.fee));
		let base = params.map(|p| p.base_fee).unwrap_or_default();
		let refund = blob.fee.saturating_sub(base);
		let refunded = match T::Currency::transfer(
			&Self::fee_pool(),
			&blob.owner,
			refund,
			Preservation::Preserve,
		) {
			Ok(_) => refund,
			Err(e) => {
				frame_support::defensive!("the fee pool does not cover an escrowed refund", e);
				Zero::zero()
			},
		};
		Self::remove_blob(id, &blob);
		Self::deposit_event(Event::BlobUnavailable { id, refund: refunded });
		quorum
	}

	/// An available blob at the end of its retention: remove its state.
	pub(crate) fn expire(id: BlobId) {
		let Some(blob) = Blobs::<T>::get(id) else { return };
		Self::remove_blob(id, &blob);
		Self::deposit_event(Event::BlobExpired { id });
	}

	fn remove_blob(id: BlobId, blob: &BlobOf<T>) {
		Blobs::<T>::remove(id);
		BlobByRoot::<T>::remove(blob.commitment.root);
		Self::remove_live(id);
		EpochBlobs::<T>::mutate(blob.epoch, |count| *count = count.saturating_sub(1));
		Self::prune_done_epochs(1);
		Tallies::<T>::remove(id);
		CertifiedBeforeV1::<T>::remove(id);
	}

	/// Prunes up to `limit` finished epochs, oldest first, while the oldest kept one has no
	/// blob left: its committee, seats and seed go. In order, so that [`OldestKeptEpoch`]
	/// tells which operators may still hold chunks. An epoch without blobs lingers until the
	/// next removal or epoch start reaches it.
	pub(crate) fn prune_done_epochs(limit: u32) {
		let current = CurrentEpoch::<T>::get();
		let mut oldest = OldestKeptEpoch::<T>::get();
		for _ in 0..limit {
			if oldest >= current || EpochBlobs::<T>::get(oldest) > 0 {
				break;
			}
			Committees::<T>::remove(oldest);
			Seats::<T>::remove(oldest);
			EpochSeeds::<T>::remove(oldest);
			EpochBlobs::<T>::remove(oldest);
			oldest += 1;
		}
		OldestKeptEpoch::<T>::put(oldest);
	}
}
