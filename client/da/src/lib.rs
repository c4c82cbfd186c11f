//! # zerog-da-service
//!
//! The node side of zerog's data availability:
//! - [`store`]: the on-disk chunk store (chunks with proofs, by blob root), which survives
//!   restarts and is pruned when the chain drops a blob;
//! - [`protocol`]: chunk exchange between nodes over an sc-network request-response
//!   protocol, with size caps and a timeout, and the [`protocol::ChunkFetcher`] that asks
//!   peers and checks every chunk against its commitment;
//! - [`holding`]: signed proofs that a named member (or provider) holds data, for alignment
//!   checks;
//! - [`service`]: encoding submitted blobs, rebuilding blobs, and the native work behind
//!   the DA off-chain worker's host functions ([`zerog_da_io::DaHost`]);
//! - [`rpc`]: the server of `da_submitBlob`, `da_getBlob`, `da_getChunk`, `da_blobStatus`,
//!   `da_info` (API: `zerog_rpc_api::da`);
//! - [`blob_http`]: the same blobs as raw bytes over plain HTTP (`POST /blobs`,
//!   `GET /blobs/<blob>`), for large payloads;
//! - [`metrics`]: Prometheus counters and gauges.
//!
//! The crate knows nothing of the runtime's types: the node reads chain state for it
//! through [`chain::ChainView`] and finds peers through
//! `zerog_data_plane::request_response::PeerSource`.

pub mod blob_http;
pub mod chain;
pub mod holding;
pub mod metrics;
pub mod protocol;
pub mod rpc;
pub mod service;
pub mod store;

pub use metrics::Metrics;
pub use service::{DaError, DaService};
pub use store::ChunkStore;
