//! Two validators on `--chain local` (Alice and Bob, separate base paths): they peer, both
//! author blocks, and GRANDPA finality (which needs both votes) advances.

mod common;

use codec::Decode;
use common::{rpc::from_hex, Node};
use serde_json::json;
use sp_runtime::DigestItem;
use std::{
	collections::BTreeSet,
	time::{Duration, Instant},
};

/// Index of the BABE authority that authored block `number` (from its pre-runtime digest).
fn author_index(node: &Node, number: u32) -> Option<u32> {
	let hash = node.rpc.call("chain_getBlockHash", json!([number])).ok()?;
	let header = node.rpc.call("chain_getHeader", json!([hash])).ok()?;
	header["digest"]["logs"].as_array()?.iter().find_map(|log| {
		let item = DigestItem::decode(&mut &from_hex(log)[..]).ok()?;
		let data = item.pre_runtime_try_to::<sp_consensus_babe::digests::PreDigest>(
			&sp_consensus_babe::BABE_ENGINE_ID,
		)?;
		Some(data.authority_index())
	})
}

#[test]
fn two_local_validators_peer_author_and_finalize() {
	let alice = Node::start("alice", &["--chain", "local", "--alice"], false);
	let bootnode = alice.multiaddr();
	let bob = Node::start("bob", &["--chain", "local", "--bob", "--bootnodes", &bootnode], false);
	let started = Instant::now();

	for node in [&alice, &bob] {
		node.wait_for("a peer", Duration::from_secs(60), |n| {
			n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(0) >= 1
		});
	}

	bob.wait_for("block 8 finalized on Bob", Duration::from_secs(180), |n| {
		n.finalized_number() >= 8
	});
	alice.wait_for("block 8 finalized on Alice", Duration::from_secs(60), |n| {
		n.finalized_number() >= 8
	});
	let (best, finalized) = (bob.best_number(), bob.finalized_number());
	eprintln!(
		"local chain: block 8 finalized after {:?}; best {best}, finalized {finalized}, lag {}",
		started.elapsed(),
		best - finalized
	);

	// Both validators authored some of the finalized blocks.
	let authors: BTreeSet<u32> = (1..=finalized).filter_map(|n| author_index(&bob, n)).collect();
	assert_eq!(authors, BTreeSet::from([0, 1]), "authors of blocks 1..={finalized}");

	// Both nodes agree on the finalized chain.
	let at = json!([finalized]);
	assert_eq!(
		alice.rpc.call("chain_getBlockHash", at.clone()).unwrap(),
		bob.rpc.call("chain_getBlockHash", at).unwrap()
	);
}
