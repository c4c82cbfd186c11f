//! Test runtime: frame-system with 32-byte accounts, balances and the iNFT pallet. Substrate
//! keys are real sr25519 keys with `MultiSignature`s, and Ethereum keys are secp256k1 keys
//! whose H160 maps to an account the way pallet-revive maps unmapped addresses.

use crate::{self as pallet_inft, *};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, BoundedVec};
use sp_core::{ecdsa, sr25519, Pair};
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
		Inft: pallet_inft,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// An H160's account: the address followed by twelve `0xEE` bytes (pallet-revive's
/// fallback account of an address).
pub struct FallbackAccount;
impl Convert<[u8; 20], AccountId> for FallbackAccount {
	fn convert(address: [u8; 20]) -> AccountId {
		let mut raw = [0xEE; 32];
		raw[..20].copy_from_slice(&address);
		AccountId::from(raw)
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
	type EthereumAccount = FallbackAccount;
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
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestKeys;
}

/// Benchmark keys in the tests: sr25519 from the seed number.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestKeys;
#[cfg(feature = "runtime-benchmarks")]
impl zerog_traits::BenchmarkKeys<AccountId, MultiSignature> for TestKeys {
	fn signer(seed: u32) -> AccountId {
		acc(&seed.to_string())
	}
	fn sign(seed: u32, message: &[u8]) -> MultiSignature {
		key(&seed.to_string()).sign(message).into()
	}
}

/// The sr25519 key whose seed is the blake2-256 of `name`.
pub fn key(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_seed(&sp_io::hashing::blake2_256(name.as_bytes()))
}

/// The account of a key.
pub fn account_of(pair: &sr25519::Pair) -> AccountId {
	MultiSigner::from(pair.public()).into_account()
}

/// The account of a named sr25519 key.
pub fn acc(name: &str) -> AccountId {
	account_of(&key(name))
}

/// The secp256k1 key whose seed is the blake2-256 of `name`.
pub fn eth_key(name: &str) -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&sp_io::hashing::blake2_256(name.as_bytes()))
}

/// The account of an Ethereum key: its H160 address mapped by [`FallbackAccount`].
pub fn eth_account(pair: &ecdsa::Pair) -> AccountId {
	let probe = [1u8; 32];
	let public = sp_io::crypto::secp256k1_ecdsa_recover(&pair.sign_prehashed(&probe).0, &probe)
		.ok()
		.expect("a fresh signature recovers");
	let hash = sp_io::hashing::keccak_256(&public);
	FallbackAccount::convert(hash[12..].try_into().unwrap())
}

/// A Substrate proof signature by `pair` over `message`.
pub fn sign(pair: &sr25519::Pair, message: &[u8]) -> ProofSignature<MultiSignature> {
	ProofSignature::Substrate(pair.sign(message).into())
}

/// An Ethereum `personal_sign` proof signature by `pair` over `message`, with v = 27/28 as
/// wallets send it.
pub fn eth_sign(pair: &ecdsa::Pair, message: &[u8]) -> ProofSignature<MultiSignature> {
	let mut rsv = pair.sign_prehashed(&eip191_hash(message)).0;
	rsv[64] += 27;
	ProofSignature::Ethereum(rsv)
}

/// Bounded bytes.
pub fn bytes<S: frame_support::traits::Get<u32>>(b: &[u8]) -> BoundedVec<u8, S> {
	b.to_vec().try_into().unwrap()
}

/// What each data item of a transfer or clone becomes, before signing.
#[derive(Clone)]
pub struct NewItem {
	pub hash: [u8; 32],
	pub sealed_key: Vec<u8>,
}

/// Proofs for moving `token` to a receiver with encryption key `receiver_key`: the oracle
/// signs each item's ownership message and `access` signs each access message, at `nonce`.
pub fn proofs(
	token: TokenId,
	old_hashes: &[[u8; 32]],
	new: &[NewItem],
	receiver_key: &[u8],
	nonce: u64,
	oracle: &sr25519::Pair,
	access: &dyn Fn(&[u8]) -> ProofSignature<MultiSignature>,
) -> ProofsOf<Test> {
	let genesis = Inft::genesis_hash();
	let proofs: Vec<TransferProofOf<Test>> = old_hashes
		.iter()
		.zip(new)
		.map(|(old, item)| {
			let ownership = ownership_message(
				&genesis,
				token,
				old,
				&item.hash,
				&item.sealed_key,
				receiver_key,
				nonce,
			);
			TransferProof {
				oracle: account_of(oracle),
				new_data_hash: item.hash,
				new_sealed_key: bytes(&item.sealed_key),
				receiver_key: bytes(receiver_key),
				ownership: sign(oracle, &ownership),
				access: access(&access_message(&genesis, token, &item.hash, receiver_key, nonce)),
			}
		})
		.collect();
	proofs.try_into().unwrap()
}

/// Test externalities that check the pallet's invariants after every `execute_with`.
pub type TestExt = zerog_traits::testing::CheckedExternalities;

/// Every account funded with 10,000. The invariants are checked after every `execute_with`.
pub fn new_test_ext() -> TestExt {
	TestExt::new(new_test_ext_unchecked(), "iNFT", Inft::do_try_state)
}

/// [`new_test_ext`] without the invariant check, for tests that corrupt storage on purpose.
pub fn new_test_ext_unchecked() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let funded = ["Alice", "Bob", "Charlie", "Dave", "Oracle"]
		.iter()
		.map(|n| (acc(n), 10_000u64));
	let eth = ["Eve"].iter().map(|n| (eth_account(&eth_key(n)), 10_000u64));
	pallet_balances::GenesisConfig::<Test> {
		balances: funded.chain(eth).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, sp_core::H256::repeat_byte(0x42));
	});
	ext
}
