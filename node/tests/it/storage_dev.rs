//! Storage end to end on a `--dev` chain (the dev node is Alice, a provider of the whole
//! flow): a 100 MiB file uploaded through the CLI is paid for, replicated and comes back
//! byte for byte; corrupted segments and out-of-range requests are refused with clear codes
//! and leave nothing behind; after a restart the file is still served.

use crate::common::Node;
use codec::Encode;
use serde_json::json;
use zerog_erasure::storage::{FileTree, SEGMENT_SIZE};
use zerog_rpc_api::storage::{SegmentWithProof, UploadBatch};

/// Folders of the node's segment store (`<root hex>-<size>`).
fn stored_files(node: &Node) -> Vec<String> {
	let chains = std::fs::read_dir(node.base_path().join("chains")).unwrap();
	chains
		.filter_map(|chain| std::fs::read_dir(chain.ok()?.path().join("storage")).ok())
		.flat_map(|entries| entries.filter_map(|e| e.ok()).filter(|e| e.path().is_dir()))
		.map(|e| e.file_name().to_string_lossy().into_owned())
		.collect()
}

fn segment(data: &[u8], tree: &FileTree, index: u64) -> SegmentWithProof {
	let start = index as usize * SEGMENT_SIZE;
	let end = (start + SEGMENT_SIZE).min(data.len());
	SegmentWithProof {
		index,
		data: data[start..end].to_vec(),
		proof: tree.segment_proof(index).unwrap(),
	}
}

fn rpc_code(result: Result<serde_json::Value, crate::common::rpc::RpcError>) -> i64 {
	match result {
		Err(crate::common::rpc::RpcError::Rpc { code, .. }) => code.into(),
		other => panic!("expected an RPC error, got {other:?}"),
	}
}

fn download(node: &Node, root: &str, output: &std::path::Path) {
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"download",
		root,
		"-o",
		output.to_str().unwrap(),
		"--rpc",
		&node.rpc_url(),
	]);
	assert!(ok, "storage download failed: {err}\n{}", crate::common::tail(&node.log()));
	eprintln!("{}", out.trim());
}

#[test]
fn dev_node_stores_a_100_mib_file_refuses_bad_segments_and_serves_it_after_a_restart() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("storage-dev", &["--dev"], true);
	let files = tempfile::tempdir().unwrap();
	let url = node.rpc_url();
	let info = node.rpc.call("storage_info", json!([])).unwrap();
	assert_eq!(
		info["shard"],
		json!([0, 1]),
		"the dev node is a provider of the whole flow: {info}"
	);

	// 100 MiB through the CLI: upload, pay, wait for the replica.
	let input = files.path().join("file.bin");
	let data = zerog_cli::sample::random_blob(100 << 20, 11);
	std::fs::write(&input, &data).unwrap();
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"upload",
		input.to_str().unwrap(),
		"--replicas",
		"1",
		"--duration",
		"2d",
		"--suri",
		"//Alice",
		"--rpc",
		&url,
		"--json",
	]);
	assert!(ok, "storage upload failed: {err}\n{}", crate::common::tail(&node.log()));
	let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	eprintln!("100 MiB upload: {report}");
	let root = report["root"].as_str().unwrap().to_string();
	assert_eq!(root, format!("0x{}", hex::encode(FileTree::new(&data).unwrap().root())));
	let file_info = node.rpc.call("storage_fileInfo", json!([root])).unwrap();
	assert_eq!(file_info["status"], "replicated", "{file_info}");
	assert_eq!(file_info["size"], 100 << 20);
	assert_eq!(file_info["localSegments"], 400);
	assert_eq!(file_info["deals"].as_array().unwrap().len(), 1);

	// Back, byte for byte, every segment verified by the CLI.
	let output = files.path().join("back.bin");
	download(&node, &root, &output);
	assert!(std::fs::read(&output).unwrap() == data, "the file came back different");

	// One segment through JSON-RPC, with its proof.
	let one = node.rpc.call("storage_downloadSegment", json!([root, 399])).unwrap();
	assert_eq!(one["index"], 399);
	assert_eq!(one["proof"].as_array().unwrap().len(), 9);

	// A corrupted segment in a batch: refused, nothing of the batch stored.
	let small: Vec<u8> = zerog_cli::sample::random_blob(3 * SEGMENT_SIZE, 12);
	let tree = FileTree::new(&small).unwrap();
	let small_root = format!("0x{}", hex::encode(tree.root()));
	let mut batch: Vec<SegmentWithProof> = (0..3).map(|i| segment(&small, &tree, i)).collect();
	batch[1].data[100] ^= 0xff;
	let port = info["httpPort"].as_u64().unwrap() as u16;
	let raw = node.rpc.with_port(port);
	let body = UploadBatch { root: tree.root(), size: small.len() as u64, segments: batch.clone() }
		.encode();
	let (status, answer) = raw.post_raw("/files/segments", &body, &mut |_, _| {}).unwrap();
	assert_eq!(status, 400, "{}", String::from_utf8_lossy(&answer));
	let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
	assert_eq!(answer["code"], 4104, "{answer}");
	assert!(answer["message"].as_str().unwrap().contains("segment 1"), "{answer}");
	// The same through JSON-RPC.
	let json_segments: Vec<_> = batch
		.iter()
		.map(|s| {
			json!({
				"index": s.index,
				"data": format!("0x{}", hex::encode(&s.data)),
				"proof": s.proof.siblings.iter().map(|h| format!("0x{}", hex::encode(h))).collect::<Vec<_>>(),
			})
		})
		.collect();
	let refused = node
		.rpc
		.call("storage_uploadSegments", json!([small_root, small.len(), json_segments]));
	assert_eq!(rpc_code(refused), 4104);
	assert_eq!(rpc_code(node.rpc.call("storage_fileInfo", json!([small_root]))), 4105);
	assert_eq!(
		stored_files(&node),
		vec![format!("{}-{}", root.trim_start_matches("0x"), 100u64 << 20)],
		"nothing partial stored (one folder per root and size)"
	);

	// Limits and unknown names.
	assert_eq!(
		rpc_code(node.rpc.call("storage_uploadSegments", json!([small_root, 5u64 << 30, []]))),
		4101
	);
	assert_eq!(rpc_code(node.rpc.call("storage_uploadSegments", json!([small_root, 0, []]))), 4102);
	assert_eq!(rpc_code(node.rpc.call("storage_downloadSegment", json!([root, 400]))), 4106);
	assert_eq!(rpc_code(node.rpc.call("storage_downloadSegment", json!([small_root, 0]))), 4105);
	assert_eq!(rpc_code(node.rpc.call("storage_fileInfo", json!(["0x1234"]))), -32602);
	let (status, _) = raw.get_raw(&format!("/files/{root}/segments/0/65")).unwrap();
	assert_eq!(status, 400);
	let too_big = vec![0u8; zerog_rpc_api::storage::MAX_UPLOAD_BODY as usize + 1];
	let (status, _) = raw.post_raw("/files/segments", &too_big, &mut |_, _| {}).unwrap();
	assert_eq!(status, 413);

	// Metrics.
	assert_eq!(node.metric("zerog_storage_segments_uploaded_total"), Some(400.0));
	assert_eq!(node.metric("zerog_storage_store_bytes"), Some((100u64 << 20) as f64));

	// After a restart the file is still there and served.
	node.restart();
	let file_info = node.rpc.call("storage_fileInfo", json!([root])).unwrap();
	assert_eq!(file_info["localSegments"], 400, "{file_info}");
	assert_eq!(file_info["deals"].as_array().unwrap().len(), 1);
	std::fs::remove_file(&output).unwrap();
	download(&node, &root, &output);
	assert!(
		std::fs::read(&output).unwrap() == data,
		"the file came back different after the restart"
	);
}
