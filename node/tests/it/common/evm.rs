//! The Ethereum-tooling tests' side: the npm project in `tests/evm` (solc and ethers), and
//! waiting for a node's Ethereum RPC.

use super::{rpc::Client, Node};
use serde_json::json;
use std::{
	path::{Path, PathBuf},
	process::Command,
	time::Duration,
};

/// Folder of the npm test project.
pub fn npm_project() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/evm")
}

/// Installs the pinned solc and ethers into `tests/evm/node_modules` (`npm ci`), once per
/// run: the EVM tests run in parallel and share the folder.
pub fn install_npm_clients() {
	static INSTALLED: std::sync::Once = std::sync::Once::new();
	INSTALLED.call_once(install_npm_clients_now);
}

fn install_npm_clients_now() {
	let out = Command::new("npm")
		.args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
		.current_dir(npm_project())
		.output()
		.expect("npm runs (scripts/setup.sh installs Node.js and npm)");
	assert!(out.status.success(), "npm ci failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// Waits until the Ethereum RPC answers `eth_chainId`.
pub fn wait_for_eth_rpc(node: &Node, eth: &Client) {
	node.wait_for("the Ethereum RPC to answer", Duration::from_secs(120), |_| {
		eth.call("eth_chainId", json!([])).is_ok()
	});
}

/// Runs `tests/evm/<script>` with Node.js against the Ethereum RPC on `eth_port`; panics
/// with its output and the node's log if it fails. Returns the JSON of its `RESULT` line.
pub fn run_script(node: &Node, script: &str, eth_port: u16) -> serde_json::Value {
	let out = Command::new("node")
		.arg(npm_project().join(script))
		.env("ETH_RPC_URL", format!("http://127.0.0.1:{eth_port}"))
		.env("ETH_CHAIN_ID", zerog_runtime::configs::ETH_CHAIN_ID.to_string())
		.output()
		.expect("node runs");
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert!(
		out.status.success(),
		"{script} failed:\n{stdout}\n{}\nnode log:\n{}",
		String::from_utf8_lossy(&out.stderr),
		super::tail(&node.log())
	);
	println!("{stdout}");
	stdout
		.lines()
		.find_map(|l| l.strip_prefix("RESULT "))
		.map(|json| serde_json::from_str(json).unwrap())
		.expect("a RESULT line")
}

/// The native account of an Ethereum address (automatic mapping: address ++ 0xEE × 12).
pub fn native_account(address: &str) -> zerog_runtime::AccountId {
	use pallet_revive::AddressMapper;
	let bytes: [u8; 20] =
		hex::decode(address.trim_start_matches("0x")).unwrap().try_into().unwrap();
	pallet_revive::AccountId32Mapper::<zerog_runtime::Runtime>::to_fallback_account_id(
		&sp_core::H160(bytes),
	)
}
