//! # Data availability (DA)
//!
//! The on-chain half of zerog's data availability: who holds blobs, what they committed to,
//! and whether enough of them vouched for it in time.
//!
//! ## Terms
//! - **Operator**: an account that bonds balance (held) and registers an operator key; its
//!   node stores chunks and signs attestations.
//! - **Epoch**: `epoch_length` blocks. At each epoch start a committee of up to
//!   `committee_size` operators is drawn by bond from the chain's randomness.
//! - **Blob**: data of up to 32,505,852 bytes, known on chain only by its
//!   [`zerog_erasure::BlobCommitment`] (Merkle root over its 3,072 coded chunks, size, codec).
//!   Which member holds which chunks is [`zerog_erasure::assign_chunks`] of the epoch seed.
//!
//! ## Life cycle of a blob
//! 1. `submit_blob(commitment)`: the fee (per blob + per byte) goes to the fee pool; the blob
//!    is `Pending` with a deadline of `attest_window` blocks.
//! 2. `vote(vote, signature)`: an unsigned transaction carrying a payload signed by a
//!    committee member's operator key (so that off-chain workers can send it), naming every
//!    pending blob of an epoch whose chunks the member holds (see [`votes`]). One per member
//!    per block; a block's votes are counted at the start of the next block, and count for
//!    the blobs whose deadline was not before the block they were included in.
//! 3. When attesting members hold at least 2/3 of the committee's voting weight (bonds, the
//!    largest capped at the others' sum) and together hold [`AVAILABLE_CHUNKS`] (two thirds)
//!    of the coded chunks, the blob is `Available` ([`Event::BlobAvailable`]) and is kept for
//!    `retention` blocks. Stake alone never certifies: a member with most of the stake on
//!    few seats holds fewer than the `k` chunks a rebuild needs.
//! 4. A blob still pending after its deadline block is dropped as unavailable (at the start
//!    of the next block), and its fee is refunded less `base_fee`, which stays in the pool
//!    ([`Event::BlobUnavailable`]).
//! 5. At expiry its state is removed ([`Event::BlobExpired`]).
//!
//! Work in hooks is bounded: at most `MaxBlobsPerBlock` blobs reach their deadline or expire
//! in any block. A burst of submissions past that in one block is not refused: each blob is
//! queued at the first of the next `QUEUE_SPREAD` (8) blocks with room, so its attestation
//! window (or retention) is up to 7 blocks longer. Only a burst past 8 x `MaxBlobsPerBlock`
//! (512 on the shipped runtime) gets `TooManyBlobsInBlock`.
//!
//! ## Sampling challenges
//! Every `challenge_period` blocks, random (available blob, chunk, member) triples are
//! challenged. The member answers with the chunk and its Merkle proof (`answer_challenge`,
//! unsigned with a signed payload). A correct answer earns `challenge_reward` from the fee
//! pool; a wrong answer, or none by the deadline, moves `slash` of the member's bond into the
//! fee pool. No balance is created or burnt, except the existential deposit that opens the
//! fee pool at genesis.
//!
//! ## Off-chain worker
//! A node run with `--da-operator` holds chunks and attests for the operators whose keys
//! are in its keystore, and answers their challenges (see `offchain.rs`); the heavy work
//! runs natively through the `zerog-da-io` host functions.
//!
//! ## Persisting
//! `persist(blob)` hands an available blob to storage through [`zerog_traits::BlobPersister`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod alignment;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod blobs;
mod challenges;
pub mod committee;
pub mod migrations;
#[cfg(test)]
mod mock;
mod offchain;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_alignment;
#[cfg(test)]
mod tests_deadlines;
#[cfg(test)]
mod tests_escrow;
#[cfg(test)]
mod tests_keys;
#[cfg(test)]
mod tests_offchain;
#[cfg(test)]
mod tests_quorum;
#[cfg(test)]
mod tests_repair;
#[cfg(test)]
mod tests_replay;
#[cfg(test)]
mod tests_votes;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod votes;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use votes::{vote_payload, BlobBits, CastVote, Vote};
pub use weights::WeightInfo;

/// Key type of DA operator keys in a node's keystore.
pub const OPERATOR_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"zgda");

/// The operator key: sr25519, under [`OPERATOR_KEY_TYPE`].
pub mod operator_key {
	use sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, super::OPERATOR_KEY_TYPE);
}

const LOG_TARGET: &str = "runtime::da";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{Precision, Preservation},
			Randomness,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{One, SaturatedConversion, Saturating, Zero},
		RuntimeAppPublic,
	};
	use zerog_erasure::{BlobCommitment, BlobLayout, ErasureError};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// An operator record.
	pub type OperatorOf<T> = Operator<<T as Config>::OperatorKey, BalanceOf<T>, BlockNumberFor<T>>;
	/// A blob record.
	pub type BlobOf<T> =
		Blob<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// Parameters.
	pub type ParamsOf<T> = DaParams<BalanceOf<T>, BlockNumberFor<T>>;
	/// A committee: members and their bonds at draw time.
	pub type CommitteeOf<T> = BoundedVec<
		(<T as frame_system::Config>::AccountId, BalanceOf<T>),
		<T as Config>::MaxCommitteeSize,
	>;

	/// Bytes of a seat bitmap: one bit per seat of the largest committee.
	pub struct SeatBitmapBytes<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<u32> for SeatBitmapBytes<T> {
		fn get() -> u32 {
			T::MaxCommitteeSize::get().div_ceil(8)
		}
	}
	/// A blob's attestations.
	pub type TallyOf<T> = Tally<SeatBitmapBytes<T>>;
	/// A seat of a committee.
	pub type SeatOf<T> = Seat<BalanceOf<T>>;
	/// An epoch's seats, in the committee's order.
	pub type SeatsOf<T> = BoundedVec<SeatOf<T>, <T as Config>::MaxCommitteeSize>;

	/// Bytes of a vote's bitmap: one bit per blob it may name.
	pub struct VoteBitmapBytes<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<u32> for VoteBitmapBytes<T> {
		fn get() -> u32 {
			T::MaxVoteBlobs::get().div_ceil(8)
		}
	}
	/// A signed vote, as sent.
	pub type VoteOf<T> = Vote<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as frame_system::Config>::Hash,
		VoteBitmapBytes<T>,
	>;
	/// A vote kept until it is counted.
	pub type CastVoteOf<T> = CastVote<VoteBitmapBytes<T>>;

	/// The in-code storage version: 1 added [`Seats`], [`Escrow`], [`OperatorByKey`],
	/// [`OldestKeptEpoch`] and [`LeftInEpoch`], and
	/// replaced the attestation double map with [`Tallies`] ([`crate::migrations::v1`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An operator's bond.
		OperatorBond,
	}

	#[pallet::config]
	pub trait Config:
		frame_system::Config + frame_system::offchain::CreateBare<Call<Self>>
	{
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The native currency: fees are transferred, bonds are held.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Randomness for committee draws (BABE's, from one epoch ago).
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Operator keys (sr25519 under `zgda`, see [`operator_key`]).
		type OperatorKey: Member
			+ Parameter
			+ RuntimeAppPublic
			+ MaxEncodedLen
			+ MaybeSerializeDeserialize
			+ Ord;
		/// Who may change the parameters: root, later a governance track.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The fee pool's account id seed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most operators that may register.
		#[pallet::constant]
		type MaxOperators: Get<u32>;
		/// Most seats in a committee.
		#[pallet::constant]
		type MaxCommitteeSize: Get<u32>;
		/// Most blobs submitted in one block (bounds deadline and expiry work per block).
		#[pallet::constant]
		type MaxBlobsPerBlock: Get<u32>;
		/// Most challenges issued in one round.
		#[pallet::constant]
		type MaxChallengesPerRound: Get<u32>;
		/// Blocks after a blob becomes available before its members can be challenged for it
		/// (by sampling, and by alignment nodes, which draw from the same slots). A member the
		/// submitter never served (a submitter needs only the quorum's chunks out) rebuilds
		/// its share from any `k` chunks in this time; only then is it answerable for it.
		/// Every `retention` must be longer, by more than the [`crate::blobs::QUEUE_SPREAD`]
		/// blocks either queue may spill over ([`Pallet::set_params`] refuses one that is not).
		#[pallet::constant]
		type RepairWindow: Get<BlockNumberFor<Self>>;
		/// Where `persist` hands available blobs (storage, or a refusal).
		type BlobPersister: zerog_traits::BlobPersister<Self::AccountId>;
		/// Base priority of votes in the pool (plus the block they name; answers go first).
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;
		/// Most blobs one vote may name: the span of ids from the first to the last, which
		/// sets the size of its bitmap (see [`crate::votes`]).
		#[pallet::constant]
		type MaxVoteBlobs: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Current parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, OptionQuery>;

	/// Registered operators.
	#[pallet::storage]
	pub type Operators<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, OperatorOf<T>, OptionQuery>;

	/// The operator that registered each key: a key belongs to one operator.
	#[pallet::storage]
	pub type OperatorByKey<T: Config> =
		StorageMap<_, Blake2_128Concat, T::OperatorKey, T::AccountId, OptionQuery>;

	/// The current epoch.
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// Committee of each epoch that still has blobs (current one included).
	#[pallet::storage]
	pub type Committees<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, CommitteeOf<T>, OptionQuery>;

	/// The seats of each kept epoch's committee, in seat order: what each one's attestation
	/// counts for (voting weight, chunks held).
	#[pallet::storage]
	pub type Seats<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, SeatsOf<T>, OptionQuery>;

	/// Epochs before this one are pruned: none of their blobs is kept. Epochs are pruned in
	/// order, so an operator that left in an earlier epoch holds no chunk of a kept blob.
	#[pallet::storage]
	pub type OldestKeptEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The epoch each unbonding operator left in: it sits in no committee after it.
	#[pallet::storage]
	pub type LeftInEpoch<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EpochIndex, OptionQuery>;

	/// Randomness an epoch's chunk assignment is derived from.
	#[pallet::storage]
	pub type EpochSeeds<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, [u8; 32], OptionQuery>;

	/// How many blobs of each epoch are still kept; an epoch's committee and seed are removed
	/// once it is over and this reaches zero.
	#[pallet::storage]
	pub type EpochBlobs<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, u32, ValueQuery>;

	/// Blobs by id.
	#[pallet::storage]
	pub type Blobs<T: Config> = StorageMap<_, Twox64Concat, BlobId, BlobOf<T>, OptionQuery>;

	/// Blob ids by commitment root, to refuse duplicates.
	#[pallet::storage]
	pub type BlobByRoot<T: Config> =
		StorageMap<_, Identity, zerog_erasure::Hash, BlobId, OptionQuery>;

	/// The next blob id.
	#[pallet::storage]
	pub type NextBlobId<T: Config> = StorageValue<_, BlobId, ValueQuery>;

	/// Fees of the pending blobs, kept in the fee pool for their refunds: challenge rewards
	/// are paid only from what the pool holds above this.
	#[pallet::storage]
	pub type Escrow<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Blobs that storage version 0 made available below version 1's quorum (marked by the
	/// migration, so that `try_state` does not hold them to a rule they predate).
	#[pallet::storage]
	pub type CertifiedBeforeV1<T: Config> = StorageMap<_, Twox64Concat, BlobId, (), OptionQuery>;

	/// The votes cast in this block, counted at the start of the next ([`crate::votes`]).
	/// Whitelisted in the benchmarks: every vote of a block appends to it in memory, and the
	/// database reads and writes it once per block, in the count that takes it.
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type Votes<T: Config> =
		StorageValue<_, BoundedVec<CastVoteOf<T>, T::MaxOperators>, ValueQuery>;

	/// The block each operator last voted in, and the block that vote named: one vote per
	/// operator per block, each naming a later block than the last (removed on withdrawal).
	#[pallet::storage]
	pub type LastVote<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		(BlockNumberFor<T>, BlockNumberFor<T>),
		OptionQuery,
	>;

	/// Which seats attested each kept blob, and the chunks they hold (absent: none yet).
	#[pallet::storage]
	pub type Tallies<T: Config> = StorageMap<_, Twox64Concat, BlobId, TallyOf<T>, ValueQuery>;

	/// Blobs whose attestation deadline is a block.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<BlobId, T::MaxBlobsPerBlock>,
		ValueQuery,
	>;

	/// Blobs that expire at a block.
	#[pallet::storage]
	pub type Expiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<BlobId, T::MaxBlobsPerBlock>,
		ValueQuery,
	>;

	/// Available blobs whose repair window ends at a block: they join the challenge slots
	/// then ([`Config::RepairWindow`]).
	#[pallet::storage]
	pub type RepairEnds<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<BlobId, T::MaxBlobsPerBlock>,
		ValueQuery,
	>;

	/// Available blobs in dense slots, for uniform challenge draws.
	#[pallet::storage]
	pub type LiveBlobs<T: Config> = StorageMap<_, Twox64Concat, u32, BlobId, OptionQuery>;

	/// The slot of each available blob.
	#[pallet::storage]
	pub type BlobSlots<T: Config> = StorageMap<_, Twox64Concat, BlobId, u32, OptionQuery>;

	/// How many slots are used.
	#[pallet::storage]
	pub type LiveBlobCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Open challenges.
	#[pallet::storage]
	pub type Challenges<T: Config> = StorageMap<
		_,
		Twox64Concat,
		ChallengeId,
		Challenge<T::AccountId, BlockNumberFor<T>>,
		OptionQuery,
	>;

	/// The next challenge id.
	#[pallet::storage]
	pub type NextChallengeId<T: Config> = StorageValue<_, ChallengeId, ValueQuery>;

	/// Challenges whose answer deadline is a block.
	#[pallet::storage]
	pub type ChallengeDeadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<ChallengeId, T::MaxChallengesPerRound>,
		ValueQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters.
		pub params: Option<ParamsOf<T>>,
		/// Operators registered at genesis: (account, key, bond). Bonds are held.
		pub operators: Vec<(T::AccountId, T::OperatorKey, BalanceOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = &self.params {
				assert!(
					params.attest_window <= crate::votes::MAX_ATTEST_WINDOW.into(),
					"attest_window above MAX_ATTEST_WINDOW"
				);
				Params::<T>::put(params);
			}
			assert!(
				self.operators.len() as u32 <= T::MaxOperators::get(),
				"more genesis operators than MaxOperators"
			);
			for (who, key, bond) in &self.operators {
				assert!(!Operators::<T>::contains_key(who), "genesis operators must be distinct");
				assert!(
					!OperatorByKey::<T>::contains_key(key),
					"genesis operator keys must be distinct"
				);
				OperatorByKey::<T>::insert(key, who);
				T::Currency::hold(&HoldReason::OperatorBond.into(), who, *bond)
					.expect("genesis operators can pay their bond");
				Operators::<T>::insert(
					who,
					Operator { key: key.clone(), bond: *bond, unbonding_until: None },
				);
			}
			Pallet::<T>::open_fee_pool();
			Pallet::<T>::start_epoch(0);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An operator registered with a bond.
		OperatorRegistered { who: T::AccountId, bond: BalanceOf<T> },
		/// An operator added to its bond.
		BondIncreased { who: T::AccountId, bond: BalanceOf<T> },
		/// An operator asked to leave; it may withdraw at `until`.
		OperatorUnbonding { who: T::AccountId, until: BlockNumberFor<T> },
		/// An operator left and got its bond back.
		OperatorWithdrawn { who: T::AccountId, bond: BalanceOf<T> },
		/// A new epoch started with a committee of `size` members.
		EpochStarted { epoch: EpochIndex, size: u32 },
		/// A blob was submitted.
		BlobSubmitted {
			id: BlobId,
			owner: T::AccountId,
			root: zerog_erasure::Hash,
			size: u32,
			fee: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		},
		/// The votes counted at the start of this block added `seats` seats to a blob's
		/// tally, whose seats now hold `chunks` of its coded chunks.
		BlobAttested { id: BlobId, seats: u32, chunks: u32 },
		/// Members with at least 2/3 of the committee's stake attested.
		BlobAvailable { id: BlobId, expires_at: BlockNumberFor<T> },
		/// Quorum was not reached by the deadline; the fee less the base fee was refunded.
		BlobUnavailable { id: BlobId, refund: BalanceOf<T> },
		/// An available blob reached the end of its retention.
		BlobExpired { id: BlobId },
		/// Parameters were changed.
		ParamsSet,
		/// `member` must show chunk `chunk` of blob `blob` by `deadline`.
		ChallengeIssued {
			id: ChallengeId,
			blob: BlobId,
			chunk: u32,
			member: T::AccountId,
			deadline: BlockNumberFor<T>,
		},
		/// A correct answer; `reward` was paid from the fee pool.
		ChallengeAnswered { id: ChallengeId, member: T::AccountId, reward: BalanceOf<T> },
		/// A wrong answer; `slashed` of the member's bond went to the fee pool.
		ChallengeFailed { id: ChallengeId, member: T::AccountId, slashed: BalanceOf<T> },
		/// No answer by the deadline; `slashed` of the member's bond went to the fee pool.
		ChallengeMissed { id: ChallengeId, member: T::AccountId, slashed: BalanceOf<T> },
		/// A quorum of alignment reports found the operator faulty; `slashed` of its bond
		/// went to the fee pool.
		OperatorSlashed { operator: T::AccountId, slashed: BalanceOf<T> },
		/// An available blob was handed to storage.
		BlobPersisted { id: BlobId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// DA parameters have not been set.
		NotConfigured,
		/// The account is already an operator.
		AlreadyOperator,
		/// The account is not an operator.
		NotOperator,
		/// The bond is below the minimum.
		BondTooLow,
		/// The account cannot pay for this (bond, top-up or fee).
		InsufficientBalance,
		/// The most operators are already registered.
		TooManyOperators,
		/// The operator is already leaving.
		AlreadyUnbonding,
		/// The operator has not asked to leave.
		NotUnbonding,
		/// The unbonding period has not passed.
		StillUnbonding,
		/// A blob must hold at least one byte.
		EmptyBlob,
		/// The blob is larger than 32,505,852 bytes.
		BlobTooLarge,
		/// This build does not know the commitment's codec.
		UnknownCodec,
		/// A blob with this commitment root is already recorded.
		DuplicateBlob,
		/// The current epoch has no committee (no operators).
		NoCommittee,
		/// The deadline (or expiry) queues of all `QUEUE_SPREAD` blocks a blob could be
		/// queued in are full (`MaxBlobsPerBlock` each).
		TooManyBlobsInBlock,
		/// No blob with this id.
		UnknownBlob,
		/// The operator does not hold this seat of the epoch's committee.
		NotInCommittee,
		/// The signature does not match the operator key.
		BadSignature,
		/// No open challenge with this id.
		UnknownChallenge,
		/// The challenge's answer deadline has passed.
		ChallengeExpired,
		/// Only the blob's owner may do this.
		NotBlobOwner,
		/// The blob is not available (yet).
		BlobNotAvailable,
		/// Parameters out of range (zero epoch, committee above the maximum, base fee above
		/// the per-blob fee, ...).
		InvalidParams,
		/// Another operator already registered this key.
		KeyInUse,
		/// The proof of possession is not the key's signature over the genesis hash and the
		/// registering account.
		BadKeyProof,
		/// A blob of the epoch the operator left in, or of an earlier one, is still kept: the
		/// operator may hold its chunks and must stay slashable.
		StillHoldingChunks,
		/// The vote names a block that is not one of this chain's last
		/// [`crate::votes::VOTE_LONGEVITY`] blocks (another fork or chain, or too old).
		StaleVote,
		/// The vote names no blob.
		EmptyVote,
		/// The operator already voted in this block.
		AlreadyVoted,
		/// Every operator already voted in this block.
		TooManyVotes,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let mut weight = T::DbWeight::get().reads(1);
			if let Some(params) = Params::<T>::get() {
				// The previous block's votes, before its deadlines close below.
				let counted = Self::count_votes(now, &params);
				weight.saturating_accrue(T::WeightInfo::count_votes(
					counted.votes,
					counted.mentions,
					counted.blobs,
				));
				// `Votes`, whitelisted in the benchmarks, read every block.
				weight.saturating_accrue(T::DbWeight::get().reads(1));
				if counted.votes > 0 {
					// Its removal, the deadline queues beyond the benchmark's window, the
					// seats of every epoch after the first, and the blobs read but left as
					// they were (the record and its tally).
					let queues = params.attest_window.saturated_into::<u64>();
					let reads = queues
						.saturating_add(counted.epochs.into())
						.saturating_add(u64::from(counted.read_only).saturating_mul(2));
					weight.saturating_accrue(T::DbWeight::get().reads_writes(reads, 1));
				}
				if !params.epoch_length.is_zero() && (now % params.epoch_length).is_zero() {
					Self::start_epoch(CurrentEpoch::<T>::get().saturating_add(1));
					// With the pruning of as many finished epochs as an epoch start may.
					weight.saturating_accrue(T::WeightInfo::start_epoch(T::MaxOperators::get()));
				}
			}
			// Blobs whose repair window ended can be drawn from this block's round on.
			let ended = Self::end_repair_windows(now);
			weight.saturating_accrue(T::WeightInfo::on_repair_ends(ended));
			if let Some(params) = Params::<T>::get() {
				if !params.challenge_period.is_zero() && (now % params.challenge_period).is_zero() {
					let issued = Self::issue_challenges(now, &params);
					weight.saturating_accrue(T::WeightInfo::issue_challenges(issued));
				}
			}
			// A deadline is the last block an answer or attestation is taken in: what is due
			// at it closes at the start of the next block (closed at the deadline itself, an
			// answer included in the deadline block found its challenge gone, and its honest
			// member was slashed).
			let closing = now.saturating_sub(One::one());
			let closed = Self::close_challenges(closing);
			weight.saturating_accrue(T::WeightInfo::close_challenges(closed));
			let due = Deadlines::<T>::take(closing);
			// Each removal at its worst: its tally, its legacy mark, and the pruning of its
			// epoch when it was the oldest kept one's last.
			weight.saturating_accrue(T::WeightInfo::on_deadlines(due.len() as u32));
			// Per blob the seats and tally of its quorum check, and for a blob at quorum
			// what making it available costs (the queues' reads and writes), whether or not
			// its queues had room.
			weight.saturating_accrue(T::DbWeight::get().reads(2).saturating_mul(due.len() as u64));
			for id in due {
				if Self::close_unattested(id, now) {
					let queues = 2 * crate::blobs::QUEUE_SPREAD as u64;
					weight.saturating_accrue(T::DbWeight::get().reads_writes(queues + 2, 6));
				}
			}
			let expiring = Expiries::<T>::take(now);
			weight.saturating_accrue(T::WeightInfo::on_expiries(expiring.len() as u32));
			for id in expiring {
				Self::expire(id);
			}
			weight
		}

		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_offchain_worker(now);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	// `ValidateUnsigned` is deprecated in favour of `#[pallet::authorize]`; it still works
	// through April 2027. Moving over is tracked in the README.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			if let Call::answer_challenge { answer, signature } = call {
				let (member, _) = Self::check_answer(answer, signature).map_err(|e| match e {
					Error::<T>::BadSignature => InvalidTransaction::BadProof,
					Error::<T>::ChallengeExpired => InvalidTransaction::Stale,
					Error::<T>::UnknownChallenge => InvalidTransaction::Stale,
					_ => InvalidTransaction::Custom(1),
				})?;
				// Above every vote: an answer has the nearest deadline, and a missed one is
				// slashed.
				return ValidTransaction::with_tag_prefix("ZerogDaAnswer")
					.priority(TransactionPriority::MAX)
					.and_provides((answer.challenge, member))
					.longevity(64)
					.propagate(true)
					.build();
			}
			let Call::vote { vote, signature } = call else {
				return InvalidTransaction::Call.into();
			};
			Self::check_vote(vote, signature).map_err(|e| match e {
				Error::<T>::BadSignature => InvalidTransaction::BadProof,
				Error::<T>::StaleVote => InvalidTransaction::Stale,
				// Room in a later block.
				Error::<T>::AlreadyVoted | Error::<T>::TooManyVotes => {
					InvalidTransaction::ExhaustsResources
				},
				_ => InvalidTransaction::Custom(0),
			})?;
			let now = frame_system::Pallet::<T>::block_number();
			let left = vote
				.at
				.saturating_add(crate::votes::VOTE_LONGEVITY.into())
				.saturating_sub(now)
				.saturated_into::<u64>();
			// One vote per operator in the pool: a newer one (naming a later block, so of a
			// higher priority) replaces it, and an old vote cannot jump the queue.
			ValidTransaction::with_tag_prefix("ZerogDaVote")
				.priority(T::UnsignedPriority::get().saturating_add(vote.at.saturated_into()))
				.and_provides(vote.operator.clone())
				.longevity(left.max(1))
				.propagate(true)
				.build()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as a DA operator with `key` and hold `bond` (at least `min_bond`).
		/// `proof` is the key's signature over [`key_proof_payload`] (this chain's genesis
		/// hash and the caller): only the key's holder can register it, and only once, so
		/// nobody is paid for the work of another operator's node.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_operator())]
		pub fn register_operator(
			origin: OriginFor<T>,
			key: T::OperatorKey,
			bond: BalanceOf<T>,
			proof: <T::OperatorKey as RuntimeAppPublic>::Signature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			ensure!(!Operators::<T>::contains_key(&who), Error::<T>::AlreadyOperator);
			ensure!(bond >= params.min_bond, Error::<T>::BondTooLow);
			ensure!(Operators::<T>::count() < T::MaxOperators::get(), Error::<T>::TooManyOperators);
			ensure!(!OperatorByKey::<T>::contains_key(&key), Error::<T>::KeyInUse);
			let payload = key_proof_payload(&Self::genesis_hash(), &who);
			ensure!(key.verify(&payload, &proof), Error::<T>::BadKeyProof);
			T::Currency::hold(&HoldReason::OperatorBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			OperatorByKey::<T>::insert(&key, &who);
			Operators::<T>::insert(&who, Operator { key, bond, unbonding_until: None });
			Self::deposit_event(Event::OperatorRegistered { who, bond });
			Ok(())
		}

		/// Add `amount` to the caller's bond.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Operators::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let operator = maybe.as_mut().ok_or(Error::<T>::NotOperator)?;
				ensure!(operator.unbonding_until.is_none(), Error::<T>::AlreadyUnbonding);
				T::Currency::hold(&HoldReason::OperatorBond.into(), &who, amount)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
				operator.bond = operator.bond.saturating_add(amount);
				Self::deposit_event(Event::BondIncreased { who: who.clone(), bond: operator.bond });
				Ok(())
			})
		}

		/// Stop being drawn into committees. The bond stays held, and slashable, until the
		/// unbonding period is over and every epoch up to this one is pruned (none of its
		/// blobs kept, so no chunk the operator may hold is live). `until` in the event
		/// estimates that with today's parameters: the end of this epoch, plus
		/// `attest_window`, `retention` and `answer_window`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			Operators::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let operator = maybe.as_mut().ok_or(Error::<T>::NotOperator)?;
				ensure!(operator.unbonding_until.is_none(), Error::<T>::AlreadyUnbonding);
				let until = Self::unbonding_end(frame_system::Pallet::<T>::block_number(), &params);
				operator.unbonding_until = Some(until);
				LeftInEpoch::<T>::insert(&who, CurrentEpoch::<T>::get());
				Self::deposit_event(Event::OperatorUnbonding { who: who.clone(), until });
				Ok(())
			})
		}

		/// Release the bond of an operator whose unbonding period is over, and remove it.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let operator = Operators::<T>::get(&who).ok_or(Error::<T>::NotOperator)?;
			let until = operator.unbonding_until.ok_or(Error::<T>::NotUnbonding)?;
			ensure!(frame_system::Pallet::<T>::block_number() >= until, Error::<T>::StillUnbonding);
			// `until` assumed the parameters of the day; the chain's state decides: every
			// epoch it may hold chunks of must be pruned.
			let left = LeftInEpoch::<T>::get(&who).unwrap_or_else(CurrentEpoch::<T>::get);
			ensure!(OldestKeptEpoch::<T>::get() > left, Error::<T>::StillHoldingChunks);
			T::Currency::release(
				&HoldReason::OperatorBond.into(),
				&who,
				operator.bond,
				Precision::BestEffort,
			)?;
			Operators::<T>::remove(&who);
			if OperatorByKey::<T>::get(&operator.key).as_ref() == Some(&who) {
				OperatorByKey::<T>::remove(&operator.key);
			}
			LeftInEpoch::<T>::remove(&who);
			LastVote::<T>::remove(&who);
			Self::deposit_event(Event::OperatorWithdrawn { who, bond: operator.bond });
			Ok(())
		}

		/// Record a blob by its commitment and pay its fee into the fee pool.
		#[pallet::call_index(4)]
		// + up to `QUEUE_SPREAD - 1` more deadline queues read when the due block's is full.
		#[pallet::weight(T::WeightInfo::submit_blob()
			.saturating_add(T::DbWeight::get().reads(crate::blobs::QUEUE_SPREAD as u64 - 1)))]
		pub fn submit_blob(origin: OriginFor<T>, commitment: BlobCommitment) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			BlobLayout::new(commitment.size as u64, commitment.codec).map_err(|e| match e {
				ErasureError::EmptyBlob => Error::<T>::EmptyBlob,
				ErasureError::BlobTooLarge { .. } => Error::<T>::BlobTooLarge,
				_ => Error::<T>::UnknownCodec,
			})?;
			ensure!(!BlobByRoot::<T>::contains_key(commitment.root), Error::<T>::DuplicateBlob);
			let epoch = CurrentEpoch::<T>::get();
			ensure!(
				Committees::<T>::get(epoch).is_some_and(|c| !c.is_empty()),
				Error::<T>::NoCommittee
			);
			let now = frame_system::Pallet::<T>::block_number();
			let id = NextBlobId::<T>::get();
			let deadline = Self::enqueue(now.saturating_add(params.attest_window), |block| {
				Deadlines::<T>::try_mutate(block, |due| due.try_push(id)).is_ok()
			})
			.ok_or(Error::<T>::TooManyBlobsInBlock)?;
			let fee = params
				.fee_per_blob
				.saturating_add(params.fee_per_byte.saturating_mul(commitment.size.into()));
			T::Currency::transfer(&owner, &Self::fee_pool(), fee, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			NextBlobId::<T>::put(id + 1);
			Escrow::<T>::mutate(|escrow| escrow.saturating_accrue(fee));
			EpochBlobs::<T>::mutate(epoch, |count| *count += 1);
			BlobByRoot::<T>::insert(commitment.root, id);
			let root = commitment.root;
			let size = commitment.size;
			Blobs::<T>::insert(
				id,
				Blob {
					owner: owner.clone(),
					commitment,
					epoch,
					fee,
					deadline,
					status: BlobStatus::Pending,
					attested_stake: Zero::zero(),
					expires_at: None,
				},
			);
			Self::deposit_event(Event::BlobSubmitted { id, owner, root, size, fee, deadline });
			Ok(())
		}

		/// A committee member's vote: it holds its chunks of every blob the vote names. An
		/// unsigned transaction whose payload is signed by the member's operator key; counted
		/// at the start of the next block ([`crate::votes`]).
		///
		/// Operational: a committee's votes are bounded (one per member per block) and do not
		/// compete with paid transactions for the normal class, where tipped transactions of
		/// any account would go first and could keep votes out of every block.
		#[pallet::call_index(5)]
		#[pallet::weight((T::WeightInfo::vote(vote.held.bits.len() as u32), DispatchClass::Operational))]
		pub fn vote(
			origin: OriginFor<T>,
			vote: VoteOf<T>,
			signature: <T::OperatorKey as RuntimeAppPublic>::Signature,
		) -> DispatchResult {
			ensure_none(origin)?;
			Self::check_vote(&vote, &signature)?;
			Self::cast_vote(vote)?;
			Ok(())
		}

		/// A challenged member's answer: the chunk and its proof, signed by its operator key.
		/// A wrong chunk or proof is included and slashed, not refused.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::answer_challenge())]
		pub fn answer_challenge(
			origin: OriginFor<T>,
			answer: ChallengeAnswer,
			signature: <T::OperatorKey as RuntimeAppPublic>::Signature,
		) -> DispatchResult {
			ensure_none(origin)?;
			let (member, blob) = Self::check_answer(&answer, &signature)?;
			let challenge =
				Challenges::<T>::take(answer.challenge).ok_or(Error::<T>::UnknownChallenge)?;
			let id = answer.challenge;
			match blob.commitment.verify_chunk(challenge.chunk, &answer.chunk, &answer.proof) {
				Ok(()) => {
					let reward = Self::reward(&member);
					Self::deposit_event(Event::ChallengeAnswered { id, member, reward });
				},
				Err(_) => {
					let slashed = Self::slash(&member);
					Self::deposit_event(Event::ChallengeFailed { id, member, slashed });
				},
			}
			Ok(())
		}

		/// Hand an available blob to permanent storage. Only its owner may.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::persist())]
		pub fn persist(origin: OriginFor<T>, blob: BlobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Blobs::<T>::get(blob).ok_or(Error::<T>::UnknownBlob)?;
			ensure!(record.owner == who, Error::<T>::NotBlobOwner);
			ensure!(record.status == BlobStatus::Available, Error::<T>::BlobNotAvailable);
			<T::BlobPersister as zerog_traits::BlobPersister<T::AccountId>>::persist(
				&who,
				&record.commitment,
			)?;
			Self::deposit_event(Event::BlobPersisted { id: blob });
			Ok(())
		}

		/// Set the DA parameters.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(
				!params.epoch_length.is_zero()
					&& !params.attest_window.is_zero()
					&& params.attest_window <= crate::votes::MAX_ATTEST_WINDOW.into()
					&& params.retention
						> T::RepairWindow::get().saturating_add(crate::blobs::QUEUE_SPREAD.into())
					&& params.committee_size > 0
					&& params.committee_size <= T::MaxCommitteeSize::get()
					&& params.base_fee <= params.fee_per_blob
					&& !params.answer_window.is_zero()
					&& params.challenges_per_round <= T::MaxChallengesPerRound::get(),
				Error::<T>::InvalidParams
			);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet);
			Ok(())
		}
	}
}
