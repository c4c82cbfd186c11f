//! Unit tests: every call, every error, the flow, deal life cycles and issuance.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_runtime::DispatchError;
use zerog_erasure::storage::{flow_sectors, sector_count, FileTree};

/// A file of `len` bytes with content from `seed`.
pub(crate) fn file(len: usize, seed: u8) -> Vec<u8> {
	(0..len).map(|i| (i as u8).wrapping_mul(13).wrapping_add(seed)).collect()
}

/// The submission of `data` with `replicas` and `periods`, tagged with `tags`.
pub(crate) fn submission(
	data: &[u8],
	replicas: u32,
	periods: u32,
	tags: Vec<Tag>,
) -> SubmissionOf<Test> {
	let tree = FileTree::new(data).unwrap();
	Submission {
		root: tree.root(),
		size: data.len() as u64,
		subtrees: BoundedVec::try_from(tree.flow_subtrees()).unwrap(),
		tags: BoundedVec::try_from(tags).unwrap(),
		replicas,
		periods,
	}
}

pub(crate) fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::FileStorage(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn ed() -> u64 {
	Balances::minimum_balance()
}

#[test]
fn submit_appends_to_the_flow_and_opens_a_paid_deal() {
	new_test_ext().execute_with(|| {
		let data = file(3_000, 1); // 12 sectors: flow takes 12 (two subtrees)
		let s = submission(&data, 2, 3, vec![]);
		let sectors = flow_sectors(sector_count(3_000));
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), s.clone()));
		let fee = sectors * 2 * 3;
		// One record (the flow append: key 32 + 16, first sector 8, two subtrees 1 + 2 x 36).
		let record_fee = RECORD_FEE_PER_ITEM + 32 + 16 + 8 + 1 + 2 * 36;
		assert_eq!(Balances::balance(&1), 100_000 - fee - record_fee);
		assert_eq!(Balances::balance(&TREASURY), record_fee);
		assert_eq!(Balances::balance(&FileStorage::pool()), ed() + fee);
		let deal = Deals::<Test>::get(0).unwrap();
		assert_eq!(
			deal,
			Deal {
				owner: 1,
				root: s.root,
				size: 3_000,
				start_sector: 0,
				sectors,
				replicas: 2,
				start: 1,
				end: 1 + 3 * PERIOD,
				paid: fee,
				claimed: 0,
			}
		);
		assert_eq!(FlowState::<Test>::get().length(), sectors);
		assert!(DealsByOwner::<Test>::contains_key(1, 0));
		assert_eq!(Expiries::<Test>::get(1 + 3 * PERIOD).into_inner(), vec![0]);

		// A second file is padded to the alignment of its largest subtree.
		let big = file(40_000, 2); // 157 sectors -> flow takes 160 (largest subtree 128)
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(2), submission(&big, 1, 1, vec![])));
		let second = Deals::<Test>::get(1).unwrap();
		assert_eq!(second.start_sector, 128, "padded from 12 to 128");
		assert_eq!(second.sectors, 160);
		assert_eq!(FlowState::<Test>::get().length(), 128 + 160);

		// The chain's flow root is the one a node's prover computes from the same files.
		let mut prover = zerog_erasure::FlowProver::new();
		prover.append_file(&FileTree::new(&data).unwrap().flow_subtrees()).unwrap();
		prover.append_file(&FileTree::new(&big).unwrap().flow_subtrees()).unwrap();
		assert_eq!(FlowState::<Test>::get().root(), prover.flow().root());
		assert!(matches!(events()[0], Event::FileSubmitted { deal: 0, owner: 1, .. }));
	});
}

#[test]
fn submit_refuses_bad_input_and_leaves_nothing() {
	new_test_ext().execute_with(|| {
		let data = file(3_000, 1);
		let good = submission(&data, 1, 1, vec![]);
		let signed = RuntimeOrigin::signed(1);
		let refused = |s: SubmissionOf<Test>, e: Error<Test>| {
			assert_noop!(FileStorage::submit(RuntimeOrigin::signed(1), s), e);
		};
		refused(Submission { size: 0, ..good.clone() }, Error::<Test>::BadSize);
		refused(Submission { size: (1 << 20) + 1, ..good.clone() }, Error::<Test>::BadSize);
		// Heights of another size, and a missing subtree.
		refused(Submission { size: 100_000, ..good.clone() }, Error::<Test>::BadSubtrees);
		let mut one_short = good.clone();
		one_short.subtrees.pop();
		refused(one_short, Error::<Test>::BadSubtrees);
		refused(Submission { periods: 0, ..good.clone() }, Error::<Test>::ZeroDuration);
		refused(Submission { periods: 13, ..good.clone() }, Error::<Test>::TooLong);
		refused(Submission { replicas: 0, ..good.clone() }, Error::<Test>::BadReplicas);
		refused(Submission { replicas: 4, ..good.clone() }, Error::<Test>::BadReplicas);
		assert_noop!(
			FileStorage::submit(
				RuntimeOrigin::signed(4),
				submission(&file(40_000, 3), 3, 12, vec![])
			),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			FileStorage::submit(RuntimeOrigin::none(), good.clone()),
			DispatchError::BadOrigin
		);
		// Three deals already end at block 11: a fourth in the same block is refused.
		for _ in 0..3 {
			assert_ok!(FileStorage::submit(signed.clone(), good.clone()));
		}
		let length = FlowState::<Test>::get().length();
		assert_noop!(
			FileStorage::submit(signed.clone(), good.clone()),
			Error::<Test>::TooManyExpiries
		);
		assert_eq!(FlowState::<Test>::get().length(), length);
		// A price that overflows.
		Params::<Test>::mutate(|p| p.as_mut().unwrap().price_per_sector = u64::MAX);
		assert_noop!(FileStorage::submit(signed, good.clone()), Error::<Test>::Overflow);
		Params::<Test>::kill();
		assert_noop!(
			FileStorage::submit(RuntimeOrigin::signed(1), good),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn renew_extends_a_deal_for_the_extra_fee() {
	new_test_ext().execute_with(|| {
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(1),
			submission(&file(1_000, 1), 2, 1, vec![])
		));
		let before = Deals::<Test>::get(0).unwrap();
		assert_ok!(FileStorage::renew(RuntimeOrigin::signed(1), 0, 2));
		let after = Deals::<Test>::get(0).unwrap();
		let extra = before.sectors * 2 * 2;
		assert_eq!(after.end, before.end + 2 * PERIOD);
		assert_eq!(after.paid, before.paid + extra);
		assert!(Expiries::<Test>::get(before.end).is_empty());
		assert_eq!(Expiries::<Test>::get(after.end).into_inner(), vec![0]);
		assert!(events().contains(&Event::DealRenewed { deal: 0, end: after.end, fee: extra }));

		assert_noop!(
			FileStorage::renew(RuntimeOrigin::signed(1), 9, 1),
			Error::<Test>::UnknownDeal
		);
		assert_noop!(
			FileStorage::renew(RuntimeOrigin::signed(2), 0, 1),
			Error::<Test>::NotDealOwner
		);
		assert_noop!(
			FileStorage::renew(RuntimeOrigin::signed(1), 0, 0),
			Error::<Test>::ZeroDuration
		);
		assert_noop!(FileStorage::renew(RuntimeOrigin::signed(1), 0, 13), Error::<Test>::TooLong);
	});
}

#[test]
fn renew_refuses_an_owner_who_cannot_pay() {
	new_test_ext().execute_with(|| {
		// 8 sectors (fee 8) and one record (103): account 4 keeps 39, short of 12 periods.
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(4),
			submission(&file(2_000, 1), 1, 1, vec![])
		));
		assert_noop!(
			FileStorage::renew(RuntimeOrigin::signed(4), 0, 12),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn deals_expire_and_unclaimed_fees_join_the_reserve_with_issuance_unchanged() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(1),
			submission(&file(1_000, 1), 1, 1, vec![])
		));
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(2),
			submission(&file(5_000, 2), 3, 2, vec![])
		));
		assert_ok!(FileStorage::renew(RuntimeOrigin::signed(1), 0, 3));
		assert_ok!(FileStorage::renew(RuntimeOrigin::signed(1), 0, 1));
		let paid: u64 = Deals::<Test>::iter().map(|(_, d)| d.paid).sum();
		let (paid0, paid1) =
			(Deals::<Test>::get(0).unwrap().paid, Deals::<Test>::get(1).unwrap().paid);
		assert_eq!(Balances::balance(&FileStorage::pool()), ed() + paid);

		// Half-way through, half of a deal's fee is released.
		let deal = Deals::<Test>::get(1).unwrap();
		let half = deal.start + (deal.end - deal.start) / 2;
		assert_eq!(FileStorage::claimable(&deal, half), deal.paid / 2);
		assert_eq!(FileStorage::claimable(&deal, deal.end + 100), deal.paid);

		// Deal 0 was renewed from block 11 to 51: it is still there at 11.
		run_to(11);
		assert!(Deals::<Test>::contains_key(0));
		run_to(21);
		assert!(!Deals::<Test>::contains_key(1));
		assert!(!DealsByOwner::<Test>::contains_key(2, 1));
		run_to(51);
		assert!(Deals::<Test>::iter().next().is_none());
		assert_eq!(RewardReserve::<Test>::get(), paid);
		assert_eq!(Balances::balance(&FileStorage::pool()), ed() + paid);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(events().contains(&Event::DealExpired { deal: 0, unclaimed: paid0 }));
		assert!(events().contains(&Event::DealExpired { deal: 1, unclaimed: paid1 }));
	});
}

#[test]
fn kv_tags_record_the_stream_admin_and_writers() {
	new_test_ext().execute_with(|| {
		let stream = [7u8; 32];
		let tags = vec![Tag::KvStream(stream), Tag::App([1; 32])];
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(1),
			submission(&file(500, 1), 1, 1, tags.clone())
		));
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(2),
			submission(&file(700, 2), 1, 1, tags)
		));
		assert_eq!(StreamAdmins::<Test>::get(stream), Some(1));
		assert!(StreamWriters::<Test>::contains_key(stream, 1));
		assert!(StreamWriters::<Test>::contains_key(stream, 2));
		let written: Vec<_> = events()
			.into_iter()
			.filter(|e| matches!(e, Event::KvWritten { .. } | Event::StreamCreated { .. }))
			.collect();
		assert_eq!(
			written,
			vec![
				Event::StreamCreated { stream, admin: 1 },
				Event::KvWritten { stream, deal: 0, writer: 1, start_sector: 0 },
				Event::KvWritten { stream, deal: 1, writer: 2, start_sector: 2 },
			]
		);
	});
}

#[test]
fn providers_register_change_shard_unbond_and_withdraw() {
	new_test_ext().execute_with(|| {
		let shard = Shard { id: 3, count: 4 };
		assert_ok!(FileStorage::register_provider(RuntimeOrigin::signed(1), [1; 32], 500, shard));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ProviderBond.into(), &1), 500);
		assert_eq!(MinerOwners::<Test>::get([1; 32]), Some(1));
		assert!(shard.holds(7) && !shard.holds(8));

		let register = |who, miner, bond, shard| {
			FileStorage::register_provider(RuntimeOrigin::signed(who), miner, bond, shard)
		};
		assert_noop!(register(1, [9; 32], 500, Shard::ALL), Error::<Test>::AlreadyProvider);
		assert_noop!(register(2, [1; 32], 500, Shard::ALL), Error::<Test>::MinerIdTaken);
		assert_noop!(register(2, [2; 32], 99, Shard::ALL), Error::<Test>::BondTooLow);
		assert_noop!(register(2, [2; 32], 100, Shard { id: 0, count: 3 }), Error::<Test>::BadShard);
		assert_noop!(
			register(2, [2; 32], 100, Shard { id: 0, count: 16 }),
			Error::<Test>::BadShard
		);
		assert_noop!(register(2, [2; 32], 100, Shard { id: 2, count: 2 }), Error::<Test>::BadShard);
		assert_noop!(register(4, [4; 32], 200, Shard::ALL), Error::<Test>::InsufficientBalance);

		assert_ok!(FileStorage::set_shard(RuntimeOrigin::signed(1), Shard::ALL));
		assert_eq!(Providers::<Test>::get(1).unwrap().shard, Shard::ALL);
		assert_noop!(
			FileStorage::set_shard(RuntimeOrigin::signed(2), Shard::ALL),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			FileStorage::set_shard(RuntimeOrigin::signed(1), Shard { id: 1, count: 1 }),
			Error::<Test>::BadShard
		);

		assert_noop!(FileStorage::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::NotUnbonding);
		assert_noop!(FileStorage::withdraw(RuntimeOrigin::signed(2)), Error::<Test>::NotProvider);
		assert_noop!(FileStorage::unbond(RuntimeOrigin::signed(2)), Error::<Test>::NotProvider);
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(1)));
		assert_noop!(
			FileStorage::unbond(RuntimeOrigin::signed(1)),
			Error::<Test>::AlreadyUnbonding
		);
		assert_noop!(
			FileStorage::withdraw(RuntimeOrigin::signed(1)),
			Error::<Test>::StillUnbonding
		);
		run_to(1 + UNBONDING);
		assert_ok!(FileStorage::withdraw(RuntimeOrigin::signed(1)));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ProviderBond.into(), &1), 0);
		assert!(MinerOwners::<Test>::get([1; 32]).is_none());
		// The miner id is free again.
		assert_ok!(register(2, [1; 32], 100, Shard::ALL));
	});
}

#[test]
fn provider_calls_need_parameters() {
	new_test_ext().execute_with(|| {
		Params::<Test>::kill();
		assert_noop!(
			FileStorage::register_provider(RuntimeOrigin::signed(1), [1; 32], 500, Shard::ALL),
			Error::<Test>::NotConfigured
		);
		assert_noop!(
			FileStorage::set_shard(RuntimeOrigin::signed(1), Shard::ALL),
			Error::<Test>::NotConfigured
		);
		assert_noop!(FileStorage::unbond(RuntimeOrigin::signed(1)), Error::<Test>::NotConfigured);
		assert_noop!(
			FileStorage::renew(RuntimeOrigin::signed(1), 0, 1),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn set_params_needs_root_and_sane_values() {
	new_test_ext().execute_with(|| {
		let mut p = params();
		p.price_per_sector = 5;
		assert_noop!(
			FileStorage::set_params(RuntimeOrigin::signed(1), p.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), p.clone()));
		assert_eq!(Params::<Test>::get(), Some(p.clone()));
		for bad in [
			StorageParams { period: 0, ..p.clone() },
			StorageParams { max_replicas: 0, ..p.clone() },
			StorageParams { max_periods: 0, ..p.clone() },
			StorageParams { max_file_size: 0, ..p.clone() },
			StorageParams { max_shards: 6, ..p.clone() },
		] {
			assert_noop!(
				FileStorage::set_params(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParams
			);
		}
	});
}

/// The invariants can fail: each test breaks some directly in storage, in externalities that
/// do not check them at the end.
mod try_state {
	use super::*;
	use frame_support::assert_err;
	use sp_runtime::BuildStorage;

	/// Account 1 submits a 3,000-byte file: deal 0.
	fn submit_file() {
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(1),
			submission(&file(3_000, 1), 1, 1, vec![])
		));
	}

	#[test]
	fn a_flow_that_disagrees_with_its_appends_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			submit_file();
			assert_ok!(FileStorage::do_try_state());
			FlowAppendCount::<Test>::put(2);
			assert_err!(
				FileStorage::do_try_state(),
				"FlowAppendCount differs from NextDealId, though every submission adds one of each."
			);
			FlowAppendCount::<Test>::put(1);
			FlowState::<Test>::kill();
			assert_err!(
				FileStorage::do_try_state(),
				"The flow does not end where its last append ends."
			);
		});
	}

	#[test]
	fn deal_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			submit_file();
			let paid = Deals::<Test>::get(0).unwrap().paid;
			Deals::<Test>::mutate(0, |deal| deal.as_mut().unwrap().claimed = paid + 1);
			assert_err!(
				FileStorage::do_try_state(),
				"A deal has paid out more than was paid for it."
			);
			Deals::<Test>::mutate(0, |deal| deal.as_mut().unwrap().claimed = 0);
			assert_ok!(FileStorage::do_try_state());
			DealsByOwner::<Test>::remove(1, 0);
			assert_err!(FileStorage::do_try_state(), "A deal is missing from its owner's index.");
		});
	}

	#[test]
	fn a_pool_short_of_what_it_owes_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			submit_file();
			assert_ok!(FileStorage::do_try_state());
			RewardReserve::<Test>::put(1_000_000);
			assert_err!(
				FileStorage::do_try_state(),
				"The pool holds less than the unclaimed fees and the reward reserve."
			);
		});
	}

	#[test]
	fn a_provider_bond_that_differs_from_its_hold_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(FileStorage::register_provider(
				RuntimeOrigin::signed(1),
				[1; 32],
				500,
				Shard::ALL
			));
			assert_ok!(FileStorage::do_try_state());
			Providers::<Test>::mutate(1, |provider| provider.as_mut().unwrap().bond = 400);
			assert_err!(
				FileStorage::do_try_state(),
				"A provider's recorded bond differs from the balance held for it."
			);
		});
	}

	#[test]
	fn a_hold_on_an_account_that_is_not_a_provider_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(FileStorage::do_try_state());
			SubjectHolds::<Test>::insert(9, 1);
			assert_err!(
				FileStorage::do_try_state(),
				"An account alignment holds as a subject is not a provider."
			);
		});
	}

	#[test]
	fn a_stream_admin_that_never_wrote_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			let stream = [7u8; 32];
			assert_ok!(FileStorage::submit(
				RuntimeOrigin::signed(1),
				submission(&file(500, 1), 1, 1, vec![Tag::KvStream(stream)])
			));
			assert_ok!(FileStorage::do_try_state());
			StreamAdmins::<Test>::insert(stream, 3);
			assert_err!(FileStorage::do_try_state(), "A stream's admin is not one of its writers.");
		});
	}

	#[test]
	fn a_miscounted_pora_epoch_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(FileStorage::do_try_state());
			EpochAnswers::<Test>::insert(0, 2);
			assert_err!(
				FileStorage::do_try_state(),
				"EpochAnswers differs from the number of answers seen in its epoch."
			);
		});
	}

	#[test]
	#[should_panic(expected = "genesis providers are distinct")]
	fn genesis_refuses_a_provider_twice() {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: vec![(1, 1_000)], ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let _ = crate::GenesisConfig::<Test> {
			params: Some(params()),
			initial_target: 0,
			providers: vec![(1, [1; 32], 100, Shard::ALL), (1, [2; 32], 100, Shard::ALL)],
		}
		.assimilate_storage(&mut storage);
	}
}
