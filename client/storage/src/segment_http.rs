//! The raw-byte path for segments: routes of the node's data HTTP server
//! (`zerog_data_plane::http_server`), so that large files travel as SCALE-encoded bytes
//! instead of hex inside JSON.
//!
//! - `POST /files/segments`, body = SCALE [`UploadBatch`]: same as `storage_uploadSegments`;
//!   answers its JSON.
//! - `GET /files/<0xroot>/<size>/segments/<from>/<count>`: SCALE `Vec<SegmentWithProof>` of
//!   segments `from..from + count` (count at most [`MAX_SEGMENTS_PER_DOWNLOAD`]); without
//!   `<size>`, of the size the node resolves the root to (as `storage_downloadSegment`).
//!
//! Errors answer a status (400, 404, 409, 413, 500) and a JSON body `{"code", "message"}` with
//! the codes of the RPC. `storage_info` tells clients the port.

use crate::rpc::{parse_hash, StorageRpc};
use codec::{Decode, Encode};
use futures::{future::BoxFuture, FutureExt};
use jsonrpsee::types::ErrorObjectOwned;
use std::sync::Arc;
use zerog_data_plane::http_server::{Accept, Answer, Routes};
use zerog_erasure::Hash;
use zerog_rpc_api::storage::{
	codes, UploadBatch, MAX_SEGMENTS_PER_DOWNLOAD, MAX_UPLOAD_BODY, SEGMENT_ROUTES,
};

/// The storage routes (`/files/...`).
pub struct SegmentRoutes(pub Arc<StorageRpc>);

fn error_answer(e: ErrorObjectOwned) -> Answer {
	let status = match e.code() {
		codes::TOO_MANY_SEGMENTS | codes::FILE_TOO_LARGE => "413 Payload Too Large",
		codes::UNKNOWN_FILE | codes::SEGMENT_UNAVAILABLE => "404 Not Found",
		codes::AMBIGUOUS_ROOT => "409 Conflict",
		codes::INTERNAL => "500 Internal Server Error",
		_ => "400 Bad Request",
	};
	Answer::error(status, e.code(), e.message())
}

/// Parses `/files/<root>[/<size>]/segments/<from>/<count>`.
fn parse_download(path: &str) -> Result<(Hash, Option<u64>, u64, u64), ErrorObjectOwned> {
	let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
	let usage = || {
		jsonrpsee::types::ErrorObject::owned(
            jsonrpsee::types::error::INVALID_PARAMS_CODE,
            format!("expected /files/<0xroot>[/<size>]/segments/<from>/<count> with count 1..={MAX_SEGMENTS_PER_DOWNLOAD}"),
            None::<()>,
        )
	};
	let (root, size, from, count) = match parts.as_slice() {
		["files", root, "segments", from, count] => (root, None, from, count),
		["files", root, size, "segments", from, count] => {
			(root, Some(size.parse::<u64>().map_err(|_| usage())?), from, count)
		},
		_ => return Err(usage()),
	};
	let root = parse_hash(root)?;
	let from = from.parse().map_err(|_| usage())?;
	let count: u64 = count.parse().map_err(|_| usage())?;
	if count == 0 || count > MAX_SEGMENTS_PER_DOWNLOAD {
		return Err(usage());
	}
	Ok((root, size, from, count))
}

impl Routes for SegmentRoutes {
	fn accept(&self, method: &str, path: &str) -> Accept {
		match (method, path) {
			("POST", "/files/segments") => Accept::Body(MAX_UPLOAD_BODY),
			("GET", p) if p.starts_with("/files/") => Accept::Body(0),
			_ => Accept::NotMine,
		}
	}

	fn answer(&self, method: String, path: String, body: Vec<u8>) -> BoxFuture<'static, Answer> {
		let rpc = self.0.clone();
		async move {
			if method == "POST" {
				let batch = match UploadBatch::decode(&mut &body[..]) {
					Ok(batch) => batch,
					Err(e) => {
						return Answer::error(
							"400 Bad Request",
							codes::BAD_SEGMENT,
							&format!("undecodable batch: {e}"),
						)
					},
				};
				return match rpc.upload(batch.root, batch.size, batch.segments).await {
					Ok(answer) => {
						Answer::json("200 OK", serde_json::to_value(answer).unwrap_or_default())
					},
					Err(e) => error_answer(e),
				};
			}
			let (root, size, from, count) = match parse_download(&path) {
				Ok(parsed) => parsed,
				Err(e) => return error_answer(e),
			};
			match rpc.segments(root, size, from, count).await {
				Ok(segments) => Answer::bytes(segments.encode()),
				Err(e) => error_answer(e),
			}
		}
		.boxed()
	}

	fn describe(&self) -> &'static str {
		SEGMENT_ROUTES
	}
}
