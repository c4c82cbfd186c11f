//! The node's own RPC modules, merged into the standard ones (`system_*`, `chain_*`,
//! `state_*`, `author_*`) that `sc-service` serves.
//!
//! Modules here: `system_accountNextIndex`/`system_dryRun` (frame-system), `payment_*`
//! (fees), `babe_epochAuthorship` and `grandpa_*` (finality), and zerog's `da_*`, `storage_*`
//! and, on a KV node, `kv_*` (their API: `zerog_rpc_api`; their servers: the DA and storage
//! roles), `compute_*` ([`crate::roles::compute::rpc`]) and `alignment_*`
//! ([`crate::roles::alignment::rpc`]).

use crate::{
	roles::{
		alignment::rpc::{AlignmentApiServer, AlignmentRpc, NodeAlignmentApi},
		compute::rpc::{ComputeApiServer, ComputeRpc, NodeComputeApi},
		RoleRpc,
	},
	service::types::{Block, FullBackend, FullClient, FullPool, FullSelectChain},
};
use jsonrpsee::RpcModule;
use sc_consensus_babe::BabeWorkerHandle;
use sc_consensus_grandpa::{
	FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
};
use sc_rpc::SubscriptionTaskExecutor;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_consensus::SelectChain;
use sp_keystore::KeystorePtr;
use std::sync::Arc;
use zerog_runtime::{AccountId, Balance, BlockNumber, Hash, Nonce};

/// What the BABE RPC needs.
pub struct BabeDeps<SC> {
	/// Answers epoch queries.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
	/// The node's keystore, to say which slots it may author.
	pub keystore: KeystorePtr,
	/// The best-chain selection rule.
	pub select_chain: SC,
}

/// What the GRANDPA RPC needs.
pub struct GrandpaDeps<B> {
	/// The voter's live state.
	pub shared_voter_state: SharedVoterState,
	/// The current authority set.
	pub shared_authority_set: SharedAuthoritySet<Hash, BlockNumber>,
	/// New justifications, for subscribers.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Runs subscriptions.
	pub subscription_executor: SubscriptionTaskExecutor,
	/// Builds finality proofs.
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
}

/// Everything the RPC modules need.
pub struct FullDeps<C, P, SC, B> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// BABE.
	pub babe: BabeDeps<SC>,
	/// GRANDPA.
	pub grandpa: GrandpaDeps<B>,
	/// The roles' methods: `da_*`, `storage_*` and, on a KV node, `kv_*`.
	pub roles: RoleRpc,
}

/// Builds the RPC modules of a full node.
pub fn create_full<C, P, SC, B>(
	deps: FullDeps<C, P, SC, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ sp_consensus_babe::BabeApi<Block>
		+ BlockBuilder<Block>
		+ NodeComputeApi
		+ NodeAlignmentApi,
	P: TransactionPool + 'static,
	SC: SelectChain<Block> + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: sc_client_api::StateBackend<sp_runtime::traits::HashingFor<Block>>,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_babe_rpc::{Babe, BabeApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	use zerog_rpc_api::{da::DaApiServer, kv::KvApiServer, storage::StorageApiServer};

	let FullDeps { client, pool, babe, grandpa, roles } = deps;
	let mut module = RpcModule::new(());

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(ComputeRpc::new(client.clone()).into_rpc())?;
	module.merge(AlignmentRpc::new(client.clone()).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(
		Babe::new(client, babe.babe_worker_handle, babe.keystore, babe.select_chain).into_rpc(),
	)?;
	module.merge(
		Grandpa::new(
			grandpa.subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;

	module.merge((*roles.da).clone().into_rpc())?;
	module.merge((*roles.storage).clone().into_rpc())?;
	if let Some(db) = roles.kv {
		module.merge(zerog_storage_service::kv_rpc::KvRpc(db).into_rpc())?;
	}

	Ok(module)
}

/// What the RPC server is built from, once the rest of the service is.
pub struct RpcParts<'a> {
	/// The client.
	pub client: Arc<FullClient>,
	/// The transaction pool.
	pub pool: Arc<FullPool>,
	/// The best-chain rule.
	pub select_chain: FullSelectChain,
	/// The keystore.
	pub keystore: KeystorePtr,
	/// The database backend (finality proofs).
	pub backend: Arc<FullBackend>,
	/// Answers BABE's epoch queries.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
	/// GRANDPA's shared state.
	pub grandpa_link: &'a sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
	/// The voter's live state.
	pub shared_voter_state: SharedVoterState,
	/// The roles' RPC servers.
	pub roles: RoleRpc,
}

/// The builder `sc_service::spawn_tasks` calls to make the RPC modules (once per server).
pub fn builder(
	parts: RpcParts,
) -> Box<dyn Fn(SubscriptionTaskExecutor) -> Result<RpcModule<()>, sc_service::Error>> {
	let RpcParts {
		client,
		pool,
		select_chain,
		keystore,
		backend,
		babe_worker_handle,
		grandpa_link,
		shared_voter_state,
		roles,
	} = parts;
	let shared_authority_set = grandpa_link.shared_authority_set().clone();
	let justification_stream = grandpa_link.justification_stream();
	let finality_provider = sc_consensus_grandpa::FinalityProofProvider::new_for_service(
		backend,
		Some(shared_authority_set.clone()),
	);
	Box::new(move |subscription_executor: SubscriptionTaskExecutor| {
		let deps = FullDeps {
			client: client.clone(),
			pool: pool.clone(),
			babe: BabeDeps {
				babe_worker_handle: babe_worker_handle.clone(),
				keystore: keystore.clone(),
				select_chain: select_chain.clone(),
			},
			grandpa: GrandpaDeps {
				shared_voter_state: shared_voter_state.clone(),
				shared_authority_set: shared_authority_set.clone(),
				justification_stream: justification_stream.clone(),
				subscription_executor,
				finality_provider: finality_provider.clone(),
			},
			roles: RoleRpc {
				da: roles.da.clone(),
				storage: roles.storage.clone(),
				kv: roles.kv.clone(),
			},
		};
		create_full(deps).map_err(Into::into)
	})
}
