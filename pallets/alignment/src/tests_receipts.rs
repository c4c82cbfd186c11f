//! Issue 31, finding 6: evidence that needs no check. A pass verdict's evidence is a hash of
//! data anyone can get (a storage segment or DA chunk any node serves, a compute service's
//! public signer), so an operator that never contacted the subjects could copy the quorum
//! and take the active share. A pass now carries the subject's receipt: its signature over
//! the operator's own challenge and the evidence, by the key it was drawn with.

use crate::{
	answer_challenge, answer_message, check_seed,
	mock::*,
	nothing_to_check,
	tests_eras::{accrued, all_pass},
	AnswerKeys, Eras, Error, Outcomes, ReportedVerdict, Reports, Verdict,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use sp_core::{ed25519, Pair};
use sp_runtime::{MultiSignature, Perbill};

/// `verdicts` with no receipt: what an operator that contacted nobody can report.
fn without_receipts(verdicts: &[Verdict]) -> Vec<ReportedVerdict> {
	verdicts
		.iter()
		.map(|v| ReportedVerdict { ok: v.ok, evidence: v.evidence, receipt: None })
		.collect()
}

/// The active share of one licence when `agreeing` licences agree.
fn active_share(agreeing: u64) -> u64 {
	(EMISSION - Perbill::from_percent(30) * EMISSION) / agreeing
}

/// Operators 21 and 22 check; operator 23 reports the same verdicts without contacting a
/// subject (it read the data, or the signer, elsewhere). Before receipts it shared the active
/// share; now its reveal is refused and it earns the holder share only.
#[test]
fn an_operator_that_never_contacted_the_subjects_earns_no_active_share() {
	new_test_ext_with(&[(1, 21), (2, 22), (3, 23)]).execute_with(|| {
		let seen = all_pass();
		let copied = without_receipts(&seen);
		assert_ok!(commit(21, 0, &seen));
		assert_ok!(commit(22, 0, &seen));
		assert_ok!(commit_reported(23, 0, &copied));
		run_to(era_start(1));
		assert_ok!(reveal(21, 0, &seen));
		assert_ok!(reveal(22, 0, &seen));
		assert_noop!(reveal_reported(23, 0, &copied), Error::<Test>::MissingReceipt);
		run_to(era_start(1) + REVEAL);
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.agreeing), (2, 2));
		assert_eq!(outcome.active_reward, active_share(2), "only the two checkers share it");
		assert_eq!(accrued(0), outcome.holder_reward + active_share(2));
		assert_eq!(accrued(2), outcome.holder_reward, "the copier earns the holder share only");
	});
}

/// Copiers that wait for an honest reveal and take its receipts (they answer operator 21's
/// challenge, not theirs), sign receipts themselves, or pair a receipt with other evidence:
/// each reveal is refused and leaves nothing behind.
#[test]
fn receipts_copied_forged_or_for_other_evidence_are_refused() {
	new_test_ext_with(&[(1, 21), (3, 23), (4, 24), (5, 25)]).execute_with(|| {
		let info = Eras::<Test>::get(0).unwrap();
		let copied = reported(21, 0, &all_pass());
		let forger = ed25519::Pair::from_seed(&[24; 32]);
		let forged: Vec<ReportedVerdict> = all_pass()
			.iter()
			.enumerate()
			.map(|(index, v)| {
				let challenge =
					answer_challenge(&check_seed(&info.seed, index as u32), &24u64.encode());
				let receipt =
					MultiSignature::from(forger.sign(&answer_message(&challenge, &v.evidence)));
				ReportedVerdict { ok: true, evidence: v.evidence, receipt: Some(receipt) }
			})
			.collect();
		let mut swapped = reported(25, 0, &all_pass());
		swapped[1].evidence = [9; 32];
		assert_ok!(commit(21, 0, &all_pass()));
		assert_ok!(commit_reported(23, 0, &copied));
		assert_ok!(commit_reported(24, 0, &forged));
		assert_ok!(commit_reported(25, 0, &swapped));
		run_to(era_start(1));
		assert_ok!(reveal(21, 0, &all_pass()));
		assert_noop!(reveal_reported(23, 0, &copied), Error::<Test>::BadReceipt);
		assert_noop!(reveal_reported(24, 0, &forged), Error::<Test>::BadReceipt);
		assert_noop!(reveal_reported(25, 0, &swapped), Error::<Test>::BadReceipt);
		for op in [23, 24, 25] {
			assert!(Reports::<Test>::get(0, op).is_none());
		}
		// The receipts are dropped once checked: the chain keeps the verdicts.
		assert_eq!(Reports::<Test>::get(0, 21).unwrap().into_inner(), all_pass());
	});
}

/// A DA operator or compute service rotates its key after it was checked, to void the
/// honest operators' receipts and have their reveals refused. Receipts are checked against
/// the key it was drawn with.
#[test]
fn a_subject_that_changes_its_key_after_the_draw_cannot_void_honest_receipts() {
	new_test_ext_with(&[(1, 21), (2, 22)]).execute_with(|| {
		let first = reported(21, 0, &all_pass());
		let second = reported(22, 0, &all_pass());
		assert_ok!(commit_reported(21, 0, &first));
		assert_ok!(commit_reported(22, 0, &second));
		rotate_answer_keys();
		run_to(era_start(1));
		assert_ok!(reveal_reported(21, 0, &first));
		assert_ok!(reveal_reported(22, 0, &second));
		run_to(era_start(1) + REVEAL);
		assert_eq!(Outcomes::<Test>::get(0).unwrap().agreeing, 2);
		// Era 1 was drawn with the new keys: an answer signed with an old one is refused.
		assert!(AnswerKeys::<Test>::get(0).is_none(), "finalized with its era");
	});
}

/// What needs no receipt: a failure, a pass on a subject that had nothing to check, a pass
/// on a subject with no key, and any pass of an era drawn before keys were recorded.
#[test]
fn failures_idle_passes_keyless_subjects_and_older_eras_need_no_receipt() {
	new_test_ext_with(&[(1, 21), (2, 22)]).execute_with(|| {
		let idle = Verdict { ok: true, evidence: nothing_to_check() };
		let mine = without_receipts(&[idle, fail(), idle]);
		assert_ok!(commit_reported(21, 0, &mine));
		run_to(era_start(1));
		assert_ok!(reveal_reported(21, 0, &mine));

		// The compute service (102) has no key when era 2 is drawn: it cannot answer, and a
		// pass on it needs no receipt.
		set_keyless(102);
		run_to(era_start(2));
		assert_eq!(AnswerKeys::<Test>::get(2).unwrap()[2], None);
		let mut keyless = reported(22, 2, &all_pass());
		keyless[2].receipt = None;
		assert_ok!(commit_reported(22, 2, &keyless));
		run_to(era_start(3));
		assert_ok!(reveal_reported(22, 2, &keyless));

		// An era drawn before keys were recorded (an upgrade in the middle of it).
		AnswerKeys::<Test>::remove(3);
		let older = without_receipts(&all_pass());
		assert_ok!(commit_reported(21, 3, &older));
		run_to(era_start(4));
		assert_ok!(reveal_reported(21, 3, &older));
	});
}

/// A pass on nothing to check needs no receipt, so a majority of lazy operators could
/// report it on every subject and, by agreeing among themselves, take the active share while
/// the honest minority's real evidence disagrees. Such a pass earns no agreement: the lazy
/// majority earns no active share (and nobody does, on those subjects).
#[test]
fn a_lazy_majority_reporting_nothing_to_check_earns_no_active_share() {
	// Two lazy licences (21, 22) against one honest (23).
	new_test_ext_with(&[(1, 21), (2, 22), (3, 23)]).execute_with(|| {
		let idle = Verdict { ok: true, evidence: nothing_to_check() };
		let lazy = without_receipts(&[idle, idle, idle]);
		assert_ok!(commit_reported(21, 0, &lazy));
		assert_ok!(commit_reported(22, 0, &lazy));
		assert_ok!(commit(23, 0, &all_pass()));
		run_to(era_start(1));
		assert_ok!(reveal_reported(21, 0, &lazy));
		assert_ok!(reveal_reported(22, 0, &lazy));
		assert_ok!(reveal(23, 0, &all_pass()));
		run_to(era_start(1) + REVEAL);
		let outcome = Outcomes::<Test>::get(0).unwrap();
		assert_eq!((outcome.reporters, outcome.agreeing, outcome.faulty), (3, 0, 0));
		assert_eq!(outcome.active_reward, 0);
		assert_eq!(accrued(0), outcome.holder_reward);
	});
}
