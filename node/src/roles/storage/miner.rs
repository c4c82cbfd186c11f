//! The PoRA mining loop of `--storage-provider`: a blocking task of the task manager that
//! mines each epoch over the node's segments (`zerog_storage_service::miner`), within a CPU
//! share (`--pora-cpu`), and submits wins as `fileStorage.submit_pora`, signed with the
//! provider's keystore key. It pauses between work slices, which is also where it stops when
//! the node does.

use crate::{
	roles::{own_tx::OwnTransactions, storage::params::acks_required},
	service::types::FullClient,
};
use pallet_storage::runtime_api::StorageApi;
use sc_client_api::HeaderBackend;
use sp_api::ProvideRuntimeApi;
use std::{
	sync::Arc,
	time::{Duration, Instant},
};
use zerog_erasure::{flow::FlowProver, Hash};
use zerog_runtime::RuntimeCall;
use zerog_storage_service::{
	miner::{prover_until, EpochTask, FlowIndex, Miner},
	service::ShardRole,
	StorageService,
};

/// Wins submitted per epoch at most (the chain accepts a few per epoch in all).
const WINS_PER_EPOCH: u32 = 2;
/// Length of one work-and-rest cycle.
const CYCLE: Duration = Duration::from_millis(200);
/// How often the flow index is rebuilt within an epoch (new placements, new segments).
const REINDEX_EVERY: Duration = Duration::from_secs(5);

/// What the loop needs.
pub struct MinerParts {
	/// The client.
	pub client: Arc<FullClient>,
	/// The storage service (its store and metrics).
	pub service: Arc<StorageService>,
	/// Sends the answers as the provider account (its `zgst` key signs).
	pub tx: OwnTransactions,
	/// Percent of one core to spend (1-100).
	pub cpu_percent: u32,
}

/// One epoch's mining state.
struct Epoch {
	task: EpochTask,
	prover: FlowProver,
	index: FlowIndex,
	indexed_at: Instant,
	wins: u32,
}

/// Runs the loop until the node stops (spawn it as a blocking task: it computes between
/// its pauses).
pub async fn run(parts: MinerParts) {
	let MinerParts { client, service, tx, cpu_percent } = parts;
	let account = tx.account().clone();
	let miner = Miner::new(service.store().clone());
	let mut appends: Vec<(u64, Vec<(u32, Hash)>)> = Vec::new();
	let mut epoch: Option<Epoch> = None;
	let mut counter: u64 = rand_seed();
	let work = CYCLE * cpu_percent.clamp(1, 100) / 100;
	log::info!(target: "storage", "PoRA miner for {account} at {cpu_percent}% of a core");
	loop {
		let best = client.info().best_hash;
		let api = client.runtime_api();
		let (Ok(Some(provider)), Ok((index, Some(info)))) =
			(api.provider(best, account.clone()), api.pora_epoch(best))
		else {
			tokio::time::sleep(Duration::from_secs(2)).await;
			continue;
		};
		let shard = ShardRole { id: provider.shard.id, count: provider.shard.count };
		let fresh = epoch.as_ref().is_none_or(|e| e.task.epoch != index || e.task.shard != shard);
		if fresh {
			while let Ok(batch) = api.flow_appends(best, appends.len() as u64, 1024) {
				if batch.is_empty() {
					break;
				}
				appends.extend(batch);
			}
			let task = EpochTask {
				epoch: index,
				context: info.context,
				flow_root: info.flow_root,
				flow_length: info.flow_length,
				target: info.target,
				miner_id: provider.miner_id,
				shard,
			};
			epoch = match prover_until(&appends, info.flow_length) {
				Some(prover) if prover.flow().root() == info.flow_root => {
					let index = FlowIndex::of(service.store(), &appends, info.flow_length);
					Some(Epoch { task, prover, index, indexed_at: Instant::now(), wins: 0 })
				},
				_ => {
					log::warn!(target: "storage", "PoRA epoch {index}: the replayed flow does not match the chain's root");
					None
				},
			};
		}
		let Some(current) = epoch.as_mut() else {
			tokio::time::sleep(Duration::from_secs(2)).await;
			continue;
		};
		if current.wins >= WINS_PER_EPOCH || current.task.flow_length == 0 {
			tokio::time::sleep(Duration::from_secs(1)).await;
			continue;
		}
		if current.indexed_at.elapsed() > REINDEX_EVERY {
			current.index = FlowIndex::of(service.store(), &appends, current.task.flow_length);
			current.indexed_at = Instant::now();
		}
		let started = Instant::now();
		let mut tries = 0u64;
		while started.elapsed() < work {
			counter = counter.wrapping_add(1);
			let nonce = sp_io::hashing::blake2_256(&counter.to_le_bytes());
			tries += 1;
			let Some((unit, sealed)) = miner.try_nonce(&current.task, &current.index, &nonce)
			else {
				continue;
			};
			let Some(win) =
				miner.answer(&current.task, &current.index, &current.prover, nonce, unit, sealed)
			else {
				log::debug!(target: "storage", "PoRA win on unit {unit} without a proof here");
				continue;
			};
			// Only a unit of a live deal earns (never flow padding), and with acknowledgements
			// on only one of a deal this provider acknowledged: any other answer would be
			// refused, its fee spent for nothing.
			let deal = win.deal.filter(|deal| {
				let live = api.deal(best, *deal).is_ok_and(|deal| deal.is_some());
				live && (!acks_required(&client, best)
					|| api
						.acknowledged(best, account.clone(), vec![*deal])
						.is_ok_and(|a| a == [true]))
			});
			let Some(deal) = deal else {
				log::debug!(target: "storage", "PoRA win on unit {unit} outside an acknowledged deal: not paid, not sent");
				continue;
			};
			let answer = pallet_storage::PoraAnswer {
				epoch: win.epoch,
				miner_id: current.task.miner_id,
				nonce: win.nonce,
				unit: win.unit,
				deal: Some(deal),
				sealed: win.sealed,
				proof: win.proof,
			};
			let call = RuntimeCall::FileStorage(pallet_storage::Call::submit_pora { answer });
			match tx.submit(call).await {
				Ok(_) => {
					current.wins += 1;
					if let Some(m) = service.metrics() {
						m.pora_wins.inc();
					}
					log::info!(target: "storage", "PoRA win in epoch {} on unit {unit}: answer submitted", current.task.epoch);
				},
				Err(e) => log::warn!(target: "storage", "PoRA answer refused by the pool: {e}"),
			}
			if current.wins >= WINS_PER_EPOCH {
				break;
			}
		}
		if let Some(m) = service.metrics() {
			m.pora_tries.inc_by(tries);
		}
		tokio::time::sleep(CYCLE.saturating_sub(started.elapsed())).await;
	}
}

fn rand_seed() -> u64 {
	let nanos = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_nanos())
		.unwrap_or(0);
	(nanos as u64) ^ ((std::process::id() as u64) << 32)
}
