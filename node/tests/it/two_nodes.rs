//! Two validators on `--chain local` (Alice and Bob, separate base paths): they peer, both
//! author blocks, and GRANDPA finality (which needs both votes) advances.

use crate::common::{rpc::from_hex, Node};
use codec::Decode;
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
	let _load = crate::common::load::network();
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

	// Both validators author finalized blocks. Which one holds a slot is BABE's random draw
	// (one of them may author all of the first blocks, as a fresh machine once saw), so the
	// test waits until each has authored one rather than asking it of the first few blocks.
	let (mut authors, mut scanned) = (BTreeSet::new(), 0);
	bob.wait_for("both validators to author a finalized block", Duration::from_secs(240), |n| {
		let finalized = n.finalized_number();
		authors.extend((scanned + 1..=finalized).filter_map(|number| author_index(n, number)));
		scanned = finalized;
		authors == BTreeSet::from([0, 1])
	});
	let finalized = bob.finalized_number();

	// Both nodes agree on the finalized chain.
	let at = json!([finalized]);
	assert_eq!(
		alice.rpc.call("chain_getBlockHash", at.clone()).unwrap(),
		bob.rpc.call("chain_getBlockHash", at).unwrap()
	);
}
