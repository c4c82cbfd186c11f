//! Two KV nodes on the dev chain agree on every entry whatever their timeouts and whenever
//! an entry's data reaches them (issue 31, finding 8). Alice (`--dev`: validator, storage
//! provider, KV node waiting an hour for data) and Dave (a KV node of the same chain, no
//! provider, waiting 5 seconds). A writer submits an entry and uploads its bytes to Alice only
//! 8 seconds later, and submits another entry whose bytes never come. Before verdicts Dave
//! skipped the first (his timeout passed) while Alice applied it: two KV nodes, two states.
//! Now the chain decides: both apply the first (a provider acknowledged it in time) and skip
//! the second with the chain's reason, and Dave, restarted with an empty KV database, replays
//! to the same state.

use crate::common::Node;
use serde_json::{json, Value};
use std::time::Duration;
use zerog_cli::kv::client::stream_id;
use zerog_erasure::kv::KvEntry;

const STREAM: &str = "kv-network-stream";

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A KV entry that writes `value` at `key`.
fn entry(key: &str, value: &str) -> Vec<u8> {
	KvEntry {
		writes: vec![(stream_id(STREAM), key.as_bytes().to_vec(), value.as_bytes().to_vec())],
		..Default::default()
	}
	.encode()
	.unwrap()
}

/// Alice submits the deal of KV entry `bytes` for `stream` through `node` without uploading
/// it; returns the deal id.
pub(crate) fn submit_without_upload(node: &Node, stream: &str, bytes: &[u8]) -> u64 {
	let chain = node.rpc.with(|chain| Ok(chain.clone())).unwrap();
	let alice = sp_core::Pair::from_string("//Alice", None).unwrap();
	let tree = zerog_erasure::FileTree::new(bytes).unwrap();
	let tags = vec![pallet_storage::Tag::KvStream(stream_id(stream))];
	let progress = zerog_cli::progress::Progress::new();
	let deal = next_deal_id(node);
	zerog_cli::storage::client::submit_deal(
		&chain,
		&alice,
		&tree,
		tags,
		1,
		1,
		Duration::from_secs(60),
		&progress,
	)
	.unwrap();
	deal
}

/// The id the next deal gets (nobody else submits in this test).
fn next_deal_id(node: &Node) -> u64 {
	use codec::Decode;
	let key = pallet_storage::NextDealId::<zerog_runtime::Runtime>::hashed_key();
	let value = node.rpc.call("state_getStorage", json!([hex(&key)])).unwrap();
	if value.is_null() {
		return 0;
	}
	u64::decode(&mut &crate::common::rpc::from_hex(&value)[..]).unwrap()
}

fn outcome(node: &Node, deal: u64) -> Value {
	node.rpc.call("kv_entry", json!([deal])).unwrap()
}

fn decided(node: &Node, deal: u64) -> bool {
	!outcome(node, deal).is_null()
}

fn value(node: &Node, key: &str) -> Value {
	let stream = hex(&stream_id(STREAM));
	node.rpc.call("kv_get", json!([stream, hex(key.as_bytes()), null])).unwrap()["value"].clone()
}

#[test]
fn kv_nodes_with_different_timeouts_agree_on_a_late_upload_and_a_lost_one() {
	let _load = crate::common::load::network();
	let alice = Node::start("kv-alice", &["--dev", "--kv", "--kv-entry-timeout", "3600"], false);
	let boot = alice.multiaddr();
	let dave = Node::start(
		"kv-dave",
		&["--chain", "dev", "--kv", "--kv-entry-timeout", "5", "--bootnodes", &boot],
		false,
	);
	for node in [&alice, &dave] {
		node.wait_for("a peer", Duration::from_secs(60), |n| {
			n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(0) >= 1
		});
	}

	// The late upload: the deal first, its bytes 8 seconds later (past Dave's timeout, well
	// within the chain's 20-second KV window), to Alice only.
	let late = entry("late", "arrived");
	let late_deal = submit_without_upload(&alice, STREAM, &late);
	std::thread::sleep(Duration::from_secs(8));
	let chain = alice.rpc.with(|chain| Ok(chain.clone())).unwrap();
	let tree = zerog_erasure::FileTree::new(&late).unwrap();
	zerog_cli::storage::client::send_segments(
		&chain,
		&late,
		&tree,
		&zerog_cli::progress::Progress::new(),
	)
	.unwrap();
	// The lost upload: never sent anywhere.
	let lost_deal = submit_without_upload(&alice, STREAM, &entry("lost", "never"));

	for node in [&alice, &dave] {
		node.wait_for("both entries decided", Duration::from_secs(120), |n| {
			decided(n, late_deal) && decided(n, lost_deal)
		});
	}
	for (name, node) in [("Alice", &alice), ("Dave", &dave)] {
		assert_eq!(outcome(node, late_deal)["outcome"], "applied", "{name}");
		assert_eq!(value(node, "late"), hex(b"arrived"));
		let lost = outcome(node, lost_deal);
		assert_eq!(lost["outcome"], "skipped", "{lost}");
		assert_eq!(lost["reason"], zerog_storage_service::kv_replay::UNAVAILABLE);
	}
	let info = |n: &Node| n.rpc.call("kv_info", json!([])).unwrap();
	assert_eq!(info(&alice), info(&dave));

	// Dave starts over with an empty KV database: he replays the log to the same state
	// (the late entry's bytes come from Alice; the lost one is skipped without asking).
	dave.stop();
	let kv = dave.base_path().join("chains").join("zerog_dev").join("kv");
	assert!(kv.is_dir(), "Dave's KV database is at {}", kv.display());
	std::fs::remove_dir_all(&kv).unwrap();
	dave.restart();
	let expected = info(&alice);
	dave.wait_for("the replay", Duration::from_secs(120), |n| info(n) == expected);
	assert_eq!(outcome(&dave, late_deal), outcome(&alice, late_deal));
	assert_eq!(outcome(&dave, lost_deal), outcome(&alice, lost_deal));
	assert_eq!(value(&dave, "late"), hex(b"arrived"));
}
