//! The node's own RPC modules, merged into the standard ones (`system_*`, `chain_*`,
//! `state_*`, `author_*`) that `sc-service` serves.
//!
//! Modules here: `system_accountNextIndex`/`system_dryRun` (frame-system), `payment_*`
//! (fees), `babe_epochAuthorship` and `grandpa_*` (finality), and zerog's `da_*`
//! (see `zerog_da_service::rpc`), `storage_*` (see `zerog_storage_service::rpc`), `compute_*`
//! (see [`crate::compute_rpc`]), `alignment_*` (see [`crate::alignment_rpc`]) and, on a KV node, `kv_*` (see `zerog_storage_service::kv_rpc`).

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
use zerog_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};

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
	/// The `da_*` methods.
	pub da: std::sync::Arc<zerog_da_service::rpc::DaRpc>,
	/// The `storage_*` methods.
	pub storage: std::sync::Arc<zerog_storage_service::rpc::StorageRpc>,
	/// The KV database of a KV node (`--kv`): the `kv_*` methods.
	pub kv: Option<std::sync::Arc<zerog_storage_service::kv_db::KvDb>>,
}

/// The error of an RPC method whose runtime API call failed.
pub(crate) fn runtime_api_error(e: impl std::fmt::Display) -> jsonrpsee::types::ErrorObjectOwned {
	jsonrpsee::types::ErrorObject::owned(5000, format!("runtime API call failed: {e}"), None::<()>)
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
		+ crate::compute_rpc::NodeComputeApi
		+ crate::alignment_rpc::NodeAlignmentApi,
	P: TransactionPool + 'static,
	SC: SelectChain<Block> + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: sc_client_api::StateBackend<sp_runtime::traits::HashingFor<Block>>,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_babe_rpc::{Babe, BabeApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	use zerog_da_service::rpc::DaApiServer;
	use zerog_storage_service::rpc::StorageApiServer;

	let FullDeps { client, pool, babe, grandpa, da, storage, kv } = deps;
	let mut module = RpcModule::new(());

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	{
		use crate::compute_rpc::{ComputeApiServer, ComputeRpc};
		module.merge(ComputeRpc::new(client.clone()).into_rpc())?;
		use crate::alignment_rpc::{AlignmentApiServer, AlignmentRpc};
		module.merge(AlignmentRpc::new(client.clone()).into_rpc())?;
	}
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

	module.merge((*da).clone().into_rpc())?;
	module.merge((*storage).clone().into_rpc())?;
	if let Some(db) = kv {
		use zerog_storage_service::kv_rpc::{KvApiServer, KvRpc};
		module.merge(KvRpc(db).into_rpc())?;
	}

	Ok(module)
}
