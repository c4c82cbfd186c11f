//! The server of the `da_*` RPC methods (their API: `zerog_rpc_api::da`).

use crate::chain::{ChainBlob, ChainView};
use crate::service::{DaError, DaService, SubmitTimings};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	types::{error::INVALID_PARAMS_CODE, ErrorObject, ErrorObjectOwned},
};
use sp_core::Bytes;
use std::sync::Arc;
use zerog_erasure::{BlobCommitment, CodecId, Hash};
use zerog_rpc_api::da::{
	codes, BlobRef, BlobStatus, ChunkAnswer, DaApiServer, DaInfo, SubmittedBlob,
};

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
		DaError::BadEncoding => codes::BAD_ENCODING,
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
