//! Governance: on-chain referenda with conviction voting, tracks, a treasury, and a
//! technical committee that can whitelist urgent calls.
//!
//! - `Referenda` + `ConvictionVoting`: anyone submits a referendum on a track (`tracks.rs`)
//!   with a deposit; after the track's prepare period a decision deposit starts the
//!   decision; token holders vote with conviction (locking longer for more weight); a
//!   referendum that keeps enough approval and support through its confirm period is
//!   enacted by the `Scheduler` with its track's origin (`origins.rs`).
//! - `Preimage`: call data (a runtime upgrade, say) is noted once with a deposit and
//!   referred to by hash.
//! - `Treasury`: spends approved by the treasurer and spender tracks.
//! - `TechnicalCommittee` (pallet-collective) + `Whitelist`: 2/3 of the committee whitelist a
//!   call's hash; the whitelisted-caller track then dispatches it with root, faster and with
//!   less support than the root track.
//! - Timing is realistic (days) unless [`fast_timing`] holds: the dev and local presets set
//!   it at genesis, and the `fast-runtime` feature forces it, so that a referendum fits in a
//!   test.

pub mod origins;
#[cfg(test)]
mod tests;
pub mod tracks;

use crate::{
	configs::RuntimeBlockWeights, AccountId, Balance, Balances, BlockNumber, OriginCaller,
	Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin,
	Scheduler, System, Treasury, DAYS, MICRO_UNIT, UNIT,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EitherOfDiverse, EqualPrivilegeOnly, Get, LinearStoragePrice,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use sp_runtime::{traits::IdentityLookup, Perbill, Permill};

/// Whether governance runs on fast timing (periods of a few blocks): set at genesis by the
/// dev and local presets, or forced by the `fast-runtime` feature.
pub fn fast_timing() -> bool {
	cfg!(feature = "fast-runtime") || origins::FastTiming::<Runtime>::get()
}

/// A period that is `production` blocks normally and `fast` blocks with fast timing.
pub struct Period<const PRODUCTION: BlockNumber, const FAST: BlockNumber>;
impl<const PRODUCTION: BlockNumber, const FAST: BlockNumber> Get<BlockNumber>
	for Period<PRODUCTION, FAST>
{
	fn get() -> BlockNumber {
		if fast_timing() {
			FAST
		} else {
			PRODUCTION
		}
	}
}

parameter_types! {
	/// The scheduler may use 80% of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// Holding a preimage: 1 ZG plus 0.0001 ZG a byte (a 1.1 MB runtime: about 111 ZG).
	pub const PreimageBaseDeposit: Balance = UNIT;
	pub const PreimageByteDeposit: Balance = 100 * MICRO_UNIT;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	pub const TreasuryPalletId: PalletId = PalletId(*b"zg/trsry");
	pub TreasuryAccount: AccountId = Treasury::account_id();
	/// Nothing of the treasury is burnt between spend periods.
	pub const TreasuryBurn: Permill = Permill::zero();
	pub const MaxBalance: Balance = Balance::MAX;
	/// Submitting a referendum: 100 ZG, returned when it ends unless it is killed.
	pub const SubmissionDeposit: Balance = 100 * UNIT;
	/// The committee's proposals may use half a block.
	pub MaxCommitteeProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl origins::Config for Runtime {}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Referenda schedule their enactments themselves; direct scheduling needs root.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EitherOfDiverse<EnsureRoot<AccountId>, origins::Treasurer>;
	type RuntimeEvent = RuntimeEvent;
	/// Approved spends are paid every 6 days (every 10 blocks with fast timing).
	type SpendPeriod = Period<{ 6 * DAYS }, 10>;
	type Burn = TreasuryBurn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, origins::Spender>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	/// A spend can be claimed for 30 days.
	type PayoutPeriod = Period<{ 30 * DAYS }, 100>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = frame_support::traits::TotalIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	/// Conviction 1x locks for 7 days, 6x for 224 days (fast timing: 5 blocks per step).
	type VoteLockingPeriod = Period<{ 7 * DAYS }, 5>;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumCanceller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumKiller>;
	// Deposits of killed referenda go to the treasury.
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	/// A referendum without a decision deposit for 14 days times out.
	type UndecidingTimeout = Period<{ 14 * DAYS }, 50>;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// The technical committee's instance of pallet-collective.
pub type TechnicalCollective = pallet_collective::Instance1;

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	/// A committee motion is open for 3 days (20 blocks with fast timing).
	type MotionDuration = Period<{ 3 * DAYS }, 20>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<100>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCommitteeProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = EitherOfDiverse<
		EnsureRoot<AccountId>,
		pallet_collective::EnsureProportionAtLeast<AccountId, TechnicalCollective, 2, 3>,
	>;
	type DispatchWhitelistedOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type Preimages = Preimage;
	/// A whitelisted call must be dispatched within 30 days.
	type DeferredDispatchExpiration = Period<{ 30 * DAYS }, 100>;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}
