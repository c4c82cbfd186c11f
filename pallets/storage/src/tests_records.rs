//! Record fees: a submission pays for every permanent record it writes (issue 31, finding 7).
//!
//! The attack: junk deals of one sector, each with the most KV tags, that write records the
//! chain keeps forever (flow appends, KV log entries, stream admins and writers) for the
//! price of one sector.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect, BoundedVec};
use zerog_erasure::storage::FileTree;

/// The prefix of every key: the `twox128` of the pallet and of the item.
const PREFIX: u64 = 32;
/// A key of `FlowAppends` or `KvLog` (`Twox64Concat` of a u64).
const INDEX_KEY: u64 = PREFIX + 16;
/// A one-sector file's flow append: first sector 8, one subtree 1 + 36.
const APPEND: u64 = INDEX_KEY + 8 + 1 + 36;
/// A KV log entry: stream 32, deal 8, writer 8, root 32, size 8.
const LOG_ENTRY: u64 = INDEX_KEY + 32 + 8 + 8 + 32 + 8;
/// A stream admin: the stream and the admin.
const ADMIN: u64 = PREFIX + 32 + 8;
/// A stream writer: the stream and the writer's `Blake2_128Concat` key.
const WRITER: u64 = PREFIX + 32 + 16 + 8;

/// A one-sector submission for one period and one replica (deal fee 1), tagged `tags`.
fn one_sector(seed: u8, tags: Vec<Tag>) -> SubmissionOf<Test> {
	let tree = FileTree::new(&[seed]).unwrap();
	Submission {
		root: tree.root(),
		size: 1,
		subtrees: BoundedVec::try_from(tree.flow_subtrees()).unwrap(),
		tags: BoundedVec::try_from(tags).unwrap(),
		replicas: 1,
		periods: 1,
	}
}

fn streams(ids: &[u8]) -> Vec<Tag> {
	ids.iter().map(|i| Tag::KvStream([*i; 32])).collect()
}

/// What `records` records of `bytes` bytes cost in the mock (10 a record, 1 a byte).
fn cost(records: u64, bytes: u64) -> u64 {
	records * RECORD_FEE_PER_ITEM + bytes
}

#[test]
fn junk_kv_tags_pay_for_every_permanent_record_they_write() {
	new_test_ext().execute_with(|| {
		let before = Balances::balance(&3);
		// Four new streams: an append, four log entries, four admins, four writers.
		assert_ok!(FileStorage::submit(
			RuntimeOrigin::signed(3),
			one_sector(1, streams(&[1, 2, 3, 4]))
		));
		let records = cost(13, APPEND + 4 * (LOG_ENTRY + ADMIN + WRITER));
		let deal_fee = 1;
		assert_eq!(before - Balances::balance(&3), deal_fee + records, "the old price was 1");
		assert_eq!(Balances::balance(&TREASURY), records);
		assert_eq!(
			FileStorage::record_fee(13, (APPEND + 4 * (LOG_ENTRY + ADMIN + WRITER)) as u32).ok(),
			Some(records)
		);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::FileStorage(Event::FileSubmitted { record_fee, fee: 1, .. })
				if record_fee == records
		)));
	});
}

#[test]
fn a_known_writer_pays_only_for_its_new_log_entry() {
	new_test_ext().execute_with(|| {
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), one_sector(1, streams(&[7]))));
		// Account 2 writes to the stream account 1 created: a log entry and a writer.
		let treasury = Balances::balance(&TREASURY);
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(2), one_sector(2, streams(&[7]))));
		assert_eq!(Balances::balance(&TREASURY) - treasury, cost(3, APPEND + LOG_ENTRY + WRITER));
		// Account 1 again: the append and the log entry only.
		let treasury = Balances::balance(&TREASURY);
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), one_sector(3, streams(&[7]))));
		assert_eq!(Balances::balance(&TREASURY) - treasury, cost(2, APPEND + LOG_ENTRY));
	});
}

#[test]
fn a_stream_tagged_twice_pays_two_log_entries_and_one_admin_and_writer() {
	new_test_ext().execute_with(|| {
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), one_sector(1, streams(&[5, 5]))));
		assert_eq!(KvLogCount::<Test>::get(), 2);
		assert_eq!(Balances::balance(&TREASURY), cost(5, APPEND + 2 * LOG_ENTRY + ADMIN + WRITER));
	});
}

#[test]
fn app_tags_write_no_record_and_pay_none() {
	new_test_ext().execute_with(|| {
		let tags = vec![Tag::App([1; 32]), Tag::App([2; 32])];
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), one_sector(1, tags)));
		assert_eq!(Balances::balance(&TREASURY), cost(1, APPEND));
	});
}

#[test]
fn a_submitter_who_cannot_pay_for_the_records_is_refused_and_nothing_is_written() {
	new_test_ext().execute_with(|| {
		// Account 4 holds 150: the deal fee (1) but not the records of four streams.
		assert_noop!(
			FileStorage::submit(RuntimeOrigin::signed(4), one_sector(1, streams(&[1, 2, 3, 4]))),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(Balances::balance(&TREASURY), 0);
		assert_eq!(FlowAppendCount::<Test>::get(), 0);
		// Without tags it can pay for its one record.
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(4), one_sector(1, vec![])));
		assert_eq!(Balances::balance(&4), 150 - 1 - cost(1, APPEND));
	});
}

#[test]
fn record_fees_leave_issuance_unchanged_when_they_fund_an_account() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), one_sector(1, streams(&[1]))));
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn the_bytes_charged_are_the_keys_and_values_written() {
	new_test_ext().execute_with(|| {
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(2), one_sector(9, streams(&[8]))));
		// Account 1: a new stream (admin and writer), a known one (writer only), twice.
		let s = one_sector(1, streams(&[1, 8, 8]));
		let deal = NextDealId::<Test>::get();
		let (records, bytes) = FileStorage::new_records(&1, deal, &s, false);
		assert_ok!(FileStorage::submit(RuntimeOrigin::signed(1), s));
		let append = FlowAppendCount::<Test>::get() - 1;
		let key_and_value = |key: Vec<u8>| {
			let value = sp_io::storage::get(&key).expect("written").len();
			key.len() + value
		};
		let log = KvLogCount::<Test>::get();
		let written = key_and_value(FlowAppends::<Test>::hashed_key_for(append))
			+ (log - 3..log)
				.map(|i| key_and_value(KvLog::<Test>::hashed_key_for(i)))
				.sum::<usize>()
			+ key_and_value(StreamAdmins::<Test>::hashed_key_for([1; 32]))
			+ key_and_value(StreamWriters::<Test>::hashed_key_for([1; 32], 1u64))
			+ key_and_value(StreamWriters::<Test>::hashed_key_for([8; 32], 1u64));
		assert_eq!((records, bytes as usize), (7, written));
	});
}
