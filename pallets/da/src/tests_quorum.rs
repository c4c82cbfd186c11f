//! Attacks on what `Available` promises (issue 32, findings 1 and 2): a blob is certified
//! only when its attesters hold enough chunks to rebuild it, no single bond certifies alone,
//! and a member stays slashable until every blob it may hold has expired.

use crate::{
	mock::*,
	tests::{attest, bond_of, commitment, events},
	*,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use sp_runtime::Perbill;
use zerog_traits::SlashProvider;

fn status(id: BlobId) -> BlobStatus {
	Blobs::<Test>::get(id).unwrap().status
}

/// The index of `who`'s seat in epoch `epoch`'s committee.
fn seat_index(epoch: EpochIndex, who: u64) -> u32 {
	let committee = Committees::<Test>::get(epoch).unwrap();
	committee.iter().position(|(member, _)| *member == who).unwrap() as u32
}

/// The seat of `who` in epoch `epoch`'s committee.
fn seat_of(epoch: EpochIndex, who: u64) -> SeatOf<Test> {
	Seats::<Test>::get(epoch).unwrap()[seat_index(epoch, who) as usize]
}

#[test]
fn a_whale_on_one_seat_cannot_certify_a_blob_alone() {
	new_test_ext().execute_with(|| {
		// 3 bonds 950 of the committee's 1,250: 76% of the stake on one of three seats,
		// holding 1,024 of 3,072 chunks, exactly k. Once its node loses one, nobody can
		// rebuild the blob.
		assert_ok!(Da::bond_extra(RuntimeOrigin::signed(3), 650));
		run_to(EPOCH);
		assert_eq!(seat_of(1, 3), Seat { weight: 300, chunks: 1_024 }, "capped at 100 + 200");
		assert_eq!(seat_of(1, 2), Seat { weight: 200, chunks: 1_024 });
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_eq!(status(0), BlobStatus::Pending, "one bond alone certified the blob");
		assert_eq!(Blobs::<Test>::get(0).unwrap().attested_stake, 300);
		assert_eq!(Tallies::<Test>::get(0).chunks, 1_024);
		// A second member brings the chunks (2,048) and the weight (400 of 600).
		assert_ok!(attest(1, 0));
		assert_eq!(status(0), BlobStatus::Available);
	});
}

#[test]
fn a_whale_and_two_small_seats_cannot_certify_on_the_whale_s_stake() {
	new_test_ext().execute_with(|| {
		let mut four = params();
		four.committee_size = 4;
		assert_ok!(Da::set_params(RuntimeOrigin::root(), four));
		assert_ok!(Da::bond_extra(RuntimeOrigin::signed(3), 650));
		assert_ok!(register(10, 5_000));
		run_to(EPOCH);
		// Bonds 5,000, 950, 200, 100: the whale and the two smallest seats hold 85% of the
		// stake and 2,304 chunks. Only the cap stops them: the whale counts 1,250 (the
		// others' sum), so they hold 1,550 of 2,500.
		assert_eq!(seat_of(1, 10).weight, 1_250);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		for who in [10, 2, 1] {
			assert_ok!(attest(who, 0));
		}
		assert_eq!(Tallies::<Test>::get(0).chunks, 2_304);
		assert_eq!(status(0), BlobStatus::Pending, "the whale's stake stood in for the others'");
		assert_ok!(attest(3, 0));
		assert_eq!(status(0), BlobStatus::Available);
	});
}

#[test]
fn two_seats_with_the_stake_quorum_but_too_few_chunks_do_not_certify() {
	new_test_ext().execute_with(|| {
		let mut four = params();
		four.committee_size = 4;
		assert_ok!(Da::set_params(RuntimeOrigin::root(), four));
		assert_ok!(register(4, 100));
		run_to(EPOCH);
		// Bonds 300, 200, 100, 100: seats 3 and 2 hold 500 of 700, over 2/3 of the stake,
		// but only 2 x 768 of the 3,072 chunks. If one of the two lies, the other's 768 are
		// short of the 1,024 a rebuild needs.
		assert_eq!(Committees::<Test>::get(1).unwrap().len(), 4);
		assert_eq!(seat_of(1, 3), Seat { weight: 300, chunks: 768 });
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(2, 0));
		assert_eq!(status(0), BlobStatus::Pending, "two of four seats certified the blob");
		assert_eq!(Tallies::<Test>::get(0).chunks, 1_536);
		assert_ok!(attest(4, 0));
		assert_eq!(Tallies::<Test>::get(0).chunks, 2_304);
		assert_eq!(status(0), BlobStatus::Available);
	});
}

#[test]
fn a_member_cannot_withdraw_its_bond_while_a_blob_it_holds_is_live() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(1, 0));
		let expires_at = Blobs::<Test>::get(0).unwrap().expires_at.unwrap();
		// 2 holds a third of the blob's chunks. It leaves right away, hoping to take its
		// bond back before a challenge or an alignment check finds the chunks missing.
		run_to(2);
		assert_ok!(Da::unbond(RuntimeOrigin::signed(2)));
		run_to(2 + UNBONDING);
		assert!(expires_at > 2 + UNBONDING, "the unbonding period is shorter than retention");
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(2)), Error::<Test>::StillUnbonding);
		// So its bond is still there to slash (sampling challenges may have taken some).
		let bond = bond_of(2);
		assert!(bond > 0);
		let slashed = <Da as SlashProvider<u64>>::slash(&2, Perbill::from_percent(10)) as u64;
		assert_eq!(slashed, bond / 10);
		assert_eq!(bond_of(2), bond - slashed);
		// Once the blob has expired (and its last challenge closed), it may go.
		let until = Operators::<Test>::get(2).unwrap().unbonding_until.unwrap();
		assert!(until >= expires_at + ANSWER_WINDOW);
		run_to(until);
		assert!(events().contains(&Event::BlobExpired { id: 0 }));
		assert_ok!(Da::withdraw(RuntimeOrigin::signed(2)));
		assert_eq!(bond_of(2), 0);
	});
}

#[test]
fn a_parameter_raise_after_unbonding_does_not_free_the_bond_early() {
	new_test_ext().execute_with(|| {
		// 2 unbonds at block 2: with today's parameters its seat's blobs are gone by 38.
		run_to(2);
		assert_ok!(Da::unbond(RuntimeOrigin::signed(2)));
		let until = Operators::<Test>::get(2).unwrap().unbonding_until.unwrap();
		assert_eq!(until, EPOCH + WINDOW + RETENTION + ANSWER_WINDOW);
		// A referendum enacted at block 3 makes epochs ten times longer: epoch 0, where 2
		// sits, now runs to block 100 and takes blobs past the estimate.
		assert_ok!(Da::set_params(
			RuntimeOrigin::root(),
			DaParams { epoch_length: 10 * EPOCH, ..params() }
		));
		run_to(30);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(1, 0));
		assert!(!Da::chunks_of(0, &2).is_empty(), "2 holds chunks of the new blob");
		run_to(until);
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(2)), Error::<Test>::StillHoldingChunks);
		// The blob expires at 50; epoch 0 is pruned when epoch 1 starts, at 100.
		run_to(10 * EPOCH - 1);
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(2)), Error::<Test>::StillHoldingChunks);
		run_to(10 * EPOCH);
		assert_eq!(OldestKeptEpoch::<Test>::get(), 1);
		assert_ok!(Da::withdraw(RuntimeOrigin::signed(2)));
		assert!(LeftInEpoch::<Test>::get(2).is_none());
	});
}

#[test]
fn the_v1_migration_counts_seats_and_attested_chunks() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(8, 10)));
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(1, 0));
		assert_ok!(attest(2, 1));
		let (available, pending) = (Blobs::<Test>::get(0).unwrap(), Blobs::<Test>::get(1));
		// Blob 2 was made available by version 0 on one seat's word.
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(7, 10)));
		assert_ok!(attest(3, 2));
		Deadlines::<Test>::mutate(1 + WINDOW, |due| due.retain(|id| *id != 2));
		Blobs::<Test>::mutate(2, |blob| {
			let blob = blob.as_mut().unwrap();
			blob.status = BlobStatus::Available;
			blob.expires_at = Some(1 + RETENTION);
		});
		Expiries::<Test>::mutate(1 + RETENTION, |due| due.try_push(2).unwrap());
		Da::add_live(2);
		// Version 0's state: no seats, no chunk counts, no escrow.
		Blobs::<Test>::mutate(0, |blob| blob.as_mut().unwrap().attested_stake = 0);
		Seats::<Test>::remove(0);
		// Attestations one entry per seat, as version 0 kept them.
		for id in [0, 1, 2] {
			for seat in Tallies::<Test>::take(id).seats() {
				migrations::v1::Attestations::<Test>::insert(id, seat, ());
			}
		}
		Escrow::<Test>::kill();
		assert_ok!(Da::unbond(RuntimeOrigin::signed(1)));
		LeftInEpoch::<Test>::remove(1);
		OldestKeptEpoch::<Test>::kill();
		// Version 0 let account 4 register with operator 3's key; no key was indexed.
		let _ = OperatorByKey::<Test>::clear(u32::MAX, None);
		Operators::<Test>::insert(
			4,
			Operator { key: operator_public(3), bond: 0, unbonding_until: None },
		);
		StorageVersion::new(0).put::<Da>();
		migrations::v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Da::on_chain_storage_version(), 1);
		assert_eq!(migrations::v1::Attestations::<Test>::iter().count(), 0);
		assert_eq!(Tallies::<Test>::get(2).seats().collect::<Vec<_>>(), vec![seat_index(0, 3)]);
		assert_eq!(Seats::<Test>::get(0).unwrap().len(), 3);
		assert_eq!(Tallies::<Test>::get(0).chunks, 2_048);
		assert_eq!(Tallies::<Test>::get(1).chunks, 1_024);
		assert_eq!(Blobs::<Test>::get(0).unwrap(), available);
		assert_eq!(Blobs::<Test>::get(1), pending);
		assert_eq!(Escrow::<Test>::get(), pending.unwrap().fee, "the pending blob's fee");
		assert!(CertifiedBeforeV1::<Test>::contains_key(2));
		assert_eq!(LeftInEpoch::<Test>::get(1), Some(0), "leaving now, from the current epoch");
		// Keys held by one operator are indexed; the shared one by nobody, and both its
		// operators are leaving.
		assert_eq!(OperatorByKey::<Test>::get(operator_public(2)), Some(2));
		assert_eq!(OperatorByKey::<Test>::get(operator_public(1)), Some(1));
		assert!(OperatorByKey::<Test>::get(operator_public(3)).is_none());
		for who in [3, 4] {
			assert!(Operators::<Test>::get(who).unwrap().unbonding_until.is_some());
			assert_eq!(LeftInEpoch::<Test>::get(who), Some(0));
		}
		Operators::<Test>::remove(4);
		LeftInEpoch::<Test>::remove(4);
		assert_eq!(OldestKeptEpoch::<Test>::get(), 0);
		assert!(!CertifiedBeforeV1::<Test>::contains_key(0));
		// Run once only.
		Seats::<Test>::remove(0);
		migrations::v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert!(Seats::<Test>::get(0).is_none());
		// Back to a consistent state for the invariant check at the end.
		Seats::<Test>::insert(
			0,
			frame_support::BoundedVec::truncate_from(committee::seats(
				&EpochSeeds::<Test>::get(0).unwrap(),
				&Committees::<Test>::get(0).unwrap().iter().map(|(_, b)| *b).collect::<Vec<_>>(),
			)),
		);
		assert_ok!(Da::do_try_state());
		// The mark goes with the blob.
		run_to(1 + RETENTION);
		assert!(Blobs::<Test>::get(2).is_none());
		assert!(!CertifiedBeforeV1::<Test>::contains_key(2));
	});
}
