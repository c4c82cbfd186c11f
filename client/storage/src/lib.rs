//! # zerog-storage-service
//!
//! The node side of zerog's permanent storage:
//! - [`store`]: the on-disk segment store (file bytes, segment proofs, held bitmap, deal
//!   placements) by file root and size, which survives restarts;
//! - [`deal_scan`]: which of the chain's deals the store has recorded, with retries;
//! - [`fetch_backoff`]: when to ask peers again for segments nobody had;
//! - [`protocol`]: segment exchange between nodes over an sc-network request-response
//!   protocol, and the [`protocol::SegmentFetcher`] that checks every segment it gets;
//! - [`serve`]: answers peers' segment requests and holding challenges;
//! - [`service`]: upload checks, serving segments, replication of a provider's shard and
//!   replica counting;
//! - [`rpc`]: the server of `storage_uploadSegments`, `storage_downloadSegment`,
//!   `storage_fileInfo`, `storage_info` (API: `zerog_rpc_api::storage`);
//! - [`segment_http`]: the same segments as SCALE bytes over the node's data HTTP server;
//! - [`kv_db`]: the KV node's database (replay in flow order, ACLs, read checks, versions);
//! - [`kv_replay`]: whether the replayer applies, skips or waits on an entry, from the
//!   chain's verdict on its data;
//! - [`kv_files`]: a KV node's copies of the entry files it replayed, served to peers after
//!   their deals end;
//! - [`kv_rpc`]: the server of `kv_get`, `kv_next`, `kv_prev`, `kv_first`, `kv_last`, `kv_entry`, `kv_info`;
//! - [`holding`]: signed proofs that a named provider holds a segment (alignment checks);
//! - [`miner`]: PoRA mining over the held segments, and answers with proofs to the flow root;
//! - [`metrics`]: Prometheus counters and gauges (`zerog_storage_*`).
//!
//! The crate knows nothing of the runtime's types: the node tells it about deals (through
//! [`store::SegmentStore::add_placement`]) and its shard ([`StorageService::set_role`]).

pub mod deal_scan;
pub mod fetch_backoff;
pub mod holding;
pub mod kv_db;
pub mod kv_files;
pub mod kv_replay;
pub mod kv_rpc;
pub mod metrics;
pub mod miner;
pub mod protocol;
pub mod rpc;
pub mod segment_http;
pub mod serve;
pub mod service;
pub mod store;

pub use metrics::Metrics;
pub use service::{StorageError, StorageService};
pub use store::{FileKey, SegmentStore};

#[cfg(test)]
mod tests;
