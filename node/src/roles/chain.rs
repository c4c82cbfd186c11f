//! What the roles share about the chain and the node: chain reads for the DA service, the
//! node's sync peers, a block's events, signing with keystore keys, and the error of an RPC
//! method whose runtime call failed.

use crate::service::types::{Block, BlockHash, FullClient};
use codec::Decode;
use futures::{future::BoxFuture, FutureExt};
use pallet_da::runtime_api::DaApi;
use sc_client_api::{HeaderBackend, StorageProvider};
use sc_network::PeerId;
use sp_api::ProvideRuntimeApi;
use sp_core::storage::StorageKey;
use std::sync::Arc;
use zerog_da_service::chain::{ChainBlob, ChainView};
use zerog_data_plane::{holding::HoldingSigner, request_response::PeerSource};
use zerog_runtime::{Runtime, RuntimeEvent};

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
pub fn events(client: &FullClient, hash: BlockHash) -> Vec<RuntimeEvent> {
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

impl HoldingSigner for KeystoreSigner {
	fn sign_as(&self, public: &[u8; 32], message: &[u8]) -> Option<[u8; 64]> {
		let public = sp_core::sr25519::Public::from_raw(*public);
		self.keystore
			.sr25519_sign(self.key_type, &public, message)
			.ok()
			.flatten()
			.map(|s| s.0)
	}
}

/// The error of an RPC method whose runtime API call failed.
pub fn runtime_api_error(e: impl std::fmt::Display) -> jsonrpsee::types::ErrorObjectOwned {
	jsonrpsee::types::ErrorObject::owned(5000, format!("runtime API call failed: {e}"), None::<()>)
}
