//! Alignment end to end on a `--dev` node (20-block eras, 10-block reveal windows): Alice
//! holds the genesis licence and operates it; Bob buys a licence and delegates it to her.
//! Alice commits a report that fails the storage provider drawn for era 0 (herself, the only
//! one on dev), reveals it after the era, and the quorum of her one report slashes the
//! provider through pallet-storage. Bob's licence, delegated during era 0, counts from era 1
//! on: of era 0 it earns the holder share only, which Bob claims, and Alice's licence, which
//! did the work, takes the whole active share. The test plays the operator by hand: it checks the chain's side of the protocol
//! and the `alignment_*` RPC, not an alignment node's checks.

use crate::common::{
	tx::{block_hash, events, execute, free_balance, try_execute},
	Node,
};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;
use zerog_alignment_service::challenge::nothing_to_check;
use zerog_runtime::{RuntimeCall, RuntimeEvent, UNIT};

type AlignmentCall = pallet_alignment::Call<zerog_runtime::Runtime>;

fn era(node: &Node) -> Value {
	node.rpc.call("alignment_era", json!([])).expect("alignment_era answers")
}

#[test]
fn a_revealed_report_slashes_the_failed_provider_and_licences_earn_the_emission() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("alignment", &["--dev"], false);
	let alice = Sr25519Keyring::Alice.to_account_id();
	let bob = Sr25519Keyring::Bob.to_account_id();
	node.wait_for("era 0", Duration::from_secs(30), |n| !era(n).is_null());

	// Genesis: Alice's licence 0, delegated to herself.
	assert_eq!(
		node.rpc.call("alignment_licencesOf", json!([alice.to_string()])).unwrap(),
		json!([0])
	);
	let licence = node.rpc.call("alignment_licence", json!([0])).unwrap();
	assert_eq!(
		(licence["owner"].clone(), licence["operator"].clone()),
		(json!(alice.to_string()), json!(alice.to_string()))
	);

	// Bob buys licence 1 for 1,000 ZG and delegates it to Alice.
	let before = free_balance(&node.rpc, &bob, None);
	execute(&node, Sr25519Keyring::Bob, RuntimeCall::Alignment(AlignmentCall::buy_licence {}));
	assert!(before - free_balance(&node.rpc, &bob, None) >= 1_000 * UNIT);
	execute(
		&node,
		Sr25519Keyring::Bob,
		RuntimeCall::Alignment(AlignmentCall::delegate { licence: 1, operator: alice.clone() }),
	);
	let operator = node.rpc.call("alignment_operator", json!([alice.to_string()])).unwrap();
	assert_eq!(operator["licences"], 2);

	// Era 0's subjects: the dev chain's one storage provider and DA member, Alice.
	let current = era(&node);
	assert_eq!(current["era"], 0, "the test must commit within era 0: {current}");
	let subjects = current["subjects"].as_array().unwrap().clone();
	assert_eq!(
		(subjects[0]["kind"].clone(), subjects[0]["account"].clone()),
		(json!("storage"), json!(alice.to_string()))
	);
	assert!(subjects.iter().any(|s| s["kind"] == "da"), "{current}");
	// Fail the storage provider, pass everything else as having nothing to check (a pass on
	// data would need the subject's receipt, see `alignment_network`).
	let idle = format!("0x{}", hex::encode(nothing_to_check()));
	let failed = format!("0x{}", hex::encode([1u8; 32]));
	let verdicts: Vec<Value> = subjects
		.iter()
		.map(|s| {
			let storage = s["kind"] == "storage";
			json!({ "ok": !storage, "evidence": if storage { &failed } else { &idle } })
		})
		.collect();
	let salt = format!("0x{}", hex::encode([42u8; 32]));
	let commitment = node
		.rpc
		.call("alignment_reportCommitment", json!([0, alice.to_string(), verdicts, salt]))
		.unwrap();
	let commitment: [u8; 32] = crate::common::rpc::from_hex(&commitment).try_into().unwrap();
	execute(
		&node,
		Sr25519Keyring::Alice,
		RuntimeCall::Alignment(AlignmentCall::commit_report { era: 0, commitment }),
	);
	let status = node.rpc.call("alignment_reportStatus", json!([0, alice.to_string()])).unwrap();
	assert_eq!(status, json!({ "committed": true, "revealed": false }));

	let verdicts: Vec<pallet_alignment::ReportedVerdict> = verdicts
		.iter()
		.map(|v| pallet_alignment::ReportedVerdict {
			ok: v["ok"].as_bool().unwrap(),
			evidence: crate::common::rpc::from_hex(&v["evidence"]).try_into().unwrap(),
			receipt: None,
		})
		.collect();
	let reveal = || {
		RuntimeCall::Alignment(AlignmentCall::reveal_report {
			era: 0,
			verdicts: verdicts.clone().try_into().unwrap(),
			salt: [42; 32],
		})
	};
	// Too early: era 0 is still running.
	let early = try_execute(&node, Sr25519Keyring::Alice, reveal()).unwrap_err();
	assert!(early.contains("alignment.NotRevealing"), "{early}");

	// Era 1 starts at block 21: reveal.
	node.wait_for("era 1", Duration::from_secs(90), |n| era(n)["era"] == 1);
	assert_eq!(era(&node)["revealing"]["era"], 0);
	execute(&node, Sr25519Keyring::Alice, reveal());

	// The window closes at block 31: era 0 is finalized.
	let mut outcome = Value::Null;
	node.wait_for("era 0's outcome", Duration::from_secs(60), |n| {
		outcome = n.rpc.call("alignment_outcome", json!([0])).unwrap();
		!outcome.is_null()
	});
	assert_eq!(
		(outcome["reporters"].clone(), outcome["agreeing"].clone(), outcome["faulty"].clone()),
		(json!(1), json!(1), json!(1))
	);
	let emission = 10_000 * UNIT;
	assert_eq!(outcome["accrued"], emission.to_string(), "the whole emission is accrued");
	// The dev preset's holder share is 33%, split over both licences; the active share goes to
	// the one licence that counted in era 0, Alice's.
	let holder = 3_300 * UNIT / 2;
	assert_eq!(
		(outcome["holderReward"].clone(), outcome["activeReward"].clone()),
		(json!(holder.to_string()), json!((emission - 3_300 * UNIT).to_string()))
	);

	// The slash went through pallet-storage, in the block that finalized the era.
	let best = node.best_number();
	let slashed = (21..=best).flat_map(|n| events(&node.rpc, block_hash(&node.rpc, n))).find_map(
		|e| match e {
			RuntimeEvent::FileStorage(pallet_storage::Event::ProviderSlashed { who, slashed }) => {
				Some((who, slashed))
			},
			_ => None,
		},
	);
	assert_eq!(slashed, Some((alice.clone(), 50 * UNIT)), "5% of the 1,000 ZG bond");

	// Bob's licence has the holder share of era 0; he claims it.
	let licence = node.rpc.call("alignment_licence", json!([1])).unwrap();
	assert_eq!(licence["pendingRewards"], holder.to_string());
	let before = free_balance(&node.rpc, &bob, None);
	execute(
		&node,
		Sr25519Keyring::Bob,
		RuntimeCall::Alignment(AlignmentCall::claim_rewards { licence: 1 }),
	);
	let gained = free_balance(&node.rpc, &bob, None) - before;
	assert!(gained > holder - UNIT && gained <= holder, "claimed {gained} less the fee");
	assert_eq!(node.rpc.call("alignment_licence", json!([1])).unwrap()["pendingRewards"], "0");
	let again = try_execute(
		&node,
		Sr25519Keyring::Bob,
		RuntimeCall::Alignment(AlignmentCall::claim_rewards { licence: 1 }),
	)
	.unwrap_err();
	assert!(again.contains("alignment.NothingToClaim"), "{again}");
}
