//! The signing side of proofs of holding, shared by DA (chunks, signed by an operator's
//! `zgda` key) and storage (segments, signed by a provider's `zgst` key): a challenged node
//! answers with the data, its Merkle proof and a signature by the key the chain knows it by,
//! so an answer relayed by a node that merely holds a copy does not count.
//!
//! The signature is over [`answer_message`] of the checker's challenge and the evidence (the
//! hash of the data): a receipt the alignment operator reveals with its verdict, which the
//! chain checks (see `zerog_traits::answers`).

use sp_core::{crypto::Pair as _, sr25519};
pub use zerog_traits::answers::answer_message;

/// A verified answer to a holding challenge: the check's evidence and the subject's
/// signature over [`answer_message`] of the challenge and the evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
	/// blake2-256 of the data the subject served.
	pub evidence: [u8; 32],
	/// The subject's sr25519 signature.
	pub signature: [u8; 64],
}

/// Signs with the node's keys (the keystore in the node, a key pair in tests).
pub trait HoldingSigner: Send + Sync {
	/// An sr25519 signature by the key `public` over `message`, or `None` when this node does
	/// not have that key.
	fn sign_as(&self, public: &[u8; 32], message: &[u8]) -> Option<[u8; 64]>;
}

/// A [`HoldingSigner`] with one sr25519 key pair (tests and tools).
pub struct PairSigner(pub sr25519::Pair);

impl HoldingSigner for PairSigner {
	fn sign_as(&self, public: &[u8; 32], message: &[u8]) -> Option<[u8; 64]> {
		(&self.0.public().0 == public).then(|| self.0.sign(message).0)
	}
}

/// Whether `signature` is `public`'s sr25519 signature over `message`.
pub fn signed_by(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
	sr25519::Pair::verify(
		&sr25519::Signature::from_raw(*signature),
		message,
		&sr25519::Public::from_raw(*public),
	)
}

/// Why a holding proof was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HoldingError {
	/// The answer is for other data than asked.
	#[error("the answer is for other data than was asked")]
	WrongIndex,
	/// The data does not match the root.
	#[error("the data does not match the root")]
	BadProof,
	/// The signature is not by the key asked about.
	#[error("the signature is not by the key asked about")]
	BadSignature,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_pair_signs_only_as_itself_and_the_signature_verifies() {
		let signer = PairSigner(sr25519::Pair::from_seed(&[1; 32]));
		let public = signer.0.public().0;
		let signature = signer.sign_as(&public, b"message").expect("its own key");
		assert!(signed_by(&public, b"message", &signature));
		assert!(!signed_by(&public, b"other", &signature));
		assert!(signer.sign_as(&[2; 32], b"message").is_none(), "not its key");
	}
}
