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
	/// withdraw its bond at this block.
	pub unbonding_until: Option<BlockNumber>,
}

/// Where a blob is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum BlobStatus {
	/// Waiting for attestations until its deadline.
	Pending,
	/// Members holding at least 2/3 of the committee's stake attested.
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
	/// Stake of the members that attested so far.
	pub attested_stake: Balance,
	/// When its state is removed (set once available).
	pub expires_at: Option<BlockNumber>,
}

/// What an operator signs to attest that it holds its chunks of a blob.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Attestation<AccountId> {
	/// The blob.
	pub blob: BlobId,
	/// The attesting operator (its account).
	pub operator: AccountId,
}

/// Domain separator of signed attestation payloads.
pub const ATTESTATION_CONTEXT: &[u8] = b"zerog-da-attest";

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
	/// Paid from the fee pool for a correct answer (less if the pool holds less).
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
