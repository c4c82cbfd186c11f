//! The KV layer end to end on a `--dev --kv` node: two writers (the second granted by the
//! stream's admin) and a reader, an ACL denial for a non-writer, reads at versions, ordered
//! iteration, a lost upload skipped once the chain decides its data unavailable (not on the
//! node's timeout) without blocking later writes, and the database surviving a restart.

use crate::common::Node;
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;
use zerog_cli::kv::client::stream_id;
use zerog_erasure::kv::KvEntry;

const STREAM: &str = "kv-dev-stream";

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// `kv put` (or `kv grant`) through the CLI: (succeeded, its JSON).
fn write(node: &Node, args: &[&str], suri: &str) -> (bool, Value) {
	let mut all = vec!["kv"];
	all.extend(args);
	let url = node.rpc_url();
	all.extend(["--suri", suri, "--rpc", &url, "--json"]);
	let (ok, out, err) = Node::run_cli(&all);
	let value = serde_json::from_str(out.trim())
		.unwrap_or_else(|_| panic!("no JSON from {args:?}: {out}\n{err}"));
	(ok, value)
}

fn get(node: &Node, key: &str, version: Option<u64>) -> Value {
	let stream = hex(&stream_id(STREAM));
	node.rpc.call("kv_get", json!([stream, hex(key.as_bytes()), version])).unwrap()
}

fn value_of(found: &Value) -> String {
	let bytes = hex::decode(found["value"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	String::from_utf8(bytes).unwrap()
}

#[test]
fn kv_node_replays_writers_acl_versions_and_skips_a_lost_upload() {
	let _load = crate::common::load::dev_node();
	// A timeout far longer than the test: entries are decided by the chain's verdicts.
	let node = Node::start("kv-dev", &["--dev", "--kv", "--kv-entry-timeout", "3600"], false);

	// Alice writes first: the stream is created with her as admin.
	let (ok, first) = write(&node, &["put", STREAM, "greeting", "hello"], "//Alice");
	assert!(ok, "{first}");
	let v_hello = first["entry"]["version"].as_u64().unwrap();

	// Bob is no writer yet: denied, nothing written.
	let (ok, denied) = write(&node, &["put", STREAM, "bob", "1"], "//Bob");
	assert!(!ok);
	assert_eq!(denied["entry"]["outcome"], "rejected", "{denied}");
	assert!(denied["entry"]["reason"].as_str().unwrap().contains("may not write"), "{denied}");
	assert!(get(&node, "bob", None).is_null());

	// Alice grants Bob; now both write.
	let bob = Sr25519Keyring::Bob.to_account_id().to_string();
	let (ok, granted) = write(&node, &["grant", STREAM, &bob], "//Alice");
	assert!(ok, "{granted}");
	let v_grant = granted["entry"]["version"].as_u64().unwrap();
	let (ok, bob_put) = write(&node, &["put", STREAM, "bob", "2"], "//Bob");
	assert!(ok, "{bob_put}");
	let (ok, _) = write(&node, &["put", STREAM, "greeting", "hi"], "//Alice");
	assert!(ok);

	// The reader sees the latest values, and older ones at their versions.
	assert_eq!(value_of(&get(&node, "greeting", None)), "hi");
	assert_eq!(value_of(&get(&node, "greeting", Some(v_hello))), "hello");
	assert_eq!(get(&node, "greeting", Some(v_hello))["version"], v_hello);
	assert!(get(&node, "bob", Some(v_grant)).is_null(), "Bob's value came after the grant");
	assert_eq!(value_of(&get(&node, "bob", None)), "2");

	// A write based on a stale read is refused (optimistic concurrency).
	let (ok, stale) = write(
		&node,
		&["put", STREAM, "bob", "3", "--read", "greeting", "--based-on", &v_hello.to_string()],
		"//Bob",
	);
	assert!(!ok);
	assert!(stale["entry"]["reason"].as_str().unwrap().contains("read conflict"), "{stale}");

	// A KV entry whose file is never uploaded: no provider acknowledges it, the chain decides
	// it unavailable after `kv_window` (10 blocks on dev) and the node skips it with the
	// chain's reason, the same on every KV node; later writes apply.
	let entry = KvEntry {
		writes: vec![(stream_id(STREAM), b"lost".to_vec(), b"never".to_vec())],
		..Default::default()
	}
	.encode()
	.unwrap();
	let lost = crate::kv_network::submit_without_upload(&node, STREAM, &entry);
	let (ok, after) = write(&node, &["put", STREAM, "after", "ok"], "//Alice");
	assert!(ok, "{after}");
	let info = node.rpc.call("kv_info", json!([])).unwrap();
	assert_eq!(info["skipped"], 1, "{info}");
	assert_eq!(info["rejected"], 2, "{info}");
	assert_eq!(value_of(&get(&node, "after", None)), "ok");
	assert!(get(&node, "lost", None).is_null());
	let skipped = node.rpc.call("kv_entry", json!([lost])).unwrap();
	assert_eq!(skipped["outcome"], "skipped", "{skipped}");
	assert_eq!(
		skipped["reason"],
		zerog_storage_service::kv_replay::UNAVAILABLE,
		"the chain's reason, not this node's: {skipped}"
	);

	// Ordered iteration.
	let stream = hex(&stream_id(STREAM));
	let key_of = |v: Value| {
		String::from_utf8(hex::decode(v["key"].as_str().unwrap().trim_start_matches("0x")).unwrap())
			.unwrap()
	};
	assert_eq!(key_of(node.rpc.call("kv_first", json!([stream, null])).unwrap()), "after");
	assert_eq!(key_of(node.rpc.call("kv_last", json!([stream, null])).unwrap()), "greeting");
	assert_eq!(
		key_of(node.rpc.call("kv_next", json!([stream, hex(b"after"), null])).unwrap()),
		"bob"
	);
	assert_eq!(
		key_of(node.rpc.call("kv_prev", json!([stream, hex(b"greeting"), null])).unwrap()),
		"bob"
	);
	let url = node.rpc_url();
	let (ok, listed, _) = Node::run_cli(&["kv", "iter", STREAM, "--rpc", &url]);
	assert!(ok);
	assert_eq!(listed.lines().count(), 3, "{listed}");

	// The database survives a restart.
	node.restart();
	node.wait_for("the KV database", Duration::from_secs(30), |n| {
		n.rpc.call("kv_info", json!([])).map(|i| i["applied"] == 5).unwrap_or(false)
	});
	assert_eq!(value_of(&get(&node, "greeting", None)), "hi");
}
