//! The pallet's data types: operators, blobs, attestations and parameters.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::*;
use scale_info::TypeInfo;
use zerog_erasure::BlobCommitment;

/// Sequential id of a submitted blob.
pub type BlobId = u64;
/// Index of a DA epoch.
pub type EpochIndex = u32;

/// A registered DA operator.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Operator<Key, Balance, BlockNumber> {
	/// The key its node signs attestations and challenge answers with.
	pub key: Key,
	/// Balance held as its bond; its weight in committee draws.
	pub bond: Balance,
	/// When it asked to leave: it is drawn into no committee from then on, and may
	/// withdraw its bond at this block, once every blob its last committee could hold has
	/// expired (see `unbond`).
	pub unbonding_until: Option<BlockNumber>,
}

/// What one seat of an epoch's committee counts for when it attests.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Seat<Balance> {
	/// Its voting weight: its bond at the draw, the largest capped at the others' sum
	/// ([`crate::committee::voting_weights`]).
	pub weight: Balance,
	/// How many of each blob's coded chunks it holds.
	pub chunks: u32,
}

/// What the attestations of one blob add up to, in one record: which seats attested (one
/// bit each) and the coded chunks those seats hold. Removing a blob's attestations is then
/// one write, whatever the committee's size.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxBytes))]
#[codec(mel_bound())]
pub struct Tally<MaxBytes: Get<u32>> {
	/// Bit `s % 8` of byte `s / 8` is set once seat `s` attested.
	pub seats: BoundedVec<u8, MaxBytes>,
	/// Coded chunks the attesting seats hold together.
	pub chunks: u32,
}

impl<MaxBytes: Get<u32>> Tally<MaxBytes> {
	/// Whether seat `seat` attested.
	pub fn has(&self, seat: u32) -> bool {
		self.seats
			.get((seat / 8) as usize)
			.is_some_and(|byte| byte & (1 << (seat % 8)) != 0)
	}

	/// Records seat `seat`'s attestation and the `chunks` it holds; returns the chunks
	/// attested so far, or `None` for a seat beyond the bitmap's bound (none is: seats are
	/// below `MaxCommitteeSize`).
	pub fn add(&mut self, seat: u32, chunks: u32) -> Option<u32> {
		let byte = (seat / 8) as usize;
		while self.seats.len() <= byte {
			self.seats.try_push(0).ok()?;
		}
		self.seats[byte] |= 1 << (seat % 8);
		self.chunks = self.chunks.saturating_add(chunks);
		Some(self.chunks)
	}

	/// The seats that attested, in increasing order.
	pub fn seats(&self) -> impl Iterator<Item = u32> + '_ {
		self.seats.iter().enumerate().flat_map(|(i, byte)| {
			(0..8u32)
				.filter(move |bit| byte & (1 << bit) != 0)
				.map(move |bit| i as u32 * 8 + bit)
		})
	}
}

/// Coded chunks that the attesting seats must hold together for a blob to become
/// available: two thirds of the 3,072, twice the `k` = 1,024 any rebuild needs. Even if the
/// attesters of up to a third of all chunks lie, `k` chunks remain with honest members.
pub const AVAILABLE_CHUNKS: u32 = 2 * zerog_erasure::DATA_CHUNKS;

/// Where a blob is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum BlobStatus {
	/// Waiting for attestations until its deadline.
	Pending,
	/// Attesting members hold at least 2/3 of the committee's voting weight and at least
	/// [`AVAILABLE_CHUNKS`] of its coded chunks.
	Available,
}

/// A submitted blob.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Blob<AccountId, Balance, BlockNumber> {
	/// Who submitted and paid for it.
	pub owner: AccountId,
	/// Root, size and codec.
	pub commitment: BlobCommitment,
	/// The epoch whose committee holds it.
	pub epoch: EpochIndex,
	/// The fee paid into the fee pool.
	pub fee: Balance,
	/// Last block at which attestations count.
	pub deadline: BlockNumber,
	/// Pending or available.
	pub status: BlobStatus,
	/// Voting weight ([`Seat::weight`]) of the members that attested so far.
	pub attested_stake: Balance,
	/// When its state is removed (set once available).
	pub expires_at: Option<BlockNumber>,
}

/// Domain separator of an operator key's proof of possession.
pub const KEY_PROOF_CONTEXT: &[u8] = b"zerog-da-key";

/// What an operator key signs to prove that the registering account holds it: the context,
/// the chain's genesis hash and the account (so the proof cannot be replayed by another
/// account or on another chain).
pub fn key_proof_payload<Hash: Encode, AccountId: Encode>(
	genesis: &Hash,
	account: &AccountId,
) -> alloc::vec::Vec<u8> {
	(KEY_PROOF_CONTEXT, genesis, account).encode()
}

/// Parameters of DA, set by [`crate::Config::ParamsOrigin`].
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct DaParams<Balance, BlockNumber> {
	/// Smallest bond an operator may register with.
	pub min_bond: Balance,
	/// Seats in each epoch's committee (at most `MaxCommitteeSize`).
	pub committee_size: u32,
	/// Blocks per DA epoch.
	pub epoch_length: BlockNumber,
	/// Blocks after submission within which quorum must be reached.
	pub attest_window: BlockNumber,
	/// Blocks an available blob is kept.
	pub retention: BlockNumber,
	/// Blocks between `unbond` and `withdraw`.
	pub unbonding_period: BlockNumber,
	/// Fee per blob.
	pub fee_per_blob: Balance,
	/// Fee per byte of blob.
	pub fee_per_byte: Balance,
	/// Part of the per-blob fee kept when a blob is unavailable.
	pub base_fee: Balance,
	/// Blocks between rounds of sampling challenges.
	pub challenge_period: BlockNumber,
	/// Challenges issued each round (at most `MaxChallengesPerRound`).
	pub challenges_per_round: u32,
	/// Blocks a challenged member has to answer.
	pub answer_window: BlockNumber,
	/// Share of the bond slashed for a missed or wrong answer.
	pub slash: sp_runtime::Perbill,
	/// Paid from the fee pool for a correct answer (less if the pool holds less above the
	/// pending blobs' escrowed fees).
	pub challenge_reward: Balance,
}

/// Sequential id of a sampling challenge.
pub type ChallengeId = u64;

/// A sampling challenge: `member` must show chunk `chunk` of blob `blob` by `deadline`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Challenge<AccountId, BlockNumber> {
	/// The blob.
	pub blob: BlobId,
	/// The coded chunk index.
	pub chunk: u32,
	/// The committee member assigned that chunk.
	pub member: AccountId,
	/// Last block an answer counts.
	pub deadline: BlockNumber,
}

/// A member's answer to a challenge: the chunk and its Merkle proof to the blob's root.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ChallengeAnswer {
	/// The challenge answered.
	pub challenge: ChallengeId,
	/// The chunk's bytes.
	pub chunk: alloc::vec::Vec<u8>,
	/// Its proof against the blob commitment's root.
	pub proof: zerog_erasure::MerkleProof,
}

/// Domain separator of signed challenge answers.
pub const ANSWER_CONTEXT: &[u8] = b"zerog-da-answer";

/// What an operator key signs to answer a challenge: the context, the chain's genesis hash,
/// the challenged blob's commitment root and epoch seed, and the answer (bound as
/// attestations are).
pub fn answer_payload<Hash: Encode>(
	genesis: &Hash,
	root: &zerog_erasure::Hash,
	seed: &[u8; 32],
	answer: &ChallengeAnswer,
) -> alloc::vec::Vec<u8> {
	(ANSWER_CONTEXT, genesis, root, seed, answer).encode()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_tally_records_each_seat_once_and_lists_them_in_order() {
		let mut tally = Tally::<ConstU32<128>>::default();
		assert_eq!(tally.add(9, 3), Some(3));
		assert_eq!(tally.add(0, 3), Some(6));
		assert_eq!(tally.add(1023, 2), Some(8));
		assert!(tally.has(0) && tally.has(9) && tally.has(1023));
		assert!(!tally.has(1) && !tally.has(1022) && !tally.has(5000));
		assert_eq!(tally.seats().collect::<alloc::vec::Vec<_>>(), [0, 9, 1023]);
		assert_eq!(tally.seats.len(), 128, "1,024 seats in 128 bytes");
		assert_eq!(tally.add(1024, 1), None, "beyond the bitmap's bound");
		assert_eq!(tally.chunks, 8);
	}
}
