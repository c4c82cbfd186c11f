//! Checking the proofs of a transfer or clone: who signed, and over what.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::DispatchError};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Convert, Verify, Zero};

/// What a checked transfer or clone gives each data item: its new hash and sealed key.
pub(crate) type NewData<T> = Vec<([u8; 32], SealedKeyOf<T>)>;

/// Verifies proof signatures (also for the precompile and off-chain tools that want to check
/// a proof before sending it).
pub trait ProofSigner<AccountId, Signature> {
	/// Whether `signature` over `message` is by `who`.
	fn signed_by(signature: &ProofSignature<Signature>, message: &[u8], who: &AccountId) -> bool;
}

impl<T: Config> ProofSigner<T::AccountId, T::Signature> for Pallet<T> {
	fn signed_by(
		signature: &ProofSignature<T::Signature>,
		message: &[u8],
		who: &T::AccountId,
	) -> bool {
		match signature {
			ProofSignature::Substrate(signature) => signature.verify(message, who),
			ProofSignature::Ethereum(rsv) => {
				let Ok(public) = sp_io::crypto::secp256k1_ecdsa_recover(rsv, &eip191_hash(message))
				else {
					return false;
				};
				let hash = sp_io::hashing::keccak_256(&public);
				let mut address = [0u8; 20];
				address.copy_from_slice(&hash[12..]);
				T::EthereumAccount::convert(address) == *who
			},
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The genesis hash, bound into every proof message so proofs do not carry over to
	/// another chain.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// Checks the proofs of moving token `id` (record `token`) to `to`, one per data item,
	/// at the token's current nonce. Returns each item's new hash and sealed key.
	pub(crate) fn check_proofs(
		id: TokenId,
		token: &TokenOf<T>,
		to: &T::AccountId,
		proofs: &ProofsOf<T>,
	) -> Result<NewData<T>, DispatchError> {
		if token.data.is_empty() {
			ensure!(proofs.is_empty(), Error::<T>::WrongProofCount);
			return Ok(Vec::new());
		}
		ensure!(!proofs.is_empty(), Error::<T>::ProofsRequired);
		ensure!(proofs.len() == token.data.len(), Error::<T>::WrongProofCount);
		let genesis = Self::genesis_hash();
		let assistant = Assistants::<T>::get(to);
		let mut new_data = Vec::with_capacity(proofs.len());
		for (item, proof) in token.data.iter().zip(proofs.iter()) {
			ensure!(Oracles::<T>::contains_key(&proof.oracle), Error::<T>::UnknownOracle);
			let ownership = ownership_message(
				&genesis,
				id,
				&item.data_hash,
				&proof.new_data_hash,
				&proof.new_sealed_key,
				&proof.receiver_key,
				token.nonce,
			);
			ensure!(
				Self::signed_by(&proof.ownership, &ownership, &proof.oracle),
				Error::<T>::BadOwnershipProof
			);
			let access = access_message(
				&genesis,
				id,
				&proof.new_data_hash,
				&proof.receiver_key,
				token.nonce,
			);
			let accepted = Self::signed_by(&proof.access, &access, to)
				|| assistant
					.as_ref()
					.is_some_and(|assistant| Self::signed_by(&proof.access, &access, assistant));
			ensure!(accepted, Error::<T>::BadAccessProof);
			new_data.push((proof.new_data_hash, proof.new_sealed_key.clone()));
		}
		Ok(new_data)
	}
}
