//! End to end on a `--dev` chain: blocks are authored and finalized, a signed transfer
//! lands with the right balance and fee, and bad transactions are rejected clearly.

use crate::common::{tx, Node};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use std::time::{Duration, Instant};
use zerog_runtime::{RuntimeEvent, UNIT};

#[test]
fn dev_chain_authors_finalizes_and_settles_a_transfer() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("dev", &["--dev"], true);
	let started = Instant::now();

	node.wait_for("block 5 imported and block 3 finalized", Duration::from_secs(120), |n| {
		n.best_number() >= 5 && n.finalized_number() >= 3
	});
	let lag = node.best_number().saturating_sub(node.finalized_number());
	eprintln!("dev chain: block 5 after {:?}; finality lag now {lag} blocks", started.elapsed());

	// Prometheus serves the node's metrics.
	let metrics = node.metrics();
	assert!(metrics.contains("substrate_block_height"), "metrics: {metrics}");

	// Alice pays a fresh account.
	let alice = Sr25519Keyring::Alice;
	let (fresh, _) = sr25519::Pair::generate();
	let fresh_account = fresh.public().into();
	let amount = 10 * UNIT;
	let genesis = tx::genesis_hash(&node.rpc);
	let nonce = tx::next_nonce(&node.rpc, &alice.to_account_id());
	let from_block = node.best_number();
	let xt = tx::signed_extrinsic(
		tx::transfer_call(&fresh_account, amount),
		&alice.pair(),
		None,
		nonce,
		genesis,
	);
	tx::submit(&node.rpc, &xt).expect("the transfer is accepted into the pool");

	let mut included = None;
	node.wait_for("the transfer to be included", Duration::from_secs(60), |n| {
		included = tx::find_inclusion(&n.rpc, &xt, from_block);
		included.is_some()
	});
	let (_, block) = included.unwrap();

	assert_eq!(tx::free_balance(&node.rpc, &fresh_account, Some(block)), amount);

	let fee = tx::events(&node.rpc, block)
		.into_iter()
		.find_map(|event| match event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { who, actual_fee, tip },
			) if who == alice.to_account_id() => {
				assert_eq!(tip, 0);
				Some(actual_fee)
			},
			_ => None,
		})
		.expect("a TransactionFeePaid event for Alice");
	assert!(fee > 0, "a transfer costs a fee");
	assert!(fee < UNIT / 100, "a transfer costs less than 0.01 ZG, got {fee}");

	let parent = tx::parent_of(&node.rpc, block);
	let before = tx::free_balance(&node.rpc, &alice.to_account_id(), Some(parent));
	let after = tx::free_balance(&node.rpc, &alice.to_account_id(), Some(block));
	assert_eq!(before - after, amount + fee, "Alice pays the amount plus the fee");
	eprintln!("transfer of {amount} settled in a block; fee {fee}");
}

#[test]
fn bad_transactions_are_rejected_and_the_chain_goes_on() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("dev-bad", &["--dev"], false);
	node.wait_for("block 2", Duration::from_secs(120), |n| n.best_number() >= 2);
	let genesis = tx::genesis_hash(&node.rpc);
	let alice = Sr25519Keyring::Alice.to_account_id();
	let bob = Sr25519Keyring::Bob.to_account_id();

	// Signed with Bob's key but claiming to come from Alice.
	let nonce = tx::next_nonce(&node.rpc, &alice);
	let forged = tx::signed_extrinsic(
		tx::transfer_call(&bob, UNIT),
		&Sr25519Keyring::Bob.pair(),
		Some(alice.clone()),
		nonce,
		genesis,
	);
	let error = tx::submit(&node.rpc, &forged).expect_err("a forged signature is refused");
	assert!(error.contains("bad signature"), "error: {error}");

	// An account with no funds cannot pay the fee.
	let (poor, _) = sr25519::Pair::generate();
	let broke = tx::signed_extrinsic(tx::transfer_call(&bob, UNIT), &poor, None, 0, genesis);
	let error = tx::submit(&node.rpc, &broke).expect_err("an unfunded sender is refused");
	assert!(error.contains("Inability to pay some fees"), "error: {error}");

	// A transaction for another chain (wrong genesis) is refused too.
	let elsewhere = tx::signed_extrinsic(
		tx::transfer_call(&bob, UNIT),
		&Sr25519Keyring::Alice.pair(),
		None,
		nonce,
		sp_core::H256::repeat_byte(7),
	);
	let error = tx::submit(&node.rpc, &elsewhere).expect_err("a wrong genesis is refused");
	assert!(error.contains("bad signature"), "error: {error}");

	let best = node.best_number();
	node.wait_for("the chain to keep producing", Duration::from_secs(60), |n| {
		n.best_number() >= best + 2
	});
}
