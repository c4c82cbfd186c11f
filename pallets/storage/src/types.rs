//! The pallet's data types: submissions, deals, providers, streams and parameters.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::*;
use scale_info::TypeInfo;
use zerog_erasure::Hash;

/// Sequential id of a storage deal.
pub type DealId = u64;
/// A storage provider's miner id (what its data is sealed to).
pub type MinerId = [u8; 32];
/// A KV stream's id.
pub type StreamId = [u8; 32];
/// Index of a storage (PoRA) epoch.
pub type EpochIndex = u32;

/// The most aligned subtrees a file is appended as (from the shared crate).
pub const MAX_FILE_SUBTREES: u32 = zerog_erasure::storage::MAX_FILE_SUBTREES;

/// A tag on a submission.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Tag {
	/// The file is a KV entry (see `zerog_erasure::kv`) for this stream.
	KvStream(StreamId),
	/// A free-form application tag.
	App([u8; 32]),
}

/// What `submit` carries: the file's size and its aligned subtree roots, tags, and what is
/// bought (replicas for a number of pricing periods).
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxTags))]
pub struct Submission<MaxTags: Get<u32>> {
	/// The file's Merkle root (`zerog_erasure::storage::FileTree::root`): what uploaded
	/// segments are checked against.
	pub root: Hash,
	/// File size in bytes.
	pub size: u64,
	/// The file's aligned subtrees (height, root), largest first, as
	/// `zerog_erasure::storage::FileTree::flow_subtrees` gives them.
	pub subtrees: BoundedVec<(u32, Hash), ConstU32<MAX_FILE_SUBTREES>>,
	/// Tags (KV streams, application tags).
	pub tags: BoundedVec<Tag, MaxTags>,
	/// Copies kept by providers.
	pub replicas: u32,
	/// Pricing periods paid for.
	pub periods: u32,
}

/// A storage deal: one submitted file, what was paid, and what of it was claimed.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Deal<AccountId, Balance, BlockNumber> {
	/// Who paid.
	pub owner: AccountId,
	/// The file's Merkle root.
	pub root: Hash,
	/// File size in bytes.
	pub size: u64,
	/// First sector in the flow.
	pub start_sector: u64,
	/// Sectors it takes in the flow (padding included).
	pub sectors: u64,
	/// Copies bought.
	pub replicas: u32,
	/// Block it was submitted at.
	pub start: BlockNumber,
	/// Block it expires at.
	pub end: BlockNumber,
	/// Everything paid (submission and renewals); held in the pallet's pool account.
	pub paid: Balance,
	/// Paid out to miners so far.
	pub claimed: Balance,
}

/// A registered storage provider.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Provider<Balance, BlockNumber> {
	/// What its data is sealed to; unique among providers.
	pub miner_id: MinerId,
	/// Bond held.
	pub bond: Balance,
	/// The shard it stores and mines.
	pub shard: Shard,
	/// When it asked to leave; it may withdraw at this block.
	pub unbonding_until: Option<BlockNumber>,
}

/// A shard: the segments whose index mod `count` equals `id`.
#[derive(
	Clone,
	Copy,
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
pub struct Shard {
	/// This shard's id, below `count`.
	pub id: u32,
	/// Number of shards, a power of two.
	pub count: u32,
}

impl Shard {
	/// The whole flow.
	pub const ALL: Shard = Shard { id: 0, count: 1 };

	/// Whether `segment` falls in this shard.
	pub fn holds(&self, segment: u64) -> bool {
		segment % self.count as u64 == self.id as u64
	}

	/// Whether this shard holds any segment of a file of `size` bytes whose first sector in
	/// the flow is `start_sector` (a deal's): its part of the deal is not empty. File segment
	/// `i` is flow segment `start_sector / SECTORS_PER_SEGMENT + i`, as nodes and alignment
	/// checkers count it.
	pub fn touches(&self, start_sector: u64, size: u64) -> bool {
		use zerog_erasure::storage::{segment_count, SECTORS_PER_SEGMENT};
		let segments = segment_count(size);
		if segments == 0 || self.count == 0 {
			return false;
		}
		let first = start_sector / SECTORS_PER_SEGMENT;
		let count = self.count as u64;
		// The offset from `first` to the next segment of this shard.
		let offset = (self.id as u64 % count + count - first % count) % count;
		offset < segments
	}
}

/// Blocks after `now + ack_window` in which a new deal's acknowledgement deadline may fall:
/// the first with room is taken, so that filling one block's deadlines does not stop
/// submissions (`ack_window + ACK_DEADLINE_SLACK <= period`).
pub const ACK_DEADLINE_SLACK: u32 = 4;

/// A provider's acknowledgement that it holds its shard's part of a deal.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Holding<AccountId> {
	/// The provider.
	pub who: AccountId,
	/// Its shard when it acknowledged.
	pub shard: Shard,
	/// Its registration generation when it acknowledged (see `ProviderGeneration`): the
	/// acknowledgement counts only while the provider keeps that generation.
	pub generation: u32,
}

/// Parameters of storage, set by [`crate::Config::ParamsOrigin`].
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
pub struct StorageParams<Balance, BlockNumber> {
	/// Fee per 256-byte sector, per replica, per period.
	pub price_per_sector: Balance,
	/// Blocks per pricing period.
	pub period: BlockNumber,
	/// Most replicas a submission may buy.
	pub max_replicas: u32,
	/// Most periods a submission or renewal may buy at once.
	pub max_periods: u32,
	/// Largest file in bytes (clients split larger ones).
	pub max_file_size: u64,
	/// Smallest provider bond.
	pub min_bond: Balance,
	/// Blocks between `unbond` and `withdraw`.
	pub unbonding_period: BlockNumber,
	/// Most shards a provider may split the flow into (a power of two).
	pub max_shards: u32,
	/// Blocks per PoRA epoch.
	pub epoch_length: BlockNumber,
	/// Winning answers wanted per epoch (difficulty moves toward it).
	pub target_answers: u32,
	/// Most answers accepted per epoch.
	pub max_answers: u32,
	/// Share of a deal's claimable fees a win takes.
	pub reward_share: sp_runtime::Perbill,
	/// Paid from the reward reserve on top, for each win (less if it holds less).
	pub base_reward: Balance,
	/// Blocks a new deal has to be acknowledged by a provider that holds its data (see
	/// `acknowledge`); a deal nobody acknowledged by then is voided and refunded less
	/// `void_fee`. `0` turns acknowledgements off: no deal is voided, PoRA pays a deal's share
	/// to any provider of its shard (the rule before acknowledgements, kept until the nodes
	/// send them). Otherwise at most `period - ACK_DEADLINE_SLACK`, so that a deal's deadline
	/// comes before its end.
	pub ack_window: BlockNumber,
	/// Kept from a voided deal's unclaimed fee (at most all of it) for the reward reserve.
	pub void_fee: Balance,
	/// Blocks a KV entry's data has to be acknowledged in full (every segment by a holder of
	/// its shard) before its [`KvData`] verdict is `Unavailable`: KV nodes skip it then, and
	/// apply it once `Available`, so that every KV node reaches the same state. `0` records
	/// no verdicts (KV nodes fall back to their own timeout, which can diverge). Otherwise
	/// at most `period - ACK_DEADLINE_SLACK`.
	pub kv_window: BlockNumber,
}

/// The chain's verdict on a KV entry's data (issue 31, finding 8): whether the providers
/// acknowledged holding all of it. KV nodes apply an entry only on `Available` and skip it
/// only on `Unavailable`, so whether an entry counts no longer depends on when its bytes
/// reached each KV node. Permanent: replayed by KV nodes that start later.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum KvData<BlockNumber> {
	/// Not held in full yet; decided `Unavailable` at `deadline` unless it is by then.
	Pending {
		/// The block at which the entry is decided.
		deadline: BlockNumber,
	},
	/// Every segment of the entry's file was acknowledged by a provider of its shard.
	Available,
	/// Not held in full by its deadline: KV nodes skip the entry.
	Unavailable,
}

/// What the chain keeps of a PoRA epoch.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EpochInfo {
	/// hash(randomness, flow root, flow length).
	pub context: Hash,
	/// The flow root answers prove against.
	pub flow_root: Hash,
	/// The flow length (sectors) at the epoch's start.
	pub flow_length: u64,
	/// The epoch's target (a win's quality is at most target / shard count).
	pub target: u128,
}

/// A PoRA answer: one winning try, with the sealed 4 KiB unit it recalled and the unit's
/// Merkle proof to the epoch's flow root (see `zerog_erasure::pora`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PoraAnswer {
	/// The epoch mined.
	pub epoch: EpochIndex,
	/// The miner id the unit is sealed to (the caller's).
	pub miner_id: MinerId,
	/// The try's nonce.
	pub nonce: [u8; 32],
	/// The recalled unit's index among the flow's 4 KiB units.
	pub unit: u64,
	/// The deal covering that unit, whose fees pay the win (`None` for padding).
	pub deal: Option<DealId>,
	/// The unit, sealed to `miner_id` (4,096 bytes).
	pub sealed: alloc::vec::Vec<u8>,
	/// The unit's subtree root to the flow root.
	pub proof: zerog_erasure::MerkleProof,
}

/// A KV write as the chain logs it: the stream, the deal holding the entry file, its writer,
/// and the file's root and size (kept after the deal ends).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct KvLogEntry<AccountId> {
	/// The stream written.
	pub stream: StreamId,
	/// The deal of the entry file.
	pub deal: DealId,
	/// Who submitted it.
	pub writer: AccountId,
	/// The entry file's root.
	pub root: Hash,
	/// The entry file's size.
	pub size: u64,
}
