//! DA on a network of four validators, all DA operators (`testnet` genesis, with sampling
//! challenges every few blocks): a blob becomes available with its chunks spread over the
//! committee; with two nodes stopped (the submitter among them) it is still rebuilt from
//! the chunks left; a member the submitter never served rebuilds its share within the
//! repair window, from the other members' chunks alone; a member that lost its chunks after
//! that misses its sampling challenge and is slashed, while members that hold theirs answer.

use crate::common::{da_challengeable, tx, Node};
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use std::{path::Path, time::Duration};
use zerog_runtime::RuntimeEvent;

/// The testnet chain spec with challenges every 6 blocks (16 per round, 4 blocks to answer).
fn chain_spec(dir: &Path) -> String {
	let (ok, out, err) = Node::run_cli(&["build-spec", "--chain", "testnet"]);
	assert!(ok, "build-spec failed: {err}");
	let mut spec: serde_json::Value = serde_json::from_str(&out).unwrap();
	let params = &mut spec["genesis"]["runtimeGenesis"]["patch"]["da"]["params"];
	params["challengePeriod"] = json!(6);
	params["challengesPerRound"] = json!(16);
	params["answerWindow"] = json!(4);
	let path = dir.join("testnet-fast-challenges.json");
	std::fs::write(&path, spec.to_string()).unwrap();
	path.display().to_string()
}

/// Removes the node's chunk store (as a lost disk would).
fn wipe_chunks(node: &Node) {
	for chain in std::fs::read_dir(node.base_path().join("chains")).unwrap() {
		let _ = std::fs::remove_dir_all(chain.unwrap().path().join("da"));
	}
}

/// Submits `data` through `node` with the CLI; returns the blob id once it is available.
fn submit(node: &Node, dir: &Path, data: &[u8], name: &str) -> u64 {
	let input = dir.join(name);
	std::fs::write(&input, data).unwrap();
	let (ok, out, err) = Node::run_cli(&[
		"da",
		"submit",
		input.to_str().unwrap(),
		"--suri",
		"//Ferdie",
		"--rpc",
		&node.rpc_url(),
		"--json",
	]);
	assert!(ok, "da submit failed: {err}\n{}", crate::common::tail(&node.log()));
	let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	eprintln!("{} byte blob on the operators: {report}", data.len());
	report["id"].as_u64().unwrap()
}

fn local_chunks(node: &Node, id: u64) -> u64 {
	node.rpc.call("da_blobStatus", json!([id])).unwrap()["localChunks"]
		.as_u64()
		.unwrap()
}

#[test]
fn four_operators_keep_a_blob_available_and_a_member_without_chunks_is_slashed() {
	let _load = crate::common::load::network();
	let files = tempfile::tempdir().unwrap();
	let spec = chain_spec(files.path());
	// Each node dials every node started before it: a full mesh without discovery.
	let start = |name: &str, key: &str, earlier: &[&Node]| {
		let boot: Vec<String> = earlier.iter().map(|n| n.multiaddr()).collect();
		let mut args = vec!["--chain", spec.as_str(), key, "--da-operator", "--allow-private-ip"];
		if !boot.is_empty() {
			args.push("--bootnodes");
			args.extend(boot.iter().map(String::as_str));
		}
		Node::start(name, &args, false)
	};
	let alice = start("alice", "--alice", &[]);
	let bob = start("bob", "--bob", &[&alice]);
	let charlie = start("charlie", "--charlie", &[&alice, &bob]);
	let dave = start("dave", "--dave", &[&alice, &bob, &charlie]);
	let nodes = [&alice, &bob, &charlie, &dave];
	for node in nodes {
		node.wait_for("three peers", Duration::from_secs(90), |n| {
			n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(0) >= 3
		});
	}

	// An 8 MiB blob submitted to Alice becomes available; every member holds its share.
	let data = zerog_cli::sample::random_blob(8 << 20, 11);
	let id = submit(&alice, files.path(), &data, "blob.bin");
	assert_eq!(local_chunks(&alice, id), 3072, "the submitter keeps every chunk");
	for node in [&bob, &charlie, &dave] {
		node.wait_for("its share of chunks", Duration::from_secs(60), |n| local_chunks(n, id) > 0);
	}

	// Stop Alice (who has every chunk) and Bob: Charlie rebuilds from his and Dave's.
	alice.stop();
	bob.stop();
	let held = local_chunks(&charlie, id) + local_chunks(&dave, id);
	assert!(held >= 1024, "Charlie and Dave hold {held} chunks");
	let started = std::time::Instant::now();
	let rebuilt = charlie.rpc.call("da_getBlob", json!([id])).unwrap();
	let took = started.elapsed();
	assert!(crate::common::rpc::from_hex(&rebuilt) == data, "the rebuilt blob differs");
	eprintln!(
		"rebuilt 8 MiB on Charlie ({} chunks local, the rest from Dave) in {took:?}",
		local_chunks(&charlie, id)
	);

	// Bring Alice and Bob back. Dave is away while a second blob is certified without him;
	// then its submitter, Bob, the only node with Dave's share, goes away too.
	alice.restart();
	bob.restart();
	dave.stop();
	let second = zerog_cli::sample::random_blob(2 << 20, 12);
	let id2 = submit(&bob, files.path(), &second, "second.bin");
	bob.stop();
	assert!(!da_challengeable(&charlie, id2), "the repair window is still open");
	// Dave's worker finds no peer with his share (Alice and Charlie hold only theirs), so
	// his node rebuilds the blob from their chunks and stores his share, before any
	// challenge can reach him.
	dave.restart();
	let started = std::time::Instant::now();
	dave.wait_for("Dave to repair his share", Duration::from_secs(50), |n| {
		// "unknown blob" until Dave has caught up.
		n.rpc.call("da_blobStatus", json!([id2])).is_ok_and(|s| s["localChunks"] == 768)
	});
	eprintln!("Dave repaired his 768 chunks of a 2 MiB blob in {:?}", started.elapsed());
	assert!(!da_challengeable(&charlie, id2), "repaired only after the window had ended");
	// Rebuilt, not fetched. The node writes its log from a background thread, so the line
	// can land a little after the chunks.
	dave.wait_for("the rebuild in Dave's log", Duration::from_secs(10), |n| {
		n.log().contains("repaired 768 chunks")
	});
	bob.restart();

	// Once the first blob's window is over, Dave loses his chunks and restarts. (His node
	// may rebuild his share of the second blob, still in its window; not of the first.)
	charlie.wait_for("the first blob to be challengeable", Duration::from_secs(90), |n| {
		da_challengeable(n, id)
	});
	dave.stop();
	wipe_chunks(&dave);
	dave.restart();
	assert_eq!(local_chunks(&dave, id), 0);

	// Dave misses a challenge issued after his restart and is slashed; members with their
	// chunks answer theirs.
	let dave_account = Sr25519Keyring::Dave.to_account_id();
	let restarted_at = charlie.best_number();
	dave.wait_for("Dave to catch up", Duration::from_secs(60), |n| n.best_number() >= restarted_at);
	let mut next = restarted_at + 1;
	let (mut answered, mut dave_challenges, mut dave_slashed) = (0, Vec::new(), None);
	charlie.wait_for("Dave to be slashed", Duration::from_secs(240), |n| {
		let best = n.best_number();
		for number in next..=best {
			let hash = tx::block_hash(&n.rpc, number);
			for event in tx::events(&n.rpc, hash) {
				match event {
					RuntimeEvent::Da(pallet_da::Event::ChallengeIssued { id, member, .. })
						if member == dave_account =>
					{
						dave_challenges.push(id)
					},
					RuntimeEvent::Da(pallet_da::Event::ChallengeAnswered { member, .. })
						if member != dave_account =>
					{
						answered += 1
					},
					RuntimeEvent::Da(pallet_da::Event::ChallengeMissed { id, member, slashed })
						if member == dave_account && dave_challenges.contains(&id) =>
					{
						dave_slashed = Some(slashed)
					},
					_ => {},
				}
			}
		}
		next = best + 1;
		dave_slashed.is_some()
	});
	assert!(dave.log().contains("is not held here"), "Dave's worker saw the chunk missing");
	let slashed = dave_slashed.unwrap();
	eprintln!("Dave slashed {slashed}; {answered} challenges answered by the others");
	assert!(slashed > 0);
	assert!(answered > 0, "members holding their chunks answer their challenges");
}
