//! The attacks of issue 31 on alignment, each failing before its fix: one licence filling the
//! reporter slots (finding 1), a delegation after the reveals taking the active share
//! (finding 2), and subjects worked out before their era (finding 10). Then what the fixes
//! do: when a licence starts to count, drawn subjects held until their era is finalized, an
//! era whose randomness comes too late, and eras finalized in order when eras get shorter.

use crate::{
	mock::*,
	tests_eras::{accrued, all_pass, with_operators},
	AwaitingSeed, Commitments, Committers, CurrentEra, DelegatedIn, EraLicences, Eras, Error,
	Event, Outcomes, Revealing, StartIndexes,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::Randomness};
use sp_runtime::Perbill;

/// Operators `ops` commit a pass on every subject of era 0, and reveal it once era 1 starts.
fn all_pass_era_0(ops: &[AccountId]) {
	for &op in ops {
		assert_ok!(commit(op, 0, &all_pass()));
	}
	run_to(era_start(1));
	for &op in ops {
		assert_ok!(reveal(op, 0, &all_pass()));
	}
}

/// Finding 1: one licence, handed from account to account within an era, let each account
/// commit a report. Its reports filled every reporter slot, outvoted the honest operators
/// (slashing a provider that passed its check) and took the whole active share.
#[test]
fn one_licence_redelegated_cannot_fill_the_reporter_slots() {
	// Licences 0 and 1 with the honest operators 21 and 22; the attacker's licence 2 (owner
	// 3) with its account 30; all delegated before era 0.
	new_test_ext_with(&[(1, 21), (2, 22), (3, 30)]).execute_with(|| {
		let lie = vec![fail(), pass(2), pass(3)];
		// The licence goes from 30 to 34; each account commits as soon as it holds it.
		for op in 30..35 {
			if op > 30 {
				assert_ok!(Alignment::delegate(RuntimeOrigin::signed(3), 2, op));
			}
			let _ = commit(op, 0, &lie);
		}
		// The honest operators still find room to commit (`MaxReporters` is 5).
		assert_ok!(commit(21, 0, &all_pass()));
		assert_ok!(commit(22, 0, &all_pass()));
		run_to(era_start(1));
		for op in 30..35 {
			let _ = reveal(op, 0, &lie);
		}
		assert_ok!(reveal(21, 0, &all_pass()));
		assert_ok!(reveal(22, 0, &all_pass()));
		run_to(era_start(1) + REVEAL);
		// The storage provider passed its check: nobody is slashed.
		assert!(slashes().is_empty());
		// Only the honest operators count, and their licences share the active share.
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.faulty), (2, 2, 0));
		let active = (EMISSION - Perbill::from_percent(30) * EMISSION) / 2;
		assert_eq!(outcome.active_reward, active);
		assert_eq!(accrued(0), outcome.holder_reward + active);
		assert_eq!(accrued(2), outcome.holder_reward);
	});
}

/// Finding 1, with many licences: an attacker with one licence per account sends its
/// commitments in the block of the draw, before any honest node could check, and fills every
/// reporter slot. A full era gives the slot counting the fewest licences to a commitment that
/// counts more, so the slots go to licences: the honest operator with two licences gets in.
#[test]
fn licences_split_over_accounts_cannot_crowd_out_a_heavier_operator() {
	// Five licences of owner 3, one each with 30..=34, and one of owner 1 with 21 (the mock's
	// supply cap is 6); owner 1 buys a second for 21 during era 0, so 21 counts two in era 1.
	let licences = [(3, 30), (3, 31), (3, 32), (3, 33), (3, 34), (1, 21)];
	new_test_ext_with(&licences).execute_with(|| {
		let mut p = params();
		p.max_supply = 10;
		assert_ok!(Alignment::set_params(RuntimeOrigin::root(), p));
		assert_ok!(Alignment::buy_licence(RuntimeOrigin::signed(1)));
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(1), 6, 21));
		assert_ok!(Alignment::buy_licence(RuntimeOrigin::signed(2)));
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(2), 7, 22));
		run_to(era_start(1));
		for op in 30..35 {
			assert_ok!(commit(op, 1, &[fail(), pass(2), pass(3)]));
		}
		// MaxReporters is 5: an operator counting one licence finds no room...
		assert_noop!(commit(22, 1, &all_pass()), Error::<Test>::TooManyReporters);
		// ...one counting two takes the place of the first of the lightest.
		assert_ok!(commit(21, 1, &all_pass()));
		System::assert_has_event(Event::ReportDisplaced { era: 1, operator: 30 }.into());
		assert!(!Commitments::<Test>::contains_key(1, 30));
		assert_eq!(Committers::<Test>::get(1).len(), 5);
		// The displaced operator cannot push back in with the same licence, and its node is
		// told so before it pays a fee for trying.
		assert_noop!(commit(30, 1, &[fail(), pass(2), pass(3)]), Error::<Test>::TooManyReporters);
		assert_eq!(Alignment::reporting_weight(1, &30), Some(0));
		assert_eq!(Alignment::reporting_weight(1, &22), Some(0));
		assert_eq!(Alignment::reporting_weight(1, &21), Some(2), "committed: its weight");
		// Nor can anyone commit to an era that is over.
		assert_eq!(Alignment::reporting_weight(0, &31), Some(0), "era 0 is being revealed");
	});
}

/// Review of the fix of finding 1: the slots go to the heaviest commitments, and a quorum
/// measured over the slots' licences only could be captured by a minority. Five honest
/// operators with two licences each fill the slots; an attacker with 9 of the 19 licences,
/// split over three operators of three, commits at the end of the era, displaces three honest
/// slots and holds 9 of the 13 licences in the slots, failing a provider that passed.
#[test]
fn a_minority_that_displaces_honest_slots_cannot_slash() {
	new_test_ext().execute_with(|| {
		let mut p = params();
		p.max_supply = 30;
		assert_ok!(Alignment::set_params(RuntimeOrigin::root(), p));
		// Bought and delegated in era 0, so they count from era 1 on.
		let mut id = 0;
		for (owner, operators, each) in [(1, 21..26, 2), (3, 30..33, 3)] {
			for operator in operators {
				for _ in 0..each {
					assert_ok!(Alignment::buy_licence(RuntimeOrigin::signed(owner)));
					assert_ok!(Alignment::delegate(RuntimeOrigin::signed(owner), id, operator));
					id += 1;
				}
			}
		}
		run_to(era_start(1));
		assert_eq!(EraLicences::<Test>::get(1), 19);
		for op in 21..26 {
			assert_ok!(commit(op, 1, &all_pass()));
		}
		run_to(era_start(2) - 1);
		let lie = vec![fail(), pass(2), pass(3)];
		for op in 30..33 {
			assert_ok!(commit(op, 1, &lie));
		}
		assert_eq!(Committers::<Test>::get(1).iter().map(|(_, w)| w).sum::<u32>(), 13);
		run_to(era_start(2));
		for op in 30..33 {
			assert_ok!(reveal(op, 1, &lie));
		}
		for op in 21..26 {
			let _ = reveal(op, 1, &all_pass());
		}
		run_to(era_start(2) + REVEAL);
		// 9 of the era's 19 licences are not a majority: the provider is not slashed.
		assert!(slashes().is_empty());
		let outcome = Outcomes::<Test>::get(1).unwrap();
		assert_eq!((outcome.reporters, outcome.faulty), (5, 0));
	});
}

/// With the quorum measured over every licence of the era, operators holding a majority of
/// them still decide: a faulty provider is slashed although a third of the licences did not
/// report, and a subject nobody holding a majority agreed on stays undecided.
#[test]
fn a_majority_of_the_eras_licences_decides_and_less_leaves_a_subject_undecided() {
	with_operators(&[1, 2, 3]).execute_with(|| {
		// Operators 21 and 22 (two of three licences) fail storage; 21 sees other DA evidence.
		assert_ok!(commit(21, 0, &[fail(), pass(9), pass(3)]));
		assert_ok!(commit(22, 0, &[fail(), pass(2), pass(3)]));
		run_to(era_start(1));
		assert_ok!(reveal(21, 0, &[fail(), pass(9), pass(3)]));
		assert_ok!(reveal(22, 0, &[fail(), pass(2), pass(3)]));
		run_to(era_start(1) + REVEAL);
		assert_eq!(slashes(), vec![(0, 100, Perbill::from_percent(10))]);
		let outcome = Outcomes::<Test>::get(0).unwrap();
		// DA is undecided (one licence each of three); storage and compute decided, on which
		// both agree: both earn the active share.
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.faulty), (2, 2, 1));
	});
}

/// Finding 2: a licence delegated in the last block of the reveal window, to an operator
/// whose agreeing report was already public, earned the era's active share without any work
/// (taken from the licences that did the work).
#[test]
fn a_licence_delegated_after_the_reveals_earns_no_active_share() {
	with_operators(&[1, 2]).execute_with(|| {
		all_pass_era_0(&[21, 22]);
		// The last block before the window closes: account 3 buys licence 2 and delegates
		// it to 21, whose report agrees with the quorum.
		run_to(era_start(1) + REVEAL - 1);
		assert_ok!(Alignment::buy_licence(RuntimeOrigin::signed(3)));
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(3), 2, 21));
		run_to(era_start(1) + REVEAL);
		let outcome = Outcomes::<Test>::get(0).unwrap();
		let active = EMISSION - Perbill::from_percent(30) * EMISSION;
		// The two licences delegated before era 0 share its active share...
		assert_eq!(outcome.active_reward, active / 2);
		assert_eq!(accrued(0), outcome.holder_reward + active / 2);
		// ...and the late one has its holder share only.
		assert_eq!(accrued(2), outcome.holder_reward);
	});
}

/// Finding 10: an era's seed came from BABE's epoch randomness, which anyone can read from the
/// start of the epoch, up to ten minutes before the era starts. A provider knew in time that
/// it would be drawn (and, with finding 4, unbonded just before).
#[test]
fn era_subjects_cannot_be_worked_out_before_the_era_starts() {
	with_operators(&[1, 2]).execute_with(|| {
		// Five blocks before era 1 starts, the randomness it reads is known (as BABE's is
		// from the first block of its epoch), and the seed of era 1 with it.
		run_to(era_start(1) - 5);
		set_randomness_since(Some(era_start(1) - 5));
		let (random, _) =
			<TestRandomness as Randomness<_, _>>::random(&(b"zerog-alignment-era", 1u32).encode());
		let predicted = sp_io::hashing::blake2_256(random.as_ref());
		run_to(era_start(1));
		// Era 1 has started, but its subjects are not drawn from what was known before.
		let era = Eras::<Test>::get(1).unwrap();
		assert_ne!(era.seed, predicted);
		assert!(era.subjects.is_empty());
		assert!(commit(21, 1, &all_pass()).is_err());
		// The randomness changes (a new BABE epoch): the subjects are drawn from it.
		set_randomness_since(Some(era_start(1) + 2));
		run_to(era_start(1) + 2);
		let era = Eras::<Test>::get(1).unwrap();
		assert_eq!(era.subjects.len(), 3);
		assert_ne!(era.seed, predicted);
		System::assert_has_event(Event::EraStarted { era: 1, seed: era.seed, subjects: 3 }.into());
		assert_ok!(commit(21, 1, &all_pass()));
	});
}

#[test]
fn a_licence_delegated_during_an_era_counts_from_the_next_one() {
	with_operators(&[1]).execute_with(|| {
		// Licence 1, bought and delegated to 22 during era 0: 22 has no say in era 0.
		assert_ok!(Alignment::buy_licence(RuntimeOrigin::signed(2)));
		assert_ok!(Alignment::delegate(RuntimeOrigin::signed(2), 1, 22));
		assert_eq!(DelegatedIn::<Test>::get(1), Some(0));
		assert_noop!(commit(22, 0, &all_pass()), Error::<Test>::NotAnOperator);
		assert_ok!(commit(21, 0, &all_pass()));
		// In era 1 it counts.
		run_to(era_start(1));
		assert_ok!(commit(21, 1, &all_pass()));
		assert_ok!(commit(22, 1, &all_pass()));
		assert_ok!(reveal(21, 0, &all_pass()));
		run_to(era_start(2));
		assert_ok!(reveal(21, 1, &all_pass()));
		assert_ok!(reveal(22, 1, &all_pass()));
		run_to(era_start(2) + REVEAL);
		// Era 0 had one report, no quorum; era 1 had two that agreed.
		let (era0, era1) = (Outcomes::<Test>::get(0).unwrap(), Outcomes::<Test>::get(1).unwrap());
		assert_eq!((era0.reporters, era0.active_reward), (1, 0));
		assert_eq!((era1.reporters, era1.agreeing), (2, 2));
		// Licence 1 earned the holder share of both eras and the active share of era 1
		// only: 22's reward started it at 22's index before era 1's reward.
		let holders = era0.holder_reward + era1.holder_reward;
		assert_eq!(accrued(1), holders + era1.active_reward);
		assert_eq!(accrued(0), holders + era1.active_reward);
		assert!(StartIndexes::<Test>::contains_key(22, 0));
		// Paid once, it is an ordinary delegated licence.
		assert_ok!(Alignment::claim_rewards(RuntimeOrigin::signed(2), 1));
		assert_eq!(DelegatedIn::<Test>::get(1), None);
		assert!(!StartIndexes::<Test>::contains_key(22, 0));
		assert_eq!(accrued(1), 0);
	});
}

#[test]
fn drawn_subjects_are_held_until_their_era_is_finalized() {
	new_test_ext().execute_with(|| {
		// Era 0 drew one subject of each kind, and holds them.
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
		// Era 1 drew them again.
		run_to(era_start(1));
		assert_eq!(holds(), vec![((0, 100), 2), ((1, 101), 2), ((2, 102), 2)]);
		// Era 0 is finalized when its window closes, and lets them go.
		run_to(era_start(1) + REVEAL);
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
	});
}

#[test]
fn an_era_whose_randomness_comes_too_late_has_no_subjects() {
	with_operators(&[1, 2]).execute_with(|| {
		// The randomness stays the one known since block 1, through era 1.
		set_randomness_since(Some(1));
		run_to(era_start(1));
		System::assert_has_event(Event::EraAwaitingSeed { era: 1 }.into());
		assert_eq!(AwaitingSeed::<Test>::get(), Some(1));
		assert_noop!(commit(21, 1, &all_pass()), Error::<Test>::SubjectsNotDrawn);
		// Era 2 starts: era 1 no longer waits, and is finalized with nothing to decide.
		run_to(era_start(2));
		assert_eq!(AwaitingSeed::<Test>::get(), Some(2));
		set_randomness_since(None);
		run_to(era_start(2) + REVEAL);
		assert_eq!(AwaitingSeed::<Test>::get(), None);
		assert_eq!(Eras::<Test>::get(2).unwrap().subjects.len(), 3);
		let outcome = Outcomes::<Test>::get(1).unwrap();
		assert_eq!((outcome.reporters, outcome.faulty, outcome.active_reward), (0, 0, 0));
		assert_eq!(outcome.accrued, Perbill::from_percent(30) * EMISSION);
		// Only era 2 holds subjects now.
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
	});
}

#[test]
fn a_shorter_era_length_never_leaves_an_era_unfinalized() {
	with_operators(&[1, 2]).execute_with(|| {
		all_pass_era_0(&[21, 22]);
		// Eras of 3 blocks: era 2 is due at block 14, before era 0's window closes at 15.
		let mut p = params();
		p.era_length = 3;
		p.reveal_window = 2;
		assert_ok!(Alignment::set_params(RuntimeOrigin::root(), p));
		run_to(era_start(1) + 3);
		// Era 0's window closed early: it is finalized, and era 1 is revealed.
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.agreeing), (2, 2));
		assert_eq!(CurrentEra::<Test>::get(), Some(2));
		assert_eq!(Revealing::<Test>::get(), Some((1, era_start(1) + 5)));
		assert!(Eras::<Test>::get(0).is_none());
	});
}

/// An era that drew no subject (empty registries, or no fresh randomness in time) has nothing
/// to check: empty reports "agreed" and took the active share for no work.
#[test]
fn empty_reports_earn_no_active_share() {
	with_operators(&[1, 2]).execute_with(|| {
		for kind in 0..3 {
			set_providers(kind, vec![]);
		}
		run_to(era_start(1));
		assert!(Eras::<Test>::get(1).unwrap().subjects.is_empty());
		for op in [21, 22] {
			assert_ok!(commit(op, 1, &[]));
		}
		run_to(era_start(2));
		for op in [21, 22] {
			assert_ok!(reveal(op, 1, &[]));
		}
		run_to(era_start(2) + REVEAL);
		let outcome = Outcomes::<Test>::get(1).unwrap();
		assert_eq!((outcome.reporters, outcome.active_reward), (2, 0));
		assert_eq!(outcome.accrued, Perbill::from_percent(30) * EMISSION);
	});
}

/// The upgrade to storage version 1: a provider drawn by an era before the upgrade and by
/// one after would be released by the first era's finalization, and could withdraw before
/// the second's. The migration holds what the unfinalized eras drew, and lists their
/// commitments with the licences they count for.
#[test]
fn the_v1_migration_holds_drawn_subjects_and_weighs_commitments() {
	// (Also counts the delegated licences for the new quorum measure.)
	use crate::migrations::v1::{CommitmentCount, MigrateToV1};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	with_operators(&[1, 2]).execute_with(|| {
		// A chain at version 0 in era 0: its subjects not held, one commitment counted.
		assert_ok!(commit(21, 0, &all_pass()));
		for subject in Eras::<Test>::get(0).unwrap().subjects.iter() {
			Alignment::release_subject(subject);
		}
		assert!(holds().is_empty());
		Committers::<Test>::remove(0);
		CommitmentCount::<Test>::insert(0, 1);
		StorageVersion::new(0).put::<Alignment>();

		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
		assert_eq!(Committers::<Test>::get(0).into_inner(), vec![(21, 1)]);
		assert!(!CommitmentCount::<Test>::contains_key(0));
		assert_eq!(crate::DelegatedLicences::<Test>::get(), 2);
		assert_eq!(EraLicences::<Test>::get(0), 2);
		assert_eq!(Alignment::on_chain_storage_version(), 1);
		// Once is enough.
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
	});
}

/// Version 0 could leave an era unfinalized (its reveal window overwritten when eras were
/// shortened). Holding that era's subjects would keep them from withdrawing forever: the
/// migration drops the era's records instead.
#[test]
fn the_v1_migration_drops_an_era_version_0_left_unfinalized() {
	use crate::{migrations::v1::MigrateToV1, Reports};
	use frame_support::traits::{OnRuntimeUpgrade, StorageVersion};
	with_operators(&[1, 2]).execute_with(|| {
		assert_ok!(commit(21, 0, &all_pass()));
		run_to(era_start(1));
		assert_ok!(reveal(21, 0, &all_pass()));
		// Version 0 loses era 0's reveal window; nothing is held at version 0.
		Revealing::<Test>::kill();
		for era in [0, 1] {
			for subject in Eras::<Test>::get(era).unwrap().subjects.iter() {
				Alignment::release_subject(subject);
			}
		}
		StorageVersion::new(0).put::<Alignment>();

		MigrateToV1::<Test>::on_runtime_upgrade();
		assert!(!Eras::<Test>::contains_key(0));
		assert!(!Commitments::<Test>::contains_key(0, 21));
		assert!(!Reports::<Test>::contains_key(0, 21));
		assert!(!EraLicences::<Test>::contains_key(0));
		// Only era 1's subjects are held, and released when era 1 is finalized: then each is
		// held once, by era 2 (held by the orphan too, each would stay held forever).
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
		run_to(era_start(2) + REVEAL);
		assert!(Outcomes::<Test>::get(1).is_some());
		assert_eq!(holds(), vec![((0, 100), 1), ((1, 101), 1), ((2, 102), 1)]);
	});
}
