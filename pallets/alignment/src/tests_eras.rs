//! Eras: sampling, commit and reveal, quorum and slashing, rewards, copying, and the bound
//! on rewards. Operators' licences are delegated at genesis, before era 0 starts, so that
//! they count in era 0.

use crate::{
	mock::*, Commitments, CurrentEra, Eras, Error, Event, Licences, Outcomes, Reports, Subject,
	TotalAccrued, TotalClaimed,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

/// Test externalities where, for the `i`-th owner `n` of `owners`, licence `i` is owned by
/// `n` and delegated to operator `20 + n` before era 0 starts.
pub(crate) fn with_operators(owners: &[AccountId]) -> TestExt {
	new_test_ext_with(&owners.iter().map(|&owner| (owner, 20 + owner)).collect::<Vec<_>>())
}

/// The reward one licence has accrued.
pub(crate) fn accrued(id: u32) -> u64 {
	Alignment::accrued(id, &Licences::<Test>::get(id).unwrap())
}

/// Subjects of era 0 in the mock: storage 100, DA 101, compute 102.
pub(crate) fn all_pass() -> Vec<crate::Verdict> {
	vec![pass(1), pass(2), pass(3)]
}

#[test]
fn an_era_starts_with_one_subject_of_each_kind() {
	new_test_ext().execute_with(|| {
		assert_eq!(CurrentEra::<Test>::get(), Some(0));
		let era = Eras::<Test>::get(0).unwrap();
		assert_eq!(era.start, 1);
		assert_eq!(
			era.subjects.to_vec(),
			vec![Subject::Storage(100), Subject::Da(101), Subject::Compute(102)]
		);
		run_to(era_start(1));
		assert_eq!(CurrentEra::<Test>::get(), Some(1));
		assert_ne!(Eras::<Test>::get(1).unwrap().seed, era.seed);
		System::assert_has_event(
			Event::EraStarted { era: 1, seed: Eras::<Test>::get(1).unwrap().seed, subjects: 3 }
				.into(),
		);
	});
}

#[test]
fn sampling_skips_kinds_without_providers_and_never_repeats() {
	new_test_ext().execute_with(|| {
		set_providers(0, vec![100]);
		set_providers(1, vec![]);
		set_providers(2, vec![102, 103, 104]);
		let mut p = params();
		p.storage_samples = 3;
		p.compute_samples = 2;
		p.da_samples = 1;
		assert_ok!(Alignment::set_params(RuntimeOrigin::root(), p));
		run_to(era_start(1));
		let subjects = Eras::<Test>::get(1).unwrap().subjects.into_inner();
		assert_eq!(subjects.iter().filter(|s| matches!(s, Subject::Storage(100))).count(), 1);
		assert!(!subjects.iter().any(|s| matches!(s, Subject::Da(_))));
		let compute: Vec<_> =
			subjects.iter().filter(|s| matches!(s, Subject::Compute(_))).collect();
		assert!(!compute.is_empty() && compute.len() <= 2);
		assert_ne!(compute.first(), compute.get(1));
	});
}

#[test]
fn commit_checks_operator_era_and_bounds() {
	with_operators(&[1, 2, 3, 4, 5, 6]).execute_with(|| {
		assert_noop!(commit(27, 0, &all_pass()), Error::<Test>::NotAnOperator);
		assert_noop!(commit(21, 1, &all_pass()), Error::<Test>::WrongEra);
		assert_ok!(commit(21, 0, &all_pass()));
		System::assert_last_event(Event::ReportCommitted { era: 0, operator: 21 }.into());
		assert_noop!(commit(21, 0, &all_pass()), Error::<Test>::AlreadyCommitted);
		for op in 22..=25 {
			assert_ok!(commit(op, 0, &all_pass()));
		}
		// MaxReporters is 5.
		assert_noop!(commit(26, 0, &all_pass()), Error::<Test>::TooManyReporters);
		// After the era ends, its commits are closed.
		run_to(era_start(1));
		assert_noop!(commit(26, 0, &all_pass()), Error::<Test>::WrongEra);
	});
}

#[test]
fn reveal_checks_window_commitment_and_length() {
	with_operators(&[1, 2]).execute_with(|| {
		assert_ok!(commit(21, 0, &all_pass()));
		// Too early: the era is still running.
		assert_noop!(reveal(21, 0, &all_pass()), Error::<Test>::NotRevealing);
		run_to(era_start(1));
		assert_noop!(reveal(22, 0, &all_pass()), Error::<Test>::NoCommitment);
		assert_noop!(reveal(21, 0, &all_pass()[..2]), Error::<Test>::WrongVerdictCount);
		assert_noop!(reveal(21, 0, &[pass(1), pass(2), fail()]), Error::<Test>::CommitmentMismatch);
		assert_noop!(
			Alignment::reveal_report(
				RuntimeOrigin::signed(21),
				0,
				reported(21, 0, &all_pass()).try_into().unwrap(),
				[9; 32]
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(reveal(21, 0, &all_pass()));
		System::assert_last_event(Event::ReportRevealed { era: 0, operator: 21 }.into());
		assert_noop!(reveal(21, 0, &all_pass()), Error::<Test>::AlreadyRevealed);
		// Era 1's reports cannot be revealed during era 1.
		assert_noop!(reveal(21, 1, &all_pass()), Error::<Test>::NotRevealing);
		// The window closes `REVEAL` blocks into era 1.
		assert_ok!(commit(22, 1, &all_pass()));
		run_to(era_start(1) + REVEAL);
		assert_noop!(reveal(21, 0, &all_pass()), Error::<Test>::NotRevealing);
	});
}

#[test]
fn a_split_vote_slashes_nobody_and_leaves_the_subject_undecided() {
	with_operators(&[1, 2, 3, 4]).execute_with(|| {
		// 21 and 22 find the storage provider faulty; 23 passes it; 24 passes everything on
		// evidence it made up.
		let honest = vec![fail(), pass(2), pass(3)];
		let dissent = vec![pass(1), pass(2), pass(3)];
		let lazy = vec![pass(0), pass(0), pass(0)];
		for (op, verdicts) in [(21, &honest), (22, &honest), (23, &dissent), (24, &lazy)] {
			assert_ok!(commit(op, 0, verdicts));
		}
		run_to(era_start(1));
		for (op, verdicts) in [(21, &honest), (22, &honest), (23, &dissent), (24, &lazy)] {
			assert_ok!(reveal(op, 0, verdicts));
		}
		run_to(era_start(1) + REVEAL);
		// 2 of 4 is not more than half: with these four reports the provider is not faulty.
		assert!(slashes().is_empty());
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.faulty), (4, 0));
		// Nor does a pass hold a majority on one evidence: storage is undecided, and left out
		// of agreement. 21, 22 and 23 agree on DA and compute; 24's made-up evidence does not.
		assert_eq!(outcome.agreeing, 3);
		let active = (EMISSION - Perbill::from_percent(30) * EMISSION) / 3;
		assert_eq!(outcome.active_reward, active);
	});
}

#[test]
fn a_quorum_of_failures_slashes_through_the_subjects_pallet() {
	with_operators(&[1, 2, 3]).execute_with(|| {
		let honest = vec![fail(), pass(2), pass(3)];
		let dissent = vec![pass(1), pass(2), pass(3)];
		for (op, verdicts) in [(21, &honest), (22, &honest), (23, &dissent)] {
			assert_ok!(commit(op, 0, verdicts));
		}
		run_to(era_start(1));
		for (op, verdicts) in [(21, &honest), (22, &honest), (23, &dissent)] {
			assert_ok!(reveal(op, 0, verdicts));
		}
		run_to(era_start(1) + REVEAL);
		assert_eq!(slashes(), vec![(0, 100, Perbill::from_percent(10))]);
		System::assert_has_event(
			Event::SubjectFaulty {
				era: 0,
				subject: Subject::Storage(100),
				fails: 2,
				reporters: 3,
				slashed: 100,
			}
			.into(),
		);
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.faulty), (3, 2, 1));
		let holder = Perbill::from_percent(30) * EMISSION / 3;
		let active = (EMISSION - Perbill::from_percent(30) * EMISSION) / 2;
		assert_eq!((outcome.holder_reward, outcome.active_reward), (holder, active));
		assert_eq!(accrued(0), holder + active);
		assert_eq!(accrued(1), holder + active);
		// The dissenter's licence gets the holder share only.
		assert_eq!(accrued(2), holder);
		assert!(outcome.accrued <= EMISSION);
		assert_eq!(TotalAccrued::<Test>::get(), outcome.accrued);
		// Commitments and reports of the era are gone.
		assert_eq!(Commitments::<Test>::iter_prefix(0).count(), 0);
		assert_eq!(Reports::<Test>::iter_prefix(0).count(), 0);
		assert!(Eras::<Test>::get(0).is_none());
	});
}

#[test]
fn an_operator_that_copies_revealed_reports_earns_nothing_extra() {
	with_operators(&[1, 2, 3]).execute_with(|| {
		let honest = vec![pass(1), pass(2), pass(3)];
		assert_ok!(commit(21, 0, &honest));
		assert_ok!(commit(22, 0, &honest));
		run_to(era_start(1));
		assert_ok!(reveal(21, 0, &honest));
		assert_ok!(reveal(22, 0, &honest));
		// 23 did not check. It now sees the revealed verdicts, but commits are closed for
		// era 0, and a reveal needs a commitment made before.
		assert_noop!(commit(23, 0, &honest), Error::<Test>::WrongEra);
		assert_noop!(reveal(23, 0, &honest), Error::<Test>::NoCommitment);
		run_to(era_start(1) + REVEAL);
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!(outcome.agreeing, 2);
		assert_eq!(accrued(0), outcome.holder_reward + outcome.active_reward);
		assert_eq!(accrued(2), outcome.holder_reward);
	});
}

#[test]
fn an_operator_that_guesses_the_evidence_earns_nothing_extra() {
	with_operators(&[1, 2, 3]).execute_with(|| {
		let checked = vec![pass(1), pass(2), pass(3)];
		// "Everything is fine" without fetching anything: the evidence is made up.
		let guessed = vec![pass(9), pass(9), pass(9)];
		for (op, verdicts) in [(21, &checked), (22, &checked), (23, &guessed)] {
			assert_ok!(commit(op, 0, verdicts));
		}
		run_to(era_start(1));
		for (op, verdicts) in [(21, &checked), (22, &checked), (23, &guessed)] {
			assert_ok!(reveal(op, 0, verdicts));
		}
		run_to(era_start(1) + REVEAL);
		assert!(slashes().is_empty());
		assert_eq!(accrued(2), Outcomes::<Test>::get(0).unwrap().holder_reward);
		assert!(accrued(0) > accrued(2));
	});
}

#[test]
fn without_a_quorum_nothing_is_slashed_and_only_holders_earn() {
	with_operators(&[1, 2]).execute_with(|| {
		let verdicts = vec![fail(), fail(), fail()];
		assert_ok!(commit(21, 0, &verdicts));
		run_to(era_start(1));
		assert_ok!(reveal(21, 0, &verdicts));
		run_to(era_start(1) + REVEAL);
		assert!(slashes().is_empty());
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.active_reward), (1, 0, 0));
		assert_eq!(outcome.accrued, Perbill::from_percent(30) * EMISSION / 2 * 2);
	});
}

#[test]
fn claimed_rewards_raise_issuance_by_exactly_what_was_claimed() {
	with_operators(&[1, 2, 3]).execute_with(|| {
		let before = Balances::total_issuance();
		for era in 0..3 {
			let verdicts = vec![pass(1), pass(2), pass(3)];
			for op in [21, 22, 23] {
				assert_ok!(commit(op, era, &verdicts));
			}
			run_to(era_start(era + 1));
			for op in [21, 22, 23] {
				assert_ok!(reveal(op, era, &verdicts));
			}
		}
		run_to(era_start(3) + REVEAL);
		for id in 0..3 {
			assert_ok!(Alignment::claim_rewards(RuntimeOrigin::signed(id as u64 + 1), id));
		}
		assert_eq!(Balances::total_issuance() - before, TotalClaimed::<Test>::get());
		assert_eq!(TotalClaimed::<Test>::get(), TotalAccrued::<Test>::get());
		assert!(TotalAccrued::<Test>::get() <= 3 * EMISSION);
	});
}

mod property {
	use super::*;
	use alloc::collections::BTreeMap;
	use proptest::prelude::*;

	/// Licence `.0` moves to operator `20 + .1`, or is undelegated when `.1` is 4.
	type Move = (u8, u8);

	#[derive(Clone, Debug)]
	enum Step {
		Buy(u8),
		Delegate(u8, u8),
		Undelegate(u8),
		Transfer(u8, u8),
		Claim(u8),
		/// A licence handed from operator to operator within the era, each committing a
		/// report as soon as it holds it (the attack of finding 1).
		Hop(u8, Vec<u8>),
		/// Each operator's verdict pattern for the era (bit i = subject i fails), or none;
		/// and moves made before the commits, in the reveal window before the reveals, and
		/// in the last block before the window closes (by index mod 3).
		Era(Vec<Option<u8>>, Vec<Move>),
	}

	fn step() -> impl Strategy<Value = Step> {
		prop_oneof![
			(1u8..=6).prop_map(Step::Buy),
			(0u8..6, 0u8..4).prop_map(|(l, o)| Step::Delegate(l, o)),
			(0u8..6).prop_map(Step::Undelegate),
			(0u8..6, 1u8..=6).prop_map(|(l, to)| Step::Transfer(l, to)),
			(0u8..6).prop_map(Step::Claim),
			(0u8..6, proptest::collection::vec(0u8..4, 1..6))
				.prop_map(|(l, ops)| Step::Hop(l, ops)),
			(
				proptest::collection::vec(proptest::option::of(0u8..8), 4),
				proptest::collection::vec((0u8..6, 0u8..5), 0..9),
			)
				.prop_map(|(patterns, moves)| Step::Era(patterns, moves)),
		]
	}

	/// Applies a move; records the block of each delegation change in `moved`.
	fn shift((l, to): Move, moved: &mut BTreeMap<u32, u64>) {
		let Some(lic) = Licences::<Test>::get(l as u32) else { return };
		let origin = RuntimeOrigin::signed(lic.owner);
		let done = if to == 4 {
			Alignment::undelegate(origin, l as u32)
		} else {
			Alignment::delegate(origin, l as u32, 20 + to as u64)
		};
		if done.is_ok() {
			moved.insert(l as u32, System::block_number());
		}
	}

	/// Licences delegated before `start` and not moved since: those that count in the era
	/// that started at `start`.
	fn counting(start: u64, moved: &BTreeMap<u32, u64>) -> usize {
		Licences::<Test>::iter()
			.filter(|(id, l)| l.operator.is_some() && moved.get(id).is_some_and(|at| *at < start))
			.count()
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]
		#[test]
		fn rewards_never_exceed_the_emission(steps in proptest::collection::vec(step(), 1..30)) {
			new_test_ext().execute_with(|| {
				let issuance = Balances::total_issuance();
				let mut finalized = 0u64;
				let mut moved = BTreeMap::<u32, u64>::new();
				for s in steps {
					match s {
						Step::Buy(who) => { let _ = Alignment::buy_licence(RuntimeOrigin::signed(who as u64)); }
						Step::Delegate(l, o) => shift((l, o), &mut moved),
						Step::Undelegate(l) => shift((l, 4), &mut moved),
						Step::Transfer(l, to) => {
							if let Some(lic) = Licences::<Test>::get(l as u32) {
								let _ = Alignment::transfer_licence(RuntimeOrigin::signed(lic.owner), l as u32, to as u64);
							}
						}
						Step::Claim(l) => {
							if let Some(lic) = Licences::<Test>::get(l as u32) {
								let _ = Alignment::claim_rewards(RuntimeOrigin::signed(lic.owner), l as u32);
							}
						}
						Step::Hop(l, ops) => {
							let era = CurrentEra::<Test>::get().unwrap();
							let count = Eras::<Test>::get(era).unwrap().subjects.len();
							let verdicts: Vec<crate::Verdict> = (0..count).map(|s| pass(s as u8)).collect();
							for o in ops {
								shift((l, o), &mut moved);
								let _ = commit(20 + o as u64, era, &verdicts);
							}
						}
						Step::Era(patterns, moves) => {
							let era = CurrentEra::<Test>::get().unwrap();
							let info = Eras::<Test>::get(era).unwrap();
							let (start, count) = (info.start, info.subjects.len());
							let phase = |n: usize| moves.iter().enumerate().filter(move |(i, _)| i % 3 == n).map(|(_, m)| *m);
							let reports: Vec<(u64, Vec<crate::Verdict>)> = patterns.iter().enumerate()
								.filter_map(|(i, p)| p.map(|bits| (20 + i as u64, (0..count)
									.map(|s| if bits & (1 << s) != 0 { fail() } else { pass(s as u8) }).collect())))
								.collect();
							for m in phase(0) { shift(m, &mut moved); }
							for (op, v) in &reports { let _ = commit(*op, era, v); }
							run_to(era_start(era + 1));
							for m in phase(1) { shift(m, &mut moved); }
							for (op, v) in &reports { let _ = reveal(*op, era, v); }
							run_to(era_start(era + 1) + REVEAL - 1);
							for m in phase(2) { shift(m, &mut moved); }
							let before: Vec<(u32, u64)> = Licences::<Test>::iter().map(|(id, _)| (id, accrued(id))).collect();
							let eligible = counting(start, &moved);
							run_to(era_start(era + 1) + REVEAL);
							finalized += 1;
							let outcome = Outcomes::<Test>::get(era).unwrap();
							prop_assert!(outcome.accrued <= EMISSION);
							// One licence, one vote: every operator that counted held a licence
							// of its own from before the era, still delegated to it.
							prop_assert!(outcome.reporters as usize <= eligible);
							// The active share went to such licences only.
							for (id, was) in before {
								let gained = accrued(id) - was;
								if gained != outcome.holder_reward {
									prop_assert_eq!(gained, outcome.holder_reward + outcome.active_reward);
									prop_assert!(Licences::<Test>::get(id).unwrap().operator.is_some());
									prop_assert!(moved.get(&id).is_some_and(|at| *at < start));
								}
							}
						}
					}
					prop_assert!(Alignment::do_try_state().is_ok());
					prop_assert!(TotalAccrued::<Test>::get() <= finalized * EMISSION);
					prop_assert!(TotalClaimed::<Test>::get() <= TotalAccrued::<Test>::get());
					// Issuance rose by exactly what was claimed (licence sales left the
					// system to the proceeds, which the mock drops).
					prop_assert_eq!(
						Balances::total_issuance() + proceeds(),
						issuance + TotalClaimed::<Test>::get()
					);
				}
				// Everything accrued is still claimable or was claimed.
				let outstanding: u64 = Licences::<Test>::iter().map(|(id, l)| Alignment::accrued(id, &l)).sum();
				prop_assert_eq!(outstanding + TotalClaimed::<Test>::get(), TotalAccrued::<Test>::get());
				Ok(())
			})?;
		}
	}
}
