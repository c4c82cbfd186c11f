//! # Alignment
//!
//! Alignment nodes check the network and earn era rewards for it.
//!
//! ## Licences
//! A capped supply (`max_supply`). `buy_licence` pays `licence_price` to the sale proceeds
//! (the treasury in the runtime); the admin origin can also `mint_licence`. Licences are
//! transferable and are delegated to an operator: the account whose alignment node runs the
//! checks and signs the reports.
//!
//! ## Eras and checks
//! Every `era_length` blocks an era starts. From its first block on, delegations count from
//! the next era only, so what each operator reports with is fixed first. Then a seed is taken
//! from the chain's randomness, once that randomness was revealed at or after the era's
//! first block, and a sample of subjects is drawn from it: `storage_samples` storage
//! providers, `da_samples` DA operators and `compute_samples` compute services (through
//! [`zerog_traits::ProviderRegistry`], which holds them until the era is finalized). With
//! BABE's parent-block VRF output (the runtime's choice) only the author of the era's first
//! block can know its own output ahead, and it could only withhold that block; nobody else
//! knows the subjects before the era starts. Each subject's challenge comes from
//! [`check_seed`], so every operator checks the same thing.
//!
//! ## Reports: commit, then reveal
//! During the era, once its subjects are drawn, an operator with licences that count in the
//! era commits `report_commitment(era, operator, verdicts, salt)` (one per operator per era,
//! at most `MaxReporters`). In the `reveal_window` blocks after the era it reveals the
//! verdicts and salt. An operator cannot copy another's report: commitments hide the verdicts
//! until commits are closed. Nor can it agree without checking: the evidence of a pass (the
//! hash of the data served, the same for every honest operator) is public, so a pass on
//! something checked carries the subject's receipt, its signature over this operator's own
//! challenge and the evidence ([`zerog_traits::answers`]), checked on reveal against the key
//! the subject was drawn with ([`AnswerKeys`]).
//!
//! ## Quorum
//! Each report is weighed by the licences that count for its operator in the era: delegated
//! to it before the era started and still delegated to it (see `delegations.rs`); a licence
//! counts at most once per era, however often it moves. The quorum is measured against every
//! licence that could count in the era ([`EraLicences`]: those delegated when it started),
//! not only against the operators that took one of the `MaxReporters` slots: an attacker who
//! displaces the lightest honest slots still needs more than `fault_threshold` of all the
//! era's licences. When the reveal window closes (with at least `min_reports` reports that
//! count), a subject that operators holding more than `fault_threshold` of the era's licences
//! failed is declared faulty (`SubjectFaulty`) and slashed by `slash` of its bond through the
//! matching pallet's [`zerog_traits::SlashProvider`]; a subject that operators holding more
//! than that passed on the same evidence passes with it; any other subject is undecided: no
//! slash, and left out of agreement. An operator agrees with the quorum when its verdicts
//! match on at least `agreement_threshold` of the decided subjects; an era without a decided
//! subject pays no active share.
//!
//! ## Rewards
//! Each finalized era accrues `emission_per_era`: `holder_share` split evenly over all
//! licences, the rest split evenly over the licences that counted for agreeing operators.
//! Accrual is by reward indexes (no loop over licences); `claim_rewards` mints what a licence
//! accrued to its owner. Rounding dust and unearned shares are never minted, so total
//! issuance rises by exactly what is claimed, and never by more than the eras' emission.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod delegations;
mod eras;
mod licences;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_attacks;
#[cfg(test)]
mod tests_eras;
#[cfg(test)]
mod tests_receipts;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

const LOG_TARGET: &str = "runtime::alignment";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, Inspect, Mutate},
			OnUnbalanced, Randomness,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::One;
	use zerog_traits::{ProviderRegistry, SlashProvider};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A licence record.
	pub type LicenceOf<T> = Licence<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// An era record.
	pub type EraOf<T> =
		Era<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, <T as Config>::MaxSubjects>;
	/// A subject.
	pub type SubjectOf<T> = Subject<<T as frame_system::Config>::AccountId>;
	/// A revealed report's verdicts, as the chain keeps them.
	pub type VerdictsOf<T> = BoundedVec<Verdict, <T as Config>::MaxSubjects>;
	/// A report's verdicts as the operator reveals them, with the subjects' receipts.
	pub type ReportedVerdictsOf<T> = BoundedVec<ReportedVerdict, <T as Config>::MaxSubjects>;
	/// The keys an era's subjects answer with, in subject order (see [`AnswerKeys`]).
	pub type AnswerKeysOf<T> = BoundedVec<Option<[u8; 32]>, <T as Config>::MaxSubjects>;
	/// The operators that committed in an era, each with the licences it counted for then.
	pub type CommittersOf<T> =
		BoundedVec<(<T as frame_system::Config>::AccountId, u32), <T as Config>::MaxReporters>;
	/// Parameters.
	pub type ParamsOf<T> = AlignmentParams<BalanceOf<T>, BlockNumberFor<T>>;
	/// Funds paid for a licence.
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	/// An operator's delegations still pending: (the era they were made in, how many). Only
	/// the current era and the one being revealed can have them.
	pub type PendingOf = BoundedVec<(EraIndex, u32), ConstU32<2>>;

	/// The in-code storage version: the pallet's first storage layout.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The native currency: licences are paid in it, rewards are minted in it.
		type Currency: Mutate<Self::AccountId> + fungible::Balanced<Self::AccountId>;
		/// Where licence payments go.
		type SaleProceeds: OnUnbalanced<CreditOf<Self>>;
		/// Randomness for era seeds (BABE's in the runtime). An era's subjects are drawn once
		/// it reports a block at or after the era's first one as the block from which its
		/// value could be known.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Storage providers: sampled as subjects, slashed when found faulty.
		type StorageProviders: ProviderRegistry<Self::AccountId> + SlashProvider<Self::AccountId>;
		/// DA operators: sampled as subjects, slashed when found faulty.
		type DaOperators: ProviderRegistry<Self::AccountId> + SlashProvider<Self::AccountId>;
		/// Compute services: sampled as subjects, slashed when found faulty.
		type ComputeProviders: ProviderRegistry<Self::AccountId> + SlashProvider<Self::AccountId>;
		/// Who may mint licences and change the parameters.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most subjects in an era (the three sample counts together).
		#[pallet::constant]
		type MaxSubjects: Get<u32>;
		/// Most operators reporting in an era.
		#[pallet::constant]
		type MaxReporters: Get<u32>;
		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
		/// Keys whose signatures the `reveal_report` benchmark puts in receipts: the
		/// benchmark's subjects answer with them.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: zerog_traits::BenchmarkKeys<[u8; 32], sp_runtime::MultiSignature>;
	}

	/// Current parameters; no eras run until they are set.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, OptionQuery>;

	/// Licences by id.
	#[pallet::storage]
	pub type Licences<T: Config> =
		StorageMap<_, Twox64Concat, LicenceId, LicenceOf<T>, OptionQuery>;

	/// Licences by owner (for listing).
	#[pallet::storage]
	pub type LicencesOf<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		LicenceId,
		(),
		OptionQuery,
	>;

	/// How many licences exist (the next id, too: licences are never burnt).
	#[pallet::storage]
	pub type LicenceCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Operators with delegated licences.
	#[pallet::storage]
	pub type Operators<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Operator<BalanceOf<T>>, OptionQuery>;

	/// Licences delegated to an operator during an era, by that era: they count for it from
	/// the next era on.
	#[pallet::storage]
	pub type PendingDelegations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PendingOf, OptionQuery>;

	/// The era a licence was delegated in, until it reads its start index.
	#[pallet::storage]
	pub type DelegatedIn<T: Config> = StorageMap<_, Twox64Concat, LicenceId, EraIndex, OptionQuery>;

	/// For licences delegated to an operator during a finalized era: the operator's reward
	/// index their active share starts from, and how many licences have yet to read it.
	#[pallet::storage]
	pub type StartIndexes<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		EraIndex,
		(BalanceOf<T>, u32),
		OptionQuery,
	>;

	/// Holder reward per licence, summed over eras.
	#[pallet::storage]
	pub type HolderIndex<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Licences delegated to an operator now (the sum of the operators' counts).
	#[pallet::storage]
	pub type DelegatedLicences<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The licences that could count in each era not yet finalized: those delegated when it
	/// started (a licence delegated later counts from the next era). The quorum's measure.
	#[pallet::storage]
	pub type EraLicences<T: Config> = StorageMap<_, Twox64Concat, EraIndex, u32, ValueQuery>;

	/// The era whose checks are running.
	#[pallet::storage]
	pub type CurrentEra<T: Config> = StorageValue<_, EraIndex, OptionQuery>;

	/// Eras not yet finalized.
	#[pallet::storage]
	pub type Eras<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraOf<T>, OptionQuery>;

	/// The current era, while its subjects wait for randomness revealed since it started.
	#[pallet::storage]
	pub type AwaitingSeed<T: Config> = StorageValue<_, EraIndex, OptionQuery>;

	/// The era whose reports are being revealed, and the block its reveal window closes at.
	#[pallet::storage]
	pub type Revealing<T: Config> = StorageValue<_, (EraIndex, BlockNumberFor<T>), OptionQuery>;

	/// Report commitments by (era, operator).
	#[pallet::storage]
	pub type Commitments<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EraIndex,
		Blake2_128Concat,
		T::AccountId,
		[u8; 32],
		OptionQuery,
	>;

	/// The operators that committed in an era, with the licences each counted for when it
	/// committed: at most `MaxReporters`, and a full era gives the lightest slot to a heavier
	/// newcomer.
	#[pallet::storage]
	pub type Committers<T: Config> =
		StorageMap<_, Twox64Concat, EraIndex, CommittersOf<T>, ValueQuery>;

	/// The keys each drawn era's subjects answer checks with, in subject order, as their
	/// pallets knew them at the draw ([`zerog_traits::ProviderRegistry::answer_key`]): a
	/// pass is revealed with a receipt signed by that key. Kept until the era is finalized,
	/// so a subject that changes its key during the era cannot void honest receipts. An era
	/// drawn before this record existed has none, and its passes need no receipt.
	#[pallet::storage]
	pub type AnswerKeys<T: Config> =
		StorageMap<_, Twox64Concat, EraIndex, AnswerKeysOf<T>, OptionQuery>;

	/// Revealed verdicts by (era, operator).
	#[pallet::storage]
	pub type Reports<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EraIndex,
		Blake2_128Concat,
		T::AccountId,
		VerdictsOf<T>,
		OptionQuery,
	>;

	/// What finalized eras found (kept for explorers and the runtime API).
	#[pallet::storage]
	pub type Outcomes<T: Config> =
		StorageMap<_, Twox64Concat, EraIndex, EraOutcome<BalanceOf<T>>, OptionQuery>;

	/// Everything accrued to licences over all eras.
	#[pallet::storage]
	pub type TotalAccrued<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Everything minted to licence owners by claims.
	#[pallet::storage]
	pub type TotalClaimed<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters (eras start at block 1 when set).
		pub params: Option<ParamsOf<T>>,
		/// Licences minted at genesis: (owner, operator it is delegated to).
		pub licences: alloc::vec::Vec<(T::AccountId, Option<T::AccountId>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = &self.params {
				assert!(
					Pallet::<T>::params_ok(params),
					"genesis alignment parameters are out of range"
				);
				assert!(
					self.licences.len() as u32 <= params.max_supply,
					"more genesis licences than max_supply"
				);
				Params::<T>::put(params);
			}
			for (owner, operator) in &self.licences {
				let id = Pallet::<T>::create_licence(owner.clone());
				if let Some(operator) = operator {
					Pallet::<T>::do_delegate(owner.clone(), id, operator.clone())
						.expect("a new licence can be delegated");
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A licence was created (bought, or minted by the admin origin).
		LicenceCreated { licence: LicenceId, owner: T::AccountId, price: BalanceOf<T> },
		/// A licence changed hands.
		LicenceTransferred { licence: LicenceId, from: T::AccountId, to: T::AccountId },
		/// A licence was delegated to an operator.
		LicenceDelegated { licence: LicenceId, operator: T::AccountId },
		/// A licence's delegation ended.
		LicenceUndelegated { licence: LicenceId, operator: T::AccountId },
		/// Accrued rewards were minted to a licence's owner.
		RewardsClaimed { licence: LicenceId, owner: T::AccountId, amount: BalanceOf<T> },
		/// An era's subjects were drawn (in its first block, or once randomness revealed since
		/// then came); its checks are derived from `seed`.
		EraStarted { era: EraIndex, seed: [u8; 32], subjects: u32 },
		/// An operator committed its report.
		ReportCommitted { era: EraIndex, operator: T::AccountId },
		/// An operator revealed its report.
		ReportRevealed { era: EraIndex, operator: T::AccountId },
		/// The quorum found a subject faulty; `slashed` was taken from its bond. `fails` and
		/// `reporters` count licences: those of the operators that failed it, and of all that
		/// reported.
		SubjectFaulty {
			era: EraIndex,
			subject: SubjectOf<T>,
			fails: u32,
			reporters: u32,
			slashed: u128,
		},
		/// An era was finalized and its rewards accrued.
		EraFinalized { era: EraIndex, outcome: EraOutcome<BalanceOf<T>> },
		/// Parameters were changed.
		ParamsSet,
		/// An era started, and its subjects wait for randomness revealed since: BABE's epoch
		/// randomness changes at the next epoch.
		EraAwaitingSeed { era: EraIndex },
		/// The era's reporter slots were full, and `operator`'s commitment, the one counting
		/// the fewest licences, gave way to a commitment that counts more. `operator` may
		/// commit again if it now counts more than the lightest slot.
		ReportDisplaced { era: EraIndex, operator: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Alignment parameters have not been set.
		NotConfigured,
		/// Parameters out of range (or a supply cap below the licences that exist).
		InvalidParams,
		/// Every licence of `max_supply` exists.
		SoldOut,
		/// The account cannot pay the licence price.
		InsufficientBalance,
		/// No licence with this id.
		UnknownLicence,
		/// Only the licence's owner may do this.
		NotOwner,
		/// The licence is already delegated to this operator.
		AlreadyDelegated,
		/// The licence is not delegated.
		NotDelegated,
		/// A licence cannot be transferred to its owner.
		SameOwner,
		/// Minting the rewards failed (an owner account that does not exist and a reward
		/// below the existential deposit).
		CannotPayRewards,
		/// No rewards have accrued.
		NothingToClaim,
		/// The caller has no licence that counts in this era (a licence delegated during an era
		/// counts from the next one).
		NotAnOperator,
		/// Not the era whose reports are committed now.
		WrongEra,
		/// The operator already committed a report for this era.
		AlreadyCommitted,
		/// The era has as many reporters as it may, and each counts at least as many licences
		/// as the caller.
		TooManyReporters,
		/// The era's reports are not being revealed (too early, or the window closed).
		NotRevealing,
		/// The operator committed nothing for this era.
		NoCommitment,
		/// The operator already revealed its report.
		AlreadyRevealed,
		/// The report does not have one verdict per subject.
		WrongVerdictCount,
		/// The revealed verdicts and salt do not match the commitment.
		CommitmentMismatch,
		/// An amount overflows.
		Overflow,
		/// The era's subjects are not drawn yet: it waits for randomness revealed since it
		/// started.
		SubjectsNotDrawn,
		/// A pass on something checked comes without the subject's receipt.
		MissingReceipt,
		/// A receipt is not the subject's signature over this operator's challenge and the
		/// verdict's evidence.
		BadReceipt,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::advance(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Buy a licence at `licence_price`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::buy_licence())]
		pub fn buy_licence(origin: OriginFor<T>) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			Self::do_buy_licence(buyer)
		}

		/// Create a licence for `owner` without payment (admin origin).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::mint_licence())]
		pub fn mint_licence(origin: OriginFor<T>, owner: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_mint_licence(owner)
		}

		/// Give a licence to `to` (its accrued rewards are paid to the caller first; the
		/// delegation stays).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::transfer_licence())]
		pub fn transfer_licence(
			origin: OriginFor<T>,
			licence: LicenceId,
			to: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_transfer(owner, licence, to)
		}

		/// Delegate a licence to `operator` (replacing any earlier delegation).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::delegate())]
		pub fn delegate(
			origin: OriginFor<T>,
			licence: LicenceId,
			operator: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_delegate(owner, licence, operator)
		}

		/// End a licence's delegation.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::undelegate())]
		pub fn undelegate(origin: OriginFor<T>, licence: LicenceId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_undelegate(owner, licence)
		}

		/// Mint a licence's accrued rewards to its owner.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>, licence: LicenceId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_claim(owner, licence)
		}

		/// Commit to this era's report: `report_commitment(era, caller, verdicts, salt)`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::commit_report())]
		pub fn commit_report(
			origin: OriginFor<T>,
			era: EraIndex,
			commitment: [u8; 32],
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_commit(operator, era, commitment)
		}

		/// Reveal a committed report in the era's reveal window. Each pass on something
		/// checked carries the subject's receipt (see [`ReportedVerdict`]).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::reveal_report(verdicts.len() as u32))]
		pub fn reveal_report(
			origin: OriginFor<T>,
			era: EraIndex,
			verdicts: ReportedVerdictsOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_reveal(operator, era, verdicts, salt)
		}

		/// Set the parameters (admin origin). The first call starts era 0 at the next block.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(Self::params_ok(&params), Error::<T>::InvalidParams);
			ensure!(params.max_supply >= LicenceCount::<T>::get(), Error::<T>::InvalidParams);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether parameters are usable: eras are at least three blocks (one starts the era,
		/// one draws its subjects, and commits need a block after that), the reveal window
		/// fits in an era, the samples fit in `MaxSubjects`, and the quorum needs a report.
		pub(crate) fn params_ok(params: &ParamsOf<T>) -> bool {
			let samples = params
				.storage_samples
				.saturating_add(params.da_samples)
				.saturating_add(params.compute_samples);
			params.era_length >= 3u32.into()
				&& !params.reveal_window.is_zero()
				&& params.reveal_window <= params.era_length
				&& samples <= T::MaxSubjects::get()
				&& params.min_reports >= 1
		}

		/// The parameters, or `NotConfigured`.
		pub(crate) fn params() -> Result<ParamsOf<T>, Error<T>> {
			Params::<T>::get().ok_or(Error::<T>::NotConfigured)
		}

		/// Seed of an era, from the chain's randomness, if that randomness could not be known
		/// before block `start` (the era's first). An era that starts in the first block may
		/// use any: nothing but genesis came before it.
		pub(crate) fn era_seed(era: EraIndex, start: BlockNumberFor<T>) -> Option<[u8; 32]> {
			let (random, known_since) =
				T::Randomness::random(&(b"zerog-alignment-era", era).encode());
			let fresh = known_since >= start || start <= One::one();
			fresh.then(|| sp_io::hashing::blake2_256(random.as_ref()))
		}

		/// Draws `count` distinct subjects of one kind.
		pub(crate) fn sample<R: ProviderRegistry<T::AccountId>>(
			seed: &[u8; 32],
			kind: u8,
			count: u32,
			wrap: fn(T::AccountId) -> SubjectOf<T>,
			into: &mut alloc::vec::Vec<SubjectOf<T>>,
		) {
			// A few extra draws so that collisions on small sets still fill the sample.
			for draw in 0..count.saturating_mul(2) {
				if into.iter().filter(|s| Self::kind_of(s) == kind).count() as u32 >= count {
					break;
				}
				let draw_seed = sp_io::hashing::blake2_256(&(seed, kind, draw).encode());
				if let Some(who) = R::sample(&draw_seed) {
					let subject = wrap(who);
					if !into.contains(&subject) {
						into.push(subject);
					}
				}
			}
		}

		/// 0 storage, 1 DA, 2 compute.
		pub(crate) fn kind_of(subject: &SubjectOf<T>) -> u8 {
			match subject {
				Subject::Storage(_) => 0,
				Subject::Da(_) => 1,
				Subject::Compute(_) => 2,
			}
		}

		/// Slashes a faulty subject through its pallet; returns the amount taken.
		pub(crate) fn slash(subject: &SubjectOf<T>, fraction: sp_runtime::Perbill) -> u128 {
			match subject {
				Subject::Storage(who) => T::StorageProviders::slash(who, fraction),
				Subject::Da(who) => T::DaOperators::slash(who, fraction),
				Subject::Compute(who) => T::ComputeProviders::slash(who, fraction),
			}
		}

		/// The key `subject` answers checks with, from its pallet.
		pub(crate) fn answer_key(subject: &SubjectOf<T>) -> Option<[u8; 32]> {
			match subject {
				Subject::Storage(who) => T::StorageProviders::answer_key(who),
				Subject::Da(who) => T::DaOperators::answer_key(who),
				Subject::Compute(who) => T::ComputeProviders::answer_key(who),
			}
		}

		/// Asks a drawn subject's pallet to keep it (and its bond) until the era is finalized.
		pub(crate) fn hold_subject(subject: &SubjectOf<T>) {
			match subject {
				Subject::Storage(who) => T::StorageProviders::hold_subject(who),
				Subject::Da(who) => T::DaOperators::hold_subject(who),
				Subject::Compute(who) => T::ComputeProviders::hold_subject(who),
			}
		}

		/// Lets a subject's pallet release it: the era that drew it is finalized.
		pub(crate) fn release_subject(subject: &SubjectOf<T>) {
			match subject {
				Subject::Storage(who) => T::StorageProviders::release_subject(who),
				Subject::Da(who) => T::DaOperators::release_subject(who),
				Subject::Compute(who) => T::ComputeProviders::release_subject(who),
			}
		}
	}
}
