//! The `storage_*` RPC methods.
//!
//! | method | params | result |
//! |---|---|---|
//! | `storage_uploadSegments` | root, size, `[{index, data, proof}]` | `{accepted, stored, verifyUs, diskUs}` |
//! | `storage_downloadSegment` | root, index, size? | `{index, data, proof}` |
//! | `storage_fileInfo` | root, size? | `{root, size, status, deals, segments, localSegments, replicasSeen, replicasWanted}` |
//! | `storage_info` | | `{maxFileSize, segmentSize, maxSegmentsPerUpload, httpPort, shard, unplacedDeals}` |
//!
//! A root is `0x` and 64 hex digits; data is `0x` hex; a proof is the sibling hashes from
//! the segment up. Large files go faster through the raw-byte path ([`SEGMENT_ROUTES`]).
//!
//! A file is its root *and* its size: zero padding lets one root stand for files of several
//! sizes, and anyone can open a deal for a root with a wrong size. Give the size when you
//! know it. Without it, a node answers for the only size it knows the root with (knowing
//! none, for the size a peer knows), and fails with [`codes::AMBIGUOUS_ROOT`] when it knows
//! several.

use codec::{Decode, Encode};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};
use sp_core::Bytes;
use zerog_erasure::{storage::SEGMENT_SIZE, Hash, MerkleProof};

/// Largest file accepted (the chain's `max_file_size` default; clients split larger files).
pub const MAX_FILE_SIZE: u64 = 4 << 30;
/// Most segments in one upload call (16 MiB).
pub const MAX_SEGMENTS_PER_UPLOAD: usize = 64;

/// Most segments per download request.
pub const MAX_SEGMENTS_PER_DOWNLOAD: u64 = 64;
/// Largest upload body: a full batch with proofs and encoding overhead.
pub const MAX_UPLOAD_BODY: u64 =
	(MAX_SEGMENTS_PER_UPLOAD * (SEGMENT_SIZE + 64 * 32 + 32) + 4096) as u64;

/// The body of `POST /files/segments`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct UploadBatch {
	/// The file root.
	pub root: Hash,
	/// The file size.
	pub size: u64,
	/// Segments with their proofs.
	pub segments: Vec<SegmentWithProof>,
}

/// A segment with its proof to the file root, as stored, served and uploaded.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SegmentWithProof {
	/// Segment index in the file.
	pub index: u64,
	/// Its bytes (256 KiB, less for the last one).
	pub data: Vec<u8>,
	/// Its proof to the file root.
	pub proof: MerkleProof,
}

impl SegmentWithProof {
	/// Segment `index` of the file `data`, whose tree is `tree`, with its proof; `None` past
	/// the file's end.
	pub fn from_file(data: &[u8], tree: &zerog_erasure::FileTree, index: u64) -> Option<Self> {
		let start = usize::try_from(index).ok()?.checked_mul(zerog_erasure::SEGMENT_SIZE)?;
		if start >= data.len() {
			return None;
		}
		let end = start.saturating_add(zerog_erasure::SEGMENT_SIZE).min(data.len());
		Some(SegmentWithProof {
			index,
			data: data[start..end].to_vec(),
			proof: tree.segment_proof(index)?,
		})
	}
}

/// Error codes of the `storage_*` methods.
pub mod codes {
	/// The file is larger than the maximum.
	pub const FILE_TOO_LARGE: i32 = 4101;
	/// The file is empty.
	pub const EMPTY_FILE: i32 = 4102;
	/// Too many segments in one call.
	pub const TOO_MANY_SEGMENTS: i32 = 4103;
	/// A segment does not match the root (data, size, index or proof).
	pub const BAD_SEGMENT: i32 = 4104;
	/// Unknown file root.
	pub const UNKNOWN_FILE: i32 = 4105;
	/// Segment index past the end.
	pub const BAD_INDEX: i32 = 4106;
	/// No node had the segment.
	pub const SEGMENT_UNAVAILABLE: i32 = 4107;
	/// The root is known with several sizes: give the size.
	pub const AMBIGUOUS_ROOT: i32 = 4108;
	/// Disk or task failure.
	pub const INTERNAL: i32 = 5000;
}

/// A segment as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentJson {
	/// Segment index in the file.
	pub index: u64,
	/// Its bytes.
	pub data: Bytes,
	/// Sibling hashes from the segment up, `0x` hex.
	pub proof: Vec<String>,
}

/// Answer of `storage_uploadSegments`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadAnswer {
	/// Segments checked and kept.
	pub accepted: u32,
	/// Segments newly written.
	pub stored: u32,
	/// Microseconds checking proofs.
	pub verify_us: u64,
	/// Microseconds writing to disk.
	pub disk_us: u64,
}

/// A deal of a file, as `storage_fileInfo` reports it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DealJson {
	/// Deal id.
	pub deal: u64,
	/// First sector in the flow.
	pub start_sector: u64,
	/// Replicas bought.
	pub replicas: u32,
	/// Block it ends at.
	pub end: u32,
}

/// Answer of `storage_fileInfo`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
	/// The root.
	pub root: String,
	/// Size in bytes.
	pub size: u64,
	/// `uploaded` (segments here, no deal yet), `stored` (a live deal), or `replicated`
	/// (the deal's replica count is seen at providers).
	pub status: String,
	/// The file's live deals.
	pub deals: Vec<DealJson>,
	/// Segments of the file.
	pub segments: u64,
	/// Segments held by this node.
	pub local_segments: u64,
	/// Fewest provider replicas of any segment, this node and its peers.
	pub replicas_seen: u32,
	/// Replicas bought.
	pub replicas_wanted: u32,
}

/// Answer of `storage_info`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
	/// Largest file, in bytes.
	pub max_file_size: u64,
	/// Bytes per segment.
	pub segment_size: u32,
	/// Most segments per upload call.
	pub max_segments_per_upload: u32,
	/// Port of the raw-byte path on the RPC host, when it is served.
	pub http_port: Option<u16>,
	/// This node's provider shard `[id, count]`, when it is a registered provider.
	pub shard: Option<[u32; 2]>,
	/// Deals this node could not record yet (a chain read or the disk failed); they are
	/// retried at every block. Anything but 0 for long deserves a look at the log.
	#[serde(default)]
	pub unplaced_deals: u64,
}

/// Storage RPC methods.
#[rpc(client, server, namespace = "storage")]
pub trait StorageApi {
	/// Checks segments against the file root and stores them. Segments may come before the
	/// file's deal lands on chain; they are kept for a while waiting for it.
	#[method(name = "uploadSegments")]
	async fn upload_segments(
		&self,
		root: String,
		size: u64,
		segments: Vec<SegmentJson>,
	) -> RpcResult<UploadAnswer>;

	/// One segment with its proof, from this node or a peer, of the file with `root` and
	/// `size` (see the module's note for a call without a size).
	#[method(name = "downloadSegment")]
	async fn download_segment(
		&self,
		root: String,
		index: u64,
		size: Option<u64>,
	) -> RpcResult<SegmentJson>;

	/// Status of the file with `root` and `size`, its deals and the replicas seen.
	#[method(name = "fileInfo")]
	async fn file_info(&self, root: String, size: Option<u64>) -> RpcResult<FileInfo>;

	/// Limits, the raw-byte port and this node's shard.
	#[method(name = "info")]
	fn info(&self) -> RpcResult<StorageInfo>;
}

/// The raw-byte routes of the segment path on the data HTTP port (`storage_info`'s
/// `httpPort`): `POST /files/segments` with a SCALE [`UploadBatch`] answers
/// `storage_uploadSegments`' JSON; `GET /files/<0xroot>/<size>/segments/<from>/<count>`
/// (or without `<size>`, as `storage_downloadSegment` without one) answers a SCALE
/// `Vec<SegmentWithProof>` of segments `from..from + count` (at most
/// [`MAX_SEGMENTS_PER_DOWNLOAD`]). Errors answer an HTTP status and `{"code", "message"}`
/// with the codes of [`codes`].
pub const SEGMENT_ROUTES: &str =
	"POST /files/segments, GET /files/<0xroot>[/<size>]/segments/<from>/<count>";

/// Parses `0x` + 64 hex digits (a file root or a KV stream id).
pub fn parse_hash(text: &str) -> Option<Hash> {
	hex::decode(text.strip_prefix("0x").unwrap_or(text))
		.ok()
		.and_then(|bytes| Hash::try_from(bytes.as_slice()).ok())
}

/// `0x` + the 64 hex digits of `hash`.
pub fn hash_hex(hash: &Hash) -> String {
	format!("0x{}", hex::encode(hash))
}
