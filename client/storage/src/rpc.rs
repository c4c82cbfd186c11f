//! The `storage_*` RPC methods.
//!
//! | method | params | result |
//! |---|---|---|
//! | `storage_uploadSegments` | root, size, `[{index, data, proof}]` | `{accepted, stored}` |
//! | `storage_downloadSegment` | root, index | `{index, data, proof, root}` |
//! | `storage_fileInfo` | root | `{root, size, status, deals, segments, localSegments, replicasSeen, replicasWanted}` |
//! | `storage_info` | | `{maxFileSize, segmentSize, maxSegmentsPerUpload, httpPort, shard}` |
//!
//! A root is `0x` and 64 hex digits; data is `0x` hex; a proof is the sibling hashes from
//! the segment up. Large files go faster through the raw-byte path ([`crate::segment_http`]).

use crate::{
	service::{StorageError, StorageService, MAX_FILE_SIZE, MAX_SEGMENTS_PER_UPLOAD},
	store::SegmentWithProof,
};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObject, ErrorObjectOwned},
};
use serde::{Deserialize, Serialize};
use sp_core::Bytes;
use std::sync::Arc;
use zerog_erasure::{storage::SEGMENT_SIZE, Hash, MerkleProof};

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
}

/// Storage RPC methods.
#[rpc(server, namespace = "storage")]
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

	/// One segment with its proof, from this node or a peer.
	#[method(name = "downloadSegment")]
	async fn download_segment(&self, root: String, index: u64) -> RpcResult<SegmentJson>;

	/// Status of a file, its deals and the replicas seen.
	#[method(name = "fileInfo")]
	async fn file_info(&self, root: String) -> RpcResult<FileInfo>;

	/// Limits, the raw-byte port and this node's shard.
	#[method(name = "info")]
	fn info(&self) -> RpcResult<StorageInfo>;
}

/// The `storage_*` RPC server (also behind the raw-byte routes).
#[derive(Clone)]
pub struct StorageRpc {
	service: Arc<StorageService>,
	http_port: Option<u16>,
}

/// The RPC error object of a storage error.
pub fn error(e: StorageError) -> ErrorObjectOwned {
	let code = match e {
		StorageError::FileTooLarge(_) => codes::FILE_TOO_LARGE,
		StorageError::EmptyFile => codes::EMPTY_FILE,
		StorageError::TooManySegments(_) => codes::TOO_MANY_SEGMENTS,
		StorageError::BadSegment(..) => codes::BAD_SEGMENT,
		StorageError::UnknownFile => codes::UNKNOWN_FILE,
		StorageError::BadIndex(_) => codes::BAD_INDEX,
		StorageError::SegmentUnavailable(_) => codes::SEGMENT_UNAVAILABLE,
		StorageError::Internal(_) => codes::INTERNAL,
	};
	ErrorObject::owned(code, e.to_string(), None::<()>)
}

fn bad_params(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(INVALID_PARAMS_CODE, message, None::<()>)
}

/// Parses `0x` + 64 hex digits.
pub fn parse_hash(text: &str) -> RpcResult<Hash> {
	hex::decode(text.strip_prefix("0x").unwrap_or(text))
		.ok()
		.and_then(|bytes| Hash::try_from(bytes.as_slice()).ok())
		.ok_or_else(|| bad_params(format!("expected 0x and 64 hex digits, not {text:?}")))
}

fn hex_hash(hash: &Hash) -> String {
	format!("0x{}", hex::encode(hash))
}

impl StorageRpc {
	/// Serves `service`; `http_port` is announced by `storage_info`.
	pub fn new(service: Arc<StorageService>, http_port: Option<u16>) -> Self {
		StorageRpc { service, http_port }
	}

	/// Checks and stores segments (`storage_uploadSegments`, `POST /files/segments`).
	pub async fn upload(
		&self,
		root: Hash,
		size: u64,
		segments: Vec<SegmentWithProof>,
	) -> RpcResult<UploadAnswer> {
		let service = self.service.clone();
		let outcome = tokio::task::spawn_blocking(move || service.upload(&root, size, &segments))
			.await
			.map_err(|e| error(StorageError::Internal(e.to_string())))?
			.map_err(error)?;
		Ok(UploadAnswer {
			accepted: outcome.accepted,
			stored: outcome.stored,
			verify_us: outcome.verify_us,
			disk_us: outcome.disk_us,
		})
	}

	/// Segments `from..from + count` of `root` (`GET /files/<root>/segments/<from>/<count>`).
	pub async fn segments(
		&self,
		root: Hash,
		from: u64,
		count: u64,
	) -> RpcResult<Vec<SegmentWithProof>> {
		let mut out = Vec::with_capacity(count as usize);
		for index in from..from.saturating_add(count) {
			out.push(self.service.segment(&root, None, index).await.map_err(error)?);
		}
		Ok(out)
	}
}

#[async_trait]
impl StorageApiServer for StorageRpc {
	async fn upload_segments(
		&self,
		root: String,
		size: u64,
		segments: Vec<SegmentJson>,
	) -> RpcResult<UploadAnswer> {
		let root = parse_hash(&root)?;
		let segments = segments
			.into_iter()
			.map(|s| {
				let siblings =
					s.proof.iter().map(|h| parse_hash(h)).collect::<RpcResult<Vec<_>>>()?;
				Ok(SegmentWithProof {
					index: s.index,
					data: s.data.0,
					proof: MerkleProof { index: s.index, siblings },
				})
			})
			.collect::<RpcResult<Vec<_>>>()?;
		self.upload(root, size, segments).await
	}

	async fn download_segment(&self, root: String, index: u64) -> RpcResult<SegmentJson> {
		let root = parse_hash(&root)?;
		let segment = self.service.segment(&root, None, index).await.map_err(error)?;
		Ok(SegmentJson {
			index,
			data: segment.data.into(),
			proof: segment.proof.siblings.iter().map(hex_hash).collect(),
		})
	}

	async fn file_info(&self, root: String) -> RpcResult<FileInfo> {
		let root = parse_hash(&root)?;
		let report = self.service.report(&root).await;
		let size = report.size.ok_or_else(|| error(StorageError::UnknownFile))?;
		let deals: Vec<DealJson> = report
			.meta
			.iter()
			.flat_map(|m| m.placements.iter())
			.map(|p| DealJson {
				deal: p.deal,
				start_sector: p.start_sector,
				replicas: p.replicas,
				end: p.end,
			})
			.collect();
		let status = if deals.is_empty() {
			"uploaded"
		} else if report.replicas_seen >= report.replicas_wanted {
			"replicated"
		} else {
			"stored"
		};
		Ok(FileInfo {
			root: hex_hash(&root),
			size,
			status: status.into(),
			deals,
			segments: report.segments,
			local_segments: report.local_segments,
			replicas_seen: report.replicas_seen,
			replicas_wanted: report.replicas_wanted,
		})
	}

	fn info(&self) -> RpcResult<StorageInfo> {
		Ok(StorageInfo {
			max_file_size: MAX_FILE_SIZE,
			segment_size: SEGMENT_SIZE as u32,
			max_segments_per_upload: MAX_SEGMENTS_PER_UPLOAD as u32,
			http_port: self.http_port,
			shard: self.service.role().map(|r| [r.id, r.count]),
		})
	}
}
