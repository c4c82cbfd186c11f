//! The runtime APIs: what the node, wallets and tools may ask the runtime.

use crate::{configs::BABE_GENESIS_EPOCH_CONFIG, *};
use alloc::vec;
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;

pallet_revive::impl_runtime_apis_plus_revive_traits!(
	Runtime,
	Revive,
	Executive,
	EthExtraImpl,

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_babe::BabeApi<Block> for Runtime {
		fn configuration() -> sp_consensus_babe::BabeConfiguration {
			let epoch_config = Babe::epoch_config().unwrap_or(BABE_GENESIS_EPOCH_CONFIG);
			sp_consensus_babe::BabeConfiguration {
				slot_duration: Babe::slot_duration(),
				epoch_length: EPOCH_DURATION_IN_SLOTS,
				c: epoch_config.c,
				authorities: Babe::authorities().to_vec(),
				randomness: Babe::randomness(),
				allowed_slots: epoch_config.allowed_slots,
			}
		}

		fn current_epoch_start() -> sp_consensus_babe::Slot {
			Babe::current_epoch_start()
		}

		fn current_epoch() -> sp_consensus_babe::Epoch {
			Babe::current_epoch()
		}

		fn next_epoch() -> sp_consensus_babe::Epoch {
			Babe::next_epoch()
		}

		fn generate_key_ownership_proof(
			_slot: sp_consensus_babe::Slot,
			_authority_id: sp_consensus_babe::AuthorityId,
		) -> Option<sp_consensus_babe::OpaqueKeyOwnershipProof> {
			// Equivocation reports are not wired yet (`KeyOwnerProof = Void`).
			None
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_babe::EquivocationProof<<Block as BlockT>::Header>,
			_key_owner_proof: sp_consensus_babe::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_compute::runtime_api::ComputeApi<
		Block,
		AccountId,
		Balance,
		pallet_compute::ServiceOf<Runtime>,
		pallet_compute::SubAccountOf<Runtime>,
		pallet_compute::TaskOf<Runtime>,
	> for Runtime {
		fn service(provider: AccountId) -> Option<pallet_compute::ServiceOf<Runtime>> {
			pallet_compute::Services::<Runtime>::get(&provider)
		}

		fn live_providers() -> Vec<AccountId> {
			Compute::live_providers()
		}

		fn ledger(user: AccountId) -> Option<pallet_compute::Ledger<Balance>> {
			pallet_compute::Ledgers::<Runtime>::get(&user)
		}

		fn sub_account(user: AccountId, provider: AccountId) -> Option<pallet_compute::SubAccountOf<Runtime>> {
			pallet_compute::SubAccounts::<Runtime>::get(&user, &provider)
		}

		fn settled(user: AccountId, provider: AccountId) -> (u64, Balance) {
			Compute::settled(&user, &provider)
		}

		fn task(id: pallet_compute::TaskId) -> Option<pallet_compute::TaskOf<Runtime>> {
			pallet_compute::Tasks::<Runtime>::get(id)
		}

		fn receipt_message(provider: AccountId, user: AccountId, nonce: u64, cumulative_fee: Balance, requests_hash: [u8; 32]) -> Vec<u8> {
			Compute::receipt_message_for(&provider, &user, nonce, &cumulative_fee, &requests_hash)
		}
	}

	#[api_version(2)]
	impl pallet_alignment::runtime_api::AlignmentApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		pallet_alignment::LicenceOf<Runtime>,
		pallet_alignment::EraOf<Runtime>,
	> for Runtime {
		fn licence(id: pallet_alignment::LicenceId) -> Option<pallet_alignment::LicenceOf<Runtime>> {
			pallet_alignment::Licences::<Runtime>::get(id)
		}

		fn licences_of(owner: AccountId) -> Vec<pallet_alignment::LicenceId> {
			Alignment::licences_of(&owner)
		}

		fn pending_rewards(id: pallet_alignment::LicenceId) -> Option<Balance> {
			pallet_alignment::Licences::<Runtime>::get(id).map(|licence| Alignment::accrued(id, &licence))
		}

		fn operator(who: AccountId) -> Option<pallet_alignment::Operator<Balance>> {
			pallet_alignment::Operators::<Runtime>::get(&who)
		}

		fn current_era() -> Option<(pallet_alignment::EraIndex, pallet_alignment::EraOf<Runtime>)> {
			Alignment::current_era()
		}

		fn revealing() -> Option<(pallet_alignment::EraIndex, pallet_alignment::EraOf<Runtime>, BlockNumber)> {
			Alignment::revealing()
		}

		fn report_status(era: pallet_alignment::EraIndex, operator: AccountId) -> (bool, bool) {
			Alignment::report_status(era, &operator)
		}

		fn reporting_weight(era: pallet_alignment::EraIndex, operator: AccountId) -> Option<u32> {
			Alignment::reporting_weight(era, &operator)
		}

		fn outcome(era: pallet_alignment::EraIndex) -> Option<pallet_alignment::EraOutcome<Balance>> {
			pallet_alignment::Outcomes::<Runtime>::get(era)
		}
	}

	impl pallet_storage::runtime_api::StorageApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn flow() -> ([u8; 32], u64) {
			let flow = pallet_storage::FlowState::<Runtime>::get();
			(flow.root(), flow.length())
		}

		fn deal(id: pallet_storage::DealId) -> Option<pallet_storage::Deal<AccountId, Balance, BlockNumber>> {
			pallet_storage::Deals::<Runtime>::get(id)
		}

		fn deals_of(owner: AccountId) -> Vec<pallet_storage::DealId> {
			pallet_storage::DealsByOwner::<Runtime>::iter_key_prefix(&owner).collect()
		}

		fn pora_epoch() -> (pallet_storage::EpochIndex, Option<pallet_storage::EpochInfo>) {
			let epoch = pallet_storage::CurrentPoraEpoch::<Runtime>::get();
			(epoch, pallet_storage::Epochs::<Runtime>::get(epoch))
		}

		fn flow_appends(from: u64, max: u32) -> Vec<(u64, Vec<(u32, [u8; 32])>)> {
			let end = pallet_storage::FlowAppendCount::<Runtime>::get().min(from.saturating_add(max.min(1024) as u64));
			(from..end)
				.filter_map(pallet_storage::FlowAppends::<Runtime>::get)
				.map(|(start, subtrees)| (start, subtrees.into_inner()))
				.collect()
		}

		fn kv_log(from: u64, max: u32) -> Vec<pallet_storage::KvLogEntry<AccountId>> {
			let end = pallet_storage::KvLogCount::<Runtime>::get().min(from.saturating_add(max.min(1024) as u64));
			(from..end).filter_map(pallet_storage::KvLog::<Runtime>::get).collect()
		}

		fn provider(who: AccountId) -> Option<pallet_storage::Provider<Balance, BlockNumber>> {
			pallet_storage::Providers::<Runtime>::get(&who)
		}

		fn acknowledged(who: AccountId, deals: Vec<pallet_storage::DealId>) -> Vec<bool> {
			deals.into_iter().take(1024).map(|deal| pallet_storage::Pallet::<Runtime>::is_acknowledged(&who, deal)).collect()
		}

		fn holders(deal: pallet_storage::DealId) -> Vec<(AccountId, pallet_storage::Shard)> {
			pallet_storage::Holders::<Runtime>::get(deal)
				.into_iter()
				.filter(|h| h.generation == pallet_storage::ProviderGeneration::<Runtime>::get(&h.who))
				.map(|h| (h.who, h.shard))
				.collect()
		}

		fn kv_verdicts(deals: Vec<pallet_storage::DealId>) -> Vec<Option<pallet_storage::KvData<BlockNumber>>> {
			deals.into_iter().take(1024).map(pallet_storage::KvVerdicts::<Runtime>::get).collect()
		}
	}

	impl pallet_da::runtime_api::DaApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn blob(id: pallet_da::BlobId) -> Option<pallet_da::Blob<AccountId, Balance, BlockNumber>> {
			pallet_da::Blobs::<Runtime>::get(id)
		}

		fn current_epoch() -> pallet_da::EpochIndex {
			pallet_da::CurrentEpoch::<Runtime>::get()
		}

		fn committee(epoch: pallet_da::EpochIndex) -> Vec<(AccountId, Balance)> {
			pallet_da::Committees::<Runtime>::get(epoch).map(|c| c.into_inner()).unwrap_or_default()
		}

		fn chunks_of(blob: pallet_da::BlobId, member: AccountId) -> Vec<u32> {
			Da::chunks_of(blob, &member)
		}

		fn open_challenges(
			member: AccountId,
		) -> Vec<(pallet_da::ChallengeId, pallet_da::Challenge<AccountId, BlockNumber>)> {
			Da::open_challenges(&member)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_presets::preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline::Pallet as BaselineBench, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline::Pallet as BaselineBench, BenchmarkBatch};
			use frame_support::traits::WhitelistedStorageKeys;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use frame_support::traits::TrackedStorageKey;

			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failed check panics here, so that the error comes with a backtrace.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			// As above: panic with the error rather than return it.
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}
);
