//! The server of the `storage_*` RPC methods (their API: `zerog_rpc_api::storage`), also
//! behind the raw-byte routes of [`crate::segment_http`].

use crate::service::{StorageError, StorageService};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	types::{error::INVALID_PARAMS_CODE, ErrorObject, ErrorObjectOwned},
};
use std::sync::Arc;
use zerog_erasure::{storage::SEGMENT_SIZE, Hash, MerkleProof};
use zerog_rpc_api::storage::{
	codes, hash_hex, DealJson, FileInfo, SegmentJson, SegmentWithProof, StorageApiServer,
	StorageInfo, UploadAnswer, MAX_FILE_SIZE, MAX_SEGMENTS_PER_UPLOAD,
};

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
		StorageError::AmbiguousRoot(_) => codes::AMBIGUOUS_ROOT,
		StorageError::BadIndex(_) => codes::BAD_INDEX,
		StorageError::SegmentUnavailable(_) => codes::SEGMENT_UNAVAILABLE,
		StorageError::Internal(_) => codes::INTERNAL,
	};
	ErrorObject::owned(code, e.to_string(), None::<()>)
}

fn bad_params(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(INVALID_PARAMS_CODE, message, None::<()>)
}

/// Parses `0x` + 64 hex digits; an invalid-params error otherwise.
pub fn parse_hash(text: &str) -> RpcResult<Hash> {
	zerog_rpc_api::storage::parse_hash(text)
		.ok_or_else(|| bad_params(format!("expected 0x and 64 hex digits, not {text:?}")))
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

	/// Segments `from..from + count` of the file `root` of `size` bytes
	/// (`GET /files/<root>[/<size>]/segments/<from>/<count>`).
	pub async fn segments(
		&self,
		root: Hash,
		size: Option<u64>,
		from: u64,
		count: u64,
	) -> RpcResult<Vec<SegmentWithProof>> {
		// Resolved once: a root unknown here would otherwise ask every peer per segment.
		let key = self.service.key(&root, size).await.map_err(error)?;
		let mut out = Vec::with_capacity(count as usize);
		for index in from..from.saturating_add(count) {
			out.push(self.service.segment(&root, Some(key.size), index).await.map_err(error)?);
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

	async fn download_segment(
		&self,
		root: String,
		index: u64,
		size: Option<u64>,
	) -> RpcResult<SegmentJson> {
		let root = parse_hash(&root)?;
		let segment = self.service.segment(&root, size, index).await.map_err(error)?;
		Ok(SegmentJson {
			index,
			data: segment.data.into(),
			proof: segment.proof.siblings.iter().map(hash_hex).collect(),
		})
	}

	async fn file_info(&self, root: String, size: Option<u64>) -> RpcResult<FileInfo> {
		let root = parse_hash(&root)?;
		let report = self.service.report(&root, size).await.map_err(error)?;
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
			root: hash_hex(&root),
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
			unplaced_deals: self.service.unplaced_deals(),
		})
	}
}
