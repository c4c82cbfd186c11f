//! The binary path for blobs: routes of the data HTTP server (`zerog_data_plane::http_server`) next
//! to the JSON-RPC server, so that large blobs travel as raw bytes instead of hex inside JSON
//! (half the bytes, no parsing).
//!
//! - `POST /blobs` with the blob as the body: same as `da_submitBlob`; answers its JSON.
//! - `GET /blobs/<id or 0xroot>`: same as `da_getBlob`; answers the raw bytes.
//!
//! Errors answer a status (400, 404, 413, 422, 500) and a JSON body `{"code", "message"}` with
//! the codes of the RPC. `da_info` tells clients the port.

use crate::rpc::DaRpc;
use futures::{future::BoxFuture, FutureExt};
use jsonrpsee::types::ErrorObjectOwned;
use std::sync::Arc;
use zerog_data_plane::http_server::{Accept, Answer, Routes};
use zerog_erasure::MAX_BLOB_SIZE;
use zerog_rpc_api::da::{codes, BlobRef, BLOB_ROUTES};

/// The DA routes (`/blobs`).
pub struct BlobRoutes(pub Arc<DaRpc>);

/// The HTTP status of an RPC error.
fn error_answer(e: ErrorObjectOwned) -> Answer {
	let status = match e.code() {
		codes::BLOB_TOO_LARGE => "413 Payload Too Large",
		codes::UNKNOWN_BLOB => "404 Not Found",
		codes::BAD_ENCODING => "422 Unprocessable Entity",
		codes::INTERNAL => "500 Internal Server Error",
		_ => "400 Bad Request",
	};
	Answer::error(status, e.code(), e.message())
}

impl Routes for BlobRoutes {
	fn accept(&self, method: &str, path: &str) -> Accept {
		match (method, path) {
			("POST", "/blobs") => Accept::Body(MAX_BLOB_SIZE as u64),
			("GET", p) if p.starts_with("/blobs/") => Accept::Body(0),
			_ => Accept::NotMine,
		}
	}

	fn answer(&self, method: String, path: String, body: Vec<u8>) -> BoxFuture<'static, Answer> {
		let rpc = self.0.clone();
		async move {
			if method == "POST" {
				return match rpc.submit_bytes(body).await {
					Ok(submitted) => {
						Answer::json("200 OK", serde_json::to_value(submitted).unwrap_or_default())
					},
					Err(e) => error_answer(e),
				};
			}
			let key = &path["/blobs/".len()..];
			let blob = match key.parse::<u64>() {
				Ok(id) => BlobRef::Id(id),
				Err(_) => BlobRef::Root(key.to_string()),
			};
			match rpc.blob_bytes(blob).await {
				Ok(bytes) => Answer::bytes(bytes),
				Err(e) => error_answer(e),
			}
		}
		.boxed()
	}

	fn describe(&self) -> &'static str {
		BLOB_ROUTES
	}

	fn too_large(&self, length: u64, _limit: u64) -> Answer {
		error_answer(crate::rpc::error(crate::DaService::check_size(length).unwrap_err()))
	}
}
