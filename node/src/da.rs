//! DA in the node: the glue between `zerog-da-service` and this runtime's types (chain
//! reads, peers, events), the off-chain worker extension of `--da-operator`, and the task
//! that counts blob outcomes and prunes the chunk store.

use crate::service::FullClient;
use codec::Decode;
use futures::{future::BoxFuture, FutureExt, StreamExt};
use pallet_da::runtime_api::DaApi;
use sc_client_api::{BlockchainEvents, HeaderBackend, StorageProvider};
use sc_network::PeerId;
use sp_api::ProvideRuntimeApi;
use sp_core::storage::StorageKey;
use std::sync::Arc;
use zerog_da_service::{
	protocol::PeerSource,
	rpc::{ChainBlob, ChainView},
	DaService,
};
use zerog_runtime::{opaque::Block, Runtime, RuntimeEvent};

/// Blocks between sweeps of the chunk store.
const PRUNE_EVERY_BLOCKS: u32 = 10;
/// Uploaded chunks are kept this long (seconds) waiting for their blob to reach the chain.
pub const UPLOAD_GRACE_SECS: u64 = 600;
/// The RPC request and response limits (MB) a node gets unless it sets its own: a 32 MiB
/// blob travels as 64 MiB of hex.
pub const DA_RPC_PAYLOAD_MB: u32 = 80;

/// Chain reads for the DA service, at the best block.
pub struct ClientChainView(pub Arc<FullClient>);

impl ChainView for ClientChainView {
	fn blob(&self, id: u64) -> Option<ChainBlob> {
		let best = self.0.info().best_hash;
		let record = self.0.runtime_api().blob(best, id).ok()??;
		Some(ChainBlob {
			id,
			commitment: record.commitment,
			available: record.status == pallet_da::BlobStatus::Available,
			deadline: record.deadline,
			expires_at: record.expires_at,
		})
	}

	fn blob_id(&self, root: &zerog_erasure::Hash) -> Option<u64> {
		let best = self.0.info().best_hash;
		let key = StorageKey(pallet_da::BlobByRoot::<Runtime>::hashed_key_for(root));
		let data = self.0.storage(best, &key).ok()??;
		u64::decode(&mut &data.0[..]).ok()
	}
}

/// The node's sync peers, for the chunk fetcher.
pub struct SyncPeers(pub Arc<sc_network_sync::SyncingService<Block>>);

impl PeerSource for SyncPeers {
	fn peers(&self) -> BoxFuture<'static, Vec<PeerId>> {
		let sync = self.0.clone();
		async move {
			sync.peers_info()
				.await
				.map(|peers| peers.into_iter().map(|(peer, _)| peer).collect())
				.unwrap_or_default()
		}
		.boxed()
	}
}

/// The runtime events of block `hash`.
fn events(
	client: &FullClient,
	hash: <Block as sp_runtime::traits::Block>::Hash,
) -> Vec<RuntimeEvent> {
	// `System::Events` is private in frame-system; its key is the two name hashes.
	let key = [sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
	let Ok(Some(data)) = client.storage(hash, &StorageKey(key)) else { return Vec::new() };
	Vec::<frame_system::EventRecord<RuntimeEvent, zerog_runtime::Hash>>::decode(&mut &data.0[..])
		.map(|records| records.into_iter().map(|r| r.event).collect())
		.unwrap_or_default()
}

/// Signs holding proofs (alignment challenges) with whichever key of `key_type` the
/// keystore has: the DA operator's `zgda` key, or the storage provider's `zgst` key.
pub struct KeystoreSigner {
	/// The node's keystore.
	pub keystore: sp_keystore::KeystorePtr,
	/// The kind of key to sign with.
	pub key_type: sp_core::crypto::KeyTypeId,
}

impl zerog_da_service::holding::HoldingSigner for KeystoreSigner {
	fn sign_as(&self, public: &[u8; 32], message: &[u8]) -> Option<[u8; 64]> {
		let public = sp_core::sr25519::Public::from_raw(*public);
		self.keystore
			.sr25519_sign(self.key_type, &public, message)
			.ok()
			.flatten()
			.map(|s| s.0)
	}
}

/// Follows new best blocks: counts blobs that became available or were dropped, and every
/// few blocks deletes the chunks of blobs the chain no longer keeps.
pub async fn follow_chain(client: Arc<FullClient>, service: Arc<DaService>) {
	let mut imports = client.import_notification_stream();
	let mut last_prune = 0u32;
	while let Some(block) = imports.next().await {
		if !block.is_new_best {
			continue;
		}
		if let Some(metrics) = service.metrics() {
			for event in events(&client, block.hash) {
				match event {
					RuntimeEvent::Da(pallet_da::Event::BlobAvailable { .. }) => {
						metrics.blobs_available.inc()
					},
					RuntimeEvent::Da(pallet_da::Event::BlobUnavailable { .. }) => {
						metrics.blobs_failed.inc()
					},
					_ => {},
				}
			}
		}
		let number = *sp_runtime::traits::Header::number(&block.header);
		if number.saturating_sub(last_prune) >= PRUNE_EVERY_BLOCKS {
			last_prune = number;
			let (client, service) = (client.clone(), service.clone());
			let _ = tokio::task::spawn_blocking(move || {
				service.prune(&ClientChainView(client), UPLOAD_GRACE_SECS)
			})
			.await;
		}
	}
}

/// Makes sure a DA operator's node can sign: with `--alice` and the like, the dev seed also
/// becomes the operator key (as the dev chains register it); otherwise the key must have been
/// inserted with `zerog-node key insert --key-type zgda --scheme sr25519`.
pub fn prepare_operator_keystore(
	keystore: &sp_keystore::KeystorePtr,
	dev_seed: Option<&str>,
) -> Result<(), sc_service::Error> {
	if let Some(seed) = dev_seed {
		keystore
			.sr25519_generate_new(pallet_da::OPERATOR_KEY_TYPE, Some(seed))
			.map_err(|e| sc_service::Error::Other(format!("DA operator key: {e}")))?;
	}
	if keystore.sr25519_public_keys(pallet_da::OPERATOR_KEY_TYPE).is_empty() {
		log::warn!(
			target: "da",
			"--da-operator without an operator key: insert one with `zerog-node key insert \
			 --key-type zgda --scheme sr25519 --suri <secret>`; until then nothing is attested"
		);
	}
	Ok(())
}
