//! Unit tests: every call's success path, every error, and the session hand-over.

use crate::{mock::*, Error, Event, SetChanged, Validators};
use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn set() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_set_is_handed_to_session_genesis() {
	new_test_ext().execute_with(|| {
		assert_eq!(set(), vec![1, 2]);
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![1, 2]));
		// Nothing changed since genesis: the session keeps its set.
		assert_eq!(ValidatorSet::new_session(1), None);
	});
}

#[test]
fn add_validator_queues_the_new_set_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		assert_eq!(set(), vec![1, 2, 3]);
		System::assert_last_event(Event::ValidatorAdded { who: 3 }.into());
		assert!(SetChanged::<Test>::get());

		assert_eq!(ValidatorSet::new_session(1), Some(vec![1, 2, 3]));
		System::assert_last_event(Event::NewSetQueued { session: 1, size: 3 }.into());
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ValidatorSet::new_session(2), None);
	});
}

#[test]
fn remove_validator_queues_the_new_set() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1));
		assert_eq!(set(), vec![2]);
		System::assert_last_event(Event::ValidatorRemoved { who: 1 }.into());
		assert_eq!(ValidatorSet::new_session(1), Some(vec![2]));
	});
}

#[test]
fn only_the_manage_origin_may_change_the_set() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(1), 3),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::none(), 3),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_validator_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), KEYLESS),
			Error::<Test>::NoSessionKeys
		);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::TooManyValidators
		);
		assert_eq!(set(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn remove_validator_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 9),
			Error::<Test>::NotValidator
		);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
		assert_eq!(set(), vec![1]);
	});
}

#[test]
fn a_failed_call_leaves_no_pending_change() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::AlreadyValidator
		);
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ValidatorSet::new_session(1), None);
	});
}

#[test]
#[should_panic(expected = "genesis validators must be distinct")]
fn genesis_rejects_duplicates() {
	use sp_runtime::BuildStorage;
	let _ = crate::GenesisConfig::<Test> { initial_validators: vec![1, 1] }.build_storage();
}

/// The invariants can fail: each test breaks one directly in storage, in externalities that do
/// not check them at the end.
mod try_state {
	use super::*;
	use frame_support::{assert_err, BoundedVec};

	#[test]
	fn a_validator_listed_twice_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			assert_ok!(ValidatorSet::do_try_state());
			Validators::<Test>::put(BoundedVec::<u64, MaxValidators>::truncate_from(vec![1, 2, 1]));
			assert_err!(ValidatorSet::do_try_state(), "A validator is in the set twice.");
		});
	}

	#[test]
	fn a_set_above_the_bound_is_caught() {
		new_test_ext_unchecked().execute_with(|| {
			frame_support::storage::unhashed::put(
				&Validators::<Test>::hashed_key(),
				&[1u64, 2, 3, 4, 5][..],
			);
			assert_err!(
				ValidatorSet::do_try_state(),
				"The stored validator set does not decode: it holds more than MaxValidators."
			);
		});
	}
}
