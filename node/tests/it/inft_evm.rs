//! iNFTs from Solidity end to end: on a `--dev` node, root registers an Ethereum key (dev
//! key 2) as an oracle; then `tests/evm/inft.mjs` (solc and ethers from npm) deploys a
//! contract that mints an agent through the iNFT precompile, authorizes a user, and sells
//! the agent with proofs the script signs with the oracle's and the buyer's wallets, after
//! a forged proof, a static-call mint, a replay and a double revoke were refused. This test
//! then checks the chain's own view: the pallet's events in the sale's block, and the token
//! record in storage.

use crate::common::{
	evm::{install_npm_clients, native_account, run_script, wait_for_eth_rpc},
	free_port,
	rpc::{from_hex, to_hex, Client},
	tx::{block_hash, events, execute},
	Node,
};
use codec::Decode;
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use zerog_runtime::{Runtime, RuntimeCall, RuntimeEvent};

/// Dev key 2's address (Hardhat/Anvil account 2), the oracle.
const ORACLE: &str = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

#[test]
fn a_contract_mints_authorizes_and_sells_an_agent_with_verified_proofs() {
	let _load = crate::common::load::dev_node();
	install_npm_clients();
	let eth_port = free_port();
	let node = Node::start("inft-evm", &["--dev", "--eth-rpc-port", &eth_port.to_string()], false);
	let eth = Client::local(eth_port);
	wait_for_eth_rpc(&node, &eth);

	let register = pallet_inft::Call::<Runtime>::register_oracle {
		oracle: native_account(ORACLE),
		kind: pallet_inft::OracleKind::Tee,
		attestation: None,
	};
	let sudo = pallet_sudo::Call::<Runtime>::sudo { call: Box::new(RuntimeCall::Inft(register)) };
	execute(&node, Sr25519Keyring::Alice, RuntimeCall::Sudo(sudo));

	let result = run_script(&node, "inft.mjs", eth_port);
	assert_eq!(
		result["oracle"].as_str().unwrap(),
		ORACLE,
		"the script's oracle is the registered key"
	);
	let token: u64 = result["token"].as_str().unwrap().parse().unwrap();
	let (vault, bob) = (
		native_account(result["vault"].as_str().unwrap()),
		native_account(result["bob"].as_str().unwrap()),
	);
	let new_hash: [u8; 32] =
		hex::decode(result["newDataHash"].as_str().unwrap().trim_start_matches("0x"))
			.unwrap()
			.try_into()
			.unwrap();
	let sealed_key =
		hex::decode(result["sealedKey"].as_str().unwrap().trim_start_matches("0x")).unwrap();

	// The sale's block holds the pallet's own events for the contract's call.
	let at = block_hash(&node.rpc, result["sellBlock"].as_u64().unwrap() as u32);
	let events = events(&node.rpc, at);
	assert!(
		events.iter().any(|e| matches!(e,
            RuntimeEvent::Inft(pallet_inft::Event::Transferred { token: t, from, to })
                if *t == token && *from == vault && *to == bob)),
		"Transferred from the vault to Bob: {events:?}"
	);
	assert!(events.iter().any(|e| matches!(e,
        RuntimeEvent::Inft(pallet_inft::Event::PublishedSealedKey { token: t, to, sealed_keys })
            if *t == token && *to == bob && sealed_keys.len() == 1 && sealed_keys[0][..] == sealed_key[..])));
	let precompile = sp_core::H160(pallet_inft_precompile::INFT_ADDRESS);
	let logs = events
        .iter()
        .filter(|e| matches!(e, RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted { contract, .. }) if *contract == precompile))
        .count();
	assert_eq!(logs, 2, "the precompile's Transfer and PublishedSealedKey logs");

	// The token record: Bob's, re-sealed for him, at the next nonce, with no authorizations.
	let key = pallet_inft::Tokens::<Runtime>::hashed_key_for(token);
	let value = node.rpc.call("state_getStorage", json!([to_hex(&key)])).unwrap();
	let record = pallet_inft::TokenOf::<Runtime>::decode(&mut &from_hex(&value)[..]).unwrap();
	assert_eq!(record.owner, bob);
	assert_eq!(record.nonce, 1);
	assert_eq!(record.data[0].data_hash, new_hash);
	assert_eq!(record.data[0].sealed_key[..], sealed_key[..]);
	assert_eq!(record.depositor, vault, "the vault paid the deposit");
	let key = pallet_inft::Authorizations::<Runtime>::hashed_key_for(token);
	assert!(node.rpc.call("state_getStorage", json!([to_hex(&key)])).unwrap().is_null());
}
