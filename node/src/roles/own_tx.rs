//! The node's own transactions: PoRA answers of `--storage-provider` and the reports of
//! `--alignment`, signed with a keystore key and handed to the local transaction pool.
//!
//! One account may send from several services at once (a genesis validator acknowledges
//! deals, mines PoRA and reports alignment with the same account), so the nonce is taken
//! after the account's transactions already waiting in the pool, as
//! `system_accountNextIndex` does, and after the nonces this node handed out in the last
//! few blocks. The fork-aware pool keeps a view per block: a transaction submitted while
//! the view of a new block is being built lands only in the older views, so the pool's
//! ready set may not show it. Taking its nonce again made the lighter of the two replace
//! the other (a commitment replaced a reveal, whose operator then lost the era's reward).

use crate::service::types::{Block, BlockHash, FullClient, FullPool};
use codec::Encode;
use futures::StreamExt;
use sc_client_api::HeaderBackend;
use sc_transaction_pool_api::{
	InPoolTransaction, TransactionPool, TransactionSource, TransactionStatus, TxHash,
};
use sp_api::{Core, ProvideRuntimeApi};
use sp_core::crypto::KeyTypeId;
use std::{
	collections::{BTreeMap, HashSet},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};
use substrate_frame_rpc_system::AccountNonceApi;
use zerog_runtime::{AccountId, BlockNumber, Nonce, RuntimeCall, SigningContext};

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

/// Nonces handed out by this node, with the best block they were signed at: skipped by the
/// next transactions of the account even when no pool view shows them yet.
static HANDED_OUT: Mutex<BTreeMap<(AccountId, Nonce), BlockNumber>> = Mutex::new(BTreeMap::new());

/// The handed-out nonces (a panic elsewhere while holding them leaves them usable).
fn handed_out() -> std::sync::MutexGuard<'static, BTreeMap<(AccountId, Nonce), BlockNumber>> {
	HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Blocks a handed-out nonce is skipped for. A transaction lost without a word (the pool
/// drops a same-nonce loser silently while it builds a view) leaves a gap that holds the
/// account's later transactions back this long at most.
const HANDED_OUT_BLOCKS: BlockNumber = 3;

/// How long a submission waits for the pool's view of the best block.
const VIEW_WAIT: Duration = Duration::from_secs(2);

/// A transaction handed to the pool.
#[derive(Clone, Debug)]
pub struct Submitted {
	/// Its hash.
	pub hash: TxHash<FullPool>,
	/// Its nonce.
	pub nonce: Nonce,
	lost: Arc<AtomicBool>,
}

impl Submitted {
	/// Whether the pool said it will not include it (replaced, dropped, invalid): the
	/// sender should not wait for it.
	pub fn is_lost(&self) -> bool {
		self.lost.load(Ordering::Relaxed)
	}

	/// A transaction the pool gave up, for tests of what a sender does then.
	#[cfg(test)]
	pub(crate) fn given_up() -> Self {
		Submitted { hash: Default::default(), nonce: 0, lost: Arc::new(AtomicBool::new(true)) }
	}
}

/// The first nonce at or after `chain` that neither the pool (`provided`) nor the handed-out
/// nonces `taken` hold.
fn free_nonce(
	chain: Nonce,
	provided: impl Fn(Nonce) -> bool,
	taken: impl Fn(Nonce) -> bool,
) -> Nonce {
	let mut nonce = chain;
	while provided(nonce) || taken(nonce) {
		nonce += 1;
	}
	nonce
}

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

	/// The nonce of the account's next transaction: its nonce at `at` (block `number`), moved
	/// past the account's transactions that are ready in the pool's view of `at` and past
	/// the nonces this node handed out in the last [`HANDED_OUT_BLOCKS`] blocks.
	async fn next_nonce(&self, at: BlockHash, number: BlockNumber) -> Result<Nonce, OwnTxError> {
		let ready = self.pool.ready_at_with_timeout(at, VIEW_WAIT).await;
		let provided: HashSet<Vec<u8>> = ready.flat_map(|tx| tx.provides().to_vec()).collect();
		let chain = self.client.runtime_api().account_nonce(at, self.account.clone())?;
		let mut taken = handed_out();
		taken.retain(|(account, nonce), signed_at| {
			account != &self.account
				|| (*nonce >= chain && number < signed_at.saturating_add(HANDED_OUT_BLOCKS))
		});
		Ok(free_nonce(
			chain,
			|nonce| provided.contains(&(self.account.clone(), nonce).encode()),
			|nonce| taken.contains_key(&(self.account.clone(), nonce)),
		))
	}

	/// Whether `sent` is ready in the pool (as far as its newest view shows).
	pub fn in_pool(&self, sent: &Submitted) -> bool {
		self.pool.ready_transaction(&sent.hash).is_some()
	}

	/// Sends `call` again in place of `previous`, which is not on chain and not ready in the
	/// pool: under `previous`'s nonce, so that if `previous` lands after all, one of the two
	/// is refused rather than both paid for.
	pub async fn resubmit(
		&self,
		call: RuntimeCall,
		previous: &Submitted,
	) -> Result<Submitted, OwnTxError> {
		let _one_at_a_time = SUBMITTING.lock().await;
		handed_out().remove(&(self.account.clone(), previous.nonce));
		self.submit_locked(call).await
	}

	/// Signs `call` (immortal, no tip) at the best block and submits it to the pool. The
	/// answer says whether the pool later gave it up ([`Submitted::is_lost`]).
	pub async fn submit(&self, call: RuntimeCall) -> Result<Submitted, OwnTxError> {
		// One submission at a time in the node: two tasks sending as one account (the miner
		// and the acknowledgements, or a validator's reports) would otherwise read the same
		// next nonce before either transaction is in the pool.
		let _one_at_a_time = SUBMITTING.lock().await;
		self.submit_locked(call).await
	}

	/// [`OwnTransactions::submit`], with [`SUBMITTING`] held.
	async fn submit_locked(&self, call: RuntimeCall) -> Result<Submitted, OwnTxError> {
		let info = self.client.info();
		let version = self.client.runtime_api().version(info.best_hash)?;
		let context = SigningContext {
			genesis_hash: info.genesis_hash,
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
		};
		let nonce = self.next_nonce(info.best_hash, info.best_number).await?;
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
		let hash = self.pool.hash_of(&opaque);
		let mut status = self
			.pool
			.submit_and_watch(info.best_hash, TransactionSource::Local, opaque)
			.await
			.map_err(|e| OwnTxError::Pool(e.to_string()))?;
		let key = (self.account.clone(), nonce);
		handed_out().insert(key.clone(), info.best_number);
		let lost = Arc::new(AtomicBool::new(false));
		let flag = lost.clone();
		// Until it is final: a transaction the pool gives up frees its nonce at once.
		let watch = async move {
			while let Some(event) = status.next().await {
				match event {
					TransactionStatus::Usurped(_)
					| TransactionStatus::Dropped
					| TransactionStatus::Invalid => {
						log::debug!(target: "own-tx", "transaction {hash:?} (nonce {}) given up by the pool: {event:?}", key.1);
						flag.store(true, Ordering::Relaxed);
						handed_out().remove(&key);
						break;
					},
					event if event.is_final() => break,
					_ => {},
				}
			}
		};
		if let Ok(runtime) = tokio::runtime::Handle::try_current() {
			runtime.spawn(watch);
		}
		Ok(Submitted { hash, nonce, lost })
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_nonce_is_taken_past_the_pool_and_the_nonces_handed_out() {
		// Nothing pending: the chain's nonce.
		assert_eq!(free_nonce(5, |_| false, |_| false), 5);
		// 5 ready in the pool, 6 handed out but in no view yet (the race that lost reveals).
		assert_eq!(free_nonce(5, |n| n == 5, |n| n == 6), 7);
		// A gap left by a lost transaction is filled.
		assert_eq!(free_nonce(5, |n| n == 6, |_| false), 5);
	}
}
