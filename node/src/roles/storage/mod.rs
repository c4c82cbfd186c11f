//! Storage in the node: the segment store and the segment exchange protocol, the tasks that
//! follow the chain's deals and keep replicas complete, the provider account of
//! `--storage-provider`, its acknowledgements of the deals it holds ([`acks`]) and its PoRA
//! miner ([`miner`]).

pub mod acks;
pub mod miner;
pub mod params;

use crate::{
	roles::{
		chain::{KeystoreSigner, SyncPeers},
		context::{role_metrics, RoleContext},
		own_tx::{role_account, OwnTransactions},
	},
	service::types::{Block, BlockHash, FullClient},
};
use codec::Decode;
use futures::StreamExt;
use pallet_storage::runtime_api::StorageApi;
use sc_client_api::{BlockchainEvents, HeaderBackend, StorageProvider};
use sc_network::{
	config::FullNetworkConfiguration, request_responses::IncomingRequest, NetworkBackend,
};
use sc_service::{error::Error as ServiceError, Configuration};
use sp_api::ProvideRuntimeApi;
use sp_core::{crypto::KeyTypeId, storage::StorageKey};
use std::{sync::Arc, time::Duration};
use zerog_runtime::{AccountId, Runtime};
use zerog_storage_service::{
	deal_scan::DealScan,
	protocol::{self, SegmentFetcher},
	serve::{serve_requests, Version},
	service::ShardRole,
	store::Placement,
	FileKey, Metrics, SegmentStore, StorageService,
};

/// Key type of a storage provider's key in the keystore: its account signs PoRA answers.
pub const PROVIDER_KEY_TYPE: KeyTypeId = KeyTypeId(*b"zgst");
/// Uploaded segments are kept this long (seconds) waiting for their deal to land.
pub const UPLOAD_GRACE_SECS: u64 = 600;
/// Blocks between checks that every known deal is still live.
const RECONCILE_EVERY_BLOCKS: u32 = 10;
/// Pause between replication passes.
const MAINTAIN_EVERY: Duration = Duration::from_secs(2);

/// Storage between [`prepare`] and [`StorageRole::start`].
pub struct StorageRole {
	service: Arc<StorageService>,
	metrics: Option<Metrics>,
	/// Requests of the segment protocol, version 2 and version 1.
	requests: [(Version, async_channel::Receiver<IncomingRequest>); 2],
	genesis: BlockHash,
}

/// Opens the segment store under `<base>/chains/<chain>/storage` and registers the segment
/// protocol (version 2, and version 1 for peers of the older version).
pub fn prepare<N: NetworkBackend<Block, BlockHash>>(
	config: &Configuration,
	genesis: BlockHash,
	net_config: &mut FullNetworkConfiguration<Block, BlockHash, N>,
) -> Result<StorageRole, ServiceError> {
	let store = Arc::new(
		SegmentStore::open(config.data_path.join("storage"))
			.map_err(|e| ServiceError::Other(format!("segment store: {e}")))?,
	);
	let metrics = role_metrics(config, "storage", Metrics::register)?;
	let service = Arc::new(StorageService::new(store, metrics.clone()));
	let mut queue = |name| {
		let (config, requests) = protocol::protocol_config::<Block, N>(name);
		net_config.add_request_response_protocol(config);
		requests
	};
	let requests = [
		(Version::V2, queue(protocol::protocol_name(genesis.as_ref()))),
		(Version::V1, queue(protocol::protocol_name_v1(genesis.as_ref()))),
	];
	Ok(StorageRole { service, metrics, requests, genesis })
}

/// Storage once the network runs.
pub struct RunningStorage {
	/// The storage service.
	pub service: Arc<StorageService>,
	/// Asks peers for segments and holding proofs.
	pub fetcher: Arc<SegmentFetcher>,
}

impl StorageRole {
	/// Starts the segment server, the chain follower and the replica keeper; with
	/// `provider`, this node keeps its provider's shard, answers holding challenges with
	/// the `zgst` key and mines PoRA with `pora_cpu` percent of a core.
	pub fn start(
		self,
		ctx: &RoleContext,
		provider: bool,
		pora_cpu: u32,
	) -> Result<RunningStorage, ServiceError> {
		let StorageRole { service, metrics, requests, genesis } = self;
		let fetcher = Arc::new(
			SegmentFetcher::new(
				ctx.network.clone(),
				Arc::new(SyncPeers(ctx.sync.clone())),
				protocol::protocol_name(genesis.as_ref()),
				metrics,
			)
			.with_fallback(protocol::protocol_name_v1(genesis.as_ref())),
		);
		service.set_fetcher(fetcher.clone());
		for (version, requests) in requests {
			ctx.spawn.spawn(
				"storage-segment-server",
				Some("storage"),
				serve_requests(service.clone(), requests, version),
			);
		}
		let account = if provider {
			role_account(
				&ctx.keystore,
				PROVIDER_KEY_TYPE,
				ctx.config.dev_key_seed.as_deref(),
				"--storage-provider",
				"this node keeps no replicas",
			)?
		} else {
			None
		};
		if let Some(account) = &account {
			// The shard is known before the replica keeper's first pass, which would otherwise
			// take this provider's replicas for staging copies.
			service.set_role(role_at(&ctx.client, ctx.client.info().best_hash, account));
			// The provider answers alignment nodes' holding challenges with its key.
			service.set_holding_signer(Arc::new(KeystoreSigner {
				keystore: ctx.keystore.clone(),
				key_type: PROVIDER_KEY_TYPE,
			}));
			let tx = OwnTransactions::new(
				ctx.client.clone(),
				ctx.pool.clone(),
				ctx.keystore.clone(),
				PROVIDER_KEY_TYPE,
				account.clone(),
			);
			// Mining or not, the provider acknowledges what it holds: that is what it is
			// checked on.
			ctx.spawn.spawn(
				"storage-acks",
				Some("storage"),
				acks::run(ctx.client.clone(), service.clone(), tx.clone()),
			);
			if pora_cpu > 0 {
				let parts = miner::MinerParts {
					client: ctx.client.clone(),
					service: service.clone(),
					tx,
					cpu_percent: pora_cpu,
				};
				// Mining is CPU work between pauses: a blocking task of its own.
				ctx.spawn.spawn_blocking("pora-miner", Some("storage"), miner::run(parts));
			}
		}
		ctx.spawn.spawn(
			"storage-follow-chain",
			Some("storage"),
			follow_chain(ctx.client.clone(), service.clone(), account),
		);
		ctx.spawn.spawn("storage-maintain", Some("storage"), maintain(service.clone()));
		Ok(RunningStorage { service, fetcher })
	}
}

/// The next deal id at `at`.
fn next_deal_id(client: &FullClient, at: BlockHash) -> u64 {
	let key = StorageKey(pallet_storage::NextDealId::<Runtime>::hashed_key().to_vec());
	client
		.storage(at, &key)
		.ok()
		.flatten()
		.and_then(|data| u64::decode(&mut &data.0[..]).ok())
		.unwrap_or(0)
}

/// Records deal `id` (if still live at `at`) as a placement of its file, keyed by the deal's
/// root and size: a deal for the same root with another size is another file.
fn place_deal(
	client: &FullClient,
	service: &StorageService,
	at: BlockHash,
	id: u64,
) -> Result<(), String> {
	let deal = match client.runtime_api().deal(at, id) {
		Ok(Some(deal)) => deal,
		Ok(None) => return Ok(()),
		Err(e) => return Err(format!("runtime API: {e}")),
	};
	let placement = Placement {
		deal: id,
		start_sector: deal.start_sector,
		replicas: deal.replicas,
		end: deal.end,
	};
	service
		.store()
		.add_placement(&FileKey::new(deal.root, deal.size), placement)
		.map_err(|e| format!("store: {e}"))
}

/// Drops placements whose deal is gone at `at` (expired, or on a dropped fork), updates
/// renewed ends, and deletes files left without a deal.
fn reconcile(client: &FullClient, service: &StorageService, at: BlockHash) {
	let api = client.runtime_api();
	for (key, meta) in service.store().files() {
		for placement in &meta.placements {
			let result = match api.deal(at, placement.deal) {
				Ok(Some(deal)) if FileKey::new(deal.root, deal.size) == key => {
					if deal.end != placement.end {
						let _ = service.store().renew_placement(&key, placement.deal, deal.end);
					}
					continue;
				},
				Ok(deal) => {
					// Gone, or (after a reorg) the id now names another file: record that one.
					if deal.is_some() {
						if let Err(e) = place_deal(client, service, at, placement.deal) {
							log::warn!(target: "storage", "deal {}: {e}", placement.deal);
						}
					}
					service.store().remove_placement(&key, placement.deal)
				},
				Err(_) => continue,
			};
			if let Ok(0) = result {
				log::info!(target: "storage", "deal {} of {key} ended: deleting the file", placement.deal);
				let _ = service.store().remove(&key);
			}
		}
	}
	service.refresh_usage();
}

/// This node's shard, if `account` is a registered provider at `at`.
fn role_at(client: &FullClient, at: BlockHash, account: &AccountId) -> Option<ShardRole> {
	let provider = client.runtime_api().provider(at, account.clone()).ok()??;
	Some(ShardRole { id: provider.shard.id, count: provider.shard.count })
}

/// Follows new best blocks: records new deals, keeps the provider role current and, every
/// few blocks, drops what the chain no longer keeps.
async fn follow_chain(
	client: Arc<FullClient>,
	service: Arc<StorageService>,
	provider: Option<AccountId>,
) {
	let dir = service.store().dir().to_path_buf();
	// The cursor of older versions skipped deals it failed to record; starting this scan
	// from deal 0 records them.
	let _ = std::fs::remove_file(dir.join("deal-cursor"));
	let mut scan = DealScan::load(&dir);
	let mut imports = client.import_notification_stream();
	let mut last_reconcile = None::<u32>;
	let mut step = |at: BlockHash, number: u32, last_reconcile: &mut Option<u32>| {
		let next = next_deal_id(&client, at);
		if scan.step(next, |id| place_deal(&client, &service, at, id)) {
			if let Err(e) = scan.save(&dir) {
				log::warn!(target: "storage", "saving the deal scan: {e}");
			}
		}
		service.set_unplaced_deals(scan.unplaced());
		if let Some(account) = &provider {
			service.set_role(role_at(&client, at, account));
		}
		if last_reconcile.is_none_or(|last| number.saturating_sub(last) >= RECONCILE_EVERY_BLOCKS) {
			*last_reconcile = Some(number);
			reconcile(&client, &service, at);
		}
	};
	let info = client.info();
	step(info.best_hash, info.best_number, &mut last_reconcile);
	while let Some(block) = imports.next().await {
		if block.is_new_best {
			let number = *sp_runtime::traits::Header::number(&block.header);
			step(block.hash, number, &mut last_reconcile);
		}
	}
}

/// Keeps replicas complete and staging copies tidy, a pass every couple of seconds.
async fn maintain(service: Arc<StorageService>) {
	loop {
		service.maintain(UPLOAD_GRACE_SECS).await;
		tokio::time::sleep(MAINTAIN_EVERY).await;
	}
}
