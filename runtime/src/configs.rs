//! Pallet configuration: one `Config` impl per pallet and the constants that shape the chain.

use crate::*;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, EitherOf, InstanceFilter, VariantCountOf,
	},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight,
	},
};
use frame_system::{limits, EnsureRoot};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{
	traits::{Bounded, ConvertInto, OpaqueKeys},
	FixedPointNumber, Perbill, Perquintill,
};

/// Target time between blocks: one block per BABE slot.
pub const MILLISECS_PER_BLOCK: u64 = 2_000;
/// BABE slot length. It cannot change once a chain has started.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// BABE epoch (and session) length: 10 minutes. Validator-set changes take effect two
/// epochs after they are made. It cannot change once a chain has started.
pub const EPOCH_DURATION_IN_SLOTS: u64 = 10 * 60_000 / SLOT_DURATION;
/// The smallest balance an account may hold: 0.001 ZG.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;
/// The BABE epoch configuration at genesis: a primary slot probability of 1/4, with
/// secondary VRF slots filling the rest so that every slot has an author.
pub const BABE_GENESIS_EPOCH_CONFIG: sp_consensus_babe::BabeEpochConfiguration =
	sp_consensus_babe::BabeEpochConfiguration {
		c: (1, 4),
		allowed_slots: sp_consensus_babe::AllowedSlots::PrimaryAndSecondaryVRFSlots,
	};

/// Normal transactions may fill 75% of a block; the rest is kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Transactions get 1 second of the 2-second slot; the rest is import and gossip time.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

parameter_types! {
	pub const Version: sp_version::RuntimeVersion = VERSION;
	pub RuntimeBlockWeights: limits::BlockWeights =
		limits::BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO);
	pub RuntimeBlockLength: limits::BlockLength =
		limits::BlockLength::builder()
			.max_length(5 * 1024 * 1024)
			.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO * *max
			})
			.build();
	pub const BlockHashCount: BlockNumber = 4096;
	/// SS58 prefix 42: the generic Substrate prefix, until zerog registers its own.
	pub const SS58Prefix: u16 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const EpochDuration: u64 = EPOCH_DURATION_IN_SLOTS;
	pub const ExpectedBlockTime: u64 = MILLISECS_PER_BLOCK;
}

/// The most validators the chain supports; bounds BABE and GRANDPA authority lists.
pub const MAX_AUTHORITIES: u32 = 100;

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	// Epochs change with sessions: the session pallet drives both.
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = Session;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	// Equivocation reports need the offences and staking machinery; see the runtime README.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	type EventHandler = ();
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fee per byte of a transaction: 0.00001 ZG.
	pub const TransactionByteFee: Balance = 10 * MICRO_UNIT;
	/// Fee per unit of weight: 1 second of block time costs 1 ZG.
	pub const WeightFeePerRefTime: Balance = UNIT / (WEIGHT_REF_TIME_PER_SECOND as Balance);
	/// Blocks are kept a quarter full; fees rise above that and fall below it.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(3, 100_000);
	/// Fees never fall below their base: pallet-revive's gas price is the multiplier times
	/// `NativeToEthRatio` (1), and must stay above zero.
	pub MinimumMultiplier: Multiplier = Multiplier::from_u32(1);
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Fees are burnt for now; the treasury takes them once governance lands.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	// pallet-revive maps gas to weight through this fee shape: 1e6 per unit of ref time
	// (1 ZG per second of block time), proof size priced in the block's ratio.
	type WeightToFee = pallet_revive::evm::fees::BlockRatioFee<1_000_000, 1, Runtime, Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const MaxValidators: u32 = MAX_AUTHORITIES;
	pub const MinValidators: u32 = 1;
}

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Root until governance lands; then a referendum track.
	type ManageOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::origins::ValidatorAdmin>;
	type HasSessionKeys = pallet_validator_set::SessionKeysRegistered<Runtime>;
	type MaxValidators = MaxValidators;
	type MinValidators = MinValidators;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ValidatorSetBenchmarkHelper;
}

/// Registers placeholder session keys so that the benchmarks can add a validator.
#[cfg(feature = "runtime-benchmarks")]
pub struct ValidatorSetBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for ValidatorSetBenchmarkHelper {
	fn register_session_keys(who: &AccountId) {
		use sp_core::crypto::UncheckedFrom;
		let keys = SessionKeys {
			babe: sp_consensus_babe::AuthorityId::unchecked_from([1u8; 32]),
			grandpa: sp_consensus_grandpa::AuthorityId::unchecked_from([1u8; 32]),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

parameter_types! {
	/// Deposit held while an account has session keys registered.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Deposit for a multisig operation: 1 ZG plus 0.01 ZG per signatory.
	pub const MultisigDepositBase: Balance = UNIT;
	pub const MultisigDepositFactor: Balance = 10 * MILLI_UNIT;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}

/// What a proxy may do on behalf of its delegator.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	Debug,
	scale_info::TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Anything.
	#[default]
	Any,
	/// Anything but moving funds.
	NonTransfer,
	/// Only session key management (for a validator's hot key).
	SessionKeys,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => !matches!(call, RuntimeCall::Balances(..)),
			ProxyType::SessionKeys => matches!(call, RuntimeCall::Session(..)),
		}
	}
	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, _) => true,
			_ => false,
		}
	}
}

parameter_types! {
	pub const ProxyDepositBase: Balance = UNIT;
	pub const ProxyDepositFactor: Balance = 10 * MILLI_UNIT;
	pub const AnnouncementDepositBase: Balance = UNIT;
	pub const AnnouncementDepositFactor: Balance = 20 * MILLI_UNIT;
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const DaPalletId: frame_support::PalletId = frame_support::PalletId(*b"zg/dapol");
}

impl pallet_da::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Randomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;
	type OperatorKey = pallet_da::operator_key::Public;
	// Root until governance lands.
	type ParamsOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::origins::ParamsAdmin>;
	type PalletId = DaPalletId;
	type MaxOperators = ConstU32<1024>;
	type MaxCommitteeSize = ConstU32<1024>;
	type MaxBlobsPerBlock = ConstU32<64>;
	type MaxChallengesPerRound = ConstU32<16>;
	// A minute to rebuild a share the submitter withheld: for a 32 MiB blob, k chunks (32
	// MiB) to fetch and about half a second to decode and code again.
	type RepairWindow = ConstU32<{ MINUTES }>;
	// A vote spans up to 128 blob ids (a 16-byte bitmap): two blocks' worth at 64 blobs a
	// block. A block's votes then name at most 1,024 x 128 = 131,072 blobs.
	type MaxVoteBlobs = ConstU32<128>;
	// No storage pallet yet: `persist` is refused with a clear error.
	type BlobPersister = zerog_traits::NoPersistence;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type WeightInfo = pallet_da::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const StoragePalletId: frame_support::PalletId = frame_support::PalletId(*b"zg/store");
}

parameter_types! {
	/// A permanent storage record (a flow append, a KV log entry, a stream admin or
	/// writer): 0.01 ZG, as a contract storage item costs.
	pub const StorageRecordFeePerItem: Balance = 10 * MILLI_UNIT;
	/// Per byte of a permanent storage record: 0.0001 ZG, as a byte of contract storage.
	pub const StorageRecordFeePerByte: Balance = 100 * MICRO_UNIT;
	/// Acknowledgements stay off through the storage v1 upgrade (`ack_window` 0): the
	/// nodes' acknowledgement task comes first, then governance sets a window.
	pub const StorageAckWindowAtUpgrade: BlockNumber = 0;
	/// What a voided deal keeps for the reward reserve: 0.01 ZG, which also pays for the
	/// void's weight.
	pub const StorageVoidFee: Balance = 10 * MILLI_UNIT;
	/// KV data verdicts stay off through the storage v2 upgrade (`kv_window` 0): nodes that
	/// acknowledge KV entries at once come first (older ones wait up to a quarter of the
	/// acknowledgement window), then governance sets a window.
	pub const StorageKvWindowAtUpgrade: BlockNumber = 0;
}

impl pallet_storage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Randomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;
	// Root until governance lands.
	type ParamsOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::origins::ParamsAdmin>;
	type PalletId = StoragePalletId;
	type MaxTags = ConstU32<8>;
	type MaxExpiriesPerBlock = ConstU32<256>;
	type MaxHoldersPerDeal = ConstU32<64>;
	type MaxAcksPerCall = ConstU32<64>;
	type RecordFeePerItem = StorageRecordFeePerItem;
	type RecordFeePerByte = StorageRecordFeePerByte;
	// Record fees fund the treasury.
	type RecordFees = frame_support::traits::tokens::imbalance::ResolveTo<
		crate::governance::TreasuryAccount,
		Balances,
	>;
	type WeightInfo = pallet_storage::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const ComputePalletId: frame_support::PalletId = frame_support::PalletId(*b"zg/compt");
}

impl pallet_compute::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = crate::Signature;
	type Signer = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	// Slashed bonds fund the treasury.
	type Slashed = frame_support::traits::tokens::imbalance::ResolveTo<
		crate::governance::TreasuryAccount,
		Balances,
	>;
	type ParamsOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::origins::ParamsAdmin>;
	type PalletId = ComputePalletId;
	type MaxModelLen = ConstU32<128>;
	type MaxUrlLen = ConstU32<256>;
	type MaxKeyLen = ConstU32<512>;
	type MaxSettleBatch = ConstU32<64>;
	// 0G allows 30 pending refunds per sub-account.
	type MaxPendingRefunds = ConstU32<30>;
	type WeightInfo = pallet_compute::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SigningBenchmarkKeys;
}

/// Alignment's era randomness: the VRF output of the parent block (BABE's
/// `ParentBlockRandomness`), known from that block on. The alignment pallet draws an era's
/// subjects once its randomness could not be known before the era's first block: with this,
/// in the era's second block. Only the author of that first block knew its VRF output
/// earlier (and may withhold the block); BABE's epoch randomness, known to everyone up to an
/// epoch ahead, would delay the draw to the next epoch (up to 10 minutes, longer than the
/// 20-block eras of the dev and local chains). Without a VRF output (a secondary plain
/// slot, or genesis), the epoch randomness, reported as known since block 0, so the draw
/// waits for the next block.
pub struct AlignmentRandomness;
impl frame_support::traits::Randomness<Hash, BlockNumber> for AlignmentRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		match pallet_babe::ParentBlockRandomness::<Runtime>::random(subject) {
			(Some(random), known_since) => (random, known_since),
			(None, _) => (pallet_babe::RandomnessFromOneEpochAgo::<Runtime>::random(subject).0, 0),
		}
	}
}

impl pallet_alignment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	// Licence sales fund the treasury.
	type SaleProceeds = frame_support::traits::tokens::imbalance::ResolveTo<
		crate::governance::TreasuryAccount,
		Balances,
	>;
	type Randomness = AlignmentRandomness;
	type StorageProviders = pallet_storage::Pallet<Runtime>;
	type DaOperators = pallet_da::Pallet<Runtime>;
	type ComputeProviders = pallet_compute::Pallet<Runtime>;
	type AdminOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::origins::ParamsAdmin>;
	type MaxSubjects = ConstU32<24>;
	type MaxReporters = ConstU32<128>;
	type WeightInfo = pallet_alignment::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AnswerBenchmarkKeys;
}

parameter_types! {
	/// An iNFT's deposit: 0.01 ZG plus 0.0001 ZG per byte (as contract storage costs).
	pub const InftTokenDeposit: Balance = 10 * MILLI_UNIT;
	pub const InftByteDeposit: Balance = 100 * MICRO_UNIT;
	/// Deposit of one authorized user or of an assistant.
	pub const InftAuthorizationDeposit: Balance = 15 * MILLI_UNIT;
	pub const InftAssistantDeposit: Balance = 15 * MILLI_UNIT;
}

/// The account of an Ethereum address, as pallet-revive maps it (a mapped account, or the
/// address's fallback account).
pub struct ReviveAccountOf;
impl sp_runtime::traits::Convert<[u8; 20], AccountId> for ReviveAccountOf {
	fn convert(address: [u8; 20]) -> AccountId {
		use pallet_revive::AddressMapper;
		pallet_revive::AccountId32Mapper::<Runtime>::to_account_id(&sp_core::H160(address))
	}
}

impl pallet_inft::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = crate::Signature;
	type Signer = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type EthereumAccount = ReviveAccountOf;
	type OracleOrigin = EitherOf<EnsureRoot<AccountId>, crate::governance::origins::ParamsAdmin>;
	type TokenDeposit = InftTokenDeposit;
	type ByteDeposit = InftByteDeposit;
	type AuthorizationDeposit = InftAuthorizationDeposit;
	type AssistantDeposit = InftAssistantDeposit;
	type MaxDataItems = ConstU32<16>;
	type MaxDescriptionLen = ConstU32<256>;
	type MaxSealedKeyLen = ConstU32<512>;
	type MaxReceiverKeyLen = ConstU32<128>;
	type MaxUriLen = ConstU32<256>;
	type MaxAuthorizedUsers = ConstU32<32>;
	type WeightInfo = pallet_inft::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SigningBenchmarkKeys;
}

/// sr25519 keys from the benchmark keystore, for the benchmarks that check signatures
/// (`pallet_compute`'s settle, `pallet_inft`'s transfer and clone, `pallet_alignment`'s
/// receipts).
#[cfg(feature = "runtime-benchmarks")]
pub struct SigningBenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
impl SigningBenchmarkKeys {
	const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"zgcb");

	fn public(seed: u32) -> sp_core::sr25519::Public {
		let seed = alloc::format!("//zerog-compute-bench/{seed}");
		sp_io::crypto::sr25519_generate(Self::KEY_TYPE, Some(seed.into_bytes()))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_compute::BenchmarkHelper<AccountId, crate::Signature> for SigningBenchmarkKeys {
	fn signer(seed: u32) -> AccountId {
		use sp_runtime::traits::IdentifyAccount;
		sp_runtime::MultiSigner::from(Self::public(seed)).into_account()
	}

	fn sign(seed: u32, message: &[u8]) -> crate::Signature {
		let public = Self::public(seed);
		sp_io::crypto::sr25519_sign(Self::KEY_TYPE, &public, message)
			.expect("the benchmark keystore holds the key")
			.into()
	}
}

/// The keys of [`SigningBenchmarkKeys`] as raw public keys, for `pallet_alignment`'s receipts
/// (a second impl of the same trait on one type would overlap: `AccountId` is a projection).
#[cfg(feature = "runtime-benchmarks")]
pub struct AnswerBenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
impl zerog_traits::BenchmarkKeys<[u8; 32], crate::Signature> for AnswerBenchmarkKeys {
	fn signer(seed: u32) -> [u8; 32] {
		SigningBenchmarkKeys::public(seed).0
	}

	fn sign(seed: u32, message: &[u8]) -> crate::Signature {
		<SigningBenchmarkKeys as pallet_compute::BenchmarkHelper<AccountId, crate::Signature>>::sign(
			seed, message,
		)
	}
}

/// Off-chain workers (the DA operator's) build unsigned transactions with these.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = UncheckedExtrinsic;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		GenericUncheckedExtrinsic::new_bare(call).into()
	}
}

parameter_types! {
	/// Storage deposit of a contract storage item: 0.01 ZG.
	pub const ReviveDepositPerItem: Balance = 10 * MILLI_UNIT;
	/// Storage deposit per byte of contract storage or code: 0.0001 ZG.
	pub const ReviveDepositPerByte: Balance = 100 * MICRO_UNIT;
	/// Deposit of a child-trie item: a hundredth of an item.
	pub const ReviveDepositPerChildTrieItem: Balance = 100 * MICRO_UNIT;
	/// Share of the code deposit locked while a contract uses the code.
	pub const ReviveCodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
}

/// pallet-revive's gas scale: the gas price in wei at the base fee multiplier.
pub const REVIVE_GAS_SCALE: u32 = 4_000_000_000;

/// zerog's Ethereum chain id.
pub const ETH_CHAIN_ID: u64 = 16_898;

#[derive_impl(pallet_revive::config_preludes::TestDefaultConfig)]
impl pallet_revive::Config for Runtime {
	type Time = Timestamp;
	type Balance = Balance;
	type Currency = Balances;
	// Burnt deposits stay burnt until a treasury exists.
	type OnBurn = ();
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeHoldReason = RuntimeHoldReason;
	type WeightInfo = pallet_revive::weights::SubstrateWeight<Self>;
	// The iNFT registry for Solidity, at 0x0000000000000000000000000000000078570000.
	type Precompiles = (pallet_inft_precompile::InftPrecompile<Self>,);
	type FindAuthor = <Runtime as pallet_authorship::Config>::FindAuthor;
	type DepositPerByte = ReviveDepositPerByte;
	type DepositPerItem = ReviveDepositPerItem;
	type DepositPerChildTrieItem = ReviveDepositPerChildTrieItem;
	type CodeHashLockupDepositPercent = ReviveCodeHashLockupDepositPercent;
	type AddressMapper = pallet_revive::AccountId32Mapper<Self>;
	type AllowEVMBytecode = ConstBool<true>;
	type UploadOrigin = frame_system::EnsureSigned<AccountId>;
	type InstantiateOrigin = frame_system::EnsureSigned<AccountId>;
	type ChainId = ConstU64<ETH_CHAIN_ID>;
	// ZG and ETH both have 18 decimals.
	type NativeToEthRatio = ConstU32<1>;
	type FeeInfo = pallet_revive::evm::fees::Info<Address, Signature, EthExtraImpl>;
	type Deposit = ();
	type DebugEnabled = ConstBool<false>;
	// Ethereum keys get a native account without a mapping call.
	type AutoMap = ConstBool<true>;
	// The gas price is the fee multiplier × `NativeToEthRatio` × this: 4 gwei at the base
	// multiplier (the largest round value a u32 holds). Gas is fee / price, so this keeps gas
	// amounts in the range Ethereum tools expect (an ERC-20 transfer: about 2.6 M gas, not
	// the 10^15 that the default scale of 10 gives); fees in ZG are unchanged.
	type GasScale = ConstU32<REVIVE_GAS_SCALE>;
}
