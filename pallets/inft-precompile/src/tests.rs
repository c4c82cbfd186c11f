//! The precompile called through pallet-revive as a contract or wallet would call it.

use crate::{
	mock::*,
	IInft::{self, IInftCalls as Call},
	INFT_ADDRESS,
};
use alloy_core::{
	primitives::{Address, Bytes, FixedBytes, U256},
	sol_types::{Revert, SolCall, SolError, SolEvent, SolValue},
};
use pallet_inft::WeightInfo;
use sp_core::{ecdsa, H160};

fn mint_call(items: &[(&str, [u8; 32])]) -> Call {
	Call::mint(IInft::mintCall {
		data: items
			.iter()
			.map(|(description, hash)| IInft::MintItem {
				description: description.to_string(),
				dataHash: FixedBytes(*hash),
			})
			.collect(),
		sealedKey: Bytes::from_static(b"sealed-to-alice"),
		uri: "zerog://agent".into(),
	})
}

/// Calls and expects success; returns the output.
fn ok(caller: &ecdsa::Pair, input: Call) -> Vec<u8> {
	let result = call(caller, input).result.expect("the call executes");
	assert!(!result.did_revert(), "reverted: {}", revert_reason(&result.data));
	result.data
}

/// Calls and expects a revert; returns its reason.
fn reverts(caller: &ecdsa::Pair, input: Call) -> String {
	let result = call(caller, input).result.expect("the call executes");
	assert!(result.did_revert(), "did not revert");
	revert_reason(&result.data)
}

fn revert_reason(data: &[u8]) -> String {
	Revert::abi_decode(data)
		.map(|r| r.reason)
		.unwrap_or_else(|_| format!("{data:?}"))
}

fn mint(caller: &ecdsa::Pair, items: &[(&str, [u8; 32])]) -> U256 {
	IInft::mintCall::abi_decode_returns(&ok(caller, mint_call(items))).unwrap()
}

fn owner(token: U256) -> Address {
	IInft::ownerOfCall::abi_decode_returns(&ok(
		&eth_key("Dave"),
		Call::ownerOf(IInft::ownerOfCall { tokenId: token }),
	))
	.unwrap()
}

fn nonce(token: U256) -> u64 {
	IInft::nonceOfCall::abi_decode_returns(&ok(
		&eth_key("Dave"),
		Call::nonceOf(IInft::nonceOfCall { tokenId: token }),
	))
	.unwrap()
}

/// Proofs moving one-item `token` (old hash `old`) to `receiver` at `nonce`: the oracle signs
/// with sr25519, `access` with its Ethereum key.
fn proof(
	token: U256,
	old: [u8; 32],
	new: [u8; 32],
	nonce: u64,
	access: &ecdsa::Pair,
) -> IInft::TransferProof {
	let genesis = Inft::genesis_hash();
	let id = token.to::<u64>();
	let (sealed, receiver_key) = (b"sealed-to-bob", b"bob-x25519");
	let ownership =
		pallet_inft::ownership_message(&genesis, id, &old, &new, sealed, receiver_key, nonce);
	let access_message = pallet_inft::access_message(&genesis, id, &new, receiver_key, nonce);
	IInft::TransferProof {
		oracle: oracle_id(),
		newDataHash: FixedBytes(new),
		newSealedKey: Bytes::from_static(sealed),
		receiverKey: Bytes::from_static(receiver_key),
		ownershipSignature: substrate_signature(&oracle(), &ownership),
		accessSignature: ethereum_signature(access, &access_message),
	}
}

fn transfer_call(token: U256, to: &ecdsa::Pair, proofs: Vec<IInft::TransferProof>) -> Call {
	Call::transfer(IInft::transferCall { tokenId: token, to: sol_address(to), proofs })
}

/// The Solidity logs the precompile emitted, as (topics, data).
fn logs() -> Vec<(Vec<[u8; 32]>, Vec<u8>)> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted {
				contract,
				data,
				topics,
			}) if contract == H160(INFT_ADDRESS) => Some((topics.iter().map(|t| t.0).collect(), data)),
			_ => None,
		})
		.collect()
}

#[test]
fn mint_then_read_back_through_the_views() {
	new_test_ext().execute_with(|| {
		let alice = eth_key("Alice");
		let token = mint(&alice, &[("model weights", [1; 32]), ("memory", [2; 32])]);
		assert_eq!(token, U256::ZERO);
		assert_eq!(owner(token), sol_address(&alice));
		let data = IInft::dataOfCall::abi_decode_returns(&ok(
			&alice,
			Call::dataOf(IInft::dataOfCall { tokenId: token }),
		))
		.unwrap();
		assert_eq!(data.len(), 2);
		assert_eq!((data[1].description.as_str(), data[1].dataHash.0), ("memory", [2; 32]));
		assert_eq!(&data[0].sealedKey[..], b"sealed-to-alice");
		let uri = ok(&alice, Call::tokenURI(IInft::tokenURICall { tokenId: token }));
		assert_eq!(IInft::tokenURICall::abi_decode_returns(&uri).unwrap(), "zerog://agent");
		assert_eq!(nonce(token), 0);
		// The pallet holds the token's deposit from the caller's account.
		assert_eq!(pallet_inft::Tokens::<Test>::get(0).unwrap().owner, eth_account(&alice));
		// ERC-721 style Transfer from zero.
		let (topics, _) = logs().pop().expect("a log");
		assert_eq!(topics[0], IInft::Transfer::SIGNATURE_HASH.0);
		assert_eq!(topics[1], [0; 32]);
		assert_eq!(&topics[2][12..], address(&alice).as_bytes());
	});
}

#[test]
fn transfer_with_proofs_moves_the_token_and_publishes_the_key() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (eth_key("Alice"), eth_key("Bob"));
		let token = mint(&alice, &[("model weights", [1; 32])]);
		ok(&alice, transfer_call(token, &bob, vec![proof(token, [1; 32], [9; 32], 0, &bob)]));
		assert_eq!(owner(token), sol_address(&bob));
		assert_eq!(nonce(token), 1);
		let data = IInft::dataOfCall::abi_decode_returns(&ok(
			&bob,
			Call::dataOf(IInft::dataOfCall { tokenId: token }),
		))
		.unwrap();
		assert_eq!((data[0].dataHash.0, &data[0].sealedKey[..]), ([9; 32], &b"sealed-to-bob"[..]));
		let logs = logs();
		let (topics, data) = logs.last().unwrap();
		assert_eq!(topics[0], IInft::PublishedSealedKey::SIGNATURE_HASH.0);
		let keys = <Vec<Bytes>>::abi_decode(data).unwrap();
		assert_eq!(&keys[0][..], b"sealed-to-bob");
		assert_eq!(logs[logs.len() - 2].0[0], IInft::Transfer::SIGNATURE_HASH.0);
	});
}

#[test]
fn a_forged_access_proof_reverts_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let (alice, bob, charlie) = (eth_key("Alice"), eth_key("Bob"), eth_key("Charlie"));
		let token = mint(&alice, &[("model weights", [1; 32])]);
		let forged = proof(token, [1; 32], [9; 32], 0, &charlie);
		assert_eq!(
			reverts(&alice, transfer_call(token, &bob, vec![forged])),
			"inft: BadAccessProof"
		);
		assert_eq!((owner(token), nonce(token)), (sol_address(&alice), 0));
		// Signed for a wrong nonce: the oracle's proof no longer matches.
		let stale = proof(token, [1; 32], [9; 32], 1, &bob);
		assert_eq!(
			reverts(&alice, transfer_call(token, &bob, vec![stale])),
			"inft: BadOwnershipProof"
		);
	});
}

#[test]
fn a_replayed_proof_and_a_non_owner_are_refused() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (eth_key("Alice"), eth_key("Bob"));
		let token = mint(&alice, &[("model weights", [1; 32])]);
		let used = proof(token, [1; 32], [9; 32], 0, &bob);
		ok(&alice, transfer_call(token, &bob, vec![used.clone()]));
		assert_eq!(
			reverts(&alice, transfer_call(token, &alice, vec![used.clone()])),
			"inft: NotOwner"
		);
		let clone = Call::clone(IInft::cloneCall {
			tokenId: token,
			to: sol_address(&bob),
			proofs: vec![used],
		});
		assert_eq!(reverts(&bob, clone), "inft: BadOwnershipProof");
		assert_eq!(reverts(&bob, transfer_call(token, &alice, vec![])), "inft: ProofsRequired");
	});
}

#[test]
fn clone_returns_the_new_token() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (eth_key("Alice"), eth_key("Bob"));
		let token = mint(&alice, &[("model weights", [1; 32])]);
		let clone = Call::clone(IInft::cloneCall {
			tokenId: token,
			to: sol_address(&bob),
			proofs: vec![proof(token, [1; 32], [5; 32], 0, &bob)],
		});
		let new_token = IInft::cloneCall::abi_decode_returns(&ok(&alice, clone)).unwrap();
		assert_eq!(new_token, U256::from(1));
		assert_eq!((owner(token), owner(new_token)), (sol_address(&alice), sol_address(&bob)));
		assert_eq!((nonce(token), nonce(new_token)), (1, 0));
		assert!(logs().iter().any(|(topics, _)| topics[0] == IInft::Cloned::SIGNATURE_HASH.0));
	});
}

#[test]
fn malformed_input_reverts_with_a_reason() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (eth_key("Alice"), eth_key("Bob"));
		let token = mint(&alice, &[("model weights", [1; 32])]);
		let mut bad = proof(token, [1; 32], [9; 32], 0, &bob);
		bad.accessSignature = Bytes::from_static(&[1, 2, 3]);
		assert_eq!(
			reverts(&alice, transfer_call(token, &bob, vec![bad])),
			"inft: accessSignature is neither 65 bytes nor a SCALE ProofSignature"
		);
		let long = Call::mint(IInft::mintCall {
			data: vec![],
			sealedKey: Bytes::from(vec![0; 65]),
			uri: String::new(),
		});
		assert_eq!(reverts(&alice, long), "inft: sealedKey longer than 64 bytes");
		let too_many = mint_call(&[("a", [1; 32]); 5]);
		assert_eq!(reverts(&alice, too_many), "inft: too many data items");
		let unknown = Call::ownerOf(IInft::ownerOfCall { tokenId: U256::from(7) });
		assert_eq!(reverts(&alice, unknown), "inft: UnknownToken");
		let huge = Call::burn(IInft::burnCall { tokenId: U256::MAX });
		assert_eq!(reverts(&alice, huge), "inft: UnknownToken");
		assert_eq!(pallet_inft::NextTokenId::<Test>::get(), 1, "nothing else was minted");
	});
}

#[test]
fn a_caller_without_funds_mints_nothing() {
	new_test_ext().execute_with(|| {
		let poor = eth_key("Poor");
		let reason = reverts(&poor, mint_call(&[("model weights", [1; 32])]));
		assert!(reason.starts_with("inft: "), "{reason}");
		assert_eq!(pallet_inft::NextTokenId::<Test>::get(), 0);
		assert!(logs().is_empty(), "no event of a reverted call");
	});
}

#[test]
fn authorize_revoke_and_delegate() {
	new_test_ext().execute_with(|| {
		let (alice, bob, charlie) = (eth_key("Alice"), eth_key("Bob"), eth_key("Charlie"));
		let token = mint(&alice, &[("model weights", [1; 32])]);
		let authorize = |user: &ecdsa::Pair| {
			Call::authorizeUsage(IInft::authorizeUsageCall {
				tokenId: token,
				user: sol_address(user),
			})
		};
		let revoke = |user: &ecdsa::Pair| {
			Call::revokeAuthorization(IInft::revokeAuthorizationCall {
				tokenId: token,
				user: sol_address(user),
			})
		};
		let is_authorized = |user: &ecdsa::Pair| {
			let out = ok(
				user,
				Call::isAuthorized(IInft::isAuthorizedCall {
					tokenId: token,
					user: sol_address(user),
				}),
			);
			IInft::isAuthorizedCall::abi_decode_returns(&out).unwrap()
		};
		assert_eq!(reverts(&bob, authorize(&bob)), "inft: NotOwner");
		ok(&alice, authorize(&bob));
		assert!(is_authorized(&bob) && !is_authorized(&charlie));
		assert_eq!(reverts(&alice, authorize(&bob)), "inft: AlreadyAuthorized");
		let users =
			ok(&alice, Call::authorizedUsersOf(IInft::authorizedUsersOfCall { tokenId: token }));
		assert_eq!(
			IInft::authorizedUsersOfCall::abi_decode_returns(&users).unwrap(),
			vec![sol_address(&bob)]
		);
		ok(&alice, revoke(&bob));
		assert!(!is_authorized(&bob));
		assert_eq!(reverts(&alice, revoke(&bob)), "inft: NotAuthorized");

		// Bob's assistant Charlie signs Bob's access proof.
		let assistant_of = || {
			let out =
				ok(&bob, Call::assistantOf(IInft::assistantOfCall { user: sol_address(&bob) }));
			IInft::assistantOfCall::abi_decode_returns(&out).unwrap()
		};
		assert_eq!(assistant_of(), Address::ZERO);
		ok(
			&bob,
			Call::delegateAccess(IInft::delegateAccessCall { assistant: sol_address(&charlie) }),
		);
		assert_eq!(assistant_of(), sol_address(&charlie));
		ok(&alice, transfer_call(token, &bob, vec![proof(token, [1; 32], [9; 32], 0, &charlie)]));
		assert_eq!(owner(token), sol_address(&bob));
		ok(&bob, Call::delegateAccess(IInft::delegateAccessCall { assistant: Address::ZERO }));
		assert_eq!(
			reverts(
				&bob,
				Call::delegateAccess(IInft::delegateAccessCall { assistant: Address::ZERO })
			),
			"inft: NoAssistant"
		);
	});
}

#[test]
fn burn_ends_the_token() {
	new_test_ext().execute_with(|| {
		let alice = eth_key("Alice");
		let token = mint(&alice, &[]);
		let burn = || Call::burn(IInft::burnCall { tokenId: token });
		assert_eq!(reverts(&eth_key("Bob"), burn()), "inft: NotOwner");
		ok(&alice, burn());
		assert_eq!(
			reverts(&alice, Call::ownerOf(IInft::ownerOfCall { tokenId: token })),
			"inft: UnknownToken"
		);
		assert_eq!(reverts(&alice, burn()), "inft: UnknownToken");
	});
}

#[test]
fn the_message_views_match_the_pallet_and_accounts_map_as_revive_maps() {
	new_test_ext().execute_with(|| {
		let alice = eth_key("Alice");
		let genesis = ok(&alice, Call::genesisHash(IInft::genesisHashCall {}));
		assert_eq!(IInft::genesisHashCall::abi_decode_returns(&genesis).unwrap().0, [0x42; 32]);
		let message = ok(
			&alice,
			Call::ownershipMessage(IInft::ownershipMessageCall {
				tokenId: U256::from(3),
				oldDataHash: FixedBytes([1; 32]),
				newDataHash: FixedBytes([2; 32]),
				newSealedKey: Bytes::from_static(b"key"),
				receiverKey: Bytes::from_static(b"rx"),
				nonce: 4,
			}),
		);
		let expected = pallet_inft::ownership_message(
			&Inft::genesis_hash(),
			3,
			&[1; 32],
			&[2; 32],
			b"key",
			b"rx",
			4,
		);
		assert_eq!(
			IInft::ownershipMessageCall::abi_decode_returns(&message).unwrap().to_vec(),
			expected
		);
		let message = ok(
			&alice,
			Call::accessMessage(IInft::accessMessageCall {
				tokenId: U256::from(3),
				newDataHash: FixedBytes([2; 32]),
				receiverKey: Bytes::from_static(b"rx"),
				nonce: 4,
			}),
		);
		let expected = pallet_inft::access_message(&Inft::genesis_hash(), 3, &[2; 32], b"rx", 4);
		assert_eq!(
			IInft::accessMessageCall::abi_decode_returns(&message).unwrap().to_vec(),
			expected
		);
		let account: [u8; 32] = eth_account(&alice).into();
		assert_eq!(
			IInft::accountOfCall::abi_decode_returns(&account_bytes(&alice)).unwrap().0,
			account
		);
	});
}

fn account_bytes(pair: &ecdsa::Pair) -> Vec<u8> {
	ok(pair, Call::accountOf(IInft::accountOfCall { addr: sol_address(pair) }))
}

#[test]
fn calls_charge_at_least_the_pallet_weight() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (eth_key("Alice"), eth_key("Bob"));
		let minted = call(&alice, mint_call(&[("model weights", [1; 32])]));
		assert!(
			minted.weight_consumed.all_gte(<() as WeightInfo>::mint(1)),
			"{:?}",
			minted.weight_consumed
		);
		let token = U256::ZERO;
		let moved =
			call(&alice, transfer_call(token, &bob, vec![proof(token, [1; 32], [9; 32], 0, &bob)]));
		assert!(!moved.result.unwrap().did_revert());
		let pallet = <() as WeightInfo>::transfer(1);
		assert!(moved.weight_consumed.all_gte(pallet), "{:?} < {pallet:?}", moved.weight_consumed);
		let read = call(&bob, Call::ownerOf(IInft::ownerOfCall { tokenId: token }));
		let db_read = <Test as frame_system::Config>::DbWeight::get().reads(1);
		assert!(read.weight_consumed.all_gte(db_read) && read.weight_consumed.all_lt(pallet));
	});
}
