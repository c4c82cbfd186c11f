//! Signed votes and answers are bound to this chain and to the blob's data (issue 32,
//! finding 8). Before, they named only the blob id: a signature an operator made on another
//! chain (a testnet, a fork, a chain started from the same spec, run with the same keys)
//! could be replayed here for the blob with the same id, certifying data the operator never
//! held and making it answer for it. A vote names the block its node saw the blobs in, by
//! number and hash: blob ids name the same data on every chain that has that block.

use crate::{
	mock::*,
	tests::{
		challenges::{available_blob, issued},
		commitment, count_votes, root_of, seed_of, sign_vote,
	},
	*,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::{Pair, H256};

/// Where an answer's signature was made: genesis hash, blob root, epoch seed.
type Binding = (H256, [u8; 32], [u8; 32]);

/// This chain's binding of blob `id`.
fn here(id: BlobId) -> Binding {
	(System::block_hash(0), root_of(id), seed_of(id))
}

/// Sends `vote` signed by `who` over `genesis`.
fn send_vote(who: u64, vote: VoteOf<Test>, genesis: H256) -> sp_runtime::DispatchResult {
	let signature = operator_pair(who).sign(&vote_payload(&genesis, &vote)).into();
	Da::vote(RuntimeOrigin::none(), vote, signature)
}

#[test]
fn a_vote_signed_on_another_chain_is_refused() {
	new_test_ext().execute_with(|| {
		run_to(3);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		run_to(4);
		let (vote, _) = sign_vote(3, &[0]);
		assert_noop!(send_vote(3, vote.clone(), H256::repeat_byte(7)), Error::<Test>::BadSignature);
		assert_ok!(send_vote(3, vote, System::block_hash(0)));
	});
}

#[test]
fn a_vote_made_on_another_fork_is_refused() {
	new_test_ext().execute_with(|| {
		run_to(3);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		run_to(4);
		// The same chain up to block 2, then another block 3 where blob 0 is other data:
		// the vote its node made there names that block.
		let (mut vote, _) = sign_vote(3, &[0]);
		vote.at_hash = H256::repeat_byte(3);
		assert_noop!(send_vote(3, vote.clone(), System::block_hash(0)), Error::<Test>::StaleVote);
		// Nor can a vote name a block that is not yet there, or is too old to check.
		vote.at = 4;
		vote.at_hash = System::block_hash(4);
		assert_noop!(send_vote(3, vote.clone(), System::block_hash(0)), Error::<Test>::StaleVote);
		run_to(4 + u64::from(votes::VOTE_LONGEVITY) + 1);
		let (mut old, _) = sign_vote(3, &[0]);
		old.at = 3;
		old.at_hash = System::block_hash(3);
		assert_noop!(send_vote(3, old, System::block_hash(0)), Error::<Test>::StaleVote);
	});
}

#[test]
fn a_vote_counts_only_for_blobs_of_its_epoch() {
	new_test_ext().execute_with(|| {
		run_to(EPOCH - 1);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		run_to(EPOCH + 1);
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Pending);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(8, 10)));
		// A vote for epoch 1 naming blob 0 (of epoch 0) and blob 1 counts only for blob 1.
		let (mut vote, _) = sign_vote(3, &[1]);
		vote.held = BlobBits::from_ids(&[0, 1]).unwrap();
		assert_ok!(send_vote(3, vote, System::block_hash(0)));
		count_votes();
		assert!(crate::tests::attested(3, 1));
		assert!(Tallies::<Test>::get(0).seats().next().is_none());
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
