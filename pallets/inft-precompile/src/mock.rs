//! Test runtime: balances, timestamp, pallet-revive with the iNFT precompile, and pallet-inft
//! with the runtime's account and signature types. Callers are Ethereum keys (their accounts
//! are the addresses' fallback accounts, mapped by definition); the oracle is an sr25519 key.

use crate::{IInft, InftPrecompile, INFT_ADDRESS};
use alloy_core::{
	primitives::{Address, Bytes, FixedBytes},
	sol_types::SolInterface,
};
use codec::Encode;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use pallet_revive::{test_utils::builder::BareCallBuilder, AddressMapper, ExecReturnValue};
use sp_core::{ecdsa, sr25519, Pair, H160};
use sp_runtime::{
	traits::{Convert, IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner,
};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are 32 bytes, as in the runtime.
pub type AccountId = AccountId32;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		Revive: pallet_revive,
		Inft: pallet_inft,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<2>;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

#[derive_impl(pallet_revive::config_preludes::TestDefaultConfig)]
impl pallet_revive::Config for Test {
	type AddressMapper = pallet_revive::AccountId32Mapper<Self>;
	type Balance = u64;
	type Currency = Balances;
	type Time = Timestamp;
	type Precompiles = (InftPrecompile<Self>,);
	type UploadOrigin = frame_system::EnsureSigned<AccountId>;
	type InstantiateOrigin = frame_system::EnsureSigned<AccountId>;
}

/// An address's account as pallet-revive maps it.
pub struct ReviveAccount;
impl Convert<[u8; 20], AccountId> for ReviveAccount {
	fn convert(address: [u8; 20]) -> AccountId {
		<Test as pallet_revive::Config>::AddressMapper::to_account_id(&H160(address))
	}
}

parameter_types! {
	pub const TokenDeposit: u64 = 100;
	pub const ByteDeposit: u64 = 1;
	pub const AuthorizationDeposit: u64 = 10;
	pub const AssistantDeposit: u64 = 20;
}

impl pallet_inft::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Signer = MultiSigner;
	type EthereumAccount = ReviveAccount;
	type OracleOrigin = frame_system::EnsureRoot<AccountId>;
	type TokenDeposit = TokenDeposit;
	type ByteDeposit = ByteDeposit;
	type AuthorizationDeposit = AuthorizationDeposit;
	type AssistantDeposit = AssistantDeposit;
	type MaxDataItems = ConstU32<4>;
	type MaxDescriptionLen = ConstU32<32>;
	type MaxSealedKeyLen = ConstU32<64>;
	type MaxReceiverKeyLen = ConstU32<64>;
	type MaxUriLen = ConstU32<64>;
	type MaxAuthorizedUsers = ConstU32<2>;
	type WeightInfo = ();
}

/// The secp256k1 key whose seed is the blake2-256 of `name`.
pub fn eth_key(name: &str) -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&sp_io::hashing::blake2_256(name.as_bytes()))
}

/// The H160 address of an Ethereum key.
pub fn address(pair: &ecdsa::Pair) -> H160 {
	let probe = [1u8; 32];
	let public = sp_io::crypto::secp256k1_ecdsa_recover(&pair.sign_prehashed(&probe).0, &probe)
		.ok()
		.expect("a fresh signature recovers");
	H160::from_slice(&sp_io::hashing::keccak_256(&public)[12..])
}

/// The same address as alloy sees it.
pub fn sol_address(pair: &ecdsa::Pair) -> Address {
	Address::from(address(pair).0)
}

/// The account of an Ethereum key: its address's fallback account (these are never mapped
/// to another account, and this needs no storage, so genesis can use it).
pub fn eth_account(pair: &ecdsa::Pair) -> AccountId {
	<Test as pallet_revive::Config>::AddressMapper::to_fallback_account_id(&address(pair))
}

/// The sr25519 oracle key.
pub fn oracle() -> sr25519::Pair {
	sr25519::Pair::from_seed(&sp_io::hashing::blake2_256(b"Oracle"))
}

/// The oracle's account id as the interface takes it.
pub fn oracle_id() -> FixedBytes<32> {
	let account: AccountId = MultiSigner::from(oracle().public()).into_account();
	FixedBytes(account.into())
}

/// An sr25519 signature as the interface takes it: a SCALE `ProofSignature::Substrate`
/// (`0x00 ‖ SCALE(MultiSignature)`, 66 bytes).
pub fn substrate_signature(pair: &sr25519::Pair, message: &[u8]) -> Bytes {
	let signature =
		pallet_inft::ProofSignature::Substrate(MultiSignature::from(pair.sign(message)));
	Bytes::from(signature.encode())
}

/// A wallet's `personal_sign` of `keccak256(message)` (v = 27/28).
pub fn ethereum_signature(pair: &ecdsa::Pair, message: &[u8]) -> Bytes {
	let mut rsv = pair.sign_prehashed(&pallet_inft::eip191_hash(message)).0;
	rsv[64] += 27;
	Bytes::copy_from_slice(&rsv)
}

/// Calls the precompile as the account of `caller`.
pub fn call(
	caller: &ecdsa::Pair,
	input: IInft::IInftCalls,
) -> pallet_revive::ContractResult<ExecReturnValue, u64> {
	BareCallBuilder::<Test>::bare_call(
		RuntimeOrigin::signed(eth_account(caller)),
		H160(INFT_ADDRESS),
	)
	.data(input.abi_encode())
	.build()
}

/// Callers and their balances: "Poor" can pay for the call but not for a token's deposit.
pub const FUNDED: [(&str, u64); 5] = [
	("Alice", 1_000_000),
	("Bob", 1_000_000),
	("Charlie", 1_000_000),
	("Dave", 1_000_000),
	("Poor", 200),
];

/// Funded Ethereum callers; the oracle registered; block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: FUNDED
			.iter()
			.map(|(name, amount)| (eth_account(&eth_key(name)), *amount))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, sp_core::H256::repeat_byte(0x42));
		let oracle: AccountId = MultiSigner::from(oracle().public()).into_account();
		Inft::register_oracle(RuntimeOrigin::root(), oracle, pallet_inft::OracleKind::Tee, None)
			.unwrap();
	});
	ext
}
