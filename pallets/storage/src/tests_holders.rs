//! Acknowledgements and voided deals (issue 31, finding 3): data that never reached a
//! provider is refunded and never pays a PoRA share; only acknowledgements under a provider's
//! current registration and shard count.

use crate::{
	mock::*,
	pallet::*,
	tests::{events, file, submission},
	tests_pora,
	types::*,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	BoundedVec,
};
use sp_runtime::Perbill;
use zerog_traits::SlashProvider;

/// Blocks to acknowledge a deal in these tests.
pub(crate) const ACK_WINDOW: u64 = 4;
/// What a voided deal keeps for the reserve in these tests.
const VOID_FEE: u64 = 5;

/// Turns acknowledgements on.
fn acks_on() {
	let p = StorageParams { ack_window: ACK_WINDOW, void_fee: VOID_FEE, ..params() };
	assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), p));
}

/// Account `who` registers as a provider of `shard` with miner id `[who; 32]`.
pub(crate) fn provider(who: u64, shard: Shard) {
	assert_ok!(FileStorage::register_provider(
		RuntimeOrigin::signed(who),
		[who as u8; 32],
		100,
		shard
	));
}

/// `who` acknowledges `deals` for its shard on chain.
pub(crate) fn acknowledge(who: u64, deals: Vec<DealId>) -> sp_runtime::DispatchResult {
	let shard = Providers::<Test>::get(who).map_or(Shard::ALL, |p| p.shard);
	acknowledge_as(who, deals, shard)
}

fn acknowledge_as(who: u64, deals: Vec<DealId>, shard: Shard) -> sp_runtime::DispatchResult {
	FileStorage::acknowledge(
		RuntimeOrigin::signed(who),
		BoundedVec::try_from(deals).unwrap(),
		shard,
	)
}

/// Account 1 submits a 1,000-byte file (4 sectors) for 10 periods: 40 paid.
fn submit_file(seed: u8) -> DealId {
	let id = NextDealId::<Test>::get();
	assert_ok!(FileStorage::submit(
		RuntimeOrigin::signed(1),
		submission(&file(1_000, seed), 1, 10, vec![])
	));
	id
}

/// The attack: submit deals under roots nobody can produce (no upload). Before
/// acknowledgements every such deal lived to its end, and alignment drew honest providers'
/// checks on it. Now it is voided at its deadline, refunded less the fee.
#[test]
fn a_deal_whose_data_never_arrives_is_voided_and_refunded_less_the_fee() {
	new_test_ext().execute_with(|| {
		acks_on();
		let issuance = Balances::total_issuance();
		let deal = submit_file(1);
		let record = Deals::<Test>::get(deal).unwrap();
		assert_eq!(record.paid, 40);
		let (owner_before, reserve_before) = (Balances::balance(&1), RewardReserve::<Test>::get());
		run_to(1 + ACK_WINDOW - 1);
		assert!(Deals::<Test>::contains_key(deal));
		run_to(1 + ACK_WINDOW);
		assert!(!Deals::<Test>::contains_key(deal));
		assert!(!DealsByOwner::<Test>::contains_key(1, deal));
		assert!(Expiries::<Test>::get(record.end).is_empty());
		assert!(AckDeadlines::<Test>::iter().next().is_none());
		assert_eq!(Balances::balance(&1), owner_before + 40 - VOID_FEE);
		assert_eq!(RewardReserve::<Test>::get(), reserve_before + VOID_FEE);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(events().contains(&Event::DealVoided {
			deal,
			owner: 1,
			refund: 40 - VOID_FEE,
			fee: VOID_FEE
		}));
		// Its end passes without another event.
		run_to(record.end);
		assert!(!events().iter().any(|e| matches!(e, Event::DealExpired { .. })));
	});
}

/// The attack on PoRA: win on a deal's data without being checkable on it. A provider that
/// never acknowledged a deal earns nothing from its data, not even the base reward.
#[test]
fn pora_pays_no_deal_share_to_a_provider_that_never_acknowledged_the_deal() {
	new_test_ext().execute_with(|| {
		// Deals 0 and 1 predate acknowledgements: grandfathered, never voided.
		let (files, prover) = tests_pora::setup();
		acks_on();
		// A winning try in segment 0: deal 0's data.
		let a = tests_pora::answer(&files, &prover, tests_pora::nonce_in_segment(0), Shard::ALL);
		let deal = a.deal.unwrap();
		assert_eq!(deal, 0);
		assert_noop!(tests_pora::submit(a.clone()), Error::<Test>::NotAcknowledged);
		// Naming no deal does not get around it (it once earned the base reward).
		let b = tests_pora::answer(&files, &prover, tests_pora::nonce_in_segment(1), Shard::ALL);
		assert_noop!(
			tests_pora::submit(PoraAnswer { deal: None, ..b }),
			Error::<Test>::NoCoveringDeal
		);
		// Once it acknowledges the deal, the share is paid.
		assert_ok!(acknowledge(2, vec![deal]));
		let share = Perbill::from_percent(50)
			* FileStorage::claimable(&Deals::<Test>::get(deal).unwrap(), EPOCH);
		assert!(share > 0);
		assert_ok!(tests_pora::submit(a));
		assert_eq!(Deals::<Test>::get(deal).unwrap().claimed, share);
	});
}

#[test]
fn acknowledgements_of_an_old_shard_or_registration_do_not_count() {
	new_test_ext().execute_with(|| {
		acks_on();
		let deal = submit_file(1);
		provider(2, Shard::ALL);
		assert_ok!(acknowledge(2, vec![deal]));
		assert!(FileStorage::is_acknowledged(&2, deal));
		// The same shard again: nothing changes.
		assert_ok!(FileStorage::set_shard(RuntimeOrigin::signed(2), Shard::ALL));
		assert!(FileStorage::is_acknowledged(&2, deal));
		// Another shard: the node drops the old data, the acknowledgement stops counting...
		let half = Shard { id: 0, count: 2 };
		assert_ok!(FileStorage::set_shard(RuntimeOrigin::signed(2), half));
		assert!(!FileStorage::is_acknowledged(&2, deal));
		// ...until it acknowledges again, which replaces the entry in place.
		assert_ok!(acknowledge(2, vec![deal]));
		assert!(FileStorage::is_acknowledged(&2, deal));
		assert_eq!(Holders::<Test>::get(deal).len(), 1);
		assert_eq!(Holders::<Test>::get(deal)[0].shard, half);
		// Leaving and registering again starts a new generation.
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(2)));
		run_to(1 + UNBONDING);
		assert_ok!(FileStorage::withdraw(RuntimeOrigin::signed(2)));
		provider(2, half);
		assert!(!FileStorage::is_acknowledged(&2, deal));
		// The deal was held when its deadline passed: it lives on.
		assert!(Deals::<Test>::contains_key(deal));
	});
}

#[test]
fn only_a_committed_provider_with_data_in_its_shard_acknowledges() {
	new_test_ext().execute_with(|| {
		acks_on();
		let deal = submit_file(1);
		assert_noop!(acknowledge(2, vec![deal]), Error::<Test>::NotProvider);
		provider(2, Shard::ALL);
		// Nothing to record: an unknown deal, then a deal outside the shard.
		assert_noop!(acknowledge(2, vec![99]), Error::<Test>::NothingAcknowledged);
		// The file is segment 0 of the flow: shard 1 of 2 holds none of it.
		provider(3, Shard { id: 1, count: 2 });
		assert_noop!(acknowledge(3, vec![deal]), Error::<Test>::NothingAcknowledged);
		// A batch with one deal to record records it and skips the rest.
		assert_ok!(acknowledge(2, vec![99, deal]));
		assert!(events().contains(&Event::DealAcknowledged { deal, who: 2, holders: 1 }));
		// Twice is nothing new.
		assert_noop!(acknowledge(2, vec![deal]), Error::<Test>::NothingAcknowledged);
		// The list is bounded (3 holders in the mock).
		assert_ok!(FileStorage::set_shard(RuntimeOrigin::signed(3), Shard::ALL));
		assert_ok!(acknowledge(3, vec![deal]));
		provider(4, Shard::ALL);
		assert_ok!(acknowledge(4, vec![deal]));
		Providers::<Test>::insert(
			5,
			Provider { miner_id: [5; 32], bond: 0, shard: Shard::ALL, unbonding_until: None },
		);
		// A provider below the minimum bond, or leaving, cannot acknowledge.
		assert_noop!(acknowledge(5, vec![deal]), Error::<Test>::BondTooLow);
		Providers::<Test>::remove(5);
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(4)));
		assert_noop!(acknowledge(4, vec![deal]), Error::<Test>::Unbonding);
		assert_eq!(Holders::<Test>::get(deal).len(), 3);
		assert_ok!(FileStorage::register_provider(
			RuntimeOrigin::signed(1),
			[1; 32],
			100,
			Shard::ALL
		));
		assert_noop!(acknowledge(1, vec![deal]), Error::<Test>::NothingAcknowledged);
		// Slashed below the minimum bond.
		<FileStorage as SlashProvider<u64>>::slash(&1, Perbill::from_percent(50));
		assert_noop!(acknowledge(1, vec![deal]), Error::<Test>::BondTooLow);
		// Without parameters nothing is possible.
		Params::<Test>::kill();
		assert_noop!(acknowledge(2, vec![deal]), Error::<Test>::NotConfigured);
		Params::<Test>::put(params());
	});
}

#[test]
fn an_acknowledged_deal_lives_to_its_end_and_forgets_its_holders() {
	new_test_ext().execute_with(|| {
		acks_on();
		let deal = submit_file(1);
		provider(2, Shard::ALL);
		assert_ok!(acknowledge(2, vec![deal]));
		run_to(1 + ACK_WINDOW);
		assert!(Deals::<Test>::contains_key(deal));
		assert!(!events().iter().any(|e| matches!(e, Event::DealVoided { .. })));
		let end = Deals::<Test>::get(deal).unwrap().end;
		run_to(end);
		assert!(!Deals::<Test>::contains_key(deal));
		assert!(!Holders::<Test>::contains_key(deal));
		assert!(events().contains(&Event::DealExpired { deal, unclaimed: 40 }));
	});
}

/// The censorship attack: fill one block's deadlines with junk so that nobody else can
/// submit in that block. Deadlines spill over `ACK_DEADLINE_SLACK` blocks first.
#[test]
fn a_full_deadline_block_spills_into_the_next_before_submissions_are_refused() {
	new_test_ext().execute_with(|| {
		acks_on();
		// 3 deals per end (the mock's MaxExpiriesPerBlock), so that only deadlines bind.
		let room = 3 * ACK_DEADLINE_SLACK;
		for i in 0..room {
			let periods = 1 + i / 3;
			assert_ok!(FileStorage::submit(
				RuntimeOrigin::signed(1),
				submission(&file(1_000, i as u8), 1, periods, vec![])
			));
		}
		for extra in 0..ACK_DEADLINE_SLACK as u64 {
			assert_eq!(AckDeadlines::<Test>::get(1 + ACK_WINDOW + extra).len(), 3);
		}
		assert_noop!(
			FileStorage::submit(
				RuntimeOrigin::signed(1),
				submission(&file(1_000, 99), 1, 1 + room / 3, vec![])
			),
			Error::<Test>::TooManyNewDeals
		);
		// With acknowledgements off there is no deadline to bound.
		assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), params()));
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(1),
			submission(&file(1_000, 99), 1, 1 + room / 3, vec![])
		));
	});
}

/// Deadlines queued while acknowledgements were on do not void anything once governance
/// turns them off.
#[test]
fn turning_acknowledgements_off_voids_nothing_more() {
	new_test_ext().execute_with(|| {
		acks_on();
		let deal = submit_file(1);
		assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), params()));
		run_to(1 + ACK_WINDOW);
		assert!(Deals::<Test>::contains_key(deal));
		assert!(AckDeadlines::<Test>::iter().next().is_none());
	});
}

#[test]
fn the_ack_window_must_come_before_the_period_ends() {
	new_test_ext().execute_with(|| {
		for bad in [PERIOD - ACK_DEADLINE_SLACK as u64 + 1, PERIOD, PERIOD + 1] {
			assert_noop!(
				FileStorage::set_params(
					RuntimeOrigin::root(),
					StorageParams { ack_window: bad, ..params() }
				),
				Error::<Test>::InvalidParams
			);
		}
		let widest = StorageParams { ack_window: PERIOD - ACK_DEADLINE_SLACK as u64, ..params() };
		assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), widest));
	});
}

#[test]
fn a_shard_touches_a_deal_when_it_holds_one_of_its_segments() {
	use zerog_erasure::storage::{SECTORS_PER_SEGMENT as S, SEGMENT_SIZE};
	let seg = SEGMENT_SIZE as u64;
	let half = |id| Shard { id, count: 2 };
	// A 100-byte file in segment 3.
	assert!(half(1).touches(3 * S + 5, 100));
	assert!(!half(0).touches(3 * S + 5, 100));
	// Two segments from segment 3: both halves.
	assert!(half(0).touches(3 * S, 2 * seg));
	assert!(half(1).touches(3 * S, 2 * seg));
	// Segments 5..=7 of 4 shards: shard 0 (segment 8) not, shards 1..=3 yes.
	let quarter = |id| Shard { id, count: 4 };
	assert!(!quarter(0).touches(5 * S, 3 * seg));
	assert!((1..4).all(|id| quarter(id).touches(5 * S, 3 * seg)));
	// A file smaller than a segment is one segment, its first sector's, as nodes count it
	// (even when its padded flow span reaches into the next segment).
	assert!(!quarter(0).touches(4 * S - 256, seg / 2));
	assert!(quarter(3).touches(4 * S - 256, seg / 2));
	assert!(!Shard::ALL.touches(0, 0));
	assert!(Shard::ALL.touches(u64::MAX - 1, 1));
}

/// The race: the operator changes shard while the node acknowledges what it held under the
/// old one. Recorded under the new shard, it would get the provider checked on data it does
/// not have yet.
#[test]
fn an_acknowledgement_for_a_shard_the_provider_left_is_refused() {
	new_test_ext().execute_with(|| {
		acks_on();
		let deal = submit_file(1);
		provider(2, Shard::ALL);
		assert_ok!(FileStorage::set_shard(RuntimeOrigin::signed(2), Shard { id: 0, count: 2 }));
		assert_noop!(acknowledge_as(2, vec![deal], Shard::ALL), Error::<Test>::StaleShard);
		assert_ok!(acknowledge_as(2, vec![deal], Shard { id: 0, count: 2 }));
	});
}

/// The dodge: a provider that lost its data changes shard to drop the acknowledgements it
/// is checked on. Not while it is leaving, nor while an era that drew it is open.
#[test]
fn a_leaving_or_drawn_provider_keeps_its_shard() {
	use zerog_traits::ProviderRegistry;
	new_test_ext().execute_with(|| {
		provider(2, Shard::ALL);
		let other = Shard { id: 1, count: 2 };
		<FileStorage as ProviderRegistry<u64>>::hold_subject(&2);
		assert_noop!(
			FileStorage::set_shard(RuntimeOrigin::signed(2), other),
			Error::<Test>::UnderCheck
		);
		<FileStorage as ProviderRegistry<u64>>::release_subject(&2);
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(2)));
		assert_noop!(
			FileStorage::set_shard(RuntimeOrigin::signed(2), other),
			Error::<Test>::Unbonding
		);
	});
}

#[test]
fn the_v1_migration_adds_the_ack_parameters_and_keeps_every_deal() {
	new_test_ext().execute_with(|| {
		let deal = submit_file(1);
		let p = params();
		let old = crate::migrations::v1::ParamsV0 {
			price_per_sector: p.price_per_sector,
			period: p.period,
			max_replicas: p.max_replicas,
			max_periods: p.max_periods,
			max_file_size: p.max_file_size,
			min_bond: p.min_bond,
			unbonding_period: p.unbonding_period,
			max_shards: p.max_shards,
			epoch_length: p.epoch_length,
			target_answers: p.target_answers,
			max_answers: p.max_answers,
			reward_share: p.reward_share,
			base_reward: p.base_reward,
		};
		frame_support::storage::unhashed::put_raw(
			&Params::<Test>::hashed_key(),
			&codec::Encode::encode(&old),
		);
		StorageVersion::new(0).put::<FileStorage>();
		type Migrate = crate::migrations::v1::MigrateToV1<
			Test,
			frame_support::traits::ConstU64<ACK_WINDOW>,
			frame_support::traits::ConstU64<VOID_FEE>,
		>;
		type MigrateOn =
			crate::migrations::v2::MigrateToV2<Test, frame_support::traits::ConstU64<0>>;
		Migrate::on_runtime_upgrade();
		assert_eq!(FileStorage::on_chain_storage_version(), 1);
		MigrateOn::on_runtime_upgrade();
		let expected =
			StorageParams { ack_window: ACK_WINDOW, void_fee: VOID_FEE, kv_window: 0, ..params() };
		assert_eq!(Params::<Test>::get(), Some(expected.clone()));
		assert_eq!(FileStorage::on_chain_storage_version(), 2);
		assert!(Deals::<Test>::contains_key(deal));
		// A second run changes nothing.
		Params::<Test>::put(params());
		Migrate::on_runtime_upgrade();
		assert_eq!(Params::<Test>::get(), Some(params()));
		// Deals live before the upgrade have no deadline: never voided.
		run_to(30);
		assert!(Deals::<Test>::contains_key(deal));
	});
}

/// The acknowledgement invariants can fail: each case breaks one directly in storage.
#[test]
fn holders_and_deadlines_that_disagree_with_the_deals_are_caught() {
	use frame_support::assert_err;
	new_test_ext_unchecked().execute_with(|| {
		acks_on();
		let deal = submit_file(1);
		provider(2, Shard::ALL);
		assert_ok!(acknowledge(2, vec![deal]));
		assert_ok!(FileStorage::do_try_state());
		let twice = Holders::<Test>::get(deal)[0].clone();
		Holders::<Test>::mutate(deal, |holders| holders.try_push(twice).unwrap());
		assert_err!(
			FileStorage::do_try_state(),
			"A provider is listed twice among a deal's holders."
		);
		Holders::<Test>::mutate(deal, |holders| {
			holders.pop();
		});
		let kept = Holders::<Test>::get(deal);
		Holders::<Test>::insert(99, kept);
		assert_err!(FileStorage::do_try_state(), "A deal that is gone has holders.");
		Holders::<Test>::remove(99);
		AckDeadlines::<Test>::mutate(1 + ACK_WINDOW, |ids| ids.try_push(99).unwrap());
		assert_err!(FileStorage::do_try_state(), "A deadline names a deal that is gone.");
		AckDeadlines::<Test>::remove(1 + ACK_WINDOW);
		AckDeadlines::<Test>::insert(1, BoundedVec::try_from(vec![deal]).unwrap());
		assert_err!(
			FileStorage::do_try_state(),
			"An acknowledgement deadline has passed but is still queued."
		);
		let end = Deals::<Test>::get(deal).unwrap().end;
		AckDeadlines::<Test>::remove(1);
		AckDeadlines::<Test>::insert(end, BoundedVec::try_from(vec![deal]).unwrap());
		assert_err!(FileStorage::do_try_state(), "A deal's deadline is not before its end.");
	});
}
