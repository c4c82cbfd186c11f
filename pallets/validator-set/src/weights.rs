//! Weights for `pallet_validator_set`.
//!
//! Regenerate with:
//! `zerog-node benchmark pallet --runtime <wasm> --genesis-builder=runtime
//!  --pallet pallet_validator_set --extrinsic '*' --steps 50 --repeat 20
//!  --template .maintain/frame-weight-template.hbs --output pallets/validator-set/src/weights.rs`
//! (see `scripts/benchmark-weights.sh`).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_validator_set`.
pub trait WeightInfo {
	fn add_validator(v: u32, ) -> Weight;
	fn remove_validator(v: u32, ) -> Weight;
}

/// Weights for `pallet_validator_set` using the zerog node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Session::NextKeys` (r:1 w:0)
	/// Storage: `ValidatorSet::Validators` (r:1 w:1)
	/// Storage: `ValidatorSet::SetChanged` (r:0 w:1)
	/// The range of component `v` is `[1, 99]`.
	fn add_validator(v: u32, ) -> Weight {
		Weight::from_parts(15_000_000, 1_700)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ValidatorSet::Validators` (r:1 w:1)
	/// Storage: `ValidatorSet::SetChanged` (r:0 w:1)
	/// The range of component `v` is `[2, 100]`.
	fn remove_validator(v: u32, ) -> Weight {
		Weight::from_parts(13_000_000, 1_700)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn add_validator(v: u32, ) -> Weight {
		Weight::from_parts(15_000_000, 1_700)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn remove_validator(v: u32, ) -> Weight {
		Weight::from_parts(13_000_000, 1_700)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
