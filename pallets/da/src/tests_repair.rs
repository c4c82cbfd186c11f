//! Attacks on members the submitter never served (issue 32, finding 4): a submitter needs
//! only the quorum's chunks out to certify a blob. Before the repair window, the others were
//! challenged (and slashed by sampling and by alignment, which draws from the same slots)
//! for chunks nobody had given them. Now a blob is challengeable only once its members could
//! rebuild their share from any `k` chunks.

use crate::{
	mock::*,
	tests::{attest, commitment},
	*,
};
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_member_the_submitter_never_served_is_not_challenged_before_it_can_repair() {
	new_test_ext().execute_with(|| {
		RepairWindow::set(6);
		// The submitter serves members 3 and 2, not 1; they certify the blob at block 1.
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(2, 0));
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
		// Block 4 runs a challenge round: nothing to draw yet, for sampling or for alignment.
		run_to(CHALLENGE_PERIOD);
		assert_eq!(LiveBlobCount::<Test>::get(), 0, "the blob is drawable during its repair");
		assert_eq!(NextChallengeId::<Test>::get(), 0, "a member was challenged before repair");
		// The window ends at block 7; block 8's round draws from the blob.
		run_to(7);
		assert_eq!(LiveBlobCount::<Test>::get(), 1);
		run_to(2 * CHALLENGE_PERIOD);
		assert!(NextChallengeId::<Test>::get() > 0);
	});
}

#[test]
fn with_no_repair_window_a_blob_is_challengeable_at_once() {
	new_test_ext().execute_with(|| {
		RepairWindow::set(0);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(2, 0));
		assert_eq!(LiveBlobCount::<Test>::get(), 1);
		assert!(RepairEnds::<Test>::iter().next().is_none());
	});
}

#[test]
fn repair_ends_spread_over_the_next_blocks_when_one_is_full() {
	new_test_ext().execute_with(|| {
		// Three blobs fill block 4's queue (MaxBlobsPerBlock is 3); the fourth waits a block.
		for seed in 1..=4u8 {
			let id = (seed - 1) as u64;
			assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(seed, 10)));
			assert_ok!(attest(3, id));
			assert_ok!(attest(2, id));
		}
		assert_eq!(RepairEnds::<Test>::get(1 + FIRST_REPAIR_WINDOW).len(), 3);
		assert_eq!(RepairEnds::<Test>::get(2 + FIRST_REPAIR_WINDOW).to_vec(), vec![3]);
		run_to(1 + FIRST_REPAIR_WINDOW);
		assert_eq!(LiveBlobCount::<Test>::get(), 3);
		run_to(2 + FIRST_REPAIR_WINDOW);
		assert_eq!(LiveBlobCount::<Test>::get(), 4);
	});
}

#[test]
fn a_retention_within_the_repair_window_is_refused() {
	new_test_ext().execute_with(|| {
		// Blobs would expire before anyone could be challenged for them (either queue may
		// spill over `QUEUE_SPREAD` blocks).
		let mut short = params();
		short.retention = FIRST_REPAIR_WINDOW + crate::blobs::QUEUE_SPREAD as u64;
		assert_noop!(
			Da::set_params(RuntimeOrigin::root(), short.clone()),
			Error::<Test>::InvalidParams
		);
		short.retention = FIRST_REPAIR_WINDOW + crate::blobs::QUEUE_SPREAD as u64 + 1;
		assert_ok!(Da::set_params(RuntimeOrigin::root(), short));
	});
}
