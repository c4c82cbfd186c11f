//! Storage in the node: the segment store and the segment exchange protocol, the tasks that
//! follow the chain's deals and keep replicas complete, the provider account of
//! `--storage-provider` and its PoRA miner ([`miner`]).

pub mod miner;

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
	protocol::SegmentFetcher, service::ShardRole, store::Placement, Metrics, SegmentStore,
	StorageService,
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
	requests: async_channel::Receiver<IncomingRequest>,
	genesis: BlockHash,
}

/// Opens the segment store under `<base>/chains/<chain>/storage` and registers the segment
/// protocol.
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
	let (protocol, requests) =
		zerog_storage_service::protocol::protocol_config::<Block, N>(genesis.as_ref());
	net_config.add_request_response_protocol(protocol);
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
		let fetcher = Arc::new(SegmentFetcher::new(
			ctx.network.clone(),
			Arc::new(SyncPeers(ctx.sync.clone())),
			zerog_storage_service::protocol::protocol_name(genesis.as_ref()),
			metrics,
		));
		service.set_fetcher(fetcher.clone());
		ctx.spawn.spawn(
			"storage-segment-server",
			Some("storage"),
			zerog_storage_service::serve::serve_requests(service.clone(), requests),
		);
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
			if pora_cpu > 0 {
				let parts = miner::MinerParts {
					client: ctx.client.clone(),
					service: service.clone(),
					tx: OwnTransactions::new(
						ctx.client.clone(),
						ctx.pool.clone(),
						ctx.keystore.clone(),
						PROVIDER_KEY_TYPE,
						account.clone(),
					),
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

/// Where the deal scan stopped, kept next to the store.
struct DealCursor(std::path::PathBuf);

impl DealCursor {
	fn get(&self) -> u64 {
		std::fs::read(&self.0)
			.ok()
			.and_then(|b| b.try_into().ok())
			.map(u64::from_le_bytes)
			.unwrap_or(0)
	}
	fn set(&self, next: u64) {
		if let Err(e) = std::fs::write(&self.0, next.to_le_bytes()) {
			log::warn!(target: "storage", "deal cursor: {e}");
		}
	}
}

/// Records deals `from..to` (those still live at `at`) as placements.
fn scan_deals(client: &FullClient, service: &StorageService, at: BlockHash, from: u64, to: u64) {
	let api = client.runtime_api();
	for id in from..to {
		let Ok(Some(deal)) = api.deal(at, id) else { continue };
		let placement = Placement {
			deal: id,
			start_sector: deal.start_sector,
			replicas: deal.replicas,
			end: deal.end,
		};
		if let Err(e) = service.store().add_placement(&deal.root, deal.size, placement) {
			log::warn!(target: "storage", "deal {id}: {e}");
		}
	}
}

/// Drops placements whose deal is gone at `at` (expired, or on a dropped fork), updates
/// renewed ends, and deletes files left without a deal.
fn reconcile(client: &FullClient, service: &StorageService, at: BlockHash) {
	let api = client.runtime_api();
	for (root, meta) in service.store().files() {
		for placement in &meta.placements {
			let result = match api.deal(at, placement.deal) {
				Ok(Some(deal)) if deal.root == root => {
					if deal.end != placement.end {
						let _ = service.store().renew_placement(&root, placement.deal, deal.end);
					}
					continue;
				},
				Ok(_) => service.store().remove_placement(&root, placement.deal),
				Err(_) => continue,
			};
			if let Ok(0) = result {
				log::info!(target: "storage", "deal {} of 0x{} ended: deleting the file", placement.deal, hex::encode(root));
				let _ = service.store().remove(&root);
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
	let cursor = DealCursor(service.store().dir().join("deal-cursor"));
	let mut imports = client.import_notification_stream();
	let mut last_reconcile = None::<u32>;
	let step = |at: BlockHash, number: u32, last_reconcile: &mut Option<u32>| {
		let next = next_deal_id(&client, at);
		let from = cursor.get();
		if next > from {
			scan_deals(&client, &service, at, from, next);
			cursor.set(next);
		}
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
