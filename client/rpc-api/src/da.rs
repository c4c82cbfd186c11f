//! The `da_*` RPC methods.
//!
//! | method | params | result |
//! |---|---|---|
//! | `da_submitBlob` | `0x` bytes | `{root, size, codec, chunkSize, commitment, timings}` |
//! | `da_getBlob` | blob | `0x` bytes (rebuilt from any 1,024 chunks, local or from peers) |
//! | `da_getChunk` | blob, index | `{index, chunk, proof, root}` (proof: sibling hashes, bottom first) |
//! | `da_blobStatus` | blob | `{id, root, size, status, deadline, expiresAt, localChunks}` |
//! | `da_info` | | `{maxBlobSize, blobHttpPort}` (the raw-byte path, [`BLOB_ROUTES`]) |
//!
//! A *blob* is its on-chain id (a number) or its commitment root (`0x` + 64 hex digits).

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};
use sp_core::Bytes;

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
	/// The blob's chunks are not one codeword: its submitter committed to a bad encoding.
	pub const BAD_ENCODING: i32 = 4008;
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
#[rpc(client, server, namespace = "da")]
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

/// The raw-byte routes of the DA blob path on the data HTTP port (`da_info`'s
/// `blobHttpPort`): `POST /blobs` with the blob as the body answers `da_submitBlob`'s JSON;
/// `GET /blobs/<id or 0xroot>` answers the blob's bytes. Errors answer an HTTP status and
/// `{"code", "message"}` with the codes of [`codes`].
pub const BLOB_ROUTES: &str = "POST /blobs, GET /blobs/<id|0xroot>";
