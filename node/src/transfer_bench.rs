//! `zerog-node bench transfers`: native balance transfers per second through a node's RPC.
//!
//! Pre-signs `--count` `transfer_keep_alive` transactions from the development accounts
//! (sequential nonces per account; signing is not timed), submits them at `--rate` per
//! second (or as fast as `--concurrency` connections go), then reports when every one is in
//! a block and in a finalized block. It is the reference next to the ERC-20 benchmark
//! (`scripts/bench-evm.sh`) and the load generator for multi-node runs.

use crate::{
    chain_rpc::{self, SigningContext},
    da_cli::{rpc_err, CmdResult, RpcArgs},
};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};
use zerog_da_service::http::{from_hex, Client};
use zerog_runtime::{AccountId, BalancesCall, Nonce, RuntimeCall, UncheckedExtrinsic};

/// `bench`: load generators.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCmd {
    /// Native balance transfers per second: submitted, in a block, finalized.
    Transfers(TransfersCmd),
}

/// `bench transfers`.
#[derive(Debug, clap::Args)]
pub struct TransfersCmd {
    #[allow(missing_docs)]
    #[clap(flatten)]
    pub rpc: RpcArgs,
    /// Transfers to send.
    #[arg(long, default_value_t = 2000)]
    pub count: usize,
    /// Submissions per second; 0 sends as fast as the connections go.
    #[arg(long, default_value_t = 0)]
    pub rate: u32,
    /// Connections submitting at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Give up waiting for inclusion and finality after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
}

impl BenchCmd {
    /// Runs the command.
    pub fn run(&self) -> sc_cli::Result<()> {
        match self {
            BenchCmd::Transfers(cmd) => run_transfers(cmd).map_err(sc_cli::Error::Input),
        }
    }
}

/// The signed transfers, and for each sender the nonce it reaches when all are in.
fn presign(rpc: &Client, count: usize) -> CmdResult<(Vec<UncheckedExtrinsic>, Vec<(AccountId, Nonce)>)> {
    let context = SigningContext::fetch(rpc).map_err(rpc_err)?;
    let keys: Vec<Sr25519Keyring> = Sr25519Keyring::iter().collect();
    let per_sender = count.div_ceil(keys.len());
    let mut transfers = Vec::with_capacity(count);
    let mut targets = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let n = per_sender.min(count - transfers.len());
        if n == 0 {
            break;
        }
        let pair = key.pair();
        let who: AccountId = pair.public().into();
        let first = chain_rpc::next_nonce(rpc, &who).map_err(rpc_err)?;
        let dest = keys[(i + 1) % keys.len()].to_account_id();
        for k in 0..n as Nonce {
            let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
                dest: dest.clone().into(),
                value: zerog_runtime::EXISTENTIAL_DEPOSIT,
            });
            transfers.push(chain_rpc::signed_extrinsic(call, &pair, None, first + k, context));
        }
        targets.push((who, first + n as Nonce));
    }
    Ok((transfers, targets))
}

/// Submits every transfer from `concurrency` threads, paced to `rate` per second when set.
/// Returns how many the node refused.
fn submit_all(rpc: &Client, transfers: &[UncheckedExtrinsic], rate: u32, concurrency: usize) -> usize {
    let next = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(xt) = transfers.get(i) else { break };
                if rate > 0 {
                    let due = start + Duration::from_secs_f64(i as f64 / rate as f64);
                    std::thread::sleep(due.saturating_duration_since(Instant::now()));
                }
                if chain_rpc::submit(rpc, xt).is_err() {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    refused.into_inner()
}

/// Whether every sender's nonce at block `at` reached its target.
fn all_in(rpc: &Client, targets: &[(AccountId, Nonce)], at: H256) -> CmdResult<bool> {
    for (who, target) in targets {
        let nonce = chain_rpc::account_info(rpc, who, Some(at)).map_err(rpc_err)?.nonce;
        if nonce < *target {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Polls `head` (best or finalized block hash) until every transfer is in; returns when.
fn wait_until_in(
    rpc: &Client,
    targets: &[(AccountId, Nonce)],
    head: &str,
    deadline: Instant,
) -> CmdResult<Instant> {
    loop {
        let at = match head {
            "finalized" => rpc.call("chain_getFinalizedHead", serde_json::json!([])),
            _ => rpc.call("chain_getBlockHash", serde_json::json!([])),
        }
        .map_err(rpc_err)?;
        let at = H256::from_slice(&from_hex(&at).map_err(rpc_err)?);
        if all_in(rpc, targets, at)? {
            return Ok(Instant::now());
        }
        if Instant::now() > deadline {
            return Err(format!("not every transfer reached a {head} block in time"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn run_transfers(cmd: &TransfersCmd) -> CmdResult<()> {
    let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
    let (transfers, targets) = presign(&rpc, cmd.count)?;
    let first_block = chain_rpc::best_number(&rpc).map_err(rpc_err)?;
    let start = Instant::now();
    let refused = submit_all(&rpc, &transfers, cmd.rate, cmd.concurrency);
    let submitted = start.elapsed();
    if refused > 0 {
        return Err(format!("the node refused {refused} of {} transfers", transfers.len()));
    }
    let deadline = Instant::now() + Duration::from_secs(cmd.timeout);
    let included = wait_until_in(&rpc, &targets, "best", deadline)? - start;
    let finalized = wait_until_in(&rpc, &targets, "finalized", deadline)? - start;
    let last_block = chain_rpc::best_number(&rpc).map_err(rpc_err)?;
    let n = transfers.len() as f64;
    println!(
        "native transfers: {} from {} senders, submitted in {:.1} s ({:.0}/s), all in blocks after \
         {:.1} s: {:.1} transfers/s, all finalized after {:.1} s: {:.1} transfers/s ({} blocks)",
        transfers.len(),
        targets.len(),
        submitted.as_secs_f64(),
        n / submitted.as_secs_f64(),
        included.as_secs_f64(),
        n / included.as_secs_f64(),
        finalized.as_secs_f64(),
        n / finalized.as_secs_f64(),
        last_block.saturating_sub(first_block),
    );
    Ok(())
}
