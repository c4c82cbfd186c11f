//! The node-side roles, one module each, started by the service in two steps:
//! [`prepare`] opens their stores and registers their p2p protocols before the network
//! starts, and [`Prepared::start`] spawns their tasks once it runs, returning what the RPC
//! server and the off-chain workers need.
//!
//! | module | role |
//! |---|---|
//! | [`context`] | the options, the service parts the roles use, what they give back |
//! | [`chain`] | what the roles share: chain reads, sync peers, events, keystore signing |
//! | [`own_tx`] | the node's own transactions (PoRA answers, alignment reports) |
//! | [`da`] | chunk store and exchange, the `--da-operator` off-chain host, pruning |
//! | [`storage`] | segment store and exchange, replicas of `--storage-provider`, PoRA mining |
//! | [`kv`] | the KV node (`--kv`): replay of the chain's KV log |
//! | [`alignment`] | the alignment node (`--alignment`) and the `alignment_*` RPC |
//! | [`compute`] | the `compute_*` RPC |
//! | [`data_http`] | the raw-byte data path (`--da-http-addr`) |
//! | [`eth_rpc`] | the Ethereum JSON-RPC program the node supervises (`--eth-rpc-port`) |

pub mod alignment;
pub mod chain;
pub mod compute;
pub mod context;
pub mod da;
pub mod data_http;
pub mod eth_rpc;
pub mod kv;
pub mod own_tx;
pub mod storage;

use crate::service::types::{Block, BlockHash};
pub use context::{RoleContext, RoleOptions, RoleRpc, Started};
use sc_network::{config::FullNetworkConfiguration, NetworkBackend};
use sc_service::{error::Error as ServiceError, Configuration};
use std::sync::Arc;

/// The roles between [`prepare`] and [`Prepared::start`].
pub struct Prepared {
	da: da::DaRole,
	storage: storage::StorageRole,
}

/// Opens the roles' stores and registers their p2p protocols in `net_config`.
pub fn prepare<N: NetworkBackend<Block, BlockHash>>(
	config: &Configuration,
	genesis: BlockHash,
	net_config: &mut FullNetworkConfiguration<Block, BlockHash, N>,
) -> Result<Prepared, ServiceError> {
	Ok(Prepared {
		da: da::prepare(config, genesis, net_config)?,
		storage: storage::prepare(config, genesis, net_config)?,
	})
}

impl Prepared {
	/// Spawns every role's tasks that `options` asks for.
	pub fn start(self, ctx: &RoleContext, options: &RoleOptions) -> Result<Started, ServiceError> {
		let da = self.da.start(ctx);
		let storage = self.storage.start(ctx, options.storage_provider, options.pora_cpu)?;
		if options.alignment {
			alignment::start(ctx, &da, &storage)?;
		}
		let kv = options.kv.map(|timeout| kv::start(ctx, &storage, timeout)).transpose()?;
		let http = options.da_http_addr.map(data_http::bind).transpose()?;
		let http_port =
			http.as_ref().and_then(|listener| listener.local_addr().ok()).map(|a| a.port());
		let rpc = RoleRpc {
			da: Arc::new(zerog_da_service::rpc::DaRpc::new(
				da.service.clone(),
				Arc::new(chain::ClientChainView(ctx.client.clone())),
				http_port,
			)),
			storage: Arc::new(zerog_storage_service::rpc::StorageRpc::new(
				storage.service.clone(),
				http_port,
			)),
			kv,
		};
		if let Some(listener) = http {
			data_http::serve(ctx, listener, &rpc)?;
		}
		let offchain_da_host = if options.da_operator {
			da::prepare_operator_keystore(&ctx.keystore, ctx.config.dev_key_seed.as_deref())?;
			Some(Arc::new(zerog_da_service::service::OffchainHost(da.service.clone())) as Arc<_>)
		} else {
			None
		};
		Ok(Started { rpc, offchain_da_host })
	}
}
