//! Eras: starting them (seed and subjects), commits and reveals, and finalization (quorum,
//! slashing, reward accrual).

use crate::{
	pallet::*, report_commitment, EraIndex, EraOutcome, Subject, Verdict, WeightInfo, LOG_TARGET,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, PerThing, Perbill};

/// How many finalized eras' outcomes stay in storage.
pub const KEPT_OUTCOMES: EraIndex = 64;

impl<T: Config> Pallet<T> {
	/// The block hook: closes a reveal window that ends now, then starts an era that is due.
	pub(crate) fn advance(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::DbWeight::get().reads(3);
		let Some(params) = Params::<T>::get() else { return weight };
		if let Some((era, closes)) = Revealing::<T>::get() {
			if now >= closes {
				let (reporters, subjects) = Self::finalize_era(era, &params);
				weight.saturating_accrue(T::WeightInfo::finalize_era(reporters, subjects));
				// Slashing runs in the subjects' pallets: a bond read and written, a hold
				// moved, an event.
				weight.saturating_accrue(
					T::DbWeight::get().reads_writes(4, 4).saturating_mul(subjects.into()),
				);
			}
		}
		let due = match CurrentEra::<T>::get() {
			None => true,
			Some(era) => Eras::<T>::get(era)
				.is_none_or(|info| now >= info.start.saturating_add(params.era_length)),
		};
		if due {
			let subjects = Self::start_era(now, &params);
			weight.saturating_accrue(T::WeightInfo::start_era(subjects));
			// Each sampling draw may look at `SAMPLE_TRIES` entries of a registry.
			let draws = params
				.storage_samples
				.saturating_add(params.da_samples)
				.saturating_add(params.compute_samples)
				.saturating_mul(2);
			let reads = u64::from(draws).saturating_mul(zerog_traits::SAMPLE_TRIES as u64);
			weight.saturating_accrue(T::DbWeight::get().reads(reads));
		}
		weight
	}

	/// Starts the next era at `now`: its seed, its subjects, and the reveal window of the
	/// era before. Returns the number of subjects.
	pub(crate) fn start_era(now: BlockNumberFor<T>, params: &ParamsOf<T>) -> u32 {
		let previous = CurrentEra::<T>::get();
		let era = previous.map_or(0, |e| e.saturating_add(1));
		let seed = Self::era_seed(era);
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
		let count = subjects.len() as u32;
		let subjects = BoundedVec::truncate_from(subjects);
		Eras::<T>::insert(era, EraOf::<T> { start: now, seed, subjects });
		CurrentEra::<T>::put(era);
		if let Some(previous) = previous {
			Revealing::<T>::put((previous, now.saturating_add(params.reveal_window)));
		}
		log::debug!(target: LOG_TARGET, "alignment era {era}: {count} subjects");
		Self::deposit_event(Event::EraStarted { era, seed, subjects: count });
		count
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
		ensure!(
			Operators::<T>::get(&operator).is_some_and(|op| op.licences > 0),
			Error::<T>::NotAnOperator
		);
		ensure!(!Commitments::<T>::contains_key(era, &operator), Error::<T>::AlreadyCommitted);
		let count = CommitmentCount::<T>::get(era);
		ensure!(count < T::MaxReporters::get(), Error::<T>::TooManyReporters);
		Commitments::<T>::insert(era, &operator, commitment);
		CommitmentCount::<T>::insert(era, count.saturating_add(1));
		Self::deposit_event(Event::ReportCommitted { era, operator });
		Ok(())
	}

	pub(crate) fn do_reveal(
		operator: T::AccountId,
		era: EraIndex,
		verdicts: VerdictsOf<T>,
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
		Reports::<T>::insert(era, &operator, verdicts);
		Self::deposit_event(Event::ReportRevealed { era, operator });
		Ok(())
	}

	/// Closes `era`: decides each subject, slashes the faulty ones, accrues rewards and
	/// forgets the era's commitments and reports. Returns (reporters, subjects).
	pub(crate) fn finalize_era(era: EraIndex, params: &ParamsOf<T>) -> (u32, u32) {
		Revealing::<T>::kill();
		let subjects =
			Eras::<T>::take(era).map(|info| info.subjects.into_inner()).unwrap_or_default();
		let reports: Vec<(T::AccountId, VerdictsOf<T>)> = Reports::<T>::drain_prefix(era).collect();
		let _ = Commitments::<T>::clear_prefix(era, T::MaxReporters::get(), None);
		CommitmentCount::<T>::remove(era);

		let reporters = reports.len() as u32;
		let quorum = reporters >= params.min_reports;
		let mut outcome = EraOutcome::<BalanceOf<T>> { reporters, ..Default::default() };
		// The quorum's verdict per subject (only when there is a quorum).
		let mut decided: Vec<Verdict> = Vec::new();
		if quorum {
			for (index, subject) in subjects.iter().enumerate() {
				let verdict = Self::decide(&reports, index, params.fault_threshold);
				if !verdict.ok {
					let fails = reports.iter().filter(|(_, v)| !v[index].ok).count() as u32;
					let slashed = Self::slash(subject, params.slash);
					outcome.faulty.saturating_inc();
					Self::deposit_event(Event::SubjectFaulty {
						era,
						subject: subject.clone(),
						fails,
						reporters,
						slashed,
					});
				}
				decided.push(verdict);
			}
		}

		// Holders' share: every licence.
		let licences = LicenceCount::<T>::get();
		let holder_pot = params.holder_share * params.emission_per_era;
		if licences > 0 {
			outcome.holder_reward = holder_pot / licences.into();
			HolderIndex::<T>::mutate(|index| index.saturating_accrue(outcome.holder_reward));
			outcome.accrued = outcome.holder_reward.saturating_mul(licences.into());
		}

		// Active share: licences of operators that agreed with the quorum.
		if quorum {
			let needed = params.agreement_threshold.mul_ceil(subjects.len() as u32);
			let agreeing: Vec<(T::AccountId, u32)> = reports
				.iter()
				.filter(|(_, verdicts)| {
					let matched = verdicts
						.iter()
						.zip(&decided)
						.filter(|(mine, quorum)| Self::agrees(mine, quorum))
						.count();
					matched as u32 >= needed
				})
				.filter_map(|(who, _)| {
					Operators::<T>::get(who).map(|op| (who.clone(), op.licences))
				})
				.filter(|(_, licences)| *licences > 0)
				.collect();
			outcome.agreeing = agreeing.len() as u32;
			let active_licences: u32 =
				agreeing.iter().map(|(_, n)| *n).fold(0, u32::saturating_add);
			if active_licences > 0 {
				let active_pot = params.emission_per_era.saturating_sub(holder_pot);
				outcome.active_reward = active_pot / active_licences.into();
				for (who, _) in &agreeing {
					Operators::<T>::mutate(who, |op| {
						if let Some(op) = op {
							op.reward_index.saturating_accrue(outcome.active_reward);
						}
					});
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
		(reporters, subjects.len() as u32)
	}

	/// The quorum's verdict on subject `index`: a failure when more than `fault_threshold`
	/// of the reporters failed it, else a pass with the evidence most reporters saw (ties go
	/// to the smallest hash, so the choice is deterministic).
	fn decide(
		reports: &[(T::AccountId, VerdictsOf<T>)],
		index: usize,
		threshold: Perbill,
	) -> Verdict {
		let fails = reports.iter().filter(|(_, v)| !v[index].ok).count() as u64;
		// fails / reporters > threshold, without rounding.
		let parts = u64::from(Perbill::ACCURACY);
		if fails * parts > u64::from(threshold.deconstruct()) * reports.len() as u64 {
			return Verdict { ok: false, evidence: [0; 32] };
		}
		let mut tally = BTreeMap::<[u8; 32], u32>::new();
		for (_, verdicts) in reports {
			if verdicts[index].ok {
				*tally.entry(verdicts[index].evidence).or_default() += 1;
			}
		}
		let evidence = tally
			.into_iter()
			.fold(None::<([u8; 32], u32)>, |best, (hash, n)| match best {
				Some((_, most)) if most >= n => best,
				_ => Some((hash, n)),
			})
			.map_or([0; 32], |(hash, _)| hash);
		Verdict { ok: true, evidence }
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
