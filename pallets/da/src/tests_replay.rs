//! Signed attestations and answers are bound to this chain, to the blob's data and to its
//! epoch's draw (issue 32, finding 8). Before, they named only the blob id: a signature an
//! operator made on another chain (a testnet, a fork, a chain started from the same spec,
//! run with the same keys) could be replayed here for the blob with the same id, certifying
//! data the operator never held and making it answer for it.

use crate::{
	mock::*,
	tests::{
		challenges::{available_blob, issued},
		commitment, root_of, seed_of,
	},
	*,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::{Pair, H256};

/// Where a signature was made: genesis hash, blob root, epoch seed.
type Binding = (H256, [u8; 32], [u8; 32]);

/// This chain's binding of blob `id`.
fn here(id: BlobId) -> Binding {
	(System::block_hash(0), root_of(id), seed_of(id))
}

fn attest_signed(
	who: u64,
	blob: BlobId,
	(genesis, root, seed): Binding,
) -> sp_runtime::DispatchResult {
	let attestation = Attestation { blob, operator: who };
	let payload = attestation_payload(&genesis, &root, &seed, &attestation);
	let signature = operator_pair(who).sign(&payload).into();
	Da::attest(RuntimeOrigin::none(), attestation, signature)
}

#[test]
fn an_attestation_signed_on_another_chain_is_refused() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		let (_, root, seed) = here(0);
		let elsewhere = (H256::repeat_byte(7), root, seed);
		assert_noop!(attest_signed(3, 0, elsewhere), Error::<Test>::BadSignature);
		// Same genesis (a chain started from the same spec), another epoch draw.
		let same_spec = (System::block_hash(0), root, [7; 32]);
		assert_noop!(attest_signed(3, 0, same_spec), Error::<Test>::BadSignature);
		assert_ok!(attest_signed(3, 0, here(0)));
	});
}

#[test]
fn an_attestation_for_other_data_under_the_same_id_is_refused() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		// Signed for blob 0 of a chain where blob 0 is other data.
		let (genesis, _, seed) = here(0);
		let other = (genesis, commitment(8, 10).root, seed);
		assert_noop!(attest_signed(3, 0, other), Error::<Test>::BadSignature);
		assert_ok!(attest_signed(3, 0, here(0)));
	});
}

#[test]
fn an_answer_signed_on_another_chain_or_for_other_data_is_refused() {
	new_test_ext().execute_with(|| {
		let (id, encoded) = available_blob(5);
		run_to(CHALLENGE_PERIOD);
		let (cid, c) = issued()[0].clone();
		let answer = ChallengeAnswer {
			challenge: cid,
			chunk: encoded.chunk(c.chunk).to_vec(),
			proof: encoded.proof(c.chunk).unwrap(),
		};
		let send = |(genesis, root, seed): Binding| {
			let payload = answer_payload(&genesis, &root, &seed, &answer);
			let signature = operator_pair(c.member).sign(&payload).into();
			Da::answer_challenge(RuntimeOrigin::none(), answer.clone(), signature)
		};
		let (genesis, root, seed) = here(id);
		assert_noop!(send((H256::repeat_byte(7), root, seed)), Error::<Test>::BadSignature);
		assert_noop!(send((genesis, [8; 32], seed)), Error::<Test>::BadSignature);
		assert_noop!(send((genesis, root, [7; 32])), Error::<Test>::BadSignature);
		assert_ok!(send(here(id)));
	});
}
