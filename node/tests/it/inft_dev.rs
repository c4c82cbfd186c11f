//! iNFTs end to end on a `--dev` node, through signed extrinsics: root registers Charlie as
//! a TEE oracle; Alice mints a token over one encrypted item; a transfer to Bob whose access
//! proof Charlie signed instead of Bob is refused; one with Bob's proof lands, re-seals the
//! data for Bob and publishes the new key; the same proofs replayed are refused.

use crate::common::{
	tx::{execute, genesis_hash, try_execute},
	Node,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use zerog_runtime::{Runtime, RuntimeCall, RuntimeEvent};

type InftCall = pallet_inft::Call<Runtime>;

fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> frame_support::BoundedVec<u8, S> {
	bytes.to_vec().try_into().unwrap()
}

#[test]
fn a_transfer_lands_only_with_the_oracles_and_the_receivers_proofs() {
	let _load = crate::common::load::dev_node();
	let node = Node::start("inft", &["--dev"], false);
	let (charlie, bob) = (Sr25519Keyring::Charlie, Sr25519Keyring::Bob);
	let register = InftCall::register_oracle {
		oracle: charlie.to_account_id(),
		kind: pallet_inft::OracleKind::Tee,
		attestation: Some([7; 32]),
	};
	let sudo = pallet_sudo::Call::<Runtime>::sudo { call: Box::new(RuntimeCall::Inft(register)) };
	execute(&node, Sr25519Keyring::Alice, RuntimeCall::Sudo(sudo));

	let data = vec![(bounded(b"model weights"), [1; 32])];
	let mint = InftCall::mint {
		data: data.try_into().unwrap(),
		sealed_key: bounded(b"sealed-to-alice"),
		uri: bounded(b"zerog://agent"),
	};
	let events = execute(&node, Sr25519Keyring::Alice, RuntimeCall::Inft(mint));
	let token = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Inft(pallet_inft::Event::Minted { token, .. }) => Some(*token),
			_ => None,
		})
		.expect("a Minted event");

	// Proofs at nonce 0, bound to this chain's genesis hash.
	let genesis = genesis_hash(&node.rpc);
	let (new_hash, sealed, receiver_key) =
		([2; 32], b"sealed-to-bob".to_vec(), b"bob-x25519".to_vec());
	let ownership = pallet_inft::ownership_message(
		&genesis,
		token,
		&[1; 32],
		&new_hash,
		&sealed,
		&receiver_key,
		0,
	);
	let access = pallet_inft::access_message(&genesis, token, &new_hash, &receiver_key, 0);
	let proof = |access_signer: Sr25519Keyring| pallet_inft::TransferProof {
		oracle: charlie.to_account_id(),
		new_data_hash: new_hash,
		new_sealed_key: bounded(&sealed),
		receiver_key: bounded(&receiver_key),
		ownership: pallet_inft::ProofSignature::Substrate(charlie.pair().sign(&ownership).into()),
		access: pallet_inft::ProofSignature::Substrate(access_signer.pair().sign(&access).into()),
	};
	let transfer = |access_signer| {
		RuntimeCall::Inft(InftCall::transfer {
			token,
			to: bob.to_account_id(),
			proofs: vec![proof(access_signer)].try_into().unwrap(),
		})
	};
	assert_eq!(
		try_execute(&node, Sr25519Keyring::Alice, transfer(charlie)).unwrap_err(),
		"inft.BadAccessProof"
	);

	let events = execute(&node, Sr25519Keyring::Alice, transfer(bob));
	assert!(
		events.iter().any(|e| matches!(
			e,
			RuntimeEvent::Inft(pallet_inft::Event::PublishedSealedKey { token: t, to, sealed_keys })
				if *t == token && *to == bob.to_account_id() && sealed_keys[0].to_vec() == sealed
		)),
		"{events:#?}"
	);

	// Bob owns it now; Alice cannot move it, and the used proofs do not work for Bob either.
	assert_eq!(
		try_execute(&node, Sr25519Keyring::Alice, transfer(bob)).unwrap_err(),
		"inft.NotOwner"
	);
	let replay = RuntimeCall::Inft(InftCall::clone_token {
		token,
		to: bob.to_account_id(),
		proofs: vec![proof(bob)].try_into().unwrap(),
	});
	assert_eq!(try_execute(&node, bob, replay).unwrap_err(), "inft.BadOwnershipProof");
}
