//! The node's own transactions: PoRA answers of `--storage-provider` and the reports of
//! `--alignment`, signed with a keystore key and handed to the local transaction pool.
//!
//! One account may send from several services at once (a genesis validator mines PoRA and
//! reports alignment with the same account), so the nonce is taken after the account's
//! transactions already waiting in the pool, as `system_accountNextIndex` does.

use crate::service::types::{Block, BlockHash, FullClient, FullPool};
use codec::Encode;
use sc_client_api::HeaderBackend;
use sc_transaction_pool_api::{InPoolTransaction, TransactionPool, TransactionSource};
use sp_api::{Core, ProvideRuntimeApi};
use sp_core::crypto::KeyTypeId;
use std::{collections::HashSet, sync::Arc};
use substrate_frame_rpc_system::AccountNonceApi;
use zerog_runtime::{AccountId, Nonce, RuntimeCall, SigningContext};

/// The account a role (`--storage-provider`, `--alignment`) acts as: the first sr25519
/// key of `key_type` in the keystore. With `--alice` and the like, the dev seed becomes
/// that key first (the dev chains register those accounts). Without a key the role is idle,
/// and the log says how to insert one and what `idle` means for it.
pub fn role_account(
	keystore: &sp_keystore::KeystorePtr,
	key_type: KeyTypeId,
	dev_seed: Option<&str>,
	role: &str,
	idle: &str,
) -> Result<Option<AccountId>, sc_service::Error> {
	let name = String::from_utf8_lossy(&key_type.0).into_owned();
	if let Some(seed) = dev_seed {
		keystore
			.sr25519_generate_new(key_type, Some(seed))
			.map_err(|e| sc_service::Error::Other(format!("{name} key from the dev seed: {e}")))?;
	}
	let account = keystore
		.sr25519_public_keys(key_type)
		.into_iter()
		.next()
		.map(|k| AccountId::from(k.0));
	if account.is_none() {
		log::warn!(
            "{role} without a `{name}` key: insert one with `zerog-node key insert --key-type {name} \
             --scheme sr25519 --suri <secret>`; until then {idle}"
        );
	}
	Ok(account)
}

/// Held while a transaction is signed and handed to the pool (see [`OwnTransactions::submit`]).
static SUBMITTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Signs calls as one keystore account and submits them to the node's pool.
#[derive(Clone)]
pub struct OwnTransactions {
	client: Arc<FullClient>,
	pool: Arc<FullPool>,
	keystore: sp_keystore::KeystorePtr,
	key_type: KeyTypeId,
	account: AccountId,
}

impl OwnTransactions {
	/// Transactions of `account`, whose sr25519 key of `key_type` is in `keystore`.
	pub fn new(
		client: Arc<FullClient>,
		pool: Arc<FullPool>,
		keystore: sp_keystore::KeystorePtr,
		key_type: KeyTypeId,
		account: AccountId,
	) -> Self {
		OwnTransactions { client, pool, keystore, key_type, account }
	}

	/// The sending account.
	pub fn account(&self) -> &AccountId {
		&self.account
	}

	/// The nonce of the account's next transaction: its nonce at `at`, moved past the
	/// account's transactions that are ready in the pool.
	fn next_nonce(&self, at: BlockHash) -> Result<Nonce, OwnTxError> {
		let mut nonce = self.client.runtime_api().account_nonce(at, self.account.clone())?;
		let provided: HashSet<Vec<u8>> =
			self.pool.ready().flat_map(|tx| tx.provides().to_vec()).collect();
		while provided.contains(&(self.account.clone(), nonce).encode()) {
			nonce += 1;
		}
		Ok(nonce)
	}

	/// Signs `call` (immortal, no tip) at the best block and submits it to the pool.
	pub async fn submit(&self, call: RuntimeCall) -> Result<(), OwnTxError> {
		// One submission at a time in the node: two tasks sending as one account (the miner
		// and the acknowledgements, or a validator's reports) would otherwise read the same
		// next nonce before either transaction is in the pool.
		let _one_at_a_time = SUBMITTING.lock().await;
		let info = self.client.info();
		let version = self.client.runtime_api().version(info.best_hash)?;
		let context = SigningContext {
			genesis_hash: info.genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		};
		let nonce = self.next_nonce(info.best_hash)?;
		let public = sp_core::sr25519::Public::from_raw(*<AccountId as AsRef<[u8; 32]>>::as_ref(
			&self.account,
		));
		let sign = |payload: &[u8]| {
			let signature = self.keystore.sr25519_sign(self.key_type, &public, payload).ok()??;
			Some(signature.into())
		};
		let xt =
			zerog_runtime::signed_transaction(call, self.account.clone(), nonce, context, sign)
				.ok_or_else(|| OwnTxError::NoKey {
					key_type: self.key_type,
					account: self.account.clone(),
				})?;
		let opaque: <Block as sp_runtime::traits::Block>::Extrinsic =
			codec::Decode::decode(&mut &xt.encode()[..])?;
		self.pool
			.submit_one(info.best_hash, TransactionSource::Local, opaque)
			.await
			.map_err(|e| OwnTxError::Pool(e.to_string()))?;
		Ok(())
	}
}

/// Why the node could not send one of its own transactions.
#[derive(Debug, thiserror::Error)]
pub enum OwnTxError {
	/// Reading the nonce or the runtime version failed.
	#[error("runtime API call failed: {0}")]
	RuntimeApi(#[from] sp_api::ApiError),
	/// The keystore cannot sign for the account.
	#[error("the keystore has no {key_type:?} key for {account}")]
	NoKey {
		/// The key type asked for.
		key_type: KeyTypeId,
		/// The account it should sign for.
		account: AccountId,
	},
	/// The signed transaction did not decode as the node's extrinsic type.
	#[error("the signed transaction does not decode: {0}")]
	Codec(#[from] codec::Error),
	/// The pool refused the transaction.
	#[error("the transaction pool refused it: {0}")]
	Pool(String),
}
