//! Services, ledger, refunds, tasks, parameters and slashing.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{DispatchError, Perbill};
use zerog_traits::SlashProvider;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn register(info: ServiceInfoOf<Test>) {
	assert_ok!(Compute::register_service(signed(&prov()), info, MIN_BOND));
}

fn held(who: &AccountId, reason: HoldReason) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Compute(reason), who)
}

fn fine_tuning_info() -> ServiceInfoOf<Test> {
	ServiceInfoOf::<Test> { kind: ServiceKind::FineTuning, ..inference_info() }
}

/// Alice deposits 1,000 and gives `amount` to the provider's inference service.
fn funded_sub_account(amount: u64) {
	register(inference_info());
	assert_ok!(Compute::deposit(signed(&alice()), 1_000));
	assert_ok!(Compute::transfer_to_provider(signed(&alice()), prov(), amount));
}

fn sub() -> SubAccountOf<Test> {
	SubAccounts::<Test>::get(alice(), prov()).unwrap()
}

#[test]
fn register_update_retire_withdraw() {
	new_test_ext().execute_with(|| {
		register(inference_info());
		assert_eq!(held(&prov(), HoldReason::ServiceBond), MIN_BOND);
		assert_noop!(
			Compute::register_service(signed(&prov()), inference_info(), MIN_BOND),
			Error::<Test>::AlreadyRegistered
		);
		let mut info = inference_info();
		info.output_price = 9;
		info.signer = alice();
		assert_ok!(Compute::update_service(signed(&prov()), info.clone()));
		assert_eq!(Services::<Test>::get(prov()).unwrap().info, info);
		assert_eq!(Compute::live_providers(), vec![prov()]);

		assert_noop!(Compute::withdraw_bond(signed(&prov())), Error::<Test>::NotRetiring);
		assert_ok!(Compute::retire_service(signed(&prov())));
		assert!(Compute::live_providers().is_empty());
		assert_noop!(Compute::retire_service(signed(&prov())), Error::<Test>::AlreadyRetiring);
		assert_noop!(
			Compute::update_service(signed(&prov()), inference_info()),
			Error::<Test>::ServiceRetiring
		);
		run_to(1 + UNBONDING - 1);
		assert_noop!(Compute::withdraw_bond(signed(&prov())), Error::<Test>::StillUnbonding);
		run_to(1 + UNBONDING);
		assert_ok!(Compute::withdraw_bond(signed(&prov())));
		assert_eq!(held(&prov(), HoldReason::ServiceBond), 0);
		assert!(Services::<Test>::get(prov()).is_none());
		assert_noop!(Compute::withdraw_bond(signed(&prov())), Error::<Test>::UnknownService);
		assert_noop!(Compute::retire_service(signed(&prov())), Error::<Test>::UnknownService);
		assert_noop!(
			Compute::update_service(signed(&prov()), inference_info()),
			Error::<Test>::UnknownService
		);
	});
}

#[test]
fn service_records_are_checked() {
	new_test_ext().execute_with(|| {
		let reg = |info: ServiceInfoOf<Test>, bond| {
			Compute::register_service(signed(&prov()), info, bond)
		};
		assert_noop!(reg(inference_info(), MIN_BOND - 1), Error::<Test>::BondTooLow);
		assert_noop!(
			Compute::register_service(signed(&poor()), inference_info(), MIN_BOND),
			Error::<Test>::InsufficientBalance
		);
		let mut info = inference_info();
		info.model = Default::default();
		assert_noop!(reg(info, MIN_BOND), Error::<Test>::EmptyModel);
		for bad in [&b"ftp://x"[..], b"https://", b"gpu.example", b"http://a b"] {
			let mut info = inference_info();
			info.endpoint = bad.to_vec().try_into().unwrap();
			assert_noop!(reg(info, MIN_BOND), Error::<Test>::BadEndpoint);
		}
		let mut info = inference_info();
		info.verifiability = Verifiability::Tee;
		assert_noop!(reg(info.clone(), MIN_BOND), Error::<Test>::MissingAttestation);
		let attestation = TeeAttestation { kind: TeeKind::IntelTdx, report_hash: [7; 32] };
		let mut plain = inference_info();
		plain.attestation = Some(attestation);
		assert_noop!(reg(plain, MIN_BOND), Error::<Test>::UnexpectedAttestation);
		info.attestation = Some(attestation);
		assert_ok!(reg(info, MIN_BOND));
		// Oversized fields cannot even be built: the call would not decode.
		let long: Result<frame_support::BoundedVec<u8, <Test as Config>::MaxModelLen>, _> =
			vec![b'x'; 33].try_into();
		assert!(long.is_err());
		// An update is checked the same way.
		let mut info = inference_info();
		info.endpoint = b"gpu".to_vec().try_into().unwrap();
		assert_noop!(Compute::update_service(signed(&prov()), info), Error::<Test>::BadEndpoint);
	});
}

#[test]
fn nothing_works_without_parameters() {
	new_test_ext().execute_with(|| {
		Params::<Test>::kill();
		assert_noop!(
			Compute::register_service(signed(&prov()), inference_info(), MIN_BOND),
			Error::<Test>::NotConfigured
		);
		assert_noop!(Compute::deposit(signed(&alice()), 10), Error::<Test>::NotConfigured);
	});
}

#[test]
fn deposit_and_withdraw() {
	new_test_ext().execute_with(|| {
		let pot = Compute::pot();
		let pot_before = Balances::balance(&pot);
		assert_noop!(Compute::deposit(signed(&alice()), 0), Error::<Test>::ZeroAmount);
		assert_ok!(Compute::deposit(signed(&alice()), 500));
		assert_ok!(Compute::deposit(signed(&alice()), 100));
		assert_eq!(
			Ledgers::<Test>::get(alice()).unwrap(),
			Ledger { available: 600, deposit: RECORD_DEPOSIT }
		);
		assert_eq!(held(&alice(), HoldReason::RecordDeposit), RECORD_DEPOSIT);
		assert_eq!(Balances::balance(&pot), pot_before + 600);
		assert_noop!(Compute::withdraw(signed(&alice()), 601), Error::<Test>::InsufficientLedger);
		assert_noop!(Compute::withdraw(signed(&alice()), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Compute::withdraw(signed(&prov()), 1), Error::<Test>::UnknownLedger);
		assert_ok!(Compute::withdraw(signed(&alice()), 600));
		assert_eq!(Balances::balance(&alice()), 100_000 - RECORD_DEPOSIT);
		assert_eq!(Balances::balance(&pot), pot_before);
		// Poor can pay neither 10 nor the record deposit plus 1.
		assert_noop!(Compute::deposit(signed(&poor()), 10), Error::<Test>::InsufficientBalance);
		assert_noop!(Compute::deposit(signed(&poor()), 2), Error::<Test>::InsufficientBalance);
		assert!(Ledgers::<Test>::get(poor()).is_none());
	});
}

#[test]
fn transfer_to_provider_checks() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Compute::transfer_to_provider(signed(&alice()), prov(), 10),
			Error::<Test>::UnknownService
		);
		register(inference_info());
		assert_noop!(
			Compute::transfer_to_provider(signed(&alice()), prov(), 10),
			Error::<Test>::UnknownLedger
		);
		assert_ok!(Compute::deposit(signed(&alice()), 100));
		assert_noop!(
			Compute::transfer_to_provider(signed(&alice()), prov(), 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Compute::transfer_to_provider(signed(&alice()), prov(), 101),
			Error::<Test>::InsufficientLedger
		);
		assert!(SubAccounts::<Test>::get(alice(), prov()).is_none());
		assert_ok!(Compute::transfer_to_provider(signed(&alice()), prov(), 60));
		assert_eq!(sub().balance, 60);
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 40);
		assert_eq!(held(&alice(), HoldReason::RecordDeposit), 2 * RECORD_DEPOSIT);
		assert_ok!(Compute::retire_service(signed(&prov())));
		assert_noop!(
			Compute::transfer_to_provider(signed(&alice()), prov(), 10),
			Error::<Test>::ServiceRetiring
		);
	});
}

#[test]
fn refunds_unlock_after_the_delay() {
	new_test_ext().execute_with(|| {
		funded_sub_account(300);
		assert_noop!(
			Compute::request_refund(signed(&alice()), prov2(), 10),
			Error::<Test>::UnknownSubAccount
		);
		assert_noop!(
			Compute::request_refund(signed(&alice()), prov(), 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Compute::request_refund(signed(&alice()), prov(), 301),
			Error::<Test>::InsufficientSubAccount
		);
		assert_ok!(Compute::request_refund(signed(&alice()), prov(), 200));
		// Only 100 is not yet pending.
		assert_noop!(
			Compute::request_refund(signed(&alice()), prov(), 101),
			Error::<Test>::InsufficientSubAccount
		);
		run_to(5);
		assert_ok!(Compute::request_refund(signed(&alice()), prov(), 50));
		// Early: nothing is due.
		assert_noop!(
			Compute::process_refunds(signed(&alice()), prov()),
			Error::<Test>::NoRefundDue
		);
		run_to(1 + REFUND_DELAY);
		assert_ok!(Compute::process_refunds(signed(&alice()), prov()));
		assert_eq!(sub().balance, 100);
		assert_eq!(sub().refunds.len(), 1);
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 700 + 200);
		assert_noop!(
			Compute::process_refunds(signed(&alice()), prov()),
			Error::<Test>::NoRefundDue
		);
		run_to(5 + REFUND_DELAY);
		assert_ok!(Compute::process_refunds(signed(&alice()), prov()));
		assert_eq!(sub().balance, 50);
		assert!(sub().refunds.is_empty());
		assert_noop!(
			Compute::process_refunds(signed(&alice()), prov2()),
			Error::<Test>::UnknownSubAccount
		);
	});
}

#[test]
fn pending_refunds_are_bounded() {
	new_test_ext().execute_with(|| {
		funded_sub_account(300);
		for _ in 0..3 {
			assert_ok!(Compute::request_refund(signed(&alice()), prov(), 10));
		}
		assert_noop!(
			Compute::request_refund(signed(&alice()), prov(), 10),
			Error::<Test>::TooManyRefunds
		);
	});
}

#[test]
fn funding_cancels_pending_refunds_newest_first() {
	new_test_ext().execute_with(|| {
		funded_sub_account(300);
		assert_ok!(Compute::request_refund(signed(&alice()), prov(), 100));
		assert_ok!(Compute::request_refund(signed(&alice()), prov(), 50));
		// 120 more for the provider: 50 + 70 of the refunds are cancelled, nothing moves.
		assert_ok!(Compute::transfer_to_provider(signed(&alice()), prov(), 120));
		assert_eq!(sub().balance, 300);
		assert_eq!(sub().refunds.iter().map(|r| r.amount).collect::<Vec<_>>(), vec![30]);
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 700);
		System::assert_last_event(
			Event::<Test>::SubAccountFunded {
				user: alice(),
				provider: prov(),
				amount: 120,
				from_refunds: 120,
			}
			.into(),
		);
		// 50 more: the last 30 of refunds, then 20 from the ledger.
		assert_ok!(Compute::transfer_to_provider(signed(&alice()), prov(), 50));
		assert_eq!(sub().balance, 320);
		assert!(sub().refunds.is_empty());
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 680);
	});
}

#[test]
fn acknowledge_signer_records_the_current_key() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Compute::acknowledge_signer(signed(&alice()), prov()),
			Error::<Test>::UnknownService
		);
		register(inference_info());
		let nobody = account_of(&key("Nobody"));
		assert_noop!(
			Compute::acknowledge_signer(signed(&nobody), prov()),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Compute::acknowledge_signer(signed(&alice()), prov()));
		assert_eq!(sub().signer, Some(account_of(&signer_key())));
		assert_eq!(sub().balance, 0);
		assert_ok!(Compute::retire_service(signed(&prov())));
		assert_noop!(
			Compute::acknowledge_signer(signed(&alice()), prov()),
			Error::<Test>::ServiceRetiring
		);
	});
}

/// Alice's ledger holds 1,000; a fine-tuning task of 100 is open with the provider.
fn open_task(deliver_by: u64) -> TaskId {
	register(fine_tuning_info());
	assert_ok!(Compute::deposit(signed(&alice()), 1_000));
	let id = NextTaskId::<Test>::get();
	assert_ok!(Compute::create_task(signed(&alice()), prov(), [1; 32], 100, deliver_by));
	id
}

fn key_bytes() -> frame_support::BoundedVec<u8, <Test as Config>::MaxKeyLen> {
	vec![9u8; 48].try_into().unwrap()
}

#[test]
fn create_task_checks() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 10, 5),
			Error::<Test>::UnknownService
		);
		register(inference_info());
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 10, 5),
			Error::<Test>::WrongServiceKind
		);
		assert_ok!(Compute::update_service(signed(&prov()), fine_tuning_info()));
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 0, 5),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 10, 1),
			Error::<Test>::BadDeadline
		);
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 10, 22),
			Error::<Test>::BadDeadline
		);
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 10, 5),
			Error::<Test>::UnknownLedger
		);
		assert_ok!(Compute::deposit(signed(&alice()), 50));
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 51, 5),
			Error::<Test>::InsufficientLedger
		);
		assert_ok!(Compute::create_task(signed(&alice()), prov(), [1; 32], 50, 21));
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 0);
		assert_eq!(held(&alice(), HoldReason::RecordDeposit), 2 * RECORD_DEPOSIT);
		assert_ok!(Compute::retire_service(signed(&prov())));
		assert_ok!(Compute::deposit(signed(&alice()), 50));
		assert_noop!(
			Compute::create_task(signed(&alice()), prov(), [1; 32], 10, 5),
			Error::<Test>::ServiceRetiring
		);
	});
}

#[test]
fn delivered_and_acknowledged_task_pays_the_whole_fee() {
	new_test_ext().execute_with(|| {
		let id = open_task(10);
		assert_noop!(Compute::acknowledge_task(signed(&alice()), id), Error::<Test>::NotDelivered);
		assert_noop!(
			Compute::deliver_task(signed(&alice()), id, [2; 32], key_bytes()),
			Error::<Test>::NotTaskProvider
		);
		assert_noop!(
			Compute::deliver_task(signed(&prov()), id + 1, [2; 32], key_bytes()),
			Error::<Test>::UnknownTask
		);
		assert_ok!(Compute::deliver_task(signed(&prov()), id, [2; 32], key_bytes()));
		assert_noop!(
			Compute::deliver_task(signed(&prov()), id, [2; 32], key_bytes()),
			Error::<Test>::AlreadyDelivered
		);
		assert_noop!(Compute::acknowledge_task(signed(&prov()), id), Error::<Test>::NotTaskUser);
		assert_noop!(Compute::expire_task(signed(&prov()), id), Error::<Test>::TaskNotExpired);
		let before = Balances::balance(&prov());
		assert_ok!(Compute::acknowledge_task(signed(&alice()), id));
		assert_eq!(Balances::balance(&prov()), before + 100);
		assert_eq!(held(&alice(), HoldReason::RecordDeposit), RECORD_DEPOSIT);
		assert!(Tasks::<Test>::get(id).is_none());
		assert_noop!(Compute::acknowledge_task(signed(&alice()), id), Error::<Test>::UnknownTask);
	});
}

#[test]
fn unacknowledged_task_splits_at_the_deadline() {
	new_test_ext().execute_with(|| {
		let id = open_task(10);
		run_to(3);
		assert_ok!(Compute::deliver_task(signed(&prov()), id, [2; 32], key_bytes()));
		run_to(3 + ACK_WINDOW);
		assert_noop!(Compute::expire_task(signed(&alice()), id), Error::<Test>::TaskNotExpired);
		run_to(3 + ACK_WINDOW + 1);
		let before = Balances::balance(&prov());
		assert_ok!(Compute::expire_task(signed(&prov2()), id));
		assert_eq!(Balances::balance(&prov()), before + 30);
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 900 + 70);
		System::assert_last_event(
			Event::<Test>::TaskExpired { task: id, paid: 30, refunded: 70 }.into(),
		);
		assert_eq!(held(&alice(), HoldReason::RecordDeposit), RECORD_DEPOSIT);
	});
}

#[test]
fn undelivered_task_is_refunded_after_the_deadline() {
	new_test_ext().execute_with(|| {
		let id = open_task(10);
		assert_noop!(Compute::expire_task(signed(&alice()), id), Error::<Test>::TaskNotExpired);
		run_to(11);
		assert_noop!(
			Compute::deliver_task(signed(&prov()), id, [2; 32], key_bytes()),
			Error::<Test>::DeadlinePassed
		);
		let before = Balances::balance(&prov());
		assert_ok!(Compute::expire_task(signed(&alice()), id));
		assert_eq!(Balances::balance(&prov()), before);
		assert_eq!(Ledgers::<Test>::get(alice()).unwrap().available, 1_000);
		assert_noop!(Compute::expire_task(signed(&alice()), id), Error::<Test>::UnknownTask);
	});
}

#[test]
fn params_need_the_params_origin_and_sane_values() {
	new_test_ext().execute_with(|| {
		let mut p = params();
		p.timeout_share = Perbill::from_percent(50);
		assert_noop!(Compute::set_params(signed(&alice()), p.clone()), DispatchError::BadOrigin);
		assert_ok!(Compute::set_params(RuntimeOrigin::root(), p.clone()));
		assert_eq!(Params::<Test>::get(), Some(p.clone()));
		for zeroed in [
			ComputeParams { refund_delay: 0, ..p.clone() },
			ComputeParams { unbonding_period: 0, ..p.clone() },
			ComputeParams { max_task_duration: 0, ..p.clone() },
			ComputeParams { ack_window: 0, ..p.clone() },
		] {
			assert_noop!(
				Compute::set_params(RuntimeOrigin::root(), zeroed),
				Error::<Test>::InvalidParams
			);
		}
	});
}

#[test]
fn slashing_takes_part_of_the_bond_and_retires_below_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_eq!(
			<Compute as SlashProvider<AccountId>>::slash(&prov(), Perbill::from_percent(10)),
			0
		);
		assert_ok!(Compute::register_service(signed(&prov()), inference_info(), 200));
		let issuance = Balances::total_issuance();
		assert_eq!(
			<Compute as SlashProvider<AccountId>>::slash(&prov(), Perbill::from_percent(25)),
			50
		);
		assert_eq!(held(&prov(), HoldReason::ServiceBond), 150);
		assert_eq!(Balances::total_issuance(), issuance - 50);
		assert!(Services::<Test>::get(prov()).unwrap().retiring_until.is_none());
		assert_eq!(
			<Compute as SlashProvider<AccountId>>::slash(&prov(), Perbill::from_percent(50)),
			75
		);
		let service = Services::<Test>::get(prov()).unwrap();
		assert_eq!(service.bond, 75);
		assert_eq!(service.retiring_until, Some(1 + UNBONDING));
		System::assert_last_event(
			Event::<Test>::ProviderSlashed { provider: prov(), amount: 75, retired: true }.into(),
		);
		run_to(1 + UNBONDING);
		assert_ok!(Compute::withdraw_bond(signed(&prov())));
		assert_eq!(held(&prov(), HoldReason::ServiceBond), 0);
	});
}

#[test]
fn alignment_draws_only_services_that_are_not_retiring() {
	use zerog_traits::ProviderRegistry;
	new_test_ext().execute_with(|| {
		assert_eq!(<Compute as ProviderRegistry<AccountId>>::sample(&[3; 32]), None);
		register(inference_info());
		assert!((0..16u8).all(|i| Compute::sample(&[i.wrapping_mul(41); 32]) == Some(prov())));
		assert_ok!(Compute::retire_service(signed(&prov())));
		assert!((0..16u8).all(|i| Compute::sample(&[i.wrapping_mul(41); 32]).is_none()));
	});
}

/// The invariants can fail: each test breaks some directly in storage, in externalities that
/// do not check them at the end.
mod try_state {
	use super::*;
	use frame_support::assert_err;

	#[test]
	fn ledger_records_that_disagree_with_the_pot_or_holds_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(Compute::deposit(signed(&alice()), 1_000));
			assert_ok!(Compute::do_try_state());
			Ledgers::<Test>::mutate(alice(), |ledger| {
				ledger.as_mut().unwrap().available += 1_000_000
			});
			assert_err!(
				Compute::do_try_state(),
				"The pot holds less than the ledgers, sub-accounts and escrowed task fees."
			);
			Ledgers::<Test>::mutate(alice(), |ledger| {
				let ledger = ledger.as_mut().unwrap();
				ledger.available = 1_000;
				ledger.deposit += 1;
			});
			assert_err!(
				Compute::do_try_state(),
				"An account's record deposits differ from the balance held for them."
			);
		});
	}

	#[test]
	fn refunds_above_the_sub_account_balance_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			funded_sub_account(300);
			assert_ok!(Compute::do_try_state());
			SubAccounts::<Test>::mutate(alice(), prov(), |sub| {
				sub.as_mut()
					.unwrap()
					.refunds
					.try_push(Refund { amount: 301, unlock_at: 5 })
					.unwrap()
			});
			assert_err!(
				Compute::do_try_state(),
				"A sub-account's pending refunds exceed its balance."
			);
		});
	}

	#[test]
	fn a_task_id_at_or_above_the_counter_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			open_task(10);
			assert_ok!(Compute::do_try_state());
			NextTaskId::<Test>::put(0);
			assert_err!(Compute::do_try_state(), "A task id is not below NextTaskId.");
		});
	}

	#[test]
	fn service_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			register(inference_info());
			assert_ok!(Compute::do_try_state());
			Services::<Test>::mutate(prov(), |service| service.as_mut().unwrap().bond += 1);
			assert_err!(
				Compute::do_try_state(),
				"A service's recorded bond differs from the balance held for it."
			);
			Services::<Test>::mutate(prov(), |service| {
				let service = service.as_mut().unwrap();
				service.bond = MIN_BOND;
				service.info.endpoint = b"ftp://gpu.example".to_vec().try_into().unwrap();
			});
			assert_err!(Compute::do_try_state(), "A service record is malformed.");
		});
	}
}
