//! Benchmarks for every call and for the era hooks at their worst case: `reveal_report` with
//! `MaxSubjects` verdicts, `start_era` drawing `MaxSubjects` subjects, `finalize_era` with
//! `MaxReporters` reports on `MaxSubjects` subjects, all faulty, all agreeing, each operator
//! with delegations pending since two eras that start with its reward.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Bounded, Zero},
	Perbill,
};
use zerog_traits::BenchmarkKeys;

fn params<T: Config>() -> ParamsOf<T> {
	AlignmentParams {
		licence_price: 1_000u32.into(),
		max_supply: u32::MAX,
		era_length: 100u32.into(),
		reveal_window: 20u32.into(),
		storage_samples: T::MaxSubjects::get(),
		da_samples: 0,
		compute_samples: 0,
		min_reports: 1,
		fault_threshold: Perbill::from_percent(50),
		agreement_threshold: Perbill::from_percent(100),
		slash: Perbill::from_percent(10),
		emission_per_era: 1_000_000_000u32.into(),
		holder_share: Perbill::from_percent(33),
	}
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// Sets the parameters, with no era started: licences delegated now count from era 0.
fn configured<T: Config>() {
	Params::<T>::put(params::<T>());
	CurrentEra::<T>::kill();
	AwaitingSeed::<T>::kill();
}

/// A licence owned by `owner`, delegated to `operator` during era 0, with the holder reward
/// and the active reward of era 1 accrued (so paying it out mints), and its start index
/// written but not read yet (so paying it out reads and deletes it). No era runs after.
fn licence_with_rewards<T: Config>(owner: &T::AccountId, operator: &T::AccountId) -> LicenceId {
	configured::<T>();
	Eras::<T>::insert(0, era::<T>(0));
	CurrentEra::<T>::put(0);
	let id = Pallet::<T>::create_licence(owner.clone());
	Pallet::<T>::do_delegate(owner.clone(), id, operator.clone()).expect("delegates");
	Eras::<T>::remove(0);
	CurrentEra::<T>::kill();
	HolderIndex::<T>::put(BalanceOf::<T>::from(1_000u32));
	Pallet::<T>::credit(operator, 1, 2_000u32.into());
	assert!(StartIndexes::<T>::contains_key(operator, 0));
	id
}

/// Eras 0 and 1 finalized and era 2 running, with a licence delegated to `operator` in each
/// of eras 0 and 1 still pending: the most an operator can have, which the next delegation
/// to it starts.
fn pending_since_two_eras<T: Config>(operator: &T::AccountId) {
	for index in 0..2u32 {
		Eras::<T>::insert(index, era::<T>(0));
	}
	for index in 0..2u32 {
		CurrentEra::<T>::put(index);
		let owner: T::AccountId = account("pending", index, 0);
		let id = Pallet::<T>::create_licence(owner.clone());
		Pallet::<T>::do_delegate(owner, id, operator.clone()).expect("delegates");
	}
	Eras::<T>::remove(0);
	Eras::<T>::remove(1);
	Eras::<T>::insert(2, era::<T>(0));
	CurrentEra::<T>::put(2);
}

/// An era record with `subjects` storage subjects.
fn era<T: Config>(subjects: u32) -> EraOf<T> {
	let subjects: Vec<SubjectOf<T>> =
		(0..subjects).map(|i| Subject::Storage(account("subject", i, 0))).collect();
	Era { start: 1u32.into(), seed: [7; 32], subjects: BoundedVec::truncate_from(subjects) }
}

fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn buy_licence() {
		configured::<T>();
		let buyer = funded::<T>("buyer", 0);
		let id = LicenceCount::<T>::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()));
		assert!(LicencesOf::<T>::contains_key(&buyer, id));
	}

	#[benchmark]
	fn mint_licence() -> Result<(), BenchmarkError> {
		configured::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner: T::AccountId = account("owner", 0, 0);
		let id = LicenceCount::<T>::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, owner.clone());
		assert!(LicencesOf::<T>::contains_key(&owner, id));
		Ok(())
	}

	#[benchmark]
	fn transfer_licence() {
		let owner = funded::<T>("owner", 0);
		let id = licence_with_rewards::<T>(&owner, &account("operator", 0, 0));
		let to: T::AccountId = account("to", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, to.clone());
		assert!(LicencesOf::<T>::contains_key(&to, id));
	}

	/// The licence reads its start index, and the new operator's delegations pending since
	/// two finalized eras start.
	#[benchmark]
	fn delegate() {
		let owner = funded::<T>("owner", 0);
		let id = licence_with_rewards::<T>(&owner, &account("operator", 0, 0));
		let operator: T::AccountId = account("operator", 1, 0);
		pending_since_two_eras::<T>(&operator);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, operator.clone());
		assert!(Operators::<T>::contains_key(&operator));
		assert!(StartIndexes::<T>::contains_key(&operator, 1));
		assert_eq!(DelegatedIn::<T>::get(id), Some(2));
	}

	#[benchmark]
	fn undelegate() {
		let owner = funded::<T>("owner", 0);
		let operator: T::AccountId = account("operator", 0, 0);
		let id = licence_with_rewards::<T>(&owner, &operator);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!Operators::<T>::contains_key(&operator));
	}

	#[benchmark]
	fn claim_rewards() {
		let owner = funded::<T>("owner", 0);
		let id = licence_with_rewards::<T>(&owner, &account("operator", 0, 0));
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!TotalClaimed::<T>::get().is_zero());
	}

	/// The worst case: a full era whose lightest commitment gives way to the caller's.
	#[benchmark]
	fn commit_report() {
		let owner = funded::<T>("owner", 0);
		let operator = funded::<T>("operator", 0);
		licence_with_rewards::<T>(&owner, &operator);
		// A second licence, before era 0: the operator counts two, the others one each.
		let second = Pallet::<T>::create_licence(owner.clone());
		Pallet::<T>::do_delegate(owner, second, operator.clone()).expect("delegates");
		Eras::<T>::insert(0, era::<T>(T::MaxSubjects::get()));
		CurrentEra::<T>::put(0);
		let full: Vec<(T::AccountId, u32)> =
			(0..T::MaxReporters::get()).map(|i| (account("reporter", i, 0), 1)).collect();
		for (who, _) in &full {
			Commitments::<T>::insert(0, who, [0; 32]);
		}
		Committers::<T>::insert(0, BoundedVec::truncate_from(full));
		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), 0, [1; 32]);
		assert!(Commitments::<T>::contains_key(0, &operator));
		assert!(!Commitments::<T>::contains_key(0, account::<T::AccountId>("reporter", 0, 0)));
	}

	/// Every verdict a pass on something checked, so each receipt is verified.
	#[benchmark]
	fn reveal_report(n: Linear<1, { T::MaxSubjects::get() }>) {
		let owner = funded::<T>("owner", 0);
		let operator = funded::<T>("operator", 0);
		licence_with_rewards::<T>(&owner, &operator);
		let record = era::<T>(n);
		let keys = (0..n).map(|i| Some(T::BenchmarkHelper::signer(i))).collect::<Vec<_>>();
		AnswerKeys::<T>::insert(0, AnswerKeysOf::<T>::truncate_from(keys));
		let verdicts = (0..n)
			.map(|i| {
				let evidence = [3; 32];
				let challenge = answer_challenge(&check_seed(&record.seed, i), &operator.encode());
				let message = answer_message(&challenge, &evidence);
				let receipt = Some(T::BenchmarkHelper::sign(i, &message));
				ReportedVerdict { ok: true, evidence, receipt }
			})
			.collect::<Vec<_>>();
		Eras::<T>::insert(0, record);
		let salt = [5; 32];
		Commitments::<T>::insert(0, &operator, report_commitment(0, &operator, &verdicts, &salt));
		Revealing::<T>::put((0, BlockNumberFor::<T>::from(100u32)));
		set_block::<T>(50);
		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), 0, BoundedVec::truncate_from(verdicts), salt);
		assert!(Reports::<T>::contains_key(0, &operator));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params::<T>());
		assert!(Params::<T>::get().is_some());
		Ok(())
	}

	/// Starting an era and drawing its subjects: the seed and the sampling draws over the
	/// runtime's registries (the era starts at block 0, so any randomness is fresh enough).
	/// The hook adds one storage read per entry a draw may look at, and the holds.
	#[benchmark]
	fn start_era(s: Linear<0, { T::MaxSubjects::get() }>) {
		let mut p = params::<T>();
		p.storage_samples = s;
		Params::<T>::put(p.clone());
		Eras::<T>::insert(0, era::<T>(0));
		CurrentEra::<T>::put(0);
		#[block]
		{
			let index = Pallet::<T>::start_era(0u32.into(), &p);
			Pallet::<T>::draw(index, &p);
		}
		assert_eq!(CurrentEra::<T>::get(), Some(1));
		assert!(AwaitingSeed::<T>::get().is_none());
	}

	/// Finalizing era 2 of `s` subjects with `r` reports that all fail every subject (so
	/// each subject is decided faulty and slashed) and all agree (so each operator's index
	/// moves, when `s` > 0). Each operator has a licence from before era 0 and one delegated in each of
	/// eras 0 and 1, still pending: their start indexes are written with its reward.
	#[benchmark]
	fn finalize_era(
		r: Linear<1, { T::MaxReporters::get() }>,
		s: Linear<0, { T::MaxSubjects::get() }>,
	) {
		configured::<T>();
		let p = params::<T>();
		let verdicts: VerdictsOf<T> =
			BoundedVec::truncate_from(vec![Verdict { ok: false, evidence: [9; 32] }; s as usize]);
		let operators: Vec<T::AccountId> = (0..r).map(|i| account("operator", i, 0)).collect();
		for delegated_in in [None, Some(0), Some(1)] {
			if let Some(index) = delegated_in {
				Eras::<T>::insert(index, era::<T>(0));
				CurrentEra::<T>::put(index);
			}
			for (i, operator) in operators.iter().enumerate() {
				let owner: T::AccountId = account("owner", i as u32, 0);
				let id = Pallet::<T>::create_licence(owner.clone());
				Pallet::<T>::do_delegate(owner, id, operator.clone()).expect("delegates");
			}
		}
		Eras::<T>::remove(0);
		Eras::<T>::remove(1);
		Eras::<T>::insert(2, era::<T>(s));
		EraLicences::<T>::insert(2, DelegatedLicences::<T>::get());
		AnswerKeys::<T>::insert(2, AnswerKeysOf::<T>::truncate_from(vec![None; s as usize]));
		CurrentEra::<T>::put(3);
		for operator in &operators {
			Commitments::<T>::insert(2, operator, [0; 32]);
			Reports::<T>::insert(2, operator, verdicts.clone());
		}
		Revealing::<T>::put((2, BlockNumberFor::<T>::from(1u32)));
		#[block]
		{
			Pallet::<T>::finalize_era(2, &p);
		}
		let outcome = Outcomes::<T>::get(2).expect("finalized");
		// An era that decided nothing pays no active share (the cheaper case).
		let agreeing = if s > 0 { r } else { 0 };
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.faulty), (r, agreeing, s));
		assert_eq!(StartIndexes::<T>::contains_key(&operators[0], 1), s > 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
