//! KV data verdicts (issue 31, finding 8): the chain, not each KV node's clock, decides
//! whether a KV entry's data exists, so that every KV node applies the same entries.

use crate::{
	mock::*,
	pallet::*,
	tests::{events, file, submission},
	tests_holders::{acknowledge, provider, ACK_WINDOW},
	types::*,
};
use frame_support::{assert_noop, assert_ok, traits::Get, BoundedVec};
use zerog_erasure::storage::SEGMENT_SIZE;

/// Blocks a KV entry's data has to be acknowledged in full in these tests.
const KV_WINDOW: u64 = 3;
/// A stream.
const STREAM: StreamId = [7; 32];

/// Turns KV verdicts on (and acknowledgements with `acks`).
fn kv_on(acks: bool) {
	let ack_window = if acks { ACK_WINDOW } else { 0 };
	let p = StorageParams { kv_window: KV_WINDOW, ack_window, ..params() };
	assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), p));
}

/// Account 1 writes a KV entry of `len` bytes (seeded by `seed`) for one period.
fn write_entry(len: usize, seed: u8) -> DealId {
	let id = NextDealId::<Test>::get();
	let tags = vec![Tag::KvStream(STREAM)];
	assert_ok!(FileStorage::submit(
		RuntimeOrigin::signed(1),
		submission(&file(len, seed), 1, 1, tags)
	));
	id
}

fn decided(deal: DealId, available: bool) -> bool {
	events().contains(&Event::KvDataDecided { deal, available })
}

/// The attack: a writer submits a KV entry and uploads its bytes to one KV node only, or
/// late, or never. Before, each KV node applied or skipped the entry by its own timeout and
/// the nodes diverged; now the chain decides, the same for every node, and its decision is
/// final: an acknowledgement after the deadline does not turn it around.
#[test]
fn a_kv_entry_no_provider_acknowledged_is_unavailable_for_every_node_for_good() {
	new_test_ext().execute_with(|| {
		kv_on(false);
		let deal = write_entry(1_000, 1);
		let deadline = 1 + KV_WINDOW;
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Pending { deadline }));
		assert_eq!(KvDeadlines::<Test>::get(deadline).into_inner(), vec![deal]);
		run_to(deadline - 1);
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Pending { deadline }));
		run_to(deadline);
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Unavailable));
		assert!(decided(deal, false));
		assert!(KvDeadlines::<Test>::get(deadline).is_empty());
		// The bytes turn up later and a provider acknowledges them: the verdict stands.
		provider(2, Shard::ALL);
		assert_ok!(acknowledge(2, vec![deal]));
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Unavailable));
		assert!(!decided(deal, true));
	});
}

#[test]
fn an_entry_is_available_once_its_holders_cover_every_segment_and_not_before() {
	new_test_ext().execute_with(|| {
		kv_on(false);
		// Three segments: the even half holds 0 and 2, the odd half 1.
		let deal = write_entry(2 * SEGMENT_SIZE + 1, 2);
		provider(2, Shard { id: 0, count: 2 });
		provider(3, Shard { id: 1, count: 2 });
		assert_ok!(acknowledge(2, vec![deal]));
		assert!(matches!(KvVerdicts::<Test>::get(deal), Some(KvData::Pending { .. })));
		assert_ok!(acknowledge(3, vec![deal]));
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Available));
		assert!(decided(deal, true));
		// The deadline leaves an available entry as it is.
		run_to(1 + KV_WINDOW);
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Available));
		assert!(!decided(deal, false));
	});
}

#[test]
fn one_holder_of_a_single_segment_entry_makes_it_available_at_once() {
	new_test_ext().execute_with(|| {
		kv_on(false);
		let deal = write_entry(1_000, 3);
		// The entry's one segment is flow segment 0: the shard 1 of 2 holds none of it.
		provider(3, Shard { id: 1, count: 2 });
		assert_noop!(acknowledge(3, vec![deal]), Error::<Test>::NothingAcknowledged);
		provider(2, Shard { id: 0, count: 4 });
		assert_ok!(acknowledge(2, vec![deal]));
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Available));
	});
}

#[test]
fn verdicts_outlive_voided_and_expired_deals() {
	new_test_ext().execute_with(|| {
		kv_on(true);
		let unheld = write_entry(1_000, 4);
		let held = write_entry(1_000, 5);
		provider(2, Shard::ALL);
		assert_ok!(acknowledge(2, vec![held]));
		// The unheld deal is voided at its acknowledgement deadline, after its KV deadline.
		run_to(1 + ACK_WINDOW);
		assert!(!Deals::<Test>::contains_key(unheld));
		assert_eq!(KvVerdicts::<Test>::get(unheld), Some(KvData::Unavailable));
		// The held one ends with its period; KV nodes that start later still apply it.
		let end = Deals::<Test>::get(held).unwrap().end;
		run_to(end);
		assert!(!Deals::<Test>::contains_key(held));
		assert_eq!(KvVerdicts::<Test>::get(held), Some(KvData::Available));
	});
}

#[test]
fn no_verdict_without_a_kv_window_or_for_a_file_that_is_no_kv_entry() {
	new_test_ext().execute_with(|| {
		let before = write_entry(1_000, 6);
		assert_eq!(KvVerdicts::<Test>::get(before), None);
		kv_on(false);
		let plain = NextDealId::<Test>::get();
		let app = vec![Tag::App([1; 32])];
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(1),
			submission(&file(1_000, 7), 1, 1, app)
		));
		assert_eq!(KvVerdicts::<Test>::get(plain), None);
		assert!(KvDeadlines::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_kv_entry_pays_for_its_verdict_as_a_permanent_record() {
	new_test_ext().execute_with(|| {
		let s = submission(&file(1_000, 8), 1, 1, vec![Tag::KvStream(STREAM)]);
		let (records, bytes) = FileStorage::new_records(&1, 0, &s, false);
		let (with_verdict, verdict_bytes) = FileStorage::new_records(&1, 0, &s, true);
		assert_eq!(with_verdict, records + 1);
		// A `Twox64Concat` key of the deal (32 + 8 + 8 bytes) and the verdict at its largest.
		assert_eq!(verdict_bytes - bytes, 48 + 9);
		kv_on(false);
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), s));
		let paid = events().into_iter().find_map(|e| match e {
			Event::FileSubmitted { record_fee, .. } => Some(record_fee),
			_ => None,
		});
		assert_eq!(paid, Some(FileStorage::record_fee(with_verdict, verdict_bytes).unwrap()));
	});
}

#[test]
fn full_kv_deadlines_spill_into_the_next_blocks_then_refuse_with_nothing_written() {
	new_test_ext().execute_with(|| {
		kv_on(false);
		let max: u32 = <<Test as Config>::MaxExpiriesPerBlock as Get<u32>>::get();
		let first = 1 + KV_WINDOW;
		for extra in 0..ACK_DEADLINE_SLACK as u64 {
			let full: Vec<DealId> = (0..max as u64).map(|i| 1_000 + i).collect();
			// Queued verdicts of deals never opened: only the queue's length matters here.
			KvDeadlines::<Test>::insert(first + extra, BoundedVec::try_from(full).unwrap());
		}
		let next = NextDealId::<Test>::get();
		let tags = vec![Tag::KvStream(STREAM)];
		assert_noop!(
			FileStorage::submit(RuntimeOrigin::signed(1), submission(&file(1_000, 10), 1, 1, tags)),
			Error::<Test>::TooManyNewDeals
		);
		assert_eq!(NextDealId::<Test>::get(), next);
		// With room in the last block of the slack, the deadline falls there.
		KvDeadlines::<Test>::mutate(first + ACK_DEADLINE_SLACK as u64 - 1, |due| {
			due.pop();
		});
		let deal = write_entry(1_000, 10);
		let deadline = first + ACK_DEADLINE_SLACK as u64 - 1;
		assert_eq!(KvVerdicts::<Test>::get(deal), Some(KvData::Pending { deadline }));
		// Leave the invariants whole: drop the fake queue entries.
		for extra in 0..ACK_DEADLINE_SLACK as u64 {
			KvDeadlines::<Test>::mutate(first + extra, |due| due.retain(|d| *d == deal));
		}
	});
}

#[test]
fn a_kv_window_that_would_end_after_the_deal_is_refused() {
	new_test_ext().execute_with(|| {
		let widest = PERIOD - ACK_DEADLINE_SLACK as u64;
		let ok = StorageParams { kv_window: widest, ..params() };
		assert_ok!(FileStorage::set_params(RuntimeOrigin::root(), ok));
		let bad = StorageParams { kv_window: widest + 1, ..params() };
		assert_noop!(
			FileStorage::set_params(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidParams
		);
	});
}

/// `covers` against a segment-by-segment check of every file place and shard set small
/// enough to enumerate.
#[test]
fn covers_agrees_with_checking_every_segment() {
	let shards: Vec<Shard> = [1u32, 2, 4, 8]
		.iter()
		.flat_map(|&count| (0..count).map(move |id| Shard { id, count }))
		.collect();
	let segment = zerog_erasure::storage::SECTORS_PER_SEGMENT;
	let mut checked = 0;
	for a in 0..shards.len() {
		for b in a..shards.len() {
			for c in b..shards.len() {
				let set = [shards[a], shards[b], shards[c]];
				for first in 0..9u64 {
					for segments in 1..12u64 {
						let size = (segments - 1) * SEGMENT_SIZE as u64 + 1;
						let brute = (first..first + segments)
							.all(|s| set.iter().any(|shard| shard.holds(s)));
						assert_eq!(
							FileStorage::covers(&set, first * segment, size),
							brute,
							"{set:?} from segment {first}, {segments} segments"
						);
						checked += 1;
					}
				}
			}
		}
	}
	assert!(checked > 10_000);
	assert!(!FileStorage::covers(&[], 0, 1));
}

/// The verdict invariants can fail: each case breaks one directly in storage.
#[test]
fn verdicts_and_deadlines_that_disagree_are_caught() {
	use frame_support::assert_err;
	new_test_ext_unchecked().execute_with(|| {
		kv_on(false);
		let deal = write_entry(1_000, 11);
		let deadline = 1 + KV_WINDOW;
		assert_ok!(FileStorage::do_try_state());
		KvDeadlines::<Test>::remove(deadline);
		assert_err!(
			FileStorage::do_try_state(),
			"A pending KV verdict is not queued at its deadline."
		);
		KvDeadlines::<Test>::insert(deadline, BoundedVec::try_from(vec![deal]).unwrap());
		KvVerdicts::<Test>::insert(deal, KvData::Unavailable);
		assert_err!(
			FileStorage::do_try_state(),
			"A KV deadline names a verdict that is neither pending then nor available."
		);
		KvVerdicts::<Test>::insert(deal, KvData::Pending { deadline: 1 });
		KvDeadlines::<Test>::remove(deadline);
		KvDeadlines::<Test>::insert(1, BoundedVec::try_from(vec![deal]).unwrap());
		assert_err!(FileStorage::do_try_state(), "A KV verdict is pending past its deadline.");
		KvDeadlines::<Test>::remove(1);
		KvVerdicts::<Test>::insert(deal, KvData::Available);
		assert_ok!(FileStorage::do_try_state());
		KvVerdicts::<Test>::insert(99, KvData::Available);
		assert_err!(FileStorage::do_try_state(), "A KV verdict names a deal never opened.");
	});
}
