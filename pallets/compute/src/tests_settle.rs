//! Settlement of signed receipts, and the property that a provider never collects more
//! than the user signed.

use crate::{mock::*, pallet::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect, BoundedVec};
use proptest::prelude::*;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn batch(
	receipts: Vec<ReceiptOf<Test>>,
) -> BoundedVec<ReceiptOf<Test>, <Test as Config>::MaxSettleBatch> {
	receipts.try_into().expect("within the batch bound")
}

fn settle(receipts: Vec<ReceiptOf<Test>>) -> frame_support::pallet_prelude::DispatchResult {
	Compute::settle(signed(&prov()), batch(receipts))
}

fn alice_key() -> sp_core::sr25519::Pair {
	key("Alice")
}

/// The provider's inference service; Alice funds `amount` and acknowledges the signer.
fn ready(amount: u64) {
	assert_ok!(Compute::register_service(signed(&prov()), inference_info(), MIN_BOND));
	assert_ok!(Compute::deposit(signed(&alice()), 1_000));
	assert_ok!(Compute::transfer_to_provider(signed(&alice()), prov(), amount));
	assert_ok!(Compute::acknowledge_signer(signed(&alice()), prov()));
}

fn sub() -> SubAccountOf<Test> {
	SubAccounts::<Test>::get(alice(), prov()).unwrap()
}

#[test]
fn settle_pays_the_rise_of_the_cumulative_fee() {
	new_test_ext().execute_with(|| {
		ready(300);
		let before = Balances::balance(&prov());
		assert_ok!(settle(vec![receipt(&alice_key(), &signer_key(), 1, 40)]));
		assert_ok!(settle(vec![
			receipt(&alice_key(), &signer_key(), 2, 90),
			receipt(&alice_key(), &signer_key(), 5, 90),
			receipt(&alice_key(), &signer_key(), 6, 150),
		]));
		assert_eq!(Balances::balance(&prov()), before + 150);
		assert_eq!(sub().balance, 150);
		assert_eq!(Compute::settled(&alice(), &prov()), (6, 150));
		System::assert_last_event(
			Event::<Test>::BatchSettled { provider: prov(), receipts: 3, paid: 110 }.into(),
		);
	});
}

#[test]
fn replayed_or_old_nonce_is_refused() {
	new_test_ext().execute_with(|| {
		ready(300);
		let first = receipt(&alice_key(), &signer_key(), 3, 40);
		assert_ok!(settle(vec![first.clone()]));
		assert_noop!(settle(vec![first]), Error::<Test>::StaleNonce);
		assert_noop!(
			settle(vec![receipt(&alice_key(), &signer_key(), 2, 80)]),
			Error::<Test>::StaleNonce
		);
		// The same receipt twice in one batch.
		let next = receipt(&alice_key(), &signer_key(), 4, 60);
		assert_noop!(settle(vec![next.clone(), next]), Error::<Test>::StaleNonce);
	});
}

#[test]
fn decreasing_cumulative_fee_is_refused() {
	new_test_ext().execute_with(|| {
		ready(300);
		assert_ok!(settle(vec![receipt(&alice_key(), &signer_key(), 1, 100)]));
		assert_noop!(
			settle(vec![receipt(&alice_key(), &signer_key(), 2, 99)]),
			Error::<Test>::FeeDecreased
		);
	});
}

#[test]
fn over_budget_receipt_is_refused() {
	new_test_ext().execute_with(|| {
		ready(300);
		assert_noop!(
			settle(vec![receipt(&alice_key(), &signer_key(), 1, 301)]),
			Error::<Test>::OverBudget
		);
		assert_ok!(settle(vec![receipt(&alice_key(), &signer_key(), 1, 300)]));
		assert_noop!(
			settle(vec![receipt(&alice_key(), &signer_key(), 2, 301)]),
			Error::<Test>::OverBudget
		);
	});
}

#[test]
fn forged_signatures_are_refused() {
	new_test_ext().execute_with(|| {
		ready(300);
		// Signed by Bob instead of Alice.
		let mut forged = receipt(&key("Bob"), &signer_key(), 1, 50);
		forged.user = alice();
		assert_noop!(settle(vec![forged]), Error::<Test>::BadUserSignature);
		// Alice signed 50; the provider claims 250.
		let mut inflated = receipt(&alice_key(), &signer_key(), 1, 50);
		inflated.cumulative_fee = 250;
		assert_noop!(settle(vec![inflated]), Error::<Test>::BadUserSignature);
		// Co-signed by a key Alice never acknowledged.
		assert_noop!(
			settle(vec![receipt(&alice_key(), &key("Mallory"), 1, 50)]),
			Error::<Test>::BadSignerSignature
		);
		// Alice's receipt for another provider.
		let other = receipt_to(&prov2(), &alice_key(), &signer_key(), 1, 50);
		assert_noop!(settle(vec![other]), Error::<Test>::BadUserSignature);
		assert_eq!(sub().nonce, 0);
	});
}

#[test]
fn unacknowledged_signer_is_refused() {
	new_test_ext().execute_with(|| {
		assert_ok!(Compute::register_service(signed(&prov()), inference_info(), MIN_BOND));
		assert_ok!(Compute::deposit(signed(&alice()), 1_000));
		assert_noop!(
			settle(vec![receipt(&alice_key(), &signer_key(), 1, 10)]),
			Error::<Test>::UnknownSubAccount
		);
		assert_ok!(Compute::transfer_to_provider(signed(&alice()), prov(), 100));
		assert_noop!(
			settle(vec![receipt(&alice_key(), &signer_key(), 1, 10)]),
			Error::<Test>::SignerNotAcknowledged
		);
		// A new signer is not acknowledged by the old acknowledgement.
		assert_ok!(Compute::acknowledge_signer(signed(&alice()), prov()));
		let mut info = inference_info();
		info.signer = account_of(&key("NewSigner"));
		assert_ok!(Compute::update_service(signed(&prov()), info));
		assert_noop!(
			settle(vec![receipt(&alice_key(), &key("NewSigner"), 1, 10)]),
			Error::<Test>::BadSignerSignature
		);
		assert_ok!(Compute::acknowledge_signer(signed(&alice()), prov()));
		assert_ok!(settle(vec![receipt(&alice_key(), &key("NewSigner"), 1, 10)]));
	});
}

#[test]
fn a_bad_receipt_fails_the_whole_batch() {
	new_test_ext().execute_with(|| {
		ready(300);
		let before = Balances::balance(&prov());
		assert_noop!(
			settle(vec![
				receipt(&alice_key(), &signer_key(), 1, 10),
				receipt(&alice_key(), &key("Mallory"), 2, 20)
			]),
			Error::<Test>::BadSignerSignature
		);
		assert_eq!(Balances::balance(&prov()), before);
		assert_noop!(settle(vec![]), Error::<Test>::EmptyBatch);
	});
}

#[test]
fn a_retired_provider_still_settles() {
	new_test_ext().execute_with(|| {
		ready(300);
		assert_ok!(Compute::retire_service(signed(&prov())));
		assert_ok!(settle(vec![receipt(&alice_key(), &signer_key(), 1, 10)]));
	});
}

#[test]
fn settlement_may_spend_pending_refunds_and_shrinks_them() {
	new_test_ext().execute_with(|| {
		ready(300);
		assert_ok!(Compute::request_refund(signed(&alice()), prov(), 200));
		assert_ok!(Compute::request_refund(signed(&alice()), prov(), 100));
		assert_ok!(settle(vec![receipt(&alice_key(), &signer_key(), 1, 250)]));
		assert_eq!(sub().balance, 50);
		assert_eq!(sub().refunds.iter().map(|r| r.amount).collect::<Vec<_>>(), vec![50]);
		run_to(1 + REFUND_DELAY);
		assert_ok!(Compute::process_refunds(signed(&alice()), prov()));
		assert_eq!(sub().balance, 0);
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 700 + 50);
	});
}

#[test]
fn receipts_of_another_chain_do_not_verify() {
	new_test_ext().execute_with(|| {
		ready(300);
		let r = receipt(&alice_key(), &signer_key(), 1, 10);
		frame_system::BlockHash::<Test>::insert(0, sp_core::H256([1; 32]));
		assert_noop!(settle(vec![r]), Error::<Test>::BadUserSignature);
	});
}

/// One step of a random session: the user signs a receipt, the provider tries to settle
/// what it likes, or the user moves funds.
#[derive(Clone, Debug)]
enum Step {
	/// The user signs a receipt raising its authorized total by `add`.
	Sign { add: u64 },
	/// The provider settles the `pick`-th signed receipt, optionally inflated by `inflate`.
	Settle { pick: usize, inflate: u64 },
	/// The user requests a refund.
	Refund { amount: u64 },
	/// The user funds the sub-account.
	Fund { amount: u64 },
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		(0u64..80).prop_map(|add| Step::Sign { add }),
		(0usize..16, prop_oneof![Just(0u64), 1u64..50])
			.prop_map(|(pick, inflate)| Step::Settle { pick, inflate }),
		(1u64..120).prop_map(|amount| Step::Refund { amount }),
		(1u64..120).prop_map(|amount| Step::Fund { amount }),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	/// Whatever the provider submits, in any order, what it is paid never exceeds the
	/// largest cumulative fee the user signed, and never exceeds what the user funded.
	#[test]
	fn paid_never_exceeds_what_the_user_signed(steps in proptest::collection::vec(step(), 1..40)) {
		new_test_ext().execute_with(|| {
			ready(200);
			let start = Balances::balance(&prov());
			let mut signed_receipts: Vec<ReceiptOf<Test>> = Vec::new();
			let mut authorized = 0u64;
			let mut funded = 200u64;
			for step in steps {
				match step {
					Step::Sign { add } => {
						authorized += add;
						let nonce = signed_receipts.len() as u64 + 1;
						signed_receipts.push(receipt(&alice_key(), &signer_key(), nonce, authorized));
					},
					Step::Settle { pick, inflate } => {
						if let Some(r) = signed_receipts.get(pick % signed_receipts.len().max(1)) {
							let mut r = r.clone();
							r.cumulative_fee += inflate;
							let _ = settle(vec![r]);
						}
					},
					Step::Refund { amount } => {
						let _ = Compute::request_refund(signed(&alice()), prov(), amount);
					},
					Step::Fund { amount } => {
						if Compute::transfer_to_provider(signed(&alice()), prov(), amount).is_ok() {
							funded += amount;
						}
					},
				}
				let paid = Balances::balance(&prov()) - start;
				let sub = SubAccounts::<Test>::get(alice(), prov()).unwrap();
				prop_assert!(paid <= authorized, "paid {} > signed {}", paid, authorized);
				prop_assert!(paid <= funded, "paid {} > funded {}", paid, funded);
				prop_assert_eq!(paid, sub.settled);
				prop_assert!(Compute::pending_refunds(&sub) <= sub.balance);
			}
			Ok(())
		})?;
	}
}
