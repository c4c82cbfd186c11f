//! A node's JSON-RPC as a wallet speaks it, with typed clients and the runtime's own types:
//! - the connection is jsonrpsee's WebSocket client (an `http://` URL is spoken to over
//!   WebSocket on the same port, as a zerog node serves both);
//! - the standard Substrate methods go through subxt's typed `LegacyRpcMethods`;
//! - zerog's own methods through the `*ApiClient` traits of `zerog_rpc_api`, on
//!   [`Chain::rpc`];
//! - transactions are built and signed with `zerog_runtime::signed_transaction`, and events
//!   and accounts decoded with the runtime's types.
//!
//! [`Chain`] is blocking: each call runs on the client's own tokio runtime, so that the
//! commands (and tests) stay plain code with threads where they need them. When the
//! connection drops (the node restarted), the call fails and the client connects again for
//! the next one.

use crate::error::ChainError;
use codec::{Decode, Encode};
use jsonrpsee::{
	core::{
		client::{BatchResponse, ClientT},
		params::BatchRequestBuilder,
	},
	ws_client::{WsClient, WsClientBuilder},
};
use parking_lot::Mutex;
use sp_core::{sr25519, Pair, H256};
use std::{future::Future, sync::Arc, time::Duration};
use subxt_rpcs::{methods::legacy::LegacyRpcMethods, RpcClient};
use zerog_runtime::{
	AccountId, Balance, Header, Nonce, RuntimeCall, RuntimeEvent, SigningContext,
	UncheckedExtrinsic,
};

/// Largest JSON-RPC message sent or received: a 32 MiB blob travels as 64 MiB of hex.
const MAX_MESSAGE_BYTES: u32 = 128 << 20;
/// How long one call may take (a large blob is coded and stored before the answer).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// zerog's types, as subxt's typed methods need them.
pub enum ZerogRpcConfig {}

impl subxt_rpcs::RpcConfig for ZerogRpcConfig {
	type Header = Header;
	type Hash = H256;
	type AccountId = AccountId;
}

/// An account's state: nonce and balances.
pub type AccountState = frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>;
/// An event with the phase it happened in.
pub type EventRecord = frame_system::EventRecord<RuntimeEvent, H256>;

/// A node's JSON-RPC; clones share the connection.
#[derive(Clone)]
pub struct Chain {
	url: Arc<str>,
	runtime: Arc<tokio::runtime::Runtime>,
	connection: Arc<Mutex<Connection>>,
}

/// One WebSocket connection, with subxt's typed methods over it.
#[derive(Clone)]
struct Connection {
	rpc: Arc<WsClient>,
	methods: LegacyRpcMethods<ZerogRpcConfig>,
}

impl Connection {
	async fn open(url: &str) -> Result<Self, ChainError> {
		let rpc = WsClientBuilder::default()
			.max_request_size(MAX_MESSAGE_BYTES)
			.max_response_size(MAX_MESSAGE_BYTES)
			.request_timeout(REQUEST_TIMEOUT)
			.build(url)
			.await
			.map_err(|e| ChainError::Transport(format!("cannot connect to {url}: {e}")))?;
		let rpc = Arc::new(rpc);
		let methods = LegacyRpcMethods::new(RpcClient::new(rpc.clone()));
		Ok(Connection { rpc, methods })
	}
}

/// The WebSocket URL of a node's RPC `url` (`ws://`, `wss://`, or `http(s)://` on the same
/// port).
pub fn ws_url(url: &str) -> Result<String, ChainError> {
	if url.starts_with("ws://") || url.starts_with("wss://") {
		Ok(url.to_string())
	} else if let Some(rest) = url.strip_prefix("http://") {
		Ok(format!("ws://{rest}"))
	} else if let Some(rest) = url.strip_prefix("https://") {
		Ok(format!("wss://{rest}"))
	} else {
		Err(ChainError::BadUrl(url.to_string()))
	}
}

impl Chain {
	/// Connects to the node at `url`.
	pub fn connect(url: &str) -> Result<Self, ChainError> {
		let url = ws_url(url)?;
		let runtime = tokio::runtime::Builder::new_multi_thread()
			.worker_threads(2)
			.thread_name("zerog-rpc")
			.enable_all()
			.build()
			.map_err(|e| {
				ChainError::Transport(format!("cannot start the client's runtime: {e}"))
			})?;
		let connection = runtime.block_on(Connection::open(&url))?;
		Ok(Chain {
			url: url.into(),
			runtime: Arc::new(runtime),
			connection: Arc::new(Mutex::new(connection)),
		})
	}

	fn connection(&self) -> Connection {
		self.connection.lock().clone()
	}

	fn methods(&self) -> LegacyRpcMethods<ZerogRpcConfig> {
		self.connection().methods
	}

	/// Runs `call` on the client's runtime; when the connection turns out to be gone,
	/// connects again for the next call.
	fn run<T, E: Into<ChainError>>(
		&self,
		call: impl Future<Output = Result<T, E>>,
	) -> Result<T, ChainError> {
		let result = self.block_on(call).map_err(Into::into);
		if let Err(ChainError::Disconnected(_)) = &result {
			if let Ok(connection) = self.block_on(Connection::open(&self.url)) {
				*self.connection.lock() = connection;
			}
		}
		result
	}

	/// The node's RPC URL (WebSocket).
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The typed JSON-RPC client, for zerog's `*ApiClient` traits (`da_*`, `storage_*`,
	/// `kv_*`) and other methods; run its futures with [`Chain::call`].
	pub fn rpc(&self) -> Arc<WsClient> {
		self.connection().rpc
	}

	/// Runs `future` on the client's runtime.
	pub fn block_on<F: Future>(&self, future: F) -> F::Output {
		self.runtime.block_on(future)
	}

	/// Runs a typed call (`chain.call(chain.rpc().blob_status(blob))`) on the client's
	/// runtime.
	pub fn call<T>(
		&self,
		call: impl Future<Output = Result<T, jsonrpsee::core::ClientError>>,
	) -> Result<T, ChainError> {
		self.run(call)
	}

	/// The client's runtime, to spawn tasks on.
	pub fn runtime(&self) -> &tokio::runtime::Handle {
		self.runtime.handle()
	}

	/// Block hash of block `number`.
	pub fn block_hash(&self, number: u32) -> Result<H256, ChainError> {
		self.run(self.methods().chain_get_block_hash(Some(number.into())))?
			.ok_or(ChainError::NoBlock(number))
	}

	/// The genesis hash.
	pub fn genesis_hash(&self) -> Result<H256, ChainError> {
		self.block_hash(0)
	}

	/// The best block's hash.
	pub fn best_hash(&self) -> Result<H256, ChainError> {
		self.run(self.methods().chain_get_block_hash(None))?
			.ok_or(ChainError::NoBlock(0))
	}

	/// The header of block `hash`, or of the best block when `None`.
	pub fn header(&self, hash: Option<H256>) -> Result<Header, ChainError> {
		self.run(self.methods().chain_get_header(hash))?
			.ok_or(ChainError::UnknownBlock(hash.unwrap_or_default()))
	}

	/// The best block's number.
	pub fn best_number(&self) -> Result<u32, ChainError> {
		Ok(self.header(None)?.number)
	}

	/// The finalized head's hash.
	pub fn finalized_head(&self) -> Result<H256, ChainError> {
		self.run(self.methods().chain_get_finalized_head())
	}

	/// The finalized head's number.
	pub fn finalized_number(&self) -> Result<u32, ChainError> {
		Ok(self.header(Some(self.finalized_head()?))?.number)
	}

	/// The header and the encoded extrinsics of block `hash`.
	pub fn block(&self, hash: H256) -> Result<(Header, Vec<Vec<u8>>), ChainError> {
		let details = self
			.run(self.methods().chain_get_block(Some(hash)))?
			.ok_or(ChainError::UnknownBlock(hash))?;
		let extrinsics = details.block.extrinsics.into_iter().map(|x| x.0).collect();
		Ok((details.block.header, extrinsics))
	}

	/// The raw storage value at `key` in block `at` (the best block when `None`).
	pub fn storage(&self, key: &[u8], at: Option<H256>) -> Result<Option<Vec<u8>>, ChainError> {
		self.run(self.methods().state_get_storage(key, at))
	}

	/// The account's next nonce, counting its transactions in the pool.
	pub fn next_nonce(&self, who: &AccountId) -> Result<Nonce, ChainError> {
		let nonce = self.run(self.methods().system_account_next_index(who))?;
		Nonce::try_from(nonce)
			.map_err(|_| ChainError::Transport(format!("nonce {nonce} too large")))
	}

	/// An account's state at block `at` (the best block when `None`); the default (empty)
	/// state for an account the chain does not know.
	pub fn account_info(
		&self,
		who: &AccountId,
		at: Option<H256>,
	) -> Result<AccountState, ChainError> {
		let key = frame_system::Account::<zerog_runtime::Runtime>::hashed_key_for(who);
		match self.storage(&key, at)? {
			Some(bytes) => decode(&bytes, "account"),
			None => Ok(AccountState::default()),
		}
	}

	/// Every account's state at `at` (the best block when `None`), in as few
	/// `state_queryStorageAt` calls as a node's answer limit allows.
	pub fn account_infos(
		&self,
		accounts: &[AccountId],
		at: Option<H256>,
	) -> Result<Vec<AccountState>, ChainError> {
		let mut states = Vec::with_capacity(accounts.len());
		for chunk in accounts.chunks(2048) {
			let keys: Vec<Vec<u8>> = chunk
				.iter()
				.map(frame_system::Account::<zerog_runtime::Runtime>::hashed_key_for)
				.collect();
			let sets = self.run(
				self.methods().state_query_storage_at(keys.iter().map(|k| k.as_slice()), at),
			)?;
			let values: std::collections::HashMap<Vec<u8>, Option<Vec<u8>>> = sets
				.into_iter()
				.flat_map(|set| set.changes)
				.map(|(key, value)| (key.0, value.map(|v| v.0)))
				.collect();
			for key in &keys {
				states.push(match values.get(key) {
					Some(Some(bytes)) => decode(bytes, "account")?,
					_ => AccountState::default(),
				});
			}
		}
		Ok(states)
	}

	/// The chain's (spec version, transaction version).
	pub fn runtime_versions(&self) -> Result<(u32, u32), ChainError> {
		let version = self.run(self.methods().state_get_runtime_version(None))?;
		Ok((version.spec_version, version.transaction_version))
	}

	/// What a transaction signed now for this chain commits to.
	pub fn signing_context(&self) -> Result<SigningContext, ChainError> {
		let (spec_version, transaction_version) = self.runtime_versions()?;
		Ok(SigningContext { genesis_hash: self.genesis_hash()?, spec_version, transaction_version })
	}

	/// Submits an extrinsic; returns its hash.
	pub fn submit(&self, xt: &UncheckedExtrinsic) -> Result<H256, ChainError> {
		let hex = format!("0x{}", hex::encode(xt.encode()));
		self.run(self.rpc().request("author_submitExtrinsic", [hex]))
	}

	/// Submits encoded extrinsics in one JSON-RPC batch; returns each one's hash or error,
	/// in order. An error for the whole batch (say, a node that refuses batches this long)
	/// is the outer error.
	pub fn submit_batch(
		&self,
		encoded: &[&str],
	) -> Result<Vec<Result<H256, ChainError>>, ChainError> {
		let mut batch = BatchRequestBuilder::new();
		for xt in encoded {
			batch
				.insert("author_submitExtrinsic", [*xt])
				.map_err(|e| ChainError::Transport(e.to_string()))?;
		}
		let answers: BatchResponse<H256> = self.run(self.rpc().batch_request(batch))?;
		Ok(answers
			.into_iter()
			.map(|answer| {
				answer.map_err(|e| jsonrpsee::core::ClientError::Call(e.into_owned()).into())
			})
			.collect())
	}

	/// The runtime events of block `at`.
	pub fn events(&self, at: H256) -> Result<Vec<EventRecord>, ChainError> {
		// `System::Events` is private in frame-system; its key is the two name hashes.
		let key = [sp_crypto_hashing::twox_128(b"System"), sp_crypto_hashing::twox_128(b"Events")]
			.concat();
		match self.storage(&key, Some(at))? {
			Some(bytes) => decode(&bytes, "events"),
			None => Ok(Vec::new()),
		}
	}

	/// Finds the block, from number `from` up to the best block, whose body holds `xt`;
	/// returns its number, hash and the extrinsic's index in it.
	pub fn find_inclusion(
		&self,
		xt: &UncheckedExtrinsic,
		from: u32,
	) -> Result<Option<(u32, H256, u32)>, ChainError> {
		let wanted = xt.encode();
		for number in from..=self.best_number()? {
			let hash = self.block_hash(number)?;
			let (_, extrinsics) = self.block(hash)?;
			if let Some(index) = extrinsics.iter().position(|x| *x == wanted) {
				return Ok(Some((number, hash, index as u32)));
			}
		}
		Ok(None)
	}

	/// Why extrinsic `index` of block `at` failed, if it did: the pallet error's name when
	/// the runtime's own types can tell it.
	pub fn dispatch_failure(&self, at: H256, index: u32) -> Result<Option<String>, ChainError> {
		for record in self.events(at)? {
			if record.phase != frame_system::Phase::ApplyExtrinsic(index) {
				continue;
			}
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = record.event
			{
				return Ok(Some(describe_error(dispatch_error)));
			}
		}
		Ok(None)
	}
}

/// Decodes `bytes` as a `T`, naming `what` when that fails.
fn decode<T: Decode>(bytes: &[u8], what: &'static str) -> Result<T, ChainError> {
	T::decode(&mut &bytes[..]).map_err(|source| ChainError::Undecodable { what, source })
}

/// An immortal transaction signed by `signer` (or with `signer`'s key but claimed to come
/// from `claimed_sender`, which forges a bad signature for tests).
pub fn signed_extrinsic(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	claimed_sender: Option<AccountId>,
	nonce: Nonce,
	context: SigningContext,
) -> UncheckedExtrinsic {
	let sender = claimed_sender.unwrap_or_else(|| signer.public().into());
	zerog_runtime::signed_transaction(call, sender, nonce, context, |payload| {
		Some(signer.sign(payload).into())
	})
	.expect("a key pair always signs; qed")
}

/// A dispatch error in words: errors of zerog's own pallets by name (`da.BlobTooLarge`,
/// `fileStorage.BadSize`, `compute.StaleNonce`, `alignment.NoCommitment`), others as the
/// runtime prints them.
pub fn describe_error(error: sp_runtime::DispatchError) -> String {
	use frame_support::traits::PalletInfoAccess;
	use zerog_runtime::{Alignment, Compute, Da, FileStorage, Inft, Runtime};
	if let sp_runtime::DispatchError::Module(module) = error {
		let index = module.index as usize;
		let bytes = &mut &module.error[..];
		let named = if index == Da::index() {
			pallet_da::Error::<Runtime>::decode(bytes).map(|e| format!("da.{e:?}"))
		} else if index == FileStorage::index() {
			pallet_storage::Error::<Runtime>::decode(bytes).map(|e| format!("fileStorage.{e:?}"))
		} else if index == Compute::index() {
			pallet_compute::Error::<Runtime>::decode(bytes).map(|e| format!("compute.{e:?}"))
		} else if index == Alignment::index() {
			pallet_alignment::Error::<Runtime>::decode(bytes).map(|e| format!("alignment.{e:?}"))
		} else if index == Inft::index() {
			pallet_inft::Error::<Runtime>::decode(bytes).map(|e| format!("inft.{e:?}"))
		} else {
			return format!("{error:?}");
		};
		if let Ok(named) = named {
			return named;
		}
	}
	format!("{error:?}")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn urls_become_websocket_urls() {
		assert_eq!(ws_url("ws://127.0.0.1:9944").unwrap(), "ws://127.0.0.1:9944");
		assert_eq!(ws_url("http://node.example:80/rpc").unwrap(), "ws://node.example:80/rpc");
		assert_eq!(ws_url("https://node.example").unwrap(), "wss://node.example");
		assert!(matches!(ws_url("ftp://node.example"), Err(ChainError::BadUrl(_))));
	}

	#[test]
	fn signed_extrinsics_carry_the_signer_or_the_forged_sender() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let context = SigningContext::native(H256::repeat_byte(1));
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		let honest = signed_extrinsic(call.clone(), &alice, None, 0, context);
		let forged = signed_extrinsic(call, &alice, Some(AccountId::new([9; 32])), 0, context);
		assert_ne!(honest.encode(), forged.encode());
	}
}
