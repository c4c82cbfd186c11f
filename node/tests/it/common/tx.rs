//! Wallet-like helpers for the tests: thin, panicking wrappers over zerog-cli's typed chain
//! client.

use super::rpc::Client;
use sp_core::{sr25519, H256};
use sp_runtime::MultiAddress;
use zerog_cli::chain::{signed_extrinsic as sign, AccountState};
use zerog_runtime::{
	AccountId, Balance, BalancesCall, Nonce, RuntimeCall, RuntimeEvent, SigningContext,
	UncheckedExtrinsic,
};

/// The genesis hash.
pub fn genesis_hash(rpc: &Client) -> H256 {
	rpc.with(|c| c.genesis_hash()).unwrap()
}

/// The hash of block `number`.
pub fn block_hash(rpc: &Client, number: u32) -> H256 {
	rpc.with(|c| c.block_hash(number)).unwrap()
}

/// The account's next nonce, counting transactions in the pool.
pub fn next_nonce(rpc: &Client, who: &AccountId) -> Nonce {
	rpc.with(|c| c.next_nonce(who)).unwrap()
}

/// Free balance of `who` at `at` (best block when `None`).
pub fn free_balance(rpc: &Client, who: &AccountId, at: Option<H256>) -> Balance {
	account_info(rpc, who, at).data.free
}

/// The state (nonce, balances) of `who` at `at` (best block when `None`).
pub fn account_info(rpc: &Client, who: &AccountId, at: Option<H256>) -> AccountState {
	rpc.with(|c| c.account_info(who, at)).unwrap()
}

/// The runtime events of block `at`.
pub fn events(rpc: &Client, at: H256) -> Vec<RuntimeEvent> {
	rpc.with(|c| c.events(at))
		.unwrap()
		.into_iter()
		.map(|record| record.event)
		.collect()
}

/// An immortal transaction signed by `signer` (or with `signer`'s key but claimed to come
/// from `claimed_sender`, to forge a bad signature), for this binary's runtime version.
pub fn signed_extrinsic(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	claimed_sender: Option<AccountId>,
	nonce: Nonce,
	genesis: H256,
) -> UncheckedExtrinsic {
	sign(call, signer, claimed_sender, nonce, SigningContext::native(genesis))
}

/// A `balances.transfer_keep_alive` call.
pub fn transfer_call(dest: &AccountId, value: Balance) -> RuntimeCall {
	RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
		dest: MultiAddress::Id(dest.clone()),
		value,
	})
}

/// Submits an extrinsic; returns its hash or the node's error text.
pub fn submit(rpc: &Client, xt: &UncheckedExtrinsic) -> Result<H256, String> {
	rpc.with(|c| c.submit(xt)).map_err(|e| e.to_string())
}

/// Finds the block (from `from` up to the best block) holding `xt`: number and hash.
pub fn find_inclusion(rpc: &Client, xt: &UncheckedExtrinsic, from: u32) -> Option<(u32, H256)> {
	rpc.with(|c| c.find_inclusion(xt, from))
		.unwrap()
		.map(|(number, hash, _)| (number, hash))
}

/// The parent hash of block `hash`.
pub fn parent_of(rpc: &Client, hash: H256) -> H256 {
	rpc.with(|c| c.header(Some(hash))).unwrap().parent_hash
}

/// Signs `call` with `who`'s dev key, submits it and waits until it is in a block without
/// failing; returns that block's events.
pub fn execute(
	node: &super::Node,
	who: sp_keyring::Sr25519Keyring,
	call: RuntimeCall,
) -> Vec<RuntimeEvent> {
	try_execute(node, who, call).expect("the call succeeds")
}

/// As [`execute`], but a failed dispatch is returned as its error's name.
pub fn try_execute(
	node: &super::Node,
	who: sp_keyring::Sr25519Keyring,
	call: RuntimeCall,
) -> Result<Vec<RuntimeEvent>, String> {
	let genesis = genesis_hash(&node.rpc);
	let nonce = next_nonce(&node.rpc, &who.to_account_id());
	let from = node.best_number();
	let xt = signed_extrinsic(call, &who.pair(), None, nonce, genesis);
	submit(&node.rpc, &xt).expect("the transaction is accepted");
	let mut found = None;
	node.wait_for("the transaction to be included", std::time::Duration::from_secs(60), |n| {
		found = n.rpc.with(|c| c.find_inclusion(&xt, from)).unwrap();
		found.is_some()
	});
	let (_, at, index) = found.unwrap();
	match node.rpc.with(|c| c.dispatch_failure(at, index)).unwrap() {
		Some(failure) => Err(failure),
		None => Ok(events(&node.rpc, at)),
	}
}
