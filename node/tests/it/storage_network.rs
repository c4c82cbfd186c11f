//! Storage on a network: the `local` chain (Alice and Bob validate) with three providers,
//! Alice on shard 0 of 2, Bob on shard 1 of 2 and Charlie on the whole flow, so that every
//! segment has exactly two replicas. Before the file is uploaded, Eve opens a 1-byte deal
//! for its root (a squat: the chain checks neither root nor size). The file uploaded to Dave
//! (no provider) with replicas = 2 still reaches them; Dave then drops his staging copy;
//! with Charlie stopped the file still downloads through Dave, fetched from Alice and Bob.

use crate::common::{tx, Node};
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use std::{path::Path, time::Duration};
use zerog_runtime::RuntimeCall;

/// The local chain spec with the providers above.
fn chain_spec(dir: &Path) -> String {
	let (ok, out, err) = Node::run_cli(&["build-spec", "--chain", "local"]);
	assert!(ok, "build-spec failed: {err}");
	let mut spec: serde_json::Value = serde_json::from_str(&out).unwrap();
	let providers = &mut spec["genesis"]["runtimeGenesis"]["patch"]["fileStorage"]["providers"];
	let alice = providers[0].clone();
	let mut charlie = alice.clone();
	charlie[0] = json!(sp_keyring::Sr25519Keyring::Charlie.to_account_id().to_string());
	charlie[1] = json!(vec![3u8; 32]);
	providers[0][3] = json!({"id": 0, "count": 2});
	providers[1][3] = json!({"id": 1, "count": 2});
	providers.as_array_mut().unwrap().push(charlie);
	let path = dir.join("local-three-providers.json");
	std::fs::write(&path, spec.to_string()).unwrap();
	path.display().to_string()
}

fn file_info(node: &Node, root: &str, size: usize) -> serde_json::Value {
	node.rpc.call("storage_fileInfo", json!([root, size])).unwrap()
}

/// Eve's deal for `root` with a size of 1 byte (1 sector, a few milli-ZG).
fn squat(node: &Node, root: zerog_erasure::Hash) {
	let submission = pallet_storage::Submission {
		root,
		size: 1,
		subtrees: vec![(0, [0; 32])].try_into().unwrap(),
		tags: Default::default(),
		replicas: 2,
		periods: 1,
	};
	let call = RuntimeCall::FileStorage(pallet_storage::Call::submit { submission });
	tx::execute(node, Sr25519Keyring::Eve, call);
}

/// Also issue 31's finding 5: the squat made every node refuse the honest file (keyed by
/// root alone, "root already stored with size 1") and skip its deal for good.
#[test]
fn three_providers_keep_two_replicas_of_a_squatted_root_and_the_file_survives_one_stopped() {
	let _load = crate::common::load::network();
	let files = tempfile::tempdir().unwrap();
	let spec = chain_spec(files.path());
	let start = |name: &str, extra: &[&str], earlier: &[&Node]| {
		let boot: Vec<String> = earlier.iter().map(|n| n.multiaddr()).collect();
		let mut args = vec!["--chain", spec.as_str(), "--allow-private-ip"];
		args.extend(extra);
		if !boot.is_empty() {
			args.push("--bootnodes");
			args.extend(boot.iter().map(String::as_str));
		}
		Node::start(name, &args, false)
	};
	let alice = start("alice", &["--alice", "--storage-provider"], &[]);
	let bob = start("bob", &["--bob", "--storage-provider"], &[&alice]);
	let charlie = start("charlie", &["--charlie", "--storage-provider"], &[&alice, &bob]);
	let dave = start("dave", &[], &[&alice, &bob, &charlie]);
	for node in [&alice, &bob, &charlie, &dave] {
		node.wait_for("three peers", Duration::from_secs(90), |n| {
			n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(0) >= 3
		});
	}
	let shard = |n: &Node| n.rpc.call("storage_info", json!([])).unwrap()["shard"].clone();
	alice.wait_for("its shard", Duration::from_secs(30), |n| shard(n) == json!([0, 2]));
	assert_eq!(shard(&bob), json!([1, 2]));
	assert_eq!(shard(&charlie), json!([0, 1]));
	assert_eq!(shard(&dave), json!(null));

	// 8 MiB (32 segments) uploaded to Dave, paid for two replicas.
	let input = files.path().join("file.bin");
	let data = zerog_cli::sample::random_blob(8 << 20, 21);
	std::fs::write(&input, &data).unwrap();
	let tree = zerog_erasure::storage::FileTree::new(&data).unwrap();
	squat(&dave, tree.root());
	for node in [&alice, &bob, &charlie, &dave] {
		node.wait_for("the squat recorded", Duration::from_secs(30), |n| {
			let squatted = n.rpc.call("storage_fileInfo", json!([hex_root(&tree), 1]));
			squatted
				.ok()
				.is_some_and(|info| info["deals"].as_array().is_some_and(|d| d.len() == 1))
		});
	}
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"upload",
		input.to_str().unwrap(),
		"--replicas",
		"2",
		"--duration",
		"1d",
		"--suri",
		"//Ferdie",
		"--rpc",
		&dave.rpc_url(),
		"--json",
		"--timeout",
		"180",
	]);
	assert!(ok, "storage upload failed: {err}\n{}", crate::common::tail(&alice.log()));
	let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	eprintln!("8 MiB with two replicas: {report}");
	let root = report["root"].as_str().unwrap().to_string();
	assert_eq!(root, hex_root(&tree));
	let size = data.len();
	assert_eq!(report["file"], format!("{root}:{size}"), "what the CLI tells users to keep");

	// Every segment on exactly two providers: the two halves on Alice and Bob, all on Charlie.
	for node in [&alice, &bob, &charlie] {
		node.wait_for("its replica segments", Duration::from_secs(60), |n| {
			let info = file_info(n, &root, size);
			info["localSegments"] == json!(if n.rpc_port == charlie.rpc_port { 32 } else { 16 })
		});
	}
	let info = file_info(&dave, &root, size);
	assert_eq!(info["replicasSeen"], 2, "{info}");
	assert_eq!(info["status"], "replicated");

	// Dave, no provider, drops his staging copy once the replicas are there.
	dave.wait_for("the staging copy dropped", Duration::from_secs(30), |n| {
		file_info(n, &root, size)["localSegments"] == 0
	});

	// Charlie stops: the file still downloads through Dave, from Alice's and Bob's halves.
	charlie.stop();
	dave.wait_for("Charlie gone", Duration::from_secs(30), |n| {
		n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(9) == 2
	});
	assert_eq!(file_info(&dave, &root, size)["replicasSeen"], 1);
	let output = files.path().join("back.bin");
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"download",
		report["file"].as_str().unwrap(),
		"-o",
		output.to_str().unwrap(),
		"--rpc",
		&dave.rpc_url(),
	]);
	assert!(ok, "download failed: {err}\n{}", crate::common::tail(&dave.log()));
	eprintln!("{}", out.trim());
	assert!(std::fs::read(&output).unwrap() == data, "the file came back different");
}

fn hex_root(tree: &zerog_erasure::storage::FileTree) -> String {
	format!("0x{}", hex::encode(tree.root()))
}
