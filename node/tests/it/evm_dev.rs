//! Ethereum compatibility end to end: `zerog-node --dev` starts its Ethereum JSON-RPC, and
//! real Ethereum tools (solc and ethers from npm, run by Node.js) compile, deploy and call
//! an ERC-20 and a reverting contract (`tests/evm/erc20.mjs`). This test then checks that
//! what the Ethereum RPC said agrees with the chain's own RPC, that the node supervises the
//! RPC program (restarts it when it dies), and that the program goes when the node goes.

use crate::common::{
	evm::{install_npm_clients, native_account, run_script, wait_for_eth_rpc},
	free_port,
	rpc::Client,
	tail, Node,
};
use serde_json::{json, Value};
use std::{
	process::Command,
	time::{Duration, Instant},
};

/// A `0x` hex quantity as u128.
fn quantity(value: &Value) -> u128 {
	u128::from_str_radix(value.as_str().expect("a hex quantity").trim_start_matches("0x"), 16)
		.expect("hex")
}

/// Process ids of `zerog-eth-rpc` programs serving `port`.
fn eth_rpc_pids(port: u16) -> Vec<u32> {
	let out = Command::new("pgrep")
		.args(["-f", &format!("zerog-eth-rpc .*--rpc-port {port} ")])
		.output()
		.expect("pgrep runs");
	String::from_utf8_lossy(&out.stdout)
		.lines()
		.filter_map(|l| l.trim().parse().ok())
		.collect()
}

#[test]
fn solc_and_ethers_deploy_call_and_read_logs_through_the_dev_nodes_ethereum_rpc() {
	let _load = crate::common::load::dev_node();
	install_npm_clients();
	let eth_port = free_port();
	let node = Node::start("evm-dev", &["--dev", "--eth-rpc-port", &eth_port.to_string()], false);
	let eth = Client::local(eth_port);
	wait_for_eth_rpc(&node, &eth);

	// The real clients run the Ethereum-side checks.
	let result = run_script(&node, "erc20.mjs", eth_port);

	// What the Ethereum RPC says agrees with the chain's own RPC, at one block.
	assert_eq!(result["chainId"], zerog_runtime::configs::ETH_CHAIN_ID.to_string());
	let number = quantity(&eth.call("eth_blockNumber", json!([])).unwrap()) as u32;
	let best = node.best_number();
	assert!(number <= best && best - number <= 2, "eth block {number}, chain best {best}");
	let at = crate::common::tx::block_hash(&node.rpc, number);
	let alice = result["alice"].as_str().unwrap();
	let tag = format!("0x{number:x}");
	let info = crate::common::tx::account_info(&node.rpc, &native_account(alice), Some(at));
	let (nonce, free) = (info.nonce, info.data.free);
	let eth_nonce = quantity(&eth.call("eth_getTransactionCount", json!([alice, tag])).unwrap());
	assert_eq!(eth_nonce, nonce as u128, "eth_getTransactionCount = the native nonce");
	assert!(
		nonce >= result["aliceStartNonce"].as_u64().unwrap() as u32 + 4,
		"alice sent two deployments, a token transfer and a value transfer"
	);
	let eth_balance = quantity(&eth.call("eth_getBalance", json!([alice, tag])).unwrap());
	assert_eq!(
		eth_balance,
		free - zerog_runtime::EXISTENTIAL_DEPOSIT,
		"eth_getBalance = the spendable native balance (free less the existential deposit)"
	);
	let block = eth.call("eth_getBlockByNumber", json!([tag, false])).unwrap();
	assert_eq!(quantity(&block["number"]) as u32, number);

	// Supervision: a killed RPC program is started again.
	let pids = eth_rpc_pids(eth_port);
	assert_eq!(pids.len(), 1, "one zerog-eth-rpc for this node: {pids:?}");
	Command::new("kill").args(["-9", &pids[0].to_string()]).status().unwrap();
	let start = Instant::now();
	node.wait_for("zerog-eth-rpc to be restarted", Duration::from_secs(120), |_| {
		let now = eth_rpc_pids(eth_port);
		!now.is_empty() && now != pids && eth.call("eth_chainId", json!([])).is_ok()
	});
	println!("zerog-eth-rpc restarted in {:?}", start.elapsed());
	assert!(node.log().contains("restarting zerog-eth-rpc"), "the restart is logged");

	// The program does not outlive the node, even when the node is killed.
	node.stop();
	let start = Instant::now();
	while !eth_rpc_pids(eth_port).is_empty() {
		assert!(start.elapsed() < Duration::from_secs(20), "zerog-eth-rpc outlived the node");
		std::thread::sleep(Duration::from_millis(200));
	}
}

#[test]
fn the_ethereum_rpc_can_be_turned_off_and_needs_its_program() {
	let _load = crate::common::load::dev_node();
	// Off: no program starts (the harness passes `--eth-rpc-port off` by default).
	let node = Node::start("evm-off", &["--dev"], false);
	node.wait_for("block 1", Duration::from_secs(60), |n| n.best_number() >= 1);
	assert!(!node.log().contains("Ethereum JSON-RPC on port"), "{}", tail(&node.log()));

	// A missing program is a clear error, and the node runs on without it.
	let eth_port = free_port();
	let node = Node::start(
		"evm-missing",
		&[
			"--dev",
			"--eth-rpc-port",
			&eth_port.to_string(),
			"--eth-rpc-bin",
			"/nonexistent/eth-rpc",
		],
		false,
	);
	node.wait_for("the error to be logged", Duration::from_secs(60), |n| {
		n.log().contains(
			"Ethereum JSON-RPC not started: --eth-rpc-bin /nonexistent/eth-rpc: no such file",
		)
	});
	let best = node.best_number();
	node.wait_for("blocks to go on", Duration::from_secs(60), |n| n.best_number() > best);
}
