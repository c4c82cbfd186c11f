//! Eras: starting them, drawing their subjects, commits and reveals, and finalization
//! (quorum, slashing, reward accrual).
//!
//! An era starts in the first block of its `era_length` blocks. From that block on, a newly
//! delegated licence counts from the next era only (see `delegations.rs`), so the licences
//! each operator reports with are fixed before anything about the era's subjects is known.
//! The subjects are drawn once the chain's randomness could not have been known before that
//! block (`Randomness::random` tells from which block on it could be): in the era's second
//! block with BABE's VRF output of the parent block, at the next epoch with BABE's epoch
//! randomness. Nobody can commit before; an era that ends first has no subjects.

use crate::{
	answer_challenge, answer_message, check_seed, is_idle_pass, needs_receipt, pallet::*,
	report_commitment, EraIndex, EraOutcome, ReportedVerdict, Subject, Verdict, WeightInfo,
	LOG_TARGET,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Verify},
	AccountId32, PerThing, Perbill,
};

/// How many finalized eras' outcomes stay in storage.
pub const KEPT_OUTCOMES: EraIndex = 64;

/// A revealed report and the licences it counts for (more than none).
type Weighed<T> = (<T as frame_system::Config>::AccountId, VerdictsOf<T>, u32);

impl<T: Config> Pallet<T> {
	/// The block hook: closes a reveal window that ends now, starts an era that is due, and
	/// draws the subjects of an era that waits for them.
	pub(crate) fn advance(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::DbWeight::get().reads(4);
		let Some(params) = Params::<T>::get() else { return weight };
		let due = match CurrentEra::<T>::get() {
			None => true,
			Some(era) => Eras::<T>::get(era)
				.is_none_or(|info| now >= info.start.saturating_add(params.era_length)),
		};
		if let Some((era, closes)) = Revealing::<T>::get() {
			// A window closes when it ends, or early when the next era is due first (after a
			// parameter change that shortened eras): every era is finalized, in order, and
			// releases the subjects it holds.
			if now >= closes || due {
				let (reporters, subjects) = Self::finalize_era(era, &params);
				weight.saturating_accrue(T::WeightInfo::finalize_era(reporters, subjects));
				// Slashing and releasing run in the subjects' pallets: a bond read and written,
				// a hold moved, an event; a hold count read and written.
				weight.saturating_accrue(
					T::DbWeight::get().reads_writes(5, 5).saturating_mul(subjects.into()),
				);
			}
		}
		if due {
			Self::start_era(now, &params);
			weight.saturating_accrue(T::WeightInfo::start_era(0));
		}
		if let Some(era) = AwaitingSeed::<T>::get() {
			// The era's record and the randomness (about two reads in BABE).
			weight.saturating_accrue(T::DbWeight::get().reads(3));
			match Self::draw(era, &params) {
				Some(subjects) => {
					weight.saturating_accrue(T::WeightInfo::start_era(subjects));
					// Each sampling draw may look at `SAMPLE_TRIES` entries of a registry, and
					// each subject is held in its pallet (a count read and written) and its
					// answer key read there (the benchmark's storage subjects need no read).
					let draws = params
						.storage_samples
						.saturating_add(params.da_samples)
						.saturating_add(params.compute_samples)
						.saturating_mul(2);
					let reads = u64::from(draws).saturating_mul(zerog_traits::SAMPLE_TRIES as u64);
					weight.saturating_accrue(T::DbWeight::get().reads(reads));
					weight.saturating_accrue(
						T::DbWeight::get().reads_writes(3, 1).saturating_mul(subjects.into()),
					);
				},
				None if due => Self::deposit_event(Event::EraAwaitingSeed { era }),
				None => {},
			}
		}
		weight
	}

	/// Starts the next era at `now`, with its subjects still to draw, and opens the reveal
	/// window of the era before. Returns the new era's index.
	pub(crate) fn start_era(now: BlockNumberFor<T>, params: &ParamsOf<T>) -> EraIndex {
		let previous = CurrentEra::<T>::get();
		let era = previous.map_or(0, |e| e.saturating_add(1));
		Eras::<T>::insert(
			era,
			EraOf::<T> { start: now, seed: [0; 32], subjects: BoundedVec::new() },
		);
		CurrentEra::<T>::put(era);
		AwaitingSeed::<T>::put(era);
		EraLicences::<T>::insert(era, DelegatedLicences::<T>::get());
		if let Some(previous) = previous {
			Revealing::<T>::put((previous, now.saturating_add(params.reveal_window)));
		}
		log::debug!(target: LOG_TARGET, "alignment era {era} started");
		era
	}

	/// Draws `era`'s subjects when the chain's randomness could not be known before the era
	/// started, and has their pallets hold them until the era is finalized. Returns how many
	/// were drawn, or `None` while the randomness is older than the era.
	pub(crate) fn draw(era: EraIndex, params: &ParamsOf<T>) -> Option<u32> {
		let mut info = Eras::<T>::get(era)?;
		let seed = Self::era_seed(era, info.start)?;
		AwaitingSeed::<T>::kill();
		let mut subjects = Vec::new();
		Self::sample::<T::StorageProviders>(
			&seed,
			0,
			params.storage_samples,
			Subject::Storage,
			&mut subjects,
		);
		Self::sample::<T::DaOperators>(&seed, 1, params.da_samples, Subject::Da, &mut subjects);
		Self::sample::<T::ComputeProviders>(
			&seed,
			2,
			params.compute_samples,
			Subject::Compute,
			&mut subjects,
		);
		info.seed = seed;
		info.subjects = BoundedVec::truncate_from(subjects);
		for subject in &info.subjects {
			Self::hold_subject(subject);
		}
		let keys = info.subjects.iter().map(Self::answer_key).collect::<Vec<_>>();
		AnswerKeys::<T>::insert(era, AnswerKeysOf::<T>::truncate_from(keys));
		let count = info.subjects.len() as u32;
		Eras::<T>::insert(era, info);
		log::debug!(target: LOG_TARGET, "alignment era {era}: {count} subjects");
		Self::deposit_event(Event::EraStarted { era, seed, subjects: count });
		Some(count)
	}

	/// The era whose checks run now, with its record.
	pub fn current_era() -> Option<(EraIndex, EraOf<T>)> {
		let era = CurrentEra::<T>::get()?;
		Eras::<T>::get(era).map(|info| (era, info))
	}

	/// The era whose reports are revealed now, its record, and the block the window closes at.
	pub fn revealing() -> Option<(EraIndex, EraOf<T>, BlockNumberFor<T>)> {
		let (era, closes) = Revealing::<T>::get()?;
		Eras::<T>::get(era).map(|info| (era, info, closes))
	}

	/// The votes a report of `era` by `operator` weighs, or would weigh: the licences
	/// delegated to it before `era` started and still delegated now. `None` while `era`'s
	/// subjects are not drawn (its randomness is not known yet); nobody can commit then. 0
	/// when `operator` has not committed and could not: `era` is not the current era, or its
	/// reporter slots are full with commitments counting as many licences or more.
	pub fn reporting_weight(era: EraIndex, operator: &T::AccountId) -> Option<u32> {
		if AwaitingSeed::<T>::get() == Some(era) {
			return None;
		}
		let licences = Operators::<T>::get(operator).map_or(0, |op| op.licences);
		let weight = Self::era_weight(operator, licences, era);
		if Commitments::<T>::contains_key(era, operator) {
			return Some(weight);
		}
		if CurrentEra::<T>::get() != Some(era) || Params::<T>::get().is_none() {
			return Some(0);
		}
		// Full slots take only a commitment heavier than the lightest: a lighter one would
		// be refused (and pay its fee for nothing).
		let committers = Committers::<T>::get(era);
		let lightest = committers.iter().map(|(_, weight)| *weight).min();
		match lightest {
			Some(least) if committers.is_full() && weight <= least => Some(0),
			_ => Some(weight),
		}
	}

	/// Whether `operator` has committed, and revealed, its report of `era`.
	pub fn report_status(era: EraIndex, operator: &T::AccountId) -> (bool, bool) {
		(Commitments::<T>::contains_key(era, operator), Reports::<T>::contains_key(era, operator))
	}

	pub(crate) fn do_commit(
		operator: T::AccountId,
		era: EraIndex,
		commitment: [u8; 32],
	) -> DispatchResult {
		Self::params()?;
		ensure!(CurrentEra::<T>::get() == Some(era), Error::<T>::WrongEra);
		ensure!(AwaitingSeed::<T>::get() != Some(era), Error::<T>::SubjectsNotDrawn);
		let counting = Operators::<T>::get(&operator)
			.map_or(0, |op| Self::era_weight(&operator, op.licences, era));
		ensure!(counting > 0, Error::<T>::NotAnOperator);
		ensure!(!Commitments::<T>::contains_key(era, &operator), Error::<T>::AlreadyCommitted);
		let mut committers = Committers::<T>::get(era);
		if committers.is_full() {
			// Slots go to licences, not accounts: the commitment counting the fewest licences
			// (the first of them) gives way to one that counts more. Filling the slots ahead
			// of the honest operators thus costs more licences than they hold.
			let lightest = committers
				.iter()
				.enumerate()
				.min_by_key(|(_, (_, weight))| *weight)
				.map(|(index, (_, weight))| (index, *weight));
			let Some((index, least)) = lightest.filter(|(_, least)| counting > *least) else {
				return Err(Error::<T>::TooManyReporters.into());
			};
			let (displaced, _) = committers.remove(index);
			Commitments::<T>::remove(era, &displaced);
			log::debug!(target: LOG_TARGET, "era {era}: a commitment counting {least} licences gave way");
			Self::deposit_event(Event::ReportDisplaced { era, operator: displaced });
		}
		committers
			.try_push((operator.clone(), counting))
			.map_err(|_| Error::<T>::TooManyReporters)?;
		Committers::<T>::insert(era, committers);
		Commitments::<T>::insert(era, &operator, commitment);
		Self::deposit_event(Event::ReportCommitted { era, operator });
		Ok(())
	}

	pub(crate) fn do_reveal(
		operator: T::AccountId,
		era: EraIndex,
		verdicts: ReportedVerdictsOf<T>,
		salt: [u8; 32],
	) -> DispatchResult {
		let open = Revealing::<T>::get().is_some_and(|(revealing, closes)| {
			revealing == era && frame_system::Pallet::<T>::block_number() < closes
		});
		ensure!(open, Error::<T>::NotRevealing);
		ensure!(!Reports::<T>::contains_key(era, &operator), Error::<T>::AlreadyRevealed);
		let commitment = Commitments::<T>::get(era, &operator).ok_or(Error::<T>::NoCommitment)?;
		let info = Eras::<T>::get(era).ok_or(Error::<T>::NotRevealing)?;
		ensure!(verdicts.len() == info.subjects.len(), Error::<T>::WrongVerdictCount);
		ensure!(
			report_commitment(era, &operator, &verdicts, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		if let Some(keys) = AnswerKeys::<T>::get(era) {
			Self::check_receipts(&operator, &info.seed, &keys, &verdicts)?;
		}
		let kept = verdicts.iter().map(ReportedVerdict::verdict).collect::<Vec<_>>();
		Reports::<T>::insert(era, &operator, VerdictsOf::<T>::truncate_from(kept));
		Self::deposit_event(Event::ReportRevealed { era, operator });
		Ok(())
	}

	/// Checks that each pass on something checked carries the receipt of its subject, signed
	/// by the key the subject was drawn with, over `operator`'s challenge and the evidence.
	/// A subject without a key (not registered at the draw) cannot answer, and needs none.
	pub(crate) fn check_receipts(
		operator: &T::AccountId,
		era_seed: &[u8; 32],
		keys: &AnswerKeysOf<T>,
		verdicts: &[ReportedVerdict],
	) -> DispatchResult {
		let operator = operator.encode();
		for (index, reported) in verdicts.iter().enumerate() {
			if !needs_receipt(reported.ok, &reported.evidence) {
				continue;
			}
			let Some(Some(key)) = keys.get(index) else { continue };
			let receipt = reported.receipt.as_ref().ok_or(Error::<T>::MissingReceipt)?;
			let challenge = answer_challenge(&check_seed(era_seed, index as u32), &operator);
			let message = answer_message(&challenge, &reported.evidence);
			ensure!(receipt.verify(&message[..], &AccountId32::new(*key)), Error::<T>::BadReceipt);
		}
		Ok(())
	}

	/// Closes `era`: weighs each report by the licences that count for its operator, decides
	/// each subject, slashes the faulty ones, releases the subjects, accrues rewards and
	/// forgets the era's commitments and reports. Returns (reports revealed, subjects).
	pub(crate) fn finalize_era(era: EraIndex, params: &ParamsOf<T>) -> (u32, u32) {
		Revealing::<T>::kill();
		let subjects =
			Eras::<T>::take(era).map(|info| info.subjects.into_inner()).unwrap_or_default();
		let revealed: Vec<(T::AccountId, VerdictsOf<T>)> =
			Reports::<T>::drain_prefix(era).collect();
		let _ = Commitments::<T>::clear_prefix(era, T::MaxReporters::get(), None);
		Committers::<T>::remove(era);
		AnswerKeys::<T>::remove(era);
		let era_licences = EraLicences::<T>::take(era);
		let read = revealed.len() as u32;
		// An operator whose licences all left it (or came after the era started) has no say.
		let reports: Vec<Weighed<T>> = revealed
			.into_iter()
			.filter_map(|(who, verdicts)| {
				let weight = Operators::<T>::get(&who)
					.map_or(0, |op| Self::era_weight(&who, op.licences, era));
				(weight > 0).then_some((who, verdicts, weight))
			})
			.collect();

		let reporters = reports.len() as u32;
		let quorum = reporters >= params.min_reports;
		let mut outcome = EraOutcome::<BalanceOf<T>> { reporters, ..Default::default() };
		// The quorum's verdict per subject (only when there is a quorum).
		// (`None`: undecided).
		let mut decided: Vec<Option<Verdict>> = Vec::new();
		if quorum {
			let counted = Self::total(reports.iter().map(|(_, _, weight)| *weight));
			// Against every licence that could count, not only those that took a slot.
			let measure = counted.max(era_licences);
			for (index, subject) in subjects.iter().enumerate() {
				let verdict = Self::decide(&reports, index, params.fault_threshold, measure);
				if verdict.as_ref().is_some_and(|v| !v.ok) {
					let fails = Self::total(
						reports
							.iter()
							.filter(|(_, v, _)| !v[index].ok)
							.map(|(_, _, weight)| *weight),
					);
					let slashed = Self::slash(subject, params.slash);
					outcome.faulty.saturating_inc();
					Self::deposit_event(Event::SubjectFaulty {
						era,
						subject: subject.clone(),
						fails,
						reporters: counted,
						slashed,
					});
				}
				// A pass on nothing to check took no check and needs no receipt: agreeing
				// on it earns nothing, or a lazy majority would.
				decided.push(verdict.filter(|v| !is_idle_pass(v.ok, &v.evidence)));
			}
		}
		for subject in &subjects {
			Self::release_subject(subject);
		}

		// Holders' share: every licence.
		let licences = LicenceCount::<T>::get();
		let holder_pot = params.holder_share * params.emission_per_era;
		if licences > 0 {
			outcome.holder_reward = holder_pot / licences.into();
			HolderIndex::<T>::mutate(|index| index.saturating_accrue(outcome.holder_reward));
			outcome.accrued = outcome.holder_reward.saturating_mul(licences.into());
		}

		// Active share: the licences that counted for operators that agreed with the quorum
		// on the decided subjects (a subject passed on nothing to check is not one), in an
		// era that decided something (an empty report agrees with nothing).
		let decided_count = decided.iter().flatten().count() as u32;
		if quorum && decided_count > 0 {
			let needed = params.agreement_threshold.mul_ceil(decided_count);
			let agreeing: Vec<&Weighed<T>> = reports
				.iter()
				.filter(|(_, verdicts, _)| {
					let matched = verdicts
						.iter()
						.zip(&decided)
						.filter(|(mine, quorum)| {
							quorum.as_ref().is_some_and(|quorum| Self::agrees(mine, quorum))
						})
						.count();
					matched as u32 >= needed
				})
				.collect();
			outcome.agreeing = agreeing.len() as u32;
			let active_licences = Self::total(agreeing.iter().map(|(_, _, weight)| *weight));
			if active_licences > 0 {
				let active_pot = params.emission_per_era.saturating_sub(holder_pot);
				outcome.active_reward = active_pot / active_licences.into();
				for (who, _, _) in &agreeing {
					Self::credit(who, era, outcome.active_reward);
				}
				outcome.accrued.saturating_accrue(
					outcome.active_reward.saturating_mul(active_licences.into()),
				);
			}
		}
		TotalAccrued::<T>::mutate(|total| total.saturating_accrue(outcome.accrued));
		Outcomes::<T>::insert(era, outcome.clone());
		if let Some(old) = era.checked_sub(KEPT_OUTCOMES) {
			Outcomes::<T>::remove(old);
		}
		Self::deposit_event(Event::EraFinalized { era, outcome });
		(read, subjects.len() as u32)
	}

	/// The sum of reports' weights (licences), saturating.
	fn total(weights: impl Iterator<Item = u32>) -> u32 {
		weights.fold(0, u32::saturating_add)
	}

	/// The quorum's verdict on subject `index`, measured against `measure` licences (at
	/// least the reports'): a failure when reporters holding more than `threshold` of them
	/// failed it; a pass when reporters holding more than `threshold` of them passed it with
	/// the same evidence; else undecided (`None`).
	fn decide(
		reports: &[Weighed<T>],
		index: usize,
		threshold: Perbill,
		measure: u32,
	) -> Option<Verdict> {
		let weight_of = |(_, _, weight): &Weighed<T>| *weight;
		let fails =
			u128::from(Self::total(reports.iter().filter(|(_, v, _)| !v[index].ok).map(weight_of)));
		// part / measure > threshold, without rounding.
		let parts = u128::from(Perbill::ACCURACY);
		let over =
			|part: u128| part * parts > u128::from(threshold.deconstruct()) * u128::from(measure);
		if over(fails) {
			return Some(Verdict { ok: false, evidence: [0; 32] });
		}
		let mut tally = BTreeMap::<[u8; 32], u32>::new();
		for (_, verdicts, weight) in reports {
			if verdicts[index].ok {
				let votes = tally.entry(verdicts[index].evidence).or_default();
				*votes = votes.saturating_add(*weight);
			}
		}
		// The evidence of the most licences (ties go to the smallest hash, so the choice is
		// deterministic), if they are over the threshold.
		tally
			.into_iter()
			.fold(None::<([u8; 32], u32)>, |best, (hash, n)| match best {
				Some((_, most)) if most >= n => best,
				_ => Some((hash, n)),
			})
			.filter(|(_, n)| over(u128::from(*n)))
			.map(|(evidence, _)| Verdict { ok: true, evidence })
	}

	/// Whether a reported verdict matches the quorum's: both failed, or both passed on the
	/// same evidence.
	fn agrees(mine: &Verdict, quorum: &Verdict) -> bool {
		match (mine.ok, quorum.ok) {
			(false, false) => true,
			(true, true) => mine.evidence == quorum.evidence,
			_ => false,
		}
	}
}
