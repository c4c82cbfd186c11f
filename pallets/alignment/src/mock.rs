//! Test runtime: frame-system, balances and alignment, with provider registries whose members,
//! holds and slashes the tests control and inspect, and randomness whose age they choose.

use crate::{
	self as pallet_alignment, answer_challenge, answer_message, check_seed, report_commitment,
	AlignmentParams, EraIndex, Eras, ReportedVerdict, Verdict,
};
use alloc::collections::BTreeMap;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use sp_core::{ed25519, Pair};
use sp_runtime::{BuildStorage, MultiSignature, Perbill};
use zerog_traits::{ProviderRegistry, SlashProvider};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are plain numbers here.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Alignment: pallet_alignment,
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
	type ExistentialDeposit = frame_support::traits::ConstU64<10>;
}

thread_local! {
	/// Registered providers per kind (0 storage, 1 DA, 2 compute).
	static PROVIDERS: RefCell<[Vec<AccountId>; 3]> = const { RefCell::new([vec![], vec![], vec![]]) };
	/// Slashes made: (kind, who, fraction).
	static SLASHES: RefCell<Vec<(u8, AccountId, Perbill)>> = const { RefCell::new(vec![]) };
	/// Subjects held by eras not finalized: (kind, who) -> holds.
	static HOLDS: RefCell<BTreeMap<(u8, AccountId), u32>> = const { RefCell::new(BTreeMap::new()) };
	/// The block the randomness has been known since, when it is not the current one.
	static RANDOMNESS_SINCE: RefCell<Option<u64>> = const { RefCell::new(None) };
	/// Licence payments received.
	static PROCEEDS: RefCell<u64> = const { RefCell::new(0) };
	/// How many times the providers changed their answer keys (see [`rotate_answer_keys`]).
	static KEY_ROTATIONS: RefCell<u8> = const { RefCell::new(0) };
	/// Providers without an answer key.
	static KEYLESS: RefCell<Vec<AccountId>> = const { RefCell::new(vec![]) };
}

/// The key pair provider `who` answers checks with now. Ed25519, whose signatures are
/// deterministic: a test's commitment and reveal build the same receipts.
pub fn answer_pair(who: AccountId) -> ed25519::Pair {
	let rotation = KEY_ROTATIONS.with(|r| *r.borrow());
	ed25519::Pair::from_seed(&sp_io::hashing::blake2_256(&(b"answer", who, rotation).encode()))
}

/// Every provider takes a new answer key (as a DA operator or compute service may).
pub fn rotate_answer_keys() {
	KEY_ROTATIONS.with(|r| *r.borrow_mut() += 1);
}

/// Provider `who` has no answer key from now on.
pub fn set_keyless(who: AccountId) {
	KEYLESS.with(|k| k.borrow_mut().push(who));
}

/// A registry of one kind that draws uniformly from its members by the seed.
pub struct Registry<const KIND: u8>;

impl<const KIND: u8> ProviderRegistry<AccountId> for Registry<KIND> {
	fn sample(seed: &[u8; 32]) -> Option<AccountId> {
		PROVIDERS.with(|p| {
			let members = &p.borrow()[KIND as usize];
			let pick = u64::from_le_bytes(seed[..8].try_into().unwrap()) as usize;
			(!members.is_empty()).then(|| members[pick % members.len()])
		})
	}

	fn answer_key(who: &AccountId) -> Option<[u8; 32]> {
		let keyless = KEYLESS.with(|k| k.borrow().contains(who));
		(!keyless).then(|| answer_pair(*who).public().0)
	}

	fn hold_subject(who: &AccountId) {
		HOLDS.with(|h| *h.borrow_mut().entry((KIND, *who)).or_default() += 1);
	}

	fn release_subject(who: &AccountId) {
		HOLDS.with(|h| {
			let mut holds = h.borrow_mut();
			if let Some(n) = holds.get_mut(&(KIND, *who)) {
				*n -= 1;
				if *n == 0 {
					holds.remove(&(KIND, *who));
				}
			}
		});
	}
}

impl<const KIND: u8> SlashProvider<AccountId> for Registry<KIND> {
	fn slash(who: &AccountId, fraction: Perbill) -> u128 {
		SLASHES.with(|s| s.borrow_mut().push((KIND, *who, fraction)));
		(fraction * 1_000u64) as u128
	}
}

/// Sale proceeds are counted, not kept.
pub struct Proceeds;
impl frame_support::traits::OnUnbalanced<crate::CreditOf<Test>> for Proceeds {
	fn on_nonzero_unbalanced(credit: crate::CreditOf<Test>) {
		use frame_support::traits::Imbalance;
		PROCEEDS.with(|p| *p.borrow_mut() += credit.peek());
		drop(credit);
	}
}

/// Randomness that changes with the subject and the block, known from that block on; or,
/// after [`set_randomness_since`], one value known since an earlier block (as BABE's epoch
/// randomness is, for a whole epoch).
pub struct TestRandomness;
impl frame_support::traits::Randomness<sp_core::H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (sp_core::H256, u64) {
		let block = RANDOMNESS_SINCE.with(|r| *r.borrow()).unwrap_or_else(System::block_number);
		(sp_io::hashing::blake2_256(&(subject, block).encode()).into(), block)
	}
}
use codec::Encode;

parameter_types! {
	pub const MaxSubjects: u32 = 6;
	pub const MaxReporters: u32 = 5;
}

impl pallet_alignment::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type SaleProceeds = Proceeds;
	type Randomness = TestRandomness;
	type StorageProviders = Registry<0>;
	type DaOperators = Registry<1>;
	type ComputeProviders = Registry<2>;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxSubjects = MaxSubjects;
	type MaxReporters = MaxReporters;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkKeys;
}

/// Numbered ed25519 keys for the benchmarks' receipts.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
impl zerog_traits::BenchmarkKeys<[u8; 32], MultiSignature> for BenchmarkKeys {
	fn signer(seed: u32) -> [u8; 32] {
		ed25519::Pair::from_seed(&[seed as u8; 32]).public().0
	}

	fn sign(seed: u32, message: &[u8]) -> MultiSignature {
		ed25519::Pair::from_seed(&[seed as u8; 32]).sign(message).into()
	}
}

/// Emission per era in the tests.
pub const EMISSION: u64 = 1_000_000;
/// Blocks per era in the tests.
pub const ERA: u64 = 10;
/// Reveal window in the tests.
pub const REVEAL: u64 = 4;
/// Licence price in the tests.
pub const PRICE: u64 = 500;

/// The test parameters: one subject of each kind, 2 reports for a quorum, faulty above
/// half, agreement on all subjects, 10% slash, 30% to holders.
pub fn params() -> AlignmentParams<u64, u64> {
	AlignmentParams {
		licence_price: PRICE,
		max_supply: 6,
		era_length: ERA,
		reveal_window: REVEAL,
		storage_samples: 1,
		da_samples: 1,
		compute_samples: 1,
		min_reports: 2,
		fault_threshold: Perbill::from_percent(50),
		agreement_threshold: Perbill::from_percent(100),
		slash: Perbill::from_percent(10),
		emission_per_era: EMISSION,
		holder_share: Perbill::from_percent(30),
	}
}

/// Test externalities that check the pallet's invariants after every `execute_with`.
pub type TestExt = zerog_traits::testing::CheckedExternalities;

/// Accounts 1-9 start with 10,000 each. Providers: storage 100, DA 101, compute 102. The
/// invariants are checked after every `execute_with`.
pub fn new_test_ext() -> TestExt {
	new_test_ext_with(&[])
}

/// [`new_test_ext`] with genesis licences: licence `i` for the `i`-th (owner, operator),
/// delegated before era 0 starts, so each counts for its operator from era 0 on.
pub fn new_test_ext_with(licences: &[(AccountId, AccountId)]) -> TestExt {
	TestExt::new(genesis_ext(licences), "alignment", Alignment::do_try_state)
}

/// [`new_test_ext`] without the invariant check, for tests that corrupt storage on purpose.
pub fn new_test_ext_unchecked() -> sp_io::TestExternalities {
	genesis_ext(&[])
}

fn genesis_ext(licences: &[(AccountId, AccountId)]) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|who| (who, 10_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_alignment::GenesisConfig::<Test> {
		params: Some(params()),
		licences: licences.iter().map(|(owner, operator)| (*owner, Some(*operator))).collect(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	PROVIDERS.with(|p| *p.borrow_mut() = [vec![100], vec![101], vec![102]]);
	SLASHES.with(|s| s.borrow_mut().clear());
	HOLDS.with(|h| h.borrow_mut().clear());
	RANDOMNESS_SINCE.with(|r| *r.borrow_mut() = None);
	PROCEEDS.with(|p| *p.borrow_mut() = 0);
	KEY_ROTATIONS.with(|r| *r.borrow_mut() = 0);
	KEYLESS.with(|k| k.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| run_to(1));
	ext
}

/// Sets the members of one registry.
pub fn set_providers(kind: u8, members: Vec<AccountId>) {
	PROVIDERS.with(|p| p.borrow_mut()[kind as usize] = members);
}

/// Slashes made so far.
pub fn slashes() -> Vec<(u8, AccountId, Perbill)> {
	SLASHES.with(|s| s.borrow().clone())
}

/// Licence payments received so far.
pub fn proceeds() -> u64 {
	PROCEEDS.with(|p| *p.borrow())
}

/// Subjects held by eras not finalized: ((kind, who), holds).
pub fn holds() -> Vec<((u8, AccountId), u32)> {
	HOLDS.with(|h| h.borrow().iter().map(|(k, n)| (*k, *n)).collect())
}

/// From now on the randomness is one value, known since `block` (as BABE's epoch randomness
/// is); `None` goes back to randomness of each block.
pub fn set_randomness_since(block: Option<u64>) {
	RANDOMNESS_SINCE.with(|r| *r.borrow_mut() = block);
}

/// Runs blocks up to and including `n`, with the pallet's hook.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Alignment::on_initialize(next);
	}
}

/// The first block of era `era` (era 0 starts at block 1).
pub fn era_start(era: EraIndex) -> u64 {
	1 + ERA * era as u64
}

/// A verdict: a pass on `evidence`, or a failure.
pub fn pass(evidence: u8) -> Verdict {
	Verdict { ok: true, evidence: [evidence; 32] }
}

/// A failure verdict.
pub fn fail() -> Verdict {
	Verdict { ok: false, evidence: [0xEE; 32] }
}

/// `verdicts` as operator `who` reports them in `era`: each pass carries the receipt its
/// subject signs now for `who`'s challenge (an honest subject answering a real check).
pub fn reported(who: AccountId, era: EraIndex, verdicts: &[Verdict]) -> Vec<ReportedVerdict> {
	let info = Eras::<Test>::get(era);
	verdicts
		.iter()
		.enumerate()
		.map(|(index, verdict)| {
			let receipt = info.as_ref().filter(|_| verdict.ok).and_then(|info| {
				let subject = info.subjects.get(index)?;
				let challenge =
					answer_challenge(&check_seed(&info.seed, index as u32), &who.encode());
				let message = answer_message(&challenge, &verdict.evidence);
				Some(MultiSignature::from(answer_pair(*subject.account()).sign(&message)))
			});
			ReportedVerdict { ok: verdict.ok, evidence: verdict.evidence, receipt }
		})
		.collect()
}

/// Commits `verdicts` for `who` in `era` with a salt made from `who`, the passes with their
/// subjects' receipts.
pub fn commit(
	who: AccountId,
	era: EraIndex,
	verdicts: &[Verdict],
) -> frame_support::dispatch::DispatchResult {
	commit_reported(who, era, &reported(who, era, verdicts))
}

/// Commits verdicts as reported, receipts and all.
pub fn commit_reported(
	who: AccountId,
	era: EraIndex,
	verdicts: &[ReportedVerdict],
) -> frame_support::dispatch::DispatchResult {
	let salt = [who as u8; 32];
	Alignment::commit_report(
		RuntimeOrigin::signed(who),
		era,
		report_commitment(era, &who, verdicts, &salt),
	)
}

/// Reveals `verdicts` for `who` in `era` with the salt and receipts `commit` used.
pub fn reveal(
	who: AccountId,
	era: EraIndex,
	verdicts: &[Verdict],
) -> frame_support::dispatch::DispatchResult {
	reveal_reported(who, era, &reported(who, era, verdicts))
}

/// Reveals verdicts as reported, with the salt `commit_reported` used.
pub fn reveal_reported(
	who: AccountId,
	era: EraIndex,
	verdicts: &[ReportedVerdict],
) -> frame_support::dispatch::DispatchResult {
	Alignment::reveal_report(
		RuntimeOrigin::signed(who),
		era,
		verdicts.to_vec().try_into().unwrap(),
		[who as u8; 32],
	)
}
