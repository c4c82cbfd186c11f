//! Oracles, minting, plain transfers, authorizations, assistants and burning.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::DispatchError;

fn held(who: &AccountId) -> u64 {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Inft(HoldReason::Deposit),
		who,
	)
}

/// Alice mints a token with `items` data items; returns its id.
pub fn mint_token(items: usize) -> TokenId {
	let data: Vec<_> = (0..items)
		.map(|i| (bytes(format!("item {i}").as_bytes()), [i as u8 + 1; 32]))
		.collect();
	assert_ok!(Inft::mint(
		RuntimeOrigin::signed(acc("Alice")),
		data.try_into().unwrap(),
		bytes(b"sealed-to-alice"),
		bytes(b"ipfs://agent")
	));
	NextTokenId::<Test>::get() - 1
}

#[test]
fn oracles_are_managed_by_the_oracle_origin() {
	new_test_ext().execute_with(|| {
		let oracle = acc("Oracle");
		assert_noop!(
			Inft::register_oracle(
				RuntimeOrigin::signed(acc("Alice")),
				oracle.clone(),
				OracleKind::Tee,
				None
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Inft::register_oracle(
			RuntimeOrigin::root(),
			oracle.clone(),
			OracleKind::Tee,
			Some([7; 32])
		));
		assert_eq!(
			Oracles::<Test>::get(&oracle),
			Some(OracleInfo { kind: OracleKind::Tee, attestation: Some([7; 32]) })
		);
		assert_noop!(
			Inft::remove_oracle(RuntimeOrigin::signed(acc("Alice")), oracle.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Inft::remove_oracle(RuntimeOrigin::root(), oracle.clone()));
		assert_noop!(
			Inft::remove_oracle(RuntimeOrigin::root(), oracle.clone()),
			Error::<Test>::UnknownOracle
		);
		System::assert_last_event(Event::OracleRemoved { oracle }.into());
	});
}

#[test]
fn minting_records_the_data_and_holds_a_deposit_sized_for_it() {
	new_test_ext().execute_with(|| {
		let id = mint_token(2);
		let token = Tokens::<Test>::get(id).unwrap();
		assert_eq!(token.owner, acc("Alice"));
		assert_eq!(token.nonce, 0);
		assert_eq!(token.data.len(), 2);
		assert_eq!(token.data[1].data_hash, [2; 32]);
		assert_eq!(&token.data[0].sealed_key[..], b"sealed-to-alice");
		// 100 + 1 per byte: 128 overhead + 12 of URI + 2 x (6 of description + 32 + 64).
		assert_eq!(token.deposit, 100 + 128 + 12 + 2 * (6 + 32 + 64));
		assert_eq!(held(&acc("Alice")), token.deposit);
		System::assert_last_event(
			Event::Minted { token: id, owner: acc("Alice"), items: 2 }.into(),
		);
	});
}

#[test]
fn minting_without_funds_fails_and_creates_nothing() {
	new_test_ext().execute_with(|| {
		assert!(Inft::mint(
			RuntimeOrigin::signed(acc("Nobody")),
			Default::default(),
			bytes(b""),
			bytes(b"")
		)
		.is_err());
		assert_eq!(NextTokenId::<Test>::get(), 0);
		assert_eq!(Tokens::<Test>::iter().count(), 0);
	});
}

#[test]
fn plain_tokens_move_freely_and_private_ones_only_with_proofs() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (acc("Alice"), acc("Bob"));
		let plain = mint_token(0);
		assert_noop!(
			Inft::transfer(
				RuntimeOrigin::signed(bob.clone()),
				plain,
				alice.clone(),
				Default::default()
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Inft::transfer(
				RuntimeOrigin::signed(alice.clone()),
				plain,
				alice.clone(),
				Default::default()
			),
			Error::<Test>::SameOwner
		);
		assert_noop!(
			Inft::transfer(
				RuntimeOrigin::signed(alice.clone()),
				99,
				bob.clone(),
				Default::default()
			),
			Error::<Test>::UnknownToken
		);
		assert_ok!(Inft::transfer(
			RuntimeOrigin::signed(alice.clone()),
			plain,
			bob.clone(),
			Default::default()
		));
		assert_eq!(Tokens::<Test>::get(plain).unwrap().owner, bob);
		System::assert_last_event(
			Event::Transferred { token: plain, from: alice.clone(), to: bob.clone() }.into(),
		);

		let private = mint_token(1);
		assert_noop!(
			Inft::transfer(
				RuntimeOrigin::signed(alice.clone()),
				private,
				bob.clone(),
				Default::default()
			),
			Error::<Test>::ProofsRequired
		);
		assert_noop!(
			Inft::clone_token(RuntimeOrigin::signed(alice), private, bob, Default::default()),
			Error::<Test>::ProofsRequired
		);
	});
}

#[test]
fn authorizations_are_bounded_revocable_once_and_end_with_a_transfer() {
	new_test_ext().execute_with(|| {
		let (alice, bob, charlie, dave) = (acc("Alice"), acc("Bob"), acc("Charlie"), acc("Dave"));
		let id = mint_token(0);
		let base = held(&alice);
		assert_noop!(
			Inft::authorize_usage(RuntimeOrigin::signed(bob.clone()), id, charlie.clone()),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Inft::authorize_usage(RuntimeOrigin::signed(alice.clone()), 99, bob.clone()),
			Error::<Test>::UnknownToken
		);
		assert_ok!(Inft::authorize_usage(RuntimeOrigin::signed(alice.clone()), id, bob.clone()));
		assert!(
			Inft::may_use(id, &bob) && Inft::may_use(id, &alice) && !Inft::may_use(id, &charlie)
		);
		assert_noop!(
			Inft::authorize_usage(RuntimeOrigin::signed(alice.clone()), id, bob.clone()),
			Error::<Test>::AlreadyAuthorized
		);
		assert_ok!(Inft::authorize_usage(
			RuntimeOrigin::signed(alice.clone()),
			id,
			charlie.clone()
		));
		assert_noop!(
			Inft::authorize_usage(RuntimeOrigin::signed(alice.clone()), id, dave.clone()),
			Error::<Test>::TooManyUsers
		);
		assert_eq!(held(&alice), base + 20);

		assert_noop!(
			Inft::revoke_authorization(RuntimeOrigin::signed(bob.clone()), id, charlie.clone()),
			Error::<Test>::NotOwner
		);
		assert_ok!(Inft::revoke_authorization(
			RuntimeOrigin::signed(alice.clone()),
			id,
			charlie.clone()
		));
		System::assert_last_event(
			Event::AuthorizationRevoked { token: id, user: charlie.clone() }.into(),
		);
		assert_noop!(
			Inft::revoke_authorization(RuntimeOrigin::signed(alice.clone()), id, charlie.clone()),
			Error::<Test>::NotAuthorized
		);
		assert_eq!(held(&alice), base + 10);

		// A transfer ends Bob's authorization and returns Alice's deposit for it.
		assert_ok!(Inft::transfer(
			RuntimeOrigin::signed(alice.clone()),
			id,
			dave.clone(),
			Default::default()
		));
		assert!(Authorizations::<Test>::get(id).is_empty());
		assert!(!Inft::may_use(id, &bob) && Inft::may_use(id, &dave));
		assert_eq!(held(&alice), base);
	});
}

#[test]
fn an_assistant_is_set_replaced_and_removed_with_one_deposit() {
	new_test_ext().execute_with(|| {
		let (bob, charlie, dave) = (acc("Bob"), acc("Charlie"), acc("Dave"));
		assert_noop!(
			Inft::delegate_access(RuntimeOrigin::signed(bob.clone()), None),
			Error::<Test>::NoAssistant
		);
		assert_ok!(Inft::delegate_access(
			RuntimeOrigin::signed(bob.clone()),
			Some(charlie.clone())
		));
		assert_ok!(Inft::delegate_access(RuntimeOrigin::signed(bob.clone()), Some(dave.clone())));
		assert_eq!(Assistants::<Test>::get(&bob), Some(dave.clone()));
		assert_eq!(held(&bob), 20);
		System::assert_last_event(
			Event::AccessDelegated { user: bob.clone(), assistant: Some(dave) }.into(),
		);
		assert_ok!(Inft::delegate_access(RuntimeOrigin::signed(bob.clone()), None));
		assert_eq!(Assistants::<Test>::get(&bob), None);
		assert_eq!(held(&bob), 0);
		// Without funds for the deposit, nothing is recorded.
		assert!(Inft::delegate_access(RuntimeOrigin::signed(acc("Nobody")), Some(bob)).is_err());
		assert_eq!(Assistants::<Test>::get(acc("Nobody")), None);
	});
}

#[test]
fn burning_returns_every_deposit_to_who_paid_it() {
	new_test_ext().execute_with(|| {
		let (alice, bob) = (acc("Alice"), acc("Bob"));
		let id = mint_token(1);
		let plain = mint_token(0);
		assert_ok!(Inft::authorize_usage(RuntimeOrigin::signed(alice.clone()), plain, bob.clone()));
		assert_ok!(Inft::transfer(
			RuntimeOrigin::signed(alice.clone()),
			plain,
			bob.clone(),
			Default::default()
		));
		assert_ok!(Inft::authorize_usage(RuntimeOrigin::signed(bob.clone()), plain, alice.clone()));
		assert_noop!(
			Inft::burn(RuntimeOrigin::signed(alice.clone()), plain),
			Error::<Test>::NotOwner
		);
		// Bob burns: Alice minted it, so her deposit comes back; Bob's authorization deposit too.
		let alice_before = held(&alice);
		assert_ok!(Inft::burn(RuntimeOrigin::signed(bob.clone()), plain));
		assert_eq!(held(&bob), 0);
		assert!(held(&alice) < alice_before);
		assert_eq!(held(&alice), Tokens::<Test>::get(id).unwrap().deposit);
		assert_eq!(Tokens::<Test>::get(plain), None);
		assert_noop!(Inft::burn(RuntimeOrigin::signed(bob), plain), Error::<Test>::UnknownToken);
	});
}

/// The invariants can fail: each test breaks some directly in storage, in externalities that
/// do not check them at the end.
mod try_state {
	use super::*;
	use frame_support::{assert_err, BoundedVec};

	type Users = BoundedVec<AccountId, <Test as Config>::MaxAuthorizedUsers>;

	#[test]
	fn a_token_id_at_or_above_the_counter_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			mint_token(1);
			assert_ok!(Inft::do_try_state());
			NextTokenId::<Test>::put(0);
			assert_err!(Inft::do_try_state(), "A token id is not below NextTokenId.");
		});
	}

	#[test]
	fn authorization_lists_that_are_malformed_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			let id = mint_token(0);
			assert_ok!(Inft::do_try_state());
			let bob = acc("Bob");
			Authorizations::<Test>::insert(
				id,
				Users::truncate_from(vec![bob.clone(), bob.clone()]),
			);
			assert_err!(Inft::do_try_state(), "A user is authorized twice on one token.");
			Authorizations::<Test>::remove(id);
			assert_ok!(Inft::do_try_state());
			Authorizations::<Test>::insert(id + 1, Users::truncate_from(vec![bob]));
			assert_err!(Inft::do_try_state(), "Authorizations outlived their token.");
		});
	}

	#[test]
	fn deposits_that_differ_from_the_holds_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			let id = mint_token(1);
			assert_ok!(Inft::do_try_state());
			Tokens::<Test>::mutate(id, |token| token.as_mut().unwrap().deposit += 1);
			assert_err!(
				Inft::do_try_state(),
				"An account's deposits differ from the balance held for them."
			);
			Tokens::<Test>::mutate(id, |token| token.as_mut().unwrap().deposit -= 1);
			assert_ok!(Inft::do_try_state());
			Assistants::<Test>::insert(acc("Bob"), acc("Charlie"));
			assert_err!(
				Inft::do_try_state(),
				"An account's deposits differ from the balance held for them."
			);
		});
	}
}
