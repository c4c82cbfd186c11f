//! # Validator set
//!
//! The set of accounts that author blocks (BABE) and vote on finality (GRANDPA).
//!
//! ## Overview
//! A privileged origin ([`Config::ManageOrigin`]: root until governance lands, then a
//! referendum track) adds and removes validators. The pallet is the session pallet's
//! [`pallet_session::SessionManager`]: when the set has changed, it hands the new set to the
//! session pallet at the next session boundary, and the session pallet queues it. A change
//! therefore takes effect two sessions (BABE epochs) after it is made.
//!
//! ## Life cycle of a validator
//! 1. The operator starts `zerog-node --validator`, calls `author_rotateKeys` on it, and
//!    registers the returned keys with `session.set_keys` (a deposit is held for them).
//! 2. The manage origin calls [`Pallet::add_validator`]. The call fails with
//!    [`Error::NoSessionKeys`] if step 1 has not happened, since a validator without keys
//!    would be silently dropped by the session pallet.
//! 3. Two sessions later the node authors and votes.
//! 4. [`Pallet::remove_validator`] takes it out again, never below [`Config::MinValidators`].
//!
//! ## Wiring
//! - `pallet_session::Config::SessionManager = ValidatorSet`;
//! - `Config::HasSessionKeys`: whether an account has session keys registered, normally
//!   [`SessionKeysRegistered`] over the session pallet.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use frame_support::traits::Contains;
pub use pallet::*;
use sp_staking::SessionIndex;
pub use weights::WeightInfo;

/// Log target of this pallet.
const LOG_TARGET: &str = "runtime::validator-set";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version: the pallet's first storage layout.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Who may add and remove validators: root, or later a governance track.
		type ManageOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Whether an account has session keys registered. A validator must have them
		/// before it is added.
		type HasSessionKeys: Contains<Self::AccountId>;
		/// The most validators the set may hold. Set it no higher than BABE's and GRANDPA's
		/// `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// The fewest validators the set may hold; removals below it are refused.
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
		/// Sets up what the benchmarks need (session keys for a new validator).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The current validator set, in the order it was built.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether the set changed since it was last handed to the session pallet.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The validators of the first sessions.
		pub initial_validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut set: Vec<T::AccountId> = Vec::with_capacity(self.initial_validators.len());
			for who in &self.initial_validators {
				assert!(!set.contains(who), "genesis validators must be distinct");
				set.push(who.clone());
			}
			// An empty set is left to the session pallet, which refuses to start without
			// validators.
			let bounded: BoundedVec<_, _> =
				set.try_into().expect("genesis must hold at most MaxValidators validators");
			Validators::<T>::put(bounded);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the set at the session after next.
		ValidatorAdded { who: T::AccountId },
		/// `who` leaves the set at the session after next.
		ValidatorRemoved { who: T::AccountId },
		/// The changed set was handed to the session pallet at the start of `session`.
		NewSetQueued { session: SessionIndex, size: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set.
		AlreadyValidator,
		/// The account is not in the validator set.
		NotValidator,
		/// The set already holds `MaxValidators` validators.
		TooManyValidators,
		/// Removing the account would leave fewer than `MinValidators` validators.
		TooFewValidators,
		/// The account has not registered session keys (`session.set_keys`) yet.
		NoSessionKeys,
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
		/// Add `who` to the validator set, from the session after next.
		///
		/// Origin: [`Config::ManageOrigin`]. `who` must have session keys registered.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ManageOrigin::ensure_origin(origin)?;
			ensure!(T::HasSessionKeys::contains(&who), Error::<T>::NoSessionKeys);
			Validators::<T>::try_mutate(|set| -> DispatchResult {
				ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
				set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
				Ok(())
			})?;
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Remove `who` from the validator set, from the session after next.
		///
		/// Origin: [`Config::ManageOrigin`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ManageOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| -> DispatchResult {
				let position =
					set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
				ensure!(set.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
				set.remove(position);
				Ok(())
			})?;
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The current validator set.
	pub fn validators() -> Vec<T::AccountId> {
		Validators::<T>::get().into_inner()
	}

	/// Checks the pallet's invariants:
	/// - the stored set decodes (it holds at most `MaxValidators` validators);
	/// - no validator is in the set twice.
	///
	/// Not checked, because they do not always hold: at least `MinValidators` validators
	/// (genesis may start with fewer), and session keys for every validator (keys can be
	/// purged after the validator was added).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(
			!Validators::<T>::exists() || Validators::<T>::try_get().is_ok(),
			"The stored validator set does not decode: it holds more than MaxValidators."
		);
		let set = Validators::<T>::get();
		for (i, who) in set.iter().enumerate() {
			frame_support::ensure!(
				!set.iter().skip(i + 1).any(|other| other == who),
				"A validator is in the set twice."
			);
		}
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let set = Self::validators();
		log::info!(target: LOG_TARGET, "queueing {} validators for session {}", set.len(), new_index);
		Self::deposit_event(Event::NewSetQueued { session: new_index, size: set.len() as u32 });
		Some(set)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Some(Self::validators())
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}

/// Benchmark set-up that depends on the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` pass [`Config::HasSessionKeys`].
	fn register_session_keys(who: &AccountId);
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn register_session_keys(_who: &AccountId) {}
}

/// [`Config::HasSessionKeys`] backed by the session pallet: true when the account (as its
/// own validator id) has keys queued for the next session.
pub struct SessionKeysRegistered<T>(core::marker::PhantomData<T>);

impl<T> Contains<T::AccountId> for SessionKeysRegistered<T>
where
	T: pallet_session::Config<ValidatorId = <T as frame_system::Config>::AccountId>,
{
	fn contains(who: &T::AccountId) -> bool {
		pallet_session::NextKeys::<T>::contains_key(who)
	}
}
