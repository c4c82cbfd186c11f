//! A test runtime with only frame-system and this pallet.

use crate as pallet_validator_set;
use frame_support::{derive_impl, parameter_types, traits::Contains};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The account that never registered session keys.
pub const KEYLESS: u64 = 666;

/// Every account but [`KEYLESS`] has session keys.
pub struct MockSessionKeys;
impl Contains<u64> for MockSessionKeys {
	fn contains(who: &u64) -> bool {
		*who != KEYLESS
	}
}

parameter_types! {
	pub const MaxValidators: u32 = 4;
	pub const MinValidators: u32 = 1;
}

impl pallet_validator_set::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ManageOrigin = EnsureRoot<u64>;
	type HasSessionKeys = MockSessionKeys;
	type MaxValidators = MaxValidators;
	type MinValidators = MinValidators;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Test externalities that check the pallet's invariants after every `execute_with`.
pub type TestExt = zerog_traits::testing::CheckedExternalities;

/// Genesis: validators 1 and 2. The invariants are checked after every `execute_with`.
pub fn new_test_ext() -> TestExt {
	TestExt::new(new_test_ext_unchecked(), "validator-set", ValidatorSet::do_try_state)
}

/// [`new_test_ext`] without the invariant check, for tests that corrupt storage on purpose.
pub fn new_test_ext_unchecked() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_validator_set::GenesisConfig::<Test> { initial_validators: vec![1, 2] }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
