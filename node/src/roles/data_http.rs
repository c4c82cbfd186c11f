//! The raw-byte data path (`--da-http-addr`): DA blobs and storage segments as plain bytes
//! over HTTP beside the JSON-RPC server, served by `zerog_data_plane::http_server` with the
//! routes of the DA and storage services. `da_info` and `storage_info` announce its port.

use crate::roles::context::{RoleContext, RoleRpc};
use sc_service::error::Error as ServiceError;
use std::{net::SocketAddr, sync::Arc};

/// Binds the data path's port now, so that the RPC can announce it before it serves.
pub fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, ServiceError> {
	std::net::TcpListener::bind(addr)
		.map_err(|e| ServiceError::Other(format!("data HTTP path on {addr}: {e}")))
}

/// Serves the blob and segment routes on `listener` until the node stops.
pub fn serve(
	ctx: &RoleContext,
	listener: std::net::TcpListener,
	rpc: &RoleRpc,
) -> Result<(), ServiceError> {
	let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
	listener.set_nonblocking(true).map_err(|e| ServiceError::Other(e.to_string()))?;
	let _guard = ctx.config.tokio_handle.enter();
	let listener = tokio::net::TcpListener::from_std(listener)
		.map_err(|e| ServiceError::Other(e.to_string()))?;
	log::info!(target: "da", "blob HTTP path on port {port}");
	ctx.spawn.spawn(
		"da-blob-http",
		Some("da"),
		zerog_data_plane::http_server::serve(
			listener,
			vec![
				Arc::new(zerog_da_service::blob_http::BlobRoutes(rpc.da.clone())),
				Arc::new(zerog_storage_service::segment_http::SegmentRoutes(rpc.storage.clone())),
			],
		),
	);
	Ok(())
}
