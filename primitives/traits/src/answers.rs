//! Answers to alignment checks, which only a real check can obtain.
//!
//! Every honest operator checks a subject (a storage provider, a DA member, a compute
//! service) on the same data, so their evidence agrees; but that evidence (the hash of a
//! segment or chunk any node serves, a service's public signer) is public too. So each
//! operator asks with a challenge of its own, [`answer_challenge`] of the subject's check
//! seed and the operator's account, and the subject answers with the data and its
//! signature over [`answer_message`] of that challenge and the evidence: a receipt. The
//! operator reveals the receipt with its verdict, and the chain checks it against the key
//! the subject was drawn with. A pass then shows a fresh answer from the subject itself,
//! made for this operator: it cannot be copied from another operator's reveal or made from
//! public data.

use alloc::vec::Vec;
use sp_runtime::traits::{BlakeTwo256, Hash};

/// The domain tag of an operator's challenge (see [`answer_challenge`]).
pub const CHALLENGE_DOMAIN: &[u8; 28] = b"zerog:alignment:challenge:v1";

/// The domain tag of what a subject signs (see [`answer_message`]).
pub const ANSWER_DOMAIN: &[u8; 25] = b"zerog:alignment:answer:v1";

/// The challenge operator `operator` (its account, SCALE-encoded) sends a subject whose check
/// seed is `check_seed`: `blake2_256(CHALLENGE_DOMAIN ‖ check_seed ‖ operator)`.
pub fn answer_challenge(check_seed: &[u8; 32], operator: &[u8]) -> [u8; 32] {
	let input = [&CHALLENGE_DOMAIN[..], check_seed, operator].concat();
	BlakeTwo256::hash(&input).0
}

/// The bytes a subject signs when it answers `challenge` with data whose evidence (the hash
/// every honest checker agrees on) is `evidence`: `ANSWER_DOMAIN ‖ challenge ‖ evidence`.
pub fn answer_message(challenge: &[u8; 32], evidence: &[u8; 32]) -> Vec<u8> {
	[&ANSWER_DOMAIN[..], challenge, evidence].concat()
}

/// The evidence of a pass when the subject had nothing to be checked on (no live file in its
/// shard, no chunk assigned to it): the same for every operator, and needing no receipt.
pub fn nothing_to_check() -> [u8; 32] {
	BlakeTwo256::hash(b"zerog:alignment:nothing-to-check").0
}

/// Whether a verdict is a pass on [`nothing_to_check`]: it took no check, so it needs no
/// receipt and agreeing on it earns nothing (or a lazy majority reporting "idle" everywhere
/// would agree among itself).
pub fn is_idle_pass(ok: bool, evidence: &[u8; 32]) -> bool {
	ok && *evidence == nothing_to_check()
}

/// Whether a verdict needs the subject's receipt: a pass on something checked. The one rule
/// the pallet (at reveal), and the node (before it commits), apply.
pub fn needs_receipt(ok: bool, evidence: &[u8; 32]) -> bool {
	ok && !is_idle_pass(ok, evidence)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn challenges_differ_by_operator_and_seed() {
		let a = answer_challenge(&[1; 32], &[7; 32]);
		assert_ne!(a, answer_challenge(&[1; 32], &[8; 32]));
		assert_ne!(a, answer_challenge(&[2; 32], &[7; 32]));
		assert_eq!(a, answer_challenge(&[1; 32], &[7; 32]));
		assert_eq!(answer_message(&[1; 32], &[2; 32]).len(), 25 + 64);
	}

	#[test]
	fn only_a_pass_on_something_checked_needs_a_receipt() {
		let idle = nothing_to_check();
		assert!(needs_receipt(true, &[1; 32]));
		assert!(!needs_receipt(true, &idle));
		assert!(!needs_receipt(false, &[1; 32]) && !needs_receipt(false, &idle));
		assert!(is_idle_pass(true, &idle));
		assert!(!is_idle_pass(false, &idle) && !is_idle_pass(true, &[1; 32]));
	}
}
