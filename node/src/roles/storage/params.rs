//! The storage parameters as the node reads them from chain state, for the tasks that act
//! on them (acknowledgements, the miner, the alignment checker).

use crate::service::types::{BlockHash, FullClient};
use codec::Decode;
use sc_client_api::StorageProvider;
use sp_core::storage::StorageKey;
use zerog_runtime::Runtime;

/// The storage parameters at `at`.
pub fn storage_params(
	client: &FullClient,
	at: BlockHash,
) -> Option<pallet_storage::ParamsOf<Runtime>> {
	let key = StorageKey(pallet_storage::Params::<Runtime>::hashed_key().to_vec());
	let data = client.storage(at, &key).ok()??;
	pallet_storage::ParamsOf::<Runtime>::decode(&mut &data.0[..]).ok()
}

/// Whether acknowledgements are on at `at` (`ack_window > 0`): PoRA pays a deal's share
/// only to its acknowledged holders, and alignment checks providers only on those deals.
pub fn acks_required(client: &FullClient, at: BlockHash) -> bool {
	storage_params(client, at).is_some_and(|params| params.ack_window > 0)
}
