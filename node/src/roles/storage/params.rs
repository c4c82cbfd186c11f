//! The storage parameters as the node reads them from chain state, for the tasks that act
//! on them (acknowledgements, the miner, the alignment checker).

use crate::service::types::{BlockHash, FullClient};
use sc_client_api::StorageProvider;
use sp_core::storage::StorageKey;
use zerog_runtime::Runtime;

/// The storage parameters at `at`. A block before the storage v2 upgrade keeps them in
/// version 1's layout (without `kv_window`): read as `kv_window` 0, as the migration does.
pub fn storage_params(
	client: &FullClient,
	at: BlockHash,
) -> Option<pallet_storage::ParamsOf<Runtime>> {
	let key = StorageKey(pallet_storage::Params::<Runtime>::hashed_key().to_vec());
	let data = client.storage(at, &key).ok()??;
	decode_params(&data.0)
}

/// Parameters in the current layout, or in version 1's (see [`storage_params`]); the whole
/// input must be read, so that one layout is never taken for the other.
fn decode_params(bytes: &[u8]) -> Option<pallet_storage::ParamsOf<Runtime>> {
	use codec::DecodeAll;
	use pallet_storage::migrations::v2::ParamsV1;
	use zerog_runtime::{Balance, BlockNumber};
	pallet_storage::ParamsOf::<Runtime>::decode_all(&mut &bytes[..])
		.ok()
		.or_else(|| {
			let old = ParamsV1::<Balance, BlockNumber>::decode_all(&mut &bytes[..]).ok()?;
			Some(old.upgrade(0))
		})
}

/// Whether acknowledgements are on at `at` (`ack_window > 0`): PoRA pays a deal's share
/// only to its acknowledged holders, and alignment checks providers only on those deals.
pub fn acks_required(client: &FullClient, at: BlockHash) -> bool {
	storage_params(client, at).is_some_and(|params| params.ack_window > 0)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	#[test]
	fn parameters_of_a_chain_not_yet_upgraded_still_read() {
		let current = zerog_runtime::genesis_presets::storage_params(false);
		assert_eq!(decode_params(&current.encode()), Some(current.clone()));
		let old = pallet_storage::migrations::v2::ParamsV1 {
			price_per_sector: current.price_per_sector,
			period: current.period,
			max_replicas: current.max_replicas,
			max_periods: current.max_periods,
			max_file_size: current.max_file_size,
			min_bond: current.min_bond,
			unbonding_period: current.unbonding_period,
			max_shards: current.max_shards,
			epoch_length: current.epoch_length,
			target_answers: current.target_answers,
			max_answers: current.max_answers,
			reward_share: current.reward_share,
			base_reward: current.base_reward,
			ack_window: current.ack_window,
			void_fee: current.void_fee,
		};
		let read = decode_params(&old.encode()).expect("version 1's layout reads");
		assert_eq!(read, pallet_storage::StorageParams { kv_window: 0, ..current });
		assert_eq!(decode_params(&[1, 2, 3]), None);
	}
}
