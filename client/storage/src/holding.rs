//! Proofs of holding, for alignment checks.
//!
//! A checker wants to know whether one provider holds one segment, not whether anyone does.
//! So it sends the [`crate::protocol::StorageRequest::Prove`] challenge to its peers. Only
//! the node of that provider answers with the segment, the segment's proof to the file root,
//! and its provider key's sr25519 signature over [`holding_message`]. Any other node, and a
//! provider that lost the segment, answers nothing. The checker verifies the proof against
//! the deal's root and the signature against the provider's account, so an answer relayed by
//! another node that merely holds a copy does not count.

use crate::store::{SegmentStore, SegmentWithProof};
use codec::{Decode, Encode};
use sp_core::{crypto::Pair as _, sr25519};
use zerog_erasure::{storage::verify_segment, Hash};

/// The domain tag of a holding signature.
pub const HOLDING_DOMAIN: &[u8; 24] = b"zerog:storage:holding:v1";

/// The bytes a provider signs: `SCALE(HOLDING_DOMAIN, challenge, root, index,
/// blake2_256(data))`.
pub fn holding_message(challenge: &[u8; 32], root: &Hash, index: u64, data_hash: &[u8; 32]) -> Vec<u8> {
    (HOLDING_DOMAIN, challenge, root, index, data_hash).encode()
}

/// A provider's answer to a challenge.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct HoldingProof {
    /// The segment with its proof to the file root.
    pub segment: SegmentWithProof,
    /// The provider key's signature over [`holding_message`].
    pub signature: [u8; 64],
}

/// Signs holding proofs with a provider's key (the node's `zgst` key).
pub trait HoldingSigner: Send + Sync {
    /// The provider account the key belongs to.
    fn account(&self) -> [u8; 32];
    /// An sr25519 signature over `message`, or `None` when the key is not available.
    fn sign(&self, message: &[u8]) -> Option<[u8; 64]>;
}

/// This node's answer to a challenge for `provider`: `None` unless this node is that
/// provider and holds the segment.
pub fn answer_challenge(
    store: &SegmentStore,
    signer: Option<&dyn HoldingSigner>,
    provider: &[u8; 32],
    root: &Hash,
    index: u64,
    challenge: &[u8; 32],
) -> Option<HoldingProof> {
    let signer = signer.filter(|s| &s.account() == provider)?;
    let segment = store.get(root, index).ok().flatten()?;
    let data_hash = sp_crypto_hashing::blake2_256(&segment.data);
    let signature = signer.sign(&holding_message(challenge, root, index, &data_hash))?;
    Some(HoldingProof { segment, signature })
}

/// Why a holding proof was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldingError {
    /// The answer is for another segment.
    WrongSegment,
    /// The segment does not match the file root.
    BadSegmentProof,
    /// The signature is not the provider's.
    BadSignature,
}

/// Checks `proof` for segment `index` of the file (`root`, `size`) and the challenge, signed
/// by `provider`. Returns blake2-256 of the segment's bytes: the check's evidence.
pub fn verify_holding(
    proof: &HoldingProof,
    provider: &[u8; 32],
    root: &Hash,
    size: u64,
    index: u64,
    challenge: &[u8; 32],
) -> Result<[u8; 32], HoldingError> {
    let segment = &proof.segment;
    if segment.index != index {
        return Err(HoldingError::WrongSegment);
    }
    verify_segment(root, size, index, &segment.data, &segment.proof).map_err(|_| HoldingError::BadSegmentProof)?;
    let data_hash = sp_crypto_hashing::blake2_256(&segment.data);
    let message = holding_message(challenge, root, index, &data_hash);
    let signed = sr25519::Pair::verify(
        &sr25519::Signature::from_raw(proof.signature),
        &message,
        &sr25519::Public::from_raw(*provider),
    );
    if !signed {
        return Err(HoldingError::BadSignature);
    }
    Ok(data_hash)
}

/// A [`HoldingSigner`] over an sr25519 key pair (tests and tools; the node signs through
/// its keystore).
pub struct PairSigner(pub sr25519::Pair);

impl HoldingSigner for PairSigner {
    fn account(&self) -> [u8; 32] {
        self.0.public().0
    }

    fn sign(&self, message: &[u8]) -> Option<[u8; 64]> {
        Some(self.0.sign(message).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{file, segments, service};
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
        service.upload(&root, size, &segments(&data, &tree, 0..4)).unwrap();
        let me = provider();
        let challenge = [9; 32];

        let proof = answer_challenge(service.store(), Some(&me), &me.account(), &root, 2, &challenge).unwrap();
        let evidence = verify_holding(&proof, &me.account(), &root, size, 2, &challenge).unwrap();
        assert_eq!(evidence, sp_crypto_hashing::blake2_256(&data[2 * SEGMENT_SIZE..3 * SEGMENT_SIZE]));

        // Another provider's challenge, no key, or a segment not held: no answer.
        assert!(answer_challenge(service.store(), Some(&me), &[1; 32], &root, 2, &challenge).is_none());
        assert!(answer_challenge(service.store(), None, &me.account(), &root, 2, &challenge).is_none());
        assert!(answer_challenge(service.store(), Some(&me), &me.account(), &[7; 32], 2, &challenge).is_none());
    }

    #[test]
    fn relayed_replayed_or_corrupted_answers_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let service = service(dir.path());
        let (data, tree) = file(2 * SEGMENT_SIZE);
        let (root, size) = (tree.root(), data.len() as u64);
        service.upload(&root, size, &segments(&data, &tree, 0..2)).unwrap();
        let me = provider();
        let proof = answer_challenge(service.store(), Some(&me), &me.account(), &root, 1, &[9; 32]).unwrap();

        // Signed by someone else than the provider the checker asked about.
        let other = PairSigner(sr25519::Pair::from_seed(&[6; 32]));
        assert_eq!(verify_holding(&proof, &other.account(), &root, size, 1, &[9; 32]), Err(HoldingError::BadSignature));
        // An old answer to another challenge.
        assert_eq!(verify_holding(&proof, &me.account(), &root, size, 1, &[8; 32]), Err(HoldingError::BadSignature));
        // Another segment than asked.
        assert_eq!(verify_holding(&proof, &me.account(), &root, size, 0, &[9; 32]), Err(HoldingError::WrongSegment));
        // Bytes that do not match the root.
        let mut bad = proof.clone();
        bad.segment.data[0] ^= 1;
        assert_eq!(verify_holding(&bad, &me.account(), &root, size, 1, &[9; 32]), Err(HoldingError::BadSegmentProof));
    }
}
