//! The runtime API that provider gateways, wallets and the node's RPC use to read compute state.
//!
//! The record types are parameters so that the runtime names them with its own bounds:
//! `ComputeApi<Block, AccountId, Balance, ServiceOf<Runtime>, SubAccountOf<Runtime>, TaskOf<Runtime>>`.

use crate::types::{Ledger, TaskId};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Compute state: services, ledgers, sub-accounts (with the settled nonce) and tasks.
	pub trait ComputeApi<AccountId, Balance, ServiceRecord, SubAccountRecord, TaskRecord>
	where
		AccountId: Codec,
		Balance: Codec,
		ServiceRecord: Codec,
		SubAccountRecord: Codec,
		TaskRecord: Codec,
	{
		/// A provider's service record.
		fn service(provider: AccountId) -> Option<ServiceRecord>;
		/// Every provider with a live (not retiring) service.
		fn live_providers() -> Vec<AccountId>;
		/// A user's ledger.
		fn ledger(user: AccountId) -> Option<Ledger<Balance>>;
		/// The sub-account of (user, provider): balance, pending refunds, acknowledged
		/// signer, settled nonce and cumulative fee.
		fn sub_account(user: AccountId, provider: AccountId) -> Option<SubAccountRecord>;
		/// The last settled (nonce, cumulative fee) of (user, provider); (0, 0) when none.
		/// A gateway signs its next receipt above these.
		fn settled(user: AccountId, provider: AccountId) -> (u64, Balance);
		/// An open fine-tuning task.
		fn task(id: TaskId) -> Option<TaskRecord>;
		/// The bytes both signatures of a receipt cover on this chain.
		fn receipt_message(provider: AccountId, user: AccountId, nonce: u64, cumulative_fee: Balance, requests_hash: [u8; 32]) -> Vec<u8>;
	}
}
