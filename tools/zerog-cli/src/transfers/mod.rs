//! `bench transfers`: a load generator of native balance transfers.
//!
//! 1. Derives `--senders` accounts from `--seed` and tops them up from `--funder` (batched
//!    transfers, waited for until finalized), so that each sender sends only a few
//!    transfers: short nonce chains, as real traffic has.
//! 2. Pre-signs `--count` `transfer_keep_alive`s round-robin over the senders (signing is
//!    not timed).
//! 3. Submits them in JSON-RPC batches, `--concurrency` at a time, paced to `--rate`
//!    per second (0: as fast as the node takes them), spread over `--rpc` and every
//!    `--submit-rpc` node. A full pool, or a pool that validated against a fork whose state
//!    was just pruned, is retried, as a wallet would, and once all are in, transfers that
//!    left the pool without reaching a block are sent again.
//! 4. Meanwhile a tracker scans each new best block and the finalized chain for the
//!    transfers, so the report has transactions per second in blocks and finalized, and
//!    latency percentiles from submission to block and to finality.

pub mod report;
pub mod senders;
pub mod tracker;

use crate::{
	args::RpcArgs,
	chain::{signed_extrinsic, Chain},
	error::{ChainError, CliError, CliResult},
};
use codec::Encode;
use sp_core::Pair;
use std::{
	sync::{
		atomic::{AtomicUsize, Ordering},
		Mutex,
	},
	time::{Duration, Instant},
};
use zerog_runtime::{Balance, BalancesCall, RuntimeCall, SigningContext, UncheckedExtrinsic};

/// The pool refused a transaction because it is full (`author` RPC error 1016).
const POOL_FULL: i32 = 1016;
/// The pool already holds the transaction (`author` RPC error 1013).
const ALREADY_IN_POOL: i32 = 1013;
/// The pool could not validate a transaction (`author` RPC error 1002).
const VERIFICATION_ERROR: i32 = 1002;
/// How long the watcher waits for more finalized transfers once some were refused.
const STALL: Duration = Duration::from_secs(20);
/// Once submission is over, a stretch this long with no transfer reaching a block sends the
/// ones not in a block again: the pool may have dropped them (a full future queue evicts
/// transactions whose earlier nonces arrived late). Three slots.
const RESUBMIT_AFTER: Duration = Duration::from_secs(6);
/// What each transfer moves: the existential deposit, to an account that exists.
const TRANSFER_VALUE: Balance = zerog_runtime::EXISTENTIAL_DEPOSIT;
/// What a sender holds per transfer it sends, fees included (a transfer's fee is ~0.0022 ZG).
const BUDGET_PER_TRANSFER: Balance = 10 * zerog_runtime::EXISTENTIAL_DEPOSIT;

/// `bench`: load generators.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCmd {
	/// Native balance transfers: submitted, in blocks and finalized per second, with
	/// latency percentiles.
	Transfers(TransfersCmd),
}

/// `bench transfers`.
#[derive(Debug, clap::Args)]
pub struct TransfersCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub rpc: RpcArgs,
	/// More nodes to submit to (repeatable); batches go round-robin over `--rpc` and these.
	/// The chain is watched through `--rpc`.
	#[arg(long)]
	pub submit_rpc: Vec<String>,
	/// Transfers to send.
	#[arg(long, default_value_t = 2000)]
	pub count: usize,
	/// Submissions per second; 0 sends as fast as the node takes them.
	#[arg(long, default_value_t = 0)]
	pub rate: u32,
	/// Sending accounts, derived as `SEED//0`, `SEED//1`, ...
	#[arg(long, default_value_t = 1000)]
	pub senders: usize,
	/// Secret URI the senders are derived from.
	#[arg(long, default_value = "//zerog-bench")]
	pub seed: String,
	/// Secret URI of the account that tops the senders up.
	#[arg(long, default_value = "//Ferdie")]
	pub funder: String,
	/// Batches in flight at once (threads sharing each node's WebSocket connection).
	#[arg(long, default_value_t = 8)]
	pub concurrency: usize,
	/// Transfers per JSON-RPC batch request.
	#[arg(long, default_value_t = 50)]
	pub batch: usize,
	/// Give up waiting for inclusion and finality after this many seconds.
	#[arg(long, default_value_t = 600)]
	pub timeout: u64,
	/// Print the report as one JSON object.
	#[arg(long)]
	pub json: bool,
}

impl BenchCmd {
	/// Runs the command.
	pub fn run(&self) -> CliResult<()> {
		match self {
			BenchCmd::Transfers(cmd) => run_transfers(cmd),
		}
	}
}

/// Signed transfers, `count` of them round-robin over `senders` (each to the next sender).
fn presign(
	senders: &[senders::Sender],
	count: usize,
	context: SigningContext,
) -> Vec<UncheckedExtrinsic> {
	let mut nonces: Vec<_> = senders.iter().map(|s| s.nonce).collect();
	(0..count)
		.map(|i| {
			let from = i % senders.len();
			let dest = senders[(from + 1) % senders.len()].account.clone();
			let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
				dest: dest.into(),
				value: TRANSFER_VALUE,
			});
			let xt = signed_extrinsic(call, &senders[from].pair, None, nonces[from], context);
			nonces[from] += 1;
			xt
		})
		.collect()
}

/// What submission left behind.
#[derive(Default)]
struct Submission {
	refused: usize,
	first_refusal: Option<String>,
	retried: usize,
	last_accepted: f64,
}

/// Submits every transfer in batches; marks each one's submission moment.
fn submit_all(
	targets: &[Chain],
	encoded: &[String],
	submitted: &tracker::Moments,
	cmd: &TransfersCmd,
	start: Instant,
	deadline: Instant,
) -> Submission {
	let batch = cmd.batch.max(1);
	let next = AtomicUsize::new(0);
	let outcome = Mutex::new(Submission::default());
	std::thread::scope(|scope| {
		for _ in 0..cmd.concurrency.max(1) {
			scope.spawn(|| loop {
				let chunk = next.fetch_add(1, Ordering::Relaxed);
				let from = chunk * batch;
				if from >= encoded.len() {
					break;
				}
				let to = (from + batch).min(encoded.len());
				if cmd.rate > 0 {
					let due = start + Duration::from_secs_f64(from as f64 / cmd.rate as f64);
					std::thread::sleep(due.saturating_duration_since(Instant::now()));
				}
				for i in from..to {
					tracker::mark(submitted, i, start);
				}
				let rpc = &targets[chunk % targets.len()];
				let (refused, retried) = submit_batch(rpc, &encoded[from..to], deadline);
				let mut outcome = outcome.lock().expect("no panics while held");
				outcome.retried += retried;
				outcome.refused += refused.len();
				if outcome.first_refusal.is_none() {
					outcome.first_refusal = refused.into_iter().next();
				}
				outcome.last_accepted = start.elapsed().as_secs_f64();
			});
		}
	});
	outcome.into_inner().expect("no panics while held")
}

/// Submits one batch, retrying what a full pool, a pruned fork or a dropped connection turned away until
/// `deadline`; returns the reasons of the transfers refused for good and the retry count.
fn submit_batch(chain: &Chain, batch: &[String], deadline: Instant) -> (Vec<String>, usize) {
	let mut pending: Vec<&String> = batch.iter().collect();
	let mut refused = Vec::new();
	let mut retried = 0;
	let mut backoff = Duration::from_millis(50);
	while !pending.is_empty() {
		let encoded: Vec<&str> = pending.iter().map(|xt| xt.as_str()).collect();
		let mut again = Vec::new();
		match chain.submit_batch(&encoded) {
			Ok(results) => {
				for (xt, result) in pending.iter().zip(results) {
					match result {
						Ok(_) => {},
						Err(ChainError::Rpc { code: ALREADY_IN_POOL, .. }) => {},
						Err(ChainError::Rpc { code: POOL_FULL, .. })
						| Err(ChainError::Transport(_)) => again.push(*xt),
						Err(ChainError::Rpc {
							code: VERIFICATION_ERROR,
							ref message,
							ref data,
						}) if validated_on_pruned_state(message, data.as_deref()) => again.push(*xt),
						Err(e) => refused.push(e.to_string()),
					}
				}
			},
			Err(_) => again = pending.clone(),
		}
		if again.is_empty() {
			break;
		}
		if Instant::now() > deadline {
			refused.extend(again.iter().map(|_| {
				"still turned away (pool full or pruned fork) at the deadline".to_string()
			}));
			break;
		}
		retried += again.len();
		std::thread::sleep(backoff);
		backoff = (backoff * 2).min(Duration::from_secs(1));
		pending = again;
	}
	(refused, retried)
}

/// Whether a verification error says only that the pool ran the runtime on a block whose
/// state is gone (a losing fork pruned at finality, as happens on a loaded multi-validator
/// network), rather than anything about the transaction: such a submission is retried.
fn validated_on_pruned_state(message: &str, data: Option<&str>) -> bool {
	let says =
		|text: &str| text.contains("unknown Block") || text.contains("State already discarded");
	says(message) || data.is_some_and(says)
}

/// Sends again, in nonce order, every transfer not yet seen in a block; returns how many.
/// Those still in the pool come back as "already in the pool" and cost nothing else.
fn resubmit_missing(
	chain: &Chain,
	encoded: &[String],
	included: &tracker::Moments,
	batch: usize,
	deadline: Instant,
) -> usize {
	let missing: Vec<String> = encoded
		.iter()
		.zip(included)
		.filter(|(_, moment)| moment.load(Ordering::Relaxed) == 0)
		.map(|(xt, _)| xt.clone())
		.collect();
	for chunk in missing.chunks(batch.max(1)) {
		// A refusal here (say a nonce already used by a transfer seen since) is not the
		// bench's concern: the tracker still decides what counts.
		let _ = submit_batch(chain, chunk, deadline);
	}
	missing.len()
}

/// Seconds of every set moment after its submission, and the latest such moment.
fn latencies(submitted: &tracker::Moments, reached: &tracker::Moments) -> (Vec<f64>, f64) {
	let mut out = Vec::new();
	let mut last = 0u64;
	for (s, r) in submitted.iter().zip(reached) {
		let (s, r) = (s.load(Ordering::Relaxed), r.load(Ordering::Relaxed));
		if s != 0 && r != 0 {
			out.push(r.saturating_sub(s) as f64 / 1e9);
			last = last.max(r);
		}
	}
	(out, last as f64 / 1e9)
}

fn run_transfers(cmd: &TransfersCmd) -> CliResult<()> {
	if cmd.count == 0 || cmd.senders == 0 {
		return Err(CliError::BadInput("--count and --senders must be at least 1".into()));
	}
	let funder = sp_core::sr25519::Pair::from_string(&cmd.funder, None)
		.map_err(|e| CliError::BadInput(format!("bad --funder: {e:?}")))?;
	let chain = Chain::connect(&cmd.rpc.rpc)?;
	let mut targets = vec![chain.clone()];
	for url in &cmd.submit_rpc {
		targets.push(Chain::connect(url)?);
	}
	let context = chain.signing_context()?;
	let sender_count = cmd.senders.min(cmd.count);
	let per_sender = cmd.count.div_ceil(sender_count) as Balance;
	let need =
		per_sender * (TRANSFER_VALUE + BUDGET_PER_TRANSFER) + zerog_runtime::EXISTENTIAL_DEPOSIT;
	let setup = Instant::now();
	let pairs = senders::derive(&cmd.seed, sender_count)?;
	let (senders, funded) =
		senders::fund(&chain, &funder, pairs, need, context, Duration::from_secs(cmd.timeout))?;
	let transfers = presign(&senders, cmd.count, context);
	let encoded: Vec<Vec<u8>> = transfers.iter().map(|xt| xt.encode()).collect();
	let hashes: Vec<[u8; 32]> = encoded.iter().map(|x| sp_crypto_hashing::blake2_256(x)).collect();
	let encoded: Vec<String> = encoded.iter().map(|x| format!("0x{}", hex::encode(x))).collect();
	if !cmd.json {
		eprintln!(
            "bench transfers: {sender_count} senders ({funded} topped up), {} transfers signed in {:.1} s",
            cmd.count,
            setup.elapsed().as_secs_f64()
        );
	}

	let start = Instant::now();
	let deadline = start + Duration::from_secs(cmd.timeout);
	let mut tracker = tracker::Tracker::new(chain.clone(), &hashes, start)?;
	let submitted = tracker::moments(cmd.count);
	// Set once submission is over with refusals: their senders' later transfers never land,
	// so the watcher stops when finality stops bringing any.
	let some_refused = std::sync::atomic::AtomicBool::new(false);
	let submission_over = std::sync::atomic::AtomicBool::new(false);
	let resubmitted = AtomicUsize::new(0);
	let (submission, tracked) = std::thread::scope(|scope| {
		let watcher = scope.spawn(|| -> CliResult<()> {
			let (mut last_count, mut last_progress) = (0, Instant::now());
			let mut last_inclusion = (0, Instant::now());
			while !tracker.all_finalized() {
				if Instant::now() > deadline {
					return Err(CliError::TimedOut {
						what: "not every transfer was finalized".into(),
						after: Duration::from_secs(cmd.timeout),
					});
				}
				tracker.poll()?;
				let count = tracker.finalized_blocks.len();
				if count != last_count {
					(last_count, last_progress) = (count, Instant::now());
				} else if some_refused.load(Ordering::Relaxed) && last_progress.elapsed() > STALL {
					return Err(CliError::TimedOut {
						what: "finality brought no more transfers after some were refused".into(),
						after: STALL,
					});
				}
				let included = tracker::count_set(&tracker.included);
				if included != last_inclusion.0 {
					last_inclusion = (included, Instant::now());
				} else if submission_over.load(Ordering::Relaxed)
					&& last_inclusion.1.elapsed() > RESUBMIT_AFTER
				{
					resubmitted.fetch_add(
						resubmit_missing(&chain, &encoded, &tracker.included, cmd.batch, deadline),
						Ordering::Relaxed,
					);
					last_inclusion.1 = Instant::now();
				}
				std::thread::sleep(Duration::from_millis(50));
			}
			Ok(())
		});
		let submission = submit_all(&targets, &encoded, &submitted, cmd, start, deadline);
		some_refused.store(submission.refused > 0, Ordering::Relaxed);
		submission_over.store(true, Ordering::Relaxed);
		(submission, watcher.join().expect("the tracker does not panic"))
	});
	let (inclusion, included_span) = latencies(&submitted, &tracker.included);
	let (finality, finalized_span) = latencies(&submitted, &tracker.finalized);
	let report = report::Report {
		transfers: cmd.count,
		senders: sender_count,
		rate: cmd.rate,
		submit_seconds: submission.last_accepted,
		refused: (submission.refused, submission.first_refusal),
		retried: submission.retried,
		resubmitted: resubmitted.into_inner(),
		inclusion,
		included_span,
		finality,
		finalized_span,
		per_block: tracker.finalized_blocks.iter().map(|b| b.transfers).collect(),
		block_lags: tracker.block_lags.clone(),
	};
	if cmd.json {
		println!("{}", report.to_json());
	} else {
		println!("{}", report.to_text());
	}
	// Transfers refused for good never finalize; only a timeout with none refused is an error.
	match tracked {
		Err(e) if report.refused.0 == 0 => Err(e),
		_ if report.refused.0 > 0 => Err(CliError::Mismatch(format!(
			"the node refused {} of {} transfers",
			report.refused.0, cmd.count
		))),
		_ => Ok(()),
	}
}

#[cfg(test)]
mod tests {
	use super::validated_on_pruned_state;

	#[test]
	fn only_pruned_state_verification_errors_are_retried() {
		// What a local4 node answered under load, message and data as sent.
		let data = r#""RuntimeApi(\"Api called for an unknown Block: State already discarded for 0xe4e2\")""#;
		assert!(validated_on_pruned_state("Verification Error: Runtime error: Api called for an unknown Block: State already discarded for 0xe4e2", Some(data)));
		assert!(validated_on_pruned_state("Verification Error", Some(data)));
		// A transfer that is wrong in itself is refused for good.
		assert!(!validated_on_pruned_state(
			"Invalid Transaction",
			Some(r#""Inability to pay some fees (e.g. account balance too low)""#)
		));
		assert!(!validated_on_pruned_state(
			"Verification Error: Runtime error: Execution failed",
			None
		));
	}
}
