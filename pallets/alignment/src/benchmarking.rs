//! Benchmarks for every call and for the era hooks at their worst case: `reveal_report` with
//! `MaxSubjects` verdicts, `finalize_era` with `MaxReporters` reports on `MaxSubjects`
//! subjects, all faulty, all agreeing.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
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

/// Sets the parameters and runs era 0 to its start.
fn configured<T: Config>() {
	Params::<T>::put(params::<T>());
}

/// A licence owned by `owner`, delegated to `operator`, with one era of holder and active
/// rewards accrued (so paying it out mints).
fn licence_with_rewards<T: Config>(owner: &T::AccountId, operator: &T::AccountId) -> LicenceId {
	configured::<T>();
	let id = Pallet::<T>::create_licence(owner.clone());
	Pallet::<T>::do_delegate(owner.clone(), id, operator.clone()).expect("delegates");
	HolderIndex::<T>::put(BalanceOf::<T>::from(1_000u32));
	Operators::<T>::mutate(operator, |op| {
		if let Some(op) = op {
			op.reward_index = 2_000u32.into();
		}
	});
	id
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

	#[benchmark]
	fn delegate() {
		let owner = funded::<T>("owner", 0);
		let id = licence_with_rewards::<T>(&owner, &account("operator", 0, 0));
		let operator: T::AccountId = account("operator", 1, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, operator.clone());
		assert!(Operators::<T>::contains_key(&operator));
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

	#[benchmark]
	fn commit_report() {
		let owner = funded::<T>("owner", 0);
		let operator = funded::<T>("operator", 0);
		licence_with_rewards::<T>(&owner, &operator);
		Eras::<T>::insert(0, era::<T>(T::MaxSubjects::get()));
		CurrentEra::<T>::put(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), 0, [1; 32]);
		assert!(Commitments::<T>::contains_key(0, &operator));
	}

	#[benchmark]
	fn reveal_report(n: Linear<1, { T::MaxSubjects::get() }>) {
		let owner = funded::<T>("owner", 0);
		let operator = funded::<T>("operator", 0);
		licence_with_rewards::<T>(&owner, &operator);
		Eras::<T>::insert(0, era::<T>(n));
		let verdicts = vec![Verdict { ok: true, evidence: [3; 32] }; n as usize];
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

	/// Starting an era: the seed and the sampling draws over the runtime's registries. The
	/// hook adds one storage read per entry a draw may look at.
	#[benchmark]
	fn start_era(s: Linear<0, { T::MaxSubjects::get() }>) {
		let mut p = params::<T>();
		p.storage_samples = s;
		Params::<T>::put(p.clone());
		Eras::<T>::insert(0, era::<T>(0));
		CurrentEra::<T>::put(0);
		#[block]
		{
			Pallet::<T>::start_era(1u32.into(), &p);
		}
		assert_eq!(CurrentEra::<T>::get(), Some(1));
	}

	/// Finalizing an era of `s` subjects with `r` reports that all fail every subject (so
	/// each subject is decided faulty and slashed) and all agree (so each operator's index
	/// moves).
	#[benchmark]
	fn finalize_era(
		r: Linear<1, { T::MaxReporters::get() }>,
		s: Linear<0, { T::MaxSubjects::get() }>,
	) {
		configured::<T>();
		let p = params::<T>();
		Eras::<T>::insert(0, era::<T>(s));
		let verdicts: VerdictsOf<T> =
			BoundedVec::truncate_from(vec![Verdict { ok: false, evidence: [9; 32] }; s as usize]);
		for i in 0..r {
			let owner: T::AccountId = account("owner", i, 0);
			let operator: T::AccountId = account("operator", i, 0);
			let id = Pallet::<T>::create_licence(owner.clone());
			Pallet::<T>::do_delegate(owner, id, operator.clone()).expect("delegates");
			Commitments::<T>::insert(0, &operator, [0; 32]);
			Reports::<T>::insert(0, &operator, verdicts.clone());
		}
		Revealing::<T>::put((0, BlockNumberFor::<T>::from(1u32)));
		#[block]
		{
			Pallet::<T>::finalize_era(0, &p);
		}
		let outcome = Outcomes::<T>::get(0).expect("finalized");
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.faulty), (r, r, s));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
