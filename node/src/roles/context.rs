//! What the roles and the service hand each other: the options that choose the roles, the
//! parts of the running service the roles use, and what the started roles give back.

use crate::{
	roles::eth_rpc::EthRpcOptions,
	service::types::{Block, FullClient, FullPool},
};
use sc_service::{Configuration, SpawnTaskHandle};
use std::{sync::Arc, time::Duration};

/// Which roles a node runs, from its command line.
#[derive(Clone, Debug, Default)]
pub struct RoleOptions {
	/// Run the DA operator's off-chain work (`--da-operator`).
	pub da_operator: bool,
	/// Where to serve the raw-byte data path (`--da-http-addr`); `None` turns it off.
	pub da_http_addr: Option<std::net::SocketAddr>,
	/// Keep a provider's shard of stored files (`--storage-provider`, implied by `--dev`).
	pub storage_provider: bool,
	/// Percent of a core for PoRA mining (`--pora-cpu`); 0 turns it off.
	pub pora_cpu: u32,
	/// Run the KV node (`--kv`), with this wait for an entry's data.
	pub kv: Option<Duration>,
	/// Check the network and report each era as an alignment operator (`--alignment`).
	pub alignment: bool,
	/// Start and supervise the Ethereum JSON-RPC program (`--eth-rpc-port`).
	pub eth_rpc: Option<EthRpcOptions>,
}

/// What the roles use of the running service.
pub struct RoleContext<'a> {
	/// The node's configuration (data path, dev seed, tokio handle).
	pub config: &'a Configuration,
	/// The client.
	pub client: Arc<FullClient>,
	/// The transaction pool (the node's own transactions).
	pub pool: Arc<FullPool>,
	/// The keystore (operator, provider and alignment keys).
	pub keystore: sp_keystore::KeystorePtr,
	/// Sends requests to peers.
	pub network: Arc<dyn sc_network::service::traits::NetworkRequest + Send + Sync>,
	/// The sync service (which peers are connected).
	pub sync: Arc<sc_network_sync::SyncingService<Block>>,
	/// Spawns the roles' tasks under the task manager.
	pub spawn: SpawnTaskHandle,
}

/// The servers of the roles' RPC methods.
pub struct RoleRpc {
	/// `da_*`.
	pub da: Arc<zerog_da_service::rpc::DaRpc>,
	/// `storage_*`.
	pub storage: Arc<zerog_storage_service::rpc::StorageRpc>,
	/// `kv_*`, on a KV node.
	pub kv: Option<Arc<zerog_storage_service::kv_db::KvDb>>,
}

/// What the service needs from the started roles.
pub struct Started {
	/// The roles' RPC servers.
	pub rpc: RoleRpc,
	/// The DA host of the off-chain worker (`--da-operator`).
	pub offchain_da_host: Option<Arc<dyn zerog_da_io::DaHost>>,
}

/// A role's metrics registered with the node's Prometheus registry, or `None` when the node
/// runs without one; `what` names the role in the error.
pub fn role_metrics<M>(
	config: &Configuration,
	what: &str,
	register: fn(&prometheus_endpoint::Registry) -> Result<M, prometheus_endpoint::PrometheusError>,
) -> Result<Option<M>, sc_service::Error> {
	config
		.prometheus_registry()
		.map(register)
		.transpose()
		.map_err(|e| sc_service::Error::Other(format!("{what} metrics: {e}")))
}
