//! Issue 32, finding 9: a deadline is the last block an answer or a vote counts in.
//! Deadlines were closed in `on_initialize` of the deadline block itself, before its
//! transactions: an answer included in that block found its challenge gone, and the member
//! that answered in time was slashed; an attestation in that block found its blob dropped. Votes of a block are counted at
//! the start of the next, before its deadlines close.

use crate::{
	mock::*,
	tests::{
		attest,
		challenges::{answer, available_blob, issued},
		commitment, events, sign_vote,
	},
	*,
};
use frame_support::assert_ok;

#[test]
fn an_answer_in_the_deadline_block_counts_and_its_member_is_not_slashed() {
	new_test_ext().execute_with(|| {
		let (_, encoded) = available_blob(9);
		run_to(CHALLENGE_PERIOD);
		let (cid, c) = issued()[0].clone();
		let bond = Operators::<Test>::get(c.member).unwrap().bond;
		// The deadline block: its hook has run, its transactions come after.
		run_to(c.deadline);
		assert_ok!(answer(
			cid,
			encoded.chunk(c.chunk).to_vec(),
			encoded.proof(c.chunk).unwrap(),
			c.member
		));
		assert!(Challenges::<Test>::get(cid).is_none(), "answered");
		run_to(c.deadline + 1);
		assert!(!events()
			.iter()
			.any(|e| matches!(e, Event::ChallengeMissed { id, .. } if *id == cid)));
		assert_eq!(Operators::<Test>::get(c.member).unwrap().bond, bond);
	});
}

#[test]
fn a_vote_in_the_deadline_block_counts() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		let deadline = Blobs::<Test>::get(0).unwrap().deadline;
		assert_ok!(attest(3, 0));
		run_to(deadline);
		// Quorum in the last block the window allows: the vote is counted at the start of
		// the next block, before that block closes the deadline.
		let (vote, signature) = sign_vote(2, &[0]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		run_to(deadline + 1);
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
		assert!(!events().iter().any(|e| matches!(e, Event::BlobUnavailable { .. })));
	});
}

#[test]
fn a_vote_after_the_deadline_block_does_not_count() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		let deadline = Blobs::<Test>::get(0).unwrap().deadline;
		assert_ok!(attest(3, 0));
		run_to(deadline + 1);
		let (vote, signature) = sign_vote(2, &[0]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		run_to(deadline + 2);
		assert!(Blobs::<Test>::get(0).is_none(), "dropped at its deadline");
		assert!(events().iter().any(|e| matches!(e, Event::BlobUnavailable { id: 0, .. })));
	});
}
