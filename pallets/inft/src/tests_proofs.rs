//! Transfers and clones with proofs: valid ones, forged ones, replays, Ethereum signers.

use crate::{mock::*, tests::mint_token, *};
use frame_support::{assert_noop, assert_ok};

fn register(oracle: &AccountId) {
	assert_ok!(Inft::register_oracle(RuntimeOrigin::root(), oracle.clone(), OracleKind::Tee, None));
}

fn new_items(n: usize, tag: u8) -> Vec<NewItem> {
	(0..n)
		.map(|i| NewItem { hash: [tag + i as u8; 32], sealed_key: vec![tag; 40 + i] })
		.collect()
}

fn old_hashes(id: TokenId) -> Vec<[u8; 32]> {
	Tokens::<Test>::get(id).unwrap().data.iter().map(|d| d.data_hash).collect()
}

/// Proofs for moving `id` to the named sr25519 receiver, signed by the oracle and the receiver.
fn proofs_for(id: TokenId, receiver: &str, items: &[NewItem]) -> ProofsOf<Test> {
	let receiver = key(receiver);
	let nonce = Tokens::<Test>::get(id).unwrap().nonce;
	proofs(id, &old_hashes(id), items, b"receiver-x25519-key", nonce, &key("Oracle"), &|m| {
		sign(&receiver, m)
	})
}

#[test]
fn a_transfer_with_valid_proofs_reseals_the_data_for_the_receiver() {
	new_test_ext().execute_with(|| {
		register(&acc("Oracle"));
		let id = mint_token(2);
		let items = new_items(2, 50);
		let proofs = proofs_for(id, "Bob", &items);
		assert_ok!(Inft::transfer(RuntimeOrigin::signed(acc("Alice")), id, acc("Bob"), proofs));
		let token = Tokens::<Test>::get(id).unwrap();
		assert_eq!((token.owner.clone(), token.nonce), (acc("Bob"), 1));
		for (item, new) in token.data.iter().zip(&items) {
			assert_eq!(
				(item.data_hash, item.sealed_key.to_vec()),
				(new.hash, new.sealed_key.clone())
			);
		}
		assert_eq!(&token.data[0].description[..], b"item 0");
		System::assert_last_event(
			Event::PublishedSealedKey {
				token: id,
				to: acc("Bob"),
				sealed_keys: items.iter().map(|i| bytes(&i.sealed_key)).collect(),
			}
			.into(),
		);
	});
}

#[test]
fn an_unknown_or_removed_oracle_is_refused() {
	new_test_ext().execute_with(|| {
		let id = mint_token(1);
		let proofs = proofs_for(id, "Bob", &new_items(1, 50));
		assert_noop!(
			Inft::transfer(RuntimeOrigin::signed(acc("Alice")), id, acc("Bob"), proofs.clone()),
			Error::<Test>::UnknownOracle
		);
		register(&acc("Oracle"));
		assert_ok!(Inft::remove_oracle(RuntimeOrigin::root(), acc("Oracle")));
		assert_noop!(
			Inft::transfer(RuntimeOrigin::signed(acc("Alice")), id, acc("Bob"), proofs),
			Error::<Test>::UnknownOracle
		);
	});
}

#[test]
fn forged_ownership_proofs_are_refused() {
	new_test_ext().execute_with(|| {
		register(&acc("Oracle"));
		let id = mint_token(2);
		let alice = RuntimeOrigin::signed(acc("Alice"));
		let good = proofs_for(id, "Bob", &new_items(2, 50));

		// Signed by a key that is not the named oracle's.
		let mut forged = good.clone();
		forged[1].ownership = sign(&key("Mallory"), b"anything");
		assert_noop!(
			Inft::transfer(alice.clone(), id, acc("Bob"), forged),
			Error::<Test>::BadOwnershipProof
		);
		// The oracle's real signature, but the sealed key swapped afterwards.
		let mut swapped = good.clone();
		swapped[0].new_sealed_key = bytes(b"a key the oracle never sealed");
		assert_noop!(
			Inft::transfer(alice.clone(), id, acc("Bob"), swapped),
			Error::<Test>::BadOwnershipProof
		);
		// Proofs for another token.
		let other = mint_token(2);
		let foreign = proofs_for(other, "Bob", &new_items(2, 50));
		assert_noop!(
			Inft::transfer(alice.clone(), id, acc("Bob"), foreign),
			Error::<Test>::BadOwnershipProof
		);
		// Nothing changed.
		assert_eq!(Tokens::<Test>::get(id).unwrap().nonce, 0);
		assert_ok!(Inft::transfer(alice, id, acc("Bob"), good));
	});
}

#[test]
fn forged_access_proofs_are_refused_and_an_assistant_may_sign() {
	new_test_ext().execute_with(|| {
		register(&acc("Oracle"));
		let id = mint_token(1);
		let items = new_items(1, 50);
		let alice = RuntimeOrigin::signed(acc("Alice"));
		// Charlie signs the access proof for Bob: refused.
		let by_charlie = proofs_for(id, "Charlie", &items);
		assert_noop!(
			Inft::transfer(alice.clone(), id, acc("Bob"), by_charlie.clone()),
			Error::<Test>::BadAccessProof
		);
		// Bob's signature moved onto a different data hash: the oracle's no longer matches.
		let mut moved = proofs_for(id, "Bob", &items);
		moved[0].new_data_hash = [9; 32];
		assert_noop!(
			Inft::transfer(alice.clone(), id, acc("Bob"), moved),
			Error::<Test>::BadOwnershipProof
		);
		// Once Bob delegates to Charlie, Charlie's access proof counts for Bob.
		assert_ok!(Inft::delegate_access(RuntimeOrigin::signed(acc("Bob")), Some(acc("Charlie"))));
		assert_ok!(Inft::transfer(alice, id, acc("Bob"), by_charlie));
		assert_eq!(Tokens::<Test>::get(id).unwrap().owner, acc("Bob"));
	});
}

#[test]
fn used_proofs_are_never_accepted_again() {
	new_test_ext().execute_with(|| {
		register(&acc("Oracle"));
		let id = mint_token(1);
		let to_bob = proofs_for(id, "Bob", &new_items(1, 50));
		assert_ok!(Inft::transfer(
			RuntimeOrigin::signed(acc("Alice")),
			id,
			acc("Bob"),
			to_bob.clone()
		));
		// Bob sends it back to Alice with fresh proofs.
		let to_alice = proofs_for(id, "Alice", &new_items(1, 60));
		assert_ok!(Inft::transfer(
			RuntimeOrigin::signed(acc("Bob")),
			id,
			acc("Alice"),
			to_alice.clone()
		));
		// Alice replays the first transfer's proofs, and Bob the second's: both refused.
		assert_noop!(
			Inft::transfer(RuntimeOrigin::signed(acc("Alice")), id, acc("Bob"), to_bob),
			Error::<Test>::BadOwnershipProof
		);
		assert_noop!(
			Inft::clone_token(RuntimeOrigin::signed(acc("Alice")), id, acc("Alice"), to_alice),
			Error::<Test>::BadOwnershipProof
		);
	});
}

#[test]
fn one_proof_per_data_item() {
	new_test_ext().execute_with(|| {
		register(&acc("Oracle"));
		let id = mint_token(2);
		let mut one = proofs_for(id, "Bob", &new_items(2, 50));
		one.truncate(1);
		assert_noop!(
			Inft::transfer(RuntimeOrigin::signed(acc("Alice")), id, acc("Bob"), one.clone()),
			Error::<Test>::WrongProofCount
		);
		let plain = mint_token(0);
		assert_noop!(
			Inft::transfer(RuntimeOrigin::signed(acc("Alice")), plain, acc("Bob"), one),
			Error::<Test>::WrongProofCount
		);
	});
}

#[test]
fn ethereum_keys_sign_ownership_and_access_proofs() {
	new_test_ext().execute_with(|| {
		let (oracle, eve) = (eth_key("EthOracle"), eth_key("Eve"));
		register(&eth_account(&oracle));
		let id = mint_token(1);
		let genesis = Inft::genesis_hash();
		let item = &new_items(1, 70)[0];
		let ownership =
			ownership_message(&genesis, id, &[1; 32], &item.hash, &item.sealed_key, b"eve-key", 0);
		let access = access_message(&genesis, id, &item.hash, b"eve-key", 0);
		let proof = TransferProof {
			oracle: eth_account(&oracle),
			new_data_hash: item.hash,
			new_sealed_key: bytes(&item.sealed_key),
			receiver_key: bytes(b"eve-key"),
			ownership: eth_sign(&oracle, &ownership),
			access: eth_sign(&eve, &access),
		};
		// Eve's signature does not stand for Bob.
		let proofs: ProofsOf<Test> = vec![proof].try_into().unwrap();
		assert_noop!(
			Inft::transfer(RuntimeOrigin::signed(acc("Alice")), id, acc("Bob"), proofs.clone()),
			Error::<Test>::BadAccessProof
		);
		assert_ok!(Inft::transfer(
			RuntimeOrigin::signed(acc("Alice")),
			id,
			eth_account(&eve),
			proofs
		));
		assert_eq!(Tokens::<Test>::get(id).unwrap().owner, eth_account(&eve));
		// A malformed Ethereum signature is refused, not a panic.
		assert!(!<Inft as ProofSigner<_, _>>::signed_by(
			&ProofSignature::Ethereum([0xFF; 65]),
			b"m",
			&acc("Bob")
		));
	});
}

#[test]
fn a_clone_gives_the_receiver_a_new_token_and_spends_the_proofs() {
	new_test_ext().execute_with(|| {
		register(&acc("Oracle"));
		let id = mint_token(2);
		let items = new_items(2, 80);
		let proofs = proofs_for(id, "Charlie", &items);
		assert_noop!(
			Inft::clone_token(
				RuntimeOrigin::signed(acc("Bob")),
				id,
				acc("Charlie"),
				proofs.clone()
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Inft::clone_token(
				RuntimeOrigin::signed(acc("Alice")),
				99,
				acc("Charlie"),
				proofs.clone()
			),
			Error::<Test>::UnknownToken
		);
		let source = Tokens::<Test>::get(id).unwrap();
		assert_ok!(Inft::clone_token(
			RuntimeOrigin::signed(acc("Alice")),
			id,
			acc("Charlie"),
			proofs
		));
		let new_id = NextTokenId::<Test>::get() - 1;
		let clone = Tokens::<Test>::get(new_id).unwrap();
		assert_eq!(
			(clone.owner.clone(), clone.depositor.clone(), clone.nonce),
			(acc("Charlie"), acc("Alice"), 0)
		);
		assert_eq!(clone.data[1].data_hash, items[1].hash);
		assert_eq!(clone.data[1].description, source.data[1].description);
		assert_eq!(clone.uri, source.uri);
		// The source keeps its data and owner; its nonce moved on.
		let after = Tokens::<Test>::get(id).unwrap();
		assert_eq!(
			(after.data.clone(), after.owner.clone(), after.nonce),
			(source.data, acc("Alice"), 1)
		);
		System::assert_has_event(
			Event::Cloned { token: id, new_token: new_id, to: acc("Charlie") }.into(),
		);
	});
}
