//! Licences: sale, minting, transfer, delegation, claims, and parameters.

use crate::{mock::*, Error, Event, LicenceCount, Licences, LicencesOf, Operators, Params};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_runtime::{DispatchError, Perbill};

fn buy(who: AccountId) -> u32 {
	assert_ok!(Alignment::buy_licence(RuntimeOrigin::signed(who)));
	LicenceCount::<Test>::get() - 1
}

#[test]
fn buying_pays_the_price_to_the_proceeds() {
	new_test_ext().execute_with(|| {
		let id = buy(1);
		assert_eq!(id, 0);
		assert_eq!(Balances::balance(&1), 10_000 - PRICE);
		assert_eq!(proceeds(), PRICE);
		let licence = Licences::<Test>::get(0).unwrap();
		assert_eq!((licence.owner, licence.operator), (1, None));
		assert!(LicencesOf::<Test>::contains_key(1, 0));
		System::assert_last_event(
			Event::LicenceCreated { licence: 0, owner: 1, price: PRICE }.into(),
		);
	});
}

#[test]
fn buying_without_funds_fails_and_creates_nothing() {
	new_test_ext().execute_with(|| {
		// Account 50 has nothing.
		assert_noop!(
			Alignment::buy_licence(RuntimeOrigin::signed(50)),
			Error::<Test>::InsufficientBalance
		);
		// Keeping the account alive counts: 10,000 - 9,800 would leave less than the price.
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::burn_from(
			&2,
			9_800,
			frame_support::traits::tokens::Preservation::Preserve,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Fortitude::Polite,
		));
		assert_noop!(
			Alignment::buy_licence(RuntimeOrigin::signed(2)),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(LicenceCount::<Test>::get(), 0);
	});
}

#[test]
fn supply_is_capped_for_sales_and_mints() {
	new_test_ext().execute_with(|| {
		for who in 1..=5 {
			buy(who);
		}
		assert_ok!(Alignment::mint_licence(RuntimeOrigin::root(), 7));
		assert_noop!(Alignment::buy_licence(RuntimeOrigin::signed(6)), Error::<Test>::SoldOut);
		assert_noop!(Alignment::mint_licence(RuntimeOrigin::root(), 6), Error::<Test>::SoldOut);
		assert_eq!(LicenceCount::<Test>::get(), 6);
	});
}

#[test]
fn minting_needs_the_admin_origin_and_is_free() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Alignment::mint_licence(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
		assert_ok!(Alignment::mint_licence(RuntimeOrigin::root(), 8));
		assert_eq!(Balances::balance(&8), 10_000);
		System::assert_last_event(Event::LicenceCreated { licence: 0, owner: 8, price: 0 }.into());
	});
}

#[test]
fn unconfigured_pallet_sells_nothing() {
	new_test_ext().execute_with(|| {
		Params::<Test>::kill();
		assert_noop!(
			Alignment::buy_licence(RuntimeOrigin::signed(1)),
			Error::<Test>::NotConfigured
		);
		assert_noop!(
			Alignment::mint_licence(RuntimeOrigin::root(), 1),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn transfer_moves_the_licence_and_keeps_the_delegation() {
	new_test_ext().execute_with(|| {
		let id = buy(1);
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), id, 20));
		assert_noop!(
			Alignment::transfer_licence(RuntimeOrigin::signed(2), id, 3),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Alignment::transfer_licence(RuntimeOrigin::signed(1), 9, 3),
			Error::<Test>::UnknownLicence
		);
		assert_noop!(
			Alignment::transfer_licence(RuntimeOrigin::signed(1), id, 1),
			Error::<Test>::SameOwner
		);
		assert_ok!(Alignment::transfer_licence(RuntimeOrigin::signed(1), id, 3));
		let licence = Licences::<Test>::get(id).unwrap();
		assert_eq!((licence.owner, licence.operator), (3, Some(20)));
		assert!(!LicencesOf::<Test>::contains_key(1, id));
		assert!(LicencesOf::<Test>::contains_key(3, id));
		assert_eq!(Operators::<Test>::get(20).unwrap().licences, 1);
		System::assert_last_event(Event::LicenceTransferred { licence: id, from: 1, to: 3 }.into());
	});
}

#[test]
fn delegation_moves_between_operators() {
	new_test_ext().execute_with(|| {
		let a = buy(1);
		let b = buy(1);
		assert_noop!(Alignment::delegate(RuntimeOrigin::signed(2), a, 20), Error::<Test>::NotOwner);
		assert_noop!(
			Alignment::delegate(RuntimeOrigin::signed(1), 7, 20),
			Error::<Test>::UnknownLicence
		);
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), a, 20));
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), b, 20));
		assert_noop!(
			Alignment::delegate(RuntimeOrigin::signed(1), a, 20),
			Error::<Test>::AlreadyDelegated
		);
		assert_eq!(Operators::<Test>::get(20).unwrap().licences, 2);
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), a, 21));
		assert_eq!(Operators::<Test>::get(20).unwrap().licences, 1);
		assert_eq!(Operators::<Test>::get(21).unwrap().licences, 1);
		assert_ok!(Alignment::undelegate(RuntimeOrigin::signed(1), b));
		// The operator's record goes with its last licence.
		assert!(Operators::<Test>::get(20).is_none());
		assert_noop!(
			Alignment::undelegate(RuntimeOrigin::signed(1), b),
			Error::<Test>::NotDelegated
		);
		assert_noop!(Alignment::undelegate(RuntimeOrigin::signed(2), a), Error::<Test>::NotOwner);
		System::assert_last_event(Event::LicenceUndelegated { licence: b, operator: 20 }.into());
	});
}

#[test]
fn holders_earn_their_share_every_era_and_claim_it() {
	new_test_ext().execute_with(|| {
		let a = buy(1);
		let b = buy(2);
		assert_noop!(
			Alignment::claim_rewards(RuntimeOrigin::signed(1), a),
			Error::<Test>::NothingToClaim
		);
		// Era 0 is finalized when era 1's reveal window closes; nobody reported.
		run_to(era_start(1) + REVEAL);
		let holder = Perbill::from_percent(30) * EMISSION / 2;
		assert_eq!(Alignment::accrued(a, &Licences::<Test>::get(a).unwrap()), holder);
		assert_noop!(
			Alignment::claim_rewards(RuntimeOrigin::signed(2), a),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Alignment::claim_rewards(RuntimeOrigin::signed(1), 9),
			Error::<Test>::UnknownLicence
		);
		let before = Balances::total_issuance();
		assert_ok!(Alignment::claim_rewards(RuntimeOrigin::signed(1), a));
		assert_eq!(Balances::balance(&1), 10_000 - PRICE + holder);
		assert_eq!(Balances::total_issuance(), before + holder);
		assert_noop!(
			Alignment::claim_rewards(RuntimeOrigin::signed(1), a),
			Error::<Test>::NothingToClaim
		);
		// Transferring pays the old owner first.
		assert_ok!(Alignment::transfer_licence(RuntimeOrigin::signed(2), b, 3));
		assert_eq!(Balances::balance(&2), 10_000 - PRICE + holder);
		assert_eq!(Alignment::accrued(b, &Licences::<Test>::get(b).unwrap()), 0);
	});
}

#[test]
fn a_reward_below_the_existential_deposit_waits_for_more() {
	new_test_ext().execute_with(|| {
		// Each of two licences accrues 6 per era; the existential deposit is 10.
		let mut p = params();
		p.emission_per_era = 12;
		p.holder_share = Perbill::from_percent(100);
		assert_ok!(Alignment::set_params(RuntimeOrigin::root(), p));
		assert_ok!(Alignment::mint_licence(RuntimeOrigin::root(), 60));
		assert_ok!(Alignment::mint_licence(RuntimeOrigin::root(), 61));
		run_to(era_start(1) + REVEAL);
		assert_noop!(
			Alignment::claim_rewards(RuntimeOrigin::signed(60), 0),
			Error::<Test>::CannotPayRewards
		);
		// A transfer or delegation would pay too, so it waits as well.
		assert_noop!(
			Alignment::delegate(RuntimeOrigin::signed(60), 0, 20),
			Error::<Test>::CannotPayRewards
		);
		run_to(era_start(2) + REVEAL);
		assert_ok!(Alignment::claim_rewards(RuntimeOrigin::signed(60), 0));
		assert_eq!(Balances::balance(&60), 12);
	});
}

#[test]
fn params_are_checked_and_need_the_admin_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Alignment::set_params(RuntimeOrigin::signed(1), params()),
			DispatchError::BadOrigin
		);
		let bad = [
			{
				let mut p = params();
				p.era_length = 0;
				p
			},
			{
				// A block to start, one to draw, none left to commit in.
				let mut p = params();
				p.era_length = 2;
				p.reveal_window = 1;
				p
			},
			{
				let mut p = params();
				p.reveal_window = 0;
				p
			},
			{
				let mut p = params();
				p.reveal_window = ERA + 1;
				p
			},
			{
				let mut p = params();
				p.storage_samples = 5;
				p
			},
			{
				let mut p = params();
				p.min_reports = 0;
				p
			},
		];
		for p in bad {
			assert_noop!(
				Alignment::set_params(RuntimeOrigin::root(), p),
				Error::<Test>::InvalidParams
			);
		}
		buy(1);
		buy(2);
		let mut p = params();
		p.max_supply = 1;
		assert_noop!(
			Alignment::set_params(RuntimeOrigin::root(), p.clone()),
			Error::<Test>::InvalidParams
		);
		p.max_supply = 2;
		assert_ok!(Alignment::set_params(RuntimeOrigin::root(), p));
		System::assert_last_event(Event::ParamsSet.into());
	});
}

/// The invariants can fail: each test breaks some directly in storage, in externalities that
/// do not check them at the end.
mod try_state {
	use super::*;
	use crate::{
		AwaitingSeed, Committers, DelegatedIn, PendingDelegations, Revealing, StartIndexes,
		TotalAccrued,
	};
	use frame_support::assert_err;

	#[test]
	fn licence_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			let id = buy(1);
			assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), id, 21));
			assert_ok!(Alignment::do_try_state());
			Operators::<Test>::mutate(21, |op| op.as_mut().unwrap().licences = 2);
			assert_err!(
				Alignment::do_try_state(),
				"An operator's licence count differs from the licences delegated to it."
			);
			Operators::<Test>::mutate(21, |op| op.as_mut().unwrap().licences = 1);
			assert_ok!(Alignment::do_try_state());
			LicenceCount::<Test>::put(2);
			assert_err!(
				Alignment::do_try_state(),
				"LicenceCount differs from the number of licences."
			);
		});
	}

	#[test]
	fn accrual_that_does_not_add_up_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			buy(1);
			assert_ok!(Alignment::do_try_state());
			TotalAccrued::<Test>::put(5);
			assert_err!(
				Alignment::do_try_state(),
				"Claimed and claimable rewards do not add up to what the eras accrued."
			);
		});
	}

	#[test]
	fn delegation_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			// Era 0 has started: the licence is pending under era 0 for operator 21.
			let id = buy(1);
			assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), id, 21));
			assert_eq!(DelegatedIn::<Test>::get(id), Some(0));
			assert_ok!(Alignment::do_try_state());
			PendingDelegations::<Test>::insert(21, crate::PendingOf::truncate_from(vec![(0, 2)]));
			assert_err!(
				Alignment::do_try_state(),
				"An operator's pending delegations differ from its licences delegated then."
			);
			PendingDelegations::<Test>::remove(21);
			StartIndexes::<Test>::insert(21, 0, (0, 1));
			assert_err!(Alignment::do_try_state(), "A start index is written for an open era.");
			StartIndexes::<Test>::remove(21, 0);
			assert_err!(
				Alignment::do_try_state(),
				"A licence delegated in an era is neither pending nor under a start index."
			);
		});
	}

	#[test]
	fn era_records_that_disagree_are_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(Alignment::do_try_state());
			Committers::<Test>::insert(0, frame_support::BoundedVec::truncate_from(vec![(21, 1)]));
			assert_err!(
				Alignment::do_try_state(),
				"Committers differs from the era's commitments."
			);
			Committers::<Test>::remove(0);
			assert_ok!(Alignment::do_try_state());
			Revealing::<Test>::put((0, 5));
			assert_err!(
				Alignment::do_try_state(),
				"The era being revealed is not before the current one."
			);
			Revealing::<Test>::kill();
			AwaitingSeed::<Test>::put(0);
			assert_err!(Alignment::do_try_state(), "An era waiting for its seed has subjects.");
		});
	}
}
