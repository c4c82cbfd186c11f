//! Weights of `pallet_inft`.
//!
//! NOT MEASURED YET: the pallet is not in the runtime, so `zerog-node benchmark pallet` cannot
//! run it. The `()` weights below are estimates from similar calls of the measured pallets
//! (a signature check about 0.05 ms, a storage write about 0.1 ms) and only serve the tests.
//! `benchmarking.rs` and a generated `SubstrateWeight` come with the runtime wiring.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed for `pallet_inft`.
pub trait WeightInfo {
    fn register_oracle() -> Weight;
    fn remove_oracle() -> Weight;
    fn mint(n: u32) -> Weight;
    fn transfer(n: u32) -> Weight;
    fn clone_token(n: u32) -> Weight;
    fn authorize_usage() -> Weight;
    fn revoke_authorization() -> Weight;
    fn delegate_access() -> Weight;
    fn burn() -> Weight;
}

/// Estimates for tests (see the module note).
impl WeightInfo for () {
    fn register_oracle() -> Weight {
        Weight::from_parts(200_000_000, 3_500)
    }
    fn remove_oracle() -> Weight {
        Weight::from_parts(200_000_000, 3_500)
    }
    fn mint(n: u32) -> Weight {
        Weight::from_parts(600_000_000, 5_000).saturating_add(Weight::from_parts(20_000_000, 600).saturating_mul(n.into()))
    }
    fn transfer(n: u32) -> Weight {
        Weight::from_parts(700_000_000, 8_000).saturating_add(Weight::from_parts(250_000_000, 600).saturating_mul(n.into()))
    }
    fn clone_token(n: u32) -> Weight {
        Weight::from_parts(900_000_000, 10_000).saturating_add(Weight::from_parts(250_000_000, 600).saturating_mul(n.into()))
    }
    fn authorize_usage() -> Weight {
        Weight::from_parts(600_000_000, 6_000)
    }
    fn revoke_authorization() -> Weight {
        Weight::from_parts(600_000_000, 6_000)
    }
    fn delegate_access() -> Weight {
        Weight::from_parts(500_000_000, 4_000)
    }
    fn burn() -> Weight {
        Weight::from_parts(700_000_000, 8_000)
    }
}
