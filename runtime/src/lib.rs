//! # zerog runtime
//!
//! The state-transition function of a zerog chain. It composes FRAME's consensus, account and
//! fee pallets with zerog's own pallets. The node embeds the wasm build of this crate; chain
//! builders fork it and pick the pallets they want.
//!
//! Layout:
//! - [`configs`]: one `Config` impl per pallet, with the constants that shape the chain;
//! - [`apis`]: the runtime APIs the node, wallets and tools call;
//! - [`genesis_presets`]: the `dev`, `local` and `testnet` genesis presets.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion and requires us to increase the limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;
use alloc::vec::Vec;

pub mod apis;
pub mod configs;
pub mod genesis_presets;
pub mod governance;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_da_capacity;
mod transactions;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use apis::RuntimeApi;
pub use configs::{EPOCH_DURATION_IN_SLOTS, EXISTENTIAL_DEPOSIT, SLOT_DURATION};
pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;
pub use transactions::{
	signed_transaction, tx_extension, EthExtraImpl, SignedPayload, SigningContext, TxExtension,
};

/// Block number: 2-second slots give about 490 years of blocks in a `u32`.
pub type BlockNumber = u32;
/// Transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account id: the public key of the signature scheme, as 32 bytes.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance in the smallest unit (1 ZG = 10^18 units, like ether and wei).
pub type Balance = u128;
/// The number of transactions an account has sent.
pub type Nonce = u32;
/// A block or state hash.
pub type Hash = sp_core::H256;

/// One ZG, the native token, in its smallest unit.
pub const UNIT: Balance = 1_000_000_000_000_000_000;
/// A thousandth of a ZG.
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// A millionth of a ZG.
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;

/// Blocks per minute at one block a slot.
pub const MINUTES: BlockNumber = 60_000 / (SLOT_DURATION as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Types the node needs without knowing the runtime's call and event types.
pub mod opaque {
	use super::*;
	use alloc::vec::Vec;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	impl_opaque_keys! {
		/// The keys a validator registers with `session.set_keys`.
		pub struct SessionKeys {
			/// Block authoring (BABE, sr25519).
			pub babe: Babe,
			/// Finality voting (GRANDPA, ed25519).
			pub grandpa: Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

/// The runtime's version. Bump `spec_version` on every change of logic.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("zerog"),
	impl_name: alloc::borrow::Cow::Borrowed("zerog"),
	authoring_version: 1,
	spec_version: 113,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 5,
	system_version: 1,
};

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	/// The zerog runtime.
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Babe = pallet_babe;
	#[runtime::pallet_index(3)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	// The validator set must come before session so that its `SessionManager` answers first.
	#[runtime::pallet_index(6)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(7)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(8)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(9)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(10)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(11)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(12)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(13)]
	pub type Da = pallet_da;
	#[runtime::pallet_index(14)]
	pub type FileStorage = pallet_storage;
	#[runtime::pallet_index(15)]
	pub type Revive = pallet_revive;

	// Governance (see `governance`).
	#[runtime::pallet_index(16)]
	pub type Origins = governance::origins;
	#[runtime::pallet_index(17)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(18)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(19)]
	pub type Treasury = pallet_treasury;
	#[runtime::pallet_index(20)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(21)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(22)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(23)]
	pub type TechnicalCommittee = pallet_collective<Instance1>;

	#[runtime::pallet_index(24)]
	pub type Compute = pallet_compute;
	#[runtime::pallet_index(25)]
	pub type Alignment = pallet_alignment;
	#[runtime::pallet_index(26)]
	pub type Inft = pallet_inft;
}

/// The address format: an account id (no account indices).
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A transaction as it travels in a block: a signed or bare extrinsic, or an Ethereum
/// transaction wrapped in `revive.eth_transact` (checked by [`EthExtraImpl`]).
pub type UncheckedExtrinsic =
	pallet_revive::evm::runtime::UncheckedExtrinsic<Address, Signature, EthExtraImpl>;
/// The plain extrinsic type inside [`UncheckedExtrinsic`].
pub type GenericUncheckedExtrinsic = generic::UncheckedExtrinsic<
	Address,
	RuntimeCall,
	Signature,
	TxExtension,
	sp_runtime::traits::InvalidVersion,
>;

/// Storage migrations run on the next runtime upgrade.
type Migrations = (
	pallet_alignment::migrations::v1::MigrateToV1<Runtime>,
	pallet_da::migrations::v1::MigrateToV1<Runtime>,
	pallet_storage::migrations::v1::MigrateToV1<
		Runtime,
		configs::StorageAckWindowAtUpgrade,
		configs::StorageVoidFee,
	>,
	pallet_storage::migrations::v2::MigrateToV2<Runtime, configs::StorageKvWindowAtUpgrade>,
);
/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[cfg(feature = "runtime-benchmarks")]
impl frame_system_benchmarking::Config for Runtime {}
#[cfg(feature = "runtime-benchmarks")]
impl frame_benchmarking::baseline::Config for Runtime {}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

#[cfg(feature = "runtime-benchmarks")]
mod benches {
	frame_benchmarking::define_benchmarks!(
		[frame_benchmarking, BaselineBench::<Runtime>]
		[frame_system, SystemBench::<Runtime>]
		[frame_system_extensions, SystemExtensionsBench::<Runtime>]
		[pallet_balances, Balances]
		[pallet_transaction_payment, TransactionPayment]
		[pallet_timestamp, Timestamp]
		[pallet_utility, Utility]
		[pallet_multisig, Multisig]
		[pallet_proxy, Proxy]
		[pallet_sudo, Sudo]
		[pallet_validator_set, ValidatorSet]
		[pallet_da, Da]
		[pallet_storage, FileStorage]
		[pallet_compute, Compute]
		[pallet_alignment, Alignment]
		[pallet_inft, Inft]
	);
}
