//! The runtime API the node (RPC, miners, KV replayer) uses to read storage state.

use crate::types::{Deal, DealId, EpochIndex, EpochInfo, KvData, KvLogEntry, Provider, Shard};
use alloc::vec::Vec;
use codec::Codec;
use zerog_erasure::Hash;

sp_api::decl_runtime_apis! {
	/// Storage state for the node: the flow, deals, PoRA epochs and providers. Version 2
	/// adds acknowledgements, version 3 KV data verdicts.
	#[api_version(3)]
	pub trait StorageApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The flow's root and length in sectors.
		fn flow() -> (Hash, u64);
		/// A deal, if it is still live.
		fn deal(id: DealId) -> Option<Deal<AccountId, Balance, BlockNumber>>;
		/// The live deals of `owner`.
		fn deals_of(owner: AccountId) -> Vec<DealId>;
		/// The current PoRA epoch, its context, flow root and length, and target.
		fn pora_epoch() -> (EpochIndex, Option<EpochInfo>);
		/// A provider's record (miner id, bond, shard).
		fn provider(who: AccountId) -> Option<Provider<Balance, BlockNumber>>;
		/// Flow appends `from..from + max` in order: (first sector, subtrees (height, root)).
		fn flow_appends(from: u64, max: u32) -> Vec<(u64, Vec<(u32, Hash)>)>;
		/// KV log entries `from..from + max` in order (the index is the entry's version).
		fn kv_log(from: u64, max: u32) -> Vec<KvLogEntry<AccountId>>;
		/// For each of `deals` (at most the first 1,024), whether `who` holds it by an
		/// acknowledgement that counts. Since version 2.
		fn acknowledged(who: AccountId, deals: Vec<DealId>) -> Vec<bool>;
		/// The providers whose acknowledgement of `deal` counts, with their shards. Since
		/// version 2.
		fn holders(deal: DealId) -> Vec<(AccountId, Shard)>;
		/// For each of `deals` (at most the first 1,024), the verdict on its KV entry's data
		/// (`None`: not a KV entry, or written before verdicts were on). Since version 3.
		fn kv_verdicts(deals: Vec<DealId>) -> Vec<Option<KvData<BlockNumber>>>;
	}
}
