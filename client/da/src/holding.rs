//! Proofs of holding, for alignment checks: a node answers a challenge for data it is
//! responsible for with the data, its Merkle proof and a signature by the key the chain
//! knows it by (the signing side is `zerog_data_plane::holding`, shared with storage).
//!
//! For DA, the checker sends [`crate::protocol::DaRequest::Prove`] with the member's
//! operator key. Only the node holding that key answers, and only when it holds the chunk.

use crate::{store::ChunkWithProof, ChunkStore};
use codec::{Decode, Encode};
use zerog_data_plane::holding::{answer_message, signed_by, HoldingError, HoldingSigner, Receipt};
use zerog_erasure::{BlobCommitment, Hash};

/// A member's answer to a challenge.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChunkHoldingProof {
	/// The chunk with its proof to the blob root.
	pub chunk: ChunkWithProof,
	/// The operator key's signature over [`answer_message`] of the challenge and the chunk's
	/// blake2-256 (a receipt, see `zerog_data_plane::holding`).
	pub signature: [u8; 64],
}

/// This node's answer to a challenge for the member with operator key `key`: `None`
/// unless this node has that key and holds the chunk.
pub fn answer_chunk_challenge(
	store: &ChunkStore,
	signer: Option<&dyn HoldingSigner>,
	key: &[u8; 32],
	root: &Hash,
	index: u32,
	challenge: &[u8; 32],
) -> Option<ChunkHoldingProof> {
	let chunk = store.get(root, index).ok().flatten()?;
	let hash = sp_crypto_hashing::blake2_256(&chunk.chunk);
	let signature = signer?.sign_as(key, &answer_message(challenge, &hash))?;
	Some(ChunkHoldingProof { chunk, signature })
}

/// Checks `proof` for chunk `index` of the blob with `commitment` and the challenge, signed
/// by `key`. Returns the receipt: blake2-256 of the chunk (the check's evidence) and the
/// signature.
pub fn verify_chunk_holding(
	proof: &ChunkHoldingProof,
	key: &[u8; 32],
	commitment: &BlobCommitment,
	index: u32,
	challenge: &[u8; 32],
) -> Result<Receipt, HoldingError> {
	let chunk = &proof.chunk;
	if chunk.index != index {
		return Err(HoldingError::WrongIndex);
	}
	commitment
		.verify_chunk(index, &chunk.chunk, &chunk.proof)
		.map_err(|_| HoldingError::BadProof)?;
	let hash = sp_crypto_hashing::blake2_256(&chunk.chunk);
	if !signed_by(key, &answer_message(challenge, &hash), &proof.signature) {
		return Err(HoldingError::BadSignature);
	}
	Ok(Receipt { evidence: hash, signature: proof.signature })
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::{crypto::Pair as _, sr25519};
	use zerog_data_plane::holding::PairSigner;
	use zerog_erasure::{encode_blob, CodecId};

	#[test]
	fn only_the_key_holder_answers_and_forgeries_are_refused() {
		let dir = tempfile::tempdir().unwrap();
		let store = ChunkStore::open(dir.path()).unwrap();
		let encoded = encode_blob(&[3u8; 40_000], CodecId::ReedSolomonSimd).unwrap();
		let proofs: Vec<_> = (0..4).map(|i| encoded.proof(i).unwrap()).collect();
		store
			.put(&encoded.commitment, (0..4u32).map(|i| (i, encoded.chunk(i), &proofs[i as usize])))
			.unwrap();
		let commitment = encoded.commitment.clone();
		let member = PairSigner(sr25519::Pair::from_seed(&[1; 32]));
		let key = member.0.public().0;
		let challenge = [9; 32];

		let proof =
			answer_chunk_challenge(&store, Some(&member), &key, &commitment.root, 2, &challenge)
				.unwrap();
		let receipt = verify_chunk_holding(&proof, &key, &commitment, 2, &challenge).unwrap();
		assert_eq!(receipt.evidence, sp_crypto_hashing::blake2_256(encoded.chunk(2)));

		// Another member's key, no key, a chunk not held: no answer.
		assert!(answer_chunk_challenge(
			&store,
			Some(&member),
			&[7; 32],
			&commitment.root,
			2,
			&challenge
		)
		.is_none());
		assert!(
			answer_chunk_challenge(&store, None, &key, &commitment.root, 2, &challenge).is_none()
		);
		assert!(answer_chunk_challenge(
			&store,
			Some(&member),
			&key,
			&commitment.root,
			9,
			&challenge
		)
		.is_none());

		// Another key, an old challenge, another index, altered bytes: refused.
		assert_eq!(
			verify_chunk_holding(&proof, &[7; 32], &commitment, 2, &challenge),
			Err(HoldingError::BadSignature)
		);
		assert_eq!(
			verify_chunk_holding(&proof, &key, &commitment, 2, &[8; 32]),
			Err(HoldingError::BadSignature)
		);
		assert_eq!(
			verify_chunk_holding(&proof, &key, &commitment, 1, &challenge),
			Err(HoldingError::WrongIndex)
		);
		let mut bad = proof.clone();
		bad.chunk.chunk[0] ^= 1;
		assert_eq!(
			verify_chunk_holding(&bad, &key, &commitment, 2, &challenge),
			Err(HoldingError::BadProof)
		);
	}
}
