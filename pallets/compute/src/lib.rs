//! # Compute
//!
//! A GPU compute marketplace. Providers sell inference and fine-tuning; users prepay; a
//! provider is paid only what the user signed for.
//!
//! ## Services
//! `register_service(info, bond)`: kind, model, endpoint, input and output prices,
//! verifiability (none or TEE, with the attestation's kind and report hash), the signer
//! account that co-signs receipts, and a held bond of at least `min_bond`. One service per
//! provider account. `update_service` replaces the published record; `retire_service` stops
//! new business and starts the unbonding period, after which `withdraw_bond` returns the bond.
//!
//! ## Ledger
//! `deposit` moves funds into the pallet's pot and credits the user's ledger; `withdraw`
//! takes unallocated funds back. `transfer_to_provider` funds the sub-account of (user,
//! provider). `request_refund` queues part of a sub-account, processable by
//! `process_refunds` after `refund_delay`: the delay is the provider's window to settle
//! what it is owed. Funding a sub-account cancels its pending refunds first, newest first,
//! and takes only the remainder from the ledger.
//!
//! ## Settlement
//! `acknowledge_signer(provider)` records the service's current signer in the user's
//! sub-account. `settle(receipts)` by the provider checks, per receipt, the user's and the
//! acknowledged signer's signatures over [`receipt_message`], that the nonce rises and the
//! cumulative fee does not fall, and that the sub-account covers the difference, then pays
//! the difference. A batch is all or nothing. Because the chain keeps (nonce, cumulative fee)
//! per pair and pays only differences, a provider can never collect more than the highest
//! cumulative fee the user signed.
//!
//! ## Fine-tuning
//! `create_task` escrows a fee from the ledger with a dataset root and a delivery deadline;
//! `deliver_task` posts the model root and the key encrypted to the user;
//! `acknowledge_task` pays the whole fee; `expire_task` after the deadline refunds an
//! undelivered task, or splits an unacknowledged one `timeout_share` to the provider.
//!
//! ## Slashing
//! [`zerog_traits::SlashProvider`] takes a fraction of a provider's bond (to `Slashed`); a
//! service left below `min_bond` is retired.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod ledger;
#[cfg(test)]
mod mock;
pub mod runtime_api;
mod services;
mod settlement;
mod tasks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_settle;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// Makes signing keys for the benchmarks, which cannot know the runtime's signature type
/// (shared with the other pallets that check signatures).
#[cfg(feature = "runtime-benchmarks")]
pub use zerog_traits::BenchmarkKeys as BenchmarkHelper;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, Inspect, Mutate, MutateHold},
			OnUnbalanced,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{IdentifyAccount, Verify};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// What a provider publishes.
	pub type ServiceInfoOf<T> = ServiceInfo<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxModelLen,
		<T as Config>::MaxUrlLen,
	>;
	/// A service record.
	pub type ServiceOf<T> = Service<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxModelLen,
		<T as Config>::MaxUrlLen,
	>;
	/// A sub-account record.
	pub type SubAccountOf<T> = SubAccount<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxPendingRefunds,
	>;
	/// A receipt.
	pub type ReceiptOf<T> =
		Receipt<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::Signature>;
	/// A fine-tuning task.
	pub type TaskOf<T> = crate::types::Task<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxKeyLen,
	>;
	/// Parameters.
	pub type ParamsOf<T> = ComputeParams<BalanceOf<T>, BlockNumberFor<T>>;
	/// Funds taken from a slashed bond.
	pub type CreditOf<T> =
		fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	/// The in-code storage version: the pallet's first storage layout.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A service's bond.
		ServiceBond,
		/// The storage deposit of a ledger, sub-account or task record.
		RecordDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The native currency: ledgers live in the pot, bonds and deposits are held.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Signatures on receipts (the runtime's `MultiSignature`).
		type Signature: Verify<Signer = Self::Signer> + Parameter;
		/// The public key type behind [`Config::Signature`], identified as an account.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;
		/// Where slashed bonds go.
		type Slashed: OnUnbalanced<CreditOf<Self>>;
		/// Who may change the parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The pot account's id seed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Longest model name.
		#[pallet::constant]
		type MaxModelLen: Get<u32>;
		/// Longest endpoint URL.
		#[pallet::constant]
		type MaxUrlLen: Get<u32>;
		/// Longest encrypted model key of a delivered task.
		#[pallet::constant]
		type MaxKeyLen: Get<u32>;
		/// Most receipts in one `settle`.
		#[pallet::constant]
		type MaxSettleBatch: Get<u32>;
		/// Most pending refunds per sub-account.
		#[pallet::constant]
		type MaxPendingRefunds: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Signing keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Current parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, OptionQuery>;

	/// Services by provider.
	#[pallet::storage]
	pub type Services<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ServiceOf<T>, OptionQuery>;

	/// Users' ledgers.
	#[pallet::storage]
	pub type Ledgers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Ledger<BalanceOf<T>>, OptionQuery>;

	/// Sub-accounts by (user, provider). Kept for good: they hold the settled nonce that
	/// stops replays.
	#[pallet::storage]
	pub type SubAccounts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		SubAccountOf<T>,
		OptionQuery,
	>;

	/// Open fine-tuning tasks.
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, TaskOf<T>, OptionQuery>;

	/// The next task id.
	#[pallet::storage]
	pub type NextTaskId<T: Config> = StorageValue<_, TaskId, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters.
		pub params: Option<ParamsOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = &self.params {
				assert!(
					Pallet::<T>::params_ok(params),
					"genesis compute parameters are out of range"
				);
				Params::<T>::put(params);
			}
			Pallet::<T>::open_pot();
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered a service.
		ServiceRegistered {
			provider: T::AccountId,
			kind: ServiceKind,
			signer: T::AccountId,
			bond: BalanceOf<T>,
		},
		/// A provider changed its service record.
		ServiceUpdated { provider: T::AccountId, signer: T::AccountId },
		/// A service stopped taking business; its bond can be withdrawn at `until`.
		ServiceRetiring { provider: T::AccountId, until: BlockNumberFor<T> },
		/// A retired service's bond came back and the record was removed.
		BondWithdrawn { provider: T::AccountId, bond: BalanceOf<T> },
		/// A provider's bond was slashed; `retired` if it fell below `min_bond`.
		ProviderSlashed { provider: T::AccountId, amount: BalanceOf<T>, retired: bool },
		/// A user deposited into its ledger.
		Deposited { user: T::AccountId, amount: BalanceOf<T> },
		/// A user took unallocated funds back.
		Withdrawn { user: T::AccountId, amount: BalanceOf<T> },
		/// A sub-account gained `amount`: `from_refunds` by cancelling pending refunds, the
		/// rest from the ledger.
		SubAccountFunded {
			user: T::AccountId,
			provider: T::AccountId,
			amount: BalanceOf<T>,
			from_refunds: BalanceOf<T>,
		},
		/// A refund was queued.
		RefundRequested {
			user: T::AccountId,
			provider: T::AccountId,
			amount: BalanceOf<T>,
			unlock_at: BlockNumberFor<T>,
		},
		/// Due refunds moved back to the ledger.
		RefundsProcessed { user: T::AccountId, provider: T::AccountId, amount: BalanceOf<T> },
		/// Settlement used funds of pending refunds; those refunds shrank by `amount`.
		RefundsReduced { user: T::AccountId, provider: T::AccountId, amount: BalanceOf<T> },
		/// A user acknowledged a provider's signer.
		SignerAcknowledged { user: T::AccountId, provider: T::AccountId, signer: T::AccountId },
		/// A receipt was settled: `paid` is the rise of the cumulative fee.
		ReceiptSettled {
			user: T::AccountId,
			provider: T::AccountId,
			nonce: u64,
			paid: BalanceOf<T>,
			requests_hash: [u8; 32],
		},
		/// A batch was settled.
		BatchSettled { provider: T::AccountId, receipts: u32, paid: BalanceOf<T> },
		/// A fine-tuning task was opened with an escrowed fee.
		TaskCreated {
			task: TaskId,
			user: T::AccountId,
			provider: T::AccountId,
			fee: BalanceOf<T>,
			deliver_by: BlockNumberFor<T>,
		},
		/// The provider delivered the model.
		TaskDelivered { task: TaskId, model_root: [u8; 32], ack_by: BlockNumberFor<T> },
		/// The user acknowledged: the provider got the whole fee.
		TaskCompleted { task: TaskId, paid: BalanceOf<T> },
		/// The deadline passed: `paid` to the provider, `refunded` to the user's ledger.
		TaskExpired { task: TaskId, paid: BalanceOf<T>, refunded: BalanceOf<T> },
		/// Parameters were changed.
		ParamsSet,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Compute parameters have not been set.
		NotConfigured,
		/// Parameters out of range.
		InvalidParams,
		/// The account already has a service.
		AlreadyRegistered,
		/// No service for this provider.
		UnknownService,
		/// The bond is below `min_bond`.
		BondTooLow,
		/// The endpoint is not an `http://` or `https://` URL.
		BadEndpoint,
		/// The model name is empty.
		EmptyModel,
		/// A TEE service needs an attestation.
		MissingAttestation,
		/// A service without TEE verifiability cannot carry an attestation.
		UnexpectedAttestation,
		/// The service is retiring and takes no new business.
		ServiceRetiring,
		/// The service is already retiring.
		AlreadyRetiring,
		/// The service has not been retired.
		NotRetiring,
		/// The unbonding period has not passed.
		StillUnbonding,
		/// The account cannot pay the amount, the bond or the storage deposit.
		InsufficientBalance,
		/// A zero amount.
		ZeroAmount,
		/// The user has no ledger.
		UnknownLedger,
		/// The ledger's unallocated funds do not cover the amount.
		InsufficientLedger,
		/// The user has no sub-account with this provider.
		UnknownSubAccount,
		/// The sub-account's funds not already pending refund do not cover the amount.
		InsufficientSubAccount,
		/// The sub-account has the most pending refunds it may.
		TooManyRefunds,
		/// No pending refund has reached its unlock block.
		NoRefundDue,
		/// A settle call without receipts.
		EmptyBatch,
		/// The user has not acknowledged a signer for this provider.
		SignerNotAcknowledged,
		/// The user's signature does not match the receipt.
		BadUserSignature,
		/// The acknowledged signer's signature does not match the receipt.
		BadSignerSignature,
		/// The nonce is not above the last settled one (a replay or an old receipt).
		StaleNonce,
		/// The cumulative fee is below what was already settled.
		FeeDecreased,
		/// The sub-account does not cover the rise of the cumulative fee.
		OverBudget,
		/// The service does not sell this (a task needs a fine-tuning service).
		WrongServiceKind,
		/// The deadline is not after this block, or further than `max_task_duration`.
		BadDeadline,
		/// No task with this id.
		UnknownTask,
		/// Only the task's provider may deliver it.
		NotTaskProvider,
		/// Only the task's user may acknowledge it.
		NotTaskUser,
		/// The task was already delivered.
		AlreadyDelivered,
		/// The delivery deadline has passed.
		DeadlinePassed,
		/// The task has not been delivered.
		NotDelivered,
		/// The task's deadline has not passed.
		TaskNotExpired,
		/// An amount overflows.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register the caller's service, holding `bond`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_service())]
		pub fn register_service(
			origin: OriginFor<T>,
			info: ServiceInfoOf<T>,
			bond: BalanceOf<T>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_register_service(provider, info, bond)
		}

		/// Replace the caller's service record (the bond stays). A new signer needs new
		/// acknowledgements before it can settle.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_service())]
		pub fn update_service(origin: OriginFor<T>, info: ServiceInfoOf<T>) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_update_service(provider, info)
		}

		/// Stop taking new business; the bond can be withdrawn after `unbonding_period`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_service())]
		pub fn retire_service(origin: OriginFor<T>) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_retire_service(provider)
		}

		/// Take back a retired service's bond and remove the service.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_bond())]
		pub fn withdraw_bond(origin: OriginFor<T>) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_withdraw_bond(provider)
		}

		/// Move `amount` into the caller's ledger (the first deposit also holds the record
		/// deposit).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_deposit(user, amount)
		}

		/// Take `amount` of unallocated funds back from the ledger.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_withdraw(user, amount)
		}

		/// Make `amount` more available to `provider`: pending refunds are cancelled first,
		/// the rest comes from the ledger.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::transfer_to_provider())]
		pub fn transfer_to_provider(
			origin: OriginFor<T>,
			provider: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_transfer_to_provider(user, provider, amount)
		}

		/// Queue a refund of `amount` from the sub-account; processable after `refund_delay`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::request_refund())]
		pub fn request_refund(
			origin: OriginFor<T>,
			provider: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_request_refund(user, provider, amount)
		}

		/// Move every due refund of the sub-account back to the ledger.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::process_refunds())]
		pub fn process_refunds(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_process_refunds(user, provider)
		}

		/// Accept the provider's current signer for settling the caller's receipts.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::acknowledge_signer())]
		pub fn acknowledge_signer(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_acknowledge_signer(user, provider)
		}

		/// Settle receipts signed by users and the caller's signer; all or nothing.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::settle(receipts.len() as u32))]
		pub fn settle(
			origin: OriginFor<T>,
			receipts: BoundedVec<ReceiptOf<T>, T::MaxSettleBatch>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_settle(provider, receipts.into_inner())
		}

		/// Open a fine-tuning task with `provider`, escrowing `fee` from the ledger.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::create_task())]
		pub fn create_task(
			origin: OriginFor<T>,
			provider: T::AccountId,
			dataset_root: [u8; 32],
			fee: BalanceOf<T>,
			deliver_by: BlockNumberFor<T>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_create_task(user, provider, dataset_root, fee, deliver_by)
		}

		/// Deliver a task's model: its storage root and its key encrypted to the user.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::deliver_task())]
		pub fn deliver_task(
			origin: OriginFor<T>,
			task: TaskId,
			model_root: [u8; 32],
			encrypted_key: BoundedVec<u8, T::MaxKeyLen>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_deliver_task(provider, task, model_root, encrypted_key)
		}

		/// Accept a delivered model: the provider gets the whole fee.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::acknowledge_task())]
		pub fn acknowledge_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_acknowledge_task(user, task)
		}

		/// End a task whose deadline passed (anyone may call): undelivered ones are refunded,
		/// unacknowledged ones pay `timeout_share`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::expire_task())]
		pub fn expire_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire_task(task)
		}

		/// Set the parameters.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(Self::params_ok(&params), Error::<T>::InvalidParams);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The account that holds every ledger, sub-account and escrowed fee.
		pub fn pot() -> T::AccountId {
			use sp_runtime::traits::AccountIdConversion;
			T::PalletId::get().into_account_truncating()
		}

		/// Opens the pot with the existential deposit. Done at genesis: the one place this
		/// pallet mints.
		pub(crate) fn open_pot() {
			let pot = Self::pot();
			if T::Currency::balance(&pot).is_zero() {
				let _ = T::Currency::mint_into(&pot, T::Currency::minimum_balance());
			}
		}

		/// Whether parameters are usable: every period is at least one block.
		pub(crate) fn params_ok(params: &ParamsOf<T>) -> bool {
			!params.refund_delay.is_zero()
				&& !params.unbonding_period.is_zero()
				&& !params.max_task_duration.is_zero()
				&& !params.ack_window.is_zero()
		}

		/// The parameters, or `NotConfigured`.
		pub(crate) fn params() -> Result<ParamsOf<T>, Error<T>> {
			Params::<T>::get().ok_or(Error::<T>::NotConfigured)
		}
	}
}
