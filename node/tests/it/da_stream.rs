//! A rollup-like stream on a `--dev` node with `--da-operator` (issue 32): 100 blobs of mixed
//! sizes, from two bytes to 700 kB (17 MB in all; the 32 MiB case is `da_dev`'s), uploaded
//! and submitted back to back with consecutive nonces, all become available and all come
//! back byte for byte (each rebuild checked against its commitment by re-encoding).

use crate::common::Node;
use sp_core::Pair;
use std::time::{Duration, Instant};
use zerog_cli::{
	chain::Chain,
	da::client::{get_blob, send_submit, upload, wait_available},
	progress::Progress,
	sample::random_blob,
};

/// Blob sizes, cycled: tiny, odd, page-sized, mid and large (kept small: the suite shares
/// the machine with the others).
const SIZES: [usize; 6] = [2, 777, 4096, 65_536, 250_001, 700_000];
const BLOBS: usize = 100;

#[test]
fn a_stream_of_100_mixed_blobs_becomes_available_and_reads_back_byte_for_byte() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("da-stream", &["--dev", "--da-operator"], true);
	let chain = Chain::connect(&node.rpc_url()).unwrap();
	let alice = sp_core::sr25519::Pair::from_string("//Alice", None).unwrap();
	let quiet = Progress::new();
	let blobs: Vec<Vec<u8>> = (0..BLOBS)
		.map(|i| random_blob(SIZES[i % SIZES.len()], 1_000 + i as u64))
		.collect();
	let bytes: usize = blobs.iter().map(Vec::len).sum();

	let started = Instant::now();
	let context = chain.signing_context().unwrap();
	let first = chain.next_nonce(&alice.public().into()).unwrap();
	let mut sent = Vec::with_capacity(BLOBS);
	for (nonce, blob) in (first..).zip(&blobs) {
		let uploaded = upload(&chain, blob, false, &quiet).unwrap();
		let submitted = send_submit(&chain, &alice, nonce, context, &uploaded).unwrap();
		sent.push((uploaded.root, submitted));
	}
	let mut ids = Vec::with_capacity(BLOBS);
	for (root, submitted) in &sent {
		let available = wait_available(&chain, root, submitted, Duration::from_secs(240), &quiet)
			.unwrap_or_else(|e| {
				panic!(
					"blob {root} did not become available: {e}\n{}",
					crate::common::tail(&node.log())
				)
			});
		ids.push(available.id);
	}
	let ingest = started.elapsed();

	let started = Instant::now();
	for (id, blob) in ids.iter().zip(&blobs) {
		let (back, _) = get_blob(&chain, &id.to_string()).unwrap();
		assert!(back == *blob, "blob {id} ({} bytes) came back different", blob.len());
	}
	eprintln!(
		"{BLOBS} blobs, {bytes} bytes: all available in {ingest:?}, all read back in {:?}",
		started.elapsed()
	);
	let mut distinct = ids.clone();
	distinct.sort();
	distinct.dedup();
	assert_eq!(distinct.len(), BLOBS, "every blob has its own id");
}
