//! Votes: how a committee of up to 1,024 operators certifies many blobs per block.
//!
//! An operator does not attest blob by blob. Once per block at most, its node sends one
//! [`Vote`]: a bitmap of the pending blobs of one epoch whose chunks it now holds, signed
//! once. The call checks the signature and the seat and appends the vote to [`Votes`]; it
//! touches no blob. At the start of the next block, [`Pallet::count_votes`] adds every
//! vote's seat to the tallies of the pending blobs it names, reading and writing each blob
//! once however many votes name it. So a block's cost is one signature check and a few
//! reads and writes per voting operator, plus one tally update per blob, instead of one
//! signed transaction per (operator, blob) pair.
//!
//! A vote names the block its node saw the blobs in, by number and hash, and is counted
//! only on a chain that has that block: a blob id names the same data on every chain that
//! shares the block, so a vote cannot be replayed on a fork or another chain where the id is
//! other data. Each vote of an operator names a later block than its last, so a vote counts
//! once and an old one cannot be replayed. What bounds the work: one vote per operator per
//! block, each spanning at most [`Config::MaxVoteBlobs`] ids (no budget shared between
//! operators, which one could exhaust for all), only blobs in the deadline queues are read
//! (a blob leaves its queue when it becomes available), and a count reads at most
//! [`max_counted_blobs`] of them, those named by the most votes first (what it leaves out,
//! the members name again in a later vote).

use crate::{pallet::*, types::*};
use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{One, Saturating},
	RuntimeAppPublic,
};

/// Blocks after the block it names during which a vote can be included.
pub const VOTE_LONGEVITY: u32 = 16;

/// A count reads and updates at most this many blocks' worth of blobs
/// ([`Config::MaxBlobsPerBlock`] each), those named by the most votes first: see
/// [`max_counted_blobs`].
pub const COUNTED_BLOCKS_OF_BLOBS: u32 = 4;

/// Most pending blobs one count reads: four blocks' worth, so that a steady stream (each
/// blob counted in one or two blocks) has twice the room it needs, while the count's weight
/// stays bounded however many pending blobs the votes name. Without it, a few members could
/// each name 128 different pending blobs (their own, withheld) every block and make the
/// count, which is mandatory, outweigh the block.
pub fn max_counted_blobs<T: Config>() -> u32 {
	T::MaxBlobsPerBlock::get().saturating_mul(COUNTED_BLOCKS_OF_BLOBS)
}

/// Longest attestation window: the blocks whose deadline queues a vote count reads are
/// bounded by it ([`Pallet::set_params`] refuses a longer one).
pub const MAX_ATTEST_WINDOW: u32 = 256;

/// An operator's vote: it holds its chunks of every blob of `epoch` whose bit is set, as
/// of block `at`. Signed by its operator key over [`vote_payload`].
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxBytes))]
pub struct Vote<AccountId, BlockNumber, Hash, MaxBytes: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	Hash: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The voting operator (its account).
	pub operator: AccountId,
	/// The epoch whose committee holds the blobs.
	pub epoch: EpochIndex,
	/// The operator's seat in that committee.
	pub seat: u32,
	/// The block the operator's node saw the blobs in, and its hash.
	pub at: BlockNumber,
	/// The hash of block `at`.
	pub at_hash: Hash,
	/// The blobs: bit `i % 8` of byte `i / 8` set for blob `first + i`.
	pub held: BlobBits<MaxBytes>,
}

/// A set of blob ids: a first id and a bitmap from it.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxBytes))]
#[codec(mel_bound())]
pub struct BlobBits<MaxBytes: Get<u32>> {
	/// The id bit 0 stands for.
	pub first: BlobId,
	/// Bit `i % 8` of byte `i / 8` is set for blob `first + i`.
	pub bits: BoundedVec<u8, MaxBytes>,
}

impl<MaxBytes: Get<u32>> BlobBits<MaxBytes> {
	/// The set of `ids` (any order, no duplicates needed), or `None` if they span more than
	/// `8 * MaxBytes` ids or there are none.
	pub fn from_ids(ids: &[BlobId]) -> Option<Self> {
		let first = *ids.iter().min()?;
		let last = *ids.iter().max()?;
		let len = usize::try_from((last - first) / 8 + 1).ok()?;
		let mut bits = alloc::vec![0u8; len];
		for id in ids {
			let i = (id - first) as usize;
			bits[i / 8] |= 1 << (i % 8);
		}
		Some(Self { first, bits: bits.try_into().ok()? })
	}

	/// The ids in the set, in increasing order.
	pub fn ids(&self) -> impl Iterator<Item = BlobId> + '_ {
		let first = self.first;
		self.bits.iter().enumerate().flat_map(move |(i, byte)| {
			(0..8u64)
				.filter(move |bit| byte & (1 << bit) != 0)
				.map(move |bit| first.saturating_add(i as u64 * 8 + bit))
		})
	}

	/// How many ids the set holds.
	pub fn count(&self) -> u32 {
		self.bits.iter().map(|byte| byte.count_ones()).sum()
	}
}

/// A vote as kept until it is counted: the seat it is for and the blobs it names.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxBytes))]
#[codec(mel_bound())]
pub struct CastVote<MaxBytes: Get<u32>> {
	/// The epoch whose committee the seat is of.
	pub epoch: EpochIndex,
	/// The voting seat.
	pub seat: u32,
	/// The blobs it holds its chunks of.
	pub held: BlobBits<MaxBytes>,
}

/// Domain separator of signed votes.
pub const VOTE_CONTEXT: &[u8] = b"zerog-da-vote";

/// What an operator key signs to vote: the context, the chain's genesis hash and the vote
/// (which names a block by number and hash, binding its blob ids to their data).
pub fn vote_payload<Hash: Encode, V: Encode>(genesis: &Hash, vote: &V) -> Vec<u8> {
	(VOTE_CONTEXT, genesis, vote).encode()
}

/// What one block's count did, for its weight.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Counted {
	/// Votes counted.
	pub votes: u32,
	/// Bits set in them.
	pub mentions: u32,
	/// Pending blobs read and updated.
	pub blobs: u32,
	/// Blobs read and left as they were (no new seat).
	pub read_only: u32,
	/// Committees whose seats were read.
	pub epochs: u32,
	/// Pending blobs named but left for a later vote: past [`max_counted_blobs`], named by
	/// fewer votes than those counted.
	pub deferred: u32,
}

impl<T: Config> Pallet<T> {
	/// Checks `vote` against the chain at the current block and returns how many blobs it
	/// names: a recent block that this chain has and later than the one its operator's last
	/// vote named, non-empty, the operator's seat, no vote of its yet in this block, and its
	/// key's signature. Nothing here depends on other operators' votes: a pool validating
	/// against the last block's state (whose votes are not yet counted) sees the same.
	pub fn check_vote(
		vote: &VoteOf<T>,
		signature: &<T::OperatorKey as RuntimeAppPublic>::Signature,
	) -> Result<u32, Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			vote.at < now && now.saturating_sub(vote.at) <= VOTE_LONGEVITY.into(),
			Error::<T>::StaleVote
		);
		ensure!(
			frame_system::Pallet::<T>::block_hash(vote.at) == vote.at_hash,
			Error::<T>::StaleVote
		);
		let mentions = vote.held.count();
		ensure!(mentions > 0, Error::<T>::EmptyVote);
		if let Some((voted_in, named)) = LastVote::<T>::get(&vote.operator) {
			// Each vote names a later block than the operator's last: a vote is counted
			// once, and nobody can take an operator's turn by replaying an old one.
			ensure!(vote.at > named, Error::<T>::StaleVote);
			ensure!(voted_in != now, Error::<T>::AlreadyVoted);
		}
		let committee = Committees::<T>::get(vote.epoch).ok_or(Error::<T>::NotInCommittee)?;
		ensure!(
			committee.get(vote.seat as usize).is_some_and(|(who, _)| who == &vote.operator),
			Error::<T>::NotInCommittee
		);
		let operator = Operators::<T>::get(&vote.operator).ok_or(Error::<T>::NotOperator)?;
		let payload = vote_payload(&Self::genesis_hash(), vote);
		ensure!(operator.key.verify(&payload, signature), Error::<T>::BadSignature);
		Ok(mentions)
	}

	/// Records a checked vote, to be counted next block.
	pub(crate) fn cast_vote(vote: VoteOf<T>) -> Result<(), Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Votes::<T>::try_append(CastVote { epoch: vote.epoch, seat: vote.seat, held: vote.held })
			.map_err(|_| Error::<T>::TooManyVotes)?;
		LastVote::<T>::insert(&vote.operator, (now, vote.at));
		Ok(())
	}

	/// Counts the votes cast in the previous block into the tallies of the pending blobs
	/// they name (whose deadline was not before that block), and makes available the blobs
	/// that reach quorum. Called first in `on_initialize`, before the previous block's
	/// deadlines close.
	pub(crate) fn count_votes(now: BlockNumberFor<T>, params: &ParamsOf<T>) -> Counted {
		let votes = Votes::<T>::take();
		let mut counted = Counted { votes: votes.len() as u32, ..Default::default() };
		if votes.is_empty() {
			return counted;
		}
		let cast_in = now.saturating_sub(One::one());
		// Every pending blob is in a deadline queue from `cast_in` on, and a blob leaves its
		// queue when it becomes available.
		let mut pending = BTreeSet::new();
		let last = cast_in
			.saturating_add(params.attest_window)
			.saturating_add(crate::blobs::QUEUE_SPREAD.into());
		let mut block = cast_in;
		while block <= last {
			pending.extend(Deadlines::<T>::get(block));
			block = block.saturating_add(One::one());
		}
		let mut voters: BTreeMap<BlobId, Vec<usize>> = BTreeMap::new();
		for (index, vote) in votes.iter().enumerate() {
			for id in vote.held.ids() {
				counted.mentions += 1;
				if pending.contains(&id) {
					voters.entry(id).or_default().push(index);
				}
			}
		}
		// The blobs named by the most votes first (the nearest a quorum, which no member
		// can fake: one vote per member), up to the bound; a member whose mention is left
		// out names the blob again in a later vote.
		let mut named: Vec<(BlobId, Vec<usize>)> = voters.into_iter().collect();
		named.sort_by(|(a, by_a), (b, by_b)| by_b.len().cmp(&by_a.len()).then(a.cmp(b)));
		let bound = max_counted_blobs::<T>() as usize;
		counted.deferred = named.len().saturating_sub(bound) as u32;
		named.truncate(bound);
		let mut seats: BTreeMap<EpochIndex, Option<SeatsOf<T>>> = BTreeMap::new();
		for (id, by) in named {
			let Some(mut blob) = Blobs::<T>::get(id) else {
				counted.read_only += 1;
				continue;
			};
			if blob.status != BlobStatus::Pending || blob.deadline < cast_in {
				counted.read_only += 1;
				continue;
			}
			let epoch_seats = seats.entry(blob.epoch).or_insert_with(|| {
				counted.epochs += 1;
				Seats::<T>::get(blob.epoch)
			});
			let Some(epoch_seats) = epoch_seats.as_ref() else {
				counted.read_only += 1;
				continue;
			};
			let mut tally = Tallies::<T>::get(id);
			let mut added = 0u32;
			for vote in by.iter().map(|&i| &votes[i]) {
				if vote.epoch != blob.epoch || tally.has(vote.seat) {
					continue;
				}
				let Some(seat) = epoch_seats.get(vote.seat as usize) else { continue };
				if tally.add(vote.seat, seat.chunks).is_some() {
					blob.attested_stake = blob.attested_stake.saturating_add(seat.weight);
					added += 1;
				}
			}
			if added == 0 {
				counted.read_only += 1;
				continue;
			}
			counted.blobs += 1;
			let chunks = tally.chunks;
			Tallies::<T>::insert(id, tally);
			Self::deposit_event(Event::BlobAttested { id, seats: added, chunks });
			if Self::has_quorum(epoch_seats, blob.attested_stake, chunks) {
				Self::make_available(now, params, id, &mut blob);
			}
			Blobs::<T>::insert(id, blob);
		}
		counted
	}

	/// Marks `blob` available at `now`: queues its expiry and the end of its repair window,
	/// takes it out of its deadline queue, and moves its fee from the escrow into the reward
	/// budget. With every queue it may use full (a burst of more than
	/// [`crate::blobs::QUEUE_SPREAD`] blocks' worth of blobs becoming available at once), it
	/// stays pending, and its deadline tries again ([`Pallet::close_unattested`]). Returns
	/// whether it is available.
	pub(crate) fn make_available(
		now: BlockNumberFor<T>,
		params: &ParamsOf<T>,
		id: BlobId,
		blob: &mut BlobOf<T>,
	) -> bool {
		let Some(expires_at) = Self::enqueue(now.saturating_add(params.retention), |block| {
			Expiries::<T>::try_mutate(block, |due| due.try_push(id)).is_ok()
		}) else {
			log::warn!(target: crate::LOG_TARGET, "blob {id}: quorum, but every expiry queue is full");
			return false;
		};
		if Self::start_repair_window(now, id).is_err() {
			Expiries::<T>::mutate(expires_at, |due| due.retain(|queued| *queued != id));
			log::warn!(target: crate::LOG_TARGET, "blob {id}: quorum, but every repair queue is full");
			return false;
		}
		Deadlines::<T>::mutate_exists(blob.deadline, |due| {
			if let Some(queued) = due {
				queued.retain(|queued| *queued != id);
				if queued.is_empty() {
					*due = None;
				}
			}
		});
		blob.status = BlobStatus::Available;
		blob.expires_at = Some(expires_at);
		// The fee is earned: it joins the reward budget.
		Escrow::<T>::mutate(|escrow| escrow.saturating_reduce(blob.fee));
		Self::deposit_event(Event::BlobAvailable { id, expires_at });
		true
	}
}
