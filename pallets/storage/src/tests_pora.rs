//! PoRA with real data: two 256 KiB files in the flow, a provider mining them, answers built
//! the way a miner builds them (seal, recall, proof from a `FlowProver`), accepted and paid;
//! each way an answer can be wrong, refused; and providers that may no longer win (leaving,
//! or slashed below the minimum bond), refused.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, Mutate},
	BoundedVec,
};
use sp_runtime::Perbill;
use zerog_erasure::{
	hash::zero_subtree,
	pora::{self, SEAL_UNIT_SIZE, SECTORS_PER_UNIT, UNITS_PER_SEGMENT},
	storage::{FileTree, SECTORS_PER_SEGMENT, SECTOR_SIZE, SEGMENT_SIZE},
	FlowProver, MerkleProof,
};
use zerog_traits::{ProviderRegistry, SlashProvider};

pub(crate) const MINER: MinerId = [2; 32];

/// Appends `data` to `prover` and to the chain's flow, as account 1's deal for 10 periods.
fn submit_file(prover: &mut FlowProver, data: &[u8]) -> FileTree {
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
	tree
}

/// Provider 2 mines the whole flow with `MINER`, from PoRA epoch 1 on.
fn mine_from_epoch_1() {
	assert_ok!(FileStorage::register_provider(RuntimeOrigin::signed(2), MINER, 500, Shard::ALL));
	run_to(EPOCH);
	assert_eq!(CurrentPoraEpoch::<Test>::get(), 1);
}

/// Two one-segment files submitted by account 1 (deals 0 and 1), provider 2 mining the
/// whole flow, and PoRA epoch 1 started. Returns the files and the node-side prover.
pub(crate) fn setup() -> (Vec<Vec<u8>>, FlowProver) {
	let files: Vec<Vec<u8>> = (0..2u8)
		.map(|f| (0..SEGMENT_SIZE).map(|i| (i as u8).wrapping_mul(31).wrapping_add(f)).collect())
		.collect();
	let mut prover = FlowProver::new();
	for data in &files {
		submit_file(&mut prover, data);
	}
	mine_from_epoch_1();
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

/// The epoch-1 answer of try `nonce` that recalled `unit`, a unit of zeros (what a miner
/// without a disk can produce), with `proof`, naming `deal`.
fn zeros_answer(nonce: [u8; 32], unit: u64, deal: Option<u64>, proof: MerkleProof) -> PoraAnswer {
	let mut sealed = [0u8; SEAL_UNIT_SIZE];
	pora::seal(&MINER, unit, &mut sealed);
	PoraAnswer { epoch: 1, miner_id: MINER, nonce, unit, deal, sealed: sealed.to_vec(), proof }
}

/// Issue 33, free regions: flow padding is zeros nobody paid for. A miner with no disk
/// answered a try that recalled padding (zeros, proved with all-zero subtrees), named no
/// deal, and was paid the base reward from the reserve, try after try.
#[test]
fn a_miner_without_data_is_not_paid_for_flow_padding() {
	new_test_ext().execute_with(|| {
		// A one-sector file, then a one-segment file aligned to a segment: sectors 1 to
		// 1,023 of the flow are padding.
		let mut prover = FlowProver::new();
		for size in [100, SEGMENT_SIZE] {
			submit_file(&mut prover, &vec![7u8; size]);
		}
		mine_from_epoch_1();
		let info = Epochs::<Test>::get(1).unwrap();
		assert_eq!(info.flow_length, 2 * SECTORS_PER_SEGMENT);
		Epochs::<Test>::mutate(1, |i| i.as_mut().unwrap().target = u128::MAX);
		// A reserve the base reward would come from.
		RewardReserve::<Test>::put(100);
		assert_ok!(<Balances as Mutate<u64>>::mint_into(&FileStorage::pool(), 100));

		// A try that recalls a unit of padding (units 1 to 63).
		let (nonce, unit) = (0..=255u8)
			.map(|n| [n; 32])
			.find_map(|nonce| {
				let unit =
					pora::recall_unit(&info.context, &MINER, &nonce, info.flow_length, 0, 1)?;
				(1..SECTORS_PER_SEGMENT / SECTORS_PER_UNIT)
					.contains(&unit)
					.then_some((nonce, unit))
			})
			.unwrap();
		// What a miner without a disk answers: zeros, with all-zero subtrees as siblings.
		let sector = unit * SECTORS_PER_UNIT;
		let (_, height) = prover.entry_of(sector).unwrap();
		let inner: Vec<_> = (0..height).map(|level| zero_subtree(SECTOR_SIZE, level)).collect();
		let proof = pora::unit_proof(&prover.proof(sector, &inner).unwrap()).unwrap();
		let padding = zeros_answer(nonce, unit, None, proof);
		assert_noop!(submit(padding.clone()), Error::<Test>::NoCoveringDeal);
		// Naming a deal does not help: none covers padding.
		for deal in [0, 1] {
			assert_noop!(
				submit(PoraAnswer { deal: Some(deal), ..padding.clone() }),
				Error::<Test>::DealDoesNotCover
			);
		}
		assert_eq!(RewardReserve::<Test>::get(), 100);
	});
}

/// Issue 33, free regions inside a deal: a file is rounded up to its flow subtrees with
/// zeros (up to a sixteenth of it). A unit of those zeros was paid as the deal's data,
/// share and base reward, to a miner that needs no disk for it.
#[test]
fn a_miner_is_not_paid_for_the_zeros_that_round_a_file_up() {
	new_test_ext().execute_with(|| {
		// 2,016 sectors take 2,048 in the flow: units 126 and 127 are zeros.
		let size = 2016 * SECTOR_SIZE;
		let data: Vec<u8> = (0..size).map(|i| (i as u8).wrapping_mul(7)).collect();
		let mut prover = FlowProver::new();
		let tree = submit_file(&mut prover, &data);
		assert_eq!(Deals::<Test>::get(0).unwrap().sectors, 2048);
		mine_from_epoch_1();
		let info = Epochs::<Test>::get(1).unwrap();
		Epochs::<Test>::mutate(1, |i| i.as_mut().unwrap().target = u128::MAX);
		let recall = |nonce: &[u8; 32]| {
			pora::recall_unit(&info.context, &MINER, nonce, info.flow_length, 0, 1).unwrap()
		};
		let nonce = (0..=u16::MAX)
			.map(|n| {
				let mut nonce = [0u8; 32];
				nonce[..2].copy_from_slice(&n.to_le_bytes());
				nonce
			})
			.find(|nonce| recall(nonce) >= 2016 / SECTORS_PER_UNIT)
			.unwrap();
		let unit = recall(&nonce);
		// The zeros, proved inside the file's own tree (its root commits to them).
		let sector = unit * SECTORS_PER_UNIT;
		let (_, height) = prover.entry_of(sector).unwrap();
		let inner = tree.sector_proof(&data, sector).unwrap().siblings;
		let proof =
			pora::unit_proof(&prover.proof(sector, &inner[..height as usize]).unwrap()).unwrap();
		let zeros = zeros_answer(nonce, unit, Some(0), proof);
		assert_noop!(submit(zeros), Error::<Test>::DealDoesNotCover);
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
		// The data of expired deals earns nothing, whether the answer names the old deal or
		// none (it once took the base reward from the reserve).
		let reserve = RewardReserve::<Test>::get();
		assert!(reserve > 7);
		let late = answer(&files, &prover, [9; 32], Shard::ALL);
		assert_noop!(submit(late.clone()), Error::<Test>::UnknownDeal);
		assert_noop!(submit(PoraAnswer { deal: None, ..late }), Error::<Test>::NoCoveringDeal);
		assert_eq!(RewardReserve::<Test>::get(), reserve);
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
