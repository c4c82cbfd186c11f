//! Test runtime: frame-system with 32-byte accounts, balances and compute. Keys are real
//! sr25519 keys and signatures are `MultiSignature`s, as in zerog-runtime.

use crate::{
	self as pallet_compute, ComputeParams, Receipt, ReceiptOf, ServiceInfoOf, ServiceKind,
	Verifiability,
};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use sp_core::{sr25519, Pair};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner, Perbill,
};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are 32 bytes, as in the runtime.
pub type AccountId = AccountId32;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Compute: pallet_compute,
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

parameter_types! {
	pub const ComputePalletId: PalletId = PalletId(*b"zg/compt");
}

impl pallet_compute::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type Signer = MultiSigner;
	type Slashed = ();
	type ParamsOrigin = frame_system::EnsureRoot<AccountId>;
	type PalletId = ComputePalletId;
	type MaxModelLen = ConstU32<32>;
	type MaxUrlLen = ConstU32<64>;
	type MaxKeyLen = ConstU32<64>;
	type MaxSettleBatch = ConstU32<8>;
	type MaxPendingRefunds = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestKeys;
}

/// Benchmark keys in the tests: sr25519 from the seed number.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestKeys;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, MultiSignature> for TestKeys {
	fn signer(seed: u32) -> AccountId {
		account_of(&key(&seed.to_string()))
	}
	fn sign(seed: u32, message: &[u8]) -> MultiSignature {
		key(&seed.to_string()).sign(message).into()
	}
}

/// The sr25519 key whose seed is the blake2-256 of `name` (fast: no mnemonic derivation).
pub fn key(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_seed(&sp_io::hashing::blake2_256(name.as_bytes()))
}

/// The account of a key.
pub fn account_of(pair: &sr25519::Pair) -> AccountId {
	MultiSigner::from(pair.public()).into_account()
}

/// Named test accounts.
pub fn alice() -> AccountId {
	account_of(&key("Alice"))
}
/// The provider.
pub fn prov() -> AccountId {
	account_of(&key("Provider"))
}
/// A second provider.
pub fn prov2() -> AccountId {
	account_of(&key("Provider2"))
}
/// The provider's signer key.
pub fn signer_key() -> sr25519::Pair {
	key("Signer")
}
/// An account with almost nothing.
pub fn poor() -> AccountId {
	account_of(&key("Poor"))
}

/// Blocks before a refund is due.
pub const REFUND_DELAY: u64 = 10;
/// Blocks between retiring and withdrawing the bond.
pub const UNBONDING: u64 = 5;
/// Blocks the user has to acknowledge a task.
pub const ACK_WINDOW: u64 = 4;
/// Storage deposit per record.
pub const RECORD_DEPOSIT: u64 = 3;
/// Least bond.
pub const MIN_BOND: u64 = 100;

/// The parameters the tests run with.
pub fn params() -> ComputeParams<u64, u64> {
	ComputeParams {
		min_bond: MIN_BOND,
		record_deposit: RECORD_DEPOSIT,
		refund_delay: REFUND_DELAY,
		unbonding_period: UNBONDING,
		max_task_duration: 20,
		ack_window: ACK_WINDOW,
		timeout_share: Perbill::from_percent(30),
	}
}

/// An inference service record with the test signer.
pub fn inference_info() -> ServiceInfoOf<Test> {
	ServiceInfoOf::<Test> {
		kind: ServiceKind::Inference,
		model: b"llama-3.1-8b".to_vec().try_into().unwrap(),
		endpoint: b"https://gpu.example:8443/v1".to_vec().try_into().unwrap(),
		input_price: 1,
		output_price: 2,
		verifiability: Verifiability::None,
		signer: account_of(&signer_key()),
		attestation: None,
	}
}

/// A receipt to `prov()` signed by `user` and by `signer`.
pub fn receipt(
	user: &sr25519::Pair,
	signer: &sr25519::Pair,
	nonce: u64,
	cumulative_fee: u64,
) -> ReceiptOf<Test> {
	receipt_to(&prov(), user, signer, nonce, cumulative_fee)
}

/// A receipt to `provider` signed by `user` and by `signer`.
pub fn receipt_to(
	provider: &AccountId,
	user: &sr25519::Pair,
	signer: &sr25519::Pair,
	nonce: u64,
	cumulative_fee: u64,
) -> ReceiptOf<Test> {
	let user_account = account_of(user);
	let requests_hash = [nonce as u8; 32];
	let message = Compute::receipt_message_for(
		provider,
		&user_account,
		nonce,
		&cumulative_fee,
		&requests_hash,
	);
	Receipt {
		user: user_account,
		nonce,
		cumulative_fee,
		requests_hash,
		user_signature: user.sign(&message).into(),
		signer_signature: signer.sign(&message).into(),
	}
}

/// Test externalities that check the pallet's invariants after every `execute_with`.
pub type TestExt = zerog_traits::testing::CheckedExternalities;

/// Genesis: Alice, the providers and Bob funded, Poor with 5, parameters set. The invariants
/// are checked after every `execute_with`.
pub fn new_test_ext() -> TestExt {
	TestExt::new(new_test_ext_unchecked(), "compute", Compute::do_try_state)
}

/// [`new_test_ext`] without the invariant check, for tests that corrupt storage on purpose.
pub fn new_test_ext_unchecked() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let bob = account_of(&key("Bob"));
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(alice(), 100_000),
			(prov(), 100_000),
			(prov2(), 100_000),
			(bob, 100_000),
			(poor(), 5),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_compute::GenesisConfig::<Test> { params: Some(params()) }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Moves to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}
