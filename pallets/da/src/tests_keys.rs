//! Operator keys belong to one account, proven by the key's holder (issue 32, finding 3).
//! Before, account B could register with A's public key: A's node then fetched, attested
//! and answered for B's seat, and B was paid for A's work.

use crate::{mock::*, tests::bond_of, *};
use frame_support::{assert_noop, assert_ok};
use sp_core::Pair;
use sp_runtime::BuildStorage;

fn register_with(
	who: u64,
	key_of: u64,
	proof: operator_key::Signature,
) -> sp_runtime::DispatchResult {
	Da::register_operator(RuntimeOrigin::signed(who), operator_public(key_of), 100, proof)
}

#[test]
fn an_account_cannot_register_another_operator_s_key() {
	new_test_ext().execute_with(|| {
		// 4 claims operator 1's key: refused whatever it signs, even with 1's consent.
		assert_noop!(register_with(4, 1, key_proof(4, 4)), Error::<Test>::KeyInUse);
		assert_noop!(register_with(4, 1, key_proof(1, 4)), Error::<Test>::KeyInUse);
		// 5 is about to register. 4 front-runs it with 5's key: it can sign only with its
		// own key, or copy the proof from 5's transaction, which names account 5.
		assert_noop!(register_with(4, 5, key_proof(4, 4)), Error::<Test>::BadKeyProof);
		assert_noop!(register_with(4, 5, key_proof(5, 5)), Error::<Test>::BadKeyProof);
		assert!(Operators::<Test>::get(4).is_none());
		assert_eq!(bond_of(4), 0);
		assert_ok!(register_with(5, 5, key_proof(5, 5)));
		assert_eq!(OperatorByKey::<Test>::get(operator_public(5)), Some(5));
	});
}

#[test]
fn a_proof_made_for_another_chain_is_refused() {
	new_test_ext().execute_with(|| {
		let elsewhere = sp_core::H256::repeat_byte(7);
		let payload = key_proof_payload(&elsewhere, &4u64);
		let proof: operator_key::Signature = operator_pair(4).sign(&payload).into();
		assert_noop!(register_with(4, 4, proof), Error::<Test>::BadKeyProof);
		assert_ok!(register(4, 100));
		assert_eq!(OperatorByKey::<Test>::get(operator_public(4)), Some(4));
	});
}

#[test]
fn a_key_is_free_again_once_its_operator_withdraws() {
	new_test_ext().execute_with(|| {
		assert_ok!(Da::unbond(RuntimeOrigin::signed(1)));
		run_to(Operators::<Test>::get(1).unwrap().unbonding_until.unwrap());
		assert_ok!(Da::withdraw(RuntimeOrigin::signed(1)));
		assert!(OperatorByKey::<Test>::get(operator_public(1)).is_none());
		// The key's holder moves it to account 5.
		assert_ok!(register_with(5, 1, key_proof(1, 5)));
		assert_eq!(OperatorByKey::<Test>::get(operator_public(1)), Some(5));
	});
}

#[test]
#[should_panic(expected = "genesis operator keys must be distinct")]
fn genesis_refuses_one_key_for_two_operators() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 1_000), (2, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let _ = crate::GenesisConfig::<Test> {
		params: Some(params()),
		operators: vec![(1, operator_public(1), 100), (2, operator_public(1), 100)],
	}
	.assimilate_storage(&mut storage);
}
