//! Storage on a network: the `local` chain (Alice and Bob validate) with three providers,
//! Alice on shard 0 of 2, Bob on shard 1 of 2 and Charlie on the whole flow, so that every
//! segment has exactly two replicas. A file uploaded to Dave (no provider) with replicas = 2
//! reaches them; Dave then drops his staging copy; with Charlie stopped the file still
//! downloads through Dave, fetched from Alice and Bob.

use crate::common::Node;
use serde_json::json;
use std::{path::Path, time::Duration};

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

fn file_info(node: &Node, root: &str) -> serde_json::Value {
	node.rpc.call("storage_fileInfo", json!([root])).unwrap()
}

#[test]
fn three_providers_keep_two_replicas_and_the_file_survives_one_stopped() {
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

	// Every segment on exactly two providers: the two halves on Alice and Bob, all on Charlie.
	for node in [&alice, &bob, &charlie] {
		node.wait_for("its replica segments", Duration::from_secs(60), |n| {
			let info = file_info(n, &root);
			info["localSegments"] == json!(if n.rpc_port == charlie.rpc_port { 32 } else { 16 })
		});
	}
	let info = file_info(&dave, &root);
	assert_eq!(info["replicasSeen"], 2, "{info}");
	assert_eq!(info["status"], "replicated");

	// Dave, no provider, drops his staging copy once the replicas are there.
	dave.wait_for("the staging copy dropped", Duration::from_secs(30), |n| {
		file_info(n, &root)["localSegments"] == 0
	});

	// Charlie stops: the file still downloads through Dave, from Alice's and Bob's halves.
	charlie.stop();
	dave.wait_for("Charlie gone", Duration::from_secs(30), |n| {
		n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(9) == 2
	});
	assert_eq!(file_info(&dave, &root)["replicasSeen"], 1);
	let output = files.path().join("back.bin");
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"download",
		&root,
		"-o",
		output.to_str().unwrap(),
		"--rpc",
		&dave.rpc_url(),
	]);
	assert!(ok, "download failed: {err}\n{}", crate::common::tail(&dave.log()));
	eprintln!("{}", out.trim());
	assert!(std::fs::read(&output).unwrap() == data, "the file came back different");
}
