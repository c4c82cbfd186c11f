#![allow(deprecated)] // ValidateUnsigned is exercised until the pallet moves to #[pallet::authorize].
//! Votes (issue 32, committee scale): one signed vote per operator per block certifies every
//! blob it names, and nobody can make a block's count cost more than its bounds, count a
//! vote twice, take an operator's turn, or keep honest votes out (an attacker review found
//! a shared budget of mentions that junk votes could fill, reads of blobs already
//! available, and blobs at quorum refunded when their queues were full).

use crate::{
	mock::*,
	tests::{attested, commitment, count_votes, sign_vote},
	*,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, ValidateUnsigned},
	BoundedVec,
};
use sp_core::Pair;

fn submit(seed: u8) -> BlobId {
	let id = NextBlobId::<Test>::get();
	assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(seed, 10)));
	id
}

/// `who`'s vote naming `ids` (any ids: only its signature and seat are checked on dispatch).
fn vote_for(who: u64, ids: &[BlobId]) -> (VoteOf<Test>, operator_key::Signature) {
	let (mut vote, _) = sign_vote(who, &[0]);
	vote.held = BlobBits::from_ids(ids).expect("within the span");
	let signature = operator_pair(who).sign(&vote_payload(&System::block_hash(0), &vote)).into();
	(vote, signature)
}

#[test]
fn one_vote_per_member_certifies_every_blob_it_names() {
	new_test_ext().execute_with(|| {
		let ids: Vec<BlobId> = (0..3).map(|seed| submit(seed + 1)).collect();
		// Members 1 and 3 hold 400 of 600 and two thirds of the chunks: one vote each.
		for who in [1, 3] {
			let (vote, signature) = sign_vote(who, &ids);
			assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		}
		let counted = count_votes();
		assert_eq!((counted.votes, counted.mentions, counted.blobs), (2, 6, 3));
		for id in ids {
			assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Available);
			assert!(attested(1, id) && attested(3, id) && !attested(2, id));
		}
	});
}

#[test]
fn a_replayed_vote_is_refused_and_cannot_take_the_operator_s_turn() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		run_to(2);
		let (vote, signature) = sign_vote(1, &[id]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote.clone(), signature.clone()));
		run_to(3);
		assert!(attested(1, id));
		// Anyone can send the signed vote again while the block it names is recent: it is
		// refused, so it neither counts twice nor fills the operator's one vote per block.
		assert_noop!(
			Da::vote(RuntimeOrigin::none(), vote.clone(), signature.clone()),
			Error::<Test>::StaleVote
		);
		let call = Call::vote { vote, signature };
		assert_eq!(
			Da::validate_unsigned(TransactionSource::External, &call),
			Err(InvalidTransaction::Stale.into())
		);
		let (newer, signature) = sign_vote(1, &[id]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), newer, signature));
	});
}

#[test]
fn junk_votes_cannot_keep_an_honest_vote_out() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		run_to(2);
		// A member names 64 ids that are nothing; there is no budget it could use up for
		// the others.
		let (junk, signature) = vote_for(3, &(1_000..1_064).collect::<Vec<_>>());
		assert_ok!(Da::vote(RuntimeOrigin::none(), junk, signature));
		let (vote, signature) = sign_vote(1, &[id]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		// A pool checks votes against the last block's state, whose votes are not counted
		// yet: another member's vote is still valid there.
		System::set_block_number(3);
		let (vote, signature) = sign_vote(2, &[id]);
		let call = Call::vote { vote, signature };
		assert!(Da::validate_unsigned(TransactionSource::External, &call).is_ok());
	});
}

#[test]
fn a_vote_spans_at_most_max_vote_blobs_ids() {
	type Bits = BlobBits<VoteBitmapBytes<Test>>;
	assert!(Bits::from_ids(&[0, 63]).is_some());
	assert!(Bits::from_ids(&[0, 64]).is_none(), "65 ids from the first to the last");
	assert!(Bits::from_ids(&[]).is_none());
	// A longer bitmap does not even decode.
	let encoded = (0u64, vec![0xffu8; 9]).encode();
	assert!(Bits::decode(&mut &encoded[..]).is_err());
}

#[test]
fn a_newer_vote_of_an_operator_replaces_its_older_one_in_the_pool() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		run_to(3);
		let (mut older, _) = sign_vote(1, &[id]);
		older.at = 1;
		older.at_hash = System::block_hash(1);
		let signature = operator_pair(1).sign(&vote_payload(&System::block_hash(0), &older));
		let older = Call::vote { vote: older, signature: signature.into() };
		let (newer, signature) = sign_vote(1, &[id]);
		let newer = Call::vote { vote: newer, signature };
		let older = Da::validate_unsigned(TransactionSource::External, &older).unwrap();
		let newer = Da::validate_unsigned(TransactionSource::External, &newer).unwrap();
		assert_eq!(older.provides, newer.provides, "one vote per operator in the pool");
		assert!(newer.priority > older.priority, "the newer one replaces the older");
	});
}

#[test]
fn an_available_blob_leaves_its_deadline_queue_and_a_vote_naming_it_reads_nothing() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		let deadline = Blobs::<Test>::get(id).unwrap().deadline;
		assert_ok!(crate::tests::attest(1, id));
		assert_ok!(crate::tests::attest(3, id));
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Available);
		assert!(!Deadlines::<Test>::contains_key(deadline));
		run_to(2);
		let (vote, signature) = sign_vote(2, &[id]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		let counted = count_votes();
		assert_eq!((counted.mentions, counted.blobs, counted.read_only), (1, 0, 0));
	});
}

#[test]
fn a_blob_at_quorum_when_its_queues_were_full_is_made_available_at_its_deadline() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		// Every expiry queue the blob could use is full (of ids issued long ago).
		NextBlobId::<Test>::put(100);
		let mut ids = 50u64..;
		for k in 0..crate::blobs::QUEUE_SPREAD as u64 {
			let due: Vec<BlobId> = ids.by_ref().take(3).collect();
			Expiries::<Test>::insert(1 + RETENTION + k, BoundedVec::try_from(due).unwrap());
		}
		assert_ok!(crate::tests::attest(1, id));
		assert_ok!(crate::tests::attest(3, id));
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Pending, "no room");
		// The queues drain; at its deadline the blob is made available, not refunded.
		for k in 0..crate::blobs::QUEUE_SPREAD as u64 {
			Expiries::<Test>::remove(1 + RETENTION + k);
		}
		NextBlobId::<Test>::put(1);
		let deadline = Blobs::<Test>::get(id).unwrap().deadline;
		run_to(deadline + 1);
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Available);
		assert!(!crate::tests::events()
			.iter()
			.any(|e| matches!(e, Event::BlobUnavailable { .. })));
	});
}

#[test]
fn a_vote_naming_blobs_that_are_not_pending_reads_only_the_pending_ones() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		// Ids of nothing (never submitted, or long gone) cost no read in the count.
		let ids: Vec<BlobId> = (id..id + 64).collect();
		let (vote, signature) = vote_for(3, &ids);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		let counted = count_votes();
		assert_eq!((counted.mentions, counted.blobs), (64, 1));
		assert!(attested(3, id));
	});
}

#[test]
fn a_vote_for_a_seat_that_is_not_the_operator_s_is_refused() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		let (mut vote, _) = sign_vote(1, &[id]);
		let own = vote.seat;
		vote.seat = (own + 1) % 3;
		let signature = operator_pair(1).sign(&vote_payload(&System::block_hash(0), &vote));
		assert_noop!(
			Da::vote(RuntimeOrigin::none(), vote.clone(), signature.into()),
			Error::<Test>::NotInCommittee
		);
		// Nor in an epoch that has no committee.
		vote.seat = own;
		vote.epoch = 7;
		let signature = operator_pair(1).sign(&vote_payload(&System::block_hash(0), &vote));
		assert_noop!(
			Da::vote(RuntimeOrigin::none(), vote, signature.into()),
			Error::<Test>::NotInCommittee
		);
	});
}

#[test]
fn votes_are_counted_at_the_start_of_the_next_block() {
	new_test_ext().execute_with(|| {
		let id = submit(1);
		for who in [1, 3] {
			let (vote, signature) = sign_vote(who, &[id]);
			assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		}
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Pending);
		assert_eq!(Votes::<Test>::get().len(), 2);
		run_to(2);
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Available);
		assert!(Votes::<Test>::get().is_empty());
	});
}

#[test]
fn withdrawing_forgets_the_operator_s_last_vote() {
	new_test_ext().execute_with(|| {
		submit(1);
		let (vote, signature) = sign_vote(1, &[0]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		count_votes();
		assert!(LastVote::<Test>::contains_key(1));
		assert_ok!(Da::unbond(RuntimeOrigin::signed(1)));
		let until = Operators::<Test>::get(1).unwrap().unbonding_until.unwrap();
		let mut now = System::block_number();
		while Da::withdraw(RuntimeOrigin::signed(1)).is_err() {
			now += 1;
			run_to(now.max(until));
			assert!(now < 500, "never withdrawn");
		}
		assert!(!LastVote::<Test>::contains_key(1));
	});
}

#[test]
fn a_count_reads_at_most_four_blocks_of_blobs_the_most_voted_first() {
	new_test_ext().execute_with(|| {
		// A member names every pending blob, 15 of them (its own, say, withheld): five
		// blocks' worth at three per block.
		let mut ids = Vec::new();
		for block in 1..=5u64 {
			run_to(block);
			for j in 0..3 {
				ids.push(NextBlobId::<Test>::get());
				let seed = (block * 3 + j) as u8;
				assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(seed, 10)));
			}
		}
		run_to(6);
		let (junk, signature) = sign_vote(2, &ids);
		assert_ok!(Da::vote(RuntimeOrigin::none(), junk, signature));
		// The honest members vote for the newest blob, which the junk vote names last.
		let honest = ids[14];
		for who in [1, 3] {
			let (vote, signature) = sign_vote(who, &[honest]);
			assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		}
		let counted = count_votes();
		// Four blocks' worth (12) are read, however many the votes name.
		assert_eq!(counted.blobs + counted.read_only, 4 * 3);
		assert_eq!(counted.deferred, 3);
		// The blob with the most votes goes first; the junk vote's last ids wait.
		assert_eq!(Blobs::<Test>::get(honest).unwrap().status, BlobStatus::Available);
		assert!(attested(2, ids[0]) && attested(2, ids[10]));
		assert!(!attested(2, ids[11]) && !attested(2, ids[13]));
	});
}

#[test]
fn votes_are_operational_so_tipped_transactions_cannot_crowd_them_out() {
	use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
	new_test_ext().execute_with(|| {
		let id = submit(1);
		let (vote, signature) = sign_vote(1, &[id]);
		let info = Call::<Test>::vote { vote, signature }.get_dispatch_info();
		assert_eq!(info.class, DispatchClass::Operational);
	});
}
