//! Wires the node together: client, import queue (BABE + GRANDPA), network, transaction
//! pool, off-chain workers, RPC, block authoring and finality voting.

use futures::FutureExt;
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_babe::{BabeWorkerHandle, SlotProportion};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use std::{sync::Arc, time::Duration};
use zerog_runtime::{opaque::Block, RuntimeApi};

/// Host functions the runtime may call. The benchmarking ones are added when the node is
/// built to run `benchmark pallet`.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = (sp_io::SubstrateHostFunctions, zerog_da_io::da_chunks::HostFunctions);
/// Host functions the runtime may call, with the benchmarking ones.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	zerog_da_io::da_chunks::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

/// The full client: database backend plus the wasm executor.
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
/// The database backend.
pub type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type FullGrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;

/// GRANDPA writes a justification at least every this many blocks (and at set changes).
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// What block authoring and finality need beyond the standard parts.
pub struct ConsensusParts {
	/// BABE block import, wrapping GRANDPA's.
	pub block_import: sc_consensus_babe::BabeBlockImport<
		Block,
		FullClient,
		FullGrandpaBlockImport,
		BabeInherentProviders,
		FullSelectChain,
	>,
	/// Shared BABE state (epoch changes, configuration).
	pub babe_link: sc_consensus_babe::BabeLink<Block>,
	/// Handle to answer BABE RPC queries.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
	/// Shared GRANDPA state.
	pub grandpa_link: sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
	/// Telemetry, when endpoints are configured.
	pub telemetry: Option<Telemetry>,
}

/// The inherent data BABE checks on import: the slot and the timestamp.
pub type BabeInherentProviders = fn(
	<Block as sp_runtime::traits::Block>::Hash,
	(),
) -> std::future::Ready<
	Result<
		(sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider),
		Box<dyn std::error::Error + Send + Sync>,
	>,
>;

/// How long a compute endpoint gets to answer an alignment health check.
const ALIGNMENT_HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The node's transaction pool.
pub type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// The parts every subcommand needs.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	FullPool,
	ConsensusParts,
>;

/// Slot and timestamp inherent data for the slot that `now` falls in.
fn slot_inherents(
	slot_duration: sp_consensus_babe::SlotDuration,
) -> (sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_babe::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// The runtime's fixed slot length, read once: BABE slots cannot change after genesis.
static SLOT_DURATION_MS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

fn babe_inherent_providers(
	_parent: <Block as sp_runtime::traits::Block>::Hash,
	_: (),
) -> std::future::Ready<
	Result<
		(sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider),
		Box<dyn std::error::Error + Send + Sync>,
	>,
> {
	let millis = *SLOT_DURATION_MS.get().expect("set in new_partial before import starts; qed");
	std::future::ready(Ok(slot_inherents(sp_consensus_babe::SlotDuration::from_millis(millis))))
}

/// Builds the client, database, transaction pool and import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&(client.clone() as Arc<_>),
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;
	let justification_import = grandpa_block_import.clone();

	let babe_config = sc_consensus_babe::configuration(&*client)?;
	let slot_duration = babe_config.slot_duration();
	let _ = SLOT_DURATION_MS.set(slot_duration.as_millis());

	let (block_import, babe_link) = sc_consensus_babe::block_import(
		babe_config,
		grandpa_block_import,
		client.clone(),
		babe_inherent_providers as BabeInherentProviders,
		select_chain.clone(),
		OffchainTransactionPoolFactory::new(transaction_pool.clone()),
	)?;

	let (import_queue, babe_worker_handle) =
		sc_consensus_babe::import_queue(sc_consensus_babe::ImportQueueParams {
			link: babe_link.clone(),
			block_import: block_import.clone(),
			justification_import: Some(Box::new(justification_import)),
			client: client.clone(),
			slot_duration,
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: ConsensusParts {
			block_import,
			babe_link,
			babe_worker_handle,
			grandpa_link,
			telemetry,
		},
	})
}

/// zerog's own options of a running node.
#[derive(Clone, Debug, Default)]
pub struct ZerogOptions {
	/// Run the DA operator's off-chain work (`--da-operator`).
	pub da_operator: bool,
	/// Where to serve the raw-byte data path (`--da-http-addr`); `None` turns it off.
	pub da_http_addr: Option<std::net::SocketAddr>,
	/// Keep a provider's shard of stored files (`--storage-provider`, implied by `--dev`).
	pub storage_provider: bool,
	/// Percent of a core for PoRA mining (`--pora-cpu`); 0 turns it off.
	pub pora_cpu: u32,
	/// Run the KV node (`--kv`), with this wait for an entry's data.
	pub kv: Option<std::time::Duration>,
	/// Check the network and report each era as an alignment operator (`--alignment`).
	pub alignment: bool,
	/// Start and supervise the Ethereum JSON-RPC program (`--eth-rpc-port`).
	pub eth_rpc: Option<crate::eth_rpc::EthRpcOptions>,
	/// How many blocks behind the best block GRANDPA votes (`--finality-vote-lag`).
	pub finality_vote_lag: u32,
}

/// Builds and starts a full node (an authority when `--validator` or `--dev` is given).
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	config: Configuration,
	options: ZerogOptions,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other:
			ConsensusParts { block_import, babe_link, babe_worker_handle, grandpa_link, mut telemetry },
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let peer_store_handle = net_config.peer_store_handle();

	let genesis_hash = client.block_hash(0).ok().flatten().expect("Genesis block exists; qed");

	let da_store = Arc::new(
		zerog_da_service::ChunkStore::open(config.data_path.join("da"))
			.map_err(|e| ServiceError::Other(format!("DA chunk store: {e}")))?,
	);
	let da_metrics = config
		.prometheus_registry()
		.map(zerog_da_service::Metrics::register)
		.transpose()
		.map_err(|e| ServiceError::Other(format!("DA metrics: {e}")))?;
	let da_service = Arc::new(zerog_da_service::DaService::new(
		da_store.clone(),
		da_metrics.clone(),
		config.tokio_handle.clone(),
	));
	let (da_protocol_config, da_requests) =
		zerog_da_service::protocol::protocol_config::<Block, N>(genesis_hash.as_ref());
	net_config.add_request_response_protocol(da_protocol_config);
	let storage_store = Arc::new(
		zerog_storage_service::SegmentStore::open(config.data_path.join("storage"))
			.map_err(|e| ServiceError::Other(format!("segment store: {e}")))?,
	);
	let storage_metrics = config
		.prometheus_registry()
		.map(zerog_storage_service::Metrics::register)
		.transpose()
		.map_err(|e| ServiceError::Other(format!("storage metrics: {e}")))?;
	let storage_service = Arc::new(zerog_storage_service::StorageService::new(
		storage_store,
		storage_metrics.clone(),
	));
	let (storage_protocol_config, storage_requests) =
		zerog_storage_service::protocol::protocol_config::<Block, N>(genesis_hash.as_ref());
	net_config.add_request_response_protocol(storage_protocol_config);
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	let chunk_fetcher = Arc::new(zerog_da_service::protocol::ChunkFetcher::new(
		network.clone(),
		Arc::new(crate::da::SyncPeers(sync_service.clone())),
		zerog_da_service::protocol::protocol_name(genesis_hash.as_ref()),
		da_metrics.clone(),
	));
	da_service.set_fetcher(chunk_fetcher.clone());
	// An operator answers alignment nodes' holding challenges with its `zgda` key.
	let da_signer: Arc<dyn zerog_da_service::holding::HoldingSigner> =
		Arc::new(crate::da::KeystoreSigner {
			keystore: keystore_container.keystore(),
			key_type: pallet_da::OPERATOR_KEY_TYPE,
		});
	task_manager.spawn_handle().spawn(
		"da-chunk-server",
		Some("da"),
		zerog_da_service::protocol::serve_requests(
			da_store,
			da_requests,
			da_metrics,
			Some(da_signer.clone()),
		),
	);
	task_manager.spawn_handle().spawn(
		"da-follow-chain",
		Some("da"),
		crate::da::follow_chain(client.clone(), da_service.clone()),
	);
	let segment_fetcher = Arc::new(zerog_storage_service::protocol::SegmentFetcher::new(
		network.clone(),
		Arc::new(crate::da::SyncPeers(sync_service.clone())),
		zerog_storage_service::protocol::protocol_name(genesis_hash.as_ref()),
		storage_metrics,
	));
	storage_service.set_fetcher(segment_fetcher.clone());
	task_manager.spawn_handle().spawn(
		"storage-segment-server",
		Some("storage"),
		zerog_storage_service::protocol::serve_requests(storage_service.clone(), storage_requests),
	);
	// The node's own transactions (PoRA answers, alignment reports), signed in the keystore.
	let own_transactions = |key_type, account| {
		crate::own_tx::OwnTransactions::new(
			client.clone(),
			transaction_pool.clone(),
			keystore_container.keystore(),
			key_type,
			account,
		)
	};
	let storage_provider = if options.storage_provider {
		crate::own_tx::role_account(
			&keystore_container.keystore(),
			crate::storage::PROVIDER_KEY_TYPE,
			config.dev_key_seed.as_deref(),
			"--storage-provider",
			"this node keeps no replicas",
		)?
	} else {
		None
	};
	if storage_provider.is_some() {
		// The provider answers alignment nodes' holding challenges with its key.
		storage_service.set_holding_signer(Arc::new(crate::da::KeystoreSigner {
			keystore: keystore_container.keystore(),
			key_type: crate::storage::PROVIDER_KEY_TYPE,
		}));
	}
	if let (Some(account), true) = (storage_provider.clone(), options.pora_cpu > 0) {
		let parts = crate::storage_miner::MinerParts {
			client: client.clone(),
			service: storage_service.clone(),
			tx: own_transactions(crate::storage::PROVIDER_KEY_TYPE, account),
			runtime: config.tokio_handle.clone(),
			cpu_percent: options.pora_cpu,
		};
		std::thread::Builder::new()
			.name("pora-miner".into())
			.spawn(move || crate::storage_miner::run(parts))
			.map_err(|e| ServiceError::Other(format!("PoRA miner thread: {e}")))?;
	}
	task_manager.spawn_handle().spawn(
		"storage-follow-chain",
		Some("storage"),
		crate::storage::follow_chain(client.clone(), storage_service.clone(), storage_provider),
	);
	task_manager.spawn_handle().spawn(
		"storage-maintain",
		Some("storage"),
		crate::storage::maintain(storage_service.clone()),
	);
	let alignment_operator = if options.alignment {
		crate::own_tx::role_account(
			&keystore_container.keystore(),
			crate::alignment::ALIGNMENT_KEY_TYPE,
			config.dev_key_seed.as_deref(),
			"--alignment",
			"this node reports nothing",
		)?
	} else {
		None
	};
	if let Some(account) = alignment_operator {
		let parts = crate::alignment::AlignmentParts {
			client: client.clone(),
			checker: crate::alignment_checks::Checker {
				client: client.clone(),
				storage: storage_service.clone(),
				segments: segment_fetcher,
				da: da_service.clone(),
				chunks: chunk_fetcher,
				da_signer,
				health: zerog_alignment_service::compute::HealthClient::new(
					ALIGNMENT_HEALTH_TIMEOUT,
				)
				.map_err(|e| ServiceError::Other(format!("alignment health-check client: {e}")))?,
			},
			tx: own_transactions(crate::alignment::ALIGNMENT_KEY_TYPE, account),
			store: zerog_alignment_service::reports::ReportStore::open(
				&config.data_path.join("alignment"),
			)
			.map_err(|e| ServiceError::Other(format!("alignment report store: {e}")))?,
		};
		task_manager.spawn_handle().spawn(
			"alignment-node",
			Some("alignment"),
			crate::alignment::run(parts),
		);
	}
	let da_chain: Arc<dyn zerog_da_service::rpc::ChainView> =
		Arc::new(crate::da::ClientChainView(client.clone()));
	let blob_http = match options.da_http_addr {
		Some(addr) => Some(
			std::net::TcpListener::bind(addr)
				.map_err(|e| ServiceError::Other(format!("DA blob HTTP on {addr}: {e}")))?,
		),
		None => None,
	};
	let blob_http_port = blob_http.as_ref().and_then(|l| l.local_addr().ok()).map(|a| a.port());
	let da_rpc =
		Arc::new(zerog_da_service::rpc::DaRpc::new(da_service.clone(), da_chain, blob_http_port));
	let storage_rpc = Arc::new(zerog_storage_service::rpc::StorageRpc::new(
		storage_service.clone(),
		blob_http_port,
	));
	let kv_db = match options.kv {
		Some(timeout) => {
			let db = Arc::new(
				zerog_storage_service::kv_db::KvDb::open(config.data_path.join("kv"))
					.map_err(|e| ServiceError::Other(format!("KV database: {e}")))?,
			);
			task_manager.spawn_handle().spawn(
				"kv-replay",
				Some("storage"),
				crate::kv::replay(client.clone(), storage_service.clone(), db.clone(), timeout),
			);
			Some(db)
		},
		None => None,
	};
	if let Some(listener) = blob_http {
		listener.set_nonblocking(true).map_err(|e| ServiceError::Other(e.to_string()))?;
		let _guard = config.tokio_handle.enter();
		let listener = tokio::net::TcpListener::from_std(listener)
			.map_err(|e| ServiceError::Other(e.to_string()))?;
		log::info!(target: "da", "blob HTTP path on port {}", blob_http_port.unwrap_or_default());
		task_manager.spawn_handle().spawn(
			"da-blob-http",
			Some("da"),
			zerog_da_service::http_server::serve(
				listener,
				vec![
					Arc::new(zerog_da_service::blob_http::BlobRoutes(da_rpc.clone())),
					Arc::new(zerog_storage_service::segment_http::SegmentRoutes(
						storage_rpc.clone(),
					)),
				],
			),
		);
	}
	let da_host: Option<Arc<dyn zerog_da_io::DaHost>> = if options.da_operator {
		crate::da::prepare_operator_keystore(
			&keystore_container.keystore(),
			config.dev_key_seed.as_deref(),
		)?;
		Some(Arc::new(zerog_da_service::service::OffchainHost(da_service.clone())))
	} else {
		None
	};

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: move |_| match &da_host {
					Some(host) => vec![Box::new(zerog_da_io::DaHostExt(host.clone())) as Box<_>],
					None => Vec::new(),
				},
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let eth_rpc_node_side = options.eth_rpc.as_ref().and_then(|_| {
		let endpoints = config.rpc.addr.as_ref()?;
		let first = endpoints.first()?;
		Some(crate::eth_rpc::NodeSide {
			node_rpc_port: first.listen_addr.port(),
			genesis: sp_blockchain::HeaderBackend::info(&*client).genesis_hash,
			base_path: config.data_path.join("eth-rpc"),
			dev: config.chain_spec.chain_type() == sc_chain_spec::ChainType::Development,
			external: endpoints.iter().any(|e| e.listen_addr.ip().is_unspecified()),
		})
	});
	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();
	let shared_voter_state = SharedVoterState::empty();

	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let select_chain = select_chain.clone();
		let keystore = keystore_container.keystore();
		let shared_authority_set = grandpa_link.shared_authority_set().clone();
		let shared_voter_state = shared_voter_state.clone();
		let justification_stream = grandpa_link.justification_stream();
		let da_rpc = da_rpc.clone();
		let storage_rpc = storage_rpc.clone();
		let kv_db = kv_db.clone();
		let finality_provider = sc_consensus_grandpa::FinalityProofProvider::new_for_service(
			backend.clone(),
			Some(shared_authority_set.clone()),
		);

		Box::new(move |subscription_executor: sc_rpc::SubscriptionTaskExecutor| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				babe: crate::rpc::BabeDeps {
					babe_worker_handle: babe_worker_handle.clone(),
					keystore: keystore.clone(),
					select_chain: select_chain.clone(),
				},
				grandpa: crate::rpc::GrandpaDeps {
					shared_voter_state: shared_voter_state.clone(),
					shared_authority_set: shared_authority_set.clone(),
					justification_stream: justification_stream.clone(),
					subscription_executor,
					finality_provider: finality_provider.clone(),
				},
				da: da_rpc.clone(),
				storage: storage_rpc.clone(),
				kv: kv_db.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	match (options.eth_rpc.clone(), eth_rpc_node_side) {
		(Some(eth_options), Some(node_side)) => task_manager.spawn_handle().spawn(
			"eth-rpc",
			None,
			crate::eth_rpc::supervise(eth_options, node_side),
		),
		(Some(_), None) => {
			log::error!("Ethereum JSON-RPC not started: the node's own RPC server is off")
		},
		_ => {},
	}

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);
		let slot_duration = babe_link.config().slot_duration();

		let babe = sc_consensus_babe::start_babe(sc_consensus_babe::BabeParams {
			keystore: keystore_container.keystore(),
			client: client.clone(),
			select_chain,
			env: proposer_factory,
			block_import,
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			create_inherent_data_providers: move |_parent, ()| async move {
				Ok(slot_inherents(slot_duration))
			},
			force_authoring,
			backoff_authoring_blocks: Option::<()>::None,
			babe_link,
			block_proposal_slot_portion: SlotProportion::new(0.5),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
		})?;

		// Authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"babe-proposer",
			Some("block-authoring"),
			babe,
		);
	}

	if enable_grandpa {
		// Only authorities vote, so only they need the keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			// Short gossip rounds suit 2-second blocks.
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: voting_rule(options.finality_vote_lag),
			prometheus_registry,
			shared_voter_state,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}

/// GRANDPA's voting rule: vote at most `lag` blocks behind the best block (Substrate's
/// default is 2; 0 votes for the best block itself), and never past three quarters of the
/// unfinalized chain.
fn voting_rule(lag: u32) -> impl sc_consensus_grandpa::VotingRule<Block, FullClient> + Clone {
	let rules = sc_consensus_grandpa::VotingRulesBuilder::new()
		.add(sc_consensus_grandpa::ThreeQuartersOfTheUnfinalizedChain);
	if lag > 0 {
		rules.add(sc_consensus_grandpa::BeforeBestBlockBy(lag)).build()
	} else {
		rules.build()
	}
}
