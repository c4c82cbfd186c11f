#![allow(deprecated)] // ValidateUnsigned is exercised until the pallet moves to #[pallet::authorize].
//! Unit tests: every call's success path and every error, quorum, deadline refunds, expiry,
//! and exact accounting of balances.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, ValidateUnsigned},
	traits::fungible::{Inspect, InspectHold},
};
use sp_core::Pair;
use sp_runtime::{BuildStorage, DispatchError};
use zerog_erasure::{BlobCommitment, CodecId, MAX_BLOB_SIZE};

pub(crate) fn commitment(seed: u8, size: u32) -> BlobCommitment {
	BlobCommitment { root: [seed; 32], size, codec: CodecId::ReedSolomonSimd }
}

/// The root that blob `id` is bound to (zeros for an unknown blob).
pub(crate) fn root_of(id: BlobId) -> zerog_erasure::Hash {
	Blobs::<Test>::get(id).map(|blob| blob.commitment.root).unwrap_or_default()
}

/// The seed of the epoch whose committee holds blob `id` (zeros for an unknown blob).
pub(crate) fn seed_of(id: BlobId) -> [u8; 32] {
	Blobs::<Test>::get(id)
		.and_then(|blob| EpochSeeds::<Test>::get(blob.epoch))
		.unwrap_or_default()
}

/// `who`'s vote for `blobs` (of the first one's epoch), naming the previous block, and its
/// signature.
pub(crate) fn sign_vote(who: u64, blobs: &[BlobId]) -> (VoteOf<Test>, operator_key::Signature) {
	let epoch = blobs.first().and_then(Blobs::<Test>::get).map_or(0, |b| b.epoch);
	let seat = Committees::<Test>::get(epoch)
		.and_then(|c| c.iter().position(|(member, _)| *member == who))
		.unwrap_or(u32::MAX as usize) as u32;
	let at = System::block_number() - 1;
	let vote = Vote {
		operator: who,
		epoch,
		seat,
		at,
		at_hash: System::block_hash(at),
		held: BlobBits::from_ids(blobs).expect("ids within a vote's span"),
	};
	let signature = operator_pair(who).sign(&vote_payload(&System::block_hash(0), &vote)).into();
	(vote, signature)
}

/// Votes counted as at the start of the next block (the tests stay in this block).
pub(crate) fn count_votes() -> votes::Counted {
	Da::count_votes(System::block_number() + 1, &Params::<Test>::get().unwrap())
}

/// `who` votes for `blob` and the vote is counted at once, as if cast in the block before
/// (so a blob it makes available is available from this block). For brevity the tests
/// attest several times per block: the helper forgets the operator's last vote, which the
/// tests of votes themselves (`tests_votes.rs`) do not.
pub(crate) fn attest(who: u64, blob: BlobId) -> sp_runtime::DispatchResult {
	let (vote, signature) = sign_vote(who, &[blob]);
	Da::vote(RuntimeOrigin::none(), vote, signature)?;
	Da::count_votes(System::block_number(), &Params::<Test>::get().unwrap());
	LastVote::<Test>::remove(who);
	Ok(())
}

/// Whether `who`'s seat is in blob `id`'s tally.
pub(crate) fn attested(who: u64, id: BlobId) -> bool {
	let Some(blob) = Blobs::<Test>::get(id) else { return false };
	Committees::<Test>::get(blob.epoch)
		.and_then(|c| c.iter().position(|(member, _)| *member == who))
		.is_some_and(|seat| Tallies::<Test>::get(id).has(seat as u32))
}

pub(crate) fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Da(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The existential deposit the fee pool is opened with at genesis.
const POOL_OPENING: u64 = 1;

pub(crate) fn bond_of(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::OperatorBond.into(), &who)
}

#[test]
fn genesis_holds_bonds_and_draws_a_committee() {
	new_test_ext().execute_with(|| {
		assert_eq!(Balances::balance(&Da::fee_pool()), POOL_OPENING, "the pool is opened");
		assert_eq!(bond_of(3), 300);
		let committee = Committees::<Test>::get(0).unwrap();
		let mut members: Vec<u64> = committee.iter().map(|(who, _)| *who).collect();
		members.sort();
		assert_eq!(members, vec![1, 2, 3]);
		assert!(EpochSeeds::<Test>::get(0).is_some());
	});
}

#[test]
fn register_operator_works_and_refuses_bad_input() {
	new_test_ext().execute_with(|| {
		assert_ok!(register(4, 150));
		assert_eq!(bond_of(4), 150);
		assert_noop!(register(4, 150), Error::<Test>::AlreadyOperator);
		assert_noop!(register(5, 99), Error::<Test>::BondTooLow);
		assert_noop!(register(6, 100), Error::<Test>::InsufficientBalance);
		assert_ok!(register(5, 100));
		assert_noop!(register(10, 100), Error::<Test>::TooManyOperators);
	});
}

#[test]
fn nothing_works_before_parameters_are_set() {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = TestExt::new(sp_io::TestExternalities::new(storage), "DA", Da::do_try_state);
	ext.execute_with(|| {
		assert_noop!(register(1, 100), Error::<Test>::NotConfigured);
		assert_noop!(
			Da::submit_blob(RuntimeOrigin::signed(1), commitment(1, 10)),
			Error::<Test>::NotConfigured
		);
		assert_noop!(Da::unbond(RuntimeOrigin::signed(1)), Error::<Test>::NotConfigured);
	});
}

#[test]
fn bond_extra_unbond_and_withdraw() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::bond_extra(RuntimeOrigin::signed(1), 50));
		assert_eq!(bond_of(1), 150);
		assert_noop!(Da::bond_extra(RuntimeOrigin::signed(4), 50), Error::<Test>::NotOperator);
		assert_noop!(
			Da::bond_extra(RuntimeOrigin::signed(1), 10_000),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::NotUnbonding);
		assert_noop!(Da::unbond(RuntimeOrigin::signed(4)), Error::<Test>::NotOperator);
		assert_ok!(Da::unbond(RuntimeOrigin::signed(1)));
		assert_noop!(Da::unbond(RuntimeOrigin::signed(1)), Error::<Test>::AlreadyUnbonding);
		assert_noop!(Da::bond_extra(RuntimeOrigin::signed(1), 5), Error::<Test>::AlreadyUnbonding);
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::StillUnbonding);
		// Unbonded at block 1 of epoch 0: its seat may hold blobs submitted up to block 9,
		// available by 9 + WINDOW and kept RETENTION blocks, challenged until ANSWER_WINDOW
		// later. That is past the unbonding period.
		let until = EPOCH + WINDOW + RETENTION + ANSWER_WINDOW;
		assert!(until > 1 + UNBONDING);
		assert_eq!(Operators::<Test>::get(1).unwrap().unbonding_until, Some(until));
		assert!(events().contains(&Event::OperatorUnbonding { who: 1, until }));
		run_to(until - 1);
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::StillUnbonding);
		run_to(until);
		let free_before = Balances::balance(&1);
		assert_ok!(Da::withdraw(RuntimeOrigin::signed(1)));
		assert_eq!(bond_of(1), 0);
		assert_eq!(Balances::balance(&1), free_before + 150);
		assert!(Operators::<Test>::get(1).is_none());
		assert_noop!(Da::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::NotOperator);
	});
}

#[test]
fn unbonding_operators_leave_the_next_committee() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::unbond(RuntimeOrigin::signed(2)));
		run_to(EPOCH);
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
		let members: Vec<u64> =
			Committees::<Test>::get(1).unwrap().iter().map(|(w, _)| *w).collect();
		assert!(!members.contains(&2));
		assert_eq!(members.len(), 2);
		assert!(events().contains(&Event::EpochStarted { epoch: 1, size: 2 }));
	});
}

#[test]
fn submit_blob_charges_the_fee_and_records_the_blob() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(7, 300)));
		let fee = 50 + 300;
		assert_eq!(Balances::balance(&4), 1_000 - fee);
		assert_eq!(Balances::balance(&Da::fee_pool()), POOL_OPENING + fee);
		let blob = Blobs::<Test>::get(0).unwrap();
		assert_eq!(blob.status, BlobStatus::Pending);
		assert_eq!(blob.deadline, 1 + WINDOW);
		assert_eq!(BlobByRoot::<Test>::get([7; 32]), Some(0));
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(events().contains(&Event::BlobSubmitted {
			id: 0,
			owner: 4,
			root: [7; 32],
			size: 300,
			fee,
			deadline: 1 + WINDOW
		}));
	});
}

#[test]
fn submit_blob_refuses_bad_input() {
	new_test_ext().execute_with(|| {
		let signed = RuntimeOrigin::signed(4);
		assert_noop!(Da::submit_blob(signed.clone(), commitment(1, 0)), Error::<Test>::EmptyBlob);
		assert_noop!(
			Da::submit_blob(signed.clone(), commitment(1, MAX_BLOB_SIZE + 1)),
			Error::<Test>::BlobTooLarge
		);
		let novel = BlobCommitment { codec: CodecId::ReedSolomonNovelPoly, ..commitment(1, 10) };
		assert_noop!(Da::submit_blob(signed.clone(), novel), Error::<Test>::UnknownCodec);
		assert_noop!(
			Da::submit_blob(RuntimeOrigin::signed(6), commitment(1, 100)),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Da::submit_blob(signed.clone(), commitment(1, 10)));
		assert_noop!(
			Da::submit_blob(signed.clone(), commitment(1, 10)),
			Error::<Test>::DuplicateBlob
		);
		assert_ok!(Da::submit_blob(signed.clone(), commitment(2, 10)));
		assert_ok!(Da::submit_blob(signed.clone(), commitment(3, 10)));
		// A burst past MaxBlobsPerBlock (3 here) moves to the next blocks' deadlines...
		let rich = RuntimeOrigin::signed(10);
		let per_block = 3;
		for seed in 4..(per_block * crate::blobs::QUEUE_SPREAD) as u8 + 1 {
			assert_ok!(Da::submit_blob(rich.clone(), commitment(seed, 10)));
		}
		let last = NextBlobId::<Test>::get() - 1;
		let spread = (crate::blobs::QUEUE_SPREAD - 1) as u64;
		assert_eq!(Blobs::<Test>::get(last).unwrap().deadline, 1 + WINDOW + spread);
		// ...until all of them are full.
		assert_noop!(
			Da::submit_blob(signed, commitment(200, 10)),
			Error::<Test>::TooManyBlobsInBlock
		);
	});
}

#[test]
fn submit_blob_needs_a_committee() {
	new_test_ext().execute_with(|| {
		for who in [1, 2, 3] {
			assert_ok!(Da::unbond(RuntimeOrigin::signed(who)));
		}
		run_to(EPOCH);
		assert_noop!(
			Da::submit_blob(RuntimeOrigin::signed(4), commitment(1, 10)),
			Error::<Test>::NoCommittee
		);
	});
}

#[test]
fn attestations_reach_quorum_at_two_thirds_of_stake() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		// 3 holds 300 of 600: not yet 2/3.
		assert_ok!(attest(3, 0));
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Pending);
		// 3 + 1 = 400 of 600 = 2/3 exactly.
		assert_ok!(attest(1, 0));
		let blob = Blobs::<Test>::get(0).unwrap();
		assert_eq!(blob.status, BlobStatus::Available);
		assert_eq!(blob.expires_at, Some(1 + RETENTION));
		assert!(events().contains(&Event::BlobAvailable { id: 0, expires_at: 1 + RETENTION }));
		// A late vote for an available blob changes nothing.
		let before = Tallies::<Test>::get(0);
		assert_ok!(attest(2, 0));
		assert_eq!(Tallies::<Test>::get(0), before);
		assert!(!attested(2, 0));
	});
}

#[test]
fn vote_refuses_bad_votes() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		assert_ok!(register(4, 100));
		// Not a member: no seat to claim.
		assert_noop!(attest(4, 0), Error::<Test>::NotInCommittee);
		// Another member's seat.
		let (mut vote, _) = sign_vote(1, &[0]);
		vote.operator = 2;
		let signature = operator_pair(2).sign(&vote_payload(&System::block_hash(0), &vote));
		assert_noop!(
			Da::vote(RuntimeOrigin::none(), vote, signature.into()),
			Error::<Test>::NotInCommittee
		);
		// Signed by 2's key but claiming to be 1.
		let (vote, _) = sign_vote(1, &[0]);
		let forged = operator_pair(2).sign(&vote_payload(&System::block_hash(0), &vote));
		assert_noop!(
			Da::vote(RuntimeOrigin::none(), vote, forged.into()),
			Error::<Test>::BadSignature
		);
		// An empty vote.
		let (mut vote, _) = sign_vote(1, &[0]);
		vote.held.bits = Default::default();
		let signature = operator_pair(1).sign(&vote_payload(&System::block_hash(0), &vote));
		assert_noop!(
			Da::vote(RuntimeOrigin::none(), vote, signature.into()),
			Error::<Test>::EmptyVote
		);
		let (vote, signature) = sign_vote(1, &[0]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote.clone(), signature.clone()));
		// The same vote again (by anyone): it names no later block than the last.
		assert_noop!(Da::vote(RuntimeOrigin::none(), vote, signature), Error::<Test>::StaleVote);
		count_votes();
		assert!(attested(1, 0));
		let (vote, signature) = sign_vote(2, &[0]);
		assert_noop!(Da::vote(RuntimeOrigin::signed(2), vote, signature), DispatchError::BadOrigin);
		run_to(2 + WINDOW);
		// The blob was dropped at its deadline; a vote naming it counts for nothing.
		assert!(!Blobs::<Test>::contains_key(0));
		assert_ok!(attest(2, 0));
		assert!(Votes::<Test>::get().is_empty(), "counted");
	});
}

#[test]
fn votes_cast_after_the_deadline_block_do_not_count() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		let deadline = Blobs::<Test>::get(0).unwrap().deadline;
		System::set_block_number(deadline + 1); // past the deadline, hook not yet run
		let (vote, signature) = sign_vote(1, &[0]);
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		count_votes();
		assert!(!attested(1, 0));
	});
}

#[test]
fn unsigned_validation_maps_errors_to_transaction_validity() {
	new_test_ext().execute_with(|| {
		run_to(3);
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		// Two votes of member 1's node, naming blocks 1 and 2.
		let (mut older, _) = sign_vote(1, &[0]);
		older.at = 1;
		older.at_hash = System::block_hash(1);
		let genesis = System::block_hash(0);
		let signature = operator_pair(1).sign(&vote_payload(&genesis, &older)).into();
		let older = Call::vote { vote: older, signature };
		let (newer, signature) = sign_vote(1, &[0]);
		let newer = Call::vote { vote: newer, signature };
		assert!(Da::validate_unsigned(TransactionSource::External, &older).is_ok());
		let Call::vote { vote, .. } = &older else { unreachable!() };
		let forged = operator_pair(2).sign(&vote_payload(&genesis, vote));
		let bad = Call::vote { vote: vote.clone(), signature: forged.into() };
		assert_eq!(
			Da::validate_unsigned(TransactionSource::External, &bad),
			Err(InvalidTransaction::BadProof.into())
		);
		let Call::vote { vote, signature } = older.clone() else { unreachable!() };
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote, signature));
		// The newer one waits for the next block; the older one is done.
		assert_eq!(
			Da::validate_unsigned(TransactionSource::External, &newer),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		let Call::vote { vote, signature } = newer.clone() else { unreachable!() };
		assert_noop!(Da::vote(RuntimeOrigin::none(), vote, signature), Error::<Test>::AlreadyVoted);
		assert_eq!(
			Da::validate_unsigned(TransactionSource::External, &older),
			Err(InvalidTransaction::Stale.into())
		);
		run_to(4);
		assert!(Da::validate_unsigned(TransactionSource::External, &newer).is_ok());
		// Once the block it names is too old, it is stale.
		run_to(3 + votes::VOTE_LONGEVITY as u64);
		assert_eq!(
			Da::validate_unsigned(TransactionSource::External, &newer),
			Err(InvalidTransaction::Stale.into())
		);
	});
}

#[test]
fn unattested_blobs_are_refunded_less_the_base_fee_at_the_deadline() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 100)));
		assert_ok!(attest(1, 0)); // 100 of 600: no quorum
							// Closed once its deadline block (1 + WINDOW) is over.
		run_to(2 + WINDOW);
		let fee = 50 + 100;
		assert!(events().contains(&Event::BlobUnavailable { id: 0, refund: fee - 10 }));
		assert_eq!(Balances::balance(&4), 1_000 - 10);
		assert_eq!(Balances::balance(&Da::fee_pool()), POOL_OPENING + 10);
		assert!(Blobs::<Test>::get(0).is_none());
		assert!(BlobByRoot::<Test>::get([9; 32]).is_none());
		assert!(!Tallies::<Test>::contains_key(0));
		assert_eq!(Balances::total_issuance(), issuance, "no balance created or lost");
		// The same data may be submitted again.
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 100)));
	});
}

#[test]
fn available_blobs_expire_after_retention() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(2, 0));
		run_to(1 + WINDOW);
		assert!(Blobs::<Test>::get(0).is_some(), "an available blob outlives its deadline");
		run_to(1 + RETENTION);
		assert!(Blobs::<Test>::get(0).is_none());
		assert!(BlobByRoot::<Test>::get([9; 32]).is_none());
		assert!(!Tallies::<Test>::contains_key(0));
		assert!(events().contains(&Event::BlobExpired { id: 0 }));
	});
}

#[test]
fn finished_epochs_are_pruned_once_their_blobs_are_gone() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
		assert_ok!(attest(3, 0));
		assert_ok!(attest(2, 0));
		run_to(EPOCH);
		assert!(Committees::<Test>::get(0).is_some(), "epoch 0 still has a live blob");
		// Epoch 1 had no blob, but epochs go in order: it waits for epoch 0.
		run_to(2 * EPOCH);
		assert!(Committees::<Test>::get(1).is_some());
		run_to(1 + RETENTION);
		assert!(Committees::<Test>::get(0).is_none());
		assert!(EpochSeeds::<Test>::get(0).is_none());
		assert_eq!(OldestKeptEpoch::<Test>::get(), 1);
		// The next epoch start prunes the finished epochs without blobs.
		run_to(3 * EPOCH);
		assert!(Committees::<Test>::get(1).is_none() && Committees::<Test>::get(2).is_none());
		assert_eq!(OldestKeptEpoch::<Test>::get(), 3);
		assert!(Committees::<Test>::get(CurrentEpoch::<Test>::get()).is_some());
	});
}

#[test]
fn set_params_needs_root_and_sane_values() {
	new_test_ext().execute_with(|| {
		assert_noop!(Da::set_params(RuntimeOrigin::signed(1), params()), DispatchError::BadOrigin);
		for bad in [
			DaParams { epoch_length: 0, ..params() },
			DaParams { committee_size: 0, ..params() },
			DaParams { committee_size: 5, ..params() },
			DaParams { base_fee: 51, ..params() },
			DaParams { retention: 0, ..params() },
			DaParams { attest_window: 0, ..params() },
		] {
			assert_noop!(Da::set_params(RuntimeOrigin::root(), bad), Error::<Test>::InvalidParams);
		}
		assert_ok!(Da::set_params(RuntimeOrigin::root(), DaParams { fee_per_byte: 2, ..params() }));
		assert_eq!(Params::<Test>::get().unwrap().fee_per_byte, 2);
	});
}

#[test]
fn committee_draws_favour_larger_bonds_and_never_repeat() {
	let candidates: Vec<(u64, u64)> = vec![(1, 1), (2, 1), (3, 98), (4, 0)];
	let mut first_seat_3 = 0;
	for seed in 0..200u8 {
		let drawn = committee::draw_committee(&[seed; 32], candidates.clone(), 3);
		let mut members: Vec<u64> = drawn.iter().map(|(w, _)| *w).collect();
		if drawn[0].0 == 3 {
			first_seat_3 += 1;
		}
		members.sort();
		assert_eq!(members, vec![1, 2, 3], "zero bonds are never drawn, nobody twice");
	}
	assert!(first_seat_3 > 180, "98% of the weight takes the first seat: {first_seat_3}/200");
}

pub(crate) mod challenges {
	use super::*;
	use zerog_erasure::encode_blob;

	/// Submits a real coded blob and makes it available with members 2 and 3.
	pub(crate) fn available_blob(seed: u8) -> (BlobId, zerog_erasure::EncodedBlob) {
		let data: Vec<u8> = (0..3000u32).map(|i| (i as u8).wrapping_mul(seed)).collect();
		let encoded = encode_blob(&data, CodecId::ReedSolomonSimd).unwrap();
		let id = NextBlobId::<Test>::get();
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), encoded.commitment.clone()));
		assert_ok!(attest(3, id));
		assert_ok!(attest(2, id));
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Available);
		(id, encoded)
	}

	pub(crate) fn answer(
		challenge: ChallengeId,
		chunk: Vec<u8>,
		proof: zerog_erasure::MerkleProof,
		signer: u64,
	) -> sp_runtime::DispatchResult {
		let answer = ChallengeAnswer { challenge, chunk, proof };
		let blob = Challenges::<Test>::get(challenge).map(|c| c.blob).unwrap_or(u64::MAX);
		let payload =
			answer_payload(&System::block_hash(0), &root_of(blob), &seed_of(blob), &answer);
		let signature: operator_key::Signature = operator_pair(signer).sign(&payload).into();
		Da::answer_challenge(RuntimeOrigin::none(), answer, signature)
	}

	/// Answers challenge `id` on `encoded` correctly, signed by its member.
	pub(crate) fn answer_right(
		encoded: &zerog_erasure::EncodedBlob,
		id: ChallengeId,
		challenge: &Challenge<u64, u64>,
	) -> sp_runtime::DispatchResult {
		let chunk = challenge.chunk;
		answer(id, encoded.chunk(chunk).to_vec(), encoded.proof(chunk).unwrap(), challenge.member)
	}

	pub(crate) fn issued() -> Vec<(ChallengeId, Challenge<u64, u64>)> {
		let mut open: Vec<_> = Challenges::<Test>::iter().collect();
		open.sort_by_key(|(id, _)| *id);
		open
	}

	#[test]
	fn challenges_target_the_assigned_holder_of_a_live_blob() {
		new_test_ext().execute_with(|| {
			run_to(CHALLENGE_PERIOD);
			assert!(issued().is_empty(), "no live blob, no challenge");
			let (id, _) = available_blob(3);
			run_to(2 * CHALLENGE_PERIOD);
			let open = issued();
			assert_eq!(open.len(), 2);
			for (_, c) in &open {
				assert_eq!(c.blob, id);
				assert_eq!(c.deadline, 2 * CHALLENGE_PERIOD + ANSWER_WINDOW);
				let blob = Blobs::<Test>::get(id).unwrap();
				assert_eq!(Some(c.member), Da::holder_of(&blob, c.chunk));
			}
		});
	}

	#[test]
	fn a_correct_answer_is_rewarded_from_the_pool() {
		new_test_ext().execute_with(|| {
			let issuance = Balances::total_issuance();
			let (_, encoded) = available_blob(5);
			run_to(CHALLENGE_PERIOD);
			let (cid, c) = issued()[0].clone();
			let before = Balances::balance(&c.member);
			let pool_before = Balances::balance(&Da::fee_pool());
			assert_ok!(answer_right(&encoded, cid, &c));
			assert_eq!(Balances::balance(&c.member), before + REWARD);
			assert_eq!(Balances::balance(&Da::fee_pool()), pool_before - REWARD);
			assert!(events().contains(&Event::ChallengeAnswered {
				id: cid,
				member: c.member,
				reward: REWARD
			}));
			assert!(Challenges::<Test>::get(cid).is_none());
			assert_noop!(answer_right(&encoded, cid, &c), Error::<Test>::UnknownChallenge);
			assert_eq!(Balances::total_issuance(), issuance);
		});
	}

	#[test]
	fn a_wrong_answer_is_included_and_slashed_into_the_pool() {
		new_test_ext().execute_with(|| {
			let issuance = Balances::total_issuance();
			let (_, encoded) = available_blob(7);
			run_to(CHALLENGE_PERIOD);
			let (cid, c) = issued()[0].clone();
			let bond = bond_of(c.member);
			let pool_before = Balances::balance(&Da::fee_pool());
			let mut chunk = encoded.chunk(c.chunk).to_vec();
			chunk[0] ^= 1;
			assert_ok!(answer(cid, chunk, encoded.proof(c.chunk).unwrap(), c.member));
			let slashed = bond / 10;
			assert_eq!(bond_of(c.member), bond - slashed);
			assert_eq!(Operators::<Test>::get(c.member).unwrap().bond, bond - slashed);
			assert_eq!(Balances::balance(&Da::fee_pool()), pool_before + slashed);
			assert!(events().contains(&Event::ChallengeFailed {
				id: cid,
				member: c.member,
				slashed
			}));
			assert_eq!(Balances::total_issuance(), issuance);
		});
	}

	#[test]
	fn a_missed_challenge_is_slashed_after_its_deadline() {
		new_test_ext().execute_with(|| {
			let issuance = Balances::total_issuance();
			available_blob(9);
			run_to(CHALLENGE_PERIOD);
			let open = issued();
			let bonds: Vec<u64> = open.iter().map(|(_, c)| bond_of(c.member)).collect();
			run_to(CHALLENGE_PERIOD + ANSWER_WINDOW + 1);
			for ((cid, c), bond) in open.iter().zip(bonds) {
				assert!(Challenges::<Test>::get(cid).is_none());
				assert!(
					events().iter().any(|e| matches!(e,
                    Event::ChallengeMissed { id, member, .. } if id == cid && *member == c.member))
				);
				assert!(bond_of(c.member) < bond);
			}
			assert_eq!(Balances::total_issuance(), issuance);
		});
	}

	#[test]
	fn answers_are_refused_when_late_forged_or_unknown() {
		new_test_ext().execute_with(|| {
			let (_, encoded) = available_blob(11);
			run_to(CHALLENGE_PERIOD);
			let (cid, c) = issued()[0].clone();
			let good = || (encoded.chunk(c.chunk).to_vec(), encoded.proof(c.chunk).unwrap());
			let other = if c.member == 1 { 2 } else { 1 };
			let (chunk, proof) = good();
			assert_noop!(answer(cid, chunk, proof, other), Error::<Test>::BadSignature);
			let (chunk, proof) = good();
			assert_noop!(answer(999, chunk, proof, c.member), Error::<Test>::UnknownChallenge);
			System::set_block_number(c.deadline + 1);
			let (chunk, proof) = good();
			assert_noop!(answer(cid, chunk, proof, c.member), Error::<Test>::ChallengeExpired);
		});
	}

	#[test]
	fn expired_blobs_leave_the_live_slots_and_are_not_challenged() {
		new_test_ext().execute_with(|| {
			let (a, _) = available_blob(13);
			let (b, _) = available_blob(17);
			run_to(1 + FIRST_REPAIR_WINDOW);
			assert_eq!(LiveBlobCount::<Test>::get(), 2);
			run_to(1 + RETENTION);
			assert_eq!(LiveBlobCount::<Test>::get(), 0);
			assert!(BlobSlots::<Test>::get(a).is_none() && BlobSlots::<Test>::get(b).is_none());
			let before = NextChallengeId::<Test>::get();
			run_to(1 + RETENTION + CHALLENGE_PERIOD);
			assert_eq!(NextChallengeId::<Test>::get(), before);
		});
	}

	#[test]
	fn persist_hands_available_blobs_to_storage() {
		new_test_ext().execute_with(|| {
			let (id, encoded) = available_blob(19);
			assert_noop!(Da::persist(RuntimeOrigin::signed(4), id), Error::<Test>::NotBlobOwner);
			assert_noop!(Da::persist(RuntimeOrigin::signed(10), 77), Error::<Test>::UnknownBlob);
			assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), commitment(0xee, 10)));
			assert_noop!(
				Da::persist(RuntimeOrigin::signed(10), id + 1),
				Error::<Test>::BlobNotAvailable
			);
			assert_ok!(Da::persist(RuntimeOrigin::signed(10), id));
			assert!(events().contains(&Event::BlobPersisted { id }));
			PERSISTED.with(|p| assert_eq!(p.borrow().as_slice(), &[(10, encoded.commitment.root)]));
		});
	}

	#[test]
	fn a_full_life_cycle_accounts_for_every_unit() {
		new_test_ext().execute_with(|| {
			let issuance = Balances::total_issuance();
			// A new operator joins; the next epoch may draw it.
			assert_ok!(register(4, 400));
			run_to(EPOCH);
			let committee = Committees::<Test>::get(1).unwrap();
			assert_eq!(committee.len(), 3);
			// Submit, attest to quorum with the whole committee.
			let data = vec![42u8; 10_000];
			let encoded = encode_blob(&data, CodecId::ReedSolomonSimd).unwrap();
			assert_ok!(Da::submit_blob(RuntimeOrigin::signed(10), encoded.commitment.clone()));
			for (member, _) in committee.iter() {
				if Blobs::<Test>::get(0).unwrap().status == BlobStatus::Pending {
					assert_ok!(attest(*member, 0));
				}
			}
			assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
			// Sample, once the repair window (blocks 10 to 13) is over: answer the first
			// challenge, miss the rest.
			run_to(3 * CHALLENGE_PERIOD);
			assert!(issued().is_empty(), "challenged during the repair window");
			run_to(4 * CHALLENGE_PERIOD);
			let (cid, c) = issued()[0].clone();
			assert_ok!(answer_right(&encoded, cid, &c));
			run_to(4 * CHALLENGE_PERIOD + ANSWER_WINDOW + 1);
			assert!(events().iter().any(|e| matches!(e, Event::ChallengeMissed { .. })));
			// Expire.
			run_to(EPOCH + RETENTION);
			assert!(Blobs::<Test>::get(0).is_none());
			assert!(events().contains(&Event::BlobExpired { id: 0 }));
			// Leave.
			assert_ok!(Da::unbond(RuntimeOrigin::signed(4)));
			run_to(Operators::<Test>::get(4).unwrap().unbonding_until.unwrap());
			assert_ok!(Da::withdraw(RuntimeOrigin::signed(4)));
			assert_eq!(
				Balances::total_issuance(),
				issuance,
				"fees, rewards and slashes only move balance"
			);
		});
	}
}

/// The invariants can fail: each test breaks some directly in storage, in externalities that
/// do not check them at the end.
mod try_state {
	use super::*;
	use frame_support::assert_err;

	/// Submits blob 0 (root `[9; 32]`) from account 4.
	fn submit_blob() {
		assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment(9, 10)));
	}

	#[test]
	fn an_operator_bond_that_differs_from_its_hold_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(Da::do_try_state());
			Operators::<Test>::mutate(1, |op| op.as_mut().unwrap().bond += 1);
			assert_err!(
				Da::do_try_state(),
				"An operator's recorded bond differs from the balance held for it."
			);
		});
	}

	#[test]
	fn epoch_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			submit_blob();
			assert_ok!(Da::do_try_state());
			EpochBlobs::<Test>::insert(0, 5);
			assert_err!(
				Da::do_try_state(),
				"EpochBlobs differs from the number of blobs of its epoch."
			);
			EpochBlobs::<Test>::insert(0, 1);
			assert_ok!(Da::do_try_state());
			Seats::<Test>::mutate(0, |seats| seats.as_mut().unwrap()[0].chunks += 1);
			assert_err!(
				Da::do_try_state(),
				"An epoch's seats are not those its committee and seed give."
			);
			EpochSeeds::<Test>::remove(0);
			assert_err!(Da::do_try_state(), "An epoch has a committee but no seed.");
		});
	}

	#[test]
	fn blob_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			submit_blob();
			assert_ok!(attest(3, 0));
			assert_ok!(Da::do_try_state());
			Blobs::<Test>::mutate(0, |blob| blob.as_mut().unwrap().attested_stake = 1);
			assert_err!(
				Da::do_try_state(),
				"A blob's attested stake differs from the weight of its attesting seats."
			);
			Blobs::<Test>::mutate(0, |blob| blob.as_mut().unwrap().attested_stake = 300);
			assert_ok!(Da::do_try_state());
			Tallies::<Test>::mutate(0, |tally| tally.chunks = 2_048);
			assert_err!(
				Da::do_try_state(),
				"A blob's attested chunks differ from the chunks of its attesting seats."
			);
			Tallies::<Test>::mutate(0, |tally| tally.chunks = 1_024);
			assert_ok!(Da::do_try_state());
			BlobByRoot::<Test>::remove([9; 32]);
			assert_err!(Da::do_try_state(), "A blob is not indexed by its commitment root.");
		});
	}

	#[test]
	fn a_challenge_slot_count_that_is_off_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			submit_blob();
			assert_ok!(attest(3, 0));
			assert_ok!(attest(2, 0));
			assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
			assert_ok!(Da::do_try_state());
			LiveBlobCount::<Test>::put(2);
			assert_err!(
				Da::do_try_state(),
				"LiveBlobCount differs from the number of challenge slots used."
			);
		});
	}

	#[test]
	fn a_challenge_that_is_not_queued_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			Challenges::<Test>::insert(0, Challenge { blob: 0, chunk: 1, member: 1, deadline: 50 });
			assert_err!(Da::do_try_state(), "A challenge id is not below NextChallengeId.");
			NextChallengeId::<Test>::put(1);
			assert_err!(Da::do_try_state(), "An open challenge is not queued at its deadline.");
		});
	}

	#[test]
	#[should_panic(expected = "genesis operators must be distinct")]
	fn genesis_refuses_an_operator_twice() {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: vec![(1, 1_000)], ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let _ = crate::GenesisConfig::<Test> {
			params: Some(params()),
			operators: vec![(1, operator_public(1), 100), (1, operator_public(1), 100)],
		}
		.assimilate_storage(&mut storage);
	}
}
