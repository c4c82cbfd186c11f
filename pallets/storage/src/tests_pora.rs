//! PoRA with real data: two 256 KiB files in the flow, a provider mining them, answers built
//! the way a miner builds them (seal, recall, proof from a `FlowProver`), accepted and paid;
//! each way an answer can be wrong, refused; and providers that may no longer win (leaving,
//! or slashed below the minimum bond), refused.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect, BoundedVec};
use sp_runtime::Perbill;
use zerog_erasure::{
	pora::{self, SEAL_UNIT_SIZE, SECTORS_PER_UNIT, UNITS_PER_SEGMENT},
	storage::{FileTree, SECTORS_PER_SEGMENT, SEGMENT_SIZE},
	FlowProver,
};
use zerog_traits::{ProviderRegistry, SlashProvider};

pub(crate) const MINER: MinerId = [2; 32];

/// Two one-segment files submitted by account 1 (deals 0 and 1), provider 2 mining the
/// whole flow, and PoRA epoch 1 started. Returns the files and the node-side prover.
pub(crate) fn setup() -> (Vec<Vec<u8>>, FlowProver) {
	let files: Vec<Vec<u8>> = (0..2u8)
		.map(|f| (0..SEGMENT_SIZE).map(|i| (i as u8).wrapping_mul(31).wrapping_add(f)).collect())
		.collect();
	let mut prover = FlowProver::new();
	for data in &files {
		let tree = FileTree::new(data).unwrap();
		prover.append_file(&tree.flow_subtrees()).unwrap();
		let submission = Submission {
			root: tree.root(),
			size: data.len() as u64,
			subtrees: BoundedVec::try_from(tree.flow_subtrees()).unwrap(),
			tags: Default::default(),
			replicas: 1,
			periods: 10,
		};
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), submission));
	}
	assert_ok!(FileStorage::register_provider(RuntimeOrigin::signed(2), MINER, 500, Shard::ALL));
	run_to(EPOCH);
	assert_eq!(CurrentPoraEpoch::<Test>::get(), 1);
	(files, prover)
}

/// The answer of try `nonce` in the current epoch, as the miner builds it (it wins when the
/// target allows).
pub(crate) fn answer(
	files: &[Vec<u8>],
	prover: &FlowProver,
	nonce: [u8; 32],
	shard: Shard,
) -> PoraAnswer {
	let epoch = CurrentPoraEpoch::<Test>::get();
	let info = Epochs::<Test>::get(epoch).unwrap();
	let unit =
		pora::recall_unit(&info.context, &MINER, &nonce, info.flow_length, shard.id, shard.count)
			.unwrap();
	let sector = unit * SECTORS_PER_UNIT;
	let (file, local) = ((sector / SECTORS_PER_SEGMENT) as usize, sector % SECTORS_PER_SEGMENT);
	let mut data: [u8; SEAL_UNIT_SIZE] =
		files[file][local as usize * 256..][..SEAL_UNIT_SIZE].try_into().unwrap();
	pora::seal(&MINER, unit, &mut data);
	let tree = FileTree::new(&files[file]).unwrap();
	let inner = tree.sector_proof(&files[file], local).unwrap().siblings;
	let proof = pora::unit_proof(&prover.proof(sector, &inner).unwrap()).unwrap();
	PoraAnswer {
		epoch,
		miner_id: MINER,
		nonce,
		unit,
		deal: Some(file as u64),
		sealed: data.to_vec(),
		proof,
	}
}

/// A nonce whose recall (on the whole flow) lands in `segment`.
pub(crate) fn nonce_in_segment(segment: u64) -> [u8; 32] {
	let info = Epochs::<Test>::get(CurrentPoraEpoch::<Test>::get()).unwrap();
	(0..=255u8)
		.map(|n| [n; 32])
		.find(|nonce| {
			pora::recall_unit(&info.context, &MINER, nonce, info.flow_length, 0, 1).unwrap()
				/ UNITS_PER_SEGMENT
				== segment
		})
		.unwrap()
}

pub(crate) fn submit(a: PoraAnswer) -> sp_runtime::DispatchResult {
	FileStorage::submit_pora(RuntimeOrigin::signed(2), a)
}

#[test]
fn a_real_answer_is_accepted_and_paid_from_the_covering_deal() {
	new_test_ext().execute_with(|| {
		let (files, prover) = setup();
		let a = answer(&files, &prover, [0; 32], Shard::ALL);
		let deal_id = a.deal.unwrap();
		let deal = Deals::<Test>::get(deal_id).unwrap();
		let share = sp_runtime::Perbill::from_percent(50) * FileStorage::claimable(&deal, EPOCH);
		assert!(share > 0);
		let before = Balances::balance(&2);
		assert_ok!(submit(a.clone()));
		assert_eq!(Balances::balance(&2), before + share);
		assert_eq!(Deals::<Test>::get(deal_id).unwrap().claimed, share);
		assert_eq!(EpochAnswers::<Test>::get(1), 1);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::FileStorage(Event::PoraRewarded {
				who: 2,
				miner_id: MINER,
				epoch: 1,
				base: 0,
				..
			})
		)));
		// The same answer again is a replay.
		assert_noop!(submit(a), Error::<Test>::DuplicateAnswer);
	});
}

#[test]
fn wrong_answers_are_refused() {
	new_test_ext().execute_with(|| {
		let (files, prover) = setup();
		let good = answer(&files, &prover, [0; 32], Shard::ALL);
		let info = Epochs::<Test>::get(1).unwrap();

		// A nonce whose try recalls another unit.
		let other = (1..=255u8)
			.map(|n| [n; 32])
			.find(|n| {
				pora::recall_unit(&info.context, &MINER, n, info.flow_length, 0, 1)
					!= Some(good.unit)
			})
			.unwrap();
		assert_noop!(
			submit(PoraAnswer { nonce: other, ..good.clone() }),
			Error::<Test>::WrongRecall
		);

		// A forged proof, and data that does not unseal to the flow's.
		let mut forged = good.clone();
		forged.proof.siblings[0][0] ^= 1;
		assert_noop!(submit(forged), Error::<Test>::BadProof);
		let mut tampered = good.clone();
		tampered.sealed[100] ^= 1;
		assert_noop!(submit(tampered), Error::<Test>::BadProof);
		// Data sealed to another miner does not unseal to the flow's either.
		let mut foreign = good.clone();
		let mut unit_data: [u8; SEAL_UNIT_SIZE] = good.sealed.clone().try_into().unwrap();
		pora::unseal(&MINER, good.unit, &mut unit_data);
		pora::seal(&[9; 32], good.unit, &mut unit_data);
		foreign.sealed = unit_data.to_vec();
		assert_noop!(submit(foreign), Error::<Test>::BadProof);
		assert_noop!(
			submit(PoraAnswer { sealed: vec![0; SEAL_UNIT_SIZE - 1], ..good.clone() }),
			Error::<Test>::BadSealedData
		);

		// A stale epoch.
		assert_noop!(submit(PoraAnswer { epoch: 0, ..good.clone() }), Error::<Test>::StaleEpoch);

		// The wrong deal.
		let wrong_deal = 1 - good.deal.unwrap();
		assert_noop!(
			submit(PoraAnswer { deal: Some(wrong_deal), ..good.clone() }),
			Error::<Test>::DealDoesNotCover
		);

		// Not the caller's miner id, and not a provider at all.
		assert_ok!(FileStorage::register_provider(
			RuntimeOrigin::signed(3),
			[3; 32],
			500,
			Shard::ALL
		));
		assert_noop!(
			FileStorage::submit_pora(RuntimeOrigin::signed(3), good.clone()),
			Error::<Test>::NotMinerOwner
		);
		assert_noop!(
			FileStorage::submit_pora(RuntimeOrigin::signed(4), good.clone()),
			Error::<Test>::NotProvider
		);

		// A quality above the target.
		Epochs::<Test>::mutate(1, |i| i.as_mut().unwrap().target = 0);
		assert_noop!(submit(good.clone()), Error::<Test>::NotAWin);
		Epochs::<Test>::mutate(1, |i| i.as_mut().unwrap().target = u128::MAX);

		// A position outside the miner's shard: the answer recalls segment 0, the miner
		// now holds only odd segments.
		let in_zero = answer(&files, &prover, nonce_in_segment(0), Shard::ALL);
		assert_ok!(FileStorage::set_shard(RuntimeOrigin::signed(2), Shard { id: 1, count: 2 }));
		assert_noop!(submit(in_zero), Error::<Test>::OutsideShard);
		// A shard miner faces a harder target: a quality that wins for the whole flow
		// loses for half of it.
		let odd = Shard { id: 1, count: 2 };
		let (half, quality) = (0..=255u8)
			.map(|n| {
				let a = answer(&files, &prover, [n; 32], odd);
				let sealed: [u8; SEAL_UNIT_SIZE] = a.sealed.clone().try_into().unwrap();
				let q = pora::quality(&info.context, &MINER, &a.nonce, &sealed);
				(a, q)
			})
			.find(|(_, q)| *q < u128::MAX / 4 && *q > 0)
			.unwrap();
		Epochs::<Test>::mutate(1, |i| i.as_mut().unwrap().target = quality + 1);
		assert_noop!(submit(half.clone()), Error::<Test>::NotAWin);
		Epochs::<Test>::mutate(1, |i| i.as_mut().unwrap().target = quality * 2);
		assert_ok!(submit(half));
	});
}

#[test]
fn answers_are_bounded_per_epoch_and_difficulty_follows_them() {
	new_test_ext().execute_with(|| {
		let (files, prover) = setup();
		let target = Epochs::<Test>::get(1).unwrap().target;
		for n in 0..3u8 {
			assert_ok!(submit(answer(&files, &prover, [n; 32], Shard::ALL)));
		}
		assert_noop!(
			submit(answer(&files, &prover, [3; 32], Shard::ALL)),
			Error::<Test>::TooManyAnswers
		);
		run_to(2 * EPOCH);
		// Three answers against two wanted: the target drops, by at most half.
		assert_eq!(Epochs::<Test>::get(2).unwrap().target, pora::next_target(target, 3, 2));
		assert!(Epochs::<Test>::get(2).unwrap().target < target);
		run_to(3 * EPOCH);
		// Epoch 1 is forgotten once epoch 3 starts.
		assert!(Epochs::<Test>::get(1).is_none());
		assert_eq!(SeenAnswers::<Test>::iter_prefix(1).count(), 0);
	});
}

#[test]
fn issuance_holds_across_deals_renewals_wins_and_expiry() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		let (files, prover) = setup();
		assert_ok!(FileStorage::renew(RuntimeOrigin::signed(1), 0, 2));
		for n in 0..3u8 {
			assert_ok!(submit(answer(&files, &prover, [n; 32], Shard::ALL)));
		}
		let pool_holds = || {
			let live: u64 = Deals::<Test>::iter().map(|(_, d)| d.paid - d.claimed).sum();
			Balances::minimum_balance() + live + RewardReserve::<Test>::get()
		};
		assert_eq!(Balances::balance(&FileStorage::pool()), pool_holds());
		// Past every deal's end: all expired, the unclaimed rest is in the reserve.
		run_to(1 + 12 * PERIOD + 1);
		assert!(Deals::<Test>::iter().next().is_none());
		assert_eq!(Balances::balance(&FileStorage::pool()), pool_holds());
		// A win on padding-free data with no deal left is paid from the reserve alone.
		let reserve = RewardReserve::<Test>::get();
		assert!(reserve > 7);
		let mut late = answer(&files, &prover, [9; 32], Shard::ALL);
		late.deal = None;
		let before = Balances::balance(&2);
		assert_ok!(submit(late));
		assert_eq!(Balances::balance(&2), before + 7);
		assert_eq!(RewardReserve::<Test>::get(), reserve - 7);
		assert_eq!(Balances::balance(&FileStorage::pool()), pool_holds());
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

/// Finding 4: a provider that unbonds and never withdraws was never drawn for an alignment
/// check again, and kept winning PoRA rewards all the same.
#[test]
fn unbonding_without_withdrawing_keeps_a_miner_checked_and_ends_its_rewards() {
	new_test_ext().execute_with(|| {
		let (files, prover) = setup();
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(2)));
		// Alignment still draws it (the only provider) until it withdraws...
		assert_eq!(<FileStorage as ProviderRegistry<u64>>::sample(&[5; 32]), Some(2));
		// ...and its winning tries are no longer paid.
		let before = Balances::balance(&2);
		assert!(submit(answer(&files, &prover, [0; 32], Shard::ALL)).is_err());
		assert_eq!(Balances::balance(&2), before);
		assert_eq!(EpochAnswers::<Test>::get(1), 0);
	});
}

/// Finding 4: a provider slashed below the minimum bond kept mining as if fully bonded.
#[test]
fn a_provider_slashed_below_the_minimum_bond_wins_nothing() {
	new_test_ext().execute_with(|| {
		let (files, prover) = setup();
		// The quorum takes 90% of its bond of 500: 50 is left, below the minimum of 100.
		assert_eq!(<FileStorage as SlashProvider<u64>>::slash(&2, Perbill::from_percent(90)), 450);
		let a = answer(&files, &prover, [0; 32], Shard::ALL);
		assert_noop!(submit(a.clone()), Error::<Test>::BondTooLow);
		// It is still checked.
		assert_eq!(<FileStorage as ProviderRegistry<u64>>::sample(&[5; 32]), Some(2));
		// Once it unbonds, that is the reason given.
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(2)));
		assert_noop!(submit(a), Error::<Test>::Unbonding);
	});
}
