//! Weights of pallet-storage.
//!
//! PROVISIONAL: hand-set upper estimates (reads and writes counted from the code, 50 µs of
//! computation per call) until the benchmarks of issue 6 generate this file with
//! `zerog-node benchmark pallet`. The pallet is not wired into the runtime until then.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of pallet-storage.
pub trait WeightInfo {
    fn submit(t: u32) -> Weight;
    fn renew(e: u32) -> Weight;
    fn register_provider() -> Weight;
    fn set_shard() -> Weight;
    fn unbond() -> Weight;
    fn withdraw() -> Weight;
    fn set_params() -> Weight;
    fn on_expiries(d: u32) -> Weight;
    fn submit_pora() -> Weight;
    fn start_pora_epoch(a: u32) -> Weight;
}

fn compute() -> Weight {
    Weight::from_parts(50_000_000, 4_000)
}

/// Provisional weights for a runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
    fn submit(t: u32) -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(6 + 2 * t as u64, 6 + 3 * t as u64))
    }
    fn renew(e: u32) -> Weight {
        compute()
            .saturating_add(Weight::from_parts(100_000 * e as u64, 8 * e as u64))
            .saturating_add(T::DbWeight::get().reads_writes(6, 5))
    }
    fn register_provider() -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(5, 4))
    }
    fn set_shard() -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(2, 1))
    }
    fn unbond() -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(2, 1))
    }
    fn withdraw() -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(3, 4))
    }
    fn set_params() -> Weight {
        compute().saturating_add(T::DbWeight::get().writes(1))
    }
    fn on_expiries(d: u32) -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(1 + 2 * d as u64, 1 + 3 * d as u64))
    }
    fn submit_pora() -> Weight {
        // 128 hashes to unseal, ~40 for the proof and quality: well under 1 ms.
        Weight::from_parts(1_000_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(10, 7))
    }
    fn start_pora_epoch(a: u32) -> Weight {
        compute().saturating_add(T::DbWeight::get().reads_writes(5 + a as u64, 6 + a as u64))
    }
}

/// For tests.
impl WeightInfo for () {
    fn submit(t: u32) -> Weight {
        compute().saturating_add(RocksDbWeight::get().reads_writes(6 + 2 * t as u64, 6 + 3 * t as u64))
    }
    fn renew(e: u32) -> Weight {
        compute().saturating_add(Weight::from_parts(100_000 * e as u64, 8 * e as u64))
    }
    fn register_provider() -> Weight {
        compute()
    }
    fn set_shard() -> Weight {
        compute()
    }
    fn unbond() -> Weight {
        compute()
    }
    fn withdraw() -> Weight {
        compute()
    }
    fn set_params() -> Weight {
        compute()
    }
    fn on_expiries(d: u32) -> Weight {
        compute().saturating_add(RocksDbWeight::get().reads_writes(1 + 2 * d as u64, 1 + 3 * d as u64))
    }
    fn submit_pora() -> Weight {
        Weight::from_parts(1_000_000_000, 10_000)
    }
    fn start_pora_epoch(a: u32) -> Weight {
        compute().saturating_add(RocksDbWeight::get().reads_writes(5 + a as u64, 6 + a as u64))
    }
}
