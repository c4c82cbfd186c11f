//! Storage migrations, applied by the runtime's `Executive` (`runtime/src/lib.rs`).

use crate::{pallet::*, types::*};
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;

/// Version 0 to 1 (issue 31, finding 3): the parameters gain `ack_window` and `void_fee`.
///
/// Deals that are live at the upgrade get no acknowledgement deadline: they are never voided
/// (grandfathered), and are checked once a provider acknowledges them. Nothing else changes:
/// the new maps start empty.
pub mod v1 {
	use super::*;

	/// Version 0's parameters: [`StorageParams`] without `ack_window` and `void_fee` (the
	/// fields are documented there).
	#[allow(missing_docs)]
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct ParamsV0<Balance, BlockNumber> {
		pub price_per_sector: Balance,
		pub period: BlockNumber,
		pub max_replicas: u32,
		pub max_periods: u32,
		pub max_file_size: u64,
		pub min_bond: Balance,
		pub unbonding_period: BlockNumber,
		pub max_shards: u32,
		pub epoch_length: BlockNumber,
		pub target_answers: u32,
		pub max_answers: u32,
		pub reward_share: sp_runtime::Perbill,
		pub base_reward: Balance,
	}

	impl<Balance, BlockNumber> ParamsV0<Balance, BlockNumber> {
		/// Version 1's parameters: these and the two new ones.
		pub fn upgrade(
			self,
			ack_window: BlockNumber,
			void_fee: Balance,
		) -> v2::ParamsV1<Balance, BlockNumber> {
			v2::ParamsV1 {
				price_per_sector: self.price_per_sector,
				period: self.period,
				max_replicas: self.max_replicas,
				max_periods: self.max_periods,
				max_file_size: self.max_file_size,
				min_bond: self.min_bond,
				unbonding_period: self.unbonding_period,
				max_shards: self.max_shards,
				epoch_length: self.epoch_length,
				target_answers: self.target_answers,
				max_answers: self.max_answers,
				reward_share: self.reward_share,
				base_reward: self.base_reward,
				ack_window,
				void_fee,
			}
		}
	}

	/// The migration's step; run it as [`MigrateToV1`], which checks the version. The runtime
	/// chooses the new parameters: `AckWindow` (`0` keeps acknowledgements off until the
	/// nodes send them) and `VoidFee`.
	pub struct AddAckParams<T, AckWindow, VoidFee>(
		core::marker::PhantomData<(T, AckWindow, VoidFee)>,
	);

	impl<T, AckWindow, VoidFee> UncheckedOnRuntimeUpgrade for AddAckParams<T, AckWindow, VoidFee>
	where
		T: Config,
		AckWindow: Get<BlockNumberFor<T>>,
		VoidFee: Get<BalanceOf<T>>,
	{
		fn on_runtime_upgrade() -> Weight {
			// Written in version 1's layout: [`v2`] upgrades it next.
			let key = Params::<T>::hashed_key();
			if let Some(old) = frame_support::storage::unhashed::get::<
				ParamsV0<BalanceOf<T>, BlockNumberFor<T>>,
			>(&key)
			{
				frame_support::storage::unhashed::put(
					&key,
					&old.upgrade(AckWindow::get(), VoidFee::get()),
				);
			}
			T::DbWeight::get().reads_writes(1, 1)
		}

		/// The deal count, to compare after the upgrade.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Deals::<T>::iter_keys().count() as u64).encode())
		}

		/// Every deal is kept and the parameters decode in version 1's layout (the invariants
		/// are checked after [`v2`]).
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			ensure!(Deals::<T>::iter_keys().count() as u64 == before, "deals were lost");
			let raw = frame_support::storage::unhashed::get_raw(&Params::<T>::hashed_key());
			if let Some(raw) = raw {
				v2::ParamsV1::<BalanceOf<T>, BlockNumberFor<T>>::decode(&mut &raw[..])
					.map_err(|_| "the upgraded parameters do not decode")?;
			}
			Ok(())
		}
	}

	/// The version-checked migration from 0 to 1, for the runtime's `Migrations`.
	pub type MigrateToV1<T, AckWindow, VoidFee> = VersionedMigration<
		0,
		1,
		AddAckParams<T, AckWindow, VoidFee>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 1 to 2 (issue 31, finding 8): the parameters gain `kv_window`, after which a KV
/// entry whose data no provider acknowledged in full is decided `Unavailable`.
///
/// KV entries written before the upgrade get no verdict: KV nodes replay them with their
/// own timeout, as before. Nothing else changes: the new maps start empty.
pub mod v2 {
	use super::*;

	/// Version 1's parameters: [`StorageParams`] without `kv_window` (the fields are
	/// documented there).
	#[allow(missing_docs)]
	#[derive(Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct ParamsV1<Balance, BlockNumber> {
		pub price_per_sector: Balance,
		pub period: BlockNumber,
		pub max_replicas: u32,
		pub max_periods: u32,
		pub max_file_size: u64,
		pub min_bond: Balance,
		pub unbonding_period: BlockNumber,
		pub max_shards: u32,
		pub epoch_length: BlockNumber,
		pub target_answers: u32,
		pub max_answers: u32,
		pub reward_share: sp_runtime::Perbill,
		pub base_reward: Balance,
		pub ack_window: BlockNumber,
		pub void_fee: Balance,
	}

	impl<Balance, BlockNumber> ParamsV1<Balance, BlockNumber> {
		/// Version 2's parameters: these and `kv_window`.
		pub fn upgrade(self, kv_window: BlockNumber) -> StorageParams<Balance, BlockNumber> {
			StorageParams {
				price_per_sector: self.price_per_sector,
				period: self.period,
				max_replicas: self.max_replicas,
				max_periods: self.max_periods,
				max_file_size: self.max_file_size,
				min_bond: self.min_bond,
				unbonding_period: self.unbonding_period,
				max_shards: self.max_shards,
				epoch_length: self.epoch_length,
				target_answers: self.target_answers,
				max_answers: self.max_answers,
				reward_share: self.reward_share,
				base_reward: self.base_reward,
				ack_window: self.ack_window,
				void_fee: self.void_fee,
				kv_window,
			}
		}
	}

	/// The migration's step; run it as [`MigrateToV2`], which checks the version. The runtime
	/// chooses `KvWindow`, kept only if the upgraded parameters are usable with it (else `0`:
	/// no verdicts, as before).
	pub struct AddKvWindow<T, KvWindow>(core::marker::PhantomData<(T, KvWindow)>);

	impl<T, KvWindow> UncheckedOnRuntimeUpgrade for AddKvWindow<T, KvWindow>
	where
		T: Config,
		KvWindow: Get<BlockNumberFor<T>>,
	{
		fn on_runtime_upgrade() -> Weight {
			let _ = Params::<T>::translate::<ParamsV1<BalanceOf<T>, BlockNumberFor<T>>, _>(|old| {
				old.map(|old| {
					let params = old.upgrade(KvWindow::get());
					if Pallet::<T>::params_ok(&params) {
						params
					} else {
						StorageParams { kv_window: Default::default(), ..params }
					}
				})
			});
			T::DbWeight::get().reads_writes(1, 1)
		}

		/// The deal and KV log counts, and whether parameters are set, to compare after the
		/// upgrade.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let configured = frame_support::storage::unhashed::exists(&Params::<T>::hashed_key());
			Ok((Deals::<T>::iter_keys().count() as u64, KvLogCount::<T>::get(), configured)
				.encode())
		}

		/// Every deal and KV entry is kept, parameters that were set decode in the new layout
		/// and are usable, and every invariant holds.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (deals, kv, configured) =
				<(u64, u64, bool)>::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			ensure!(Deals::<T>::iter_keys().count() as u64 == deals, "deals were lost");
			ensure!(KvLogCount::<T>::get() == kv, "KV entries were lost");
			match Params::<T>::get() {
				Some(params) => {
					ensure!(Pallet::<T>::params_ok(&params), "the upgraded parameters are unusable")
				},
				None => ensure!(!configured, "the parameters no longer decode"),
			}
			Pallet::<T>::do_try_state()
		}
	}

	/// The version-checked migration from 1 to 2, for the runtime's `Migrations`.
	pub type MigrateToV2<T, KvWindow> = VersionedMigration<
		1,
		2,
		AddKvWindow<T, KvWindow>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
