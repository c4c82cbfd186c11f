//! Test runtime: frame-system, balances and storage.

use crate::{self as pallet_storage, StorageParams};
use frame_support::{derive_impl, parameter_types, PalletId};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		FileStorage: pallet_storage,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Randomness that depends on the subject and the block.
pub struct TestRandomness;
impl frame_support::traits::Randomness<sp_core::H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (sp_core::H256, u64) {
		let block = System::block_number();
		(
			sp_core::H256(sp_io::hashing::blake2_256(&[subject, &block.to_le_bytes()].concat())),
			block,
		)
	}
}

parameter_types! {
	pub const StoragePalletId: PalletId = PalletId(*b"zg/store");
	pub const Treasury: u64 = TREASURY;
}

/// The account record fees go to.
pub const TREASURY: u64 = 99;
/// Record fees in the tests: 10 per record and 1 per byte.
pub const RECORD_FEE_PER_ITEM: u64 = 10;

impl pallet_storage::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Randomness = TestRandomness;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type PalletId = StoragePalletId;
	type MaxTags = frame_support::traits::ConstU32<4>;
	type MaxExpiriesPerBlock = frame_support::traits::ConstU32<3>;
	type MaxHoldersPerDeal = frame_support::traits::ConstU32<3>;
	type MaxAcksPerCall = frame_support::traits::ConstU32<4>;
	type RecordFeePerItem = frame_support::traits::ConstU64<RECORD_FEE_PER_ITEM>;
	type RecordFeePerByte = frame_support::traits::ConstU64<1>;
	type RecordFees = frame_support::traits::tokens::imbalance::ResolveTo<Treasury, Balances>;
	type WeightInfo = ();
}

/// Blocks per pricing period in the tests.
pub const PERIOD: u64 = 10;
/// Blocks per PoRA epoch in the tests.
pub const EPOCH: u64 = 20;
/// Unbonding period of providers.
pub const UNBONDING: u64 = 5;

/// The parameters the tests run with: 1 per sector, replica and period.
pub fn params() -> StorageParams<u64, u64> {
	StorageParams {
		price_per_sector: 1,
		period: PERIOD,
		max_replicas: 3,
		max_periods: 12,
		max_file_size: 1 << 20,
		min_bond: 100,
		unbonding_period: UNBONDING,
		max_shards: 8,
		epoch_length: EPOCH,
		target_answers: 2,
		max_answers: 3,
		reward_share: sp_runtime::Perbill::from_percent(50),
		base_reward: 7,
		ack_window: 0,
		void_fee: 0,
		kv_window: 0,
	}
}

/// Test externalities that check the pallet's invariants after every `execute_with`.
pub type TestExt = zerog_traits::testing::CheckedExternalities;

/// Genesis: accounts 1..=4 funded (4 only a little), parameters set. The invariants are
/// checked after every `execute_with`.
pub fn new_test_ext() -> TestExt {
	TestExt::new(new_test_ext_unchecked(), "storage", FileStorage::do_try_state)
}

/// [`new_test_ext`] without the invariant check, for tests that corrupt storage on purpose.
pub fn new_test_ext_unchecked() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 100_000), (2, 100_000), (3, 100_000), (4, 150)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_storage::GenesisConfig::<Test> {
		params: Some(params()),
		initial_target: u128::MAX,
		providers: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `n`, calling the hooks.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		FileStorage::on_initialize(next);
	}
}
