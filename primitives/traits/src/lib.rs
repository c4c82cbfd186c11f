//! # zerog-traits
//!
//! Pallets never import each other; they meet through these traits, and the runtime wires
//! an implementation from one pallet into another's `Config`. A chain builder can then take
//! DA without storage, or storage without DA.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

use sp_runtime::{DispatchError, DispatchResult};
use zerog_erasure::BlobCommitment;

/// Hands an available DA blob to permanent storage ("publish first, persist later").
pub trait BlobPersister<AccountId> {
    /// Asks storage to keep the blob committed to by `commitment`, paid for by `owner`.
    fn persist(owner: &AccountId, commitment: &BlobCommitment) -> DispatchResult;
}

/// For chains without a storage pallet: persisting is refused with a clear error.
pub struct NoPersistence;

impl<AccountId> BlobPersister<AccountId> for NoPersistence {
    fn persist(_owner: &AccountId, _commitment: &BlobCommitment) -> DispatchResult {
        Err(DispatchError::Other("this chain has no storage to persist blobs to"))
    }
}

/// Punishes a provider that a quorum of alignment reports found faulty. Each pallet that
/// holds provider bonds (compute, later DA and storage) implements it; the alignment pallet
/// calls it through its `Config`.
pub trait SlashProvider<AccountId> {
    /// Takes `fraction` of `who`'s bond and returns the amount taken (0 when `who` holds no
    /// bond here).
    fn slash(who: &AccountId, fraction: sp_runtime::Perbill) -> u128;
}

impl<AccountId> SlashProvider<AccountId> for () {
    fn slash(_who: &AccountId, _fraction: sp_runtime::Perbill) -> u128 {
        0
    }
}
