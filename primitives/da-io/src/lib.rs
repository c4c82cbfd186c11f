//! # zerog-da-io
//!
//! The host functions through which pallet-da's off-chain worker hands the heavy DA work to
//! its node: fetching chunks from peers, checking them against the commitment, writing them
//! to disk, and reading one back with its proof. Wasm only decides *what* to do; the node
//! does it natively.
//!
//! The node implements [`DaHost`] and registers it as the [`DaHostExt`] extension of
//! off-chain worker calls when it runs as a DA operator (`--da-operator`). Without it,
//! [`da_chunks::enabled`] is `false` and the off-chain worker does nothing.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndDecode},
	runtime_interface,
};
use zerog_erasure::{BlobCommitment, Hash, MerkleProof};

/// Where a request to hold chunks stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, scale_info::TypeInfo)]
pub enum FetchStatus {
	/// Every requested chunk is on disk and was checked against the commitment.
	Stored,
	/// Chunks are being fetched; ask again later.
	Pending,
	/// The last attempt could not get them all (no peer had them, or bad proofs); a later
	/// call tries again.
	Failed,
}

/// What the node does for the off-chain worker. Implemented by the node's DA service.
#[cfg(feature = "std")]
pub trait DaHost: Send + Sync {
	/// Makes sure chunks `indices` of the blob with `commitment` are stored locally,
	/// fetching the missing ones from peers (verified against the commitment). Waits a
	/// little for a running fetch, never long.
	fn fetch_chunks(&self, blob: u64, commitment: &BlobCommitment, indices: &[u32]) -> FetchStatus;
	/// As [`DaHost::fetch_chunks`], and when peers do not hold the chunks themselves (the
	/// submitter never served them), rebuilds the blob from any `k` chunks held here or by
	/// peers, checks that it codes back to `commitment`, and stores chunks `indices` from
	/// that coding. For an available blob only: before quorum there may be no `k` chunks.
	fn repair_chunks(&self, blob: u64, commitment: &BlobCommitment, indices: &[u32])
		-> FetchStatus;
	/// A stored chunk of the blob with `root`, with its proof.
	fn chunk(&self, root: &Hash, index: u32) -> Option<(Vec<u8>, MerkleProof)>;
}

#[cfg(feature = "std")]
sp_externalities::decl_extension! {
	/// The node's DA service, offered to off-chain workers of a DA operator.
	pub struct DaHostExt(std::sync::Arc<dyn DaHost>);
}

/// Host functions of the DA off-chain worker.
#[runtime_interface]
pub trait DaChunks {
	/// Whether this node serves DA to its off-chain worker (it runs with `--da-operator`).
	fn enabled(&mut self) -> bool {
		use sp_externalities::ExternalitiesExt;
		self.extension::<DaHostExt>().is_some()
	}

	/// Asks the node to hold chunks `indices` of blob `blob`; see [`DaHost::fetch_chunks`].
	/// [`FetchStatus::Failed`] when the node offers no DA service.
	fn fetch_chunks(
		&mut self,
		blob: u64,
		commitment: PassFatPointerAndDecode<BlobCommitment>,
		indices: PassFatPointerAndDecode<Vec<u32>>,
	) -> AllocateAndReturnByCodec<FetchStatus> {
		use sp_externalities::ExternalitiesExt;
		match self.extension::<DaHostExt>() {
			Some(host) => host.0.fetch_chunks(blob, &commitment, &indices),
			None => FetchStatus::Failed,
		}
	}

	/// Asks the node to hold chunks `indices` of available blob `blob`, rebuilding them if no
	/// peer has them; see [`DaHost::repair_chunks`]. [`FetchStatus::Failed`] when the node
	/// offers no DA service.
	fn repair_chunks(
		&mut self,
		blob: u64,
		commitment: PassFatPointerAndDecode<BlobCommitment>,
		indices: PassFatPointerAndDecode<Vec<u32>>,
	) -> AllocateAndReturnByCodec<FetchStatus> {
		use sp_externalities::ExternalitiesExt;
		match self.extension::<DaHostExt>() {
			Some(host) => host.0.repair_chunks(blob, &commitment, &indices),
			None => FetchStatus::Failed,
		}
	}

	/// Chunk `index` of the blob with `root` and its proof, if the node holds it.
	fn chunk(
		&mut self,
		root: PassFatPointerAndDecode<Hash>,
		index: u32,
	) -> AllocateAndReturnByCodec<Option<(Vec<u8>, MerkleProof)>> {
		use sp_externalities::ExternalitiesExt;
		self.extension::<DaHostExt>().and_then(|host| host.0.chunk(&root, index))
	}
}
