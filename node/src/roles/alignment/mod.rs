//! The alignment node of `--alignment`. Each era it checks the subjects the chain drew (see
//! [`checks`]), keeps its verdicts with a fresh salt on disk, commits to
//! them with `alignment.commit_report`, and reveals them with `alignment.reveal_report` in
//! the era's reveal window. The operator account is the `algn` key in the keystore; the
//! licences delegated to it earn the era's active share when its reports agree with the
//! quorum.

pub mod checks;
pub mod rpc;

use crate::{
	roles::{
		context::RoleContext,
		da::RunningDa,
		own_tx::{role_account, OwnTransactions},
		storage::RunningStorage,
	},
	service::types::{BlockHash, FullClient},
};
use checks::{CheckVerdict, Checker};
use codec::Decode;
use pallet_alignment::{report_commitment, runtime_api::AlignmentApi, EraIndex, Verdict};
use sc_client_api::{HeaderBackend, StorageProvider};
use sc_service::error::Error as ServiceError;
use sp_api::ProvideRuntimeApi;
use sp_core::{crypto::KeyTypeId, storage::StorageKey};
use std::{collections::HashMap, sync::Arc, time::Duration};
use zerog_alignment_service::{
	challenge::nothing_to_check,
	reports::{fresh_salt, ReportStore, StoredReport},
};
use zerog_runtime::{BlockNumber, Runtime, RuntimeCall};

/// Key type of an alignment operator's key in the keystore: its account commits and reveals.
pub const ALIGNMENT_KEY_TYPE: KeyTypeId = KeyTypeId(*b"algn");
/// How often the loop looks at the best block.
const POLL: Duration = Duration::from_secs(1);
/// Blocks to wait for a submitted report to take effect before sending it again.
const RESUBMIT_AFTER: BlockNumber = 5;

/// How long a compute endpoint gets to answer a health check.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(10);

/// What the loop needs.
pub struct AlignmentParts {
	/// The client.
	pub client: Arc<FullClient>,
	/// Runs the checks.
	pub checker: Checker,
	/// Sends reports as the operator account.
	pub tx: OwnTransactions,
	/// Keeps each era's verdicts and salt between commit and reveal.
	pub store: ReportStore,
}

/// Which report transaction was sent.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Step {
	Commit,
	Reveal,
}

/// The loop's memory between polls.
#[derive(Default)]
struct LoopState {
	last_block: Option<BlockNumber>,
	/// (step, era) -> block it was sent at.
	sent: HashMap<(Step, EraIndex), BlockNumber>,
	/// The last era a "no licence" warning was given for.
	warned: Option<EraIndex>,
}

impl LoopState {
	/// Whether `step` of `era` may be sent at `now` (never sent, or sent long enough ago).
	fn may_send(&self, step: Step, era: EraIndex, now: BlockNumber) -> bool {
		self.sent
			.get(&(step, era))
			.is_none_or(|at| now >= at.saturating_add(RESUBMIT_AFTER))
	}
}

/// Starts the alignment node for the operator account of the `algn` key (none: it stays
/// idle and the log says how to insert one).
pub fn start(
	ctx: &RoleContext,
	da: &RunningDa,
	storage: &RunningStorage,
) -> Result<(), ServiceError> {
	let Some(account) = role_account(
		&ctx.keystore,
		ALIGNMENT_KEY_TYPE,
		ctx.config.dev_key_seed.as_deref(),
		"--alignment",
		"this node reports nothing",
	)?
	else {
		return Ok(());
	};
	let parts = AlignmentParts {
		client: ctx.client.clone(),
		checker: Checker {
			client: ctx.client.clone(),
			storage: storage.service.clone(),
			segments: storage.fetcher.clone(),
			da: da.service.clone(),
			chunks: da.fetcher.clone(),
			da_signer: da.signer.clone(),
			health: zerog_alignment_service::compute::HealthClient::new(HEALTH_TIMEOUT)
				.map_err(|e| ServiceError::Other(format!("alignment health-check client: {e}")))?,
		},
		tx: OwnTransactions::new(
			ctx.client.clone(),
			ctx.pool.clone(),
			ctx.keystore.clone(),
			ALIGNMENT_KEY_TYPE,
			account,
		),
		store: ReportStore::open(&ctx.config.data_path.join("alignment"))
			.map_err(|e| ServiceError::Other(format!("alignment report store: {e}")))?,
	};
	ctx.spawn.spawn("alignment-node", Some("alignment"), run(parts));
	Ok(())
}

/// Runs the loop until the node stops.
async fn run(parts: AlignmentParts) {
	log::info!(target: "alignment", "alignment node for operator {}", parts.tx.account());
	let mut state = LoopState::default();
	loop {
		parts.step(&mut state).await;
		tokio::time::sleep(POLL).await;
	}
}

impl AlignmentParts {
	/// One look at a new best block: reveal the era being revealed, then check and commit
	/// the running era.
	async fn step(&self, state: &mut LoopState) {
		let info = self.client.info();
		if state.last_block == Some(info.best_number) {
			return;
		}
		state.last_block = Some(info.best_number);
		state
			.sent
			.retain(|_, at| info.best_number < at.saturating_add(100 * RESUBMIT_AFTER));
		let (best, now) = (info.best_hash, info.best_number);
		let api = self.client.runtime_api();
		let me = self.tx.account().clone();
		if let Ok(Some((era, _, _))) = api.revealing(best) {
			self.reveal(best, now, era, state).await;
		}
		let Ok(Some((era, record))) = api.current_era(best) else { return };
		// The licences this operator's report would count for. A runtime from before version 2
		// of the API counts every delegated licence and draws subjects as the era starts.
		let weight = api.reporting_weight(best, era, me.clone()).unwrap_or_else(|_| {
			Some(api.operator(best, me.clone()).ok().flatten().map_or(0, |op| op.licences))
		});
		// The era's subjects are drawn once its randomness is fresh (the era's second block).
		let Some(weight) = weight else { return };
		if weight == 0 {
			if state.warned != Some(era) {
				state.warned = Some(era);
				log::warn!(target: "alignment", "era {era}: no licence counts for {me} (a licence counts from the era after it is delegated), or the reporter slots are full with heavier operators; not reporting");
			}
			return;
		}
		let (committed, _) = api.report_status(best, era, me).unwrap_or((true, true));
		if committed || !state.may_send(Step::Commit, era, now) {
			return;
		}
		if let Err(e) = self.store.prune_before(era.saturating_sub(1)) {
			log::warn!(target: "alignment", "pruning old reports: {e}");
		}
		let started = std::time::Instant::now();
		let Some(report) = self.report(best, era, &record).await else { return };
		let took = started.elapsed().as_millis();
		let failed = report.verdicts.iter().filter(|(ok, _)| !ok).count();
		let idle = report
			.verdicts
			.iter()
			.filter(|(ok, evidence)| *ok && *evidence == nothing_to_check())
			.count();
		let commitment = report_commitment(
			era,
			self.tx.account(),
			&pallet_verdicts(&report.verdicts),
			&report.salt,
		);
		let call =
			RuntimeCall::Alignment(pallet_alignment::Call::commit_report { era, commitment });
		match self.tx.submit(call).await {
			Ok(()) => {
				state.sent.insert((Step::Commit, era), now);
				log::info!(
					target: "alignment",
					"era {era}: {} subjects checked, {failed} failed, {idle} with nothing to check, in {took} ms; report committed",
					report.verdicts.len()
				);
			},
			Err(e) => {
				log::warn!(target: "alignment", "era {era}: the commitment was refused by the pool: {e}")
			},
		}
	}

	/// This era's report: the one on disk (a restart after the checks), else fresh checks
	/// with a fresh salt, saved before anything is committed.
	async fn report(
		&self,
		best: BlockHash,
		era: EraIndex,
		record: &checks::EraRecord,
	) -> Option<StoredReport> {
		match self.store.load(era) {
			Ok(Some(report)) if report.verdicts.len() == record.subjects.len() => {
				return Some(report)
			},
			Ok(_) => {},
			Err(e) => {
				log::warn!(target: "alignment", "era {era}: the stored report is unreadable ({e}); checking again")
			},
		}
		let era_length = self.era_length(best)?;
		let verdicts = self.checker.check_era(record, era_length).await?;
		let report = StoredReport { era, verdicts, salt: fresh_salt() };
		if let Err(e) = self.store.save(&report) {
			log::error!(target: "alignment", "era {era}: cannot keep the report ({e}); not committing what could not be revealed");
			return None;
		}
		Some(report)
	}

	/// Reveals the report of `era` if it was committed and not yet revealed.
	async fn reveal(
		&self,
		best: BlockHash,
		now: BlockNumber,
		era: EraIndex,
		state: &mut LoopState,
	) {
		let me = self.tx.account().clone();
		let (committed, revealed) =
			self.client.runtime_api().report_status(best, era, me).unwrap_or((false, true));
		if !committed || revealed || !state.may_send(Step::Reveal, era, now) {
			return;
		}
		let report = match self.store.load(era) {
			Ok(Some(report)) => report,
			Ok(None) => {
				log::error!(target: "alignment", "era {era}: committed, but the report is not on disk; it cannot be revealed");
				state
					.sent
					.insert((Step::Reveal, era), now.saturating_add(1000 * RESUBMIT_AFTER));
				return;
			},
			Err(e) => {
				log::error!(target: "alignment", "era {era}: the report cannot be read: {e}");
				return;
			},
		};
		let Ok(verdicts) =
			pallet_alignment::VerdictsOf::<Runtime>::try_from(pallet_verdicts(&report.verdicts))
		else {
			log::error!(target: "alignment", "era {era}: the stored report has too many verdicts");
			return;
		};
		let call = RuntimeCall::Alignment(pallet_alignment::Call::reveal_report {
			era,
			verdicts,
			salt: report.salt,
		});
		match self.tx.submit(call).await {
			Ok(()) => {
				state.sent.insert((Step::Reveal, era), now);
				log::info!(target: "alignment", "era {era}: report revealed");
			},
			Err(e) => {
				log::warn!(target: "alignment", "era {era}: the reveal was refused by the pool: {e}")
			},
		}
	}

	/// The era length in force at `at`.
	fn era_length(&self, at: BlockHash) -> Option<BlockNumber> {
		let key = StorageKey(pallet_alignment::Params::<Runtime>::hashed_key().to_vec());
		let data = self.client.storage(at, &key).ok()??;
		pallet_alignment::ParamsOf::<Runtime>::decode(&mut &data.0[..])
			.ok()
			.map(|p| p.era_length)
	}
}

/// Stored verdicts as the pallet's type.
fn pallet_verdicts(verdicts: &[CheckVerdict]) -> Vec<Verdict> {
	verdicts
		.iter()
		.map(|(ok, evidence)| Verdict { ok: *ok, evidence: *evidence })
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_report_step_is_sent_again_only_after_the_wait() {
		let mut state = LoopState::default();
		assert!(state.may_send(Step::Commit, 3, 100));
		state.sent.insert((Step::Commit, 3), 100);
		assert!(!state.may_send(Step::Commit, 3, 100 + RESUBMIT_AFTER - 1));
		assert!(state.may_send(Step::Commit, 3, 100 + RESUBMIT_AFTER));
		// Other steps and eras are independent.
		assert!(state.may_send(Step::Reveal, 3, 101));
		assert!(state.may_send(Step::Commit, 4, 101));
	}

	#[test]
	fn stored_verdicts_become_the_pallets_in_order() {
		let verdicts = pallet_verdicts(&[(true, [1; 32]), (false, [0; 32])]);
		assert_eq!(
			verdicts,
			vec![Verdict { ok: true, evidence: [1; 32] }, Verdict { ok: false, evidence: [0; 32] }]
		);
	}
}
