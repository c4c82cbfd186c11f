//! Wires the node together: client, import queue, network, transaction pool, off-chain
//! workers, RPC, the roles, block authoring and finality voting. Each part lives in its own
//! module ([`types`], [`consensus`], [`rpc`], `crate::roles`); this one only connects them.

pub mod consensus;
pub mod rpc;
pub mod types;

use crate::roles::{self, RoleContext, RoleOptions};
use futures::FutureExt;
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::TelemetryWorker;
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use std::sync::Arc;
use types::{Block, BlockHash, FullBackend, FullClient, FullPool, FullSelectChain, HostFunctions};

/// The parts every subcommand needs.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	FullPool,
	consensus::ConsensusParts,
>;

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
		sc_service::new_full_parts::<Block, zerog_runtime::RuntimeApi, _>(
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
	let (import_queue, consensus) = consensus::import_queue(
		config,
		&client,
		&select_chain,
		&transaction_pool,
		&task_manager,
		telemetry,
	)?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: consensus,
	})
}

/// zerog's own options of a running node.
#[derive(Clone, Debug, Default)]
pub struct NodeOptions {
	/// The roles it runs.
	pub roles: RoleOptions,
	/// How many blocks behind the best block GRANDPA votes (`--finality-vote-lag`).
	pub finality_vote_lag: u32,
}

/// Builds and starts a full node (an authority when `--validator` or `--dev` is given).
pub fn new_full<N: sc_network::NetworkBackend<Block, BlockHash>>(
	config: Configuration,
	options: NodeOptions,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: consensus,
	} = new_partial(&config)?;
	let consensus::ConsensusParts {
		block_import,
		babe_link,
		babe_worker_handle,
		grandpa_link,
		mut telemetry,
	} = consensus;
	let keystore = keystore_container.keystore();
	let genesis_hash = client.block_hash(0).ok().flatten().expect("Genesis block exists; qed");

	// The network, with the roles' and GRANDPA's protocols registered first.
	let mut net_config = sc_network::config::FullNetworkConfiguration::<Block, BlockHash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let prepared_roles = roles::prepare(&config, genesis_hash, &mut net_config)?;
	let grandpa_protocol =
		consensus::grandpa_protocol(&config, genesis_hash, &mut net_config, metrics.clone());
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

	let started = prepared_roles.start(
		&RoleContext {
			config: &config,
			client: client.clone(),
			pool: transaction_pool.clone(),
			keystore: keystore.clone(),
			network: network.clone(),
			sync: sync_service.clone(),
			spawn: task_manager.spawn_handle(),
		},
		&options.roles,
	)?;

	if config.offchain_worker.enabled {
		start_offchain_workers(
			&config,
			&task_manager,
			&client,
			&backend,
			keystore.clone(),
			&transaction_pool,
			network.clone(),
			started.offchain_da_host.clone(),
		)?;
	}

	let eth_rpc = options
		.roles
		.eth_rpc
		.clone()
		.map(|eth| (eth, roles::eth_rpc::NodeSide::of(&config, genesis_hash)));
	let role = config.role;
	let authoring = consensus::AuthoringParams {
		client: client.clone(),
		transaction_pool: transaction_pool.clone(),
		keystore: keystore.clone(),
		select_chain: select_chain.clone(),
		sync: sync_service.clone(),
		force_authoring: config.force_authoring,
		prometheus_registry: config.prometheus_registry().cloned(),
		telemetry: telemetry.as_ref().map(|t| t.handle()),
	};
	let enable_grandpa = !config.disable_grandpa;
	let shared_voter_state = SharedVoterState::empty();
	let rpc_builder = rpc::builder(rpc::RpcParts {
		client: client.clone(),
		pool: transaction_pool.clone(),
		select_chain,
		keystore: keystore.clone(),
		backend: backend.clone(),
		babe_worker_handle,
		grandpa_link: &grandpa_link,
		shared_voter_state: shared_voter_state.clone(),
		roles: started.rpc,
	});
	let grandpa_config = consensus::VoterParams {
		protocol: grandpa_protocol,
		link: grandpa_link,
		network,
		sync: sync_service.clone(),
		shared_voter_state,
		transaction_pool: transaction_pool.clone(),
		// Only authorities vote, so only they need the keystore.
		keystore: role.is_authority().then(|| keystore.clone()),
		vote_lag: options.finality_vote_lag,
		prometheus_registry: config.prometheus_registry().cloned(),
		telemetry: telemetry.as_ref().map(|t| t.handle()),
	};
	let node_name = config.network.node_name.clone();

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(grandpa_config.network.clone()),
		client,
		keystore,
		task_manager: &mut task_manager,
		transaction_pool,
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service,
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	match eth_rpc {
		Some((options, Some(node_side))) => {
			roles::eth_rpc::start(&task_manager, options, node_side)
		},
		Some((_, None)) => {
			log::error!("Ethereum JSON-RPC not started: the node's own RPC server is off")
		},
		None => {},
	}
	if role.is_authority() {
		consensus::start_babe(&task_manager, authoring, block_import, babe_link)?;
	}
	if enable_grandpa {
		consensus::start_grandpa(&task_manager, node_name, role, grandpa_config)?;
	}
	Ok(task_manager)
}

/// Starts the off-chain workers, with the DA host extension of a `--da-operator`.
#[allow(clippy::too_many_arguments)]
fn start_offchain_workers(
	config: &Configuration,
	task_manager: &TaskManager,
	client: &Arc<FullClient>,
	backend: &Arc<FullBackend>,
	keystore: sp_keystore::KeystorePtr,
	transaction_pool: &Arc<FullPool>,
	network: Arc<dyn sc_network::service::traits::NetworkService>,
	da_host: Option<Arc<dyn zerog_da_io::DaHost>>,
) -> Result<(), ServiceError> {
	let offchain_workers = sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
		runtime_api_provider: client.clone(),
		is_validator: config.role.is_authority(),
		keystore: Some(keystore),
		offchain_db: backend.offchain_storage(),
		transaction_pool: Some(OffchainTransactionPoolFactory::new(transaction_pool.clone())),
		network_provider: Arc::new(network),
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
	Ok(())
}
