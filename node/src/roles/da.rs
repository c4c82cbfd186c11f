//! DA in the node: the chunk store and the chunk exchange protocol, the task that counts blob
//! outcomes and prunes the store, and the operator key of `--da-operator` (whose off-chain
//! worker calls into the DA service through `zerog_da_io`).

use crate::{
	roles::{
		chain::{events, ClientChainView, KeystoreSigner, SyncPeers},
		context::{role_metrics, RoleContext},
	},
	service::types::{Block, BlockHash, FullClient},
};
use futures::StreamExt;
use sc_client_api::BlockchainEvents;
use sc_network::{
	config::FullNetworkConfiguration, request_responses::IncomingRequest, NetworkBackend,
};
use sc_service::{error::Error as ServiceError, Configuration};
use std::sync::Arc;
use zerog_da_service::{protocol::ChunkFetcher, ChunkStore, DaService, Metrics};
use zerog_data_plane::holding::HoldingSigner;
use zerog_runtime::RuntimeEvent;

/// Blocks between sweeps of the chunk store.
const PRUNE_EVERY_BLOCKS: u32 = 10;
/// Uploaded chunks are kept this long (seconds) waiting for their blob to reach the chain.
pub const UPLOAD_GRACE_SECS: u64 = 600;
/// The RPC request and response limits (MB) a node gets unless it sets its own: a 32 MiB
/// blob travels as 64 MiB of hex.
pub const DA_RPC_PAYLOAD_MB: u32 = 80;

/// DA between [`prepare`] and [`DaRole::start`].
pub struct DaRole {
	store: Arc<ChunkStore>,
	service: Arc<DaService>,
	metrics: Option<Metrics>,
	requests: async_channel::Receiver<IncomingRequest>,
	genesis: BlockHash,
}

/// Opens the chunk store under `<base>/chains/<chain>/da` and registers the chunk protocol.
pub fn prepare<N: NetworkBackend<Block, BlockHash>>(
	config: &Configuration,
	genesis: BlockHash,
	net_config: &mut FullNetworkConfiguration<Block, BlockHash, N>,
) -> Result<DaRole, ServiceError> {
	let store = Arc::new(
		ChunkStore::open(config.data_path.join("da"))
			.map_err(|e| ServiceError::Other(format!("DA chunk store: {e}")))?,
	);
	let metrics = role_metrics(config, "DA", Metrics::register)?;
	let service =
		Arc::new(DaService::new(store.clone(), metrics.clone(), config.tokio_handle.clone()));
	let (protocol, requests) =
		zerog_da_service::protocol::protocol_config::<Block, N>(genesis.as_ref());
	net_config.add_request_response_protocol(protocol);
	Ok(DaRole { store, service, metrics, requests, genesis })
}

/// DA once the network runs.
pub struct RunningDa {
	/// The DA service.
	pub service: Arc<DaService>,
	/// Asks peers for chunks and holding proofs.
	pub fetcher: Arc<ChunkFetcher>,
	/// Signs holding proofs with this node's `zgda` keys.
	pub signer: Arc<dyn HoldingSigner>,
}

impl DaRole {
	/// Starts the chunk server (which also answers alignment challenges with the `zgda`
	/// key) and the task that follows the chain.
	pub fn start(self, ctx: &RoleContext) -> RunningDa {
		let DaRole { store, service, metrics, requests, genesis } = self;
		let fetcher = Arc::new(ChunkFetcher::new(
			ctx.network.clone(),
			Arc::new(SyncPeers(ctx.sync.clone())),
			zerog_da_service::protocol::protocol_name(genesis.as_ref()),
			metrics.clone(),
		));
		service.set_fetcher(fetcher.clone());
		let signer: Arc<dyn HoldingSigner> = Arc::new(KeystoreSigner {
			keystore: ctx.keystore.clone(),
			key_type: pallet_da::OPERATOR_KEY_TYPE,
		});
		ctx.spawn.spawn(
			"da-chunk-server",
			Some("da"),
			zerog_da_service::protocol::serve_requests(
				store,
				requests,
				metrics,
				Some(signer.clone()),
			),
		);
		ctx.spawn.spawn(
			"da-follow-chain",
			Some("da"),
			follow_chain(ctx.client.clone(), service.clone()),
		);
		RunningDa { service, fetcher, signer }
	}
}

/// Follows new best blocks: counts blobs that became available or were dropped, and every
/// few blocks deletes the chunks of blobs the chain no longer keeps.
async fn follow_chain(client: Arc<FullClient>, service: Arc<DaService>) {
	let mut imports = client.import_notification_stream();
	let mut last_prune = 0u32;
	while let Some(block) = imports.next().await {
		if !block.is_new_best {
			continue;
		}
		if let Some(metrics) = service.metrics() {
			for event in events(&client, block.hash) {
				match event {
					RuntimeEvent::Da(pallet_da::Event::BlobAvailable { .. }) => {
						metrics.blobs_available.inc()
					},
					RuntimeEvent::Da(pallet_da::Event::BlobUnavailable { .. }) => {
						metrics.blobs_failed.inc()
					},
					_ => {},
				}
			}
		}
		let number = *sp_runtime::traits::Header::number(&block.header);
		if number.saturating_sub(last_prune) >= PRUNE_EVERY_BLOCKS {
			last_prune = number;
			let (client, service) = (client.clone(), service.clone());
			let _ = tokio::task::spawn_blocking(move || {
				service.prune(&ClientChainView(client), UPLOAD_GRACE_SECS)
			})
			.await;
		}
	}
}

/// Makes sure a DA operator's node can sign: with `--alice` and the like, the dev seed also
/// becomes the operator key (as the dev chains register it); otherwise the key must have been
/// inserted with `zerog-node key insert --key-type zgda --scheme sr25519`.
pub fn prepare_operator_keystore(
	keystore: &sp_keystore::KeystorePtr,
	dev_seed: Option<&str>,
) -> Result<(), sc_service::Error> {
	if let Some(seed) = dev_seed {
		keystore
			.sr25519_generate_new(pallet_da::OPERATOR_KEY_TYPE, Some(seed))
			.map_err(|e| sc_service::Error::Other(format!("DA operator key: {e}")))?;
	}
	if keystore.sr25519_public_keys(pallet_da::OPERATOR_KEY_TYPE).is_empty() {
		log::warn!(
			target: "da",
			"--da-operator without an operator key: insert one with `zerog-node key insert \
			 --key-type zgda --scheme sr25519 --suri <secret>`; until then no vote is sent"
		);
	}
	Ok(())
}
