//! The fee pool keeps pending blobs' fees apart from the reward budget (issue 32, finding 7):
//! challenge rewards cannot spend them, and a refund is always paid in full.

use crate::{
	mock::*,
	tests::{
		challenges::{answer_right, available_blob, issued},
		commitment, events,
	},
	*,
};
use frame_support::{assert_ok, traits::fungible::Inspect};

#[test]
fn challenge_rewards_cannot_spend_the_fees_of_pending_blobs() {
	new_test_ext().execute_with(|| {
		// A generous reward: each correct answer would empty the pool.
		let mut generous = params();
		generous.challenge_reward = 10_000;
		assert_ok!(Da::set_params(RuntimeOrigin::root(), generous));
		let (_, encoded) = available_blob(5);
		let earned = Balances::balance(&Da::fee_pool()) - 1;
		// Account 4 submits a blob nobody attests: its 150 is escrowed for the refund.
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 100)));
		assert_eq!(Escrow::<Test>::get(), 150);
		// A member answers a challenge on the available blob: it is paid what the pool
		// earned, not the pending blob's fee.
		run_to(CHALLENGE_PERIOD);
		let (cid, c) = issued()[0].clone();
		assert_ok!(answer_right(&encoded, cid, &c));
		assert!(events().contains(&Event::ChallengeAnswered {
			id: cid,
			member: c.member,
			reward: earned
		}));
		// At the deadline the whole refund (fee less the base fee) is paid.
		run_to(2 + WINDOW);
		assert!(events().contains(&Event::BlobUnavailable { id: 1, refund: 140 }));
		assert_eq!(Balances::balance(&4), 1_000 - 10);
		assert_eq!(Escrow::<Test>::get(), 0);
	});
}

#[test]
fn an_available_blob_releases_its_fee_to_the_reward_budget() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		assert_eq!(Escrow::<Test>::get(), 60);
		assert_ok!(tests::attest(3, 0));
		assert_eq!(Escrow::<Test>::get(), 60, "still pending");
		assert_ok!(tests::attest(2, 0));
		assert_eq!(Escrow::<Test>::get(), 0);
	});
}
