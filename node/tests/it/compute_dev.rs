//! Compute end to end on a `--dev` node, as a provider gateway would drive it: the provider
//! registers an inference service whose receipts are co-signed by a separate ecdsa key,
//! users fund it and acknowledge that key, and the provider settles one batch of receipts
//! that were signed off chain over the bytes `compute_receiptMessage` returns. A replayed
//! batch and an inflated receipt are refused, and `compute_*` reports the settled state.

use crate::common::{
	tx::{execute, try_execute},
	Node,
};
use serde_json::json;
use sp_core::{ecdsa, Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::IdentifyAccount, MultiSigner};
use zerog_runtime::{AccountId, Balance, RuntimeCall, RuntimeEvent, Signature, UNIT};

type ComputeCall = pallet_compute::Call<zerog_runtime::Runtime>;

fn ss58(who: &AccountId) -> String {
	who.to_string()
}

/// The bytes to sign for a receipt, from the node.
fn receipt_message(
	node: &Node,
	provider: &AccountId,
	user: &AccountId,
	nonce: u64,
	fee: Balance,
	requests: H256,
) -> Vec<u8> {
	let answer = node
		.rpc
		.call(
			"compute_receiptMessage",
			json!([ss58(provider), ss58(user), nonce, fee.to_string(), format!("{requests:?}")]),
		)
		.expect("compute_receiptMessage answers");
	crate::common::rpc::from_hex(&answer)
}

/// A receipt signed by `user` and by the provider's `signer`.
fn receipt(
	node: &Node,
	provider: &AccountId,
	user: Sr25519Keyring,
	signer: &ecdsa::Pair,
	nonce: u64,
	fee: Balance,
) -> pallet_compute::ReceiptOf<zerog_runtime::Runtime> {
	let requests = H256::repeat_byte(nonce as u8);
	let message = receipt_message(node, provider, &user.to_account_id(), nonce, fee, requests);
	pallet_compute::Receipt {
		user: user.to_account_id(),
		nonce,
		cumulative_fee: fee,
		requests_hash: requests.0,
		user_signature: Signature::from(user.sign(&message)),
		signer_signature: Signature::from(signer.sign(&message)),
	}
}

fn settle_call(receipts: Vec<pallet_compute::ReceiptOf<zerog_runtime::Runtime>>) -> RuntimeCall {
	RuntimeCall::Compute(ComputeCall::settle {
		receipts: receipts.try_into().expect("within the batch bound"),
	})
}

#[test]
fn a_provider_settles_receipts_signed_off_chain() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("compute", &["--dev"], false);
	let provider_key = Sr25519Keyring::Bob;
	let provider = provider_key.to_account_id();
	let signer = ecdsa::Pair::from_seed(&[7; 32]);
	let signer_account: AccountId = MultiSigner::from(signer.public()).into_account();

	let info = pallet_compute::ServiceInfoOf::<zerog_runtime::Runtime> {
		kind: pallet_compute::ServiceKind::Inference,
		model: b"llama-3.1-8b-instruct".to_vec().try_into().unwrap(),
		endpoint: b"https://gpu.bob.example/v1".to_vec().try_into().unwrap(),
		input_price: UNIT / 1_000_000,
		output_price: 2 * UNIT / 1_000_000,
		verifiability: pallet_compute::Verifiability::None,
		signer: signer_account.clone(),
		attestation: None,
	};
	execute(
		&node,
		provider_key,
		RuntimeCall::Compute(ComputeCall::register_service { info, bond: 1_000 * UNIT }),
	);
	let service = node.rpc.call("compute_service", json!([ss58(&provider)])).unwrap();
	assert_eq!(service["kind"], "inference");
	assert_eq!(service["endpoint"], "https://gpu.bob.example/v1");
	assert_eq!(service["signer"], ss58(&signer_account));
	assert_eq!(service["bond"], (1_000 * UNIT).to_string());
	let providers = node.rpc.call("compute_providers", json!([])).unwrap();
	assert_eq!(providers, json!([ss58(&provider)]));

	// Three users deposit 100 ZG, give 50 to Bob and acknowledge his signer, each in one batch.
	let users = [Sr25519Keyring::Alice, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
	for user in users {
		let calls = vec![
			RuntimeCall::Compute(ComputeCall::deposit { amount: 100 * UNIT }),
			RuntimeCall::Compute(ComputeCall::transfer_to_provider {
				provider: provider.clone(),
				amount: 50 * UNIT,
			}),
			RuntimeCall::Compute(ComputeCall::acknowledge_signer { provider: provider.clone() }),
		];
		execute(&node, user, RuntimeCall::Utility(pallet_utility::Call::batch_all { calls }));
	}
	let alice = Sr25519Keyring::Alice.to_account_id();
	let sub = node
		.rpc
		.call("compute_subAccount", json!([ss58(&alice), ss58(&provider)]))
		.unwrap();
	assert_eq!(sub["balance"], (50 * UNIT).to_string());
	assert_eq!(sub["signer"], ss58(&signer_account));
	assert_eq!(sub["nonce"], 0);
	let ledger = node.rpc.call("compute_ledger", json!([ss58(&alice)])).unwrap();
	assert_eq!(ledger["available"], (50 * UNIT).to_string());

	// One batch: user i authorizes (i + 1) ZG in total.
	let receipts: Vec<_> = users
		.iter()
		.enumerate()
		.map(|(i, user)| receipt(&node, &provider, *user, &signer, 1, (i as Balance + 1) * UNIT))
		.collect();
	let events = execute(&node, provider_key, settle_call(receipts.clone()));
	let settled = events.iter().find_map(|e| match e {
		RuntimeEvent::Compute(pallet_compute::Event::BatchSettled { receipts, paid, .. }) => {
			Some((*receipts, *paid))
		},
		_ => None,
	});
	assert_eq!(settled, Some((3, 6 * UNIT)));
	let state = node
		.rpc
		.call("compute_settled", json!([ss58(&alice), ss58(&provider)]))
		.unwrap();
	assert_eq!(state, json!({ "nonce": 1, "cumulativeFee": UNIT.to_string() }));
	let sub = node
		.rpc
		.call("compute_subAccount", json!([ss58(&alice), ss58(&provider)]))
		.unwrap();
	assert_eq!(sub["balance"], (49 * UNIT).to_string());

	// The same batch again is a replay.
	let replay = try_execute(&node, provider_key, settle_call(receipts)).unwrap_err();
	assert!(replay.contains("StaleNonce"), "{replay}");
	// Alice signed 2 ZG; Bob claims 40.
	let mut inflated = receipt(&node, &provider, Sr25519Keyring::Alice, &signer, 2, 2 * UNIT);
	inflated.cumulative_fee = 40 * UNIT;
	let refused = try_execute(&node, provider_key, settle_call(vec![inflated])).unwrap_err();
	assert!(refused.contains("BadUserSignature"), "{refused}");
	let state = node
		.rpc
		.call("compute_settled", json!([ss58(&alice), ss58(&provider)]))
		.unwrap();
	assert_eq!(state["nonce"], 1);

	// An unknown provider has no service; a malformed fee is a parameter error.
	let none = node
		.rpc
		.call("compute_service", json!([ss58(&Sr25519Keyring::Eve.to_account_id())]))
		.unwrap();
	assert!(none.is_null());
	let bad = node.rpc.call(
		"compute_receiptMessage",
		json!([ss58(&provider), ss58(&alice), 1, "12abc", format!("{:?}", H256::zero())]),
	);
	assert!(bad.is_err());
}
