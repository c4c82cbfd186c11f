//! Proofs of holding, for alignment checks.
//!
//! A checker wants to know whether one provider holds one segment, not whether anyone does.
//! So it sends the [`crate::protocol::StorageRequest::Prove`] challenge to its peers. Only
//! the node of that provider answers with the segment, the segment's proof to the file root,
//! and its provider key's sr25519 signature over [`answer_message`] of the challenge and the
//! segment's hash (a receipt, see `zerog_data_plane::holding`). Any other node, and a
//! provider that lost the segment, answers nothing. The checker verifies the proof against
//! the deal's root and the signature against the provider's account, so an answer relayed by
//! another node that merely holds a copy does not count.

use crate::store::{FileKey, SegmentStore, SegmentWithProof};
use codec::{Decode, Encode};
use zerog_data_plane::holding::{answer_message, signed_by, HoldingError, HoldingSigner, Receipt};
use zerog_erasure::storage::verify_segment;

/// A provider's answer to a challenge.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct HoldingProof {
	/// The segment with its proof to the file root.
	pub segment: SegmentWithProof,
	/// The provider key's signature over [`answer_message`] of the challenge and the
	/// segment's blake2-256.
	pub signature: [u8; 64],
}

/// This node's answer to a challenge for `provider` on segment `index` of the file `key`:
/// `None` unless this node has that provider's key and holds the segment.
pub fn answer_challenge(
	store: &SegmentStore,
	signer: Option<&dyn HoldingSigner>,
	provider: &[u8; 32],
	key: &FileKey,
	index: u64,
	challenge: &[u8; 32],
) -> Option<HoldingProof> {
	let segment = store.get(key, index).ok().flatten()?;
	let data_hash = sp_crypto_hashing::blake2_256(&segment.data);
	let signature = signer?.sign_as(provider, &answer_message(challenge, &data_hash))?;
	Some(HoldingProof { segment, signature })
}

/// Checks `proof` for segment `index` of the file `key` and the challenge, signed by
/// `provider`. Returns the receipt: blake2-256 of the segment's bytes (the check's evidence)
/// and the signature.
pub fn verify_holding(
	proof: &HoldingProof,
	provider: &[u8; 32],
	key: &FileKey,
	index: u64,
	challenge: &[u8; 32],
) -> Result<Receipt, HoldingError> {
	let segment = &proof.segment;
	if segment.index != index {
		return Err(HoldingError::WrongIndex);
	}
	verify_segment(&key.root, key.size, index, &segment.data, &segment.proof)
		.map_err(|_| HoldingError::BadProof)?;
	let data_hash = sp_crypto_hashing::blake2_256(&segment.data);
	if !signed_by(provider, &answer_message(challenge, &data_hash), &proof.signature) {
		return Err(HoldingError::BadSignature);
	}
	Ok(Receipt { evidence: data_hash, signature: proof.signature })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::tests::{file, segments, service};
	use sp_core::{crypto::Pair as _, sr25519};
	use zerog_data_plane::holding::PairSigner;
	use zerog_erasure::storage::SEGMENT_SIZE;

	fn provider() -> PairSigner {
		PairSigner(sr25519::Pair::from_seed(&[5; 32]))
	}

	#[test]
	fn only_the_named_provider_answers_and_its_answer_verifies() {
		let dir = tempfile::tempdir().unwrap();
		let service = service(dir.path());
		let (data, tree) = file(3 * SEGMENT_SIZE + 10);
		let (root, size) = (tree.root(), data.len() as u64);
		let key = FileKey::new(root, size);
		service.upload(&root, size, &segments(&data, &tree, 0..4)).unwrap();
		let me = provider();
		let challenge = [9; 32];

		let proof =
			answer_challenge(service.store(), Some(&me), &me.0.public().0, &key, 2, &challenge)
				.unwrap();
		let receipt = verify_holding(&proof, &me.0.public().0, &key, 2, &challenge).unwrap();
		assert_eq!(
			receipt.evidence,
			sp_crypto_hashing::blake2_256(&data[2 * SEGMENT_SIZE..3 * SEGMENT_SIZE])
		);

		// Another provider's challenge, no key, or a segment not held: no answer.
		assert!(
			answer_challenge(service.store(), Some(&me), &[1; 32], &key, 2, &challenge).is_none()
		);
		assert!(answer_challenge(service.store(), None, &me.0.public().0, &key, 2, &challenge)
			.is_none());
		assert!(answer_challenge(
			service.store(),
			Some(&me),
			&me.0.public().0,
			&FileKey::new([7; 32], size),
			2,
			&challenge
		)
		.is_none());
	}

	#[test]
	fn relayed_replayed_or_corrupted_answers_are_refused() {
		let dir = tempfile::tempdir().unwrap();
		let service = service(dir.path());
		let (data, tree) = file(2 * SEGMENT_SIZE);
		let (root, size) = (tree.root(), data.len() as u64);
		let key = FileKey::new(root, size);
		service.upload(&root, size, &segments(&data, &tree, 0..2)).unwrap();
		let me = provider();
		let proof =
			answer_challenge(service.store(), Some(&me), &me.0.public().0, &key, 1, &[9; 32])
				.unwrap();

		// Signed by someone else than the provider the checker asked about.
		let other = PairSigner(sr25519::Pair::from_seed(&[6; 32]));
		assert_eq!(
			verify_holding(&proof, &other.0.public().0, &key, 1, &[9; 32]),
			Err(HoldingError::BadSignature)
		);
		// An old answer to another challenge.
		assert_eq!(
			verify_holding(&proof, &me.0.public().0, &key, 1, &[8; 32]),
			Err(HoldingError::BadSignature)
		);
		// Another segment than asked.
		assert_eq!(
			verify_holding(&proof, &me.0.public().0, &key, 0, &[9; 32]),
			Err(HoldingError::WrongIndex)
		);
		// Bytes that do not match the root.
		let mut bad = proof.clone();
		bad.segment.data[0] ^= 1;
		assert_eq!(
			verify_holding(&bad, &me.0.public().0, &key, 1, &[9; 32]),
			Err(HoldingError::BadProof)
		);
	}
}
