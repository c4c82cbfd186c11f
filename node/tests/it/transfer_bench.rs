//! End to end of `zerog-node bench transfers` on `--dev` chains: the bench funds its senders,
//! every transfer it sends is counted in blocks and finalized, the chain agrees with its
//! counts, a second run reuses the funded senders from their next nonces, and bad input is
//! refused clearly. Also `--finality-vote-lag`: by default GRANDPA votes for the best block,
//! and a lag keeps finality that many blocks behind.

use crate::common::{tx, Node};
use sp_core::{sr25519, Pair};
use std::time::Duration;
use zerog_runtime::{AccountId, EXISTENTIAL_DEPOSIT};

/// Senders derived from a seed no other test uses.
const SEED: &str = "//zerog-bench-e2e";

fn sender(i: usize) -> AccountId {
	sr25519::Pair::from_string(&format!("{SEED}//{i}"), None)
		.unwrap()
		.public()
		.into()
}

fn bench(node: &Node, extra: &[&str]) -> (bool, String, String) {
	let url = node.rpc_url();
	let mut args =
		vec!["bench", "transfers", "--rpc", url.as_str(), "--seed", SEED, "--timeout", "300"];
	args.extend_from_slice(extra);
	Node::run_cli(&args)
}

#[test]
fn bench_transfers_counts_every_transfer_and_the_chain_agrees() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("bench", &["--dev"], false);
	node.wait_for("block 1", Duration::from_secs(120), |n| n.best_number() >= 1);

	// The default vote lag is 0: finality reaches the head itself (with a lag of 2 it stays
	// at least 2 blocks behind).
	node.wait_for("the best block to be finalized", Duration::from_secs(60), |n| {
		let finalized = n.finalized_number();
		n.best_number() == finalized && finalized >= 2
	});

	// 200 transfers over 20 senders: each sends 10 and receives 10 from the one before it.
	let (ok, stdout, stderr) =
		bench(&node, &["--count", "200", "--senders", "20", "--batch", "25", "--json"]);
	assert!(
		ok,
		"bench transfers failed:\n{stderr}\n{stdout}\nnode log:\n{}",
		crate::common::tail(&node.log())
	);
	let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
	assert_eq!(report["transfers"], 200, "{report}");
	assert_eq!(report["senders"], 20, "{report}");
	assert_eq!(report["refused"], 0, "{report}");
	assert_eq!(report["included"]["count"], 200, "{report}");
	assert_eq!(report["finalized"]["count"], 200, "{report}");
	assert!(report["finalized"]["perSecond"].as_f64().unwrap() > 0.0, "{report}");
	let latency = &report["finalized"]["latency"];
	assert!(latency["p50"].as_f64().unwrap() <= latency["p95"].as_f64().unwrap(), "{report}");
	assert!(latency["p95"].as_f64().unwrap() <= latency["max"].as_f64().unwrap(), "{report}");
	let blocks = report["blocks"]["withTransfers"].as_u64().unwrap();
	assert!(
		blocks >= 1 && report["blocks"]["maxTransfers"].as_u64().unwrap() * blocks >= 200,
		"{report}"
	);

	// The chain: every sender's nonce moved by exactly 10, and each still holds its top-up
	// less fees (it received as many existential deposits as it sent).
	for i in 0..20 {
		let account = sender(i);
		assert_eq!(tx::next_nonce(&node.rpc, &account), 10, "sender {i}");
		assert!(
			tx::free_balance(&node.rpc, &account, None) > 100 * EXISTENTIAL_DEPOSIT,
			"sender {i}"
		);
	}

	// A second run, as text: the senders hold enough already, so none is topped up, and the
	// transfers continue from their nonces (a stale nonce would never be finalized).
	let (ok, stdout, stderr) = bench(&node, &["--count", "40", "--senders", "20", "--rate", "40"]);
	assert!(ok, "second run failed:\n{stderr}\n{stdout}");
	assert!(stderr.contains("20 senders (0 topped up)"), "stderr: {stderr}");
	assert!(stdout.contains("finalized: 40 at"), "stdout: {stdout}");
	for i in 0..20 {
		assert_eq!(tx::next_nonce(&node.rpc, &sender(i)), 12, "sender {i}");
	}
}

#[test]
fn bench_transfers_gets_every_transfer_through_a_tiny_pool() {
	let _load = crate::common::load::dev_node();
	// Room for 30 ready and 3 future transactions. The pool accepts all 200 within a second
	// and silently drops what does not fit, so most must be sent again (the bench does once
	// no transfer has reached a block for 6 s). All of them still reach the chain, each
	// exactly once.
	let node = Node::start(
		"bench-tiny-pool",
		&["--dev", "--pool-limit", "30", "--pool-type", "single-state"],
		false,
	);
	node.wait_for("block 1", Duration::from_secs(120), |n| n.best_number() >= 1);
	let (ok, stdout, stderr) =
		bench(&node, &["--count", "200", "--senders", "20", "--batch", "25", "--json"]);
	assert!(
		ok,
		"bench transfers failed:\n{stderr}\n{stdout}\nnode log:\n{}",
		crate::common::tail(&node.log())
	);
	let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
	assert_eq!(report["refused"], 0, "{report}");
	assert!(report["resubmitted"].as_u64().unwrap() > 0, "a pool of 33 cannot hold 200: {report}");
	assert_eq!(report["finalized"]["count"], 200, "{report}");
	for i in 0..20 {
		assert_eq!(tx::next_nonce(&node.rpc, &sender(i)), 10, "sender {i}");
	}
	eprintln!("tiny pool: retried {}, resubmitted {}", report["retried"], report["resubmitted"]);
}

#[test]
fn bench_transfers_refuses_bad_input_and_a_vote_lag_holds_finality_back() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("bench-bad", &["--dev", "--finality-vote-lag", "3"], false);
	node.wait_for("block 1", Duration::from_secs(120), |n| n.best_number() >= 1);

	let (ok, _, stderr) = bench(&node, &["--count", "0"]);
	assert!(!ok && stderr.contains("--count and --senders must be at least 1"), "stderr: {stderr}");

	let (ok, _, stderr) = bench(&node, &["--count", "10", "--funder", "not a secret uri"]);
	assert!(!ok && stderr.contains("bad --funder"), "stderr: {stderr}");

	// A funder without funds: refused before any transaction is sent.
	let (ok, _, stderr) =
		bench(&node, &["--count", "10", "--senders", "5", "--funder", "//NoFundsHere"]);
	assert!(!ok && stderr.contains("less than the"), "stderr: {stderr}");
	assert_eq!(tx::next_nonce(&node.rpc, &sender(0)), 0, "nothing was sent");

	// No node at the URL.
	let port = crate::common::free_port();
	let url = format!("http://127.0.0.1:{port}");
	let (ok, _, stderr) = Node::run_cli(&["bench", "transfers", "--rpc", &url, "--count", "10"]);
	assert!(!ok && !stderr.is_empty(), "an unreachable node is an error");

	// With a lag of 3, the best block (read after the finalized one) is always at least 3
	// ahead of it, while finality still advances.
	node.wait_for("block 2 finalized", Duration::from_secs(120), |n| n.finalized_number() >= 2);
	for _ in 0..20 {
		let finalized = node.finalized_number();
		let best = node.best_number();
		assert!(best >= finalized + 3, "finalized #{finalized} with best #{best} under a lag of 3");
		std::thread::sleep(Duration::from_millis(500));
	}
}
