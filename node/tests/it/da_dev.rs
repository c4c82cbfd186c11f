//! DA end to end on a `--dev` chain with `--da-operator`: a 32 MiB blob submitted through
//! the CLI (binary blob path) becomes available and comes back byte for byte; a 33 MiB blob
//! is refused clearly by the CLI, the RPC and the binary path, with nothing stored; after a
//! restart the blob is still served (through the JSON-RPC path); `da register` registers an
//! operator with a proof of its key, and refuses a key already in use.

use crate::common::Node;
use serde_json::json;
use std::path::Path;
use zerog_erasure::MAX_BLOB_SIZE;

/// Entries of the node's chunk store.
fn stored_blobs(node: &Node) -> usize {
	let chains = std::fs::read_dir(node.base_path().join("chains")).unwrap();
	chains
		.filter_map(|chain| std::fs::read_dir(chain.ok()?.path().join("da")).ok())
		.map(|blobs| blobs.count())
		.sum()
}

fn write_random(path: &Path, len: usize, seed: u64) -> Vec<u8> {
	let data = zerog_cli::sample::random_blob(len, seed);
	std::fs::write(path, &data).unwrap();
	data
}

#[test]
fn dev_node_makes_a_32_mib_blob_available_and_serves_it_across_restarts() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("da-dev", &["--dev", "--da-operator"], true);
	let files = tempfile::tempdir().unwrap();
	let url = node.rpc_url();

	// 32 MiB (the largest blob) through the CLI, waiting for availability.
	let input = files.path().join("blob.bin");
	let data = write_random(&input, MAX_BLOB_SIZE as usize, 7);
	let (ok, out, err) = Node::run_cli(&[
		"da",
		"submit",
		input.to_str().unwrap(),
		"--suri",
		"//Alice",
		"--rpc",
		&url,
		"--json",
	]);
	assert!(ok, "da submit failed: {err}\n{}", crate::common::tail(&node.log()));
	let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	eprintln!("32 MiB blob: {report}");
	let id = report["id"].as_u64().unwrap();
	let root = report["root"].as_str().unwrap().to_string();
	let status = node.rpc.call("da_blobStatus", json!([id])).unwrap();
	assert_eq!(status["status"], "available");
	assert_eq!(status["localChunks"], 3072);

	// Back through the CLI, byte for byte.
	let output = files.path().join("back.bin");
	let (ok, _, err) = Node::run_cli(&[
		"da",
		"get",
		&id.to_string(),
		"-o",
		output.to_str().unwrap(),
		"--rpc",
		&url,
	]);
	assert!(ok, "da get failed: {err}");
	assert!(std::fs::read(&output).unwrap() == data, "the blob came back different");

	// A chunk with its proof, for sampling, checks against the root.
	let chunk = node.rpc.call("da_getChunk", json!([root, 2049])).unwrap();
	assert_eq!(chunk["index"], 2049);
	assert_eq!(chunk["proof"].as_array().unwrap().len(), 12);

	// 33 MiB: the CLI refuses before uploading, the RPC refuses too; nothing is stored.
	let big = files.path().join("big.bin");
	let big_data = write_random(&big, 33 << 20, 8);
	let (ok, _, err) =
		Node::run_cli(&["da", "submit", big.to_str().unwrap(), "--suri", "//Alice", "--rpc", &url]);
	assert!(!ok);
	assert!(err.contains("a blob holds 1 to 32505852 bytes"), "stderr: {err}");
	let refused = node
		.rpc
		.call_with_bytes("da_submitBlob", &big_data, &mut |_, _| {})
		.expect_err("the node refuses a 33 MiB blob");
	assert!(
		refused.to_string().contains("the most a blob may hold is 32505852 bytes"),
		"{refused}"
	);
	let info = node.rpc.call("da_info", json!([])).unwrap();
	assert_eq!(info["maxBlobSize"], MAX_BLOB_SIZE);
	let binary = node.rpc.with_port(info["blobHttpPort"].as_u64().unwrap() as u16);
	let (status, body) = binary.post_raw("/blobs", &big_data, &mut |_, _| {}).unwrap();
	assert_eq!(status, 413, "{}", String::from_utf8_lossy(&body));
	assert_eq!(stored_blobs(&node), 1);
	let (status, _) = binary.get_raw("/blobs/9999").unwrap();
	assert_eq!(status, 404);

	// Bad references get clear errors.
	let unknown = node.rpc.call("da_blobStatus", json!([9999])).unwrap_err();
	assert!(unknown.to_string().contains("unknown blob"), "{unknown}");
	let bad = node.rpc.call("da_getBlob", json!(["0x1234"])).unwrap_err();
	assert!(bad.to_string().contains("64 hex digits"), "{bad}");
	let out_of_range = node.rpc.call("da_getChunk", json!([id, 3072])).unwrap_err();
	assert!(out_of_range.to_string().contains("out of range"), "{out_of_range}");

	// Metrics count the submission and availability, and the store's size.
	assert_eq!(node.metric("zerog_da_blobs_submitted_total"), Some(1.0));
	assert_eq!(node.metric("zerog_da_blobs_available_total"), Some(1.0));
	assert!(node.metric("zerog_da_store_bytes").unwrap() > 3.0 * MAX_BLOB_SIZE as f64);

	// After a restart the blob is still served, by root.
	node.stop();
	node.restart();
	let again = node.rpc.call("da_getBlob", json!([root])).unwrap();
	assert!(crate::common::rpc::from_hex(&again) == data, "the blob changed across the restart");

	// A new operator registers with a key it proves it holds; nobody can take Alice's key
	// (her node would work for their seat). Last, since Bob's seat from the next epoch on
	// has no node.
	let register = |account: &str, key: &str| {
		Node::run_cli(&[
			"da",
			"register",
			"--suri",
			account,
			"--operator-suri",
			key,
			"--bond",
			"1000",
			"--rpc",
			&url,
		])
	};
	let (ok, out, err) = register("//Bob", "//Bob//da");
	assert!(ok, "da register failed: {err}");
	assert!(out.contains("is a DA operator from block"), "{out}");
	let (ok, _, err) = register("//Charlie", "//Alice");
	assert!(!ok);
	assert!(err.contains("da.KeyInUse"), "stderr: {err}");
}
