//! PoRA end to end: a dev chain with 5-block mining epochs and 20-block pricing periods;
//! Alice, the genesis provider of the whole flow, stores a file; her node's miner finds wins
//! over it, proves them against the epoch's flow root and is paid, visible in her balance.
//! A second file bought for one period is deleted from the node's store when its deal ends.

use crate::common::{tx, Node};
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use std::{path::Path, time::Duration};
use zerog_runtime::RuntimeEvent;

/// The dev spec with 5-block epochs and pricing that releases fees within minutes.
fn chain_spec(dir: &Path) -> String {
	let (ok, out, err) = Node::run_cli(&["build-spec", "--chain", "dev"]);
	assert!(ok, "build-spec failed: {err}");
	let mut spec: serde_json::Value = serde_json::from_str(&out).unwrap();
	let params = &mut spec["genesis"]["runtimeGenesis"]["patch"]["fileStorage"]["params"];
	params["epochLength"] = json!(5);
	params["period"] = json!(20);
	// Acknowledgements must come within a period (less the 4-block deadline slack).
	params["ackWindow"] = json!(12);
	params["pricePerSector"] = json!(100_000_000_000_000u64);
	let path = dir.join("dev-fast-pora.json");
	std::fs::write(&path, spec.to_string()).unwrap();
	path.display().to_string()
}

#[test]
fn a_provider_wins_pora_rewards_over_its_stored_file() {
	let _load = crate::common::load::dev_node();
	let files = tempfile::tempdir().unwrap();
	let spec = chain_spec(files.path());
	let node = Node::start(
		"storage-pora",
		&["--chain", &spec, "--alice", "--storage-provider", "--pora-cpu", "50"],
		true,
	);
	let alice = Sr25519Keyring::Alice.to_account_id();

	let input = files.path().join("file.bin");
	std::fs::write(&input, zerog_cli::sample::random_blob(8 << 20, 31)).unwrap();
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"upload",
		input.to_str().unwrap(),
		"--replicas",
		"1",
		"--duration",
		"4",
		"--suri",
		"//Alice",
		"--rpc",
		&node.rpc_url(),
		"--json",
	]);
	assert!(ok, "storage upload failed: {err}\n{}", crate::common::tail(&node.log()));
	eprintln!("{}", out.trim());
	let from = node.best_number();
	let balance_before = tx::free_balance(&node.rpc, &alice, None);

	// Wins come within a few epochs, each paid from the deal's released fees once the node
	// has acknowledged the deal.
	let mut rewards = Vec::new();
	let mut scanned = from;
	node.wait_for("a PoRA reward", Duration::from_secs(120), |n| {
		let best = n.best_number();
		for number in scanned + 1..=best {
			for event in tx::events(&n.rpc, tx::block_hash(&n.rpc, number)) {
				if let RuntimeEvent::FileStorage(pallet_storage::Event::PoraRewarded {
					who,
					share,
					base,
					epoch,
					deal,
					..
				}) = event
				{
					assert_eq!(who, alice);
					// Only a unit of a deal earns (issue 33): never flow padding.
					assert!(deal.is_some(), "a win without a deal was paid in block {number}");
					rewards.push((number, epoch, share + base));
				}
			}
		}
		scanned = best;
		// The node sends a win only once it has acknowledged the deal; the reserve is empty
		// on a new chain, so a win is paid from the deal's fees.
		rewards.iter().any(|r| r.2 > 0)
	});
	eprintln!("PoRA rewards (block, epoch, amount): {rewards:?}");
	let paid: u128 = rewards.iter().map(|r| r.2).sum();
	assert!(paid > 0, "a win is paid from the deal's fees");
	let balance_after =
		tx::free_balance(&node.rpc, &alice, Some(tx::block_hash(&node.rpc, scanned)));
	assert!(
		balance_after > balance_before,
		"Alice's balance went from {balance_before} to {balance_after} with {paid} of rewards"
	);
	assert!(node.metric("zerog_storage_pora_tries_total").unwrap_or(0.0) > 0.0);
	assert!(node.metric("zerog_storage_pora_wins_total").unwrap_or(0.0) >= 1.0);
	assert!(
		!node.log().contains("does not match the chain's root"),
		"{}",
		crate::common::tail(&node.log())
	);

	// A file paid for one period (20 blocks) leaves the store when its deal expires.
	let short = files.path().join("short.bin");
	std::fs::write(&short, zerog_cli::sample::random_blob(1 << 20, 32)).unwrap();
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"upload",
		short.to_str().unwrap(),
		"--duration",
		"1",
		"--suri",
		"//Alice",
		"--rpc",
		&node.rpc_url(),
		"--json",
	]);
	assert!(ok, "storage upload failed: {err}");
	let root = serde_json::from_str::<serde_json::Value>(out.trim()).unwrap()["root"]
		.as_str()
		.unwrap()
		.to_string();
	assert_eq!(node.rpc.call("storage_fileInfo", json!([root])).unwrap()["localSegments"], 4);
	node.wait_for("the expired file deleted", Duration::from_secs(90), |n| {
		n.rpc.call("storage_fileInfo", json!([root])).is_err()
	});
}
