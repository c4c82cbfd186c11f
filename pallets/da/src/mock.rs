//! Test runtime: frame-system, balances and DA, with three genesis operators.

use crate::{self as pallet_da, operator_key, DaParams};
use frame_support::{derive_impl, parameter_types, traits::Randomness, PalletId};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Da: pallet_da,
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

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;
}

impl<C> frame_system::offchain::CreateBare<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> Self::Extrinsic {
		frame_system::mocking::MockUncheckedExtrinsic::<Test>::new_bare(call)
	}
}

/// Randomness that depends on the subject and the block, like BABE's from the tests' view.
pub struct TestRandomness;
impl Randomness<H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let block = System::block_number();
		(H256(sp_io::hashing::blake2_256(&[subject, &block.to_le_bytes()].concat())), block)
	}
}

parameter_types! {
	pub const DaPalletId: PalletId = PalletId(*b"zg/dapol");
	/// Blocks between availability and the first challenge of a blob (tests may change it).
	pub static RepairWindow: u64 = FIRST_REPAIR_WINDOW;
}

impl pallet_da::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Randomness = TestRandomness;
	type OperatorKey = operator_key::Public;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type PalletId = DaPalletId;
	type MaxOperators = frame_support::traits::ConstU32<5>;
	type MaxCommitteeSize = frame_support::traits::ConstU32<4>;
	type MaxBlobsPerBlock = frame_support::traits::ConstU32<3>;
	type MaxChallengesPerRound = frame_support::traits::ConstU32<4>;
	type RepairWindow = RepairWindow;
	type BlobPersister = MockPersister;
	type UnsignedPriority = frame_support::traits::ConstU64<{ 1 << 20 }>;
	type MaxVoteBlobs = frame_support::traits::ConstU32<64>;
	type WeightInfo = ();
}

std::thread_local! {
	/// Blobs handed to the mock storage: (owner, root).
	pub static PERSISTED: std::cell::RefCell<Vec<(u64, [u8; 32])>> = Default::default();
}

/// Storage stand-in: records what it is given; refuses blobs whose root starts with 0xff.
pub struct MockPersister;
impl zerog_traits::BlobPersister<u64> for MockPersister {
	fn persist(
		owner: &u64,
		commitment: &zerog_erasure::BlobCommitment,
	) -> sp_runtime::DispatchResult {
		if commitment.root[0] == 0xff {
			return Err(sp_runtime::DispatchError::Other("storage refuses"));
		}
		PERSISTED.with(|p| p.borrow_mut().push((*owner, commitment.root)));
		Ok(())
	}
}

/// The hash the tests give block `n` (this chain's; the mock does not hash headers).
pub fn hash_of_block(n: u64) -> H256 {
	H256::from_low_u64_be(0xb10c_0000 + n)
}

/// Blocks between challenge rounds.
pub const CHALLENGE_PERIOD: u64 = 4;
/// Blocks to answer a challenge.
pub const ANSWER_WINDOW: u64 = 3;
/// Reward of a correct answer.
pub const REWARD: u64 = 5;

/// Epoch length in the tests.
pub const EPOCH: u64 = 10;
/// Attestation window.
pub const WINDOW: u64 = 5;
/// The repair window the tests start with.
pub const FIRST_REPAIR_WINDOW: u64 = 3;
/// Retention of available blobs.
pub const RETENTION: u64 = 20;
/// Unbonding period.
pub const UNBONDING: u64 = 7;

/// The parameters the tests run with.
pub fn params() -> DaParams<u64, u64> {
	DaParams {
		min_bond: 100,
		committee_size: 3,
		epoch_length: EPOCH,
		attest_window: WINDOW,
		retention: RETENTION,
		unbonding_period: UNBONDING,
		fee_per_blob: 50,
		fee_per_byte: 1,
		base_fee: 10,
		challenge_period: CHALLENGE_PERIOD,
		challenges_per_round: 2,
		answer_window: ANSWER_WINDOW,
		slash: sp_runtime::Perbill::from_percent(10),
		challenge_reward: REWARD,
	}
}

/// The operator key pair of account `who`.
pub fn operator_pair(who: u64) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[who as u8; 32])
}

/// The operator public key of account `who`.
pub fn operator_public(who: u64) -> operator_key::Public {
	operator_pair(who).public().into()
}

/// The proof that `account` holds the operator key of `key_of`: that key's signature over
/// the genesis hash and `account`.
pub fn key_proof(key_of: u64, account: u64) -> operator_key::Signature {
	use sp_core::Pair;
	let genesis = System::block_hash(0);
	operator_pair(key_of).sign(&crate::key_proof_payload(&genesis, &account)).into()
}

/// Registers `who` as an operator with its own key and a valid proof.
pub fn register(who: u64, bond: u64) -> sp_runtime::DispatchResult {
	Da::register_operator(
		RuntimeOrigin::signed(who),
		operator_public(who),
		bond,
		key_proof(who, who),
	)
}

/// Test externalities that check the pallet's invariants after every `execute_with`.
pub type TestExt = zerog_traits::testing::CheckedExternalities;

/// Genesis: accounts 1..=6 and 10 funded; operators 1, 2, 3 with bonds 100, 200, 300. The
/// invariants are checked after every `execute_with`.
pub fn new_test_ext() -> TestExt {
	TestExt::new(new_test_ext_unchecked(), "DA", Da::do_try_state)
}

/// [`new_test_ext`] without the invariant check, for tests that corrupt storage on purpose.
pub fn new_test_ext_unchecked() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(1, 1_000),
			(2, 1_000),
			(3, 1_000),
			(4, 1_000),
			(5, 1_000),
			(6, 50),
			(10, 1_000_000),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_da::GenesisConfig::<Test> {
		params: Some(params()),
		operators: vec![
			(1, operator_public(1), 100),
			(2, operator_public(2), 200),
			(3, operator_public(3), 300),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	// Benchmarks sign with keys they generate in the keystore.
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `n`, calling the hooks.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		frame_system::BlockHash::<Test>::insert(next - 1, hash_of_block(next - 1));
		System::set_block_number(next);
		Da::on_initialize(next);
	}
}
