//! Block production and finality: the BABE and GRANDPA block import and import queue, the
//! slot and timestamp inherents, BABE authoring and the GRANDPA voter with its voting rule.

use crate::service::types::{Block, BlockHash, FullBackend, FullClient, FullPool, FullSelectChain};
use sc_consensus_babe::{BabeWorkerHandle, SlotProportion};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sc_telemetry::{Telemetry, TelemetryHandle};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use std::{sync::Arc, time::Duration};

/// GRANDPA writes a justification at least every this many blocks (and at set changes).
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

type FullGrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;

/// The inherent data BABE checks on import: the slot and the timestamp.
pub type BabeInherentProviders = fn(
	BlockHash,
	(),
) -> std::future::Ready<
	Result<
		(sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider),
		Box<dyn std::error::Error + Send + Sync>,
	>,
>;

/// The BABE block import, wrapping GRANDPA's.
pub type FullBlockImport = sc_consensus_babe::BabeBlockImport<
	Block,
	FullClient,
	FullGrandpaBlockImport,
	BabeInherentProviders,
	FullSelectChain,
>;

/// What block authoring and finality need beyond the standard parts.
pub struct ConsensusParts {
	/// BABE block import, wrapping GRANDPA's.
	pub block_import: FullBlockImport,
	/// Shared BABE state (epoch changes, configuration).
	pub babe_link: sc_consensus_babe::BabeLink<Block>,
	/// Handle to answer BABE RPC queries.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
	/// Shared GRANDPA state.
	pub grandpa_link: sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
	/// Telemetry, when endpoints are configured.
	pub telemetry: Option<Telemetry>,
}

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
	_parent: BlockHash,
	_: (),
) -> std::future::Ready<
	Result<
		(sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider),
		Box<dyn std::error::Error + Send + Sync>,
	>,
> {
	let millis = *SLOT_DURATION_MS.get().expect("set in import_queue before import starts; qed");
	std::future::ready(Ok(slot_inherents(sp_consensus_babe::SlotDuration::from_millis(millis))))
}

/// The BABE + GRANDPA block import and the import queue that feeds it.
pub fn import_queue(
	config: &Configuration,
	client: &Arc<FullClient>,
	select_chain: &FullSelectChain,
	transaction_pool: &Arc<FullPool>,
	task_manager: &TaskManager,
	telemetry: Option<Telemetry>,
) -> Result<(sc_consensus::DefaultImportQueue<Block>, ConsensusParts), ServiceError> {
	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&(client.clone() as Arc<_>),
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;
	let justification_import = grandpa_block_import.clone();

	let babe_config = sc_consensus_babe::configuration(&**client)?;
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

	let parts =
		ConsensusParts { block_import, babe_link, babe_worker_handle, grandpa_link, telemetry };
	Ok((import_queue, parts))
}

/// What authoring needs from the rest of the service.
pub struct AuthoringParams {
	/// The client.
	pub client: Arc<FullClient>,
	/// The pool blocks are built from.
	pub transaction_pool: Arc<FullPool>,
	/// The node's keystore (its BABE keys).
	pub keystore: sp_keystore::KeystorePtr,
	/// The best-chain rule.
	pub select_chain: FullSelectChain,
	/// The sync service (BABE waits for sync and fetches justifications through it).
	pub sync: Arc<sc_network_sync::SyncingService<Block>>,
	/// Author even without peers (`--force-authoring`, `--dev`).
	pub force_authoring: bool,
	/// Where the proposer's metrics go.
	pub prometheus_registry: Option<prometheus_endpoint::Registry>,
	/// Telemetry.
	pub telemetry: Option<TelemetryHandle>,
}

/// Starts BABE authoring as an essential task: if it fails, the node stops.
pub fn start_babe(
	task_manager: &TaskManager,
	params: AuthoringParams,
	block_import: FullBlockImport,
	babe_link: sc_consensus_babe::BabeLink<Block>,
) -> Result<(), ServiceError> {
	let AuthoringParams {
		client,
		transaction_pool,
		keystore,
		select_chain,
		sync,
		force_authoring,
		prometheus_registry,
		telemetry,
	} = params;
	let proposer_factory = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool,
		prometheus_registry.as_ref(),
		telemetry.clone(),
	);
	let slot_duration = babe_link.config().slot_duration();
	let babe = sc_consensus_babe::start_babe(sc_consensus_babe::BabeParams {
		keystore,
		client,
		select_chain,
		env: proposer_factory,
		block_import,
		sync_oracle: sync.clone(),
		justification_sync_link: sync,
		create_inherent_data_providers: move |_parent, ()| async move {
			Ok(slot_inherents(slot_duration))
		},
		force_authoring,
		backoff_authoring_blocks: Option::<()>::None,
		babe_link,
		block_proposal_slot_portion: SlotProportion::new(0.5),
		max_block_proposal_slot_portion: None,
		telemetry,
	})?;
	task_manager.spawn_essential_handle().spawn_blocking(
		"babe-proposer",
		Some("block-authoring"),
		babe,
	);
	Ok(())
}

/// The GRANDPA gossip protocol, registered with the network before it starts.
pub struct GrandpaProtocol {
	/// The protocol's name on this chain.
	pub name: sc_network::ProtocolName,
	/// The voter's end of the protocol.
	pub notifications: Box<dyn sc_network::NotificationService>,
}

/// Registers GRANDPA's gossip protocol in `net_config`.
pub fn grandpa_protocol<N: sc_network::NetworkBackend<Block, BlockHash>>(
	config: &Configuration,
	genesis_hash: BlockHash,
	net_config: &mut sc_network::config::FullNetworkConfiguration<Block, BlockHash, N>,
	metrics: sc_network::service::NotificationMetrics,
) -> GrandpaProtocol {
	let name = sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (protocol_config, notifications) = sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
		name.clone(),
		metrics,
		net_config.peer_store_handle(),
	);
	net_config.add_notification_protocol(protocol_config);
	GrandpaProtocol { name, notifications }
}

/// What the GRANDPA voter needs.
pub struct VoterParams<N> {
	/// The voter's protocol.
	pub protocol: GrandpaProtocol,
	/// Shared GRANDPA state from the block import.
	pub link: sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
	/// The network.
	pub network: N,
	/// The sync service.
	pub sync: Arc<sc_network_sync::SyncingService<Block>>,
	/// The voter's state, shared with the GRANDPA RPC.
	pub shared_voter_state: SharedVoterState,
	/// Equivocation reports go to the pool.
	pub transaction_pool: Arc<FullPool>,
	/// Votes only when given (authorities).
	pub keystore: Option<sp_keystore::KeystorePtr>,
	/// How many blocks behind the best block to vote (`--finality-vote-lag`).
	pub vote_lag: u32,
	/// Where the voter's metrics go.
	pub prometheus_registry: Option<prometheus_endpoint::Registry>,
	/// Telemetry.
	pub telemetry: Option<TelemetryHandle>,
}

/// Starts the GRANDPA voter as an essential task.
pub fn start_grandpa<N>(
	task_manager: &TaskManager,
	node_name: String,
	role: sc_service::Role,
	params: VoterParams<N>,
) -> Result<(), ServiceError>
where
	N: sc_network::service::traits::NetworkService + Clone + 'static,
{
	let grandpa_config = sc_consensus_grandpa::Config {
		// Short gossip rounds suit 2-second blocks.
		gossip_duration: Duration::from_millis(333),
		justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
		name: Some(node_name),
		observer_enabled: false,
		keystore: params.keystore,
		local_role: role,
		telemetry: params.telemetry.clone(),
		protocol_name: params.protocol.name,
	};
	let grandpa_params = sc_consensus_grandpa::GrandpaParams {
		config: grandpa_config,
		link: params.link,
		network: params.network,
		sync: params.sync,
		notification_service: params.protocol.notifications,
		voting_rule: voting_rule(params.vote_lag),
		prometheus_registry: params.prometheus_registry,
		shared_voter_state: params.shared_voter_state,
		telemetry: params.telemetry,
		offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(params.transaction_pool),
	};
	task_manager.spawn_essential_handle().spawn_blocking(
		"grandpa-voter",
		None,
		sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
	);
	Ok(())
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
