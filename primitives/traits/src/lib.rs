//! # zerog-traits
//!
//! Pallets never import each other; they meet through these traits, and the runtime wires
//! an implementation from one pallet into another's `Config`. A chain builder can then take
//! DA without storage, or storage without DA.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod answers;
#[cfg(feature = "std")]
pub mod testing;

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

/// Bonded providers that alignment nodes spot-check: each pallet with providers (storage,
/// DA, compute) implements it, and the alignment pallet draws its era's subjects through it.
pub trait ProviderRegistry<AccountId> {
	/// A provider to check, drawn from `seed`, or `None` when there is none to check. The
	/// same seed on the same state draws the same provider.
	fn sample(seed: &[u8; 32]) -> Option<AccountId>;

	/// The account whose signature on an answer to an alignment check counts for `who` (see
	/// [`answers`]): an sr25519 public key (a storage provider's account, a DA operator's
	/// key) or a compute service's signer account. `None`: `who` cannot answer, and a pass
	/// on it needs no receipt (a provider that is not registered).
	fn answer_key(who: &AccountId) -> Option<[u8; 32]>;

	/// `who` was drawn as a subject of an era: it must stay slashable (keep its bond) until
	/// [`release_subject`](Self::release_subject) is called for that era. Holds add up: a
	/// provider drawn by two eras is released by the second call. The default keeps nothing.
	fn hold_subject(_who: &AccountId) {}

	/// The era that drew `who` was finalized: one hold fewer. A release without a hold does
	/// nothing.
	fn release_subject(_who: &AccountId) {}
}

impl<AccountId> ProviderRegistry<AccountId> for () {
	fn sample(_seed: &[u8; 32]) -> Option<AccountId> {
		None
	}

	fn answer_key(_who: &AccountId) -> Option<[u8; 32]> {
		None
	}
}

/// How many entries [`sample_map`] looks at past its random starting point before giving up
/// (they may all be inactive).
pub const SAMPLE_TRIES: usize = 8;

/// Draws from a storage map whose keys are hashed with `Blake2_128Concat` or `Twox64Concat`:
/// starts at the raw key `prefix ‖ seed[..16]` (a uniformly random point of the hashed key
/// space), walks on, wrapping around to the start once, and returns the first of at most
/// [`SAMPLE_TRIES`] entries that `pick` accepts. One storage read per entry looked at.
///
/// `iter_from(raw_key)` and `iter()` are the map's own iterators (`Map::iter_from`, `Map::iter`).
pub fn sample_map<E, R, I: Iterator<Item = E>>(
	prefix: [u8; 32],
	seed: &[u8; 32],
	iter_from: impl FnOnce(alloc::vec::Vec<u8>) -> I,
	iter: impl FnOnce() -> I,
	mut pick: impl FnMut(E) -> Option<R>,
) -> Option<R> {
	let mut start = alloc::vec::Vec::with_capacity(48);
	start.extend_from_slice(&prefix);
	start.extend_from_slice(&seed[..16]);
	let mut looked = 0;
	for entry in iter_from(start).take(SAMPLE_TRIES) {
		looked += 1;
		if let Some(found) = pick(entry) {
			return Some(found);
		}
	}
	iter().take(SAMPLE_TRIES - looked).find_map(pick)
}

/// Signing keys for benchmarks whose calls check signatures (compute receipts, iNFT proofs):
/// numbered keys that the benchmark can sign with. The runtime makes them in the benchmark
/// keystore; the pallets' test runtimes use key pairs.
pub trait BenchmarkKeys<AccountId, Signature> {
	/// The account of the key numbered `seed` (the same seed gives the same key).
	fn signer(seed: u32) -> AccountId;
	/// A signature over `message` by the key numbered `seed`.
	fn sign(seed: u32, message: &[u8]) -> Signature;
}
