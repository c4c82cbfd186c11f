//! # Storage
//!
//! The on-chain half of zerog's permanent storage.
//!
//! ## The flow
//! One global append-only log of every stored file, committed by an incremental Merkle tree
//! over 256-byte sectors ([`zerog_erasure::Flow`]). `submit` appends a file as its aligned
//! subtree roots (at most 5, so padding is under 1/16), after zero padding for alignment.
//!
//! ## Deals
//! Every submission is a deal: the file, its place in the flow, replicas, start and end, and
//! what was paid: `price_per_sector × flow sectors × replicas × periods`. The fee moves into
//! the pallet's pool account and is released to miners linearly over the deal's life
//! (claims come with PoRA, a later step). `renew(deal, periods)` extends a deal, paying for
//! the extra periods. At expiry the deal is removed; what was never claimed moves to the
//! reward reserve (an amount kept in the same pool account, which will pay PoRA base
//! rewards). No balance is created or burnt, except the existential deposit that opens the
//! pool at genesis.
//!
//! ## Providers
//! `register_provider(miner_id, bond, shard)` holds a bond; a shard is the segments whose
//! index mod `count` equals `id`. `unbond` starts the unbonding period; `withdraw` ends it.
//! A provider that is unbonding, or whose bond is below `min_bond` (after a slash, or a
//! raised minimum), mines no PoRA rewards. Alignment checks every provider until it
//! withdraws, and a provider an alignment era drew cannot withdraw until that era is
//! finalized.
//!
//! ## Acknowledgements and voided deals
//! A provider's node sends `acknowledge(deals)` once it holds its shard's part of each deal;
//! the chain keeps each deal's holders ([`Holders`]). With `ack_window > 0`, a deal that no
//! provider acknowledged within `ack_window` blocks of its submission is voided: removed and
//! refunded less `void_fee` (data that never reached any provider never gets anyone
//! checked or slashed), and PoRA pays a deal's share only to a provider that acknowledged it
//! (the deals it can be checked on). An acknowledgement counts while its provider keeps the
//! registration and shard it was made under (its [`ProviderGeneration`]).
//!
//! ## KV streams
//! A submission tagged `KvStream(id)` is a KV entry for that stream. The chain records the
//! stream's admin (its first writer) and its writers, and emits [`Event::KvWritten`] so that
//! a node-side replayer can follow the stream in flow order. ACL changes travel inside the
//! entries and are applied by the replayer.
//!
//! With `kv_window > 0` each KV entry's deal also gets a permanent verdict on its data
//! ([`KvVerdicts`], see `kv_data.rs`): `Available` once the providers that acknowledged it
//! hold every segment between them, `Unavailable` if they do not within `kv_window` blocks.
//! KV nodes apply an entry only when it is `Available` and skip it only when it is
//! `Unavailable`, so that all of them reach the same state.
//!
//! ## Record fees
//! The flow append, each KV log entry and each new stream admin or writer outlive the deal
//! (miners and KV nodes replay them), so a submission pays for them once on top of its
//! deal fee: `RecordFeePerItem` per record plus `RecordFeePerByte` per byte of its key and
//! value ([`Pallet::record_fee`]). The fee goes to `RecordFees` (the runtime's treasury) and
//! is not refunded.
//!
//! ## PoRA
//! Every `epoch_length` blocks a PoRA epoch starts with context = hash(BABE randomness, flow
//! root, flow length) and a target moved toward `target_answers` wins. Providers mine their
//! shard off chain; `submit_pora(answer)` carries a winning try with its sealed 4 KiB unit
//! and the unit's proof to the epoch's flow root (checks in `pora.rs`), and is paid
//! `reward_share` of the covering deal's released fees plus `base_reward` from the reserve.
//! Only a provider that is not unbonding and holds at least `min_bond` can win.
//!
//! ## Runtime API
//! [`runtime_api::StorageApi`]: the flow root and length, deals and deals by owner, the
//! PoRA epoch (context, flow root, target) and a provider's record (its shard).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod alignment;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod deals;
mod holders;
mod kv_data;
pub mod migrations;
#[cfg(test)]
mod mock;
mod pora;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_alignment;
#[cfg(test)]
mod tests_holders;
#[cfg(test)]
mod tests_kv_data;
#[cfg(test)]
mod tests_pora;
#[cfg(test)]
mod tests_records;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

const LOG_TARGET: &str = "runtime::storage";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Balanced, Credit, Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation},
			OnUnbalanced, Randomness,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, Zero};
	use zerog_erasure::{storage as layout, Flow};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A deal record.
	pub type DealOf<T> =
		Deal<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// A provider record.
	pub type ProviderOf<T> = Provider<BalanceOf<T>, BlockNumberFor<T>>;
	/// Parameters.
	pub type ParamsOf<T> = StorageParams<BalanceOf<T>, BlockNumberFor<T>>;
	/// A submission.
	pub type SubmissionOf<T> = Submission<<T as Config>::MaxTags>;
	/// Funds taken out of an account (record fees), for `RecordFees`.
	pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

	/// The in-code storage version: 1 added acknowledgements (`ack_window` and `void_fee` in
	/// the parameters, see [`migrations::v1`]), 2 KV data verdicts (`kv_window`, see
	/// [`migrations::v2`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A storage provider's bond.
		ProviderBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The native currency: fees are transferred, bonds are held, record fees are
		/// withdrawn.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Balanced<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Randomness for PoRA epoch contexts (BABE's, from one epoch ago).
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Who may change the parameters: root, later a governance track.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The pool account's id seed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most tags on one submission.
		#[pallet::constant]
		type MaxTags: Get<u32>;
		/// Most deals expiring in one block (bounds submissions and renewals per block), and
		/// most deals whose acknowledgement deadline falls in one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;
		/// Most acknowledgements kept per deal (providers holding its data).
		#[pallet::constant]
		type MaxHoldersPerDeal: Get<u32>;
		/// Most deals one `acknowledge` call names.
		#[pallet::constant]
		type MaxAcksPerCall: Get<u32>;
		/// Fee per permanent record a submission writes: its flow append, each KV log
		/// entry, each new stream admin and each new stream writer. These records outlive
		/// the deal (never pruned), so the fee is paid once and not refunded.
		#[pallet::constant]
		type RecordFeePerItem: Get<BalanceOf<Self>>;
		/// Fee per byte of those records (key and value, as encoded).
		#[pallet::constant]
		type RecordFeePerByte: Get<BalanceOf<Self>>;
		/// Where record fees go (the runtime: the treasury).
		type RecordFees: OnUnbalanced<CreditOf<Self>>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Current parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, OptionQuery>;

	/// The flow's commitment state (length and peaks).
	#[pallet::storage]
	pub type FlowState<T: Config> = StorageValue<_, Flow, ValueQuery>;

	/// Deals by id.
	#[pallet::storage]
	pub type Deals<T: Config> = StorageMap<_, Twox64Concat, DealId, DealOf<T>, OptionQuery>;

	/// The next deal id.
	#[pallet::storage]
	pub type NextDealId<T: Config> = StorageValue<_, DealId, ValueQuery>;

	/// Every file appended to the flow, in order: (first sector, its subtrees). Never
	/// pruned: miners replay it to prove any sector against an epoch's flow root.
	#[pallet::storage]
	pub type FlowAppends<T: Config> = StorageMap<
		_,
		Twox64Concat,
		u64,
		(u64, BoundedVec<(u32, zerog_erasure::Hash), ConstU32<MAX_FILE_SUBTREES>>),
		OptionQuery,
	>;

	/// Entries in [`FlowAppends`].
	#[pallet::storage]
	pub type FlowAppendCount<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Every KV write in flow order; its index is the entry's version. Never pruned: KV
	/// nodes replay it.
	#[pallet::storage]
	pub type KvLog<T: Config> =
		StorageMap<_, Twox64Concat, u64, KvLogEntry<T::AccountId>, OptionQuery>;

	/// Entries in [`KvLog`].
	#[pallet::storage]
	pub type KvLogCount<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Deals of each owner.
	#[pallet::storage]
	pub type DealsByOwner<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, DealId, (), OptionQuery>;

	/// Deals that expire at a block.
	#[pallet::storage]
	pub type Expiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<DealId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// Unclaimed fees of expired deals, kept in the pool account for PoRA base rewards.
	#[pallet::storage]
	pub type RewardReserve<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Registered providers.
	#[pallet::storage]
	pub type Providers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProviderOf<T>, OptionQuery>;

	/// The provider account of each miner id.
	#[pallet::storage]
	pub type MinerOwners<T: Config> = StorageMap<_, Identity, MinerId, T::AccountId, OptionQuery>;

	/// Each KV stream's admin (its first writer).
	#[pallet::storage]
	pub type StreamAdmins<T: Config> = StorageMap<_, Identity, StreamId, T::AccountId, OptionQuery>;

	/// Accounts that have written to each KV stream.
	#[pallet::storage]
	pub type StreamWriters<T: Config> =
		StorageDoubleMap<_, Identity, StreamId, Blake2_128Concat, T::AccountId, (), OptionQuery>;

	/// The current PoRA epoch.
	#[pallet::storage]
	pub type CurrentPoraEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The current and previous PoRA epochs.
	#[pallet::storage]
	pub type Epochs<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, EpochInfo, OptionQuery>;

	/// Answers accepted in each kept epoch.
	#[pallet::storage]
	pub type EpochAnswers<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, u32, ValueQuery>;

	/// Answers seen in each kept epoch, by (miner id, nonce): replays are refused.
	#[pallet::storage]
	pub type SeenAnswers<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		(MinerId, [u8; 32]),
		(),
		OptionQuery,
	>;

	/// The target of the first PoRA epoch.
	#[pallet::storage]
	pub type InitialTarget<T: Config> = StorageValue<_, u128, ValueQuery>;

	/// The providers that acknowledged holding their shard's part of each live deal. Removed
	/// when the deal ends or is voided.
	#[pallet::storage]
	pub type Holders<T: Config> = StorageMap<
		_,
		Twox64Concat,
		DealId,
		BoundedVec<Holding<T::AccountId>, T::MaxHoldersPerDeal>,
		ValueQuery,
	>;

	/// Deals whose acknowledgement deadline is a block: voided then if nobody holds them.
	#[pallet::storage]
	pub type AckDeadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<DealId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// The chain's verdict on each KV entry's data, by its deal (see [`KvData`]). Never
	/// pruned: KV nodes that start later replay it with [`KvLog`].
	#[pallet::storage]
	pub type KvVerdicts<T: Config> =
		StorageMap<_, Twox64Concat, DealId, KvData<BlockNumberFor<T>>, OptionQuery>;

	/// KV deals whose verdict is due at a block: `Unavailable` then if still pending.
	#[pallet::storage]
	pub type KvDeadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<DealId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// Each account's provider generation, bumped when it registers or changes shard: its
	/// acknowledgements made under an earlier generation no longer count. Kept after
	/// `withdraw`, so that a new registration cannot revive old acknowledgements.
	#[pallet::storage]
	pub type ProviderGeneration<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Providers drawn by alignment eras not yet finalized, with how many such eras drew
	/// each: they cannot withdraw until it is back to none.
	#[pallet::storage]
	pub type SubjectHolds<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial parameters.
		pub params: Option<ParamsOf<T>>,
		/// Target of the first PoRA epoch (`0` means `u128::MAX >> 8`).
		pub initial_target: u128,
		/// Providers registered at genesis: (account, miner id, bond held, shard).
		pub providers: alloc::vec::Vec<(T::AccountId, MinerId, BalanceOf<T>, Shard)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = &self.params {
				assert!(
					Pallet::<T>::params_ok(params),
					"genesis storage parameters are out of range"
				);
				Params::<T>::put(params);
			}
			for (who, miner_id, bond, shard) in &self.providers {
				let params =
					self.params.as_ref().expect("genesis providers need storage parameters");
				assert!(
					Pallet::<T>::check_shard(params, shard).is_ok(),
					"genesis provider shard out of range"
				);
				assert!(!MinerOwners::<T>::contains_key(miner_id), "genesis miner ids are unique");
				assert!(!Providers::<T>::contains_key(who), "genesis providers are distinct");
				T::Currency::hold(&HoldReason::ProviderBond.into(), who, *bond)
					.expect("genesis providers can hold their bond");
				Providers::<T>::insert(
					who,
					Provider {
						miner_id: *miner_id,
						bond: *bond,
						shard: *shard,
						unbonding_until: None,
					},
				);
				MinerOwners::<T>::insert(miner_id, who);
			}
			let target =
				if self.initial_target == 0 { u128::MAX >> 8 } else { self.initial_target };
			InitialTarget::<T>::put(target);
			Pallet::<T>::open_pool();
			if let Some(params) = &self.params {
				Pallet::<T>::start_pora_epoch(0, params);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A file was appended to the flow under a new deal.
		FileSubmitted {
			deal: DealId,
			owner: T::AccountId,
			root: zerog_erasure::Hash,
			size: u64,
			start_sector: u64,
			sectors: u64,
			replicas: u32,
			end: BlockNumberFor<T>,
			fee: BalanceOf<T>,
			/// What the submission's permanent records cost (to `RecordFees`).
			record_fee: BalanceOf<T>,
		},
		/// A deal was extended to `end`, for `fee` more.
		DealRenewed { deal: DealId, end: BlockNumberFor<T>, fee: BalanceOf<T> },
		/// A deal ended; `unclaimed` moved to the reward reserve.
		DealExpired { deal: DealId, unclaimed: BalanceOf<T> },
		/// `who` acknowledged holding its shard's part of `deal`, which now has `holders`
		/// acknowledgements (`1`: the first, the data reached a provider).
		DealAcknowledged { deal: DealId, who: T::AccountId, holders: u32 },
		/// Nobody acknowledged `deal` within `ack_window`: it was removed, `refund` went back
		/// to `owner` and `fee` to the reward reserve.
		DealVoided { deal: DealId, owner: T::AccountId, refund: BalanceOf<T>, fee: BalanceOf<T> },
		/// The verdict on KV deal `deal`'s data: `available` (every segment acknowledged by a
		/// provider of its shard; KV nodes apply the entry) or not within `kv_window` (KV nodes
		/// skip it).
		KvDataDecided { deal: DealId, available: bool },
		/// A KV entry for `stream` was submitted (in deal `deal`) by `writer`.
		KvWritten { stream: StreamId, deal: DealId, writer: T::AccountId, start_sector: u64 },
		/// A KV stream was created; `admin` wrote first.
		StreamCreated { stream: StreamId, admin: T::AccountId },
		/// A provider registered.
		ProviderRegistered {
			who: T::AccountId,
			miner_id: MinerId,
			bond: BalanceOf<T>,
			shard: Shard,
		},
		/// A provider changed shard.
		ShardChanged { who: T::AccountId, shard: Shard },
		/// A provider asked to leave; it may withdraw at `until`.
		ProviderUnbonding { who: T::AccountId, until: BlockNumberFor<T> },
		/// A provider left and got its bond back.
		ProviderWithdrawn { who: T::AccountId, bond: BalanceOf<T> },
		/// A quorum of alignment reports found the provider faulty; `slashed` of its bond
		/// went to the reward reserve.
		ProviderSlashed { who: T::AccountId, slashed: BalanceOf<T> },
		/// Parameters were changed.
		ParamsSet,
		/// A PoRA epoch started over a flow of `flow_length` sectors.
		PoraEpochStarted { epoch: EpochIndex, flow_length: u64, target: u128 },
		/// A PoRA win: `share` from `deal`'s fees and `base` from the reserve. (`deal` is
		/// always named since spec 107; the option keeps the event's type.)
		PoraRewarded {
			who: T::AccountId,
			miner_id: MinerId,
			epoch: EpochIndex,
			deal: Option<DealId>,
			share: BalanceOf<T>,
			base: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Storage parameters have not been set.
		NotConfigured,
		/// A file must hold at least one byte and at most `max_file_size`.
		BadSize,
		/// The subtree roots do not match the file's size (count or heights).
		BadSubtrees,
		/// Zero periods bought.
		ZeroDuration,
		/// More periods than `max_periods`.
		TooLong,
		/// Zero replicas, or more than `max_replicas`.
		BadReplicas,
		/// The fee overflows.
		Overflow,
		/// The account cannot pay the fee or the bond.
		InsufficientBalance,
		/// The flow is full.
		FlowFull,
		/// The block already has the most expiries it may.
		TooManyExpiries,
		/// No deal with this id.
		UnknownDeal,
		/// Only a deal's owner may renew it.
		NotDealOwner,
		/// The account is already a provider.
		AlreadyProvider,
		/// The account is not a provider.
		NotProvider,
		/// Another provider uses this miner id.
		MinerIdTaken,
		/// The bond is below `min_bond`.
		BondTooLow,
		/// Shard count not a power of two, above `max_shards`, or id not below it.
		BadShard,
		/// The provider is already leaving.
		AlreadyUnbonding,
		/// The provider has not asked to leave.
		NotUnbonding,
		/// The unbonding period has not passed.
		StillUnbonding,
		/// Parameters out of range.
		InvalidParams,
		/// The miner id belongs to another provider.
		NotMinerOwner,
		/// The answer is not for the current PoRA epoch.
		StaleEpoch,
		/// The epoch has taken the most answers it may.
		TooManyAnswers,
		/// This (epoch, miner, nonce) was already answered.
		DuplicateAnswer,
		/// The unit is not in the miner's shard.
		OutsideShard,
		/// The unit is not the one the try recalls (wrong nonce or position).
		WrongRecall,
		/// The sealed unit is not 4,096 bytes.
		BadSealedData,
		/// The unit's proof does not lead to the epoch's flow root.
		BadProof,
		/// The try's quality is above the target.
		NotAWin,
		/// The named deal does not cover the unit.
		DealDoesNotCover,
		/// The provider is unbonding: it mines no more PoRA rewards, acknowledges nothing and
		/// keeps its shard.
		Unbonding,
		/// An alignment era that drew the provider is not finalized yet: its bond stays until
		/// then.
		UnderCheck,
		/// The block at a new deal's acknowledgement deadline already has the most deadlines
		/// it may: submit in a later block.
		TooManyNewDeals,
		/// No deal named was recorded: each is gone, outside the caller's shard, already
		/// acknowledged by it, or has the most holders it may.
		NothingAcknowledged,
		/// Acknowledgements are on and the caller has not acknowledged the deal it names: the
		/// win earns nothing until it does.
		NotAcknowledged,
		/// The shard acknowledged is not the provider's shard on chain (it changed since the
		/// node read it).
		StaleShard,
		/// A PoRA answer named no deal: only units of a live deal earn (flow padding and the
		/// sectors of expired deals do not).
		NoCoveringDeal,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let mut weight = T::DbWeight::get().reads(1);
			let params = Params::<T>::get();
			if let Some(params) = &params {
				if !params.epoch_length.is_zero() && (now % params.epoch_length).is_zero() {
					Self::start_pora_epoch(CurrentPoraEpoch::<T>::get().saturating_add(1), params);
					weight.saturating_accrue(T::WeightInfo::start_pora_epoch(params.max_answers));
				}
			}
			let deadlines = AckDeadlines::<T>::take(now);
			// Governance may have turned acknowledgements off since: then nothing is voided.
			match params.filter(|params| !params.ack_window.is_zero()) {
				Some(params) => {
					let voids = T::WeightInfo::on_ack_deadlines(deadlines.len() as u32);
					weight.saturating_accrue(voids);
					for id in deadlines {
						Self::void_if_unheld(id, params.void_fee);
					}
				},
				None => weight.saturating_accrue(T::DbWeight::get().writes(1)),
			}
			// KV verdicts still pending at their deadline. Deciding one reads and writes its
			// verdict: bounded by voiding a deal (the same reads and more writes).
			let kv_due = KvDeadlines::<T>::take(now);
			weight.saturating_accrue(if kv_due.is_empty() {
				T::DbWeight::get().reads_writes(1, 1)
			} else {
				T::WeightInfo::on_ack_deadlines(kv_due.len() as u32)
			});
			for id in kv_due {
				Self::decide_kv(id);
			}
			let due = Expiries::<T>::take(now);
			weight.saturating_accrue(T::WeightInfo::on_expiries(due.len() as u32));
			for id in due {
				Self::expire(id);
			}
			weight
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Append a file to the flow and open a deal for it, paying its fee and the record
		/// fee of the permanent records it writes.
		#[pallet::call_index(0)]
		// A deal may be voided at its deadline: the submitter pays for that too, and for
		// finding the deadline at its worst (up to `ACK_DEADLINE_SLACK` deadline lengths
		// read, one written; the benchmark found it in the first few). A KV entry pays the
		// same again for its verdict's deadline, and the verdict written.
		#[pallet::weight(Pallet::<T>::submit_weight(submission))]
		pub fn submit(origin: OriginFor<T>, submission: SubmissionOf<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			ensure!(
				submission.size > 0 && submission.size <= params.max_file_size,
				Error::<T>::BadSize
			);
			let expected = layout::subtree_heights(layout::sector_count(submission.size));
			ensure!(
				submission.subtrees.iter().map(|(h, _)| *h).eq(expected.iter().copied()),
				Error::<T>::BadSubtrees
			);
			ensure!(submission.periods > 0, Error::<T>::ZeroDuration);
			ensure!(submission.periods <= params.max_periods, Error::<T>::TooLong);
			ensure!(
				submission.replicas > 0 && submission.replicas <= params.max_replicas,
				Error::<T>::BadReplicas
			);
			let sectors = layout::flow_sectors(layout::sector_count(submission.size));
			let fee = Self::fee(&params, sectors, submission.replicas, submission.periods)?;
			let now = frame_system::Pallet::<T>::block_number();
			let end = Self::end_after(now, &params, submission.periods)?;
			let id = NextDealId::<T>::get();
			// Everything that can fail is checked before anything is written, except the
			// payments (a failed one undoes the other: the call is transactional).
			ensure!(
				(Expiries::<T>::decode_len(end).unwrap_or(0) as u32)
					< T::MaxExpiriesPerBlock::get(),
				Error::<T>::TooManyExpiries
			);
			let deadline = Self::ack_deadline(now, &params)?;
			let kv = submission.tags.iter().any(|tag| matches!(tag, Tag::KvStream(_)));
			let kv_deadline = if kv { Self::kv_deadline(now, &params)? } else { None };
			let mut flow = FlowState::<T>::get();
			let start_sector =
				flow.append_file(&submission.subtrees).map_err(|_| Error::<T>::FlowFull)?;
			let (records, bytes) =
				Self::new_records(&owner, id, &submission, kv_deadline.is_some());
			let record_fee = Self::record_fee(records, bytes)?;
			T::Currency::transfer(&owner, &Self::pool(), fee, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			if !record_fee.is_zero() {
				// The call is transactional: a failure here undoes the transfer above.
				let credit = T::Currency::withdraw(
					&owner,
					record_fee,
					Precision::Exact,
					Preservation::Preserve,
					Fortitude::Polite,
				)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
				T::RecordFees::on_unbalanced(credit);
			}
			Expiries::<T>::mutate(end, |due| due.try_push(id))
				.map_err(|_| Error::<T>::TooManyExpiries)?;
			if let Some(deadline) = deadline {
				AckDeadlines::<T>::mutate(deadline, |due| due.try_push(id))
					.map_err(|_| Error::<T>::TooManyNewDeals)?;
			}
			if let Some(deadline) = kv_deadline {
				Self::open_kv_verdict(id, deadline)?;
			}
			FlowState::<T>::put(flow);
			let append = FlowAppendCount::<T>::get();
			FlowAppends::<T>::insert(append, (start_sector, submission.subtrees.clone()));
			FlowAppendCount::<T>::put(append + 1);
			NextDealId::<T>::put(id + 1);
			let root = submission.root;
			Deals::<T>::insert(
				id,
				Deal {
					owner: owner.clone(),
					root,
					size: submission.size,
					start_sector,
					sectors,
					replicas: submission.replicas,
					start: now,
					end,
					paid: fee,
					claimed: Zero::zero(),
				},
			);
			DealsByOwner::<T>::insert(&owner, id, ());
			Self::deposit_event(Event::FileSubmitted {
				deal: id,
				owner: owner.clone(),
				root,
				size: submission.size,
				start_sector,
				sectors,
				replicas: submission.replicas,
				end,
				fee,
				record_fee,
			});
			for tag in &submission.tags {
				if let Tag::KvStream(stream) = tag {
					Self::record_kv_write(*stream, id, &owner, start_sector, root, submission.size);
				}
			}
			Ok(())
		}

		/// Extend a deal by `periods`, paying for them at today's price.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::renew(T::MaxExpiriesPerBlock::get()))]
		pub fn renew(origin: OriginFor<T>, deal: DealId, periods: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			let mut record = Deals::<T>::get(deal).ok_or(Error::<T>::UnknownDeal)?;
			ensure!(record.owner == who, Error::<T>::NotDealOwner);
			ensure!(periods > 0, Error::<T>::ZeroDuration);
			ensure!(periods <= params.max_periods, Error::<T>::TooLong);
			let fee = Self::fee(&params, record.sectors, record.replicas, periods)?;
			let end = Self::end_after(record.end, &params, periods)?;
			ensure!(
				(Expiries::<T>::decode_len(end).unwrap_or(0) as u32)
					< T::MaxExpiriesPerBlock::get(),
				Error::<T>::TooManyExpiries
			);
			T::Currency::transfer(&who, &Self::pool(), fee, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Expiries::<T>::mutate(record.end, |due| due.retain(|d| *d != deal));
			Expiries::<T>::mutate(end, |due| due.try_push(deal))
				.map_err(|_| Error::<T>::TooManyExpiries)?;
			record.end = end;
			record.paid = record.paid.saturating_add(fee);
			Deals::<T>::insert(deal, record);
			Self::deposit_event(Event::DealRenewed { deal, end, fee });
			Ok(())
		}

		/// Register as a storage provider with `miner_id`, holding `bond`, storing `shard`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(
			origin: OriginFor<T>,
			miner_id: MinerId,
			bond: BalanceOf<T>,
			shard: Shard,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			ensure!(!Providers::<T>::contains_key(&who), Error::<T>::AlreadyProvider);
			ensure!(!MinerOwners::<T>::contains_key(miner_id), Error::<T>::MinerIdTaken);
			ensure!(bond >= params.min_bond, Error::<T>::BondTooLow);
			Self::check_shard(&params, &shard)?;
			T::Currency::hold(&HoldReason::ProviderBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Providers::<T>::insert(&who, Provider { miner_id, bond, shard, unbonding_until: None });
			MinerOwners::<T>::insert(miner_id, &who);
			// Acknowledgements of an earlier registration of this account no longer count.
			ProviderGeneration::<T>::mutate(&who, |generation| {
				*generation = generation.wrapping_add(1)
			});
			Self::deposit_event(Event::ProviderRegistered { who, miner_id, bond, shard });
			Ok(())
		}

		/// Store and mine another shard.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_shard())]
		pub fn set_shard(origin: OriginFor<T>, shard: Shard) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			Self::check_shard(&params, &shard)?;
			// A provider that is leaving, or drawn for a check, keeps its shard (and so the
			// acknowledgements it is checked on) until it withdraws or the era is finalized.
			ensure!(!SubjectHolds::<T>::contains_key(&who), Error::<T>::UnderCheck);
			Providers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let provider = maybe.as_mut().ok_or(Error::<T>::NotProvider)?;
				ensure!(provider.unbonding_until.is_none(), Error::<T>::Unbonding);
				if provider.shard != shard {
					// The node drops the old shard's data: its acknowledgements stop counting.
					ProviderGeneration::<T>::mutate(&who, |generation| {
						*generation = generation.wrapping_add(1)
					});
				}
				provider.shard = shard;
				Ok(())
			})?;
			Self::deposit_event(Event::ShardChanged { who, shard });
			Ok(())
		}

		/// Stop providing: PoRA rewards stop now; the bond can be withdrawn after the unbonding
		/// period. Alignment keeps checking the provider until it withdraws.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			Providers::<T>::try_mutate(&who, |maybe| -> DispatchResult {
				let provider = maybe.as_mut().ok_or(Error::<T>::NotProvider)?;
				ensure!(provider.unbonding_until.is_none(), Error::<T>::AlreadyUnbonding);
				let until = frame_system::Pallet::<T>::block_number()
					.saturating_add(params.unbonding_period);
				provider.unbonding_until = Some(until);
				Self::deposit_event(Event::ProviderUnbonding { who: who.clone(), until });
				Ok(())
			})
		}

		/// Release the bond of a provider whose unbonding period is over, and remove it (not
		/// while an alignment era that drew it is still open).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let provider = Providers::<T>::get(&who).ok_or(Error::<T>::NotProvider)?;
			let until = provider.unbonding_until.ok_or(Error::<T>::NotUnbonding)?;
			ensure!(frame_system::Pallet::<T>::block_number() >= until, Error::<T>::StillUnbonding);
			ensure!(!SubjectHolds::<T>::contains_key(&who), Error::<T>::UnderCheck);
			T::Currency::release(
				&HoldReason::ProviderBond.into(),
				&who,
				provider.bond,
				Precision::BestEffort,
			)?;
			Providers::<T>::remove(&who);
			MinerOwners::<T>::remove(provider.miner_id);
			Self::deposit_event(Event::ProviderWithdrawn { who, bond: provider.bond });
			Ok(())
		}

		/// A winning PoRA try: checked against the epoch's flow root and target, then paid.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_pora())]
		pub fn submit_pora(origin: OriginFor<T>, answer: PoraAnswer) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
			let deal = Self::check_pora(&who, &answer, &params)?;
			let deal_id = deal.0;
			SeenAnswers::<T>::insert(answer.epoch, (answer.miner_id, answer.nonce), ());
			EpochAnswers::<T>::mutate(answer.epoch, |n| *n += 1);
			let now = frame_system::Pallet::<T>::block_number();
			let (share, base) = Self::pay_win(&who, deal, &params, now);
			Self::deposit_event(Event::PoraRewarded {
				who,
				miner_id: answer.miner_id,
				epoch: answer.epoch,
				deal: Some(deal_id),
				share,
				base,
			});
			Ok(())
		}

		/// Acknowledge holding `shard`'s part of each of `deals` (the provider's node sends
		/// this once it has the data; `shard` must be the provider's shard on chain). Deals
		/// that are gone, outside the shard, already acknowledged by the caller or full of
		/// holders are skipped; `NothingAcknowledged` if all are.
		#[pallet::call_index(8)]
		// Each deal may also be a KV entry whose verdict is checked and written.
		#[pallet::weight(T::WeightInfo::acknowledge(deals.len() as u32)
			.saturating_add(T::DbWeight::get().reads_writes(2 * deals.len() as u64, deals.len() as u64)))]
		pub fn acknowledge(
			origin: OriginFor<T>,
			deals: BoundedVec<DealId, T::MaxAcksPerCall>,
			shard: Shard,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_acknowledge(&who, &deals, shard)
		}

		/// Set the storage parameters.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(Self::params_ok(&params), Error::<T>::InvalidParams);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet);
			Ok(())
		}
	}
}
