//! Governance end to end on a `--dev` node (fast timing: referenda decide in blocks):
//! a runtime upgrade through a root-track referendum, a parameter change through the
//! params-admin track, and a rejected referendum that changes nothing and gives its decision
//! deposit back.

use crate::common::{
	rpc::Client,
	tx::{self, execute, try_execute},
	Node,
};
use codec::{Decode, Encode};
use frame_support::traits::{schedule::DispatchTime, Bounded};
use serde_json::json;
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use std::time::Duration;
use zerog_runtime::{
	governance::origins, AccountId, Balance, OriginCaller, Runtime, RuntimeCall, RuntimeEvent, UNIT,
};

type ReferendaCall = pallet_referenda::Call<Runtime>;
type VotingCall = pallet_conviction_voting::Call<Runtime>;

/// Submits a referendum on the track of `origin` for `proposal`; returns its index.
fn submit_referendum(
	node: &Node,
	origin: OriginCaller,
	proposal: Bounded<RuntimeCall, sp_runtime::traits::BlakeTwo256>,
) -> u32 {
	let events = execute(
		node,
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(ReferendaCall::submit {
			proposal_origin: Box::new(origin),
			proposal,
			enactment_moment: DispatchTime::After(1),
		}),
	);
	events
		.into_iter()
		.find_map(|e| match e {
			RuntimeEvent::Referenda(pallet_referenda::Event::Submitted { index, .. }) => {
				Some(index)
			},
			_ => None,
		})
		.expect("a Submitted event")
}

/// Places the decision deposit (Alice) and votes with conviction: `aye` from Alice, Bob
/// and Charlie, 500,000 ZG each, locked 1x.
fn decide(node: &Node, index: u32, aye: bool) {
	execute(
		node,
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(ReferendaCall::place_decision_deposit { index }),
	);
	for voter in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie] {
		let vote = pallet_conviction_voting::AccountVote::Standard {
			vote: pallet_conviction_voting::Vote {
				aye,
				conviction: pallet_conviction_voting::Conviction::Locked1x,
			},
			balance: 500_000 * UNIT,
		};
		execute(
			node,
			voter,
			RuntimeCall::ConvictionVoting(VotingCall::vote { poll_index: index, vote }),
		);
	}
}

/// The referendum's state: `ongoing`, `approved`, `rejected`, ... (lower case), or `none`.
fn referendum_state(rpc: &Client, index: u32) -> String {
	let key = pallet_referenda::ReferendumInfoFor::<Runtime>::hashed_key_for(index);
	let value = rpc.call("state_getStorage", json!([crate::common::rpc::to_hex(&key)])).unwrap();
	if value.is_null() {
		return "none".into();
	}
	let info = pallet_referenda::ReferendumInfoOf::<Runtime, ()>::decode(
		&mut &crate::common::rpc::from_hex(&value)[..],
	)
	.unwrap();
	let debug = format!("{info:?}");
	debug.split('(').next().unwrap().to_lowercase()
}

fn spec_version(rpc: &Client) -> u32 {
	rpc.call("state_getRuntimeVersion", json!([])).unwrap()["specVersion"]
		.as_u64()
		.unwrap() as u32
}

/// This node's runtime with its declared `spec_version` one higher: the wasm's
/// `runtime_version` custom section is rewritten in place (the code is unchanged, which is
/// what an upgrade needs to prove: that the chain adopts new code by referendum).
fn runtime_with_next_spec_version() -> (Vec<u8>, u32) {
	let compressed = zerog_runtime::WASM_BINARY.expect("the runtime's wasm is built");
	let mut wasm = sp_maybe_compressed_blob::decompress(compressed, 50 * 1024 * 1024)
		.unwrap()
		.into_owned();
	let section = custom_section(&wasm, "runtime_version").expect("a runtime_version section");
	// RuntimeVersion: spec_name, impl_name (SCALE strings), authoring_version, spec_version.
	let mut cursor = &wasm[section..];
	let start = cursor.len();
	String::decode(&mut cursor).unwrap();
	String::decode(&mut cursor).unwrap();
	u32::decode(&mut cursor).unwrap();
	let at = section + (start - cursor.len());
	let old = u32::decode(&mut cursor).unwrap();
	wasm[at..at + 4].copy_from_slice(&(old + 1).to_le_bytes());
	let code = sp_maybe_compressed_blob::compress_strongly(&wasm, 50 * 1024 * 1024).unwrap();
	(code, old + 1)
}

/// Where the payload of custom section `name` starts in a wasm module.
fn custom_section(wasm: &[u8], name: &str) -> Option<usize> {
	fn leb128(bytes: &[u8], at: &mut usize) -> usize {
		let (mut value, mut shift) = (0usize, 0);
		loop {
			let byte = bytes[*at];
			*at += 1;
			value |= ((byte & 0x7f) as usize) << shift;
			if byte & 0x80 == 0 {
				return value;
			}
			shift += 7;
		}
	}
	let mut at = 8; // magic and version
	while at < wasm.len() {
		let id = wasm[at];
		at += 1;
		let size = leb128(wasm, &mut at);
		let end = at + size;
		if id == 0 {
			let mut name_at = at;
			let len = leb128(wasm, &mut name_at);
			if &wasm[name_at..name_at + len] == name.as_bytes() {
				return Some(name_at + len);
			}
		}
		at = end;
	}
	None
}

#[test]
fn a_root_referendum_upgrades_the_runtime_and_the_chain_goes_on() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("gov-upgrade", &["--dev"], false);
	let before = spec_version(&node.rpc);
	let (code, next) = runtime_with_next_spec_version();
	assert_eq!(next, before + 1);

	// Note the upgrade call's preimage, then put it to a root-track referendum.
	let call = RuntimeCall::System(frame_system::Call::set_code { code });
	let encoded = call.encode();
	let hash = sp_io::hashing::blake2_256(&encoded);
	execute(
		&node,
		Sr25519Keyring::Alice,
		RuntimeCall::Preimage(pallet_preimage::Call::note_preimage { bytes: encoded.clone() }),
	);
	let proposal = Bounded::Lookup { hash: H256(hash), len: encoded.len() as u32 };
	let index =
		submit_referendum(&node, OriginCaller::system(frame_system::RawOrigin::Root), proposal);
	decide(&node, index, true);

	node.wait_for("the upgrade to be enacted", Duration::from_secs(240), |n| {
		spec_version(&n.rpc) == next
	});
	assert_eq!(referendum_state(&node.rpc, index), "approved");
	let (best, finalized) = (node.best_number(), node.finalized_number());
	node.wait_for("blocks and finality to go on", Duration::from_secs(60), |n| {
		n.best_number() >= best + 3 && n.finalized_number() > finalized
	});
}

#[test]
fn a_params_track_referendum_sets_a_storage_parameter_and_a_rejected_one_changes_nothing() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("gov-params", &["--dev"], false);
	let read_params = |rpc: &Client| {
		let key = pallet_storage::Params::<Runtime>::hashed_key();
		let value =
			rpc.call("state_getStorage", json!([crate::common::rpc::to_hex(&key)])).unwrap();
		pallet_storage::ParamsOf::<Runtime>::decode(&mut &crate::common::rpc::from_hex(&value)[..])
			.unwrap()
	};
	let before = read_params(&node.rpc);
	let mut wanted = before.clone();
	wanted.price_per_sector = before.price_per_sector * 2 + 1;
	let set = RuntimeCall::FileStorage(pallet_storage::Call::set_params { params: wanted.clone() });

	// Only governance may do it: a signed call is refused.
	let refused = try_execute(&node, Sr25519Keyring::Bob, set.clone()).unwrap_err();
	assert_eq!(refused, "BadOrigin");

	// A rejected referendum on the same track: nothing changes, the decision deposit returns.
	let alice: AccountId = Sr25519Keyring::Alice.to_account_id();
	let rejected = submit_referendum(
		&node,
		OriginCaller::Origins(origins::Origin::ParamsAdmin),
		Bounded::Inline(set.encode().try_into().unwrap()),
	);
	decide(&node, rejected, false);
	node.wait_for("the referendum to be rejected", Duration::from_secs(240), |n| {
		referendum_state(&n.rpc, rejected) == "rejected"
	});
	assert_eq!(read_params(&node.rpc), before, "a rejected referendum changes nothing");
	let reserved_before: Balance = reserved(&node.rpc, &alice);
	execute(
		&node,
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(ReferendaCall::refund_decision_deposit { index: rejected }),
	);
	assert_eq!(
		reserved_before - reserved(&node.rpc, &alice),
		10_000 * UNIT,
		"the decision deposit is returned"
	);
	// The submission deposit (100 ZG) of a rejected referendum is kept reserved: only
	// approved or cancelled referenda return it (pallet-referenda's anti-spam rule).
	let kept = try_execute(
		&node,
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(ReferendaCall::refund_submission_deposit { index: rejected }),
	);
	assert!(kept.unwrap_err().contains("Module"), "refused");

	// An approved one sets the parameter.
	let approved = submit_referendum(
		&node,
		OriginCaller::Origins(origins::Origin::ParamsAdmin),
		Bounded::Inline(set.encode().try_into().unwrap()),
	);
	decide(&node, approved, true);
	node.wait_for("the new parameter to take effect", Duration::from_secs(240), |n| {
		read_params(&n.rpc) == wanted
	});
	assert_eq!(referendum_state(&node.rpc, approved), "approved");
	// An approved referendum returns both deposits.
	let reserved_before = reserved(&node.rpc, &alice);
	execute(
		&node,
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(ReferendaCall::refund_submission_deposit { index: approved }),
	);
	execute(
		&node,
		Sr25519Keyring::Alice,
		RuntimeCall::Referenda(ReferendaCall::refund_decision_deposit { index: approved }),
	);
	assert_eq!(
		reserved_before - reserved(&node.rpc, &alice),
		10_100 * UNIT,
		"both deposits are returned"
	);
}

/// Reserved balance of `who` at the best block.
fn reserved(rpc: &Client, who: &AccountId) -> Balance {
	tx::account_info(rpc, who, None).data.reserved
}
