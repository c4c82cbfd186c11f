//! The `da_*` RPC methods.
//!
//! | method | params | result |
//! |---|---|---|
//! | `da_submitBlob` | `0x` bytes | `{root, size, codec, chunkSize, commitment, timings}` |
//! | `da_getBlob` | blob | `0x` bytes (rebuilt from any 1,024 chunks, local or from peers) |
//! | `da_getChunk` | blob, index | `{index, chunk, proof}` (proof: sibling hashes, bottom first) |
//! | `da_blobStatus` | blob | `{id, root, size, status, deadline, expiresAt, localChunks}` |
//! | `da_info` | | `{maxBlobSize, blobHttpPort}` (see [`crate::blob_http`]) |
//!
//! A *blob* is its on-chain id (a number) or its commitment root (`0x` + 64 hex digits).

use crate::service::{DaError, DaService, SubmitTimings};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObject, ErrorObjectOwned},
};
use serde::{Deserialize, Serialize};
use sp_core::Bytes;
use std::sync::Arc;
use zerog_erasure::{BlobCommitment, CodecId, Hash};

/// Error codes of the `da_*` methods.
pub mod codes {
	/// The blob is larger than the maximum.
	pub const BLOB_TOO_LARGE: i32 = 4001;
	/// The blob is empty.
	pub const EMPTY_BLOB: i32 = 4002;
	/// Unknown blob id or root.
	pub const UNKNOWN_BLOB: i32 = 4004;
	/// Not enough chunks to rebuild.
	pub const NOT_ENOUGH_CHUNKS: i32 = 4005;
	/// Chunk index out of range.
	pub const BAD_INDEX: i32 = 4006;
	/// No peer had the chunk.
	pub const CHUNK_UNAVAILABLE: i32 = 4007;
	/// Coding, disk or task failure.
	pub const INTERNAL: i32 = 5000;
}

/// A blob named by its on-chain id or its commitment root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BlobRef {
	/// The id `submit_blob` gave it.
	Id(u64),
	/// `0x` and the 64 hex digits of its commitment root.
	Root(String),
}

/// What the chain records of a blob, as the node reads it at its best block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBlob {
	/// Its id.
	pub id: u64,
	/// Its commitment.
	pub commitment: BlobCommitment,
	/// Whether quorum was reached.
	pub available: bool,
	/// Last block attestations count.
	pub deadline: u32,
	/// When it expires (once available).
	pub expires_at: Option<u32>,
}

/// Read access to DA state on chain; the node implements it over its client.
pub trait ChainView: Send + Sync {
	/// The blob with `id`, if the chain still keeps it.
	fn blob(&self, id: u64) -> Option<ChainBlob>;
	/// The id of the blob with commitment root `root`, if the chain keeps one.
	fn blob_id(&self, root: &Hash) -> Option<u64>;
}

/// Answer of `da_submitBlob`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedBlob {
	/// Commitment root, `0x` hex.
	pub root: String,
	/// Blob size in bytes.
	pub size: u32,
	/// The erasure code.
	pub codec: String,
	/// Bytes per coded chunk.
	pub chunk_size: u32,
	/// The SCALE-encoded commitment, the argument of `da.submitBlob`.
	pub commitment: Bytes,
	/// Encode and store times.
	pub timings: serde_json::Value,
}

/// Answer of `da_getChunk`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkAnswer {
	/// Coded chunk index.
	pub index: u32,
	/// The chunk's bytes.
	pub chunk: Bytes,
	/// Sibling hashes from the leaf up, `0x` hex.
	pub proof: Vec<String>,
	/// The root the proof leads to.
	pub root: String,
}

/// Answer of `da_blobStatus`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobStatus {
	/// On-chain id, once submitted on chain.
	pub id: Option<u64>,
	/// Commitment root.
	pub root: String,
	/// Blob size in bytes.
	pub size: u32,
	/// `pending` or `available` on chain, or `uploaded`: its chunks are here but the chain
	/// keeps no such blob (not submitted yet, or already dropped).
	pub status: String,
	/// Attestation deadline (block), while known on chain.
	pub deadline: Option<u32>,
	/// Expiry block, once available.
	pub expires_at: Option<u32>,
	/// Chunks this node holds.
	pub local_chunks: u32,
}

/// DA RPC methods.
#[rpc(server, namespace = "da")]
pub trait DaApi {
	/// Encodes the blob, stores its chunks and returns its commitment. Submit the commitment
	/// with the `da.submit_blob` extrinsic.
	#[method(name = "submitBlob")]
	async fn submit_blob(&self, data: Bytes) -> RpcResult<SubmittedBlob>;

	/// The blob's bytes, rebuilt from any 1,024 of its chunks.
	#[method(name = "getBlob")]
	async fn get_blob(&self, blob: BlobRef) -> RpcResult<Bytes>;

	/// One coded chunk with its Merkle proof (for sampling).
	#[method(name = "getChunk")]
	async fn get_chunk(&self, blob: BlobRef, index: u32) -> RpcResult<ChunkAnswer>;

	/// Where the blob stands, on chain and on this node.
	#[method(name = "blobStatus")]
	async fn blob_status(&self, blob: BlobRef) -> RpcResult<BlobStatus>;

	/// Limits and the port of the binary blob path (`POST /blobs`, `GET /blobs/<blob>`).
	#[method(name = "info")]
	fn info(&self) -> RpcResult<DaInfo>;
}

/// Answer of `da_info`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaInfo {
	/// Largest blob, in bytes.
	pub max_blob_size: u32,
	/// Port of the binary blob path on the RPC host, when it is served.
	pub blob_http_port: Option<u16>,
}

/// The `da_*` RPC server.
#[derive(Clone)]
pub struct DaRpc {
	service: Arc<DaService>,
	chain: Arc<dyn ChainView>,
	blob_http_port: Option<u16>,
}

impl DaRpc {
	/// Serves `service`'s data, reading chain state through `chain`; `blob_http_port` is
	/// announced by `da_info`.
	pub fn new(
		service: Arc<DaService>,
		chain: Arc<dyn ChainView>,
		blob_http_port: Option<u16>,
	) -> Self {
		DaRpc { service, chain, blob_http_port }
	}

	/// Encodes and stores a blob (`da_submitBlob`, `POST /blobs`).
	pub async fn submit_bytes(&self, data: Vec<u8>) -> RpcResult<SubmittedBlob> {
		DaService::check_size(data.len() as u64).map_err(error)?;
		let service = self.service.clone();
		let (commitment, timings): (BlobCommitment, SubmitTimings) =
			blocking(move || service.submit(&data)).await?;
		let chunk_size = commitment.layout().map(|l| l.chunk_size).unwrap_or_default();
		Ok(SubmittedBlob {
			root: format!("0x{}", hex::encode(commitment.root)),
			size: commitment.size,
			codec: codec_name(commitment.codec),
			chunk_size,
			commitment: codec::Encode::encode(&commitment).into(),
			timings: serde_json::to_value(timings).unwrap_or_default(),
		})
	}

	/// A blob's bytes (`da_getBlob`, `GET /blobs/<blob>`).
	pub async fn blob_bytes(&self, blob: BlobRef) -> RpcResult<Vec<u8>> {
		let (commitment, _) = self.resolve(&blob)?;
		let service = self.service.clone();
		blocking(move || service.rebuild(&commitment)).await
	}

	/// The root, commitment and on-chain record a reference names.
	fn resolve(&self, blob: &BlobRef) -> RpcResult<(BlobCommitment, Option<ChainBlob>)> {
		let on_chain = match blob {
			BlobRef::Id(id) => self.chain.blob(*id),
			BlobRef::Root(_) => {
				let root = parse_root(blob)?;
				self.chain.blob_id(&root).and_then(|id| self.chain.blob(id))
			},
		};
		if let Some(record) = on_chain {
			return Ok((record.commitment.clone(), Some(record)));
		}
		if let BlobRef::Root(_) = blob {
			if let Some(commitment) = self.service.store().commitment(&parse_root(blob)?) {
				return Ok((commitment, None));
			}
		}
		Err(error(DaError::UnknownBlob))
	}
}

fn parse_root(blob: &BlobRef) -> RpcResult<Hash> {
	let BlobRef::Root(text) = blob else { unreachable!("only called on roots") };
	let digits = text.strip_prefix("0x").unwrap_or(text);
	hex::decode(digits)
		.ok()
		.and_then(|bytes| Hash::try_from(bytes.as_slice()).ok())
		.ok_or_else(|| {
			ErrorObject::owned(
				INVALID_PARAMS_CODE,
				format!(
					"a blob is its id (a number) or its root (0x and 64 hex digits), not {text:?}"
				),
				None::<()>,
			)
		})
}

/// The RPC error object of a DA error.
pub fn error(e: DaError) -> ErrorObjectOwned {
	let code = match e {
		DaError::BlobTooLarge(_) => codes::BLOB_TOO_LARGE,
		DaError::EmptyBlob => codes::EMPTY_BLOB,
		DaError::UnknownBlob => codes::UNKNOWN_BLOB,
		DaError::NotEnoughChunks { .. } => codes::NOT_ENOUGH_CHUNKS,
		DaError::BadIndex(_) => codes::BAD_INDEX,
		DaError::ChunkUnavailable(_) => codes::CHUNK_UNAVAILABLE,
		DaError::Internal(_) => codes::INTERNAL,
	};
	ErrorObject::owned(code, e.to_string(), None::<()>)
}

/// Runs blocking DA work off the async threads.
async fn blocking<R: Send + 'static>(
	work: impl FnOnce() -> Result<R, DaError> + Send + 'static,
) -> RpcResult<R> {
	tokio::task::spawn_blocking(work)
		.await
		.map_err(|e| error(DaError::Internal(e.to_string())))?
		.map_err(error)
}

fn codec_name(codec: CodecId) -> String {
	format!("{codec:?}")
}

#[async_trait]
impl DaApiServer for DaRpc {
	async fn submit_blob(&self, data: Bytes) -> RpcResult<SubmittedBlob> {
		self.submit_bytes(data.0).await
	}

	async fn get_blob(&self, blob: BlobRef) -> RpcResult<Bytes> {
		self.blob_bytes(blob).await.map(Bytes)
	}

	fn info(&self) -> RpcResult<DaInfo> {
		Ok(DaInfo {
			max_blob_size: zerog_erasure::MAX_BLOB_SIZE,
			blob_http_port: self.blob_http_port,
		})
	}

	async fn get_chunk(&self, blob: BlobRef, index: u32) -> RpcResult<ChunkAnswer> {
		if index >= zerog_erasure::CODED_CHUNKS {
			return Err(error(DaError::BadIndex(index)));
		}
		let (commitment, _) = self.resolve(&blob)?;
		let service = self.service.clone();
		let root = format!("0x{}", hex::encode(commitment.root));
		let chunk = blocking(move || service.chunk_anywhere(&commitment, index)).await?;
		Ok(ChunkAnswer {
			index,
			chunk: chunk.chunk.into(),
			proof: chunk.proof.siblings.iter().map(|s| format!("0x{}", hex::encode(s))).collect(),
			root,
		})
	}

	async fn blob_status(&self, blob: BlobRef) -> RpcResult<BlobStatus> {
		let (commitment, record) = self.resolve(&blob)?;
		let local_chunks = self.service.store().held(&commitment.root).len() as u32;
		let status = match &record {
			Some(r) if r.available => "available",
			Some(_) => "pending",
			None => "uploaded",
		};
		Ok(BlobStatus {
			id: record.as_ref().map(|r| r.id),
			root: format!("0x{}", hex::encode(commitment.root)),
			size: commitment.size,
			status: status.into(),
			deadline: record.as_ref().map(|r| r.deadline),
			expires_at: record.as_ref().and_then(|r| r.expires_at),
			local_chunks,
		})
	}
}
