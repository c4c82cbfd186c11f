//! The alignment node of `--alignment`. Each era it checks the subjects the chain drew (see
//! [`checks`]), keeps its verdicts with a fresh salt on disk, commits to
//! them with `alignment.commit_report`, and reveals them with `alignment.reveal_report` in
//! the era's reveal window. The operator account is the `algn` key in the keystore; the
//! licences delegated to it earn the era's active share when its reports agree with the
//! quorum.
//!
//! It checks once the block that drew the era's subjects is final (on a branch that loses,
//! an era has another seed and other subjects), or, when finality lags, a few blocks before
//! the era ends; each check gets the time left for the commitment to land in the era. A
//! commitment or reveal not on chain within two blocks, or given up by the pool, is sent
//! again.

pub mod checks;
pub mod rpc;

use crate::{
	roles::{
		context::RoleContext,
		da::RunningDa,
		own_tx::{role_account, OwnTransactions, OwnTxError, Submitted},
		storage::RunningStorage,
	},
	service::types::{BlockHash, FullClient},
};
use checks::{CheckVerdict, Checker};
use codec::Decode;
use pallet_alignment::{report_commitment, runtime_api::AlignmentApi, EraIndex, ReportedVerdict};
use sc_client_api::{HeaderBackend, StorageProvider};
use sc_service::error::Error as ServiceError;
use sp_api::ProvideRuntimeApi;
use sp_core::{crypto::KeyTypeId, storage::StorageKey};
use std::{collections::HashMap, sync::Arc, time::Duration};
use zerog_alignment_service::{
	challenge::{is_idle_pass, needs_receipt},
	reports::{fresh_salt, ReportStore, StoredReport},
};
use zerog_runtime::{AccountId, BlockNumber, Runtime, RuntimeCall};

/// Key type of an alignment operator's key in the keystore: its account commits and reveals.
pub const ALIGNMENT_KEY_TYPE: KeyTypeId = KeyTypeId(*b"algn");
/// How often the loop looks at the best block.
const POLL: Duration = Duration::from_secs(1);
/// Blocks to wait for a submitted report to take effect before sending it again (unless
/// the pool gave it up before). Below the reveal window, so that a reveal lost in the pool
/// is sent again in time.
const RESUBMIT_AFTER: BlockNumber = 2;

/// How long a compute endpoint gets to answer a health check.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(10);
/// The least number of blocks before an era's end by which a report is committed even if
/// the draw of its subjects is not final yet (a third of the era when that is more).
const COMMIT_MARGIN: BlockNumber = 4;
/// Blocks before an era's end the checks must be done by (the commitment still has to land).
const CHECKS_MARGIN: BlockNumber = 2;
/// The shortest time the checks get.
const MIN_CHECK_TIME: Duration = Duration::from_secs(2);

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
	/// The best and finalized block numbers at the last look.
	last_block: Option<(BlockNumber, BlockNumber)>,
	/// (step, era) -> the block it was sent at, and the transaction (none: not to be sent
	/// again before that block).
	sent: HashMap<(Step, EraIndex), (BlockNumber, Option<Submitted>)>,
	/// The last era a "no licence" warning was given for.
	warned: Option<EraIndex>,
	/// The last era checked on a draw that was not final.
	unfinal: Option<EraIndex>,
}

impl LoopState {
	/// Whether `step` of `era` may be sent at `now`: never sent, given up by the pool, or
	/// sent long enough ago.
	fn may_send(&self, step: Step, era: EraIndex, now: BlockNumber) -> bool {
		self.sent.get(&(step, era)).is_none_or(|(at, sent)| {
			sent.as_ref().is_some_and(Submitted::is_lost)
				|| now >= at.saturating_add(RESUBMIT_AFTER)
		})
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
		// A new best block, or a newly finalized one (the checks wait for finality).
		let seen = (info.best_number, info.finalized_number);
		if state.last_block == Some(seen) {
			return;
		}
		state.last_block = Some(seen);
		state
			.sent
			.retain(|_, (at, _)| info.best_number < at.saturating_add(100 * RESUBMIT_AFTER));
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
		let Some(era_length) = self.era_length(best) else { return };
		// The checks read the chain at the era's first block and follow the subjects drawn in
		// its second. On a branch that then lost, both are another era's: the report would
		// disagree with every honest one. So wait until the draw is final, unless finality
		// lags so far that waiting would miss the era.
		let era_end = record.start.saturating_add(era_length);
		if info.finalized_number < record.start.saturating_add(1) {
			if now < era_end.saturating_sub(COMMIT_MARGIN.max(era_length / 3)) {
				return;
			}
			if state.unfinal != Some(era) {
				state.unfinal = Some(era);
				log::warn!(target: "alignment", "era {era}: the draw of its subjects is not final by block {now} (finalized: {}); checking on the best chain", info.finalized_number);
			}
		}
		if let Err(e) = self.store.prune_before(era.saturating_sub(1)) {
			log::warn!(target: "alignment", "pruning old reports: {e}");
		}
		// The checks must be done while the commitment can still land in the era.
		let blocks_left = era_end.saturating_sub(now).saturating_sub(CHECKS_MARGIN);
		let check_time =
			Duration::from_millis(u64::from(blocks_left) * zerog_runtime::SLOT_DURATION)
				.max(MIN_CHECK_TIME);
		let started = std::time::Instant::now();
		let Some(report) = self.report(best, era, &record, era_length, check_time).await else {
			return;
		};
		let took = started.elapsed().as_millis();
		let failed = report.verdicts.iter().filter(|(ok, _, _)| !ok).count();
		let idle = report
			.verdicts
			.iter()
			.filter(|(ok, evidence, _)| is_idle_pass(*ok, evidence))
			.count();
		let commitment = report_commitment(
			era,
			self.tx.account(),
			&pallet_verdicts(&report.verdicts),
			&report.salt,
		);
		let call =
			RuntimeCall::Alignment(pallet_alignment::Call::commit_report { era, commitment });
		let Some(sent) = self.send(state, (Step::Commit, era), call).await else { return };
		match sent {
			Ok(submitted) => {
				state.sent.insert((Step::Commit, era), (now, Some(submitted)));
				log::info!(
					target: "alignment",
					"era {era}: {} subjects checked, {failed} failed, {idle} with nothing to check, in {took} ms; report committed at block {now}",
					report.verdicts.len()
				);
			},
			Err(e) => {
				log::warn!(target: "alignment", "era {era}: the commitment was refused by the pool: {e}")
			},
		}
	}

	/// This era's report: the one on disk (a restart after the checks), else fresh checks
	/// (each given at most `check_time`) with a fresh salt, saved before anything is
	/// committed.
	async fn report(
		&self,
		best: BlockHash,
		era: EraIndex,
		record: &checks::EraRecord,
		era_length: BlockNumber,
		check_time: Duration,
	) -> Option<StoredReport> {
		match self.store.load(era) {
			Ok(Some(report))
				if report.verdicts.len() == record.subjects.len()
					&& report.follows(&record.seed)
					&& report
						.made_for(<AccountId as AsRef<[u8; 32]>>::as_ref(self.tx.account()))
					&& has_receipts(&report.verdicts) =>
			{
				return Some(report)
			},
			Ok(Some(_)) => {
				log::warn!(target: "alignment", "era {era}: the stored report followed another draw (a branch that lost), another operator account, or has no receipts (an older version); checking again")
			},
			Ok(None) => {},
			Err(e) => {
				log::warn!(target: "alignment", "era {era}: the stored report is unreadable ({e}); checking again")
			},
		}
		let me = self.tx.account();
		let verdicts =
			self.checker.check_era(best, era, record, era_length, check_time, me).await?;
		let report = StoredReport {
			era,
			verdicts,
			salt: fresh_salt(),
			seed: record.seed,
			operator: *<AccountId as AsRef<[u8; 32]>>::as_ref(me),
		};
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
					.insert((Step::Reveal, era), (now.saturating_add(1000 * RESUBMIT_AFTER), None));
				return;
			},
			Err(e) => {
				log::error!(target: "alignment", "era {era}: the report cannot be read: {e}");
				return;
			},
		};
		let Ok(verdicts) = pallet_alignment::ReportedVerdictsOf::<Runtime>::try_from(
			pallet_verdicts(&report.verdicts),
		) else {
			log::error!(target: "alignment", "era {era}: the stored report has too many verdicts");
			return;
		};
		let call = RuntimeCall::Alignment(pallet_alignment::Call::reveal_report {
			era,
			verdicts,
			salt: report.salt,
		});
		let Some(sent) = self.send(state, (Step::Reveal, era), call).await else { return };
		match sent {
			Ok(submitted) => {
				state.sent.insert((Step::Reveal, era), (now, Some(submitted)));
				log::info!(target: "alignment", "era {era}: report revealed at block {now}");
			},
			Err(e) => {
				log::warn!(target: "alignment", "era {era}: the reveal was refused by the pool: {e}")
			},
		}
	}

	/// Sends `call` for `step`: in place of an earlier attempt that is neither on chain nor
	/// ready in the pool (under its nonce), else as a new transaction. `None` while an
	/// earlier attempt is still ready in the pool.
	async fn send(
		&self,
		state: &LoopState,
		step: (Step, EraIndex),
		call: RuntimeCall,
	) -> Option<Result<Submitted, OwnTxError>> {
		match state.sent.get(&step).and_then(|(_, sent)| sent.as_ref()) {
			Some(previous) if !previous.is_lost() && self.tx.in_pool(previous) => None,
			Some(previous) => Some(self.tx.resubmit(call, previous).await),
			None => Some(self.tx.submit(call).await),
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

/// Whether every pass on something checked has its receipt (a report kept by a version
/// before receipts has none, and could not be revealed: the era is checked again).
fn has_receipts(verdicts: &[CheckVerdict]) -> bool {
	verdicts
		.iter()
		.all(|(ok, evidence, receipt)| !needs_receipt(*ok, evidence) || receipt.is_some())
}

/// Stored verdicts as the pallet's type.
fn pallet_verdicts(verdicts: &[CheckVerdict]) -> Vec<ReportedVerdict> {
	verdicts
		.iter()
		.map(|(ok, evidence, receipt)| ReportedVerdict {
			ok: *ok,
			evidence: *evidence,
			receipt: receipt.clone(),
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_report_step_is_sent_again_only_after_the_wait() {
		let mut state = LoopState::default();
		assert!(state.may_send(Step::Commit, 3, 100));
		state.sent.insert((Step::Commit, 3), (100, None));
		assert!(!state.may_send(Step::Commit, 3, 100 + RESUBMIT_AFTER - 1));
		assert!(state.may_send(Step::Commit, 3, 100 + RESUBMIT_AFTER));
		// Other steps and eras are independent.
		assert!(state.may_send(Step::Reveal, 3, 101));
		assert!(state.may_send(Step::Commit, 4, 101));
		// A reveal the pool gave up (replaced, dropped) is sent again at once: the reveal
		// window is only a few blocks.
		state.sent.insert((Step::Reveal, 3), (100, Some(Submitted::given_up())));
		assert!(state.may_send(Step::Reveal, 3, 100));
	}

	#[test]
	fn a_report_without_receipts_on_checked_passes_is_made_again() {
		let receipt =
			sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([7; 64]));
		let idle = zerog_alignment_service::challenge::nothing_to_check();
		assert!(has_receipts(&[(true, [1; 32], Some(receipt)), (true, idle, None)]));
		assert!(has_receipts(&[(false, [0; 32], None)]));
		assert!(!has_receipts(&[(true, [1; 32], None)]));
	}

	#[test]
	fn stored_verdicts_become_the_pallets_in_order() {
		let receipt =
			sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([7; 64]));
		let verdicts =
			pallet_verdicts(&[(true, [1; 32], Some(receipt.clone())), (false, [0; 32], None)]);
		assert_eq!(
			verdicts,
			vec![
				ReportedVerdict { ok: true, evidence: [1; 32], receipt: Some(receipt) },
				ReportedVerdict { ok: false, evidence: [0; 32], receipt: None }
			]
		);
	}
}
