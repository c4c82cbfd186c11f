//! The `compute_*` RPC methods: what a provider gateway or a wallet needs to read from the
//! compute pallet, as JSON, at the best block or at `at`.
//!
//! | method | params | result |
//! |---|---|---|
//! | `compute_service` | provider, at? | `{kind, model, endpoint, inputPrice, outputPrice, verifiability, signer, attestation, bond, registeredAt, retiringUntil}` or null |
//! | `compute_providers` | at? | providers with a live service |
//! | `compute_ledger` | user, at? | `{available, deposit}` or null |
//! | `compute_subAccount` | user, provider, at? | `{balance, refunds: [{amount, unlockAt}], signer, nonce, settled, deposit}` or null |
//! | `compute_settled` | user, provider, at? | `{nonce, cumulativeFee}`: sign the next receipt above these |
//! | `compute_task` | id, at? | `{user, provider, datasetRoot, fee, deliverBy, state, modelRoot, encryptedKey, ackBy}` or null |
//! | `compute_receiptMessage` | provider, user, nonce, cumulativeFee, requestsHash, at? | the bytes both signatures cover |
//!
//! Accounts are SS58 strings; balances are decimal strings (they exceed 2^53); hashes and
//! bytes are `0x` hex.

use crate::{roles::chain::runtime_api_error as internal, service::types::Block};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObject},
};
use pallet_compute::{runtime_api::ComputeApi as ComputeRuntimeApi, TaskState, Verifiability};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{Bytes, H256};
use std::sync::Arc;
use zerog_runtime::{AccountId, Balance, Runtime};

/// The runtime API as the node names it.
pub trait NodeComputeApi:
	ComputeRuntimeApi<
	Block,
	AccountId,
	Balance,
	pallet_compute::ServiceOf<Runtime>,
	pallet_compute::SubAccountOf<Runtime>,
	pallet_compute::TaskOf<Runtime>,
>
{
}
impl<T> NodeComputeApi for T where
	T: ComputeRuntimeApi<
		Block,
		AccountId,
		Balance,
		pallet_compute::ServiceOf<Runtime>,
		pallet_compute::SubAccountOf<Runtime>,
		pallet_compute::TaskOf<Runtime>,
	>
{
}

/// A service as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceJson {
	/// `inference` or `fineTuning`.
	pub kind: String,
	/// The model name.
	pub model: String,
	/// The endpoint URL.
	pub endpoint: String,
	/// Price per input unit.
	pub input_price: String,
	/// Price per output unit.
	pub output_price: String,
	/// `none` or `tee`.
	pub verifiability: String,
	/// The account whose key co-signs receipts.
	pub signer: AccountId,
	/// `{kind, reportHash}` of a TEE service.
	pub attestation: Option<serde_json::Value>,
	/// The held bond.
	pub bond: String,
	/// Block of registration.
	pub registered_at: u32,
	/// Set when the service is retiring: the block its bond comes back.
	pub retiring_until: Option<u32>,
}

/// A sub-account as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubAccountJson {
	/// Funds the provider may settle against.
	pub balance: String,
	/// Pending refunds, oldest first: `{amount, unlockAt}`.
	pub refunds: Vec<serde_json::Value>,
	/// The acknowledged signer.
	pub signer: Option<AccountId>,
	/// Last settled nonce.
	pub nonce: u64,
	/// Last settled cumulative fee.
	pub settled: String,
	/// The record deposit held.
	pub deposit: String,
}

/// The settled state of a (user, provider) pair.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SettledJson {
	/// Last settled nonce (0 when none).
	pub nonce: u64,
	/// Last settled cumulative fee.
	pub cumulative_fee: String,
}

/// The `compute_*` methods.
#[rpc(client, server, namespace = "compute")]
pub trait ComputeApi {
	/// A provider's service.
	#[method(name = "service")]
	fn service(&self, provider: AccountId, at: Option<H256>) -> RpcResult<Option<ServiceJson>>;
	/// Providers with a live service.
	#[method(name = "providers")]
	fn providers(&self, at: Option<H256>) -> RpcResult<Vec<AccountId>>;
	/// A user's ledger: `{available, deposit}`.
	#[method(name = "ledger")]
	fn ledger(&self, user: AccountId, at: Option<H256>) -> RpcResult<Option<serde_json::Value>>;
	/// The sub-account of (user, provider).
	#[method(name = "subAccount")]
	fn sub_account(
		&self,
		user: AccountId,
		provider: AccountId,
		at: Option<H256>,
	) -> RpcResult<Option<SubAccountJson>>;
	/// The last settled nonce and cumulative fee of (user, provider).
	#[method(name = "settled")]
	fn settled(
		&self,
		user: AccountId,
		provider: AccountId,
		at: Option<H256>,
	) -> RpcResult<SettledJson>;
	/// A fine-tuning task.
	#[method(name = "task")]
	fn task(&self, id: u64, at: Option<H256>) -> RpcResult<Option<serde_json::Value>>;
	/// The bytes a receipt's user and signer sign on this chain.
	#[method(name = "receiptMessage")]
	fn receipt_message(
		&self,
		provider: AccountId,
		user: AccountId,
		nonce: u64,
		cumulative_fee: String,
		requests_hash: H256,
		at: Option<H256>,
	) -> RpcResult<Bytes>;
}

/// Serves `compute_*` from the client's runtime API.
pub struct ComputeRpc<C> {
	client: Arc<C>,
}

impl<C> ComputeRpc<C> {
	/// Methods reading through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn service_json(s: pallet_compute::ServiceOf<Runtime>) -> ServiceJson {
	let info = s.info;
	ServiceJson {
        kind: match info.kind {
            pallet_compute::ServiceKind::Inference => "inference",
            pallet_compute::ServiceKind::FineTuning => "fineTuning",
        }
        .into(),
        model: text(&info.model),
        endpoint: text(&info.endpoint),
        input_price: info.input_price.to_string(),
        output_price: info.output_price.to_string(),
        verifiability: match info.verifiability {
            Verifiability::None => "none",
            Verifiability::Tee => "tee",
        }
        .into(),
        signer: info.signer,
        attestation: info.attestation.map(|a| {
            serde_json::json!({ "kind": a.kind, "reportHash": format!("0x{}", hex::encode(a.report_hash)) })
        }),
        bond: s.bond.to_string(),
        registered_at: s.registered_at,
        retiring_until: s.retiring_until,
    }
}

fn task_json(t: pallet_compute::TaskOf<Runtime>) -> serde_json::Value {
	let mut json = serde_json::json!({
		"user": t.user,
		"provider": t.provider,
		"datasetRoot": format!("0x{}", hex::encode(t.dataset_root)),
		"fee": t.fee.to_string(),
		"deliverBy": t.deliver_by,
		"state": "open",
	});
	if let TaskState::Delivered { model_root, encrypted_key, ack_by } = t.state {
		json["state"] = "delivered".into();
		json["modelRoot"] = format!("0x{}", hex::encode(model_root)).into();
		json["encryptedKey"] = format!("0x{}", hex::encode(&encrypted_key[..])).into();
		json["ackBy"] = ack_by.into();
	}
	json
}

impl<C> ComputeRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NodeComputeApi,
{
	fn at(&self, at: Option<H256>) -> H256 {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> ComputeApiServer for ComputeRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NodeComputeApi,
{
	fn service(&self, provider: AccountId, at: Option<H256>) -> RpcResult<Option<ServiceJson>> {
		let found = self.client.runtime_api().service(self.at(at), provider).map_err(internal)?;
		Ok(found.map(service_json))
	}

	fn providers(&self, at: Option<H256>) -> RpcResult<Vec<AccountId>> {
		self.client.runtime_api().live_providers(self.at(at)).map_err(internal)
	}

	fn ledger(&self, user: AccountId, at: Option<H256>) -> RpcResult<Option<serde_json::Value>> {
		let found = self.client.runtime_api().ledger(self.at(at), user).map_err(internal)?;
		Ok(found.map(|l| serde_json::json!({ "available": l.available.to_string(), "deposit": l.deposit.to_string() })))
	}

	fn sub_account(
		&self,
		user: AccountId,
		provider: AccountId,
		at: Option<H256>,
	) -> RpcResult<Option<SubAccountJson>> {
		let found = self
			.client
			.runtime_api()
			.sub_account(self.at(at), user, provider)
			.map_err(internal)?;
		Ok(found.map(|s| SubAccountJson {
			balance: s.balance.to_string(),
			refunds: s
				.refunds
				.iter()
				.map(
					|r| serde_json::json!({ "amount": r.amount.to_string(), "unlockAt": r.unlock_at }),
				)
				.collect(),
			signer: s.signer,
			nonce: s.nonce,
			settled: s.settled.to_string(),
			deposit: s.deposit.to_string(),
		}))
	}

	fn settled(
		&self,
		user: AccountId,
		provider: AccountId,
		at: Option<H256>,
	) -> RpcResult<SettledJson> {
		let (nonce, fee) = self
			.client
			.runtime_api()
			.settled(self.at(at), user, provider)
			.map_err(internal)?;
		Ok(SettledJson { nonce, cumulative_fee: fee.to_string() })
	}

	fn task(&self, id: u64, at: Option<H256>) -> RpcResult<Option<serde_json::Value>> {
		let found = self.client.runtime_api().task(self.at(at), id).map_err(internal)?;
		Ok(found.map(task_json))
	}

	fn receipt_message(
		&self,
		provider: AccountId,
		user: AccountId,
		nonce: u64,
		cumulative_fee: String,
		requests_hash: H256,
		at: Option<H256>,
	) -> RpcResult<Bytes> {
		let fee: Balance = cumulative_fee.trim().parse().map_err(|_| {
			ErrorObject::owned(
				INVALID_PARAMS_CODE,
				"cumulativeFee must be a decimal string",
				None::<()>,
			)
		})?;
		let message = self
			.client
			.runtime_api()
			.receipt_message(self.at(at), provider, user, nonce, fee, requests_hash.0)
			.map_err(internal)?;
		Ok(message.into())
	}
}
